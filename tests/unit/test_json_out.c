/*
 * test_json_out.c - the JSON writer (lib/json_out.c): commas placed by
 * nesting, layouts, escaping, exact money and 128-bit integers; every
 * output also parsed back with cJSON.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "json_out.h"

static char *buf;
static size_t len;
static FILE *mem;

static struct json_out *start(struct json_out *j)
{
	free(buf);
	buf = NULL;
	mem = open_memstream(&buf, &len);
	json_init(j, mem);
	return j;
}

/* The text written since start(); checks it parses as JSON. */
static const char *done(void)
{
	cJSON *c;

	fclose(mem);
	c = cJSON_Parse(buf);
	CHECK(c != NULL);
	cJSON_Delete(c);
	return buf;
}

TEST(empty_and_nested)
{
	struct json_out j;

	json_begin_object(start(&j));
	json_end(&j);
	CHECK_STR(done(), "{}");

	json_begin_array(start(&j));
	json_end(&j);
	CHECK_STR(done(), "[]");

	json_begin_object(start(&j));
	json_key(&j, "a");
	json_int(&j, 1);
	json_key(&j, "b");
	json_begin_array(&j);
	json_int(&j, 1);
	json_begin_object(&j);
	json_end(&j);
	json_begin_array(&j);
	json_null(&j);
	json_bool(&j, 1);
	json_bool(&j, 0);
	json_end(&j);
	json_end(&j);
	json_key(&j, "c");
	json_begin_object(&j);
	json_key(&j, "d");
	json_str(&j, NULL);
	json_end(&j);
	json_end(&j);
	CHECK_STR(done(), "{\"a\": 1, \"b\": [1, {}, [null, true, false]], \"c\": {\"d\": null}}");
	CHECK_INT(j.depth, 0);
}

TEST(layouts)
{
	struct json_out j;

	/* one element per line, a tail always written */
	json_begin_object(start(&j));
	json_layout(&j, "", ",\n", "");
	json_key(&j, "rows");
	json_begin_array(&j);
	json_layout(&j, "\n  ", ",\n  ", "\n");
	json_int(&j, 1);
	json_int(&j, 2);
	json_end(&j);
	json_key(&j, "total");
	json_int(&j, 3);
	json_end(&j);
	CHECK_STR(done(), "{\"rows\": [\n  1,\n  2\n],\n\"total\": 3}");

	/* the same layout, no element: lead and separator unused, tail kept */
	json_begin_array(start(&j));
	json_layout(&j, "\n  ", ",\n  ", "\n");
	json_end(&j);
	CHECK_STR(done(), "[\n]");

	/* a layout set after the first member applies from the next one */
	json_begin_array(start(&j));
	json_int(&j, 1);
	json_layout(&j, "", "; ", "");
	json_int(&j, 2);
	json_end(&j);
	fclose(mem); /* not JSON: no parse check */
	CHECK_STR(buf, "[1; 2]");
}

TEST(strings_escaped)
{
	struct json_out j;
	cJSON *c;

	json_begin_object(start(&j));
	json_key(&j, "q\"k");
	json_str(&j, "a\"b\\c\n\t\x1b[2J\x7f\xc2\x9b\xe2\x80\xae\xff");
	json_end(&j);
	CHECK_STR(done(),
		  "{\"q\\\"k\": \"a\\\"b\\\\c\\n\\t\\u001b[2J\\u007f\\u009b\\u202e\\ufffd\"}");
	json_begin_array(start(&j));
	json_strn(&j, "a\0b", 3);
	json_strn(&j, "abc", 2);
	json_end(&j);
	c = cJSON_Parse(done());
	CHECK(c && cJSON_GetArraySize(c) == 2);
	CHECK_STR(cJSON_GetArrayItem(c, 1)->valuestring, "ab");
	CHECK_STR(buf, "[\"a\\u0000b\", \"ab\"]");
	cJSON_Delete(c);
}

TEST(numbers_exact)
{
	static const struct {
		lc_i128 nanos;
		const char *money, *fixed2;
	} m[] = {
		{ 0, "0", "0.00" },
		{ 2500000, "0.0025", "0.00" },
		{ 1683000000, "1.683", "1.68" },
		{ 30000000000, "30", "30.00" },
		{ -1, "-0.000000001", "0.00" }, /* no "-0.00" */
		{ 1, "0.000000001", "0.00" },
		{ 1005000000, "1.005", "1.00" }, /* half-even */
		{ 1015000000, "1.015", "1.02" },
	};
	struct json_out j;
	lc_i128 max = (lc_i128)(((unsigned __int128)1 << 127) - 1);

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		char want[80];

		json_begin_array(start(&j));
		json_money(&j, m[i].nanos);
		json_money_fixed(&j, m[i].nanos, 2);
		json_end(&j);
		snprintf(want, sizeof(want), "[%s, %s]", m[i].money, m[i].fixed2);
		CHECK_STR(done(), want);
	}
	json_begin_array(start(&j));
	json_int(&j, INT64_MIN);
	json_int(&j, INT64_MAX);
	json_uint(&j, UINT64_MAX);
	json_i128(&j, max);
	json_i128(&j, -max - 1);
	json_i128(&j, 0);
	json_number(&j, "2.50");
	json_end(&j);
	CHECK_STR(done(), "[-9223372036854775808, 9223372036854775807, 18446744073709551615, "
			  "170141183460469231731687303715884105727, "
			  "-170141183460469231731687303715884105728, 0, 2.50]");
}

int main(void)
{
	RUN(empty_and_nested);
	RUN(layouts);
	RUN(strings_escaped);
	RUN(numbers_exact);
	free(buf);
	return harness_done();
}

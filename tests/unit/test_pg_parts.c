/*
 * test_pg_parts.c - the team store's pieces that need no server: rows in
 * COPY's text format (lib/db_pg_copy.c: escapes, NULL, the full range of
 * integers), usage_num() reading integers back, and the Bloom filter of key_hash values the SQLite key filter
 * and the team store's ingest share (lib/db_usage_rec.c: no stored value
 * is ever ruled out; a group rules in every key of it; few false
 * positives).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db_pg_int.h"
#include "db_usage_int.h"
#include "harness.h"

static char *text_of(struct pg_copy_in *b)
{
	char *s = xmalloc(b->len + 1);

	memcpy(s, b->buf, b->len);
	s[b->len] = '\0';
	free(b->buf);
	memset(b, 0, sizeof(*b));
	return s;
}

TEST(test_copy_text)
{
	struct pg_copy_in b = { 0 };
	char *s;

	pg_copy_text(&b, "plain");
	pg_copy_text(&b, "tab\there");
	pg_copy_text(&b, "two\nlines\r\n");
	pg_copy_text(&b, "back\\slash\\");
	pg_copy_text(&b, "");
	pg_copy_text(&b, NULL);
	pg_copy_null(&b);
	pg_copy_text(&b, "\\N");
	pg_copy_text(&b, "Jürgen");
	pg_copy_end_row(&b);
	pg_copy_text(&b, "second row");
	pg_copy_end_row(&b);
	s = text_of(&b);
	CHECK_STR(s, "plain\ttab\\there\ttwo\\nlines\\r\\n\tback\\\\slash\\\\\t\t\\N\t\\N\t"
		     "\\\\N\tJürgen\nsecond row\n");
	free(s);
}

TEST(test_copy_int)
{
	static const struct {
		int64_t v;
		const char *text;
	} c[] = {
		{ 0, "0" },
		{ 7, "7" },
		{ -7, "-7" },
		{ 1000000, "1000000" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
		{ -10, "-10" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct pg_copy_in b = { 0 };
		char *s;

		pg_copy_int(&b, c[i].v);
		pg_copy_int(&b, c[i].v);
		s = text_of(&b);
		{
			char want[64];

			snprintf(want, sizeof(want), "%s\t%s", c[i].text, c[i].text);
			CHECK_STR(s, want);
		}
		free(s);
	}
	{ /* a row already in text form, then more fields after it */
		struct pg_copy_in b = { 0 };
		char *s;

		pg_copy_row_text(&b, "a\tb", 3);
		pg_copy_int(&b, 3);
		pg_copy_end_row(&b);
		s = text_of(&b);
		CHECK_STR(s, "a\tb\t3\n");
		free(s);
	}
}

/* usage_num: the integers PostgreSQL and SQLite write, NULL as 0 */
TEST(test_num)
{
	CHECK(usage_num(NULL) == 0);
	CHECK(usage_num("0") == 0);
	CHECK(usage_num("42") == 42);
	CHECK(usage_num("-42") == -42);
	CHECK(usage_num("+7") == 7);
	CHECK(usage_num("9223372036854775807") == INT64_MAX);
	CHECK(usage_num("-9223372036854775808") == INT64_MIN);
	CHECK(usage_num("12abc") == 12);
	CHECK(usage_num("") == 0);
	CHECK(usage_num("x") == 0);
}

/* key_hash values as db_usage_rec.c makes them: 47 bits; a grouped
   record's top 32 its group's, the low 15 its key's */
static int64_t kh_of(uint64_t group, uint64_t key)
{
	return (int64_t)((group & 0xFFFFFFFFULL) << 15 | (key & 0x7FFF));
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

TEST(test_keybloom)
{
	struct keybloom b = { 0 };
	uint64_t seed = 88172645463325252ULL;
	int64_t n = 100000, fp = 0, fpg = 0;
	int64_t *stored = xmalloc((size_t)n * sizeof(*stored));

	kb_size(&b, n, 1 << 16);
	CHECK(b.cap >= 2 * n);
	for (int64_t i = 0; i < n; i++) {
		stored[i] = kh_of(rnd(&seed), rnd(&seed));
		kb_add_stored(&b, stored[i]);
	}
	CHECK_INT(b.values, 2 * n);
	for (int64_t i = 0; i < n; i++) {
		/* never a false "no": by key, and by group for any key of it */
		CHECK_INT(kb_maybe(&b, stored[i], 0), 1);
		CHECK_INT(kb_maybe(&b, stored[i], 1), 1);
		CHECK_INT(kb_maybe(&b, (stored[i] & ~(int64_t)0x7FFF) | 0x1234, 1), 1);
	}
	for (int64_t i = 0; i < n; i++) {
		int64_t other = kh_of(rnd(&seed), rnd(&seed));

		fp += kb_maybe(&b, other, 0);
		fpg += kb_maybe(&b, other, 1);
	}
	/* 12 bits a value: about 1% false positives; allow 3% */
	CHECK(fp < n * 3 / 100);
	CHECK(fpg < n * 3 / 100);
	/* an empty filter rules everything out */
	kb_size(&b, 0, 1 << 16);
	CHECK_INT(kb_maybe(&b, stored[0], 0), 0);
	CHECK_INT(kb_maybe(&b, stored[0], 1), 0);
	kb_free(&b);
	CHECK(b.bits == NULL);
	free(stored);
}

int main(void)
{
	RUN(test_copy_text);
	RUN(test_copy_int);
	RUN(test_num);
	RUN(test_keybloom);
	return harness_done();
}

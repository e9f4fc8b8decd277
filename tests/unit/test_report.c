/*
 * test_report.c - the gnuplot encoders for untrusted text, and the exact
 * arithmetic of the collapse report (blends, ratios, yearly rates).
 */
#include <stdlib.h>

#include "collapse.h"
#include "gnuplot.h"
#include "harness.h"

static char *enc(void (*fn)(FILE *, const char *), const char *s)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fn(f, s);
	fclose(f);
	return buf;
}

TEST(test_field)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "gpt-4o", "\"gpt-4o\"" },
		{ "a\"b", "\"a\\042b\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "bq`cmd`", "\"bq`cmd`\"" }, /* data files never run backquotes */
		{ "new\nline\ttab\r", "\"new line tab \"" },
		{ "esc\x1b[1m", "\"esc [1m\"" },
		{ "del\x7f", "\"del \"" },
		{ "c1\xc2\x85x", "\"c1 x\"" },
		{ "bidi\xe2\x80\xaex\xe2\x81\xa6", "\"bidi x \"" }, /* RLO, LRI */
		{ "bad\xff", "\"bad\xef\xbf\xbd\"" },
		{ "over\xc0\xaf", "\"over\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "sur\xed\xa0\x80", "\"sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_STR(enc(gp_put_field, cases[i].in), cases[i].want);
}

TEST(test_string)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "x`touch m`y", "\"x\\140touch m\\140y\"" },
		{ "q\"uote", "\"q\\\"uote\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "a\nset output \"|x\"", "\"a set output \\\"|x\\\"\"" },
		{ "@m $x %s", "\"@m $x %s\"" },
		{ "\\`", "\"\\\\\\140\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_STR(enc(gp_put_string, cases[i].in), cases[i].want);
}

TEST(test_blend)
{
	/* (3 x 0.075 + 0.30) / 4 = 0.13125 exactly, in nano-USD per 1M */
	CHECK_INT(collapse_blend(75000000, 300000000, 3, 1), 131250000);
	/* (1 x 0.0375 + 0 x 0.15) / 1 */
	CHECK_INT(collapse_blend(37500000, 150000000, 1, 0), 37500000);
	/* half-even once: (1 + 2) / 2 = 1.5 nano -> 2; (1 + 0)/2 = 0.5 -> 0 */
	CHECK_INT(collapse_blend(1, 2, 1, 1), 2);
	CHECK_INT(collapse_blend(1, 0, 1, 1), 0);
	CHECK_INT(collapse_blend(3, 0, 1, 1), 2);
}

TEST(test_ratio)
{
	char buf[64];

	CHECK_STR(collapse_ratio(buf, sizeof(buf), 30000000000, 150000000, 1), "200.0");
	CHECK_STR(collapse_ratio(buf, sizeof(buf), 30000000000, 37500000, 4), "800.0000");
	CHECK_STR(collapse_ratio(buf, sizeof(buf), 30000000000, 35000000, 1), "857.1");
	CHECK_STR(collapse_ratio(buf, sizeof(buf), 2, 3, 4), "0.6667");
	CHECK_STR(collapse_ratio(buf, sizeof(buf), 1, 8, 2), "0.12"); /* 0.125 half-even */
	CHECK_STR(collapse_ratio(buf, sizeof(buf), 3, 8, 2), "0.38"); /* 0.375 half-even */
}

TEST(test_rate)
{
	char buf[32];

	/* halving in exactly one year (365.25 days is not a whole day: use 2 years -> 75%) */
	CHECK_INT(collapse_yearly_rate(buf, sizeof(buf), 4, 1, "2023-01-01", "2025-01-01"), 0);
	CHECK_STR(buf, "50.0");
	CHECK_INT(collapse_yearly_rate(buf, sizeof(buf), 5, 5, "2023-01-01", "2024-01-01"), 0);
	CHECK_STR(buf, "0.0");
	CHECK_INT(collapse_yearly_rate(buf, sizeof(buf), 5, 5, "2023-01-01", "2023-01-01"), -1);
	CHECK_INT(collapse_yearly_rate(buf, sizeof(buf), 0, 5, "2023-01-01", "2024-01-01"), -1);
}

int main(void)
{
	RUN(test_field);
	RUN(test_string);
	RUN(test_blend);
	RUN(test_ratio);
	RUN(test_rate);
	return harness_done();
}

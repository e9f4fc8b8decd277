/*
 * test_money.c - unit tests for lib/money.c: exact decimal parsing, the
 * double conversion rule, costs with half-even rounding, formatting, token
 * counts, and the worked examples of the reliability checklist (section 5).
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "money.h"

#define NOVAL INT64_MIN /* "want" marker: the call must fail */

struct parse_case {
	const char *text;
	int shift;
	int64_t want;   /* NOVAL: must be rejected */
	int rounded;
};

static const struct parse_case parse_cases[] = {
	/* the header's and checklist's examples */
	{ "2.50", 9, 2500000000LL, 0 },
	{ "$2.50", 9, 2500000000LL, 0 },
	{ "0.0375", 9, 37500000LL, 0 },
	{ "3.75e-08", 15, 37500000LL, 0 },
	{ "0.0000000375", 15, 37500000LL, 0 },
	{ "2.5e-06", 15, 2500000000LL, 0 },
	{ "0.0000000208333333333333", 15, 20833333LL, 1 },
	{ "0.15", 9, 150000000LL, 0 },
	{ "10", 9, 10000000000LL, 0 },
	/* half-even, both ways, both signs */
	{ "0.0000000025", 9, 2, 1 },
	{ "0.0000000035", 9, 4, 1 },
	{ "0.00000000250001", 9, 3, 1 },
	{ "0.0000000024999", 9, 2, 1 },
	{ "-0.0000000025", 9, -2, 1 },
	{ "-0.0000000035", 9, -4, 1 },
	{ "0.5", 0, 0, 1 },
	{ "1.5", 0, 2, 1 },
	{ "2.5", 0, 2, 1 },
	{ "3.5", 0, 4, 1 },
	{ "0.51", 0, 1, 1 },
	{ "0.4", 0, 0, 1 },
	{ "0.05", 0, 0, 1 },
	{ "0.00000000000000000000001", 9, 0, 1 },
	{ "1e-400", 9, 0, 1 },
	{ "2.50000000000000000000", 9, 2500000000LL, 0 },
	/* syntax variants */
	{ ".5", 9, 500000000LL, 0 },
	{ "5.", 9, 5000000000LL, 0 },
	{ "-1", 9, -1000000000LL, 0 },
	{ "+3", 9, 3000000000LL, 0 },
	{ "-$2.50", 9, -2500000000LL, 0 },
	{ "+$2.50", 9, 2500000000LL, 0 },
	{ "  2.5\t", 9, 2500000000LL, 0 },
	{ "\t$1 ", 9, 1000000000LL, 0 },
	{ "1.5e3", 0, 1500, 0 },
	{ "1E2", 0, 100, 0 },
	{ "1e+2", 0, 100, 0 },
	{ "25e-1", 0, 2, 1 },
	{ "0", 9, 0, 0 },
	{ "-0", 9, 0, 0 },
	{ "0e9999", 9, 0, 0 },
	{ "000000000000000000000000001", 0, 1, 0 },
	/* int64 boundary */
	{ "9223372036854775807", 0, INT64_MAX, 0 },
	{ "9223372036854775808", 0, NOVAL, 0 },
	{ "-9223372036854775809", 0, NOVAL, 0 },
	{ "922337203685477580.65", 1, 9223372036854775806LL, 1 },
	{ "922337203685477580.75", 1, NOVAL, 0 }, /* rounds up past the max */
	{ "9223372036.854775807", 9, INT64_MAX, 0 },
	{ "9223372036.854775808", 9, NOVAL, 0 },
	{ "99999999999999999999", 0, NOVAL, 0 },
	{ "1e400", 9, NOVAL, 0 },
	{ "1e99999", 9, NOVAL, 0 },
	/* malformed */
	{ "", 9, NOVAL, 0 },
	{ "   ", 9, NOVAL, 0 },
	{ "$", 9, NOVAL, 0 },
	{ "-", 9, NOVAL, 0 },
	{ ".", 9, NOVAL, 0 },
	{ "1,5", 9, NOVAL, 0 },
	{ "1,000", 9, NOVAL, 0 },
	{ "1.2.3", 9, NOVAL, 0 },
	{ "abc", 9, NOVAL, 0 },
	{ "1e", 9, NOVAL, 0 },
	{ "1e+", 9, NOVAL, 0 },
	{ "e5", 9, NOVAL, 0 },
	{ "NaN", 9, NOVAL, 0 },
	{ "inf", 9, NOVAL, 0 },
	{ "0x10", 9, NOVAL, 0 },
	{ "12x", 9, NOVAL, 0 },
	{ "1 2", 9, NOVAL, 0 },
	{ "$-1", 9, NOVAL, 0 },
	{ "--1", 9, NOVAL, 0 },
	{ "$$1", 9, NOVAL, 0 },
	{ "1$", 9, NOVAL, 0 },
	{ "1e5.0", 9, NOVAL, 0 },
};

TEST(test_money_parse_table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct lc_err err = { 0 };
		int64_t v = 12345;
		int r = -1;
		int rc = money_parse(c->text, strlen(c->text), c->shift, &v, &r, &err);

		if (c->want == NOVAL) {
			if (rc != -1 || err.code != LC_EDATA)
				fprintf(stderr, "case '%s'@%d: accepted as %" PRId64 "\n",
					c->text, c->shift, v);
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, LC_EDATA);
			CHECK_INT(v, 12345); /* *out untouched on failure */
		} else {
			if (rc != 0 || v != c->want || r != c->rounded)
				fprintf(stderr, "case '%s'@%d: rc %d v %" PRId64
					" rounded %d (%s)\n", c->text, c->shift,
					rc, v, r, err.msg);
			CHECK_INT(rc, 0);
			CHECK_INT(v, c->want);
			CHECK_INT(r, c->rounded);
		}
	}
}

TEST(test_money_parse_details)
{
	struct lc_err err = { 0 };
	int64_t v = 0;

	/* len bounds the text: no NUL needed */
	CHECK_INT(money_parse("2.50xyz", 4, 9, &v, NULL, &err), 0);
	CHECK_INT(v, 2500000000LL);
	CHECK_INT(money_parse("2.50xyz", 5, 9, &v, NULL, &err), -1);

	/* messages name the failure first and quote the text */
	CHECK_INT(money_parse("12x", 3, 9, &v, NULL, &err), -1);
	CHECK_STR(err.msg, "malformed number '12x'");
	CHECK_INT(money_parse("1e400", 5, 9, &v, NULL, &err), -1);
	CHECK_STR(err.msg, "number '1e400' out of range");
	CHECK_INT(money_parse("9223372036854775808", 19, 0, &v, NULL, &err), -1);
	CHECK_STR(err.msg, "number '9223372036854775808' out of range");

	/* INT64_MIN itself fits (it is the table's rejection marker) */
	CHECK_INT(money_parse("-9223372036854775808", 20, 0, &v, NULL, &err), 0);
	CHECK(v == INT64_MIN);
	CHECK_INT(money_parse("-922337203685477580.8e1", 23, 0, &v, NULL, &err), 0);
	CHECK(v == INT64_MIN);

	/* a NULL err is allowed */
	CHECK_INT(money_parse("x", 1, 9, &v, NULL, NULL), -1);
}

struct double_case {
	double v;
	int shift;
	int64_t want;
	int rounded;
};

static const struct double_case double_cases[] = {
	{ 2.5e-06, 15, 2500000000LL, 0 },
	{ 2.9999900000000002e-06, 15, 2999990000LL, 1 },
	{ 0.075, 9, 75000000LL, 0 },
	{ 1e-7, 15, 100000000LL, 0 },
	{ 3.75e-08, 15, 37500000LL, 0 },
	{ 0.1 + 0.2, 9, 300000000LL, 1 }, /* 0.30000000000000004 */
	{ 1.0 / 48e6, 15, 20833333LL, 1 },
	{ 0.0, 9, 0, 0 },
	{ -2.5, 9, -2500000000LL, 0 },
	{ 123456789.0, 9, 123456789000000000LL, 0 },
};

TEST(test_money_from_double)
{
	struct lc_err err = { 0 };
	int64_t v = 7;
	int r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(double_cases); i++) {
		const struct double_case *c = &double_cases[i];

		r = -1;
		CHECK_INT(money_from_double(c->v, c->shift, &v, &r, &err), 0);
		CHECK_INT(v, c->want);
		CHECK_INT(r, c->rounded);
	}
	v = 7;
	CHECK_INT(money_from_double(INFINITY, 9, &v, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK_INT(money_from_double(-INFINITY, 9, &v, &r, &err), -1);
	CHECK_INT(money_from_double(NAN, 9, &v, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK_INT(v, 7);
	CHECK_INT(money_from_double(1e300, 9, &v, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
}

/* A comma-decimal locale must not change the conversion (when installed). */
TEST(test_money_from_double_locale)
{
	static const char *const locs[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8" };
	struct lc_err err = { 0 };
	int64_t v = 0;
	int r = -1;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(locs); i++)
		if (setlocale(LC_NUMERIC, locs[i]))
			break;
	CHECK_INT(money_from_double(2.9999900000000002e-06, 15, &v, &r, &err), 0);
	CHECK_INT(v, 2999990000LL);
	CHECK_INT(r, 1);
	setlocale(LC_NUMERIC, "C");
}

struct cost_case {
	int64_t tokens, price;
	int64_t want; /* NOVAL: must fail */
};

static const struct cost_case cost_cases[] = {
	/* checklist section 5, worked examples */
	{ 1000000, 2500000000LL, 2500000000LL },
	{ 123456, 3000000000LL, 370368000LL },
	{ 7, 12500000, 88 },   /* 87.5 -> 88 */
	{ 21, 12500000, 262 }, /* 262.5 -> 262 */
	{ 1000000000000LL, 540000000000000LL, NOVAL },
	/* more rounding and limits */
	{ 1, 500000, 0 },   /* 0.5 -> 0 */
	{ 1, 1500000, 2 },  /* 1.5 -> 2 */
	{ 1, 2500000, 2 },  /* 2.5 -> 2 */
	{ 1, 2500001, 3 },
	{ 1, 130000, 0 },   /* smallest anchor price, one token */
	{ 0, 540000000000000LL, 0 },
	{ 1000000000000LL, 0, 0 },
	{ 1000000000000LL, 9223372036854LL, 9223372036854000000LL },
	{ 1000000000000LL, 9223372036855LL, NOVAL },
	{ 1000000000000LL, 540000000LL, 540000000000000LL },
	{ -1, 2500000000LL, NOVAL },
	{ 10, -1, NOVAL },
	{ INT64_MAX, INT64_MAX, NOVAL },
};

TEST(test_money_cost)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cost_cases); i++) {
		const struct cost_case *c = &cost_cases[i];
		struct lc_err err = { 0 };
		int64_t v = 99;
		int rc = money_cost(c->tokens, c->price, &v, &err);

		if (c->want == NOVAL) {
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, LC_EDATA);
			CHECK(strncmp(err.msg, "cost out of range", 17) == 0);
			CHECK_INT(v, 99);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(v, c->want);
		}
	}
	{
		struct lc_err err = { 0 };
		int64_t v;

		CHECK_INT(money_cost(1000000000000LL, 540000000000000LL, &v, &err), -1);
		CHECK_STR(err.msg, "cost out of range");
	}
}

TEST(test_money_div)
{
	static const struct {
		long long n, d, want;
	} c[] = {
		{ 5, 2, 2 }, { 7, 2, 4 }, { -5, 2, -2 }, { -7, 2, -4 },
		{ 10, 4, 2 }, { -6, 4, -2 }, { 1, 3, 0 }, { 2, 3, 1 },
		{ -2, 3, -1 }, { -1, 3, 0 }, { 0, 7, 0 }, { 9, 1, 9 },
		{ 15, 10, 2 }, { 25, 10, 2 }, { 26, 10, 3 }, { -25, 10, -2 },
	};
	size_t i;
	lc_i128 big;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		CHECK_INT(money_div_half_even(c[i].n, c[i].d), c[i].want);
	CHECK_INT(money_muldiv(7, 12500000, 1000000), 88);
	CHECK_INT(money_muldiv(21, 12500000, 1000000), 262);
	CHECK_INT(money_muldiv(-7, 12500000, 1000000), -88);
	/* 128-bit intermediate: (2^62 * 2^62) / 2^62 */
	big = money_muldiv((lc_i128)1 << 62, (lc_i128)1 << 62, (lc_i128)1 << 62);
	CHECK(big == (lc_i128)1 << 62);
	/* large d: remainder arithmetic must not overflow */
	big = ((lc_i128)1 << 126) + 1;
	CHECK(money_div_half_even(big, big) == 1);
	CHECK(money_div_half_even(big / 2, big) == 0); /* just under half */
	CHECK(money_div_half_even(big / 2 + 1, big) == 1); /* just over half */
}

struct fmt_case {
	lc_i128 nanos;
	int decimals;
	const char *want;
};

#define I128_MAX ((lc_i128)(((unsigned __int128)1 << 127) - 1))
#define I128_MIN (-I128_MAX - 1)

static const struct fmt_case fmt_cases[] = {
	/* exact */
	{ 1683000000, -1, "1.683" },
	{ 30000000000LL, -1, "30" },
	{ 37500000, -1, "0.0375" },
	{ 0, -1, "0" },
	{ 1, -1, "0.000000001" },
	{ -1, -1, "-0.000000001" },
	{ -1683000000, -1, "-1.683" },
	{ -30000000000LL, -1, "-30" },
	{ 2500000000LL, -1, "2.5" },
	{ 1000000000, -1, "1" },
	{ 999999999, -1, "0.999999999" },
	{ (lc_i128)1000000000000000000LL * 1000000000000LL, -1,
	  "1000000000000000000000" },
	{ I128_MAX, -1, "170141183460469231731687303715.884105727" },
	{ I128_MIN, -1, "-170141183460469231731687303715.884105728" },
	/* fixed decimals, half-even */
	{ 125000000, 2, "0.12" },
	{ 135000000, 2, "0.14" },
	{ 125000001, 2, "0.13" },
	{ -125000000, 2, "-0.12" },
	{ -135000000, 2, "-0.14" },
	{ 1683000000, 2, "1.68" },
	{ 1685000000, 2, "1.68" },
	{ 1675000000, 2, "1.68" },
	{ 0, 2, "0.00" },
	{ -1000000, 2, "0.00" }, /* no "-0.00" */
	{ 500000000, 0, "0" },
	{ 1500000000, 0, "2" },
	{ 2500000000LL, 0, "2" },
	{ 1999999999, 0, "2" },
	{ 1999999999, 9, "1.999999999" },
	{ 1234, 9, "0.000001234" },
	{ 1234, 11, "0.00000123400" },
	{ 30000000000LL, 3, "30.000" },
	{ 12345670000000LL, 2, "12345.67" }, /* no commas here */
	{ I128_MAX, 0, "170141183460469231731687303716" },
	{ I128_MIN, 2, "-170141183460469231731687303715.88" },
};

TEST(test_money_format)
{
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fmt_cases); i++)
		CHECK_STR(money_format(buf, sizeof(buf), fmt_cases[i].nanos,
				       fmt_cases[i].decimals),
			  fmt_cases[i].want);
	/* a small buffer truncates, never overruns */
	memset(buf, 'x', sizeof(buf));
	CHECK_STR(money_format(buf, 5, 1683000000, -1), "1.68");
	CHECK_INT(buf[5], 'x');
	CHECK_STR(money_format(buf, 1, 1683000000, -1), "");
	CHECK_STR(money_format(buf, 5, 12345670000000LL, 2), "1234");
}

struct usd_case {
	lc_i128 nanos;
	const char *want;
};

static const struct usd_case usd_cases[] = {
	{ 1683000000, "$1.68" },
	{ 12345670000000LL, "$12,345.67" },
	{ 123000, "$0.000123" },
	{ 0, "$0.00" },
	{ 10000000, "$0.01" },
	{ 9999999, "$0.01" },     /* 3 significant digits round up to a cent */
	{ 9994999, "$0.00999" },
	{ 123456, "$0.000123" },
	{ 123500, "$0.000124" },  /* half-even: 123.5 -> 124 */
	{ 124500, "$0.000124" },  /* half-even: 124.5 -> 124 */
	{ 120000, "$0.00012" },
	{ 3500000, "$0.0035" },   /* the README's examples of the rule */
	{ 75000, "$0.000075" },
	{ 1234567890, "$1.23" },
	{ 1234565000000LL, "$1,234.56" }, /* half-even at the cent */
	{ 1234575000000LL, "$1,234.58" },
	{ 5, "$0.000000005" },
	{ 125000000, "$0.12" },
	{ 135000000, "$0.14" },
	{ 999000000000LL, "$999.00" },
	{ 1000000000000LL, "$1,000.00" },
	{ 1000000000000000LL, "$1,000,000.00" },
	{ 123456789012345678LL, "$123,456,789.01" },
	{ -1683000000, "-$1.68" },
	{ -123000, "-$0.000123" },
	{ I128_MAX, "$170,141,183,460,469,231,731,687,303,715.88" },
};

TEST(test_money_format_usd)
{
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(usd_cases); i++)
		CHECK_STR(money_format_usd(buf, sizeof(buf), usd_cases[i].nanos),
			  usd_cases[i].want);
}

TEST(test_tokens_parse)
{
	static const struct {
		const char *text;
		int64_t want; /* NOVAL: rejected */
	} c[] = {
		{ "0", 0 },
		{ "3000000000", 3000000000LL },
		{ "1000000000000", 1000000000000LL },
		{ "007", 7 },
		{ "-1", NOVAL },
		{ "+1", NOVAL },
		{ "1.5", NOVAL },
		{ "1e3", NOVAL },
		{ " 12", NOVAL },
		{ "12 ", NOVAL },
		{ "", NOVAL },
		{ "1000000000001", NOVAL },
		{ "99999999999999999999999999", NOVAL },
		{ "12a", NOVAL },
		{ "1,000", NOVAL },
	};
	struct lc_err err = { 0 };
	int64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		v = -5;
		if (c[i].want == NOVAL) {
			CHECK_INT(tokens_parse(c[i].text, strlen(c[i].text), &v, &err), -1);
			CHECK_INT(err.code, LC_EDATA);
			CHECK_INT(v, -5);
		} else {
			CHECK_INT(tokens_parse(c[i].text, strlen(c[i].text), &v, &err), 0);
			CHECK_INT(v, c[i].want);
		}
	}
	CHECK_INT(tokens_parse("12a", 3, &v, &err), -1);
	CHECK_STR(err.msg, "malformed token count '12a'");
	CHECK_INT(tokens_parse("1234", 2, &v, &err), 0);
	CHECK_INT(v, 12);
}

/*
 * 68,000 photos, each 260 input tokens at $0.0375/M and 100 output tokens at
 * $0.15/M: exactly $1.683.
 */
TEST(test_photo_example)
{
	struct lc_err err = { 0 };
	int64_t pin, pout, cin, cout;
	lc_i128 total;
	char buf[64];

	CHECK_INT(money_parse("$0.0375", 7, 9, &pin, NULL, &err), 0);
	CHECK_INT(money_parse("0.15", 4, 9, &pout, NULL, &err), 0);
	CHECK_INT(money_cost(68000LL * 260, pin, &cin, &err), 0);
	CHECK_INT(money_cost(68000LL * 100, pout, &cout, &err), 0);
	CHECK_INT(cin, 663000000);
	CHECK_INT(cout, 1020000000);
	total = (lc_i128)cin + cout;
	CHECK_INT(total, 1683000000);
	CHECK_STR(money_format(buf, sizeof(buf), total, -1), "1.683");
	CHECK_STR(money_format_usd(buf, sizeof(buf), total), "$1.68");
}

TEST(test_money_format_price)
{
	char buf[64];

	CHECK_STR(money_format_price(buf, sizeof(buf), 2500000000), "2.50");
	CHECK_STR(money_format_price(buf, sizeof(buf), 37500000), "0.0375");
	CHECK_STR(money_format_price(buf, sizeof(buf), 30000000000), "30.00");
	CHECK_STR(money_format_price(buf, sizeof(buf), 0), "0.00");
	CHECK_STR(money_format_price(buf, sizeof(buf), 11020000000), "11.02");
	CHECK_STR(money_format_price(buf, sizeof(buf), 150000000), "0.15");
	/* the display rule: never rounded, thousands commas, no '$' */
	CHECK_STR(money_format_price(buf, sizeof(buf), 3500000), "0.0035");
	CHECK_STR(money_format_price(buf, sizeof(buf), 75000), "0.000075");
	CHECK_STR(money_format_price(buf, sizeof(buf), 1), "0.000000001");
	CHECK_STR(money_format_price(buf, sizeof(buf), 1250000000000LL), "1,250.00");
	CHECK_STR(money_format_price(buf, sizeof(buf), 1234567891234LL), "1,234.567891234");
	CHECK_STR(money_format_price(buf, sizeof(buf), 166666670), "0.16666667");
	CHECK_STR(money_format_price(buf, sizeof(buf), -2500000000LL), "-2.50");
}

TEST(test_money_format_count)
{
	static const struct {
		lc_i128 v;
		const char *want;
	} c[] = {
		{ 0, "0" },
		{ 7, "7" },
		{ 999, "999" },
		{ 1000, "1,000" },
		{ 12345, "12,345" },
		{ 1234567, "1,234,567" },
		{ 1000000000000LL, "1,000,000,000,000" },
		{ -1000, "-1,000" },
		{ -999, "-999" },
	};
	char buf[64];

	for (size_t i = 0; i < ARRAY_SIZE(c); i++)
		CHECK_STR(money_format_count(buf, sizeof(buf), c[i].v), c[i].want);
	/* a short buffer: cut, always terminated */
	CHECK_STR(money_format_count(buf, 4, 1234567), "1,2");
}

int main(void)
{
	RUN(test_money_parse_table);
	RUN(test_money_parse_details);
	RUN(test_money_from_double);
	RUN(test_money_from_double_locale);
	RUN(test_money_cost);
	RUN(test_money_div);
	RUN(test_money_format);
	RUN(test_money_format_usd);
	RUN(test_tokens_parse);
	RUN(test_photo_example);
	RUN(test_money_format_price);
	RUN(test_money_format_count);
	return harness_done();
}

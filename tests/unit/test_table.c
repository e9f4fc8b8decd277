/*
 * test_table.c - lib/table.c's text rendering at a width: short headers,
 * shortened text, dropped columns (TABLE_DROP order, never the key or an
 * answer), the footnote naming them, the overflow of key + answers; the
 * display rules of TABLE_COUNT, TABLE_USD and TABLE_PRICE cells in text,
 * Markdown and HTML, and JSON and CSV left exact; table_wrap.
 */
#include <stdlib.h>

#include "harness.h"
#include "table.h"

/* The rendering of t in fmt at width, in a static buffer. */
static const char *render(struct lc_table *t, enum lc_format fmt, int width)
{
	static char out[8192];
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	memset(out, 0, sizeof(out));
	if (!f)
		return "";
	table_print(t, f, fmt, width);
	fclose(f);
	return out;
}

/* The widest line of s. */
static size_t widest_line(const char *s)
{
	size_t w = 0;

	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n > w)
			w = n;
		s += n + (s[n] == '\n');
	}
	return w;
}

/* A usage-like table: a key, five counts (dropped in a set order), an
   answer with amounts, one sub-cent and one partly unpriced. */
static struct lc_table *usage_like(void)
{
	struct lc_table *t = table_new();
	const int N = TABLE_RIGHT | TABLE_NUMBER | TABLE_COUNT;

	table_col(t, "model", "model", TABLE_KEY);
	table_col(t, "input", "input", N | TABLE_DROP(4));
	table_col(t, "output", "output", N | TABLE_DROP(3));
	table_col(t, "cache read", "cache_read", N | TABLE_DROP(1));
	table_abbr(t, "c.read");
	table_col(t, "reasoning", "reasoning", N | TABLE_DROP(2));
	table_col(t, "cost", "cost", TABLE_RIGHT | TABLE_NUMBER | TABLE_USD | TABLE_ANSWER);
	table_cell(t, "claude-3-5-haiku-20241022");
	table_cell(t, "1001000");
	table_cell(t, "1000000");
	table_cell(t, "0");
	table_cell(t, "0");
	table_cell(t, "6.005");
	table_cell(t, "gpt-5");
	table_cell(t, "2300");
	table_cell(t, "800");
	table_cell(t, "1200");
	table_cell(t, "150");
	table_cell(t, "0.00765*");
	return t;
}

TEST(test_no_limit)
{
	struct lc_table *t = usage_like();
	const char *s = render(t, LC_FMT_TEXT, 0);

	/* every column, full headers, counts grouped, money to the cent */
	CHECK_STR(s, "model                          input     output  cache read  reasoning       cost\n"
		     "claude-3-5-haiku-20241022  1,001,000  1,000,000           0          0      $6.00\n"
		     "gpt-5                          2,300        800       1,200        150  $0.00765*\n");
	/* as wide as it is when it fits */
	CHECK_STR(render(t, LC_FMT_TEXT, 200), s);
	CHECK_STR(render(t, LC_FMT_TEXT, 84), s);
	table_free(t);
}

TEST(test_abbreviate_then_drop)
{
	struct lc_table *t = usage_like();
	const char *s;

	/* 84 wide; at 80 the short header "c.read" saves 4: nothing dropped */
	s = render(t, LC_FMT_TEXT, 80);
	CHECK(widest_line(s) <= 80);
	CHECK(strstr(s, "c.read") != NULL);
	CHECK(strstr(s, "cache read") == NULL);
	CHECK(strstr(s, "hidden") == NULL);
	/* at 60: the model shortened to 24, then cache read and reasoning
	   dropped (TABLE_DROP 1, 2), the room left given back to the model */
	s = render(t, LC_FMT_TEXT, 60);
	CHECK(widest_line(s) <= 60);
	CHECK_STR(s, "model                          input     output       cost\n"
		     "claude-3-5-haiku-20241022  1,001,000  1,000,000      $6.00\n"
		     "gpt-5                          2,300        800  $0.00765*\n"
		     "hidden: cache read, reasoning -- use --wide or --json\n");
	/* at 50: output (TABLE_DROP 3) too */
	s = render(t, LC_FMT_TEXT, 50);
	CHECK(widest_line(s) <= 50);
	CHECK_STR(s, "model                          input       cost\n"
		     "claude-3-5-haiku-20241022  1,001,000      $6.00\n"
		     "gpt-5                          2,300  $0.00765*\n"
		     "hidden: output, cache read, reasoning -- use\n"
		     "  --wide or --json\n");
	table_free(t);
}

TEST(test_overflow_key_and_answers)
{
	struct lc_table *t = usage_like();
	const char *s = render(t, LC_FMT_TEXT, 20);

	/* every other column gone, the key shortened to 8 and given back the one
	   column left: key and answer stay; the footnote wraps at 20 */
	CHECK_STR(s, "model           cost\n"
		     "claude...      $6.00\n"
		     "gpt-5      $0.00765*\n"
		     "hidden: input,\n"
		     "  output, cache\n"
		     "  read, reasoning\n"
		     "  -- use --wide or\n"
		     "  --json\n");
	/* at 10 the two overflow, as the only columns left */
	s = render(t, LC_FMT_TEXT, 10);
	CHECK(!strncmp(s, "model          cost\nclaud...      $6.00\ngpt-5     $0.00765*\nhidden:\n",
		       66));
	table_free(t);
}

TEST(test_default_drop_order)
{
	struct lc_table *t = table_new();
	const char *s;

	/* no TABLE_DROP: the rightmost goes first; no TABLE_KEY: the first
	   column is the key */
	table_col(t, "name", "name", 0);
	table_col(t, "aaaaaaaaaa", "a", 0);
	table_col(t, "bbbbbbbbbb", "b", 0);
	table_col(t, "total", "total", TABLE_RIGHT | TABLE_ANSWER);
	table_cell(t, "x");
	table_cell(t, "1");
	table_cell(t, "2");
	table_cell(t, "3");
	s = render(t, LC_FMT_TEXT, 30);
	CHECK_STR(s, "name  aaaaaaaaaa  total\n"
		     "x     1               3\n"
		     "hidden: bbbbbbbbbb -- use\n"
		     "  --wide or --json\n");
	s = render(t, LC_FMT_TEXT, 20);
	CHECK_STR(s, "name  total\n"
		     "x         3\n"
		     "hidden: aaaaaaaaaa,\n"
		     "  bbbbbbbbbb -- use\n"
		     "  --wide or --json\n");
	table_free(t);
}

TEST(test_display_rules)
{
	struct lc_table *t = table_new();
	const char *s;

	table_col(t, "tokens", "tokens", TABLE_RIGHT | TABLE_NUMBER | TABLE_COUNT);
	table_col(t, "cost", "cost", TABLE_RIGHT | TABLE_NUMBER | TABLE_USD);
	table_col(t, "price", "price", TABLE_RIGHT | TABLE_NUMBER | TABLE_PRICE);
	table_cell(t, "1234567");
	table_cell(t, "1234.565");
	table_cell(t, "0.0375");
	table_cell(t, "12");
	table_cell(t, "0.000075");
	table_cell(t, "1250");
	table_cell(t, "many"); /* not numbers: shown as they are */
	table_cell(t, "unpriced");
	table_none(t);
	s = render(t, LC_FMT_TEXT, 0);
	CHECK_STR(s, "   tokens       cost     price\n"
		     "1,234,567  $1,234.56    0.0375\n"
		     "       12  $0.000075  1,250.00\n"
		     "     many   unpriced         -\n");
	s = render(t, LC_FMT_MD, 0);
	CHECK(strstr(s, "| 1,234,567 | \\$1,234.56 | 0.0375 |\n") != NULL);
	CHECK(strstr(s, "| 12 | \\$0.000075 | 1,250.00 |\n") != NULL);
	s = render(t, LC_FMT_HTML, 0);
	CHECK(strstr(s, "<td class=\"num\">1,234,567</td><td class=\"num\">$1,234.56</td>") != NULL);
	/* JSON and CSV: the cells exactly; a missing value is an empty CSV cell */
	s = render(t, LC_FMT_CSV, 0);
	CHECK_STR(s, "tokens,cost,price\n1234567,1234.565,0.0375\n12,0.000075,1250\nmany,unpriced,\n");
	s = render(t, LC_FMT_JSON, 0);
	CHECK(strstr(s, "{\"tokens\": 1234567, \"cost\": 1234.565, \"price\": 0.0375}") != NULL);
	CHECK(strstr(s, "{\"tokens\": \"many\", \"cost\": \"unpriced\", \"price\": null}") != NULL);
	table_free(t);
}

TEST(test_display_edges)
{
	struct lc_table *t = table_new();

	/* beyond int64 nano-USD, 30 digits; a cell that is no plain decimal
	   in the unit (too many decimals, an exponent, a '+', "1.") as it is */
	table_col(t, "n", "n", TABLE_RIGHT | TABLE_COUNT);
	table_col(t, "usd", "usd", TABLE_RIGHT | TABLE_USD);
	table_cell(t, "1000000000000000");
	table_cell(t, "10000000000");
	table_cell(t, "-1000");
	table_cell(t, "-0.004");
	table_cell(t, "1.5");
	table_cell(t, "0.0000000001");
	table_cell(t, "+1");
	table_cell(t, "1e3");
	table_cell(t, "1000000000000000000000000000000");
	table_cell(t, "1.");
	CHECK_STR(render(t, LC_FMT_TEXT, 0),
		  "                              n                 usd\n"
		  "          1,000,000,000,000,000  $10,000,000,000.00\n"
		  "                         -1,000             -$0.004\n"
		  "                            1.5        0.0000000001\n"
		  "                             +1                 1e3\n"
		  "1000000000000000000000000000000                  1.\n");
	table_free(t);
}

TEST(test_wrap)
{
	char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	if (!f)
		return;
	table_wrap(f, "one two three four", 9);
	table_wrap(f, "one two three four", 0);
	table_wrap(f, "averyveryverylongword x", 5);
	fclose(f);
	CHECK_STR(out, "one two\nthree\nfour\none two three four\naveryveryverylongword\nx\n");
}

int main(void)
{
	RUN(test_no_limit);
	RUN(test_abbreviate_then_drop);
	RUN(test_overflow_key_and_answers);
	RUN(test_default_drop_order);
	RUN(test_display_rules);
	RUN(test_display_edges);
	RUN(test_wrap);
	return harness_done();
}

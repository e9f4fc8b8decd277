/*
 * test_escape.c - the one escaper for input-derived text (escape.h) in each
 * format, esc_printf, and the table renderings that use it: CSV formula
 * defusing, computed numbers written plainly, missing values, Markdown.
 */
#include <stdlib.h>

#include "escape.h"
#include "harness.h"
#include "table.h"

static char out[4096];

static const char *esc(const char *s, enum esc_to to)
{
	char *d = esc_dup(s, to);

	LC_COPY(out, d ? d : "(null)");
	free(d);
	return out;
}

TEST(escape_term)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "gpt-4o", "gpt-4o" },
		{ "gpt-4o\x1b[2J", "gpt-4o\\x1b[2J" },
		{ "\x1b]0;PWNED\x07\x1b[2J", "\\x1b]0;PWNED\\x07\\x1b[2J" },
		{ "\x1b]52;c;SGVsbG8=\x07", "\\x1b]52;c;SGVsbG8=\\x07" },
		{ "a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd" },
		{ "del\x7f", "del\\x7f" },
		{ "raw c1 \x9b" "31m", "raw c1 \\x9b31m" },          /* C1 as a raw byte */
		{ "utf8 c1 \xc2\x9b" "31m", "utf8 c1 \\u009b31m" },  /* U+009B CSI */
		{ "\xc2\x80\xc2\x9f\xc2\xa0", "\\u0080\\u009f\xc2\xa0" }, /* NBSP is fine */
		{ "bidi \xe2\x80\xae" "cba", "bidi \\u202ecba" },     /* RLO */
		{ "\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f", "\\u202a\\u2066\\u2069\\u200f" },
		{ "ls\xe2\x80\xa8", "ls\\u2028" },
		{ "bad\xff\xfe", "bad\\xff\\xfe" },
		{ "overlong\xc0\xaf", "overlong\\xc0\\xaf" },
		{ "surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80" },
		{ "cut\xe2\x82", "cut\\xe2\\x82" },
		{ "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "back\\slash", "back\\slash" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_STR(esc(cases[i].in, ESC_TERM), cases[i].want);
}

TEST(escape_formats)
{
	CHECK_STR(esc("a\"b,c\x1b", ESC_CSV), "a\"\"b,c\\x1b");
	CHECK_STR(esc("<b>&'\"\xc2\x9b", ESC_HTML), "&lt;b&gt;&amp;&#39;&quot;\\u009b");
	CHECK_STR(esc("![x](https://evil/t.png)", ESC_MD), "\\!\\[x\\]\\(https\\://evil/t.png\\)");
	CHECK_STR(esc("[link](http://x)", ESC_MD), "\\[link\\]\\(http\\://x\\)");
	CHECK_STR(esc("a|b`c*d_e<s>\\~&", ESC_MD), "a\\|b\\`c\\*d\\_e\\<s\\>\\\\\\~\\&");
	CHECK_STR(esc("www.evil.com a@b.c", ESC_MD), "www\\.evil.com a\\@b.c");
	CHECK_STR(esc("gpt-4o-mini 12:30", ESC_MD), "gpt-4o-mini 12:30");
	CHECK_STR(esc("line\nbreak", ESC_MD), "line\\x0abreak");
	CHECK_STR(esc("q\"b\\\n\t\x1b\x7f\xc2\x9b\xe2\x80\xae\xff", ESC_JSON),
		  "q\\\"b\\\\\\n\\t\\u001b\\u007f\\u009b\\u202e\\ufffd");
}

TEST(escape_printf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	esc_printf(f, "\r\033[K%s line %lld: %.5s|%-6s|%5zu|%c%%\n", "p\x1b]0;x\x07", 12LL,
		   "abcdefgh", "ok", (size_t)42, 'c');
	fclose(f);
	CHECK_STR(buf, "\r\033[Kp\\x1b]0;x\\x07 line 12: abcde|ok    |   42|c%\n");
	free(buf);
}

static char *render(struct lc_table *t, enum lc_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	table_print(t, f, fmt, 0);
	fclose(f);
	return buf;
}

TEST(table_csv_defused)
{
	struct lc_table *t = table_new();
	char *s;

	table_col(t, "name", "name", 0);
	table_col(t, "cost", "cost", TABLE_RIGHT | TABLE_NUMBER);
	table_cell(t, "-1+cmd|' /C calc'!A0");
	table_cell(t, "-2.50"); /* a negative number we computed: plain */
	table_cell(t, "+2+3+HYPERLINK(\"http://x\")");
	table_none(t); /* missing: an empty cell, not '- */
	table_cell(t, "@SUM(1)");
	table_cell(t, "=1+2"); /* not a number in a number column: text, defused */
	table_cell(t, "\tx");
	table_cell(t, NULL);
	table_cell(t, "\rx");
	table_cell(t, "1e3");
	table_cell(t, "a;b");
	table_cell(t, "0");
	table_cell(t, "x");
	table_cell(t, "007"); /* not a JSON number: text */
	s = render(t, LC_FMT_CSV);
	CHECK_STR(s, "name,cost\n"
		     "\"'-1+cmd|' /C calc'!A0\",-2.50\n"
		     "\"'+2+3+HYPERLINK(\"\"http://x\"\")\",\n"
		     "\"'@SUM(1)\",\"'=1+2\"\n"
		     "\"'\\x09x\",\n"
		     "\"'\\x0dx\",1e3\n"
		     "\"a;b\",0\n"
		     "x,007\n");
	free(s);
	s = render(t, LC_FMT_JSON);
	CHECK(strstr(s, "\"cost\": -2.50") != NULL);
	CHECK(strstr(s, "\"cost\": null") != NULL);
	CHECK(strstr(s, "\"cost\": \"=1+2\"") != NULL);
	CHECK(strstr(s, "\"name\": \"\\tx\"") != NULL);
	CHECK(strstr(s, "\"cost\": \"007\"") != NULL);
	free(s);
	s = render(t, LC_FMT_TEXT);
	CHECK(strstr(s, "\n-1+cmd|' /C calc'!A0        -2.50\n") != NULL);
	CHECK(strstr(s, "\n+2+3+HYPERLINK(\"http://x\")      -\n") != NULL);
	CHECK(strstr(s, "\\x09x") != NULL);
	free(s);
	table_free(t);
}

TEST(table_text_md_html_escaped)
{
	struct lc_table *t = table_new();
	char *s;

	table_col(t, "model", "model", 0);
	table_cell(t, "evil\xc2\x9b" "2J\x1b[31m\xe2\x80\xae\x9b");
	table_cell(t, "![x](https://evil/t.png)");
	s = render(t, LC_FMT_TEXT);
	CHECK_STR(s, "model\nevil\\u009b2J\\x1b[31m\\u202e\\x9b\n![x](https://evil/t.png)\n");
	free(s);
	s = render(t, LC_FMT_MD);
	CHECK_STR(s, "| model |\n| --- |\n| evil\\u009b2J\\x1b\\[31m\\u202e\\x9b |\n"
		     "| \\!\\[x\\]\\(https\\://evil/t.png\\) |\n");
	free(s);
	s = render(t, LC_FMT_HTML);
	CHECK(strstr(s, "<td>evil\\u009b2J\\x1b[31m\\u202e\\x9b</td>") != NULL);
	free(s);
	table_free(t);
}

int main(void)
{
	RUN(escape_term);
	RUN(escape_formats);
	RUN(escape_printf);
	RUN(table_csv_defused);
	RUN(table_text_md_html_escaped);
	return harness_done();
}

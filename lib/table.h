/*
 * table.h - one table, four renderings: aligned text that fits the terminal,
 * CSV (RFC 4180, spreadsheet-formula cells defused), JSON (an array of
 * objects, numbers written from exact decimal text), Markdown and an HTML
 * <table> (escaped; the columns of the text rendering).
 *
 * Build a table column by column, then cell by cell in row order.  Cells are
 * copied.  Listing commands share this so every --json/--csv/--md behaves the
 * same.
 */
#ifndef LC_TABLE_H
#define LC_TABLE_H

#include <stdio.h>

#include "escape.h" /* utf8_len, and how cells are escaped */

enum lc_format { LC_FMT_TEXT, LC_FMT_JSON, LC_FMT_CSV, LC_FMT_MD, LC_FMT_HTML };

/*
 * The kind of a column's cells is explicit: without TABLE_NUMBER a cell is
 * text (it may have come from input: it is escaped in every format and
 * defused in CSV); with it, a number we computed, written plainly in JSON
 * and CSV (a negative number stays a number).  A TABLE_NUMBER cell that is
 * not a plain decimal number is written as text.
 */
#define TABLE_RIGHT 1   /* right-align in text (numbers) */
#define TABLE_NUMBER 2  /* a computed number: plain in JSON and CSV */
#define TABLE_HIDE_TEXT 4 /* leave out of text and Markdown (JSON/CSV only) */

/*
 * What a column is for, when the text rendering must fit a width: the
 * table's key (what a row is: a date, a model) and its answers (cost,
 * total, price, status, what-if costs) are always shown; the other columns
 * are dropped when the table does not fit, in TABLE_DROP order.
 */
#define TABLE_KEY 8     /* never dropped (may be shortened with "...") */
#define TABLE_ANSWER 16 /* never dropped nor shortened */
/* The n-th column to drop (n = 1..15, 1 first); columns without one are
   dropped after those, the rightmost first. */
#define TABLE_DROP(n) ((n) << 8)

/*
 * How text, Markdown and HTML show a number cell (JSON and CSV write the
 * cell exactly as given).  A cell that is not a plain decimal number
 * ("unpriced", a missing value) is shown as it is.
 */
#define TABLE_COUNT 32 /* a whole number: digits grouped, "1,234,567" */
#define TABLE_USD 64   /* an amount in USD, exact decimal text (at most 9
			  decimals), optionally followed by a marker ('*' or '!'):
			  money_format_usd ("$1,234.57", "$0.0035") and '*' */
#define TABLE_PRICE 128 /* a price, exact decimal text: money_format_price
			   ("2.50", "0.0375", "1,250.00") */

struct lc_table;

/* A new empty table; NULL when out of memory. */
struct lc_table *table_new(void);
void table_free(struct lc_table *t);

/* Add a column: header text for text/CSV/MD, key for JSON, TABLE_* flags. */
void table_col(struct lc_table *t, const char *header, const char *key, int flags);

/* A shorter header for the last column added, used in text before any
   column is shortened or dropped ("c.write" for "cache write"). */
void table_abbr(struct lc_table *t, const char *header);

/* The next cell, in row-major order.  NULL is an empty cell / JSON null. */
void table_cell(struct lc_table *t, const char *text);
/* The next cell is a missing value: "-" in text, Markdown and HTML, an
   empty CSV cell, JSON null. */
void table_none(struct lc_table *t);
void table_cellf(struct lc_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int table_rows(const struct lc_table *t);

/*
 * Render to out.  width is the terminal width for LC_FMT_TEXT (0 = no limit,
 * as with --wide).  When the table is wider, in this order until it fits:
 * headers take their table_abbr() form; text columns other than answers
 * are shortened to 24 columns with "..."; columns other than the key and
 * answers are dropped (TABLE_DROP order); text columns are shortened to 8.
 * A line after the table names the dropped columns ("hidden: cache read,
 * reasoning -- use --wide or --json").  When the key and answers alone do
 * not fit, they are still shown, wider than width.
 * Every cell and header is escaped for the format through esc_write()
 * (escape.h): controls, C1, bidi controls and invalid UTF-8 as \xNN/\uXXXX
 * (JSON: \u escapes), Markdown syntax backslash-escaped, HTML as character
 * references; CSV text cells are defused (see table.c).  Returns 0, or -1
 * when writing failed (check ferror(out)).
 */
int table_print(struct lc_table *t, FILE *out, enum lc_format fmt, int width);

/* The table as a JSON array of row objects written as one value with j
   (what table_print writes for LC_FMT_JSON, without the final newline). */
struct json_out;
void table_json(struct lc_table *t, struct json_out *j);

/*
 * Print text, a paragraph, wrapped at its spaces to lines of at most width
 * columns (0: as it is; a word wider than width stays whole), then a
 * newline.  Text is written as given: escape what came from input first.
 * For the sentences around a table, so they fit the width it fits.
 */
void table_wrap(FILE *out, const char *text, int width);

/* Terminal width of stdout when it is a terminal, else 0 ($COLUMNS wins). */
int table_term_width(void);

#endif

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

struct lc_table;

/* A new empty table; NULL when out of memory. */
struct lc_table *table_new(void);
void table_free(struct lc_table *t);

/* Add a column: header text for text/CSV/MD, key for JSON, TABLE_* flags. */
void table_col(struct lc_table *t, const char *header, const char *key, int flags);

/* The next cell, in row-major order.  NULL is an empty cell / JSON null. */
void table_cell(struct lc_table *t, const char *text);
/* The next cell is a missing value: "-" in text, Markdown and HTML, an
   empty CSV cell, JSON null. */
void table_none(struct lc_table *t);
void table_cellf(struct lc_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int table_rows(const struct lc_table *t);

/*
 * Render to out.  width is the terminal width for LC_FMT_TEXT (0 = no limit):
 * when the table is wider, the widest left-aligned columns are shortened
 * with "...".  Every cell and header is escaped for the format through
 * esc_write() (escape.h): controls, C1, bidi controls and invalid UTF-8 as
 * \xNN/\uXXXX (JSON: \u escapes), Markdown syntax backslash-escaped, HTML
 * as character references; CSV text cells are defused (see table.c).  Returns 0, or -1 when writing failed (check ferror(out)).
 */
int table_print(struct lc_table *t, FILE *out, enum lc_format fmt, int width);

/* The table as a JSON array of row objects written as one value with j
   (what table_print writes for LC_FMT_JSON, without the final newline). */
struct json_out;
void table_json(struct lc_table *t, struct json_out *j);

/* Terminal width of stdout when it is a terminal, else 0 ($COLUMNS wins). */
int table_term_width(void);

#endif

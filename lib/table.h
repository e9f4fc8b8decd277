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

enum lc_format { LC_FMT_TEXT, LC_FMT_JSON, LC_FMT_CSV, LC_FMT_MD, LC_FMT_HTML };

#define TABLE_RIGHT 1   /* right-align in text (numbers) */
#define TABLE_NUMBER 2  /* JSON: write the cell text as a number, not a string */
#define TABLE_HIDE_TEXT 4 /* leave out of text and Markdown (JSON/CSV only) */

struct lc_table;

/* A new empty table; NULL when out of memory. */
struct lc_table *table_new(void);
void table_free(struct lc_table *t);

/* Add a column: header text for text/CSV/MD, key for JSON, TABLE_* flags. */
void table_col(struct lc_table *t, const char *header, const char *key, int flags);

/* The next cell, in row-major order.  NULL is an empty cell / JSON null. */
void table_cell(struct lc_table *t, const char *text);
void table_cellf(struct lc_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int table_rows(const struct lc_table *t);

/*
 * Render to out.  width is the terminal width for LC_FMT_TEXT (0 = no limit):
 * when the table is wider, the widest left-aligned columns are shortened
 * with "...".  Control characters in cells are replaced by '?' in text and
 * Markdown.  Returns 0, or -1 when writing failed (check ferror(out)).
 */
int table_print(struct lc_table *t, FILE *out, enum lc_format fmt, int width);

/* Terminal width of stdout when it is a terminal, else 0 ($COLUMNS wins). */
int table_term_width(void);

/*
 * The length (1-4) of the valid UTF-8 sequence at s, or 0 when it is not
 * valid UTF-8 (overlong forms, surrogates, code points above U+10FFFF).
 */
int utf8_len(const unsigned char *s);

/* Write s as a JSON string literal (with quotes), escaping as RFC 8259 asks;
   invalid UTF-8 becomes U+FFFD. */
void json_put_string(FILE *out, const char *s);

#endif

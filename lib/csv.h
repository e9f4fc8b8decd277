/*
 * csv.h - an RFC 4180 reader shared by the built-in data loader and the CSV
 * ingesters (price lists and usage).
 *
 * Quoted fields may hold commas, quotes ("") and newlines.  CRLF is accepted.
 * A UTF-8 BOM at the very start is skipped.  Lines are counted physically, so
 * an error can name the line a user sees in an editor.  The reader works on a
 * memory buffer or streams from a FILE with a bounded record size.
 */
#ifndef LC_CSV_H
#define LC_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_RECORD (1 << 20) /* 1 MiB per record */

struct csv {
	const char *name; /* file name for messages */
	/* memory source */
	const char *mem;
	size_t memlen, pos;
	/* stream source */
	FILE *fp;
	/* the current record */
	char *buf;
	size_t cap, len;
	size_t off[CSV_MAX_FIELDS];
	size_t flen[CSV_MAX_FIELDS];
	int nfields;
	long line;      /* physical line where the current record starts (1-based) */
	long next_line; /* physical line where the next record starts */
	int eof;
	int bom_checked;
	int bare_errors; /* 1: csv_next's record errors without the "'<name>' line N: "
			    context (a caller that names the line itself sets it) */
};

/* Read from memory; name is used in messages.  Never fails. */
void csv_init_mem(struct csv *c, const char *name, const char *data, size_t len);
/* Read from an open FILE (not closed by csv_release). */
void csv_init_file(struct csv *c, const char *name, FILE *fp);
void csv_release(struct csv *c);

/*
 * Read the next record.  Returns 1 when a record was read, 0 at end of input,
 * -1 on a malformed record (unterminated quote, text after a closing quote,
 * NUL byte, too many fields, record over CSV_MAX_RECORD) with LC_EDATA and a
 * message "'<name>' line N: ..." in err (just "..." with c->bare_errors).
 * Blank lines are skipped.
 */
int csv_next(struct csv *c, struct lc_err *err);

/* Field i of the current record (NUL-terminated, valid until the next csv_next). */
const char *csv_field(const struct csv *c, int i);
size_t csv_field_len(const struct csv *c, int i);

/*
 * Map a header record onto wanted column names: idx[k] receives the field
 * index of names[k] or -1.  Returns -1 (LC_EDATA) naming the first missing
 * name whose required[k] is set, or a duplicate header name.
 */
int csv_header_map(const struct csv *c, const char *const *names, const int *required,
		   int n, int *idx, struct lc_err *err);

#endif

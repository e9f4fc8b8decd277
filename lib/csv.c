/*
 * csv.c - RFC 4180 reader; see csv.h.
 *
 * One state machine serves both sources: getc_() yields the next byte from
 * memory or from the FILE.  The record buffer grows up to CSV_MAX_RECORD, so a
 * hostile file cannot make memory grow without bound.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init_mem(struct csv *c, const char *name, const char *data, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->mem = data;
	c->memlen = len;
	c->next_line = 1;
}

void csv_init_file(struct csv *c, const char *name, FILE *fp)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->fp = fp;
	c->next_line = 1;
}

void csv_release(struct csv *c)
{
	free(c->buf);
	c->buf = NULL;
	c->cap = c->len = 0;
}

/* A malformed record at `line`: LC_EDATA, "'<name>' line N: <what>", or
   <what> alone when the caller names the place (c->bare_errors). */
__attribute__((format(printf, 4, 5)))
static int bad(const struct csv *c, struct lc_err *err, long line, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->bare_errors)
		return lc_errf(err, LC_EDATA, "%s", what);
	return lc_errf(err, LC_EDATA, "'%s' line %ld: %s", c->name, line, what);
}

static int getc_(struct csv *c)
{
	if (c->fp)
		return getc(c->fp);
	if (c->pos >= c->memlen)
		return EOF;
	return (unsigned char)c->mem[c->pos++];
}

static void ungetc_(struct csv *c, int ch)
{
	if (ch == EOF)
		return;
	if (c->fp)
		ungetc(ch, c->fp);
	else
		c->pos--;
}

static int put(struct csv *c, char ch, struct lc_err *err)
{
	if (c->len + 1 >= c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256;
		char *nb;

		if (ncap > CSV_MAX_RECORD + 1)
			ncap = CSV_MAX_RECORD + 1;
		if (c->len + 1 >= ncap)
			return bad(c, err, c->line, "record longer than %d bytes", CSV_MAX_RECORD);
		nb = realloc(c->buf, ncap);
		if (!nb)
			return lc_errf(err, LC_ERUNTIME, "out of memory");
		c->buf = nb;
		c->cap = ncap;
	}
	c->buf[c->len++] = ch;
	return 0;
}

static int end_field(struct csv *c, size_t start, struct lc_err *err)
{
	if (c->nfields >= CSV_MAX_FIELDS)
		return bad(c, err, c->line, "more than %d fields", CSV_MAX_FIELDS);
	if (put(c, '\0', err))
		return -1;
	c->off[c->nfields] = start;
	c->flen[c->nfields] = c->len - 1 - start;
	c->nfields++;
	return 0;
}

int csv_next(struct csv *c, struct lc_err *err)
{
	int ch;

	if (c->eof)
		return 0;
	if (!c->bom_checked) {
		int a, b, d;

		c->bom_checked = 1;
		a = getc_(c);
		if (a == 0xEF) {
			b = getc_(c);
			d = getc_(c);
			if (!(b == 0xBB && d == 0xBF))
				return lc_errf(err, LC_EDATA, "'%s' line 1: invalid UTF-8", c->name);
		} else if (a == 0xFF || a == 0xFE) {
			return lc_errf(err, LC_EDATA,
				       "'%s' is UTF-16 text: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)",
				       c->name);
		} else {
			ungetc_(c, a);
		}
	}
	for (;;) { /* skip blank lines */
		ch = getc_(c);
		if (ch == '\r') {
			int n = getc_(c);
			if (n != '\n')
				ungetc_(c, n);
			c->next_line++;
			continue;
		}
		if (ch == '\n') {
			c->next_line++;
			continue;
		}
		break;
	}
	if (ch == EOF) {
		c->eof = 1;
		return 0;
	}
	c->line = c->next_line;
	c->len = 0;
	c->nfields = 0;
	for (;;) {
		size_t start = c->len;

		if (ch == '"') {
			for (;;) {
				ch = getc_(c);
				if (ch == EOF)
					return bad(c, err, c->line, "unterminated quoted field");
				if (ch == '"') {
					ch = getc_(c);
					if (ch == '"') {
						if (put(c, '"', err))
							return -1;
						continue;
					}
					break;
				}
				if (ch == '\n')
					c->next_line++;
				if (ch == '\0')
					return bad(c, err, c->next_line, "NUL byte");
				if (put(c, (char)ch, err))
					return -1;
			}
			if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF)
				return bad(c, err, c->line, "text after a closing quote in field %d",
					   c->nfields + 1);
		} else {
			while (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
				if (ch == '\0')
					return bad(c, err, c->line, "NUL byte");
				if (ch == '"')
					return bad(c, err, c->line, "quote inside unquoted field %d",
						   c->nfields + 1);
				if (put(c, (char)ch, err))
					return -1;
				ch = getc_(c);
			}
		}
		if (end_field(c, start, err))
			return -1;
		if (ch == ',') {
			ch = getc_(c);
			continue;
		}
		if (ch == '\r') {
			int n = getc_(c);
			if (n != '\n')
				ungetc_(c, n);
		}
		if (ch == EOF)
			c->eof = 1;
		else
			c->next_line++;
		return 1;
	}
}

const char *csv_field(const struct csv *c, int i)
{
	if (i < 0 || i >= c->nfields)
		return "";
	return c->buf + c->off[i];
}

size_t csv_field_len(const struct csv *c, int i)
{
	if (i < 0 || i >= c->nfields)
		return 0;
	return c->flen[i];
}

int csv_header_map(const struct csv *c, const char *const *names, const int *required,
		   int n, int *idx, struct lc_err *err)
{
	for (int k = 0; k < n; k++) {
		idx[k] = -1;
		for (int i = 0; i < c->nfields; i++) {
			if (strcmp(csv_field(c, i), names[k]) != 0)
				continue;
			if (idx[k] >= 0)
				return lc_errf(err, LC_EDATA, "'%s' line %ld: duplicate column '%s'",
					       c->name, c->line, names[k]);
			idx[k] = i;
		}
		if (idx[k] < 0 && required && required[k])
			return lc_errf(err, LC_EDATA, "'%s' line %ld: missing column '%s'", c->name,
				       c->line, names[k]);
	}
	return 0;
}

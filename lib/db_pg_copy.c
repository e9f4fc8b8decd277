/*
 * db_pg_copy.c - COPY in and out of the team store, in PostgreSQL's text
 * format: one row a line, fields split by tabs, \N for NULL, and the
 * backslash escapes of tab, newline, carriage return and backslash.  A
 * million records go in or out in one statement instead of a round trip
 * each.
 */
#include "db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- out ---- */

static PGresult *copy_res(struct db_remote *r)
{
	return PQgetResult(r->conn);
}

int pg_copy_out_start(struct db_remote *r, const char *sql, struct lc_err *err)
{
	PGresult *res;

	pg_push_wait(r, NULL);
	res = PQexec(r->conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_OUT)
		return pg_fail(r, res, err, "reading from the team store");
	PQclear(res);
	return 0;
}

static char unescape1(char c)
{
	switch (c) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	default: return c;
	}
}

void pg_copy_split(struct pg_copy_out *c, char *line)
{
	char *p = line;

	c->n = 0;
	for (;;) {
		char *start = p, *w = p;
		int end;

		if (p[0] == '\\' && p[1] == 'N' && (p[2] == '\t' || p[2] == '\0')) {
			if (c->n < (int)ARRAY_SIZE(c->f))
				c->f[c->n++] = NULL;
			if (p[2] == '\0')
				return;
			p += 3;
			continue;
		}
		while (*p && *p != '\t') {
			if (*p == '\\' && p[1]) {
				*w++ = unescape1(p[1]);
				p += 2;
			} else {
				*w++ = *p++;
			}
		}
		end = *p == '\0';
		*w = '\0';
		if (c->n < (int)ARRAY_SIZE(c->f))
			c->f[c->n++] = start;
		if (end)
			return;
		p++;
	}
}

int pg_copy_row(struct db_remote *r, struct pg_copy_out *c, struct lc_err *err)
{
	char *buf = NULL;
	int n;

	if (c->line) {
		PQfreemem(c->line);
		c->line = NULL;
	}
	n = PQgetCopyData(r->conn, &buf, 0);
	if (n == -1) { /* done: the command's result follows */
		PGresult *res = copy_res(r);

		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return pg_fail(r, res, err, "reading from the team store");
		PQclear(res);
		while ((res = copy_res(r)))
			PQclear(res);
		return 0;
	}
	if (n < 0)
		return pg_fail(r, NULL, err, "reading from the team store");
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	c->line = buf;
	pg_copy_split(c, buf);
	return 1;
}

/* ---- in ---- */

int pg_copy_in_start(struct db_remote *r, const char *sql, struct lc_err *err)
{
	PGresult *res;

	pg_push_wait(r, NULL);
	res = PQexec(r->conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN)
		return pg_fail(r, res, err, "writing to the team store");
	PQclear(res);
	return 0;
}

static void put(struct pg_copy_in *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 4096;
		b->buf = xrealloc(b->buf, b->cap);
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

static void sep(struct pg_copy_in *b)
{
	if (b->len && b->buf[b->len - 1] != '\n')
		put(b, "\t", 1);
}

void pg_copy_text(struct pg_copy_in *b, const char *s)
{
	sep(b);
	if (!s) {
		put(b, "\\N", 2);
		return;
	}
	for (const char *p = s;;) {
		size_t plain = strcspn(p, "\\\t\n\r"); /* the run that needs no escape */

		put(b, p, plain);
		p += plain;
		switch (*p) {
		case '\0': return;
		case '\\': put(b, "\\\\", 2); break;
		case '\t': put(b, "\\t", 2); break;
		case '\n': put(b, "\\n", 2); break;
		default: put(b, "\\r", 2); break;
		}
		p++;
	}
}

void pg_copy_int(struct pg_copy_in *b, int64_t v)
{
	char t[24], *p = t + sizeof(t);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	sep(b);
	put(b, p, (size_t)(t + sizeof(t) - p));
}

void pg_copy_null(struct pg_copy_in *b)
{
	sep(b);
	put(b, "\\N", 2);
}

void pg_copy_row_text(struct pg_copy_in *b, const char *row, size_t n)
{
	put(b, row, n);
}

void pg_copy_end_row(struct pg_copy_in *b)
{
	put(b, "\n", 1);
}

int pg_copy_flush(struct db_remote *r, struct pg_copy_in *b, struct lc_err *err)
{
	if (b->len && PQputCopyData(r->conn, b->buf, (int)b->len) != 1)
		return pg_fail(r, NULL, err, "writing to the team store");
	b->len = 0;
	return 0;
}

int pg_copy_in_end(struct db_remote *r, struct pg_copy_in *b, struct lc_err *err)
{
	PGresult *res;
	int bad = 0;

	if (pg_copy_flush(r, b, err))
		bad = 1;
	if (PQputCopyEnd(r->conn, bad ? "aborted" : NULL) != 1)
		return bad ? -1 : pg_fail(r, NULL, err, "writing to the team store");
	res = PQgetResult(r->conn);
	if (!bad && PQresultStatus(res) != PGRES_COMMAND_OK) {
		bad = 1;
		pg_fail(r, res, err, "writing to the team store");
		res = NULL;
	}
	PQclear(res);
	while ((res = PQgetResult(r->conn)))
		PQclear(res);
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
	return bad ? -1 : 0;
}

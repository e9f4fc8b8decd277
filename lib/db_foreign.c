/*
 * db_foreign.c - see db_foreign.h.  The generic half of what was the llm
 * reader in db_usage.c; the llm schema moved to ingest/usage_llm.c.
 */
#include "db_foreign.h"

#include <sqlite3.h>
#include <stdlib.h>

struct lc_fdb {
	sqlite3 *h;
	const char *path;
};

struct fdb_row {
	sqlite3_stmt *st;
};

int fdb_open(const char *path, const char *what, struct lc_fdb **out, struct lc_err *err)
{
	sqlite3 *h = NULL;

	*out = NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		lc_errf(err, LC_EDATA, "cannot open '%s': %s", path,
			h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_exec(h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		lc_errf(err, LC_EDATA, "'%s' is not %s: %s", path, what, sqlite3_errmsg(h));
		sqlite3_close(h);
		return -1;
	}
	if (!(*out = malloc(sizeof(**out)))) {
		sqlite3_close(h);
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	(*out)->h = h;
	(*out)->path = path;
	return 0;
}

void fdb_close(struct lc_fdb *f)
{
	if (!f)
		return;
	sqlite3_close(f->h);
	free(f);
}

int fdb_has_table(struct lc_fdb *f, const char *table)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(f->h, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int fdb_has_column(struct lc_fdb *f, const char *table, const char *col)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(f->h, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

enum fdb_type fdb_col_type(const struct fdb_row *r, int i)
{
	switch (sqlite3_column_type(r->st, i)) {
	case SQLITE_NULL:
		return FDB_NULL;
	case SQLITE_INTEGER:
		return FDB_INTEGER;
	default:
		return FDB_OTHER;
	}
}

const char *fdb_col_text(const struct fdb_row *r, int i)
{
	const unsigned char *v = sqlite3_column_text(r->st, i);

	return v ? (const char *)v : "";
}

int64_t fdb_col_int(const struct fdb_row *r, int i)
{
	return sqlite3_column_int64(r->st, i);
}

int fdb_select(struct lc_fdb *f, const char *sql, const char *what, fdb_row_fn fn, void *ctx,
	       struct lc_err *err)
{
	struct fdb_row row;
	int rc, r = 0;

	if (sqlite3_prepare_v2(f->h, sql, -1, &row.st, NULL) != SQLITE_OK)
		return lc_errf(err, LC_EDATA, "cannot read '%s' %s: %s", f->path, what,
			       sqlite3_errmsg(f->h));
	while ((rc = sqlite3_step(row.st)) == SQLITE_ROW)
		if ((r = fn(ctx, &row, err)) != 0)
			break;
	if (!r && rc != SQLITE_DONE)
		r = lc_errf(err, LC_EDATA, "cannot read '%s': %s", f->path, sqlite3_errmsg(f->h));
	sqlite3_finalize(row.st);
	return r;
}

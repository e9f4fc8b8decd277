/*
 * db_foreign.h - another program's SQLite file, opened read-only (the `llm`
 * tool's logs.db).  lib/ stays the only SQLite user; which tables and
 * columns to read is the caller's knowledge (ingest/usage_llm.c holds the
 * llm schema).  SQL given to fdb_select must be assembled from constant
 * fragments only, never from data.
 */
#ifndef LC_DB_FOREIGN_H
#define LC_DB_FOREIGN_H

#include <stdint.h>

#include "err.h"

struct lc_fdb;
struct fdb_row;

/*
 * Open path read-only (5 s busy timeout) and check that it reads as a
 * database.  -1 with LC_EDATA: "cannot open '<path>': ..." or "'<path>' is
 * not <what>: ...".
 */
int fdb_open(const char *path, const char *what, struct lc_fdb **out, struct lc_err *err);
void fdb_close(struct lc_fdb *f);

/* 1 when the database has the table, or the table has the column; else 0. */
int fdb_has_table(struct lc_fdb *f, const char *table);
int fdb_has_column(struct lc_fdb *f, const char *table, const char *col);

enum fdb_type { FDB_NULL, FDB_INTEGER, FDB_OTHER };

/* Column i of a row: its type, its text ("" for NULL; valid during the
   callback), its integer value (SQLite's conversion). */
enum fdb_type fdb_col_type(const struct fdb_row *r, int i);
const char *fdb_col_text(const struct fdb_row *r, int i);
int64_t fdb_col_int(const struct fdb_row *r, int i);

typedef int (*fdb_row_fn)(void *ctx, const struct fdb_row *r, struct lc_err *err);

/*
 * Run sql and call fn on each row; fn's non-zero return stops the scan and
 * is returned.  0 at the end; -1 with LC_EDATA when sql does not prepare
 * ("cannot read '<path>' <what>: <why>") or a step fails ("cannot read
 * '<path>': <why>").
 */
int fdb_select(struct lc_fdb *f, const char *sql, const char *what, fdb_row_fn fn, void *ctx,
	       struct lc_err *err);

#endif

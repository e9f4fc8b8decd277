/*
 * db_pg.h - the team store on PostgreSQL, internal to lib/db*.c (see
 * db_pg.c for its design).  Nothing outside lib/ includes it: commands
 * open a PostgreSQL store with db_open() like any other.
 */
#ifndef LC_LIB_DB_PG_H
#define LC_LIB_DB_PG_H

#include <stdint.h>

#include "db.h"
#include "err.h"

struct lc_usage_rec;

struct db_remote;

/* The part a connection plays for the team store (db.c keeps it). */
enum { DB_LOCAL = 0, DB_CACHE = 1, DB_STAGE = 2 };

/* ---- db.c, for db_pg*.c ---- */
int db_role(const struct lc_db *db);
struct db_remote *db_remote_of(const struct lc_db *db);
void db_attach_remote(struct lc_db *db, struct db_remote *r, int role);
/* A store in memory with the latest schema and no built-in data: the
   staging area of an ingest into the team store. */
int db_open_bare(struct lc_db **out, struct lc_err *err);
int db_exec(struct lc_db *db, const char *sql, struct lc_err *err, const char *what);

/* ---- db_pg.c ---- */
/* 1 when path names a PostgreSQL store: a postgresql:// or postgres:// URL,
   or libpq's keyword=value form (host=... dbname=..., service=NAME). */
int db_pg_wanted(const char *path);
/* Connect, create the store's tables when the schema lacks them, open the
   machine's cache of it and bring the cache up to date. */
int db_pg_open(struct lc_db **out, const char *conninfo, struct lc_err *err);
/* Called by db_commit before the local COMMIT: sends what the transaction
   changed to the server (a staging store's usage, a cache's catalogue). */
int db_pg_commit(struct lc_db *db, struct lc_err *err);
/* After the local COMMIT (the staging area is emptied). */
void db_pg_committed(struct lc_db *db);
void db_pg_free(struct db_remote *r);
/* The store's name for messages: the connection string without secrets. */
const char *db_pg_name(const struct db_remote *r);

/* ---- db_pg_push.c ---- */
int pg_usage_push(struct lc_db *stage, struct db_remote *r, struct lc_err *err);
void pg_usage_pushed(struct lc_db *stage);

/* ---- db_pg_usage.c ---- */
int pg_sync_rollups(struct lc_db *cache, struct db_remote *r, int want, struct lc_err *err);
int pg_sync_records(struct lc_db *cache, struct lc_err *err);
/* Before a read of usage: the team store's cache reads what `need` says
   from the server, once a process and again when it ingested since
   (statusline: ingest, then report): the rollup of totals (PG_TOTALS),
   the one per project, session and user (PG_SUMS), the records
   (PG_RECORDS).  A totals report reads only the first: a fifth of the rows
   of a million records'.  0 on any other store. */
enum { PG_TOTALS = 1, PG_SUMS = 2, PG_ROLLUPS = 3, PG_RECORDS = 4 };
int pg_fresh(struct lc_db *db, int need, struct lc_err *err);
/* Note a record whose newer copies replace stored ones (r->replace). */
int pg_stage_note(struct lc_db *stage, const struct lc_usage_rec *r, struct lc_err *err);
int pg_stage_open(struct lc_db *cache, struct db_remote *r, struct lc_db **out,
		  struct lc_err *err);

#endif

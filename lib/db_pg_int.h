/*
 * db_pg_int.h - shared by the team store's files (lib/db_pg*.c): the
 * connection's state and the helpers they share.  See db_pg.c.
 */
#ifndef LC_LIB_DB_PG_INT_H
#define LC_LIB_DB_PG_INT_H

#include <libpq-fe.h>
#include <pthread.h>

#include "db_pg.h"

/* The layout of the server's tables (meta.schema_version): a store of
   another layout is refused, never changed. */
#define PG_SCHEMA_VERSION 1

struct db_remote {
	PGconn *conn;
	char name[512];        /* for messages: no password */
	char machine[256];     /* resume points are this machine's */
	char store_id[64];     /* names the cache file */
	struct lc_db *cache;   /* the connection that owns this */
	struct lc_db *stage;   /* an ingest's staging store, opened on demand */
	int64_t push_dup, push_replaced; /* the pushes' verdicts (db_usage_push_stats) */
	struct lc_push_seen push_seen;   /* and their records' keys */
	int stale;             /* rollups (PG_TOTALS, PG_SUMS) the cache has not read
				  since the start or this process's last ingest */
	struct keybloom *keys; /* a large ingest's filter of the server's key_hash
				  values (db_pg_usage.c), complete as of change_seq
				  keys_seq; NULL: none (look every record up) */
	int64_t keys_seq;
	int keys_full;         /* the last one filled up: build the next whatever the size */
	struct job *job;       /* the push being sent (db_pg_push.c), by job_thread */
	pthread_t job_thread;
	int job_failed;        /* a push failed, as job_err says; the next wait says so */
	struct lc_err job_err;
};

/* The rollup tables' columns on the server. */
#define PG_SUMS_DDL                                                                       \
	"bucket bigint NOT NULL, dkey bytea NOT NULL, sidechain int NOT NULL,"             \
	" pclass int NOT NULL, model_raw text NOT NULL, model text NOT NULL,"             \
	" host text NOT NULL, project text NOT NULL, session text NOT NULL,"              \
	" service_tier text NOT NULL, speed text NOT NULL, user_name text NOT NULL,"      \
	" records bigint NOT NULL, input bigint NOT NULL, cache_read bigint NOT NULL,"    \
	" cache_write_5m bigint NOT NULL, cache_write_1h bigint NOT NULL,"                \
	" output bigint NOT NULL, reasoning bigint NOT NULL, requests bigint NOT NULL,"   \
	" web_searches bigint NOT NULL, audio_input bigint NOT NULL,"                     \
	" audio_output bigint NOT NULL, image_input bigint NOT NULL,"                     \
	" other_tokens bigint NOT NULL, logged_cost bigint NOT NULL,"                     \
	" logged_records bigint NOT NULL,"                                                 \
	" seq bigint NOT NULL DEFAULT nextval('change_seq'),"                              \
	" PRIMARY KEY (bucket, dkey, sidechain, pclass)"

/* db_pg_push.c */
void pg_keys_free(struct db_remote *r);
/* Wait for the push being sent, if any; -1 (and *err) when a push failed
   and no wait has said so yet (err NULL: keep it for the next). */
int pg_push_wait(struct db_remote *r, struct lc_err *err);

/* db_pg.c */
int pg_fail(struct db_remote *r, PGresult *res, struct lc_err *err, const char *what);
int pg_exec(struct db_remote *r, const char *sql, struct lc_err *err, const char *what);
PGresult *pg_query(struct db_remote *r, const char *sql, int n, const char *const *params,
		   struct lc_err *err, const char *what);
void pg_abort(struct db_remote *r);

/* db_pg_cat.c: the cache's own bookkeeping and the catalogue snapshots */
int pg_state_init(struct lc_db *cache, struct lc_err *err);
int64_t pg_state_get(struct lc_db *cache, const char *key);
int pg_state_set(struct lc_db *cache, const char *key, int64_t v, struct lc_err *err);
int pg_sync_catalogue(struct lc_db *cache, struct db_remote *r, struct lc_err *err);
int pg_watch_catalogue(struct lc_db *cache, struct lc_err *err);
int pg_push_catalogue(struct lc_db *cache, struct db_remote *r, struct lc_err *err);

/* db_pg_copy.c: COPY in and out, text format */
struct pg_copy_out {
	char *line;             /* the current row, unescaped in place */
	char *f[64];            /* its fields (NULL: SQL NULL) */
	int n;
};
/* Start COPY (sql) TO STDOUT; then pg_copy_row() until it returns 0 (end)
   or -1 (error). */
int pg_copy_out_start(struct db_remote *r, const char *sql, struct lc_err *err);
int pg_copy_row(struct db_remote *r, struct pg_copy_out *c, struct lc_err *err);
/* Split a row of COPY text (without its '\n') into c->f, unescaping in place. */
void pg_copy_split(struct pg_copy_out *c, char *line);
/* COPY table FROM STDIN: start, add rows (text, already escaped, ending
   '\n') through a buffer, end. */
struct pg_copy_in {
	char *buf;
	size_t len, cap;
};
int pg_copy_in_start(struct db_remote *r, const char *sql, struct lc_err *err);
void pg_copy_text(struct pg_copy_in *b, const char *s); /* escaped; NULL = \N */
void pg_copy_int(struct pg_copy_in *b, int64_t v);
void pg_copy_null(struct pg_copy_in *b);
void pg_copy_end_row(struct pg_copy_in *b);
/* n bytes already in COPY's text form (whole rows, or a row's start) */
void pg_copy_row_text(struct pg_copy_in *b, const char *row, size_t n);
int pg_copy_flush(struct db_remote *r, struct pg_copy_in *b, struct lc_err *err);
int pg_copy_in_end(struct db_remote *r, struct pg_copy_in *b, struct lc_err *err);

#endif

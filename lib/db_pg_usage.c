/*
 * db_pg_usage.c - usage in the team store (see db_pg.c): the staging area
 * an ingest writes to, and the cache's reading of the server's rollups and
 * records.
 *
 * Each commit of the staging area is pushed to the server by
 * db_pg_push.c.
 * The server's rows and the cache's differ only in how attributes are
 * kept: spelled out on the server, usage_dims ids in the cache.
 */
#include "db_pg_int.h"
#include "db_usage_int.h"

#include <stddef.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char temp_tables[] =
	"CREATE TEMP TABLE IF NOT EXISTS inc (natural_key text, group_len bigint,"
	" key_hash bigint, ts_ms bigint, bucket bigint, pclass int, format text,"
	" model_raw text, model text, host text, project text, session text,"
	" service_tier text, speed text, user_name text, machine text, line bigint,"
	" input bigint, cache_read bigint, cache_write_5m bigint, cache_write_1h bigint,"
	" output bigint, reasoning bigint, requests bigint, web_searches bigint,"
	" audio_input bigint, audio_output bigint, image_input bigint, other_tokens bigint,"
	" sidechain int, reported_cost bigint, tier_prompt bigint,"
	" op text NOT NULL DEFAULT 'new', target bigint) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS inkeys (lo bigint, hi bigint)"
	" ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS incs (kind int, bucket bigint, sidechain int,"
	" pclass int, model_raw text, model text, host text, project text, session text,"
	" service_tier text, speed text, user_name text, records bigint, input bigint,"
	" cache_read bigint, cache_write_5m bigint, cache_write_1h bigint, output bigint,"
	" reasoning bigint, requests bigint, web_searches bigint, audio_input bigint,"
	" audio_output bigint, image_input bigint, other_tokens bigint, logged_cost bigint,"
	" logged_records bigint, dkey bytea) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS incc (LIKE incs) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS incf (path text, format text, dev bigint,"
	" inode bigint, size bigint, mtime_ns bigint, head_len bigint, head_hash text,"
	" \"offset\" bigint, line bigint, state text, ingested_at text)"
	" ON COMMIT DELETE ROWS";

/* ---- the staging area ---- */

/* Mark a record whose newer copies replace stored ones (kept aside: the
   store's tables have no column for it). */
int pg_stage_note(struct lc_db *stage, const struct lc_usage_rec *r, struct lc_err *err)
{
	sqlite3_stmt *st = db_cached(stage, "INSERT OR IGNORE INTO temp.pg_replace VALUES (?)", err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(stage, err, "staging a usage record");
	return 0;
}

/* Load this machine's resume points from the server. */
static int load_files(struct lc_db *stage, struct db_remote *r, struct lc_err *err)
{
	const char *params[1] = { r->machine };
	PGresult *res = pg_query(r,
				 "SELECT path, format, dev, inode, size, mtime_ns, head_len, "
				 "head_hash, \"offset\", line, state, ingested_at FROM usage_files "
				 "WHERE machine = $1",
				 1, params, err, "reading the resume points");
	sqlite3_stmt *st;
	int rc = 0;

	if (!res)
		return -1;
	if (sqlite3_prepare_v2(db_handle(stage),
			       "INSERT INTO usage_files(path, format, dev, inode, size, mtime_ns, "
			       "head_len, head_hash, offset, line, state, ingested_at) "
			       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		PQclear(res);
		return db_fail(stage, err, "staging the resume points");
	}
	for (int i = 0; i < PQntuples(res) && !rc; i++) {
		for (int c = 0; c < 12; c++) {
			if (PQgetisnull(res, i, c))
				sqlite3_bind_null(st, c + 1);
			else if (c == 0 || c == 1 || c == 7 || c >= 10)
				sqlite3_bind_text(st, c + 1, PQgetvalue(res, i, c), -1,
						  SQLITE_TRANSIENT);
			else
				sqlite3_bind_int64(st, c + 1, usage_num(PQgetvalue(res, i, c)));
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(stage, err, "staging the resume points");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	PQclear(res);
	return rc;
}

int pg_stage_open(struct lc_db *cache, struct db_remote *r, struct lc_db **out,
		  struct lc_err *err)
{
	struct lc_db *stage;

	(void)cache;
	if (db_open_bare(&stage, err))
		return -1;
	if (db_exec(stage,
		    "CREATE TEMP TABLE pg_replace (k TEXT PRIMARY KEY);"
		    "CREATE TEMP TABLE pg_files_dirty (id INTEGER PRIMARY KEY);",
		    err, "opening the staging area") ||
	    load_files(stage, r, err) ||
	    db_exec(stage,
		    "CREATE TEMP TRIGGER pg_f_ins AFTER INSERT ON main.usage_files BEGIN "
		    "INSERT INTO pg_files_dirty SELECT new.id WHERE NOT EXISTS "
		    "(SELECT 1 FROM pg_files_dirty WHERE id = new.id); END;"
		    "CREATE TEMP TRIGGER pg_f_upd AFTER UPDATE ON main.usage_files BEGIN "
		    "INSERT INTO pg_files_dirty SELECT new.id WHERE NOT EXISTS "
		    "(SELECT 1 FROM pg_files_dirty WHERE id = new.id); END;",
		    err, "opening the staging area") ||
	    pg_exec(r, temp_tables, err, "preparing an ingest")) {
		db_close(stage);
		return -1;
	}
	db_attach_remote(stage, r, DB_STAGE);
	*out = stage;
	return 0;
}

/* ---- the cache reads the server ---- */

#define SUMS_COLS                                                                         \
	"bucket, sidechain, pclass, model_raw, model, host, project, session, "             \
	"service_tier, speed, user_name, records, " V_COLS ", logged_cost, logged_records, seq"
enum { S_BUCKET, S_SIDE, S_PCLASS, S_ATTR0, S_RECORDS = S_ATTR0 + 8, S_V0,
       S_LOGGED = S_V0 + NV, S_LOGGED_N, S_SEQ, S_N };

/* The server's rollup row f into st's parameters (?1 bucket, ?2 dim,
   ?3 sidechain, ?4 pclass, then the counts). */
static void bind_sum(sqlite3_stmt *st, char **f, int64_t dim)
{
	sqlite3_bind_int64(st, 1, usage_num(f[S_BUCKET]));
	sqlite3_bind_int64(st, 2, dim);
	sqlite3_bind_int64(st, 3, usage_num(f[S_SIDE]));
	sqlite3_bind_int64(st, 4, usage_num(f[S_PCLASS]));
	sqlite3_bind_int64(st, 5, usage_num(f[S_RECORDS]));
	for (int i = 0; i < NV; i++)
		sqlite3_bind_int64(st, 6 + i, usage_num(f[S_V0 + i]));
	sqlite3_bind_int64(st, 6 + NV, usage_num(f[S_LOGGED]));
	sqlite3_bind_int64(st, 7 + NV, usage_num(f[S_LOGGED_N]));
}

#define SUM_PARAMS "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"
#define SUM_SET                                                                           \
	" SET (records, " V_COLS ", logged_cost, logged_records) = "                        \
	"(?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19) "                          \
	"WHERE bucket = ?1 AND dim = ?2 AND sidechain = ?3 AND pclass = ?4"

/* The rollup row f of the server as the cache's row of table (0: usage_sums,
   1: usage_total_sums): inserted, or else updated (not INSERT OR REPLACE,
   whose every row costs a statement journal of whole pages). */
static int put_sum(struct lc_db *cache, int table, char **f, struct lc_usage_rec *rec,
		   struct lc_err *err)
{
	static const char *const ins[] = {
		"INSERT OR IGNORE INTO usage_sums(bucket, dim, sidechain, pclass, records, " V_COLS
		", logged_cost, logged_records) VALUES " SUM_PARAMS,
		"INSERT OR IGNORE INTO usage_total_sums(bucket, dim, sidechain, pclass, records, "
		V_COLS ", logged_cost, logged_records) VALUES " SUM_PARAMS,
	};
	static const char *const upd[] = {
		"UPDATE usage_sums" SUM_SET,
		"UPDATE usage_total_sums" SUM_SET,
	};
	sqlite3_stmt *st = db_cached(cache, ins[table], err);
	struct dims d;

	if (!st)
		return -1;
	memset(rec, 0, offsetof(struct lc_usage_rec, project));
	rec->format = "";
	LC_COPY(rec->model_raw, f[S_ATTR0] ? f[S_ATTR0] : "");
	LC_COPY(rec->model, f[S_ATTR0 + 1] ? f[S_ATTR0 + 1] : "");
	LC_COPY(rec->host, f[S_ATTR0 + 2] ? f[S_ATTR0 + 2] : "");
	LC_COPY(rec->project, f[S_ATTR0 + 3] ? f[S_ATTR0 + 3] : "");
	LC_COPY(rec->session, f[S_ATTR0 + 4] ? f[S_ATTR0 + 4] : "");
	LC_COPY(rec->service_tier, f[S_ATTR0 + 5] ? f[S_ATTR0 + 5] : "");
	LC_COPY(rec->speed, f[S_ATTR0 + 6] ? f[S_ATTR0 + 6] : "");
	LC_COPY(rec->user, f[S_ATTR0 + 7] ? f[S_ATTR0 + 7] : "");
	if (rec_dims(cache, rec, &d, err))
		return -1;
	bind_sum(st, f, table ? d.tid : d.rid);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(cache, err, "updating the team store's cache");
	if (sqlite3_changes(db_handle(cache)) > 0)
		return 0;
	if (!(st = db_cached(cache, upd[table], err)))
		return -1;
	bind_sum(st, f, table ? d.tid : d.rid);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(cache, err, "updating the team store's cache");
	return 0;
}

static int sync_table(struct lc_db *cache, struct db_remote *r, int table,
		      struct lc_usage_rec *rec, struct lc_err *err)
{
	static const char *const names[] = { "usage_sums", "usage_total_sums" };
	struct pg_copy_out c = { 0 };
	char sql[512], key[32];
	int64_t seen = pg_state_get(cache, names[table]), top = seen;
	int rc;

	snprintf(key, sizeof(key), "%s", names[table]);
	snprintf(sql, sizeof(sql), "COPY (SELECT " SUMS_COLS " FROM %s WHERE seq > %lld) TO STDOUT",
		 names[table], (long long)seen);
	if (pg_copy_out_start(r, sql, err))
		return -1;
	while ((rc = pg_copy_row(r, &c, err)) == 1) {
		if (c.n != S_N) {
			rc = lc_errf(err, LC_EDB, "team store '%s': a rollup row has %d fields",
				     r->name, c.n);
			break;
		}
		if (put_sum(cache, table, c.f, rec, err)) {
			rc = -1;
			break;
		}
		if (usage_num(c.f[S_SEQ]) > top)
			top = usage_num(c.f[S_SEQ]);
	}
	if (rc == 1 || rc == -1) { /* stopped early: drain what the server sends */
		while (pg_copy_row(r, &c, NULL) == 1)
			;
		return -1;
	}
	return top > seen ? pg_state_set(cache, key, top, err) : 0;
}

int pg_sync_rollups(struct lc_db *cache, struct db_remote *r, int want, struct lc_err *err)
{
	struct lc_usage_rec *rec = xmalloc(sizeof(*rec));
	int rc = -1;

	if (db_begin(cache, err))
		goto out;
	if (((want & PG_SUMS) && sync_table(cache, r, 0, rec, err)) ||
	    ((want & PG_TOTALS) && sync_table(cache, r, 1, rec, err)) || db_commit(cache, err)) {
		db_rollback(cache);
		goto out;
	}
	rc = 0;
out:
	free(rec);
	return rc;
}

/* A record's values as put_record's parameters. */
static void bind_record(sqlite3_stmt *st, char **f, const struct lc_usage_rec *rec,
			const struct dims *d, const int64_t v[NV])
{
	sqlite3_bind_int64(st, 1, usage_num(f[R_N]));
	sqlite3_bind_text(st, 2, rec->key, -1, SQLITE_STATIC);
	if (rec->group[0])
		sqlite3_bind_int64(st, 3, (int64_t)strlen(rec->group));
	sqlite3_bind_int64(st, 4, rec->ts_ms);
	sqlite3_bind_int64(st, 5, d->id);
	sqlite3_bind_int64(st, 6, rec->line);
	for (int i = 0; i < NV; i++)
		sqlite3_bind_int64(st, 7 + i, v[i]);
	sqlite3_bind_int(st, 7 + NV, rec->sidechain);
	if (rec->has_reported_cost)
		sqlite3_bind_int64(st, 8 + NV, rec->reported_cost);
	if (rec->tier_prompt > 0)
		sqlite3_bind_int64(st, 9 + NV, rec->tier_prompt);
	sqlite3_bind_int64(st, 10 + NV, usage_key_hash(rec));
}

/* The server's record f (ROW order, then id and seq) into the cache. */
static int put_record(struct lc_db *cache, char **f, struct lc_usage_rec *rec,
		      struct lc_err *err)
{
	/* inserted, or else (a record a better copy replaced) updated: not
	   INSERT OR REPLACE, whose every row costs a statement journal */
	static const char *const sql[] = {
		"INSERT OR IGNORE INTO usage_calls(id, natural_key, group_len, ts_ms, dim, line, "
		V_COLS ", sidechain, reported_cost, tier_prompt, key_hash) VALUES "
		"(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)",
		"UPDATE usage_calls SET (natural_key, group_len, ts_ms, dim, line, " V_COLS
		", sidechain, reported_cost, tier_prompt, key_hash) = "
		"(?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22) "
		"WHERE id = ?1",
	};
	struct dims d;
	char fmt[32];
	int64_t v[NV];

	usage_rec_of(rec, (const char *const *)f, fmt);
	if (rec_dims(cache, rec, &d, err))
		return -1;
	counts_of(v, rec);
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *st = db_cached(cache, sql[k], err);

		if (!st)
			return -1;
		bind_record(st, f, rec, &d, v);
		if (sqlite3_step(st) != SQLITE_DONE)
			return db_fail(cache, err, "updating the team store's cache");
		if (sqlite3_changes(db_handle(cache)) > 0)
			return 0;
	}
	return 0;
}

int pg_sync_records(struct lc_db *cache, struct lc_err *err)
{
	struct db_remote *r = db_remote_of(cache);
	struct lc_usage_rec *rec;
	struct pg_copy_out c = { 0 };
	char sql[512];
	int64_t seen, top;
	int rc;

	if (db_role(cache) != DB_CACHE || !sqlite3_get_autocommit(db_handle(cache)))
		return 0; /* not the team store's cache, or inside a transaction: as it is */
	seen = top = pg_state_get(cache, "usage_calls");
	snprintf(sql, sizeof(sql),
		 "COPY (SELECT " ROW_COLS ", id, seq FROM usage_calls WHERE seq > %lld) TO STDOUT",
		 (long long)seen);
	if (db_begin(cache, err))
		return -1;
	if (pg_copy_out_start(r, sql, err)) {
		db_rollback(cache);
		return -1;
	}
	rec = xmalloc(sizeof(*rec));
	while ((rc = pg_copy_row(r, &c, err)) == 1) {
		if (c.n != R_N + 2) {
			rc = lc_errf(err, LC_EDB, "team store '%s': a record has %d fields", r->name,
				     c.n);
			break;
		}
		if (put_record(cache, c.f, rec, err)) {
			rc = -1;
			break;
		}
		if (usage_num(c.f[R_N + 1]) > top)
			top = usage_num(c.f[R_N + 1]);
	}
	free(rec);
	if (rc != 0) {
		while (pg_copy_row(r, &c, NULL) == 1)
			;
		db_rollback(cache);
		return -1;
	}
	if ((top > seen && pg_state_set(cache, "usage_calls", top, err)) || db_commit(cache, err)) {
		db_rollback(cache);
		return -1;
	}
	return 0;
}

int pg_fresh(struct lc_db *db, int need, struct lc_err *err)
{
	struct db_remote *r = db_remote_of(db);
	int want;

	if (db_role(db) != DB_CACHE || !sqlite3_get_autocommit(db_handle(db)))
		return 0;
	if ((want = need & r->stale) != 0) {
		if (pg_sync_rollups(db, r, want, err))
			return -1;
		r->stale &= ~want;
	}
	return need & PG_RECORDS ? pg_sync_records(db, err) : 0;
}

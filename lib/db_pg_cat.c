/*
 * db_pg_cat.c - the team store's catalogue: the user's own prices, models,
 * sources, plans and budgets (never the built-in data, which each binary
 * brings), kept on the server as numbered snapshots, each a small SQLite
 * database of those rows (see db_pg.c).  Also the cache's bookkeeping
 * (table pg_state: how far it has read each of the server's tables).
 */
#include "db_pg_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The catalogue's tables, parents first, and which of their rows are the
   user's own (the rest come from the binary). */
static const struct cat_table {
	const char *name, *own;
} cat[] = {
	{ "providers", "origin <> 'builtin'" },
	{ "models", "origin <> 'builtin'" },
	{ "model_aliases", "origin <> 'builtin'" },
	{ "sources", "name <> 'builtin'" },
	{ "fetches", "source_id IN (SELECT id FROM sources WHERE name <> 'builtin')" },
	{ "fetch_validators", "1" },
	{ "price_periods", "source_id IN (SELECT id FROM sources WHERE name <> 'builtin')" },
	{ "model_lifecycle", "origin <> 'builtin'" },
	{ "quality_scores", "origin <> 'builtin'" },
	{ "plans", "origin <> 'builtin'" },
	{ "budgets", "1" },
};

static int sq_fail(sqlite3 *h, struct lc_err *err, const char *what)
{
	return lc_errf(err, LC_EDB, "%s: %s", what, sqlite3_errmsg(h));
}

/* ---- the cache's bookkeeping ---- */

int pg_state_init(struct lc_db *cache, struct lc_err *err)
{
	return db_exec(cache,
		       "CREATE TABLE IF NOT EXISTS pg_state (key TEXT PRIMARY KEY, "
		       "value INTEGER NOT NULL) STRICT",
		       err, "preparing the team store's cache");
}

int64_t pg_state_get(struct lc_db *cache, const char *key)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db_handle(cache), "SELECT value FROM pg_state WHERE key = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int pg_state_set(struct lc_db *cache, const char *key, int64_t v, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_handle(cache),
			       "INSERT OR REPLACE INTO pg_state(key, value) VALUES (?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(cache, err, "updating the team store's cache");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(cache, err, "updating the team store's cache");
}

/* ---- snapshots ---- */

/* The columns of schema.table, comma-separated and quoted; their count. */
static int columns(sqlite3 *h, const char *schema, const char *table, char *out, size_t n)
{
	char sql[160];
	sqlite3_stmt *st;
	int count = 0;

	out[0] = '\0';
	snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s', '%s')", table,
		 schema);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "%s\"%s\"", count ? "," : "",
			 (const char *)sqlite3_column_text(st, 0));
		count++;
	}
	sqlite3_finalize(st);
	return count;
}

/* Copy the user's own rows of table t from one connection (inside its
   transaction, if any) to another whose table t has the same columns;
   *n counts them. */
static int copy_own(sqlite3 *from, sqlite3 *to, const struct cat_table *t, int64_t *n,
		    struct lc_err *err)
{
	char cols[2048], sql[4096], qs[256];
	sqlite3_stmt *rd = NULL, *wr = NULL;
	int nc = columns(from, "main", t->name, cols, sizeof(cols)), rc;

	if (nc <= 0 || nc > 60)
		return sq_fail(from, err, "reading the catalogue's columns");
	for (int i = 0; i < nc; i++)
		memcpy(qs + 2 * i, ",?", 3);
	qs[0] = ' ';
	snprintf(sql, sizeof(sql), "SELECT %s FROM main.%s WHERE %s", cols, t->name, t->own);
	if (sqlite3_prepare_v2(from, sql, -1, &rd, NULL) != SQLITE_OK)
		return sq_fail(from, err, "reading the catalogue");
	snprintf(sql, sizeof(sql), "INSERT INTO main.%s(%s) VALUES (%s)", t->name, cols, qs);
	if (sqlite3_prepare_v2(to, sql, -1, &wr, NULL) != SQLITE_OK) {
		sqlite3_finalize(rd);
		return sq_fail(to, err, "writing the catalogue");
	}
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		for (int i = 0; i < nc; i++)
			sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
		if (sqlite3_step(wr) != SQLITE_DONE) {
			rc = -1;
			break;
		}
		sqlite3_reset(wr);
		(*n)++;
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	if (rc != SQLITE_DONE)
		return rc == -1 ? sq_fail(to, err, "writing the catalogue")
				: sq_fail(from, err, "reading the catalogue");
	return 0;
}

/* Create table t in the snapshot being built as the cache defines it, and
   copy the cache's own rows into it. */
static int snap_table(sqlite3 *from, sqlite3 *to, const struct cat_table *t,
		      struct lc_err *err)
{
	char sql[160];
	sqlite3_stmt *rd = NULL;
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT sql FROM main.sqlite_master WHERE name = '%s'",
		 t->name);
	if (sqlite3_prepare_v2(from, sql, -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_step(rd) != SQLITE_ROW ||
	    sqlite3_exec(to, (const char *)sqlite3_column_text(rd, 0), NULL, NULL, NULL) !=
		    SQLITE_OK) {
		sqlite3_finalize(rd);
		return sq_fail(to, err, "building a catalogue snapshot");
	}
	sqlite3_finalize(rd);
	return copy_own(from, to, t, &n, err);
}

/* The number of the user's own catalogue rows in db. */
static int64_t own_rows(struct lc_db *db)
{
	int64_t total = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cat); i++) {
		char sql[256];
		sqlite3_stmt *st;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM main.%s WHERE %s", cat[i].name,
			 cat[i].own);
		if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
			continue;
		if (sqlite3_step(st) == SQLITE_ROW)
			total += sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return total;
}

int db_catalogue_copy(struct lc_db *from, struct lc_db *to, int64_t *rows, struct lc_err *err)
{
	*rows = 0;
	if (own_rows(to) > 0)
		return 1;
	if (db_begin(to, err))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(cat); i++)
		if (copy_own(db_handle(from), db_handle(to), &cat[i], rows, err)) {
			db_rollback(to);
			return -1;
		}
	return db_commit(to, err);
}

/* The user's own catalogue rows as a serialised SQLite database (the
   caller frees *out with sqlite3_free). */
static int build_snapshot(struct lc_db *cache, unsigned char **out, sqlite3_int64 *len,
			  struct lc_err *err)
{
	sqlite3 *snap;
	int rc = 0;

	if (sqlite3_open(":memory:", &snap) != SQLITE_OK) {
		sqlite3_close(snap);
		return lc_errf(err, LC_EDB, "building a catalogue snapshot: out of memory");
	}
	for (size_t i = 0; i < ARRAY_SIZE(cat) && !rc; i++)
		rc = snap_table(db_handle(cache), snap, &cat[i], err);
	if (!rc && !(*out = sqlite3_serialize(snap, "main", len, 0)))
		rc = lc_errf(err, LC_EDB, "building a catalogue snapshot: out of memory");
	sqlite3_close(snap);
	return rc;
}

/* Replace the cache's own catalogue rows by those of attached snapshot
   "snap", in the transaction that is open. */
static int apply_snapshot(struct lc_db *cache, struct lc_err *err)
{
	sqlite3 *h = db_handle(cache);
	char cols[2048], sql[4600];

	for (size_t i = ARRAY_SIZE(cat); i-- > 0;) {
		snprintf(sql, sizeof(sql), "DELETE FROM main.%s WHERE %s", cat[i].name, cat[i].own);
		if (db_exec(cache, sql, err, "updating the catalogue from the team store"))
			return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cat); i++) {
		int n = columns(h, "snap", cat[i].name, cols, sizeof(cols));

		if (n < 0)
			return sq_fail(h, err, "reading a catalogue snapshot");
		if (n == 0)
			continue; /* an older llmcost's snapshot without the table */
		/* the snapshot's columns the cache has too (another llmcost
		   version may have written it) */
		snprintf(sql, sizeof(sql),
			 "INSERT INTO main.%s(%s) SELECT %s FROM snap.%s", cat[i].name, cols, cols,
			 cat[i].name);
		if (db_exec(cache, sql, err, "updating the catalogue from the team store"))
			return -1;
	}
	return 0;
}

int pg_sync_catalogue(struct lc_db *cache, struct db_remote *r, struct lc_err *err)
{
	static const int fmt[1] = { 0 };
	char have[24];
	const char *params[1] = { have };
	sqlite3 *h = db_handle(cache);
	PGresult *res;
	unsigned char *buf;
	int64_t ver = pg_state_get(cache, "catalogue");
	int len, rc = -1;

	snprintf(have, sizeof(have), "%lld", (long long)ver);
	pg_push_wait(r, NULL);
	/* binary results: the body's bytes as they are */
	res = PQexecParams(r->conn,
			   "SELECT version, body FROM catalogue WHERE version > $1::bigint "
			   "ORDER BY version DESC LIMIT 1",
			   1, NULL, params, NULL, fmt, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(r, res, err, "reading the catalogue");
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	{
		const unsigned char *v = (const unsigned char *)PQgetvalue(res, 0, 0);

		ver = 0;
		for (int i = 0; i < 8; i++)
			ver = ver << 8 | v[i];
	}
	len = PQgetlength(res, 0, 1);
	buf = sqlite3_malloc64(len > 0 ? (sqlite3_uint64)len : 1);
	if (!buf) {
		PQclear(res);
		return lc_errf(err, LC_EDB, "reading the catalogue: out of memory");
	}
	memcpy(buf, PQgetvalue(res, 0, 1), (size_t)len);
	PQclear(res);
	if (sqlite3_exec(h, "ATTACH ':memory:' AS snap", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_free(buf);
		return sq_fail(h, err, "reading a catalogue snapshot");
	}
	if (sqlite3_deserialize(h, "snap", buf, len, len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
	    SQLITE_OK) {
		lc_errf(err, LC_EDB, "team store '%s': catalogue snapshot %lld is damaged", r->name,
			(long long)ver);
		goto out;
	}
	/* rows of models another binary's built-in data has are kept even
	   when this binary lacks them: no foreign key checks meanwhile */
	if (db_exec(cache, "PRAGMA foreign_keys = OFF", err, "updating the catalogue") ||
	    db_begin(cache, err))
		goto out;
	if (apply_snapshot(cache, err) || pg_state_set(cache, "catalogue", ver, err) ||
	    db_commit(cache, err)) {
		db_rollback(cache);
		goto out;
	}
	rc = 0;
out:
	db_exec(cache, "PRAGMA foreign_keys = ON", NULL, "");
	sqlite3_exec(h, "DETACH snap", NULL, NULL, NULL);
	return rc;
}

/* Count changes to the catalogue from now on (temp triggers). */
int pg_watch_catalogue(struct lc_db *cache, struct lc_err *err)
{
	static const char *const ops[] = { "INSERT", "UPDATE", "DELETE" };
	char sql[256];

	if (db_exec(cache,
		    "CREATE TEMP TABLE pg_dirty (n INTEGER NOT NULL); "
		    "INSERT INTO pg_dirty VALUES (0)",
		    err, "preparing the team store's cache"))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(cat); i++)
		for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
			snprintf(sql, sizeof(sql),
				 "CREATE TEMP TRIGGER pg_w_%s_%s AFTER %s ON main.%s "
				 "BEGIN UPDATE pg_dirty SET n = n + 1; END",
				 cat[i].name, ops[k], ops[k], cat[i].name);
			if (db_exec(cache, sql, err, "preparing the team store's cache"))
				return -1;
		}
	return 0;
}

static int64_t dirty(struct lc_db *cache)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (sqlite3_prepare_v2(db_handle(cache), "SELECT n FROM temp.pg_dirty", -1, &st, NULL) !=
	    SQLITE_OK)
		return 0; /* not watching yet: the cache is being brought up to date */
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Send the catalogue as a new snapshot when this transaction changed it,
   unless another machine sent one since the cache read it. */
int pg_push_catalogue(struct lc_db *cache, struct db_remote *r, struct lc_err *err)
{
	static const char ins[] =
		"INSERT INTO catalogue(created_by, schema_version, body) "
		"VALUES ($1, $2::int, $3::bytea) RETURNING version::text";
	unsigned char *body = NULL;
	sqlite3_int64 len = 0;
	char ver[16], base[24];
	const char *params[3] = { r->machine, ver, NULL };
	int lens[3] = { 0, 0, 0 }, fmts[3] = { 0, 0, 1 };
	PGresult *res;
	int64_t have = pg_state_get(cache, "catalogue"), now;

	if (dirty(cache) == 0)
		return 0;
	if (build_snapshot(cache, &body, &len, err))
		return -1;
	snprintf(ver, sizeof(ver), "%d", LC_SCHEMA_VERSION);
	if (pg_exec(r, "BEGIN; SELECT pg_advisory_xact_lock(hashtext(current_schema() || "
		       "'/catalogue'))",
		    err, "storing the catalogue"))
		goto fail;
	res = pg_query(r, "SELECT coalesce(max(version), 0)::text FROM catalogue", 0, NULL, err,
		       "storing the catalogue");
	if (!res)
		goto fail;
	now = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (now != have) {
		snprintf(base, sizeof(base), "%lld", (long long)now);
		lc_errf(err, LC_EDB,
			"team store '%s': another machine changed the prices or budgets while "
			"this command ran (catalogue version %s); nothing was stored: run it again",
			r->name, base);
		goto fail;
	}
	params[2] = (const char *)body;
	lens[2] = (int)len;
	res = PQexecParams(r->conn, ins, 3, NULL, params, lens, fmts, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_fail(r, res, err, "storing the catalogue");
		goto fail;
	}
	now = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (pg_exec(r, "COMMIT", err, "storing the catalogue"))
		goto fail;
	sqlite3_free(body);
	return pg_state_set(cache, "catalogue", now, err) ||
	       db_exec(cache, "UPDATE temp.pg_dirty SET n = 0", err, "storing the catalogue");
fail:
	pg_abort(r);
	sqlite3_free(body);
	return -1;
}

/*
 * db_pg.c - the team store: one PostgreSQL database many machines write
 * their usage to and read every report from.
 *
 * Design.  The server holds the truth; each machine keeps a cache of it,
 * an ordinary SQLite store (under $XDG_CACHE_HOME/llmcost/), so every
 * command runs the same code, with the same output, on either store:
 *
 *  - The catalogue (the prices, models, sources and budgets of the user's
 *    own, not the built-in data, which every binary carries) is kept on the
 *    server as numbered snapshots (table catalogue): a command that changes
 *    it sends the whole set as a new snapshot when it commits, unless
 *    another machine sent one since the command read it (then nothing is
 *    stored and the command says to run again).  Snapshots are only ever
 *    added, so the writer role needs no DELETE.
 *  - Usage is parsed on the machine into a staging store in memory with
 *    the same duplicate rules as SQLite (db_pg_usage.c); each COMMIT of it
 *    is read out and sent by a thread while the ingest parses on
 *    (db_pg_push.c), as one server transaction that merges the records
 *    against those stored (under an advisory lock, so writers that meet on
 *    the same records are serialised), updates the server's two rollups and
 *    writes the files' resume points, keyed by machine.  Killed at any
 *    moment, a client leaves the server as it was before that transaction.
 *  - On open the cache brings in a newer catalogue snapshot; before its
 *    first read of usage (pg_fresh) a command brings in the rows of the
 *    server's rollup it reads (totals, or per project, session and user)
 *    changed since the cache last looked (every change takes a number from
 *    change_seq), and record-level reads the records the same way.
 *
 * Credentials come from libpq (the URL, ~/.pgpass, PG* variables, service
 * files); messages name the store by db_pg_name(), which leaves them out.
 */
#include "db_pg.h"

#include <errno.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_usage.h"
#include "db_pg_int.h"

/* The server's tables, in the store's schema.  usage_sums and
   usage_total_sums key their attributes by dkey, a SHA-256 of them (a
   project may be a 4 KB path: too long for a B-tree key). */
static const char server_schema[] =
	"CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);"
	"CREATE SEQUENCE change_seq;"
	"CREATE TABLE catalogue (version bigserial PRIMARY KEY,"
	" created_at timestamptz NOT NULL DEFAULT now(), created_by text NOT NULL,"
	" schema_version int NOT NULL, body bytea NOT NULL);"
	"CREATE TABLE usage_files (machine text NOT NULL, path text NOT NULL,"
	" format text NOT NULL, dev bigint NOT NULL, inode bigint NOT NULL,"
	" size bigint NOT NULL, mtime_ns bigint NOT NULL, head_len bigint NOT NULL,"
	" head_hash text NOT NULL, \"offset\" bigint NOT NULL, line bigint NOT NULL,"
	" state text NOT NULL, ingested_at text, PRIMARY KEY (machine, path));"
	"CREATE TABLE usage_calls (id bigserial PRIMARY KEY,"
	" seq bigint NOT NULL DEFAULT nextval('change_seq'),"
	" natural_key text NOT NULL, group_len bigint, key_hash bigint NOT NULL,"
	" ts_ms bigint NOT NULL, bucket bigint NOT NULL, pclass int NOT NULL,"
	" format text NOT NULL, model_raw text NOT NULL, model text NOT NULL,"
	" host text NOT NULL, project text NOT NULL, session text NOT NULL,"
	" service_tier text NOT NULL, speed text NOT NULL, user_name text NOT NULL,"
	" machine text NOT NULL, line bigint,"
	" input bigint NOT NULL, cache_read bigint NOT NULL, cache_write_5m bigint NOT NULL,"
	" cache_write_1h bigint NOT NULL, output bigint NOT NULL, reasoning bigint NOT NULL,"
	" requests bigint NOT NULL, web_searches bigint NOT NULL, audio_input bigint NOT NULL,"
	" audio_output bigint NOT NULL, image_input bigint NOT NULL,"
	" other_tokens bigint NOT NULL, sidechain int NOT NULL, reported_cost bigint,"
	" tier_prompt bigint);"
	/* as in SQLite (usage_calls.key_hash): 8-byte keys, so the index of a
	   million records stays in memory while an ingest inserts at random
	   (one on natural_key, ~60 random bytes a row, did not); a group of
	   copies is one range of it.  Lookups compare the keys themselves. */
	"CREATE INDEX usage_calls_key ON usage_calls (key_hash);"
	/* seq grows with the table (an update moves the row to its end): a
	   block range index is all a read of the changes since N needs (a
	   B-tree cost a first ingest of a million records 10% more, and a
	   cache's reading nothing new was no faster) */
	"CREATE INDEX usage_calls_seq ON usage_calls USING brin (seq);"
	"CREATE TABLE usage_sums (" PG_SUMS_DDL ");"
	"CREATE INDEX usage_sums_seq ON usage_sums(seq);"
	"CREATE TABLE usage_total_sums (" PG_SUMS_DDL ");"
	"CREATE INDEX usage_total_sums_seq ON usage_total_sums(seq);";

/* ---- connection and errors ---- */

const char *db_pg_name(const struct db_remote *r)
{
	return r->name;
}

/* libpq's message, first line only, without the trailing newline. */
static void pg_message(PGconn *c, const PGresult *res, char *out, size_t n)
{
	const char *m = res ? PQresultErrorMessage(res) : "";
	size_t len;

	if (!m || !*m)
		m = c ? PQerrorMessage(c) : "out of memory";
	lc_strlcpy(out, m, n);
	len = strcspn(out, "\n");
	out[len] = '\0';
}

int pg_fail(struct db_remote *r, PGresult *res, struct lc_err *err, const char *what)
{
	char m[512];

	pg_message(r->conn, res, m, sizeof(m));
	PQclear(res);
	return lc_errf(err, LC_EDB, "%s: team store '%s': %s", what, r->name, m);
}

/* (each of these first waits for a push being sent: pg_push_wait) */
int pg_exec(struct db_remote *r, const char *sql, struct lc_err *err, const char *what)
{
	PGresult *res;
	ExecStatusType s;

	pg_push_wait(r, NULL);
	res = PQexec(r->conn, sql);
	s = PQresultStatus(res);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return pg_fail(r, res, err, what);
	PQclear(res);
	return 0;
}

PGresult *pg_query(struct db_remote *r, const char *sql, int n, const char *const *params,
		   struct lc_err *err, const char *what)
{
	PGresult *res;

	pg_push_wait(r, NULL);
	res = PQexecParams(r->conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_fail(r, res, err, what);
		return NULL;
	}
	return res;
}

void pg_abort(struct db_remote *r)
{
	PGresult *res;

	pg_push_wait(r, NULL);
	if (PQtransactionStatus(r->conn) == PQTRANS_IDLE)
		return;
	res = PQexec(r->conn, "ROLLBACK");
	PQclear(res);
}

int db_pg_wanted(const char *path)
{
	static const char *const kw[] = { "postgresql://", "postgres://", "service=", "host=",
					   "hostaddr=", "dbname=", "user=", "port=" };

	for (size_t i = 0; i < ARRAY_SIZE(kw); i++)
		if (!strncmp(path, kw[i], strlen(kw[i])))
			return 1;
	return 0;
}

/* The connection string as messages show it: its user, host, port,
   database and service, never a password. */
static void redact(const char *conninfo, char *out, size_t n)
{
	PQconninfoOption *o = PQconninfoParse(conninfo, NULL);
	const char *user = NULL, *host = NULL, *port = NULL, *db = NULL, *svc = NULL;

	if (!o) {
		lc_strlcpy(out, "(a connection string libpq cannot parse)", n);
		return;
	}
	for (PQconninfoOption *p = o; p->keyword; p++) {
		if (!p->val || !*p->val)
			continue;
		if (!strcmp(p->keyword, "user"))
			user = p->val;
		else if (!strcmp(p->keyword, "host"))
			host = p->val;
		else if (!strcmp(p->keyword, "port"))
			port = p->val;
		else if (!strcmp(p->keyword, "dbname"))
			db = p->val;
		else if (!strcmp(p->keyword, "service"))
			svc = p->val;
	}
	if (svc)
		snprintf(out, n, "service=%s", svc);
	else
		snprintf(out, n, "postgresql://%s%s%s%s%s/%s", user ? user : "", user ? "@" : "",
			 host && *host != '/' ? host : "", port ? ":" : "", port ? port : "",
			 db ? db : "");
	PQconninfoFree(o);
}

/* The schema the store lives in: $LLMCOST_SCHEMA, else "llmcost". */
static const char *schema_name(void)
{
	const char *s = getenv("LLMCOST_SCHEMA");

	return s && *s ? s : "llmcost";
}

/* This machine's name for resume points: $LLMCOST_MACHINE, else the host. */
static void machine_name(char *out, size_t n)
{
	const char *m = getenv("LLMCOST_MACHINE");

	if (m && *m) {
		lc_strlcpy(out, m, n);
		return;
	}
	if (gethostname(out, n - 1) != 0)
		lc_strlcpy(out, "localhost", n);
	out[n - 1] = '\0';
}

static int connect_server(struct db_remote *r, const char *conninfo, struct lc_err *err)
{
	char m[512];

	r->conn = PQconnectdb(conninfo);
	if (!r->conn)
		return lc_errf(err, LC_EDB, "cannot connect to the team store '%s': out of memory",
			       r->name);
	if (PQstatus(r->conn) != CONNECTION_OK) {
		pg_message(r->conn, NULL, m, sizeof(m));
		return lc_errf(err, LC_EDB, "cannot connect to the team store '%s': %s", r->name, m);
	}
	/* quiet NOTICEs ("relation already exists"), UTC text for timestamps;
	   no JIT: the planner, knowing nothing of the never analysed temporary
	   tables, guessed millions of rows and compiled each lookup of stored
	   copies for ~0.2 s, longer than running it */
	return pg_exec(r, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET jit = off",
		       err, "connecting");
}

/* 1 when the schema holds the store's tables (err set on a failure). */
static int has_meta(struct db_remote *r, struct lc_err *err)
{
	PGresult *res = pg_query(r, "SELECT to_regclass('meta') IS NOT NULL", 0, NULL, err,
				 "opening the store");
	int yes = res && !strcmp(PQgetvalue(res, 0, 0), "t");

	PQclear(res);
	return yes;
}

/* Refuse a store whose server tables another llmcost version laid out. */
static int check_version(struct db_remote *r, const char *schema, struct lc_err *err)
{
	PGresult *res = pg_query(r, "SELECT value FROM meta WHERE key = 'schema_version'", 0,
				 NULL, err, "opening the store");
	int v;

	if (!res)
		return -1;
	v = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	if (v == PG_SCHEMA_VERSION)
		return 0;
	return lc_errf(err, LC_EDB,
		       "team store '%s': schema %s has server schema version %d, this llmcost "
		       "knows %d: %s",
		       r->name, schema, v, PG_SCHEMA_VERSION,
		       v > PG_SCHEMA_VERSION ? "upgrade llmcost" : "not an llmcost store it can use");
}

/* Create the schema's tables unless the store is there; read its id. */
static int ensure_schema(struct db_remote *r, struct lc_err *err)
{
	const char *name = schema_name();
	char *ident = PQescapeIdentifier(r->conn, name, strlen(name));
	char sql[512];
	PGresult *res;
	int rc = -1;

	if (!ident)
		return pg_fail(r, NULL, err, "naming the schema");
	snprintf(sql, sizeof(sql), "SET search_path TO %s", ident);
	if (pg_exec(r, sql, err, "choosing the schema"))
		goto out;
	/* a reader may not create: look first; create under a lock that
	   makes concurrent first opens wait for one another */
	if (!has_meta(r, err)) {
		snprintf(sql, sizeof(sql),
			 "BEGIN; SELECT pg_advisory_xact_lock(7236486934729); "
			 "CREATE SCHEMA IF NOT EXISTS %s",
			 ident);
		if (pg_exec(r, sql, err, "creating the store's schema"))
			goto out;
		if (!has_meta(r, err)) {
			if (err->msg[0] || pg_exec(r, server_schema, err, "creating the store's tables"))
				goto out;
			snprintf(sql, sizeof(sql),
				 "INSERT INTO meta VALUES ('schema_version', '%d'), ('store_id', "
				 "md5(random()::text || clock_timestamp()::text))",
				 PG_SCHEMA_VERSION);
			if (pg_exec(r, sql, err, "creating the store"))
				goto out;
		}
		if (pg_exec(r, "COMMIT", err, "creating the store"))
			goto out;
	}
	if (err->msg[0])
		goto out;
	if (check_version(r, name, err))
		goto out;
	res = pg_query(r, "SELECT value FROM meta WHERE key = 'store_id'", 0, NULL, err,
		       "reading the store's id");
	if (!res)
		goto out;
	if (PQntuples(res) != 1) {
		PQclear(res);
		lc_errf(err, LC_EDB, "team store '%s': schema %s has no store id", r->name, name);
		goto out;
	}
	lc_strlcpy(r->store_id, PQgetvalue(res, 0, 0), sizeof(r->store_id));
	PQclear(res);
	rc = 0;
out:
	if (rc)
		pg_abort(r);
	PQfreemem(ident);
	return rc;
}

/* The cache file of the store: $XDG_CACHE_HOME/llmcost/pg-ID.db, else
   ~/.cache/llmcost/pg-ID.db. */
static int cache_path(const struct db_remote *r, char *out, size_t n, struct lc_err *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int w;

	if (xdg && *xdg == '/')
		w = snprintf(out, n, "%s/llmcost/pg-%s.db", xdg, r->store_id);
	else if (home && *home)
		w = snprintf(out, n, "%s/.cache/llmcost/pg-%s.db", home, r->store_id);
	else
		return lc_errf(err, LC_EDB, "no folder for the team store's cache: set HOME or "
					    "XDG_CACHE_HOME");
	if (w < 0 || (size_t)w >= n)
		return lc_errf(err, LC_EDB, "the cache folder's path is too long");
	return 0;
}

void db_pg_free(struct db_remote *r)
{
	if (!r)
		return;
	pg_push_wait(r, NULL);
	lc_push_seen_free(&r->push_seen);
	db_close(r->stage);
	pg_keys_free(r);
	if (r->conn)
		PQfinish(r->conn);
	free(r);
}

int db_pg_open(struct lc_db **out, const char *conninfo, struct lc_err *err)
{
	struct db_remote *r = xcalloc(1, sizeof(*r));
	struct lc_db *cache = NULL;
	char path[4096];

	*out = NULL;
	redact(conninfo, r->name, sizeof(r->name));
	machine_name(r->machine, sizeof(r->machine));
	if (connect_server(r, conninfo, err) || ensure_schema(r, err) ||
	    cache_path(r, path, sizeof(path), err) || db_open(&cache, path, err))
		goto fail;
	db_attach_remote(cache, r, DB_CACHE);
	r->cache = cache;
	/* the statement journals of the rollups' and records' INSERT OR REPLACE
	   in memory: in a temporary file they cost a write a row (590,000 writes
	   and a third of a fresh cache's reading of a million records' rollups).
	   Set before the first temporary object: setting it drops them. */
	/* the rollups are read at the first read of usage (pg_fresh): an
	   ingest-only run never needs them */
	r->stale = PG_ROLLUPS;
	if (db_exec(cache, "PRAGMA temp_store = MEMORY", err, "opening the team store's cache") ||
	    pg_state_init(cache, err) || pg_sync_catalogue(cache, r, err) ||
	    pg_watch_catalogue(cache, err)) {
		db_close(cache); /* frees r */
		return -1;
	}
	*out = cache;
	return 0;
fail:
	db_close(cache);
	db_pg_free(r);
	return -1;
}

struct lc_db *db_usage_writer(struct lc_db *db, struct lc_err *err)
{
	struct db_remote *r = db_remote_of(db);

	if (db_role(db) != DB_CACHE)
		return db;
	if (!r->stage && pg_stage_open(db, r, &r->stage, err))
		return NULL;
	return r->stage;
}

int db_usage_push_wait(struct lc_db *db, struct lc_err *err)
{
	if (db_role(db) != DB_STAGE) /* SQLite's commits are done when they return */
		return 0;
	return pg_push_wait(db_remote_of(db), err);
}

void db_usage_push_stats(struct lc_db *db, int64_t *dup, int64_t *replaced,
			 struct lc_push_seen *seen)
{
	struct db_remote *r = db_remote_of(db);
	struct lc_push_seen none = { 0 };

	*dup = *replaced = 0;
	if (seen)
		*seen = none;
	if (db_role(db) != DB_STAGE)
		return;
	*dup = r->push_dup, *replaced = r->push_replaced;
	r->push_dup = r->push_replaced = 0;
	if (seen)
		*seen = r->push_seen;
	else
		lc_push_seen_free(&r->push_seen);
	r->push_seen = none;
}

void lc_push_seen_free(struct lc_push_seen *s)
{
	for (int64_t i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
	memset(s, 0, sizeof(*s));
}

const char *db_name(const struct lc_db *db)
{
	return db_role(db) == DB_CACHE ? db_remote_of(db)->name : db_path(db);
}

int db_is_team(const struct lc_db *db)
{
	return db_role(db) != DB_LOCAL;
}

int db_pg_commit(struct lc_db *db, struct lc_err *err)
{
	struct db_remote *r = db_remote_of(db);

	if (db_role(db) == DB_STAGE)
		return pg_usage_push(db, r, err);
	return pg_push_catalogue(db, r, err);
}

void db_pg_committed(struct lc_db *db)
{
	if (db_role(db) == DB_STAGE)
		pg_usage_pushed(db);
}

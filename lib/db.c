/*
 * db.c - opening the store: pragmas, migrations keyed on user_version,
 * refusal of foreign or newer files, transactions and error mapping.
 *
 * Design: one connection per process, WAL so reports read while an ingest
 * writes, a busy timeout so concurrent writers wait instead of failing at
 * once, and BEGIN IMMEDIATE so a writer takes its lock up front.
 */
#include "db.h"
#include "db_usage.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_pg.h"
#include "db_sheet.h"
#include "embed.h"

#define BUSY_TIMEOUT_MS 30000 /* long enough to wait out another ingest's transaction */

#define STMT_CACHE 64

struct lc_db {
	sqlite3 *h;
	char *path;
	/* prepared statements kept for the connection's life, keyed by the SQL
	   text's address (callers pass string literals) */
	const char *cache_sql[STMT_CACHE];
	sqlite3_stmt *cache_st[STMT_CACHE];
	struct db_hook hook;       /* writes held in memory (db_set_hook) */
	int lockfd;                /* flock()ed while opening; closed after SQLite */
	struct db_name_index *names; /* db_catalog.c's squashed-name index */
	struct db_remote *remote;  /* the team store this connection is a cache (owned) or
				      the staging area of (see db_pg.c) */
	int role;                  /* DB_LOCAL, DB_CACHE or DB_STAGE */
};

int db_role(const struct lc_db *db)
{
	return db ? db->role : DB_LOCAL;
}

struct db_remote *db_remote_of(const struct lc_db *db)
{
	return db->remote;
}

void db_attach_remote(struct lc_db *db, struct db_remote *r, int role)
{
	db->remote = r;
	db->role = role;
}

struct db_name_index **db_name_index_slot(struct lc_db *db)
{
	return &db->names;
}

void db_set_hook(struct lc_db *db, const struct db_hook *h)
{
	db->hook = *h;
}

void *db_hook_ctx(struct lc_db *db)
{
	return db->hook.ctx;
}

/* Write what the hook holds (before COMMIT, SAVEPOINT and RELEASE). */
static int hook_flush(struct lc_db *db, struct lc_err *err)
{
	return db->hook.flush ? db->hook.flush(db, db->hook.ctx, err) : 0;
}

/* Forget what the hook holds (after ROLLBACK and ROLLBACK TO). */
static void hook_drop(struct lc_db *db)
{
	if (db->hook.drop)
		db->hook.drop(db->hook.ctx);
}

void *db_cached(struct lc_db *db, const char *sql, struct lc_err *err)
{
	int i;

	for (i = 0; i < STMT_CACHE && db->cache_sql[i]; i++)
		if (db->cache_sql[i] == sql) {
			sqlite3_reset(db->cache_st[i]);
			sqlite3_clear_bindings(db->cache_st[i]);
			return db->cache_st[i];
		}
	if (i == STMT_CACHE) {
		lc_errf(err, LC_ERUNTIME, "internal: statement cache full");
		return NULL;
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->cache_st[i], NULL) !=
	    SQLITE_OK) {
		db_fail(db, err, "preparing a query");
		return NULL;
	}
	db->cache_sql[i] = sql;
	return db->cache_st[i];
}

void *db_handle(struct lc_db *db)
{
	return db->h;
}

const char *db_path(const struct lc_db *db)
{
	return db->path;
}

int db_fail(struct lc_db *db, struct lc_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->h);
	const char *msg = sqlite3_errmsg(db->h);
	int sys = sqlite3_system_errno(db->h);

	/* a full disk often surfaces as an I/O error (creating -shm, a short
	   write); the OS error tells them apart */
	if ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT || sys == EFBIG))
		rc = SQLITE_FULL;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return lc_errf(err, LC_EDB,
			       "database '%s' is busy (locked by another process); retry later",
			       db->path);
	case SQLITE_FULL:
		return lc_errf(err, LC_EDB, "%s: disk full writing '%s'", what, db->path);
	case SQLITE_IOERR:
		return lc_errf(err, LC_EDB, "%s: I/O error on '%s': %s", what, db->path,
			       sys ? strerror(sys) : msg);
	case SQLITE_READONLY:
		return lc_errf(err, LC_EDB, "%s: database '%s' is read-only", what, db->path);
	case SQLITE_NOTADB:
		return lc_errf(err, LC_EDB, "'%s' is not a database", db->path);
	case SQLITE_CORRUPT:
		return lc_errf(err, LC_EDB,
			       "database '%s' is corrupt; check it with: sqlite3 '%s' 'PRAGMA integrity_check'",
			       db->path, db->path);
	default:
		return lc_errf(err, LC_EDB, "%s: %s", what, msg);
	}
}

char *db_default_path(char *buf, size_t n, struct lc_err *err)
{
	const char *env = getenv("LLMCOST_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env) {
		lc_strlcpy(buf, env, n);
		return buf;
	}
	if (xdg && *xdg == '/') {
		snprintf(buf, n, "%s/llmcost/llmcost.db", xdg);
		return buf;
	}
	if (home && *home) {
		snprintf(buf, n, "%s/.local/share/llmcost/llmcost.db", home);
		return buf;
	}
	lc_errf(err, LC_EDB, "no database path: set HOME, XDG_DATA_HOME or LLMCOST_DB, or use --db");
	return NULL;
}

/* mkdir -p of the folder that will hold path. */
static int make_parent_dirs(const char *path, struct lc_err *err)
{
	char tmp[4096];
	char *slash;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return lc_errf(err, LC_EDB, "database path too long");
	slash = strrchr(tmp, '/');
	if (!slash || slash == tmp)
		return 0;
	*slash = '\0';
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return lc_errf(err, LC_EDB, "cannot create folder '%s': %s", tmp,
				       strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return lc_errf(err, LC_EDB, "cannot create folder '%s': %s", tmp, strerror(errno));
	return 0;
}

static int exec(struct lc_db *db, const char *sql, struct lc_err *err, const char *what)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return err ? db_fail(db, err, what) : -1;
	return 0;
}

int db_exec(struct lc_db *db, const char *sql, struct lc_err *err, const char *what)
{
	return exec(db, sql, err, what);
}

static int pragma_int(struct lc_db *db, const char *sql, int64_t *out, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading the database header");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading the database header");
	return 0;
}

int db_begin(struct lc_db *db, struct lc_err *err)
{
	/* a cached SELECT left mid-result holds an old WAL snapshot, on which a
	   write transaction would fail at once instead of waiting: end it */
	for (int i = 0; i < STMT_CACHE && db->cache_sql[i]; i++)
		sqlite3_reset(db->cache_st[i]);
	return exec(db, "BEGIN IMMEDIATE", err, "starting a transaction");
}

int db_commit(struct lc_db *db, struct lc_err *err)
{
	/* the team store's share goes to the server first: a failure there
	   leaves this transaction to be rolled back, nothing half-sent */
	if (hook_flush(db, err) || (db->role != DB_LOCAL && db_pg_commit(db, err)) ||
	    exec(db, "COMMIT", err, "committing")) {
		db_rollback(db);
		return -1;
	}
	if (db->role != DB_LOCAL)
		db_pg_committed(db);
	return 0;
}

void db_rollback(struct lc_db *db)
{
	/* after FULL/IOERR SQLite may already have rolled back */
	hook_drop(db);
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int db_savepoint(struct lc_db *db, struct lc_err *err)
{
	if (hook_flush(db, err))
		return -1;
	return exec(db, "SAVEPOINT lc_sp", err, "starting a savepoint");
}

int db_savepoint_release(struct lc_db *db, struct lc_err *err)
{
	if (hook_flush(db, err))
		return -1;
	return exec(db, "RELEASE lc_sp", err, "releasing a savepoint");
}

void db_rollback_to(struct lc_db *db)
{
	hook_drop(db);
	if (!sqlite3_get_autocommit(db->h)) {
		sqlite3_exec(db->h, "ROLLBACK TO lc_sp", NULL, NULL, NULL);
		sqlite3_exec(db->h, "RELEASE lc_sp", NULL, NULL, NULL);
	}
}

/*
 * Migration N brings a store from version N-1 to N.  Each table it creates
 * is written exactly as in data/schema.sql (tests/cli/t_schema.sh checks
 * that a migrated store and a new one have the same schema).
 */
static const char migration_2[] =
	/* usage_totals: usage_rollup without project and session */
	"CREATE TABLE usage_totals (\n"
	"\tbucket         INTEGER NOT NULL,\n"
	"\tmodel_raw      TEXT NOT NULL,\n"
	"\tmodel          TEXT NOT NULL DEFAULT '',\n"
	"\thost           TEXT NOT NULL DEFAULT '',\n"
	"\tservice_tier   TEXT NOT NULL DEFAULT '',\n"
	"\tspeed          TEXT NOT NULL DEFAULT '',\n"
	"\tsidechain      INTEGER NOT NULL DEFAULT 0,\n"
	"\tpclass         INTEGER NOT NULL DEFAULT 0,\n"
	"\trecords        INTEGER NOT NULL CHECK (records >= 0),\n"
	"\tinput          INTEGER NOT NULL CHECK (input >= 0),\n"
	"\tcache_read     INTEGER NOT NULL CHECK (cache_read >= 0),\n"
	"\tcache_write_5m INTEGER NOT NULL CHECK (cache_write_5m >= 0),\n"
	"\tcache_write_1h INTEGER NOT NULL CHECK (cache_write_1h >= 0),\n"
	"\toutput         INTEGER NOT NULL CHECK (output >= 0),\n"
	"\treasoning      INTEGER NOT NULL CHECK (reasoning >= 0),\n"
	"\trequests       INTEGER NOT NULL CHECK (requests >= 0),\n"
	"\tweb_searches   INTEGER NOT NULL CHECK (web_searches >= 0),\n"
	"\tPRIMARY KEY (bucket, model_raw, model, host, service_tier, speed, sidechain, pclass)\n"
	") STRICT, WITHOUT ROWID;\n"
	"INSERT INTO usage_totals SELECT bucket, model_raw, model, host, service_tier, speed, "
	"sidechain, pclass, sum(records), sum(input), sum(cache_read), sum(cache_write_5m), "
	"sum(cache_write_1h), sum(output), sum(reasoning), sum(requests), sum(web_searches) "
	"FROM usage_rollup GROUP BY bucket, model_raw, model, host, service_tier, speed, "
	"sidechain, pclass;";

/*
 * Migration 3: usage attributes stored once (usage_dims); usage_records,
 * usage_rollup and usage_totals become views of the same columns over
 * usage_calls, usage_sums and usage_total_sums.  The new objects are
 * created by data/schema.sql's own statements (from "CREATE TABLE
 * usage_dims" to the end of the usage_totals view), the rows copied as
 * they are, and the copy checked before the old tables go.
 */
static const char migration_3_before[] =
	"ALTER TABLE usage_records RENAME TO usage_records_v2;\n"
	"ALTER TABLE usage_rollup RENAME TO usage_rollup_v2;\n"
	"ALTER TABLE usage_totals RENAME TO usage_totals_v2;\n"
	"DROP INDEX usage_records_key;\n";
static const char migration_3_copy[] =
	"INSERT INTO usage_dims(format, model_raw, model, host, project, session, service_tier, "
	"speed) SELECT format, model_raw, coalesce(model, ''), coalesce(host, ''), project, "
	"session, service_tier, speed FROM usage_records_v2 "
	"UNION SELECT '', model_raw, model, host, project, session, service_tier, speed "
	"FROM usage_rollup_v2 "
	"UNION SELECT '', model_raw, model, host, '', '', service_tier, speed FROM usage_totals_v2 "
	"ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;\n"
	"INSERT INTO usage_calls(id, natural_key, key_hash, group_len, ts_ms, dim, file_id, line, "
	"input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests, "
	"web_searches, sidechain, reported_cost, tier_prompt) "
	"SELECT r.id, r.natural_key, r.key_hash, nullif(length(r.group_key), 0), r.ts_ms, d.id, "
	"r.file_id, r.line, r.input, r.cache_read, r.cache_write_5m, r.cache_write_1h, r.output, "
	"r.reasoning, r.requests, r.web_searches, r.sidechain, r.reported_cost, r.tier_prompt "
	"FROM usage_records_v2 r JOIN usage_dims d ON d.format = r.format "
	"AND d.model_raw = r.model_raw AND d.model = coalesce(r.model, '') "
	"AND d.host = coalesce(r.host, '') AND d.project = r.project AND d.session = r.session "
	"AND d.service_tier = r.service_tier AND d.speed = r.speed ORDER BY r.id;\n"
	"INSERT INTO usage_sums(bucket, dim, sidechain, pclass, records, input, cache_read, "
	"cache_write_5m, cache_write_1h, output, reasoning, requests, web_searches) "
	"SELECT r.bucket, d.id, r.sidechain, r.pclass, r.records, r.input, "
	"r.cache_read, r.cache_write_5m, r.cache_write_1h, r.output, r.reasoning, r.requests, "
	"r.web_searches FROM usage_rollup_v2 r JOIN usage_dims d ON d.format = '' "
	"AND d.model_raw = r.model_raw AND d.model = r.model AND d.host = r.host "
	"AND d.project = r.project AND d.session = r.session AND d.service_tier = r.service_tier "
	"AND d.speed = r.speed;\n"
	"INSERT INTO usage_total_sums(bucket, dim, sidechain, pclass, records, input, "
	"cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests, web_searches) "
	"SELECT r.bucket, d.id, r.sidechain, r.pclass, r.records, "
	"r.input, r.cache_read, r.cache_write_5m, r.cache_write_1h, r.output, r.reasoning, "
	"r.requests, r.web_searches FROM usage_totals_v2 r JOIN usage_dims d ON d.format = '' "
	"AND d.model_raw = r.model_raw AND d.model = r.model AND d.host = r.host "
	"AND d.project = '' AND d.session = '' AND d.service_tier = r.service_tier "
	"AND d.speed = r.speed;\n";
/* 0 when the copy is whole: every row moved, every group recoverable from
   its natural key */
static const char migration_3_check[] =
	"SELECT (SELECT count(*) FROM usage_records_v2) - (SELECT count(*) FROM usage_calls) "
	"+ (SELECT count(*) FROM usage_rollup_v2) - (SELECT count(*) FROM usage_sums) "
	"+ (SELECT count(*) FROM usage_totals_v2) - (SELECT count(*) FROM usage_total_sums) "
	"+ (SELECT count(*) FROM usage_records_v2 WHERE group_key <> '' AND "
	"substr(natural_key, 1, length(group_key) + 4) <> 'cc:' || group_key || ':')";
static const char migration_3_after[] =
	"DROP TABLE usage_records_v2; DROP TABLE usage_rollup_v2; DROP TABLE usage_totals_v2;";

/*
 * The statements of data/schema.sql from the one that starts `first` to the
 * end of the one that starts `last` (NULL: first's own), as a new string,
 * so a migration creates a table with the very statement a new store gets.
 * NULL with err when the schema lacks them.
 */
static char *schema_block(const char *schema, const char *first, const char *last,
			  struct lc_err *err)
{
	const char *from = strstr(schema, first);
	const char *l = from ? (last ? strstr(from, last) : from) : NULL;
	const char *to = l ? strchr(l, ';') : NULL;
	char *block;

	if (!to) {
		lc_errf(err, LC_ERUNTIME, "internal: data/schema.sql lacks '%s'", last ? last : first);
		return NULL;
	}
	block = xstrndup(from, (size_t)(to - from) + 1);
	return block;
}

/* A migration that rebuilds tables: their rows copied into the new ones. */
struct rebuild {
	const char *first, *last; /* the new tables' statements (schema_block) */
	const char *before;       /* moves the old tables aside */
	const char *copy;         /* copies their rows into the new ones */
	const char *check;        /* 0 when the copy is whole */
	const char *after;        /* drops the old tables */
	const char *what;         /* what is copied, for the message */
	/* optional: run after the copy, before the check */
	int (*then)(struct lc_db *db, const char *schema, struct lc_err *err);
};

/*
 * Run a rebuild as migration `to`: a copy that is not whole is an error
 * (the caller's transaction rolls back, so the store is left as it was).
 */
static int rebuild(struct lc_db *db, const char *schema, int64_t to, const struct rebuild *r,
		   struct lc_err *err)
{
	char *block = schema_block(schema, r->first, r->last, err);
	int64_t lost = -1;

	if (!block)
		return -1;
	if (exec(db, r->before, err, "upgrading the database schema") ||
	    exec(db, block, err, "upgrading the database schema") ||
	    exec(db, r->copy, err, "upgrading the database schema") ||
	    (r->then && r->then(db, schema, err)) || pragma_int(db, r->check, &lost, err)) {
		free(block);
		return -1;
	}
	free(block);
	if (lost != 0)
		return lc_errf(err, LC_EDB,
			       "database '%s': its %s did not convert to schema %lld "
			       "(%lld rows differ); it is left at schema %lld",
			       db->path, r->what, (long long)to, (long long)lost, (long long)to - 1);
	return exec(db, r->after, err, "upgrading the database schema");
}

static int migration_3(struct lc_db *db, const char *schema, struct lc_err *err)
{
	static const struct rebuild r = { "CREATE TABLE usage_dims", "CREATE VIEW usage_totals",
					  migration_3_before, migration_3_copy, migration_3_check,
					  migration_3_after, "usage records", NULL };

	return rebuild(db, schema, 3, &r, err);
}

/*
 * Migration 4: fetch_validators, created by data/schema.sql's own statement.
 * It starts with the validators of each source's last good fetch as the
 * fetch log has them (its URL, ETag and sheet hash; the log kept no
 * Last-Modified), so a store that was conditional stays conditional; the
 * sources' etag and last_modified columns are not used, as a failed or 304
 * fetch of another URL may have overwritten the source's url.
 */
static const char migration_4_fill[] =
	"INSERT OR REPLACE INTO fetch_validators(url, etag, last_modified, sha256, fetched_at) "
	"SELECT f.url, f.etag, NULL, f.sha256, f.fetched_at FROM fetches f "
	"JOIN sources s ON s.id = f.source_id AND s.sha256 = f.sha256 "
	"WHERE f.result = 'ok' AND f.url IS NOT NULL AND f.etag IS NOT NULL "
	"AND f.id = (SELECT max(g.id) FROM fetches g WHERE g.source_id = f.source_id "
	"AND g.result = 'ok') ORDER BY f.id;";

static int migration_4(struct lc_db *db, const char *schema, struct lc_err *err)
{
	char *block = schema_block(schema, "CREATE TABLE fetch_validators", NULL, err);
	int r;

	if (!block)
		return -1;
	r = exec(db, block, err, "upgrading the database schema") ||
	    exec(db, migration_4_fill, err, "upgrading the database schema");
	free(block);
	return r ? -1 : 0;
}

/*
 * Migration 5: audio, image and other-modality token buckets in
 * usage_calls, usage_sums and usage_total_sums (and their views).  The
 * three tables are rebuilt by data/schema.sql's own statements (from
 * "CREATE TABLE usage_calls" to the end of the usage_totals view), every
 * row copied with the new buckets 0 (no earlier version stored them), and
 * the copy checked before the old tables go: reports of the migrated store
 * give the totals they gave before.
 */
static const char migration_5_before[] =
	"DROP VIEW usage_records; DROP VIEW usage_rollup; DROP VIEW usage_totals;\n"
	"ALTER TABLE usage_calls RENAME TO usage_calls_v4;\n"
	"ALTER TABLE usage_sums RENAME TO usage_sums_v4;\n"
	"ALTER TABLE usage_total_sums RENAME TO usage_total_sums_v4;\n"
	"DROP INDEX usage_calls_key;\n";
#define M5_CALLS                                                                           \
	"id, natural_key, key_hash, group_len, ts_ms, dim, file_id, line, input, cache_read, " \
	"cache_write_5m, cache_write_1h, output, reasoning, requests, web_searches, "          \
	"sidechain, reported_cost, tier_prompt"
#define M5_SUMS                                                                            \
	"bucket, dim, sidechain, pclass, records, input, cache_read, cache_write_5m, "        \
	"cache_write_1h, output, reasoning, requests, web_searches"
static const char migration_5_copy[] =
	"INSERT INTO usage_calls(" M5_CALLS ") SELECT " M5_CALLS " FROM usage_calls_v4 "
	"ORDER BY id;\n"
	"INSERT INTO usage_sums(" M5_SUMS ") SELECT " M5_SUMS " FROM usage_sums_v4;\n"
	"INSERT INTO usage_total_sums(" M5_SUMS ") SELECT " M5_SUMS
	" FROM usage_total_sums_v4;\n";
static const char migration_5_check[] =
	"SELECT (SELECT count(*) FROM usage_calls_v4) - (SELECT count(*) FROM usage_calls) "
	"+ (SELECT count(*) FROM usage_sums_v4) - (SELECT count(*) FROM usage_sums) "
	"+ (SELECT count(*) FROM usage_total_sums_v4) - (SELECT count(*) FROM usage_total_sums)";
static const char migration_5_after[] =
	"DROP TABLE usage_calls_v4; DROP TABLE usage_sums_v4; DROP TABLE usage_total_sums_v4;";

static int migration_5(struct lc_db *db, const char *schema, struct lc_err *err)
{
	static const struct rebuild r = { "CREATE TABLE usage_calls", "CREATE VIEW usage_totals",
					  migration_5_before, migration_5_copy, migration_5_check,
					  migration_5_after, "usage records", NULL };

	return rebuild(db, schema, 5, &r, err);
}

/*
 * Migration 6: model_aliases keyed by (alias, host, valid_from) instead of
 * (alias, valid_from), so one name can mean different models at different
 * hosts.  The table is rebuilt by data/schema.sql's own statements (the
 * table and its unique index) and every row copied; the copy is checked
 * before the old table goes.
 */
/* (a store marked older than it is may have the index already) */
static const char migration_6_before[] =
	"DROP INDEX IF EXISTS model_aliases_key;\n"
	"ALTER TABLE model_aliases RENAME TO model_aliases_v5;";
static const char migration_6_copy[] =
	"INSERT INTO model_aliases(alias, model_id, host, valid_from, valid_to, origin) "
	"SELECT alias, model_id, host, valid_from, valid_to, origin FROM model_aliases_v5 "
	"ORDER BY rowid;";
static const char migration_6_check[] =
	"SELECT (SELECT count(*) FROM model_aliases_v5) - (SELECT count(*) FROM model_aliases)";
static const char migration_6_after[] = "DROP TABLE model_aliases_v5;";

static int migration_6(struct lc_db *db, const char *schema, struct lc_err *err)
{
	static const struct rebuild r = { "CREATE TABLE model_aliases",
					  "CREATE UNIQUE INDEX model_aliases_key",
					  migration_6_before, migration_6_copy, migration_6_check,
					  migration_6_after, "model aliases", NULL };

	return rebuild(db, schema, 6, &r, err);
}

/*
 * Migration 7: model_lifecycle, created by data/schema.sql's own statement
 * (empty: the built-in data fills it on the same open, as its version
 * changed).  A store whose user_version was set back by hand may have the
 * table already; it is kept as it is.
 */
/* Create table name by data/schema.sql's "CREATE TABLE name" statement
   unless it exists, and have the built-in data loaded again on this open. */
static int add_builtin_table(struct lc_db *db, const char *schema, const char *name,
			     struct lc_err *err)
{
	char sql[128], start[128];
	int64_t have = 0;
	char *block;
	int r;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE name = '%s'", name);
	if (pragma_int(db, sql, &have, err))
		return -1;
	if (have)
		return 0;
	snprintf(start, sizeof(start), "CREATE TABLE %s", name);
	if (!(block = schema_block(schema, start, NULL, err)))
		return -1;
	r = exec(db, block, err, "upgrading the database schema") ||
	    exec(db, "UPDATE sources SET data_version = NULL WHERE name = 'builtin'", err,
		 "upgrading the database schema");
	free(block);
	return r ? -1 : 0;
}

static int migration_7(struct lc_db *db, const char *schema, struct lc_err *err)
{
	return add_builtin_table(db, schema, "model_lifecycle", err);
}

/*
 * Migration 8: quality_scores keyed by leaderboard snapshot (benchmark,
 * snapshot, the leaderboard's name for the model), with the organisation
 * and a model id that may be NULL.  The table is rebuilt by data/schema.sql's
 * own statements; each old row is copied as the score of its model in the
 * snapshot of its date (as_of), under the model's id as its name, and the
 * copy is checked before the old table goes.  The built-in data is loaded
 * again on the same open (its rows are the new snapshots).  A table that
 * has the new columns already is left as it is.
 */
static const char migration_8_before[] =
	"ALTER TABLE quality_scores RENAME TO quality_scores_v7;";
static const char migration_8_copy[] =
	"INSERT INTO quality_scores(benchmark, snapshot, name, organization, model_id, score, "
	"source_url, origin) SELECT benchmark, as_of, model_id, NULL, model_id, score, source_url, "
	"origin FROM quality_scores_v7 ORDER BY rowid;"
	"UPDATE sources SET data_version = NULL WHERE name = 'builtin';";
static const char migration_8_check[] =
	"SELECT (SELECT count(*) FROM quality_scores_v7) - (SELECT count(*) FROM quality_scores)";
static const char migration_8_after[] = "DROP TABLE quality_scores_v7;";

static int migration_8(struct lc_db *db, const char *schema, struct lc_err *err)
{
	static const struct rebuild r = { "CREATE TABLE quality_scores", NULL,
					  migration_8_before, migration_8_copy, migration_8_check,
					  migration_8_after, "quality scores", NULL };
	int64_t have = 0;

	/* a store whose user_version was set back by hand may have the new
	   table already; it is kept as it is */
	if (pragma_int(db, "SELECT count(*) FROM pragma_table_info('quality_scores') "
			   "WHERE name = 'snapshot'", &have, err))
		return -1;
	if (have)
		return 0;
	return rebuild(db, schema, 8, &r, err);
}

/*
 * Migration 9: the logged cost in the rollups (usage_sums and
 * usage_total_sums gain logged_cost and logged_records).  The two tables
 * and their views are rebuilt by data/schema.sql's own statements (from
 * "CREATE TABLE usage_sums" to the end of the usage_totals view), every
 * row copied, and the new columns filled from usage_calls.reported_cost,
 * grouped by the rollups' keys (the 15-minute bucket, the usage_dims row
 * with format '' - and project and session '' for usage_total_sums - the
 * sidechain flag and the context class of lc_pclass_ladder).  The copy is
 * checked (rows, and the logged sums against the records) before the old
 * tables go.  A store whose rollups have the columns already (its
 * user_version set back by hand, or migrated through version 5 by today's
 * statements, the columns 0) has them filled in place.  Migration 9 also
 * creates the plans table (subscription plans), which the built-in data
 * fills on the same open.
 */
static const char migration_9_before[] =
	"DROP VIEW usage_rollup; DROP VIEW usage_totals;\n"
	"ALTER TABLE usage_sums RENAME TO usage_sums_v8;\n"
	"ALTER TABLE usage_total_sums RENAME TO usage_total_sums_v8;\n";
#define M9_SUMS                                                                            \
	"bucket, dim, sidechain, pclass, records, input, cache_read, cache_write_5m, "        \
	"cache_write_1h, output, reasoning, requests, web_searches, audio_input, "            \
	"audio_output, image_input, other_tokens"
static const char migration_9_inserts[] =
	"INSERT INTO usage_sums(" M9_SUMS ", logged_cost, logged_records) SELECT " M9_SUMS
	", 0, 0 FROM usage_sums_v8;\n"
	"INSERT INTO usage_total_sums(" M9_SUMS ", logged_cost, logged_records) SELECT " M9_SUMS
	", 0, 0 FROM usage_total_sums_v8;\n";
/* Fills the logged columns of the rollups (0 before).  %s: the context
   class of prompt size p (built from lc_pclass_ladder); m9_rec: each record
   carrying a cost with its two rollup rows' dims */
static const char migration_9_fill[] =
	"CREATE TEMP TABLE m9_rec AS SELECT (c.ts_ms - ((c.ts_ms %% 900000) + 900000) %% 900000) "
	"/ 900000 AS bucket, r.id AS rid, t.id AS tid, c.sidechain, c.reported_cost AS cost, "
	"coalesce(c.tier_prompt, c.input + c.cache_read + c.cache_write_5m + c.cache_write_1h + "
	"c.audio_input + c.image_input) AS p FROM usage_calls c JOIN usage_dims d ON d.id = c.dim "
	"JOIN usage_dims r ON r.format = '' AND r.model_raw = d.model_raw AND r.model = d.model "
	"AND r.host = d.host AND r.project = d.project AND r.session = d.session "
	"AND r.service_tier = d.service_tier AND r.speed = d.speed "
	"JOIN usage_dims t ON t.format = '' AND t.model_raw = d.model_raw AND t.model = d.model "
	"AND t.host = d.host AND t.project = '' AND t.session = '' "
	"AND t.service_tier = d.service_tier AND t.speed = d.speed "
	"WHERE c.reported_cost IS NOT NULL;\n"
	"UPDATE usage_sums SET logged_cost = l.cost, logged_records = l.n FROM (SELECT bucket, "
	"rid, sidechain, %s AS pclass, sum(cost) AS cost, count(*) AS n FROM m9_rec "
	"GROUP BY 1, 2, 3, 4) l WHERE usage_sums.bucket = l.bucket AND usage_sums.dim = l.rid "
	"AND usage_sums.sidechain = l.sidechain AND usage_sums.pclass = l.pclass;\n"
	"UPDATE usage_total_sums SET logged_cost = l.cost, logged_records = l.n FROM (SELECT "
	"bucket, tid, sidechain, %s AS pclass, sum(cost) AS cost, count(*) AS n FROM m9_rec "
	"GROUP BY 1, 2, 3, 4) l WHERE usage_total_sums.bucket = l.bucket "
	"AND usage_total_sums.dim = l.tid AND usage_total_sums.sidechain = l.sidechain "
	"AND usage_total_sums.pclass = l.pclass;\n";
/* A store that has the columns already (set back by hand, or brought
   through migration 5 by today's schema, columns 0): filled again. */
static const char migration_9_zero[] =
	"UPDATE usage_sums SET logged_cost = 0, logged_records = 0 "
	"WHERE logged_cost <> 0 OR logged_records <> 0;\n"
	"UPDATE usage_total_sums SET logged_cost = 0, logged_records = 0 "
	"WHERE logged_cost <> 0 OR logged_records <> 0;\n";
/* 0 when whole: every row moved, and each table's logged sums those of the records */
static const char migration_9_check[] =
	"SELECT (SELECT count(*) FROM usage_sums_v8) - (SELECT count(*) FROM usage_sums) "
	"+ (SELECT count(*) FROM usage_total_sums_v8) - (SELECT count(*) FROM usage_total_sums) "
	"+ 2 * (SELECT count(reported_cost) FROM usage_calls) "
	"- (SELECT coalesce(sum(logged_records), 0) FROM usage_sums) "
	"- (SELECT coalesce(sum(logged_records), 0) FROM usage_total_sums) "
	"+ ((SELECT coalesce(sum(reported_cost), 0) FROM usage_calls) "
	"<> (SELECT coalesce(sum(logged_cost), 0) FROM usage_sums)) "
	"+ ((SELECT coalesce(sum(reported_cost), 0) FROM usage_calls) "
	"<> (SELECT coalesce(sum(logged_cost), 0) FROM usage_total_sums))";
static const char migration_9_after[] =
	"DROP TABLE m9_rec; DROP TABLE usage_sums_v8; DROP TABLE usage_total_sums_v8;";

/* and the plans table, filled by the built-in data on the same open */
static int migration_9_plans(struct lc_db *db, const char *schema, struct lc_err *err)
{
	/* a store whose user_version was set back by hand may have it already */
	return add_builtin_table(db, schema, "plans", err);
}

/* pre, then migration_9_fill for lc_pclass_ladder, as a new string */
static char *migration_9_sql(const char *pre)
{
	char pclass[256] = "(0", *sql;
	size_t n = strlen(pclass), len;

	for (int i = 0; i < LC_PCLASS_N; i++)
		n += (size_t)snprintf(pclass + n, sizeof(pclass) - n, " + (p > %lld)",
				      (long long)lc_pclass_ladder[i]);
	lc_strlcpy(pclass + n, ")", sizeof(pclass) - n);
	len = strlen(pre) + sizeof(migration_9_fill) + 2 * sizeof(pclass);
	sql = xmalloc(len);
	n = strlen(pre);
	memcpy(sql, pre, n);
	snprintf(sql + n, len - n, migration_9_fill, pclass, pclass);
	return sql;
}

static int migration_9(struct lc_db *db, const char *schema, struct lc_err *err)
{
	struct rebuild r = { "CREATE TABLE usage_sums", "CREATE VIEW usage_totals",
			     migration_9_before, NULL, migration_9_check, migration_9_after,
			     "usage rollups", NULL };
	int64_t have = 0;
	char *sql;
	int rc;

	if (pragma_int(db, "SELECT count(*) FROM pragma_table_info('usage_sums') "
			   "WHERE name = 'logged_cost'", &have, err))
		return -1;
	if (have) {
		/* the rollups have the columns already: fill them in place */
		sql = migration_9_sql(migration_9_zero);
		rc = exec(db, sql, err, "upgrading the database schema") ||
		     exec(db, "DROP TABLE m9_rec", err, "upgrading the database schema");
	} else {
		r.copy = sql = migration_9_sql(migration_9_inserts);
		rc = rebuild(db, schema, 9, &r, err);
	}
	free(sql);
	return rc ? -1 : migration_9_plans(db, schema, err);
}

/*
 * Migration 10: who produced each record (usage_dims.user_name, part of its
 * UNIQUE key).  usage_dims is rebuilt by data/schema.sql's own statement,
 * every row copied with its id and user_name '' (no earlier version knew
 * the user), and the views over it recreated by their own statements (they
 * gain user_name).  The tables that point at usage_dims keep their rows and
 * their REFERENCES text: the old table is renamed aside in legacy mode and
 * with foreign keys off (migrate() sets both), so no reference follows it.
 * The copy is checked before the old table goes: the same rows under the
 * same ids, and every record and rollup row still joined to its attributes
 * (the views, which join them, give the totals they gave before).  Other
 * references are not checked: a store they dangle in still migrates.
 * A store whose usage_dims has the column already (migrated through
 * version 3 by today's statements, or set back by hand) is left as it is.
 */
static const char migration_10_before[] =
	"DROP VIEW usage_records; DROP VIEW usage_rollup; DROP VIEW usage_totals;\n"
	"ALTER TABLE usage_dims RENAME TO usage_dims_v9;\n";
#define M10_DIMS "id, format, model_raw, model, host, project, session, service_tier, speed"
static const char migration_10_copy[] =
	"INSERT INTO usage_dims(" M10_DIMS ", user_name) SELECT " M10_DIMS ", '' "
	"FROM usage_dims_v9 ORDER BY id;";
/* 0 when whole */
static const char migration_10_check[] =
	"SELECT (SELECT count(*) FROM usage_dims_v9) - (SELECT count(*) FROM usage_dims) "
	"+ (SELECT count(*) FROM usage_dims_v9 o LEFT JOIN usage_dims n ON n.id = o.id "
	"AND n.format = o.format AND n.model_raw = o.model_raw AND n.model = o.model "
	"AND n.host = o.host AND n.project = o.project AND n.session = o.session "
	"AND n.service_tier = o.service_tier AND n.speed = o.speed AND n.user_name = '' "
	"WHERE n.id IS NULL) "
	"+ (SELECT count(*) FROM usage_calls) - (SELECT count(*) FROM usage_records) "
	"+ (SELECT count(*) FROM usage_sums) - (SELECT count(*) FROM usage_rollup) "
	"+ (SELECT count(*) FROM usage_total_sums) - (SELECT count(*) FROM usage_totals)";
static const char migration_10_after[] = "DROP TABLE usage_dims_v9;";

/* The views over usage_dims, by data/schema.sql's statements. */
static int migration_10_views(struct lc_db *db, const char *schema, struct lc_err *err)
{
	char *a = schema_block(schema, "CREATE VIEW usage_records", NULL, err);
	char *b = a ? schema_block(schema, "CREATE VIEW usage_rollup", "CREATE VIEW usage_totals",
				   err) : NULL;
	int r = !b || exec(db, a, err, "upgrading the database schema") ||
		exec(db, b, err, "upgrading the database schema");

	free(a);
	free(b);
	return r ? -1 : 0;
}

static int migration_10(struct lc_db *db, const char *schema, struct lc_err *err)
{
	/* the views come back before the check, which reads them */
	static const struct rebuild r = { "CREATE TABLE usage_dims", NULL, migration_10_before,
					   migration_10_copy, migration_10_check,
					   migration_10_after, "usage attributes",
					   migration_10_views };
	int64_t have = 0;

	if (pragma_int(db, "SELECT count(*) FROM pragma_table_info('usage_dims') "
			   "WHERE name = 'user_name'", &have, err))
		return -1;
	return have ? 0 : rebuild(db, schema, 10, &r, err);
}

static int migration(struct lc_db *db, int64_t to, const char *schema, struct lc_err *err)
{
	if (to == 2)
		return exec(db, migration_2, err, "upgrading the database schema");
	if (to == 3)
		return migration_3(db, schema, err);
	if (to == 4)
		return migration_4(db, schema, err);
	if (to == 5)
		return migration_5(db, schema, err);
	if (to == 6)
		return migration_6(db, schema, err);
	if (to == 7)
		return migration_7(db, schema, err);
	if (to == 8)
		return migration_8(db, schema, err);
	if (to == 9)
		return migration_9(db, schema, err);
	if (to == 10)
		return migration_10(db, schema, err);
	return lc_errf(err, LC_ERUNTIME, "internal: no migration to schema %lld", (long long)to);
}

/* Refuse a file that is another program's database or a newer llmcost's,
   before anything is written to it; *ver: its schema version. */
static int identity(struct lc_db *db, int64_t *ver_out, struct lc_err *err)
{
	int64_t ver = 0, appid = 0, nobj = 0;

	if (pragma_int(db, "PRAGMA application_id", &appid, err) ||
	    pragma_int(db, "PRAGMA user_version", &ver, err) ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_master", &nobj, err))
		return -1;
	if (appid != 0 && appid != LC_APPLICATION_ID)
		return lc_errf(err, LC_EDB, "'%s' is a database of another program, not llmcost's",
			       db->path);
	if (appid == 0 && ver == 0 && nobj > 0)
		return lc_errf(err, LC_EDB,
			       "'%s' is an SQLite database but not llmcost's (it already has tables)",
			       db->path);
	if (ver > LC_SCHEMA_VERSION)
		return lc_errf(err, LC_EDB,
			       "database '%s' was written by a newer llmcost (schema %lld, this llmcost knows %d): upgrade llmcost",
			       db->path, (long long)ver, LC_SCHEMA_VERSION);
	*ver_out = ver;
	return 0;
}

/* Bring the store to LC_SCHEMA_VERSION: a new one from data/schema.sql (the
   latest schema), an older one by its migrations, in one transaction. */
static int migrate_tx(struct lc_db *db, const char *schema, struct lc_err *err)
{
	int64_t ver = 0;

	if (db_begin(db, err))
		return -1;
	/* re-read inside the lock: another process may have migrated meanwhile */
	if (pragma_int(db, "PRAGMA user_version", &ver, err))
		goto fail;
	if (ver == 0) {
		if (exec(db, schema, err, "creating the schema"))
			goto fail;
		ver = LC_SCHEMA_VERSION;
	}
	for (; ver < LC_SCHEMA_VERSION; ver++)
		if (migration(db, ver + 1, schema, err))
			goto fail;
	{
		char sql[96];

		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld; PRAGMA application_id = %d",
			 (long long)ver, LC_APPLICATION_ID);
		if (exec(db, sql, err, "recording the schema version"))
			goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

static int migrate(struct lc_db *db, struct lc_err *err)
{
	int64_t ver = 0;
	const struct lc_blob *schema = embed_get("data/schema.sql");
	struct lc_err ignored = { 0 };
	int rc;

	if (identity(db, &ver, err))
		return -1;
	if (ver == LC_SCHEMA_VERSION)
		return 0;
	if (ver == 0)
		return migrate_tx(db, schema->data, err);
	/* migration 10 swaps usage_dims under the tables that point at it: no
	   reference may follow the old table (see migration_10); both settings
	   only take effect outside a transaction */
	if (exec(db, "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON", err,
		 "upgrading the database schema"))
		return -1;
	rc = migrate_tx(db, schema->data, err);
	if (exec(db, "PRAGMA legacy_alter_table = OFF; PRAGMA foreign_keys = ON",
		 rc ? &ignored : err, "upgrading the database schema"))
		rc = -1;
	return rc;
}

/* BUSY_TIMEOUT_MS, or $LLMCOST_BUSY_TIMEOUT_MS (0..600000) so tests stay fast. */
static int busy_timeout_ms(void)
{
	const char *env = getenv("LLMCOST_BUSY_TIMEOUT_MS");
	char *end;
	long v;

	if (!env || !*env)
		return BUSY_TIMEOUT_MS;
	v = strtol(env, &end, 10);
	if (*end || v < 0 || v > 600000)
		return BUSY_TIMEOUT_MS;
	return (int)v;
}

/*
 * Serialise the opening phase (creation, the switch to WAL, migrations, the
 * built-in data) between processes with flock() on the database file: two
 * processes creating one store at once could otherwise meet in rollback-journal
 * mode, where SQLite answers a lock upgrade with SQLITE_BUSY at once.  flock
 * locks are apart from SQLite's fcntl locks; the descriptor stays open until
 * db_close, because closing it would drop SQLite's locks on the file.
 */
static void open_lock(struct lc_db *db, const char *path)
{
	db->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (db->lockfd < 0)
		db->lockfd = open(path, O_RDONLY | O_CLOEXEC);
	if (db->lockfd < 0)
		return;
	for (int waited = 0; flock(db->lockfd, LOCK_EX | LOCK_NB) != 0; waited += 10) {
		if (errno != EWOULDBLOCK || waited >= busy_timeout_ms())
			return; /* SQLite's own locking still applies */
		usleep(10000);
	}
}

int db_open(struct lc_db **out, const char *path, struct lc_err *err)
{
	struct lc_db *db;
	struct stat stbuf;
	char *sqlpath;
	int memory = !strcmp(path, ":memory:"), rc;

	*out = NULL;
	if (!*path)
		return lc_errf(err, LC_EUSAGE, "the database path is empty");
	if (db_pg_wanted(path))
		return db_pg_open(out, path, err);
	if (memory) {
		/* no file, no lock */
	} else if (stat(path, &stbuf) == 0) {
		if (!S_ISREG(stbuf.st_mode))
			return lc_errf(err, LC_EDB, "database '%s' is not a regular file", path);
	} else if (errno != ENOENT) {
		/* a symlink loop, a path through a file, no permission */
		return lc_errf(err, LC_EDB, "cannot open database '%s': %s", path, strerror(errno));
	} else if (make_parent_dirs(path, err)) {
		return -1;
	}
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->lockfd = -1;
	if (!memory)
		open_lock(db, path);
	/* a name that starts "file:" is a file too, never a URI (this SQLite
	   takes URIs in every open): "./" makes it a relative path */
	sqlpath = xmalloc(strlen(path) + 3);
	snprintf(sqlpath, strlen(path) + 3, "%s%s", strncmp(path, "file:", 5) ? "" : "./", path);
	/* NOMUTEX: a connection is only ever used by one thread */
	rc = sqlite3_open_v2(sqlpath, &db->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	free(sqlpath);
	if (rc != SQLITE_OK) {
		lc_errf(err, LC_EDB, "cannot open database '%s': %s", path,
			db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, busy_timeout_ms());
	/* 16 KiB pages for a new store (an existing one keeps its own): a
	   usage ingest writes every page twice (WAL, then the database), and
	   4 KiB pages made that ~900,000 pread/pwrite calls per million
	   records, a fifth of the time */
	if (exec(db, "PRAGMA foreign_keys = ON; PRAGMA page_size = 16384", err,
		 "opening the database"))
		goto fail;
	{
		int64_t ver;

		/* a store this llmcost must refuse is left as it was: checked
		   before the switch to WAL rewrites the file's header */
		if (identity(db, &ver, err))
			goto fail;
	}
	{
		/* journal_mode answers with a row */
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode = WAL", -1, &st, NULL) !=
		    SQLITE_OK) {
			db_fail(db, err, "opening the database");
			goto fail;
		}
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW) {
			db_fail(db, err, "opening the database");
			goto fail;
		}
	}
	if (exec(db, "PRAGMA synchronous = FULL", err, "opening the database"))
		goto fail;
	/* 32 MiB of page cache: an ingest inserts random keys into large
	   indexes, and the default 2 MiB makes each insert re-read pages */
	if (exec(db, "PRAGMA cache_size = -32768", err, "opening the database"))
		goto fail;
	if (migrate(db, err))
		goto fail;
	if ((rc = db_builtin_sync(db, err)) < 0)
		goto fail;
	if (db_sheet_repair_dates(db, rc > 0, err) < 0)
		goto fail;
	if (db->lockfd >= 0)
		flock(db->lockfd, LOCK_UN);
	*out = db;
	return 0;
fail:
	db_close(db);
	return -1;
}

int db_open_bare(struct lc_db **out, struct lc_err *err)
{
	struct lc_db *db = xcalloc(1, sizeof(*db));
	const struct lc_blob *schema = embed_get("data/schema.sql");

	*out = NULL;
	db->path = xstrdup(":memory:");
	db->lockfd = -1;
	if (sqlite3_open_v2(":memory:", &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		lc_errf(err, LC_EDB, "opening a store in memory: out of memory");
		db_close(db);
		return -1;
	}
	/* a store in memory keeps its statement journals in memory too */
	if (exec(db, "PRAGMA temp_store = MEMORY", err, "opening a store in memory") ||
	    exec(db, schema->data, err, "creating the schema")) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void db_close(struct lc_db *db)
{
	if (!db)
		return;
	if (db->hook.release)
		db->hook.release(db->hook.ctx);
	if (db->role == DB_CACHE)
		db_pg_free(db->remote);
	db_name_index_free(db->names);
	for (int i = 0; i < STMT_CACHE && db->cache_sql[i]; i++)
		sqlite3_finalize(db->cache_st[i]);
	if (db->h)
		sqlite3_close_v2(db->h);
	if (db->lockfd >= 0)
		close(db->lockfd);
	free(db->path);
	free(db);
}

/*
 * db_usage_read.c - reading the usage store for reports and budgets (see
 * db_usage.h).
 */
#include "db_usage_int.h"
#include "db_pg.h"

/* ---- reading for reports ---- */

int db_usage_ladder_ok(struct lc_db *db, const char (*as)[LC_ID_MAX], int n, struct lc_err *err)
{
	/* ?1 NULL: the models of the stored usage; else that model */
	static const char sql[] =
		"SELECT DISTINCT min_input_tokens FROM price_periods WHERE min_input_tokens > 0 "
		"AND (CASE WHEN ?1 IS NULL THEN model_id IN (SELECT model FROM usage_dims "
		"WHERE model <> '') ELSE model_id = ?1 END)";
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, ok = 1;

	if (pg_fresh(db, PG_TOTALS, err))
		return -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading context tiers");
	for (int m = -1; m < n && rc == SQLITE_DONE; m++) {
		sqlite3_reset(st);
		if (m < 0)
			sqlite3_bind_null(st, 1);
		else
			sqlite3_bind_text(st, 1, as[m], -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t t = sqlite3_column_int64(st, 0), in = 0;

			for (int i = 0; i < LC_PCLASS_N; i++)
				in |= lc_pclass_ladder[i] == t;
			if (!in)
				ok = 0;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "reading context tiers");
	return ok;
}

static const char *ctext(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v ? (const char *)v : "";
}

/* A rollup row's columns, as row_from reads them (s: the sums, d: usage_dims) */
#define SUMS_COLS                                                                          \
	"s.bucket * 900000, d.model_raw, d.model, d.host, d.project, d.session, "          \
	"d.service_tier, d.speed, s.sidechain, s.pclass, s.records, s.input, s.cache_read, " \
	"s.cache_write_5m, s.cache_write_1h, s.output, s.reasoning, s.requests, "           \
	"s.web_searches, s.audio_input, s.audio_output, s.image_input, s.other_tokens"

static void row_from(sqlite3_stmt *st, struct lc_usage_row *r)
{
	r->ts_ms = sqlite3_column_int64(st, 0);
	r->model_raw = ctext(st, 1);
	r->model = ctext(st, 2);
	r->host = ctext(st, 3);
	r->project = ctext(st, 4);
	r->session = ctext(st, 5);
	r->service_tier = ctext(st, 6);
	r->speed = ctext(st, 7);
	r->sidechain = sqlite3_column_int(st, 8);
	r->pclass = sqlite3_column_int(st, 9);
	r->records = sqlite3_column_int64(st, 10);
	r->input = sqlite3_column_int64(st, 11);
	r->cache_read = sqlite3_column_int64(st, 12);
	r->cache_write_5m = sqlite3_column_int64(st, 13);
	r->cache_write_1h = sqlite3_column_int64(st, 14);
	r->output = sqlite3_column_int64(st, 15);
	r->reasoning = sqlite3_column_int64(st, 16);
	r->requests = sqlite3_column_int64(st, 17);
	r->web_searches = sqlite3_column_int64(st, 18);
	r->audio_input = sqlite3_column_int64(st, 19);
	r->audio_output = sqlite3_column_int64(st, 20);
	r->image_input = sqlite3_column_int64(st, 21);
	r->other_tokens = sqlite3_column_int64(st, 22);
	r->tier_prompt = sqlite3_column_int64(st, 23);
	r->logged_cost = sqlite3_column_int64(st, 24);
	r->logged_records = sqlite3_column_int64(st, 25);
	r->user = ctext(st, 26);
}

/*
 * The usage_rollup rows that usage_totals row t sums, to fn.  Runs while the
 * scan of usage_totals is still open on the same connection, so it reads the
 * same snapshot.  Returns fn's non-zero answer, 0, or -1.
 */
static int scan_parts(struct lc_db *db, const struct lc_usage_row *t, db_usage_row_fn fn,
		      void *ctx, struct lc_err *err)
{
	/* the primary key's prefix (bucket) finds them */
	static const char sql[] =
		"SELECT " SUMS_COLS ", 0, s.logged_cost, s.logged_records, d.user_name "
		"FROM usage_sums s JOIN usage_dims d ON d.id = s.dim "
		"WHERE s.bucket = ?1 / 900000 AND d.model_raw = ?2 AND d.model = ?3 "
		"AND d.host = ?4 AND d.service_tier = ?5 AND d.speed = ?6 AND s.sidechain = ?7 "
		"AND s.pclass = ?8 AND s.records > 0";
	sqlite3_stmt *st;
	int rc, stop = 0;

	/* the team store's cache reads that rollup now (the scan of totals
	   goes on: its rows are not written) */
	if (pg_fresh(db, PG_SUMS, err) || !(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, t->ts_ms);
	sqlite3_bind_text(st, 2, t->model_raw, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, t->model, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, t->host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, t->service_tier, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, t->speed, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 7, t->sidechain);
	sqlite3_bind_int(st, 8, t->pclass);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_usage_row r;

		row_from(st, &r);
		r.detail = 1;
		if ((stop = fn(ctx, &r)) != 0)
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = db_fail(db, err, "reading usage");
	sqlite3_reset(st);
	if (stop == DB_USAGE_PARTS)
		return lc_errf(err, LC_ERUNTIME, "internal: parts of a usage_rollup row asked for");
	return stop;
}

/* Every record, its columns those of the rollup rows (lc_usage_row). */
#define RECORDS_SQL \
	"SELECT c.ts_ms, d.model_raw, d.model, d.host, d.project, d.session, "\
	"d.service_tier, d.speed, c.sidechain, -1, 1, c.input, c.cache_read, "\
	"c.cache_write_5m, c.cache_write_1h, c.output, c.reasoning, c.requests, "\
	"c.web_searches, c.audio_input, c.audio_output, c.image_input, c.other_tokens, "\
	"coalesce(c.tier_prompt, 0), coalesce(c.reported_cost, 0), "\
	"c.reported_cost IS NOT NULL, d.user_name FROM usage_calls c "\
	"JOIN usage_dims d ON d.id = c.dim WHERE (?1 = 0 OR c.ts_ms >= ?1) "\
	"AND (?2 = 0 OR c.ts_ms < ?2) AND (?3 IS NULL OR d.project = ?3) "\
	"AND (?4 IS NULL OR d.model = ?4 OR d.model_raw = ?4) "\
	"AND (?5 IS NULL OR d.session = ?5) AND (?8 IS NULL OR d.user_name = ?8)"

int db_usage_scan(struct lc_db *db, const struct lc_usage_query *q, db_usage_row_fn fn,
		  void *ctx, struct lc_err *err)
{
	static const char rollup_sql[] =
		"SELECT " SUMS_COLS ", 0, s.logged_cost, s.logged_records, d.user_name "
		"FROM usage_sums s JOIN usage_dims d ON d.id = s.dim "
		"WHERE s.records > 0 AND s.bucket >= ?6 AND s.bucket <= ?7 "
		"AND (?3 IS NULL OR d.project = ?3) "
		"AND (?4 IS NULL OR d.model = ?4 OR d.model_raw = ?4) "
		"AND (?5 IS NULL OR d.session = ?5) AND (?8 IS NULL OR d.user_name = ?8)";
	static const char totals_sql[] =
		"SELECT " SUMS_COLS ", 0, s.logged_cost, s.logged_records, d.user_name "
		"FROM usage_total_sums s JOIN usage_dims d ON d.id = s.dim "
		"WHERE s.records > 0 AND s.bucket >= ?6 AND s.bucket <= ?7 AND ?3 IS NULL "
		"AND (?4 IS NULL OR d.model = ?4 OR d.model_raw = ?4) AND ?8 IS NULL";
	static const char records_sql[] = RECORDS_SQL;
	/* the same, newest first: the recent records of a big store are near
	   the end of usage_calls, so a scan that knows how many it wants
	   (q->newest, counted from the rollup) stops after a few pages */
	static const char newest_sql[] = RECORDS_SQL " ORDER BY c.id DESC";
	int totals = !q->records && !q->detail && !q->project && !q->session && !q->user;
	const char *sql = q->records ? (q->newest > 0 ? newest_sql : records_sql)
				     : totals ? totals_sql : rollup_sql;
	sqlite3_stmt *st;
	int64_t seen = 0;
	int rc, stop = 0;

	/* the team store brings its records into the cache first */
	if (pg_fresh(db, q->records ? PG_RECORDS : totals ? PG_TOTALS : PG_SUMS, err))
		return -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading usage");
	sqlite3_bind_int64(st, 1, q->since_ms);
	sqlite3_bind_int64(st, 2, q->until_ms);
	/* the rollups' bounds as plain ranges on the primary key's first
	   column (an "?1 = 0 OR ..." term made SQLite scan the whole table) */
	if (!q->records) {
		sqlite3_bind_int64(st, 6, q->since_ms ? floordiv(q->since_ms, BUCKET_MS) : INT64_MIN);
		sqlite3_bind_int64(st, 7, q->until_ms ? floordiv(q->until_ms, BUCKET_MS) : INT64_MAX);
	}
	if (q->project)
		sqlite3_bind_text(st, 3, q->project, -1, SQLITE_STATIC);
	if (q->model)
		sqlite3_bind_text(st, 4, q->model, -1, SQLITE_STATIC);
	if (q->session)
		sqlite3_bind_text(st, 5, q->session, -1, SQLITE_STATIC);
	if (q->user)
		sqlite3_bind_text(st, 8, q->user, -1, SQLITE_STATIC);
	while ((q->newest <= 0 || seen < q->newest) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_usage_row r;

		seen++;
		row_from(st, &r);
		r.detail = !totals;
		stop = fn(ctx, &r);
		if (stop == DB_USAGE_PARTS && totals)
			stop = scan_parts(db, &r, fn, ctx, err);
		else if (stop == DB_USAGE_PARTS)
			stop = lc_errf(err, LC_ERUNTIME, "internal: parts of a row asked for");
		if (stop != 0)
			break;
	}
	if (!stop && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_fail(db, err, "reading usage");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return stop;
}

int db_usage_buckets(struct lc_db *db, int64_t since_ms, int64_t until_ms,
		     struct lc_usage_bucket **out, size_t *n, struct lc_err *err)
{
	/* the primary key's first column: a range read, grouped in key order */
	static const char sql[] =
		"SELECT bucket, sum(records) FROM usage_total_sums "
		"WHERE bucket >= ?1 AND (?2 = 0 OR bucket <= ?2) AND records > 0 "
		"GROUP BY bucket ORDER BY bucket";
	sqlite3_stmt *st = db_cached(db, sql, err);
	size_t cap = 0;
	int rc;

	if (pg_fresh(db, PG_TOTALS, err))
		return -1;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, since_ms ? floordiv(since_ms, BUCKET_MS) : INT64_MIN);
	sqlite3_bind_int64(st, 2, until_ms ? floordiv(until_ms, BUCKET_MS) : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].start_ms = sqlite3_column_int64(st, 0) * BUCKET_MS;
		(*out)[(*n)++].records = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "reading usage");
	}
	return 0;
}

int db_usage_times(struct lc_db *db, int64_t **out, size_t *n, struct lc_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (pg_fresh(db, PG_RECORDS, err))
		return -1;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db_handle(db), "SELECT ts_ms FROM usage_calls", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "reading usage");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "reading usage");
	}
	return 0;
}

/* ---- budgets ---- */

int db_budget_set(struct lc_db *db, const char *scope, int64_t monthly, struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO budgets(scope, monthly, updated_at) VALUES (?, ?, ?) "
		"ON CONFLICT(scope) DO UPDATE SET monthly = excluded.monthly, "
		"updated_at = excluded.updated_at";
	sqlite3_stmt *st;
	char now[32];

	if (db_begin(db, err))
		return -1;
	if (!(st = db_cached(db, sql, err)))
		goto fail;
	ts_format(now, sizeof(now), lc_now());
	sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, monthly);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, err, "saving a budget");
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

int db_budget_list(struct lc_db *db, db_budget_fn fn, void *ctx, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (sqlite3_prepare_v2(db_handle(db), "SELECT scope, monthly FROM budgets ORDER BY scope",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading budgets");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, ctext(st, 0), sqlite3_column_int64(st, 1)))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading budgets");
	return n;
}

int db_budget_rm(struct lc_db *db, const char *scope, struct lc_err *err)
{
	sqlite3_stmt *st;
	int n;

	if (db_begin(db, err))
		return -1;
	if (!(st = db_cached(db, "DELETE FROM budgets WHERE scope = ?", err)))
		goto fail;
	sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, err, "removing a budget");
		goto fail;
	}
	n = sqlite3_changes(db_handle(db));
	if (db_commit(db, err))
		return -1;
	return n > 0;
fail:
	db_rollback(db);
	return -1;
}

/* ---- the projects the usage names ---- */

/* fn on each row of sql (one text column); the number of rows or -1. */
static int each_name(struct lc_db *db, const char *sql, db_name_fn fn, void *ctx,
		     struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (pg_fresh(db, PG_ROLLUPS, err))
		return -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading the usage's names");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, ctext(st, 0)))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading the usage's names");
	return n;
}

int db_usage_projects(struct lc_db *db, db_name_fn fn, void *ctx, struct lc_err *err)
{
	/* usage_dims rows are never deleted: every project some record has */
	return each_name(db, "SELECT DISTINCT project FROM usage_dims WHERE project <> '' "
			     "ORDER BY project", fn, ctx, err);
}

int db_usage_users(struct lc_db *db, db_name_fn fn, void *ctx, struct lc_err *err)
{
	return each_name(db, "SELECT DISTINCT user_name FROM usage_dims WHERE user_name <> '' "
			     "ORDER BY user_name", fn, ctx, err);
}

int db_usage_models(struct lc_db *db, db_name_fn fn, void *ctx, struct lc_err *err)
{
	/* both names a report's --model matches */
	return each_name(db, "SELECT model AS m FROM usage_dims WHERE model <> '' UNION "
			     "SELECT model_raw FROM usage_dims WHERE model_raw <> '' ORDER BY m",
			 fn, ctx, err);
}

/* ---- records as rows (the team store, migrate) ---- */

void usage_rec_of_stmt(sqlite3_stmt *st, struct lc_usage_rec *r, char fmt[32])
{
	int64_t glen = sqlite3_column_int64(st, R_GLEN);
	int64_t v[NV];

	memset(r, 0, offsetof(struct lc_usage_rec, project));
	coltext(st, R_KEY, r->key, sizeof(r->key));
	if (glen > 0 && glen + 3 < (int64_t)sizeof(r->group) && (size_t)glen + 3 <= strlen(r->key)) {
		memcpy(r->group, r->key + 3, (size_t)glen);
		r->group[glen] = '\0';
	}
	r->ts_ms = sqlite3_column_int64(st, R_TS);
	coltext(st, R_FORMAT, fmt, 32);
	r->format = fmt;
	coltext(st, R_MODEL_RAW, r->model_raw, sizeof(r->model_raw));
	coltext(st, R_MODEL, r->model, sizeof(r->model));
	coltext(st, R_HOST, r->host, sizeof(r->host));
	coltext(st, R_PROJECT, r->project, sizeof(r->project));
	coltext(st, R_SESSION, r->session, sizeof(r->session));
	coltext(st, R_TIER, r->service_tier, sizeof(r->service_tier));
	coltext(st, R_SPEED, r->speed, sizeof(r->speed));
	coltext(st, R_USER, r->user, sizeof(r->user));
	r->line = sqlite3_column_int64(st, R_LINE);
	for (int i = 0; i < NV; i++)
		v[i] = sqlite3_column_int64(st, R_V0 + i);
	counts_to(r, v);
	r->sidechain = sqlite3_column_int(st, R_SIDE);
	r->has_reported_cost = sqlite3_column_type(st, R_COST) != SQLITE_NULL;
	r->reported_cost = sqlite3_column_int64(st, R_COST);
	r->tier_prompt = sqlite3_column_int64(st, R_TIERP);
	r->replace = sqlite3_column_count(st) > R_N ? sqlite3_column_int(st, R_N) : 0;
}

int64_t usage_num(const char *s)
{
	uint64_t v = 0;
	int neg;

	if (!s)
		return 0;
	/* decimal digits after an optional sign, as strtoll reads the fields
	   PostgreSQL and SQLite write, without its locale and errno */
	neg = *s == '-';
	s += neg || *s == '+';
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

void usage_rec_of(struct lc_usage_rec *r, const char *const *f, char fmt[32])
{
	int64_t glen = usage_num(f[R_GLEN]);
	int64_t v[NV];

	memset(r, 0, offsetof(struct lc_usage_rec, project));
	LC_COPY(r->key, f[R_KEY] ? f[R_KEY] : "");
	if (glen > 0 && glen + 3 < (int64_t)sizeof(r->group) &&
	    (size_t)glen + 3 <= strlen(r->key)) {
		memcpy(r->group, r->key + 3, (size_t)glen);
		r->group[glen] = '\0';
	}
	r->ts_ms = usage_num(f[R_TS]);
	lc_strlcpy(fmt, f[R_FORMAT] ? f[R_FORMAT] : "", 32);
	r->format = fmt;
	LC_COPY(r->model_raw, f[R_MODEL_RAW] ? f[R_MODEL_RAW] : "");
	LC_COPY(r->model, f[R_MODEL] ? f[R_MODEL] : "");
	LC_COPY(r->host, f[R_HOST] ? f[R_HOST] : "");
	LC_COPY(r->project, f[R_PROJECT] ? f[R_PROJECT] : "");
	LC_COPY(r->session, f[R_SESSION] ? f[R_SESSION] : "");
	LC_COPY(r->service_tier, f[R_TIER] ? f[R_TIER] : "");
	LC_COPY(r->speed, f[R_SPEED] ? f[R_SPEED] : "");
	LC_COPY(r->user, f[R_USER] ? f[R_USER] : "");
	r->line = usage_num(f[R_LINE]);
	for (int i = 0; i < NV; i++)
		v[i] = usage_num(f[R_V0 + i]);
	counts_to(r, v);
	r->sidechain = (int)usage_num(f[R_SIDE]);
	r->has_reported_cost = f[R_COST] != NULL;
	r->reported_cost = usage_num(f[R_COST]);
	r->tier_prompt = usage_num(f[R_TIERP]);
}

/* Every stored record, in the order stored, as r (the records' own columns:
   r->replace is 0, r->file_id 0). */
int db_usage_each_record(struct lc_db *db, db_usage_rec_fn fn, void *ctx, struct lc_err *err)
{
	static const char sql[] =
		"SELECT c.natural_key, c.group_len, c.ts_ms, d.format, d.model_raw, d.model, d.host, "
		"d.project, d.session, d.service_tier, d.speed, d.user_name, c.line, c.input, "
		"c.cache_read, "
		"c.cache_write_5m, c.cache_write_1h, c.output, c.reasoning, c.requests, "
		"c.web_searches, c.audio_input, c.audio_output, c.image_input, c.other_tokens, "
		"c.sidechain, c.reported_cost, c.tier_prompt FROM usage_calls c "
		"JOIN usage_dims d ON d.id = c.dim ORDER BY c.id";
	struct lc_usage_rec *r;
	sqlite3_stmt *st;
	char fmt[32];
	int rc, stop = 0;

	if (pg_fresh(db, PG_RECORDS, err))
		return -1;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading usage records");
	r = xmalloc(sizeof(*r));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		usage_rec_of_stmt(st, r, fmt);
		if ((stop = fn(ctx, r)) != 0)
			break;
	}
	sqlite3_finalize(st);
	free(r);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading usage records");
}

int db_usage_grand_total(struct lc_db *db, struct lc_usage_total *t, struct lc_err *err)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(records), 0), coalesce(sum(input), 0), "
		"coalesce(sum(cache_read), 0), coalesce(sum(cache_write_5m), 0), "
		"coalesce(sum(cache_write_1h), 0), coalesce(sum(output), 0), "
		"coalesce(sum(reasoning), 0), coalesce(sum(requests), 0), "
		"coalesce(sum(web_searches), 0), coalesce(sum(audio_input), 0), "
		"coalesce(sum(audio_output), 0), coalesce(sum(image_input), 0), "
		"coalesce(sum(other_tokens), 0), coalesce(sum(logged_cost), 0), "
		"coalesce(sum(logged_records), 0) FROM usage_total_sums";
	sqlite3_stmt *st;
	int rc;

	if (pg_fresh(db, PG_TOTALS, err))
		return -1;

	memset(t, 0, sizeof(*t));
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "summing usage");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->rows = sqlite3_column_int64(st, 0);
		t->records = sqlite3_column_int64(st, 1);
		for (int i = 0; i < NV; i++)
			t->v[i] = sqlite3_column_int64(st, 2 + i);
		t->logged_cost = sqlite3_column_int64(st, 2 + NV);
		t->logged_records = sqlite3_column_int64(st, 3 + NV);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "summing usage");
}

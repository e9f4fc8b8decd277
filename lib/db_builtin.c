/*
 * db_builtin.c - loads the curated data/ files compiled into the binary.
 *
 * The data's version is a 64-bit FNV-1a hash of the embedded files, kept in
 * sources.data_version of the 'builtin' source.  When a newer llmcost ships
 * other data, the next db_open replaces the builtin rows in one transaction;
 * rows that other sources or the user created are never touched.  Every CSV
 * error names the file, line and column, so a bad edit fails the test suite.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "date.h"
#include "db.h"
#include "embed.h"
#include "hash.h"
#include "money.h"

const char *db_builtin_version(void)
{
	static char ver[17];
	uint64_t h = LC_HASH_SEED;

	if (ver[0])
		return ver;
	for (const struct lc_blob *b = embed_all(); b->name; b++)
		h = lc_hash_bytes(h, b->data, b->len);
	snprintf(ver, sizeof(ver), "%016llx", (unsigned long long)h);
	return ver;
}

/* The latest valid date in column `name` of embedded CSV `file`, kept in best. */
static void latest_in(const char *file, const char *name, char best[11])
{
	const struct lc_blob *b = embed_get(file);
	struct lc_err err = { 0 };
	struct csv c;
	int k = -1, rc;

	if (!b)
		return;
	csv_init_mem(&c, file, b->data, b->len);
	if (csv_next(&c, &err) == 1)
		for (int i = 0; i < c.nfields; i++)
			if (!strcmp(csv_field(&c, i), name))
				k = i;
	while (k >= 0 && (rc = csv_next(&c, &err)) == 1) {
		const char *v = k < c.nfields ? csv_field(&c, k) : "";
		lc_date d;

		if (strlen(v) == 10 && !date_parse(v, 10, &d, NULL) && strcmp(v, best) > 0)
			memcpy(best, v, 11);
	}
	csv_release(&c);
}

/* The value of key in data/meta.csv (key,value,note) when it is a date, into best[11]. */
static void meta_value(const char *key, char best[11])
{
	const struct lc_blob *b = embed_get("data/meta.csv");
	struct lc_err err = { 0 };
	struct csv c;
	lc_date d;

	best[0] = '\0';
	if (!b)
		return;
	csv_init_mem(&c, "data/meta.csv", b->data, b->len);
	while (csv_next(&c, &err) == 1)
		if (c.nfields >= 2 && !strcmp(csv_field(&c, 0), key) &&
		    strlen(csv_field(&c, 1)) == 10 && !date_parse(csv_field(&c, 1), 10, &d, NULL))
			memcpy(best, csv_field(&c, 1), 11);
	csv_release(&c);
}

const char *db_builtin_data_date(void)
{
	static char date[11];
	static int done;

	if (done)
		return date;
	/* declared in data/meta.csv (the latest evidence the data was built
	   from: a price may be announced to start later), else the latest start
	   of a built-in price; ends may lie ahead, and scores or lifecycle
	   dates say nothing about whether prices are current */
	meta_value("current_to", date);
	if (!date[0])
		latest_in("data/prices.csv", "effective_from", date);
	done = 1;
	return date;
}

int db_prices_current_to(struct lc_db *db, char out[11], struct lc_err *err)
{
	static const char sql[] =
		"SELECT max(substr(f.fetched_at, 1, 10)) FROM fetches f "
		"JOIN sources s ON s.id = f.source_id WHERE s.name <> 'builtin' AND f.result = 'ok'";
	sqlite3_stmt *st = db_cached(db, sql, err);
	const char *v;
	int rc;

	lc_strlcpy(out, db_builtin_data_date(), 11);
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (v = (const char *)sqlite3_column_text(st, 0)) &&
	    strcmp(v, out) > 0)
		lc_strlcpy(out, v, 11);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading the fetch log");
	return 0;
}

struct loader {
	struct lc_db *db;
	sqlite3 *h;
	struct csv csv;
	const char *file;
	int idx[24];
	struct lc_err *err;
};

static int open_csv(struct loader *l, const char *file, const char *const *cols, int n)
{
	const struct lc_blob *b = embed_get(file);
	int req[24];

	l->file = file;
	csv_init_mem(&l->csv, file, b->data, b->len);
	for (int i = 0; i < n; i++)
		req[i] = 1;
	if (csv_next(&l->csv, l->err) != 1)
		return lc_errf(l->err, LC_EDATA, "built-in '%s' has no header", file);
	if (l->csv.nfields != n)
		return lc_errf(l->err, LC_EDATA, "built-in '%s': header has %d columns, want %d",
			       file, l->csv.nfields, n);
	return csv_header_map(&l->csv, cols, req, n, l->idx, l->err);
}

static const char *col(struct loader *l, int k)
{
	return csv_field(&l->csv, l->idx[k]);
}

static int bad(struct loader *l, int k, const char *cols[], const char *why)
{
	return lc_errf(l->err, LC_EDATA, "built-in '%s' line %ld column '%s': %s ('%s')", l->file,
		       l->csv.line, cols[k], why, col(l, k));
}

/* Bind column k as text, or NULL when empty. */
static void bind_text(struct loader *l, sqlite3_stmt *st, int pos, int k)
{
	const char *v = col(l, k);

	if (*v)
		sqlite3_bind_text(st, pos, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, pos);
}

static int bind_date(struct loader *l, sqlite3_stmt *st, int pos, int k, const char *cols[],
		     int required)
{
	const char *v = col(l, k);
	lc_date d;

	if (!*v) {
		if (required)
			return bad(l, k, cols, "missing date");
		sqlite3_bind_null(st, pos);
		return 0;
	}
	if (date_parse(v, strlen(v), &d, NULL))
		return bad(l, k, cols, "malformed date");
	sqlite3_bind_text(st, pos, v, -1, SQLITE_TRANSIENT);
	return 0;
}

static int bind_int(struct loader *l, sqlite3_stmt *st, int pos, int k, const char *cols[])
{
	const char *v = col(l, k);
	int64_t n;

	if (!*v) {
		sqlite3_bind_null(st, pos);
		return 0;
	}
	if (tokens_parse(v, strlen(v), &n, NULL))
		return bad(l, k, cols, "not a non-negative integer");
	sqlite3_bind_int64(st, pos, n);
	return 0;
}

/* A decimal USD amount scaled by 10^shift (9: per-1M price or per-item fee). */
static int bind_money(struct loader *l, sqlite3_stmt *st, int pos, int k, const char *cols[],
		      int shift)
{
	const char *v = col(l, k);
	int64_t n;
	int rounded = 0;

	if (!*v) {
		sqlite3_bind_null(st, pos);
		return 0;
	}
	if (money_parse(v, strlen(v), shift, &n, &rounded, NULL) || n < 0)
		return bad(l, k, cols, "not a non-negative decimal amount");
	if (rounded)
		return bad(l, k, cols, "more precision than the store keeps");
	sqlite3_bind_int64(st, pos, n);
	return 0;
}

static int step(struct loader *l, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return lc_errf(l->err, LC_EDATA, "built-in '%s' line %ld: %s", l->file, l->csv.line,
			       sqlite3_errmsg(l->h));
	return 0;
}

static int prepare(struct loader *l, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(l->h, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(l->db, l->err, "preparing the built-in data load");
	return 0;
}

/* Run fn on every data row of file; fn binds and steps. */
static int each_row(struct loader *l, const char *file, const char *cols[], int n,
		    const char *sql, int (*fn)(struct loader *, sqlite3_stmt *, const char **))
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (open_csv(l, file, cols, n) || prepare(l, sql, &st))
		goto fail;
	while ((rc = csv_next(&l->csv, l->err)) == 1) {
		if (l->csv.nfields != n) {
			lc_errf(l->err, LC_EDATA, "built-in '%s' line %ld: %d fields, want %d", file,
				l->csv.line, l->csv.nfields, n);
			goto fail;
		}
		if (fn(l, st, cols))
			goto fail;
	}
	if (rc < 0)
		goto fail;
	sqlite3_finalize(st);
	csv_release(&l->csv);
	return 0;
fail:
	sqlite3_finalize(st);
	csv_release(&l->csv);
	return -1;
}

static int row_provider(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	for (int k = 0; k < 4; k++)
		bind_text(l, st, k + 1, k);
	return step(l, st);
}

static int row_model(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	/* id,maker,family,name,release_date,context_window,max_output,modalities,
	   open_weights,default_host,image_tokens */
	for (int k = 0; k < 4; k++)
		bind_text(l, st, k + 1, k);
	if (bind_date(l, st, 5, 4, cols, 0) || bind_int(l, st, 6, 5, cols) ||
	    bind_int(l, st, 7, 6, cols))
		return -1;
	bind_text(l, st, 8, 7);
	if (strcmp(col(l, 8), "0") && strcmp(col(l, 8), "1"))
		return bad(l, 8, cols, "want 0 or 1");
	sqlite3_bind_int(st, 9, col(l, 8)[0] == '1');
	bind_text(l, st, 10, 9);
	bind_text(l, st, 11, 10);
	return step(l, st);
}

static int row_alias(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	/* alias,model,host,valid_from,valid_to */
	const char *a = col(l, 0);

	for (const char *p = a; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return bad(l, 0, cols, "aliases are lowercase");
	bind_text(l, st, 1, 0);
	bind_text(l, st, 2, 1);
	bind_text(l, st, 3, 2);
	if (*col(l, 3)) {
		if (bind_date(l, st, 4, 3, cols, 1))
			return -1;
	} else {
		sqlite3_bind_text(st, 4, "0000-01-01", -1, SQLITE_STATIC);
	}
	if (bind_date(l, st, 5, 4, cols, 0))
		return -1;
	return step(l, st);
}

static int row_price(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	/* model,host,effective_from,effective_to,input,output,cached_input,
	   cache_write_5m,cache_write_1h,reasoning,min_input_tokens,
	   batch_discount_pct,request_fee,audio_input,audio_output,source_url,note */
	const char *pct = col(l, 11);
	int64_t bp;

	bind_text(l, st, 1, 0);
	bind_text(l, st, 2, 1);
	if (bind_date(l, st, 3, 2, cols, 1) || bind_date(l, st, 4, 3, cols, 0))
		return -1;
	for (int k = 4; k <= 9; k++)
		if (bind_money(l, st, k + 1, k, cols, 9))
			return -1;
	if (!*col(l, 4) || !*col(l, 5))
		return bad(l, *col(l, 4) ? 5 : 4, cols, "input and output prices are required");
	if (!*col(l, 10))
		sqlite3_bind_int64(st, 11, 0);
	else if (bind_int(l, st, 11, 10, cols))
		return -1;
	if (*pct) {
		/* percent with up to two decimals -> basis points */
		if (money_parse(pct, strlen(pct), 2, &bp, NULL, NULL) || bp < 0 || bp > 10000)
			return bad(l, 11, cols, "want a percentage 0-100");
		sqlite3_bind_int64(st, 12, bp);
	}
	if (bind_money(l, st, 13, 12, cols, 9) || bind_money(l, st, 16, 13, cols, 9) ||
	    bind_money(l, st, 17, 14, cols, 9))
		return -1;
	if (!*col(l, 15))
		return bad(l, 15, cols, "every built-in price cites a source");
	bind_text(l, st, 14, 15);
	bind_text(l, st, 15, 16);
	return step(l, st);
}

static int row_quality(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	/* benchmark,snapshot,name,organization,model,score,source_url */
	const char *snap = col(l, 1), *s = col(l, 5);
	char *end;
	double v = strtod(s, &end); /* a benchmark score, not money */

	if (!*col(l, 0))
		return bad(l, 0, cols, "missing benchmark");
	if (!*col(l, 2))
		return bad(l, 2, cols, "missing name");
	if (!*s || *end)
		return bad(l, 5, cols, "not a number");
	bind_text(l, st, 1, 0);
	/* '' is an undated set (vendor MMLU): one snapshot for every date */
	if (!*snap)
		sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
	else if (bind_date(l, st, 2, 1, cols, 1))
		return -1;
	bind_text(l, st, 3, 2);
	bind_text(l, st, 4, 3);
	bind_text(l, st, 5, 4);
	sqlite3_bind_double(st, 6, v);
	bind_text(l, st, 7, 6);
	if (step(l, st))
		return -1;
	if (sqlite3_changes(l->h) != 1)
		return bad(l, 4, cols, "not a model of data/models.csv");
	return 0;
}

static int row_lifecycle(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	/* model,released,deprecation_announced,retired,source_url,note */
	const char *rel = col(l, 1), *dep = col(l, 2), *ret = col(l, 3);

	bind_text(l, st, 1, 0);
	if (bind_date(l, st, 2, 1, cols, 0) || bind_date(l, st, 3, 2, cols, 0) ||
	    bind_date(l, st, 4, 3, cols, 0))
		return -1;
	if (!*dep && !*ret)
		return bad(l, 3, cols, "a row needs a deprecation or a retirement date");
	if (*ret && *dep && strcmp(dep, ret) > 0)
		return bad(l, 2, cols, "deprecation announced after the retirement");
	if (*ret && *rel && strcmp(rel, ret) >= 0)
		return bad(l, 1, cols, "released on or after the retirement");
	if (!*col(l, 4))
		return bad(l, 4, cols, "every lifecycle row cites a source");
	bind_text(l, st, 5, 4);
	bind_text(l, st, 6, 5);
	if (step(l, st))
		return -1;
	if (sqlite3_changes(l->h) != 1)
		return bad(l, 0, cols, "not a model of data/models.csv");
	return 0;
}

static int row_plan(struct loader *l, sqlite3_stmt *st, const char **cols)
{
	/* id,vendor,name,monthly_usd,valid_from,valid_to,source_url,note */
	for (int k = 0; k < 3; k++) {
		if (!*col(l, k))
			return bad(l, k, cols, "required");
		bind_text(l, st, k + 1, k);
	}
	if (!*col(l, 3))
		return bad(l, 3, cols, "required");
	if (bind_money(l, st, 4, 3, cols, 9) || bind_date(l, st, 5, 4, cols, 1) ||
	    bind_date(l, st, 6, 5, cols, 0))
		return -1;
	if (*col(l, 5) && strcmp(col(l, 5), col(l, 4)) <= 0)
		return bad(l, 5, cols, "not after valid_from");
	if (!*col(l, 6))
		return bad(l, 6, cols, "every plan row cites a source");
	bind_text(l, st, 7, 6);
	bind_text(l, st, 8, 7);
	return step(l, st);
}

static const char *provider_cols[] = { "id", "name", "kind", "url" };
static const char *model_cols[] = { "id", "maker", "family", "name", "release_date",
	"context_window", "max_output", "modalities", "open_weights", "default_host",
	"image_tokens" };
static const char *alias_cols[] = { "alias", "model", "host", "valid_from", "valid_to" };
static const char *price_cols[] = { "model", "host", "effective_from", "effective_to", "input",
	"output", "cached_input", "cache_write_5m", "cache_write_1h", "reasoning",
	"min_input_tokens", "batch_discount_pct", "request_fee", "audio_input", "audio_output",
	"source_url", "note" };
static const char *quality_cols[] = { "benchmark", "snapshot", "name", "organization", "model",
	"score", "source_url" };
static const char *lifecycle_cols[] = { "model", "released", "deprecation_announced", "retired",
	"source_url", "note" };
static const char *plan_cols[] = { "id", "vendor", "name", "monthly_usd", "valid_from",
	"valid_to", "source_url", "note" };


static int load(struct loader *l)
{
	static const char *clear =
		"DELETE FROM price_periods WHERE source_id = (SELECT id FROM sources WHERE name = 'builtin');"
		"DELETE FROM model_aliases WHERE origin = 'builtin';"
		"DELETE FROM quality_scores WHERE origin = 'builtin';"
		"DELETE FROM model_lifecycle WHERE origin = 'builtin';"
		"DELETE FROM plans WHERE origin = 'builtin';"
		"INSERT INTO sources(name, format, url, priority, dated) VALUES "
		"('builtin', 'builtin', NULL, 0, 1) ON CONFLICT(name) DO NOTHING;";

	if (sqlite3_exec(l->h, clear, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(l->db, l->err, "replacing the built-in data");
	if (each_row(l, "data/providers.csv", provider_cols, (int)ARRAY_SIZE(provider_cols),
		     "INSERT INTO providers(id, name, kind, url) VALUES (?1, ?2, ?3, ?4) "
		     "ON CONFLICT(id) DO UPDATE SET name = ?2, kind = ?3, url = ?4, origin = 'builtin'",
		     row_provider) ||
	    each_row(l, "data/models.csv", model_cols, (int)ARRAY_SIZE(model_cols),
		     "INSERT INTO models(id, maker, family, name, release_date, context_window, "
		     "max_output, modalities, open_weights, default_host, image_tokens) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		     "ON CONFLICT(id) DO UPDATE SET maker = ?2, family = ?3, name = ?4, "
		     "release_date = ?5, context_window = ?6, max_output = ?7, modalities = ?8, "
		     "open_weights = ?9, default_host = ?10, image_tokens = ?11, mode = 'chat', "
		     "origin = 'builtin'",
		     row_model) ||
	    each_row(l, "data/aliases.csv", alias_cols, (int)ARRAY_SIZE(alias_cols),
		     "INSERT INTO model_aliases(alias, model_id, host, valid_from, valid_to) "
		     "VALUES (?1, ?2, ?3, ?4, ?5) "
		     "ON CONFLICT(alias, coalesce(host, ''), valid_from) DO UPDATE SET model_id = ?2, host = ?3, "
		     "valid_to = ?5, origin = 'builtin'",
		     row_alias) ||
	    each_row(l, "data/prices.csv", price_cols, (int)ARRAY_SIZE(price_cols),
		     "INSERT INTO price_periods(model_id, host, source_id, effective_from, "
		     "effective_to, input, output, cache_read, cache_write_5m, cache_write_1h, "
		     "reasoning, min_input_tokens, batch_discount_bp, request_fee, source_url, note, "
		     "audio_input, audio_output) "
		     "VALUES (?1, ?2, (SELECT id FROM sources WHERE name = 'builtin'), ?3, ?4, ?5, ?6, "
		     "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
		     row_price) ||
	    each_row(l, "data/quality.csv", quality_cols, (int)ARRAY_SIZE(quality_cols),
		     "INSERT INTO quality_scores(benchmark, snapshot, name, organization, model_id, "
		     "score, source_url) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
		     "WHERE ?5 IS NULL OR EXISTS (SELECT 1 FROM models WHERE id = ?5)",
		     row_quality) ||
	    each_row(l, "data/lifecycle.csv", lifecycle_cols, (int)ARRAY_SIZE(lifecycle_cols),
		     "INSERT INTO model_lifecycle(model_id, released, deprecation_announced, retired, "
		     "source_url, note) SELECT ?1, ?2, ?3, ?4, ?5, ?6 "
		     "WHERE EXISTS (SELECT 1 FROM models WHERE id = ?1)",
		     row_lifecycle) ||
	    each_row(l, "data/plans.csv", plan_cols, (int)ARRAY_SIZE(plan_cols),
		     "INSERT INTO plans(id, vendor, name, monthly, valid_from, valid_to, source_url, "
		     "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		     row_plan))
		return -1;
	return 0;
}

int db_builtin_sync(struct lc_db *db, struct lc_err *err)
{
	struct loader l = { .db = db, .h = db_handle(db), .err = err };
	sqlite3_stmt *st;
	int current = 0;

	if (sqlite3_prepare_v2(l.h, "SELECT data_version FROM sources WHERE name = 'builtin'", -1,
			       &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading the built-in data version");
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		current = v && strcmp(v, db_builtin_version()) == 0;
	}
	sqlite3_finalize(st);
	if (current)
		return 0;
	if (db_begin(db, err))
		return -1;
	if (load(&l))
		goto fail;
	/* last_modified: the date the data is current to (BUILTIN_DATE, db.h) */
	if (sqlite3_prepare_v2(l.h,
			       "UPDATE sources SET data_version = ?1, last_fetch = ?2, "
			       "last_modified = nullif(?3, '') WHERE name = 'builtin'",
			       -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, err, "recording the built-in data version");
		goto fail;
	}
	{
		char now[32];

		ts_format(now, sizeof(now), lc_now());
		sqlite3_bind_text(st, 1, db_builtin_version(), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, db_builtin_data_date(), -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		db_fail(db, err, "recording the built-in data version");
		goto fail;
	}
	sqlite3_finalize(st);
	if (db_commit(db, err))
		return -1;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

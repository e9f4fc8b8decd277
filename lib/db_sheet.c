/*
 * db_sheet.c - a parsed price sheet into price history; the sources table.
 * See db_sheet.h for the rules.
 *
 * Design: everything that can reject a sheet is checked before BEGIN, so a
 * rejected sheet leaves the store untouched.  Keys are resolved once each
 * (db_resolve_quiet, cached statements), then grouped by (model, host): when
 * several keys of one sheet price the same offering, the key that IS the
 * model id wins, else the shortest key (the plain Bedrock id over its
 * regional and path variants), else the alphabetically first; the others
 * are counted as folded.  Each offering is then diffed against this source's rows.
 */
#include "db_sheet.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void sheet_lower_id(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < LC_ID_MAX; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] + 32) : src[i];
	dst[i] = '\0';
}

#define PRICE_COLS                                                                            \
	"input, output, cache_read, cache_write_5m, cache_write_1h, reasoning, audio_input, " \
	"audio_output, image_input, image_per_item, request_fee, web_search_fee, "           \
	"batch_discount_bp, batch_input, batch_output"
#define NPRICE 15

static const size_t price_fields[NPRICE] = {
	offsetof(struct lc_tier, input),          offsetof(struct lc_tier, output),
	offsetof(struct lc_tier, cache_read),     offsetof(struct lc_tier, cache_write_5m),
	offsetof(struct lc_tier, cache_write_1h), offsetof(struct lc_tier, reasoning),
	offsetof(struct lc_tier, audio_input),    offsetof(struct lc_tier, audio_output),
	offsetof(struct lc_tier, image_input),    offsetof(struct lc_tier, image_per_item),
	offsetof(struct lc_tier, request_fee),    offsetof(struct lc_tier, web_search_fee),
	offsetof(struct lc_tier, batch_discount_bp), offsetof(struct lc_tier, batch_input),
	offsetof(struct lc_tier, batch_output),
};

static int64_t tget(const struct lc_tier *t, int i)
{
	return *(const int64_t *)((const char *)t + price_fields[i]);
}

static void tset(struct lc_tier *t, int i, int64_t v)
{
	*(int64_t *)((char *)t + price_fields[i]) = v;
}

static void ctext(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	lc_strlcpy(dst, v ? (const char *)v : "", n);
}

static void bind_opt_text(sqlite3_stmt *st, int pos, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, pos, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, pos);
}

static int step_done(struct lc_db *db, sqlite3_stmt *st, struct lc_err *err, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, err, what);
	return 0;
}

/* ---- sources ---- */

#define SOURCE_COLS                                                                       \
	"s.name, s.format, coalesce(s.url, ''), s.priority, coalesce(s.last_fetch, ''), "  \
	"coalesce(s.http_status, 0), coalesce(s.etag, ''), coalesce(s.last_modified, ''), " \
	"coalesce(s.sha256, ''), coalesce(s.models, -1), "                                 \
	"(SELECT count(*) FROM price_periods p WHERE p.source_id = s.id), "                 \
	"coalesce((SELECT max(substr(f.fetched_at, 1, 10)) FROM fetches f "                 \
	"WHERE f.source_id = s.id AND f.result = 'ok'), '')"

static void read_source(sqlite3_stmt *st, struct db_source *s)
{
	memset(s, 0, sizeof(*s));
	ctext(st, 0, s->name, sizeof(s->name));
	ctext(st, 1, s->format, sizeof(s->format));
	ctext(st, 2, s->url, sizeof(s->url));
	s->priority = sqlite3_column_int64(st, 3);
	ctext(st, 4, s->last_fetch, sizeof(s->last_fetch));
	s->http_status = sqlite3_column_int64(st, 5);
	ctext(st, 6, s->etag, sizeof(s->etag));
	ctext(st, 7, s->last_modified, sizeof(s->last_modified));
	ctext(st, 8, s->sha256, sizeof(s->sha256));
	s->models = sqlite3_column_int64(st, 9);
	s->periods = sqlite3_column_int64(st, 10);
	ctext(st, 11, s->current_to, sizeof(s->current_to));
}

int db_source_get(struct lc_db *db, const char *name, struct db_source *out, struct lc_err *err)
{
	static const char sql[] = "SELECT " SOURCE_COLS " FROM sources s WHERE s.name = ?1";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_source(st, out);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading sources");
	return rc == SQLITE_ROW;
}

int db_sources_each(struct lc_db *db, int (*fn)(void *ctx, const struct db_source *s), void *ctx,
		    struct lc_err *err)
{
	static const char sql[] =
		"SELECT " SOURCE_COLS " FROM sources s ORDER BY s.priority, s.name";
	sqlite3_stmt *st = db_cached(db, sql, err);
	struct db_source s;
	int rc, stop = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_source(st, &s);
		if ((stop = fn(ctx, &s)))
			break;
	}
	sqlite3_reset(st);
	if (!stop && rc != SQLITE_DONE)
		return db_fail(db, err, "reading sources");
	return stop;
}

int db_source_set_priority(struct lc_db *db, const char *name, int64_t priority,
			   struct lc_err *err)
{
	static const char sql[] = "UPDATE sources SET priority = ?2 WHERE name = ?1";
	sqlite3_stmt *st;

	if (db_begin(db, err))
		return -1;
	if (!(st = db_cached(db, sql, err)))
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, priority);
	if (step_done(db, st, err, "setting a source's priority"))
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		lc_errf(err, LC_EDATA, "unknown source '%s'; see 'llmcost sources'", name);
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

/* Insert or update the source row; its id into *id. */
static int upsert_source(struct lc_db *db, const struct sheet_ingest_opts *o, int dated,
			 int64_t *id, struct lc_err *err)
{
	static const char ins[] =
		"INSERT INTO sources(name, format, url, priority, dated) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(name) DO UPDATE SET format = ?2, url = ?3, "
		"dated = max(dated, ?5)";
	static const char sel[] = "SELECT id FROM sources WHERE name = ?1";
	sqlite3_stmt *st = db_cached(db, ins, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->format, -1, SQLITE_STATIC);
	bind_opt_text(st, 3, o->url);
	sqlite3_bind_int64(st, 4, o->priority);
	sqlite3_bind_int(st, 5, dated);
	if (step_done(db, st, err, "recording the source"))
		return -1;
	if (!(st = db_cached(db, sel, err)))
		return -1;
	sqlite3_bind_text(st, 1, o->source, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "recording the source");
	return 0;
}

/* Update the fetch columns of the source and add a fetches row. */
static int record(struct lc_db *db, int64_t sid, const struct sheet_ingest_opts *o,
		  const char *result, int good, int64_t models, const struct sheet_ingest_report *rep,
		  size_t skipped, struct lc_err *err)
{
	static const char upd_good[] =
		"UPDATE sources SET last_fetch = ?2, http_status = ?3, etag = ?4, last_modified = ?5, "
		"sha256 = ?6, models = ?7 WHERE id = ?1";
	static const char upd_other[] =
		"UPDATE sources SET last_fetch = ?2, http_status = ?3 WHERE id = ?1";
	static const char ins[] =
		"INSERT INTO fetches(source_id, fetched_at, url, http_status, etag, bytes, sha256, "
		"models, added, changed, skipped, result) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	sqlite3_stmt *st = db_cached(db, good ? upd_good : upd_other, err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_text(st, 2, o->fetched_at, -1, SQLITE_STATIC);
	if (o->http_status)
		sqlite3_bind_int64(st, 3, o->http_status);
	if (good) {
		bind_opt_text(st, 4, o->etag);
		bind_opt_text(st, 5, o->last_modified);
		bind_opt_text(st, 6, o->sha256);
		sqlite3_bind_int64(st, 7, models);
	}
	if (step_done(db, st, err, "recording the fetch"))
		return -1;
	if (!(st = db_cached(db, ins, err)))
		return -1;
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_text(st, 2, o->fetched_at, -1, SQLITE_STATIC);
	bind_opt_text(st, 3, o->url);
	if (o->http_status)
		sqlite3_bind_int64(st, 4, o->http_status);
	bind_opt_text(st, 5, o->etag);
	sqlite3_bind_int64(st, 6, (int64_t)o->bytes);
	bind_opt_text(st, 7, o->sha256);
	if (good) {
		sqlite3_bind_int64(st, 8, models);
		sqlite3_bind_int64(st, 9, (int64_t)rep->added);
		sqlite3_bind_int64(st, 10, (int64_t)rep->changed);
		sqlite3_bind_int64(st, 11, (int64_t)skipped);
	}
	sqlite3_bind_text(st, 12, result, -1, SQLITE_STATIC);
	return step_done(db, st, err, "recording the fetch");
}

/* Keep the validators the server gave for o->url with the sheet just
   stored; a response without any forgets the URL's old ones. */
static int save_validators(struct lc_db *db, const struct sheet_ingest_opts *o, struct lc_err *err)
{
	static const char ins[] =
		"INSERT OR REPLACE INTO fetch_validators(url, etag, last_modified, sha256, fetched_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char del[] = "DELETE FROM fetch_validators WHERE url = ?1";
	int have = o->http_status && o->url && o->sha256 &&
		   ((o->etag && *o->etag) || (o->last_modified && *o->last_modified));
	sqlite3_stmt *st;

	if (!o->url)
		return 0;
	if (!(st = db_cached(db, have ? ins : del, err)))
		return -1;
	sqlite3_bind_text(st, 1, o->url, -1, SQLITE_STATIC);
	if (have) {
		bind_opt_text(st, 2, o->etag);
		bind_opt_text(st, 3, o->last_modified);
		sqlite3_bind_text(st, 4, o->sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, o->fetched_at, -1, SQLITE_STATIC);
	}
	return step_done(db, st, err, "recording the fetch");
}

int db_fetch_validators(struct lc_db *db, const char *source, const char *url, char **etag,
			char **last_modified, struct lc_err *err)
{
	static const char sql[] =
		"SELECT v.etag, v.last_modified FROM fetch_validators v JOIN sources s "
		"ON s.name = ?1 AND s.sha256 = v.sha256 WHERE v.url = ?2";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc, found = 0;

	*etag = *last_modified = NULL;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *e = sqlite3_column_text(st, 0);
		const unsigned char *l = sqlite3_column_text(st, 1);

		found = 1;
		if ((e && !(*etag = xstrdup((const char *)e))) ||
		    (l && !(*last_modified = xstrdup((const char *)l))))
			found = -1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading fetch validators");
	if (found < 0) {
		free(*etag);
		free(*last_modified);
		*etag = *last_modified = NULL;
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	return found;
}

int db_sheet_record(struct lc_db *db, const struct sheet_ingest_opts *o, const char *result,
		    struct lc_err *err)
{
	static const char sel[] = "SELECT id FROM sources WHERE name = ?1";
	sqlite3_stmt *st;
	int64_t sid = 0;
	int rc;

	if (!o->source)
		return 0;
	if (db_begin(db, err))
		return -1;
	/* the log only: the source's url, format and validators stay those of
	   the sheet it holds; an unknown source is not created */
	if (!(st = db_cached(db, sel, err)))
		goto fail;
	sqlite3_bind_text(st, 1, o->source, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, err, "reading sources");
		goto fail;
	}
	if (rc == SQLITE_ROW && record(db, sid, o, result, 0, 0, NULL, 0, err))
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

/* ---- prices "since always" in stores written before the date rule ---- */

/*
 * Sheet prices stored before today's date rule.  A first price seen at a
 * snapshot, of a model whose release is known, starts at the release (also
 * when the release became known after the ingest).  A sheet price once
 * stored from 0000-01-01 (an earliest price of a dated list, start unknown)
 * gets the start today's rule gives it (undated_start): the model's release
 * when known and before the period's end, else the day it was fetched; a
 * period that ended before that is removed, as an ingest today would not
 * store it.  No sheet can give 0000-01-01 itself (date_parse refuses year 0).
 */
#define VALID_DATE(x) x " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
/* the first price a source gave an offering, dated when llmcost saw it
   (observed), of a model whose release the catalogue knows before it */
#define FIRST_SEEN                                                                          \
	"p.observed = 1 AND p.source_id IN (SELECT id FROM sources WHERE name <> 'builtin') " \
	"AND " VALID_DATE("m.release_date") " AND m.release_date < p.effective_from "          \
	"AND NOT EXISTS (SELECT 1 FROM price_periods q WHERE q.model_id = p.model_id "        \
	"AND q.host = p.host AND q.source_id = p.source_id "                                  \
	"AND q.effective_from < p.effective_from)"

/* The repair's statements, in the caller's transaction: with first_seen,
   also the (slower: ~6 ms over 4,000 offerings) first-seen one.  0 or -1. */
static int repair_dates(struct lc_db *db, int first_seen, struct lc_err *err)
{
	static const char *const fix[] = {
		"UPDATE OR IGNORE price_periods AS p SET effective_from = m.release_date, observed = 0 "
		"FROM models m WHERE m.id = p.model_id AND " FIRST_SEEN,
		"UPDATE OR IGNORE price_periods AS p SET effective_from = m.release_date FROM models m "
		"WHERE m.id = p.model_id AND p.effective_from = '0000-01-01' "
		"AND p.source_id IN (SELECT id FROM sources WHERE name <> 'builtin') "
		"AND " VALID_DATE("m.release_date") " "
		"AND m.release_date < coalesce(p.effective_to, '9999-12-31')",
		"UPDATE OR IGNORE price_periods SET effective_from = substr(fetched_at, 1, 10) "
		"WHERE effective_from = '0000-01-01' "
		"AND source_id IN (SELECT id FROM sources WHERE name <> 'builtin') "
		"AND " VALID_DATE("substr(fetched_at, 1, 10)") " "
		"AND substr(fetched_at, 1, 10) < coalesce(effective_to, '9999-12-31')",
		"DELETE FROM price_periods WHERE effective_from = '0000-01-01' "
		"AND source_id IN (SELECT id FROM sources WHERE name <> 'builtin')",
	};

	for (size_t i = first_seen ? 0 : 1; i < ARRAY_SIZE(fix); i++)
		if (sqlite3_exec(db_handle(db), fix[i], NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(db, err, "dating prices stored before the date rule");
	return 0;
}

int db_sheet_repair_dates(struct lc_db *db, int first_seen, struct lc_err *err)
{
	static const char find[] =
		"SELECT 1 FROM price_periods p JOIN sources s ON s.id = p.source_id "
		"AND s.name <> 'builtin' WHERE p.effective_from = '0000-01-01' LIMIT 1";
	static const char find_all[] =
		"SELECT 1 WHERE EXISTS (SELECT 1 FROM price_periods p JOIN sources s "
		"ON s.id = p.source_id AND s.name <> 'builtin' WHERE p.effective_from = '0000-01-01') "
		"OR EXISTS (SELECT 1 FROM price_periods p JOIN models m ON m.id = p.model_id "
		"WHERE " FIRST_SEEN ")";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_db_readonly(db_handle(db), "main") == 1)
		return 0;
	if (sqlite3_prepare_v2(db_handle(db), first_seen ? find_all : find, -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "reading prices");
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "reading prices");
	if (db_begin(db, err))
		return -1;
	if (repair_dates(db, first_seen, err)) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, err))
		return -1;
	return 1;
}
#undef FIRST_SEEN
#undef VALID_DATE

/* ---- mapping keys onto models ---- */

struct item {
	size_t entry;             /* index into sheet->v */
	char *model;              /* the resolved model id (malloc'ed; NULL when skipped) */
	const char *host;         /* the entry's host (the sheet's memory) */
	int rank;                 /* lower wins when keys collide */
	int skip;
};

static int ensure_provider(struct lc_db *db, const char *id, const char *kind, const char *origin,
			   struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO providers(id, name, kind, origin) VALUES (?1, ?1, ?2, ?3) "
		"ON CONFLICT(id) DO NOTHING";
	sqlite3_stmt *st = db_cached(db, sql, err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
	return step_done(db, st, err, "adding a provider");
}

static void add_name(char *list, size_t n, const char *name)
{
	size_t len = strlen(list);

	if (len + 8 >= n || (len >= 3 && !strcmp(list + len - 3, "...")))
		return;
	if (len + strlen(name) + 8 >= n) {
		snprintf(list + len, n - len, ", ...");
		return;
	}
	snprintf(list + len, n - len, "%s%s", len ? ", " : "", name);
}

/* Create a model for entry e under id; 0 or -1. */
static int create_model(struct lc_db *db, const struct sheet_entry *e, const char *id,
			const char *origin, struct sheet_ingest_report *rep, struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO models(id, maker, name, context_window, default_host, mode, origin) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO NOTHING";
	char maker[LC_ID_MAX];
	sqlite3_stmt *st;

	if (e->maker[0]) {
		size_t i;

		for (i = 0; e->maker[i] && i + 1 < sizeof(maker); i++)
			maker[i] = (e->maker[i] >= 'A' && e->maker[i] <= 'Z') ? (char)(e->maker[i] + 32)
									  : e->maker[i];
		maker[i] = '\0';
		if (ensure_provider(db, maker, "maker", origin, err))
			return -1;
	} else {
		LC_COPY(maker, e->host);
	}
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, maker, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, e->name[0] ? e->name : id, -1, SQLITE_STATIC);
	if (e->context_window > 0)
		sqlite3_bind_int64(st, 4, e->context_window);
	sqlite3_bind_text(st, 5, e->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, origin, -1, SQLITE_STATIC);
	if (step_done(db, st, err, "adding a model"))
		return -1;
	if (sqlite3_changes(db_handle(db)) > 0) {
		rep->new_models++;
		add_name(rep->new_model_names, sizeof(rep->new_model_names), id);
	}
	return 0;
}

static int add_alias(struct lc_db *db, const char *alias, const char *model, const char *host,
		     const char *origin, struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO model_aliases(alias, model_id, host, valid_from, origin) "
		"VALUES (?1, ?2, ?3, '0000-01-01', ?4) ON CONFLICT(alias, coalesce(host, ''), valid_from) DO NOTHING";
	sqlite3_stmt *st = db_cached(db, sql, err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, alias, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, origin, -1, SQLITE_STATIC);
	return step_done(db, st, err, "adding an alias");
}

/* Map entry e onto (model, host) in *it, creating what is missing. */
static int map_entry(struct lc_db *db, const struct sheet *s, struct item *it, const char *date,
		     const char *origin, struct sheet_ingest_report *rep, struct lc_err *err)
{
	const struct sheet_entry *e = &s->v[it->entry];
	struct lc_resolved res;
	struct lc_model m;
	char base[LC_ID_MAX];
	int r;

	const char *name = e->key;
	size_t hl = strlen(e->host);

	/* a sheet that names the maker as host (llm-prices vendors) sells the maker's own API */
	if (ensure_provider(db, e->host, !strcmp(e->maker, e->host) ? "maker" : "host", origin, err))
		return -1;
	/* "novita/deepseek/deepseek-v3.2": the host's own path prefix */
	if (!strncasecmp(name, e->host, hl) && name[hl] == '/' && name[hl + 1])
		name += hl + 1;
	/* the key as the sheet's host means it (host-keyed aliases) */
	r = db_resolve_at(db, e->key, e->host, date, &res, err);
	if (r == 1 && name != e->key)
		r = db_resolve_at(db, name, e->host, date, &res, err);
	if (r < 0)
		return -1;
	db_name_base(name, base);
	if (r == 1) {
		if (!base[0])
			LC_COPY(base, e->key);
		if (create_model(db, e, base, origin, rep, err))
			return -1;
		LC_COPY(res.model, base);
	}
	if (db_model_get(db, res.model, &m, err) != 1)
		return lc_errf(err, LC_EDB, "model '%s' vanished while ingesting", res.model);
	if (sheet_mode_is_chat(e->mode) != sheet_mode_is_chat(m.mode) ||
	    (!sheet_mode_is_chat(e->mode) && strcmp(e->mode, m.mode))) {
		/* e.g. an embedding entry under a chat model's key: never priced as chat */
		rep->mode_skipped++;
		it->skip = 1;
		return 0;
	}
	it->model = xstrdup(res.model);
	it->host = e->host;
	/* the key that names the model itself beats aliases and regional variants */
	{
		char low[LC_ID_MAX];
		size_t i;

		for (i = 0; e->key[i] && i + 1 < sizeof(low); i++)
			low[i] = (e->key[i] >= 'A' && e->key[i] <= 'Z') ? (char)(e->key[i] + 32)
									: e->key[i];
		low[i] = '\0';
		it->rank = (!strcmp(low, res.model) ? 0 : !strcmp(base, res.model) ? 1 : 2) * 1000 +
			   (int)strlen(e->key);
	}
	if (e->alias[0] && add_alias(db, e->alias, res.model, e->host, origin, err))
		return -1;
	if (name != e->key) {
		/* make the key as written resolve to this offering later */
		struct lc_resolved again;
		char low[LC_ID_MAX];

		r = db_resolve_at(db, e->key, e->host, date, &again, err);
		if (r < 0)
			return -1;
		sheet_lower_id(low, e->key);
		if (r == 1 && add_alias(db, low, res.model, e->host, origin, err))
			return -1;
	}
	return 0;
}

static void free_items(struct item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		free(items[i].model);
	free(items);
}

static const struct sheet *sort_sheet;

static int by_offering(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c;

	if (x->skip != y->skip)
		return x->skip - y->skip;
	if (x->skip)
		return 0; /* never read: no model */
	if ((c = strcmp(x->model, y->model)) || (c = strcmp(x->host, y->host)))
		return c;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if ((c = strcmp(sort_sheet->v[x->entry].key, sort_sheet->v[y->entry].key)))
		return c;
	if ((c = strcmp(sort_sheet->v[x->entry].from, sort_sheet->v[y->entry].from)))
		return c;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* ---- diffing one offering ---- */

struct row {
	char from[11], to[11];
	struct lc_tier t;
};

#define MAX_ROWS 256

struct offering_ctx {
	struct lc_db *db;
	const struct sheet *s;
	const struct sheet_ingest_opts *o;
	struct sheet_ingest_report *rep;
	int64_t sid;
	const char *snap;
	int observed;
	struct row have[MAX_ROWS], want[MAX_ROWS];
	int nhave, nwant;
	struct lc_err *err;
};

static int load_rows(struct offering_ctx *c, const char *model, const char *host)
{
	static const char sql[] =
		"SELECT effective_from, coalesce(effective_to, ''), min_input_tokens, " PRICE_COLS
		" FROM price_periods WHERE model_id = ?1 AND host = ?2 AND source_id = ?3 "
		"ORDER BY effective_from, min_input_tokens";
	sqlite3_stmt *st = db_cached(c->db, sql, c->err);
	int rc;

	c->nhave = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->sid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && c->nhave < MAX_ROWS) {
		struct row *r = &c->have[c->nhave++];

		ctext(st, 0, r->from, sizeof(r->from));
		ctext(st, 1, r->to, sizeof(r->to));
		r->t.min_input_tokens = sqlite3_column_int64(st, 2);
		for (int i = 0; i < NPRICE; i++)
			tset(&r->t, i,
			     sqlite3_column_type(st, 3 + i) == SQLITE_NULL ? LC_NONE
									  : sqlite3_column_int64(st, 3 + i));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(c->db, c->err, "reading prices");
	return 0;
}

static int same_tier(const struct lc_tier *a, const struct lc_tier *b)
{
	if (a->min_input_tokens != b->min_input_tokens)
		return 0;
	for (int i = 0; i < NPRICE; i++)
		if (tget(a, i) != tget(b, i))
			return 0;
	return 1;
}

static int insert_row(struct offering_ctx *c, const char *model, const char *host,
		      const struct row *r, const struct sheet_entry *e, int observed)
{
	static const char sql[] =
		"INSERT INTO price_periods(model_id, host, source_id, effective_from, effective_to, "
		"min_input_tokens, " PRICE_COLS ", source_url, observed, rounded, fetched_at, last_seen) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
		"?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";
	sqlite3_stmt *st = db_cached(c->db, sql, c->err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->sid);
	sqlite3_bind_text(st, 4, r->from, -1, SQLITE_STATIC);
	bind_opt_text(st, 5, r->to);
	sqlite3_bind_int64(st, 6, r->t.min_input_tokens);
	for (int i = 0; i < NPRICE; i++)
		if (tget(&r->t, i) != LC_NONE)
			sqlite3_bind_int64(st, 7 + i, tget(&r->t, i));
	bind_opt_text(st, 22, e->url);
	sqlite3_bind_int(st, 23, observed);
	sqlite3_bind_int(st, 24, e->rounded ? 1 : 0);
	sqlite3_bind_text(st, 25, c->o->fetched_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 26, c->snap, -1, SQLITE_STATIC);
	if (step_done(c->db, st, c->err, "writing a price"))
		return lc_err_prefix(c->err, "'%s' at %s: ", model, host);
	c->rep->rows_added++;
	return 0;
}

static int exec4(struct offering_ctx *c, const char *sql, const char *model, const char *host,
		 const char *date, size_t *count, const char *what)
{
	sqlite3_stmt *st = db_cached(c->db, sql, c->err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->sid);
	if (date)
		sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
	if (step_done(c->db, st, c->err, what))
		return -1;
	if (count)
		*count += (size_t)sqlite3_changes(db_handle(c->db));
	return 0;
}

static const char sql_seen_open[] =
	"UPDATE price_periods SET last_seen = ?4 WHERE model_id = ?1 AND host = ?2 "
	"AND source_id = ?3 AND effective_to IS NULL";
static const char sql_seen_all[] =
	"UPDATE price_periods SET last_seen = ?4 WHERE model_id = ?1 AND host = ?2 "
	"AND source_id = ?3";
static const char sql_close[] =
	"UPDATE price_periods SET effective_to = ?4 WHERE model_id = ?1 AND host = ?2 "
	"AND source_id = ?3 AND effective_to IS NULL";
static const char sql_del_open[] =
	"DELETE FROM price_periods WHERE model_id = ?1 AND host = ?2 AND source_id = ?3 "
	"AND (effective_to IS NULL OR effective_from >= ?4)";
static const char sql_del_all[] =
	"DELETE FROM price_periods WHERE model_id = ?1 AND host = ?2 AND source_id = ?3";

/*
 * The start of a price the sheet gives no start date for, into from (which
 * holds the snapshot date on entry): the model's release date when the
 * catalogue knows it, it is on or before the snapshot and before to (the
 * price's end, NULL when open); else the snapshot date is kept.  Callers
 * ask only for the first price a source gives an offering (nothing of that
 * source stored yet, or the earliest of a dated list): a later undated
 * change is dated at the snapshot.  So nothing is priced before the model
 * existed, and nothing "since always" (0000-01-01).  0 or -1.
 */
static int undated_start(struct offering_ctx *c, const char *model, const char *to, char *from,
			 size_t n)
{
	struct lc_model m;
	int r = db_model_get(c->db, model, &m, c->err);

	if (r < 0)
		return -1;
	if (r == 1 && m.release_date[0] && strcmp(m.release_date, c->snap) <= 0 &&
	    (!to || strcmp(m.release_date, to) < 0))
		lc_strlcpy(from, m.release_date, n);
	return 0;
}

/* A current-only price: close and open on change, nothing when equal. */
static int diff_snapshot(struct offering_ctx *c, const char *model, const char *host,
			 const struct sheet_entry *e)
{
	const struct row *open[LC_MAX_TIERS];
	int nopen = 0, same, observed = c->observed;
	char from[11];

	for (int i = 0; i < c->nhave; i++)
		if (!c->have[i].to[0] && nopen < LC_MAX_TIERS)
			open[nopen++] = &c->have[i];
	same = nopen == e->ntiers;
	for (int i = 0; same && i < nopen; i++)
		same = same_tier(&open[i]->t, &e->tiers[i]);
	if (same)
		return exec4(c, sql_seen_open, model, host, c->snap, NULL, "marking prices seen") ||
		       (c->rep->unchanged++, 0);
	LC_COPY(from, c->snap);
	if (!c->nhave) {
		if (undated_start(c, model, NULL, from, sizeof(from)))
			return -1;
		if (strcmp(from, c->snap))
			observed = 0; /* the catalogue's release date, not llmcost's */
	}
	if (nopen && strcmp(open[0]->from, c->snap) < 0) {
		if (exec4(c, sql_close, model, host, c->snap, &c->rep->rows_closed, "closing a price"))
			return -1;
	} else if (nopen) {
		/* a second change on the open period's first day replaces it */
		LC_COPY(from, open[0]->from);
	}
	/* rows from this date on give way to the new price */
	if (exec4(c, sql_del_open, model, host, from, &c->rep->rows_deleted, "replacing a price"))
		return -1;
	for (int i = 0; i < e->ntiers; i++) {
		struct row r;

		LC_COPY(r.from, from);
		r.to[0] = '\0';
		r.t = e->tiers[i];
		if (insert_row(c, model, host, &r, e, observed))
			return -1;
	}
	if (c->nhave)
		c->rep->changed++;
	else
		c->rep->added++;
	return 0;
}

/* Dated periods: replace this source's rows of the offering when they differ. */
static int diff_dated(struct offering_ctx *c, const char *model, const char *host,
		      const struct sheet_entry *const *ents, int n)
{
	int same;

	c->nwant = 0;
	for (int k = 0; k < n; k++) {
		const struct sheet_entry *e = ents[k];
		char from[11];

		LC_COPY(from, e->from[0] ? e->from : c->snap);
		/* the earliest price, start unknown: from the model's release when
		   the catalogue knows it, else from the snapshot date like any
		   undated price (so a period that ended before it is not stored:
		   its dates are unknown) */
		if (!e->from[0] && e->to[0] && undated_start(c, model, e->to, from, sizeof(from)))
			return -1;
		if (e->to[0] && strcmp(e->to, from) <= 0)
			continue; /* an empty period */
		for (int i = 0; i < e->ntiers && c->nwant < MAX_ROWS; i++) {
			struct row *r = &c->want[c->nwant++];

			LC_COPY(r->from, from);
			LC_COPY(r->to, e->to);
			r->t = e->tiers[i];
		}
	}
	same = c->nwant == c->nhave;
	for (int i = 0; same && i < c->nwant; i++)
		same = !strcmp(c->want[i].from, c->have[i].from) &&
		       !strcmp(c->want[i].to, c->have[i].to) &&
		       same_tier(&c->want[i].t, &c->have[i].t);
	if (same)
		return exec4(c, sql_seen_all, model, host, c->snap, NULL, "marking prices seen") ||
		       (c->rep->unchanged++, 0);
	if (exec4(c, sql_del_all, model, host, NULL, &c->rep->rows_deleted, "replacing prices"))
		return -1;
	for (int i = 0; i < c->nwant; i++) {
		const struct sheet_entry *e = ents[0];

		/* the entry the row came from, for its url and rounding flag */
		for (int k = 0; k < n; k++)
			if (!strcmp(ents[k]->to, c->want[i].to))
				e = ents[k];
		if (insert_row(c, model, host, &c->want[i], e, 0))
			return -1;
	}
	if (c->nhave)
		c->rep->changed++;
	else
		c->rep->added++;
	return 0;
}

/* ---- validation ---- */

static int by_key(const void *a, const void *b)
{
	const struct sheet_entry *const *x = a, *const *y = b;
	int c = strcmp((*x)->host, (*y)->host);

	return c ? c : strcmp((*x)->key, (*y)->key);
}

static size_t distinct_keys(const struct sheet *s, struct lc_err *err, int *fail)
{
	const struct sheet_entry **v;
	size_t n = 0;

	*fail = 0;
	if (!s->n)
		return 0;
	v = xmalloc(s->n * sizeof(*v));
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->v[i];
	if (s->n > 1)
		qsort(v, s->n, sizeof(*v), by_key);
	for (size_t i = 0; i < s->n; i++)
		if (i == 0 || by_key(&v[i - 1], &v[i]))
			n++;
	free(v);
	return n;
}

/* ---- the file a sheet came from, and the hosts it covers ----
 * One source may be fed by several files (llm-prices has one per vendor),
 * each a snapshot of its own hosts only: a sheet is measured against the
 * last good sheet of the same URL, or, from a URL new to the source,
 * against what the source last said about the hosts this sheet names. */

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct hosts of s, sorted, into *out (allocated; free it); their count. */
static size_t sheet_hosts(const struct sheet *s, const char ***out, struct lc_err *err)
{
	const char **v;
	size_t n = 0;

	*out = NULL;
	if (!s->n)
		return 0;
	v = xmalloc(s->n * sizeof(*v));
	for (size_t i = 0; i < s->n; i++)
		v[i] = s->v[i].host;
	qsort(v, s->n, sizeof(*v), by_str);
	for (size_t i = 0; i < s->n; i++)
		if (!n || strcmp(v[n - 1], v[i]))
			v[n++] = v[i];
	*out = v;
	return n;
}

/* Sum column 1 of st's rows whose column 0 (a host) is one of hosts[0..nh). */
static int sum_at_hosts(struct lc_db *db, sqlite3_stmt *st, const char **hosts, size_t nh,
			int64_t *sum, struct lc_err *err)
{
	int rc;

	*sum = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);

		if (h && bsearch(&h, hosts, nh, sizeof(*hosts), by_str))
			*sum += sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "reading prices");
	return 0;
}

/*
 * What the source's last good sheet from this URL priced (keys; *from_url
 * = 1), else the offerings it listed last at the hosts this sheet names
 * (*from_url = 0); 0 when it has none.  0 or -1.
 */
static int prev_coverage(struct lc_db *db, const struct sheet_ingest_opts *o, const char **hosts,
			 size_t nh, int64_t *prev, int *from_url, struct lc_err *err)
{
	static const char by_url[] =
		"SELECT f.models FROM fetches f JOIN sources s ON s.id = f.source_id "
		"WHERE s.name = ?1 AND f.url = ?2 AND f.result = 'ok' AND f.models IS NOT NULL "
		"ORDER BY f.id DESC LIMIT 1";
	static const char by_host[] =
		"SELECT p.host, count(DISTINCT p.model_id) FROM price_periods p "
		"JOIN sources s ON s.id = p.source_id AND s.name = ?1 "
		"JOIN (SELECT q.host AS host, max(q.last_seen) AS ls FROM price_periods q "
		"      JOIN sources t ON t.id = q.source_id AND t.name = ?1 GROUP BY q.host) m "
		"ON m.host = p.host AND p.last_seen = m.ls GROUP BY p.host";
	sqlite3_stmt *st;
	int rc;

	*prev = 0;
	*from_url = 0;
	if (o->url) {
		if (!(st = db_cached(db, by_url, err)))
			return -1;
		sqlite3_bind_text(st, 1, o->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, o->url, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*prev = sqlite3_column_int64(st, 0);
			*from_url = 1;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(db, err, "reading fetches");
		if (*from_url)
			return 0;
	}
	if (!(st = db_cached(db, by_host, err)))
		return -1;
	sqlite3_bind_text(st, 1, o->source, -1, SQLITE_STATIC);
	return sum_at_hosts(db, st, hosts, nh, prev, err);
}

static int validate(struct lc_db *db, const struct sheet *s, const struct sheet_ingest_opts *o,
		    size_t keys, const char **hosts, size_t nh, struct lc_err *err)
{
	size_t seen = s->seen ? s->seen : s->n;
	int64_t prev;
	int from_url;

	if (s->n == 0)
		return lc_errf(err, LC_EDATA, "price sheet '%s' prices no model (%zu entries read)",
			       o->url, s->seen);
	if (!o->force && s->unusable * 20 > seen)
		return lc_errf(err, LC_EDATA,
			       "price sheet '%s' rejected: %zu of %zu entries are unusable (over 5%%; e.g. %s); "
			       "nothing changed (--force to accept)",
			       o->url, s->unusable, seen, s->unusable_names);
	if (o->force)
		return 0;
	if (prev_coverage(db, o, hosts, nh, &prev, &from_url, err))
		return -1;
	if (prev > 0 && (int64_t)keys * 2 < prev)
		return lc_errf(err, LC_EDATA,
			       "price sheet '%s' rejected: it prices %zu models, under half of the %lld %s "
			       "of source '%s'; nothing changed (--force to accept)",
			       o->url, keys, (long long)prev,
			       from_url ? "in the last good sheet from this URL"
					: "it last listed at the hosts this sheet names",
			       o->source);
	return 0;
}

int db_sheet_ingest(struct lc_db *db, const struct sheet *s, const struct sheet_ingest_opts *o,
		    struct sheet_ingest_report *rep, struct lc_err *err)
{
	struct offering_ctx *c = NULL;
	struct item *items = NULL;
	const struct sheet_entry **ents = NULL;
	const char **hosts = NULL;
	size_t keys, nh;
	int fail, dated = 0;

	memset(rep, 0, sizeof(*rep));
	keys = distinct_keys(s, err, &fail);
	if (fail)
		return -1;
	rep->keys = keys;
	if ((nh = sheet_hosts(s, &hosts, err)) == (size_t)-1)
		return -1;
	if (validate(db, s, o, keys, hosts, nh, err)) {
		free(hosts);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].from[0] || s->v[i].to[0])
			dated = 1;
	LC_COPY(rep->snapshot, s->date[0] ? s->date : o->today);

	items = xcalloc(s->n, sizeof(*items));
	ents = xcalloc(s->n, sizeof(*ents));
	c = xcalloc(1, sizeof(*c));
	c->db = db;
	c->s = s;
	c->o = o;
	c->rep = rep;
	c->snap = rep->snapshot;
	c->observed = s->date[0] ? 0 : 1;
	c->err = err;

	if (db_begin(db, err))
		goto out_free;
	if (upsert_source(db, o, dated, &c->sid, err))
		goto fail;
	/* variants with an alias (OpenRouter :free) last, so a model is created
	   from its main id first */
	{
		size_t k = 0;

		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < s->n; i++)
				if (!s->v[i].alias[0] == !pass)
					items[k++].entry = i;
	}
	for (size_t i = 0; i < s->n; i++)
		if (map_entry(db, s, &items[i], rep->snapshot, o->source, rep, err))
			goto fail;
	sort_sheet = s;
	if (s->n > 1)
		qsort(items, s->n, sizeof(*items), by_offering);
	for (size_t i = 0; i < s->n;) {
		size_t j = i;
		int n = 0, snapshot_style;
		const char *winner;

		if (items[i].skip)
			break;
		winner = s->v[items[i].entry].key;
		while (j < s->n && !items[j].skip && !strcmp(items[j].model, items[i].model) &&
		       !strcmp(items[j].host, items[i].host)) {
			const struct sheet_entry *e = &s->v[items[j].entry];

			if (!strcmp(e->key, winner))
				ents[n++] = e;
			else if (j == i || strcmp(s->v[items[j - 1].entry].key, e->key))
				rep->folded++;
			j++;
		}
		rep->offerings++;
		if (load_rows(c, items[i].model, items[i].host))
			goto fail;
		snapshot_style = n == 1 && !ents[0]->from[0] && !ents[0]->to[0];
		if (snapshot_style ? diff_snapshot(c, items[i].model, items[i].host, ents[0])
				   : diff_dated(c, items[i].model, items[i].host, ents, n))
			goto fail;
		i = j;
	}
	{
		/* a model llmcost created with its host as maker (LiteLLM gives no
		   maker): when one of its offerings, from any source, is a maker's
		   own API, that maker made it and its API is the default host */
		static const char sql[] =
			"UPDATE models SET maker = x.h, default_host = x.h FROM "
			"(SELECT p.model_id AS m, min(p.host) AS h FROM price_periods p "
			" JOIN providers v ON v.id = p.host AND v.kind = 'maker' GROUP BY p.model_id) AS x "
			"WHERE models.id = x.m AND models.origin <> 'builtin' AND models.maker <> x.h "
			"AND models.maker IN (SELECT id FROM providers WHERE kind = 'host')";
		sqlite3_stmt *st = db_cached(db, sql, err);

		if (!st)
			goto fail;
		if (step_done(db, st, err, "fixing model makers"))
			goto fail;
	}
	{
		/* a bare name means the maker's own API: once any source prices
		   that offering, it is the default host of a model llmcost created */
		static const char sql[] =
			"UPDATE models SET default_host = maker WHERE origin <> 'builtin' "
			"AND coalesce(default_host, '') <> maker AND EXISTS (SELECT 1 FROM price_periods p "
			"WHERE p.model_id = models.id AND p.host = models.maker)";
		sqlite3_stmt *st = db_cached(db, sql, err);

		if (!st || step_done(db, st, err, "fixing default hosts"))
			goto fail;
	}
	{
		/* only at the hosts this sheet covers: another file of the source
		   (another llm-prices vendor) is not missing from this one */
		static const char sql[] =
			"SELECT host, count(*) FROM (SELECT DISTINCT model_id, host FROM price_periods "
			"WHERE source_id = ?1 AND effective_to IS NULL "
			"AND (last_seen IS NULL OR last_seen < ?2)) GROUP BY host";
		sqlite3_stmt *st = db_cached(db, sql, err);
		int64_t n;

		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, c->sid);
		sqlite3_bind_text(st, 2, rep->snapshot, -1, SQLITE_STATIC);
		if (sum_at_hosts(db, st, hosts, nh, &n, err))
			goto fail;
		rep->not_seen = (size_t)n;
	}
	{
		/* not silent: how many of this source's offerings at the hosts
		   this sheet covers disagree with the curated data (see db_price.c
		   for which wins) */
		static const char sql[] =
			"SELECT host, count(*) FROM (SELECT DISTINCT a.model_id, a.host FROM price_periods a "
			"JOIN price_periods b ON b.model_id = a.model_id AND b.host = a.host "
			"AND b.min_input_tokens = 0 "
			"AND b.source_id = (SELECT id FROM sources WHERE name = 'builtin') "
			"AND b.effective_from < coalesce(a.effective_to, '9999-12-31') "
			"AND a.effective_from < coalesce(b.effective_to, '9999-12-31') "
			"WHERE a.source_id = ?1 AND a.min_input_tokens = 0 AND ("
			"(a.input <> b.input) OR (a.output <> b.output) OR (a.cache_read <> b.cache_read) "
			"OR (a.cache_write_5m <> b.cache_write_5m) OR (a.cache_write_1h <> b.cache_write_1h))) "
			"GROUP BY host";
		sqlite3_stmt *st = db_cached(db, sql, err);
		int64_t n;

		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, c->sid);
		if (sum_at_hosts(db, st, hosts, nh, &n, err))
			goto fail;
		rep->builtin_conflicts = (size_t)n;
	}
	/* any store's older rows too (a release the catalogue learned since) */
	if (repair_dates(db, 1, err))
		goto fail;
	if (record(db, c->sid, o, "ok", 1, (int64_t)keys, rep, s->unusable, err) ||
	    save_validators(db, o, err))
		goto fail;
	if (db_commit(db, err))
		goto out_free;
	free_items(items, s->n);
	free(ents);
	free(c);
	free(hosts);
	return 0;
fail:
	db_rollback(db);
out_free:
	free_items(items, s->n);
	free(ents);
	free(c);
	free(hosts);
	return -1;
}

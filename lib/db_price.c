/*
 * db_price.c - reading price periods into struct lc_offering.
 *
 * One SELECT shape serves every reader: rows ordered by (model, host,
 * [effective_from,] source priority, tier), grouped in C into offerings.
 * When several sources price an offering on a date, the one with the lowest
 * sources.priority wins (the built-in curated data has priority 0), unless
 * the caller names a source, with one exception for the built-in data,
 * which is current to one date (BUILTIN_DATE, db.h: the date data/meta.csv
 * declares): a sheet's period that STARTS after that
 * date (a change a sheet published later: a dated start, or a change seen
 * between two ingests) comes before the built-in period it overlaps, as if
 * it had the built-in priority and won the tie (RANK).  A sheet's period
 * that started on or before that date, such as a first price dated from
 * the model's release, never beats the built-in price, on any date: a stale
 * or wrong sheet does not override the curated data.  The rank is a
 * property of the period, not of the date read, so it is one sort key
 * (no cycles), and db_price_conflicts can name the winner of each pair.
 * Within one source, the tiers of one offering are the rows of ONE period:
 * should a store hold two periods of a source that both cover the date
 * (written before sheets were settled, see sheet_settle), the one that
 * starts later wins, as in a sheet, and the other's rows are never read as
 * extra tiers.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_sheet.h"

/* BUILTIN_DATE and RANK, the SQL of that rule, are in db.h (db_report.c
   reads the history in the same order). */

#define COLS                                                                                 \
	"p.model_id, p.host, s.name, coalesce(p.source_url, s.url, ''), p.effective_from, "  \
	"coalesce(p.effective_to, ''), p.observed, p.min_input_tokens, p.input, p.output, "  \
	"p.cache_read, p.cache_write_5m, p.cache_write_1h, p.reasoning, p.audio_input, "     \
	"p.audio_output, p.image_input, p.image_per_item, p.request_fee, p.web_search_fee, " \
	"p.batch_discount_bp, p.batch_input, p.batch_output, s.id"

/* The model's columns, after COLS, for readers that hand out the model too
   (one JOIN instead of a db_model_get per offering: 3,000 models in ~1/3 the time). */
#define MCOL0 24
#define MCOLS                                                                              \
	"m.id, m.maker, m.family, m.name, m.release_date, m.context_window, m.max_output, "  \
	"m.modalities, m.open_weights, coalesce(m.default_host, m.maker), m.image_tokens, m.mode, " \
	"coalesce(l.deprecation_announced, ''), coalesce(l.retired, '')"

static int64_t opt(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? LC_NONE : sqlite3_column_int64(st, i);
}

static void text(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	lc_strlcpy(dst, v ? (const char *)v : "", n);
}

static void read_tier(sqlite3_stmt *st, struct lc_tier *t)
{
	t->min_input_tokens = sqlite3_column_int64(st, 7);
	t->input = opt(st, 8);
	t->output = opt(st, 9);
	t->cache_read = opt(st, 10);
	t->cache_write_5m = opt(st, 11);
	t->cache_write_1h = opt(st, 12);
	t->reasoning = opt(st, 13);
	t->audio_input = opt(st, 14);
	t->audio_output = opt(st, 15);
	t->image_input = opt(st, 16);
	t->image_per_item = opt(st, 17);
	t->request_fee = opt(st, 18);
	t->web_search_fee = opt(st, 19);
	t->batch_discount_bp = opt(st, 20);
	t->batch_input = opt(st, 21);
	t->batch_output = opt(st, 22);
}

static void read_head(sqlite3_stmt *st, struct lc_offering *o)
{
	memset(o, 0, sizeof(*o));
	text(st, 0, o->model, sizeof(o->model));
	text(st, 1, o->host, sizeof(o->host));
	text(st, 2, o->source, sizeof(o->source));
	text(st, 3, o->source_url, sizeof(o->source_url));
	text(st, 4, o->effective_from, sizeof(o->effective_from));
	text(st, 5, o->effective_to, sizeof(o->effective_to));
	o->observed = sqlite3_column_int(st, 6);
}

static void read_model(sqlite3_stmt *st, struct lc_model *m)
{
	memset(m, 0, sizeof(*m));
	text(st, MCOL0, m->id, sizeof(m->id));
	text(st, MCOL0 + 1, m->maker, sizeof(m->maker));
	text(st, MCOL0 + 2, m->family, sizeof(m->family));
	text(st, MCOL0 + 3, m->name, sizeof(m->name));
	text(st, MCOL0 + 4, m->release_date, sizeof(m->release_date));
	m->context_window = sqlite3_column_int64(st, MCOL0 + 5);
	m->max_output = sqlite3_column_int64(st, MCOL0 + 6);
	text(st, MCOL0 + 7, m->modalities, sizeof(m->modalities));
	m->open_weights = sqlite3_column_int(st, MCOL0 + 8);
	text(st, MCOL0 + 9, m->default_host, sizeof(m->default_host));
	text(st, MCOL0 + 10, m->image_tokens, sizeof(m->image_tokens));
	text(st, MCOL0 + 11, m->mode, sizeof(m->mode));
	text(st, MCOL0 + 12, m->deprecated, sizeof(m->deprecated));
	text(st, MCOL0 + 13, m->retired, sizeof(m->retired));
}

/*
 * Group rows into offerings.  A new offering starts when (model, host)
 * changes, or, with by_period, when (source, effective_from) changes.  When
 * !by_period, later sources for the same (model, host) are skipped.  With
 * with_model the rows carry the model's columns (MCOLS) after COLS.
 */
static int group(struct lc_db *db, sqlite3_stmt *st, int by_period, int with_model,
		 db_offering_fn fn, void *ctx, struct lc_err *err)
{
	struct lc_offering *o = xcalloc(1, sizeof(*o));
	struct lc_model m;
	int64_t src = -1;
	int have = 0, count = 0, rc, stop = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *model = (const char *)sqlite3_column_text(st, 0);
		const char *host = (const char *)sqlite3_column_text(st, 1);
		const char *from = (const char *)sqlite3_column_text(st, 4);
		int64_t s = sqlite3_column_int64(st, 23);
		int same = have && !strcmp(o->model, model) && !strcmp(o->host, host);

		if (same && s != src && !by_period)
			continue; /* a lower-priority source for the same offering */
		if (same && !by_period && strcmp(o->effective_from, from))
			continue; /* an earlier, overlapping period of the same source */
		if (same && (s != src || strcmp(o->effective_from, from)) && by_period)
			same = 0;
		if (same) {
			if (o->ntiers < LC_MAX_TIERS)
				read_tier(st, &o->tiers[o->ntiers++]);
			continue;
		}
		if (have) {
			count++;
			if ((stop = fn(ctx, with_model ? &m : NULL, o)))
				break;
		}
		read_head(st, o);
		read_tier(st, &o->tiers[0]);
		o->ntiers = 1;
		src = s;
		have = 1;
		if (with_model)
			read_model(st, &m);
	}
	if (!stop && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(o);
		return db_fail(db, err, "reading prices");
	}
	if (!stop && have) {
		count++;
		stop = fn(ctx, with_model ? &m : NULL, o);
	}
	free(o);
	return stop ? stop : count;
}

struct one {
	struct lc_offering *out;
	int found;
};

static int take_one(void *ctx, const struct lc_model *m, const struct lc_offering *o)
{
	struct one *one = ctx;

	*one->out = *o;
	one->found = 1;
	return 1;
}

int db_offering_at(struct lc_db *db, const char *model, const char *host, const char *date,
		   const char *source, struct lc_offering *out, struct lc_err *err)
{
	/* cached: a usage report asks once per model, host and day */
	static const char sql[] =
		"SELECT " COLS " FROM price_periods p JOIN sources s ON s.id = p.source_id "
		"WHERE p.model_id = ?1 AND p.host = ?2 AND p.effective_from <= ?3 "
		"AND (p.effective_to IS NULL OR p.effective_to > ?3) "
		"AND (?4 IS NULL OR s.name = ?4) "
		"ORDER BY " RANK ", s.priority, s.id, p.effective_from DESC, "
		"p.min_input_tokens";
	sqlite3_stmt *st = db_cached(db, sql, err);
	struct one one = { out, 0 };
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
	if (source)
		sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	rc = group(db, st, 0, 0, take_one, &one, err);
	sqlite3_reset(st); /* group stops at the first offering: end the read */
	if (rc < 0)
		return -1;
	return one.found;
}

static int offerings_at(struct lc_db *db, const char *date, const char *provider,
			const char *source, int flags, int every_mode,
			db_offering_fn fn, void *ctx, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db),
			       "SELECT " COLS ", " MCOLS " FROM price_periods p "
			       "JOIN sources s ON s.id = p.source_id JOIN models m ON m.id = p.model_id "
			       "LEFT JOIN model_lifecycle l ON l.model_id = m.id "
			       "WHERE p.effective_from <= ?1 AND (p.effective_to IS NULL OR p.effective_to > ?1) "
			       "AND (?2 IS NULL OR m.maker = ?2 OR p.host = ?2) "
			       "AND (?3 IS NULL OR s.name = ?3) "
			       "AND ((?4 & 1) = 0 OR p.host = coalesce(m.default_host, m.maker)) "
			       /* available on the date: released, not yet retired */
			       "AND ((?4 & 2) != 0 OR ((l.retired IS NULL OR l.retired > ?1) "
			       "AND (l.released IS NULL OR l.released <= ?1))) "
			       "AND (?5 = 1 OR m.mode = 'chat') "
			       "ORDER BY p.model_id, p.host, " RANK ", s.priority, s.id, "
			       "p.effective_from DESC, "
			       "p.min_input_tokens",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading prices");
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	if (provider)
		sqlite3_bind_text(st, 2, provider, -1, SQLITE_STATIC);
	if (source)
		sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, flags);
	sqlite3_bind_int(st, 5, every_mode);
	rc = group(db, st, 0, 1, fn, ctx, err);
	sqlite3_finalize(st);
	return rc;
}

int db_offerings_at(struct lc_db *db, const char *date, const char *provider, const char *source,
		    int flags, db_offering_fn fn, void *ctx, struct lc_err *err)
{
	return offerings_at(db, date, provider, source, flags, 0, fn, ctx, err);
}

int db_offerings_any_mode_at(struct lc_db *db, const char *date, const char *provider,
			     const char *source, int flags, db_offering_fn fn,
			     void *ctx, struct lc_err *err)
{
	return offerings_at(db, date, provider, source, flags, 1, fn, ctx, err);
}

int db_price_history(struct lc_db *db, const char *model, const char *host, const char *source,
		     db_offering_fn fn, void *ctx, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db),
			       "SELECT " COLS " FROM price_periods p JOIN sources s ON s.id = p.source_id "
			       "WHERE p.model_id = ?1 AND p.host = ?2 AND (?3 IS NULL OR s.name = ?3) "
			       "ORDER BY p.effective_from, s.priority, s.id, p.min_input_tokens",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading prices");
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	if (source)
		sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	rc = group(db, st, 1, 0, fn, ctx, err);
	sqlite3_finalize(st);
	return rc;
}

int db_builtin_current_to(struct lc_db *db, char *out, struct lc_err *err)
{
	static const char sql[] = "SELECT " BUILTIN_DATE;
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	out[0] = '\0';
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		text(st, 0, out, 11);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "reading the built-in data's date");
	return 0;
}

/* The prices compared, as columns of price_periods, and their names. */
#define CMP_N 5
static const char *const cmp_name[CMP_N] = { "input", "output", "cache_read", "cache_write_5m",
					     "cache_write_1h" };

static void read_side(sqlite3_stmt *st, int i0, struct db_conflict_side *d)
{
	text(st, i0, d->source, sizeof(d->source));
	text(st, i0 + 1, d->url, sizeof(d->url));
	d->priority = sqlite3_column_int64(st, i0 + 2);
	d->input = opt(st, i0 + 3);
	d->output = opt(st, i0 + 4);
	d->cache_read = opt(st, i0 + 5);
	text(st, i0 + 7, d->from, sizeof(d->from));
	text(st, i0 + 8, d->to, sizeof(d->to));
}

/* RANK of db_price.c, in C: 1 when period a is read before period b. */
static int wins(const struct db_conflict_side *a, int64_t aid, const struct db_conflict_side *b,
		int64_t bid, const char *cur, int64_t bprio)
{
	int ab = !strcmp(a->source, "builtin"), bb = !strcmp(b->source, "builtin");
	int64_t ar = a->priority, br = b->priority;

	if (!ab && cur[0] && strcmp(a->from, cur) > 0 && ar > bprio)
		ar = bprio;
	if (!bb && cur[0] && strcmp(b->from, cur) > 0 && br > bprio)
		br = bprio;
	if (ar != br)
		return ar < br;
	if (ab != bb)
		return bb;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return aid < bid;
}

int db_price_conflicts(struct lc_db *db, int (*fn)(void *ctx, const struct db_conflict *c),
		       void *ctx, struct lc_err *err)
{
#define SIDE(p, s)                                                                      \
	s ".name, coalesce(" p ".source_url, " s ".url, ''), " s ".priority, " p ".input, " \
	p ".output, " p ".cache_read, " s ".id, " p ".effective_from, coalesce(" p         \
	".effective_to, '')"
#define DIFF(f) "(a." f " IS NOT NULL AND b." f " IS NOT NULL AND a." f " <> b." f ")"
	static const char sql[] =
		"SELECT a.model_id, a.host, max(a.effective_from, b.effective_from), "
		"min(coalesce(a.effective_to, '9999-12-31'), coalesce(b.effective_to, '9999-12-31')), "
		SIDE("a", "sa") ", " SIDE("b", "sb") ", "
		DIFF("input") ", " DIFF("output") ", " DIFF("cache_read") ", "
		DIFF("cache_write_5m") ", " DIFF("cache_write_1h") ", "
		"(SELECT priority FROM sources WHERE name = 'builtin') "
		"FROM price_periods a JOIN sources sa ON sa.id = a.source_id "
		"JOIN price_periods b ON b.model_id = a.model_id AND b.host = a.host "
		"AND b.min_input_tokens = 0 AND b.source_id > a.source_id "
		"AND b.effective_from < coalesce(a.effective_to, '9999-12-31') "
		"AND a.effective_from < coalesce(b.effective_to, '9999-12-31') "
		"JOIN sources sb ON sb.id = b.source_id "
		"WHERE a.min_input_tokens = 0 AND (" DIFF("input") " OR " DIFF("output") " OR "
		DIFF("cache_read") " OR " DIFF("cache_write_5m") " OR " DIFF("cache_write_1h") ") "
		"ORDER BY a.model_id, a.host, 3, sa.priority, sa.id, sb.priority, sb.id";
#undef SIDE
#undef DIFF
	char cur[11];
	struct db_conflict c;
	sqlite3_stmt *st;
	int rc, count = 0, stop = 0;

	if (db_builtin_current_to(db, cur, err))
		return -1;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading prices");
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_conflict_side a, b;
		int64_t aid = sqlite3_column_int64(st, 10), bid = sqlite3_column_int64(st, 19);
		int64_t bprio = sqlite3_column_int64(st, 27);
		char hi[11];

		memset(&c, 0, sizeof(c));
		text(st, 0, c.model, sizeof(c.model));
		text(st, 1, c.host, sizeof(c.host));
		text(st, 2, c.from, sizeof(c.from));
		text(st, 3, hi, sizeof(hi));
		LC_COPY(c.to, strcmp(hi, "9999-12-31") ? hi : "");
		read_side(st, 4, &a);
		read_side(st, 13, &b);
		for (int i = 0; i < CMP_N; i++)
			if (sqlite3_column_int(st, 22 + i)) {
				size_t len = strlen(c.fields);

				snprintf(c.fields + len, sizeof(c.fields) - len, "%s%s", len ? "," : "",
					 cmp_name[i]);
			}
		if (wins(&a, aid, &b, bid, cur, bprio)) {
			c.win = a;
			c.lose = b;
		} else {
			c.win = b;
			c.lose = a;
		}
		count++;
		stop = fn(ctx, &c);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_fail(db, err, "reading prices");
	}
	sqlite3_finalize(st);
	return stop ? stop : count;
}

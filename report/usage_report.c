/*
 * usage_report.c - see usage_report.h.
 *
 * Reads the 15-minute rollup (or, when a price sheet has a context threshold
 * off the rollup's ladder, every record), turns each row's bucket into a
 * local date in the report's zone, and prices the row on its (model, host,
 * UTC day) offering, cached so each offering is read from the store once.
 * A rollup row sums requests of one context class, so the tier is picked by
 * a prompt size representative of that class (cost.h, tier_prompt).  The
 * pricing itself is the caller's (usage_report_opts.price; cmd/ passes
 * pricing/usage_price.h's usage_row_price): report/ sits on lib/ only.
 *
 * Without a project or user filter or a project/session/user grouping the
 * report reads usage_totals, which sums usage_rollup over project, session
 * and user (a few times fewer rows).  Each cost component is rounded to a
 * nano-USD per priced row, so a usage_totals row is priced as one only when
 * that is the exact sum of its usage_rollup rows' costs (cost_additive:
 * every price a whole number of nano-USD per token); otherwise its
 * usage_rollup rows are priced one by one.  Either way a report costs the
 * same to the nano-USD as from usage_rollup alone.
 */
#include "usage_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_plan.h"
#include "db_usage.h"
#include "hash.h"

#define HASH 4096

struct offc {
	char model[LC_ID_MAX], host[LC_ID_MAX];
	lc_date day;
	int state;                 /* 0 empty, 1 priced, 2 no price */
	struct lc_offering *o;
};

struct resc {
	char raw[LC_ID_MAX];
	lc_date day;
	int used, ok;
	char model[LC_ID_MAX], host[LC_ID_MAX];
};

struct run {
	struct lc_db *db;
	const struct usage_report_opts *o;
	struct usage_report *r;
	struct lc_err *err;
	size_t cap;
	struct lc_hidx rows; /* r->rows by (key, model) */
	struct offc *offs;
	struct resc *res;
	int64_t zone_bucket[HASH];
	lc_date zone_date[HASH];
	int zone_used[HASH];
	char zone_split[HASH];     /* the bucket has two local dates or offsets */
	int need_records;          /* a rollup row had no single local date */
	int failed;
	size_t ucap;
	lc_date at;
	struct lc_hidx xrows;      /* r->explain by its key fields */
	size_t xcap;
	char key[16];              /* the current time key (group_key) */
	int key_valid;             /* key is the time key of key_day */
	lc_date key_day;
	struct lc_hidx keep;       /* --last: the keys kept (keep_keys[]), when nkeep */
	char **keep_keys;
	size_t nkeep;
};

char *i128_format(char *buf, size_t n, lc_i128 v)
{
	char tmp[48];
	int i = 47, neg = v < 0;
	unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (neg)
		tmp[--i] = '-';
	lc_strlcpy(buf, tmp + i, n);
	return buf;
}

/* The offering of (model, host) on day, cached; NULL when not priced. */
static struct lc_offering *offering(struct run *x, const char *model, const char *host,
				    lc_date day)
{
	unsigned h = (unsigned)(lc_hash_mix(lc_hash_str(lc_hash_str(LC_HASH_SEED ^ (uint64_t)day, model), host)) % HASH);
	struct offc *c;
	char date[11];
	int found;

	for (unsigned i = 0;; i = (i + 1) % HASH) {
		c = &x->offs[(h + i) % HASH];
		if (!c->state || (c->day == day && !strcmp(c->model, model) && !strcmp(c->host, host)))
			break;
		if (i == HASH - 1) { /* full: reuse the home slot */
			c = &x->offs[h];
			free(c->o);
			memset(c, 0, sizeof(*c));
			break;
		}
	}
	if (c->state)
		return c->state == 1 ? c->o : NULL;
	LC_COPY(c->model, model);
	LC_COPY(c->host, host);
	c->day = day;
	c->o = xmalloc(sizeof(*c->o));
	date_format(date, sizeof(date), day);
	found = c->o ? db_offering_at(x->db, model, host, date, x->o->source, c->o, x->err) : -1;
	if (found < 0) {
		x->failed = 1;
		free(c->o);
		c->o = NULL;
		c->state = 2;
		return NULL;
	}
	c->state = found ? 1 : 2;
	return c->state == 1 ? c->o : NULL;
}

/* Resolve a name the store could not resolve at ingest (the catalogue may
   have grown since). */
static int re_resolve(struct run *x, const char *raw, lc_date day, const char **model,
		      const char **host)
{
	unsigned h = (unsigned)(lc_hash_mix(lc_hash_str(LC_HASH_SEED ^ (uint64_t)day, raw)) % HASH);
	struct resc *c = &x->res[h];

	if (!raw[0])
		return 0;
	if (!c->used || c->day != day || strcmp(c->raw, raw)) {
		struct lc_resolved res;
		struct lc_err e = { 0 };
		char date[11];

		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->day = day;
		LC_COPY(c->raw, raw);
		date_format(date, sizeof(date), day);
		if (db_resolve(x->db, raw, date, &res, &e) == 0) {
			c->ok = 1;
			LC_COPY(c->model, res.model);
			LC_COPY(c->host, res.host);
		}
	}
	*model = c->model;
	*host = c->host;
	return c->ok;
}

/*
 * The local date of a row at ts_ms.  The rollup keeps 15-minute UTC buckets,
 * so a bucket has one local date only when the zone's offset is the same at
 * both of its ends and the date too: always for offsets in whole quarter
 * hours without a change inside the bucket, not for Africa/Monrovia before
 * 1972 (-0:44:30) or Pacific/Kiritimati before 1979 (-10:40), whose local
 * midnight falls inside a bucket.  A rollup row in such a bucket sets
 * need_records (the report is made again from the records); a record in one
 * gets the date of its own instant.
 */
static lc_date local_date(struct run *x, int64_t ts_ms, int exact)
{
	int64_t b = ts_ms >= 0 ? ts_ms / 900000 : -((-ts_ms + 899999) / 900000);
	unsigned h = (unsigned)((uint64_t)b % HASH);
	lc_ms ends[2] = { b * 900000, b * 900000 + 899999 };
	lc_date d[2];
	long off[2];

	if (zone_is_utc(x->o->tz))
		return ts_date_utc(ts_ms);
	if (!x->zone_used[h] || x->zone_bucket[h] != b) {
		if (ts_local_in_zone(ends, 2, x->o->tz, d, off, x->err)) {
			x->failed = 1;
			return 0;
		}
		x->zone_used[h] = 1;
		x->zone_bucket[h] = b;
		x->zone_date[h] = d[0];
		x->zone_split[h] = d[0] != d[1] || off[0] != off[1];
	}
	if (!x->zone_split[h])
		return x->zone_date[h];
	if (!exact) {
		x->need_records = 1;
		return x->zone_date[h];
	}
	if (ts_local_in_zone(&ts_ms, 1, x->o->tz, d, NULL, x->err)) {
		x->failed = 1;
		return 0;
	}
	return d[0];
}

/* 1 when key is one of the keys --last kept. */
static int kept(const struct run *x, const char *key)
{
	struct lc_hidx_it it;

	for (size_t k = lc_hidx_first(&x->keep, lc_hash_str(LC_HASH_SEED, key), &it);
	     k != LC_HIDX_END; k = lc_hidx_next(&x->keep, &it))
		if (!strcmp(x->keep_keys[k], key))
			return 1;
	return 0;
}

/* The hash of a row's (key, model): the two with a NUL between them. */
static uint64_t row_hash(const char *key, const char *model)
{
	return lc_hash_str(lc_hash_bytes(lc_hash_str(LC_HASH_SEED, key), "", 1), model);
}

/* The row of (key, model), added when new; NULL when out of memory. */
static struct usage_line *row_for(struct run *x, const char *key, const char *model)
{
	struct usage_report *r = x->r;
	uint64_t h = row_hash(key, model);
	struct lc_hidx_it it;

	for (size_t k = lc_hidx_first(&x->rows, h, &it); k != LC_HIDX_END;
	     k = lc_hidx_next(&x->rows, &it))
		if (!strcmp(r->rows[k].key, key) && !strcmp(r->rows[k].model, model))
			return &r->rows[k];
	if (r->n == x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 64;
		struct usage_line *nr = xrealloc(r->rows, nc * sizeof(*nr));

		r->rows = nr;
		x->cap = nc;
	}
	memset(&r->rows[r->n], 0, sizeof(r->rows[0]));
	r->rows[r->n].key = xstrdup(key);
	r->rows[r->n].last_ms = INT64_MIN;
	lc_strlcpy(r->rows[r->n].model, model, sizeof(r->rows[0].model));
	if (lc_hidx_add(&x->rows, h, r->n)) {
		free(r->rows[r->n].key);
		r->rows[r->n].key = NULL;
		return NULL;
	}
	return &r->rows[r->n++];
}

static void note_unpriced(struct run *x, const char *model, const char *reason, int64_t n)
{
	struct usage_report *r = x->r;

	for (size_t i = 0; i < r->nunpriced; i++)
		if (!strcmp(r->unpriced[i].model, model) && !strcmp(r->unpriced[i].reason, reason)) {
			r->unpriced[i].records += n;
			return;
		}
	if (r->nunpriced == x->ucap) {
		size_t nc = x->ucap ? x->ucap * 2 : 8;
		struct usage_unpriced *nu = xrealloc(r->unpriced, nc * sizeof(*nu));

		r->unpriced = nu;
		x->ucap = nc;
	}
	memset(&r->unpriced[r->nunpriced], 0, sizeof(r->unpriced[0]));
	lc_strlcpy(r->unpriced[r->nunpriced].model, model, sizeof(r->unpriced[0].model));
	lc_strlcpy(r->unpriced[r->nunpriced].reason, reason, sizeof(r->unpriced[0].reason));
	r->unpriced[r->nunpriced].records = n;
	r->nunpriced++;
}

static void add_tokens(struct usage_sums *s, const struct lc_usage_row *u)
{
	s->input += u->input;
	s->output += u->output;
	s->cache_read += u->cache_read;
	s->cache_write += (lc_i128)u->cache_write_5m + u->cache_write_1h;
	s->reasoning += u->reasoning;
	s->audio_input += u->audio_input;
	s->audio_output += u->audio_output;
	s->image_input += u->image_input;
	s->other_tokens += u->other_tokens;
	s->records += u->records;
}

/* Insert model (k bytes) into the row's list ("a, b, c", len bytes) in
   byte order: the list does not depend on the order the store returns the
   rows in (the team store's cache numbers attributes its own way). */
static void add_model(struct usage_line *row, size_t len, const char *model, size_t k)
{
	char *list = xmalloc(len + k + 3), *at;
	size_t pos = 0;

	if (len)
		memcpy(list, row->models, len + 1);
	else
		list[0] = '\0';
	/* pos: the start of the first entry that sorts after model */
	for (at = list; pos < len;) {
		char *end = strstr(at, ", ");
		size_t n = end ? (size_t)(end - at) : strlen(at);
		int c = strncmp(at, model, n < k ? n : k);

		if (c > 0 || (c == 0 && n > k))
			break;
		pos += n + (end ? 2 : 0);
		at = list + pos;
		if (!end) {
			pos = len;
			break;
		}
	}
	if (pos >= len) {
		snprintf(list + len, k + 3, "%s%s", len ? ", " : "", model);
	} else {
		memmove(list + pos + k + 2, list + pos, len - pos + 1);
		memcpy(list + pos, model, k);
		memcpy(list + pos + k, ", ", 2);
	}
	free(row->models);
	row->models = list;
}

/* A session row's project, models and first and last activity. */
static void session_details(struct usage_line *row, const struct lc_usage_row *u,
			    const char *model)
{
	size_t len = row->models ? strlen(row->models) : 0, k = strlen(model);
	const char *p = row->models;
	int first = !row->project;

	if (first || (!row->project[0] && u->project[0])) {
		free(row->project);
		row->project = xstrdup(u->project);
	}
	if (first || u->ts_ms < row->first_ms)
		row->first_ms = u->ts_ms;
	if (first || u->ts_ms > row->last_ms)
		row->last_ms = u->ts_ms;
	for (; p && (p = strstr(p, model)) != NULL; p += k)
		if ((p == row->models || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return;
	add_model(row, len, model, k);
}

static int project_match(const char *project, const char *want)
{
	size_t n = strlen(project), k = strlen(want);

	if (!strcmp(project, want))
		return 1;
	return n > k && project[n - k - 1] == '/' && !strcmp(project + n - k, want);
}

/* The row key of u (local date day) into x->key; time keys are formatted
   once per day (rows come in bucket order). */
static const char *group_key(struct run *x, const struct lc_usage_row *u, lc_date day)
{
	char *key = x->key;

	switch (x->o->group) {
	case UG_DAY:
	case UG_WEEK:
	case UG_MONTH:
		if (x->key_valid && x->key_day == day)
			return key;
		if (x->o->group == UG_WEEK) /* the week's first day */
			date_format(key, sizeof(x->key),
				    day - (date_weekday(day) - x->o->week_start + 7) % 7);
		else
			date_format(key, sizeof(x->key), day);
		if (x->o->group == UG_MONTH)
			key[7] = '\0';
		x->key_valid = 1;
		x->key_day = day;
		return key;
	case UG_SESSION: /* names whole: row_for() copies them */
		return u->session[0] ? u->session : "(none)";
	case UG_PROJECT:
		return u->project[0] ? u->project : "(none)";
	case UG_USER: /* records of stores older than schema version 10 */
		return u->user && u->user[0] ? u->user : "(unknown)";
	default:
		return u->model[0] ? u->model : u->model_raw;
	}
}

/*
 * The cost of row u on offering off into *cost through the caller's pricer
 * (o->price): 1 priced, 0 not (reason set when given), DB_USAGE_PARTS: a
 * usage_totals row whose cost is not the exact sum of its parts' costs, so
 * the parts are priced one by one instead and a report costs the same to
 * the nano-USD whichever table it reads.
 */
static int price(const struct usage_report_opts *o, const struct lc_usage_row *u,
		 const struct lc_offering *off, lc_i128 *cost, char *reason, size_t n)
{
	const char *why = NULL;
	int r = o->price(off, u, cost, &why);

	if (r == 0 && reason)
		lc_strlcpy(reason, why ? why : "cannot be priced", n);
	return r;
}

const char *const usage_cost_mode_names[3] = { "calculated", "logged", "auto" };

/*
 * The row's cost under a logged or auto cost mode, when the logged cost
 * decides it: 1 with *cost and *unpriced (records without a logged cost,
 * under logged), 0 when the row is priced at llmcost's prices instead (auto,
 * no record of it carries a cost), DB_USAGE_PARTS for a usage_totals row
 * that mixes both under auto (its parts may not), -1 for a rollup row that
 * mixes both (need_records: the report is made again from the records).
 */
static int logged_cost(struct run *x, const struct lc_usage_row *u, lc_i128 *cost,
		       int64_t *unpriced)
{
	int mode = x->o->cost_mode;

	if (mode == UC_CALCULATED || (mode == UC_AUTO && u->logged_records == 0))
		return 0;
	if (mode == UC_AUTO && u->logged_records < u->records) {
		if (!u->detail)
			return DB_USAGE_PARTS;
		x->need_records = 1;
		return -1;
	}
	*cost = u->logged_cost;
	*unpriced = u->records - u->logged_records;
	return 1;
}

/* Add the row's cost, its records without one and its logged cost to s. */
static void add_cost(struct usage_sums *s, const struct lc_usage_row *u, lc_i128 cost,
		     int64_t unpriced)
{
	s->cost += cost;
	s->unpriced_records += unpriced;
	s->logged_cost += u->logged_cost;
	s->logged_records += u->logged_records;
}

/*
 * Whether the requests of row u have a whole prompt over window tokens: 1
 * yes, 0 no (or window 0: unknown).  A single record is judged on its own
 * prompt (tier_prompt for an aggregate, per request); a rollup row knows
 * only its context class, the range (ladder[k-1], ladder[k]] of its
 * prompts, so a window inside that range sets need_records and gives -1
 * (the report is made again from the records).
 */
static int over_window(struct run *x, const struct lc_usage_row *u, int64_t window)
{
	int64_t lo, hi;

	if (window <= 0)
		return 0;
	if (u->pclass < 0) {
		int64_t p = u->tier_prompt;

		if (p <= 0) {
			const int64_t v[] = { u->input, u->cache_read, u->cache_write_5m,
					      u->cache_write_1h, u->audio_input, u->image_input };

			p = 0;
			for (unsigned i = 0; i < ARRAY_SIZE(v); i++)
				if (__builtin_add_overflow(p, v[i], &p))
					return 1;
		}
		return p > window;
	}
	lo = u->pclass > 0 ? lc_pclass_ladder[u->pclass - 1] : 0;
	hi = u->pclass < LC_PCLASS_N ? lc_pclass_ladder[u->pclass] : INT64_MAX;
	if (lo >= window)
		return 1;
	if (hi <= window)
		return 0;
	x->need_records = 1;
	return -1;
}

/* Add the what-if costs of row u (priced or not) and its records over
   each what-if model's context window to s. */
static void add_as(struct usage_sums *s, const struct usage_report_opts *o,
		   const struct lc_usage_row *u, const lc_i128 *cost, const int *priced,
		   const int *over)
{
	for (int i = 0; i < o->nas; i++) {
		if (priced[i])
			s->as_cost[i] += cost[i];
		else
			s->as_unpriced[i] += u->records;
		if (over[i])
			s->as_over[i] += u->records;
	}
}

static int explain_same(const struct usage_explain *e, const char *key,
			const struct lc_offering *off, const struct lc_cost_parts *p)
{
	return e->tier_min == off->tiers[p->tier].min_input_tokens && e->batch == p->batch &&
	       !strcmp(e->key, key) && !strcmp(e->model, off->model) &&
	       !strcmp(e->host, off->host) && !strcmp(e->from, off->effective_from) &&
	       !strcmp(e->source, off->source);
}

/* The --explain line of (key, offering's period, tier, batch), added when new. */
static struct usage_explain *explain_for(struct run *x, const char *key,
					 const struct lc_offering *off,
					 const struct lc_cost_parts *p)
{
	struct usage_report *r = x->r;
	uint64_t h = lc_hash_str(lc_hash_str(lc_hash_str(row_hash(key, off->model), off->host),
					     off->effective_from),
				 off->source) ^ (uint64_t)(p->tier * 2 + p->batch);
	struct lc_hidx_it it;
	struct usage_explain *e;

	for (size_t k = lc_hidx_first(&x->xrows, h, &it); k != LC_HIDX_END;
	     k = lc_hidx_next(&x->xrows, &it))
		if (explain_same(&r->explain[k], key, off, p))
			return &r->explain[k];
	if (r->nexplain == x->xcap) {
		x->xcap = x->xcap ? x->xcap * 2 : 32;
		r->explain = xrealloc(r->explain, x->xcap * sizeof(*r->explain));
	}
	e = &r->explain[r->nexplain];
	memset(e, 0, sizeof(*e));
	e->key = xstrdup(key);
	LC_COPY(e->model, off->model);
	LC_COPY(e->host, off->host);
	LC_COPY(e->source, off->source);
	LC_COPY(e->from, off->effective_from);
	LC_COPY(e->to, off->effective_to);
	e->tier_min = off->tiers[p->tier].min_input_tokens;
	e->batch = p->batch;
	memcpy(e->rate, p->rate, sizeof(e->rate));
	if (lc_hidx_add(&x->xrows, h, r->nexplain)) {
		free(e->key);
		return NULL;
	}
	return &r->explain[r->nexplain++];
}

/* Add row u (of report row key, on offering off) to its --explain line:
   0, or -1 out of memory. */
static int explain_row(struct run *x, const struct lc_usage_row *u, const char *key,
		       const struct lc_offering *off)
{
	struct lc_cost_parts p;
	struct usage_explain *e;

	if (!off || !x->o->parts(off, u, &p))
		return 0; /* unpriced: listed as such */
	if (!(e = explain_for(x, key, off, &p)))
		return -1;
	e->records += u->records;
	e->logged_records += u->logged_records;
	e->logged_cost += u->logged_cost;
	for (int i = 0; i < LC_PART_N; i++) {
		e->tokens[i] += p.tokens[i];
		e->part_cost[i] += p.cost[i];
		e->cost += p.cost[i];
	}
	return 0;
}

static int on_row(void *ctx, const struct lc_usage_row *u)
{
	struct run *x = ctx;
	const struct usage_report_opts *o = x->o;
	lc_date day = local_date(x, u->ts_ms, u->pclass < 0), uday = ts_date_utc(u->ts_ms), pday;
	const char *key, *model = u->model, *host = u->host;
	struct usage_line *row, *sub = NULL;
	struct lc_offering *off;
	lc_i128 cost = 0, as_cost[UR_MAX_AS];
	int priced = 0, as_priced[UR_MAX_AS], as_over[UR_MAX_AS], logged;
	int64_t unpriced = 0;
	char reason[64] = "";

	if (x->failed || x->need_records)
		return 1;
	if ((o->has_since && day < o->since) || (o->has_until && day > o->until))
		return 0;
	key = group_key(x, u, day);
	if (x->nkeep && !kept(x, key))
		return 0;
	if (o->project && !project_match(u->project, o->project))
		return 0;
	if (!model[0] && !re_resolve(x, u->model_raw, uday, &model, &host)) {
		model = "";
		LC_COPY(reason, u->model_raw[0] ? "unknown model" : "no model in the log");
	}

	pday = x->o->at[0] ? x->at : uday;
	/* price first: a totals row may hand over to its parts before adding */
	logged = logged_cost(x, u, &cost, &unpriced);
	if (logged < 0)
		return 1;
	if (logged == DB_USAGE_PARTS)
		return DB_USAGE_PARTS;
	if (logged) {
		priced = 1;
		LC_COPY(reason, "no logged cost");
	} else if (model[0]) {
		off = offering(x, model, host, pday);
		if (x->failed)
			return 1;
		if (!off) {
			char d[11];

			snprintf(reason, sizeof(reason), "no price on %s", date_format(d, sizeof(d), pday));
		} else if ((priced = price(o, u, off, &cost, reason, sizeof(reason))) ==
			   DB_USAGE_PARTS) {
			return DB_USAGE_PARTS;
		}
	}
	for (int i = 0; i < o->nas; i++) {
		off = offering(x, o->as_model[i], o->as_host[i], pday);
		if (x->failed)
			return 1;
		as_priced[i] = off ? price(o, u, off, &as_cost[i], NULL, 0) : 0;
		if (as_priced[i] == DB_USAGE_PARTS)
			return DB_USAGE_PARTS;
		if ((as_over[i] = over_window(x, u, o->as_window[i])) < 0)
			return 1;
	}

	if (o->each)
		o->each(o->each_ctx, u, model[0] ? model : u->model_raw, priced == 1, cost);
	if (!(row = row_for(x, key, "")))
		goto oom;
	if (o->breakdown && !(sub = row_for(x, key, model[0] ? model : u->model_raw)))
		goto oom;
	/* adding the sub-row may have moved the rows: find the row again (it
	   exists, so this adds nothing and moves nothing) */
	if (sub && !(row = row_for(x, key, "")))
		goto oom;
	if (o->group == UG_SESSION)
		session_details(row, u, model[0] ? model : u->model_raw);
	add_tokens(&row->s, u);
	add_tokens(&x->r->total, u);
	if (sub)
		add_tokens(&sub->s, u);
	if (u->ts_ms > row->sort)
		row->sort = u->ts_ms;
	if (u->ts_ms > row->last_ms)
		row->last_ms = u->ts_ms;
	if (o->parts && model[0]) {
		off = offering(x, model, host, pday);
		if (x->failed)
			return 1;
		if (explain_row(x, u, key, off))
			goto oom;
	}
	if (!priced)
		unpriced = u->records;
	add_cost(&row->s, u, cost, unpriced);
	add_cost(&x->r->total, u, cost, unpriced);
	if (sub)
		add_cost(&sub->s, u, cost, unpriced);
	if (unpriced)
		note_unpriced(x, u->model_raw[0] ? u->model_raw : "(none)", reason, unpriced);
	add_as(&row->s, o, u, as_cost, as_priced, as_over);
	add_as(&x->r->total, o, u, as_cost, as_priced, as_over);
	if (sub)
		add_as(&sub->s, o, u, as_cost, as_priced, as_over);
	return x->failed;
oom:
	lc_errf(x->err, LC_ERUNTIME, "out of memory");
	x->failed = 1;
	return 1;
}

static int group_of_time(int g)
{
	return g == UG_DAY || g == UG_WEEK || g == UG_MONTH;
}

static const struct usage_report_opts *sort_opts;

/* Rows (with their sub-rows next to them): time groups by key (newest
   first with UO_DESC); others by their parent's rank (cmp_by_rank); sub-rows
   by cost. */
static int cmp_rows(const void *a, const void *b)
{
	const struct usage_line *x = a, *y = b;
	int c;

	if (strcmp(x->key, y->key)) {
		if (!group_of_time(sort_opts->group)) {
			/* parents carry the order; compare the parents' costs */
			return 0;
		}
		c = strcmp(x->key, y->key);
		return sort_opts->order == UO_DESC ? -c : c;
	}
	if (!x->model[0] != !y->model[0])
		return x->model[0] ? 1 : -1;
	if (x->s.cost != y->s.cost)
		return x->s.cost > y->s.cost ? -1 : 1;
	c = strcmp(x->model, y->model);
	return c;
}

/* The rank of a row of a session, project or model report, highest first:
   its cost, or its latest activity (negated for oldest first). */
static lc_i128 rank_of(const struct usage_line *l, const struct usage_report_opts *o)
{
	if (o->order == UO_DEFAULT)
		return l->s.cost;
	return o->order == UO_DESC ? (lc_i128)l->last_ms : -(lc_i128)l->last_ms;
}

static lc_i128 parent_rank(const struct usage_report *r, const char *key,
			   const struct usage_report_opts *o)
{
	for (size_t i = 0; i < r->n; i++)
		if (!r->rows[i].model[0] && !strcmp(r->rows[i].key, key))
			return rank_of(&r->rows[i], o);
	return 0;
}

static int cmp_by_rank(const void *a, const void *b)
{
	const struct usage_line *x = a, *y = b;

	if (x->sort != y->sort) /* sort holds the parent's rank here */
		return x->sort > y->sort ? -1 : 1;
	if (strcmp(x->key, y->key))
		return strcmp(x->key, y->key);
	return cmp_rows(a, b);
}

static void sort_rows(struct usage_report *out, const struct usage_report_opts *o)
{
	sort_opts = o;
	if (out->n == 0)
		return;
	if (group_of_time(o->group)) {
		qsort(out->rows, out->n, sizeof(out->rows[0]), cmp_rows);
		return;
	}
	for (size_t i = 0; i < out->n; i++)
		out->rows[i].sort = out->rows[i].model[0] ? parent_rank(out, out->rows[i].key, o)
							  : rank_of(&out->rows[i], o);
	qsort(out->rows, out->n, sizeof(out->rows[0]), cmp_by_rank);
}

/* Empty the report for another scan. */
static void reset(struct run *x)
{
	usage_report_release(x->r);
	lc_hidx_release(&x->rows);
	x->cap = 0;
	x->ucap = 0;
	x->key_valid = 0;
	x->need_records = 0;
	lc_hidx_release(&x->xrows);
	x->xcap = 0;
}

/* Scan the store into the report (again from the records when the zone
   puts a local midnight inside a 15-minute bucket); 0 or -1. */
static int scan(struct run *x, struct lc_usage_query *q)
{
	int rc = db_usage_scan(x->db, q, on_row, x, x->err);

	if (x->need_records && !x->failed && rc >= 0) {
		/* the rollup cannot say which day its rows belong to */
		reset(x);
		q->records = 1;
		rc = db_usage_scan(x->db, q, on_row, x, x->err);
	}
	return x->failed || rc < 0 ? -1 : 0;
}

/* Newest first by key (time groups) or latest activity. */
static int cmp_latest(const void *a, const void *b)
{
	const struct usage_line *x = *(const struct usage_line *const *)a;
	const struct usage_line *y = *(const struct usage_line *const *)b;

	if (!group_of_time(sort_opts->group) && x->last_ms != y->last_ms)
		return x->last_ms > y->last_ms ? -1 : 1;
	return -strcmp(x->key, y->key);
}

/*
 * --last: keep the keys of the o->last rows of the latest activity and scan
 * again with only those, so that the total and the unpriced list are theirs.
 */
static int keep_last(struct run *x, struct lc_usage_query *q)
{
	struct usage_report *r = x->r;
	const struct usage_line **p = xcalloc(r->n ? r->n : 1, sizeof(*p));
	size_t np = 0;

	for (size_t i = 0; i < r->n; i++)
		if (!r->rows[i].model[0])
			p[np++] = &r->rows[i];
	if ((long long)np <= x->o->last) {
		free(p);
		return 0;
	}
	sort_opts = x->o;
	qsort(p, np, sizeof(*p), cmp_latest);
	x->keep_keys = xcalloc((size_t)x->o->last, sizeof(*x->keep_keys));
	for (x->nkeep = 0; x->nkeep < (size_t)x->o->last; x->nkeep++) {
		x->keep_keys[x->nkeep] = xstrdup(p[x->nkeep]->key);
		if (lc_hidx_add(&x->keep, lc_hash_str(LC_HASH_SEED, p[x->nkeep]->key), x->nkeep)) {
			free(p);
			x->failed = 1;
			return lc_errf(x->err, LC_ERUNTIME, "out of memory");
		}
	}
	free(p);
	reset(x);
	return scan(x, q);
}

/* --explain lines: by key, model, host, period, tier, batch */
static int cmp_explain(const void *a, const void *b)
{
	const struct usage_explain *x = a, *y = b;
	int c;

	if ((c = strcmp(x->key, y->key)) || (c = strcmp(x->model, y->model)) ||
	    (c = strcmp(x->host, y->host)) || (c = strcmp(x->from, y->from)) ||
	    (c = strcmp(x->source, y->source)))
		return c;
	if (x->tier_min != y->tier_min)
		return x->tier_min < y->tier_min ? -1 : 1;
	return x->batch - y->batch;
}

int usage_report_run(struct lc_db *db, const struct usage_report_opts *o,
		     struct usage_report *out, struct lc_err *err)
{
	struct run *x = xcalloc(1, sizeof(*x));
	struct lc_usage_query q = { 0 };
	int ok, rc;

	memset(out, 0, sizeof(*out));
	if (!o->price) {
		free(x);
		return lc_errf(err, LC_ERUNTIME, "usage report: no pricing function");
	}
	x->db = db, x->o = o, x->r = out, x->err = err;
	x->offs = xcalloc(HASH, sizeof(*x->offs));
	x->res = xcalloc(HASH, sizeof(*x->res));
	if ((o->at[0] && date_parse(o->at, 10, &x->at, err)) || zone_hold(o->tz, err)) {
		rc = -1;
		goto done;
	}
	ok = db_usage_ladder_ok(db, (const char(*)[LC_ID_MAX])o->as_model, o->nas, err);
	if (ok < 0) {
		rc = -1;
		goto done;
	}
	q.records = !ok || o->force_records;
	/* loose UTC bounds: a local date is within a day of the UTC date */
	if (o->has_since)
		q.since_ms = ((int64_t)o->since - 1) * 86400000LL;
	if (o->has_until)
		q.until_ms = ((int64_t)o->until + 2) * 86400000LL;
	q.model = o->model;
	q.session = o->session;
	q.newest = o->newest;
	if (o->since_ms && o->since_ms > q.since_ms)
		q.since_ms = o->since_ms;
	if (o->until_ms && (!q.until_ms || o->until_ms < q.until_ms))
		q.until_ms = o->until_ms;
	/* usage_totals unless a project, session or user is asked for */
	q.user = o->user;
	q.detail = o->project || o->session || o->user || o->group == UG_SESSION ||
		   o->group == UG_PROJECT || o->group == UG_USER ||
		   o->force_detail || o->parts; /* --explain: as priced, row by row */
	rc = scan(x, &q);
	if (rc == 0 && o->last > 0)
		rc = keep_last(x, &q);
	if (rc == 0)
		sort_rows(out, o);
	if (rc == 0 && out->nexplain)
		qsort(out->explain, out->nexplain, sizeof(out->explain[0]), cmp_explain);
done:
	zone_unhold();
	if (x->offs)
		for (int i = 0; i < HASH; i++)
			free(x->offs[i].o);
	free(x->offs);
	free(x->res);
	lc_hidx_release(&x->rows);
	lc_hidx_release(&x->keep);
	for (size_t i = 0; i < x->nkeep; i++)
		free(x->keep_keys[i]);
	free(x->keep_keys);
	lc_hidx_release(&x->xrows);
	free(x);
	if (rc)
		usage_report_release(out);
	return rc;
}

void usage_report_release(struct usage_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i].key);
		free(r->rows[i].project);
		free(r->rows[i].models);
	}
	free(r->rows);
	free(r->unpriced);
	for (size_t i = 0; i < r->nexplain; i++)
		free(r->explain[i].key);
	free(r->explain);
	memset(r, 0, sizeof(*r));
}

/* ---- subscription plans (usage monthly --plan) ---- */

struct plan_periods {
	struct lc_plan *v;
	size_t n;
};

static int collect_plan(void *ctx, const struct lc_plan *p)
{
	struct plan_periods *pp = ctx;

	pp->v = xrealloc(pp->v, (pp->n + 1) * sizeof(*pp->v));
	pp->v[pp->n++] = *p;
	return 0;
}

/* The period of a plan (periods by valid_from) that prices month
   [first, next): in effect on first, else the first starting before next. */
static const struct lc_plan *plan_for_month(const struct plan_periods *pp, const char *first,
					    const char *next)
{
	for (size_t i = 0; i < pp->n; i++)
		if (strcmp(pp->v[i].from, first) <= 0 &&
		    (!pp->v[i].to[0] || strcmp(pp->v[i].to, first) > 0))
			return &pp->v[i];
	for (size_t i = 0; i < pp->n; i++)
		if (strcmp(pp->v[i].from, first) > 0 && strcmp(pp->v[i].from, next) < 0)
			return &pp->v[i];
	return NULL;
}

/* "YYYY-MM-01" of month key and of the month after it */
static void month_bounds(const char *key, char first[11], char next[11])
{
	unsigned y = (unsigned)atoi(key) % 10000u, m = (unsigned)atoi(key + 5) % 100u;

	snprintf(first, 11, "%04u-%02u-01", y, m);
	if (++m > 12)
		m = 1, y = (y + 1) % 10000u;
	snprintf(next, 11, "%04u-%02u-01", y, m);
}

int usage_plans_run(struct lc_db *db, const struct usage_report *r,
		    const char (*ids)[LC_ID_MAX], int n, struct usage_plan_line **out,
		    size_t *nout, struct lc_err *err)
{
	struct plan_periods *pp = xcalloc((size_t)(n ? n : 1), sizeof(*pp));
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	for (int k = 0; k < n && !rc; k++)
		if (db_plans(db, ids[k], collect_plan, &pp[k], err) < 0)
			rc = -1;
	for (size_t i = 0; i < r->n && !rc; i++) {
		const struct usage_line *l = &r->rows[i];
		char first[11], next[11];

		if (l->model[0] || strlen(l->key) != 7)
			continue;
		month_bounds(l->key, first, next);
		for (int k = 0; k < n; k++) {
			const struct lc_plan *p = plan_for_month(&pp[k], first, next);
			struct usage_plan_line *pl;

			if (*nout == cap) {
				cap = cap ? cap * 2 : 16;
				*out = xrealloc(*out, cap * sizeof(**out));
			}
			pl = &(*out)[(*nout)++];
			memset(pl, 0, sizeof(*pl));
			LC_COPY(pl->month, l->key);
			LC_COPY(pl->plan, ids[k]);
			LC_COPY(pl->name, pp[k].n ? pp[k].v[pp[k].n - 1].name : ids[k]);
			pl->api = l->s.cost;
			pl->unpriced_records = l->s.unpriced_records;
			if (p) {
				pl->offered = 1;
				pl->plan_cost = p->monthly;
				LC_COPY(pl->name, p->name);
				pl->saved = pl->api - p->monthly;
			}
		}
	}
	for (int k = 0; k < n; k++)
		free(pp[k].v);
	free(pp);
	if (rc) {
		free(*out);
		*out = NULL;
		*nout = 0;
	}
	return rc;
}

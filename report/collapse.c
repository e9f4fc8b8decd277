/*
 * collapse.c - the price-collapse report; see collapse.h.
 *
 * The store is read as a series of snapshots, one per date on which some
 * price period starts or ends (found in the history read once), each the
 * same set of offerings `llmcost models --at DATE` lists (db_offerings_at,
 * each model at its default host, under the winning source, only models
 * available on that date unless include_retired).  Quality scores come from
 * one leaderboard snapshot for the whole report (the latest on or before
 * `to`, or opts.snapshot's), bar included: scores of two leaderboard
 * snapshots are on different Elo scales and are never compared.  On each
 * date:
 *   - a family's price is its cheapest model by blended price (so a family
 *     gets cheaper when a cheaper snapshot of it ships, e.g. GPT-4o
 *     2024-08-06);
 *   - the frontier is the cheapest model whose score is at or above the bar.
 * A new point is recorded only when a price changes, so the series are the
 * step functions the charts draw.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collapse.h"
#include "date.h"
#include "db_report.h"
#include "money.h"

int64_t collapse_blend(int64_t input, int64_t output, int a, int b)
{
	return (int64_t)money_div_half_even((lc_i128)a * input + (lc_i128)b * output,
					    (lc_i128)a + b);
}

char *collapse_ratio(char *buf, size_t n, int64_t num, int64_t den, int decimals)
{
	lc_i128 scale = 1, q;

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	q = money_div_half_even((lc_i128)num * scale, den);
	/* q has `decimals` decimals; money_format wants 9, exactly representable */
	for (int i = decimals; i < 9; i++)
		q *= 10;
	return money_format(buf, n, q, decimals);
}

int collapse_yearly_rate(char *buf, size_t n, int64_t first, int64_t last, const char *d0,
			 const char *d1)
{
	lc_date a, b;
	double r;

	if (first <= 0 || last <= 0 || date_parse(d0, 10, &a, NULL) ||
	    date_parse(d1, 10, &b, NULL) || b <= a)
		return -1;
	/* the one floating-point step: a power of an exact ratio, for display */
	r = 100.0 * (1.0 - pow((double)last / (double)first, 365.25 / (double)(b - a)));
	if (r > -0.05 && r < 0.05)
		r = 0.0; /* no "-0.0" */
	snprintf(buf, n, "%.1f", r);
	return 0;
}

/* ---- one snapshot ---- */

/*
 * The price history is read once (db_report_periods) and followed from
 * date to date in memory: on each date only the offerings with a period
 * that starts or ends since the last date are looked at again, and only
 * their families.  Querying every offering on every date made a report
 * over 100,000 offerings take 10+ s.  The result is the one the snapshots
 * of db_offerings_at gave: an offering's price on d is its first period
 * valid on d in that query's order (source priority, source id,
 * min_input_tokens), and the frontier uses db_quality_all's scores of the
 * report's one leaderboard snapshot, the same as the bar's (db_quality).
 */
struct offer {
	char model[LC_ID_MAX], maker[LC_ID_MAX], family[LC_ID_MAX];
	int64_t input, output, blended;
};

/* One (model, default host): its periods and its offer on the current date. */
struct key {
	struct offer o;
	size_t row0, nrows;  /* its periods in hist.rows, in query order */
	size_t grp;          /* its family group */
	int live;            /* priced (and blendable) on the current date */
};

struct period {
	int64_t input, output;
	char from[11], to[11];
};

/* A family's offerings (by key index), in the order they were read. */
struct group {
	size_t *keys, n, cap;
	size_t first;        /* a key of the group, for its maker and family */
	int touched;         /* changed on the current date */
};

/* A date on which a key's period starts or ends. */
struct event {
	char date[11];
	size_t key;
};

struct hist {
	struct key *keys;
	size_t nkeys, capkeys;
	struct period *rows;
	size_t nrows, caprows;
	struct group *grps;
	size_t ngrps, capgrps;
	struct lc_hidx gidx;    /* (maker, family) -> group */
	struct lc_hidx midx;    /* model -> key */
	struct event *ev;
	size_t nev, capev, next_ev;
	size_t *touched;        /* groups changed on the current date */
	size_t ntouched, captouched;
	int a, b;
	int started;            /* the first date was taken */
	int oom;
};

/* 1 when x is cheaper than y (blended, then input, then model id). */
static int cheaper(const struct offer *x, const struct offer *y)
{
	if (x->blended != y->blended)
		return x->blended < y->blended;
	if (x->input != y->input)
		return x->input < y->input;
	return strcmp(x->model, y->model) < 0;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t ncap = *cap ? *cap * 2 : 2; /* a family has few points: 16 x ~400 bytes each made 640 MB for 100,000 families */
	void *q = xrealloc(p, ncap * size);

	if (q)
		*cap = ncap;
	return q;
}

/* snprintf(dst, n, "%s", src) without the format parsing (a copy per period). */
static void copy(char *dst, size_t n, const char *src)
{
	size_t k = strnlen(src, n - 1);

	memcpy(dst, src, k);
	dst[k] = '\0';
}

/*
 * Record that the series (pts, n) has `best` (or nothing, when NULL) from
 * date d.  Returns 0, or -1 when out of memory.
 */
static int step(struct collapse_price **pts, size_t *n, size_t *cap, int *present,
		const struct offer *best, const char *score, const char *d)
{
	struct collapse_price *last = *n ? &(*pts)[*n - 1] : NULL;
	struct collapse_price *p;

	if (!best) {
		if (*present && last)
			copy(last->until, sizeof(last->until), d);
		*present = 0;
		return 0;
	}
	if (*present && last && last->input == best->input && last->output == best->output)
		return 0; /* the same price (perhaps another snapshot of the model) */
	p = grow(*pts, cap, *n + 1, sizeof(*p));
	if (!p)
		return -1;
	*pts = p;
	if (*present && *n)
		copy(p[*n - 1].until, sizeof(p[*n - 1].until), d);
	last = &p[(*n)++];
	memset(last, 0, sizeof(*last));
	copy(last->date, sizeof(last->date), d);
	copy(last->model, sizeof(last->model), best->model);
	copy(last->maker, sizeof(last->maker), best->maker);
	if (score)
		copy(last->score, sizeof(last->score), score);
	last->input = best->input;
	last->output = best->output;
	last->blended = best->blended;
	*present = 1;
	return 0;
}

/* The hash of (maker, fam): the two names with a NUL between them. */
static uint64_t fam_hash(const char *maker, const char *fam)
{
	return lc_hash_str(lc_hash_bytes(lc_hash_str(LC_HASH_SEED, maker), "", 1), fam);
}

/*
 * The series of (maker, fam), added (in order of first appearance) when new
 * and `create`; NULL when absent (or out of memory).  Found through a hash
 * index: a linear search made a report over 100,000 families quadratic.
 */
static struct collapse_family *family_get(struct collapse *c, const char *maker, const char *fam,
					  int create)
{
	struct collapse_family *f;
	uint64_t h = fam_hash(maker, fam);
	struct lc_hidx_it it;

	for (size_t i = lc_hidx_first(&c->famidx, h, &it); i != LC_HIDX_END;
	     i = lc_hidx_next(&c->famidx, &it)) {
		f = &c->fam[i];
		if (!strcmp(f->family, fam) && !strcmp(f->maker, maker))
			return f;
	}
	if (!create)
		return NULL;
	f = grow(c->fam, &c->capfam, c->nfam + 1, sizeof(*f));
	if (!f)
		return NULL;
	c->fam = f;
	if (lc_hidx_add(&c->famidx, h, c->nfam))
		return NULL;
	f = &c->fam[c->nfam++];
	memset(f, 0, sizeof(*f));
	copy(f->maker, sizeof(f->maker), maker);
	copy(f->family, sizeof(f->family), fam);
	return f;
}

/* ---- the history in memory ---- */

/* The key of a model (at its default host), or NULL. */
static struct key *key_of(struct hist *h, const char *model)
{
	struct lc_hidx_it it;

	for (size_t i = lc_hidx_first(&h->midx, lc_hash_str(LC_HASH_SEED, model), &it);
	     i != LC_HIDX_END; i = lc_hidx_next(&h->midx, &it))
		if (!strcmp(h->keys[i].o.model, model))
			return &h->keys[i];
	return NULL;
}

/* Put key i (just added) into its family group and the model index. */
static int index_key(struct hist *h, size_t i)
{
	struct key *key = &h->keys[i];
	struct group *g = NULL;
	uint64_t fh = fam_hash(key->o.maker, key->o.family);
	struct lc_hidx_it it;

	for (size_t k = lc_hidx_first(&h->gidx, fh, &it); k != LC_HIDX_END;
	     k = lc_hidx_next(&h->gidx, &it)) {
		const struct offer *o = &h->keys[h->grps[k].first].o;

		if (!strcmp(o->family, key->o.family) && !strcmp(o->maker, key->o.maker)) {
			g = &h->grps[k];
			break;
		}
	}
	if (!g) {
		if (!(g = grow(h->grps, &h->capgrps, h->ngrps + 1, sizeof(*g))))
			return -1;
		h->grps = g;
		g = &h->grps[h->ngrps];
		memset(g, 0, sizeof(*g));
		g->first = i;
		if (lc_hidx_add(&h->gidx, fh, h->ngrps))
			return -1;
		h->ngrps++;
	}
	key->grp = (size_t)(g - h->grps);
	if (!(g->keys = grow(g->keys, &g->cap, g->n + 1, sizeof(*g->keys))))
		return -1;
	g->keys[g->n++] = i;
	return lc_hidx_add(&h->midx, lc_hash_str(LC_HASH_SEED, key->o.model), i);
}

static int add_event(struct hist *h, const char *date, size_t key)
{
	struct event *e = grow(h->ev, &h->capev, h->nev + 1, sizeof(*e));

	if (!e)
		return -1;
	h->ev = e;
	e = &h->ev[h->nev++];
	copy(e->date, sizeof(e->date), date);
	e->key = key;
	return 0;
}

/* db_report_periods' callback: one period into the history. */
static int take_period(void *ctx, const struct db_period *p)
{
	struct hist *h = ctx;
	struct key *k = h->nkeys ? &h->keys[h->nkeys - 1] : NULL;
	struct period *r;
	char model[LC_ID_MAX];

	copy(model, sizeof(model), p->model);
	if (!k || strcmp(k->o.model, model)) {
		if (!(k = grow(h->keys, &h->capkeys, h->nkeys + 1, sizeof(*k))))
			goto oom;
		h->keys = k;
		k = &h->keys[h->nkeys++];
		memset(k, 0, sizeof(*k));
		copy(k->o.model, sizeof(k->o.model), model);
		copy(k->o.maker, sizeof(k->o.maker), p->maker);
		copy(k->o.family, sizeof(k->o.family), p->family);
		k->row0 = h->nrows;
		if (index_key(h, h->nkeys - 1))
			goto oom;
	}
	if (!(r = grow(h->rows, &h->caprows, h->nrows + 1, sizeof(*r))))
		goto oom;
	h->rows = r;
	r = &h->rows[h->nrows++];
	r->input = p->input;
	r->output = p->output;
	copy(r->from, sizeof(r->from), p->from);
	copy(r->to, sizeof(r->to), p->to);
	k->nrows++;
	if (add_event(h, p->from, h->nkeys - 1) || (p->to[0] && add_event(h, p->to, h->nkeys - 1)))
		goto oom;
	return 0;
oom:
	h->oom = 1;
	return 1;
}

static int by_event(const void *a, const void *b)
{
	return strcmp(((const struct event *)a)->date, ((const struct event *)b)->date);
}

/* A key's offer on d: its first period valid on d, when it can be blended. */
static void key_at(struct hist *h, struct key *k, const char *d)
{
	k->live = 0;
	for (size_t i = 0; i < k->nrows; i++) {
		const struct period *r = &h->rows[k->row0 + i];

		if (strcmp(r->from, d) > 0 || (r->to[0] && strcmp(r->to, d) <= 0))
			continue;
		if (r->input == LC_NONE || (r->output == LC_NONE && h->b > 0))
			return; /* cannot be blended */
		k->o.input = r->input;
		k->o.output = r->output == LC_NONE ? 0 : r->output;
		k->o.blended = collapse_blend(k->o.input, k->o.output, h->a, h->b);
		k->live = 1;
		return;
	}
}

static int touch(struct hist *h, size_t grp)
{
	size_t *t;

	if (h->grps[grp].touched)
		return 0;
	if (!(t = grow(h->touched, &h->captouched, h->ntouched + 1, sizeof(*t))))
		return -1;
	h->touched = t;
	h->touched[h->ntouched++] = grp;
	h->grps[grp].touched = 1;
	return 0;
}

static void hist_release(struct hist *h)
{
	for (size_t i = 0; i < h->ngrps; i++)
		free(h->grps[i].keys);
	free(h->grps);
	free(h->keys);
	free(h->rows);
	lc_hidx_release(&h->gidx);
	lc_hidx_release(&h->midx);
	free(h->ev);
	free(h->touched);
}

struct build {
	struct lc_db *db;
	struct collapse *c;
	struct hist hist;
	struct lc_err *err;
	/* the frontier's candidate on the current date */
	const struct offer *front;
	char front_score[32];
	/* the scores of the report's leaderboard snapshot at or above the bar
	   (db_quality_all, read once) */
	struct scored {
		size_t key;
		char text[32];
	} *sc;
	size_t nsc, capsc;
};

static int by_group(const void *a, const void *b, void *ctx)
{
	const struct hist *h = ctx;
	const struct offer *x = &h->keys[h->grps[*(const size_t *)a].first].o;
	const struct offer *y = &h->keys[h->grps[*(const size_t *)b].first].o;
	int k = strcmp(x->maker, y->maker);

	return k ? k : strcmp(x->family, y->family);
}

/* db_quality_all's callback: a model scored at or above the bar, when it has
   an offering at all (whether priced on the date is checked per date). */
static int take_score(void *ctx, const char *model, const char *score)
{
	struct build *B = ctx;
	const struct key *k = key_of(&B->hist, model);
	struct scored *s;
	int64_t v;

	if (!k || money_parse(score, strlen(score), 6, &v, NULL, NULL) || v < B->c->bar)
		return 0;
	if (!(s = grow(B->sc, &B->capsc, B->nsc + 1, sizeof(*s))))
		return lc_errf(B->err, LC_ERUNTIME, "out of memory");
	B->sc = s;
	s = &B->sc[B->nsc++];
	s->key = (size_t)(k - B->hist.keys);
	LC_COPY(s->text, score);
	return 0;
}

/* Move the history to date d and extend every series that changed. */
static int snapshot(void *ctx, const char *d)
{
	struct build *B = ctx;
	struct collapse *c = B->c;
	struct hist *h = &B->hist;
	size_t i;

	h->ntouched = 0;
	if (!h->started) {
		for (i = 0; i < h->nkeys; i++) {
			key_at(h, &h->keys[i], d);
			if (touch(h, h->keys[i].grp))
				return lc_errf(B->err, LC_ERUNTIME, "out of memory");
		}
		h->started = 1;
	}
	/* the periods that started or ended since the last date */
	for (; h->next_ev < h->nev && strcmp(h->ev[h->next_ev].date, d) <= 0; h->next_ev++) {
		struct key *k = &h->keys[h->ev[h->next_ev].key];

		key_at(h, k, d);
		if (touch(h, k->grp))
			return lc_errf(B->err, LC_ERUNTIME, "out of memory");
	}
	c->snapshots++;
	/* families in (maker, family) order, so new ones are added as before */
	if (h->ntouched > 1)
		qsort_r(h->touched, h->ntouched, sizeof(*h->touched), by_group, h);
	for (i = 0; i < h->ntouched; i++) {
		struct group *g = &h->grps[h->touched[i]];
		const struct offer *best = NULL, *o = &h->keys[g->first].o;
		struct collapse_family *f;

		g->touched = 0;
		for (size_t j = 0; j < g->n; j++) {
			const struct key *k = &h->keys[g->keys[j]];

			if (k->live && (!best || cheaper(&k->o, best)))
				best = &k->o;
		}
		f = family_get(c, o->maker, o->family, best != NULL);
		if (best && !f)
			return lc_errf(B->err, LC_ERUNTIME, "out of memory");
		if (f && step(&f->pts, &f->n, &f->cap, &f->present, best, NULL, d))
			return lc_errf(B->err, LC_ERUNTIME, "out of memory");
	}
	if (!c->bar_score[0])
		return 0;
	B->front = NULL;
	B->front_score[0] = '\0';
	for (i = 0; i < B->nsc; i++) {
		const struct key *k = &h->keys[B->sc[i].key];

		if (k->live && (!B->front || cheaper(&k->o, B->front))) {
			B->front = &k->o;
			LC_COPY(B->front_score, B->sc[i].text);
		}
	}
	if (step(&c->frontier, &c->nfrontier, &c->capfrontier, &c->frontier_present, B->front,
		 B->front_score, d))
		return lc_errf(B->err, LC_ERUNTIME, "out of memory");
	return 0;
}

/* The date whose leaderboard snapshot the report's scores come from. */
static const char *score_date(const struct collapse_opts *o)
{
	return o->snapshot ? o->snapshot : o->to;
}

/* The bar: min_quality as a number, else a model's score in the report's
   snapshot (c->snapshot, set first). */
static int set_bar(struct lc_db *db, struct collapse *c, struct lc_err *err)
{
	const struct collapse_opts *o = &c->opts;
	const char *q = o->min_quality;
	const char *name = o->bar_model;
	struct lc_resolved res;
	struct lc_model m;
	int r;

	if (q && !money_parse(q, strlen(q), 6, &c->bar, NULL, NULL)) {
		LC_COPY(c->bar_score, q);
		return 0;
	}
	if (q)
		name = q; /* --min-quality MODEL: that model's score */
	if (!name)
		return 0;
	/* an exact model id first (ids from sheets may have any case), then a spelling */
	memset(&res, 0, sizeof(res));
	r = db_model_get(db, name, &m, err);
	if (r < 0)
		return -1;
	if (r)
		LC_COPY(res.model, m.id);
	else if (db_resolve(db, name, o->to, &res, err))
		return -1;
	LC_COPY(c->bar_model, res.model);
	r = db_quality(db, res.model, o->benchmark, score_date(o), c->bar_score, err);
	if (r < 0)
		return -1;
	if (r == 0 && !c->have_snapshot)
		return lc_errf(err, LC_EDATA, "no '%s' score for '%s' to use as the quality bar",
			       o->benchmark, res.model);
	if (r == 0)
		return lc_errf(err, LC_EDATA,
			       "no '%s' score for '%s' in the %s snapshot to use as the quality bar",
			       o->benchmark, res.model, c->snapshot[0] ? c->snapshot : "undated");
	if (money_parse(c->bar_score, strlen(c->bar_score), 6, &c->bar, NULL, err))
		return -1;
	return 0;
}

struct first {
	struct collapse_price *p;
	int a, b, found;
};

static int take_first(void *ctx, const struct lc_model *m, const struct lc_offering *o)
{
	struct first *f = ctx;
	const struct lc_tier *t = &o->tiers[0];

	if (t->input == LC_NONE || t->output == LC_NONE)
		return 0;
	LC_COPY(f->p->date, o->effective_from);
	LC_COPY(f->p->model, o->model);
	f->p->input = t->input;
	f->p->output = t->output;
	f->p->blended = collapse_blend(t->input, t->output, f->a, f->b);
	f->found = 1;
	return 1;
}

/* The reference's first list price (GPT-4's $30/$60 of March 2023). */
static int set_ref(struct lc_db *db, struct collapse *c, struct lc_err *err)
{
	struct lc_model m;
	struct first f = { &c->ref, c->opts.blend_in, c->opts.blend_out, 0 };
	int r;

	if (!c->opts.ref_model)
		return 0;
	r = db_model_get(db, c->opts.ref_model, &m, err);
	if (r <= 0)
		return r;
	LC_COPY(c->ref.maker, m.maker);
	if (db_price_history(db, m.id, m.default_host[0] ? m.default_host : m.maker,
			     c->opts.source, take_first, &f, err) < 0)
		return -1;
	c->have_ref = f.found;
	return 0;
}

/*
 * A snapshot on each date in (from, to] on which a period starts or ends
 * (its events, already cut to the days its model was available).  The list
 * is in memory and sorted; on any other date a snapshot would find nothing
 * changed (asking SQLite for the dates again cost a fifth of the report
 * over 100,000 offerings).
 */
static int follow(struct build *B, const char *from, const char *to)
{
	const struct hist *h = &B->hist;
	size_t e = 0;
	const char *last = from;

	for (;;) {
		while (e < h->nev && strcmp(h->ev[e].date, last) <= 0)
			e++;
		if (e >= h->nev || strcmp(h->ev[e].date, to) > 0)
			return 0;
		if (snapshot(B, h->ev[e].date))
			return -1;
		last = h->ev[e].date;
	}
}

int collapse_build(struct lc_db *db, const struct collapse_opts *o, struct collapse *c,
		   struct lc_err *err)
{
	struct build B;
	int r;

	memset(c, 0, sizeof(*c));
	memset(&B, 0, sizeof(B));
	B.db = db;
	B.c = c;
	B.err = err;
	B.hist.a = o->blend_in;
	B.hist.b = o->blend_out;
	c->opts = *o;
	if (o->blend_in < 0 || o->blend_out < 0 || o->blend_in + o->blend_out <= 0)
		return lc_errf(err, LC_EUSAGE, "blend weights must not both be 0");
	r = db_quality_snapshot(db, o->benchmark, score_date(o), c->snapshot, err);
	if (r < 0)
		return -1;
	c->have_snapshot = r;
	if (set_bar(db, c, err) || set_ref(db, c, err))
		return -1;
	r = db_report_periods(db, o->source, o->include_retired, take_period, &B.hist, err);
	if (r >= 0 && B.hist.oom)
		r = lc_errf(err, LC_ERUNTIME, "out of memory");
	if (r >= 0 && B.hist.nev > 1)
		qsort(B.hist.ev, B.hist.nev, sizeof(*B.hist.ev), by_event);
	/* the scores at or above the bar, once: the report has one snapshot */
	if (r >= 0 && c->bar_score[0] &&
	    db_quality_all(db, o->benchmark, score_date(o), take_score, &B, err) < 0)
		r = -1;
	if (r >= 0 && err->code)
		r = -1; /* take_score ran out of memory */
	if (r >= 0)
		r = snapshot(&B, o->from);
	if (r == 0)
		r = follow(&B, o->from, o->to);
	hist_release(&B.hist);
	free(B.sc);
	return r < 0 ? -1 : 0;
}

void collapse_release(struct collapse *c)
{
	for (size_t i = 0; i < c->nfam; i++)
		free(c->fam[i].pts);
	free(c->fam);
	lc_hidx_release(&c->famidx);
	free(c->frontier);
	memset(c, 0, sizeof(*c));
}

/*
 * collapse.c - the price-collapse report; see collapse.h.
 *
 * The store is read as a series of snapshots, one per date on which some
 * price period starts or ends (db_report_change_dates), each the same set of
 * offerings `llmcost models --at DATE` lists (db_offerings_at, each model at
 * its default host, under the winning source, only models available on that
 * date unless include_retired).  On each snapshot:
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

struct offer {
	char model[LC_ID_MAX], maker[LC_ID_MAX], family[LC_ID_MAX];
	int64_t input, output, blended;
};

struct snap {
	struct offer *v;
	size_t n, cap;
	int a, b;
};

static int take(void *ctx, const struct lc_model *m, const struct lc_offering *o)
{
	struct snap *s = ctx;
	const struct lc_tier *t = &o->tiers[0];
	struct offer *f;

	if (t->input == LC_NONE || (t->output == LC_NONE && s->b > 0))
		return 0; /* cannot be blended */
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 128;
		struct offer *v = realloc(s->v, ncap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = ncap;
	}
	f = &s->v[s->n++];
	snprintf(f->model, sizeof(f->model), "%s", o->model);
	snprintf(f->maker, sizeof(f->maker), "%s", m->maker);
	snprintf(f->family, sizeof(f->family), "%s", m->family[0] ? m->family : m->id);
	f->input = t->input;
	f->output = t->output == LC_NONE ? 0 : t->output;
	f->blended = collapse_blend(f->input, f->output, s->a, s->b);
	return 0;
}

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
	size_t ncap = *cap ? *cap * 2 : 16;
	void *q = realloc(p, ncap * size);

	if (q)
		*cap = ncap;
	return q;
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
			snprintf(last->until, sizeof(last->until), "%s", d);
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
		snprintf(p[*n - 1].until, sizeof(p[*n - 1].until), "%s", d);
	last = &p[(*n)++];
	memset(last, 0, sizeof(*last));
	snprintf(last->date, sizeof(last->date), "%s", d);
	snprintf(last->model, sizeof(last->model), "%s", best->model);
	snprintf(last->maker, sizeof(last->maker), "%s", best->maker);
	if (score)
		snprintf(last->score, sizeof(last->score), "%s", score);
	last->input = best->input;
	last->output = best->output;
	last->blended = best->blended;
	*present = 1;
	return 0;
}

static struct collapse_family *family(struct collapse *c, const struct offer *o)
{
	struct collapse_family *f;

	for (size_t i = 0; i < c->nfam; i++)
		if (!strcmp(c->fam[i].family, o->family) && !strcmp(c->fam[i].maker, o->maker))
			return &c->fam[i];
	f = grow(c->fam, &c->capfam, c->nfam + 1, sizeof(*f));
	if (!f)
		return NULL;
	c->fam = f;
	f = &c->fam[c->nfam++];
	memset(f, 0, sizeof(*f));
	snprintf(f->maker, sizeof(f->maker), "%s", o->maker);
	snprintf(f->family, sizeof(f->family), "%s", o->family);
	return f;
}

struct build {
	struct lc_db *db;
	struct collapse *c;
	struct snap snap;
	struct lc_err *err;
};

static int by_family(const void *a, const void *b)
{
	const struct offer *x = a, *y = b;
	int k = strcmp(x->maker, y->maker);

	return k ? k : strcmp(x->family, y->family);
}

/* Take the snapshot of date d and extend every series. */
static int snapshot(void *ctx, const char *d)
{
	struct build *B = ctx;
	struct collapse *c = B->c;
	struct snap *s = &B->snap;
	const struct offer *front = NULL;
	char front_score[32] = "";
	size_t i, j;

	s->n = 0;
	if (db_offerings_at(B->db, d, NULL, c->opts.source,
			    DB_OFFER_DEFAULT_HOSTS | (c->opts.include_retired ? DB_OFFER_RETIRED : 0),
			    take, s, B->err) < 0)
		return B->err->code ? -1 : lc_errf(B->err, LC_ERUNTIME, "out of memory");
	c->snapshots++;
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), by_family);
	for (i = 0; i < c->nfam; i++)
		c->fam[i].present |= 2; /* "not seen yet on this date" */
	for (i = 0; i < s->n; i = j) {
		const struct offer *best = &s->v[i];
		struct collapse_family *f;

		for (j = i + 1; j < s->n && !by_family(&s->v[i], &s->v[j]); j++)
			if (cheaper(&s->v[j], best))
				best = &s->v[j];
		if (!(f = family(c, best)))
			return lc_errf(B->err, LC_ERUNTIME, "out of memory");
		f->present &= 1;
		if (step(&f->pts, &f->n, &f->cap, &f->present, best, NULL, d))
			return lc_errf(B->err, LC_ERUNTIME, "out of memory");
	}
	for (i = 0; i < c->nfam; i++)
		if (c->fam[i].present & 2) {
			c->fam[i].present &= 1;
			step(&c->fam[i].pts, &c->fam[i].n, &c->fam[i].cap, &c->fam[i].present, NULL,
			     NULL, d);
		}
	if (!c->bar_score[0])
		return 0;
	for (i = 0; i < s->n; i++) {
		char q[32];
		int64_t v;
		int r = db_quality(B->db, s->v[i].model, c->opts.benchmark, d, q, B->err);

		if (r < 0)
			return -1;
		if (r == 0 || money_parse(q, strlen(q), 6, &v, NULL, NULL) || v < c->bar)
			continue;
		if (!front || cheaper(&s->v[i], front)) {
			front = &s->v[i];
			snprintf(front_score, sizeof(front_score), "%s", q);
		}
	}
	if (step(&c->frontier, &c->nfrontier, &c->capfrontier, &c->frontier_present, front,
		 front_score, d))
		return lc_errf(B->err, LC_ERUNTIME, "out of memory");
	return 0;
}

/* The bar: min_quality as a number, else a model's score on `to`. */
static int set_bar(struct lc_db *db, struct collapse *c, struct lc_err *err)
{
	const struct collapse_opts *o = &c->opts;
	const char *q = o->min_quality;
	const char *name = o->bar_model;
	struct lc_resolved res;
	struct lc_model m;
	int r;

	if (q && !money_parse(q, strlen(q), 6, &c->bar, NULL, NULL)) {
		snprintf(c->bar_score, sizeof(c->bar_score), "%s", q);
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
		snprintf(res.model, sizeof(res.model), "%s", m.id);
	else if (db_resolve(db, name, o->to, &res, err))
		return -1;
	snprintf(c->bar_model, sizeof(c->bar_model), "%s", res.model);
	r = db_quality(db, res.model, o->benchmark, o->to, c->bar_score, err);
	if (r < 0)
		return -1;
	if (r == 0)
		return lc_errf(err, LC_EDATA, "no '%s' score for '%s' to use as the quality bar",
			       o->benchmark, res.model);
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
	snprintf(f->p->date, sizeof(f->p->date), "%s", o->effective_from);
	snprintf(f->p->model, sizeof(f->p->model), "%s", o->model);
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
	snprintf(c->ref.maker, sizeof(c->ref.maker), "%s", m.maker);
	if (db_price_history(db, m.id, m.default_host[0] ? m.default_host : m.maker,
			     c->opts.source, take_first, &f, err) < 0)
		return -1;
	c->have_ref = f.found;
	return 0;
}

int collapse_build(struct lc_db *db, const struct collapse_opts *o, struct collapse *c,
		   struct lc_err *err)
{
	struct build B = { db, c, { NULL, 0, 0, o->blend_in, o->blend_out }, err };
	int r;

	memset(c, 0, sizeof(*c));
	c->opts = *o;
	if (o->blend_in < 0 || o->blend_out < 0 || o->blend_in + o->blend_out <= 0)
		return lc_errf(err, LC_EUSAGE, "blend weights must not both be 0");
	if (set_bar(db, c, err) || set_ref(db, c, err))
		return -1;
	r = snapshot(&B, o->from);
	if (r == 0)
		r = db_report_change_dates(db, o->from, o->to, o->source, o->benchmark, snapshot, &B,
					   err);
	free(B.snap.v);
	return r < 0 ? -1 : 0;
}

void collapse_release(struct collapse *c)
{
	for (size_t i = 0; i < c->nfam; i++)
		free(c->fam[i].pts);
	free(c->fam);
	free(c->frontier);
	memset(c, 0, sizeof(*c));
}

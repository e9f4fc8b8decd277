/*
 * chart_collapse.c - `llmcost plot collapse`: list price per million tokens
 * over time on a log scale, one step line per model family, coloured by
 * provider, price cuts marked, each family named where its line starts.
 *
 * Files: collapse.gp; collapse-pN.tsv (provider N: its name as the column
 * header, then one block of step vertices per family, blocks separated by a
 * blank line); collapse-cuts.tsv (date, new price, colour);
 * collapse-labels.tsv (date, price, family, colour).  Names only ever sit
 * in the TSV files.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "date.h"
#include "db_report.h"
#include "money.h"

static int64_t pick(const struct collapse_price *p, enum chart_price k)
{
	return k == CHART_INPUT ? p->input : k == CHART_OUTPUT ? p->output : p->blended;
}

/* Step vertices of a family, one block per contiguous run. */
static void put_steps(FILE *f, const struct collapse_family *fam, enum chart_price k,
		      const char *to)
{
	for (size_t i = 0; i < fam->n; i++) {
		const struct collapse_price *p = &fam->pts[i];
		const char *end = p->until[0] ? p->until : to;

		fprintf(f, "%s\t", p->date);
		chart_put_price(f, pick(p, k));
		fprintf(f, "\n%s\t", end);
		chart_put_price(f, pick(p, k));
		fputc('\n', f);
		/* a gap (the family was not priced for a while) breaks the line */
		if (i + 1 < fam->n && strcmp(end, fam->pts[i + 1].date))
			fputc('\n', f);
	}
	fputc('\n', f);
}

/*
 * The families drawn bold and named: those whose list price was cut, those
 * that set the quality frontier, and those that were the cheapest of all
 * when they appeared.  The others are drawn thin, so the chart stays legible.
 */
static void mark_major(const struct collapse *c, enum chart_price price, char *major)
{
	int64_t low = INT64_MAX;
	size_t *order = xmalloc(c->nfam * sizeof(*order) + 1);

	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[i];

		for (size_t j = 1; j < f->n; j++)
			if (pick(&f->pts[j], price) < pick(&f->pts[j - 1], price))
				major[i] = 1;
		for (size_t j = 0; j < c->nfrontier; j++)
			for (size_t k = 0; k < f->n; k++)
				if (!strcmp(c->frontier[j].model, f->pts[k].model))
					major[i] = 1;
		if (c->have_ref && f->n && !strcmp(f->pts[0].model, c->ref.model))
			major[i] = 1;
	}
	if (!order)
		return;
	/* families in order of appearance: a new all-time low is major */
	for (size_t i = 0; i < c->nfam; i++)
		order[i] = i;
	for (size_t i = 1; i < c->nfam; i++)
		for (size_t j = i; j > 0 && c->fam[order[j]].n && c->fam[order[j - 1]].n &&
				   strcmp(c->fam[order[j]].pts[0].date, c->fam[order[j - 1]].pts[0].date) < 0;
		     j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[order[i]];

		if (f->n && pick(&f->pts[0], price) < low) {
			low = pick(&f->pts[0], price);
			major[order[i]] = 1;
		}
	}
	free(order);
}

/*
 * Label layout.  The plot area is fixed in screen fractions (set in the
 * script), so a label's box can be computed in pixels: each family's name
 * is tried at a few places around the start of its line, in priority order,
 * and dropped when every place collides with a label already placed or
 * leaves the plot.  Only geometry is floating point; prices stay exact.
 */
#define PLOT_L 0.085
#define PLOT_R 0.835
#define PLOT_B 0.125
#define PLOT_T 0.905
#define LABEL_CH 5.8  /* pixels per character at font 8.5 */
#define LABEL_H 11.0

struct box {
	double x0, y0, x1, y1;
};

struct layout {
	double w, h;            /* plot area, pixels */
	double t0, span;        /* seconds at the left edge, seconds across */
	double d0, decades;     /* log10 of the y range's bottom, decades across */
	struct box *placed;     /* the reference label, line obstacles, then labels */
	size_t n;
	size_t lines0, lines1;  /* placed[lines0..lines1) are the bold lines */
	/* a grid over the plot area: each cell lists the boxes that may cover
	   it, so a label is tested against its neighbours only (testing every
	   box made 100,000 families take minutes) */
	struct cell {
		uint32_t *v;
		size_t n, cap;
	} *grid;
	int gx, gy;
	int oom;
};

#define CELL_W 32.0
#define CELL_H 16.0

/* The grid column (row) of coordinate v, clamped into [0, n): a box is
   listed in every cell of the area it may cover, never fewer. */
static int cell_of(double v, double size, int n)
{
	if (!(v > 0)) /* also NaN and -inf */
		return 0;
	if (v / size >= n - 1)
		return n - 1;
	return (int)(v / size);
}

static int grid_init(struct layout *l)
{
	l->gx = (int)(l->w / CELL_W) + 1;
	l->gy = (int)(l->h / CELL_H) + 1;
	if (l->gx < 1 || l->gx > 4096 || l->gy < 1 || l->gy > 4096)
		l->gx = l->gy = 1;
	l->grid = xcalloc((size_t)l->gx * (size_t)l->gy, sizeof(*l->grid));
	return l->grid ? 0 : -1;
}

static void grid_free(struct layout *l)
{
	for (size_t i = 0; l->grid && i < (size_t)l->gx * (size_t)l->gy; i++)
		free(l->grid[i].v);
	free(l->grid);
	l->grid = NULL;
}

/* Add box b to the placed boxes and to the cells it may cover. */
static void put_box(struct layout *l, struct box b)
{
	int cx0 = cell_of(b.x0, CELL_W, l->gx), cx1 = cell_of(b.x1, CELL_W, l->gx);
	int cy0 = cell_of(b.y0, CELL_H, l->gy), cy1 = cell_of(b.y1, CELL_H, l->gy);

	l->placed[l->n] = b;
	for (int y = cy0; y <= cy1; y++)
		for (int x = cx0; x <= cx1; x++) {
			struct cell *c = &l->grid[(size_t)y * (size_t)l->gx + (size_t)x];

			if (c->n == c->cap) {
				size_t ncap = c->cap ? c->cap * 2 : 8;
				uint32_t *v = xrealloc(c->v, ncap * sizeof(*v));

				c->v = v;
				c->cap = ncap;
			}
			c->v[c->n++] = (uint32_t)l->n;
		}
	l->n++;
}

static double px_x(const struct layout *l, long long sec)
{
	return ((double)sec - l->t0) / l->span * l->w;
}

static double px_y(const struct layout *l, int64_t nanos)
{
	return (log10((double)nanos / 1e9) - l->d0) / l->decades * l->h;
}

static int overlaps(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Does b (inside the plot area) overlap a placed box (the bold lines
   excepted when over_lines)? */
static int hit(const struct layout *l, const struct box *b, int over_lines)
{
	int cx0 = cell_of(b->x0, CELL_W, l->gx), cx1 = cell_of(b->x1, CELL_W, l->gx);
	int cy0 = cell_of(b->y0, CELL_H, l->gy), cy1 = cell_of(b->y1, CELL_H, l->gy);

	for (int y = cy0; y <= cy1; y++)
		for (int x = cx0; x <= cx1; x++) {
			const struct cell *c = &l->grid[(size_t)y * (size_t)l->gx + (size_t)x];

			for (size_t j = 0; j < c->n; j++) {
				size_t i = c->v[j];

				if (over_lines && i >= l->lines0 && i < l->lines1)
					continue;
				if (overlaps(b, &l->placed[i]))
					return 1;
			}
		}
	return 0;
}

/* Place a label of `chars` characters near (x, y) pixels; 0 and the box's
   bottom-left in *bx, *by, or -1 when no place is free. */
static int place(struct layout *l, double x, double y, size_t chars, int over_lines, double *bx,
		 double *by)
{
	double w = (double)chars * LABEL_CH, H = LABEL_H;
	/* right of the line's start, above then below, further right, then left of it */
	const double try[][2] = { { 2, 3 },        { 2, -H - 3 },      { 30, 3 },
				  { 30, -H - 3 },  { 70, 3 },          { 70, -H - 3 },
				  { -w - 4, 3 },   { -w - 4, -H - 3 }, { -w - 4, -H / 2 },
				  { 2, H + 5 },    { 2, -2 * H - 5 },  { 120, 3 },
				  { 120, -H - 3 }, { 2, 2 * H + 7 },   { 2, -3 * H - 7 } };

	for (size_t k = 0; k < ARRAY_SIZE(try); k++) {
		struct box b = { x + try[k][0], y + try[k][1], 0, 0 };

		b.x1 = b.x0 + w;
		b.y1 = b.y0 + LABEL_H;
		if (b.x0 < 0 || b.x1 > l->w || b.y0 < 0 || b.y1 > l->h)
			continue;
		if (hit(l, &b, over_lines))
			continue;
		put_box(l, b);
		*bx = b.x0;
		*by = b.y0;
		return 0;
	}
	return -1;
}

/* The power of ten at or below v (v >= 1), and the one at or above. */
static int64_t pow10_below(int64_t v)
{
	int64_t p = 1;

	while (p <= INT64_MAX / 10 && p * 10 <= v)
		p *= 10;
	return p;
}

static int64_t pow10_above(int64_t v)
{
	int64_t p = pow10_below(v);

	return p < v && p <= INT64_MAX / 10 ? p * 10 : p;
}

/* Does family f hold a model that set the quality frontier? */
static int sets_frontier(const struct collapse *c, const struct collapse_family *f)
{
	for (size_t j = 0; j < c->nfrontier; j++)
		for (size_t k = 0; k < f->n; k++)
			if (!strcmp(c->frontier[j].model, f->pts[k].model))
				return 1;
	return 0;
}

/*
 * The families a chart draws when there are more than chart_family_cap():
 * a deterministic choice of those that tell the story.  A family ranks by,
 * in turn: it set the quality frontier or holds the reference model; the
 * larger fall of its price (its first price over its lowest, compared
 * exactly); the earlier start; maker and family name.
 */
struct rank {
	size_t i;
	int key;          /* 1: frontier or reference */
	int64_t first, low; /* first and lowest price, at least 1 (a free price counts as 1) */
	const struct collapse_family *f;
};

static int rank_cmp(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;
	__int128 x, y;
	int r;

	if (a->key != b->key)
		return b->key - a->key;
	/* a->first / a->low against b->first / b->low: the larger fall first */
	x = (__int128)a->first * b->low;
	y = (__int128)b->first * a->low;
	if (x != y)
		return x > y ? -1 : 1;
	if ((r = strcmp(a->f->pts[0].date, b->f->pts[0].date)))
		return r;
	if ((r = strcmp(a->f->maker, b->f->maker)))
		return r;
	return strcmp(a->f->family, b->f->family);
}

static int by_index(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return a < b ? -1 : a > b;
}

size_t chart_family_cap(void)
{
	const char *e = getenv("LLMCOST_CHART_FAMILIES");
	char *end;
	unsigned long v;

	if (e && *e >= '1' && *e <= '9') {
		v = strtoul(e, &end, 10);
		if (!*end && v <= 100000)
			return v;
	}
	return CHART_FAMILY_CAP;
}

static int sets_frontier(const struct collapse *c, const struct collapse_family *f);
static int draw(struct lc_db *db, const struct collapse *c, enum chart_price price,
		struct gp_chart *g, size_t hidden, struct lc_err *err);

int chart_collapse(struct lc_db *db, const struct collapse *c, enum chart_price price,
		   struct gp_chart *g, struct lc_err *err)
{
	size_t cap = chart_family_cap(), n = 0, *keep;
	struct rank *r;
	struct collapse sub;
	int rc;

	for (size_t i = 0; i < c->nfam; i++)
		n += c->fam[i].n > 0;
	if (n <= cap)
		return draw(db, c, price, g, 0, err);
	r = xmalloc(n * sizeof(*r));
	n = 0;
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[i];
		int64_t low;

		if (!f->n)
			continue;
		r[n].i = i;
		r[n].f = f;
		r[n].key = sets_frontier(c, f) ||
			   (c->have_ref && !strcmp(f->pts[0].model, c->ref.model));
		r[n].first = pick(&f->pts[0], price) > 1 ? pick(&f->pts[0], price) : 1;
		low = r[n].first;
		for (size_t j = 1; j < f->n; j++)
			if (pick(&f->pts[j], price) >= 0 && pick(&f->pts[j], price) < low)
				low = pick(&f->pts[j], price) > 1 ? pick(&f->pts[j], price) : 1;
		r[n].low = low;
		n++;
	}
	qsort(r, n, sizeof(*r), rank_cmp);
	/* the chosen families, drawn in the report's order */
	keep = xmalloc(cap * sizeof(*keep));
	for (size_t k = 0; k < cap; k++)
		keep[k] = r[k].i;
	qsort(keep, cap, sizeof(*keep), by_index);
	sub = *c;
	sub.fam = xmalloc((cap + 1) * sizeof(*sub.fam));
	for (size_t k = 0; k < cap; k++)
		sub.fam[k] = c->fam[keep[k]];
	sub.nfam = cap;
	rc = draw(db, &sub, price, g, n - cap, err);
	free(sub.fam);
	free(keep);
	free(r);
	return rc;
}

/* The chart of c's families; hidden: how many more were not drawn (noted). */
static int draw(struct lc_db *db, const struct collapse *c, enum chart_price price,
		struct gp_chart *g, size_t hidden, struct lc_err *err)
{
	char (*makers)[LC_ID_MAX] = xcalloc(c->nfam + 1, sizeof(*makers));
	char *major = NULL, *has_major = NULL;
	int others = 0;
	int nm = 0, rc = -1;
	int64_t ylo = 1, yhi = 10;
	FILE *f = NULL, *cuts = NULL, *labels = NULL;
	char name[64], pname[LC_ID_MAX * 2], title[256];
	static const char *const what[] = { "input", "output", "blended" };

	if (!makers)
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	/* providers in order of their first family */
	for (size_t i = 0; i < c->nfam; i++) {
		int k;

		for (k = 0; k < nm && strcmp(makers[k], c->fam[i].maker); k++)
			;
		if (k == nm)
			lc_strlcpy(makers[nm++], c->fam[i].maker, LC_ID_MAX);
	}
	major = xcalloc(c->nfam + 1, sizeof(*major));
	mark_major(c, price, major);
	/* providers with a bold family get a colour and a legend entry; the rest
	   are drawn in light grey as "other providers", so a store holding
	   hundreds of ingested models still gives a legible legend */
	has_major = xcalloc((size_t)nm + 1, 1);
	for (size_t i = 0; i < c->nfam; i++)
		for (int k = 0; k < nm; k++)
			if (major[i] && !strcmp(c->fam[i].maker, makers[k]))
				has_major[k] = 1;
	for (int k = 0; k < nm; k++) {
		if (!has_major[k])
			continue;
		for (int minor = 0; minor < 2; minor++) {
			snprintf(name, sizeof(name), "collapse-p%d%s.tsv", k, minor ? "-minor" : "");
			if (!(f = gp_chart_open(g, name, err)) ||
			    db_provider_name(db, makers[k], pname, sizeof(pname), err))
				goto out;
			gp_put_field(f, pname);
			fputs("\t\"price\"\n", f);
			for (size_t i = 0; i < c->nfam; i++)
				if (!strcmp(c->fam[i].maker, makers[k]) && c->fam[i].n &&
				    major[i] == !minor)
					put_steps(f, &c->fam[i], price, c->opts.to);
			rc = gp_chart_close(f, name, err);
			f = NULL;
			if (rc)
				goto out;
			rc = -1;
		}
	}
	if (!(f = gp_chart_open(g, "collapse-other.tsv", err)))
		goto out;
	for (size_t i = 0; i < c->nfam; i++)
		for (int k = 0; k < nm; k++)
			if (!has_major[k] && c->fam[i].n && !strcmp(c->fam[i].maker, makers[k])) {
				put_steps(f, &c->fam[i], price, c->opts.to);
				others++;
			}
	rc = gp_chart_close(f, "collapse-other.tsv", err);
	f = NULL;
	if (rc)
		goto out;
	rc = -1;
	if (!(cuts = gp_chart_open(g, "collapse-cuts.tsv", err)) ||
	    !(labels = gp_chart_open(g, "collapse-labels.tsv", err)))
		goto out;
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *fam = &c->fam[i];
		int k;

		if (!fam->n)
			continue;
		for (k = 0; strcmp(makers[k], fam->maker); k++)
			;
		long color = chart_color_int(chart_provider_color(fam->maker, k));
		(void)color;
		for (size_t j = 1; j < fam->n; j++)
			if (pick(&fam->pts[j], price) < pick(&fam->pts[j - 1], price) &&
			    !strcmp(fam->pts[j - 1].until, fam->pts[j].date)) {
				fprintf(cuts, "%s\t", fam->pts[j].date);
				chart_put_price(cuts, pick(&fam->pts[j], price));
				fprintf(cuts, "\t%ld\n", color);
			}
	}
	/* the family labels, laid out so that none overlaps another */
	{
		struct layout l;
		int64_t lo = INT64_MAX, hi = 0;
		size_t *ord = xmalloc((c->nfam + 1) * sizeof(*ord)), no = 0;

		size_t cap = c->nfam + 2;

		for (size_t i = 0; i < c->nfam; i++)
			cap += 2 * c->fam[i].n;
		l.placed = xmalloc(cap * sizeof(*l.placed));
		if (!ord || !l.placed) {
			free(ord);
			free(l.placed);
			lc_errf(err, LC_ERUNTIME, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < c->nfam; i++)
			for (size_t j = 0; j < c->fam[i].n; j++) {
				int64_t v = pick(&c->fam[i].pts[j], price);

				if (v > 0 && v < lo)
					lo = v;
				if (v > hi)
					hi = v;
			}
		if (lo == INT64_MAX)
			lo = hi = 1;
		ylo = pow10_below(lo);
		yhi = pow10_above(hi);
		if (yhi <= ylo)
			yhi = ylo * 10;
		l.w = (PLOT_R - PLOT_L) * g->width;
		l.h = (PLOT_T - PLOT_B) * g->height;
		l.t0 = (double)chart_seconds(c->opts.from);
		l.span = (double)(chart_seconds(c->opts.to) - chart_seconds(c->opts.from));
		if (l.span <= 0)
			l.span = 86400;
		l.d0 = log10((double)ylo / 1e9);
		l.decades = log10((double)yhi / 1e9) - l.d0;
		l.n = 0;
		l.oom = 0;
		if (grid_init(&l)) {
			free(ord);
			free(l.placed);
			lc_errf(err, LC_ERUNTIME, "out of memory");
			goto out;
		}
		if (c->have_ref) {
			/* the reference's label, top right of its dashed line */
			char t[LC_ID_MAX + 64], b2[64];
			double y = px_y(&l, pick(&c->ref, price));

			snprintf(t, sizeof(t), "%s (%s): $%s", c->ref.model, c->ref.date,
				 money_format(b2, sizeof(b2), pick(&c->ref, price), -1));
			put_box(&l, (struct box){ l.w - (double)strlen(t) * LABEL_CH - 4, y, l.w,
						  y + LABEL_H + 6 });
		}
		/* the bold lines are obstacles too: a name is written across one only
		   when it names a family that set the frontier and has no other place */
		l.lines0 = l.n;
		for (size_t i = 0; i < c->nfam; i++) {
			const struct collapse_family *fam = &c->fam[i];

			if (!major[i])
				continue;
			for (size_t j = 0; j < fam->n; j++) {
				const struct collapse_price *pt = &fam->pts[j];
				const char *d = strcmp(pt->date, c->opts.from) < 0 ? c->opts.from : pt->date;
				double x0 = px_x(&l, chart_seconds(d)), y = px_y(&l, pick(pt, price));
				double x1 = px_x(&l, chart_seconds(pt->until[0] ? pt->until : c->opts.to));

				put_box(&l, (struct box){ x0, y - 1.5, x1, y + 1.5 });
				if (j + 1 < fam->n && !strcmp(pt->until, fam->pts[j + 1].date)) {
					double y2 = px_y(&l, pick(&fam->pts[j + 1], price));

					put_box(&l, (struct box){ x1 - 1.5, y < y2 ? y : y2, x1 + 1.5,
								  y < y2 ? y2 : y });
				}
			}
		}
		l.lines1 = l.n;
		/* priority: families that set the frontier, then the others, by start date */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < c->nfam; i++)
				if (major[i] && c->fam[i].n && sets_frontier(c, &c->fam[i]) == !pass)
					ord[no++] = i;
		for (size_t a = 1; a < no; a++)
			for (size_t b = a; b > 0; b--) {
				const struct collapse_family *x = &c->fam[ord[b]], *y = &c->fam[ord[b - 1]];

				if (sets_frontier(c, x) != sets_frontier(c, y) ||
				    strcmp(x->pts[0].date, y->pts[0].date) >= 0)
					break;
				size_t t = ord[b];
				ord[b] = ord[b - 1];
				ord[b - 1] = t;
			}
		for (size_t a = 0; a < no; a++) {
			const struct collapse_family *fam = &c->fam[ord[a]];
			const char *d = strcmp(fam->pts[0].date, c->opts.from) < 0 ? c->opts.from
										 : fam->pts[0].date;
			double bx, by;
			int k;

			double x = px_x(&l, chart_seconds(d)), y = px_y(&l, pick(&fam->pts[0], price));

			if (place(&l, x, y, strlen(fam->family), 0, &bx, &by) &&
			    (!sets_frontier(c, fam) || place(&l, x, y, strlen(fam->family), 1, &bx, &by)))
				continue; /* no free place: the line is still drawn and coloured */
			for (k = 0; strcmp(makers[k], fam->maker); k++)
				;
			/* the box's bottom-left back in data coordinates */
			char day[16];

			/* the data's x column is a date (timefmt): round to the day */
			date_format(day, sizeof(day),
				    (lc_date)floor((l.t0 + bx / l.w * l.span) / 86400 + 0.5));
			fprintf(labels, "%s\t%.6g\t", day, pow(10, l.d0 + (by + LABEL_H / 2) / l.h * l.decades));
			gp_put_field(labels, fam->family);
			fprintf(labels, "\t%ld\n", chart_color_int(chart_provider_color(fam->maker, k)));
		}
		free(ord);
		free(l.placed);
		grid_free(&l);
		if (l.oom) {
			lc_errf(err, LC_ERUNTIME, "out of memory");
			goto out;
		}
	}
	/* gnuplot refuses an empty data file: keep one harmless comment-free row */
	fputs("\n", cuts);
	if (gp_chart_close(cuts, "collapse-cuts.tsv", err)) {
		cuts = NULL;
		goto out;
	}
	cuts = NULL;
	if (gp_chart_close(labels, "collapse-labels.tsv", err)) {
		labels = NULL;
		goto out;
	}
	labels = NULL;

	if (!(f = gp_chart_open(g, "collapse.gp", err)))
		goto out;
	gp_preamble(g, f);
	snprintf(title, sizeof(title), "The LLM price collapse: list price per million %s tokens%s",
		 what[price], price == CHART_BLENDED ? "" : "");
	if (price == CHART_BLENDED)
		snprintf(title, sizeof(title),
			 "The LLM price collapse: blended list price per million tokens (%d:%d input:output)",
			 c->opts.blend_in, c->opts.blend_out);
	chart_frame(f, g, title, CHART_SOURCE);
	chart_time_axis(f, c->opts.from, c->opts.to, g->fmt == GP_DUMB);
	fputs("set logscale y\nset format y \"$%g\"\n", f);
	if (g->fmt != GP_DUMB) {
		char b1[64], b2[64];

		fprintf(f, "set yrange [%s:%s]\n", money_format(b1, sizeof(b1), ylo, -1),
			money_format(b2, sizeof(b2), yhi, -1));
	}
	if (price == CHART_BLENDED)
		fprintf(f, "set ylabel \"USD per 1M tokens, blended %d:%d (log scale)\"\n",
			c->opts.blend_in, c->opts.blend_out);
	else
		fprintf(f, "set ylabel \"USD per 1M %s tokens (log scale)\"\n", what[price]);
	if (g->fmt == GP_DUMB)
		fputs("set key outside right top vertical\n", f);
	else
		fputs("set key outside right top vertical Left reverse samplen 2 spacing 1.15 "
		      "font \",10\" title \"Provider\" box lc rgb \"#cccccc\"\n",
		      f);
	if (g->fmt != GP_DUMB)
		fprintf(f, "set lmargin at screen %.3f\nset rmargin at screen %.3f\n"
			   "set bmargin at screen %.3f\nset tmargin at screen %.3f\n",
			PLOT_L, PLOT_R, PLOT_B, PLOT_T);
	if (c->have_ref && g->fmt != GP_DUMB) {
		char buf[64];

		fprintf(f, "set arrow 1 from %lld, %s to %lld, %s nohead dt 2 lc rgb \"#999999\" lw 1\n",
			chart_seconds(c->opts.from), money_format(buf, sizeof(buf), pick(&c->ref, price), -1),
			chart_seconds(c->opts.to), buf);
		snprintf(title, sizeof(title), "%s (%s): $%s", c->ref.model, c->ref.date,
			 money_format(buf, sizeof(buf), pick(&c->ref, price), -1));
		fputs("set label 1 ", f);
		gp_put_string(f, title);
		fprintf(f, " at %lld, %s right offset -0.5,0.6 font \",9\" tc rgb \"#777777\"\n",
			chart_seconds(c->opts.to), buf);
	}
	if (hidden) {
		/* llmcost's own text, no name in it */
		snprintf(title, sizeof(title),
			 "and %zu more families, not drawn: see `llmcost report collapse`", hidden);
		fputs("set label 2 ", f);
		gp_put_string(f, title);
		fputs(g->fmt == GP_DUMB ? " at screen 0.01, screen 0.02 left\n"
					: " at screen 0.99, screen 0.02 right font \",9\" tc rgb \"#555555\"\n",
		      f);
	}
	if (g->fmt != GP_DUMB)
		fputs("set style textbox opaque noborder margins 1,0.5 fc rgb \"white\"\n", f);
	fputs("plot \\\n", f);
	if (others)
		fprintf(f, "  'collapse-other.tsv' using 1:2 with lines lw 1.2 lc rgb \"%s\" "
			   "title \"other providers\", \\\n",
			g->fmt == GP_DUMB ? "#888888" : "#60a0a0a0");
	for (int k = 0; k < nm; k++) {
		const char *col = chart_provider_color(makers[k], k);

		if (!has_major[k])
			continue;
		fprintf(f, "  'collapse-p%d.tsv' using 1:2 with lines lw %s lc rgb \"%s\" "
			   "title columnheader(1), \\\n",
			k, g->fmt == GP_DUMB ? "1" : "2.4", col);
		/* the other families: thinner and translucent (#AARRGGBB) */
		fprintf(f, "  'collapse-p%d-minor.tsv' using 1:2 with lines lw %s lc rgb \"#%s%s\" "
			   "notitle, \\\n",
			k, g->fmt == GP_DUMB ? "1" : "1.3", g->fmt == GP_DUMB ? "" : "90", col + 1);
	}
	if (g->fmt == GP_DUMB) {
		fputs("  NaN notitle\n", f);
	} else {
		fputs("  'collapse-cuts.tsv' using 1:2:3 with points pt 7 ps 0.8 lc rgb variable "
		      "notitle, \\\n"
		      "  NaN with points pt 7 ps 0.8 lc rgb \"#555555\" title \"price cut\", \\\n"
		      "  'collapse-labels.tsv' using 1:2:3:4 with labels left boxed "
		      "font \",8.5\" tc rgb variable notitle\n",
		      f);
	}
	rc = gp_chart_close(f, "collapse.gp", err);
	f = NULL;
out:
	if (f)
		fclose(f);
	if (cuts)
		fclose(cuts);
	if (labels)
		fclose(labels);
	free(makers);
	free(major);
	free(has_major);
	return rc;
}

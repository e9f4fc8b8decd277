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

/* What draw() and its steps share: the chart's input and the providers. */
struct drawing {
	struct lc_db *db;
	const struct collapse *c;
	enum chart_price price;
	struct gp_chart *g;
	char (*makers)[LC_ID_MAX]; /* providers in order of their first family */
	int nm;
	char *major;     /* per family: drawn bold and named (mark_major()) */
	char *has_major; /* per provider: has a bold family (a colour, a legend entry) */
	int others;      /* families drawn as "other providers" */
	int64_t ylo, yhi; /* the y range: powers of ten around the prices */
};

static const char *const what[] = { "input", "output", "blended" };

/* The index of maker in d->makers (it is there). */
static int maker_index(const struct drawing *d, const char *maker)
{
	int k;

	for (k = 0; strcmp(d->makers[k], maker); k++)
		;
	return k;
}

/* Fill d's providers, major families and providers with one; -1 when out
   of memory. */
static int sort_providers(struct drawing *d, struct lc_err *err)
{
	const struct collapse *c = d->c;

	d->makers = xcalloc(c->nfam + 1, sizeof(*d->makers));
	for (size_t i = 0; i < c->nfam; i++) {
		int k;

		for (k = 0; k < d->nm && strcmp(d->makers[k], c->fam[i].maker); k++)
			;
		if (k == d->nm)
			lc_strlcpy(d->makers[d->nm++], c->fam[i].maker, LC_ID_MAX);
	}
	d->major = xcalloc(c->nfam + 1, sizeof(*d->major));
	mark_major(c, d->price, d->major);
	/* providers with a bold family get a colour and a legend entry; the rest
	   are drawn in light grey as "other providers", so a store holding
	   hundreds of ingested models still gives a legible legend */
	d->has_major = xcalloc((size_t)d->nm + 1, 1);
	for (size_t i = 0; i < c->nfam; i++)
		for (int k = 0; k < d->nm; k++)
			if (d->major[i] && !strcmp(c->fam[i].maker, d->makers[k]))
				d->has_major[k] = 1;
	return 0;
}

/* collapse-pN.tsv and collapse-pN-minor.tsv for provider k (one with a
   bold family). */
static int write_provider(struct drawing *d, int k, struct lc_err *err)
{
	const struct collapse *c = d->c;
	char name[64], pname[LC_ID_MAX * 2];
	FILE *f;

	for (int minor = 0; minor < 2; minor++) {
		snprintf(name, sizeof(name), "collapse-p%d%s.tsv", k, minor ? "-minor" : "");
		if (!(f = gp_chart_open(d->g, name, err)))
			return -1;
		if (db_provider_name(d->db, d->makers[k], pname, sizeof(pname), err)) {
			fclose(f);
			return -1;
		}
		gp_put_field(f, pname);
		fputs("\t\"price\"\n", f);
		for (size_t i = 0; i < c->nfam; i++)
			if (!strcmp(c->fam[i].maker, d->makers[k]) && c->fam[i].n &&
			    d->major[i] == !minor)
				put_steps(f, &c->fam[i], d->price, c->opts.to);
		if (gp_chart_close(f, name, err))
			return -1;
	}
	return 0;
}

/* The step lines: one file per provider with a bold family (two: bold and
   thin), collapse-other.tsv for the rest. */
static int write_lines(struct drawing *d, struct lc_err *err)
{
	const struct collapse *c = d->c;
	FILE *f;

	for (int k = 0; k < d->nm; k++)
		if (d->has_major[k] && write_provider(d, k, err))
			return -1;
	if (!(f = gp_chart_open(d->g, "collapse-other.tsv", err)))
		return -1;
	for (size_t i = 0; i < c->nfam; i++)
		for (int k = 0; k < d->nm; k++)
			if (!d->has_major[k] && c->fam[i].n && !strcmp(c->fam[i].maker, d->makers[k])) {
				put_steps(f, &c->fam[i], d->price, c->opts.to);
				d->others++;
			}
	return gp_chart_close(f, "collapse-other.tsv", err);
}

/* The price cuts: date, new price, the provider's colour. */
static void write_cuts(const struct drawing *d, FILE *cuts)
{
	const struct collapse *c = d->c;

	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *fam = &c->fam[i];
		long color;

		if (!fam->n)
			continue;
		color = chart_color_int(chart_provider_color(fam->maker, maker_index(d, fam->maker)));
		for (size_t j = 1; j < fam->n; j++)
			if (pick(&fam->pts[j], d->price) < pick(&fam->pts[j - 1], d->price) &&
			    !strcmp(fam->pts[j - 1].until, fam->pts[j].date)) {
				fprintf(cuts, "%s\t", fam->pts[j].date);
				chart_put_price(cuts, pick(&fam->pts[j], d->price));
				fprintf(cuts, "\t%ld\n", color);
			}
	}
}

/* d->ylo, d->yhi: the powers of ten at or around the lowest non-zero and
   the highest price. */
static void y_range(struct drawing *d)
{
	const struct collapse *c = d->c;
	int64_t lo = INT64_MAX, hi = 0;

	for (size_t i = 0; i < c->nfam; i++)
		for (size_t j = 0; j < c->fam[i].n; j++) {
			int64_t v = pick(&c->fam[i].pts[j], d->price);

			if (v > 0 && v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
	if (lo == INT64_MAX)
		lo = hi = 1;
	d->ylo = pow10_below(lo);
	d->yhi = pow10_above(hi);
	if (d->yhi <= d->ylo)
		d->yhi = d->ylo * 10;
}

/* The layout's geometry and room for every box; -1 when out of memory. */
static int layout_init(struct layout *l, const struct drawing *d)
{
	const struct collapse *c = d->c;
	size_t cap = c->nfam + 2;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < c->nfam; i++)
		cap += 2 * c->fam[i].n;
	l->placed = xmalloc(cap * sizeof(*l->placed));
	l->w = (PLOT_R - PLOT_L) * d->g->width;
	l->h = (PLOT_T - PLOT_B) * d->g->height;
	l->t0 = (double)chart_seconds(c->opts.from);
	l->span = (double)(chart_seconds(c->opts.to) - chart_seconds(c->opts.from));
	if (l->span <= 0)
		l->span = 86400;
	l->d0 = log10((double)d->ylo / 1e9);
	l->decades = log10((double)d->yhi / 1e9) - l->d0;
	if (grid_init(l)) {
		free(l->placed);
		return -1;
	}
	return 0;
}

/* The obstacles placed before any family's name: the reference's label,
   then the bold lines. */
static void place_obstacles(struct layout *l, const struct drawing *d)
{
	const struct collapse *c = d->c;

	if (c->have_ref) {
		/* the reference's label, top right of its dashed line */
		char t[LC_ID_MAX + 64], b2[64];
		double y = px_y(l, pick(&c->ref, d->price));

		snprintf(t, sizeof(t), "%s (%s): $%s", c->ref.model, c->ref.date,
			 money_format(b2, sizeof(b2), pick(&c->ref, d->price), -1));
		put_box(l, (struct box){ l->w - (double)strlen(t) * LABEL_CH - 4, y, l->w,
					 y + LABEL_H + 6 });
	}
	/* the bold lines are obstacles too: a name is written across one only
	   when it names a family that set the frontier and has no other place */
	l->lines0 = l->n;
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *fam = &c->fam[i];

		if (!d->major[i])
			continue;
		for (size_t j = 0; j < fam->n; j++) {
			const struct collapse_price *pt = &fam->pts[j];
			const char *day = strcmp(pt->date, c->opts.from) < 0 ? c->opts.from : pt->date;
			double x0 = px_x(l, chart_seconds(day)), y = px_y(l, pick(pt, d->price));
			double x1 = px_x(l, chart_seconds(pt->until[0] ? pt->until : c->opts.to));

			put_box(l, (struct box){ x0, y - 1.5, x1, y + 1.5 });
			if (j + 1 < fam->n && !strcmp(pt->until, fam->pts[j + 1].date)) {
				double y2 = px_y(l, pick(&fam->pts[j + 1], d->price));

				put_box(l, (struct box){ x1 - 1.5, y < y2 ? y : y2, x1 + 1.5,
							 y < y2 ? y2 : y });
			}
		}
	}
	l->lines1 = l->n;
}

/* The bold families to name, in ord[], in priority order: those that set
   the frontier, then the others, each by start date.  Returns how many. */
static size_t label_order(const struct drawing *d, size_t *ord)
{
	const struct collapse *c = d->c;
	size_t no = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nfam; i++)
			if (d->major[i] && c->fam[i].n && sets_frontier(c, &c->fam[i]) == !pass)
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
	return no;
}

/* Name family fam where a place is free (none: the line is still drawn and
   coloured): date, price, name, colour. */
static void write_label(struct layout *l, const struct drawing *d,
			const struct collapse_family *fam, FILE *labels)
{
	const struct collapse *c = d->c;
	const char *day0 = strcmp(fam->pts[0].date, c->opts.from) < 0 ? c->opts.from
								       : fam->pts[0].date;
	double x = px_x(l, chart_seconds(day0)), y = px_y(l, pick(&fam->pts[0], d->price));
	double bx, by;
	char day[16];

	if (place(l, x, y, strlen(fam->family), 0, &bx, &by) &&
	    (!sets_frontier(c, fam) || place(l, x, y, strlen(fam->family), 1, &bx, &by)))
		return;
	/* the box's bottom-left back in data coordinates; the data's x column
	   is a date (timefmt): round to the day */
	date_format(day, sizeof(day), (lc_date)floor((l->t0 + bx / l->w * l->span) / 86400 + 0.5));
	fprintf(labels, "%s\t%.6g\t", day, pow(10, l->d0 + (by + LABEL_H / 2) / l->h * l->decades));
	gp_put_field(labels, fam->family);
	fprintf(labels, "\t%ld\n",
		chart_color_int(chart_provider_color(fam->maker, maker_index(d, fam->maker))));
}

/* The family labels, laid out so that none overlaps another. */
static int write_labels(const struct drawing *d, FILE *labels, struct lc_err *err)
{
	const struct collapse *c = d->c;
	struct layout l;
	size_t *ord = xmalloc((c->nfam + 1) * sizeof(*ord)), no;
	int oom;

	if (!ord || layout_init(&l, d)) {
		free(ord);
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	place_obstacles(&l, d);
	no = label_order(d, ord);
	for (size_t a = 0; a < no; a++)
		write_label(&l, d, &c->fam[ord[a]], labels);
	oom = l.oom;
	free(ord);
	free(l.placed);
	grid_free(&l);
	return oom ? lc_errf(err, LC_ERUNTIME, "out of memory") : 0;
}

/* collapse-cuts.tsv and collapse-labels.tsv. */
static int write_marks(const struct drawing *d, struct lc_err *err)
{
	FILE *cuts, *labels;

	if (!(cuts = gp_chart_open(d->g, "collapse-cuts.tsv", err)))
		return -1;
	if (!(labels = gp_chart_open(d->g, "collapse-labels.tsv", err))) {
		fclose(cuts);
		return -1;
	}
	write_cuts(d, cuts);
	if (write_labels(d, labels, err)) {
		fclose(cuts);
		fclose(labels);
		return -1;
	}
	/* gnuplot refuses an empty data file: keep one harmless comment-free row */
	fputs("\n", cuts);
	if (gp_chart_close(cuts, "collapse-cuts.tsv", err)) {
		fclose(labels);
		return -1;
	}
	return gp_chart_close(labels, "collapse-labels.tsv", err);
}

/* The script's title, axes, key and margins. */
static void script_frame(const struct drawing *d, FILE *f)
{
	const struct collapse *c = d->c;
	const struct gp_chart *g = d->g;
	char title[256];

	snprintf(title, sizeof(title), "The LLM price collapse: list price per million %s tokens%s",
		 what[d->price], d->price == CHART_BLENDED ? "" : "");
	if (d->price == CHART_BLENDED)
		snprintf(title, sizeof(title),
			 "The LLM price collapse: blended list price per million tokens (%d:%d input:output)",
			 c->opts.blend_in, c->opts.blend_out);
	chart_frame(f, g, title, CHART_SOURCE);
	chart_time_axis(f, c->opts.from, c->opts.to, g->fmt == GP_DUMB);
	fputs("set logscale y\nset format y \"$%g\"\n", f);
	if (g->fmt != GP_DUMB) {
		char b1[64], b2[64];

		fprintf(f, "set yrange [%s:%s]\n", money_format(b1, sizeof(b1), d->ylo, -1),
			money_format(b2, sizeof(b2), d->yhi, -1));
	}
	if (d->price == CHART_BLENDED)
		fprintf(f, "set ylabel \"USD per 1M tokens, blended %d:%d (log scale)\"\n",
			c->opts.blend_in, c->opts.blend_out);
	else
		fprintf(f, "set ylabel \"USD per 1M %s tokens (log scale)\"\n", what[d->price]);
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
}

/* The script's notes: the reference's dashed line and label, and how many
   families were not drawn. */
static void script_notes(const struct drawing *d, size_t hidden, FILE *f)
{
	const struct collapse *c = d->c;
	const struct gp_chart *g = d->g;
	char title[256];

	if (c->have_ref && g->fmt != GP_DUMB) {
		char buf[64];

		fprintf(f, "set arrow 1 from %lld, %s to %lld, %s nohead dt 2 lc rgb \"#999999\" lw 1\n",
			chart_seconds(c->opts.from),
			money_format(buf, sizeof(buf), pick(&c->ref, d->price), -1),
			chart_seconds(c->opts.to), buf);
		snprintf(title, sizeof(title), "%s (%s): $%s", c->ref.model, c->ref.date,
			 money_format(buf, sizeof(buf), pick(&c->ref, d->price), -1));
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
}

/* The script's plot command: the lines, then the cuts and labels. */
static void script_plot(const struct drawing *d, FILE *f)
{
	const struct gp_chart *g = d->g;

	if (g->fmt != GP_DUMB)
		fputs("set style textbox opaque noborder margins 1,0.5 fc rgb \"white\"\n", f);
	fputs("plot \\\n", f);
	if (d->others)
		fprintf(f, "  'collapse-other.tsv' using 1:2 with lines lw 1.2 lc rgb \"%s\" "
			   "title \"other providers\", \\\n",
			g->fmt == GP_DUMB ? "#888888" : "#60a0a0a0");
	for (int k = 0; k < d->nm; k++) {
		const char *col = chart_provider_color(d->makers[k], k);

		if (!d->has_major[k])
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
}

/* The chart of c's families; hidden: how many more were not drawn (noted). */
static int draw(struct lc_db *db, const struct collapse *c, enum chart_price price,
		struct gp_chart *g, size_t hidden, struct lc_err *err)
{
	struct drawing d = { .db = db, .c = c, .price = price, .g = g, .ylo = 1, .yhi = 10 };
	FILE *f;
	int rc = -1;

	if (sort_providers(&d, err) || write_lines(&d, err))
		goto out;
	y_range(&d);
	if (write_marks(&d, err) || !(f = gp_chart_open(g, "collapse.gp", err)))
		goto out;
	gp_preamble(g, f);
	script_frame(&d, f);
	script_notes(&d, hidden, f);
	script_plot(&d, f);
	rc = gp_chart_close(f, "collapse.gp", err);
out:
	free(d.makers);
	free(d.major);
	free(d.has_major);
	return rc;
}

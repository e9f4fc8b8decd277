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

/* The makers whose flagship and cheapest family are always drawn. */
static const char *const major_makers[] = { "openai", "anthropic", "google", "meta", "mistral",
					    "deepseek" };

/* A family's last price in the range. */
static int64_t last_price(const struct collapse_family *f, enum chart_price k)
{
	return pick(&f->pts[f->n - 1], k);
}

static int sets_frontier(const struct collapse *c, const struct collapse_family *f);

/* The score of family f's latest model, or -1 when it has none. */
static double family_score(const struct chart_scores *s, const struct collapse_family *f)
{
	return chart_score_of(s, f->pts[f->n - 1].model);
}

/* Is family j a better flagship than family k (higher score, else higher price)? */
static int better_flagship(const struct collapse *c, const struct chart_scores *s, enum chart_price price,
			   size_t j, size_t k)
{
	double a = family_score(s, &c->fam[j]), b = family_score(s, &c->fam[k]);

	if (a != b)
		return a > b;
	return last_price(&c->fam[j], price) > last_price(&c->fam[k], price);
}

/*
 * The default chart's families that matter, marked in major[]: those that
 * set the quality frontier, the reference's, and each major maker's
 * flagship and cheapest among its families priced on --to: the flagship's
 * latest model has the highest score (of c's benchmark, in the snapshot of
 * --snapshot or --to; unscored: the highest price), the cheapest has the
 * lowest last price (ties: the first in the report's order).
 */
static void mark_story(struct lc_db *db, const struct collapse *c, enum chart_price price,
		       char *major)
{
	struct chart_scores sc;
	struct lc_err err = { 0 };

	/* without scores (an error included: sc is then empty) the flagship is the dearest */
	(void)chart_scores_load(db, c, &sc, &err);
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[i];

		if (f->n && (sets_frontier(c, f) ||
			     (c->have_ref && !strcmp(f->pts[0].model, c->ref.model))))
			major[i] = 1;
	}
	for (size_t m = 0; m < ARRAY_SIZE(major_makers); m++) {
		size_t hi = SIZE_MAX, lo = SIZE_MAX;

		for (size_t j = 0; j < c->nfam; j++) {
			const struct collapse_family *g = &c->fam[j];

			if (!g->n || !g->present || strcmp(g->maker, major_makers[m]))
				continue;
			if (hi == SIZE_MAX || better_flagship(c, &sc, price, j, hi))
				hi = j;
			if (lo == SIZE_MAX || last_price(g, price) < last_price(&c->fam[lo], price))
				lo = j;
		}
		if (hi != SIZE_MAX)
			major[hi] = major[lo] = 1;
	}
	chart_scores_release(&sc);
}

/*
 * The families drawn bold and named with --all: those whose list price was
 * cut, those that set the quality frontier, and those that were the
 * cheapest of all when they appeared.  The others are drawn thin.
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
#define PLOT_R 0.975
#define PLOT_B 0.19
#define PLOT_T 0.875
/* the x axis runs past --to by this share of its span: the names of the
   lines still open on --to are written there, at their lines' ends */
#define NAME_ROOM 0.24
/* pixels per character at font 8.5 and a label's height (one character
   cell each on the terminal): fields of the layout in scope as `l` */
#define LABEL_CH (l->ch)
#define LABEL_H (l->lh)

struct box {
	double x0, y0, x1, y1;
};

struct layout {
	double w, h;            /* plot area, pixels */
	double ch, lh;          /* a label's character width and height */
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
		unsigned flags, struct gp_chart *g, size_t hidden, struct lc_err *err);

int chart_collapse(struct lc_db *db, const struct collapse *c, enum chart_price price,
		   struct gp_chart *g, struct lc_err *err)
{
	return chart_collapse_with(db, c, price, 0, g, err);
}

int chart_collapse_with(struct lc_db *db, const struct collapse *c, enum chart_price price,
			unsigned flags, struct gp_chart *g, struct lc_err *err)
{
	size_t cap = chart_family_cap(), n = 0, *keep;
	char *story;
	struct rank *r;
	struct collapse sub;
	int rc;

	for (size_t i = 0; i < c->nfam; i++)
		n += c->fam[i].n > 0;
	if (n <= cap)
		return draw(db, c, price, flags, g, 0, err);
	r = xmalloc(n * sizeof(*r));
	/* the default chart's story families (mark_story) rank first too */
	story = xcalloc(c->nfam + 1, 1);
	if (!(flags & CHART_ALL))
		mark_story(db, c, price, story);
	n = 0;
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[i];
		int64_t low;

		if (!f->n)
			continue;
		r[n].i = i;
		r[n].f = f;
		r[n].key = story[i] || sets_frontier(c, f) ||
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
	rc = draw(db, &sub, price, flags, g, n - cap, err);
	free(sub.fam);
	free(keep);
	free(r);
	free(story);
	return rc;
}

static int scale_of(const struct gp_chart *g)
{
	return g->scale > 1 ? g->scale : 1;
}

struct drawing;
static double name_room(const struct drawing *d);

/* What draw() and its steps share: the chart's input and the providers. */
struct drawing {
	unsigned flags;  /* CHART_ALL */
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

/*
 * The room right of --to, as a share of from..to: NAME_ROOM on a file; on
 * the terminal the longest family name and 2 cells, at most 45% of the
 * plot's columns (names are written without prices there).
 */
static double name_room(const struct drawing *d)
{
	double cols = (PLOT_R - PLOT_L) * d->g->width, need = 0;

	if (d->g->fmt != GP_DUMB)
		return NAME_ROOM;
	for (size_t i = 0; i < d->c->nfam; i++)
		if (d->major && d->major[i] && (double)strlen(d->c->fam[i].family) + 2 > need)
			need = (double)strlen(d->c->fam[i].family) + 2;
	if (need > cols * 0.45)
		need = cols * 0.45;
	return need / (cols - need);
}

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
	if (d->flags & CHART_ALL)
		mark_major(c, d->price, d->major);
	else
		mark_story(d->db, c, d->price, d->major);
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
			    d->major[i] == !minor && (!minor || (d->flags & CHART_ALL)))
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
			if ((!d->has_major[k] || (!(d->flags & CHART_ALL) && !d->major[i])) &&
			    c->fam[i].n && !strcmp(c->fam[i].maker, d->makers[k])) {
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
	l->ch = d->g->fmt == GP_DUMB ? 1 : 6.4; /* pngcairo's width at 8.5 points */
	l->lh = d->g->fmt == GP_DUMB ? 1 : 11.5;
	l->w = (PLOT_R - PLOT_L) * d->g->width / scale_of(d->g);
	l->h = (PLOT_T - PLOT_B) * d->g->height / scale_of(d->g);
	l->t0 = (double)chart_seconds(c->opts.from);
	l->span = (double)(chart_seconds(c->opts.to) - chart_seconds(c->opts.from));
	if (l->span <= 0)
		l->span = 86400;
	l->span *= 1 + name_room(d);
	l->d0 = log10((double)d->ylo / 1e9);
	l->decades = log10((double)d->yhi / 1e9) - l->d0;
	if (grid_init(l)) {
		free(l->placed);
		return -1;
	}
	return 0;
}

/* "gpt-4-0314 (2023-03-14): $30.00", the reference's label. */
static void ref_text(char *t, size_t n, const struct drawing *d)
{
	char b2[64];

	snprintf(t, n, "%s (%s): %s", d->c->ref.model, d->c->ref.date,
		 chart_usd_human(b2, sizeof(b2), pick(&d->c->ref, d->price)));
}

/* The obstacles placed before any family's name: the reference's label,
   then the bold lines. */
static void place_obstacles(struct layout *l, const struct drawing *d)
{
	const struct collapse *c = d->c;

	if (c->have_ref) {
		/* the reference's label, above its dashed line at the left */
		char t[LC_ID_MAX + 64];
		double y = px_y(l, pick(&c->ref, d->price));

		ref_text(t, sizeof(t), d);
		put_box(l, (struct box){ 0, y, 8 + (double)strlen(t) * LABEL_CH, y + LABEL_H + 6 });
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

/* One label row: x in seconds, y the price at the box's middle, the text
   (untrusted: a data field), the colour. */
static void put_label_row(const struct layout *l, const struct drawing *d,
			  const struct collapse_family *fam, const char *text, double bx, double by,
			  FILE *labels)
{
	fprintf(labels, "%.0f\t%.6g\t", l->t0 + bx / l->w * l->span,
		pow(10, l->d0 + (by + LABEL_H / 2) / l->h * l->decades));
	gp_put_field(labels, text);
	fprintf(labels, "\t%ld\n",
		chart_color_int(chart_provider_color(fam->maker, maker_index(d, fam->maker))));
}

/* Is family fam still priced on --to (its line reaches the right edge)? */
static int open_on_to(const struct collapse *c, const struct collapse_family *fam)
{
	const char *until = fam->pts[fam->n - 1].until;

	return !until[0] || strcmp(until, c->opts.to) >= 0;
}

/* Name a family whose line ends before --to: right of its end, else near
   its start, where a place is free (none: the line is still drawn). */
static void write_label(struct layout *l, const struct drawing *d,
			const struct collapse_family *fam, FILE *labels)
{
	const struct collapse *c = d->c;
	const struct collapse_price *last = &fam->pts[fam->n - 1];
	const char *day0 = strcmp(fam->pts[0].date, c->opts.from) < 0 ? c->opts.from
								       : fam->pts[0].date;
	double x = px_x(l, chart_seconds(last->until)), y = px_y(l, pick(last, d->price));
	double bx, by;

	if (!place(l, x, y, strlen(fam->family), 0, &bx, &by)) {
		put_label_row(l, d, fam, fam->family, bx, by, labels);
		return;
	}
	x = px_x(l, chart_seconds(day0));
	y = px_y(l, pick(&fam->pts[0], d->price));
	if (place(l, x, y, strlen(fam->family), 0, &bx, &by) &&
	    (!sets_frontier(c, fam) || place(l, x, y, strlen(fam->family), 1, &bx, &by)))
		return;
	put_label_row(l, d, fam, fam->family, bx, by, labels);
}

/* A name at the right end of an open line. */
struct end_label {
	const struct collapse_family *fam;
	double line_y, y; /* the line's height and the box's bottom, pixels */
	char text[LC_ID_MAX + 32];
};

static int by_line_y(const void *pa, const void *pb)
{
	const struct end_label *a = pa, *b = pb;

	return a->line_y < b->line_y ? -1 : a->line_y > b->line_y;
}

/*
 * The names of the lines open on --to, in the room right of --to: each at
 * its line's height, then nudged apart (up from the bottom, then down from
 * the top), with a leader line from the line's end when moved.
 */
static void write_end_labels(struct layout *l, const struct drawing *d, const size_t *ord,
			     size_t no, FILE *labels, FILE *leaders)
{
	const struct collapse *c = d->c;
	struct end_label *e = xcalloc(no + 1, sizeof(*e));
	double x = px_x(l, chart_seconds(c->opts.to)) + (d->g->fmt == GP_DUMB ? 1 : 10);
	double gap = LABEL_H + (d->g->fmt == GP_DUMB ? 0 : 1);
	size_t n = 0;
	char buf[64];

	for (size_t a = 0; a < no; a++) {
		const struct collapse_family *fam = &c->fam[ord[a]];

		if (!open_on_to(c, fam))
			continue;
		e[n].fam = fam;
		e[n].line_y = px_y(l, last_price(fam, d->price) > 0 ? last_price(fam, d->price) : 1);
		e[n].y = e[n].line_y - LABEL_H / 2;
		if (d->g->fmt == GP_DUMB)
			lc_strlcpy(e[n].text, fam->family, sizeof(e[n].text));
		else
			snprintf(e[n].text, sizeof(e[n].text), "%s %s", fam->family,
				 chart_usd_human(buf, sizeof(buf), last_price(fam, d->price)));
		n++;
	}
	/* no more names than rows: the first in label order (frontier setters) stay */
	if ((double)n * gap > l->h)
		n = (size_t)(l->h / gap);
	qsort(e, n, sizeof(*e), by_line_y);
	for (size_t i = 0; i < n; i++) {
		if (e[i].y < 0)
			e[i].y = 0;
		if (i && e[i].y < e[i - 1].y + gap)
			e[i].y = e[i - 1].y + gap;
	}
	for (size_t i = n; i-- > 0;) {
		double top = i + 1 < n ? e[i + 1].y - gap : l->h - LABEL_H;

		if (e[i].y > top)
			e[i].y = top;
	}
	for (size_t i = 0; i < n; i++) {
		double end = l->t0 + px_x(l, chart_seconds(c->opts.to)) / l->w * l->span;

		put_box(l, (struct box){ x, e[i].y, x + (double)strlen(e[i].text) * LABEL_CH,
					 e[i].y + LABEL_H });
		put_label_row(l, d, e[i].fam, e[i].text, x, e[i].y, labels);
		/* the leader: from the line's end to the name's middle */
		fprintf(leaders, "%.0f\t%.6g\n%.0f\t%.6g\n\n", end,
			pow(10, l->d0 + e[i].line_y / l->h * l->decades),
			l->t0 + (x - 2) / l->w * l->span,
			pow(10, l->d0 + (e[i].y + LABEL_H / 2) / l->h * l->decades));
	}
	free(e);
}

/* The family labels, laid out so that none overlaps another. */
static int write_labels(const struct drawing *d, FILE *labels, FILE *leaders, struct lc_err *err)
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
	write_end_labels(&l, d, ord, no, labels, leaders);
	/* the lines that ended earlier: named near them on a file (the
	   terminal's cells are too coarse for that) */
	for (size_t a = 0; a < no && d->g->fmt != GP_DUMB; a++)
		if (!open_on_to(c, &c->fam[ord[a]]))
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
	FILE *cuts, *labels, *leaders;

	if (!(cuts = gp_chart_open(d->g, "collapse-cuts.tsv", err)))
		return -1;
	if (!(labels = gp_chart_open(d->g, "collapse-labels.tsv", err))) {
		fclose(cuts);
		return -1;
	}
	if (!(leaders = gp_chart_open(d->g, "collapse-leaders.tsv", err))) {
		fclose(cuts);
		fclose(labels);
		return -1;
	}
	write_cuts(d, cuts);
	if (write_labels(d, labels, leaders, err)) {
		fclose(cuts);
		fclose(labels);
		fclose(leaders);
		return -1;
	}
	fputs("\n", leaders);
	if (gp_chart_close(leaders, "collapse-leaders.tsv", err)) {
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

int chart_collapse_headline(char *buf, size_t n, const struct collapse *c, enum chart_price price)
{
	char a[64], b[64], x[64], score[64];
	size_t lo = 0;
	lc_date d0, d1;
	long months;

	buf[0] = '\0';
	if (!c->nfrontier)
		return -1;
	for (size_t i = 1; i < c->nfrontier; i++)
		if (pick(&c->frontier[i], price) < pick(&c->frontier[lo], price))
			lo = i;
	if (pick(&c->frontier[lo], price) <= 0 || lo == 0)
		return -1;
	date_parse(c->frontier[0].date, 10, &d0, NULL);
	date_parse(c->frontier[lo].date, 10, &d1, NULL);
	months = lround((double)(d1 - d0) / 30.44);
	collapse_ratio(x, sizeof(x), pick(&c->frontier[0], price), pick(&c->frontier[lo], price), 0);
	if (c->bar_model[0])
		snprintf(score, sizeof(score), "%.40s-class", c->bar_model);
	else
		snprintf(score, sizeof(score), "%.20s >= %.16s", c->opts.benchmark, c->bar_score);
	snprintf(buf, n, "%s %s price: %s \xe2\x86\x92 %s, %s\xc3\x97 cheaper in %ld month%s", score,
		 what[price], chart_usd_human(a, sizeof(a), pick(&c->frontier[0], price)),
		 chart_usd_human(b, sizeof(b), pick(&c->frontier[lo], price)), x, months,
		 months == 1 ? "" : "s");
	return 0;
}

/* The script's title (the headline), subtitle, axes and margins. */
static void script_frame(const struct drawing *d, FILE *f)
{
	const struct collapse *c = d->c;
	const struct gp_chart *g = d->g;
	char title[512], sub[512];
	long long t0 = chart_seconds(c->opts.from), t1 = chart_seconds(c->opts.to);

	if (d->price == CHART_BLENDED)
		snprintf(sub, sizeof(sub), "Blended list price per million tokens (%d:%d input:output)",
			 c->opts.blend_in, c->opts.blend_out);
	else
		snprintf(sub, sizeof(sub), "List price per million %s tokens", what[d->price]);
	/* the headline is the title; without one (no fall), the subtitle's start */
	if (chart_collapse_headline(title, sizeof(title), c, d->price))
		lc_strlcpy(title, sub, sizeof(title));
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), ", %s to %s", c->opts.from, c->opts.to);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 "; %s; dots: price cuts",
		 d->flags & CHART_ALL ? "every family, the major ones bold"
				      : "coloured by maker: frontier setters, flagships and "
					"cheapest; grey: other families");
	chart_frame(f, g, title, CHART_SOURCE);
	if (g->fmt != GP_DUMB) {
		fputs("set label 1001 ", f);
		gp_put_string(f, sub);
		fprintf(f, " at screen 0.5, screen %.4f center font \",10\" tc rgb \"#555555\"\n",
			PLOT_T + 0.03);
	}
	chart_time_axis(f, c->opts.from, c->opts.to, g->fmt == GP_DUMB);
	/* room right of --to for the names of the lines still open */
	fprintf(f, "set xrange [%lld:%lld]\n", t0,
		t1 + (long long)((double)(t1 - t0) * name_room(d)));
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
	/* the key of the makers' colours under the x axis, never over the data */
	if (g->fmt == GP_DUMB)
		fputs("unset key\n", f);
	else
		fputs("set key at screen 0.5, screen 0.062 center center horizontal maxrows 2 "
		      "Left reverse samplen 1.5 spacing 1.1 font \",9\"\n"
		      "set xlabel offset 0,0.3\n",
		      f);
	fprintf(f, "set lmargin at screen %.3f\nset rmargin at screen %.3f\n"
		   "set bmargin at screen %.3f\nset tmargin at screen %.3f\n",
		PLOT_L, PLOT_R, PLOT_B, PLOT_T);
	if (g->fmt != GP_DUMB)
		fprintf(f, "set arrow 2 from %lld, graph 0 to %lld, graph 1 nohead dt 3 lc rgb \"#bbbbbb\"\n",
			t1, t1);
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
		ref_text(title, sizeof(title), d);
		fputs("set label 1 ", f);
		gp_put_string(f, title);
		fprintf(f, " at %lld, %s left offset 0.5,0.7 font \",9\" tc rgb \"#777777\"\n",
			chart_seconds(c->opts.from), buf);
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
			   "title \"other families\", \\\n",
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
		fputs("  'collapse-labels.tsv' using ($1):2:3 with labels left notitle\n", f);
	} else {
		fputs("  'collapse-cuts.tsv' using 1:2:3 with points pt 7 ps 0.8 lc rgb variable "
		      "notitle, \\\n"
		      "  NaN with points pt 7 ps 0.8 lc rgb \"#555555\" title \"price cut\", \\\n"
		      "  'collapse-leaders.tsv' using ($1):2 with lines lw 0.8 lc rgb \"#aaaaaa\" "
		      "notitle, \\\n"
		      "  'collapse-labels.tsv' using ($1):2:3:4 with labels left boxed "
		      "font \",8.5\" tc rgb variable notitle\n",
		      f);
	}
}

/* The chart of c's families; hidden: how many more were not drawn (noted). */
static int draw(struct lc_db *db, const struct collapse *c, enum chart_price price,
		unsigned flags, struct gp_chart *g, size_t hidden, struct lc_err *err)
{
	struct drawing d = { .db = db, .c = c, .price = price, .g = g, .ylo = 1, .yhi = 10,
			     .flags = flags };
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

/*
 * chart.c - what every chart shares: provider colours, the time axis, the
 * frame (title, source line, grid) and exact numbers in data files.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "date.h"
#include "money.h"

static const struct {
	const char *maker, *color;
} known[] = {
	{ "openai", "#10a37f" },  { "anthropic", "#d97757" }, { "google", "#4285f4" },
	{ "meta", "#7b61ff" },    { "mistral", "#d62728" },   { "deepseek", "#1f3a93" },
	{ "xai", "#222222" },     { "cohere", "#c1447e" },    { "amazon", "#e6a100" },
	{ "alibaba", "#a0522d" },
};
static const char *const spare[] = { "#8c564b", "#7f7f7f", "#bcbd22", "#17becf",
				     "#9467bd", "#2ca02c", "#ff9896", "#e377c2" };

const char *chart_provider_color(const char *maker, int index)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(known[i].maker, maker))
			return known[i].color;
	return spare[(unsigned)index % (ARRAY_SIZE(spare))];
}

long chart_color_int(const char *hex)
{
	return strtol(hex + 1, NULL, 16);
}

void chart_put_price(FILE *f, int64_t nanos)
{
	char buf[64];

	fputs(money_format(buf, sizeof(buf), nanos, -1), f);
}

char *chart_usd_human(char *buf, size_t n, int64_t nanos)
{
	char num[64];
	int64_t p = 1;

	if (nanos >= 100000000) { /* $0.10 and above: cents */
		if (nanos % 1000000000 == 0)
			snprintf(buf, n, "$%s", money_format(num, sizeof(num), nanos, 0));
		else
			snprintf(buf, n, "$%s", money_format(num, sizeof(num), nanos, 2));
		return buf;
	}
	if (nanos <= 0) {
		snprintf(buf, n, "$0");
		return buf;
	}
	/* keep two significant digits: round to a multiple of p, a power of ten */
	while (nanos / p >= 100)
		p *= 10;
	snprintf(buf, n, "$%s",
		 money_format(num, sizeof(num), (int64_t)money_div_half_even(nanos, p) * p, -1));
	return buf;
}

long long chart_seconds(const char *date)
{
	lc_date d = 0;

	date_parse(date, strlen(date), &d, NULL);
	return (long long)d * 86400;
}

void chart_time_axis(FILE *f, const char *from, const char *to, int coarse)
{
	static const char *const mon[] = { "Jan", "Apr", "Jul", "Oct" };
	lc_date a, b;
	int y, m, d, first = 1;

	date_parse(from, 10, &a, NULL);
	date_parse(to, 10, &b, NULL);
	fputs("set xdata time\nset timefmt \"%Y-%m-%d\"\n", f);
	fprintf(f, "set xrange [%lld:%lld]\n", (long long)a * 86400, (long long)b * 86400);
	date_to_ymd(a, &y, &m, &d);
	m = coarse ? 1 : ((m - 1) / 3) * 3 + 1; /* the quarter's (year's) first month */
	/* label every quarter on a short range, every half-year on a long one */
	int step = coarse ? 12 : (b - a) > 4 * 365 ? 6 : 3;
	fputs("set xtics (", f);
	for (lc_date t = date_from_ymd(y, m, 1); t <= b; t = date_add_months(t, step)) {
		int ty, tm, td;

		if (t < a)
			continue;
		date_to_ymd(t, &ty, &tm, &td);
		if (tm == 1 || first)
			fprintf(f, "%s\"%s %d\" %lld", first ? "" : ", ", mon[(tm - 1) / 3], ty,
				(long long)t * 86400);
		else
			fprintf(f, ", \"%s\" %lld", mon[(tm - 1) / 3], (long long)t * 86400);
		first = 0;
	}
	fputs(")\n", f);
}

void chart_frame(FILE *f, const struct gp_chart *g, const char *title, const char *source)
{
	int term = g->fmt == GP_DUMB;

	fputs("set title ", f);
	gp_put_string(f, title);
	fputs(term ? "\n" : " font \",17\" tc rgb \"#222222\" offset 0,0.4\n", f);
	fputs("set label 1000 ", f);
	gp_put_string(f, source);
	if (term) {
		fputs(" at screen 0.01, screen 0.01 left\nset bmargin 3\n", f);
		return;
	}
	fputs(" at screen 0.012, screen 0.025 left font \",9\" tc rgb \"#777777\"\n"
	      "set xlabel \"Date the list price took effect\"\n"
	      "set border 3 lc rgb \"#888888\"\n"
	      "set tics nomirror tc rgb \"#333333\"\n"
	      "set grid xtics ytics mytics lc rgb \"#e6e6e6\" lw 1, lc rgb \"#f3f3f3\" lw 1\n"
	      "set lmargin 12\nset bmargin 5\nset tmargin 4\n",
	      f);
}

/* ---- geometry and label layout ---- */

void chart_area_init(struct chart_area *a, const struct gp_chart *g, double l, double r, double b,
		     double t, double font)
{
	int term = g->fmt == GP_DUMB;

	memset(a, 0, sizeof(*a));
	a->l = l;
	a->r = r;
	a->b = b;
	a->t = t;
	a->W = term ? g->width : g->width / (g->scale > 0 ? g->scale : 1);
	a->H = term ? g->height : g->height / (g->scale > 0 ? g->scale : 1);
	/* DejaVu Sans averages under 0.64 em a character in an SVG
	   (tests/cli/svg_layout.py), but pngcairo draws it about 15% wider */
	a->ch = term ? 1 : font * 0.75;
	a->lh = term ? 1 : font * 1.35;
	a->x1 = a->y1 = 1;
}

double chart_px(const struct chart_area *a, double x)
{
	double v = a->xlog ? log10(x) : x;

	return (a->l + (a->r - a->l) * (v - a->x0) / (a->x1 - a->x0)) * a->W;
}

double chart_py(const struct chart_area *a, double y)
{
	double v = a->ylog ? log10(y) : y;

	return (a->b + (a->t - a->b) * (v - a->y0) / (a->y1 - a->y0)) * a->H;
}

double chart_dx(const struct chart_area *a, double px)
{
	double v = a->x0 + (px / a->W - a->l) / (a->r - a->l) * (a->x1 - a->x0);

	return a->xlog ? pow(10, v) : v;
}

double chart_dy(const struct chart_area *a, double py)
{
	double v = a->y0 + (py / a->H - a->b) / (a->t - a->b) * (a->y1 - a->y0);

	return a->ylog ? pow(10, v) : v;
}

void chart_area_margins(const struct chart_area *a, FILE *f)
{
	fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
		   "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
		a->l, a->r, a->b, a->t);
}

void chart_boxes_init(struct chart_boxes *s, double x0, double y0, double x1, double y1)
{
	memset(s, 0, sizeof(*s));
	s->x0 = x0;
	s->y0 = y0;
	s->x1 = x1;
	s->y1 = y1;
}

void chart_boxes_add(struct chart_boxes *s, double x0, double y0, double x1, double y1)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->b = xrealloc(s->b, s->cap * sizeof(*s->b));
	}
	s->b[s->n++] = (struct chart_box){ x0, y0, x1, y1 };
}

int chart_boxes_hit(const struct chart_boxes *s, double x0, double y0, double x1, double y1)
{
	for (size_t i = 0; i < s->n; i++)
		if (x0 < s->b[i].x1 && s->b[i].x0 < x1 && y0 < s->b[i].y1 && s->b[i].y0 < y1)
			return 1;
	return 0;
}

int chart_boxes_place(struct chart_boxes *s, double x, double y, double w, double h, double *bx,
		      double *by)
{
	/* offsets of the box's bottom-left from the point, in order of preference */
	const double g = h * 0.45;
	const double try[][2] = {
		{ g, g * 0.6 },          { g, -h - g * 0.6 },      { -w - g, g * 0.6 },
		{ -w - g, -h - g * 0.6 }, { g, -h / 2 },           { -w - g, -h / 2 },
		{ -w / 2, g * 1.5 },     { -w / 2, -h - g * 1.5 }, { g, h + g },
		{ g, -2 * h - g },       { -w - g, h + g },        { -w - g, -2 * h - g },
		{ 3 * g, 2 * h + g },    { 3 * g, -3 * h - g },    { -w - 3 * g, 2 * h + g },
		{ -w - 3 * g, -3 * h - g },
	};

	for (size_t k = 0; k < ARRAY_SIZE(try); k++) {
		double x0 = x + try[k][0], y0 = y + try[k][1];

		if (x0 < s->x0 || y0 < s->y0 || x0 + w > s->x1 || y0 + h > s->y1)
			continue;
		if (chart_boxes_hit(s, x0, y0, x0 + w, y0 + h))
			continue;
		chart_boxes_add(s, x0, y0, x0 + w, y0 + h);
		*bx = x0;
		*by = y0;
		return 0;
	}
	return -1;
}

void chart_boxes_free(struct chart_boxes *s)
{
	free(s->b);
	s->b = NULL;
	s->n = s->cap = 0;
}

static int add_score(void *ctx, const char *model, const char *score)
{
	struct chart_scores *s = ctx;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	lc_strlcpy(s->v[s->n].model, model, LC_ID_MAX);
	s->v[s->n++].v = strtod(score, NULL);
	return 0;
}

int chart_scores_load(struct lc_db *db, const struct collapse *c, struct chart_scores *s,
		      struct lc_err *err)
{
	memset(s, 0, sizeof(*s));
	if (db_quality_all(db, c->opts.benchmark, c->opts.snapshot ? c->opts.snapshot : c->opts.to,
			   add_score, s, err) < 0) {
		chart_scores_release(s);
		return -1;
	}
	return 0;
}

static int score_cmp(const void *key, const void *el)
{
	return strcmp(key, ((const struct chart_score *)el)->model);
}

double chart_score_of(const struct chart_scores *s, const char *model)
{
	const struct chart_score *hit =
		s->n ? bsearch(model, s->v, s->n, sizeof(*s->v), score_cmp) : NULL;

	return hit ? hit->v : -1;
}

void chart_scores_release(struct chart_scores *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

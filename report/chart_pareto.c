/*
 * chart_pareto.c - `llmcost plot pareto --at DATE`: price against quality
 * for the models available on one date, and the Pareto frontier: the
 * models no cheaper model matches in quality ("cheapest for its quality").
 *
 * A point per model family priced on the date (its model of that date),
 * x its blended price (log scale), y its score in the leaderboard snapshot
 * of the date.  A model is on the frontier when every cheaper model scores
 * lower (prices compared exactly; at one price the best score only).  The
 * frontier's models are coloured by maker, joined by a staircase and named
 * where a place is free; the others are faint grey.
 *
 * Files: pareto.gp; pareto-all.tsv (price, score); pareto-front.tsv
 * (price, score, colour: the frontier, cheapest first); pareto-labels.tsv
 * (price, score, "model  $price", colour).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "money.h"

#define PA_FONT 9.0

struct pareto_pt {
	const struct collapse_family *fam;
	int64_t price;
	double score;
	int front;
};

/* Cheapest first; at one price the best score first; then by name. */
static int by_price(const void *pa, const void *pb)
{
	const struct pareto_pt *a = pa, *b = pb;

	if (a->price != b->price)
		return a->price < b->price ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->fam->family, b->fam->family);
}

int chart_pareto_build(struct lc_db *db, const struct collapse_opts *o, struct collapse *out,
		       struct lc_err *err)
{
	struct collapse_opts day = *o;
	lc_date d;

	date_parse(day.to, 10, &d, NULL);
	date_format(day.from, sizeof(day.from), d - 1);
	day.bar_model = NULL;
	day.min_quality = NULL;
	return collapse_build(db, &day, out, err);
}

size_t chart_pareto_points(struct lc_db *db, const struct collapse *c, struct chart_pareto_pt **out,
			   struct lc_err *err)
{
	struct chart_scores sc;
	struct pareto_pt *p = xcalloc(c->nfam + 1, sizeof(*p));
	struct chart_pareto_pt *o;
	size_t n = 0;
	double best = -1e300;

	*out = NULL;
	if (chart_scores_load(db, c, &sc, err)) {
		free(p);
		return (size_t)-1;
	}
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[i];
		double s;

		if (!f->n || !f->present || f->pts[f->n - 1].blended <= 0)
			continue;
		if ((s = chart_score_of(&sc, f->pts[f->n - 1].model)) < 0)
			continue;
		p[n].fam = f;
		p[n].price = f->pts[f->n - 1].blended;
		p[n].score = s;
		n++;
	}
	chart_scores_release(&sc);
	qsort(p, n, sizeof(*p), by_price);
	o = xcalloc(n + 1, sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		/* on the frontier: better than every cheaper model (and the first at its price) */
		p[i].front = p[i].score > best;
		if (p[i].front)
			best = p[i].score;
		o[i].model = p[i].fam->pts[p[i].fam->n - 1].model;
		o[i].maker = p[i].fam->maker;
		o[i].blended = p[i].price;
		o[i].score = p[i].score;
		o[i].front = p[i].front;
	}
	free(p);
	*out = o;
	return n;
}

/* The plot area, its ranges and the boxes taken by the points. */
static void pareto_area(struct chart_area *a, struct chart_boxes *taken, const struct gp_chart *g,
			const struct chart_pareto_pt *p, size_t n)
{
	double lo = 1e300, hi = 0, smin = 1e300, smax = -1e300;

	chart_area_init(a, g, 0.085, 0.96, 0.13, 0.875, PA_FONT);
	if (g->fmt == GP_DUMB) { /* whole cells: tics, axis label and source line below */
		a->l = 8.0 / g->width;
		a->b = 5.0 / g->height;
		a->t = 1 - 3.0 / g->height;
	}
	for (size_t i = 0; i < n; i++) {
		double v = (double)p[i].blended / 1e9;

		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		smin = p[i].score < smin ? p[i].score : smin;
		smax = p[i].score > smax ? p[i].score : smax;
	}
	a->xlog = 1;
	a->x0 = floor(log10(lo));
	a->x1 = ceil(log10(hi));
	if (a->x1 <= a->x0)
		a->x1 = a->x0 + 1;
	/* scores: round steps of 50 around them, a little room on top for names */
	a->y0 = floor((smin - 10) / 50) * 50;
	a->y1 = ceil((smax + 25) / 50) * 50;
	if (a->y1 <= a->y0)
		a->y1 = a->y0 + 50;
	chart_boxes_init(taken, a->l * a->W, a->b * a->H, a->r * a->W, a->t * a->H);
	for (size_t i = 0; i < n; i++) {
		double x = chart_px(a, (double)p[i].blended / 1e9), y = chart_py(a, p[i].score);
		double r = g->fmt == GP_DUMB ? 0.5 : (p[i].front ? 5 : 3);

		chart_boxes_add(taken, x - r, y - r, x + r, y + r);
	}
	/* the staircase: from each frontier point right to the next one's
	   price, then up to its score */
	for (size_t i = 0, prev = SIZE_MAX; i < n; i++) {
		double x, y, px, py;

		if (!p[i].front)
			continue;
		if (prev != SIZE_MAX) {
			px = chart_px(a, (double)p[prev].blended / 1e9);
			py = chart_py(a, p[prev].score);
			x = chart_px(a, (double)p[i].blended / 1e9);
			y = chart_py(a, p[i].score);
			chart_boxes_add(taken, px, py - 2, x, py + 2);
			chart_boxes_add(taken, x - 2, py, x + 2, y);
		}
		prev = i;
	}
}

/* The data files: every point, the frontier and its labels. */
static int pareto_files(struct gp_chart *g, const struct chart_pareto_pt *p, size_t n,
			struct chart_area *a, struct chart_boxes *taken, struct lc_err *err)
{
	FILE *all, *front, *lab;
	char text[LC_ID_MAX + 64], buf[64];

	if (!(all = gp_chart_open(g, "pareto-all.tsv", err)))
		return -1;
	if (!(front = gp_chart_open(g, "pareto-front.tsv", err))) {
		fclose(all);
		return -1;
	}
	if (!(lab = gp_chart_open(g, "pareto-labels.tsv", err))) {
		fclose(all);
		fclose(front);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		chart_put_price(p[i].front ? front : all, p[i].blended);
		fprintf(p[i].front ? front : all, "\t%.6g\t%ld\n", p[i].score,
			chart_color_int(chart_provider_color(p[i].maker, (int)i)));
	}
	/* the names: the best model first, then down the frontier */
	for (size_t k = n; k-- > 0;) {
		double x, y, bx, by, w;

		if (!p[k].front)
			continue;
		snprintf(text, sizeof(text), "%s  %s", p[k].model,
			 chart_usd_human(buf, sizeof(buf), p[k].blended));
		x = chart_px(a, (double)p[k].blended / 1e9);
		y = chart_py(a, p[k].score);
		w = (double)strlen(text) * a->ch;
		if (chart_boxes_place(taken, x, y, w, a->lh, &bx, &by))
			continue;
		fprintf(lab, "%.6g\t%.6g\t", chart_dx(a, bx), chart_dy(a, by + a->lh / 2));
		gp_put_field(lab, text);
		fprintf(lab, "\t%ld\n", chart_color_int(chart_provider_color(p[k].maker, (int)k)));
	}
	fputs("\n", all);
	fputs("\n", lab);
	if (gp_chart_close(all, "pareto-all.tsv", err)) {
		fclose(front);
		fclose(lab);
		return -1;
	}
	if (gp_chart_close(front, "pareto-front.tsv", err)) {
		fclose(lab);
		return -1;
	}
	return gp_chart_close(lab, "pareto-labels.tsv", err);
}

static void pareto_script(FILE *f, const struct gp_chart *g, const struct collapse *c,
			  const struct chart_area *a, size_t n, size_t nfront)
{
	char title[256], sub[512];
	int term = g->fmt == GP_DUMB;

	snprintf(title, sizeof(title), "Cheapest for its quality on %s: %zu of %zu models", c->opts.to,
		 nfront, n);
	chart_frame(f, g, title, CHART_SOURCE);
	snprintf(sub, sizeof(sub), "Blended %d:%d list price against %s (leaderboard snapshot %s); "
				   "coloured and joined: no cheaper model scores as high",
		 c->opts.blend_in, c->opts.blend_out, c->opts.benchmark,
		 c->have_snapshot && c->snapshot[0] ? c->snapshot : "undated");
	if (!term) {
		fputs("set label 1001 ", f);
		gp_put_string(f, sub);
		fprintf(f, " at screen 0.5, screen %.4f center font \",10\" tc rgb \"#555555\"\n",
			a->t + 0.03);
	}
	fprintf(f, "set logscale x\nset xrange [%g:%g]\nset yrange [%g:%g]\n"
		   "set format x \"$%%g\"\nset xlabel \"USD per 1M tokens, blended %d:%d (log scale)\"\n"
		   "set ylabel \"%s score\"\n%s\nunset key\n",
		pow(10, a->x0), pow(10, a->x1), a->y0, a->y1, c->opts.blend_in, c->opts.blend_out,
		c->opts.benchmark, term ? "unset grid" : "set grid");
	chart_area_margins(a, f);
	fprintf(f, "plot 'pareto-all.tsv' using 1:2 with points pt 7 ps %s lc rgb \"%s\" notitle, \\\n"
		   "  'pareto-front.tsv' using 1:2 with steps lw %s lc rgb \"#888888\" notitle, \\\n"
		   "  'pareto-front.tsv' using 1:2:3 with points pt 7 ps %s lc rgb variable notitle",
		term ? "1" : "0.7", term ? "#888888" : "#40a0a0a0", term ? "1" : "1.5", term ? "1" : "1.2");
	if (term)
		fputs(", \\\n  'pareto-labels.tsv' using 1:2:3 with labels left notitle\n", f);
	else
		fputs(", \\\n  'pareto-labels.tsv' using 1:2:3:4 with labels left font \",9\" "
		      "tc rgb variable notitle\n",
		      f);
}

int chart_pareto(struct lc_db *db, const struct collapse *c, struct gp_chart *g, struct lc_err *err)
{
	struct chart_pareto_pt *p;
	struct chart_area a;
	struct chart_boxes taken;
	size_t n = chart_pareto_points(db, c, &p, err), nfront = 0;
	FILE *f;
	int rc = -1;

	if (n == (size_t)-1)
		return -1;
	if (n == 0) {
		free(p);
		return lc_errf(err, LC_EDATA, "no model priced on %s has a %s score", c->opts.to,
			       c->opts.benchmark);
	}
	for (size_t i = 0; i < n; i++)
		nfront += p[i].front;
	pareto_area(&a, &taken, g, p, n);
	if (pareto_files(g, p, n, &a, &taken, err))
		goto out;
	if (!(f = gp_chart_open(g, "pareto.gp", err)))
		goto out;
	gp_preamble(g, f);
	pareto_script(f, g, c, &a, n, nfront);
	rc = gp_chart_close(f, "pareto.gp", err);
out:
	chart_boxes_free(&taken);
	free(p);
	return rc;
}

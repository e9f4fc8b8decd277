/*
 * chart_frontier.c - `llmcost plot frontier`: the price of the cheapest
 * model at or above a quality bar over time (the "GPT-4-class price"), for
 * one bar or several tiers on one chart, on a log scale.  Each tier is a
 * step line of its blended price with a point where a model set it, and
 * its least-squares trend (collapse_fit.h) drawn dashed with the yearly
 * rate written at its right end ("/12 per year").  With one tier the
 * input price is drawn too, and the reference's price as a dashed line.
 *
 * Labels are laid out in pixels before gnuplot runs (chart_boxes_place):
 * the plot area is fixed, each model label goes where it overlaps no other
 * label, point or tier name, inside the canvas, or is left out (the point
 * stays).  The tier names sit in the right margin at their trend's end,
 * nudged apart.  Money on labels is rounded for people ($0.07); the data
 * files keep it exact.
 *
 * Files: frontier.gp; frontier.tsv, frontier-tN.tsv (tier 0, tier N: date,
 * blended, input step vertices); frontier-fit-tN.tsv (two rows: seconds, fitted USD);
 * frontier-points.tsv (date, blended, colour); frontier-labels.tsv
 * (seconds, USD, "model  $price", colour).
 */
#include <math.h>
#include <string.h>

#include "chart.h"
#include "collapse_fit.h"
#include "collapse_table.h"
#include "date.h"
#include "money.h"

#define FR_FONT 9.0
static const char *const tier_color[] = { "#1f3a93", "#d97757", "#10a37f", "#7b61ff", "#c1447e",
					  "#e6a100" };

struct frontier_drawing {
	const struct collapse *const *cs;
	size_t n;
	struct gp_chart *g;
	struct chart_area a;
	struct chart_boxes taken;
	struct collapse_fit fit[8];
	int has_fit[8];
};

/* The y range: powers of ten around every tier's prices (and the reference's). */
static void y_range(struct frontier_drawing *d)
{
	double lo = 1e300, hi = 0;

	for (size_t t = 0; t < d->n; t++) {
		const struct collapse *c = d->cs[t];

		for (size_t i = 0; i < c->nfrontier; i++) {
			double v = (double)c->frontier[i].blended / 1e9;
			double u = (double)c->frontier[i].input / 1e9;

			if (v > 0 && v < lo)
				lo = v;
			if (d->n == 1 && u > 0 && u < lo)
				lo = u;
			if (v > hi)
				hi = v;
		}
		if (d->n == 1 && c->have_ref && (double)c->ref.input / 1e9 > hi)
			hi = (double)c->ref.input / 1e9;
	}
	if (!(hi > 0)) {
		lo = 0.1;
		hi = 10;
	}
	d->a.y0 = floor(log10(lo));
	d->a.y1 = ceil(log10(hi));
	if (d->a.y1 <= d->a.y0)
		d->a.y1 = d->a.y0 + 1;
	d->a.ylog = 1;
}

/* frontier-tN.tsv: the step vertices of tier t. */
static int write_steps(struct frontier_drawing *d, size_t t, struct lc_err *err)
{
	const struct collapse *c = d->cs[t];
	char name[64];
	FILE *f;

	if (t)
		snprintf(name, sizeof(name), "frontier-t%zu.tsv", t);
	else
		snprintf(name, sizeof(name), "frontier.tsv");
	if (!(f = gp_chart_open(d->g, name, err)))
		return -1;
	for (size_t i = 0; i < c->nfrontier; i++) {
		const struct collapse_price *p = &c->frontier[i];
		const char *end = p->until[0] ? p->until : c->opts.to;

		for (int k = 0; k < 2; k++) {
			fprintf(f, "%s\t", k ? end : p->date);
			chart_put_price(f, p->blended);
			fputc('\t', f);
			chart_put_price(f, p->input);
			fputc('\n', f);
		}
		if (i + 1 < c->nfrontier && strcmp(end, c->frontier[i + 1].date))
			fputc('\n', f);
	}
	return gp_chart_close(f, name, err);
}

/* frontier-fit-tN.tsv: the trend of tier t over its points' dates. */
static int write_fit(struct frontier_drawing *d, size_t t, struct lc_err *err)
{
	const struct collapse_fit *fit = &d->fit[t];
	char name[64];
	FILE *f;

	snprintf(name, sizeof(name), "frontier-fit-t%zu.tsv", t);
	if (!(f = gp_chart_open(d->g, name, err)))
		return -1;
	if (d->has_fit[t])
		fprintf(f, "%lld\t%.6g\n%lld\t%.6g\n", chart_seconds(fit->from),
			collapse_fit_at(fit, fit->from), chart_seconds(fit->to), collapse_fit_at(fit, fit->to));
	else
		fputs("\n", f);
	return gp_chart_close(f, name, err);
}

/* The name and rate of each tier in the right margin, at the end of its
   line, nudged apart; the script's `set label`s. */
static void tier_names(struct frontier_drawing *d, FILE *f)
{
	double y[8], x = d->a.r * d->a.W + (d->g->fmt == GP_DUMB ? 1 : 6);
	double h = d->g->fmt == GP_DUMB ? 2 : 2.4 * d->a.lh;
	size_t ord[8];

	for (size_t t = 0; t < d->n; t++) {
		const struct collapse *c = d->cs[t];
		double v = (double)c->frontier[c->nfrontier - 1].blended / 1e9;

		if (v <= 0)
			v = pow(10, d->a.y0);
		y[t] = chart_py(&d->a, v) - h / 2;
		ord[t] = t;
	}
	for (size_t i = 1; i < d->n; i++) /* by height */
		for (size_t j = i; j > 0 && y[ord[j]] < y[ord[j - 1]]; j--) {
			size_t s = ord[j];

			ord[j] = ord[j - 1];
			ord[j - 1] = s;
		}
	for (size_t i = 0; i < d->n; i++) { /* push up, then back down from the top */
		if (y[ord[i]] < d->a.b * d->a.H)
			y[ord[i]] = d->a.b * d->a.H;
		if (i && y[ord[i]] < y[ord[i - 1]] + h + 2)
			y[ord[i]] = y[ord[i - 1]] + h + 2;
	}
	for (size_t i = d->n; i-- > 0;) {
		double top = i + 1 < d->n ? y[ord[i + 1]] - h - 2 : d->a.t * d->a.H - h;

		if (y[ord[i]] > top)
			y[ord[i]] = top;
	}
	for (size_t t = 0; t < d->n; t++) {
		const struct collapse *c = d->cs[t];
		char line1[LC_ID_MAX + 96], line2[64], score[64];

		collapse_score_text(score, sizeof(score), c->bar_score);
		if (c->bar_model[0])
			snprintf(line1, sizeof(line1), "%s level", c->bar_model);
		else
			snprintf(line1, sizeof(line1), "%s >= %s", c->opts.benchmark, score);
		if (d->has_fit[t])
			collapse_fit_text(line2, sizeof(line2), &d->fit[t]);
		else
			snprintf(line2, sizeof(line2), "(no trend: one point)");
		for (int k = 0; k < 2; k++) {
			fprintf(f, "set label %zu ", 100 + 2 * t + (size_t)k);
			gp_put_string(f, k ? line2 : line1);
			fprintf(f, " at screen %.4f, screen %.4f left font \",%s\" tc rgb \"%s\"\n",
				x / d->a.W,
				(y[t] + (d->g->fmt == GP_DUMB ? (k ? 0 : 1) : (k ? 0.55 : 1.7) * d->a.lh)) /
					d->a.H,
				k ? "10" : "9", tier_color[t % ARRAY_SIZE(tier_color)]);
		}
		chart_boxes_add(&d->taken, x, y[t], x + 30 * d->a.ch, y[t] + h);
	}
}

/* Was tier t's entry i (its last when pass 0, else its first) named by an
   earlier label: the same model on the same date? */
static int named(const struct frontier_drawing *d, size_t t, size_t i, int pass)
{
	const struct collapse_price *p = &d->cs[t]->frontier[i];

	for (int q = 0; q <= pass; q++)
		for (size_t u = 0; u < (q == pass ? t : d->n); u++) {
			const struct collapse *c = d->cs[u];
			const struct collapse_price *o = &c->frontier[q == 0 ? c->nfrontier - 1 : 0];

			if (!strcmp(o->model, p->model) && !strcmp(o->date, p->date))
				return 1;
		}
	return 0;
}

/* The step lines as obstacles: a thin box per segment. */
static void step_boxes(struct frontier_drawing *d)
{
	for (size_t t = 0; t < d->n; t++) {
		const struct collapse *c = d->cs[t];

		for (size_t i = 0; i < c->nfrontier; i++) {
			const struct collapse_price *p = &c->frontier[i];
			double x0 = chart_px(&d->a, (double)chart_seconds(p->date));
			double x1 = chart_px(&d->a, (double)chart_seconds(p->until[0] ? p->until
										      : c->opts.to));
			double y = chart_py(&d->a, (double)(p->blended > 0 ? p->blended : 1) / 1e9);

			chart_boxes_add(&d->taken, x0, y - 2, x1, y + 2);
			if (i + 1 < c->nfrontier && c->frontier[i + 1].blended > 0) {
				double y2 = chart_py(&d->a, (double)c->frontier[i + 1].blended / 1e9);

				chart_boxes_add(&d->taken, x1 - 2, y < y2 ? y : y2, x1 + 2, y < y2 ? y2 : y);
			}
		}
	}
}

/* Does entry i of tier t get a label in this pass (see write_points)? */
static int want_label(const struct frontier_drawing *d, size_t t, size_t i, int pass)
{
	const struct collapse *c = d->cs[t];
	int last = i + 1 == c->nfrontier;

	if (c->frontier[i].blended <= 0)
		return 0;
	if (pass == 0)
		return last && !named(d, t, i, 0);
	if (pass == 1)
		return i == 0 && !last && !named(d, t, i, 1);
	return d->n == 1 && i > 0 && !last;
}

/* Label entry i of tier t where a place is free ("model  $0.07"); none: no label. */
static void put_label(struct frontier_drawing *d, size_t t, size_t i, FILE *lab)
{
	const struct collapse_price *p = &d->cs[t]->frontier[i];
	char text[LC_ID_MAX + 64], buf[64];
	double x, y, w, bx, by;

	snprintf(text, sizeof(text), "%s  $%s", p->model,
		 chart_usd_human(buf, sizeof(buf), p->blended) + 1);
	x = chart_px(&d->a, (double)chart_seconds(p->date));
	y = chart_py(&d->a, (double)p->blended / 1e9);
	w = (double)strlen(text) * d->a.ch;
	if (chart_boxes_place(&d->taken, x, y, w, d->a.lh, &bx, &by))
		return;
	fprintf(lab, "%.0f\t%.6g\t", chart_dx(&d->a, bx), chart_dy(&d->a, by + d->a.lh / 2));
	gp_put_field(lab, text);
	fprintf(lab, "\t%ld\n", chart_color_int(tier_color[t % ARRAY_SIZE(tier_color)]));
}

/* The points (obstacles) and the model labels, placed where they are free. */
static int write_points(struct frontier_drawing *d, struct lc_err *err)
{
	FILE *pts, *lab;
	double r = d->g->fmt == GP_DUMB ? 0.5 : 5;

	if (!(pts = gp_chart_open(d->g, "frontier-points.tsv", err)))
		return -1;
	if (!(lab = gp_chart_open(d->g, "frontier-labels.tsv", err))) {
		fclose(pts);
		return -1;
	}
	for (size_t t = 0; t < d->n; t++)
		for (size_t i = 0; i < d->cs[t]->nfrontier; i++) {
			const struct collapse_price *p = &d->cs[t]->frontier[i];
			double x = chart_px(&d->a, (double)chart_seconds(p->date));
			double y = chart_py(&d->a, (double)p->blended / 1e9);

			fprintf(pts, "%s\t", p->date);
			chart_put_price(pts, p->blended);
			fprintf(pts, "\t%ld\n", chart_color_int(chart_provider_color(p->maker, (int)i)));
			if (p->blended > 0)
				chart_boxes_add(&d->taken, x - r, y - r, x + r, y + r);
		}
	/* the labels: each tier's last model, then each tier's first; a model
	   already named at that date is not named twice; with one tier, then
	   every other model that set the price, in order */
	for (int pass = 0; pass < 3; pass++)
		for (size_t t = 0; t < d->n; t++)
			for (size_t i = 0; i < d->cs[t]->nfrontier; i++)
				if (want_label(d, t, i, pass))
					put_label(d, t, i, lab);
	fputs("\n", pts);
	if (gp_chart_close(pts, "frontier-points.tsv", err)) {
		fclose(lab);
		return -1;
	}
	return gp_chart_close(lab, "frontier-labels.tsv", err);
}

/* The title: one bar's, or the tiers'; the subtitle states the trend. */
static void script_title(struct frontier_drawing *d, FILE *f)
{
	const struct collapse *c = d->cs[0];
	char text[LC_ID_MAX + 256], score[64], rate[64];

	collapse_score_text(score, sizeof(score), c->bar_score);
	if (d->n > 1)
		snprintf(text, sizeof(text), "The price of a fixed quality level, by tier");
	else if (c->bar_model[0])
		snprintf(text, sizeof(text), "The price of %s-class quality: cheapest model with %s >= %s",
			 c->bar_model, c->opts.benchmark, score);
	else
		snprintf(text, sizeof(text), "The price of quality: cheapest model with %s >= %s",
			 c->opts.benchmark, score);
	chart_frame(f, d->g, text, CHART_SOURCE);
	if (d->g->fmt == GP_DUMB)
		return;
	if (d->n == 1 && d->has_fit[0])
		snprintf(text, sizeof(text), "Trend %s (least squares, %s to %s).  Solid: blended "
					     "%d:%d price; dotted: input price; dots: the model that set it",
			 collapse_fit_text(rate, sizeof(rate), &d->fit[0]), d->fit[0].from, d->fit[0].to,
			 c->opts.blend_in, c->opts.blend_out);
	else
		snprintf(text, sizeof(text), "Cheapest model scoring at least the tier's model (%s%s%s), "
					     "blended %d:%d; dashed: least-squares trend",
			 c->opts.benchmark, c->have_snapshot && c->snapshot[0] ? " of " : "",
			 c->have_snapshot && c->snapshot[0] ? c->snapshot : "", c->opts.blend_in,
			 c->opts.blend_out);
	fputs("set label 1001 ", f);
	gp_put_string(f, text);
	fprintf(f, " at screen 0.5, screen %.4f center font \",10\" tc rgb \"#555555\"\n",
		d->a.t + 0.025);
}

/* The reference's dashed line and label (one tier only). */
static void script_ref(struct frontier_drawing *d, FILE *f)
{
	const struct collapse *c = d->cs[0];
	char buf[64], text[LC_ID_MAX + 96];
	double w, x, y, bx, by;

	if (d->n != 1 || !c->have_ref || d->g->fmt == GP_DUMB)
		return;
	fprintf(f, "set arrow 1 from %lld, %s to %lld, %s nohead dt 2 lc rgb \"#999999\"\n",
		chart_seconds(c->opts.from), money_format(buf, sizeof(buf), c->ref.input, -1),
		chart_seconds(c->opts.to), buf);
	snprintf(text, sizeof(text), "%s input, %s: %s per 1M", c->ref.model, c->ref.date,
		 chart_usd_human(buf, sizeof(buf), c->ref.input));
	w = (double)strlen(text) * d->a.ch;
	y = chart_py(&d->a, (double)c->ref.input / 1e9);
	x = d->a.r * d->a.W - w - 4;
	/* above its line at the right, else below it */
	by = y + 3;
	if (chart_boxes_hit(&d->taken, x, by, x + w, by + d->a.lh) || by + d->a.lh > d->a.t * d->a.H)
		by = y - 3 - d->a.lh;
	bx = x;
	chart_boxes_add(&d->taken, bx, by, bx + w, by + d->a.lh);
	fputs("set label 1 ", f);
	gp_put_string(f, text);
	fprintf(f, " at screen %.4f, screen %.4f left font \",9\" tc rgb \"#777777\"\n", bx / d->a.W,
		(by + d->a.lh / 2) / d->a.H);
}

static void script_plot(struct frontier_drawing *d, FILE *f)
{
	int term = d->g->fmt == GP_DUMB;

	chart_time_axis(f, d->cs[0]->opts.from, d->cs[0]->opts.to, term);
	fprintf(f, "set logscale y\nset yrange [%g:%g]\nset format y \"$%%g\"\n"
		   "set ylabel \"USD per 1M tokens, blended %d:%d (log scale)\"\n",
		pow(10, d->a.y0), pow(10, d->a.y1), d->cs[0]->opts.blend_in, d->cs[0]->opts.blend_out);
	chart_area_margins(&d->a, f);
	/* no key: the tiers are named at their lines' ends and the subtitle
	   says what is drawn, so nothing covers the data */
	fputs("unset key\n", f);
	fputs("plot \\\n", f);
	for (size_t t = 0; t < d->n; t++) {
		const char *col = tier_color[t % ARRAY_SIZE(tier_color)];

		if (t)
			fprintf(f, "  'frontier-t%zu.tsv'", t);
		else
			fputs("  'frontier.tsv'", f);
		fprintf(f, " using 1:2 with lines lw %s lc rgb \"%s\" %s, \\\n",
			term ? "1" : "3", col,
			t == 0 ? (d->n == 1 ? "title \"blended price\"" : "title \"cheapest at the bar\"")
			       : "notitle");
		fprintf(f, "  'frontier-fit-t%zu.tsv' using ($1):2 with lines lw %s dt %s lc rgb \"%s\" "
			   "%s, \\\n",
			t, term ? "1" : "1.5", term ? "1" : "(10,7)", col,
			t == 0 ? "title \"least-squares trend\"" : "notitle");
	}
	if (d->n == 1)
		fprintf(f, "  'frontier.tsv' using 1:3 with lines lw %s dt %s lc rgb \"#d97757\" "
			   "title \"input price\", \\\n",
			term ? "1" : "1.5", term ? "1" : "(2,3)");
	fputs("  'frontier-points.tsv' using 1:2:3 with points pt 7 ps 1.1 lc rgb variable "
	      "title \"model that set the price (maker colour)\"",
	      f);
	if (term) {
		fputc('\n', f);
		return;
	}
	fputs(", \\\n  'frontier-labels.tsv' using ($1):2:3:4 with labels left font \",9\" "
	      "tc rgb variable notitle\n",
	      f);
}

int chart_frontier_tiers(struct lc_db *db, const struct collapse *const *cs, size_t n,
			 struct gp_chart *g, struct lc_err *err)
{
	struct frontier_drawing d = { .cs = cs, .n = n < 8 ? n : 8, .g = g };
	FILE *f;
	int rc = -1;

	(void)db;
	chart_area_init(&d.a, g, 0.075, 0.80, 0.13, 0.875, FR_FONT);
	if (g->fmt == GP_DUMB) {
		/* room for "gpt-3.5-turbo-0125 level" right of the plot */
		d.a.l = 0.10;
		d.a.r = 1 - 26.0 / g->width;
		d.a.b = 5.0 / g->height;
		d.a.t = 1 - 3.0 / g->height;
	}
	d.a.x0 = (double)chart_seconds(cs[0]->opts.from);
	d.a.x1 = (double)chart_seconds(cs[0]->opts.to);
	y_range(&d);
	chart_boxes_init(&d.taken, 0, 0, d.a.W, d.a.H);
	for (size_t t = 0; t < d.n; t++)
		d.has_fit[t] = cs[t]->nfrontier && !collapse_fit(cs[t], 0, &d.fit[t]);
	for (size_t t = 0; t < d.n; t++)
		if (write_steps(&d, t, err) || write_fit(&d, t, err))
			goto out;
	if (!(f = gp_chart_open(g, "frontier.gp", err)))
		goto out;
	gp_preamble(g, f);
	script_title(&d, f);
	/* the areas outside the plot where a label must not go: the axes' tics
	   and labels, the key and source line, the title */
	chart_boxes_init(&d.taken, d.a.l * d.a.W, d.a.b * d.a.H, d.a.W - 2, d.a.t * d.a.H);
	tier_names(&d, f);
	d.taken.x1 = d.a.r * d.a.W;
	step_boxes(&d);
	script_ref(&d, f);
	if (write_points(&d, err)) {
		fclose(f);
		goto out;
	}
	script_plot(&d, f);
	rc = gp_chart_close(f, "frontier.gp", err);
out:
	chart_boxes_free(&d.taken);
	return rc;
}

int chart_frontier(struct lc_db *db, const struct collapse *c, struct gp_chart *g,
		   struct lc_err *err)
{
	const struct collapse *one[1] = { c };

	return chart_frontier_tiers(db, one, 1, g, err);
}

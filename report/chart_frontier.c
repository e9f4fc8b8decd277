/*
 * chart_frontier.c - `llmcost plot frontier`: the price of the cheapest
 * model at or above a quality bar over time (the "GPT-4-class price"), as
 * step lines (blended and input price) on a log scale, with a point and a
 * label for each model that set it.
 *
 * Files: frontier.gp; frontier.tsv (date, blended, input step vertices);
 * frontier-points.tsv (date, blended price, "model  $price", colour).
 */
#include <string.h>

#include "chart.h"
#include "collapse_table.h"
#include "money.h"

int chart_frontier(struct lc_db *db, const struct collapse *c, struct gp_chart *g,
		   struct lc_err *err)
{
	FILE *f;
	char buf[64], text[LC_ID_MAX + 160], score[64];
	int rc, side = 0;

	if (!(f = gp_chart_open(g, "frontier.tsv", err)))
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
	if (gp_chart_close(f, "frontier.tsv", err))
		return -1;
	if (!(f = gp_chart_open(g, "frontier-points.tsv", err)))
		return -1;
	for (size_t i = 0; i < c->nfrontier; i++) {
		const struct collapse_price *p = &c->frontier[i];

		fprintf(f, "%s\t", p->date);
		chart_put_price(f, p->blended);
		fputc('\t', f);
		snprintf(text, sizeof(text), "%s  $%s", p->model,
			 money_format_price(buf, sizeof(buf), p->blended));
		gp_put_field(f, text);
		/* a label goes to the left of its point when the one before is close and above */
		side = i && side == 0 &&
		       chart_seconds(p->date) - chart_seconds(c->frontier[i - 1].date) < 75 * 86400;
		fprintf(f, "\t%ld\t%d\n", chart_color_int(chart_provider_color(p->maker, (int)i)),
			side);
	}
	if (gp_chart_close(f, "frontier-points.tsv", err))
		return -1;

	if (!(f = gp_chart_open(g, "frontier.gp", err)))
		return -1;
	gp_preamble(g, f);
	collapse_score_text(score, sizeof(score), c->bar_score);
	if (c->bar_model[0])
		snprintf(text, sizeof(text), "The price of %s-class quality: cheapest model with %s >= %s",
			 c->bar_model, c->opts.benchmark, score);
	else
		snprintf(text, sizeof(text), "The price of quality: cheapest model with %s >= %s",
			 c->opts.benchmark, score);
	chart_frame(f, g, text, CHART_SOURCE);
	chart_time_axis(f, c->opts.from, c->opts.to, g->fmt == GP_DUMB);
	fputs("set logscale y\nset format y \"$%g\"\n"
	      "set ylabel \"USD per 1M tokens (log scale)\"\n",
	      f);
	if (g->fmt == GP_DUMB)
		fputs("set key top right\n", f);
	else
		fputs("set key bottom left Left reverse samplen 2.5 spacing 1.3 font \",10\" "
		      "box lc rgb \"#cccccc\" opaque\n"
		      "set rmargin 6\n",
		      f);
	if (c->have_ref && g->fmt != GP_DUMB) {
		fprintf(f, "set arrow 1 from %lld, %s to %lld, %s nohead dt 2 lc rgb \"#999999\"\n",
			chart_seconds(c->opts.from), money_format(buf, sizeof(buf), c->ref.input, -1),
			chart_seconds(c->opts.to), buf);
		snprintf(text, sizeof(text), "%s input, %s: $%s per 1M", c->ref.model, c->ref.date,
			 buf);
		fputs("set label 1 ", f);
		gp_put_string(f, text);
		fprintf(f, " at %lld, %s right offset -0.5,0.6 font \",9\" tc rgb \"#777777\"\n",
			chart_seconds(c->opts.to), buf);
	}
	fprintf(f, "plot 'frontier.tsv' using 1:2 with lines lw %s lc rgb \"#1f3a93\" "
		   "title \"blended %d:%d input:output\", \\\n"
		   "  'frontier.tsv' using 1:3 with lines lw %s dt %s lc rgb \"#d97757\" "
		   "title \"input\", \\\n",
		g->fmt == GP_DUMB ? "1" : "3", c->opts.blend_in, c->opts.blend_out,
		g->fmt == GP_DUMB ? "1" : "2", g->fmt == GP_DUMB ? "1" : "(8,5)");
	fputs("  'frontier-points.tsv' using 1:2:4 with points pt 7 ps 1.4 lc rgb variable "
	      "title \"model that set the price (provider colour)\", \\\n"
	      "  'frontier-points.tsv' using 1:($5 == 0 ? $2 : NaN):3 with labels left "
	      "offset 0.8,0.9 font \",9\" tc rgb \"#222222\" notitle, \\\n"
	      "  'frontier-points.tsv' using 1:($5 == 1 ? $2 : NaN):3 with labels right "
	      "offset -0.9,-0.3 font \",9\" tc rgb \"#222222\" notitle\n",
	      f);
	rc = gp_chart_close(f, "frontier.gp", err);
	(void)db;
	return rc;
}

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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
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
	size_t *order = malloc(c->nfam * sizeof(*order) + 1);

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

int chart_collapse(struct lc_db *db, const struct collapse *c, enum chart_price price,
		   struct gp_chart *g, struct lc_err *err)
{
	char (*makers)[LC_ID_MAX] = calloc(c->nfam + 1, sizeof(*makers));
	char *major = NULL, *has_major = NULL;
	int others = 0;
	int nm = 0, rc = -1;
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
			snprintf(makers[nm++], LC_ID_MAX, "%s", c->fam[i].maker);
	}
	if (!(major = calloc(c->nfam + 1, sizeof(*major)))) {
		lc_errf(err, LC_ERUNTIME, "out of memory");
		goto out;
	}
	mark_major(c, price, major);
	/* providers with a bold family get a colour and a legend entry; the rest
	   are drawn in light grey as "other providers", so a store holding
	   hundreds of ingested models still gives a legible legend */
	if (!(has_major = calloc((size_t)nm + 1, 1))) {
		lc_errf(err, LC_ERUNTIME, "out of memory");
		goto out;
	}
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
		if (major[i]) {
			fprintf(labels, "%s\t", fam->pts[0].date);
			chart_put_price(labels, pick(&fam->pts[0], price));
			fputc('\t', labels);
			gp_put_field(labels, fam->family);
			fprintf(labels, "\t%ld\n", color);
		}
		for (size_t j = 1; j < fam->n; j++)
			if (pick(&fam->pts[j], price) < pick(&fam->pts[j - 1], price) &&
			    !strcmp(fam->pts[j - 1].until, fam->pts[j].date)) {
				fprintf(cuts, "%s\t", fam->pts[j].date);
				chart_put_price(cuts, pick(&fam->pts[j], price));
				fprintf(cuts, "\t%ld\n", color);
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
	if (price == CHART_BLENDED)
		fprintf(f, "set ylabel \"USD per 1M tokens, blended %d:%d (log scale)\"\n",
			c->opts.blend_in, c->opts.blend_out);
	else
		fprintf(f, "set ylabel \"USD per 1M %s tokens (log scale)\"\n", what[price]);
	if (g->fmt == GP_DUMB)
		fputs("set key outside right top vertical\n", f);
	else
		fputs("set key outside right top vertical Left reverse samplen 2 spacing 1.15 "
		      "font \",10\" title \"Provider\" box lc rgb \"#cccccc\"\n"
		      "set rmargin 22\n",
		      f);
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
		      "  'collapse-labels.tsv' using 1:2:3:4 with labels left offset 0.3,0.55 "
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

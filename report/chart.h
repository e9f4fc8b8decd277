/*
 * chart.h - the charts of `llmcost plot` and the HTML report.  Each writer
 * puts a script KIND.gp and its TSV data files in the chart's working
 * directory (see gnuplot.h); the caller then runs gp_chart_draw.
 */
#ifndef LC_CHART_H
#define LC_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collapse.h"
#include "db.h"
#include "gnuplot.h"
#include "usage_report.h"

enum chart_price { CHART_INPUT, CHART_OUTPUT, CHART_BLENDED };

#define CHART_SOURCE "Source: llmcost built-in price history, vendor pricing pages"

/* The colour ("#rrggbb") of a provider: fixed for the known makers, else by index. */
const char *chart_provider_color(const char *maker, int index);
/* The same colour as an integer, for `lc rgb variable` columns. */
long chart_color_int(const char *hex);
/* Write nano-USD as an exact decimal (a number in a data file). */
void chart_put_price(FILE *f, int64_t nanos);
/* Seconds since the epoch of a YYYY-MM-DD date (gnuplot's time axis). */
long long chart_seconds(const char *date);
/* x axis from..to with a tic at each quarter ("Jan 2024", "Apr", ...), or each year when coarse. */
void chart_time_axis(FILE *f, const char *from, const char *to, int coarse);
/* Title, source line and the common style (grid, borders, margins). */
void chart_frame(FILE *f, const struct gp_chart *g, const char *title, const char *source);

/*
 * The collapse chart: one step line per family, coloured by provider.  At
 * most chart_family_cap() families are drawn (see chart_collapse.c for which);
 * the chart then notes how many more were not drawn.
 */
#define CHART_FAMILY_CAP 60
/* CHART_FAMILY_CAP, or LLMCOST_CHART_FAMILIES (1..100000; for tests) when set. */
size_t chart_family_cap(void);
int chart_collapse(struct lc_db *db, const struct collapse *c, enum chart_price price,
		   struct gp_chart *g, struct lc_err *err);
/* The frontier chart: cheapest price at or above the quality bar. */
int chart_frontier(struct lc_db *db, const struct collapse *c, struct gp_chart *g,
		   struct lc_err *err);

/* One bar of the estimate chart (strings borrowed from the caller). */
struct chart_bar {
	const char *label;    /* the model (untrusted) */
	const char *maker;    /* the maker id: colour and legend group */
	const char *provider; /* the maker's display name for the legend (untrusted) */
	int64_t value;        /* nano-USD */
};
/*
 * The estimate chart: bars[0..n) (cheapest first, drawn at the top) as
 * horizontal bars on a log scale, coloured by maker, each labelled with its
 * exact cost.  title, note (the source line) and xlabel are llmcost's text.
 */
int chart_estimate(const struct chart_bar *bars, size_t n, const char *title, const char *note,
		   const char *xlabel, struct gp_chart *g, struct lc_err *err);
/* Exact USD with at least 2 decimals into buf: "$0.000112", "$1.683", "$12.50". */
char *chart_usd_exact(char *buf, size_t n, int64_t nanos);

/*
 * The spend chart: r is a day or month report with breakdown (a row per
 * period followed by its models), oldest first.  Bars stacked by model (the
 * 7 costliest apart, the others together), and the monthly budget (nano-USD,
 * LC_NONE for none) as a dashed line: the month's amount, or on a daily
 * chart each day's share of its month (budget / days in the month).
 */
int chart_spend(const struct usage_report *r, int monthly, int64_t budget, const char *title,
		const char *note, struct gp_chart *g, struct lc_err *err);

#endif

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

/*
 * The scores of one leaderboard snapshot: c's benchmark, in the snapshot of
 * --snapshot, else of --to (db_quality_all), by model id.  Load returns 0,
 * or -1 with err (s then empty); release frees them.
 */
struct chart_scores {
	struct chart_score {
		char model[LC_ID_MAX];
		double v;
	} *v;
	size_t n, cap;
};
int chart_scores_load(struct lc_db *db, const struct collapse *c, struct chart_scores *s,
		      struct lc_err *err);
/* The score of model, or -1 when the snapshot has none. */
double chart_score_of(const struct chart_scores *s, const char *model);
void chart_scores_release(struct chart_scores *s);

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
/*
 * Flags of chart_collapse_with: CHART_ALL draws every family coloured by
 * its maker (default: the families that matter coloured -- those that set
 * the frontier, hold the reference, or are a major maker's flagship or
 * cheapest -- the others as one faint grey "other families").
 */
#define CHART_ALL 1
int chart_collapse_with(struct lc_db *db, const struct collapse *c, enum chart_price price,
			unsigned flags, struct gp_chart *g, struct lc_err *err);
/*
 * The collapse's headline, from the data: the quality-bar frontier's first
 * price against its lowest, "gpt-4-0314-class input price: $30 -> $0.035,
 * 857x in 21 months" (UTF-8 arrow and times sign).  Returns 0, or -1 (buf
 * "") when the frontier has no fall to state.
 */
int chart_collapse_headline(char *buf, size_t n, const struct collapse *c, enum chart_price price);
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
/*
 * Money on a chart's labels, rounded for people (half-even, from the exact
 * integer): "$30", "$1.68", "$12.50" (whole dollars bare when whole, else
 * cents) at $1 and above, two significant digits below ("$0.035",
 * "$0.15", "$0.0012").  The data files keep the exact value.
 */
char *chart_usd_human(char *buf, size_t n, int64_t nanos);
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

/*
 * Chart geometry, for laying labels out before gnuplot draws them: the plot
 * area is fixed in screen fractions (chart_area_set writes the margins), so
 * a label's box is known in pixels of the base canvas (y up, origin bottom
 * left).  Floating point is geometry only; prices stay exact.
 */
struct chart_area {
	double l, r, b, t;     /* the plot area in screen fractions */
	double W, H;           /* the canvas: pixels (files) or characters (terminal) */
	double x0, x1, y0, y1; /* the axes' ranges (log10 of the value on a log axis) */
	int xlog, ylog;
	double ch, lh;         /* a character's width and a line's height at the label font */
};
/* The area of chart g with margins l, r, b, t; labels at font size `font`. */
void chart_area_init(struct chart_area *a, const struct gp_chart *g, double l, double r, double b,
		     double t, double font);
/* Data (x, y) to canvas pixels, and back. */
double chart_px(const struct chart_area *a, double x);
double chart_py(const struct chart_area *a, double y);
double chart_dx(const struct chart_area *a, double px);
double chart_dy(const struct chart_area *a, double py);
/* `set lmargin at screen ...` and the others, for a's plot area. */
void chart_area_margins(const struct chart_area *a, FILE *f);

/* Boxes already taken on the canvas (labels, points, lines, the key). */
struct chart_boxes {
	struct chart_box {
		double x0, y0, x1, y1;
	} *b;
	size_t n, cap;
	double x0, y0, x1, y1; /* where a label may go */
};
void chart_boxes_init(struct chart_boxes *s, double x0, double y0, double x1, double y1);
void chart_boxes_add(struct chart_boxes *s, double x0, double y0, double x1, double y1);
/* Does the box overlap a taken one? */
int chart_boxes_hit(const struct chart_boxes *s, double x0, double y0, double x1, double y1);
/*
 * Place a w x h label near the point (x, y): right of it, left of it, above,
 * below, then further out; the first free place inside the allowed area is
 * taken (added to s) and its bottom-left corner returned in *bx, *by.
 * Returns 0, or -1 when no place is free.
 */
int chart_boxes_place(struct chart_boxes *s, double x, double y, double w, double h, double *bx,
		      double *by);
void chart_boxes_free(struct chart_boxes *s);

/* The multiplier of --scale (1 unless set): sizes, fonts and lines. */
/* (g->scale; see gnuplot.h) */

/*
 * The frontier chart of several quality tiers on one chart: each tier's
 * cheapest price at or above its bar (blended), its least-squares trend and
 * the yearly rate written at its end.  cs[0..n) share one snapshot.
 */
int chart_frontier_tiers(struct lc_db *db, const struct collapse *const *cs, size_t n,
			 struct gp_chart *g, struct lc_err *err);

/*
 * The Pareto chart (`plot pareto --at DATE`): c built for the one date
 * (opts.to; from the day before), each family priced on it with a score in
 * the snapshot of the date.  chart_pareto_points gives the points, cheapest
 * first, front = 1 on the Pareto frontier (every cheaper model scores
 * lower); strings borrowed from c; *out freed by the caller.  Returns the
 * count, or (size_t)-1 with err.
 */
struct chart_pareto_pt {
	const char *model, *maker;
	int64_t blended; /* nano-USD per 1M tokens */
	double score;
	int front;
};
/* The collapse the Pareto chart needs: o's options for the one date o->to
   (the families priced that day; no quality bar).  Release out with
   collapse_release even after an error (-1 with err). */
int chart_pareto_build(struct lc_db *db, const struct collapse_opts *o, struct collapse *out,
		       struct lc_err *err);
size_t chart_pareto_points(struct lc_db *db, const struct collapse *c, struct chart_pareto_pt **out,
			   struct lc_err *err);
/* LC_EDATA when no model priced on the date has a score. */
int chart_pareto(struct lc_db *db, const struct collapse *c, struct gp_chart *g, struct lc_err *err);

#endif

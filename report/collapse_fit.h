/*
 * collapse_fit.h - the trend of the quality-bar frontier: a least-squares
 * fit of log10(price) against time over the frontier's points, and the
 * yearly factor it implies ("/12 per year").  Floating point, for display
 * only: the prices fitted are the exact frontier prices, converted once.
 */
#ifndef LC_COLLAPSE_FIT_H
#define LC_COLLAPSE_FIT_H

#include <stddef.h>

#include "collapse.h"

struct collapse_fit {
	size_t n;          /* points fitted (frontier entries with a price > 0) */
	double slope;      /* log10(USD per 1M) per year (365.25 days) */
	double intercept;  /* log10(USD per 1M) at day 0 (1970-01-01) */
	double per_year;   /* 10^-slope: the price divides by this each year */
	char from[11], to[11]; /* the first and last point's date */
};

/*
 * Fit c's frontier: one point per frontier entry, x its date in years
 * since 1970-01-01 (days / 365.25), y log10 of its blended price
 * (input price when `input`) in USD per 1M tokens.  Returns 0, or -1 when
 * there are fewer than two points on different dates (no trend).
 */
int collapse_fit(const struct collapse *c, int input, struct collapse_fit *out);

/* The fitted price (USD per 1M) on a YYYY-MM-DD date. */
double collapse_fit_at(const struct collapse_fit *f, const char *date);

/* "/12 per year" style text: the factor with 2 significant digits at
   most ("x1.3 per year" when the price rose).  Returns buf. */
char *collapse_fit_text(char *buf, size_t n, const struct collapse_fit *f);

#endif

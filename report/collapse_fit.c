/*
 * collapse_fit.c - least squares of log10(price) against time over the
 * frontier (see collapse_fit.h).  Ordinary least squares, unweighted:
 * slope = sum((x - mx)(y - my)) / sum((x - mx)^2).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collapse_fit.h"
#include "date.h"

static double years(const char *date)
{
	lc_date d = 0;

	date_parse(date, strlen(date), &d, NULL);
	return (double)d / 365.25;
}

int collapse_fit(const struct collapse *c, int input, struct collapse_fit *out)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0, mx, my;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < c->nfrontier; i++) {
		int64_t v = input ? c->frontier[i].input : c->frontier[i].blended;
		double x, y;

		if (v <= 0)
			continue;
		x = years(c->frontier[i].date);
		y = log10((double)v / 1e9);
		sx += x;
		sy += y;
		n++;
		if (!out->from[0])
			lc_strlcpy(out->from, c->frontier[i].date, sizeof(out->from));
		lc_strlcpy(out->to, c->frontier[i].date, sizeof(out->to));
	}
	if (n < 2)
		return -1;
	mx = sx / n;
	my = sy / n;
	for (size_t i = 0; i < c->nfrontier; i++) {
		int64_t v = input ? c->frontier[i].input : c->frontier[i].blended;
		double x;

		if (v <= 0)
			continue;
		x = years(c->frontier[i].date) - mx;
		sxx += x * x;
		sxy += x * (log10((double)v / 1e9) - my);
	}
	if (!(sxx > 0))
		return -1;
	out->n = (size_t)n;
	out->slope = sxy / sxx;
	out->intercept = my - out->slope * mx;
	out->per_year = pow(10, -out->slope);
	return 0;
}

double collapse_fit_at(const struct collapse_fit *f, const char *date)
{
	return pow(10, f->intercept + f->slope * years(date));
}

char *collapse_fit_text(char *buf, size_t n, const struct collapse_fit *f)
{
	double v = f->per_year >= 1 ? f->per_year : 1 / f->per_year;
	const char *sign = f->per_year >= 1 ? "\xc3\xb7" : "\xc3\x97"; /* U+00F7, U+00D7 */

	if (v >= 10)
		snprintf(buf, n, "%s%.0f per year", sign, v < 100 ? v : floor(v / 10 + 0.5) * 10);
	else
		snprintf(buf, n, "%s%.1f per year", sign, v);
	return buf;
}

/*
 * chart.c - what every chart shares: provider colours, the time axis, the
 * frame (title, source line, grid) and exact numbers in data files.
 */
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

/*
 * chart_estimate.c - `llmcost plot estimate`: what one task (a workload)
 * costs on each model, as horizontal bars, cheapest at the top, each bar
 * coloured by the model's maker and labelled with its cost rounded for
 * people (chart_usd_human; the data files keep it exact).  The axis is
 * linear from $0 (a bar's length is its cost) unless the costs span more
 * than LOG_SPAN times, then a log scale from the decade below the cheapest
 * with a tic at each power of ten.
 *
 * Files: estimate.gp; estimate-pK.tsv (maker K: its display name as the
 * column header, then a row per bar: position, cost, model); estimate-
 * labels.tsv (position, cost, "$exact cost").  Names only sit in the TSV
 * files; the script holds numbers and llmcost's own text.
 */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "money.h"

/* Exact USD with at least 2 decimals: "$0.000112", "$1.683", "$12.50". */
char *chart_usd_exact(char *buf, size_t n, int64_t nanos)
{
	char tmp[64];
	const char *dot;
	size_t dec;

	money_format(tmp, sizeof(tmp), nanos, -1);
	dot = strchr(tmp, '.');
	dec = dot ? strlen(dot + 1) : 0;
	snprintf(buf, n, "$%s%s%s", tmp, dot ? "" : ".", dec >= 2 ? "" : dec == 1 ? "0" : "00");
	return buf;
}

#define LOG_SPAN 30

/* The power of ten at or below v (v >= 1), in nano-USD. */
static int64_t decade_below(int64_t v)
{
	int64_t p = 1;

	while (p <= INT64_MAX / 10 && p * 10 <= v)
		p *= 10;
	return p;
}

/* A tic at each power of ten from lo to hi, labelled as decimals ("$0.00001"). */
static void log_tics(FILE *f, int64_t lo, int64_t hi)
{
	char buf[64];

	fputs("set logscale x\nset xtics (", f);
	for (int64_t t = lo, first = 1; t <= hi; first = 0) {
		money_format(buf, sizeof(buf), t, -1);
		fprintf(f, "%s\"$%s\" %s", first ? "" : ", ", buf, buf);
		if (t > INT64_MAX / 10)
			break;
		t *= 10;
	}
	fputs(")\n", f);
}

/* Decimals for a linear money axis up to max: cents, or enough for max's
   first two digits ($0.00015 -> 5). */
static int money_decimals(int64_t max)
{
	int d = 2;

	for (int64_t p = 10000000; p > 0 && max < p && d < 9; p /= 10)
		d++;
	/* a tic every fifth of max needs one digit more below a cent */
	return d > 2 && d < 9 ? d + 1 : d;
}

/* Three tics on the terminal: $0, half the dearest and the dearest, rounded. */
static void dumb_tics(FILE *f, int64_t max)
{
	char a[64], b[64], x[64], y[64];

	chart_usd_human(a, sizeof(a), max / 2);
	chart_usd_human(b, sizeof(b), max);
	fprintf(f, "set xtics (\"$0\" 0, \"%s\" %s, \"%s\" %s)\n", a,
		money_format(x, sizeof(x), max / 2, -1), b, money_format(y, sizeof(y), max, -1));
}

int chart_estimate(const struct chart_bar *bars, size_t n, const char *title, const char *note,
		   const char *xlabel, struct gp_chart *g, struct lc_err *err)
{
	const char **makers = xcalloc(n + 1, sizeof(*makers));
	int nm = 0, rc = -1, namew = 12;
	int64_t min = INT64_MAX, max = 0, lo, hi;
	int logx;
	char axis[512], *tail;
	FILE *f = NULL;
	char name[64], buf[64];

	for (size_t i = 0; i < n; i++) {
		int k;
		int w = (int)strlen(bars[i].label);

		for (k = 0; k < nm && strcmp(makers[k], bars[i].maker); k++)
			;
		if (k == nm)
			makers[nm++] = bars[i].maker;
		if (bars[i].value > 0 && bars[i].value < min)
			min = bars[i].value;
		if (bars[i].value > max)
			max = bars[i].value;
		if (w > namew)
			namew = w;
	}
	if (min == INT64_MAX)
		min = max = 1;
	logx = max / min > LOG_SPAN;
	if (logx) {
		/* a decade of room on the left, and room for the cost labels on the right */
		lo = decade_below(min > 1 ? min / 2 : 1);
		hi = max > INT64_MAX / 5 ? INT64_MAX : max * (g->fmt == GP_DUMB ? 5 : 4);
	} else {
		lo = 0;
		hi = max > INT64_MAX / 2 ? INT64_MAX : max + max / (g->fmt == GP_DUMB ? 2 : 4);
	}
	for (int k = 0; k < nm; k++) {
		snprintf(name, sizeof(name), "estimate-p%d.tsv", k);
		if (!(f = gp_chart_open(g, name, err)))
			goto out;
		for (size_t i = 0; i < n; i++)
			if (bars[i].maker == makers[k] || !strcmp(bars[i].maker, makers[k])) {
				gp_put_field(f, bars[i].provider);
				break;
			}
		fputs("\t\"cost\"\t\"model\"\n", f);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(bars[i].maker, makers[k]))
				continue;
			fprintf(f, "%zu\t", n - 1 - i);
			chart_put_price(f, bars[i].value > lo ? bars[i].value : lo);
			fputc('\t', f);
			gp_put_field(f, bars[i].label);
			fputc('\n', f);
		}
		rc = gp_chart_close(f, name, err);
		f = NULL;
		if (rc)
			goto out;
		rc = -1;
	}
	if (!(f = gp_chart_open(g, "estimate-labels.tsv", err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%zu\t", n - 1 - i);
		chart_put_price(f, bars[i].value > lo ? bars[i].value : lo);
		fputc('\t', f);
		gp_put_field(f, chart_usd_human(buf, sizeof(buf), bars[i].value));
		fputc('\n', f);
	}
	rc = gp_chart_close(f, "estimate-labels.tsv", err);
	f = NULL;
	if (rc)
		goto out;
	rc = -1;

	if (!(f = gp_chart_open(g, "estimate.gp", err)))
		goto out;
	gp_preamble(g, f);
	chart_frame(f, g, title, note);
	/* the caller's axis label, with the scale said when it is a log one */
	snprintf(axis, sizeof(axis), "%s%s", xlabel,
		 logx && !strstr(xlabel, "log scale") ? " (log scale)" : "");
	if (!logx && (tail = strstr(axis, " (log scale)")))
		*tail = '\0';
	fputs("set xlabel ", f);
	gp_put_string(f, axis);
	fputs("\nunset ylabel\n", f);
	if (logx)
		log_tics(f, lo, hi);
	else if (g->fmt == GP_DUMB)
		dumb_tics(f, max);
	else
		fprintf(f, "set format x \"$%%.%df\"\n", money_decimals(max));
	fprintf(f, "lo = %s\n", money_format(buf, sizeof(buf), lo, -1));
	fprintf(f, "set xrange [%s:", buf);
	fprintf(f, "%s]\n", money_format(buf, sizeof(buf), hi, -1));
	fprintf(f, "set yrange [-0.7:%zu.7]\n", n ? n - 1 : 0);
	fprintf(f, "set lmargin %d\n", (namew > 44 ? 44 : namew) + 3);
	fputs("set ytics scale 0 nomirror\n", f);
	if (g->fmt == GP_DUMB) {
		if (g->width < 120)
			/* a narrow terminal: the key under the chart, a maker a row */
			fprintf(f, "set key below horizontal\nset bmargin %d\n", 4 + nm);
		else
			fputs("set key outside right top vertical\n", f);
	} else {
		fputs("set ytics font \",9\"\n"
		      "set grid noytics\n"
		      "set grid xtics mxtics lc rgb \"#e6e6e6\" lw 1, lc rgb \"#f3f3f3\" lw 1\n"
		      "set border 1 lc rgb \"#888888\"\n"
		      "set style fill solid 0.85 noborder\n"
		      "set key outside right top vertical Left reverse samplen 1.5 font \",10\" "
		      "title \"Maker\" box lc rgb \"#cccccc\"\n",
		      f);
	}
	fputs("plot \\\n", f);
	for (int k = 0; k < nm; k++)
		fprintf(f, "  'estimate-p%d.tsv' using 2:1:(lo):2:($1-0.36):($1+0.36):ytic(3) "
			   "with boxxyerror lc rgb \"%s\" title columnheader(1), \\\n",
			k, chart_provider_color(makers[k], k));
	fprintf(f, "  'estimate-labels.tsv' using 2:1:3 with labels left offset %s "
		   "font \",9\" tc rgb \"#333333\" notitle\n",
		g->fmt == GP_DUMB ? "1,0" : "0.6,0");
	rc = gp_chart_close(f, "estimate.gp", err);
	f = NULL;
out:
	if (f)
		fclose(f);
	free(makers);
	return rc;
}

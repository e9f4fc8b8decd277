/*
 * chart_spend.c - `llmcost plot spend`: usage spend per day or month, as
 * bars stacked by model (the costliest models apart, the rest as "other
 * models"), with the monthly budget as a line when one is set.
 *
 * Files: spend.gp; spend.tsv (a row per period: its time, then the running
 * sum of the stacked models' costs, bottom to top; the header row names the
 * models); spend-budget.tsv (the budget as step vertices).  Stacking is done
 * here, exactly, in nano-USD: bar k is drawn from 0 to the sum of models
 * 1..k, tallest first, so each model shows as its own band.  Model names only
 * sit in the TSV header.
 */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "date.h"
#include "money.h"

#define SPEND_SERIES 8 /* models shown apart; the rest are "other models" */

static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
				       "#59a14f", "#edc948", "#b07aa1", "#ff9da7" };

struct series {
	const char *model;
	lc_i128 total;
};

static int series_cmp(const void *a, const void *b)
{
	const struct series *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->model, y->model);
}

/* The day a period key starts ("2024-11-05", or "2024-11" -> 2024-11-01). */
static lc_date key_day(const char *key, int monthly)
{
	char buf[11];
	lc_date d = 0;

	snprintf(buf, sizeof(buf), monthly ? "%.7s-01" : "%.10s", key);
	date_parse(buf, 10, &d, NULL);
	return d;
}

static int month_days(lc_date d)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	return (int)(date_add_months(date_from_ymd(y, m, 1), 1) - date_from_ymd(y, m, 1));
}

/* What chart_spend() and its steps share. */
struct spend {
	const struct usage_report *r;
	int monthly;
	struct series *sr;   /* the models, costliest first */
	const char **period; /* the periods' keys (the report's total rows) */
	size_t ns, np, shown;
	int others;          /* models past the shown ones, stacked as one */
	lc_date first, last; /* the first and last periods' days */
};

/* The models and periods of the report; -1 when out of memory. */
static int spend_series(struct spend *s, struct lc_err *err)
{
	const struct usage_report *r = s->r;

	s->sr = xcalloc(r->n + 1, sizeof(*s->sr));
	s->period = xcalloc(r->n + 1, sizeof(*s->period));
	for (size_t i = 0; i < r->n; i++) {
		const struct usage_line *u = &r->rows[i];
		size_t k;

		if (!u->model[0]) {
			s->period[s->np++] = u->key;
			continue;
		}
		for (k = 0; k < s->ns && strcmp(s->sr[k].model, u->model); k++)
			;
		if (k == s->ns)
			s->sr[s->ns++].model = u->model;
		s->sr[k].total += u->s.cost;
	}
	qsort(s->sr, s->ns, sizeof(*s->sr), series_cmp);
	while (s->ns > 0 && s->sr[s->ns - 1].total <= 0) /* unpriced only: nothing to stack */
		s->ns--;
	s->shown = s->ns > SPEND_SERIES ? SPEND_SERIES - 1 : s->ns;
	s->others = s->ns > s->shown;
	if (s->np) {
		s->first = key_day(s->period[0], s->monthly);
		s->last = key_day(s->period[s->np - 1], s->monthly);
		for (size_t i = 1; i < s->np; i++) {
			lc_date d = key_day(s->period[i], s->monthly);

			s->first = d < s->first ? d : s->first;
			s->last = d > s->last ? d : s->last;
		}
	}
	return 0;
}

/* The cost of series k (k == shown: the other models) in period p. */
static lc_i128 series_cost(const struct spend *s, size_t k, size_t p)
{
	lc_i128 v = 0;

	for (size_t i = 0; i < s->r->n; i++) {
		const struct usage_line *u = &s->r->rows[i];
		int is_shown = 0;

		if (!u->model[0] || strcmp(u->key, s->period[p]))
			continue;
		for (size_t j = 0; j < s->shown; j++)
			is_shown |= !strcmp(s->sr[j].model, u->model);
		if (k < s->shown ? !strcmp(u->model, s->sr[k].model) : !is_shown)
			v += u->s.cost;
	}
	return v;
}

/* spend.tsv: time, then cumulative sums bottom (costliest) to top. */
static int write_spend(const struct spend *s, struct gp_chart *g, struct lc_err *err)
{
	char buf[64];
	FILE *f;

	if (!(f = gp_chart_open(g, "spend.tsv", err)))
		return -1;
	fputs("\"period\"", f);
	for (size_t k = 0; k < s->shown; k++) {
		fputc('\t', f);
		gp_put_field(f, s->sr[k].model);
	}
	if (s->others)
		fputs("\t\"other models\"", f);
	fputc('\n', f);
	for (size_t p = 0; p < s->np; p++) {
		lc_date d = key_day(s->period[p], s->monthly);
		lc_i128 sum = 0;
		long long mid = (long long)d * 86400 +
				(s->monthly ? (long long)month_days(d) * 43200 : 43200);

		fprintf(f, "%lld", mid);
		for (size_t k = 0; k < s->shown + (size_t)s->others; k++) {
			sum += series_cost(s, k, p);
			fputc('\t', f);
			fputs(money_format(buf, sizeof(buf), sum, -1), f);
		}
		fputc('\n', f);
	}
	return gp_chart_close(f, "spend.tsv", err);
}

/* spend-budget.tsv: a month's budget, or a day's share of its month. */
static int write_budget(const struct spend *s, int64_t budget, struct gp_chart *g,
			struct lc_err *err)
{
	char buf[64];
	FILE *f;

	if (!(f = gp_chart_open(g, "spend-budget.tsv", err)))
		return -1;
	if (budget != LC_NONE && s->np) {
		lc_date end = s->monthly ? date_add_months(s->last, 1) : s->last + 1;

		for (lc_date d = s->first; d < end;) {
			int dim = month_days(d);
			lc_date next = s->monthly ? date_add_months(d, 1) : d + 1;
			int64_t v = s->monthly ? budget : budget / dim;

			fprintf(f, "%lld\t%s\n%lld\t%s\n", (long long)d * 86400,
				money_format(buf, sizeof(buf), v, -1), (long long)next * 86400, buf);
			d = next;
		}
	}
	fputs("\n", f);
	return gp_chart_close(f, "spend-budget.tsv", err);
}

/* One tic at day t: "Nov 4", or "Nov 2024" for a month (centred on it). */
static void spend_tic(FILE *f, lc_date t, int monthly, int first, int year)
{
	int y, m, d;

	date_to_ymd(t, &y, &m, &d);
	if (monthly && (year || m == 1))
		fprintf(f, "%s\"%s %d\" %lld", first ? "" : ", ", mon[m - 1], y,
			(long long)t * 86400 + (long long)month_days(t) * 43200);
	else if (monthly)
		fprintf(f, "%s\"%s\" %lld", first ? "" : ", ", mon[m - 1],
			(long long)t * 86400 + (long long)month_days(t) * 43200);
	else
		fprintf(f, "%s\"%s %d\" %lld", first ? "" : ", ", mon[m - 1], d,
			(long long)t * 86400 + 43200);
}

/*
 * The script's time axis, tics on natural boundaries: a daily chart has a
 * tic each day (up to 14 days), each Monday (up to 16 weeks), each month's
 * first, or each quarter's; a monthly chart each month (up to 15), each
 * quarter, or each year.
 */
static void spend_time_axis(const struct spend *s, const struct gp_chart *g, FILE *f)
{
	int monthly = s->monthly, first = 1, y, m, d;
	lc_date a = s->first, b = monthly ? date_add_months(s->last, 1) : s->last + 1;
	long long span = (long long)(b - a);
	int narrow = g->fmt == GP_DUMB && g->width < 100;

	fputs("set xdata time\nset timefmt \"%s\"\n", f);
	fprintf(f, "set xrange [%lld:%lld]\n", (long long)a * 86400, (long long)b * 86400);
	fputs("set xtics (", f);
	date_to_ymd(a, &y, &m, &d);
	if (!monthly && span <= (narrow ? 7 : 14)) {
		for (lc_date t = a; t < b; t++, first = 0)
			spend_tic(f, t, 0, first, 0);
	} else if (!monthly && span <= (narrow ? 8 * 7 : 16 * 7)) {
		/* Mondays (date_weekday: 0 Monday), every other one when narrow */
		lc_date t = a + (7 - date_weekday(a)) % 7;

		for (; t < b; t += narrow && span > 28 ? 14 : 7, first = 0)
			spend_tic(f, t, 0, first, 0);
	} else {
		int months = monthly ? (int)(span / 30) : 0;
		int step = !monthly ? (span <= 15 * 31 ? 1 : 3) : months <= (narrow ? 6 : 15) ? 1
							     : months <= 48 ? 3 : 12;
		lc_date t = date_from_ymd(y, ((m - 1) / step) * step % 12 + 1, 1);

		if (step == 12)
			t = date_from_ymd(y, 1, 1);
		for (; t < b; t = date_add_months(t, step)) {
			if (t < a)
				continue;
			spend_tic(f, t, monthly, first, first);
			first = 0;
		}
	}
	fputs(")\n", f);
	fprintf(f, "set boxwidth %lld absolute\n", monthly ? 22LL * 86400 : 69120LL);
}

/* The current period, still running, is marked "so far" above its bar. */
static void spend_partial(const struct spend *s, const struct gp_chart *g, FILE *f)
{
	lc_date today = lc_today(), last = s->last;
	int y, m, d, ty, tm, td;

	date_to_ymd(last, &y, &m, &d);
	date_to_ymd(today, &ty, &tm, &td);
	if (s->monthly ? (y != ty || m != tm) : last != today)
		return;
	fprintf(f, "set label 900 \"%s so far\" at first %lld, graph 1.02 center font \",9\" "
		   "tc rgb \"#777777\"\n",
		s->monthly ? "month" : "day",
		(long long)last * 86400 + (s->monthly ? (long long)month_days(last) * 43200 : 43200));
	if (g->fmt != GP_DUMB)
		fprintf(f, "set object 900 rect from first %lld, graph 0 to first %lld, graph 1 behind "
			   "fc rgb \"#f2f2f2\" fs solid 1.0 noborder\n",
			(long long)last * 86400,
			(long long)(s->monthly ? date_add_months(last, 1) : last + 1) * 86400);
}

/* The key under a terminal chart (an entry a row, as gnuplot's dumb
   terminal lays it out): its rows added to the bottom margin. */
static void dumb_key_below(const struct spend *s, FILE *f, int budget)
{
	fprintf(f, "set key below horizontal\nset bmargin %zu\n",
		4 + s->shown + (size_t)s->others + (budget ? 1 : 0));
}

/* spend.gp. */
static int write_spend_script(const struct spend *s, int64_t budget, const char *title,
			      const char *note, struct gp_chart *g, struct lc_err *err)
{
	char b2[64];
	FILE *f;

	if (!(f = gp_chart_open(g, "spend.gp", err)))
		return -1;
	gp_preamble(g, f);
	chart_frame(f, g, title, note);
	spend_time_axis(s, g, f);
	spend_partial(s, g, f);
	fprintf(f, "set xlabel \"%s (UTC)\"\n", s->monthly ? "Month" : "Day");
	fprintf(f, "set ylabel \"USD per %s\"\n", s->monthly ? "month" : "day");
	fputs("set yrange [0:*]\nset format y \"$%g\"\n"
	      "set style fill solid 0.9 border rgb \"white\"\n",
	      f);
	if (g->fmt == GP_DUMB && g->width < 120)
		/* a narrow terminal: the key under the chart, the bars keep the width */
		dumb_key_below(s, f, budget != LC_NONE);
	else if (g->fmt == GP_DUMB)
		fputs("set key outside right top vertical\n", f);
	else
		fputs("set key outside right top vertical Left reverse samplen 1.5 font \",10\" "
		      "title \"Model\" box lc rgb \"#cccccc\"\nset rmargin 30\n",
		      f);
	fputs("plot \\\n", f);
	for (size_t k = s->shown + (size_t)s->others; k-- > 0;) {
		const char *col = k == s->shown ? "#bbbbbb" : palette[k % 8];

		fprintf(f, "  'spend.tsv' using 1:%zu with boxes lc rgb \"%s\" title columnheader(%zu), \\\n",
			k + 2, col, k + 2);
	}
	if (budget != LC_NONE) {
		money_format(b2, sizeof(b2), budget, 2);
		fprintf(f, "  'spend-budget.tsv' using 1:2 with lines lw 2 dt 2 lc rgb \"#c00000\" "
			   "title \"budget $%s a month%s\"\n",
			b2, s->monthly ? "" : " (a day's share)");
	} else {
		fputs("  NaN notitle\n", f);
	}
	return gp_chart_close(f, "spend.gp", err);
}

int chart_spend(const struct usage_report *r, int monthly, int64_t budget, const char *title,
		const char *note, struct gp_chart *g, struct lc_err *err)
{
	struct spend s = { .r = r, .monthly = monthly };
	int rc = -1;

	if (!spend_series(&s, err) && !write_spend(&s, g, err) &&
	    !write_budget(&s, budget, g, err) &&
	    !write_spend_script(&s, budget, title, note, g, err))
		rc = 0;
	free(s.sr);
	free(s.period);
	return rc;
}

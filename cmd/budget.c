/*
 * budget.c - `llmcost budget set|status`: monthly budgets, for everything or
 * one project, checked against the month's spend so far (priced as in
 * `llmcost usage`).  status exits 6 when a forecast is over its budget, for
 * cron jobs and CI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "usage.h"
#include "usage_report.h"

const char help_budget[] =
	"usage: llmcost budget set --monthly USD [--project P]\n"
	"       llmcost budget status [--tz ZONE] [--json|--csv|--md]\n"
	"\n"
	"set: a monthly budget in USD for all usage, or for project P (its path or\n"
	"last folder name, as in `llmcost usage --project`).  Setting it again\n"
	"replaces it.\n"
	"\n"
	"status: for each budget, the spend of the month so far, the daily burn rate\n"
	"(month to date / days so far, today included), the forecast to the end of\n"
	"the month (burn rate x days in the month) and the percent of the budget\n"
	"spent.  Months are calendar months in ZONE (default UTC).  Exit 0 when\n"
	"every forecast is within its budget, 6 when one is over.\n";

struct brow {
	char *scope; /* whole, as stored */
	int64_t monthly;
};

struct blist {
	struct brow *v;
	size_t n;
};

static int collect(void *ctx, const char *scope, int64_t monthly)
{
	struct blist *l = ctx;
	struct brow *nv = xrealloc(l->v, (l->n + 1) * sizeof(*nv));

	l->v = nv;
	l->v[l->n].scope = xstrdup(scope);
	l->v[l->n].monthly = monthly;
	l->n++;
	return 0;
}

static void blist_free(struct blist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].scope);
	free(l->v);
}

static int budget_set(int argc, char **argv, struct cmd_ctx *ctx)
{
	enum { OPT_MONTHLY = OPT_FIRST_COMMAND_OPTION, OPT_PROJECT };
	static const struct option longopts[] = {
		{ "monthly", required_argument, NULL, OPT_MONTHLY },
		{ "project", required_argument, NULL, OPT_PROJECT },
		COMMON_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *project = "", *monthly = NULL;
	struct lc_err err = { 0 };
	struct lc_db *db;
	int64_t nanos;
	int c, code = 0, rounded = 0;
	char b[64];

	while ((c = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1) {
		if (c == CMD_OPT_EXIT)
			return code;
		if (c == OPT_MONTHLY)
			monthly = optarg;
		else if (c == OPT_PROJECT)
			project = optarg;
	}
	/* a project name as ingest keeps it (whole, or refused) */
	if (project[0] && usage_name(project, LC_NAME_MAX, "--project", &err))
		return cmd_usage(ctx, "%s", err.msg);
	if (optind < argc)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[optind]);
	if (!monthly)
		return cmd_usage(ctx, "budget set needs --monthly USD");
	if (money_parse(monthly, strlen(monthly), 9, &nanos, &rounded, &err) || nanos <= 0 ||
	    rounded)
		return cmd_usage(ctx, "--monthly: want a positive amount in USD, not '%s'", monthly);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (db_budget_set(db, project, nanos, &err))
		return cmd_fail(&err);
	esc_printf(stdout, "monthly budget for %s: %s\n", project[0] ? project : "all usage",
	       money_format_usd(b, sizeof(b), nanos));
	return 0;
}

static int budget_status(int argc, char **argv, struct cmd_ctx *ctx)
{
	enum { OPT_TZ = OPT_FIRST_COMMAND_OPTION };
	static const struct option longopts[] = {
		{ "tz", required_argument, NULL, OPT_TZ },
		COMMON_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *tz = NULL;
	struct lc_err err = { 0 };
	struct blist l = { 0 };
	struct lc_db *db;
	struct lc_table *t;
	lc_date today, first;
	int c, code = 0, y, m, dd, dim, over_any = 0;
	char b[64], month[8];

	while ((c = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1) {
		if (c == CMD_OPT_EXIT)
			return code;
		if (c == OPT_TZ) {
			lc_date tmp;

			if (ts_date_in_zone(0, optarg, &tmp, &err))
				return cmd_usage(ctx, "--tz: %s", err.msg);
			tz = optarg;
		}
	}
	if (optind < argc)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[optind]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (ts_date_in_zone(lc_now(), tz, &today, &err))
		return cmd_fail(&err);
	date_to_ymd(today, &y, &m, &dd);
	dim = days_in_month(y, m);
	first = date_from_ymd(y, m, 1);
	snprintf(month, sizeof(month), "%04d-%02d", y, m);
	if (db_budget_list(db, collect, &l, &err) < 0)
		return cmd_fail(&err);
	if (l.n == 0) {
		fprintf(stderr, "llmcost: no budget set; see `llmcost budget set --monthly USD`\n");
		return 0;
	}
	t = table_new();
	table_col(t, "budget for", "scope", 0);
	table_col(t, "month", "month", TABLE_HIDE_TEXT);
	table_col(t, "monthly", "monthly", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "month to date", "month_to_date", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "per day", "daily_rate", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "forecast", "forecast", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "spent %", "percent_spent", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "forecast %", "percent_forecast", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "status", "status", 0);
	table_col(t, "unpriced records", "unpriced_records", TABLE_RIGHT | TABLE_NUMBER);
	for (size_t i = 0; i < l.n; i++) {
		struct usage_report_opts o;
		struct usage_report r;
		lc_i128 mtd, rate, forecast;
		int over, exact = ctx->fmt != LC_FMT_TEXT;

		memset(&o, 0, sizeof(o));
		o.group = UG_MONTH;
		o.tz = tz;
		o.has_since = o.has_until = 1;
		o.since = first;
		o.until = today;
		o.project = l.v[i].scope[0] ? l.v[i].scope : NULL;
		if (usage_report_run(db, &o, &r, &err)) {
			table_free(t);
			blist_free(&l);
			return cmd_fail(&err);
		}
		mtd = r.total.cost;
		/* exact: burn = mtd / days so far; forecast = burn x days in month */
		rate = money_div_half_even(mtd, dd);
		forecast = money_muldiv(mtd, dim, dd);
		over = forecast > l.v[i].monthly;
		over_any |= over;
		table_cell(t, l.v[i].scope[0] ? l.v[i].scope : "all usage");
		table_cell(t, month);
		table_cell(t, exact ? money_format(b, sizeof(b), l.v[i].monthly, -1)
				    : money_format_usd(b, sizeof(b), l.v[i].monthly));
		table_cell(t, exact ? money_format(b, sizeof(b), mtd, -1)
				    : money_format_usd(b, sizeof(b), mtd));
		table_cell(t, exact ? money_format(b, sizeof(b), rate, -1)
				    : money_format_usd(b, sizeof(b), rate));
		table_cell(t, exact ? money_format(b, sizeof(b), forecast, -1)
				    : money_format_usd(b, sizeof(b), forecast));
		/* percent with one decimal: value x 100 in units of 1e-9, then 1 decimal */
		table_cell(t, money_format(b, sizeof(b),
					   money_muldiv(mtd, (lc_i128)100 * LC_NANO, l.v[i].monthly), 1));
		table_cell(t, money_format(b, sizeof(b),
					   money_muldiv(forecast, (lc_i128)100 * LC_NANO, l.v[i].monthly),
					   1));
		table_cell(t, over ? "over" : "ok");
		table_cell(t, i128_format(b, sizeof(b), r.total.unpriced_records));
		usage_report_free(&r);
	}
	if (ctx->fmt == LC_FMT_TEXT)
		esc_printf(stdout, "%s, day %d of %d%s%s\n", month, dd, dim, tz ? ", " : " (UTC)", tz ? tz : "");
	table_print(t, stdout, ctx->fmt, ctx->fmt == LC_FMT_TEXT ? table_term_width() : 0);
	table_free(t);
	blist_free(&l);
	return over_any ? LC_EBUDGET : 0;
}

int cmd_budget(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(help_budget, argc < 2 ? stderr : stdout);
		return argc < 2 ? LC_EUSAGE : 0;
	}
	if (!strcmp(argv[1], "set"))
		return budget_set(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "status"))
		return budget_status(argc - 1, argv + 1, ctx);
	return cmd_usage(ctx, "unknown budget command '%s' (want set or status)", argv[1]);
}

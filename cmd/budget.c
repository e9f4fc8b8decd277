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
#include "budget.h"
#include "usage_price.h"

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
	struct budget_status st;
	struct lc_db *db;
	struct lc_table *t;
	int c, code = 0, over_any;
	char b[64];

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
	if (budget_status_run(db, tz, lc_now(), usage_row_price, &st, &err))
		return cmd_fail(&err);
	if (st.n == 0) {
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
	for (size_t i = 0; i < st.n; i++) {
		const struct budget_line *l = &st.v[i];
		int exact = ctx->fmt != LC_FMT_TEXT; /* set by the options */

		table_cell(t, l->scope[0] ? l->scope : "all usage");
		table_cell(t, st.month);
		table_cell(t, exact ? money_format(b, sizeof(b), l->monthly, -1)
				    : money_format_usd(b, sizeof(b), l->monthly));
		table_cell(t, exact ? money_format(b, sizeof(b), l->month_to_date, -1)
				    : money_format_usd(b, sizeof(b), l->month_to_date));
		table_cell(t, exact ? money_format(b, sizeof(b), l->daily_rate, -1)
				    : money_format_usd(b, sizeof(b), l->daily_rate));
		table_cell(t, exact ? money_format(b, sizeof(b), l->forecast, -1)
				    : money_format_usd(b, sizeof(b), l->forecast));
		/* percent with one decimal */
		table_cell(t, money_format(b, sizeof(b), l->pct_spent, 1));
		table_cell(t, money_format(b, sizeof(b), l->pct_forecast, 1));
		table_cell(t, l->over ? "over" : "ok");
		table_cell(t, i128_format(b, sizeof(b), l->unpriced_records));
	}
	if (ctx->fmt == LC_FMT_TEXT)
		esc_printf(stdout, "%s, day %d of %d%s%s\n", st.month, st.day, st.days,
			   tz ? ", " : " (UTC)", tz ? tz : "");
	table_print(t, stdout, ctx->fmt, ctx->fmt == LC_FMT_TEXT ? table_term_width() : 0);
	table_free(t);
	over_any = st.over_any;
	budget_status_free(&st);
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

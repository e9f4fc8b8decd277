/*
 * budget.c - `llmcost budget set|status|rm`: monthly budgets, for everything,
 * one project or one user, checked against the month's spend so far (priced as in
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
#include "usage_known.h"


/* A budget for a project (user) no usage has is kept (it may start
   tomorrow) but said, with the near names: a typo would never be over. */
static int warn_unknown(struct lc_db *db, const char *project, const char *user)
{
	struct lc_err err = { 0 };
	char hint[1024];
	int rc = user ? usage_user_known(db, user, hint, sizeof(hint), &err)
		      : usage_project_known(db, project, hint, sizeof(hint), &err);

	if (rc < 0)
		return cmd_fail(&err);
	if (rc == 0)
		cmd_warn("no usage has %s '%s' yet; %s", user ? "user" : "project",
			 user ? user : project, hint);
	return 0;
}

/*
 * The scope of --project P or --user U into scope (all usage: ""): 0, or
 * the exit code (2) after printing the error: both given, a project name
 * ingest would refuse, or one that would read as a user's scope.
 */
static int budget_scope(struct cmd_ctx *ctx, const char *project, const char *user,
			char scope[LC_NAME_MAX])
{
	struct lc_err err = { 0 };

	scope[0] = '\0';
	if (project[0] && user)
		return cmd_usage(ctx, "a budget is for --project P or --user U, not both");
	if (user) {
		budget_user_scope(scope, LC_NAME_MAX, user); /* LC_USER_MAX fits */
		return 0;
	}
	/* a project name as ingest keeps it (whole, or refused) */
	if (project[0] && usage_name(project, LC_NAME_MAX, "--project", &err))
		return cmd_usage(ctx, "%s", err.msg);
	if (budget_scope_user(project))
		return cmd_usage(ctx, "--project: '%s' would read as a user's budget (a project "
				      "name starting '" BUDGET_USER_PREFIX "'); for a user, --user",
				 project);
	lc_strlcpy(scope, project, LC_NAME_MAX); /* checked by usage_name(): it fits */
	return 0;
}

/* "all usage", "project P" or "user U" for the messages */
static const char *scope_text(char *buf, size_t n, const char *scope)
{
	const char *user = budget_scope_user(scope);

	if (!scope[0])
		snprintf(buf, n, "all usage");
	else
		snprintf(buf, n, "%s '%s'", user ? "user" : "project", user ? user : scope);
	return buf;
}

static int budget_rm(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *project = "", *user = NULL;
	struct lc_err err = { 0 };
	struct lc_db *db;
	int code = 0, rc;
	char scope[LC_NAME_MAX], what[LC_NAME_MAX + 16];
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost budget rm [--project P | --user U]\n"
			 "\n"
			 "Remove the monthly budget for all usage, for project P or for user U;\n"
			 "exit 3 when there is no such budget (see `llmcost help budget`).\n"
			 "\n"),
		OPT_STRING("project", 0, &project, "P",
			   "the budget of project P, as given to `budget set`; default:\n"
			   "the budget for all usage"),
		OPT_CALLBACK("user", &user, "U", cmd_opt_user, "the budget of user U"),
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if ((code = budget_scope(ctx, project, user, scope)) != 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if ((rc = db_budget_rm(db, scope, &err)) < 0)
		return cmd_fail(&err);
	scope_text(what, sizeof(what), scope);
	if (rc == 0) {
		lc_errf(&err, LC_EDATA, "no budget for %s; see `llmcost budget status`", what);
		return cmd_fail(&err);
	}
	/* (a project is named bare, as before) */
	esc_printf(stdout, "removed the monthly budget for %s\n",
		   user ? what : project[0] ? project : "all usage");
	return 0;
}

static int budget_set(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *project = "", *user = NULL;
	struct lc_err err = { 0 };
	struct lc_db *db;
	int64_t nanos = 0;
	int code = 0;
	unsigned given = 0;
	char b[64], scope[LC_NAME_MAX], what[LC_NAME_MAX + 16];
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost budget set --monthly USD [--project P | --user U]\n"
			 "\n"
			 "A monthly budget in USD for all usage, for project P or for user U;\n"
			 "setting it again replaces it (see `llmcost help budget`).\n"
			 "\n"),
		{ .kind = OPTK_MONEY, .name = "monthly", .dst = &nanos, .arg = "USD",
		  .want = "a positive amount in USD", .flags = OPTF_POSITIVE, .seen = &given, .bit = 1,
		  .help = "the budget per calendar month, in USD (exact, e.g. 250 or 99.50)" },
		OPT_STRING("project", 0, &project, "P",
			   "the budget of project P (its path or last folder name, as in\n"
			   "`llmcost usage --project`); default: all usage"),
		OPT_CALLBACK("user", &user, "U", cmd_opt_user,
			     "the budget of user U (whole, as in `llmcost usage --user`)"),
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if ((code = budget_scope(ctx, project, user, scope)) != 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!given)
		return cmd_usage(ctx, "budget set needs --monthly USD");
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (db_budget_set(db, scope, nanos, &err))
		return cmd_fail(&err);
	if (scope[0] && (code = warn_unknown(db, project, user)) != 0)
		return code;
	/* (a project is named bare, as before) */
	esc_printf(stdout, "monthly budget for %s: %s\n",
		   user ? scope_text(what, sizeof(what), scope) : project[0] ? project : "all usage",
		   money_format_usd(b, sizeof(b), nanos));
	return 0;
}

static int budget_status(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *tz = NULL;
	struct lc_err err = { 0 };
	struct budget_status st;
	struct lc_db *db;
	struct lc_table *t;
	int code = 0, over_any, cost_mode = 0;
	char b[64], zone[256];
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost budget status [--tz ZONE] [--json|--csv|--md]\n"
			 "\n"
			 "Each budget against the month's spend so far, with the forecast to the\n"
			 "end of the month (see `llmcost help budget`); exit 6 when a forecast is\n"
			 "over its budget.\n"
			 "\n"),
		OPT_CALLBACK("tz", &tz, "ZONE", cmd_opt_tz,
			     "months are calendar months in ZONE (e.g. Europe/Berlin);\n"
			     "default: $TZ, else the system's zone"),
		OPT_CHOICE("cost-mode", &cost_mode, "MODE", cmd_cost_modes,
			   "the spend as in `llmcost usage --cost-mode`: calculated\n"
			   "(default), logged or auto"),
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	tz = cmd_report_zone(tz, zone, sizeof(zone));
	if (budget_status_run_mode(db, tz, lc_now(), usage_row_price, cost_mode, &st, &err))
		return cmd_fail(&err);
	if (st.n == 0) {
		/* an empty list, not silence, for a script reading the JSON */
		if (ctx->fmt == LC_FMT_JSON)
			printf("[]\n");
		else
			fprintf(stderr, "llmcost: no budget set; see `llmcost budget set --monthly USD`\n");
		budget_status_free(&st);
		return 0;
	}
	t = table_new();
	/* amounts are exact; text, Markdown and HTML show them by money_format_usd */
	const int N = TABLE_RIGHT | TABLE_NUMBER, A = N | TABLE_USD | TABLE_ANSWER;

	table_col(t, "budget for", "scope", TABLE_KEY);
	table_col(t, "month", "month", TABLE_HIDE_TEXT);
	table_col(t, "monthly", "monthly", A);
	table_col(t, "month to date", "month_to_date", A);
	table_abbr(t, "to date");
	table_col(t, "per day", "daily_rate", N | TABLE_USD | TABLE_DROP(3));
	table_col(t, "forecast", "forecast", A);
	table_col(t, "spent %", "percent_spent", N | TABLE_DROP(2));
	table_abbr(t, "spent");
	table_col(t, "forecast %", "percent_forecast", N | TABLE_DROP(4));
	table_abbr(t, "fcst %");
	table_col(t, "status", "status", TABLE_ANSWER);
	table_col(t, "unpriced records", "unpriced_records", N | TABLE_COUNT | TABLE_DROP(1));
	table_abbr(t, "unpriced");
	table_col(t, "zone", "zone", TABLE_HIDE_TEXT);
	for (size_t i = 0; i < st.n; i++) {
		const struct budget_line *l = &st.v[i];

		table_cell(t, l->scope[0] ? l->scope : "all usage");
		table_cell(t, st.month);
		table_cell(t, money_format(b, sizeof(b), l->monthly, -1));
		table_cell(t, money_format(b, sizeof(b), l->month_to_date, -1));
		table_cell(t, money_format(b, sizeof(b), l->daily_rate, -1));
		table_cell(t, money_format(b, sizeof(b), l->forecast, -1));
		/* percent with one decimal */
		table_cell(t, money_format(b, sizeof(b), l->pct_spent, 1));
		table_cell(t, money_format(b, sizeof(b), l->pct_forecast, 1));
		table_cell(t, l->over ? "over" : "ok");
		table_cell(t, i128_format(b, sizeof(b), l->unpriced_records));
		table_cell(t, tz);
	}
	if (ctx->fmt == LC_FMT_TEXT)
		esc_printf(stdout, "%s, day %d of %d (%s)\n", st.month, st.day, st.days, tz);
	table_print(t, stdout, ctx->fmt, cmd_table_width(ctx));
	table_free(t);
	over_any = st.over_any;
	budget_status_free(&st);
	return over_any ? LC_EBUDGET : 0;
}

static const struct opt help[] = {
	OPT_TEXT(	"usage: llmcost budget set --monthly USD [--project P | --user U]\n"
		 "       llmcost budget status [--tz ZONE] [--json|--csv|--md]\n"
		 "       llmcost budget rm [--project P | --user U]\n"
		 "\n"
		 "set: a monthly budget in USD for all usage, for project P (its path or\n"
		 "last folder name, as in `llmcost usage --project`) or for user U (who\n"
		 "ingested the usage, as in `llmcost usage --user`).  Setting it again\n"
		 "replaces it.  A project or user no stored usage has is set all the same,\n"
		 "with a warning naming the known ones closest to it.  A user's budget is\n"
		 "stored under the scope \"user:U\" (as `budget status` shows it), so a\n"
		 "project name may not start \"user:\".\n"
		 "\n"
		 "status: for each budget, the spend of the month so far, the daily burn rate\n"
		 "(month to date / days so far, today included), the forecast to the end of\n"
		 "the month (burn rate x days in the month) and the percent of the budget\n"
		 "spent.  Months are calendar months in ZONE (default: $TZ, else the\n"
		 "system's zone).  Exit 0 when every forecast is within its budget, 6 when\n"
		 "one is over.  With no budget set, --json prints [].\n"
		 "\n"
		 "rm: remove the budget for all usage, for project P or for user U; exit 3\n"
		 "when there is no such budget.\n"),
	OPT_END(),
};

static const struct cmd_sub subs[] = {
	{ "set", budget_set },
	{ "status", budget_status },
	{ "rm", budget_rm },
	{ NULL, NULL },
};
const struct cmd_subs budget_subs = { "budget command", subs, NULL, help };

/*
 * plans.c - `llmcost plans`: the subscription plans llmcost knows (the
 * plans table, from data/plans.csv), with their monthly prices and sources,
 * for `llmcost usage monthly --plan`.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "db_plan.h"
#include "money.h"

struct plans_ctx {
	struct lc_table *t;
	const char *at;          /* "" with --history */
	int exact;
	int n;
};

static int plan_row(void *ctx, const struct lc_plan *p)
{
	struct plans_ctx *c = ctx;
	char b[64];

	/* --at: the period in effect on the date */
	if (c->at[0] && (strcmp(p->from, c->at) > 0 || (p->to[0] && strcmp(p->to, c->at) <= 0)))
		return 0;
	table_cell(c->t, p->id);
	table_cell(c->t, p->vendor);
	table_cell(c->t, p->name);
	table_cell(c->t, c->exact ? money_format(b, sizeof(b), p->monthly, -1)
				  : money_format_usd(b, sizeof(b), p->monthly));
	table_cell(c->t, p->from);
	table_cell(c->t, p->to[0] ? p->to : (c->exact ? NULL : ""));
	table_cell(c->t, p->source_url);
	c->n++;
	return 0;
}

int cmd_plans(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct lc_err err = { 0 };
	struct lc_db *db;
	char at[11] = "";
	int code = 0, history = 0;
	struct plans_ctx c = { 0 };
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost plans [--at DATE | --history] [--json|--csv|--md]\n"
			 "\n"
			 "The subscription plans llmcost knows (data/plans.csv, each price citing\n"
			 "its source): id (what `llmcost usage monthly --plan` takes), vendor,\n"
			 "name, the monthly price in USD (billed monthly, before tax) and the\n"
			 "period it held, on DATE (default today).\n"
			 "\n"),
		OPT_DATE("at", at, "the plans and prices in effect on DATE (YYYY-MM-DD)"),
		OPT_FLAG("history", 0, &history, "every price period of every plan"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "output format; JSON prices are exact decimal USD"),
		{ .kind = OPTK_FORMAT, .name = "csv", .dst = &ctx->fmt, .val = LC_FMT_CSV,
		  .flags = OPTF_JOIN },
		{ .kind = OPTK_FORMAT, .name = "md", .dst = &ctx->fmt, .val = LC_FMT_MD,
		  .flags = OPTF_JOIN },
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (history && at[0])
		return cmd_usage(ctx, "--at and --history exclude each other");
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (!history && !at[0])
		date_format(at, sizeof(at), lc_today());
	c.at = at;
	c.exact = ctx->fmt != LC_FMT_TEXT;
	c.t = table_new();
	table_col(c.t, "plan", "plan", 0);
	table_col(c.t, "vendor", "vendor", 0);
	table_col(c.t, "name", "name", 0);
	table_col(c.t, c.exact ? "monthly_usd" : "monthly", "monthly_usd",
		  TABLE_RIGHT | TABLE_NUMBER);
	table_col(c.t, "from", "valid_from", 0);
	table_col(c.t, "to", "valid_to", 0);
	table_col(c.t, "source", "source_url", 0);
	if (db_plans(db, NULL, plan_row, &c, &err) < 0) {
		table_free(c.t);
		return cmd_fail(&err);
	}
	if (c.n || ctx->fmt != LC_FMT_TEXT)
		table_print(c.t, stdout, ctx->fmt, ctx->fmt == LC_FMT_TEXT ? table_term_width() : 0);
	else
		fprintf(stderr, "llmcost: no plan priced on %s\n", at);
	table_free(c.t);
	return 0;
}

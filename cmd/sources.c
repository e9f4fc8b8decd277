/*
 * sources.c - `llmcost sources`: where prices come from, and which wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db_sheet.h"


struct ctx_tab {
	struct lc_table *t;
};

static int add_row(void *vctx, const struct db_source *s)
{
	struct ctx_tab *c = vctx;

	table_cell(c->t, s->name);
	table_cell(c->t, s->format);
	table_cellf(c->t, "%lld", (long long)s->priority);
	table_cell(c->t, s->url[0] ? s->url : NULL);
	if (!strcmp(s->name, "builtin")) { /* shipped, not fetched: its own date */
		table_cell(c->t, NULL);
		table_cell(c->t, db_builtin_data_date()[0] ? db_builtin_data_date() : NULL);
	} else {
		table_cell(c->t, s->last_fetch[0] ? s->last_fetch : NULL);
		table_cell(c->t, s->current_to[0] ? s->current_to : NULL);
	}
	if (s->http_status)
		table_cellf(c->t, "%lld", (long long)s->http_status);
	else
		table_cell(c->t, NULL);
	table_cell(c->t, s->etag[0] ? s->etag : NULL);
	if (s->models >= 0)
		table_cellf(c->t, "%lld", (long long)s->models);
	else
		table_cell(c->t, NULL);
	table_cellf(c->t, "%lld", (long long)s->periods);
	table_cell(c->t, s->sha256[0] ? s->sha256 : NULL);
	return 0;
}

/* A price cell: a number, or a missing value for LC_NONE. */
static void price_cell(struct lc_table *t, int json, int64_t nanos)
{
	char buf[64];

	if (nanos == LC_NONE)
		table_none(t);
	else
		table_cell(t, json ? cmd_price_json(buf, sizeof(buf), nanos)
				   : cmd_price_plain(buf, sizeof(buf), nanos));
}

struct ctx_conf {
	struct lc_table *t;
	int json;
};

static int add_conflict(void *vctx, const struct db_conflict *k)
{
	struct ctx_conf *c = vctx;

	table_cell(c->t, k->model);
	table_cell(c->t, k->host);
	table_cell(c->t, k->from);
	table_cell(c->t, k->to[0] ? k->to : NULL);
	table_cell(c->t, k->win.source);
	price_cell(c->t, c->json, k->win.input);
	price_cell(c->t, c->json, k->win.output);
	table_cell(c->t, k->lose.source);
	price_cell(c->t, c->json, k->lose.input);
	price_cell(c->t, c->json, k->lose.output);
	table_cell(c->t, k->fields);
	table_cell(c->t, k->win.url[0] ? k->win.url : NULL);
	table_cell(c->t, k->lose.url[0] ? k->lose.url : NULL);
	return 0;
}

/* `sources --conflicts`: every disagreement, and which source is read. */
static int list_conflicts(struct lc_db *db, struct cmd_ctx *ctx)
{
	struct lc_err err = { 0 };
	struct ctx_conf c = { table_new(), ctx->fmt == LC_FMT_JSON };
	char cur[11];

	if (!c.t)
		return lc_errf(&err, LC_ERUNTIME, "out of memory"), cmd_fail(&err);
	/* who wins at which prices against whom always shows; the urls go first */
	const int P = TABLE_RIGHT | TABLE_NUMBER | TABLE_PRICE | TABLE_ANSWER;

	table_col(c.t, "model", "model", TABLE_KEY);
	table_col(c.t, "host", "host", TABLE_DROP(5));
	table_col(c.t, "from", "from", TABLE_DROP(4));
	table_col(c.t, "to", "to", TABLE_DROP(3));
	table_col(c.t, "wins", "winner", TABLE_ANSWER);
	table_col(c.t, "input $/M", "winner_input_per_mtok", P);
	table_abbr(c.t, "in");
	table_col(c.t, "output $/M", "winner_output_per_mtok", P);
	table_abbr(c.t, "out");
	table_col(c.t, "other", "other", TABLE_ANSWER);
	table_col(c.t, "input $/M", "other_input_per_mtok", P);
	table_abbr(c.t, "in");
	table_col(c.t, "output $/M", "other_output_per_mtok", P);
	table_abbr(c.t, "out");
	table_col(c.t, "differ", "differ", TABLE_DROP(6));
	table_col(c.t, "winner url", "winner_url", TABLE_DROP(1));
	table_col(c.t, "other url", "other_url", TABLE_DROP(2));
	if (db_builtin_current_to(db, cur, &err) || db_price_conflicts(db, add_conflict, &c, &err) < 0) {
		table_free(c.t);
		return cmd_fail(&err);
	}
	if (ctx->fmt == LC_FMT_TEXT && table_rows(c.t) == 0)
		esc_printf(stdout, "no two sources disagree on a price\n");
	else
		table_print(c.t, stdout, ctx->fmt, cmd_table_width(ctx));
	if (ctx->fmt == LC_FMT_TEXT && cur[0])
		esc_printf(stdout, "built-in data current to %s: a sheet's price wins over it "
				   "only from a start after that date\n", cur);
	table_free(c.t);
	return 0;
}

/* `sources priority NAME N` (N may be negative: "-5" is an argument) */
static int sources_priority(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct opt opts[] = {
		OPT_TEXT("usage: llmcost sources priority NAME N\n"
			 "\n"
			 "Set source NAME's priority to N, an integer from -1000000 to 1000000;\n"
			 "when several sources price one model on one date, the lowest wins (see\n"
			 "`llmcost help sources`).\n"),
		OPT_END(),
	};
	struct lc_err err = { 0 };
	struct lc_db *db;
	char *end;
	long long n;
	int code;

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc != 3)
		return cmd_usage(ctx, "sources priority needs NAME and N");
	n = strtoll(argv[2], &end, 10);
	if (!argv[2][0] || *end || n < -1000000 || n > 1000000)
		return cmd_usage(ctx, "priority: want an integer, not '%s'", argv[2]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (db_source_set_priority(db, argv[1], n, &err))
		return cmd_fail(&err);
	esc_printf(stdout, "source '%s': priority %lld\n", argv[1], n);
	return 0;
}

static int sources_list(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct lc_err err = { 0 };
	struct ctx_tab c;
	struct lc_db *db;
	int code = 0, conflicts = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost sources [--conflicts] [--json|--csv|--md]\n"
			 "       llmcost sources priority NAME N\n"
			 "\n"
			 "List the price sources: name, format, URL, last fetch, the date its prices\n"
			 "are current to (builtin: the latest dated evidence in the data shipped\n"
			 "with this llmcost, which is never fetched; a fetched source: the day of\n"
			 "its last good fetch), HTTP status, ETag, models in the last good sheet,\n"
			 "price rows stored, and priority.  When\n"
			 "several sources price one model on one date, the lowest priority wins:\n"
			 "builtin (the curated data shipped with llmcost) 0, csv 10, genai-prices\n"
			 "20, llm-prices 30, litellm 40, openrouter 50, others 60; except that a\n"
			 "sheet's price that starts after the date the built-in data is current to\n"
			 "(a later change) wins over the built-in price.  `--source NAME` on\n"
			 "`models` and `price` reads one source only.\n"
			 "\n"),
		OPT_FLAG("conflicts", 0, &conflicts,
			 "list where two sources price one offering differently:\n"
			 "model, host, dates, each source's input and output\n"
			 "price and URL, the prices that differ, and which wins"),
		OPT_TEXT("\n"
			 "`llmcost sources priority NAME N` sets source NAME's priority to N (an\n"
			 "integer); see `llmcost help sources priority`.\n"),
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (conflicts)
		return list_conflicts(db, ctx);
	c.t = table_new();
	if (!c.t)
		return lc_errf(&err, LC_ERUNTIME, "out of memory"), cmd_fail(&err);
	/* a source, how current it is and what it holds always show */
	const int N = TABLE_RIGHT | TABLE_NUMBER;

	table_col(c.t, "source", "name", TABLE_KEY);
	table_col(c.t, "format", "format", TABLE_DROP(4));
	table_col(c.t, "priority", "priority", N | TABLE_DROP(5));
	table_abbr(c.t, "prio");
	table_col(c.t, "url", "url", TABLE_DROP(1));
	table_col(c.t, "last fetch", "last_fetch", TABLE_DROP(6));
	table_col(c.t, "current to", "current_to", TABLE_ANSWER);
	table_col(c.t, "http", "http_status", N | TABLE_DROP(3));
	table_col(c.t, "etag", "etag", TABLE_DROP(2));
	table_col(c.t, "models", "models", N | TABLE_COUNT | TABLE_ANSWER);
	table_col(c.t, "rows", "price_rows", N | TABLE_COUNT | TABLE_ANSWER);
	table_col(c.t, "sha256", "sha256", TABLE_HIDE_TEXT);
	if (db_sources_each(db, add_row, &c, &err) < 0) {
		table_free(c.t);
		return cmd_fail(&err);
	}
	table_print(c.t, stdout, ctx->fmt, cmd_table_width(ctx));
	table_free(c.t);
	return 0;
}

static const struct cmd_sub subs[] = {
	{ "priority", sources_priority },
	{ NULL, NULL },
};
const struct cmd_subs sources_subs = { "sources command", subs, sources_list, NULL };

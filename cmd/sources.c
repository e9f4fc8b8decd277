/*
 * sources.c - `llmcost sources`: where prices come from, and which wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db_sheet.h"

const char help_sources[] =
	"usage: llmcost sources [--json|--csv|--md]\n"
	"       llmcost sources priority NAME N\n"
	"\n"
	"List the price sources: name, format, URL, last fetch, the date its prices\n"
	"are current to (builtin: the latest dated evidence in the data shipped\n"
	"with this llmcost, which is never fetched; a fetched source: the day of\n"
	"its last good fetch), HTTP status, ETag, models in the last good sheet,\n"
	"price rows stored, and priority.  When\n"
	"several sources price one model on one date, the lowest priority wins:\n"
	"builtin (the curated data shipped with llmcost) 0, csv 10, genai-prices\n"
	"20, llm-prices 30, litellm 40, openrouter 50, others 60.  `--source NAME`\n"
	"on `models` and `price` reads one source only.\n"
	"\n"
	"  priority NAME N   set source NAME's priority to N (an integer)\n";

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

int cmd_sources(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option longopts[] = { COMMON_LONGOPTS, { 0, 0, 0, 0 } };
	struct lc_err err = { 0 };
	struct ctx_tab c;
	struct lc_db *db;
	int ch, code = 0;

	/* `sources priority NAME N` is read by hand so N may be negative */
	if (argc >= 2 && !strcmp(argv[1], "priority")) {
		char *end;
		long long n;

		if (argc != 4)
			return cmd_usage(ctx, "sources priority needs NAME and N");
		n = strtoll(argv[3], &end, 10);
		if (!argv[3][0] || *end || n < -1000000 || n > 1000000)
			return cmd_usage(ctx, "priority: want an integer, not '%s'", argv[3]);
		if (!(db = cmd_db(ctx, &code)))
			return code;
		if (db_source_set_priority(db, argv[2], n, &err))
			return cmd_fail(&err);
		esc_printf(stdout, "source '%s': priority %lld\n", argv[2], n);
		return 0;
	}
	while ((ch = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1)
		if (ch == CMD_OPT_EXIT)
			return code;
	if (optind < argc)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[optind]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	c.t = table_new();
	if (!c.t)
		return lc_errf(&err, LC_ERUNTIME, "out of memory"), cmd_fail(&err);
	table_col(c.t, "source", "name", 0);
	table_col(c.t, "format", "format", 0);
	table_col(c.t, "priority", "priority", TABLE_RIGHT | TABLE_NUMBER);
	table_col(c.t, "url", "url", 0);
	table_col(c.t, "last fetch", "last_fetch", 0);
	table_col(c.t, "current to", "current_to", 0);
	table_col(c.t, "http", "http_status", TABLE_RIGHT | TABLE_NUMBER);
	table_col(c.t, "etag", "etag", 0);
	table_col(c.t, "models", "models", TABLE_RIGHT | TABLE_NUMBER);
	table_col(c.t, "rows", "price_rows", TABLE_RIGHT | TABLE_NUMBER);
	table_col(c.t, "sha256", "sha256", TABLE_HIDE_TEXT);
	if (db_sources_each(db, add_row, &c, &err) < 0) {
		table_free(c.t);
		return cmd_fail(&err);
	}
	table_print(c.t, stdout, ctx->fmt, table_term_width());
	table_free(c.t);
	return 0;
}

/*
 * models.c - `llmcost models`: every model with the price in effect on a date.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"

struct row {
	struct lc_model m;
	struct lc_offering o;
};

struct collect {
	struct row *rows;
	size_t n, cap;
};

static int collect(void *ctx, const struct lc_model *m, const struct lc_offering *o)
{
	struct collect *c = ctx;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct row *r = xrealloc(c->rows, ncap * sizeof(*r));

		c->rows = r;
		c->cap = ncap;
	}
	c->rows[c->n].m = *m;
	c->rows[c->n].o = *o;
	c->n++;
	return 0;
}

static int by_price(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	/* LC_NONE (no price) is -1: sort it after every price, not before */
	uint64_t px = (uint64_t)x->o.tiers[0].input, py = (uint64_t)y->o.tiers[0].input;

	if (px != py)
		return px < py ? -1 : 1;
	px = (uint64_t)x->o.tiers[0].output;
	py = (uint64_t)y->o.tiers[0].output;
	if (px != py)
		return px < py ? -1 : 1;
	int c = strcmp(x->o.model, y->o.model);
	return c ? c : strcmp(x->o.host, y->o.host);
}

/* A price cell: a number, or a missing value (table_none) for LC_NONE. */
static void price_cell(struct lc_table *t, int json, int64_t nanos)
{
	char buf[64];

	if (nanos == LC_NONE)
		table_none(t);
	else
		table_cell(t, json ? cmd_price_json(buf, sizeof(buf), nanos)
				   : cmd_price_plain(buf, sizeof(buf), nanos));
}

struct unmatched {
	struct lc_unmatched *v;
	size_t n, cap;
};

static int collect_unmatched(void *ctx, const struct lc_unmatched *u)
{
	struct unmatched *c = ctx;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct lc_unmatched *v = xrealloc(c->v, ncap * sizeof(*v));

		c->v = v;
		c->cap = ncap;
	}
	c->v[c->n++] = *u;
	return 0;
}

static int by_reason(const void *a, const void *b)
{
	const struct lc_unmatched *x = a, *y = b;
	int c = strcmp(x->reason, y->reason);

	return c ? c : strcmp(x->model, y->model);
}

/* `models --unmatched`: what the sheets added outside the catalogue, by reason. */
static int list_unmatched(struct cmd_ctx *ctx, struct lc_db *db, const char *source)
{
	static const char *reasons[] = { "new", "not-chat", "fine-tuned", "ambiguous", "spelling" };
	struct unmatched u = { 0 };
	struct lc_err err = { 0 };
	struct lc_table *t;

	if (db_unmatched(db, source, collect_unmatched, &u, &err) < 0) {
		free(u.v);
		if (!err.code) /* the collector failed, not the store */
			lc_errf(&err, LC_ERUNTIME, "out of memory");
		return cmd_fail(&err);
	}
	if (u.n > 1)
		qsort(u.v, u.n, sizeof(*u.v), by_reason);
	t = table_new();
	table_col(t, "model", "model", TABLE_KEY);
	table_col(t, "reason", "reason", TABLE_ANSWER);
	table_col(t, "detail", "detail", TABLE_DROP(3));
	table_col(t, "source", "source", TABLE_DROP(2));
	table_col(t, "mode", "mode", TABLE_DROP(1));
	table_col(t, "hosts", "hosts", TABLE_DROP(4));
	for (size_t i = 0; i < u.n; i++) {
		table_cell(t, u.v[i].model);
		table_cell(t, u.v[i].reason);
		table_cell(t, u.v[i].detail);
		table_cell(t, u.v[i].source);
		table_cell(t, u.v[i].mode);
		table_cell(t, u.v[i].hosts[0] ? u.v[i].hosts : NULL);
	}
	if (ctx->fmt == LC_FMT_TEXT && u.n == 0) {
		esc_printf(stderr, "llmcost: every model priced is in the built-in catalogue\n");
	} else {
		table_print(t, stdout, ctx->fmt, cmd_table_width(ctx));
		if (ctx->fmt == LC_FMT_TEXT) {
			fprintf(stderr, "llmcost: %zu models outside the built-in catalogue:", u.n);
			for (size_t r = 0; r < ARRAY_SIZE(reasons); r++) {
				size_t k = 0;

				for (size_t i = 0; i < u.n; i++)
					k += !strcmp(u.v[i].reason, reasons[r]);
				fprintf(stderr, "%s %zu %s", r ? "," : "", k, reasons[r]);
			}
			fputc('\n', stderr);
		}
	}
	table_free(t);
	free(u.v);
	return 0;
}

int cmd_models(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *provider = NULL, *source = NULL;
	char at[11];
	int all = 0, unmatched = 0, retired = 0, code = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost models [--provider P] [--at DATE] [--all-hosts] [--source NAME]\n"
			 "                      [--unmatched] [--include-retired] [--json|--csv|--md]\n"
			 "\n"
			 "List the models priced and available on DATE (default today) with their\n"
			 "input, output and cached-input prices in USD per million tokens, cheapest\n"
			 "input first (entries without an input price last), and their mode: chat,\n"
			 "or embedding, image_generation, rerank, ... for entries `estimate` skips.\n"
			 "A model its maker retired (shut down) on or before DATE is left out.\n"
			 "\n"),
		OPT_STRING("provider", 0, &provider, "P",
			   "only models made by P or sold by host P (openai, ...)"),
		OPT_DATE("at", at, "prices in effect on DATE (YYYY-MM-DD)"),
		OPT_FLAG("all-hosts", 0, &all,
			 "every host's offering, not only each model's default host"),
		OPT_STRING("source", 0, &source, "NAME",
			   "prices from one source only (see `llmcost sources`)"),
		OPT_FLAG("include-retired", 0, &retired,
			 "also the retired models, with their retirement date in\n"
			 "a 'retired' column"),
		OPT_FLAG("unmatched", 0, &unmatched,
			 "instead, the models price sheets added because no key\n"
			 "of theirs named a built-in model, by reason: new,\n"
			 "not-chat, fine-tuned, ambiguous (could be two models),\n"
			 "spelling (another spelling of a built-in model: a bug\n"
			 "to report)"),
		OPT_END(),
	};
	struct collect rows = { 0 };
	struct lc_err err = { 0 };
	struct lc_table *t;
	struct lc_db *db;

	date_format(at, sizeof(at), lc_today());
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!(db = cmd_db_source(ctx, source, &code)))
		return code;
	if (unmatched)
		return list_unmatched(ctx, db, source);
	if (db_offerings_any_mode_at(db, at, provider, source,
				     (!all && !provider ? DB_OFFER_DEFAULT_HOSTS : 0) |
					     (retired ? DB_OFFER_RETIRED : 0),
				     collect, &rows, &err) < 0) {
		free(rows.rows);
		return cmd_fail(&err);
	}
	if (rows.n > 1) /* rows.rows is NULL when nothing matched */
		qsort(rows.rows, rows.n, sizeof(*rows.rows), by_price);

	t = table_new();
	/* the prices always show; too wide, the source goes first */
	const int P = TABLE_RIGHT | TABLE_NUMBER | TABLE_PRICE;

	table_col(t, "model", "model", TABLE_KEY);
	table_col(t, "provider", "provider", TABLE_DROP(6));
	table_col(t, "maker", "maker", TABLE_HIDE_TEXT);
	table_col(t, "input $/M", "input_per_mtok", P | TABLE_ANSWER);
	table_abbr(t, "in $/M");
	table_col(t, "output $/M", "output_per_mtok", P | TABLE_ANSWER);
	table_abbr(t, "out $/M");
	table_col(t, "cached $/M", "cached_input_per_mtok", P | TABLE_DROP(5));
	table_abbr(t, "cache");
	table_col(t, "context", "context_window", TABLE_RIGHT | TABLE_NUMBER | TABLE_COUNT |
							TABLE_DROP(4));
	table_col(t, "released", "release_date", TABLE_DROP(3));
	table_col(t, "since", "effective_from", TABLE_HIDE_TEXT);
	table_col(t, "source", "source", TABLE_DROP(1));
	table_col(t, "mode", "mode", TABLE_DROP(2));
	if (retired)
		table_col(t, "retired", "retired", TABLE_ANSWER);
	for (size_t i = 0; i < rows.n; i++) {
		const struct row *r = &rows.rows[i];
		const struct lc_tier *b = &r->o.tiers[0];
		int json = ctx->fmt == LC_FMT_JSON;

		table_cell(t, r->o.model);
		table_cell(t, r->o.host);
		table_cell(t, r->m.maker);
		price_cell(t, json, b->input);
		price_cell(t, json, b->output);
		price_cell(t, json, b->cache_read);
		if (r->m.context_window > 0)
			table_cellf(t, "%lld", (long long)r->m.context_window);
		else
			table_cell(t, NULL);
		table_cell(t, r->m.release_date[0] ? r->m.release_date : NULL);
		table_cell(t, r->o.effective_from);
		table_cell(t, r->o.source);
		table_cell(t, r->m.mode[0] ? r->m.mode : "chat");
		if (retired) /* marked when retired by DATE; a later shutdown is not yet */
			table_cell(t, r->m.retired[0] && strcmp(r->m.retired, at) <= 0 ? r->m.retired
										 : NULL);
	}
	free(rows.rows);
	if (ctx->fmt == LC_FMT_TEXT && table_rows(t) == 0)
		esc_printf(stderr, "llmcost: no model is priced on %s%s%s\n", at,
			provider ? " for provider " : "", provider ? provider : "");
	else
		table_print(t, stdout, ctx->fmt, cmd_table_width(ctx));
	table_free(t);
	return 0;
}

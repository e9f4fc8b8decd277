/*
 * report.c - `llmcost report KIND`: the price-collapse tables
 * (`report collapse`) and the self-contained HTML report (`report html`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "collapse.h"
#include "collapse_fit.h"
#include "collapse_table.h"
#include "date.h"
#include "html.h"
#include "json_out.h"
#include "usage_price.h"
#include "money.h"


int report_parse_blend(struct cmd_ctx *ctx, const char *text, int *a, int *b)
{
	int64_t x, y;
	const char *colon = strchr(text, ':');

	if (!colon || tokens_parse(text, (size_t)(colon - text), &x, NULL) ||
	    tokens_parse(colon + 1, strlen(colon + 1), &y, NULL) || x > 1000000 || y > 1000000 ||
	    x + y == 0)
		return cmd_usage(ctx, "--blend: want IN:OUT, two whole numbers up to 10^6, not both 0 "
				      "(e.g. 3:1), not '%s'", text);
	*a = (int)x;
	*b = (int)y;
	return 0;
}

int report_blend_option(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	struct collapse_opts *c = o->dst;

	return report_parse_blend(ctx, v, &c->blend_in, &c->blend_out) ? LC_EUSAGE : 0;
}

/* "frontier_fit": the least-squares trend of the frontier's blended price
   (collapse_fit.h), null when it has fewer than two dates. */
static void print_json_fit(const struct collapse *c, struct json_out *j)
{
	struct collapse_fit f;
	char buf[64];

	json_key(j, "frontier_fit");
	if (collapse_fit(c, 0, &f)) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_key(j, "points");
	json_int(j, (int64_t)f.n);
	json_key(j, "from");
	json_str(j, f.from);
	json_key(j, "to");
	json_str(j, f.to);
	json_key(j, "log10_slope_per_year");
	snprintf(buf, sizeof(buf), "%.10g", f.slope);
	json_number(j, buf);
	json_key(j, "divided_per_year");
	snprintf(buf, sizeof(buf), "%.6g", f.per_year);
	json_number(j, buf);
	json_end(j);
}

/* Print text without control characters (names come from price sheets). */
static void print_json(const struct collapse *c, FILE *out)
{
	char buf[64];
	struct lc_table *t;
	struct json_out j;

	json_init(&j, out);
	json_begin_object(&j);
	json_key(&j, "from");
	json_str(&j, c->opts.from);
	json_key(&j, "to");
	json_str(&j, c->opts.to);
	json_key(&j, "blend");
	json_begin_object(&j);
	json_key(&j, "input");
	json_int(&j, c->opts.blend_in);
	json_key(&j, "output");
	json_int(&j, c->opts.blend_out);
	json_end(&j);
	json_key(&j, "quality_bar");
	json_begin_object(&j);
	json_key(&j, "benchmark");
	json_str(&j, c->opts.benchmark);
	json_key(&j, "model");
	json_str(&j, c->bar_model[0] ? c->bar_model : NULL);
	json_key(&j, "score"); /* checked decimal text (collapse_run) */
	json_number(&j, collapse_score_text(buf, sizeof(buf), c->bar_score));
	json_key(&j, "snapshot"); /* the one leaderboard snapshot of every score */
	json_str(&j, c->have_snapshot && c->snapshot[0] ? c->snapshot : NULL);
	json_end(&j);
	json_layout(&j, "", ",\n", "");
	json_key(&j, "reference");
	if (c->have_ref) {
		json_begin_object(&j);
		json_key(&j, "model");
		json_str(&j, c->ref.model);
		json_key(&j, "date");
		json_str(&j, c->ref.date);
		json_key(&j, "input_per_mtok");
		json_money(&j, c->ref.input);
		json_key(&j, "output_per_mtok");
		json_money(&j, c->ref.output);
		json_key(&j, "blended_per_mtok");
		json_money(&j, c->ref.blended);
		json_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "families");
	t = collapse_family_table(c, 0);
	table_json(t, &j);
	table_free(t);
	/* each table on lines of its own */
	json_layout(&j, "", "\n,", "\n");
	json_key(&j, "frontier");
	t = collapse_frontier_table(c, 0);
	table_json(t, &j);
	table_free(t);
	print_json_fit(c, &j);
	json_end(&j);
	fputc('\n', out);
}

static void print_tables(const struct collapse *c, enum lc_format fmt, int width)
{
	int text = fmt == LC_FMT_TEXT || fmt == LC_FMT_MD;
	struct lc_table *t;
	char buf[64], *line = NULL;
	size_t nline = 0;
	FILE *out = stdout;

	if (fmt == LC_FMT_TEXT) {
		esc_printf(stdout, "List prices by model family, USD per 1M tokens, %s to %s",
			   c->opts.from, c->opts.to);
		fputs(width > 0 && width < 100 ? "\n" : " ", stdout); /* fits 80 columns */
		printf("(blended %d:%d input:output)\n\n", c->opts.blend_in, c->opts.blend_out);
	} else if (fmt == LC_FMT_MD)
		esc_printf(stdout, "## List prices by model family, USD per 1M tokens, %s to %s\n\n",
		       c->opts.from, c->opts.to);
	t = collapse_family_table(c, text);
	table_print(t, stdout, fmt, width);
	table_free(t);
	putchar('\n');
	if (fmt == LC_FMT_TEXT || fmt == LC_FMT_MD) {
		/* one sentence, wrapped to the width in text */
		if (width > 0 && !(out = open_memstream(&line, &nline)))
			out = stdout;
		fputs(fmt == LC_FMT_MD ? "## Cheapest model at or above " : "Cheapest model at or above ",
		      out);
		if (c->bar_model[0]) {
			esc_put(out, c->bar_model, fmt == LC_FMT_MD ? ESC_MD : ESC_TERM);
			fputs("'s ", out);
		}
		esc_put(out, c->opts.benchmark, fmt == LC_FMT_MD ? ESC_MD : ESC_TERM);
		fprintf(out, " %s", collapse_score_text(buf, sizeof(buf), c->bar_score));
		if (c->have_snapshot && c->snapshot[0])
			esc_printf(out, " (leaderboard snapshot of %s)", c->snapshot);
		if (c->have_ref) {
			fprintf(out, ", against ");
			esc_put(out, c->ref.model, fmt == LC_FMT_MD ? ESC_MD : ESC_TERM);
			esc_printf(out, "'s $%s/$%s of %s", money_format_price(buf, sizeof(buf), c->ref.input),
			       money_format_price(buf + 32, 32, c->ref.output), c->ref.date);
		}
		if (out != stdout) {
			fclose(out);
			table_wrap(stdout, line, width);
			free(line);
			fputs("\n", stdout);
		} else {
			fputs("\n\n", stdout);
		}
	}
	t = collapse_frontier_table(c, text);
	table_print(t, stdout, fmt, width);
	table_free(t);
}

void report_collapse_defaults(struct collapse_opts *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->from, sizeof(o->from), "2023-01-01");
	date_format(o->to, sizeof(o->to), lc_today());
	o->blend_in = 3;
	o->blend_out = 1;
	o->benchmark = "arena_elo";
	o->bar_model = "gpt-4-0314";
	o->ref_model = "gpt-4-0314";
}

int report_collapse_check(struct cmd_ctx *ctx, struct collapse_opts *o)
{
	o->snapshot = o->snapshot_date[0] ? o->snapshot_date : NULL;
	if (strcmp(o->from, o->to) >= 0)
		return cmd_usage(ctx, "--from %s is not before --to %s", o->from, o->to);
	return 0;
}

static int report_collapse(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct collapse_opts o;
	struct collapse c;
	struct lc_err err = { 0 };
	struct lc_db *db;
	int code = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost report collapse [options]\n"
			 "\n"
			 "The collapse tables: how far and how fast list prices fell, by model\n"
			 "family, and the cheapest model at or above a quality bar on each date\n"
			 "(see `llmcost help report`).\n"
			 "\n"),
		REPORT_COLLAPSE_OPTS(&o),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "one object: {\"families\": [...], \"frontier\": [...], ...}"),
		OPT_FORMAT("csv", &ctx->fmt, LC_FMT_CSV,
			   "both tables, one after the other (--csv: separated by an\n"
			   "empty line)"),
		{ .kind = OPTK_FORMAT, .name = "md", .dst = &ctx->fmt, .val = LC_FMT_MD,
		  .flags = OPTF_JOIN },
		OPT_END(),
	};

	report_collapse_defaults(&o);
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (report_collapse_check(ctx, &o))
		return LC_EUSAGE;
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (collapse_build(db, &o, &c, &err)) {
		collapse_release(&c);
		return cmd_fail(&err);
	}
	if (c.nfam == 0 && ctx->fmt == LC_FMT_TEXT)
		esc_printf(stderr, "llmcost: no data: no price between %s and %s\n", o.from, o.to);
	else if (ctx->fmt == LC_FMT_JSON)
		print_json(&c, stdout);
	else
		print_tables(&c, ctx->fmt, cmd_table_width(ctx));
	collapse_release(&c);
	return 0;
}

static int report_html(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct collapse_opts o;
	struct collapse c;
	struct lc_err err = { 0 };
	struct lc_db *db;
	const char *out = NULL;
	int code = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost report html -o FILE [options]\n"
			 "\n"
			 "One self-contained HTML page with the collapse and frontier charts and\n"
			 "tables (see `llmcost help report`).  Needs gnuplot.\n"
			 "\n"),
		OPT_STRING("output", 'o', &out, "FILE", "the page to write; written whole or not at all"),
		REPORT_COLLAPSE_OPTS(&o),
		OPT_END(),
	};

	report_collapse_defaults(&o);
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!out || !*out)
		return cmd_usage(ctx, "report html needs -o FILE");
	if (out[0] == '|' || out[0] == '<')
		return cmd_usage(ctx, "refusing output path '%s'", out);
	if (report_collapse_check(ctx, &o))
		return LC_EUSAGE;
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (collapse_build(db, &o, &c, &err)) {
		collapse_release(&c);
		return cmd_fail(&err);
	}
	if (c.nfam == 0) {
		esc_printf(stderr, "llmcost: no data: no price between %s and %s; nothing written\n",
			o.from, o.to);
		collapse_release(&c);
		return LC_EDATA;
	}
	code = html_report(db, &c, out, usage_row_price, &err) ? cmd_fail(&err) : 0;
	collapse_release(&c);
	if (!code)
		esc_printf(stderr, "llmcost: wrote %s\n", out);
	return code;
}

static const struct opt help[] = {
	OPT_TEXT("usage: llmcost report collapse [--from DATE] [--to DATE] [--blend IN:OUT]\n"
		 "                               [--min-quality S|MODEL] [--benchmark NAME]\n"
		 "                               [--snapshot DATE] [--source NAME]\n"
		 "                               [--include-retired] [--json|--csv|--md]\n"
		 "       llmcost report html -o FILE [--from DATE] [--to DATE] [--blend IN:OUT]\n"
		 "                               [--min-quality S|MODEL] [--benchmark NAME]\n"
		 "                               [--snapshot DATE] [--include-retired]\n"
		 "       llmcost report quality [--at DATE] [--above MODEL|S] [--benchmark NAME]\n"
		 "                              [--json|--csv|--md]\n"
		 "\n"
		 "collapse: how far and how fast list prices fell, from the price history.\n"
		 "  Families: for each provider and model family, the first and the latest\n"
		 "  list price in USD per million tokens (input, output and blended), the\n"
		 "  drop factor (first / latest blended price), the yearly rate of decline\n"
		 "  and how many times the latest input price is below GPT-4's $30 of\n"
		 "  March 2023.  A family's price on a date is its cheapest model then, each\n"
		 "  model at its default host.\n"
		 "  Frontier: on each date the price changed, the cheapest model whose\n"
		 "  quality score is at or above a bar (default: the original GPT-4,\n"
		 "  gpt-4-0314, by Chatbot Arena Elo), with the factor since GPT-4's $30/$60.\n"
		 "  Every score, the bar's too, comes from one leaderboard snapshot: the\n"
		 "  latest on or before --to (or --snapshot DATE), else the earliest.\n"
		 "html: one self-contained HTML page (inline CSS and SVG charts, no network\n"
		 "  references).  First the headline numbers: the price at the quality bar\n"
		 "  then and on the last date (input and blended) and the factor, the\n"
		 "  cheapest model at the bar on --to and the date the prices are current\n"
		 "  to.  Then, when the store holds usage (see `llmcost ingest usage`), the\n"
		 "  usage spend chart (per day, or per month when the usage spans more than\n"
		 "  92 days, stacked by model, with the budget for all usage) and its table\n"
		 "  (money to the cent); then the collapse and frontier charts and tables,\n"
		 "  the price-against-quality chart of the --to date (`plot pareto`) with\n"
		 "  its frontier's models, and the price table of the --to date.  Tables\n"
		 "  longer than 12 rows are folded (click to open); wide ones scroll\n"
		 "  sideways on narrow screens; dark mode follows the browser's colour\n"
		 "  scheme.  Needs gnuplot.\n"
		 "quality: the scores of one leaderboard snapshot (the latest on or before\n"
		 "  --at, default today, else the earliest), highest first: every model the\n"
		 "  leaderboard ranks, priced or not, with its organisation and its llmcost\n"
		 "  model when it has one, then a count of models and organisations.\n"
		 "\n"),
	OPT_TEXT("Their options: `llmcost help report collapse`, `llmcost help report html`,\n"
		 "`llmcost help report quality`.\n"),
	OPT_END(),
};

static const struct cmd_sub subs[] = {
	{ "collapse", report_collapse },
	{ "html", report_html },
	{ "quality", report_quality },
	{ NULL, NULL },
};
const struct cmd_subs report_subs = { "report", subs, NULL, help };

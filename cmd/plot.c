/*
 * plot.c - `llmcost plot KIND`: charts drawn by gnuplot (report/gnuplot.c
 * runs it safely) to PNG, SVG or the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "budget.h"
#include "chart.h"
#include "cmd.h"
#include "collapse.h"
#include "date.h"
#include "db_report.h"
#include "db_usage.h"
#include "money.h"
#include "usage_price.h"
#include "usage_report.h"
#include "report.h"


/* The terminal's lines: $LINES, else the tty's, else 0. */
static int term_lines(void)
{
	const char *l = getenv("LINES");
	struct winsize ws;

	if (l && atoi(l) > 0)
		return atoi(l);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	return 0;
}

/*
 * For the terminal: its width (60 to 400 columns; 100 when unknown) and
 * height less a line for the prompt (20 to 200 lines; 32 when unknown),
 * colour on a tty unless NO_COLOR.
 */
static void terminal_size(struct gp_chart *g)
{
	int w = table_term_width(), h = term_lines() - 1;
	const char *nc = getenv("NO_COLOR");

	g->width = w >= 60 ? (w <= 400 ? w : 400) : 100;
	g->height = h >= 20 ? (h <= 200 ? h : 200) : 32;
	g->color = isatty(STDOUT_FILENO) && !(nc && *nc);
}

/* --scale N: N times the pixels, fonts and lines of a PNG (an SVG is
   vector graphics: it scales by itself, and stays 1200x700). */
static void scale_chart(struct gp_chart *g, int scale)
{
	if (g->fmt != GP_PNG || scale <= 1)
		return;
	g->scale = scale;
	g->width *= scale;
	g->height *= scale;
}

/*
 * The default start of collapse and frontier charts: the story starts with
 * GPT-4 (2023-03), so 2023-03-01 when --to is at most four years later,
 * else three years before --to.
 */
static void plot_default_from(struct collapse_opts *o)
{
	lc_date to = 0, from = date_from_ymd(2023, 3, 1);

	date_parse(o->to, 10, &to, NULL);
	if (date_add_months(from, 48) < to)
		from = date_add_months(to, -36);
	if (from >= to)
		from = date_add_months(to, -12);
	date_format(o->from, sizeof(o->from), from);
}

/* ---- plot estimate ---- */

/* -o FILE, --terminal, --script DIR: where every chart goes */
#define PLOT_OUTPUT_OPTS(terminal, script)                                              \
	OPT_FLAG("terminal", 0, (terminal), "draw it in the terminal (gnuplot's dumb terminal)"), \
	OPT_STRING("script", 0, (script), "DIR",                                              \
		   "keep the gnuplot script KIND.gp and its .tsv data in DIR\n"                \
		   "(redraw with: cd DIR && gnuplot -c KIND.gp OUT.png)")
#define PLOT_SCALE_OPT(scale)                                                            \
	OPT_INT("scale", (scale), "N", 1, 4, "1 to 4",                                    \
		"N times the pixels, fonts and lines of a .png (default\n"                    \
		"1: 1200x700; 2 for high-density screens; an .svg scales\n"                  \
		"by itself)")
#define PLOT_FILE_HELP                                                                       \
	"write the chart to FILE: .png (pngcairo) or .svg, 1200x700;\n"                       \
	"written whole or not at all"

/* n with thousands commas: "68,000". */
static char *commas(char *buf, size_t n, int64_t v)
{
	char tmp[32];
	size_t len, j = 0;

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	len = strlen(tmp);
	for (size_t i = 0; i < len && j + 2 < n; i++) {
		if (i && (len - i) % 3 == 0 && tmp[0] != '-')
			buf[j++] = ',';
		buf[j++] = tmp[i];
	}
	buf[j] = '\0';
	return buf;
}

/* "1,000 input + 500 output tokens" and the rest of the task, for the title. */
static void task_text(char *buf, size_t n, const struct lc_profile *p, unsigned given)
{
	char a[32], b[32], c[32];
	size_t len;

	if (p->task[0] && !(given & (PF_INPUT | PF_OUTPUT | PF_IMAGES)))
		snprintf(buf, n, "task '%s'", p->task);
	else
		snprintf(buf, n, "%s%s input + %s output%s tokens", p->input_approx ? "~" : "",
			 commas(a, sizeof(a), p->input), commas(b, sizeof(b), p->output),
			 p->reasoning ? " (+ reasoning)" : "");
	len = strlen(buf);
	if (p->nimages && !p->task[0])
		snprintf(buf + len, n - len, ", %d image%s", p->nimages, p->nimages > 1 ? "s" : "");
	len = strlen(buf);
	if (p->batch)
		snprintf(buf + len, n - len, ", batch");
	len = strlen(buf);
	if (p->count != 1)
		snprintf(buf + len, n - len, " x %s%s", commas(c, sizeof(c), p->count),
			 p->per == LC_PER_DAY ? " a day" : p->per == LC_PER_MONTH ? " a month" : "");
}

static int plot_estimate(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct {
		const char *out, *script;
		int terminal;
		long long top, scale;
	} po = { NULL, NULL, 0, 25, 1 };
	const struct opt own[] = {
		OPT_TEXT("usage: llmcost plot estimate [MODEL...] (-o FILE | --terminal) [--top N]\n"
			 "                             [--script DIR] [estimate's options]\n"
			 "\n"
			 "What a task costs on each model, as horizontal bars from $0 (on a log\n"
			 "scale when the costs span over 30 times), cheapest on top, each\n"
			 "labelled with its cost rounded for people.  Takes every option of\n"
			 "`llmcost estimate` for one date (--at), where --output N is output\n"
			 "tokens (use -o FILE for the chart).\n"
			 "\n"),
		OPT_STRING(NULL, 'o', &po.out, "FILE", PLOT_FILE_HELP),
		PLOT_OUTPUT_OPTS(&po.terminal, &po.script),
		PLOT_SCALE_OPT(&po.scale),
		OPT_INT("top", &po.top, "N", 1, 200, "1 to 200 bars",
			"the N cheapest models (default 25, at most 200)"),
		OPT_TEXT("\n"
			 "and every option of `llmcost estimate` (see `llmcost help estimate`).\n"),
		OPT_END(),
	};
	struct estimate_args a;
	struct lc_ranking rk = { 0 };
	struct lc_err err = { 0 };
	struct chart_bar *bars = NULL;
	struct lc_model *models = NULL;
	char (*pnames)[LC_ID_MAX * 2] = NULL, (*labels)[LC_ID_MAX * 2 + 4] = NULL;
	char title[512], note[512], task[256];
	struct gp_chart g;
	struct lc_db *db;
	size_t nb;
	int code, r;

	if (!estimate_parse_args(ctx, argc, argv, own, &a, &code))
		return code;
	if (!po.out == !po.terminal)
		return cmd_usage(ctx, "plot needs exactly one of -o FILE and --terminal");
	if (a.series)
		return cmd_usage(ctx, "plot estimate draws one date (--at DATE); for --from/--to use "
				      "`llmcost estimate`");
	if (po.out && (po.out[0] == '|' || po.out[0] == '<'))
		return cmd_usage(ctx, "refusing output path '%s': a leading '%c' would run a command",
				 po.out, po.out[0]);
	if (!(db = cmd_db_source(ctx, a.source, &code)))
		return code;
	if (estimate_rank_at(db, &a, &rk, &err))
		return cmd_fail(&err);
	estimate_note_skipped(rk.skipped);
	if (rk.napplicable == 0) {
		esc_printf(stderr, "llmcost: no data: no model %s on %s; nothing drawn\n",
			rk.n ? "can take this task" : "meets --min-quality/--max-cost", a.at);
		ranking_release(&rk);
		return LC_EDATA;
	}
	nb = rk.napplicable < (size_t)po.top ? rk.napplicable : (size_t)po.top;
	bars = xcalloc(nb, sizeof(*bars));
	models = xcalloc(nb, sizeof(*models));
	pnames = xcalloc(nb, sizeof(*pnames));
	labels = xcalloc(nb, sizeof(*labels));
	for (size_t i = 0; i < nb; i++) {
		const struct lc_estimate *e = &rk.e[i];
		int dup = 0;

		if (db_model_get(db, e->model, &models[i], &err) < 0 ||
		    db_provider_name(db, models[i].maker, pnames[i], sizeof(pnames[i]), &err))
			goto fail;
		/* the same model at two hosts (--all-hosts): name the host */
		for (size_t j = 0; j < nb; j++)
			dup |= j != i && !strcmp(rk.e[j].model, e->model);
		if (dup)
			snprintf(labels[i], sizeof(labels[i]), "%s (%s)", e->model, e->host);
		else
			LC_COPY(labels[i], e->model);
		bars[i].label = labels[i];
		bars[i].maker = models[i].maker;
		bars[i].provider = pnames[i];
		bars[i].value = e->total.total;
	}
	task_text(task, sizeof(task), &a.profile, a.cli.set);
	snprintf(title, sizeof(title), "Cost of %s, list prices of %s", task, a.at);
	snprintf(note, sizeof(note), "%s.  %s %zu of %zu model%s that can take the task%s%s",
		 CHART_SOURCE, nb < rk.napplicable ? "The cheapest" : "All", nb, rk.napplicable,
		 rk.napplicable == 1 ? "" : "s",
		 rk.n > rk.napplicable ? " (others cannot: context, modality)" : "",
		 rk.nskipped ? "; entries without token prices skipped" : "");
	r = gp_chart_begin(&g, "estimate", po.out, po.script, &err);
	if (!r && po.terminal)
		terminal_size(&g);
	if (!r)
		scale_chart(&g, (int)po.scale);
	if (!r)
		r = chart_estimate(bars, nb, title, note,
				   a.profile.count == 1 ? "Cost of one task, USD"
							: "Cost of the workload, USD",
				   &g, &err);
	if (!r)
		r = gp_chart_draw(&g, stdout, &err);
	if (r && po.script && g.keep)
		esc_printf(stderr, "llmcost: the script and data are in '%s'\n", g.dir);
	gp_chart_end(&g);
	if (r)
		goto fail;
	free(bars);
	free(models);
	free(pnames);
	free(labels);
	ranking_release(&rk);
	if (po.out)
		esc_printf(stderr, "llmcost: wrote %s\n", po.out);
	return 0;
fail:
	free(bars);
	free(models);
	free(pnames);
	free(labels);
	ranking_release(&rk);
	return cmd_fail(&err);
}

/* ---- plot spend ---- */

struct budget_find {
	const char *scope;
	int64_t monthly;
};

static int budget_find(void *ctx, const char *scope, int64_t monthly)
{
	struct budget_find *b = ctx;

	if (!strcmp(scope, b->scope))
		b->monthly = monthly;
	return 0;
}

static int plot_spend(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *out = NULL, *script = NULL;
	int terminal = 0, monthly = 0, code = 0, r;
	long long scale = 1;
	struct usage_report_opts o;
	struct usage_report rep = { 0 };
	struct budget_find bf = { "", LC_NONE };
	struct lc_err err = { 0 };
	struct gp_chart g;
	struct lc_db *db;
	char since[11] = "", until[11] = "", title[512], note[512], b1[64];
	char uscope[LC_USER_MAX + 8];
	size_t nperiods = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost plot spend (-o FILE | --terminal) [--monthly] [--since DATE]\n"
			 "                          [--until DATE] [--project P | --user U]\n"
			 "                          [--script DIR]\n"
			 "\n"
			 "The stored usage's spend per day (--monthly: per month), stacked by model\n"
			 "(the 7 costliest apart), with the monthly budget as a line when one is\n"
			 "set (see `llmcost help plot`).\n"
			 "\n"),
		OPT_STRING("output", 'o', &out, "FILE", PLOT_FILE_HELP),
		PLOT_OUTPUT_OPTS(&terminal, &script),
		PLOT_SCALE_OPT(&scale),
		OPT_FLAG("monthly", 0, &monthly, "spend per month instead of per day"),
		OPT_DATE("since", since, "from DATE, as for `llmcost usage` (days in UTC)"),
		OPT_DATE("until", until, "up to and including DATE"),
		OPT_STRING("project", 0, &o.project, "P",
			   "only project P, with its budget (else the one for all usage)"),
		OPT_CALLBACK("user", &o.user, "U", cmd_opt_user,
			     "only user U, with the user's budget"),
		OPT_END(),
	};

	memset(&o, 0, sizeof(o));
	o.breakdown = 1;
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	o.group = monthly ? UG_MONTH : UG_DAY;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!out == !terminal)
		return cmd_usage(ctx, "plot needs exactly one of -o FILE and --terminal");
	if (out && (out[0] == '|' || out[0] == '<'))
		return cmd_usage(ctx, "refusing output path '%s': a leading '%c' would run a command",
				 out, out[0]);
	if (since[0]) {
		o.has_since = 1;
		date_parse(since, 10, &o.since, NULL);
	}
	if (until[0]) {
		o.has_until = 1;
		date_parse(until, 10, &o.until, NULL);
	}
	if (o.has_since && o.has_until && o.since > o.until)
		return cmd_usage(ctx, "--since %s is after --until %s", since, until);
	if (o.project && o.user)
		return cmd_usage(ctx, "plot spend takes --project P or --user U, not both");
	if (!(db = cmd_db(ctx, &code)))
		return code;
	o.price = usage_row_price;
	if (usage_report_run(db, &o, &rep, &err))
		goto fail;
	for (size_t i = 0; i < rep.n; i++)
		nperiods += !rep.rows[i].model[0];
	if (nperiods == 0) {
		esc_printf(stderr, "llmcost: no data: no usage%s%s in the period; nothing drawn "
				"(see `llmcost ingest usage`)\n",
			o.project ? " for project " : o.user ? " for user " : "",
			o.project ? o.project : o.user ? o.user : "");
		usage_report_release(&rep);
		return LC_EDATA;
	}
	bf.scope = o.project ? o.project
		 : o.user   ? budget_user_scope(uscope, sizeof(uscope), o.user) /* fits */
			    : "";
	if (db_budget_list(db, budget_find, &bf, &err) < 0)
		goto fail;
	snprintf(title, sizeof(title), "LLM spend per %s, by model%s%s", o.group == UG_MONTH ? "month" : "day",
		 o.project ? ": project " : o.user ? ": user " : "",
		 o.project ? o.project : o.user ? o.user : "");
	money_format_usd(b1, sizeof(b1), rep.total.cost);
	snprintf(note, sizeof(note),
		 "Source: llmcost usage logs, priced at each record's date from the price history.  "
		 "Total %s%s", b1, rep.total.unpriced_records ? " (records of unpriced models left out)" : "");
	r = gp_chart_begin(&g, "spend", out, script, &err);
	if (!r && terminal)
		terminal_size(&g);
	if (!r)
		scale_chart(&g, (int)scale);
	if (!r)
		r = chart_spend(&rep, o.group == UG_MONTH, bf.monthly, title, note, &g, &err);
	if (!r)
		r = gp_chart_draw(&g, stdout, &err);
	if (r && script && g.keep)
		esc_printf(stderr, "llmcost: the script and data are in '%s'\n", g.dir);
	gp_chart_end(&g);
	if (r)
		goto fail;
	usage_report_release(&rep);
	if (out)
		esc_printf(stderr, "llmcost: wrote %s\n", out);
	return 0;
fail:
	usage_report_release(&rep);
	return cmd_fail(&err);
}


/* The quality tiers of the default frontier chart: bars set by models of
   successive generations, scored in one leaderboard snapshot. */
static const char *const frontier_tiers[] = { "gpt-3.5-turbo-0125", "gpt-4-0314",
					      "gpt-4o-2024-05-13", "o3" };

/*
 * The frontier chart: c's bar alone when the user chose a bar or a
 * benchmark, else the tiers (those whose bar model has a score and a
 * frontier; c's when none has).
 */
static int draw_frontier(struct lc_db *db, const struct collapse_opts *o, const struct collapse *c,
			 struct gp_chart *g, struct lc_err *err)
{
	struct collapse tiers[ARRAY_SIZE(frontier_tiers)];
	const struct collapse *use[ARRAY_SIZE(frontier_tiers)];
	size_t n = 0, built = 0;
	int rc;

	if (o->min_quality || strcmp(o->benchmark, "arena_elo"))
		return chart_frontier(db, c, g, err);
	for (size_t i = 0; i < ARRAY_SIZE(frontier_tiers); i++) {
		struct collapse_opts oi = *o;
		struct lc_err e = { 0 };

		oi.bar_model = frontier_tiers[i];
		oi.snapshot = c->have_snapshot && c->snapshot[0] ? c->snapshot : o->snapshot;
		rc = collapse_build(db, &oi, &tiers[built], &e);
		built++;
		if (rc) {
			if (e.code != LC_EDATA) {
				*err = e;
				rc = -1;
				goto out;
			}
			continue;
		}
		if (tiers[built - 1].nfrontier)
			use[n++] = &tiers[built - 1];
	}
	rc = n ? chart_frontier_tiers(db, use, n, g, err) : chart_frontier(db, c, g, err);
out:
	for (size_t i = 0; i < built; i++)
		collapse_release(&tiers[i]);
	return rc;
}

static int plot_chart(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct opt_choice prices[] = {
		{ "input", CHART_INPUT }, { "output", CHART_OUTPUT }, { "blended", CHART_BLENDED },
		{ NULL, 0 },
	};
	const char *out = NULL, *script = NULL, *kind;
	int price = CHART_INPUT, terminal = 0, code = 0, all = 0, r;
	long long scale = 1;
	struct collapse_opts o;
	struct collapse c;
	struct gp_chart g;
	struct lc_err err = { 0 };
	struct lc_db *db;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost plot collapse|frontier (-o FILE | --terminal) [options]\n"
			 "\n"
			 "collapse: list price per million tokens over time, one step line per\n"
			 "model family, under a headline computed from the data; frontier: the\n"
			 "price of the cheapest model at or above a quality bar over time, with\n"
			 "its least-squares trend (see `llmcost help plot`).  Both start on\n"
			 "2023-03-01 (GPT-4) unless --from is given, or three years before --to\n"
			 "when --to is more than four years later.\n"
			 "\n"),
		OPT_STRING("output", 'o', &out, "FILE", PLOT_FILE_HELP),
		PLOT_OUTPUT_OPTS(&terminal, &script),
		PLOT_SCALE_OPT(&scale),
		OPT_CHOICE("price", &price, "P", prices, "collapse: input (default), output or blended"),
		OPT_FLAG("all", 0, &all,
			 "collapse: draw every family coloured (default: the ones\n"
			 "that set the frontier and each major maker's flagship\n"
			 "and cheapest; the others faint grey)"),
		REPORT_COLLAPSE_OPTS(&o),
		OPT_END(),
	};

	report_collapse_defaults(&o);
	o.from[0] = '\0';
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (!o.from[0])
		plot_default_from(&o);
	/* the kind: the subcommand word (argv[0]), or an argument (`plot -o F collapse`) */
	if (!strcmp(argv[0], "collapse") || !strcmp(argv[0], "frontier")) {
		kind = argv[0];
		if (argc > 1)
			return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	} else {
		if (argc < 2)
			return cmd_usage(ctx, "plot needs a KIND (collapse or frontier)");
		if (argc > 2)
			return cmd_usage(ctx, "unexpected argument '%s'", argv[2]);
		kind = argv[1];
	}
	if (!strcmp(kind, "estimate") || !strcmp(kind, "spend") || !strcmp(kind, "pareto"))
		return cmd_usage(ctx, "put %s first: llmcost plot %s [options]", kind, kind);
	if (strcmp(kind, "collapse") && strcmp(kind, "frontier"))
		return cmd_usage(ctx, "unknown chart '%s' (want collapse, frontier, pareto, spend or estimate)",
				 kind);
	if (!out == !terminal)
		return cmd_usage(ctx, "plot needs exactly one of -o FILE and --terminal");
	if (report_collapse_check(ctx, &o))
		return LC_EUSAGE;
	/* refuse a bad target before any work (and long before gnuplot runs) */
	if (out && (out[0] == '|' || out[0] == '<'))
		return cmd_usage(ctx, "refusing output path '%s': a leading '%c' would run a command",
				 out, out[0]);
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (collapse_build(db, &o, &c, &err)) {
		collapse_release(&c);
		return cmd_fail(&err);
	}
	if (!strcmp(kind, "collapse") ? c.nfam == 0 : c.nfrontier == 0) {
		esc_printf(stderr, "llmcost: no data: no %s between %s and %s; nothing drawn\n",
			!strcmp(kind, "collapse") ? "price" : "model at or above the quality bar",
			o.from, o.to);
		collapse_release(&c);
		return LC_EDATA;
	}
	r = gp_chart_begin(&g, kind, out, script, &err);
	if (!r && terminal)
		terminal_size(&g);
	if (!r)
		scale_chart(&g, (int)scale);
	if (!r)
		r = !strcmp(kind, "collapse") ? chart_collapse_with(db, &c, (enum chart_price)price,
								    all ? CHART_ALL : 0, &g, &err)
					      : draw_frontier(db, &o, &c, &g, &err);
	if (!r)
		r = gp_chart_draw(&g, stdout, &err);
	if (r && script && g.keep)
		esc_printf(stderr, "llmcost: the script and data are in '%s'\n", g.dir);
	gp_chart_end(&g);
	collapse_release(&c);
	if (r)
		return cmd_fail(&err);
	if (out)
		esc_printf(stderr, "llmcost: wrote %s\n", out);
	return 0;
}

/* ---- plot pareto ---- */

static int plot_pareto(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *out = NULL, *script = NULL;
	int terminal = 0, code = 0, r;
	long long scale = 1;
	char at[11] = "";
	struct collapse_opts o;
	struct collapse c;
	struct gp_chart g;
	struct lc_err err = { 0 };
	struct lc_db *db;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost plot pareto (-o FILE | --terminal) [--at DATE] [options]\n"
			 "\n"
			 "Price against quality for the models available on DATE: blended list\n"
			 "price (log scale) against the score in the leaderboard snapshot of\n"
			 "DATE, the Pareto frontier (the models no cheaper model matches in\n"
			 "quality: cheapest for their quality) coloured, joined and named, the\n"
			 "other models faint.  Exit 3 when no model priced on DATE has a score.\n"
			 "\n"),
		OPT_STRING("output", 'o', &out, "FILE", PLOT_FILE_HELP),
		PLOT_OUTPUT_OPTS(&terminal, &script),
		PLOT_SCALE_OPT(&scale),
		OPT_DATE("at", at, "the date (default today)"),
		OPT_CALLBACK("blend", &o, "IN:OUT", report_blend_option,
			     "weights of the blended price (default 3:1)"),
		OPT_STRING("benchmark", 0, &o.benchmark, "NAME",
			   "the score: arena_elo (default) or mmlu"),
		OPT_STRING("source", 0, &o.source, "NAME",
			   "prices from one source only (default: the winning source)"),
		OPT_END(),
	};

	report_collapse_defaults(&o);
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (!out == !terminal)
		return cmd_usage(ctx, "plot needs exactly one of -o FILE and --terminal");
	if (out && (out[0] == '|' || out[0] == '<'))
		return cmd_usage(ctx, "refusing output path '%s': a leading '%c' would run a command",
				 out, out[0]);
	if (at[0])
		lc_strlcpy(o.to, at, sizeof(o.to));
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (chart_pareto_build(db, &o, &c, &err)) {
		collapse_release(&c);
		return cmd_fail(&err);
	}
	r = gp_chart_begin(&g, "pareto", out, script, &err);
	if (!r && terminal)
		terminal_size(&g);
	if (!r)
		scale_chart(&g, (int)scale);
	if (!r)
		r = chart_pareto(db, &c, &g, &err);
	if (!r)
		r = gp_chart_draw(&g, stdout, &err);
	if (r && script && g.keep)
		esc_printf(stderr, "llmcost: the script and data are in '%s'\n", g.dir);
	gp_chart_end(&g);
	collapse_release(&c);
	if (r && err.code == LC_EDATA) {
		esc_printf(stderr, "llmcost: no data: %s; nothing drawn\n", err.msg);
		return LC_EDATA;
	}
	if (r)
		return cmd_fail(&err);
	if (out)
		esc_printf(stderr, "llmcost: wrote %s\n", out);
	return 0;
}

static const struct opt help[] = {
	OPT_TEXT("usage: llmcost plot KIND (-o FILE | --terminal) [--script DIR] [options]\n"
		 "       llmcost plot spend (-o FILE | --terminal) [--monthly] [--since DATE]\n"
		 "                          [--until DATE] [--project P | --user U]\n"
		 "                          [--script DIR]\n"
		 "       llmcost plot estimate [MODEL...] (-o FILE | --terminal) [--top N]\n"
		 "                             [--script DIR] [estimate's options]\n"
		 "\n"
		 "Draw a chart with gnuplot.  KIND is one of:\n"
		 "  collapse  list price per million tokens over time, log scale, one step\n"
		 "            line per model family, price cuts marked, open prices drawn\n"
		 "            to --to (default today); the headline states the fall of the\n"
		 "            GPT-4-class price; the families that set it and each major\n"
		 "            maker's flagship and cheapest are coloured and named at their\n"
		 "            lines' ends, the others grey (--all: every family)\n"
		 "  frontier  the price of the cheapest model at or above a quality bar over\n"
		 "            time, with the models that set it and the least-squares trend\n"
		 "            of log price (\"\xc3\xb7N per year\"); by default four tiers (the\n"
		 "            Arena Elo of gpt-3.5-turbo-0125, gpt-4-0314, gpt-4o-2024-05-13\n"
		 "            and o3), one bar with --min-quality or --benchmark\n"
		 "  pareto    price against quality for the models available on one date\n"
		 "            (--at), the Pareto frontier (cheapest for its quality) named\n"
		 "  spend     the stored usage's spend per day (--monthly: per month), stacked\n"
		 "            by model (the 7 costliest apart), with the monthly budget as a\n"
		 "            line when one is set (a day's share of it on a daily chart);\n"
		 "            the budget of --project P (--user U) when given, else the one\n"
		 "            for all usage\n"
		 "  estimate  what a task costs on each model, as horizontal bars (log scale\n"
		 "            when the costs span over 30x), cheapest on top, each labelled\n"
		 "            with its cost; takes every option of `llmcost estimate` for\n"
		 "            one date (--at), where --output N is output tokens (use -o\n"
		 "            FILE for the chart)\n"
		 "\n"),
	OPT_TEXT("The options of each KIND: `llmcost help plot KIND`.\n"
		 "\n"),
	OPT_TEXT("spend, estimate and pareto come first, right after `plot`.  gnuplot is\n"
		 "found on PATH, or set LLMCOST_GNUPLOT to its path; it runs without a shell,\n"
		 "with -d (no ~/.gnuplot), under a timeout of LLMCOST_GNUPLOT_TIMEOUT seconds\n"
		 "(default 60), then it is killed.  Exit 1 when gnuplot is missing or fails (the\n"
		 "--script files are still written), 3 when there is no data to draw.\n"),
	OPT_END(),
};

static const struct cmd_sub subs[] = {
	{ "collapse", plot_chart },
	{ "frontier", plot_chart },
	{ "spend", plot_spend },
	{ "estimate", plot_estimate },
	{ "pareto", plot_pareto },
	{ NULL, NULL },
};
const struct cmd_subs plot_subs = { "chart", subs, plot_chart, help };

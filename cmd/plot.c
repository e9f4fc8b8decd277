/*
 * plot.c - `llmcost plot KIND`: charts drawn by gnuplot (report/gnuplot.c
 * runs it safely) to PNG, SVG or the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "cmd.h"
#include "collapse.h"
#include "report.h"

const char help_plot[] =
	"usage: llmcost plot KIND (-o FILE | --terminal) [--script DIR] [options]\n"
	"\n"
	"Draw a chart with gnuplot.  KIND is one of:\n"
	"  collapse  list price per million tokens over time, log scale, one step\n"
	"            line per model family coloured by provider, price cuts marked\n"
	"  frontier  the price of the cheapest model at or above a quality bar over\n"
	"            time (default: the original GPT-4's Arena Elo), with the\n"
	"            models that set it\n"
	"\n"
	"  -o FILE          write the chart to FILE: .png (pngcairo) or .svg, 1200x700;\n"
	"                   written whole or not at all\n"
	"  --terminal       draw it in the terminal (gnuplot's dumb terminal)\n"
	"  --script DIR     keep the gnuplot script KIND.gp and its .tsv data in DIR\n"
	"                   (redraw with: cd DIR && gnuplot -c KIND.gp OUT.png)\n"
	"  --price P        collapse: input (default), output or blended\n"
	"  --from DATE, --to DATE, --blend IN:OUT, --min-quality S|MODEL,\n"
	"  --benchmark NAME, --source NAME   as for `llmcost report collapse`\n"
	"\n"
	"gnuplot is found on PATH, or set LLMCOST_GNUPLOT to its path; it runs\n"
	"without a shell, with -d (no ~/.gnuplot), under a timeout of\n"
	"LLMCOST_GNUPLOT_TIMEOUT seconds (default 60), then it is killed.  Exit 1\n"
	"when gnuplot is missing or fails (the --script files are still written),\n"
	"3 when there is no data in the period.\n";

int cmd_plot(int argc, char **argv, struct cmd_ctx *ctx)
{
	enum { OPT_TERMINAL = OPT_FIRST_COMMAND_OPTION, OPT_SCRIPT, OPT_PRICE };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "terminal", no_argument, NULL, OPT_TERMINAL },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "price", required_argument, NULL, OPT_PRICE },
		REPORT_LONGOPTS,
		COMMON_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *out = NULL, *script = NULL, *kind;
	enum chart_price price = CHART_INPUT;
	int terminal = 0, ch, code = 0, r;
	struct collapse_opts o;
	struct collapse c;
	struct gp_chart g;
	struct lc_err err = { 0 };
	struct lc_db *db;

	report_collapse_defaults(&o);
	while ((ch = cmd_getopt(ctx, argc, argv, "ho:", longopts, &code)) != -1) {
		switch (ch) {
		case CMD_OPT_EXIT:
			return code;
		case 'o':
			out = optarg;
			break;
		case OPT_TERMINAL:
			terminal = 1;
			break;
		case OPT_SCRIPT:
			script = optarg;
			break;
		case OPT_PRICE:
			if (!strcmp(optarg, "input"))
				price = CHART_INPUT;
			else if (!strcmp(optarg, "output"))
				price = CHART_OUTPUT;
			else if (!strcmp(optarg, "blended"))
				price = CHART_BLENDED;
			else
				return cmd_usage(ctx, "--price: want input, output or blended, not '%s'",
						 optarg);
			break;
		default:
			if (report_collapse_option(ctx, ch, optarg, &o) < 0)
				return LC_EUSAGE;
		}
	}
	if (optind >= argc)
		return cmd_usage(ctx, "plot needs a KIND (collapse or frontier)");
	if (optind + 1 < argc)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
	kind = argv[optind];
	if (strcmp(kind, "collapse") && strcmp(kind, "frontier"))
		return cmd_usage(ctx, "unknown chart '%s' (want collapse or frontier)", kind);
	if (!out == !terminal)
		return cmd_usage(ctx, "plot needs exactly one of -o FILE and --terminal");
	if (report_collapse_check(ctx, &o))
		return LC_EUSAGE;
	/* refuse a bad target before any work (and long before gnuplot runs) */
	if (out && (out[0] == '|' || out[0] == '<'))
		return cmd_usage(ctx, "refusing output path '%s': a leading '%c' would run a command",
				 out, out[0]);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (collapse_build(db, &o, &c, &err)) {
		collapse_release(&c);
		return cmd_fail(&err);
	}
	if (!strcmp(kind, "collapse") ? c.nfam == 0 : c.nfrontier == 0) {
		fprintf(stderr, "llmcost: no data: no %s between %s and %s; nothing drawn\n",
			!strcmp(kind, "collapse") ? "price" : "model at or above the quality bar",
			o.from, o.to);
		collapse_release(&c);
		return LC_EDATA;
	}
	r = gp_chart_begin(&g, kind, out, script, &err);
	if (!r && terminal) {
		int w = table_term_width();
		const char *nc = getenv("NO_COLOR");

		g.width = w >= 60 ? w : 100;
		g.height = 32;
		g.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	}
	if (!r)
		r = !strcmp(kind, "collapse") ? chart_collapse(db, &c, price, &g, &err)
					      : chart_frontier(db, &c, &g, &err);
	if (!r)
		r = gp_chart_draw(&g, stdout, &err);
	if (r && script && g.keep)
		fprintf(stderr, "llmcost: the script and data are in '%s'\n", g.dir);
	gp_chart_end(&g);
	collapse_release(&c);
	if (r)
		return cmd_fail(&err);
	if (out)
		fprintf(stderr, "llmcost: wrote %s\n", out);
	return 0;
}

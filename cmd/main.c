/*
 * main.c - the command table and the dispatcher.
 *
 * `llmcost [--db PATH] COMMAND [options]`.  Global options may come before
 * the command; every command also accepts --db and the output-format options
 * itself.  The table is sorted by name; each entry carries the text of
 * `llmcost help NAME`, which the README repeats (a test checks they agree).
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "money.h"

static const struct command commands[] = {
	{ "budget", cmd_budget, "set monthly budgets and check spend against them", help_budget },
	{ "estimate", cmd_estimate, "what a task costs on every model, on any date", help_estimate },
	{ "help", cmd_help, "show help for a command", help_help },
	{ "ingest", cmd_ingest, "add a price sheet or usage logs to the store", help_ingest },
	{ "models", cmd_models, "list models with the prices in effect on a date", help_models },
	{ "plot", cmd_plot, "draw price charts with gnuplot (PNG, SVG, terminal)", help_plot },
	{ "price", cmd_price, "show one model's price, with every component and its source",
	  help_price },
	{ "report", cmd_report, "tables of the price collapse; the HTML report", help_report },
	{ "sources", cmd_sources, "list price sources and set which one wins", help_sources },
	{ "usage", cmd_usage_report, "spend reports over ingested usage logs, with what-if prices",
	  help_usage },
	{ NULL, NULL, NULL, NULL },
};

const struct command *cmd_all(void)
{
	return commands;
}

const struct command *cmd_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const char usage_text[] =
	"usage: llmcost [--db PATH] COMMAND [options]\n"
	"       llmcost help [COMMAND]\n"
	"       llmcost --version\n";

const char help_help[] =
	"usage: llmcost help [COMMAND]\n"
	"\n"
	"Show the commands, or the full help of one command (the same text as\n"
	"`llmcost COMMAND --help`).\n";

static void list_commands(FILE *out)
{
	fputs(usage_text, out);
	fputs("\ncommands:\n", out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fputs("\nglobal options:\n"
	      "  --db PATH   the database (default $LLMCOST_DB, else\n"
	      "              $XDG_DATA_HOME/llmcost/llmcost.db, else\n"
	      "              ~/.local/share/llmcost/llmcost.db)\n"
	      "  --json, --csv, --md   output format of listing commands\n"
	      "  -h, --help  help; --version  the version\n"
	      "\nexit codes: 0 ok, 1 runtime failure, 2 usage error, 3 bad input data,\n"
	      "4 network or fetch failure, 5 database failure, 6 over budget\n",
	      out);
}

int cmd_help(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option longopts[] = { COMMON_LONGOPTS, { 0, 0, 0, 0 } };
	int c, code;

	while ((c = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1)
		if (c == CMD_OPT_EXIT)
			return code;
	if (optind >= argc) {
		list_commands(stdout);
		return 0;
	}
	if (optind + 1 < argc)
		return cmd_usage(ctx, "help takes one command name");
	const struct command *cmd = cmd_find(argv[optind]);
	if (!cmd)
		return cmd_usage(ctx, "unknown command '%s'", argv[optind]);
	fputs(cmd->help, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	const struct command *cmd;
	int i, code;

	/* numbers in output, scripts and data always use '.' */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--version")) {
			printf("llmcost %s (built-in data %s)\n", LLMCOST_VERSION,
			       db_builtin_version());
			return cmd_finish_output(0);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			list_commands(stdout);
			return cmd_finish_output(0);
		} else if (!strcmp(a, "--db") && i + 1 < argc) {
			ctx.db_path = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			ctx.db_path = a + 5;
		} else {
			cmd_errorf("unknown option '%s'", a);
			fputs(usage_text, stderr);
			return LC_EUSAGE;
		}
	}
	if (i >= argc) {
		list_commands(stderr);
		return LC_EUSAGE;
	}
	cmd = cmd_find(argv[i]);
	if (!cmd) {
		cmd_errorf("unknown command '%s'; see 'llmcost help'", argv[i]);
		return LC_EUSAGE;
	}
	ctx.name = cmd->name;
	code = cmd->fn(argc - i, argv + i, &ctx);
	db_close(ctx.db);
	return cmd_finish_output(code);
}

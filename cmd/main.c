/*
 * main.c - the command table and the dispatcher.
 *
 * `llmcost [--db PATH] COMMAND [options]`.  Global options may come before
 * the command; every command also accepts --db and the output-format options
 * itself.  The table is sorted by name; each entry carries the text of
 * `llmcost help NAME`, which the README repeats (a test checks they agree).
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "date.h"
#include "money.h"

static const struct command commands[] = {
	{ "budget", cmd_budget, "set monthly budgets and check spend against them", help_budget, "set status" },
	{ "estimate", cmd_estimate, "what a task costs on every model, on any date", help_estimate, "" },
	{ "help", cmd_help, "show help for a command", help_help, "" },
	{ "ingest", cmd_ingest, "add a price sheet or usage logs to the store", help_ingest, "prices usage" },
	{ "models", cmd_models, "list models with the prices in effect on a date", help_models, "" },
	{ "plot", cmd_plot, "draw price charts with gnuplot (PNG, SVG, terminal)", help_plot, "collapse frontier spend estimate" },
	{ "price", cmd_price, "show one model's price, with every component and its source",
	  help_price, "" },
	{ "report", cmd_report, "tables of the price collapse and of quality scores; the HTML report", help_report, "collapse html quality" },
	{ "sources", cmd_sources, "list price sources and set which one wins", help_sources, "priority" },
	{ "update", cmd_update, "refresh every price source (conditional, one line each)",
	  help_update, "" },
	{ "usage", cmd_usage_report, "spend reports over ingested usage logs, with what-if prices",
	  help_usage, "daily weekly monthly session project model" },
	{ NULL, NULL, NULL, NULL, NULL },
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
	"       llmcost help [COMMAND [SUBCOMMAND]]\n"
	"       llmcost --version\n";

const char help_help[] =
	"usage: llmcost help [COMMAND [SUBCOMMAND]]\n"
	"\n"
	"Show the commands, or the full help of one command (the same text as\n"
	"`llmcost COMMAND --help`); `llmcost help ingest prices` and `llmcost\n"
	"help ingest usage` show those subcommands' own help.\n";

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
	      "  -h, --help  help; --version  the version and the date the built-in\n"
	      "              prices are current to\n"
	      "\nexit codes: 0 ok, 1 runtime failure, 2 usage error, 3 bad input data,\n"
	      "4 network or fetch failure, 5 database failure, 6 over budget\n",
	      out);
}

/* Subcommands with a help text of their own; the others are in their command's. */
static const struct {
	const char *cmd, *sub, *help;
} sub_helps[] = {
	{ "ingest", "prices", help_ingest_prices },
	{ "ingest", "usage", help_ingest_usage },
};

/* The help of `help CMD SUB`, or NULL when SUB is none of cmd's subcommands. */
static const char *sub_help(const struct command *cmd, const char *sub)
{
	size_t n = strlen(sub);

	for (size_t i = 0; i < sizeof(sub_helps) / sizeof(sub_helps[0]); i++)
		if (!strcmp(sub_helps[i].cmd, cmd->name) && !strcmp(sub_helps[i].sub, sub))
			return sub_helps[i].help;
	for (const char *w = cmd->subs; n && (w = strstr(w, sub)); w += n)
		if ((w == cmd->subs || w[-1] == ' ') && (w[n] == ' ' || !w[n]))
			return cmd->help;
	return NULL;
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
	if (optind + 2 < argc)
		return cmd_usage(ctx, "help takes a command and at most one subcommand");
	const struct command *cmd = cmd_find(argv[optind]);
	if (!cmd)
		return cmd_usage(ctx, "unknown command '%s'", argv[optind]);
	if (optind + 1 == argc) {
		fputs(cmd->help, stdout);
		return 0;
	}
	const char *help = sub_help(cmd, argv[optind + 1]);
	if (!help)
		return cmd_usage(ctx, "'%s' has no subcommand '%s'%s%s", cmd->name,
				 argv[optind + 1], *cmd->subs ? "; it has: " : "", cmd->subs);
	fputs(help, stdout);
	return 0;
}

/*
 * A standard stream the caller closed (`llmcost models >&-`, cron's `2>&-`)
 * leaves its descriptor free, and the next open() takes it: the store's
 * lock or SQLite's own file would become "standard output", and a table or
 * a warning would be written over the database.  Each closed one of 0, 1
 * and 2 is given /dev/null opened the wrong way round, so that no file of
 * ours can ever be 0, 1 or 2 and using the stream still fails as it would
 * closed: output then ends in "cannot write to standard output" (exit 1).
 * Returns -1 when that cannot be done (no /dev/null); nothing is opened then.
 */
static int guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (nfd < 0)
			return -1;
		if (nfd != fd) { /* only when a lower one was closed meanwhile */
			int r = dup2(nfd, fd);

			close(nfd);
			if (r != fd)
				return -1;
		}
	}
	return 0;
}

/* `--db` with its value: 1 taken (i advanced past it), 0 not --db, -1 no value (printed) */
static int global_db_option(int argc, char **argv, int *i, struct cmd_ctx *ctx)
{
	const char *a = argv[*i];

	if (!strncmp(a, "--db=", 5)) {
		ctx->db_path = a + 5;
		return 1;
	}
	if (strcmp(a, "--db"))
		return 0;
	if (*i + 1 >= argc) {
		cmd_errorf("option '--db' needs a value");
		fputs(usage_text, stderr);
		return -1;
	}
	ctx->db_path = argv[++*i];
	return 1;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	const struct command *cmd;
	int i, code;

	if (guard_std_fds())
		return LC_ERUNTIME;
	/* numbers in output, scripts and data always use '.' */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--version")) {
			printf("llmcost %s, built-in prices current to %s (built-in data %s)\n",
			       LLMCOST_VERSION,
			       db_builtin_data_date()[0] ? db_builtin_data_date() : "an unknown date",
			       db_builtin_version());
			return cmd_finish_output(0);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			list_commands(stdout);
			return cmd_finish_output(0);
		} else if ((code = global_db_option(argc, argv, &i, &ctx)) != 0) {
			if (code < 0)
				return LC_EUSAGE;
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

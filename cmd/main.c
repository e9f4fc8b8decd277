/*
 * main.c - the command table and the dispatcher.
 *
 * `llmcost [--db PATH] COMMAND [options]`.  Global options may come before
 * the command; every command also accepts --db and the output-format options
 * itself.  The table is sorted by name; a command with subcommands is
 * run by cmd_dispatch.  `llmcost help NAME [SUB]` runs `NAME [SUB] --help`,
 * so the help is the command's own options table; the README repeats it
 * (t_readme checks they agree).
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
	{ "budget", NULL, "set monthly budgets and check spend against them", &budget_subs },
	{ "estimate", cmd_estimate, "what a task costs on every model, on any date", NULL },
	{ "help", cmd_help, "show help for a command", NULL },
	{ "ingest", NULL, "add a price sheet or usage logs to the store", &ingest_subs },
	{ "migrate", cmd_migrate, "copy usage and prices between stores (SQLite, PostgreSQL)", NULL },
	{ "models", cmd_models, "list models with the prices in effect on a date", NULL },
	{ "plans", cmd_plans, "subscription plans and their monthly prices, with sources", NULL },
	{ "plot", NULL, "draw price charts with gnuplot (PNG, SVG, terminal)", &plot_subs },
	{ "price", cmd_price, "show one model's price, with every component and its source", NULL },
	{ "report", NULL, "tables of the price collapse and of quality scores; the HTML report", &report_subs },
	{ "sources", NULL, "list price sources and set which one wins", &sources_subs },
	{ "statusline", cmd_statusline, "one line for Claude Code's status line: session, today, block", NULL },
	{ "tokens", cmd_tokens, "count the tokens of files as each model (tokenizer) does", NULL },
	{ "update", cmd_update, "refresh every price source (conditional, one line each)", NULL },
	{ "usage", NULL, "spend reports over ingested usage logs, with what-if prices", &usage_subs },
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
	"       llmcost help [COMMAND [SUBCOMMAND]]\n"
	"       llmcost --version\n";

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
	      "  --wide      tables as wide as their contents, not fitted to the terminal\n"
	      "  -h, --help  help; --version  the version and the date the built-in\n"
	      "              prices are current to\n"
	      "\nexit codes: 0 ok, 1 runtime failure, 2 usage error, 3 bad input data,\n"
	      "4 network or fetch failure, 5 database failure, 6 over budget\n",
	      out);
}

/* Run command cmd on argv (argv[0] its name): its subcommands, or its fn. */
static int run(const struct command *cmd, int argc, char **argv, struct cmd_ctx *ctx)
{
	return cmd->subs ? cmd_dispatch(ctx, argc, argv, cmd->subs) : cmd->fn(argc, argv, ctx);
}

int cmd_help(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct opt opts[] = {
		OPT_TEXT("usage: llmcost help [COMMAND [SUBCOMMAND]]\n"
			 "\n"
			 "Show the commands, or the full help of one command (the same text as\n"
			 "`llmcost COMMAND --help`); `llmcost help COMMAND SUBCOMMAND` shows a\n"
			 "subcommand's own help (the same text as `llmcost COMMAND SUBCOMMAND\n"
			 "--help`), such as `llmcost help ingest prices`.\n"),
		OPT_END(),
	};
	const struct command *cmd;
	char *args[4];
	int code;

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc < 2) {
		list_commands(stdout);
		return 0;
	}
	if (argc > 3)
		return cmd_usage(ctx, "help takes a command and at most one subcommand");
	if (!(cmd = cmd_find(argv[1])))
		return cmd_usage(ctx, "unknown command '%s'", argv[1]);
	if (argc == 3) {
		const struct cmd_sub *sub = cmd->subs ? cmd->subs->v : NULL;
		char names[256] = "";

		while (sub && sub->name && strcmp(sub->name, argv[2]))
			sub++;
		if (!sub || !sub->name) {
			for (sub = cmd->subs ? cmd->subs->v : NULL; sub && sub->name; sub++) {
				size_t len = strlen(names);

				snprintf(names + len, sizeof(names) - len, "%s%s", len ? " " : "",
					 sub->name);
			}
			return cmd_usage(ctx, "'%s' has no subcommand '%s'%s%s", cmd->name, argv[2],
					 names[0] ? "; it has: " : "", names);
		}
	}
	/* the help is the command's own: `help CMD [SUB]` is `CMD [SUB] --help` */
	args[0] = argv[1];
	args[1] = argc == 3 ? argv[2] : "--help";
	args[2] = argc == 3 ? "--help" : NULL;
	args[3] = NULL;
	ctx->name = cmd->name;
	return run(cmd, argc == 3 ? 3 : 2, args, ctx);
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
	code = run(cmd, argc - i, argv + i, &ctx);
	db_close(ctx.db);
	return cmd_finish_output(code);
}

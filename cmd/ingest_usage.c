/*
 * ingest_usage.c - `llmcost ingest usage [PATH...]`: read coding-agent logs,
 * API response logs, llm's logs.db and usage CSV files into the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "usage.h"

#define SHOW_FIRST 5


struct ui {
	int verbose;
	int shown;
	int tty;
	int progress_shown;
};

static void on_report(void *ctx, int warning, const char *path, int64_t line, const char *msg)
{
	struct ui *u = ctx;

	/* messages about whole files (errors, skipped paths, re-reads) are
	   always shown; bad lines and their warnings only the first few */
	if (!u->verbose && line > 0 && (warning || u->shown >= SHOW_FIRST)) {
		if (!warning)
			u->shown++;
		return;
	}
	if (!warning && line > 0)
		u->shown++;
	if (u->progress_shown) {
		fputs("\r\033[K", stderr);
		u->progress_shown = 0;
	}
	if (line > 0)
		esc_printf(stderr, "llmcost: %s: '%s' line %lld: %s\n", warning ? "warning" : "rejected",
			path, (long long)line, msg);
	else if (line < 0) /* the message names the file */
		esc_printf(stderr, "llmcost: %s: %s\n", warning ? "note" : "error", msg);
	else
		esc_printf(stderr, "llmcost: %s: '%s': %s\n", warning ? "note" : "error", path, msg);
}

static void on_progress(void *ctx, const struct usage_stats *st, const char *path)
{
	struct ui *u = ctx;
	const char *b = strrchr(path, '/');

	if (!u->tty)
		return;
	esc_printf(stderr, "\r\033[K%lld files, %lld MB, %lld records: %.50s",
		(long long)st->files, (long long)(st->bytes >> 20), (long long)st->accepted,
		b ? b + 1 : path);
	u->progress_shown = 1;
}

/* --format F: a usage-log format (o->dst: its enum value) */
static int format_option(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	int f = usage_format_parse(v);

	if (f < 0)
		return cmd_usage(ctx, "--format: unknown format '%s'", v);
	*(int *)o->dst = f;
	return 0;
}

/* --project NAME: kept whole in every record, so checked before anything is read */
static int project_option(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	struct lc_err err = { 0 };

	if (usage_name(v, LC_NAME_MAX, "--project", &err))
		return cmd_usage(ctx, "%s", err.msg);
	*(const char **)o->dst = v;
	return 0;
}

int cmd_ingest_usage(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct usage_opts o = { 0 };
	struct usage_stats st = { 0 };
	struct lc_err err = { 0 };
	struct ui u = { 0 };
	struct lc_db *db;
	int code = 0, rc = 0;
	const char *user = NULL;
	char ident[LC_USER_MAX];
	const char *chunk = getenv("LLMCOST_INGEST_CHUNK");
	const char *threads = getenv("LLMCOST_INGEST_THREADS");
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost ingest usage [PATH...] [--format F] [--project NAME] [--strict]\n"
			 "                            [--user NAME] [--verbose]\n"
			 "\n"
			 "Read usage logs into the store, once: a re-run reads only what was appended,\n"
			 "and a record already stored (by its natural key) is never counted twice.\n"
			 "PATH is a file or a folder (read recursively).  Without PATH: Claude Code's\n"
			 "logs (CLAUDE_CONFIG_DIR, a comma list, else ~/.claude/projects and\n"
			 "~/.config/claude/projects), Codex's (${CODEX_HOME:-~/.codex}/sessions and\n"
			 "archived_sessions), Gemini CLI's (${GEMINI_DATA_DIR:-~/.gemini/tmp}/*/chats),\n"
			 "Qwen Code's (${QWEN_DATA_DIR:-~/.qwen}/projects/*/chats), OpenCode's\n"
			 "(${OPENCODE_DATA_DIR:-~/.local/share/opencode}/opencode*.db, then\n"
			 "storage/message), Amp's\n"
			 "(${AMP_DATA_DIR:-~/.local/share/amp}/threads) and GitHub Copilot CLI's\n"
			 "OpenTelemetry export (${COPILOT_HOME:-~/.copilot}/otel and the file\n"
			 "COPILOT_OTEL_FILE_EXPORTER_PATH names); the agents' variables take a comma\n"
			 "list, and XDG_DATA_HOME moves ~/.local/share.\n"
			 "\n"),
		OPT_CALLBACK("format", &o.format, "F", format_option,
			     "auto (default: by path and content), claude-code, codex,\n"
			     "gemini-cli, qwen-code, opencode, amp, copilot, openai,\n"
			     "anthropic, gemini, llm (a logs.db), csv"),
		OPT_CALLBACK("project", &o.project, "NAME", project_option,
			     "file every record under project NAME"),
		OPT_CALLBACK("user", &user, "NAME", cmd_opt_user,
			     "file every record under user NAME (default:\n"
			     "$LLMCOST_USER, else USER@HOST)"),
		OPT_FLAG("strict", 0, &o.strict,
			 "stop at the first bad line (exit 3); by default bad lines\n"
			 "are counted, the first few shown, and the run goes on"),
		OPT_FLAG("verbose", 'v', &u.verbose, "show every bad line and warning"),
		OPT_TEXT("\n"
			 "A last line without a newline is read once complete (one whole JSON value in\n"
			 "an API response log; in agent logs and CSV once the file is quiet: unchanged\n"
			 "since the run that deferred it, or not modified for a minute), else left for\n"
			 "the next run (\"deferred\").  Links are followed, each real file is read once,\n"
			 "the store itself never; every path passed over is named with its reason.\n"
			 "Records of models without a price are kept and listed as unpriced.  Exit 0,\n"
			 "or 3 when a file or folder could not be read (or with --strict, a line was\n"
			 "bad), 5 on a database failure.\n"),
		OPT_END(),
	};

	ctx->name = "ingest";
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (chunk && *chunk)
		o.chunk = strtoll(chunk, NULL, 10); /* tests: small transactions */
	/* parse on a second thread when there is a second CPU;
	   LLMCOST_INGEST_THREADS=0 keeps to one (tests compare the two) */
	o.threads = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	if (threads && *threads)
		o.threads = strcmp(threads, "0") != 0;
	u.tty = isatty(2);
	o.report = on_report;
	o.progress = on_progress;
	o.ctx = &u;
	if ((code = cmd_user_identity(user, ident)) != 0)
		return code;
	o.user = ident;
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (argc < 2) {
		rc = usage_ingest_defaults(db, &o, &st, &err);
		if (rc == 0 && st.files == 0)
			fprintf(stderr, "llmcost: no Claude Code or Codex logs found in the default "
					"locations; give a PATH\n");
	} else {
		for (int i = 1; i < argc && rc >= 0; i++)
			rc = usage_ingest_path(db, argv[i], &o, &st, &err);
	}
	if (u.progress_shown)
		fputs("\r\033[K", stderr);
	if (!u.verbose && u.shown > SHOW_FIRST)
		fprintf(stderr, "llmcost: %d more bad lines not shown (--verbose shows all)\n",
			u.shown - SHOW_FIRST);
	printf("%lld files: %lld accepted, %lld duplicates, %lld rejected, %lld unpriced, "
	       "%lld deferred\n",
	       (long long)st.files, (long long)st.accepted, (long long)st.duplicates,
	       (long long)st.rejected, (long long)st.unpriced, (long long)st.deferred);
	for (int i = 0; i < st.nunp; i++)
		esc_printf(stdout, "unpriced: %s (%lld records, %s)\n", st.unp[i].name, (long long)st.unp[i].n,
		       st.unp[i].reason);
	if (st.nunp)
		puts(UNPRICED_HINT);
	{
		long long unknown = 0;

		for (int i = 0; i < st.nunp; i++)
			unknown += !strcmp(st.unp[i].reason, "unknown model");
		cmd_note_stale_data(db, unknown);
	}
	if (rc < 0)
		return cmd_fail(&err);
	if (st.file_errors)
		return LC_EDATA;
	return 0;
}

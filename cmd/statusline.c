/*
 * statusline.c - `llmcost statusline`: one line for Claude Code's
 * statusLine hook.  Claude Code runs the command after every message with
 * a JSON object on standard input (ingest/usage_hook.h); llmcost reads the
 * transcript it names (only what was appended since the last run: the
 * usage engine's resume point), then answers from the store: this
 * session's cost, today's, and the active 5-hour block's with its time left
 * and burn rate.  Every query reads the rollup's primary key or the newest
 * records only, so the line comes in milliseconds on a big store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "usage.h"
#include "usage_blocks.h"
#include "usage_hook.h"
#include "usage_price.h"

#define HOOK_MAX (1 << 20)

/* The engine's messages about the transcript are not for the status line. */
static void quiet(void *ctx, int warning, const char *path, int64_t line, const char *msg)
{
}

/* Read standard input whole, up to HOOK_MAX bytes: its length, or -1. */
static long read_stdin(char *buf, size_t cap)
{
	size_t n = 0;

	while (n < cap) {
		ssize_t r = read(0, buf + n, cap - n);

		if (r < 0)
			return -1;
		if (r == 0)
			return (long)n;
		n += (size_t)r;
	}
	return -1;
}

/* The cost of the usage o selects (a session, a day): *cost, 0 or -1. */
static int spend(struct lc_db *db, struct usage_report_opts *o, lc_i128 *cost,
		 struct lc_err *err)
{
	struct usage_report r;

	o->price = usage_row_price;
	o->group = UG_MODEL;
	if (usage_report_run(db, o, &r, err))
		return -1;
	*cost = r.total.cost;
	usage_report_release(&r);
	return 0;
}

static void print_line(const struct usage_hook *h, lc_i128 session, lc_i128 today,
		       const struct usage_block *b, int active, lc_ms now)
{
	const char *model = h->model_name[0] ? h->model_name : h->model_id[0] ? h->model_id : "?";
	char s[64], d[64], c[64];

	esc_printf(stdout, "%s | session %s | today %s", model,
		   money_format_usd(s, sizeof(s), session), money_format_usd(d, sizeof(d), today));
	if (active) {
		struct block_pace p;

		usage_block_pace(b, now, &p);
		printf(" | block %s (%lldh %02lldm left)", money_format_usd(c, sizeof(c), b->cost),
		       (long long)(p.minutes_left / 60), (long long)(p.minutes_left % 60));
		if (p.has_rate)
			printf(" | %s/h", money_format_usd(c, sizeof(c), p.cost_per_hour));
	} else {
		fputs(" | no active block", stdout);
	}
	putchar('\n');
}

/* Read the transcript's new lines (a missing or unreadable one is skipped). */
static int ingest_transcript(struct lc_db *db, const char *path, const char *user,
			     struct lc_err *err)
{
	struct usage_opts uo = { 0 };
	struct usage_stats st = { 0 };

	if (!path[0] || access(path, R_OK))
		return 0;
	uo.report = quiet;
	uo.user = user;
	return usage_ingest_path(db, path, &uo, &st, err) < 0 ? -1 : 0;
}

int cmd_statusline(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct usage_report_opts o;
	struct usage_hook h;
	struct usage_block b;
	struct lc_err err = { 0 };
	struct lc_db *db;
	lc_i128 session = 0, today = 0;
	lc_ms now;
	long n;
	char *buf;
	int code = 0, active;
	const char *tz = NULL, *user = NULL;
	char zone[256], ident[LC_USER_MAX];
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost statusline [--tz ZONE] [--user NAME] < HOOK-JSON\n"
			 "\n"
			 "One line for Claude Code's statusLine hook: the model, this session's cost,\n"
			 "today's, and the active 5-hour block's (see `llmcost usage blocks`) with its\n"
			 "time left and burn rate.  Reads the hook's JSON on standard input\n"
			 "(session_id, transcript_path, model.display_name), first stores what was\n"
			 "appended to the transcript since the last run, then answers from the store.\n"
			 "\n"),
		OPT_CALLBACK("tz", &tz, "ZONE", cmd_opt_tz,
			     "today in ZONE (e.g. Europe/Berlin); default: $TZ,\n"
			     "else the system's zone"),
		OPT_CALLBACK("user", &user, "NAME", cmd_opt_user,
			     "file the transcript's records under user NAME\n"
			     "(default: $LLMCOST_USER, else USER@HOST)"),
		OPT_TEXT("\n"
			 "Exit 0; 2 when standard input is a terminal or an option is bad; 3 when\n"
			 "it is empty or not the hook's JSON object; 5 on a database failure.\n"),
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (isatty(0))
		return cmd_usage(ctx, "statusline reads Claude Code's hook JSON on standard input");
	if ((code = cmd_user_identity(user, ident)) != 0)
		return code;
	buf = xmalloc(HOOK_MAX);
	n = read_stdin(buf, HOOK_MAX);
	if (n < 0) {
		free(buf);
		cmd_errorf("cannot read the hook JSON on standard input (over 1 MiB, or a read "
			   "error)");
		return LC_EDATA;
	}
	code = usage_hook_parse(buf, (size_t)n, &h, &err);
	free(buf);
	if (code)
		return cmd_fail(&err);
	if (!(db = cmd_db(ctx, &code)))
		return code;
	if (ingest_transcript(db, h.transcript_path, ident, &err))
		return cmd_fail(&err);
	now = lc_now();
	memset(&o, 0, sizeof(o));
	o.tz = tz = cmd_report_zone(tz, zone, sizeof(zone));
	if (h.session_id[0]) {
		int64_t first;

		o.session = h.session_id;
		/* from the session's first message: the rollup's buckets since then */
		if (h.transcript_path[0] && usage_hook_first_time(h.transcript_path, &first))
			o.since_ms = first;
		if (spend(db, &o, &session, &err))
			return cmd_fail(&err);
		o.session = NULL;
		o.since_ms = 0;
	}
	if (ts_date_in_zone(now, tz, &o.since, &err))
		return cmd_fail(&err);
	o.until = o.since;
	o.has_since = o.has_until = 1;
	if (spend(db, &o, &today, &err))
		return cmd_fail(&err);
	memset(&o, 0, sizeof(o));
	o.price = usage_row_price;
	if ((active = usage_block_active(db, &o, now, &b, &err)) < 0)
		return cmd_fail(&err);
	print_line(&h, session, today, &b, active, now);
	return 0;
}

/*
 * cmd.h - what every command shares: the command table entry, the context
 * with global options, common option parsing and error printing.
 *
 * A command parses argv into its own options struct first, then calls into
 * pricing/, ingest/ or report/ (through lib/), prints, and returns an exit
 * code from enum lc_exit.  Commands are the only code that prints errors.
 */
#ifndef LC_CMD_H
#define LC_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "db.h"
#include "err.h"
#include "estimate.h"
#include "opt.h"
#include "table.h"
#include "user.h"

#define LLMCOST_VERSION "0.1.0"

struct cmd_ctx {
	const char *db_path;  /* --db, else NULL (the default path) */
	struct lc_db *db;     /* opened on first use by cmd_db() */
	enum lc_format fmt;   /* --json/--csv/--md */
	const char *name;     /* the running command's name, for messages */
	int wide;             /* --wide: tables as wide as they are, not fitted */
};

/*
 * A command's subcommands, dispatched by cmd_dispatch (one dispatcher for
 * every command that has them): argv[1] names the subcommand, whose fn runs
 * with argv[0] = its name.  The command's help is its own table (prose);
 * each subcommand's help is its fn's options table (`help CMD SUB` runs
 * `CMD SUB --help`).
 */
struct cmd_sub {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_ctx *ctx);
};
struct cmd_subs {
	const char *what;        /* "unknown <what> 'x' (want a, b or c)" */
	const struct cmd_sub *v; /* ending with { NULL, NULL } */
	/* run when argv[1] is missing or no subcommand's name (argv as given);
	   NULL: a missing one prints the help on stderr (exit 2), another is unknown */
	int (*other)(int argc, char **argv, struct cmd_ctx *ctx);
	/* the command's own help (OPT_TEXT entries); NULL: other's (`CMD --help`
	   runs other) */
	const struct opt *help;
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_ctx *ctx); /* NULL: subs only */
	const char *summary;
	const struct cmd_subs *subs; /* NULL: no subcommands */
};

/*
 * Run the subcommand argv[1] names (see struct cmd_subs); `CMD -h` and
 * `CMD --help` print the command's help (exit 0).  Returns the exit code.
 */
int cmd_dispatch(struct cmd_ctx *ctx, int argc, char **argv, const struct cmd_subs *s);

/* --tz ZONE (an OPT_CALLBACK; o->dst a const char *): a zone name ts_date_in_zone knows. */
int cmd_opt_tz(struct cmd_ctx *ctx, const struct opt *o, const char *v);
/* --user NAME (an OPT_CALLBACK; o->dst a const char *): a name lc_user_check takes
   (lib/user.h), else exit 2 naming --user. */
int cmd_opt_user(struct cmd_ctx *ctx, const struct opt *o, const char *v);
/* --user U of a report names what no usage has: exit 3 with the near names
   (printed); 0 when some record has user U (cmd/usage.c). */
int cmd_user_known(struct lc_db *db, const char *user);
/*
 * Who the records ingested now are filed under into out: user (--user)
 * when given, else $LLMCOST_USER, else USER@HOST (lc_user_identity).
 * 0, or the exit code (2) after printing the error.
 */
int cmd_user_identity(const char *user, char out[LC_USER_MAX]);
/*
 * The zone of a report into buf (>= 256 bytes): tz (its --tz) when given,
 * else $TZ or the system zone (zone_local, lib/date.h), with a note on
 * standard error when that had to fall back to UTC.  Returns buf.
 */
const char *cmd_report_zone(const char *tz, char *buf, size_t n);
/*
 * Resolve a --since/--until bound (an OPTK_DAY value) against today in
 * zone: 0 with *out set and *has 1, 0 with *has 0 when it was not given,
 * or the exit code after printing the error.
 */
int cmd_day_bound(const struct day_spec *d, const char *zone, int *has, lc_date *out);

/* Open the store on first use; NULL after printing the error (exit code in *code). */
struct lc_db *cmd_db(struct cmd_ctx *ctx, int *code);
/*
 * cmd_db, then check that the price source a --source option named exists
 * (source may be NULL): an unknown name is exit 3 with the known names.
 */
struct lc_db *cmd_db_source(struct cmd_ctx *ctx, const char *source, int *code);

/* Print "llmcost: error: <msg>" and return err->code. */
int cmd_fail(const struct lc_err *err);
/* Print "llmcost: error: <fmt>" and "see 'llmcost help CMD'"; returns LC_EUSAGE. */
int cmd_usage(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "llmcost: error: <fmt>" (control characters and invalid UTF-8 escaped as \xNN). */
void cmd_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "llmcost: warning: <fmt>". */
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse --at style dates: YYYY-MM-DD or "today"; writes YYYY-MM-DD into out[11]. */
int cmd_parse_date(struct cmd_ctx *ctx, const char *opt, const char *text, char out[11]);
/* Parse a non-negative integer option (tokens, counts); LC_EUSAGE on failure. */
int cmd_parse_count(struct cmd_ctx *ctx, const char *opt, const char *text, int64_t *out);

/* A price per 1M tokens for text output: "2.50", "0.0375", "30.00"; "-" for LC_NONE. */
char *cmd_price_text(char *buf, size_t n, int64_t nanos);
/* The same as an exact JSON number, or "null" for LC_NONE. */
char *cmd_price_json(char *buf, size_t n, int64_t nanos);
/* The same as a plain exact decimal with at least two decimals and no
   thousands separators ("2.50", "1250.00"): a CSV cell, and a TABLE_PRICE
   cell that text shows by money_format_price. */
char *cmd_price_plain(char *buf, size_t n, int64_t nanos);

/* Fetch progress and retries on standard error (ctx: the URL); shared by
   `ingest prices` and `update` (cmd/ingest_prices.c). */
void cmd_fetch_progress(void *ctx, int64_t got, int64_t total);
void cmd_fetch_retrying(void *ctx, const char *why, long wait_ms);

/* Days after which the price data counts as old (the unknown-models note). */
#define STALE_DATA_DAYS 60

/*
 * When `unknown` models were met that the store does not know and its
 * prices are current to a date more than STALE_DATA_DAYS before today (by
 * $LLMCOST_NOW when set), say so on standard error, once per run, naming
 * `llmcost update`.  Never fails the command.
 */
void cmd_note_stale_data(struct lc_db *db, long long unknown);

/* The line after a report's list of unpriced models. */
#define UNPRICED_HINT \
	"hint: 'llmcost update' fetches the current price sheets, which may price these"

/* The width text tables fit (table_print): the terminal's, 0 (no limit)
   with --wide or for another format than text. */
int cmd_table_width(const struct cmd_ctx *ctx);

/*
 * The sentences around a table, wrapped to the width it fits: write them to
 * cmd_wrap_begin's stream (stdout itself when width is 0), each line ending
 * in a newline; cmd_wrap_end prints each line wrapped (table_wrap).
 */
struct cmd_wrap {
	FILE *f;
	char *buf;
	size_t len;
	int width;
};
FILE *cmd_wrap_begin(struct cmd_wrap *w, int width);
void cmd_wrap_end(struct cmd_wrap *w);

/* Finish output: flush stdout and turn a write error into exit 1. */
int cmd_finish_output(int code);

/*
 * The options of `llmcost estimate` (cmd/estimate.c), shared with `llmcost
 * plot estimate`: one parser, one engine.
 */
struct estimate_args {
	struct lc_profile cli;     /* the task options given on the command line */
	struct lc_profile profile; /* built: preset < --profile < --prompt-file < options */
	const char *task, *profile_file, *prompt_file, *provider, *source, *min_quality;
	int64_t max_cost;          /* nano-USD, LC_NONE */
	int list_tasks, all_hosts, series;
	int include_retired;       /* also models retired on the date (marked) */
	char at[11], from[11], to[11];
	enum lc_step step;
	int64_t prompt_bytes;
	char **models;             /* the MODEL arguments (in argv) */
	int nmodels;
};
/*
 * Parse estimate's options from argv into *a, building the profile; with
 * `caller` (plot estimate's table: its help and its own options) those too,
 * the help then being the caller's.  Returns 1 to go on, or 0 to stop with
 * exit code *code (help or --list-tasks printed: 0; a usage or data error
 * printed: 2 or 3).
 */
int estimate_parse_args(struct cmd_ctx *ctx, int argc, char **argv, const struct opt *caller,
			struct estimate_args *a, int *code);
/*
 * The ranked estimates of a->profile on a->at, on every model (or the
 * models named), filtered by provider, source, --min-quality, --max-cost.
 * Returns 0 (free out with ranking_release) or -1 with err (LC_EDATA when no
 * model is priced on the date).
 */
int estimate_rank_at(struct lc_db *db, const struct estimate_args *a, struct lc_ranking *out,
		     struct lc_err *err);
/*
 * On stderr, "llmcost: N offerings skipped: no token prices (embeddings 12,
 * ...)" when counts (LC_SKIP_N of them) has any; nothing otherwise.
 */
void estimate_note_skipped(const size_t *counts);

/* The command table (main.c). */
const struct command *cmd_find(const char *name);
const struct command *cmd_all(void);

/* Commands. */
int cmd_help(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_models(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_price(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_estimate(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_tokens(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_update(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_ingest_prices(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_ingest_usage(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_plans(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_migrate(int argc, char **argv, struct cmd_ctx *ctx);
/* The values of --cost-mode (cmd/usage.c; enum usage_cost_mode). */
extern const struct opt_choice cmd_cost_modes[];
/* Commands with subcommands. */
extern const struct cmd_subs budget_subs, ingest_subs, plot_subs, report_subs, sources_subs,
	usage_subs;

/* `llmcost usage blocks` (cmd/usage_blocks.c), a subcommand of usage */
int cmd_usage_blocks(int argc, char **argv, struct cmd_ctx *ctx);
/* `llmcost statusline` (cmd/statusline.c) */
int cmd_statusline(int argc, char **argv, struct cmd_ctx *ctx);

#endif

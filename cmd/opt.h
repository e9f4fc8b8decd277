/*
 * opt.h - command-line options declared as tables (after git's
 * parse-options): one table per command gives the parser, the option part of
 * `llmcost help CMD`, and the list `--list-options` prints.
 *
 * A table is an array of struct opt ending with OPT_END(), built where the
 * command's variables live, so each entry points at its destination.  The
 * parser checks a value by its kind (a date, an amount of money, one of
 * some choices, a whole number in a range) before it stores it, and a bad
 * value is a usage error (exit 2) named after the option:
 *
 *   --at: malformed date '2024-02-30' (want YYYY-MM-DD)
 *   --step: want month, week or day, not 'year'
 *
 * The syntax, decided here once for every command:
 *   --name VALUE and --name=VALUE; a value is taken as given, so
 *   `--input -5` is --input with the value -5 (then refused by its kind).
 *   -x VALUE and -xVALUE for options with a short letter; flags bundle (-vh).
 *   Long names are never abbreviated: --prov is an unknown option (an
 *   abbreviation that works today would break when an option is added).
 *   `--` ends the options; `-` and words starting with "-" and a digit
 *   (`-5`) are arguments, not options.
 *   Options and arguments mix in any order; the arguments keep their order.
 *   Every command also takes --db PATH, --json, --csv, --md (struct
 *   cmd_ctx), -h/--help (print the help, exit 0) and --list-options (print
 *   the table's long names, one a line, hidden ones marked; for tests and
 *   shell completion).
 */
#ifndef LC_CMD_OPT_H
#define LC_CMD_OPT_H

#include <stdint.h>
#include <stdio.h>

#include "table.h"

struct cmd_ctx;
struct opt;

enum opt_kind {
	OPTK_END = 0,
	OPTK_TEXT,     /* no option: help text printed where it stands */
	OPTK_FLAG,     /* int *: set to val */
	OPTK_COUNT,    /* int *: one more each time given */
	OPTK_INT,      /* long long *: an integer from min to max */
	OPTK_TOKENS,   /* int64_t *: a whole number from 0 to 10^12 (tokens_parse) */
	OPTK_DATE,     /* char[11]: YYYY-MM-DD or "today", stored as YYYY-MM-DD */
	OPTK_DAY,      /* struct day_spec *: a range bound, DAY_SPEC_FORMS (lib/date.h);
			  resolved by the command once today's date in its zone is known */
	OPTK_MONEY,    /* int64_t *: exact USD in nano-USD, not rounded, >= 0 (> 0: OPTF_POSITIVE) */
	OPTK_CHOICE,   /* int *: the value of the choice named */
	OPTK_STRING,   /* const char **: the value (the last one given) */
	OPTK_STRINGS,  /* struct opt_strings *: every value given, in order */
	OPTK_FORMAT,   /* enum lc_format *: set to val (--json, --csv, --md) */
	OPTK_CALLBACK, /* cb(ctx, opt, value) checks and stores the value itself */
	OPTK_INCLUDE,  /* every entry of another table, as if written here */
};

enum {
	OPTF_HIDDEN = 1,   /* test-only: parsed, never in help (README lists these) */
	OPTF_JOIN = 2,     /* in help, on the line of the entry before it */
	OPTF_POSITIVE = 4, /* OPTK_MONEY: more than 0 */
};

struct opt_choice {
	const char *name;
	int value;
};

/* The values of a repeatable option, in argv (free v with opt_strings_release). */
struct opt_strings {
	const char **v;
	size_t n;
};
void opt_strings_release(struct opt_strings *s);

/*
 * An option's callback: 0 when the value was taken, else the exit code
 * after printing the error (cmd_usage).  o->dst is the callback's data.
 */
typedef int (*opt_cb)(struct cmd_ctx *ctx, const struct opt *o, const char *value);

struct opt {
	enum opt_kind kind;
	const char *name;   /* long name without "--"; NULL: short only */
	char shrt;          /* short letter, 0 for none */
	void *dst;          /* where the value goes (by kind) */
	const char *arg;    /* the value's name in help ("DATE"); NULL takes none */
	const char *help;   /* the help text; '\n' starts a continuation line */
	unsigned flags;     /* OPTF_* */
	long long val;      /* FLAG, FORMAT: the value set */
	long long min, max; /* INT: the range */
	const char *want;   /* INT, MONEY, CALLBACK: "want ..." in the error */
	const struct opt_choice *choices; /* CHOICE: ending with { NULL, 0 } */
	opt_cb cb;
	const struct opt *include;        /* INCLUDE */
	unsigned *seen;     /* when not NULL, bit is or-ed into it when given */
	unsigned bit;
};

/* Entries by kind; write an entry out ({ .kind = ..., .seen = ... }) for
   the fields these leave at 0 (flags, seen). */
#define OPT_END() { .kind = OPTK_END }
#define OPT_TEXT(t) { .kind = OPTK_TEXT, .help = (t) }
#define OPT_FLAG(l, s, p, h) \
	{ .kind = OPTK_FLAG, .name = (l), .shrt = (s), .dst = (p), .help = (h), .val = 1 }
#define OPT_COUNT(l, s, p, h) \
	{ .kind = OPTK_COUNT, .name = (l), .shrt = (s), .dst = (p), .help = (h) }
#define OPT_INT(l, p, a, lo, hi, w, h)                                                        \
	{ .kind = OPTK_INT, .name = (l), .dst = (p), .arg = (a), .help = (h), .min = (lo),     \
	  .max = (hi), .want = (w) }
#define OPT_TOKENS(l, p, a, h) \
	{ .kind = OPTK_TOKENS, .name = (l), .dst = (p), .arg = (a), .help = (h) }
#define OPT_DATE(l, p, h) \
	{ .kind = OPTK_DATE, .name = (l), .dst = (p), .arg = "DATE", .help = (h) }
#define OPT_DAY(l, p, h) \
	{ .kind = OPTK_DAY, .name = (l), .dst = (p), .arg = "DATE", .help = (h) }
#define OPT_MONEY(l, p, a, w, h) \
	{ .kind = OPTK_MONEY, .name = (l), .dst = (p), .arg = (a), .help = (h), .want = (w) }
#define OPT_CHOICE(l, p, a, c, h) \
	{ .kind = OPTK_CHOICE, .name = (l), .dst = (p), .arg = (a), .help = (h), .choices = (c) }
#define OPT_STRING(l, s, p, a, h) \
	{ .kind = OPTK_STRING, .name = (l), .shrt = (s), .dst = (p), .arg = (a), .help = (h) }
#define OPT_STRINGS(l, p, a, h) \
	{ .kind = OPTK_STRINGS, .name = (l), .dst = (p), .arg = (a), .help = (h) }
#define OPT_FORMAT(l, p, f, h) \
	{ .kind = OPTK_FORMAT, .name = (l), .dst = (p), .help = (h), .val = (f) }
#define OPT_CALLBACK(l, p, a, fn, h) \
	{ .kind = OPTK_CALLBACK, .name = (l), .dst = (p), .arg = (a), .help = (h), .cb = (fn) }
#define OPT_INCLUDE(t, h) { .kind = OPTK_INCLUDE, .include = (t), .help = (h) }

/*
 * Parse argv[1..argc) by opts (and the options every command takes).  The
 * arguments that are not options are moved, in order, to argv[1...]; returns
 * their count + 1 (the new argc, argv[0] kept), or -1 to stop with *code:
 * help or --list-options printed (0), or a usage error printed (2, or what
 * a callback returned).  Nothing is allocated except by OPTK_STRINGS.
 */
int opt_parse(struct cmd_ctx *ctx, int argc, char **argv, const struct opt *opts, int *code);

/*
 * The help of a table: its OPTK_TEXT entries as written, each run of options
 * as lines "  --name ARG   help", the help column two past the widest
 * "  --name ARG" of the table (at most OPT_HELP_COLUMN; a wider one has its
 * help two spaces after it, its continuation lines at the column).
 * Hidden options are left out; an OPTK_INCLUDE with help text is one line
 * of that text, without it its entries are listed.
 */
#define OPT_HELP_COLUMN 24
void opt_help(FILE *out, const struct opt *opts);

/* Every option of the table, one a line: "--name" (or "-x" when it has no
   long name), "--name hidden" for a hidden one.  An include with help text
   (documented where its table belongs) is left out; one without is listed. */
void opt_list(FILE *out, const struct opt *opts);

#endif

/*
 * test_opt.c - unit tests for cmd/opt.c: every kind of option with good and
 * bad values and the message a bad one gives, --name=value and --name value,
 * short options, repeats, `--`, unknown options, missing values, no
 * abbreviations, arguments kept in order, and the help and option list a
 * table prints.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "harness.h"

/* what the last run printed: its first error line (after "llmcost: error: ") and stdout */
static char err_line[512], out_text[4096];

/* The whole of file f (rewound) into buf. */
static void slurp(FILE *f, char *buf, size_t n)
{
	size_t got;

	rewind(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
}

/*
 * opt_parse on the words of line (split at spaces; "_" stands for an empty
 * word), argv[0] "cmd"; *args gets the arguments after it, space-separated.
 * Returns what opt_parse returned; *code its code.
 */
static int parse(struct cmd_ctx *ctx, const struct opt *t, const char *line, int *code, char *args,
		 size_t nargs)
{
	static char empty[1];
	static char copy[512]; /* the values parsed point into it: it outlives the call */
	char *argv[32], *w, *save = NULL;
	int argc = 0, r, saved_err = dup(2), saved_out = dup(1);
	FILE *ef = tmpfile(), *of = tmpfile();

	LC_COPY(copy, line);
	argv[argc++] = "cmd";
	for (w = strtok_r(copy, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
		argv[argc++] = !strcmp(w, "_") ? empty : w;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(ef), 2);
	dup2(fileno(of), 1);
	r = opt_parse(ctx, argc, argv, t, code);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_err, 2);
	dup2(saved_out, 1);
	close(saved_err);
	close(saved_out);
	slurp(ef, out_text, sizeof(out_text)); /* stderr first, for the message */
	{
		const char *p = strstr(out_text, "llmcost: error: ");
		size_t len;

		LC_COPY(err_line, p ? p + 16 : "");
		len = strcspn(err_line, "\n");
		err_line[len] = '\0';
	}
	slurp(of, out_text, sizeof(out_text));
	fclose(ef);
	fclose(of);
	if (args) {
		args[0] = '\0';
		for (int i = 1; r > 0 && i < r; i++) {
			size_t len = strlen(args);

			snprintf(args + len, nargs - len, "%s%s", i > 1 ? " " : "", argv[i]);
		}
	}
	return r;
}

/* A table of every kind, and the values it writes. */
static struct vals {
	int flag, count, choice, cb_calls, inner;
	long long n;
	int64_t tokens, money, positive;
	char date[11];
	const char *str, *hidden;
	struct opt_strings many;
	unsigned seen;
} v;

static int cb_even(struct cmd_ctx *ctx, const struct opt *o, const char *value)
{
	v.cb_calls++;
	if (strlen(value) % 2)
		return cmd_usage(ctx, "--%s: want an even length, not '%s'", o->name, value);
	*(const char **)o->dst = value;
	return 0;
}

static const struct opt_choice colours[] = { { "red", 1 }, { "green", 2 }, { "blue", 3 }, { NULL, 0 } };
static const char *cb_value;

static const struct opt included[] = {
	OPT_FLAG("inner", 0, &v.inner, "an option of an included table"),
	OPT_END(),
};

static const struct opt table[] = {
	OPT_TEXT("usage: cmd [options]\n\n"),
	OPT_FLAG("flag", 'f', &v.flag, "a flag"),
	OPT_COUNT("verbose", 'v', &v.count, "more (repeat)"),
	OPT_INT("n", &v.n, "N", -5, 10, "-5 to 10", "a number"),
	{ .kind = OPTK_TOKENS, .name = "tokens", .dst = &v.tokens, .arg = "N", .help = "tokens",
	  .seen = &v.seen, .bit = 4 },
	OPT_DATE("at", v.date, "a date"),
	OPT_MONEY("cost", &v.money, "USD", "an amount in USD like 2.50", "money"),
	{ .kind = OPTK_MONEY, .name = "budget", .dst = &v.positive, .arg = "USD",
	  .flags = OPTF_POSITIVE, .want = "a positive amount in USD", .help = "positive money" },
	OPT_CHOICE("colour", &v.choice, "C", colours, "red, green or blue"),
	OPT_STRING("output", 'o', &v.str, "FILE", "a file\non two lines"),
	OPT_STRINGS("source", &v.many, "NAME", "repeatable"),
	OPT_CALLBACK("even", &cb_value, "S", cb_even, "a callback"),
	{ .kind = OPTK_FLAG, .name = "secret", .dst = &v.hidden, .val = 1, .flags = OPTF_HIDDEN },
	OPT_INCLUDE(included, NULL),
	OPT_END(),
};

static void reset(struct cmd_ctx *ctx)
{
	opt_strings_release(&v.many);
	memset(&v, 0, sizeof(v));
	memset(ctx, 0, sizeof(*ctx));
	ctx->name = "cmd";
	cb_value = NULL;
}

TEST(test_kinds)
{
	struct cmd_ctx ctx;
	char args[256];
	int code;

	reset(&ctx);
	CHECK_INT(parse(&ctx, table,
			"--flag -v -vv --n 7 --tokens 1000 --at 2024-02-29 --cost 2.50 --budget 0.01 "
			"--colour green --output a --output b --source x --source y --even ab --inner",
			&code, args, sizeof(args)),
		  1);
	CHECK_INT(code, 0);
	CHECK_INT(v.flag, 1);
	CHECK_INT(v.count, 3);
	CHECK_INT(v.n, 7);
	CHECK_INT(v.tokens, 1000);
	CHECK_INT(v.seen, 4);
	CHECK_STR(v.date, "2024-02-29");
	CHECK_INT(v.money, 2500000000LL);
	CHECK_INT(v.positive, 10000000LL);
	CHECK_INT(v.choice, 2);
	CHECK_STR(v.str, "b"); /* the last one wins */
	CHECK_INT(v.many.n, 2);
	CHECK_STR(v.many.v[0], "x");
	CHECK_STR(v.many.v[1], "y");
	CHECK_STR(cb_value, "ab");
	CHECK_INT(v.cb_calls, 1);
	CHECK_INT(v.inner, 1); /* found in the included table */
	/* "today" is a date */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--at today", &code, NULL, 0), 1);
	CHECK_INT(strlen(v.date), 10);
	/* the shared options */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--db x.db --csv", &code, NULL, 0), 1);
	CHECK_STR(ctx.db_path, "x.db");
	CHECK_INT(ctx.fmt, LC_FMT_CSV);
	/* hidden options parse */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--secret", &code, NULL, 0), 1);
	CHECK_INT(v.hidden != NULL, 1);
}

TEST(test_value_forms)
{
	struct cmd_ctx ctx;
	int code;

	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--n=3 --output=x=y --colour=red", &code, NULL, 0), 1);
	CHECK_INT(v.n, 3);
	CHECK_STR(v.str, "x=y"); /* only the first '=' splits */
	CHECK_INT(v.choice, 1);
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "-oFILE", &code, NULL, 0), 1);
	CHECK_STR(v.str, "FILE");
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "-fo FILE", &code, NULL, 0), 1);
	CHECK_INT(v.flag, 1);
	CHECK_STR(v.str, "FILE");
	/* a value is taken whatever it looks like */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--output --flag", &code, NULL, 0), 1);
	CHECK_STR(v.str, "--flag");
	CHECK_INT(v.flag, 0);
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--output= --n -5", &code, NULL, 0), 1);
	CHECK_STR(v.str, "");
	CHECK_INT(v.n, -5);
}

TEST(test_arguments)
{
	struct cmd_ctx ctx;
	char args[256];
	int code;

	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "a --flag b - -5 --n 1 c", &code, args, sizeof(args)), 6);
	CHECK_STR(args, "a b - -5 c");
	/* -- ends the options */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "x -- --flag -v", &code, args, sizeof(args)), 4);
	CHECK_STR(args, "x --flag -v");
	CHECK_INT(v.flag, 0);
	CHECK_INT(v.count, 0);
}

struct bad {
	const char *line;
	int code;
	const char *msg;
};

static const struct bad bads[] = {
	{ "--bogus", 2, "unknown option '--bogus'" },
	{ "--bogus=1", 2, "unknown option '--bogus=1'" },
	{ "-x", 2, "unknown option '-x'" },
	{ "-fx", 2, "unknown option '-x'" },
	/* no abbreviations */
	{ "--fl", 2, "unknown option '--fl'" },
	{ "--out x", 2, "unknown option '--out'" },
	{ "--output", 2, "option '--output' needs a value" },
	{ "-o", 2, "option '-o' needs a value" },
	{ "--flag=1", 2, "option '--flag' takes no value" },
	{ "--n 11", 2, "--n: want -5 to 10, not '11'" },
	{ "--n 1x", 2, "--n: want -5 to 10, not '1x'" },
	{ "--n=", 2, "--n: want -5 to 10, not ''" },
	{ "--tokens -3", 2, "--tokens: negative count '-3'" },
	{ "--tokens 1.5", 2, "--tokens: want a whole number from 0 to 10^12, not '1.5'" },
	{ "--tokens 1000000000001", 2, "--tokens: want a whole number from 0 to 10^12, not '1000000000001'" },
	{ "--at 2024-02-30", 2, "--at: malformed date '2024-02-30' (want YYYY-MM-DD)" },
	{ "--at=yesterday", 2, "--at: malformed date 'yesterday' (want YYYY-MM-DD)" },
	{ "--cost -1", 2, "--cost: want an amount in USD like 2.50, not '-1'" },
	{ "--cost abc", 2, "--cost: want an amount in USD like 2.50, not 'abc'" },
	/* money is exact: a value that would round is refused */
	{ "--cost 0.0000000001", 2, "--cost: want an amount in USD like 2.50, not '0.0000000001'" },
	{ "--budget 0", 2, "--budget: want a positive amount in USD, not '0'" },
	{ "--colour pink", 2, "--colour: want red, green or blue, not 'pink'" },
	{ "--colour Red", 2, "--colour: want red, green or blue, not 'Red'" },
	{ "--even abc", 2, "--even: want an even length, not 'abc'" },
	{ "--db", 2, "option '--db' needs a value" },
};

TEST(test_bad)
{
	struct cmd_ctx ctx;
	int code;

	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		reset(&ctx);
		CHECK_INT(parse(&ctx, table, bads[i].line, &code, NULL, 0), -1);
		CHECK_INT(code, bads[i].code);
		CHECK_STR(err_line, bads[i].msg);
	}
	/* the first bad option stops the parse: nothing after it is stored */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--n 99 --flag", &code, NULL, 0), -1);
	CHECK_INT(v.flag, 0);
}

static const char want_help[] =
	"usage: cmd [options]\n"
	"\n"
	"  -f, --flag         a flag\n"
	"  -v, --verbose      more (repeat)\n"
	"  --n N              a number\n"
	"  --tokens N         tokens\n"
	"  --at DATE          a date\n"
	"  --cost USD         money\n"
	"  --budget USD       positive money\n"
	"  --colour C         red, green or blue\n"
	"  -o, --output FILE  a file\n"
	"                     on two lines\n"
	"  --source NAME      repeatable\n"
	"  --even S           a callback\n"
	"  --inner            an option of an included table\n";

TEST(test_help)
{
	struct cmd_ctx ctx;
	int code;

	reset(&ctx);
	/* help wins over a bad option anywhere before `--` */
	CHECK_INT(parse(&ctx, table, "--bogus --help", &code, NULL, 0), -1);
	CHECK_INT(code, 0);
	CHECK_STR(out_text, want_help);
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "-h", &code, NULL, 0), -1);
	CHECK_STR(out_text, want_help);
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "-vh", &code, NULL, 0), -1);
	CHECK_INT(code, 0);
	CHECK_STR(out_text, want_help);
	/* after `--`, --help is an argument */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "-- --help", &code, NULL, 0), 2);
	/* every option, the hidden one marked */
	reset(&ctx);
	CHECK_INT(parse(&ctx, table, "--list-options", &code, NULL, 0), -1);
	CHECK_INT(code, 0);
	CHECK_STR(out_text, "--flag\n--verbose\n--n\n--tokens\n--at\n--cost\n--budget\n--colour\n"
			    "--output\n--source\n--even\n--secret hidden\n--inner\n");
}

TEST(test_help_layout)
{
	static int a, b, c;
	static const struct opt_choice yn[] = { { "yes", 1 }, { "no", 0 }, { NULL, 0 } };
	static const struct opt joined[] = {
		OPT_FLAG("short", 0, &a, "one"),
		OPT_FLAG("json", 0, &b, "formats"),
		{ .kind = OPTK_FLAG, .name = "csv", .dst = &c, .val = 1, .flags = OPTF_JOIN },
		OPT_CHOICE("a-very-long-option-name", &a, "yes|no", yn, "too wide\nfor the column"),
		OPT_TEXT("\nafter\n"),
		OPT_END(),
	};
	static const struct opt with_include[] = {
		OPT_FLAG("own", 0, &a, "own"),
		OPT_INCLUDE(joined, "  (and the options of another table)\n"),
		OPT_END(),
	};
	char buf[1024];
	FILE *f = tmpfile();

	opt_help(f, joined);
	slurp(f, buf, sizeof(buf));
	CHECK_STR(buf, "  --short        one\n"
		       "  --json, --csv  formats\n"
		       "  --a-very-long-option-name yes|no  too wide\n"
		       "                 for the column\n"
		       "\n"
		       "after\n");
	fclose(f);
	f = tmpfile();
	opt_help(f, with_include);
	slurp(f, buf, sizeof(buf));
	CHECK_STR(buf, "  --own  own\n  (and the options of another table)\n");
	fclose(f);
	f = tmpfile();
	opt_list(f, with_include); /* an include with help text is documented elsewhere */
	slurp(f, buf, sizeof(buf));
	CHECK_STR(buf, "--own\n");
	fclose(f);
}

int main(void)
{
	RUN(test_kinds);
	RUN(test_value_forms);
	RUN(test_arguments);
	RUN(test_bad);
	RUN(test_help);
	RUN(test_help_layout);
	opt_strings_release(&v.many);
	return harness_done();
}

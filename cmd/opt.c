/*
 * opt.c - the option-table parser and the help it prints (see opt.h).
 *
 * The parser walks argv once.  A word is looked up in the command's table
 * (includes followed), then in the table every command shares; the value,
 * when the option takes one, is the rest of the word after '=' (or after a
 * short letter) or the next word, taken whatever it looks like.  A value is
 * checked by the option's kind before it is stored.  Non-option words are
 * moved to the front, in order, so a command reads its arguments as
 * argv[1..argc) afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "money.h"
#include "opt.h"

void opt_strings_release(struct opt_strings *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* The options every command takes (--db, --json, --csv, --md, --wide), into
   ctx; -h, --help and --list-options are looked for before the parse. */
static const struct opt *common_table(struct cmd_ctx *ctx)
{
	static struct opt t[6];

	t[0] = (struct opt)OPT_STRING("db", 0, &ctx->db_path, "PATH", NULL);
	t[1] = (struct opt)OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON, NULL);
	t[2] = (struct opt)OPT_FORMAT("csv", &ctx->fmt, LC_FMT_CSV, NULL);
	t[3] = (struct opt)OPT_FORMAT("md", &ctx->fmt, LC_FMT_MD, NULL);
	t[4] = (struct opt)OPT_FLAG("wide", 0, &ctx->wide, NULL);
	t[5] = (struct opt)OPT_END();
	return t;
}

/* The entry of long name `name` (len bytes) or short letter c, includes followed. */
static const struct opt *find(const struct opt *t, const char *name, size_t len, char c)
{
	for (; t && t->kind != OPTK_END; t++) {
		if (t->kind == OPTK_INCLUDE) {
			const struct opt *o = find(t->include, name, len, c);

			if (o)
				return o;
		} else if (t->kind == OPTK_TEXT) {
			continue;
		} else if (name ? t->name && strlen(t->name) == len && !memcmp(t->name, name, len)
				: c && t->shrt == c) {
			return t;
		}
	}
	return NULL;
}

static int takes_value(const struct opt *o)
{
	return o->kind != OPTK_FLAG && o->kind != OPTK_COUNT && o->kind != OPTK_FORMAT;
}

/* "want A, B or C" of a choice list into buf. */
static void choice_text(char *buf, size_t n, const struct opt_choice *c)
{
	size_t k = 0, len = 0;

	while (c[k].name)
		k++;
	buf[0] = '\0';
	for (size_t i = 0; i < k && len < n; i++) {
		snprintf(buf + len, n - len, "%s%s", i == 0 ? "" : i + 1 == k ? " or " : ", ",
			 c[i].name);
		len = strlen(buf);
	}
}

/* Check and store value v of option o (its name for messages in `as`). */
static int store(struct cmd_ctx *ctx, const struct opt *o, const char *as, const char *v)
{
	switch (o->kind) {
	case OPTK_FLAG:
		*(int *)o->dst = (int)o->val;
		break;
	case OPTK_COUNT:
		++*(int *)o->dst;
		break;
	case OPTK_FORMAT:
		*(enum lc_format *)o->dst = (enum lc_format)o->val;
		break;
	case OPTK_INT: {
		char *end;
		long long n;

		n = strtoll(v, &end, 10);
		if (!*v || *end || n < o->min || n > o->max)
			return cmd_usage(ctx, "%s: want %s, not '%s'", as,
					 o->want ? o->want : "an integer", v);
		*(long long *)o->dst = n;
		break;
	}
	case OPTK_TOKENS:
		if (v[0] == '-')
			return cmd_usage(ctx, "%s: negative count '%s'", as, v);
		if (cmd_parse_count(ctx, as, v, o->dst))
			return LC_EUSAGE;
		break;
	case OPTK_DATE:
		if (cmd_parse_date(ctx, as, v, o->dst))
			return LC_EUSAGE;
		break;
	case OPTK_DAY:
		if (day_spec_parse(v, o->dst, NULL))
			return cmd_usage(ctx, "%s: malformed date '%s' (want %s)", as, v,
					 DAY_SPEC_FORMS);
		break;
	case OPTK_MONEY: {
		int64_t nanos;
		int rounded = 0;

		if (money_parse(v, strlen(v), 9, &nanos, &rounded, NULL) || rounded || nanos < 0 ||
		    (nanos == 0 && (o->flags & OPTF_POSITIVE)))
			return cmd_usage(ctx, "%s: want %s, not '%s'", as,
					 o->want ? o->want : "an amount in USD", v);
		*(int64_t *)o->dst = nanos;
		break;
	}
	case OPTK_CHOICE: {
		const struct opt_choice *c = o->choices;
		char want[256];

		while (c->name && strcmp(c->name, v))
			c++;
		if (!c->name) {
			choice_text(want, sizeof(want), o->choices);
			return cmd_usage(ctx, "%s: want %s, not '%s'", as, want, v);
		}
		*(int *)o->dst = c->value;
		break;
	}
	case OPTK_STRING:
		*(const char **)o->dst = v;
		break;
	case OPTK_STRINGS: {
		struct opt_strings *s = o->dst;
		const char **nv = xrealloc(s->v, (s->n + 1) * sizeof(*nv));

		s->v = nv;
		s->v[s->n++] = v;
		break;
	}
	case OPTK_CALLBACK: {
		int r = o->cb(ctx, o, v);

		if (r)
			return r;
		break;
	}
	default:
		return cmd_usage(ctx, "%s: not an option", as);
	}
	if (o->seen)
		*o->seen |= o->bit;
	return 0;
}

/* A long option word a ("--name" or "--name=value"); *i is advanced past a value taken. */
static int parse_long(struct cmd_ctx *ctx, int argc, char **argv, int *i, const struct opt *opts,
		      int *code)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	const struct opt *o = find(opts, a, len, 0);
	char as[128];

	if (!o)
		o = find(common_table(ctx), a, len, 0);
	if (!o) {
		*code = cmd_usage(ctx, "unknown option '%s'", argv[*i]);
		return -1;
	}
	snprintf(as, sizeof(as), "--%s", o->name);
	if (!takes_value(o)) {
		if (eq) {
			*code = cmd_usage(ctx, "option '%s' takes no value", as);
			return -1;
		}
		return (*code = store(ctx, o, as, NULL)) ? -1 : 0;
	}
	if (!eq && *i + 1 >= argc) {
		*code = cmd_usage(ctx, "option '%s' needs a value", argv[*i]);
		return -1;
	}
	return (*code = store(ctx, o, as, eq ? eq + 1 : argv[++*i])) ? -1 : 0;
}

/* A word of short options ("-v", "-vh", "-oFILE", "-o FILE"). */
static int parse_short(struct cmd_ctx *ctx, int argc, char **argv, int *i, const struct opt *opts,
		       int *code)
{
	const char *a = argv[*i];

	for (size_t k = 1; a[k]; k++) {
		const struct opt *o = find(opts, NULL, 0, a[k]);
		char as[8];

		if (!o && a[k] == 'h') { /* -h in a bundle (-vh) */
			opt_help(stdout, opts);
			*code = 0;
			return -1;
		}
		if (!o) {
			*code = cmd_usage(ctx, "unknown option '-%c'", a[k]);
			return -1;
		}
		snprintf(as, sizeof(as), "-%c", a[k]);
		if (!takes_value(o)) {
			if ((*code = store(ctx, o, as, NULL)))
				return -1;
			continue;
		}
		if (a[k + 1])
			return (*code = store(ctx, o, as, a + k + 1)) ? -1 : 0;
		if (*i + 1 >= argc) {
			*code = cmd_usage(ctx, "option '%s' needs a value", as);
			return -1;
		}
		return (*code = store(ctx, o, as, argv[++*i])) ? -1 : 0;
	}
	return 0;
}

int opt_parse(struct cmd_ctx *ctx, int argc, char **argv, const struct opt *opts, int *code)
{
	int nargs = 1, i;

	*code = 0;
	/* help first, so that `CMD --bad --help` still helps */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			opt_help(stdout, opts);
			return -1;
		}
		if (!strcmp(argv[i], "--list-options")) {
			opt_list(stdout, opts);
			return -1;
		}
	}
	for (i = 1; i < argc; i++) {
		char *a = argv[i];

		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				argv[nargs++] = argv[i];
			break;
		}
		if (a[0] != '-' || !a[1] || (a[1] >= '0' && a[1] <= '9')) {
			argv[nargs++] = a; /* nargs <= i: never overwrites a word not yet read */
			continue;
		}
		if ((a[1] == '-' ? parse_long : parse_short)(ctx, argc, argv, &i, opts, code))
			return -1;
	}
	return nargs;
}

/* ---- help ---- */

/* "  -o, --output FILE" of o (and of the OPTF_JOIN entries after it) into buf. */
static size_t left_text(char *buf, size_t n, const struct opt *o)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const struct opt *e = o; e->kind != OPTK_END && (e == o || (e->flags & OPTF_JOIN));
	     e++) {
		const char *sep = e == o ? "  " : ", ";

		if (e->shrt && e->name)
			snprintf(buf + len, n - len, "%s-%c, --%s", sep, e->shrt, e->name);
		else if (e->shrt)
			snprintf(buf + len, n - len, "%s-%c", sep, e->shrt);
		else
			snprintf(buf + len, n - len, "%s--%s", sep, e->name);
		len = strlen(buf);
		if (e->arg && takes_value(e))
			snprintf(buf + len, n - len, " %s", e->arg);
		len = strlen(buf);
	}
	return len;
}

static int is_option(const struct opt *o)
{
	return o->kind != OPTK_END && o->kind != OPTK_TEXT && o->kind != OPTK_INCLUDE;
}

/* The widest left column, up to OPT_HELP_COLUMN - 2, of the listed entries. */
static size_t widest(const struct opt *t, size_t w)
{
	char buf[256];

	for (; t->kind != OPTK_END; t++) {
		size_t len;

		if (t->kind == OPTK_INCLUDE && !t->help)
			w = widest(t->include, w);
		if (!is_option(t) || (t->flags & (OPTF_HIDDEN | OPTF_JOIN)))
			continue;
		len = left_text(buf, sizeof(buf), t);
		if (len <= OPT_HELP_COLUMN - 2 && len > w)
			w = len;
	}
	return w;
}

/* Text with its continuation lines indented to col. */
static void indented(FILE *out, const char *text, size_t col)
{
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n' && p[1])
			fprintf(out, "%*s", (int)col, "");
	}
	if (!*text || text[strlen(text) - 1] != '\n')
		fputc('\n', out);
}

static void help_lines(FILE *out, const struct opt *t, size_t col)
{
	char buf[256];

	for (; t->kind != OPTK_END; t++) {
		size_t len;

		if (t->kind == OPTK_TEXT) {
			fputs(t->help, out);
			continue;
		}
		if (t->kind == OPTK_INCLUDE) {
			if (t->help)
				fputs(t->help, out);
			else
				help_lines(out, t->include, col);
			continue;
		}
		if (t->flags & (OPTF_HIDDEN | OPTF_JOIN))
			continue;
		len = left_text(buf, sizeof(buf), t);
		fputs(buf, out);
		fprintf(out, "%*s", len + 2 <= col ? (int)(col - len) : 2, "");
		indented(out, t->help ? t->help : "", col);
	}
}

void opt_help(FILE *out, const struct opt *opts)
{
	help_lines(out, opts, widest(opts, 0) + 2);
}

void opt_list(FILE *out, const struct opt *t)
{
	for (; t->kind != OPTK_END; t++) {
		if (t->kind == OPTK_INCLUDE && !t->help)
			opt_list(out, t->include);
		else if (is_option(t) && t->name)
			fprintf(out, "--%s%s\n", t->name, t->flags & OPTF_HIDDEN ? " hidden" : "");
		else if (is_option(t))
			fprintf(out, "-%c%s\n", t->shrt, t->flags & OPTF_HIDDEN ? " hidden" : "");
	}
}

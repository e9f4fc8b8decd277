/*
 * util.c - helpers shared by the commands: option parsing with llmcost's
 * messages, the subcommand dispatcher, opening the store, printing errors, and formatting prices.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "escape.h"
#include "db_sheet.h"
#include "money.h"

/*
 * Write a message to stderr: the format is ours; every %s argument (names,
 * paths, text from files and the command line, err->msg) goes through
 * esc_write(), so nothing from input drives the terminal.
 */
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	esc_vprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cmd_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("llmcost: error: ", fmt, ap);
	va_end(ap);
}

int cmd_fail(const struct lc_err *err)
{
	cmd_errorf("%s", err->msg);
	return err->code ? err->code : LC_ERUNTIME;
}

void cmd_note_stale_data(struct lc_db *db, long long unknown)
{
	static int said;
	struct lc_err err = { 0 };
	char to[11];
	lc_date d;
	long long age;

	if (said || unknown <= 0 || !db || db_prices_current_to(db, to, &err) ||
	    date_parse(to, strlen(to), &d, NULL))
		return;
	age = (long long)lc_today() - d;
	if (age <= STALE_DATA_DAYS)
		return;
	said = 1;
	esc_printf(stderr,
		   "llmcost: note: %lld model%s unknown to the price data, which is current to %s "
		   "(%lld days ago); 'llmcost update' fetches the current price sheets\n",
		   unknown, unknown == 1 ? " is" : "s are", to, age);
}

int cmd_usage(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("llmcost: error: ", fmt, ap);
	va_end(ap);
	fprintf(stderr, "see 'llmcost help %s'\n", ctx->name ? ctx->name : "");
	return LC_EUSAGE;
}

void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("llmcost: warning: ", fmt, ap);
	va_end(ap);
}

int cmd_dispatch(struct cmd_ctx *ctx, int argc, char **argv, const struct cmd_subs *s)
{
	char want[256] = "";
	size_t n = 0, len;

	if (s->help && argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		opt_help(stdout, s->help);
		return 0;
	}
	if (s->help && argc >= 2 && !strcmp(argv[1], "--list-options")) {
		opt_list(stdout, s->help);
		return 0;
	}
	for (const struct cmd_sub *c = s->v; argc >= 2 && c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1, ctx);
	if (s->other)
		return s->other(argc, argv, ctx);
	if (argc < 2) {
		opt_help(stderr, s->help);
		return LC_EUSAGE;
	}
	while (s->v[n].name)
		n++;
	for (size_t i = 0; i < n; i++) {
		len = strlen(want);
		snprintf(want + len, sizeof(want) - len, "%s%s",
			 i == 0 ? "" : i + 1 == n ? " or " : ", ", s->v[i].name);
	}
	return cmd_usage(ctx, "unknown %s '%s' (want %s)", s->what, argv[1], want);
}

int cmd_opt_user(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	struct lc_err err = { 0 };

	if (lc_user_check(v, "--user", &err))
		return cmd_usage(ctx, "%s", err.msg);
	*(const char **)o->dst = v;
	return 0;
}

int cmd_user_identity(const char *user, char out[LC_USER_MAX])
{
	struct lc_err err = { 0 };

	if (lc_user_identity(user, out, &err))
		return cmd_fail(&err);
	return 0;
}

int cmd_opt_tz(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	struct lc_err err = { 0 };
	lc_date tmp;

	if (ts_date_in_zone(0, v, &tmp, &err))
		return cmd_usage(ctx, "--tz: %s", err.msg);
	*(const char **)o->dst = v;
	return 0;
}

struct lc_db *cmd_db(struct cmd_ctx *ctx, int *code)
{
	struct lc_err err = { 0 };
	char path[4096];
	const char *p = ctx->db_path;

	if (ctx->db)
		return ctx->db;
	if (!p) {
		p = db_default_path(path, sizeof(path), &err);
		if (!p) {
			*code = cmd_fail(&err);
			return NULL;
		}
	}
	/* a store in memory would accept an ingest and keep nothing */
	if (!strcmp(p, ":memory:")) {
		*code = cmd_usage(ctx, "--db: ':memory:' would keep nothing; name a file "
				       "(for a file of that name, './:memory:')");
		return NULL;
	}
	if (db_open(&ctx->db, p, &err)) {
		*code = cmd_fail(&err);
		return NULL;
	}
	return ctx->db;
}

static int add_name(void *ctx, const struct db_source *s)
{
	char *names = ctx;
	size_t n = strlen(names);

	snprintf(names + n, 512 - n, "%s%s", n ? ", " : "", s->name);
	return 0;
}

struct lc_db *cmd_db_source(struct cmd_ctx *ctx, const char *source, int *code)
{
	struct lc_db *db = cmd_db(ctx, code);
	struct db_source src;
	struct lc_err err = { 0 };
	char names[512] = "";
	int r;

	if (!db || !source)
		return db;
	r = db_source_get(db, source, &src, &err);
	if (r == 1)
		return db;
	if (r == 0) {
		db_sources_each(db, add_name, names, &err);
		lc_errf(&err, LC_EDATA, "unknown price source '%s' (known: %s)", source, names);
	}
	*code = cmd_fail(&err);
	return NULL;
}

int cmd_parse_date(struct cmd_ctx *ctx, const char *opt, const char *text, char out[11])
{
	lc_date d;
	struct lc_err err = { 0 };

	if (!strcmp(text, "today")) {
		date_format(out, 11, lc_today());
		return 0;
	}
	if (date_parse(text, strlen(text), &d, &err))
		return cmd_usage(ctx, "%s: malformed date '%s' (want YYYY-MM-DD)", opt, text);
	date_format(out, 11, d);
	return 0;
}

int cmd_parse_count(struct cmd_ctx *ctx, const char *opt, const char *text, int64_t *out)
{
	if (tokens_parse(text, strlen(text), out, NULL))
		return cmd_usage(ctx, "%s: want a whole number from 0 to 10^12, not '%s'", opt, text);
	return 0;
}

char *cmd_price_text(char *buf, size_t n, int64_t nanos)
{
	if (nanos == LC_NONE) {
		snprintf(buf, n, "-");
		return buf;
	}
	return money_format_price(buf, n, nanos);
}

char *cmd_price_json(char *buf, size_t n, int64_t nanos)
{
	if (nanos == LC_NONE)
		snprintf(buf, n, "null");
	else
		money_format(buf, n, nanos, -1);
	return buf;
}

char *cmd_price_plain(char *buf, size_t n, int64_t nanos)
{
	char *dot;
	size_t len;

	money_format(buf, n, nanos, -1);
	dot = strchr(buf, '.');
	len = strlen(buf);
	if (!dot)
		(void)lc_strlcpy(buf + len, ".00", n - len);
	else if (strlen(dot) == 2)
		(void)lc_strlcpy(buf + len, "0", n - len);
	return buf;
}

FILE *cmd_wrap_begin(struct cmd_wrap *w, int width)
{
	w->buf = NULL;
	w->len = 0;
	w->width = width;
	w->f = width > 0 ? open_memstream(&w->buf, &w->len) : NULL;
	if (!w->f)
		w->f = stdout;
	return w->f;
}

void cmd_wrap_end(struct cmd_wrap *w)
{
	char *p;

	if (w->f == stdout)
		return;
	fclose(w->f);
	for (p = w->buf; p && *p;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		table_wrap(stdout, p, w->width);
		p = nl ? nl + 1 : p + strlen(p);
	}
	free(w->buf);
}

int cmd_table_width(const struct cmd_ctx *ctx)
{
	return ctx->fmt == LC_FMT_TEXT && !ctx->wide ? table_term_width() : 0;
}

int cmd_finish_output(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "llmcost: error: cannot write to standard output\n");
		return code ? code : LC_ERUNTIME;
	}
	return code;
}

const char *cmd_report_zone(const char *tz, char *buf, size_t n)
{
	const char *why = NULL;

	if (tz) {
		lc_strlcpy(buf, tz, n);
		return buf;
	}
	if (zone_local(buf, n, &why))
		fprintf(stderr, "llmcost: note: %s; dates are in UTC (set TZ or --tz)\n", why);
	return buf;
}

int cmd_day_bound(const struct day_spec *d, const char *zone, int *has, lc_date *out)
{
	struct lc_err err = { 0 };
	lc_date today = 0;

	*has = d->kind != DAY_NONE;
	if (!*has)
		return 0;
	if (d->kind != DAY_DATE && ts_date_in_zone(lc_now(), zone, &today, &err))
		return cmd_fail(&err);
	*out = day_spec_resolve(d, today);
	return 0;
}

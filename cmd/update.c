/*
 * update.c - `llmcost update`: refresh every price source in one command.
 *
 * Each source goes through the same pipeline as `llmcost ingest prices`
 * (ingest/prices.c): a conditional request, the same checks, one
 * transaction per source.  A source that fails changes nothing and the
 * others go on; the exit code says whether any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "json_out.h"
#include "db_sheet.h"
#include "fetch.h"
#include "prices.h"

const char help_update[] =
	"usage: llmcost update [--source NAME]... [--url NAME=URL]... [--json]\n"
	"\n"
	"Refresh the price sources in one command: the named sources\n"
	"(openrouter, litellm, genai-prices, llm-prices; see `llmcost ingest\n"
	"prices --help`) from their own URLs, and every other source the store\n"
	"holds that was last ingested from an http(s) URL, from that URL.  A\n"
	"source ingested from a local file is left alone.  Each source goes\n"
	"through exactly what `ingest prices` does: a conditional request (the\n"
	"server's validators for that URL), the same checks, and a transaction\n"
	"of its own, so a source that fails changes nothing and the others are\n"
	"still refreshed.  One line per source:\n"
	"\n"
	"  openrouter: updated, 3 new, 1 changed, 340 unchanged\n"
	"  litellm: not modified (HTTP 304)\n"
	"  genai-prices: failed (exit 4): price sheet '...': HTTP 404\n"
	"\n"
	"  --source NAME    refresh only NAME (repeatable)\n"
	"  --url NAME=URL   fetch source NAME from URL (repeatable, the last for\n"
	"                   a name wins; plain http allowed).  A named source\n"
	"                   goes back to its own URL next time; another source\n"
	"                   keeps the URL of its last good sheet\n"
	"  --json           a JSON array, one object per source\n"
	"\n"
	"Exit: 0 every source updated or not modified, 2 usage, 3 a sheet\n"
	"rejected (or --source/--url naming a source update cannot refresh),\n"
	"4 a fetch failed, 5 database; when several sources fail, the highest of\n"
	"their codes.  A database failure stops the update; the sources not yet\n"
	"tried are reported as skipped.\n";

struct target {
	char name[64];
	char format[24];
	const char *url;  /* named: its URL; stored: into stored_url; --url: argv */
	char *stored_url; /* allocated */
	int allow_http, selected;
};

struct targets {
	struct target *v;
	size_t n, cap;
	int fail;
};

static struct target *target_add(struct targets *t, const char *name, const char *format)
{
	struct target *x;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct target *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	x = &t->v[t->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	snprintf(x->format, sizeof(x->format), "%s", format);
	return x;
}

static struct target *target_find(struct targets *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return &t->v[i];
	return NULL;
}

/* db_sources_each: a stored source that is not a named one (those come first) */
static int add_stored(void *vctx, const struct db_source *s)
{
	struct targets *t = vctx;
	struct target *x;

	if (prices_named_find(s->name) || !strcmp(s->name, "builtin"))
		return 0;
	if (!(x = target_add(t, s->name, s->format))) {
		t->fail = 1;
		return 1;
	}
	/* a URL the user typed when it was ingested: plain http allowed again */
	if (fetch_is_url(s->url)) {
		if (!(x->stored_url = strdup(s->url))) {
			t->fail = 1;
			return 1;
		}
		x->url = x->stored_url;
		x->allow_http = 1;
	}
	return 0;
}

static void targets_free(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].stored_url);
	free(t->v);
}

static void known_names(const struct targets *t, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n && len + 1 < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", t->v[i].name);
}

static void json_line(struct json_out *j, const struct target *x, const char *result, int code,
		      const char *error, const struct prices_outcome *o)
{
	json_begin_object(j);
	json_key(j, "source");
	json_str(j, x->name);
	json_key(j, "url");
	json_str(j, x->url ? x->url : ""); /* "" when the source has no URL */
	json_key(j, "result");
	json_str(j, result);
	json_key(j, "exit");
	json_int(j, code);
	json_key(j, "error");
	json_str(j, error);
	if (o && !o->not_modified) {
		json_key(j, "keys");
		json_uint(j, o->rep.keys);
		json_key(j, "added");
		json_uint(j, o->rep.added);
		json_key(j, "changed");
		json_uint(j, o->rep.changed);
		json_key(j, "unchanged");
		json_uint(j, o->rep.unchanged);
		json_key(j, "rows_added");
		json_uint(j, o->rep.rows_added);
		json_key(j, "rows_closed");
		json_uint(j, o->rep.rows_closed);
		json_key(j, "new_models");
		json_uint(j, o->rep.new_models);
		json_key(j, "unusable");
		json_uint(j, o->sheet.unusable);
		json_key(j, "no_price");
		json_uint(j, o->sheet.no_price);
	}
	json_end(j);
}

/* Refresh one source and print its line; returns 0 or the exit code of its failure. */
static int refresh(struct cmd_ctx *ctx, struct lc_db *db, const struct target *x,
		   struct json_out *j)
{
	struct prices_job job = { 0 };
	struct prices_outcome out;
	struct lc_err err = { 0 };
	char ua[64];
	int r, json = ctx->fmt == LC_FMT_JSON;

	snprintf(ua, sizeof(ua), "llmcost/%s", LLMCOST_VERSION);
	job.url = x->url;
	job.format = x->format[0] ? x->format : NULL;
	job.source = x->name;
	job.allow_http = x->allow_http;
	job.user_agent = ua;
	job.retrying = cmd_fetch_retrying;
	if (isatty(STDERR_FILENO))
		job.progress = cmd_fetch_progress;
	r = prices_ingest(db, &job, &out, &err);
	if (job.progress)
		fputc('\n', stderr);
	if (r) {
		int code = err.code ? (int)err.code : LC_ERUNTIME;

		cmd_errorf("source '%s': %s", x->name, err.msg);
		if (json)
			json_line(j, x, "failed", code, err.msg, NULL);
		else {
			esc_printf(stdout, "%s: failed (exit %d): %s\n", x->name, code, err.msg);
		}
		prices_outcome_release(&out);
		return code;
	}
	if (!out.not_modified) {
		if (out.sheet.unusable)
			cmd_warn("source '%s': skipped %zu unusable entries: %s", x->name,
				 out.sheet.unusable, out.sheet.unusable_names);
		if (out.sheet.no_price)
			cmd_warn("source '%s': %zu entries have no price (routers, no token price): %s",
				 x->name, out.sheet.no_price, out.sheet.no_price_names);
	}
	if (json)
		json_line(j, x, out.not_modified ? "not-modified" : "updated", 0, NULL, &out);
	else if (out.not_modified) {
		esc_printf(stdout, "%s: not modified (HTTP 304)\n", x->name);
	} else {
		esc_printf(stdout, "%s", x->name);
		printf(": updated, %zu new, %zu changed, %zu unchanged", out.rep.added,
		       out.rep.changed, out.rep.unchanged);
		if (out.rep.new_models)
			printf("; %zu new models", out.rep.new_models);
		putchar('\n');
	}
	prices_outcome_release(&out);
	return 0;
}

int cmd_update(int argc, char **argv, struct cmd_ctx *ctx)
{
	enum { OPT_SOURCE = OPT_FIRST_COMMAND_OPTION, OPT_URL };
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "url", required_argument, NULL, OPT_URL },
		COMMON_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	struct targets t = { 0 };
	struct json_out j;
	struct lc_err err = { 0 };
	struct lc_db *db;
	const char **want = NULL, **urls = NULL;
	size_t nwant = 0, nurls = 0, nnamed;
	const struct prices_named *nm = prices_named_all(&nnamed);
	int c, code = 0, worst = 0;
	char names[512];

	if (!(want = calloc((size_t)argc, sizeof(*want))) ||
	    !(urls = calloc((size_t)argc, sizeof(*urls)))) {
		free(want);
		lc_errf(&err, LC_ERUNTIME, "out of memory");
		return cmd_fail(&err);
	}
	while ((c = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1) {
		if (c == CMD_OPT_EXIT)
			goto out;
		if (c == OPT_SOURCE)
			want[nwant++] = optarg;
		else if (c == OPT_URL) {
			const char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg || !eq[1]) {
				code = cmd_usage(ctx, "--url: want NAME=URL, not '%s'", optarg);
				goto out;
			}
			if (strlen(eq + 1) > SHEET_URL_MAX) {
				code = cmd_usage(ctx, "--url: a URL of %zu bytes is over the %d-byte limit",
						 strlen(eq + 1), SHEET_URL_MAX);
				goto out;
			}
			urls[nurls++] = optarg;
		}
	}
	if (optind < argc) {
		code = cmd_usage(ctx, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (ctx->fmt == LC_FMT_CSV || ctx->fmt == LC_FMT_MD) {
		code = cmd_usage(ctx, "update prints text or --json");
		goto out;
	}
	if (!(db = cmd_db(ctx, &code)))
		goto out;

	/* the named sources first, in their table's order, then the store's */
	for (size_t i = 0; i < nnamed; i++) {
		struct target *x = target_add(&t, nm[i].name, nm[i].format);

		if (!x) {
			t.fail = 1;
			break;
		}
		x->url = nm[i].url;
	}
	if (!t.fail && db_sources_each(db, add_stored, &t, &err) < 0) {
		code = cmd_fail(&err);
		goto out;
	}
	if (t.fail) {
		lc_errf(&err, LC_ERUNTIME, "out of memory");
		code = cmd_fail(&err);
		goto out;
	}
	known_names(&t, names, sizeof(names));
	for (size_t i = 0; i < nurls; i++) {
		const char *eq = strchr(urls[i], '=');
		char name[64];
		struct target *x;

		snprintf(name, sizeof(name), "%.*s", (int)(eq - urls[i]), urls[i]);
		if (!(x = target_find(&t, name)) || (size_t)(eq - urls[i]) >= sizeof(name)) {
			lc_errf(&err, LC_EDATA, "--url: unknown price source '%s' (update knows: %s)",
				name, names);
			code = cmd_fail(&err);
			goto out;
		}
		x->url = eq + 1;
		x->allow_http = 1;
	}
	for (size_t i = 0; i < nwant; i++) {
		struct target *x = target_find(&t, want[i]);

		if (!x && !strcmp(want[i], "builtin")) {
			lc_errf(&err, LC_EDATA,
				"--source: 'builtin' is the data shipped with llmcost; nothing to fetch");
			code = cmd_fail(&err);
			goto out;
		}
		if (!x) {
			lc_errf(&err, LC_EDATA, "--source: unknown price source '%s' (update knows: %s)",
				want[i], names);
			code = cmd_fail(&err);
			goto out;
		}
		if (!x->url) {
			lc_errf(&err, LC_EDATA,
				"--source: source '%s' was ingested from a file, not a URL; "
				"give --url %s=URL",
				want[i], want[i]);
			code = cmd_fail(&err);
			goto out;
		}
		x->selected = 1;
	}
	for (size_t i = 0; i < t.n; i++)
		if (!nwant && t.v[i].url)
			t.v[i].selected = 1;

	json_init(&j, stdout);
	if (ctx->fmt == LC_FMT_JSON) {
		json_begin_array(&j);
		json_layout(&j, "", ",\n ", "");
	}
	for (size_t i = 0; i < t.n; i++) {
		const struct target *x = &t.v[i];
		int r;

		if (!x->selected)
			continue;
		if (worst == LC_EDB) {
			/* the store failed: the others would only fail the same way */
			if (ctx->fmt == LC_FMT_JSON)
				json_line(&j, x, "skipped", 0, "a database failure above", NULL);
			else {
				esc_printf(stdout, "%s: skipped (database failure above)\n", x->name);
			}
			continue;
		}
		r = refresh(ctx, db, x, &j);
		if (r > worst)
			worst = r;
	}
	if (ctx->fmt == LC_FMT_JSON) {
		json_end(&j);
		fputc('\n', stdout);
	}
	code = worst;
out:
	targets_free(&t);
	free(want);
	free(urls);
	return code;
}

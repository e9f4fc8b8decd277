/*
 * ingest_prices.c - `llmcost ingest prices SOURCE`: fetch one price sheet,
 * parse it, validate it and add it to the price history in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "date.h"
#include "db_sheet.h"
#include "fetch.h"
#include "money.h"
#include "sha256.h"
#include "sheet_parse.h"

const char help_ingest_prices[] =
	"usage: llmcost ingest prices SOURCE [--url URL] [--format F] [--name NAME]\n"
	"                             [--priority N] [--force] [--json]\n"
	"\n"
	"Add one price sheet to the price history.  SOURCE is a named source:\n"
	"\n"
	"  openrouter    https://openrouter.ai/api/v1/models\n"
	"  litellm       LiteLLM's model_prices_and_context_window.json (GitHub)\n"
	"  genai-prices  pydantic/genai-prices v2 data.json (GitHub)\n"
	"  llm-prices    https://www.llm-prices.com/historical-v1.json\n"
	"\n"
	"or a URL or a local file (CSV or JSON of one of those formats).  Each\n"
	"ingest is a snapshot: a changed price closes the open period and opens a\n"
	"new one from today (or the sheet's own dates); an unchanged price adds\n"
	"nothing; a model missing from the sheet keeps its last price.  A sheet\n"
	"is checked before anything is written and rejected whole (exit 3) when\n"
	"it does not parse, prices nothing, has over 5% unusable entries, or\n"
	"prices under half the models of the source's last good sheet.\n"
	"\n"
	"  --url URL      fetch the named source from URL instead (http allowed)\n"
	"  --format F     openrouter, litellm, genai-prices, llm-prices or csv\n"
	"                 (default: the named source's, else guessed)\n"
	"  --name NAME    the source name stored with the prices (default: the\n"
	"                 named source, else the format)\n"
	"  --priority N   the priority of a new source (lower wins; builtin is 0)\n"
	"  --force        fetch unconditionally and accept a sheet that shrank\n"
	"                 by half or has over 5% unusable entries\n"
	"  --json         the summary as one JSON object\n"
	"\n"
	"Exit: 0 ingested or not modified (HTTP 304), 2 usage (also a URL over\n"
	"8000 bytes), 3 sheet rejected, 4 fetch failed (HTTP error, timeout, size\n"
	"cap, refused redirect, a 304 with no sheet stored for the URL), 5 database.\n";

static const struct named {
	const char *name, *format, *url;
	int priority;
} named[] = {
	{ "openrouter", "openrouter", "https://openrouter.ai/api/v1/models", 50 },
	{ "litellm", "litellm",
	  "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
	  40 },
	{ "genai-prices", "genai-prices",
	  "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
	  20 },
	{ "llm-prices", "llm-prices", "https://www.llm-prices.com/historical-v1.json", 30 },
};

/* Default priority by format for a source that is not a named one. */
static int format_priority(const char *fmt)
{
	if (!strcmp(fmt, "csv"))
		return 10;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(named[i].format, fmt))
			return named[i].priority;
	return 60;
}

static void on_progress(void *ctx, int64_t got, int64_t total)
{
	const char *url = ctx;

	if (total > 0)
		esc_printf(stderr, "\rfetching %s: %lld of %lld KiB", url, (long long)(got >> 10),
			(long long)(total >> 10));
	else
		esc_printf(stderr, "\rfetching %s: %lld KiB", url, (long long)(got >> 10));
}

static void on_retry(void *ctx, const char *why, long wait_ms)
{
	cmd_warn("%s from '%s'; retrying in %ld.%01ld s", why, (const char *)ctx, wait_ms / 1000,
		 (wait_ms % 1000) / 100);
}

static void print_json_str(const char *k, const char *v, int comma)
{
	printf("%s\"%s\": ", comma ? ", " : "", k);
	json_put_string(stdout, v);
}

static void summary(struct cmd_ctx *ctx, const struct sheet_ingest_opts *o, const struct sheet *s,
		    const struct sheet_ingest_report *r)
{
	if (ctx->fmt == LC_FMT_JSON) {
		fputs("{", stdout);
		print_json_str("source", o->source, 0);
		print_json_str("format", o->format, 1);
		print_json_str("url", o->url, 1);
		print_json_str("snapshot", r->snapshot, 1);
		printf(", \"keys\": %zu, \"offerings\": %zu, \"added\": %zu, \"changed\": %zu, "
		       "\"unchanged\": %zu, \"rows_added\": %zu, \"rows_closed\": %zu, "
		       "\"rows_deleted\": %zu, \"new_models\": %zu, \"folded\": %zu, "
		       "\"unusable\": %zu, \"no_price\": %zu, \"not_modelled\": %zu, "
		       "\"nonchat\": %zu, \"mode_skipped\": %zu, \"rounded\": %zu, \"not_seen\": %zu",
		       r->keys, r->offerings, r->added, r->changed, r->unchanged, r->rows_added,
		       r->rows_closed, r->rows_deleted, r->new_models, r->folded, s->unusable,
		       s->no_price, s->not_modelled, s->nonchat, r->mode_skipped, s->rounded,
		       r->not_seen);
		print_json_str("sha256", o->sha256, 1);
		fputs("}\n", stdout);
		return;
	}
	esc_printf(stdout, "source '%s' (%s): %zu models priced in '%s', snapshot %s\n", o->source, o->format,
	       r->keys, o->url, r->snapshot);
	printf("  offerings: %zu new, %zu changed, %zu unchanged; price rows: %zu added, %zu closed, %zu replaced\n",
	       r->added, r->changed, r->unchanged, r->rows_added, r->rows_closed, r->rows_deleted);
	if (r->new_models)
		esc_printf(stdout, "  new models: %zu (%s)\n", r->new_models, r->new_model_names);
	if (r->folded)
		printf("  %zu keys priced an offering another key already priced (kept one)\n",
		       r->folded);
	if (s->nonchat)
		printf("  %zu non-chat entries kept with their mode (embedding, image, ...)\n",
		       s->nonchat);
	if (r->mode_skipped)
		printf("  %zu entries skipped: their mode differs from the model's\n", r->mode_skipped);
	if (s->not_modelled)
		printf("  %zu prices or variants not modelled (flex/priority tiers, time windows, ...)\n",
		       s->not_modelled);
	if (s->rounded)
		printf("  %zu entries rounded half-even to the unit (1e-15 USD per token)\n", s->rounded);
	if (r->not_seen)
		printf("  %zu offerings of this source are not in this sheet (kept)\n", r->not_seen);
}

int cmd_ingest_prices(int argc, char **argv, struct cmd_ctx *ctx)
{
	enum { OPT_URL = OPT_FIRST_COMMAND_OPTION, OPT_FORMAT, OPT_NAME, OPT_FORCE, OPT_PRIORITY };
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, OPT_URL },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		COMMON_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *url = NULL, *format = NULL, *name = NULL, *what;
	const struct named *nm = NULL;
	int force = 0, c, code = 0, typed, have_prio = 0;
	long long prio = 0;
	struct lc_err err = { 0 };
	struct lc_db *db;
	struct db_source prev;
	struct fetch_opts fo = { 0 };
	struct fetch_result fr;
	struct sheet s;
	struct sheet_ingest_opts io = { 0 };
	struct sheet_ingest_report rep;
	char now[32], today[11], sha[65], ua[64];
	char *vetag = NULL, *vlm = NULL; /* the server's validators for url */
	int r, conditional = 0;

	ctx->name = "ingest";
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(help_ingest_prices, stdout);
			return 0;
		}
	while ((c = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1) {
		switch (c) {
		case CMD_OPT_EXIT:
			return code;
		case OPT_URL:
			url = optarg;
			break;
		case OPT_FORMAT:
			format = optarg;
			break;
		case OPT_NAME:
			name = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_PRIORITY: {
			char *end;

			prio = strtoll(optarg, &end, 10);
			if (!*optarg || *end || prio < -1000000 || prio > 1000000)
				return cmd_usage(ctx, "--priority: want an integer, not '%s'", optarg);
			have_prio = 1;
			break;
		}
		}
	}
	if (optind >= argc)
		return cmd_usage(ctx, "ingest prices needs a SOURCE (openrouter, litellm, genai-prices, llm-prices, a URL or a file)");
	if (optind + 1 < argc)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
	if (ctx->fmt == LC_FMT_CSV || ctx->fmt == LC_FMT_MD)
		return cmd_usage(ctx, "ingest prices prints text or --json");
	what = argv[optind];
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(what, named[i].name))
			nm = &named[i];
	if (format && !sheet_format_known(format))
		return cmd_usage(ctx, "unknown format '%s' (want openrouter, litellm, genai-prices, llm-prices or csv)",
				 format);
	if (nm) {
		typed = url != NULL;
		if (!url)
			url = nm->url;
		if (!format)
			format = nm->format;
		if (!name)
			name = nm->name;
	} else {
		if (url)
			return cmd_usage(ctx, "--url goes with a named source; give the URL as SOURCE");
		url = what;
		typed = 1;
	}
	if (strlen(url) > SHEET_URL_MAX)
		return cmd_usage(ctx, "%s: a URL of %zu bytes is over the %d-byte limit",
				 nm ? "--url" : "SOURCE", strlen(url), SHEET_URL_MAX);
	if (name && (!*name || strlen(name) >= sizeof(prev.name)))
		return cmd_usage(ctx, "--name: want 1 to %zu characters", sizeof(prev.name) - 1);

	if (!(db = cmd_db(ctx, &code)))
		return code;
	ts_format(now, sizeof(now), lc_now());
	date_format(today, sizeof(today), lc_today());
	memset(&prev, 0, sizeof(prev));
	if (!name && format)
		name = format; /* the source it will be stored as */
	/* conditional only on what the server said for this very URL, and only
	   while the source still holds the sheet that came with it */
	if (name && !force && fetch_is_url(url)) {
		if (db_source_get(db, name, &prev, &err) < 0 ||
		    (r = db_fetch_validators(db, name, url, &vetag, &vlm, &err)) < 0)
			return cmd_fail(&err);
		conditional = r == 1 && (vetag || vlm);
	}

	snprintf(ua, sizeof(ua), "llmcost/%s", LLMCOST_VERSION);
	fo.url = url;
	fo.allow_http = typed;
	fo.user_agent = ua;
	fo.etag = vetag;
	fo.last_modified = vlm;
	fo.progress_ctx = (void *)url;
	fo.retrying = on_retry;
	if (isatty(STDERR_FILENO) && fetch_is_url(url))
		fo.progress = on_progress;
	r = fetch_get(&fo, &fr, &err);
	free(vetag);
	free(vlm);
	fo.etag = fo.last_modified = NULL;
	if (fo.progress)
		fputc('\n', stderr);

	io.url = url;
	io.fetched_at = now;
	io.today = today;
	io.force = force;
	if (r == 0 && fr.not_modified && !conditional) {
		/* fetch_get only reports a 304 to a conditional GET; never trust
		   one that would leave a source without a sheet */
		lc_errf(&err, LC_ENET, "price sheet '%s': HTTP 304 to an unconditional request", url);
		r = -1;
	}
	if (r) {
		/* nothing to parse; log the failure when the source is known (its
		   stored url, format and validators are left as they are) */
		if (name && err.code == LC_ENET) {
			struct lc_err e2 = { 0 };
			char result[300];

			io.source = name;
			io.format = format ? format : "unknown";
			io.http_status = fr.status;
			snprintf(result, sizeof(result), "error: %.280s", err.msg);
			db_sheet_record(db, &io, result, &e2);
		}
		fetch_result_free(&fr);
		return cmd_fail(&err);
	}
	io.http_status = fr.status;
	io.etag = fr.etag;
	io.last_modified = fr.last_modified;
	io.bytes = fr.len;
	if (fr.not_modified) {
		io.source = name;
		io.format = format ? format : prev.format;
		io.etag = io.last_modified = NULL; /* the stored validators stay */
		r = db_sheet_record(db, &io, "not-modified", &err);
		fetch_result_free(&fr);
		if (r)
			return cmd_fail(&err);
		esc_printf(stdout, "source '%s': not modified since %s (HTTP 304); nothing changed\n", name,
		       prev.last_fetch[0] ? prev.last_fetch : "the last fetch");
		return 0;
	}
	if (!format && !(format = sheet_detect(fr.data, fr.len, url))) {
		fetch_result_free(&fr);
		lc_errf(&err, LC_EDATA,
			"cannot tell the format of price sheet '%s'; give --format", url);
		return cmd_fail(&err);
	}
	if (!name)
		name = format;
	sha256_hex(fr.data, fr.len, sha);
	io.source = name;
	io.format = format;
	io.sha256 = sha;
	io.priority = have_prio ? prio : format_priority(format);

	sheet_init(&s, format);
	r = sheet_parse(format, fr.data, fr.len, url, &s, &err);
	free(fr.data); /* the body; its validators go on to the store */
	fr.data = NULL;
	if (r == 0)
		r = db_sheet_ingest(db, &s, &io, &rep, &err);
	fetch_result_free(&fr);
	io.etag = io.last_modified = NULL;
	if (r) {
		if (err.code == LC_EDATA) {
			struct lc_err e2 = { 0 };
			char result[300];

			snprintf(result, sizeof(result), "rejected: %.280s", err.msg);
			if (db_source_get(db, name, &prev, &e2) == 1)
				db_sheet_record(db, &io, result, &e2);
		}
		sheet_release(&s);
		return cmd_fail(&err);
	}
	if (s.unusable)
		cmd_warn("skipped %zu unusable entries of '%s': %s", s.unusable, url,
			 s.unusable_names);
	if (s.no_price)
		cmd_warn("%zu entries of '%s' have no price (routers, no token price): %s", s.no_price,
			 url, s.no_price_names);
	summary(ctx, &io, &s, &rep);
	sheet_release(&s);
	return 0;
}

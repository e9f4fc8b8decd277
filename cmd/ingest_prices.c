/*
 * ingest_prices.c - `llmcost ingest prices SOURCE`: fetch one price sheet,
 * parse it, validate it and add it to the price history in one transaction
 * (the pipeline is ingest/prices.c, shared with `llmcost update`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "json_out.h"
#include "date.h"
#include "db_sheet.h"
#include "fetch.h"
#include "prices.h"

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
	"prices under half the models of the last good sheet from the same URL\n"
	"(from a URL new to the source: of what the source last listed at the\n"
	"hosts the sheet names, so one source takes several files one after\n"
	"another, such as the llm-prices per-vendor files).\n"
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

void cmd_fetch_progress(void *ctx, int64_t got, int64_t total)
{
	const char *url = ctx;

	if (total > 0)
		esc_printf(stderr, "\rfetching %s: %lld of %lld KiB", url, (long long)(got >> 10),
			(long long)(total >> 10));
	else
		esc_printf(stderr, "\rfetching %s: %lld KiB", url, (long long)(got >> 10));
}

void cmd_fetch_retrying(void *ctx, const char *why, long wait_ms)
{
	cmd_warn("%s from '%s'; retrying in %ld.%01ld s", why, (const char *)ctx, wait_ms / 1000,
		 (wait_ms % 1000) / 100);
}

static void summary(struct cmd_ctx *ctx, const struct sheet_ingest_opts *o, const struct sheet *s,
		    const struct sheet_ingest_report *r)
{
	if (ctx->fmt == LC_FMT_JSON) {
		const struct {
			const char *key;
			size_t n;
		} counts[] = {
			{ "keys", r->keys },
			{ "offerings", r->offerings },
			{ "added", r->added },
			{ "changed", r->changed },
			{ "unchanged", r->unchanged },
			{ "rows_added", r->rows_added },
			{ "rows_closed", r->rows_closed },
			{ "rows_deleted", r->rows_deleted },
			{ "new_models", r->new_models },
			{ "folded", r->folded },
			{ "unusable", s->unusable },
			{ "no_price", s->no_price },
			{ "not_modelled", s->not_modelled },
			{ "nonchat", s->nonchat },
			{ "mode_skipped", r->mode_skipped },
			{ "rounded", s->rounded },
			{ "not_seen", r->not_seen },
			{ "builtin_conflicts", r->builtin_conflicts },
		};
		struct json_out j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "source");
		json_str(&j, o->source ? o->source : "");
		json_key(&j, "format");
		json_str(&j, o->format ? o->format : "");
		json_key(&j, "url");
		json_str(&j, o->url ? o->url : "");
		json_key(&j, "snapshot");
		json_str(&j, r->snapshot);
		for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
			json_key(&j, counts[i].key);
			json_uint(&j, counts[i].n);
		}
		json_key(&j, "sha256");
		json_str(&j, o->sha256 ? o->sha256 : "");
		json_end(&j);
		fputc('\n', stdout);
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
	if (r->builtin_conflicts)
		printf("  %zu offerings priced differently from the built-in data, which wins unless "
		       "the price starts after its date: see 'llmcost sources --conflicts'\n",
		       r->builtin_conflicts);
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
	int force = 0, c, code = 0, have_prio = 0, r;
	long long prio = 0;
	struct lc_err err = { 0 };
	struct lc_db *db;
	struct prices_job job = { 0 };
	struct prices_outcome out;
	char ua[64];

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
	if (prices_job_resolve(&job, what, url, format, name, &err))
		return cmd_usage(ctx, "%s", err.msg);
	url = job.url;

	if (!(db = cmd_db(ctx, &code)))
		return code;
	snprintf(ua, sizeof(ua), "llmcost/%s", LLMCOST_VERSION);
	job.force = force;
	job.have_priority = have_prio;
	job.priority = prio;
	job.user_agent = ua;
	job.retrying = cmd_fetch_retrying;
	if (isatty(STDERR_FILENO) && fetch_is_url(url))
		job.progress = cmd_fetch_progress;
	r = prices_ingest(db, &job, &out, &err);
	if (job.progress)
		fputc('\n', stderr);
	if (r) {
		prices_outcome_release(&out);
		return cmd_fail(&err);
	}
	if (out.not_modified) {
		esc_printf(stdout, "source '%s': not modified since %s (HTTP 304); nothing changed\n",
			   out.source, out.last_fetch[0] ? out.last_fetch : "the last fetch");
		prices_outcome_release(&out);
		return 0;
	}
	if (out.sheet.unusable)
		cmd_warn("skipped %zu unusable entries of '%s': %s", out.sheet.unusable, url,
			 out.sheet.unusable_names);
	if (out.sheet.no_price)
		cmd_warn("%zu entries of '%s' have no price (routers, no token price): %s",
			 out.sheet.no_price, url, out.sheet.no_price_names);
	summary(ctx, &out.io, &out.sheet, &out.rep);
	prices_outcome_release(&out);
	return 0;
}

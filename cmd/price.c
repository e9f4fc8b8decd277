/*
 * price.c - `llmcost price MODEL`: the price in effect on a date with every
 * component and its source, or (--history) every period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json_out.h"
#include "date.h"
#include "money.h"
#include <stddef.h>

const char help_price[] =
	"usage: llmcost price MODEL [--at DATE] [--history] [--source NAME] [--json]\n"
	"\n"
	"Show the price of MODEL in effect on DATE (default today): input, output,\n"
	"cache read, cache writes (5 minute and 1 hour), reasoning, audio, fees,\n"
	"context-length tiers and batch discount, in USD per million tokens, with\n"
	"the source of the price.  MODEL may be any common spelling (gpt-4o,\n"
	"openai/gpt-4o, anthropic.claude-3-5-sonnet-20240620-v1:0, ...); a host\n"
	"prefix (bedrock/, azure/, vertex/, groq/, openrouter/, together/) prices\n"
	"that host's offering, a bare name the maker's own API.  A model its maker\n"
	"has retired (shut down) still answers, with \"retired on DATE\" (and one\n"
	"announced for retirement with the date it retires).\n"
	"\n"
	"  --at DATE      the price in effect on DATE (YYYY-MM-DD)\n"
	"  --history      every price period, oldest first\n"
	"  --source NAME  prices from one source only (see `llmcost sources`)\n"
	"  --json         one JSON object (a list with --history); prices are exact\n"
	"                 decimal numbers, null when not offered\n";

struct tier_field {
	const char *label, *key;
	size_t off;
};

#define F(label, key, member) { label, key, offsetof(struct lc_tier, member) }
static const struct tier_field fields[] = {
	F("input", "input_per_mtok", input),
	F("output", "output_per_mtok", output),
	F("cached input", "cached_input_per_mtok", cache_read),
	F("cache write 5m", "cache_write_5m_per_mtok", cache_write_5m),
	F("cache write 1h", "cache_write_1h_per_mtok", cache_write_1h),
	F("reasoning", "reasoning_per_mtok", reasoning),
	F("audio input", "audio_input_per_mtok", audio_input),
	F("audio output", "audio_output_per_mtok", audio_output),
	F("image input", "image_input_per_mtok", image_input),
	F("batch input", "batch_input_per_mtok", batch_input),
	F("batch output", "batch_output_per_mtok", batch_output),
};
static const struct tier_field fees[] = {
	F("per image", "image_fee", image_per_item),
	F("per request", "request_fee", request_fee),
	F("per web search", "web_search_fee", web_search_fee),
};
#undef F

static int64_t get(const struct lc_tier *t, const struct tier_field *f)
{
	return *(const int64_t *)((const char *)t + f->off);
}

/* A price in nano-USD, or null when not offered. */
static void json_price(struct json_out *j, int64_t nanos)
{
	if (nanos == LC_NONE)
		json_null(j);
	else
		json_money(j, nanos);
}

static void print_tier_json(struct json_out *j, const struct lc_tier *t)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_key(j, fields[i].key);
		json_price(j, get(t, &fields[i]));
	}
	for (size_t i = 0; i < sizeof(fees) / sizeof(fees[0]); i++) {
		json_key(j, fees[i].key);
		json_price(j, get(t, &fees[i]));
	}
	json_key(j, "batch_discount_pct");
	if (t->batch_discount_bp == LC_NONE)
		json_null(j);
	else
		json_money(j, (lc_i128)t->batch_discount_bp * 10000000);
}

static void print_json(struct json_out *j, const struct lc_model *m, const struct lc_offering *o)
{
	json_begin_object(j);
	json_key(j, "model");
	json_str(j, o->model);
	json_key(j, "name");
	json_str(j, m->name[0] ? m->name : o->model);
	json_key(j, "provider");
	json_str(j, o->host);
	json_key(j, "maker");
	json_str(j, m->maker);
	json_key(j, "effective_from");
	json_str(j, o->effective_from);
	json_key(j, "effective_to");
	json_str(j, o->effective_to[0] ? o->effective_to : NULL);
	print_tier_json(j, &o->tiers[0]);
	json_key(j, "tiers");
	json_begin_array(j);
	for (int i = 1; i < o->ntiers; i++) {
		json_begin_object(j);
		json_key(j, "min_input_tokens");
		json_int(j, o->tiers[i].min_input_tokens);
		print_tier_json(j, &o->tiers[i]);
		json_end(j);
	}
	json_end(j);
	json_key(j, "source");
	json_str(j, o->source);
	json_key(j, "source_url");
	json_str(j, o->source_url);
	json_key(j, "observed");
	json_bool(j, o->observed);
	/* the model's lifecycle (model_lifecycle): dates as known, whatever --at */
	json_key(j, "deprecation_announced");
	json_str(j, m->deprecated[0] ? m->deprecated : NULL);
	json_key(j, "retired");
	json_str(j, m->retired[0] ? m->retired : NULL);
	json_end(j);
}

static void print_text(FILE *out, const struct lc_model *m, const struct lc_offering *o,
		       const char *asked, const char *at)
{
	char buf[64];

	esc_printf(out, "%s", o->model);
	if (m->name[0])
		esc_printf(out, " (%s)", m->name);
	esc_printf(out, " at %s", o->host);
	if (at)
		esc_printf(out, ", %s", at);
	if (asked && strcmp(asked, o->model))
		esc_printf(out, "  [from '%s']", asked);
	esc_printf(out, "\n  %-16s %s to %s\n", "in effect", o->effective_from,
		o->effective_to[0] ? o->effective_to : "now");
	/* a retired model still has its last price (usage is priced by it) */
	if (at && m->retired[0] && strcmp(m->retired, at) <= 0)
		fprintf(out, "  %-16s retired on %s\n", "status", m->retired);
	else if (at && m->retired[0] && (!m->deprecated[0] || strcmp(m->deprecated, at) <= 0))
		fprintf(out, "  %-16s %s%s%sretires on %s\n", "status", m->deprecated[0] ? "deprecated " : "",
			m->deprecated, m->deprecated[0] ? ", " : "", m->retired);
	else if (at && m->deprecated[0] && strcmp(m->deprecated, at) <= 0)
		fprintf(out, "  %-16s deprecated %s\n", "status", m->deprecated);
	for (int i = 0; i < o->ntiers; i++) {
		const struct lc_tier *t = &o->tiers[i];

		if (i)
			fprintf(out, "  prompts over %lld tokens:\n", (long long)t->min_input_tokens);
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
			if (get(t, &fields[k]) != LC_NONE)
				fprintf(out, "  %-16s $%s / 1M tokens\n", fields[k].label,
					cmd_price_text(buf, sizeof(buf), get(t, &fields[k])));
		for (size_t k = 0; k < sizeof(fees) / sizeof(fees[0]); k++)
			if (get(t, &fees[k]) != LC_NONE)
				fprintf(out, "  %-16s $%s\n", fees[k].label,
					cmd_price_text(buf, sizeof(buf), get(t, &fees[k])));
		if (t->batch_discount_bp != LC_NONE)
			fprintf(out, "  %-16s %s%% off\n", "batch",
				money_format(buf, sizeof(buf),
					     (lc_i128)t->batch_discount_bp * 10000000, -1));
	}
	esc_printf(out, "  %-16s %s%s%s%s\n", "source", o->source, o->source_url[0] ? ": " : "",
		o->source_url, o->observed ? " (date observed by llmcost)" : "");
}

struct hist {
	const struct lc_model *m;
	enum lc_format fmt;
	int n;
	struct json_out j;      /* the array, opened at the first period */
};

static int print_period(void *ctx, const struct lc_model *unused, const struct lc_offering *o)
{
	struct hist *h = ctx;

	if (h->fmt == LC_FMT_JSON) {
		if (!h->n) {
			json_init(&h->j, stdout);
			json_begin_array(&h->j);
			json_layout(&h->j, "\n ", ",\n ", "\n");
		}
		print_json(&h->j, h->m, o);
	} else {
		if (h->n)
			fputc('\n', stdout);
		print_text(stdout, h->m, o, NULL, NULL);
	}
	h->n++;
	return 0;
}

int cmd_price(int argc, char **argv, struct cmd_ctx *ctx)
{
	enum { OPT_AT = OPT_FIRST_COMMAND_OPTION, OPT_HISTORY, OPT_SOURCE };
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		{ "history", no_argument, NULL, OPT_HISTORY },
		{ "source", required_argument, NULL, OPT_SOURCE },
		COMMON_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *source = NULL, *name;
	char at[11];
	int history = 0, c, code = 0, r;
	struct lc_err err = { 0 };
	struct lc_resolved res;
	struct lc_model m;
	struct lc_offering *o;
	struct lc_db *db;

	date_format(at, sizeof(at), lc_today());
	while ((c = cmd_getopt(ctx, argc, argv, "h", longopts, &code)) != -1) {
		switch (c) {
		case CMD_OPT_EXIT:
			return code;
		case OPT_AT:
			if (cmd_parse_date(ctx, "--at", optarg, at))
				return LC_EUSAGE;
			break;
		case OPT_HISTORY:
			history = 1;
			break;
		case OPT_SOURCE:
			source = optarg;
			break;
		}
	}
	if (optind >= argc)
		return cmd_usage(ctx, "price needs a MODEL");
	if (optind + 1 < argc)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
	if (ctx->fmt == LC_FMT_CSV || ctx->fmt == LC_FMT_MD)
		return cmd_usage(ctx, "price prints text or --json");
	name = argv[optind];
	if (!(db = cmd_db_source(ctx, source, &code)))
		return code;
	if (db_resolve(db, name, at, &res, &err) || db_model_get(db, res.model, &m, &err) < 0) {
		code = cmd_fail(&err);
		if (err.reason == LC_R_UNKNOWN_NAME)
			cmd_note_stale_data(db, 1);
		return code;
	}
	if (history) {
		struct hist h = { &m, ctx->fmt, 0, { 0 } };

		if (db_price_history(db, res.model, res.host, source, print_period, &h, &err) < 0)
			return cmd_fail(&err);
		if (h.n == 0) {
			lc_errf(&err, LC_EDATA, "no price recorded for '%s' at %s%s%s", res.model,
				res.host, source ? " from source " : "", source ? source : "");
			return cmd_fail(&err);
		}
		if (ctx->fmt == LC_FMT_JSON) {
			json_end(&h.j);
			fputc('\n', stdout);
		}
		return 0;
	}
	o = malloc(sizeof(*o));
	if (!o)
		return lc_errf(&err, LC_ERUNTIME, "out of memory"), cmd_fail(&err);
	r = db_offering_at(db, res.model, res.host, at, source, o, &err);
	if (r <= 0) {
		free(o);
		if (r == 0)
			lc_errf(&err, LC_EDATA, "no price for '%s' at %s on %s%s%s", res.model, res.host,
				at, source ? " from source " : "", source ? source : "");
		return cmd_fail(&err);
	}
	if (ctx->fmt == LC_FMT_JSON) {
		struct json_out j;

		json_init(&j, stdout);
		print_json(&j, &m, o);
		fputc('\n', stdout);
	} else {
		print_text(stdout, &m, o, name, at);
	}
	free(o);
	return 0;
}

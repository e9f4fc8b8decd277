/*
 * usage_csv.c - llmcost's generic usage CSV (README, "Usage CSV format").
 *
 * A header row names the columns, in any order: timestamp, model,
 * input_tokens and output_tokens are required; the token columns are
 * disjoint (input_tokens is uncached input only).  Counts are plain decimal
 * integers.  The natural key is request_id, else a SHA-256 of the row's
 * canonical form, so re-reading a file adds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "date.h"
#include "money.h"
#include "sha256.h"
#include "usage.h"

enum {
	C_TS, C_MODEL, C_IN, C_OUT, C_CR, C_CW5, C_CW1, C_REASON, C_REQ, C_PROVIDER, C_PROJECT,
	C_SESSION, C_REQID, C_TIER, C_COST, C_AUDIO_IN, C_AUDIO_OUT, C_IMAGE_IN,
};

static const char *const names[USAGE_CSV_COLS] = {
	"timestamp", "model", "input_tokens", "output_tokens", "cache_read_tokens",
	"cache_write_5m_tokens", "cache_write_1h_tokens", "reasoning_tokens", "requests",
	"provider", "project", "session", "request_id", "service_tier", "cost_usd",
	"audio_input_tokens", "audio_output_tokens", "image_input_tokens",
};
static const int required[USAGE_CSV_COLS] = { 1, 1, 1, 1 };

int usage_csv_header(struct usage_src *s, struct csv *c, int *idx, struct lc_err *err)
{
	if (c->nfields == 1 && strchr(csv_field(c, 0), ';'))
		return lc_errf(err, LC_EDATA,
			       "'%s' line %ld: the separator is ';': llmcost reads comma-separated files",
			       s->path, c->line);
	if (csv_header_map(c, names, required, USAGE_CSV_COLS, idx, err))
		return -1;
	for (int i = 0; i < c->nfields; i++) {
		int known = 0;

		for (int k = 0; k < USAGE_CSV_COLS; k++)
			known |= idx[k] == i;
		if (!known)
			usage_warn(s, "unknown column '%.80s' ignored", csv_field(c, i));
	}
	return 0;
}

static int count(const struct csv *c, const int *idx, int k, int64_t dflt, int64_t *out,
		 struct lc_err *err)
{
	struct lc_err e2 = { 0 };

	*out = dflt;
	if (idx[k] < 0 || csv_field_len(c, idx[k]) == 0)
		return 0;
	if (tokens_parse(csv_field(c, idx[k]), csv_field_len(c, idx[k]), out, &e2))
		return lc_errf(err, LC_EDATA, "%s: '%.40s' is not a whole number from 0 to 10^12",
			       names[k], csv_field(c, idx[k]));
	return 0;
}

static const char *field(const struct csv *c, const int *idx, int k)
{
	return idx[k] < 0 ? "" : csv_field(c, idx[k]);
}

int usage_csv_row(struct usage_src *s, struct csv *c, const int *idx, struct lc_err *err)
{
	struct lc_usage_rec r;
	struct lc_err e2 = { 0 };
	const char *ts = field(c, idx, C_TS), *model = field(c, idx, C_MODEL);
	const char *prov = field(c, idx, C_PROVIDER), *reqid = field(c, idx, C_REQID);

	memset(&r, 0, sizeof(r));
	if (ts_parse(ts, strlen(ts), &r.ts_ms, &e2))
		return lc_errf(err, LC_EDATA, "timestamp: %s", e2.msg);
	if (!*model)
		return lc_errf(err, LC_EDATA, "model is empty");
	if (idx[C_IN] >= 0 && csv_field_len(c, idx[C_IN]) == 0)
		return lc_errf(err, LC_EDATA, "input_tokens is empty");
	if (idx[C_OUT] >= 0 && csv_field_len(c, idx[C_OUT]) == 0)
		return lc_errf(err, LC_EDATA, "output_tokens is empty");
	if (count(c, idx, C_IN, 0, &r.input, err) || count(c, idx, C_OUT, 0, &r.output, err) ||
	    count(c, idx, C_CR, 0, &r.cache_read, err) ||
	    count(c, idx, C_CW5, 0, &r.cache_write_5m, err) ||
	    count(c, idx, C_CW1, 0, &r.cache_write_1h, err) ||
	    count(c, idx, C_REASON, 0, &r.reasoning, err) ||
	    count(c, idx, C_REQ, 1, &r.requests, err) ||
	    count(c, idx, C_AUDIO_IN, 0, &r.audio_input, err) ||
	    count(c, idx, C_AUDIO_OUT, 0, &r.audio_output, err) ||
	    count(c, idx, C_IMAGE_IN, 0, &r.image_input, err))
		return -1;
	if (r.reasoning > r.output)
		return lc_errf(err, LC_EDATA, "reasoning_tokens exceed output_tokens");
	if (*prov) {
		char full[LC_ID_MAX * 2];

		snprintf(full, sizeof(full), "%s/%s", prov, model);
		if (uj_name(r.model_raw, sizeof(r.model_raw), full, "model", err))
			return -1;
	} else if (uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err)) {
		return -1;
	}
	if (uj_name(r.project, sizeof(r.project), field(c, idx, C_PROJECT), "project", err) ||
	    uj_name(r.session, sizeof(r.session), field(c, idx, C_SESSION), "session", err) ||
	    uj_name(r.service_tier, sizeof(r.service_tier), field(c, idx, C_TIER), "service_tier",
		    err))
		return -1;
	if (r.service_tier[0] && strcmp(r.service_tier, "standard") &&
	    strcmp(r.service_tier, "batch") && strcmp(r.service_tier, "flex") &&
	    strcmp(r.service_tier, "priority"))
		return lc_errf(err, LC_EDATA,
			       "service_tier '%s' is not standard, batch, flex or priority",
			       r.service_tier);
	if (idx[C_COST] >= 0 && csv_field_len(c, idx[C_COST])) {
		if (money_parse(csv_field(c, idx[C_COST]), csv_field_len(c, idx[C_COST]), 9,
				&r.reported_cost, NULL, &e2))
			return lc_errf(err, LC_EDATA, "cost_usd: %s", e2.msg);
		r.has_reported_cost = 1;
	}
	/* a row of many requests: judge context tiers on the average prompt */
	if (r.requests > 1)
		r.tier_prompt = usage_rec_prompt(&r) / r.requests;
	if (r.requests > 1 && r.tier_prompt <= 0)
		r.tier_prompt = 1;
	if (*reqid) {
		if (usage_key(&r, err, "csv:%s", reqid))
			return -1;
	} else {
		/* the row's hash covers every byte of it (long names too) */
		char canon[2048], hex[65], *text = canon;
		char extra[72] = "";
		int n;

		/* the audio and image columns join the row's form only when used,
		   so a row of an older file keeps its key */
		if (r.audio_input || r.audio_output || r.image_input)
			snprintf(extra, sizeof(extra), "|%lld|%lld|%lld", (long long)r.audio_input,
				 (long long)r.audio_output, (long long)r.image_input);
		for (int pass = 0; pass < 2; pass++) {
			n = snprintf(text, pass ? (size_t)n + 1 : sizeof(canon),
				     "%lld|%s|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%s|%s|%s%s",
				     (long long)r.ts_ms, r.model_raw, (long long)r.input,
				     (long long)r.output, (long long)r.cache_read,
				     (long long)r.cache_write_5m, (long long)r.cache_write_1h,
				     (long long)r.reasoning, (long long)r.requests, r.project,
				     r.session, r.service_tier, extra);
			if (n < 0)
				return lc_errf(err, LC_ERUNTIME, "cannot format a row");
			if (pass || (size_t)n < sizeof(canon))
				break;
			text = xmalloc((size_t)n + 1);
		}
		snprintf(r.key, sizeof(r.key), "csv-row:%s", sha256_hex(text, (size_t)n, hex));
		if (text != canon)
			free(text);
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

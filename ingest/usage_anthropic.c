/*
 * usage_anthropic.c - Anthropic Messages API responses (JSONL, optionally in
 * an envelope with the time) and the Admin usage report's buckets.
 *
 * usage_anthropic_counts() maps a Messages `usage` object onto the disjoint
 * buckets; Claude Code lines carry the same object and use it too.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "sha256.h"
#include "usage.h"

int usage_anthropic_counts(struct usage_src *s, const cJSON *u, struct lc_usage_rec *r,
			   struct lc_err *err)
{
	const cJSON *cc, *stu, *otd;
	const char *tier, *speed;
	int64_t cci, w5, w1;

	if (uj_count(u, "input_tokens", "usage.input_tokens", 1, &r->input, err) ||
	    uj_count(u, "output_tokens", "usage.output_tokens", 1, &r->output, err) ||
	    uj_count(u, "cache_read_input_tokens", "usage.cache_read_input_tokens", 0,
		     &r->cache_read, err) ||
	    uj_count(u, "cache_creation_input_tokens", "usage.cache_creation_input_tokens", 0,
		     &cci, err))
		return -1;
	cc = uj_obj(u, "cache_creation");
	if (cc) {
		/* the split is the truth; cache_creation_input_tokens is its sum */
		if (uj_count(cc, "ephemeral_5m_input_tokens",
			     "usage.cache_creation.ephemeral_5m_input_tokens", 0, &w5, err) ||
		    uj_count(cc, "ephemeral_1h_input_tokens",
			     "usage.cache_creation.ephemeral_1h_input_tokens", 0, &w1, err))
			return -1;
		if (w5 + w1 == 0 && cci > 0)
			w5 = cci; /* an empty split next to a total: trust the total */
		else if (w5 + w1 != cci && cci != 0)
			usage_warn(s, "cache_creation split (%lld + %lld) differs from "
				      "cache_creation_input_tokens (%lld); using the split",
				   (long long)w5, (long long)w1, (long long)cci);
		r->cache_write_5m = w5;
		r->cache_write_1h = w1;
	} else {
		r->cache_write_5m = cci; /* older logs: every write was a 5-minute write */
	}
	stu = uj_obj(u, "server_tool_use");
	if (uj_count(stu, "web_search_requests", "usage.server_tool_use.web_search_requests", 0,
		     &r->web_searches, err))
		return -1;
	otd = uj_obj(u, "output_tokens_details");
	if (uj_count(otd, "thinking_tokens", "usage.output_tokens_details.thinking_tokens", 0,
		     &r->reasoning, err))
		return -1;
	if (r->reasoning > r->output)
		return lc_errf(err, LC_EDATA, "thinking_tokens exceed output_tokens");
	if (uj_str(u, "service_tier", "usage.service_tier", &tier, err) ||
	    uj_str(u, "speed", "usage.speed", &speed, err) ||
	    uj_name(r->service_tier, sizeof(r->service_tier), tier, "usage.service_tier", err) ||
	    uj_name(r->speed, sizeof(r->speed), speed, "usage.speed", err))
		return -1;
	r->requests = 1;
	return 0;
}

/* One result of an Admin usage report bucket. */
static int admin_result(struct usage_src *s, const cJSON *res, const char *start,
			struct lc_err *err)
{
	struct lc_usage_rec r;
	const cJSON *cc = uj_obj(res, "cache_creation"), *stu = uj_obj(res, "server_tool_use");
	const char *model, *ws, *key, *tier, *cw, *speed, *geo;

	memset(&r, 0, sizeof(r));
	if (uj_str(res, "model", "model", &model, err) ||
	    uj_str(res, "workspace_id", "workspace_id", &ws, err) ||
	    uj_str(res, "api_key_id", "api_key_id", &key, err) ||
	    uj_str(res, "service_tier", "service_tier", &tier, err) ||
	    uj_str(res, "context_window", "context_window", &cw, err) ||
	    uj_str(res, "speed", "speed", &speed, err) ||
	    uj_str(res, "inference_geo", "inference_geo", &geo, err))
		return -1;
	if (uj_count(res, "uncached_input_tokens", "uncached_input_tokens", 1, &r.input, err) ||
	    uj_count(res, "output_tokens", "output_tokens", 1, &r.output, err) ||
	    uj_count(res, "cache_read_input_tokens", "cache_read_input_tokens", 0, &r.cache_read,
		     err) ||
	    uj_count(stu, "web_search_requests", "server_tool_use.web_search_requests", 0,
		     &r.web_searches, err))
		return -1;
	if (cc) {
		if (uj_count(cc, "ephemeral_5m_input_tokens",
			     "cache_creation.ephemeral_5m_input_tokens", 0, &r.cache_write_5m, err) ||
		    uj_count(cc, "ephemeral_1h_input_tokens",
			     "cache_creation.ephemeral_1h_input_tokens", 0, &r.cache_write_1h, err))
			return -1;
	} else if (uj_count(res, "cache_creation_5m_input_tokens", "cache_creation_5m_input_tokens",
			    0, &r.cache_write_5m, err) ||
		   uj_count(res, "cache_creation_1h_input_tokens", "cache_creation_1h_input_tokens",
			    0, &r.cache_write_1h, err)) {
		return -1;
	}
	{
		struct lc_err e2 = { 0 };

		if (ts_parse(start, strlen(start), &r.ts_ms, &e2))
			return lc_errf(err, LC_EDATA, "\"starting_at\": %s", e2.msg);
	}
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err) ||
	    uj_name(r.project, sizeof(r.project), ws, "workspace_id", err) ||
	    uj_name(r.service_tier, sizeof(r.service_tier), tier, "service_tier", err) ||
	    uj_name(r.speed, sizeof(r.speed), speed, "speed", err))
		return -1;
	if (!model)
		usage_warn(s, "a bucket without a model cannot be priced: group the report by model");
	/* a bucket is many requests: the context tier comes from its group key */
	if (cw && strcmp(cw, "0-200k"))
		r.tier_prompt = 200001;
	r.requests = 0;
	r.replace = 1;
	if (usage_key(&r, err, "anthropic-usage:%s|%s|%s|%s|%s|%s|%s|%s", start, model ? model : "",
		      ws ? ws : "", key ? key : "", tier ? tier : "", cw ? cw : "", speed ? speed : "",
		      geo ? geo : ""))
		return -1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

int usage_anthropic(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *b;
	struct lc_usage_rec r;
	const char *model, *id, *project;

	if (!cJSON_IsObject(root))
		return 0;
	if (cJSON_IsArray(data)) {
		const cJSON *bucket;
		int n = 0;

		cJSON_ArrayForEach(bucket, data)
		{
			const cJSON *results = cJSON_GetObjectItemCaseSensitive(bucket, "results"), *res;
			const char *start;

			if (!cJSON_IsArray(results))
				continue;
			if (uj_str(bucket, "starting_at", "starting_at", &start, err))
				return -1;
			if (!start)
				return lc_errf(err, LC_EDATA, "missing \"starting_at\"");
			cJSON_ArrayForEach(res, results)
			{
				if (admin_result(s, res, start, err) < 0)
					return -1;
				n++;
			}
		}
		return n;
	}
	if (!(b = uj_body(root)))
		return 0;
	memset(&r, 0, sizeof(r));
	if (uj_str(b, "model", "model", &model, err) || uj_str(b, "id", "id", &id, err) ||
	    uj_str(root, "project", "project", &project, err))
		return -1;
	if (!model)
		return lc_errf(err, LC_EDATA, "missing \"model\"");
	if (uj_time(cJSON_GetObjectItemCaseSensitive(root, "timestamp"), "timestamp", 1, &r.ts_ms,
		    err))
		return -1;
	if (usage_anthropic_counts(s, uj_obj(b, "usage"), &r, err) ||
	    uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err) ||
	    uj_name(r.project, sizeof(r.project), project, "project", err))
		return -1;
	if (id && *id) {
		if (usage_key(&r, err, "anthropic:%s", id))
			return -1;
	} else {
		char hex[65];

		snprintf(r.key, sizeof(r.key), "anthropic-line:%s",
			 sha256_hex(s->text, s->text_len, hex));
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

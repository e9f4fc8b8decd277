/*
 * usage_openai.c - OpenAI response bodies (Chat Completions and Responses
 * API, one JSON per line, optionally in an envelope) and pages of the
 * organization Usage API (/v1/organization/usage/completions).
 *
 * OpenAI's input counts include cached tokens (and cache writes): the
 * uncached rest is what remains, and a negative rest rejects the record.
 * A Usage API bucket grows until it closes, so it is keyed by its start and
 * group keys and a later copy replaces an earlier one.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "usage.h"

static int bucket_result(struct usage_src *s, const cJSON *res, int64_t start,
			 struct lc_err *err)
{
	struct lc_usage_rec r;
	const char *model, *proj, *user, *key, *tier;
	const cJSON *batch = cJSON_GetObjectItemCaseSensitive(res, "batch");
	const cJSON *unc = cJSON_GetObjectItemCaseSensitive(res, "input_uncached_tokens");
	int64_t in, cached, cw, img_out;

	memset(&r, 0, sizeof(r));
	if (uj_str(res, "model", "model", &model, err) ||
	    uj_str(res, "project_id", "project_id", &proj, err) ||
	    uj_str(res, "user_id", "user_id", &user, err) ||
	    uj_str(res, "api_key_id", "api_key_id", &key, err) ||
	    uj_str(res, "service_tier", "service_tier", &tier, err) ||
	    uj_count(res, "input_tokens", "input_tokens", 1, &in, err) ||
	    uj_count(res, "input_cached_tokens", "input_cached_tokens", 0, &cached, err) ||
	    uj_count(res, "input_cache_write_tokens", "input_cache_write_tokens", 0, &cw, err) ||
	    uj_count(res, "output_tokens", "output_tokens", 1, &r.output, err) ||
	    uj_count(res, "num_model_requests", "num_model_requests", 0, &r.requests, err) ||
	    uj_count(res, "input_audio_tokens", "input_audio_tokens", 0, &r.audio_input, err) ||
	    uj_count(res, "input_image_tokens", "input_image_tokens", 0, &r.image_input, err) ||
	    uj_count(res, "output_audio_tokens", "output_audio_tokens", 0, &r.audio_output, err) ||
	    uj_count(res, "output_image_tokens", "output_image_tokens", 0, &img_out, err))
		return -1;
	if (unc && !cJSON_IsNull(unc)) {
		if (uj_count(res, "input_uncached_tokens", "input_uncached_tokens", 0, &r.input, err))
			return -1;
	} else if (cached + cw > in) {
		return lc_errf(err, LC_EDATA,
			       "input_cached_tokens + input_cache_write_tokens exceed input_tokens");
	} else {
		r.input = in - cached - cw;
	}
	/* audio and image tokens are inside the input and output totals:
	   their own buckets take them out (image output has no price: other) */
	if (r.audio_input + r.image_input > r.input)
		return lc_errf(err, LC_EDATA,
			       "input_audio_tokens + input_image_tokens exceed the uncached input tokens");
	if (r.audio_output + img_out > r.output)
		return lc_errf(err, LC_EDATA,
			       "output_audio_tokens + output_image_tokens exceed output_tokens");
	r.input -= r.audio_input + r.image_input;
	r.output -= r.audio_output + img_out;
	r.other_tokens = img_out;
	r.cache_read = cached;
	r.cache_write_5m = cw;
	r.ts_ms = start * 1000;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err) ||
	    uj_name(r.project, sizeof(r.project), proj, "project_id", err))
		return -1;
	if (cJSON_IsTrue(batch))
		snprintf(r.service_tier, sizeof(r.service_tier), "batch");
	else if (tier && uj_name(r.service_tier, sizeof(r.service_tier), tier, "service_tier", err))
		return -1;
	if (!model)
		usage_warn(s, "a bucket without a model cannot be priced: request group_by=model");
	/* a bucket is many requests: judge context tiers on the average prompt */
	if (r.requests > 1)
		r.tier_prompt = usage_rec_prompt(&r) / r.requests;
	if (r.tier_prompt <= 0)
		r.tier_prompt = 1;
	r.replace = 1;
	if (usage_key(&r, err, "openai-usage:%lld|%s|%s|%s|%s|%s|%s", (long long)start,
		      model ? model : "", proj ? proj : "", user ? user : "", key ? key : "",
		      cJSON_IsBool(batch) ? (cJSON_IsTrue(batch) ? "batch" : "nobatch") : "",
		      tier ? tier : ""))
		return -1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

static int usage_page(struct usage_src *s, const cJSON *data, struct lc_err *err)
{
	const cJSON *bucket;
	int n = 0;

	cJSON_ArrayForEach(bucket, data)
	{
		const cJSON *results = cJSON_GetObjectItemCaseSensitive(bucket, "results"), *res;
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(bucket, "start_time");
		int64_t start;

		if (!cJSON_IsArray(results))
			continue;
		if (uj_time(st, "start_time", 1, &start, err))
			return -1;
		if (!cJSON_IsNumber(st))
			return lc_errf(err, LC_EDATA, "\"start_time\" is not a unix time");
		cJSON_ArrayForEach(res, results)
		{
			if (bucket_result(s, res, start / 1000, err) < 0)
				return -1;
			n++;
		}
	}
	return n;
}

int usage_openai(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *b, *u, *det, *t;
	struct lc_usage_rec r;
	const char *model, *id, *tier, *project;
	int64_t in, cached, cw, img_out, cached_audio;
	int chat;

	if (!cJSON_IsObject(root))
		return 0;
	if (cJSON_IsArray(data))
		return usage_page(s, data, err);
	if (!(b = uj_body(root)))
		return 0; /* e.g. a stream chunk without usage */
	u = uj_obj(b, "usage");
	memset(&r, 0, sizeof(r));
	chat = cJSON_GetObjectItemCaseSensitive(u, "prompt_tokens") != NULL;
	if (uj_count(u, chat ? "prompt_tokens" : "input_tokens",
		     chat ? "usage.prompt_tokens" : "usage.input_tokens", 1, &in, err) ||
	    uj_count(u, chat ? "completion_tokens" : "output_tokens",
		     chat ? "usage.completion_tokens" : "usage.output_tokens", 1, &r.output, err))
		return -1;
	/* the Realtime API writes input_token_details / output_token_details */
	det = uj_obj(u, chat ? "prompt_tokens_details" : "input_tokens_details");
	if (!det && !chat)
		det = uj_obj(u, "input_token_details");
	if (uj_count(uj_obj(det, "cached_tokens_details"), "audio_tokens",
		     "usage.*_details.cached_tokens_details.audio_tokens", 0, &cached_audio, err))
		return -1;
	if (uj_count(det, "cached_tokens", "usage.*_tokens_details.cached_tokens", 0, &cached,
		     err) ||
	    uj_count(det, "cache_write_tokens", "usage.*_tokens_details.cache_write_tokens", 0, &cw,
		     err) ||
	    uj_count(det, "audio_tokens", "usage.*_tokens_details.audio_tokens", 0, &r.audio_input,
		     err) ||
	    uj_count(det, "image_tokens", "usage.*_tokens_details.image_tokens", 0, &r.image_input,
		     err))
		return -1;
	det = uj_obj(u, chat ? "completion_tokens_details" : "output_tokens_details");
	if (!det && !chat)
		det = uj_obj(u, "output_token_details");
	if (uj_count(det, "reasoning_tokens", "usage.*_tokens_details.reasoning_tokens", 0,
		     &r.reasoning, err) ||
	    uj_count(det, "audio_tokens", "usage.*_tokens_details.audio_tokens", 0, &r.audio_output,
		     err) ||
	    uj_count(det, "image_tokens", "usage.*_tokens_details.image_tokens", 0, &img_out, err))
		return -1;
	/* audio and image tokens are inside the totals and get their own
	   buckets; cached audio (Realtime's cached_tokens_details, inside
	   both cached_tokens and audio_tokens) and image output have no price
	   column (other) */
	if (cached_audio > cached || cached_audio > r.audio_input)
		return lc_errf(err, LC_EDATA,
			       "cached_tokens_details.audio_tokens (%lld) exceed cached_tokens or audio_tokens",
			       (long long)cached_audio);
	cached -= cached_audio;
	r.audio_input -= cached_audio;
	if (cached + cw + r.audio_input + r.image_input > in - cached_audio)
		return lc_errf(err, LC_EDATA,
			       "cached_tokens + cache_write_tokens + audio_tokens + image_tokens (%lld) exceed %s (%lld)",
			       (long long)(cached + cw + r.audio_input + r.image_input + cached_audio),
			       chat ? "prompt_tokens" : "input_tokens", (long long)in);
	if (r.reasoning + r.audio_output + img_out > r.output)
		return lc_errf(err, LC_EDATA,
			       "reasoning_tokens + audio_tokens + image_tokens exceed the output tokens");
	r.output -= r.audio_output + img_out;
	r.other_tokens = img_out + cached_audio;
	r.input = in - cached_audio - cached - cw - r.audio_input - r.image_input;
	r.cache_read = cached;
	r.cache_write_5m = cw;
	r.requests = 1;
	if (uj_str(b, "model", "model", &model, err) || uj_str(b, "id", "id", &id, err) ||
	    uj_str(b, "service_tier", "service_tier", &tier, err) ||
	    uj_str(root, "project", "project", &project, err))
		return -1;
	if (!model)
		return lc_errf(err, LC_EDATA, "missing \"model\"");
	/* time: the envelope's timestamp, else the body's created/created_at */
	t = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (!t)
		t = cJSON_GetObjectItemCaseSensitive(b, chat ? "created" : "created_at");
	if (!t)
		t = cJSON_GetObjectItemCaseSensitive(b, chat ? "created_at" : "created");
	if (uj_time(t, "timestamp", 1, &r.ts_ms, err))
		return -1;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err) ||
	    uj_name(r.project, sizeof(r.project), project, "project", err))
		return -1;
	if (tier && strcmp(tier, "default") &&
	    uj_name(r.service_tier, sizeof(r.service_tier), tier, "service_tier", err))
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(u, "cost")) {
		if (uj_usd(cJSON_GetObjectItemCaseSensitive(u, "cost"), "usage.cost", &r.reported_cost,
			   err))
			return -1;
		r.has_reported_cost = 1;
	}
	if (id && *id) {
		if (usage_key(&r, err, "openai:%s", id))
			return -1;
	} else {
		char hex[65];

		snprintf(r.key, sizeof(r.key), "openai-line:%s", sha256_hex(s->text, s->text_len, hex));
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

/*
 * usage_copilot.c - GitHub Copilot CLI's OpenTelemetry file export
 * (${COPILOT_HOME:-~/.copilot}/otel/ *.jsonl, and the file
 * $COPILOT_OTEL_FILE_EXPORTER_PATH names; written only when the user set
 * COPILOT_OTEL_ENABLED=true and COPILOT_OTEL_EXPORTER_TYPE=file).
 *
 * One OpenTelemetry record a line, as the JavaScript SDK prints it: a span
 * {type: "span", traceId, spanId, name, startTime, endTime: [seconds,
 * nanoseconds], attributes: {...}} or a log record {hrTime, attributes,
 * body}, with the GenAI semantic conventions' attributes
 * (https://opentelemetry.io/docs/specs/semconv/gen-ai/): gen_ai.operation.name,
 * gen_ai.response.model (else gen_ai.request.model), gen_ai.response.id,
 * gen_ai.conversation.id, gen_ai.usage.input_tokens, output_tokens,
 * cache_read.input_tokens, cache_creation.input_tokens,
 * reasoning.output_tokens.  By the conventions the input count includes
 * both cache buckets and the output count includes the reasoning (a cache
 * count larger than the input is read as outside it, as Anthropic counts).
 *
 * The same model call appears more than once: as its `chat` span, as a
 * gen_ai.client.inference.operation.details log event, and summed into its
 * `invoke_agent` span and copilot_chat.agent.turn event.  Only the chat span
 * and the inference event are read, and both are keyed by the response id
 * (else the trace and span the record belongs to), so the call is counted
 * once whichever of them a file holds; the summaries are never read.  A
 * record with only gen_ai.usage.total_tokens cannot be split into input and
 * output and is rejected.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "usage_agents.h"

#define ATTR "gen_ai.usage."

/* 1 for a record of one model call: a chat span or an inference event. */
static int is_call(const cJSON *root, const cJSON *attrs)
{
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(attrs, "gen_ai.operation.name");
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(attrs, "event.name");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");

	if (cJSON_IsString(ev))
		return !strcmp(ev->valuestring, "gen_ai.client.inference.operation.details");
	if (cJSON_IsString(op))
		return !strcmp(op->valuestring, "chat");
	return cJSON_IsString(name) && !strncmp(name->valuestring, "chat ", 5);
}

/* An OpenTelemetry HrTime [seconds, nanoseconds] into ms; 1 when v is one. */
static int hr_time(const cJSON *v, int64_t *ms, struct lc_err *err, const char *field)
{
	const cJSON *s, *ns;

	if (!cJSON_IsArray(v))
		return 0;
	s = cJSON_GetArrayItem(v, 0);
	ns = cJSON_GetArrayItem(v, 1);
	if (cJSON_GetArraySize(v) != 2 || !cJSON_IsNumber(s) || !cJSON_IsNumber(ns) ||
	    !isfinite(s->valuedouble) || s->valuedouble < 0 || s->valuedouble >= 253402300800.0 ||
	    s->valuedouble != floor(s->valuedouble) || ns->valuedouble < 0 ||
	    ns->valuedouble >= 1e9)
		return lc_errf(err, LC_EDATA, "\"%s\" is not [seconds, nanoseconds]", field);
	*ms = (int64_t)s->valuedouble * 1000 + (int64_t)(ns->valuedouble / 1e6);
	return 1;
}

/* The record's time: the span's end, else its start, else the log's time. */
static int when(const cJSON *root, int64_t *ms, struct lc_err *err)
{
	static const char *const keys[] = { "endTime", "startTime", "hrTime", "timestamp" };
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, keys[i]);

		if ((rc = hr_time(v, ms, err, keys[i])) != 0)
			return rc < 0 ? -1 : 0;
		if (cJSON_IsString(v))
			return uj_time(v, keys[i], 0, ms, err);
	}
	return lc_errf(err, LC_EDATA, "missing \"endTime\"");
}

/* The token buckets; 0 with r->requests 0 when the record has none. */
static int counts(const cJSON *a, struct lc_usage_rec *r, struct lc_err *err)
{
	int64_t in, out, cr, cw, rs, cw2, rs2, total;

	if (uj_count(a, ATTR "input_tokens", ATTR "input_tokens", 0, &in, err) ||
	    uj_count(a, ATTR "output_tokens", ATTR "output_tokens", 0, &out, err) ||
	    uj_count(a, ATTR "cache_read.input_tokens", ATTR "cache_read.input_tokens", 0, &cr,
		     err) ||
	    uj_count(a, ATTR "cache_creation.input_tokens", ATTR "cache_creation.input_tokens", 0,
		     &cw, err) ||
	    uj_count(a, ATTR "cache_write.input_tokens", ATTR "cache_write.input_tokens", 0, &cw2,
		     err) ||
	    uj_count(a, ATTR "reasoning.output_tokens", ATTR "reasoning.output_tokens", 0, &rs,
		     err) ||
	    uj_count(a, ATTR "reasoning_tokens", ATTR "reasoning_tokens", 0, &rs2, err) ||
	    uj_count(a, ATTR "total_tokens", ATTR "total_tokens", 0, &total, err))
		return -1;
	cw = cw ? cw : cw2;
	rs = rs ? rs : rs2;
	r->requests = 0;
	if (in + out + cr + cw + rs == 0) {
		if (total > 0)
			return lc_errf(err, LC_EDATA, "only \"" ATTR "total_tokens\" (%lld): "
				       "no input and output counts", (long long)total);
		return 0;
	}
	/* the conventions count both caches inside the input */
	r->input = cr + cw <= in ? in - cr - cw : in;
	r->cache_read = cr;
	r->cache_write_5m = cw;
	r->reasoning = rs;
	r->output = rs > out ? out + rs : out;
	r->requests = 1;
	return 0;
}

/* The first of keys that is a non-empty string in a, else NULL. */
static int first_str(const cJSON *a, const char *const *keys, size_t n, const char **out,
		     struct lc_err *err)
{
	*out = NULL;
	for (size_t i = 0; i < n && !*out; i++) {
		if (uj_str(a, keys[i], keys[i], out, err))
			return -1;
		if (*out && !**out)
			*out = NULL;
	}
	return 0;
}

static int names(const cJSON *root, const cJSON *a, struct lc_usage_rec *r, const char **resp,
		 const char **trace, const char **span, struct lc_err *err)
{
	static const char *const models[] = { "gen_ai.response.model", "gen_ai.request.model" };
	static const char *const sessions[] = { "gen_ai.conversation.id", "session.id",
						"copilot_chat.session_id" };
	static const char *const rid[] = { "gen_ai.response.id" };
	const cJSON *ctx = uj_obj(root, "spanContext");
	const char *model, *sess;

	if (first_str(a, models, ARRAY_SIZE(models), &model, err) ||
	    first_str(a, sessions, ARRAY_SIZE(sessions), &sess, err) ||
	    first_str(a, rid, 1, resp, err) || uj_str(root, "traceId", "traceId", trace, err) ||
	    uj_str(root, "spanId", "spanId", span, err))
		return -1;
	if (!*trace && ctx && uj_str(ctx, "traceId", "spanContext.traceId", trace, err))
		return -1;
	if (!*span && ctx && uj_str(ctx, "spanId", "spanContext.spanId", span, err))
		return -1;
	if (!model)
		return lc_errf(err, LC_EDATA, "missing \"gen_ai.response.model\"");
	if (!sess)
		sess = *trace;
	return uj_name(r->model_raw, sizeof(r->model_raw), model, "gen_ai.response.model", err) ||
	       (sess && *sess && uj_name(r->session, sizeof(r->session), sess,
					 "gen_ai.conversation.id", err));
}

int usage_copilot(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *a = uj_obj(root, "attributes");
	const char *resp, *trace, *span;
	struct lc_usage_rec r;
	char hex[65];

	if (!a || !is_call(root, a))
		return 0;
	memset(&r, 0, sizeof(r));
	if (counts(a, &r, err))
		return -1;
	if (!r.requests)
		return 0;
	if (names(root, a, &r, &resp, &trace, &span, err) || when(root, &r.ts_ms, err))
		return -1;
	if (!r.session[0])
		agent_file_stem(s, r.session, sizeof(r.session));
	/* the response id, or the span: the same for a call's span and event */
	if (resp && *resp) {
		if (usage_key(&r, err, "copilot:%s", resp))
			return -1;
	} else if (trace && *trace && span && *span) {
		if (usage_key(&r, err, "copilot-span:%s:%s", trace, span))
			return -1;
	} else {
		snprintf(r.key, sizeof(r.key), "copilot-line:%s",
			 sha256_hex(s->text, s->text_len, hex));
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

/*
 * usage_amp.c - Amp threads
 * (${XDG_DATA_HOME:-~/.local/share}/amp/threads/T-*.json).
 *
 * A thread is one JSON document, rewritten as it goes on: {id, messages:
 * [...]}.  Each "assistant" message with a "usage" object is one model
 * response: {model, timestamp, inputTokens, outputTokens,
 * cacheCreationInputTokens, cacheReadInputTokens, totalInputTokens,
 * credits}, Anthropic's buckets: inputTokens is the uncached input
 * (totalInputTokens, when present, is the sum of the three input buckets;
 * when it equals inputTokens alone, the input held the cache buckets and
 * they are taken out).  Amp's credits are not dollars and are not read.
 * The natural key is the thread id and the message's messageId (else its
 * timestamp); a later copy replaces an earlier one.  Threads of older Amp
 * versions that carry only a usageLedger (no usage on the messages) are
 * not read.  A bad message is rejected alone (named by its index).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "usage_agents.h"

/* One message: 1 emitted, 0 not a response, -1 with err. */
static int message(struct usage_src *s, const cJSON *m, const char *thread, const char *kthread,
		   struct lc_err *err)
{
	const cJSON *u = uj_obj(m, "usage"), *ts, *mid, *ti;
	const char *role, *model;
	int64_t in, out, cw, cr, tin;
	struct lc_usage_rec r;

	if (uj_str(m, "role", "role", &role, err))
		return -1;
	if (!role || strcmp(role, "assistant") || !u)
		return 0;
	if (uj_count(u, "inputTokens", "usage.inputTokens", 0, &in, err) ||
	    uj_count(u, "outputTokens", "usage.outputTokens", 0, &out, err) ||
	    uj_count(u, "cacheCreationInputTokens", "usage.cacheCreationInputTokens", 0, &cw,
		     err) ||
	    uj_count(u, "cacheReadInputTokens", "usage.cacheReadInputTokens", 0, &cr, err) ||
	    uj_count(u, "totalInputTokens", "usage.totalInputTokens", 0, &tin, err))
		return -1;
	if (in + out + cw + cr == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	ti = cJSON_GetObjectItemCaseSensitive(u, "totalInputTokens");
	if (ti && !cJSON_IsNull(ti) && cw + cr > 0 && tin == in) {
		if (cw + cr > in)
			return lc_errf(err, LC_EDATA,
				       "cache tokens (%lld) exceed \"usage.inputTokens\" (%lld)",
				       (long long)(cw + cr), (long long)in);
		in -= cw + cr;
	}
	r.input = in;
	r.output = out;
	r.cache_write_5m = cw;
	r.cache_read = cr;
	r.requests = 1;
	if (uj_str(u, "model", "usage.model", &model, err) ||
	    (!model && uj_str(m, "model", "model", &model, err)) ||
	    uj_name(r.model_raw, sizeof(r.model_raw), model, "usage.model", err))
		return -1;
	ts = cJSON_GetObjectItemCaseSensitive(u, "timestamp");
	if (!ts || cJSON_IsNull(ts))
		ts = cJSON_GetObjectItemCaseSensitive(m, "timestamp");
	if (uj_time(ts, "usage.timestamp", 0, &r.ts_ms, err) ||
	    uj_name(r.session, sizeof(r.session), thread, "id", err))
		return -1;
	mid = cJSON_GetObjectItemCaseSensitive(m, "messageId");
	if (cJSON_IsNumber(mid) && fabs(mid->valuedouble) < 9e15 &&
	    mid->valuedouble == floor(mid->valuedouble)) {
		if (usage_key(&r, err, "amp:%s:%lld", kthread, (long long)mid->valuedouble))
			return -1;
	} else if (cJSON_IsString(mid) && mid->valuestring[0]) {
		if (usage_key(&r, err, "amp:%s:%s", kthread, mid->valuestring))
			return -1;
	} else if (usage_key(&r, err, "amp:%s:@%lld", kthread, (long long)r.ts_ms)) {
		return -1;
	}
	r.replace = 1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

int usage_amp(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *msgs, *m;
	const char *thread, *kthread;
	char stem[LC_NAME_MAX];
	int n = 0, i = 0, rc;

	if (!cJSON_IsObject(root) || !(msgs = cJSON_GetObjectItemCaseSensitive(root, "messages")))
		return 0;
	if (!cJSON_IsArray(msgs))
		return lc_errf(err, LC_EDATA, "\"messages\" is not an array");
	if (uj_str(root, "id", "id", &thread, err))
		return -1;
	/* the key never holds the file's name: a copy elsewhere is the same thread */
	kthread = thread && *thread ? thread : "-";
	if (!thread || !*thread) {
		agent_file_stem(s, stem, sizeof(stem));
		thread = stem;
	}
	cJSON_ArrayForEach(m, msgs)
	{
		struct lc_err e = { 0 };

		if (cJSON_IsObject(m)) {
			if ((rc = message(s, m, thread, kthread, &e)) < 0) {
				if (agent_reject(s, "messages", i, &e)) {
					*err = e;
					return -1;
				}
			} else {
				n += rc;
			}
		}
		i++;
	}
	return n;
}

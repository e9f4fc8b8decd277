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
 * timestamp); a later copy replaces an earlier one.  A bad message is
 * rejected alone (named by its index).
 *
 * Threads of older Amp versions carry no usage on their messages, only a
 * ledger: {usageLedger: {events: [{id, timestamp, model, credits,
 * operationType, fromMessageId, toMessageId, tokens: {input, output,
 * total, cacheReadInputTokens, cacheCreationInputTokens}}]}}, one event a
 * model call, input uncached as in the messages' usage.  It is read only
 * when no message has a usage object (a thread with both would count each
 * call twice).  An event is keyed by its id (else its toMessageId, else
 * its timestamp); one with only a total cannot be split into input and
 * output and is rejected, named by its index.
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

/* One ledger event: 1 emitted, 0 no tokens, -1 with err. */
static int ledger_event(struct usage_src *s, const cJSON *ev, const char *thread,
			const char *kthread, struct lc_err *err)
{
	const cJSON *t = uj_obj(ev, "tokens"), *to;
	const char *model, *id;
	int64_t in, out, cr, cw, total;
	struct lc_usage_rec r;

	if (!t)
		return 0;
	if (uj_count(t, "input", "tokens.input", 0, &in, err) ||
	    uj_count(t, "output", "tokens.output", 0, &out, err) ||
	    uj_count(t, "cacheReadInputTokens", "tokens.cacheReadInputTokens", 0, &cr, err) ||
	    uj_count(t, "cacheCreationInputTokens", "tokens.cacheCreationInputTokens", 0, &cw,
		     err) ||
	    uj_count(t, "total", "tokens.total", 0, &total, err))
		return -1;
	if (in + out + cr + cw == 0)
		return total > 0 ? lc_errf(err, LC_EDATA, "only \"tokens.total\" (%lld): no input "
					   "and output counts", (long long)total)
				 : 0;
	memset(&r, 0, sizeof(r));
	r.input = in;
	r.output = out;
	r.cache_read = cr;
	r.cache_write_5m = cw;
	r.requests = 1;
	if (uj_str(ev, "model", "model", &model, err) || uj_str(ev, "id", "id", &id, err) ||
	    uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err) ||
	    uj_time(cJSON_GetObjectItemCaseSensitive(ev, "timestamp"), "timestamp", 0, &r.ts_ms,
		    err) ||
	    uj_name(r.session, sizeof(r.session), thread, "id", err))
		return -1;
	to = cJSON_GetObjectItemCaseSensitive(ev, "toMessageId");
	if (id && *id) {
		if (usage_key(&r, err, "amp-ledger:%s:%s", kthread, id))
			return -1;
	} else if (cJSON_IsNumber(to) && fabs(to->valuedouble) < 9e15 &&
		   to->valuedouble == floor(to->valuedouble)) {
		if (usage_key(&r, err, "amp-ledger:%s:>%lld", kthread, (long long)to->valuedouble))
			return -1;
	} else if (usage_key(&r, err, "amp-ledger:%s:@%lld", kthread, (long long)r.ts_ms)) {
		return -1;
	}
	r.replace = 1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

/* 1 when some message has a usage object (the thread's usage is there). */
static int messages_have_usage(const cJSON *msgs)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, msgs)
		if (cJSON_IsObject(m) && uj_obj(m, "usage"))
			return 1;
	return 0;
}

/* Each element of list through fn; a bad one is rejected alone, named
   `name[i]`.  The number emitted, or -1 when the run stops. */
static int each(struct usage_src *s, const cJSON *list, const char *name,
		int (*fn)(struct usage_src *, const cJSON *, const char *, const char *,
			  struct lc_err *),
		const char *thread, const char *kthread, struct lc_err *err)
{
	const cJSON *m;
	int n = 0, i = 0, rc;

	cJSON_ArrayForEach(m, list)
	{
		struct lc_err e = { 0 };

		if (cJSON_IsObject(m)) {
			if ((rc = fn(s, m, thread, kthread, &e)) < 0) {
				if (agent_reject(s, name, i, &e)) {
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

int usage_amp(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *msgs, *ledger, *events;
	const char *thread, *kthread;
	char stem[LC_NAME_MAX];

	if (!cJSON_IsObject(root))
		return 0;
	msgs = cJSON_GetObjectItemCaseSensitive(root, "messages");
	ledger = uj_obj(root, "usageLedger");
	if (!msgs && !ledger)
		return 0;
	if (msgs && !cJSON_IsArray(msgs))
		return lc_errf(err, LC_EDATA, "\"messages\" is not an array");
	if (uj_str(root, "id", "id", &thread, err))
		return -1;
	/* the key never holds the file's name: a copy elsewhere is the same thread */
	kthread = thread && *thread ? thread : "-";
	if (!thread || !*thread) {
		agent_file_stem(s, stem, sizeof(stem));
		thread = stem;
	}
	if (!messages_have_usage(msgs) && ledger &&
	    (events = cJSON_GetObjectItemCaseSensitive(ledger, "events"))) {
		if (!cJSON_IsArray(events))
			return lc_errf(err, LC_EDATA, "\"usageLedger.events\" is not an array");
		return each(s, events, "usageLedger.events", ledger_event, thread, kthread, err);
	}
	return msgs ? each(s, msgs, "messages", message, thread, kthread, err) : 0;
}

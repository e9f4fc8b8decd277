/*
 * usage_gemini_cli.c - Gemini CLI chat recordings
 * (~/.gemini/tmp/<project>/chats/session-*.json).
 *
 * A recording is one JSON document, rewritten as the chat goes on:
 * {sessionId, projectHash, startTime, lastUpdated, messages: [...]}.  Each
 * message of type "gemini" with a "tokens" object is one model response:
 * {input, output, cached, thoughts, tool, total}, the API's usageMetadata
 * (input is the whole prompt, cached included; see agent_gemini_counts()).
 * A line of JSON Lines holding one such message (with the session's id or
 * not) is read the same way.  The natural key is the session and the
 * message id; a later copy replaces an earlier one (a rewritten recording
 * may complete a message's counts).  A bad message is rejected alone
 * (named by its index); the others are kept.
 */
#include <stdio.h>
#include <string.h>

#include "usage_agents.h"

static const char *const keys[6] = { "input", "output", "cached", "thoughts", "tool", "total" };

/* One message: 1 emitted, 0 not a response, -1 with err. */
static int message_in(struct usage_src *s, const cJSON *m, const char *sess, const char *ksess,
		      const cJSON *start, const char *project, struct lc_err *err)
{
	const cJSON *tok = uj_obj(m, "tokens"), *ts;
	const char *type, *model, *id;
	struct lc_usage_rec r;

	if (uj_str(m, "type", "type", &type, err))
		return -1;
	if (!type || strcmp(type, "gemini") || !tok)
		return 0;
	memset(&r, 0, sizeof(r));
	if (agent_gemini_counts(s, tok, "tokens", keys, &r, err))
		return -1;
	if (!r.requests)
		return 0;
	if (uj_str(m, "model", "model", &model, err) || uj_str(m, "id", "id", &id, err) ||
	    uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err))
		return -1;
	ts = cJSON_GetObjectItemCaseSensitive(m, "timestamp");
	if (!ts || cJSON_IsNull(ts))
		ts = start; /* older recordings: the session's start */
	if (uj_time(ts, "timestamp", 0, &r.ts_ms, err))
		return -1;
	if (uj_name(r.session, sizeof(r.session), sess, "sessionId", err))
		return -1;
	memcpy(r.project, project, strlen(project) + 1);
	if (id && *id) {
		if (usage_key(&r, err, "gcli:%s:%s", ksess, id))
			return -1;
	} else if (agent_hash_key(&r, "gcli-msg", m, err)) {
		return -1;
	}
	r.replace = 1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

static int message(struct usage_src *s, const cJSON *m, const char *sess, const cJSON *start,
		   const char *project, struct lc_err *err)
{
	/* the key never holds the file's name: a copy of a recording elsewhere
	   is the same chat */
	const char *ksess = sess ? sess : "-";
	char stem[LC_NAME_MAX];

	if (!sess) {
		agent_file_stem(s, stem, sizeof(stem));
		sess = stem;
	}
	return message_in(s, m, sess, ksess, start, project, err);
}

int usage_gemini_cli(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *msgs, *m, *start;
	const char *sess;
	char project[LC_NAME_MAX];
	int n = 0, i = 0, rc;

	if (!cJSON_IsObject(root))
		return 0;
	if (uj_str(root, "sessionId", "sessionId", &sess, err))
		return -1;
	if (sess && !*sess)
		sess = NULL;
	agent_chat_project(s, project, sizeof(project));
	msgs = cJSON_GetObjectItemCaseSensitive(root, "messages");
	if (!msgs)
		return message(s, root, sess, NULL, project, err); /* a JSON Lines message */
	if (!cJSON_IsArray(msgs))
		return lc_errf(err, LC_EDATA, "\"messages\" is not an array");
	start = cJSON_GetObjectItemCaseSensitive(root, "startTime");
	cJSON_ArrayForEach(m, msgs)
	{
		struct lc_err e = { 0 };

		if (cJSON_IsObject(m)) {
			if ((rc = message(s, m, sess, start, project, &e)) < 0) {
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

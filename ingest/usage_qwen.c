/*
 * usage_qwen.c - Qwen Code chat logs
 * (~/.qwen/projects/<project>/chats/<session>.jsonl).
 *
 * One JSON object a line: {uuid, parentUuid, sessionId, timestamp, type,
 * cwd, model, message, usageMetadata}.  An "assistant" line with
 * usageMetadata is one model response; the counts are Gemini's
 * usageMetadata (Qwen Code is a fork of Gemini CLI and converts every
 * provider's usage to it): promptTokenCount includes
 * cachedContentTokenCount (see agent_gemini_counts()).  The natural key is
 * the line's uuid, else a hash of the line.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "usage_agents.h"

static const char *const keys[6] = { "promptTokenCount",      "candidatesTokenCount",
				     "cachedContentTokenCount", "thoughtsTokenCount",
				     "toolUsePromptTokenCount", "totalTokenCount" };

int usage_qwen(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *u = uj_obj(root, "usageMetadata");
	const char *type, *model, *uuid, *sess, *cwd;
	struct lc_usage_rec r;

	if (!u || uj_str(root, "type", "type", &type, err))
		return u ? -1 : 0;
	if (!type || strcmp(type, "assistant"))
		return 0;
	memset(&r, 0, sizeof(r));
	if (agent_gemini_counts(s, u, "usageMetadata", keys, &r, err))
		return -1;
	if (!r.requests)
		return 0;
	if (uj_str(root, "model", "model", &model, err) || uj_str(root, "uuid", "uuid", &uuid, err) ||
	    uj_str(root, "sessionId", "sessionId", &sess, err) ||
	    uj_str(root, "cwd", "cwd", &cwd, err) ||
	    uj_time(cJSON_GetObjectItemCaseSensitive(root, "timestamp"), "timestamp", 0, &r.ts_ms,
		    err) ||
	    uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err) ||
	    (sess && *sess && uj_name(r.session, sizeof(r.session), sess, "sessionId", err)))
		return -1;
	if (!r.session[0])
		agent_file_stem(s, r.session, sizeof(r.session));
	if (cwd && *cwd) {
		if (uj_name(r.project, sizeof(r.project), cwd, "cwd", err))
			return -1;
	} else {
		agent_chat_project(s, r.project, sizeof(r.project));
	}
	if (uuid && *uuid) {
		if (usage_key(&r, err, "qwen:%s", uuid))
			return -1;
	} else {
		char hex[65];

		snprintf(r.key, sizeof(r.key), "qwen-line:%s", sha256_hex(s->text, s->text_len, hex));
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

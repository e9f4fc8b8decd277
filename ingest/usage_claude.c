/*
 * usage_claude.c - Claude Code session logs (.jsonl files under ~/.claude/projects).
 *
 * An `assistant` line (or a `progress` line wrapping a sub-agent's assistant
 * message in data.message) with message.usage is one record.  One API
 * response is written as several lines with the same message.id, requestId
 * and usage; the natural key is (message.id, requestId or "none"), and
 * message.id is the group used by the sidechain rule (lib/db_usage.c).  A
 * line without message.id is keyed by its uuid, else by a hash of the line,
 * so it is never merged with another response.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "usage.h"

/* The assistant envelope and message of a line, or 0 when it carries none. */
static int locate(const cJSON *root, const cJSON **env, const cJSON **msg)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "type");
	const char *type = cJSON_IsString(t) ? t->valuestring : "";

	*env = root;
	if (!strcmp(type, "progress")) {
		const cJSON *d = uj_obj(root, "data");

		*env = uj_obj(d, "message");
		if (!*env)
			return 0;
		t = cJSON_GetObjectItemCaseSensitive(*env, "type");
		if (!cJSON_IsString(t) || strcmp(t->valuestring, "assistant"))
			return 0;
	} else if (strcmp(type, "assistant")) {
		return 0;
	}
	*msg = uj_obj(*env, "message");
	return *msg && uj_obj(*msg, "usage");
}

int usage_claude(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *env, *msg, *u;
	const char *model, *id, *req, *sess, *cwd, *uuid;
	struct lc_usage_rec r;
	const cJSON *ts, *cost;

	if (!cJSON_IsObject(root) || !locate(root, &env, &msg))
		return 0;
	if (uj_true(env, "isApiErrorMessage"))
		return 0; /* an error notice, nothing billed */
	u = uj_obj(msg, "usage");
	memset(&r, 0, sizeof(r));
	if (uj_str(msg, "model", "message.model", &model, err) ||
	    uj_str(msg, "id", "message.id", &id, err) ||
	    uj_str(env, "requestId", "requestId", &req, err) ||
	    uj_str(env, "sessionId", "sessionId", &sess, err) ||
	    uj_str(env, "cwd", "cwd", &cwd, err) || uj_str(env, "uuid", "uuid", &uuid, err))
		return -1;
	if (!model)
		return lc_errf(err, LC_EDATA, "missing \"message.model\"");
	if (!strcmp(model, "<synthetic>"))
		return 0; /* a client-side placeholder: no API call */
	ts = cJSON_GetObjectItemCaseSensitive(env, "timestamp");
	if (!ts && env != root)
		ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (uj_time(ts, "timestamp", 0, &r.ts_ms, err))
		return -1;
	if (usage_anthropic_counts(s, u, &r, err))
		return -1;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "message.model", err) ||
	    uj_name(r.session, sizeof(r.session), sess ? sess : s->path_session, "sessionId",
		    err) ||
	    uj_name(r.project, sizeof(r.project), cwd ? cwd : s->path_project, "cwd", err))
		return -1;
	r.sidechain = uj_true(env, "isSidechain");
	cost = cJSON_GetObjectItemCaseSensitive(env, "costUSD");
	if (cost && !cJSON_IsNull(cost)) {
		if (uj_usd(cost, "costUSD", &r.reported_cost, err))
			return -1;
		r.has_reported_cost = 1;
	}
	if (id && *id) {
		if (strlen(id) + (req ? strlen(req) : 4) + 8 >= sizeof(r.key))
			return lc_errf(err, LC_EDATA, "\"message.id\" or \"requestId\" is too long");
		snprintf(r.group, sizeof(r.group), "%s", id);
		snprintf(r.key, sizeof(r.key), "cc:%s:%s", id, req && *req ? req : "none");
	} else if (uuid && *uuid && strlen(uuid) < 200) {
		snprintf(r.key, sizeof(r.key), "cc-uuid:%s", uuid);
	} else {
		char hex[65];

		snprintf(r.key, sizeof(r.key), "cc-line:%s", sha256_hex(s->text, s->text_len, hex));
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

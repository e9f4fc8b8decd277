/*
 * usage_gemini.c - Gemini / Vertex generateContent responses with
 * usageMetadata (one JSON per line, optionally in an envelope with the
 * time; a streamed response may be a JSON array of chunks).
 *
 * promptTokenCount includes cachedContentTokenCount; thoughtsTokenCount is
 * not in candidatesTokenCount but is billed as output; toolUsePromptTokenCount
 * is billed as input.  Stream chunks share a responseId and carry growing
 * counts, so a later copy with the same id replaces an earlier one.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "usage.h"

int usage_gemini(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *b = root, *u, *t;
	struct lc_usage_rec r;
	const char *model = NULL, *id, *project;
	int64_t prompt, cached, cand, thoughts, tool, total;

	if (!cJSON_IsObject(root))
		return 0;
	if (!uj_obj(b, "usageMetadata")) {
		if (!(b = uj_obj(root, "response")) || !uj_obj(b, "usageMetadata"))
			return 0;
	}
	u = uj_obj(b, "usageMetadata");
	memset(&r, 0, sizeof(r));
	if (uj_count(u, "promptTokenCount", "usageMetadata.promptTokenCount", 0, &prompt, err) ||
	    uj_count(u, "cachedContentTokenCount", "usageMetadata.cachedContentTokenCount", 0,
		     &cached, err) ||
	    uj_count(u, "candidatesTokenCount", "usageMetadata.candidatesTokenCount", 0, &cand,
		     err) ||
	    uj_count(u, "thoughtsTokenCount", "usageMetadata.thoughtsTokenCount", 0, &thoughts,
		     err) ||
	    uj_count(u, "toolUsePromptTokenCount", "usageMetadata.toolUsePromptTokenCount", 0,
		     &tool, err) ||
	    uj_count(u, "totalTokenCount", "usageMetadata.totalTokenCount", 0, &total, err))
		return -1;
	if (cached > prompt)
		return lc_errf(err, LC_EDATA,
			       "cachedContentTokenCount (%lld) exceeds promptTokenCount (%lld)",
			       (long long)cached, (long long)prompt);
	if (total && total != prompt + cand + thoughts + tool)
		usage_warn(s, "totalTokenCount %lld is not prompt + candidates + thoughts + tool use (%lld)",
			   (long long)total, (long long)(prompt + cand + thoughts + tool));
	r.input = prompt - cached + tool;
	r.cache_read = cached;
	r.output = cand + thoughts;
	r.reasoning = thoughts;
	r.requests = 1;
	if (uj_str(b, "modelVersion", "modelVersion", &model, err) ||
	    (!model && uj_str(root, "model", "model", &model, err)) ||
	    uj_str(b, "responseId", "responseId", &id, err) ||
	    uj_str(root, "project", "project", &project, err))
		return -1;
	if (!model)
		return lc_errf(err, LC_EDATA, "missing \"modelVersion\" (or an envelope \"model\")");
	t = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (!t)
		t = cJSON_GetObjectItemCaseSensitive(b, "createTime");
	if (uj_time(t, "timestamp", 1, &r.ts_ms, err))
		return -1;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "modelVersion", err) ||
	    uj_name(r.project, sizeof(r.project), project, "project", err))
		return -1;
	if (id && *id) {
		if (usage_key(&r, err, "gemini:%s", id))
			return -1;
		r.replace = 1;
	} else {
		char hex[65];

		snprintf(r.key, sizeof(r.key), "gemini-line:%s", sha256_hex(s->text, s->text_len, hex));
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

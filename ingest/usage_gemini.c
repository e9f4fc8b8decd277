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

#include "money.h"
#include "sha256.h"
#include "usage.h"

/* name (from the file) for a message: printable ASCII kept, every other
   byte as \xNN, at most 40 bytes of it. */
static void printable(char *dst, size_t n, const char *name)
{
	size_t k = 0;

	for (size_t i = 0; name[i] && i < 40 && k + 5 < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			dst[k++] = (char)c;
		else
			k += (size_t)snprintf(dst + k, n - k, "\\x%02x", c);
	}
	dst[k] = '\0';
}

/* Per-modality counts of one *TokensDetails list. */
enum { M_TEXT, M_AUDIO, M_IMAGE, M_OTHER, M_N };

/*
 * Sum the list at key of u by modality into m[] (absent: all 0).  VIDEO has
 * no price column (other); a modality llmcost does not know is other too,
 * with a warning naming the field.  -1 (LC_EDATA) on a malformed entry.
 */
static int modalities(struct usage_src *s, const cJSON *u, const char *key, int64_t m[M_N],
		      struct lc_err *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(u, key), *e;
	char name[96];
	int i = 0;

	memset(m, 0, sizeof(int64_t) * M_N);
	if (!list || cJSON_IsNull(list))
		return 0;
	if (!cJSON_IsArray(list))
		return lc_errf(err, LC_EDATA, "usageMetadata.%s is not a list", key);
	cJSON_ArrayForEach(e, list)
	{
		const char *mod;
		int64_t n;
		int k;

		snprintf(name, sizeof(name), "usageMetadata.%s[%d].tokenCount", key, i);
		if (!cJSON_IsObject(e))
			return lc_errf(err, LC_EDATA, "usageMetadata.%s[%d] is not an object", key, i);
		if (uj_count(e, "tokenCount", name, 0, &n, err))
			return -1;
		snprintf(name, sizeof(name), "usageMetadata.%s[%d].modality", key, i);
		if (uj_str(e, "modality", name, &mod, err))
			return -1;
		if (!mod || !strcmp(mod, "TEXT"))
			k = M_TEXT;
		else if (!strcmp(mod, "AUDIO"))
			k = M_AUDIO;
		else if (!strcmp(mod, "IMAGE"))
			k = M_IMAGE;
		else
			k = M_OTHER;
		if (k == M_OTHER && n > 0 && strcmp(mod, "VIDEO")) {
			char shown[4 * 40 + 8];

			printable(shown, sizeof(shown), mod);
			usage_warn(s, "%s: unknown modality \"%s\": its %lld tokens are not priced",
				   name, shown, (long long)n);
		}
		if (m[k] > LC_TOKENS_MAX - n)
			return lc_errf(err, LC_EDATA, "usageMetadata.%s: out of range (over 10^12)", key);
		m[k] += n;
		i++;
	}
	return 0;
}

int usage_gemini(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *b = root, *u, *t;
	struct lc_usage_rec r;
	const char *model = NULL, *id, *project;
	int64_t prompt, cached, cand, thoughts, tool, total;
	int64_t pm[M_N], cm[M_N], om[M_N];

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
	    uj_count(u, "totalTokenCount", "usageMetadata.totalTokenCount", 0, &total, err) ||
	    modalities(s, u, "promptTokensDetails", pm, err) ||
	    modalities(s, u, "cacheTokensDetails", cm, err) ||
	    modalities(s, u, "candidatesTokensDetails", om, err))
		return -1;
	if (cached > prompt)
		return lc_errf(err, LC_EDATA,
			       "cachedContentTokenCount (%lld) exceeds promptTokenCount (%lld)",
			       (long long)cached, (long long)prompt);
	if (total && total != prompt + cand + thoughts + tool)
		usage_warn(s, "totalTokenCount %lld is not prompt + candidates + thoughts + tool use (%lld)",
			   (long long)total, (long long)(prompt + cand + thoughts + tool));
	/*
	 * The detail lists split the counts by modality (the prompt's includes
	 * the cached tokens, the cache's splits those).  Uncached audio and
	 * image input get their own buckets; cached audio, video and unknown
	 * modalities have no price (other); cached images are billed as cached
	 * text.  Audio output is priced apart; image and other output have no
	 * price (other).  What the lists leave out is text.
	 */
	for (int k = M_AUDIO; k < M_N; k++)
		if (cm[k] > pm[k])
			return lc_errf(err, LC_EDATA,
				       "usageMetadata.cacheTokensDetails exceeds promptTokensDetails for %s",
				       k == M_AUDIO ? "AUDIO" : k == M_IMAGE ? "IMAGE" : "another modality");
	if (pm[M_AUDIO] + pm[M_IMAGE] + pm[M_OTHER] - cm[M_AUDIO] - cm[M_IMAGE] - cm[M_OTHER] >
	    prompt - cached)
		return lc_errf(err, LC_EDATA,
			       "usageMetadata.promptTokensDetails: audio, image and other tokens exceed the uncached prompt");
	if (cm[M_AUDIO] + cm[M_OTHER] > cached)
		return lc_errf(err, LC_EDATA,
			       "usageMetadata.cacheTokensDetails exceeds cachedContentTokenCount");
	if (om[M_AUDIO] + om[M_IMAGE] + om[M_OTHER] > cand)
		return lc_errf(err, LC_EDATA,
			       "usageMetadata.candidatesTokensDetails exceeds candidatesTokenCount");
	r.audio_input = pm[M_AUDIO] - cm[M_AUDIO];
	r.image_input = pm[M_IMAGE] - cm[M_IMAGE];
	r.audio_output = om[M_AUDIO];
	r.other_tokens = pm[M_OTHER] + cm[M_AUDIO] + om[M_IMAGE] + om[M_OTHER];
	r.input = prompt - cached - r.audio_input - r.image_input - (pm[M_OTHER] - cm[M_OTHER]) +
		  tool;
	r.cache_read = cached - cm[M_AUDIO] - cm[M_OTHER];
	r.output = cand - om[M_AUDIO] - om[M_IMAGE] - om[M_OTHER] + thoughts;
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

/*
 * sheet_openrouter.c - OpenRouter's GET /api/v1/models body.
 *
 * Prices are decimal strings in USD per token (per item for request,
 * web_search, image) and are parsed exactly (money_parse, shift 15 or 9).
 * Every model is an offering of the host "openrouter".  Special ids:
 *   "-1" prices (routers such as openrouter/auto) -> no price, counted;
 *   "<id>:free"  -> a real 0 price, stored as an offering of the host
 *                   "openrouter-free" with the alias "<id>:free";
 *   "<id>:batch" -> the batch_input/batch_output prices of <id>;
 *   "~<id>"      -> an alias that follows another id: not priced again;
 *   overrides with min_prompt_tokens -> context tiers (later entries win per
 *   key, missing keys fall back to the base price); time-window overrides
 *   (utc_start/utc_end) are not modelled and counted.
 * `image` equal to `prompt` (Gemini) is a per-token price, not a per-image
 * fee, and is dropped.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "sheet_parse.h"

static const struct {
	const char *key;
	size_t field;
	int shift;
} fields[] = {
	{ "prompt", offsetof(struct lc_tier, input), 15 },
	{ "completion", offsetof(struct lc_tier, output), 15 },
	{ "input_cache_read", offsetof(struct lc_tier, cache_read), 15 },
	{ "input_cache_write", offsetof(struct lc_tier, cache_write_5m), 15 },
	{ "input_cache_write_1h", offsetof(struct lc_tier, cache_write_1h), 15 },
	{ "internal_reasoning", offsetof(struct lc_tier, reasoning), 15 },
	{ "audio", offsetof(struct lc_tier, audio_input), 15 },
	{ "audio_output", offsetof(struct lc_tier, audio_output), 15 },
	{ "image_token", offsetof(struct lc_tier, image_input), 15 },
	{ "image", offsetof(struct lc_tier, image_per_item), 9 },
	{ "request", offsetof(struct lc_tier, request_fee), 9 },
	{ "web_search", offsetof(struct lc_tier, web_search_fee), 9 },
};
#define NFIELDS (ARRAY_SIZE(fields))

/* OpenRouter author slugs that llmcost calls by another provider id */
static const struct {
	const char *slug, *id;
} authors[] = {
	{ "x-ai", "xai" },         { "meta-llama", "meta" },     { "mistralai", "mistral" },
	{ "qwen", "alibaba" },     { "moonshotai", "moonshot" }, { "z-ai", "zai" },
	{ "deepseek-ai", "deepseek" },
};

/* Apply the price keys of obj onto t; -1 when one is not a number. */
static int apply(const cJSON *obj, struct lc_tier *t, int *rounded)
{
	const char *prompt = NULL;
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(obj, "prompt");

	if (cJSON_IsString(p))
		prompt = p->valuestring;
	for (size_t i = 0; i < NFIELDS; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, fields[i].key);
		int64_t n;
		int r;

		if (!v)
			continue;
		if (fields[i].field == offsetof(struct lc_tier, image_per_item) && prompt &&
		    cJSON_IsString(v) && !strcmp(v->valuestring, prompt))
			continue; /* Gemini: `image` repeats the per-token prompt price */
		r = sheet_json_money(v, fields[i].shift, &n, rounded);
		if (r < 0)
			return -1;
		if (r > 0)
			sheet_tier_set(t, fields[i].field, n);
	}
	return 0;
}

static int is_sentinel(const cJSON *pricing, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(pricing, key);

	return cJSON_IsString(v) && !strcmp(v->valuestring, "-1");
}

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n > k && !strcmp(s + n - k, suf);
}


/*
 * The mode of a model from architecture.output_modalities: an entry that
 * outputs embeddings, or video/image/audio but no text, is not a chat model
 * even when its "prompt"/"completion" prices are set ($0.005 in, $0 out
 * for an embedding model).  Writes mode and returns 1 for those; 0 leaves
 * mode ("chat") alone.
 */
static int output_mode(const cJSON *m, char *mode, size_t n)
{
	const cJSON *arch = cJSON_GetObjectItemCaseSensitive(m, "architecture");
	const cJSON *outs = cJSON_GetObjectItemCaseSensitive(arch, "output_modalities");
	const cJSON *o;
	int text = 0, emb = 0, video = 0, image = 0, audio = 0;

	if (!cJSON_IsArray(outs))
		return 0;
	cJSON_ArrayForEach(o, outs)
	{
		if (!cJSON_IsString(o))
			continue;
		text |= !strcmp(o->valuestring, "text");
		emb |= !strcmp(o->valuestring, "embeddings");
		video |= !strcmp(o->valuestring, "video");
		image |= !strcmp(o->valuestring, "image");
		audio |= !strcmp(o->valuestring, "audio");
	}
	if (emb)
		return snprintf(mode, n, "embedding"), 1;
	if (text)
		return 0;
	if (video)
		return snprintf(mode, n, "video_generation"), 1;
	if (image)
		return snprintf(mode, n, "image_generation"), 1;
	if (audio)
		return snprintf(mode, n, "audio_speech"), 1;
	return 0;
}

/* The entry's "name", cut as a char[LC_ID_MAX] cut it, or "". */
static const char *json_name(struct sheet *s, const cJSON *m)
{
	const char *v = sheet_json_str(m, "name", NULL, 0);

	return v ? sheet_str(s, v, LC_ID_MAX) : "";
}

int sheet_parse_openrouter(const char *data, size_t len, const char *name, struct sheet *s,
			   struct lc_err *err)
{
	cJSON *root = sheet_json_parse(data, len, name, err);
	const cJSON *list, *m;
	size_t nbatch = 0;
	char buf[LC_ID_MAX];

	if (!root)
		return -1;
	list = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(root);
		return lc_errf(err, LC_EDATA,
			       "cannot parse price sheet '%s': not an OpenRouter models list (no \"data\" array)",
			       name);
	}
	cJSON_ArrayForEach(m, list)
	{
		const cJSON *pricing = cJSON_GetObjectItemCaseSensitive(m, "pricing");
		const cJSON *ov;
		struct sheet_entry *e;
		char id[LC_ID_MAX];
		int64_t n;

		s->seen++;
		if (!sheet_json_str(m, "id", id, sizeof(id)) || !id[0]) {
			sheet_note_unusable(s, "(model without an id)");
			continue;
		}
		if (!cJSON_IsObject(pricing)) {
			sheet_note_unusable(s, id);
			continue;
		}
		if (id[0] == '~') {
			s->not_modelled++; /* follows alias_target; priced under that id */
			continue;
		}
		if (is_sentinel(pricing, "prompt") || is_sentinel(pricing, "completion")) {
			sheet_note_no_price(s, id);
			continue;
		}
		if (!(e = sheet_add(s, err))) {
			cJSON_Delete(root);
			return -1;
		}
		e->key = sheet_str(s, id, LC_ID_MAX);
		e->host = "openrouter";
		e->name = json_name(s, m);
		{
			const char *sl = strchr(id, '/');

			if (sl && (size_t)(sl - id) < LC_ID_MAX) {
				e->maker = sheet_strn(s, id, (size_t)(sl - id));
				for (size_t k = 0; k < ARRAY_SIZE(authors); k++)
					if (!strcmp(e->maker, authors[k].slug))
						e->maker = authors[k].id;
			}
		}
		if (sheet_json_count(cJSON_GetObjectItemCaseSensitive(m, "context_length"), &n) == 0)
			e->context_window = n;
		if (output_mode(m, e->mode, sizeof(e->mode)))
			s->nonchat++;
		if (ends_with(id, ":free")) {
			e->host = "openrouter-free";
			sheet_lower(buf, id, LC_ID_MAX);
			e->alias = sheet_str(s, buf, LC_ID_MAX);
		}
		if (apply(pricing, sheet_tier(s, e, 0), &e->rounded)) {
			sheet_drop_last(s);
			sheet_note_unusable(s, id);
			continue;
		}
		ov = cJSON_GetObjectItemCaseSensitive(pricing, "overrides");
		if (cJSON_IsArray(ov)) {
			const cJSON *o;
			int bad = 0;

			cJSON_ArrayForEach(o, ov)
			{
				const cJSON *min = cJSON_GetObjectItemCaseSensitive(o, "min_prompt_tokens");
				struct lc_tier *t;

				if (!cJSON_IsObject(o) ||
				    cJSON_GetObjectItemCaseSensitive(o, "utc_start") ||
				    cJSON_GetObjectItemCaseSensitive(o, "utc_end") || !min) {
					s->not_modelled++; /* time-of-day windows */
					continue;
				}
				if (sheet_json_count(min, &n) || !(t = sheet_tier(s, e, n)) ||
				    apply(o, t, &e->rounded)) {
					bad = 1;
					break;
				}
			}
			if (bad) {
				sheet_drop_last(s);
				sheet_note_unusable(s, id);
				continue;
			}
		}
		if (ends_with(id, ":batch"))
			nbatch++;
	}
	cJSON_Delete(root);

	/* fold "<id>:batch" into <id>'s batch prices, then drop the batch ids */
	if (nbatch) {
		size_t w = 0;

		for (size_t i = 0; i < s->n; i++) {
			struct sheet_entry *b = &s->v[i];
			size_t klen = strlen(b->key);
			int merged = 0;

			if (!ends_with(b->key, ":batch"))
				continue;
			for (size_t j = 0; j < s->n && !merged; j++) {
				struct sheet_entry *base = &s->v[j];

				if (j == i || strlen(base->key) != klen - 6 ||
				    strncmp(base->key, b->key, klen - 6))
					continue;
				base->tiers[0].batch_input = b->tiers[0].input;
				base->tiers[0].batch_output = b->tiers[0].output;
				base->rounded |= b->rounded;
				merged = 1;
			}
			if (!merged)
				s->not_modelled++; /* a batch id without its base model */
		}
		for (size_t i = 0; i < s->n; i++) {
			if (ends_with(s->v[i].key, ":batch"))
				continue;
			if (w != i)
				s->v[w] = s->v[i];
			w++;
		}
		s->n = w;
	}
	return 0;
}

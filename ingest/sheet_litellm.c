/*
 * sheet_litellm.c - LiteLLM's model_prices_and_context_window.json.
 *
 * One object keyed by model; `sample_spec` and non-object values (a mirror's
 * "last_updated") are skipped.  Prices are JSON floats in USD per token, so
 * they go through money_from_double (shortest round-tripping text, then
 * exact parsing; the one documented conversion).  String costs are parsed
 * exactly.  The cost keys follow a grammar, parsed rather than grepped:
 *
 *   BASE [_above_1hr] [_above_<N>k_tokens] [_batches | _flex | _priority]
 *
 * `_above_1hr` is a cache TTL (cache_creation_input_token_cost_above_1hr is
 * the 1-hour cache write), `_above_<N>k_tokens` a context tier of N*1000
 * tokens, `_batches` the batch price; `_flex` and `_priority` service tiers
 * are not modelled (counted).  Keys for seconds, characters, pixels, video
 * and the like are ignored.  The host is litellm_provider, mapped onto
 * llmcost's provider ids (vertex_ai-* -> vertex, bedrock_converse ->
 * bedrock, gemini -> google, ...); other providers keep their own id.
 *
 * The map is walked member by member (sheet_json_members) and each entry's
 * value parsed alone: a tree of the whole map took ~9 bytes of memory per
 * byte of sheet.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet_parse.h"

#define F(m) offsetof(struct lc_tier, m)

/* Longest first, so input_cost_per_image_token is tried before input_cost_per_image. */
static const struct {
	const char *base;
	size_t field;
	int shift;
} bases[] = {
	{ "cache_creation_input_token_cost", F(cache_write_5m), 15 },
	{ "output_cost_per_reasoning_token", F(reasoning), 15 },
	{ "cache_read_input_token_cost", F(cache_read), 15 },
	{ "input_cost_per_image_token", F(image_input), 15 },
	{ "output_cost_per_audio_token", F(audio_output), 15 },
	{ "input_cost_per_audio_token", F(audio_input), 15 },
	{ "output_cost_per_token", F(output), 15 },
	{ "input_cost_per_request", F(request_fee), 9 },
	{ "input_cost_per_token", F(input), 15 },
	{ "input_cost_per_image", F(image_per_item), 9 },
};

static int eat(const char **p, const char *word)
{
	size_t k = strlen(word);

	if (strncmp(*p, word, k))
		return 0;
	*p += k;
	return 1;
}

int litellm_parse_key(const char *key, struct litellm_key *out)
{
	const char *p = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bases); i++)
		if (!strncmp(key, bases[i].base, strlen(bases[i].base))) {
			p = key + strlen(bases[i].base);
			break;
		}
	if (!p)
		return 0;
	memset(out, 0, sizeof(*out));
	out->field = bases[i].field;
	out->shift = bases[i].shift;
	if (out->field == F(input) && eat(&p, "_cache_hit")) {
		out->field = F(cache_read); /* DeepSeek's input_cost_per_token_cache_hit */
	}
	if (eat(&p, "_above_1hr")) {
		if (out->field != F(cache_write_5m))
			return 0;
		out->field = F(cache_write_1h);
	}
	if (!strncmp(p, "_above_", 7)) {
		const char *q = p + 7;
		char *end;
		long n = strtol(q, &end, 10);

		if (end == q || n <= 0 || n > 100000 || strncmp(end, "k_tokens", 8))
			return 0; /* _above_15s_interval and other units */
		out->min_tokens = (int64_t)n * 1000;
		p = end + 8;
	}
	if (eat(&p, "_batches"))
		out->service = 'b';
	else if (eat(&p, "_flex"))
		out->service = 'f';
	else if (eat(&p, "_priority"))
		out->service = 'p';
	if (*p)
		return 0; /* an unknown trailing part: not a key llmcost models */
	if (out->service == 'b') {
		/* batch prices exist for input and output only */
		if (out->field == F(input))
			out->field = F(batch_input);
		else if (out->field == F(output))
			out->field = F(batch_output);
		else
			return 0;
	}
	return 1;
}

static const struct {
	const char *litellm, *host;
} hosts[] = {
	{ "openai", "openai" },        { "text-completion-openai", "openai" },
	{ "anthropic", "anthropic" },  { "gemini", "google" },
	{ "bedrock", "bedrock" },      { "bedrock_converse", "bedrock" },
	{ "azure", "azure" },          { "azure_ai", "azure" },
	{ "mistral", "mistral" },      { "deepseek", "deepseek" },
	{ "xai", "xai" },              { "cohere", "cohere" },
	{ "cohere_chat", "cohere" },   { "groq", "groq" },
	{ "together_ai", "together" }, { "fireworks_ai", "fireworks" },
	{ "deepinfra", "deepinfra" },  { "openrouter", "openrouter" },
	{ "dashscope", "alibaba" },    { "amazon_nova", "amazon" },
	{ "meta_llama", "meta" },
};

/* litellm_provider -> llmcost provider id (lowercase, [a-z0-9_.-]). */
static void map_host(const char *prov, char *out, size_t n)
{
	char low[LC_ID_MAX];
	size_t o = 0;

	sheet_lower(low, prov, sizeof(low));
	if (!strncmp(low, "vertex_ai", 9)) {
		snprintf(out, n, "vertex");
		return;
	}
	if (!strncmp(low, "fireworks_ai", 12)) {
		snprintf(out, n, "fireworks");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(hosts); i++)
		if (!strcmp(low, hosts[i].litellm)) {
			lc_strlcpy(out, hosts[i].host, n);
			return;
		}
	for (const char *p = low; *p && o + 1 < n; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		    *p == '-' || *p == '.')
			out[o++] = *p;
	out[o] = '\0';
}

/* Read one entry's cost keys into e; -1 when a price is not a number. */
static int read_costs(const cJSON *obj, struct sheet_entry *e, struct sheet *s)
{
	const cJSON *c;
	int ignored_service = 0;

	cJSON_ArrayForEach(c, obj)
	{
		struct litellm_key k;
		struct lc_tier *t;
		int64_t v;
		int r;

		if (!c->string)
			continue;
		if (!strcmp(c->string, "search_context_cost_per_query")) {
			/* USD per query by context size: the medium size is the default */
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "search_context_size_medium");

			r = sheet_json_money(m, 9, &v, &e->rounded);
			if (r < 0)
				return -1;
			if (r > 0)
				sheet_tier(s, e, 0)->web_search_fee = v;
			continue;
		}
		if (!litellm_parse_key(c->string, &k))
			continue;
		if (k.service == 'f' || k.service == 'p') {
			ignored_service = 1;
			continue;
		}
		if (k.service == 'b' && k.min_tokens)
			continue; /* tiered batch prices: not modelled */
		r = sheet_json_money(c, k.shift, &v, &e->rounded);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		if (!(t = sheet_tier(s, e, k.min_tokens)))
			return -1;
		sheet_tier_set(t, k.field, v);
	}
	if (ignored_service)
		s->not_modelled++;
	return 0;
}

/* Dashscope: tiered_pricing [{input_cost_per_token, output_cost_per_token, range:[lo,hi]}] */
static int read_tiered(const cJSON *obj, struct sheet_entry *e, struct sheet *s)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, "tiered_pricing"), *it;

	if (!list)
		return 0;
	if (!cJSON_IsArray(list))
		return -1;
	cJSON_ArrayForEach(it, list)
	{
		const cJSON *range = cJSON_GetObjectItemCaseSensitive(it, "range");
		int64_t lo, v;
		struct lc_tier *t;
		int r;

		if (!range)
			continue; /* tiers by result count (search APIs): not modelled */
		if (!cJSON_IsArray(range) || sheet_json_count(cJSON_GetArrayItem(range, 0), &lo))
			return -1;
		if (!(t = sheet_tier(s, e, lo)))
			return -1;
		r = sheet_json_money(cJSON_GetObjectItemCaseSensitive(it, "input_cost_per_token"), 15, &v,
				     &e->rounded);
		if (r < 0)
			return -1;
		if (r > 0)
			t->input = v;
		r = sheet_json_money(cJSON_GetObjectItemCaseSensitive(it, "output_cost_per_token"), 15,
				     &v, &e->rounded);
		if (r < 0)
			return -1;
		if (r > 0)
			t->output = v;
	}
	return 0;
}

struct walk {
	struct sheet *s;
	const char *name;
};

/*
 * One member of the map: key and its value's text.  The value is parsed
 * alone, so only one entry's tree is in memory at a time.  Returns 0, or
 * -1 with err (out of memory).
 */
static int read_entry(void *ctx, const char *key, const char *val, size_t len,
		      struct lc_err *err)
{
	struct walk *w = ctx;
	struct sheet *s = w->s;
	struct sheet_entry *e;
	const char *prov, *mode;
	char host[LC_ID_MAX];
	cJSON *m;
	int64_t n;

	if (*val != '{' || !strcmp(key, "sample_spec"))
		return 0; /* not a model entry (a mirror's metadata) */
	if (!(m = cJSON_ParseWithLength(val, len)))
		return lc_errf(err, LC_ERUNTIME, "out of memory reading '%s'", w->name);
	if (!cJSON_GetObjectItemCaseSensitive(m, "litellm_provider"))
		goto done; /* fallback rules and the like */
	s->seen++;
	if (strlen(key) >= LC_ID_MAX) {
		sheet_note_unusable(s, "(key too long)");
		goto done;
	}
	if (!(e = sheet_add(s, err))) {
		cJSON_Delete(m);
		return -1;
	}
	e->key = sheet_str(s, key, LC_ID_MAX);
	prov = sheet_json_str(m, "litellm_provider", NULL, 0);
	map_host(prov ? prov : "", host, sizeof(host));
	e->host = sheet_str(s, host, LC_ID_MAX);
	if (!e->host[0]) {
		sheet_drop_last(s);
		sheet_note_unusable(s, key);
		goto done;
	}
	mode = sheet_json_str(m, "mode", NULL, 0);
	if (mode && *mode && strlen(mode) < sizeof(e->mode) && !strchr(mode, ' '))
		LC_COPY(e->mode, mode);
	if (sheet_json_count(cJSON_GetObjectItemCaseSensitive(m, "max_input_tokens"), &n) == 0 &&
	    n > 0)
		e->context_window = n;
	if (read_costs(m, e, s) || read_tiered(m, e, s)) {
		sheet_drop_last(s);
		sheet_note_unusable(s, key);
		goto done;
	}
	if (e->ntiers == 0 || !sheet_tier_priced(&e->tiers[0]) ||
	    (e->tiers[0].input == LC_NONE && e->tiers[0].output == LC_NONE &&
	     sheet_mode_is_chat(e->mode))) {
		sheet_drop_last(s);
		sheet_note_no_price(s, key);
		goto done;
	}
	if (!sheet_mode_is_chat(e->mode))
		s->nonchat++;
done:
	cJSON_Delete(m);
	return 0;
}

int sheet_parse_litellm(const char *data, size_t len, const char *name, struct sheet *s,
			struct lc_err *err)
{
	struct walk w = { s, name };
	int r = sheet_json_members(data, len, name, read_entry, &w, err);

	if (r == 1)
		return lc_errf(err, LC_EDATA,
			       "cannot parse price sheet '%s': not a LiteLLM price map (want one JSON object)",
			       name);
	return r;
}

/*
 * sheet_genai.c - pydantic/genai-prices v2 data.json.
 *
 * A list of providers, each with models[]; a model's `prices` is one price
 * object or a list of {constraint?, prices}.  Prices are JSON numbers in USD
 * per 1M tokens (`*_mtok`, shift 9) or per 1,000 items (`*_kcount`, shift 6
 * to nano-USD per item), read through money_from_double.  A price may be
 * {"base": B, "tiers": [{"start": N, "price": P}]}: a cliff on the prompt
 * size, which is exactly an llmcost context tier with min_input_tokens N.
 *
 * History: the unconstrained entry is undated (its start is unknown); each
 * {"start_date"} entry starts a period that runs to the next one.  Time-of-
 * day constraints (start_time/end_time) are not modelled and counted.
 * Unknown price keys are counted as not modelled; the rest of the entry is
 * kept.  The provider id is the host (aws -> bedrock, x-ai -> xai, ...).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sheet_parse.h"

#define F(m) offsetof(struct lc_tier, m)

static const struct {
	const char *key;
	size_t field;
	int shift;
} keys[] = {
	{ "input_mtok", F(input), 9 },
	{ "output_mtok", F(output), 9 },
	{ "cache_read_mtok", F(cache_read), 9 },
	{ "cache_write_mtok", F(cache_write_5m), 9 },
	{ "cache_write_5m_mtok", F(cache_write_5m), 9 },
	{ "cache_write_1h_mtok", F(cache_write_1h), 9 },
	{ "output_reasoning_mtok", F(reasoning), 9 },
	{ "input_audio_mtok", F(audio_input), 9 },
	{ "output_audio_mtok", F(audio_output), 9 },
	{ "input_image_mtok", F(image_input), 9 },
	{ "requests_kcount", F(request_fee), 6 },
	{ "web_searches_kcount", F(web_search_fee), 6 },
};

static const struct {
	const char *genai, *host;
} hosts[] = {
	{ "aws", "bedrock" }, { "x-ai", "xai" }, { "moonshotai", "moonshot" },
	{ "google", "google" },
};

static void map_host(const char *id, char *out, size_t n)
{
	char low[LC_ID_MAX];

	sheet_lower(low, id, sizeof(low));
	for (size_t i = 0; i < ARRAY_SIZE(hosts); i++)
		if (!strcmp(low, hosts[i].genai)) {
			lc_strlcpy(out, hosts[i].host, n);
			return;
		}
	lc_strlcpy(out, low, n);
}

/* One price object into e's tiers; -1 when a value is malformed. */
static int read_prices(const cJSON *obj, struct sheet_entry *e, struct sheet *s)
{
	const cJSON *c;

	if (!cJSON_IsObject(obj))
		return -1;
	cJSON_ArrayForEach(c, obj)
	{
		size_t i;
		int64_t v, start;
		int r;

		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (c->string && !strcmp(c->string, keys[i].key))
				break;
		if (i == ARRAY_SIZE(keys)) {
			s->not_modelled++; /* a unit llmcost does not model (video, citations, ...) */
			continue;
		}
		if (cJSON_IsObject(c)) {
			const cJSON *tiers = cJSON_GetObjectItemCaseSensitive(c, "tiers"), *t;

			r = sheet_json_money(cJSON_GetObjectItemCaseSensitive(c, "base"), keys[i].shift,
					     &v, &e->rounded);
			if (r <= 0)
				return -1;
			sheet_tier_set(sheet_tier(s, e, 0), keys[i].field, v);
			if (!cJSON_IsArray(tiers))
				return -1;
			cJSON_ArrayForEach(t, tiers)
			{
				struct lc_tier *tt;

				if (sheet_json_count(cJSON_GetObjectItemCaseSensitive(t, "start"), &start) ||
				    sheet_json_money(cJSON_GetObjectItemCaseSensitive(t, "price"),
						     keys[i].shift, &v, &e->rounded) <= 0 ||
				    !(tt = sheet_tier(s, e, start)))
					return -1;
				sheet_tier_set(tt, keys[i].field, v);
			}
			continue;
		}
		r = sheet_json_money(c, keys[i].shift, &v, &e->rounded);
		if (r < 0)
			return -1;
		if (r > 0)
			sheet_tier_set(sheet_tier(s, e, 0), keys[i].field, v);
	}
	return 0;
}

struct dated {
	const cJSON *prices;
	char from[11];
};

static int by_from(const void *a, const void *b)
{
	return strcmp(((const struct dated *)a)->from, ((const struct dated *)b)->from);
}

/* Add one entry per period of model m. */
static int read_model(const cJSON *m, const char *host, struct sheet *s, struct lc_err *err)
{
	const cJSON *prices = cJSON_GetObjectItemCaseSensitive(m, "prices");
	struct dated d[32];
	int nd = 0;
	char id[LC_ID_MAX], name[LC_ID_MAX];
	int64_t ctx = 0;
	size_t first = s->n;

	s->seen++;
	if (!sheet_json_str(m, "id", id, sizeof(id)) || !id[0]) {
		sheet_note_unusable(s, "(model without an id)");
		return 0;
	}
	sheet_json_str(m, "name", name, sizeof(name));
	sheet_json_count(cJSON_GetObjectItemCaseSensitive(m, "context_window"), &ctx);
	if (cJSON_IsObject(prices)) {
		d[nd].prices = prices;
		d[nd++].from[0] = '\0';
	} else if (cJSON_IsArray(prices)) {
		const cJSON *it;

		cJSON_ArrayForEach(it, prices)
		{
			const cJSON *con = cJSON_GetObjectItemCaseSensitive(it, "constraint");
			const char *sd;

			if (nd == (int)(ARRAY_SIZE(d)))
				break;
			if (!con) {
				d[nd].prices = cJSON_GetObjectItemCaseSensitive(it, "prices");
				d[nd++].from[0] = '\0';
				continue;
			}
			sd = sheet_json_str(con, "start_date", NULL, 0);
			if (!sd) {
				s->not_modelled++; /* time-of-day prices */
				continue;
			}
			/* a real calendar date: the store compares dates as text */
			if (date_parse(sd, strlen(sd), &(lc_date){ 0 }, NULL)) {
				sheet_note_unusable(s, id);
				return 0;
			}
			d[nd].prices = cJSON_GetObjectItemCaseSensitive(it, "prices");
			lc_strlcpy(d[nd++].from, sd, sizeof(d[0].from));
		}
	} else {
		sheet_note_unusable(s, id);
		return 0;
	}
	qsort(d, (size_t)nd, sizeof(d[0]), by_from); /* "" (undated) sorts first */
	for (int i = 0; i < nd; i++) {
		struct sheet_entry *e = sheet_add(s, err);

		if (!e)
			return -1;
		e->key = sheet_str(s, id, LC_ID_MAX);
		e->host = sheet_str(s, host, LC_ID_MAX);
		e->name = sheet_str(s, name, LC_ID_MAX);
		e->context_window = ctx;
		LC_COPY(e->from, d[i].from);
		if (i + 1 < nd)
			LC_COPY(e->to, d[i + 1].from);
		if ((i > 0 && !strcmp(d[i].from, d[i - 1].from)) || read_prices(d[i].prices, e, s)) {
			s->n = first; /* the whole model */
			sheet_note_unusable(s, id);
			return 0;
		}
		if (e->ntiers == 0) {
			/* "prices": {} (free or unpriced models) */
			s->n = first;
			sheet_note_no_price(s, id);
			return 0;
		}
		if (0) {
			s->n = first; /* the whole model */
			sheet_note_unusable(s, id);
			return 0;
		}
	}
	return 0;
}

int sheet_parse_genai(const char *data, size_t len, const char *name, struct sheet *s,
		      struct lc_err *err)
{
	cJSON *root = sheet_json_parse(data, len, name, err);
	const cJSON *p;

	if (!root)
		return -1;
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return lc_errf(err, LC_EDATA,
			       "cannot parse price sheet '%s': not genai-prices v2 data (want a list of providers)",
			       name);
	}
	cJSON_ArrayForEach(p, root)
	{
		const cJSON *models = cJSON_GetObjectItemCaseSensitive(p, "models"), *m;
		char pid[LC_ID_MAX], host[LC_ID_MAX];

		if (!sheet_json_str(p, "id", pid, sizeof(pid)) || !cJSON_IsArray(models)) {
			cJSON_Delete(root);
			return lc_errf(err, LC_EDATA,
				       "cannot parse price sheet '%s': a provider without \"id\" or \"models\"",
				       name);
		}
		map_host(pid, host, sizeof(host));
		cJSON_ArrayForEach(m, models)
		{
			if (read_model(m, host, s, err)) {
				cJSON_Delete(root);
				return -1;
			}
		}
	}
	cJSON_Delete(root);
	return 0;
}

/*
 * sheet_llmprices.c - simonw/llm-prices: a per-vendor source file
 * {vendor, models:[{id, name, price_history:[...]}]}, or the published
 * current-v1.json / historical-v1.json {updated_at, prices:[...]}.
 *
 * Prices are JSON numbers in USD per 1M tokens (shift 9, money_from_double).
 * price_history rows have from_date inclusive and to_date exclusive (null =
 * open) and are NOT in chronological order; sheet_settle (lib/sheet.h), the
 * rule of every format, orders them and closes an open row at the next one.
 * A row with no from_date is the earliest known price (start unknown).
 * Duplicate ids (grok-4-fast appears twice in xai.json): identical copies are
 * merged; differing copies make the id unusable (named in the warning), since
 * neither can be trusted over the other (sheet_settle too).  Context tiers are separate ids
 * ("gemini-1.5-pro-128k"): an id ending in -<N>k whose base id is in the same
 * sheet becomes the base's tier of N*1000 tokens for the same period.
 * updated_at (current/historical files) is the sheet's own date.  The vendor
 * is both the host and the maker (llm-prices lists the makers' own APIs).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sheet_parse.h"

static const struct {
	const char *vendor, *host;
} hosts[] = {
	{ "meta-ai", "meta" }, { "moonshot-ai", "moonshot" }, { "qwen", "alibaba" },
	{ "amazon", "amazon" }, { "google", "google" },
};

static void map_host(const char *v, char *out, size_t n)
{
	char low[LC_ID_MAX];

	sheet_lower(low, v, sizeof(low));
	for (size_t i = 0; i < ARRAY_SIZE(hosts); i++)
		if (!strcmp(low, hosts[i].vendor)) {
			lc_strlcpy(out, hosts[i].host, n);
			return;
		}
	lc_strlcpy(out, low, n);
}

/* "YYYY-MM-DD", null -> "", anything else -> -1 */
static int read_date(const cJSON *v, char out[11])
{
	out[0] = '\0';
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) < 10)
		return -1;
	snprintf(out, 11, "%.10s", v->valuestring);
	/* a real calendar date, not just its shape: the store compares dates as text */
	return date_parse(out, strlen(out), &(lc_date){ 0 }, NULL) == 0 ? 0 : -1;
}

/* One price row into e (dates, input, output, input_cached); -1 when malformed. */
/* The entry's "name", cut as a char[LC_ID_MAX] cut it, or "". */
static const char *json_name(struct sheet *s, const cJSON *m)
{
	const char *v = sheet_json_str(m, "name", NULL, 0);

	return v ? sheet_str(s, v, LC_ID_MAX) : "";
}

static int read_row(const cJSON *row, struct sheet_entry *e, struct sheet *s)
{
	struct lc_tier *t = sheet_tier(s, e, 0);
	int64_t v;
	int r;

	if (read_date(cJSON_GetObjectItemCaseSensitive(row, "from_date"), e->from) ||
	    read_date(cJSON_GetObjectItemCaseSensitive(row, "to_date"), e->to))
		return -1;
	if (e->from[0] && e->to[0] && strcmp(e->to, e->from) <= 0)
		return -1;
	if (sheet_json_money(cJSON_GetObjectItemCaseSensitive(row, "input"), 9, &t->input,
			     &e->rounded) <= 0 ||
	    sheet_json_money(cJSON_GetObjectItemCaseSensitive(row, "output"), 9, &t->output,
			     &e->rounded) <= 0)
		return -1;
	r = sheet_json_money(cJSON_GetObjectItemCaseSensitive(row, "input_cached"), 9, &v,
			     &e->rounded);
	if (r < 0)
		return -1;
	if (r > 0)
		t->cache_read = v;
	return 0;
}

/* Ids ending in -<N>k: fold into the base id's tier for the same period. */
static void fold_tiers(struct sheet *s)
{
	size_t w = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct sheet_entry *e = &s->v[i];
		const char *dash = strrchr(e->key, '-');
		char *end;
		long n;

		if (!dash || dash[1] < '1' || dash[1] > '9')
			continue;
		n = strtol(dash + 1, &end, 10);
		if (strcmp(end, "k") || n <= 0 || n > 100000)
			continue;
		for (size_t j = 0; j < s->n; j++) {
			struct sheet_entry *b = &s->v[j];
			struct lc_tier *t;

			if (j == i || strcmp(b->host, e->host) || strcmp(b->from, e->from) ||
			    strcmp(b->to, e->to) || strlen(b->key) != (size_t)(dash - e->key) ||
			    strncmp(b->key, e->key, (size_t)(dash - e->key)))
				continue;
			if (!(t = sheet_tier(s, b, (int64_t)n * 1000)))
				break;
			t->input = e->tiers[0].input;
			t->output = e->tiers[0].output;
			t->cache_read = e->tiers[0].cache_read;
			b->rounded |= e->rounded;
			e->key = ""; /* folded */
			break;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].key[0])
			continue;
		if (w != i)
			s->v[w] = s->v[i];
		w++;
	}
	s->n = w;
}

int sheet_parse_llmprices(const char *data, size_t len, const char *name, struct sheet *s,
			  struct lc_err *err)
{
	cJSON *root = sheet_json_parse(data, len, name, err);
	const cJSON *list, *m;
	char vendor[LC_ID_MAX] = "", host[LC_ID_MAX];
	int per_vendor;

	if (!root)
		return -1;
	per_vendor = sheet_json_str(root, "vendor", vendor, sizeof(vendor)) != NULL;
	list = cJSON_GetObjectItemCaseSensitive(root, per_vendor ? "models" : "prices");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(list)) {
		cJSON_Delete(root);
		return lc_errf(err, LC_EDATA,
			       "cannot parse price sheet '%s': not llm-prices data (want {vendor, models} or {prices})",
			       name);
	}
	{
		char upd[40];

		if (sheet_json_str(root, "updated_at", upd, sizeof(upd)) && strlen(upd) >= 10)
			snprintf(s->date, sizeof(s->date), "%.10s", upd);
	}
	map_host(vendor, host, sizeof(host));
	cJSON_ArrayForEach(m, list)
	{
		char id[LC_ID_MAX];
		size_t first = s->n;
		int bad = 0;

		s->seen++;
		if (!sheet_json_str(m, "id", id, sizeof(id)) || !id[0]) {
			sheet_note_unusable(s, "(model without an id)");
			continue;
		}
		if (!per_vendor) {
			char v[LC_ID_MAX];

			if (!sheet_json_str(m, "vendor", v, sizeof(v))) {
				sheet_note_unusable(s, id);
				continue;
			}
			map_host(v, host, sizeof(host));
		}
		if (per_vendor) {
			const cJSON *hist = cJSON_GetObjectItemCaseSensitive(m, "price_history"), *row;

			if (!cJSON_IsArray(hist) || !cJSON_GetArraySize(hist))
				bad = 1;
			cJSON_ArrayForEach(row, hist)
			{
				struct sheet_entry *e = bad ? NULL : sheet_add(s, err);

				if (bad)
					break;
				if (!e) {
					cJSON_Delete(root);
					return -1;
				}
				e->key = sheet_str(s, id, LC_ID_MAX);
				e->host = sheet_str(s, host, LC_ID_MAX);
				e->maker = e->host;
				e->name = json_name(s, m);
				if (read_row(row, e, s))
					bad = 1;
			}
		} else {
			struct sheet_entry *e = sheet_add(s, err);

			if (!e) {
				cJSON_Delete(root);
				return -1;
			}
			e->key = sheet_str(s, id, LC_ID_MAX);
			e->host = sheet_str(s, host, LC_ID_MAX);
			e->maker = e->host;
			e->name = json_name(s, m);
			bad = read_row(m, e, s);
		}
		if (bad) {
			s->n = first;
			sheet_note_unusable(s, id);
		}
	}
	cJSON_Delete(root);

	/* duplicates and open periods, before -<N>k ids are folded into tiers */
	if (sheet_settle(s, err))
		return -1;
	fold_tiers(s);
	return 0;
}

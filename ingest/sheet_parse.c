/*
 * sheet_parse.c - dispatch to the price-sheet parsers, guess a format, and
 * the JSON helpers they share; see sheet_parse.h.
 */
#include "sheet_parse.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jscan.h"
#include "money.h"

static const char *formats[] = { "openrouter", "litellm", "genai-prices", "llm-prices", "csv" };

int sheet_format_known(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(fmt, formats[i]))
			return 1;
	return 0;
}

void sheet_lower(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; src[i] && i + 1 < n; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] + 32) : src[i];
	dst[i] = '\0';
}

void sheet_tier_set(struct lc_tier *t, size_t field, int64_t v)
{
	*(int64_t *)((char *)t + field) = v;
}

int64_t sheet_tier_get(const struct lc_tier *t, size_t field)
{
	return *(const int64_t *)((const char *)t + field);
}

/* Show the first bytes of a body, escaped (escape.h), for a parse error. */
static void preview(const char *data, size_t len, char *out, size_t n)
{
	FILE *f = fmemopen(out, n, "w");

	out[0] = '\0';
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	esc_write(f, data, len < 40 ? len : 40, ESC_TERM);
	fclose(f);
	out[n - 1] = '\0';
}

/* The checks every JSON sheet gets before it is parsed; 0 or -1 with err. */
static int json_check(const char *data, size_t len, const char *name, struct lc_err *err)
{
	if (len == 0)
		return lc_errf(err, LC_EDATA, "price sheet '%s' is empty", name);
	if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
			 ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff)))
		return lc_errf(err, LC_EDATA, "price sheet '%s' is UTF-16: convert it with iconv",
			       name);
	if (memchr(data, '\0', len))
		return lc_errf(err, LC_EDATA, "price sheet '%s' contains a NUL byte", name);
	if (strstr(data, "\\u0000"))
		return lc_errf(err, LC_EDATA, "price sheet '%s' contains \\u0000", name);
	return 0;
}

cJSON *sheet_json_parse(const char *data, size_t len, const char *name, struct lc_err *err)
{
	const char *end = NULL;
	char pv[200];
	cJSON *root;

	if (json_check(data, len, name, err))
		return NULL;
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= data && at <= data + len ? (size_t)(at - data) : 0;

		preview(data, len, pv, sizeof(pv));
		return lc_errf(err, LC_EDATA,
			       "cannot parse price sheet '%s': not valid JSON (byte %zu of %zu; starts '%s')",
			       name, off, len, pv),
		       NULL;
	}
	return root;
}

/* jscan with no wanted key: validates a value and finds its end. */
static long value_end(const char *p, size_t n, struct jscan_val *v)
{
	static struct jscan_node root[1] = { { NULL, -1, 0, 0, 0, 0, { 0 } } };
	static int ready;
	unsigned fl = 0;

	if (!ready) {
		jscan_prepare(root, 1);
		ready = 1;
	}
	return jscan_clean(p, n, root, 1, v, &fl);
}

int sheet_json_members(const char *data, size_t len, const char *name, sheet_member_fn fn,
		       void *ctx, struct lc_err *err)
{
	struct jscan_val v;
	char small[LC_ID_MAX * 2], *key = small;
	size_t i = 0;
	long k;
	int r = 0;

	if (json_check(data, len, name, err))
		return -1;
	if (value_end(data, len, &v) < 0) {
		/* not JSON: cJSON says where, in the message every sheet gives */
		cJSON *root = sheet_json_parse(data, len, name, err);

		if (!root)
			return -1;
		cJSON_Delete(root); /* jscan reads cJSON's language: not reached */
		return lc_errf(err, LC_EDATA, "cannot parse price sheet '%s': not valid JSON", name);
	}
	if (v.kind != JS_OBJECT)
		return 1;
	i = (size_t)(v.p - data);
	for (;;) {
		struct jscan_val kv;
		size_t vs;

		i = jscan_blank(data, len, i + 1); /* past '{' or ',' */
		if (data[i] == '}')
			break;
		k = value_end(data + i, len - i, &kv); /* the key, a string */
		if (k < 0 || kv.kind != JS_STRING)
			return lc_errf(err, LC_EDATA, "cannot parse price sheet '%s': not valid JSON",
				       name);
		if (kv.n + 1 > sizeof(small))
			key = xmalloc(kv.n + 1);
		jscan_str(&kv, key, kv.n + 1);
		i = jscan_blank(data, len, i + (size_t)k) + 1; /* past ':' */
		vs = jscan_blank(data, len, i);
		k = value_end(data + vs, len - vs, &v);
		if (k >= 0)
			r = fn(ctx, key, data + vs, (size_t)k, err);
		if (key != small)
			free(key);
		key = small;
		if (k < 0)
			return lc_errf(err, LC_EDATA, "cannot parse price sheet '%s': not valid JSON",
				       name);
		if (r)
			return r < 0 ? -1 : 0;
		i = jscan_blank(data, len, vs + (size_t)k);
		if (data[i] != ',')
			break;
	}
	return 0;
}

int sheet_json_money(const cJSON *v, int shift, int64_t *out, int *rounded)
{
	int r = 0;

	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v)) {
		if (!isfinite(v->valuedouble) || fabs(v->valuedouble) > 9007199254740992.0)
			return -1;
		if (money_from_double(v->valuedouble, shift, out, &r, NULL))
			return -1;
	} else if (cJSON_IsString(v) && v->valuestring) {
		if (money_parse(v->valuestring, strlen(v->valuestring), shift, out, &r, NULL))
			return -1;
	} else {
		return -1;
	}
	if (rounded && r)
		*rounded = 1;
	return 1;
}

int sheet_json_count(const cJSON *v, int64_t *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!isfinite(d) || d < 0 || d > 9007199254740992.0 || d != floor(d))
		return -1;
	*out = (int64_t)d;
	return 0;
}

const char *sheet_json_str(const cJSON *obj, const char *key, char *out, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (out && n)
		out[0] = '\0';
	if (!cJSON_IsString(v) || !v->valuestring)
		return NULL;
	if (out)
		lc_strlcpy(out, v->valuestring, n);
	return v->valuestring;
}

/* What sheet_detect looks for in the members of a top-level object. */
struct detect {
	int seen_data, data_array;     /* the first "data" member, an array */
	int seen_vendor, vendor_string;
	int seen_prices, prices_array;
	int litellm;                   /* a member object with "litellm_provider" */
};

static int detect_member(void *ctx, const char *key, const char *val, size_t len,
			 struct lc_err *err)
{
	static struct jscan_node t[2] = { { NULL, -1, 0, 0, 0, 0, { 0 } },
					  { "litellm_provider", 0, 0, 0, 0, 0, { 0 } } };
	static int ready;
	struct detect *d = ctx;
	struct jscan_val v[2];
	unsigned fl = 0;

	/* cJSON_GetObjectItemCaseSensitive finds the first member of a name */
	if (!strcmp(key, "data") && !d->seen_data++)
		d->data_array = *val == '[';
	if (!strcmp(key, "vendor") && !d->seen_vendor++)
		d->vendor_string = *val == '"';
	if (!strcmp(key, "prices") && !d->seen_prices++)
		d->prices_array = *val == '[';
	if (*val == '{' && !d->litellm) {
		if (!ready) {
			jscan_prepare(t, 2);
			ready = 1;
		}
		if (jscan_clean(val, len, t, 2, v, &fl) >= 0 && v[1].kind != JS_ABSENT)
			d->litellm = 1;
	}
	return 0;
}

const char *sheet_detect(const char *data, size_t len, const char *where)
{
	size_t i = 0;
	const char *fmt = NULL;
	struct detect d = { 0 };
	cJSON *root;

	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	if (i == len)
		return NULL;
	if (data[i] != '{' && data[i] != '[') {
		/* a CSV header names its columns */
		return strstr(data, "input_per_mtok") ? "csv" : NULL;
	}
	if (data[i] == '{') {
		/* member by member: a LiteLLM map is big */
		if (sheet_json_members(data, len, where, detect_member, &d, NULL))
			return NULL;
		if (d.data_array)
			return "openrouter";
		if (d.vendor_string || d.prices_array)
			return "llm-prices";
		return d.litellm ? "litellm" : NULL;
	}
	root = sheet_json_parse(data, len, where, NULL);
	if (!root)
		return NULL;
	if (cJSON_IsArray(root)) {
		const cJSON *first = root->child;

		if (cJSON_IsObject(first) &&
		    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(first, "models")))
			fmt = "genai-prices";
	}
	cJSON_Delete(root);
	return fmt;
}

/* Drop entries that fail the sanity check; count and name them. */
static void drop_insane(struct sheet *s)
{
	size_t w = 0;
	char why[96];

	for (size_t i = 0; i < s->n; i++) {
		if (!sheet_entry_sane(&s->v[i], why, sizeof(why))) {
			char label[LC_ID_MAX + 100];

			snprintf(label, sizeof(label), "%s (%s)", s->v[i].key, why);
			sheet_note_unusable(s, label);
			continue;
		}
		if (s->v[i].rounded)
			s->rounded++;
		if (w != i)
			s->v[w] = s->v[i];
		w++;
	}
	s->n = w;
}

int sheet_parse(const char *fmt, const char *data, size_t len, const char *name, struct sheet *s,
		struct lc_err *err)
{
	int rc;

	if (!strcmp(fmt, "openrouter"))
		rc = sheet_parse_openrouter(data, len, name, s, err);
	else if (!strcmp(fmt, "litellm"))
		rc = sheet_parse_litellm(data, len, name, s, err);
	else if (!strcmp(fmt, "genai-prices"))
		rc = sheet_parse_genai(data, len, name, s, err);
	else if (!strcmp(fmt, "llm-prices"))
		rc = sheet_parse_llmprices(data, len, name, s, err);
	else if (!strcmp(fmt, "csv"))
		rc = sheet_parse_csv(data, len, name, s, err);
	else
		return lc_errf(err, LC_EUSAGE, "unknown format '%s'", fmt);
	if (rc)
		return -1;
	if (s->oom)
		return lc_errf(err, LC_ERUNTIME, "out of memory reading price sheet '%s'", name);
	drop_insane(s);
	/* duplicates and overlapping periods, the same rule for every format */
	return sheet_settle(s, err);
}

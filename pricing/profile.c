/*
 * profile.c - task profiles from JSON text: the shipped presets
 * (data/tasks.json) and the files users write (--profile).  The caller
 * reads the file; this only parses text.  cJSON trees stay in this file.
 *
 * Counts must be JSON integers from 0 to 10^12 (no fraction, no sign);
 * audio seconds may have up to 3 decimals (milliseconds).  Every error
 * names the field: `profile 'p.json': "output": want a whole number ...`.
 */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "estimate.h"
#include "money.h"

static int field_err(struct lc_err *err, const char *what, const char *key, const char *why)
{
	return lc_errf(err, LC_EDATA, "%s: \"%s\": %s", what, key, why);
}

static int get_count(const cJSON *v, const char *what, const char *key, int64_t *out,
		     struct lc_err *err)
{
	int rounded = 0;
	int64_t n;

	if (!cJSON_IsNumber(v))
		return field_err(err, what, key, "want a whole number");
	if (money_from_double(v->valuedouble, 0, &n, &rounded, NULL) || rounded || n < 0 ||
	    n > LC_TOKENS_MAX)
		return field_err(err, what, key, "want a whole number from 0 to 10^12");
	*out = n;
	return 0;
}

static int get_seconds(const cJSON *v, const char *what, const char *key, int64_t *ms,
		       struct lc_err *err)
{
	int rounded = 0;
	int64_t n;

	if (!cJSON_IsNumber(v))
		return field_err(err, what, key, "want a number of seconds");
	if (money_from_double(v->valuedouble, 3, &n, &rounded, NULL) || rounded || n < 0 ||
	    n > LC_TOKENS_MAX)
		return field_err(err, what, key,
				 "want seconds from 0 to 10^9 with at most 3 decimals");
	*ms = n;
	return 0;
}

static int get_images(const cJSON *v, const char *what, struct lc_profile *p, struct lc_err *err)
{
	const cJSON *it;
	int n = 0;

	if (!cJSON_IsArray(v))
		return field_err(err, what, "images", "want a list of \"WxH\" sizes");
	cJSON_ArrayForEach(it, v)
	{
		if (n == LC_EST_MAX_IMAGES)
			return field_err(err, what, "images", "more than 64 images");
		if (!cJSON_IsString(it) ||
		    image_parse_size(it->valuestring, &p->image_w[n], &p->image_h[n]))
			return field_err(err, what, "images",
					 "want sizes like \"1024x768\" (positive whole pixels)");
		n++;
	}
	p->nimages = n;
	return 0;
}

static int apply(const cJSON *obj, const char *what, struct lc_profile *p, struct lc_err *err)
{
	static const struct {
		const char *key;
		unsigned bit;
		size_t off;
	} counts[] = {
		{ "input", PF_INPUT, offsetof(struct lc_profile, input) },
		{ "output", PF_OUTPUT, offsetof(struct lc_profile, output) },
		{ "cached_input", PF_CACHED, offsetof(struct lc_profile, cached_input) },
		{ "cache_write", PF_CACHE_WRITE, offsetof(struct lc_profile, cache_write) },
		{ "reasoning", PF_REASONING, offsetof(struct lc_profile, reasoning) },
		{ "requests", PF_REQUESTS, offsetof(struct lc_profile, requests) },
		{ "web_searches", PF_WEB_SEARCHES, offsetof(struct lc_profile, web_searches) },
		{ "count", PF_COUNT, offsetof(struct lc_profile, count) },
	};
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return lc_errf(err, LC_EDATA, "%s: want a JSON object", what);
	cJSON_ArrayForEach(v, obj)
	{
		const char *k = v->string;
		size_t i;

		/* {"input": 1, "input": 999} is refused, not "last one wins"; an
		   unknown key stops the loop, so this stays a handful of compares */
		for (const cJSON *q = obj->child; q != v; q = q->next)
			if (!strcmp(q->string, k))
				return field_err(err, what, k, "duplicate key");
		for (i = 0; i < ARRAY_SIZE(counts); i++)
			if (!strcmp(k, counts[i].key))
				break;
		if (i < ARRAY_SIZE(counts)) {
			if (get_count(v, what, k, (int64_t *)((char *)p + counts[i].off), err))
				return -1;
			p->set |= counts[i].bit;
			if (counts[i].bit == PF_INPUT)
				p->input_approx = 0;
		} else if (!strcmp(k, "cache_ttl")) {
			if (!cJSON_IsString(v) ||
			    (strcmp(v->valuestring, "5m") && strcmp(v->valuestring, "1h")))
				return field_err(err, what, k, "want \"5m\" or \"1h\"");
			p->cache_ttl_1h = !strcmp(v->valuestring, "1h");
			p->set |= PF_CACHE_TTL;
		} else if (!strcmp(k, "detail")) {
			if (!cJSON_IsString(v) ||
			    (strcmp(v->valuestring, "low") && strcmp(v->valuestring, "high")))
				return field_err(err, what, k, "want \"low\" or \"high\"");
			p->detail = !strcmp(v->valuestring, "low") ? LC_DETAIL_LOW : LC_DETAIL_HIGH;
			p->set |= PF_DETAIL;
		} else if (!strcmp(k, "per")) {
			if (!cJSON_IsString(v) ||
			    (strcmp(v->valuestring, "day") && strcmp(v->valuestring, "month")))
				return field_err(err, what, k, "want \"day\" or \"month\"");
			p->per = !strcmp(v->valuestring, "day") ? LC_PER_DAY : LC_PER_MONTH;
			p->set |= PF_PER;
		} else if (!strcmp(k, "batch")) {
			if (!cJSON_IsBool(v))
				return field_err(err, what, k, "want true or false");
			p->batch = cJSON_IsTrue(v);
			p->set |= PF_BATCH;
		} else if (!strcmp(k, "images")) {
			if (get_images(v, what, p, err))
				return -1;
			p->set |= PF_IMAGES;
		} else if (!strcmp(k, "audio_in_seconds")) {
			if (get_seconds(v, what, k, &p->audio_in_ms, err))
				return -1;
			p->set |= PF_AUDIO_IN;
		} else if (!strcmp(k, "audio_out_seconds")) {
			if (get_seconds(v, what, k, &p->audio_out_ms, err))
				return -1;
			p->set |= PF_AUDIO_OUT;
		} else if (!strcmp(k, "name") || !strcmp(k, "description") ||
			   !strcmp(k, "assumptions")) {
			if (!cJSON_IsString(v))
				return field_err(err, what, k, "want text");
		} else {
			return field_err(err, what, k, "unknown field");
		}
	}
	return 0;
}

/* Parse text into a cJSON tree; NULL with err naming `what`. */
static cJSON *parse(const char *text, size_t len, const char *what, struct lc_err *err)
{
	cJSON *root;

	/* bounded by len: text need not be NUL-terminated */
	if (memchr(text, '\0', len) || memmem(text, len, "\\u0000", 6)) {
		lc_errf(err, LC_EDATA, "%s: NUL character in JSON", what);
		return NULL;
	}
	{
		const char *end = NULL;

		root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
		/* only blanks may follow the value: "{} xyz" is not a profile */
		while (root && end && end < text + len &&
		       (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
			end++;
		if (root && end && end < text + len) {
			cJSON_Delete(root);
			lc_errf(err, LC_EDATA, "%s: text after the JSON value", what);
			return NULL;
		}
	}
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		int line = 1;

		for (const char *q = text; at && q < at && q < text + len; q++)
			line += *q == '\n';
		lc_errf(err, LC_EDATA, "%s: malformed JSON near line %d", what, line);
	}
	return root;
}

int profile_parse_json(const char *text, size_t len, const char *what, struct lc_profile *p,
		       struct lc_err *err)
{
	cJSON *root = parse(text, len, what, err);
	int rc;

	if (!root)
		return -1;
	rc = apply(root, what, p, err);
	cJSON_Delete(root);
	return rc;
}

static void copy_text(const cJSON *o, const char *key, char *dst, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	lc_strlcpy(dst, cJSON_IsString(v) ? v->valuestring : "", n);
}

static const cJSON *task_array(const cJSON *root, struct lc_err *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "tasks");

	if (!cJSON_IsArray(a)) {
		lc_errf(err, LC_EDATA, "task presets: want {\"tasks\": [...]}");
		return NULL;
	}
	return a;
}

int tasks_list(const char *json, size_t len, struct lc_task_info *out, int max,
	       struct lc_err *err)
{
	cJSON *root = parse(json, len, "task presets", err);
	const cJSON *a, *t;
	int n = 0;

	if (!root)
		return -1;
	if (!(a = task_array(root, err))) {
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(t, a)
	{
		if (n == max)
			break;
		copy_text(t, "name", out[n].name, sizeof(out[n].name));
		copy_text(t, "description", out[n].description, sizeof(out[n].description));
		copy_text(t, "assumptions", out[n].assumptions, sizeof(out[n].assumptions));
		n++;
	}
	cJSON_Delete(root);
	return n;
}

int tasks_load(const char *json, size_t len, const char *name, struct lc_profile *p,
	       struct lc_err *err)
{
	cJSON *root = parse(json, len, "task presets", err);
	const cJSON *a, *t;
	char known[512] = "";
	int rc = -1;

	if (!root)
		return -1;
	if (!(a = task_array(root, err)))
		goto out;
	cJSON_ArrayForEach(t, a)
	{
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(t, "name");

		if (!cJSON_IsString(nm))
			continue;
		if (!strcmp(nm->valuestring, name)) {
			char what[128];

			snprintf(what, sizeof(what), "task preset '%s'", name);
			rc = apply(t, what, p, err);
			if (rc == 0)
				LC_COPY(p->task, name);
			goto out;
		}
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 known[0] ? ", " : "", nm->valuestring);
	}
	lc_errf(err, LC_EDATA, "unknown task preset '%s' (known: %s; see --list-tasks)", name,
		known);
out:
	cJSON_Delete(root);
	return rc;
}

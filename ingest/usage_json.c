/*
 * usage_json.c - strict readers of counts, names and times in parsed JSON,
 * shared by the usage parsers.  cJSON keeps numbers as doubles: a count must
 * be integral and within 0..10^12 (exactly representable), never a string.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "money.h"
#include "sha256.h"
#include "usage.h"

int uj_count(const cJSON *obj, const char *key, const char *name, int required, int64_t *out,
	     struct lc_err *err)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	double d;

	*out = 0;
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return lc_errf(err, LC_EDATA, "missing \"%s\"", name);
		return 0;
	}
	if (!cJSON_IsNumber(v))
		return lc_errf(err, LC_EDATA, "\"%s\" is not a number", name);
	d = v->valuedouble;
	if (!isfinite(d) || d < 0)
		return lc_errf(err, LC_EDATA, "\"%s\" is negative or not finite", name);
	if (d > (double)LC_TOKENS_MAX)
		return lc_errf(err, LC_EDATA, "\"%s\" out of range (over 10^12)", name);
	if (d != floor(d))
		return lc_errf(err, LC_EDATA, "\"%s\" is not a whole number", name);
	*out = (int64_t)d;
	return 0;
}

int uj_str(const cJSON *obj, const char *key, const char *name, const char **out,
	   struct lc_err *err)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return lc_errf(err, LC_EDATA, "\"%s\" is not a string", name);
	*out = v->valuestring;
	return 0;
}

const cJSON *uj_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *uj_body(const cJSON *root)
{
	const cJSON *b;

	if (uj_obj(root, "usage"))
		return root;
	if ((b = uj_obj(root, "response")) && uj_obj(b, "usage"))
		return b;
	if ((b = uj_obj(root, "body")) && uj_obj(b, "usage"))
		return b;
	return NULL;
}

int uj_true(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL);
}

/* 1 when s is valid UTF-8 without control characters. */
static int clean_utf8(const unsigned char *s)
{
	while (*s) {
		int n;
		unsigned cp;

		if (*s < 0x80) {
			if (*s < 0x20 || *s == 0x7f)
				return 0;
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0)
			n = 1, cp = *s & 0x1f;
		else if ((*s & 0xf0) == 0xe0)
			n = 2, cp = *s & 0x0f;
		else if ((*s & 0xf8) == 0xf0)
			n = 3, cp = *s & 0x07;
		else
			return 0;
		s++;
		for (int i = 0; i < n; i++, s++) {
			if ((*s & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*s & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return 0;
	}
	return 1;
}

int usage_name(const char *src, size_t n, const char *name, struct lc_err *err)
{
	size_t len = strlen(src);

	if (len >= n)
		return lc_errf(err, LC_EDATA, "\"%s\" is too long (%zu bytes; at most %zu are kept)",
			       name, len, n - 1);
	if (!clean_utf8((const unsigned char *)src))
		return lc_errf(err, LC_EDATA, "\"%s\" has invalid UTF-8 or control characters",
			       name);
	return 0;
}

int uj_name(char *dst, size_t n, const char *src, const char *name, struct lc_err *err)
{
	dst[0] = '\0';
	if (!src)
		return 0;
	if (usage_name(src, n, name, err))
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

int usage_key(struct lc_usage_rec *r, struct lc_err *err, const char *fmt, ...)
{
	char *full = NULL, hex[65];
	const char *colon;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->key, sizeof(r->key), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(r->key))
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&full, fmt, ap);
	va_end(ap);
	if (n < 0)
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	/* "prefix:..." -> "prefix#sha256:HEX": every short key has a ':'
	   right after its prefix, so none can look like this */
	colon = strchr(full, ':');
	snprintf(r->key, sizeof(r->key), "%.*s#sha256:%s", colon ? (int)(colon - full) : 0, full,
		 sha256_hex(full, (size_t)n, hex));
	free(full);
	return 0;
}

int uj_time(const cJSON *v, const char *name, int allow_unix, int64_t *ms, struct lc_err *err)
{
	struct lc_err e = { 0 };

	if (!v || cJSON_IsNull(v))
		return lc_errf(err, LC_EDATA, "missing \"%s\"", name);
	if (cJSON_IsString(v) && v->valuestring) {
		if (ts_parse(v->valuestring, strlen(v->valuestring), ms, &e))
			return lc_errf(err, LC_EDATA, "\"%s\": %s", name, e.msg);
		return 0;
	}
	if (allow_unix && cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		/* unix seconds from 1970 to 9999; milliseconds would be far beyond */
		if (!isfinite(d) || d < 0 || d >= 253402300800.0 || d != floor(d))
			return lc_errf(err, LC_EDATA, "\"%s\" is not a unix time in seconds", name);
		*ms = (int64_t)d * 1000;
		return 0;
	}
	return lc_errf(err, LC_EDATA, "\"%s\" is not a timestamp", name);
}

int uj_usd(const cJSON *v, const char *name, int64_t *out, struct lc_err *err)
{
	struct lc_err e = { 0 };

	if (cJSON_IsString(v) && v->valuestring) {
		if (money_parse(v->valuestring, strlen(v->valuestring), 9, out, NULL, &e))
			return lc_errf(err, LC_EDATA, "\"%s\": %s", name, e.msg);
		return 0;
	}
	if (!cJSON_IsNumber(v))
		return lc_errf(err, LC_EDATA, "\"%s\" is not a number", name);
	if (money_from_double(v->valuedouble, 9, out, NULL, &e))
		return lc_errf(err, LC_EDATA, "\"%s\": %s", name, e.msg);
	return 0;
}

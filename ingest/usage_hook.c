/*
 * usage_hook.c - see usage_hook.h.
 */
#include "usage_hook.h"

#include <cJSON.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "date.h"

/* member name of obj, a string when present, into dst[n] */
static int field(const cJSON *obj, const char *name, const char *what, char *dst, size_t n,
		 struct lc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	dst[0] = '\0';
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return lc_errf(err, LC_EDATA, "hook JSON: \"%s\" is not a string", what);
	if (lc_strlcpy(dst, v->valuestring, n) < 0)
		return lc_errf(err, LC_EDATA, "hook JSON: \"%s\" is too long", what);
	return 0;
}

int usage_hook_parse(const char *p, size_t n, struct usage_hook *out, struct lc_err *err)
{
	const char *end = NULL;
	cJSON *root, *model;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	while (n && strchr(" \t\r\n", p[n - 1]))
		n--;
	if (n == 0)
		return lc_errf(err, LC_EDATA, "no hook JSON on standard input");
	root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
	if (!root || !cJSON_IsObject(root)) {
		lc_errf(err, LC_EDATA, "cannot parse the hook JSON on standard input: %s",
			root ? "not an object" : "not JSON");
		goto done;
	}
	if ((size_t)(end - p) != n) {
		lc_errf(err, LC_EDATA, "cannot parse the hook JSON on standard input: text after it");
		goto done;
	}
	model = cJSON_GetObjectItemCaseSensitive(root, "model");
	if (model && !cJSON_IsObject(model) && !cJSON_IsNull(model)) {
		lc_errf(err, LC_EDATA, "hook JSON: \"model\" is not an object");
		goto done;
	}
	if (field(root, "session_id", "session_id", out->session_id, sizeof(out->session_id),
		  err) ||
	    field(root, "transcript_path", "transcript_path", out->transcript_path,
		  sizeof(out->transcript_path), err))
		goto done;
	if (cJSON_IsObject(model) &&
	    (field(model, "id", "model.id", out->model_id, sizeof(out->model_id), err) ||
	     field(model, "display_name", "model.display_name", out->model_name,
		   sizeof(out->model_name), err)))
		goto done;
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}

int usage_hook_first_time(const char *path, int64_t *out)
{
	static const char key[] = "\"timestamp\":\"";
	char buf[65536 + 1];
	ssize_t n = 0, r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (n < (ssize_t)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	for (const char *p = buf; (p = strstr(p, key)) != NULL; p++) {
		const char *v = p + sizeof(key) - 1, *e = strchr(v, '"');
		lc_ms t;

		if (e && ts_parse(v, (size_t)(e - v), &t, NULL) == 0) {
			*out = t;
			return 1;
		}
	}
	return 0;
}

/*
 * usage_claude.c - Claude Code session logs (.jsonl files under ~/.claude/projects).
 *
 * An `assistant` line (or a `progress` line wrapping a sub-agent's assistant
 * message in data.message) with message.usage is one record.  One API
 * response is written as several lines with the same message.id, requestId
 * and usage; the natural key is (message.id, requestId or "none"), and
 * message.id is the group used by the sidechain rule (lib/db_usage_rec.c).  A
 * line without message.id is keyed by its uuid, else by a hash of the line,
 * so it is never merged with another response.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jscan.h"
#include "money.h"
#include "sha256.h"
#include "usage.h"

/* The assistant envelope and message of a line, or 0 when it carries none. */
static int locate(const cJSON *root, const cJSON **env, const cJSON **msg)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "type");
	const char *type = cJSON_IsString(t) ? t->valuestring : "";

	*env = root;
	if (!strcmp(type, "progress")) {
		const cJSON *d = uj_obj(root, "data");

		*env = uj_obj(d, "message");
		if (!*env)
			return 0;
		t = cJSON_GetObjectItemCaseSensitive(*env, "type");
		if (!cJSON_IsString(t) || strcmp(t->valuestring, "assistant"))
			return 0;
	} else if (strcmp(type, "assistant")) {
		return 0;
	}
	*msg = uj_obj(*env, "message");
	return *msg && uj_obj(*msg, "usage");
}

/* The natural key and group of a record (see the top of the file). */
static int claude_key(struct usage_src *s, struct lc_usage_rec *r, const char *id, const char *req,
		      const char *uuid, struct lc_err *err)
{
	if (id && *id) {
		size_t il = strlen(id);
		const char *rq = req && *req ? req : "none";
		size_t rl = strlen(rq);

		if (il + rl + 8 >= sizeof(r->key)) {
			/* ids too long for a key: "cc:GROUP:REQ" still (the store
			   keeps the group as the key's second part), with the part
			   that does not fit written as its SHA-256; never cut */
			char hex[65];
			size_t gl;

			if (il + 4 + 72 < sizeof(r->key))
				memcpy(r->group, id, il + 1);
			else
				snprintf(r->group, sizeof(r->group), "#sha256:%s",
					 sha256_hex(id, il, hex));
			gl = strlen(r->group);
			if (gl + rl + 5 > sizeof(r->key)) {
				rq = sha256_hex(rq, rl, hex);
				rl = strlen(rq);
				memcpy(r->key + 4 + gl, "#sha256:", 8);
				memcpy(r->key + 12 + gl, rq, rl + 1);
			} else {
				memcpy(r->key + 4 + gl, rq, rl + 1);
			}
			memcpy(r->key, "cc:", 3);
			memcpy(r->key + 3, r->group, gl);
			r->key[3 + gl] = ':';
			return 0;
		}
		/* "cc:ID:REQ" without snprintf (once per assistant line); the
		   lengths were checked above */
		memcpy(r->group, id, il + 1);
		memcpy(r->key, "cc:", 3);
		memcpy(r->key + 3, id, il);
		r->key[3 + il] = ':';
		memcpy(r->key + 4 + il, rq, rl + 1);
	} else if (uuid && *uuid && strlen(uuid) < 200) {
		snprintf(r->key, sizeof(r->key), "cc-uuid:%s", uuid);
	} else {
		char hex[65];

		snprintf(r->key, sizeof(r->key), "cc-line:%s",
			 sha256_hex(s->text, s->text_len, hex));
	}
	return 0;
}

int usage_claude(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *env, *msg, *u;
	const char *model, *id, *req, *sess, *cwd, *uuid;
	struct lc_usage_rec r;
	const cJSON *ts, *cost;

	if (!cJSON_IsObject(root) || !locate(root, &env, &msg))
		return 0;
	if (uj_true(env, "isApiErrorMessage"))
		return 0; /* an error notice, nothing billed */
	u = uj_obj(msg, "usage");
	memset(&r, 0, sizeof(r));
	if (uj_str(msg, "model", "message.model", &model, err) ||
	    uj_str(msg, "id", "message.id", &id, err) ||
	    uj_str(env, "requestId", "requestId", &req, err) ||
	    uj_str(env, "sessionId", "sessionId", &sess, err) ||
	    uj_str(env, "cwd", "cwd", &cwd, err) || uj_str(env, "uuid", "uuid", &uuid, err))
		return -1;
	if (!model)
		return lc_errf(err, LC_EDATA, "missing \"message.model\"");
	if (!strcmp(model, "<synthetic>"))
		return 0; /* a client-side placeholder: no API call */
	ts = cJSON_GetObjectItemCaseSensitive(env, "timestamp");
	if (!ts && env != root)
		ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (uj_time(ts, "timestamp", 0, &r.ts_ms, err))
		return -1;
	if (usage_anthropic_counts(s, u, &r, err))
		return -1;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "message.model", err) ||
	    uj_name(r.session, sizeof(r.session), sess ? sess : s->path_session, "sessionId",
		    err) ||
	    uj_name(r.project, sizeof(r.project), cwd ? cwd : s->path_project, "cwd", err))
		return -1;
	r.sidechain = uj_true(env, "isSidechain");
	cost = cJSON_GetObjectItemCaseSensitive(env, "costUSD");
	if (cost && !cJSON_IsNull(cost)) {
		if (uj_usd(cost, "costUSD", &r.reported_cost, err))
			return -1;
		r.has_reported_cost = 1;
	}
	if (claude_key(s, &r, id, req, uuid, err))
		return -1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

/* ---- the same rules on the line's text, without cJSON (lib/jscan.h) ---- */

/*
 * The fields usage_claude() reads, as a key tree: an "envelope" block (the
 * line itself, or data.message of a progress line) instantiated twice.
 * Relative indices inside a block; ENV_N entries, entry 0 the envelope.
 */
enum {
	E_SELF, E_TYPE, E_TS, E_SESS, E_REQ, E_CWD, E_UUID, E_SIDE, E_APIERR, E_COST, E_MSG,
	E_MSG_ID, E_MSG_MODEL, E_USAGE, E_IN, E_OUT, E_CR, E_CCI, E_CC, E_CC5, E_CC1, E_STU,
	E_WS, E_OTD, E_THINK, E_TIER, E_SPEED, ENV_N
};
static const struct {
	const char *key;
	int parent;
} env_block[ENV_N] = {
	[E_SELF] = { NULL, -1 },
	[E_TYPE] = { "type", E_SELF },
	[E_TS] = { "timestamp", E_SELF },
	[E_SESS] = { "sessionId", E_SELF },
	[E_REQ] = { "requestId", E_SELF },
	[E_CWD] = { "cwd", E_SELF },
	[E_UUID] = { "uuid", E_SELF },
	[E_SIDE] = { "isSidechain", E_SELF },
	[E_APIERR] = { "isApiErrorMessage", E_SELF },
	[E_COST] = { "costUSD", E_SELF },
	[E_MSG] = { "message", E_SELF },
	[E_MSG_ID] = { "id", E_MSG },
	[E_MSG_MODEL] = { "model", E_MSG },
	[E_USAGE] = { "usage", E_MSG },
	[E_IN] = { "input_tokens", E_USAGE },
	[E_OUT] = { "output_tokens", E_USAGE },
	[E_CR] = { "cache_read_input_tokens", E_USAGE },
	[E_CCI] = { "cache_creation_input_tokens", E_USAGE },
	[E_CC] = { "cache_creation", E_USAGE },
	[E_CC5] = { "ephemeral_5m_input_tokens", E_CC },
	[E_CC1] = { "ephemeral_1h_input_tokens", E_CC },
	[E_STU] = { "server_tool_use", E_USAGE },
	[E_WS] = { "web_search_requests", E_STU },
	[E_OTD] = { "output_tokens_details", E_USAGE },
	[E_THINK] = { "thinking_tokens", E_OTD },
	[E_TIER] = { "service_tier", E_USAGE },
	[E_SPEED] = { "speed", E_USAGE },
};
/* node 0 the line; 1..ENV_N-1 its block; then data, data.message and its block */
#define ROOT_ENV 0
#define N_DATA ENV_N
#define PROG_ENV (ENV_N + 1)
#define NODES (PROG_ENV + ENV_N)

static struct jscan_node nodes[NODES];

static void init_nodes(void)
{
	if (nodes[1].key)
		return;
	for (int b = 0; b < 2; b++) {
		int base = b ? PROG_ENV : ROOT_ENV;

		for (int i = 1; i < ENV_N; i++) {
			nodes[base + i].key = env_block[i].key;
			nodes[base + i].parent = base + env_block[i].parent;
		}
	}
	nodes[0].parent = -1;
	nodes[N_DATA].key = "data";
	nodes[N_DATA].parent = 0;
	nodes[PROG_ENV].key = "message";
	nodes[PROG_ENV].parent = N_DATA;
	jscan_prepare(nodes, NODES);
}

/* Decoded strings of one line: small ones in `small`, others on the heap. */
struct strs {
	char small[4096];
	size_t used;
	char *heap[16];
	int nheap;
};

static void strs_release(struct strs *b)
{
	for (int i = 0; i < b->nheap; i++)
		free(b->heap[i]);
	b->nheap = 0;
}

/* A string value decoded as cJSON's valuestring (unescaping only shrinks). */
static const char *decode(struct strs *b, const struct jscan_val *v, struct lc_err *err)
{
	size_t need = v->n + 1;
	char *dst;

	if (need <= sizeof(b->small) - b->used) {
		dst = b->small + b->used;
		b->used += need;
	} else {
		if (b->nheap == (int)(ARRAY_SIZE(b->heap)) || !(dst = xmalloc(need))) {
			lc_errf(err, LC_ERUNTIME, "out of memory");
			return NULL;
		}
		b->heap[b->nheap++] = dst;
	}
	if (!jscan_str(v, dst, need)) {
		lc_errf(err, LC_ERUNTIME, "internal: cannot decode a JSON string");
		return NULL;
	}
	return dst;
}

/* uj_str(): NULL when absent or null, -1 when not a string. */
static int jv_str(struct strs *b, const struct jscan_val *v, const char *name, const char **out,
		  struct lc_err *err)
{
	*out = NULL;
	if (v->kind == JS_ABSENT || v->kind == JS_NULL)
		return 0;
	if (v->kind != JS_STRING)
		return lc_errf(err, LC_EDATA, "\"%s\" is not a string", name);
	return (*out = decode(b, v, err)) ? 0 : -1;
}

/* A number's text as strtod() (and so cJSON) reads it. */
static double jv_double(const struct jscan_val *v)
{
	char tmp[64], *b = v->n < sizeof(tmp) ? tmp : xmalloc(v->n + 1);
	double d;

	if (!b)
		return NAN; /* refused as "not finite" */
	memcpy(b, v->p, v->n);
	b[v->n] = '\0';
	d = strtod(b, NULL);
	if (b != tmp)
		free(b);
	return d;
}

/*
 * uj_count() on the number's text: the same checks and messages, and one
 * more: a count must be written as an integer (cJSON's double let 1e3 and
 * 1000.0 pass as 1000).
 */
static int jv_count(const struct jscan_val *v, const char *name, int required, int64_t *out,
		    struct lc_err *err)
{
	int64_t x;
	double d;

	*out = 0;
	if (v->kind == JS_ABSENT || v->kind == JS_NULL) {
		if (required)
			return lc_errf(err, LC_EDATA, "missing \"%s\"", name);
		return 0;
	}
	if (v->kind != JS_NUMBER)
		return lc_errf(err, LC_EDATA, "\"%s\" is not a number", name);
	if (jscan_int(v, &x) == 0) {
		if (x < 0)
			return lc_errf(err, LC_EDATA, "\"%s\" is negative or not finite", name);
		if (x > LC_TOKENS_MAX)
			return lc_errf(err, LC_EDATA, "\"%s\" out of range (over 10^12)", name);
		*out = x;
		return 0;
	}
	d = jv_double(v);
	if (!isfinite(d) || d < 0)
		return lc_errf(err, LC_EDATA, "\"%s\" is negative or not finite", name);
	if (d > (double)LC_TOKENS_MAX)
		return lc_errf(err, LC_EDATA, "\"%s\" out of range (over 10^12)", name);
	if (d != floor(d))
		return lc_errf(err, LC_EDATA, "\"%s\" is not a whole number", name);
	if (memchr(v->p, '.', v->n) || memchr(v->p, 'e', v->n) || memchr(v->p, 'E', v->n))
		return lc_errf(err, LC_EDATA, "\"%s\" is not written as an integer", name);
	*out = (int64_t)d; /* over 18 digits with leading zeros */
	return 0;
}

/* usage_anthropic_counts() on the scanned fields of envelope block v. */
static int jv_counts(struct usage_src *s, struct strs *b, const struct jscan_val *v,
		     struct lc_usage_rec *r, struct lc_err *err)
{
	const char *tier, *speed;
	int64_t cci, w5, w1;

	if (jv_count(&v[E_IN], "usage.input_tokens", 1, &r->input, err) ||
	    jv_count(&v[E_OUT], "usage.output_tokens", 1, &r->output, err) ||
	    jv_count(&v[E_CR], "usage.cache_read_input_tokens", 0, &r->cache_read, err) ||
	    jv_count(&v[E_CCI], "usage.cache_creation_input_tokens", 0, &cci, err))
		return -1;
	if (v[E_CC].kind == JS_OBJECT) {
		if (jv_count(&v[E_CC5], "usage.cache_creation.ephemeral_5m_input_tokens", 0, &w5,
			     err) ||
		    jv_count(&v[E_CC1], "usage.cache_creation.ephemeral_1h_input_tokens", 0, &w1,
			     err))
			return -1;
		if (w5 + w1 == 0 && cci > 0)
			w5 = cci;
		else if (w5 + w1 != cci && cci != 0)
			usage_warn(s, "cache_creation split (%lld + %lld) differs from "
				      "cache_creation_input_tokens (%lld); using the split",
				   (long long)w5, (long long)w1, (long long)cci);
		r->cache_write_5m = w5;
		r->cache_write_1h = w1;
	} else {
		r->cache_write_5m = cci;
	}
	/* a member of a non-object is absent (uj_obj() gives NULL) */
	if (v[E_STU].kind == JS_OBJECT &&
	    jv_count(&v[E_WS], "usage.server_tool_use.web_search_requests", 0, &r->web_searches,
		     err))
		return -1;
	if (v[E_OTD].kind == JS_OBJECT &&
	    jv_count(&v[E_THINK], "usage.output_tokens_details.thinking_tokens", 0, &r->reasoning,
		     err))
		return -1;
	if (r->reasoning > r->output)
		return lc_errf(err, LC_EDATA, "thinking_tokens exceed output_tokens");
	if (jv_str(b, &v[E_TIER], "usage.service_tier", &tier, err) ||
	    jv_str(b, &v[E_SPEED], "usage.speed", &speed, err) ||
	    uj_name(r->service_tier, sizeof(r->service_tier), tier, "usage.service_tier", err) ||
	    uj_name(r->speed, sizeof(r->speed), speed, "usage.speed", err))
		return -1;
	r->requests = 1;
	return 0;
}

/* 1 when v is a string that decodes to exactly word. */
static int jv_is(const struct jscan_val *v, const char *word)
{
	char buf[32];

	return v->kind == JS_STRING && jscan_str(v, buf, sizeof(buf)) && !strcmp(buf, word);
}

/* usage_claude() on one scanned object (v[0] the line or an array element). */
static int claude_vals(struct usage_src *s, const struct jscan_val *v, struct lc_err *err)
{
	const struct jscan_val *env = v + ROOT_ENV, *tsv;
	const char *model, *id, *req, *sess, *cwd, *uuid;
	struct lc_usage_rec r;
	struct strs sb, *b = &sb;
	int rc = -1;

	if (jv_is(&v[E_TYPE], "progress")) {
		if (v[N_DATA].kind != JS_OBJECT || v[PROG_ENV].kind != JS_OBJECT)
			return 0;
		env = v + PROG_ENV;
		if (!jv_is(&env[E_TYPE], "assistant"))
			return 0;
	} else if (!jv_is(&v[E_TYPE], "assistant")) {
		return 0;
	}
	if (env[E_MSG].kind != JS_OBJECT || env[E_USAGE].kind != JS_OBJECT)
		return 0;
	if (env[E_APIERR].kind == JS_TRUE)
		return 0;
	b->used = 0;
	b->nheap = 0;
	memset(&r, 0, sizeof(r));
	if (jv_str(b, &env[E_MSG_MODEL], "message.model", &model, err) ||
	    jv_str(b, &env[E_MSG_ID], "message.id", &id, err) ||
	    jv_str(b, &env[E_REQ], "requestId", &req, err) ||
	    jv_str(b, &env[E_SESS], "sessionId", &sess, err) ||
	    jv_str(b, &env[E_CWD], "cwd", &cwd, err) || jv_str(b, &env[E_UUID], "uuid", &uuid, err))
		goto out;
	if (!model) {
		lc_errf(err, LC_EDATA, "missing \"message.model\"");
		goto out;
	}
	if (!strcmp(model, "<synthetic>")) {
		rc = 0;
		goto out;
	}
	tsv = &env[E_TS];
	if (tsv->kind == JS_ABSENT && env != v)
		tsv = &v[E_TS];
	if (tsv->kind == JS_ABSENT || tsv->kind == JS_NULL) {
		lc_errf(err, LC_EDATA, "missing \"timestamp\"");
		goto out;
	} else if (tsv->kind == JS_STRING) {
		struct lc_err e2 = { 0 };
		const char *ts = decode(b, tsv, err);

		if (!ts)
			goto out;
		if (ts_parse(ts, strlen(ts), &r.ts_ms, &e2)) {
			lc_errf(err, LC_EDATA, "\"timestamp\": %s", e2.msg);
			goto out;
		}
	} else {
		lc_errf(err, LC_EDATA, "\"timestamp\" is not a timestamp");
		goto out;
	}
	if (jv_counts(s, b, env, &r, err))
		goto out;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "message.model", err) ||
	    uj_name(r.session, sizeof(r.session), sess ? sess : s->path_session, "sessionId",
		    err) ||
	    uj_name(r.project, sizeof(r.project), cwd ? cwd : s->path_project, "cwd", err))
		goto out;
	r.sidechain = env[E_SIDE].kind == JS_TRUE;
	if (env[E_COST].kind != JS_ABSENT && env[E_COST].kind != JS_NULL) {
		struct lc_err e2 = { 0 };

		if (env[E_COST].kind == JS_STRING) {
			const char *c = decode(b, &env[E_COST], err);

			if (!c)
				goto out;
			if (money_parse(c, strlen(c), 9, &r.reported_cost, NULL, &e2)) {
				lc_errf(err, LC_EDATA, "\"costUSD\": %s", e2.msg);
				goto out;
			}
		} else if (env[E_COST].kind != JS_NUMBER) {
			lc_errf(err, LC_EDATA, "\"costUSD\" is not a number");
			goto out;
		} else if (money_from_double(jv_double(&env[E_COST]), 9, &r.reported_cost, NULL,
					     &e2)) {
			lc_errf(err, LC_EDATA, "\"costUSD\": %s", e2.msg);
			goto out;
		}
		r.has_reported_cost = 1;
	}
	if (claude_key(s, &r, id, req, uuid, err))
		goto out;
	rc = usage_emit(s, &r, err) ? -1 : 1;
out:
	strs_release(b);
	return rc;
}

int usage_claude_text(struct usage_src *s, const char *p, size_t n, int nul_checked,
		      struct lc_err *err)
{
	struct jscan_val v[NODES];
	unsigned flags;
	long end;
	size_t i;

	init_nodes();
	if ((end = jscan_clean(p, n, nodes, NODES, v, &flags)) < 0)
		return USAGE_NOT_JSON;
	if ((flags & JSCAN_U0) && !nul_checked)
		return USAGE_CHECK_NUL;
	for (i = (size_t)end; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	if (i < n)
		return USAGE_TRAILING;
	if (v[0].kind == JS_OBJECT)
		return claude_vals(s, v, err);
	if (v[0].kind != JS_ARRAY)
		return 0;
	/* an array of lines: each element as a line (the array is valid JSON) */
	i = jscan_blank(p, n, (size_t)(v[0].p - p) + 1);
	if (p[i] == ']')
		return 0;
	for (;;) {
		long k = jscan_clean(p + i, n - i, nodes, NODES, v, &flags);

		if (k < 0)
			return lc_errf(err, LC_ERUNTIME, "internal: JSON array element");
		if (v[0].kind == JS_OBJECT && claude_vals(s, v, err) < 0)
			return -1;
		i = jscan_blank(p, n, i + (size_t)k);
		if (i >= n || p[i] != ',')
			return 0;
		i = jscan_blank(p, n, i + 1);
	}
}

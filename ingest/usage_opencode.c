/*
 * usage_opencode.c - OpenCode message files
 * (${XDG_DATA_HOME:-~/.local/share}/opencode/storage/message/<session>/msg_*.json).
 *
 * Each file is one message, a JSON document: {id, sessionID, role,
 * modelID, providerID, time: {created, completed} (unix milliseconds),
 * cost (USD, from OpenCode's own price list), tokens: {input, output,
 * reasoning, cache: {read, write}, total}, path: {cwd, root}}.  An
 * "assistant" message with tokens is one model response (a message still
 * being written has none, or all zero, and is read again once it changes).
 * tokens.input is the uncached input (OpenCode subtracts both cache
 * buckets).  Whether tokens.output holds the reasoning changed between
 * OpenCode versions; the total tells (input + output + both caches, with
 * or without reasoning), and without a total the reasoning is inside the
 * output unless it is larger.  A cost above zero is the logged cost (zero
 * is what OpenCode writes for a model it has no price for).  The natural
 * key is the message id.
 *
 * Newer OpenCode versions keep the messages in an SQLite store instead
 * (opencode.db beside storage/, opencode-CHANNEL.db for another release
 * channel): a table message(id, session_id, data, ...) whose data is the
 * same message JSON without its id and sessionID.  It is opened read-only
 * (lib/db_foreign.h) and each row read as a message file with the row's id
 * and session_id, so a message in both the store and a JSON file has one
 * key and is counted once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db_foreign.h"
#include "usage_agents.h"

/* time.created: unix milliseconds (a whole or fractional number). */
static int created_ms(const cJSON *root, int64_t *ms, struct lc_err *err)
{
	const cJSON *t = uj_obj(root, "time"), *c;

	c = t ? cJSON_GetObjectItemCaseSensitive(t, "created") : NULL;
	if (!c || cJSON_IsNull(c))
		return lc_errf(err, LC_EDATA, "missing \"time.created\"");
	if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble) || c->valuedouble < 0 ||
	    c->valuedouble >= 253402300800000.0)
		return lc_errf(err, LC_EDATA, "\"time.created\" is not a unix time in milliseconds");
	*ms = (int64_t)c->valuedouble;
	return 0;
}

int usage_opencode(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	const cJSON *tok = uj_obj(root, "tokens"), *cache, *tot, *cost, *path;
	const char *role, *model, *id, *sess, *proj = NULL;
	int64_t in, out, rs, cr = 0, cw = 0, total = 0;
	struct lc_usage_rec r;

	if (!cJSON_IsObject(root) || uj_str(root, "role", "role", &role, err))
		return cJSON_IsObject(root) ? -1 : 0;
	if (!role || strcmp(role, "assistant") || !tok)
		return 0;
	cache = uj_obj(tok, "cache");
	if (uj_count(tok, "input", "tokens.input", 0, &in, err) ||
	    uj_count(tok, "output", "tokens.output", 0, &out, err) ||
	    uj_count(tok, "reasoning", "tokens.reasoning", 0, &rs, err) ||
	    (cache && (uj_count(cache, "read", "tokens.cache.read", 0, &cr, err) ||
		       uj_count(cache, "write", "tokens.cache.write", 0, &cw, err))) ||
	    uj_count(tok, "total", "tokens.total", 0, &total, err))
		return -1;
	if (in + out + rs + cr + cw == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	tot = cJSON_GetObjectItemCaseSensitive(tok, "total");
	r.input = in;
	r.cache_read = cr;
	r.cache_write_5m = cw;
	r.reasoning = rs;
	if (tot && !cJSON_IsNull(tot))
		r.output = total == in + out + cr + cw + rs && rs > 0 ? out + rs : out;
	else
		r.output = rs > out ? out + rs : out;
	if (r.reasoning > r.output)
		r.output += r.reasoning; /* a total that fits neither form */
	r.requests = 1;
	if (uj_str(root, "modelID", "modelID", &model, err) || uj_str(root, "id", "id", &id, err) ||
	    uj_str(root, "sessionID", "sessionID", &sess, err) || created_ms(root, &r.ts_ms, err) ||
	    uj_name(r.model_raw, sizeof(r.model_raw), model, "modelID", err) ||
	    (sess && *sess && uj_name(r.session, sizeof(r.session), sess, "sessionID", err)))
		return -1;
	if (!r.session[0])
		agent_file_stem(s, r.session, sizeof(r.session));
	if ((path = uj_obj(root, "path")) &&
	    (uj_str(path, "root", "path.root", &proj, err) ||
	     (!proj && uj_str(path, "cwd", "path.cwd", &proj, err))))
		return -1;
	if (uj_name(r.project, sizeof(r.project), proj, "path.root", err))
		return -1;
	cost = cJSON_GetObjectItemCaseSensitive(root, "cost");
	if (cost && !cJSON_IsNull(cost)) {
		if (uj_usd(cost, "cost", &r.reported_cost, err))
			return -1;
		r.has_reported_cost = r.reported_cost > 0;
	}
	if (id && *id) {
		if (usage_key(&r, err, "opencode:%s", id))
			return -1;
	} else if (agent_hash_key(&r, "opencode-msg", root, err)) {
		return -1;
	}
	return usage_emit(s, &r, err) ? -1 : 1;
}

/* ---- the SQLite store ---- */

/* One row of the message table: id, session_id, data. */
static int db_row(void *ctx, const struct fdb_row *f, struct lc_err *err)
{
	struct usage_src *s = ctx;
	const char *id = fdb_col_text(f, 0), *sess = fdb_col_text(f, 1);
	struct lc_err e = { 0 };
	cJSON *root;
	int rc;

	s->line++;
	root = cJSON_Parse(fdb_col_text(f, 2));
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		usage_reject(s, "message row '%.40s': data is not a JSON object", id);
		return 0;
	}
	/* the row's columns stand for the file's fields */
	if ((*id && !cJSON_HasObjectItem(root, "id") && !cJSON_AddStringToObject(root, "id", id)) ||
	    (*sess && !cJSON_HasObjectItem(root, "sessionID") &&
	     !cJSON_AddStringToObject(root, "sessionID", sess))) {
		cJSON_Delete(root);
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	rc = usage_opencode(s, root, &e);
	cJSON_Delete(root);
	if (rc >= 0)
		return 0;
	if (e.code != LC_EDATA) {
		*err = e;
		return -1;
	}
	usage_reject(s, "message row '%.40s': %s", id, e.msg);
	return 0;
}

int usage_opencode_db(struct usage_src *s, struct lc_err *err)
{
	struct lc_fdb *f;
	int r;

	if (fdb_open(s->path, "an OpenCode database", &f, err))
		return -1;
	if (!fdb_has_column(f, "message", "id") || !fdb_has_column(f, "message", "data")) {
		fdb_close(f);
		return lc_errf(err, LC_EDATA, "'%s' has no message table with id and data",
			       s->path);
	}
	/* SQL from constant fragments only (column presence), never data */
	r = fdb_select(f,
		       fdb_has_column(f, "message", "session_id")
			       ? "SELECT id, session_id, data FROM message"
			       : "SELECT id, '', data FROM message",
		       "table message", db_row, s, err);
	fdb_close(f);
	return r ? -1 : 0;
}

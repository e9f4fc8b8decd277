/*
 * db_catalog.c - the model catalogue: name resolution and model rows.
 *
 * Resolution is explicit, never fuzzy: a name is normalised by lib/name.c
 * (case, host and maker prefixes, Bedrock region and version parts, variant
 * suffixes, dotted versions, -latest) into a short list of candidates, and
 * each candidate must match a model id or a row of model_aliases exactly.
 * Aliases are keyed by host: a row with a host applies only where the name
 * means that host (a host prefix, a sheet key of that host) or no host is
 * known.  When no candidate matches, the squashed forms (separators
 * dropped: dates, dots against dashes, gpt-35-turbo) are looked up in an
 * index of every model id and alias; a squashed form is used only when it
 * means exactly one model.  Fuzzy matching is used only to suggest names in
 * the error message, so one model never gets another's price.
 */
#include <ctype.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "hash.h"
#include "name.h"

struct cands {
	struct lc_name_forms f;
	char ambiguous[2 * LC_ID_MAX + 8]; /* "a, b" when a squashed form meant two models */
};

/* 1 and fills model/host when name is an alias valid on date (or the
   closest period) where host qhost ("" any) is meant; the alias of that
   very host first, then one of every host. */
static int lookup_alias(struct lc_db *db, const char *name, const char *qhost, const char *date,
			char *model, char *host)
{
	/* the period containing date first, then the nearest one */
	static const char sql[] =
		"SELECT model_id, coalesce(host, '') FROM model_aliases WHERE alias = ?1 "
		"AND (?3 = '' OR host IS NULL OR host = ?3) "
		"ORDER BY (coalesce(host, '') = ?3) DESC, "
		"(valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)) DESC, "
		"(valid_from > ?2) ASC, valid_from DESC LIMIT 1";
	sqlite3_stmt *st = db_cached(db, sql, NULL);
	int found = 0, rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, qhost, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		lc_strlcpy(model, (const char *)sqlite3_column_text(st, 0), LC_ID_MAX);
		lc_strlcpy(host, (const char *)sqlite3_column_text(st, 1), LC_ID_MAX);
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return found;
}

static int model_exists(struct lc_db *db, const char *id, char *default_host)
{
	static const char sql[] = "SELECT coalesce(default_host, maker) FROM models WHERE id = ?1";
	sqlite3_stmt *st = db_cached(db, sql, NULL);
	int found = 0, rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		lc_strlcpy(default_host, (const char *)sqlite3_column_text(st, 0), LC_ID_MAX);
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return found;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[LC_ID_MAX + 1], cur[LC_ID_MAX + 1];

	if (la > LC_ID_MAX || lb > LC_ID_MAX)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* Up to three closest known names, for "did you mean". */
static void suggest(sqlite3 *h, const char *name, char *out, size_t n)
{
	sqlite3_stmt *st;
	char best[3][LC_ID_MAX] = { "", "", "" };
	size_t bestd[3] = { (size_t)-1, (size_t)-1, (size_t)-1 };

	out[0] = '\0';
	if (sqlite3_prepare_v2(h, "SELECT id FROM models UNION SELECT alias FROM model_aliases", -1,
			       &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cand = (const char *)sqlite3_column_text(st, 0);
		size_t d = edit_distance(name, cand);

		for (int i = 0; i < 3; i++)
			if (d < bestd[i]) {
				for (int k = 2; k > i; k--) {
					bestd[k] = bestd[k - 1];
					LC_COPY(best[k], best[k - 1]);
				}
				bestd[i] = d;
				lc_strlcpy(best[i], cand, LC_ID_MAX);
				break;
			}
	}
	sqlite3_finalize(st);
	for (int i = 0; i < 3 && best[i][0]; i++) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "%s%s", i ? ", " : "", best[i]);
	}
}

/* ---- the squashed-name index ---- */

/* An entry's strings are offsets into the index's pool (three fixed
   LC_ID_MAX arrays an entry made the index of a 40,000-model sheet 32 MB). */
struct ix_ent {
	size_t key;  /* lc_name_squash of name */
	size_t name; /* a model id or an alias, as stored */
	size_t host; /* the alias's host, "" any */
	int alias, builtin;
};

struct db_name_index {
	struct ix_ent *e;
	size_t n, cap;
	char *pool; /* the entries' strings, each NUL-terminated */
	size_t npool, cappool;
	struct lc_hidx idx; /* e by lc_hash_str of key */
	int64_t models_rowid, aliases_rowid, models_n, aliases_n;
};

void db_name_index_free(struct db_name_index *ix)
{
	if (!ix)
		return;
	free(ix->e);
	free(ix->pool);
	lc_hidx_release(&ix->idx);
	free(ix);
}

static int ix_add1(struct db_name_index *ix, const char *key, const char *name,
		   const char *host, int alias, int builtin);

/* Index name under its squashed self and, for "owner/name", under the name
   after the last '/' too (so z-ai/glm-5 and glm-5 meet when no other
   model is named glm-5). */
static int ix_add(struct db_name_index *ix, const char *name, const char *host, int alias,
		  int builtin)
{
	const char *sl = strrchr(name, '/');

	if (ix_add1(ix, name, name, host, alias, builtin))
		return -1;
	return sl && sl[1] ? ix_add1(ix, sl + 1, name, host, alias, builtin) : 0;
}

/* Copy s into the pool; its offset in *off.  0 or -1 (out of memory). */
static int ix_str(struct db_name_index *ix, const char *s, size_t *off)
{
	size_t n = strlen(s) + 1;

	if (ix->npool + n > ix->cappool) {
		size_t ncap = ix->cappool ? ix->cappool * 2 : 65536;
		char *p;

		while (ncap < ix->npool + n)
			ncap *= 2;
		p = xrealloc(ix->pool, ncap);
		ix->pool = p;
		ix->cappool = ncap;
	}
	memcpy(ix->pool + ix->npool, s, n);
	*off = ix->npool;
	ix->npool += n;
	return 0;
}

static int ix_add1(struct db_name_index *ix, const char *key, const char *name,
		   const char *host, int alias, int builtin)
{
	struct ix_ent *x;
	char sq[LC_ID_MAX];

	if (ix->n == ix->cap) {
		size_t ncap = ix->cap ? ix->cap * 2 : 1024;
		struct ix_ent *e = xrealloc(ix->e, ncap * sizeof(*e));

		ix->e = e;
		ix->cap = ncap;
	}
	lc_name_squash(key, sq);
	if (!sq[0])
		return 0;
	x = &ix->e[ix->n];
	if (ix_str(ix, sq, &x->key) || ix_str(ix, name, &x->name) ||
	    ix_str(ix, host ? host : "", &x->host))
		return -1;
	x->alias = alias;
	x->builtin = builtin;
	if (lc_hidx_add(&ix->idx, lc_hash_str(LC_HASH_SEED, sq), ix->n))
		return -1;
	ix->n++;
	return 0;
}

/* Bring the index up to date: rows added since the last call are appended
   (ids and rowids only grow while rows are only added); a store whose
   rows were deleted or replaced is indexed again from scratch. */
static int ix_refresh(struct lc_db *db, struct db_name_index **slot, struct lc_err *err)
{
	static const char sig_sql[] =
		"SELECT (SELECT coalesce(max(rowid), 0) FROM models), "
		"(SELECT coalesce(max(rowid), 0) FROM model_aliases), "
		"(SELECT count(*) FROM models), (SELECT count(*) FROM model_aliases)";
	static const char models_sql[] =
		"SELECT id, origin = 'builtin' FROM models WHERE rowid > ?1 ORDER BY rowid";
	static const char aliases_sql[] =
		"SELECT alias, host, origin = 'builtin' FROM model_aliases WHERE rowid > ?1 "
		"ORDER BY rowid";
	struct db_name_index *ix = *slot;
	sqlite3_stmt *st = db_cached(db, sig_sql, err);
	int64_t sig[4];
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	for (int i = 0; i < 4; i++)
		sig[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "resolving a model name");
	if (ix && sig[0] == ix->models_rowid && sig[1] == ix->aliases_rowid &&
	    sig[2] == ix->models_n && sig[3] == ix->aliases_n)
		return 0;
	if (ix && (sig[0] < ix->models_rowid || sig[1] < ix->aliases_rowid ||
		   sig[2] - ix->models_n != sig[0] - ix->models_rowid ||
		   sig[3] - ix->aliases_n != sig[1] - ix->aliases_rowid)) {
		db_name_index_free(ix);
		*slot = ix = NULL;
	}
	if (!ix) {
		ix = xcalloc(1, sizeof(*ix));
		*slot = ix;
	}
	if (!(st = db_cached(db, models_sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, ix->models_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (ix_add(ix, (const char *)sqlite3_column_text(st, 0), NULL, 0,
			   sqlite3_column_int(st, 1))) {
			sqlite3_reset(st);
			return lc_errf(err, LC_ERUNTIME, "out of memory");
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "resolving a model name");
	if (!(st = db_cached(db, aliases_sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, ix->aliases_rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (ix_add(ix, (const char *)sqlite3_column_text(st, 0),
			   (const char *)sqlite3_column_text(st, 1), 1, sqlite3_column_int(st, 2))) {
			sqlite3_reset(st);
			return lc_errf(err, LC_ERUNTIME, "out of memory");
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "resolving a model name");
	ix->models_rowid = sig[0];
	ix->aliases_rowid = sig[1];
	ix->models_n = sig[2];
	ix->aliases_n = sig[3];
	return 0;
}

#define MAXHIT 4

struct hits {
	char model[MAXHIT][LC_ID_MAX];
	char host[MAXHIT][LC_ID_MAX]; /* the alias's host, "" none */
	int n;
};

/* Entry x of ix (its key matched) as a hit, when it is one; 0 or -1. */
static int ix_hit(struct lc_db *db, const struct db_name_index *ix, const struct ix_ent *x,
		  const char *qhost, const char *date, int builtin_only, struct hits *h,
		  struct lc_err *err)
{
	char model[LC_ID_MAX], ahost[LC_ID_MAX], dhost[LC_ID_MAX];
	const char *xname = ix->pool + x->name, *xhost = ix->pool + x->host;
	int r, k;

	if ((builtin_only && !x->builtin) || (qhost[0] && xhost[0] && strcmp(xhost, qhost)))
		return 0;
	if (x->alias) {
		r = lookup_alias(db, xname, qhost, date, model, ahost);
		if (r < 0)
			return db_fail(db, err, "resolving a model name");
		if (r == 0)
			return 0;
	} else {
		LC_COPY(model, xname);
		ahost[0] = '\0';
	}
	if ((r = model_exists(db, model, dhost)) < 0)
		return db_fail(db, err, "resolving a model name");
	for (k = 0; r && k < h->n && strcmp(h->model[k], model); k++)
		;
	if (r && k == h->n && h->n < MAXHIT) {
		lc_strlcpy(h->model[h->n], model, LC_ID_MAX);
		lc_strlcpy(h->host[h->n++], ahost, LC_ID_MAX);
	}
	return 0;
}

/*
 * The distinct models the squashed form of s means where qhost is meant
 * (builtin_only: the built-in catalogue's names only); 0 or -1.  The
 * entries are tried newest first (an alias before the model it names; the
 * first hit of a model gives its host).
 */
static int ix_lookup(struct lc_db *db, const char *s, const char *qhost, const char *date,
		     int builtin_only, struct hits *h, struct lc_err *err)
{
	struct db_name_index **slot = db_name_index_slot(db), *ix;
	char key[LC_ID_MAX];
	size_t some[64], *cand = some, nc = 0, cap = 64;
	struct lc_hidx_it it;
	int rc = 0;

	lc_name_squash(s, key);
	if (!key[0] || ix_refresh(db, slot, err))
		return key[0] ? -1 : 0;
	ix = *slot;
	for (size_t i = lc_hidx_first(&ix->idx, lc_hash_str(LC_HASH_SEED, key), &it);
	     i != LC_HIDX_END; i = lc_hidx_next(&ix->idx, &it)) {
		if (strcmp(ix->pool + ix->e[i].key, key))
			continue;
		if (nc == cap) {
			size_t *more = xmalloc(2 * cap * sizeof(*more));

			memcpy(more, cand, nc * sizeof(*more));
			if (cand != some)
				free(cand);
			cand = more;
			cap *= 2;
		}
		cand[nc++] = i;
	}
	while (!rc && nc > 0)
		rc = ix_hit(db, ix, &ix->e[cand[--nc]], qhost, date, builtin_only, h, err);
	if (cand != some)
		free(cand);
	return rc;
}

static int resolve(struct lc_db *db, const char *name, const char *qhost, const char *date,
		   struct lc_resolved *out, struct cands *c, int nested, struct lc_err *err);

/*
 * "PROVIDER/NAME" where PROVIDER is any provider the store knows (a host
 * from a price sheet, "acme"), tried when no fixed prefix applied: NAME
 * resolved, at that host.  The usage CSV's provider column is written so.
 * 0 found, 1 not, -1 error.
 */
static int provider_prefix(struct lc_db *db, const char *name, const char *date,
			   struct lc_resolved *out, struct lc_err *err)
{
	static const char sql[] = "SELECT id FROM providers WHERE id = lower(?1)";
	const char *slash = strchr(name, '/');
	char prov[LC_ID_MAX];
	struct cands c;
	sqlite3_stmt *st;
	int rc;

	if (!slash || slash == name || !slash[1] || (size_t)(slash - name) >= sizeof(prov))
		return 1;
	memcpy(prov, name, (size_t)(slash - name));
	prov[slash - name] = '\0';
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_text(st, 1, prov, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		LC_COPY(prov, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "resolving a model name");
	if (rc != SQLITE_ROW)
		return 1;
	/* NAME alone, by the fixed rules only (one provider prefix, so a name
	   of many "x/" parts never recurses deeply), meant at that host */
	rc = resolve(db, slash + 1, prov, date, out, &c, 1, err);
	if (rc)
		return rc;
	LC_COPY(out->host, prov);
	out->host_explicit = 1;
	return 0;
}

static void found(struct lc_resolved *out, const char *model, const char *host,
		  const char *ahost, const char *dhost)
{
	LC_COPY(out->model, model);
	if (host[0] || ahost[0]) {
		LC_COPY(out->host, host[0] ? host : ahost);
		out->host_explicit = 1;
	} else {
		LC_COPY(out->host, dhost);
	}
}

static int squashed(struct lc_db *db, struct cands *c, int i0, int i1, const char *host,
		    const char *qhost, const char *date, struct lc_resolved *out,
		    struct lc_err *err);

/* Resolve name where host ctx ("" none) is meant; 0 found, 1 not found (err
   untouched), -1 error.  nested: without the provider-prefix rule
   (provider_prefix's own call). */
static int resolve(struct lc_db *db, const char *name, const char *ctx, const char *date,
		   struct lc_resolved *out, struct cands *c, int nested, struct lc_err *err)
{
	char model[LC_ID_MAX], ahost[LC_ID_MAX], dhost[LC_ID_MAX];
	const char *host, *qhost;
	int r;

	memset(out, 0, sizeof(*out));
	c->ambiguous[0] = '\0';
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return lc_errf(err, LC_EDATA, "model name contains a control character");
	lc_name_forms(name, &c->f);
	host = c->f.host;
	qhost = host[0] ? host : ctx ? ctx : "";
	for (int i = 0; i < c->f.n; i++) {
		r = lookup_alias(db, c->f.v[i], qhost, date, model, ahost);

		if (r < 0)
			return db_fail(db, err, "resolving a model name");
		if (r == 0) {
			r = model_exists(db, c->f.v[i], dhost);
			if (r < 0)
				return db_fail(db, err, "resolving a model name");
			if (r == 0)
				continue;
			LC_COPY(model, c->f.v[i]);
			ahost[0] = '\0';
		}
		r = model_exists(db, model, dhost);
		if (r < 0)
			return db_fail(db, err, "resolving a model name");
		if (r == 0)
			continue;
		found(out, model, host, ahost, dhost);
		return 0;
	}
	/* other spellings: each form squashed, then the reordered ones */
	if ((r = squashed(db, c, 0, c->f.n + c->f.nalt, host, qhost, date, out, err)) <= 0)
		return r;
	/* a provider the store knows as prefix, then an unknown owner's */
	if (!nested && (r = provider_prefix(db, name, date, out, err)) <= 0)
		return r;
	return squashed(db, c, c->f.n + c->f.nalt, c->f.n + c->f.nalt + c->f.nowned, host, qhost,
			date, out, err);
}

/* Forms i0..i1 (v, then alt, then owned) squashed: 0 found, 1 not, -1 error. */
static int squashed(struct lc_db *db, struct cands *c, int i0, int i1, const char *host,
		    const char *qhost, const char *date, struct lc_resolved *out,
		    struct lc_err *err)
{
	char dhost[LC_ID_MAX];
	const struct lc_name_forms *f = &c->f;

	for (int i = i0; i < i1; i++) {
		struct hits h = { .n = 0 };
		const char *v = i < f->n ? f->v[i]
			      : i < f->n + f->nalt ? f->alt[i - f->n] : f->owned[i - f->n - f->nalt];

		if (ix_lookup(db, v, qhost, date, 0, &h, err))
			return -1;
		if (h.n == 1) {
			if (model_exists(db, h.model[0], dhost) < 0)
				return db_fail(db, err, "resolving a model name");
			found(out, h.model[0], host, h.host[0], dhost);
			return 0;
		}
		if (h.n > 1 && !c->ambiguous[0]) {
			int lo = strcmp(h.model[0], h.model[1]) > 0;

			snprintf(c->ambiguous, sizeof(c->ambiguous), "%s, %s", h.model[lo],
				 h.model[!lo]);
		}
	}
	return 1;
}

/* A Bedrock regional id (us.anthropic....) resolved at host bedrock means
   bedrock-regional when that host prices the model on date (the Claude 4.5
   generation's regional endpoints cost 10% more), else bedrock. */
static int regional_host(struct lc_db *db, const char *name, const char *date,
			 struct lc_resolved *out, struct lc_err *err)
{
	static const char sql[] =
		"SELECT 1 FROM price_periods WHERE model_id = ?1 AND host = 'bedrock-regional' "
		"AND ((?2 IS NULL AND effective_to IS NULL) OR (effective_from <= ?2 "
		"AND (effective_to IS NULL OR effective_to > ?2))) LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	if (strcmp(out->host, "bedrock") || !lc_name_bedrock_regional(name))
		return 0;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_text(st, 1, out->model, -1, SQLITE_STATIC);
	if (date && date[0])
		sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "resolving a model name");
	if (rc == SQLITE_ROW)
		snprintf(out->host, sizeof(out->host), "bedrock-regional");
	return 0;
}

int db_resolve(struct lc_db *db, const char *name, const char *date, struct lc_resolved *out,
	       struct lc_err *err)
{
	struct cands c;
	int r = resolve(db, name, NULL, date, out, &c, 0, err);

	if (r == 0)
		return regional_host(db, name, date, out, err);
	if (r < 0)
		return r;
	if (c.ambiguous[0])
		return lc_errf(err, LC_EDATA, "ambiguous model '%s': it could be %s", name,
			       c.ambiguous),
		       lc_err_reason(err, LC_R_UNKNOWN_NAME);
	{
		char sug[3 * LC_ID_MAX + 8];

		suggest(db_handle(db), c.f.n ? c.f.v[0] : name, sug, sizeof(sug));
		if (sug[0])
			return lc_errf(err, LC_EDATA, "unknown model '%s'; did you mean: %s?", name, sug),
			       lc_err_reason(err, LC_R_UNKNOWN_NAME);
		return lc_errf(err, LC_EDATA, "unknown model '%s'", name),
		       lc_err_reason(err, LC_R_UNKNOWN_NAME);
	}
}

int db_resolve_quiet(struct lc_db *db, const char *name, const char *date,
		     struct lc_resolved *out, struct lc_err *err)
{
	struct cands c;

	return resolve(db, name, NULL, date, out, &c, 0, err);
}

int db_resolve_at(struct lc_db *db, const char *name, const char *host, const char *date,
		  struct lc_resolved *out, struct lc_err *err)
{
	struct cands c;

	return resolve(db, name, host, date, out, &c, 0, err);
}

void db_name_base(const char *name, char out[LC_ID_MAX])
{
	struct lc_name_forms f;

	lc_name_forms(name, &f);
	lc_strlcpy(out, f.base, LC_ID_MAX);
}

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	lc_strlcpy(dst, v ? (const char *)v : "", n);
}

int db_model_get(struct lc_db *db, const char *id, struct lc_model *m, struct lc_err *err)
{
	static const char sql[] =
		"SELECT id, maker, family, name, release_date, context_window, max_output, "
		"modalities, open_weights, coalesce(default_host, maker), image_tokens, mode, "
		"(SELECT deprecation_announced FROM model_lifecycle WHERE model_id = id), "
		"(SELECT retired FROM model_lifecycle WHERE model_id = id) "
		"FROM models WHERE id = ?1";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	memset(m, 0, sizeof(*m));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, m->id, sizeof(m->id));
		copy_col(st, 1, m->maker, sizeof(m->maker));
		copy_col(st, 2, m->family, sizeof(m->family));
		copy_col(st, 3, m->name, sizeof(m->name));
		copy_col(st, 4, m->release_date, sizeof(m->release_date));
		m->context_window = sqlite3_column_int64(st, 5);
		m->max_output = sqlite3_column_int64(st, 6);
		copy_col(st, 7, m->modalities, sizeof(m->modalities));
		m->open_weights = sqlite3_column_int(st, 8);
		copy_col(st, 9, m->default_host, sizeof(m->default_host));
		copy_col(st, 10, m->image_tokens, sizeof(m->image_tokens));
		copy_col(st, 11, m->mode, sizeof(m->mode));
		copy_col(st, 12, m->deprecated, sizeof(m->deprecated));
		copy_col(st, 13, m->retired, sizeof(m->retired));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading a model");
	return rc == SQLITE_ROW;
}

/* The snapshot of benchmark ?1 for date ?2 (db_quality_snapshot's rule), as SQL. */
#define SNAPSHOT_FOR_DATE                                                                      \
	"coalesce((SELECT max(snapshot) FROM quality_scores WHERE benchmark = ?1 AND snapshot <= ?2), " \
	"(SELECT min(snapshot) FROM quality_scores WHERE benchmark = ?1))"

int db_quality_snapshot(struct lc_db *db, const char *benchmark, const char *date, char out[11],
			struct lc_err *err)
{
	static const char sql[] = "SELECT " SNAPSHOT_FOR_DATE;
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc, found = 0;

	out[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, benchmark, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		lc_strlcpy(out, (const char *)sqlite3_column_text(st, 0), 11);
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading quality scores");
	return found;
}

int db_quality(struct lc_db *db, const char *model, const char *benchmark, const char *date,
	       char out[32], struct lc_err *err)
{
	static const char sql[] =
		"SELECT score FROM quality_scores WHERE benchmark = ?1 AND snapshot = " SNAPSHOT_FOR_DATE
		" AND model_id = ?3 ORDER BY score DESC LIMIT 1";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	out[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, benchmark, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, model, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		/* sqlite renders REAL with 15 significant digits: 1186.0 -> "1186.0" */
		lc_strlcpy(out, (const char *)sqlite3_column_text(st, 0), 32);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading quality scores");
	return rc == SQLITE_ROW;
}

/* The reason one sheet-made model stays outside the built-in catalogue. */
static int unmatched_reason(struct lc_db *db, struct lc_unmatched *u, struct lc_err *err)
{
	struct lc_name_forms f;
	struct hits h = { .n = 0 };

	lc_name_forms(u->model, &f);
	for (int i = 0; i < f.n + f.nalt + f.nowned && h.n == 0; i++)
		/* host "-" (no such host): an alias of one host says nothing
		   about what the name means elsewhere */
		if (ix_lookup(db, i < f.n ? f.v[i]
				  : i < f.n + f.nalt ? f.alt[i - f.n] : f.owned[i - f.n - f.nalt],
			      "-", "9999-12-31", 1, &h, err))
			return -1;
	u->detail[0] = '\0';
	if (h.n == 1) {
		snprintf(u->reason, sizeof(u->reason), "spelling");
		snprintf(u->detail, sizeof(u->detail), "another spelling of %s", h.model[0]);
	} else if (h.n > 1) {
		int lo = strcmp(h.model[0], h.model[1]) > 0;

		snprintf(u->reason, sizeof(u->reason), "ambiguous");
		snprintf(u->detail, sizeof(u->detail), "could be %s or %s", h.model[lo],
			 h.model[!lo]);
	} else if (strcmp(u->mode, "chat") && strcmp(u->mode, "completion") &&
		   strcmp(u->mode, "responses")) {
		snprintf(u->reason, sizeof(u->reason), "not-chat");
		snprintf(u->detail, sizeof(u->detail), "its mode is %s", u->mode);
	} else if (!strncmp(u->model, "ft:", 3)) {
		snprintf(u->reason, sizeof(u->reason), "fine-tuned");
		snprintf(u->detail, sizeof(u->detail), "a fine-tuned model");
	} else {
		snprintf(u->reason, sizeof(u->reason), "new");
		snprintf(u->detail, sizeof(u->detail), "no built-in model by this name");
	}
	return 0;
}

int db_unmatched(struct lc_db *db, const char *source,
		 int (*cb)(void *ctx, const struct lc_unmatched *u), void *ctx, struct lc_err *err)
{
	static const char sql[] =
		"SELECT m.id, m.origin, m.mode, (SELECT group_concat(host, ' ') FROM "
		"(SELECT DISTINCT host FROM price_periods p WHERE p.model_id = m.id ORDER BY host)) "
		"FROM models m WHERE m.origin <> 'builtin' AND (?1 IS NULL OR m.origin = ?1) "
		"ORDER BY m.id";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "listing unmatched models");
	if (source)
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_unmatched u;

		copy_col(st, 0, u.model, sizeof(u.model));
		copy_col(st, 1, u.source, sizeof(u.source));
		copy_col(st, 2, u.mode, sizeof(u.mode));
		copy_col(st, 3, u.hosts, sizeof(u.hosts));
		if (unmatched_reason(db, &u, err) || cb(ctx, &u)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "listing unmatched models");
	return 0;
}

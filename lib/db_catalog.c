/*
 * db_catalog.c - the model catalogue: name resolution and model rows.
 *
 * Resolution is explicit, never fuzzy: a name is normalised (case, host and
 * maker prefixes, Bedrock region and version parts, dotted versions, -latest)
 * into a short list of candidates, and each candidate must match a model id
 * or a row of model_aliases exactly.  Fuzzy matching is used only to suggest
 * names in the error message, so one model never gets another's price.
 */
#include <ctype.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* Prefixes naming a host: the name means that host's offering. */
static const struct {
	const char *prefix, *host;
} host_prefixes[] = {
	{ "bedrock/converse/", "bedrock" }, { "bedrock_converse/", "bedrock" },
	{ "bedrock/", "bedrock" },          { "azure_ai/", "azure" },
	{ "azure/", "azure" },              { "vertex_ai/", "vertex" },
	{ "vertex/", "vertex" },            { "groq/", "groq" },
	{ "openrouter/", "openrouter" },    { "together_ai/", "together" },
	{ "together/", "together" },        { "fireworks_ai/", "fireworks" },
	{ "fireworks/", "fireworks" },      { "deepinfra/", "deepinfra" },
};

/* Prefixes naming the maker (or a namespace): stripped, host unchanged. */
static const char *maker_prefixes[] = {
	"models/", "openai/", "anthropic/", "google/", "gemini/", "meta-llama/", "meta/",
	"mistralai/", "mistral/", "deepseek/", "deepseek-ai/", "x-ai/", "xai/", "amazon/",
	"cohere/", "qwen/", "accounts/fireworks/models/", "text-completion-openai/",
};

/* Bedrock model ids: [region.]vendor.model[-vN[:M]] */
static const char *bedrock_regions[] = { "us.", "eu.", "apac.", "global.", "us-gov.", "jp.",
	"au.", "ca." };
static const char *bedrock_vendors[] = { "anthropic.", "meta.", "amazon.", "mistral.",
	"cohere.", "ai21.", "deepseek.", "writer.", "qwen.", "openai." };

#define NCAND 12

struct cands {
	char v[NCAND][LC_ID_MAX];
	int n;
};

static void add(struct cands *c, const char *s)
{
	if (!*s || c->n >= NCAND || strlen(s) >= LC_ID_MAX)
		return;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0)
			return;
	strcpy(c->v[c->n++], s);
}

static int starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* claude-3.5-sonnet -> claude-3-5-sonnet: '.' between digits becomes '-'. */
static void dots_to_dashes(char *s)
{
	if (!*s) /* "" (or "openrouter/" stripped to ""): s + 1 is past the end */
		return;
	for (char *p = s + 1; *p; p++)
		if (*p == '.' && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
			*p = '-';
}

/* Remove a trailing -vN or -vN:M (Bedrock) in place; 1 when removed. */
static int strip_bedrock_version(char *s)
{
	char *v = strrchr(s, '-');

	if (!v || v[1] != 'v' || !isdigit((unsigned char)v[2]))
		return 0;
	for (char *p = v + 2; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ':')
			return 0;
	*v = '\0';
	return 1;
}

/* Remove a trailing -NNN (Gemini's -001/-002) in place. */
static int strip_numeric_version(char *s)
{
	size_t n = strlen(s);

	if (n > 4 && s[n - 4] == '-' && isdigit((unsigned char)s[n - 3]) &&
	    isdigit((unsigned char)s[n - 2]) && isdigit((unsigned char)s[n - 1])) {
		s[n - 4] = '\0';
		return 1;
	}
	return 0;
}

static void strip_suffix(char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	if (n > k && strcmp(s + n - k, suf) == 0)
		s[n - k] = '\0';
}

/* Build the candidate list; sets *host to an explicit host or "". */
static void candidates(const char *name, struct cands *c, char *host, char *base)
{
	char s[LC_ID_MAX], t[LC_ID_MAX], bed[LC_ID_MAX] = "";
	size_t n = 0;
	int changed;

	c->n = 0;
	host[0] = '\0';
	while (*name && isspace((unsigned char)*name))
		name++;
	for (; name[n] && n + 1 < sizeof(s); n++)
		s[n] = (char)tolower((unsigned char)name[n]);
	s[n] = '\0';
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';

	add(c, s);
	for (size_t i = 0; i < sizeof(host_prefixes) / sizeof(host_prefixes[0]); i++) {
		if (!starts(s, host_prefixes[i].prefix))
			continue;
		strcpy(host, host_prefixes[i].host);
		memmove(s, s + strlen(host_prefixes[i].prefix), strlen(s) - strlen(host_prefixes[i].prefix) + 1);
		/* bedrock/us-east-1/<id>: drop a region path segment */
		if (!strcmp(host, "bedrock")) {
			char *sl = strchr(s, '/');

			if (sl && !memchr(s, '.', (size_t)(sl - s)))
				memmove(s, sl + 1, strlen(sl + 1) + 1);
		}
		add(c, s);
		break;
	}
	do {
		changed = 0;
		for (size_t i = 0; i < sizeof(maker_prefixes) / sizeof(maker_prefixes[0]); i++)
			if (starts(s, maker_prefixes[i])) {
				memmove(s, s + strlen(maker_prefixes[i]),
					strlen(s) - strlen(maker_prefixes[i]) + 1);
				changed = 1;
			}
	} while (changed);
	add(c, s);

	/* Bedrock ids */
	for (size_t i = 0; i < sizeof(bedrock_regions) / sizeof(bedrock_regions[0]); i++)
		if (starts(s, bedrock_regions[i])) {
			for (size_t j = 0; j < sizeof(bedrock_vendors) / sizeof(bedrock_vendors[0]); j++)
				if (starts(s + strlen(bedrock_regions[i]), bedrock_vendors[j])) {
					memmove(s, s + strlen(bedrock_regions[i]),
						strlen(s) - strlen(bedrock_regions[i]) + 1);
					break;
				}
			break;
		}
	for (size_t j = 0; j < sizeof(bedrock_vendors) / sizeof(bedrock_vendors[0]); j++)
		if (starts(s, bedrock_vendors[j])) {
			if (!host[0])
				strcpy(host, "bedrock");
			add(c, s); /* the Bedrock id as listed in aliases */
			strcpy(t, s);
			if (strip_bedrock_version(t))
				add(c, t);
			strcpy(bed, t);
			memmove(t, t + strlen(bedrock_vendors[j]), strlen(t) - strlen(bedrock_vendors[j]) + 1);
			add(c, t);
			strcpy(s, t);
			break;
		}

	/* the name a model the catalogue lacks is created under: prefixes and
	   Bedrock parts removed, a known OpenRouter variant suffix dropped, but
	   other colons kept (ft:gpt-4o-mini:org is not "ft") */
	if (base) {
		static const char *variants[] = { ":free", ":beta", ":thinking", ":extended",
			":nitro", ":floor", ":online", ":exacto", ":batch" };

		size_t k = 0;

		/* keep the Bedrock vendor when what follows is no model name
		   ("deepseek.v3.2" stays, "anthropic.claude-x-5" -> "claude-x-5") */
		while (isalnum((unsigned char)s[k]))
			k++;
		snprintf(base, LC_ID_MAX, "%s", bed[0] && (k < 3 || s[k] != '-') ? bed : s);
		for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
			strip_suffix(base, variants[i]);
	}
	/* OpenRouter variants (:free, :beta, :thinking) name the same model */
	{
		char *colon = strchr(s, ':');

		if (colon) {
			*colon = '\0';
			add(c, s);
		}
	}
	strip_suffix(s, "-latest");
	add(c, s);
	strcpy(t, s);
	dots_to_dashes(t);
	add(c, t);
	if (strip_numeric_version(t))
		add(c, t);
	strcpy(t, s);
	if (strip_numeric_version(t))
		add(c, t);
}

/* 1 and fills model/host when name is an alias valid on date (or the closest period). */
static int lookup_alias(struct lc_db *db, const char *name, const char *date, char *model,
			char *host)
{
	/* the period containing date first, then the nearest one */
	static const char sql[] =
		"SELECT model_id, coalesce(host, '') FROM model_aliases WHERE alias = ?1 "
		"ORDER BY (valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)) DESC, "
		"(valid_from > ?2) ASC, valid_from DESC LIMIT 1";
	sqlite3_stmt *st = db_cached(db, sql, NULL);
	int found = 0, rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(model, LC_ID_MAX, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(host, LC_ID_MAX, "%s", (const char *)sqlite3_column_text(st, 1));
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
		snprintf(default_host, LC_ID_MAX, "%s", (const char *)sqlite3_column_text(st, 0));
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
					strcpy(best[k], best[k - 1]);
				}
				bestd[i] = d;
				snprintf(best[i], LC_ID_MAX, "%s", cand);
				break;
			}
	}
	sqlite3_finalize(st);
	for (int i = 0; i < 3 && best[i][0]; i++) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "%s%s", i ? ", " : "", best[i]);
	}
}

static int resolve(struct lc_db *db, const char *name, const char *date, struct lc_resolved *out,
		   struct cands *c, int nested, struct lc_err *err);

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
		snprintf(prov, sizeof(prov), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "resolving a model name");
	if (rc != SQLITE_ROW)
		return 1;
	/* NAME alone, by the fixed rules only (one provider prefix, so a name
	   of many "x/" parts never recurses deeply) */
	rc = resolve(db, slash + 1, date, out, &c, 1, err);
	if (rc)
		return rc;
	snprintf(out->host, sizeof(out->host), "%s", prov);
	out->host_explicit = 1;
	return 0;
}

/* Resolve name; 0 found, 1 not found (err untouched), -1 error.  nested:
   without the provider-prefix rule (provider_prefix's own call). */
static int resolve(struct lc_db *db, const char *name, const char *date, struct lc_resolved *out,
		   struct cands *c, int nested, struct lc_err *err)
{
	char host[LC_ID_MAX], model[LC_ID_MAX], ahost[LC_ID_MAX], dhost[LC_ID_MAX];

	memset(out, 0, sizeof(*out));
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return lc_errf(err, LC_EDATA, "model name contains a control character");
	candidates(name, c, host, NULL);
	for (int i = 0; i < c->n; i++) {
		int r = lookup_alias(db, c->v[i], date, model, ahost);

		if (r < 0)
			return db_fail(db, err, "resolving a model name");
		if (r == 0) {
			r = model_exists(db, c->v[i], dhost);
			if (r < 0)
				return db_fail(db, err, "resolving a model name");
			if (r == 0)
				continue;
			snprintf(model, sizeof(model), "%s", c->v[i]);
			ahost[0] = '\0';
		}
		r = model_exists(db, model, dhost);
		if (r < 0)
			return db_fail(db, err, "resolving a model name");
		if (r == 0)
			continue;
		snprintf(out->model, sizeof(out->model), "%s", model);
		if (host[0]) {
			snprintf(out->host, sizeof(out->host), "%s", host);
			out->host_explicit = 1;
		} else if (ahost[0]) {
			snprintf(out->host, sizeof(out->host), "%s", ahost);
			out->host_explicit = 1;
		} else {
			snprintf(out->host, sizeof(out->host), "%s", dhost);
		}
		return 0;
	}
	return nested ? 1 : provider_prefix(db, name, date, out, err);
}

int db_resolve(struct lc_db *db, const char *name, const char *date, struct lc_resolved *out,
	       struct lc_err *err)
{
	struct cands c;
	int r = resolve(db, name, date, out, &c, 0, err);

	if (r <= 0)
		return r;
	{
		char sug[3 * LC_ID_MAX + 8];

		suggest(db_handle(db), c.n ? c.v[0] : name, sug, sizeof(sug));
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

	return resolve(db, name, date, out, &c, 0, err);
}

void db_name_base(const char *name, char out[LC_ID_MAX])
{
	struct cands c;
	char host[LC_ID_MAX];

	candidates(name, &c, host, out);
}

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	snprintf(dst, n, "%s", v ? (const char *)v : "");
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

int db_quality(struct lc_db *db, const char *model, const char *benchmark, const char *date,
	       char out[32], struct lc_err *err)
{
	static const char sql[] =
		"SELECT score FROM quality_scores WHERE model_id = ?1 AND benchmark = ?2 "
		"ORDER BY (as_of <= ?3) DESC, CASE WHEN as_of <= ?3 THEN as_of END DESC, as_of ASC "
		"LIMIT 1";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	out[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, benchmark, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		/* sqlite renders REAL with 15 significant digits: 1186.0 -> "1186.0" */
		snprintf(out, 32, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading quality scores");
	return rc == SQLITE_ROW;
}

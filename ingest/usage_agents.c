/*
 * usage_agents.c - where the coding agents keep their logs, and how a file
 * of theirs is told apart from the other formats.
 *
 * Each agent has an env var naming its data folder (a comma list), else a
 * default under $HOME; inside it only the folders that hold its usage are
 * read (a chats/ folder per project, the message store), so the agent's
 * other files (checkpoints, prompt history) are never opened.  The parsers
 * themselves are ingest/usage_<agent>.c.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sha256.h"
#include "usage_agents.h"

struct agent {
	int format;
	const char *env;      /* the data folder(s): a comma list */
	const char *home_dir; /* the default, under $HOME ("" = XDG data home) */
	const char *xdg_name; /* under ${XDG_DATA_HOME:-~/.local/share} */
	const char *sub;      /* inside a data folder: "*" a level of project folders */
	const char *files;    /* files in the data folder itself (fnmatch), read first */
};

static const struct agent agents[] = {
	{ UF_GEMINI_CLI, "GEMINI_DATA_DIR", ".gemini/tmp", NULL, "*/chats", NULL },
	{ UF_QWEN, "QWEN_DATA_DIR", ".qwen", NULL, "projects/*/chats", NULL },
	{ UF_OPENCODE, "OPENCODE_DATA_DIR", NULL, "opencode", "storage/message", "opencode*.db" },
	{ UF_AMP, "AMP_DATA_DIR", NULL, "amp", "threads", NULL },
	{ UF_COPILOT, "COPILOT_HOME", ".copilot", NULL, "otel", NULL },
};

int usage_agents_detect(const char *path, const char *head)
{
	if (strstr(head, "\"projectHash\"") || strstr(path, "/.gemini/tmp/"))
		return UF_GEMINI_CLI;
	if (strstr(path, "/.qwen/projects/") ||
	    (strstr(head, "\"usageMetadata\"") && strstr(head, "\"parentUuid\"") &&
	     !strstr(head, "\"requestId\"") && !strstr(head, "\"isSidechain\"")))
		return UF_QWEN;
	if (strstr(path, "/opencode/storage/message/") ||
	    (strstr(head, "\"sessionID\"") && strstr(head, "\"modelID\"")))
		return UF_OPENCODE;
	if (strstr(path, "/amp/threads/") || strstr(head, "\"usageLedger\"") ||
	    (strstr(head, "\"messageId\"") && strstr(head, "\"cacheReadInputTokens\"")))
		return UF_AMP;
	if (strstr(path, "/.copilot/otel/") || strstr(head, "\"gen_ai.usage.input_tokens\"") ||
	    strstr(head, "\"gen_ai.operation.name\""))
		return UF_COPILOT;
	return -1;
}

/* One agent's ingest: the store, options with its format, counters. */
struct run {
	struct lc_db *db;
	const struct usage_opts *o;
	struct usage_stats *st;
	int found;
};

static int is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/*
 * Ingest base/sub, each "*" in sub standing for every folder at that level
 * (in name order).  Folders that do not exist are skipped; -1 only when the
 * ingest stops (a database error).
 */
static int expand(struct run *r, const char *base, const char *sub, struct lc_err *err)
{
	const char *star = strchr(sub, '*');
	char p[LC_PATH_MAX];
	struct dirent **list;
	int n, rc = 0;

	if (!star) {
		if (snprintf(p, sizeof(p), "%s/%s", base, sub) >= (int)sizeof(p) || !is_dir(p))
			return 0;
		r->found++;
		return usage_ingest_path(r->db, p, r->o, r->st, err);
	}
	if (star == sub)
		LC_COPY(p, base);
	else if (snprintf(p, sizeof(p), "%s/%.*s", base, (int)(star - sub) - 1, sub) >=
		 (int)sizeof(p))
		return 0;
	if ((n = scandir(p, &list, NULL, alphasort)) < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		char q[LC_PATH_MAX];

		if (!rc && list[i]->d_name[0] != '.' &&
		    snprintf(q, sizeof(q), "%s/%s", p, list[i]->d_name) < (int)sizeof(q) &&
		    is_dir(q))
			rc = expand(r, q, star[1] == '/' ? star + 2 : star + 1, err);
		free(list[i]);
	}
	free(list);
	return rc;
}

/*
 * The agent's files directly in its data folder base (OpenCode's SQLite
 * stores), then base/sub (expand()).  -1 only when the ingest stops.
 */
static int agent_folder(struct run *r, const struct agent *g, const char *base,
			struct lc_err *err)
{
	struct dirent **list;
	int n, rc = 0;

	if (g->files && (n = scandir(base, &list, NULL, alphasort)) >= 0) {
		for (int i = 0; i < n; i++) {
			char p[LC_PATH_MAX];
			struct stat sb;

			if (!rc && !fnmatch(g->files, list[i]->d_name, 0) &&
			    snprintf(p, sizeof(p), "%s/%s", base, list[i]->d_name) < (int)sizeof(p) &&
			    stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
				r->found++;
				rc = usage_ingest_path(r->db, p, r->o, r->st, err);
			}
			free(list[i]);
		}
		free(list);
		if (rc)
			return -1;
	}
	return expand(r, base, g->sub, err);
}

/* The file Copilot CLI exports to ($COPILOT_OTEL_FILE_EXPORTER_PATH), which
   may lie outside its otel folder (read already when inside: unchanged
   files are passed over); 1 when read, 0, or -1 when the ingest stops. */
static int copilot_export(struct lc_db *db, const struct usage_opts *o, struct usage_stats *st,
			  struct lc_err *err)
{
	const char *f = getenv("COPILOT_OTEL_FILE_EXPORTER_PATH");
	struct usage_opts oc = *o;
	struct stat sb;

	if (!f || !*f || (o->format != UF_AUTO && o->format != UF_COPILOT) ||
	    stat(f, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	oc.format = UF_COPILOT;
	return usage_ingest_path(db, f, &oc, st, err) ? -1 : 1;
}

int usage_agents_defaults(struct lc_db *db, const struct usage_opts *o, struct usage_stats *st,
			  struct lc_err *err)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_DATA_HOME");
	int found = 0, c;

	for (size_t a = 0; a < ARRAY_SIZE(agents); a++) {
		const struct agent *g = &agents[a];
		const char *env = getenv(g->env);
		struct usage_opts og = *o;
		struct run r = { db, &og, st, 0 };
		char root[LC_PATH_MAX];

		/* a forced --format reads only its own agent's folders */
		if (o->format != UF_AUTO && o->format != g->format)
			continue;
		og.format = g->format;
		if (env && *env) {
			char list[LC_PATH_MAX];

			LC_COPY(list, env);
			char *sp, *t;

			for (t = strtok_r(list, ",", &sp); t; t = strtok_r(NULL, ",", &sp)) {
				while (*t == ' ')
					t++;
				if (*t && agent_folder(&r, g, t, err))
					return -1;
			}
		} else {
			if (g->home_dir && home && *home)
				snprintf(root, sizeof(root), "%.4000s/%s", home, g->home_dir);
			else if (!g->home_dir && xdg && *xdg)
				snprintf(root, sizeof(root), "%.4000s/%s", xdg, g->xdg_name);
			else if (!g->home_dir && home && *home)
				snprintf(root, sizeof(root), "%.4000s/.local/share/%s", home,
					 g->xdg_name);
			else
				continue;
			if (agent_folder(&r, g, root, err))
				return -1;
		}
		found += r.found;
	}
	if ((c = copilot_export(db, o, st, err)) < 0)
		return -1;
	return found + c;
}

/* ---- helpers of the parsers (usage_agents.h) ---- */

int agent_gemini_counts(struct usage_src *s, const cJSON *u, const char *where,
			const char *const keys[6], struct lc_usage_rec *r, struct lc_err *err)
{
	int64_t v[6];
	const cJSON *tot = cJSON_GetObjectItemCaseSensitive(u, keys[5]);
	char name[6][96];

	for (int i = 0; i < 6; i++) {
		snprintf(name[i], sizeof(name[i]), "%s.%s", where, keys[i]);
		if (uj_count(u, keys[i], name[i], 0, &v[i], err))
			return -1;
	}
	r->requests = 0;
	if (v[0] + v[1] + v[2] + v[3] + v[4] == 0)
		return 0; /* nothing billed (a cancelled turn) */
	if (v[2] > v[0])
		return lc_errf(err, LC_EDATA, "\"%s\" (%lld) exceeds \"%s\" (%lld)", name[2],
			       (long long)v[2], name[0], (long long)v[0]);
	r->input = v[0] - v[2] + v[4];
	r->cache_read = v[2];
	r->reasoning = v[3];
	if (tot && !cJSON_IsNull(tot) && v[3] > 0 && v[5] == v[0] + v[1] + v[4] && v[3] <= v[1])
		r->output = v[1]; /* the total shows the thoughts inside the output */
	else
		r->output = v[1] + v[3];
	if (tot && !cJSON_IsNull(tot) && v[5] != v[0] + v[1] + v[3] + v[4] &&
	    v[5] != v[0] + v[1] + v[4])
		usage_warn(s, "\"%s\" (%lld) is not the sum of the other counts (%lld)", name[5],
			   (long long)v[5], (long long)(v[0] + v[1] + v[3] + v[4]));
	r->requests = 1;
	return 0;
}

void agent_chat_project(const struct usage_src *s, char *out, size_t n)
{
	const char *c = NULL, *p = s->path, *q;

	for (q = p; (q = strstr(q, "/chats/")) != NULL; q++)
		c = q;
	if (c && c > p) {
		const char *b = c;
		struct lc_err e = { 0 };

		while (b > p && b[-1] != '/')
			b--;
		if (c > b && (size_t)(c - b) < n) {
			memcpy(out, b, (size_t)(c - b));
			out[c - b] = '\0';
			if (usage_name(out, n, "project", &e) == 0)
				return;
		}
	}
	lc_strlcpy(out, s->path_project, n);
}

void agent_file_stem(const struct usage_src *s, char *out, size_t n)
{
	const char *b = strrchr(s->path, '/'), *dot;
	struct lc_err e = { 0 };
	size_t k;

	b = b ? b + 1 : s->path;
	dot = strrchr(b, '.');
	k = dot && dot > b ? (size_t)(dot - b) : strlen(b);
	if (k >= n || k == 0) {
		out[0] = '\0';
		return;
	}
	memcpy(out, b, k);
	out[k] = '\0';
	if (usage_name(out, n, "session", &e))
		out[0] = '\0';
}

int agent_hash_key(struct lc_usage_rec *r, const char *prefix, const cJSON *v,
		   struct lc_err *err)
{
	char *t = cJSON_PrintUnformatted(v), hex[65];

	if (!t)
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	snprintf(r->key, sizeof(r->key), "%s:%s", prefix, sha256_hex(t, strlen(t), hex));
	free(t);
	return 0;
}

int agent_reject(struct usage_src *s, const char *list, int i, const struct lc_err *err)
{
	if (err->code != LC_EDATA)
		return -1;
	usage_reject(s, "%s[%d]: %s", list, i, err->msg);
	return 0;
}

/*
 * usage_agents.h - helpers the coding-agent parsers share
 * (ingest/usage_agents.c; the parsers are ingest/usage_<agent>.c).
 */
#ifndef LC_INGEST_USAGE_AGENTS_H
#define LC_INGEST_USAGE_AGENTS_H

#include "usage.h"

/*
 * Gemini-style counts (Gemini CLI's "tokens", Qwen Code's usageMetadata):
 * the keys of input (prompt, cached included), output (candidates), cached,
 * thoughts, tool-use prompt and total, in that order, in object u; `where`
 * prefixes the field names in messages ("tokens").  Input counts cached;
 * thoughts are billed as output and are outside the output count unless
 * the total says otherwise (total = input + output + tool: inside).  Fills
 * r's buckets and requests; 0 with no tokens at all (r->requests 0), -1
 * (LC_EDATA) naming the field.
 */
int agent_gemini_counts(struct usage_src *s, const cJSON *u, const char *where,
			const char *const keys[6], struct lc_usage_rec *r, struct lc_err *err);

/* The folder above "chats" in the file's path (an agent's project), else
   s->path_project. */
void agent_chat_project(const struct usage_src *s, char *out, size_t n);

/* The file's name without its folder and extension (a session's fallback). */
void agent_file_stem(const struct usage_src *s, char *out, size_t n);

/* r->key = PREFIX + ":" + the SHA-256 of v printed unformatted (a record
   without an id); -1 (LC_ERUNTIME) when out of memory. */
int agent_hash_key(struct lc_usage_rec *r, const char *prefix, const cJSON *v,
		   struct lc_err *err);

/* Report message i of a document as rejected (err's message, prefixed with
   `list[i]: `); 0, or -1 when err is not a data error (stop). */
int agent_reject(struct usage_src *s, const char *list, int i, const struct lc_err *err);

#endif

/*
 * sheet_parse.h - price-sheet parsers: bytes -> struct sheet (lib/sheet.h).
 *
 * One file per format (sheet_openrouter.c, sheet_litellm.c, sheet_genai.c,
 * sheet_llmprices.c, sheet_csv.c); sheet_parse.c dispatches and holds the
 * helpers they share.  A parser fails (-1, LC_EDATA) only when the sheet as
 * a whole is unreadable (not JSON, wrong top-level shape, malformed CSV);
 * single bad entries are counted in the sheet and skipped.  cJSON trees
 * never leave the parser that made them.
 */
#ifndef LC_SHEET_PARSE_H
#define LC_SHEET_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sheet.h"

/* The formats: "openrouter", "litellm", "genai-prices", "llm-prices", "csv". */
int sheet_format_known(const char *fmt);

/* Guess the format from the body (and the URL or path); NULL when unsure. */
const char *sheet_detect(const char *data, size_t len, const char *where);

/*
 * Parse data (len bytes, NUL-terminated) in format fmt into s (already
 * sheet_init'ed).  name is used in messages.  After parsing, entries that
 * fail sheet_entry_sane are dropped and counted as unusable.
 */
int sheet_parse(const char *fmt, const char *data, size_t len, const char *name, struct sheet *s,
		struct lc_err *err);

/* ---- the parsers ---- */
int sheet_parse_openrouter(const char *data, size_t len, const char *name, struct sheet *s,
			   struct lc_err *err);
int sheet_parse_litellm(const char *data, size_t len, const char *name, struct sheet *s,
			struct lc_err *err);
int sheet_parse_genai(const char *data, size_t len, const char *name, struct sheet *s,
		      struct lc_err *err);
int sheet_parse_llmprices(const char *data, size_t len, const char *name, struct sheet *s,
			  struct lc_err *err);
int sheet_parse_csv(const char *data, size_t len, const char *name, struct sheet *s,
		    struct lc_err *err);

/*
 * LiteLLM's cost-key grammar: BASE [_above_1hr] [_above_<N>k_tokens]
 * [_batches|_flex|_priority], and input_cost_per_token_cache_hit.  On a key
 * llmcost models, fills the component's offset in struct lc_tier, the unit
 * shift (15 per token, 9 per item), the tier threshold in tokens and the
 * service tier (0 standard, 'b' batches, 'f' flex, 'p' priority) and
 * returns 1; returns 0 for any other key (per second, per pixel, video, ...).
 */
struct litellm_key {
	size_t field;      /* offsetof(struct lc_tier, ...) */
	int shift;
	int64_t min_tokens;
	int service;       /* 0, 'b', 'f', 'p' */
};
int litellm_parse_key(const char *key, struct litellm_key *out);

/* ---- shared helpers (sheet_parse.c) ---- */
struct cJSON;

/* Parse JSON after the checks every sheet gets (NUL bytes, \u0000, UTF-16). */
struct cJSON *sheet_json_parse(const char *data, size_t len, const char *name,
			       struct lc_err *err);

/*
 * Walk the members of a sheet whose top level is one JSON object without
 * building its tree (a 64 MiB LiteLLM sheet made a cJSON tree of ~500 MB):
 * after the checks sheet_json_parse makes and a validation of the whole
 * text in cJSON's language (lib/jscan.h; a sheet that is not JSON gets
 * sheet_json_parse's message), fn gets each member in order, duplicates
 * included, as its decoded key and the text of its value (len bytes, not
 * NUL-terminated).  fn returns 0 to go on, 1 to stop, -1 to fail (err
 * set).  Returns 0, 1 when the top-level value is not an object (fn not
 * called), or -1 with err.
 */
typedef int (*sheet_member_fn)(void *ctx, const char *key, const char *val, size_t len,
			       struct lc_err *err);
int sheet_json_members(const char *data, size_t len, const char *name, sheet_member_fn fn,
		       void *ctx, struct lc_err *err);

/*
 * A price from a JSON value: a number (money_from_double, the documented
 * rule) or a decimal string (money_parse, exact), scaled by 10^shift.
 * Returns 1 with *out set, 0 when null/absent, -1 when not a number.
 * *rounded is OR-ed.
 */
int sheet_json_money(const struct cJSON *v, int shift, int64_t *out, int *rounded);

/* A non-negative integral JSON number below 2^53 into *out; -1 otherwise. */
int sheet_json_count(const struct cJSON *v, int64_t *out);

/* Copy a string member (or "") into out; returns the string or NULL. */
const char *sheet_json_str(const struct cJSON *obj, const char *key, char *out, size_t n);

/* lowercase copy */
void sheet_lower(char *dst, const char *src, size_t n);

/* Set a component of tier t by field offset. */
void sheet_tier_set(struct lc_tier *t, size_t field, int64_t v);
int64_t sheet_tier_get(const struct lc_tier *t, size_t field);

#endif

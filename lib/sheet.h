/*
 * sheet.h - a parsed price sheet: plain data shared by the parsers in
 * ingest/sheet_*.c (which fill it from bytes) and lib/db_sheet.c (which
 * validates it and writes it into price history).  No I/O here.
 *
 * One entry is the price of one key of the sheet over one period.  A sheet
 * with history (llm-prices, genai-prices, a user CSV) has several entries
 * with the same key and different `from` dates; a current-only sheet
 * (OpenRouter, LiteLLM) has one per key with `from` empty (= the snapshot
 * date).  Prices use struct lc_tier (price.h): nano-USD per 1M tokens,
 * nano-USD per item for fees, LC_NONE when the sheet gives none.
 */
#ifndef LC_SHEET_H
#define LC_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "price.h"

/*
 * Names and tiers live in the sheet's own memory (sheet_str, sheet_tier),
 * so an entry takes about 100 bytes plus what it holds, not the ~2 KiB of
 * fixed arrays it once took (a 560,000-entry LiteLLM sheet needed 1.2 GB).
 * The string fields are never NULL ("" when unset); copying an entry
 * within its sheet is fine, the copies share the memory.
 */
struct sheet_entry {
	const char *key;       /* the sheet's key as written (names in messages) */
	const char *host;      /* provider id of the host the key names */
	const char *maker;     /* maker hint for a model the catalogue lacks ("" = host) */
	const char *name;      /* display name for a new model ("" = key) */
	const char *alias;     /* non-empty: also record this alias for the model
				  and host (OpenRouter :free ids) */
	const char *url;       /* the row's own source URL (CSV), "" = the sheet's */
	char mode[24];         /* chat, embedding, image_generation, ... */
	char from[11];         /* effective_from from the sheet, "" = undated */
	char to[11];           /* effective_to (exclusive), "" = open */
	int64_t context_window; /* 0 = unknown */
	long line;             /* the row's line in the sheet (CSV), 0 = none */
	int conflict;          /* the parser saw this entry given twice with other
				  prices (sheet_settle drops its key) */
	int settled;           /* sheet_settle's own mark: 1 absorbed, 2 dropped */
	int rounded;           /* a price lost digits below the unit */
	int ntiers;            /* >= 1 when priced; tiers[0] is the base */
	struct lc_tier *tiers; /* ntiers tiers (LC_MAX_TIERS empty ones when 0) */
};

#define SHEET_NAMES 256 /* bytes kept of the names of skipped entries */

/* The longest URL a sheet is fetched from, typed or redirected to, in bytes
   (RFC 9110 asks every HTTP party to support 8000); a longer one is refused
   with a message, never cut. */
#define SHEET_URL_MAX 8000

struct sheet {
	char format[24];       /* openrouter, litellm, genai-prices, llm-prices, csv */
	char date[11];         /* the sheet's own date ("updated_at"), "" = none */
	struct sheet_entry *v;
	size_t n, cap;
	/* counts for the summary and the validation */
	size_t seen;           /* keys/rows read, priced or not */
	size_t unusable;       /* skipped: negative, not a number, absurd */
	char unusable_names[SHEET_NAMES];
	size_t no_price;       /* no price on purpose ("-1" routers, no token price) */
	char no_price_names[SHEET_NAMES];
	size_t not_modelled;   /* keys/variants llmcost does not model (flex, time windows) */
	size_t nonchat;        /* entries of a non-chat mode (kept with their mode) */
	size_t rounded;        /* prices rounded half-even to the unit */
	struct sheet_chunk *mem; /* names and tiers of the entries */
	int oom;               /* sheet_str or sheet_tier ran out of memory */
};

/* An empty sheet of format fmt. */
void sheet_init(struct sheet *s, const char *fmt);
void sheet_release(struct sheet *s);

/*
 * A new zeroed entry appended to s (every price LC_NONE, ntiers 0, mode
 * "chat"); NULL with err when out of memory.  The pointer is valid until the
 * next sheet_add.
 */
struct sheet_entry *sheet_add(struct sheet *s, struct lc_err *err);

/*
 * A copy of v in the sheet's memory (freed by sheet_release), cut to at
 * most max - 1 bytes as snprintf into a char[max] cut it; sheet_strn copies
 * n bytes.  When out of memory: "" and s->oom set (sheet_parse fails).
 */
const char *sheet_str(struct sheet *s, const char *v, size_t max);
const char *sheet_strn(struct sheet *s, const char *v, size_t n);

/* Drop the last entry (after a parser found it unusable). */
void sheet_drop_last(struct sheet *s);

/* Count a skipped entry and keep its name for the warning. */
void sheet_note_unusable(struct sheet *s, const char *key);
void sheet_note_no_price(struct sheet *s, const char *key);

/* A tier with every price LC_NONE and min_input_tokens min. */
void sheet_tier_clear(struct lc_tier *t, int64_t min);

/*
 * The tier of e for min_input_tokens min, added (sorted, in s's memory)
 * when missing; NULL when full (LC_MAX_TIERS) or out of memory (s->oom).
 */
struct lc_tier *sheet_tier(struct sheet *s, struct sheet_entry *e, int64_t min);

/* 1 when two tiers have the same threshold and the same prices. */
int sheet_tier_same(const struct lc_tier *a, const struct lc_tier *b);

/* 1 when the tier prices anything at all. */
int sheet_tier_priced(const struct lc_tier *t);

/* 1 when mode is billed like chat (chat, completion, responses). */
int sheet_mode_is_chat(const char *mode);

/*
 * Make the entries of each key (host, key) one history without overlaps,
 * for every format (sheet_parse calls it after the parser):
 *   - the same key and start twice with the same prices, end and mode (a
 *     duplicated entry, even a whole duplicated row) is kept once;
 *   - the same key and start with other prices, an entry the parser marked
 *     conflicting, or a period with an explicit end after the next period's
 *     start makes every entry of that key unusable (named once, with its
 *     line when the sheet has lines; each dropped entry counted);
 *   - an open period (no end) followed by a later one of the same key ends
 *     where the later one starts: the later row closes the earlier one.
 * Entries keep their order.  -1 with err when out of memory.
 */
int sheet_settle(struct sheet *s, struct lc_err *err);

/*
 * Check an entry's prices: no negative value, nothing over $1 per token
 * (10^15 nano per 1M) or per item, and for chat modes input/output at most
 * $1,000 per 1M tokens.  Returns 1 usable, 0 unusable (why[] says why).
 */
int sheet_entry_sane(const struct sheet_entry *e, char *why, size_t n);

#endif

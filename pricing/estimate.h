/*
 * estimate.h - the cost calculator's engine: a task profile (what one task
 * uses), turned into the usage buckets of cost.h for one model and offering,
 * priced, ranked, and followed over time.  Pure: no SQL, no I/O; the
 * catalogue and prices come in as arguments or through a callback.
 *
 * Profile rules:
 *  - `input` is the WHOLE text prompt of one request-set (one task):
 *    cached_input and cache_write are parts of it, so cached_input +
 *    cache_write <= input; the uncached rest pays the input price.  Image
 *    and audio tokens come on top of `input`.  Context tiers are judged on
 *    the whole prompt (text + image + audio tokens), by cost.c.
 *  - `reasoning` is added on top of `output` (billed as output unless the
 *    offering prices reasoning apart).
 *  - images: each WxH image counts by the model's scheme (image.h); a model
 *    without "image" in its modalities is not applicable, and so is one
 *    whose scheme is unknown and has no per-image fee.
 *  - audio: seconds become tokens at the maker's documented rate (Google
 *    Gemini 32 tokens per second; OpenAI 10 tokens per second of input and
 *    20 per second of output); the offering must price audio (an audio
 *    token price), else the model is not applicable.
 *  - requests: API calls per task (per-request and web-search fees;
 *    web_searches per task bill the search fee).
 *  - batch: the batch price or discount where the offering has one; an
 *    offering without a batch offer is priced at its normal rate and
 *    flagged (batch_applied 0).
 *  - count: tasks in the workload.  The total is the one-task usage scaled
 *    by count, then priced (one rounding, so 68,000 x (260, 100) on
 *    Gemini 1.5 Flash-8B is exactly $1.683), not count x a rounded cost.
 *  - per: LC_PER_DAY means count tasks a day; the extra figure is a 30-day
 *    month (usage scaled by count x 30, priced).  LC_PER_MONTH means count
 *    tasks a month; the extra figure is a day (the month total / 30,
 *    rounded half-even to a nano-USD).
 *  - Requests: a task of N requests is judged per request, its tokens
 *    spread evenly over them (ceil(prompt / N)): the context tier and the
 *    context window apply to one request, never to a task's or a
 *    workload's sum (usage.tier_prompt carries this to cost.c).
 *  - Context window: a request's prompt + output + reasoning must fit the
 *    model's context window, and its output + reasoning the max output,
 *    where known.
 */
#ifndef LC_ESTIMATE_H
#define LC_ESTIMATE_H

#include <stddef.h>
#include <stdint.h>

#include "cost.h"
#include "err.h"
#include "image.h"
#include "price.h"
#include "tokenize.h"

#define LC_EST_MAX_IMAGES 64
#define LC_EST_REASON_MAX 160

enum lc_per { LC_PER_NONE = 0, LC_PER_DAY, LC_PER_MONTH };

/*
 * A prompt text whose tokens each model counts with its own tokenizer
 * (--prompt-file): tok_for_model picks the tokenizer (the closest public
 * one, approximate, where the model's is not public), and each tokenizer
 * counts the text once, on first need.
 */
#define LC_PROMPT_TOKENIZERS 16
struct lc_prompt {
	const char *text;       /* borrowed; len bytes */
	size_t len;
	const char *name[LC_PROMPT_TOKENIZERS]; /* the tokenizers counted so far */
	int64_t count[LC_PROMPT_TOKENIZERS];
	size_t n;
};

/*
 * The tokens of pr's text under model m's tokenizer into *count, and the
 * choice into *c.  Returns 0, or -1 with err (the tokenizer failed).
 */
int prompt_tokens(struct lc_prompt *pr, const struct lc_model *m, struct tok_choice *c,
		  int64_t *count, struct lc_err *err);

/* Which fields of a profile were given (for merging preset < profile < options). */
enum {
	PF_INPUT = 1 << 0,
	PF_OUTPUT = 1 << 1,
	PF_CACHED = 1 << 2,
	PF_CACHE_WRITE = 1 << 3,
	PF_CACHE_TTL = 1 << 4,
	PF_REASONING = 1 << 5,
	PF_IMAGES = 1 << 6,
	PF_DETAIL = 1 << 7,
	PF_AUDIO_IN = 1 << 8,
	PF_AUDIO_OUT = 1 << 9,
	PF_REQUESTS = 1 << 10,
	PF_BATCH = 1 << 11,
	PF_COUNT = 1 << 12,
	PF_PER = 1 << 13,
	PF_WEB_SEARCHES = 1 << 14,
};

struct lc_profile {
	unsigned set;           /* PF_* bits of the fields given */
	int64_t input;          /* whole text prompt, tokens */
	int64_t output;         /* visible output tokens */
	int64_t cached_input;   /* part of input read from the cache */
	int64_t cache_write;    /* part of input written to the cache */
	int cache_ttl_1h;       /* 0: 5-minute cache writes, 1: 1-hour */
	int64_t reasoning;      /* hidden reasoning tokens, on top of output */
	int nimages;
	int64_t image_w[LC_EST_MAX_IMAGES], image_h[LC_EST_MAX_IMAGES];
	enum lc_detail detail;
	int64_t audio_in_ms, audio_out_ms; /* audio, milliseconds */
	int64_t requests;       /* API calls per task (default 1) */
	int64_t web_searches;   /* web searches per task */
	int batch;
	int64_t count;          /* tasks (default 1) */
	enum lc_per per;
	int input_approx;       /* 1: input is not every model's own count */
	struct lc_prompt *prompt; /* not NULL: each model counts its input from this
				     text (input holds the o200k_base count) */
	char task[64];          /* preset name, or "" */
};

/* Defaults: everything 0 except requests = 1 and count = 1. */
void profile_init(struct lc_profile *p);

/* Copy into dst every field set in src (src's images replace dst's). */
void profile_merge(struct lc_profile *dst, const struct lc_profile *src);

/* Check that counts add up; -1 with LC_EUSAGE and the reason. */
int profile_check(const struct lc_profile *p, struct lc_err *err);

/*
 * Parse a JSON profile (a preset, or a file the user wrote) from text into
 * *p (fields found are marked in p->set; p is not reset).  Keys are the
 * option names with '_' for '-': input, output, cached_input, cache_write,
 * cache_ttl ("5m"|"1h"), reasoning, images (["1024x768", ...]), detail
 * ("low"|"high"), audio_in_seconds, audio_out_seconds, requests,
 * web_searches, batch (true|false), count, per ("day"|"month"); name,
 * description and assumptions are text and ignored here.  `what` names the
 * text in messages ("profile 'p.json'").  Unknown keys, wrong types,
 * negative or fractional counts are -1 with LC_EDATA naming the field.
 */
int profile_parse_json(const char *text, size_t len, const char *what, struct lc_profile *p,
		       struct lc_err *err);

/* One preset of data/tasks.json (a JSON object {"tasks": [...]}). */
struct lc_task_info {
	char name[64];
	char description[256];
	char assumptions[1024];
};
/*
 * List the presets in tasks_json into out (up to max); returns the count,
 * or -1 with LC_EDATA when the file is malformed.
 */
int tasks_list(const char *tasks_json, size_t len, struct lc_task_info *out, int max,
	       struct lc_err *err);
/*
 * Load the preset `name` from tasks_json into *p (and p->task).  Returns 0,
 * or -1 with LC_EDATA for an unknown preset (listing the known ones) or a
 * malformed file.
 */
int tasks_load(const char *tasks_json, size_t len, const char *name, struct lc_profile *p,
	       struct lc_err *err);

/* Approximate tokens of a text of `bytes` bytes: ceil(bytes / 4). */
int64_t estimate_tokens_from_bytes(int64_t bytes);

/*
 * Offerings a ranking over all models leaves out, by kind: entries that
 * have no input AND output token price, or are not billed like a chat model
 * (mode embedding, image_generation, rerank, ...), so a task of tokens
 * cannot be priced on them at all.  They are not "not applicable" (a limit
 * of one task: context window, image input) but another kind of product;
 * commands count them instead of listing them.
 */
enum lc_skip {
	LC_SKIP_NONE = 0,     /* a token-priced chat offering: ranked */
	LC_SKIP_EMBEDDING,    /* mode embedding */
	LC_SKIP_IMAGE,        /* image generation/editing, or a per-image fee only */
	LC_SKIP_VIDEO,        /* video generation */
	LC_SKIP_RERANK,       /* rerank */
	LC_SKIP_AUDIO,        /* speech, transcription, or audio token prices only */
	LC_SKIP_MODERATION,   /* moderation */
	LC_SKIP_PER_REQUEST,  /* a per-request fee only */
	LC_SKIP_PARTIAL,      /* a chat entry with an input or an output price, not both */
	LC_SKIP_OTHER,        /* another mode (ocr, search, ...) or no price at all */
	LC_SKIP_N
};

/*
 * The kind of offering o of model m for a ranking of token tasks:
 * LC_SKIP_NONE when m's mode is a chat mode ("", chat, completion,
 * responses, realtime) and o's base tier prices both input and output
 * tokens; else why it is skipped (the mode first, then which prices o has).
 */
enum lc_skip estimate_skip_of(const struct lc_model *m, const struct lc_offering *o);

/* The kind's name in summaries: "embeddings", "image", "per-request only", ... */
const char *estimate_skip_name(enum lc_skip k);
/* The kind's key in JSON: "embedding", "image", "per_request", ... */
const char *estimate_skip_key(enum lc_skip k);

/*
 * "N offerings skipped: no token prices (embeddings 12, image 3, ...)" from
 * counts[LC_SKIP_N] into buf (kinds with a count, in enum order); "" when
 * none.  Returns buf.
 */
char *estimate_skip_summary(char *buf, size_t n, const size_t counts[LC_SKIP_N]);

/* The result of one model/offering. */
struct lc_estimate {
	char model[LC_ID_MAX];
	char host[LC_ID_MAX];
	enum lc_skip skip;             /* not LC_SKIP_NONE: left out, reason says why */
	int applicable;                /* 0: reason says why */
	char reason[LC_EST_REASON_MAX];
	struct lc_usage usage;         /* one task's usage on this model */
	struct lc_cost per_task;       /* one task, priced */
	struct lc_cost total;          /* usage x count, priced */
	int64_t extra;                 /* per month (per day) figure, see `per`; else 0 */
	int64_t image_tokens;          /* per task */
	char quality[32];              /* filled by the caller; "" when unknown */
	char retired[11];              /* the model was retired on this date (on or before
					  the date estimated: --include-retired), else "" */
	/* with a profile's prompt: the model's own count of it */
	const char *tokenizer;         /* the tokenizer that counted; NULL without a prompt */
	int input_exact;               /* 1: the model's own tokenizer; 0: the closest public */
	int64_t input_tokens;          /* the prompt's tokens on this model */
};

/*
 * The usage of one task under p on model m and offering o.  Returns 0, 1
 * when the model cannot take the task (reason written, up to
 * LC_EST_REASON_MAX), or -1 on error.
 */
int estimate_usage(const struct lc_profile *p, const struct lc_model *m,
		   const struct lc_offering *o, struct lc_usage *u, char *reason,
		   struct lc_err *err);

/*
 * Price p on (m, o) into *out: applicable with per-task, total and extra
 * figures; not applicable with a reason; or skipped (out->skip, see
 * estimate_skip_of) with a reason, when o cannot price tokens at all.
 * Returns 0, or -1 (LC_EDATA) when a figure would overflow ("cost out of
 * range", err->reason LC_R_OUT_OF_RANGE) or the usage has a component the
 * offering does not price (LC_R_UNPRICEABLE).
 */
int estimate_one(const struct lc_profile *p, const struct lc_model *m,
		 const struct lc_offering *o, struct lc_estimate *out, struct lc_err *err);

/*
 * Sort: applicable first, by total then per-task cost, then model and host;
 * not-applicable ones after, by model and host.
 */
void estimate_rank(struct lc_estimate *e, size_t n);

/* total / cheapest as a decimal with 2 places into buf ("1.00"), "-" when cheapest is 0. */
char *estimate_times(char *buf, size_t n, int64_t total, int64_t cheapest);

/* ---- cost over time ---- */

enum lc_step { LC_STEP_DAY, LC_STEP_WEEK, LC_STEP_MONTH };

/*
 * The dates from `from` to `to` (YYYY-MM-DD, from <= to) by step, `to`
 * included when it falls on a step.  A month step keeps the day of month
 * (clamped: Jan 31 -> Feb 28).  Returns a malloc'd array of n dates (the
 * caller frees), or NULL with err (LC_EUSAGE for a bad range, more than
 * 10,000 dates).
 */
char (*estimate_dates(const char *from, const char *to, enum lc_step step, size_t *n,
		      struct lc_err *err))[11];

/*
 * Where the series reads prices: for one date, call visit(vctx, m, o) for
 * each offering to consider (already filtered by provider/source/models).
 * Return 0, or -1 with err.  quality (may be NULL) writes a model's score
 * on date into out[32] (1 found, 0 none, -1 error).
 */
typedef int (*lc_est_visit_fn)(void *vctx, const struct lc_model *m,
			       const struct lc_offering *o);
struct lc_est_source {
	int (*offerings)(void *ctx, const char *date, lc_est_visit_fn visit, void *vctx,
			 struct lc_err *err);
	int (*quality)(void *ctx, const char *model, const char *date, char out[32],
		       struct lc_err *err);
	void *ctx;
	/*
	 * 0: the offerings are every model's (one entry never fails the run): a
	 * skipped offering is counted, one whose cost is out of range or
	 * unpriceable is listed as not applicable (the run fails only when no
	 * offering could be priced and some were out of range).  1: they are
	 * the models the user named: either is an error (LC_EDATA).
	 */
	int strict;
};

/* One model's line in a series: total on each date, LC_NONE when not priced
   or not applicable then. */
struct lc_series_line {
	char model[LC_ID_MAX];
	char host[LC_ID_MAX];
	int64_t *total;       /* [ndates] */
};

struct lc_series {
	size_t ndates;
	char (*dates)[11];
	size_t nlines;
	struct lc_series_line *lines;   /* sorted by model, host */
	/* per date: the cheapest line meeting min_quality, -1 when none */
	long *cheapest;
	/* per date: that line's quality score text ("" when no floor asked) */
	char (*cheapest_quality)[32];
	/* offerings skipped on the last date (no line), by kind */
	size_t skipped[LC_SKIP_N];
	size_t nskipped;
};

/*
 * The cost of p on every offering src yields, on each date (dates are
 * copied).  min_quality: NULL, or a decimal score text (arena_elo); then
 * lines only for models whose score on that date is at least min_quality
 * (models without a score are left out), and `cheapest` picks among them.
 * max_cost (nano-USD total, LC_NONE for none) also bounds `cheapest`.
 * Free with series_release.  Returns 0 or -1 with err.
 */
int estimate_series(const struct lc_profile *p, char (*dates)[11], size_t ndates,
		    const struct lc_est_source *src, const char *min_quality, int64_t max_cost,
		    struct lc_series *out, struct lc_err *err);
void series_release(struct lc_series *s);

/* The ranked estimates of one date. */
struct lc_ranking {
	struct lc_estimate *e; /* applicable first, cheapest first (estimate_rank) */
	size_t n;              /* results kept by the filters */
	size_t napplicable;    /* e[0..napplicable) can take the task */
	size_t seen;           /* offerings priced on the date, before the filters */
	size_t skipped[LC_SKIP_N]; /* of seen, offerings skipped (not in e), by kind */
	size_t nskipped;       /* their sum */
};

/*
 * The cost of p on every offering src yields on date, each with its quality
 * score (src->quality, may be NULL), filtered and ranked: min_quality (NULL,
 * or a decimal score text) keeps models scored at least that; max_cost
 * (nano-USD, LC_NONE for none) drops applicable models whose total is
 * above.  Free with ranking_release (also after an error).  Returns 0 or -1
 * with err.
 */
int estimate_at(const struct lc_profile *p, const char *date, const struct lc_est_source *src,
		const char *min_quality, int64_t max_cost, struct lc_ranking *out,
		struct lc_err *err);
void ranking_release(struct lc_ranking *r);

/* Compare two decimal score texts exactly (-1, 0, 1); malformed sorts low. */
int estimate_score_cmp(const char *a, const char *b);

#endif

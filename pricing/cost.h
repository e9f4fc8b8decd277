/*
 * cost.h - what one usage (a request, a task, a day's bucket) costs on one
 * offering.  Pure arithmetic on exact money: no I/O, no SQL.
 *
 * Token buckets are DISJOINT: `input` is the uncached rest of the prompt;
 * cache reads, cache writes, image and audio input tokens are counted apart.
 * `output` is every billed output token with `reasoning` included in it.
 *
 * Rules (each follows the providers' documented billing):
 *  - Context tier: the prompt is input + cache_read + cache_write_5m +
 *    cache_write_1h + image_tokens + audio_input, or tier_prompt when set
 *    (an aggregate of many requests is tiered per request, never on its sum).  The highest tier whose
 *    min_input_tokens is below the prompt applies to the WHOLE request
 *    (input, cache and output), as Anthropic, Google, LiteLLM and
 *    genai-prices bill it.  A component the tier does not price falls back
 *    to the base tier's price.
 *  - Cache: reads at cache_read, writes at cache_write_5m / cache_write_1h.
 *    A model without a cache-read price bills cached tokens as input; a
 *    missing 1h write price falls back to the 5m price, a missing 5m price
 *    to the input price.
 *  - Reasoning: billed at `reasoning` when priced apart, else as output.
 *  - Audio tokens: at the audio_input / audio_output prices; an offering
 *    without the price cannot price them (never billed as text).
 *  - Image tokens: at the image_input price when priced apart, else at the
 *    input price (OpenAI and Google bill image tokens as input tokens).
 *    images * image_per_item is a fee.
 *  - Other tokens (a modality with no price column: video, image output, an
 *    unknown one) make the usage unpriceable.
 *  - Fees: requests * request_fee, web_searches * web_search_fee.
 *  - Batch: explicit batch_input/batch_output prices when the sheet has
 *    them, else batch_discount_bp off every token component (not fees).
 *    Where the offering has no batch offer, no discount (batch_applied 0).
 *  - Rounding: each component is computed exactly in 128 bits and rounded
 *    half-even once to a nano-USD; the total is the sum of the components.
 */
#ifndef LC_COST_H
#define LC_COST_H

#include <stdint.h>

#include "err.h"
#include "money.h"
#include "price.h"

struct lc_usage {
	int64_t input;          /* uncached input tokens */
	int64_t cache_read;
	int64_t cache_write_5m;
	int64_t cache_write_1h;
	int64_t output;         /* all billed output, reasoning included */
	int64_t reasoning;      /* the part of output that was reasoning */
	int64_t audio_input;    /* audio input tokens */
	int64_t audio_output;   /* audio output tokens (part of nothing else) */
	int64_t image_tokens;   /* image input tokens */
	int64_t images;         /* number of input images (per-image fees) */
	int64_t other_tokens;   /* tokens of a modality without a price: unpriceable */
	int64_t requests;       /* API calls (per-request fees) */
	int64_t web_searches;
	int batch;              /* 1: billed through the batch API */
	int64_t tier_prompt;    /* > 0: the prompt size of ONE request, for the context
				   tier, when u aggregates many requests (a task of N calls,
				   a workload scaled by usage_scale); 0: judged on the sum */
};

struct lc_cost {
	/* nano-USD per component */
	int64_t input, cache_read, cache_write, output, reasoning, audio, image, fees;
	int64_t total;
	int tier;               /* index into offering->tiers that applied */
	int batch_applied;      /* 1 when a batch price or discount was used */
};

/* The prompt size a context tier is judged on (see the rules above). */
int64_t cost_prompt_tokens(const struct lc_usage *u);

/* Which tier of o applies to a prompt of prompt_tokens tokens. */
int cost_tier_for(const struct lc_offering *o, int64_t prompt_tokens);

/*
 * Cost of u on offering o into *out.  Returns 0, or -1 with LC_EDATA when a
 * count is negative, reasoning exceeds output, the offering has no input or
 * output price, u has audio tokens without an audio price on o ("no audio
 * input price", "no audio output price") or other tokens ("tokens of a
 * modality without a price"), or a figure would overflow int64 nano-USD
 * ("cost out of range").
 */
int cost_compute(const struct lc_offering *o, const struct lc_usage *u, struct lc_cost *out,
		 struct lc_err *err);

/*
 * Why u cannot be priced on o whatever its counts' sizes ("no audio input
 * price", "no audio output price", "tokens of a modality without a
 * price"), or NULL.  A short constant string.
 */
const char *cost_unpriceable(const struct lc_offering *o, const struct lc_usage *u);

/*
 * cost_compute's total, exactly, in 128 bits: the same rules, components
 * and roundings, but never out of range for any int64 counts at the prices
 * a sheet can hold (so a sum of many records' counts is priced exactly, as
 * the records one by one would be).  -1 with LC_EDATA for every other
 * reason cost_compute gives.
 */
int cost_total(const struct lc_offering *o, const struct lc_usage *u, lc_i128 *total,
	       struct lc_err *err);

/*
 * cost_total's figure component by component into *p (lib/price.h: the
 * tier and batch applied, each component's count, rate and exact cost;
 * the costs sum to cost_total's).  0, or -1 with err as cost_total.
 */
int cost_parts(const struct lc_offering *o, const struct lc_usage *u, struct lc_cost_parts *p,
	       struct lc_err *err);

/*
 * 1 when pricing u on o is additive: for any split of u into parts with the
 * same tier_prompt (> 0) and batch flag, each part valid (see cost_compute),
 * the parts' cost_compute totals sum to u's.  True when every token price
 * that applies to a non-zero count is a whole number of nano-USD per token
 * (after the batch factor), so no component is ever rounded; fees are always
 * additive.  When u's own cost_compute fails, its parts' may not: price the
 * parts.
 */
int cost_additive(const struct lc_offering *o, const struct lc_usage *u);

/* u * n for every count (a task repeated n times; tier_prompt is kept);
   -1 on overflow past 10^15. */
int usage_scale(struct lc_usage *u, int64_t n, struct lc_err *err);

/* Add b's counts to a (for aggregating records); -1 on overflow. */
int usage_add(struct lc_usage *a, const struct lc_usage *b, struct lc_err *err);

#endif

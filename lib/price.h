/*
 * price.h - the price of one offering (a model sold by one host) as read from
 * the store.  Plain data shared by lib/db (which fills it) and pricing/ (which
 * does the arithmetic); no functions here.
 *
 * Every amount is int64 in the units of money.h: per-token prices are
 * nano-USD per 1M tokens, fees are nano-USD per item.  LC_NONE (-1) means the
 * component is not offered (different from a price of 0).
 */
#ifndef LC_PRICE_H
#define LC_PRICE_H

#include <stdint.h>

#define LC_NONE (-1LL)
#define LC_ID_MAX 160
#define LC_URL_MAX 512
#define LC_MAX_TIERS 6

/* One context tier: applies when the whole prompt has MORE than min_input_tokens. */
struct lc_tier {
	int64_t min_input_tokens; /* 0 for the base tier */
	int64_t input, output;
	int64_t cache_read, cache_write_5m, cache_write_1h;
	int64_t reasoning;              /* LC_NONE: reasoning billed as output */
	int64_t audio_input, audio_output; /* per 1M audio tokens */
	int64_t image_input;            /* per 1M image tokens when priced apart */
	int64_t image_per_item;         /* per input image, when a flat fee */
	int64_t request_fee, web_search_fee;
	int64_t batch_discount_bp;      /* LC_NONE: no batch offer; 5000 = 50% off */
	int64_t batch_input, batch_output; /* explicit batch prices, else LC_NONE */
};

/* The price of one (model, host) on one date under one source. */
struct lc_offering {
	char model[LC_ID_MAX];
	char host[LC_ID_MAX];
	char source[LC_ID_MAX];         /* sources.name */
	char source_url[LC_URL_MAX];
	char effective_from[11];
	char effective_to[11];          /* "" when open */
	int observed;                   /* 1: date is when llmcost saw it */
	int ntiers;                     /* >= 1; tiers[0] is the base tier */
	struct lc_tier tiers[LC_MAX_TIERS]; /* ascending min_input_tokens */
};

/* What the catalogue knows about a model (models table). */
struct lc_model {
	char id[LC_ID_MAX];
	char maker[LC_ID_MAX];
	char family[LC_ID_MAX];
	char name[LC_ID_MAX];
	char release_date[11];          /* "" when unknown */
	int64_t context_window;         /* 0 when unknown */
	int64_t max_output;             /* 0 when unknown */
	char modalities[64];            /* "text+image" */
	int open_weights;
	char default_host[LC_ID_MAX];
	char image_tokens[32];          /* openai-tile, openai-mini, anthropic, gemini, "" */
	char mode[32];
	char deprecated[11];            /* deprecation announced (model_lifecycle), "" */
	char retired[11];               /* retirement (shutdown) date, "" when none known */
};

/*
 * One usage priced component by component, as pricing/ billed it (for
 * `usage --explain`): the tier and batch that applied, and per component
 * its count, the rate applied (nano-USD per 1M tokens, the batch factor
 * included, rounded half-even for display; LC_NONE for fees, which are
 * per item) and its exact cost in nano-USD.  The costs sum to the total.
 */
enum {
	LC_PART_INPUT, LC_PART_CACHE_READ, LC_PART_CACHE_WRITE_5M, LC_PART_CACHE_WRITE_1H,
	LC_PART_OUTPUT, LC_PART_REASONING, LC_PART_AUDIO_INPUT, LC_PART_AUDIO_OUTPUT,
	LC_PART_IMAGE, LC_PART_FEES, LC_PART_N
};

struct lc_cost_parts {
	int tier;                       /* index into the offering's tiers */
	int batch;                      /* 1: a batch price or discount applied */
	int64_t tokens[LC_PART_N];      /* fees: 0 */
	int64_t rate[LC_PART_N];
	__int128 cost[LC_PART_N];
};

#endif

/*
 * collapse.h - how far and how fast list prices fell: each model family's
 * price over time, and the cheapest model at or above a quality bar over
 * time (the "GPT-4-class price"), built from snapshots of the store.
 *
 * Money stays in integers (nano-USD per 1M tokens).  A blended price is
 * (IN x input + OUT x output) / (IN + OUT), an exact rational rounded
 * half-even once.  Factors are ratios of those integers; only the yearly
 * rate of decline (a power) is computed in floating point, from the ratio,
 * for display.
 */
#ifndef LC_COLLAPSE_H
#define LC_COLLAPSE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"
#include "hash.h"

struct collapse_opts {
	char from[11], to[11];   /* snapshots on from and on each change in (from, to] */
	int blend_in, blend_out; /* weights, e.g. 3:1; not both 0 */
	const char *source;      /* one price source only, or NULL for the winning one */
	const char *benchmark;   /* quality benchmark, e.g. "arena_elo" */
	const char *bar_model;   /* the model whose score is the bar (when min_quality NULL) */
	const char *min_quality; /* the bar as decimal text, or NULL */
	const char *ref_model;   /* "factor since" reference, its first price (gpt-4-0314) */
	const char *snapshot;    /* the scores of the leaderboard snapshot of this date
				    (db_quality_snapshot), or NULL: of `to` */
	char snapshot_date[11];  /* storage for snapshot when parsed from an option */
	int include_retired;     /* also models retired by a snapshot's date */
};

/* One price that held from `date` until `until` ("" = still on opts.to). */
struct collapse_price {
	char date[11], until[11];
	char model[LC_ID_MAX];
	char maker[LC_ID_MAX];
	char score[32];          /* frontier only: the model's score */
	int64_t input, output, blended;
};

struct collapse_family {
	char maker[LC_ID_MAX];
	char family[LC_ID_MAX];
	struct collapse_price *pts; /* a point each time the family's price changed */
	size_t n, cap;
	int present;                /* priced on the last snapshot */
};

struct collapse {
	struct collapse_opts opts;
	struct collapse_family *fam;
	size_t nfam, capfam;
	struct lc_hidx famidx;     /* fam by (maker, family) */
	struct collapse_price *frontier;
	size_t nfrontier, capfrontier;
	int frontier_present;
	char bar_model[LC_ID_MAX]; /* "" when the bar was given as a number */
	char bar_score[32];        /* decimal text; "" when there is no bar */
	int64_t bar;               /* score x 10^6 */
	char snapshot[11];         /* the one snapshot every score came from
				      ("" undated, or no scores: have_snapshot 0) */
	int have_snapshot;
	int have_ref;
	struct collapse_price ref; /* the reference's first price */
	int snapshots;
};

/*
 * Build the report.  Returns 0, or -1 with err (LC_EDATA when the bar model
 * has no score or the reference is unknown; LC_EDB on store errors).
 * Release with collapse_release even after an error.
 */
int collapse_build(struct lc_db *db, const struct collapse_opts *o, struct collapse *out,
		   struct lc_err *err);
void collapse_release(struct collapse *c);

/* The blended price of (input, output) with weights a:b, half-even. */
int64_t collapse_blend(int64_t input, int64_t output, int a, int b);

/*
 * num/den as decimal text with `decimals` (0..9) digits, rounded half-even
 * once, trailing zeros kept ("200.0").  num >= 0, den > 0.  Returns buf.
 */
char *collapse_ratio(char *buf, size_t n, int64_t num, int64_t den, int decimals);

/*
 * The yearly rate of decline from price `first` on day d0 to `last` on d1,
 * in percent: 100 x (1 - (last/first)^(365.25/(d1-d0))).  Negative when the
 * price rose.  Returns 0 and writes "%.1f" text, or -1 when undefined
 * (no time passed, or a price is 0).
 */
int collapse_yearly_rate(char *buf, size_t n, int64_t first, int64_t last, const char *d0,
			 const char *d1);

#endif

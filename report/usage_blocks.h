/*
 * usage_blocks.h - 5-hour billing blocks, as Claude's subscription plans
 * count usage: a block starts at its first message's time floored to the
 * UTC hour and lasts 5 hours; the first message after the block's end (a
 * message exactly at the end is still in it) starts the next block.  A gap
 * of more than 5 hours between messages always ends a block, since a block
 * starts at or before its first message.  These are ccusage 20's rules
 * (identify_session_blocks), so both tools cut the same blocks.
 *
 * Tokens and costs are exact (128-bit sums of the records' own counts and
 * nano-USD); only the burn rate is a floating-point display value, and the
 * projection is integer arithmetic on the block's own sums.
 */
#ifndef LC_USAGE_BLOCKS_H
#define LC_USAGE_BLOCKS_H

#include <stdint.h>

#include "usage_report.h"

#define BLOCK_MS (5 * 3600000LL)
#define BLOCK_MODELS_MAX 512

struct usage_block {
	lc_ms start, end;           /* start floored to the hour; end = start + 5 h */
	lc_ms first, last;          /* the first and last message's times */
	int64_t entries;            /* records */
	lc_i128 input, output, cache_write, cache_read;
	lc_i128 cost;               /* nano-USD of the priced records */
	int64_t unpriced;           /* records left out of the cost */
	char models[BLOCK_MODELS_MAX]; /* distinct models as read, ", " between */
	int active;                 /* now is before end and within 5 h of last */
	int prev_end_at_start;      /* (internal) the previous block ends at start: a
				       record at exactly start is the previous block's */
};

/* input + output + cache writes + cache reads, as ccusage's totalTokens */
lc_i128 usage_block_tokens(const struct usage_block *b);

/*
 * Cut n record times into blocks (ts is sorted in place): out[] gets start,
 * end, first, last and entries of each block, in time order; returns the
 * number of blocks.  out NULL: only count them.  Pure.
 */
size_t usage_blocks_split(int64_t *ts, size_t n, struct usage_block *out);

struct usage_blocks {
	struct usage_block *v;
	size_t n;
	lc_i128 max_tokens;         /* the most tokens of a block that is not active */
	struct usage_report rep;    /* the records' totals and unpriced models */
};

/*
 * Every block of the stored usage, priced as `llmcost usage` prices each
 * record (o->price, o->source, o->at; the grouping fields are ignored);
 * with o->user, the blocks of that user's records alone.
 * Blocks active at `now` are marked.  Free with usage_blocks_release.
 * 0, or -1 with err.
 */
int usage_blocks_run(struct lc_db *db, const struct usage_report_opts *o, lc_ms now,
		     struct usage_blocks *out, struct lc_err *err);
void usage_blocks_release(struct usage_blocks *b);

/*
 * The block active at `now` alone, fast on a big store (for the status
 * line): the block boundaries come from the 15-minute rollup, walked back
 * only to the last certain gap of 5 hours, and the block's own records are
 * read newest-stored first, stopping after as many as the rollup counts.
 * Records after `now` are left out.  1 with *out filled, 0 when no block
 * is active, -1 with err.
 */
int usage_block_active(struct lc_db *db, const struct usage_report_opts *o, lc_ms now,
		       struct usage_block *out, struct lc_err *err);

/* What an active block's pace says (ccusage's burn rate and projection). */
struct block_pace {
	int has_rate;               /* 0: one instant of activity, no rate */
	double tokens_per_min;      /* display only */
	lc_i128 cost_per_hour;      /* nano-USD, rounded half up */
	int64_t minutes_left;       /* to the block's end, rounded to the minute */
	lc_i128 projected_tokens;   /* at the end, at the current pace */
	lc_i128 projected_cost;     /* nano-USD */
};

/*
 * The pace of block b at now: tokens and cost per unit of time between its
 * first and last message, carried on for the minutes left to its end.
 */
void usage_block_pace(const struct usage_block *b, lc_ms now, struct block_pace *out);

#endif

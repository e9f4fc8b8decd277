/*
 * usage_blocks.c - see usage_blocks.h.
 *
 * The whole report reads the store twice: every record's time alone (one
 * column of usage_calls, sorted here) to cut the blocks, then the records
 * through the usage report's pricing, each added to the block whose first
 * message is the latest at or before it.  Keyed by first message, not by
 * start: a block's start is floored to the hour, so the previous block's
 * last message (at exactly its end) can fall after it.
 *
 * The active block alone (usage_block_active) never reads the whole store:
 * see the comment above it.
 */
#include "usage_blocks.h"

#include <stdlib.h>
#include <string.h>

#define HOUR_MS 3600000LL
#define BUCKET_MS 900000LL

static lc_ms floor_hour(lc_ms t)
{
	lc_ms r = t % HOUR_MS;

	return t - (r < 0 ? r + HOUR_MS : r);
}

lc_i128 usage_block_tokens(const struct usage_block *b)
{
	return b->input + b->output + b->cache_write + b->cache_read;
}

static int cmp_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void block_open(struct usage_block *b, lc_ms first)
{
	memset(b, 0, sizeof(*b));
	b->start = floor_hour(first);
	b->end = b->start + BLOCK_MS;
	b->first = b->last = first;
}

size_t usage_blocks_split(int64_t *ts, size_t n, struct usage_block *out)
{
	struct usage_block cur = { 0 };
	size_t nb = 0;

	if (n > 1) /* qsort's array may not be NULL, even for 0 elements */
		qsort(ts, n, sizeof(*ts), cmp_ms);
	for (size_t i = 0; i < n; i++) {
		/* strictly after the end: a message at the end itself stays */
		if (nb == 0 || ts[i] > cur.end) {
			lc_ms prev_end = nb ? cur.end : 0;

			if (out && nb)
				out[nb - 1] = cur;
			block_open(&cur, ts[i]);
			cur.prev_end_at_start = nb && prev_end == cur.start;
			nb++;
		}
		cur.last = ts[i];
		cur.entries++;
	}
	if (out && nb)
		out[nb - 1] = cur;
	return nb;
}

static void add_model(struct usage_block *b, const char *model)
{
	size_t len = strlen(b->models), k = strlen(model);

	for (const char *p = b->models; (p = strstr(p, model)) != NULL; p += k)
		if ((p == b->models || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return;
	if (len + k + 3 > sizeof(b->models))
		return; /* more models than fit: the first ones are named */
	snprintf(b->models + len, sizeof(b->models) - len, "%s%s", len ? ", " : "", model);
}

static void add_row(struct usage_block *b, const struct lc_usage_row *u, const char *model,
		    int priced, lc_i128 cost)
{
	b->input += u->input;
	b->output += u->output;
	b->cache_write += (lc_i128)u->cache_write_5m + u->cache_write_1h;
	b->cache_read += u->cache_read;
	if (priced)
		b->cost += cost;
	else
		b->unpriced += u->records;
	add_model(b, model);
}

struct assign {
	struct usage_block *v;
	size_t n;
};

/* The block of a record at t: the last whose first message is at or before t. */
static void on_each(void *ctx, const struct lc_usage_row *u, const char *model, int priced,
		    lc_i128 cost)
{
	struct assign *a = ctx;
	size_t lo = 0, hi = a->n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->v[mid].first <= u->ts_ms)
			lo = mid;
		else
			hi = mid;
	}
	if (a->n)
		add_row(&a->v[lo], u, model, priced, cost);
}

static int is_active(const struct usage_block *b, lc_ms now)
{
	return now < b->end && now - b->last < BLOCK_MS;
}

struct times {
	int64_t *v;
	size_t n, cap;
};

static int on_time(void *ctx, const struct lc_usage_row *u)
{
	struct times *t = ctx;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n++] = u->ts_ms;
	return 0;
}

/* The timestamps of the records of user (db_usage_times for one user),
   read through the records' scan.  0 or -1 with err. */
static int user_times(struct lc_db *db, const char *user, int64_t **out, size_t *n,
		      struct lc_err *err)
{
	struct lc_usage_query q = { 0 };
	struct times t = { 0 };

	q.records = 1;
	q.user = user;
	if (db_usage_scan(db, &q, on_time, &t, err) < 0) {
		free(t.v);
		return -1;
	}
	*out = t.v;
	*n = t.n;
	return 0;
}

int usage_blocks_run(struct lc_db *db, const struct usage_report_opts *o, lc_ms now,
		     struct usage_blocks *out, struct lc_err *err)
{
	struct usage_report_opts ro = *o;
	struct assign a;
	int64_t *ts;
	size_t n;

	memset(out, 0, sizeof(*out));
	/* with o->user, the blocks of that user's records alone */
	if (o->user ? user_times(db, o->user, &ts, &n, err) : db_usage_times(db, &ts, &n, err))
		return -1;
	/* count, then cut: a block is ~600 bytes, a record's time 8 */
	out->n = usage_blocks_split(ts, n, NULL);
	out->v = xcalloc(out->n ? out->n : 1, sizeof(*out->v));
	usage_blocks_split(ts, n, out->v);
	free(ts);
	a.v = out->v;
	a.n = out->n;
	ro.group = UG_MODEL;
	ro.force_records = 1;
	ro.breakdown = 0;
	ro.has_since = ro.has_until = 0;
	ro.each = on_each;
	ro.each_ctx = &a;
	if (usage_report_run(db, &ro, &out->rep, err)) {
		usage_blocks_release(out);
		return -1;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct usage_block *b = &out->v[i];

		b->active = is_active(b, now);
		if (!b->active && usage_block_tokens(b) > out->max_tokens)
			out->max_tokens = usage_block_tokens(b);
	}
	return 0;
}

void usage_blocks_release(struct usage_blocks *b)
{
	free(b->v);
	usage_report_release(&b->rep);
	memset(b, 0, sizeof(*b));
}

/*
 * Where the blocks restart for certain, in bk[0..n): the first bucket
 * after the last gap of at least 5 hours between the end of one non-empty
 * bucket and the start of the next (its first message is then more than
 * 5 hours after the last one before it, so it starts a block whatever came
 * before).  `from` is where the buckets were read from: a first bucket
 * 5 hours after it restarts too.  -1: no certain restart in the buckets.
 */
static long restart(const struct lc_usage_bucket *bk, size_t n, lc_ms from)
{
	for (size_t i = n; i-- > 0;) {
		lc_ms prev_end = i ? bk[i - 1].start_ms + BUCKET_MS : from;

		if (bk[i].start_ms - prev_end >= BLOCK_MS)
			return (long)i;
	}
	return -1;
}

struct active_scan {
	struct usage_block *b;
	lc_ms now;
	int seen;
};

static void on_active(void *ctx, const struct lc_usage_row *u, const char *model, int priced,
		      lc_i128 cost)
{
	struct active_scan *s = ctx;
	struct usage_block *b = s->b;

	/* the previous block's message at exactly its end, and the future */
	if ((b->prev_end_at_start && u->ts_ms == b->start) || u->ts_ms > s->now)
		return;
	if (!s->seen++ || u->ts_ms < b->first)
		b->first = u->ts_ms;
	if (u->ts_ms > b->last)
		b->last = u->ts_ms;
	b->entries += u->records;
	add_row(b, u, model, priced, cost);
}

/*
 * The last block at bucket level, from bk[r] on: a bucket that starts
 * before the block's end is in it; one that starts after it opens a block;
 * one that starts exactly at the end holds that end's own messages (the
 * old block's) and later ones, which open a block at that same hour.
 * Sets b's start and end, and *from to its first bucket.
 */
static void last_block(const struct lc_usage_bucket *bk, size_t n, size_t r,
		       struct usage_block *b, size_t *from)
{
	block_open(b, bk[r].start_ms);
	*from = r;
	for (size_t i = r + 1; i < n; i++) {
		if (bk[i].start_ms < b->end)
			continue;
		if (bk[i].start_ms == b->end) {
			block_open(b, bk[i].start_ms);
			b->prev_end_at_start = 1;
		} else {
			block_open(b, bk[i].start_ms);
		}
		*from = i;
	}
}

/*
 * The active block: the rollup's non-empty buckets up to now, read back
 * from two days ago (further, four times as far each time, until a certain
 * restart or the beginning of the store), cut into blocks at bucket level,
 * which gives the last block's start and end exactly (ends fall on whole
 * hours, so on bucket boundaries).  Then only that block's records are
 * read, newest-stored first, until as many as its buckets hold: exact
 * first and last times, tokens and cost.
 */
int usage_block_active(struct lc_db *db, const struct usage_report_opts *o, lc_ms now,
		       struct usage_block *out, struct lc_err *err)
{
	struct usage_report_opts ro = *o;
	struct usage_report rep;
	struct active_scan s = { out, now, 0 };
	struct lc_usage_bucket *bk = NULL;
	size_t n = 0, from = 0;
	lc_ms since = now - 2 * 86400000LL;
	long r = -1;
	int64_t want = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		free(bk);
		if (db_usage_buckets(db, since, now, &bk, &n, err))
			return -1;
		if (since == 0 || (r = restart(bk, n, since)) >= 0)
			break;
		since = now - (now - since) * 4;
		if (since <= 0 || now - since > 20 * 365 * 86400000LL)
			since = 0;
	}
	if (n == 0 || (since == 0 && (r = restart(bk, n, INT64_MIN / 2)) < 0))
		r = 0;
	if (n == 0 || bk[n - 1].start_ms + BUCKET_MS + BLOCK_MS <= now) {
		free(bk);
		return 0; /* nothing at all, or nothing in the last 5 hours */
	}
	last_block(bk, n, (size_t)r, out, &from);
	for (size_t i = from; i < n; i++)
		want += bk[i].records;
	free(bk);
	if (out->end <= now)
		return 0;
	ro.group = UG_MODEL;
	ro.force_records = 1;
	ro.breakdown = 0;
	ro.has_since = ro.has_until = 0;
	ro.since_ms = out->start;
	/* the buckets counted: none after now's */
	ro.until_ms = (now - ((now % BUCKET_MS) + BUCKET_MS) % BUCKET_MS) + BUCKET_MS;
	if (out->end < ro.until_ms)
		ro.until_ms = out->end;
	ro.newest = want;
	ro.each = on_active;
	ro.each_ctx = &s;
	if (usage_report_run(db, &ro, &rep, err))
		return -1;
	usage_report_release(&rep);
	if (!s.seen)
		return 0;
	out->active = is_active(out, now);
	return out->active;
}

static lc_i128 div_round(lc_i128 a, lc_i128 b)
{
	return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

void usage_block_pace(const struct usage_block *b, lc_ms now, struct block_pace *out)
{
	lc_ms dur = b->last - b->first, left = b->end - now;
	lc_i128 tokens = usage_block_tokens(b);

	memset(out, 0, sizeof(*out));
	out->minutes_left = left > 0 ? (left + 30000) / 60000 : 0;
	out->projected_tokens = tokens;
	out->projected_cost = b->cost;
	if (dur <= 0)
		return;
	out->has_rate = 1;
	out->tokens_per_min = (double)tokens * 60000.0 / (double)dur;
	out->cost_per_hour = div_round(b->cost * 3600000, dur);
	out->projected_tokens = tokens + div_round(tokens * out->minutes_left * 60000, dur);
	out->projected_cost = b->cost + div_round(b->cost * out->minutes_left * 60000, dur);
}

/*
 * bpe.c - byte-level BPE of one piece: merge the adjacent pair with the
 * lowest rank, the leftmost on a tie, until no pair has a rank.
 *
 * Short pieces (almost all of them) use the direct scan: find the lowest
 * pair, merge, rescan, O(n^2) on a handful of bytes.  Long pieces use a
 * min-heap of (rank, position) over a linked list of parts, so each merge
 * costs O(log n): a heap entry is checked when it comes out (the part at
 * that position must still exist and its pair still have that rank) rather
 * than removed when its pair changes.  Both give the same merges: each
 * takes the pair of least (rank, position) among the current pairs.
 */
#include "tok_int.h"

size_t tok_heap_min = 48;

/* The part a piece starts with at p[i]: its length, its token in *id.  A
   byte (byte-level BPE); with TOK_CHARS the character when it is a token,
   else each of its bytes as its byte-fallback token (*fb_end: the end of
   such a character, 0 at first). */
static size_t part_at(const struct tok *t, const unsigned char *p, size_t n, size_t i,
		      size_t *fb_end, uint32_t *id)
{
	if ((t->flags & TOK_CHARS) && i >= *fb_end) {
		size_t l = p[i] < 0x80 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4;

		if (l > n - i)
			l = n - i;
		if ((*id = tok_lookup(t, p + i, l)) != TOK_NONE)
			return l;
		*fb_end = i + l;
	}
	*id = t->byte_id[p[i]];
	return 1;
}

/* The rank of joining the part [a, b) with [b, c), and its token in *id. */
static uint32_t pair_rank(const struct tok *t, const unsigned char *p, size_t a, size_t c,
			  uint32_t ida, uint32_t idb, uint32_t *id)
{
	if (t->flags & TOK_MERGES)
		return tok_merge_rank(t, ida, idb, id);
	/* longer than any token: no need to hash it (long runs merge up to here) */
	*id = c - a > t->maxlen ? TOK_NONE : tok_lookup(t, p + a, c - a);
	return *id;
}

static void emit(uint32_t id, uint32_t **ids, size_t *nids, size_t *cap)
{
	if (!ids)
		return;
	if (*nids == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*ids = xrealloc(*ids, *cap * sizeof(**ids));
	}
	(*ids)[(*nids)++] = id;
}

static void scratch_grow(struct tok_scratch *s, size_t n)
{
	if (n <= s->cap)
		return;
	s->cap = n + n / 2;
	s->next = xrealloc(s->next, s->cap * sizeof(*s->next));
	s->prev = xrealloc(s->prev, s->cap * sizeof(*s->prev));
	s->id = xrealloc(s->id, s->cap * sizeof(*s->id));
	s->rank = xrealloc(s->rank, s->cap * sizeof(*s->rank));
}

/* The direct scan over parts start[0..np) (start[np] = n). */
static size_t bpe_scan(struct tok *t, const unsigned char *p, size_t n, uint32_t **ids,
		       size_t *nids, size_t *cap)
{
	uint32_t start[64 + 1], id[64], rank[64], mid[64];
	size_t np = 0, fb_end = 0;

	for (size_t i = 0; i < n; np++) {
		start[np] = (uint32_t)i;
		i += part_at(t, p, n, i, &fb_end, &id[np]);
	}
	start[np] = (uint32_t)n;
	for (size_t i = 0; i + 1 < np; i++)
		rank[i] = pair_rank(t, p, start[i], start[i + 2], id[i], id[i + 1], &mid[i]);
	for (;;) {
		size_t best = np;
		uint32_t br = TOK_NONE;

		for (size_t i = 0; i + 1 < np; i++)
			if (rank[i] < br) {
				br = rank[i];
				best = i;
			}
		if (best == np)
			break;
		id[best] = mid[best];
		np--;
		memmove(start + best + 1, start + best + 2, (np - best) * sizeof(*start));
		memmove(id + best + 1, id + best + 2, (np - best - 1) * sizeof(*id));
		if (best + 2 < np) {
			memmove(rank + best + 1, rank + best + 2, (np - best - 2) * sizeof(*rank));
			memmove(mid + best + 1, mid + best + 2, (np - best - 2) * sizeof(*mid));
		}
		if (best + 1 < np)
			rank[best] = pair_rank(t, p, start[best], start[best + 2], id[best],
					       id[best + 1], &mid[best]);
		else
			rank[best] = TOK_NONE;
		if (best > 0)
			rank[best - 1] = pair_rank(t, p, start[best - 1], start[best + 1],
						   id[best - 1], id[best], &mid[best - 1]);
	}
	for (size_t i = 0; i < np; i++)
		emit(id[i], ids, nids, cap);
	return np;
}

static void heap_push(struct tok_scratch *s, size_t *hn, uint64_t v)
{
	size_t i;

	if (*hn == s->heapcap) {
		s->heapcap = s->heapcap ? s->heapcap * 2 : 1024;
		s->heap = xrealloc(s->heap, s->heapcap * sizeof(*s->heap));
	}
	i = (*hn)++;
	while (i > 0 && s->heap[(i - 1) / 2] > v) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = v;
}

static uint64_t heap_pop(struct tok_scratch *s, size_t *hn)
{
	uint64_t top = s->heap[0], v = s->heap[--*hn];
	size_t i = 0, n = *hn;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && s->heap[c + 1] < s->heap[c])
			c++;
		if (s->heap[c] >= v)
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n)
		s->heap[i] = v;
	return top;
}

#define DEAD UINT32_MAX

/* Rank the pair starting at part i (s->rank[i], TOK_NONE when none) and queue it. */
static void requeue(struct tok *t, const unsigned char *p, size_t n, size_t i, size_t *hn)
{
	struct tok_scratch *s = &t->s;
	uint32_t j = s->next[i], mid;

	s->rank[i] = TOK_NONE;
	if (j >= n)
		return;
	s->rank[i] = pair_rank(t, p, i, s->next[j], s->id[i], s->id[j], &mid);
	if (s->rank[i] != TOK_NONE)
		heap_push(s, hn, (uint64_t)s->rank[i] << 32 | i);
}

static size_t bpe_heap(struct tok *t, const unsigned char *p, size_t n, uint32_t **ids,
		       size_t *nids, size_t *cap)
{
	struct tok_scratch *s = &t->s;
	size_t hn = 0, count = 0, fb_end = 0;
	uint32_t last = DEAD;

	scratch_grow(s, n + 1);
	for (size_t i = 0; i < n; count++) {
		s->prev[i] = last;
		last = (uint32_t)i;
		i += part_at(t, p, n, i, &fb_end, &s->id[last]);
		s->next[last] = (uint32_t)i;
	}
	s->next[n] = (uint32_t)n;
	for (size_t i = 0; i < n; i = s->next[i])
		requeue(t, p, n, i, &hn);
	while (hn) {
		uint64_t top = heap_pop(s, &hn);
		uint32_t i = (uint32_t)top, r = (uint32_t)(top >> 32), j, mid;

		if (s->id[i] == DEAD || s->rank[i] != r)
			continue; /* the pair at i changed since this entry was queued */
		j = s->next[i];
		pair_rank(t, p, i, s->next[j], s->id[i], s->id[j], &mid);
		s->id[i] = mid;
		s->id[j] = DEAD;
		s->next[i] = s->next[j];
		if (s->next[i] < n)
			s->prev[s->next[i]] = i;
		count--;
		requeue(t, p, n, i, &hn);
		if (s->prev[i] != DEAD)
			requeue(t, p, n, s->prev[i], &hn);
	}
	for (size_t i = 0; i < n; i = s->next[i])
		emit(s->id[i], ids, nids, cap);
	return count;
}

size_t tok_bpe(struct tok *t, const unsigned char *p, size_t n, uint32_t **ids, size_t *nids,
	       size_t *cap)
{
	uint32_t whole;
	size_t fb_end = 0;

	if (n == 1) {
		part_at(t, p, n, 0, &fb_end, &whole);
		emit(whole, ids, nids, cap);
		return 1;
	}
	if (!(t->flags & TOK_MERGES) || (t->flags & TOK_IGNORE_MERGES)) {
		if ((whole = tok_lookup(t, p, n)) != TOK_NONE) {
			emit(whole, ids, nids, cap);
			return 1;
		}
	}
	if (n <= tok_heap_min && n <= 64)
		return bpe_scan(t, p, n, ids, nids, cap);
	return bpe_heap(t, p, n, ids, nids, cap);
}

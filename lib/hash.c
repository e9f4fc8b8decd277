/*
 * hash.c - the hash index; see hash.h.
 *
 * A slot's home is lc_hash_mix(h) masked; an entry sits at the first empty
 * slot from its home on (wrapping), so the entries of one hash lie, in the
 * order they were added, in the run of full slots that starts at or before
 * their home.  Growth re-adds the entries run by run from an empty slot,
 * which keeps that order.
 */
#include "hash.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CAP 64

static void put(struct lc_hidx_slot *slot, size_t cap, uint64_t h, size_t pos1)
{
	size_t i = (size_t)lc_hash_mix(h) & (cap - 1);

	while (slot[i].pos)
		i = (i + 1) & (cap - 1);
	slot[i].h = h;
	slot[i].pos = pos1;
}

static int grow(struct lc_hidx *x)
{
	size_t cap = x->cap ? x->cap * 2 : MIN_CAP, start = 0;
	struct lc_hidx_slot *slot;

	if (cap < x->cap || cap > SIZE_MAX / sizeof(*slot))
		return -1;
	slot = xcalloc(cap, sizeof(*slot));
	/* from an empty slot (there is one: the load is at most a half), each
	   run from its start */
	while (start < x->cap && x->slot[start].pos)
		start++;
	for (size_t k = 0; k < x->cap; k++) {
		const struct lc_hidx_slot *s = &x->slot[(start + k) & (x->cap - 1)];

		if (s->pos)
			put(slot, cap, s->h, s->pos);
	}
	free(x->slot);
	x->slot = slot;
	x->cap = cap;
	return 0;
}

int lc_hidx_add(struct lc_hidx *x, uint64_t h, size_t pos)
{
	if (pos == SIZE_MAX)
		return -1;
	if ((x->n + 1) * 2 > x->cap && grow(x))
		return -1;
	put(x->slot, x->cap, h, pos + 1);
	x->n++;
	return 0;
}

/* The first slot at or after i (in probe order) that holds hash it->h. */
static size_t scan(const struct lc_hidx *x, struct lc_hidx_it *it, size_t i)
{
	for (; x->slot[i].pos; i = (i + 1) & (x->cap - 1))
		if (x->slot[i].h == it->h) {
			it->i = i;
			return x->slot[i].pos - 1;
		}
	it->i = SIZE_MAX;
	return LC_HIDX_END;
}

size_t lc_hidx_first(const struct lc_hidx *x, uint64_t h, struct lc_hidx_it *it)
{
	it->h = h;
	it->i = SIZE_MAX;
	if (!x->n)
		return LC_HIDX_END;
	return scan(x, it, (size_t)lc_hash_mix(h) & (x->cap - 1));
}

size_t lc_hidx_next(const struct lc_hidx *x, struct lc_hidx_it *it)
{
	if (it->i == SIZE_MAX)
		return LC_HIDX_END;
	return scan(x, it, (it->i + 1) & (x->cap - 1));
}

void lc_hidx_clear(struct lc_hidx *x)
{
	if (x->slot)
		memset(x->slot, 0, x->cap * sizeof(*x->slot));
	x->n = 0;
}

void lc_hidx_release(struct lc_hidx *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = x->n = 0;
}

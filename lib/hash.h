/*
 * hash.h - llmcost's one hash function and one small hash table.
 *
 * The function: 64-bit FNV-1a over bytes, fed piece by piece (a composite
 * key is its pieces in turn, a NUL byte between strings), then
 * lc_hash_mix() when only some low bits are used.  It starts from
 * LC_HASH_SEED, which is NOT FNV's offset basis (14695981039346656037) but
 * that number a digit short, as the first copies had it; it stays, because
 * hashes are stored: usage_calls.key_hash (lib/db_usage_rec.c) and the
 * built-in data's version (lib/db_builtin.c).  Changing the function or
 * the seed changes those: a migration, not a refactoring.
 *
 * The table, struct lc_hidx: an index over an array the caller owns.  It
 * maps a hash to the positions (0, 1, 2 ...) of the caller's entries that
 * were added under that hash, and never sees a key: the caller hashes its
 * key, walks the candidates, and compares its own keys.  So a key may be a
 * string, several strings or a struct, and entries with equal keys may
 * coexist (a multimap): the candidates of one hash come in the order they
 * were added, growth included.  Open addressing with linear probing; it
 * doubles to keep the load at or under a half.  No deletion: it only grows,
 * or is emptied whole (lc_hidx_clear).
 *
 *	struct lc_hidx ix = LC_HIDX_INIT;
 *	struct lc_hidx_it it;
 *	uint64_t h = lc_hash_str(LC_HASH_SEED, name);
 *
 *	for (size_t i = lc_hidx_first(&ix, h, &it); i != LC_HIDX_END; i = lc_hidx_next(&ix, &it))
 *		if (!strcmp(entries[i].name, name))
 *			return &entries[i];
 *	... append the entry at position n, then:
 *	if (lc_hidx_add(&ix, h, n)) out of memory
 *	...
 *	lc_hidx_release(&ix);
 */
#ifndef LC_HASH_H
#define LC_HASH_H

#include <stddef.h>
#include <stdint.h>

#define LC_HASH_SEED 1469598103934665603ULL
#define LC_HASH_PRIME 1099511628211ULL

/* h continued over the n bytes at p. */
static inline uint64_t lc_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * LC_HASH_PRIME;
	return h;
}

/* h continued over the bytes of s, without its NUL. */
static inline uint64_t lc_hash_str(uint64_t h, const char *s)
{
	for (const unsigned char *b = (const unsigned char *)s; *b; b++)
		h = (h ^ *b) * LC_HASH_PRIME;
	return h;
}

/* h with its high bits folded into the low ones (FNV's low bits alone are
   weak), for a hash that is masked or cut. */
static inline uint64_t lc_hash_mix(uint64_t h)
{
	return h ^ h >> 29;
}

struct lc_hidx {
	struct lc_hidx_slot {
		uint64_t h;
		size_t pos; /* the entry's position + 1; 0: an empty slot */
	} *slot;
	size_t cap, n; /* cap: 0 or a power of two */
};

#define LC_HIDX_INIT { NULL, 0, 0 }
#define LC_HIDX_END SIZE_MAX

/* Add the entry at position pos (< SIZE_MAX) under hash h; 0, or -1 when
   out of memory (the index is unchanged, still valid). */
int lc_hidx_add(struct lc_hidx *x, uint64_t h, size_t pos);

/* Where a walk over the candidates of one hash is. */
struct lc_hidx_it {
	uint64_t h;
	size_t i;
};

/* The first candidate position added under h, or LC_HIDX_END; the next
   ones with lc_hidx_next().  Adding to x ends a walk. */
size_t lc_hidx_first(const struct lc_hidx *x, uint64_t h, struct lc_hidx_it *it);
size_t lc_hidx_next(const struct lc_hidx *x, struct lc_hidx_it *it);

/* Empty x, keeping its memory. */
void lc_hidx_clear(struct lc_hidx *x);

/* Free x's memory; x is empty (LC_HIDX_INIT) again. */
void lc_hidx_release(struct lc_hidx *x);

#endif

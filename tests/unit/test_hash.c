/*
 * test_hash.c - unit tests for lib/hash.{h,c}: the hash function's values
 * (pinned: stores keep them), and the index: add, look up, growth, equal
 * and colliding hashes in the order added, wrapping, clear and release.
 */
#include <stdlib.h>

#include "harness.h"
#include "hash.h"

/* the values stored hashes were made with (usage_calls.key_hash, the data
   version): written out, not computed, so a changed seed or prime fails */
TEST(hash_values)
{
	CHECK(lc_hash_str(LC_HASH_SEED, "") == 0x14650fb0739d0383ULL);
	CHECK(lc_hash_str(LC_HASH_SEED, "claude-sonnet-4") == 0xedc70ad2713ce302ULL);
	CHECK(lc_hash_mix(lc_hash_str(LC_HASH_SEED, "msg_01")) == 0x0eda4c1cd79b7c43ULL);
	/* a composite key: maker, a NUL, family */
	CHECK(lc_hash_str(lc_hash_bytes(lc_hash_str(LC_HASH_SEED, "anthropic"), "", 1), "claude") ==
	      0x35fdf865cdecca4dULL);
	/* bytes and strings agree; pieces chain */
	CHECK(lc_hash_bytes(LC_HASH_SEED, "gpt-4o", 6) == lc_hash_str(LC_HASH_SEED, "gpt-4o"));
	CHECK(lc_hash_str(lc_hash_str(LC_HASH_SEED, "gpt-"), "4o") ==
	      lc_hash_str(LC_HASH_SEED, "gpt-4o"));
	CHECK(lc_hash_bytes(LC_HASH_SEED, "", 0) == LC_HASH_SEED);
	CHECK(lc_hash_str(LC_HASH_SEED, "ab") != lc_hash_str(LC_HASH_SEED, "ba"));
}

/* Every position added under h, in the order the walk gives, into got[]. */
static size_t walk(const struct lc_hidx *x, uint64_t h, size_t *got, size_t max)
{
	struct lc_hidx_it it;
	size_t n = 0;

	for (size_t i = lc_hidx_first(x, h, &it); i != LC_HIDX_END; i = lc_hidx_next(x, &it))
		if (n < max)
			got[n++] = i;
	return n;
}

#define NSTR 20000

/* A string-keyed map through the index: the caller's array holds the keys. */
TEST(map_of_strings)
{
	static char keys[NSTR][16];
	struct lc_hidx x = LC_HIDX_INIT;
	struct lc_hidx_it it;
	size_t caps = 0, last_cap = 0;
	int bad_add = 0, bad_find = 0, bad_miss = 0;

	CHECK(lc_hidx_first(&x, 7, &it) == LC_HIDX_END); /* empty, never allocated */
	CHECK(lc_hidx_next(&x, &it) == LC_HIDX_END);
	for (size_t i = 0; i < NSTR; i++) {
		snprintf(keys[i], sizeof(keys[i]), "model-%zu", i);
		bad_add += lc_hidx_add(&x, lc_hash_str(LC_HASH_SEED, keys[i]), i) != 0;
		if (x.cap != last_cap) {
			caps++;
			last_cap = x.cap;
		}
		CHECK(x.n * 2 <= x.cap);
	}
	CHECK_INT(bad_add, 0);
	CHECK_INT(x.n, NSTR);
	CHECK(caps >= 8); /* grew from 64 to 65536 on the way */
	CHECK_INT(x.cap, 65536);
	for (size_t i = 0; i < NSTR; i++) {
		uint64_t h = lc_hash_str(LC_HASH_SEED, keys[i]);
		size_t found = LC_HIDX_END;

		for (size_t p = lc_hidx_first(&x, h, &it); p != LC_HIDX_END; p = lc_hidx_next(&x, &it))
			if (!strcmp(keys[p], keys[i]))
				found = p;
		bad_find += found != i;
	}
	CHECK_INT(bad_find, 0);
	for (size_t i = 0; i < 1000; i++) {
		char k[32];
		uint64_t h;

		snprintf(k, sizeof(k), "absent-%zu", i);
		h = lc_hash_str(LC_HASH_SEED, k);
		for (size_t p = lc_hidx_first(&x, h, &it); p != LC_HIDX_END; p = lc_hidx_next(&x, &it))
			bad_miss += !strcmp(keys[p], k);
	}
	CHECK_INT(bad_miss, 0);
	lc_hidx_release(&x);
	CHECK(x.slot == NULL && x.cap == 0 && x.n == 0);
}

/* Equal hashes (equal keys in a multimap, or a true collision): every
   position comes back, in the order added, also after the index grew. */
TEST(equal_hashes_in_order)
{
	struct lc_hidx x = LC_HIDX_INIT;
	size_t got[300], n, ok = 1;

	for (size_t i = 0; i < 300; i++) {
		CHECK_INT(lc_hidx_add(&x, 42, i * 3), 0);
		if (i == 20 || i == 299) {
			n = walk(&x, 42, got, 300);
			CHECK_INT(n, i + 1);
			for (size_t k = 0; k < n; k++)
				ok &= got[k] == k * 3;
		}
		CHECK_INT(lc_hidx_add(&x, 1000 + i, 5000 + i), 0); /* others between them */
	}
	CHECK(ok);
	CHECK_INT(walk(&x, 1000 + 17, got, 300), 1);
	CHECK_INT(got[0], 5017);
	CHECK_INT(walk(&x, 43, got, 300), 0);
	lc_hidx_release(&x);
}

/* Hashes that differ but share a home slot, some homed at the last slot so
   their run wraps to the start: each walk yields only its own hash's
   positions, in order, before and after growth. */
TEST(shared_homes_and_wrapping)
{
	struct lc_hidx x = LC_HIDX_INIT;
	uint64_t last[6], first[3];
	size_t nl = 0, nf = 0, got[8];
	int ok = 1;

	/* hashes homed at slot 63 and at slot 0 of the first table (64 slots) */
	for (uint64_t h = 1; nl < 6 || nf < 3; h++) {
		size_t home = (size_t)lc_hash_mix(h) & 63;

		if (home == 63 && nl < 6)
			last[nl++] = h;
		else if (home == 0 && nf < 3)
			first[nf++] = h;
	}
	/* two entries each under three of the slot-63 hashes, interleaved,
	   then the slot-0 ones (pushed further by the wrapped run) */
	for (int round = 0; round < 2; round++)
		for (int k = 0; k < 3; k++)
			CHECK_INT(lc_hidx_add(&x, last[k], (size_t)(k * 10 + round)), 0);
	for (int k = 0; k < 3; k++)
		CHECK_INT(lc_hidx_add(&x, first[k], (size_t)(100 + k)), 0);
	CHECK_INT(x.cap, 64);
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < 3; k++) {
			ok &= walk(&x, last[k], got, 8) == 2 && got[0] == (size_t)(k * 10) &&
			      got[1] == (size_t)(k * 10 + 1);
			ok &= walk(&x, first[k], got, 8) == 1 && got[0] == (size_t)(100 + k);
		}
		for (int k = 3; k < 6; k++)
			ok &= walk(&x, last[k], got, 8) == 0;
		/* grow: past 32 entries the table doubles */
		for (size_t i = 0; pass == 0 && i < 40; i++)
			CHECK_INT(lc_hidx_add(&x, 1ULL << 40 | i, 1000 + i), 0);
		if (pass == 0)
			CHECK(x.cap >= 128);
	}
	CHECK(ok);
	lc_hidx_release(&x);
}

TEST(clear_and_reuse)
{
	struct lc_hidx x = LC_HIDX_INIT;
	struct lc_hidx_it it;
	size_t cap;

	for (size_t i = 0; i < 100; i++)
		CHECK_INT(lc_hidx_add(&x, i, i), 0);
	cap = x.cap;
	lc_hidx_clear(&x);
	CHECK_INT(x.n, 0);
	CHECK_INT(x.cap, cap); /* memory kept */
	CHECK(lc_hidx_first(&x, 5, &it) == LC_HIDX_END);
	CHECK_INT(lc_hidx_add(&x, 5, 77), 0);
	CHECK_INT(lc_hidx_first(&x, 5, &it), 77);
	CHECK(lc_hidx_next(&x, &it) == LC_HIDX_END);
	CHECK(lc_hidx_add(&x, 6, SIZE_MAX) == -1); /* not a position */
	CHECK_INT(x.n, 1);
	lc_hidx_release(&x);
	lc_hidx_release(&x); /* twice is harmless */
}

int main(void)
{
	RUN(hash_values);
	RUN(map_of_strings);
	RUN(equal_hashes_in_order);
	RUN(shared_homes_and_wrapping);
	RUN(clear_and_reuse);
	return harness_done();
}

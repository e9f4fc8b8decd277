/*
 * test_usage_known.c - the edit distance behind `usage --project` and
 * `--model` suggestions (report/usage_known.h), against a plain
 * dynamic-programming Levenshtein written here, and its cap.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "usage_known.h"

/* The textbook table, no cap, ASCII letters folded. */
static int ref_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[32][32];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int ca = a[i - 1] >= 'A' && a[i - 1] <= 'Z' ? a[i - 1] + 32 : a[i - 1];
			int cb = b[j - 1] >= 'A' && b[j - 1] <= 'Z' ? b[j - 1] + 32 : b[j - 1];
			int m = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < m)
				m = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < m)
				m = d[i][j - 1] + 1;
			d[i][j] = m;
		}
	return d[la][lb];
}

static const struct {
	const char *a, *b;
	int want;
} cases[] = {
	{ "", "", 0 },
	{ "", "abc", 3 },
	{ "webshop", "webshop", 0 },
	{ "webshp", "webshop", 1 },
	{ "WebShop", "webshop", 0 },
	{ "llmcst", "llmcost", 1 },
	{ "kitten", "sitting", 3 },
	{ "flaw", "lawn", 2 },
	{ "gpt-4", "gpt-4o", 1 },
	{ "claude-sonet-4", "claude-sonnet-", 2 },
	{ "abc", "xyz", 3 },
};

TEST(distance_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_INT(usage_name_distance(cases[i].a, cases[i].b, 100), cases[i].want);
		CHECK_INT(ref_distance(cases[i].a, cases[i].b), cases[i].want);
	}
}

/* over the cap, any larger distance is cap + 1 (the scan stops early) */
TEST(distance_cap)
{
	CHECK_INT(usage_name_distance("kitten", "sitting", 2), 3);
	CHECK_INT(usage_name_distance("kitten", "sitting", 3), 3);
	CHECK_INT(usage_name_distance("a", "abcdefgh", 2), 3);
	CHECK_INT(usage_name_distance("nosuch", "webshop", 2), 3);
}

/* random strings over a small alphabet against the reference */
TEST(distance_random)
{
	unsigned seed = 12345;

	for (int n = 0; n < 2000; n++) {
		char a[12], b[12];
		size_t la, lb;

		seed = seed * 1103515245 + 12345;
		la = (seed >> 16) % 11;
		seed = seed * 1103515245 + 12345;
		lb = (seed >> 16) % 11;
		for (size_t i = 0; i < la; i++) {
			seed = seed * 1103515245 + 12345;
			a[i] = "abcAB-"[(seed >> 16) % 6];
		}
		for (size_t i = 0; i < lb; i++) {
			seed = seed * 1103515245 + 12345;
			b[i] = "abcAB-"[(seed >> 16) % 6];
		}
		a[la] = b[lb] = '\0';
		CHECK_INT(usage_name_distance(a, b, 100), ref_distance(a, b));
		{
			int r = ref_distance(a, b), c = usage_name_distance(a, b, 3);

			CHECK_INT(c, r > 3 ? 4 : r);
		}
	}
}

int main(void)
{
	RUN(distance_table);
	RUN(distance_random);
	RUN(distance_cap);
	return harness_done();
}

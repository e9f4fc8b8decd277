/*
 * fuzz_money.c - money_parse, money_from_double, money_cost, money_format,
 * money_format_usd and tokens_parse on arbitrary bytes.
 *
 * Invariants: nothing crashes or overreads; a value parsed at shift 9 and
 * formatted exactly (decimals -1) parses back to the same integer with no
 * rounding; a parsed token count is within [0, 10^12] and prints back as the
 * same digits; money_cost agrees with a 128-bit reference; the formatters
 * never write past the size they are given.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "money.h"

static void check_format(int64_t v)
{
	char buf[64], *small;
	int64_t back = 0;
	int rounded = 1;
	struct lc_err err = { 0 };

	money_format(buf, sizeof(buf), v, -1);
	FUZZ_CHECK(money_parse(buf, strlen(buf), 9, &back, &rounded, &err) == 0);
	FUZZ_CHECK(back == v);
	FUZZ_CHECK(rounded == 0);
	/* every fixed number of decimals parses, and is v rounded */
	for (int dec = 0; dec <= 12; dec += 3) {
		money_format(buf, sizeof(buf), v, dec);
		FUZZ_CHECK(money_parse(buf, strlen(buf), 9, &back, NULL, &err) == 0 ||
			   v > INT64_MAX - LC_NANO || v < INT64_MIN + LC_NANO);
	}
	/* bounded output: an exact-size heap buffer for every size 0..40 */
	for (size_t n = 0; n <= 40; n += 7) {
		small = malloc(n ? n : 1);
		if (!small)
			abort();
		money_format(small, n, v, (int)(n % 5) - 1);
		if (n)
			FUZZ_CHECK(memchr(small, '\0', n) != NULL);
		money_format_usd(small, n, v);
		if (n)
			FUZZ_CHECK(memchr(small, '\0', n) != NULL);
		free(small);
	}
	money_format_usd(buf, sizeof(buf), v);
	FUZZ_CHECK(buf[0] == '$' || buf[0] == '-');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_err err = { 0 };
	int64_t v = 0, t = 0;
	int rounded = 0;
	char *s;
	int shift;

	if (size < 1)
		return 0;
	shift = data[0] % 19; /* 0..18 */
	data++;
	size--;

	/* money_parse on the exact bytes (no NUL terminator: overreads show up) */
	s = malloc(size ? size : 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	if (money_parse(s, size, shift, &v, &rounded, &err) == 0) {
		FUZZ_CHECK(rounded == 0 || rounded == 1);
		if (shift == 9)
			check_format(v);
	} else {
		FUZZ_CHECK(err.code == LC_EDATA);
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	}
	/* parse at shift 9: the exact format round trip */
	if (money_parse(s, size, 9, &v, NULL, NULL) == 0)
		check_format(v);

	/* token counts */
	memset(&err, 0, sizeof(err));
	if (tokens_parse(s, size, &t, &err) == 0) {
		char buf[32];

		FUZZ_CHECK(t >= 0 && t <= LC_TOKENS_MAX);
		snprintf(buf, sizeof(buf), "%" PRId64, t);
		/* leading zeros are allowed in the input, so compare values */
		size_t k = 0;
		while (k + 1 < size && s[k] == '0')
			k++;
		FUZZ_CHECK(size - k == strlen(buf) && memcmp(s + k, buf, size - k) == 0);
	} else {
		FUZZ_CHECK(err.code == LC_EDATA);
	}
	free(s);

	/* 16 raw bytes: a double for money_from_double, two int64 for money_cost */
	if (size >= 16) {
		double d;
		int64_t a, b, c = 0;

		memcpy(&d, data, sizeof(d));
		memcpy(&a, data, sizeof(a));
		memcpy(&b, data + 8, sizeof(b));
		memset(&err, 0, sizeof(err));
		if (money_from_double(d, shift, &v, &rounded, &err) == 0)
			FUZZ_CHECK(isfinite(d) && (v == 0 || (v < 0) == (d < 0)));
		else
			FUZZ_CHECK(err.code == LC_EDATA);
		if (money_cost(a, b, &c, &err) == 0) {
			lc_i128 p = (lc_i128)a * b, q = p / 1000000, r = p % 1000000;

			FUZZ_CHECK(a >= 0 && b >= 0);
			if (r > 500000 || (r == 500000 && (q & 1)))
				q++;
			FUZZ_CHECK(c == q);
		} else {
			FUZZ_CHECK(a < 0 || b < 0 ||
				   money_muldiv(a, b, 1000000) > INT64_MAX);
		}
		check_format(a);
	}
	return 0;
}

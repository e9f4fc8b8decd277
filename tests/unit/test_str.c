/*
 * test_str.c - lib/str.h: LC_COPY / lc_strlcpy report every cut and always
 * terminate; ARRAY_SIZE counts elements.  (That LC_COPY and ARRAY_SIZE
 * reject a pointer, and that lib/banned.h rejects strcpy and friends, are
 * compile errors: tests/cli/t_banned.sh checks those.)
 */
#include "harness.h"
#include "str.h"

TEST(test_strlcpy)
{
	static const struct {
		const char *src;
		size_t n;
		int ret;
		const char *want;
	} c[] = {
		{ "", 1, 0, "" },
		{ "a", 1, -1, "" },       /* no room but the NUL */
		{ "abc", 4, 0, "abc" },   /* exactly fits */
		{ "abcd", 4, -1, "abc" }, /* one too long */
		{ "abcdefgh", 3, -1, "ab" },
		{ "caf\xc3\xa9", 8, 0, "caf\xc3\xa9" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		char buf[16];

		memset(buf, 'x', sizeof(buf));
		CHECK_INT(lc_strlcpy(buf, c[i].src, c[i].n), c[i].ret);
		CHECK_STR(buf, c[i].want);
		/* nothing written past n */
		CHECK_INT(buf[c[i].n], 'x');
	}
}

TEST(test_copy_macro)
{
	char small[4], big[64];
	struct {
		char name[8];
	} s;

	CHECK_INT(LC_COPY(small, "abc"), 0);
	CHECK_STR(small, "abc");
	CHECK_INT(LC_COPY(small, "abcd"), -1);
	CHECK_STR(small, "abc");
	CHECK_INT(LC_COPY(big, "a longer string"), 0);
	CHECK_STR(big, "a longer string");
	CHECK_INT(LC_COPY(s.name, "12345678"), -1);
	CHECK_STR(s.name, "1234567");
	CHECK_INT(LC_COPY(s.name, "1234567"), 0);
}

TEST(test_array_size)
{
	int a[7];
	char m[3][5];
	static const char *const names[] = { "x", "y" };
	enum { N = ARRAY_SIZE(a) }; /* an integer constant expression */

	(void)a;
	CHECK_INT(N, 7);
	CHECK_INT(ARRAY_SIZE(m), 3);
	CHECK_INT(ARRAY_SIZE(m[0]), 5);
	CHECK_INT(ARRAY_SIZE(names), 2);
}

int main(void)
{
	RUN(test_strlcpy);
	RUN(test_copy_macro);
	RUN(test_array_size);
	return harness_done();
}

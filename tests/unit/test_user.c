/*
 * test_user.c - lib/user.h: which user names lc_user_check takes (1 to 255
 * bytes of printable UTF-8), and the order lc_user_identity picks a name in
 * (the option, $LLMCOST_USER, USER@HOST).
 */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "user.h"

TEST(test_check)
{
	static char longest[LC_USER_MAX], over[LC_USER_MAX + 1];
	static const struct {
		const char *name;
		int ok;
	} c[] = {
		{ "alice", 1 },
		{ "alice@laptop.example", 1 },
		{ "Jürgen Weiß", 1 },
		{ "with space", 1 },
		{ "", 0 },
		{ "tab\there", 0 },
		{ "new\nline", 0 },
		{ "esc\033[31m", 0 },
		{ "del\x7f", 0 },
		{ "c1\xc2\x85", 0 },          /* U+0085, a C1 control */
		{ "bidi\xe2\x80\xae", 0 },    /* U+202E, right-to-left override */
		{ "bad\xff", 0 },             /* not UTF-8 */
		{ "over\xc0\xaf", 0 },        /* an overlong '/' */
	};
	struct lc_err err = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(c); i++)
		CHECK_INT(lc_user_check(c[i].name, "--user", &err), c[i].ok ? 0 : -1);
	memset(longest, 'u', sizeof(longest) - 1);
	memset(over, 'u', sizeof(over) - 1);
	CHECK_INT(lc_user_check(longest, "--user", &err), 0);
	CHECK_INT(lc_user_check(over, "--user", &err), -1);
	CHECK_INT(err.code, LC_EUSAGE);
	CHECK_STR(err.msg, "--user: a user name of 256 bytes is over the 255-byte limit");
	CHECK_INT(lc_user_check("", "LLMCOST_USER", &err), -1);
	CHECK_STR(err.msg, "LLMCOST_USER: a user name must not be empty");
}

TEST(test_identity)
{
	char out[LC_USER_MAX], host[256], want[LC_USER_MAX + 300];
	struct lc_err err = { 0 };

	setenv("LLMCOST_USER", "from-env", 1);
	CHECK_INT(lc_user_identity("from-option", out, &err), 0);
	CHECK_STR(out, "from-option");
	CHECK_INT(lc_user_identity(NULL, out, &err), 0);
	CHECK_STR(out, "from-env");
	/* a bad name is refused, whichever gave it */
	CHECK_INT(lc_user_identity("", out, &err), -1);
	CHECK_INT(err.code, LC_EUSAGE);
	setenv("LLMCOST_USER", "a\tb", 1);
	CHECK_INT(lc_user_identity(NULL, out, &err), -1);
	CHECK_STR(err.msg, "LLMCOST_USER: a user name must be printable UTF-8 (byte 2 is not)");
	/* the option still beats a bad variable */
	CHECK_INT(lc_user_identity("ok", out, &err), 0);
	unsetenv("LLMCOST_USER");
	setenv("USER", "someone", 1);
	CHECK_INT(gethostname(host, sizeof(host)), 0);
	snprintf(want, sizeof(want), "someone@%s", host);
	CHECK_INT(lc_user_identity(NULL, out, &err), 0);
	CHECK_STR(out, want);
}

int main(void)
{
	RUN(test_check);
	RUN(test_identity);
	return harness_done();
}

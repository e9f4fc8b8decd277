/*
 * user.c - the user identity of ingested records (see user.h).
 */
#include "user.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"

int lc_user_check(const char *name, const char *what, struct lc_err *err)
{
	size_t len = strlen(name);

	if (!len)
		return lc_errf(err, LC_EUSAGE, "%s: a user name must not be empty", what);
	if (len >= LC_USER_MAX)
		return lc_errf(err, LC_EUSAGE, "%s: a user name of %zu bytes is over the %d-byte limit",
			       what, len, LC_USER_MAX - 1);
	for (size_t i = 0; i < len;) {
		int unsafe = 0, k = esc_scan(name + i, len - i, &unsafe);

		if (k == 0 || unsafe)
			return lc_errf(err, LC_EUSAGE,
				       "%s: a user name must be printable UTF-8 (byte %zu is not)",
				       what, i + 1);
		i += (size_t)k;
	}
	return 0;
}

/* USER@HOST into out: 0, or -1 with err when either part is unknown. */
static int default_identity(char out[LC_USER_MAX], struct lc_err *err)
{
	const char *user = getenv("USER");
	char host[256];
	int n;

	if (!user || !*user) {
		const struct passwd *pw = getpwuid(getuid());

		user = pw && pw->pw_name ? pw->pw_name : NULL;
	}
	if (!user || !*user)
		return lc_errf(err, LC_EUSAGE,
			       "no user name to file usage under ($USER is unset and the user id has "
			       "no name); give --user NAME or set LLMCOST_USER");
	if (gethostname(host, sizeof(host)) != 0 || !host[0])
		return lc_errf(err, LC_EUSAGE,
			       "no host name to file usage under; give --user NAME or set LLMCOST_USER");
	host[sizeof(host) - 1] = '\0';
	n = snprintf(out, LC_USER_MAX, "%s@%s", user, host);
	if (n < 0 || n >= LC_USER_MAX)
		return lc_errf(err, LC_EUSAGE,
			       "the default user name '%s@%s' is over the %d-byte limit; give --user "
			       "NAME or set LLMCOST_USER", user, host, LC_USER_MAX - 1);
	return lc_user_check(out, "the default user name ($USER@host)", err);
}

int lc_user_identity(const char *opt, char out[LC_USER_MAX], struct lc_err *err)
{
	const char *env = getenv("LLMCOST_USER");

	if (opt) {
		if (lc_user_check(opt, "--user", err))
			return -1;
		lc_strlcpy(out, opt, LC_USER_MAX); /* checked: it fits */
		return 0;
	}
	if (env) {
		if (lc_user_check(env, "LLMCOST_USER", err))
			return -1;
		lc_strlcpy(out, env, LC_USER_MAX);
		return 0;
	}
	return default_identity(out, err);
}

/*
 * user.h - who produced a usage record: the user identity stored with each
 * record (usage_dims.user_name, schema version 10), so one store can hold a
 * team's usage and report it per user (`usage user`, `--user NAME`).
 */
#ifndef LC_USER_H
#define LC_USER_H

#include "err.h"

/* A user name is kept whole up to LC_USER_MAX - 1 bytes (255). */
#define LC_USER_MAX 256

/*
 * Check a user name given as `what` (an option or variable name, for the
 * message): non-empty, at most LC_USER_MAX - 1 bytes, valid UTF-8 without
 * control, C1 or bidirectional-override characters.  0, or -1 with
 * LC_EUSAGE naming `what`.
 */
int lc_user_check(const char *name, const char *what, struct lc_err *err);

/*
 * The identity of the records ingested now into out: opt (--user) when not
 * NULL, else $LLMCOST_USER when set, else USER@HOST (USER from $USER, else
 * the password entry of the real user id; HOST from gethostname(), as it
 * gives it).  The name chosen is checked (lc_user_check); a default that
 * cannot be made (no user name, no host name) is -1 with LC_EUSAGE asking
 * for --user.
 */
int lc_user_identity(const char *opt, char out[LC_USER_MAX], struct lc_err *err);

#endif

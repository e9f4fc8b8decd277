/*
 * usage_known.h - is a project (a model, a user) someone names one the
 * stored usage has, and if not, which known ones it is likely a typo of
 * (`usage --project`, `--model`, `--user`, `budget set --project`, `--user`).
 */
#ifndef LC_REPORT_USAGE_KNOWN_H
#define LC_REPORT_USAGE_KNOWN_H

#include <stddef.h>

#include "db.h"
#include "err.h"

/*
 * 1 when some usage record's project is want, or ends in "/" + want (the
 * match of `usage --project`: a whole path or its last folders); 0 when
 * none is, with hint filled (n bytes, always terminated) with what to tell
 * the user: "did you mean 'a' or 'b'?" (the known names closest to want by
 * edit distance, a name that starts with want counting as close; the last
 * folder of a path), else "known projects: a, b, c" (the first few), else
 * "the store holds no usage yet".  -1 with err on a database error.
 */
int usage_project_known(struct lc_db *db, const char *want, char *hint, size_t n,
			struct lc_err *err);

/*
 * The same for a model: 1 when some usage record's model (its catalogue id
 * or its logged name) is want, as `usage --model` matches; else 0 with the
 * near names, or "models with usage: ...".
 */
int usage_model_known(struct lc_db *db, const char *want, char *hint, size_t n,
		      struct lc_err *err);

/*
 * The same for a user: 1 when some usage record's user is want (whole);
 * else 0 with the near names, or "users with usage: ..." (records of
 * stores older than schema version 10 have no user and are not listed).
 */
int usage_user_known(struct lc_db *db, const char *want, char *hint, size_t n,
		     struct lc_err *err);

/* The edit distance (Levenshtein, byte-wise, ASCII letters folded) of a and
   b, counting at most up to cap + 1 (anything larger is returned as cap + 1). */
int usage_name_distance(const char *a, const char *b, int cap);

#endif

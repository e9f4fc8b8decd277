/*
 * usage_hook.h - the JSON Claude Code writes to a statusLine command's
 * standard input (https://docs.claude.com/en/docs/claude-code/statusline):
 * an object with session_id, transcript_path, cwd, model {id,
 * display_name}, workspace {current_dir, project_dir}, version, cost {...}.
 * llmcost reads the fields it needs and ignores the rest.
 */
#ifndef LC_USAGE_HOOK_H
#define LC_USAGE_HOOK_H

#include <stddef.h>

#include "db_usage.h"
#include "err.h"

struct usage_hook {
	char session_id[LC_NAME_MAX];     /* "" when absent */
	char transcript_path[LC_PATH_MAX]; /* "" when absent */
	char model_id[LC_ID_MAX];         /* "" when absent */
	char model_name[LC_ID_MAX];       /* display_name; "" when absent */
};

/*
 * Parse the hook's JSON (n bytes at p).  Missing fields are left empty; a
 * field of the wrong type, a value too long, text that is not one JSON
 * object, or empty input: -1 with LC_EDATA naming the field.
 */
int usage_hook_parse(const char *p, size_t n, struct usage_hook *out, struct lc_err *err);

/*
 * The time of the first message of a transcript: the first "timestamp"
 * value in its first 64 KiB (Claude Code writes in time order).  1 with
 * *out set, 0 when there is none (or the file cannot be read).  The status
 * line sums the session's cost from there, so it reads only the rollup's
 * buckets since the session began.
 */
int usage_hook_first_time(const char *path, int64_t *out);

#endif

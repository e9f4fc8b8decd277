/*
 * xalloc.h - llmcost's one out-of-memory policy: allocate or exit.
 *
 * xmalloc, xcalloc, xrealloc, xstrdup and xstrndup never return NULL.  When
 * the allocation fails they print "llmcost: error: out of memory" on stderr
 * and end the process with exit code 1 (LC_ERUNTIME), as git's and redis's
 * allocators do: so callers do not test for NULL, and there are no
 * recovery branches that no test ever runs.  Ending the process loses
 * nothing stored: SQLite rolls back the open transaction when the store is
 * next opened.  A size of 0 allocates 1 byte (never NULL).
 *
 * The only exception to "library code never exits" (HACKING.md).  What
 * SQLite, cJSON, libcurl and asprintf allocate is still checked where it is
 * called.
 *
 * For tests, LLMCOST_XALLOC_FAIL=N makes the Nth x-allocation of the
 * process (1 = the first) fail as if memory had run out.
 */
#ifndef LC_XALLOC_H
#define LC_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif

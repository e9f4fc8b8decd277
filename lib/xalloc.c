/*
 * xalloc.c - allocate or exit (see xalloc.h).  The failure path writes its
 * message with write(2), which needs no memory, and leaves with _exit: no
 * atexit handler or stdio flush that might allocate runs.
 */
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

static long fail_at = -1; /* LLMCOST_XALLOC_FAIL: -1 unread, 0 never */
static long count;

static _Noreturn void oom(void)
{
	static const char msg[] = "llmcost: error: out of memory\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);

	(void)r;
	_exit(LC_ERUNTIME);
}

/* The test hook: does this allocation fail on purpose? */
static int fail_now(void)
{
	if (fail_at < 0) {
		const char *e = getenv("LLMCOST_XALLOC_FAIL");

		fail_at = e ? strtol(e, NULL, 10) : 0;
		if (fail_at < 0)
			fail_at = 0;
	}
	return fail_at > 0 && ++count == fail_at;
}

void *xmalloc(size_t n)
{
	void *p = fail_now() ? NULL : malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = fail_now() ? NULL : calloc(n && size ? n : 1, n && size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = fail_now() ? NULL : realloc(p, n ? n : 1);

	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

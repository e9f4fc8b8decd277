/*
 * test_xalloc.c - lib/xalloc.h: the allocators return usable memory, and
 * when an allocation fails (LLMCOST_XALLOC_FAIL=N fails the Nth) the
 * process prints "llmcost: error: out of memory" and exits 1.  Each failing
 * case runs in a child process; this process itself never x-allocates
 * before the children, so each child reads the variable afresh.
 */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

enum { XMALLOC, XCALLOC, XREALLOC, XSTRDUP, XSTRNDUP };

/* In a child with LLMCOST_XALLOC_FAIL=fail_at: `calls` allocations of kind
   k.  Returns the exit status; the child's stderr into msg. */
static int child(int k, const char *fail_at, int calls, char *msg, size_t n)
{
	int fd[2], status = -1;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		setenv("LLMCOST_XALLOC_FAIL", fail_at, 1);
		for (int i = 0; i < calls; i++) {
			void *p = NULL;

			switch (k) {
			case XMALLOC: p = xmalloc(16); break;
			case XCALLOC: p = xcalloc(4, 4); break;
			case XREALLOC: p = xrealloc(NULL, 16); break;
			case XSTRDUP: p = xstrdup("abc"); break;
			case XSTRNDUP: p = xstrndup("abcdef", 3); break;
			}
			free(p);
		}
		_exit(0);
	}
	close(fd[1]);
	ssize_t r = read(fd[0], msg, n - 1);
	msg[r > 0 ? r : 0] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(test_failure_exits)
{
	char msg[256];

	for (int k = XMALLOC; k <= XSTRNDUP; k++) {
		CHECK_INT(child(k, "1", 1, msg, sizeof(msg)), 1);
		CHECK_STR(msg, "llmcost: error: out of memory\n");
		/* the third allocation fails: the first two were fine */
		CHECK_INT(child(k, "3", 5, msg, sizeof(msg)), 1);
		CHECK_STR(msg, "llmcost: error: out of memory\n");
		/* fewer allocations than the failing one: no failure */
		CHECK_INT(child(k, "3", 2, msg, sizeof(msg)), 0);
		CHECK_STR(msg, "");
		/* 0 and junk: never fail */
		CHECK_INT(child(k, "0", 5, msg, sizeof(msg)), 0);
		CHECK_INT(child(k, "-4", 5, msg, sizeof(msg)), 0);
	}
}

TEST(test_allocations)
{
	char *p = xmalloc(0), *q;
	int *z = xcalloc(8, sizeof(int));

	CHECK(p != NULL);
	free(p);
	for (int i = 0; i < 8; i++)
		CHECK_INT(z[i], 0);
	z = xrealloc(z, 1000 * sizeof(int));
	CHECK_INT(z[7], 0);
	z[999] = 5;
	CHECK_INT(z[999], 5);
	free(z);
	p = xcalloc(0, 0);
	CHECK(p != NULL);
	free(p);
	q = xstrdup("hello");
	CHECK_STR(q, "hello");
	free(q);
	q = xstrndup("hello", 3);
	CHECK_STR(q, "hel");
	free(q);
	q = xstrndup("hi", 10);
	CHECK_STR(q, "hi");
	free(q);
}

int main(void)
{
	RUN(test_failure_exits); /* first: no x-allocation before the children */
	RUN(test_allocations);
	return harness_done();
}

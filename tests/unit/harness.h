/*
 * harness.h - a tiny table-friendly unit test harness.
 *
 * Each test file defines tests with TEST(name) { ... } and lists them in
 * main() via RUN(name).  CHECK* macros record a failure with file:line and go
 * on.  main() ends with `return harness_done();`, which prints
 * "N passed, N failed" and returns non-zero when anything failed.
 */
#ifndef LC_HARNESS_H
#define LC_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int harness_pass, harness_fail;

#define TEST(name) static void name(void)
#define RUN(name) name()

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond)                                                    \
			harness_pass++;                                      \
		else {                                                       \
			harness_fail++;                                      \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                            \
		}                                                            \
	} while (0)

#define CHECK_INT(got, want)                                                  \
	do {                                                                  \
		long long g_ = (long long)(got), w_ = (long long)(want);      \
		if (g_ == w_)                                                 \
			harness_pass++;                                       \
		else {                                                        \
			harness_fail++;                                       \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",      \
				__FILE__, __LINE__, #got, g_, w_);            \
		}                                                             \
	} while (0)

#define CHECK_STR(got, want)                                                  \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		if (g_ && w_ && strcmp(g_, w_) == 0)                          \
			harness_pass++;                                       \
		else {                                                        \
			harness_fail++;                                       \
			fprintf(stderr, "%s:%d: %s = \"%s\", want \"%s\"\n",  \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_ ? w_ : "(null)");                          \
		}                                                             \
	} while (0)

static inline int harness_done(void)
{
	printf("%d passed, %d failed\n", harness_pass, harness_fail);
	return harness_fail ? 1 : 0;
}

#endif

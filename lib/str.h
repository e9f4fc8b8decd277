/*
 * str.h - fixed-size string copies that say when they cut, and ARRAY_SIZE.
 *
 * Every .c file gets this through lib/compat.h (the Makefile's -include).
 * Copy into a char array with LC_COPY(dst, src): the size comes from the
 * array itself (a pointer does not compile), the result is always
 * NUL-terminated, and the return value is -1 when src did not fit and was
 * cut (to the first sizeof(dst) - 1 bytes), else 0.  Check it wherever a
 * cut string would be wrong rather than merely shorter (a key, a path, a
 * name looked up later).  lib/banned.h makes strcpy, strcat, strncpy,
 * strncat, sprintf and vsprintf compile errors.
 */
#ifndef LC_STR_H
#define LC_STR_H

#include <stddef.h>
#include <string.h>

/* 0 when cond holds; a compile error otherwise (an integer constant expression). */
#define LC_BUILD_ASSERT_OR_ZERO(cond) (sizeof(char[1 - 2 * !(cond)]) - 1)
/* 0 when a is an array; a compile error when it is a pointer. */
#define LC_MUST_BE_ARRAY(a) \
	LC_BUILD_ASSERT_OR_ZERO(!__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])))

/* The number of elements of the array a (not a pointer: that does not compile). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]) + LC_MUST_BE_ARRAY(a))

/*
 * Copy the string src into dst[0..n) (n > 0), always NUL-terminated.
 * Returns 0, or -1 when src is n bytes or longer and was cut to n - 1.
 */
static inline int lc_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (len < n) {
		memcpy(dst, src, len + 1);
		return 0;
	}
	memcpy(dst, src, n - 1);
	dst[n - 1] = '\0';
	return -1;
}

/* lc_strlcpy into the char array dst, whose size it takes. */
#define LC_COPY(dst, src) lc_strlcpy((dst), (src), sizeof(dst) + LC_MUST_BE_ARRAY(dst))

#endif

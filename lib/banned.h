/*
 * banned.h - C library functions llmcost does not use, made compile errors
 * (as git's banned.h does).  Included last by lib/compat.h, after the system
 * headers that declare them.
 *
 *   strcpy, strcat      no bound: overflow           -> LC_COPY (lib/str.h)
 *   strncpy             no NUL when cut, pads zeros  -> LC_COPY
 *   strncat             a bound that is easy to get wrong -> snprintf
 *   sprintf, vsprintf   no bound                     -> snprintf, vsnprintf, asprintf
 *
 * A call reads as "sorry_strcpy_is_banned" in the compiler's error.
 */
#ifndef LC_BANNED_H
#define LC_BANNED_H

#define BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)

#endif

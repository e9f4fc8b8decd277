/*
 * compat.h - included first into every C file of llmcost (the Makefile
 * compiles with -include lib/compat.h), as git's git-compat-util.h is: the
 * system headers whose functions lib/banned.h bans, then lib/str.h
 * (LC_COPY, ARRAY_SIZE) and lib/xalloc.h (xmalloc, ...), then banned.h
 * itself, which must come after every declaration of what it bans.
 */
#ifndef LC_COMPAT_H
#define LC_COMPAT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "xalloc.h"
#include "banned.h"

#endif

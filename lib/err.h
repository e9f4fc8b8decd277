/*
 * err.h - error reporting shared by every layer.
 *
 * Library code never prints and never exits: it fills a caller's struct lc_err
 * and returns -1.  cmd/ prints "llmcost: error: <msg>" and exits with err.code,
 * one of the documented exit codes below.
 */
#ifndef LC_ERR_H
#define LC_ERR_H

#include <stdarg.h>

enum lc_exit {
	LC_OK = 0,
	LC_ERUNTIME = 1, /* runtime failure (gnuplot missing, I/O on output) */
	LC_EUSAGE = 2,   /* usage error: unknown option, malformed date/number */
	LC_EDATA = 3,    /* bad input data, unknown model name */
	LC_ENET = 4,     /* network or fetch failure */
	LC_EDB = 5,      /* database failure */
	LC_EBUDGET = 6,  /* budget status: forecast over budget */
};

struct lc_err {
	int code;       /* one of enum lc_exit; 0 when no error */
	char msg[1024]; /* human-readable, no trailing newline, no "error:" prefix */
};

/* Fill err (may be NULL) with code and a printf-style message; returns -1. */
int lc_errf(struct lc_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix err->msg with a printf-style context ("reading 'x': " + old msg); returns -1. */
int lc_err_prefix(struct lc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

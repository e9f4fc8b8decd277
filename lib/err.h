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

/*
 * Why an error happened, for callers that must act on the kind of failure
 * (never on the message's text).  lc_errf resets it to LC_R_NONE; the code
 * that knows the kind sets it with lc_err_reason after lc_errf.
 */
enum lc_reason {
	LC_R_NONE = 0,
	LC_R_UNKNOWN_NAME, /* a model name the catalogue does not know */
	LC_R_UNPRICEABLE,  /* the offering cannot price this usage (no token price) */
	LC_R_OUT_OF_RANGE, /* a cost or a count too large for int64 nano-USD */
};

struct lc_err {
	int code;       /* one of enum lc_exit; 0 when no error */
	char msg[1024]; /* human-readable, no trailing newline, no "error:" prefix */
	int reason;     /* enum lc_reason; LC_R_NONE unless the failing code set it */
};

/* Fill err (may be NULL) with code and a printf-style message, reason
   LC_R_NONE; returns -1. */
int lc_errf(struct lc_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set err->reason (err may be NULL); returns -1, for `return lc_err_reason(...)`. */
int lc_err_reason(struct lc_err *err, enum lc_reason reason);

/* Prefix err->msg with a printf-style context ("reading 'x': " + old msg); returns -1. */
int lc_err_prefix(struct lc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

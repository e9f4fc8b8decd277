/* err.c - fill struct lc_err; see err.h. */
#include "err.h"

#include <stdio.h>
#include <string.h>

int lc_errf(struct lc_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	err->reason = LC_R_NONE;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int lc_err_reason(struct lc_err *err, enum lc_reason reason)
{
	if (err)
		err->reason = reason;
	return -1;
}

int lc_err_prefix(struct lc_err *err, const char *fmt, ...)
{
	char pre[512], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	{
		size_t a = strnlen(pre, sizeof(pre)), room = sizeof(err->msg) - 1;
		size_t b = strnlen(old, sizeof(old));

		if (a > room)
			a = room;
		if (b > room - a)
			b = room - a;
		memcpy(err->msg, pre, a);
		memcpy(err->msg + a, old, b);
		err->msg[a + b] = '\0';
	}
	return -1;
}

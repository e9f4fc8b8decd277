/*
 * date.h - calendar dates and UTC instants without the C library's time zone
 * state, except where a report asks for a named zone.
 *
 * A date is an int32 count of days since 1970-01-01 (proleptic Gregorian).
 * An instant is int64 milliseconds since the Unix epoch, UTC.
 */
#ifndef LC_DATE_H
#define LC_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef int32_t lc_date;
typedef int64_t lc_ms;

/* Days since the epoch for y-m-d; no validation. */
lc_date date_from_ymd(int y, int m, int d);
/* Inverse of date_from_ymd. */
void date_to_ymd(lc_date day, int *y, int *m, int *d);
/* 1 when y-m-d is a real calendar date with 1 <= y <= 9999. */
int date_valid(int y, int m, int d);
int days_in_month(int y, int m);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday(lc_date day);
/* Add n months, clamping the day to the month's length (Jan 31 + 1 = Feb 28/29). */
lc_date date_add_months(lc_date day, int n);

/*
 * Parse a strict "YYYY-MM-DD" (exactly 10 characters of len) into *out.
 * Returns -1 with LC_EUSAGE and a message naming the text on failure
 * (callers reading data files re-code it to LC_EDATA).
 */
int date_parse(const char *s, size_t len, lc_date *out, struct lc_err *err);

/* Write "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *date_format(char *buf, size_t n, lc_date day);

/*
 * Parse a strict RFC 3339 / ISO 8601 instant: "YYYY-MM-DDTHH:MM:SS" ('T', 't'
 * or ' ' as separator), optional fraction of 1-9 digits (kept to the
 * millisecond, truncated), then 'Z', 'z' or "+HH:MM"/"-HH:MM" (also "+HHMM").
 * A timestamp without a zone is rejected ("no time zone").  A leap second
 * (second 60, any fraction) is accepted only where one can be inserted, in
 * the last minute of a UTC day (23:59:60Z, 00:59:60+01:00), and read as the
 * last millisecond of that minute: 23:59:59.999Z.  Second 60 elsewhere,
 * second 61, invalid dates, years outside 1970..9999 and instants past
 * 9999-12-31T23:59:59.999Z (UTC) are rejected.  -1 with LC_EDATA.
 */
int ts_parse(const char *s, size_t len, lc_ms *out, struct lc_err *err);

/* Format an instant as "YYYY-MM-DDTHH:MM:SS.mmmZ" (buf >= 25 bytes). */
char *ts_format(char *buf, size_t n, lc_ms t);

/* The UTC date of an instant. */
lc_date ts_date_utc(lc_ms t);

/*
 * The local calendar date of an instant in the IANA zone `zone` (e.g.
 * "Europe/Berlin"); NULL or "" or "UTC" means UTC.  Returns -1 (LC_EUSAGE)
 * when the zone is unknown (no file under /usr/share/zoneinfo).
 */
int ts_date_in_zone(lc_ms t, const char *zone, lc_date *out, struct lc_err *err);
/*
 * The same for n instants t[] at once (one switch of the C library's zone):
 * days[i] is the local date of t[i] and, when offsets is not NULL,
 * offsets[i] its offset from UTC in seconds (historical offsets need not be
 * whole minutes: Africa/Monrovia was -0:44:30 until 1972).  Zones under
 * right/ (which count leap seconds) are unknown zones here.
 */
int ts_local_in_zone(const lc_ms *t, size_t n, const char *zone, lc_date *days, long *offsets,
		     struct lc_err *err);

/*
 * Keep the C library's zone at `zone` until zone_unhold(), so that the
 * ts_local_in_zone calls for that zone in between skip the switch and its
 * zone-file read (a report makes one per 15-minute bucket).  Nothing to do
 * for UTC or when a zone is already held.  -1 (LC_EUSAGE) for an unknown
 * zone.  Not thread-safe, like ts_local_in_zone.
 */
int zone_hold(const char *zone, struct lc_err *err);
void zone_unhold(void);

/*
 * Now, as an instant.  The environment variable LLMCOST_NOW (an RFC 3339
 * instant or a YYYY-MM-DD date, meaning midnight UTC) overrides the clock so
 * tests are deterministic.
 */
lc_ms lc_now(void);
/* Today's UTC date, honouring LLMCOST_NOW. */
lc_date lc_today(void);

/*
 * 1 when zone names UTC itself (NULL, "", "UTC", "Etc/UTC", "GMT",
 * "Zulu", ...: the names whose file is UTC with no offset ever), so
 * callers can take the fast path without the C library's zone machinery.
 */
int zone_is_utc(const char *zone);

/*
 * The zone reports use when none is asked for, into buf (at least 256
 * bytes): $TZ when it is set (an IANA name such as "Europe/Berlin", also
 * written ":Europe/Berlin"; an empty TZ is UTC), else the system zone, the
 * name /etc/localtime links to under a zoneinfo folder (or, when it is a
 * copy, the name in /etc/timezone); no /etc/localtime is UTC, as for the C
 * library.  LLMCOST_ETC names another folder than /etc (tests).  Returns 0,
 * or 1 when the zone could not be named or is unknown: buf is then "UTC"
 * and *why (when not NULL) a constant sentence saying why, for a note.
 */
int zone_local(char *buf, size_t n, const char **why);

/*
 * A day given on the command line as a range bound: a date, or a day
 * counted back from today, which is only known once the report's zone is.
 */
enum day_spec_kind {
	DAY_NONE = 0,   /* not given */
	DAY_DATE,       /* .day */
	DAY_BACK,       /* today - .n days */
	DAY_MONTHS,     /* today - .n months + 1 day */
};
struct day_spec {
	enum day_spec_kind kind;
	int n;
	lc_date day;
};

/* The forms day_spec_parse accepts, for messages and help. */
#define DAY_SPEC_FORMS "YYYY-MM-DD, YYYYMMDD, today, yesterday, Nd, Nw or Nm"

/*
 * Parse s into *out: "YYYY-MM-DD" or "YYYYMMDD" (a real date), "today",
 * "yesterday", or N followed by d, w or m (1 <= N <= 9999): the first day of
 * the last N days, weeks (7N days) or months, today included, so that
 * "7d" .. today is 7 days, "1w" the same, and on 2026-03-15 "3m" is
 * 2025-12-16 (the day after the same day 3 months back, the day clamped to
 * the month's length).  -1 with LC_EUSAGE "malformed date 's'" otherwise.
 */
int day_spec_parse(const char *s, struct day_spec *out, struct lc_err *err);
/* The date *d means when today is `today` (d->kind != DAY_NONE). */
lc_date day_spec_resolve(const struct day_spec *d, lc_date today);

#endif

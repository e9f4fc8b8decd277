/*
 * date.c - civil dates and UTC instants by integer arithmetic; see date.h.
 *
 * Dates are days since 1970-01-01 in the proleptic Gregorian calendar,
 * converted with the era/day-of-era method (400-year eras of 146097 days,
 * years starting in March so the leap day is last).  Instants are
 * milliseconds since the epoch.  Only ts_local_in_zone() (and zone_hold(),
 * which keeps a zone set across a report's many calls, since every switch
 * re-reads a zone file) touches the C library's time zone machinery (TZ +
 * localtime_r), and TZ is restored afterwards; it is therefore not
 * thread-safe.  The zone a report uses by default comes from $TZ or the
 * system's /etc/localtime (zone_local); relative range bounds ("7d") are
 * parsed here too (day_spec_parse).
 */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MS_PER_DAY 86400000LL
#define QUOTE_MAX 200

static int quote_len(size_t len)
{
	return len > QUOTE_MAX ? QUOTE_MAX : (int)len;
}

/* Floor division and modulo for a positive divisor. */
static long long floordiv(long long a, long long b)
{
	long long q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static long long floormod(long long a, long long b)
{
	return a - floordiv(a, b) * b;
}

static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = floordiv(y, 400);
	yoe = y - era * 400;                                /* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;        /* [0, 146096] */
	return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
}

lc_date date_from_ymd(int y, int m, int d)
{
	/* Months outside 1..12 carry into the year. */
	long long yy = (long long)y + floordiv((long long)m - 1, 12);
	int mm = (int)floormod((long long)m - 1, 12) + 1;

	return (lc_date)days_from_civil(yy, mm, 1) + (d - 1);
}

void date_to_ymd(lc_date day, int *y, int *m, int *d)
{
	long long z = (long long)day + 719468;
	long long era = floordiv(z, 146097);
	long long doe = z - era * 146097;                              /* [0, 146096] */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);       /* [0, 365] */
	long long mp = (5 * doy + 2) / 153;                            /* [0, 11], March = 0 */
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	long long yy = yoe + era * 400 + (mm <= 2);

	if (y)
		*y = (int)yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

int date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

int date_weekday(lc_date day)
{
	/* 1970-01-01 was a Thursday (3). */
	return (int)floormod((long long)day + 3, 7);
}

lc_date date_add_months(lc_date day, int n)
{
	int y, m, d, dim;
	long long t;

	date_to_ymd(day, &y, &m, &d);
	t = (long long)y * 12 + (m - 1) + n;
	y = (int)floordiv(t, 12);
	m = (int)floormod(t, 12) + 1;
	dim = days_in_month(y, m);
	if (d > dim)
		d = dim;
	return date_from_ymd(y, m, d);
}

/* n digits at s as a number, or -1 when any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" at s (10 characters available); 0 or -1. */
static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (s[4] != '-' || s[7] != '-')
		return -1;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	if (*y < 0 || *m < 0 || *d < 0 || !date_valid(*y, *m, *d))
		return -1;
	return 0;
}

int date_parse(const char *s, size_t len, lc_date *out, struct lc_err *err)
{
	int y, m, d;

	if (!s || len != 10 || parse_ymd(s, &y, &m, &d) < 0)
		return lc_errf(err, LC_EUSAGE, "malformed date '%.*s'",
			       s ? quote_len(len) : 0, s ? s : "");
	*out = date_from_ymd(y, m, d);
	return 0;
}

char *date_format(char *buf, size_t n, lc_date day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
	return buf;
}

int ts_parse(const char *s, size_t len, lc_ms *out, struct lc_err *err)
{
	int y, mo, d, h, mi, sec, ms = 0, oh, om, off = 0, leap;
	lc_ms t;
	size_t i;

	if (!s)
		return lc_errf(err, LC_EDATA, "malformed timestamp ''");
	if (len < 19 || parse_ymd(s, &y, &mo, &d) < 0 || y < 1970)
		goto malformed;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		goto malformed;
	if (s[13] != ':' || s[16] != ':')
		goto malformed;
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		goto malformed;
	leap = sec == 60;
	i = 19;
	if (i < len && s[i] == '.') {
		size_t f0 = ++i;
		int scale = 100;

		while (i < len && s[i] >= '0' && s[i] <= '9') {
			ms += (s[i] - '0') * scale; /* keep milliseconds, truncate */
			scale /= 10;
			i++;
		}
		if (i == f0 || i - f0 > 9)
			goto malformed;
	}
	if (i == len)
		return lc_errf(err, LC_EDATA, "timestamp '%.*s' has no time zone",
			       quote_len(len), s);
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
		off = 0;
	} else if (s[i] == '+' || s[i] == '-') {
		const char *z = s + i + 1;
		size_t zl = len - i - 1;

		if (zl == 5 && z[2] == ':') {
			oh = digits(z, 2);
			om = digits(z + 3, 2);
		} else if (zl == 4) {
			oh = digits(z, 2);
			om = digits(z + 2, 2);
		} else {
			goto malformed;
		}
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			goto malformed;
		off = (oh * 60 + om) * 60;
		if (s[i] == '-')
			off = -off;
	} else {
		goto malformed;
	}
	if (leap) {
		/* A leap second is inserted after 23:59:59 UTC: read it as the
		   last millisecond of that minute (its fraction dropped), so the
		   instant stays on its day and before the next minute.  Second
		   60 anywhere else is no real time. */
		sec = 59;
		ms = 999;
	}
	t = ((lc_ms)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off) * 1000 +
	    ms;
	if (leap && floormod(floordiv(t, 1000), 86400) != 86399)
		goto malformed;
	/* an offset can carry 9999-12-31 into year 10000 UTC, which no
	   four-digit year (ts_format, the store) can hold */
	if (ts_date_utc(t) > date_from_ymd(9999, 12, 31))
		return lc_errf(err, LC_EDATA, "timestamp '%.*s' out of range",
			       quote_len(len), s);
	*out = t;
	return 0;

malformed:
	return lc_errf(err, LC_EDATA, "malformed timestamp '%.*s'", quote_len(len), s);
}

char *ts_format(char *buf, size_t n, lc_ms t)
{
	long long day = floordiv(t, MS_PER_DAY);
	long long rem = t - day * MS_PER_DAY;
	int y, m, d;

	date_to_ymd((lc_date)day, &y, &m, &d);
	if (n >= 25 && y >= 0 && y <= 9999) {
		/* the common case without snprintf (once per usage record) */
		int v[7] = { y, m, d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
			     (int)(rem / 1000 % 60), (int)(rem % 1000) };
		static const char sep[] = "--T::.";
		char *o = buf;

		for (int i = 0; i < 7; i++) {
			int w = i == 0 ? 4 : i == 6 ? 3 : 2;

			for (int k = w - 1, x = v[i]; k >= 0; k--, x /= 10)
				o[k] = (char)('0' + x % 10);
			o += w;
			if (i < 6)
				*o++ = sep[i];
		}
		*o++ = 'Z';
		*o = '\0';
		return buf;
	}
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
		 (int)(rem / 3600000), (int)(rem / 60000 % 60),
		 (int)(rem / 1000 % 60), (int)(rem % 1000));
	return buf;
}

lc_date ts_date_utc(lc_ms t)
{
	return (lc_date)floordiv(t, MS_PER_DAY);
}

/* A zone name we are willing to look up: relative, no "..", plain characters. */
static int zone_name_ok(const char *zone)
{
	const char *p;

	if (zone[0] == '/' || strstr(zone, ".."))
		return 0;
	for (p = zone; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		      *p == '-' || *p == '+' || *p == '.'))
			return 0;
	return strlen(zone) < 200;
}

/* n digits (1 <= n <= max) at *p as a number not above top, p advanced; -1 when not. */
static int posix_num(const char **p, int max, int top)
{
	int v = 0, k = 0;

	while (k < max && **p >= '0' && **p <= '9')
		v = v * 10 + (*(*p)++ - '0'), k++;
	return k && v <= top ? v : -1;
}

/* [+-]hh[:mm[:ss]] with hours up to top; 0 or -1. */
static int posix_offset(const char **p, int top)
{
	if (**p == '+' || **p == '-')
		(*p)++;
	if (posix_num(p, 3, top) < 0)
		return -1;
	for (int i = 0; i < 2 && **p == ':'; i++) {
		(*p)++;
		if (posix_num(p, 2, 59) < 0)
			return -1;
	}
	return 0;
}

/* A zone abbreviation: 3 or more letters, or <...> of letters, digits, + and -. */
static int posix_name(const char **p)
{
	const char *s = *p;

	if (*s == '<') {
		for (s++; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			  (*s >= '0' && *s <= '9') || *s == '+' || *s == '-';
		     s++)
			;
		if (*s != '>' || s - *p < 4)
			return -1;
		*p = s + 1;
		return 0;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	if (s - *p < 3)
		return -1;
	*p = s;
	return 0;
}

/* ",Jn", ",n" or ",Mm.w.d", each with an optional "/time". */
static int posix_rule(const char **p)
{
	if (*(*p)++ != ',')
		return -1;
	if (**p == 'J') {
		(*p)++;
		if (posix_num(p, 3, 365) < 1)
			return -1;
	} else if (**p == 'M') {
		(*p)++;
		if (posix_num(p, 2, 12) < 1 || *(*p)++ != '.' || posix_num(p, 1, 5) < 1 ||
		    *(*p)++ != '.' || posix_num(p, 1, 6) < 0)
			return -1;
	} else if (posix_num(p, 3, 365) < 0) {
		return -1;
	}
	if (**p == '/') {
		(*p)++;
		return posix_offset(p, 167);
	}
	return 0;
}

/*
 * A POSIX TZ rule string (std offset [dst [offset] [,rule,rule]]), e.g.
 * "JST-9" or "CET-1CEST,M3.5.0,M10.5.0/3": checked here because the C
 * library reads a malformed one as UTC without a word.
 */
static int posix_tz_ok(const char *s)
{
	if (posix_name(&s) || posix_offset(&s, 24))
		return 0;
	if (!*s)
		return 1;
	if (posix_name(&s))
		return 0;
	if (*s && *s != ',' && posix_offset(&s, 24))
		return 0;
	if (!*s)
		return 1;
	return !posix_rule(&s) && !posix_rule(&s) && !*s;
}

int zone_is_utc(const char *zone)
{
	static const char *const utc[] = { "UTC", "UCT", "GMT", "GMT0", "GMT+0", "GMT-0",
					   "Universal", "Zulu", "Greenwich" };

	if (!zone || !zone[0])
		return 1;
	if (!strncmp(zone, "Etc/", 4))
		zone += 4;
	for (size_t i = 0; i < ARRAY_SIZE(utc); i++)
		if (!strcmp(zone, utc[i]))
			return 1;
	return 0;
}

/* A zone ts_local_in_zone can use: a zone file's name or a POSIX rule string. */
static int zone_known(const char *zone)
{
	char path[256];
	struct stat st;

	/* right/ zones count leap seconds in time_t, which our instants (POSIX
	   time, like every log's) do not: every conversion would be off */
	if (zone_name_ok(zone) && strncmp(zone, "right/", 6)) {
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", zone);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
	}
	return strlen(zone) < 200 && posix_tz_ok(zone);
}

/* zone_hold's state: the zone held and the TZ to restore */
static struct {
	int on, had;
	char *saved;
	char zone[256];
} hold;

int zone_hold(const char *zone, struct lc_err *err)
{
	const char *old;

	if (zone_is_utc(zone) || hold.on)
		return 0;
	if (!zone_known(zone) || strlen(zone) >= sizeof(hold.zone))
		return lc_errf(err, LC_EUSAGE, "unknown time zone '%.*s'", QUOTE_MAX, zone);
	old = getenv("TZ");
	hold.had = old != NULL;
	hold.saved = old ? xstrdup(old) : NULL;
	LC_COPY(hold.zone, zone);
	setenv("TZ", zone, 1);
	tzset();
	hold.on = 1;
	return 0;
}

void zone_unhold(void)
{
	if (!hold.on)
		return;
	if (hold.had)
		setenv("TZ", hold.saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(hold.saved);
	hold.saved = NULL;
	hold.on = 0;
}

/* The local dates (and offsets) of t[] in the zone the C library is in. */
static int local_dates(const lc_ms *t, size_t n, lc_date *days, long *offsets)
{
	struct tm tm;
	time_t tt;

	for (size_t i = 0; i < n; i++) {
		tt = (time_t)floordiv(t[i], 1000);
		if (!localtime_r(&tt, &tm))
			return -1;
		days[i] = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		if (offsets)
			offsets[i] = tm.tm_gmtoff;
	}
	return 0;
}

int ts_local_in_zone(const lc_ms *t, size_t n, const char *zone, lc_date *days, long *offsets,
		     struct lc_err *err)
{
	char *saved = NULL;
	const char *old;
	size_t i;
	int ok;

	if (zone_is_utc(zone)) {
		for (i = 0; i < n; i++) {
			days[i] = ts_date_utc(t[i]);
			if (offsets)
				offsets[i] = 0;
		}
		return 0;
	}
	if (hold.on && !strcmp(zone, hold.zone)) { /* already there: no switch */
		if (local_dates(t, n, days, offsets))
			return lc_errf(err, LC_ERUNTIME, "cannot convert time to zone '%s'", zone);
		return 0;
	}
	if (!zone_known(zone))
		return lc_errf(err, LC_EUSAGE, "unknown time zone '%.*s'", QUOTE_MAX, zone);

	old = getenv("TZ");
	if (old) {
		saved = xstrdup(old);
	}
	setenv("TZ", zone, 1);
	tzset();
	ok = local_dates(t, n, days, offsets) == 0;
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	if (!ok)
		return lc_errf(err, LC_ERUNTIME, "cannot convert time to zone '%s'",
			       zone);
	return 0;
}

int ts_date_in_zone(lc_ms t, const char *zone, lc_date *out, struct lc_err *err)
{
	lc_date d;

	if (ts_local_in_zone(&t, 1, zone, &d, NULL, err))
		return -1;
	*out = d;
	return 0;
}

/*
 * LLMCOST_NOW, when set to a valid instant or date, replaces the clock.  An
 * unparsable value is ignored (lc_now() has no way to report it); callers
 * that care validate it up front.
 */
lc_ms lc_now(void)
{
	const char *e = getenv("LLMCOST_NOW");
	struct timespec ts;

	if (e && *e) {
		size_t len = strlen(e);
		lc_date day;
		lc_ms t;

		if (len == 10 && date_parse(e, len, &day, NULL) == 0)
			return (lc_ms)day * MS_PER_DAY;
		if (ts_parse(e, len, &t, NULL) == 0)
			return t;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return (lc_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

lc_date lc_today(void)
{
	return ts_date_utc(lc_now());
}

/* $LLMCOST_ETC/name, else /etc/name, into buf. */
static const char *etc_path(char *buf, size_t n, const char *name)
{
	const char *etc = getenv("LLMCOST_ETC");

	snprintf(buf, n, "%s/%s", etc && *etc ? etc : "/etc", name);
	return buf;
}

/* The zone name in the path of a zone file: what follows the last
   "zoneinfo/" (and a "posix/" after it), NULL when there is none. */
static const char *zone_in_path(const char *p)
{
	const char *z = NULL;

	for (const char *q = p; (q = strstr(q, "zoneinfo/")) != NULL; q = z)
		z = q + 9;
	if (z && !strncmp(z, "posix/", 6))
		z += 6;
	return z;
}

static int zone_fallback(char *buf, size_t n, const char **why, const char *text)
{
	lc_strlcpy(buf, "UTC", n);
	if (why)
		*why = text;
	return 1;
}

/* The system zone (TZ unset); see zone_local. */
static int zone_system(char *buf, size_t n, const char **why)
{
	char path[4096], link[4096];
	const char *z;
	ssize_t len;
	struct stat st;
	FILE *f;

	etc_path(path, sizeof(path), "localtime");
	len = readlink(path, link, sizeof(link) - 1);
	if (len > 0) {
		link[len] = '\0';
		z = zone_in_path(link);
		if (z && *z && zone_known(z) && strlen(z) < n) {
			lc_strlcpy(buf, z, n);
			return 0;
		}
		return zone_fallback(buf, n, why,
				     "/etc/localtime links to no time zone llmcost knows");
	}
	if (lstat(path, &st) != 0 && errno == ENOENT) { /* the C library's UTC */
		lc_strlcpy(buf, "UTC", n);
		return 0;
	}
	/* a copy of a zone file: Debian's /etc/timezone names it */
	etc_path(path, sizeof(path), "timezone");
	if ((f = fopen(path, "r")) != NULL) {
		char line[256];

		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, " \t\r\n")] = '\0';
			if (line[0] && zone_known(line) && strlen(line) < n) {
				fclose(f);
				lc_strlcpy(buf, line, n);
				return 0;
			}
		}
		fclose(f);
	}
	return zone_fallback(buf, n, why,
			     "cannot name the system time zone (/etc/localtime is no link to a "
			     "zone file and /etc/timezone names none)");
}

int zone_local(char *buf, size_t n, const char **why)
{
	const char *tz = getenv("TZ");

	if (!tz)
		return zone_system(buf, n, why);
	if (*tz == ':')
		tz++;
	if (!*tz) { /* an empty TZ is UTC to the C library */
		lc_strlcpy(buf, "UTC", n);
		return 0;
	}
	if (zone_known(tz) && strlen(tz) < n) {
		lc_strlcpy(buf, tz, n);
		return 0;
	}
	return zone_fallback(buf, n, why, "TZ names no time zone llmcost knows");
}

int day_spec_parse(const char *s, struct day_spec *out, struct lc_err *err)
{
	size_t len = s ? strlen(s) : 0;
	int y, m, d, k;

	memset(out, 0, sizeof(*out));
	if (len == 10 && date_parse(s, len, &out->day, NULL) == 0) {
		out->kind = DAY_DATE;
		return 0;
	}
	if (len == 8 && (y = digits(s, 4)) >= 0 && (m = digits(s + 4, 2)) >= 0 &&
	    (d = digits(s + 6, 2)) >= 0 && date_valid(y, m, d)) {
		out->kind = DAY_DATE;
		out->day = date_from_ymd(y, m, d);
		return 0;
	}
	if (len && (!strcmp(s, "today") || !strcmp(s, "yesterday"))) {
		out->kind = DAY_BACK;
		out->n = s[0] == 'y';
		return 0;
	}
	/* N then a unit: 1 to 4 digits, no sign, no leading zero */
	if (len >= 2 && len <= 5 && s[0] >= '1' && s[0] <= '9' &&
	    (k = digits(s, (int)len - 1)) > 0 && strchr("dwm", s[len - 1])) {
		out->kind = s[len - 1] == 'm' ? DAY_MONTHS : DAY_BACK;
		out->n = s[len - 1] == 'd' ? k - 1 : s[len - 1] == 'w' ? 7 * k - 1 : k;
		return 0;
	}
	return lc_errf(err, LC_EUSAGE, "malformed date '%.*s'", s ? quote_len(len) : 0,
		       s ? s : "");
}

lc_date day_spec_resolve(const struct day_spec *d, lc_date today)
{
	switch (d->kind) {
	case DAY_DATE:
		return d->day;
	case DAY_MONTHS:
		return date_add_months(today, -d->n) + 1;
	default:
		return today - d->n;
	}
}

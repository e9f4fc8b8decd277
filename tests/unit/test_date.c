/*
 * test_date.c - unit tests for lib/date.c: civil-date arithmetic, strict
 * date and timestamp parsing, formatting, dates in named zones and the
 * LLMCOST_NOW clock override.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "harness.h"

#define MS_PER_DAY 86400000LL

TEST(test_known_days)
{
	static const struct {
		int y, m, d;
		lc_date day;
		int weekday;
	} c[] = {
		{ 1970, 1, 1, 0, 3 },        /* Thursday */
		{ 1969, 12, 31, -1, 2 },
		{ 2000, 1, 1, 10957, 5 },    /* Saturday */
		{ 2000, 3, 1, 11017, 2 },
		{ 2024, 1, 1, 19723, 0 },    /* Monday */
		{ 2024, 3, 10, 19792, 6 },   /* Sunday */
		{ 2024, 12, 29, 20086, 6 },
		{ 2100, 12, 31, 47846, 4 },
		{ 1, 1, 1, -719162, 0 },
		{ 9999, 12, 31, 2932896, 4 },
	};
	size_t i;
	int y, m, d;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		CHECK_INT(date_from_ymd(c[i].y, c[i].m, c[i].d), c[i].day);
		date_to_ymd(c[i].day, &y, &m, &d);
		CHECK_INT(y, c[i].y);
		CHECK_INT(m, c[i].m);
		CHECK_INT(d, c[i].d);
		CHECK_INT(date_weekday(c[i].day), c[i].weekday);
	}
	/* months outside 1..12 carry into the year */
	CHECK_INT(date_from_ymd(2023, 13, 1), date_from_ymd(2024, 1, 1));
	CHECK_INT(date_from_ymd(2024, 0, 1), date_from_ymd(2023, 12, 1));
}

/* Every day 1970..2100: consecutive, and both directions agree. */
TEST(test_round_trip)
{
	lc_date prev = date_from_ymd(1969, 12, 31);
	int y, m, d, yy, mm, dd, bad = 0, days = 0;

	for (y = 1970; y <= 2100; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= days_in_month(y, m); d++) {
				lc_date day = date_from_ymd(y, m, d);

				date_to_ymd(day, &yy, &mm, &dd);
				if (day != prev + 1 || yy != y || mm != m || dd != d ||
				    date_weekday(day) != (date_weekday(prev) + 1) % 7) {
					if (bad++ < 5)
						fprintf(stderr, "round trip %04d-%02d-%02d\n",
							y, m, d);
				}
				prev = day;
				days++;
			}
	CHECK_INT(bad, 0);
	CHECK_INT(days, 47847);
}

TEST(test_valid)
{
	static const struct {
		int y, m, d, valid;
	} c[] = {
		{ 2024, 2, 29, 1 }, { 2023, 2, 29, 0 }, { 1900, 2, 29, 0 },
		{ 2000, 2, 29, 1 }, { 2100, 2, 29, 0 }, { 2024, 2, 30, 0 },
		{ 2024, 4, 31, 0 }, { 2024, 12, 31, 1 }, { 2024, 13, 1, 0 },
		{ 2024, 0, 1, 0 }, { 2024, 1, 0, 0 }, { 0, 1, 1, 0 },
		{ 1, 1, 1, 1 }, { 9999, 12, 31, 1 }, { 10000, 1, 1, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		CHECK_INT(date_valid(c[i].y, c[i].m, c[i].d), c[i].valid);
	CHECK_INT(days_in_month(2024, 2), 29);
	CHECK_INT(days_in_month(2023, 2), 28);
	CHECK_INT(days_in_month(1900, 2), 28);
	CHECK_INT(days_in_month(2000, 2), 29);
	CHECK_INT(days_in_month(2023, 4), 30);
	CHECK_INT(days_in_month(2023, 12), 31);
}

TEST(test_date_parse)
{
	static const char *const good[] = {
		"2024-02-29", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31",
	};
	static const char *const bad[] = {
		"2024-1-01", "2024-01-1", "2024-01-01x", "2024/01/01", "2024-02-30",
		"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-00",
		"0000-01-01", "+024-01-01", "2024-01-0a", " 2024-01-01", "",
		"20240101", "2024-01-01T00:00:00Z",
	};
	struct lc_err err = { 0 };
	char buf[16];
	lc_date day;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		CHECK_INT(date_parse(good[i], strlen(good[i]), &day, &err), 0);
		CHECK_STR(date_format(buf, sizeof(buf), day), good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		day = 4242;
		err.code = 0;
		CHECK_INT(date_parse(bad[i], strlen(bad[i]), &day, &err), -1);
		CHECK_INT(err.code, LC_EUSAGE);
		CHECK_INT(day, 4242);
	}
	CHECK_INT(date_parse("2024-02-30", 10, &day, &err), -1);
	CHECK_STR(err.msg, "malformed date '2024-02-30'");
	/* len bounds the text */
	CHECK_INT(date_parse("2024-01-01xyz", 10, &day, &err), 0);
	CHECK_INT(day, 19723);
	CHECK_INT(date_parse("2024-01-01", 9, &day, &err), -1);
}

TEST(test_add_months)
{
	static const struct {
		const char *from;
		int n;
		const char *want;
	} c[] = {
		{ "2024-01-31", 1, "2024-02-29" },
		{ "2023-01-31", 1, "2023-02-28" },
		{ "2024-03-31", -1, "2024-02-29" },
		{ "2024-03-31", 1, "2024-04-30" },
		{ "2024-12-15", 1, "2025-01-15" },
		{ "2024-01-15", -1, "2023-12-15" },
		{ "2024-05-31", 12, "2025-05-31" },
		{ "2024-02-29", 12, "2025-02-28" },
		{ "2024-02-29", 48, "2028-02-29" },
		{ "2024-06-30", 0, "2024-06-30" },
		{ "2024-01-31", -25, "2021-12-31" },
		{ "1970-01-01", -1, "1969-12-01" },
	};
	char buf[16];
	lc_date day;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		CHECK_INT(date_parse(c[i].from, 10, &day, NULL), 0);
		CHECK_STR(date_format(buf, sizeof(buf), date_add_months(day, c[i].n)),
			  c[i].want);
	}
}

TEST(test_ts_parse)
{
	static const struct {
		const char *text;
		const char *want; /* ts_format of the result; NULL: rejected */
	} c[] = {
		{ "2025-06-02T22:40:37.397Z", "2025-06-02T22:40:37.397Z" },
		{ "2025-06-02T22:40:37+00:00", "2025-06-02T22:40:37.000Z" },
		{ "2025-06-02T22:40:37-00:00", "2025-06-02T22:40:37.000Z" },
		{ "2025-06-02T22:40:37+05:30", "2025-06-02T17:10:37.000Z" },
		{ "2025-06-02T02:40:37+05:30", "2025-06-01T21:10:37.000Z" },
		{ "2025-06-02T22:40:37-0800", "2025-06-03T06:40:37.000Z" },
		{ "2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00.000Z" },
		{ "2025-02-16T22:34:30.374882+00:00", "2025-02-16T22:34:30.374Z" },
		{ "2025-01-01T00:00:00.1Z", "2025-01-01T00:00:00.100Z" },
		{ "2025-01-01T00:00:00.999999999Z", "2025-01-01T00:00:00.999Z" },
		{ "2025-01-01t00:00:00z", "2025-01-01T00:00:00.000Z" },
		{ "2025-01-01 00:00:00Z", "2025-01-01T00:00:00.000Z" },
		{ "2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z" },
		{ "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z" },
		{ "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z" },
		{ "1970-01-01T00:30:00+01:00", "1969-12-31T23:30:00.000Z" },
		{ "2025-01-01T00:00:00", NULL },
		{ "2025-01-01T00:00:00.123", NULL },
		{ "2025-02-30T00:00:00Z", NULL },
		{ "2025-01-01T00:00:60Z", NULL },
		/* a leap second: the last millisecond of the UTC day's last minute */
		{ "2016-12-31T23:59:60Z", "2016-12-31T23:59:59.999Z" },
		{ "2016-12-31T23:59:60.5Z", "2016-12-31T23:59:59.999Z" },
		{ "2015-06-30T23:59:60.123456789z", "2015-06-30T23:59:59.999Z" },
		{ "2017-01-01T00:59:60+01:00", "2016-12-31T23:59:59.999Z" },
		{ "2017-01-01T00:59:60.5+01:00", "2016-12-31T23:59:59.999Z" },
		{ "2016-12-31T18:29:60-0530", "2016-12-31T23:59:59.999Z" },
		{ "2016-12-31 23:59:60Z", "2016-12-31T23:59:59.999Z" },
		{ "1970-01-01T00:59:60+01:00", "1969-12-31T23:59:59.999Z" },
		{ "9999-12-31T23:59:60Z", "9999-12-31T23:59:59.999Z" },
		{ "2016-12-31T23:59:61Z", NULL },
		{ "2016-12-31T23:59:60", NULL },
		{ "2016-12-31T23:58:60Z", NULL },
		{ "2016-12-31T23:59:60+01:00", NULL },
		{ "2016-12-31T22:59:60Z", NULL },
		{ "2016-12-31T23:59:60.Z", NULL },
		{ "2016-12-31T23:59:99Z", NULL },
		{ "2025-01-01T24:00:00Z", NULL },
		{ "2025-01-01T00:60:00Z", NULL },
		{ "1969-12-31T23:59:59Z", NULL },
		{ "2025-01-01T00:00:00.Z", NULL },
		{ "2025-01-01T00:00:00.1234567891Z", NULL },
		{ "2025-01-01T00:00:00+05", NULL },
		{ "2025-01-01T00:00:00+5:30", NULL },
		{ "2025-01-01T00:00:00+24:00", NULL },
		{ "2025-01-01T00:00:00+05:60", NULL },
		{ "2025-01-01T00:00:00Z ", NULL },
		{ "2025-01-01T00:00:00ZZ", NULL },
		{ "2025-01-01T00:00:00GMT", NULL },
		{ "2025-01-01X00:00:00Z", NULL },
		{ "2025-01-01T0:00:00Z", NULL },
		{ "2025-01-01", NULL },
		{ "", NULL },
	};
	struct lc_err err = { 0 };
	char buf[32];
	lc_ms t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		t = 4242;
		err.code = 0;
		if (c[i].want) {
			CHECK_INT(ts_parse(c[i].text, strlen(c[i].text), &t, &err), 0);
			CHECK_STR(ts_format(buf, sizeof(buf), t), c[i].want);
		} else {
			if (ts_parse(c[i].text, strlen(c[i].text), &t, &err) == 0)
				fprintf(stderr, "accepted '%s'\n", c[i].text);
			CHECK_INT(err.code, LC_EDATA);
			CHECK_INT(t, 4242);
		}
	}
	CHECK_INT(ts_parse("2025-06-02T22:40:37.397Z", 24, &t, &err), 0);
	CHECK_INT(t, 1748904037397LL);
	CHECK_INT(ts_parse("2025-01-01T00:00:00", 19, &t, &err), -1);
	CHECK_STR(err.msg, "timestamp '2025-01-01T00:00:00' has no time zone");
	CHECK_INT(ts_parse("2025-02-30T00:00:00Z", 20, &t, &err), -1);
	CHECK_STR(err.msg, "malformed timestamp '2025-02-30T00:00:00Z'");
	/* len bounds the text */
	CHECK_INT(ts_parse("2025-01-01T00:00:00Zjunk", 20, &t, &err), 0);
	/* found by fuzz_date: an offset carrying the instant into year 10000 UTC */
	CHECK_INT(ts_parse("9999-12-31T23:59:59-23:59", 25, &t, &err), -1);
	CHECK_STR(err.msg, "timestamp '9999-12-31T23:59:59-23:59' out of range");
	CHECK_INT(ts_parse("9999-12-31T23:59:59.999Z", 24, &t, &err), 0);
	CHECK_INT(ts_parse("9999-12-31T23:59:59+00:01", 25, &t, &err), 0);
}

TEST(test_ts_format)
{
	static const struct {
		lc_ms t;
		const char *want;
	} c[] = {
		{ 0, "1970-01-01T00:00:00.000Z" },
		{ 1, "1970-01-01T00:00:00.001Z" },
		{ -1, "1969-12-31T23:59:59.999Z" },
		{ 1748904037397LL, "2025-06-02T22:40:37.397Z" },
		{ 951782400000LL, "2000-02-29T00:00:00.000Z" },
		{ 253402300799999LL, "9999-12-31T23:59:59.999Z" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		CHECK_STR(ts_format(buf, sizeof(buf), c[i].t), c[i].want);
	CHECK_INT(ts_date_utc(0), 0);
	CHECK_INT(ts_date_utc(-1), -1);
	CHECK_INT(ts_date_utc(MS_PER_DAY - 1), 0);
	CHECK_INT(ts_date_utc(MS_PER_DAY), 1);
	CHECK_INT(ts_date_utc(1748904037397LL), date_from_ymd(2025, 6, 2));
}

TEST(test_date_in_zone)
{
	static const struct {
		const char *zone;
		const char *want; /* NULL: unknown zone */
	} c[] = {
		{ "Europe/Berlin", "2024-03-11" },
		{ "America/New_York", "2024-03-10" },
		{ "Asia/Tokyo", "2024-03-11" },
		{ "America/Los_Angeles", "2024-03-10" },
		{ "UTC", "2024-03-10" },
		{ "", "2024-03-10" },
		{ "Etc/UTC", "2024-03-10" },
		{ "Mars/Base", NULL },
		{ "Europe", NULL },           /* a directory */
		{ "../../../etc/passwd", NULL },
		{ "/etc/passwd", NULL },
		{ "Europe/../Europe/Berlin", NULL },
		{ "Europe/Berlin ", NULL },
	};
	struct lc_err err = { 0 };
	char buf[16];
	lc_date day;
	lc_ms t;
	size_t i;
	const char *tz;

	CHECK_INT(ts_parse("2024-03-10T23:30:00Z", 20, &t, &err), 0);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		day = 4242;
		err.code = 0;
		if (c[i].want) {
			CHECK_INT(ts_date_in_zone(t, c[i].zone, &day, &err), 0);
			CHECK_STR(date_format(buf, sizeof(buf), day), c[i].want);
		} else {
			CHECK_INT(ts_date_in_zone(t, c[i].zone, &day, &err), -1);
			CHECK_INT(err.code, LC_EUSAGE);
			CHECK_INT(day, 4242);
		}
	}
	CHECK_INT(ts_date_in_zone(t, NULL, &day, &err), 0);
	CHECK_INT(day, date_from_ymd(2024, 3, 10));
	CHECK_INT(ts_date_in_zone(t, "Mars/Base", &day, &err), -1);
	CHECK_STR(err.msg, "unknown time zone 'Mars/Base'");

	/* DST: New York local midnight is 04:00Z in summer, 05:00Z in winter */
	CHECK_INT(ts_parse("2024-07-01T03:59:59Z", 20, &t, &err), 0);
	CHECK_INT(ts_date_in_zone(t, "America/New_York", &day, &err), 0);
	CHECK_STR(date_format(buf, sizeof(buf), day), "2024-06-30");
	CHECK_INT(ts_parse("2024-07-01T04:00:00Z", 20, &t, &err), 0);
	CHECK_INT(ts_date_in_zone(t, "America/New_York", &day, &err), 0);
	CHECK_STR(date_format(buf, sizeof(buf), day), "2024-07-01");
	CHECK_INT(ts_parse("2024-01-01T04:59:59Z", 20, &t, &err), 0);
	CHECK_INT(ts_date_in_zone(t, "America/New_York", &day, &err), 0);
	CHECK_STR(date_format(buf, sizeof(buf), day), "2023-12-31");

	/* offsets to the second, and several instants in one call: Monrovia
	   was -0:44:30 until 1972-01-07T00:44:30Z, then GMT */
	{
		lc_ms ts[3];
		lc_date d3[3];
		long off[3];

		CHECK_INT(ts_parse("1971-06-01T00:44:29Z", 20, &ts[0], &err), 0);
		CHECK_INT(ts_parse("1971-06-01T00:44:30Z", 20, &ts[1], &err), 0);
		CHECK_INT(ts_parse("1972-01-07T00:44:30Z", 20, &ts[2], &err), 0);
		CHECK_INT(ts_local_in_zone(ts, 3, "Africa/Monrovia", d3, off, &err), 0);
		CHECK_STR(date_format(buf, sizeof(buf), d3[0]), "1971-05-31");
		CHECK_STR(date_format(buf, sizeof(buf), d3[1]), "1971-06-01");
		CHECK_STR(date_format(buf, sizeof(buf), d3[2]), "1972-01-07");
		CHECK_INT(off[0], -2670);
		CHECK_INT(off[2], 0);
		CHECK_INT(ts_local_in_zone(ts, 1, "right/UTC", d3, off, &err), -1);
		CHECK_INT(err.code, LC_EUSAGE);
	}

	/* a held zone converts the same, and is let go of */
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	CHECK_INT(zone_hold("America/New_York", &err), 0);
	CHECK_STR(getenv("TZ"), "America/New_York");
	CHECK_INT(ts_date_in_zone(t, "America/New_York", &day, &err), 0);
	CHECK_STR(date_format(buf, sizeof(buf), day), "2023-12-31");
	CHECK_INT(ts_date_in_zone(t, "Asia/Tokyo", &day, &err), 0);
	CHECK_STR(date_format(buf, sizeof(buf), day), "2024-01-01");
	CHECK_STR(getenv("TZ"), "America/New_York");
	zone_unhold();
	CHECK_STR(getenv("TZ"), "Asia/Kolkata");
	CHECK_INT(zone_hold("Mars/Base", &err), -1);
	CHECK_INT(zone_hold("UTC", &err), 0);
	CHECK_STR(getenv("TZ"), "Asia/Kolkata");
	zone_unhold();

	/* TZ is restored: set ... */
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	CHECK_INT(ts_date_in_zone(t, "Europe/Berlin", &day, &err), 0);
	tz = getenv("TZ");
	CHECK_STR(tz, "Asia/Kolkata");
	/* ... and unset */
	unsetenv("TZ");
	tzset();
	CHECK_INT(ts_date_in_zone(t, "Europe/Berlin", &day, &err), 0);
	CHECK(getenv("TZ") == NULL);
}

TEST(test_now_override)
{
	lc_ms t, before, after;

	setenv("LLMCOST_NOW", "2024-05-06", 1);
	CHECK_INT(lc_now(), (lc_ms)date_from_ymd(2024, 5, 6) * MS_PER_DAY);
	CHECK_INT(lc_today(), date_from_ymd(2024, 5, 6));

	setenv("LLMCOST_NOW", "2024-05-06T23:59:59.500Z", 1);
	CHECK_INT(lc_now(), (lc_ms)date_from_ymd(2024, 5, 6) * MS_PER_DAY +
				    MS_PER_DAY - 500);
	CHECK_INT(lc_today(), date_from_ymd(2024, 5, 6));

	setenv("LLMCOST_NOW", "2024-05-06T23:30:00-01:00", 1);
	CHECK_INT(lc_today(), date_from_ymd(2024, 5, 7));

	/* unset, empty or unparsable: the real clock */
	before = (lc_ms)time(NULL) * 1000;
	unsetenv("LLMCOST_NOW");
	t = lc_now();
	setenv("LLMCOST_NOW", "", 1);
	CHECK(lc_now() >= t);
	setenv("LLMCOST_NOW", "yesterday", 1);
	CHECK(lc_now() >= t);
	after = (lc_ms)time(NULL) * 1000 + 1000;
	CHECK(t >= before && t <= after);
	CHECK_INT(lc_today(), ts_date_utc(lc_now()));
	unsetenv("LLMCOST_NOW");
}

TEST(test_day_spec)
{
	/* today is 2026-03-15 (a Sunday); 2024-03-31 for the month clamp */
	static const struct {
		const char *text;
		const char *today;
		const char *want; /* NULL: malformed */
	} c[] = {
		{ "2026-01-02", "2026-03-15", "2026-01-02" },
		{ "20260102", "2026-03-15", "2026-01-02" },
		{ "20240229", "2026-03-15", "2024-02-29" },
		{ "today", "2026-03-15", "2026-03-15" },
		{ "yesterday", "2026-03-15", "2026-03-14" },
		{ "1d", "2026-03-15", "2026-03-15" },
		{ "7d", "2026-03-15", "2026-03-09" },
		{ "1w", "2026-03-15", "2026-03-09" },
		{ "2w", "2026-03-15", "2026-03-02" },
		{ "1m", "2026-03-15", "2026-02-16" },
		{ "3m", "2026-03-15", "2025-12-16" },
		{ "12m", "2026-03-15", "2025-03-16" },
		{ "1m", "2024-03-31", "2024-03-01" },  /* Feb 29, clamped, + 1 */
		{ "1m", "2025-03-31", "2025-03-01" },  /* Feb 28 + 1 */
		{ "9999d", "2026-03-15", "1998-10-30" },
		{ "20230229", "2026-03-15", NULL },
		{ "2023-02-29", "2026-03-15", NULL },
		{ "0d", "2026-03-15", NULL },
		{ "07d", "2026-03-15", NULL },
		{ "10000d", "2026-03-15", NULL },
		{ "-7d", "2026-03-15", NULL },
		{ "+7d", "2026-03-15", NULL },
		{ "7", "2026-03-15", NULL },
		{ "d", "2026-03-15", NULL },
		{ "7y", "2026-03-15", NULL },
		{ "7D", "2026-03-15", NULL },
		{ "7 d", "2026-03-15", NULL },
		{ "Today", "2026-03-15", NULL },
		{ "tomorrow", "2026-03-15", NULL },
		{ "", "2026-03-15", NULL },
		{ "2026031", "2026-03-15", NULL },
		{ "202603155", "2026-03-15", NULL },
	};
	struct lc_err err = { 0 };
	struct day_spec d;
	lc_date today;
	char buf[16];

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		CHECK_INT(date_parse(c[i].today, 10, &today, NULL), 0);
		if (!c[i].want) {
			CHECK_INT(day_spec_parse(c[i].text, &d, &err), -1);
			CHECK_INT(err.code, LC_EUSAGE);
			continue;
		}
		CHECK_INT(day_spec_parse(c[i].text, &d, &err), 0);
		CHECK_STR(date_format(buf, sizeof(buf), day_spec_resolve(&d, today)), c[i].want);
	}
	CHECK_INT(day_spec_parse("7x", &d, &err), -1);
	CHECK_STR(err.msg, "malformed date '7x'");
}

TEST(test_zones)
{
	static const struct {
		const char *zone;
		const char *want; /* the local date of 2024-07-01T23:30Z; NULL: unknown */
	} c[] = {
		{ "JST-9", "2024-07-02" },
		{ "<+0530>-5:30", "2024-07-02" },
		{ "EST5", "2024-07-01" },
		{ "CET-1CEST,M3.5.0,M10.5.0/3", "2024-07-02" },
		{ "AAA-0:20BBB,J1,J365", "2024-07-02" }, /* DST +1:20 */
		{ "AAA-0:20", "2024-07-01" },
		{ "XXX+0", "2024-07-01" },
		{ "JST", NULL },
		{ "JS-9", NULL },
		{ "JST-9,", NULL },
		{ "CET-1CEST,M3.5.0", NULL },
		{ "CET-1CEST,M13.5.0,M10.5.0", NULL },
		{ "CET-1CEST,M3.5.0,M10.5.0/3x", NULL },
		{ "JST-25", NULL },
		{ "<A>-1", NULL },
	};
	struct lc_err err = { 0 };
	char buf[16];
	lc_date day;
	lc_ms t;

	CHECK_INT(ts_parse("2024-07-01T23:30:00Z", 20, &t, &err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		int rc = ts_date_in_zone(t, c[i].zone, &day, &err);

		CHECK_INT(rc, c[i].want ? 0 : -1);
		if (c[i].want && !rc)
			CHECK_STR(date_format(buf, sizeof(buf), day), c[i].want);
	}
	CHECK(zone_is_utc(NULL) && zone_is_utc("") && zone_is_utc("UTC"));
	CHECK(zone_is_utc("Etc/UTC") && zone_is_utc("GMT") && zone_is_utc("Etc/Zulu"));
	CHECK(!zone_is_utc("Europe/London") && !zone_is_utc("Etc/GMT+1") && !zone_is_utc("utc"));
}

/* zone_local with $TZ and with a fake /etc (LLMCOST_ETC) */
TEST(test_zone_local)
{
	char dir[] = "/tmp/test_date.XXXXXX", path[256], zone[256];
	const char *why;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	setenv("LLMCOST_ETC", dir, 1);
	setenv("TZ", "Europe/Berlin", 1);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "Europe/Berlin");
	setenv("TZ", ":Asia/Tokyo", 1);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "Asia/Tokyo");
	setenv("TZ", "", 1);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "UTC");
	setenv("TZ", "Mars/Base", 1);
	why = NULL;
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 1);
	CHECK_STR(zone, "UTC");
	CHECK(why != NULL);

	unsetenv("TZ");
	/* no localtime: UTC, as for the C library */
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "UTC");
	/* a link, absolute or relative, into a zoneinfo folder */
	snprintf(path, sizeof(path), "%s/localtime", dir);
	CHECK_INT(symlink("/usr/share/zoneinfo/America/New_York", path), 0);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "America/New_York");
	unlink(path);
	CHECK_INT(symlink("../usr/share/zoneinfo/posix/Asia/Kolkata", path), 0);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "Asia/Kolkata");
	unlink(path);
	CHECK_INT(symlink("/usr/share/zoneinfo/right/Europe/Paris", path), 0);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 1);
	CHECK_STR(zone, "UTC");
	unlink(path);
	/* a copy: named by /etc/timezone, else UTC with a reason */
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 1);
	snprintf(path, sizeof(path), "%s/timezone", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("Australia/Sydney\n", f);
		fclose(f);
	}
	CHECK_INT(zone_local(zone, sizeof(zone), &why), 0);
	CHECK_STR(zone, "Australia/Sydney");
	unlink(path);
	snprintf(path, sizeof(path), "%s/localtime", dir);
	unlink(path);
	rmdir(dir);
	unsetenv("LLMCOST_ETC");
}

int main(void)
{
	RUN(test_known_days);
	RUN(test_round_trip);
	RUN(test_valid);
	RUN(test_date_parse);
	RUN(test_add_months);
	RUN(test_ts_parse);
	RUN(test_ts_format);
	RUN(test_date_in_zone);
	RUN(test_now_override);
	RUN(test_day_spec);
	RUN(test_zones);
	RUN(test_zone_local);
	return harness_done();
}

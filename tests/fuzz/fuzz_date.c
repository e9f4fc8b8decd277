/*
 * fuzz_date.c - date_parse, ts_parse, the formatters and the civil-date
 * arithmetic on arbitrary bytes.
 *
 * Invariants: a date that parses formats back to the same ten characters; a
 * timestamp that parses formats (UTC, milliseconds) to text that parses to
 * the same instant, and its UTC date matches; a leap second (second 60) is
 * 23:59:59.999 UTC; date_from_ymd/date_to_ymd are
 * inverse for any day a date_parse could give; nothing reads past len.
 */
#include <string.h>

#include "date.h"
#include "fuzz.h"

static void check_day(lc_date day)
{
	int y, m, d;
	char buf[16];
	lc_date back;
	struct lc_err err = { 0 };

	date_to_ymd(day, &y, &m, &d);
	FUZZ_CHECK(date_from_ymd(y, m, d) == day);
	FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m));
	FUZZ_CHECK(date_weekday(day) >= 0 && date_weekday(day) <= 6);
	if (y >= 1 && y <= 9999) {
		date_format(buf, sizeof(buf), day);
		FUZZ_CHECK(date_parse(buf, strlen(buf), &back, &err) == 0 && back == day);
	}
	for (int n = -25; n <= 25; n += 5) {
		lc_date a = date_add_months(day, n);
		int y2, m2, d2;

		date_to_ymd(a, &y2, &m2, &d2);
		FUZZ_CHECK((long)y2 * 12 + m2 == (long)y * 12 + m + n);
		FUZZ_CHECK(d2 <= d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_err err = { 0 };
	char *s = malloc(size ? size : 1);
	lc_date day;
	lc_ms t, back;

	if (!s)
		abort();
	memcpy(s, data, size);
	if (date_parse(s, size, &day, &err) == 0) {
		char buf[16];

		FUZZ_CHECK(size == 10);
		date_format(buf, sizeof(buf), day);
		FUZZ_CHECK(memcmp(buf, s, 10) == 0);
		check_day(day);
	} else {
		FUZZ_CHECK(err.code == LC_EUSAGE);
	}
	memset(&err, 0, sizeof(err));
	if (ts_parse(s, size, &t, &err) == 0) {
		char buf[32];

		ts_format(buf, sizeof(buf), t);
		FUZZ_CHECK(strlen(buf) == 24);
		/* instants before 1970 (an offset on 1970-01-01) print as 1969,
		   which ts_parse rejects; every other instant round-trips */
		FUZZ_CHECK(ts_parse(buf, strlen(buf), &back, &err) == 0 || t < 0);
		if (t >= 0)
			FUZZ_CHECK(back == t);
		FUZZ_CHECK(ts_date_utc(t) <= date_from_ymd(9999, 12, 31));
		/* a leap second is the last millisecond of a UTC day */
		if (s[17] == '6')
			FUZZ_CHECK(((t % 86400000) + 86400000) % 86400000 == 86399999);
		check_day(ts_date_utc(t));
	} else {
		FUZZ_CHECK(err.code == LC_EDATA);
	}
	free(s);
	/* raw days: four bytes as a day number in a plausible range */
	if (size >= 4) {
		int32_t d;

		memcpy(&d, data, 4);
		check_day(d % 3000000);
	}
	return 0;
}

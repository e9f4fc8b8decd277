/*
 * money.c - exact money arithmetic; see money.h.
 *
 * Every amount is an integer in a fixed decimal unit (nano-USD, or nano-USD
 * per million tokens for prices).  Decimal text is parsed digit by digit,
 * products are taken in 128 bits and every rounding is half-even.  Nothing
 * here uses binary floating point except money_from_double(), which turns a
 * double from cJSON into its shortest round-tripping text and parses that.
 * Output digits are built from the integers, never with printf, so the
 * locale cannot change them.
 */
#include "money.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 lc_u128;

/* Longest piece of offending text quoted in an error message. */
#define QUOTE_MAX 200

static int quote_len(size_t len)
{
	return len > QUOTE_MAX ? QUOTE_MAX : (int)len;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The i-th digit of the mantissa made of integer part ip and fraction fp. */
static int mant_digit(const char *ip, size_t ilen, const char *fp, size_t i)
{
	return i < ilen ? ip[i] - '0' : fp[i - ilen] - '0';
}

/* A decimal number's parts as written: mantissa digits in an integer part
   and a fraction, and a power of ten. */
struct num {
	const char *ip, *fp; /* fp NULL when no '.' */
	size_t ilen, flen;
	long long exp10;
	int neg;
};

enum { NUM_OK, NUM_MALFORMED, NUM_RANGE };

/* The exponent after 'e', from p up to end (which it must reach): a sign
   and at most 4 digits. */
static int scan_exponent(const char *p, const char *end, long long *exp10)
{
	int eneg = 0, edig = 0;

	if (p < end && (*p == '-' || *p == '+'))
		eneg = *p++ == '-';
	while (p < end && is_digit(*p)) {
		if (++edig <= 4)
			*exp10 = *exp10 * 10 + (*p - '0');
		p++;
	}
	if (edig == 0 || p < end)
		return NUM_MALFORMED;
	if (edig > 4)
		return NUM_RANGE;
	if (eneg)
		*exp10 = -*exp10;
	return NUM_OK;
}

/* The parts of s[0..len): blanks around, a sign, '$', digits with a point,
   an exponent. */
static int scan_number(const char *s, size_t len, struct num *n)
{
	const char *p = s, *end = s + len;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p < end && (*p == '-' || *p == '+'))
		n->neg = *p++ == '-';
	if (p < end && *p == '$')
		p++;
	n->ip = p;
	while (p < end && is_digit(*p))
		p++;
	n->ilen = (size_t)(p - n->ip);
	if (p < end && *p == '.') {
		n->fp = ++p;
		while (p < end && is_digit(*p))
			p++;
		n->flen = (size_t)(p - n->fp);
	}
	if (n->ilen + n->flen == 0)
		return NUM_MALFORMED;
	if (p < end && (*p == 'e' || *p == 'E'))
		return scan_exponent(p + 1, end, &n->exp10);
	return p != end ? NUM_MALFORMED : NUM_OK;
}

/* Round v half-even on the mantissa digits from index drop on (kept < 0:
   an implicit zero sits right of the point before them); *lost when any of
   them is not zero.  Returns 1 to round up. */
static int round_up(const struct num *n, size_t ndig, size_t drop, long long kept, uint64_t v,
		    int *lost)
{
	int half; /* first dropped digit */
	int rest = 0;

	if (kept < 0) {
		half = 0;
		rest = 1;
	} else {
		half = mant_digit(n->ip, n->ilen, n->fp, drop);
		for (size_t i = drop + 1; i < ndig && !rest; i++)
			rest = mant_digit(n->ip, n->ilen, n->fp, i) != 0;
	}
	*lost = half != 0 || rest;
	return half > 5 || (half == 5 && (rest || (v & 1)));
}

/* n's value scaled by 10^shift, rounded half-even, in *out. */
static int scale_number(const struct num *n, int shift, int64_t *out, int *lost)
{
	size_t ndig = n->ilen + n->flen, first, i;
	long long k, kept;
	uint64_t v = 0, limit;
	int up = 0;

	/* value = mantissa digits * 10^(exp10 - flen); scaled by 10^shift. */
	for (first = 0; first < ndig; first++)
		if (mant_digit(n->ip, n->ilen, n->fp, first) != 0)
			break;
	*lost = 0;
	if (first == ndig) {
		*out = 0;
		return NUM_OK;
	}
	k = n->exp10 - (long long)n->flen + shift;
	/* Significant digits that end up left of the point. */
	kept = (long long)(ndig - first) + k;
	if (kept > 19)
		return NUM_RANGE;
	for (i = first; (long long)(i - first) < kept && i < ndig; i++)
		v = v * 10 + (uint64_t)mant_digit(n->ip, n->ilen, n->fp, i);
	for (; (long long)(i - first) < kept; i++)
		v *= 10; /* k > 0: trailing zeros; kept <= 19 keeps this < 10^19 */
	if (kept < (long long)(ndig - first)) /* digits were dropped */
		up = round_up(n, ndig, kept > 0 ? first + (size_t)kept : first, kept, v, lost);
	limit = n->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (v > limit || (up && v == limit))
		return NUM_RANGE;
	v += (uint64_t)up;
	if (n->neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return NUM_OK;
}

int money_parse(const char *s, size_t len, int shift, int64_t *out, int *rounded,
		struct lc_err *err)
{
	struct num n = { 0 };
	int64_t v;
	int lost, rc;

	if (!s)
		return lc_errf(err, LC_EDATA, "malformed number ''");
	rc = scan_number(s, len, &n);
	if (rc == NUM_OK)
		rc = scale_number(&n, shift, &v, &lost);
	if (rc == NUM_MALFORMED)
		return lc_errf(err, LC_EDATA, "malformed number '%.*s'", quote_len(len), s);
	if (rc == NUM_RANGE)
		return lc_errf(err, LC_EDATA, "number '%.*s' out of range", quote_len(len), s);
	*out = v;
	if (rounded)
		*rounded = lost;
	return 0;
}

/*
 * The only floating point in this file: format v with the shortest of
 * %.15g/%.16g/%.17g that strtod()s back to v, in the "C" numeric locale
 * whatever the caller's locale, then parse that text exactly.
 */
int money_from_double(double v, int shift, int64_t *out, int *rounded,
		      struct lc_err *err)
{
	locale_t c, old = (locale_t)0;
	char buf[64], *q;
	int prec;

	if (isnan(v))
		return lc_errf(err, LC_EDATA, "non-finite number 'nan'");
	if (isinf(v))
		return lc_errf(err, LC_EDATA, "non-finite number '%s'",
			       v < 0 ? "-inf" : "inf");
	c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c)
		old = uselocale(c);
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		/* Defensive, should newlocale() fail: a ',' decimal separator. */
		for (q = buf; *q; q++)
			if (*q == ',')
				*q = '.';
		if (strtod(buf, NULL) == v)
			break;
	}
	if (c) {
		uselocale(old);
		freelocale(c);
	}
	return money_parse(buf, strlen(buf), shift, out, rounded, err);
}

/* Unsigned n/d rounded half-even (d > 0). */
static lc_u128 udiv_half_even(lc_u128 n, lc_u128 d)
{
	lc_u128 q = n / d, r = n % d;

	if (r > d - r || (r == d - r && (q & 1)))
		q++;
	return q;
}

lc_i128 money_div_half_even(lc_i128 n, lc_i128 d)
{
	lc_i128 q = n / d, r = n % d;

	if (r >= 0) {
		if (r > d - r || (r == d - r && (q & 1)))
			q++;
	} else {
		r = -r;
		if (r > d - r || (r == d - r && (q & 1)))
			q--;
	}
	return q;
}

lc_i128 money_muldiv(lc_i128 a, lc_i128 b, lc_i128 d)
{
	return money_div_half_even(a * b, d);
}

int money_cost(int64_t tokens, int64_t price_per_m, int64_t *out, struct lc_err *err)
{
	lc_i128 c;

	if (tokens < 0 || price_per_m < 0)
		return lc_errf(err, LC_EDATA,
			       "cost out of range: negative %s %" PRId64,
			       tokens < 0 ? "token count" : "price",
			       tokens < 0 ? tokens : price_per_m);
	/* Both below 2^63: the product is below 2^126. */
	c = money_muldiv(tokens, price_per_m, 1000000);
	if (c > INT64_MAX)
		return lc_errf(err, LC_EDATA, "cost out of range");
	*out = (int64_t)c;
	return 0;
}

/* Write the decimal digits of v at the end of tmp[]; returns the first digit. */
static char *u128_digits(char *tmpend, lc_u128 v)
{
	char *p = tmpend;

	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	return p;
}

/* A bounded string builder: never overruns, always NUL-terminates. */
struct sb {
	char *buf;
	size_t n, len;
};

static void sb_putc(struct sb *b, char c)
{
	if (b->n && b->len + 1 < b->n)
		b->buf[b->len++] = c;
	if (b->n)
		b->buf[b->len] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

/* Integer part with optional thousands commas. */
static void sb_int(struct sb *b, lc_u128 v, int commas)
{
	char tmp[48], *e = tmp + sizeof(tmp) - 1, *p;
	size_t nd;

	*e = '\0';
	p = u128_digits(e, v);
	nd = (size_t)(e - p);
	for (; *p; p++, nd--) {
		sb_putc(b, *p);
		if (commas && nd > 1 && (nd - 1) % 3 == 0)
			sb_putc(b, ',');
	}
}

/* Exactly `width` digits of v (v < 10^width), zero-padded. */
static void sb_frac(struct sb *b, lc_u128 v, int width, int trim)
{
	char tmp[48];
	int i;

	if (width > (int)sizeof(tmp) - 1)
		width = (int)sizeof(tmp) - 1;
	for (i = width - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + (int)(v % 10));
		v /= 10;
	}
	if (trim)
		while (width > 0 && tmp[width - 1] == '0')
			width--;
	tmp[width] = '\0';
	if (width > 0) {
		sb_putc(b, '.');
		sb_puts(b, tmp);
	}
}

static lc_u128 pow10_u(int e)
{
	lc_u128 p = 1;

	while (e-- > 0)
		p *= 10;
	return p;
}

static lc_u128 magnitude(lc_i128 v)
{
	return v < 0 ? -(lc_u128)v : (lc_u128)v;
}

/* Format |nanos| with sign and options into b. */
static void format_into(struct sb *b, lc_i128 nanos, int decimals, int commas,
			const char *prefix)
{
	lc_u128 mag = magnitude(nanos), ip, fr;

	if (decimals < 0) {
		ip = mag / LC_NANO;
		fr = mag % LC_NANO;
		if (nanos < 0)
			sb_putc(b, '-');
		sb_puts(b, prefix);
		sb_int(b, ip, commas);
		sb_frac(b, fr, 9, 1);
		return;
	}
	if (decimals > 30)
		decimals = 30;
	if (decimals <= 9) {
		lc_u128 unit = pow10_u(9 - decimals), scale = pow10_u(decimals);
		lc_u128 r = udiv_half_even(mag, unit);

		ip = r / scale;
		fr = r % scale;
		if (nanos < 0 && r != 0) /* no "-0.00" */
			sb_putc(b, '-');
		sb_puts(b, prefix);
		sb_int(b, ip, commas);
		if (decimals > 0)
			sb_frac(b, fr, decimals, 0);
		return;
	}
	/* More decimals than the unit has: exact digits, then zeros. */
	ip = mag / LC_NANO;
	fr = mag % LC_NANO;
	if (nanos < 0)
		sb_putc(b, '-');
	sb_puts(b, prefix);
	sb_int(b, ip, commas);
	sb_frac(b, fr, 9, 0);
	for (decimals -= 9; decimals > 0; decimals--)
		sb_putc(b, '0');
}

char *money_format(char *buf, size_t n, lc_i128 nanos, int decimals)
{
	struct sb b = { buf, n, 0 };

	if (n)
		buf[0] = '\0';
	format_into(&b, nanos, decimals, 0, "");
	return buf;
}

char *money_format_usd(char *buf, size_t n, lc_i128 nanos)
{
	struct sb b = { buf, n, 0 };
	lc_u128 mag = magnitude(nanos);
	const lc_u128 cent = LC_NANO / 100;

	if (n)
		buf[0] = '\0';
	if (mag != 0 && mag < cent) {
		/* Three significant digits, half-even, trailing zeros dropped. */
		lc_u128 v = mag, p = 1;
		int nd = 0;

		while (v) {
			v /= 10;
			nd++;
		}
		if (nd > 3) {
			p = pow10_u(nd - 3);
			v = udiv_half_even(mag, p) * p;
		} else {
			v = mag;
		}
		if (v < cent) {
			format_into(&b, nanos < 0 ? -(lc_i128)v : (lc_i128)v,
				    -1, 0, "$");
			return buf;
		}
		/* Rounded up to a cent: fall through to the cents format. */
	}
	format_into(&b, nanos, 2, 1, "$");
	return buf;
}

int tokens_parse(const char *s, size_t len, int64_t *out, struct lc_err *err)
{
	int64_t v = 0;
	size_t i;

	if (!s || len == 0)
		return lc_errf(err, LC_EDATA, "malformed token count ''");
	for (i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return lc_errf(err, LC_EDATA, "malformed token count '%.*s'",
				       quote_len(len), s);
	for (i = 0; i < len; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > LC_TOKENS_MAX)
			return lc_errf(err, LC_EDATA,
				       "token count '%.*s' out of range",
				       quote_len(len), s);
	}
	*out = v;
	return 0;
}

char *money_format_price(char *buf, size_t n, lc_i128 nanos)
{
	struct sb b = { buf, n, 0 };
	lc_u128 mag = magnitude(nanos);

	if (n)
		buf[0] = '\0';
	format_into(&b, nanos, -1, 1, "");
	/* at least two decimals: the exact form drops trailing zeros */
	if (mag % (LC_NANO / 100) == 0)
		format_into(&(struct sb){ buf, n, 0 }, nanos, 2, 1, "");
	return buf;
}

char *money_format_count(char *buf, size_t n, lc_i128 v)
{
	struct sb b = { buf, n, 0 };

	if (n)
		buf[0] = '\0';
	if (v < 0)
		sb_putc(&b, '-');
	sb_int(&b, magnitude(v), 1);
	return buf;
}

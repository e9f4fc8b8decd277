/*
 * money.h - exact money: integers in a fixed unit, never binary floating point.
 *
 * Unit: one "nano" = 1e-9 USD.
 *   - a price per million tokens is stored as nano-USD per 1M tokens
 *     ($2.50/M -> 2 500 000 000; equivalently 1e-15 USD per token);
 *   - a per-item fee (per request, per search, per image) is nano-USD per item;
 *   - a cost is nano-USD.
 * Products use 128-bit integers; each reported figure is rounded half-even once.
 */
#ifndef LC_MONEY_H
#define LC_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef __int128 lc_i128;

#define LC_NANO 1000000000LL       /* nanos per USD */
#define LC_TOKENS_MAX 1000000000000LL /* 10^12: the largest token count accepted */

/*
 * Parse decimal text exactly and scale it by 10^shift, rounding half-even past
 * the last kept digit.  Accepts: optional leading/trailing blanks, optional '$'
 * (after an optional sign), optional '-' or '+', digits with an optional '.'
 * fraction, an optional exponent (e/E, sign, up to 4 digits).  Examples with
 * shift 9: "2.50" -> 2500000000, "$2.50" -> same, "0.0375" -> 37500000,
 * "3.75e-08" with shift 15 -> 37500000.  No thousands separators, no locale.
 * len is the text length (the text need not be NUL-terminated).
 * On success stores the value in *out, sets *rounded (may be NULL) to 1 when
 * digits were lost, returns 0.  Returns -1 with LC_EDATA in err on malformed
 * text and on a value that does not fit int64 ("out of range").
 */
int money_parse(const char *s, size_t len, int shift, int64_t *out, int *rounded,
		struct lc_err *err);

/*
 * Convert a double that came from a JSON parser (cJSON gives no text) by the
 * one documented rule: format it with the shortest of %.15g, %.16g, %.17g that
 * strtod()s back to the same double, then money_parse() that text with shift.
 * Rejects non-finite values (LC_EDATA).
 */
int money_from_double(double v, int shift, int64_t *out, int *rounded,
		      struct lc_err *err);

/*
 * Cost of `tokens` at `price_per_m` (nano-USD per 1M tokens):
 * tokens * price / 10^6, rounded half-even, into *out (nano-USD).
 * Returns -1 (LC_EDATA, "cost out of range") when the result does not fit
 * int64 or tokens/price are negative.
 */
int money_cost(int64_t tokens, int64_t price_per_m, int64_t *out, struct lc_err *err);

/* Exact a*b/d rounded half-even (d > 0).  No overflow check beyond __int128. */
lc_i128 money_muldiv(lc_i128 a, lc_i128 b, lc_i128 d);

/* Divide rounding half-even (d > 0); used for display rounding and averages. */
lc_i128 money_div_half_even(lc_i128 n, lc_i128 d);

/*
 * Format nanos (nano-USD, or any value in 1e-9 units) as decimal text in buf.
 * decimals >= 0: round half-even to that many decimals and always print them
 *               ("1.68" for 1683000000 with decimals 2).
 * decimals < 0 : exact, shortest form: trailing zeros and a bare '.' removed
 *               ("1.683", "30", "0.0375").  This is what JSON output uses.
 * Never uses the locale.  Returns buf.  A buffer of 64 bytes always suffices.
 */
char *money_format(char *buf, size_t n, lc_i128 nanos, int decimals);

/*
 * The display rules for people (text, Markdown, HTML; JSON and CSV stay
 * exact with money_format(-1)).  Every text figure goes through these three.
 *
 * A price (a rate: nano-USD per 1M tokens, per request, per image) is
 * never rounded: exact, with at least two decimals and thousands commas,
 * no '$' (the column or the sentence names the unit): "2.50", "0.0375",
 * "0.000075", "1,250.00".  Returns buf.
 */
char *money_format_price(char *buf, size_t n, lc_i128 nanos);

/*
 * A cost (an amount spent or estimated): "$1.68", "$0.000123", "$12,345.67".
 * Amounts of a cent or more are rounded half-even to the cent, with thousands
 * commas; smaller non-zero amounts keep 3 significant digits (half-even,
 * trailing zeros dropped: "$0.0035", "$0.000075"), and one that rounds up to
 * a cent is "$0.01"; 0 is "$0.00"; a negative amount is "-$1.68".
 */
char *money_format_usd(char *buf, size_t n, lc_i128 nanos);

/* A count for people: digits grouped by three with commas ("1,234,567",
   "-1,000", "999").  Returns buf. */
char *money_format_count(char *buf, size_t n, lc_i128 v);

/*
 * Parse a non-negative integer token count from decimal text: digits only,
 * no sign, fraction, exponent or separator, at most LC_TOKENS_MAX.
 * Returns 0 or -1 (LC_EDATA).
 */
int tokens_parse(const char *s, size_t len, int64_t *out, struct lc_err *err);

#endif

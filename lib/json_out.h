/*
 * json_out.h - one small JSON writer for every --json output.
 *
 * The writer tracks nesting and places the commas: a value or a key
 * written inside a container is preceded by the container's separator,
 * except the first, which gets the container's lead.  Strings are escaped
 * with lib/escape.c (ESC_JSON): any bytes give valid JSON and never a raw
 * control character.  Money is exact: json_money writes nano-USD as a
 * decimal number (money_format, trailing zeros trimmed), never through a
 * double.
 *
 * Layout is the caller's choice, per container, so the existing outputs
 * keep their exact bytes: by default members are separated by ", " with
 * nothing around them ({"a": 1, "b": [1, 2]}); json_layout sets another
 * lead, separator and tail (e.g. one array element per line).
 *
 *   struct json_out j;
 *   json_init(&j, stdout);
 *   json_begin_object(&j);
 *   json_key(&j, "model"); json_str(&j, "gpt-4o");
 *   json_key(&j, "cost");  json_money(&j, 2500000);
 *   json_end(&j);                       -> {"model": "gpt-4o", "cost": 0.0025}
 *
 * The writer never fails by itself: write errors show on the FILE
 * (ferror), which the command checks before it exits.  Nesting deeper
 * than JSON_OUT_DEPTH is a programming error (asserted).
 */
#ifndef LC_JSON_OUT_H
#define LC_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "money.h"

#define JSON_OUT_DEPTH 16

struct json_out {
	FILE *f;
	int depth;                        /* open containers */
	int after_key;                    /* a key was written; its value comes next */
	char close[JSON_OUT_DEPTH];       /* '}' or ']' */
	long count[JSON_OUT_DEPTH];       /* members (keys or array values) so far */
	const char *lead[JSON_OUT_DEPTH]; /* before the first member */
	const char *sep[JSON_OUT_DEPTH];  /* before every other member */
	const char *tail[JSON_OUT_DEPTH]; /* before the closing bracket */
};

void json_init(struct json_out *j, FILE *f);

/* Open an object or an array (as a value: after a key, in an array, or at
   the top).  Its layout is the default ("" lead, ", " separator, "" tail). */
void json_begin_object(struct json_out *j);
void json_begin_array(struct json_out *j);

/* The layout of the innermost open container, from its next member on.
   The strings are written as they are and must outlive the container. */
void json_layout(struct json_out *j, const char *lead, const char *sep, const char *tail);

/* Close the innermost container (its tail, then '}' or ']'). */
void json_end(struct json_out *j);

/* A key of the innermost object (escaped); the next call writes its value. */
void json_key(struct json_out *j, const char *key);

/* Values. */
void json_str(struct json_out *j, const char *s);   /* NULL writes null */
void json_strn(struct json_out *j, const char *s, size_t n);
void json_int(struct json_out *j, int64_t v);
void json_uint(struct json_out *j, uint64_t v);
void json_i128(struct json_out *j, lc_i128 v);      /* exact decimal integer */
void json_bool(struct json_out *j, int v);
void json_null(struct json_out *j);
/* nano-USD as an exact decimal number, trailing zeros trimmed (0.0025). */
void json_money(struct json_out *j, lc_i128 nanos);
/* nano-units with exactly `decimals` places (money_format rounding). */
void json_money_fixed(struct json_out *j, lc_i128 nanos, int decimals);
/* A number already written as JSON number text (e.g. "1.50", "2"). */
void json_number(struct json_out *j, const char *text);

#endif

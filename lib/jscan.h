/*
 * jscan.h - a validating JSON scanner that extracts a few fields without
 * building a tree.
 *
 * It reads exactly the language that cJSON 1.7 (the parser of every other
 * JSON path in llmcost) reads, so a line is accepted or refused the same way
 * whichever of the two reads it; tests/unit/test_jscan.c checks this against
 * cJSON itself.  That language is a little wider than RFC 8259: bytes 1-32
 * count as blanks, numbers are what strtod() accepts from a run of
 * [0-9+-.eE] starting with '-' or a digit (so 01, 1. and -.5 pass), strings
 * may hold raw control bytes and invalid UTF-8, and
 * a \u escape with a non-hex digit stands for code point 0.  Nesting deeper
 * than 1000 containers is refused.
 *
 * The wanted fields form a tree of object keys (struct jscan_node).  Each
 * node records the FIRST member of its object with that key, whatever its
 * type, as cJSON_GetObjectItemCaseSensitive() finds the first: later
 * duplicates are skipped (still validated), and so are their subtrees.
 * Keys are compared after unescaping, up to a decoded NUL (as cJSON's C
 * strings end there).  Strings and numbers are not decoded: a value is the
 * span of its text (see jscan_str() and jscan_int()).
 */
#ifndef LC_JSCAN_H
#define LC_JSCAN_H

#include <stddef.h>
#include <stdint.h>

enum jscan_kind { JS_ABSENT, JS_NULL, JS_FALSE, JS_TRUE, JS_NUMBER, JS_STRING, JS_OBJECT, JS_ARRAY };

#define JSCAN_HSLOTS 32 /* children hashed by length and end bytes */

/* One wanted key: node 0 is the scanned value itself (key NULL, parent -1);
   every other node names a key of its parent's object.  Parents come first. */
struct jscan_node {
	const char *key;
	int parent;
	/* filled by jscan_prepare() */
	int klen, child, next;
	int hnext;                        /* next sibling in the same hash slot, or -1 */
	short hfirst[JSCAN_HSLOTS];       /* 1 + first child in each hash slot, 0: none */
};

/* Link the tree t[0..nt) for jscan() (once, before the first scan). */
void jscan_prepare(struct jscan_node *t, int nt);

#define JSCAN_U0 1 /* a \u escape stands for code point 0 (\u0000, or a non-hex digit) */

/* What was found for a node. */
struct jscan_val {
	int kind;          /* enum jscan_kind; JS_ABSENT when not found */
	const char *p;     /* the value's text: a string's bytes between the quotes */
	size_t n;
	int esc;           /* a string holding backslash escapes */
};

#define JSCAN_MAX_DEPTH 1000

/*
 * Scan the JSON value at the start of p[0..n) (after blanks and a UTF-8
 * BOM, as cJSON skips them), filling v[i] for each node i of t[0..nt).
 * Returns the offset just after the value, or -1 when the text is not a
 * JSON value.  Nothing after the value is looked at.  *flags gets JSCAN_U0
 * when a string escape decodes to NUL anywhere in the value.
 */
long jscan(const char *p, size_t n, const struct jscan_node *t, int nt, struct jscan_val *v,
	   unsigned *flags);
/* jscan() for text the caller knows holds no NUL byte (one pass fewer). */
long jscan_clean(const char *p, size_t n, const struct jscan_node *t, int nt,
		 struct jscan_val *v, unsigned *flags);

/* The offset of the first non-blank byte (as cJSON skips blanks) at or after i. */
size_t jscan_blank(const char *p, size_t n, size_t i);

/*
 * A string value's text, unescaped as cJSON does and ended at the first NUL
 * (cJSON's valuestring is a C string), into buf (n bytes, NUL-terminated).
 * Returns buf, or NULL when v is not a string or the text does not fit.
 */
char *jscan_str(const struct jscan_val *v, char *buf, size_t n);

/*
 * A number's text as an exact integer: 0 with *out set when the text is
 * -?[0-9]+ and fits in 18 digits; 1 when it has a fraction or an exponent
 * (1e3, 1.0) or more digits; -1 when v is not a number.
 */
int jscan_int(const struct jscan_val *v, int64_t *out);

/* memmem() for short needles: the first needle[0..k) in p[0..n), or NULL
   (sixteen candidate places at a time with SSE2). */
const char *jscan_find(const char *p, size_t n, const char *needle, size_t k);
/* The same from the end: the last needle[0..k) in p[0..n), or NULL (quick
   when the needle is near the end, as a Claude Code line's "usage" is). */
const char *jscan_rfind(const char *p, size_t n, const char *needle, size_t k);

#endif

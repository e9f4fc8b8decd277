/*
 * jscan.c - the validating field-extracting JSON scanner; see jscan.h.
 *
 * Design: one recursive-descent pass over the bytes that follows cJSON
 * 1.7's parse_value/parse_object/parse_array/parse_string/parse_number step
 * for step (the same checks in the same order), but allocates nothing:
 * strings are skipped by finding '"' and '\\' sixteen bytes at a time, their
 * escapes checked as they are passed (and again as cJSON's second pass
 * reads them only when one is a \u); numbers are checked against the
 * strtod() grammar on the same run of characters cJSON hands to strtod().
 */
#include "jscan.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef const unsigned char *ptr;

struct ctx {
	ptr e;                       /* end of the text */
	const struct jscan_node *t;
	int nt;
	struct jscan_val *v;
	unsigned flags;
	int nul; /* the text has a NUL byte (keys end there for cJSON) */
};

static ptr blank(ptr p, ptr e)
{
	while (p < e && *p <= 32)
		p++;
	return p;
}

size_t jscan_blank(const char *p, size_t n, size_t i)
{
	return (size_t)((const char *)blank((ptr)p + i, (ptr)p + n) - p);
}

/* cJSON's parse_hex4: 0 on a non-hex digit. */
static unsigned hex4(ptr s)
{
	unsigned h = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = s[i];

		if (c >= '0' && c <= '9')
			h = h << 4 | (c - '0');
		else if (c >= 'A' && c <= 'F')
			h = h << 4 | (c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			h = h << 4 | (c - 'a' + 10);
		else
			return 0;
	}
	return h;
}

/*
 * The \u escape at b (string ends at end, the closing quote): its length
 * (6 or 12) and code point, or 0 when cJSON refuses it.
 */
static int uesc(ptr b, ptr end, unsigned long *cp)
{
	unsigned c1, c2;

	if (end - b < 6)
		return 0;
	c1 = hex4(b + 2);
	if (c1 >= 0xDC00 && c1 <= 0xDFFF)
		return 0;
	if (c1 >= 0xD800 && c1 <= 0xDBFF) {
		if (end - (b + 6) < 6 || b[6] != '\\' || b[7] != 'u')
			return 0;
		c2 = hex4(b + 8);
		if (c2 < 0xDC00 || c2 > 0xDFFF)
			return 0;
		*cp = 0x10000 + (((unsigned long)(c1 & 0x3FF) << 10) | (c2 & 0x3FF));
		return 12;
	}
	*cp = c1;
	return 6;
}

/* The escapes of a string's content [s, end) as cJSON's second pass reads
   them: 1 valid, 0 not.  (The pairing can differ from the first pass: a \u
   takes the next four bytes whatever they are.) */
static int escapes_ok(ptr s, ptr end, unsigned *flags)
{
	while (s < end) {
		ptr b = memchr(s, '\\', (size_t)(end - s));
		unsigned long cp;
		int k;

		if (!b)
			return 1;
		switch (b[1]) { /* b + 1 <= end, and *end is the closing quote */
		case 'b': case 'f': case 'n': case 'r': case 't': case '"': case '\\': case '/':
			s = b + 2;
			break;
		case 'u':
			if (!(k = uesc(b, end, &cp)))
				return 0;
			if (cp == 0)
				*flags |= JSCAN_U0;
			s = b + k;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

/* Bytes of v that are 0 get their top bit set (the lowest such byte is
   exact; bytes above it may be false alarms, which are never looked at). */
static uint64_t zero_bytes(uint64_t v)
{
	return (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL;
}

/* The first '"' or '\\' at or after q, or e: sixteen bytes at a time with
   SSE2 (every x86-64 has it), else eight in a 64-bit word. */
static ptr quote_or_backslash(ptr q, ptr e)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');

	for (; e - q >= 16; q += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(w, quote), _mm_cmpeq_epi8(w, bs)));

		if (m)
			return q + __builtin_ctz(m);
	}
#endif
	for (; e - q >= 8; q += 8) {
		uint64_t w, m;

		memcpy(&w, q, 8);
		m = zero_bytes(w ^ 0x2222222222222222ULL) | zero_bytes(w ^ 0x5C5C5C5C5C5C5C5CULL);
		if (m)
			return q + (__builtin_ctzll(m) >> 3);
	}
	while (q < e && *q != '"' && *q != '\\')
		q++;
	return q;
}

/* What may follow a backslash: 1 a one-byte escape, 2 'u', 0 nothing. */
static const unsigned char escchar[256] = {
	['b'] = 1, ['f'] = 1, ['n'] = 1, ['r'] = 1, ['t'] = 1, ['"'] = 1, ['\\'] = 1, ['/'] = 1,
	['u'] = 2,
};

/* The string at p ('"'): the closing quote, or NULL.  *esc: it has a
   backslash.  The end is found as cJSON's first pass finds it (a backslash
   takes the next byte whatever it is); the escapes are then checked as its
   second pass reads them.  With SSE2 the quotes and backslashes of sixteen
   bytes are found at once and the block's escapes taken in turn from its
   masks (text written by programs has one every few dozen bytes). */
static ptr string_end(ptr p, ptr e, int *esc, unsigned *flags)
{
	ptr q = p + 1;
	unsigned kinds = 0; /* bit k: an escape of escchar kind k seen */

	*esc = 0;
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');

	while (e - q >= 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, quote));
		unsigned mb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, bs));

		for (;;) {
			unsigned m = mq | mb, i;

			if (!m) {
				q += 16;
				break;
			}
			i = (unsigned)__builtin_ctz(m);
			if (mq >> i & 1) {
				q += i;
				goto found;
			}
			/* a backslash at q + i takes the byte after it */
			*esc = 1;
			if (q + i + 1 >= e)
				return NULL;
			kinds |= 1u << escchar[q[i + 1]];
			if (i == 15) { /* that byte is in the next block */
				q += 17;
				break;
			}
			m = ~((1u << (i + 2)) - 1);
			mq &= m, mb &= m;
		}
	}
#endif
	for (;;) {
		q = quote_or_backslash(q, e);
		if (q >= e)
			return NULL;
		if (*q == '"')
			break;
		*esc = 1;
		if (q + 1 >= e)
			return NULL;
		kinds |= 1u << escchar[q[1]];
		q += 2;
	}
#ifdef __SSE2__
found:
#endif
	/* without a \u both passes pair the same bytes, so the escapes just
	   seen are the second pass's: its look is needed only after a \u */
	if (!(kinds & 1u << 2))
		return kinds & 1u ? NULL : q;
	if (!escapes_ok(p + 1, q, flags))
		return NULL;
	return q;
}

static const unsigned char numchar[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, ['e'] = 1, ['E'] = 1,
};

#define DIGIT(c) ((c) >= '0' && (c) <= '9')

/* cJSON copies the run of [0-9+-.eE] and strtod() reads a prefix of it:
   the end of that prefix, or NULL when it is empty.  (cJSON 1.7.15 as
   Debian ships it, with the CVE fixes, copies the whole run; the original
   1.7.15 stopped at 63 characters.) */
static ptr number_end(ptr p, ptr e)
{
	size_t run = 0, i = 0, d = 0;

	while (p + run < e && numchar[p[run]])
		run++;
	if (i < run && (p[i] == '-' || p[i] == '+'))
		i++;
	while (i < run && DIGIT(p[i]))
		i++, d++;
	if (i < run && p[i] == '.') {
		i++;
		while (i < run && DIGIT(p[i]))
			i++, d++;
	}
	if (d == 0)
		return NULL;
	if (i < run && (p[i] == 'e' || p[i] == 'E')) {
		size_t j = i + 1;

		if (j < run && (p[j] == '+' || p[j] == '-'))
			j++;
		if (j < run && DIGIT(p[j])) {
			while (j < run && DIGIT(p[j]))
				j++;
			i = j;
		}
	}
	return p + i;
}

/* A key [s, end) (escapes when esc) equal to k (klen bytes, no NUL) up to
   its first NUL, as cJSON's strcmp() compares? */
static int key_is(ptr s, ptr end, int esc, const char *k, size_t klen)
{
	char buf[128];
	struct jscan_val v = { JS_STRING, (const char *)s, (size_t)(end - s), esc };
	size_t n = (size_t)(end - s);

	if (!esc) /* the length first: most keys differ in it */
		return (n == klen || (n > klen && s[klen] == '\0')) && s[0] == (unsigned char)k[0] &&
		       !memcmp(s, k, klen);
	if (!jscan_str(&v, buf, sizeof(buf)))
		return 0; /* too long for any wanted key */
	return !strcmp(buf, k);
}

/* A key's hash slot from its raw bytes (length, first and last byte). */
static unsigned khash(ptr s, size_t n)
{
	return n ? (unsigned)(n * 7 + s[0] + s[n - 1] * 3) % JSCAN_HSLOTS : 0;
}

void jscan_prepare(struct jscan_node *t, int nt)
{
	for (int i = 0; i < nt; i++) {
		t[i].klen = t[i].key ? (int)strlen(t[i].key) : 0;
		t[i].child = t[i].next = t[i].hnext = -1;
		memset(t[i].hfirst, 0, sizeof(t[i].hfirst));
	}
	for (int i = nt - 1; i > 0; i--) {
		t[i].next = t[t[i].parent].child;
		t[t[i].parent].child = i;
	}
	/* each slot's chain in child order, as the list is searched */
	for (int i = nt - 1; i > 0; i--) {
		short *first = &t[t[i].parent].hfirst[khash((ptr)t[i].key, (size_t)t[i].klen)];

		t[i].hnext = *first - 1;
		*first = (short)(i + 1);
	}
}

static ptr value(struct ctx *c, ptr p, int node, int depth);

static ptr object(struct ctx *c, ptr p, int node, int depth)
{
	ptr e = c->e;

	if (depth >= JSCAN_MAX_DEPTH)
		return NULL;
	p = blank(p + 1, e);
	if (p < e && *p == '}')
		return p + 1;
	if (p >= e)
		return NULL;
	for (;;) {
		ptr ks, ke;
		int esc, child = -1;

		/* cJSON steps back and skips blanks again: the same place */
		if (p >= e || *p != '"' || !(ke = string_end(p, e, &esc, &c->flags)))
			return NULL;
		ks = p + 1;
		if (node >= 0 && !esc && !c->nul) {
			/* a key without escapes or NUL bytes: only its hash slot */
			size_t n = (size_t)(ke - ks);

			for (int i = c->t[node].hfirst[khash(ks, n)] - 1; i >= 0; i = c->t[i].hnext) {
				if ((size_t)c->t[i].klen == n && !memcmp(ks, c->t[i].key, n)) {
					if (c->v[i].kind == JS_ABSENT)
						child = i;
					break;
				}
			}
		} else if (node >= 0) {
			for (int i = c->t[node].child; i >= 0; i = c->t[i].next) {
				if (key_is(ks, ke, esc, c->t[i].key, (size_t)c->t[i].klen)) {
					/* the first member with the key is the one */
					if (c->v[i].kind == JS_ABSENT)
						child = i;
					break;
				}
			}
		}
		p = blank(ke + 1, e);
		if (p >= e || *p != ':')
			return NULL;
		p = blank(p + 1, e);
		if (!(p = value(c, p, child, depth + 1)))
			return NULL;
		p = blank(p, e);
		if (p < e && *p == ',') {
			p = blank(p + 1, e);
			continue;
		}
		if (p < e && *p == '}')
			return p + 1;
		return NULL;
	}
}

static ptr array(struct ctx *c, ptr p, int depth)
{
	ptr e = c->e;

	if (depth >= JSCAN_MAX_DEPTH)
		return NULL;
	p = blank(p + 1, e);
	if (p < e && *p == ']')
		return p + 1;
	if (p >= e)
		return NULL;
	for (;;) {
		if (!(p = value(c, p, -1, depth + 1)))
			return NULL;
		p = blank(p, e);
		if (p < e && *p == ',') {
			p = blank(p + 1, e);
			continue;
		}
		if (p < e && *p == ']')
			return p + 1;
		return NULL;
	}
}

/* The value at p (blanks skipped): the end of it, or NULL.  node >= 0
   records it in c->v[node]. */
static ptr value(struct ctx *c, ptr p, int node, int depth)
{
	ptr e = c->e, q;
	int kind, esc = 0;

	if (p >= e)
		return NULL;
	if (*p == 'n' && e - p >= 4 && !memcmp(p, "null", 4))
		kind = JS_NULL, q = p + 4;
	else if (*p == 'f' && e - p >= 5 && !memcmp(p, "false", 5))
		kind = JS_FALSE, q = p + 5;
	else if (*p == 't' && e - p >= 4 && !memcmp(p, "true", 4))
		kind = JS_TRUE, q = p + 4;
	else if (*p == '"') {
		if (!(q = string_end(p, e, &esc, &c->flags)))
			return NULL;
		if (node >= 0) {
			struct jscan_val *v = &c->v[node];

			v->kind = JS_STRING, v->p = (const char *)p + 1, v->n = (size_t)(q - p - 1);
			v->esc = esc;
		}
		return q + 1;
	} else if (*p == '-' || DIGIT(*p)) {
		if (!(q = number_end(p, e)))
			return NULL;
		kind = JS_NUMBER;
	} else if (*p == '[') {
		if (!(q = array(c, p, depth)))
			return NULL;
		kind = JS_ARRAY;
	} else if (*p == '{') {
		/* recorded before its members, so a duplicate of this key inside
		   it cannot take the node */
		if (node >= 0)
			c->v[node].kind = JS_OBJECT, c->v[node].p = (const char *)p;
		if (!(q = object(c, p, node, depth)))
			return NULL;
		if (node >= 0)
			c->v[node].n = (size_t)(q - p);
		return q;
	} else {
		return NULL;
	}
	if (node >= 0) {
		struct jscan_val *v = &c->v[node];

		v->kind = kind, v->p = (const char *)p, v->n = (size_t)(q - p), v->esc = 0;
	}
	return q;
}

static long scan(const char *text, size_t n, const struct jscan_node *t, int nt,
		 struct jscan_val *v, unsigned *flags, int nul)
{
	struct ctx c = { (ptr)text + n, t, nt, v, 0, nul };
	ptr p = (ptr)text, q;

	memset(v, 0, sizeof(*v) * (size_t)nt);
	if (!n)
		return -1;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	p = blank(p, c.e);
	q = value(&c, p, nt > 0 ? 0 : -1, 0);
	*flags = c.flags;
	return q ? (long)(q - (ptr)text) : -1;
}

long jscan(const char *text, size_t n, const struct jscan_node *t, int nt, struct jscan_val *v,
	   unsigned *flags)
{
	return scan(text, n, t, nt, v, flags, memchr(text, '\0', n) != NULL);
}

long jscan_clean(const char *text, size_t n, const struct jscan_node *t, int nt,
		 struct jscan_val *v, unsigned *flags)
{
	return scan(text, n, t, nt, v, flags, 0);
}

char *jscan_str(const struct jscan_val *v, char *buf, size_t n)
{
	ptr s = (ptr)v->p, end = s + v->n;
	size_t o = 0;

	if (v->kind != JS_STRING || !n)
		return NULL;
	if (!v->esc) {
		const unsigned char *z = memchr(s, '\0', v->n);
		size_t len = z ? (size_t)(z - s) : v->n;

		if (len >= n)
			return NULL;
		memcpy(buf, s, len);
		buf[len] = '\0';
		return buf;
	}
	while (s < end) {
		unsigned char out[4];
		int k = 1;

		if (*s != '\\') {
			out[0] = *s++;
		} else {
			switch (s[1]) {
			case 'b': out[0] = '\b'; break;
			case 'f': out[0] = '\f'; break;
			case 'n': out[0] = '\n'; break;
			case 'r': out[0] = '\r'; break;
			case 't': out[0] = '\t'; break;
			case 'u': {
				unsigned long cp = 0;
				int len = uesc(s, end, &cp);

				if (!len)
					return NULL; /* not from jscan() */
				if (cp < 0x80) {
					out[0] = (unsigned char)cp;
				} else if (cp < 0x800) {
					out[0] = (unsigned char)(0xC0 | cp >> 6);
					out[1] = (unsigned char)(0x80 | (cp & 0x3F));
					k = 2;
				} else if (cp < 0x10000) {
					out[0] = (unsigned char)(0xE0 | cp >> 12);
					out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
					out[2] = (unsigned char)(0x80 | (cp & 0x3F));
					k = 3;
				} else {
					out[0] = (unsigned char)(0xF0 | cp >> 18);
					out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
					out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
					out[3] = (unsigned char)(0x80 | (cp & 0x3F));
					k = 4;
				}
				s += len;
				goto put;
			}
			default: /* '"', '\\', '/' */
				out[0] = s[1];
				break;
			}
			s += 2;
		}
put:
		for (int i = 0; i < k; i++) {
			if (out[i] == '\0')
				goto done; /* cJSON's C string ends here */
			if (o + 1 >= n)
				return NULL;
			buf[o++] = (char)out[i];
		}
	}
done:
	buf[o] = '\0';
	return buf;
}

int jscan_int(const struct jscan_val *v, int64_t *out)
{
	const char *s = v->p, *end = v->p + v->n;
	int neg = 0, digits = 0;
	int64_t x = 0;

	if (v->kind != JS_NUMBER)
		return -1;
	if (s < end && *s == '-')
		neg = 1, s++;
	for (; s < end && DIGIT(*s); s++) {
		if (++digits > 18)
			return 1;
		x = x * 10 + (*s - '0');
	}
	if (s != end || !digits)
		return 1;
	*out = neg ? -x : x;
	return 0;
}

const char *jscan_find(const char *p, size_t n, const char *needle, size_t k)
{
	size_t i = 0;

	if (k == 0)
		return p;
#ifdef __SSE2__
	if (k >= 2) {
		const __m128i first = _mm_set1_epi8(needle[0]), last = _mm_set1_epi8(needle[k - 1]);

		/* candidates: first and last bytes match; then the middle */
		for (; n >= k + 15 && i <= n - k - 15; i += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + k - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));

			while (m) {
				unsigned j = (unsigned)__builtin_ctz(m);

				if (!memcmp(p + i + j + 1, needle + 1, k - 2))
					return p + i + j;
				m &= m - 1;
			}
		}
	}
#endif
	return memmem(p + i, n - i, needle, k);
}

const char *jscan_rfind(const char *p, size_t n, const char *needle, size_t k)
{
	size_t i = n; /* the places left to look at: [0, i - k] */

	if (k == 0)
		return p + n;
	if (n < k)
		return NULL;
#ifdef __SSE2__
	if (k >= 2) {
		const __m128i first = _mm_set1_epi8(needle[0]), last = _mm_set1_epi8(needle[k - 1]);

		/* the last sixteen places [s, s + 15] */
		while (i >= k + 15) {
			size_t s = i - k - 15;
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + s));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + s + k - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));

			while (m) {
				unsigned j = 31u - (unsigned)__builtin_clz(m);

				if (!memcmp(p + s + j + 1, needle + 1, k - 2))
					return p + s + j;
				m &= ~(1u << j);
			}
			i = s + k - 1;
		}
	}
#endif
	for (size_t s = i - k + 1; s-- > 0;)
		if (p[s] == needle[0] && !memcmp(p + s, needle, k))
			return p + s;
	return NULL;
}

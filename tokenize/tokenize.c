/*
 * tokenize.c - text to tokens: invalid UTF-8 replaced, NFC where asked,
 * split by the tokenizer's patterns, each piece BPE'd (bpe.c).  The steps
 * and their reasons are in tokenize.h.
 */
#include <errno.h>
#include <uninorm.h>

#include "tok_int.h"
#include "tokenize.h"

static struct tok *loaded[16];

struct tok *tok_get(const char *name, struct lc_err *err)
{
	const char *const *n = tok_names();
	size_t i = 0;

	while (n[i] && strcmp(n[i], name))
		i++;
	if (i >= ARRAY_SIZE(loaded) || !n[i] || !loaded[i]) {
		struct tok *t = xcalloc(1, sizeof(*t));

		if (tok_load(t, name, err)) {
			free(t);
			return NULL;
		}
		loaded[i] = t;
	}
	return loaded[i];
}

const char *tok_name(const struct tok *t)
{
	return t->name;
}

/* The length of the valid UTF-8 sequence at p[0..n), 0 when invalid; *bad the
   bytes of its maximal invalid prefix (at least 1) then. */
static size_t utf8_seq(const unsigned char *p, size_t n, size_t *bad)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xBF;
	size_t need, k;

	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		need = 1;
	else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		if (b == 0xE0)
			lo = 0xA0;
		if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		if (b == 0xF0)
			lo = 0x90;
		if (b == 0xF4)
			hi = 0x8F;
	} else {
		*bad = 1;
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if (k >= n || p[k] < lo || p[k] > hi) {
			*bad = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return need + 1;
}

/* text with each maximal invalid subsequence replaced by U+FFFD: NULL when
   text is valid UTF-8 (use it as it is), else a malloc'd copy. */
static char *utf8_fix(const char *text, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, o = 0, bad = 0, l;
	char *out;

	while (i < len && (l = utf8_seq(p + i, len - i, &bad)))
		i += l;
	if (i == len)
		return NULL;
	out = xmalloc(len * 3 + 1); /* at worst each byte becomes 3 */
	memcpy(out, text, i);
	o = i;
	while (i < len) {
		if ((l = utf8_seq(p + i, len - i, &bad))) {
			memcpy(out + o, p + i, l);
			o += l;
			i += l;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i += bad;
		}
	}
	out[o] = 0;
	*outlen = o;
	return out;
}

/* NFC of valid UTF-8 text into *out (malloc'd), or *out NULL when it is
   already NFC.  Returns 0, or -1 with err.  libunistring, not ICU: linking
   ICU costs every command some 2 MB at start-up. */
static int nfc(const char *text, size_t len, char **out, size_t *outlen, struct lc_err *err)
{
	size_t i = 0, n = 0;
	uint8_t *r;

	*out = NULL;
	while (i < len && (unsigned char)text[i] < 0xCC)
		i++; /* below U+0300 every character is its own NFC */
	if (i == len)
		return 0;
	if (!(r = u8_normalize(UNINORM_NFC, (const uint8_t *)text, len, NULL, &n)))
		return lc_errf(err, LC_ERUNTIME, "cannot normalise the text (NFC): %s",
			       strerror(errno));
	*out = xrealloc(r, n + 1);
	(*out)[n] = 0;
	*outlen = n;
	return 0;
}

/* text after the steps before any split: invalid UTF-8 replaced, NFC where
   asked (the spaces are marked per segment, after the added tokens). */
static int prepare_raw(const struct tok *t, const char *text, size_t len, char **out,
		       size_t *outlen, struct lc_err *err)
{
	size_t l1 = len, l2 = 0;
	char *fixed = utf8_fix(text, len, &l1), *norm = NULL;

	*out = NULL;
	if ((t->flags & TOK_NFC) && nfc(fixed ? fixed : text, l1, &norm, &l2, err)) {
		free(fixed);
		return -1;
	}
	if (norm) {
		free(fixed);
		*out = norm;
		*outlen = l2;
		return 0;
	}
	if (!fixed) {
		fixed = xmalloc(len + 1);
		memcpy(fixed, text, len);
		fixed[len] = 0;
	}
	*out = fixed;
	*outlen = l1;
	return 0;
}

/* p[0..n) with each ' ' as U+2581 into buf (room for 3n bytes); its length. */
static size_t space_mark(const unsigned char *p, size_t n, unsigned char *buf)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == ' ') {
			memcpy(buf + o, "\xE2\x96\x81", 3);
			o += 3;
		} else {
			buf[o++] = p[i];
		}
	}
	return o;
}

int tok_prepare(const struct tok *t, const char *text, size_t len, char **out, size_t *outlen,
		struct lc_err *err)
{
	char *marked;

	if (prepare_raw(t, text, len, out, outlen, err))
		return -1;
	if (!(t->flags & TOK_SPACE_MARK))
		return 0;
	marked = xmalloc(*outlen * 3 + 1);
	*outlen = space_mark((const unsigned char *)*out, *outlen, (unsigned char *)marked);
	marked[*outlen] = 0;
	free(*out);
	*out = marked;
	return 0;
}

struct sink {
	uint32_t *ids;
	size_t n, cap;
	int want_ids;
	int64_t count;
};

/* Split p[0..n) by pattern `level` (pieces: matches and the text between),
   each piece split by the next pattern, the last level's pieces BPE'd. */
static int split(struct tok *t, int level, const unsigned char *p, size_t n, struct sink *k,
		 struct lc_err *err)
{
	size_t at = 0, gap = 0;

	if (level == t->npat) {
		k->count += (int64_t)tok_bpe(t, p, n, k->want_ids ? &k->ids : NULL, &k->n, &k->cap);
		return 0;
	}
	while (at < n) {
		int rc = pcre2_match(t->re[level], p, n, at, PCRE2_NO_UTF_CHECK, t->md, t->mctx);
		size_t m0, m1;

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return lc_errf(err, LC_ERUNTIME, "tokenizer '%s': pattern %d failed (%d)",
				       t->name, level + 1, rc);
		/* copied out: the next level's matches reuse the match data */
		m0 = pcre2_get_ovector_pointer(t->md)[0];
		m1 = pcre2_get_ovector_pointer(t->md)[1];
		if (m1 == m0) {
			/* an empty match makes no piece: step over one character */
			at = m0 + 1;
			while (at < n && (p[at] & 0xC0) == 0x80)
				at++;
			continue;
		}
		if (m0 > gap && split(t, level + 1, p + gap, m0 - gap, k, err))
			return -1;
		if (split(t, level + 1, p + m0, m1 - m0, k, err))
			return -1;
		at = gap = m1;
	}
	if (n > gap && split(t, level + 1, p + gap, n - gap, k, err))
		return -1;
	return 0;
}

/* A whole token into the sink (an added one). */
static void sink_add(struct sink *k, uint32_t id)
{
	k->count++;
	if (!k->want_ids)
		return;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 256;
		k->ids = xrealloc(k->ids, k->cap * sizeof(*k->ids));
	}
	k->ids[k->n++] = id;
}

/* One stretch between added tokens: spaces marked where asked, then split. */
static int segment(struct tok *t, const unsigned char *p, size_t n, unsigned char *buf,
		   struct sink *k, struct lc_err *err)
{
	if (t->flags & TOK_SPACE_MARK) {
		n = space_mark(p, n, buf);
		p = buf;
	}
	return split(t, 0, p, n, k, err);
}

/* Cut the added tokens out of p[0..n) (leftmost, then longest), each one
   token; the stretches between go through segment(). */
static int cut_added(struct tok *t, const unsigned char *p, size_t n, struct sink *k,
		     struct lc_err *err)
{
	unsigned char *buf = (t->flags & TOK_SPACE_MARK) ? xmalloc(n * 3 + 1) : NULL;
	size_t i = 0, gap = 0, l;
	uint32_t id;
	int rc = 0;

	while (i < n && !rc) {
		if (!(t->flags & TOK_ADDED) || !(l = tok_added_at(t, p + i, n - i, &id))) {
			i++;
			continue;
		}
		if (i > gap)
			rc = segment(t, p + gap, i - gap, buf, k, err);
		sink_add(k, id);
		i = gap = i + l;
	}
	if (!rc && n > gap)
		rc = segment(t, p + gap, n - gap, buf, k, err);
	free(buf);
	return rc;
}

static int run(struct tok *t, const char *text, size_t len, struct sink *k, struct lc_err *err)
{
	char *prep;
	size_t plen;
	int rc;

	if (len > UINT32_MAX / 2)
		return lc_errf(err, LC_EDATA, "text too long to count (%zu bytes; at most 2 GiB)",
			       len);
	if (prepare_raw(t, text, len, &prep, &plen, err))
		return -1;
	if (t->flags & (TOK_ADDED | TOK_SPACE_MARK))
		rc = cut_added(t, (const unsigned char *)prep, plen, k, err);
	else
		rc = split(t, 0, (const unsigned char *)prep, plen, k, err);
	free(prep);
	return rc;
}

int tok_count(struct tok *t, const char *text, size_t len, int64_t *count, struct lc_err *err)
{
	struct sink k = { 0 };

	if (run(t, text, len, &k, err))
		return -1;
	*count = k.count;
	return 0;
}

int tok_encode(struct tok *t, const char *text, size_t len, uint32_t **ids, size_t *n,
	       struct lc_err *err)
{
	struct sink k = { .want_ids = 1 };

	if (run(t, text, len, &k, err)) {
		free(k.ids);
		return -1;
	}
	*ids = k.ids;
	*n = k.n;
	return 0;
}

int tok_decode(const struct tok *t, const uint32_t *ids, size_t n, char **out, size_t *len,
	       struct lc_err *err)
{
	size_t total = 0, o = 0;

	for (size_t i = 0; i < n; i++) {
		if (ids[i] >= t->ntok || !t->tokp[ids[i]])
			return lc_errf(err, LC_EDATA, "token id %u is not in tokenizer '%s'",
				       (unsigned)ids[i], t->name);
		total += t->tokl[ids[i]];
	}
	*out = xmalloc(total + 1);
	for (size_t i = 0; i < n; i++) {
		uint32_t fb = ids[i] - t->byte_id[0];

		if ((t->flags & TOK_CHARS) && fb < 256) {
			(*out)[o++] = (char)fb; /* a byte-fallback token "<0xNN>" */
			continue;
		}
		memcpy(*out + o, t->tokp[ids[i]], t->tokl[ids[i]]);
		o += t->tokl[ids[i]];
	}
	(*out)[o] = 0;
	*len = o;
	return 0;
}

/*
 * vocab.c - the shipped vocabularies: compiled in compressed (.incbin of
 * data/tokenizers/NAME.tkz, made by tools/tokconv.py; its header comment has
 * the layout), inflated and indexed on first use only.  The blobs sit in
 * .rodata, so a command that counts no tokens never pages them in.
 */
#include <zlib.h>

#include "tok_int.h"
#include "tokenize.h"

#define TOKENIZERS(X)                                          \
	X(tk_cl100k_base, "cl100k_base", "data/tokenizers/cl100k_base.tkz") \
	X(tk_o200k_base, "o200k_base", "data/tokenizers/o200k_base.tkz")    \
	X(tk_llama3, "llama3", "data/tokenizers/llama3.tkz")                \
	X(tk_qwen3, "qwen3", "data/tokenizers/qwen3.tkz")                   \
	X(tk_deepseek_v3, "deepseek_v3", "data/tokenizers/deepseek_v3.tkz") \
	X(tk_gemma3, "gemma3", "data/tokenizers/gemma3.tkz")          \
	X(tk_tekken, "tekken", "data/tokenizers/tekken.tkz")

#define EMBED(sym, name, file)                          \
	__asm__(".section .rodata\n"                    \
		".global " #sym "\n"                    \
		".balign 16\n" #sym ":\n"               \
		".incbin \"" file "\"\n"                \
		".global " #sym "_end\n" #sym "_end:\n" \
		".previous\n");                         \
	extern const unsigned char sym[], sym##_end[];
TOKENIZERS(EMBED)

struct blob {
	const char *name;
	const unsigned char *data, *end;
};

#define ROW(sym, name, file) { name, sym, sym##_end },
static const struct blob blobs[] = { TOKENIZERS(ROW){ NULL, NULL, NULL } };
#define NAME(sym, name, file) name,
static const char *const names[] = { TOKENIZERS(NAME) NULL };

const char *const *tok_names(void)
{
	return names;
}

/* Inflate a zlib stream into a malloc'd buffer; NULL when it is damaged. */
static unsigned char *inflate_all(const unsigned char *in, size_t inlen, size_t *outlen)
{
	z_stream z = { 0 };
	size_t cap = inlen * 3 + 4096;
	unsigned char *out = xmalloc(cap);
	int rc;

	if (inflateInit(&z) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)inlen;
	do {
		if (z.total_out == cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		z.next_out = out + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK);
	*outlen = z.total_out;
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;

		memcpy(&w, p, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	return h ^ (h >> 29);
}

static uint64_t hash_pair(uint64_t key)
{
	key *= 0x9e3779b97f4a7c15ull;
	return key ^ (key >> 31);
}

uint32_t tok_lookup(const struct tok *t, const unsigned char *p, size_t n)
{
	size_t i = hash_bytes(p, n) & t->bytes_mask;

	for (;; i = (i + 1) & t->bytes_mask) {
		uint32_t v = t->bytes_hash[i];

		if (!v)
			return TOK_NONE;
		if (t->tokl[v - 1] == n && memcmp(t->tokp[v - 1], p, n) == 0)
			return v - 1;
	}
}

size_t tok_added_at(const struct tok *t, const unsigned char *p, size_t n, uint32_t *id)
{
	size_t l = t->added_max[p[0]];

	for (l = l < n ? l : n; l > 0; l--) {
		for (size_t i = hash_bytes(p, l) & t->added_mask;; i = (i + 1) & t->added_mask) {
			uint32_t v = t->added_hash[i];

			if (!v)
				break;
			if (t->tokl[v - 1] == l && memcmp(t->tokp[v - 1], p, l) == 0) {
				*id = v - 1;
				return l;
			}
		}
	}
	return 0;
}

uint32_t tok_merge_rank(const struct tok *t, uint32_t a, uint32_t b, uint32_t *id)
{
	uint64_t key = ((uint64_t)(a + 1) << 32) | (b + 1);
	size_t i = hash_pair(key) & t->merge_mask;

	for (;; i = (i + 1) & t->merge_mask) {
		const struct tok_merge *m = &t->merge_hash[i];

		if (!m->key)
			return TOK_NONE;
		if (m->key == key) {
			*id = m->id;
			return m->rank;
		}
	}
}

static size_t pow2_above(size_t n)
{
	size_t s = 1024;

	while (s < n * 2)
		s *= 2;
	return s;
}

/* A reader of the decompressed layout; ok becomes 0 past the end. */
struct rd {
	const unsigned char *p, *end;
	int ok;
};

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v = 0;

	if (r->end - r->p < 4) {
		r->ok = 0;
		return 0;
	}
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)r->p[i] << (8 * i);
	r->p += 4;
	return v;
}

static const unsigned char *rd_bytes(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if ((size_t)(r->end - r->p) < n) {
		r->ok = 0;
		return NULL;
	}
	r->p += n;
	return p;
}

static int compile_pattern(struct tok *t, const unsigned char *pat, size_t len,
			   struct lc_err *err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile(pat, len, PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);

	if (!re)
		return lc_errf(err, LC_ERUNTIME,
			       "tokenizer '%s': pattern %d does not compile (error %d at %zu)",
			       t->name, t->npat + 1, ec, (size_t)off);
	/* without JIT (a platform without it) pcre2_match interprets: slower, same counts */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	t->re[t->npat++] = re;
	return 0;
}

static int read_patterns(struct tok *t, struct rd *r, struct lc_err *err)
{
	uint32_t np = rd_u32(r);

	if (!r->ok || (np == 0 && !(t->flags & TOK_CHARS)) || np > TOK_MAX_PATTERNS)
		return -1;
	for (uint32_t i = 0; i < np; i++) {
		uint32_t len = rd_u32(r);
		const unsigned char *p = rd_bytes(r, len);

		if (!r->ok)
			return -1;
		if (compile_pattern(t, p, len, err))
			return -2;
	}
	t->md = pcre2_match_data_create(1, NULL);
	t->mctx = pcre2_match_context_create(NULL);
	t->jit = pcre2_jit_stack_create(32 * 1024, 64 * 1024 * 1024, NULL);
	if (!t->md || !t->mctx || !t->jit)
		return lc_errf(err, LC_ERUNTIME, "out of memory"), -2;
	pcre2_jit_stack_assign(t->mctx, NULL, t->jit);
	return 0;
}

static void hash_token(struct tok *t, uint32_t id)
{
	size_t i = hash_bytes(t->tokp[id], t->tokl[id]) & t->bytes_mask;

	while (t->bytes_hash[i]) {
		uint32_t o = t->bytes_hash[i] - 1;

		/* a duplicate spelling keeps the lower id, as the references do */
		if (t->tokl[o] == t->tokl[id] && !memcmp(t->tokp[o], t->tokp[id], t->tokl[id]))
			return;
		i = (i + 1) & t->bytes_mask;
	}
	t->bytes_hash[i] = id + 1;
}

/* The token of each byte: the byte itself (byte-level BPE has every byte),
   or with TOK_CHARS its byte-fallback token "<0xNN>" (ids in a row, so
   decoding can tell them). */
static int byte_tokens(struct tok *t)
{
	for (int b = 0; b < 256; b++) {
		unsigned char c[8] = { (unsigned char)b };
		size_t l = 1;

		if (t->flags & TOK_CHARS)
			l = (size_t)snprintf((char *)c, sizeof(c), "<0x%02X>", b);
		if ((t->byte_id[b] = tok_lookup(t, c, l)) == TOK_NONE)
			return -1;
		if ((t->flags & TOK_CHARS) && t->byte_id[b] != t->byte_id[0] + (uint32_t)b)
			return -1;
	}
	return 0;
}

static int read_tokens(struct tok *t, struct rd *r)
{
	t->ntok = rd_u32(r);
	if (!r->ok || t->ntok == 0 || t->ntok > (1u << 24))
		return -1;
	t->tokp = xcalloc(t->ntok, sizeof(*t->tokp));
	t->tokl = xcalloc(t->ntok, sizeof(*t->tokl));
	t->bytes_mask = pow2_above(t->ntok) - 1;
	t->bytes_hash = xcalloc(t->bytes_mask + 1, sizeof(*t->bytes_hash));
	for (uint32_t id = 0; id < t->ntok; id++) {
		const unsigned char *l = rd_bytes(r, 2);

		if (!r->ok)
			return -1;
		t->tokl[id] = (uint16_t)(l[0] | l[1] << 8);
		t->tokp[id] = rd_bytes(r, t->tokl[id]);
		if (!r->ok)
			return -1;
		if (t->tokl[id])
			hash_token(t, id);
		else
			t->tokp[id] = NULL;
		if (t->tokl[id] > t->maxlen)
			t->maxlen = t->tokl[id];
	}
	return byte_tokens(t);
}

static int add_merge(struct tok *t, uint32_t a, uint32_t b, uint32_t rank)
{
	unsigned char joined[1 << 17];
	uint64_t key = ((uint64_t)(a + 1) << 32) | (b + 1);
	size_t i = hash_pair(key) & t->merge_mask;
	uint32_t id;

	if (a >= t->ntok || b >= t->ntok || !t->tokp[a] || !t->tokp[b])
		return -1;
	memcpy(joined, t->tokp[a], t->tokl[a]);
	memcpy(joined + t->tokl[a], t->tokp[b], t->tokl[b]);
	if ((id = tok_lookup(t, joined, (size_t)t->tokl[a] + t->tokl[b])) == TOK_NONE)
		return -1;
	while (t->merge_hash[i].key) {
		if (t->merge_hash[i].key == key)
			return 0; /* the first (lowest) rank of a repeated pair wins */
		i = (i + 1) & t->merge_mask;
	}
	t->merge_hash[i] = (struct tok_merge){ key, rank, id };
	return 0;
}

static int read_merges(struct tok *t, struct rd *r)
{
	uint32_t nm = rd_u32(r);

	if (!r->ok || nm > (1u << 24))
		return -1;
	if (!(t->flags & TOK_MERGES))
		return nm == 0 ? 0 : -1;
	t->merge_mask = pow2_above(nm) - 1;
	t->merge_hash = xcalloc(t->merge_mask + 1, sizeof(*t->merge_hash));
	for (uint32_t i = 0; i < nm; i++) {
		uint32_t a = rd_u32(r), b = rd_u32(r);

		if (!r->ok || add_merge(t, a, b, i))
			return -1;
	}
	return 0;
}

/* TOK_ADDED: the ids of the added tokens, hashed by their bytes. */
static int read_added(struct tok *t, struct rd *r)
{
	uint32_t na;

	if (!(t->flags & TOK_ADDED))
		return 0;
	na = rd_u32(r);
	if (!r->ok || na > t->ntok)
		return -1;
	t->added_mask = pow2_above(na) - 1;
	t->added_hash = xcalloc(t->added_mask + 1, sizeof(*t->added_hash));
	for (uint32_t k = 0; k < na; k++) {
		uint32_t id = rd_u32(r);
		size_t i;

		if (!r->ok || id >= t->ntok || !t->tokp[id] || t->tokl[id] > 255)
			return -1;
		i = hash_bytes(t->tokp[id], t->tokl[id]) & t->added_mask;
		while (t->added_hash[i])
			i = (i + 1) & t->added_mask;
		t->added_hash[i] = id + 1;
		if (t->tokl[id] > t->added_max[t->tokp[id][0]])
			t->added_max[t->tokp[id][0]] = (uint8_t)t->tokl[id];
	}
	return 0;
}

static int parse(struct tok *t, size_t len, struct lc_err *err)
{
	struct rd r = { t->buf, t->buf + len, 1 };
	const unsigned char *magic = rd_bytes(&r, 4);
	int rc;

	if (!magic || memcmp(magic, "LCTK", 4) || rd_u32(&r) != 1)
		return -1;
	t->flags = rd_u32(&r);
	if ((rc = read_patterns(t, &r, err)))
		return rc;
	if (read_tokens(t, &r) || read_merges(t, &r) || read_added(t, &r) || r.p != r.end)
		return -1;
	return 0;
}

int tok_load(struct tok *t, const char *name, struct lc_err *err)
{
	const struct blob *b = blobs;
	size_t len;
	int rc;

	while (b->name && strcmp(b->name, name))
		b++;
	if (!b->name) {
		char known[256] = "";

		for (const char *const *n = names; *n; n++) {
			size_t l = strlen(known);

			snprintf(known + l, sizeof(known) - l, "%s%s", l ? ", " : "", *n);
		}
		return lc_errf(err, LC_EUSAGE, "unknown tokenizer '%s' (known: %s)", name, known);
	}
	memset(t, 0, sizeof(*t));
	t->name = b->name;
	if (!(t->buf = inflate_all(b->data, (size_t)(b->end - b->data), &len)))
		return lc_errf(err, LC_ERUNTIME, "tokenizer '%s': damaged data", name);
	if ((rc = parse(t, len, err)) == -1)
		return lc_errf(err, LC_ERUNTIME, "tokenizer '%s': malformed data", name);
	return rc ? -1 : 0;
}

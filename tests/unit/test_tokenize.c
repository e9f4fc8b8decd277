/*
 * test_tokenize.c - tokenize/: ids of known texts, the UTF-8 replacement
 * rule, NFC where the tokenizer asks for it, Gemma's SentencePiece-style
 * steps, the two merge paths agreeing,
 * encode -> decode round trips, the model -> tokenizer rules, and a long run
 * of one character (the heap path; the CLI test checks counts against the
 * references on the fixture corpus).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tok_int.h"
#include "tokenize.h"

static struct tok *get(const char *name)
{
	struct lc_err err = { 0 };
	struct tok *t = tok_get(name, &err);

	CHECK(t != NULL);
	if (!t) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	return t;
}

/* "id id id" of text under name */
static char *ids_of(const char *name, const char *text, size_t len)
{
	static char buf[1024];
	struct lc_err err = { 0 };
	uint32_t *ids = NULL;
	size_t n = 0, o = 0;

	buf[0] = 0;
	CHECK(tok_encode(get(name), text, len, &ids, &n, &err) == 0);
	for (size_t i = 0; i < n && o < sizeof(buf) - 16; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u", i ? " " : "",
				      (unsigned)ids[i]);
	free(ids);
	return buf;
}

TEST(known_ids)
{
	/* from tiktoken and Hugging Face tokenizers on the same texts */
	CHECK_STR(ids_of("cl100k_base", "Hello world", 11), "9906 1917");
	CHECK_STR(ids_of("o200k_base", "Hello world", 11), "13225 2375");
	CHECK_STR(ids_of("llama3", "Hello world, 中文 ééé", 26),
		  "9906 1917 11 73958 17161 4046 978 978");
	/* Tekken: tiktoken's ranks + Mistral's 1,000 special ids ("Hello" 22177) */
	CHECK_STR(ids_of("tekken", "Hello world, 中文 ééé", 26),
		  "22177 4304 1044 30549 11449 1782 1337 1337");
	CHECK_STR(ids_of("cl100k_base", "", 0), "");
}

/* Gemma 3 (ids from Hugging Face tokenizers, without special tokens): ' ' is
   U+2581 before BPE, a character outside the vocabulary is its byte-fallback
   tokens, and the added tokens of the raw text ("\n\n", "<b>", "\t", a
   literal "\u2581\u2581") are cut out first, each one token. */
TEST(gemma)
{
	static const char text[] = "Hello  world\n\n<b>x</b>\t\xf4\x8f\xbf\xbf"
				   "\xe2\x96\x81\xe2\x96\x81 a";
	struct lc_err err = { 0 };
	uint32_t ids[] = { 482, 381, 429, 429, 138 };
	char *out = NULL;
	size_t len;

	CHECK_STR(ids_of("gemma3", text, sizeof(text) - 1),
		  "9259 138 12392 108 200 236781 209 255968 482 381 429 429 138 496");
	CHECK_STR(ids_of("gemma3", "<table><unused3>[multimodal]", 28), "168 9 5");
	/* a special token counts as text, as for the other tokenizers */
	CHECK(strcmp(ids_of("gemma3", "<start_of_turn>", 15), "105") != 0);
	/* decode: byte-fallback tokens are their bytes; U+2581 stays */
	CHECK(tok_decode(get("gemma3"), ids, 5, &out, &len, &err) == 0);
	CHECK_INT(len, 10);
	CHECK(len == 10 && memcmp(out, "\xf4\x8f\xbf\xbf\xe2\x96\x81\xe2\x96\x81", 10) == 0);
	free(out);
}

static char *prepared(const char *name, const char *text, size_t len, size_t *plen)
{
	static char buf[256];
	struct lc_err err = { 0 };
	char *p = NULL;

	CHECK(tok_prepare(get(name), text, len, &p, plen, &err) == 0);
	memcpy(buf, p, *plen < sizeof(buf) ? *plen : sizeof(buf) - 1);
	buf[*plen < sizeof(buf) ? *plen : sizeof(buf) - 1] = 0;
	free(p);
	return buf;
}

TEST(invalid_utf8)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\xff" "b", "a\xEF\xBF\xBD" "b" },
		{ "\xe2\x82x", "\xEF\xBF\xBDx" },                  /* cut 3-byte: one U+FFFD */
		{ "\xf0\x9f\x98", "\xEF\xBF\xBD" },                /* cut 4-byte: one */
		{ "\xed\xa0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" }, /* surrogate: three */
		{ "\xc0\xaf", "\xEF\xBF\xBD\xEF\xBF\xBD" },        /* overlong: two */
		{ "\xf4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xe6\x97\xa5", "\xe6\x97\xa5" },                /* valid stays */
	};
	size_t plen;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_STR(prepared("cl100k_base", cases[i].in, strlen(cases[i].in), &plen),
			  cases[i].want);
}

TEST(nfc)
{
	size_t plen;

	/* Gemma sees ' ' as U+2581 (its normalizer) and no NFC */
	CHECK_STR(prepared("gemma3", "a b\xe2\x96\x81", 6, &plen), "a\xe2\x96\x81" "b\xe2\x96\x81");
	CHECK_STR(prepared("gemma3", "cafe\xcc\x81", 6, &plen), "cafe\xcc\x81");

	/* e + combining acute: NFC for Qwen, as it is for tiktoken */
	CHECK_STR(prepared("qwen3", "cafe\xcc\x81", 6, &plen), "caf\xc3\xa9");
	CHECK_STR(prepared("cl100k_base", "cafe\xcc\x81", 6, &plen), "cafe\xcc\x81");
	CHECK_STR(prepared("qwen3", "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", 9, &plen),
		  "\xea\xb0\x81"); /* Hangul jamo compose */
}

/* Random text (bytes from a small alphabet, so merges happen) through both
   merge paths and back through decode. */
TEST(paths_agree_and_round_trip)
{
	static const char *alpha[] = { "a", "b", "e", "n", "t", " ", "  ", "\n", "1", "é",
				       "中", "\xff", "'s", ".", "😀", "ab", "the", "<b>", "\t",
				       "\xe2\x96\x81", "\xf4\x8f\xbf\xbf" };
	struct lc_err err = { 0 };
	unsigned seed = 12345;

	for (const char *const *n = tok_names(); *n; n++) {
		struct tok *t = get(*n);

		for (int k = 0; k < 200; k++) {
			char text[2048];
			size_t len = 0, na, nb, dlen, plen;
			uint32_t *a = NULL, *b = NULL;
			char *dec, *prep;
			int m = (int)((seed = seed * 1103515245 + 12345) >> 16) % 300;

			for (int i = 0; i < m; i++) {
				const char *s = alpha[((seed = seed * 1103515245 + 12345) >> 16) %
						      ARRAY_SIZE(alpha)];

				memcpy(text + len, s, strlen(s));
				len += strlen(s);
			}
			tok_heap_min = 0;
			CHECK(tok_encode(t, text, len, &a, &na, &err) == 0);
			tok_heap_min = SIZE_MAX;
			CHECK(tok_encode(t, text, len, &b, &nb, &err) == 0);
			tok_heap_min = 48;
			CHECK(na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0));
			CHECK(tok_decode(t, a, na, &dec, &dlen, &err) == 0);
			CHECK(tok_prepare(t, text, len, &prep, &plen, &err) == 0);
			CHECK(dlen == plen && memcmp(dec, prep, plen) == 0);
			free(a);
			free(b);
			free(dec);
			free(prep);
		}
	}
}

TEST(long_run)
{
	size_t n = (size_t)1 << 20;
	char *s = malloc(n);
	int64_t count = 0;
	struct lc_err err = { 0 };

	memset(s, 'a', n);
	/* one piece of 1 MiB: eight a's a token, as tiktoken counts 20,000 a's as 2,500 */
	CHECK(tok_count(get("cl100k_base"), s, n, &count, &err) == 0);
	CHECK_INT(count, n / 8);
	free(s);
}

TEST(model_rules)
{
	static const struct {
		const char *model, *maker, *tok;
		int exact;
	} cases[] = {
		{ "gpt-4o-2024-08-06", "openai", "o200k_base", 1 },
		{ "gpt-4.1-mini", "openai", "o200k_base", 1 },
		{ "gpt-5", "openai", "o200k_base", 1 },
		{ "o3-mini", "openai", "o200k_base", 1 },
		{ "gpt-oss-120b", "openai", "o200k_base", 1 },
		{ "gpt-4-0613", "openai", "cl100k_base", 1 },
		{ "gpt-3.5-turbo-0125", "openai", "cl100k_base", 1 },
		{ "davinci", "openai", "cl100k_base", 0 },
		{ "llama-3.1-8b-instruct", "meta", "llama3", 1 },
		{ "llama-3-70b-instruct", "meta", "llama3", 1 },
		{ "llama-4-scout-17b-16e-instruct", "meta", "llama3", 0 },
		{ "llama-2-70b-chat", "meta", "llama3", 0 },
		{ "qwen3-32b", "alibaba", "qwen3", 1 },
		{ "qwen2.5-72b-instruct", "alibaba", "qwen3", 1 },
		{ "qwq-32b", "alibaba", "qwen3", 1 },
		{ "qwen3.5-27b", "alibaba", "qwen3", 0 },
		{ "qwen-plus-2025-01-25", "alibaba", "qwen3", 0 },
		{ "deepseek-v3", "deepseek", "deepseek_v3", 1 },
		{ "deepseek-v3.2-exp", "deepseek", "deepseek_v3", 1 },
		{ "deepseek-r1", "deepseek", "deepseek_v3", 1 },
		{ "deepseek-r1-distill-qwen-32b", "deepseek", "qwen3", 0 },
		{ "deepseek-v4-pro", "deepseek", "deepseek_v3", 0 },
		{ "claude-sonnet-4-20250514", "anthropic", "cl100k_base", 0 },
		{ "gemini-2.5-flash", "google", "o200k_base", 0 },
		{ "gemma-3-27b", "google", "gemma3", 1 },
		{ "gemma-3-4b-it", "google", "gemma3", 1 },
		{ "gemma-3n-e4b", "google", "gemma3", 0 },
		{ "gemma-2-27b", "google", "gemma3", 0 },
		{ "gemma2-9b", "google", "gemma3", 0 },
		{ "mistral-large-2411", "mistral", "tekken", 0 },
		{ "open-mistral-nemo", "mistral", "tekken", 1 },
		{ "mistral-nemo", "", "tekken", 1 },
		{ "open-mistral-7b", "mistral", "tekken", 0 },
		{ "", "", "o200k_base", 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tok_choice c = tok_for_model(cases[i].model, cases[i].maker);

		CHECK_STR(c.tokenizer, cases[i].tok);
		CHECK_INT(c.exact, cases[i].exact);
		CHECK(c.exact || (c.why && c.why[0]));
	}
}

TEST(errors)
{
	struct lc_err err = { 0 };
	uint32_t bad = 1u << 30;
	char *out = NULL;
	size_t len;

	CHECK(tok_get("nosuch", &err) == NULL);
	CHECK_INT(err.code, LC_EUSAGE);
	memset(&err, 0, sizeof(err));
	CHECK(tok_decode(get("o200k_base"), &bad, 1, &out, &len, &err) == -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK(tok_get("o200k_base", &err) == tok_get("o200k_base", &err)); /* loaded once */
}

int main(void)
{
	RUN(known_ids);
	RUN(invalid_utf8);
	RUN(nfc);
	RUN(paths_agree_and_round_trip);
	RUN(long_run);
	RUN(model_rules);
	RUN(errors);
	return harness_done();
}

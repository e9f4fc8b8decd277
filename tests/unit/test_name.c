/*
 * test_name.c - unit tests for lib/name.c, the one normalisation of model
 * names: each spelling people and price sheets use reaches the catalogue's
 * spelling (a candidate equal to it, or a form whose squashed key equals
 * its squashed key), with the host the name itself names; and no rule
 * reaches a genuinely different model.
 */
#include "harness.h"
#include "name.h"

/* 1 when one of f's forms means target: equal, or equal once squashed. */
static int reaches(const struct lc_name_forms *f, const char *target)
{
	char a[LC_NAME_MAX], b[LC_NAME_MAX];

	lc_name_squash(target, b);
	for (int i = 0; i < f->n + f->nalt + f->nowned; i++) {
		const char *v = i < f->n ? f->v[i]
			      : i < f->n + f->nalt ? f->alt[i - f->n] : f->owned[i - f->n - f->nalt];

		if (!strcmp(v, target))
			return 1;
		lc_name_squash(v, a);
		if (!strcmp(a, b))
			return 1;
	}
	return 0;
}

TEST(test_spellings)
{
	/* name as written, the host it names ("" none), a catalogue spelling */
	static const struct {
		const char *name, *host, *target;
	} c[] = {
		/* dates */
		{ "claude-3-5-haiku-20241022", "", "claude-3-5-haiku-20241022" },
		{ "claude-3-5-haiku@20241022", "", "claude-3-5-haiku-20241022" },
		{ "vertex_ai/claude-3-5-haiku@20241022", "vertex", "claude-3-5-haiku-20241022" },
		{ "claude-3-5-haiku-2024-10-22", "", "claude-3-5-haiku-20241022" },
		{ "anthropic.claude-haiku-4-5@20251001", "bedrock", "claude-haiku-4-5-20251001" },
		/* -latest, @default, @latest, @001 */
		{ "claude-3-5-haiku-latest", "", "claude-3-5-haiku" },
		{ "claude-opus-4-6@default", "", "claude-opus-4-6" },
		{ "mistral-nemo@latest", "", "mistral-nemo" },
		{ "codestral-2@001", "", "codestral-2" },
		/* Bedrock API versions and ids */
		{ "anthropic.claude-3-haiku-20240307-v1:0", "bedrock", "claude-3-haiku-20240307" },
		{ "anthropic.claude-3-5-sonnet-20241022-v2:0", "bedrock", "claude-3-5-sonnet-20241022" },
		{ "anthropic.claude-v2:1", "bedrock", "anthropic.claude-v2:1" },
		{ "anthropic.claude-instant-v1", "bedrock", "anthropic.claude-instant-v1" },
		{ "claude-sonnet-4-5-20250929-v1:0", "", "claude-sonnet-4-5-20250929" },
		{ "amazon.nova-micro-v1:0", "bedrock", "nova-micro" },
		{ "amazon-nova/nova-lite-v1", "", "nova-lite" },
		{ "deepseek.r1-v1:0", "bedrock", "deepseek-r1" },
		/* region prefixes */
		{ "us.anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock", "claude-3-5-haiku-20241022" },
		{ "eu.anthropic.claude-3-5-sonnet-20240620-v1:0", "bedrock", "claude-3-5-sonnet-20240620" },
		{ "apac.amazon.nova-pro-v1:0", "bedrock", "nova-pro" },
		{ "global.anthropic.claude-sonnet-4-20250514-v1:0", "bedrock", "claude-sonnet-4-20250514" },
		{ "regional.anthropic.claude-3-7-sonnet-20250219-v1:0", "bedrock",
		  "claude-3-7-sonnet-20250219" },
		{ "bedrock/us-east-1/anthropic.claude-v2:1", "bedrock", "anthropic.claude-v2:1" },
		{ "bedrock/us-gov-west-1/claude-sonnet-4-5-20250929-v1:0", "bedrock",
		  "claude-sonnet-4-5-20250929" },
		{ "azure/eu/gpt-4o-2024-08-06", "azure", "gpt-4o-2024-08-06" },
		{ "azure/global-standard/gpt-4o-mini", "azure", "gpt-4o-mini" },
		/* -00N */
		{ "gemini-1.5-flash-002", "", "gemini-1.5-flash" },
		{ "openrouter/google/gemini-2.0-flash-001", "openrouter", "gemini-2.0-flash" },
		/* models/ */
		{ "models/gemini-1.5-pro", "", "gemini-1.5-pro" },
		/* dots and dashes */
		{ "claude-3.5-sonnet", "", "claude-3-5-sonnet" },
		{ "claude-3-5-sonnet", "", "claude-3.5-sonnet" },
		{ "anthropic/claude-sonnet-4.5", "", "claude-sonnet-4-5" },
		{ "qwen-2.5-72b-instruct", "", "qwen2.5-72b-instruct" },
		{ "deepseek-v3p1", "", "deepseek-v3.1" },
		{ "meta-llama-3_3-70b-instruct", "", "llama-3.3-70b-instruct" },
		/* maker and host prefixes */
		{ "anthropic/claude-3-haiku", "", "claude-3-haiku" },
		{ "google/gemini-2.5-pro", "", "gemini-2.5-pro" },
		{ "openrouter/anthropic/claude-3.7-sonnet", "openrouter", "claude-3-7-sonnet" },
		{ "vertex_ai/gemini-2.5-flash", "vertex", "gemini-2.5-flash" },
		{ "bedrock/anthropic.claude-3-opus-20240229-v1:0", "bedrock", "claude-3-opus-20240229" },
		{ "azure/gpt-4o", "azure", "gpt-4o" },
		{ "azure_ai/grok-3", "azure", "grok-3" },
		{ "groq/llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile" },
		{ "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together",
		  "meta-llama/llama-3.3-70b-instruct-turbo" },
		{ "fireworks_ai/accounts/fireworks/models/qwen2p5-72b-instruct", "fireworks",
		  "qwen2.5-72b-instruct" },
		{ "openai-gpt-5", "", "gpt-5" },
		{ "anthropic-claude-3.7-sonnet", "", "claude-3-7-sonnet" },
		{ "databricks-claude-opus-4-1", "", "claude-opus-4-1" },
		{ "xai.grok-3", "", "grok-3" },
		{ "google.gemini-2.5-flash", "", "gemini-2.5-flash" },
		{ "@cf/meta/llama-4-scout-17b-16e-instruct", "", "llama-4-scout-17b-16e-instruct" },
		{ "llama-3.1-405b-instruct-maas", "", "llama-3.1-405b-instruct" },
		{ "mixtral-8x7b-instruct-hf", "", "mixtral-8x7b-instruct" },
		/* OpenRouter variant suffixes */
		{ "anthropic/claude-3.7-sonnet:thinking", "", "claude-3-7-sonnet" },
		{ "anthropic/claude-3.5-sonnet:beta", "", "claude-3-5-sonnet" },
		{ "meta-llama/llama-3.3-70b-instruct:free", "", "llama-3.3-70b-instruct" },
		{ "x-ai/grok-3:extended", "", "grok-3" },
		/* Azure's gpt-35 */
		{ "gpt-35-turbo", "", "gpt-3.5-turbo" },
		{ "azure/gpt-35-turbo-16k-0613", "azure", "gpt-3.5-turbo-16k-0613" },
		/* OpenRouter's reversed word order */
		{ "google/gemini-flash-1.5", "", "gemini-1.5-flash" },
		{ "google/gemini-pro-1.5", "", "gemini-1.5-pro" },
		{ "google/gemini-flash-1.5-8b", "", "gemini-1.5-flash-8b" },
		{ "claude-4-opus-20250514", "", "claude-opus-4-20250514" },
		/* an owner llmcost does not know, genai-prices' ~ pointers */
		{ "nvidia/llama-3.1-nemotron-70b-instruct", "", "llama-3.1-nemotron-70b-instruct" },
		{ "z-ai/glm-5", "", "glm-5" },
		{ "~moonshotai/kimi-latest", "", "kimi" },
		/* case and blanks */
		{ "  GPT-4o-Mini ", "", "gpt-4o-mini" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct lc_name_forms f;

		lc_name_forms(c[i].name, &f);
		if (!reaches(&f, c[i].target))
			fprintf(stderr, "'%s' does not reach '%s'\n", c[i].name, c[i].target);
		CHECK(reaches(&f, c[i].target));
		if (strcmp(f.host, c[i].host))
			fprintf(stderr, "'%s': host '%s', want '%s'\n", c[i].name, f.host, c[i].host);
		CHECK_STR(f.host, c[i].host);
	}
}

TEST(test_never_merges)
{
	/* different models: no form of one may reach the other */
	static const char *c[][2] = {
		{ "gpt-4o", "gpt-4o-mini" },
		{ "o1", "o1-mini" },
		{ "o1-preview", "o1" },
		{ "o3", "o3-mini" },
		{ "gpt-4.1", "gpt-4.1-mini" },
		{ "gpt-4.1-mini", "gpt-4.1-nano" },
		{ "gemini-1.5-flash-001", "gemini-1.5-flash-002" },
		{ "gemini-1.5-flash", "gemini-1.5-flash-8b" },
		{ "gemini-2.0-flash", "gemini-2.0-flash-lite" },
		{ "gpt-4o-2024-05-13", "gpt-4o-2024-08-06" },
		{ "claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022" },
		{ "claude-3-5-haiku", "claude-3-5-sonnet" },
		{ "claude-opus-4", "claude-opus-4-1" },
		{ "llama-3.1-8b-instruct", "llama-3.1-70b-instruct" },
		{ "mistral-large-2407", "mistral-large-2411" },
		{ "deepseek-v3", "deepseek-v3.1" },
		{ "deepseek-v3.1", "deepseek-v3.2-exp" },
		{ "gpt-5", "gpt-5.1" },
		{ "gemini-1.5-pro", "gemini-5.1-pro" },
		{ "grok-3", "grok-3-mini" },
		{ "nova-lite", "nova-pro" },
		{ "anthropic.claude-v2", "anthropic.claude-v2:1" },
		{ "anthropic.claude-v2", "anthropic.claude-instant-v1" },
		{ "command-r", "command-r-plus" },
		{ "qwen2.5-72b-instruct", "qwen2.5-coder-32b-instruct" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++)
		for (int k = 0; k < 2; k++) {
			struct lc_name_forms f;

			lc_name_forms(c[i][k], &f);
			if (reaches(&f, c[i][!k]))
				fprintf(stderr, "'%s' reaches '%s'\n", c[i][k], c[i][!k]);
			CHECK(!reaches(&f, c[i][!k]));
		}
}

TEST(test_base)
{
	/* the id a model the catalogue lacks is created under */
	static const struct {
		const char *name, *base;
	} c[] = {
		{ "openrouter/acme/widget-9:free", "acme/widget-9" },
		{ "bedrock/us.anthropic.claude-x-5-v1:0", "claude-x-5" },
		{ "anthropic.claude-v2:1", "claude-v2:1" }, /* not "anthropic.claude" */
		{ "deepseek.v3.2", "deepseek.v3.2" },
		{ "ft:gpt-4o-mini:org", "ft:gpt-4o-mini:org" },
		{ "", "" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct lc_name_forms f;

		lc_name_forms(c[i].name, &f);
		CHECK_STR(f.base, c[i].base);
	}
}

TEST(test_squash)
{
	char out[LC_NAME_MAX];

	lc_name_squash("Claude-3.5_Sonnet@2024-10-22", out);
	CHECK_STR(out, "claude35sonnet20241022");
	lc_name_squash("-._@/", out);
	CHECK_STR(out, "");
}

TEST(test_hostile)
{
	/* odd and overlong names: every form a terminated string that fits */
	static const char *c[] = { "", " ", "-", "@", ":", ".", "/", "a-", "-1.5-", "--------",
		"openrouter/", "bedrock/", "bedrock/us-east-1/", "anthropic.", "us.anthropic.",
		"us.anthropic.-v1:0", "v1:0", "-v1:0", "@default", "x@001", "p1p2p3", "1p",
		"a-1.5-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u", "gemini-1.5", "a-b-1",
		"us-east-1/", "us-east-1/x", "eu/us/global/", "meta-llama-", "models/models/",
		":free", "x:free:beta" };
	char big[600];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (size_t i = 0; i <= ARRAY_SIZE(c); i++) {
		struct lc_name_forms f;
		const char *name = i < ARRAY_SIZE(c) ? c[i] : big;

		lc_name_forms(name, &f);
		CHECK(f.n >= 0 && f.n <= LC_NAME_NCAND && f.nalt >= 0 && f.nalt <= 4 && f.nowned >= 0 && f.nowned <= 2);
		CHECK(strlen(f.host) < LC_NAME_MAX && strlen(f.base) < LC_NAME_MAX);
		for (int k = 0; k < f.n; k++)
			CHECK(strlen(f.v[k]) > 0 && strlen(f.v[k]) < LC_NAME_MAX);
		for (int k = 0; k < f.nalt; k++)
			CHECK(strlen(f.alt[k]) > 0 && strlen(f.alt[k]) < LC_NAME_MAX);
	}
	/* many dashes: the reordered form is cut, never overflows */
	memset(big, '-', sizeof(big) - 1);
	memcpy(big, "x-1.5", 5);
	{
		struct lc_name_forms f;

		lc_name_forms(big, &f);
		CHECK(f.n <= LC_NAME_NCAND);
	}
}

int main(void)
{
	RUN(test_spellings);
	RUN(test_never_merges);
	RUN(test_base);
	RUN(test_squash);
	RUN(test_hostile);
	return harness_done();
}

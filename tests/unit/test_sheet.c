/* test_sheet.c - price-sheet parsers: exact conversion, LiteLLM key grammar,
 * OpenRouter variants, genai-prices tiers and dates, llm-prices history, CSV. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "prices.h"
#include "sheet_parse.h"

#define F(m) offsetof(struct lc_tier, m)

static int parse(const char *fmt, const char *text, struct sheet *s)
{
	struct lc_err err = { 0 };
	int rc;

	sheet_init(s, fmt);
	rc = sheet_parse(fmt, text, strlen(text), "test", s, &err);
	if (rc)
		fprintf(stderr, "parse: %s\n", err.msg);
	return rc;
}

static const struct sheet_entry *find(const struct sheet *s, const char *key, const char *from)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].key, key) && (!from || !strcmp(s->v[i].from, from)))
			return &s->v[i];
	return NULL;
}

TEST(litellm_grammar)
{
	static const struct {
		const char *key;
		int ok;
		size_t field;
		int64_t min;
		int service;
		int shift;
	} cases[] = {
		{ "input_cost_per_token", 1, F(input), 0, 0, 15 },
		{ "output_cost_per_token_above_200k_tokens", 1, F(output), 200000, 0, 15 },
		{ "cache_creation_input_token_cost", 1, F(cache_write_5m), 0, 0, 15 },
		{ "cache_creation_input_token_cost_above_1hr", 1, F(cache_write_1h), 0, 0, 15 },
		{ "cache_creation_input_token_cost_above_1hr_above_200k_tokens", 1, F(cache_write_1h), 200000, 0, 15 },
		{ "cache_read_input_token_cost_above_272k_tokens_priority", 1, F(cache_read), 272000, 'p', 15 },
		{ "input_cost_per_token_above_272k_tokens_priority", 1, F(input), 272000, 'p', 15 },
		{ "input_cost_per_token_batches", 1, F(batch_input), 0, 'b', 15 },
		{ "output_cost_per_token_batches", 1, F(batch_output), 0, 'b', 15 },
		{ "input_cost_per_token_flex", 1, F(input), 0, 'f', 15 },
		{ "input_cost_per_token_cache_hit", 1, F(cache_read), 0, 0, 15 },
		{ "output_cost_per_reasoning_token", 1, F(reasoning), 0, 0, 15 },
		{ "input_cost_per_image", 1, F(image_per_item), 0, 0, 9 },
		{ "input_cost_per_image_token", 1, F(image_input), 0, 0, 15 },
		{ "input_cost_per_image_above_128k_tokens", 1, F(image_per_item), 128000, 0, 9 },
		{ "input_cost_per_request", 1, F(request_fee), 0, 0, 9 },
		/* not modelled / not tiers */
		{ "input_cost_per_video_per_second_above_15s_interval", 0, 0, 0, 0, 0 },
		{ "input_cost_per_second", 0, 0, 0, 0, 0 },
		{ "input_cost_per_token_above_1hr", 0, 0, 0, 0, 0 },
		{ "cache_read_input_token_cost_batches", 0, 0, 0, 0, 0 },
		{ "input_cost_per_token_above_200k", 0, 0, 0, 0, 0 },
		{ "input_cost_per_token_xyz", 0, 0, 0, 0, 0 },
		{ "input_dbu_cost_per_token", 0, 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct litellm_key k;
		int ok = litellm_parse_key(cases[i].key, &k);

		CHECK_INT(ok, cases[i].ok);
		if (!ok || !cases[i].ok)
			continue;
		CHECK_INT(k.field, cases[i].field);
		CHECK_INT(k.min_tokens, cases[i].min);
		CHECK_INT(k.service, cases[i].service);
		CHECK_INT(k.shift, cases[i].shift);
	}
}

TEST(litellm_values)
{
	struct sheet s;
	const struct sheet_entry *e;

	CHECK_INT(parse("litellm",
			"{\"sample_spec\": {\"litellm_provider\": \"x\"}, \"last_updated\": \"2026\","
			"\"a\": {\"litellm_provider\": \"vertex_ai-language-models\", \"mode\": \"chat\","
			" \"input_cost_per_token\": 2.9999900000000002e-06, \"output_cost_per_token\": 2.5e-06,"
			" \"input_cost_per_token_above_128k_tokens\": 5e-06, \"input_cost_per_token_flex\": 1e-6},"
			"\"b\": {\"litellm_provider\": \"openai\", \"mode\": \"embedding\", \"input_cost_per_token\": \"0.00000002\"},"
			"\"c\": {\"litellm_provider\": \"openai\", \"mode\": \"chat\", \"input_cost_per_token\": -1e-06, \"output_cost_per_token\": 1e-06},"
			"\"d\": {\"litellm_provider\": \"openai\", \"mode\": \"image_generation\", \"output_cost_per_image\": 0.04}}",
			&s),
		  0);
	CHECK_INT(s.n, 2);
	e = find(&s, "a", NULL);
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->host, "vertex");
		CHECK_INT(e->tiers[0].input, 2999990000LL); /* 2999990000.0000002 rounded */
		CHECK_INT(e->rounded, 1);
		CHECK_INT(e->tiers[0].output, 2500000000LL);
		CHECK_INT(e->ntiers, 2);
		CHECK_INT(e->tiers[1].min_input_tokens, 128000);
		CHECK_INT(e->tiers[1].input, 5000000000LL);
	}
	e = find(&s, "b", NULL);
	CHECK(e && !strcmp(e->mode, "embedding") && e->tiers[0].input == 20000000);
	CHECK_INT(s.unusable, 1); /* negative */
	CHECK_INT(s.no_price, 1); /* image only */
	CHECK_INT(s.not_modelled, 1); /* flex */
	sheet_release(&s);
}

TEST(openrouter)
{
	struct sheet s;
	const struct sheet_entry *e;

	CHECK_INT(parse("openrouter",
			"{\"data\": ["
			"{\"id\": \"a/m\", \"pricing\": {\"prompt\": \"0.0000025\", \"completion\": \"0.00001\","
			" \"request\": \"0.005\", \"overrides\": [{\"min_prompt_tokens\": 128000, \"prompt\": \"0.000005\"}]}},"
			"{\"id\": \"a/m:batch\", \"pricing\": {\"prompt\": \"0.00000125\", \"completion\": \"0.000005\"}},"
			"{\"id\": \"a/m:free\", \"pricing\": {\"prompt\": \"0\", \"completion\": \"0\"}},"
			"{\"id\": \"openrouter/auto\", \"pricing\": {\"prompt\": \"-1\", \"completion\": \"-1\"}},"
			"{\"id\": \"a/r\", \"pricing\": {\"prompt\": \"0.0000000208333333333333\", \"completion\": \"1e-6\"}},"
			"{\"id\": \"a/bad\", \"pricing\": {\"prompt\": \"two\", \"completion\": \"1\"}}"
			"]}",
			&s),
		  0);
	e = find(&s, "a/m", NULL);
	CHECK(e != NULL);
	if (e) {
		CHECK_INT(e->tiers[0].input, 2500000000LL);
		CHECK_INT(e->tiers[0].output, 10000000000LL);
		CHECK_INT(e->tiers[0].request_fee, 5000000);
		CHECK_INT(e->tiers[0].batch_input, 1250000000LL);
		CHECK_INT(e->tiers[0].batch_output, 5000000000LL);
		CHECK_INT(e->ntiers, 2);
		CHECK_INT(e->tiers[1].input, 5000000000LL);
		CHECK_INT(e->tiers[1].output, LC_NONE); /* falls back to the base price */
		CHECK_STR(e->host, "openrouter");
	}
	CHECK(find(&s, "a/m:batch", NULL) == NULL);
	e = find(&s, "a/m:free", NULL);
	CHECK(e && e->tiers[0].input == 0 && !strcmp(e->host, "openrouter-free") &&
	      !strcmp(e->alias, "a/m:free"));
	CHECK(find(&s, "openrouter/auto", NULL) == NULL);
	CHECK_INT(s.no_price, 1);
	e = find(&s, "a/r", NULL);
	CHECK(e && e->tiers[0].input == 20833333 && e->rounded);
	CHECK_INT(s.unusable, 1);
	sheet_release(&s);
}

TEST(genai)
{
	struct sheet s;
	const struct sheet_entry *e;

	CHECK_INT(parse("genai-prices",
			"[{\"id\": \"aws\", \"models\": [{\"id\": \"m\", \"prices\": ["
			"{\"constraint\": {\"start_date\": \"2025-09-01\"}, \"prices\": {\"input_mtok\": 2, \"output_mtok\": 8}},"
			"{\"prices\": {\"input_mtok\": {\"base\": 10, \"tiers\": [{\"start\": 200000, \"price\": 20}]},"
			" \"output_mtok\": 40, \"requests_kcount\": 1}},"
			"{\"constraint\": {\"start_time\": \"00:00:00Z\", \"end_time\": \"01:00:00Z\"}, \"prices\": {\"input_mtok\": 1}}]}]}]",
			&s),
		  0);
	CHECK_INT(s.n, 2);
	e = find(&s, "m", "");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->host, "bedrock");
		CHECK_STR(e->to, "2025-09-01");
		CHECK_INT(e->tiers[0].input, 10000000000LL);
		CHECK_INT(e->tiers[1].min_input_tokens, 200000);
		CHECK_INT(e->tiers[1].input, 20000000000LL);
		CHECK_INT(e->tiers[0].request_fee, 1000000); /* $1 per 1k requests */
	}
	e = find(&s, "m", "2025-09-01");
	CHECK(e && e->tiers[0].input == 2000000000LL && !e->to[0]);
	CHECK_INT(s.not_modelled, 1);
	sheet_release(&s);
}

TEST(llmprices)
{
	struct sheet s;
	const struct sheet_entry *e;

	CHECK_INT(parse("llm-prices",
			"{\"updated_at\": \"2026-01-05T10:00:00\", \"prices\": ["
			"{\"id\": \"x\", \"vendor\": \"qwen\", \"input\": 0.075, \"output\": 0.3, \"input_cached\": null},"
			"{\"id\": \"x-128k\", \"vendor\": \"qwen\", \"input\": 0.15, \"output\": 0.6, \"input_cached\": null}]}",
			&s),
		  0);
	CHECK_STR(s.date, "2026-01-05");
	CHECK_INT(s.n, 1);
	e = find(&s, "x", NULL);
	CHECK(e && !strcmp(e->host, "alibaba") && e->tiers[0].input == 75000000 &&
	      e->tiers[0].cache_read == LC_NONE && e->ntiers == 2 &&
	      e->tiers[1].min_input_tokens == 128000 && e->tiers[1].input == 150000000);
	sheet_release(&s);

	/* unsorted history; from inclusive, to exclusive; to before from is bad */
	CHECK_INT(parse("llm-prices",
			"{\"vendor\": \"deepseek\", \"models\": [{\"id\": \"c\", \"price_history\": ["
			"{\"input\": 0.27, \"output\": 1.1, \"input_cached\": null, \"from_date\": \"2025-02-08\", \"to_date\": null},"
			"{\"input\": 0.14, \"output\": 0.28, \"input_cached\": null, \"from_date\": null, \"to_date\": \"2025-02-08\"}]},"
			"{\"id\": \"d\", \"price_history\": [{\"input\": 1, \"output\": 1, \"from_date\": \"2025-03-01\", \"to_date\": \"2025-02-01\"}]}]}",
			&s),
		  0);
	CHECK_INT(s.n, 2);
	e = find(&s, "c", "");
	CHECK(e && !strcmp(e->to, "2025-02-08") && e->tiers[0].input == 140000000);
	e = find(&s, "c", "2025-02-08");
	CHECK(e && !e->to[0]);
	CHECK_INT(s.unusable, 1);
	sheet_release(&s);
}

TEST(csv)
{
	struct sheet s;
	const struct sheet_entry *e;

	CHECK_INT(parse("csv",
			"model,provider,input_per_mtok,output_per_mtok,effective_from,min_input_tokens,batch_discount_pct\n"
			"m,Acme,0.0375,0.15,2025-01-01,,50\n"
			"m,Acme,0.075,0.3,2025-01-01,128000,\n"
			"n,acme,1,2,2025-13-01,,\n",
			&s),
		  0);
	CHECK_INT(s.n, 1);
	e = find(&s, "m", "2025-01-01");
	CHECK(e && !strcmp(e->host, "acme") && e->tiers[0].input == 37500000 &&
	      e->tiers[0].batch_discount_bp == 5000 && e->ntiers == 2 &&
	      e->tiers[1].input == 75000000);
	CHECK_INT(s.unusable, 1);
	sheet_release(&s);

	{
		struct lc_err err = { 0 };

		sheet_init(&s, "csv");
		CHECK_INT(sheet_parse("csv", "model,input_per_mtok\nm,1\n", 22, "t", &s, &err), -1);
		CHECK(strstr(err.msg, "provider") != NULL);
		sheet_release(&s);
	}
}

/* The entries of s as "key from-to input/1e9[+tiers]; ..." in sheet order. */
static void summary(const struct sheet *s, char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < s->n && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s %s-%s %lld%s", i ? "; " : "",
				      s->v[i].key, s->v[i].from, s->v[i].to,
				      (long long)(s->v[i].tiers[0].input / 1000000000),
				      s->v[i].ntiers > 1 ? "+tier" : "");
}

/* sheet_settle through the CSV parser: one history per key */
TEST(settle)
{
	static const struct {
		const char *rows, *want;
		size_t unusable;
	} cases[] = {
		/* two open rows: the later closes the earlier (issue 13 item 9) */
		{ "a,2025-01-01,,2\na,2025-07-01,,3\n", "a 2025-01-01-2025-07-01 2; a 2025-07-01- 3", 0 },
		/* out of order in the file: the same */
		{ "a,2025-07-01,,3\na,2025-01-01,,2\n", "a 2025-07-01- 3; a 2025-01-01-2025-07-01 2", 0 },
		/* three open rows, and a closed one that ends before the next */
		{ "a,2025-01-01,,1\na,2025-03-01,,2\na,2025-05-01,,3\n",
		  "a 2025-01-01-2025-03-01 1; a 2025-03-01-2025-05-01 2; a 2025-05-01- 3", 0 },
		{ "a,2025-01-01,2025-02-01,1\na,2025-03-01,,2\n",
		  "a 2025-01-01-2025-02-01 1; a 2025-03-01- 2", 0 },
		/* ends exactly where the next starts */
		{ "a,2025-01-01,2025-03-01,1\na,2025-03-01,,2\n",
		  "a 2025-01-01-2025-03-01 1; a 2025-03-01- 2", 0 },
		/* an identical row twice (issue 13 item 11), also a tier row */
		{ "a,2025-01-01,,2\na,2025-01-01,,2\n", "a 2025-01-01- 2", 0 },
		{ "a,2025-01-01,,2\na,2025-01-01,,4,1000\na,2025-01-01,,4,1000\n",
		  "a 2025-01-01- 2+tier", 0 },
		/* other prices for the same start: the key is unusable, others stay */
		{ "a,2025-01-01,,2\na,2025-01-01,,3\nb,2025-01-01,,1\n", "b 2025-01-01- 1", 2 },
		{ "a,2025-01-01,,2\na,2025-01-01,,4,1000\na,2025-01-01,,5,1000\n", "", 2 },
		{ "a,2025-01-01,2025-03-01,2\na,2025-01-01,,2\n", "", 2 },
		/* a closed period that runs past the next start */
		{ "a,2025-01-01,2025-09-01,2\na,2025-07-01,,3\nb,2025-01-01,,1\n", "b 2025-01-01- 1", 2 },
		/* other providers, other keys: untouched */
		{ "a,2025-01-01,,2\nb,2025-07-01,,3\n", "a 2025-01-01- 2; b 2025-07-01- 3", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[1024], got[1024];
		struct sheet s;
		const char *p = cases[i].rows;
		size_t o;

		/* "key,from,to,input[,min]" rows into the CSV columns */
		o = (size_t)snprintf(text, sizeof(text),
				     "model,effective_from,effective_to,input_per_mtok,min_input_tokens,"
				     "provider,output_per_mtok\n");
		while (*p) {
			const char *nl = strchr(p, '\n');
			int commas = 0;

			for (const char *q = p; q < nl; q++)
				commas += *q == ',';
			o += (size_t)snprintf(text + o, sizeof(text) - o, "%.*s%s,acme,1\n",
					      (int)(nl - p), p, commas == 3 ? "," : "");
			p = nl + 1;
		}
		if (parse("csv", text, &s)) {
			CHECK(!"parse");
			continue;
		}
		summary(&s, got, sizeof(got));
		CHECK_STR(got, cases[i].want);
		CHECK_INT(s.unusable, cases[i].unusable);
		sheet_release(&s);
	}
}

TEST(detect_and_garbage)
{
	struct sheet s;
	struct lc_err err = { 0 };

	CHECK_STR(sheet_detect("{\"data\": []}", 12, "x"), "openrouter");
	CHECK_STR(sheet_detect("[{\"id\": \"a\", \"models\": []}]", 27, "x"), "genai-prices");
	CHECK_STR(sheet_detect("{\"vendor\": \"a\", \"models\": []}", 29, "x"), "llm-prices");
	CHECK_STR(sheet_detect("{\"m\": {\"litellm_provider\": \"a\"}}", 32, "x"), "litellm");
	CHECK(sheet_detect("<html>", 6, "x") == NULL);
	sheet_init(&s, "openrouter");
	CHECK_INT(sheet_parse("openrouter", "{\"data\": [", 10, "t", &s, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK_INT(sheet_parse("openrouter", "{\"a\": \"\\u0000\"}", 15, "t", &s, &err), -1);
	CHECK_INT(sheet_parse("openrouter", "{\"data\": {}}", 12, "t", &s, &err), -1);
	sheet_release(&s);
}

/* `ingest prices SOURCE`: a named source, a typed URL or file, the refusals */
TEST(job_resolve)
{
	const struct prices_named *or = prices_named_find("openrouter");
	char big[SHEET_URL_MAX + 2];
	struct prices_job j;
	struct lc_err err = { 0 };

	CHECK(or != NULL);
	if (!or)
		return;
	memset(&j, 0, sizeof(j));
	CHECK_INT(prices_job_resolve(&j, "openrouter", NULL, NULL, NULL, &err), 0);
	CHECK_STR(j.url, or->url);
	CHECK_STR(j.format, or->format);
	CHECK_STR(j.source, "openrouter");
	CHECK_INT(j.allow_http, 0);
	/* --url on a named source: its format and name kept, http allowed */
	memset(&j, 0, sizeof(j));
	CHECK_INT(prices_job_resolve(&j, "openrouter", "http://127.0.0.1/m.json", NULL, "mine",
				     &err), 0);
	CHECK_STR(j.url, "http://127.0.0.1/m.json");
	CHECK_STR(j.format, or->format);
	CHECK_STR(j.source, "mine");
	CHECK_INT(j.allow_http, 1);
	/* a file: no format or name until the sheet is read */
	memset(&j, 0, sizeof(j));
	CHECK_INT(prices_job_resolve(&j, "./p.csv", NULL, "csv", NULL, &err), 0);
	CHECK_STR(j.url, "./p.csv");
	CHECK_STR(j.format, "csv");
	CHECK(j.source == NULL);
	CHECK_INT(j.allow_http, 1);
	/* refusals: usage errors, the job untouched */
	memset(&j, 0, sizeof(j));
	CHECK_INT(prices_job_resolve(&j, "./p.csv", "http://x/", NULL, NULL, &err), -1);
	CHECK_INT(err.code, LC_EUSAGE);
	CHECK_STR(err.msg, "--url goes with a named source; give the URL as SOURCE");
	CHECK_INT(prices_job_resolve(&j, "openrouter", NULL, "xls", NULL, &err), -1);
	CHECK_STR(err.msg, "unknown format 'xls' (want openrouter, litellm, genai-prices, "
			   "llm-prices or csv)");
	CHECK_INT(prices_job_resolve(&j, "litellm", NULL, NULL, "", &err), -1);
	CHECK_STR(err.msg, "--name: want 1 to 63 characters");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(prices_job_resolve(&j, big, NULL, NULL, NULL, &err), -1);
	CHECK_STR(err.msg, "SOURCE: a URL of 8001 bytes is over the 8000-byte limit");
	CHECK_INT(prices_job_resolve(&j, "litellm", big, NULL, NULL, &err), -1);
	CHECK_STR(err.msg, "--url: a URL of 8001 bytes is over the 8000-byte limit");
	CHECK(j.url == NULL && j.format == NULL && j.source == NULL && !j.allow_http);
}

int main(void)
{
	RUN(litellm_grammar);
	RUN(litellm_values);
	RUN(openrouter);
	RUN(genai);
	RUN(llmprices);
	RUN(csv);
	RUN(settle);
	RUN(detect_and_garbage);
	RUN(job_resolve);
	return harness_done();
}

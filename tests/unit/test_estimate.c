/*
 * test_estimate.c - the cost calculator's engine on hand-computed cases,
 * each following the provider's published billing rule (computation in the
 * comment next to it).  Prices are nano-USD per 1M tokens ($1/M = 10^9).
 */
#include <stdlib.h>

#include "estimate.h"
#include "harness.h"

#define M1 1000000000LL /* $1 per 1M tokens, or $1 */

static struct lc_offering offering(const char *model, int64_t in, int64_t out)
{
	struct lc_offering o;
	struct lc_tier *t = &o.tiers[0];

	memset(&o, 0, sizeof(o));
	LC_COPY(o.model, model);
	LC_COPY(o.host, "h");
	o.ntiers = 1;
	t->input = in;
	t->output = out;
	t->cache_read = t->cache_write_5m = t->cache_write_1h = t->reasoning = LC_NONE;
	t->audio_input = t->audio_output = t->image_input = t->image_per_item = LC_NONE;
	t->request_fee = t->web_search_fee = t->batch_discount_bp = LC_NONE;
	t->batch_input = t->batch_output = LC_NONE;
	return o;
}

static struct lc_model model(const char *id, const char *maker, const char *mods,
			     const char *scheme, int64_t window)
{
	struct lc_model m;

	memset(&m, 0, sizeof(m));
	LC_COPY(m.id, id);
	LC_COPY(m.family, id);
	LC_COPY(m.maker, maker);
	LC_COPY(m.modalities, mods);
	LC_COPY(m.image_tokens, scheme);
	m.context_window = window;
	return m;
}

static struct lc_profile prof(int64_t in, int64_t out)
{
	struct lc_profile p;

	profile_init(&p);
	p.input = in;
	p.output = out;
	return p;
}

/* Gemini 1.5 Flash-8B on 2024-12-31: $0.0375/$0.15, above 128k $0.075/$0.30 */
static struct lc_offering flash8b(void)
{
	struct lc_offering o = offering("gemini-1.5-flash-8b", 37500000, 150000000);

	o.ntiers = 2;
	o.tiers[1] = o.tiers[0];
	o.tiers[1].min_input_tokens = 128000;
	o.tiers[1].input = 75000000;
	o.tiers[1].output = 300000000;
	return o;
}

TEST(photo_captions)
{
	/* 68,000 x 260 = 17,680,000 in x $0.0375/M = $0.663;
	   68,000 x 100 = 6,800,000 out x $0.15/M = $1.02; total $1.683.
	   The workload's 17.68M prompt tokens must NOT trigger the >128k tier:
	   tiers are judged per request (260 tokens). */
	struct lc_offering o = flash8b();
	struct lc_model m = model("gemini-1.5-flash-8b", "google", "text+image+audio", "gemini",
				  1048576);
	struct lc_profile p = prof(260, 100);
	struct lc_estimate e;

	p.count = 68000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 1);
	CHECK_INT(e.total.input, 663000000);
	CHECK_INT(e.total.output, 1020000000);
	CHECK_INT(e.total.total, 1683000000);
	CHECK_INT(e.total.tier, 0);
	/* one task: 260 x 0.0375 + 100 x 0.15 = 9,750 + 15,000 nano = $0.00002475 */
	CHECK_INT(e.per_task.total, 24750);
}

TEST(context_tier_whole_request)
{
	/* Gemini 1.5 Pro from 2024-10-01: $1.25/$5, prompts over 128k: $2.50/$10 for the
	   whole request.  200,000 in x 2.5 = $0.50; 1,000 out x 10 = $0.01; $0.51.
	   Three such tasks: $1.53, still at the tier rate (per request). */
	struct lc_offering o = offering("gemini-1.5-pro", 1250000000, 5 * M1);
	struct lc_model m = model("gemini-1.5-pro", "google", "text", "", 2097152);
	struct lc_profile p = prof(200000, 1000);
	struct lc_estimate e;

	o.ntiers = 2;
	o.tiers[1] = o.tiers[0];
	o.tiers[1].min_input_tokens = 128000;
	o.tiers[1].input = 2500000000;
	o.tiers[1].output = 10 * M1;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.tier, 1);
	CHECK_INT(e.per_task.total, 510000000);
	p.count = 3;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.total.total, 1530000000);
	/* exactly 128,000 is not "over": base rate; 128,000 x 1.25 + 1,000 x 5 = $0.165 */
	p = prof(128000, 1000);
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.tier, 0);
	CHECK_INT(e.per_task.total, 165000000);
	/* a task of 2 requests of 100k each: per request 100k -> base tier:
	   200k x 1.25 + 1k x 5 = $0.255 */
	p = prof(200000, 1000);
	p.requests = 2;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.tier, 0);
	CHECK_INT(e.per_task.total, 255000000);
}

TEST(cache_read_and_write)
{
	/* Claude Sonnet 4: $3/$15, cache read $0.30, 5m write $3.75, 1h write $6.
	   --input 10,000 with 8,000 cached and 1,500 written: uncached 500.
	   500 x 3 = $0.0015; 8,000 x 0.30 = $0.0024; 1,500 x 3.75 = $0.005625;
	   200 out x 15 = $0.003; total $0.012525. */
	struct lc_offering o = offering("claude-sonnet-4", 3 * M1, 15 * M1);
	struct lc_model m = model("claude-sonnet-4", "anthropic", "text+image", "anthropic", 200000);
	struct lc_profile p = prof(10000, 200);
	struct lc_estimate e;

	o.tiers[0].cache_read = 300000000;
	o.tiers[0].cache_write_5m = 3750000000;
	o.tiers[0].cache_write_1h = 6 * M1;
	p.cached_input = 8000;
	p.cache_write = 1500;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.input, 1500000);
	CHECK_INT(e.per_task.cache_read, 2400000);
	CHECK_INT(e.per_task.cache_write, 5625000);
	CHECK_INT(e.per_task.total, 12525000);
	/* 1h writes: 1,500 x 6 = $0.009 -> total $0.0159 */
	p.cache_ttl_1h = 1;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.cache_write, 9000000);
	CHECK_INT(e.per_task.total, 15900000);
	/* a model without cache prices bills every prompt token as input:
	   10,000 x 3 + 200 x 15 = $0.033 */
	o = offering("plain", 3 * M1, 15 * M1);
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.total, 33000000);
}

TEST(counts_must_add_up)
{
	struct lc_profile p = prof(10000, 200);
	struct lc_err err = { 0 };

	p.cached_input = 9000;
	p.cache_write = 1001;
	CHECK_INT(profile_check(&p, &err), -1);
	CHECK_INT(err.code, LC_EUSAGE);
	CHECK(strstr(err.msg, "exceed") != NULL);
	p.cache_write = 1000;
	CHECK_INT(profile_check(&p, NULL), 0);
	p = prof(0, 0);
	CHECK_INT(profile_check(&p, NULL), -1);
}

TEST(batch)
{
	/* GPT-4o (2024-08-06): $2.50/$10, Batch API 50% off.
	   1M in + 100k out = $2.50 + $1.00 = $3.50; batch: $1.75. */
	struct lc_offering o = offering("gpt-4o", 2500000000, 10 * M1);
	struct lc_model m = model("gpt-4o", "openai", "text+image", "openai-tile", 128000);
	struct lc_profile p = prof(100000, 10000);
	struct lc_estimate e;

	p.count = 10;
	p.batch = 1;
	o.tiers[0].batch_discount_bp = 5000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.total.total, 1750000000);
	CHECK_INT(e.total.batch_applied, 1);
	/* no batch offer: the normal price, flagged */
	o.tiers[0].batch_discount_bp = LC_NONE;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.total.total, 3500000000);
	CHECK_INT(e.total.batch_applied, 0);
}

TEST(reasoning)
{
	/* o1: $15/$60, reasoning billed as output.  1,000 in x 15 = $0.015;
	   (500 + 2,000 reasoning) x 60 = $0.15; total $0.165. */
	struct lc_offering o = offering("o1", 15 * M1, 60 * M1);
	struct lc_model m = model("o1", "openai", "text+image", "openai-tile", 200000);
	struct lc_profile p = prof(1000, 500);
	struct lc_estimate e;

	p.reasoning = 2000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.usage.output, 2500);
	CHECK_INT(e.per_task.total, 165000000);
	/* Gemini 2.5 Flash preview: $0.15 in, $0.60 out, $3.50 thinking:
	   1,000 x 0.15 = $0.00015; 500 x 0.60 = $0.0003; 2,000 x 3.50 = $0.007; $0.00745 */
	o = offering("g", 150000000, 600000000);
	o.tiers[0].reasoning = 3500000000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.output, 300000);
	CHECK_INT(e.per_task.reasoning, 7000000);
	CHECK_INT(e.per_task.total, 7450000);
	/* max output counts reasoning: 2,500 > 2,000 -> not applicable */
	m.max_output = 2000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 0);
	CHECK(strstr(e.reason, "max output") != NULL);
}

TEST(images)
{
	/* GPT-4o $2.50/M: one 1024x1024 high-detail image = 765 tokens:
	   765 x 2.5 = $0.0019125; 50 in x 2.5 = $0.000125; 100 out x 10 = $0.001;
	   total $0.0030375 */
	struct lc_offering o = offering("gpt-4o", 2500000000, 10 * M1);
	struct lc_model m = model("gpt-4o", "openai", "text+image", "openai-tile", 128000);
	struct lc_profile p = prof(50, 100);
	struct lc_estimate e;

	p.nimages = 1;
	p.image_w[0] = p.image_h[0] = 1024;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.image_tokens, 765);
	CHECK_INT(e.per_task.image, 1912500);
	CHECK_INT(e.per_task.total, 3037500);
	/* low detail: 85 x 2.5 = $0.0002125 */
	p.detail = LC_DETAIL_LOW;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.image, 212500);
	/* Claude 3.5 Sonnet $3/M: 1000x1000 = 1334 tokens x 3 = $0.004002 */
	o = offering("claude", 3 * M1, 15 * M1);
	m = model("claude", "anthropic", "text+image", "anthropic", 200000);
	p.image_w[0] = p.image_h[0] = 1000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.image, 4002000);
	/* Gemini 1.5 Flash-8B: 258 x 0.0375 = $0.000009675 */
	o = flash8b();
	m = model("gemini-1.5-flash-8b", "google", "text+image+audio", "gemini", 1048576);
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.per_task.image, 9675);
	/* a text-only model cannot take it */
	m = model("t", "x", "text", "", 8192);
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 0);
	CHECK_STR(e.reason, "no image input");
	/* image input without a known formula: not applicable ... */
	m = model("p", "mistral", "text+image", "", 128000);
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 0);
	CHECK(strstr(e.reason, "unknown") != NULL);
	/* ... unless the offering charges per image: $0.002 x 3 images x 2 tasks = $0.012 */
	o.tiers[0].image_per_item = 2000000;
	p.nimages = 3;
	p.image_w[1] = p.image_h[1] = p.image_w[2] = p.image_h[2] = 500;
	p.count = 2;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 1);
	CHECK_INT(e.total.fees, 12000000);
}

TEST(audio)
{
	/* Gemini 2.0 Flash: audio input $0.70/M, 32 tokens per second:
	   60 s = 1,920 tokens x 0.70 = $0.001344 */
	struct lc_offering o = offering("gemini-2.0-flash", 100000000, 400000000);
	struct lc_model m = model("gemini-2.0-flash", "google", "text+image+audio", "gemini",
				  1048576);
	struct lc_profile p = prof(0, 0);
	struct lc_estimate e;

	p.audio_in_ms = 60000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 0); /* no audio price recorded */
	CHECK(strstr(e.reason, "audio") != NULL);
	o.tiers[0].audio_input = 700000000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 1);
	CHECK_INT(e.usage.audio_input, 1920);
	CHECK_INT(e.per_task.audio, 1344000);
	/* 1.5 s = 48 tokens; a fraction of a token rounds up: 0.001 s -> 1 token */
	p.audio_in_ms = 1;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.usage.audio_input, 1);
	/* no audio modality */
	m = model("t", "google", "text", "", 1000);
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_STR(e.reason, "no audio input");
	/* OpenAI audio output: 20 tokens a second; 10 s = 200 tokens x $80/M = $0.016 */
	o = offering("gpt-4o-audio", 2500000000, 10 * M1);
	o.tiers[0].audio_output = 80 * M1;
	m = model("gpt-4o-audio", "openai", "text+audio", "", 128000);
	p = prof(10, 0);
	p.audio_out_ms = 10000;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.usage.audio_output, 200);
	CHECK_INT(e.per_task.audio, 16000000);
}

TEST(context_window)
{
	struct lc_offering o = offering("gpt-4", 30 * M1, 60 * M1);
	struct lc_model m = model("gpt-4", "openai", "text", "", 8192);
	struct lc_profile p = prof(8000, 192);
	struct lc_estimate e;

	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 1); /* exactly fits */
	p.output = 193;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 0);
	CHECK(strstr(e.reason, "context window") != NULL);
	/* unknown window: no check */
	m.context_window = 0;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.applicable, 1);
}

TEST(fees_and_per)
{
	/* $1/$1 per M, request fee $0.005, 3 requests a task, 10 tasks: fees $0.15;
	   tokens 10 x (1000 + 1000) x $1/M = $0.02; total $0.17 */
	struct lc_offering o = offering("m", M1, M1);
	struct lc_model m = model("m", "x", "text", "", 0);
	struct lc_profile p = prof(1000, 1000);
	struct lc_estimate e;

	o.tiers[0].request_fee = 5000000;
	o.tiers[0].web_search_fee = 10000000;
	p.requests = 3;
	p.count = 10;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.total.fees, 150000000);
	CHECK_INT(e.total.total, 170000000);
	CHECK_INT(e.extra, 0);
	/* 2 web searches a task at $0.01: + $0.20 */
	p.web_searches = 2;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.total.fees, 350000000);
	/* per day: the month figure is 30 days of it, exactly */
	p.web_searches = 0;
	p.per = LC_PER_DAY;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.extra, 30 * 170000000LL);
	/* per month: a day is month / 30, half-even: 170000000 / 30 = 5666666.67 -> 5666667 */
	p.per = LC_PER_MONTH;
	CHECK_INT(estimate_one(&p, &m, &o, &e, NULL), 0);
	CHECK_INT(e.extra, 5666667);
}

TEST(overflow)
{
	struct lc_offering o = offering("m", 60 * M1, 60 * M1);
	struct lc_model m = model("m", "x", "text", "", 0);
	struct lc_profile p = prof(1000000000000LL, 1);
	struct lc_estimate e;
	struct lc_err err = { 0 };

	p.count = 1000000000000LL;
	CHECK_INT(estimate_one(&p, &m, &o, &e, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK(strstr(err.msg, "out of range") != NULL);
}

TEST(ranking)
{
	struct lc_estimate e[4];

	memset(e, 0, sizeof(e));
	LC_COPY(e[0].model, "na");
	LC_COPY(e[1].model, "b");
	e[1].applicable = 1;
	e[1].total.total = 5;
	LC_COPY(e[2].model, "a");
	e[2].applicable = 1;
	e[2].total.total = 5;
	LC_COPY(e[3].model, "c");
	e[3].applicable = 1;
	e[3].total.total = 2;
	estimate_rank(e, 4);
	CHECK_STR(e[0].model, "c");
	CHECK_STR(e[1].model, "a");
	CHECK_STR(e[2].model, "b");
	CHECK_STR(e[3].model, "na");

	char buf[64];
	CHECK_STR(estimate_times(buf, sizeof(buf), 15, 10), "1.50");
	CHECK_STR(estimate_times(buf, sizeof(buf), 1683000000, 24750), "68000.00");
	CHECK_STR(estimate_times(buf, sizeof(buf), 2, 3), "0.67");
	CHECK_STR(estimate_times(buf, sizeof(buf), 2, 0), "-");
	CHECK_INT(estimate_score_cmp("1250", "1250.0"), 0);
	CHECK_INT(estimate_score_cmp("1249.5", "1250"), -1);
	CHECK_INT(estimate_score_cmp("1300", "1250"), 1);
	CHECK_INT(estimate_tokens_from_bytes(0), 0);
	CHECK_INT(estimate_tokens_from_bytes(1), 1);
	CHECK_INT(estimate_tokens_from_bytes(8), 2);
	CHECK_INT(estimate_tokens_from_bytes(9), 3);
}

TEST(dates)
{
	size_t n = 0;
	char(*d)[11] = estimate_dates("2024-01-31", "2024-04-30", LC_STEP_MONTH, &n, NULL);

	CHECK_INT(n, 4);
	if (d && n == 4) {
		CHECK_STR(d[0], "2024-01-31");
		CHECK_STR(d[1], "2024-02-29");
		CHECK_STR(d[2], "2024-03-31");
		CHECK_STR(d[3], "2024-04-30");
	}
	free(d);
	d = estimate_dates("2024-01-01", "2024-01-15", LC_STEP_WEEK, &n, NULL);
	CHECK_INT(n, 3);
	free(d);
	d = estimate_dates("2024-01-01", "2024-01-01", LC_STEP_DAY, &n, NULL);
	CHECK_INT(n, 1);
	free(d);
	struct lc_err err = { 0 };
	CHECK(estimate_dates("2024-02-01", "2024-01-01", LC_STEP_DAY, &n, &err) == NULL);
	CHECK_INT(err.code, LC_EUSAGE);
	CHECK(estimate_dates("2000-01-01", "2099-01-01", LC_STEP_DAY, &n, &err) == NULL);
}

/* A fake price source: "cheap" cut from $2 to $1 input on 2024-03-01; "good" $1.5. */
static int fake_offerings(void *ctx, const char *date, lc_est_visit_fn visit, void *vctx,
			  struct lc_err *err)
{
	struct lc_model m = model("x", "x", "text", "", 0);
	struct lc_offering a = offering("cheap", strcmp(date, "2024-03-01") < 0 ? 2 * M1 : M1, 0);
	struct lc_offering b = offering("good", 1500000000, 0);

	if (strcmp(date, "2024-02-01") >= 0 && visit(vctx, &m, &a))
		return 0;
	visit(vctx, &m, &b);
	return 0;
}

static int fake_quality(void *ctx, const char *model, const char *date, char out[32],
			struct lc_err *err)
{
	lc_strlcpy(out, !strcmp(model, "good") ? "1300" : "1100", 32);
	return 1;
}

TEST(series)
{
	struct lc_est_source src = { fake_offerings, fake_quality, NULL, 0 };
	struct lc_profile p = prof(1000000, 0);
	struct lc_series s;
	size_t n;
	char(*d)[11] = estimate_dates("2024-01-01", "2024-04-01", LC_STEP_MONTH, &n, NULL);

	CHECK_INT(estimate_series(&p, d, n, &src, NULL, LC_NONE, &s, NULL), 0);
	CHECK_INT(s.ndates, 4);
	CHECK_INT(s.nlines, 2);
	CHECK_STR(s.lines[0].model, "cheap");
	CHECK_STR(s.lines[1].model, "good");
	/* cheap: not yet priced in January; $2 in February; $1 from March */
	CHECK_INT(s.lines[0].total[0], LC_NONE);
	CHECK_INT(s.lines[0].total[1], 2 * M1);
	CHECK_INT(s.lines[0].total[2], M1);
	CHECK_INT(s.lines[1].total[0], 1500000000);
	CHECK_INT(s.cheapest[0], 1);
	CHECK_INT(s.cheapest[1], 1);
	CHECK_INT(s.cheapest[2], 0);
	CHECK_INT(s.cheapest[3], 0);
	series_release(&s);
	/* with a quality floor, only "good" counts */
	CHECK_INT(estimate_series(&p, d, n, &src, "1250", LC_NONE, &s, NULL), 0);
	CHECK_INT(s.nlines, 1);
	CHECK_INT(s.cheapest[3], 0);
	CHECK_STR(s.cheapest_quality[3], "1300");
	series_release(&s);
	/* a cost ceiling below every total: no cheapest, lines still there */
	CHECK_INT(estimate_series(&p, d, n, &src, NULL, 100, &s, NULL), 0);
	CHECK_INT(s.cheapest[2], -1);
	CHECK_INT(s.nlines, 2);
	series_release(&s);
	free(d);
}

/* ---- offerings that cannot price tokens ---- */

static struct lc_model moded(const char *id, const char *mode)
{
	struct lc_model m = model(id, "x", "text", "", 0);

	LC_COPY(m.mode, mode);
	return m;
}

TEST(skip_kinds)
{
	struct lc_offering chat = offering("c", M1, 2 * M1), none = offering("n", LC_NONE, LC_NONE);
	struct lc_offering in_only = offering("i", M1, LC_NONE), zero_out = offering("e", M1 / 50, 0);
	struct lc_offering fee = none, audio = none, image = none, empty = chat;
	struct lc_model m;
	struct lc_estimate e;
	struct lc_profile p = prof(1000, 100);
	size_t counts[LC_SKIP_N] = { 0 };
	char buf[256];

	fee.tiers[0].request_fee = M1 / 100;
	audio.tiers[0].audio_input = 10 * M1;
	image.tiers[0].image_per_item = M1 / 25;
	empty.ntiers = 0;
	/* chat modes with both token prices are ranked, whatever the mode's spelling */
	m = moded("c", "");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_NONE);
	m = moded("c", "chat");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_NONE);
	m = moded("c", "responses");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_NONE);
	m = moded("c", "completion");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_NONE);
	m = moded("c", "realtime");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_NONE);
	/* the mode decides first: an embedding at $0.02 in and $0 out is not chat */
	m = moded("e", "embedding");
	CHECK_INT(estimate_skip_of(&m, &zero_out), LC_SKIP_EMBEDDING);
	m = moded("e", "image_generation");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_IMAGE);
	m = moded("e", "video_generation");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_VIDEO);
	m = moded("e", "rerank");
	CHECK_INT(estimate_skip_of(&m, &none), LC_SKIP_RERANK);
	m = moded("e", "audio_transcription");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_AUDIO);
	m = moded("e", "audio_speech");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_AUDIO);
	m = moded("e", "moderation");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_MODERATION);
	m = moded("e", "ocr");
	CHECK_INT(estimate_skip_of(&m, &chat), LC_SKIP_OTHER);
	/* a chat mode without both token prices: by the prices it has */
	m = moded("c", "chat");
	CHECK_INT(estimate_skip_of(&m, &in_only), LC_SKIP_PARTIAL);
	CHECK_INT(estimate_skip_of(&m, &fee), LC_SKIP_PER_REQUEST);
	CHECK_INT(estimate_skip_of(&m, &audio), LC_SKIP_AUDIO);
	CHECK_INT(estimate_skip_of(&m, &image), LC_SKIP_IMAGE);
	CHECK_INT(estimate_skip_of(&m, &none), LC_SKIP_OTHER);
	CHECK_INT(estimate_skip_of(&m, &empty), LC_SKIP_OTHER);
	/* estimate_one: skipped, not an error, with a reason */
	CHECK_INT(estimate_one(&p, &m, &in_only, &e, NULL), 0);
	CHECK_INT(e.skip, LC_SKIP_PARTIAL);
	CHECK_INT(e.applicable, 0);
	CHECK_STR(e.reason, "no input/output token price (input or output price missing, mode chat)");
	CHECK_INT(estimate_one(&p, &m, &chat, &e, NULL), 0);
	CHECK_INT(e.skip, LC_SKIP_NONE);
	CHECK_INT(e.applicable, 1);
	/* the summary line */
	CHECK_STR(estimate_skip_summary(buf, sizeof(buf), counts), "");
	counts[LC_SKIP_EMBEDDING] = 12;
	counts[LC_SKIP_IMAGE] = 3;
	counts[LC_SKIP_PER_REQUEST] = 1;
	CHECK_STR(estimate_skip_summary(buf, sizeof(buf), counts),
		  "16 offerings skipped: no token prices (embeddings 12, image 3, per-request only 1)");
	CHECK_STR(estimate_skip_key(LC_SKIP_PER_REQUEST), "per_request");
}

/* A store of one date: chat "a" ($1/$2), "b" ($3/$4), an embedding, an
   input-only entry, and "dear" at $999/M. */
static int mixed_offerings(void *ctx, const char *date, lc_est_visit_fn visit, void *vctx,
			   struct lc_err *err)
{
	const char *only = ctx;
	struct lc_model chat = moded("x", "chat"), emb = moded("x", "embedding");
	struct lc_offering v[] = { offering("a", M1, 2 * M1), offering("b", 3 * M1, 4 * M1),
				   offering("emb", M1 / 50, 0), offering("half", M1, LC_NONE),
				   offering("dear", 999 * M1, 999 * M1) };

	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		if ((!only || !strcmp(only, v[i].model)) &&
		    visit(vctx, !strcmp(v[i].model, "emb") ? &emb : &chat, &v[i]))
			return 0;
	return 0;
}

TEST(one_entry_never_fails)
{
	struct lc_est_source src = { mixed_offerings, NULL, NULL, 0 };
	struct lc_profile p = prof(1000000, 1000000);
	struct lc_ranking r;
	struct lc_series s;
	struct lc_err err = { 0 };
	char d[1][11] = { "2025-01-01" };

	/* over every model: a and b ranked, dear priced, two skipped and counted */
	CHECK_INT(estimate_at(&p, "2025-01-01", &src, NULL, LC_NONE, &r, &err), 0);
	CHECK_INT(r.seen, 5);
	CHECK_INT(r.n, 3);
	CHECK_INT(r.napplicable, 3);
	CHECK_INT(r.nskipped, 2);
	CHECK_INT(r.skipped[LC_SKIP_EMBEDDING], 1);
	CHECK_INT(r.skipped[LC_SKIP_PARTIAL], 1);
	if (r.n == 3) {
		CHECK_STR(r.e[0].model, "a");
		CHECK_INT(r.e[0].total.total, 3 * M1);
		CHECK_STR(r.e[1].model, "b");
		CHECK_STR(r.e[2].model, "dear");
	}
	ranking_release(&r);
	/* a count that takes "dear" out of range: not applicable, the rest priced */
	p = prof(100000, 100000);
	p.count = 100000000;
	CHECK_INT(estimate_at(&p, "2025-01-01", &src, NULL, LC_NONE, &r, &err), 0);
	CHECK_INT(r.napplicable, 2);
	CHECK_INT(r.n, 3);
	if (r.n == 3) {
		CHECK_STR(r.e[2].model, "dear");
		CHECK_STR(r.e[2].reason, "cost out of range");
	}
	ranking_release(&r);
	CHECK_INT(estimate_series(&p, d, 1, &src, NULL, LC_NONE, &s, &err), 0);
	CHECK_INT(s.nlines, 3);
	CHECK_INT(s.nskipped, 2);
	series_release(&s);
	/* every offering out of range: the task's fault, an error */
	p.count = 1000000000000LL;
	CHECK_INT(estimate_at(&p, "2025-01-01", &src, NULL, LC_NONE, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK_INT(err.reason, LC_R_OUT_OF_RANGE);
	CHECK_INT(estimate_series(&p, d, 1, &src, NULL, LC_NONE, &s, &err), -1);
	CHECK_INT(err.reason, LC_R_OUT_OF_RANGE);
	/* named (strict): a skipped offering, or one out of range, is an error */
	p = prof(1000, 1000);
	src.strict = 1;
	src.ctx = (void *)"emb";
	err = (struct lc_err){ 0 };
	CHECK_INT(estimate_at(&p, "2025-01-01", &src, NULL, LC_NONE, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK_INT(err.reason, LC_R_UNPRICEABLE);
	CHECK_STR(err.msg, "'emb' at h has no input/output price (embeddings, mode embedding): "
			   "it cannot price a task of tokens");
	src.ctx = (void *)"a";
	CHECK_INT(estimate_at(&p, "2025-01-01", &src, NULL, LC_NONE, &r, &err), 0);
	CHECK_INT(r.napplicable, 1);
	ranking_release(&r);
	src.ctx = (void *)"dear";
	p.count = 100000000;
	p.input = p.output = 100000;
	CHECK_INT(estimate_at(&p, "2025-01-01", &src, NULL, LC_NONE, &r, &err), -1);
	CHECK_INT(err.reason, LC_R_OUT_OF_RANGE);
	/* lc_errf resets the reason */
	lc_errf(&err, LC_EDATA, "other");
	CHECK_INT(err.reason, LC_R_NONE);
}

TEST(profiles)
{
	static const char ok[] =
		"{\"input\": 1000, \"output\": 200, \"cached_input\": 500, \"cache_ttl\": \"1h\", "
		"\"images\": [\"1024x768\", \"10x10\"], \"detail\": \"low\", \"batch\": true, "
		"\"audio_in_seconds\": 1.5, \"count\": 68000, \"per\": \"day\", \"description\": \"d\"}";
	struct lc_profile p, q;
	struct lc_err err = { 0 };

	profile_init(&p);
	CHECK_INT(profile_parse_json(ok, strlen(ok), "profile 'p.json'", &p, &err), 0);
	CHECK_INT(p.input, 1000);
	CHECK_INT(p.cached_input, 500);
	CHECK_INT(p.cache_ttl_1h, 1);
	CHECK_INT(p.nimages, 2);
	CHECK_INT(p.image_w[0], 1024);
	CHECK_INT(p.detail, LC_DETAIL_LOW);
	CHECK_INT(p.batch, 1);
	CHECK_INT(p.audio_in_ms, 1500);
	CHECK_INT(p.count, 68000);
	CHECK_INT(p.per, LC_PER_DAY);
	CHECK_INT(p.requests, 1);
	/* merging: options override the fields they set, the rest stays */
	profile_init(&q);
	q.set = PF_OUTPUT;
	q.output = 7;
	profile_merge(&p, &q);
	CHECK_INT(p.output, 7);
	CHECK_INT(p.input, 1000);

	static const struct {
		const char *text, *field;
	} bad[] = {
		{ "{\"output\": -1}", "\"output\"" },
		{ "{\"output\": 1.5}", "\"output\"" },
		{ "{\"output\": \"100\"}", "\"output\"" },
		{ "{\"input\": 1e13}", "\"input\"" },
		{ "{\"outptu\": 1}", "\"outptu\": unknown field" },
		{ "{\"images\": [\"1024*768\"]}", "\"images\"" },
		{ "{\"detail\": \"medium\"}", "\"detail\"" },
		{ "{\"cache_ttl\": \"2h\"}", "\"cache_ttl\"" },
		{ "{\"per\": \"week\"}", "\"per\"" },
		{ "{\"batch\": 1}", "\"batch\"" },
		{ "{\"audio_in_seconds\": 0.0005}", "\"audio_in_seconds\"" },
		{ "[1, 2]", "want a JSON object" },
		{ "{\"input\": 1,", "malformed JSON" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&err, 0, sizeof(err));
		profile_init(&p);
		CHECK_INT(profile_parse_json(bad[i].text, strlen(bad[i].text), "profile 'p.json'",
					     &p, &err),
			  -1);
		CHECK_INT(err.code, LC_EDATA);
		if (!strstr(err.msg, bad[i].field) || !strstr(err.msg, "profile 'p.json'"))
			fprintf(stderr, "message for %s: %s\n", bad[i].text, err.msg);
		CHECK(strstr(err.msg, bad[i].field) != NULL);
	}
}

TEST(presets)
{
	static const char tasks[] =
		"{\"tasks\": [{\"name\": \"a\", \"description\": \"A\", \"assumptions\": \"aa\", "
		"\"input\": 5, \"output\": 6}, {\"name\": \"b\", \"input\": 1, \"bogus\": 2}]}";
	struct lc_task_info t[4];
	struct lc_profile p;
	struct lc_err err = { 0 };

	CHECK_INT(tasks_list(tasks, strlen(tasks), t, 4, NULL), 2);
	CHECK_STR(t[0].assumptions, "aa");
	profile_init(&p);
	CHECK_INT(tasks_load(tasks, strlen(tasks), "a", &p, NULL), 0);
	CHECK_INT(p.input, 5);
	CHECK_STR(p.task, "a");
	CHECK_INT(tasks_load(tasks, strlen(tasks), "zz", &p, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK(strstr(err.msg, "unknown task preset 'zz'") != NULL);
	CHECK_INT(tasks_load(tasks, strlen(tasks), "b", &p, &err), -1);
	CHECK(strstr(err.msg, "bogus") != NULL);
}

int main(void)
{
	RUN(photo_captions);
	RUN(context_tier_whole_request);
	RUN(cache_read_and_write);
	RUN(counts_must_add_up);
	RUN(batch);
	RUN(reasoning);
	RUN(images);
	RUN(audio);
	RUN(context_window);
	RUN(fees_and_per);
	RUN(overflow);
	RUN(ranking);
	RUN(dates);
	RUN(series);
	RUN(skip_kinds);
	RUN(one_entry_never_fails);
	RUN(profiles);
	RUN(presets);
	return harness_done();
}

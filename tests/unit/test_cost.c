/* test_cost.c - the cost rules of pricing/cost.h on hand-computed cases. */
#include <stdlib.h>

#include "cost.h"
#include "harness.h"
#include "usage_price.h"

#define USD(x) ((int64_t)((x) * 1000000000LL)) /* whole-dollar test prices only */

static struct lc_offering offering(int64_t in, int64_t out)
{
	struct lc_offering o;

	memset(&o, 0, sizeof(o));
	strcpy(o.model, "m");
	strcpy(o.host, "h");
	o.ntiers = 1;
	struct lc_tier *t = &o.tiers[0];
	t->input = in;
	t->output = out;
	t->cache_read = t->cache_write_5m = t->cache_write_1h = t->reasoning = LC_NONE;
	t->audio_input = t->audio_output = t->image_input = t->image_per_item = LC_NONE;
	t->request_fee = t->web_search_fee = t->batch_discount_bp = LC_NONE;
	t->batch_input = t->batch_output = LC_NONE;
	return o;
}

TEST(photo_captions)
{
	/* 68,000 photos x (260 in, 100 out) on Gemini 1.5 Flash-8B ($0.0375/$0.15) */
	struct lc_offering o = offering(37500000, 150000000);
	struct lc_usage u = { .input = 260, .output = 100 };
	struct lc_cost c;

	CHECK_INT(usage_scale(&u, 68000, NULL), 0);
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.input, 663000000);
	CHECK_INT(c.output, 1020000000);
	CHECK_INT(c.total, 1683000000);
}

TEST(context_tier_whole_request)
{
	/* Claude Sonnet 4: $3/$15, above 200k prompt tokens $6/$22.50, cache read 0.30/0.60 */
	struct lc_offering o = offering(USD(3), USD(15));
	struct lc_usage u = { .input = 1000, .cache_read = 150000, .cache_write_5m = 60000,
			      .output = 2000 };
	struct lc_cost c;

	o.tiers[0].cache_read = 300000000;
	o.tiers[0].cache_write_5m = 3750000000;
	o.ntiers = 2;
	o.tiers[1] = o.tiers[0];
	o.tiers[1].min_input_tokens = 200000;
	o.tiers[1].input = USD(6);
	o.tiers[1].output = 22500000000;
	o.tiers[1].cache_read = 600000000;
	o.tiers[1].cache_write_5m = 7500000000;
	/* 211,000 prompt tokens: every component at the long-context rate */
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.tier, 1);
	CHECK_INT(c.input, 6000000);        /* 1000 x $6/M */
	CHECK_INT(c.cache_read, 90000000);  /* 150k x $0.60/M */
	CHECK_INT(c.cache_write, 450000000); /* 60k x $7.50/M */
	CHECK_INT(c.output, 45000000);      /* 2000 x $22.50/M */
	CHECK_INT(c.total, 591000000);
	/* exactly 200,000 is not above the threshold */
	u.input = 200000;
	u.cache_read = u.cache_write_5m = 0;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.tier, 0);
	CHECK_INT(c.input, 600000000);
	/* a usage summing many requests: the tier is judged on tier_prompt,
	   not on the summed prompt (3 requests of 100k tokens: base rate) */
	u = (struct lc_usage){ .input = 300000, .output = 3000, .tier_prompt = 100000 };
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.tier, 0);
	CHECK_INT(c.input, 900000000); /* 300k x $3/M */
	/* one request over 200k inside a sum of small ones: long-context rate */
	u = (struct lc_usage){ .input = 1000, .output = 1000, .tier_prompt = 200001 };
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.tier, 1);
	CHECK_INT(c.total, 6000000 + 22500000); /* 1000 x $6/M + 1000 x $22.50/M */
}

TEST(cache_fallbacks)
{
	struct lc_offering o = offering(USD(2), USD(8));
	struct lc_usage u = { .input = 1000000, .cache_read = 1000000, .cache_write_1h = 1000000 };
	struct lc_cost c;

	/* no cache prices: cached and written tokens pay the input price */
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.cache_read, USD(2));
	CHECK_INT(c.cache_write, USD(2));
	/* 1h falls back to the 5m price when only that is known */
	o.tiers[0].cache_write_5m = 2500000000;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.cache_write, 2500000000);
	o.tiers[0].cache_write_1h = USD(4);
	o.tiers[0].cache_read = 200000000;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.cache_write, USD(4));
	CHECK_INT(c.cache_read, 200000000);
}

TEST(batch)
{
	struct lc_offering o = offering(USD(2), USD(8));
	struct lc_usage u = { .input = 1000000, .output = 1000000, .requests = 10, .batch = 1 };
	struct lc_cost c;

	o.tiers[0].request_fee = 1000000; /* $0.001 per request: fees are not discounted */
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.batch_applied, 0); /* no batch offer: full price */
	CHECK_INT(c.total, USD(10) + 10000000);
	o.tiers[0].batch_discount_bp = 5000;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.batch_applied, 1);
	CHECK_INT(c.total, USD(5) + 10000000);
	o.tiers[0].batch_input = 900000000;
	o.tiers[0].batch_output = USD(3);
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.total, 3900000000 + 10000000);
}

TEST(reasoning)
{
	struct lc_offering o = offering(USD(1), USD(4));
	struct lc_usage u = { .input = 0, .output = 1000, .reasoning = 600 };
	struct lc_cost c;

	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.output, 4000000);
	CHECK_INT(c.reasoning, 0);
	o.tiers[0].reasoning = USD(10);
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.output, 1600000);
	CHECK_INT(c.reasoning, 6000000);
	u.reasoning = 1001;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), -1);
}

TEST(rounding_and_limits)
{
	struct lc_offering o = offering(12500000, 12500000); /* $0.0125/M */
	struct lc_usage u = { .input = 7, .output = 21 };
	struct lc_cost c;
	struct lc_err err = { 0 };

	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.input, 88);  /* 87.5 -> 88 (half-even) */
	CHECK_INT(c.output, 262); /* 262.5 -> 262 */
	o = offering(540000000000000LL, 1);
	u = (struct lc_usage){ .input = 1000000000000LL };
	CHECK_INT(cost_compute(&o, &u, &c, &err), -1);
	CHECK_STR(err.msg, "cost out of range");
	u = (struct lc_usage){ .input = -1 };
	CHECK_INT(cost_compute(&o, &u, &c, NULL), -1);
	u = (struct lc_usage){ .input = 1000000000000LL };
	CHECK_INT(usage_scale(&u, 10000, NULL), -1);
}

TEST(tier_prompt_of_an_aggregate)
{
	/* 1,000 requests of 1,000 tokens summed into one usage (1M prompt tokens):
	   tier_prompt 1,000 keeps the base tier ($1/M): 1M x $1 = $1, not $2 */
	struct lc_offering o = offering(USD(1), USD(1));
	struct lc_usage u = { .input = 1000000, .tier_prompt = 1000 };
	struct lc_cost c;

	o.ntiers = 2;
	o.tiers[1] = o.tiers[0];
	o.tiers[1].min_input_tokens = 128000;
	o.tiers[1].input = USD(2);
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.tier, 0);
	CHECK_INT(c.total, USD(1));
	u.tier_prompt = 0; /* judged on the sum */
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.tier, 1);
	CHECK_INT(c.total, USD(2));
	u.tier_prompt = -1;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), -1);
}

/* Sum of cost_compute over n random parts of u (same tier_prompt, batch);
   the last part takes all the reasoning, so every part is valid. */
static int64_t parts_cost(const struct lc_offering *o, const struct lc_usage *u, int n,
			  unsigned *seed)
{
	struct lc_usage left = *u, p;
	struct lc_cost c;
	int64_t sum = 0;

	for (int i = 0; i < n; i++) {
		p = left;
		if (i < n - 1) {
			int64_t *f[] = { &p.input, &p.cache_read, &p.cache_write_5m,
					 &p.cache_write_1h, &p.output, &p.requests };
			int64_t *l[] = { &left.input, &left.cache_read, &left.cache_write_5m,
					 &left.cache_write_1h, &left.output, &left.requests };

			for (int k = 0; k < 6; k++) {
				int64_t room = *l[k] - (k == 4 ? u->reasoning : 0);

				*f[k] = room > 0 ? (int64_t)(rand_r(seed) % (room + 1)) : 0;
				*l[k] -= *f[k];
			}
			p.reasoning = 0;
		}
		if (cost_compute(o, &p, &c, NULL))
			return -1;
		sum += c.total;
	}
	return sum;
}

TEST(additive)
{
	/* whole nano-USD per token ($3/M = 3000/token, $0.30/M = 300): the cost
	   of a sum is the sum of the costs, for any split */
	struct lc_offering o = offering(USD(3), USD(15));
	struct lc_usage u = { .input = 12345, .cache_read = 987654, .cache_write_5m = 4321,
			      .output = 55555, .reasoning = 1234, .requests = 77,
			      .tier_prompt = 1 };
	struct lc_cost c;
	unsigned seed = 7;

	o.tiers[0].cache_read = 300000000;
	o.tiers[0].cache_write_5m = 3750000000;
	o.tiers[0].request_fee = 123; /* fees are always additive */
	CHECK_INT(cost_additive(&o, &u), 1);
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	for (int i = 0; i < 200; i++)
		CHECK_INT(parts_cost(&o, &u, 2 + i % 9, &seed), c.total);
	/* $0.0375/M is 37.5 nano-USD per token: rounded per part, so a sum of
	   parts can differ from the cost of the sum; not additive */
	o.tiers[0].cache_read = 37500000;
	CHECK_INT(cost_additive(&o, &u), 0);
	{
		int differ = 0;

		CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
		for (int i = 0; i < 200; i++)
			differ += parts_cost(&o, &u, 2 + i % 9, &seed) != c.total;
		CHECK(differ > 0); /* the random splits do find the difference */
	}
	{
		struct lc_usage one = { .cache_read = 1, .tier_prompt = 1 };
		struct lc_usage two = { .cache_read = 2, .tier_prompt = 1 };
		struct lc_cost c1, c2;

		CHECK_INT(cost_compute(&o, &one, &c1, NULL), 0);
		CHECK_INT(cost_compute(&o, &two, &c2, NULL), 0);
		CHECK(c1.total * 2 != c2.total); /* 38 + 38 != 75 */
	}
	/* ... unless no token is billed at that price */
	u.cache_read = 0;
	CHECK_INT(cost_additive(&o, &u), 1);
	/* reasoning priced apart at a fraction */
	o.tiers[0].reasoning = 1500000; /* $0.0015/M */
	CHECK_INT(cost_additive(&o, &u), 0);
	u.reasoning = 0;
	CHECK_INT(cost_additive(&o, &u), 1);
	/* batch: 50% off $3/M is 1500/token, additive; 50% off $0.075/M is not */
	u.batch = 1;
	o.tiers[0].batch_discount_bp = 5000;
	CHECK_INT(cost_additive(&o, &u), 1);
	o.tiers[0].input = 75000000;
	CHECK_INT(cost_additive(&o, &u), 0);
	u.batch = 0; /* $0.075/M at full price is 75/token */
	CHECK_INT(cost_additive(&o, &u), 1);
	/* the long-context tier's prices are the ones checked */
	o.ntiers = 2;
	o.tiers[1] = o.tiers[0];
	o.tiers[1].min_input_tokens = 200000;
	o.tiers[1].input = 37500000;
	CHECK_INT(cost_additive(&o, &u), 1);
	u.tier_prompt = 200001;
	CHECK_INT(cost_additive(&o, &u), 0);
	/* never priced: every split is unpriced alike */
	o.tiers[0].input = LC_NONE;
	CHECK_INT(cost_additive(&o, &u), 1);
}

/* Audio only at audio prices; other modalities never priced (issue #13, 8). */
TEST(modalities)
{
	/* gpt-4o-audio-preview 2024-10-01: $2.50/$10 text, $100/$200 audio */
	struct lc_offering o = offering(2500000000, USD(10));
	struct lc_usage u = { .audio_input = 1000000, .audio_output = 1000000, .requests = 1 };
	struct lc_cost c;
	struct lc_err err = { 0 };
	lc_i128 t;

	/* no audio price: not as text, the reason named */
	CHECK_INT(cost_compute(&o, &u, &c, &err), -1);
	CHECK_STR(err.msg, "no audio input price");
	CHECK_STR(cost_unpriceable(&o, &u), "no audio input price");
	o.tiers[0].audio_input = USD(100);
	CHECK_STR(cost_unpriceable(&o, &u), "no audio output price");
	o.tiers[0].audio_output = USD(200);
	CHECK(cost_unpriceable(&o, &u) == NULL);
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.audio, USD(300));
	CHECK_INT(c.total, USD(300));
	/* image tokens without an image price: at the input price */
	u.image_tokens = 1000000;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(c.image, 2500000000);
	/* other tokens: never priced */
	u.other_tokens = 1;
	CHECK_INT(cost_compute(&o, &u, &c, &err), -1);
	CHECK_STR(err.msg, "tokens of a modality without a price");
	CHECK_INT(cost_total(&o, &u, &t, NULL), -1);
}

/* cost_total: exact past int64, the same figure cost_compute gives below. */
TEST(total_past_int64)
{
	struct lc_offering o = offering(USD(10), USD(10));
	struct lc_usage u = { .output = 1000000000000LL };
	struct lc_cost c;
	lc_i128 t;

	CHECK_INT(cost_compute(&o, &u, &c, NULL), 0);
	CHECK_INT(cost_total(&o, &u, &t, NULL), 0);
	CHECK(t == c.total);
	/* a 15-minute row of 1000 such records: $10^10, over int64 nano-USD */
	u.output = 1000000000000000LL;
	CHECK_INT(cost_compute(&o, &u, &c, NULL), -1);
	CHECK_INT(cost_total(&o, &u, &t, NULL), 0);
	CHECK(t == (lc_i128)10000000000LL * LC_NANO);
	/* the largest counts at the largest price a sheet holds ($1 a token), batch */
	o.tiers[0].output = 1000000000000000LL;
	o.tiers[0].batch_discount_bp = 1;
	u.output = INT64_MAX;
	u.batch = 1;
	CHECK_INT(cost_total(&o, &u, &t, NULL), 0);
	CHECK(t == money_muldiv((lc_i128)INT64_MAX * 1000000000000000LL, 9999, 10000LL * 1000000));
}

/* A stored usage row (pricing/usage_price.c): its counts priced by the rules above */
TEST(usage_row_priced)
{
	struct lc_offering o = offering(USD(3), USD(15));
	struct lc_usage_row u;
	struct lc_usage cu;
	const char *why = "x";
	lc_i128 cost = 0;

	memset(&u, 0, sizeof(u));
	u.detail = 1;
	u.pclass = -1;
	u.service_tier = "";
	u.input = 1000, u.output = 2000, u.requests = 1, u.records = 1;
	/* 1000 x $3/M + 2000 x $15/M = $0.033 */
	CHECK_INT(usage_row_price(&o, &u, &cost, &why), 1);
	CHECK_INT(cost, 33000000);
	CHECK(why == NULL);
	/* the batch tier comes from service_tier; a rollup class picks the prompt size */
	u.service_tier = "batch";
	u.pclass = 2;
	usage_of_row(&u, &cu);
	CHECK_INT(cu.batch, 1);
	CHECK_INT(cu.tier_prompt, lc_pclass_ladder[1] + 1);
	u.pclass = 0;
	usage_of_row(&u, &cu);
	CHECK_INT(cu.tier_prompt, 1);
	u.service_tier = "";
	u.pclass = -1;
	u.tier_prompt = 12345;
	usage_of_row(&u, &cu);
	CHECK_INT(cu.tier_prompt, 12345);
	CHECK_INT(cu.batch, 0);
	/* audio without an audio price: not priced, and why */
	u.audio_input = 10;
	CHECK_INT(usage_row_price(&o, &u, &cost, &why), 0);
	CHECK_STR(why, "no audio input price");
	/* a usage_totals row that cannot be priced whole: its parts name the reason */
	u.detail = 0;
	CHECK_INT(usage_row_price(&o, &u, &cost, &why), DB_USAGE_PARTS);
	/* a totals row at a price that is not a whole nano-USD per token is not
	   additive (each part rounds): priced through its parts */
	u.audio_input = 0;
	o.tiers[0].input = 1500; /* $0.0000015/M: 0.0015 nano-USD a token */
	CHECK_INT(usage_row_price(&o, &u, &cost, &why), DB_USAGE_PARTS);
	o.tiers[0].input = USD(3);
	CHECK_INT(usage_row_price(&o, &u, &cost, &why), 1);
	CHECK_INT(cost, 33000000);
}

int main(void)
{
	RUN(usage_row_priced);
	RUN(tier_prompt_of_an_aggregate);
	RUN(photo_captions);
	RUN(context_tier_whole_request);
	RUN(cache_fallbacks);
	RUN(batch);
	RUN(reasoning);
	RUN(rounding_and_limits);
	RUN(additive);
	RUN(modalities);
	RUN(total_past_int64);
	return harness_done();
}

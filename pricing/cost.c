/*
 * cost.c - the cost of a usage on an offering; the rules are in cost.h.
 *
 * Each component is tokens * price_per_1M (* batch factor) / 10^6 computed
 * in one 128-bit expression and rounded half-even once, so a figure never
 * passes through an intermediate rounding.
 */
#include "cost.h"

#include <string.h>

#define PER_M 1000000

int64_t cost_prompt_tokens(const struct lc_usage *u)
{
	return u->input + u->cache_read + u->cache_write_5m + u->cache_write_1h + u->image_tokens +
	       u->audio_input;
}

int cost_tier_for(const struct lc_offering *o, int64_t prompt_tokens)
{
	int best = 0;

	for (int i = 1; i < o->ntiers; i++)
		if (prompt_tokens > o->tiers[i].min_input_tokens &&
		    o->tiers[i].min_input_tokens >= o->tiers[best].min_input_tokens)
			best = i;
	return best;
}

/* A component's price in the applying tier, else the base tier, else fallback. */
static int64_t pick(int64_t tier, int64_t base, int64_t fallback)
{
	if (tier != LC_NONE)
		return tier;
	if (base != LC_NONE)
		return base;
	return fallback;
}

#define I128_MAX ((lc_i128)(((unsigned __int128)1 << 127) - 1))

struct calc {
	int64_t num, den; /* batch factor num/den (1/1 when none) */
	int overflow;     /* past 128 bits: only with prices far beyond any sheet's */
};

/* tokens * price / 10^6 * factor, rounded half-even once, in 128 bits
   (both factors are below 2^63, so their product is below 2^126). */
static lc_i128 part(struct calc *c, int64_t tokens, int64_t price)
{
	lc_i128 tp;

	if (tokens == 0 || price == LC_NONE || price == 0)
		return 0;
	tp = (lc_i128)tokens * price;
	if (tp > I128_MAX / c->num) {
		c->overflow = 1;
		return 0;
	}
	return money_muldiv(tp, c->num, (lc_i128)PER_M * c->den);
}

/* count * fee, no batch factor */
static lc_i128 fee(int64_t count, int64_t price)
{
	if (count == 0 || price == LC_NONE)
		return 0;
	return (lc_i128)count * price;
}

/* The prices that apply to u on o: the tier picked, batch applied. */
struct rates {
	int tier, batch_applied;
	int64_t num, den; /* batch factor num/den (1/1 when none) */
	int64_t in, outp, cr, cw5, cw1, reason, audio_in, audio_out, image;
};

static void rates_of(const struct lc_offering *o, const struct lc_usage *u, struct rates *r)
{
	const struct lc_tier *b, *t;

	r->tier = cost_tier_for(o, u->tier_prompt > 0 ? u->tier_prompt : cost_prompt_tokens(u));
	r->batch_applied = 0;
	r->num = r->den = 1;
	b = &o->tiers[0];
	t = &o->tiers[r->tier];
	r->in = pick(t->input, b->input, LC_NONE);
	r->outp = pick(t->output, b->output, LC_NONE);
	if (u->batch) {
		int64_t bi = pick(t->batch_input, b->batch_input, LC_NONE);
		int64_t bo = pick(t->batch_output, b->batch_output, LC_NONE);
		int64_t bp = pick(t->batch_discount_bp, b->batch_discount_bp, LC_NONE);

		if (bi != LC_NONE && bo != LC_NONE && r->tier == 0) {
			r->in = bi;
			r->outp = bo;
			r->batch_applied = 1;
		} else if (bp != LC_NONE && bp > 0) {
			r->num = 10000 - bp;
			r->den = 10000;
			r->batch_applied = 1;
		}
	}
	r->cr = pick(t->cache_read, b->cache_read, r->in);
	r->cw5 = pick(t->cache_write_5m, b->cache_write_5m, r->in);
	r->cw1 = pick(t->cache_write_1h, b->cache_write_1h, r->cw5);
	r->reason = pick(t->reasoning, b->reasoning, r->outp);
	/* no fallback: audio is never billed as text (cost.h) */
	r->audio_in = pick(t->audio_input, b->audio_input, LC_NONE);
	r->audio_out = pick(t->audio_output, b->audio_output, LC_NONE);
	r->image = pick(t->image_input, b->image_input, r->in);
}

/* The components of a cost in 128 bits (struct lc_cost's, never out of range). */
struct cost128 {
	lc_i128 input, cache_read, cache_write, output, reasoning, audio, image, fees, total;
	int tier, batch_applied;
};

static const char *unpriceable(const struct lc_usage *u, const struct rates *r)
{
	if (u->other_tokens > 0)
		return "tokens of a modality without a price";
	if (u->audio_input > 0 && r->audio_in == LC_NONE)
		return "no audio input price";
	if (u->audio_output > 0 && r->audio_out == LC_NONE)
		return "no audio output price";
	return NULL;
}

const char *cost_unpriceable(const struct lc_offering *o, const struct lc_usage *u)
{
	struct rates r;

	if (o->ntiers < 1)
		return NULL;
	rates_of(o, u, &r);
	return unpriceable(u, &r);
}

/* The cost of u on o into *out, and component by component into *parts
   when not NULL (usage --explain). */
static int compute(const struct lc_offering *o, const struct lc_usage *u, struct cost128 *out,
		   struct lc_cost_parts *parts, struct lc_err *err)
{
	const struct lc_tier *b, *t;
	struct calc c = { 1, 1, 0 };
	struct rates r;
	const char *why;

	memset(out, 0, sizeof(*out));
	if (u->input < 0 || u->cache_read < 0 || u->cache_write_5m < 0 || u->cache_write_1h < 0 ||
	    u->output < 0 || u->reasoning < 0 || u->audio_input < 0 || u->audio_output < 0 ||
	    u->image_tokens < 0 || u->images < 0 || u->requests < 0 || u->web_searches < 0 ||
	    u->tier_prompt < 0 || u->other_tokens < 0)
		return lc_errf(err, LC_EDATA, "negative token count");
	if (u->reasoning > u->output)
		return lc_errf(err, LC_EDATA, "reasoning tokens (%lld) exceed output tokens (%lld)",
			       (long long)u->reasoning, (long long)u->output);
	if (o->ntiers < 1 || o->tiers[0].input == LC_NONE || o->tiers[0].output == LC_NONE)
		return lc_errf(err, LC_EDATA, "'%s' at %s has no input/output price", o->model,
			       o->host),
		       lc_err_reason(err, LC_R_UNPRICEABLE);
	rates_of(o, u, &r);
	if ((why = unpriceable(u, &r)))
		return lc_errf(err, LC_EDATA, "%s", why), lc_err_reason(err, LC_R_UNPRICEABLE);
	out->tier = r.tier;
	out->batch_applied = r.batch_applied;
	c.num = r.num;
	c.den = r.den;
	b = &o->tiers[0];
	t = &o->tiers[r.tier];

	if (parts) {
		const int64_t tok[LC_PART_N] = {
			u->input, u->cache_read, u->cache_write_5m, u->cache_write_1h,
			r.reason == r.outp ? u->output : u->output - u->reasoning,
			r.reason == r.outp ? 0 : u->reasoning, u->audio_input, u->audio_output,
			u->image_tokens, 0
		};
		const int64_t rate[LC_PART_N] = { r.in, r.cr, r.cw5, r.cw1, r.outp, r.reason,
						  r.audio_in, r.audio_out, r.image, LC_NONE };

		memset(parts, 0, sizeof(*parts));
		parts->tier = r.tier;
		parts->batch = r.batch_applied;
		for (int i = 0; i < LC_PART_N; i++) {
			parts->tokens[i] = tok[i];
			parts->rate[i] = rate[i] == LC_NONE ? LC_NONE
				: (int64_t)money_muldiv(rate[i], c.num, c.den);
			if (i != LC_PART_FEES)
				parts->cost[i] = part(&c, tok[i], rate[i]);
		}
	}
	out->input = part(&c, u->input, r.in);
	out->cache_read = part(&c, u->cache_read, r.cr);
	out->cache_write = part(&c, u->cache_write_5m, r.cw5) + part(&c, u->cache_write_1h, r.cw1);
	if (r.reason == r.outp) {
		/* reasoning billed as output: one figure, one rounding */
		out->output = part(&c, u->output, r.outp);
	} else {
		out->output = part(&c, u->output - u->reasoning, r.outp);
		out->reasoning = part(&c, u->reasoning, r.reason);
	}
	out->audio = part(&c, u->audio_input, r.audio_in) + part(&c, u->audio_output, r.audio_out);
	out->image = part(&c, u->image_tokens, r.image);
	out->fees = fee(u->images, pick(t->image_per_item, b->image_per_item, LC_NONE)) +
		    fee(u->requests, pick(t->request_fee, b->request_fee, LC_NONE)) +
		    fee(u->web_searches, pick(t->web_search_fee, b->web_search_fee, LC_NONE));
	if (parts)
		parts->cost[LC_PART_FEES] = out->fees;
	/* each term is below 2^120 unless c.overflow: the sum cannot wrap */
	out->total = out->input + out->cache_read + out->cache_write + out->output +
		     out->reasoning + out->audio + out->image + out->fees;
	if (c.overflow)
		return lc_errf(err, LC_EDATA, "cost out of range"), lc_err_reason(err, LC_R_OUT_OF_RANGE);
	return 0;
}

static int fits(lc_i128 v)
{
	return v >= 0 && v <= INT64_MAX;
}

int cost_compute(const struct lc_offering *o, const struct lc_usage *u, struct lc_cost *out,
		 struct lc_err *err)
{
	struct cost128 c;

	memset(out, 0, sizeof(*out));
	if (compute(o, u, &c, NULL, err))
		return -1;
	if (!fits(c.input) || !fits(c.cache_read) || !fits(c.cache_write) || !fits(c.output) ||
	    !fits(c.reasoning) || !fits(c.audio) || !fits(c.image) || !fits(c.fees) ||
	    !fits(c.total))
		return lc_errf(err, LC_EDATA, "cost out of range"), lc_err_reason(err, LC_R_OUT_OF_RANGE);
	out->input = (int64_t)c.input;
	out->cache_read = (int64_t)c.cache_read;
	out->cache_write = (int64_t)c.cache_write;
	out->output = (int64_t)c.output;
	out->reasoning = (int64_t)c.reasoning;
	out->audio = (int64_t)c.audio;
	out->image = (int64_t)c.image;
	out->fees = (int64_t)c.fees;
	out->total = (int64_t)c.total;
	out->tier = c.tier;
	out->batch_applied = c.batch_applied;
	return 0;
}

int cost_total(const struct lc_offering *o, const struct lc_usage *u, lc_i128 *total,
	       struct lc_err *err)
{
	struct cost128 c;

	*total = 0;
	if (compute(o, u, &c, NULL, err))
		return -1;
	*total = c.total;
	return 0;
}

int cost_parts(const struct lc_offering *o, const struct lc_usage *u, struct lc_cost_parts *p,
	       struct lc_err *err)
{
	struct cost128 c;

	memset(p, 0, sizeof(*p));
	return compute(o, u, &c, p, err);
}

/* tokens at price cost a whole number of nano-USD per token (no rounding). */
static int whole(const struct rates *r, int64_t tokens, int64_t price)
{
	if (tokens == 0 || price == LC_NONE || price == 0)
		return 1;
	return (lc_i128)price * r->num % ((lc_i128)PER_M * r->den) == 0;
}

int cost_additive(const struct lc_offering *o, const struct lc_usage *u)
{
	struct rates r;

	if (o->ntiers < 1 || o->tiers[0].input == LC_NONE || o->tiers[0].output == LC_NONE)
		return 1; /* never priced, whatever the split */
	rates_of(o, u, &r);
	/* output - reasoning and reasoning are billed apart only when their
	   prices differ; whole per-token prices make either way additive */
	return whole(&r, u->input, r.in) && whole(&r, u->cache_read, r.cr) &&
	       whole(&r, u->cache_write_5m, r.cw5) && whole(&r, u->cache_write_1h, r.cw1) &&
	       whole(&r, u->output, r.outp) && whole(&r, u->reasoning, r.reason) &&
	       whole(&r, u->audio_input, r.audio_in) && whole(&r, u->audio_output, r.audio_out) &&
	       whole(&r, u->image_tokens, r.image);
}

static int scale1(int64_t *v, int64_t n)
{
	lc_i128 r = (lc_i128)*v * n;

	if (r > (lc_i128)1000000000000000LL)
		return -1;
	*v = (int64_t)r;
	return 0;
}

int usage_scale(struct lc_usage *u, int64_t n, struct lc_err *err)
{
	if (n < 0 || scale1(&u->input, n) || scale1(&u->cache_read, n) ||
	    scale1(&u->cache_write_5m, n) || scale1(&u->cache_write_1h, n) ||
	    scale1(&u->output, n) || scale1(&u->reasoning, n) || scale1(&u->audio_input, n) ||
	    scale1(&u->audio_output, n) || scale1(&u->image_tokens, n) || scale1(&u->images, n) ||
	    scale1(&u->other_tokens, n) ||
	    scale1(&u->requests, n) || scale1(&u->web_searches, n))
		return lc_errf(err, LC_EDATA, "token counts out of range (over 10^15 in total)"),
		       lc_err_reason(err, LC_R_OUT_OF_RANGE);
	return 0;
}

static int add1(int64_t *a, int64_t b)
{
	if (b < 0 || *a > INT64_MAX - b)
		return -1;
	*a += b;
	return 0;
}

int usage_add(struct lc_usage *a, const struct lc_usage *b, struct lc_err *err)
{
	if (add1(&a->input, b->input) || add1(&a->cache_read, b->cache_read) ||
	    add1(&a->cache_write_5m, b->cache_write_5m) ||
	    add1(&a->cache_write_1h, b->cache_write_1h) || add1(&a->output, b->output) ||
	    add1(&a->reasoning, b->reasoning) || add1(&a->audio_input, b->audio_input) ||
	    add1(&a->audio_output, b->audio_output) || add1(&a->image_tokens, b->image_tokens) ||
	    add1(&a->images, b->images) || add1(&a->requests, b->requests) ||
	    add1(&a->other_tokens, b->other_tokens) ||
	    add1(&a->web_searches, b->web_searches))
		return lc_errf(err, LC_EDATA, "token counts out of range"),
		       lc_err_reason(err, LC_R_OUT_OF_RANGE);
	return 0;
}

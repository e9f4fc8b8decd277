/*
 * estimate.c - the cost calculator's engine; the rules are in estimate.h.
 *
 * A profile becomes cost.h's disjoint usage buckets for one model (its
 * image scheme, modalities and context window decide image tokens and
 * applicability), then cost_compute prices it twice: one task, and the
 * task's usage scaled by count (the total, rounded once).  The series
 * function walks dates through an injected price source, so the command
 * and the charts share it without this file touching the store.
 */
#include "estimate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define DAYS_PER_MONTH 30

void profile_init(struct lc_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->requests = 1;
	p->count = 1;
}

void profile_merge(struct lc_profile *dst, const struct lc_profile *s)
{
#define M(bit, field)              \
	if (s->set & (bit))        \
		dst->field = s->field
	M(PF_INPUT, input);
	M(PF_OUTPUT, output);
	M(PF_CACHED, cached_input);
	M(PF_CACHE_WRITE, cache_write);
	M(PF_CACHE_TTL, cache_ttl_1h);
	M(PF_REASONING, reasoning);
	M(PF_DETAIL, detail);
	M(PF_AUDIO_IN, audio_in_ms);
	M(PF_AUDIO_OUT, audio_out_ms);
	M(PF_REQUESTS, requests);
	M(PF_WEB_SEARCHES, web_searches);
	M(PF_BATCH, batch);
	M(PF_COUNT, count);
	M(PF_PER, per);
#undef M
	if (s->set & PF_INPUT)
		dst->input_approx = s->input_approx;
	if (s->set & PF_IMAGES) {
		dst->nimages = s->nimages;
		memcpy(dst->image_w, s->image_w, sizeof(s->image_w));
		memcpy(dst->image_h, s->image_h, sizeof(s->image_h));
	}
	if (s->task[0])
		LC_COPY(dst->task, s->task);
	dst->set |= s->set;
}

int profile_check(const struct lc_profile *p, struct lc_err *err)
{
	if (p->input < 0 || p->output < 0 || p->cached_input < 0 || p->cache_write < 0 ||
	    p->reasoning < 0 || p->audio_in_ms < 0 || p->audio_out_ms < 0 || p->requests < 0 ||
	    p->web_searches < 0 || p->count < 0)
		return lc_errf(err, LC_EUSAGE, "negative count in the task profile");
	if (p->cached_input + p->cache_write > p->input)
		return lc_errf(err, LC_EUSAGE,
			       "cached input (%lld) + cache writes (%lld) exceed the whole prompt "
			       "--input (%lld): --input counts every prompt token, cached ones included",
			       (long long)p->cached_input, (long long)p->cache_write,
			       (long long)p->input);
	if (p->input + p->output + p->reasoning + p->nimages + p->audio_in_ms + p->audio_out_ms ==
	    0)
		return lc_errf(err, LC_EUSAGE,
			       "empty task: give --input/--output tokens, --image, audio, or --task");
	return 0;
}

int64_t estimate_tokens_from_bytes(int64_t bytes)
{
	return bytes <= 0 ? 0 : (bytes + 3) / 4;
}

static int has_modality(const struct lc_model *m, const char *what)
{
	const char *s = m->modalities;
	size_t n = strlen(what);

	/* modalities are '+'-separated words: "text+image+audio" */
	while (*s) {
		const char *e = strchr(s, '+');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == n && !strncmp(s, what, n))
			return 1;
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

/* Audio tokens per second of input / output by maker; 0 when unknown. */
static void audio_rates(const struct lc_model *m, int64_t *in, int64_t *out)
{
	*in = *out = 0;
	if (!strcmp(m->maker, "google")) {
		*in = *out = 32; /* ai.google.dev: 32 tokens per second of audio */
	} else if (!strcmp(m->maker, "openai")) {
		*in = 10;        /* Realtime/audio: 1 token per 100 ms of user audio */
		*out = 20;       /* and 1 token per 50 ms of assistant audio */
	}
}

static int64_t ms_tokens(int64_t ms, int64_t per_second)
{
	/* partial tokens round up: a provider bills whole tokens */
	return (ms * per_second + 999) / 1000;
}

static int na(char *reason, const char *fmt, const char *a, long long x, long long y)
{
	snprintf(reason, LC_EST_REASON_MAX, fmt, a, x, y);
	return 1;
}

int estimate_usage(const struct lc_profile *p, const struct lc_model *m,
		   const struct lc_offering *o, struct lc_usage *u, char *reason,
		   struct lc_err *err)
{
	const struct lc_tier *b = &o->tiers[0];
	int64_t prompt, out_all;

	memset(u, 0, sizeof(*u));
	reason[0] = '\0';
	if (profile_check(p, err))
		return -1;
	u->cache_read = p->cached_input;
	if (p->cache_ttl_1h)
		u->cache_write_1h = p->cache_write;
	else
		u->cache_write_5m = p->cache_write;
	u->input = p->input - p->cached_input - p->cache_write;
	if (p->prompt) {
		struct tok_choice c;
		int64_t own;

		if (prompt_tokens(p->prompt, m, &c, &own, err))
			return -1;
		if (own < p->cached_input + p->cache_write)
			return na(reason, "%sprompt is %lld tokens here, fewer than cached input "
				  "and cache writes (%lld)", "", (long long)own,
				  (long long)(p->cached_input + p->cache_write));
		u->input = own - p->cached_input - p->cache_write;
	}
	u->output = p->output + p->reasoning;
	u->reasoning = p->reasoning;
	u->requests = p->requests;
	u->web_searches = p->web_searches;
	u->batch = p->batch;

	if (p->nimages > 0) {
		if (!has_modality(m, "image"))
			return na(reason, "no image input", "", 0, 0);
		for (int i = 0; i < p->nimages; i++) {
			int64_t t = image_tokens(m->image_tokens, m->family, p->image_w[i],
						 p->image_h[i], p->detail);

			if (t < 0) {
				if (b->image_per_item == LC_NONE)
					return na(reason,
						  "image token count unknown (no formula for scheme '%s')",
						  m->image_tokens[0] ? m->image_tokens : "none", 0, 0);
				t = 0; /* billed by the per-image fee alone */
			}
			u->image_tokens += t;
		}
		u->images = p->nimages;
	}
	if (p->audio_in_ms > 0 || p->audio_out_ms > 0) {
		int64_t rin, rout;

		audio_rates(m, &rin, &rout);
		if (p->audio_in_ms > 0) {
			if (!has_modality(m, "audio"))
				return na(reason, "no audio input", "", 0, 0);
			if (rin == 0)
				return na(reason, "audio tokens per second unknown for maker '%.60s'",
					  m->maker, 0, 0);
			if (b->audio_input == LC_NONE)
				return na(reason, "no audio input price recorded", "", 0, 0);
			u->audio_input = ms_tokens(p->audio_in_ms, rin);
		}
		if (p->audio_out_ms > 0) {
			if (rout == 0)
				return na(reason, "audio tokens per second unknown for maker '%.60s'",
					  m->maker, 0, 0);
			if (b->audio_output == LC_NONE)
				return na(reason, "no audio output price recorded", "", 0, 0);
			u->audio_output = ms_tokens(p->audio_out_ms, rout);
		}
	}
	/* a task of N requests is judged per request: its tokens spread evenly */
	{
		int64_t nreq = p->requests > 0 ? p->requests : 1;

		prompt = (cost_prompt_tokens(u) + nreq - 1) / nreq;
		out_all = (u->output + u->audio_output + nreq - 1) / nreq;
		u->tier_prompt = prompt;
	}
	if (m->context_window > 0 && prompt + out_all > m->context_window)
		return na(reason, "%scontext window exceeded: %lld tokens a request, window %lld", "",
			  (long long)(prompt + out_all), (long long)m->context_window);
	if (m->max_output > 0 && out_all > m->max_output)
		return na(reason, "%smax output exceeded: %lld tokens a request, limit %lld", "",
			  (long long)out_all, (long long)m->max_output);
	return 0;
}

/* ---- offerings that cannot price tokens ---- */

static int mode_has(const char *mode, const char *word)
{
	return strstr(mode, word) != NULL;
}

enum lc_skip estimate_skip_of(const struct lc_model *m, const struct lc_offering *o)
{
	const char *mode = m->mode;
	const struct lc_tier *b = &o->tiers[0];
	int tokens_mode = !mode[0] || !strcmp(mode, "chat") || !strcmp(mode, "completion") ||
			  !strcmp(mode, "responses") || !strcmp(mode, "realtime");

	/* the mode says what the product is, whatever prices the entry has: an
	   embedding priced $0.02 in and $0 out is not the cheapest chat model */
	if (!tokens_mode) {
		if (mode_has(mode, "embedding"))
			return LC_SKIP_EMBEDDING;
		if (mode_has(mode, "rerank"))
			return LC_SKIP_RERANK;
		if (mode_has(mode, "video"))
			return LC_SKIP_VIDEO;
		if (mode_has(mode, "image"))
			return LC_SKIP_IMAGE;
		if (mode_has(mode, "audio") || mode_has(mode, "speech") ||
		    mode_has(mode, "transcription"))
			return LC_SKIP_AUDIO;
		if (mode_has(mode, "moderation"))
			return LC_SKIP_MODERATION;
		return LC_SKIP_OTHER;
	}
	if (o->ntiers < 1)
		return LC_SKIP_OTHER;
	if (b->input != LC_NONE && b->output != LC_NONE)
		return LC_SKIP_NONE;
	if (b->input != LC_NONE || b->output != LC_NONE)
		return LC_SKIP_PARTIAL;
	if (b->audio_input != LC_NONE || b->audio_output != LC_NONE)
		return LC_SKIP_AUDIO;
	if (b->image_per_item != LC_NONE || b->image_input != LC_NONE)
		return LC_SKIP_IMAGE;
	if (b->request_fee != LC_NONE)
		return LC_SKIP_PER_REQUEST;
	return LC_SKIP_OTHER;
}

const char *estimate_skip_name(enum lc_skip k)
{
	static const char *const names[LC_SKIP_N] = {
		[LC_SKIP_NONE] = "",
		[LC_SKIP_EMBEDDING] = "embeddings",
		[LC_SKIP_IMAGE] = "image",
		[LC_SKIP_VIDEO] = "video",
		[LC_SKIP_RERANK] = "rerank",
		[LC_SKIP_AUDIO] = "audio-only",
		[LC_SKIP_MODERATION] = "moderation",
		[LC_SKIP_PER_REQUEST] = "per-request only",
		[LC_SKIP_PARTIAL] = "input or output price missing",
		[LC_SKIP_OTHER] = "other",
	};

	return (unsigned)k < LC_SKIP_N ? names[k] : "other";
}

const char *estimate_skip_key(enum lc_skip k)
{
	static const char *const keys[LC_SKIP_N] = {
		[LC_SKIP_NONE] = "",
		[LC_SKIP_EMBEDDING] = "embedding",
		[LC_SKIP_IMAGE] = "image",
		[LC_SKIP_VIDEO] = "video",
		[LC_SKIP_RERANK] = "rerank",
		[LC_SKIP_AUDIO] = "audio",
		[LC_SKIP_MODERATION] = "moderation",
		[LC_SKIP_PER_REQUEST] = "per_request",
		[LC_SKIP_PARTIAL] = "partial",
		[LC_SKIP_OTHER] = "other",
	};

	return (unsigned)k < LC_SKIP_N ? keys[k] : "other";
}

char *estimate_skip_summary(char *buf, size_t n, const size_t counts[LC_SKIP_N])
{
	size_t total = 0, len;

	if (!n)
		return buf;
	buf[0] = '\0';
	for (int k = 1; k < LC_SKIP_N; k++)
		total += counts[k];
	if (!total)
		return buf;
	snprintf(buf, n, "%zu offering%s skipped: no token prices (", total,
		 total == 1 ? "" : "s");
	for (int k = 1, first = 1; k < LC_SKIP_N; k++) {
		if (!counts[k])
			continue;
		len = strlen(buf);
		snprintf(buf + len, n - len, "%s%s %zu", first ? "" : ", ",
			 estimate_skip_name((enum lc_skip)k), counts[k]);
		first = 0;
	}
	len = strlen(buf);
	snprintf(buf + len, n - len, ")");
	return buf;
}

int estimate_one(const struct lc_profile *p, const struct lc_model *m,
		 const struct lc_offering *o, struct lc_estimate *e, struct lc_err *err)
{
	struct lc_usage all;
	int r;

	memset(e, 0, sizeof(*e));
	LC_COPY(e->model, o->model);
	LC_COPY(e->host, o->host);
	e->skip = estimate_skip_of(m, o);
	if (e->skip != LC_SKIP_NONE) {
		snprintf(e->reason, sizeof(e->reason), "no input/output token price (%s%s%.40s)",
			 estimate_skip_name(e->skip), m->mode[0] ? ", mode " : "", m->mode);
		return 0;
	}
	r = estimate_usage(p, m, o, &e->usage, e->reason, err);
	if (r < 0)
		return -1;
	if (p->prompt) {
		struct tok_choice c;

		if (prompt_tokens(p->prompt, m, &c, &e->input_tokens, err))
			return -1;
		e->tokenizer = c.tokenizer;
		e->input_exact = c.exact;
	}
	if (r == 1)
		return 0;
	e->image_tokens = e->usage.image_tokens;
	if (cost_compute(o, &e->usage, &e->per_task, err))
		goto fail;
	all = e->usage;
	if (usage_scale(&all, p->count, err) || cost_compute(o, &all, &e->total, err))
		goto fail;
	if (p->per == LC_PER_DAY) {
		struct lc_cost month;

		if (usage_scale(&all, DAYS_PER_MONTH, err) || cost_compute(o, &all, &month, err))
			goto fail;
		e->extra = month.total;
	} else if (p->per == LC_PER_MONTH) {
		e->extra = (int64_t)money_div_half_even(e->total.total, DAYS_PER_MONTH);
	}
	e->applicable = 1;
	return 0;
fail:
	return lc_err_prefix(err, "'%s' at %s: ", o->model, o->host);
}

static int rank_cmp(const void *a, const void *b)
{
	const struct lc_estimate *x = a, *y = b;
	int c;

	if (x->applicable != y->applicable)
		return x->applicable ? -1 : 1;
	if (x->applicable) {
		if (x->total.total != y->total.total)
			return x->total.total < y->total.total ? -1 : 1;
		if (x->per_task.total != y->per_task.total)
			return x->per_task.total < y->per_task.total ? -1 : 1;
	}
	c = strcmp(x->model, y->model);
	return c ? c : strcmp(x->host, y->host);
}

void estimate_rank(struct lc_estimate *e, size_t n)
{
	if (n > 1)
		qsort(e, n, sizeof(*e), rank_cmp);
}

char *estimate_times(char *buf, size_t n, int64_t total, int64_t cheapest)
{
	if (cheapest <= 0) {
		snprintf(buf, n, "-");
		return buf;
	}
	/* hundredths, half-even, as a decimal via money_format (nanos / 10^7 = 0.01) */
	lc_i128 hundredths = money_muldiv(total, 100, cheapest);
	return money_format(buf, n, hundredths * 10000000, 2);
}

int estimate_score_cmp(const char *a, const char *b)
{
	int64_t x = INT64_MIN, y = INT64_MIN;

	if (a && *a && money_parse(a, strlen(a), 9, &x, NULL, NULL))
		x = INT64_MIN;
	if (b && *b && money_parse(b, strlen(b), 9, &y, NULL, NULL))
		y = INT64_MIN;
	return x < y ? -1 : x > y;
}

/* ---- cost over time ---- */

char (*estimate_dates(const char *from, const char *to, enum lc_step step, size_t *n,
		      struct lc_err *err))[11]
{
	lc_date a, z, d;
	char(*out)[11] = NULL;
	size_t cap = 0, k = 0;

	*n = 0;
	if (date_parse(from, strlen(from), &a, err) || date_parse(to, strlen(to), &z, err))
		return NULL;
	if (a > z) {
		lc_errf(err, LC_EUSAGE, "--from %s is after --to %s", from, to);
		return NULL;
	}
	for (int i = 0;; i++) {
		d = step == LC_STEP_MONTH ? date_add_months(a, i)
		    : step == LC_STEP_WEEK ? a + 7 * i
					   : a + i;
		if (d > z)
			break;
		if (k == 10000) {
			free(out);
			lc_errf(err, LC_EUSAGE, "more than 10000 dates from %s to %s: use a longer --step",
				from, to);
			return NULL;
		}
		if (k == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char(*t)[11] = xrealloc(out, nc * sizeof(*out));

			out = t;
			cap = nc;
		}
		date_format(out[k++], 11, d);
	}
	*n = k;
	return out;
}

/*
 * What a walk does with offering (m, o) after estimate_one: 0 to use *e
 * (applicable or not), 1 to leave it out (skipped: counted by the caller),
 * -1 to fail.  Over every model (!strict), a cost out of range or an
 * unpriceable usage is one offering's problem: it becomes not applicable
 * (the first such error is kept in *first to report when nothing could be
 * priced).  Over the models the user named (strict), both fail, and so does
 * a skipped offering.
 */
static int walk_one(const struct lc_profile *p, const struct lc_model *m,
		    const struct lc_offering *o, int strict, struct lc_estimate *e,
		    struct lc_err *first, struct lc_err *err)
{
	if (estimate_one(p, m, o, e, err)) {
		if (strict || (err->reason != LC_R_OUT_OF_RANGE && err->reason != LC_R_UNPRICEABLE))
			return -1;
		if (!first->code)
			*first = *err;
		memset(e, 0, sizeof(*e));
		LC_COPY(e->model, o->model);
		LC_COPY(e->host, o->host);
		LC_COPY(e->reason, err->reason == LC_R_OUT_OF_RANGE ? "cost out of range"
							  : "a part of the task has no price here");
		*err = (struct lc_err){ 0 };
		return 0;
	}
	if (e->skip == LC_SKIP_NONE)
		return 0;
	if (strict)
		return lc_errf(err, LC_EDATA,
			       "'%s' at %s has no input/output price (%s%s%.40s): it cannot price a "
			       "task of tokens",
			       o->model, o->host, estimate_skip_name(e->skip),
			       m->mode[0] ? ", mode " : "", m->mode),
		       lc_err_reason(err, LC_R_UNPRICEABLE);
	return 1;
}

struct series_walk {
	const struct lc_profile *p;
	const struct lc_est_source *src;
	const char *min_quality;
	int64_t max_cost;
	struct lc_series *s;
	size_t di;              /* current date index */
	size_t cursor;          /* where the last line was found (offerings come sorted) */
	struct lc_err *err;
	int failed;
	struct lc_err first;    /* the first offering out of range or unpriceable (walk_one) */
	int priced;             /* 1: some offering was applicable on some date */
};

static long find_line(struct lc_series *s, const char *model, const char *host)
{
	for (size_t i = 0; i < s->nlines; i++)
		if (!strcmp(s->lines[i].model, model) && !strcmp(s->lines[i].host, host))
			return (long)i;
	return -1;
}

static int series_visit(void *vctx, const struct lc_model *m, const struct lc_offering *o)
{
	struct series_walk *w = vctx;
	struct lc_series *s = w->s;
	struct lc_estimate e;
	char q[32] = "";
	long li;

	if (w->min_quality) {
		int r = w->src->quality ? w->src->quality(w->src->ctx, o->model, s->dates[w->di], q,
							   w->err)
					: 0;
		if (r < 0)
			goto fail;
		if (r == 0 || estimate_score_cmp(q, w->min_quality) < 0)
			return 0;
	}
	switch (walk_one(w->p, m, o, w->src->strict, &e, &w->first, w->err)) {
	case -1:
		goto fail;
	case 1:
		if (w->di + 1 == s->ndates) {
			s->skipped[e.skip]++;
			s->nskipped++;
		}
		return 0;
	}
	li = -1;
	for (size_t k = w->cursor; k < s->nlines && k < w->cursor + 2; k++)
		if (!strcmp(s->lines[k].model, o->model) && !strcmp(s->lines[k].host, o->host))
			li = (long)k;
	if (li < 0)
		li = find_line(s, o->model, o->host);
	if (li < 0) {
		struct lc_series_line *nl = xrealloc(s->lines, (s->nlines + 1) * sizeof(*nl));

		s->lines = nl;
		li = (long)s->nlines;
		memset(&nl[li], 0, sizeof(nl[li]));
		LC_COPY(nl[li].model, o->model);
		LC_COPY(nl[li].host, o->host);
		nl[li].total = xmalloc(s->ndates * sizeof(int64_t));
		s->nlines++;
		for (size_t k = 0; k < s->ndates; k++)
			nl[li].total[k] = LC_NONE;
	}
	w->cursor = (size_t)li;
	if (!e.applicable)
		return 0;
	w->priced = 1;
	s->lines[li].total[w->di] = e.total.total;
	if (w->max_cost != LC_NONE && e.total.total > w->max_cost)
		return 0;
	{
		long c = s->cheapest[w->di];
		int better = c < 0 || e.total.total < s->lines[c].total[w->di] ||
			     (e.total.total == s->lines[c].total[w->di] &&
			      (strcmp(o->model, s->lines[c].model) < 0 ||
			       (!strcmp(o->model, s->lines[c].model) &&
				strcmp(o->host, s->lines[c].host) < 0)));

		if (better) {
			s->cheapest[w->di] = li;
			lc_strlcpy(s->cheapest_quality[w->di], q, 32);
		}
	}
	return 0;
fail:
	w->failed = 1;
	return 1;
}

static int line_cmp(const void *a, const void *b)
{
	const struct lc_series_line *x = a, *y = b;
	int c = strcmp(x->model, y->model);

	return c ? c : strcmp(x->host, y->host);
}

int estimate_series(const struct lc_profile *p, char (*dates)[11], size_t ndates,
		    const struct lc_est_source *src, const char *min_quality, int64_t max_cost,
		    struct lc_series *s, struct lc_err *err)
{
	struct series_walk w = { p, src, min_quality, max_cost, s, 0, 0, err, 0, { 0 }, 0 };

	memset(s, 0, sizeof(*s));
	s->ndates = ndates;
	s->dates = xmalloc((ndates ? ndates : 1) * sizeof(*s->dates));
	s->cheapest = xmalloc((ndates ? ndates : 1) * sizeof(long));
	s->cheapest_quality = xcalloc(ndates ? ndates : 1, sizeof(*s->cheapest_quality));
	memcpy(s->dates, dates, ndates * sizeof(*dates));
	for (size_t i = 0; i < ndates; i++) {
		s->cheapest[i] = -1;
		w.di = i;
		w.cursor = 0;
		if (src->offerings(src->ctx, s->dates[i], series_visit, &w, err) < 0 || w.failed) {
			series_release(s);
			return -1;
		}
	}
	if (!w.priced && w.first.code) {
		/* out of range everywhere: the task's fault, not one entry's */
		*err = w.first;
		series_release(s);
		return -1;
	}
	/* sort lines by model; remap the cheapest indexes */
	if (s->nlines > 1) {
		char(*keys)[2 * LC_ID_MAX + 2] = xmalloc(ndates * sizeof(*keys) + 1);

		for (size_t i = 0; i < ndates; i++)
			if (s->cheapest[i] >= 0)
				snprintf(keys[i], sizeof(keys[i]), "%s%c%s",
					 s->lines[s->cheapest[i]].model, 0,
					 s->lines[s->cheapest[i]].host);
		qsort(s->lines, s->nlines, sizeof(*s->lines), line_cmp);
		for (size_t i = 0; i < ndates; i++)
			if (s->cheapest[i] >= 0)
				s->cheapest[i] = find_line(s, keys[i],
							   keys[i] + strlen(keys[i]) + 1);
		free(keys);
	}
	return 0;
}

void series_release(struct lc_series *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i].total);
	free(s->lines);
	free(s->dates);
	free(s->cheapest);
	free(s->cheapest_quality);
	memset(s, 0, sizeof(*s));
}

/* ---- the ranked table on one date ---- */

struct rank_walk {
	const struct lc_profile *p;
	const struct lc_est_source *src;
	const char *date, *min_quality;
	int64_t max_cost;
	struct lc_ranking *r;
	size_t cap;
	struct lc_err *err;
	int failed;
	struct lc_err first;    /* the first offering out of range or unpriceable (walk_one) */
};

static int rank_visit(void *vctx, const struct lc_model *m, const struct lc_offering *of)
{
	struct rank_walk *w = vctx;
	struct lc_ranking *r = w->r;
	struct lc_estimate *e;
	int q = 0;

	if (r->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 128;
		struct lc_estimate *ne = xrealloc(r->e, nc * sizeof(*ne));

		r->e = ne;
		w->cap = nc;
	}
	e = &r->e[r->n];
	r->seen++;
	switch (walk_one(w->p, m, of, w->src->strict, e, &w->first, w->err)) {
	case -1:
		w->failed = 1;
		return 1;
	case 1:
		r->skipped[e->skip]++;
		r->nskipped++;
		return 0;
	}
	e->quality[0] = '\0';
	e->retired[0] = '\0';
	if (m && m->retired[0] && strcmp(m->retired, w->date) <= 0)
		memcpy(e->retired, m->retired, sizeof(e->retired));
	if (w->src->quality && (q = w->src->quality(w->src->ctx, of->model, w->date, e->quality,
						     w->err)) < 0) {
		w->failed = 1;
		return 1;
	}
	if (w->min_quality && (q == 0 || estimate_score_cmp(e->quality, w->min_quality) < 0))
		return 0;
	if (e->applicable && w->max_cost != LC_NONE && e->total.total > w->max_cost)
		return 0;
	r->n++;
	return 0;
}

int estimate_at(const struct lc_profile *p, const char *date, const struct lc_est_source *src,
		const char *min_quality, int64_t max_cost, struct lc_ranking *out,
		struct lc_err *err)
{
	struct rank_walk w = { p, src, date, min_quality, max_cost, out, 0, err, 0, { 0 } };

	memset(out, 0, sizeof(*out));
	if (src->offerings(src->ctx, date, rank_visit, &w, err) < 0 || w.failed) {
		ranking_release(out);
		return -1;
	}
	estimate_rank(out->e, out->n);
	while (out->napplicable < out->n && out->e[out->napplicable].applicable)
		out->napplicable++;
	if (out->napplicable == 0 && w.first.code) {
		/* out of range everywhere: the task's fault, not one entry's */
		*err = w.first;
		ranking_release(out);
		return -1;
	}
	return 0;
}

void ranking_release(struct lc_ranking *r)
{
	free(r->e);
	memset(r, 0, sizeof(*r));
}

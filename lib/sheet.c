/* sheet.c - the in-memory price sheet; see sheet.h. */
#include "sheet.h"
#include "table.h" /* utf8_len */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_TOKEN_MAX 1000000000000000LL /* $1 per token, in nano-USD per 1M */
#define CHAT_ABSURD 1000000000000LL      /* $1,000 per 1M tokens */
#define FEE_MAX 1000000000000LL          /* $1,000 per item */

/* A block of the sheet's memory: names and tiers, bump-allocated. */
struct sheet_chunk {
	struct sheet_chunk *next;
	size_t used, cap;
	_Alignas(16) char data[];
};

#define CHUNK (256 * 1024)

/* The tiers of an entry that has none yet: read-only, never written. */
static struct lc_tier no_tiers[LC_MAX_TIERS];
static int no_tiers_ready;

void sheet_init(struct sheet *s, const char *fmt)
{
	memset(s, 0, sizeof(*s));
	LC_COPY(s->format, fmt);
	if (!no_tiers_ready) {
		for (int i = 0; i < LC_MAX_TIERS; i++)
			sheet_tier_clear(&no_tiers[i], 0);
		no_tiers_ready = 1;
	}
}

void sheet_release(struct sheet *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
	while (s->mem) {
		struct sheet_chunk *c = s->mem;

		s->mem = c->next;
		free(c);
	}
}

/* n bytes of the sheet's memory, 16-aligned; NULL (s->oom) when out of memory. */
static void *sheet_alloc(struct sheet *s, size_t n)
{
	struct sheet_chunk *c = s->mem;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK ? n : CHUNK;

		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		c->next = s->mem;
		s->mem = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

const char *sheet_strn(struct sheet *s, const char *v, size_t n)
{
	char *p;

	if (!n)
		return "";
	if (!(p = sheet_alloc(s, n + 1)))
		return "";
	memcpy(p, v, n);
	p[n] = '\0';
	return p;
}

const char *sheet_str(struct sheet *s, const char *v, size_t max)
{
	return sheet_strn(s, v, max ? strnlen(v, max - 1) : 0);
}

void sheet_tier_clear(struct lc_tier *t, int64_t min)
{
	t->min_input_tokens = min;
	t->input = t->output = t->cache_read = t->cache_write_5m = t->cache_write_1h = LC_NONE;
	t->reasoning = t->audio_input = t->audio_output = t->image_input = LC_NONE;
	t->image_per_item = t->request_fee = t->web_search_fee = LC_NONE;
	t->batch_discount_bp = t->batch_input = t->batch_output = LC_NONE;
}

struct sheet_entry *sheet_add(struct sheet *s, struct lc_err *err)
{
	struct sheet_entry *e;

	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		struct sheet_entry *v = xrealloc(s->v, ncap * sizeof(*v));

		s->v = v;
		s->cap = ncap;
	}
	e = &s->v[s->n++];
	memset(e, 0, sizeof(*e));
	e->key = e->host = e->maker = e->name = e->alias = e->url = "";
	snprintf(e->mode, sizeof(e->mode), "chat");
	e->tiers = no_tiers;
	return e;
}

void sheet_drop_last(struct sheet *s)
{
	if (s->n)
		s->n--;
}

static void note(char *names, const char *key)
{
	size_t len = strlen(names);

	if (len + 8 >= SHEET_NAMES || (len >= 3 && !strcmp(names + len - 3, "...")))
		return;
	if (len && len + strlen(key) + 8 >= SHEET_NAMES) {
		snprintf(names + len, SHEET_NAMES - len, ", ...");
		return;
	}
	snprintf(names + len, SHEET_NAMES - len, "%s%s", len ? ", " : "", key);
}

void sheet_note_unusable(struct sheet *s, const char *key)
{
	s->unusable++;
	note(s->unusable_names, key);
}

void sheet_note_no_price(struct sheet *s, const char *key)
{
	s->no_price++;
	note(s->no_price_names, key);
}

struct lc_tier *sheet_tier(struct sheet *s, struct sheet_entry *e, int64_t min)
{
	struct lc_tier *t;
	int i, k;

	for (i = 0; i < e->ntiers; i++)
		if (e->tiers[i].min_input_tokens == min)
			return &e->tiers[i];
	if (e->ntiers == 0 && min != 0) {
		/* the base tier comes first, as before */
		if (!sheet_tier(s, e, 0))
			return NULL;
		return sheet_tier(s, e, min);
	}
	if (e->ntiers == LC_MAX_TIERS)
		return NULL;
	/* a new array one longer (the old one stays in the sheet's memory
	   until sheet_release: entries rarely have more than two tiers) */
	if (!(t = sheet_alloc(s, (size_t)(e->ntiers + 1) * sizeof(*t))))
		return NULL;
	for (i = 0; i < e->ntiers && e->tiers[i].min_input_tokens < min; i++)
		t[i] = e->tiers[i];
	k = i;
	sheet_tier_clear(&t[k], min);
	for (; i < e->ntiers; i++)
		t[i + 1] = e->tiers[i];
	e->tiers = t;
	e->ntiers++;
	return &t[k];
}

static const size_t token_fields[] = {
	offsetof(struct lc_tier, input),          offsetof(struct lc_tier, output),
	offsetof(struct lc_tier, cache_read),     offsetof(struct lc_tier, cache_write_5m),
	offsetof(struct lc_tier, cache_write_1h), offsetof(struct lc_tier, reasoning),
	offsetof(struct lc_tier, audio_input),    offsetof(struct lc_tier, audio_output),
	offsetof(struct lc_tier, image_input),    offsetof(struct lc_tier, batch_input),
	offsetof(struct lc_tier, batch_output),
};
static const size_t fee_fields[] = {
	offsetof(struct lc_tier, image_per_item),
	offsetof(struct lc_tier, request_fee),
	offsetof(struct lc_tier, web_search_fee),
};
#define NF(a) (ARRAY_SIZE(a))

static int64_t at(const struct lc_tier *t, size_t off)
{
	return *(const int64_t *)((const char *)t + off);
}

int sheet_tier_priced(const struct lc_tier *t)
{
	for (size_t i = 0; i < NF(token_fields); i++)
		if (at(t, token_fields[i]) != LC_NONE)
			return 1;
	for (size_t i = 0; i < NF(fee_fields); i++)
		if (at(t, fee_fields[i]) != LC_NONE)
			return 1;
	return 0;
}

int sheet_mode_is_chat(const char *mode)
{
	return !strcmp(mode, "chat") || !strcmp(mode, "completion") || !strcmp(mode, "responses");
}

/* ---- one history per key ---- */

static int by_key_start(const void *a, const void *b)
{
	const struct sheet_entry *x = *(const struct sheet_entry *const *)a;
	const struct sheet_entry *y = *(const struct sheet_entry *const *)b;
	int c;

	if ((c = strcmp(x->host, y->host)) || (c = strcmp(x->key, y->key)) ||
	    (c = strcmp(x->from, y->from)))
		return c;
	return x < y ? -1 : x > y; /* the sheet's order */
}

int sheet_tier_same(const struct lc_tier *x, const struct lc_tier *y)
{
	if (x->min_input_tokens != y->min_input_tokens ||
	    x->batch_discount_bp != y->batch_discount_bp)
		return 0;
	for (size_t k = 0; k < NF(token_fields); k++)
		if (at(x, token_fields[k]) != at(y, token_fields[k]))
			return 0;
	for (size_t k = 0; k < NF(fee_fields); k++)
		if (at(x, fee_fields[k]) != at(y, fee_fields[k]))
			return 0;
	return 1;
}

static int same_entry(const struct sheet_entry *a, const struct sheet_entry *b)
{
	if (a->ntiers != b->ntiers || strcmp(a->to, b->to) || strcmp(a->mode, b->mode))
		return 0;
	for (int i = 0; i < a->ntiers; i++)
		if (!sheet_tier_same(&a->tiers[i], &b->tiers[i]))
			return 0;
	return 1;
}

#define ABSORBED 1
#define DROPPED 2

/* Name the key of g[0..n) unusable (why, at line) and drop its entries. */
static void drop_group(struct sheet *s, struct sheet_entry **g, size_t n, const char *why,
		       long line)
{
	char label[LC_ID_MAX + 80];

	if (line > 0)
		snprintf(label, sizeof(label), "%s (line %ld: %s)", g[0]->key, line, why);
	else
		snprintf(label, sizeof(label), "%s (%s)", g[0]->key, why);
	sheet_note_unusable(s, label);
	for (size_t i = 0; i < n; i++) {
		if (i && g[i]->settled != ABSORBED)
			s->unusable++; /* every entry of the key is skipped */
		g[i]->settled = DROPPED;
	}
}

/* Settle one key's entries g[0..n), sorted by start. */
static void settle_key(struct sheet *s, struct sheet_entry **g, size_t n)
{
	static const char twice[] = "given twice with other prices";

	for (size_t i = 0; i < n; i++)
		if (g[i]->conflict)
			return drop_group(s, g, n, twice, g[i]->line);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(g[i - 1]->from, g[i]->from))
			continue;
		if (!same_entry(g[i - 1], g[i]))
			return drop_group(s, g, n, twice, g[i]->line ? g[i]->line : g[i - 1]->line);
		g[i]->settled = ABSORBED; /* the same entry again: kept once */
	}
	for (size_t i = 0, j; i < n; i = j) {
		struct sheet_entry *a = g[i];

		for (j = i + 1; j < n && g[j]->settled == ABSORBED; j++)
			;
		if (j == n || !g[j]->from[0])
			continue;
		if (!a->to[0]) {
			/* an open period followed by a later one ends where that starts */
			LC_COPY(a->to, g[j]->from);
		} else if (strcmp(a->to, g[j]->from) > 0) {
			return drop_group(s, g, n, "its period overlaps the next one",
					  g[j]->line ? g[j]->line : a->line);
		}
	}
}

int sheet_settle(struct sheet *s, struct lc_err *err)
{
	struct sheet_entry **g;
	size_t w = 0;

	if (!s->n)
		return 0;
	g = xmalloc(s->n * sizeof(*g));
	for (size_t i = 0; i < s->n; i++) {
		g[i] = &s->v[i];
		g[i]->settled = 0;
	}
	if (s->n > 1)
		qsort(g, s->n, sizeof(*g), by_key_start);
	for (size_t i = 0, j; i < s->n; i = j) {
		for (j = i + 1; j < s->n && !strcmp(g[j]->host, g[i]->host) &&
				!strcmp(g[j]->key, g[i]->key);
		     j++)
			;
		if (j - i > 1 || g[i]->conflict)
			settle_key(s, g + i, j - i);
	}
	free(g);
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].settled)
			continue;
		if (w != i)
			s->v[w] = s->v[i];
		w++;
	}
	s->n = w;
	return 0;
}

/* 1 when s is valid UTF-8 without control characters. */
static int text_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int k = utf8_len(p);

		if (k == 0 || (k == 1 && (*p < 0x20 || *p == 0x7f)))
			return 0;
		p += k;
	}
	return 1;
}

int sheet_entry_sane(const struct sheet_entry *e, char *why, size_t n)
{
	int chat = sheet_mode_is_chat(e->mode);

	/* names reach the catalogue, terminals, CSV and SVG */
	if (!text_ok(e->key) || !text_ok(e->name) || !text_ok(e->maker) || !text_ok(e->host) ||
	    !text_ok(e->alias) || !text_ok(e->mode))
		return snprintf(why, n, "invalid UTF-8 or a control character in a name"), 0;

	for (int k = 0; k < e->ntiers; k++) {
		const struct lc_tier *t = &e->tiers[k];

		for (size_t i = 0; i < NF(token_fields); i++) {
			int64_t v = at(t, token_fields[i]);

			if (v == LC_NONE)
				continue;
			if (v < 0)
				return snprintf(why, n, "negative price"), 0;
			if (v > PER_TOKEN_MAX)
				return snprintf(why, n, "over $1 per token"), 0;
			if (chat && (token_fields[i] == offsetof(struct lc_tier, input) ||
				     token_fields[i] == offsetof(struct lc_tier, output)) &&
			    v > CHAT_ABSURD)
				return snprintf(why, n, "over $1,000 per 1M tokens for a chat model"), 0;
		}
		for (size_t i = 0; i < NF(fee_fields); i++) {
			int64_t v = at(t, fee_fields[i]);

			if (v == LC_NONE)
				continue;
			if (v < 0)
				return snprintf(why, n, "negative fee"), 0;
			if (v > FEE_MAX)
				return snprintf(why, n, "fee over $1,000 per item"), 0;
		}
		if (t->batch_discount_bp != LC_NONE &&
		    (t->batch_discount_bp < 0 || t->batch_discount_bp > 10000))
			return snprintf(why, n, "batch discount outside 0-100%%"), 0;
	}
	return 1;
}

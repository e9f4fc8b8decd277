/*
 * db_usage_rec.c - the usage store's records (usage_calls): batched
 * inserts, the key filter, and the duplicate rules of db_usage_insert().
 */
#include "db_usage_int.h"
#include "db_pg.h"

/* ---- records ---- */

#define REC_COLS                                                                         \
	"natural_key, group_len, ts_ms, dim, file_id, line, " V_COLS ", sidechain, "        \
	"reported_cost, tier_prompt, key_hash"
#define REC_N 22 /* the columns of REC_COLS */
#define REC_VALUES                                                                       \
	"?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22"

/*
 * The index key of a record (usage_calls.key_hash, see schema.sql): 47
 * bits, so SQLite stores it in 6 bytes and the index of a million records
 * stays in the page cache (the natural keys themselves are ~60 random bytes
 * each).  A grouped record's top 32 bits hash its group and the low 15 bits
 * its key, so a group is one range; others hash the key.  Collisions are
 * harmless: every lookup compares the stored strings.
 */
#define KH_BITS 47
#define KH_LOW 15

static uint64_t fnv64(const char *s)
{
	return lc_hash_mix(lc_hash_str(LC_HASH_SEED, s));
}

static int64_t group_lo(const char *group)
{
	return (int64_t)((fnv64(group) & 0xFFFFFFFFULL) << KH_LOW);
}

/* A grouped record's key_hash range: its group's first and last value. */
#define GROUP_LO(kh) ((kh) & ~(int64_t)((1LL << KH_LOW) - 1))
#define GROUP_HI(kh) ((kh) | (int64_t)((1LL << KH_LOW) - 1))

static int64_t key_hash(const struct lc_usage_rec *r)
{
	if (r->group[0])
		return group_lo(r->group) | (int64_t)(fnv64(r->key) & ((1ULL << KH_LOW) - 1));
	return (int64_t)(fnv64(r->key) & ((1ULL << KH_BITS) - 1));
}

int64_t usage_key_hash(const struct lc_usage_rec *r)
{
	return key_hash(r);
}

void usage_key_range(const struct lc_usage_rec *r, int64_t *lo, int64_t *hi)
{
	int64_t kh = key_hash(r);

	*lo = r->group[0] ? GROUP_LO(kh) : kh;
	*hi = r->group[0] ? GROUP_HI(kh) : kh;
}

/*
 * The key filter: a Bloom filter of every stored record's key_hash and of
 * its group part (key_hash >> KH_LOW), so that a new record - nearly every
 * record of a first ingest - is known to be new without an index lookup.
 * "Maybe stored" falls through to the lookup, so a false positive costs
 * only time.  It is built from the index once a run has made KF_AFTER
 * lookups (small ingests never pay for it), grows by rebuilding, and is
 * trusted only while no other connection has committed: PRAGMA
 * data_version is compared once per transaction (the first lookup after
 * each COMMIT or ROLLBACK, when this connection holds the write lock).
 */
#define KF_AFTER 4096
#define KF_MIN (1 << 16)  /* values the smallest filter is sized for */
#define KF_BITS_PER 12    /* bits per value: ~1% false positives, 3 bits in a word */
#define KF_MAX_BITS (1ULL << 25) /* 4 MiB whatever the store's size: memory stays
				    flat, only the false positives grow */

struct keyfilter {
	int64_t after, min; /* KF_AFTER, KF_MIN, or $LLMCOST_KEYFILTER=AFTER:MIN (tests) */
	struct keybloom b;
	int64_t lookups;    /* made while there was no filter */
	int64_t dv;         /* PRAGMA data_version at the last check */
	int built, checked;
};

void kf_end_tx(struct keyfilter *kf)
{
	if (kf)
		kf->checked = 0;
}

void kf_free(struct keyfilter *kf)
{
	if (kf)
		kb_free(&kf->b);
	free(kf);
}

static void kf_drop(struct keyfilter *kf)
{
	kb_free(&kf->b);
	kf->built = 0;
	kf->lookups = 0;
}

/* ---- the Bloom filter of key_hash values ---- */

static uint64_t kb_mix(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ULL;
	return v ^ v >> 33;
}

#define KF_GROUP(kh) (((uint64_t)(kh) >> KH_LOW) | 1ULL << 62)

/* Blocked: a value's three bits lie in one 64-bit word (one cache miss). */
static uint64_t kb_word_bits(uint64_t h)
{
	return 1ULL << (h >> 40 & 63) | 1ULL << (h >> 46 & 63) | 1ULL << (h >> 52 & 63);
}

void kb_size(struct keybloom *b, int64_t records, int64_t min)
{
	int64_t want = 2 * (records * 2 > min ? records * 2 : min); /* room to double */
	uint64_t nbits = 1024;

	while (nbits < (uint64_t)want * KF_BITS_PER && nbits < KF_MAX_BITS)
		nbits <<= 1;
	free(b->bits);
	b->bits = xcalloc(nbits / 64, sizeof(uint64_t));
	b->mask = nbits / 64 - 1;
	b->values = 0;
	b->cap = want;
}

void kb_free(struct keybloom *b)
{
	free(b->bits);
	memset(b, 0, sizeof(*b));
}

static void kb_add(struct keybloom *b, uint64_t v)
{
	uint64_t h = kb_mix(v);

	b->bits[h & b->mask] |= kb_word_bits(h);
	b->values++;
}

static int kb_has(const struct keybloom *b, uint64_t v)
{
	uint64_t h = kb_mix(v), w = kb_word_bits(h);

	return (b->bits[h & b->mask] & w) == w;
}

int kb_forced(int64_t *after, int64_t *min)
{
	const char *env = getenv("LLMCOST_KEYFILTER");
	long long a, m;

	if (!env || sscanf(env, "%lld:%lld", &a, &m) != 2 || a < 1 || m < 1 || m > KF_MIN)
		return 0;
	*after = a, *min = m;
	return 1;
}

void kb_add_stored(struct keybloom *b, int64_t kh)
{
	kb_add(b, (uint64_t)kh);
	kb_add(b, KF_GROUP(kh));
}

int kb_maybe(const struct keybloom *b, int64_t kh, int grouped)
{
	return kb_has(b, grouped ? KF_GROUP(kh) : (uint64_t)kh);
}

/* A stored record's key into a built filter: the value its kind is looked
   up by (a grouped record by its group, find_group_copy(); others by the
   whole key, find_key()).  Built from the table, both go in. */
static void kf_note(struct lc_db *db, int64_t kh, int grouped)
{
	struct pending *pd = db_hook_ctx(db);
	struct keyfilter *kf = pd ? pd->kf : NULL;

	if (!kf || !kf->built)
		return;
	if (kf->b.values + 1 > kf->b.cap) {
		kf_drop(kf); /* rebuilt, larger, at the next lookup */
		kf->lookups = kf->after;
		return;
	}
	kb_add(&kf->b, grouped ? KF_GROUP(kh) : (uint64_t)kh);
}

static int kf_build(struct lc_db *db, struct keyfilter *kf, struct lc_err *err)
{
	sqlite3_stmt *st;
	int64_t rows = 0;
	int rc;

	if (calls_flush(db, db_hook_ctx(db), err))
		return -1;
	if (sqlite3_prepare_v2(db_handle(db), "SELECT count(*) FROM usage_calls", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(db, err, "counting usage records");
	if (sqlite3_step(st) == SQLITE_ROW)
		rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	kb_size(&kf->b, rows, kf->min);
	if (sqlite3_prepare_v2(db_handle(db), "SELECT key_hash FROM usage_calls", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(db, err, "reading usage record keys");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		kb_add_stored(&kf->b, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "reading usage record keys");
	kf->built = 1;
	return 0;
}

/*
 * 0 when value v (a key_hash, or KF_GROUP of a group's) is surely not
 * stored, 1 when it may be (look it up), -1 on error.
 */
static int kf_maybe(struct lc_db *db, uint64_t v, struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);
	struct keyfilter *kf;

	if (!pd)
		return -1;
	if (!pd->kf) {
		pd->kf = xcalloc(1, sizeof(*pd->kf));
		if (!kb_forced(&pd->kf->after, &pd->kf->min))
			pd->kf->after = KF_AFTER, pd->kf->min = KF_MIN;
	}
	kf = pd->kf;
	if (!kf->checked) {
		sqlite3_stmt *st;
		int64_t dv = -1;

		if (sqlite3_prepare_v2(db_handle(db), "PRAGMA data_version", -1, &st, NULL) !=
		    SQLITE_OK)
			return db_fail(db, err, "checking for other writers");
		if (sqlite3_step(st) == SQLITE_ROW)
			dv = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (kf->built && dv != kf->dv)
			kf_drop(kf); /* another connection stored records */
		kf->dv = dv;
		kf->checked = 1;
	}
	if (!kf->built) {
		if (++kf->lookups < kf->after)
			return 1;
		if (kf_build(db, kf, err)) {
			kf_drop(kf);
			return -1;
		}
	}
	return kb_has(&kf->b, v);
}

static void row_of(struct callrow *c, const struct lc_usage_rec *r, int64_t dim, int64_t kh)
{
	size_t n = strlen(r->key) + 1;

	memcpy(c->key, r->key, n);
	c->group_len = (int64_t)strlen(r->group);
	c->ts_ms = r->ts_ms;
	c->dim = dim;
	c->file_id = r->file_id;
	c->line = r->line;
	counts_of(c->v, r);
	c->sidechain = r->sidechain;
	c->has_speed = r->speed[0] != '\0';
	c->has_reported_cost = r->has_reported_cost;
	c->reported_cost = r->reported_cost;
	c->tier_prompt = r->tier_prompt;
	c->key_hash = kh;
}

/* Bind c to parameters at+1 ... at+REC_N (REC_COLS); the statement's
   bindings were cleared, so the rest are NULL. */
static void bind_row(sqlite3_stmt *st, int at, const struct callrow *c)
{
	sqlite3_bind_text(st, at + 1, c->key, -1, SQLITE_STATIC);
	if (c->group_len)
		sqlite3_bind_int64(st, at + 2, c->group_len);
	sqlite3_bind_int64(st, at + 3, c->ts_ms);
	sqlite3_bind_int64(st, at + 4, c->dim);
	if (c->file_id)
		sqlite3_bind_int64(st, at + 5, c->file_id);
	sqlite3_bind_int64(st, at + 6, c->line);
	for (int i = 0; i < NV; i++)
		sqlite3_bind_int64(st, at + 7 + i, c->v[i]);
	sqlite3_bind_int(st, at + 7 + NV, c->sidechain);
	if (c->has_reported_cost)
		sqlite3_bind_int64(st, at + 8 + NV, c->reported_cost);
	if (c->tier_prompt > 0)
		sqlite3_bind_int64(st, at + 9 + NV, c->tier_prompt);
	sqlite3_bind_int64(st, at + 10 + NV, c->key_hash);
}

/*
 * The records waiting in pd->calls go in as few statements as there are
 * bits in their count (32, 16, ... rows each).  They wait only within a
 * transaction: the hook flushes them before COMMIT, SAVEPOINT and RELEASE
 * and drops them on ROLLBACK (TO), like the rollup changes; a lookup that
 * one of them could answer flushes them first (calls_waiting()), and so
 * does building the key filter.  They enter the key filter as they are
 * inserted: until then the filter knows only stored records.  OR FAIL:
 * with the default ABORT a multi-row INSERT on a table with CHECK
 * constraints makes SQLite journal every page it touches, to undo the
 * statement's earlier rows (measured: 1.3 -> 6 s of system time per
 * million records); a failure here fails the whole transaction anyway.
 */
#define ROWS1 "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define ROWS2(r) r "," r
#define CALLS_INSERT(rows) "INSERT OR FAIL INTO usage_calls(" REC_COLS ") VALUES " rows

int calls_flush(struct lc_db *db, struct pending *pd, struct lc_err *err)
{
	static const char *const sql[] = {
		CALLS_INSERT(ROWS1),
		CALLS_INSERT(ROWS2(ROWS1)),
		CALLS_INSERT(ROWS2(ROWS2(ROWS1))),
		CALLS_INSERT(ROWS2(ROWS2(ROWS2(ROWS1)))),
		CALLS_INSERT(ROWS2(ROWS2(ROWS2(ROWS2(ROWS1))))),
		CALLS_INSERT(ROWS2(ROWS2(ROWS2(ROWS2(ROWS2(ROWS1)))))),
	};
	int i = 0, n = pd->ncalls;

	_Static_assert(CALLS_BATCH == 1 << (ARRAY_SIZE(sql) - 1),
		       "a statement for every power of two up to CALLS_BATCH");
	pd->ncalls = 0; /* on failure the transaction is rolled back */
	while (i < n) {
		int b = (int)(ARRAY_SIZE(sql)) - 1;
		sqlite3_stmt *st;

		while (1 << b > n - i)
			b--;
		if (!(st = db_cached(db, sql[b], err)))
			return -1;
		for (int j = 0; j < 1 << b; j++)
			bind_row(st, REC_N * j, &pd->calls[i + j]);
		if (sqlite3_step(st) != SQLITE_DONE)
			return db_fail(db, err, "storing a usage record");
		for (int j = 0; j < 1 << b; j++)
			kf_note(db, pd->calls[i + j].key_hash, pd->calls[i + j].group_len != 0);
		i += 1 << b;
	}
	return 0;
}

/* 1 when a waiting record's key_hash is within [lo, hi]. */
static int calls_waiting(const struct pending *pd, int64_t lo, int64_t hi)
{
	for (int i = 0; i < pd->ncalls; i++)
		if (pd->calls[i].key_hash >= lo && pd->calls[i].key_hash <= hi)
			return 1;
	return 0;
}

/* Lookups of usage_calls keys in [lo, hi] are about to run: a waiting
   record they should see goes in first. */
static int calls_before_lookup(struct lc_db *db, int64_t lo, int64_t hi, struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);

	if (!pd)
		return -1;
	return calls_waiting(pd, lo, hi) ? calls_flush(db, pd, err) : 0;
}

/* Queue r as a new usage_calls row. */
static int calls_add(struct lc_db *db, const struct lc_usage_rec *r, int64_t dim, int64_t kh,
		     struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);

	if (!pd)
		return -1;
	row_of(&pd->calls[pd->ncalls++], r, dim, kh);
	return pd->ncalls == CALLS_BATCH ? calls_flush(db, pd, err) : 0;
}

/* The stored record id as a struct lc_usage_rec (the fields the rules need;
   format points into fmt). */
static int load_rec(struct lc_db *db, int64_t id, struct lc_usage_rec *r, char fmt[32],
		    struct lc_err *err)
{
	static const char sql[] =
		"SELECT c.ts_ms, d.model_raw, d.model, d.host, d.project, d.session, c.input, "
		"c.cache_read, c.cache_write_5m, c.cache_write_1h, c.output, c.reasoning, "
		"c.requests, c.web_searches, d.service_tier, d.speed, c.sidechain, c.natural_key, "
		"coalesce(c.tier_prompt, 0), d.format, c.audio_input, c.audio_output, "
		"c.image_input, c.other_tokens, c.reported_cost, d.user_name FROM usage_calls c "
		"JOIN usage_dims d ON d.id = c.dim WHERE c.id = ?";
	sqlite3_stmt *st = db_cached(db, sql, err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_fail(db, err, "reading a usage record");
	memset(r, 0, sizeof(*r));
	r->ts_ms = sqlite3_column_int64(st, 0);
	coltext(st, 1, r->model_raw, sizeof(r->model_raw));
	coltext(st, 2, r->model, sizeof(r->model));
	coltext(st, 3, r->host, sizeof(r->host));
	coltext(st, 4, r->project, sizeof(r->project));
	coltext(st, 5, r->session, sizeof(r->session));
	r->input = sqlite3_column_int64(st, 6);
	r->cache_read = sqlite3_column_int64(st, 7);
	r->cache_write_5m = sqlite3_column_int64(st, 8);
	r->cache_write_1h = sqlite3_column_int64(st, 9);
	r->output = sqlite3_column_int64(st, 10);
	r->reasoning = sqlite3_column_int64(st, 11);
	r->requests = sqlite3_column_int64(st, 12);
	r->web_searches = sqlite3_column_int64(st, 13);
	coltext(st, 14, r->service_tier, sizeof(r->service_tier));
	coltext(st, 15, r->speed, sizeof(r->speed));
	r->sidechain = sqlite3_column_int(st, 16);
	coltext(st, 17, r->key, sizeof(r->key));
	r->tier_prompt = sqlite3_column_int64(st, 18);
	coltext(st, 19, fmt, 32);
	r->format = fmt;
	r->audio_input = sqlite3_column_int64(st, 20);
	r->audio_output = sqlite3_column_int64(st, 21);
	r->image_input = sqlite3_column_int64(st, 22);
	r->other_tokens = sqlite3_column_int64(st, 23);
	/* its share of the rollups' logged cost goes with it on a replacement */
	r->has_reported_cost = sqlite3_column_type(st, 24) != SQLITE_NULL;
	r->reported_cost = sqlite3_column_int64(st, 24);
	coltext(st, 25, r->user, sizeof(r->user));
	sqlite3_reset(st);
	return 0;
}

static int same_counts(const struct lc_usage_rec *a, const struct lc_usage_rec *b)
{
	return a->ts_ms == b->ts_ms && a->input == b->input && a->cache_read == b->cache_read &&
	       a->cache_write_5m == b->cache_write_5m && a->cache_write_1h == b->cache_write_1h &&
	       a->output == b->output && a->reasoning == b->reasoning &&
	       a->requests == b->requests && a->web_searches == b->web_searches &&
	       a->audio_input == b->audio_input && a->audio_output == b->audio_output &&
	       a->image_input == b->image_input && a->other_tokens == b->other_tokens &&
	       !strcmp(a->model_raw, b->model_raw) && !strcmp(a->service_tier, b->service_tier);
}

/* Overwrite stored record id with r, moving its share of the rollup. */
static int replace(struct lc_db *db, int64_t id, const struct lc_usage_rec *r, int64_t kh,
		   struct lc_err *err)
{
	static const char sql[] =
		"UPDATE usage_calls SET (" REC_COLS ") = (" REC_VALUES ") WHERE id = ?23";
	struct lc_usage_rec old;
	struct callrow c;
	struct dims d;
	sqlite3_stmt *st;
	char fmt[32];

	if (load_rec(db, id, &old, fmt, err) || rec_dims(db, &old, &d, err) ||
	    rollup_change(db, &old, &d, -1, err) || rec_dims(db, r, &d, err))
		return -1;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	row_of(&c, r, d.id, kh);
	bind_row(st, 0, &c);
	sqlite3_bind_int64(st, REC_N + 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, err, "replacing a usage record");
	kf_note(db, kh, r->group[0] != 0);
	return rollup_change(db, r, &d, 1, err);
}

/* The tokens of counts v (V_COLS order; requests and web searches are
   not tokens), saturating at INT64_MAX. */
static int64_t v_tokens(const int64_t v[NV])
{
	static const int tok[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11 };
	int64_t sum = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(tok); i++)
		if (__builtin_add_overflow(sum, v[tok[i]], &sum))
			return INT64_MAX;
	return sum;
}

static int64_t rec_tokens(const struct lc_usage_rec *r)
{
	int64_t v[NV];

	counts_of(v, r);
	return v_tokens(v);
}

/* Claude Code's rule for two copies of one response: 1 when r beats a
   copy with these sidechain flag, token total and speed (set or not). */
static int better_than(const struct lc_usage_rec *r, int sidechain, int64_t tokens, int speed)
{
	if (r->sidechain != sidechain)
		return !r->sidechain;
	if (rec_tokens(r) != tokens)
		return rec_tokens(r) > tokens;
	if (!!r->speed[0] != !!speed)
		return r->speed[0] != '\0';
	return 0;
}

static int better(const struct lc_usage_rec *r, const struct lc_usage_rec *old)
{
	return better_than(r, old->sidechain, rec_tokens(old), old->speed[0] != '\0');
}

/*
 * The waiting record the duplicate rules take r for a copy of, looking at
 * the waiting ones alone (in the order they will be stored), or NULL: the
 * one with r's key, else under the group rule the first one of r's group
 * where either is a sidechain (find_group_copy() on the stored ones).
 */
static const struct callrow *waiting_copy(const struct pending *pd,
					  const struct lc_usage_rec *r, int64_t kh, size_t glen)
{
	const struct callrow *found = NULL;
	int64_t lo = glen ? GROUP_LO(kh) : kh, hi = glen ? GROUP_HI(kh) : kh;

	for (int i = 0; i < pd->ncalls; i++) {
		const struct callrow *c = &pd->calls[i];

		if (c->key_hash < lo || c->key_hash > hi)
			continue;
		if (c->key_hash == kh && !strcmp(c->key, r->key))
			return c;
		if (glen && !found && (r->sidechain || c->sidechain) &&
		    c->group_len == (int64_t)glen && !memcmp(c->key + 3, r->group, glen))
			found = c;
	}
	return found;
}

/* r beats waiting copy c (the group rule)? */
static int better_than_waiting(const struct lc_usage_rec *r, const struct callrow *c)
{
	return better_than(r, c->sidechain, v_tokens(c->v),
			   c->has_speed);
}

/* A stored copy of r (key hash kh) under the group rule: its id, 0 when
   none, -1 on error. */
static int64_t find_group_copy(struct lc_db *db, const struct lc_usage_rec *r, int64_t kh,
			       struct lc_err *err)
{
	/* the group's range of key_hash; in the order stored.  group_len is
	   in bytes, and substr() counts characters in text: the key is
	   compared as a blob, so a group with a multi-byte character (an id
	   with a "€") still finds its copies */
	static const char sql[] =
		"SELECT id, natural_key, sidechain FROM usage_calls WHERE key_hash BETWEEN ?1 "
		"AND ?2 AND group_len = ?3 AND substr(CAST(natural_key AS BLOB), 4, ?3) = ?4 "
		"ORDER BY id";
	sqlite3_stmt *st;
	int64_t found = 0;
	int rc;

	/* the waiting ones of the group go in first (and into the filter) */
	if (calls_before_lookup(db, GROUP_LO(kh), GROUP_HI(kh), err))
		return -1;
	if ((rc = kf_maybe(db, KF_GROUP(kh), err)) <= 0)
		return rc;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, GROUP_LO(kh));
	sqlite3_bind_int64(st, 2, GROUP_HI(kh));
	sqlite3_bind_int64(st, 3, (int64_t)strlen(r->group));
	sqlite3_bind_blob(st, 4, r->group, (int)strlen(r->group), SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 1);

		if (key && !strcmp(key, r->key)) {
			found = sqlite3_column_int64(st, 0);
			break;
		}
		if (!found && (r->sidechain || sqlite3_column_int(st, 2)))
			found = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "looking up a usage record");
	sqlite3_reset(st);
	return found;
}

static int64_t find_key(struct lc_db *db, const struct lc_usage_rec *r, int64_t kh,
			struct lc_err *err)
{
	static const char sql[] =
		"SELECT id FROM usage_calls WHERE key_hash = ?1 AND natural_key = ?2";
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (calls_before_lookup(db, kh, kh, err))
		return -1;
	if ((rc = kf_maybe(db, (uint64_t)kh, err)) <= 0)
		return rc;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, kh);
	sqlite3_bind_text(st, 2, r->key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return db_fail(db, err, "looking up a usage record");
	sqlite3_reset(st);
	return id;
}

int db_usage_insert(struct lc_db *db, const struct lc_usage_rec *r, struct lc_err *err)
{
	size_t glen = strlen(r->group);
	int64_t kh = key_hash(r); /* computed once: a hash of the whole key */
	struct pending *pd = usage_state(db, err);
	const struct callrow *c;
	struct dims d;
	int64_t id = 0;
	int rc;

	/* the group is kept as its length: it must be the key's second part */
	if (glen && (strncmp(r->key, "cc:", 3) || strncmp(r->key + 3, r->group, glen) ||
		     r->key[3 + glen] != ':'))
		return lc_errf(err, LC_ERUNTIME, "internal: usage key '%s' lacks its group", r->key);
	if (!pd)
		return -1;
	/* the team store's staging area keeps r->replace aside (db_pg_usage.c) */
	if (r->replace && db_role(db) == DB_STAGE && pg_stage_note(db, r, err))
		return -1;
	/* Copies of a record still waiting to be inserted, answered in memory
	   (Claude Code writes a response's content blocks as lines one after
	   another, a sidechain replays it soon after): a waiting record with
	   r's key is the only stored copy there can be; and the group rule
	   needs only the waiting ones when the filter says that no record of
	   the group is stored.  Replacing a waiting record goes the long way
	   (find_*() insert the waiting ones first). */
	c = waiting_copy(pd, r, kh, glen);
	if (c && !strcmp(c->key, r->key)) {
		if (glen ? !better_than_waiting(r, c) : !r->replace)
			return USAGE_DUP;
	} else if (glen) {
		if ((rc = kf_maybe(db, KF_GROUP(kh), err)) < 0)
			return -1;
		if (!rc && !c)
			goto add;
		if (!rc && !better_than_waiting(r, c))
			return USAGE_DUP;
	}
	/* no UNIQUE index: these lookups keep the natural key unique (a
	   grouped record's key is "cc:GROUP:...", so a stored copy of it is
	   in its group) */
	id = glen ? find_group_copy(db, r, kh, err) : find_key(db, r, kh, err);
	if (id < 0)
		return -1;
	if (id > 0 && !glen && !r->replace)
		return USAGE_DUP; /* the same key: the first copy stays */
	if (id > 0) {
		struct lc_usage_rec old;
		char fmt[32];

		if (load_rec(db, id, &old, fmt, err))
			return -1;
		if (glen ? !better(r, &old) : same_counts(r, &old))
			return USAGE_DUP;
		/* a sidechain copy keeps the parent's key; the parent takes over */
		return replace(db, id, r, kh, err) ? -1 : USAGE_REPLACED;
	}
add:
	if (rec_dims(db, r, &d, err) || calls_add(db, r, d.id, kh, err))
		return -1;
	return rollup_change(db, r, &d, 1, err) ? -1 : USAGE_NEW;
}

/*
 * db_usage_rollup.c - the usage store's attributes (usage_dims) and its two
 * rollups, kept in step with every record change (see db_usage.c).
 */
#include "db_usage_int.h"

/* ---- attributes and rollups ---- */

void counts_of(int64_t v[NV], const struct lc_usage_rec *r)
{
	v[0] = r->input, v[1] = r->cache_read, v[2] = r->cache_write_5m;
	v[3] = r->cache_write_1h, v[4] = r->output, v[5] = r->reasoning;
	v[6] = r->requests, v[7] = r->web_searches, v[8] = r->audio_input;
	v[9] = r->audio_output, v[10] = r->image_input, v[11] = r->other_tokens;
}

void counts_to(struct lc_usage_rec *r, const int64_t v[NV])
{
	r->input = v[0], r->cache_read = v[1], r->cache_write_5m = v[2];
	r->cache_write_1h = v[3], r->output = v[4], r->reasoning = v[5];
	r->requests = v[6], r->web_searches = v[7], r->audio_input = v[8];
	r->audio_output = v[9], r->image_input = v[10], r->other_tokens = v[11];
}

static void rkey_from_rec(struct rkey *k, const struct lc_usage_rec *r)
{
	k->bucket = floordiv(r->ts_ms, BUCKET_MS);
	k->dim = 0;
	k->sidechain = r->sidechain;
	k->pclass = usage_pclass(r->tier_prompt > 0 ? r->tier_prompt : usage_rec_prompt(r));
	counts_of(k->v, r);
	k->logged = r->has_reported_cost ? r->reported_cost : 0;
	k->logged_n = r->has_reported_cost != 0;
}

/*
 * Two rollups hold the same sums: usage_sums per project, session and user,
 * and usage_total_sums without them (a fraction of the rows, for the reports
 * that neither group nor filter by project, session or user).  Every change of a
 * record's share goes through rollup_change into both.
 *
 * Changes are summed in memory per key (a session's records mostly share a
 * few 15-minute buckets) and written, in key order, when the connection's
 * hook flushes: before every COMMIT, SAVEPOINT and RELEASE, and a table's
 * alone when it is 3/4 full (usage_total_sums has a fraction of the keys,
 * so most of its changes wait for the COMMIT).  A ROLLBACK (TO) drops them
 * with the work they belong to.  So the tables agree whenever another
 * connection can see them.
 */


static unsigned rkey_hash(const struct rkey *k)
{
	uint64_t h = (uint64_t)k->bucket * 0x9E3779B97F4A7C15ULL;

	h ^= ((uint64_t)k->dim << 4 | (uint64_t)(k->sidechain * 8 + k->pclass)) *
	     0xC2B2AE3D27D4EB4FULL;
	h ^= h >> 29;
	return (unsigned)(h ^ h >> 32);
}

static int rkey_same(const struct rkey *a, const struct rkey *b)
{
	return a->bucket == b->bucket && a->dim == b->dim && a->sidechain == b->sidechain &&
	       a->pclass == b->pclass;
}

static int rkey_cmp(const void *x, const void *y)
{
	const struct rkey *a = &(*(struct pend *const *)x)->k, *b = &(*(struct pend *const *)y)->k;

	if (a->bucket != b->bucket)
		return a->bucket < b->bucket ? -1 : 1;
	if (a->dim != b->dim)
		return a->dim < b->dim ? -1 : 1;
	if (a->sidechain != b->sidechain)
		return a->sidechain - b->sidechain;
	return a->pclass - b->pclass;
}

/* ?1 bucket, ?2 dim, ?3 sidechain, ?4 pclass, ?5 records, ?6-?17 the sums,
   ?18 logged_cost, ?19 logged_records */
#define SUMS_UPSERT(table)                                                                  \
	"INSERT INTO " table "(bucket, dim, sidechain, pclass, records, " V_COLS ", "          \
	"logged_cost, logged_records) "                                                      \
	"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19) "        \
	"ON CONFLICT DO UPDATE SET records = records + excluded.records, "                   \
	"input = input + excluded.input, cache_read = cache_read + excluded.cache_read, "     \
	"cache_write_5m = cache_write_5m + excluded.cache_write_5m, "                         \
	"cache_write_1h = cache_write_1h + excluded.cache_write_1h, "                         \
	"output = output + excluded.output, reasoning = reasoning + excluded.reasoning, "     \
	"requests = requests + excluded.requests, "                                           \
	"web_searches = web_searches + excluded.web_searches, "                              \
	"audio_input = audio_input + excluded.audio_input, "                                 \
	"audio_output = audio_output + excluded.audio_output, "                              \
	"image_input = image_input + excluded.image_input, "                                 \
	"other_tokens = other_tokens + excluded.other_tokens, "                              \
	"logged_cost = logged_cost + excluded.logged_cost, "                                 \
	"logged_records = logged_records + excluded.logged_records"
#define SUMS_UPDATE(table)                                                                 \
	"UPDATE " table " SET records = records + ?5, input = input + ?6, "                 \
	"cache_read = cache_read + ?7, cache_write_5m = cache_write_5m + ?8, "               \
	"cache_write_1h = cache_write_1h + ?9, output = output + ?10, "                      \
	"reasoning = reasoning + ?11, requests = requests + ?12, "                           \
	"web_searches = web_searches + ?13, audio_input = audio_input + ?14, "                \
	"audio_output = audio_output + ?15, image_input = image_input + ?16, "                \
	"other_tokens = other_tokens + ?17, logged_cost = logged_cost + ?18, "              \
	"logged_records = logged_records + ?19 WHERE bucket = ?1 AND dim = ?2 AND "               \
	"sidechain = ?3 AND pclass = ?4"

#define SUMS_RANGE "usage counts out of range: a 15-minute rollup row would pass 2^63 tokens"

static int rollup_write(struct lc_db *db, int t, const struct pend *p, struct lc_err *err)
{
	static const char *const sql[T_N][2] = {
		{ SUMS_UPDATE("usage_sums"), SUMS_UPSERT("usage_sums") },
		{ SUMS_UPDATE("usage_total_sums"), SUMS_UPSERT("usage_total_sums") },
	};
	/* an upsert when every change is an addition; otherwise the row must
	   exist (a record stored earlier is being replaced) */
	int add = p->records > 0, zero = p->records == 0;
	sqlite3_stmt *st;

	for (int i = 0; i < NV; i++) {
		add &= p->k.v[i] >= 0;
		zero &= p->k.v[i] == 0;
	}
	/* a logged cost may be negative (a refund): only its count says which way */
	add &= p->k.logged_n >= 0;
	zero &= p->k.logged == 0 && p->k.logged_n == 0;
	if (zero)
		return 0;
	if (!(st = db_cached(db, sql[t][add], err)))
		return -1;
	sqlite3_bind_int64(st, 1, p->k.bucket);
	sqlite3_bind_int64(st, 2, p->k.dim);
	sqlite3_bind_int(st, 3, p->k.sidechain);
	sqlite3_bind_int(st, 4, p->k.pclass);
	sqlite3_bind_int64(st, 5, p->records);
	for (int i = 0; i < NV; i++)
		sqlite3_bind_int64(st, 6 + i, p->k.v[i]);
	sqlite3_bind_int64(st, 6 + NV, p->k.logged);
	sqlite3_bind_int64(st, 7 + NV, p->k.logged_n);
	if (sqlite3_step(st) != SQLITE_DONE) {
		/* SQLite turns an integer sum past 2^63 into a REAL, which the
		   STRICT table refuses */
		if (sqlite3_extended_errcode(db_handle(db)) == SQLITE_CONSTRAINT_DATATYPE) {
			sqlite3_reset(st);
			return lc_errf(err, LC_EDATA, SUMS_RANGE);
		}
		return db_fail(db, err, "updating the usage rollup");
	}
	if (!add && sqlite3_changes(db_handle(db)) != 1)
		return lc_errf(err, LC_EDB, "usage rollup out of step with usage_records");
	return 0;
}

/* Write table t's pending changes and empty its slots. */
static int pend_write(struct lc_db *db, struct pending *pd, int t, struct lc_err *err)
{
	int n = 0, rc = 0;

	if (!pd->n[t])
		return 0;
	for (int i = 0; i < PEND_SLOTS; i++)
		if (pd->slot[t][i].used)
			pd->order[n++] = &pd->slot[t][i];
	/* in key order: each B-tree page is visited once */
	qsort(pd->order, (size_t)n, sizeof(*pd->order), rkey_cmp);
	for (int i = 0; i < n; i++) {
		if (!rc && rollup_write(db, t, pd->order[i], err))
			rc = -1;
		pd->order[i]->used = 0;
	}
	pd->n[t] = 0;
	return rc;
}

static int pend_flush(struct lc_db *db, void *ctx, struct lc_err *err)
{
	struct pending *pd = ctx;
	int rc = calls_flush(db, pd, err);

	kf_end_tx(pd->kf);
	for (int t = 0; t < T_N; t++)
		if (pend_write(db, pd, t, err))
			rc = -1;
	return rc;
}

static void dim_clear(struct pending *pd)
{
	for (int i = 0; i < DIM_SLOTS && pd->ndim; i++)
		if (pd->dim[i].key) {
			free(pd->dim[i].key);
			pd->dim[i].key = NULL;
			pd->ndim--;
		}
	pd->ndim = 0;
}

static void pend_drop(void *ctx)
{
	struct pending *pd = ctx;

	kf_end_tx(pd->kf);
	pd->ncalls = 0;
	for (int t = 0; t < T_N; t++) {
		for (int i = 0; i < PEND_SLOTS && pd->n[t]; i++)
			if (pd->slot[t][i].used) {
				pd->slot[t][i].used = 0;
				pd->n[t]--;
			}
		pd->n[t] = 0;
	}
	dim_clear(pd); /* usage_dims rows added since may be gone */
}

static void pend_release(void *ctx)
{
	struct pending *pd = ctx;

	kf_free(pd->kf);
	dim_clear(pd);
	free(pd->calls);
	free(pd->dim);
	free(pd->order);
	for (int t = 0; t < T_N; t++)
		free(pd->slot[t]);
	free(pd);
}

/* The connection's usage state (the hook's ctx), made on first use. */
struct pending *usage_state(struct lc_db *db, struct lc_err *err)
{
	struct pending *pd = db_hook_ctx(db);

	if (!pd) {
		struct db_hook h = { pend_flush, pend_drop, pend_release, NULL };

		if (!(pd = xcalloc(1, sizeof(*pd))) ||
		    !(pd->slot[T_ROLLUP] = xcalloc(PEND_SLOTS, sizeof(struct pend))) ||
		    !(pd->slot[T_TOTALS] = xcalloc(PEND_SLOTS, sizeof(struct pend))) ||
		    !(pd->order = xcalloc(PEND_SLOTS, sizeof(*pd->order))) ||
		    !(pd->calls = xcalloc(CALLS_BATCH, sizeof(*pd->calls))) ||
		    !(pd->dim = xcalloc(DIM_SLOTS, sizeof(*pd->dim)))) {
			if (pd) {
				free(pd->slot[T_ROLLUP]);
				free(pd->slot[T_TOTALS]);
				free(pd->order);
				free(pd->calls);
			}
			free(pd);
			lc_errf(err, LC_ERUNTIME, "out of memory");
			return NULL;
		}
		h.ctx = pd;
		db_set_hook(db, &h);
	}
	return pd;
}

/* The usage_dims row of these attributes, added when new: its id or -1. */
static int64_t dim_row(struct lc_db *db, const char *const f[D_N], struct lc_err *err)
{
	static const char find[] =
		"SELECT id FROM usage_dims WHERE model_raw = ?2 AND model = ?3 AND host = ?4 AND "
		"project = ?5 AND session = ?6 AND service_tier = ?7 AND speed = ?8 AND format = ?1 "
		"AND user_name = ?9";
	static const char add[] =
		"INSERT INTO usage_dims(format, model_raw, model, host, project, session, "
		"service_tier, speed, user_name) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	for (int pass = 0; pass < 2 && !id; pass++) {
		if (!(st = db_cached(db, pass ? add : find, err)))
			return -1;
		for (int i = 0; i < D_N; i++)
			sqlite3_bind_text(st, i + 1, f[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (!pass && rc == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		else if (pass && rc == SQLITE_DONE)
			id = sqlite3_last_insert_rowid(db_handle(db));
		else if (rc != SQLITE_DONE)
			return db_fail(db, err, "storing usage attributes");
		sqlite3_reset(st);
	}
	return id;
}

/* The three usage_dims rows of r (see struct dims), from the cache. */
int rec_dims(struct lc_db *db, const struct lc_usage_rec *r, struct dims *out,
		    struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);
	/* an unknown model has no host (the view shows both NULL) */
	const char *f[D_N] = { r->format ? r->format : "", r->model_raw, r->model,
			       r->model[0] ? r->host : "", r->project, r->session,
			       r->service_tier, r->speed, r->user };
	char key[DIM_KEY_MAX];
	size_t len = 0;
	uint64_t h;
	unsigned i;

	if (!pd)
		return -1;
	for (int j = 0; j < D_N; j++) {
		size_t n = strlen(f[j]) + 1;

		if (len + n > sizeof(key))
			return lc_errf(err, LC_ERUNTIME, "internal: usage attributes too long");
		memcpy(key + len, f[j], n);
		len += n;
	}
	/* most records have the attributes of the one before */
	if (pd->last && pd->last->key && pd->last->len == len && !memcmp(pd->last->key, key, len)) {
		*out = pd->last->d;
		return 0;
	}
	h = lc_hash_bytes(LC_HASH_SEED, key, len);
	for (i = (unsigned)(h ^ h >> 32) & (DIM_SLOTS - 1); pd->dim[i].key;
	     i = (i + 1) & (DIM_SLOTS - 1))
		if (pd->dim[i].h == h && pd->dim[i].len == len && !memcmp(pd->dim[i].key, key, len)) {
			*out = pd->dim[i].d;
			pd->last = &pd->dim[i];
			return 0;
		}
	{
		const char *g[D_N];

		memcpy(g, f, sizeof(g));
		if ((out->id = dim_row(db, g, err)) < 0)
			return -1;
		g[D_FORMAT] = "";
		if ((out->rid = dim_row(db, g, err)) < 0)
			return -1;
		g[D_PROJECT] = g[D_SESSION] = g[D_USER] = "";
		if ((out->tid = dim_row(db, g, err)) < 0)
			return -1;
	}
	if (pd->ndim >= DIM_SLOTS / 4 * 3) {
		dim_clear(pd);
		for (i = (unsigned)(h ^ h >> 32) & (DIM_SLOTS - 1); pd->dim[i].key;
		     i = (i + 1) & (DIM_SLOTS - 1))
			;
	}
	if ((pd->dim[i].key = xmalloc(len))) { /* no room: only the cache loses */
		memcpy(pd->dim[i].key, key, len);
		pd->dim[i].len = len;
		pd->dim[i].h = h;
		pd->dim[i].d = *out;
		pd->ndim++;
		pd->last = &pd->dim[i];
	}
	return 0;
}

/* Add k's counts (times sign) to table t's pending changes, under dim;
   -1 when a sum would pass int64 (checked: never a wrapped count). */
static int pend_add(struct pending *pd, int t, const struct rkey *k, int64_t dim, int sign)
{
	struct pend *slot = pd->slot[t];
	struct rkey key = *k;
	unsigned i;

	key.dim = dim;
	for (i = rkey_hash(&key) & (PEND_SLOTS - 1); slot[i].used; i = (i + 1) & (PEND_SLOTS - 1))
		if (rkey_same(&slot[i].k, &key))
			break;
	if (!slot[i].used) {
		slot[i].used = 1;
		slot[i].records = 0;
		slot[i].k = key;
		memset(slot[i].k.v, 0, sizeof(slot[i].k.v));
		slot[i].k.logged = slot[i].k.logged_n = 0;
		pd->n[t]++;
	}
	slot[i].records += sign;
	for (int j = 0; j < NV; j++)
		if (__builtin_add_overflow(slot[i].k.v[j], sign * k->v[j], &slot[i].k.v[j]))
			return -1;
	if (sign > 0 ? __builtin_add_overflow(slot[i].k.logged, k->logged, &slot[i].k.logged)
		     : __builtin_sub_overflow(slot[i].k.logged, k->logged, &slot[i].k.logged))
		return -1;
	slot[i].k.logged_n += sign * k->logged_n;
	return 0;
}



/* Add r's counts (sign -1: take them away) to both rollups, in memory. */
int rollup_change(struct lc_db *db, const struct lc_usage_rec *r, const struct dims *d,
			 int sign, struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);
	struct rkey k;

	if (!pd)
		return -1;
	for (int t = 0; t < T_N; t++)
		if (pd->n[t] >= PEND_SLOTS / 4 * 3 && pend_write(db, pd, t, err))
			return -1;
	rkey_from_rec(&k, r);
	if (pend_add(pd, T_ROLLUP, &k, d->rid, sign) || pend_add(pd, T_TOTALS, &k, d->tid, sign))
		return lc_errf(err, LC_EDATA, SUMS_RANGE);
	return 0;
}

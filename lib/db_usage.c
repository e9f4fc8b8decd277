/*
 * db_usage.c - usage records, their resume points, the rollup, budgets and
 * read-only access to `llm`'s logs.db.  See db_usage.h.
 *
 * Design: the duplicate rules live here, next to the UNIQUE natural key, so
 * every ingester gets the same behaviour; the rollups (usage_rollup and
 * usage_totals) are updated with every record added, replaced or dropped,
 * inside the caller's transaction, so they can never disagree with
 * usage_records.
 */
#include "db_usage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define BUCKET_MS 900000LL

const int64_t lc_pclass_ladder[LC_PCLASS_N] = { 32000, 128000, 200000, 256000, 272000, 1000000 };

int usage_pclass(int64_t prompt)
{
	int k = 0;

	while (k < LC_PCLASS_N && prompt > lc_pclass_ladder[k])
		k++;
	return k;
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void coltext(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	snprintf(dst, n, "%s", v ? (const char *)v : "");
}

/* ---- ingest settings ---- */

int db_usage_ingest_mode(struct lc_db *db, int on, struct lc_err *err)
{
	/* WAL with synchronous=NORMAL: a commit survives the process being
	   killed; only an OS crash or power cut can undo the last commits,
	   and each takes its resume points with it, so a re-run reads those
	   lines again and the totals stay exact.  One fsync per checkpoint
	   instead of one per commit.
	   Foreign keys are not enforced meanwhile: the only one an ingest
	   writes is usage_records.file_id, always the usage_files row written
	   first in the same transaction, and SQLite's check of it cost ~3 s
	   of CPU per million records, a fifth of a first ingest.
	   tests/cli/rollup_check.sql runs PRAGMA foreign_key_check after the
	   ingest tests. */
	if (sqlite3_exec(db_handle(db),
			 on ? "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF"
			    : "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
			 NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "setting up the ingest");
	return 0;
}

/* ---- files ---- */

int db_usage_file_get(struct lc_db *db, const char *path, struct lc_usage_file *out,
		      struct lc_err *err)
{
	static const char sql[] =
		"SELECT id, format, dev, inode, size, mtime_ns, head_len, head_hash, offset, line, "
		"state FROM usage_files WHERE path = ?";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	if (!st)
		return -1;
	memset(out, 0, sizeof(*out));
	snprintf(out->path, sizeof(out->path), "%s", path);
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "reading a usage file's resume point");
	out->id = sqlite3_column_int64(st, 0);
	coltext(st, 1, out->format, sizeof(out->format));
	out->dev = sqlite3_column_int64(st, 2);
	out->inode = sqlite3_column_int64(st, 3);
	out->size = sqlite3_column_int64(st, 4);
	out->mtime_ns = sqlite3_column_int64(st, 5);
	out->head_len = sqlite3_column_int64(st, 6);
	coltext(st, 7, out->head_hash, sizeof(out->head_hash));
	out->offset = sqlite3_column_int64(st, 8);
	out->line = sqlite3_column_int64(st, 9);
	coltext(st, 10, out->state, sizeof(out->state));
	sqlite3_reset(st);
	return 1;
}

int db_usage_file_put(struct lc_db *db, struct lc_usage_file *f, struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO usage_files(path, format, dev, inode, size, mtime_ns, head_len, "
		"head_hash, offset, line, state, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
		"ON CONFLICT(path) DO UPDATE SET format = excluded.format, dev = excluded.dev, "
		"inode = excluded.inode, size = excluded.size, mtime_ns = excluded.mtime_ns, "
		"head_len = excluded.head_len, head_hash = excluded.head_hash, "
		"offset = excluded.offset, line = excluded.line, state = excluded.state, "
		"ingested_at = excluded.ingested_at RETURNING id";
	sqlite3_stmt *st = db_cached(db, sql, err);
	char now[32];
	int rc;

	if (!st)
		return -1;
	ts_format(now, sizeof(now), lc_now());
	sqlite3_bind_text(st, 1, f->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->dev);
	sqlite3_bind_int64(st, 4, f->inode);
	sqlite3_bind_int64(st, 5, f->size);
	sqlite3_bind_int64(st, 6, f->mtime_ns);
	sqlite3_bind_int64(st, 7, f->head_len);
	sqlite3_bind_text(st, 8, f->head_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, f->offset);
	sqlite3_bind_int64(st, 10, f->line);
	sqlite3_bind_text(st, 11, f->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "saving a usage file's resume point");
	f->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ---- rollup ---- */

/* The rollup key and counts of a record, as stored. */
struct rkey {
	int64_t bucket;
	char model_raw[LC_ID_MAX], model[LC_ID_MAX], host[LC_ID_MAX];
	char project[LC_NAME_MAX], session[LC_NAME_MAX], tier[16], speed[16];
	int sidechain, pclass;
	int64_t v[8]; /* input, cache_read, cw5, cw1h, output, reasoning, requests, web_searches */
};

/* snprintf(dst, n, "%s", src) without the formatting machinery. */
static void copy(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void rkey_from_rec(struct rkey *k, const struct lc_usage_rec *r)
{
	k->bucket = floordiv(r->ts_ms, BUCKET_MS);
	copy(k->model_raw, sizeof(k->model_raw), r->model_raw);
	copy(k->model, sizeof(k->model), r->model);
	copy(k->host, sizeof(k->host), r->host);
	copy(k->project, sizeof(k->project), r->project);
	copy(k->session, sizeof(k->session), r->session);
	copy(k->tier, sizeof(k->tier), r->service_tier);
	copy(k->speed, sizeof(k->speed), r->speed);
	k->sidechain = r->sidechain;
	k->pclass = usage_pclass(r->tier_prompt > 0 ? r->tier_prompt
						    : r->input + r->cache_read + r->cache_write_5m +
							      r->cache_write_1h);
	k->v[0] = r->input, k->v[1] = r->cache_read, k->v[2] = r->cache_write_5m;
	k->v[3] = r->cache_write_1h, k->v[4] = r->output, k->v[5] = r->reasoning;
	k->v[6] = r->requests, k->v[7] = r->web_searches;
}

static void bind_rkey(sqlite3_stmt *st, const struct rkey *k)
{
	sqlite3_bind_int64(st, 1, k->bucket);
	sqlite3_bind_text(st, 2, k->model_raw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, k->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, k->project, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, k->session, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, k->tier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, k->speed, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, k->sidechain);
	sqlite3_bind_int(st, 10, k->pclass);
	for (int i = 0; i < 8; i++)
		sqlite3_bind_int64(st, 12 + i, k->v[i]);
}

/*
 * Two rollups hold the same sums: usage_rollup per project and session, and
 * usage_totals without them (a fraction of the rows, for the reports that
 * neither group nor filter by project or session).  Every change of a
 * record's share goes through rollup_change into both.
 *
 * Changes are summed in memory per key (a session's records mostly share a
 * few 15-minute buckets) and written when the connection's hook flushes:
 * before every COMMIT, SAVEPOINT and RELEASE, and when a table is 3/4 full.
 * A ROLLBACK (TO) drops them with the work they belong to.  Both tables are
 * flushed and dropped together, so they never disagree.
 */
#define PEND_SLOTS 2048 /* a power of two */

enum { T_ROLLUP, T_TOTALS, T_N };

struct pend {
	int used;
	int64_t records;
	struct rkey k; /* k.v: the summed changes */
};

struct keyfilter;

struct pending {
	struct pend *slot[T_N];
	int n[T_N];
	struct keyfilter *kf; /* see "the key filter" below */
};

static void kf_end_tx(struct keyfilter *kf);
static void kf_free(struct keyfilter *kf);

static unsigned rkey_hash(const struct rkey *k)
{
	const char *parts[7] = { k->model_raw, k->model, k->host, k->project,
				 k->session, k->tier, k->speed };
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)k->bucket;

	h = (h ^ (uint64_t)(k->sidechain * 8 + k->pclass)) * 1099511628211ULL;
	for (int i = 0; i < 7; i++) {
		for (const unsigned char *c = (const unsigned char *)parts[i]; *c; c++)
			h = (h ^ *c) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return (unsigned)(h ^ h >> 32);
}

static int rkey_same(const struct rkey *a, const struct rkey *b)
{
	return a->bucket == b->bucket && a->sidechain == b->sidechain && a->pclass == b->pclass &&
	       !strcmp(a->model_raw, b->model_raw) && !strcmp(a->model, b->model) &&
	       !strcmp(a->host, b->host) && !strcmp(a->project, b->project) &&
	       !strcmp(a->session, b->session) && !strcmp(a->tier, b->tier) &&
	       !strcmp(a->speed, b->speed);
}

/* Parameters as bind_rkey's; usage_totals leaves out ?5 and ?6. */
static const char rollup_upsert[] =
	"INSERT INTO usage_rollup(bucket, model_raw, model, host, project, session, "
	"service_tier, speed, sidechain, pclass, records, input, cache_read, "
	"cache_write_5m, cache_write_1h, output, reasoning, requests, web_searches) "
	"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19) "
	"ON CONFLICT DO UPDATE SET records = records + excluded.records, "
	"input = input + excluded.input, "
	"cache_read = cache_read + excluded.cache_read, "
	"cache_write_5m = cache_write_5m + excluded.cache_write_5m, "
	"cache_write_1h = cache_write_1h + excluded.cache_write_1h, "
	"output = output + excluded.output, reasoning = reasoning + excluded.reasoning, "
	"requests = requests + excluded.requests, "
	"web_searches = web_searches + excluded.web_searches";
static const char rollup_update[] =
	"UPDATE usage_rollup SET records = records + ?11, input = input + ?12, "
	"cache_read = cache_read + ?13, cache_write_5m = cache_write_5m + ?14, "
	"cache_write_1h = cache_write_1h + ?15, output = output + ?16, "
	"reasoning = reasoning + ?17, requests = requests + ?18, "
	"web_searches = web_searches + ?19 WHERE bucket = ?1 AND model_raw = ?2 AND "
	"model = ?3 AND host = ?4 AND project = ?5 AND session = ?6 AND "
	"service_tier = ?7 AND speed = ?8 AND sidechain = ?9 AND pclass = ?10";
static const char totals_upsert[] =
	"INSERT INTO usage_totals(bucket, model_raw, model, host, "
	"service_tier, speed, sidechain, pclass, records, input, cache_read, "
	"cache_write_5m, cache_write_1h, output, reasoning, requests, web_searches) "
	"VALUES (?1,?2,?3,?4,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19) "
	"ON CONFLICT DO UPDATE SET records = records + excluded.records, "
	"input = input + excluded.input, "
	"cache_read = cache_read + excluded.cache_read, "
	"cache_write_5m = cache_write_5m + excluded.cache_write_5m, "
	"cache_write_1h = cache_write_1h + excluded.cache_write_1h, "
	"output = output + excluded.output, reasoning = reasoning + excluded.reasoning, "
	"requests = requests + excluded.requests, "
	"web_searches = web_searches + excluded.web_searches";
static const char totals_update[] =
	"UPDATE usage_totals SET records = records + ?11, input = input + ?12, "
	"cache_read = cache_read + ?13, cache_write_5m = cache_write_5m + ?14, "
	"cache_write_1h = cache_write_1h + ?15, output = output + ?16, "
	"reasoning = reasoning + ?17, requests = requests + ?18, "
	"web_searches = web_searches + ?19 WHERE bucket = ?1 AND model_raw = ?2 AND "
	"model = ?3 AND host = ?4 AND service_tier = ?7 AND speed = ?8 AND "
	"sidechain = ?9 AND pclass = ?10";

static int rollup_write(struct lc_db *db, int t, const struct pend *p, struct lc_err *err)
{
	/* an upsert when every change is an addition; otherwise the row must
	   exist (a record stored earlier is being replaced) */
	int add = p->records > 0, zero = p->records == 0;
	sqlite3_stmt *st;

	for (int i = 0; i < 8; i++) {
		add &= p->k.v[i] >= 0;
		zero &= p->k.v[i] == 0;
	}
	if (zero)
		return 0;
	if (!(st = db_cached(db, t == T_ROLLUP ? (add ? rollup_upsert : rollup_update)
					       : (add ? totals_upsert : totals_update),
			     err)))
		return -1;
	bind_rkey(st, &p->k);
	sqlite3_bind_int64(st, 11, p->records);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, err, "updating the usage rollup");
	if (!add && sqlite3_changes(db_handle(db)) != 1)
		return lc_errf(err, LC_EDB, "usage rollup out of step with usage_records");
	return 0;
}

static int pend_flush(struct lc_db *db, void *ctx, struct lc_err *err)
{
	struct pending *pd = ctx;
	int rc = 0;

	kf_end_tx(pd->kf);
	for (int t = 0; t < T_N; t++) {
		if (!pd->n[t])
			continue;
		for (int i = 0; i < PEND_SLOTS; i++) {
			if (!pd->slot[t][i].used)
				continue;
			if (!rc && rollup_write(db, t, &pd->slot[t][i], err))
				rc = -1;
			pd->slot[t][i].used = 0;
		}
		pd->n[t] = 0;
	}
	return rc;
}

static void pend_drop(void *ctx)
{
	struct pending *pd = ctx;

	kf_end_tx(pd->kf);
	for (int t = 0; t < T_N; t++) {
		for (int i = 0; i < PEND_SLOTS && pd->n[t]; i++)
			if (pd->slot[t][i].used) {
				pd->slot[t][i].used = 0;
				pd->n[t]--;
			}
		pd->n[t] = 0;
	}
}

static void pend_release(void *ctx)
{
	struct pending *pd = ctx;

	kf_free(pd->kf);
	for (int t = 0; t < T_N; t++)
		free(pd->slot[t]);
	free(pd);
}

/* The connection's usage state (the hook's ctx), made on first use. */
static struct pending *usage_state(struct lc_db *db, struct lc_err *err)
{
	struct pending *pd = db_hook_ctx(db);

	if (!pd) {
		struct db_hook h = { pend_flush, pend_drop, pend_release, NULL };

		if (!(pd = calloc(1, sizeof(*pd))) ||
		    !(pd->slot[T_ROLLUP] = calloc(PEND_SLOTS, sizeof(struct pend))) ||
		    !(pd->slot[T_TOTALS] = calloc(PEND_SLOTS, sizeof(struct pend)))) {
			if (pd)
				free(pd->slot[T_ROLLUP]);
			free(pd);
			lc_errf(err, LC_ERUNTIME, "out of memory");
			return NULL;
		}
		h.ctx = pd;
		db_set_hook(db, &h);
	}
	return pd;
}

/* Add k's counts (times sign) to table t's pending changes. */
static void pend_add(struct pending *pd, int t, const struct rkey *k, int sign)
{
	struct pend *slot = pd->slot[t];
	unsigned i;

	for (i = rkey_hash(k) & (PEND_SLOTS - 1); slot[i].used; i = (i + 1) & (PEND_SLOTS - 1))
		if (rkey_same(&slot[i].k, k))
			break;
	if (!slot[i].used) {
		slot[i].used = 1;
		slot[i].records = 0;
		slot[i].k = *k;
		memset(slot[i].k.v, 0, sizeof(slot[i].k.v));
		pd->n[t]++;
	}
	slot[i].records += sign;
	for (int j = 0; j < 8; j++)
		slot[i].k.v[j] += sign * k->v[j];
}

/* Add k's counts (sign -1: take them away) to both rollups, in memory. */
static int rollup_change(struct lc_db *db, const struct rkey *k, int sign, struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);
	struct rkey tk;

	if (!pd)
		return -1;
	if ((pd->n[T_ROLLUP] >= PEND_SLOTS / 4 * 3 || pd->n[T_TOTALS] >= PEND_SLOTS / 4 * 3) &&
	    pend_flush(db, pd, err))
		return -1;
	pend_add(pd, T_ROLLUP, k, sign);
	tk = *k;
	tk.project[0] = tk.session[0] = '\0';
	pend_add(pd, T_TOTALS, &tk, sign);
	return 0;
}

static int rollup_add(struct lc_db *db, const struct rkey *k, struct lc_err *err)
{
	return rollup_change(db, k, 1, err);
}

static int rollup_sub(struct lc_db *db, const struct rkey *k, struct lc_err *err)
{
	return rollup_change(db, k, -1, err);
}

/* ---- records ---- */

#define REC_COLS                                                                          \
	"natural_key, group_key, ts, ts_ms, format, file_id, line, model_raw, model, host, " \
	"project, session, input, cache_read, cache_write_5m, cache_write_1h, output, "     \
	"reasoning, requests, web_searches, service_tier, speed, sidechain, reported_cost, " \
	"tier_prompt, key_hash"

/*
 * The index key of a record (usage_records.key_hash, see schema.sql): 47
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
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	return h ^ h >> 29;
}

static int64_t group_lo(const char *group)
{
	return (int64_t)((fnv64(group) & 0xFFFFFFFFULL) << KH_LOW);
}

static int64_t key_hash(const struct lc_usage_rec *r)
{
	if (r->group[0])
		return group_lo(r->group) | (int64_t)(fnv64(r->key) & ((1ULL << KH_LOW) - 1));
	return (int64_t)(fnv64(r->key) & ((1ULL << KH_BITS) - 1));
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
	uint64_t *bits;
	uint64_t mask;      /* word count - 1 */
	int64_t values, cap; /* values added; rebuilt larger past cap */
	int64_t lookups;    /* made while there was no filter */
	int64_t dv;         /* PRAGMA data_version at the last check */
	int built, checked;
};

static void kf_end_tx(struct keyfilter *kf)
{
	if (kf)
		kf->checked = 0;
}

static void kf_free(struct keyfilter *kf)
{
	if (kf)
		free(kf->bits);
	free(kf);
}

static void kf_drop(struct keyfilter *kf)
{
	free(kf->bits);
	kf->bits = NULL;
	kf->built = 0;
	kf->lookups = 0;
}

static uint64_t kf_mix(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ULL;
	return v ^ v >> 33;
}

#define KF_GROUP(kh) (((uint64_t)(kh) >> KH_LOW) | 1ULL << 62)

/* Blocked: a value's three bits lie in one 64-bit word (one cache miss). */
static uint64_t kf_word_bits(uint64_t h)
{
	return 1ULL << (h >> 40 & 63) | 1ULL << (h >> 46 & 63) | 1ULL << (h >> 52 & 63);
}

static void kf_add1(struct keyfilter *kf, uint64_t v)
{
	uint64_t h = kf_mix(v);

	kf->bits[h & kf->mask] |= kf_word_bits(h);
	kf->values++;
}

static int kf_has(const struct keyfilter *kf, uint64_t v)
{
	uint64_t h = kf_mix(v), b = kf_word_bits(h);

	return (kf->bits[h & kf->mask] & b) == b;
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
	if (kf->values + 1 > kf->cap) {
		kf_drop(kf); /* rebuilt, larger, at the next lookup */
		kf->lookups = kf->after;
		return;
	}
	kf_add1(kf, grouped ? KF_GROUP(kh) : (uint64_t)kh);
}

static int kf_build(struct lc_db *db, struct keyfilter *kf, struct lc_err *err)
{
	sqlite3_stmt *st;
	int64_t rows = 0, want;
	uint64_t nbits;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db), "SELECT count(*) FROM usage_records", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(db, err, "counting usage records");
	if (sqlite3_step(st) == SQLITE_ROW)
		rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	want = 2 * (rows * 2 > kf->min ? rows * 2 : kf->min); /* room to double */
	nbits = 1024;
	while (nbits < (uint64_t)want * KF_BITS_PER && nbits < KF_MAX_BITS)
		nbits <<= 1;
	free(kf->bits);
	if (!(kf->bits = calloc(nbits / 64, sizeof(uint64_t))))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	kf->mask = nbits / 64 - 1;
	kf->values = 0;
	kf->cap = want;
	if (sqlite3_prepare_v2(db_handle(db), "SELECT key_hash FROM usage_records", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(db, err, "reading usage record keys");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t kh = sqlite3_column_int64(st, 0);

		kf_add1(kf, (uint64_t)kh);
		kf_add1(kf, KF_GROUP(kh));
	}
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
		const char *env = getenv("LLMCOST_KEYFILTER");
		long long after = KF_AFTER, min = KF_MIN;

		if (!(pd->kf = calloc(1, sizeof(*pd->kf))))
			return lc_errf(err, LC_ERUNTIME, "out of memory");
		if (env && sscanf(env, "%lld:%lld", &after, &min) == 2 && after >= 1 && min >= 1 &&
		    min <= KF_MIN)
			pd->kf->after = after, pd->kf->min = min;
		else
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
	return kf_has(kf, v);
}

static void bind_rec(sqlite3_stmt *st, const struct lc_usage_rec *r, char *tsbuf)
{
	ts_format(tsbuf, 32, r->ts_ms);
	sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
	if (r->group[0])
		sqlite3_bind_text(st, 2, r->group, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tsbuf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->ts_ms);
	sqlite3_bind_text(st, 5, r->format, -1, SQLITE_STATIC);
	if (r->file_id)
		sqlite3_bind_int64(st, 6, r->file_id);
	sqlite3_bind_int64(st, 7, r->line);
	sqlite3_bind_text(st, 8, r->model_raw, -1, SQLITE_STATIC);
	if (r->model[0]) {
		sqlite3_bind_text(st, 9, r->model, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, r->host, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 11, r->project, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, r->session, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, r->input);
	sqlite3_bind_int64(st, 14, r->cache_read);
	sqlite3_bind_int64(st, 15, r->cache_write_5m);
	sqlite3_bind_int64(st, 16, r->cache_write_1h);
	sqlite3_bind_int64(st, 17, r->output);
	sqlite3_bind_int64(st, 18, r->reasoning);
	sqlite3_bind_int64(st, 19, r->requests);
	sqlite3_bind_int64(st, 20, r->web_searches);
	sqlite3_bind_text(st, 21, r->service_tier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 22, r->speed, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 23, r->sidechain);
	if (r->has_reported_cost)
		sqlite3_bind_int64(st, 24, r->reported_cost);
	if (r->tier_prompt > 0)
		sqlite3_bind_int64(st, 25, r->tier_prompt);
	sqlite3_bind_int64(st, 26, key_hash(r));
}

/* The stored record id as a struct lc_usage_rec (the fields the rules need). */
static int load_rec(struct lc_db *db, int64_t id, struct lc_usage_rec *r, struct lc_err *err)
{
	static const char sql[] =
		"SELECT ts_ms, model_raw, coalesce(model, ''), coalesce(host, ''), project, "
		"session, input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, "
		"requests, web_searches, service_tier, speed, sidechain, natural_key, "
		"coalesce(tier_prompt, 0) FROM usage_records WHERE id = ?";
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
	sqlite3_reset(st);
	return 0;
}

static int same_counts(const struct lc_usage_rec *a, const struct lc_usage_rec *b)
{
	return a->ts_ms == b->ts_ms && a->input == b->input && a->cache_read == b->cache_read &&
	       a->cache_write_5m == b->cache_write_5m && a->cache_write_1h == b->cache_write_1h &&
	       a->output == b->output && a->reasoning == b->reasoning &&
	       a->requests == b->requests && a->web_searches == b->web_searches &&
	       !strcmp(a->model_raw, b->model_raw) && !strcmp(a->service_tier, b->service_tier);
}

/* Overwrite stored record id with r, moving its share of the rollup. */
static int replace(struct lc_db *db, int64_t id, const struct lc_usage_rec *r,
		   struct lc_err *err)
{
	static const char sql[] =
		"UPDATE usage_records SET (" REC_COLS ") = "
		"(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,"
		"?23,?24,?25,?26) WHERE id = ?27";
	struct lc_usage_rec old;
	struct rkey k;
	sqlite3_stmt *st;
	char tsbuf[32];

	if (load_rec(db, id, &old, err))
		return -1;
	rkey_from_rec(&k, &old);
	if (rollup_sub(db, &k, err))
		return -1;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	bind_rec(st, r, tsbuf);
	sqlite3_bind_int64(st, 27, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, err, "replacing a usage record");
	kf_note(db, key_hash(r), r->group[0] != 0);
	rkey_from_rec(&k, r);
	return rollup_add(db, &k, err);
}

static int64_t rec_tokens(const struct lc_usage_rec *r)
{
	return r->input + r->cache_read + r->cache_write_5m + r->cache_write_1h + r->output;
}

/* Claude Code's rule for two copies of one response: 1 when r beats old. */
static int better(const struct lc_usage_rec *r, const struct lc_usage_rec *old)
{
	if (r->sidechain != old->sidechain)
		return !r->sidechain;
	if (rec_tokens(r) != rec_tokens(old))
		return rec_tokens(r) > rec_tokens(old);
	if (!!r->speed[0] != !!old->speed[0])
		return r->speed[0] != '\0';
	return 0;
}

/* A stored copy of r under the group rule: its id, 0 when none, -1 on error. */
static int64_t find_group_copy(struct lc_db *db, const struct lc_usage_rec *r,
			       struct lc_err *err)
{
	/* the group's range of key_hash; in the order stored */
	static const char sql[] =
		"SELECT id, natural_key, sidechain FROM usage_records WHERE key_hash BETWEEN ?1 "
		"AND ?2 AND group_key = ?3 ORDER BY id";
	sqlite3_stmt *st;
	int64_t found = 0, lo = group_lo(r->group);
	int rc = kf_maybe(db, KF_GROUP(lo), err);

	if (rc <= 0)
		return rc;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, lo | ((1LL << KH_LOW) - 1));
	sqlite3_bind_text(st, 3, r->group, -1, SQLITE_STATIC);
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

static int64_t find_key(struct lc_db *db, const struct lc_usage_rec *r, struct lc_err *err)
{
	static const char sql[] =
		"SELECT id FROM usage_records WHERE key_hash = ?1 AND natural_key = ?2";
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc = kf_maybe(db, (uint64_t)key_hash(r), err);

	if (rc <= 0)
		return rc;
	if (!(st = db_cached(db, sql, err)))
		return -1;
	sqlite3_bind_int64(st, 1, key_hash(r));
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
	static const char sql[] =
		"INSERT INTO usage_records(" REC_COLS ") VALUES "
		"(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,"
		"?23,?24,?25,?26)";
	sqlite3_stmt *st;
	struct rkey k;
	char tsbuf[32];
	int64_t id = 0;

	/* no UNIQUE index: these lookups keep the natural key unique (a
	   grouped record's key is "cc:GROUP:...", so a stored copy of it is
	   in its group) */
	id = r->group[0] ? find_group_copy(db, r, err) : find_key(db, r, err);
	if (id < 0)
		return -1;
	if (id > 0 && !r->group[0] && !r->replace)
		return USAGE_DUP; /* the same key: the first copy stays */
	if (id > 0) {
		struct lc_usage_rec old;

		if (load_rec(db, id, &old, err))
			return -1;
		if (r->group[0] ? !better(r, &old) : same_counts(r, &old))
			return USAGE_DUP;
		/* a sidechain copy keeps the parent's key; the parent takes over */
		return replace(db, id, r, err) ? -1 : USAGE_REPLACED;
	}
	if (!(st = db_cached(db, sql, err)))
		return -1;
	bind_rec(st, r, tsbuf);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, err, "storing a usage record");
	kf_note(db, key_hash(r), r->group[0] != 0);
	rkey_from_rec(&k, r);
	return rollup_add(db, &k, err) ? -1 : USAGE_NEW;
}

/* ---- reading for reports ---- */

int db_usage_ladder_ok(struct lc_db *db, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc, ok = 1;

	if (sqlite3_prepare_v2(db_handle(db),
			       "SELECT DISTINCT min_input_tokens FROM price_periods "
			       "WHERE min_input_tokens > 0",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading context tiers");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(st, 0), in = 0;

		for (int i = 0; i < LC_PCLASS_N; i++)
			in |= lc_pclass_ladder[i] == t;
		if (!in)
			ok = 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "reading context tiers");
	return ok;
}

static const char *ctext(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v ? (const char *)v : "";
}

static void row_from(sqlite3_stmt *st, struct lc_usage_row *r)
{
	r->ts_ms = sqlite3_column_int64(st, 0);
	r->model_raw = ctext(st, 1);
	r->model = ctext(st, 2);
	r->host = ctext(st, 3);
	r->project = ctext(st, 4);
	r->session = ctext(st, 5);
	r->service_tier = ctext(st, 6);
	r->speed = ctext(st, 7);
	r->sidechain = sqlite3_column_int(st, 8);
	r->pclass = sqlite3_column_int(st, 9);
	r->records = sqlite3_column_int64(st, 10);
	r->input = sqlite3_column_int64(st, 11);
	r->cache_read = sqlite3_column_int64(st, 12);
	r->cache_write_5m = sqlite3_column_int64(st, 13);
	r->cache_write_1h = sqlite3_column_int64(st, 14);
	r->output = sqlite3_column_int64(st, 15);
	r->reasoning = sqlite3_column_int64(st, 16);
	r->requests = sqlite3_column_int64(st, 17);
	r->web_searches = sqlite3_column_int64(st, 18);
	r->tier_prompt = sqlite3_column_int64(st, 19);
}

/*
 * The usage_rollup rows that usage_totals row t sums, to fn.  Runs while the
 * scan of usage_totals is still open on the same connection, so it reads the
 * same snapshot.  Returns fn's non-zero answer, 0, or -1.
 */
static int scan_parts(struct lc_db *db, const struct lc_usage_row *t, db_usage_row_fn fn,
		      void *ctx, struct lc_err *err)
{
	/* the primary key's prefix (bucket, model_raw, model, host) finds them */
	static const char sql[] =
		"SELECT bucket * 900000, model_raw, model, host, project, session, service_tier, "
		"speed, sidechain, pclass, records, input, cache_read, cache_write_5m, "
		"cache_write_1h, output, reasoning, requests, web_searches, 0 FROM usage_rollup "
		"WHERE bucket = ?1 / 900000 AND model_raw = ?2 AND model = ?3 AND host = ?4 "
		"AND service_tier = ?5 AND speed = ?6 AND sidechain = ?7 AND pclass = ?8 "
		"AND records > 0";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc, stop = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, t->ts_ms);
	sqlite3_bind_text(st, 2, t->model_raw, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, t->model, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, t->host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, t->service_tier, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, t->speed, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 7, t->sidechain);
	sqlite3_bind_int(st, 8, t->pclass);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_usage_row r;

		row_from(st, &r);
		r.detail = 1;
		if ((stop = fn(ctx, &r)) != 0)
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = db_fail(db, err, "reading usage");
	sqlite3_reset(st);
	if (stop == DB_USAGE_PARTS)
		return lc_errf(err, LC_ERUNTIME, "internal: parts of a usage_rollup row asked for");
	return stop;
}

int db_usage_scan(struct lc_db *db, const struct lc_usage_query *q, db_usage_row_fn fn,
		  void *ctx, struct lc_err *err)
{
	static const char rollup_sql[] =
		"SELECT bucket * 900000, model_raw, model, host, project, session, service_tier, "
		"speed, sidechain, pclass, records, input, cache_read, cache_write_5m, "
		"cache_write_1h, output, reasoning, requests, web_searches, 0 FROM usage_rollup "
		"WHERE records > 0 AND (?1 = 0 OR bucket >= ?1 / 900000) "
		"AND (?2 = 0 OR bucket <= ?2 / 900000) AND (?3 IS NULL OR project = ?3) "
		"AND (?4 IS NULL OR model = ?4 OR model_raw = ?4)";
	static const char totals_sql[] =
		"SELECT bucket * 900000, model_raw, model, host, '', '', service_tier, "
		"speed, sidechain, pclass, records, input, cache_read, cache_write_5m, "
		"cache_write_1h, output, reasoning, requests, web_searches, 0 FROM usage_totals "
		"WHERE records > 0 AND (?1 = 0 OR bucket >= ?1 / 900000) "
		"AND (?2 = 0 OR bucket <= ?2 / 900000) AND ?3 IS NULL "
		"AND (?4 IS NULL OR model = ?4 OR model_raw = ?4)";
	static const char records_sql[] =
		"SELECT ts_ms, model_raw, coalesce(model, ''), coalesce(host, ''), project, "
		"session, service_tier, speed, sidechain, -1, 1, input, cache_read, "
		"cache_write_5m, cache_write_1h, output, reasoning, requests, web_searches, "
		"coalesce(tier_prompt, 0) FROM usage_records WHERE (?1 = 0 OR ts_ms >= ?1) AND (?2 = 0 OR ts_ms < ?2) "
		"AND (?3 IS NULL OR project = ?3) AND (?4 IS NULL OR model = ?4 OR model_raw = ?4)";
	int totals = !q->records && !q->detail && !q->project;
	const char *sql = q->records ? records_sql : totals ? totals_sql : rollup_sql;
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading usage");
	sqlite3_bind_int64(st, 1, q->since_ms);
	sqlite3_bind_int64(st, 2, q->until_ms);
	if (q->project)
		sqlite3_bind_text(st, 3, q->project, -1, SQLITE_STATIC);
	if (q->model)
		sqlite3_bind_text(st, 4, q->model, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_usage_row r;

		row_from(st, &r);
		r.detail = !totals;
		stop = fn(ctx, &r);
		if (stop == DB_USAGE_PARTS && totals)
			stop = scan_parts(db, &r, fn, ctx, err);
		else if (stop == DB_USAGE_PARTS)
			stop = lc_errf(err, LC_ERUNTIME, "internal: parts of a row asked for");
		if (stop != 0)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(db, err, "reading usage");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return stop;
}

/* ---- budgets ---- */

int db_budget_set(struct lc_db *db, const char *scope, int64_t monthly, struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO budgets(scope, monthly, updated_at) VALUES (?, ?, ?) "
		"ON CONFLICT(scope) DO UPDATE SET monthly = excluded.monthly, "
		"updated_at = excluded.updated_at";
	sqlite3_stmt *st;
	char now[32];

	if (db_begin(db, err))
		return -1;
	if (!(st = db_cached(db, sql, err)))
		goto fail;
	ts_format(now, sizeof(now), lc_now());
	sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, monthly);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, err, "saving a budget");
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

int db_budget_list(struct lc_db *db, db_budget_fn fn, void *ctx, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (sqlite3_prepare_v2(db_handle(db), "SELECT scope, monthly FROM budgets ORDER BY scope",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading budgets");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, ctext(st, 0), sqlite3_column_int64(st, 1)))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading budgets");
	return n;
}

/* ---- llm logs.db ---- */

static int has_table(sqlite3 *h, const char *table)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int has_column(sqlite3 *h, const char *table, const char *col)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(h, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int llm_table(sqlite3 *h, const char *path, const char *table, int skip_responses,
		     db_llm_fn fn, void *ctx, struct lc_err *err)
{
	/* SQL assembled from constant fragments only (column presence), never data */
	char sql[640];
	const char *conv = !strcmp(table, "turns") ? "thread_id" : "conversation_id";
	sqlite3_stmt *st;
	int rc, r = 0;

	if (!has_column(h, table, "input_tokens") || !has_column(h, table, "datetime_utc"))
		return 0; /* a very old database: no token counts */
	snprintf(sql, sizeof(sql),
		 "SELECT id, %s, datetime_utc, input_tokens, output_tokens, %s, %s FROM %s%s",
		 has_column(h, table, "resolved_model") ? "coalesce(resolved_model, model)" : "model",
		 has_column(h, table, "token_details") ? "token_details" : "NULL",
		 has_column(h, table, conv) ? conv : "NULL", table,
		 skip_responses ? " WHERE id NOT IN (SELECT id FROM responses)" : "");
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return lc_errf(err, LC_EDATA, "cannot read '%s' table %s: %s", path, table,
			       sqlite3_errmsg(h));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_llm_row row;

		row.id = ctext(st, 0);
		row.model = ctext(st, 1);
		row.datetime_utc = ctext(st, 2);
		row.has_input = sqlite3_column_type(st, 3) == SQLITE_INTEGER;
		row.has_output = sqlite3_column_type(st, 4) == SQLITE_INTEGER;
		row.input_tokens = sqlite3_column_int64(st, 3);
		row.output_tokens = sqlite3_column_int64(st, 4);
		row.token_details = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : ctext(st, 5);
		row.conversation = ctext(st, 6);
		row.table = table;
		if ((sqlite3_column_type(st, 3) != SQLITE_NULL && !row.has_input) ||
		    (sqlite3_column_type(st, 4) != SQLITE_NULL && !row.has_output))
			row.has_input = row.has_output = -1; /* a non-integer count */
		if ((r = fn(ctx, &row, err)) != 0)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = lc_errf(err, LC_EDATA, "cannot read '%s': %s", path, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return r;
}

int db_llm_read(const char *path, db_llm_fn fn, void *ctx, struct lc_err *err)
{
	sqlite3 *h = NULL;
	int r = 0, resp;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		lc_errf(err, LC_EDATA, "cannot open '%s': %s", path,
			h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_exec(h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		lc_errf(err, LC_EDATA, "'%s' is not an llm logs database: %s", path,
			sqlite3_errmsg(h));
		sqlite3_close(h);
		return -1;
	}
	resp = has_table(h, "responses");
	if (!resp && !has_table(h, "turns")) {
		sqlite3_close(h);
		return lc_errf(err, LC_EDATA, "'%s' has neither a responses nor a turns table", path);
	}
	if (resp)
		r = llm_table(h, path, "responses", 0, fn, ctx, err);
	if (!r && has_table(h, "turns"))
		r = llm_table(h, path, "turns", resp, fn, ctx, err);
	sqlite3_close(h);
	return r ? -1 : 0;
}

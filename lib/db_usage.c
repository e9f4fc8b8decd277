/*
 * db_usage.c - usage records, their resume points, the rollup, budgets and
 * read-only access to `llm`'s logs.db.  See db_usage.h.
 *
 * Design: the duplicate rules live here, next to the UNIQUE natural key, so
 * every ingester gets the same behaviour; the rollups (usage_sums and
 * usage_total_sums) are updated with every record added, replaced or
 * dropped, inside the caller's transaction, so they can never disagree with
 * the records (usage_calls).  Text attributes are stored once, in usage_dims.
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
	   writes is usage_calls.file_id, always the usage_files row written
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

/* ---- attributes and rollups ---- */

/*
 * A record's text attributes are stored once per distinct combination in
 * usage_dims (see schema.sql); a record names three rows of it: its own, the
 * one usage_sums keys by (format '') and the one usage_total_sums keys by
 * (format, project and session '').  struct dims holds the three ids.
 */
struct dims {
	int64_t id, rid, tid;
};

/* The counts of a record and of a rollup row, in this order (struct rkey,
   struct callrow, the SQL below). */
#define NV 12
#define V_COLS                                                                            \
	"input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests, "  \
	"web_searches, audio_input, audio_output, image_input, other_tokens"

static void counts_of(int64_t v[NV], const struct lc_usage_rec *r)
{
	v[0] = r->input, v[1] = r->cache_read, v[2] = r->cache_write_5m;
	v[3] = r->cache_write_1h, v[4] = r->output, v[5] = r->reasoning;
	v[6] = r->requests, v[7] = r->web_searches, v[8] = r->audio_input;
	v[9] = r->audio_output, v[10] = r->image_input, v[11] = r->other_tokens;
}

enum { D_FORMAT, D_MODEL_RAW, D_MODEL, D_HOST, D_PROJECT, D_SESSION, D_TIER, D_SPEED, D_N };

/* The rollup key and counts of a record, as stored. */
struct rkey {
	int64_t bucket;
	int64_t dim; /* the usage_dims row of the table it goes to */
	int sidechain, pclass;
	int64_t v[NV]; /* the counts, in V_COLS order */
};

static void rkey_from_rec(struct rkey *k, const struct lc_usage_rec *r)
{
	k->bucket = floordiv(r->ts_ms, BUCKET_MS);
	k->dim = 0;
	k->sidechain = r->sidechain;
	k->pclass = usage_pclass(r->tier_prompt > 0 ? r->tier_prompt : usage_rec_prompt(r));
	counts_of(k->v, r);
}

/*
 * Two rollups hold the same sums: usage_sums per project and session, and
 * usage_total_sums without them (a fraction of the rows, for the reports
 * that neither group nor filter by project or session).  Every change of a
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
#define PEND_SLOTS 16384 /* a power of two */
/* The attribute cache: usage_dims ids by their text, emptied when 3/4 full
   and on every ROLLBACK (TO), which may undo rows it holds. */
#define DIM_SLOTS 32768 /* a power of two */
#define DIM_KEY_MAX (D_N * LC_NAME_MAX)

enum { T_ROLLUP, T_TOTALS, T_N };

struct pend {
	int used;
	int64_t records;
	struct rkey k; /* k.v: the summed changes */
};

struct dimslot {
	uint64_t h;
	char *key; /* the D_N fields, each ended by '\0' */
	size_t len;
	struct dims d;
};

/* New records are inserted CALLS_BATCH to a statement (one INSERT per
   record cost ~a tenth of a first ingest in statement set-up and
   tear-down); see calls_add(). */
#define CALLS_BATCH 32 /* a power of two */

/* A record as usage_calls stores it: the values bound to REC_COLS. */
struct callrow {
	char key[LC_KEY_MAX];
	int64_t group_len; /* 0: NULL */
	int64_t ts_ms, dim, file_id, line;
	int64_t v[NV]; /* in V_COLS order */
	int64_t reported_cost, tier_prompt, key_hash;
	int sidechain, has_reported_cost, has_speed;
};

struct keyfilter;

struct pending {
	struct pend *slot[T_N];
	int n[T_N];
	struct pend **order; /* PEND_SLOTS: a table's used slots, sorted to be written */
	struct dimslot *dim;
	int ndim;
	struct dimslot *last; /* the slot that answered last (its key NULL once emptied) */
	struct keyfilter *kf; /* see "the key filter" below */
	struct callrow *calls; /* CALLS_BATCH new records not yet inserted */
	int ncalls;
};

static void kf_end_tx(struct keyfilter *kf);
static void kf_free(struct keyfilter *kf);
static int calls_flush(struct lc_db *db, struct pending *pd, struct lc_err *err);

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

/* ?1 bucket, ?2 dim, ?3 sidechain, ?4 pclass, ?5 records, ?6-?17 the sums */
#define SUMS_UPSERT(table)                                                                  \
	"INSERT INTO " table "(bucket, dim, sidechain, pclass, records, " V_COLS ") "          \
	"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17) "                \
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
	"other_tokens = other_tokens + excluded.other_tokens"
#define SUMS_UPDATE(table)                                                                 \
	"UPDATE " table " SET records = records + ?5, input = input + ?6, "                 \
	"cache_read = cache_read + ?7, cache_write_5m = cache_write_5m + ?8, "               \
	"cache_write_1h = cache_write_1h + ?9, output = output + ?10, "                      \
	"reasoning = reasoning + ?11, requests = requests + ?12, "                           \
	"web_searches = web_searches + ?13, audio_input = audio_input + ?14, "                \
	"audio_output = audio_output + ?15, image_input = image_input + ?16, "                \
	"other_tokens = other_tokens + ?17 WHERE bucket = ?1 AND dim = ?2 AND "               \
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
static struct pending *usage_state(struct lc_db *db, struct lc_err *err)
{
	struct pending *pd = db_hook_ctx(db);

	if (!pd) {
		struct db_hook h = { pend_flush, pend_drop, pend_release, NULL };

		if (!(pd = calloc(1, sizeof(*pd))) ||
		    !(pd->slot[T_ROLLUP] = calloc(PEND_SLOTS, sizeof(struct pend))) ||
		    !(pd->slot[T_TOTALS] = calloc(PEND_SLOTS, sizeof(struct pend))) ||
		    !(pd->order = calloc(PEND_SLOTS, sizeof(*pd->order))) ||
		    !(pd->calls = calloc(CALLS_BATCH, sizeof(*pd->calls))) ||
		    !(pd->dim = calloc(DIM_SLOTS, sizeof(*pd->dim)))) {
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
		"project = ?5 AND session = ?6 AND service_tier = ?7 AND speed = ?8 AND format = ?1";
	static const char add[] =
		"INSERT INTO usage_dims(format, model_raw, model, host, project, session, "
		"service_tier, speed) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)";
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
static int rec_dims(struct lc_db *db, const struct lc_usage_rec *r, struct dims *out,
		    struct lc_err *err)
{
	struct pending *pd = usage_state(db, err);
	/* an unknown model has no host (the view shows both NULL) */
	const char *f[D_N] = { r->format ? r->format : "", r->model_raw, r->model,
			       r->model[0] ? r->host : "", r->project, r->session,
			       r->service_tier, r->speed };
	char key[DIM_KEY_MAX];
	size_t len = 0;
	uint64_t h = 1469598103934665603ULL;
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
	for (size_t j = 0; j < len; j++)
		h = (h ^ (unsigned char)key[j]) * 1099511628211ULL;
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
		g[D_PROJECT] = g[D_SESSION] = "";
		if ((out->tid = dim_row(db, g, err)) < 0)
			return -1;
	}
	if (pd->ndim >= DIM_SLOTS / 4 * 3) {
		dim_clear(pd);
		for (i = (unsigned)(h ^ h >> 32) & (DIM_SLOTS - 1); pd->dim[i].key;
		     i = (i + 1) & (DIM_SLOTS - 1))
			;
	}
	if ((pd->dim[i].key = malloc(len))) { /* no room: only the cache loses */
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
		pd->n[t]++;
	}
	slot[i].records += sign;
	for (int j = 0; j < NV; j++)
		if (__builtin_add_overflow(slot[i].k.v[j], sign * k->v[j], &slot[i].k.v[j]))
			return -1;
	return 0;
}



/* Add r's counts (sign -1: take them away) to both rollups, in memory. */
static int rollup_change(struct lc_db *db, const struct lc_usage_rec *r, const struct dims *d,
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
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	return h ^ h >> 29;
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

	if (calls_flush(db, db_hook_ctx(db), err))
		return -1;
	if (sqlite3_prepare_v2(db_handle(db), "SELECT count(*) FROM usage_calls", -1, &st,
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
	if (sqlite3_prepare_v2(db_handle(db), "SELECT key_hash FROM usage_calls", -1, &st,
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

static int calls_flush(struct lc_db *db, struct pending *pd, struct lc_err *err)
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

	_Static_assert(CALLS_BATCH == 1 << (sizeof(sql) / sizeof(sql[0]) - 1),
		       "a statement for every power of two up to CALLS_BATCH");
	pd->ncalls = 0; /* on failure the transaction is rolled back */
	while (i < n) {
		int b = (int)(sizeof(sql) / sizeof(sql[0])) - 1;
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
		"c.image_input, c.other_tokens FROM usage_calls c "
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

	for (unsigned i = 0; i < sizeof(tok) / sizeof(tok[0]); i++)
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

/* ---- reading for reports ---- */

int db_usage_ladder_ok(struct lc_db *db, const char (*as)[LC_ID_MAX], int n, struct lc_err *err)
{
	/* ?1 NULL: the models of the stored usage; else that model */
	static const char sql[] =
		"SELECT DISTINCT min_input_tokens FROM price_periods WHERE min_input_tokens > 0 "
		"AND (CASE WHEN ?1 IS NULL THEN model_id IN (SELECT model FROM usage_dims "
		"WHERE model <> '') ELSE model_id = ?1 END)";
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, ok = 1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading context tiers");
	for (int m = -1; m < n && rc == SQLITE_DONE; m++) {
		sqlite3_reset(st);
		if (m < 0)
			sqlite3_bind_null(st, 1);
		else
			sqlite3_bind_text(st, 1, as[m], -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t t = sqlite3_column_int64(st, 0), in = 0;

			for (int i = 0; i < LC_PCLASS_N; i++)
				in |= lc_pclass_ladder[i] == t;
			if (!in)
				ok = 0;
		}
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

/* A rollup row's columns, as row_from reads them (s: the sums, d: usage_dims) */
#define SUMS_COLS                                                                          \
	"s.bucket * 900000, d.model_raw, d.model, d.host, d.project, d.session, "          \
	"d.service_tier, d.speed, s.sidechain, s.pclass, s.records, s.input, s.cache_read, " \
	"s.cache_write_5m, s.cache_write_1h, s.output, s.reasoning, s.requests, "           \
	"s.web_searches, s.audio_input, s.audio_output, s.image_input, s.other_tokens"

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
	r->audio_input = sqlite3_column_int64(st, 19);
	r->audio_output = sqlite3_column_int64(st, 20);
	r->image_input = sqlite3_column_int64(st, 21);
	r->other_tokens = sqlite3_column_int64(st, 22);
	r->tier_prompt = sqlite3_column_int64(st, 23);
}

/*
 * The usage_rollup rows that usage_totals row t sums, to fn.  Runs while the
 * scan of usage_totals is still open on the same connection, so it reads the
 * same snapshot.  Returns fn's non-zero answer, 0, or -1.
 */
static int scan_parts(struct lc_db *db, const struct lc_usage_row *t, db_usage_row_fn fn,
		      void *ctx, struct lc_err *err)
{
	/* the primary key's prefix (bucket) finds them */
	static const char sql[] =
		"SELECT " SUMS_COLS ", 0 FROM usage_sums s JOIN usage_dims d ON d.id = s.dim "
		"WHERE s.bucket = ?1 / 900000 AND d.model_raw = ?2 AND d.model = ?3 "
		"AND d.host = ?4 AND d.service_tier = ?5 AND d.speed = ?6 AND s.sidechain = ?7 "
		"AND s.pclass = ?8 AND s.records > 0";
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
		"SELECT " SUMS_COLS ", 0 FROM usage_sums s JOIN usage_dims d ON d.id = s.dim "
		"WHERE s.records > 0 AND (?1 = 0 OR s.bucket >= ?1 / 900000) "
		"AND (?2 = 0 OR s.bucket <= ?2 / 900000) AND (?3 IS NULL OR d.project = ?3) "
		"AND (?4 IS NULL OR d.model = ?4 OR d.model_raw = ?4)";
	static const char totals_sql[] =
		"SELECT " SUMS_COLS ", 0 FROM usage_total_sums s JOIN usage_dims d ON d.id = s.dim "
		"WHERE s.records > 0 AND (?1 = 0 OR s.bucket >= ?1 / 900000) "
		"AND (?2 = 0 OR s.bucket <= ?2 / 900000) AND ?3 IS NULL "
		"AND (?4 IS NULL OR d.model = ?4 OR d.model_raw = ?4)";
	static const char records_sql[] =
		"SELECT c.ts_ms, d.model_raw, d.model, d.host, d.project, d.session, "
		"d.service_tier, d.speed, c.sidechain, -1, 1, c.input, c.cache_read, "
		"c.cache_write_5m, c.cache_write_1h, c.output, c.reasoning, c.requests, "
		"c.web_searches, c.audio_input, c.audio_output, c.image_input, c.other_tokens, "
		"coalesce(c.tier_prompt, 0) FROM usage_calls c "
		"JOIN usage_dims d ON d.id = c.dim WHERE (?1 = 0 OR c.ts_ms >= ?1) "
		"AND (?2 = 0 OR c.ts_ms < ?2) AND (?3 IS NULL OR d.project = ?3) "
		"AND (?4 IS NULL OR d.model = ?4 OR d.model_raw = ?4)";
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

/*
 * db_usage_int.h - internal to the usage store (lib/db_usage*.c; see
 * db_usage.c for its design): the record, rollup and cache types its files
 * share, and their shared functions.  Nothing else includes it.
 */
#ifndef LC_LIB_DB_USAGE_INT_H
#define LC_LIB_DB_USAGE_INT_H

#include "db_usage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "hash.h"

#define BUCKET_MS 900000LL

/*
 * A record's text attributes are stored once per distinct combination in
 * usage_dims (see schema.sql); a record names three rows of it: its own, the
 * one usage_sums keys by (format '') and the one usage_total_sums keys by
 * (format, project, session and user_name '').  struct dims holds the three ids.
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

enum { D_FORMAT, D_MODEL_RAW, D_MODEL, D_HOST, D_PROJECT, D_SESSION, D_TIER, D_SPEED, D_USER,
       D_N };

/* The rollup key and counts of a record, as stored. */
struct rkey {
	int64_t bucket;
	int64_t dim; /* the usage_dims row of the table it goes to */
	int sidechain, pclass;
	int64_t v[NV]; /* the counts, in V_COLS order */
	/* the rollups' logged_cost and logged_records (schema version 9): the
	   record's reported_cost and 1 when it carries one, else 0 and 0 */
	int64_t logged, logged_n;
};

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

/* A Bloom filter of stored records' key_hash values (db_usage_rec.c): the
   SQLite store's key filter, and the team store's of the server's records.
   kb_size() empties it, sized for `records` (at least `min`) with room to
   double (cap values); kb_add_stored() adds a stored record's key_hash;
   kb_maybe() is 0 when no stored copy can meet a record of key_hash kh
   under the duplicate rules (none with its key or, grouped, in its group),
   1 when one may. */
struct keybloom {
	uint64_t *bits;
	uint64_t mask;       /* word count - 1 */
	int64_t values, cap; /* values added; full past cap */
};
void kb_size(struct keybloom *b, int64_t records, int64_t min);
void kb_free(struct keybloom *b);
void kb_add_stored(struct keybloom *b, int64_t kh);
/* $LLMCOST_KEYFILTER=AFTER:MIN (tests): a filter after AFTER lookups, sized
   for MIN values, so that it fills up; 0 when unset or out of range. */
int kb_forced(int64_t *after, int64_t *min);
int kb_maybe(const struct keybloom *b, int64_t kh, int grouped);

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

/* functions shared between the store's files */
/* db_usage.c */
int64_t floordiv(int64_t a, int64_t b);
void coltext(sqlite3_stmt *st, int i, char *dst, size_t n);
/* db_usage_rollup.c */
void counts_of(int64_t v[NV], const struct lc_usage_rec *r);
/* the inverse: r's counts from v */
void counts_to(struct lc_usage_rec *r, const int64_t v[NV]);
struct pending *usage_state(struct lc_db *db, struct lc_err *err);
int rec_dims(struct lc_db *db, const struct lc_usage_rec *r, struct dims *out,
		    struct lc_err *err);
int rollup_change(struct lc_db *db, const struct lc_usage_rec *r, const struct dims *d,
			 int sign, struct lc_err *err);
/* db_usage_rec.c */
void kf_end_tx(struct keyfilter *kf);
void kf_free(struct keyfilter *kf);
int calls_flush(struct lc_db *db, struct pending *pd, struct lc_err *err);
/* A record as a row of text fields (NULL: SQL NULL), in this order (R_*):
   the columns ROW_COLS name, as the team store keeps them (db_pg_usage.c)
   and db_usage_each_record() reads them. */
#define ROW_COLS                                                                          \
	"natural_key, group_len, ts_ms, format, model_raw, model, host, project, session, " \
	"service_tier, speed, user_name, line, " V_COLS ", sidechain, reported_cost, "     \
	"tier_prompt"
enum { R_KEY, R_GLEN, R_TS, R_FORMAT, R_MODEL_RAW, R_MODEL, R_HOST, R_PROJECT, R_SESSION,
       R_TIER, R_SPEED, R_USER, R_LINE, R_V0, R_SIDE = R_V0 + NV, R_COST, R_TIERP, R_N };
/* A field as a number (0 when NULL). */
int64_t usage_num(const char *s);
/* The same from a statement's columns in that order, typed (no text round
   trip); column R_N, when there is one, is r->replace. */
void usage_rec_of_stmt(sqlite3_stmt *st, struct lc_usage_rec *r, char fmt[32]);
/* Fill r from a row's R_N fields (fmt holds its format name). */
void usage_rec_of(struct lc_usage_rec *r, const char *const *f, char fmt[32]);
/* usage_calls.key_hash of r */
int64_t usage_key_hash(const struct lc_usage_rec *r);
/* The key_hash values a stored copy of r may have under the duplicate
   rules: its group's range for a grouped record, else its own. */
void usage_key_range(const struct lc_usage_rec *r, int64_t *lo, int64_t *hi);

#endif

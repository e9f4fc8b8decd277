/*
 * db_usage.h - the SQL side of usage logs: per-file resume points, records
 * with their natural keys and duplicate rules, the 15-minute rollups that
 * reports read (usage_rollup, and usage_totals without project and session), budgets, and read-only access to the `llm` tool's logs.db.
 */
#ifndef LC_DB_USAGE_H
#define LC_DB_USAGE_H

#include <stdint.h>

#include "db.h"
#include "err.h"
#include "price.h"
#include "user.h"

#define LC_PATH_MAX 4096
/* A project or session name (a Claude Code cwd is a whole path) is kept
   whole up to LC_NAME_MAX - 1 bytes; a longer one rejects its record, never
   cut.  See usage_name() in ingest/usage.h. */
#define LC_NAME_MAX 4096
/* usage_files.state: Codex keeps its model, session and cwd there */
#define LC_STATE_MAX (2 * LC_NAME_MAX + 512)
/* A natural key; an id too long for one is keyed by its SHA-256 (usage_key()) */
#define LC_KEY_MAX 512

/* Settings for the length of an ingest (on 1) and back (on 0): see db_usage.c. */
int db_usage_ingest_mode(struct lc_db *db, int on, struct lc_err *err);

/* The resume point and identity of one log file. */
struct lc_usage_file {
	int64_t id;                 /* 0 until stored */
	char path[LC_PATH_MAX];
	char format[16];
	int64_t dev, inode, size, mtime_ns;
	int64_t head_len;           /* bytes hashed: min(4096, size) when read */
	char head_hash[65];
	int64_t offset, line;       /* after the last complete line ingested */
	char state[LC_STATE_MAX];   /* format state (Codex totals) */
};

/* Load the row of path: 1 found, 0 none, -1 error. */
int db_usage_file_get(struct lc_db *db, const char *path, struct lc_usage_file *out,
		      struct lc_err *err);
/* Insert or update the row (by path) and set f->id.  Call inside a transaction. */
int db_usage_file_put(struct lc_db *db, struct lc_usage_file *f, struct lc_err *err);

/* One normalised usage record (see ingest/usage.h for how each format fills it). */
struct lc_usage_rec {
	char key[LC_KEY_MAX];       /* natural key, never a line number */
	char group[LC_KEY_MAX];     /* Claude Code message.id ("" = none) */
	int64_t ts_ms;
	const char *format;
	int64_t file_id, line;
	char model_raw[LC_ID_MAX];
	char model[LC_ID_MAX];      /* resolved; "" when unknown */
	char host[LC_ID_MAX];
	int64_t input, cache_read, cache_write_5m, cache_write_1h, output, reasoning;
	int64_t requests, web_searches;
	/* Other modalities, never inside input or output (schema version 5):
	   audio in and out, image input, and tokens of a modality llmcost has
	   no price for (video, image output, an unknown one: unpriced). */
	int64_t audio_input, audio_output, image_input, other_tokens;
	char service_tier[16];
	char speed[16];
	int sidechain;
	int has_reported_cost;
	int64_t reported_cost;      /* nano-USD */
	int replace;                /* 1: a newer copy replaces (provider buckets that grow) */
	int64_t tier_prompt;        /* aggregates: the per-request prompt size that picks the
				       context tier; 0 = this record's own prompt */
	/* who produced it (schema version 10): the ingest's --user,
	   $LLMCOST_USER or USER@HOST; "" on records of older stores */
	char user[LC_USER_MAX];
	/* last, so a copy can stop at the end of each string (ingest/usage.c) */
	char project[LC_NAME_MAX];
	char session[LC_NAME_MAX];
};

/* The whole prompt of a record (every input bucket): what picks its
   context tier when tier_prompt is 0.  Saturates at INT64_MAX (the store
   takes any int64 counts; the parsers cap each at 10^12). */
static inline int64_t usage_rec_prompt(const struct lc_usage_rec *r)
{
	const int64_t v[] = { r->input, r->cache_read, r->cache_write_5m, r->cache_write_1h,
			      r->audio_input, r->image_input };
	int64_t sum = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(v); i++)
		if (__builtin_add_overflow(sum, v[i], &sum))
			return INT64_MAX;
	return sum;
}

/* What db_usage_insert did with a record. */
enum { USAGE_DUP = 0, USAGE_NEW = 1, USAGE_REPLACED = 2 };

/*
 * Store r, applying the duplicate rules: the same natural key counts once
 * (for Claude Code the better copy is kept: non-sidechain, then more tokens,
 * then one with `speed`, then the first seen); a record whose group (Claude
 * message.id) matches a stored record while either is a sidechain is the
 * same response; r->replace records overwrite a differing stored copy.
 * Keeps usage_rollup and usage_totals in step.  Call inside a transaction.  Returns
 * USAGE_NEW, USAGE_DUP, USAGE_REPLACED or -1.
 */
int db_usage_insert(struct lc_db *db, const struct lc_usage_rec *r, struct lc_err *err);

/* The context-size ladder of usage_rollup.pclass (see schema.sql). */
#define LC_PCLASS_N 6
extern const int64_t lc_pclass_ladder[LC_PCLASS_N];
/* The class of a request whose whole prompt is `prompt` tokens. */
int usage_pclass(int64_t prompt);

/* One row read back for a report (a rollup row or a single record). */
struct lc_usage_row {
	int detail;                 /* 0: a usage_totals row (project, session, user ""), 1: not */
	int64_t ts_ms;              /* the bucket's (or record's) start */
	const char *model_raw, *model, *host, *project, *session, *service_tier, *speed;
	int sidechain;
	int pclass;                 /* -1 on single records: price on exact counts */
	int64_t tier_prompt;        /* single records: as in lc_usage_rec */
	int64_t records, input, cache_read, cache_write_5m, cache_write_1h, output, reasoning;
	int64_t requests, web_searches;
	int64_t audio_input, audio_output, image_input, other_tokens;
	/* the cost the logs carry (reported_cost, nano-USD) summed over the
	   logged_records of the row's records that carry one */
	int64_t logged_cost, logged_records;
	const char *user;           /* who produced it ("" on totals rows and records
				       of stores older than schema version 10) */
};

struct lc_usage_query {
	int64_t since_ms, until_ms; /* loose UTC bounds [since, until); 0 = open */
	const char *project;        /* NULL = all */
	const char *model;          /* matches model or model_raw; NULL = all */
	int records;                /* 1: read usage_records instead of the rollup */
	int detail;                 /* 1: rows per project and session (usage_rollup);
				       0: usage_totals, unless project, session or user is set */
	const char *session;        /* NULL = all; else only that session (detail rows) */
	int64_t newest;             /* records only: read the newest-stored first and stop
				       after this many matching rows (0 = all, table order) */
	const char *user;           /* NULL = all; else only that user (detail rows) */
};
typedef int (*db_usage_row_fn)(void *ctx, const struct lc_usage_row *r);
/* What fn answers for a usage_totals row to get the usage_rollup rows it sums
   instead (passed to fn next, detail 1, from the same snapshot). */
#define DB_USAGE_PARTS 0x7061
/*
 * Call fn for each row matching q; fn returns 0 to go on, DB_USAGE_PARTS (on
 * a totals row), or another non-zero value to stop (returned).  -1 with err
 * on a database error.
 */
int db_usage_scan(struct lc_db *db, const struct lc_usage_query *q, db_usage_row_fn fn,
		  void *ctx, struct lc_err *err);

/*
 * 1 when every context threshold of the models a report prices is on the
 * ladder, so the rollups price them exactly: the models the stored usage
 * resolved to and the n what-if models in as[] (ids).  A threshold off the
 * ladder of a model no usage is priced at (a 512k tier in a sheet) does not
 * send every report to the records.  0 when one is off, -1 with err.
 */
int db_usage_ladder_ok(struct lc_db *db, const char (*as)[LC_ID_MAX], int n, struct lc_err *err);

/* One non-empty 15-minute bucket of the rollup: its UTC start, its records. */
struct lc_usage_bucket {
	int64_t start_ms, records;
};
/*
 * The non-empty buckets that start in [since_ms, until_ms] (0 = open), in
 * time order, into *out (the caller frees it), *n of them.  Reads the
 * primary key of usage_total_sums only: fast on any store.  0 or -1.
 */
int db_usage_buckets(struct lc_db *db, int64_t since_ms, int64_t until_ms,
		     struct lc_usage_bucket **out, size_t *n, struct lc_err *err);
/*
 * The timestamps of every stored record, in no order, into *out (the
 * caller frees it), *n of them: one pass over usage_calls reading one
 * column.  0 or -1.
 */
int db_usage_times(struct lc_db *db, int64_t **out, size_t *n, struct lc_err *err);

/*
 * Every stored record, in the order stored (the team store's cache brings
 * in the server's first): fn(ctx, r) for each until it returns non-zero
 * (returned).  r->replace and r->file_id are 0.  0 or -1 with err.
 */
typedef int (*db_usage_rec_fn)(void *ctx, const struct lc_usage_rec *r);
int db_usage_each_record(struct lc_db *db, db_usage_rec_fn fn, void *ctx, struct lc_err *err);

/* The sums of all stored usage (from usage_total_sums): records, the
   counts in the order of usage_rec's (input, cache_read, cache_write_5m,
   cache_write_1h, output, reasoning, requests, web_searches, audio_input,
   audio_output, image_input, other_tokens), the logged cost and the
   records that carry one. */
struct lc_usage_total {
	int64_t rows, records, v[12], logged_cost, logged_records;
};
int db_usage_grand_total(struct lc_db *db, struct lc_usage_total *t, struct lc_err *err);

/* ---- budgets ---- */
int db_budget_set(struct lc_db *db, const char *scope, int64_t monthly, struct lc_err *err);
typedef int (*db_budget_fn)(void *ctx, const char *scope, int64_t monthly);
int db_budget_list(struct lc_db *db, db_budget_fn fn, void *ctx, struct lc_err *err);
/* Remove the budget of scope ('' all usage): 1 removed, 0 there was none,
   -1 with err. */
int db_budget_rm(struct lc_db *db, const char *scope, struct lc_err *err);

/* Call fn with each project some usage record names (not ''), in byte
   order, until fn returns non-zero; the name is valid during the call.
   The number of calls, or -1 with err. */
typedef int (*db_name_fn)(void *ctx, const char *name);
int db_usage_projects(struct lc_db *db, db_name_fn fn, void *ctx, struct lc_err *err);
/* The same for the users of the usage (not '': records of older stores). */
int db_usage_users(struct lc_db *db, db_name_fn fn, void *ctx, struct lc_err *err);
/* The same for the models of the usage: the catalogue ids the records
   resolved to and the names they were logged with (what --model matches). */
int db_usage_models(struct lc_db *db, db_name_fn fn, void *ctx, struct lc_err *err);

#endif

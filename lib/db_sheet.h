/*
 * db_sheet.h - price sheets into price history, and the sources table.
 *
 * db_sheet_ingest validates a parsed sheet (lib/sheet.h) and, only when it
 * passes, writes it in ONE transaction: keys are mapped onto catalogue
 * models as offerings of the host the sheet names (models the catalogue
 * lacks are created and reported), and each offering's price is diffed
 * against what this source said before:
 *   - current-only sheets: a changed price closes the open period on the
 *     snapshot date and opens a new one from it (observed = 1); an unchanged
 *     price adds nothing (last_seen moves on); the first price a source
 *     gives an offering starts at the model's release when the catalogue
 *     knows it (observed = 0), else at the snapshot date;
 *   - dated entries (llm-prices, genai-prices, CSV) are periods as written;
 *     the earliest one without a start starts at the model's release when
 *     known, else at the snapshot date (dropped when it ended before); the
 *     offering's rows from this source are replaced only when the sheet's
 *     history for it differs;
 *   - an offering missing from the sheet is left as it was (its last_seen
 *     tells when the source last listed it).
 */
#ifndef LC_DB_SHEET_H
#define LC_DB_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "sheet.h"

/* What the store knows about a source. */
struct db_source {
	char name[64];
	char format[24];
	char url[SHEET_URL_MAX + 1];
	int64_t priority;
	char last_fetch[32];
	int64_t http_status;  /* 0 when none */
	char etag[256];
	char last_modified[128];
	char sha256[65];
	int64_t models;       /* keys priced by the last good sheet; -1 when none */
	int64_t periods;      /* price_periods rows of this source */
	char current_to[11];  /* the day of its last good fetch, "" when none */
};

/* 1 found, 0 unknown, -1 error. */
int db_source_get(struct lc_db *db, const char *name, struct db_source *out, struct lc_err *err);

/* Call fn for every source, by priority then name. */
int db_sources_each(struct lc_db *db, int (*fn)(void *ctx, const struct db_source *s), void *ctx,
		    struct lc_err *err);

/* Set a source's priority (lower wins); LC_EDATA when the source is unknown. */
int db_source_set_priority(struct lc_db *db, const char *name, int64_t priority,
			   struct lc_err *err);

struct sheet_ingest_opts {
	const char *source;       /* sources.name */
	const char *format;
	const char *url;          /* URL or path the sheet came from */
	int64_t priority;         /* for a source seen for the first time */
	int force;                /* accept a sheet that lost half its models, or >5% unusable */
	const char *fetched_at;   /* RFC 3339 instant */
	const char *today;        /* YYYY-MM-DD, the snapshot date unless the sheet has its own */
	long http_status;         /* 0 for a file */
	const char *etag, *last_modified;
	const char *sha256;
	size_t bytes;
};

#define REPORT_NAMES 512

struct sheet_ingest_report {
	char snapshot[11];        /* the date changes were dated */
	size_t keys;              /* distinct keys priced in the sheet */
	size_t offerings;         /* distinct (model, host) written or checked */
	size_t added, changed, unchanged;
	size_t rows_added, rows_closed, rows_deleted;
	size_t new_models;
	char new_model_names[REPORT_NAMES];
	size_t folded;            /* keys whose offering another key of the sheet priced */
	size_t mode_skipped;      /* entries whose mode differs from the model's: skipped */
	size_t not_seen;          /* offerings of this source at the sheet's hosts it no longer lists */
	size_t builtin_conflicts; /* offerings of this source whose price differs from the
				     built-in data's on some date (db_price_conflicts) */
};

/*
 * The validators (ETag, Last-Modified; allocated, NULL when the server gave
 * none) the server sent for url with the sheet source still holds.  1 found,
 * 0 none (fetch unconditionally), -1 error.  A good ingest keeps them per
 * URL (db_sheet_ingest, from o->etag and o->last_modified).
 */
int db_fetch_validators(struct lc_db *db, const char *source, const char *url, char **etag,
			char **last_modified, struct lc_err *err);

/*
 * Validate s and write it.  Rejections (LC_EDATA, nothing written): no
 * priced entry, more than 5% of entries unusable, fewer than half the keys
 * of the source's last good sheet from o->url, or, from a URL new to the
 * source, fewer than half the offerings it last listed at the hosts s names
 * (both unless o->force): one source may take several files (llm-prices'
 * per-vendor ones).  rep->not_seen counts only at the hosts s names.
 * Records the fetch in sources and fetches.  0 or -1.
 */
int db_sheet_ingest(struct lc_db *db, const struct sheet *s, const struct sheet_ingest_opts *o,
		    struct sheet_ingest_report *rep, struct lc_err *err);

/*
 * Record a fetch that changed no price (result "not-modified", "rejected: ...",
 * "error: ..."): adds a fetches row and updates the source's last_fetch and
 * http_status; nothing else (the source's url, format and validators stay
 * those of the sheet it holds).  A source the store does not know is not
 * created (nothing is recorded).  0 or -1.
 */
int db_sheet_record(struct lc_db *db, const struct sheet_ingest_opts *o, const char *result,
		    struct lc_err *err);

/* One side of a disagreement: a source's base-tier price on the range. */
struct db_conflict_side {
	char source[64];
	char url[SHEET_URL_MAX + 1];    /* the row's own URL, else the source's; "" = none */
	int64_t priority;
	char from[11], to[11];          /* the source's period ("" to = open) */
	int64_t input, output, cache_read; /* nano-USD per 1M tokens; LC_NONE = not given */
};

/* Two sources pricing one offering differently over one date range. */
struct db_conflict {
	char model[LC_ID_MAX];
	char host[LC_ID_MAX];
	char from[11];                  /* inclusive */
	char to[11];                    /* exclusive; "" = open */
	char fields[96];                /* the prices that differ: "input,output" */
	struct db_conflict_side win, lose; /* win: of the two, the one read on these dates */
};

/*
 * The date the built-in data is current to (BUILTIN_DATE in db.h: the
 * store's copy of db_builtin_data_date()) into out (11 bytes); "" when the built-in
 * data prices nothing.  0 or -1.
 */
int db_builtin_current_to(struct lc_db *db, char *out, struct lc_err *err);

/*
 * Call fn for every disagreement: two sources whose base-tier periods of one
 * offering overlap and that both give, and differ on, one of the input,
 * output, cached-input or cache-write prices, over the dates both cover;
 * the winner by the rule of db_price.c.  By model, host, date.  fn returns
 * non-zero to stop.  The count of calls, or -1.
 */
int db_price_conflicts(struct lc_db *db, int (*fn)(void *ctx, const struct db_conflict *c),
		       void *ctx, struct lc_err *err);

/*
 * Stores written before sheets' undated prices were dated (see
 * db_sheet_ingest) may hold sheet prices from 0000-01-01: give each the
 * start the rule gives it now (the model's release when known, else the
 * day the row was fetched), removing a period that ended before that.
 * With first_seen, also move a source's first price of an offering, dated
 * when llmcost saw it, to the model's release when the catalogue knows an
 * earlier one.  Idempotent; db_open runs it (first_seen when the built-in
 * data was just loaded, the only other way a release becomes known), and
 * db_sheet_ingest runs the same statements in its transaction.  Nothing to
 * do costs one read (~0.3 ms without first_seen over 4,000 offerings); a
 * read-only store is left as it is.  1 repaired, 0 nothing to do, -1 error.
 */
int db_sheet_repair_dates(struct lc_db *db, int first_seen, struct lc_err *err);

#endif

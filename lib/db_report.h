/*
 * db_report.h - the store queries behind the reports and charts
 * (report/collapse.c, report/html.c): the dates on which the price picture
 * changes, and provider display names.  Implemented in lib/db_report.c.
 */
#ifndef LC_DB_REPORT_H
#define LC_DB_REPORT_H

#include <stddef.h>

#include "db.h"

/* Called once per date (YYYY-MM-DD); non-zero stops (and is returned). */
typedef int (*db_date_fn)(void *ctx, const char *date);

/* One base or tier row of a chat model's price at its default host. */
struct db_period {
	const char *model, *host, *maker;
	const char *family;      /* the model's family, or its id when it has none */
	int64_t priority, source_id, min_input_tokens;
	const char *from, *to;   /* effective_from, effective_to ("" = open) */
	int64_t input, output;   /* LC_NONE when NULL */
};
typedef int (*db_period_fn)(void *ctx, const struct db_period *p);

/*
 * Every price period that db_offerings_at(db, d, NULL, source,
 * DB_OFFER_DEFAULT_HOSTS [| DB_OFFER_RETIRED when include_retired], ...)
 * chooses from on some date d (chat models at their default host, under
 * `source` or any source when NULL), each cut to the days its model was
 * available unless include_retired, in the order it reads them: by model,
 * host, source priority, source id, latest start and min_input_tokens.  One
 * query for the whole history, so a report can follow the price picture
 * from date to date in memory instead of querying every offering again on
 * each date.  The strings are valid during the call only.  fn's non-zero
 * stops (and is returned).  Returns the count, or -1 with err.
 */
int db_report_periods(struct lc_db *db, const char *source, int include_retired,
		      db_period_fn fn, void *ctx, struct lc_err *err);

/* One model's row in a leaderboard snapshot; "" for a NULL column. */
struct db_quality_row {
	const char *name;          /* the leaderboard's name for the model */
	const char *organization;
	const char *model_id;      /* the catalogue's model, "" when none */
	const char *score;         /* decimal text as SQLite renders the REAL */
	const char *source_url;
};
typedef int (*db_quality_row_fn)(void *ctx, const struct db_quality_row *r);

/*
 * Every row of snapshot `snapshot` (exactly; see db_quality_snapshot for
 * choosing one) of `benchmark`, highest score first, then by name.  The
 * strings are valid during the call only.  fn's non-zero stops (and is
 * returned).  Returns the count, or -1 with err.
 */
int db_quality_rows(struct lc_db *db, const char *benchmark, const char *snapshot,
		    db_quality_row_fn fn, void *ctx, struct lc_err *err);

/*
 * The display name of provider `id` (providers.name) into out[n]; the id
 * itself when the provider is unknown.  Returns 0 or -1 with err.
 */
int db_provider_name(struct lc_db *db, const char *id, char *out, size_t n, struct lc_err *err);

#endif

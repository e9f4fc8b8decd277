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

/*
 * Every date d with from < d <= to on which a base-tier price period (of a
 * chat model at its default host, under `source` or any source when NULL)
 * starts or ends, a quality score of `benchmark` is dated, or a model is
 * released or retired (model_lifecycle), ascending and without repeats.  Returns the count, or -1 with err.
 */
int db_report_change_dates(struct lc_db *db, const char *from, const char *to,
			   const char *source, const char *benchmark, db_date_fn fn, void *ctx,
			   struct lc_err *err);

/*
 * The display name of provider `id` (providers.name) into out[n]; the id
 * itself when the provider is unknown.  Returns 0 or -1 with err.
 */
int db_provider_name(struct lc_db *db, const char *id, char *out, size_t n, struct lc_err *err);

#endif

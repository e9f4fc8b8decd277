/*
 * db_plan.h - subscription plans (the plans table, schema version 9): a
 * vendor's flat monthly price for a plan over dated periods, from
 * data/plans.csv (and any rows a user adds with another origin).
 */
#ifndef LC_DB_PLAN_H
#define LC_DB_PLAN_H

#include <stdint.h>

#include "db.h"
#include "err.h"
#include "price.h"

struct lc_plan {
	char id[LC_ID_MAX];
	char vendor[LC_ID_MAX];
	char name[LC_ID_MAX];
	int64_t monthly;            /* nano-USD a month */
	char from[11], to[11];      /* [from, to); to "" while open */
	char source_url[LC_URL_MAX];
	char note[512];
	char origin[32];
};

typedef int (*db_plan_fn)(void *ctx, const struct lc_plan *p);

/*
 * Call fn for every period of plan id (NULL: every plan), by id then
 * valid_from; fn returns non-zero to stop.  The number of periods seen, or
 * -1 with err.
 */
int db_plans(struct lc_db *db, const char *id, db_plan_fn fn, void *ctx, struct lc_err *err);

#endif

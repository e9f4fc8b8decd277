/*
 * budget.h - monthly budgets checked against the month's spend so far
 * (`llmcost budget status`): the spend of the month to date, priced as the
 * usage report prices it, the daily burn rate and the forecast to the end
 * of the month.  Exact: nano-USD in 128 bits, one half-even rounding each.
 */
#ifndef LC_BUDGET_H
#define LC_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "db.h"
#include "err.h"
#include "money.h"
#include "usage_report.h"

struct budget_line {
	char *scope;                /* as stored; "" = all usage (owned) */
	int64_t monthly;            /* the budget, nano-USD */
	lc_i128 month_to_date;      /* nano-USD of the priced usage, first of month to today */
	lc_i128 daily_rate;         /* month_to_date / day, half-even */
	lc_i128 forecast;           /* month_to_date x days / day, half-even */
	lc_i128 pct_spent;          /* month_to_date / monthly in percent x 10^9 */
	lc_i128 pct_forecast;       /* forecast / monthly in percent x 10^9 */
	int over;                   /* forecast > monthly */
	lc_i128 unpriced_records;
};

struct budget_status {
	char month[8];              /* "YYYY-MM" of today */
	int day, days;              /* today's day of the month; days in the month */
	struct budget_line *v;      /* by scope */
	size_t n;
	int over_any;               /* some line is over */
};

/*
 * A budget's scope (the budgets table's key): "" all usage, "user:" NAME
 * the usage of user NAME (schema version 10), else a project (whose name
 * never starts "user:": `budget set --project` refuses one).
 */
#define BUDGET_USER_PREFIX "user:"
/* The scope of user's budget into buf (n bytes): buf, or NULL when it does not fit. */
char *budget_user_scope(char *buf, size_t n, const char *user);
/* The user a scope names, or NULL when it is all usage or a project's. */
const char *budget_scope_user(const char *scope);

/*
 * The forecast of a month with month_to_date spent by day `day` of `days`
 * (1 <= day <= days) against monthly (> 0) into l's figures
 * (daily_rate .. over); l's scope, month_to_date and unpriced_records are
 * the caller's.
 */
void budget_forecast(struct budget_line *l, int64_t monthly, lc_i128 month_to_date, int day,
		     int days);

/*
 * Every stored budget checked on the date `now` falls on in zone tz (NULL
 * = UTC): the month to date is the usage report's total for the scope
 * (o.project, or o.user for a user's scope) from the first of the month to today, priced by price.
 * Returns 0 (out->n == 0 when no budget is set) or -1 with err; free with
 * budget_status_free.
 */
int budget_status_run(struct lc_db *db, const char *tz, lc_ms now, usage_price_fn price,
		      struct budget_status *out, struct lc_err *err);
/* The same with the month to date counted in cost_mode (enum
   usage_cost_mode; budget_status_run: UC_CALCULATED). */
int budget_status_run_mode(struct lc_db *db, const char *tz, lc_ms now, usage_price_fn price,
			   int cost_mode, struct budget_status *out, struct lc_err *err);
void budget_status_free(struct budget_status *s);

#endif

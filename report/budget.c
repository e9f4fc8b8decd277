/*
 * budget.c - see budget.h.  Moved out of cmd/budget.c (cmd/ parses and
 * prints; the month's arithmetic lives here, beside the usage report it
 * reads, and is unit-tested in tests/unit/test_budget.c).
 */
#include "budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_usage.h"

static int collect(void *ctx, const char *scope, int64_t monthly)
{
	struct budget_status *l = ctx;
	struct budget_line *nv = xrealloc(l->v, (l->n + 1) * sizeof(*nv));

	l->v = nv;
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].scope = xstrdup(scope);
	l->v[l->n].monthly = monthly;
	l->n++;
	return 0;
}

void budget_status_free(struct budget_status *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].scope);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

char *budget_user_scope(char *buf, size_t n, const char *user)
{
	int k = snprintf(buf, n, "%s%s", BUDGET_USER_PREFIX, user);

	return k < 0 || (size_t)k >= n ? NULL : buf;
}

const char *budget_scope_user(const char *scope)
{
	size_t k = strlen(BUDGET_USER_PREFIX);

	return strncmp(scope, BUDGET_USER_PREFIX, k) ? NULL : scope + k;
}

void budget_forecast(struct budget_line *l, int64_t monthly, lc_i128 month_to_date, int day,
		     int days)
{
	/* exact: burn = mtd / days so far; forecast = burn x days in month */
	l->daily_rate = money_div_half_even(month_to_date, day);
	l->forecast = money_muldiv(month_to_date, days, day);
	l->over = l->forecast > monthly;
	/* percent with nine decimals: value x 100 in units of 1e-9 */
	l->pct_spent = money_muldiv(month_to_date, (lc_i128)100 * LC_NANO, monthly);
	l->pct_forecast = money_muldiv(l->forecast, (lc_i128)100 * LC_NANO, monthly);
}

int budget_status_run(struct lc_db *db, const char *tz, lc_ms now, usage_price_fn price,
		      struct budget_status *out, struct lc_err *err)
{
	return budget_status_run_mode(db, tz, now, price, UC_CALCULATED, out, err);
}

int budget_status_run_mode(struct lc_db *db, const char *tz, lc_ms now, usage_price_fn price,
			   int cost_mode, struct budget_status *out, struct lc_err *err)
{
	lc_date today, first;
	int y, m, rc;

	memset(out, 0, sizeof(*out));
	if (ts_date_in_zone(now, tz, &today, err))
		return -1;
	date_to_ymd(today, &y, &m, &out->day);
	out->days = days_in_month(y, m);
	first = date_from_ymd(y, m, 1);
	snprintf(out->month, sizeof(out->month), "%04d-%02d", y, m);
	rc = db_budget_list(db, collect, out, err);
	if (rc >= 0 && (size_t)rc != out->n) /* collect() stopped the list */
		rc = lc_errf(err, LC_ERUNTIME, "out of memory");
	if (rc < 0) {
		budget_status_free(out);
		return -1;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct budget_line *l = &out->v[i];
		struct usage_report_opts o;
		struct usage_report r;

		memset(&o, 0, sizeof(o));
		o.group = UG_MONTH;
		o.tz = tz;
		o.has_since = o.has_until = 1;
		o.since = first;
		o.until = today;
		o.user = budget_scope_user(l->scope);
		o.project = l->scope[0] && !o.user ? l->scope : NULL;
		o.price = price;
		o.cost_mode = cost_mode;
		if (usage_report_run(db, &o, &r, err)) {
			budget_status_free(out);
			return -1;
		}
		l->month_to_date = r.total.cost;
		l->unpriced_records = r.total.unpriced_records;
		budget_forecast(l, l->monthly, l->month_to_date, out->day, out->days);
		out->over_any |= l->over;
		usage_report_release(&r);
	}
	return 0;
}

/*
 * test_budget.c - the month's forecast (report/budget.c): exact burn rate
 * and forecast with half-even rounding, the over threshold, the percents;
 * and budget_status_run on a store: only the month to date counts (not the
 * month before, nor after today), a project budget sums only its project,
 * and every figure comes through the pricing function handed in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "budget.h"
#include "db.h"
#include "db_usage.h"
#include "harness.h"
#include "store.h"

static const struct {
	lc_i128 mtd;
	int64_t monthly;
	int day, days;
	lc_i128 rate, forecast, pct_spent, pct_forecast;
	int over;
} cases[] = {
	/* $6.0005 by day 20 of 30 against $15 */
	{ 6000500000, 15000000000, 20, 30, 300025000, 9000750000, 40003333333, 60005000000, 0 },
	/* half-even: 2.5 -> 2, 3.5 -> 4 */
	{ 5, 1000, 2, 2, 2, 5, 500000000, 500000000, 0 },
	{ 7, 1000, 2, 2, 4, 7, 700000000, 700000000, 0 },
	/* 10 x 31 / 3 = 103.33 -> 103 */
	{ 10, 103, 3, 31, 3, 103, 9708737864, 100000000000, 0 },
	/* a forecast of exactly the budget is not over; one nano-USD more is */
	{ 10, 103, 3, 31, 3, 103, 9708737864, 100000000000, 0 },
	{ 10, 102, 3, 31, 3, 103, 9803921569, 100980392157, 1 },
	/* nothing spent: nothing forecast */
	{ 0, 1, 1, 28, 0, 0, 0, 0, 0 },
	/* the last day: the forecast is the month to date */
	{ 123456789, 100000000, 31, 31, 3982477, 123456789, 123456789000, 123456789000, 1 },
};

TEST(forecast_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct budget_line l;

		memset(&l, 0, sizeof(l));
		budget_forecast(&l, cases[i].monthly, cases[i].mtd, cases[i].day, cases[i].days);
		CHECK_INT(l.daily_rate, cases[i].rate);
		CHECK_INT(l.forecast, cases[i].forecast);
		CHECK_INT(l.pct_spent, cases[i].pct_spent);
		CHECK_INT(l.pct_forecast, cases[i].pct_forecast);
		CHECK_INT(l.over, cases[i].over);
	}
}

/* A pricer independent of the billing rules: 1000 nano-USD per token;
   a model named "free" cannot be priced. */
static int stub_price(const struct lc_offering *o, const struct lc_usage_row *u, lc_i128 *cost,
		      const char **why)
{
	*why = NULL;
	if (!strcmp(u->model_raw, "gpt-4o-mini-free")) {
		*why = "stub: not priced";
		return 0;
	}
	*cost = (lc_i128)(u->input + u->output) * 1000;
	return 1;
}

static void put(struct lc_db *db, const char *key, const char *ts, const char *project,
		const char *model, int64_t input)
{
	struct lc_usage_rec r;
	struct lc_err err = { 0 };

	memset(&r, 0, sizeof(r));
	snprintf(r.key, sizeof(r.key), "t:%s", key);
	CHECK_INT(ts_parse(ts, strlen(ts), &r.ts_ms, &err), 0);
	r.format = "test";
	LC_COPY(r.model_raw, model);
	snprintf(r.model, sizeof(r.model), "gpt-4o-mini");
	snprintf(r.host, sizeof(r.host), "openai");
	LC_COPY(r.project, project);
	r.input = input, r.output = 0, r.requests = 1;
	CHECK_INT(db_begin(db, &err), 0);
	CHECK(db_usage_insert(db, &r, &err) >= 0);
	CHECK_INT(db_commit(db, &err), 0);
}

TEST(status_on_a_store)
{
	char dir[] = "/tmp/llmcost-budget.XXXXXX", path[256];
	struct lc_db *db = NULL;
	struct lc_err err = { 0 };
	struct budget_status st;
	lc_ms now;

	if (!(db = new_store(dir, path, sizeof(path))))
		return;
	CHECK_INT(db_builtin_sync(db, &err), 0);
	/* no budget: an empty status */
	CHECK_INT(ts_parse("2025-02-20T12:00:00Z", 20, &now, &err), 0);
	CHECK_INT(budget_status_run(db, NULL, now, stub_price, &st, &err), 0);
	CHECK_INT(st.n, 0);
	CHECK_STR(st.month, "2025-02");
	CHECK_INT(st.day, 20);
	CHECK_INT(st.days, 28);
	budget_status_free(&st);

	put(db, "jan", "2025-01-31T23:00:00Z", "proj-a", "gpt-4o-mini", 1000000);
	put(db, "feb3", "2025-02-03T10:00:00Z", "proj-a", "gpt-4o-mini", 1000);
	put(db, "feb4", "2025-02-04T10:00:00Z", "/home/u/proj-b", "gpt-4o-mini", 3000);
	put(db, "feb20", "2025-02-20T11:00:00Z", "proj-b", "gpt-4o-mini", 16000);
	put(db, "free", "2025-02-20T11:30:00Z", "proj-a", "gpt-4o-mini-free", 5);
	put(db, "feb21", "2025-02-21T10:00:00Z", "proj-a", "gpt-4o-mini", 1000000);
	CHECK_INT(db_budget_set(db, "", 25000000, &err), 0);      /* $0.025 */
	CHECK_INT(db_budget_set(db, "proj-a", 2000000, &err), 0); /* $0.002 */
	CHECK_INT(db_budget_set(db, "proj-b", 40000000, &err), 0);

	CHECK_INT(budget_status_run(db, NULL, now, stub_price, &st, &err), 0);
	CHECK_INT(st.n, 3);
	if (st.n == 3) {
		/* all usage: 1000 + 3000 + 16000 tokens x 1000 = $0.02 by day 20 */
		CHECK_STR(st.v[0].scope, "");
		CHECK_INT(st.v[0].month_to_date, 20000000);
		CHECK_INT(st.v[0].daily_rate, 1000000);
		CHECK_INT(st.v[0].forecast, 28000000);
		CHECK_INT(st.v[0].over, 1);
		CHECK_INT(st.v[0].unpriced_records, 1);
		/* proj-a: 1000 tokens ($0.001); the unpriced record is counted apart */
		CHECK_STR(st.v[1].scope, "proj-a");
		CHECK_INT(st.v[1].month_to_date, 1000000);
		CHECK_INT(st.v[1].forecast, 1400000);
		CHECK_INT(st.v[1].over, 0);
		CHECK_INT(st.v[1].unpriced_records, 1);
		/* proj-b: its full path and its last folder name */
		CHECK_STR(st.v[2].scope, "proj-b");
		CHECK_INT(st.v[2].month_to_date, 19000000);
		CHECK_INT(st.v[2].unpriced_records, 0);
		CHECK_INT(st.v[2].over, 0);
	}
	CHECK_INT(st.over_any, 1);
	budget_status_free(&st);

	/* a month later (2025-03-01): nothing spent yet */
	CHECK_INT(ts_parse("2025-03-01T00:30:00Z", 20, &now, &err), 0);
	CHECK_INT(budget_status_run(db, NULL, now, stub_price, &st, &err), 0);
	CHECK_INT(st.n, 3);
	for (size_t i = 0; i < st.n; i++)
		CHECK_INT(st.v[i].month_to_date, 0);
	CHECK_INT(st.over_any, 0);
	budget_status_free(&st);
	/* in a zone 2 hours behind UTC it is still February 28: all of February,
	   the 21st included ((1000 + 3000 + 16000 + 1000000) x 1000) */
	CHECK_INT(budget_status_run(db, "America/Noronha", now, stub_price, &st, &err), 0);
	CHECK_STR(st.month, "2025-02");
	CHECK_INT(st.day, 28);
	if (st.n == 3)
		CHECK_INT(st.v[0].month_to_date, 1020000000);
	budget_status_free(&st);
	/* a bad zone is an error, nothing returned */
	CHECK_INT(budget_status_run(db, "Nowhere/Atlantis", now, stub_price, &st, &err), -1);
	CHECK_INT(st.n, 0);

	remove_store(db, dir);
}

int main(void)
{
	RUN(forecast_table);
	RUN(status_on_a_store);
	return harness_done();
}

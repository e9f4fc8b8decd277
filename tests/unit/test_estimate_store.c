/*
 * test_estimate_store.c - the estimator's source read from a store
 * (pricing/estimate_store.c) on the built-in data: the models named, in
 * strict mode (an unknown name is an error with its reason code) and not
 * (skipped), every model of one provider, and the quality scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "estimate_store.h"
#include "harness.h"
#include "store.h"

static struct lc_profile task(void)
{
	struct lc_profile p;

	profile_init(&p);
	p.input = 1000;
	p.output = 100;
	return p;
}

TEST(store_source)
{
	char dir[] = "/tmp/llmcost-est.XXXXXX", path[256];
	char *named[] = { "gpt-4o-mini", "gpt-9" }, *one[] = { "gpt-4o-mini" };
	struct est_store_opts all = { NULL, NULL, 0, 0 }, openai = { "openai", NULL, 0, 0 };
	struct lc_profile p = task();
	struct lc_db *db = NULL;
	struct lc_err err = { 0 };
	struct lc_ranking r;
	struct est_store st;

	if (!(db = new_store(dir, path, sizeof(path))))
		return;
	CHECK_INT(db_builtin_sync(db, &err), 0);

	/* one model named: its offering, priced, with its arena score */
	est_store_init(&st, db, &all, one, 1, 0, 1);
	CHECK_INT(st.src.strict, 1);
	CHECK_INT(estimate_at(&p, "2025-06-01", &st.src, NULL, LC_NONE, &r, &err), 0);
	CHECK_INT(r.n, 1);
	if (r.n == 1) {
		CHECK_STR(r.e[0].model, "gpt-4o-mini");
		CHECK_STR(r.e[0].host, "openai");
		/* 1000 x $0.15/M + 100 x $0.60/M */
		CHECK_INT(r.e[0].total.total, 210000);
		/* the 2025-03-28 leaderboard snapshot, the latest on or before 2025-06-01 */
		CHECK_STR(r.e[0].quality, "1272.0");
	}
	ranking_release(&r);
	est_store_release(&st);

	/* strict: a name the catalogue does not know fails with its reason */
	est_store_init(&st, db, &all, named, 2, 0, 1);
	CHECK_INT(estimate_at(&p, "2025-06-01", &st.src, NULL, LC_NONE, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK_INT(err.reason, LC_R_UNKNOWN_NAME);
	ranking_release(&r);
	est_store_release(&st);
	/* not strict (a series): the unknown name is skipped */
	err = (struct lc_err){ 0 };
	est_store_init(&st, db, &all, named, 2, 1, 0);
	CHECK_INT(estimate_at(&p, "2025-06-01", &st.src, NULL, LC_NONE, &r, &err), 0);
	CHECK_INT(r.n, 1);
	ranking_release(&r);
	est_store_release(&st);

	/* every model of one provider: several, each made by that maker or
	   sold by it (its offerings at other hosts included) */
	est_store_init(&st, db, &openai, NULL, 0, 0, 0);
	CHECK_INT(estimate_at(&p, "2025-06-01", &st.src, NULL, LC_NONE, &r, &err), 0);
	CHECK(r.n > 5);
	for (size_t i = 0; i < r.n; i++) {
		struct lc_model m;

		CHECK_INT(db_model_get(db, r.e[i].model, &m, &err), 1);
		if (strcmp(m.maker, "openai") && strcmp(r.e[i].host, "openai")) {
			CHECK_STR(m.maker, "openai");
			break;
		}
	}
	ranking_release(&r);
	/* the scores are cached per date: a second date reads them again */
	CHECK_INT(estimate_at(&p, "2024-06-01", &st.src, NULL, LC_NONE, &r, &err), 0);
	CHECK_STR(st.scores.date, "2024-06-01");
	ranking_release(&r);
	est_store_release(&st);

	remove_store(db, dir);
}

int main(void)
{
	RUN(store_source);
	return harness_done();
}

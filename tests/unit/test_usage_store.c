/*
 * test_usage_store.c - the record store's duplicate rules with the key
 * filter (lib/db_usage.c) built at the first lookup and rebuilt as it
 * fills, and two connections taking turns: a filter built before the other
 * connection committed must not be trusted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "db_usage.h"
#include "harness.h"

static struct lc_usage_rec rec(const char *group, const char *req, int sidechain)
{
	struct lc_usage_rec r;

	memset(&r, 0, sizeof(r));
	if (group) {
		snprintf(r.group, sizeof(r.group), "%s", group);
		snprintf(r.key, sizeof(r.key), "cc:%s:%s", group, req);
	} else {
		snprintf(r.key, sizeof(r.key), "openai:%s", req);
	}
	r.ts_ms = 1757000000000LL;
	r.format = "test";
	snprintf(r.model_raw, sizeof(r.model_raw), "m");
	r.input = 10, r.output = 5, r.requests = 1;
	r.sidechain = sidechain;
	return r;
}

/* db_usage_insert in a transaction of its own. */
static int put(struct lc_db *db, struct lc_usage_rec r)
{
	struct lc_err err = { 0 };
	int rc;

	if (db_begin(db, &err))
		return -1;
	rc = db_usage_insert(db, &r, &err);
	if (rc < 0 || db_commit(db, &err)) {
		fprintf(stderr, "put: %s\n", err.msg);
		return -1;
	}
	return rc;
}

static int64_t count(const char *path)
{
	char cmd[600];
	FILE *p;
	long long n = -1;

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'SELECT count(*) FROM usage_records'", path);
	if ((p = popen(cmd, "r"))) {
		if (fscanf(p, "%lld", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

TEST(filter_and_two_writers)
{
	char dir[] = "/tmp/llmcost-kf.XXXXXX", path[256], name[32];
	struct lc_db *a = NULL, *b = NULL;
	struct lc_err err = { 0 };
	int dups = 0, news = 0;

	setenv("LLMCOST_KEYFILTER", "1:64", 1);
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/s.db", dir);
	CHECK_INT(db_open(&a, path, &err), 0);
	CHECK_INT(db_open(&b, path, &err), 0);
	if (!a || !b)
		return;
	/* a builds its filter at its first lookup */
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "msg_%d", i);
		CHECK_INT(put(a, rec(name, "req", 0)), USAGE_NEW);
	}
	/* b stores records a's filter has never seen */
	CHECK_INT(put(b, rec("msg_b", "req", 0)), USAGE_NEW);
	CHECK_INT(put(b, rec(NULL, "resp_b", 0)), USAGE_NEW);
	/* a must find them: its filter is stale */
	CHECK_INT(put(a, rec("msg_b", "req", 0)), USAGE_DUP);
	CHECK_INT(put(a, rec(NULL, "resp_b", 0)), USAGE_DUP);
	CHECK_INT(put(a, rec("msg_b", "req2", 1)), USAGE_DUP); /* a sidechain replay */
	/* 600 more in one transaction: the filter fills and is rebuilt, larger,
	   several times; then every one of them again, and a replay of each */
	CHECK_INT(db_begin(a, &err), 0);
	for (int i = 0; i < 600; i++) {
		struct lc_usage_rec r;

		snprintf(name, sizeof(name), "grow_%d", i);
		r = rec(name, "r", 0);
		news += db_usage_insert(a, &r, &err) == USAGE_NEW;
	}
	for (int i = 0; i < 600; i++) {
		struct lc_usage_rec r;

		snprintf(name, sizeof(name), "grow_%d", i);
		r = rec(name, "r", 0);
		dups += db_usage_insert(a, &r, &err) == USAGE_DUP;
		r = rec(name, "r-side", 1);
		dups += db_usage_insert(a, &r, &err) == USAGE_DUP;
	}
	CHECK_INT(db_commit(a, &err), 0);
	CHECK_INT(news, 600);
	CHECK_INT(dups, 1200);
	db_close(a);
	db_close(b);
	CHECK_INT(count(path), 10 + 2 + 600);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK_INT(system(cmd), 0);
	}
	unsetenv("LLMCOST_KEYFILTER");
}

int main(void)
{
	RUN(filter_and_two_writers);
	return harness_done();
}

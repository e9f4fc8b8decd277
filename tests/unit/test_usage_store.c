/*
 * test_usage_store.c - the record store's duplicate rules with the key
 * filter (lib/db_usage_rec.c) built at the first lookup and rebuilt as it
 * fills, and two connections taking turns: a filter built before the other
 * connection committed must not be trusted.  And the cache of usage_dims
 * ids: rows a ROLLBACK (TO) undid must not be used afterwards, nor lost
 * when the cache is emptied for room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "db_usage.h"
#include "harness.h"
#include "store.h"

static struct lc_usage_rec rec(const char *group, const char *req, int sidechain)
{
	struct lc_usage_rec r;

	memset(&r, 0, sizeof(r));
	if (group) {
		LC_COPY(r.group, group);
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

/* The integer the sqlite3 shell prints for sql (no single quotes in it). */
static int64_t query(const char *path, const char *sql)
{
	char cmd[1200];
	FILE *p;
	long long n = -1;

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' '%s'", path, sql);
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
	a = new_store(dir, path, sizeof(path));
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
	CHECK_INT(query(path, "SELECT count(*) FROM usage_records"), 10 + 2 + 600);
	remove_store(NULL, dir);
	unsetenv("LLMCOST_KEYFILTER");
}

static struct lc_usage_rec in_project(const char *req, const char *project, const char *session)
{
	struct lc_usage_rec r = rec(NULL, req, 0);

	LC_COPY(r.project, project);
	LC_COPY(r.session, session);
	return r;
}

TEST(attributes_after_rollback)
{
	char dir[] = "/tmp/llmcost-dims.XXXXXX", path[256], name[32];
	struct lc_db *db = NULL;
	struct lc_err err = { 0 };
	struct lc_usage_rec r;
	int news = 0;

	if (!(db = new_store(dir, path, sizeof(path))))
		return;
	/* new attributes inside a savepoint that is rolled back, then again */
	CHECK_INT(db_begin(db, &err), 0);
	r = in_project("a1", "p1", "s1");
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	CHECK_INT(db_savepoint(db, &err), 0);
	r = in_project("a2", "p2", "s2");
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	db_rollback_to(db);
	r = in_project("a3", "p2", "s2");
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	CHECK_INT(db_commit(db, &err), 0);
	/* and inside a transaction that is rolled back */
	CHECK_INT(db_begin(db, &err), 0);
	r = in_project("b1", "p3", "s3");
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	db_rollback(db);
	CHECK_INT(db_begin(db, &err), 0);
	r = in_project("b2", "p3", "s3");
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	CHECK_INT(db_commit(db, &err), 0);
	/* more distinct attributes than the cache holds, then the first again */
	CHECK_INT(db_begin(db, &err), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		r = in_project(name, "p4", name);
		news += db_usage_insert(db, &r, &err) == USAGE_NEW;
	}
	r = in_project("c-again", "p4", "c0");
	news += db_usage_insert(db, &r, &err) == USAGE_NEW;
	CHECK_INT(db_commit(db, &err), 0);
	CHECK_INT(news, 5001);
	db_close(db);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_records"), 3 + 5001);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_records WHERE project = \"p2\""), 1);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_records WHERE project = \"p3\""), 1);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_records WHERE session = \"c0\""), 2);
	CHECK_INT(query(path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* one usage_dims row per distinct attributes: no row twice */
	CHECK_INT(query(path, "SELECT count(*) FROM usage_dims WHERE format <> \"\""), 3 + 5000);
	CHECK_INT(query(path, "SELECT sum(records) FROM usage_rollup WHERE project = \"p2\""), 1);
	CHECK_INT(query(path, "SELECT sum(records) FROM usage_totals"), 3 + 5001);
	remove_store(NULL, dir);
}

/* db_usage_insert in the open transaction. */
static int add(struct lc_db *db, struct lc_usage_rec r)
{
	struct lc_err err = { 0 };
	int rc = db_usage_insert(db, &r, &err);

	if (rc < 0)
		fprintf(stderr, "add: %s\n", err.msg);
	return rc;
}

/*
 * New records wait in memory and go in 32 to a statement: the duplicate
 * rules must hold while a copy is still waiting (answered from memory, or
 * written first and looked up), after it was written, and across the
 * batch's edge; nothing waits past COMMIT.
 */
static void waiting_records(void)
{
	char dir[] = "/tmp/llmcost-wait.XXXXXX", path[256], name[32];
	struct lc_db *db = NULL;
	struct lc_err err = { 0 };
	struct lc_usage_rec r;
	int dups = 0, news = 0;

	if (!(db = new_store(dir, path, sizeof(path))))
		return;
	CHECK_INT(db_begin(db, &err), 0);
	/* a sidechain copy first: the parent's copy takes over, then is kept */
	CHECK_INT(add(db, rec("msg_s", "req1", 1)), USAGE_NEW);
	CHECK_INT(add(db, rec("msg_s", "req1", 0)), USAGE_REPLACED);
	CHECK_INT(add(db, rec("msg_s", "req1", 1)), USAGE_DUP);
	CHECK_INT(add(db, rec("msg_s", "req1", 0)), USAGE_DUP);
	/* another request of the group, as a sidechain: the same response */
	CHECK_INT(add(db, rec("msg_s", "req2", 1)), USAGE_DUP);
	/* a sidechain copy under another request id, then the parent's: the
	   parent takes over the waiting record */
	CHECK_INT(add(db, rec("msg_w", "req_side", 1)), USAGE_NEW);
	CHECK_INT(add(db, rec("msg_w", "req_main", 0)), USAGE_REPLACED);
	CHECK_INT(add(db, rec("msg_w", "req_side2", 1)), USAGE_DUP);
	/* more tokens win; then speed, at equal tokens */
	r = rec("msg_t", "req1", 0);
	CHECK_INT(add(db, r), USAGE_NEW);
	r.output = 50;
	CHECK_INT(add(db, r), USAGE_REPLACED);
	r.output = 5;
	CHECK_INT(add(db, r), USAGE_DUP);
	r = rec("msg_v", "req1", 0);
	CHECK_INT(add(db, r), USAGE_NEW);
	snprintf(r.speed, sizeof(r.speed), "fast");
	CHECK_INT(add(db, r), USAGE_REPLACED);
	CHECK_INT(add(db, r), USAGE_DUP);
	/* a key without a group: the first copy stays, unless it replaces */
	r = rec(NULL, "o1", 0);
	CHECK_INT(add(db, r), USAGE_NEW);
	r.output = 7;
	CHECK_INT(add(db, r), USAGE_DUP);
	r.replace = 1;
	CHECK_INT(add(db, r), USAGE_REPLACED);
	CHECK_INT(add(db, r), USAGE_DUP);
	/* 70 more, each seen again at once and after the others: written in
	   batches of 32 and the rest waiting */
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "req%d", i);
		news += add(db, rec("msg_many", name, 0)) == USAGE_NEW;
		dups += add(db, rec("msg_many", name, 0)) == USAGE_DUP;
	}
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "req%d", i);
		dups += add(db, rec("msg_many", name, i % 2)) == USAGE_DUP;
	}
	CHECK_INT(news, 70);
	CHECK_INT(dups, 140);
	CHECK_INT(db_commit(db, &err), 0);
	/* after the COMMIT nothing waits: all are stored and still found */
	CHECK_INT(query(path, "SELECT count(*) FROM usage_calls"), 5 + 70);
	CHECK_INT(put(db, rec("msg_many", "req69", 0)), USAGE_DUP);
	CHECK_INT(put(db, rec("msg_s", "req1", 1)), USAGE_DUP);
	db_close(db);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_calls"), 5 + 70);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_records WHERE natural_key = "
			      "\"cc:msg_w:req_main\" AND sidechain = 0"), 1);
	CHECK_INT(query(path, "SELECT sidechain FROM usage_records WHERE natural_key = "
			      "\"cc:msg_s:req1\""), 0);
	CHECK_INT(query(path, "SELECT output FROM usage_records WHERE natural_key = "
			      "\"cc:msg_t:req1\""), 50);
	CHECK_INT(query(path, "SELECT speed = \"fast\" FROM usage_records WHERE natural_key = "
			      "\"cc:msg_v:req1\""), 1);
	CHECK_INT(query(path, "SELECT output FROM usage_records WHERE natural_key = "
			      "\"openai:o1\""), 7);
	/* the rollups count each record once, with its final counts */
	CHECK_INT(query(path, "SELECT sum(records) FROM usage_totals"), 5 + 70);
	CHECK_INT(query(path, "SELECT sum(output) FROM usage_rollup"), 5 + 5 + 50 + 5 + 7 + 70 * 5);
	remove_store(NULL, dir);
}

/* With the key filter built at the first lookup (it then answers "none of
   the group is stored" while copies wait) and with none. */
TEST(copies_of_waiting_records)
{
	setenv("LLMCOST_KEYFILTER", "1:64", 1);
	waiting_records();
	unsetenv("LLMCOST_KEYFILTER");
	waiting_records();
}

/* A rollup row's sums are checked: past 2^63 a record is refused with
   LC_EDATA (in memory before the write, and by the store after it), never
   stored as a wrapped or rounded count; the store keeps what it had. */
TEST(rollup_sums_checked)
{
	char dir[] = "/tmp/llmcost-ovf.XXXXXX", path[256];
	struct lc_db *db = new_store(dir, path, sizeof(path));
	struct lc_usage_rec r;
	struct lc_err err = { 0 };

	if (!db)
		return;
	r = rec(NULL, "big1", 0);
	r.audio_output = INT64_MAX - 5;
	CHECK_INT(put(db, r), USAGE_NEW);
	/* in the same transaction: the in-memory sum overflows */
	r = rec(NULL, "big2", 0);
	r.audio_output = 10;
	CHECK_INT(db_begin(db, &err), 0);
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	r = rec(NULL, "big3", 0);
	r.audio_output = INT64_MAX - 5;
	CHECK_INT(db_usage_insert(db, &r, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK(strstr(err.msg, "out of range") != NULL);
	db_rollback(db);
	/* in a transaction of its own: the stored sum would overflow */
	memset(&err, 0, sizeof(err));
	r = rec(NULL, "big4", 0);
	r.audio_output = 10;
	CHECK_INT(db_begin(db, &err), 0);
	CHECK_INT(db_usage_insert(db, &r, &err), USAGE_NEW);
	CHECK_INT(db_commit(db, &err), -1);
	CHECK_INT(err.code, LC_EDATA);
	CHECK(strstr(err.msg, "out of range") != NULL);
	db_rollback(db);
	db_close(db);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_calls"), 1);
	CHECK_INT(query(path, "SELECT sum(audio_output) FROM usage_sums"), INT64_MAX - 5);
	CHECK_INT(query(path, "SELECT sum(audio_output) FROM usage_total_sums"), INT64_MAX - 5);
	remove_store(NULL, dir);
}

/* The rows of user (NULL: all) db_usage_scan reads, summing their input. */
static int sum_input(void *ctx, const struct lc_usage_row *u)
{
	*(int64_t *)ctx += u->input;
	return 0;
}

static int64_t input_of(struct lc_db *db, const char *user, int records)
{
	struct lc_usage_query q = { 0 };
	struct lc_err err = { 0 };
	int64_t n = 0;

	q.user = user;
	q.records = records;
	if (db_usage_scan(db, &q, sum_input, &n, &err) < 0)
		return -1;
	return n;
}

/*
 * Users (schema version 10): the same key under another user is a
 * duplicate (the first user keeps it); a replacing copy moves the record,
 * and its share of the rollup, to the user of the copy; a scan for one
 * user reads that user's rows alone, from the rollup as from the records.
 */
TEST(users)
{
	char dir[] = "/tmp/llmcost-user.XXXXXX", path[256];
	struct lc_db *db = new_store(dir, path, sizeof(path));
	struct lc_usage_rec r;

	if (!db)
		return;
	r = rec(NULL, "a1", 0);
	LC_COPY(r.user, "alice");
	CHECK_INT(put(db, r), USAGE_NEW);
	LC_COPY(r.user, "bob");
	CHECK_INT(put(db, r), USAGE_DUP);
	r = rec(NULL, "b1", 0);
	LC_COPY(r.user, "bob");
	r.input = 7;
	CHECK_INT(put(db, r), USAGE_NEW);
	r = rec(NULL, "g1", 0);
	LC_COPY(r.user, "alice");
	r.replace = 1;
	r.input = 100;
	CHECK_INT(put(db, r), USAGE_NEW);
	for (int records = 0; records < 2; records++) {
		CHECK_INT(input_of(db, "alice", records), 110);
		CHECK_INT(input_of(db, "bob", records), 7);
		CHECK_INT(input_of(db, NULL, records), 117);
		CHECK_INT(input_of(db, "carol", records), 0);
	}
	/* a grown copy read by bob: the record is bob's now */
	LC_COPY(r.user, "bob");
	r.input = 300;
	CHECK_INT(put(db, r), USAGE_REPLACED);
	for (int records = 0; records < 2; records++) {
		CHECK_INT(input_of(db, "alice", records), 10);
		CHECK_INT(input_of(db, "bob", records), 307);
		CHECK_INT(input_of(db, NULL, records), 317);
	}
	db_close(db);
	CHECK_INT(query(path, "SELECT count(*) FROM usage_dims WHERE user_name = \"alice\""), 2);
	CHECK_INT(query(path, "SELECT sum(input) FROM usage_total_sums"), 317);
	remove_store(NULL, dir);
}

int main(void)
{
	RUN(filter_and_two_writers);
	RUN(attributes_after_rollback);
	RUN(copies_of_waiting_records);
	RUN(rollup_sums_checked);
	RUN(users);
	return harness_done();
}

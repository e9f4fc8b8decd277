/*
 * migrate.c - `llmcost migrate FROM TO`: copy a store's usage and its own
 * catalogue into another store (SQLite to the PostgreSQL team store and
 * back, or between two files), then check that the totals agree.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "db_usage.h"
#include "json_out.h"
#include "money.h"

#define BATCH 20000 /* records per transaction */

struct mig {
	struct lc_db *w; /* where records go (db_usage_writer of the destination) */
	int64_t seen, added, dup, replaced, pending;
	struct lc_err *err;
};

/* what the team store found already stored (db_usage_push_stats) */
static void mig_counts(struct mig *m)
{
	int64_t dup, replaced;

	db_usage_push_stats(m->w, &dup, &replaced, NULL);
	m->added -= dup + replaced;
	m->dup += dup;
	m->replaced += replaced;
}

static int mig_commit(struct mig *m, int again)
{
	if (db_commit(m->w, m->err))
		return -1;
	mig_counts(m);
	m->pending = 0;
	return again ? db_begin(m->w, m->err) : 0;
}

static int mig_rec(void *ctx, const struct lc_usage_rec *r)
{
	struct mig *m = ctx;
	int rc = db_usage_insert(m->w, r, m->err);

	if (rc < 0)
		return -1;
	m->seen++;
	if (rc == USAGE_NEW)
		m->added++;
	else if (rc == USAGE_REPLACED)
		m->replaced++;
	else
		m->dup++;
	if (++m->pending >= BATCH && mig_commit(m, 1))
		return -1;
	return 0;
}

static int copy_usage(struct lc_db *from, struct lc_db *to, struct mig *m, struct lc_err *err)
{
	int rc;

	m->err = err;
	if (!(m->w = db_usage_writer(to, err)) || db_usage_ingest_mode(m->w, 1, err))
		return -1;
	if (db_begin(m->w, err))
		rc = -1;
	else if ((rc = db_usage_each_record(from, mig_rec, m, err)) != 0)
		db_rollback(m->w);
	else
		rc = mig_commit(m, 0);
	if (db_usage_push_wait(m->w, rc ? NULL : err)) /* the team store: the last commit sent */
		rc = -1;
	else
		mig_counts(m);
	if (db_usage_ingest_mode(m->w, 0, rc ? NULL : err))
		rc = -1;
	return rc ? -1 : 0;
}

static int same_total(const struct lc_usage_total *a, const struct lc_usage_total *b)
{
	return a->records == b->records && !memcmp(a->v, b->v, sizeof(a->v)) &&
	       a->logged_cost == b->logged_cost && a->logged_records == b->logged_records;
}

static int64_t tokens(const struct lc_usage_total *t)
{
	static const int tok[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11 };
	int64_t sum = 0;

	for (size_t i = 0; i < ARRAY_SIZE(tok); i++)
		sum += t->v[tok[i]];
	return sum;
}

/* The check: an empty destination must now hold exactly what the source
   holds; one with usage of its own, its old records plus the new ones. */
static int check(const struct lc_usage_total *src, const struct lc_usage_total *before,
		 const struct lc_usage_total *after, const struct mig *m, const char *to,
		 struct lc_err *err)
{
	if (before->records == 0 && !same_total(src, after))
		return lc_errf(err, LC_EDB,
			       "migrate: totals differ after the copy: '%s' holds %lld records and "
			       "%lld tokens, the source %lld and %lld",
			       to, (long long)after->records, (long long)tokens(after),
			       (long long)src->records, (long long)tokens(src));
	if (before->records > 0 && after->records != before->records + m->added)
		return lc_errf(err, LC_EDB,
			       "migrate: '%s' holds %lld records after adding %lld to %lld", to,
			       (long long)after->records, (long long)m->added,
			       (long long)before->records);
	return 0;
}

static void print_json(const char *from, const char *to, const struct mig *m, int cat,
		       int64_t rows, const struct lc_usage_total *after)
{
	struct json_out j;
	char b[64];

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "from"), json_str(&j, from);
	json_key(&j, "to"), json_str(&j, to);
	json_key(&j, "records_read"), json_int(&j, m->seen);
	json_key(&j, "records_added"), json_int(&j, m->added);
	json_key(&j, "duplicates"), json_int(&j, m->dup);
	json_key(&j, "replaced"), json_int(&j, m->replaced);
	json_key(&j, "catalogue_copied"), json_bool(&j, cat == 0);
	json_key(&j, "catalogue_rows"), json_int(&j, rows);
	json_key(&j, "total_records"), json_int(&j, after->records);
	json_key(&j, "total_tokens"), json_int(&j, tokens(after));
	json_key(&j, "total_logged_cost"), json_number(&j, money_format(b, sizeof(b), after->logged_cost, -1));
	json_key(&j, "checked"), json_bool(&j, 1);
	json_end(&j);
	fputc('\n', stdout);
}

static void print_text(const char *from, const char *to, const struct mig *m, int cat,
		       int64_t rows, const struct lc_usage_total *after)
{
	char b[64];

	printf("copied %lld of %lld records from %s to %s (%lld already there, %lld replaced a "
	       "stored copy)\n",
	       (long long)m->added, (long long)m->seen, from, to, (long long)m->dup,
	       (long long)m->replaced);
	if (cat == 0)
		printf("catalogue: %lld rows of prices, sources, models and budgets copied\n",
		       (long long)rows);
	else
		printf("catalogue: not copied: %s has prices or budgets of its own\n", to);
	printf("checked: %s now holds %lld records, %lld tokens, logged cost %s\n", to,
	       (long long)after->records, (long long)tokens(after),
	       money_format_usd(b, sizeof(b), after->logged_cost));
}

static int migrate(struct cmd_ctx *ctx, const char *from_path, const char *to_path)
{
	struct lc_err err = { 0 };
	struct lc_db *from = NULL, *to = NULL;
	struct lc_usage_total src, before, after;
	struct mig m = { 0 };
	char fname[600], tname[600];
	int64_t rows = 0;
	int cat = 1, rc = -1;

	if (db_open(&from, from_path, &err) || db_open(&to, to_path, &err))
		goto out;
	LC_COPY(fname, db_name(from));
	LC_COPY(tname, db_name(to));
	if (db_usage_grand_total(from, &src, &err) || db_usage_grand_total(to, &before, &err) ||
	    (cat = db_catalogue_copy(from, to, &rows, &err)) < 0 || copy_usage(from, to, &m, &err))
		goto out;
	/* read the destination afresh: the team store's cache brings in what
	   the server now holds */
	db_close(to);
	to = NULL;
	if (db_open(&to, to_path, &err) || db_usage_grand_total(to, &after, &err) ||
	    check(&src, &before, &after, &m, tname, &err))
		goto out;
	if (ctx->fmt == LC_FMT_JSON)
		print_json(fname, tname, &m, cat, rows, &after);
	else
		print_text(fname, tname, &m, cat, rows, &after);
	rc = 0;
out:
	db_close(from);
	db_close(to);
	return rc ? cmd_fail(&err) : 0;
}

int cmd_migrate(int argc, char **argv, struct cmd_ctx *ctx)
{
	int code = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost migrate FROM TO [--json]\n"
			 "\n"
			 "Copy the usage records of store FROM, and its own catalogue (price\n"
			 "sheets, the models and sources they brought, plans, budgets; never the\n"
			 "built-in data), into store TO, then check the totals: a TO without usage\n"
			 "must end with exactly FROM's records, tokens and logged cost; a TO with\n"
			 "usage of its own, with its old records plus the ones added.  Each store\n"
			 "is a file or a PostgreSQL connection string (see \"Team store\" in the\n"
			 "README), so this moves a laptop's history into the team store and back.\n"
			 "Records TO already holds count once (the duplicate rules of `ingest\n"
			 "usage`).  The catalogue is copied only into a store without one of its\n"
			 "own.  Resume points are not copied: the first `ingest usage` into TO reads\n"
			 "the logs again and adds nothing twice.\n"
			 "\n"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON, "one JSON object with the counts"),
		OPT_END(),
	};

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc != 3)
		return cmd_usage(ctx, argc < 3 ? "migrate needs FROM and TO"
					       : "unexpected argument '%s'", argv[argc > 3 ? 3 : 0]);
	if (!strcmp(argv[1], argv[2]))
		return cmd_usage(ctx, "FROM and TO are the same store");
	return migrate(ctx, argv[1], argv[2]);
}

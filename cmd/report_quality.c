/*
 * report_quality.c - `llmcost report quality`: one leaderboard snapshot's
 * scores, every model it ranks (with or without an API price), optionally
 * only those scoring above a model or a score, with the count of models and
 * organisations ("by the end of 2024, 76 models from 18 organisations scored
 * above the original GPT-4").  Scores of one snapshot only: Elo scales of two
 * snapshots differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "collapse_table.h"
#include "date.h"
#include "db_report.h"
#include "json_out.h"
#include "money.h"
#include "report.h"

struct rq_row {
	char *name, *org, *model, *score, *url;
};

struct rq {
	struct rq_row *v;
	size_t n, cap;
	int oom;
};

static char *dup_or_oom(struct rq *q, const char *s)
{
	char *d = xstrdup(s);

	return d;
}

/* db_quality_rows' callback: keep a copy of each row. */
static int keep_row(void *ctx, const struct db_quality_row *r)
{
	struct rq *q = ctx;
	struct rq_row *x;

	if (q->n == q->cap) {
		size_t nc = q->cap ? q->cap * 2 : 256;
		struct rq_row *nv = xrealloc(q->v, nc * sizeof(*nv));

		q->v = nv;
		q->cap = nc;
	}
	x = &q->v[q->n++];
	x->name = dup_or_oom(q, r->name);
	x->org = dup_or_oom(q, r->organization);
	x->model = dup_or_oom(q, r->model_id);
	x->score = dup_or_oom(q, r->score);
	x->url = dup_or_oom(q, r->source_url);
	return q->oom;
}

static void rq_release(struct rq *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->v[i].name);
		free(q->v[i].org);
		free(q->v[i].model);
		free(q->v[i].score);
		free(q->v[i].url);
	}
	free(q->v);
}

/* Score text as an integer x 10^6; -1 when it is not a number. */
static int score_of(const char *s, int64_t *v)
{
	return (s && *s && !money_parse(s, strlen(s), 6, v, NULL, NULL)) ? 0 : -1;
}

/* The row --above names: a leaderboard name (any case), else a catalogue
   model id, else a spelling db_resolve knows; NULL when none. */
static const struct rq_row *find_row(struct lc_db *db, const struct rq *q, const char *arg,
				     const char *date)
{
	struct lc_resolved res;
	struct lc_err err = { 0 };

	for (size_t i = 0; i < q->n; i++)
		if (!strcasecmp(q->v[i].name, arg))
			return &q->v[i];
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->v[i].model, arg))
			return &q->v[i];
	memset(&res, 0, sizeof(res));
	if (db_resolve(db, arg, date, &res, &err))
		return NULL;
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->v[i].model, res.model))
			return &q->v[i];
	return NULL;
}

/* The distinct non-empty organisations of rows[0..n) whose keep[] is set. */
static size_t count_orgs(const struct rq *q, const char *keep)
{
	size_t k = 0;

	for (size_t i = 0; i < q->n; i++) {
		size_t j;

		if (!keep[i] || !q->v[i].org[0])
			continue;
		for (j = 0; j < i; j++)
			if (keep[j] && !strcmp(q->v[j].org, q->v[i].org))
				break;
		if (j == i)
			k++;
	}
	return k;
}

static void print_json(const struct rq *q, const char *keep, const char *benchmark,
		       const char *snap, const struct rq_row *above, const char *bar, size_t count,
		       size_t orgs)
{
	struct json_out j;
	char buf[64];

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "benchmark");
	json_str(&j, benchmark);
	json_key(&j, "snapshot");
	json_str(&j, snap[0] ? snap : NULL);
	json_key(&j, "above");
	if (bar) {
		json_begin_object(&j);
		json_key(&j, "name");
		json_str(&j, above ? above->name : NULL);
		json_key(&j, "model");
		json_str(&j, above && above->model[0] ? above->model : NULL);
		json_key(&j, "score"); /* checked decimal text (score_of) */
		json_number(&j, collapse_score_text(buf, sizeof(buf), bar));
		json_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "count");
	json_uint(&j, count);
	json_key(&j, "organizations");
	json_uint(&j, orgs);
	json_layout(&j, "", ",\n", "");
	json_key(&j, "models");
	json_begin_array(&j);
	json_layout(&j, "\n", ",\n", "");
	for (size_t i = 0; i < q->n; i++) {
		const struct rq_row *r = &q->v[i];

		if (!keep[i])
			continue;
		json_begin_object(&j);
		json_key(&j, "name");
		json_str(&j, r->name);
		json_key(&j, "organization");
		json_str(&j, r->org[0] ? r->org : NULL);
		json_key(&j, "score");
		json_number(&j, collapse_score_text(buf, sizeof(buf), r->score));
		json_key(&j, "model");
		json_str(&j, r->model[0] ? r->model : NULL);
		json_key(&j, "source_url");
		json_str(&j, r->url);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	fputc('\n', stdout);
}

static void print_table(const struct rq *q, const char *keep, enum lc_format fmt, int width)
{
	struct lc_table *t = table_new();
	char buf[64];
	size_t rank = 0;

	if (!t)
		return;
	table_col(t, "#", "rank", TABLE_RIGHT | TABLE_NUMBER | TABLE_DROP(2));
	table_col(t, "leaderboard name", "name", TABLE_KEY);
	table_abbr(t, "name");
	table_col(t, "organization", "organization", TABLE_DROP(1));
	table_abbr(t, "org");
	table_col(t, "score", "score", TABLE_RIGHT | TABLE_NUMBER | TABLE_ANSWER);
	table_col(t, "llmcost model", "model", TABLE_DROP(3));
	for (size_t i = 0; i < q->n; i++) {
		if (!keep[i])
			continue;
		table_cellf(t, "%zu", ++rank);
		table_cell(t, q->v[i].name);
		if (q->v[i].org[0])
			table_cell(t, q->v[i].org);
		else
			table_none(t);
		table_cell(t, collapse_score_text(buf, sizeof(buf), q->v[i].score));
		if (q->v[i].model[0])
			table_cell(t, q->v[i].model);
		else
			table_none(t);
	}
	table_print(t, stdout, fmt, width);
	table_free(t);
}

int report_quality(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *benchmark = "arena_elo", *above_arg = NULL, *bar = NULL;
	const struct rq_row *above = NULL;
	struct rq q = { 0 };
	struct lc_err err = { 0 };
	struct lc_db *db;
	char at[11], snap[11], barbuf[32];
	char *keep = NULL;
	size_t count = 0, orgs;
	int64_t barv = 0;
	int code = 0, r;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost report quality [--at DATE] [--above MODEL|S] [--benchmark NAME]\n"
			 "                              [--json|--csv|--md]\n"
			 "\n"
			 "The scores of one leaderboard snapshot (the latest on or before --at,\n"
			 "else the earliest), highest first: every model the leaderboard ranks,\n"
			 "priced or not, with its organisation and its llmcost model when it has\n"
			 "one, then a count of models and organisations.\n"
			 "\n"),
		OPT_DATE("at", at, "the snapshot of DATE: the latest on or before it\n"
				   "(default today)"),
		OPT_STRING("above", 0, &above_arg, "MODEL|S",
			   "only the models scoring strictly above MODEL (a\n"
			   "leaderboard name or an llmcost model) or the score S,\n"
			   "in that snapshot"),
		OPT_STRING("benchmark", 0, &benchmark, "NAME",
			   "arena_elo (default) or mmlu (the makers' own MMLU\n"
			   "figures, one undated set)"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "{\"snapshot\": ..., \"count\": N, \"organizations\": N,\n"
			   "\"models\": [...], ...}"),
		OPT_FORMAT("csv", &ctx->fmt, LC_FMT_CSV, "the table"),
		{ .kind = OPTK_FORMAT, .name = "md", .dst = &ctx->fmt, .val = LC_FMT_MD,
		  .flags = OPTF_JOIN },
		OPT_TEXT("\n"
			 "Exit 3 when the --above model or the benchmark has no score in the\n"
			 "snapshot.\n"),
		OPT_END(),
	};

	date_format(at, sizeof(at), lc_today());
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (above_arg && !*above_arg)
		return cmd_usage(ctx, "--above: want a model or a score");
	if (!(db = cmd_db(ctx, &code)))
		return code;
	r = db_quality_snapshot(db, benchmark, at, snap, &err);
	if (r < 0)
		return cmd_fail(&err);
	if (r == 0) {
		cmd_errorf("no '%s' scores in the store (the built-in benchmarks: arena_elo, mmlu)",
			   benchmark);
		return LC_EDATA;
	}
	if (db_quality_rows(db, benchmark, snap, keep_row, &q, &err) < 0 || q.oom) {
		if (q.oom)
			lc_errf(&err, LC_ERUNTIME, "out of memory");
		code = cmd_fail(&err);
		goto out;
	}
	if (above_arg) {
		if (!score_of(above_arg, &barv)) {
			bar = above_arg;
		} else if ((above = find_row(db, &q, above_arg, at)) && !score_of(above->score, &barv)) {
			LC_COPY(barbuf, above->score);
			bar = barbuf;
		} else {
			cmd_errorf("no '%s' score for '%s' in the %s snapshot", benchmark, above_arg,
				   snap[0] ? snap : "undated");
			code = LC_EDATA;
			goto out;
		}
	}
	keep = xcalloc(q.n + 1, 1);
	for (size_t i = 0; i < q.n; i++) {
		int64_t v;

		/* strictly above: the bar's own model and its ties are not */
		keep[i] = !bar || (!score_of(q.v[i].score, &v) && v > barv);
		count += keep[i] ? 1 : 0;
	}
	orgs = count_orgs(&q, keep);
	if (ctx->fmt == LC_FMT_JSON) {
		print_json(&q, keep, benchmark, snap, above, bar, count, orgs);
		goto out;
	}
	if (ctx->fmt == LC_FMT_TEXT || ctx->fmt == LC_FMT_MD) {
		esc_printf(stdout, "%s%s scores, %s%s", ctx->fmt == LC_FMT_MD ? "## " : "", benchmark,
			   snap[0] ? "leaderboard snapshot of " : "one undated set", snap);
		if (bar) {
			char buf[64];

			collapse_score_text(buf, sizeof(buf), bar);
			if (above)
				esc_printf(stdout, ", above %s (%s)", above->name, buf);
			else
				esc_printf(stdout, ", above %s", buf);
		}
		fputs("\n\n", stdout);
	}
	print_table(&q, keep, ctx->fmt, cmd_table_width(ctx));
	if (ctx->fmt == LC_FMT_TEXT || ctx->fmt == LC_FMT_MD) {
		struct cmd_wrap w;
		FILE *f = cmd_wrap_begin(&w, cmd_table_width(ctx));
		char buf[64];

		fprintf(f, "\n%zu model%s from %zu organisation%s", count, count == 1 ? "" : "s", orgs,
		       orgs == 1 ? "" : "s");
		collapse_score_text(buf, sizeof(buf), bar ? bar : "");
		if (bar && above)
			esc_printf(f, " scored above %s (%s)", above->name, buf);
		else if (bar)
			esc_printf(f, " scored above %s", buf);
		esc_printf(f, " on %s, %s%s.\n", benchmark,
			   snap[0] ? "snapshot of " : "undated", snap);
		cmd_wrap_end(&w);
	}
out:
	free(keep);
	rq_release(&q);
	return code;
}

/*
 * usage_llm.c - the `llm` tool's logs.db (simonw/llm): rows of `responses`
 * and of the newer `turns` table, with the file opened read-only.  The
 * natural key is the row id (a ULID shared by both tables).  The llm schema
 * (tables, columns, the SQL) lives here; the file is read through
 * lib/db_foreign.h.  token_details is plugin-specific JSON: OpenAI's shape
 * (prompt_tokens_details.cached_tokens, included in input_tokens;
 * completion_tokens_details.reasoning_tokens) and Anthropic's
 * (cache_read_input_tokens, cache_creation_input_tokens, not included) are
 * understood.  Rows without token counts cannot be priced: they are reported,
 * not stored as zero.  llm before 0.20 wrote datetime_utc without a zone
 * ("2024-06-01 10:00:00.123456", Python's utcnow()): the column is UTC by
 * its name, so such a time is read as UTC.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db_foreign.h"
#include "usage.h"

/* One row of `responses` or `turns`. */
struct lc_llm_row {
	const char *id, *model, *datetime_utc, *token_details, *conversation;
	int has_input, has_output;
	int64_t input_tokens, output_tokens;
	const char *table;          /* "responses" or "turns" */
};

static int details(struct usage_src *s, const char *text, struct lc_usage_rec *r,
		   struct lc_err *err)
{
	cJSON *j;
	int64_t cached = 0, reason = 0, cr = 0, cw = 0, ain = 0, iin = 0, aout = 0, iout = 0;
	const cJSON *d;
	int rc = 0;

	if (!text || !*text)
		return 0;
	if (!(j = cJSON_Parse(text)))
		return lc_errf(err, LC_EDATA, "token_details is not JSON");
	d = uj_obj(j, "prompt_tokens_details");
	if (!d)
		d = uj_obj(j, "input_tokens_details");
	rc = uj_count(d, "cached_tokens", "token_details.*.cached_tokens", 0, &cached, err);
	if (!rc)
		rc = uj_count(d, "audio_tokens", "token_details.*.audio_tokens", 0, &ain, err);
	if (!rc)
		rc = uj_count(d, "image_tokens", "token_details.*.image_tokens", 0, &iin, err);
	d = uj_obj(j, "completion_tokens_details");
	if (!d)
		d = uj_obj(j, "output_tokens_details");
	if (!rc)
		rc = uj_count(d, "reasoning_tokens", "token_details.*.reasoning_tokens", 0, &reason,
			      err);
	if (!rc)
		rc = uj_count(d, "audio_tokens", "token_details.*.audio_tokens", 0, &aout, err);
	if (!rc)
		rc = uj_count(d, "image_tokens", "token_details.*.image_tokens", 0, &iout, err);
	if (!rc)
		rc = uj_count(j, "cache_read_input_tokens", "token_details.cache_read_input_tokens",
			      0, &cr, err);
	if (!rc)
		rc = uj_count(j, "cache_creation_input_tokens",
			      "token_details.cache_creation_input_tokens", 0, &cw, err);
	cJSON_Delete(j);
	if (rc)
		return -1;
	/* OpenAI's shape: audio and image tokens are inside the totals and get
	   buckets of their own (image output has no price: other) */
	if (cached + ain + iin > r->input)
		return lc_errf(err, LC_EDATA, "cached_tokens + audio_tokens + image_tokens exceed input_tokens");
	if (reason + aout + iout > r->output)
		return lc_errf(err, LC_EDATA, "reasoning_tokens + audio_tokens + image_tokens exceed output_tokens");
	r->input -= cached + ain + iin;
	r->output -= aout + iout;
	r->audio_input = ain;
	r->image_input = iin;
	r->audio_output = aout;
	r->other_tokens = iout;
	r->cache_read = cached + cr;
	r->cache_write_5m = cw;
	r->reasoning = reason;
	(void)s;
	return 0;
}

/* datetime_utc: a zone-less time (llm < 0.20) is UTC; other errors are
   ts_parse()'s, about the text as it is. */
static int utc_time(const char *t, lc_ms *out, struct lc_err *err)
{
	size_t n = strlen(t);
	char z[64];

	if (ts_parse(t, n, out, err) == 0)
		return 0;
	if (n + 2 > sizeof(z))
		return -1;
	memcpy(z, t, n);
	z[n] = 'Z';
	z[n + 1] = '\0';
	if (ts_parse(z, n + 1, out, NULL) == 0) {
		memset(err, 0, sizeof(*err));
		return 0;
	}
	return -1;
}

static int row(void *ctx, const struct lc_llm_row *row, struct lc_err *err)
{
	struct usage_src *s = ctx;
	struct lc_usage_rec r;
	struct lc_err e = { 0 }, te = { 0 };
	int rc;

	s->line++;
	memset(&r, 0, sizeof(r));
	if (row->has_input < 0) {
		rc = lc_errf(&e, LC_EDATA, "%s row '%.40s': a token count is not an integer",
			     row->table, row->id);
	} else if (!row->has_input || !row->has_output) {
		usage_warn(s, "%s row '%.40s' (%.60s) has no token counts: not counted", row->table,
			   row->id, row->model);
		return 0;
	} else if (row->input_tokens < 0 || row->output_tokens < 0 ||
		   row->input_tokens > 1000000000000LL || row->output_tokens > 1000000000000LL) {
		rc = lc_errf(&e, LC_EDATA, "%s row '%.40s': token count out of range", row->table,
			     row->id);
	} else if (utc_time(row->datetime_utc, &r.ts_ms, &te)) {
		/* te apart: e.msg must not be both the format's argument and its target */
		rc = lc_errf(&e, LC_EDATA, "%s row '%.40s': datetime_utc: %s", row->table, row->id,
			     te.msg);
	} else {
		r.input = row->input_tokens;
		r.output = row->output_tokens;
		r.requests = 1;
		rc = details(s, row->token_details, &r, &e);
		if (!rc)
			rc = uj_name(r.model_raw, sizeof(r.model_raw), row->model, "model", &e);
		if (!rc)
			rc = uj_name(r.session, sizeof(r.session), row->conversation,
				     "conversation_id", &e);
		if (rc) /* the other branches name the row themselves */
			lc_err_prefix(&e, "%s row '%.40s': ", row->table, row->id);
	}
	if (rc) {
		/* a bad row: counted and reported like a bad line */
		usage_reject(s, "%s", e.msg);
		return 0;
	}
	if (usage_key(&r, err, "llm:%s", row->id))
		return -1;
	return usage_emit(s, &r, err);
}

/* ---- reading logs.db ---- */

struct llm_scan {
	const char *table;
	struct usage_src *s;
};

static int llm_row(void *ctx, const struct fdb_row *f, struct lc_err *err)
{
	struct llm_scan *x = ctx;
	struct lc_llm_row r;

	r.id = fdb_col_text(f, 0);
	r.model = fdb_col_text(f, 1);
	r.datetime_utc = fdb_col_text(f, 2);
	r.has_input = fdb_col_type(f, 3) == FDB_INTEGER;
	r.has_output = fdb_col_type(f, 4) == FDB_INTEGER;
	r.input_tokens = fdb_col_int(f, 3);
	r.output_tokens = fdb_col_int(f, 4);
	r.token_details = fdb_col_type(f, 5) == FDB_NULL ? NULL : fdb_col_text(f, 5);
	r.conversation = fdb_col_text(f, 6);
	r.table = x->table;
	if ((fdb_col_type(f, 3) != FDB_NULL && !r.has_input) ||
	    (fdb_col_type(f, 4) != FDB_NULL && !r.has_output))
		r.has_input = r.has_output = -1; /* a non-integer count */
	return row(x->s, &r, err);
}

/* Every row of table (responses or turns; skip_responses: a turn whose id
   is also a response is skipped). */
static int llm_table(struct lc_fdb *f, const char *table, int skip_responses,
		     struct usage_src *s, struct lc_err *err)
{
	/* SQL assembled from constant fragments only (column presence), never data */
	char sql[640], what[32];
	const char *conv = !strcmp(table, "turns") ? "thread_id" : "conversation_id";
	struct llm_scan x = { table, s };

	if (!fdb_has_column(f, table, "input_tokens") || !fdb_has_column(f, table, "datetime_utc"))
		return 0; /* a very old database: no token counts */
	snprintf(sql, sizeof(sql),
		 "SELECT id, %s, datetime_utc, input_tokens, output_tokens, %s, %s FROM %s%s",
		 fdb_has_column(f, table, "resolved_model") ? "coalesce(resolved_model, model)" : "model",
		 fdb_has_column(f, table, "token_details") ? "token_details" : "NULL",
		 fdb_has_column(f, table, conv) ? conv : "NULL", table,
		 skip_responses ? " WHERE id NOT IN (SELECT id FROM responses)" : "");
	snprintf(what, sizeof(what), "table %s", table);
	return fdb_select(f, sql, what, llm_row, &x, err);
}

int usage_llm_file(struct usage_src *s, struct lc_err *err)
{
	struct lc_fdb *f;
	int r = 0, resp;

	if (fdb_open(s->path, "an llm logs database", &f, err))
		return -1;
	resp = fdb_has_table(f, "responses");
	if (!resp && !fdb_has_table(f, "turns")) {
		fdb_close(f);
		return lc_errf(err, LC_EDATA, "'%s' has neither a responses nor a turns table",
			       s->path);
	}
	if (resp)
		r = llm_table(f, "responses", 0, s, err);
	if (!r && fdb_has_table(f, "turns"))
		r = llm_table(f, "turns", resp, s, err);
	fdb_close(f);
	return r ? -1 : 0;
}

/*
 * usage_llm.c - the `llm` tool's logs.db (simonw/llm): rows of `responses`
 * and of the newer `turns` table, read through lib/db_usage_read.c with the file
 * opened read-only.  The natural key is the row id (a ULID shared by both
 * tables).  token_details is plugin-specific JSON: OpenAI's shape
 * (prompt_tokens_details.cached_tokens, included in input_tokens;
 * completion_tokens_details.reasoning_tokens) and Anthropic's
 * (cache_read_input_tokens, cache_creation_input_tokens, not included) are
 * understood.  Rows without token counts cannot be priced: they are reported,
 * not stored as zero.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "usage.h"

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

static int row(void *ctx, const struct lc_llm_row *row, struct lc_err *err)
{
	struct usage_src *s = ctx;
	struct lc_usage_rec r;
	struct lc_err e = { 0 };
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
	} else if (ts_parse(row->datetime_utc, strlen(row->datetime_utc), &r.ts_ms, &e)) {
		rc = lc_errf(&e, LC_EDATA, "%s row '%.40s': datetime_utc: %s", row->table, row->id,
			     e.msg);
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
		if (rc && strncmp(e.msg, row->table, strlen(row->table)))
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

int usage_llm_file(struct usage_src *s, struct lc_err *err)
{
	return db_llm_read(s->path, row, s, err);
}

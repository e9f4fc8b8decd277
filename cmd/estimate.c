/*
 * estimate.c - `llmcost estimate`: what a task costs on every model (or the
 * models named) on a date, ranked cheapest first, or over a range of dates.
 *
 * The profile is built in layers: a preset (--task), then a profile file
 * (--profile), then --prompt-file, then the explicit options, each layer
 * overriding the fields it sets.  The engine is pricing/estimate.c; this
 * file reads files and the store, and prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "date.h"
#include "embed.h"
#include "estimate.h"
#include "estimate_store.h"
#include "json_out.h"
#include "money.h"
#include "tokenize.h"


#define FILE_MAX (1 << 20) /* a profile file larger than 1 MiB is not a profile */
#define PROMPT_MAX (1 << 30) /* 1 GiB: a prompt, not a corpus */


/* Read a whole file (at most max bytes); malloc'd NUL-terminated text. */
static char *read_file(const char *path, size_t max, size_t *len, struct lc_err *err)
{
	FILE *f;
	struct stat st;
	char *buf;
	size_t n;

	/* a FIFO would block and a directory reads as an error: regular files only */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		lc_errf(err, LC_EDATA, "cannot read '%s': %s", path,
			S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		return NULL;
	}
	f = fopen(path, "rb");
	if (!f) {
		lc_errf(err, LC_EDATA, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		lc_errf(err, LC_EDATA, ferror(f) ? "cannot read '%s'" : "'%s' is too large (over 1 MiB)",
			path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int parse_seconds(struct cmd_ctx *ctx, const char *opt, const char *text, int64_t *ms)
{
	int rounded = 0;

	if (!strchr("0123456789.", text[0]) ||
	    money_parse(text, strlen(text), 3, ms, &rounded, NULL) || rounded || *ms < 0 ||
	    *ms > LC_TOKENS_MAX)
		return cmd_usage(ctx, "%s: want seconds (at most 3 decimals), not '%s'", opt, text);
	return 0;
}

static int list_tasks(struct cmd_ctx *ctx)
{
	const struct lc_blob *b = embed_get("data/tasks.json");
	struct lc_task_info t[32];
	struct lc_err err = { 0 };
	int n = tasks_list(b->data, b->len, t, 32, &err);

	if (n < 0)
		return cmd_fail(&err);
	if (ctx->fmt == LC_FMT_JSON) {
		struct json_out j;

		json_init(&j, stdout);
		json_begin_array(&j);
		json_layout(&j, "\n ", ",\n ", "\n");
		for (int i = 0; i < n; i++) {
			json_begin_object(&j);
			json_key(&j, "name");
			json_str(&j, t[i].name);
			json_key(&j, "description");
			json_str(&j, t[i].description);
			json_key(&j, "assumptions");
			json_str(&j, t[i].assumptions);
			json_end(&j);
		}
		json_end(&j);
		fputc('\n', stdout);
		return 0;
	}
	if (ctx->fmt != LC_FMT_TEXT) {
		struct lc_table *tb = table_new();

		table_col(tb, "name", "name", 0);
		table_col(tb, "description", "description", 0);
		table_col(tb, "assumptions", "assumptions", 0);
		for (int i = 0; i < n; i++) {
			table_cell(tb, t[i].name);
			table_cell(tb, t[i].description);
			table_cell(tb, t[i].assumptions);
		}
		table_print(tb, stdout, ctx->fmt, 0);
		table_free(tb);
		return 0;
	}
	for (int i = 0; i < n; i++)
		printf("%s%s\n  %s\n  assumptions: %s\n", i ? "\n" : "", t[i].name, t[i].description,
		       t[i].assumptions);
	return 0;
}

/* The prompt file's text: it lives until exit, as the profile that points
   at it does (estimate and plot estimate both use it to the end). */
static char *prompt_text;
static struct lc_prompt prompt;

static void free_prompt(void)
{
	free(prompt_text);
}

/*
 * --prompt-file: each model counts the text with its own tokenizer
 * (estimate_prompt.c); the profile's input is the o200k_base count, shown
 * when no single model is meant.
 */
static int read_prompt(struct estimate_args *o, struct lc_profile *p, struct lc_err *err)
{
	struct stat st;
	struct tok *t;
	FILE *f;
	size_t n;

	/* a FIFO would block and a directory reads as an error: regular files only */
	if (stat(o->prompt_file, &st) || !S_ISREG(st.st_mode)) {
		/* errno only when stat failed: it may be stale otherwise */
		int failed = stat(o->prompt_file, &st) != 0;

		return lc_errf(err, LC_EDATA, "cannot read '%s': %s", o->prompt_file,
			       failed ? strerror(errno)
			       : S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
	}
	if (st.st_size > PROMPT_MAX)
		return lc_errf(err, LC_EDATA, "'%s' is too large (over 1 GiB)", o->prompt_file);
	if (!(f = fopen(o->prompt_file, "rb")))
		return lc_errf(err, LC_EDATA, "cannot read '%s': %s", o->prompt_file,
			       strerror(errno));
	if (!prompt_text)
		atexit(free_prompt);
	free(prompt_text);
	prompt_text = xmalloc((size_t)st.st_size + 1);
	n = fread(prompt_text, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		fclose(f);
		return lc_errf(err, LC_EDATA, "cannot read '%s'", o->prompt_file);
	}
	fclose(f);
	prompt = (struct lc_prompt){ .text = prompt_text, .len = n };
	o->prompt_bytes = (int64_t)n;
	if (!(t = tok_get("o200k_base", err)) || tok_count(t, prompt_text, n, &p->input, err))
		return -1;
	p->prompt = &prompt;
	p->input_approx = 1;
	p->set |= PF_INPUT;
	return 0;
}

/* Build the profile: preset < profile file < prompt file < options. */
static int build_profile(struct cmd_ctx *ctx, struct estimate_args *o, struct lc_profile *p)
{
	struct lc_err err = { 0 };

	profile_init(p);
	if (o->task) {
		const struct lc_blob *b = embed_get("data/tasks.json");
		struct lc_profile t;

		profile_init(&t);
		t.set = 0;
		if (tasks_load(b->data, b->len, o->task, &t, &err))
			return cmd_fail(&err);
		profile_merge(p, &t);
	}
	if (o->profile_file) {
		struct lc_profile f;
		size_t len;
		char what[300];
		char *text = read_file(o->profile_file, FILE_MAX, &len, &err);

		if (!text)
			return cmd_fail(&err);
		profile_init(&f);
		snprintf(what, sizeof(what), "profile '%s'", o->profile_file);
		if (profile_parse_json(text, len, what, &f, &err)) {
			free(text);
			return cmd_fail(&err);
		}
		free(text);
		profile_merge(p, &f);
	}
	if (o->prompt_file && read_prompt(o, p, &err))
		return cmd_fail(&err);
	profile_merge(p, &o->cli);
	if (profile_check(p, &err))
		return cmd_usage(ctx, "%s", err.msg);
	return 0;
}

/* ---- the ranked table on one date ---- */

struct run {
	struct cmd_ctx *ctx;
	const struct estimate_args *o;
	const struct lc_profile *p;
	const char *date;
	struct lc_estimate *e;
	size_t n;
	const size_t *skipped; /* LC_SKIP_N counts */
};

/* "skipped": {"total": N, "embedding": 12, ...} (kinds with a count) */
static void print_skipped_json(struct json_out *j, const size_t *counts)
{
	size_t total = 0;

	for (int k = 1; k < LC_SKIP_N; k++)
		total += counts[k];
	json_key(j, "skipped");
	json_begin_object(j);
	json_key(j, "total");
	json_uint(j, total);
	for (int k = 1; k < LC_SKIP_N; k++)
		if (counts[k]) {
			json_key(j, estimate_skip_key((enum lc_skip)k));
			json_uint(j, counts[k]);
		}
	json_end(j);
}


/* An amount as the table takes it: exact; text, Markdown and HTML show it
   by money_format_usd (TABLE_USD). */
static char *amount(char *buf, size_t n, int64_t v, enum lc_format fmt)
{
	(void)fmt;
	return money_format(buf, n, v, -1);
}

static int64_t other_of(const struct lc_cost *c)
{
	return c->cache_read + c->cache_write + c->audio + c->image + c->fees;
}

static void print_profile_json(struct json_out *j, const struct lc_profile *p)
{
	char buf[64];

	json_begin_object(j);
	json_key(j, "task");
	json_str(j, p->task[0] ? p->task : NULL);
	json_key(j, "input");
	json_int(j, p->input);
	json_key(j, "input_approximate");
	json_bool(j, p->input_approx);
	json_key(j, "output");
	json_int(j, p->output);
	json_key(j, "cached_input");
	json_int(j, p->cached_input);
	json_key(j, "cache_write");
	json_int(j, p->cache_write);
	json_key(j, "cache_ttl");
	json_str(j, p->cache_ttl_1h ? "1h" : "5m");
	json_key(j, "reasoning");
	json_int(j, p->reasoning);
	json_key(j, "images");
	json_begin_array(j);
	for (int i = 0; i < p->nimages; i++) {
		snprintf(buf, sizeof(buf), "%lldx%lld", (long long)p->image_w[i],
			 (long long)p->image_h[i]);
		json_str(j, buf);
	}
	json_end(j);
	json_key(j, "detail");
	json_str(j, p->detail ? "low" : "high");
	json_key(j, "audio_in_seconds");
	json_money(j, (lc_i128)p->audio_in_ms * 1000000);
	json_key(j, "audio_out_seconds");
	json_money(j, (lc_i128)p->audio_out_ms * 1000000);
	json_key(j, "requests");
	json_int(j, p->requests);
	json_key(j, "web_searches");
	json_int(j, p->web_searches);
	json_key(j, "batch");
	json_bool(j, p->batch);
	json_key(j, "count");
	json_int(j, p->count);
	json_key(j, "per");
	json_str(j, p->per == LC_PER_DAY ? "day" : p->per == LC_PER_MONTH ? "month" : NULL);
	json_end(j);
}

static void print_components(struct json_out *j, const struct lc_cost *c)
{
	json_begin_object(j);
	json_key(j, "input");
	json_money(j, c->input);
	json_key(j, "cache_read");
	json_money(j, c->cache_read);
	json_key(j, "cache_write");
	json_money(j, c->cache_write);
	json_key(j, "output");
	json_money(j, c->output);
	json_key(j, "reasoning");
	json_money(j, c->reasoning);
	json_key(j, "audio");
	json_money(j, c->audio);
	json_key(j, "image");
	json_money(j, c->image);
	json_key(j, "fees");
	json_money(j, c->fees);
	json_end(j);
}

static const char *note_of(const struct lc_estimate *e, const struct lc_profile *p, char *buf,
			   size_t n)
{
	buf[0] = '\0';
	if (e->retired[0])
		snprintf(buf, n, "retired on %s", e->retired);
	if (p->batch && !e->total.batch_applied)
		snprintf(buf + strlen(buf), n - strlen(buf), "%sno batch offer", buf[0] ? "; " : "");
	if (e->total.tier > 0)
		snprintf(buf + strlen(buf), n - strlen(buf), "%slong-context tier",
			 buf[0] ? "; " : "");
	return buf;
}

static void print_json(const struct run *r, size_t napp, int64_t cheapest)
{
	const struct lc_profile *p = r->p;
	char b[64], note[96];
	struct json_out j;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "at");
	json_str(&j, r->date);
	json_key(&j, "profile");
	print_profile_json(&j, p);
	json_key(&j, "results");
	json_begin_array(&j);
	json_layout(&j, "\n  ", ",\n  ", napp ? "\n " : "");
	for (size_t i = 0; i < napp; i++) {
		const struct lc_estimate *e = &r->e[i];

		json_begin_object(&j);
		json_key(&j, "model");
		json_str(&j, e->model);
		json_key(&j, "provider");
		json_str(&j, e->host);
		json_key(&j, "per_task");
		json_money(&j, e->per_task.total);
		json_key(&j, "total");
		json_money(&j, e->total.total);
		if (p->per == LC_PER_DAY) {
			json_key(&j, "per_month");
			json_money(&j, e->extra);
		} else if (p->per == LC_PER_MONTH) {
			json_key(&j, "per_day");
			json_money(&j, e->extra);
		}
		json_key(&j, "components");
		print_components(&j, &e->total);
		json_key(&j, "times_cheapest");
		if (cheapest > 0)
			json_number(&j, estimate_times(b, sizeof(b), e->total.total, cheapest));
		else
			json_null(&j);
		json_key(&j, "quality"); /* a decimal score text */
		if (e->quality[0])
			json_number(&j, e->quality);
		else
			json_null(&j);
		json_key(&j, "image_tokens");
		json_int(&j, e->image_tokens);
		json_key(&j, "tier");
		json_int(&j, e->total.tier);
		json_key(&j, "batch");
		json_bool(&j, e->total.batch_applied);
		json_key(&j, "note");
		note_of(e, p, note, sizeof(note));
		json_str(&j, note[0] ? note : NULL);
		json_key(&j, "retired");
		json_str(&j, e->retired[0] ? e->retired : NULL);
		if (e->tokenizer) {
			json_key(&j, "input_tokens");
			json_int(&j, e->input_tokens);
			json_key(&j, "tokenizer");
			json_str(&j, e->tokenizer);
			json_key(&j, "input_approximate");
			json_bool(&j, !e->input_exact);
		}
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "not_applicable");
	json_begin_array(&j);
	json_layout(&j, "\n  ", ",\n  ", r->n > napp ? "\n " : "");
	for (size_t i = napp; i < r->n; i++) {
		json_begin_object(&j);
		json_key(&j, "model");
		json_str(&j, r->e[i].model);
		json_key(&j, "provider");
		json_str(&j, r->e[i].host);
		json_key(&j, "reason");
		json_str(&j, r->e[i].reason);
		json_end(&j);
	}
	json_end(&j);
	print_skipped_json(&j, r->skipped);
	json_end(&j);
	fputc('\n', stdout);
}

static void print_header(const struct run *r)
{
	const struct lc_profile *p = r->p;
	char cnt[32], n1[32];
	struct cmd_wrap w;
	FILE *f = cmd_wrap_begin(&w, cmd_table_width(r->ctx));

	/* the date, then the task on a line of its own, wrapped to the width */
	esc_printf(f, "Prices of %s.\nTask%s%s%s: %s%s input", r->date, p->task[0] ? " '" : "",
	       p->task, p->task[0] ? "'" : "", p->input_approx ? "~" : "",
	       money_format_count(n1, sizeof(n1), p->input));
	if (p->cached_input)
		fprintf(f, " (%s cached)", money_format_count(n1, sizeof(n1), p->cached_input));
	if (p->cache_write)
		esc_printf(f, " (%s cache writes, %s)",
			   money_format_count(n1, sizeof(n1), p->cache_write),
			   p->cache_ttl_1h ? "1h" : "5m");
	fprintf(f, " + %s output", money_format_count(n1, sizeof(n1), p->output));
	if (p->reasoning)
		fprintf(f, " + %s reasoning", money_format_count(n1, sizeof(n1), p->reasoning));
	fprintf(f, " tokens");
	if (p->nimages)
		esc_printf(f, ", %d image%s (%s detail)", p->nimages, p->nimages > 1 ? "s" : "",
		       p->detail ? "low" : "high");
	if (p->audio_in_ms || p->audio_out_ms) {
		char a[64], b[64];

		esc_printf(f, ", audio %ss in / %ss out",
		       money_format(a, sizeof(a), (lc_i128)p->audio_in_ms * 1000000, -1),
		       money_format(b, sizeof(b), (lc_i128)p->audio_out_ms * 1000000, -1));
	}
	if (p->requests != 1)
		fprintf(f, ", %lld requests", (long long)p->requests);
	if (p->batch)
		fprintf(f, ", batch");
	money_format_count(cnt, sizeof(cnt), p->count);
	esc_printf(f, "; x %s task%s%s.\n", cnt, p->count == 1 ? "" : "s",
	       p->per == LC_PER_DAY ? " a day" : p->per == LC_PER_MONTH ? " a month" : "");
	if (p->prompt) {
		money_format_count(cnt, sizeof(cnt), r->o->prompt_bytes);
		esc_printf(f, "Input: '%s' (%s bytes), counted by each model's own tokenizer "
			   "(\"in tok\"); ~ marks a count made with the closest public tokenizer "
			   "(approximate).\n", r->o->prompt_file, cnt);
	}
	cmd_wrap_end(&w);
}

static int print_results(struct run *r)
{
	enum lc_format fmt = r->ctx->fmt;
	const struct lc_profile *p = r->p;
	size_t napp = 0;
	int64_t cheapest;
	char b[64], note[96];
	struct lc_table *t;

	while (napp < r->n && r->e[napp].applicable)
		napp++;
	cheapest = napp ? r->e[0].total.total : 0;
	if (fmt == LC_FMT_JSON) {
		print_json(r, napp, cheapest);
		return 0;
	}
	if (fmt == LC_FMT_TEXT)
		print_header(r);
	t = table_new();
	const int U = TABLE_RIGHT | TABLE_NUMBER | TABLE_USD;

	/* the total (and the month or day figure) always shows; too wide, the
	   arena score goes first, the provider last */
	table_col(t, "model", "model", TABLE_KEY);
	table_col(t, "provider", "provider", TABLE_DROP(8));
	if (p->prompt)
	{
		table_col(t, "in tok", "input_tokens", TABLE_RIGHT | TABLE_DROP(6));
		/* text and Markdown mark an approximate count with '~' */
		table_col(t, "approximate", "input_approximate", TABLE_HIDE_TEXT);
	}
	table_col(t, "input", "input", U | TABLE_DROP(5));
	table_col(t, "output", "output", U | TABLE_DROP(4));
	table_col(t, "other", "other", U | TABLE_DROP(3));
	table_col(t, "per task", "per_task", U | TABLE_DROP(7));
	table_abbr(t, "/task");
	table_col(t, "total", "total", U | TABLE_ANSWER);
	if (p->per == LC_PER_DAY)
		table_col(t, "per month", "per_month", U | TABLE_ANSWER);
	else if (p->per == LC_PER_MONTH)
		table_col(t, "per day", "per_day", U | TABLE_ANSWER);
	table_col(t, "x cheapest", "times_cheapest", TABLE_RIGHT | TABLE_NUMBER | TABLE_DROP(2));
	table_abbr(t, "x min");
	table_col(t, "arena", "quality", TABLE_RIGHT | TABLE_NUMBER | TABLE_DROP(1));
	int any_note = fmt != LC_FMT_TEXT;

	for (size_t i = 0; i < napp && !any_note; i++)
		any_note = note_of(&r->e[i], p, note, sizeof(note))[0] != '\0';
	if (any_note)
		table_col(t, "note", "note", TABLE_DROP(6));
	for (size_t i = 0; i < napp; i++) {
		const struct lc_estimate *e = &r->e[i];

		table_cell(t, e->model);
		table_cell(t, e->host);
		if (p->prompt) /* grouped for people, exact in CSV */
		{
			if (fmt == LC_FMT_CSV)
				snprintf(b, sizeof(b), "%lld", (long long)e->input_tokens);
			else
				money_format_count(b, sizeof(b), e->input_tokens);
			table_cellf(t, "%s%s", e->input_exact || fmt == LC_FMT_CSV ? "" : "~", b);
			table_cell(t, e->input_exact ? "false" : "true");
		}
		table_cell(t, amount(b, sizeof(b), e->total.input, fmt));
		table_cell(t, amount(b, sizeof(b), e->total.output + e->total.reasoning, fmt));
		table_cell(t, amount(b, sizeof(b), other_of(&e->total), fmt));
		table_cell(t, amount(b, sizeof(b), e->per_task.total, fmt));
		table_cell(t, amount(b, sizeof(b), e->total.total, fmt));
		if (p->per != LC_PER_NONE)
			table_cell(t, amount(b, sizeof(b), e->extra, fmt));
		table_cell(t, cheapest > 0 ? estimate_times(b, sizeof(b), e->total.total, cheapest)
					   : NULL);
		table_cell(t, e->quality[0] ? e->quality : NULL);
		note_of(e, p, note, sizeof(note));
		if (any_note)
			table_cell(t, note[0] ? note : NULL);
	}
	if (napp || fmt != LC_FMT_TEXT)
		table_print(t, stdout, fmt, cmd_table_width(r->ctx));
	else
		printf("No model can take this task.\n");
	table_free(t);
	if (r->n > napp && fmt != LC_FMT_CSV) {
		printf("\n%snot applicable:\n", fmt == LC_FMT_MD ? "**" : "");
		if (fmt == LC_FMT_MD)
			printf("\n");
		for (size_t i = napp; i < r->n; i++) {
			enum esc_to to = fmt == LC_FMT_MD ? ESC_MD : ESC_TERM;

			fputs(fmt == LC_FMT_MD ? "- " : "  ", stdout);
			esc_put(stdout, r->e[i].model, to);
			fputs(" (", stdout);
			esc_put(stdout, r->e[i].host, to);
			fputs("): ", stdout);
			esc_put(stdout, r->e[i].reason, to);
			fputc('\n', stdout);
		}
	}
	return 0;
}


/* ---- cost over time ---- */

static int print_series(struct cmd_ctx *ctx, const struct estimate_args *o, const struct lc_profile *p,
			const struct lc_series *s)
{
	enum lc_format fmt = ctx->fmt;
	char b[64];

	if (fmt == LC_FMT_JSON) {
		struct json_out j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "from");
		json_str(&j, o->from);
		json_key(&j, "to");
		json_str(&j, o->to);
		json_key(&j, "step");
		json_str(&j, o->step == LC_STEP_MONTH ? "month" : o->step == LC_STEP_WEEK ? "week" : "day");
		json_key(&j, "min_quality"); /* a decimal score text, checked */
		if (o->min_quality)
			json_number(&j, o->min_quality);
		else
			json_null(&j);
		json_key(&j, "profile");
		print_profile_json(&j, p);
		json_key(&j, "dates");
		json_begin_array(&j);
		for (size_t i = 0; i < s->ndates; i++)
			json_str(&j, s->dates[i]);
		json_end(&j);
		json_layout(&j, "", ",\n ", ""); /* series and cheapest on lines of their own */
		json_key(&j, "series");
		json_begin_array(&j);
		json_layout(&j, "\n  ", ",\n  ", s->nlines ? "\n " : "");
		for (size_t l = 0; l < s->nlines; l++) {
			json_begin_object(&j);
			json_key(&j, "model");
			json_str(&j, s->lines[l].model);
			json_key(&j, "provider");
			json_str(&j, s->lines[l].host);
			json_key(&j, "totals");
			json_begin_array(&j);
			for (size_t i = 0; i < s->ndates; i++)
				if (s->lines[l].total[i] == LC_NONE)
					json_null(&j);
				else
					json_money(&j, s->lines[l].total[i]);
			json_end(&j);
			json_end(&j);
		}
		json_end(&j);
		json_key(&j, "cheapest");
		json_begin_array(&j);
		json_layout(&j, "\n  ", ",\n  ", "\n ");
		for (size_t i = 0; i < s->ndates; i++) {
			long c = s->cheapest[i];

			json_begin_object(&j);
			json_key(&j, "date");
			json_str(&j, s->dates[i]);
			json_key(&j, "model");
			json_str(&j, c < 0 ? NULL : s->lines[c].model);
			json_key(&j, "provider");
			json_str(&j, c < 0 ? NULL : s->lines[c].host);
			json_key(&j, "total");
			if (c < 0)
				json_null(&j);
			else
				json_money(&j, s->lines[c].total[i]);
			json_key(&j, "quality");
			if (c >= 0 && s->cheapest_quality[i][0])
				json_number(&j, s->cheapest_quality[i]);
			else
				json_null(&j);
			json_end(&j);
		}
		json_end(&j);
		json_layout(&j, "", ", ", "");
		print_skipped_json(&j, s->skipped);
		json_end(&j);
		fputc('\n', stdout);
		return 0;
	}
	/* text, CSV, Markdown: one long table, a row per date and model, the
	   cheapest (meeting --min-quality / --max-cost) marked */
	struct lc_table *t = table_new();

	table_col(t, "date", "date", TABLE_KEY);
	table_col(t, "model", "model", TABLE_KEY);
	table_col(t, "provider", "provider", TABLE_DROP(1));
	table_col(t, "total", "total", TABLE_RIGHT | TABLE_NUMBER | TABLE_USD | TABLE_ANSWER);
	table_col(t, "cheapest", "cheapest", TABLE_ANSWER);
	for (size_t i = 0; i < s->ndates; i++) {
		for (size_t l = 0; l < s->nlines; l++) {
			if (s->lines[l].total[i] == LC_NONE)
				continue;
			table_cell(t, s->dates[i]);
			table_cell(t, s->lines[l].model);
			table_cell(t, s->lines[l].host);
			table_cell(t, amount(b, sizeof(b), s->lines[l].total[i], fmt));
			table_cell(t, s->cheapest[i] == (long)l ? (fmt == LC_FMT_CSV ? "1" : "*") : (fmt == LC_FMT_CSV ? "0" : NULL));
		}
	}
	if (fmt == LC_FMT_TEXT) {
		esc_printf(stdout, "Cheapest%s%s on each date:\n", o->min_quality ? " with arena_elo >= " : "",
		       o->min_quality ? o->min_quality : "");
		for (size_t i = 0; i < s->ndates; i++) {
			long c = s->cheapest[i];

			if (c < 0)
				esc_printf(stdout, "  %s  (no model)\n", s->dates[i]);
			else
				esc_printf(stdout, "  %s  %s (%s)  %s\n", s->dates[i], s->lines[c].model,
				       s->lines[c].host, money_format_usd(b, sizeof(b), s->lines[c].total[i]));
		}
		printf("\n");
	}
	table_print(t, stdout, fmt, cmd_table_width(ctx));
	table_free(t);
	return 0;
}

static int run_series(struct cmd_ctx *ctx, struct lc_db *db, struct estimate_args *o,
		      const struct lc_profile *p, char **names, int nnames)
{
	struct est_store st;
	struct lc_err err = { 0 };
	struct lc_series s;
	size_t nd;
	char(*dates)[11] = estimate_dates(o->from, o->to, o->step, &nd, &err);
	int code;

	if (!dates)
		return err.code == LC_EUSAGE ? cmd_usage(ctx, "%s", err.msg) : cmd_fail(&err);
	est_store_init(&st, db, &(struct est_store_opts){ o->provider, o->source, o->all_hosts,
							 o->include_retired },
		       names, nnames, nnames > 0, 0);
	code = estimate_series(p, dates, nd, &st.src, o->min_quality, o->max_cost, &s, &err);
	est_store_release(&st);
	free(dates);
	if (code)
		return cmd_fail(&err);
	if (s.nlines == 0) {
		lc_errf(&err, LC_EDATA, "no model is priced between %s and %s%s", o->from, o->to,
			o->min_quality ? " with that --min-quality" : "");
		series_release(&s);
		return cmd_fail(&err);
	}
	code = print_series(ctx, o, p, &s);
	estimate_note_skipped(s.skipped);
	series_release(&s);
	return code;
}

/* --image WxH (o->dst the profile): one more image, the first replacing a preset's */
static int image_option(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	struct lc_profile *cli = o->dst;

	if (!(cli->set & PF_IMAGES))
		cli->nimages = 0;
	if (cli->nimages == LC_EST_MAX_IMAGES)
		return cmd_usage(ctx, "--image: at most %d images", LC_EST_MAX_IMAGES);
	if (image_parse_size(v, &cli->image_w[cli->nimages], &cli->image_h[cli->nimages]))
		return cmd_usage(ctx,
				 "--image: want WIDTHxHEIGHT in whole pixels from 1 to %d, like 1024x768, not '%s'",
				 LC_IMAGE_SIDE_MAX, v);
	cli->nimages++;
	return 0;
}

/* --audio-in-seconds S, --audio-out-seconds S (o->dst the milliseconds) */
static int seconds_option(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	char as[48];

	snprintf(as, sizeof(as), "--%s", o->name);
	return parse_seconds(ctx, as, v, o->dst) ? LC_EUSAGE : 0;
}

/* --min-quality SCORE: a number (kept as text, o->dst) */
static int quality_option(struct cmd_ctx *ctx, const struct opt *o, const char *v)
{
	int64_t q;

	if (money_parse(v, strlen(v), 9, &q, NULL, NULL) || strchr(v, '$'))
		return cmd_usage(ctx, "--min-quality: want a score like 1250, not '%s'", v);
	*(const char **)o->dst = v;
	return 0;
}

int estimate_parse_args(struct cmd_ctx *ctx, int argc, char **argv, const struct opt *caller,
			struct estimate_args *a, int *code)
{
	static const struct opt_choice ttls[] = { { "5m", 0 }, { "1h", 1 }, { NULL, 0 } };
	static const struct opt_choice details[] = {
		{ "low", LC_DETAIL_LOW }, { "high", LC_DETAIL_HIGH }, { NULL, 0 },
	};
	static const struct opt_choice pers[] = {
		{ "day", LC_PER_DAY }, { "month", LC_PER_MONTH }, { NULL, 0 },
	};
	static const struct opt_choice steps[] = {
		{ "month", LC_STEP_MONTH }, { "week", LC_STEP_WEEK }, { "day", LC_STEP_DAY },
		{ NULL, 0 },
	};
	enum { GIVEN_AT = 1, GIVEN_FROM = 2, GIVEN_TO = 4 };
	struct lc_profile *cli = &a->cli;
	int detail = 0, per = 0, step = LC_STEP_MONTH;
	unsigned given = 0;
/* a task count: whole tokens, marked in the profile's set bits */
#define TASK_COUNT(l, field, b, h)                                                           \
	{ .kind = OPTK_TOKENS, .name = (l), .dst = &cli->field, .arg = "N", .help = (h),       \
	  .seen = &cli->set, .bit = (b) }
#define TASK_OPT(kind_, l, p, a_, b, h, ...)                                                 \
	{ .kind = (kind_), .name = (l), .dst = (p), .arg = (a_), .help = (h), .seen = &cli->set, \
	  .bit = (b), __VA_ARGS__ }
#define DATE_GIVEN(l, p, b, h)                                                               \
	{ .kind = OPTK_DATE, .name = (l), .dst = (p), .arg = "DATE", .help = (h), .seen = &given, \
	  .bit = (b) }
	const struct opt own[] = {
		OPT_TEXT("usage: llmcost estimate [MODEL...] [--input N] [--output N] [options]\n"
			 "       llmcost estimate --list-tasks\n"
			 "\n"
			 "What a task costs on every model priced on DATE (default today), or on the\n"
			 "MODELs named, ranked cheapest first, with models that cannot take the task\n"
			 "(context window exceeded, no image or audio input) listed apart.  Entries\n"
			 "without input and output token prices (embeddings, image, video, rerank,\n"
			 "audio-only, per-request only) are skipped and counted on standard error\n"
			 "(\"skipped\" in --json); naming one is an error.\n"
			 "\n"),
		OPT_TEXT("The task (per task; counts are whole tokens):\n"),
		TASK_COUNT("input", input, PF_INPUT, "the whole text prompt, cached tokens included"),
		TASK_COUNT("output", output, PF_OUTPUT, "output tokens"),
		TASK_COUNT("cached-input", cached_input, PF_CACHED,
			   "of --input, tokens read from the prompt cache"),
		TASK_COUNT("cache-write", cache_write, PF_CACHE_WRITE,
			   "of --input, tokens written to the cache"),
		TASK_OPT(OPTK_CHOICE, "cache-ttl", &cli->cache_ttl_1h, "5m|1h", PF_CACHE_TTL,
			 "cache-write lifetime (default 5m)", .choices = ttls),
		TASK_COUNT("reasoning", reasoning, PF_REASONING,
			   "hidden reasoning tokens, on top of --output"),
		TASK_OPT(OPTK_CALLBACK, "image", cli, "WxH", PF_IMAGES,
			 "an input image (repeat for more), e.g. 1024x768", .cb = image_option),
		TASK_OPT(OPTK_CHOICE, "detail", &detail, "low|high", PF_DETAIL,
			 "OpenAI image detail (default high)", .choices = details),
		TASK_OPT(OPTK_CALLBACK, "audio-in-seconds", &cli->audio_in_ms, "S", PF_AUDIO_IN,
			 "audio in and out (decimals allowed)", .cb = seconds_option),
		TASK_OPT(OPTK_CALLBACK, "audio-out-seconds", &cli->audio_out_ms, "S", PF_AUDIO_OUT,
			 NULL, .cb = seconds_option, .flags = OPTF_JOIN),
		TASK_COUNT("requests", requests, PF_REQUESTS,
			   "API calls per task (default 1): per-request fees;\n"
			   "tiers and context windows are judged per request"),
		TASK_COUNT("web-searches", web_searches, PF_WEB_SEARCHES,
			   "web searches per task (search fees)"),
		TASK_OPT(OPTK_FLAG, "batch", &cli->batch, NULL, PF_BATCH,
			 "batch prices where the offering has them", .val = 1),
		TASK_COUNT("count", count, PF_COUNT, "tasks in the workload (default 1)"),
		TASK_OPT(OPTK_CHOICE, "per", &per, "day|month", PF_PER,
			 "the count is per day (adds a 30-day month figure)\n"
			 "or per month (adds a per-day figure, month / 30)", .choices = pers),
		OPT_STRING("task", 0, &a->task, "NAME", "a preset (see --list-tasks); options override it"),
		OPT_FLAG("list-tasks", 0, &a->list_tasks, "the presets, with what each assumes"),
		OPT_STRING("profile", 0, &a->profile_file, "FILE",
			   "a JSON profile (keys as the options, see README)"),
		OPT_STRING("prompt-file", 0, &a->prompt_file, "FILE",
			   "--input from a text file, counted by each model's\n"
			   "own tokenizer (`llmcost help tokens`; ~ marks the\n"
			   "approximate counts)"),
		OPT_TEXT("\n"
			 "Which models, which date:\n"),
		OPT_STRING("provider", 0, &a->provider, "P", "models made by P or sold by host P"),
		OPT_FLAG("all-hosts", 0, &a->all_hosts,
			 "every host's offering, not only the default host"),
		OPT_FLAG("include-retired", 0, &a->include_retired,
			 "also models retired (shut down) by the date, with\n"
			 "\"retired on DATE\" in the note; by default only\n"
			 "models available on the date are ranked"),
		OPT_CALLBACK("min-quality", &a->min_quality, "SCORE", quality_option,
			     "models with an arena_elo score of at least SCORE"),
		OPT_MONEY("max-cost", &a->max_cost, "USD", "an amount in USD like 2.50",
			  "models whose total is at most USD"),
		OPT_STRING("source", 0, &a->source, "NAME", "prices from one source only"),
		DATE_GIVEN("at", a->at, GIVEN_AT, "prices in effect on DATE (YYYY-MM-DD, default today)"),
		DATE_GIVEN("from", a->from, GIVEN_FROM,
			   "the total on each date from --from to --to, per\n"
			   "model, and the cheapest model meeting --min-quality\n"
			   "and --max-cost"),
		{ .kind = OPTK_DATE, .name = "to", .dst = a->to, .arg = "DATE", .seen = &given,
		  .bit = GIVEN_TO, .flags = OPTF_JOIN },
		OPT_CHOICE("step", &step, "month|week|day", steps,
			   "the dates from --from to --to (default month)"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "output formats; JSON amounts are exact decimal USD"),
		{ .kind = OPTK_FORMAT, .name = "csv", .dst = &ctx->fmt, .val = LC_FMT_CSV,
		  .flags = OPTF_JOIN },
		{ .kind = OPTK_FORMAT, .name = "md", .dst = &ctx->fmt, .val = LC_FMT_MD,
		  .flags = OPTF_JOIN },
		OPT_TEXT("\n"
			 "Columns: input, output (with reasoning), other (cache, audio, image\n"
			 "tokens, fees), per task, total (the task's usage times --count, priced\n"
			 "once, exactly), times the cheapest, arena_elo score.\n"
			 "\n"
			 "Exit codes: 2 bad option (negative or non-numeric count, malformed size or\n"
			 "date, counts that don't add up); 3 bad data (unknown model or preset,\n"
			 "malformed profile, no price on the date, a cost too large).\n"),
		OPT_END(),
	};
#undef TASK_COUNT
#undef TASK_OPT
#undef DATE_GIVEN
	/* a caller's table (plot estimate) is the help; estimate's options come after its own */
	const struct opt both[] = {
		OPT_INCLUDE(caller, NULL),
		OPT_INCLUDE(own, ""),
		OPT_END(),
	};

	*code = 0;
	memset(a, 0, sizeof(*a));
	profile_init(cli);
	cli->set = 0;
	a->max_cost = LC_NONE;
	date_format(a->at, sizeof(a->at), lc_today());
	if ((argc = opt_parse(ctx, argc, argv, caller ? both : own, code)) < 0)
		return 0;
	/* the enums, from the ints the choices were written to */
	if (cli->set & PF_DETAIL)
		cli->detail = (enum lc_detail)detail;
	if (cli->set & PF_PER)
		cli->per = (enum lc_per)per;
	a->step = (enum lc_step)step;
	if (a->list_tasks) {
		if (argc > 1) {
			*code = cmd_usage(ctx, "--list-tasks takes no MODEL");
			return 0;
		}
		*code = list_tasks(ctx);
		return 0;
	}
	if (!(given & GIVEN_FROM) != !(given & GIVEN_TO)) {
		*code = cmd_usage(ctx, "--from and --to go together");
		return 0;
	}
	if ((given & GIVEN_FROM) && (given & GIVEN_AT)) {
		*code = cmd_usage(ctx, "--at cannot be combined with --from/--to");
		return 0;
	}
	a->series = (given & GIVEN_FROM) != 0;
	if ((cli->set & PF_INPUT) && a->prompt_file) {
		*code = cmd_usage(ctx, "--input and --prompt-file both set the input; give one");
		return 0;
	}
	if ((*code = build_profile(ctx, a, &a->profile)))
		return 0;
	a->models = argv + 1;
	a->nmodels = argc - 1;
	return 1;
}

int estimate_rank_at(struct lc_db *db, const struct estimate_args *a, struct lc_ranking *out,
		     struct lc_err *err)
{
	struct est_store st;
	int rc;

	/* strict on the models named: one without a price is an error */
	est_store_init(&st, db, &(struct est_store_opts){ a->provider, a->source, a->all_hosts,
							 a->include_retired },
		       a->models, a->nmodels, 0, 1);
	st.src.strict = a->nmodels > 0;
	rc = estimate_at(&a->profile, a->at, &st.src, a->min_quality, a->max_cost, out, err);
	est_store_release(&st);
	if (rc)
		return -1;
	if (out->seen == 0) {
		ranking_release(out);
		return lc_errf(err, LC_EDATA, "no model is priced on %s%s%s", a->at,
			       a->provider ? " for provider " : "", a->provider ? a->provider : "");
	}
	if (out->seen == out->nskipped) {
		char why[512];

		estimate_skip_summary(why, sizeof(why), out->skipped);
		ranking_release(out);
		return lc_errf(err, LC_EDATA, "no model with token prices is priced on %s%s%s: %s",
			       a->at, a->provider ? " for provider " : "",
			       a->provider ? a->provider : "", why);
	}
	return 0;
}

void estimate_note_skipped(const size_t *counts)
{
	char why[512];

	if (estimate_skip_summary(why, sizeof(why), counts)[0])
		fprintf(stderr, "llmcost: %s\n", why);
}

int cmd_estimate(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct estimate_args o;
	struct lc_ranking rk;
	struct lc_err err = { 0 };
	struct lc_db *db;
	int code;

	if (!estimate_parse_args(ctx, argc, argv, NULL, &o, &code))
		return code;
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (o.series)
		return run_series(ctx, db, &o, &o.profile, o.models, o.nmodels);
	if (estimate_rank_at(db, &o, &rk, &err)) {
		code = cmd_fail(&err);
		if (err.reason == LC_R_UNKNOWN_NAME)
			cmd_note_stale_data(db, 1);
		return code;
	}
	if (rk.n == 0)
		fprintf(stderr, "llmcost: no model meets --min-quality/--max-cost on %s\n", o.at);
	{
		struct run r = { ctx, &o, &o.profile, o.at, rk.e, rk.n, rk.skipped };

		code = print_results(&r);
	}
	estimate_note_skipped(rk.skipped);
	ranking_release(&rk);
	return code;
}

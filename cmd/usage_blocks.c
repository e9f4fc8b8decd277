/*
 * usage_blocks.c - `llmcost usage blocks`: the stored usage cut into 5-hour
 * billing blocks (report/usage_blocks.h), with the active block's time
 * left, burn rate and projection, and --token-limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json_out.h"
#include "usage_blocks.h"
#include "usage_price.h"

struct blocks_view {
	int has_limit;
	lc_i128 limit;
	lc_ms now;
};

static char *hm(char *buf, size_t n, lc_ms t)
{
	char iso[32];

	ts_format(iso, sizeof(iso), t);
	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" -> "YYYY-MM-DD HH:MM" */
	snprintf(buf, n, "%.10s %.5s", iso, iso + 11);
	return buf;
}

static char *num(char *buf, size_t n, lc_i128 v)
{
	return i128_format(buf, n, v);
}

static void json_time(struct json_out *j, const char *key, lc_ms t)
{
	char b[32];

	json_key(j, key);
	json_str(j, ts_format(b, sizeof(b), t));
}

static void json_models(struct json_out *j, const char *models)
{
	json_key(j, "models");
	json_begin_array(j);
	for (const char *p = models; *p;) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);

		json_strn(j, p, len);
		p += len + (e ? 2 : 0);
	}
	json_end(j);
}

static void json_pace(struct json_out *j, const struct usage_block *b,
		      const struct blocks_view *v)
{
	struct block_pace p;
	char t[64];

	usage_block_pace(b, v->now, &p);
	json_key(j, "minutes_left");
	json_int(j, p.minutes_left);
	json_key(j, "burn_rate");
	if (p.has_rate) {
		json_begin_object(j);
		json_key(j, "tokens_per_minute");
		snprintf(t, sizeof(t), "%.2f", p.tokens_per_min);
		json_number(j, t);
		json_key(j, "cost_per_hour");
		json_money(j, p.cost_per_hour);
		json_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "projection");
	json_begin_object(j);
	json_key(j, "total_tokens");
	json_i128(j, p.projected_tokens);
	json_key(j, "cost");
	json_money(j, p.projected_cost);
	if (v->has_limit) {
		json_key(j, "over_limit");
		json_bool(j, p.projected_tokens > v->limit);
	}
	json_end(j);
}

static void json_block(struct json_out *j, const struct usage_block *b,
		       const struct blocks_view *v)
{
	json_begin_object(j);
	json_time(j, "start", b->start);
	json_time(j, "end", b->end);
	json_time(j, "first_activity", b->first);
	json_time(j, "last_activity", b->last);
	json_key(j, "active");
	json_bool(j, b->active);
	json_key(j, "records");
	json_int(j, b->entries);
	json_key(j, "input_tokens");
	json_i128(j, b->input);
	json_key(j, "output_tokens");
	json_i128(j, b->output);
	json_key(j, "cache_write_tokens");
	json_i128(j, b->cache_write);
	json_key(j, "cache_read_tokens");
	json_i128(j, b->cache_read);
	json_key(j, "total_tokens");
	json_i128(j, usage_block_tokens(b));
	json_key(j, "unpriced_records");
	json_int(j, b->unpriced);
	json_key(j, "cost");
	if (b->unpriced == b->entries)
		json_null(j);
	else
		json_money(j, b->cost);
	json_models(j, b->models);
	if (v->has_limit) {
		json_key(j, "over_limit");
		json_bool(j, usage_block_tokens(b) > v->limit);
	}
	if (b->active)
		json_pace(j, b, v);
	json_end(j);
}

static void print_json(const struct usage_block *const *sel, size_t n,
		       const struct usage_blocks *r, const struct blocks_view *v)
{
	struct json_out j;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_layout(&j, "", ",\n", "");
	json_key(&j, "blocks");
	json_begin_array(&j);
	json_layout(&j, "\n  ", ",\n  ", "\n");
	for (size_t i = 0; i < n; i++)
		json_block(&j, sel[i], v);
	json_end(&j);
	json_key(&j, "token_limit");
	if (v->has_limit)
		json_i128(&j, v->limit);
	else
		json_null(&j);
	json_key(&j, "unpriced");
	json_begin_array(&j);
	for (size_t i = 0; i < r->rep.nunpriced; i++) {
		json_begin_object(&j);
		json_key(&j, "model");
		json_str(&j, r->rep.unpriced[i].model);
		json_key(&j, "reason");
		json_str(&j, r->rep.unpriced[i].reason);
		json_key(&j, "records");
		json_i128(&j, r->rep.unpriced[i].records);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	fputc('\n', stdout);
}

static void table_block(struct lc_table *t, const struct usage_block *b,
			const struct blocks_view *v, int exact)
{
	char s[64];

	table_cell(t, exact ? ts_format(s, sizeof(s), b->start) : hm(s, sizeof(s), b->start));
	table_cell(t, exact ? ts_format(s, sizeof(s), b->end) : hm(s, sizeof(s), b->end));
	table_cell(t, exact ? ts_format(s, sizeof(s), b->last) : hm(s, sizeof(s), b->last));
	table_cell(t, b->active ? "ACTIVE" : "");
	table_cell(t, b->models);
	table_cell(t, num(s, sizeof(s), b->input));
	table_cell(t, num(s, sizeof(s), b->output));
	table_cell(t, num(s, sizeof(s), b->cache_write));
	table_cell(t, num(s, sizeof(s), b->cache_read));
	table_cell(t, num(s, sizeof(s), usage_block_tokens(b)));
	if (v->has_limit)
		table_cell(t, usage_block_tokens(b) > v->limit ? "over" : "");
	if (b->unpriced == b->entries)
		table_cell(t, exact ? NULL : "unpriced");
	else if (exact)
		table_cell(t, money_format(s, sizeof(s), b->cost, -1));
	else
		table_cell(t, money_format_usd(s, sizeof(s), b->cost));
}

/* The active block's pace, under the table. */
static void print_pace(const struct usage_block *b, const struct blocks_view *v)
{
	struct block_pace p;
	char t[64], c[64];

	usage_block_pace(b, v->now, &p);
	printf("active block: %lldh %02lldm left", (long long)(p.minutes_left / 60),
	       (long long)(p.minutes_left % 60));
	if (p.has_rate)
		printf("; burn rate %.0f tokens/min, %s/hour", p.tokens_per_min,
		       money_format_usd(c, sizeof(c), p.cost_per_hour));
	printf("\nprojected at its end: %s tokens, %s", num(t, sizeof(t), p.projected_tokens),
	       money_format_usd(c, sizeof(c), p.projected_cost));
	if (v->has_limit)
		printf(" (%s the %s-token limit)", p.projected_tokens > v->limit ? "over" : "within",
		       num(t, sizeof(t), v->limit));
	putchar('\n');
}

static void print_table(const struct usage_block *const *sel, size_t n,
			const struct blocks_view *v, enum lc_format fmt)
{
	struct lc_table *t = table_new();
	int exact = fmt != LC_FMT_TEXT;
	const struct usage_block *active = NULL;

	table_col(t, "start", "start", 0);
	table_col(t, "end", "end", 0);
	table_col(t, "last activity", "last_activity", 0);
	table_col(t, "status", "status", 0);
	table_col(t, "models", "models", 0);
	table_col(t, "input", "input_tokens", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "output", "output_tokens", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "cache write", "cache_write_tokens", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "cache read", "cache_read_tokens", TABLE_RIGHT | TABLE_NUMBER);
	table_col(t, "total tokens", "total_tokens", TABLE_RIGHT | TABLE_NUMBER);
	if (v->has_limit)
		table_col(t, "limit", "over_limit", 0);
	table_col(t, exact ? "cost_usd" : "cost", "cost", TABLE_RIGHT | TABLE_NUMBER);
	for (size_t i = 0; i < n; i++) {
		table_block(t, sel[i], v, exact);
		if (sel[i]->active)
			active = sel[i];
	}
	table_print(t, stdout, fmt, fmt == LC_FMT_TEXT ? table_term_width() : 0);
	table_free(t);
	if (fmt == LC_FMT_TEXT && active)
		print_pace(active, v);
}

/* --token-limit N|max into v (max: the most tokens of a finished block) */
static int parse_limit(struct cmd_ctx *ctx, const char *text, const struct usage_blocks *r,
		       struct blocks_view *v)
{
	int64_t n;

	if (!text)
		return 0;
	v->has_limit = 1;
	if (!strcmp(text, "max")) {
		v->limit = r->max_tokens;
		return 0;
	}
	if (cmd_parse_count(ctx, "--token-limit", text, &n))
		return LC_EUSAGE;
	v->limit = n;
	return 0;
}

int cmd_usage_blocks(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct usage_report_opts o;
	struct usage_blocks r;
	struct blocks_view v = { 0 };
	struct lc_err err = { 0 };
	struct lc_db *db;
	const struct usage_block **sel;
	const char *limit = NULL;
	char since[11] = "", until[11] = "";
	int code = 0, active_only = 0;
	size_t n = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost usage blocks [--active] [--token-limit N|max] [options]\n"
			 "\n"
			 "The stored usage in 5-hour billing blocks, as Claude's subscription plans\n"
			 "count it: a block starts at its first message's time floored to the UTC hour\n"
			 "and lasts 5 hours; the first message after its end (one exactly at the end\n"
			 "is still in it) starts the next block, so does any message after a gap of\n"
			 "more than 5 hours.  Per block: start, end, last activity, models, tokens and\n"
			 "cost (each record priced as `llmcost usage` prices it).  The block active\n"
			 "now (now before its end, its last message within 5 hours) shows the time\n"
			 "left, the burn rate between its first and last message, and the tokens and\n"
			 "cost at its end if that rate goes on.  Times are UTC.\n"
			 "\n"),
		OPT_FLAG("active", 0, &active_only, "only the active block"),
		OPT_STRING("token-limit", 0, &limit, "N|max",
			   "flag blocks and projections over N tokens (max: the\n"
			   "most tokens of an earlier block)"),
		OPT_DATE("since", since, "blocks starting on or after DATE (UTC)"),
		OPT_DATE("until", until, "blocks starting on or before DATE (UTC)"),
		OPT_STRING("source", 0, &o.source, "NAME",
			   "prices from one source only (see `llmcost sources`)"),
		OPT_CALLBACK("user", &o.user, "U", cmd_opt_user,
			     "the blocks of user U's records alone (whole, as\n"
			     "ingested)"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "output format; JSON costs are exact decimal USD"),
		{ .kind = OPTK_FORMAT, .name = "csv", .dst = &ctx->fmt, .val = LC_FMT_CSV,
		  .flags = OPTF_JOIN },
		{ .kind = OPTK_FORMAT, .name = "md", .dst = &ctx->fmt, .val = LC_FMT_MD,
		  .flags = OPTF_JOIN },
		OPT_TEXT("\n"
			 "LLMCOST_NOW (an ISO 8601 instant) replaces the clock.  Exit 0, 2 on a bad\n"
			 "option, 3 when no usage has --user's user, 5 on a database failure.\n"),
		OPT_END(),
	};

	memset(&o, 0, sizeof(o));
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	if (limit && strcmp(limit, "max")) {
		int64_t t;

		if (cmd_parse_count(ctx, "--token-limit", limit, &t))
			return LC_EUSAGE;
	}
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (o.user && (code = cmd_user_known(db, o.user)) != 0)
		return code;
	o.price = usage_row_price;
	v.now = lc_now();
	if (usage_blocks_run(db, &o, v.now, &r, &err))
		return cmd_fail(&err);
	if ((code = parse_limit(ctx, limit, &r, &v)) != 0) {
		usage_blocks_release(&r);
		return code;
	}
	sel = xcalloc(r.n ? r.n : 1, sizeof(*sel));
	for (size_t i = 0; i < r.n; i++) {
		char d[11];

		date_format(d, sizeof(d), ts_date_utc(r.v[i].start));
		if ((active_only && !r.v[i].active) || (since[0] && strcmp(d, since) < 0) ||
		    (until[0] && strcmp(d, until) > 0))
			continue;
		sel[n++] = &r.v[i];
	}
	if (ctx->fmt == LC_FMT_JSON)
		print_json(sel, n, &r, &v);
	else if (n == 0 && ctx->fmt == LC_FMT_TEXT)
		fprintf(stderr, "llmcost: no %s in the store; see `llmcost ingest usage`\n",
			active_only ? "active block" : "usage");
	else
		print_table(sel, n, &v, ctx->fmt);
	free(sel);
	usage_blocks_release(&r);
	return 0;
}

/*
 * usage.c - `llmcost usage daily|weekly|monthly|session|project|model|user`:
 * spend reports over the usage in the store, with what-if repricing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db_plan.h"
#include "json_out.h"
#include "usage_price.h"
#include "usage_report.h"
#include "usage_known.h"


/* --cost-mode (usage, budget status): enum usage_cost_mode */
const struct opt_choice cmd_cost_modes[] = {
	{ "calculated", UC_CALCULATED }, { "logged", UC_LOGGED }, { "auto", UC_AUTO },
	{ NULL, 0 },
};

static const char *const groups[] = { "daily", "weekly", "monthly", "session", "project",
				      "model", "user" };
static const char *const key_names[] = { "date", "week", "month", "session", "project",
					 "model", "user" };

static const struct opt_choice week_days[] = {
	{ "monday", 0 }, { "tuesday", 1 }, { "wednesday", 2 }, { "thursday", 3 },
	{ "friday", 4 }, { "saturday", 5 }, { "sunday", 6 }, { NULL, 0 },
};
static const struct opt_choice orders[] = { { "asc", UO_ASC }, { "desc", UO_DESC }, { NULL, 0 } };
static const char *const day_names[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					 "Friday", "Saturday", "Sunday" };

static char *num(char *buf, size_t n, lc_i128 v)
{
	return i128_format(buf, n, v);
}

/* The exact amount; for people (not exact) with the '*' of a partly
   unpriced row, which the table shows after the amount (TABLE_USD). */
static char *usd_text(char *buf, size_t n, lc_i128 nanos, lc_i128 unpriced, int exact)
{
	money_format(buf, n, nanos, -1);
	if (!exact && unpriced) {
		size_t len = strlen(buf);

		if (len + 1 < n)
			memcpy(buf + len, "*", 2);
	}
	return buf;
}

static const char *const part_names[LC_PART_N] = {
	"input", "cache read", "cache write 5m", "cache write 1h", "output", "reasoning",
	"audio input", "audio output", "image input", "fees",
};

static int part_shown(const struct usage_explain *e, int i)
{
	return e->tokens[i] != 0 || e->part_cost[i] != 0;
}

static char *tier_text(char *buf, size_t n, const struct usage_explain *e)
{
	if (e->tier_min)
		snprintf(buf, n, "over %lld%s", (long long)e->tier_min, e->batch ? ", batch" : "");
	else
		snprintf(buf, n, "base%s", e->batch ? ", batch" : "");
	return buf;
}

/* "$" and the exact decimal USD of nanos */
static char *usd_exact(char *buf, size_t n, lc_i128 nanos)
{
	buf[0] = '$';
	money_format(buf + 1, n - 1, nanos, -1);
	return buf;
}

/* --explain as text: one line per priced component, then the line's total
   and, where its records carry one, the logged cost. */
static void print_explain(const struct usage_report *r, const struct usage_report_opts *o,
			  int width)
{
	struct lc_table *t = table_new();
	char b[64], c[64], period[32];

	/* too wide: the host goes first, the model last; what each part cost stays */
	table_col(t, key_names[o->group], "key", TABLE_KEY);
	table_col(t, "model", "model", TABLE_DROP(6));
	table_col(t, "host", "host", TABLE_DROP(1));
	table_col(t, "prices of", "period", TABLE_DROP(2));
	table_col(t, "tier", "tier", TABLE_DROP(3));
	table_col(t, "part", "part", TABLE_KEY);
	table_col(t, "tokens", "tokens", TABLE_RIGHT | TABLE_NUMBER | TABLE_COUNT | TABLE_DROP(5));
	table_col(t, "$/M", "usd_per_mtok", TABLE_RIGHT | TABLE_DROP(4));
	table_col(t, "cost", "cost", TABLE_RIGHT | TABLE_ANSWER);
	for (size_t k = 0; k < r->nexplain; k++) {
		const struct usage_explain *e = &r->explain[k];
		int first = 1;

		if (e->to[0])
			snprintf(period, sizeof(period), "%s to %s", e->from, e->to);
		else
			snprintf(period, sizeof(period), "from %s", e->from);
		for (int i = 0; i < LC_PART_N; i++) {
			if (!part_shown(e, i))
				continue;
			table_cell(t, first ? e->key : "");
			table_cell(t, first ? e->model : "");
			table_cell(t, first ? e->host : "");
			table_cell(t, first ? period : "");
			table_cell(t, first ? tier_text(b, sizeof(b), e) : "");
			first = 0;
			table_cell(t, part_names[i]);
			table_cell(t, i == LC_PART_FEES ? "" : num(b, sizeof(b), e->tokens[i]));
			table_cell(t, e->rate[i] < 0 ? "" : usd_exact(c, sizeof(c), e->rate[i]));
			table_cell(t, usd_exact(b, sizeof(b), e->part_cost[i]));
		}
		for (int i = 0; i < 5; i++)
			table_cell(t, first && !i ? e->key : "");
		table_cellf(t, "calculated (%s records)", num(b, sizeof(b), e->records));
		table_cell(t, "");
		table_cell(t, "");
		table_cell(t, usd_exact(b, sizeof(b), e->cost));
		if (!e->logged_records)
			continue;
		for (int i = 0; i < 5; i++)
			table_cell(t, "");
		snprintf(c, sizeof(c), "%s", num(b, sizeof(b), e->logged_records));
		table_cellf(t, "logged (%s of %s records)%s", c, num(b, sizeof(b), e->records),
			    e->logged_records == e->records && e->logged_cost != e->cost ? " differs"
											  : "");
		table_cell(t, "");
		table_cell(t, "");
		table_cell(t, usd_exact(b, sizeof(b), e->logged_cost));
	}
	puts("");
	table_wrap(stdout,
		   "How each row was priced (--explain; llmcost's prices, each row's records "
		   "on the price period of their date, the tier on each request's whole "
		   "prompt):",
		   width);
	table_print(t, stdout, LC_FMT_TEXT, width);
	table_free(t);
}

static void json_explain(struct json_out *j, const struct usage_report *r)
{
	char b[64];

	json_key(j, "explain");
	json_begin_array(j);
	json_layout(j, "\n  ", ",\n  ", "\n");
	for (size_t k = 0; k < r->nexplain; k++) {
		const struct usage_explain *e = &r->explain[k];

		json_begin_object(j);
		json_key(j, "key");
		json_str(j, e->key);
		json_key(j, "model");
		json_str(j, e->model);
		json_key(j, "host");
		json_str(j, e->host);
		json_key(j, "source");
		json_str(j, e->source);
		json_key(j, "price_from");
		json_str(j, e->from);
		json_key(j, "price_to");
		json_str(j, e->to[0] ? e->to : NULL);
		json_key(j, "tier");
		json_str(j, tier_text(b, sizeof(b), e));
		json_key(j, "tier_min_input_tokens");
		json_int(j, e->tier_min);
		json_key(j, "batch");
		json_bool(j, e->batch);
		json_key(j, "records");
		json_i128(j, e->records);
		json_key(j, "parts");
		json_begin_array(j);
		for (int i = 0; i < LC_PART_N; i++) {
			if (!part_shown(e, i))
				continue;
			json_begin_object(j);
			json_key(j, "part");
			json_str(j, part_names[i]);
			json_key(j, "tokens");
			json_i128(j, e->tokens[i]);
			json_key(j, "usd_per_mtok");
			if (e->rate[i] < 0)
				json_null(j);
			else
				json_money(j, e->rate[i]);
			json_key(j, "cost");
			json_money(j, e->part_cost[i]);
			json_end(j);
		}
		json_end(j);
		json_key(j, "cost");
		json_money(j, e->cost);
		json_key(j, "logged_records");
		json_i128(j, e->logged_records);
		json_key(j, "logged_cost");
		if (e->logged_records)
			json_money(j, e->logged_cost);
		else
			json_null(j);
		json_end(j);
	}
	json_end(j);
}

/* Known plan ids, comma-separated, into buf (for the error). */
static int join_plan(void *ctx, const struct lc_plan *p)
{
	char *buf = ctx;
	size_t n = strlen(buf);

	/* periods come by id: one mention each */
	if (n >= strlen(p->id) && !strcmp(buf + n - strlen(p->id), p->id))
		return 0;
	if (n + strlen(p->id) + 3 < 1024)
		snprintf(buf + n, 1024 - n, "%s%s", n ? ", " : "", p->id);
	return 0;
}

static int count_plan(void *ctx, const struct lc_plan *p)
{
	(void)ctx, (void)p;
	return 1;
}

/* The plan ids of --plan into ids: their number, or -1 with *code (exit 2
   for an unknown one, with the known ones named). */
static int plan_ids(struct cmd_ctx *ctx, struct lc_db *db, const char *arg,
		    char ids[UR_MAX_AS][LC_ID_MAX], int *code)
{
	struct lc_err err = { 0 };
	char list[1024];
	int n = 0;

	LC_COPY(list, arg);
	for (char *p = list, *tok; (tok = strsep(&p, ",")) != NULL;) {
		char known[1024] = "";
		int found;

		if (!*tok)
			continue;
		if (n == UR_MAX_AS) {
			*code = cmd_usage(ctx, "--plan: at most %d plans", UR_MAX_AS);
			return -1;
		}
		if ((found = db_plans(db, tok, count_plan, NULL, &err)) < 0) {
			*code = cmd_fail(&err);
			return -1;
		}
		if (!found) {
			if (db_plans(db, NULL, join_plan, known, &err) < 0) {
				*code = cmd_fail(&err);
				return -1;
			}
			*code = cmd_usage(ctx, "--plan: unknown plan '%s' (known: %s)", tok, known);
			return -1;
		}
		lc_strlcpy(ids[n++], tok, LC_ID_MAX);
	}
	if (!n) {
		*code = cmd_usage(ctx, "--plan: no plan named");
		return -1;
	}
	return n;
}

static void json_plans(struct json_out *j, const struct usage_plan_line *pl, size_t n)
{
	json_key(j, "plans");
	json_begin_array(j);
	json_layout(j, "\n  ", ",\n  ", "\n");
	for (size_t i = 0; i < n; i++) {
		json_begin_object(j);
		json_key(j, "month");
		json_str(j, pl[i].month);
		json_key(j, "plan");
		json_str(j, pl[i].plan);
		json_key(j, "name");
		json_str(j, pl[i].name);
		json_key(j, "plan_usd");
		if (pl[i].offered)
			json_money(j, pl[i].plan_cost);
		else
			json_null(j);
		json_key(j, "api_equivalent");
		json_money(j, pl[i].api);
		json_key(j, "unpriced_records");
		json_i128(j, pl[i].unpriced_records);
		json_key(j, "saved");
		if (pl[i].offered)
			json_money(j, pl[i].saved);
		else
			json_null(j);
		json_end(j);
	}
	json_end(j);
}

/* Each month against each plan: text sentences, or a table in CSV and MD. */
static void print_plans(const struct usage_plan_line *pl, size_t n, enum lc_format fmt)
{
	char a[64], b[64], c[64];

	if (fmt == LC_FMT_TEXT) {
		puts("");
		for (size_t i = 0; i < n; i++) {
			money_format_usd(a, sizeof(a), pl[i].api);
			if (!pl[i].offered) {
				esc_printf(stdout, "%s: API-equivalent %s%s; %s: no price that month\n",
					   pl[i].month, a, pl[i].unpriced_records ? "*" : "",
					   pl[i].name);
				continue;
			}
			money_format_usd(b, sizeof(b), pl[i].plan_cost);
			money_format_usd(c, sizeof(c), pl[i].saved < 0 ? -pl[i].saved : pl[i].saved);
			esc_printf(stdout, "%s: API-equivalent %s%s; %s %s; you %s %s\n",
				   pl[i].month, a, pl[i].unpriced_records ? "*" : "", pl[i].name, b,
				   pl[i].saved >= 0 ? "saved" : "over-paid", c);
		}
		return;
	}
	{
		struct lc_table *t = table_new();

		table_col(t, "month", "month", 0);
		table_col(t, "plan", "plan", 0);
		table_col(t, "plan_usd", "plan_usd", TABLE_RIGHT | TABLE_NUMBER);
		table_col(t, "api_equivalent_usd", "api_equivalent", TABLE_RIGHT | TABLE_NUMBER);
		table_col(t, "saved_usd", "saved", TABLE_RIGHT | TABLE_NUMBER);
		for (size_t i = 0; i < n; i++) {
			table_cell(t, pl[i].month);
			table_cell(t, pl[i].plan);
			table_cell(t, pl[i].offered ? money_format(a, sizeof(a), pl[i].plan_cost, -1)
						    : NULL);
			table_cell(t, money_format(b, sizeof(b), pl[i].api, -1));
			table_cell(t, pl[i].offered ? money_format(c, sizeof(c), pl[i].saved, -1)
						    : NULL);
		}
		fputs("\n", stdout);
		table_print(t, stdout, fmt, 0);
		table_free(t);
	}
}

/* The members of one row object, without the closing brace. */
static void json_sums_open(struct json_out *j, const char *key, const char *model,
			   const struct usage_sums *s, const struct usage_report_opts *o)
{
	json_begin_object(j);
	if (key) {
		json_key(j, "key");
		json_str(j, key);
	}
	if (model) {
		json_key(j, "model");
		json_str(j, model);
	}
	json_key(j, "input_tokens");
	json_i128(j, s->input);
	json_key(j, "output_tokens");
	json_i128(j, s->output);
	json_key(j, "cache_read_tokens");
	json_i128(j, s->cache_read);
	json_key(j, "cache_write_tokens");
	json_i128(j, s->cache_write);
	json_key(j, "reasoning_tokens");
	json_i128(j, s->reasoning);
	json_key(j, "audio_input_tokens");
	json_i128(j, s->audio_input);
	json_key(j, "audio_output_tokens");
	json_i128(j, s->audio_output);
	json_key(j, "image_input_tokens");
	json_i128(j, s->image_input);
	json_key(j, "other_tokens");
	json_i128(j, s->other_tokens);
	json_key(j, "records");
	json_i128(j, s->records);
	json_key(j, "unpriced_records");
	json_i128(j, s->unpriced_records);
	/* whatever the mode, what the logs say it cost (over the records saying it) */
	json_key(j, "logged_records");
	json_i128(j, s->logged_records);
	json_key(j, "logged_cost");
	if (s->logged_records)
		json_money(j, s->logged_cost);
	else
		json_null(j);
	/* a row with no priced record has no cost: null, never a silent 0 */
	json_key(j, "cost");
	if (s->records && s->unpriced_records == s->records)
		json_null(j);
	else
		json_money(j, s->cost);
	if (o->nas) {
		json_key(j, "as");
		json_begin_object(j);
		for (int i = 0; i < o->nas; i++) {
			json_key(j, o->as_model[i]);
			if (s->as_unpriced[i])
				json_null(j);
			else
				json_money(j, s->as_cost[i]);
		}
		json_end(j);
		/* records whose prompt would not fit each what-if model's window */
		json_key(j, "as_over_context");
		json_begin_object(j);
		for (int i = 0; i < o->nas; i++) {
			json_key(j, o->as_model[i]);
			json_i128(j, s->as_over[i]);
		}
		json_end(j);
	}
}

static void json_sums(struct json_out *j, const char *key, const char *model,
		      const struct usage_sums *s, const struct usage_report_opts *o)
{
	json_sums_open(j, key, model, s, o);
	json_end(j);
}

/* A session row's details (see struct usage_line). */
static void json_session(struct json_out *j, const struct usage_line *l)
{
	char t[32];

	json_key(j, "project");
	json_str(j, l->project ? l->project : "");
	json_key(j, "first_activity");
	json_str(j, ts_format(t, sizeof(t), l->first_ms));
	json_key(j, "last_activity");
	json_str(j, ts_format(t, sizeof(t), l->last_ms));
	json_key(j, "models");
	json_begin_array(j);
	for (const char *p = l->models ? l->models : ""; *p;) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);

		json_strn(j, p, len);
		p += len + (e ? 2 : 0);
	}
	json_end(j);
}

static void print_json(const struct usage_report *r, const struct usage_report_opts *o,
		       const struct usage_plan_line *pl, size_t npl)
{
	struct json_out j;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_layout(&j, "", ",\n", "");
	json_key(&j, "cost_mode");
	json_str(&j, usage_cost_mode_names[o->cost_mode]);
	json_key(&j, "rows");
	json_begin_array(&j);
	json_layout(&j, "\n  ", ",\n  ", "\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct usage_line *l = &r->rows[i];

		if (l->model[0])
			continue;
		if (!o->breakdown && o->group != UG_SESSION) {
			json_sums(&j, l->key, NULL, &l->s, o);
			continue;
		}
		json_sums_open(&j, l->key, NULL, &l->s, o);
		if (o->group == UG_SESSION)
			json_session(&j, l);
		if (!o->breakdown) {
			json_end(&j);
			continue;
		}
		/* the row, then its models */
		json_key(&j, "models");
		json_begin_array(&j);
		for (size_t k = i + 1; k < r->n && r->rows[k].model[0]; k++)
			json_sums(&j, NULL, r->rows[k].model, &r->rows[k].s, o);
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "total");
	json_sums(&j, NULL, NULL, &r->total, o);
	if (o->parts)
		json_explain(&j, r);
	if (npl)
		json_plans(&j, pl, npl);
	if (o->nas) {
		json_key(&j, "as_context");
		json_begin_array(&j);
		for (int i = 0; i < o->nas; i++) {
			json_begin_object(&j);
			json_key(&j, "model");
			json_str(&j, o->as_model[i]);
			json_key(&j, "context_window");
			if (o->as_window[i])
				json_int(&j, o->as_window[i]);
			else
				json_null(&j);
			json_key(&j, "over_context");
			json_i128(&j, r->total.as_over[i]);
			json_end(&j);
		}
		json_end(&j);
	}
	json_key(&j, "unpriced");
	json_begin_array(&j);
	for (size_t i = 0; i < r->nunpriced; i++) {
		json_begin_object(&j);
		json_key(&j, "model");
		json_str(&j, r->unpriced[i].model);
		json_key(&j, "reason");
		json_str(&j, r->unpriced[i].reason);
		json_key(&j, "records");
		json_i128(&j, r->unpriced[i].records);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "zone");
	json_str(&j, o->tz);
	json_end(&j);
	fputc('\n', stdout);
}

static void table_sums(struct lc_table *t, const struct usage_sums *s,
		       const struct usage_report_opts *o, int exact)
{
	char b[64];

	table_cell(t, num(b, sizeof(b), s->input));
	table_cell(t, num(b, sizeof(b), s->output));
	table_cell(t, num(b, sizeof(b), s->cache_write));
	table_cell(t, num(b, sizeof(b), s->cache_read));
	table_cell(t, num(b, sizeof(b), s->reasoning));
	table_cell(t, num(b, sizeof(b), s->records));
	if (s->records && s->unpriced_records == s->records)
		table_cell(t, exact ? NULL : "unpriced");
	else
		table_cell(t, usd_text(b, sizeof(b), s->cost, s->unpriced_records, exact));
	for (int i = 0; i < o->nas; i++) {
		if (s->as_unpriced[i]) {
			table_cell(t, exact ? NULL : "-");
			continue;
		}
		usd_text(b, sizeof(b), s->as_cost[i], 0, exact);
		/* ! marks a row with requests over the model's context window */
		if (!exact && s->as_over[i] && strlen(b) + 1 < sizeof(b))
			memcpy(b + strlen(b), "!", 2);
		table_cell(t, b);
	}
}

/* The context window of the what-if model o->as_model[o->nas] (0: unknown). */
static int as_window(struct lc_db *db, struct usage_report_opts *o, struct lc_err *err)
{
	struct lc_model m;
	int found = db_model_get(db, o->as_model[o->nas], &m, err);

	if (found < 0)
		return -1;
	o->as_window[o->nas] = found ? m.context_window : 0;
	return 0;
}

/* "128k", "1M", or the exact count when it is no round figure. */
static char *window_text(char *buf, size_t n, int64_t w)
{
	if (w % 1000000 == 0)
		snprintf(buf, n, "%lldM", (long long)(w / 1000000));
	else if (w % 1000 == 0)
		snprintf(buf, n, "%lldk", (long long)(w / 1000));
	else
		snprintf(buf, n, "%lld", (long long)w);
	return buf;
}

/* The footnote of --as: the records each what-if model could not take. */
static void print_as_context(const struct usage_report *r, const struct usage_report_opts *o,
			     int width)
{
	char b[48], c[48], d[48], w[32], line[LC_ID_MAX + 256];

	/* the ids are the catalogue's (resolved), nothing from input */
	for (int i = 0; i < o->nas; i++) {
		if (!o->as_window[i])
			snprintf(line, sizeof(line), "as %s: context window unknown", o->as_model[i]);
		else if (r->total.as_over[i])
			snprintf(line, sizeof(line),
				 "! %s of %s requests exceed %s's %s context window (a whole "
				 "prompt over %s tokens)",
				 money_format_count(b, sizeof(b), r->total.as_over[i]),
				 money_format_count(c, sizeof(c), r->total.records), o->as_model[i],
				 window_text(w, sizeof(w), o->as_window[i]),
				 money_format_count(d, sizeof(d), o->as_window[i]));
		else
			continue;
		table_wrap(stdout, line, width);
	}
}

static void session_cols(struct lc_table *t)
{
	/* too wide: first activity and models go first, the project last */
	table_col(t, "project", "project", TABLE_DROP(9));
	table_col(t, "first", "first_activity", TABLE_DROP(1));
	table_col(t, "last", "last_activity", TABLE_DROP(7));
	table_col(t, "models", "models", TABLE_DROP(2));
}

/* A session id in text: a UUID's first 8 characters (JSON, CSV and
   Markdown keep it whole). */
static char *short_id(char *buf, size_t n, const char *id)
{
	if (strlen(id) <= 12)
		lc_strlcpy(buf, id, n);
	else
		snprintf(buf, n, "%.8s..", id);
	return buf;
}

/* The session row l's project, first and last activity and models (l NULL:
   empty cells, for sub-rows and the total).  Text shows the project's last
   folder and times to the minute; other formats are whole. */
static void session_cells(struct lc_table *t, const struct usage_line *l, int exact)
{
	char a[32], b[32];
	const char *p, *slash;

	if (!l) {
		for (int i = 0; i < 4; i++)
			table_cell(t, "");
		return;
	}
	p = l->project ? l->project : "";
	slash = strrchr(p, '/');
	table_cell(t, !exact && slash && slash[1] ? slash + 1 : p);
	ts_format(a, sizeof(a), l->first_ms);
	ts_format(b, sizeof(b), l->last_ms);
	if (!exact) {
		a[10] = b[10] = ' ';
		a[16] = b[16] = '\0';
	}
	table_cell(t, a);
	table_cell(t, b);
	table_cell(t, l->models ? l->models : "");
}

/* A model id without its date suffix ("as gpt-4o-2024-08-06" -> "as
   gpt-4o"), in place: the short header of a what-if column. */
static char *undated(char *h)
{
	size_t n = strlen(h);
	int k = 0;

	while (k < (int)n && h[n - 1 - k] >= '0' && h[n - 1 - k] <= '9')
		k++;
	if (k == 8 && n > 9 && h[n - 9] == '-') /* -YYYYMMDD */
		h[n - 9] = '\0';
	else if (k == 2 && n > 11 && !strncmp(h + n - 11, "-20", 3) && h[n - 6] == '-' &&
		 h[n - 3] == '-') /* -YYYY-MM-DD */
		h[n - 11] = '\0';
	return h;
}

static void print_table(const struct usage_report *r, const struct usage_report_opts *o,
			enum lc_format fmt, int width)
{
	struct lc_table *t = table_new();
	int exact = fmt == LC_FMT_CSV; /* text and Markdown: for people */
	const int N = TABLE_RIGHT | TABLE_NUMBER | TABLE_COUNT, A = TABLE_RIGHT | TABLE_NUMBER |
								   TABLE_ANSWER | TABLE_USD;
	char b[64];

	table_col(t, key_names[o->group], "key", TABLE_KEY);
	if (o->group == UG_SESSION)
		session_cols(t);
	if (o->breakdown)
		table_col(t, "model", "model", TABLE_KEY);
	/* too wide: reasoning goes first, input last; cost and what-ifs stay */
	table_col(t, "input", "input_tokens", N | TABLE_DROP(6));
	table_abbr(t, "in");
	table_col(t, "output", "output_tokens", N | TABLE_DROP(5));
	table_abbr(t, "out");
	table_col(t, "cache write", "cache_write_tokens", N | TABLE_DROP(2));
	table_abbr(t, "c.write");
	table_col(t, "cache read", "cache_read_tokens", N | TABLE_DROP(4));
	table_abbr(t, "c.read");
	table_col(t, "reasoning", "reasoning_tokens", N | TABLE_DROP(1));
	table_abbr(t, "reason");
	table_col(t, "records", "records", N | TABLE_DROP(3));
	table_abbr(t, "recs");
	table_col(t, "cost", "cost", A);
	for (int i = 0; i < o->nas; i++) {
		char h[LC_ID_MAX + 8];

		snprintf(h, sizeof(h), "as %s", o->as_model[i]);
		table_col(t, h, h, A);
		table_abbr(t, undated(h));
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct usage_line *l = &r->rows[i];

		if (l->model[0] && fmt == LC_FMT_TEXT)
			table_cell(t, "");
		else if (o->group == UG_SESSION && fmt == LC_FMT_TEXT)
			table_cell(t, short_id(b, sizeof(b), l->key));
		else
			table_cell(t, l->key);
		if (o->group == UG_SESSION)
			session_cells(t, l->model[0] ? NULL : l, fmt != LC_FMT_TEXT);
		if (o->breakdown)
			table_cell(t, l->model[0] ? l->model : (exact ? "" : "(all)"));
		table_sums(t, &l->s, o, exact);
	}
	table_cell(t, "total");
	if (o->group == UG_SESSION)
		session_cells(t, NULL, 1);
	if (o->breakdown)
		table_cell(t, "");
	table_sums(t, &r->total, o, exact);
	table_print(t, stdout, fmt, width);
	table_free(t);
	if (fmt == LC_FMT_TEXT) {
		for (size_t i = 0; i < r->nunpriced; i++)
			esc_printf(stdout, "%sunpriced: %s (%s records, %s)\n", i ? "" : "* ",
			       r->unpriced[i].model,
			       money_format_count(b, sizeof(b), r->unpriced[i].records),
			       r->unpriced[i].reason);
		int sheets = 0; /* an update may price what lacks a price, not a logged cost */

		for (size_t i = 0; i < r->nunpriced; i++)
			sheets |= strcmp(r->unpriced[i].reason, "no logged cost") != 0;
		if (sheets)
			table_wrap(stdout, UNPRICED_HINT, width);
		print_as_context(r, o, width);
		if (o->parts)
			print_explain(r, o, width);
		if (o->cost_mode == UC_LOGGED)
			table_wrap(stdout, "cost mode logged: the cost each log records (--cost-mode)",
				   width);
		else if (o->cost_mode == UC_AUTO)
			table_wrap(stdout,
				   "cost mode auto: the cost the log records where it has one, "
				   "else llmcost's (--cost-mode)",
				   width);
	}
}

/* --project P, --model M or --user U names what no usage has: exit 3 with
   the near names (a typo would otherwise print an empty report) */
enum { N_PROJECT, N_MODEL, N_USER };
static int name_check(struct lc_db *db, int kind, const char *name)
{
	static const char *const what[] = { "project", "model", "user" };
	struct lc_err err = { 0 };
	char hint[1024];
	int rc = kind == N_PROJECT ? usage_project_known(db, name, hint, sizeof(hint), &err)
		 : kind == N_MODEL ? usage_model_known(db, name, hint, sizeof(hint), &err)
				   : usage_user_known(db, name, hint, sizeof(hint), &err);

	if (rc < 0)
		return cmd_fail(&err);
	if (rc == 0) {
		lc_errf(&err, LC_EDATA, "no usage of %s '%s'; %s", what[kind], name, hint);
		return cmd_fail(&err);
	}
	return 0;
}

int cmd_user_known(struct lc_db *db, const char *user)
{
	return name_check(db, N_USER, user);
}

/* The report's group: the subcommand word (argv[0]), or the first argument. */
static int pick_group(struct cmd_ctx *ctx, int argc, char **argv, struct usage_report_opts *o)
{
	int g = -1;

	for (int i = 0; i < (int)ARRAY_SIZE(groups); i++)
		if (!strcmp(argv[0], groups[i]))
			g = i;
	if (g < 0 && argc > 1) {
		for (int i = 0; i < (int)ARRAY_SIZE(groups); i++)
			if (!strcmp(argv[1], groups[i]))
				g = i;
		if (g < 0)
			return cmd_usage(ctx, "unknown report '%s' (want daily, weekly, monthly, "
					      "session, project, model or user)",
					 argv[1]);
		argv++;
		argc--;
	}
	if (g >= 0)
		o->group = g;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	return 0;
}

/*
 * --model M: o->model the catalogue's id (allocated) when M resolves, else M
 * as logged; exit 3 with the near names when no usage has either.
 */
static int resolve_model(struct lc_db *db, const char *model, const char *today,
			 struct usage_report_opts *o)
{
	struct lc_err err = { 0 };
	struct lc_resolved res;
	int known, code;

	o->model = db_resolve(db, model, today, &res, NULL) == 0 ? xstrdup(res.model) : model;
	known = usage_model_known(db, o->model, NULL, 0, &err);
	if (known == 0 && o->model != model)
		known = usage_model_known(db, model, NULL, 0, &err);
	if (known > 0)
		return 0;
	code = known < 0 ? cmd_fail(&err) : name_check(db, N_MODEL, model);
	if (o->model != model)
		free((char *)o->model);
	o->model = NULL;
	return code;
}

/* --as M[,M...]: each what-if model and host, with its context window. */
static int parse_as(struct cmd_ctx *ctx, struct lc_db *db, const char *as, const char *today,
		    struct usage_report_opts *o)
{
	struct lc_err err = { 0 };
	char list[1024];

	LC_COPY(list, as);
	for (char *p = list, *tok; (tok = strsep(&p, ",")) != NULL;) {
		struct lc_resolved res;

		if (!*tok)
			continue;
		if (o->nas == UR_MAX_AS)
			return cmd_usage(ctx, "--as: at most %d models", UR_MAX_AS);
		if (db_resolve(db, tok, o->at[0] ? o->at : today, &res, &err))
			return cmd_usage(ctx, "--as: %s", err.msg);
		lc_strlcpy(o->as_model[o->nas], res.model, LC_ID_MAX);
		lc_strlcpy(o->as_host[o->nas], res.host, LC_ID_MAX);
		if (as_window(db, o, &err))
			return cmd_fail(&err);
		o->nas++;
	}
	return 0;
}

/* The report in ctx's format, the plans, the zone, and a note when data is stale. */
static void print_report(struct cmd_ctx *ctx, struct lc_db *db, const struct usage_report *r,
			 const struct usage_report_opts *o, const struct usage_plan_line *pl,
			 size_t npl)
{
	long long unknown = 0;

	if (ctx->fmt == LC_FMT_JSON)
		print_json(r, o, pl, npl);
	else if (r->n == 0 && ctx->fmt == LC_FMT_TEXT)
		fprintf(stderr, "llmcost: no usage in the store%s; see `llmcost ingest usage`\n",
			o->has_since || o->has_until || o->project || o->model || o->user
				? " matches" : "");
	else
		print_table(r, o, ctx->fmt, cmd_table_width(ctx));
	if (ctx->fmt == LC_FMT_TEXT && r->n) {
		esc_printf(stdout, "dates in %s", o->tz);
		if (o->group == UG_WEEK)
			printf("; weeks start on %s", day_names[o->week_start]);
		putchar('\n');
	}
	if (npl && ctx->fmt != LC_FMT_JSON)
		print_plans(pl, npl, ctx->fmt);
	for (size_t i = 0; i < r->nunpriced; i++)
		unknown += !strcmp(r->unpriced[i].reason, "unknown model");
	cmd_note_stale_data(db, unknown);
}

static int usage_report(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct usage_report_opts o;
	struct usage_report r;
	struct lc_err err = { 0 };
	struct lc_db *db;
	const char *as = NULL, *model = NULL, *plan = NULL;
	char plans[UR_MAX_AS][LC_ID_MAX];
	int nplans = 0;
	char today[11], zone[256];
	struct day_spec since = { 0 }, until = { 0 };
	int code = 0, explain = 0;
	struct usage_plan_line *pl = NULL;
	size_t npl = 0;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost usage [daily|weekly|monthly|session|project|model|user]\n"
			 "                     [options]\n"
			 "\n"
			 "Tokens and cost of the stored usage (see `llmcost ingest usage`), one row per\n"
			 "day (default), week (from Monday, or --week-start), month, session, project,\n"
			 "model or user (who ingested it; \"(unknown)\" for records stored before\n"
			 "schema version 10).  Days, weeks and months are local time: in $TZ when it\n"
			 "is set, else in the system's zone (/etc/localtime; UTC, with a note, when it\n"
			 "cannot be named), or in --tz ZONE; the output names the zone (JSON: \"zone\").\n"
			 "Each record is priced at the price in effect on its own date: cache writes\n"
			 "at the 5-minute or 1-hour rate, long-context tiers on the request's whole\n"
			 "prompt, batch prices for batch usage.  Records of models without a price\n"
			 "are counted in the tokens, left out of the cost and listed as unpriced.\n"
			 "Session rows also show the project, the first and last activity (to the\n"
			 "quarter hour) and the models, in name order.  5-hour billing blocks:\n"
			 "`llmcost usage blocks`.\n"
			 "\n"),
		OPT_DAY("since", &since,
			"from DATE, in the report's zone: YYYY-MM-DD, YYYYMMDD,\n"
			"today, yesterday, or Nd, Nw, Nm: the last N days,\n"
			"weeks, months, today included (7d: 7 days)"),
		OPT_DAY("until", &until, "up to and including DATE (the same forms)"),
		OPT_CALLBACK("tz", &o.tz, "ZONE", cmd_opt_tz,
			     "days in ZONE (e.g. Europe/Berlin); default: $TZ,\n"
			     "else the system's zone"),
		OPT_CHOICE("week-start", &o.week_start, "DAY", week_days,
			   "weekly: weeks start on DAY (monday..sunday;\n"
			   "default monday)"),
		OPT_INT("last", &o.last, "N", 1, 1000000000, "a whole number from 1",
			"only the N rows of the latest activity (days,\n"
			"weeks, months; sessions, projects, models, users used\n"
			"last)"),
		OPT_CHOICE("order", &o.order, "asc|desc", orders,
			   "rows oldest first (asc, the default for dates) or\n"
			   "newest first; session, project, model and user\n"
			   "reports are by cost, highest first, unless --order is\n"
			   "given"),
		OPT_STRING("project", 0, &o.project, "P",
			   "only project P (its path or last folder name)"),
		OPT_STRING("model", 0, &model, "M", "only model M"),
		OPT_CALLBACK("user", &o.user, "U", cmd_opt_user, "only user U (whole, as ingested)"),
		OPT_FLAG("breakdown", 0, &o.breakdown, "a sub-row per model under each row"),
		OPT_STRING("as", 0, &as, "M[,M...]",
			   "also price the same usage on other models (what-if),\n"
			   "and count the requests whose whole prompt would not\n"
			   "fit each one's context window (marked !)"),
		OPT_DATE("at", o.at,
			 "price everything at DATE's prices instead of each\n"
			 "record's own date"),
		OPT_STRING("source", 0, &o.source, "NAME",
			   "prices from one source only (see `llmcost sources`)"),
		OPT_CHOICE("cost-mode", &o.cost_mode, "MODE", cmd_cost_modes,
			   "calculated (default): at llmcost's prices; logged:\n"
			   "the cost the log itself carries (Claude Code's costUSD,\n"
			   "OpenRouter's usage.cost, ...), a record without one\n"
			   "unpriced; auto: logged where present, else calculated"),
		OPT_STRING("plan", 0, &plan, "NAME[,NAME...]",
			   "monthly: set each month's API-equivalent cost against\n"
			   "subscription plans (see `llmcost plans`)"),
		OPT_FLAG("explain", 0, &explain,
			 "how each row was priced: per model and price period,\n"
			 "the tier, batch, each part's tokens, rate and cost, and\n"
			 "the logged cost where the logs carry one"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "output format; JSON costs are exact decimal USD"),
		{ .kind = OPTK_FORMAT, .name = "csv", .dst = &ctx->fmt, .val = LC_FMT_CSV,
		  .flags = OPTF_JOIN },
		{ .kind = OPTK_FORMAT, .name = "md", .dst = &ctx->fmt, .val = LC_FMT_MD,
		  .flags = OPTF_JOIN },
		/* tests: the totals from the records (bypass the rollup) or the rollup
		   (bypass usage_totals); README, "Test-only options" */
		{ .kind = OPTK_FLAG, .name = "from-records", .dst = &o.force_records, .val = 1,
		  .flags = OPTF_HIDDEN },
		{ .kind = OPTK_FLAG, .name = "from-rollup", .dst = &o.force_detail, .val = 1,
		  .flags = OPTF_HIDDEN },
		OPT_END(),
	};

	memset(&o, 0, sizeof(o));
	o.group = UG_DAY;
	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if ((code = pick_group(ctx, argc, argv, &o)) != 0)
		return code;
	o.tz = cmd_report_zone(o.tz, zone, sizeof(zone));
	if ((code = cmd_day_bound(&since, o.tz, &o.has_since, &o.since)) ||
	    (code = cmd_day_bound(&until, o.tz, &o.has_until, &o.until)))
		return code;
	if (o.has_since && o.has_until && o.until < o.since)
		return cmd_usage(ctx, "--until is before --since");
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (o.project && (code = name_check(db, N_PROJECT, o.project)) != 0)
		return code;
	if (o.user && (code = name_check(db, N_USER, o.user)) != 0)
		return code;
	date_format(today, sizeof(today), lc_today());
	if (model && (code = resolve_model(db, model, today, &o)) != 0)
		return code;
	if (as && (code = parse_as(ctx, db, as, today, &o)) != 0) {
		if (o.model != model)
			free((char *)o.model);
		return code;
	}
	if (plan) {
		if (o.group != UG_MONTH)
			return cmd_usage(ctx, "--plan: only with `usage monthly`");
		if ((nplans = plan_ids(ctx, db, plan, plans, &code)) < 0)
			return code;
	}
	o.price = usage_row_price;
	if (explain)
		o.parts = usage_row_parts;
	if (usage_report_run(db, &o, &r, &err)) {
		if (o.model != model)
			free((char *)o.model);
		return cmd_fail(&err);
	}
	if (nplans && usage_plans_run(db, &r, (const char(*)[LC_ID_MAX])plans, nplans, &pl, &npl,
				      &err)) {
		usage_report_release(&r);
		return cmd_fail(&err);
	}
	print_report(ctx, db, &r, &o, pl, npl);
	free(pl);
	usage_report_release(&r);
	if (o.model != model)
		free((char *)o.model);
	return 0;
}

static const struct cmd_sub subs[] = {
	{ "daily", usage_report },
	{ "weekly", usage_report },
	{ "monthly", usage_report },
	{ "session", usage_report },
	{ "project", usage_report },
	{ "model", usage_report },
	{ "user", usage_report },
	{ "blocks", cmd_usage_blocks },
	{ NULL, NULL },
};
const struct cmd_subs usage_subs = { "report", subs, usage_report, NULL };

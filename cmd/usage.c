/*
 * usage.c - `llmcost usage daily|weekly|monthly|session|project|model`:
 * spend reports over the usage in the store, with what-if repricing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json_out.h"
#include "usage_price.h"
#include "usage_report.h"
#include "usage_known.h"


static const char *const groups[] = { "daily", "weekly", "monthly", "session", "project",
				      "model" };
static const char *const key_names[] = { "date", "week", "month", "session", "project",
					 "model" };

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

static void print_json(const struct usage_report *r, const struct usage_report_opts *o)
{
	struct json_out j;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_layout(&j, "", ",\n", "");
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
	for (int i = 0; i < o->nas; i++)
		table_cell(t, s->as_unpriced[i] ? (exact ? NULL : "-")
						: usd_text(b, sizeof(b), s->as_cost[i], 0, exact));
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
		if (r->nunpriced)
			table_wrap(stdout, UNPRICED_HINT, width);
	}
}

/* --project P or --model M names what no usage has: exit 3 with the near
   names (a typo would otherwise print an empty report) */
static int name_check(struct lc_db *db, const char *project, const char *model)
{
	struct lc_err err = { 0 };
	char hint[1024];
	int rc = project ? usage_project_known(db, project, hint, sizeof(hint), &err)
			 : usage_model_known(db, model, hint, sizeof(hint), &err);

	if (rc < 0)
		return cmd_fail(&err);
	if (rc == 0) {
		lc_errf(&err, LC_EDATA, "no usage of %s '%s'; %s", project ? "project" : "model",
			project ? project : model, hint);
		return cmd_fail(&err);
	}
	return 0;
}

static int usage_report(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct usage_report_opts o;
	struct usage_report r;
	struct lc_err err = { 0 };
	struct lc_db *db;
	const char *as = NULL, *model = NULL;
	char today[11], zone[256];
	struct day_spec since = { 0 }, until = { 0 };
	int code = 0, g = -1, known;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost usage [daily|weekly|monthly|session|project|model] [options]\n"
			 "\n"
			 "Tokens and cost of the stored usage (see `llmcost ingest usage`), one row per\n"
			 "day (default), week (from Monday, or --week-start), month, session, project\n"
			 "or model.  Days, weeks and months are local time: in $TZ when it is set,\n"
			 "else in the system's zone (/etc/localtime; UTC, with a note, when it cannot\n"
			 "be named), or in --tz ZONE; the output names the zone (JSON: \"zone\").\n"
			 "Each record is priced at the price in effect on its own date: cache writes\n"
			 "at the 5-minute or 1-hour rate, long-context tiers on the request's whole\n"
			 "prompt, batch prices for batch usage.  Records of models without a price\n"
			 "are counted in the tokens, left out of the cost and listed as unpriced.\n"
			 "Session rows also show the project, the first and last activity (to the\n"
			 "quarter hour) and the models.  5-hour billing blocks: `llmcost usage blocks`.\n"
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
			"weeks, months; sessions, projects, models used last)"),
		OPT_CHOICE("order", &o.order, "asc|desc", orders,
			   "rows oldest first (asc, the default for dates) or\n"
			   "newest first; session, project and model reports are\n"
			   "by cost, highest first, unless --order is given"),
		OPT_STRING("project", 0, &o.project, "P",
			   "only project P (its path or last folder name)"),
		OPT_STRING("model", 0, &model, "M", "only model M"),
		OPT_FLAG("breakdown", 0, &o.breakdown, "a sub-row per model under each row"),
		OPT_STRING("as", 0, &as, "M[,M...]",
			   "also price the same usage on other models (what-if)"),
		OPT_DATE("at", o.at,
			 "price everything at DATE's prices instead of each\n"
			 "record's own date"),
		OPT_STRING("source", 0, &o.source, "NAME",
			   "prices from one source only (see `llmcost sources`)"),
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
	/* the group: the subcommand word (argv[0]), or the first argument */
	for (int i = 0; i < 6; i++)
		if (!strcmp(argv[0], groups[i]))
			g = i;
	if (g < 0 && argc > 1) {
		for (int i = 0; i < 6; i++)
			if (!strcmp(argv[1], groups[i]))
				g = i;
		if (g < 0)
			return cmd_usage(ctx, "unknown report '%s' (want daily, weekly, monthly, "
					      "session, project or model)",
					 argv[1]);
		argv++;
		argc--;
	}
	if (g >= 0)
		o.group = g;
	if (argc > 1)
		return cmd_usage(ctx, "unexpected argument '%s'", argv[1]);
	o.tz = cmd_report_zone(o.tz, zone, sizeof(zone));
	if ((code = cmd_day_bound(&since, o.tz, &o.has_since, &o.since)) ||
	    (code = cmd_day_bound(&until, o.tz, &o.has_until, &o.until)))
		return code;
	if (o.has_since && o.has_until && o.until < o.since)
		return cmd_usage(ctx, "--until is before --since");
	if (!(db = cmd_db_source(ctx, o.source, &code)))
		return code;
	if (o.project && (code = name_check(db, o.project, NULL)) != 0)
		return code;
	date_format(today, sizeof(today), lc_today());
	if (model) {
		struct lc_resolved res;

		/* a known name matches its canonical id; an unknown one matches as logged */
		o.model = db_resolve(db, model, today, &res, NULL) == 0 ? xstrdup(res.model) : model;
		/* the catalogue's id, or the name as logged, that some usage has */
		known = usage_model_known(db, o.model, NULL, 0, &err);
		if (known == 0 && o.model != model)
			known = usage_model_known(db, model, NULL, 0, &err);
		if (known <= 0) {
			code = known < 0 ? cmd_fail(&err) : name_check(db, NULL, model);
			if (o.model != model)
				free((char *)o.model);
			return code;
		}
	}
	if (as) {
		char list[1024];

		LC_COPY(list, as);
		for (char *p = list, *tok; (tok = strsep(&p, ",")) != NULL;) {
			struct lc_resolved res;

			if (!*tok)
				continue;
			if (o.nas == UR_MAX_AS)
				return cmd_usage(ctx, "--as: at most %d models", UR_MAX_AS);
			if (db_resolve(db, tok, o.at[0] ? o.at : today, &res, &err))
				return cmd_usage(ctx, "--as: %s", err.msg);
			lc_strlcpy(o.as_model[o.nas], res.model, LC_ID_MAX);
			lc_strlcpy(o.as_host[o.nas], res.host, LC_ID_MAX);
			o.nas++;
		}
	}
	o.price = usage_row_price;
	if (usage_report_run(db, &o, &r, &err)) {
		if (o.model != model)
			free((char *)o.model);
		return cmd_fail(&err);
	}
	if (ctx->fmt == LC_FMT_JSON)
		print_json(&r, &o);
	else if (r.n == 0 && ctx->fmt == LC_FMT_TEXT)
		fprintf(stderr, "llmcost: no usage in the store%s; see `llmcost ingest usage`\n",
			o.has_since || o.has_until || o.project || o.model ? " matches" : "");
	else
		print_table(&r, &o, ctx->fmt, cmd_table_width(ctx));
	if (ctx->fmt == LC_FMT_TEXT && r.n) {
		esc_printf(stdout, "dates in %s", o.tz);
		if (o.group == UG_WEEK)
			printf("; weeks start on %s", day_names[o.week_start]);
		putchar('\n');
	}
	{
		long long unknown = 0;

		for (size_t i = 0; i < r.nunpriced; i++)
			unknown += !strcmp(r.unpriced[i].reason, "unknown model");
		cmd_note_stale_data(db, unknown);
	}
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
	{ "blocks", cmd_usage_blocks },
	{ NULL, NULL },
};
const struct cmd_subs usage_subs = { "report", subs, usage_report, NULL };

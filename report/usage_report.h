/*
 * usage_report.h - spend reports over stored usage: group by day, week,
 * month, session, project or model; price every record at the price in
 * effect on its own date (or at one date, --at), and reprice on other
 * models (--as).  Totals are exact: tokens and nano-USD summed in 128 bits.
 */
#ifndef LC_USAGE_REPORT_H
#define LC_USAGE_REPORT_H

#include <stdint.h>

#include "date.h"
#include "db.h"
#include "db_usage.h"
#include "err.h"
#include "money.h"
#include "price.h"

/*
 * How the report prices one stored row u on offering o: 1 priced (*cost in
 * exact nano-USD), 0 not priceable (*why a short constant reason, or NULL),
 * DB_USAGE_PARTS when u is a usage_totals row (!u->detail) to be priced
 * through its usage_rollup parts instead.  The billing rules are pricing/'s
 * (usage_row_price in pricing/usage_price.h); cmd/ hands the function in,
 * so report/ depends on lib/ only (the layer rule in the Makefile).
 */
typedef int (*usage_price_fn)(const struct lc_offering *o, const struct lc_usage_row *u,
			      lc_i128 *cost, const char **why);

/*
 * How the report explains a row (--explain): row u on offering o component
 * by component into *p; 1 priced, 0 not.  cmd/ passes pricing/'s
 * usage_row_parts.
 */
typedef int (*usage_parts_fn)(const struct lc_offering *o, const struct lc_usage_row *u,
			      struct lc_cost_parts *p);

enum usage_group { UG_DAY, UG_WEEK, UG_MONTH, UG_SESSION, UG_PROJECT, UG_MODEL, UG_USER };

/*
 * Which cost a record counts at (--cost-mode): calculated, at llmcost's
 * prices (the default); logged, the cost the log itself carries
 * (usage_calls.reported_cost: Claude Code's costUSD, OpenRouter's
 * usage.cost, ...), a record without one unpriced; auto, the logged cost
 * where there is one, else calculated (ccusage's default).
 */
enum usage_cost_mode { UC_CALCULATED, UC_LOGGED, UC_AUTO };
extern const char *const usage_cost_mode_names[3];

#define UR_MAX_AS 8

struct usage_report_opts {
	int group;
	const char *tz;             /* IANA zone for day/week/month; NULL = UTC */
	int has_since, has_until;
	lc_date since, until;       /* inclusive local dates */
	const char *project;        /* full project or its last path component */
	const char *model;          /* model id or raw name */
	int breakdown;              /* one sub-row per model */
	int nas;
	char as_model[UR_MAX_AS][LC_ID_MAX]; /* canonical ids */
	char as_host[UR_MAX_AS][LC_ID_MAX];
	int64_t as_window[UR_MAX_AS];  /* the context window of as_model[i]; 0 unknown */
	char at[11];                /* "" = each record's own date */
	const char *source;         /* price source name; NULL = by priority */
	int force_records;          /* read usage_records, not the rollup (tests) */
	int force_detail;           /* read usage_rollup, not usage_totals (tests) */
	usage_price_fn price;       /* required: prices a row (see usage_price_fn) */
	const char *session;        /* only this session (its whole id); NULL = all */
	int64_t since_ms, until_ms; /* also UTC bounds [since, until) on the rows read; 0 = open */
	int64_t newest;             /* with force_records: lc_usage_query.newest */
	/* Optional: called with each row read (and priced: cost valid when
	   priced is 1) before it is added to the report; model is its
	   resolved id, else the name as logged.  Blocks and the status line
	   sum rows their own way through it. */
	void (*each)(void *ctx, const struct lc_usage_row *u, const char *model, int priced,
		     lc_i128 cost);
	void *each_ctx;
	int week_start;             /* weekly: a week's first day, 0 = Monday .. 6 = Sunday */
	int order;                  /* enum usage_order */
	long long last;             /* > 0: only the N rows of the latest activity */
	int cost_mode;              /* enum usage_cost_mode */
	usage_parts_fn parts;       /* set: explain how each row was priced (--explain) */
	const char *user;           /* only this user (whole); NULL = all */
};

/*
 * The order of the rows.  Time reports (day, week, month) are by date,
 * oldest first unless UO_DESC; session, project and model reports are by
 * cost, highest first (UO_DEFAULT), or by their latest activity (UO_ASC
 * oldest first, UO_DESC newest first).  Sub-rows stay under their row.
 */
enum usage_order { UO_DEFAULT, UO_ASC, UO_DESC };

struct usage_sums {
	lc_i128 input, output, cache_read, cache_write, reasoning, records;
	lc_i128 audio_input, audio_output, image_input, other_tokens; /* apart from the rest */
	lc_i128 cost;               /* nano-USD of the priced records */
	lc_i128 unpriced_records;
	/* whatever the mode: the cost the logs carry, over the records carrying one */
	lc_i128 logged_cost, logged_records;
	lc_i128 as_cost[UR_MAX_AS];
	lc_i128 as_unpriced[UR_MAX_AS];
	/* records whose whole prompt (input + cache reads + cache writes +
	   audio and image input) exceeds as_model[i]'s context window */
	lc_i128 as_over[UR_MAX_AS];
};

struct usage_line {
	char *key;                  /* the whole group name (owned by the report) */
	char model[LC_ID_MAX];      /* with breakdown: the model of this sub-row ("" = the row) */
	lc_i128 sort;               /* last activity (ms) for session rows */
	struct usage_sums s;
	/* session rows (UG_SESSION, not sub-rows): what the session was */
	char *project;              /* the first project seen ("" none); owned, may be NULL */
	char *models;               /* distinct models as read, ", " between; owned, may be NULL */
	int64_t first_ms;           /* session rows: first activity */
	int64_t last_ms;            /* every row: its latest record (the records' times, or the
				       start of their 15-minute bucket when read from the rollup) */
};

struct usage_unpriced {
	char model[LC_ID_MAX];
	char reason[64];
	lc_i128 records;
};

/*
 * One line of --explain: the usage of one report row (key) on one model and
 * host priced at one price period, tier and batch flag, at llmcost's
 * prices whatever the cost mode, with the logged cost of its records
 * that carry one.  Per component (lib/price.h, LC_PART_*): tokens, the
 * rate applied (nano-USD per 1M tokens) and the exact cost.
 */
struct usage_explain {
	char *key;                  /* the report row's key (owned by the report) */
	char model[LC_ID_MAX], host[LC_ID_MAX], source[LC_ID_MAX];
	char from[11], to[11];      /* the price period; to "" when open */
	int64_t tier_min;           /* the tier's min_input_tokens: 0 the base tier */
	int batch;                  /* a batch price or discount applied */
	lc_i128 records, cost, logged_records, logged_cost;
	lc_i128 tokens[LC_PART_N], part_cost[LC_PART_N];
	int64_t rate[LC_PART_N];
};

struct usage_report {
	struct usage_line *rows;    /* ordered; with breakdown a row is followed by its models */
	size_t n;
	struct usage_sums total;
	struct usage_unpriced *unpriced;
	size_t nunpriced;
	struct usage_explain *explain; /* with o->parts: by key, model, period, tier */
	size_t nexplain;
};

/*
 * One month of a monthly report set against one subscription plan (usage
 * monthly --plan): the plan's price that month (the period in effect on the
 * month's first day, else the first that starts within it) and the month's
 * API-equivalent cost (the report's cost, in its cost mode).
 */
struct usage_plan_line {
	char month[8];              /* YYYY-MM */
	char plan[LC_ID_MAX], name[LC_ID_MAX];
	int offered;                /* 0: the plan had no price that month */
	int64_t plan_cost;          /* nano-USD for the month */
	lc_i128 api;                /* the month's API-equivalent cost */
	lc_i128 unpriced_records;   /* records the API-equivalent leaves out */
	lc_i128 saved;              /* api - plan_cost: > 0 the plan saved that much */
};

/*
 * The lines of a monthly report r (UG_MONTH) against the n plans ids[]
 * (ids of the plans table; the caller checked they exist): for each month,
 * each plan, in that order.  Free *out with free().  -1 with err.
 */
int usage_plans_run(struct lc_db *db, const struct usage_report *r,
		    const char (*ids)[LC_ID_MAX], int n, struct usage_plan_line **out,
		    size_t *nout, struct lc_err *err);

/* Run the report (o->price set); free with usage_report_release.  -1 with err
   on failure.  With o->last, the rows are the o->last of the latest activity
   (the last dates; the sessions, projects or models used last), and the
   total and the unpriced list are theirs alone. */
int usage_report_run(struct lc_db *db, const struct usage_report_opts *o,
		     struct usage_report *out, struct lc_err *err);
void usage_report_release(struct usage_report *r);

/* Exact decimal text of a 128-bit integer (buf >= 48). */
char *i128_format(char *buf, size_t n, lc_i128 v);

#endif

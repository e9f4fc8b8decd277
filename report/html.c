/*
 * html.c - the self-contained HTML report; see html.h.
 *
 * gnuplot's SVG is embedded inline: its XML prolog and DOCTYPE (which names
 * a DTD URL) and its xmlns attributes are dropped (the HTML parser knows the
 * SVG namespace), and its element ids get a per-chart prefix so two charts
 * on one page do not share ids.  Text in the SVG was escaped by gnuplot;
 * names reached it only through data files (see gnuplot.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chart.h"
#include "collapse_table.h"
#include "db_usage.h"
#include "date.h"
#include "html.h"
#include "money.h"
#include "table.h"

/*
 * The page's style.  Colours are variables so one media query gives the
 * dark scheme; the inline charts (gnuplot draws them black on white) are
 * inverted with their hues turned back, so axes and text turn light and
 * each provider keeps its colour family.  Every table sits in its own
 * horizontal scroll container: a wide table scrolls on a phone, nothing
 * is clipped and the page itself never scrolls sideways.
 */
static const char css[] =
	":root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#ffffff;--line:#e4e6e9;"
	"--head:#f3f4f6;--card:#f6f8fa;--hi:#0b5cad;--shade:rgba(0,0,0,.22)}"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#a3abb5;--bg:#121417;"
	"--line:#30363d;--head:#1c2128;--card:#181c21;--hi:#6cb6ff;--shade:rgba(255,255,255,.2)}"
	".chart svg{filter:invert(.93) hue-rotate(180deg)}}"
	"*{box-sizing:border-box}html{background:var(--bg)}"
	"body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);"
	"max-width:1240px;margin:24px auto;padding:0 16px;line-height:1.45}"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;"
	"border-bottom:1px solid var(--line);padding-bottom:4px}"
	".lead{color:var(--muted);margin:0 0 16px}code{overflow-wrap:anywhere}"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:12px;"
	"margin:16px 0}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;"
	"padding:12px 14px;min-width:0}.card h3{font-size:13px;font-weight:normal;color:var(--muted);"
	"margin:0 0 4px}.card .big{font-size:24px;font-weight:bold;color:var(--hi);"
	"overflow-wrap:anywhere}.card p{margin:4px 0 0;font-size:13px;color:var(--muted)}"
	".chart{margin:8px 0}.chart svg{width:100%;height:auto;display:block}"
	/* scroll shadows: a shade at an edge where more of the table lies
	   beyond it (the covers scroll with the table, the shades do not) */
	".scroll{overflow-x:auto;max-width:100%;margin:8px 0 16px;background:"
	"linear-gradient(to right,var(--bg) 30%,transparent) left/40px 100% no-repeat local,"
	"linear-gradient(to left,var(--bg) 30%,transparent) right/40px 100% no-repeat local,"
	"radial-gradient(farthest-side at 0 50%,var(--shade),transparent) left/14px 100% no-repeat,"
	"radial-gradient(farthest-side at 100% 50%,var(--shade),transparent) right/14px 100% "
	"no-repeat}"
	"table{border-collapse:collapse;font-size:13px}"
	"th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}"
	"th{background:var(--head);border-bottom:2px solid var(--line)}td.num,th.num{text-align:right;"
	"font-variant-numeric:tabular-nums}tr:hover td{background:var(--head)}"
	".nw{white-space:nowrap}summary{cursor:pointer;color:var(--hi);margin:8px 0}"
	".totals tbody tr:last-child td{font-weight:bold;border-top:2px solid var(--line)}"
	"footer{color:var(--muted);font-size:12px;margin:32px 0}"
	"@media (max-width:600px){body{margin:12px auto;padding:0 10px}h1{font-size:22px}"
	"h2{font-size:18px}th,td{padding:3px 6px}.card .big{font-size:20px}.lead{font-size:15px}}";

/* Text from the store (model names) in HTML: through the one escaper. */
static void esc(FILE *f, const char *s)
{
	esc_put(f, s, ESC_HTML);
}

/* Read a whole file; NULL on error.  The caller frees. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = xmalloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static int starts(const char *p, const char *s)
{
	return !strncmp(p, s, strlen(s));
}

/* Copy gnuplot's SVG inline, from "<svg" on, with ids prefixed and xmlns dropped. */
static void embed_svg(FILE *out, const char *svg, const char *prefix)
{
	const char *p = strstr(svg, "<svg");

	for (; p && *p; p++) {
		if (starts(p, " xmlns")) {
			/* skip  xmlns="..." / xmlns:xlink="..." */
			const char *q = strchr(p, '"');

			if (q && (q = strchr(q + 1, '"'))) {
				p = q;
				continue;
			}
		}
		if (starts(p, "id='") || starts(p, "id=\"")) {
			fprintf(out, "id=%c%s-", p[3], prefix);
			p += 3;
			continue;
		}
		if (starts(p, "href='#") || starts(p, "href=\"#")) {
			fprintf(out, "href=%c#%s-", p[5], prefix);
			p += 6;
			continue;
		}
		if (starts(p, "url(#")) {
			fprintf(out, "url(#%s-", prefix);
			p += 4;
			continue;
		}
		fputc(*p, out);
	}
}

/* Embed the drawn chart at path (then removed) in a .chart block. */
static int embed_file(FILE *out, const char *path, const char *prefix, struct lc_err *err)
{
	size_t len;
	char *svg = slurp(path, &len);

	if (!svg)
		return lc_errf(err, LC_ERUNTIME, "cannot read the chart '%s'", path);
	fputs("<div class=\"chart\">\n", out);
	embed_svg(out, svg, prefix);
	fputs("</div>\n", out);
	free(svg);
	unlink(path);
	return 0;
}

/* Draw one chart as SVG into dir/KIND.svg and embed it. */
static int chart(FILE *out, struct lc_db *db, const struct collapse *c, const char *kind,
		 const char *dir, struct lc_err *err)
{
	struct gp_chart g;
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%.4000s/%s.svg", dir, kind);
	r = gp_chart_begin(&g, kind, path, NULL, err);
	if (!r)
		r = !strcmp(kind, "collapse") ? chart_collapse(db, c, CHART_INPUT, &g, err)
					      : chart_frontier(db, c, &g, err);
	if (!r)
		r = gp_chart_draw(&g, NULL, err);
	gp_chart_end(&g);
	return r ? -1 : embed_file(out, path, kind, err);
}

struct rows {
	struct lc_table *t;
	int n;
	size_t all; /* price_row: the offerings read (one past the cap at most) */
};

/*
 * A table of the page holds at most html_rows() rows (HTML_ROWS, or
 * LLMCOST_HTML_ROWS, 1..1000000, for tests): 100,000 rows made a 50 MB page
 * no browser shows well.  The text, CSV and JSON reports stay complete;
 * note() says how many rows were left out and where to find them.
 */
#define HTML_ROWS 1000

static size_t html_rows(void)
{
	const char *e = getenv("LLMCOST_HTML_ROWS");
	char *end;
	unsigned long v;

	if (e && *e >= '1' && *e <= '9') {
		v = strtoul(e, &end, 10);
		if (!*end && v <= 1000000)
			return v;
	}
	return HTML_ROWS;
}

static void note(FILE *out, size_t more, const char *what, const char *cmd)
{
	if (more)
		fprintf(out, "<p class=\"lead\">and %zu more %s, not shown: see <code>%s</code></p>\n",
			more, what, cmd);
}

/*
 * A table in its own scroll container (class "scroll", plus cls when not
 * ""); a table longer than HTML_OPEN_ROWS rows is folded in a <details>
 * the reader opens ("The table of the days: 46 rows"), so a long table does
 * not push the story's charts off the page.  what names the rows.
 */
#define HTML_OPEN_ROWS 12

static void table_block(FILE *out, struct lc_table *t, const char *cls, const char *what)
{
	int n = table_rows(t), fold = n > HTML_OPEN_ROWS;

	if (fold)
		fprintf(out, "<details><summary>The table of the %s: %d rows</summary>\n", what, n);
	fprintf(out, "<div class=\"scroll%s%s\">\n", cls[0] ? " " : "", cls);
	table_print(t, out, LC_FMT_HTML, 0);
	fputs("</div>\n", out);
	if (fold)
		fputs("</details>\n", out);
}

/* Calendar months from date a to b (YYYY-MM-DD), rounded at mid-month. */
static int months_between(const char *a, const char *b)
{
	int y1, m1, d1, y2, m2, d2, m;

	if (sscanf(a, "%4d-%2d-%2d", &y1, &m1, &d1) != 3 || sscanf(b, "%4d-%2d-%2d", &y2, &m2, &d2) != 3)
		return 0;
	m = (y2 - y1) * 12 + (m2 - m1);
	if (d2 - d1 >= 15)
		m++;
	else if (d2 - d1 <= -15)
		m--;
	return m;
}

/* "gpt-4-0314's level" or "arena_elo 1250 or more": the frontier's quality bar. */
static void bar_name(FILE *out, const struct collapse *c)
{
	char score[64];

	if (c->bar_model[0]) {
		esc(out, c->bar_model);
		fputs("&#8217;s level", out);
		return;
	}
	esc(out, c->opts.benchmark);
	fprintf(out, " %s or more", collapse_score_text(score, sizeof(score), c->bar_score));
}

/*
 * One headline card: the frontier's first and latest price (input, or the
 * blended price when blended is set) and the factor between them.
 */
static void price_card(FILE *out, const struct collapse *c, int blended)
{
	const struct collapse_price *a = &c->frontier[0], *b = &c->frontier[c->nfrontier - 1];
	int64_t pa = blended ? a->blended : a->input, pb = blended ? b->blended : b->input;
	char x[64], y[64];
	int months = months_between(a->date, b->date);

	if (pa == LC_NONE || pb == LC_NONE)
		return;
	fputs("<div class=\"card\"><h3>", out);
	if (blended)
		fprintf(out, "Blended %d:%d $/M", c->opts.blend_in, c->opts.blend_out);
	else
		fputs("Input $/M", out);
	fputs(" at ", out);
	bar_name(out, c);
	fprintf(out, "</h3>\n<div class=\"big\">$%s &#8594; $%s</div>\n<p>",
		money_format_price(x, sizeof(x), pa), money_format_price(y, sizeof(y), pb));
	if (pb > 0 && pa > pb)
		fprintf(out, "<strong>%s&#215; cheaper</strong> in %d month%s: ",
			collapse_ratio(x, sizeof(x), pa, pb, 1), months, months == 1 ? "" : "s");
	esc(out, a->model);
	fprintf(out, " <span class=\"nw\">(%s)</span> to ", a->date);
	esc(out, b->model);
	fprintf(out, " <span class=\"nw\">(%s)</span></p></div>\n", b->date);
}

/* The card of the cheapest model at the bar on the report's last date. */
static void cheapest_card(FILE *out, const struct collapse *c)
{
	const struct collapse_price *b = &c->frontier[c->nfrontier - 1];
	char x[64], y[64];

	fputs("<div class=\"card\"><h3>Cheapest model at ", out);
	bar_name(out, c);
	fprintf(out, " on <span class=\"nw\">%s</span></h3>\n<div class=\"big\">", c->opts.to);
	if (!c->frontier_present) {
		fprintf(out, "none</div>\n<p>the last one, ");
		esc(out, b->model);
		fprintf(out, ", was withdrawn on %s</p></div>\n", b->until);
		return;
	}
	esc(out, b->model);
	fputs("</div>\n<p>", out);
	esc(out, b->maker);
	fprintf(out, ", $%s input / $%s output per million tokens, since <span class=\"nw\">%s</span>",
		money_format_price(x, sizeof(x), b->input), money_format_price(y, sizeof(y), b->output),
		b->date);
	if (b->score[0]) {
		fputs("; ", out);
		esc(out, c->opts.benchmark);
		fprintf(out, " %s", collapse_score_text(x, sizeof(x), b->score));
	}
	fputs("</p></div>\n", out);
}

/*
 * The page's top: what the data says in a few numbers (the frontier's
 * price then and now, the cheapest model at the bar today) and how current
 * the data is.  Returns 0 or -1 with err.
 */
static int headline(FILE *out, struct lc_db *db, const struct collapse *c, struct lc_err *err)
{
	char cur[11], buf[64];
	lc_date d, today = lc_today();

	if (db_prices_current_to(db, cur, err))
		return -1;
	fputs("<h1>The LLM price collapse</h1>\n<div class=\"cards\" id=\"headline\">\n", out);
	if (c->nfrontier) {
		price_card(out, c, 0);
		price_card(out, c, 1);
		cheapest_card(out, c);
	}
	fprintf(out, "<div class=\"card\"><h3>Data</h3>\n<div class=\"big\">%s</div>\n"
		     "<p>prices current to this date",
		cur[0] ? cur : "undated");
	/* how old the data is when the page is read: the page keeps its date */
	if (cur[0] && !date_parse(cur, strlen(cur), &d, NULL) && today > d)
		fprintf(out, ", %ld day%s before this page was written (%s)", (long)(today - d),
			today - d == 1 ? "" : "s", date_format(buf, sizeof(buf), today));
	if (c->have_snapshot && c->snapshot[0])
		fprintf(out, "; quality scores from the leaderboard snapshot of %s", c->snapshot);
	fputs(" (<code>llmcost update</code> refreshes them)</p></div>\n</div>\n<p class=\"lead\">", out);
	fprintf(out, "List prices in USD per million tokens, %s to %s. ", c->opts.from, c->opts.to);
	if (c->have_ref) {
		fputs("The reference is ", out);
		esc(out, c->ref.model);
		fprintf(out, " at $%s input / ", money_format_price(buf, sizeof(buf), c->ref.input));
		fprintf(out, "$%s output (%s). ", money_format_price(buf, sizeof(buf), c->ref.output),
			c->ref.date);
	}
	fprintf(out, "Blended prices weigh input and output %d:%d.</p>\n", c->opts.blend_in,
		c->opts.blend_out);
	return 0;
}

static int global_budget(void *ctx, const char *scope, int64_t monthly)
{
	if (!scope[0])
		*(int64_t *)ctx = monthly;
	return 0;
}

/* The first and last period of a report with breakdown (NULL: no usage). */
static void usage_span(const struct usage_report *rep, const char **first, const char **last)
{
	*first = *last = NULL;
	for (size_t i = 0; i < rep->n; i++)
		if (!rep->rows[i].model[0]) {
			if (!*first || strcmp(rep->rows[i].key, *first) < 0)
				*first = rep->rows[i].key;
			if (!*last || strcmp(rep->rows[i].key, *last) > 0)
				*last = rep->rows[i].key;
		}
}

/*
 * Spend per day, or per month when the usage spans more than 92 days, into
 * rep (o->group says which).  Returns 0 (rep->n == 0: no usage) or -1.
 */
static int usage_run(struct lc_db *db, struct usage_report_opts *o, struct usage_report *rep,
		     struct lc_err *err)
{
	const char *first, *last;
	lc_date a = 0, b = 0;

	if (usage_report_run(db, o, rep, err))
		return -1;
	usage_span(rep, &first, &last);
	if (!first || date_parse(first, 10, &a, NULL) || date_parse(last, 10, &b, NULL) || b - a <= 92)
		return 0;
	usage_report_release(rep);
	memset(rep, 0, sizeof(*rep));
	o->group = UG_MONTH;
	return usage_report_run(db, o, rep, err);
}

/* The usage section's table: a row per period and the total, money to the cent. */
static int usage_table(FILE *out, const struct usage_report *rep, int monthly, struct lc_err *err)
{
	struct lc_table *t;
	char buf[64];

	if (!(t = table_new()))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	/* the cost next to the period: what a phone shows without scrolling */
	table_col(t, monthly ? "month" : "day", "period", 0);
	table_col(t, "cost", "cost", TABLE_RIGHT);
	table_col(t, "records", "records", TABLE_RIGHT);
	table_col(t, "input tokens", "input", TABLE_RIGHT);
	table_col(t, "output tokens", "output", TABLE_RIGHT);
	for (size_t i = 0; i <= rep->n; i++) {
		const struct usage_line *u = i < rep->n ? &rep->rows[i] : NULL;
		const struct usage_sums *su = u ? &u->s : &rep->total;

		if (u && u->model[0])
			continue;
		table_cell(t, u ? u->key : "total");
		table_cell(t, money_format_usd(buf, sizeof(buf), su->cost));
		table_cell(t, money_format_count(buf, sizeof(buf), su->records));
		table_cell(t, money_format_count(buf, sizeof(buf), su->input));
		table_cell(t, money_format_count(buf, sizeof(buf), su->output));
	}
	table_block(out, t, "totals", monthly ? "months" : "days");
	table_free(t);
	return 0;
}

/* The spend chart, stacked by model, with the budget line. */
static int usage_chart(FILE *out, const struct usage_report *rep, int monthly, int64_t budget,
		       const char *dir, struct lc_err *err)
{
	struct gp_chart g;
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%.4000s/spend.svg", dir);
	r = gp_chart_begin(&g, "spend", path, NULL, err);
	if (!r)
		r = chart_spend(rep, monthly, budget,
				monthly ? "LLM spend per month, by model" : "LLM spend per day, by model",
				"Source: llmcost usage logs, priced at each record's date from the "
				"price history",
				&g, err);
	if (!r)
		r = gp_chart_draw(&g, NULL, err);
	gp_chart_end(&g);
	return r ? -1 : embed_file(out, path, "spend", err);
}

/*
 * The usage section, when the store holds usage: spend per day (per month
 * when the usage spans more than 92 days) stacked by model, with the
 * budget for all usage, and a table of the same periods.  Nothing is
 * written when there is no usage.  Returns 0 or -1 with err.
 */
static int usage_section(FILE *out, struct lc_db *db, const char *dir, usage_price_fn price,
			 struct lc_err *err)
{
	struct usage_report_opts o;
	struct usage_report rep = { 0 };
	int64_t budget = LC_NONE;
	const char *first, *last;
	char buf[64];
	int monthly, r = -1;

	memset(&o, 0, sizeof(o));
	o.group = UG_DAY;
	o.breakdown = 1;
	o.price = price;
	if (usage_run(db, &o, &rep, err) || db_budget_list(db, global_budget, &budget, err) < 0)
		goto done;
	usage_span(&rep, &first, &last);
	if (!first) {
		r = 0; /* no usage: no section */
		goto done;
	}
	monthly = o.group == UG_MONTH;
	fputs("<h2 id=\"usage\">Your spend</h2>\n<p class=\"lead\">", out);
	fprintf(out, "What the stored usage cost per %s, ", monthly ? "month" : "day");
	esc(out, first);
	fputs(" to ", out);
	esc(out, last);
	fprintf(out, ", each record priced at the list price of its own date: <strong>%s</strong> in all",
		money_format_usd(buf, sizeof(buf), rep.total.cost));
	if (rep.total.unpriced_records)
		fprintf(out, " (%s records of models without a price are left out)",
			money_format_count(buf, sizeof(buf), rep.total.unpriced_records));
	if (budget != LC_NONE)
		fprintf(out, "; the monthly budget is %s", money_format_usd(buf, sizeof(buf), budget));
	fputs(".</p>\n", out);
	if (!usage_chart(out, &rep, monthly, budget, dir, err))
		r = usage_table(out, &rep, monthly, err);
done:
	usage_report_release(&rep);
	return r;
}

static int price_row(void *ctx, const struct lc_model *m, const struct lc_offering *o)
{
	struct rows *r = ctx;
	const struct lc_tier *b = &o->tiers[0];
	char buf[64];

	/* one row past the cap says there are more; reading all 100,000 to
	   count them was a quarter of the page's time */
	if (r->all++ >= html_rows())
		return 1;
	table_cell(r->t, o->model);
	table_cell(r->t, m->maker);
	table_cell(r->t, o->host);
	table_cell(r->t, b->input == LC_NONE ? "-" : money_format_price(buf, sizeof(buf), b->input));
	table_cell(r->t, b->output == LC_NONE ? "-" : money_format_price(buf, sizeof(buf), b->output));
	table_cell(r->t, b->cache_read == LC_NONE ? "-"
						  : money_format_price(buf, sizeof(buf), b->cache_read));
	table_cell(r->t, o->effective_from);
	r->n++;
	return 0;
}

/* The collapse chart and the family table (the first html_rows() families). */
static int collapse_section(FILE *out, struct lc_db *db, const struct collapse *c,
			    const char *dir, struct lc_err *err)
{
	struct collapse top = *c;
	struct lc_table *t;
	size_t more = 0;

	fputs("<h2 id=\"collapse\">List prices by model family</h2>\n<p class=\"lead\">List prices "
	      "per million input tokens by model family (a family's price is its cheapest model's), "
	      "on a log scale: every step down is a price cut.</p>\n",
	      out);
	if (c->nfam && chart(out, db, c, "collapse", dir, err))
		return -1;
	/* the first families, in the report's order (a family never priced has no row) */
	top.nfam = 0;
	for (size_t i = 0, shown = 0; i < c->nfam; i++)
		if (c->fam[i].n && shown++ < html_rows())
			top.nfam = i + 1;
		else if (c->fam[i].n)
			more++;
	if (!(t = collapse_family_table(&top, 1)))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	table_block(out, t, "", "families");
	table_free(t);
	note(out, more, "families", "llmcost report collapse");
	return 0;
}

/* The frontier chart and table: the cheapest model at or above the bar. */
static int frontier_section(FILE *out, struct lc_db *db, const struct collapse *c,
			    const char *dir, struct lc_err *err)
{
	struct lc_table *t;
	char score[64];

	fputs("<h2 id=\"frontier\">The price of quality</h2>\n<p class=\"lead\">", out);
	collapse_score_text(score, sizeof(score), c->bar_score);
	fputs("The cheapest model with ", out);
	esc(out, c->opts.benchmark);
	fprintf(out, " at or above %s", score);
	if (c->bar_model[0]) {
		fputs(" (the score of ", out);
		esc(out, c->bar_model);
		fputs(")", out);
	}
	fputs(", on each date its price changed.</p>\n", out);
	if (c->nfrontier && chart(out, db, c, "frontier", dir, err))
		return -1;
	if (!(t = collapse_frontier_table(c, 1)))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	table_block(out, t, "", "price changes");
	table_free(t);
	return 0;
}

/*
 * Price against quality on the --to date (`plot pareto --at`): the chart,
 * then its frontier as a table.  A collapse of its own, for the one day
 * (its options otherwise the page's).  No model priced that day with a
 * score: no section.
 */
static int pareto_table(FILE *out, struct lc_db *db, const struct collapse *p,
			struct lc_err *err)
{
	struct chart_pareto_pt *pt = NULL;
	struct lc_table *t;
	size_t n = chart_pareto_points(db, p, &pt, err);
	char buf[64];

	if (n == (size_t)-1)
		return -1;
	if (!(t = table_new())) {
		free(pt);
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	table_col(t, "model", "model", 0);
	table_col(t, "maker", "maker", 0);
	table_col(t, "blended $/M", "blended", TABLE_RIGHT | TABLE_PRICE);
	table_col(t, "score", "score", TABLE_RIGHT);
	for (size_t i = 0; i < n; i++) {
		if (!pt[i].front)
			continue;
		table_cell(t, pt[i].model);
		table_cell(t, pt[i].maker);
		table_cell(t, money_format(buf, sizeof(buf), pt[i].blended, -1));
		table_cellf(t, "%.6g", pt[i].score);
	}
	free(pt);
	table_block(out, t, "", "models on the frontier");
	table_free(t);
	return 0;
}

static int pareto_section(FILE *out, struct lc_db *db, const struct collapse *c,
			  const char *dir, struct lc_err *err)
{
	struct collapse p;
	struct gp_chart g;
	char path[PATH_MAX];
	int r;

	if (chart_pareto_build(db, &c->opts, &p, err)) {
		collapse_release(&p);
		return -1;
	}
	snprintf(path, sizeof(path), "%.4000s/pareto.svg", dir);
	r = gp_chart_begin(&g, "pareto", path, NULL, err);
	if (!r)
		r = chart_pareto(db, &p, &g, err);
	if (!r)
		r = gp_chart_draw(&g, NULL, err);
	gp_chart_end(&g);
	if (r && err->code == LC_EDATA) { /* nothing scored that day: no section */
		collapse_release(&p);
		*err = (struct lc_err){ 0 };
		return 0;
	}
	if (!r) {
		fputs("<h2 id=\"pareto\">Cheapest for its quality</h2>\n<p class=\"lead\">"
		      "Each model priced on ", out);
		esc(out, c->opts.to);
		fputs(", its blended list price against its score; the models on the frontier "
		      "are matched in quality by no cheaper model.</p>\n", out);
		r = embed_file(out, path, "pareto", err);
	}
	if (!r)
		r = pareto_table(out, db, &p, err);
	collapse_release(&p);
	return r ? -1 : 0;
}

/* Every offering priced on the --to date (the first html_rows()). */
static int prices_section(FILE *out, struct lc_db *db, const struct collapse *c,
			  struct lc_err *err)
{
	struct rows rows = { 0 };

	fprintf(out, "<h2 id=\"prices\">Prices on %s</h2>\n", c->opts.to);
	if (!(rows.t = table_new()))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	table_col(rows.t, "model", "model", 0);
	table_col(rows.t, "maker", "maker", 0);
	table_col(rows.t, "host", "host", 0);
	table_col(rows.t, "input $/M", "input", TABLE_RIGHT);
	table_col(rows.t, "output $/M", "output", TABLE_RIGHT);
	table_col(rows.t, "cached input $/M", "cached", TABLE_RIGHT);
	table_col(rows.t, "since", "since", 0);
	if (db_offerings_at(db, c->opts.to, NULL, c->opts.source,
			    DB_OFFER_DEFAULT_HOSTS | (c->opts.include_retired ? DB_OFFER_RETIRED : 0),
			    price_row, &rows, err) < 0) {
		table_free(rows.t);
		return -1;
	}
	table_block(out, rows.t, "", "offerings");
	table_free(rows.t);
	if (rows.all > (size_t)rows.n)
		fprintf(out, "<p class=\"lead\">More offerings than the %d shown: see "
			     "<code>llmcost models --at %s</code></p>\n",
			rows.n, c->opts.to);
	return 0;
}

/*
 * The page, in the order a reader wants it: the headline numbers, the
 * reader's own spend (when the store holds usage), then the story's charts
 * with their tables, and the full price list last.
 */
static int write_page(FILE *out, struct lc_db *db, const struct collapse *c, const char *dir,
		      usage_price_fn price, struct lc_err *err)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n"
	      "<title>The LLM price collapse - llmcost report</title>\n<style>",
	      out);
	fputs(css, out);
	fputs("</style>\n</head>\n<body>\n", out);
	if (headline(out, db, c, err) || usage_section(out, db, dir, price, err) ||
	    collapse_section(out, db, c, dir, err) || frontier_section(out, db, c, dir, err) ||
	    pareto_section(out, db, c, dir, err) || prices_section(out, db, c, err))
		return -1;
	fputs("<footer>", out);
	esc(out, CHART_SOURCE);
	fprintf(out, ". Drawn by llmcost from its price history; prices are exact decimals.</footer>\n"
		     "</body>\n</html>\n");
	return ferror(out) ? lc_errf(err, LC_ERUNTIME, "cannot write the report") : 0;
}

int html_report(struct lc_db *db, const struct collapse *c, const char *out_path,
		usage_price_fn price, struct lc_err *err)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32];
	const char *td = getenv("TMPDIR");
	const char *slash = strrchr(out_path, '/');
	FILE *f;
	int fd, r;
	mode_t mask;

	if (out_path[0] == '|' || out_path[0] == '<')
		return lc_errf(err, LC_EUSAGE, "refusing output path '%s'", out_path);
	/* the temporary page: a dot file next to the target */
	{
		char base[PATH_MAX + 32];
		const char *name = slash ? slash + 1 : out_path;

		snprintf(base, sizeof(base), "%.*s.%.200s.XXXXXX", slash ? (int)(slash - out_path + 1) : 0,
			 out_path, name);
		LC_COPY(tmp, base);
	}
	if ((fd = mkstemp(tmp)) < 0)
		return lc_errf(err, LC_ERUNTIME, "cannot write '%s': %s", out_path, strerror(errno));
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		return lc_errf(err, LC_ERUNTIME, "cannot write '%s': %s", out_path, strerror(errno));
	}
	snprintf(dir, sizeof(dir), "%s/llmcost-html.XXXXXX", td && td[0] == '/' ? td : "/tmp");
	if (!mkdtemp(dir)) {
		fclose(f);
		unlink(tmp);
		return lc_errf(err, LC_ERUNTIME, "cannot create a temporary directory: %s",
			       strerror(errno));
	}
	r = write_page(f, db, c, dir, price, err);
	rmdir(dir);
	if (fclose(f) && !r)
		r = lc_errf(err, LC_ERUNTIME, "cannot write '%s'", out_path);
	if (!r) {
		mask = umask(0);
		umask(mask);
		chmod(tmp, 0666 & ~mask);
		if (rename(tmp, out_path))
			r = lc_errf(err, LC_ERUNTIME, "cannot write '%s': %s", out_path, strerror(errno));
	}
	if (r)
		unlink(tmp);
	return r;
}

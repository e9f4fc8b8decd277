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

static const char css[] =
	"body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;max-width:1240px;"
	"margin:24px auto;padding:0 16px;line-height:1.45}"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;"
	"border-bottom:1px solid #ddd;padding-bottom:4px}"
	".lead{color:#555;margin:0 0 16px}.chart svg{width:100%;height:auto;display:block}"
	"table{border-collapse:collapse;font-size:13px;margin:8px 0 16px}"
	"th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}"
	"th{background:#f6f6f6;border-bottom:2px solid #ddd}td.num,th.num{text-align:right;"
	"font-variant-numeric:tabular-nums}tr:hover td{background:#fafafa}"
	".scroll{overflow-x:auto}footer{color:#777;font-size:12px;margin:32px 0}";

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

/* Draw one chart as SVG into dir/KIND.svg and embed it. */
static int chart(FILE *out, struct lc_db *db, const struct collapse *c, const char *kind,
		 const char *dir, struct lc_err *err)
{
	struct gp_chart g;
	char path[PATH_MAX];
	char *svg;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%.4000s/%s.svg", dir, kind);
	r = gp_chart_begin(&g, kind, path, NULL, err);
	if (!r)
		r = !strcmp(kind, "collapse") ? chart_collapse(db, c, CHART_INPUT, &g, err)
					      : chart_frontier(db, c, &g, err);
	if (!r)
		r = gp_chart_draw(&g, NULL, err);
	gp_chart_end(&g);
	if (r)
		return -1;
	if (!(svg = slurp(path, &len)))
		return lc_errf(err, LC_ERUNTIME, "cannot read the chart '%s'", path);
	fputs("<div class=\"chart\">\n", out);
	embed_svg(out, svg, kind);
	fputs("</div>\n", out);
	free(svg);
	unlink(path);
	return 0;
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

static int global_budget(void *ctx, const char *scope, int64_t monthly)
{
	if (!scope[0])
		*(int64_t *)ctx = monthly;
	return 0;
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
	const char *first = NULL, *last = NULL;
	struct lc_table *t;
	struct gp_chart g;
	char path[PATH_MAX], buf[64];
	char *svg;
	size_t len;
	int r;

	memset(&o, 0, sizeof(o));
	o.group = UG_DAY;
	o.breakdown = 1;
	o.price = price;
	for (int pass = 0; pass < 2; pass++) {
		lc_date a = 0, b = 0;

		if (usage_report_run(db, &o, &rep, err))
			goto fail;
		first = last = NULL;
		for (size_t i = 0; i < rep.n; i++)
			if (!rep.rows[i].model[0]) {
				if (!first || strcmp(rep.rows[i].key, first) < 0)
					first = rep.rows[i].key;
				if (!last || strcmp(rep.rows[i].key, last) > 0)
					last = rep.rows[i].key;
			}
		if (!first) {
			usage_report_release(&rep);
			return 0; /* no usage: no section */
		}
		if (pass || date_parse(first, 10, &a, NULL) || date_parse(last, 10, &b, NULL) ||
		    b - a <= 92)
			break;
		usage_report_release(&rep);
		o.group = UG_MONTH;
	}
	if (db_budget_list(db, global_budget, &budget, err) < 0)
		goto fail;
	fputs("<h2 id=\"usage\">Usage spend</h2>\n<p class=\"lead\">", out);
	fprintf(out, "What the stored usage cost per %s, ", o.group == UG_MONTH ? "month" : "day");
	esc(out, first);
	fputs(" to ", out);
	esc(out, last);
	fprintf(out, ", each record priced at the list price of its own date: %s in all",
		money_format_usd(buf, sizeof(buf), rep.total.cost));
	if (rep.total.unpriced_records)
		fputs(" (records of models without a price are left out)", out);
	if (budget != LC_NONE)
		fprintf(out, "; the monthly budget is %s", money_format_usd(buf, sizeof(buf), budget));
	fputs(".</p>\n", out);

	snprintf(path, sizeof(path), "%.4000s/spend.svg", dir);
	r = gp_chart_begin(&g, "spend", path, NULL, err);
	if (!r)
		r = chart_spend(&rep, o.group == UG_MONTH, budget,
				o.group == UG_MONTH ? "LLM spend per month, by model"
						    : "LLM spend per day, by model",
				"Source: llmcost usage logs, priced at each record's date from the "
				"price history",
				&g, err);
	if (!r)
		r = gp_chart_draw(&g, NULL, err);
	gp_chart_end(&g);
	if (r)
		goto fail;
	if (!(svg = slurp(path, &len))) {
		lc_errf(err, LC_ERUNTIME, "cannot read the chart '%s'", path);
		goto fail;
	}
	fputs("<div class=\"chart\">\n", out);
	embed_svg(out, svg, "spend");
	fputs("</div>\n<div class=\"scroll\">\n", out);
	free(svg);
	unlink(path);

	if (!(t = table_new())) {
		lc_errf(err, LC_ERUNTIME, "out of memory");
		goto fail;
	}
	table_col(t, o.group == UG_MONTH ? "month" : "day", "period", 0);
	/* counts and amounts by the display rules (lib/money.h) */
	table_col(t, "records", "records", TABLE_RIGHT | TABLE_COUNT);
	table_col(t, "input tokens", "input", TABLE_RIGHT | TABLE_COUNT);
	table_col(t, "output tokens", "output", TABLE_RIGHT | TABLE_COUNT);
	table_col(t, "cost", "cost", TABLE_RIGHT | TABLE_USD);
	for (size_t i = 0; i <= rep.n; i++) {
		const struct usage_line *u = i < rep.n ? &rep.rows[i] : NULL;
		const struct usage_sums *su = u ? &u->s : &rep.total;

		if (u && u->model[0])
			continue;
		table_cell(t, u ? u->key : "total");
		table_cell(t, i128_format(buf, sizeof(buf), su->records));
		table_cell(t, i128_format(buf, sizeof(buf), su->input));
		table_cell(t, i128_format(buf, sizeof(buf), su->output));
		table_cell(t, money_format(buf, sizeof(buf), su->cost, -1));
	}
	table_print(t, out, LC_FMT_HTML, 0);
	table_free(t);
	fputs("</div>\n", out);
	usage_report_release(&rep);
	return 0;
fail:
	usage_report_release(&rep);
	return -1;
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

static int write_page(FILE *out, struct lc_db *db, const struct collapse *c, const char *dir,
		      usage_price_fn price, struct lc_err *err)
{
	struct lc_table *t;
	struct rows rows;
	struct collapse top = *c;
	size_t more = 0;
	char score[64], buf[64];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>The LLM price collapse - llmcost report</title>\n<style>",
	      out);
	fputs(css, out);
	fputs("</style>\n</head>\n<body>\n<h1>The LLM price collapse</h1>\n<p class=\"lead\">", out);
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

	fputs("<h2 id=\"collapse\">List prices by model family</h2>\n", out);
	if (c->nfam && chart(out, db, c, "collapse", dir, err))
		return -1;
	fputs("<div class=\"scroll\">\n", out);
	/* the first families, in the report's order (a family never priced has no row) */
	top.nfam = 0;
	for (size_t i = 0, shown = 0; i < c->nfam; i++)
		if (c->fam[i].n && shown++ < html_rows())
			top.nfam = i + 1;
		else if (c->fam[i].n)
			more++;
	if (!(t = collapse_family_table(&top, 1)))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	table_print(t, out, LC_FMT_HTML, 0);
	table_free(t);
	note(out, more, "families", "llmcost report collapse");
	fputs("</div>\n<h2 id=\"frontier\">The price of quality</h2>\n<p class=\"lead\">", out);
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
	fputs("<div class=\"scroll\">\n", out);
	t = collapse_frontier_table(c, 1);
	table_print(t, out, LC_FMT_HTML, 0);
	table_free(t);

	fprintf(out, "</div>\n<h2 id=\"prices\">Prices on %s</h2>\n<div class=\"scroll\">\n",
		c->opts.to);
	if (!(rows.t = table_new()))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	rows.n = 0;
	rows.all = 0;
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
	table_print(rows.t, out, LC_FMT_HTML, 0);
	table_free(rows.t);
	if (rows.all > (size_t)rows.n)
		fprintf(out, "<p class=\"lead\">More offerings than the %d shown: see "
			     "<code>llmcost models --at %s</code></p>\n",
			rows.n, c->opts.to);
	fputs("</div>\n", out);
	if (usage_section(out, db, dir, price, err))
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

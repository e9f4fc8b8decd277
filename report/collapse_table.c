/*
 * collapse_table.c - the collapse report as lib/table.h tables, shared by
 * `llmcost report collapse` (text, JSON, CSV, Markdown) and the HTML report.
 *
 * Text cells are for people ("30.00 -> 2.50", "12.0x"); with `exact` set
 * (JSON/CSV) every money cell is the exact decimal and each figure has its
 * own column.
 */
#include <stdio.h>
#include <string.h>

#include "collapse.h"
#include "collapse_table.h"
#include "money.h"

/* Shortest exact decimal of a price in nano-USD per 1M ("2.5", "0.0375"). */
static char *exact(char *buf, size_t n, int64_t v)
{
	return money_format(buf, n, v, -1);
}

char *collapse_score_text(char *buf, size_t n, const char *score)
{
	int64_t v;

	if (money_parse(score, strlen(score), 6, &v, NULL, NULL))
		lc_strlcpy(buf, score, n);
	else
		money_format(buf, n, (lc_i128)v * 1000, -1);
	return buf;
}

/* The cell a, suffix (and b when given): joined by hand, as table_cellf's
   vsnprintf was a tenth of a 100,000-family report. */
static void cell_join(struct lc_table *t, const char *a, const char *mid, const char *b)
{
	char cell[160];
	size_t na = strlen(a), nm = strlen(mid), nb = b ? strlen(b) : 0;

	if (na + nm + nb >= sizeof(cell)) {
		table_cellf(t, "%s%s%s", a, mid, b ? b : "");
		return;
	}
	memcpy(cell, a, na);
	memcpy(cell + na, mid, nm);
	memcpy(cell + na + nm, b ? b : "", nb + 1);
	table_cell(t, cell);
}

static void arrow(struct lc_table *t, int64_t a, int64_t b)
{
	char x[64], y[64];

	if (a == b)
		table_cell(t, money_format_price(x, sizeof(x), a));
	else
		cell_join(t, money_format_price(x, sizeof(x), a), " -> ",
			  money_format_price(y, sizeof(y), b));
}

/* num/den with 1 decimal, or NULL cell when undefined. */
static void factor(struct lc_table *t, int64_t num, int64_t den, int text)
{
	char buf[64];

	if (den <= 0 || num < 0) {
		table_cell(t, NULL);
		return;
	}
	collapse_ratio(buf, sizeof(buf), num, den, text ? 1 : 4);
	if (text)
		cell_join(t, buf, "x", NULL);
	else
		table_cell(t, buf);
}

struct lc_table *collapse_family_table(const struct collapse *c, int text)
{
	struct lc_table *t = table_new();
	const int H = TABLE_HIDE_TEXT, N = TABLE_NUMBER | TABLE_RIGHT;
	char buf[64], blend[64];

	if (!t)
		return NULL;
	snprintf(blend, sizeof(blend), "blended %d:%d $/M", c->opts.blend_in, c->opts.blend_out);
	/* the family, its prices and its drop always show in text; too wide,
	   the comparison with GPT-4 goes first, the provider last */
	table_col(t, "provider", "provider", TABLE_DROP(5));
	table_col(t, "family", "family", TABLE_KEY);
	table_col(t, "first", "first_date", TABLE_DROP(2));
	table_col(t, "first model", "first_model", H);
	table_col(t, "latest since", "latest_date", H);
	table_col(t, "latest model", "latest_model", TABLE_DROP(3));
	table_col(t, "input $/M", "first_input_per_mtok", (text ? TABLE_RIGHT : N) | TABLE_ANSWER);
	table_col(t, "output $/M", "first_output_per_mtok", text ? TABLE_RIGHT | H : N);
	table_col(t, blend, "first_blended_per_mtok", (text ? TABLE_RIGHT : N) | TABLE_ANSWER);
	table_abbr(t, "blended $/M");
	table_col(t, "", "latest_input_per_mtok", N | H);
	table_col(t, "", "latest_output_per_mtok", N | H);
	table_col(t, "", "latest_blended_per_mtok", N | H);
	table_col(t, "drop", "drop_factor", N | TABLE_ANSWER);
	table_col(t, "", "input_drop_factor", N | H);
	table_col(t, "per year", "yearly_decline_pct", N | TABLE_DROP(4));
	table_abbr(t, "/year");
	table_col(t, "vs GPT-4 in", "below_reference_input_factor", N | TABLE_DROP(1));
	table_abbr(t, "vs GPT-4");
	for (size_t i = 0; i < c->nfam; i++) {
		const struct collapse_family *f = &c->fam[i];
		const struct collapse_price *a, *b;

		if (!f->n)
			continue;
		a = &f->pts[0];
		b = &f->pts[f->n - 1];
		table_cell(t, f->maker);
		table_cell(t, f->family);
		table_cell(t, a->date);
		table_cell(t, a->model);
		table_cell(t, b->date);
		table_cell(t, b->model);
		if (text) {
			arrow(t, a->input, b->input);
			arrow(t, a->output, b->output);
			arrow(t, a->blended, b->blended);
			for (int k = 0; k < 3; k++)
				table_cell(t, NULL); /* the latest_* columns, JSON/CSV only */
		} else {
			table_cell(t, exact(buf, sizeof(buf), a->input));
			table_cell(t, exact(buf, sizeof(buf), a->output));
			table_cell(t, exact(buf, sizeof(buf), a->blended));
			table_cell(t, exact(buf, sizeof(buf), b->input));
			table_cell(t, exact(buf, sizeof(buf), b->output));
			table_cell(t, exact(buf, sizeof(buf), b->blended));
		}
		factor(t, a->blended, b->blended, text);
		factor(t, a->input, b->input, text);
		/* over the family's whole life in the period, not only until its last cut */
		if (collapse_yearly_rate(buf, sizeof(buf), a->blended, b->blended, a->date,
					 b->until[0] ? b->until : c->opts.to))
			table_cell(t, NULL);
		else if (text)
			cell_join(t, buf, "%", NULL);
		else
			table_cell(t, buf);
		if (c->have_ref)
			factor(t, c->ref.input, b->input, text);
		else
			table_cell(t, NULL);
	}
	return t;
}

struct lc_table *collapse_frontier_table(const struct collapse *c, int text)
{
	struct lc_table *t = table_new();
	const int N = TABLE_NUMBER | TABLE_RIGHT;
	char buf[64], blend[64];

	if (!t)
		return NULL;
	snprintf(blend, sizeof(blend), "blended %d:%d $/M", c->opts.blend_in, c->opts.blend_out);
	/* the date, the model and its prices always show in text */
	table_col(t, "from", "date", TABLE_KEY);
	table_col(t, "until", "until", TABLE_HIDE_TEXT);
	table_col(t, "cheapest model", "model", TABLE_ANSWER);
	table_abbr(t, "cheapest");
	table_col(t, "provider", "provider", TABLE_DROP(5));
	table_col(t, c->opts.benchmark, "score", N | TABLE_DROP(3));
	table_col(t, "input $/M", "input_per_mtok", N | TABLE_ANSWER);
	table_abbr(t, "in $/M");
	table_col(t, "output $/M", "output_per_mtok", N | TABLE_DROP(4));
	table_abbr(t, "out $/M");
	table_col(t, blend, "blended_per_mtok", N | TABLE_ANSWER);
	table_abbr(t, "blended $/M");
	table_col(t, "vs GPT-4 in", "below_reference_input_factor", N | TABLE_DROP(2));
	table_abbr(t, "vs GPT-4");
	table_col(t, "vs GPT-4 blended", "below_reference_blended_factor", N | TABLE_DROP(1));
	table_abbr(t, "vs GPT-4 bl.");
	for (size_t i = 0; i < c->nfrontier; i++) {
		const struct collapse_price *p = &c->frontier[i];

		table_cell(t, p->date);
		table_cell(t, p->until[0] ? p->until : NULL);
		table_cell(t, p->model);
		table_cell(t, p->maker);
		table_cell(t, collapse_score_text(buf, sizeof(buf), p->score));
		table_cell(t, text ? money_format_price(buf, sizeof(buf), p->input)
				   : exact(buf, sizeof(buf), p->input));
		table_cell(t, text ? money_format_price(buf, sizeof(buf), p->output)
				   : exact(buf, sizeof(buf), p->output));
		table_cell(t, text ? money_format_price(buf, sizeof(buf), p->blended)
				   : exact(buf, sizeof(buf), p->blended));
		if (c->have_ref) {
			factor(t, c->ref.input, p->input, text);
			factor(t, c->ref.blended, p->blended, text);
		} else {
			table_cell(t, NULL);
			table_cell(t, NULL);
		}
	}
	return t;
}

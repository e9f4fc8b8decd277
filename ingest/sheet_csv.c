/*
 * sheet_csv.c - the user's own price list (negotiated discounts, private
 * models) as CSV with a header row.  Columns are found by name, in any order:
 *
 *   required  provider, model, effective_from, input_per_mtok, output_per_mtok
 *   optional  effective_to, cached_input_per_mtok, cache_write_5m_per_mtok,
 *             cache_write_1h_per_mtok, reasoning_per_mtok, min_input_tokens,
 *             batch_discount_pct, source
 *
 * Prices are decimal USD per 1M tokens, parsed exactly (money_parse, shift
 * 9); dates are YYYY-MM-DD, effective_to exclusive; min_input_tokens > 0
 * makes the row a context tier of the row with the same provider, model and
 * effective_from; batch_discount_pct is 0-100 with up to two decimals.
 * A malformed CSV record or a missing required column fails the sheet; a
 * row with a bad value is skipped and named with its line number.  A row
 * given twice is kept once; the same provider, model, start (and tier)
 * with other prices makes that model's rows unusable; rows of one model
 * without an end date are a price change: each ends where the next starts
 * (sheet_settle, lib/sheet.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "date.h"
#include "money.h"
#include "sheet_parse.h"

enum { C_PROVIDER, C_MODEL, C_FROM, C_INPUT, C_OUTPUT, C_TO, C_CACHED, C_W5M, C_W1H, C_REASON,
       C_MIN, C_BATCH, C_SOURCE, NCOLS };

static const char *const cols[NCOLS] = {
	"provider", "model", "effective_from", "input_per_mtok", "output_per_mtok",
	"effective_to", "cached_input_per_mtok", "cache_write_5m_per_mtok",
	"cache_write_1h_per_mtok", "reasoning_per_mtok", "min_input_tokens",
	"batch_discount_pct", "source",
};
static const int required[NCOLS] = { 1, 1, 1, 1, 1 };

static const char *fld(const struct csv *c, const int *idx, int k)
{
	return idx[k] < 0 || idx[k] >= c->nfields ? "" : csv_field(c, idx[k]);
}

static int price(const char *v, int64_t *out, int *rounded, int req)
{
	if (!*v)
		return req ? -1 : 0;
	if (money_parse(v, strlen(v), 9, out, rounded, NULL))
		return -1;
	return 0;
}

static int read_date(const char *v, char out[11], int req)
{
	lc_date d;

	out[0] = '\0';
	if (!*v)
		return req ? -1 : 0;
	if (date_parse(v, strlen(v), &d, NULL))
		return -1;
	date_format(out, 11, d);
	return 0;
}

/* One row into a tier; -1 on a bad value. */
static int read_row(const struct csv *c, const int *idx, struct lc_tier *t, int *rounded)
{
	const char *pct = fld(c, idx, C_BATCH);
	int64_t bp;

	if (price(fld(c, idx, C_INPUT), &t->input, rounded, 1) ||
	    price(fld(c, idx, C_OUTPUT), &t->output, rounded, 1) ||
	    price(fld(c, idx, C_CACHED), &t->cache_read, rounded, 0) ||
	    price(fld(c, idx, C_W5M), &t->cache_write_5m, rounded, 0) ||
	    price(fld(c, idx, C_W1H), &t->cache_write_1h, rounded, 0) ||
	    price(fld(c, idx, C_REASON), &t->reasoning, rounded, 0))
		return -1;
	if (*pct) {
		if (money_parse(pct, strlen(pct), 2, &bp, NULL, NULL) || bp < 0 || bp > 10000)
			return -1;
		t->batch_discount_bp = bp;
	}
	return 0;
}

int sheet_parse_csv(const char *data, size_t len, const char *name, struct sheet *s,
		    struct lc_err *err)
{
	struct csv c;
	int idx[NCOLS], rc;

	if (len == 0)
		return lc_errf(err, LC_EDATA, "price sheet '%s' is empty", name);
	if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
			 ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff)))
		return lc_errf(err, LC_EDATA, "price sheet '%s' is UTF-16: convert it with iconv",
			       name);
	if (memchr(data, '\0', len))
		return lc_errf(err, LC_EDATA, "price sheet '%s' contains a NUL byte", name);
	csv_init_mem(&c, name, data, len);
	if ((rc = csv_next(&c, err)) != 1) {
		csv_release(&c);
		return rc < 0 ? -1 : lc_errf(err, LC_EDATA, "price sheet '%s' is empty", name);
	}
	if (csv_header_map(&c, cols, required, NCOLS, idx, err)) {
		csv_release(&c);
		return lc_err_prefix(err, "price sheet "); /* csv names the file and line */
	}
	while ((rc = csv_next(&c, err)) == 1) {
		char label[LC_ID_MAX + 32], from[11], to[11], prov[LC_ID_MAX], key[LC_ID_MAX];
		struct lc_tier t;
		struct sheet_entry *e = NULL;
		int64_t min = 0;
		int rounded = 0;
		const char *m = fld(&c, idx, C_MODEL), *mn = fld(&c, idx, C_MIN);

		s->seen++;
		snprintf(label, sizeof(label), "%.*s (line %ld)", LC_ID_MAX - 1, *m ? m : "?", c.line);
		sheet_tier_clear(&t, 0);
		sheet_lower(prov, fld(&c, idx, C_PROVIDER), sizeof(prov));
		LC_COPY(key, m);
		if (!prov[0] || !key[0] || strlen(m) >= LC_ID_MAX ||
		    strlen(fld(&c, idx, C_SOURCE)) >= LC_URL_MAX || /* whole or not at all */
		    read_date(fld(&c, idx, C_FROM), from, 1) || read_date(fld(&c, idx, C_TO), to, 0) ||
		    (to[0] && strcmp(to, from) <= 0) || (*mn && tokens_parse(mn, strlen(mn), &min, NULL)) ||
		    read_row(&c, idx, &t, &rounded)) {
			sheet_note_unusable(s, label);
			continue;
		}
		t.min_input_tokens = min;
		/* a tier row joins the entry of the same provider, model and start */
		for (size_t i = s->n; i-- > 0;)
			if (!strcmp(s->v[i].host, prov) && !strcmp(s->v[i].key, key) &&
			    !strcmp(s->v[i].from, from)) {
				e = &s->v[i];
				break;
			}
		if (e && strcmp(e->to, to) && (min == 0 || to[0])) {
			/* the same start with another end (a tier row may leave it
			   to its base row): a conflict */
			e->conflict = 1;
			e->line = c.line;
			s->unusable++; /* this row; sheet_settle names the key */
			continue;
		}
		if (!e) {
			if (!(e = sheet_add(s, err))) {
				csv_release(&c);
				return -1;
			}
			e->key = sheet_str(s, key, LC_ID_MAX);
			e->host = sheet_str(s, prov, LC_ID_MAX);
			LC_COPY(e->from, from);
			LC_COPY(e->to, to);
			e->url = sheet_str(s, fld(&c, idx, C_SOURCE), LC_URL_MAX);
			e->line = c.line;
		}
		{
			int had = 0;
			struct lc_tier *dst;

			for (int i = 0; i < e->ntiers; i++)
				if (e->tiers[i].min_input_tokens == min &&
				    (min > 0 || e->tiers[i].input != LC_NONE))
					had = 1;
			if (!(dst = sheet_tier(s, e, min))) {
				sheet_note_unusable(s, label);
				continue;
			}
			if (had) {
				/* the same row again is kept once; other prices conflict */
				if (!sheet_tier_same(dst, &t)) {
					e->conflict = 1;
					e->line = c.line;
					s->unusable++; /* as above */
				}
				continue;
			}
			*dst = t;
		}
		e->rounded |= rounded;
	}
	csv_release(&c);
	if (rc < 0)
		return lc_err_prefix(err, "cannot parse price sheet: ");
	/* a tier without its base row prices nothing */
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].tiers[0].min_input_tokens != 0 || s->v[i].tiers[0].input == LC_NONE) {
			char label[LC_ID_MAX + 40];

			snprintf(label, sizeof(label), "%s (tier without a base row)", s->v[i].key);
			sheet_note_unusable(s, label);
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(s->v[0]));
			s->n--;
			i--;
		}
	return 0;
}

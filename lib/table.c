/*
 * table.c - render a table as text, CSV, JSON or Markdown; see table.h.
 */
#include "table.h"

#include "escape.h"
#include "json_out.h"
#include "money.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The cell of table_none(): a missing value ("-" in text, Markdown and HTML,
   an empty CSV cell, JSON null).  Compared by address, never freed. */
static char none_cell[] = "-";

struct col {
	char *header, *key;
	char *abbr; /* the short header, escaped for the terminal; NULL: none */
	int flags;
};

/* The cells' text, packed into big blocks freed together: a malloc and a
   free per cell were a tenth of a report of 100,000 rows. */
struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

#define BLOCK_MIN 65536

struct lc_table {
	struct col *cols;
	int ncols, capcols;
	char **cells; /* row-major; NULL = empty/null; text in blocks */
	size_t ncells, capcells;
	struct block *blocks; /* the newest first */
};

struct lc_table *table_new(void)
{
	return xcalloc(1, sizeof(struct lc_table));
}

void table_free(struct lc_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->ncols; i++) {
		free(t->cols[i].header);
		free(t->cols[i].key);
		free(t->cols[i].abbr);
	}
	while (t->blocks) {
		struct block *b = t->blocks;

		t->blocks = b->next;
		free(b);
	}
	free(t->cols);
	free(t->cells);
	free(t);
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = xrealloc(p, ncap * size);
	*cap = ncap;
	return p;
}


void table_col(struct lc_table *t, const char *header, const char *key, int flags)
{
	size_t cap = (size_t)t->capcols;

	t->cols = grow(t->cols, &cap, (size_t)t->ncols + 1, sizeof(*t->cols));
	t->capcols = (int)cap;
	t->cols[t->ncols].header = xstrdup(header);
	t->cols[t->ncols].key = xstrdup(key);
	t->cols[t->ncols].abbr = NULL;
	t->cols[t->ncols].flags = flags;
	t->ncols++;
}

void table_abbr(struct lc_table *t, const char *header)
{
	struct col *c;

	if (!t->ncols)
		return;
	c = &t->cols[t->ncols - 1];
	free(c->abbr);
	c->abbr = esc_dup(header, ESC_TERM);
	if (!c->abbr) {
		fputs("llmcost: error: out of memory\n", stderr);
		exit(1);
	}
}

/* A copy of s in t's blocks. */
static char *block_dup(struct lc_table *t, const char *s)
{
	size_t n = strlen(s) + 1;
	struct block *b = t->blocks;
	char *d;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_MIN ? n : BLOCK_MIN;

		b = xmalloc(sizeof(*b) + cap);
		b->cap = cap;
		b->used = 0;
		b->next = t->blocks;
		t->blocks = b;
	}
	d = b->data + b->used;
	memcpy(d, s, n);
	b->used += n;
	return d;
}

void table_cell(struct lc_table *t, const char *text)
{
	t->cells = grow(t->cells, &t->capcells, t->ncells + 1, sizeof(*t->cells));
	t->cells[t->ncells++] = text ? block_dup(t, text) : NULL;
}

void table_none(struct lc_table *t)
{
	t->cells = grow(t->cells, &t->capcells, t->ncells + 1, sizeof(*t->cells));
	t->cells[t->ncells++] = none_cell;
}

void table_cellf(struct lc_table *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	table_cell(t, buf);
}

int table_rows(const struct lc_table *t)
{
	return t->ncols ? (int)(t->ncells / (size_t)t->ncols) : 0;
}

/* table_wrap, continuation lines indented by indent spaces. */
static void wrap(FILE *out, const char *text, int width, size_t indent)
{
	const char *p = text;
	size_t col = 0;

	while (*p) {
		const char *w = p;
		size_t len, dw = 0, gap;

		while (*w == ' ')
			w++;
		if (!*w)
			break;
		len = strcspn(w, " ");
		if (len == 2 && !strncmp(w, "--", 2) && w[2] == ' ' && w[3] && w[3] != ' ')
			len += 1 + strcspn(w + 3, " "); /* "-- use": a dash never ends a line */
		for (size_t i = 0; i < len; i++)
			dw += ((unsigned char)w[i] & 0xC0) != 0x80;
		gap = (size_t)(w - p);
		if (col > indent && width > 0 && col + gap + dw > (size_t)width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
			gap = 0;
		}
		fwrite(w - gap, 1, gap, out);
		fwrite(w, 1, len, out);
		col += gap + dw;
		p = w + len;
	}
	fputc('\n', out);
}

void table_wrap(FILE *out, const char *text, int width)
{
	wrap(out, text, width, 0);
}

int table_term_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;

	if (c && atoi(c) > 0)
		return atoi(c);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* Display width: count UTF-8 code points (no wide-character tables). */
static size_t dwidth(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* Print s with controls replaced, at most max display columns (with "..."). */
static void put_clipped(FILE *out, const char *s, size_t max, size_t *written)
{
	size_t w = dwidth(s), n = 0;
	int clip = w > max;
	size_t limit = clip ? (max > 3 ? max - 3 : 0) : max;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80) {
			if (n == limit)
				break;
			n++;
		}
		fputc(*p, out); /* escaped by esc_dup: no control bytes left */
	}
	if (clip) {
		fputs(max > 3 ? "..." : "", out);
		n += max > 3 ? 3 : 0;
	}
	*written = n;
}

static const char *cell(const struct lc_table *t, size_t r, int c)
{
	return t->cells[r * (size_t)t->ncols + (size_t)c];
}

/*
 * A computed number as JSON and CSV write it plainly: a JSON number,
 * -?D+(.D+)?(e[+-]D+)? without leading zeros.
 * A TABLE_NUMBER cell that is not one (a caller's mistake, or text that
 * came from input) is written as text instead, escaped and defused.
 */
static int is_number(const char *s)
{
	const char *p = s;

	if (!s)
		return 0;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return 0; /* JSON has no leading zeros */
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return 0;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/*
 * The cell v of column col as people read it (text, Markdown, HTML): a
 * TABLE_COUNT, TABLE_USD or TABLE_PRICE cell that is a plain decimal number
 * by lib/money.h's display rules, into buf; any other cell as it is.
 */
/* s[0..n) as -?D+(.D{1,frac})? scaled by 10^frac into *out (at most 30
   digits: exact in 128 bits); -1 when it is not that. */
static int parse_fixed(const char *s, size_t n, int frac, lc_i128 *out)
{
	size_t i = 0, digits = 0;
	int neg = 0, seen = -1; /* decimals after the point, -1: no point */
	lc_i128 v = 0;

	if (i < n && s[i] == '-')
		neg = 1, i++;
	for (; i < n; i++) {
		if (s[i] == '.' && seen < 0 && digits) {
			seen = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || ++digits > 30 || (seen >= 0 && ++seen > frac))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (!digits || seen == 0)
		return -1;
	for (int k = seen < 0 ? 0 : seen; k < frac; k++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

static const char *shown(const struct col *col, const char *v, char *buf, size_t n)
{
	size_t len, num;
	lc_i128 x;

	if (!v || v == none_cell || !(col->flags & (TABLE_COUNT | TABLE_USD | TABLE_PRICE)))
		return v;
	len = num = strlen(v);
	if ((col->flags & TABLE_USD) && len > 1 && (v[len - 1] == '*' || v[len - 1] == '!'))
		num--; /* a marker: partly unpriced, over a context window */
	if (parse_fixed(v, num, col->flags & TABLE_COUNT ? 0 : 9, &x))
		return v;
	if (col->flags & TABLE_COUNT)
		money_format_count(buf, n, x);
	else if (col->flags & TABLE_PRICE)
		money_format_price(buf, n, x);
	else
		money_format_usd(buf, n, x);
	if (num < len && strlen(buf) + 1 < n) {
		size_t k = strlen(buf);

		buf[k] = v[len - 1];
		buf[k + 1] = '\0';
	}
	return buf;
}

/* The rendering of every cell (headers first) for text: the cell itself
   when it needs no escaping (*own 0), else an escaped copy (*own 1). */
static char **escaped_cells(struct lc_table *t, size_t rows, char **own)
{
	char buf[80];

	size_t n = (rows + 1) * (size_t)t->ncols;
	char **d = xcalloc(n ? n : 1, sizeof(char *));

	*own = xcalloc(n ? n : 1, 1);
	if (!d || !*own) {
		free(d);
		free(*own);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *v = i < (size_t)t->ncols ? t->cols[i].header : t->cells[i - (size_t)t->ncols];

		if (!v)
			v = "";
		if (i >= (size_t)t->ncols) {
			const char *p = shown(&t->cols[i % (size_t)t->ncols], v, buf, sizeof(buf));

			if (p != v)
				v = block_dup(t, p); /* freed with the table */
		}
		if (esc_plain(v, ESC_TERM)) {
			d[i] = (char *)v;
			continue;
		}
		(*own)[i] = 1;
		d[i] = esc_dup(v, ESC_TERM);
		if (!d[i]) {
			fputs("llmcost: error: out of memory\n", stderr);
			exit(1);
		}
	}
	return d;
}

/* How the text rendering fits a width: each column's shown width. */
struct layout {
	size_t *w;    /* the width a column is shown at */
	size_t *cw;   /* its widest cell */
	char *hidden; /* left out: TABLE_HIDE_TEXT, or dropped to fit (drop) */
	char *drop;   /* dropped to fit: named after the table */
	char *abbr;   /* shown with its short header */
	size_t total; /* of the shown columns and the gaps between them */
	int width;    /* 0: no limit */
	int anykey;   /* some column is TABLE_KEY (else the first one is the key) */
};

static int too_wide(const struct layout *L)
{
	return L->width > 0 && L->total > (size_t)L->width;
}

/* The widest of c's cells (ignoring the header); d: the escaped cells. */
static size_t cells_width(const struct lc_table *t, char **d, size_t rows, int c)
{
	size_t w = 0;

	for (size_t r = 0; r < rows; r++) {
		size_t dw = dwidth(d[(r + 1) * (size_t)t->ncols + (size_t)c]);

		if (dw > w)
			w = dw;
	}
	return w;
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* Short headers, the one that saves most first, until the table fits. */
static void abbreviate(const struct lc_table *t, char **d, struct layout *L)
{
	while (too_wide(L)) {
		int best = -1;
		size_t save = 0;

		for (int c = 0; c < t->ncols; c++) {
			size_t nw;

			if (L->hidden[c] || L->abbr[c] || !t->cols[c].abbr)
				continue;
			nw = max_size(L->cw[c], dwidth(t->cols[c].abbr));
			if (nw < L->w[c] && L->w[c] - nw > save) {
				save = L->w[c] - nw;
				best = c;
			}
		}
		if (best < 0)
			return;
		L->abbr[best] = 1;
		L->w[best] -= save;
		L->total -= save;
	}
	(void)d;
}

/* A text column that may be shortened: left-aligned, not an answer. */
static int shrinkable(const struct lc_table *t, const struct layout *L, int c)
{
	return !(t->cols[c].flags & (TABLE_RIGHT | TABLE_ANSWER)) && !L->hidden[c];
}

/* Narrow the widest text columns, one column at a time, down to floor. */
static void shrink(const struct lc_table *t, struct layout *L, size_t floor)
{
	while (too_wide(L)) {
		int widest = -1;

		for (int c = 0; c < t->ncols; c++)
			if (shrinkable(t, L, c) && L->w[c] > floor &&
			    (widest < 0 || L->w[c] > L->w[widest]))
				widest = c;
		if (widest < 0)
			return;
		L->w[widest]--;
		L->total--;
	}
}

/* The next column to drop: the lowest TABLE_DROP(n), then the rightmost
   without one; never the key or an answer.  -1 when none is left. */
static int next_drop(const struct lc_table *t, const struct layout *L)
{
	int pick = -1, pick_n = 0, first = -1;

	for (int c = 0; c < t->ncols; c++) {
		int f = t->cols[c].flags, n = (f >> 8) & 15;

		if (L->hidden[c])
			continue;
		if (first < 0)
			first = c;
		if ((f & (TABLE_KEY | TABLE_ANSWER)) || (!L->anykey && c == first))
			continue;
		if (pick < 0 || (n && (!pick_n || n < pick_n)) || (!n && !pick_n))
			pick = c, pick_n = n;
	}
	return pick;
}

static void drop_columns(const struct lc_table *t, struct layout *L)
{
	int c;

	while (too_wide(L) && (c = next_drop(t, L)) >= 0) {
		L->hidden[c] = L->drop[c] = 1;
		L->total -= L->w[c] + 2;
	}
}

/* Give the room a dropped column left back to shortened text columns. */
static void regrow(const struct lc_table *t, char **d, struct layout *L)
{
	while (L->width > 0 && L->total < (size_t)L->width) {
		int narrow = -1;

		for (int c = 0; c < t->ncols; c++) {
			size_t full = max_size(L->cw[c], dwidth(L->abbr[c] ? t->cols[c].abbr : d[c]));

			if (shrinkable(t, L, c) && L->w[c] < full &&
			    (narrow < 0 || L->w[c] < L->w[narrow]))
				narrow = c;
		}
		if (narrow < 0)
			return;
		L->w[narrow]++;
		L->total++;
	}
}

/* The natural widths, then shorter headers, shorter text and fewer columns
   until the table fits L->width. */
static void layout_fit(const struct lc_table *t, char **d, size_t rows, struct layout *L)
{
	int shown = 0;

	for (int c = 0; c < t->ncols; c++) {
		L->hidden[c] = (t->cols[c].flags & TABLE_HIDE_TEXT) != 0;
		L->anykey |= (t->cols[c].flags & TABLE_KEY) != 0;
		if (L->hidden[c])
			continue;
		L->cw[c] = cells_width(t, d, rows, c);
		L->w[c] = max_size(L->cw[c], dwidth(d[c]));
		L->total += L->w[c];
		shown++;
	}
	L->total += shown > 1 ? 2 * (size_t)(shown - 1) : 0;
	if (!too_wide(L))
		return;
	abbreviate(t, d, L);
	shrink(t, L, 24);
	drop_columns(t, L);
	shrink(t, L, 8);
	regrow(t, d, L);
}

static void print_row(const struct lc_table *t, FILE *out, char **d, size_t r,
		      const struct layout *L)
{
	int last = -1, first = 1;

	for (int c = 0; c < t->ncols; c++)
		if (!L->hidden[c])
			last = c;
	for (int c = 0; c < t->ncols; c++) {
		const char *v = d[r * (size_t)t->ncols + (size_t)c];
		size_t n, pad;
		int right = t->cols[c].flags & TABLE_RIGHT;

		if (L->hidden[c])
			continue;
		if (r == 0 && L->abbr[c])
			v = t->cols[c].abbr;
		if (!first)
			fputs("  ", out);
		first = 0;
		n = dwidth(v) < L->w[c] ? dwidth(v) : L->w[c];
		pad = L->w[c] - n;
		if (right)
			for (size_t i = 0; i < pad; i++)
				fputc(' ', out);
		put_clipped(out, v, L->w[c], &n);
		if (!right && c != last)
			for (size_t i = 0; i < pad; i++)
				fputc(' ', out);
	}
}

/*
 * "hidden: a, b -- use --wide or --json" for the dropped columns, their
 * full headers in table order, wrapped at the width.
 */
static void print_hidden(const struct lc_table *t, FILE *out, char **d, const struct layout *L)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int n = 0;

	for (int c = 0; c < t->ncols; c++)
		n += L->drop[c];
	if (!n || !(f = open_memstream(&text, &len)))
		return;
	for (int c = 0, k = 0; c < t->ncols; c++)
		if (L->drop[c])
			fprintf(f, "%s%s", k++ ? ", " : "hidden: ", d[c]);
	fputs(" -- use --wide or --json", f);
	fclose(f);
	wrap(out, text, L->width, 2);
	free(text);
}

static void print_text(struct lc_table *t, FILE *out, int width)
{
	size_t rows = (size_t)table_rows(t), nc = (size_t)t->ncols + 1;
	int bold = isatty(fileno(out)) && !getenv("NO_COLOR");
	char *own = NULL, **d = escaped_cells(t, rows, &own);
	size_t nd = (rows + 1) * (size_t)t->ncols;
	struct layout L = { xcalloc(nc, sizeof(size_t)), xcalloc(nc, sizeof(size_t)), xcalloc(nc, 1),
			    xcalloc(nc, 1), xcalloc(nc, 1), 0, width, 0 };

	if (d) {
		layout_fit(t, d, rows, &L);
		for (size_t r = 0; r <= rows; r++) {
			if (r == 0 && bold)
				fputs("\033[1m", out);
			print_row(t, out, d, r, &L);
			if (r == 0 && bold)
				fputs("\033[0m", out);
			fputc('\n', out);
		}
		print_hidden(t, out, d, &L);
		for (size_t i = 0; i < nd; i++)
			if (own[i])
				free(d[i]);
		free(own);
		free(d);
	}
	free(L.w);
	free(L.cw);
	free(L.hidden);
	free(L.drop);
	free(L.abbr);
}

/*
 * A CSV cell (RFC 4180).  Text that came from input is defused as OWASP
 * asks: a cell starting with = + - @ TAB or CR gets a leading ' (so no
 * spreadsheet reads it as a formula or DDE), and every cell holding a quote,
 * comma, semicolon (the separator in many locales) or the ' is quoted.
 * Controls and invalid UTF-8 are escaped as everywhere (esc_write).
 */
static void csv_put(FILE *out, const char *s)
{
	int quote = 0;

	if (!s)
		return;
	if (s[0] && strchr("=+-@\t\r", s[0]))
		quote = 2;
	if (strpbrk(s, ",\";\n\r"))
		quote |= 1;
	if (quote)
		fputc('"', out);
	if (quote & 2)
		fputc('\'', out);
	esc_put(out, s, ESC_CSV);
	if (quote)
		fputc('"', out);
}

void table_json(struct lc_table *t, struct json_out *j)
{
	size_t rows = (size_t)table_rows(t);

	json_begin_array(j);
	json_layout(j, "\n ", ",\n ", rows ? "\n" : "");
	for (size_t r = 0; r < rows; r++) {
		json_begin_object(j);
		for (int c = 0; c < t->ncols; c++) {
			const char *v = cell(t, r, c);

			json_key(j, t->cols[c].key);
			if (!v || v == none_cell)
				json_null(j);
			else if ((t->cols[c].flags & TABLE_NUMBER) && is_number(v))
				json_number(j, v);
			else
				json_str(j, v);
		}
		json_end(j);
	}
	json_end(j);
}

static void print_json(struct lc_table *t, FILE *out)
{
	struct json_out j;

	json_init(&j, out);
	table_json(t, &j);
	fputc('\n', out);
}

static void print_csv(struct lc_table *t, FILE *out)
{
	size_t rows = (size_t)table_rows(t);

	for (int c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', out);
		csv_put(out, t->cols[c].key);
	}
	fputc('\n', out);
	for (size_t r = 0; r < rows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *v = cell(t, r, c);

			if (c)
				fputc(',', out);
			if (v == none_cell)
				continue; /* missing: an empty cell */
			if ((t->cols[c].flags & TABLE_NUMBER) && is_number(v))
				fputs(v, out); /* a number we computed: plain */
			else
				csv_put(out, v);
		}
		fputc('\n', out);
	}
}

static void md_put(FILE *out, const char *s)
{
	esc_put(out, s ? s : "", ESC_MD);
}

/* A cell as people read it (see shown()). */
static void md_cell(FILE *out, const struct col *col, const char *s)
{
	char buf[80];

	md_put(out, shown(col, s, buf, sizeof(buf)));
}

static void print_md(struct lc_table *t, FILE *out)
{
	size_t rows = (size_t)table_rows(t);

	fputc('|', out);
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & TABLE_HIDE_TEXT)
			continue;
		fputc(' ', out);
		md_put(out, t->cols[c].header);
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (int c = 0; c < t->ncols; c++)
		if (!(t->cols[c].flags & TABLE_HIDE_TEXT))
			fputs(t->cols[c].flags & TABLE_RIGHT ? " ---: |" : " --- |", out);
	fputc('\n', out);
	for (size_t r = 0; r < rows; r++) {
		fputc('|', out);
		for (int c = 0; c < t->ncols; c++) {
			if (t->cols[c].flags & TABLE_HIDE_TEXT)
				continue;
			fputc(' ', out);
			md_cell(out, &t->cols[c], cell(t, r, c));
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}

static void html_put(FILE *out, const char *s)
{
	esc_put(out, s ? s : "", ESC_HTML);
}

static void print_html(struct lc_table *t, FILE *out)
{
	size_t rows = (size_t)table_rows(t);
	char buf[80];

	fputs("<table>\n<thead><tr>", out);
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & TABLE_HIDE_TEXT)
			continue;
		fputs(t->cols[c].flags & TABLE_RIGHT ? "<th class=\"num\">" : "<th>", out);
		html_put(out, t->cols[c].header);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t r = 0; r < rows; r++) {
		fputs("<tr>", out);
		for (int c = 0; c < t->ncols; c++) {
			if (t->cols[c].flags & TABLE_HIDE_TEXT)
				continue;
			fputs(t->cols[c].flags & TABLE_RIGHT ? "<td class=\"num\">" : "<td>", out);
			html_put(out, shown(&t->cols[c], cell(t, r, c), buf, sizeof(buf)));
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

int table_print(struct lc_table *t, FILE *out, enum lc_format fmt, int width)
{
	switch (fmt) {
	case LC_FMT_HTML:
		print_html(t, out);
		break;
	case LC_FMT_JSON:
		print_json(t, out);
		break;
	case LC_FMT_CSV:
		print_csv(t, out);
		break;
	case LC_FMT_MD:
		print_md(t, out);
		break;
	default:
		print_text(t, out, width);
	}
	return ferror(out) ? -1 : 0;
}

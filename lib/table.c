/*
 * table.c - render a table as text, CSV, JSON or Markdown; see table.h.
 */
#include "table.h"

#include "escape.h"
#include "json_out.h"

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
	return calloc(1, sizeof(struct lc_table));
}

void table_free(struct lc_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->ncols; i++) {
		free(t->cols[i].header);
		free(t->cols[i].key);
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
	p = realloc(p, ncap * size);
	if (!p) {
		fputs("llmcost: error: out of memory\n", stderr);
		exit(1);
	}
	*cap = ncap;
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		fputs("llmcost: error: out of memory\n", stderr);
		exit(1);
	}
	return d;
}

void table_col(struct lc_table *t, const char *header, const char *key, int flags)
{
	size_t cap = (size_t)t->capcols;

	t->cols = grow(t->cols, &cap, (size_t)t->ncols + 1, sizeof(*t->cols));
	t->capcols = (int)cap;
	t->cols[t->ncols].header = xstrdup(header);
	t->cols[t->ncols].key = xstrdup(key);
	t->cols[t->ncols].flags = flags;
	t->ncols++;
}

/* A copy of s in t's blocks. */
static char *block_dup(struct lc_table *t, const char *s)
{
	size_t n = strlen(s) + 1;
	struct block *b = t->blocks;
	char *d;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_MIN ? n : BLOCK_MIN;

		if (!(b = malloc(sizeof(*b) + cap))) {
			fputs("llmcost: error: out of memory\n", stderr);
			exit(1);
		}
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

/* The rendering of every cell (headers first) for text: the cell itself
   when it needs no escaping (*own 0), else an escaped copy (*own 1). */
static char **escaped_cells(const struct lc_table *t, size_t rows, char **own)
{
	size_t n = (rows + 1) * (size_t)t->ncols;
	char **d = calloc(n ? n : 1, sizeof(char *));

	*own = calloc(n ? n : 1, 1);
	if (!d || !*own) {
		free(d);
		free(*own);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *v = i < (size_t)t->ncols ? t->cols[i].header : t->cells[i - (size_t)t->ncols];

		if (!v)
			v = "";
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

/* Narrow the widest text columns, one column at a time, down to floor. */
static void shrink(struct lc_table *t, size_t *w, const char *hidden, size_t *total, int width,
		   size_t floor)
{
	while (width > 0 && *total > (size_t)width) {
		int widest = -1;

		for (int c = 0; c < t->ncols; c++)
			if (!(t->cols[c].flags & (TABLE_RIGHT | TABLE_HIDE_TEXT)) && !hidden[c] &&
			    w[c] > floor && (widest < 0 || w[c] > w[widest]))
				widest = c;
		if (widest < 0)
			return;
		w[widest]--;
		(*total)--;
	}
}

static void print_text(struct lc_table *t, FILE *out, int width)
{
	size_t rows = (size_t)table_rows(t), *w = calloc((size_t)t->ncols, sizeof(size_t));
	char *hidden = calloc((size_t)t->ncols + 1, 1);
	size_t total = 0;
	int bold = isatty(fileno(out)) && !getenv("NO_COLOR");
	int ncols = 0;
	char *own = NULL, **d = escaped_cells(t, rows, &own);
	size_t nd = (rows + 1) * (size_t)t->ncols;

	if (!w || !hidden || !d) {
		free(w);
		free(hidden);
		if (d)
			free(own);
		free(d);
		return;
	}
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & TABLE_HIDE_TEXT)
			continue;
		w[c] = dwidth(d[c]);
		for (size_t r = 0; r < rows; r++) {
			size_t dw = dwidth(d[(r + 1) * (size_t)t->ncols + (size_t)c]);

			if (dw > w[c])
				w[c] = dw;
		}
		total += w[c];
		ncols++;
	}
	total += ncols > 1 ? 2 * (size_t)(ncols - 1) : 0;
	/* too wide: shorten long text columns to 24, then leave out trailing
	   columns (the least important), then shorten text columns to 8 */
	shrink(t, w, hidden, &total, width, 24);
	while (width > 0 && total > (size_t)width && ncols > 2) {
		for (int c = t->ncols - 1; c >= 0; c--)
			if (!(t->cols[c].flags & TABLE_HIDE_TEXT) && !hidden[c]) {
				hidden[c] = 1;
				total -= w[c] + 2;
				ncols--;
				break;
			}
	}
	shrink(t, w, hidden, &total, width, 8);
	for (size_t r = 0; r <= rows; r++) {
		int first = 1;

		if (r == 0 && bold)
			fputs("\033[1m", out);
		for (int c = 0; c < t->ncols; c++) {
			const char *v = d[r * (size_t)t->ncols + (size_t)c];
			size_t n, pad;
			int right = t->cols[c].flags & TABLE_RIGHT;
			int last = 1;

			if ((t->cols[c].flags & TABLE_HIDE_TEXT) || hidden[c])
				continue;
			for (int k = c + 1; k < t->ncols; k++)
				if (!(t->cols[k].flags & TABLE_HIDE_TEXT) && !hidden[k])
					last = 0;
			if (!v)
				v = "";
			if (!first)
				fputs("  ", out);
			first = 0;
			n = dwidth(v) < w[c] ? dwidth(v) : w[c];
			pad = w[c] - n;
			if (right)
				for (size_t i = 0; i < pad; i++)
					fputc(' ', out);
			put_clipped(out, v, w[c], &n);
			if (!right && !last)
				for (size_t i = 0; i < pad; i++)
					fputc(' ', out);
		}
		if (r == 0 && bold)
			fputs("\033[0m", out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < nd; i++)
		if (own[i])
			free(d[i]);
	free(own);
	free(d);
	free(w);
	free(hidden);
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
			md_put(out, cell(t, r, c));
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
			html_put(out, cell(t, r, c));
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

/*
 * json_out.c - see json_out.h.  Every value passes through sep(), which
 * writes the lead or separator of the container it lands in, unless it is
 * the value of a key (the key took the separator).
 */
#include "json_out.h"

#include <assert.h>

#include "escape.h"

void json_init(struct json_out *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->after_key = 0;
}

/* Before a member of the innermost container (a key, or an array value). */
static void member(struct json_out *j)
{
	int d = j->depth - 1;

	if (d < 0)
		return;
	fputs(j->count[d] ? j->sep[d] : j->lead[d], j->f);
	j->count[d]++;
}

/* Before a value: a key's value takes no separator of its own. */
static void value(struct json_out *j)
{
	if (j->after_key)
		j->after_key = 0;
	else
		member(j);
}

static void begin(struct json_out *j, char open, char close)
{
	value(j);
	assert(j->depth < JSON_OUT_DEPTH);
	fputc(open, j->f);
	j->close[j->depth] = close;
	j->count[j->depth] = 0;
	j->lead[j->depth] = "";
	j->sep[j->depth] = ", ";
	j->tail[j->depth] = "";
	j->depth++;
}

void json_begin_object(struct json_out *j)
{
	begin(j, '{', '}');
}

void json_begin_array(struct json_out *j)
{
	begin(j, '[', ']');
}

void json_layout(struct json_out *j, const char *lead, const char *sep, const char *tail)
{
	int d = j->depth - 1;

	assert(d >= 0);
	j->lead[d] = lead;
	j->sep[d] = sep;
	j->tail[d] = tail;
}

void json_end(struct json_out *j)
{
	int d = j->depth - 1;

	assert(d >= 0 && !j->after_key);
	fputs(j->tail[d], j->f);
	fputc(j->close[d], j->f);
	j->depth--;
}

void json_key(struct json_out *j, const char *key)
{
	assert(j->depth > 0 && j->close[j->depth - 1] == '}' && !j->after_key);
	member(j);
	fputc('"', j->f);
	esc_put(j->f, key, ESC_JSON);
	fputs("\": ", j->f);
	j->after_key = 1;
}

void json_str(struct json_out *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	value(j);
	fputc('"', j->f);
	esc_put(j->f, s, ESC_JSON);
	fputc('"', j->f);
}

void json_strn(struct json_out *j, const char *s, size_t n)
{
	value(j);
	fputc('"', j->f);
	esc_write(j->f, s, n, ESC_JSON);
	fputc('"', j->f);
}

void json_int(struct json_out *j, int64_t v)
{
	value(j);
	fprintf(j->f, "%lld", (long long)v);
}

void json_uint(struct json_out *j, uint64_t v)
{
	value(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_i128(struct json_out *j, lc_i128 v)
{
	char b[48], *p = b + sizeof(b);
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	value(j);
	fputs(p, j->f);
}

void json_bool(struct json_out *j, int v)
{
	value(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json_out *j)
{
	value(j);
	fputs("null", j->f);
}

void json_money(struct json_out *j, lc_i128 nanos)
{
	char b[64];

	value(j);
	fputs(money_format(b, sizeof(b), nanos, -1), j->f);
}

void json_money_fixed(struct json_out *j, lc_i128 nanos, int decimals)
{
	char b[64];

	value(j);
	fputs(money_format(b, sizeof(b), nanos, decimals), j->f);
}

void json_number(struct json_out *j, const char *text)
{
	value(j);
	fputs(text, j->f);
}

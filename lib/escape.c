/*
 * escape.c - make input-derived text safe to print; see escape.h.
 *
 * One scanner (next_cp) decides what is unsafe; each format only chooses
 * how to spell it.  So a terminal, a spreadsheet, a Markdown viewer and a
 * JSON parser all see the same set of characters neutralised.
 */
#include "escape.h"

#include <stdlib.h>
#include <string.h>

/* Characters that make Markdown syntax (CommonMark/GFM) anywhere in a line:
   links and images ([ ] ( ) !), emphasis and strike (* _ ~), code (`), HTML
   and autolinks (< >), e-mail autolinks (@), entities (&), table cells (|),
   math ($), and the escape character itself.  All are ASCII punctuation, so
   "\c" renders c.  GFM's bare autolinks are broken apart too: the ':' of
   "://" and the '.' of "www." are escaped. */
#define MD_SPECIAL "\\`*_[]()<>|~&!#{}$@"

int utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	int n;
	unsigned cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at a NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * The code point at p (at most n bytes): its length (0 for an invalid byte,
 * which the caller takes as one byte) and *cp.
 */
static int next_cp(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned char b[4] = { 0, 0, 0, 0 };
	int k;

	memcpy(b, p, n < 4 ? n : 4);
	k = utf8_len(b);
	if (k == 0 || (size_t)k > n)
		return 0;
	*cp = k == 1 ? b[0] : k == 2 ? (b[0] & 0x1fu) << 6 | (b[1] & 0x3fu)
		: k == 3 ? (b[0] & 0x0fu) << 12 | (b[1] & 0x3fu) << 6 | (b[2] & 0x3fu)
			 : (b[0] & 0x07u) << 18 | (b[1] & 0x3fu) << 12 | (b[2] & 0x3fu) << 6 |
				   (b[3] & 0x3fu);
	return k;
}

/* A code point that drives a terminal or reorders what is displayed. */
static int unsafe(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int esc_scan(const char *s, size_t n, int *unsafe_out)
{
	unsigned cp = 0;
	int k = next_cp((const unsigned char *)s, n, &cp);

	*unsafe_out = k > 0 && unsafe(cp);
	return k;
}

static void put_json_cp(FILE *out, unsigned cp)
{
	switch (cp) {
	case '\n':
		fputs("\\n", out);
		break;
	case '\r':
		fputs("\\r", out);
		break;
	case '\t':
		fputs("\\t", out);
		break;
	case '\b':
		fputs("\\b", out);
		break;
	case '\f':
		fputs("\\f", out);
		break;
	default:
		fprintf(out, "\\u%04x", cp);
	}
}

static void put_safe(FILE *out, const unsigned char *p, size_t left, int k, enum esc_to to,
		     const unsigned char *s)
{
	unsigned char c = *p;

	if (k > 1) {
		fwrite(p, 1, (size_t)k, out);
		return;
	}
	switch (to) {
	case ESC_CSV:
		if (c == '"')
			fputc('"', out);
		break;
	case ESC_MD:
		/* "www." starts a GFM autolink: break it at the dot */
		if ((c && strchr(MD_SPECIAL, c)) || (c == ':' && left >= 3 && p[1] == '/' && p[2] == '/'))
			fputc('\\', out);
		else if (c == '.' && p - s >= 3 && (p[-1] | 0x20) == 'w' &&
			 (p[-2] | 0x20) == 'w' && (p[-3] | 0x20) == 'w')
			fputc('\\', out);
		break;
	case ESC_HTML:
		if (c == '&')
			return (void)fputs("&amp;", out);
		if (c == '<')
			return (void)fputs("&lt;", out);
		if (c == '>')
			return (void)fputs("&gt;", out);
		if (c == '"')
			return (void)fputs("&quot;", out);
		if (c == '\'')
			return (void)fputs("&#39;", out);
		break;
	case ESC_JSON:
		if (c == '"' || c == '\\')
			fputc('\\', out);
		break;
	case ESC_TERM:
		break;
	}
	fputc(c, out);
}

/* A byte that every format writes as itself: printable ASCII that is not
   special to `to` (':' and '.' go the slow way in Markdown). */
static int plain(unsigned char c, enum esc_to to)
{
	if (c < 0x20 || c >= 0x7f)
		return 0;
	switch (to) {
	case ESC_CSV:
		return c != '"';
	case ESC_MD:
		return !strchr(MD_SPECIAL ":.", c);
	case ESC_HTML:
		return !strchr("&<>\"'", c);
	case ESC_JSON:
		return c != '"' && c != '\\';
	case ESC_TERM:
		break;
	}
	return 1;
}

void esc_write(FILE *out, const char *str, size_t n, enum esc_to to)
{
	const unsigned char *s = (const unsigned char *)str, *p = s;

	if (!str)
		return;
	while (n) {
		unsigned cp = 0;
		size_t run = 0;
		int k;

		while (run < n && plain(p[run], to))
			run++;
		if (run) { /* the common case: a run of plain ASCII at once */
			fwrite(p, 1, run, out);
			p += run;
			n -= run;
			continue;
		}
		k = next_cp(p, n, &cp);

		if (k == 0) {
			if (to == ESC_JSON)
				fputs("\\ufffd", out);
			else
				fprintf(out, "\\x%02x", *p);
			k = 1;
		} else if (unsafe(cp)) {
			if (to == ESC_JSON)
				put_json_cp(out, cp);
			else if (k == 1)
				fprintf(out, "\\x%02x", cp);
			else
				fprintf(out, "\\u%04x", cp);
		} else {
			put_safe(out, p, n, k, to, s);
		}
		p += k;
		n -= (size_t)k;
	}
}

void esc_put(FILE *out, const char *s, enum esc_to to)
{
	if (s)
		esc_write(out, s, strlen(s), to);
}

int esc_plain(const char *s, enum esc_to to)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!plain(*p, to))
			return 0;
	return 1;
}

char *esc_dup(const char *s, enum esc_to to)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	esc_put(f, s ? s : "", to);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Copy one conversion spec of fmt ("%-10.*lld") into spec; its length. */
static size_t spec_len(const char *fmt)
{
	size_t i = 1;

	while (fmt[i] && strchr("-+ #0'", fmt[i]))
		i++;
	while (fmt[i] && (strchr("0123456789.*", fmt[i])))
		i++;
	while (fmt[i] && strchr("hlLqjzt", fmt[i]))
		i++;
	return fmt[i] ? i + 1 : i;
}

int esc_vprintf(FILE *out, const char *fmt, va_list ap)
{
	long total = 0;

	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
		char spec[64], conv, tmp[128];
		size_t sl;
		int star[2], nstar = 0, r;

		fwrite(fmt, 1, lit, out);
		total += (long)lit;
		if (!pct)
			break;
		sl = spec_len(pct);
		if (sl >= sizeof(spec) || sl < 2) /* malformed: copy it */
			sl = sl < 2 ? 1 : sizeof(spec) - 1;
		memcpy(spec, pct, sl);
		spec[sl] = '\0';
		fmt = pct + sl;
		conv = spec[sl - 1];
		for (size_t i = 1; i + 1 < sl; i++)
			if (spec[i] == '*' && nstar < 2)
				star[nstar++] = va_arg(ap, int);
		if (conv == '%') {
			fputc('%', out);
			total++;
			continue;
		}
		if (conv == 's' || conv == 'c') {
			char c1[2] = { 0, 0 };
			const char *s;
			char *pad = NULL;

			if (conv == 'c') {
				c1[0] = (char)va_arg(ap, int);
				s = c1;
			} else {
				s = va_arg(ap, const char *);
				if (!s)
					s = "(null)";
			}
			/* width and precision apply to the bytes before escaping */
			if (nstar == 2)
				r = asprintf(&pad, spec, star[0], star[1], s);
			else if (nstar == 1)
				r = asprintf(&pad, spec, star[0], s);
			else
				r = conv == 'c' ? asprintf(&pad, "%s", s) : asprintf(&pad, spec, s);
			if (r < 0)
				return -1;
			esc_write(out, pad, (size_t)r, ESC_TERM);
			free(pad);
			total += r;
			continue;
		}
		if (strchr("diouxX", conv)) {
			const char *m = spec + sl - 2;
			long long v;

			if (*m == 'l' && m[-1] == 'l')
				v = strchr("di", conv) ? va_arg(ap, long long)
						       : (long long)va_arg(ap, unsigned long long);
			else if (*m == 'l' || *m == 'z' || *m == 'j' || *m == 't')
				v = strchr("di", conv) ? va_arg(ap, long) : (long long)va_arg(ap, unsigned long);
			else
				v = strchr("di", conv) ? va_arg(ap, int) : (long long)va_arg(ap, unsigned);
			/* print through %lld/%llu with the same flags and width */
			{
				char f2[80];
				size_t b = 0;

				for (size_t i = 0; i + 1 < sl && b < sizeof(f2) - 4; i++)
					if (!strchr("hlLqjzt", spec[i]))
						f2[b++] = spec[i];
				f2[b++] = 'l';
				f2[b++] = 'l';
				f2[b++] = conv;
				f2[b] = '\0';
				if (nstar == 2)
					r = snprintf(tmp, sizeof(tmp), f2, star[0], star[1], v);
				else if (nstar == 1)
					r = snprintf(tmp, sizeof(tmp), f2, star[0], v);
				else
					r = snprintf(tmp, sizeof(tmp), f2, v);
			}
		} else if (strchr("feEgGaA", conv)) {
			double v = va_arg(ap, double);

			if (nstar == 2)
				r = snprintf(tmp, sizeof(tmp), spec, star[0], star[1], v);
			else if (nstar == 1)
				r = snprintf(tmp, sizeof(tmp), spec, star[0], v);
			else
				r = snprintf(tmp, sizeof(tmp), spec, v);
		} else if (conv == 'p') {
			r = snprintf(tmp, sizeof(tmp), "%p", va_arg(ap, void *));
		} else { /* unknown conversion: write it as text */
			r = (int)sl;
			fwrite(spec, 1, sl, out);
			total += r;
			continue;
		}
		if (r < 0)
			return -1;
		if ((size_t)r >= sizeof(tmp))
			r = sizeof(tmp) - 1;
		fwrite(tmp, 1, (size_t)r, out);
		total += r;
	}
	return ferror(out) ? -1 : (int)total;
}

int esc_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = esc_vprintf(out, fmt, ap);
	va_end(ap);
	return r;
}

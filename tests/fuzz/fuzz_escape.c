/*
 * fuzz_escape.c - the one escaper (lib/escape.h) and the table renderings on
 * arbitrary bytes.
 *
 * Invariants: in every format the output is valid UTF-8 with no unsafe
 * character (esc_scan finds none); JSON output has no bare '"'; Markdown
 * output has no unescaped [ ] < > | or "://"; a CSV text cell never starts
 * with a formula character; esc_printf writes the argument as esc_write
 * does; nothing reads past len (the input is copied to an exact buffer).
 */
#include <string.h>

#include "escape.h"
#include "fuzz.h"
#include "table.h"

/* Every character of [s, s+n) is valid UTF-8 and safe (newlines too when
   nl: a rendering's own line ends). */
static void check_clean(const char *s, size_t n, int nl)
{
	while (n) {
		int bad, k = esc_scan(s, n, &bad);

		FUZZ_CHECK(k > 0 && (!bad || (nl && *s == '\n')));
		s += k;
		n -= (size_t)k;
	}
}

static char *render(const char *in, size_t n, enum esc_to to, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	esc_write(f, in, n, to);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1), *s, *cell;
	size_t len, clen = 0;

	if (!in)
		abort();
	memcpy(in, data, size);
	for (int to = ESC_TERM; to <= ESC_JSON; to++) {
		s = render(in, size, (enum esc_to)to, &len);
		check_clean(s, len, 0);
		if (to == ESC_JSON)
			for (size_t i = 0; i < len; i++) {
				if (s[i] == '\\')
					i++;
				else
					FUZZ_CHECK(s[i] != '"');
			}
		if (to == ESC_MD)
			for (size_t i = 0; i < len; i++) {
				if (s[i] == '\\')
					i++;
				else
					FUZZ_CHECK(!strchr("[]<>|", s[i]) &&
						   !(i + 2 < len && !memcmp(s + i, "://", 3)));
			}
		free(s);
	}
	/* a NUL-terminated copy through esc_printf and a CSV table cell */
	cell = fuzz_strndup(data, size);
	{
		char *a, *b;
		size_t alen, blen;
		FILE *f;

		a = render(cell, strlen(cell), ESC_TERM, &alen);
		b = NULL;
		f = open_memstream(&b, &blen);
		esc_printf(f, "%s", cell);
		fclose(f);
		FUZZ_CHECK(alen == blen && !memcmp(a, b, alen));
		free(a);
		free(b);
	}
	{
		struct lc_table *t = table_new();
		FILE *f;

		s = NULL;
		table_col(t, "c", "c", 0);
		table_cell(t, cell);
		f = open_memstream(&s, &clen);
		table_print(t, f, LC_FMT_CSV, 0);
		fclose(f);
		check_clean(s, clen, 1);
		/* the cell starts after the header line "c\n", maybe after a quote */
		FUZZ_CHECK(clen >= 2);
		{
			const char *c = s + 2;

			if (*c == '"')
				c++;
			FUZZ_CHECK(!strchr("=+-@\t\r", *c) || *c == '\0');
		}
		free(s);
		table_free(t);
	}
	free(cell);
	free(in);
	return 0;
}

/*
 * fuzz_csv.c - the RFC 4180 reader over arbitrary bytes, from memory and
 * from a FILE (fmemopen) at the same time.
 *
 * Invariants: both sources give the same records, fields and line numbers
 * (or fail at the same record); a field holds no NUL and its length is
 * strlen; line numbers never go backwards; field counts stay within
 * CSV_MAX_FIELDS; csv_header_map never reads past the record.
 */
#include <string.h>

#include "csv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "model", "input", "output", "date", "" };
	static const int required[] = { 1, 0, 1, 0, 0 };
	struct csv a, b;
	struct lc_err ea = { 0 }, eb = { 0 };
	char *copy = malloc(size ? size : 1);
	FILE *fp = NULL;
	long last = 0;
	int ra, rb, n = 0;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	csv_init_mem(&a, "fuzz.csv", copy, size);
	if (size)
		fp = fmemopen(copy, size, "rb");
	if (fp)
		csv_init_file(&b, "fuzz.csv", fp);
	for (;;) {
		ra = csv_next(&a, &ea);
		if (fp) {
			rb = csv_next(&b, &eb);
			FUZZ_CHECK(ra == rb);
		}
		if (ra <= 0)
			break;
		FUZZ_CHECK(a.nfields >= 1 && a.nfields <= CSV_MAX_FIELDS);
		FUZZ_CHECK(a.line >= last && a.line >= 1);
		last = a.line;
		if (fp) {
			FUZZ_CHECK(a.nfields == b.nfields && a.line == b.line);
		}
		for (int i = 0; i < a.nfields; i++) {
			FUZZ_CHECK(strlen(csv_field(&a, i)) == csv_field_len(&a, i));
			if (fp)
				FUZZ_CHECK(csv_field_len(&a, i) == csv_field_len(&b, i) &&
					   memcmp(csv_field(&a, i), csv_field(&b, i),
						  csv_field_len(&a, i)) == 0);
		}
		FUZZ_CHECK(csv_field(&a, a.nfields)[0] == '\0' && csv_field(&a, -1)[0] == '\0');
		if (n++ == 0) {
			int idx[5];
			struct lc_err eh = { 0 };

			if (csv_header_map(&a, names, required, 5, idx, &eh) == 0)
				for (int k = 0; k < 5; k++)
					FUZZ_CHECK(idx[k] >= -1 && idx[k] < a.nfields);
			else
				FUZZ_CHECK(eh.code == LC_EDATA);
		}
	}
	if (ra < 0) {
		FUZZ_CHECK(ea.code == LC_EDATA || ea.code == LC_ERUNTIME);
		if (fp)
			FUZZ_CHECK(strcmp(ea.msg, eb.msg) == 0);
	}
	csv_release(&a);
	if (fp) {
		csv_release(&b);
		fclose(fp);
	}
	free(copy);
	return 0;
}

/*
 * fuzz_resolve.c - db_resolve on arbitrary names over the built-in data
 * (an in-memory store opened once per process).
 *
 * Invariants: no crash; an error is LC_EDATA with a NUL-terminated message;
 * a resolved name gives a model that exists, a non-empty host, and resolving
 * the canonical id again gives the same model (resolution is idempotent).
 * The first input byte picks the date the name is resolved on.
 */
#include <string.h>

#include "db.h"
#include "fuzz.h"

static struct lc_db *db;

static const char *const dates[] = { "2023-03-01", "2024-05-20", "2024-12-31",
				     "2025-06-01", "1999-01-01", "9999-12-31" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct lc_err err = { 0 };

	if (db_open(&db, ":memory:", &err)) {
		fprintf(stderr, "fuzz_resolve: %s\n", err.msg);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_resolved r, r2;
	struct lc_model m;
	struct lc_err err = { 0 };
	const char *date;
	char *name;

	if (!db)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size < 1)
		return 0;
	date = dates[data[0] % (ARRAY_SIZE(dates))];
	name = fuzz_strndup(data + 1, size - 1);
	if (db_resolve(db, name, date, &r, &err) == 0) {
		FUZZ_CHECK(r.model[0] != '\0' && r.host[0] != '\0');
		FUZZ_CHECK(db_model_get(db, r.model, &m, &err) == 1);
		FUZZ_CHECK(db_resolve(db, r.model, date, &r2, &err) == 0);
		FUZZ_CHECK(strcmp(r.model, r2.model) == 0);
	} else {
		FUZZ_CHECK(err.code == LC_EDATA);
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	}
	free(name);
	return 0;
}

/*
 * fuzz_profile.c - the estimator's JSON task profiles (profile_parse_json,
 * `llmcost estimate --profile FILE`) on arbitrary bytes, then the estimate
 * of an accepted profile on a few real offerings from the built-in data.
 *
 * Invariants: no crash, no overread (the text is an exact-size buffer with
 * no NUL after it); a rejected profile is LC_EDATA; an accepted profile that
 * passes profile_check prices to non-negative components that add up to the
 * total, or fails cleanly ("cost out of range").
 */
#include <string.h>

#include "db.h"
#include "estimate.h"
#include "fuzz.h"

static struct lc_db *db;
static struct {
	struct lc_model m;
	struct lc_offering o;
} offers[4];
static int noffers;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const ids[] = { "gpt-4o", "claude-3-5-sonnet-20241022",
					   "gemini-1.5-pro", "o1" };
	struct lc_err err = { 0 };

	if (db_open(&db, ":memory:", &err)) {
		fprintf(stderr, "fuzz_profile: %s\n", err.msg);
		abort();
	}
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		struct lc_resolved r;

		if (db_resolve(db, ids[i], "2024-12-31", &r, &err) ||
		    db_model_get(db, r.model, &offers[noffers].m, &err) != 1 ||
		    db_offering_at(db, r.model, r.host, "2024-12-31", NULL, &offers[noffers].o,
				   &err) != 1)
			continue;
		noffers++;
	}
	if (noffers == 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_profile p;
	struct lc_err err = { 0 };
	char *text;

	if (!db)
		LLVMFuzzerInitialize(NULL, NULL);
	text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	profile_init(&p);
	if (profile_parse_json(text, size, "profile 'fuzz.json'", &p, &err) == 0) {
		memset(&err, 0, sizeof(err));
		if (profile_check(&p, &err) == 0) {
			for (int i = 0; i < noffers; i++) {
				struct lc_estimate e;

				memset(&e, 0, sizeof(e));
				memset(&err, 0, sizeof(err));
				if (estimate_one(&p, &offers[i].m, &offers[i].o, &e, &err) != 0) {
					FUZZ_CHECK(err.code == LC_EDATA);
					continue;
				}
				if (!e.applicable)
					continue;
				const struct lc_cost *c = &e.per_task;
				FUZZ_CHECK(c->input >= 0 && c->output >= 0 && c->cache_read >= 0 &&
					   c->cache_write >= 0 && c->reasoning >= 0 &&
					   c->audio >= 0 && c->image >= 0 && c->fees >= 0);
				FUZZ_CHECK(e.total.total >= 0 && e.per_task.total >= 0);
			}
		} else {
			FUZZ_CHECK(err.code == LC_EUSAGE || err.code == LC_EDATA);
		}
	} else {
		FUZZ_CHECK(err.code == LC_EDATA || err.code == LC_ERUNTIME);
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	}
	free(text);
	return 0;
}

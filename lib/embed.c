/*
 * embed.c - data/ files compiled in with the assembler's .incbin, so there is
 * no generated source and no extra build tool.  Each file gets a trailing NUL.
 * To embed a new file, add it to EMBEDDED_FILES below and to the Makefile's
 * EMBEDDED variable (so a change to the file rebuilds this object).
 */
#include "embed.h"

#include <string.h>

#define EMBEDDED_FILES(X)                           \
	X(lc_schema_sql, "data/schema.sql")         \
	X(lc_providers_csv, "data/providers.csv")   \
	X(lc_models_csv, "data/models.csv")         \
	X(lc_aliases_csv, "data/aliases.csv")       \
	X(lc_prices_csv, "data/prices.csv")         \
	X(lc_quality_csv, "data/quality.csv")       \
	X(lc_lifecycle_csv, "data/lifecycle.csv")   \
	X(lc_meta_csv, "data/meta.csv")             \
	X(lc_plans_csv, "data/plans.csv")           \
	X(lc_tasks_json, "data/tasks.json")

#define EMBED(sym, file)                                \
	__asm__(".section .rodata\n"                    \
		".global " #sym "\n"                    \
		".balign 16\n" #sym ":\n"               \
		".incbin \"" file "\"\n"                \
		".global " #sym "_end\n" #sym "_end:\n" \
		".byte 0\n"                             \
		".previous\n");                         \
	extern const char sym[], sym##_end[];
EMBEDDED_FILES(EMBED)

#define ROW(sym, file) { file, sym, 0 },
static struct lc_blob blobs[] = { EMBEDDED_FILES(ROW){ NULL, NULL, 0 } };

#define END(sym, file) sym##_end,
static const char *const ends[] = { EMBEDDED_FILES(END) NULL };

static void fill_lengths(void)
{
	/* lengths come from the _end symbols; strlen would stop at a stray NUL */
	for (size_t i = 0; blobs[i].name; i++)
		blobs[i].len = (size_t)(ends[i] - blobs[i].data);
}

const struct lc_blob *embed_all(void)
{
	fill_lengths();
	return blobs;
}

const struct lc_blob *embed_get(const char *name)
{
	fill_lengths();
	for (struct lc_blob *b = blobs; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

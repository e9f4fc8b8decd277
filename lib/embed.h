/*
 * embed.h - the built-in data files (data/), compiled into the binary so
 * llmcost works offline from any directory.  See embed.c for the list.
 */
#ifndef LC_EMBED_H
#define LC_EMBED_H

#include <stddef.h>

struct lc_blob {
	const char *name; /* "data/prices.csv" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* The blob named `name` (e.g. "data/prices.csv"), or NULL. */
const struct lc_blob *embed_get(const char *name);
/* All blobs, terminated by an entry with name NULL. */
const struct lc_blob *embed_all(void);

#endif

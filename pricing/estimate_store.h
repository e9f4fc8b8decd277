/*
 * estimate_store.h - the estimator's source (struct lc_est_source,
 * estimate.h) read from the store: the offerings priced on a date (every
 * model's, filtered by provider, source, default hosts and retirement, or
 * the models named) and their quality scores (arena_elo, read once per
 * date and looked up by model).  The engine in estimate.c stays pure; this
 * adapter is the one place it meets lib/db.h.
 */
#ifndef LC_ESTIMATE_STORE_H
#define LC_ESTIMATE_STORE_H

#include <stddef.h>

#include "db.h"
#include "estimate.h"

/* Which offerings count (the `estimate` options). */
struct est_store_opts {
	const char *provider;      /* NULL = every provider */
	const char *source;        /* NULL = by priority */
	int all_hosts;             /* every host, not only the default ones */
	int include_retired;       /* also models retired on the date */
};

/* Quality scores (arena_elo) of one date, read in one query, looked up by model. */
struct score {
	char model[LC_ID_MAX];
	char score[32];
};
struct scores {
	struct lc_db *db;
	char date[11];
	struct score *v;
	size_t n, cap;
	int failed;
};

struct est_store {
	struct lc_est_source src;  /* hand &src to estimate_at / estimate_series */
	struct lc_db *db;
	const char *provider, *source;
	int all_hosts, include_retired;
	char **names;              /* the models named (nnames 0: every model) */
	int nnames;
	int label_by_name; /* series: a line per name as typed (aliases follow snapshots) */
	int strict;        /* a named model without a price is an error (not in series) */
	struct scores scores;
};

/*
 * Set s up to read db: names (nnames of them; 0 for every model) resolved
 * on each date; label_by_name labels each line by the name as typed;
 * strict makes a named model without a price an error (and sets
 * s->src.strict).  names and o's strings must outlive s.  Release with
 * est_store_release.
 */
void est_store_init(struct est_store *s, struct lc_db *db, const struct est_store_opts *o,
		    char **names, int nnames, int label_by_name, int strict);
void est_store_release(struct est_store *s);

#endif

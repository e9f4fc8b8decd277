/*
 * prices.h - one price sheet from a URL or a file into the store: the
 * pipeline `llmcost ingest prices` and `llmcost update` share, and the table
 * of named sources.
 *
 * prices_ingest fetches (conditionally, with the validators the server gave
 * for that very URL while the source still holds the sheet that came with
 * it), parses, validates and writes the sheet in one transaction
 * (db_sheet_ingest); a failure changes no price.  It never prints: progress
 * and retries go to the job's callbacks, the outcome (counts, the parsed
 * sheet's warnings) to the caller.
 */
#ifndef LC_PRICES_H
#define LC_PRICES_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "db_sheet.h"
#include "err.h"
#include "sheet.h"

/* A named source: `llmcost ingest prices NAME`, and what `update` refreshes. */
struct prices_named {
	const char *name, *format, *url;
	int priority;
};

/* The named sources, in the order `update` refreshes them; *n gets the count. */
const struct prices_named *prices_named_all(size_t *n);
/* The named source called name, or NULL. */
const struct prices_named *prices_named_find(const char *name);
/* The default priority of a new source of format fmt (csv 10, named ones theirs, else 60). */
int prices_format_priority(const char *fmt);

struct prices_job {
	const char *url;       /* http(s) URL or a local file */
	const char *format;    /* NULL: the stored source's on a 304, else guessed */
	const char *source;    /* the source name; NULL: the format's */
	int allow_http;        /* the user typed the URL: plain http allowed */
	int force;             /* unconditional; accept a sheet that shrank or is >5% unusable */
	int have_priority;
	int64_t priority;      /* for a new source when have_priority */
	const char *user_agent; /* "llmcost/VERSION" */
	/* progress and retries (NULL: silent); ctx is the URL */
	void (*progress)(void *ctx, int64_t got, int64_t total);
	void (*retrying)(void *ctx, const char *why, long wait_ms);
};

struct prices_outcome {
	int not_modified;           /* HTTP 304: nothing changed */
	char source[64];            /* the source the sheet was stored as */
	char format[24];
	char last_fetch[32];        /* the source's previous fetch ("" when none) */
	char sha256[65];
	char fetched_at[32], today[11];
	struct sheet_ingest_opts io; /* what was stored (strings point into this outcome or the job) */
	int have_sheet;
	struct sheet sheet;         /* the parsed sheet: unusable / no-price names, counts */
	struct sheet_ingest_report rep;
};

/*
 * The job of `llmcost ingest prices SOURCE`: `what` is a named source (its
 * URL, format and name unless url, format, name are given; plain http only
 * when the user typed the URL) or else a URL or a file (url must be NULL).
 * Fills job->url, format, source and allow_http (strings point into the
 * arguments or the named table).  -1 with LC_EUSAGE: an unknown format,
 * --url without a named source, a URL over SHEET_URL_MAX bytes, a name
 * empty or too long.
 */
int prices_job_resolve(struct prices_job *job, const char *what, const char *url,
		       const char *format, const char *name, struct lc_err *err);

/*
 * Run the job.  0: ingested (out->rep) or not modified (out->not_modified);
 * -1 with err: LC_ENET fetch failed, LC_EDATA sheet rejected or unreadable,
 * LC_EDB, LC_ERUNTIME.  A failed fetch or rejected sheet of a known source is
 * logged in its fetches (nothing else changes).  Always release out with
 * prices_outcome_release.
 */
int prices_ingest(struct lc_db *db, const struct prices_job *job, struct prices_outcome *out,
		  struct lc_err *err);
void prices_outcome_release(struct prices_outcome *out);

#endif

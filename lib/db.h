/*
 * db.h - the store.  lib/db*.c are the only files that include sqlite3.h;
 * everything above talks to the store through these functions, so a second
 * backend (a shared PostgreSQL store) can follow without touching commands.
 *
 * Every function returns 0 (or a count, or 1 for "found") on success and -1
 * with LC_EDB (or LC_EDATA for bad data, e.g. an unknown model) in err.
 */
#ifndef LC_DB_H
#define LC_DB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "price.h"

#define LC_SCHEMA_VERSION 10
#define LC_APPLICATION_ID 0x4c4c4d43 /* "LLMC" */

struct lc_db;

/* SQL shared by the readers of price periods (db_price.c, db_report.c): see
   the rule of which source wins at the top of db_price.c. */
/* The date the built-in data is current to (NULL when it prices nothing):
   db_builtin_data_date(), which db_builtin_sync stores as the builtin
   source's last_modified; a store synced before that was kept falls back to
   the latest start of a built-in price.  An uncorrelated subquery: SQLite
   runs it at most once per statement run, and only when a sheet's row is
   met (see RANK). */
#define BUILTIN_DATE                                                                   \
	"(SELECT coalesce(b.last_modified, (SELECT max(q.effective_from) "                 \
	"FROM price_periods q WHERE q.source_id = b.id)) FROM sources b WHERE b.name = 'builtin')"

/* The sort key of a period (needs p and s): its source's priority, except
   that a non-built-in period starting after BUILTIN_DATE ranks with the
   built-in priority when its own is lower, and then before the built-in
   period (the second key).  Callers order by RANK, s.priority, s.id. */
#define RANK                                                                              \
	"CASE WHEN s.name <> 'builtin' AND p.effective_from > " BUILTIN_DATE " "          \
	"AND s.priority > (SELECT priority FROM sources WHERE name = 'builtin') "         \
	"THEN (SELECT priority FROM sources WHERE name = 'builtin') ELSE s.priority END, " \
	"s.name = 'builtin'"

/*
 * The database path: $LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db,
 * else ~/.local/share/llmcost/llmcost.db.  Returns buf, or NULL with err
 * when no home directory is known.
 */
char *db_default_path(char *buf, size_t n, struct lc_err *err);

/*
 * Open (creating the file and its folders when missing), set the pragmas
 * (WAL, foreign keys, busy timeout), migrate, and load or refresh the
 * built-in data when the binary's data differs from the store's.  Refuses a
 * file that is not an llmcost database and one written by a newer llmcost.
 * path is a file's path (one that starts "file:" too, never a URI), or
 * ":memory:" for a store kept in memory only (tests; the CLI refuses it).
 * The caller frees with db_close.
 */
int db_open(struct lc_db **out, const char *path, struct lc_err *err);

/*
 * The team store (db_pg.c): db_open() of a PostgreSQL connection string
 * (postgresql://..., postgres://..., or libpq's keyword=value form such as
 * service=NAME or host=... dbname=...) opens this machine's cache of it, an
 * SQLite store every reader uses unchanged, brought up to date from the
 * server.  db_is_team says whether db is one.
 */
int db_is_team(const struct lc_db *db);
/* The store's name for messages: its path, or the team store's connection
   string without its password ('postgresql://user@host:port/db'). */
const char *db_name(const struct lc_db *db);
/*
 * The store an ingest of usage writes its records and resume points to:
 * db itself, or for the team store a staging area in memory (owned by db)
 * whose every db_commit() sends its records to the server in one
 * transaction.  NULL with err on failure.
 */
struct lc_db *db_usage_writer(struct lc_db *db, struct lc_err *err);
/*
 * What the server made of the records of the staging area's commits sent
 * since the last call that it found already stored: *dup of them were
 * duplicates, *replaced replaced a stored copy (the staging area had
 * counted both as new).  Both 0 on any other store.  Reading resets them.
 * With seen, also their natural keys (the caller frees them with
 * lc_push_seen_free) and how many commits sent since the last call they
 * cover: an ingest's summary takes back what it noted of those records.
 * A commit of the staging area is sent while the ingest goes on:
 * db_usage_push_wait() waits for the last one (its counts then come with
 * the next call) and says whether every one was stored; a failed one also
 * fails the next commit.  On any other store it returns 0 at once.
 */
struct lc_push_seen {
	char **keys;     /* the natural keys of those records */
	int64_t n, cap;
	int64_t commits; /* the staging area's commits the counts cover, oldest first */
};
void db_usage_push_stats(struct lc_db *db, int64_t *dup, int64_t *replaced,
			 struct lc_push_seen *seen);
void lc_push_seen_free(struct lc_push_seen *s);
int db_usage_push_wait(struct lc_db *db, struct lc_err *err);
/*
 * Copy the user's own catalogue (price sheets and their sources, the
 * models, aliases, lifecycle rows, scores and plans they brought, budgets:
 * never the built-in data) from one store to another that has none of its
 * own; *rows counts the rows.  1 (nothing copied) when `to` has its own,
 * 0 when copied, -1 with err.
 */
int db_catalogue_copy(struct lc_db *from, struct lc_db *to, int64_t *rows, struct lc_err *err);
void db_close(struct lc_db *db);
const char *db_path(const struct lc_db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback is safe when none is active). */
int db_begin(struct lc_db *db, struct lc_err *err);
int db_commit(struct lc_db *db, struct lc_err *err);
void db_rollback(struct lc_db *db);

/* A savepoint inside the open transaction (one at a time): set, release
   (keep its work), or roll back to it (drop its work, keep the rest). */
int db_savepoint(struct lc_db *db, struct lc_err *err);
int db_savepoint_release(struct lc_db *db, struct lc_err *err);
void db_rollback_to(struct lc_db *db);

/*
 * Writes another db_*.c file holds in memory inside a transaction (the
 * usage rollup): flush writes them and runs before COMMIT, SAVEPOINT and
 * RELEASE (its error fails them); drop forgets them after ROLLBACK and
 * ROLLBACK TO (so what is held always belongs to the innermost scope);
 * release frees ctx at db_close.  One hook per connection.
 */
struct db_hook {
	int (*flush)(struct lc_db *db, void *ctx, struct lc_err *err);
	void (*drop)(void *ctx);
	void (*release)(void *ctx);
	void *ctx;
};
void db_set_hook(struct lc_db *db, const struct db_hook *h);
/* The hook's ctx, NULL when none is set. */
void *db_hook_ctx(struct lc_db *db);

/* The escape hatch for other db_*.c files: the sqlite3 handle (as void *). */
void *db_handle(struct lc_db *db);
/*
 * A prepared statement (sqlite3_stmt *) for sql, kept until db_close and
 * reset with its bindings cleared on each call.  sql must be a string
 * literal (it is keyed by address).  Never finalize it; NULL on error.
 */
void *db_cached(struct lc_db *db, const char *sql, struct lc_err *err);
/* Fill err from the handle's last error, with a context prefix; returns -1. */
int db_fail(struct lc_db *db, struct lc_err *err, const char *what);

/* ---- catalogue (db_catalog.c) ---- */

/* db_catalog.c's index of squashed names, kept for the connection's life. */
struct db_name_index;
struct db_name_index **db_name_index_slot(struct lc_db *db);
void db_name_index_free(struct db_name_index *ix);

/* A name resolved to a model and the host it means. */
struct lc_resolved {
	char model[LC_ID_MAX];
	char host[LC_ID_MAX];    /* explicit host, or the model's default host */
	int host_explicit;       /* 1 when the name itself named the host */
};

/*
 * Resolve a user-written model name on `date` (YYYY-MM-DD; undated aliases
 * resolve to the snapshot current then).  Accepts case variants, provider
 * prefixes (openai/, anthropic/, models/, ...), host prefixes (bedrock/,
 * azure/, vertex/, groq/, openrouter/, together/ ...), Bedrock ids with
 * region prefixes, dotted versions (claude-3.5-sonnet).  An unknown name is
 * -1 with LC_EDATA and up to three suggestions in the message.
 */
int db_resolve(struct lc_db *db, const char *name, const char *date,
	       struct lc_resolved *out, struct lc_err *err);

/*
 * db_resolve without the "did you mean" search (fast, for ingesting
 * thousands of keys): 0 resolved, 1 unknown (err untouched), -1 error.
 */
int db_resolve_quiet(struct lc_db *db, const char *name, const char *date,
		     struct lc_resolved *out, struct lc_err *err);

/*
 * db_resolve_quiet for a name meant at `host` (a price sheet's key: the
 * sheet's host) unless the name names its own host: aliases of other hosts
 * do not apply (OpenRouter's deepseek/deepseek-chat is not DeepSeek's
 * moving deepseek-chat).  host NULL or "": any host.
 */
int db_resolve_at(struct lc_db *db, const char *name, const char *host, const char *date,
		  struct lc_resolved *out, struct lc_err *err);

/*
 * The id a model the catalogue lacks is created under: name lowercased,
 * host/maker prefixes and Bedrock region/version parts removed, a trailing
 * OpenRouter variant (:free, :batch, :thinking, ...) dropped.
 */
void db_name_base(const char *name, char out[LC_ID_MAX]);

/*
 * A model a price sheet created because no key of it named a model the
 * built-in catalogue knows, with the reason, for review (`llmcost models
 * --unmatched`).  reason is one of:
 *   new         no built-in model has a spelling of this name
 *   not-chat    an embedding, image, audio, rerank, ... entry
 *   fine-tuned  ft:... (a customer's model)
 *   ambiguous   its spellings mean two built-in models; detail names them
 *   spelling    only another spelling of a built-in model (stored by an
 *               older llmcost; a bug if a fresh ingest makes one)
 */
struct lc_unmatched {
	char model[LC_ID_MAX];
	char source[LC_ID_MAX]; /* the source that created it */
	char mode[32];
	char hosts[256];        /* the hosts it is priced at, space-separated */
	char reason[16];
	char detail[2 * LC_ID_MAX + 32];
};

/* Call cb for each such model (of `source` only unless NULL), by id; 0 or -1
   (also when cb returns non-zero). */
int db_unmatched(struct lc_db *db, const char *source,
		 int (*cb)(void *ctx, const struct lc_unmatched *u), void *ctx, struct lc_err *err);

/* Fetch a model by canonical id: 1 found, 0 not found, -1 error. */
int db_model_get(struct lc_db *db, const char *id, struct lc_model *out, struct lc_err *err);

/*
 * Quality scores come in leaderboard snapshots, and a comparison uses one:
 * the snapshot of `benchmark` for `date` is the latest dated on or before
 * date, else the earliest (a report that starts before the leaderboard's
 * first snapshot judges the old models by it); an undated set (snapshot "",
 * vendor MMLU) is every date's.  Its date into out[11] ("" for an undated
 * set).  Returns 1 found, 0 when benchmark has no scores, -1 error.
 */
int db_quality_snapshot(struct lc_db *db, const char *benchmark, const char *date, char out[11],
			struct lc_err *err);

/*
 * The quality score of catalogue model `model` on `benchmark` in the
 * snapshot for `date` (db_quality_snapshot), as decimal text into out[32].
 * Returns 1 found, 0 none (the model is not in that snapshot), -1 error.
 */
int db_quality(struct lc_db *db, const char *model, const char *benchmark, const char *date,
	       char out[32], struct lc_err *err);

/*
 * Every catalogue model's score on `benchmark` in the snapshot for `date`
 * (db_quality_snapshot), in model id order: fn(ctx, model, score_text) for
 * each (non-zero stops).  Returns the count or -1 (db_estimate.c).
 */
typedef int (*db_score_fn)(void *ctx, const char *model, const char *score);
int db_quality_all(struct lc_db *db, const char *benchmark, const char *date, db_score_fn fn,
		   void *ctx, struct lc_err *err);

/* ---- prices (db_price.c) ---- */

/*
 * The offering of (model, host) in effect on date.  source NULL picks the
 * highest-priority source that prices it (lowest sources.priority), else
 * that source only.  Returns 1 found, 0 no price on that date, -1 error.
 */
int db_offering_at(struct lc_db *db, const char *model, const char *host, const char *date,
		   const char *source, struct lc_offering *out, struct lc_err *err);

/* flags of db_offerings_at: */
#define DB_OFFER_DEFAULT_HOSTS 1 /* each model's default host only */
#define DB_OFFER_RETIRED 2       /* also models not available on the date (retired on or
				    before it, or released after it, by model_lifecycle) */

/*
 * Call fn for every offering of a chat model (models.mode 'chat') in effect
 * on date (one per model and host, under the winning source), ordered by
 * model then host.  Only models available on date are listed: a model whose
 * model_lifecycle row says it was retired on or before date, or released
 * after it, is left out unless flags has DB_OFFER_RETIRED (m->retired says
 * which).  Filters may be NULL: provider matches the maker or the host;
 * source as above; DB_OFFER_DEFAULT_HOSTS keeps each model's default host.
 * fn returns non-zero to stop (that value is returned).
 */
typedef int (*db_offering_fn)(void *ctx, const struct lc_model *m, const struct lc_offering *o);
int db_offerings_at(struct lc_db *db, const char *date, const char *provider,
		    const char *source, int flags, db_offering_fn fn, void *ctx,
		    struct lc_err *err);
/*
 * The same over models of every mode (embedding, image_generation, rerank,
 * completion, responses, ...; m->mode says which), for the commands that
 * list them (models) or must count what they skip (estimate).
 */
int db_offerings_any_mode_at(struct lc_db *db, const char *date, const char *provider,
			     const char *source, int flags, db_offering_fn fn,
			     void *ctx, struct lc_err *err);

/*
 * Every period of (model, host), oldest first, all sources (source NULL) or
 * one.  fn gets one offering per period (tiers filled).  Returns the count.
 */
int db_price_history(struct lc_db *db, const char *model, const char *host,
		     const char *source, db_offering_fn fn, void *ctx, struct lc_err *err);

/* ---- built-in data (db_builtin.c) ---- */

/*
 * Load the compiled-in data/ files into the store when their version differs
 * from the one stored (called by db_open).  Replaces only rows of origin
 * 'builtin' and the 'builtin' source's prices; the user's data is untouched.
 * Returns 1 when it loaded, 0 when already current, -1 on error.
 */
int db_builtin_sync(struct lc_db *db, struct lc_err *err);

/* The version string of the compiled-in data (a hash of the files). */
const char *db_builtin_version(void);

/*
 * The date the compiled-in prices are current to (YYYY-MM-DD): the latest
 * effective_from of data/prices.csv, i.e. the latest price change the data
 * has evidence for (not ends of periods, which may be announced ahead, nor
 * quality or lifecycle dates, which say nothing about prices).  "" when the
 * data holds no date.
 */
const char *db_builtin_data_date(void);

/*
 * The date the store's prices are current to: the later of the built-in
 * data's date and the day of the last good fetch of any other source (so
 * `llmcost update` makes it today), into out[11].  Returns 0 or -1.
 */
int db_prices_current_to(struct lc_db *db, char out[11], struct lc_err *err);

#endif

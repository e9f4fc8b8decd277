/*
 * db_estimate.c - store reads the cost calculator needs in bulk: every
 * model's quality score on a date in one query (instead of one query per
 * model), so an estimate over 3,000+ models stays well under 100 ms.
 */
#include <sqlite3.h>

#include "db.h"

int db_quality_all(struct lc_db *db, const char *benchmark, const char *date, db_score_fn fn,
		   void *ctx, struct lc_err *err)
{
	/* one snapshot, db_quality_snapshot's for date: scores of two
	   snapshots are on different Elo scales.  A model listed twice in a
	   snapshot (two leaderboard names for one catalogue model) gives its
	   best score. */
	static const char sql[] =
		"SELECT model_id, max(score) FROM quality_scores WHERE benchmark = ?1 AND snapshot = "
		"coalesce((SELECT max(snapshot) FROM quality_scores WHERE benchmark = ?1 AND snapshot <= ?2), "
		"(SELECT min(snapshot) FROM quality_scores WHERE benchmark = ?1)) "
		"AND model_id IS NOT NULL GROUP BY model_id ORDER BY model_id";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, benchmark, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1)))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_fail(db, err, "reading quality scores");
	}
	sqlite3_reset(st);
	return n;
}

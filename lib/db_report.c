/*
 * db_report.c - SQL for the price-collapse reports; see db_report.h.
 *
 * The reports themselves take snapshots with db_offerings_at() (so a
 * report's prices are exactly what `llmcost models --at DATE` shows); this
 * file only finds the dates worth a snapshot.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db_report.h"

int db_report_change_dates(struct lc_db *db, const char *from, const char *to,
			   const char *source, const char *benchmark, db_date_fn fn, void *ctx,
			   struct lc_err *err)
{
	static const char sql[] =
		"WITH p AS (SELECT p.effective_from AS f, p.effective_to AS t "
		"             FROM price_periods p JOIN models m ON m.id = p.model_id "
		"             JOIN sources s ON s.id = p.source_id "
		"            WHERE p.min_input_tokens = 0 AND m.mode = 'chat' "
		"              AND p.host = coalesce(m.default_host, m.maker) "
		"              AND (?3 IS NULL OR s.name = ?3)) "
		"SELECT d FROM (SELECT f AS d FROM p UNION SELECT t FROM p WHERE t IS NOT NULL "
		"               UNION SELECT as_of FROM quality_scores WHERE benchmark = ?4 "
		"               UNION SELECT retired FROM model_lifecycle WHERE retired IS NOT NULL "
		"               UNION SELECT released FROM model_lifecycle WHERE released IS NOT NULL) "
		" WHERE d > ?1 AND d <= ?2 ORDER BY d";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc, n = 0, stop = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	if (source)
		sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, benchmark ? benchmark : "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char d[11];

		snprintf(d, sizeof(d), "%s", (const char *)sqlite3_column_text(st, 0));
		n++;
		if ((stop = fn(ctx, d)))
			break;
	}
	sqlite3_reset(st);
	if (!stop && rc != SQLITE_DONE)
		return db_fail(db, err, "reading price dates");
	return stop ? stop : n;
}

int db_provider_name(struct lc_db *db, const char *id, char *out, size_t n, struct lc_err *err)
{
	static const char sql[] = "SELECT name FROM providers WHERE id = ?1";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	snprintf(out, n, "%s",
		 rc == SQLITE_ROW && sqlite3_column_text(st, 0)
			 ? (const char *)sqlite3_column_text(st, 0)
			 : id);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading providers");
	return 0;
}

/*
 * db_report.c - SQL for the price-collapse reports; see db_report.h.
 *
 * The collapse report reads the price history once (db_report_periods:
 * the rows db_offerings_at() chooses from, so a report's prices are
 * exactly what `llmcost models --at DATE` shows) and follows it in memory;
 * the rows of one leaderboard snapshot (db_quality_rows) for `report
 * quality`.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "price.h"

#include "db_report.h"

static const char *text_or(sqlite3_stmt *st, int i, const char *dflt)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v ? v : dflt;
}

int db_report_periods(struct lc_db *db, const char *source, int include_retired,
		      db_period_fn fn, void *ctx, struct lc_err *err)
{
	/* the rows db_offerings_at(..., DB_OFFER_DEFAULT_HOSTS) reads, every
	   date, in its order; a period is cut to the days its model was
	   available (released, not yet retired: model_lifecycle) unless
	   include_retired, which is db_offerings_at's filter on each date */
	static const char sql[] =
		"SELECT * FROM (SELECT p.model_id, p.host, m.maker, "
		"coalesce(nullif(m.family, ''), m.id), s.priority, s.id, p.min_input_tokens, "
		"CASE WHEN ?2 = 0 AND l.released > p.effective_from THEN l.released "
		"     ELSE p.effective_from END AS f, "
		"CASE WHEN ?2 = 0 AND l.retired IS NOT NULL "
		"          AND (p.effective_to IS NULL OR l.retired < p.effective_to) THEN l.retired "
		"     ELSE p.effective_to END AS t, "
		"p.input, p.output, p.effective_from AS ef, " RANK " "
		"FROM price_periods p JOIN sources s ON s.id = p.source_id "
		"JOIN models m ON m.id = p.model_id "
		"LEFT JOIN model_lifecycle l ON l.model_id = m.id "
		"WHERE (?1 IS NULL OR s.name = ?1) AND p.host = coalesce(m.default_host, m.maker) "
		"AND m.mode = 'chat') "
		"WHERE t IS NULL OR f < t "
		"ORDER BY 1, 2, 13, 14, 5, 6, ef DESC, 7";
	sqlite3_stmt *st;
	int rc, n = 0, stop = 0;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading prices");
	if (source)
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, include_retired != 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_period p;

		p.model = text_or(st, 0, "");
		p.host = text_or(st, 1, "");
		p.maker = text_or(st, 2, "");
		p.family = text_or(st, 3, "");
		p.priority = sqlite3_column_int64(st, 4);
		p.source_id = sqlite3_column_int64(st, 5);
		p.min_input_tokens = sqlite3_column_int64(st, 6);
		p.from = text_or(st, 7, "");
		p.to = text_or(st, 8, "");
		p.input = sqlite3_column_type(st, 9) == SQLITE_NULL ? LC_NONE
								    : sqlite3_column_int64(st, 9);
		p.output = sqlite3_column_type(st, 10) == SQLITE_NULL ? LC_NONE
								     : sqlite3_column_int64(st, 10);
		n++;
		if ((stop = fn(ctx, &p)))
			break;
	}
	sqlite3_finalize(st);
	if (!stop && rc != SQLITE_DONE)
		return db_fail(db, err, "reading prices");
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
	lc_strlcpy(out, rc == SQLITE_ROW && sqlite3_column_text(st, 0)
			 ? (const char *)sqlite3_column_text(st, 0)
			 : id, n);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading providers");
	return 0;
}

int db_quality_rows(struct lc_db *db, const char *benchmark, const char *snapshot,
		    db_quality_row_fn fn, void *ctx, struct lc_err *err)
{
	static const char sql[] =
		"SELECT name, organization, model_id, score, source_url FROM quality_scores "
		"WHERE benchmark = ?1 AND snapshot = ?2 ORDER BY score DESC, name";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc, n = 0, stop = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, benchmark, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, snapshot, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_quality_row r = {
			text_or(st, 0, ""), text_or(st, 1, ""), text_or(st, 2, ""),
			text_or(st, 3, ""), text_or(st, 4, ""),
		};

		n++;
		if ((stop = fn(ctx, &r)))
			break;
	}
	sqlite3_reset(st);
	if (!stop && rc != SQLITE_DONE)
		return db_fail(db, err, "reading quality scores");
	return stop ? stop : n;
}

/*
 * db_plan.c - reading subscription plans; see db_plan.h.
 */
#include <sqlite3.h>
#include <string.h>

#include "db_plan.h"

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	lc_strlcpy(dst, v ? v : "", n);
}

int db_plans(struct lc_db *db, const char *id, db_plan_fn fn, void *ctx, struct lc_err *err)
{
	static const char sql[] =
		"SELECT id, vendor, name, monthly, valid_from, valid_to, source_url, note, origin "
		"FROM plans WHERE ?1 IS NULL OR id = ?1 ORDER BY id, valid_from";
	sqlite3_stmt *st;
	int rc, n = 0;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading plans");
	if (id)
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lc_plan p;

		memset(&p, 0, sizeof(p));
		copy_col(st, 0, p.id, sizeof(p.id));
		copy_col(st, 1, p.vendor, sizeof(p.vendor));
		copy_col(st, 2, p.name, sizeof(p.name));
		p.monthly = sqlite3_column_int64(st, 3);
		copy_col(st, 4, p.from, sizeof(p.from));
		copy_col(st, 5, p.to, sizeof(p.to));
		copy_col(st, 6, p.source_url, sizeof(p.source_url));
		copy_col(st, 7, p.note, sizeof(p.note));
		copy_col(st, 8, p.origin, sizeof(p.origin));
		n++;
		if (fn(ctx, &p))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "reading plans");
	return n;
}

/*
 * db_usage.c - usage records, their resume points, the rollup, budgets and
 * read-only access to `llm`'s logs.db.  See db_usage.h.
 *
 * Design: the duplicate rules live here, next to the UNIQUE natural key, so
 * every ingester gets the same behaviour; the rollups (usage_sums and
 * usage_total_sums) are updated with every record added, replaced or
 * dropped, inside the caller's transaction, so they can never disagree with
 * the records (usage_calls).  Text attributes are stored once, in usage_dims.
 */
/*
 * This file: the context ladder, ingest settings and resume points (files).
 * The others: db_usage_rollup.c (attributes and rollups), db_usage_rec.c
 * (records and their duplicate rules), db_usage_read.c (reading for
 * reports, budgets, llm's logs.db); db_usage_int.h holds what they share.
 */
#include "db_usage_int.h"

const int64_t lc_pclass_ladder[LC_PCLASS_N] = { 32000, 128000, 200000, 256000, 272000, 1000000 };

int usage_pclass(int64_t prompt)
{
	int k = 0;

	while (k < LC_PCLASS_N && prompt > lc_pclass_ladder[k])
		k++;
	return k;
}

int64_t floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void coltext(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	lc_strlcpy(dst, v ? (const char *)v : "", n);
}

/* ---- ingest settings ---- */

int db_usage_ingest_mode(struct lc_db *db, int on, struct lc_err *err)
{
	/* WAL with synchronous=NORMAL: a commit survives the process being
	   killed; only an OS crash or power cut can undo the last commits,
	   and each takes its resume points with it, so a re-run reads those
	   lines again and the totals stay exact.  One fsync per checkpoint
	   instead of one per commit.
	   Foreign keys are not enforced meanwhile: the only one an ingest
	   writes is usage_calls.file_id, always the usage_files row written
	   first in the same transaction, and SQLite's check of it cost ~3 s
	   of CPU per million records, a fifth of a first ingest.
	   tests/cli/rollup_check.sql runs PRAGMA foreign_key_check after the
	   ingest tests. */
	if (sqlite3_exec(db_handle(db),
			 on ? "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF"
			    : "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
			 NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "setting up the ingest");
	return 0;
}

/* ---- files ---- */

int db_usage_file_get(struct lc_db *db, const char *path, struct lc_usage_file *out,
		      struct lc_err *err)
{
	static const char sql[] =
		"SELECT id, format, dev, inode, size, mtime_ns, head_len, head_hash, offset, line, "
		"state FROM usage_files WHERE path = ?";
	sqlite3_stmt *st = db_cached(db, sql, err);
	int rc;

	if (!st)
		return -1;
	memset(out, 0, sizeof(*out));
	LC_COPY(out->path, path);
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "reading a usage file's resume point");
	out->id = sqlite3_column_int64(st, 0);
	coltext(st, 1, out->format, sizeof(out->format));
	out->dev = sqlite3_column_int64(st, 2);
	out->inode = sqlite3_column_int64(st, 3);
	out->size = sqlite3_column_int64(st, 4);
	out->mtime_ns = sqlite3_column_int64(st, 5);
	out->head_len = sqlite3_column_int64(st, 6);
	coltext(st, 7, out->head_hash, sizeof(out->head_hash));
	out->offset = sqlite3_column_int64(st, 8);
	out->line = sqlite3_column_int64(st, 9);
	coltext(st, 10, out->state, sizeof(out->state));
	sqlite3_reset(st);
	return 1;
}

int db_usage_file_put(struct lc_db *db, struct lc_usage_file *f, struct lc_err *err)
{
	static const char sql[] =
		"INSERT INTO usage_files(path, format, dev, inode, size, mtime_ns, head_len, "
		"head_hash, offset, line, state, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
		"ON CONFLICT(path) DO UPDATE SET format = excluded.format, dev = excluded.dev, "
		"inode = excluded.inode, size = excluded.size, mtime_ns = excluded.mtime_ns, "
		"head_len = excluded.head_len, head_hash = excluded.head_hash, "
		"offset = excluded.offset, line = excluded.line, state = excluded.state, "
		"ingested_at = excluded.ingested_at RETURNING id";
	sqlite3_stmt *st = db_cached(db, sql, err);
	char now[32];
	int rc;

	if (!st)
		return -1;
	ts_format(now, sizeof(now), lc_now());
	sqlite3_bind_text(st, 1, f->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->dev);
	sqlite3_bind_int64(st, 4, f->inode);
	sqlite3_bind_int64(st, 5, f->size);
	sqlite3_bind_int64(st, 6, f->mtime_ns);
	sqlite3_bind_int64(st, 7, f->head_len);
	sqlite3_bind_text(st, 8, f->head_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, f->offset);
	sqlite3_bind_int64(st, 10, f->line);
	sqlite3_bind_text(st, 11, f->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "saving a usage file's resume point");
	f->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

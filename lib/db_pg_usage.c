/*
 * db_pg_usage.c - usage in the team store (see db_pg.c): the staging area
 * an ingest writes to, the merge of each of its commits into the server,
 * and the cache's reading of the server's rollups and records.
 *
 * A commit of the staging area is one server transaction:
 *   1. format each record's row once, in memory; COPY the staging area's
 *      rollups (incs) and its changed resume points (incf) into temporary
 *      tables;
 *   2. take the store's usage lock (an advisory lock: writers that might
 *      meet on the same records are serialised; parsing is not);
 *   3. COPY the key_hash ranges (inkeys) of the records the key filter of
 *      the server's records cannot rule out (all of them when there is no
 *      filter: see keys_sync()), and fetch the stored records in those
 *      ranges; when there are any, replay the incoming records whose key
 *      or group they share in memory against them under the duplicate
 *      rules of db_usage_insert() (the same code as on SQLite): each is
 *      new, a duplicate, or replaces a stored one;
 *   4. COPY the new records straight into usage_calls (the others, with
 *      their verdicts, into inc), add the staging rollups minus the
 *      corrections to the server's two rollups, update the replaced
 *      records and write the resume points, keyed by machine and path;
 *   5. COMMIT, and only then the staging area's own COMMIT.
 * The server's rows and the cache's differ only in how attributes are
 * kept: spelled out on the server, usage_dims ids in the cache.
 */
#include "db_pg_int.h"
#include "db_usage_int.h"

#include <stddef.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INC_COLS                                                                          \
	"natural_key, group_len, key_hash, ts_ms, bucket, pclass, format, model_raw, "     \
	"model, host, project, session, service_tier, speed, user_name, machine, line, "   \
	"input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests, " \
	"web_searches, audio_input, audio_output, image_input, other_tokens, sidechain, "  \
	"reported_cost, tier_prompt"
#define I_COLS                                                                            \
	"i.natural_key, i.group_len, i.key_hash, i.ts_ms, i.bucket, i.pclass, i.format, "  \
	"i.model_raw, i.model, i.host, i.project, i.session, i.service_tier, i.speed, "    \
	"i.user_name, i.machine, i.line, i.input, i.cache_read, i.cache_write_5m, "        \
	"i.cache_write_1h, i.output, i.reasoning, i.requests, i.web_searches, "            \
	"i.audio_input, i.audio_output, i.image_input, i.other_tokens, i.sidechain, "      \
	"i.reported_cost, i.tier_prompt"

static const char temp_tables[] =
	"CREATE TEMP TABLE IF NOT EXISTS inc (natural_key text, group_len bigint,"
	" key_hash bigint, ts_ms bigint, bucket bigint, pclass int, format text,"
	" model_raw text, model text, host text, project text, session text,"
	" service_tier text, speed text, user_name text, machine text, line bigint,"
	" input bigint, cache_read bigint, cache_write_5m bigint, cache_write_1h bigint,"
	" output bigint, reasoning bigint, requests bigint, web_searches bigint,"
	" audio_input bigint, audio_output bigint, image_input bigint, other_tokens bigint,"
	" sidechain int, reported_cost bigint, tier_prompt bigint,"
	" op text NOT NULL DEFAULT 'new', target bigint) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS inkeys (lo bigint, hi bigint)"
	" ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS incs (kind int, bucket bigint, sidechain int,"
	" pclass int, model_raw text, model text, host text, project text, session text,"
	" service_tier text, speed text, user_name text, records bigint, input bigint,"
	" cache_read bigint, cache_write_5m bigint, cache_write_1h bigint, output bigint,"
	" reasoning bigint, requests bigint, web_searches bigint, audio_input bigint,"
	" audio_output bigint, image_input bigint, other_tokens bigint, logged_cost bigint,"
	" logged_records bigint) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS incf (path text, format text, dev bigint,"
	" inode bigint, size bigint, mtime_ns bigint, head_len bigint, head_hash text,"
	" \"offset\" bigint, line bigint, state text, ingested_at text)"
	" ON COMMIT DELETE ROWS";

/* The staging area's records, in the order stored, and whether a newer
   copy of each replaces (r->replace, kept aside in temp.pg_replace). */
static const char stage_rows[] =
	"SELECT c.natural_key, c.group_len, c.ts_ms, d.format, d.model_raw, d.model, d.host, "
	"d.project, d.session, d.service_tier, d.speed, d.user_name, c.line, "
	"c.input, c.cache_read, c.cache_write_5m, c.cache_write_1h, c.output, c.reasoning, "
	"c.requests, c.web_searches, c.audio_input, c.audio_output, c.image_input, "
	"c.other_tokens, c.sidechain, c.reported_cost, c.tier_prompt, "
	"EXISTS (SELECT 1 FROM temp.pg_replace WHERE k = c.natural_key) "
	"FROM usage_calls c JOIN usage_dims d ON d.id = c.dim ORDER BY c.id";

/* ---- the staging area ---- */

/* Mark a record whose newer copies replace stored ones (kept aside: the
   store's tables have no column for it). */
int pg_stage_note(struct lc_db *stage, const struct lc_usage_rec *r, struct lc_err *err)
{
	sqlite3_stmt *st = db_cached(stage, "INSERT OR IGNORE INTO temp.pg_replace VALUES (?)", err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(stage, err, "staging a usage record");
	return 0;
}

/* Load this machine's resume points from the server. */
static int load_files(struct lc_db *stage, struct db_remote *r, struct lc_err *err)
{
	const char *params[1] = { r->machine };
	PGresult *res = pg_query(r,
				 "SELECT path, format, dev, inode, size, mtime_ns, head_len, "
				 "head_hash, \"offset\", line, state, ingested_at FROM usage_files "
				 "WHERE machine = $1",
				 1, params, err, "reading the resume points");
	sqlite3_stmt *st;
	int rc = 0;

	if (!res)
		return -1;
	if (sqlite3_prepare_v2(db_handle(stage),
			       "INSERT INTO usage_files(path, format, dev, inode, size, mtime_ns, "
			       "head_len, head_hash, offset, line, state, ingested_at) "
			       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		PQclear(res);
		return db_fail(stage, err, "staging the resume points");
	}
	for (int i = 0; i < PQntuples(res) && !rc; i++) {
		for (int c = 0; c < 12; c++) {
			if (PQgetisnull(res, i, c))
				sqlite3_bind_null(st, c + 1);
			else if (c == 0 || c == 1 || c == 7 || c >= 10)
				sqlite3_bind_text(st, c + 1, PQgetvalue(res, i, c), -1,
						  SQLITE_TRANSIENT);
			else
				sqlite3_bind_int64(st, c + 1, usage_num(PQgetvalue(res, i, c)));
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(stage, err, "staging the resume points");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	PQclear(res);
	return rc;
}

int pg_stage_open(struct lc_db *cache, struct db_remote *r, struct lc_db **out,
		  struct lc_err *err)
{
	struct lc_db *stage;

	(void)cache;
	if (db_open_bare(&stage, err))
		return -1;
	if (db_exec(stage,
		    "CREATE TEMP TABLE pg_replace (k TEXT PRIMARY KEY);"
		    "CREATE TEMP TABLE pg_files_dirty (id INTEGER PRIMARY KEY);",
		    err, "opening the staging area") ||
	    load_files(stage, r, err) ||
	    db_exec(stage,
		    "CREATE TEMP TRIGGER pg_f_ins AFTER INSERT ON main.usage_files BEGIN "
		    "INSERT INTO pg_files_dirty SELECT new.id WHERE NOT EXISTS "
		    "(SELECT 1 FROM pg_files_dirty WHERE id = new.id); END;"
		    "CREATE TEMP TRIGGER pg_f_upd AFTER UPDATE ON main.usage_files BEGIN "
		    "INSERT INTO pg_files_dirty SELECT new.id WHERE NOT EXISTS "
		    "(SELECT 1 FROM pg_files_dirty WHERE id = new.id); END;",
		    err, "opening the staging area") ||
	    pg_exec(r, temp_tables, err, "preparing an ingest")) {
		db_close(stage);
		return -1;
	}
	db_attach_remote(stage, r, DB_STAGE);
	*out = stage;
	return 0;
}

/* ---- a push ---- */

/* One inc row from a record. */
static void copy_rec(struct pg_copy_in *b, const struct lc_usage_rec *r, const char *machine)
{
	size_t glen = strlen(r->group);
	int64_t v[NV];

	counts_of(v, r);
	pg_copy_text(b, r->key);
	if (glen)
		pg_copy_int(b, (int64_t)glen);
	else
		pg_copy_null(b);
	pg_copy_int(b, usage_key_hash(r));
	pg_copy_int(b, r->ts_ms);
	pg_copy_int(b, floordiv(r->ts_ms, BUCKET_MS));
	pg_copy_int(b, usage_pclass(r->tier_prompt > 0 ? r->tier_prompt : usage_rec_prompt(r)));
	pg_copy_text(b, r->format);
	pg_copy_text(b, r->model_raw);
	pg_copy_text(b, r->model);
	pg_copy_text(b, r->host);
	pg_copy_text(b, r->project);
	pg_copy_text(b, r->session);
	pg_copy_text(b, r->service_tier);
	pg_copy_text(b, r->speed);
	pg_copy_text(b, r->user);
	pg_copy_text(b, machine);
	pg_copy_int(b, r->line);
	for (int i = 0; i < NV; i++)
		pg_copy_int(b, v[i]);
	pg_copy_int(b, r->sidechain);
	if (r->has_reported_cost)
		pg_copy_int(b, r->reported_cost);
	else
		pg_copy_null(b);
	if (r->tier_prompt > 0)
		pg_copy_int(b, r->tier_prompt);
	else
		pg_copy_null(b);
	pg_copy_end_row(b);
}

/* ---- COPY from the staging area ---- */

/* Append row st of a staging query to b (one COPY row). */
typedef void (*copy_row_fn)(void *ctx, sqlite3_stmt *st, struct pg_copy_in *b);

/* Each column as its SQLite type says: NULL, an integer, or text. */
static void copy_columns(void *ctx, sqlite3_stmt *st, struct pg_copy_in *b)
{
	(void)ctx;
	for (int c = 0; c < sqlite3_column_count(st); c++) {
		if (sqlite3_column_type(st, c) == SQLITE_NULL)
			pg_copy_null(b);
		else if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
			pg_copy_int(b, sqlite3_column_int64(st, c));
		else
			pg_copy_text(b, (const char *)sqlite3_column_text(st, c));
	}
	pg_copy_end_row(b);
}

/* Run `copy` (a COPY ... FROM STDIN) with the rows of `select` on the
   staging area, each written by fn. */
static int copy_select(struct lc_db *stage, struct db_remote *r, const char *copy,
		       const char *select, copy_row_fn fn, void *ctx, struct lc_err *err)
{
	struct pg_copy_in b = { 0 };
	sqlite3_stmt *st;
	int rc;

	if (pg_copy_in_start(r, copy, err))
		return -1;
	if (sqlite3_prepare_v2(db_handle(stage), select, -1, &st, NULL) != SQLITE_OK) {
		db_fail(stage, err, "reading the staging area");
		pg_copy_in_end(r, &b, NULL);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fn(ctx, st, &b);
		if (b.len > (1 << 20) && pg_copy_flush(r, &b, err))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		if (rc != SQLITE_ROW)
			db_fail(stage, err, "reading the staging area");
		pg_copy_in_end(r, &b, NULL);
		return -1;
	}
	return pg_copy_in_end(r, &b, err);
}

/* The records of one push, formatted once as inc/usage_calls rows. */
struct rows {
	struct pg_copy_in text;  /* every record's row, each ending '\n' */
	size_t *start;           /* where record i's row starts; start[n]: the end */
	char **key;              /* record i's natural key */
	int64_t *kh, *lo, *hi;   /* its key_hash, and usage_key_range() */
	int64_t n, cap;
};

/* The merge's verdict on record key: 0 new, 1 duplicate, 2 replacing
   stored record *target. */
static int verdict(struct lc_db *m, const char *key, int64_t *target)
{
	sqlite3_stmt *st;
	int v = 0;

	if (!m || !(st = db_cached(m, "SELECT op, target FROM verdict WHERE key = ?", NULL)))
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = !strcmp((const char *)sqlite3_column_text(st, 0), "upd") ? 2 : 1;
		*target = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return v;
}

/* COPY the records: the new ones straight into usage_calls (pass 0), the
   others with their verdicts into inc (pass 1, only when the merge m gave
   any).  Rows come formatted from w. */
static int send_records(struct db_remote *r, const struct rows *w, struct lc_db *m, int pass,
			struct lc_err *err)
{
	struct pg_copy_in b = { 0 };

	if (pg_copy_in_start(r, pass ? "COPY inc (" INC_COLS ", op, target) FROM STDIN"
				     : "COPY usage_calls (" INC_COLS ") FROM STDIN",
			     err))
		return -1;
	if (!pass && !m) { /* every record is new: the rows as they are */
		if (w->n && PQputCopyData(r->conn, w->text.buf, (int)w->text.len) != 1) {
			pg_copy_in_end(r, &b, NULL);
			return pg_fail(r, NULL, err, "writing to the team store");
		}
		return pg_copy_in_end(r, &b, err);
	}
	for (int64_t i = 0; i < w->n; i++) {
		int64_t target = 0;
		int v = verdict(m, w->key[i], &target);
		size_t from = w->start[i], len = w->start[i + 1] - from;

		if ((v != 0) != pass)
			continue;
		if (!pass) {
			pg_copy_row_text(&b, w->text.buf + from, len);
		} else { /* the row without its newline, then op and target */
			pg_copy_row_text(&b, w->text.buf + from, len - 1);
			pg_copy_text(&b, v == 2 ? "upd" : "dup");
			if (v == 2)
				pg_copy_int(&b, target);
			else
				pg_copy_null(&b);
			pg_copy_end_row(&b);
		}
		if (b.len > (1 << 20) && pg_copy_flush(r, &b, err)) {
			pg_copy_in_end(r, &b, NULL);
			return -1;
		}
	}
	return pg_copy_in_end(r, &b, err);
}

static void rows_free(struct rows *w)
{
	free(w->text.buf);
	for (int64_t i = 0; i < w->n; i++)
		free(w->key[i]);
	free(w->start);
	free(w->key);
	free(w->kh);
	free(w->lo);
	free(w->hi);
	memset(w, 0, sizeof(*w));
}

static void rows_add(struct rows *w, const struct lc_usage_rec *rec, const char *machine)
{
	if (w->n + 1 >= w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4096;
		w->start = xrealloc(w->start, (size_t)(w->cap + 1) * sizeof(*w->start));
		w->key = xrealloc(w->key, (size_t)w->cap * sizeof(*w->key));
		w->kh = xrealloc(w->kh, (size_t)w->cap * sizeof(*w->kh));
		w->lo = xrealloc(w->lo, (size_t)w->cap * sizeof(*w->lo));
		w->hi = xrealloc(w->hi, (size_t)w->cap * sizeof(*w->hi));
	}
	w->start[w->n] = w->text.len;
	w->key[w->n] = xstrdup(rec->key);
	w->kh[w->n] = usage_key_hash(rec);
	usage_key_range(rec, &w->lo[w->n], &w->hi[w->n]);
	w->n++;
	copy_rec(&w->text, rec, machine);
	w->start[w->n] = w->text.len;
}

/* The staging area's records, formatted into w (before the lock: the
   server waits for nobody meanwhile). */
static int read_rows(struct lc_db *stage, struct db_remote *r, struct lc_usage_rec *rec,
		     struct rows *w, struct lc_err *err)
{
	sqlite3_stmt *st;
	char fmt[32];
	int rc;

	if (sqlite3_prepare_v2(db_handle(stage), stage_rows, -1, &st, NULL) != SQLITE_OK)
		return db_fail(stage, err, "reading the staging area");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		usage_rec_of_stmt(st, rec, fmt);
		rows_add(w, rec, r->machine);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(stage, err, "reading the staging area");
}

/*
 * The key filter of the server's records (r->keys), for a large ingest:
 * a record it says no stored copy can meet is new without a lookup, which
 * is nearly every record of a first ingest.  Brought up to date under the
 * usage lock: every write of usage takes it and draws its seq values from
 * change_seq meanwhile, so a change_seq that has not moved since keys_seq
 * means nobody else wrote, and the others' records are those with a
 * larger seq.  Built (all key_hash values read once) only when the push
 * is large against the store: n records to look up cost more than reading
 * 8n stored keys.  $LLMCOST_KEYFILTER=AFTER:MIN (tests, as for SQLite)
 * keeps one whatever the sizes, sized for MIN values, so that it fills up.
 */
#define PG_KEYS_MIN (1 << 21) /* values (two a record) the first filter is sized for */

/* MIN of $LLMCOST_KEYFILTER, or 0 */
static long long keys_forced(void)
{
	const char *env = getenv("LLMCOST_KEYFILTER");
	long long after, min;

	if (env && sscanf(env, "%lld:%lld", &after, &min) == 2 && min >= 1 && min <= PG_KEYS_MIN)
		return min;
	return 0;
}

void pg_keys_free(struct db_remote *r)
{
	if (r->keys)
		kb_free(r->keys);
	free(r->keys);
	r->keys = NULL;
}

static int seq_now(struct db_remote *r, int64_t *out, struct lc_err *err)
{
	/* (a writer may only USE the sequence: no SELECT of its row) */
	PGresult *res = pg_query(r, "SELECT coalesce(pg_sequence_last_value('change_seq'), 0)",
				 0, NULL, err, "storing usage");

	if (!res)
		return -1;
	*out = usage_num(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int keys_sync(struct db_remote *r, int64_t n, struct lc_err *err)
{
	struct pg_copy_out c = { 0 };
	char sql[160];
	int64_t now;
	int rc;

	if (seq_now(r, &now, err))
		return -1;
	if (r->keys && now == r->keys_seq)
		return 0;
	if (!r->keys) {
		long long forced = keys_forced();

		if (!r->keys_full && !forced && n * 8 < now)
			return 0; /* a small push: look its records up */
		r->keys = xcalloc(1, sizeof(*r->keys));
		kb_size(r->keys, forced ? 0 : now, forced ? forced : PG_KEYS_MIN);
		r->keys_seq = 0;
		r->keys_full = 0;
	}
	snprintf(sql, sizeof(sql), "COPY (SELECT key_hash FROM usage_calls WHERE seq > %lld) TO STDOUT",
		 (long long)r->keys_seq);
	if (pg_copy_out_start(r, sql, err))
		goto fail;
	while ((rc = pg_copy_row(r, &c, err)) == 1 && c.n == 1)
		kb_add_stored(r->keys, usage_num(c.f[0]));
	if (rc != 0) {
		while (rc == 1 && pg_copy_row(r, &c, NULL) == 1)
			;
		if (!err->msg[0])
			lc_errf(err, LC_EDB, "team store '%s': a key row has %d fields", r->name, c.n);
		goto fail;
	}
	r->keys_seq = now;
	return 0;
fail:
	pg_keys_free(r);
	return -1;
}

/* After a push committed: its records are the server's (seq: change_seq
   then, under the lock). */
static void keys_pushed(struct db_remote *r, const struct rows *w, int64_t seq)
{
	if (!r->keys)
		return;
	if (r->keys->values + 2 * w->n > r->keys->cap) {
		pg_keys_free(r); /* rebuilt, larger, at the next push */
		r->keys_full = 1;
		return;
	}
	for (int64_t i = 0; i < w->n; i++)
		kb_add_stored(r->keys, w->kh[i]);
	r->keys_seq = seq;
}

/* COPY the key_hash ranges of the records the filter cannot rule out into
   inkeys; *sent: how many. */
static int send_keys(struct db_remote *r, const struct rows *w, int64_t *sent,
		     struct lc_err *err)
{
	struct pg_copy_in b = { 0 };

	*sent = 0;
	if (pg_copy_in_start(r, "COPY inkeys FROM STDIN", err))
		return -1;
	for (int64_t i = 0; i < w->n; i++) {
		if (r->keys && !kb_maybe(r->keys, w->kh[i], w->lo[i] != w->hi[i]))
			continue;
		pg_copy_int(&b, w->lo[i]);
		pg_copy_int(&b, w->hi[i]);
		pg_copy_end_row(&b);
		++*sent;
		if (b.len > (1 << 20) && pg_copy_flush(r, &b, err)) {
			pg_copy_in_end(r, &b, NULL);
			return -1;
		}
	}
	return pg_copy_in_end(r, &b, err);
}

/* The resume points the staging area changed, into incf. */
static int send_files(struct lc_db *stage, struct db_remote *r, struct lc_err *err)
{
	return copy_select(stage, r, "COPY incf FROM STDIN",
			   "SELECT path, format, dev, inode, size, mtime_ns, head_len, head_hash, "
			   "offset, line, state, ingested_at FROM usage_files WHERE id IN "
			   "(SELECT id FROM temp.pg_files_dirty)",
			   copy_columns, NULL, err);
}

/* ---- the merge with stored copies ---- */

/* The stored records in the key_hash ranges of the incoming ones: every
   copy the duplicate rules could take one of them for (and a few that
   merely share a hash: the merge compares the keys). */
#define FOUND_SQL                                                                         \
	"SELECT " ROW_COLS ", id FROM usage_calls WHERE id IN (SELECT c.id FROM "           \
	"(SELECT DISTINCT lo, hi FROM inkeys) i JOIN usage_calls c "                        \
	"ON c.key_hash BETWEEN i.lo AND i.hi) ORDER BY id"

static const char merge_setup[] =
	"CREATE TEMP TABLE orig AS SELECT id AS mid, natural_key AS key FROM main.usage_calls;"
	"CREATE TEMP TABLE srv (key TEXT PRIMARY KEY, sid INTEGER NOT NULL);"
	"CREATE TEMP TABLE srvg (g TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE touched (id INTEGER PRIMARY KEY);"
	"CREATE TEMP TABLE replayed (key TEXT PRIMARY KEY);"
	"CREATE TEMP TRIGGER merge_t AFTER UPDATE ON main.usage_calls BEGIN "
	"INSERT INTO touched SELECT old.id WHERE NOT EXISTS "
	"(SELECT 1 FROM touched WHERE id = old.id); END;";

/* What becomes of each replayed record: 'upd' (it replaced stored record
   target), or 'dup'; the others stay 'new'. */
static const char merge_verdicts[] =
	"SELECT c.natural_key, 'upd', s.sid FROM main.usage_calls c JOIN orig o ON o.mid = c.id "
	"JOIN srv s ON s.key = o.key WHERE c.id IN (SELECT id FROM touched) "
	"UNION ALL SELECT key, 'dup', NULL FROM replayed WHERE key NOT IN "
	"(SELECT natural_key FROM main.usage_calls WHERE id > ?1 OR id IN (SELECT id FROM touched))";

/* Insert the stored copies into merge store m, in their order, and note
   their keys and groups. */
static int merge_load(struct lc_db *m, PGresult *found, struct lc_usage_rec *rec,
		      struct lc_err *err)
{
	sqlite3_stmt *k, *g;
	char fmt[32];
	int rc = 0;

	if (db_begin(m, err))
		return -1;
	for (int i = 0; i < PQntuples(found) && !rc; i++) {
		const char *f[R_N + 1];

		for (int c = 0; c <= R_N; c++)
			f[c] = PQgetisnull(found, i, c) ? NULL : PQgetvalue(found, i, c);
		usage_rec_of(rec, f, fmt);
		rc = db_usage_insert(m, rec, err) < 0 ? -1 : 0;
	}
	if (rc || db_commit(m, err) || db_exec(m, merge_setup, err, "merging usage"))
		return -1;
	if (sqlite3_prepare_v2(db_handle(m), "INSERT OR IGNORE INTO srv VALUES (?, ?)", -1, &k,
			       NULL) != SQLITE_OK)
		return db_fail(m, err, "merging usage");
	if (sqlite3_prepare_v2(db_handle(m), "INSERT OR IGNORE INTO srvg VALUES (?)", -1, &g,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(k);
		return db_fail(m, err, "merging usage");
	}
	for (int i = 0; i < PQntuples(found); i++) {
		const char *key = PQgetvalue(found, i, R_KEY);
		int64_t glen = usage_num(PQgetisnull(found, i, R_GLEN) ? NULL : PQgetvalue(found, i, R_GLEN));

		sqlite3_bind_text(k, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(k, 2, usage_num(PQgetvalue(found, i, R_N)));
		sqlite3_step(k);
		sqlite3_reset(k);
		if (glen > 0 && (size_t)glen + 3 <= strlen(key)) {
			sqlite3_bind_text(g, 1, key + 3, (int)glen, SQLITE_STATIC);
			sqlite3_step(g);
			sqlite3_reset(g);
		}
	}
	sqlite3_finalize(k);
	sqlite3_finalize(g);
	return 0;
}

/* 1 when the record's key or group is among the stored copies. */
static int merge_meets(struct lc_db *m, const struct lc_usage_rec *r)
{
	sqlite3_stmt *st = db_cached(m,
				     "SELECT EXISTS (SELECT 1 FROM srv WHERE key = ?1) OR "
				     "EXISTS (SELECT 1 FROM srvg WHERE g = ?2)",
				     NULL);
	int yes = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->group, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return yes;
}

/* Replay the staging records that meet stored copies into m. */
static int merge_replay(struct lc_db *stage, struct lc_db *m, struct db_remote *r,
			struct lc_usage_rec *rec, struct lc_err *err)
{
	sqlite3_stmt *st, *note;
	char fmt[32];
	int rc = 0, s;

	if (sqlite3_prepare_v2(db_handle(stage), stage_rows, -1, &st, NULL) != SQLITE_OK)
		return db_fail(stage, err, "reading the staging area");
	if (sqlite3_prepare_v2(db_handle(m), "INSERT OR IGNORE INTO replayed VALUES (?)", -1,
			       &note, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return db_fail(m, err, "merging usage");
	}
	if (db_begin(m, err))
		rc = -1;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		usage_rec_of_stmt(st, rec, fmt);
		if (!merge_meets(m, rec))
			continue;
		sqlite3_bind_text(note, 1, rec->key, -1, SQLITE_STATIC);
		sqlite3_step(note);
		sqlite3_reset(note);
		switch (db_usage_insert(m, rec, err)) {
		case USAGE_DUP: r->push_dup++; break;
		case USAGE_REPLACED: r->push_replaced++; break;
		case USAGE_NEW: break;
		default: rc = -1;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(note);
	if (rc || db_commit(m, err)) {
		db_rollback(m);
		return -1;
	}
	return 0;
}

/* Keep m's verdicts in its table verdict (key, op, target). */
static int merge_keep(struct lc_db *m, int64_t last_stored, struct lc_err *err)
{
	char sql[sizeof(merge_verdicts) + 128];

	snprintf(sql, sizeof(sql), "CREATE TEMP TABLE verdict (key TEXT PRIMARY KEY, op TEXT, "
				   "target INTEGER); INSERT OR REPLACE INTO verdict %s",
		 merge_verdicts);
	{
		char *q = strstr(sql, "?1");
		char num[24];
		int w = snprintf(num, sizeof(num), "%lld", (long long)last_stored);

		if (!q || w > 2 + 20)
			return lc_errf(err, LC_ERUNTIME, "internal: merge verdicts");
		memmove(q + w, q + 2, strlen(q + 2) + 1);
		memcpy(q, num, (size_t)w);
	}
	return db_exec(m, sql, err, "merging usage");
}

/* Fetch the stored copies the incoming records may meet and decide. */
static int merge(struct lc_db *stage, struct db_remote *r, struct lc_usage_rec *rec,
		 struct lc_db **out, struct lc_err *err)
{
	PGresult *found = pg_query(r, FOUND_SQL, 0, NULL, err, "looking up stored usage");
	struct lc_db *m = NULL;
	int64_t last = 0;
	int rc = -1;

	if (!found)
		return -1;
	if (PQntuples(found) == 0) {
		PQclear(found);
		return 0;
	}
	if (db_open_bare(&m, err) || merge_load(m, found, rec, err))
		goto out;
	{
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db_handle(m), "SELECT coalesce(max(id), 0) FROM usage_calls",
				       -1, &st, NULL) != SQLITE_OK)
			goto out;
		if (sqlite3_step(st) == SQLITE_ROW)
			last = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (merge_replay(stage, m, r, rec, err) || merge_keep(m, last, err))
		goto out;
	rc = 0;
	*out = m;
	m = NULL;
out:
	if (rc && m && !err->msg[0])
		db_fail(m, err, "merging usage");
	db_close(m);
	PQclear(found);
	return rc;
}

/* ---- writing the verdicts ---- */

/* The changes to the rollups.  The staging area's own rollups (incs, kind
   0 for usage_sums, 1 for usage_total_sums) hold every incoming record;
   from them go the records found duplicates, and the old counts of the
   records replaced. */
#define NEG_COUNTS                                                                        \
	"-1, -input, -cache_read, -cache_write_5m, -cache_write_1h, -output, -reasoning, "  \
	"-requests, -web_searches, -audio_input, -audio_output, -image_input, "             \
	"-other_tokens, -coalesce(reported_cost, 0), -(reported_cost IS NOT NULL)::int"
#define CORRECT(kind, p, s, u, from)                                                      \
	"INSERT INTO incs SELECT " kind ", bucket, sidechain, pclass, model_raw, model, "   \
	"host, " p ", " s ", service_tier, speed, " u ", " NEG_COUNTS " FROM " from
#define DUPS "inc WHERE op = 'dup'"
#define OLDS                                                                              \
	"(SELECT c.* FROM usage_calls c JOIN inc i ON c.id = i.target WHERE i.op = 'upd') o"
#define ROLL_SUMS                                                                         \
	"sum(records), sum(input), sum(cache_read), sum(cache_write_5m), "                  \
	"sum(cache_write_1h), sum(output), sum(reasoning), sum(requests), "                 \
	"sum(web_searches), sum(audio_input), sum(audio_output), sum(image_input), "        \
	"sum(other_tokens), sum(logged_cost), sum(logged_records)"
#define ROLL_SET(t)                                                                       \
	"records = " t ".records + excluded.records, input = " t ".input + excluded.input, " \
	"cache_read = " t ".cache_read + excluded.cache_read, "                             \
	"cache_write_5m = " t ".cache_write_5m + excluded.cache_write_5m, "                 \
	"cache_write_1h = " t ".cache_write_1h + excluded.cache_write_1h, "                 \
	"output = " t ".output + excluded.output, "                                         \
	"reasoning = " t ".reasoning + excluded.reasoning, "                                \
	"requests = " t ".requests + excluded.requests, "                                   \
	"web_searches = " t ".web_searches + excluded.web_searches, "                       \
	"audio_input = " t ".audio_input + excluded.audio_input, "                          \
	"audio_output = " t ".audio_output + excluded.audio_output, "                       \
	"image_input = " t ".image_input + excluded.image_input, "                          \
	"other_tokens = " t ".other_tokens + excluded.other_tokens, "                       \
	"logged_cost = " t ".logged_cost + excluded.logged_cost, "                          \
	"logged_records = " t ".logged_records + excluded.logged_records, "                 \
	"seq = nextval('change_seq')"
#define ATTRS "model_raw, model, host, project, session, service_tier, speed, user_name"
#define ROLL_INTO(table)                                                                  \
	"INSERT INTO " table " AS t (bucket, dkey, sidechain, pclass, " ATTRS ", records, " \
	V_COLS ", logged_cost, logged_records) SELECT bucket, "                             \
	"sha256(convert_to(concat_ws(chr(31), " ATTRS "), 'UTF8')), sidechain, pclass, "    \
	ATTRS ", "
#define ROLL_CONFLICT " ON CONFLICT (bucket, dkey, sidechain, pclass) DO UPDATE SET " ROLL_SET("t")
/* the staging rollups with the corrections summed in */
#define ROLLUP(table, kind)                                                               \
	ROLL_INTO(table) ROLL_SUMS " FROM incs WHERE kind = " kind " GROUP BY bucket, "     \
	"sidechain, pclass, " ATTRS ROLL_CONFLICT
/* the staging rollups alone: one row per key already */
#define ROLLUP_AS_IS(table, kind)                                                         \
	ROLL_INTO(table) "records, " V_COLS ", logged_cost, logged_records FROM incs "       \
	"WHERE kind = " kind ROLL_CONFLICT

/* When the merge found stored copies (verdicts in inc). */
static const char *const apply_merged[] = {
	CORRECT("0", "project", "session", "user_name", DUPS),
	CORRECT("1", "''", "''", "''", DUPS),
	CORRECT("0", "project", "session", "user_name", OLDS),
	CORRECT("1", "''", "''", "''", OLDS),
	ROLLUP("usage_sums", "0"),
	ROLLUP("usage_total_sums", "1"),
	"UPDATE usage_calls c SET (" INC_COLS ") = (" I_COLS "), seq = nextval('change_seq') "
	"FROM inc i WHERE i.op = 'upd' AND c.id = i.target",
	NULL,
};
/* When every record was new. */
static const char *const apply_new[] = {
	ROLLUP_AS_IS("usage_sums", "0"),
	ROLLUP_AS_IS("usage_total_sums", "1"),
	NULL,
};

/* The staging area's rollups, into incs. */
static int send_rollups(struct lc_db *stage, struct db_remote *r, struct lc_err *err)
{
	static const char sql[] =
		"SELECT 0, s.bucket, s.sidechain, s.pclass, d.model_raw, d.model, d.host, "
		"d.project, d.session, d.service_tier, d.speed, d.user_name, s.records, "
		"s.input, s.cache_read, s.cache_write_5m, s.cache_write_1h, s.output, s.reasoning, "
		"s.requests, s.web_searches, s.audio_input, s.audio_output, s.image_input, "
		"s.other_tokens, s.logged_cost, s.logged_records FROM usage_sums s "
		"JOIN usage_dims d ON d.id = s.dim UNION ALL "
		"SELECT 1, s.bucket, s.sidechain, s.pclass, d.model_raw, d.model, d.host, "
		"'', '', d.service_tier, d.speed, '', s.records, "
		"s.input, s.cache_read, s.cache_write_5m, s.cache_write_1h, s.output, s.reasoning, "
		"s.requests, s.web_searches, s.audio_input, s.audio_output, s.image_input, "
		"s.other_tokens, s.logged_cost, s.logged_records FROM usage_total_sums s "
		"JOIN usage_dims d ON d.id = s.dim";

	return copy_select(stage, r, "COPY incs FROM STDIN", sql, copy_columns, NULL, err);
}

static int save_files(struct db_remote *r, struct lc_err *err)
{
	const char *params[1] = { r->machine };
	PGresult *res = pg_query(
		r,
		"INSERT INTO usage_files AS f (machine, path, format, dev, inode, size, mtime_ns, "
		"head_len, head_hash, \"offset\", line, state, ingested_at) SELECT $1, path, format, "
		"dev, inode, size, mtime_ns, head_len, head_hash, \"offset\", line, state, "
		"ingested_at FROM incf ON CONFLICT (machine, path) DO UPDATE SET "
		"format = excluded.format, dev = excluded.dev, inode = excluded.inode, "
		"size = excluded.size, mtime_ns = excluded.mtime_ns, head_len = excluded.head_len, "
		"head_hash = excluded.head_hash, \"offset\" = excluded.\"offset\", "
		"line = excluded.line, state = excluded.state, ingested_at = excluded.ingested_at",
		1, params, err, "storing the resume points");

	PQclear(res);
	return res ? 0 : -1;
}

/* Under the usage lock: look up and decide what the records are, send
   them, and bring the rollups up to date. */
static int push_records(struct lc_db *stage, struct db_remote *r, struct lc_usage_rec *rec,
			const struct rows *w, struct lc_err *err)
{
	struct lc_db *m = NULL;
	int64_t sent;
	int rc = -1;

	/* the lookups of stored copies go by index, whatever the planner
	   guesses of the temporary tables (never analysed: that costs more
	   than it saves) */
	if (pg_exec(r,
		    "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
		    "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/usage'))",
		    err, "storing usage") ||
	    keys_sync(r, w->n, err) || send_keys(r, w, &sent, err) ||
	    (sent > 0 && merge(stage, r, rec, &m, err)) || send_records(r, w, m, 0, err) ||
	    (m && send_records(r, w, m, 1, err)))
		goto out;
	for (const char *const *q = m ? apply_merged : apply_new; *q; q++)
		if (pg_exec(r, *q, err, "storing usage"))
			goto out;
	rc = 0;
out:
	db_close(m);
	return rc;
}

int pg_usage_push(struct lc_db *stage, struct db_remote *r, struct lc_err *err)
{
	struct lc_usage_rec *rec = xmalloc(sizeof(*rec));
	struct rows w = { 0 };
	int64_t seq = 0;
	int rc = -1;

	r->push_dup = r->push_replaced = 0;
	/* synchronous_commit off: a server crash may lose the last commits, but
	   each takes its resume points with it (one transaction), so a re-run
	   reads those lines again */
	if (read_rows(stage, r, rec, &w, err) ||
	    pg_exec(r, "BEGIN; SET LOCAL synchronous_commit = off", err, "storing usage") ||
	    send_files(stage, r, err) || (w.n > 0 && send_rollups(stage, r, err)) ||
	    (w.n > 0 && push_records(stage, r, rec, &w, err)) || save_files(r, err) ||
	    (r->keys && w.n > 0 && seq_now(r, &seq, err)) ||
	    pg_exec(r, "COMMIT", err, "storing usage"))
		goto out;
	if (w.n > 0)
		keys_pushed(r, &w, seq);
	rc = 0;
out:
	if (rc) {
		pg_abort(r);
		pg_keys_free(r);
		r->push_dup = r->push_replaced = 0;
	}
	rows_free(&w);
	free(rec);
	return rc;
}

void pg_usage_pushed(struct lc_db *stage)
{
	db_remote_of(stage)->stale = 1;
	/* what was sent is the server's now: the next commit sends only what
	   comes after (the resume points stay: the engine reads them) */
	db_exec(stage,
		"DELETE FROM usage_calls; DELETE FROM usage_sums; DELETE FROM usage_total_sums; "
		"DELETE FROM temp.pg_files_dirty; DELETE FROM temp.pg_replace",
		NULL, "");
}

/* ---- the cache reads the server ---- */

#define SUMS_COLS                                                                         \
	"bucket, sidechain, pclass, model_raw, model, host, project, session, "             \
	"service_tier, speed, user_name, records, " V_COLS ", logged_cost, logged_records, seq"
enum { S_BUCKET, S_SIDE, S_PCLASS, S_ATTR0, S_RECORDS = S_ATTR0 + 8, S_V0,
       S_LOGGED = S_V0 + NV, S_LOGGED_N, S_SEQ, S_N };

/* The rollup row f of the server as the cache's row of table (0: usage_sums,
   1: usage_total_sums). */
static int put_sum(struct lc_db *cache, int table, char **f, struct lc_usage_rec *rec,
		   struct lc_err *err)
{
	static const char *const sql[] = {
		"INSERT OR REPLACE INTO usage_sums(bucket, dim, sidechain, pclass, records, " V_COLS
		", logged_cost, logged_records) VALUES "
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		"INSERT OR REPLACE INTO usage_total_sums(bucket, dim, sidechain, pclass, records, "
		V_COLS ", logged_cost, logged_records) VALUES "
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	};
	sqlite3_stmt *st = db_cached(cache, sql[table], err);
	struct dims d;

	if (!st)
		return -1;
	memset(rec, 0, offsetof(struct lc_usage_rec, project));
	rec->format = "";
	LC_COPY(rec->model_raw, f[S_ATTR0] ? f[S_ATTR0] : "");
	LC_COPY(rec->model, f[S_ATTR0 + 1] ? f[S_ATTR0 + 1] : "");
	LC_COPY(rec->host, f[S_ATTR0 + 2] ? f[S_ATTR0 + 2] : "");
	LC_COPY(rec->project, f[S_ATTR0 + 3] ? f[S_ATTR0 + 3] : "");
	LC_COPY(rec->session, f[S_ATTR0 + 4] ? f[S_ATTR0 + 4] : "");
	LC_COPY(rec->service_tier, f[S_ATTR0 + 5] ? f[S_ATTR0 + 5] : "");
	LC_COPY(rec->speed, f[S_ATTR0 + 6] ? f[S_ATTR0 + 6] : "");
	LC_COPY(rec->user, f[S_ATTR0 + 7] ? f[S_ATTR0 + 7] : "");
	if (rec_dims(cache, rec, &d, err))
		return -1;
	sqlite3_bind_int64(st, 1, usage_num(f[S_BUCKET]));
	sqlite3_bind_int64(st, 2, table ? d.tid : d.rid);
	sqlite3_bind_int64(st, 3, usage_num(f[S_SIDE]));
	sqlite3_bind_int64(st, 4, usage_num(f[S_PCLASS]));
	sqlite3_bind_int64(st, 5, usage_num(f[S_RECORDS]));
	for (int i = 0; i < NV; i++)
		sqlite3_bind_int64(st, 6 + i, usage_num(f[S_V0 + i]));
	sqlite3_bind_int64(st, 6 + NV, usage_num(f[S_LOGGED]));
	sqlite3_bind_int64(st, 7 + NV, usage_num(f[S_LOGGED_N]));
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(cache, err, "updating the team store's cache");
	return 0;
}

static int sync_table(struct lc_db *cache, struct db_remote *r, int table,
		      struct lc_usage_rec *rec, struct lc_err *err)
{
	static const char *const names[] = { "usage_sums", "usage_total_sums" };
	struct pg_copy_out c = { 0 };
	char sql[512], key[32];
	int64_t seen = pg_state_get(cache, names[table]), top = seen;
	int rc;

	snprintf(key, sizeof(key), "%s", names[table]);
	snprintf(sql, sizeof(sql), "COPY (SELECT " SUMS_COLS " FROM %s WHERE seq > %lld) TO STDOUT",
		 names[table], (long long)seen);
	if (pg_copy_out_start(r, sql, err))
		return -1;
	while ((rc = pg_copy_row(r, &c, err)) == 1) {
		if (c.n != S_N) {
			rc = lc_errf(err, LC_EDB, "team store '%s': a rollup row has %d fields",
				     r->name, c.n);
			break;
		}
		if (put_sum(cache, table, c.f, rec, err)) {
			rc = -1;
			break;
		}
		if (usage_num(c.f[S_SEQ]) > top)
			top = usage_num(c.f[S_SEQ]);
	}
	if (rc == 1 || rc == -1) { /* stopped early: drain what the server sends */
		while (pg_copy_row(r, &c, NULL) == 1)
			;
		return -1;
	}
	return top > seen ? pg_state_set(cache, key, top, err) : 0;
}

int pg_sync_rollups(struct lc_db *cache, struct db_remote *r, struct lc_err *err)
{
	struct lc_usage_rec *rec = xmalloc(sizeof(*rec));
	int rc = -1;

	if (db_begin(cache, err))
		goto out;
	if (sync_table(cache, r, 0, rec, err) || sync_table(cache, r, 1, rec, err) ||
	    db_commit(cache, err)) {
		db_rollback(cache);
		goto out;
	}
	rc = 0;
out:
	free(rec);
	return rc;
}

/* The server's record f (ROW order, then id and seq) into the cache. */
static int put_record(struct lc_db *cache, char **f, struct lc_usage_rec *rec,
		      struct lc_err *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO usage_calls(id, natural_key, group_len, ts_ms, dim, line, "
		V_COLS ", sidechain, reported_cost, tier_prompt, key_hash) VALUES "
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = db_cached(cache, sql, err);
	struct dims d;
	char fmt[32];
	int64_t v[NV];

	if (!st)
		return -1;
	usage_rec_of(rec, (const char *const *)f, fmt);
	if (rec_dims(cache, rec, &d, err))
		return -1;
	counts_of(v, rec);
	sqlite3_bind_int64(st, 1, usage_num(f[R_N]));
	sqlite3_bind_text(st, 2, rec->key, -1, SQLITE_STATIC);
	if (rec->group[0])
		sqlite3_bind_int64(st, 3, (int64_t)strlen(rec->group));
	sqlite3_bind_int64(st, 4, rec->ts_ms);
	sqlite3_bind_int64(st, 5, d.id);
	sqlite3_bind_int64(st, 6, rec->line);
	for (int i = 0; i < NV; i++)
		sqlite3_bind_int64(st, 7 + i, v[i]);
	sqlite3_bind_int(st, 7 + NV, rec->sidechain);
	if (rec->has_reported_cost)
		sqlite3_bind_int64(st, 8 + NV, rec->reported_cost);
	if (rec->tier_prompt > 0)
		sqlite3_bind_int64(st, 9 + NV, rec->tier_prompt);
	sqlite3_bind_int64(st, 10 + NV, usage_key_hash(rec));
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(cache, err, "updating the team store's cache");
	return 0;
}

int pg_sync_records(struct lc_db *cache, struct lc_err *err)
{
	struct db_remote *r = db_remote_of(cache);
	struct lc_usage_rec *rec;
	struct pg_copy_out c = { 0 };
	char sql[512];
	int64_t seen, top;
	int rc;

	if (db_role(cache) != DB_CACHE || !sqlite3_get_autocommit(db_handle(cache)))
		return 0; /* not the team store's cache, or inside a transaction: as it is */
	seen = top = pg_state_get(cache, "usage_calls");
	snprintf(sql, sizeof(sql),
		 "COPY (SELECT " ROW_COLS ", id, seq FROM usage_calls WHERE seq > %lld) TO STDOUT",
		 (long long)seen);
	if (db_begin(cache, err))
		return -1;
	if (pg_copy_out_start(r, sql, err)) {
		db_rollback(cache);
		return -1;
	}
	rec = xmalloc(sizeof(*rec));
	while ((rc = pg_copy_row(r, &c, err)) == 1) {
		if (c.n != R_N + 2) {
			rc = lc_errf(err, LC_EDB, "team store '%s': a record has %d fields", r->name,
				     c.n);
			break;
		}
		if (put_record(cache, c.f, rec, err)) {
			rc = -1;
			break;
		}
		if (usage_num(c.f[R_N + 1]) > top)
			top = usage_num(c.f[R_N + 1]);
	}
	free(rec);
	if (rc != 0) {
		while (pg_copy_row(r, &c, NULL) == 1)
			;
		db_rollback(cache);
		return -1;
	}
	if ((top > seen && pg_state_set(cache, "usage_calls", top, err)) || db_commit(cache, err)) {
		db_rollback(cache);
		return -1;
	}
	return 0;
}

int pg_fresh(struct lc_db *db, int records, struct lc_err *err)
{
	struct db_remote *r = db_remote_of(db);

	if (db_role(db) != DB_CACHE || !sqlite3_get_autocommit(db_handle(db)))
		return 0;
	if (r->stale) {
		if (pg_sync_rollups(db, r, err))
			return -1;
		r->stale = 0;
	}
	return records ? pg_sync_records(db, err) : 0;
}

/*
 * db_pg_push.c - a push: one commit of an ingest's staging area (see
 * db_pg_usage.c) merged into the team store in one server transaction,
 * while the ingest goes on parsing the next.
 *
 * At the staging area's COMMIT (pg_usage_push) the records, rollups and
 * resume points it holds are read out and formatted once as COPY rows, in
 * memory (a job), while the last job may still be being sent, and the
 * staging area is emptied for the next commit.  A thread of its own then
 * sends the job, while the ingest parses on; the next job's start, and
 * every other use of the connection, first waits for it
 * (pg_push_wait), and a push that failed fails the next one, or the end of
 * the ingest (db_usage_ingest_mode).  Nothing else touches the connection
 * meanwhile, and the thread touches nothing but the connection, the job
 * and a merge store of its own.
 *
 * The job is one server transaction:
 *   1. COPY the staging area's rollups (incs) and its changed resume
 *      points (incf) into temporary tables;
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
 *   5. COMMIT.
 */
#include "db_pg_int.h"
#include "db_usage_int.h"
#include "sha256.h"

#include <pthread.h>
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

/* ---- reading the staging area out ---- */

/* Append row st of a staging query to b (one COPY row). */
typedef void (*copy_row_fn)(sqlite3_stmt *st, struct pg_copy_in *b);

/* Each column as its SQLite type says: NULL, an integer, or text. */
static void put_columns(sqlite3_stmt *st, struct pg_copy_in *b)
{
	for (int c = 0; c < sqlite3_column_count(st); c++) {
		if (sqlite3_column_type(st, c) == SQLITE_NULL)
			pg_copy_null(b);
		else if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
			pg_copy_int(b, sqlite3_column_int64(st, c));
		else
			pg_copy_text(b, (const char *)sqlite3_column_text(st, c));
	}
}

static void copy_columns(sqlite3_stmt *st, struct pg_copy_in *b)
{
	put_columns(st, b);
	pg_copy_end_row(b);
}

/* Append the rows of `select` on the staging area to b, each written by fn. */
static int collect(struct lc_db *stage, const char *select, copy_row_fn fn,
		   struct pg_copy_in *b, struct lc_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_handle(stage), select, -1, &st, NULL) != SQLITE_OK)
		return db_fail(stage, err, "reading the staging area");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(st, b);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(stage, err, "reading the staging area");
}

/* Run `copy` (a COPY ... FROM STDIN) with the rows in b. */
static int send_buf(struct db_remote *r, const char *copy, const struct pg_copy_in *b,
		    struct lc_err *err)
{
	struct pg_copy_in none = { 0 };

	if (pg_copy_in_start(r, copy, err))
		return -1;
	if (b->len && PQputCopyData(r->conn, b->buf, (int)b->len) != 1) {
		pg_copy_in_end(r, &none, NULL);
		return pg_fail(r, NULL, err, "writing to the team store");
	}
	return pg_copy_in_end(r, &none, err);
}

/* The records of one push, formatted once as inc/usage_calls rows. */
struct rows {
	struct pg_copy_in text;  /* every record's row, each ending '\n' */
	size_t *start;           /* where record i's row starts; start[n]: the end */
	char **key;              /* record i's natural key */
	int64_t *kh, *lo, *hi;   /* its key_hash, and usage_key_range() */
	int64_t *glen;           /* its group's length (0: none) */
	unsigned char *replace;  /* r->replace */
	unsigned char *met;      /* replayed against stored copies: only these
				    can have a verdict other than new */
	int64_t n, cap;
};

/* A push: what the staging area held, formatted, and how its sending went. */
struct job {
	struct db_remote *r;
	struct rows w;
	struct pg_copy_in files, sums; /* incf and incs rows */
	struct lc_usage_rec *rec;      /* scratch */
	int64_t dup, replaced;         /* the merge's verdicts */
	struct lc_push_seen seen;      /* the keys of those records */
	struct lc_err err;
	int rc;
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
	static const char *const copy[] = { "COPY usage_calls (" INC_COLS ") FROM STDIN",
					    "COPY inc (" INC_COLS ", op, target) FROM STDIN" };
	struct pg_copy_in b = { 0 };

	if (!pass && !m) /* every record is new: the rows as they are */
		return send_buf(r, copy[0], &w->text, err);
	if (pg_copy_in_start(r, copy[pass], err))
		return -1;
	for (int64_t i = 0; i < w->n; i++) {
		int64_t target = 0;
		int v = m && w->met[i] ? verdict(m, w->key[i], &target) : 0;
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
	free(w->glen);
	free(w->replace);
	free(w->met);
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
		w->glen = xrealloc(w->glen, (size_t)w->cap * sizeof(*w->glen));
		w->replace = xrealloc(w->replace, (size_t)w->cap);
		w->met = xrealloc(w->met, (size_t)w->cap);
	}
	w->start[w->n] = w->text.len;
	w->key[w->n] = xstrdup(rec->key);
	w->kh[w->n] = usage_key_hash(rec);
	usage_key_range(rec, &w->lo[w->n], &w->hi[w->n]);
	w->glen[w->n] = (int64_t)strlen(rec->group);
	w->replace[w->n] = (unsigned char)rec->replace;
	w->met[w->n] = 0;
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
		int64_t after, min;
		int forced = kb_forced(&after, &min);

		if (!r->keys_full && !forced && n * 8 < now)
			return 0; /* a small push: look its records up */
		r->keys = xcalloc(1, sizeof(*r->keys));
		kb_size(r->keys, forced ? 0 : now, forced ? min : PG_KEYS_MIN);
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

/* The resume points the staging area changed, as incf rows. */
static int collect_files(struct lc_db *stage, struct job *j, struct lc_err *err)
{
	return collect(stage,
		       "SELECT path, format, dev, inode, size, mtime_ns, head_len, head_hash, "
		       "offset, line, state, ingested_at FROM usage_files WHERE id IN "
		       "(SELECT id FROM temp.pg_files_dirty)",
		       copy_columns, &j->files, err);
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

/* 1 when record i's key or group is among the stored copies. */
static int merge_meets(struct lc_db *m, const struct rows *w, int64_t i)
{
	sqlite3_stmt *st = db_cached(m,
				     "SELECT EXISTS (SELECT 1 FROM srv WHERE key = ?1) OR "
				     "EXISTS (SELECT 1 FROM srvg WHERE g = ?2)",
				     NULL);
	const char *key = w->key[i];
	int yes = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (w->glen[i] > 0 && (size_t)w->glen[i] + 3 <= strlen(key))
		sqlite3_bind_text(st, 2, key + 3, (int)w->glen[i], SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return yes;
}

/* Record i of w as rec, its row parsed back (fields in INC_COLS order). */
static void rec_of_row(const struct rows *w, int64_t i, struct lc_usage_rec *rec, char fmt[32])
{
	static const int head[R_V0] = { 0, 1, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16 };
	size_t from = w->start[i], n = w->start[i + 1] - from - 1; /* without its '\n' */
	char *line = xmalloc(n + 1);
	struct pg_copy_out c;
	const char *f[R_N];

	memcpy(line, w->text.buf + from, n);
	line[n] = '\0';
	pg_copy_split(&c, line);
	for (int k = 0; k < R_N; k++) {
		int at = k < R_V0 ? head[k] : 17 + (k - R_V0);

		f[k] = at < c.n ? c.f[at] : NULL;
	}
	usage_rec_of(rec, f, fmt);
	rec->replace = w->replace[i];
	free(line);
}

static void seen_add(struct lc_push_seen *s, const char *key)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->keys = xrealloc(s->keys, (size_t)s->cap * sizeof(*s->keys));
	}
	s->keys[s->n++] = xstrdup(key);
}

/* Move from's keys to the end of s's. */
static void seen_take(struct lc_push_seen *s, struct lc_push_seen *from)
{
	if (!from->n)
		return;
	if (s->n + from->n > s->cap) {
		s->cap = s->n + from->n;
		s->keys = xrealloc(s->keys, (size_t)s->cap * sizeof(*s->keys));
	}
	memcpy(s->keys + s->n, from->keys, (size_t)from->n * sizeof(*s->keys));
	s->n += from->n;
	from->n = 0;
}

/* Replay the job's records that meet stored copies into m. */
static int merge_replay(struct job *j, struct lc_db *m, struct lc_err *err)
{
	sqlite3_stmt *note;
	char fmt[32];
	int rc = 0;

	if (sqlite3_prepare_v2(db_handle(m), "INSERT OR IGNORE INTO replayed VALUES (?)", -1,
			       &note, NULL) != SQLITE_OK)
		return db_fail(m, err, "merging usage");
	if (db_begin(m, err))
		rc = -1;
	for (int64_t i = 0; !rc && i < j->w.n; i++) {
		if (!merge_meets(m, &j->w, i))
			continue;
		j->w.met[i] = 1;
		rec_of_row(&j->w, i, j->rec, fmt);
		sqlite3_bind_text(note, 1, j->rec->key, -1, SQLITE_STATIC);
		sqlite3_step(note);
		sqlite3_reset(note);
		switch (db_usage_insert(m, j->rec, err)) {
		case USAGE_DUP: j->dup++; seen_add(&j->seen, j->rec->key); break;
		case USAGE_REPLACED: j->replaced++; seen_add(&j->seen, j->rec->key); break;
		case USAGE_NEW: break;
		default: rc = -1;
		}
	}
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
static int merge(struct job *j, struct lc_db **out, struct lc_err *err)
{
	struct db_remote *r = j->r;
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
	if (db_open_bare(&m, err) || merge_load(m, found, j->rec, err))
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
	if (merge_replay(j, m, err) || merge_keep(m, last, err))
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
   0 for usage_sums, 1 for usage_total_sums) hold every incoming record,
   one row a key, and go onto the server's as they are; then go the
   corrections (incc: the records found duplicates, and the old counts of
   the records replaced), summed per key. */
#define NEG_COUNTS                                                                        \
	"-1, -input, -cache_read, -cache_write_5m, -cache_write_1h, -output, -reasoning, "  \
	"-requests, -web_searches, -audio_input, -audio_output, -image_input, "             \
	"-other_tokens, -coalesce(reported_cost, 0), -(reported_cost IS NOT NULL)::int"
#define CORRECT(kind, p, s, u, from)                                                      \
	"INSERT INTO incc SELECT " kind ", bucket, sidechain, pclass, model_raw, model, "   \
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
/* the key of a rollup row: the SHA-256 of its attributes, joined by
   U+001F (the client computes the same for the staging rows: sum_row) */
#define DKEY "sha256(convert_to(concat_ws(chr(31), " ATTRS "), 'UTF8'))"
#define ROLL_INTO(table, dkey)                                                            \
	"INSERT INTO " table " AS t (bucket, dkey, sidechain, pclass, " ATTRS ", records, " \
	V_COLS ", logged_cost, logged_records) SELECT bucket, " dkey ", sidechain, pclass, " \
	ATTRS ", "
#define ROLL_CONFLICT " ON CONFLICT (bucket, dkey, sidechain, pclass) DO UPDATE SET " ROLL_SET("t")
/* the corrections, summed per key */
#define ROLLUP_CORRECTIONS(table, kind)                                                   \
	ROLL_INTO(table, DKEY) ROLL_SUMS " FROM incc WHERE kind = " kind " GROUP BY bucket, "     \
	"sidechain, pclass, " ATTRS ROLL_CONFLICT
/* the staging rollups alone: one row per key already */
#define ROLLUP_AS_IS(table, kind)                                                         \
	ROLL_INTO(table, "dkey") "records, " V_COLS ", logged_cost, logged_records FROM incs "       \
	"WHERE kind = " kind ROLL_CONFLICT

/* When the merge found stored copies (verdicts in inc). */
static const char *const apply_merged[] = {
	CORRECT("0", "project", "session", "user_name", DUPS),
	CORRECT("1", "''", "''", "''", DUPS),
	CORRECT("0", "project", "session", "user_name", OLDS),
	CORRECT("1", "''", "''", "''", OLDS),
	ROLLUP_AS_IS("usage_sums", "0"),
	ROLLUP_AS_IS("usage_total_sums", "1"),
	ROLLUP_CORRECTIONS("usage_sums", "0"),
	ROLLUP_CORRECTIONS("usage_total_sums", "1"),
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

/* A staging rollup row (columns 4 to 11 its attributes), then its key, as
   DKEY makes it (a bytea in hex: \\x...). */
static void sum_row(sqlite3_stmt *st, struct pg_copy_in *b)
{
	struct sha256 h;
	char hex[2 + 65] = "\\x";

	sha256_init(&h);
	for (int c = 4; c <= 11; c++) {
		const unsigned char *t = sqlite3_column_text(st, c);

		if (c > 4)
			sha256_update(&h, "\x1f", 1);
		if (t)
			sha256_update(&h, t, (size_t)sqlite3_column_bytes(st, c));
	}
	sha256_final_hex(&h, hex + 2);
	put_columns(st, b);
	pg_copy_text(b, hex);
	pg_copy_end_row(b);
}

/* The staging area's rollups, as incs rows. */
static int collect_rollups(struct lc_db *stage, struct job *j, struct lc_err *err)
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

	return collect(stage, sql, sum_row, &j->sums, err);
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
static int push_records(struct job *j, struct lc_err *err)
{
	struct db_remote *r = j->r;
	const struct rows *w = &j->w;
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
	    (sent > 0 && merge(j, &m, err)) || send_records(r, w, m, 0, err) ||
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

/* The job's server transaction. */
static int job_send(struct job *j, struct lc_err *err)
{
	struct db_remote *r = j->r;
	int64_t seq = 0, n = j->w.n;

	/* synchronous_commit off: a server crash may lose the last commits, but
	   each takes its resume points with it (one transaction), so a re-run
	   reads those lines again */
	if (pg_exec(r, "BEGIN; SET LOCAL synchronous_commit = off", err, "storing usage") ||
	    send_buf(r, "COPY incf FROM STDIN", &j->files, err) ||
	    (n > 0 && send_buf(r, "COPY incs FROM STDIN", &j->sums, err)) ||
	    (n > 0 && push_records(j, err)) || save_files(r, err) ||
	    (r->keys && n > 0 && seq_now(r, &seq, err)) ||
	    pg_exec(r, "COMMIT", err, "storing usage")) {
		pg_abort(r);
		pg_keys_free(r);
		return -1;
	}
	if (n > 0)
		keys_pushed(r, &j->w, seq);
	return 0;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	lc_push_seen_free(&j->seen);
	rows_free(&j->w);
	free(j->files.buf);
	free(j->sums.buf);
	free(j->rec);
	free(j);
}

static _Thread_local int in_job; /* this thread sends a job */

static void *job_main(void *arg)
{
	struct job *j = arg;

	in_job = 1;
	j->rc = job_send(j, &j->err);
	return NULL;
}

/* The job is done: its verdicts count, its failure waits for *err. */
static void job_done(struct db_remote *r, struct job *j)
{
	if (j->rc) {
		if (!r->job_failed)
			r->job_err = j->err;
		r->job_failed = 1;
	} else {
		r->push_dup += j->dup;
		r->push_replaced += j->replaced;
		seen_take(&r->push_seen, &j->seen);
		r->push_seen.commits++;
	}
	job_free(j);
}

int pg_push_wait(struct db_remote *r, struct lc_err *err)
{
	if (in_job)
		return 0; /* the job itself */
	if (r->job) {
		pthread_join(r->job_thread, NULL);
		job_done(r, r->job);
		r->job = NULL;
	}
	if (r->job_failed && err) {
		*err = r->job_err;
		r->job_failed = 0;
		return -1;
	}
	return 0;
}

int pg_usage_push(struct lc_db *stage, struct db_remote *r, struct lc_err *err)
{
	struct job *j = xcalloc(1, sizeof(*j));

	/* read out while the last push is still being sent (it needs only the
	   connection, this only the staging area) */
	j->r = r;
	j->rec = xmalloc(sizeof(*j->rec));
	if (read_rows(stage, r, j->rec, &j->w, err) || collect_files(stage, j, err) ||
	    (j->w.n > 0 && collect_rollups(stage, j, err)) || pg_push_wait(r, err)) {
		job_free(j);
		return -1;
	}
	if (pthread_create(&r->job_thread, NULL, job_main, j) != 0) { /* then here and now */
		j->rc = job_send(j, &j->err);
		job_done(r, j);
		return pg_push_wait(r, err);
	}
	r->job = j;
	return 0;
}

void pg_usage_pushed(struct lc_db *stage)
{
	db_remote_of(stage)->stale = PG_ROLLUPS;
	/* what was sent is the job's now: the next commit sends only what
	   comes after (the resume points stay: the engine reads them) */
	db_exec(stage,
		"DELETE FROM usage_calls; DELETE FROM usage_sums; DELETE FROM usage_total_sums; "
		"DELETE FROM temp.pg_files_dirty; DELETE FROM temp.pg_replace",
		NULL, "");
}

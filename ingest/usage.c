/*
 * usage.c - the usage-log ingest engine; see usage.h.
 *
 * Each file is read with read(2) in 1 MiB blocks up to the size it had when
 * opened; a line is processed only once its '\n' is seen, so a line still
 * being written is "deferred" and read on the next run.  Records go to the
 * store in transactions of `chunk` records; each transaction also writes the
 * file's resume point (offset and line after the last complete line, format
 * state), so a kill at any moment loses at most an uncommitted chunk that the
 * next run reads again.  A file is recognised by (dev, inode) and a SHA-256
 * of its first bytes (up to 4 KiB); when it shrank or its head changed it is
 * read again from the start and the natural keys absorb the overlap.
 */
/*
 * This file: format names, messages, model resolution, storing a record,
 * transactions and resume points.  The engine's other files: usage_lines.c
 * (JSON Lines), usage_thread.c (the parse thread), usage_whole.c (JSON
 * documents and CSV), usage_file.c (one file), usage_walk.c (finding files
 * and the entry points); usage_engine.h holds what they share.
 */
#include "usage_engine.h"


static const char *const format_names[] = { "auto", "claude-code", "codex", "openai",
					    "anthropic", "gemini", "llm", "csv",
					    "gemini-cli", "qwen-code", "opencode", "amp",
					    "copilot" };

const char *usage_format_name(int f)
{
	return f >= 0 && f <= UF_LAST ? format_names[f] : "?";
}

int usage_format_parse(const char *s)
{
	for (int i = 0; i <= UF_LAST; i++)
		if (!strcmp(s, format_names[i]))
			return i;
	if (!strcmp(s, "claude"))
		return UF_CLAUDE;
	return -1;
}

/* 1 when the file was last modified TAIL_QUIET seconds ago or earlier. */
int quiet(const struct stat *sb)
{
	time_t now = time(NULL);

	return now != (time_t)-1 && sb->st_mtime <= now - TAIL_QUIET;
}

void report(struct engine *e, int warning, int64_t line, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->o->report)
		e->o->report(e->o->ctx, warning, e->src ? e->src->path : "", line, msg);
}

void usage_reject(struct usage_src *s, const char *fmt, ...)
{
	struct engine *e = s->engine;
	char msg[1024];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->rec) { /* the parse thread: the storing thread counts and tells it */
		ev_push(e, EV_BAD, s->line, 0, msg);
		return;
	}
	e->st->rejected++;
	report(e, 0, s->line, "%s", msg);
}

void usage_warn(struct usage_src *s, const char *fmt, ...)
{
	struct engine *e = s->engine;
	char msg[1024];
	va_list ap;

	s->warned++;
	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->rec) {
		ev_push(e, EV_WARN, s->line, 0, msg); /* stopping: the warning is moot */
		return;
	}
	e->st->warnings++;
	report(e, 1, s->line, "%s", msg);
}

/* Resolve r->model_raw on its day into r->model/host; *reason "" when priced. */
static int resolve(struct engine *e, struct lc_usage_rec *r, const char **reason,
		   struct lc_err *err)
{
	lc_date day = ts_date_utc(r->ts_ms);
	size_t h = (size_t)(lc_hash_mix(lc_hash_str(LC_HASH_SEED ^ (uint64_t)day, r->model_raw)) % RCACHE);
	struct rentry *c = &e->cache[h];
	char date[11];

	if (!r->model_raw[0]) {
		*reason = "no model in the log";
		return 0;
	}
	if (!c->used || c->day != day || strcmp(c->raw, r->model_raw)) {
		struct lc_resolved res;
		struct lc_offering *off;
		struct lc_err e2 = { 0 };
		int found;

		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->day = day;
		LC_COPY(c->raw, r->model_raw);
		date_format(date, sizeof(date), day);
		if (db_resolve(e->cat, r->model_raw, date, &res, &e2)) {
			if (e2.code != LC_EDATA)
				return lc_errf(err, e2.code, "%s", e2.msg);
			snprintf(c->reason, sizeof(c->reason), "unknown model");
		} else {
			LC_COPY(c->model, res.model);
			LC_COPY(c->host, res.host);
			off = xmalloc(sizeof(*off));
			found = db_offering_at(e->cat, res.model, res.host, date, NULL, off, &e2);
			free(off);
			if (found < 0)
				return lc_errf(err, e2.code, "%s", e2.msg);
			if (!found)
				snprintf(c->reason, sizeof(c->reason), "no price on %s", date);
		}
	}
	memcpy(r->model, c->model, sizeof(r->model)); /* same sizes, NUL-terminated */
	memcpy(r->host, c->host, sizeof(r->host));
	*reason = c->reason;
	return 0;
}

static void note_unpriced(struct usage_stats *st, const char *name, const char *reason)
{
	st->unpriced++;
	for (int i = 0; i < st->nunp; i++)
		if (!strcmp(st->unp[i].name, name) && !strcmp(st->unp[i].reason, reason)) {
			st->unp[i].n++;
			return;
		}
	if (st->nunp < (int)(ARRAY_SIZE(st->unp))) {
		lc_strlcpy(st->unp[st->nunp].name, name, sizeof(st->unp[0].name));
		lc_strlcpy(st->unp[st->nunp].reason, reason, sizeof(st->unp[0].reason));
		st->unp[st->nunp].n = 1;
		st->nunp++;
	}
}

/* Another (empty) commit's worth of unpriced notes, at the end of e->unp. */
static void unp_chunk_add(struct engine *e)
{
	e->unp = xrealloc(e->unp, (size_t)(e->nunp + 1) * sizeof(*e->unp));
	memset(&e->unp[e->nunp++], 0, sizeof(*e->unp));
}

/* An unpriced new record: counted now or, on the team store, once the
   server has said it was new (a copy stored already is a duplicate, and
   SQLite would not have counted it). */
static void unpriced_new(struct engine *e, const struct lc_usage_rec *r, const char *reason)
{
	const char *name = r->model_raw[0] ? r->model_raw : "(none)";
	struct unp_chunk *c;
	struct unp_note *n;

	if (!e->team) {
		note_unpriced(e->st, name, reason);
		return;
	}
	if (!e->nunp)
		unp_chunk_add(e);
	c = &e->unp[e->nunp - 1];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof(*c->v));
	}
	n = &c->v[c->n++];
	LC_COPY(n->key, r->key);
	lc_strlcpy(n->name, name, sizeof(n->name));
	lc_strlcpy(n->reason, reason, sizeof(n->reason));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The oldest `commits` commits sent are the server's: their unpriced new
   records count, but for those whose keys `seen` lists (each takes back
   one). */
static void unp_confirm(struct engine *e, struct lc_push_seen *seen)
{
	int done = (int)(seen->commits < e->nunp - 1 ? seen->commits : e->nunp - 1);
	unsigned char *used;
	int notes = 0;

	for (int c = 0; c < done; c++)
		notes += e->unp[c].n;
	used = xcalloc((size_t)seen->n + 1, 1);
	if (notes && seen->n) /* (sorted only when there is a note to look up) */
		qsort(seen->keys, (size_t)seen->n, sizeof(*seen->keys), cmp_str);
	for (int c = 0; c < done; c++) {
		for (int i = 0; i < e->unp[c].n; i++) {
			const struct unp_note *n = &e->unp[c].v[i];
			const char *k = n->key;
			char **hit = seen->n ? bsearch(&k, seen->keys, (size_t)seen->n,
						       sizeof(*seen->keys), cmp_str)
					     : NULL;

			/* the first unused copy of that key, if any */
			while (hit && hit > seen->keys && !strcmp(hit[-1], k))
				hit--;
			while (hit && hit < seen->keys + seen->n && !strcmp(*hit, k) &&
			       used[hit - seen->keys])
				hit++;
			if (hit && hit < seen->keys + seen->n && !strcmp(*hit, k))
				used[hit - seen->keys] = 1;
			else
				note_unpriced(e->st, n->name, n->reason);
		}
		free(e->unp[c].v);
	}
	free(used);
	if (done > 0) {
		memmove(e->unp, e->unp + done, (size_t)(e->nunp - done) * sizeof(*e->unp));
		e->nunp -= done;
	}
}

void unp_free(struct engine *e)
{
	for (int c = 0; c < e->nunp; c++)
		free(e->unp[c].v);
	free(e->unp);
	e->unp = NULL;
	e->nunp = 0;
}

int usage_emit(struct usage_src *s, struct lc_usage_rec *r, struct lc_err *err)
{
	struct engine *e = s->engine;

	if (!e)
		return s->sink ? s->sink(s->sink_ctx, r) : 0;
	/* Claude Code writes one response as several identical lines in a row:
	   an exact copy of the record just handled is a duplicate (the rules in
	   db_usage_insert() keep the first of equal copies) */
	if (r->group[0] && !strcmp(r->key, e->last_key) && e->last_sum[0] == r->ts_ms &&
	    e->last_sum[1] == r->input && e->last_sum[2] == r->cache_read &&
	    e->last_sum[3] == r->cache_write_5m && e->last_sum[4] == r->cache_write_1h &&
	    e->last_sum[5] == r->output && e->last_sum[6] == r->reasoning &&
	    e->last_sum[7] == r->requests && e->last_sum[8] == r->web_searches &&
	    e->last_flags == (r->sidechain | (r->speed[0] ? 2 : 0) | (r->replace ? 4 : 0))) {
		e->st->duplicates++;
		return 0;
	}
	memcpy(e->last_key, r->key, sizeof(r->key));
	e->last_sum[0] = r->ts_ms, e->last_sum[1] = r->input, e->last_sum[2] = r->cache_read;
	e->last_sum[3] = r->cache_write_5m, e->last_sum[4] = r->cache_write_1h;
	e->last_sum[5] = r->output, e->last_sum[6] = r->reasoning, e->last_sum[7] = r->requests;
	e->last_sum[8] = r->web_searches;
	e->last_flags = r->sidechain | (r->speed[0] ? 2 : 0) | (r->replace ? 4 : 0);
	if (e->rec) { /* the storing thread takes it from here */
		e->pending++;
		return ev_push(e, EV_REC, s->line, 0, r) ? lc_errf(err, LC_ERUNTIME, "stopped") : 0;
	}
	return store(e, s, r, err);
}

/* The second half of usage_emit(): resolve, store and count r. */
int store(struct engine *e, struct usage_src *s, struct lc_usage_rec *r,
		 struct lc_err *err)
{
	const char *reason = "";
	int rc;

	r->format = usage_format_name(s->format);
	r->file_id = e->file->id;
	r->line = s->line;
	if (s->project) /* checked by usage_name(): it fits */
		LC_COPY(r->project, s->project);
	/* checked by lc_user_check(): it fits */
	LC_COPY(r->user, e->o->user ? e->o->user : "");
	if (resolve(e, r, &reason, err))
		return -1;
	rc = db_usage_insert(e->db, r, err);
	if (rc < 0)
		return -1;
	e->pending++;
	if (rc == USAGE_DUP) {
		e->st->duplicates++;
		return 0;
	}
	if (rc == USAGE_REPLACED) {
		e->st->replaced++;
		e->st->duplicates++;
	} else {
		e->st->accepted++;
	}
	if (rc == USAGE_NEW && !reason[0] && r->other_tokens > 0)
		reason = "tokens of a modality without a price";
	if (rc == USAGE_NEW && reason[0])
		unpriced_new(e, r, reason);
	return 0;
}

/* ---- transactions and resume points ---- */

/* Open the run's transaction (it spans files), and a savepoint for the file
   when its format may have to drop its own uncommitted work (want_sp). */
int ensure_tx(struct engine *e, struct lc_err *err)
{
	if (!e->in_tx) {
		if (db_begin(e->db, err))
			return -1;
		e->in_tx = 1;
	}
	if (e->want_sp && !e->in_sp) {
		if (db_savepoint(e->db, err)) {
			db_rollback(e->db);
			e->in_tx = 0;
			return -1;
		}
		e->in_sp = 1;
	}
	return 0;
}

/* On the team store the server may find records the staging area took for
   new already stored: count them as it says (db_usage_push_stats), as
   SQLite would have. */
void count_pushed(struct engine *e)
{
	struct lc_push_seen seen;
	int64_t dup, replaced;

	db_usage_push_stats(e->db, &dup, &replaced, &seen);
	e->st->accepted -= dup + replaced;
	e->st->duplicates += dup + replaced;
	e->st->replaced += replaced;
	if (e->team)
		unp_confirm(e, &seen);
	lc_push_seen_free(&seen);
}

/* COMMIT the run's transaction. */
int commit_tx(struct engine *e, struct lc_err *err)
{
	if (db_commit(e->db, err))
		return -1;
	if (e->team) { /* the commit just sent: the next records start another */
		if (!e->nunp)
			unp_chunk_add(e);
		unp_chunk_add(e);
	}
	count_pushed(e);
	return 0;
}

/* Write the file's resume point; with commit, also commit everything so far
   (records and resume points go to disk together) and start afresh. */
int checkpoint(struct engine *e, int64_t offset, int64_t line, int commit,
		      struct lc_err *err)
{
	e->file->offset = offset;
	e->file->line = line;
	if (e->src->format == UF_CODEX)
		usage_codex_save(&e->src->codex, e->file->state, sizeof(e->file->state));
	if (db_usage_file_put(e->db, e->file, err))
		return -1;
	if (!commit)
		return 0;
	e->in_sp = 0; /* COMMIT ends the savepoint too */
	if (commit_tx(e, err)) {
		e->in_tx = 0;
		return -1;
	}
	e->in_tx = 0;
	e->pending = 0;
	if (e->o->progress)
		e->o->progress(e->o->ctx, e->st, e->src->path);
	return ensure_tx(e, err);
}

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
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "date.h"
#include "jscan.h"
#include "sha256.h"

#define BLOCK (1 << 20)
#define HEAD 4096
#define DOC_MAX (64 << 20) /* largest JSON document (not JSONL) read whole */
#define RCACHE 1024
#define MAX_DEPTH 128 /* folder levels below a PATH; deeper ones are named and skipped */
#define TAIL_QUIET 60 /* seconds without a change after which a last line is complete */

static const char *const format_names[] = { "auto", "claude-code", "codex", "openai",
					    "anthropic", "gemini", "llm", "csv" };

const char *usage_format_name(int f)
{
	return f >= 0 && f <= UF_CSV ? format_names[f] : "?";
}

int usage_format_parse(const char *s)
{
	for (int i = 0; i <= UF_CSV; i++)
		if (!strcmp(s, format_names[i]))
			return i;
	if (!strcmp(s, "claude"))
		return UF_CLAUDE;
	return -1;
}

/* A cached resolution of (raw model name, UTC day). */
struct rentry {
	int used;
	lc_date day;
	char raw[LC_ID_MAX];
	char model[LC_ID_MAX], host[LC_ID_MAX];
	char reason[64]; /* "" when priced */
};

/* A file's identity. */
struct fid {
	dev_t dev;
	ino_t ino;
};

/* Files the parse thread may read ahead of the one being stored: it parses
   unevenly (long tool results) and the storing thread stores unevenly, and
   with one file ahead each waited for the other ~1 s per million records. */
#define AHEAD 3

struct engine {
	struct lc_db *db;
	const struct usage_opts *o;
	struct usage_stats *st;
	struct usage_src *src;
	struct lc_usage_file *file;
	int64_t pending;
	int in_tx;                 /* a transaction is open (it spans files) */
	int want_sp;               /* this file's work sits in a savepoint ... */
	int in_sp;                 /* ... which is open */
	int64_t progress_bytes;
	/* the last record handled: its exact copies are duplicates without SQL */
	char last_key[LC_KEY_MAX];
	int64_t last_sum[9];
	int last_flags;
	struct rentry *cache;
	/* the parse thread's engine records instead of storing (see "the
	   parse thread" below); the storing engine owns the parser */
	struct parser *rec;
	struct parser *parser;
	const char *next_paths[AHEAD]; /* the folder's next files (read ahead) */
	char next_buf[AHEAD][LC_PATH_MAX];
	int nnext;
	int tail_ok;               /* this file is quiet: see tail_complete() */
	/* the walk: every file and folder met (by device and inode), so each is
	   read once whatever links lead to it; the folders being walked, to
	   name a link back to one of them */
	struct fid *seen;
	size_t nseen, capseen;
	struct fid up[MAX_DEPTH + 2];
	/* the store itself and its -wal, -shm and -journal: never read */
	struct fid store[4];
	int nstore;
};

enum { EV_REC, EV_BAD, EV_WARN, EV_LINE, EV_BLOCK, EV_END };
static int detect(const char *path, int fd, int64_t size);
static void path_names(struct usage_src *s);
static int ev_push(struct engine *e, int type, int64_t line, int64_t n, const void *payload);
static int ev_mark_eol(struct parser *p, int64_t offset);

/* 1 when the file was last modified TAIL_QUIET seconds ago or earlier. */
static int quiet(const struct stat *sb)
{
	time_t now = time(NULL);

	return now != (time_t)-1 && sb->st_mtime <= now - TAIL_QUIET;
}

static void report(struct engine *e, int warning, int64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(struct engine *e, int warning, int64_t line, const char *fmt, ...)
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

static unsigned hash_str(const char *s, unsigned h)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Resolve r->model_raw on its day into r->model/host; *reason "" when priced. */
static int resolve(struct engine *e, struct lc_usage_rec *r, const char **reason,
		   struct lc_err *err)
{
	lc_date day = ts_date_utc(r->ts_ms);
	unsigned h = hash_str(r->model_raw, 2166136261u ^ (unsigned)day) % RCACHE;
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
		snprintf(c->raw, sizeof(c->raw), "%s", r->model_raw);
		date_format(date, sizeof(date), day);
		if (db_resolve(e->db, r->model_raw, date, &res, &e2)) {
			if (e2.code != LC_EDATA)
				return lc_errf(err, e2.code, "%s", e2.msg);
			snprintf(c->reason, sizeof(c->reason), "unknown model");
		} else {
			snprintf(c->model, sizeof(c->model), "%s", res.model);
			snprintf(c->host, sizeof(c->host), "%s", res.host);
			off = malloc(sizeof(*off));
			if (!off)
				return lc_errf(err, LC_ERUNTIME, "out of memory");
			found = db_offering_at(e->db, res.model, res.host, date, NULL, off, &e2);
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
	if (st->nunp < (int)(sizeof(st->unp) / sizeof(st->unp[0]))) {
		snprintf(st->unp[st->nunp].name, sizeof(st->unp[0].name), "%s", name);
		snprintf(st->unp[st->nunp].reason, sizeof(st->unp[0].reason), "%s", reason);
		st->unp[st->nunp].n = 1;
		st->nunp++;
	}
}

static int store(struct engine *e, struct usage_src *s, struct lc_usage_rec *r,
		 struct lc_err *err);

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
static int store(struct engine *e, struct usage_src *s, struct lc_usage_rec *r,
		 struct lc_err *err)
{
	const char *reason = "";
	int rc;

	r->format = usage_format_name(s->format);
	r->file_id = e->file->id;
	r->line = s->line;
	if (s->project) /* checked by usage_name(): it fits */
		snprintf(r->project, sizeof(r->project), "%s", s->project);
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
		note_unpriced(e->st, r->model_raw[0] ? r->model_raw : "(none)", reason);
	return 0;
}

/* ---- transactions and resume points ---- */

/* Open the run's transaction (it spans files), and a savepoint for the file
   when its format may have to drop its own uncommitted work (want_sp). */
static int ensure_tx(struct engine *e, struct lc_err *err)
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

/* Write the file's resume point; with commit, also commit everything so far
   (records and resume points go to disk together) and start afresh. */
static int checkpoint(struct engine *e, int64_t offset, int64_t line, int commit,
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
	if (db_commit(e->db, err)) {
		e->in_tx = 0;
		return -1;
	}
	e->in_tx = 0;
	e->pending = 0;
	if (e->o->progress)
		e->o->progress(e->o->ctx, e->st, e->src->path);
	return ensure_tx(e, err);
}

/* ---- lines ---- */

/* 1 when text has a \u0000 escape (an odd run of backslashes before "u0000"). */
static int escaped_nul(const char *p, size_t n)
{
	const char *end = p + n, *q = p;

	while ((q = memmem(q, (size_t)(end - q), "u0000", 5)) != NULL) {
		size_t bs = 0;

		while (q - (ptrdiff_t)bs - 1 >= p && q[-(ptrdiff_t)bs - 1] == '\\')
			bs++;
		if (bs % 2 == 1)
			return 1;
		q += 5;
	}
	return 0;
}

static int parse_value(struct engine *e, const cJSON *v, struct lc_err *err)
{
	switch (e->src->format) {
	case UF_CLAUDE:
		return usage_claude(e->src, v, err);
	case UF_CODEX:
		return usage_codex(e->src, v, err);
	case UF_OPENAI:
		return usage_openai(e->src, v, err);
	case UF_ANTHROPIC:
		return usage_anthropic(e->src, v, err);
	case UF_GEMINI:
		return usage_gemini(e->src, v, err);
	default:
		return lc_errf(err, LC_ERUNTIME, "internal: no JSON parser for this format");
	}
}

/* A line the user must hear about; -1 only with --strict. */
static int bad_line(struct engine *e, int64_t line, const char *msg, struct lc_err *err)
{
	if (e->rec) { /* told in order by the storing thread, which also stops on --strict */
		if (ev_push(e, EV_BAD, line, 0, msg))
			return lc_errf(err, LC_ERUNTIME, "stopped");
		return e->o->strict ? lc_errf(err, LC_EDATA, "stopped at a bad line") : 0;
	}
	e->st->rejected++;
	report(e, 0, line, "%s", msg);
	if (e->o->strict)
		return lc_errf(err, LC_EDATA, "cannot parse '%s' line %lld: %s", e->src->path,
			       (long long)line, msg);
	return 0;
}

/* 1 for the blanks JSON allows around a value (RFC 8259: space, tab, LF, CR). */
static int json_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The records of a parsed line or document (an array: of each element). */
static int json_root(struct engine *e, const cJSON *root, struct lc_err *err)
{
	struct lc_err lerr = { 0 };
	int rc = 0;

	if (cJSON_IsArray(root)) {
		const cJSON *it;

		cJSON_ArrayForEach(it, root)
		{
			if ((rc = parse_value(e, it, &lerr)) < 0)
				break;
		}
	} else {
		rc = parse_value(e, root, &lerr);
	}
	if (rc >= 0)
		return 0;
	if (lerr.code != LC_EDATA) {
		*err = lerr;
		return -1;
	}
	return bad_line(e, e->src->line, lerr.msg, err);
}

/* One complete JSON line (without its '\n'). */
static int json_line(struct engine *e, char *p, size_t n, struct lc_err *err)
{
	struct usage_src *s = e->src;
	struct lc_err lerr = { 0 };
	const char *end = NULL;
	cJSON *root;
	int rc;

	if (n && p[n - 1] == '\r')
		n--;
	if (s->line == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (!n)
		return 0;
	/* Only lines mentioning a usage object can carry tokens (Claude Code
	   writes several kinds of large lines without one); a key spelled with
	   \u escapes is not recognised. */
	if (s->format == UF_CLAUDE && !jscan_rfind(p, n, "usage", 5))
		return 0;
	if (memchr(p, '\0', n))
		return bad_line(e, s->line, "NUL byte in the line", err);
	s->text = p;
	s->text_len = n;
	if (s->format == UF_CLAUDE) {
		/* no tree: lib/jscan.h reads what cJSON reads, and cJSON is only
		   asked to name the error of a line that is not JSON.  The \u0000
		   rule below needs a look only when an escape decodes to NUL
		   (jscan sees every escape; the rule's own search is a second pass
		   over the line). */
		rc = usage_claude_text(s, p, n, 0, &lerr);
		if (rc == USAGE_CHECK_NUL) {
			if (escaped_nul(p, n))
				return bad_line(e, s->line, "\\u0000 in the line", err);
			rc = usage_claude_text(s, p, n, 1, &lerr);
		}
		if (rc == USAGE_TRAILING)
			return bad_line(e, s->line,
					escaped_nul(p, n) ? "\\u0000 in the line"
							  : "text after the JSON value",
					err);
		if (rc != USAGE_NOT_JSON) {
			if (rc >= 0)
				return 0;
			if (lerr.code != LC_EDATA) {
				*err = lerr;
				return -1;
			}
			return bad_line(e, s->line, lerr.msg, err);
		}
	}
	if (escaped_nul(p, n))
		return bad_line(e, s->line, "\\u0000 in the line", err);
	root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
	if (!root) {
		char msg[96];
		const char *ep = cJSON_GetErrorPtr();
		long at = ep && ep >= p && ep <= p + n ? (long)(ep - p) + 1 : 0;

		snprintf(msg, sizeof(msg), "malformed JSON at byte %ld", at);
		return bad_line(e, s->line, msg, err);
	}
	while (end && end < p + n && json_blank(*end))
		end++;
	if (end && end < p + n) {
		cJSON_Delete(root);
		return bad_line(e, s->line, "text after the JSON value", err);
	}
	s->text = p;
	s->text_len = n;
	rc = json_root(e, root, err);
	cJSON_Delete(root);
	return rc;
}

/* 1 when p[0..n) is one whole JSON value (blanks around it allowed): a last
   line without its '\n' that is complete, not one still being written. */
static int json_complete(const char *p, size_t n)
{
	const char *end = NULL;
	cJSON *root;

	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	if (!(root = cJSON_ParseWithLengthOpts(p, n, &end, 0)))
		return 0;
	cJSON_Delete(root);
	while (end < p + n && json_blank(*end))
		end++;
	return end == p + n;
}

/* After each line: commit when the chunk is full. */
static int maybe_commit(struct engine *e, int64_t offset, struct lc_err *err)
{
	int64_t chunk = e->o->chunk > 0 ? e->o->chunk : USAGE_CHUNK;

	if (e->rec) { /* a line that gave records ends: the storing thread may commit */
		if (!e->pending)
			return 0;
		e->pending = 0;
		if (ev_mark_eol(e->rec, offset))
			return 0;
		return ev_push(e, EV_LINE, e->src->line, offset, NULL)
			       ? lc_errf(err, LC_ERUNTIME, "stopped")
			       : 0;
	}
	if (e->pending >= chunk)
		return checkpoint(e, offset, e->src->line, 1, err);
	return 0;
}

/* Bytes read (and progress now and then). */
static void count_block(struct engine *e, int64_t got)
{
	e->st->bytes += got;
	e->progress_bytes += got;
	if (e->progress_bytes >= (64 << 20) && e->o->progress) {
		e->progress_bytes = 0;
		e->o->progress(e->o->ctx, e->st, e->src->path);
	}
}

/*
 * Is the last line of a file, without its '\n', complete (read now) or still
 * being written (deferred to the next run)?  It must be one whole JSON value;
 * then an API response log (openai, anthropic, gemini: often a single saved
 * response, `curl -o`) is read at once, since a value still being written is
 * never whole.  Agent logs (claude-code, codex) are written a line at a time
 * while a session runs, so theirs is read only when the file is quiet
 * (e->tail_ok: unchanged since the run that deferred it, or not modified for
 * TAIL_QUIET seconds).
 */
static int tail_complete(struct engine *e, const char *p, size_t n)
{
	int api = e->src->format == UF_OPENAI || e->src->format == UF_ANTHROPIC ||
		  e->src->format == UF_GEMINI;

	if (!api && !e->tail_ok)
		return 0;
	if (memchr(p, '\0', n))
		return 0;
	return json_complete(p, n);
}

/* Stream lines of fd from start up to end. */
static int read_lines(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err)
{
	struct usage_src *s = e->src;
	char *buf = malloc(BLOCK), *lb = NULL;
	size_t llen = 0, lcap = 0;
	int64_t pos = start; /* offset of buf[0] */
	int64_t done = start; /* end of the last complete line */
	int too_long = 0, rc = 0;

	if (!buf)
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	if (lseek(fd, start, SEEK_SET) < 0) {
		free(buf);
		return lc_errf(err, LC_EDATA, "cannot seek in '%s': %s", s->path, strerror(errno));
	}
	while (pos < end) {
		size_t want = (size_t)(end - pos < BLOCK ? end - pos : BLOCK);
		ssize_t got = read(fd, buf, want);
		char *p, *q, *bend;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = lc_errf(err, LC_EDATA, "cannot read '%s': %s", s->path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		p = buf;
		bend = buf + got;
		while (p < bend) {
			q = memchr(p, '\n', (size_t)(bend - p));
			size_t seg = (size_t)((q ? q : bend) - p);

			if (!too_long) {
				if (llen + seg > USAGE_LINE_MAX) {
					too_long = 1;
					llen = 0;
				} else if (q && llen == 0) {
					/* the whole line is in the block: no copy */
				} else {
					if (llen + seg + 1 > lcap) {
						size_t nc = lcap ? lcap : 65536;
						char *nb;

						while (nc < llen + seg + 1)
							nc *= 2;
						if (!(nb = realloc(lb, nc))) {
							rc = lc_errf(err, LC_ERUNTIME, "out of memory");
							goto out;
						}
						lb = nb;
						lcap = nc;
					}
					memcpy(lb + llen, p, seg);
					llen += seg;
				}
			}
			if (!q)
				break;
			s->line++;
			if (too_long) {
				char msg[80];

				snprintf(msg, sizeof(msg), "line longer than %d MiB",
					 USAGE_LINE_MAX >> 20);
				rc = bad_line(e, s->line, msg, err);
			} else if (llen) {
				rc = json_line(e, lb, llen, err);
			} else {
				rc = json_line(e, p, seg, err);
			}
			too_long = 0;
			llen = 0;
			e->st->lines++;
			if (rc)
				goto out;
			done = pos + (q - buf) + 1;
			if ((rc = maybe_commit(e, done, err)))
				goto out;
			p = q + 1;
		}
		pos += got;
		if (e->rec) {
			if (ev_push(e, EV_BLOCK, e->st->lines, got, NULL)) {
				rc = lc_errf(err, LC_ERUNTIME, "stopped");
				goto out;
			}
			e->st->lines = 0;
		} else {
			count_block(e, got);
		}
	}
	if (!rc && llen && !too_long && pos == end && tail_complete(e, lb, llen)) {
		/* a last line without '\n' that is complete (see tail_complete()) */
		s->line++;
		e->st->lines++;
		rc = json_line(e, lb, llen, err);
		/* its '\n' may still come: that ends this line, it starts none */
		s->line--;
		if (rc)
			goto out;
		done = end;
		rc = maybe_commit(e, done, err);
	} else if (llen || too_long) {
		e->st->deferred++; /* a last line without '\n': read it next time */
	}
out:
	e->file->offset = done;
	free(buf);
	free(lb);
	return rc;
}

/* ---- the parse thread ---- */

/*
 * A JSON Lines file is parsed on a second thread while this one stores.
 * The parser runs read_lines() with a recording engine (e->rec): its
 * records, rejected lines, warnings, line ends and block counts become
 * events in a ring, and the storing thread replays them in order through
 * the code a single-threaded run uses (store(), bad_line(), maybe_commit()),
 * so records, messages, transactions and resume points are the same.  The
 * parser never touches the store.  Formats that carry state from line to
 * line (Codex) or are read whole stay on one thread.
 */
#define RING 1024 /* events in flight (~2.5 MiB) */
#define BATCH 128 /* events handed over at a time */
#define SPIN 4000 /* polls before sleeping: a wake-up costs more on a VM */

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

struct packed_rec {
	unsigned char head[offsetof(struct lc_usage_rec, project)];
	char names[512];
	char *spill; /* names too long for names[] (see rec_pack()) */
};

struct event {
	int type;
	int64_t line; /* EV_BLOCK: lines completed */
	int64_t n;    /* EV_LINE, EV_END: offset after the last complete line;
			 EV_BLOCK: bytes */
	int rc;       /* EV_END */
	int64_t eol;  /* >= 0: the last event of a line that gave records, which
			 ends at this offset (an EV_LINE folded in); else -1 */
	union {
		struct packed_rec r;
		char msg[sizeof(((struct lc_err *)0)->msg)];
		struct lc_err err;
	} u;
};

/* A file for the parser: a recording copy of the engine and of the file's
   source, and the counts it keeps. */
struct pjob {
	int fd;
	int64_t start, end;
	char path[LC_PATH_MAX];
	int64_t dev, ino, size; /* read ahead: the file's identity when issued */
	struct engine pe;
	struct usage_src src;
	struct usage_stats st;
	struct usage_opts o;
	struct lc_usage_file file;
};

#define NJOB (AHEAD + 1)

struct parser {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t job_cv, more_cv, room_cv;
	int quit;
	/* jobs k = 0, 1, 2 ... in slot k % NJOB: the storing thread issues them
	   (at most NJOB ahead of the last one it finished), the parser starts
	   them in turn; jobs up to abort_upto stop at their next hand-over */
	struct pjob job[NJOB];
	int64_t issued, started, finished, cur, abort_upto;
	/* the folder's next files, issued before their turn (storing thread):
	   the last npre jobs issued; identity to check when a turn comes */
	int npre;
	struct lc_usage_file probe;
	/* the ring: the parser writes at head and hands over up to pub; the
	   storing thread reads at rd and gives slots back up to tail */
	struct event *ring;
	int64_t head, pub, tail;
	int64_t tail_seen;  /* parser's copy of tail */
	int64_t rd, pub_seen; /* storing thread's */
	int batch;            /* events per hand-over: 1, 2, 4 ... BATCH in each job */
};

/* Hand over what was written; wait for room when the ring is full. */
static int ev_publish(struct parser *p, int need_room, int force)
{
	int rc = 0;

	/* room may come while polling: the other thread is busy, not asleep */
	for (int i = 0; need_room && i < SPIN; i++) {
		if (p->head - __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE) < RING)
			break;
		if (i == 0) {
			pthread_mutex_lock(&p->mu);
			__atomic_store_n(&p->pub, p->head, __ATOMIC_RELEASE);
			pthread_cond_signal(&p->more_cv);
			pthread_mutex_unlock(&p->mu);
		}
		cpu_relax();
	}
	pthread_mutex_lock(&p->mu);
	__atomic_store_n(&p->pub, p->head, __ATOMIC_RELEASE);
	pthread_cond_signal(&p->more_cv);
	while (need_room && p->head - p->tail >= RING && (force || p->abort_upto < p->cur))
		pthread_cond_wait(&p->room_cv, &p->mu);
	if (p->abort_upto >= p->cur && !force)
		rc = -1;
	p->tail_seen = p->tail;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* The parser's next free slot, or NULL when told to stop (force: END). */
static struct event *ev_slot(struct parser *p, int force)
{
	if (p->head - p->tail_seen >= RING && ev_publish(p, 1, force))
		return NULL;
	return &p->ring[p->head % RING];
}

/* A record in the ring: its fields before the names, then the two names
   packed ("project\0session\0") in the event when they fit, else in a
   spill buffer that the storing thread frees; so the ring stays the size
   it was before names could be 4 KiB.  -1 when out of memory. */
static int rec_pack(struct packed_rec *d, const struct lc_usage_rec *r)
{
	size_t np = strlen(r->project) + 1, ns = strlen(r->session) + 1;
	char *to = d->names;

	d->spill = NULL;
	if (np + ns > sizeof(d->names)) {
		if (!(d->spill = malloc(np + ns)))
			return -1;
		to = d->spill;
	}
	memcpy(d->head, r, sizeof(d->head));
	memcpy(to, r->project, np);
	memcpy(to + np, r->session, ns);
	return 0;
}

/* The record of d, and d's spill buffer freed (so also with r NULL). */
static void rec_unpack(struct lc_usage_rec *r, struct packed_rec *d)
{
	const char *from = d->spill ? d->spill : d->names;
	size_t np = strlen(from) + 1;

	if (r) {
		memcpy(r, d->head, sizeof(d->head));
		memcpy(r->project, from, np);
		memcpy(r->session, from + np, strlen(from + np) + 1);
	}
	free(d->spill);
	d->spill = NULL;
}

static int ev_push(struct engine *e, int type, int64_t line, int64_t n, const void *payload)
{
	struct parser *p = e->rec;
	struct event *ev = ev_slot(p, 0);

	if (!ev)
		return -1;
	ev->type = type;
	ev->line = line;
	ev->n = n;
	ev->eol = -1;
	if (type == EV_REC) {
		if (rec_pack(&ev->u.r, payload))
			return -1;
	} else if (payload)
		snprintf(ev->u.msg, sizeof(ev->u.msg), "%s", (const char *)payload);
	p->head++;
	if (p->head - p->pub >= p->batch) {
		/* small hand-overs first: the storing thread waits for the
		   first events of every file */
		if (p->batch < BATCH)
			p->batch *= 2;
		return ev_publish(p, 0, 0);
	}
	return 0;
}

/* Fold a line's end into its last event when that is not handed over yet
   (half the events: most lines give one record); 0 when it is. */
static int ev_mark_eol(struct parser *p, int64_t offset)
{
	if (p->head == p->pub)
		return 0;
	p->ring[(p->head - 1) % RING].eol = offset;
	return 1;
}

static void *parser_main(void *arg)
{
	struct parser *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct lc_err err = { 0 };
		struct event *ev;
		struct pjob *j;
		int rc;

		while (p->started == p->issued && !p->quit)
			pthread_cond_wait(&p->job_cv, &p->mu);
		if (p->quit)
			break;
		p->cur = p->started++;
		j = &p->job[p->cur % NJOB];
		p->batch = 1;
		pthread_mutex_unlock(&p->mu);
		rc = read_lines(&j->pe, j->fd, j->start, j->end, &err);
		ev = ev_slot(p, 1);
		ev->type = EV_END;
		ev->line = j->src.line;
		ev->n = j->file.offset;
		ev->rc = rc;
		ev->u.err = err;
		/* handed over under the lock the next job is taken under */
		pthread_mutex_lock(&p->mu);
		p->head++;
		__atomic_store_n(&p->pub, p->head, __ATOMIC_RELEASE);
		pthread_cond_signal(&p->more_cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The storing thread's next event (waits for the parser). */
static struct event *ev_next(struct parser *p)
{
	if (p->rd == p->pub_seen || p->rd - p->tail >= BATCH) {
		pthread_mutex_lock(&p->mu);
		__atomic_store_n(&p->tail, p->rd, __ATOMIC_RELEASE); /* slots read are free again */
		pthread_cond_signal(&p->room_cv);
		pthread_mutex_unlock(&p->mu);
		for (int i = 0; i < SPIN && __atomic_load_n(&p->pub, __ATOMIC_ACQUIRE) == p->rd; i++)
			cpu_relax();
		pthread_mutex_lock(&p->mu);
		while (p->pub == p->rd)
			pthread_cond_wait(&p->more_cv, &p->mu);
		p->pub_seen = p->pub;
		pthread_mutex_unlock(&p->mu);
	}
	return &p->ring[p->rd++ % RING];
}

static struct parser *parser_start(struct lc_err *err)
{
	struct parser *p = calloc(1, sizeof(*p));

	if (!p || !(p->ring = calloc(RING, sizeof(*p->ring)))) {
		free(p);
		lc_errf(err, LC_ERUNTIME, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->job_cv, NULL);
	pthread_cond_init(&p->more_cv, NULL);
	pthread_cond_init(&p->room_cv, NULL);
	p->abort_upto = -1;
	if (pthread_create(&p->th, NULL, parser_main, p)) {
		free(p->ring);
		free(p);
		lc_errf(err, LC_ERUNTIME, "cannot start the parse thread");
		return NULL;
	}
	return p;
}

static void parser_stop(struct parser *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_signal(&p->job_cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	/* records never replayed (a run that stopped) */
	for (int i = 0; i < RING; i++)
		if (p->ring[i].type == EV_REC)
			rec_unpack(NULL, &p->ring[i].u.r);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->job_cv);
	pthread_cond_destroy(&p->more_cv);
	pthread_cond_destroy(&p->room_cv);
	free(p->ring);
	free(p);
}

/* Hand the parser job k's file: fd from start to end, with source src. */
static void issue(struct engine *e, int fd, int64_t start, int64_t end,
		  const struct usage_src *src, int tail_ok)
{
	struct parser *p = e->parser;
	struct pjob *j = &p->job[p->issued % NJOB];

	pthread_mutex_lock(&p->mu);
	j->fd = fd, j->start = start, j->end = end;
	snprintf(j->path, sizeof(j->path), "%s", src->path);
	j->src = *src;
	j->src.path = j->path;
	j->src.engine = &j->pe;
	memset(&j->st, 0, sizeof(j->st));
	j->o = *e->o;
	j->o.report = NULL, j->o.progress = NULL;
	memset(&j->file, 0, sizeof(j->file));
	memset(&j->pe, 0, sizeof(j->pe));
	j->pe.o = &j->o, j->pe.st = &j->st, j->pe.src = &j->src, j->pe.file = &j->file;
	j->pe.rec = p;
	j->pe.tail_ok = tail_ok;
	p->issued++;
	pthread_cond_signal(&p->job_cv);
	pthread_mutex_unlock(&p->mu);
}

/* Replay the oldest unfinished job's events through the storing code
   (drop: read them and do nothing, as after an error or for a job read
   ahead in vain). */
static int consume(struct engine *e, int drop, struct lc_err *err)
{
	struct parser *p = e->parser;
	struct pjob *j = &p->job[p->finished % NJOB];
	struct lc_usage_rec rec;
	int rc = 0, stop = drop;

	if (drop) {
		pthread_mutex_lock(&p->mu);
		p->abort_upto = p->finished;
		pthread_cond_signal(&p->room_cv);
		pthread_mutex_unlock(&p->mu);
	}
	for (;;) {
		struct event *ev = ev_next(p);

		if (ev->type == EV_END) {
			if (!drop) {
				e->src->line = ev->line;
				e->file->offset = ev->n;
				e->st->lines += j->st.lines;
				e->st->deferred += j->st.deferred;
				e->st->duplicates += j->st.duplicates;
				if (!rc && ev->rc) {
					*err = ev->u.err;
					rc = -1;
				}
			}
			break;
		}
		if (stop) { /* drain: the parser is stopping */
			if (ev->type == EV_REC)
				rec_unpack(NULL, &ev->u.r);
			continue;
		}
		switch (ev->type) {
		case EV_REC:
			e->src->line = ev->line;
			rec_unpack(&rec, &ev->u.r);
			rc = store(e, e->src, &rec, err);
			break;
		case EV_LINE:
			e->src->line = ev->line;
			rc = maybe_commit(e, ev->n, err);
			break;
		case EV_BAD:
			rc = bad_line(e, ev->line, ev->u.msg, err);
			break;
		case EV_WARN:
			e->st->warnings++;
			report(e, 1, ev->line, "%s", ev->u.msg);
			break;
		case EV_BLOCK:
			e->st->lines += ev->line;
			count_block(e, ev->n);
			break;
		}
		if (!rc && ev->eol >= 0) {
			e->src->line = ev->line;
			rc = maybe_commit(e, ev->eol, err);
		}
		if (rc) {
			stop = 1;
			pthread_mutex_lock(&p->mu);
			p->abort_upto = p->finished;
			pthread_cond_signal(&p->room_cv);
			pthread_mutex_unlock(&p->mu);
		}
	}
	/* this job's slots in the ring and its job slot are free again */
	pthread_mutex_lock(&p->mu);
	__atomic_store_n(&p->tail, p->rd, __ATOMIC_RELEASE);
	p->finished++;
	pthread_cond_signal(&p->room_cv);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* The oldest file read ahead, or NULL. */
static struct pjob *pre_first(struct parser *p)
{
	return p && p->npre ? &p->job[(p->issued - p->npre) % NJOB] : NULL;
}

/* Forget the files read ahead, if any (oldest first, as they were issued). */
static void drop_pre(struct engine *e)
{
	struct parser *p = e->parser;

	while (p && p->npre) {
		struct pjob *j = pre_first(p);

		consume(e, 1, NULL);
		close(j->fd);
		p->npre--;
	}
}

/*
 * Read the folder's next files ahead: while this file is stored, the parser
 * goes on to the next AHEAD (otherwise it would wait for the storing thread
 * at every file's start).  Only Claude Code files the store has never seen
 * (no resume point: read from 0), so nothing about them can change before
 * their turn but the files themselves, which are checked then; and only
 * files in a row, as they will be taken (the first that does not qualify
 * ends the run).
 */
static void read_ahead(struct engine *e)
{
	struct parser *p = e->parser;

	if (e->o->format != UF_AUTO && e->o->format != UF_CLAUDE)
		return;
	/* the files already read ahead are next_paths[0 .. npre) */
	while (p->npre < e->nnext) {
		const char *path = e->next_paths[p->npre];
		struct usage_src src;
		struct stat sb;
		struct lc_err err = { 0 };
		struct pjob *j;
		int fd, fmt;

		if (lstat(path, &sb) || !S_ISREG(sb.st_mode))
			return; /* the walk passes over links */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return;
		if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size == 0 ||
		    (fmt = e->o->format != UF_AUTO ? e->o->format
						   : detect(path, fd, sb.st_size)) != UF_CLAUDE ||
		    db_usage_file_get(e->db, path, &p->probe, &err) != 0) {
			close(fd);
			return;
		}
		memset(&src, 0, sizeof(src));
		src.path = path;
		src.format = fmt;
		src.project = e->o->project;
		path_names(&src);
		j = &p->job[p->issued % NJOB]; /* free: at most NJOB - 1 unfinished */
		j->dev = (int64_t)sb.st_dev, j->ino = (int64_t)sb.st_ino, j->size = sb.st_size;
		issue(e, fd, 0, sb.st_size, &src, quiet(&sb));
		p->npre++;
	}
}

/* read_lines() with the parsing on the parse thread. */
static int pipe_lines(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err)
{
	struct parser *p = e->parser;
	struct stat sb;
	int rc, pre_fd = -1;

	if (!p && !(p = e->parser = parser_start(err)))
		return -1;
	if (p->npre) {
		/* this file, read ahead: the same file, still as it was then? */
		struct pjob *j = pre_first(p);

		if (start == 0 && end == j->size && e->src->format == UF_CLAUDE &&
		    j->pe.tail_ok == e->tail_ok &&
		    !strcmp(j->path, e->src->path) && !fstat(fd, &sb) &&
		    (int64_t)sb.st_dev == j->dev && (int64_t)sb.st_ino == j->ino) {
			pre_fd = j->fd;
			p->npre--;
		} else {
			drop_pre(e);
		}
	}
	if (pre_fd < 0)
		issue(e, fd, start, end, e->src, e->tail_ok);
	read_ahead(e);
	rc = consume(e, 0, err);
	if (pre_fd >= 0)
		close(pre_fd);
	if (rc)
		drop_pre(e);
	return rc;
}

/* The line of p[at] in p (1-based), for messages about a document. */
static int64_t line_of(const char *p, size_t at)
{
	int64_t line = 1;

	for (size_t i = 0; i < at; i++)
		line += p[i] == '\n';
	return line;
}

/*
 * A JSON document (an array or a pretty-printed object) read whole.  Blanks
 * around the value are fine (`jq . > f`, editors and curl end files with a
 * newline).  A document that is not one JSON value is an error about the
 * whole file (LC_EDATA naming the file and line): the caller drops this
 * file's work, and its resume point stays as it was, so a corrected file is
 * read on the next run.  Bad records inside it are rejected one by one, as
 * lines of JSON Lines are (errors name line 1).
 */
static int read_document(struct engine *e, int fd, int64_t size, struct lc_err *err)
{
	struct usage_src *s = e->src;
	const char *path = s->path, *end = NULL;
	char *buf, *p;
	size_t n;
	int64_t lines = 0;
	cJSON *root;
	int rc;

	if (size > DOC_MAX)
		return lc_errf(err, LC_EDATA,
			       "'%s' is a JSON document over %d MiB; write it as JSON Lines", path,
			       DOC_MAX >> 20);
	if (!(buf = malloc((size_t)size + 1)))
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	if (pread(fd, buf, (size_t)size, 0) != (ssize_t)size) {
		free(buf);
		return lc_errf(err, LC_EDATA, "cannot read '%s': %s", path, strerror(errno));
	}
	buf[size] = '\0';
	for (int64_t i = 0; i < size; i++)
		lines += buf[i] == '\n';
	p = buf;
	n = (size_t)size;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	if (memchr(p, '\0', n)) {
		rc = lc_errf(err, LC_EDATA, "cannot parse '%s' line %lld: NUL byte in the JSON document",
			     path, (long long)line_of(p, (size_t)((char *)memchr(p, '\0', n) - p)));
		goto out;
	}
	if (escaped_nul(p, n)) {
		rc = lc_errf(err, LC_EDATA, "cannot parse '%s': \\u0000 in the JSON document", path);
		goto out;
	}
	if (!(root = cJSON_ParseWithLengthOpts(p, n, &end, 0))) {
		const char *ep = cJSON_GetErrorPtr();
		size_t at = ep && ep >= p && ep <= p + n ? (size_t)(ep - p) : 0;

		rc = lc_errf(err, LC_EDATA, "cannot parse '%s' line %lld: malformed JSON at byte %zu",
			     path, (long long)line_of(p, at), at + 1);
		goto out;
	}
	while (end < p + n && json_blank(*end))
		end++;
	if (end < p + n) {
		cJSON_Delete(root);
		rc = lc_errf(err, LC_EDATA,
			     "cannot parse '%s' line %lld: text after the JSON document (a file read "
			     "whole must hold one JSON value)",
			     path, (long long)line_of(p, (size_t)(end - p)));
		goto out;
	}
	/* the document counts as one line; errors name line 1 */
	s->line = 1;
	s->text = p;
	s->text_len = n;
	rc = json_root(e, root, err);
	cJSON_Delete(root);
	s->line = lines;
out:
	free(buf);
	return rc;
}

/* 1 when the file (up to DOC_MAX bytes) is one whole JSON value. */
static int whole_value(int fd, int64_t size)
{
	char *buf = malloc((size_t)size + 1);
	int r = 0;

	if (buf && pread(fd, buf, (size_t)size, 0) == (ssize_t)size && !memchr(buf, '\0', (size_t)size))
		r = json_complete(buf, (size_t)size);
	free(buf);
	return r;
}

/*
 * 1 when a file of a response format (openai, anthropic, gemini) is one
 * JSON document rather than JSON Lines, judged on its head: an array, or an
 * object whose "{" stands alone on the first line (a pretty-printed page);
 * or an object whose first line is not a whole value, when the whole file
 * is one.  The head is part of the file's identity, so a file keeps its
 * kind.
 */
static int is_document(int fmt, int fd, int64_t size, const unsigned char *head, int64_t headn)
{
	int64_t i = 0;

	if (fmt != UF_OPENAI && fmt != UF_ANTHROPIC && fmt != UF_GEMINI)
		return 0;
	if (headn >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
		i += 3;
	while (i < headn && json_blank((char)head[i]))
		i++;
	if (i < headn && head[i] == '[')
		return 1;
	if (i < headn && head[i] == '{') {
		const unsigned char *nl = memchr(head + i, '\n', (size_t)(headn - i));
		int64_t k = i + 1;

		while (nl && k < nl - head && (head[k] == ' ' || head[k] == '\r' || head[k] == '\t'))
			k++;
		if (nl && k == nl - head)
			return 1; /* "{" alone on its line */
		/* a first line that is not a whole value, in a file that is one
		   (`{"object": "page",` and more lines) */
		if (nl && size <= DOC_MAX && !json_complete((const char *)head + i, (size_t)(nl - head - i)))
			return whole_value(fd, size);
	}
	return 0;
}

/* ---- CSV ---- */

static int read_csv(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err)
{
	struct usage_src *s = e->src;
	struct csv c;
	int idx[USAGE_CSV_COLS];
	int dfd = dup(fd), rc = 0;
	FILE *fp;
	char last = '\n';

	if (dfd < 0 || !(fp = fdopen(dfd, "rb"))) {
		if (dfd >= 0)
			close(dfd);
		return lc_errf(err, LC_ERUNTIME, "cannot read '%s': %s", s->path, strerror(errno));
	}
	if (end > 0 && pread(fd, &last, 1, end - 1) != 1)
		last = '\n';
	csv_init_file(&c, s->path, fp);
	rewind(fp);
	if (csv_next(&c, err) != 1) {
		if (err->code == 0)
			lc_errf(err, LC_EDATA, "'%s' has no header row", s->path);
		goto fail;
	}
	if (usage_csv_header(s, &c, idx, err))
		goto fail;
	if (start == 0) {
		start = ftello(fp);
		s->line = c.next_line - 1;
		if (end == start && last != '\n')
			goto done; /* the header itself is incomplete */
	} else {
		if (fseeko(fp, start, SEEK_SET)) {
			lc_errf(err, LC_EDATA, "cannot seek in '%s'", s->path);
			goto fail;
		}
		c.next_line = s->line + 1;
		c.eof = 0;
	}
	c.bare_errors = 1; /* bad_line() names the file and line */
	for (;;) {
		struct lc_err lerr = { 0 };
		int r = csv_next(&c, &lerr);
		int64_t at = ftello(fp);

		if (r == 0)
			break;
		/* a last row without '\n' may still be being written (a number
		   cut short reads as a whole row): it is read when the file is
		   quiet (see tail_complete()) and the row parses; its '\n', if it
		   comes, then ends a blank line, which the reader skips */
		if (at > end || (at == end && c.eof && last != '\n' && (r < 0 || !e->tail_ok)) ||
		    (r < 0 && at >= end && last != '\n')) {
			e->st->deferred++; /* the last row is still being written */
			break;
		}
		s->line = c.next_line - 1;
		e->st->lines++;
		if (r < 0) {
			int ch;

			/* skip to the end of the physical line and go on */
			if (lerr.code != LC_EDATA) {
				*err = lerr;
				goto fail;
			}
			while ((ch = getc(fp)) != EOF && ch != '\n')
				;
			s->line = c.line;
			c.next_line = c.line + 1;
			if (bad_line(e, c.line, lerr.msg, err))
				goto fail;
			if (maybe_commit(e, ftello(fp), err))
				goto fail;
			continue;
		}
		s->line = c.line;
		if (usage_csv_row(s, &c, idx, &lerr) < 0) {
			if (lerr.code != LC_EDATA) {
				*err = lerr;
				goto fail;
			}
			if (bad_line(e, c.line, lerr.msg, err))
				goto fail;
		}
		s->line = c.next_line - 1;
		if (maybe_commit(e, at, err))
			goto fail;
		start = at;
	}
done:
	e->file->offset = start;
	csv_release(&c);
	fclose(fp);
	return rc;
fail:
	csv_release(&c);
	fclose(fp);
	return -1;
}

/* ---- files ---- */

static int detect(const char *path, int fd, int64_t size)
{
	char head[65537];
	ssize_t n;
	size_t plen = strlen(path);

	if (plen > 4 && !strcmp(path + plen - 4, ".csv"))
		return UF_CSV;
	n = pread(fd, head, sizeof(head) - 1, 0);
	if (n < 0)
		n = 0;
	head[n] = '\0';
	if (n >= 16 && !memcmp(head, "SQLite format 3", 16))
		return UF_LLM;
	if (memchr(head, '\0', (size_t)n))
		return -1;
	if (strstr(head, "\"session_meta\"") || strstr(head, "\"turn_context\"") ||
	    strstr(head, "\"token_count\""))
		return UF_CODEX;
	if (strstr(head, "\"sessionId\"") || strstr(head, "\"parentUuid\""))
		return UF_CLAUDE;
	if (strstr(head, "\"usageMetadata\"") || strstr(head, "\"promptTokenCount\""))
		return UF_GEMINI;
	if (strstr(head, "\"uncached_input_tokens\"") || strstr(head, "\"msg_") ||
	    strstr(head, "\"cache_creation_input_tokens\""))
		return UF_ANTHROPIC;
	if (strstr(head, "\"prompt_tokens\"") || strstr(head, "\"input_tokens_details\"") ||
	    strstr(head, "\"input_cached_tokens\"") || strstr(head, "\"object\":\"response\"") ||
	    strstr(head, "\"object\": \"response\"") || strstr(head, "organization.usage"))
		return UF_OPENAI;
	if (plen > 6 && !strcmp(path + plen - 6, ".jsonl") && strstr(path, "/projects/"))
		return UF_CLAUDE;
	if (strstr(path, "/sessions/") && strstr(path, "rollout-"))
		return UF_CODEX;
	(void)size;
	return -1;
}

/* Claude Code layouts: project folder and session from the path. */
static void path_names(struct usage_src *s)
{
	const char *proj = strstr(s->path, "/projects/");
	char tmp[LC_PATH_MAX], *parts[8];
	int n = 0;

	s->path_project[0] = s->path_session[0] = '\0';
	snprintf(tmp, sizeof(tmp), "%s", proj ? proj + 10 : s->path);
	for (char *t = strtok(tmp, "/"); t && n < 8; t = strtok(NULL, "/"))
		parts[n++] = t;
	if (n == 0)
		return;
	{
		char *dot = strrchr(parts[n - 1], '.');

		if (dot)
			*dot = '\0';
	}
	if (proj && n >= 2) {
		snprintf(s->path_project, sizeof(s->path_project), "%s", parts[0]);
		snprintf(s->path_session, sizeof(s->path_session), "%s", parts[1]);
	} else {
		snprintf(s->path_session, sizeof(s->path_session), "%s", parts[n - 1]);
		if (n >= 2)
			snprintf(s->path_project, sizeof(s->path_project), "%s", parts[n - 2]);
	}
}

/* A file-level problem: reported, counted, the run goes on. */
static int file_error(struct engine *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int file_error(struct engine *e, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->st->file_errors++;
	if (e->o->report)
		e->o->report(e->o->ctx, 0, path, 0, msg);
	return 0;
}

static int ingest_file(struct engine *e, const char *path, int explicit_fmt, struct lc_err *err)
{
	struct lc_usage_file *f = e->file;
	struct usage_src *s = e->src;
	unsigned char head[HEAD];
	struct stat sb;
	int64_t headn, start = 0;
	int fd, fmt, rc, doc = 0;
	char hex[65];

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return file_error(e, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return file_error(e, path, "not a regular file");
	}
	if (explicit_fmt != UF_AUTO)
		fmt = explicit_fmt;
	else if (pre_first(e->parser) && !strcmp(pre_first(e->parser)->path, path))
		fmt = UF_CLAUDE; /* detected a moment ago, when it was read ahead */
	else
		fmt = detect(path, fd, sb.st_size);
	if (sb.st_size == 0) {
		close(fd);
		e->st->skipped_files++;
		if (e->o->report)
			e->o->report(e->o->ctx, 1, path, 0, "empty file");
		return 0;
	}
	headn = pread(fd, head, HEAD, 0);
	if (headn < 0) {
		close(fd);
		return file_error(e, path, "cannot read: %s", strerror(errno));
	}
	if (headn >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) {
		close(fd);
		return file_error(e, path, "UTF-16 text: convert it to UTF-8 with iconv");
	}
	if (fmt < 0) {
		close(fd);
		return file_error(e, path, "cannot tell the format; use --format");
	}
	if ((rc = db_usage_file_get(e->db, path, f, err)) < 0) {
		close(fd);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->path = f->path;
	s->format = fmt;
	s->project = e->o->project;
	s->engine = e;
	path_names(s);
	doc = is_document(fmt, fd, sb.st_size, head, headn);
	e->tail_ok = quiet(&sb);
	if (rc == 1) {
		int same = f->dev == (int64_t)sb.st_dev && f->inode == (int64_t)sb.st_ino &&
			   sb.st_size >= f->size && f->head_len <= headn &&
			   !strcmp(f->head_hash, sha256_hex(head, (size_t)f->head_len, hex)) &&
			   !strcmp(f->format, usage_format_name(fmt));

		/* logs.db is always read whole: new rows may sit in its -wal file */
		if (fmt == UF_LLM) {
		} else if (same && sb.st_size == f->size && f->offset == f->size &&
			   f->mtime_ns == (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec) {
			close(fd); /* unchanged and fully read */
			e->st->files++;
			return 0;
		} else if (same && doc) {
			/* a document is one value: never resumed as lines from an
			   offset; read whole again, the natural keys absorb the
			   records already stored */
			e->st->rescanned++;
			if (e->o->report)
				e->o->report(e->o->ctx, 1, path, 0,
					     "JSON document changed; reading it again whole");
		} else if (same) {
			start = f->offset;
			s->line = f->line;
			if (fmt == UF_CODEX)
				usage_codex_load(&s->codex, f->state);
			/* unchanged since the run that deferred its last line */
			if (sb.st_size == f->size &&
			    f->mtime_ns == (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec)
				e->tail_ok = 1;
		} else {
			e->st->rescanned++;
			if (e->o->report)
				e->o->report(e->o->ctx, 1, path, 0,
					     "file was truncated or replaced; reading it again from the start");
		}
	}
	if (start == 0)
		f->state[0] = '\0';
	snprintf(f->format, sizeof(f->format), "%s", usage_format_name(fmt));
	f->dev = (int64_t)sb.st_dev;
	f->inode = (int64_t)sb.st_ino;
	f->size = sb.st_size;
	f->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
	f->head_len = headn;
	sha256_hex(head, (size_t)headn, f->head_hash);
	e->st->files++;
	e->last_key[0] = '\0';
	/* CSV, logs.db and JSON documents can fail as a whole after records
	   were stored (a bad header, an unreadable table): their work sits in a
	   savepoint.  JSON Lines never need one (a read error keeps the lines
	   before it, with their resume point), and savepoints are not free:
	   SQLite copies every page first changed under one to a sub-journal. */
	e->want_sp = fmt == UF_CSV || fmt == UF_LLM || doc;
	if (ensure_tx(e, err)) {
		close(fd);
		return -1;
	}
	/* the row first, so records can name it; at the old resume point */
	f->offset = start;
	f->line = s->line;
	if (db_usage_file_put(e->db, f, err))
		goto fail;
	if (fmt == UF_CSV) {
		if (read_csv(e, fd, start, sb.st_size, err))
			goto fail_data;
		rc = checkpoint(e, f->offset, s->line, 0, err);
	} else if (fmt == UF_LLM) {
		if (usage_llm_file(s, err))
			goto fail_data;
		rc = checkpoint(e, sb.st_size, 0, 0, err);
	} else {
		if (doc)
			rc = read_document(e, fd, sb.st_size, err);
		else if (fmt == UF_CODEX || !e->o->threads)
			rc = read_lines(e, fd, start, sb.st_size, err);
		else
			rc = pipe_lines(e, fd, start, sb.st_size, err);
		if (rc)
			goto fail_data;
		rc = checkpoint(e, doc ? sb.st_size : f->offset, s->line, 0, err);
	}
	close(fd);
	if (!rc) {
		/* this file's work is done: keep it */
		if (e->in_sp && db_release(e->db, err)) {
			db_rollback(e->db);
			e->in_tx = e->in_sp = e->want_sp = 0;
			return -1;
		}
		e->in_sp = e->want_sp = 0;
	} else {
		db_rollback(e->db);
		e->in_tx = e->in_sp = e->want_sp = 0;
	}
	return rc;
fail_data:
	if (err->code == LC_EDATA && !e->o->strict) {
		struct lc_err lerr = *err;

		if (e->want_sp) {
			/* a file-level data problem (unreadable logs.db, CSV header):
			   drop this file's uncommitted work, keep the other files' */
			if (e->in_sp)
				db_rollback_to(e->db);
			e->in_sp = e->want_sp = 0;
		} else if (e->in_tx) {
			/* a read error in JSON Lines: keep the complete lines before
			   it, with their resume point (read_lines() left it in f) */
			memset(err, 0, sizeof(*err));
			if (checkpoint(e, f->offset, s->line, 0, err))
				goto fail;
		}
		close(fd);
		return file_error(e, path, "%s", lerr.msg);
	}
fail:
	db_rollback(e->db);
	e->in_tx = e->in_sp = e->want_sp = 0;
	close(fd);
	return -1;
}

/* ---- finding files ---- */

static int wanted(const char *name, int fmt)
{
	size_t n = strlen(name);
	static const char *const ext[] = { ".jsonl", ".json", ".csv", ".db", ".sqlite" };

	if (name[0] == '.')
		return 0;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);

		if (n <= k || strcmp(name + n - k, ext[i]))
			continue;
		if (fmt == UF_AUTO)
			return 1;
		if (fmt == UF_CSV)
			return i == 2;
		if (fmt == UF_LLM)
			return i >= 3;
		return i < 2;
	}
	return 0;
}

/* A path passed over on purpose: named, with the reason, exit unchanged. */
static int skip_note(struct engine *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int skip_note(struct engine *e, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->st->skipped_files++;
	if (e->o->report)
		e->o->report(e->o->ctx, 1, path, 0, msg);
	return 0;
}

static int same_fid(const struct fid *a, const struct stat *sb)
{
	return a->dev == sb->st_dev && a->ino == sb->st_ino;
}

/* Note a file or folder as met: 1 when it was met before, 0, or -1 (memory). */
static int seen_add(struct engine *e, const struct stat *sb)
{
	size_t h, mask;

	if (2 * (e->nseen + 1) > e->capseen) {
		size_t cap = e->capseen ? 2 * e->capseen : 1024;
		struct fid *t = calloc(cap, sizeof(*t)), *old = e->seen;

		if (!t)
			return -1;
		for (size_t i = 0; i < e->capseen; i++) {
			if (!old[i].ino && !old[i].dev)
				continue;
			h = ((size_t)old[i].ino * 0x9E3779B97F4A7C15u ^ (size_t)old[i].dev) & (cap - 1);
			while (t[h].ino || t[h].dev)
				h = (h + 1) & (cap - 1);
			t[h] = old[i];
		}
		free(old);
		e->seen = t;
		e->capseen = cap;
	}
	mask = e->capseen - 1;
	h = ((size_t)sb->st_ino * 0x9E3779B97F4A7C15u ^ (size_t)sb->st_dev) & mask;
	while (e->seen[h].ino || e->seen[h].dev) {
		if (same_fid(&e->seen[h], sb))
			return 1;
		h = (h + 1) & mask;
	}
	e->seen[h].dev = sb->st_dev;
	e->seen[h].ino = sb->st_ino;
	e->nseen++;
	return 0;
}

/* 1 when the file is the store or its -wal, -shm or -journal (by identity,
   so also under another name or through a link). */
static int is_store(const struct engine *e, const char *path, const struct stat *sb)
{
	static const char *const sfx[] = { "-wal", "-shm", "-journal" };
	size_t n = strlen(path);

	for (int i = 0; i < e->nstore; i++)
		if (same_fid(&e->store[i], sb))
			return 1;
	for (size_t i = 0; e->nstore && i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t k = strlen(sfx[i]);
		char base[LC_PATH_MAX];
		struct stat bs;

		/* a -wal or -shm that appeared after the run began */
		if (n > k && n - k < sizeof(base) && !strcmp(path + n - k, sfx[i])) {
			memcpy(base, path, n - k);
			base[n - k] = '\0';
			if (!stat(base, &bs) && same_fid(&e->store[0], &bs))
				return 1;
		}
	}
	return 0;
}

static const char *kind_of(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ? "a character device"
		: S_ISBLK(m) ? "a block device" : "not a file or folder";
}

/*
 * Read path: a folder recursively, a file once.  Links are followed, to
 * files and to folders, and every real file and folder is read once (by
 * device and inode) whatever the paths that lead to it.  name is the entry's
 * name in its folder (NULL for a PATH given): there, files whose names are
 * not wanted() are passed over silently; everything else that is not read
 * is named with its reason: as an error (counted, exit 3) when logs may be
 * missed (a link that cannot be followed, a folder too deep or unreadable,
 * a FIFO or device with a log's name), as a note when nothing is missed (a
 * second path to a file or folder already read, a link back to a folder
 * being walked, the store itself).
 */
static int walk(struct engine *e, const char *path, const char *name, int depth,
		struct lc_err *err)
{
	struct stat sb;
	struct dirent **list;
	int n, rc = 0;

	if (stat(path, &sb) != 0) {
		int en = errno;
		struct stat ls;

		if (name && lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode))
			return file_error(e, path, "cannot follow symbolic link: %s", strerror(en));
		return file_error(e, path, "cannot read: %s", strerror(en));
	}
	if (S_ISREG(sb.st_mode)) {
		if (name && !wanted(name, e->o->format))
			return 0;
		if (is_store(e, path, &sb))
			return skip_note(e, path, "skipped: this is llmcost's own store (--db)");
		if ((rc = seen_add(e, &sb)) != 0)
			return rc < 0 ? lc_errf(err, LC_ERUNTIME, "out of memory")
				      : skip_note(e, path, "skipped: the same file as one already "
							   "read through another path");
		return ingest_file(e, path, e->o->format, err);
	}
	if (!S_ISDIR(sb.st_mode)) {
		if (!name)
			return ingest_file(e, path, e->o->format, err); /* it says why not */
		if (wanted(name, e->o->format))
			return file_error(e, path, "skipped: not a regular file (%s)",
					  kind_of(sb.st_mode));
		return skip_note(e, path, "skipped: not a regular file (%s)", kind_of(sb.st_mode));
	}
	for (int k = 0; k < depth; k++)
		if (same_fid(&e->up[k], &sb))
			return skip_note(e, path, "skipped: a link back to a folder it is inside "
						  "(a loop)");
	if (depth > MAX_DEPTH)
		return file_error(e, path, "skipped: folder nested more than %d levels deep",
				  MAX_DEPTH);
	if ((rc = seen_add(e, &sb)) != 0)
		return rc < 0 ? lc_errf(err, LC_ERUNTIME, "out of memory")
			      : skip_note(e, path, "skipped: the same folder as one already read "
						   "through another path");
	e->up[depth].dev = sb.st_dev;
	e->up[depth].ino = sb.st_ino;
	n = scandir(path, &list, NULL, alphasort);
	if (n < 0)
		return file_error(e, path, "cannot list: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *d = list[i]->d_name;
		char sub[LC_PATH_MAX];

		if (rc || !strcmp(d, ".") || !strcmp(d, "..")) {
			free(list[i]);
			continue;
		}
		if (snprintf(sub, sizeof(sub), "%s/%s", path, d) >= (int)sizeof(sub)) {
			rc = file_error(e, path, "skipped '%s': path longer than %d bytes", d,
					LC_PATH_MAX - 1);
			free(list[i]);
			continue;
		}
		/* the next wanted files here, for reading ahead */
		e->nnext = 0;
		for (int k = i + 1; wanted(d, e->o->format) && k < n && e->nnext < AHEAD; k++) {
			if (!wanted(list[k]->d_name, e->o->format))
				continue;
			if (snprintf(e->next_buf[e->nnext], sizeof(e->next_buf[0]), "%s/%s", path,
				     list[k]->d_name) >= (int)sizeof(e->next_buf[0]))
				break;
			e->next_paths[e->nnext] = e->next_buf[e->nnext];
			e->nnext++;
		}
		rc = walk(e, sub, d, depth + 1, err);
		e->nnext = 0;
		free(list[i]);
	}
	free(list);
	return rc;
}

/* The store's identity and its side files', when they exist now. */
static void store_ids(struct engine *e)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	const char *p = db_path(e->db);

	for (size_t i = 0; p && *p && i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		char f[LC_PATH_MAX];
		struct stat sb;

		if (snprintf(f, sizeof(f), "%s%s", p, sfx[i]) >= (int)sizeof(f) || stat(f, &sb)) {
			if (i == 0)
				return; /* no file (:memory:): nothing to avoid */
			continue;
		}
		e->store[e->nstore].dev = sb.st_dev;
		e->store[e->nstore].ino = sb.st_ino;
		e->nstore++;
	}
}

static int with_engine(struct lc_db *db, const struct usage_opts *o, struct usage_stats *st,
		       const char *const *paths, int npaths, int quiet_missing, struct lc_err *err)
{
	struct engine e = { 0 };
	struct usage_src *src = calloc(1, sizeof(*src));
	struct lc_usage_file *file = calloc(1, sizeof(*file));
	int rc = 0;

	e.cache = calloc(RCACHE, sizeof(*e.cache));
	if (!src || !file || !e.cache) {
		free(src), free(file), free(e.cache);
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	e.db = db, e.o = o, e.st = st, e.src = src, e.file = file;
	store_ids(&e);
	if (db_usage_ingest_mode(db, 1, err)) {
		free(src), free(file), free(e.cache);
		return -1;
	}
	for (int i = 0; i < npaths && !rc; i++) {
		struct stat sb;

		if (quiet_missing && stat(paths[i], &sb) != 0)
			continue;
		rc = walk(&e, paths[i], NULL, 0, err);
	}
	if (e.in_tx) {
		if (rc)
			db_rollback(db);
		else if (db_commit(db, err))
			rc = -1;
	}
	drop_pre(&e);
	parser_stop(e.parser);
	if (db_usage_ingest_mode(db, 0, rc ? NULL : err))
		rc = -1;
	free(src), free(file), free(e.cache), free(e.seen);
	return rc;
}

int usage_ingest_path(struct lc_db *db, const char *path, const struct usage_opts *o,
		      struct usage_stats *st, struct lc_err *err)
{
	return with_engine(db, o, st, &path, 1, 0, err);
}

/* Each CLAUDE_CONFIG_DIR entry: a config dir holding projects/, or projects/ itself. */
int usage_ingest_defaults(struct lc_db *db, const struct usage_opts *o, struct usage_stats *st,
			  struct lc_err *err)
{
	static char bufs[24][LC_PATH_MAX + 32];
	const char *paths[24];
	const char *home = getenv("HOME"), *ccd = getenv("CLAUDE_CONFIG_DIR"),
		   *codex = getenv("CODEX_HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	int n = 0, found = 0;
	struct usage_opts oc = *o, ox = *o;

	if (ccd && *ccd) {
		char list[LC_PATH_MAX];

		snprintf(list, sizeof(list), "%s", ccd);
		for (char *t = strtok(list, ","); t && n < 16; t = strtok(NULL, ",")) {
			struct stat sb;

			while (*t == ' ')
				t++;
			if (!*t)
				continue;
			snprintf(bufs[n], sizeof(bufs[n]), "%.4000s/projects", t);
			if (stat(bufs[n], &sb) != 0 || !S_ISDIR(sb.st_mode))
				snprintf(bufs[n], sizeof(bufs[n]), "%.4000s", t);
			paths[n] = bufs[n];
			n++;
		}
	} else if (home && *home) {
		snprintf(bufs[n], sizeof(bufs[n]), "%.4000s/.claude/projects", home);
		paths[n] = bufs[n], n++;
		if (xdg && *xdg)
			snprintf(bufs[n], sizeof(bufs[n]), "%.4000s/claude/projects", xdg);
		else
			snprintf(bufs[n], sizeof(bufs[n]), "%.4000s/.config/claude/projects", home);
		paths[n] = bufs[n], n++;
	}
	for (int i = 0; i < n; i++) {
		struct stat sb;

		found += stat(paths[i], &sb) == 0;
	}
	if (o->format == UF_AUTO)
		oc.format = UF_CLAUDE;
	if (with_engine(db, &oc, st, paths, n, 1, err))
		return -1;
	n = 0;
	if (codex && *codex) {
		snprintf(bufs[16], sizeof(bufs[16]), "%.4000s", codex);
	} else if (home && *home) {
		snprintf(bufs[16], sizeof(bufs[16]), "%.4000s/.codex", home);
	} else {
		return found;
	}
	snprintf(bufs[17], sizeof(bufs[17]), "%.4000s/sessions", bufs[16]);
	snprintf(bufs[18], sizeof(bufs[18]), "%.4000s/archived_sessions", bufs[16]);
	paths[0] = bufs[17], paths[1] = bufs[18];
	for (int i = 0; i < 2; i++) {
		struct stat sb;

		found += stat(paths[i], &sb) == 0;
	}
	if (o->format == UF_AUTO)
		ox.format = UF_CODEX;
	if (with_engine(db, &ox, st, paths, 2, 1, err))
		return -1;
	return found;
}

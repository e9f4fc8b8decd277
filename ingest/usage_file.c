/*
 * usage_file.c - the usage engine's handling of one file (see usage.c):
 * format detection, source names, resume point, the reader for its format.
 */
#include <fnmatch.h>

#include "usage_engine.h"

/* ---- files ---- */

/* OpenCode's store: opencode.db, or a channel's opencode-NAME.db. */
static int is_opencode_db(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	return !fnmatch("opencode.db", b, 0) || !fnmatch("opencode-*.db", b, 0);
}

int detect(const char *path, int fd, int64_t size)
{
	char head[65537];
	ssize_t n;
	size_t plen = strlen(path);
	int fmt;

	if (plen > 4 && !strcmp(path + plen - 4, ".csv"))
		return UF_CSV;
	n = pread(fd, head, sizeof(head) - 1, 0);
	if (n < 0)
		n = 0;
	head[n] = '\0';
	if (n >= 16 && !memcmp(head, "SQLite format 3", 16))
		return is_opencode_db(path) ? UF_OPENCODE : UF_LLM;
	if (memchr(head, '\0', (size_t)n))
		return -1;
	if ((fmt = usage_agents_detect(path, head)) >= 0)
		return fmt;
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
void path_names(struct usage_src *s)
{
	const char *proj = strstr(s->path, "/projects/");
	char tmp[LC_PATH_MAX], *parts[8];
	int n = 0;

	s->path_project[0] = s->path_session[0] = '\0';
	LC_COPY(tmp, proj ? proj + 10 : s->path);
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
		LC_COPY(s->path_project, parts[0]);
		LC_COPY(s->path_session, parts[1]);
	} else {
		LC_COPY(s->path_session, parts[n - 1]);
		if (n >= 2)
			LC_COPY(s->path_project, parts[n - 2]);
	}
}

/* A file-level problem: reported, counted, the run goes on. */
int file_error(struct engine *e, const char *path, const char *fmt, ...)
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

/* A file-level problem in a reader's message: the readers name the file
   (the message is also --strict's final error), so it is not named again. */
static int file_named_error(struct engine *e, const char *path, const char *msg)
{
	char q[LC_PATH_MAX + 3];

	if (snprintf(q, sizeof(q), "'%s'", path) >= (int)sizeof(q) || !strstr(msg, q))
		return file_error(e, path, "%s", msg);
	e->st->file_errors++;
	if (e->o->report)
		e->o->report(e->o->ctx, 0, path, -1, msg);
	return 0;
}

/* A file being read: what ingest_file()'s steps learn about it. */
struct file_at {
	struct stat sb;
	unsigned char head[HEAD];
	int64_t headn;
	int fmt;
	int doc;       /* a JSON document (read whole), not lines */
	int sqlite;    /* an SQLite database (read whole, read-only) */
	int64_t start; /* the offset to read from */
};

/* The file's kind and first bytes in a; 1 when it is passed over (named,
   counted), 0 to read it. */
static int examine(struct engine *e, const char *path, int fd, int explicit_fmt,
		   struct file_at *a)
{
	const unsigned char *h = a->head;

	if (fstat(fd, &a->sb) || !S_ISREG(a->sb.st_mode))
		return !file_error(e, path, "not a regular file");
	if (explicit_fmt != UF_AUTO)
		a->fmt = explicit_fmt;
	else if (pre_first(e->parser) && !strcmp(pre_first(e->parser)->path, path))
		a->fmt = UF_CLAUDE; /* detected a moment ago, when it was read ahead */
	else
		a->fmt = detect(path, fd, a->sb.st_size);
	if (a->sb.st_size == 0) {
		e->st->skipped_files++;
		if (e->o->report)
			e->o->report(e->o->ctx, 1, path, 0, "empty file");
		return 1;
	}
	a->headn = pread(fd, a->head, HEAD, 0);
	if (a->headn < 0)
		return !file_error(e, path, "cannot read: %s", strerror(errno));
	if (a->headn >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF)))
		return !file_error(e, path, "UTF-16 text: convert it to UTF-8 with iconv");
	if (a->fmt < 0)
		return !file_error(e, path, "cannot tell the format; use --format");
	return 0;
}

static int64_t mtime_ns(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* Where to read a file read before (its stored row in e->file): a->start
   and the source's line and state; 1 when it is unchanged and fully read. */
static int resume_point(struct engine *e, const char *path, struct file_at *a)
{
	struct lc_usage_file *f = e->file;
	struct usage_src *s = e->src;
	char hex[65];
	int same = f->dev == (int64_t)a->sb.st_dev && f->inode == (int64_t)a->sb.st_ino &&
		   a->sb.st_size >= f->size && f->head_len <= a->headn &&
		   !strcmp(f->head_hash, sha256_hex(a->head, (size_t)f->head_len, hex)) &&
		   !strcmp(f->format, usage_format_name(a->fmt));

	/* a database is always read whole: new rows may sit in its -wal file */
	if (a->sqlite) {
	} else if (same && a->sb.st_size == f->size && f->offset == f->size &&
		   f->mtime_ns == mtime_ns(&a->sb)) {
		return 1; /* unchanged and fully read */
	} else if (same && a->doc) {
		/* a document is one value: never resumed as lines from an
		   offset; read whole again, the natural keys absorb the
		   records already stored */
		e->st->rescanned++;
		if (e->o->report)
			e->o->report(e->o->ctx, 1, path, 0,
				     "JSON document changed; reading it again whole");
	} else if (same) {
		a->start = f->offset;
		s->line = f->line;
		if (a->fmt == UF_CODEX)
			usage_codex_load(&s->codex, f->state);
		/* unchanged since the run that deferred its last line */
		if (a->sb.st_size == f->size && f->mtime_ns == mtime_ns(&a->sb))
			e->tail_ok = 1;
	} else {
		e->st->rescanned++;
		if (e->o->report)
			e->o->report(e->o->ctx, 1, path, 0,
				     "file was truncated or replaced; reading it again from the start");
	}
	return 0;
}

/* The file's new identity in its row (e->file), and the engine set for it. */
static void file_row(struct engine *e, const struct file_at *a)
{
	struct lc_usage_file *f = e->file;

	if (a->start == 0)
		f->state[0] = '\0';
	LC_COPY(f->format, usage_format_name(a->fmt));
	f->dev = (int64_t)a->sb.st_dev;
	f->inode = (int64_t)a->sb.st_ino;
	f->size = a->sb.st_size;
	f->mtime_ns = mtime_ns(&a->sb);
	f->head_len = a->headn;
	sha256_hex(a->head, (size_t)a->headn, f->head_hash);
	e->st->files++;
	e->last_key[0] = '\0';
	/* CSV, logs.db and JSON documents can fail as a whole after records
	   were stored (a bad header, an unreadable table): their work sits in a
	   savepoint.  JSON Lines never need one (a read error keeps the lines
	   before it, with their resume point), and savepoints are not free:
	   SQLite copies every page first changed under one to a sub-journal. */
	e->want_sp = a->fmt == UF_CSV || a->sqlite || a->doc;
}

/* The reader of the file's format, from a->start. */
static int read_format(struct engine *e, int fd, const struct file_at *a, struct lc_err *err)
{
	if (a->fmt == UF_CSV)
		return read_csv(e, fd, a->start, a->sb.st_size, err);
	if (a->fmt == UF_LLM)
		return usage_llm_file(e->src, err);
	if (a->sqlite && a->fmt == UF_OPENCODE)
		return usage_opencode_db(e->src, err);
	if (a->doc)
		return read_document(e, fd, a->sb.st_size, err);
	if (a->fmt == UF_CODEX || !e->o->threads)
		return read_lines(e, fd, a->start, a->sb.st_size, err);
	return pipe_lines(e, fd, a->start, a->sb.st_size, err);
}

/* A failure that ends the run: the transaction is rolled back. */
static int run_failed(struct engine *e)
{
	db_rollback(e->db);
	e->in_tx = e->in_sp = e->want_sp = 0;
	return -1;
}

/* The reader failed: a data problem in the file is a file error (the run
   goes on) unless --strict; anything else ends the run. */
static int read_failed(struct engine *e, const char *path, struct lc_err *err)
{
	struct lc_err lerr = *err;

	if (err->code != LC_EDATA || e->o->strict)
		return run_failed(e);
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
		if (checkpoint(e, e->file->offset, e->src->line, 0, err))
			return run_failed(e);
	}
	return file_named_error(e, path, lerr.msg);
}

/* ingest_file() on the open file fd. */
static int ingest_fd(struct engine *e, const char *path, int fd, int explicit_fmt,
		     struct lc_err *err)
{
	struct lc_usage_file *f = e->file;
	struct usage_src *s = e->src;
	struct file_at a = { .start = 0 };
	int rc;

	if (examine(e, path, fd, explicit_fmt, &a))
		return 0;
	if ((rc = db_usage_file_get(e->db, path, f, err)) < 0)
		return -1;
	memset(s, 0, sizeof(*s));
	s->path = f->path;
	s->format = a.fmt;
	s->project = e->o->project;
	s->engine = e;
	path_names(s);
	/* logs.db is read as a database whatever its first bytes say (it
	   says why not); OpenCode's format is a database when it is one */
	a.sqlite = a.fmt == UF_LLM ||
		   (a.fmt == UF_OPENCODE && a.headn >= 16 && !memcmp(a.head, "SQLite format 3", 16));
	a.doc = !a.sqlite && is_document(a.fmt, fd, a.sb.st_size, a.head, a.headn);
	e->tail_ok = quiet(&a.sb);
	if (rc == 1 && resume_point(e, path, &a)) {
		e->st->files++;
		return 0;
	}
	file_row(e, &a);
	if (ensure_tx(e, err))
		return -1;
	/* the row first, so records can name it; at the old resume point */
	f->offset = a.start;
	f->line = s->line;
	if (db_usage_file_put(e->db, f, err))
		return run_failed(e);
	if (read_format(e, fd, &a, err))
		return read_failed(e, path, err);
	if (a.sqlite ? checkpoint(e, a.sb.st_size, 0, 0, err)
			    : checkpoint(e, a.doc ? a.sb.st_size : f->offset, s->line, 0, err))
		return run_failed(e);
	/* this file's work is done: keep it */
	if (e->in_sp && db_savepoint_release(e->db, err))
		return run_failed(e);
	e->in_sp = e->want_sp = 0;
	return 0;
}

int ingest_file(struct engine *e, const char *path, int explicit_fmt, struct lc_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc;

	if (fd < 0)
		return file_error(e, path, "cannot open: %s", strerror(errno));
	rc = ingest_fd(e, path, fd, explicit_fmt, err);
	close(fd);
	return rc;
}

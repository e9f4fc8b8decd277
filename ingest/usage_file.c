/*
 * usage_file.c - the usage engine's handling of one file (see usage.c):
 * format detection, source names, resume point, the reader for its format.
 */
#include "usage_engine.h"

/* ---- files ---- */

int detect(const char *path, int fd, int64_t size)
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
void path_names(struct usage_src *s)
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

int ingest_file(struct engine *e, const char *path, int explicit_fmt, struct lc_err *err)
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

/*
 * usage_lines.c - the usage engine's JSON Lines reader (see usage.c): one
 * complete line at a time, bad lines reported, commits every chunk.
 */
#include "usage_engine.h"

/* 1 when text has a \u0000 escape (an odd run of backslashes before "u0000"). */
int escaped_nul(const char *p, size_t n)
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
	case UF_GEMINI_CLI:
		return usage_gemini_cli(e->src, v, err);
	case UF_QWEN:
		return usage_qwen(e->src, v, err);
	case UF_OPENCODE:
		return usage_opencode(e->src, v, err);
	case UF_AMP:
		return usage_amp(e->src, v, err);
	case UF_COPILOT:
		return usage_copilot(e->src, v, err);
	default:
		return lc_errf(err, LC_ERUNTIME, "internal: no JSON parser for this format");
	}
}

/* A line the user must hear about; -1 only with --strict. */
int bad_line(struct engine *e, int64_t line, const char *msg, struct lc_err *err)
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
int json_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The records of a parsed line or document (an array: of each element). */
int json_root(struct engine *e, const cJSON *root, struct lc_err *err)
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
int json_complete(const char *p, size_t n)
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
int maybe_commit(struct engine *e, int64_t offset, struct lc_err *err)
{
	int64_t chunk = e->chunk;

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
void count_block(struct engine *e, int64_t got)
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
int tail_complete(struct engine *e, const char *p, size_t n)
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
int read_lines(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err)
{
	struct usage_src *s = e->src;
	char *buf = xmalloc(BLOCK), *lb = NULL;
	size_t llen = 0, lcap = 0;
	int64_t pos = start; /* offset of buf[0] */
	int64_t done = start; /* end of the last complete line */
	int too_long = 0, rc = 0;

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
						nb = xrealloc(lb, nc);
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

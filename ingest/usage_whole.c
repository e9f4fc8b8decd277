/*
 * usage_whole.c - the usage engine's readers of whole JSON documents (an
 * array or an object, not lines) and of CSV files (see usage.c).
 */
#include "usage_engine.h"

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
int read_document(struct engine *e, int fd, int64_t size, struct lc_err *err)
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
	buf = xmalloc((size_t)size + 1);
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
	char *buf = xmalloc((size_t)size + 1);
	int r = 0;

	if (buf && pread(fd, buf, (size_t)size, 0) == (ssize_t)size && !memchr(buf, '\0', (size_t)size))
		r = json_complete(buf, (size_t)size);
	free(buf);
	return r;
}

/*
 * 1 when a file of a response format (openai, anthropic, gemini) or an
 * agent's document format (gemini-cli, opencode, amp) is one
 * JSON document rather than JSON Lines, judged on its head: an array, or an
 * object whose "{" stands alone on the first line (a pretty-printed page);
 * or an object whose first line is not a whole value, when the whole file
 * is one.  The head is part of the file's identity, so a file keeps its
 * kind.
 */
int is_document(int fmt, int fd, int64_t size, const unsigned char *head, int64_t headn)
{
	int64_t i = 0;

	if (fmt != UF_OPENAI && fmt != UF_ANTHROPIC && fmt != UF_GEMINI && fmt != UF_GEMINI_CLI &&
	    fmt != UF_OPENCODE && fmt != UF_AMP)
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

int read_csv(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err)
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

/*
 * usage_walk.c - the usage engine's walk (see usage.c): which files are
 * read, each once, and the entry points usage_ingest_path() and
 * usage_ingest_defaults().
 */
#include "usage_engine.h"

/* ---- finding files ---- */

static int wanted(const char *name, int fmt)
{
	size_t n = strlen(name);
	static const char *const ext[] = { ".jsonl", ".json", ".csv", ".db", ".sqlite" };

	if (name[0] == '.')
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		size_t k = strlen(ext[i]);

		if (n <= k || strcmp(name + n - k, ext[i]))
			continue;
		if (fmt == UF_AUTO)
			return 1;
		if (fmt == UF_CSV)
			return i == 2;
		if (fmt == UF_LLM)
			return i >= 3;
		if (fmt == UF_OPENCODE) /* its message files and its store */
			return i != 2;
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
	uint64_t id[2] = { (uint64_t)sb->st_dev, (uint64_t)sb->st_ino };
	uint64_t h = lc_hash_bytes(LC_HASH_SEED, id, sizeof(id));
	struct lc_hidx_it it;

	for (size_t i = lc_hidx_first(&e->seenidx, h, &it); i != LC_HIDX_END;
	     i = lc_hidx_next(&e->seenidx, &it))
		if (same_fid(&e->seen[i], sb))
			return 1;
	if (e->nseen == e->capseen) {
		size_t cap = e->capseen ? 2 * e->capseen : 1024;
		struct fid *t = xrealloc(e->seen, cap * sizeof(*t));

		e->seen = t;
		e->capseen = cap;
	}
	if (lc_hidx_add(&e->seenidx, h, e->nseen))
		return -1;
	e->seen[e->nseen].dev = sb->st_dev;
	e->seen[e->nseen].ino = sb->st_ino;
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
	for (size_t i = 0; e->nstore && i < ARRAY_SIZE(sfx); i++) {
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
	const char *p = db_path(e->cat);

	for (size_t i = 0; p && *p && i < ARRAY_SIZE(sfx); i++) {
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
	struct usage_src *src = xcalloc(1, sizeof(*src));
	struct lc_usage_file *file = xcalloc(1, sizeof(*file));
	int rc = 0;

	e.cache = xcalloc(RCACHE, sizeof(*e.cache));
	e.db = db_usage_writer(db, err), e.cat = db;
	e.team = db_is_team(db);
	e.chunk = o->chunk > 0 ? o->chunk : e.team ? USAGE_TEAM_CHUNK : USAGE_CHUNK;
	e.o = o, e.st = st, e.src = src, e.file = file;
	store_ids(&e);
	if (!e.db || db_usage_ingest_mode(e.db, 1, err)) {
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
			db_rollback(e.db);
		else if (commit_tx(&e, err))
			rc = -1;
	}
	drop_pre(&e);
	parser_stop(e.parser);
	/* the team store may still be sending the last commit: wait for it */
	if (e.db && db_usage_push_wait(e.db, rc ? NULL : err))
		rc = -1;
	else if (e.db)
		count_pushed(&e);
	if (e.db && db_usage_ingest_mode(e.db, 0, rc ? NULL : err))
		rc = -1;
	unp_free(&e);
	free(src), free(file), free(e.cache), free(e.seen), lc_hidx_release(&e.seenidx);
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

		LC_COPY(list, ccd);
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
		n = usage_agents_defaults(db, o, st, err);
		return n < 0 ? -1 : found + n;
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
	if ((n = usage_agents_defaults(db, o, st, err)) < 0)
		return -1;
	return found + n;
}

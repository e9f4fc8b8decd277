/*
 * usage_thread.c - the usage engine's parse thread (see usage.c and the
 * comment below): JSON Lines parsed on a second thread, replayed in order.
 */
#include "usage_engine.h"

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
		d->spill = xmalloc(np + ns);
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

int ev_push(struct engine *e, int type, int64_t line, int64_t n, const void *payload)
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
		LC_COPY(ev->u.msg, (const char *)payload);
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
int ev_mark_eol(struct parser *p, int64_t offset)
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
	struct parser *p = xcalloc(1, sizeof(*p));

	if (!p || !(p->ring = xcalloc(RING, sizeof(*p->ring)))) {
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

void parser_stop(struct parser *p)
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
	LC_COPY(j->path, src->path);
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
struct pjob *pre_first(struct parser *p)
{
	return p && p->npre ? &p->job[(p->issued - p->npre) % NJOB] : NULL;
}

/* Forget the files read ahead, if any (oldest first, as they were issued). */
void drop_pre(struct engine *e)
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
int pipe_lines(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err)
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

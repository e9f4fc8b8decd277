/*
 * usage_engine.h - internal to the usage-log ingest engine (ingest/usage*.c;
 * see usage.c for its design): the engine's state and the functions its
 * files share.  Nothing outside ingest/usage.c, usage_lines.c,
 * usage_thread.c, usage_whole.c, usage_file.c and usage_walk.c includes it.
 */
#ifndef LC_INGEST_USAGE_ENGINE_H
#define LC_INGEST_USAGE_ENGINE_H

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
#include "hash.h"
#include "jscan.h"
#include "sha256.h"

#define BLOCK (1 << 20)
#define HEAD 4096
#define DOC_MAX (64 << 20) /* largest JSON document (not JSONL) read whole */
#define RCACHE 1024
#define MAX_DEPTH 128 /* folder levels below a PATH; deeper ones are named and skipped */
#define TAIL_QUIET 60 /* seconds without a change after which a last line is complete */

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
	struct lc_db *db;          /* where records and resume points go (db_usage_writer) */
	struct lc_db *cat;         /* the store whose catalogue resolves model names */
	int64_t chunk;             /* records per transaction */
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
	struct fid *seen;          /* in the order met */
	size_t nseen, capseen;
	struct lc_hidx seenidx;    /* seen by (dev, inode) */
	struct fid up[MAX_DEPTH + 2];
	/* the store itself and its -wal, -shm and -journal: never read */
	struct fid store[4];
	int nstore;
	/* the team store's unpriced new records, noted once the server says
	   they were new (count_pushed): the commits sent, oldest first, then
	   the one being filled (unp[nunp - 1]) */
	int team;
	struct unp_chunk *unp;
	int nunp;
};

struct unp_chunk {
	struct unp_note {
		char key[LC_KEY_MAX];
		char name[LC_ID_MAX];
		char reason[64];
	} *v;
	int n, cap;
};
void unp_free(struct engine *e);

enum { EV_REC, EV_BAD, EV_WARN, EV_LINE, EV_BLOCK, EV_END };
int detect(const char *path, int fd, int64_t size);
void path_names(struct usage_src *s);
int ev_push(struct engine *e, int type, int64_t line, int64_t n, const void *payload);
int ev_mark_eol(struct parser *p, int64_t offset);

/* the parse thread's state (usage_thread.c) */
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

/* functions shared between the engine's files */
/* usage.c */
int quiet(const struct stat *sb);
void report(struct engine *e, int warning, int64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int store(struct engine *e, struct usage_src *s, struct lc_usage_rec *r,
		 struct lc_err *err);
int ensure_tx(struct engine *e, struct lc_err *err);
void count_pushed(struct engine *e);
int commit_tx(struct engine *e, struct lc_err *err);
int checkpoint(struct engine *e, int64_t offset, int64_t line, int commit,
		      struct lc_err *err);
/* usage_lines.c */
int escaped_nul(const char *p, size_t n);
int bad_line(struct engine *e, int64_t line, const char *msg, struct lc_err *err);
int json_blank(char c);
int json_root(struct engine *e, const cJSON *root, struct lc_err *err);
int json_complete(const char *p, size_t n);
int maybe_commit(struct engine *e, int64_t offset, struct lc_err *err);
void count_block(struct engine *e, int64_t got);
int tail_complete(struct engine *e, const char *p, size_t n);
int read_lines(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err);
/* usage_thread.c */
void parser_stop(struct parser *p);
struct pjob *pre_first(struct parser *p);
void drop_pre(struct engine *e);
int pipe_lines(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err);
/* usage_whole.c */
int read_document(struct engine *e, int fd, int64_t size, struct lc_err *err);
int is_document(int fmt, int fd, int64_t size, const unsigned char *head, int64_t headn);
int read_csv(struct engine *e, int fd, int64_t start, int64_t end, struct lc_err *err);
/* usage_file.c */
int file_error(struct engine *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ingest_file(struct engine *e, const char *path, int explicit_fmt, struct lc_err *err);

#endif

/*
 * usage.h - usage logs -> normalised records (lib/db_usage.h's
 * struct lc_usage_rec) in the store.
 *
 * usage.c is the engine (with usage_lines.c, usage_thread.c, usage_whole.c,
 * usage_file.c and usage_walk.c; see usage_engine.h): it finds files,
 * detects their format, streams them line by line with a line-length cap,
 * resumes each at its stored offset, commits in chunks with the resume
 * point in the same transaction, resolves model names, and counts what
 * happened.  One file per format turns a parsed line (or CSV row, or
 * logs.db row) into records and calls usage_emit().
 */
#ifndef LC_INGEST_USAGE_H
#define LC_INGEST_USAGE_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "db.h"
#include "db_usage.h"
#include "err.h"

enum usage_format {
	UF_AUTO,
	UF_CLAUDE,
	UF_CODEX,
	UF_OPENAI,
	UF_ANTHROPIC,
	UF_GEMINI,
	UF_LLM,
	UF_CSV,
	UF_GEMINI_CLI, /* the coding agents (ingest/usage_<agent>.c) */
	UF_QWEN,
	UF_OPENCODE,
	UF_AMP,
	UF_COPILOT,
	UF_LAST = UF_COPILOT,
};

#define USAGE_LINE_MAX (16 << 20) /* longest line read; longer ones are rejected */
#define USAGE_CHUNK 300000        /* records per transaction */
/* the team store's: each commit is sent whole (its rows are formatted in
   memory first), so smaller ones keep the memory down */
#define USAGE_TEAM_CHUNK 50000

/* Names as used by --format and stored in usage_files.format. */
const char *usage_format_name(int f);
/* The format named s, or -1. */
int usage_format_parse(const char *s);

struct usage_stats {
	int64_t files, skipped_files, file_errors, rescanned;
	int64_t accepted, replaced, duplicates, rejected, deferred, warnings;
	int64_t lines;
	int64_t unpriced;
	int64_t bytes;
	/* distinct unpriced names (first ones) with their record counts */
	struct {
		char name[LC_ID_MAX];
		char reason[64];
		int64_t n;
	} unp[32];
	int nunp;
};

struct usage_opts {
	int format;           /* enum usage_format; UF_AUTO detects per file */
	const char *project;  /* overrides the project of every record */
	const char *user;     /* who produced the records (lc_user_identity); NULL: "" */
	int strict;           /* stop at the first bad line */
	int64_t chunk;        /* records per transaction; 0 = USAGE_CHUNK */
	int threads;          /* 1: parse JSON Lines on a second thread while storing */
	/* Called for every rejected line (line 0: about the whole file; -1:
	   about the whole file, in a message that names the file itself) and
	   every warning; the command prints (the engine never does). */
	void (*report)(void *ctx, int warning, const char *path, int64_t line, const char *msg);
	/* Called now and then while reading (for a progress line). */
	void (*progress)(void *ctx, const struct usage_stats *st, const char *path);
	void *ctx;
};

/*
 * Ingest a file or a folder (recursively: *.jsonl, *.json, *.csv, *.db).
 * Returns 0, or -1 with err on a failure that stops the run (database
 * errors; with strict, a bad line: LC_EDATA).  File-level problems (missing,
 * unreadable, not a regular file, UTF-16) are reported, counted in
 * st->file_errors, and the run goes on.
 */
int usage_ingest_path(struct lc_db *db, const char *path, const struct usage_opts *o,
		      struct usage_stats *st, struct lc_err *err);

/*
 * The default locations: Claude Code (CLAUDE_CONFIG_DIR as a comma list, else
 * ~/.claude/projects and ~/.config/claude/projects) and Codex
 * (${CODEX_HOME:-~/.codex}/sessions, then archived_sessions).  Missing
 * folders are skipped.  Returns the number of folders found or -1.
 */
int usage_ingest_defaults(struct lc_db *db, const struct usage_opts *o, struct usage_stats *st,
			  struct lc_err *err);

/* ---- for the per-format parsers ---- */

struct codex_state {
	int have_total;
	int64_t total[5]; /* input, cached, output, reasoning, total */
	char model[LC_ID_MAX];
	char session[LC_NAME_MAX];
	char cwd[LC_NAME_MAX];
};

struct usage_src {
	const char *path;
	int format;
	const char *project;               /* --project, else NULL */
	char path_project[LC_NAME_MAX];    /* fallback project from the path */
	char path_session[LC_NAME_MAX];    /* fallback session from the path */
	int64_t line;                      /* current line (1-based) */
	const char *text;                  /* current line's bytes (for row hashes) */
	size_t text_len;
	struct codex_state codex;          /* Codex: carried across lines and runs */
	int state_dirty;
	void *engine;
	/* without an engine (tests): records go to sink, warnings are counted */
	int (*sink)(void *ctx, const struct lc_usage_rec *r);
	void *sink_ctx;
	int warned;
};

/*
 * Hand a record to the engine (it fills format, file and line, resolves the
 * model, stores it).  r->model_raw "" means "model unknown".  Returns 0 or -1
 * (a database error; stop).
 */
int usage_emit(struct usage_src *s, struct lc_usage_rec *r, struct lc_err *err);
/* A record rejected outside the line reader (a logs.db row), counted and reported. */
void usage_reject(struct usage_src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note about the current line that does not reject it. */
void usage_warn(struct usage_src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Per-format parsers of one JSON value (a JSONL line or an element of a JSON
 * document).  Return the number of records emitted (0: not a usage line),
 * or -1 with err: LC_EDATA rejects the line, any other code stops the run.
 */
int usage_claude(struct usage_src *s, const cJSON *root, struct lc_err *err);
/*
 * A Claude Code line read from its text with lib/jscan.h instead of cJSON
 * (the same rules and messages as usage_claude(), except that a token count
 * must be written as an integer).  p[0..n) is the line without its '\n' and
 * without NUL bytes.  Returns what usage_claude() returns, or, before
 * storing anything: USAGE_NOT_JSON when the text is not one JSON value (the
 * caller lets cJSON name the error), USAGE_TRAILING when text other than
 * blanks follows the value, USAGE_CHECK_NUL (unless nul_checked) when an
 * escape decodes to NUL: the caller applies its \u0000 rule, then calls
 * again with nul_checked 1.
 */
int usage_claude_text(struct usage_src *s, const char *p, size_t n, int nul_checked,
		      struct lc_err *err);
#define USAGE_NOT_JSON (-2)
#define USAGE_TRAILING (-3)
#define USAGE_CHECK_NUL (-4)
int usage_codex(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_openai(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_anthropic(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_gemini(struct usage_src *s, const cJSON *root, struct lc_err *err);
/* The coding agents: see the top of each ingest/usage_<agent>.c. */
int usage_gemini_cli(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_qwen(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_opencode(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_amp(struct usage_src *s, const cJSON *root, struct lc_err *err);
int usage_copilot(struct usage_src *s, const cJSON *root, struct lc_err *err);
/* OpenCode's SQLite store (opencode.db), opened read-only: each row of its
   message table through usage_opencode(); a bad row is rejected alone. */
int usage_opencode_db(struct usage_src *s, struct lc_err *err);
/*
 * The agents' detection and default folders (ingest/usage_agents.c): the
 * agent format a file's head and path show, or -1; and each agent's
 * folders (its env var, else its default under $HOME), ingested with its
 * format.  Returns the number of folders found or -1.
 */
int usage_agents_detect(const char *path, const char *head);
int usage_agents_defaults(struct lc_db *db, const struct usage_opts *o, struct usage_stats *st,
			  struct lc_err *err);

/* A Messages API `usage` object into r's buckets, tier and speed. */
int usage_anthropic_counts(struct usage_src *s, const cJSON *u, struct lc_usage_rec *r,
			   struct lc_err *err);

/* Codex resume state to and from usage_files.state. */
void usage_codex_save(const struct codex_state *c, char *out, size_t n);
void usage_codex_load(struct codex_state *c, const char *text);

/* CSV: the header is read first (header_len bytes); rows from offset on. */
struct csv;
int usage_csv_header(struct usage_src *s, struct csv *c, int *idx, struct lc_err *err);
int usage_csv_row(struct usage_src *s, struct csv *c, const int *idx, struct lc_err *err);
#define USAGE_CSV_COLS 18

/* llm logs.db: every row of responses and turns. */
int usage_llm_file(struct usage_src *s, struct lc_err *err);

/* ---- JSON helpers shared by the parsers (usage_json.c) ---- */

/*
 * A token count at key of obj: absent or null -> 0 unless required ("missing
 * \"key\""); otherwise a JSON integer from 0 to 10^12, else LC_EDATA naming
 * the field.  The field name in messages is `name` (a dotted path).
 */
int uj_count(const cJSON *obj, const char *key, const char *name, int required, int64_t *out,
	     struct lc_err *err);
/* The string at key, NULL when absent or null; -1 (LC_EDATA) when of another type. */
int uj_str(const cJSON *obj, const char *key, const char *name, const char **out,
	   struct lc_err *err);
/* The object at key, or NULL. */
const cJSON *uj_obj(const cJSON *obj, const char *key);
/*
 * The API response body a logged line holds: the line itself when it has a
 * "usage" object, else its "response" or "body" member that has one; NULL.
 */
const cJSON *uj_body(const cJSON *root);
/*
 * Check a name (model, project, session) for a buffer of n bytes: 0, or -1
 * (LC_EDATA) when it is n bytes or longer (names are never cut) or has
 * invalid UTF-8 or control characters (C0, DEL, C1); the message names the
 * field `name`.
 */
int usage_name(const char *src, size_t n, const char *name, struct lc_err *err);
/* Copy a name after usage_name(); NULL src gives "". */
int uj_name(char *dst, size_t n, const char *src, const char *name, struct lc_err *err);
/*
 * Format r->key.  A key longer than LC_KEY_MAX - 1 bytes (long ids) becomes
 * "PREFIX#sha256:HEX" of the whole text (PREFIX: the text before its first
 * ':'), so distinct long ids never share a key and ids are never cut.
 * -1 (LC_ERUNTIME) only when out of memory.
 */
int usage_key(struct lc_usage_rec *r, struct lc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An RFC 3339 string, or a unix-seconds integer when allow_unix. */
int uj_time(const cJSON *v, const char *name, int allow_unix, int64_t *ms, struct lc_err *err);
/* 1 when v is JSON true. */
int uj_true(const cJSON *obj, const char *key);
/* A decimal USD amount (number) into nano-USD. */
int uj_usd(const cJSON *v, const char *name, int64_t *out, struct lc_err *err);

#endif

/*
 * fetch.h - get a price sheet's bytes: an HTTP(S) URL through libcurl, or a
 * local file.  ingest/fetch.c is the only file that includes libcurl.
 *
 * Safety rules (see README "Fetching"): HTTPS only, except plain http to
 * 127.0.0.1/localhost/[::1] or to a URL the user typed (allow_http); TLS
 * verification is never disabled; redirects are followed by hand, at most 5,
 * and only to https (or http on loopback); connect, total and low-speed
 * timeouts; the size cap is enforced while bytes arrive (compressed bodies
 * are accepted and counted after decompression); the HTTP status is checked;
 * the ETag / Last-Modified the server gave for this URL make the GET
 * conditional (304 = not modified); a 304 to an unconditional GET is asked
 * again once, then an error; no URL, redirect target or validator is ever
 * truncated (they are held in allocated strings; a URL or redirect target
 * over SHEET_URL_MAX bytes is refused);
 * 408, 429, 5xx, timeouts and connection failures are retried
 * with backoff 1, 2, 4 s (at most 4 tries), honouring Retry-After (clamped
 * to 120 s); proxies come from the environment (https_proxy, NO_PROXY, ...).
 *
 * Environment knobs, for tests and slow links:
 *   LLMCOST_FETCH_TIMEOUT    total seconds per try (default 120)
 *   LLMCOST_FETCH_MAX_BYTES  size cap in bytes (default 64 MiB)
 *   LLMCOST_RETRY_BASE_MS    first backoff in ms (default 1000), doubling
 */
#ifndef LC_FETCH_H
#define LC_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sheet.h" /* SHEET_URL_MAX */

struct fetch_opts {
	const char *url;           /* http(s)://... or a local file path */
	int allow_http;            /* 1: the user typed this URL (plain http allowed) */
	const char *etag;          /* the ETag the server gave for url, or NULL */
	const char *last_modified; /* the Last-Modified it gave for url, or NULL */
	const char *user_agent;    /* "llmcost/VERSION" */
	/* called now and then while bytes arrive (NULL: silent) */
	void (*progress)(void *ctx, int64_t got, int64_t total);
	void *progress_ctx;
	/* retries are reported here (NULL: silent) */
	void (*retrying)(void *ctx, const char *why, long wait_ms);
};

struct fetch_result {
	char *data;              /* NUL-terminated body (len bytes + '\0'); caller frees */
	size_t len;
	long status;             /* HTTP status; 0 for a local file */
	int not_modified;        /* 1 on 304 to a conditional GET (data empty) */
	int tries;
	char *etag;              /* from the response, NULL when none */
	char *last_modified;     /* from the response, NULL when none */
	char *url;               /* the URL finally read (after redirects) */
};

/* 1 when s looks like a URL (scheme://), 0 for a file path. */
int fetch_is_url(const char *s);

/*
 * Fetch o->url into *r.  Returns 0 (also on 304 to a conditional GET:
 * r->not_modified), or -1 with LC_ENET (network, HTTP status, size cap,
 * refused redirect, 304 twice to an unconditional GET) or LC_EDATA
 * (unreadable local file) in err.  r->status is set either way (0 when no
 * response); always free r with fetch_result_release (its strings are
 * allocated).
 */
int fetch_get(const struct fetch_opts *o, struct fetch_result *r, struct lc_err *err);
void fetch_result_release(struct fetch_result *r);

/* The configured cap (LLMCOST_FETCH_MAX_BYTES or 64 MiB). */
size_t fetch_max_bytes(void);

#endif

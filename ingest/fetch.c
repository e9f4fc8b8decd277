/*
 * fetch.c - the only libcurl user; see fetch.h for the rules it enforces.
 *
 * Design: redirects are followed by hand (FOLLOWLOCATION off) so each hop's
 * scheme and host are checked by the same rule as the first URL, and a
 * redirect to file:// or to plain http off loopback is refused with a clear
 * message.  The size cap lives in the write callback because libcurl 7.88's
 * MAXFILESIZE does not stop chunked or compressed bodies.  Every HTTP status
 * is checked (404/429/500 are CURLE_OK to libcurl).  URLs, redirect
 * targets and validators live in allocated strings: nothing is truncated, so
 * the URL fetched is always the URL asked for.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_BYTES ((size_t)64 << 20)
#define MAX_TRIES 4
#define MAX_REDIRECTS 5
#define RETRY_AFTER_MAX_S 120

static long env_long(const char *name, long def, long lo, long hi)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return def;
	return n;
}

size_t fetch_max_bytes(void)
{
	const char *v = getenv("LLMCOST_FETCH_MAX_BYTES");
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return DEFAULT_MAX_BYTES;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n == 0 || n > ((unsigned long long)1 << 34))
		return DEFAULT_MAX_BYTES;
	return (size_t)n;
}

int fetch_is_url(const char *s)
{
	const char *p = strstr(s, "://");

	if (!p || p == s)
		return 0;
	for (const char *q = s; q < p; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '+' ||
		      *q == '-' || *q == '.' || (q > s && *q >= '0' && *q <= '9')))
			return 0;
	return 1;
}

void fetch_result_release(struct fetch_result *r)
{
	free(r->data);
	free(r->etag);
	free(r->last_modified);
	free(r->url);
	r->data = r->etag = r->last_modified = r->url = NULL;
	r->len = 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* ---- local files ---- */

static int read_file(const char *path, size_t cap, struct fetch_result *r, struct lc_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	size_t len = 0, size;
	char *buf;

	if (fd < 0)
		return lc_errf(err, LC_EDATA, "cannot read price sheet '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return lc_errf(err, LC_EDATA, "cannot read price sheet '%s': not a regular file",
			       path);
	}
	if ((unsigned long long)st.st_size > cap) {
		close(fd);
		return lc_errf(err, LC_EDATA,
			       "price sheet '%s' is %lld bytes, over the %zu-byte cap (LLMCOST_FETCH_MAX_BYTES)",
			       path, (long long)st.st_size, cap);
	}
	size = (size_t)st.st_size;
	buf = xmalloc(size + 1);
	while (len < size) {
		ssize_t k = read(fd, buf + len, size - len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			lc_errf(err, LC_EDATA, "cannot read price sheet '%s': %s", path,
				strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	buf[len] = '\0';
	r->url = xstrdup(path);
	r->data = buf;
	r->len = len;
	return 0;
}

/* ---- URLs ---- */

/* Check scheme and host of url: 0 allowed, -1 refused (err filled). */
static int url_allowed(const char *url, int allow_http, const char *what, struct lc_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok = 0, loop = 0;

	if (strlen(url) > SHEET_URL_MAX) {
		curl_url_cleanup(u);
		return lc_errf(err, LC_ENET, "%s '%.100s...' refused: %zu bytes, over the %d-byte limit",
			       what, url, strlen(url), SHEET_URL_MAX);
	}
	if (!u)
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return lc_errf(err, LC_ENET, "%s '%s' refused: not a valid URL", what, url);
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host)
		loop = !strcasecmp(host, "127.0.0.1") || !strcasecmp(host, "localhost") ||
		       !strcmp(host, "[::1]");
	if (!strcasecmp(scheme, "https"))
		ok = 1;
	else if (!strcasecmp(scheme, "http") && (loop || allow_http))
		ok = 1;
	if (!ok)
		lc_errf(err, LC_ENET,
			"%s '%s' refused: only https (or http to 127.0.0.1/localhost) is allowed",
			what, url);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok ? 0 : -1;
}

struct xfer {
	char *buf;
	size_t len, cap, max;
	int over;
	struct fetch_result *r;
	const struct fetch_opts *o;
};

static size_t on_write(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t k = size * n;

	if (k > x->max - x->len) {
		x->over = 1;
		return 0; /* CURLE_WRITE_ERROR: stops chunked, EOF-terminated and gzip bodies */
	}
	if (x->len + k + 1 > x->cap) {
		size_t ncap = x->cap ? x->cap : 65536;
		char *b;

		while (ncap < x->len + k + 1)
			ncap *= 2;
		b = xrealloc(x->buf, ncap);
		x->buf = b;
		x->cap = ncap;
	}
	memcpy(x->buf + x->len, p, k);
	x->len += k;
	x->buf[x->len] = '\0';
	return k;
}

/* A header's value (trimmed, whole) into *out when its name matches;
   -1 when out of memory. */
static int header_value(const char *line, size_t n, const char *name, char **out)
{
	size_t k = strlen(name);
	char *v;

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return 0;
	line += k + 1;
	n -= k + 1;
	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n' || line[n - 1] == ' '))
		n--;
	v = xstrndup(line, n);
	free(*out);
	*out = n ? v : (free(v), NULL);
	return 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t k = size * n;

	if (header_value(p, k, "etag", &x->r->etag) ||
	    header_value(p, k, "last-modified", &x->r->last_modified))
		return 0; /* out of memory: CURLE_WRITE_ERROR */
	return k;
}

/* "Name: value" in a new string, or NULL when out of memory. */
static char *header_line(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *s = xmalloc(n);

	if (s)
		snprintf(s, n, "%s: %s", name, value);
	return s;
}

/* Append "Name: value" to *hdr; -1 when out of memory. */
static int add_header(struct curl_slist **hdr, const char *name, const char *value)
{
	char *line = header_line(name, value);
	struct curl_slist *l = line ? curl_slist_append(*hdr, line) : NULL;

	free(line);
	if (!l)
		return -1;
	*hdr = l;
	return 0;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ult,
		       curl_off_t uln)
{
	struct xfer *x = ud;

	if (x->o->progress)
		x->o->progress(x->o->progress_ctx, (int64_t)dlnow, (int64_t)dltotal);
	return 0;
}

#define SET(opt, val)                                                                  \
	do {                                                                           \
		if (curl_easy_setopt(c, opt, val) != CURLE_OK) {                       \
			lc_errf(err, LC_ENET, "libcurl refused option %s (too old?)", #opt); \
			goto out;                                                      \
		}                                                                      \
	} while (0)

enum outcome { DONE, REDIRECT, RETRY, UNMET, FAIL };

/* 1 when the GET carries a validator (If-None-Match / If-Modified-Since). */
static int conditional(const struct fetch_opts *o)
{
	return (o->etag && *o->etag) || (o->last_modified && *o->last_modified);
}

/*
 * One request of url.  DONE: r filled; REDIRECT: *next holds the target
 * (allocated); RETRY: transient failure, *wait_ms set; UNMET: a 304 to an
 * unconditional GET (err filled); FAIL: err filled.
 */
static enum outcome request(const struct fetch_opts *o, const char *url, int allow_http,
			    struct xfer *x, char **next, long *wait_ms, char *why, size_t whyn,
			    struct lc_err *err)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char ebuf[CURL_ERROR_SIZE] = "";
	long timeout = env_long("LLMCOST_FETCH_TIMEOUT", 120, 1, 3600), status = 0;
	enum outcome res = FAIL;
	CURLcode rc;
	int loop_http = 0;

	if (!c) {
		lc_errf(err, LC_ERUNTIME, "cannot start libcurl");
		return FAIL;
	}
	if (!strncasecmp(url, "http:", 5))
		loop_http = 1;
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PROTOCOLS_STR, loop_http ? "http,https" : "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, ebuf);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	SET(CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "llmcost");
	SET(CURLOPT_CONNECTTIMEOUT, timeout < 15 ? timeout : 15L);
	SET(CURLOPT_TIMEOUT, timeout);
	SET(CURLOPT_LOW_SPEED_LIMIT, 1024L);
	SET(CURLOPT_LOW_SPEED_TIME, timeout < 30 ? timeout : 30L);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_FAILONERROR, 0L);
	SET(CURLOPT_WRITEFUNCTION, on_write);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, x);
	if (o->progress) {
		SET(CURLOPT_NOPROGRESS, 0L);
		SET(CURLOPT_XFERINFOFUNCTION, on_progress);
		SET(CURLOPT_XFERINFODATA, x);
	}
	/* the server's own validators for this URL, sent back verbatim */
	if ((o->etag && *o->etag && add_header(&hdr, "If-None-Match", o->etag)) ||
	    (o->last_modified && *o->last_modified &&
	     add_header(&hdr, "If-Modified-Since", o->last_modified))) {
		lc_errf(err, LC_ERUNTIME, "out of memory");
		goto out;
	}
	if (hdr)
		SET(CURLOPT_HTTPHEADER, hdr);

	x->len = 0;
	x->over = 0;
	free(x->r->etag);
	free(x->r->last_modified);
	x->r->etag = x->r->last_modified = NULL;
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	x->r->status = status;
	if (x->over) {
		lc_errf(err, LC_ENET,
			"price sheet '%s' is over the %zu-byte cap (LLMCOST_FETCH_MAX_BYTES); discarded",
			url, x->max);
		goto out;
	}
	if (rc == CURLE_FILESIZE_EXCEEDED) {
		lc_errf(err, LC_ENET,
			"price sheet '%s' is over the %zu-byte cap (LLMCOST_FETCH_MAX_BYTES); discarded",
			url, x->max);
		goto out;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR) {
		lc_strlcpy(why, ebuf[0] ? ebuf : curl_easy_strerror(rc), whyn);
		lc_errf(err, LC_ENET, "cannot fetch '%s': %s", url, why);
		*wait_ms = 0;
		res = RETRY;
		goto out;
	}
	if (rc == CURLE_PARTIAL_FILE) {
		lc_errf(err, LC_ENET, "price sheet '%s' is truncated (%zu bytes received); discarded",
			url, x->len);
		goto out;
	}
	if (rc != CURLE_OK) {
		lc_errf(err, LC_ENET, "cannot fetch '%s': %s (curl error %d)", url,
			ebuf[0] ? ebuf : curl_easy_strerror(rc), (int)rc);
		goto out;
	}
	if (status == 200) {
		res = DONE;
	} else if (status == 304 && conditional(o)) {
		x->r->not_modified = 1;
		x->len = 0;
		res = DONE;
	} else if (status == 304) {
		/* "not modified" since nothing: no sheet to keep */
		lc_errf(err, LC_ENET,
			"price sheet '%s': HTTP 304 (not modified) to a request that asked for the "
			"whole sheet; nothing changed",
			url);
		res = UNMET;
	} else if (status == 301 || status == 302 || status == 303 || status == 307 ||
		   status == 308) {
		char *loc = NULL;

		curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
		if (!loc || !*loc) {
			lc_errf(err, LC_ENET, "price sheet '%s': HTTP %ld without a Location", url,
				status);
			goto out;
		}
		*next = xstrdup(loc);
		res = REDIRECT;
	} else if (status == 408 || status == 429 || status == 500 || status == 502 ||
		   status == 503 || status == 504) {
		curl_off_t ra = -1;

		if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			*wait_ms = (long)(ra > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : ra) * 1000;
		else
			*wait_ms = 0;
		snprintf(why, whyn, "HTTP %ld", status);
		lc_errf(err, LC_ENET, "price sheet '%s': HTTP %ld", url, status);
		res = RETRY;
	} else {
		lc_errf(err, LC_ENET, "price sheet '%s': HTTP %ld", url, status);
	}
	(void)allow_http;
out:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return res;
}

/*
 * One try: o->url and its redirects.  DONE with *final (allocated) the URL
 * read; otherwise what request() said about the last hop.
 */
static enum outcome follow(const struct fetch_opts *o, struct xfer *x, char **final,
			   long *wait_ms, char *why, size_t whyn, struct lc_err *err)
{
	char *url = xstrdup(o->url), *next = NULL;
	enum outcome res;
	int hops = 0;

	for (;;) {
		res = request(o, url, o->allow_http, x, &next, wait_ms, why, whyn, err);
		if (res != REDIRECT)
			break;
		if (++hops > MAX_REDIRECTS) {
			lc_errf(err, LC_ENET, "price sheet '%s': more than %d redirects", o->url,
				MAX_REDIRECTS);
			res = FAIL;
			break;
		}
		/* a redirect is never trusted like a typed URL */
		if (url_allowed(next, 0, "redirect to", err)) {
			res = FAIL;
			break;
		}
		free(url);
		url = next;
		next = NULL;
	}
	free(next);
	if (res == DONE)
		*final = url;
	else
		free(url);
	return res;
}

int fetch_get(const struct fetch_opts *o, struct fetch_result *r, struct lc_err *err)
{
	static int inited;
	struct xfer x = { 0 };
	long base = env_long("LLMCOST_RETRY_BASE_MS", 1000, 0, 60000);
	char why[CURL_ERROR_SIZE + 32];
	int unmet = 0;

	memset(r, 0, sizeof(*r));
	if (!fetch_is_url(o->url))
		return read_file(o->url, fetch_max_bytes(), r, err);
	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return lc_errf(err, LC_ENET, "cannot initialise libcurl");
		inited = 1;
	}
	if (url_allowed(o->url, o->allow_http, "URL", err))
		return -1;
	x.max = fetch_max_bytes();
	x.r = r;
	x.o = o;
	for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
		long wait_ms = 0;
		enum outcome res;
		char *final = NULL;

		r->tries = attempt;
		res = follow(o, &x, &final, &wait_ms, why, sizeof(why), err);
		if (res == DONE) {
			r->url = final;
			if (!x.buf)
				x.buf = xcalloc(1, 1);
			r->data = x.buf;
			r->len = x.len;
			r->data[r->len] = '\0';
			return 0;
		}
		if (res == UNMET && !unmet++) {
			/* a 304 with nothing asked: ask once more, then give up */
			attempt--;
			continue;
		}
		if (res == UNMET) {
			lc_errf(err, LC_ENET,
				"price sheet '%s': HTTP 304 (not modified) twice to a request for the "
				"whole sheet; nothing to read, nothing changed",
				o->url);
			break;
		}
		if (res == FAIL)
			break;
		if (attempt == MAX_TRIES) {
			lc_err_prefix(err, "after %d tries: ", MAX_TRIES);
			break;
		}
		{
			long backoff = base << (attempt - 1);

			if (wait_ms < backoff)
				wait_ms = backoff;
			if (wait_ms > RETRY_AFTER_MAX_S * 1000L)
				wait_ms = RETRY_AFTER_MAX_S * 1000L;
			if (o->retrying)
				o->retrying(o->progress_ctx, why, wait_ms);
			sleep_ms(wait_ms);
		}
	}
	free(x.buf);
	r->data = NULL;
	return -1;
}

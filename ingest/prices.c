/*
 * prices.c - the price-sheet pipeline: fetch, parse, validate, write (see
 * prices.h).  Shared by `llmcost ingest prices` (one sheet) and `llmcost
 * update` (every source), so both have exactly the same validation,
 * conditional requests and rollback.
 */
#include "prices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fetch.h"
#include "sha256.h"
#include "sheet_parse.h"

static const struct prices_named named[] = {
	{ "openrouter", "openrouter", "https://openrouter.ai/api/v1/models", 50 },
	{ "litellm", "litellm",
	  "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
	  40 },
	{ "genai-prices", "genai-prices",
	  "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
	  20 },
	{ "llm-prices", "llm-prices", "https://www.llm-prices.com/historical-v1.json", 30 },
};

const struct prices_named *prices_named_all(size_t *n)
{
	*n = ARRAY_SIZE(named);
	return named;
}

const struct prices_named *prices_named_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(named); i++)
		if (!strcmp(name, named[i].name))
			return &named[i];
	return NULL;
}

int prices_job_resolve(struct prices_job *job, const char *what, const char *url,
		       const char *format, const char *name, struct lc_err *err)
{
	const struct prices_named *nm = prices_named_find(what);
	int typed;

	if (format && !sheet_format_known(format))
		return lc_errf(err, LC_EUSAGE,
			       "unknown format '%s' (want openrouter, litellm, genai-prices, llm-prices or csv)",
			       format);
	if (nm) {
		typed = url != NULL;
		if (!url)
			url = nm->url;
		if (!format)
			format = nm->format;
		if (!name)
			name = nm->name;
	} else {
		if (url)
			return lc_errf(err, LC_EUSAGE,
				       "--url goes with a named source; give the URL as SOURCE");
		url = what;
		typed = 1;
	}
	if (strlen(url) > SHEET_URL_MAX)
		return lc_errf(err, LC_EUSAGE, "%s: a URL of %zu bytes is over the %d-byte limit",
			       nm ? "--url" : "SOURCE", strlen(url), SHEET_URL_MAX);
	if (name && (!*name || strlen(name) >= sizeof(((struct prices_outcome *)0)->source)))
		return lc_errf(err, LC_EUSAGE, "--name: want 1 to %zu characters",
			       sizeof(((struct prices_outcome *)0)->source) - 1);
	job->url = url;
	job->format = format;
	job->source = name;
	job->allow_http = typed;
	return 0;
}

int prices_format_priority(const char *fmt)
{
	if (!strcmp(fmt, "csv"))
		return 10;
	for (size_t i = 0; i < ARRAY_SIZE(named); i++)
		if (!strcmp(named[i].format, fmt))
			return named[i].priority;
	return 60;
}

void prices_outcome_release(struct prices_outcome *out)
{
	if (out->have_sheet)
		sheet_release(&out->sheet);
	out->have_sheet = 0;
}

/* Log a fetch that changed nothing ("error: ...", "rejected: ...") for a
   source the store knows; its own failure is not the one to report. */
static void log_failure(struct lc_db *db, const struct sheet_ingest_opts *io, const char *what,
			const struct lc_err *err)
{
	struct lc_err e2 = { 0 };
	char result[300];

	snprintf(result, sizeof(result), "%s: %.280s", what, err->msg);
	db_sheet_record(db, io, result, &e2);
}

int prices_ingest(struct lc_db *db, const struct prices_job *job, struct prices_outcome *out,
		  struct lc_err *err)
{
	const char *url = job->url, *format = job->format, *name = job->source;
	struct sheet_ingest_opts *io = &out->io;
	struct db_source prev;
	struct fetch_opts fo = { 0 };
	struct fetch_result fr;
	char *vetag = NULL, *vlm = NULL; /* the server's validators for url */
	int r, conditional = 0;

	memset(out, 0, sizeof(*out));
	memset(&prev, 0, sizeof(prev));
	ts_format(out->fetched_at, sizeof(out->fetched_at), lc_now());
	date_format(out->today, sizeof(out->today), lc_today());
	if (!name && format)
		name = format; /* the source it will be stored as */
	/* conditional only on what the server said for this very URL, and only
	   while the source still holds the sheet that came with it */
	if (name && !job->force && fetch_is_url(url)) {
		if (db_source_get(db, name, &prev, err) < 0 ||
		    (r = db_fetch_validators(db, name, url, &vetag, &vlm, err)) < 0)
			return -1;
		conditional = r == 1 && (vetag || vlm);
	}
	LC_COPY(out->last_fetch, prev.last_fetch);

	fo.url = url;
	fo.allow_http = job->allow_http;
	fo.user_agent = job->user_agent;
	fo.etag = vetag;
	fo.last_modified = vlm;
	fo.progress_ctx = (void *)url;
	fo.retrying = job->retrying;
	if (fetch_is_url(url))
		fo.progress = job->progress;
	r = fetch_get(&fo, &fr, err);
	free(vetag);
	free(vlm);

	io->url = url;
	io->fetched_at = out->fetched_at;
	io->today = out->today;
	io->force = job->force;
	if (r == 0 && fr.not_modified && !conditional) {
		/* fetch_get only reports a 304 to a conditional GET; never trust
		   one that would leave a source without a sheet */
		lc_errf(err, LC_ENET, "price sheet '%s': HTTP 304 to an unconditional request", url);
		r = -1;
	}
	if (r) {
		/* nothing to parse; log the failure when the source is known (its
		   stored url, format and validators are left as they are) */
		if (name && err->code == LC_ENET) {
			io->source = name;
			io->format = format ? format : "unknown";
			io->http_status = fr.status;
			log_failure(db, io, "error", err);
		}
		fetch_result_release(&fr);
		return -1;
	}
	io->http_status = fr.status;
	io->etag = fr.etag;
	io->last_modified = fr.last_modified;
	io->bytes = fr.len;
	if (fr.not_modified) {
		LC_COPY(out->source, name);
		LC_COPY(out->format, format ? format : prev.format);
		io->source = out->source;
		io->format = out->format;
		io->etag = io->last_modified = NULL; /* the stored validators stay */
		r = db_sheet_record(db, io, "not-modified", err);
		fetch_result_release(&fr);
		out->not_modified = 1;
		return r ? -1 : 0;
	}
	if (!format && !(format = sheet_detect(fr.data, fr.len, url))) {
		fetch_result_release(&fr);
		return lc_errf(err, LC_EDATA,
			       "cannot tell the format of price sheet '%s'; give --format", url);
	}
	if (!name)
		name = format;
	LC_COPY(out->source, name);
	LC_COPY(out->format, format);
	sha256_hex(fr.data, fr.len, out->sha256);
	io->source = out->source;
	io->format = out->format;
	io->sha256 = out->sha256;
	io->priority = job->have_priority ? job->priority : prices_format_priority(format);

	sheet_init(&out->sheet, format);
	out->have_sheet = 1;
	r = sheet_parse(format, fr.data, fr.len, url, &out->sheet, err);
	free(fr.data); /* the body; its validators go on to the store */
	fr.data = NULL;
	if (r == 0)
		r = db_sheet_ingest(db, &out->sheet, io, &out->rep, err);
	fetch_result_release(&fr);
	io->etag = io->last_modified = NULL;
	if (r && err->code == LC_EDATA) {
		struct lc_err e2 = { 0 };

		if (db_source_get(db, name, &prev, &e2) == 1)
			log_failure(db, io, "rejected", err);
	}
	return r ? -1 : 0;
}

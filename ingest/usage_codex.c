/*
 * usage_codex.c - OpenAI Codex CLI session logs
 * (${CODEX_HOME:-~/.codex}/sessions/YYYY/MM/DD/rollout-*.jsonl).
 *
 * session_meta gives the session and cwd, turn_context the model, and each
 * event_msg/token_count one turn: info.last_token_usage when present, else
 * total_token_usage minus the previous total of the same file (the running
 * totals are part of the file's resume state).  input_tokens includes the
 * cached tokens and output_tokens the reasoning ones.  Forked sessions
 * replay history with the same timestamps, so the natural key is the
 * timestamp, model and token tuple, across files.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"

static const char *const fields[5] = { "input_tokens", "cached_input_tokens", "output_tokens",
				       "reasoning_output_tokens", "total_tokens" };

void usage_codex_save(const struct codex_state *c, char *out, size_t n)
{
	snprintf(out, n, "codex1\t%d\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64
			 "\t%s\t%s\t%s",
		 c->have_total, c->total[0], c->total[1], c->total[2], c->total[3], c->total[4],
		 c->model, c->session, c->cwd);
}

void usage_codex_load(struct codex_state *c, const char *text)
{
	char buf[LC_STATE_MAX], *f[10];
	int n = 0;

	memset(c, 0, sizeof(*c));
	LC_COPY(buf, text);
	for (char *p = buf, *t; n < 10 && (t = strsep(&p, "\t")) != NULL;)
		f[n++] = t;
	if (n != 10 || strcmp(f[0], "codex1"))
		return;
	c->have_total = atoi(f[1]);
	for (int i = 0; i < 5; i++)
		c->total[i] = strtoll(f[2 + i], NULL, 10);
	LC_COPY(c->model, f[7]);
	LC_COPY(c->session, f[8]);
	LC_COPY(c->cwd, f[9]);
}

static int read_usage(const cJSON *u, const char *name, int64_t v[5], struct lc_err *err)
{
	char fname[96];

	for (int i = 0; i < 5; i++) {
		snprintf(fname, sizeof(fname), "%s.%s", name, fields[i]);
		if (uj_count(u, fields[i], fname, i == 0 || i == 2, &v[i], err))
			return -1;
	}
	return 0;
}

int usage_codex(struct usage_src *s, const cJSON *root, struct lc_err *err)
{
	struct codex_state *c = &s->codex;
	const cJSON *p = uj_obj(root, "payload"), *info, *last, *tot;
	const char *type = NULL, *ptype = NULL, *model = NULL, *v;
	struct lc_usage_rec r;
	int64_t d[5], t[5];

	if (!p || uj_str(root, "type", "type", &type, err) ||
	    uj_str(p, "type", "payload.type", &ptype, err))
		return p ? -1 : 0;
	if (!type)
		return 0;
	if (!strcmp(type, "session_meta")) {
		if (uj_str(p, "id", "payload.id", &v, err) ||
		    uj_name(c->session, sizeof(c->session), v, "payload.id", err) ||
		    uj_str(p, "cwd", "payload.cwd", &v, err) ||
		    uj_name(c->cwd, sizeof(c->cwd), v, "payload.cwd", err))
			return -1;
		return 0;
	}
	if (!strcmp(type, "turn_context")) {
		if (uj_str(p, "model", "payload.model", &v, err) ||
		    (v && uj_name(c->model, sizeof(c->model), v, "payload.model", err)) ||
		    uj_str(p, "cwd", "payload.cwd", &v, err) ||
		    (v && uj_name(c->cwd, sizeof(c->cwd), v, "payload.cwd", err)))
			return -1;
		return 0;
	}
	if (strcmp(type, "event_msg") || !ptype || strcmp(ptype, "token_count"))
		return 0;
	info = uj_obj(p, "info");
	if (!info)
		return 0; /* info: null - a rate-limit update only */
	last = uj_obj(info, "last_token_usage");
	tot = uj_obj(info, "total_token_usage");
	if (!last && !tot)
		return 0;
	if (tot && read_usage(tot, "info.total_token_usage", t, err))
		return -1;
	if (last) {
		if (read_usage(last, "info.last_token_usage", d, err))
			return -1;
	} else {
		for (int i = 0; i < 5; i++)
			d[i] = c->have_total && t[i] >= c->total[i] ? t[i] - c->total[i] : t[i];
	}
	if (tot) {
		memcpy(c->total, t, sizeof(t));
		c->have_total = 1;
	}
	if (d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	if (uj_str(p, "model", "payload.model", &model, err) ||
	    (!model && uj_str(info, "model", "info.model", &model, err)))
		return -1;
	if (!model && c->model[0])
		model = c->model;
	if (uj_time(cJSON_GetObjectItemCaseSensitive(root, "timestamp"), "timestamp", 0, &r.ts_ms,
		    err))
		return -1;
	if (d[1] > d[0])
		return lc_errf(err, LC_EDATA, "cached_input_tokens (%lld) exceed input_tokens (%lld)",
			       (long long)d[1], (long long)d[0]);
	if (d[3] > d[2])
		return lc_errf(err, LC_EDATA,
			       "reasoning_output_tokens (%lld) exceed output_tokens (%lld)",
			       (long long)d[3], (long long)d[2]);
	r.input = d[0] - d[1];
	r.cache_read = d[1];
	r.output = d[2];
	r.reasoning = d[3];
	r.requests = 1;
	if (uj_name(r.model_raw, sizeof(r.model_raw), model, "model", err))
		return -1;
	LC_COPY(r.session, c->session[0] ? c->session : s->path_session);
	LC_COPY(r.project, c->cwd);
	snprintf(r.key, sizeof(r.key), "codex:%lld|%s|%lld|%lld|%lld|%lld", (long long)r.ts_ms,
		 r.model_raw, (long long)d[0], (long long)d[1], (long long)d[2], (long long)d[3]);
	s->state_dirty = 1;
	return usage_emit(s, &r, err) ? -1 : 1;
}

/*
 * estimate_store.c - see estimate_store.h.  Moved from cmd/estimate.c (the
 * estimator's store adapters belong beside the estimator; cmd/ only fills
 * the options and prints).  The function bodies are unchanged but for
 * reading the options from struct est_store instead of the command's args.
 */
#include "estimate_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Quality scores (arena_elo) of one date, read in one query, looked up by model. */
static int score_add(void *ctx, const char *model, const char *score)
{
	struct scores *s = ctx;

	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 128;
		struct score *nv = realloc(s->v, nc * sizeof(*nv));

		if (!nv) {
			s->failed = 1;
			return 1;
		}
		s->v = nv;
		s->cap = nc;
	}
	snprintf(s->v[s->n].model, sizeof(s->v[s->n].model), "%s", model);
	snprintf(s->v[s->n].score, sizeof(s->v[s->n].score), "%s", score);
	s->n++;
	return 0;
}

static int score_cmp(const void *a, const void *b)
{
	return strcmp(((const struct score *)a)->model, ((const struct score *)b)->model);
}

/* Quality score of model on date ("" when none); 1 found, 0 none, -1 error. */
static int quality(struct scores *s, const char *model, const char *date, char out[32],
		   struct lc_err *err)
{
	struct score key, *hit;

	out[0] = '\0';
	if (strcmp(s->date, date)) {
		s->n = 0;
		if (db_quality_all(s->db, "arena_elo", date, score_add, s, err) < 0)
			return -1;
		if (s->failed)
			return lc_errf(err, LC_ERUNTIME, "out of memory");
		/* sorted here too: SQLite's order and strcmp's agree, but be sure */
		qsort(s->v, s->n, sizeof(*s->v), score_cmp);
		snprintf(s->date, sizeof(s->date), "%s", date);
	}
	snprintf(key.model, sizeof(key.model), "%s", model);
	hit = s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v), score_cmp) : NULL;
	if (!hit)
		return 0;
	snprintf(out, 32, "%s", hit->score);
	return 1;
}

/* ---- offerings: every model, or the ones named ---- */

static int src_offerings(void *vctx, const char *date, lc_est_visit_fn visit, void *vis,
			 struct lc_err *err)
{
	struct est_store *s = vctx;
	struct lc_offering *of;
	struct lc_model m;

	if (s->nnames == 0) {
		int rc = db_offerings_any_mode_at(s->db, date, s->provider, s->source,
					 (!s->all_hosts && !s->provider ? DB_OFFER_DEFAULT_HOSTS : 0) |
						 (s->include_retired ? DB_OFFER_RETIRED : 0),
					 visit, vis, err);
		return rc < 0 ? -1 : 0;
	}
	of = malloc(sizeof(*of));
	if (!of)
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	for (int i = 0; i < s->nnames; i++) {
		struct lc_resolved res;
		int r;

		if (db_resolve(s->db, s->names[i], date, &res, err)) {
			if (!s->strict && err->reason == LC_R_UNKNOWN_NAME) {
				*err = (struct lc_err){ 0 };
				continue; /* a name not yet known on an early date */
			}
			goto fail;
		}
		if (db_model_get(s->db, res.model, &m, err) < 0)
			goto fail;
		r = db_offering_at(s->db, res.model, res.host, date, s->source, of, err);
		if (r < 0)
			goto fail;
		if (r == 0) {
			if (!s->strict)
				continue;
			lc_errf(err, LC_EDATA, "no price for '%s' at %s on %s%s%s (see `llmcost price %s --history`)",
				res.model, res.host, date, s->source ? " from source " : "",
				s->source ? s->source : "", s->names[i]);
			goto fail;
		}
		if (s->label_by_name)
			snprintf(of->model, sizeof(of->model), "%s", s->names[i]);
		if (visit(vis, &m, of))
			break;
	}
	free(of);
	return 0;
fail:
	free(of);
	return -1;
}

static int src_quality(void *vctx, const char *model, const char *date, char out[32],
		       struct lc_err *err)
{
	struct est_store *s = vctx;
	struct lc_resolved res;

	if (s->label_by_name) {
		/* the line is labelled by the typed name: score the model it means then */
		if (db_resolve(s->db, model, date, &res, err))
			return -1;
		model = res.model;
	}
	return quality(&s->scores, model, date, out, err);
}

void est_store_init(struct est_store *s, struct lc_db *db, const struct est_store_opts *o,
		    char **names, int nnames, int label_by_name, int strict)
{
	memset(s, 0, sizeof(*s));
	s->db = db;
	s->provider = o->provider;
	s->source = o->source;
	s->all_hosts = o->all_hosts;
	s->include_retired = o->include_retired;
	s->names = names;
	s->nnames = nnames;
	s->label_by_name = label_by_name;
	s->strict = strict;
	s->scores.db = db;
	s->src.offerings = src_offerings;
	s->src.quality = src_quality;
	s->src.ctx = s;
	s->src.strict = strict;
}

void est_store_release(struct est_store *s)
{
	free(s->scores.v);
	s->scores.v = NULL;
	s->scores.n = s->scores.cap = 0;
}

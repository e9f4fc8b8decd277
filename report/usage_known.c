/*
 * usage_known.c - a project (a model, a user) someone names, checked
 * against those the stored usage has (see usage_known.h).  The names come
 * from db_usage_projects() (db_usage_models(), db_usage_users()); a near
 * miss is found by edit distance on the name as a user types it (the whole
 * name and, but for a user, its last folder), so a typo of a folder name
 * finds the folder whatever path Claude Code or an agent stored around it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_usage.h"
#include "usage_known.h"

#define NEAR_MAX 3  /* "did you mean" names */
#define LIST_MAX 5  /* known names listed when none is near */

struct near {
	int dist;
	char name[LC_NAME_MAX];
};

enum { K_PROJECT, K_MODEL, K_USER };

struct scan {
	int model;      /* models and users: matched whole; projects: also by last folders */
	int user;       /* users: no last folder either */
	const char *want;
	size_t wlen;
	int found, total, cap;
	struct near near[NEAR_MAX];
	int nnear;
	char list[LIST_MAX][LC_NAME_MAX];
	int nlist;
};

int usage_name_distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b);
	int *row, best, d;

	if ((la > lb ? la - lb : lb - la) > (size_t)cap)
		return cap + 1;
	row = xcalloc(lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);

			d = diag + !same;
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			diag = up;
			if (d < best)
				best = d;
		}
		if (best > cap) {
			free(row);
			return cap + 1;
		}
	}
	d = row[lb];
	free(row);
	return d > cap ? cap + 1 : d;
}

static int matches(const char *project, const char *want, size_t k)
{
	size_t n = strlen(project);

	if (!strcmp(project, want))
		return 1;
	return n > k && project[n - k - 1] == '/' && !strcmp(project + n - k, want);
}

/* Keep name among the nearest (by distance, then name). */
static void keep_near(struct scan *s, const char *name, int dist)
{
	int i = s->nnear;

	for (int k = 0; k < s->nnear; k++)
		if (!strcmp(s->near[k].name, name))
			return;
	if (i == NEAR_MAX) {
		if (dist >= s->near[NEAR_MAX - 1].dist)
			return;
		i--;
	} else {
		s->nnear++;
	}
	while (i > 0 && s->near[i - 1].dist > dist) {
		s->near[i] = s->near[i - 1];
		i--;
	}
	s->near[i].dist = dist;
	lc_strlcpy(s->near[i].name, name, sizeof(s->near[i].name));
}

static int one(void *ctx, const char *project)
{
	struct scan *s = ctx;
	const char *last = strrchr(project, '/');
	const char *forms[2] = { project, last && last[1] && !s->user ? last + 1 : NULL };

	s->total++;
	if (s->model ? !strcmp(project, s->want) : matches(project, s->want, s->wlen)) {
		s->found = 1;
		return 1;
	}
	/* the name the user would type: the last folder of a path */
	if (s->nlist < LIST_MAX)
		lc_strlcpy(s->list[s->nlist++], forms[1] ? forms[1] : project, LC_NAME_MAX);
	for (int f = 0; f < 2; f++) {
		int d;

		if (!forms[f])
			continue;
		d = usage_name_distance(s->want, forms[f], s->cap);
		if (d > 1 && s->wlen >= 2 && strlen(forms[f]) > s->wlen) {
			/* a typo in the start of a longer name (a model without
			   its date): the distance to that start, plus one */
			char head[LC_NAME_MAX];
			int dh;

			lc_strlcpy(head, forms[f], s->wlen + 1);
			dh = usage_name_distance(s->want, head, s->cap) + 1;
			d = dh < d ? dh : d;
		}
		if (d <= s->cap)
			keep_near(s, forms[f], d);
	}
	return 0;
}

static void join(char *hint, size_t n, const char *head, char (*names)[LC_NAME_MAX],
		 size_t stride, int k, const char *sep_last, const char *tail)
{
	size_t at;

	at = (size_t)snprintf(hint, n, "%s", head);
	for (int i = 0; i < k && at < n; i++) {
		const char *name = (const char *)names + (size_t)i * stride;

		at += (size_t)snprintf(hint + at, n - at, "%s'%s'",
				       i == 0 ? "" : i == k - 1 ? sep_last : ", ", name);
	}
	if (at < n)
		snprintf(hint + at, n - at, "%s", tail);
}

/* usage_project_known(), usage_model_known() and usage_user_known(): kind
   (K_*) names the list. */
static int known(struct lc_db *db, int kind, const char *want, char *hint, size_t n,
		 struct lc_err *err)
{
	static const char *const what[] = { "project", "model", "user" };
	static const char *const head[] = { "known projects: ", "models with usage: ",
					    "users with usage: " };
	struct scan *s = xcalloc(1, sizeof(*s));
	int rc;

	s->model = kind != K_PROJECT;
	s->user = kind == K_USER;
	s->want = want;
	s->wlen = strlen(want);
	s->cap = s->wlen / 3 > 2 ? (int)(s->wlen / 3) : 2;
	rc = kind == K_MODEL  ? db_usage_models(db, one, s, err)
	     : kind == K_USER ? db_usage_users(db, one, s, err)
			      : db_usage_projects(db, one, s, err);
	if (rc < 0) {
		free(s);
		return -1;
	}
	rc = s->found;
	if (rc || !n) {
	} else if (s->total == 0) {
		snprintf(hint, n, "the store holds no usage with a %s yet", what[kind]);
	} else if (s->nnear > 0) {
		join(hint, n, "did you mean ", (char (*)[LC_NAME_MAX])s->near[0].name,
		     sizeof(s->near[0]), s->nnear, " or ", "?");
	} else {
		char tail[96];

		snprintf(tail, sizeof(tail), s->total > LIST_MAX ? ", ... (%d in all)" : "",
			 s->total);
		join(hint, n, head[kind], s->list, sizeof(s->list[0]), s->nlist, ", ", tail);
	}
	free(s);
	return rc;
}

int usage_project_known(struct lc_db *db, const char *want, char *hint, size_t n,
			struct lc_err *err)
{
	return known(db, K_PROJECT, want, hint, n, err);
}

int usage_model_known(struct lc_db *db, const char *want, char *hint, size_t n,
		      struct lc_err *err)
{
	return known(db, K_MODEL, want, hint, n, err);
}

int usage_user_known(struct lc_db *db, const char *want, char *hint, size_t n,
		     struct lc_err *err)
{
	return known(db, K_USER, want, hint, n, err);
}

/*
 * usage_price.c - see usage_price.h.  Moved out of report/usage_report.c
 * so that the report layer does not include pricing/ (layer rule: report/
 * and pricing/ both sit on lib/ only; cmd/ wires them together).
 */
#include "usage_price.h"

#include <string.h>

void usage_of_row(const struct lc_usage_row *u, struct lc_usage *cu)
{
	memset(cu, 0, sizeof(*cu));
	cu->input = u->input;
	cu->cache_read = u->cache_read;
	cu->cache_write_5m = u->cache_write_5m;
	cu->cache_write_1h = u->cache_write_1h;
	cu->output = u->output;
	cu->reasoning = u->reasoning;
	cu->requests = u->requests;
	cu->web_searches = u->web_searches;
	cu->audio_input = u->audio_input;
	cu->audio_output = u->audio_output;
	cu->image_tokens = u->image_input;
	cu->other_tokens = u->other_tokens;
	cu->batch = !strcmp(u->service_tier, "batch");
	if (u->pclass > 0)
		cu->tier_prompt = lc_pclass_ladder[u->pclass - 1] + 1;
	else if (u->pclass == 0)
		cu->tier_prompt = 1;
	else
		cu->tier_prompt = u->tier_prompt;
}

int usage_row_price(const struct lc_offering *o, const struct lc_usage_row *u, lc_i128 *cost,
		    const char **why)
{
	struct lc_usage cu;

	*why = NULL;
	usage_of_row(u, &cu);
	if (!u->detail && !cost_additive(o, &cu))
		return DB_USAGE_PARTS;
	/* exact in 128 bits: a rollup row of many records costs what they do
	   one by one, however large (cost.h, cost_total) */
	if (cost_total(o, &cu, cost, NULL)) {
		if (!u->detail)
			return DB_USAGE_PARTS; /* the parts name the reason */
		*why = cost_unpriceable(o, &cu);
		return 0;
	}
	return 1;
}

int usage_row_parts(const struct lc_offering *o, const struct lc_usage_row *u,
		    struct lc_cost_parts *p)
{
	struct lc_usage cu;

	usage_of_row(u, &cu);
	return cost_parts(o, &cu, p, NULL) == 0;
}

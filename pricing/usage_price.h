/*
 * usage_price.h - the cost of one stored usage row (lib/db_usage.h) on an
 * offering: the row's counts become a struct lc_usage and are priced by
 * the rules of cost.h.  This is the function cmd/ hands to the usage
 * report (report/usage_report.h, usage_price_fn): the report aggregates
 * and never sees the billing rules, so report/ does not depend on pricing/.
 */
#ifndef LC_USAGE_PRICE_H
#define LC_USAGE_PRICE_H

#include "cost.h"
#include "db_usage.h"
#include "money.h"
#include "price.h"

/* The usage of row u as cost.h counts it into *cu (tier_prompt from the
   row's context class, or its own prompt size on a single record). */
void usage_of_row(const struct lc_usage_row *u, struct lc_usage *cu);

/*
 * The cost of row u on offering o into *cost, exactly (cost_total).
 * Returns 1 priced; 0 when it cannot be priced, *why then a short constant
 * reason ("no audio input price", ...) or NULL; DB_USAGE_PARTS when u is a
 * usage_totals row (!u->detail) whose cost is not the exact sum of its
 * usage_rollup parts' costs (cost_additive), or cannot be priced as a
 * whole: price the parts one by one (they name the reason).
 */
int usage_row_price(const struct lc_offering *o, const struct lc_usage_row *u, lc_i128 *cost,
		    const char **why);

/* Row u on offering o component by component (cost_parts, for usage
   --explain): 1 priced, 0 not. */
int usage_row_parts(const struct lc_offering *o, const struct lc_usage_row *u,
		    struct lc_cost_parts *p);

#endif

/*
 * html.h - the self-contained HTML report (`llmcost report html`): one page
 * with inline CSS, in the order a reader wants it: the headline numbers
 * (the price at the quality bar then and now, the factor, the cheapest
 * model at the bar, the data's date); when the store holds usage, the spend
 * chart and its table; the collapse and frontier charts as inline SVG
 * (drawn by gnuplot's svg terminal) with their tables; the Pareto chart
 * (price against quality) of the --to date with its frontier's models; the
 * price table of the --to date.  Responsive (tables scroll in their own container, long
 * ones are folded) and dark through prefers-color-scheme.  No scripts, no
 * external references.
 */
#ifndef LC_HTML_H
#define LC_HTML_H

#include "collapse.h"
#include "db.h"
#include "err.h"
#include "usage_report.h"

/*
 * Draw the charts and write the page to `out_path` (a temporary file next
 * to it, renamed into place when complete).  Returns 0 or -1 with err
 * (LC_ERUNTIME for gnuplot or I/O failures, LC_EDB for the store).  price
 * prices the usage section's rows (see usage_report.h, usage_price_fn).
 */
int html_report(struct lc_db *db, const struct collapse *c, const char *out_path,
		usage_price_fn price, struct lc_err *err);

#endif

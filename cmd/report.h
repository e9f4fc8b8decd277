/*
 * report.h - options shared by `llmcost report` and `llmcost plot`
 * (cmd/report.c): the period, blend and quality bar of the collapse report.
 */
#ifndef LC_CMD_REPORT_H
#define LC_CMD_REPORT_H

#include "cmd.h"
#include "collapse.h"

enum {
	REPORT_OPT_FROM = 1200,
	REPORT_OPT_TO,
	REPORT_OPT_BLEND,
	REPORT_OPT_MIN_QUALITY,
	REPORT_OPT_BENCHMARK,
	REPORT_OPT_SOURCE,
	REPORT_OPT_INCLUDE_RETIRED,
	REPORT_OPT_SNAPSHOT,
};
#define REPORT_LONGOPTS                                                     \
	{ "from", required_argument, NULL, REPORT_OPT_FROM },                 \
	{ "to", required_argument, NULL, REPORT_OPT_TO },                     \
	{ "blend", required_argument, NULL, REPORT_OPT_BLEND },               \
	{ "min-quality", required_argument, NULL, REPORT_OPT_MIN_QUALITY },   \
	{ "benchmark", required_argument, NULL, REPORT_OPT_BENCHMARK },       \
	{ "source", required_argument, NULL, REPORT_OPT_SOURCE },             \
	{ "include-retired", no_argument, NULL, REPORT_OPT_INCLUDE_RETIRED }, \
	{ "snapshot", required_argument, NULL, REPORT_OPT_SNAPSHOT }

/* Defaults: 2023-01-01 to today, blend 3:1, bar and reference gpt-4-0314 by arena_elo. */
void report_collapse_defaults(struct collapse_opts *o);
/* Handle option c: 1 handled, 0 not ours, -1 usage error (printed). */
int report_collapse_option(struct cmd_ctx *ctx, int c, const char *arg, struct collapse_opts *o);
/* Check the options together; LC_EUSAGE (printed) or 0. */
int report_collapse_check(struct cmd_ctx *ctx, const struct collapse_opts *o);
/* `llmcost report quality` (cmd/report_quality.c). */
int report_quality(int argc, char **argv, struct cmd_ctx *ctx);
/* Parse IN:OUT; 0 or LC_EUSAGE (printed). */
int report_parse_blend(struct cmd_ctx *ctx, const char *text, int *a, int *b);

#endif

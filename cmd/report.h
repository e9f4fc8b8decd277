/*
 * report.h - options shared by `llmcost report` and `llmcost plot`
 * (cmd/report.c): the period, blend and quality bar of the collapse report.
 */
#ifndef LC_CMD_REPORT_H
#define LC_CMD_REPORT_H

#include "cmd.h"
#include "collapse.h"

/* --blend IN:OUT (an OPT_CALLBACK; o->dst the struct collapse_opts) */
int report_blend_option(struct cmd_ctx *ctx, const struct opt *o, const char *v);

/* The collapse options of `report collapse`, `report html` and `plot
   collapse|frontier`, as entries of their tables, into *o. */
#define REPORT_COLLAPSE_OPTS(o)                                                              \
	OPT_DATE("from", (o)->from, "start (default 2023-01-01)"),                            \
	OPT_DATE("to", (o)->to, "end (default today)"),                                       \
	OPT_CALLBACK("blend", (o), "IN:OUT", report_blend_option,                              \
		     "weights of the blended price (default 3:1): the price of\n"               \
		     "IN input and OUT output tokens per IN+OUT, exact, rounded\n"              \
		     "half-even once"),                                                       \
	OPT_STRING("min-quality", 0, &(o)->min_quality, "S|MODEL",                            \
		   "the quality bar: a score (e.g. 1250) or a model whose\n"                    \
		   "score is the bar (default gpt-4-0314)"),                                   \
	OPT_STRING("benchmark", 0, &(o)->benchmark, "NAME",                                   \
		   "the score used for the bar: arena_elo (default) or mmlu\n"                \
		   "(the makers' own MMLU figures, one undated set)"),                         \
	OPT_DATE("snapshot", (o)->snapshot_date,                                              \
		 "the scores of the leaderboard snapshot of DATE (the\n"                        \
		 "latest on or before it) instead of --to's"),                                  \
	OPT_STRING("source", 0, &(o)->source, "NAME",                                         \
		   "prices from one source only (default: the winning source)"),               \
	OPT_FLAG("include-retired", 0, &(o)->include_retired,                                 \
		 "also models retired (shut down) by a date; by default\n"                     \
		 "each date counts only the models available on it")

/* Defaults: 2023-01-01 to today, blend 3:1, bar and reference gpt-4-0314 by arena_elo. */
void report_collapse_defaults(struct collapse_opts *o);
/* Check the options together (and point o->snapshot at --snapshot's date
   when given); LC_EUSAGE (printed) or 0. */
int report_collapse_check(struct cmd_ctx *ctx, struct collapse_opts *o);
/* `llmcost report quality` (cmd/report_quality.c). */
int report_quality(int argc, char **argv, struct cmd_ctx *ctx);
/* Parse IN:OUT; 0 or LC_EUSAGE (printed). */
int report_parse_blend(struct cmd_ctx *ctx, const char *text, int *a, int *b);

#endif

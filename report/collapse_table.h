/*
 * collapse_table.h - the collapse report as tables (see collapse_table.c).
 * The caller frees each table with table_free; NULL when out of memory.
 */
#ifndef LC_COLLAPSE_TABLE_H
#define LC_COLLAPSE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "collapse.h"
#include "table.h"

/* text: cells for people (arrows, "12.0x"); else exact decimals, one per column. */
struct lc_table *collapse_family_table(const struct collapse *c, int text);
struct lc_table *collapse_frontier_table(const struct collapse *c, int text);

/* A score without trailing zeros: "1186.0" -> "1186". */
char *collapse_score_text(char *buf, size_t n, const char *score);

#endif

/* fuzz_usage_csv.c - the 'csv' usage-log reader; see fuzz_usage.inc. */
#define USAGE_FORMAT "csv"
#define USAGE_EXT "csv"
#include "fuzz_usage.inc"

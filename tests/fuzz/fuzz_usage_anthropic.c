/* fuzz_usage_anthropic.c - the 'anthropic' usage-log reader; see fuzz_usage.inc. */
#define USAGE_FORMAT "anthropic"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

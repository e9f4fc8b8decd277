/* fuzz_usage_openai.c - the 'openai' usage-log reader; see fuzz_usage.inc. */
#define USAGE_FORMAT "openai"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

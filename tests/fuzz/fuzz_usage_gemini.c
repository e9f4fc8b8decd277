/* fuzz_usage_gemini.c - the 'gemini' usage-log reader; see fuzz_usage.inc. */
#define USAGE_FORMAT "gemini"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

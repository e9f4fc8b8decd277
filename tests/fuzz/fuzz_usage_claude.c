/* fuzz_usage_claude.c - the 'claude-code' usage-log reader; see fuzz_usage.inc. */
#define USAGE_FORMAT "claude-code"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

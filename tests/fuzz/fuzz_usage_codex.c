/* fuzz_usage_codex.c - the 'codex' usage-log reader; see fuzz_usage.inc. */
#define USAGE_FORMAT "codex"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

/* fuzz_usage_opencode.c - the 'opencode' usage-log reader (OpenCode); see fuzz_usage.inc. */
#define USAGE_FORMAT "opencode"
#define USAGE_EXT "json"
#include "fuzz_usage.inc"

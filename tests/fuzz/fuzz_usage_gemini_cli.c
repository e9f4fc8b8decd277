/* fuzz_usage_gemini_cli.c - the 'gemini-cli' usage-log reader (Gemini CLI); see fuzz_usage.inc. */
#define USAGE_FORMAT "gemini-cli"
#define USAGE_EXT "json"
#include "fuzz_usage.inc"

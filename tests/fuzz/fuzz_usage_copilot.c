/* fuzz_usage_copilot.c - the 'copilot' usage-log reader (GitHub Copilot CLI's
   OpenTelemetry export); see fuzz_usage.inc. */
#define USAGE_FORMAT "copilot"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

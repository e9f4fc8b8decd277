/* fuzz_usage_amp.c - the 'amp' usage-log reader (Amp); see fuzz_usage.inc. */
#define USAGE_FORMAT "amp"
#define USAGE_EXT "json"
#include "fuzz_usage.inc"

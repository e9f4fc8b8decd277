/* fuzz_usage_qwen.c - the 'qwen-code' usage-log reader (Qwen Code); see fuzz_usage.inc. */
#define USAGE_FORMAT "qwen-code"
#define USAGE_EXT "jsonl"
#include "fuzz_usage.inc"

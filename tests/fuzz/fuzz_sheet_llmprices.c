/* fuzz_sheet_llmprices.c - the 'llm-prices' price-sheet parser; see fuzz_sheet.inc. */
#define SHEET_FORMAT "llm-prices"
#include "fuzz_sheet.inc"

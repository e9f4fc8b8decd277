/* fuzz_sheet_genai.c - the 'genai-prices' price-sheet parser; see fuzz_sheet.inc. */
#define SHEET_FORMAT "genai-prices"
#include "fuzz_sheet.inc"

/* fuzz_sheet_openrouter.c - the 'openrouter' price-sheet parser; see fuzz_sheet.inc. */
#define SHEET_FORMAT "openrouter"
#include "fuzz_sheet.inc"

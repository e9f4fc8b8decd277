/* fuzz_sheet_litellm.c - the 'litellm' price-sheet parser; see fuzz_sheet.inc. */
#define SHEET_FORMAT "litellm"
#include "fuzz_sheet.inc"

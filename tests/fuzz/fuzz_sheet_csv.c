/* fuzz_sheet_csv.c - the 'csv' price-sheet parser; see fuzz_sheet.inc. */
#define SHEET_FORMAT "csv"
#include "fuzz_sheet.inc"

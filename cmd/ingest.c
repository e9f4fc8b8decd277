/*
 * ingest.c - `llmcost ingest KIND ...`: dispatches to the ingesters of price
 * sheets (ingest_prices.c) and usage logs (ingest_usage.c).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct cmd_sub subs[] = {
	{ "prices", cmd_ingest_prices },
	{ "usage", cmd_ingest_usage },
	{ NULL, NULL },
};

static const struct opt help[] = {
	OPT_TEXT("usage: llmcost ingest prices SOURCE [options]\n"
		 "       llmcost ingest usage [PATH...] [options]\n"
		 "\n"
		 "Add a price sheet or usage logs to the store.  See `llmcost ingest prices\n"
		 "--help` and `llmcost ingest usage --help`.\n"),
	OPT_END(),
};

const struct cmd_subs ingest_subs = { "kind", subs, NULL, help };

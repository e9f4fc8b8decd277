/*
 * ingest.c - `llmcost ingest KIND ...`: dispatches to the ingesters of price
 * sheets (ingest_prices.c) and usage logs (ingest_usage.c).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct sub {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_ctx *ctx);
	const char *summary;
};

static const struct sub subs[] = {
	{ "prices", cmd_ingest_prices, "add a price sheet" },
	{ "usage", cmd_ingest_usage, "usage logs" },
	{ NULL, NULL, NULL },
};

const char help_ingest[] =
	"usage: llmcost ingest prices SOURCE [options]\n"
	"       llmcost ingest usage [PATH...] [options]\n"
	"\n"
	"Add a price sheet or usage logs to the store.  See `llmcost ingest prices\n"
	"--help` and `llmcost ingest usage --help`.\n";

int cmd_ingest(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(help_ingest, argc < 2 ? stderr : stdout);
		return argc < 2 ? LC_EUSAGE : 0;
	}
	for (const struct sub *s = subs; s->name; s++)
		if (!strcmp(argv[1], s->name))
			return s->fn(argc - 1, argv + 1, ctx);
	return cmd_usage(ctx, "unknown kind '%s' (want prices or usage)", argv[1]);
}

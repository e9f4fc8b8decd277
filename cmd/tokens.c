/*
 * tokens.c - `llmcost tokens [FILE...]`: the token count of each file (or
 * standard input) under every shipped tokenizer, or under the tokenizers of
 * the models named (--model) or one tokenizer (--tokenizer).  A model whose
 * tokenizer is not public is counted with the closest public one and the
 * count is labelled approximate ("~" in text, "exact": false in JSON).
 * The counting is tokenize/'s; this file reads the input and prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "date.h"
#include "escape.h"
#include "json_out.h"
#include "tokenize.h"

#define TOKENS_FILE_MAX ((size_t)1 << 30) /* 1 GiB: a prompt, not a corpus */

/* One count to print: a file under a tokenizer (for a model, or not). */
struct row {
	const char *file;
	int64_t bytes;
	const char *model;      /* NULL without --model */
	struct tok_choice c;
	int64_t tokens;
};

/* Read path ("-": standard input) whole; malloc'd into *out, NULL on error. */
static char *slurp(const char *path, size_t *len, struct lc_err *err)
{
	FILE *f = stdin;
	struct stat st;
	size_t cap = 65536, n = 0;
	char *buf;

	if (strcmp(path, "-")) {
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return lc_errf(err, LC_EDATA, "cannot read '%s': is a directory", path),
			       NULL;
		if (!(f = fopen(path, "rb")))
			return lc_errf(err, LC_EDATA, "cannot read '%s': %s", path,
				       strerror(errno)), NULL;
	}
	buf = xmalloc(cap + 1);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap)
			break;
		if (cap >= TOKENS_FILE_MAX) {
			lc_errf(err, LC_EDATA, "'%s' is too large (over 1 GiB)", path);
			break;
		}
		cap *= 2;
		buf = xrealloc(buf, cap + 1);
	}
	if (!err->code && ferror(f))
		lc_errf(err, LC_EDATA, "cannot read '%s': %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (err->code) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static void print_text(const struct row *r, size_t n, int by_model, int width)
{
	struct lc_table *t = table_new();
	const int N = TABLE_RIGHT | TABLE_NUMBER | TABLE_COUNT;

	/* too wide: bytes/4 goes first, the tokenizer last; the count stays */
	table_col(t, "file", "file", TABLE_KEY);
	if (by_model)
		table_col(t, "model", "model", TABLE_KEY);
	table_col(t, "tokenizer", "tokenizer", TABLE_DROP(3));
	table_col(t, "tokens", "tokens", N | TABLE_ANSWER);
	table_col(t, "bytes", "bytes", N | TABLE_DROP(2));
	table_col(t, "bytes/4", "bytes4", N | TABLE_DROP(1));
	char b[64];

	for (size_t i = 0; i < n; i++) {
		table_cell(t, r[i].file);
		if (by_model)
			table_cell(t, r[i].model);
		table_cell(t, r[i].c.tokenizer);
		if (r[i].c.exact)
			table_cellf(t, "%lld", (long long)r[i].tokens);
		else /* not a plain number: grouped here, shown as it is */
			table_cellf(t, "~%s", money_format_count(b, sizeof(b), r[i].tokens));
		table_cellf(t, "%lld", (long long)r[i].bytes);
		table_cellf(t, "%lld", (long long)((r[i].bytes + 3) / 4));
	}
	table_print(t, stdout, LC_FMT_TEXT, width);
	table_free(t);
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < i && (r[j].c.exact || strcmp(r[j].model, r[i].model)))
			j++;
		if (!r[i].c.exact && j == i)
			esc_printf(stdout, "~ %s: approximate, counted with %s in place of %s\n",
				   r[i].model, r[i].c.tokenizer, r[i].c.why);
	}
}

static void print_json(const struct row *r, size_t n)
{
	struct json_out j;

	json_init(&j, stdout);
	json_begin_array(&j);
	json_layout(&j, "\n  ", ",\n  ", "\n");
	for (size_t i = 0; i < n; i++) {
		json_begin_object(&j);
		json_key(&j, "file");
		json_str(&j, r[i].file);
		if (r[i].model) {
			json_key(&j, "model");
			json_str(&j, r[i].model);
		}
		json_key(&j, "tokenizer");
		json_str(&j, r[i].c.tokenizer);
		json_key(&j, "tokens");
		json_int(&j, r[i].tokens);
		json_key(&j, "exact");
		json_bool(&j, r[i].c.exact);
		json_key(&j, "approximates");
		json_str(&j, r[i].c.exact ? NULL : r[i].c.why);
		json_key(&j, "bytes");
		json_int(&j, r[i].bytes);
		json_end(&j);
	}
	json_end(&j);
	fputc('\n', stdout);
}

/* The choices to count with: one per --model, the --tokenizer, or every tokenizer. */
static int choices(struct cmd_ctx *ctx, const struct opt_strings *models, const char *tokname,
		   struct tok_choice *c, const char **mname, size_t *nc, int *code)
{
	struct lc_err err = { 0 };
	char today[11];
	struct lc_db *db;

	*nc = 0;
	if (tokname) {
		if (!tok_get(tokname, &err))
			return *code = cmd_fail(&err), -1;
		c[0] = (struct tok_choice){ tok_name(tok_get(tokname, &err)), 1, NULL };
		mname[(*nc)++] = NULL;
		return 0;
	}
	if (!models->n) {
		for (const char *const *n = tok_names(); *n; n++) {
			mname[*nc] = NULL;
			c[(*nc)++] = (struct tok_choice){ *n, 1, NULL };
		}
		return 0;
	}
	if (!(db = cmd_db(ctx, code)))
		return -1;
	date_format(today, sizeof(today), lc_today());
	for (size_t i = 0; i < models->n; i++) {
		struct lc_resolved res;
		struct lc_model m;

		if (db_resolve(db, models->v[i], today, &res, &err) ||
		    db_model_get(db, res.model, &m, &err) < 0) {
			while (*nc)
				free((char *)mname[--*nc]);
			return *code = cmd_fail(&err), -1;
		}
		c[*nc] = tok_for_model(m.id, m.maker);
		mname[(*nc)++] = xstrdup(m.id);
	}
	return 0;
}

int cmd_tokens(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct opt_strings models = { 0 };
	const char *tokname = NULL;
	const struct opt opts[] = {
		OPT_TEXT("usage: llmcost tokens [options] [FILE...]\n"
			 "\n"
			 "Count the tokens of each FILE (standard input when none, or for \"-\")\n"
			 "under every shipped tokenizer, or as the models named count them.\n"
			 "Exact for the public tokenizers: cl100k_base (GPT-4, GPT-3.5),\n"
			 "o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series, gpt-oss), llama3\n"
			 "(Llama 3.x), qwen3 (Qwen 2, 2.5, 3, QwQ), deepseek_v3 (DeepSeek V3,\n"
			 "R1), gemma3 (Gemma 3), tekken (Mistral NeMo).  Other models (Claude,\n"
			 "Gemini, other Mistral models, ...) are counted with the closest public\n"
			 "tokenizer and marked approximate (~).  Invalid UTF-8 counts as U+FFFD,\n"
			 "one per bad sequence; special tokens count as text.\n"
			 "\n"
			 "options:\n"),
		OPT_STRINGS("model", &models, "MODEL",
			    "count with MODEL's tokenizer (repeatable)"),
		OPT_STRING("tokenizer", 0, &tokname, "NAME",
			   "count with one tokenizer: cl100k_base, o200k_base,\n"
			   "llama3, qwen3, deepseek_v3, gemma3 or tekken"),
		OPT_FORMAT("json", &ctx->fmt, LC_FMT_JSON,
			   "a JSON list: file, model (with --model), tokenizer,\n"
			   "tokens, exact (false: an approximation), approximates\n"
			   "(whose tokenizer it stands in for), bytes"),
		OPT_END(),
	};
	struct tok_choice c[64];
	const char *mname[64];
	struct row *rows;
	size_t nc = 0, nrows = 0, nfiles;
	int code = 0;
	char *stdin_arg[] = { "-" };
	char **files;

	if ((argc = opt_parse(ctx, argc, argv, opts, &code)) < 0)
		return code;
	if (ctx->fmt == LC_FMT_CSV || ctx->fmt == LC_FMT_MD)
		return cmd_usage(ctx, "tokens prints text or --json");
	if (tokname && models.n)
		return opt_strings_release(&models),
		       cmd_usage(ctx, "--model and --tokenizer both choose the tokenizer; give one");
	if (models.n > ARRAY_SIZE(c))
		return opt_strings_release(&models), cmd_usage(ctx, "at most 64 --model");
	if (choices(ctx, &models, tokname, c, mname, &nc, &code)) {
		opt_strings_release(&models);
		return code;
	}
	files = argc > 1 ? argv + 1 : stdin_arg;
	nfiles = argc > 1 ? (size_t)argc - 1 : 1;
	rows = xcalloc(nfiles * nc, sizeof(*rows));
	for (size_t f = 0; f < nfiles && !code; f++) {
		struct lc_err err = { 0 };
		size_t len;
		char *text = slurp(files[f], &len, &err);

		for (size_t i = 0; text && i < nc; i++) {
			struct tok *t = tok_get(c[i].tokenizer, &err);
			struct row *r = &rows[nrows++];

			*r = (struct row){ files[f], (int64_t)len, mname[i], c[i], 0 };
			if (!t || tok_count(t, text, len, &r->tokens, &err))
				break;
		}
		free(text);
		if (err.code)
			code = cmd_fail(&err);
	}
	if (!code && ctx->fmt == LC_FMT_JSON)
		print_json(rows, nrows);
	else if (!code)
		print_text(rows, nrows, models.n > 0, cmd_table_width(ctx));
	for (size_t i = 0; i < nc; i++)
		free((char *)mname[i]);
	free(rows);
	opt_strings_release(&models);
	return cmd_finish_output(code);
}

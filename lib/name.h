/*
 * name.h - the one normalisation of model names: the spellings people,
 * usage logs and price sheets use for one model, reduced to the forms the
 * catalogue is searched under.  Pure string work, no store; lib/db_catalog.c
 * looks the forms up (model ids, host-keyed aliases).
 *
 * What is removed or rewritten (every rule only ever produces candidates;
 * a candidate means something only when the catalogue has it exactly, or,
 * for the squashed key, when exactly one catalogue model has that key):
 *   case; surrounding blanks
 *   host prefixes        bedrock/, bedrock/converse/, azure/, azure_ai/,
 *                        vertex_ai/, openrouter/, groq/, together_ai/, ...
 *                        (set host), and Bedrock region path segments
 *   maker prefixes       models/, openai/, anthropic/, google/, meta-llama/, ...
 *   Bedrock ids          [region.]vendor.model[-vN[:M]]: regions us., eu.,
 *                        apac., global., regional., ...; vendors anthropic.,
 *                        amazon., meta., ... (host bedrock)
 *   variant suffixes     :free, :beta, :thinking, :extended, ... (OpenRouter)
 *   -latest; a trailing -NNN (Gemini's -001); dotted versions (3.5 -> 3-5)
 *   word order           a version moved after the family word and back
 *                        (OpenRouter's gemini-flash-1.5 = gemini-1.5-flash)
 *   owner/               an owner or namespace llmcost does not know
 *                        (nvidia/, microsoft/, z-ai/): the name after it, as
 *                        a squashed form only, so it meets a model only when
 *                        exactly one model has that name
 * The squashed key (name_squash) drops the separators - . _ @ / so that
 * dates (-20241022, @20241022, -2024-10-22), dots against dashes and
 * Azure's gpt-35-turbo compare equal; it never drops a letter or digit,
 * so gpt-4o and gpt-4o-mini, o1 and o1-mini, -001 and -002 stay apart.
 */
#ifndef LC_NAME_H
#define LC_NAME_H

#include <stddef.h>

#define LC_NAME_MAX 128 /* = LC_ID_MAX */
#define LC_NAME_NCAND 16

struct lc_name_forms {
	char host[LC_NAME_MAX];             /* host the name itself names, or "" */
	char base[LC_NAME_MAX];             /* the id a new model is created under */
	char v[LC_NAME_NCAND][LC_NAME_MAX]; /* candidates, most literal first */
	int n;
	char alt[4][LC_NAME_MAX];           /* reordered forms, tried squashed only */
	int nalt;
	char owned[2][LC_NAME_MAX];         /* the name after an unknown owner/ or ~,
					       tried squashed only, last */
	int nowned;
};

/* Fill f with the forms of name (any bytes; a long name is cut). */
void lc_name_forms(const char *name, struct lc_name_forms *f);

/* 1 when name's last path segment is a Bedrock regional id (us., eu., apac.,
   jp., au., ca., us-gov. + vendor: us.anthropic.claude-...), not global. */
int lc_name_bedrock_regional(const char *name);

/* out = s lowercased without - . _ @ / and blanks ("" when nothing stays). */
void lc_name_squash(const char *s, char out[LC_NAME_MAX]);

#endif

/*
 * name.c - the one normalisation of model names (see name.h).
 *
 * Design: a name is rewritten step by step (host prefix, maker prefixes,
 * Bedrock region and vendor, variant suffix, -latest, dotted versions,
 * -NNN) and every intermediate form is kept as a candidate, most literal
 * first, so an alias written in any of those forms still matches and the
 * most specific one wins.
 */
#include "name.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Prefixes naming a host: the name means that host's offering. */
static const struct {
	const char *prefix, *host;
} host_prefixes[] = {
	{ "bedrock/converse/", "bedrock" }, { "bedrock_converse/", "bedrock" },
	{ "bedrock/", "bedrock" },          { "azure_ai/", "azure" },
	{ "azure/", "azure" },              { "vertex_ai/", "vertex" },
	{ "vertex/", "vertex" },            { "groq/", "groq" },
	{ "openrouter/", "openrouter" },    { "together_ai/", "together" },
	{ "together/", "together" },        { "fireworks_ai/", "fireworks" },
	{ "fireworks/", "fireworks" },      { "deepinfra/", "deepinfra" },
};

/* Prefixes naming the maker (or a namespace): stripped, host unchanged. */
static const char *maker_prefixes[] = {
	"models/", "openai/", "anthropic/", "google/", "gemini/", "meta-llama/", "meta/",
	"mistralai/", "mistral/", "deepseek/", "deepseek-ai/", "x-ai/", "xai/", "amazon/",
	"cohere/", "qwen/", "accounts/fireworks/models/", "text-completion-openai/", "@cf/",
	"dashscope/",
};

/* Prefixes a word names the maker or a host by (anthropic-claude-3.5-sonnet,
   openai-gpt-5, databricks-claude-opus-4, amazon-nova/nova-lite-v1,
   meta-llama-3-8b-instruct, xai.grok-3): stripped, host unchanged. */
static const char *word_prefixes[] = { "anthropic-", "openai-", "databricks-", "amazon-nova/",
	"meta-llama-", "xai.", "google." };

/* Region path segments of Azure data zones and cloud regions (us/, eu/,
   global-standard/, us-east-1/, eu-west-3/, us-gov-west-1/). */
static const char *zone_prefixes[] = { "us/", "eu/", "global/", "global-standard/",
	"datazone/", "regional/" };

/* Bedrock model ids: [region.]vendor.model[-vN[:M]] */
static const char *bedrock_regions[] = { "us.", "eu.", "apac.", "global.", "regional.",
	"us-gov.", "jp.", "au.", "ca." };
static const char *bedrock_vendors[] = { "anthropic.", "meta.", "amazon.", "mistral.",
	"cohere.", "ai21.", "deepseek.", "writer.", "qwen.", "openai." };


static void add(struct lc_name_forms *f, const char *s)
{
	if (!*s || f->n >= LC_NAME_NCAND || strlen(s) >= LC_NAME_MAX)
		return;
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->v[i], s) == 0)
			return;
	LC_COPY(f->v[f->n++], s);
}

static void add_alt(struct lc_name_forms *f, const char *s)
{
	if (!*s || f->nalt >= (int)ARRAY_SIZE(f->alt) || strlen(s) >= LC_NAME_MAX)
		return;
	for (int i = 0; i < f->nalt; i++)
		if (strcmp(f->alt[i], s) == 0)
			return;
	LC_COPY(f->alt[f->nalt++], s);
}

static int starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static void drop_prefix(char *s, size_t k)
{
	memmove(s, s + k, strlen(s + k) + 1);
}

/* claude-3.5-sonnet -> claude-3-5-sonnet: '.' between digits becomes '-'. */
static void dots_to_dashes(char *s)
{
	if (!*s) /* "" (or "openrouter/" stripped to ""): s + 1 is past the end */
		return;
	for (char *p = s + 1; *p; p++)
		if (*p == '.' && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
			*p = '-';
}

/* Remove a trailing -vN or -vN:M (Bedrock) in place; 1 when removed. */
static int strip_bedrock_version(char *s)
{
	char *v = strrchr(s, '-');

	if (!v || v[1] != 'v' || !isdigit((unsigned char)v[2]))
		return 0;
	for (char *p = v + 2; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ':')
			return 0;
	*v = '\0';
	return 1;
}

/* Remove a trailing -NNN (Gemini's -001/-002) in place. */
static int strip_numeric_version(char *s)
{
	size_t n = strlen(s);

	if (n > 4 && s[n - 4] == '-' && isdigit((unsigned char)s[n - 3]) &&
	    isdigit((unsigned char)s[n - 2]) && isdigit((unsigned char)s[n - 1])) {
		s[n - 4] = '\0';
		return 1;
	}
	return 0;
}

static void strip_suffix(char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	if (n > k && strcmp(s + n - k, suf) == 0)
		s[n - k] = '\0';
}

/* Length of a cloud region path segment at s ("us-east-1/", "eu-west-3/",
   "us-gov-west-1/"), 0 when none. */
static size_t cloud_region(const char *s)
{
	size_t i = 0, dashes = 0;

	while (islower((unsigned char)s[i]) || (s[i] == '-' && i && s[i - 1] != '-')) {
		dashes += s[i] == '-';
		i++;
	}
	if (dashes < 2 || s[i - 1] != '-' || !isdigit((unsigned char)s[i]))
		return 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	return s[i] == '/' ? i + 1 : 0;
}

/* Fireworks' v3p1 / 1p5b: 'p' between digits is a dot; 1 when changed. */
static int p_to_dots(char *s)
{
	int changed = 0;

	for (char *p = s; *p; p++)
		if (p > s && *p == 'p' && isdigit((unsigned char)p[-1]) &&
		    isdigit((unsigned char)p[1])) {
			*p = '.';
			changed = 1;
		}
	return changed;
}

/* Remove a trailing -vN or -vN.M (a release word, nova-lite-v1); 1 when removed. */
static int strip_release(char *s)
{
	char *v = strrchr(s, '-');

	if (!v || v == s || v[1] != 'v' || !isdigit((unsigned char)v[2]))
		return 0;
	for (char *p = v + 2; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return 0;
	*v = '\0';
	return 1;
}

/* "1", "1.5", "3.1" (not "4o", not "8b"): a version word */
static int is_version(const char *w, size_t n)
{
	if (!n || !isdigit((unsigned char)w[0]) || !isdigit((unsigned char)w[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)w[i]) && w[i] != '.')
			return 0;
	return 1;
}

/*
 * The other word order of a family-variant-version name: the first version
 * word moved to just after the family word (gemini-flash-1.5 ->
 * gemini-1.5-flash), or, when it is there already, past the next word
 * (gemini-1.5-flash-8b -> gemini-flash-1.5-8b).
 */
static void reorder(const char *s, char out[LC_NAME_MAX])
{
	const char *w[16];
	size_t len[16], nw = 0, k;
	const char *p = s;

	out[0] = '\0';
	while (nw < ARRAY_SIZE(w)) {
		const char *d = strchr(p, '-');

		w[nw] = p;
		len[nw++] = d ? (size_t)(d - p) : strlen(p);
		if (!d)
			break;
		p = d + 1;
	}
	if (nw < 3 || strchr(p, '-'))
		return;
	for (k = 1; k < nw && !is_version(w[k], len[k]); k++)
		;
	if (k == nw || (k == 1 && is_version(w[2], len[2])))
		return;
	{
		size_t order[16], m = 0, o = 0;

		order[m++] = 0;
		if (k == 1) {
			order[m++] = 2;
			order[m++] = 1;
			for (size_t i = 3; i < nw; i++)
				order[m++] = i;
		} else {
			order[m++] = k;
			for (size_t i = 1; i < nw; i++)
				if (i != k)
					order[m++] = i;
		}
		for (size_t i = 0; i < m; i++) {
			if (o + len[order[i]] + 2 >= LC_NAME_MAX)
				return (void)(out[0] = '\0');
			if (i)
				out[o++] = '-';
			memcpy(out + o, w[order[i]], len[order[i]]);
			o += len[order[i]];
		}
		out[o] = '\0';
	}
}

void lc_name_squash(const char *s, char out[LC_NAME_MAX])
{
	size_t o = 0;

	for (; *s && o + 1 < LC_NAME_MAX; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '-' || ch == '.' || ch == '_' || ch == '@' || ch == '/' || isspace(ch))
			continue;
		out[o++] = (char)tolower(ch);
	}
	out[o] = '\0';
}

/* name, without blanks around it, lowercased into s. */
static void lower_trimmed(const char *name, char s[LC_NAME_MAX])
{
	size_t n = 0;

	while (*name && isspace((unsigned char)*name))
		name++;
	for (; name[n] && n + 1 < LC_NAME_MAX; n++)
		s[n] = (char)tolower((unsigned char)name[n]);
	s[n] = '\0';
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* A host prefix (bedrock/, vertex_ai/ ...) off s, into f->host. */
static void strip_host(struct lc_name_forms *f, char s[LC_NAME_MAX])
{
	for (size_t i = 0; i < ARRAY_SIZE(host_prefixes); i++) {
		if (!starts(s, host_prefixes[i].prefix))
			continue;
		LC_COPY(f->host, host_prefixes[i].host);
		drop_prefix(s, strlen(host_prefixes[i].prefix));
		/* bedrock/us-east-1/<id>: drop a region path segment */
		if (!strcmp(f->host, "bedrock")) {
			char *sl = strchr(s, '/');

			if (sl && !memchr(s, '.', (size_t)(sl - s)))
				drop_prefix(s, (size_t)(sl + 1 - s));
		}
		add(f, s);
		break;
	}
}

/* Maker, zone, cloud region and word prefixes off s, until none is left. */
static void strip_prefixes(char s[LC_NAME_MAX])
{
	int changed;

	do {
		size_t k;

		changed = 0;
		for (size_t i = 0; i < ARRAY_SIZE(maker_prefixes); i++)
			if (starts(s, maker_prefixes[i])) {
				drop_prefix(s, strlen(maker_prefixes[i]));
				changed = 1;
			}
		for (size_t i = 0; i < ARRAY_SIZE(zone_prefixes); i++)
			if (starts(s, zone_prefixes[i])) {
				drop_prefix(s, strlen(zone_prefixes[i]));
				changed = 1;
			}
		if ((k = cloud_region(s))) {
			drop_prefix(s, k);
			changed = 1;
		}
		for (size_t i = 0; i < ARRAY_SIZE(word_prefixes); i++)
			if (starts(s, word_prefixes[i]) && s[strlen(word_prefixes[i])]) {
				/* meta-llama-3: the word is "meta-", llama stays */
				drop_prefix(s, strlen(word_prefixes[i]) -
						       (!strcmp(word_prefixes[i], "meta-llama-") ? 6 : 0));
				changed = 1;
			}
	} while (changed);
}

/* Bedrock ids: the forms of a vendor-prefixed id, s left as the model part;
   bed: the id without its API version ("" when s is no Bedrock id). */
static void bedrock_forms(struct lc_name_forms *f, char s[LC_NAME_MAX], char bed[LC_NAME_MAX])
{
	char t[LC_NAME_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(bedrock_regions); i++)
		if (starts(s, bedrock_regions[i])) {
			for (size_t j = 0; j < ARRAY_SIZE(bedrock_vendors); j++)
				if (starts(s + strlen(bedrock_regions[i]), bedrock_vendors[j])) {
					drop_prefix(s, strlen(bedrock_regions[i]));
					break;
				}
			break;
		}
	for (size_t j = 0; j < ARRAY_SIZE(bedrock_vendors); j++)
		if (starts(s, bedrock_vendors[j])) {
			if (!f->host[0])
				LC_COPY(f->host, "bedrock");
			add(f, s); /* the Bedrock id as listed in aliases */
			LC_COPY(t, s + strlen(bedrock_vendors[j]));
			add(f, t); /* anthropic.claude-v2:1 -> claude-v2:1 */
			LC_COPY(t, s);
			/* -v1:0 is Bedrock's API version, but in claude-v2:1 the
			   vN names the model: kept when only a bare family word
			   ("claude", no dash, no digit) would be left */
			if (strip_bedrock_version(t) &&
			    !strpbrk(t + strlen(bedrock_vendors[j]), "-0123456789"))
				LC_COPY(t, s);
			else
				add(f, t);
			lc_strlcpy(bed, t, LC_NAME_MAX);
			/* deepseek.r1 -> deepseek-r1: the vendor is the family word */
			t[strlen(bedrock_vendors[j]) - 1] = '-';
			add(f, t);
			LC_COPY(t, bed);
			drop_prefix(t, strlen(bedrock_vendors[j]));
			add(f, t);
			lc_strlcpy(s, t, LC_NAME_MAX);
			break;
		}
}

/* f->base: the name a model the catalogue lacks is created under: prefixes
   and Bedrock parts removed, a known OpenRouter variant suffix dropped, but
   other colons kept (ft:gpt-4o-mini:org is not "ft"). */
static void base_name(struct lc_name_forms *f, const char *s, const char *bed)
{
	static const char *variants[] = { ":free", ":beta", ":thinking", ":extended",
		":nitro", ":floor", ":online", ":exacto", ":batch" };
	size_t k = 0;

	/* keep the Bedrock vendor when what follows is no model name
	   ("deepseek.v3.2" stays, "anthropic.claude-x-5" -> "claude-x-5") */
	while (isalnum((unsigned char)s[k]))
		k++;
	lc_strlcpy(f->base, bed[0] && (k < 3 || s[k] != '-') ? bed : s, LC_NAME_MAX);
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++)
		strip_suffix(f->base, variants[i]);
}

/* Suffixes that name the same model off s: Vertex's @default, @latest and
   @001, OpenRouter variants (:free, :beta, :thinking), an API version -v1:0,
   -maas, -hf, -latest. */
static void strip_variants(struct lc_name_forms *f, char s[LC_NAME_MAX])
{
	char t[LC_NAME_MAX];
	char *at = strrchr(s, '@'), *colon;

	if (at && (!strcmp(at, "@default") || !strcmp(at, "@latest") ||
		   (strlen(at) == 4 && isdigit((unsigned char)at[1]) &&
		    isdigit((unsigned char)at[2]) && isdigit((unsigned char)at[3])))) {
		*at = '\0';
		add(f, s);
	}
	if ((colon = strchr(s, ':'))) {
		*colon = '\0';
		add(f, s);
		LC_COPY(t, s);
		if (colon > s && isdigit((unsigned char)colon[-1]) && strip_release(t))
			add(f, t);
	}
	strip_suffix(s, "-maas"); /* Vertex's model-as-a-service */
	strip_suffix(s, "-hf");   /* a Hugging Face checkpoint name */
	strip_suffix(s, "-latest");
	add(f, s);
}

/* The spellings of s: p for a point, without a release date, reordered,
   dots as dashes, without a numeric version. */
static void spelling_forms(struct lc_name_forms *f, const char *s)
{
	char t[LC_NAME_MAX];

	LC_COPY(t, s);
	if (p_to_dots(t))
		add(f, t);
	LC_COPY(t, s);
	if (strip_release(t))
		add(f, t);
	reorder(s, t);
	add_alt(f, t);
	LC_COPY(t, s);
	dots_to_dashes(t);
	add(f, t);
	if (strip_numeric_version(t))
		add(f, t);
	LC_COPY(t, s);
	if (strip_numeric_version(t)) {
		char r[LC_NAME_MAX];

		add(f, t);
		reorder(t, r);
		add_alt(f, r);
	}
}

void lc_name_forms(const char *name, struct lc_name_forms *f)
{
	char s[LC_NAME_MAX], bed[LC_NAME_MAX] = "";
	const char *sl;

	f->n = 0;
	f->nalt = 0;
	f->nowned = 0;
	f->host[0] = '\0';
	f->base[0] = '\0';
	lower_trimmed(name, s);
	add(f, s);
	strip_host(f, s);
	strip_prefixes(s);
	add(f, s);
	bedrock_forms(f, s, bed);
	base_name(f, s, bed);
	strip_variants(f, s);
	spelling_forms(f, s);
	/* z-ai/glm-5, microsoft/phi-4-mini-instruct: an owner llmcost does
	   not know; ~google/...: genai-prices' pointer names */
	sl = strrchr(s, '/');
	if (sl && sl[1] && strlen(sl + 1) < LC_NAME_MAX)
		LC_COPY(f->owned[f->nowned++], sl + 1);
	if (s[0] == '~' && s[1] && !sl)
		LC_COPY(f->owned[f->nowned++], s + 1);
}

int lc_name_bedrock_regional(const char *name)
{
	char s[LC_NAME_MAX];
	const char *seg = strrchr(name, '/');
	size_t n = 0;

	for (seg = seg ? seg + 1 : name; seg[n] && n + 1 < sizeof(s); n++)
		s[n] = (char)tolower((unsigned char)seg[n]);
	s[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bedrock_regions); i++) {
		const char *r = bedrock_regions[i];

		if (!starts(s, r) || !strcmp(r, "global.") || !strcmp(r, "regional."))
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(bedrock_vendors); j++)
			if (starts(s + strlen(r), bedrock_vendors[j]))
				return 1;
	}
	return 0;
}

/*
 * test_jscan.c - lib/jscan.c against cJSON itself, and the Claude Code text
 * reader (usage_claude_text) against the cJSON one (usage_claude).
 *
 * The scanner promises to accept exactly what cJSON accepts and to end the
 * value where cJSON ends it: checked on a table of corner cases and on
 * many random mutations of realistic lines.  The text reader promises the
 * same records, return codes and messages as the cJSON reader, except that
 * a token count written with a fraction or exponent is refused.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "harness.h"
#include "jscan.h"
#include "usage.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* cJSON's verdict: the end offset of the value, or -1. */
static long cjson_end(const char *p, size_t n)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(p, n, &end, 0);

	if (!root)
		return -1;
	cJSON_Delete(root);
	return (long)(end - p);
}

static long scan_end(const char *p, size_t n, int clean)
{
	struct jscan_val v[1];
	struct jscan_node t[1] = { { .key = NULL, .parent = -1, .child = -1, .next = -1 } };
	unsigned flags;

	return clean ? jscan_clean(p, n, t, 1, v, &flags) : jscan(p, n, t, 1, v, &flags);
}

static int mismatches, clean_checked;

/* jscan() ends where cJSON ends, and so does jscan_clean() on text
   without NUL bytes (the only text it is for). */
static void same_as_cjson(const char *p, size_t n)
{
	long a = scan_end(p, n, 0), b = cjson_end(p, n);

	if (!memchr(p, '\0', n)) {
		clean_checked++;
		if (scan_end(p, n, 1) != b && mismatches++ < 10)
			fprintf(stderr, "jscan_clean %ld, cJSON %ld on [%.*s]\n",
				scan_end(p, n, 1), b, (int)n, p);
	}
	if (a != b) {
		if (mismatches++ < 10)
			fprintf(stderr, "jscan %ld, cJSON %ld on [%.*s]\n", a, b, (int)n, p);
	}
}

static const char *const corner[] = {
	"0", "-0", "01", "1.", "-.5", ".5", "-", "+1", "1e", "1e+", "1E5", "1.e5", "1e5e",
	"-1.5E-3", "1.5.5", "12-3", "1e400", "-e5", "0x10", "nul", "null", "nullx", "true",
	"truex", "false", "fals", "\"\"", "\"", "\"abc", "\"a\\\"", "\"a\\\\\"", "\"\\u\"",
	"\"\\u12\"", "\"\\u12\\\"\"", "\"\\uabc\\\\\"", "\"\\u0041\"", "\"\\uZZZZ\"",
	"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\udc00\"", "\"\\ud800\\u0041\"",
	"\"\\ud800x\\udc00\"", "\"\\x\"", "\"\\/\\b\\f\\n\\r\\t\"", "\"\x01\x7f\xff\"",
	/* a bad escape before, after or inside a \u's four bytes; escapes only
	   without \u (checked in one pass) */
	"\"\\x\\u0041\"", "\"\\u0041\\x\"", "\"\\u\\x41\"", "\"\\u00\\\\x\"",
	"\"a\\n\\\"b\\\\\\/\"", "\"a\\n\\qb\"", "\"a\\\\\\q\"", "\"\\\\\\\\\"",
	"\"\\u12\\\"x\"", "\"\\u1\\\"\\n\"",
	"[]", "[1,]", "[,1]", "[1 2]", "[1,2]", " [ 1 , 2 ] ", "\x01[1]\x02", "{}", "{,}",
	"{\"a\"1}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2}", "{a:1}",
	"{\"a\":}", "{\"a\"", "{\"a\":1", "\xEF\xBB\xBF{}", "\xEF\xBB\xBF", " \xEF\xBB\xBF{}",
	"{\"a\":[{\"b\":null}]}", "[\"\\", "\"\\", "{\"\\u0000\":1}", "1 2", "{} x", "",
	" ", "[", "]", "{\"a\":-}", "{\"a\":-01.10e+01}", "123456789012345678901234567890"
	"123456789012345678901234567890123", /* 63 digits (1.7.15's old limit) */
	"123456789012345678901234567890123456789012345678901234567890123"
	"4",                                 /* 64 digits */
	"[1e5", "[0000000000000000000000000000000000000000000000000000000000000000000001.5e",
	"[123456789012345678901234567890123456789012345678901234567890123]",
	"[1234567890123456789012345678901234567890123456789012345678901234]",
};

TEST(scanner_corner_cases)
{
	mismatches = 0;
	clean_checked = 0;
	for (size_t i = 0; i < ARRAY_SIZE(corner); i++)
		same_as_cjson(corner[i], strlen(corner[i]));
	CHECK_INT(mismatches, 0);
	CHECK(clean_checked > 90);
}

/* An escape at every place of strings up to 48 bytes long (so at every
   place of a 16-byte block, and across two), of every kind: valid, a \u,
   an invalid one, an escaped quote or backslash; the string's end too. */
TEST(scanner_escapes_everywhere)
{
	static const char *const escs[] = { "\\n", "\\\"", "\\\\", "\\x", "\\u0041", "\\u00",
					    "\\", "\\\\\\\"" };
	char buf[96];
	int n_cases = 0;

	mismatches = 0;
	for (int len = 0; len <= 48; len++)
		for (int at = 0; at <= len; at++)
			for (size_t k = 0; k < ARRAY_SIZE(escs); k++)
				for (int closed = 0; closed < 2; closed++) {
					size_t n = 0, el = strlen(escs[k]);

					buf[n++] = '"';
					for (int i = 0; i < at; i++)
						buf[n++] = 'a';
					memcpy(buf + n, escs[k], el);
					n += el;
					for (int i = at; i < len; i++)
						buf[n++] = 'b';
					if (closed)
						buf[n++] = '"';
					same_as_cjson(buf, n);
					n_cases++;
				}
	CHECK_INT(mismatches, 0);
	CHECK(n_cases > 10000);
}

/* n nested arrays or objects */
static char *nested(int n, int obj)
{
	char *b = malloc((size_t)n * 6 + 8), *q = b;

	for (int i = 0; i < n; i++) {
		const char *open = obj ? "{\"a\":" : "[";

		memcpy(q, open, strlen(open));
		q += strlen(open);
	}
	*q++ = '1';
	for (int i = 0; i < n; i++)
		*q++ = obj ? '}' : ']';
	*q = '\0';
	return b;
}

TEST(scanner_depth)
{
	int depths[] = { 999, 1000, 1001, 5000 };

	mismatches = 0;
	for (size_t i = 0; i < ARRAY_SIZE(depths); i++)
		for (int obj = 0; obj < 2; obj++) {
			char *b = nested(depths[i], obj);

			same_as_cjson(b, strlen(b));
			CHECK((scan_end(b, strlen(b), 1) >= 0) == (depths[i] <= JSCAN_MAX_DEPTH));
			free(b);
		}
	CHECK_INT(mismatches, 0);
}

/* Realistic Claude Code lines, and a few odd ones, to mutate. */
static const char *const seeds[] = {
	"{\"parentUuid\":\"1b\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":"
	"\"/home/dev/src/api\",\"sessionId\":\"0e1f\",\"version\":\"1.0.98\",\"message\":{\"id\":"
	"\"msg_01X\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-"
	"20250514\",\"content\":[{\"type\":\"text\",\"text\":\"the \\\"fix\\\" \\n is \\u00e9 "
	"\\ud83d\\ude00 done\\\\\"}],\"stop_reason\":null,\"usage\":{\"input_tokens\":4,"
	"\"cache_creation_input_tokens\":1200,\"cache_read_input_tokens\":15000,"
	"\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":200},"
	"\"output_tokens\":321,\"service_tier\":\"standard\"}},\"requestId\":\"req_011\",\"type\":"
	"\"assistant\",\"uuid\":\"u-1\",\"timestamp\":\"2025-09-03T10:11:12.345Z\"}",
	"{\"type\":\"assistant\",\"timestamp\":\"2025-09-03T10:11:12Z\",\"sessionId\":\"s\","
	"\"isSidechain\":true,\"costUSD\":0.0123,\"message\":{\"id\":\"msg_2\",\"model\":"
	"\"claude-opus-4-1\",\"usage\":{\"input_tokens\":10,\"output_tokens\":20,"
	"\"server_tool_use\":{\"web_search_requests\":2},\"output_tokens_details\":"
	"{\"thinking_tokens\":5},\"speed\":\"fast\"}}}",
	"{\"type\":\"progress\",\"timestamp\":\"2025-09-04T00:00:00Z\",\"data\":{\"message\":"
	"{\"type\":\"assistant\",\"requestId\":\"r9\",\"message\":{\"id\":\"m9\",\"model\":"
	"\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2,"
	"\"cache_creation_input_tokens\":7}}}}}",
	"[{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	"\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}},3,{\"type\":\"user\"}]",
	"{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	"\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}},\"message\":{\"model\":\"x\"},"
	"\"costUSD\":\"0.5\",\"cwd\":\"/a/\\u00e9\",\"uuid\":\"u-9\"}",
	"{\"type\":\"assistant\",\"isApiErrorMessage\":true,\"message\":{\"model\":\"m\","
	"\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}",
	"{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
	"\"content\":\"usage: a\\tb\\u0041\"}]},\"timestamp\":\"2025-09-05T00:00:00Z\"}",
};

static const char alphabet[] = "\"{}[],:\\u0123456789aeEfl+-.nrst \t\x01\xff\xc3\xa9";

/* A random mutation of a seed into buf; its length. */
static size_t mutate(const char *seed, char *buf, size_t cap)
{
	size_t n = strlen(seed);
	int k = 1 + (int)rnd(3);

	memcpy(buf, seed, n);
	while (k--) {
		size_t at = n ? rnd((unsigned)n) : 0;
		char c = alphabet[rnd(sizeof(alphabet) - 1)];

		switch (rnd(5)) {
		case 0: /* replace */
			if (n)
				buf[at] = c;
			break;
		case 1: /* insert */
			if (n + 1 < cap) {
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = c;
				n++;
			}
			break;
		case 2: /* delete */
			if (n) {
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
			}
			break;
		case 3: /* truncate */
			n = at;
			break;
		default: { /* copy a span elsewhere */
			size_t len = rnd(12), to = n ? rnd((unsigned)n) : 0;

			if (at + len <= n && n + len < cap) {
				char tmp[16];

				memcpy(tmp, buf + at, len);
				memmove(buf + to + len, buf + to, n - to);
				memcpy(buf + to, tmp, len);
				n += len;
			}
		}
		}
	}
	return n;
}

TEST(scanner_mutations)
{
	char buf[4096];

	mismatches = 0;
	for (int i = 0; i < 60000; i++) {
		size_t n = mutate(seeds[rnd(ARRAY_SIZE(seeds))], buf, sizeof(buf));

		same_as_cjson(buf, n);
	}
	CHECK_INT(mismatches, 0);
}

/* ---- extraction ---- */

TEST(extract_first_member_wins)
{
	static const char line[] = "{\"a\":1,\"b\":{\"c\":\"x\",\"c\":\"y\"},\"a\":{\"d\":2},"
				   "\"b\":{\"c\":\"z\"},\"\\u0061\\u0062c\":true,\"e\\uZZZZjunk\":3}";
	struct jscan_node t[] = { { .key = NULL, .parent = -1 }, { .key = "a", .parent = 0 }, { .key = "b", .parent = 0 },
				  { .key = "c", .parent = 2 }, { .key = "d", .parent = 1 }, { .key = "abc", .parent = 0 },
				  { .key = "e", .parent = 0 } };
	struct jscan_val v[7];
	unsigned flags;
	char s[16];

	jscan_prepare(t, 7);
	CHECK_INT(jscan(line, strlen(line), t, 7, v, &flags), (long)strlen(line));
	CHECK_INT(v[1].kind, JS_NUMBER);           /* the first "a", a number ... */
	CHECK_INT(v[4].kind, JS_ABSENT);           /* ... so the later object's "d" is not seen */
	CHECK_INT(v[2].kind, JS_OBJECT);
	CHECK_STR(jscan_str(&v[3], s, sizeof(s)), "x"); /* first "c" of the first "b" */
	CHECK_INT(v[5].kind, JS_TRUE);             /* key written with escapes */
	CHECK_INT(v[6].kind, JS_NUMBER);           /* "e\uZZZZjunk" is "e" to cJSON */
	CHECK(flags & JSCAN_U0);
}

TEST(extract_strings_and_ints)
{
	static const char line[] = "{\"s\":\"a\\\"b\\u00e9\\ud83d\\ude00\\n\",\"t\":\"x\\uZZZZy\","
				   "\"i\":-0,\"j\":1e3,\"k\":1000.0,\"l\":123456789012345678901}";
	struct jscan_node t[] = { { .key = NULL, .parent = -1 }, { .key = "s", .parent = 0 }, { .key = "t", .parent = 0 },
				  { .key = "i", .parent = 0 }, { .key = "j", .parent = 0 }, { .key = "k", .parent = 0 },
				  { .key = "l", .parent = 0 } };
	struct jscan_val v[7];
	unsigned flags;
	char s[32];
	int64_t x = 7;

	jscan_prepare(t, 7);
	CHECK(jscan(line, strlen(line), t, 7, v, &flags) > 0);
	CHECK_STR(jscan_str(&v[1], s, sizeof(s)), "a\"b\xc3\xa9\xf0\x9f\x98\x80\n");
	CHECK(jscan_str(&v[1], s, 5) == NULL);     /* does not fit */
	CHECK_STR(jscan_str(&v[2], s, sizeof(s)), "x"); /* ends at the decoded NUL */
	CHECK_INT(jscan_int(&v[3], &x), 0);
	CHECK_INT(x, 0);
	CHECK_INT(jscan_int(&v[4], &x), 1);
	CHECK_INT(jscan_int(&v[5], &x), 1);
	CHECK_INT(jscan_int(&v[6], &x), 1);        /* over 18 digits */
	CHECK_INT(jscan_int(&v[1], &x), -1);
}

/* ---- the Claude Code reader: text vs cJSON ---- */

struct got {
	int rc;
	char msg[1100];
	int nrec, warned;
	struct lc_usage_rec rec[4];
};

static int sink(void *ctx, const struct lc_usage_rec *r)
{
	struct got *g = ctx;

	if (g->nrec < 4)
		memcpy(&g->rec[g->nrec], r, sizeof(*r));
	g->nrec++;
	return 0;
}

static void src_init(struct usage_src *s, struct got *g, const char *p, size_t n)
{
	memset(s, 0, sizeof(*s));
	memset(g, 0, sizeof(*g));
	s->path = "/x/projects/proj/sess.jsonl";
	s->format = UF_CLAUDE;
	snprintf(s->path_project, sizeof(s->path_project), "proj");
	snprintf(s->path_session, sizeof(s->path_session), "sess");
	s->text = p;
	s->text_len = n;
	s->sink = sink;
	s->sink_ctx = g;
}

/* What json_line() did before: cJSON, then usage_claude() per value. */
static void old_reader(const char *p, size_t n, struct got *g)
{
	struct usage_src s;
	struct lc_err err = { 0 };
	const char *end = NULL;
	cJSON *root;

	src_init(&s, g, p, n);
	root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
	if (!root) {
		g->rc = USAGE_NOT_JSON;
		return;
	}
	while (end < p + n && (*end == ' ' || *end == '\t'))
		end++;
	if (end < p + n) {
		g->rc = USAGE_TRAILING;
	} else if (cJSON_IsArray(root)) {
		const cJSON *it;

		cJSON_ArrayForEach(it, root)
		{
			if ((g->rc = usage_claude(&s, it, &err)) < 0)
				break;
		}
		if (g->rc > 0)
			g->rc = 0;
	} else {
		g->rc = usage_claude(&s, root, &err);
	}
	cJSON_Delete(root);
	LC_COPY(g->msg, err.msg);
	g->warned = s.warned;
}

static void new_reader(const char *p, size_t n, struct got *g)
{
	struct usage_src s;
	struct lc_err err = { 0 };

	src_init(&s, g, p, n);
	g->rc = usage_claude_text(&s, p, n, 1, &err);
	if (g->rc > 0 && n && *p == '[')
		g->rc = 0;
	LC_COPY(g->msg, err.msg);
	g->warned = s.warned;
}

static int same_got(const struct got *a, const struct got *b)
{
	if (a->rc != b->rc || strcmp(a->msg, b->msg) || a->nrec != b->nrec ||
	    a->warned != b->warned)
		return 0;
	for (int i = 0; i < a->nrec && i < 4; i++)
		if (memcmp(&a->rec[i], &b->rec[i], sizeof(a->rec[i])))
			return 0;
	return 1;
}

static int integer_rule, compared;

static void compare_readers(const char *p, size_t n)
{
	static struct got a, b;

	if (memchr(p, '\0', n))
		return; /* the engine refuses these first */
	old_reader(p, n, &a);
	new_reader(p, n, &b);
	compared++;
	if (b.rc == -1 && strstr(b.msg, "is not written as an integer")) {
		integer_rule++; /* the one intended difference */
		return;
	}
	if (!same_got(&a, &b) && mismatches++ < 10)
		fprintf(stderr, "old rc %d \"%s\" %d rec, new rc %d \"%s\" %d rec on [%.*s]\n", a.rc,
			a.msg, a.nrec, b.rc, b.msg, b.nrec, (int)n, p);
}

TEST(claude_reader_same_as_cjson)
{
	char buf[4096];

	mismatches = integer_rule = compared = 0;
	for (size_t i = 0; i < ARRAY_SIZE(seeds); i++)
		compare_readers(seeds[i], strlen(seeds[i]));
	for (int i = 0; i < 60000; i++) {
		size_t n = mutate(seeds[rnd(ARRAY_SIZE(seeds))], buf, sizeof(buf));

		compare_readers(buf, n);
	}
	CHECK_INT(mismatches, 0);
	CHECK(compared > 50000);
}

/* Hand-written cases: the records and messages themselves. */
static void one(const char *line, struct got *g)
{
	new_reader(line, strlen(line), g);
}

TEST(claude_reader_cases)
{
	static struct got g;

	one(seeds[0], &g);
	CHECK_INT(g.rc, 1);
	CHECK_STR(g.rec[0].key, "cc:msg_01X:req_011");
	CHECK_STR(g.rec[0].group, "msg_01X");
	CHECK_STR(g.rec[0].model_raw, "claude-sonnet-4-20250514");
	CHECK_STR(g.rec[0].project, "/home/dev/src/api");
	CHECK_INT(g.rec[0].input, 4);
	CHECK_INT(g.rec[0].cache_write_5m, 1000);
	CHECK_INT(g.rec[0].cache_write_1h, 200);
	CHECK_INT(g.rec[0].cache_read, 15000);
	CHECK_INT(g.rec[0].output, 321);
	CHECK_STR(g.rec[0].service_tier, "standard");
	one(seeds[2], &g); /* a progress line: data.message */
	CHECK_INT(g.rc, 1);
	CHECK_STR(g.rec[0].key, "cc:m9:r9");
	CHECK_INT(g.rec[0].cache_write_5m, 7);
	one(seeds[4], &g); /* first "message" wins; escapes in cwd; string costUSD */
	CHECK_INT(g.rc, 1);
	CHECK_STR(g.rec[0].model_raw, "m");
	CHECK_STR(g.rec[0].project, "/a/\xc3\xa9");
	CHECK_INT(g.rec[0].reported_cost, 500000000);
	CHECK_STR(g.rec[0].key, "cc-uuid:u-9");
	one("{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	    "\"m\",\"usage\":{\"input_tokens\":1e3,\"output_tokens\":1}}}",
	    &g);
	CHECK_INT(g.rc, -1);
	CHECK_STR(g.msg, "\"usage.input_tokens\" is not written as an integer");
	one("{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	    "\"m\",\"usage\":{\"input_tokens\":1.5,\"output_tokens\":1}}}",
	    &g);
	CHECK_STR(g.msg, "\"usage.input_tokens\" is not a whole number");
	one("{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	    "\"m\\u00ff\xff\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}",
	    &g);
	CHECK_STR(g.msg, "\"message.model\" has invalid UTF-8 or control characters");
	one("{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	    "\"m\x01\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}",
	    &g);
	CHECK_STR(g.msg, "\"message.model\" has invalid UTF-8 or control characters");
	one("{\"type\":\"assistant\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{\"model\":"
	    "\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}", &g); /* truncated */
	CHECK_INT(g.rc, USAGE_NOT_JSON);
	one("{\"type\":\"assistant\"} {}", &g);
	CHECK_INT(g.rc, USAGE_TRAILING);
	one("{\"type\":\"assist\\u0061nt\",\"timestamp\":\"2025-09-05T00:00:00Z\",\"message\":{"
	    "\"model\":\"m\",\"\\u0075sage\":{\"input_tokens\":1,\"output_tokens\":1}}}",
	    &g);
	CHECK_INT(g.rc, 1);
}

typedef const char *(*finder)(const char *p, size_t n, const char *needle, size_t k);

static const char *first_of(const char *p, size_t n, const char *nd, size_t k)
{
	return memmem(p, n, nd, k);
}

/* The last needle[0..k) in p[0..n), the slow way. */
static const char *last_of(const char *p, size_t n, const char *nd, size_t k)
{
	const char *last = NULL;

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, nd, k))
			last = p + i;
	return last;
}

/* got against want at every alignment, length and place: haystacks of up
   to 80 bytes from an alphabet that makes partial matches common, a needle
   planted in every third.  The number of disagreements; *checks and *found
   (places want found) are added to. */
static int finder_mismatches(finder got, finder want, unsigned seed, int *checks, int *found)
{
	static const char *const needles[] = { "usage", "u", "ue", "use", "\"usage\"", "eeeee" };
	char buf[96];
	int bad = 0;

	for (size_t ni = 0; ni < ARRAY_SIZE(needles); ni++) {
		const char *nd = needles[ni];
		size_t k = strlen(nd);

		for (int round = 0; round < 400; round++) {
			size_t n = (size_t)(round % 80);

			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				buf[i] = "usage\"xe"[(seed >> 16) % 8];
			}
			if (round % 3 == 0 && n >= k) {
				size_t at = (size_t)round % (n - k + 1);

				memcpy(buf + at, nd, k);
			}
			for (size_t off = 0; off < 3 && off <= n; off++) {
				const char *w = want(buf + off, n - off, nd, k);

				(*checks)++;
				*found += w != NULL;
				if (got(buf + off, n - off, nd, k) != w)
					bad++;
			}
		}
	}
	return bad;
}

/* jscan_find() agrees with memmem() (the SSE2 loop's candidates, its tail,
   needles straddling 16 bytes). */
TEST(find_same_as_memmem)
{
	char buf[48];
	int checks = 0, found = 0;

	CHECK_INT(finder_mismatches(jscan_find, first_of, 12345, &checks, &found), 0);
	CHECK(checks > 5000);
	CHECK(found > 1000 && found < checks);
	/* the last possible place, and one byte short of it */
	memcpy(buf, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxusage", 40);
	CHECK(jscan_find(buf, 40, "usage", 5) == buf + 35);
	CHECK(jscan_find(buf, 39, "usage", 5) == NULL);
	CHECK(jscan_find(buf, 0, "usage", 5) == NULL);
}

/* jscan_rfind() finds the last occurrence (its sixteen-place blocks from
   the end and the bytes before them). */
TEST(rfind_finds_the_last)
{
	char buf[48];
	int checks = 0, found = 0;

	CHECK_INT(finder_mismatches(jscan_rfind, last_of, 777, &checks, &found), 0);
	CHECK(checks > 5000);
	CHECK(found > 1000 && found < checks);
	/* the first and last possible places, and one byte short */
	memcpy(buf, "usagexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxusage", 40);
	CHECK(jscan_rfind(buf, 40, "usage", 5) == buf + 35);
	CHECK(jscan_rfind(buf, 39, "usage", 5) == buf);
	CHECK(jscan_rfind(buf + 1, 38, "usage", 5) == NULL);
	CHECK(jscan_rfind(buf, 4, "usage", 5) == NULL);
	CHECK(jscan_rfind(buf, 0, "usage", 5) == NULL);
}

int main(void)
{
	RUN(scanner_corner_cases);
	RUN(scanner_escapes_everywhere);
	RUN(scanner_depth);
	RUN(scanner_mutations);
	RUN(extract_first_member_wins);
	RUN(extract_strings_and_ints);
	RUN(claude_reader_same_as_cjson);
	RUN(claude_reader_cases);
	RUN(find_same_as_memmem);
	RUN(rfind_finds_the_last);
	return harness_done();
}

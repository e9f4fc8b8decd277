/*
 * gen_claude_logs.c - write realistic Claude Code logs for benchmarks and
 * crash tests.
 *
 *   gen_claude_logs DIR RECORDS [SEED]
 *
 * Writes DIR/projects/<encoded-cwd>/<session>.jsonl: sessions of a few
 * hundred API responses spread over 60 days from 2025-09-01, each response
 * written as 1-4 assistant lines (one per content block, same message.id,
 * requestId and usage, as Claude Code does), user lines with long tool
 * results, summary and file-history-snapshot lines, about one sub-agent
 * sidechain replay in 50, and one malformed line in 20,000.  RECORDS is the
 * number of distinct API responses.  Average size is about 3.7 KB per
 * response.  Deterministic for a given SEED.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static long pick(long lo, long hi)
{
	return lo + (long)(next() % (unsigned long long)(hi - lo + 1));
}

static void uuid(char out[40])
{
	unsigned long long a = next(), b = next();

	snprintf(out, 40, "%08llx-%04llx-4%03llx-a%03llx-%012llx", a & 0xffffffffULL,
		(a >> 32) & 0xffff, (a >> 48) & 0xfff, b & 0xfff, (b >> 12) & 0xffffffffffffULL);
}

static void text(FILE *f, long n)
{
	static const char *words[] = { "the", "function", "returns", "a", "value", "when",
				       "called", "with", "an", "argument", "file", "test",
				       "build", "error", "line", "fix", "\\n", "const", "int" };

	for (long k = 0; k < n;) {
		const char *w = words[next() % (ARRAY_SIZE(words))];

		fputs(w, f);
		fputc(' ', f);
		k += (long)strlen(w) + 1;
	}
}

static int mkdirs(const char *p)
{
	char tmp[4096];

	LC_COPY(tmp, p);
	for (char *s = tmp + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static const char *const models[] = { "claude-sonnet-4-20250514", "claude-sonnet-4-20250514",
				      "claude-sonnet-4-20250514", "claude-opus-4-1-20250805",
				      "claude-3-5-haiku-20241022" };
static const char *const projects[] = { "webapp", "api-server", "infra", "ml-pipeline",
					"docs-site", "cli-tool", "mobile" };

int main(int argc, char **argv)
{
	long records, done = 0, sess_no = 0, malformed = 0;
	long long t0 = 1756684800000LL; /* 2025-09-01T00:00:00Z */

	if (argc < 3) {
		fprintf(stderr, "usage: gen_claude_logs DIR RECORDS [SEED]\n");
		return 2;
	}
	records = atol(argv[2]);
	if (argc > 3)
		rng ^= strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ULL;
	while (done < records) {
		const char *proj = projects[next() % 7];
		char dir[4096], path[4200], sid[40], cwd[128];
		long n = pick(50, 600);
		long long ts = t0 + (long long)pick(0, 59) * 86400000LL + pick(0, 86000000);
		long ctx = pick(5000, 40000);
		FILE *f;

		if (n > records - done)
			n = records - done;
		snprintf(cwd, sizeof(cwd), "/home/dev/src/%s", proj);
		snprintf(dir, sizeof(dir), "%s/projects/-home-dev-src-%s", argv[1], proj);
		if (mkdirs(dir)) {
			perror(dir);
			return 1;
		}
		uuid(sid);
		snprintf(path, sizeof(path), "%s/%s.jsonl", dir, sid);
		if (!(f = fopen(path, "w"))) {
			perror(path);
			return 1;
		}
		fprintf(f, "{\"type\":\"summary\",\"summary\":\"Session %ld\",\"leafUuid\":\"x\"}\n",
			sess_no++);
		for (long i = 0; i < n; i++, done++) {
			const char *model = models[next() % 5];
			long blocks = pick(1, 4), in = pick(1, 30), out = pick(20, 3000);
			long cw = pick(0, 3) ? pick(0, 4000) : 0, cr = ctx, cw1 = 0;
			char u[40], mid[40], rid[40], tsb[160];
			long long sec;
			int side = pick(0, 49) == 0;

			if (pick(0, 9) == 0) { /* 1-hour cache writes on some requests */
				cw1 = cw;
				cw = 0;
			}
			ts += pick(2000, 60000);
			sec = ts / 1000;
			{
				long long d = sec / 86400, s = sec % 86400;
				/* civil date from days (Howard Hinnant) */
				long long z = d + 719468, era = z / 146097, doe = z - era * 146097;
				long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
				long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
				long long mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1;
				long long mm = mp < 10 ? mp + 3 : mp - 9;

				y += mm <= 2;
				snprintf(tsb, sizeof(tsb), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
					 y, mm, dd, s / 3600, s % 3600 / 60, s % 60, ts % 1000);
			}
			uuid(u);
			/* the user turn: a long tool result */
			fprintf(f, "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\","
				   "\"cwd\":\"%s\",\"sessionId\":\"%s\",\"version\":\"1.0.88\","
				   "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{"
				   "\"tool_use_id\":\"toolu_01\",\"type\":\"tool_result\",\"content\":\"",
				cwd, sid);
			text(f, pick(150, 2000));
			fprintf(f, "\"}]},\"uuid\":\"%s\",\"timestamp\":\"%s\"}\n", u, tsb);
			snprintf(mid, sizeof(mid), "msg_01%llx%llx", next() & 0xffffffffffULL,
				 next() & 0xffffffULL);
			snprintf(rid, sizeof(rid), "req_011C%llx%llx", next() & 0xffffffffffULL,
				 next() & 0xffffULL);
			for (long b = 0; b < blocks; b++) {
				uuid(u);
				fprintf(f,
					"{\"parentUuid\":\"x\",\"isSidechain\":%s,\"userType\":\"external\","
					"\"cwd\":\"%s\",\"sessionId\":\"%s\",\"version\":\"1.0.88\","
					"\"gitBranch\":\"main\",\"message\":{\"id\":\"%s\",\"type\":\"message\","
					"\"role\":\"assistant\",\"model\":\"%s\",\"content\":[{\"type\":\"text\","
					"\"text\":\"",
					"false", cwd, sid, mid, model);
				text(f, pick(50, 700));
				fprintf(f,
					"\"}],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{"
					"\"input_tokens\":%ld,\"cache_creation_input_tokens\":%ld,"
					"\"cache_read_input_tokens\":%ld,\"cache_creation\":{"
					"\"ephemeral_5m_input_tokens\":%ld,\"ephemeral_1h_input_tokens\":%ld},"
					"\"output_tokens\":%ld,\"service_tier\":\"standard\"}},"
					"\"requestId\":\"%s\",\"type\":\"assistant\",\"uuid\":\"%s\","
					"\"timestamp\":\"%s\"}\n",
					in, cw + cw1, cr, cw, cw1, out, rid, u, tsb);
			}
			if (side) { /* a sub-agent replays the message with a new requestId */
				fprintf(f,
					"{\"isSidechain\":true,\"cwd\":\"%s\",\"sessionId\":\"%s\","
					"\"message\":{\"id\":\"%s\",\"role\":\"assistant\",\"model\":\"%s\","
					"\"content\":[],\"usage\":{\"input_tokens\":%ld,"
					"\"cache_creation_input_tokens\":%ld,\"cache_read_input_tokens\":%ld,"
					"\"output_tokens\":%ld}},\"requestId\":\"req_side%ld\","
					"\"type\":\"assistant\",\"uuid\":\"side-%ld\",\"timestamp\":\"%s\"}\n",
					cwd, sid, mid, model, in, cw + cw1, cr, out, done, done, tsb);
			}
			if (++malformed % 20000 == 0)
				fprintf(f, "{\"type\":\"assistant\",\"message\":{\"usage\":{\"input_tokens\":\n");
			if (i % 40 == 39) {
				fprintf(f, "{\"type\":\"file-history-snapshot\",\"messageId\":\"%s\","
					   "\"snapshot\":{\"trackedFileBackups\":{},\"data\":\"",
					u);
				text(f, pick(1000, 8000));
				fprintf(f, "\"}}\n");
			}
			ctx += in + cw + cw1 + pick(0, 3000);
			if (ctx > 190000 && pick(0, 3)) /* compaction */
				ctx = pick(5000, 30000);
		}
		if (fclose(f)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

/*
 * gnuplot.c - the gnuplot runner and the encoders for untrusted text; see
 * gnuplot.h for the rules (reliability checklist, section 1).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gnuplot.h"
#include "money.h"
#include "table.h"

extern char **environ;

#define GP_DEFAULT_TIMEOUT_MS 60000
#define GP_STDERR_MAX 4000

/* ---- encoders ---- */

/*
 * Copy s to f: invalid UTF-8 as U+FFFD, the characters escape.h calls
 * unsafe (controls, C1, bidi controls; esc_scan decides) as a space, and
 * each of the bytes in `esc` through the matching replacement.
 */
static void put_clean(FILE *f, const char *s, const char *esc, const char *const *rep)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p);

	while (*p) {
		int bad, n = esc_scan((const char *)p, left, &bad);
		const char *e;

		if (n == 0) {
			fputs("\xef\xbf\xbd", f);
			n = 1;
		} else if (bad) {
			fputc(' ', f);
		} else if (n == 1 && (e = strchr(esc, *p))) {
			fputs(rep[e - esc], f);
		} else {
			fwrite(p, 1, (size_t)n, f);
		}
		p += n;
		left -= (size_t)n;
	}
}

void gp_put_field(FILE *f, const char *s)
{
	static const char *const rep[] = { "\\\\", "\\042" };

	fputc('"', f);
	put_clean(f, s, "\\\"", rep);
	fputc('"', f);
}

void gp_put_string(FILE *f, const char *s)
{
	static const char *const rep[] = { "\\\\", "\\\"", "\\140" };

	fputc('"', f);
	put_clean(f, s, "\\\"`", rep);
	fputc('"', f);
}

/* ---- the chart's files ---- */

static int absolute(char *dst, size_t n, const char *path, struct lc_err *err)
{
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		if ((size_t)snprintf(dst, n, "%s", path) >= n)
			return lc_errf(err, LC_EUSAGE, "path too long: '%s'", path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return lc_errf(err, LC_ERUNTIME, "cannot find the current directory: %s",
			       strerror(errno));
	if ((size_t)snprintf(dst, n, "%s/%s", cwd, path) >= n)
		return lc_errf(err, LC_EUSAGE, "path too long: '%s'", path);
	return 0;
}

int gp_chart_begin(struct gp_chart *c, const char *kind, const char *out, const char *script_dir,
		   struct lc_err *err)
{
	const char *ext;

	memset(c, 0, sizeof(*c));
	LC_COPY(c->kind, kind);
	if (!out || !*out) {
		c->fmt = GP_DUMB;
		c->width = 100;
		c->height = 32;
	} else {
		if (out[0] == '|' || out[0] == '<')
			return lc_errf(err, LC_EUSAGE,
				       "refusing output path '%s': a leading '%c' would run a command",
				       out, out[0]);
		ext = strrchr(out, '.');
		if (ext && !strcasecmp(ext, ".png"))
			c->fmt = GP_PNG;
		else if (ext && !strcasecmp(ext, ".svg"))
			c->fmt = GP_SVG;
		else
			return lc_errf(err, LC_EUSAGE,
				       "cannot tell the chart format of '%s': name it .png or .svg", out);
		if (absolute(c->out, sizeof(c->out), out, err))
			return -1;
		c->width = 1200;
		c->height = 700;
	}
	if (script_dir && *script_dir) {
		if (mkdir(script_dir, 0777) && errno != EEXIST)
			return lc_errf(err, LC_ERUNTIME, "cannot create '%s': %s", script_dir,
				       strerror(errno));
		if (absolute(c->dir, sizeof(c->dir), script_dir, err))
			return -1;
		c->keep = 1;
	} else {
		const char *tmp = getenv("TMPDIR");

		snprintf(c->dir, sizeof(c->dir), "%s/llmcost-chart.XXXXXX",
			 tmp && tmp[0] == '/' ? tmp : "/tmp");
		if (!mkdtemp(c->dir)) {
			int e = errno;

			c->dir[0] = '\0';
			return lc_errf(err, LC_ERUNTIME, "cannot create a temporary directory: %s",
				       strerror(e));
		}
	}
	return 0;
}

FILE *gp_chart_open(struct gp_chart *c, const char *name, struct lc_err *err)
{
	char path[PATH_MAX + 64];
	int fd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, c->keep ? 0666 : 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		lc_errf(err, LC_ERUNTIME, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return f;
}

int gp_chart_close(FILE *f, const char *name, struct lc_err *err)
{
	int bad = ferror(f);

	if (fclose(f) || bad)
		return lc_errf(err, LC_ERUNTIME, "cannot write '%s'", name);
	return 0;
}

void gp_preamble(const struct gp_chart *c, FILE *f)
{
	static const char *const ext[] = { "png", "svg", "txt" };

	fprintf(f, "# llmcost plot %s: a gnuplot script written by llmcost.\n", c->kind);
	fprintf(f, "# Restyle it and redraw, in this directory: gnuplot -c %s.gp OUTPUT.%s\n",
		c->kind, ext[c->fmt]);
	fputs("set encoding utf8\n", f);
	switch (c->fmt) {
	case GP_PNG:
		fprintf(f, "set terminal pngcairo size %d,%d noenhanced font \"DejaVu Sans,11\" "
			   "fontscale %d linewidth %.1f rounded\n",
			c->width, c->height, c->scale > 1 ? c->scale : 1,
			1.2 * (c->scale > 1 ? c->scale : 1));
		break;
	case GP_SVG:
		fprintf(f, "set terminal svg size %d,%d noenhanced font \"DejaVu Sans,11\" "
			   "fontscale %d linewidth %.1f rounded background rgb \"white\"\n",
			c->width, c->height, c->scale > 1 ? c->scale : 1,
			1.2 * (c->scale > 1 ? c->scale : 1));
		break;
	case GP_DUMB:
		fprintf(f, "set terminal dumb size %d,%d noenhanced %s\n", c->width, c->height,
			c->color ? "ansi" : "mono");
		break;
	}
	fprintf(f, "out = ARGC > 0 ? ARG1 : \"%s.%s\"\nset output out\n", c->kind, ext[c->fmt]);
	fputs("set termoption noenhanced\n"
	      "set datafile separator \"\\t\"\n"
	      "set datafile commentschars \"\"\n"
	      "set datafile missing \"\"\n",
	      f);
}

/* ---- running gnuplot ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int timeout_ms(void)
{
	const char *t = getenv("LLMCOST_GNUPLOT_TIMEOUT");
	int64_t v;

	if (t && *t && !money_parse(t, strlen(t), 3, &v, NULL, NULL) && v > 0 && v <= 86400000)
		return (int)v;
	return GP_DEFAULT_TIMEOUT_MS;
}

/* The child's environment: ours, with numbers in the C locale. */
static char **child_env(void)
{
	size_t n = 0, k = 0;
	char **env;
	const char *all = getenv("LC_ALL");

	while (environ[n])
		n++;
	env = xcalloc(n + 3, sizeof(*env));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) && strncmp(environ[i], "LC_NUMERIC=", 11) &&
		    !(all && *all && !strncmp(environ[i], "LC_CTYPE=", 9)))
			env[k++] = environ[i];
	/* LC_ALL would override LC_NUMERIC: keep its character set as LC_CTYPE */
	if (all && *all) {
		static char ctype[256];

		snprintf(ctype, sizeof(ctype), "LC_CTYPE=%s", all);
		env[k++] = ctype;
	}
	env[k++] = "LC_NUMERIC=C";
	env[k] = NULL;
	return env;
}

/* Append what is readable on fd to buf (up to GP_STDERR_MAX); 0 at EOF. */
static int drain(int fd, char *buf, size_t *len)
{
	char tmp[1024];
	ssize_t r = read(fd, tmp, sizeof(tmp));

	if (r > 0) {
		size_t room = GP_STDERR_MAX - *len;
		size_t take = (size_t)r < room ? (size_t)r : room;

		memcpy(buf + *len, tmp, take);
		*len += take;
		buf[*len] = '\0';
		return 1;
	}
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	return 0;
}

/* Last lines of gnuplot's stderr, controls replaced, for a message. */
static void tidy(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			*p = ' ';
	if (n > 700)
		memmove(s, s + n - 700, 701);
}

int gp_run(const char *cwd, const char *script, const char *arg1, struct lc_err *err)
{
	const char *prog = getenv("LLMCOST_GNUPLOT");
	char *argv[6];
	char errbuf[GP_STDERR_MAX + 1] = "";
	size_t errlen = 0;
	int pipefd[2], rc, status = 0, done = 0, open_pipe = 1, tmo = timeout_ms();
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	char **env;
	long long deadline;

	if (!prog || !*prog)
		prog = "gnuplot";
	argv[0] = (char *)prog;
	argv[1] = "-d";
	argv[2] = "-c";
	argv[3] = (char *)script;
	argv[4] = (char *)arg1;
	argv[5] = NULL;
	if (pipe2(pipefd, O_CLOEXEC))
		return lc_errf(err, LC_ERUNTIME, "cannot run gnuplot: %s", strerror(errno));
	if (!(env = child_env())) {
		close(pipefd[0]);
		close(pipefd[1]);
		return lc_errf(err, LC_ERUNTIME, "out of memory");
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addchdir_np(&fa, cwd);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					      POSIX_SPAWN_SETPGROUP);
	rc = strchr(prog, '/') ? posix_spawn(&pid, prog, &fa, &at, argv, env)
			       : posix_spawnp(&pid, prog, &fa, &at, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(env);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		if (rc == ENOENT)
			return lc_errf(err, LC_ERUNTIME,
				       "gnuplot not found ('%s'): install gnuplot (apt-get install "
				       "gnuplot-nox), or set LLMCOST_GNUPLOT to its path",
				       prog);
		return lc_errf(err, LC_ERUNTIME, "cannot run '%s': %s", prog, strerror(rc));
	}
	deadline = now_ms() + tmo;
	while (!done) {
		long long left = deadline - now_ms();
		struct pollfd p = { pipefd[0], POLLIN, 0 };
		pid_t w;

		if (left <= 0)
			break;
		if (open_pipe) {
			if (poll(&p, 1, left < 50 ? (int)left : 50) > 0)
				open_pipe = drain(pipefd[0], errbuf, &errlen);
		} else {
			struct timespec ts = { 0, 20 * 1000000L };

			nanosleep(&ts, NULL);
		}
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			done = 1;
	}
	/* kill the whole group: gnuplot, or anything it left behind */
	kill(-pid, SIGKILL);
	if (!done)
		waitpid(pid, &status, 0);
	else {
		/* read what is left without blocking */
		int fl = fcntl(pipefd[0], F_GETFL);
		struct pollfd p = { pipefd[0], POLLIN, 0 };

		fcntl(pipefd[0], F_SETFL, fl | O_NONBLOCK);
		while (open_pipe && poll(&p, 1, 0) > 0 && drain(pipefd[0], errbuf, &errlen) &&
		       (p.revents & POLLIN))
			;
	}
	close(pipefd[0]);
	tidy(errbuf);
	if (!done)
		return lc_errf(err, LC_ERUNTIME,
			       "gnuplot did not finish within %d.%03d s and was killed "
			       "(LLMCOST_GNUPLOT_TIMEOUT sets the limit)",
			       tmo / 1000, tmo % 1000);
	if (WIFSIGNALED(status))
		return lc_errf(err, LC_ERUNTIME, "gnuplot was killed by signal %d%s%s",
			       WTERMSIG(status), errbuf[0] ? ":\n" : "", errbuf);
	/* some posix_spawnp implementations (valgrind's, old glibc) report a
	   program that is not there as a child exiting 127, not as ENOENT */
	if (WEXITSTATUS(status) == 127 && !errbuf[0])
		return lc_errf(err, LC_ERUNTIME,
			       "gnuplot not found ('%s'): install gnuplot (apt-get install "
			       "gnuplot-nox), or set LLMCOST_GNUPLOT to its path",
			       prog);
	if (WEXITSTATUS(status) != 0)
		return lc_errf(err, LC_ERUNTIME, "gnuplot failed (exit %d)%s%s", WEXITSTATUS(status),
			       errbuf[0] ? ":\n" : "", errbuf);
	return 0;
}

/* Copy the file at path to out; -1 on a read or write error. */
static int copy_to(const char *path, FILE *out)
{
	FILE *in = fopen(path, "r");
	char buf[8192];
	size_t n;
	int bad;

	if (!in)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	bad = ferror(in) || ferror(out);
	fclose(in);
	return bad ? -1 : 0;
}

int gp_chart_draw(struct gp_chart *c, FILE *term, struct lc_err *err)
{
	char tmp[2 * PATH_MAX + 64];
	struct stat st;
	int fd;
	mode_t mask;

	snprintf(c->script, sizeof(c->script), "%.4000s/%.31s.gp", c->dir, c->kind);
	if (c->fmt == GP_DUMB) {
		snprintf(tmp, sizeof(tmp), "%.4000s/.%.31s.txt.XXXXXX", c->dir, c->kind);
	} else {
		char *slash = strrchr(c->out, '/');

		/* next to the target, so the rename is atomic */
		snprintf(tmp, sizeof(tmp), "%.*s/.%s.XXXXXX", (int)(slash - c->out), c->out,
			 slash + 1);
	}
	fd = mkstemp(tmp);
	if (fd < 0)
		return lc_errf(err, LC_ERUNTIME, "cannot write the chart '%s': %s",
			       c->fmt == GP_DUMB ? tmp : c->out, strerror(errno));
	close(fd);
	if (gp_run(c->dir, c->script, tmp, err)) {
		unlink(tmp);
		return -1;
	}
	if (stat(tmp, &st) || st.st_size == 0) {
		unlink(tmp);
		return lc_errf(err, LC_ERUNTIME, "gnuplot wrote no chart");
	}
	if (c->fmt == GP_DUMB) {
		int r = copy_to(tmp, term);

		unlink(tmp);
		if (r)
			return lc_errf(err, LC_ERUNTIME, "cannot write the chart to standard output");
		return 0;
	}
	mask = umask(0);
	umask(mask);
	chmod(tmp, 0666 & ~mask);
	if (rename(tmp, c->out)) {
		int e = errno;

		unlink(tmp);
		return lc_errf(err, LC_ERUNTIME, "cannot write the chart '%s': %s", c->out,
			       strerror(e));
	}
	return 0;
}

void gp_chart_end(struct gp_chart *c)
{
	DIR *d;
	struct dirent *e;

	if (c->keep || !c->dir[0])
		return;
	/* a private mkdtemp directory: only files llmcost and gnuplot wrote */
	if ((d = opendir(c->dir))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(c->dir);
	c->dir[0] = '\0';
}

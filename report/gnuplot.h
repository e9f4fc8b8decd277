/*
 * gnuplot.h - drawing charts with gnuplot, an external program, safely.
 *
 * A chart is a gnuplot script plus TSV data files in a working directory
 * (a private temporary one, or the user's --script DIR).  Untrusted text
 * (model and provider names from price sheets) goes only into data files,
 * through gp_put_field, or into the script as a double-quoted literal
 * through gp_put_string (reliability checklist section 1.2); nothing else
 * variable reaches the script but numbers and dates llmcost formatted.
 *
 * gnuplot runs as `gnuplot -d -c SCRIPT OUTPUT` through posix_spawn (no
 * shell; -d skips ~/.gnuplot), in the working directory, with stdin
 * /dev/null, LC_NUMERIC=C, in its own process group, under a timeout
 * (LLMCOST_GNUPLOT_TIMEOUT seconds, default 60) after which the group is
 * killed.  The chart is drawn into a temporary file next to the target and
 * renamed into place only when gnuplot succeeded, so a failed run never
 * leaves a partial chart.  The program is $LLMCOST_GNUPLOT, else `gnuplot`
 * on PATH.
 */
#ifndef LC_GNUPLOT_H
#define LC_GNUPLOT_H

#include <limits.h>
#include <stdio.h>

#include "err.h"

enum gp_format { GP_PNG, GP_SVG, GP_DUMB };

struct gp_chart {
	enum gp_format fmt;
	char kind[32];          /* "collapse", ...: names the script and data files */
	char out[PATH_MAX];     /* absolute target path; "" for the terminal (stdout) */
	char dir[PATH_MAX];     /* the working directory (absolute) */
	int keep;               /* 1: the user's --script DIR, kept */
	int width, height;      /* pixels (PNG/SVG) or characters (terminal) */
	int color;              /* terminal: ANSI colours */
	char script[PATH_MAX + 64]; /* the script's absolute path, once written */
	int scale;              /* PNG/SVG: width and height are scale x the base size,
				   fonts and lines scale with them (0 or 1: none) */
};

/*
 * Prepare a chart: pick the format from out's extension (.png or .svg;
 * out NULL or "" means the terminal), check the target (a path starting
 * with '|' or '<' is refused, LC_EUSAGE), and create the working directory
 * (script_dir, created when missing, or a private temporary one).  Returns
 * 0 or -1 with err; call gp_chart_end in every case.
 */
int gp_chart_begin(struct gp_chart *c, const char *kind, const char *out, const char *script_dir,
		   struct lc_err *err);

/* Open the file `name` (a plain name chosen by llmcost) in the working directory for writing. */
FILE *gp_chart_open(struct gp_chart *c, const char *name, struct lc_err *err);

/* Close f, turning a write error into -1 with err naming `name`. */
int gp_chart_close(FILE *f, const char *name, struct lc_err *err);

/*
 * Write the script preamble to f: encoding, terminal (by format, size and
 * fonts), `set output` from ARG1 (default KIND.png/.svg/.txt, so the kept
 * script runs as `gnuplot -c KIND.gp OUT`), TSV data settings, noenhanced
 * text.
 */
void gp_preamble(const struct gp_chart *c, FILE *f);

/*
 * Run gnuplot on the script `KIND.gp` of the working directory (written by
 * the caller) and put the chart in place: rename it to the target, or copy
 * it to `term` (stdout) for the terminal.  Returns 0, or -1 with err:
 * LC_ERUNTIME for gnuplot missing ("install gnuplot (apt-get install
 * gnuplot-nox)"), failed (its stderr in the message), killed after the
 * timeout, or an unwritable target.
 */
int gp_chart_draw(struct gp_chart *c, FILE *term, struct lc_err *err);

/* Remove the temporary working directory (a --script DIR is kept). */
void gp_chart_end(struct gp_chart *c);

/*
 * Write s as one quoted TSV field for gnuplot: invalid UTF-8 becomes U+FFFD,
 * control characters (C0, DEL, C1) a space, '\' "\\", '"' "\042", inside
 * double quotes.  Safe for columnheader(), xticlabels() and `with labels`.
 */
void gp_put_field(FILE *f, const char *s);

/*
 * Write s as a double-quoted gnuplot string literal for the script:
 * invalid UTF-8 -> U+FFFD, controls -> space, '\' -> "\\", '"' -> "\"",
 * '`' -> "\140" (a backquote in a double-quoted string runs a command).
 */
void gp_put_string(FILE *f, const char *s);

/*
 * Run `prog -d -c script arg1` under the runner's rules (exposed for tests
 * and html.c).  cwd is the working directory.  Returns 0 or -1 with err.
 */
int gp_run(const char *cwd, const char *script, const char *arg1, struct lc_err *err);

#endif

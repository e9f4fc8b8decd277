#!/bin/sh
# tests/complexity.sh - `make complexity`: the size and complexity gate.
#
# Runs pmccabe over every .c file under lib/ pricing/ ingest/ report/ cmd/
# and fails (exit 1) when a function
#   - scores more than MAX_SCORE (50) in modified cyclomatic complexity
#     (pmccabe's first column: a switch counts once, not once per case),
#     the threshold of curl's gate: past it a function has more paths than
#     a reader or a test can cover;
#   - or is longer than MAX_LINES (200) lines, comments and blank lines
#     included (pmccabe's fifth column): about four screens.  The score
#     misses a long function that never branches; 200 leaves alone the
#     longest straight pipelines that read well today (db_sheet_ingest:
#     one transaction, 182 lines) and catches the outliers (a 337-line
#     chart, a 236-line option switch);
# or when pmccabe cannot parse a file (the gate could not vouch for it).
#
# tests/complexity.allow lists the exceptions, one a line:
#   FUNCTION FILE REASON...
# (blank lines and lines starting with '#' ignored).  An exception must say
# why the function is better whole; one that no longer exceeds a limit, or
# whose function is gone, fails the gate too, so the list cannot go stale.
#
#   MAX_SCORE=N MAX_LINES=N sh tests/complexity.sh   other limits (trying)
set -u
cd "$(dirname "$0")/.."
MAX_SCORE=${MAX_SCORE:-50}
MAX_LINES=${MAX_LINES:-200}
ALLOW=tests/complexity.allow

if ! command -v pmccabe >/dev/null 2>&1; then
	echo "complexity: pmccabe not found (Debian package pmccabe; ./install.sh installs it)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
files=$(ls lib/*.c tokenize/*.c pricing/*.c ingest/*.c report/*.c cmd/*.c 2>/dev/null)
# shellcheck disable=SC2086 # file names have no spaces
pmccabe $files >"$tmp/scores" 2>"$tmp/errors"
st=$?
if [ "$st" -ne 0 ] || [ -s "$tmp/errors" ]; then
	echo "complexity: pmccabe could not parse the code (exit $st):"
	cat "$tmp/errors"
	exit 1
fi
[ -f "$ALLOW" ] || : >"$ALLOW"

# scores: score, traditional score, statements, first line, lines,
# "file(line): name"
awk -v max_score="$MAX_SCORE" -v max_lines="$MAX_LINES" -v allow="$ALLOW" '
BEGIN {
	while ((getline line < allow) > 0) {
		n++
		if (line ~ /^[ \t]*(#|$)/)
			continue
		split(line, f, /[ \t]+/)
		if (f[3] == "") {
			printf "%s:%d: an exception needs FUNCTION FILE REASON\n", allow, n
			bad++
			continue
		}
		key = f[2] ":" f[1]
		excepted[key] = n
		used[key] = 0
	}
}
{
	where = $6
	file = where
	sub(/\(.*/, "", file)
	start = where
	sub(/^[^(]*\(/, "", start)
	sub(/\).*/, "", start)
	name = $7
	key = file ":" name
	over = ""
	if ($1 > max_score)
		over = over sprintf(" score %d > %d", $1, max_score)
	if ($5 > max_lines)
		over = over sprintf(" %d lines > %d", $5, max_lines)
	if (over == "")
		next
	if (key in excepted) {
		used[key] = 1
		printf "excepted: %s:%s: %s():%s (%s line %d)\n", file, start, name, over, allow, excepted[key]
		next
	}
	printf "%s:%s: %s():%s\n", file, start, name, over
	bad++
}
END {
	for (key in used)
		if (!used[key]) {
			printf "%s:%d: stale exception %s: within the limits or gone; remove the line\n", allow, excepted[key], key
			bad++
		}
	printf "complexity: %d problem(s); limits: score %d, %d lines\n", bad, max_score, max_lines
	exit bad > 0
}' "$tmp/scores"

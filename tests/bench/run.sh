#!/bin/sh
# tests/bench/run.sh - `make bench`: runs every tests/bench/b_*.sh with
# LLMCOST and TOOLS set.  Each benchmark prints its own figures; a benchmark
# that misses its target exits non-zero.  BENCH="b_x ..." runs a subset.
set -u
: "${LLMCOST:?}"
top=$(cd "$(dirname "$0")/../.." && pwd)
export TOP="$top" LLMCOST TOOLS
failed=0
for b in "$top"/tests/bench/b_*.sh; do
	[ -e "$b" ] || continue
	name=$(basename "$b" .sh)
	if [ -n "${BENCH:-}" ]; then
		case " $BENCH " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "== $name"
	sh "$b" || failed=$((failed + 1))
done
echo "benchmarks failed: $failed"
[ "$failed" -eq 0 ]

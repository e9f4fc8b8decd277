#!/bin/sh
# tests/valgrind.sh LLMCOST BUILD - the whole suite (unit tests, fuzz replays,
# CLI tests) with every program under valgrind: memcheck errors and definite
# or indirect leaks make the program exit 99, which fails the test that ran
# it; each run's report is kept in BUILD/valgrind/logs/ and the total is
# printed at the end.  Called by `make valgrind`.  Valgrind slows every
# writer some 30 times, so the busy timeout is raised to 120 s (the busy
# test sets its own) and the kill -9 tests make fewer runs.
set -u
bin=${1:?usage: valgrind.sh LLMCOST BUILD}
build=${2:?usage: valgrind.sh LLMCOST BUILD}
top=$(cd "$(dirname "$0")/.." && pwd)
vg=$build/valgrind
rm -rf "$vg"
mkdir -p "$vg/logs" "$vg/replay"
# fault tests run llmcost as an unprivileged user, whose reports go here too
chmod 1777 "$vg/logs"
# an absolute path: some tests run llmcost with a PATH that hides tools
vgbin=$(command -v valgrind) || { echo "valgrind.sh: valgrind is not installed"; exit 1; }
cmd="$vgbin --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect -q --log-file=$vg/logs/%p.log"
wrap() { # wrap REAL WRAPPER
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$cmd" "$1" >"$2"
	chmod +x "$2"
}
wrap "$bin" "$vg/llmcost"
for r in "$build"/replay/fuzz_*; do
	case $r in *.d) continue ;; esac
	wrap "$r" "$vg/replay/$(basename "$r")"
done
units=""
for u in "$build"/tests/test_*; do
	case $u in *.d) continue ;; esac
	wrap "$u" "$vg/$(basename "$u")"
	units="$units $vg/$(basename "$u")"
done
LLMCOST="$vg/llmcost" TOOLS="$build/tools" FUZZ_REPLAY="$vg/replay" UNIT_BINS="$units" \
	LLMCOST_VALGRIND=1 KILL_RUNS=${KILL_RUNS:-4} LLMCOST_BUSY_TIMEOUT_MS=${LLMCOST_BUSY_TIMEOUT_MS:-120000} \
	sh "$top/tests/run.sh"
rc=$?
# a test may ignore an exit code; the logs do not lie
nerr=0
for f in "$vg"/logs/*.log; do
	[ -s "$f" ] || continue
	nerr=$((nerr + 1))
	[ "$nerr" -le 5 ] && { echo "valgrind report $f:"; head -n 40 "$f"; }
done
runs=$(ls "$vg"/logs | wc -l)
echo "valgrind: $runs program runs, $nerr with errors or leaks"
[ "$rc" -eq 0 ] && [ "$nerr" -eq 0 ]

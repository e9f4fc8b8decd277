#!/bin/sh
# tests/run.sh - run the tests: the C unit tests and the CLI suite.
#
#   run.sh one NAME DIR [FILE]  run one test file: a unit test binary
#                               (test_*, in $UNIT_DIR) or tests/cli/NAME.sh
#                               (or FILE, when given);
#                               its output goes to DIR/NAME.out, its exit
#                               status to DIR/NAME.rc; prints one line
#   run.sh summary DIR NAME...  the result of each named test from DIR: for a
#                               failed one, its failing checks (TAP `not ok`
#                               lines with their script line, and the
#                               diagnostics); then the total; exits non-zero
#                               when any failed or did not run
#   run.sh                      every test in turn (UNIT_BINS, then
#                               tests/cli/t_*.sh, or those named in TESTS),
#                               then the summary
#
# `make test` runs `one` for each test as its own make target (so `make -j2
# test` runs them in parallel), then `summary`.  LLMCOST (the binary), TOOLS
# (test helper binaries) and FUZZ_REPLAY come from the environment.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export TOP="$top"

# one NAME DIR [FILE]
one() {
	: "${LLMCOST:?LLMCOST must point at the llmcost binary}"
	export LLMCOST TOOLS
	name=$1
	dir=$2
	mkdir -p "$dir"
	rm -f "$dir/$name.rc" "$dir/$name.out"
	case $name in
	t_*) set -- sh "${3:-$top/tests/cli/$name.sh}" ;;
	*) set -- "${3:-${UNIT_DIR:?UNIT_DIR must name the folder of the unit test binaries}/$name}" ;;
	esac
	start=$(date +%s)
	"$@" >"$dir/$name.out" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	echo "$rc" >"$dir/$name.rc"
	if [ "$rc" -eq 0 ]; then
		printf 'ok    %s: %s (%ss)\n' "$name" "$(tail -n 1 "$dir/$name.out" | sed 's/^# //')" "$secs"
	else
		printf 'FAIL  %s (%ss)\n' "$name" "$secs"
	fi
}

summary() {
	dir=$1
	shift
	files=0
	failed=0
	for name in "$@"; do
		files=$((files + 1))
		rc=$(cat "$dir/$name.rc" 2>/dev/null) || rc=""
		[ "$rc" = 0 ] && continue
		failed=$((failed + 1))
		if [ -z "$rc" ]; then
			printf '\nFAIL  %s: did not run or did not finish\n' "$name"
			continue
		fi
		printf '\nFAIL  %s (exit %s; full output in %s):\n' "$name" "$rc" "$dir/$name.out"
		# everything but the passed checks: the `not ok` lines, their
		# diagnostics, anything the test printed outside TAP
		grep -v '^ok ' "$dir/$name.out" | head -n 200
	done
	echo "$files test files, $failed failed"
	[ "$failed" -eq 0 ]
}

case ${1:-} in
one)
	shift
	one "$@"
	exit 0
	;;
summary)
	shift
	summary "$@"
	exit $?
	;;
esac

dir=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-results.XXXXXX")
names=""
for t in ${UNIT_BINS:-}; do
	name=$(basename "$t")
	one "$name" "$dir" "$t"
	names="$names $name"
done
for t in "$top"/tests/cli/t_*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $name "*) ;; *) continue ;; esac
	fi
	one "$name" "$dir"
	names="$names $name"
done
# shellcheck disable=SC2086
summary "$dir" $names
rc=$?
[ "$rc" -eq 0 ] && rm -rf "$dir"
exit $rc

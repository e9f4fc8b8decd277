#!/bin/sh
# tests/run.sh - run every test: the C unit tests, then the CLI suite.
# Called by `make test` with LLMCOST (the binary), TOOLS (test helper
# binaries) and UNIT_BINS set.  Prints one line per test file and a total;
# exits non-zero when anything failed.  TESTS="name ..." runs a subset of
# tests/cli/*.sh.
set -u
: "${LLMCOST:?LLMCOST must point at the llmcost binary}"
export LLMCOST TOOLS
top=$(cd "$(dirname "$0")/.." && pwd)
export TOP="$top"
failed=0
files=0
for t in ${UNIT_BINS:-}; do
	files=$((files + 1))
	if out=$("$t" 2>&1); then
		printf 'ok    %s: %s\n' "$(basename "$t")" "$(printf '%s\n' "$out" | tail -n 1)"
	else
		printf 'FAIL  %s\n%s\n' "$(basename "$t")" "$out"
		failed=$((failed + 1))
	fi
done
for t in "$top"/tests/cli/t_*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $name "*) ;; *) continue ;; esac
	fi
	files=$((files + 1))
	if out=$(sh "$t" 2>&1); then
		printf 'ok    %s: %s\n' "$name" "$(printf '%s\n' "$out" | tail -n 1)"
	else
		printf 'FAIL  %s\n%s\n' "$name" "$out"
		failed=$((failed + 1))
	fi
done
echo "$files test files, $failed failed"
[ "$failed" -eq 0 ]

# Replays the fuzz seed corpus and every kept crash input
# (tests/fuzz/regress/<target>/) through each fuzz target built as a plain
# program (tests/fuzz/replay.c), so a fixed crash stays fixed without clang.
. "$TOP/tests/cli/lib.sh"

if [ -z "${FUZZ_REPLAY:-}" ] || [ ! -d "$FUZZ_REPLAY" ]; then
	bad "FUZZ_REPLAY is not set to the replay binaries (run through make test)"
	done_testing
fi
n=0
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	n=$((n + 1))
	dirs="$TOP/tests/fuzz/corpus/$t"
	[ -d "$TOP/tests/fuzz/regress/$t" ] && dirs="$dirs $TOP/tests/fuzz/regress/$t"
	[ -d "$TOP/tests/fuzz/corpus/$t" ] && ok || bad "$t has no seed corpus"
	# shellcheck disable=SC2086
	if "$FUZZ_REPLAY/$t" $dirs >"$T/out" 2>"$T/err"; then ok; else bad "$t replay failed"; fi
	expect_out "inputs replayed"
done
[ "$n" -ge 4 ] && ok || bad "only $n fuzz targets"
done_testing

#!/bin/sh
# tests/fuzz/smoke.sh BINDIR - run every libFuzzer target in BINDIR for
# FUZZ_SECONDS (default 30) each, starting from the seed corpus
# tests/fuzz/corpus/<target> plus the kept crash inputs tests/fuzz/regress/<target>.
# New interesting inputs go to build/fuzz/work/<target> (never into tests/);
# a crash leaves its input in build/fuzz/crashes/ and fails the run.
# FUZZ_TARGETS="fuzz_a fuzz_b" runs a subset.
set -u
bindir=${1:?usage: smoke.sh BINDIR}
secs=${FUZZ_SECONDS:-30}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/fuzz/work
crashes=$top/build/fuzz/crashes
mkdir -p "$work" "$crashes"
failed=0
n=0
for bin in "$bindir"/fuzz_*; do
	t=$(basename "$bin")
	case $t in *.d) continue ;; esac
	[ -x "$bin" ] || continue
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $t "*) ;; *) continue ;; esac
	fi
	n=$((n + 1))
	mkdir -p "$work/$t"
	seeds="$top/tests/fuzz/corpus/$t"
	[ -d "$top/tests/fuzz/regress/$t" ] && seeds="$seeds $top/tests/fuzz/regress/$t"
	dict=""
	[ -f "$top/tests/fuzz/$t.dict" ] && dict="-dict=$top/tests/fuzz/$t.dict"
	log=$work/$t.log
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$crashes/$t-" $dict \
		"$work/$t" $seeds >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | awk '{printf "%s ", $0}')
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
	if [ "$rc" -eq 0 ]; then
		printf 'ok    %s (%ss): %s %s\n' "$t" "$secs" "$cov" "$stats"
	else
		printf 'FAIL  %s (exit %s); log %s\n' "$t" "$rc" "$log"
		grep -E 'ERROR|invariant failed|Test unit written|SUMMARY' "$log" | head -n 20
		failed=$((failed + 1))
	fi
done
echo "$n fuzz targets, $failed failed"
[ "$n" -gt 0 ] && [ "$failed" -eq 0 ]

#!/bin/sh
# b_usage.sh - usage-log ingest and report speed and memory, against ccusage.
#
#   RECORDS=1000000 (default; about 4 GB of Claude Code logs) BENCH_DIR=/tmp
#
# Generates logs with tests/tools/gen_claude_logs, then measures (wall time,
# peak RSS from /usr/bin/time -v or the shell's `time`):
#   1. llmcost: first ingest + daily report, into a fresh database
#   2. llmcost: the daily report again (nothing changed), and a no-op
#      re-ingest followed by the report
#   3. ccusage 20.0.24 (`ccusage daily --offline --json`, installed with npm
#      into a temporary folder, CLAUDE_CONFIG_DIR pointing at the same logs)
# Targets: (1) at least 3x faster than ccusage, (2) at least 100x faster,
# peak RSS under 64 MB.  Exits 1 when a target is missed.
set -u
: "${LLMCOST:?}" "${TOOLS:?}"
RECORDS=${RECORDS:-1000000}
BASE=${BENCH_DIR:-${TMPDIR:-/tmp}}
need_mb=$((RECORDS * 45 / 10000 + 500))
avail_mb=$(df -Pm "$BASE" | awk 'NR==2 {print $4}')
if [ "$avail_mb" -lt "$need_mb" ]; then
	echo "b_usage: need about $need_mb MB in $BASE, have $avail_mb MB; run with a smaller RECORDS"
	exit 1
fi
W=$(mktemp -d "$BASE/llmcost-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LLMCOST_DB="$W/llmcost.db"

# measure NAME CMD...: prints "NAME: S s, R MB" and sets $secs and $rss_mb
measure() {
	name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$W/time" "$@" >"$W/$name.out" 2>"$W/$name.err"
	st=$?
	secs=$(awk '{print $1}' "$W/time" | tail -n 1)
	rss_mb=$(awk '{printf "%.1f", $2 / 1024}' "$W/time" | tail -n 1)
	echo "$name: $secs s, peak RSS $rss_mb MB (exit $st)"
}

echo "generating $RECORDS API responses of Claude Code logs in $W/logs ..."
"$TOOLS/gen_claude_logs" "$W/logs" "$RECORDS" 1 || exit 1
echo "logs: $(du -sm "$W/logs" | awk '{print $1}') MB in $(find "$W/logs" -name '*.jsonl' | wc -l) files"

measure llmcost_ingest "$LLMCOST" ingest usage "$W/logs/projects"
ing=$secs ing_rss=$rss_mb
cat "$W/llmcost_ingest.out"
measure llmcost_report "$LLMCOST" usage daily --json
rep=$secs rep_rss=$rss_mb
first=$(python3 -c "print(round($ing + $rep, 2))")
echo "llmcost first ingest + report: $first s"
measure llmcost_report2 "$LLMCOST" usage daily --json
again=$secs
measure llmcost_noop_ingest "$LLMCOST" ingest usage "$W/logs/projects"
noop=$secs
noop_total=$(python3 -c "print(round($noop + $again, 3))")
echo "llmcost no-op re-ingest + report: $noop_total s"
"$LLMCOST" usage daily | tail -n 3

cc=""
if command -v npm >/dev/null 2>&1 &&
	(cd "$W" && npm install --silent --no-audit --no-fund --prefix "$W/npm" ccusage@20.0.24 >"$W/npm.log" 2>&1); then
	cc="$W/npm/node_modules/.bin/ccusage"
else
	echo "ccusage could not be installed: $(tail -n 3 "$W/npm.log" 2>/dev/null || echo 'npm not found')"
fi
fail=0
if [ -n "$cc" ]; then
	export CLAUDE_CONFIG_DIR="$W/logs"
	measure ccusage "$cc" daily --offline --json
	ccs=$secs cc_rss=$rss_mb
	measure ccusage2 "$cc" daily --offline --json
	ccs2=$secs
	python3 - "$W/ccusage.out" "$W/llmcost_report.out" <<'PY'
import json, sys
from decimal import Decimal
cc = json.load(open(sys.argv[1]))
lc = json.load(open(sys.argv[2]), parse_float=Decimal)
ccd = {d["period"] if "period" in d else d["date"]: d for d in cc.get("daily", cc.get("data", []))}
n = same = 0
for r in lc["rows"]:
    d = ccd.get(r["key"])
    if not d:
        continue
    n += 1
    diff = abs(Decimal(str(d["totalCost"])) - r["cost"])
    same += diff < Decimal("0.005")
print("daily totals within a cent of ccusage: %d of %d days" % (same, n))
print("total: llmcost %s, ccusage %s (difference: long-context requests, see README)"
      % (lc["total"]["cost"], cc["totals"]["totalCost"]))
PY
	sp1=$(python3 -c "print(round($ccs / $first, 1))")
	sp2=$(python3 -c "print(round($ccs2 / max($again, 0.001), 1))")
	sp3=$(python3 -c "print(round($ccs2 / max($noop_total, 0.001), 1))")
	echo "speed-up, first ingest + report vs ccusage: ${sp1}x (target 3x)"
	echo "speed-up, repeated report vs ccusage: ${sp2}x (target 100x); with a no-op re-ingest first: ${sp3}x"
	python3 -c "import sys; sys.exit(0 if $sp1 >= 3 else 1)" || { echo "MISSED: first ingest + report under 3x"; fail=1; }
	python3 -c "import sys; sys.exit(0 if $sp2 >= 100 else 1)" || { echo "MISSED: repeated report under 100x"; fail=1; }
	echo "ccusage peak RSS: $cc_rss MB"
fi
echo "llmcost peak RSS: ingest $ing_rss MB, report $rep_rss MB (target < 64 MB)"
python3 -c "import sys; sys.exit(0 if max($ing_rss, $rep_rss) < 64 else 1)" || { echo "MISSED: memory"; fail=1; }
exit $fail

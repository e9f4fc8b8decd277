#!/bin/sh
# b_sheet.sh - memory and time of ingesting a big LiteLLM-format price sheet.
#
#   SHEET_ENTRIES=560000 (default; ~68 MB, as big as the fetch cap allows)
#
# Generates the sheet with tests/bench/gen_litellm.py (distinct models, 13
# hosts, mode chat, input/output prices, some cache prices, context tiers
# and max_tokens), ingests it into a fresh store with /usr/bin/time, then
# ingests it again (nothing changed).  Target: peak RSS under 5 bytes per
# byte of sheet (the whole file is read into memory once; a cJSON tree of
# it and 2 KiB fixed-size entries took 1.6 GB, 23 bytes per byte).
# Exits 1 when the target is missed.
set -u
: "${LLMCOST:?}"
N=${SHEET_ENTRIES:-560000}
W=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/llmcost-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LLMCOST_DB="$W/llmcost.db" HOME="$W"
export LLMCOST_FETCH_MAX_BYTES=134217728
python3 "$TOP/tests/bench/gen_litellm.py" "$N" "$W/sheet.json" || exit 1
bytes=$(wc -c <"$W/sheet.json")
echo "sheet: $N entries, $bytes bytes"
fail=0
for run in first again; do
	/usr/bin/time -f '%e %M' -o "$W/time" "$LLMCOST" ingest prices "$W/sheet.json" \
		--format litellm >"$W/out" 2>"$W/err"
	st=$?
	set -- $(tail -n 1 "$W/time")
	echo "ingest ($run): $1 s, peak RSS $(($2 / 1024)) MB (exit $st); $(head -n 2 "$W/out" | tail -n 1)"
	[ "$st" -eq 0 ] || { cat "$W/err"; fail=1; }
	python3 -c "import sys; sys.exit(0 if $2 * 1024 < 5 * $bytes else 1)" ||
		{ echo "MISSED: peak RSS over 5 bytes per byte of sheet"; fail=1; }
done
exit $fail

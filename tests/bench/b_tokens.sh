#!/bin/sh
# b_tokens - token counting speed and memory (issue 19).
#  1. TOKENS_MB (default 10) MB of mixed text (the fixtures of
#     tests/fixtures/tokens: English, code, JSON, Chinese, Japanese, Korean,
#     emoji, repeated) counted with o200k_base and cl100k_base, single
#     thread, against npm `tiktoken` (its Rust core as WASM) on the same
#     text when node and the package are there (TIKTOKEN_NODE_PATH, default
#     /tmp/tk/node_modules; otherwise only llmcost's figures).  Both counts
#     must agree, and llmcost (the whole process: start, unpacking the
#     vocabulary, reading, counting) must take no more CPU time than
#     tiktoken's encode_ordinary call alone.  CPU time, not wall time: the
#     figures hold on a busy machine.
#  2. Pathological lines: TOKENS_MB MB of one repeated character (a letter,
#     a space, a digit, punctuation, a CJK character) and twice that: the
#     time may at most triple when the input doubles (linear, not quadratic),
#     and the memory is printed.
set -u
: "${LLMCOST:?}"
MB=${TOKENS_MB:-10}
NP=${TIKTOKEN_NODE_PATH:-/tmp/tk/node_modules}
T=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export LLMCOST_DB="$T/bench.db" HOME="$T"
fail=0

python3 - "$TOP/tests/fixtures/tokens" "$T/mixed.txt" "$MB" <<'PY' || exit 1
import os, sys
d, out, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
parts = [open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))
         if f not in ("expected.tsv", "invalid_utf8.bin", "long_run.txt", "long_spaces.txt")]
chunk = b"\n".join(parts) + b"\n"
want = int(mb * 1024 * 1024)
data = (chunk * (want // len(chunk) + 1))[:want]
# cut at a character boundary
while data and (data[-1] & 0xC0) == 0x80 or data and data[-1] >= 0xC0:
    data = data[:-1]
open(out, "wb").write(data)
PY

# measure ARGS... : llmcost's CPU seconds (user + system: the machine may be
# busy) and max RSS; sets secs, kb, count
measure() {
	/usr/bin/time -f '%U %S %M' -o "$T/time" "$LLMCOST" tokens --json "$@" >"$T/out" 2>"$T/err" ||
		{ cat "$T/err"; return 1; }
	secs=$(awk '{ printf "%.2f", $1 + $2 }' "$T/time")
	kb=$(cut -d' ' -f3 "$T/time")
	count=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["tokens"])' "$T/out")
}

bytes=$(wc -c <"$T/mixed.txt")
echo "mixed text: $bytes bytes"
for enc in o200k_base cl100k_base; do
	measure --tokenizer "$enc" "$T/mixed.txt" || exit 1
	line="  $enc: llmcost $count tokens in ${secs}s CPU (whole process), max RSS $((kb / 1024)) MB"
	if [ -d "$NP/tiktoken" ] && command -v node >/dev/null; then
		ref=$(NODE_PATH="$NP" node -e '
			const fs = require("fs"), { get_encoding } = require("tiktoken");
			const text = fs.readFileSync(process.argv[1]).toString("utf8");
			const enc = get_encoding(process.argv[2]);
			const t0 = process.cpuUsage();
			const n = enc.encode_ordinary(text).length;
			const u = process.cpuUsage(t0), s = (u.user + u.system) / 1e6;
			console.log(n + " " + s.toFixed(2));' "$T/mixed.txt" "$enc") || exit 1
		rn=${ref% *}
		rs=${ref#* }
		echo "$line; tiktoken (WASM) $rn tokens in ${rs}s CPU (encode only)"
		[ "$rn" = "$count" ] || { echo "  FAIL: counts differ"; fail=1; }
		awk -v a="$secs" -v b="$rs" 'BEGIN { exit !(a <= b) }' ||
			{ echo "  FAIL: slower than tiktoken"; fail=1; }
	else
		echo "$line; tiktoken not found under $NP: no comparison"
	fi
done

echo "one repeated character, $MB MB and $((MB * 2)) MB (o200k_base):"
for ch in a ' ' 7 '!' '中'; do
	for k in 1 2; do
		python3 -c 'import sys; sys.stdout.buffer.write((sys.argv[1] * (int(float(sys.argv[2]) * 1048576) // len(sys.argv[1].encode()))).encode())' \
			"$ch" "$(echo "$MB * $k" | bc)" >"$T/run.txt"
		measure --tokenizer o200k_base "$T/run.txt" || exit 1
		eval "s$k=$secs k$k=$kb c$k=$count"
	done
	printf "  '%s': %s tokens %ss %s MB RSS; doubled: %s tokens %ss %s MB RSS\n" "$ch" \
		"$c1" "$s1" "$((k1 / 1024))" "$c2" "$s2" "$((k2 / 1024))"
	awk -v a="$s1" -v b="$s2" 'BEGIN { exit !(b <= 3 * a + 0.05) }' ||
		{ echo "  FAIL: more than 3x the time for 2x the input"; fail=1; }
done
exit $fail

#!/bin/sh
# b_reports.sh - the collapse reports and charts over a big price history.
#
#   OFFERINGS=100000 (default)
#
# A store with OFFERINGS models priced at their host by a generated
# LiteLLM sheet (tests/bench/gen_litellm.py), each with an earlier, closed
# price period starting on one of 700 dates (so the history changes on 700
# dates, each a snapshot of the report).  Times `report collapse` (text and
# --json), `plot collapse` (gnuplot) and `report html`, three runs each.
# Target: under 1 s of CPU (user + sys) each, fastest run; the wall time is
# printed too (this shared VM's load inflates it).  Exits 1 when missed.
set -u
: "${LLMCOST:?}"
N=${OFFERINGS:-100000}
W=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/llmcost-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LLMCOST_DB="$W/llmcost.db" HOME="$W"
python3 "$TOP/tests/bench/gen_litellm.py" "$N" "$W/sheet.json" || exit 1
"$LLMCOST" ingest prices "$W/sheet.json" --format litellm >/dev/null || exit 1
python3 - "$LLMCOST_DB" <<'PY' || exit 1
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
base = datetime.date(2024, 1, 1)
rows = db.execute("SELECT model_id, host, source_id, min_input_tokens, effective_from, input, output "
                  "FROM price_periods WHERE source_id = (SELECT id FROM sources WHERE name = 'litellm')").fetchall()
add = []
for i, (m, h, s, mn, f, inp, out) in enumerate(rows):
    d = (base + datetime.timedelta(days=int(m[2:]) % 700)).isoformat()
    add.append((m, h, s, mn, d, f, inp * 2 if inp is not None else None, out * 2 if out is not None else None))
db.executemany("INSERT INTO price_periods (model_id, host, source_id, min_input_tokens, effective_from, "
               "effective_to, input, output) VALUES (?,?,?,?,?,?,?,?)", add)
db.commit()
print("offerings: %d, price periods: %d" % (
    db.execute("SELECT count(*) FROM (SELECT DISTINCT model_id, host FROM price_periods)").fetchone()[0],
    db.execute("SELECT count(*) FROM price_periods").fetchone()[0]))
PY
fail=0
run() {
	name=$1
	shift
	best_cpu="" best_wall=""
	for i in 1 2 3; do
		/usr/bin/time -f '%e %U %S %M' -o "$W/time" "$@" >"$W/out" 2>"$W/err" ||
			{ echo "$name failed:"; cat "$W/err"; fail=1; return; }
		set -- "$@"
		read -r wall user sys rss <"$W/time"
		cpu=$(python3 -c "print(round($user + $sys, 2))")
		best_cpu=$(python3 -c "print(min(x for x in [$cpu, ${best_cpu:-1e9}]))")
		best_wall=$(python3 -c "print(min(x for x in [$wall, ${best_wall:-1e9}]))")
	done
	echo "$name: fastest $best_cpu s CPU, $best_wall s wall, peak RSS $((rss / 1024)) MB"
	python3 -c "import sys; sys.exit(0 if $best_cpu < 1 else 1)" ||
		{ echo "MISSED: $name over 1 s"; fail=1; }
}
run "report collapse" "$LLMCOST" report collapse
run "report collapse --json" "$LLMCOST" report collapse --json
run "plot collapse" "$LLMCOST" plot collapse -o "$W/c.png"
run "report html" "$LLMCOST" report html -o "$W/r.html"
exit $fail

# plot pareto --at DATE: price against quality on one date; the frontier
# drawn is exactly the Pareto set of the points drawn (no cheaper model
# scores as high), it follows the data, and its labels are rounded money.
. "$TOP/tests/cli/lib.sh"

svg_text() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print("\n".join(n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild))' "$1"; }

# the frontier file holds exactly the Pareto-optimal points of both files
check_front() { # DIR WHAT
	python3 - "$1" <<'PY' && ok || bad "$2: the frontier is not the Pareto set of the points"
import sys
from decimal import Decimal
def rows(name):
    out = []
    for line in open(sys.argv[1] + "/" + name):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 2 and f[0]:
            out.append((Decimal(f[0]), float(f[1])))
    return out
front, rest = rows("pareto-front.tsv"), rows("pareto-all.tsv")
pts = sorted(front + rest, key=lambda p: (p[0], -p[1]))
want, best = [], None
for p in pts:
    if best is None or p[1] > best:
        want.append(p)
        best = p[1]
ok = sorted(want) == sorted(front) and len(front) >= 2 and len(rest) >= 1
if not ok:
    print("# want %r got %r" % (want, front), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

expect_rc 0 plot pareto --at 2024-12-31 -o "$T/p.svg" --script "$T/s1"
check_front "$T/s1" "built-in data"
svg_text "$T/p.svg" >"$T/p.txt"
grep -qF "Cheapest for its quality on 2024-12-31" "$T/p.txt" && ok || bad "pareto: the title"
grep -qF "leaderboard snapshot 2024-12-31" "$T/p.txt" && ok || bad "pareto: the snapshot"
grep -qxF "deepseek-v3  \$0.18" "$T/p.txt" && ok || bad "pareto: deepseek-v3 is not named on the frontier"
grep -qxF "gemini-1.5-flash-8b  \$0.066" "$T/p.txt" && ok || bad "pareto: gemini-1.5-flash-8b is not named with its rounded price"
grep -q '0\.065625' "$T/s1/pareto-front.tsv" && ok || bad "pareto: the data file lost the exact price"
grep -q 'set logscale x' "$T/s1/pareto.gp" && ok || bad "pareto: price is not on a log scale"
python3 "$TOP/tests/cli/svg_layout.py" "$T/p.svg" >"$T/layout.out" && ok || { bad "pareto: layout"; diag "$(cat "$T/layout.out")"; }

# the data changes: a price cut moves flash-8b down the frontier
expect_rc 0 ingest prices "$FIX/prices/cut-2024.csv" --priority -1
expect_rc 0 plot pareto --at 2024-12-31 -o "$T/p2.svg" --script "$T/s2"
check_front "$T/s2" "after a price cut"
svg_text "$T/p2.svg" | grep -qxF "gemini-1.5-flash-8b  \$0.0088" && ok || bad "pareto: the cut price is not on the chart"

# terminal, PNG, other benchmark; no data; wrong use
expect_rc 0 plot pareto --at 2024-12-31 --terminal
expect_out "Cheapest for its quality on 2024-12-31"
expect_rc 0 plot pareto --at 2024-06-30 --benchmark mmlu -o "$T/p3.png"
expect_rc 3 plot pareto --at 2021-01-01 -o "$T/none.png"
expect_err "no data"
[ ! -e "$T/none.png" ] && ok || bad "a chart without data"
expect_rc 2 plot pareto --at 2024-12-31
expect_err "exactly one of -o FILE and --terminal"
expect_rc 2 plot --terminal pareto
expect_err "put pareto first"

done_testing

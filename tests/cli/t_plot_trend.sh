# The frontier's trend: the least-squares fit of log10(price) against time
# that `report collapse --json` prints ("frontier_fit") and `plot frontier`
# writes on the chart ("/N per year") equals python3's least squares on the
# same points, and changes when the data does (a price cut in a sheet).
. "$TOP/tests/cli/lib.sh"

svg_text() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print("\n".join(n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild))' "$1"; }

# python3's fit of the frontier printed on stdout: the same points (date,
# blended price), x in years of 365.25 days since 1970-01-01, y log10(USD)
check_fit() { # WHAT
	python3 - "$T/out" <<'PY' && ok || bad "$1: the fit differs from python3's least squares"
import datetime, json, math, sys
j = json.load(open(sys.argv[1]))
pts = [((datetime.date.fromisoformat(r["date"]) - datetime.date(1970, 1, 1)).days / 365.25,
        math.log10(r["blended_per_mtok"])) for r in j["frontier"] if r["blended_per_mtok"] > 0]
n = len(pts)
mx = sum(p[0] for p in pts) / n
my = sum(p[1] for p in pts) / n
slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
f = j["frontier_fit"]
ok = f["points"] == n and abs(f["log10_slope_per_year"] - slope) < 1e-8 \
    and abs(f["divided_per_year"] / 10 ** -slope - 1) < 1e-5
if not ok:
    print("# want slope %r /%r, got %r" % (slope, 10 ** -slope, f), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
rate() { # the chart's rate in $T/out's fit, as the chart writes it ("÷75 per year")
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))["frontier_fit"]["divided_per_year"]
print("\u00f7%s per year" % (("%.0f" % (v if v < 100 else round(v / 10) * 10)) if v >= 10 else "%.1f" % v))' "$T/out"
}

expect_rc 0 report collapse --to 2024-12-31 --json
check_fit "built-in data"
before=$(json_get 'j["frontier_fit"]["divided_per_year"]')
rate1=$(rate)
expect_rc 0 plot frontier --min-quality gpt-4-0314 --to 2024-12-31 -o "$T/f1.svg"
svg_text "$T/f1.svg" | grep -qF "Trend $rate1 (least squares" && ok || bad "frontier: the rate $rate1 is not on the chart"
expect_rc 0 plot frontier --to 2024-12-31 -o "$T/tiers.svg"
svg_text "$T/tiers.svg" | grep -qxF "$rate1" && ok || bad "frontier tiers: gpt-4-0314's rate $rate1 is not on the chart"

# a price cut in a sheet (a source that wins over the built-in data): the
# frontier gains a point, the fit and the chart change
expect_rc 0 ingest prices "$FIX/prices/cut-2024.csv" --priority -1
expect_rc 0 report collapse --to 2024-12-31 --json
check_fit "after a price cut"
after=$(json_get 'j["frontier_fit"]["divided_per_year"]')
python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) > float(sys.argv[1]) * 1.2 else 1)' "$before" "$after" \
	&& ok || bad "a cheaper frontier did not steepen the trend ($before -> $after)"
rate2=$(rate)
[ "$rate2" != "$rate1" ] && ok || bad "the rate text did not change"
expect_rc 0 plot frontier --min-quality gpt-4-0314 --to 2024-12-31 -o "$T/f2.svg"
svg_text "$T/f2.svg" | grep -qF "Trend $rate2 (least squares" && ok || bad "frontier: the new rate $rate2 is not on the chart"

# one point only: no trend, null in JSON, the chart still draws
expect_rc 0 report collapse --from 2023-01-01 --to 2023-06-01 --json
expect_eq None "$(json_get 'j["frontier_fit"]')" "no fit from a single point"
expect_rc 0 plot frontier --min-quality gpt-4-0314 --from 2023-01-01 --to 2023-06-01 -o "$T/one.svg"

done_testing

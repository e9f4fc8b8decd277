# plot collapse tells its story: the headline is computed from the data
# (the quality-bar frontier's first price against its lowest), the default
# range frames GPT-4's launch to --to, the families that matter are
# coloured and named at their lines' ends, the rest fold into a faint
# "other families"; --all draws every family coloured.
. "$TOP/tests/cli/lib.sh"

svg_text() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print("\n".join(n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild))' "$1"; }

# the headline python3 computes from report collapse --json (input price)
want_headline() {
	python3 - "$T/out" <<'PY'
import datetime, json, sys
from decimal import Decimal, ROUND_HALF_EVEN
j = json.load(open(sys.argv[1]), parse_float=Decimal)
f = j["frontier"]
lo = min(range(len(f)), key=lambda i: (f[i]["input_per_mtok"], i))
a, b = Decimal(str(f[0]["input_per_mtok"])), Decimal(str(f[lo]["input_per_mtok"]))
def usd(v):
    if v >= Decimal("0.1"):
        return "$%d" % v if v == v.to_integral_value() else "$%s" % v.quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    e = v.adjusted() - 1
    return "$%s" % v.quantize(Decimal(1).scaleb(e), ROUND_HALF_EVEN).normalize()
days = (datetime.date.fromisoformat(f[lo]["date"]) - datetime.date.fromisoformat(f[0]["date"])).days
months = round(days / 30.44)
x = (a / b).quantize(Decimal(1), ROUND_HALF_EVEN)
print("%s-class input price: %s \u2192 %s, %s\u00d7 cheaper in %d months"
      % (j["quality_bar"]["model"], usd(a), usd(b), x, months))
PY
}

expect_rc 0 report collapse --from 2023-03-01 --to 2024-12-31 --json
h1=$(want_headline)
expect_eq "gpt-4-0314-class input price: \$30 → \$0.035, 857× cheaper in 21 months" "$h1" "the built-in data's headline"
expect_rc 0 plot collapse --to 2024-12-31 -o "$T/c1.svg" --script "$T/s1"
svg_text "$T/c1.svg" >"$T/c1.txt"
grep -qxF "$h1" "$T/c1.txt" && ok || bad "collapse: the headline is not the title"
# the default range: GPT-4's launch month to --to
grep -qF "2023-03-01 to 2024-12-31" "$T/c1.txt" && ok || bad "collapse: the default range is not 2023-03 .. --to"
grep -q 'set xrange \[1677628800:' "$T/s1/collapse.gp" && ok || bad "collapse: the x axis does not start on 2023-03-01"
# the families that matter are named at their lines' ends, with a rounded price
grep -qxF "nova-micro \$0.035" "$T/c1.txt" && ok || bad "collapse: the frontier setter nova-micro is not named at its end"
grep -qxF "gpt-4 \$30" "$T/c1.txt" && ok || bad "collapse: gpt-4 is not named at its end"
grep -qF "0.0375" "$T/c1.txt" && bad "collapse: an exact price on a label" || ok
grep -qF "grey: other families" "$T/c1.txt" && ok || bad "collapse: the subtitle does not say what grey is"
[ -s "$T/s1/collapse-other.tsv" ] && ok || bad "collapse: no family folded into 'other'"
named=$(cut -f3 "$T/s1/collapse-labels.tsv" | wc -l)
# --all: every family coloured and more of them named
expect_rc 0 plot collapse --all --to 2024-12-31 -o "$T/c2.svg" --script "$T/s2"
all=$(cut -f3 "$T/s2/collapse-labels.tsv" | wc -l)
[ "$all" -gt "$named" ] && ok || bad "--all names no more families ($all against $named)"
grep -qF "every family" "$T/s2/collapse.gp" && ok || bad "--all: the subtitle"

# change the data: a cheaper price for a frontier model; the headline follows
expect_rc 0 ingest prices "$FIX/prices/cut-2024.csv" --priority -1
expect_rc 0 report collapse --from 2023-03-01 --to 2024-12-31 --json
h2=$(want_headline)
[ "$h2" != "$h1" ] && ok || bad "the price cut did not change the computed headline"
expect_rc 0 plot collapse --to 2024-12-31 -o "$T/c3.svg"
svg_text "$T/c3.svg" | grep -qxF "$h2" && ok || bad "collapse: the new headline '$h2' is not the title"
svg_text "$T/c3.svg" | grep -qxF "$h1" && bad "collapse: the old headline is still drawn" || ok

# a window ending far from 2023: three years before --to
expect_rc 0 plot collapse --to 2028-06-30 -o "$T/c4.svg"
svg_text "$T/c4.svg" | grep -qF "2025-06-30 to 2028-06-30" && ok || bad "collapse: a late --to does not start three years before it"
# --from is kept when given
expect_rc 0 plot collapse --from 2023-06-01 --to 2024-12-31 -o "$T/c5.svg"
svg_text "$T/c5.svg" | grep -qF "2023-06-01 to 2024-12-31" && ok || bad "collapse: --from ignored"

# --scale 2: twice the pixels
expect_rc 0 plot collapse --to 2024-12-31 --scale 2 -o "$T/big.png"
python3 -c 'import struct, sys; b = open(sys.argv[1], "rb").read(); sys.exit(0 if struct.unpack(">II", b[16:24]) == (2400, 1400) else 1)' "$T/big.png" && ok || bad "--scale 2 is not 2400x1400"
expect_rc 2 plot collapse --scale 9 -o "$T/x.png"

done_testing

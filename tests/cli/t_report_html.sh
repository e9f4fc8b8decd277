# `llmcost report html`: one self-contained page (inline CSS and SVG, no
# network references) that renders in headless Chromium.
. "$TOP/tests/cli/lib.sh"

expect_rc 0 report html -o "$T/report.html" --to 2024-12-31
[ -s "$T/report.html" ] && ok || bad "no report written"
python3 - "$T/report.html" <<'PY' && ok || bad "report.html is not self-contained"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
problems = []
if re.search(r'(src|href)\s*=\s*["\']?\s*(https?:)?//', h, re.I): problems.append("network src/href")
if re.search(r'<(script|link|iframe|img|object|embed)\b', h, re.I): problems.append("external element")
if "@import" in h or "url(http" in h: problems.append("css import")
if "<!DOCTYPE svg" in h or "<?xml" in h: problems.append("svg prolog left in")
if h.count("<svg") != 3: problems.append("want 3 inline svg, got %d" % h.count("<svg"))
if 'id="usage"' in h: problems.append("a usage section without usage")
for t in ("List prices by model family", "The price of quality", "Prices on 2024-12-31",
          "gemini-1.5-flash-8b", "800.0x", "<style>"):
    if t not in h: problems.append("missing " + t)
ids = re.findall(r'\bid="([^"]+)"', h) + re.findall(r"\bid='([^']+)'", h)
# each chart's ids carry its prefix, so the inline charts never share one
if not all(i in ("headline", "collapse", "frontier", "pareto", "prices") or i.startswith(("collapse-", "frontier-", "pareto-")) for i in ids):
    problems.append("unprefixed svg ids")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# the Pareto section: between the frontier and the prices, its table the
# models `plot pareto` puts on the frontier for the --to date: sorted by
# price, each scores higher than every cheaper one
expect_rc 0 plot pareto --at 2024-12-31 -o "$T/p.svg" --script "$T/pscript"
python3 - "$T/report.html" "$T/pscript" <<'PY' && ok || bad "the pareto section"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
problems = []
sec = h[h.find('id="pareto"'):h.find('id="prices"')]
if not sec or h.find('id="frontier"') > h.find('id="pareto"'): problems.append("no pareto section after the frontier")
rows = re.findall(r"<tr><td>([^<]*)</td><td>[^<]*</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", sec)
prices = [float(p.replace(",", "")) for _, p, _ in rows]
scores = [float(s) for _, _, s in rows]
if len(rows) < 3: problems.append("want 3 or more frontier models, got %d" % len(rows))
if prices != sorted(prices) or any(b <= a for a, b in zip(scores, scores[1:])): problems.append("not a frontier: %s" % rows)
# the same points `plot pareto` draws on its frontier (exact prices)
front = sorted(float(l.split("\t")[0]) for l in open(sys.argv[2] + "/pareto-front.tsv") if l.strip() and not l.startswith("#"))
if sorted(prices) != front: problems.append("table prices %s, plot's frontier %s" % (prices, front))
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# the headline numbers come first and come from the data: the frontier's
# first and latest price, the factor, the cheapest model at the bar on --to,
# and the date the prices are current to (data/meta.csv's current_to)
current_to=$(sed -n 's/^current_to,\([0-9-]*\),.*/\1/p' "$TOP/data/meta.csv")
for to in 2024-06-30 2024-12-31; do
	expect_rc 0 report collapse --to "$to" --json
	cp "$T/out" "$T/collapse.json"
	expect_rc 0 report html -o "$T/head.html" --to "$to"
	python3 - "$T/head.html" "$T/collapse.json" "$current_to" <<'PY' && ok || bad "headline for --to $to"
import json, re, sys
from decimal import Decimal, ROUND_HALF_EVEN
h = open(sys.argv[1], encoding="utf-8").read()
j = json.load(open(sys.argv[2]))
def price(v):  # exact, at least two decimals
    d = Decimal(str(v))
    return str(d.quantize(Decimal("0.01"))) if d == d.quantize(Decimal("0.01")) else str(d.normalize())
a, b = j["frontier"][0], j["frontier"][-1]
factor = (Decimal(str(a["input_per_mtok"])) / Decimal(str(b["input_per_mtok"]))).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
head = h[h.find('id="headline"'):h.find('id="collapse"')]
problems = []
for t in ("$%s &#8594; $%s" % (price(a["input_per_mtok"]), price(b["input_per_mtok"])),
          "$%s &#8594; $%s" % (price(a["blended_per_mtok"]), price(b["blended_per_mtok"])),
          "<strong>%s&#215; cheaper</strong>" % factor, '<div class="big">%s</div>' % b["model"],
          "$%s input / $%s output" % (price(b["input_per_mtok"]), price(b["output_per_mtok"])),
          '<div class="big">%s</div>' % sys.argv[3], "snapshot of %s" % j["quality_bar"]["snapshot"],
          "gpt-4-0314&#8217;s level"):
    if t not in head: problems.append("missing " + t)
if h.find('id="headline"') > h.find("<svg"): problems.append("headline after a chart")
# a long table is folded, a short one (the frontier's few price changes) is not
fr = h[h.find('id="frontier"'):h.find('id="prices"')]
if ("<details>" in fr) != (len(j["frontier"]) > 12) or "<details><summary>The table of the families" not in h:
    problems.append("folding")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
	grep -o '<div class="big">[^<]*' "$T/head.html" | tr '\n' ' ' >>"$T/bigs"
	echo >>"$T/bigs"
done
[ "$(sort -u "$T/bigs" | wc -l)" = 2 ] && ok || bad "the headline did not change with the data: $(cat "$T/bigs")"
# a bar given as a score is named as one
expect_rc 0 report html -o "$T/head.html" --to 2024-12-31 --min-quality 1250
grep -q "Input \$/M at arena_elo 1250 or more</h3>" "$T/head.html" && ok || bad "a numeric bar in the headline"
# how old the data is when the page is written (LLMCOST_NOW is the clock)
now=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=30))' "$current_to")
LLMCOST_NOW=$now expect_rc 0 report html -o "$T/head.html" --to 2024-12-31
grep -q "prices current to this date, 30 days before this page was written ($now)" "$T/head.html" &&
	ok || bad "the data's age: $(grep -o 'prices current to[^<]*' "$T/head.html")"
LLMCOST_NOW=$current_to expect_rc 0 report html -o "$T/head.html" --to 2024-12-31
grep -q "before this page was written" "$T/head.html" && bad "an age of 0 days shown" || ok

# an existing report is replaced whole or not at all; bad targets are refused
expect_rc 2 report html
expect_rc 2 report html -o "|touch $T/pipe"
[ ! -e "$T/pipe" ] && ok || bad "pipe path ran"
LLMCOST_GNUPLOT=/nonexistent/gnuplot expect_rc 1 report html -o "$T/report.html"
expect_err "install gnuplot"
grep -q "800.0x" "$T/report.html" && ok || bad "a failed run damaged the old report"
ls -a "$T" | grep -q '^\.report' && bad "temporary report left behind" || ok

# rendering in headless Chromium: the DOM holds the tables and the charts
if command -v chromium >/dev/null 2>&1; then
	U=$(mktemp -d "$T/chrome.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$U" --window-size=1200,2000 --screenshot="$T/shot.png" \
		--dump-dom "file://$T/report.html" >"$T/dom.html" 2>"$T/chrome.err"
	expect_eq 0 "$?" "chromium exit status"
	python3 - "$T/dom.html" "$T/shot.png" <<'PY' && ok || bad "chromium did not render the report: $(tail -3 "$T/chrome.err")"
import sys
d = open(sys.argv[1], encoding="utf-8").read()
png = open(sys.argv[2], "rb").read()
need = ["<svg", "<table>", "gemini-1.5-flash-8b", "The cheapest model with"]
missing = [n for n in need if n not in d]
if d.count("<svg") < 2 or d.count("<table>") < 3: missing.append("counts")
if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 50000: missing.append("screenshot")
print(missing, file=sys.stderr)
sys.exit(1 if missing else 0)
PY
	# no error from the page itself (console errors are printed as "CONSOLE")
	grep -q "CONSOLE" "$T/chrome.err" && bad "console errors: $(grep CONSOLE "$T/chrome.err" | head -3)" || ok
else
	skip "rendering in headless Chromium" "chromium is not installed (it is in .ci/packages-test)"
fi

# with usage in the store: the spend chart (with the budget) and its table
expect_rc 0 ingest usage "$FIX/usage/spend.csv"
expect_rc 0 budget set --monthly 20
expect_rc 0 usage daily --json
total=$(json_get 'j["total"]["cost"]')
records=$(json_get 'j["total"]["records"]')
input=$(json_get 'j["total"]["input_tokens"]')
expect_rc 0 report html -o "$T/usage.html" --to 2024-12-31
python3 - "$T/usage.html" "$total" "$records" "$input" <<'PY' && ok || bad "the usage section is wrong"
import re, sys
from decimal import Decimal, ROUND_HALF_EVEN
h = open(sys.argv[1], encoding="utf-8").read()
problems = []
if h.count("<svg") != 4: problems.append("want 4 inline svg, got %d" % h.count("<svg"))
# money to the cent (half-even), counts with thousands separators
cost = Decimal(sys.argv[2])
usd = "$" + format(cost.quantize(Decimal("0.01"), ROUND_HALF_EVEN), ",") if cost >= Decimal("0.01") else None
if usd is None: problems.append("the fixture's total is below a cent: pick a larger one")
cells = re.search(r"<td>total</td>(.*?)</tr>", h)
cells = re.findall(r"<td[^>]*>([^<]*)</td>", cells.group(1)) if cells else []
want = [format(int(sys.argv[3]), ","), format(int(sys.argv[4]), ",")]
if cells[:3] != [usd] + want: problems.append("total row %s, want %s, %s" % (cells, usd, want))
if int(sys.argv[4]) < 1000: problems.append("the fixture's input total has no thousands")
for t in ("<h2 id=\"usage\">Your spend</h2>", "LLM spend per day, by model", "budget $20.00 a month",
          "<strong>%s</strong> in all" % usd, "<details><summary>The table of the days: 46 rows</summary>", "the monthly budget is $20.00", "2024-12-15"):
    if t not in h: problems.append("missing " + t)
if re.search(r"\$\d+\.\d{3,}</td>", h.split('id="usage"')[1].split('id="collapse"')[0]):
    problems.append("a usage cost with more than 2 decimals")
# the page's order: headline numbers, the reader's spend, then the story's charts, prices last
order = [h.find(k) for k in ('id="headline"', 'id="usage"', 'id="collapse"', 'id="frontier"', 'id="pareto"', 'id="prices"')]
if -1 in order or order != sorted(order): problems.append("section order %s" % order)
ids = re.findall(r'\bid="([^"]+)"', h)
if not all(i in ("headline", "collapse", "frontier", "pareto", "prices", "usage") or i.startswith(("collapse-", "frontier-", "pareto-", "spend-")) for i in ids):
    problems.append("unprefixed svg ids")
if re.search(r'<(script|link|iframe|img)\b', h): problems.append("external element")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

done_testing

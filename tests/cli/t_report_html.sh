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
if h.count("<svg") != 2: problems.append("want 2 inline svg, got %d" % h.count("<svg"))
if "Usage spend" in h: problems.append("a usage section without usage")
for t in ("List prices by model family", "The price of quality", "Prices on 2024-12-31",
          "gemini-1.5-flash-8b", "800.0x", "<style>"):
    if t not in h: problems.append("missing " + t)
ids = re.findall(r'\bid="([^"]+)"', h) + re.findall(r"\bid='([^']+)'", h)
# each chart's ids carry its prefix, so the two inline charts never share one
if not all(i in ("collapse", "frontier", "prices") or i.startswith(("collapse-", "frontier-")) for i in ids):
    problems.append("unprefixed svg ids")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

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
expect_rc 0 report html -o "$T/usage.html" --to 2024-12-31
python3 - "$T/usage.html" "$total" <<'PY' && ok || bad "the usage section is wrong"
import re, sys
from decimal import Decimal, ROUND_HALF_EVEN
h = open(sys.argv[1], encoding="utf-8").read()
problems = []
# the exact JSON total as people read it: to the cent, thousands grouped
cents = "${:,.2f}".format(Decimal(sys.argv[2]).quantize(Decimal("0.01"), ROUND_HALF_EVEN))
if '<td class="num">%s</td></tr>' % cents not in h: problems.append("no total cell " + cents)
if not re.search(r'<td class="num">\d{1,3}(,\d{3})+</td>', h): problems.append("no grouped count")
if h.count("<svg") != 3: problems.append("want 3 inline svg, got %d" % h.count("<svg"))
for t in ("<h2 id=\"usage\">Usage spend</h2>", "LLM spend per day, by model", "budget $20.00 a month",
          "%s in all" % cents, "<td>total</td>", "2024-12-15"):
    if t not in h: problems.append("missing " + t)
ids = re.findall(r'\bid="([^"]+)"', h)
if not all(i in ("collapse", "frontier", "prices", "usage") or i.startswith(("collapse-", "frontier-", "spend-")) for i in ids):
    problems.append("unprefixed svg ids")
if re.search(r'<(script|link|iframe|img)\b', h): problems.append("external element")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

done_testing

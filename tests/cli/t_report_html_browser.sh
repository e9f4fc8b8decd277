# `llmcost report html` in a real browser (headless Chromium): at 375 px
# (a phone) and 1400 px (a desktop) wide nothing overflows the viewport and
# no table cell is clipped (a wide table scrolls inside its own container,
# the page never scrolls sideways), tables are fully visible at 1400 px, and
# dark mode (prefers-color-scheme) changes the page's and the charts'
# colours.  Screenshots at both widths, light and dark, are left in the
# test's temporary directory; set LLMCOST_TEST_SHOTS=DIR to keep copies.
#
# The page is shown in an iframe of exactly the width under test (a srcdoc
# copy of the page, same origin as the wrapper): headless Chromium lays a
# page out in a window at least 500 px wide, whatever --window-size says,
# until a screenshot resizes it.  A script in the wrapper measures the
# page on load and writes its findings into the wrapper's <title>, read
# back from --dump-dom; the same run takes the screenshot.
. "$TOP/tests/cli/lib.sh"

if ! command -v chromium >/dev/null 2>&1; then
	skip "report html in headless Chromium" "chromium is not installed (it is in .ci/packages-test)"
	done_testing
fi

# a page with every section: usage (with a budget) as well as the charts
expect_rc 0 ingest usage "$FIX/usage/spend.csv"
expect_rc 0 budget set --monthly 20
expect_rc 0 report html -o "$T/report.html" --to 2024-12-31

chrome() { # OUT_DOM ARGS... : headless Chromium with a profile of its own
	_o=$1
	shift
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$T/profile" "$@" >"$_o" 2>>"$T/chrome.err"
}

# the wrapper: the page in an iframe WIDTH px wide, measured on load
python3 - "$T/report.html" "$T" <<'PY' || bad "cannot write the wrapper pages"
import html, sys
page = open(sys.argv[1], encoding="utf-8").read()
check = r"""
window.onload = function () {
  var d = document.getElementById('f').contentDocument, e = d.documentElement, W = e.clientWidth;
  // folded tables are measured (and shown in the screenshot) open
  var folded = d.querySelectorAll('details');
  folded.forEach(function (x) { x.open = true; });
  var out = {width: W, scrollWidth: e.scrollWidth, folded: folded.length, outside: [], clipped: [], hidden: [],
             wide: [], minFont: 99, order: [], dark: {}};
  var inScroll = function (n) { var s = n.parentElement && n.parentElement.closest('.scroll'); return !!s; };
  d.querySelectorAll('body *').forEach(function (n) {
    var r = n.getBoundingClientRect(), cs = d.defaultView.getComputedStyle(n);
    if (r.width === 0 && r.height === 0) return;
    if (!inScroll(n) && (r.left < -0.5 || r.right > W + 0.5))
      out.outside.push(n.tagName + '.' + n.className.baseVal + n.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    if ((n.tagName === 'TD' || n.tagName === 'TH') && n.scrollWidth > n.clientWidth + 1)
      out.clipped.push(n.textContent);
    if ((n.tagName === 'TD' || n.tagName === 'TH')) out.minFont = Math.min(out.minFont, parseFloat(cs.fontSize));
  });
  d.querySelectorAll('.scroll').forEach(function (s) {
    var ov = d.defaultView.getComputedStyle(s).overflowX;
    if (s.scrollWidth > s.clientWidth + 1) {
      out.wide.push(s.querySelector('th') ? s.querySelector('th').textContent : '?');
      if (ov !== 'auto' && ov !== 'scroll') out.hidden.push(ov);
    }
  });
  ['headline', 'usage', 'collapse', 'frontier', 'prices'].forEach(function (id) {
    var n = d.getElementById(id); out.order.push(n ? Math.round(n.getBoundingClientRect().top) : null);
  });
  var svg = d.querySelector('.chart svg'), body = d.defaultView.getComputedStyle(d.body);
  out.dark = {bg: body.backgroundColor, fg: body.color, svgFilter: d.defaultView.getComputedStyle(svg).filter,
              scheme: d.defaultView.matchMedia('(prefers-color-scheme: dark)').matches};
  document.title = JSON.stringify(out);
};
"""
for w in (375, 1400):
    with open("%s/wrap%d.html" % (sys.argv[2], w), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>pending</title>'
                '<style>body{margin:0}</style></head><body><iframe id="f" style="border:0;width:%dpx;'
                'height:2400px" srcdoc="%s"></iframe><script>%s</script></body></html>'
                % (w, html.escape(page, quote=True), check))
PY

measure() { # WIDTH SCHEME(light|dark) -> $T/m-WIDTH-SCHEME.json, $T/shot-WIDTH-SCHEME.png
	_s=1
	[ "$2" = dark ] && _s=0 # blink's PreferredColorScheme: 0 dark, 1 light
	chrome "$T/dom-$1-$2.html" --window-size="$1",2400 --blink-settings=preferredColorScheme=$_s \
		--screenshot="$T/shot-$1-$2.png" --dump-dom "file://$T/wrap$1.html"
	python3 - "$T/dom-$1-$2.html" >"$T/m-$1-$2.json" <<'PY'
import html, re, sys
m = re.search(r"<title>(.*?)</title>", open(sys.argv[1], encoding="utf-8").read(), re.S)
print(html.unescape(m.group(1)) if m else "{}")
PY
}

shot() { # WIDTH SCHEME : the screenshot measure() took
	python3 - "$T/shot-$1-$2.png" "$1" <<'PY' && ok || bad "screenshot at $1 px, $2: $(tail -2 "$T/chrome.err")"
import struct, sys
d = open(sys.argv[1], "rb").read()
sys.exit(0 if d[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", d[16:20])[0] == int(sys.argv[2])
         and len(d) > 20000 else 1)
PY
	if [ -n "${LLMCOST_TEST_SHOTS:-}" ]; then cp "$T/shot-$1-$2.png" "$LLMCOST_TEST_SHOTS/"; fi
}

for w in 375 1400; do
	measure $w light
	python3 - "$T/m-$w-light.json" "$w" <<'PY' && ok || bad "layout at $w px: $(head -c 400 "$T/m-$w-light.json")"
import json, sys
m, w = json.load(open(sys.argv[1])), int(sys.argv[2])
problems = []
if not m: problems.append("no measurement (the check script did not run)")
else:
    if not (w - 20 <= m["width"] <= w): problems.append("viewport %s, not about %d" % (m["width"], w))
    if m["scrollWidth"] > m["width"]: problems.append("the page scrolls sideways: %s" % m["scrollWidth"])
    if m["outside"]: problems.append("outside the viewport: %s" % m["outside"][:5])
    if m["clipped"]: problems.append("clipped cells: %s" % m["clipped"][:5])
    if m["hidden"]: problems.append("a wide table that cannot scroll: %s" % m["hidden"])
    if w >= 1400 and m["wide"]: problems.append("tables that scroll at %d px: %s" % (w, m["wide"]))
    if m["minFont"] < 12: problems.append("table text of %spx" % m["minFont"])
    if None in m["order"] or m["order"] != sorted(m["order"]): problems.append("order %s" % m["order"])
    if m["dark"]["scheme"]: problems.append("light run saw dark scheme")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
	shot $w light
done
# at 375 px the wide tables (the family table at least) scroll in their container
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["wide"] else 1)' \
	"$T/m-375-light.json" && ok || bad "no table scrolls at 375 px: the check is not measuring"

# dark mode: the page and the charts change colour; the layout holds
measure 375 dark
python3 - "$T/m-375-light.json" "$T/m-375-dark.json" <<'PY' && ok || bad "dark mode: $(head -c 300 "$T/m-375-dark.json")"
import json, re, sys
l, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
problems = []
lum = lambda c: sum(int(x) for x in re.findall(r"\d+", c)[:3])
if not d: problems.append("no measurement")
else:
    if not d["dark"]["scheme"]: problems.append("prefers-color-scheme: dark not emulated")
    if d["dark"]["bg"] == l["dark"]["bg"] or lum(d["dark"]["bg"]) >= lum(l["dark"]["bg"]):
        problems.append("background %s in dark, %s in light" % (d["dark"]["bg"], l["dark"]["bg"]))
    if lum(d["dark"]["fg"]) <= lum(d["dark"]["bg"]): problems.append("dark text on the dark background")
    if l["dark"]["svgFilter"] != "none" or d["dark"]["svgFilter"] == "none":
        problems.append("chart colours: filter %s light, %s dark" % (l["dark"]["svgFilter"], d["dark"]["svgFilter"]))
    if d["scrollWidth"] > d["width"] or d["outside"] or d["clipped"]: problems.append("layout broke in dark mode")
print(problems, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
shot 375 dark

# no error from the page itself (console errors are printed as "CONSOLE")
grep -q "CONSOLE" "$T/chrome.err" && bad "console errors: $(grep CONSOLE "$T/chrome.err" | head -3)" || ok

done_testing

# The layout rule of every chart kind: no text overlaps another text and
# none leaves the canvas (tests/cli/svg_layout.py reads the SVG gnuplot
# wrote), on the built-in data and on a store that also holds the four
# public sheets (small fixtures of each format, no network), at today's
# date and at the end of 2024.
. "$TOP/tests/cli/lib.sh"

LAYOUT="$TOP/tests/cli/svg_layout.py"

layout() { # NAME ARGS...: plot ARGS -o $T/NAME.svg, then check its layout
	name=$1
	shift
	run plot "$@" -o "$T/$name.svg"
	if [ "$rc" != 0 ]; then
		bad "$name: plot $* exited $rc"
		return
	fi
	if python3 "$LAYOUT" "$T/$name.svg" >"$T/layout.out"; then
		ok "$name: plot $*: no text overlaps or leaves the canvas"
	else
		bad "$name: plot $*: layout"
		diag "$(head -20 "$T/layout.out")"
	fi
}

# the checker itself: it finds an overlap, a clipped label and a rotated
# label's box, and passes a clean file
cat >"$T/bad.svg" <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<g transform="translate(10,20)" font-size="10" text-anchor="start"><text>first label</text></g>
<g transform="translate(30,22)" font-size="10" text-anchor="start"><text>second</text></g>
<g transform="translate(195,60)" font-size="10" text-anchor="start"><text>clipped</text></g>
<g transform="translate(10,95) rotate(270)" font-size="10" text-anchor="middle"><text>a rotated axis label</text></g>
<g transform="translate(100,90)" font-size="10" text-anchor="middle"><text>boxed</text></g>
<g transform="translate(100,90)" font-size="10" text-anchor="middle"><text>boxed</text></g>
</svg>
EOF
python3 "$LAYOUT" "$T/bad.svg" >"$T/layout.out"
expect_eq 1 "$?" "svg_layout.py fails on a bad layout"
grep -qF "overlap: 'first label'" "$T/layout.out" && ok || bad "overlapping labels not found"
grep -qF "outside the canvas: 'clipped'" "$T/layout.out" && ok || bad "a clipped label not found"
grep -qF "outside the canvas: 'a rotated axis label'" "$T/layout.out" && ok || bad "a rotated label's box is not rotated"
grep -qF "'boxed'" "$T/layout.out" && bad "a boxed label (written twice) collides with itself" || ok
sed -n '1,2p;$p' "$T/bad.svg" >"$T/good.svg"
python3 "$LAYOUT" "$T/good.svg" >"$T/layout.out"
expect_eq 0 "$?" "svg_layout.py passes a clean layout"

charts() { # TAG: every chart kind on the current store
	tag=$1
	layout "$tag-collapse" collapse
	layout "$tag-collapse-2024" collapse --to 2024-12-31
	layout "$tag-collapse-blended" collapse --price blended --to 2024-12-31
	layout "$tag-collapse-output" collapse --price output
	layout "$tag-collapse-all" collapse --all --to 2024-12-31
	layout "$tag-collapse-scale2" collapse --scale 2 # an SVG ignores it
	layout "$tag-frontier" frontier
	layout "$tag-frontier-2024" frontier --to 2024-12-31
	layout "$tag-frontier-mmlu" frontier --benchmark mmlu
	layout "$tag-frontier-mmlu-2024" frontier --benchmark mmlu --to 2024-12-31
	layout "$tag-pareto" pareto
	layout "$tag-pareto-2024" pareto --at 2024-12-31
	layout "$tag-estimate" estimate --input 260 --output 100 --count 68000 --at 2024-12-31
	layout "$tag-estimate-top60" estimate --input 1000 --output 1000 --top 60
}

charts builtin
expect_rc 0 ingest usage "$FIX/usage/spend.csv"
layout spend spend
layout spend-monthly spend --monthly
expect_rc 0 budget set --monthly 20
expect_rc 0 budget set --monthly 5 --project webapp
layout spend-budget spend
layout spend-project spend --project webapp
layout spend-project-monthly spend --project webapp --monthly

# the legend is never over the data: the collapse chart's maker key sits
# under its x axis' dates, the spend chart's model key right of its bars
boxes() { python3 "$LAYOUT" --list "$1" | sed -n "s/^[^:]*: box //p"; }
below() { # SVG KEYTEXT TICKTEXT: KEYTEXT's box starts under TICKTEXT's
	boxes "$1" | python3 -c 'import sys, ast
b = {}
for line in sys.stdin:
    c, t = line.rstrip("\n").split(" ", 2)[:2], line.rstrip("\n").split(" ", 2)[2]
    b[ast.literal_eval(t)] = [float(v) for v in ",".join(c).split(",")]
sys.exit(0 if b[sys.argv[1]][1] > b[sys.argv[2]][3] else 1)' "$2" "$3"
}
rightof() { # SVG KEYTEXT TICKTEXT: KEYTEXT's box starts right of TICKTEXT's
	boxes "$1" | python3 -c 'import sys, ast
b = {}
for line in sys.stdin:
    c, t = line.rstrip("\n").split(" ", 2)[:2], line.rstrip("\n").split(" ", 2)[2]
    b[ast.literal_eval(t)] = [float(v) for v in ",".join(c).split(",")]
sys.exit(0 if b[sys.argv[1]][0] > b[sys.argv[2]][2] else 1)' "$2" "$3"
}
below "$T/builtin-collapse-2024.svg" "OpenAI" "Jan 2024" && ok || bad "collapse: the key is not under the x axis"
below "$T/builtin-collapse-2024.svg" "price cut" "Jan 2024" && ok || bad "collapse: the key is not under the x axis"
rightof "$T/spend-project.svg" "gpt-4o-2024-08-06" "Dec 9" && ok || bad "spend: the key is not right of the bars"

# the terminal at 80x24 and 120x40: the chart fits (lines, columns) and
# keeps its title and at least one name
fits() { # COLS ROWS WHAT: $T/out fits the terminal
	python3 - "$T/out" "$1" "$2" <<'PY' && ok || bad "$3: does not fit $1x$2"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
cols, rows = int(sys.argv[2]), int(sys.argv[3])
wide = [l for l in lines if len(l.rstrip()) > cols]
if len(lines) > rows or wide:
    print("# %d lines; too wide: %r" % (len(lines), wide[:3]), file=sys.stderr)
sys.exit(0 if len(lines) <= rows and not wide else 1)
PY
}
for size in 80x24 120x40; do
	c=${size%x*}
	l=${size#*x}
	COLUMNS=$c LINES=$l expect_rc 0 plot collapse --to 2024-12-31 --terminal
	fits "$c" "$l" "collapse"
	expect_out "857"
	expect_out "nova-micro"
	COLUMNS=$c LINES=$l expect_rc 0 plot frontier --terminal
	fits "$c" "$l" "frontier"
	expect_out "gpt-4-0314 level"
	COLUMNS=$c LINES=$l expect_rc 0 plot pareto --at 2024-12-31 --terminal
	fits "$c" "$l" "pareto"
	COLUMNS=$c LINES=$l expect_rc 0 plot spend --terminal
	fits "$c" "$l" "spend"
	expect_out "gpt-4o-2024-08-06"
	COLUMNS=$c LINES=$l expect_rc 0 plot estimate --input 1000 --output 100 --top 8 --terminal
	fits "$c" "$l" "estimate"
done

# the four public sheets' formats ingested on top of the built-in data
for f in mixed/litellm.json mixed/genai.json mixed/openrouter.json mixed/llm-prices.json \
	litellm.json genai.json openrouter.json llm-prices-acmeai.json; do
	expect_rc 0 ingest prices "$FIX/prices/$f"
done
charts sheets

done_testing

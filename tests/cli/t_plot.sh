# `llmcost plot`: every chart kind renders to PNG, SVG and the terminal;
# gnuplot runs under the runner's rules (missing, failing, hanging gnuplot;
# no partial chart; refused output paths; numbers in the C locale).
. "$TOP/tests/cli/lib.sh"

is_png() { # FILE: the PNG signature and a plausible size
	python3 - "$1" <<'PY'
import sys, struct
b = open(sys.argv[1], "rb").read()
ok = b[:8] == b"\x89PNG\r\n\x1a\n" and len(b) > 20000
w, h = struct.unpack(">II", b[16:24])
sys.exit(0 if ok and (w, h) == (1200, 700) else 1)
PY
}
is_svg() { python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); sys.exit(0 if d.documentElement.tagName == "svg" else 1)' "$1"; }
svg_text() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print("\n".join(n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild))' "$1"; }

for kind in collapse frontier; do
	expect_rc 0 plot "$kind" -o "$T/$kind.png"
	is_png "$T/$kind.png" && ok || bad "$kind.png is not a 1200x700 PNG"
	expect_rc 0 plot "$kind" -o "$T/$kind.svg"
	is_svg "$T/$kind.svg" && ok || bad "$kind.svg is not well-formed SVG"
	svg_text "$T/$kind.svg" >"$T/$kind.txt"
	grep -qF "Source: llmcost built-in price history, vendor pricing pages" "$T/$kind.txt" && ok || bad "$kind: no source line"
	grep -qF "Jan 2024" "$T/$kind.txt" && ok || bad "$kind: no dated x axis"
	grep -qF "log scale" "$T/$kind.txt" && ok || bad "$kind: no axis label with units"
	expect_rc 0 plot "$kind" --terminal
	expect_out "Source: llmcost built-in price history"
	expect_out "Jan 2024"
	# nothing is left behind in the temporary directory
	ls "$T" | grep -q '^\.' && bad "$kind: a temporary file was left in $T" || ok
done
# the charts show the data: GPT-4's $30 line, the frontier's models, the providers
# the default frontier: the quality tiers, each named with its yearly rate
for m in gpt-3.5-turbo-0125 gpt-4-0314 gpt-4o-2024-05-13 o3; do
	grep -qF "$m level" "$T/frontier.txt" && ok || bad "frontier: tier $m not named"
done
expect_eq 4 "$(grep -c ' per year$' "$T/frontier.txt")" "frontier: a yearly rate per tier"
# one bar (--min-quality): the reference, the input price, every model that set it
expect_rc 0 plot frontier --min-quality gpt-4-0314 --to 2024-12-31 -o "$T/fr1.svg"
svg_text "$T/fr1.svg" >"$T/fr1.txt"
grep -qF "gpt-4-0314 input, 2023-03-14: \$30 per 1M" "$T/fr1.txt" && ok || bad "frontier: no GPT-4 reference"
grep -qF "gemini-1.5-flash-8b  \$0.066" "$T/fr1.txt" && ok || bad "frontier: Flash 8B point missing (its price rounded for people)"
grep -qF "0.065625" "$T/fr1.txt" && bad "frontier: an exact price on a label" || ok
grep -qF "Google (Gemini API)" "$T/collapse.txt" && ok || bad "collapse: provider legend missing"
grep -qF "gemini-1.5-flash-8b" "$T/collapse.txt" && ok || bad "collapse: family label missing"
grep -qF "price cut" "$T/collapse.txt" && ok || bad "collapse: price cuts not in the legend"

# plot estimate: the cost of a task across models, as bars, with exact costs.
# The 2024 example: 68,000 x (260 in, 100 out) on Gemini 1.5 Flash-8B is $1.683.
est="--input 260 --output 100 --count 68000 --at 2024-12-31"
expect_rc 0 plot estimate $est -o "$T/estimate.png"
is_png "$T/estimate.png" && ok || bad "estimate.png is not a 1200x700 PNG"
expect_rc 0 plot estimate $est -o "$T/estimate.svg" --script "$T/est"
is_svg "$T/estimate.svg" && ok || bad "estimate.svg is not well-formed SVG"
svg_text "$T/estimate.svg" >"$T/estimate.txt"
grep -qF "Cost of 260 input + 100 output tokens x 68,000, list prices of 2024-12-31" "$T/estimate.txt" && ok || bad "estimate: title with the task and date"
grep -qF "Source: llmcost built-in price history, vendor pricing pages.  The cheapest 25 of" "$T/estimate.txt" && ok || bad "estimate: no source line"
grep -qxF "Cost of the workload, USD" "$T/estimate.txt" && ok || bad "estimate: no axis label with units"
grep -qxF "\$1.68" "$T/estimate.txt" && ok || bad "estimate: the cost of Flash-8B, rounded for people, is not on its bar"
grep -qxF "\$1.683" "$T/estimate.txt" && bad "estimate: an exact cost on a label" || ok
grep -qxF "gemini-1.5-flash-8b" "$T/estimate.txt" && ok || bad "estimate: the model is not named"
# the bars are the 25 cheapest, in estimate's order (the same engine)
"$LLMCOST" estimate $est --json | python3 -c 'import json,sys; print("\n".join(r["model"] for r in json.load(sys.stdin)["results"][:25]))' >"$T/est-want"
grep -hv '"cost"' "$T"/est/estimate-p*.tsv | cut -f1,3 | sort -n -r | cut -f2 | tr -d '"' >"$T/est-got"
expect_eq "$(cat "$T/est-want")" "$(cat "$T/est-got")" "plot estimate draws estimate's 25 cheapest, cheapest on top"
# costs within 30x of each other: bars from $0 on a linear axis, the data exact
grep -q 'set logscale x' "$T/est/estimate.gp" && bad "estimate: a log scale for costs within 30x" || ok
grep -qP '\t1\.683\t' "$T"/est/estimate-labels.tsv && ok || bad "estimate: the data file lost the exact cost"
# costs spanning more: a log scale, said on the axis
expect_rc 0 plot estimate --input 1000 --output 1000 --at 2024-12-31 --top 60 -o "$T/est60.svg" --script "$T/est60"
grep -q 'set logscale x' "$T/est60/estimate.gp" && ok || bad "estimate: not a log scale for costs spanning over 30x"
svg_text "$T/est60.svg" | grep -qxF "Cost of one task, USD (log scale)" && ok || bad "estimate: the log axis is not said"
# --top N, named models, the terminal
expect_rc 0 plot estimate $est --top 3 --script "$T/est3" -o "$T/est3.svg"
expect_eq 3 "$(cat "$T"/est3/estimate-labels.tsv | wc -l)" "--top 3 draws 3 bars"
expect_rc 0 plot estimate gpt-4o gemini-1.5-flash-8b $est --terminal
expect_out "Source: llmcost built-in price history"
expect_out "gpt-4o"
expect_out '$1.68'
expect_rc 0 plot estimate --task photo-caption --count 68000 --at 2024-12-31 -o "$T/est-task.svg"
svg_text "$T/est-task.svg" | grep -qF "Cost of task 'photo-caption' x 68,000, list prices of 2024-12-31" && ok || bad "estimate: the preset is in the title"
# estimate's own checks and plot's
expect_rc 2 plot estimate --input 10 --output 10
expect_err "exactly one of -o FILE and --terminal"
expect_rc 2 plot estimate --input 10 --from 2024-01-01 --to 2024-06-01 -o "$T/x.png"
expect_rc 2 plot estimate --input -5 -o "$T/x.png"
expect_err "negative count"
expect_rc 2 plot estimate --input 10 --top 0 -o "$T/x.png"
expect_rc 3 plot estimate no-such-model --input 10 -o "$T/x.png"
expect_rc 2 plot --terminal estimate
expect_err "put estimate first"
expect_rc 3 plot estimate --input 10 --max-cost 0 -o "$T/x.png"
expect_err "no data"

# --script keeps the script and the data; the kept script redraws the chart
expect_rc 0 plot collapse -o "$T/c2.png" --script "$T/gp"
for f in collapse.gp collapse-p0.tsv collapse-cuts.tsv collapse-labels.tsv; do
	[ -s "$T/gp/$f" ] && ok || bad "--script did not keep $f"
done
(cd "$T/gp" && gnuplot -d -c collapse.gp "$T/redrawn.png" 2>"$T/gperr") && is_png "$T/redrawn.png" && ok || bad "the kept script does not redraw: $(cat "$T/gperr")"
grep -q '0\.0375' "$T/gp/collapse-p"*.tsv && ok || bad "the data holds exact prices"

# the output format comes from the extension
expect_rc 2 plot collapse -o "$T/chart.pdf"
expect_err ".png or .svg"
expect_rc 2 plot collapse
expect_rc 2 plot collapse -o "$T/x.png" --terminal
expect_rc 2 plot nosuch -o "$T/x.png"
expect_rc 2 plot collapse -o "$T/x.png" --price cheap

# C5: paths that would open a pipe are refused before gnuplot runs
cat >"$T/spy.sh" <<SH
#!/bin/sh
touch "$T/spawned"
exec gnuplot "\$@"
SH
chmod +x "$T/spy.sh"
for p in "|touch $T/pipe1" "<touch $T/pipe2"; do
	LLMCOST_GNUPLOT="$T/spy.sh" expect_rc 2 plot collapse -o "$p"
	expect_err "refusing output path"
done
[ ! -e "$T/spawned" ] && [ ! -e "$T/pipe1" ] && [ ! -e "$T/pipe2" ] && ok || bad "gnuplot ran for a pipe path"
# an unwritable target: a clear error, before gnuplot is spawned
LLMCOST_GNUPLOT="$T/spy.sh" expect_rc 1 plot collapse -o "$T/no/such/dir/c.png"
expect_err "cannot write the chart"
[ ! -e "$T/spawned" ] && ok || bad "gnuplot ran for an unwritable target"

# C2: gnuplot missing -> the install hint, exit 1, the script still written
LLMCOST_GNUPLOT=/nonexistent/gnuplot expect_rc 1 plot frontier -o "$T/m.png" --script "$T/keep"
expect_err "install gnuplot (apt-get install gnuplot-nox)"
[ -s "$T/keep/frontier.gp" ] && [ -s "$T/keep/frontier.tsv" ] && ok || bad "script not kept when gnuplot is missing"
[ ! -e "$T/m.png" ] && ok || bad "a chart appeared without gnuplot"
PATH=/nonexistent expect_rc 1 plot frontier -o "$T/m.png"
expect_err "install gnuplot"

# C4: gnuplot fails after writing half a chart -> its stderr shown, no chart
cat >"$T/fail.sh" <<'SH'
#!/bin/sh
printf 'partial' >"$5"
echo "line 7: boom, something broke" >&2
exit 1
SH
chmod +x "$T/fail.sh"
echo old >"$T/keepme.png"
LLMCOST_GNUPLOT="$T/fail.sh" expect_rc 1 plot collapse -o "$T/keepme.png"
expect_err "gnuplot failed (exit 1)"
expect_err "boom, something broke"
expect_eq old "$(cat "$T/keepme.png")" "a failed run leaves the old file alone"
ls -a "$T" | grep -q '^\.keepme' && bad "temporary chart left behind" || ok

# C3: a hanging gnuplot is killed after LLMCOST_GNUPLOT_TIMEOUT, no partial file
cat >"$T/hang.sh" <<'SH'
#!/bin/sh
printf 'partial' >"$5"
sleep 30
SH
chmod +x "$T/hang.sh"
start=$(date +%s)
LLMCOST_GNUPLOT="$T/hang.sh" LLMCOST_GNUPLOT_TIMEOUT=1 expect_rc 1 plot collapse -o "$T/hang.png"
took=$(($(date +%s) - start))
expect_err "did not finish within 1.000 s"
limit=10
[ -n "${LLMCOST_VALGRIND:-}" ] && limit=60 # llmcost itself runs ~30x slower there
[ "$took" -lt "$limit" ] && ok || bad "the hanging gnuplot took ${took}s to stop"
[ ! -e "$T/hang.png" ] && ok || bad "a partial chart was left"
ls -a "$T" | grep -q '^\.hang' && bad "temporary chart left behind" || ok
pgrep -f "$T/hang.sh" >/dev/null && bad "the hanging gnuplot still runs" || ok

# C6: no data in the range -> "no data", and gnuplot is not called
LLMCOST_GNUPLOT="$T/spy.sh" expect_rc 3 plot collapse -o "$T/empty.png" --from 2020-01-01 --to 2021-01-01
expect_err "no data"
[ ! -e "$T/spawned" ] && [ ! -e "$T/empty.png" ] && ok || bad "gnuplot ran without data"

# C7: a locale with a decimal comma keeps '.' in scripts, data and output.
# (de_DE.UTF-8 may not be installed; LC_ALL/LC_NUMERIC are set either way.)
if ! locale -a 2>/dev/null | grep -qi '^de_DE'; then echo "# note: de_DE locale not installed; testing with LC_ALL set anyway"; fi
LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 expect_rc 0 plot frontier -o "$T/de.svg" --script "$T/de"
grep -q '0\.0375' "$T/de/frontier.tsv" && ok || bad "data file lost the decimal point"
grep -q ',0375' "$T/de/frontier.tsv" && bad "data file has a decimal comma" || ok
is_svg "$T/de.svg" && ok || bad "de.svg"
LC_ALL=de_DE.UTF-8 expect_rc 0 report collapse --to 2024-12-31 --json
expect_out '"latest_input_per_mtok": 0.0375'

# C8: a write error on stdout (the terminal chart) is exit 1
"$LLMCOST" plot frontier --terminal >/dev/full 2>/dev/null
expect_eq 1 "$?" "plot --terminal >/dev/full"

done_testing

# A collapse chart draws at most CHART_FAMILY_CAP families (lowered here by
# LLMCOST_CHART_FAMILIES) and notes how many it left out; the HTML report's
# tables hold at most HTML_ROWS rows (LLMCOST_HTML_ROWS) with a note; below
# the caps nothing changes, and `report collapse` stays complete.
. "$TOP/tests/cli/lib.sh"

python3 "$TOP/tests/bench/gen_litellm.py" 300 "$T/sheet.json" >/dev/null
expect_rc 0 ingest prices "$T/sheet.json" --format litellm

# families drawn: one blank line ends each family's block (no gaps here)
drawn() {
	cat "$1"/collapse-p*.tsv "$1"/collapse-other.tsv | grep -c '^$'
}

LLMCOST_CHART_FAMILIES=100000 expect_rc 0 plot collapse --terminal --script "$T/all"
all=$(drawn "$T/all")
[ "$all" -gt 300 ] && ok || bad "only $all families drawn without a cap"
if grep -q 'more families' "$T/all/collapse.gp"; then bad "a note without a cap"; else ok; fi

# at the cap (exactly as many families as drawn): the same files, byte for byte
LLMCOST_CHART_FAMILIES=$all expect_rc 0 plot collapse --terminal --script "$T/at"
diff -r "$T/all" "$T/at" >/dev/null && ok || bad "the chart at the cap differs"

# one under the cap, and far under it
LLMCOST_CHART_FAMILIES=$((all - 1)) expect_rc 0 plot collapse -o "$T/c.svg" --script "$T/m1"
expect_eq $((all - 1)) "$(drawn "$T/m1")" "families drawn at cap all-1"
grep -q "and 1 more families, not drawn: see \\\\140llmcost report collapse\\\\140" "$T/m1/collapse.gp" &&
	ok || bad "no note of the family not drawn"
grep -q "and 1 more families, not drawn" "$T/c.svg" && ok || bad "the SVG lacks the note"

LLMCOST_CHART_FAMILIES=40 expect_rc 0 plot collapse --terminal --script "$T/c40"
expect_eq 40 "$(drawn "$T/c40")" "families drawn at cap 40"
expect_out "and $((all - 40)) more families, not drawn"
# deterministic: the same choice twice
LLMCOST_CHART_FAMILIES=40 expect_rc 0 plot collapse --terminal --script "$T/c40b"
diff -r "$T/c40" "$T/c40b" >/dev/null && ok || bad "two runs chose differently"

# the report itself stays complete
LLMCOST_CHART_FAMILIES=40 LLMCOST_HTML_ROWS=10 expect_rc 0 report collapse --csv
rows=$(grep -c . "$T/out")
[ "$rows" -gt 300 ] && ok || bad "report collapse --csv has $rows lines"

# the HTML report: its chart and its tables capped, with notes
LLMCOST_CHART_FAMILIES=40 LLMCOST_HTML_ROWS=10 expect_rc 0 report html -o "$T/r.html"
grep -q "and $((all - 40)) more families, not drawn" "$T/r.html" && ok || bad "html: no chart note"
grep -q "and [0-9]* more families, not shown: see <code>llmcost report collapse</code>" "$T/r.html" &&
	ok || bad "html: no family table note"
grep -q "More offerings than the 10 shown: see <code>llmcost models --at [0-9-]*</code>" "$T/r.html" &&
	ok || bad "html: no price table note"
# without the variables (caps 60 and 1,000): the chart is capped, the tables not
expect_rc 0 report html -o "$T/d.html"
grep -q "and $((all - 60)) more families, not drawn" "$T/d.html" && ok || bad "html: default cap not 60"
if grep -q "not shown\|More offerings" "$T/d.html"; then bad "html: tables under 1,000 rows capped"; else ok; fi

done_testing

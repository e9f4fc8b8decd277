# Tables that fit the terminal: every table command at COLUMNS=60, 80, 100
# and 200 on the built-in data and a small usage store.  At each width no
# line is wider than the terminal (unless the key and answer columns alone
# are wider), the answer columns' headers and values are there, the
# footnote names exactly the columns left out (each one a column of the
# --wide table), and --wide shows every column.  Then the display rules:
# thousands separators and cents in text and Markdown, JSON and CSV exact.
. "$TOP/tests/cli/lib.sh"

# usage: Claude Code (2025-06, one unpriced model), Codex (2025-09), CSV
# (2024-11: $6 of claude-3-5-haiku on proj-a, $0.0005 on proj-b)
expect_rc 0 ingest usage "$FIX/usage/claude" "$FIX/usage/codex" "$FIX/usage/csv"
# a month with $6.00 spent by day 21 of 30 against $5: forecast $8.57, over
export LLMCOST_NOW=2024-11-21T12:00:00Z
expect_rc 0 budget set --monthly 5

# check.py NARROW WIDE WIDTH ANCHOR ANSWERS NMIN VALUE: the table whose
# header line matches ANCHOR in the output NARROW (at WIDTH) against the
# same table in WIDE (--wide); ANSWERS: ';'-separated header patterns;
# NMIN: the count of key + answer columns; VALUE: a line pattern.
cat >"$T/check.py" <<'PY'
import re, sys
narrow, wide, width, anchor, answers, nmin, value = sys.argv[1:8]
width, nmin = int(width), int(nmin)
def table(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, l in enumerate(lines):
        if re.match(anchor, l):
            block = []
            for m in lines[i:]:
                if not m:
                    break
                block.append(m)
            return lines, block
    sys.exit("no header line matching %r in %s" % (anchor, path))
def cols(header):
    return re.split(r" {2,}", header.strip())
def hidden(block):
    text = " ".join(l.strip() for l in block if l.startswith(("hidden: ", "  ")))
    m = re.search(r"hidden: (.*) -- use --wide or --json$", text)
    return m.group(1).split(", ") if m else None
problems = []
lines, block = table(narrow)
wlines, wblock = table(wide)
nc, wc = cols(block[0]), cols(wblock[0])
over = [l for l in lines if len(l) > width]
if over and len(nc) != nmin:
    problems.append("%d lines wider than %d with %d columns (key + answers: %d): %r"
                    % (len(over), width, len(nc), nmin, over[0]))
for a in answers.split(";"):
    if not re.search(a, block[0]):
        problems.append("answer %r not in the header %r" % (a, block[0]))
if not any(re.search(value, l) for l in block):
    problems.append("no line matches %r" % value)
h = hidden(block)
if len(nc) < len(wc):
    if h is None:
        problems.append("%d of %d columns shown, no footnote" % (len(nc), len(wc)))
    else:
        if len(h) != len(wc) - len(nc):
            problems.append("footnote names %d columns, %d hidden" % (len(h), len(wc) - len(nc)))
        for name in h:
            if name not in wc: problems.append("hidden %r is no column of --wide" % name)
            if name in nc: problems.append("hidden %r is shown" % name)
elif h is not None:
    problems.append("footnote with every column shown: %r" % h)
if hidden(wblock) is not None:
    problems.append("--wide hid columns")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY

# at_widths RC ANCHOR ANSWERS NMIN VALUE -- ARGS...
at_widths() {
	want=$1 anchor=$2 answers=$3 nmin=$4 value=$5
	shift 6
	COLUMNS=60 "$LLMCOST" "$@" --wide >"$T/wide" 2>/dev/null
	COLUMNS=1000 "$LLMCOST" "$@" >"$T/natural" 2>/dev/null
	cmp -s "$T/wide" "$T/natural" && ok || bad "$*: --wide at 60 columns is not the whole table"
	for w in 60 80 100 200; do
		COLUMNS=$w "$LLMCOST" "$@" >"$T/out" 2>"$T/err"
		rc=$?
		[ "$rc" -eq "$want" ] || bad "$* at $w: exit $rc, want $want"
		if python3 "$T/check.py" "$T/out" "$T/wide" "$w" "$anchor" "$answers" "$nmin" "$value" \
			>"$T/why"; then
			ok "$* at $w columns"
		else
			bad "$* at $w columns"
			diag "$(cat "$T/why")"
			diag "$(cat "$T/out")"
		fi
	done
}

at_widths 0 '^date ' 'cost' 2 '^total .* \$6\.06\*$' -- usage daily
at_widths 0 '^project ' 'cost' 2 '^proj-a .* \$6\.00$' -- usage project
at_widths 0 '^session ' 'cost' 2 '^s1 .* \$6\.00$' -- usage session
at_widths 0 '^model ' 'cost' 2 '^gpt-9 .* unpriced$' -- usage model
at_widths 0 '^user ' 'cost' 2 '^total .* \$6\.06\*$' -- usage user
at_widths 0 '^date ' 'cost;as gpt-4o;as claude-3-5-haiku' 4 \
	'^total .* \$6\.06\* +\$12\.56! +\$6\.02!$' -- usage --as gpt-4o,claude-3-5-haiku
at_widths 6 '^budget for ' 'monthly;to date;forecast;status' 5 \
	'^all usage +\$5\.00 +\$6\.00 .*\$8\.57 .* over' -- budget status
at_widths 0 '^model ' 'total;per month' 3 '^ministral-3b-2410 .*\$9\.79 +\$293\.76' -- \
	estimate --input 2600 --output 1000 --count 68000 --at 2024-12-31 --per day
at_widths 0 '^model ' 'total' 2 '^gemini-1\.5-flash-8b .*\$1\.68( |$)' -- \
	estimate gemini-1.5-flash-8b gpt-4o-mini claude-3-5-haiku --input 260 --output 100 \
	--count 68000 --at 2024-12-31
at_widths 0 '^(provider +)?family ' 'input \$/M;blended;drop' 4 \
	'^(openai +)?gpt-3\.5-turbo .*2\.00 -> 0\.50 +2\.00 -> 0\.75 +2\.7x' -- \
	report collapse --to 2024-12-31
at_widths 0 '^from ' 'cheapest;in(put)? \$/M;blended' 4 '^2023-03-14 +gpt-4-0314 .*30\.00 .*37\.50' -- \
	report collapse --to 2024-12-31
at_widths 0 '^model ' 'in(put)? \$/M;out(put)? \$/M' 3 '^gpt-4-32k .* 60\.00 +120\.00' -- \
	models --at 2024-12-31
at_widths 0 '^source ' 'current to;models;rows' 4 '^builtin .*[0-9]{4}-[0-9]{2}-[0-9]{2} .*[0-9],[0-9]{3}$' -- \
	sources
at_widths 0 '^ *(# +)?(leaderboard )?name ' 'score' 2 'Gemini-Exp-1206 .* 1373( |$)' -- \
	report quality --at 2024-12-31

# the footnote at 60 columns, word for word; the sentences around the tables
# fit too (checked above: every line of the output)
COLUMNS=60 "$LLMCOST" usage daily --as gpt-4o,claude-3-5-haiku >"$T/out" 2>/dev/null
expect_eq "hidden: input, output, cache write, cache read, reasoning,|  records -- use --wide or --json" \
	"$(grep -A1 '^hidden: ' "$T/out" | paste -sd '|')"
expect_eq "date cost as gpt-4o as claude-3-5-haiku" "$(head -1 "$T/out" | tr -s ' ')" \
	"what-if headers without the model's date"
# shorter headers first: usage at 80 columns abbreviates two and drops none,
# at 70 drops reasoning (the first to go), at 60 cache write (the second)
COLUMNS=80 "$LLMCOST" usage daily >"$T/out" 2>/dev/null
expect_eq "date input output c.write c.read reasoning records cost" "$(head -1 "$T/out" | tr -s ' ')"
grep -q "^hidden: " "$T/out" && bad "usage daily at 80 hid a column" || ok
COLUMNS=70 "$LLMCOST" usage daily >"$T/out" 2>/dev/null
expect_eq "date input output c.write c.read recs cost" "$(head -1 "$T/out" | tr -s ' ')"
expect_eq "hidden: reasoning -- use --wide or --json" "$(grep '^hidden: ' "$T/out")"
COLUMNS=60 "$LLMCOST" usage daily >"$T/out" 2>/dev/null
expect_eq "hidden: cache write, reasoning -- use --wide or --json" "$(grep '^hidden: ' "$T/out")"
# not a terminal and no $COLUMNS: no limit
env -u COLUMNS "$LLMCOST" usage daily >"$T/out" 2>/dev/null
grep -q "^hidden: " "$T/out" && bad "a pipe without COLUMNS fits a width" || ok

# ---- numbers people read: text and Markdown; JSON and CSV exact ----
COLUMNS=200 run usage daily
expect_out "total       1,004,461  1,002,401        3,000      11,200        150       10     \$6.06*"
# 2025-06-02 costs $0.03633 exactly: to the cent; 2025-06-03 is sub-cent
expect_eq '$0.04' "$(awk '$1 == "2025-06-02" {print $NF}' "$T/out")"
expect_eq '$0.00765*' "$(awk '$1 == "2025-06-03" {print $NF}' "$T/out")"
expect_rc 0 usage daily --md
expect_out '| total | 1,004,461 | 1,002,401 | 3,000 | 11,200 | 150 | 10 | \$6.06\* |'
expect_out '| 2025-06-02 | 1,110 | 1,100 | 3,000 | 10,000 | 0 | 3 | \$0.04 |'
expect_rc 0 usage daily --csv
expect_out "total,1004461,1002401,3000,11200,150,10,6.055505"
expect_out "2025-06-02,1110,1100,3000,10000,0,3,0.03633"
expect_rc 0 usage daily --json
expect_eq "1004461 6.055505" "$(json_get '"%s %s" % (j["total"]["input_tokens"], j["total"]["cost"])')"
# estimate: cents in text and Markdown, the exact figures in CSV
expect_rc 0 estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --at 2024-12-31
expect_out "Task: 260 input + 100 output tokens; x 68,000 tasks."
expect_eq '$0.66 $1.02 $1.68' "$(awk '$1 == "gemini-1.5-flash-8b" {print $3, $4, $7}' "$T/out")"
expect_rc 0 estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --at 2024-12-31 --md
expect_out '| gemini-1.5-flash-8b | google | \$0.66 | \$1.02 | \$0.00 | \$0.0000248 | \$1.68 |'
expect_rc 0 estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --at 2024-12-31 --csv
expect_out "gemini-1.5-flash-8b,google,0.663,1.02,0,0.00002475,1.683,"
# budget: amounts in text, exact in CSV
COLUMNS=200 run budget status
expect_out "all usage     \$5.00          \$6.00    \$0.29     \$8.57    120.0       171.4  over"
run budget status --csv
expect_out "all usage,2024-11,5,6.0005,0.285738095,8.572142857,120.0,171.4,over,0"
# models: prices exact with two decimals at least, counts grouped; CSV exact,
# a missing price an empty cell
COLUMNS=200 run models --at 2024-12-31
expect_eq "0.035 0.14 - 128,000" "$(awk '$1 == "nova-micro" {print $3, $4, $5, $6}' "$T/out")"
run models --at 2024-12-31 --csv
expect_out "nova-micro,bedrock,amazon,0.035,0.14,,128000,"

done_testing

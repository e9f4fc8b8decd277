# Injection into terminals, spreadsheets, Markdown, JSON and HTML (#13
# items 15-17): hostile strings placed in every name the store keeps (model,
# provider and source names from a price sheet; project, session, provider
# and model names from usage logs; a log folder's name; a budget's project)
# and every command run in every output format.  Checked on every run:
#   - stdout and stderr are valid UTF-8 with no C0 control but \n and \t,
#     no DEL, no C1 control (raw or UTF-8-encoded), no bidi control;
#   - CSV: no cell starts with = + - @ TAB CR unless it is a plain number;
#     a missing value is an empty cell, never '-;
#   - Markdown: no unescaped [ ] < > or "://" (no link, image, tag or
#     autolink) and every table row has the header's number of cells;
#   - JSON parses; HTML holds no hostile tag.
. "$TOP/tests/cli/lib.sh"

DB="$LLMCOST_DB"
AT=2025-06-01
export T

# the hostile strings (Python literals), one a line
cat >"$T/hostile.py" <<'PY'
H = [
    "\x1b]0;PWNED\x07\x1b[2J",            # OSC title + clear screen
    "\x1b]52;c;SGVsbG8=\x07",             # OSC 52 clipboard write
    "gpt-4o\x1b[2J",
    "csi\u009b31mred",                    # U+009B CSI, UTF-8 encoded
    "nel\u0085x\u0080y",
    b"raw\x9b31m".decode("latin-1"),      # marker: written as the raw byte 0x9b
    "bidi\u202egnp.exe",                  # RLO
    "iso\u2066x\u2069y\u200f",
    '=HYPERLINK("http://evil.example/x","click")',
    "-1+cmd|' /C calc'!A0",
    '-2+3+HYPERLINK("http://evil")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tleading-tab",
    "\rleading-cr",
    "![x](https://evil.example/t.png)",
    "[link](http://evil.example)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "a|b|c",
    "`code` **bold** _u_ ~~s~~",
    "line\nbreak",
    "back\\slash\\",
    "www.evil.example",
    "see https://evil.example/",
    "del\x7f",
    "bad\xff\xfeutf8",                    # marker: invalid UTF-8 bytes
]
def raw(s):
    """The bytes of a hostile string (latin-1 markers stay raw bytes)."""
    if s.startswith("raw\x9b") or s.startswith("bad\xff"):
        return s.encode("latin-1")
    return s.encode("utf-8")
def cell(b):
    return b'"' + b.replace(b'"', b'""') + b'"'
PY

python3 - "$T" <<'PY' || bad "making the inputs"
import os, sys
sys.path.insert(0, sys.argv[1]); from hostile import H, raw, cell
t = sys.argv[1]
# a price sheet: every string as a model name, a few as providers
rows = [b"provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok"]
for i, h in enumerate(H):
    rows.append(b"acme," + cell(raw(h)) + b",2025-01-01,,%d,%d" % (i + 1, 2 * i + 2))
    rows.append(cell(raw(h)) + b",plain-%d,2025-01-01,,1,2" % i)
open(t + "/prices.csv", "wb").write(b"\n".join(rows) + b"\n")
# usage: every string as project, session, model (priced and not) and provider
hdr = b"timestamp,model,input_tokens,output_tokens,provider,project,session,request_id"
rows = [hdr]
for i, h in enumerate(H):
    b = cell(raw(h))
    rows.append(b"2025-06-01T10:00:00Z," + b + b",1000,500,acme," + b + b"," + b + b",r%da" % i)
    rows.append(b"2025-06-01T11:00:00Z,gpt-4o,1000,500," + b + b"," + b + b",s,r%db" % i)
    rows.append(b"2025-06-01T12:00:00Z,unpriced-" + raw(h).replace(b'"', b"").replace(b",", b"").replace(b"\n", b"") + b",10,5,,p,s,r%dc" % i)
os.makedirs(t + "/logs", exist_ok=True)
open(t + "/logs/usage.csv", "wb").write(b"\n".join(rows) + b"\n")
# a Claude Code log in a folder named with an OSC 52 sequence, with a
# malformed timestamp and hostile cwd / sessionId / model
d = (t + "/cc/projects/").encode() + b"\x1b]52;c;SGVsbG8=\x07dir"
os.makedirs(d, exist_ok=True)
import json
lines = []
for i, h in enumerate(H):
    if not h.startswith(("raw\x9b", "bad\xff")):
        lines.append(json.dumps({"type": "assistant", "cwd": "/w/" + h, "sessionId": h,
            "timestamp": "2025-06-01T09:00:%02d.000Z" % i, "requestId": "q%d" % i,
            "message": {"id": "m%d" % i, "model": "claude-sonnet-4-20250514",
                        "usage": {"input_tokens": 10, "output_tokens": 5}}}))
lines.append(json.dumps({"type": "assistant", "cwd": "/w", "sessionId": "s",
    "timestamp": "\x1b]0;PWNED\x07\x1b[2J", "requestId": "qx",
    "message": {"id": "mx", "model": "claude-sonnet-4-20250514",
                "usage": {"input_tokens": 10, "output_tokens": 5}}}))
open(d + b"/sess.jsonl", "w").write("\n".join(lines) + "\n")
# the names as shell arguments: one file each (NUL-free)
os.makedirs(t + "/arg", exist_ok=True)
for i, h in enumerate(H):
    open(t + "/arg/%02d" % i, "wb").write(raw(h))
PY

cat >"$T/check.py" <<'PY'
# check.py FORMAT OUT ERR: see the top of t_injection.sh
import csv, io, json, re, sys
fmt, out, err = sys.argv[1], open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()
problems = []
def scan(name, b):
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append("%s: invalid UTF-8 at byte %d" % (name, e.start))
        s = b.decode("utf-8", "replace")
    ok = "\n\t\f" if fmt == "plot" else "\n\t"  # gnuplot's dumb terminal ends a page with FF
    for c in s:
        o = ord(c)
        if (o < 0x20 and c not in ok) or 0x7f <= o <= 0x9f or 0x202a <= o <= 0x202e \
                or 0x2066 <= o <= 0x2069 or o in (0x200e, 0x200f, 0x061c, 0x2028, 0x2029):
            problems.append("%s: raw U+%04X" % (name, o))
            break
    return s
so = scan("stdout", out)
scan("stderr", err)
num = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
if fmt == "csv":
    for row in csv.reader(io.StringIO(so, newline="")):
        for v in row:
            if v == "'-":
                problems.append("csv: a missing value written as '-")
            elif v[:1] in ("=", "+", "-", "@", "\t", "\r") and not num.fullmatch(v):
                problems.append("csv: formula cell %r" % v[:40])
elif fmt == "json" and so.strip():  # an error prints nothing on stdout
    try:
        json.loads(so)
    except ValueError as e:
        problems.append("json: %s" % e)
elif fmt == "md":
    width = None
    for line in so.split("\n"):
        i, cells, bad = 0, 0, None
        while i < len(line):
            c = line[i]
            if c == "\\":
                i += 2
                continue
            if c in "[]<>":
                bad = c
            if c == "|":
                cells += 1
            if line.startswith("://", i):
                bad = "://"
            i += 1
        if bad:
            problems.append("md: unescaped %r in %r" % (bad, line[:80]))
        if line.startswith("|"):
            if width is None:
                width = cells
            elif cells != width:
                problems.append("md: %d cell separators, want %d: %r" % (cells, width, line[:80]))
        else:
            width = None
elif fmt == "html":
    for tag in ("<img", "<script"):
        if tag in so:
            problems.append("html: raw %s" % tag)
for p in problems[:3]:
    print(p)
sys.exit(1 if problems else 0)
PY

# check FORMAT ARGS...: run llmcost, exit 0..6 allowed, then check.py
check() {
	f=$1
	shift
	ctx="llmcost $(printf '%s ' "$@" | LC_ALL=C tr -c '[:print:]' '?' | head -c 120)"
	"$LLMCOST" --db "$DB" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" -gt 6 ]; then bad "$ctx: exit $rc"; else ok; fi
	if msg=$(python3 "$T/check.py" "$f" "$T/out" "$T/err"); then ok; else bad "$ctx [$f]: $msg"; fi
}
# in every format
check4() {
	check text "$@"
	check csv "$@" --csv
	check json "$@" --json
	check md "$@" --md
}

SRC=$(printf 'src\033]0;PWNED\007=1+2|![s](http://e)')
check text ingest prices "$T/prices.csv" --name "$SRC" --force
check json ingest prices "$T/prices.csv" --name "=cmd|' /C calc'!A0" --force --json
check text ingest usage "$T/logs"
check text ingest usage "$T/cc" --format claude-code --verbose
check text ingest usage "$T/logs/usage.csv" --project "$(printf 'p\033[2J\302\233|[x](http://e)')"
check text budget set --monthly 10 --project "$(cat "$T/arg/09")"
check text budget set --monthly 10 --project "$(cat "$T/arg/03")"

check4 models --at $AT
check4 models --at $AT --all
check4 models --at $AT --provider acme
check4 sources
# a second sheet pricing the same hostile offerings otherwise: every
# hostile name (model, host, both sources, URLs) in `sources --conflicts`
python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(b.replace(b",2025-01-01,,", b",2025-01-01,,1"))' "$T/prices.csv" "$T/prices2.csv"
check text ingest prices "$T/prices2.csv" --name "$(printf 'other\033[2J<b>=1|[x](http://e)')" --force
check4 sources --conflicts
run sources --conflicts --json
expect_eq "True" "$(json_get 'len(j) >= 20')" "sources --conflicts lists the hostile offerings"
check4 usage daily --since 2025-05-01 --breakdown
check4 usage session
check4 usage project
check4 usage model
check4 usage monthly --as gpt-4o
check4 report collapse --from 2025-01-01 --to $AT
check4 estimate --input 1000 --output 500 --at $AT
check4 estimate --input 1000 --output 500 --at $AT --provider acme
check4 estimate --input 1000 --output 500 --from 2025-01-01 --to $AT --provider acme
check4 budget status
check plot plot estimate --input 1000 --output 500 --at $AT --provider acme --terminal
check plot plot collapse --from 2025-01-01 --to $AT --terminal
check plot plot spend --terminal
check html report html -o "$T/report.html"
if [ -f "$T/report.html" ]; then
	cp "$T/report.html" "$T/out"
	if msg=$(python3 "$T/check.py" html "$T/out" "$T/err"); then ok; else bad "report html: $msg"; fi
else bad "report html wrote nothing"; fi
# each hostile string as an argument: price, usage filters, errors
for a in "$T"/arg/*; do
	h=$(cat "$a")
	check text price "$h" --at $AT
	check json price "$h" --at $AT --json
	check text usage --project "$h"
	check csv usage model --model "$h" --csv
	check text ingest prices "$a" --name "$h"
done

# the names really are in the outputs (the checks above ran on them)
run models --at $AT --provider acme --csv
expect_out "\"'-1+cmd|' /c calc'!a0\""
expect_out "\"'=hyperlink(\"\"http://evil.example/x\"\",\"\"click\"\")\""
expect_out "csi\\u009b31mred"
expect_out "bidi\\u202egnp.exe"
run models --at $AT --provider acme --md
expect_out "| \\!\\[x\\]\\(https\\://evil.example/t.png\\) |"
expect_out "| \\<img src=x onerror=alert\\(1\\)\\> |"
run usage project --csv
expect_out "\"'-2+3+HYPERLINK(\"\"http://evil\"\")\""
run usage project
expect_out "/w/bidi\\u202egnp.exe"
run sources
expect_out "src\\x1b]0;PWNED\\x07=1+2"
done_testing

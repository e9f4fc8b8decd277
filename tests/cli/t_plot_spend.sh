# `llmcost plot spend`: usage spend per day or month, stacked by model, with
# the budget line; PNG, SVG and the terminal; hostile model names in usage
# logs stay inert.
. "$TOP/tests/cli/lib.sh"

is_png() { python3 -c 'import sys, struct
b = open(sys.argv[1], "rb").read()
sys.exit(0 if b[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", b[16:24]) == (1200, 700) else 1)' "$1"; }
svg_text() { python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print("\n".join(n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild))' "$1"; }

# no usage yet: "no data", exit 3, gnuplot not run
expect_rc 3 plot spend -o "$T/none.png"
expect_err "no data: no usage"
[ ! -e "$T/none.png" ] && ok || bad "a chart without usage"

expect_rc 0 ingest usage "$FIX/usage/spend.csv"
for ext in png svg; do
	expect_rc 0 plot spend -o "$T/spend.$ext"
done
is_png "$T/spend.png" && ok || bad "spend.png is not a 1200x700 PNG"
svg_text "$T/spend.svg" >"$T/spend.txt" && ok || bad "spend.svg is not well-formed"
grep -qF "LLM spend per day, by model" "$T/spend.txt" && ok || bad "spend: title"
grep -qF "Source: llmcost usage logs" "$T/spend.txt" && ok || bad "spend: source line"
grep -qF "USD per day" "$T/spend.txt" && ok || bad "spend: axis label with units"
grep -qF "Nov 1" "$T/spend.txt" && ok || bad "spend: dated x axis"
grep -qF "other models" "$T/spend.txt" && ok || bad "spend: more than 7 models are grouped"
grep -qF "budget" "$T/spend.txt" && bad "a budget line without a budget" || ok

# the stacked bars add up to `llmcost usage`'s exact daily costs
expect_rc 0 plot spend -o "$T/s.svg" --script "$T/sd"
expect_rc 0 usage daily --json
python3 - "$T/out" "$T/sd/spend.tsv" <<'PY' && ok || bad "the top of each stack is not the day's cost"
import json, sys, csv, datetime
from decimal import Decimal
want = {r["key"]: Decimal(str(r["cost"])) for r in json.load(open(sys.argv[1]))["rows"]}
rows = list(csv.reader(open(sys.argv[2]), delimiter="\t"))[1:]
got = {}
for r in rows:
    day = datetime.datetime.utcfromtimestamp(int(r[0])).strftime("%Y-%m-%d")
    got[day] = Decimal(r[-1])
bad = {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}
if bad: print(bad, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
[ "$(wc -l <"$T/sd/spend-budget.tsv")" -le 1 ] && ok || bad "budget data without a budget"

# a budget: the line is in the script and its data (a day's share of $20 in November: 20/30)
expect_rc 0 budget set --monthly 20
expect_rc 0 plot spend -o "$T/b.svg" --script "$T/bd"
grep -qF 'title "budget $20.00 a month' "$T/bd/spend.gp" && ok || bad "no budget line in the script"
grep -qP '\t0\.666666666$' "$T/bd/spend-budget.tsv" && ok || bad "the daily share of the budget"
svg_text "$T/b.svg" | grep -qF "budget \$20.00 a month (a day's share)" && ok || bad "budget not in the legend"
expect_rc 0 plot spend --monthly -o "$T/m.svg" --script "$T/md"
svg_text "$T/m.svg" | grep -qF "Nov 2024" && ok || bad "monthly: month axis"
grep -qP '\t20$' "$T/md/spend-budget.tsv" && ok || bad "monthly budget line at 20"
expect_rc 0 usage monthly --json
expect_eq "$(json_get '" ".join(str(r["cost"]) for r in j["rows"])')" "$(cut -f1 --complement "$T/md/spend.tsv" | tail -n +2 | awk -F'\t' '{print $NF}' | tr '\n' ' ' | sed 's/ $//')" "monthly stacks add up to usage monthly"
# a project's own budget, and the period options
expect_rc 0 budget set --monthly 5 --project webapp
expect_rc 0 plot spend --project webapp --since 2024-12-01 --until 2024-12-10 -o "$T/p.svg" --script "$T/pd"
grep -qF 'budget $5.00 a month' "$T/pd/spend.gp" && ok || bad "the project's budget"
expect_eq 10 "$(tail -n +2 "$T/pd/spend.tsv" | wc -l)" "--since/--until: 10 days"
svg_text "$T/p.svg" | grep -qF "project webapp" && ok || bad "project in the title"
expect_rc 0 plot spend --terminal
expect_out "Source: llmcost usage logs"
expect_out "Nov 1"
expect_rc 2 plot spend
expect_rc 2 plot spend --since 2024-12-10 --until 2024-12-01 -o "$T/x.png"
expect_rc 2 plot spend --since yesterdayish -o "$T/x.png"
expect_rc 3 plot spend --project nosuch -o "$T/x.png"

# hostile model names in a usage log: priced (rows added to the store), drawn
# literally, nothing runs, no name reaches the script.  A '/' in a usage
# log's model name means host/model, so the commands use `cd;` to write
# their markers in $HOME.  On SQLite the prices go into the store's tables
# directly (the name with a newline too); the team store's catalogue takes
# them from a price sheet (ingest prices --force: all but that one).
M="marker"
store=$LLMCOST_DB
store_is_sqlite || store=""
python3 - "$store" "$M" "$T/hostile.csv" "$T/hostile-prices.csv" <<'PY'
import sqlite3, sys, csv
db, m, out, prices = sys.argv[1:5]
names = ["bq`cd;touch %s.bq`x" % m, 'system("cd;touch %s.sys")' % m, "!cd;touch %s.bang" % m,
         "@macro x", "|cd;touch %s.pipe" % m, "<cd;touch %s.lt" % m, 'q"uote\'s', "nl\nsystem(\"cd;touch %s.nl\")" % m]
w = csv.writer(open(out, "w", newline=""))
w.writerow(["timestamp", "model", "input_tokens", "output_tokens", "project", "session", "request_id"])
for i, n in enumerate(names):
    w.writerow(["2025-03-%02dT10:00:00Z" % (i + 1), n, 1000000, 0, "evil", "e%d" % i, "h%d" % i])
w = csv.writer(open(prices, "w", newline=""))
w.writerow(["provider", "model", "effective_from", "effective_to", "input_per_mtok", "output_per_mtok"])
for n in names:
    w.writerow(["evil", n, "2024-01-01", "", "1000", "1000"])
if not db:
    sys.exit(0)
con = sqlite3.connect(db)
con.execute("INSERT INTO providers(id, name, kind, origin) VALUES ('evil', 'Evil', 'maker', 'user')")
con.execute("INSERT INTO sources(name, format, priority, dated) VALUES ('hostile-test', 'test', 50, 1)")
sid = con.execute("SELECT id FROM sources WHERE name = 'hostile-test'").fetchone()[0]
for n in names:
    con.execute("INSERT INTO models(id, maker, family, name, default_host, origin) VALUES (?, 'evil', ?, ?, 'evil', 'user')", (n, n, n))
    con.execute("INSERT INTO price_periods(model_id, host, source_id, effective_from, input, output) VALUES (?, 'evil', ?, '2024-01-01', 1000000000, 1000000000)", (n, sid))
con.commit()
PY
if ! store_is_sqlite; then
	expect_rc 0 ingest prices "$T/hostile-prices.csv" --name hostile-test --force
	expect_out "7 models priced"
fi
expect_rc 0 ingest usage "$T/hostile.csv"
expect_rc 0 plot spend --project evil -o "$T/h.svg" --script "$T/hd"
expect_rc 0 plot spend --project evil -o "$T/h.png"
expect_rc 0 plot spend --project evil --terminal
if grep -q "$(printf '\033')" "$T/out"; then bad "ESC reached the terminal"; else ok; fi
found=$(ls "$HOME" "$T" "$T/hd" | grep '^marker' || true)
[ -z "$found" ] && ok || bad "a command ran: $found"
if grep -l -e 'touch' "$T"/hd/*.gp; then bad "a name reached the script"; else ok; fi
python3 - "$T/h.svg" "$M" <<'PY' && ok || bad "hostile names not drawn literally"
import sys, xml.dom.minidom as mini
path, m = sys.argv[1:3]
text = "\n".join(n.firstChild.data for n in mini.parse(path).getElementsByTagName("text") if n.firstChild)
want = ["bq`cd;touch %s.bq`x" % m, 'system("cd;touch %s.sys")' % m, "!cd;touch %s.bang" % m,
        "@macro x", "|cd;touch %s.pipe" % m, "<cd;touch %s.lt" % m, 'q"uote\'s']
missing = [w for w in want if w not in text]
if missing: print("missing:", missing, file=sys.stderr)
sys.exit(1 if missing else 0)
PY

# layout rules: tics on natural boundaries (Mondays for 45 days, months on a
# monthly chart), the running period marked, the total to the cent
P="--since 2024-11-01 --until 2024-12-15"
expect_rc 0 plot spend $P -o "$T/nat.svg" --script "$T/nat"
grep -o '"[A-Z][a-z][a-z] [0-9]*"' "$T/nat/spend.gp" | tr -d '"' | tr '\n' ' ' >"$T/tics"
expect_eq "Nov 4 Nov 11 Nov 18 Nov 25 Dec 2 Dec 9 " "$(cat "$T/tics")" "daily tics on Mondays"
svg_text "$T/nat.svg" | grep -qE 'Total \$[0-9,]+\.[0-9]{2}( |$)' && ok || bad "spend: the total is not to the cent"
svg_text "$T/nat.svg" | grep -qF "so far" && bad "spend: a past period marked as running" || ok
LLMCOST_NOW=2024-12-15 expect_rc 0 plot spend $P -o "$T/run.svg"
svg_text "$T/run.svg" | grep -qxF "day so far" && ok || bad "spend: today is not marked as running"
LLMCOST_NOW=2024-12-10 expect_rc 0 plot spend --monthly --since 2024-11-01 --until 2024-12-10 -o "$T/runm.svg" --script "$T/runm"
svg_text "$T/runm.svg" | grep -qxF "month so far" && ok || bad "spend: this month is not marked as running"
grep -qF '"Nov 2024"' "$T/runm/spend.gp" && grep -qF '"Dec"' "$T/runm/spend.gp" && ok || bad "spend: monthly tics"
python3 "$TOP/tests/cli/svg_layout.py" "$T/run.svg" "$T/runm.svg" >"$T/layout.out" && ok || { bad "spend: layout"; diag "$(cat "$T/layout.out")"; }

done_testing

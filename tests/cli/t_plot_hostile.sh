# Hostile model and provider names (as a downloaded price sheet could carry)
# never execute anything in gnuplot, render literally, and keep the SVG
# well-formed.  The rows go straight into the test's store under a test
# source (the built-in rows are reloaded only when the built-in data changes).
. "$TOP/tests/cli/lib.sh"

expect_rc 0 models --at 2024-01-01 >/dev/null   # create the store
M="$T/marker"
python3 - "$LLMCOST_DB" "$M" <<'PY'
import sqlite3, sys
db, m = sys.argv[1], sys.argv[2]
names = [
    "bq`touch %s.bq`x" % m,
    'q"uote\'s ""x',
    "new\nline\nsystem(\"touch %s.nl\")" % m,
    'system("touch %s.sys")' % m,
    "!touch %s.bang" % m,
    "@macro x",
    "|touch %s.pipe" % m,
    "<touch %s.lt" % m,
    "$(touch %s.dollar)" % m,
    "esc\x1b[31mred\x07",
    "back\\slash\\\"q\\140",
    "{/Symbol a}^2_x",
    "EOD",
    "#hash tab\there",
]
con = sqlite3.connect(db)
con.execute("PRAGMA foreign_keys=ON")
con.execute("INSERT INTO providers(id, name, kind, origin) VALUES (?, ?, 'maker', 'user')",
            ("evil", "Evil `touch %s.prov` \"Corp\"\n!x" % m))
con.execute("INSERT INTO sources(name, format, priority, dated) VALUES ('hostile-test', 'test', 50, 1)")
sid = con.execute("SELECT id FROM sources WHERE name = 'hostile-test'").fetchone()[0]
def add(mid, day, price):
    con.execute("INSERT INTO models(id, maker, family, name, release_date, default_host, origin) "
                "VALUES (?, 'evil', ?, ?, ?, 'evil', 'user')", (mid, mid, mid, day))
    con.execute("INSERT INTO price_periods(model_id, host, source_id, effective_from, input, output) "
                "VALUES (?, 'evil', ?, ?, ?, ?)", (mid, sid, day, price, price * 2))
    con.execute("INSERT INTO quality_scores(model_id, name, benchmark, score, snapshot, origin) "
                "VALUES (?1, ?1, 'arena_elo', 1400, '2024-12-31', 'user')", (mid,))
# each name is, on its day, the cheapest GPT-4-class model: it is on both
# charts; days and prices are spread so that every label finds a free place
import datetime
for i, n in enumerate(names):
    day = datetime.date(2025, 1, 1) + datetime.timedelta(days=4 * i)
    add(n, day.isoformat(), 30000000 >> i)
# invalid UTF-8: bytes cast to TEXT
bad = b"bad\xff\xfeutf8 \xc3(".hex()
con.execute("INSERT INTO models(id, maker, family, default_host, origin) "
            "VALUES (CAST(x'%s' AS TEXT), 'evil', CAST(x'%s' AS TEXT), 'evil', 'user')" % (bad, bad))
con.execute("INSERT INTO price_periods(model_id, host, source_id, effective_from, input, output) "
            "VALUES (CAST(x'%s' AS TEXT), 'evil', ?, '2025-01-20', 1000000, 2000000)" % bad, (sid,))
con.execute("INSERT INTO quality_scores(model_id, name, benchmark, score, snapshot, origin) "
            "VALUES (CAST(x'%s' AS TEXT), CAST(x'%s' AS TEXT), 'arena_elo', 1400, '2024-12-31', 'user')"
            % (bad, bad))
con.commit()
PY
expect_eq 0 "$?" "hostile rows inserted"

no_markers() {
	found=$(ls "$T" | grep '^marker' || true)
	[ -z "$found" ] && ok || bad "$1: a command ran: $found"
}

for kind in collapse frontier estimate; do
	if [ "$kind" = estimate ]; then
		# every hostile model is a bar: the maker's models on a date they are all priced
		set -- --provider evil --at 2025-03-01 --input 1000 --output 100 --top 50
	elif [ "$kind" = frontier ]; then
		# one bar: every model that set the price is named (the tiers name fewer)
		set -- --from 2024-10-01 --to 2025-03-01 --min-quality gpt-4-0314
	else
		set -- --from 2024-10-01 --to 2025-03-01
	fi
	expect_rc 0 plot "$kind" "$@" -o "$T/h-$kind.png"
	no_markers "$kind png"
	[ -s "$T/h-$kind.png" ] && ok || bad "$kind png missing"
	expect_rc 0 plot "$kind" "$@" -o "$T/h-$kind.svg" --script "$T/s-$kind"
	no_markers "$kind svg"
	expect_rc 0 plot "$kind" "$@" --terminal
	no_markers "$kind terminal"
	if tr -d '\n' <"$T/out" | grep -q "$(printf '\033')"; then bad "$kind: ESC reached the terminal"; else ok; fi
	# the SVG is well-formed and every name is there, literally (controls as spaces)
	python3 - "$T/h-$kind.svg" "$kind" "$M" <<'PY' && ok || bad "$kind: SVG check failed"
import sys, xml.dom.minidom as mini
path, kind, m = sys.argv[1:4]
d = mini.parse(path)
text = "\n".join(n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild)
want = [
    "bq`touch %s.bq`x" % m,
    'q"uote\'s ""x',
    "new line system(\"touch %s.nl\")" % m,
    'system("touch %s.sys")' % m,
    "!touch %s.bang" % m,
    "@macro x",
    "|touch %s.pipe" % m,
    "<touch %s.lt" % m,
    "$(touch %s.dollar)" % m,
    "esc [31mred ",
    "back\\slash\\\"q\\140",
    "{/Symbol a}^2_x",
    "EOD",
    "#hash tab here",
    "bad\ufffd\ufffdutf8 \ufffd(",
]
if kind in ("collapse", "estimate"):
    want.append("Evil `touch %s.prov` \"Corp\" !x" % m)
missing = [w for w in want if w not in text]
if missing:
    print("missing from the %s SVG:" % kind, missing, file=sys.stderr)
    print(text, file=sys.stderr)
sys.exit(1 if missing else 0)
PY
done
# the kept scripts hold no name at all: names live only in the data files
if grep -l -e 'touch' -e 'Evil' "$T"/s-*/*.gp; then bad "a name reached a script"; else ok; fi

# the quality bar named by a hostile model goes into the title, escaped
expect_rc 0 plot frontier -o "$T/h-bar.svg" --from 2024-10-01 --to 2025-02-01 --min-quality "bq\`touch $M.bq\`x"
no_markers "bar title"
python3 -c 'import sys, xml.dom.minidom as m; t = "".join(n.firstChild.data for n in m.parse(sys.argv[1]).getElementsByTagName("text") if n.firstChild); sys.exit(0 if ("bq`touch " + sys.argv[2] + ".bq`x-class") in t else 1)' "$T/h-bar.svg" "$M" && ok || bad "hostile bar title not literal"

# tables: names print with control characters replaced; nothing executes
expect_rc 0 report collapse --from 2024-10-01 --to 2025-02-01
if grep -q "$(printf '\033')" "$T/out"; then bad "ESC reached the text table"; else ok; fi
expect_out "system(\"touch"
expect_rc 0 report collapse --from 2024-10-01 --to 2025-02-01 --json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" && ok || bad "JSON with hostile names is not valid"
no_markers "tables"

done_testing

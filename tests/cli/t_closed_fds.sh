# Closed standard streams (issue 13, item 1).  `llmcost ... >&-`, `2>&-`
# (cron, daemons) and `<&-` leave descriptor 0, 1 or 2 free, and the next
# open() would take it: the store's lock or SQLite's own file would become
# "standard output" and a table or a warning would be written over the
# database.  Every command runs here with each of the three closed, on a
# store that holds prices and usage; afterwards the store must pass
# PRAGMA integrity_check, still start with SQLite's header, and give the
# same exact totals as before.  The exit code is the one of the same run
# with every stream open, except that a command that prints on standard
# output exits 1 with "cannot write to standard output" when it is closed.
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
DB="$T/store.db"
OUT="$T/files"
mkdir -p "$OUT"

cat >"$T/contract.csv" <<'CSV'
provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok,cached_input_per_mtok,min_input_tokens,batch_discount_pct,source
openai,gpt-4o,2025-01-01,,2.25,9,1.125,,50,https://example.com/contract
acme,acme-private-1,2025-03-01,,0.5,1.5,,,,https://example.com/acme
CSV
expect_rc 0 --db "$DB" ingest prices "$T/contract.csv" --name contract
expect_rc 0 --db "$DB" ingest usage "$U/claude" "$U/csv/usage.csv"
expect_rc 0 --db "$DB" budget set --monthly 100

# what must not change: the integrity of the file, its header, every usage
# total to the nano-USD, and the price periods
state() {
	python3 - "$DB" <<'PY'
import sqlite3, sys
head = open(sys.argv[1], "rb").read(16)
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(head == b"SQLite format 3\0", c.execute("PRAGMA integrity_check").fetchone()[0])
for t in ("usage_calls", "price_periods", "sources", "budgets", "models"):
    print(t, c.execute("SELECT count(*) FROM %s" % t).fetchone()[0])
print(c.execute("SELECT sum(input), sum(output), sum(cache_read), sum(requests) FROM usage_calls").fetchone())
PY
	"$LLMCOST" --db "$DB" usage --json 2>/dev/null | python3 -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps(j["total"], sort_keys=True))'
}
before=$(state)
case $before in "True ok"*) ok ;; *) bad "the store is not sound before the test: $before" ;; esac

# every command, once each (one per line; words split by the shell; $OUT expands)
commands='--version
help
help ingest prices
models
models --json
models --csv
price gpt-4o
price gpt-4o --history --json
price no-such-model
estimate --input 2000 --output 500
estimate --list-tasks
report collapse --to 2024-12-31
report collapse --to 2024-12-31 --md
report html -o $OUT/r.html --to 2024-12-31
plot collapse -o $OUT/c.svg --to 2024-12-31
plot estimate -o $OUT/e.svg --input 1000 --output 100
plot spend -o $OUT/s.svg
sources
sources priority contract 50
ingest prices '"$T"'/contract.csv --name contract
update --source contract --url contract='"$T"'/contract.csv
ingest usage '"$U"'/claude '"$U"'/csv/usage.csv
usage
usage daily --json
usage model --csv
budget status
budget set --monthly 100
models --no-such-option'

# under valgrind (make valgrind) the tool opens its log file before
# llmcost starts, and it takes a closed descriptor 1: that case is left to
# the plain and ASan runs
FDS="0 1 2"
[ -n "${LLMCOST_VALGRIND:-}" ] && FDS="0 2"
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	eval "set -- $cmd"
	"$LLMCOST" --db "$DB" "$@" >"$T/ref.out" 2>"$T/ref.err" </dev/null
	want=$?
	for fd in $FDS; do
		ctx="[fd $fd closed] llmcost $cmd"
		case $fd in
		0) "$LLMCOST" --db "$DB" "$@" >"$T/out" 2>"$T/err" <&- ;;
		1) "$LLMCOST" --db "$DB" "$@" >&- 2>"$T/err" </dev/null ;;
		2) "$LLMCOST" --db "$DB" "$@" >"$T/out" 2>&- </dev/null ;;
		esac
		rc=$?
		w=$want
		if [ "$fd" -eq 1 ] && [ -s "$T/ref.out" ]; then
			[ "$want" -eq 0 ] && w=1
			expect_err "cannot write to standard output"
		fi
		if [ "$rc" -eq "$w" ]; then ok; else bad "$ctx: exit $rc, want $w"; fi
		if [ "$fd" -ne 1 ]; then
			if cmp -s "$T/out" "$T/ref.out"; then ok; else
				# reports of "today" may differ by a clock tick: compare sizes then
				bad "$ctx: standard output differs from the run with every stream open"
			fi
		fi
		after=$(state)
		expect_eq "$before" "$after" "$ctx: the store after"
	done
done <<EOF
$commands
EOF
[ "$n" -ge 25 ] && ok || bad "only $n commands"

# the descriptors llmcost opens itself are never 0, 1 or 2: with all three
# closed the store is still whole
"$LLMCOST" --db "$DB" models <&- >&- 2>&-
rc=$?
[ -n "${LLMCOST_VALGRIND:-}" ] || expect_eq 1 "$rc" "models with every stream closed"
expect_eq "$before" "$(state)" "the store after a run with every stream closed"
# a new store made with the streams closed is a sound store
"$LLMCOST" --db "$T/new.db" models >&- 2>&-
python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$T/new.db" >"$T/out" 2>&1
expect_out ok

# ---- --db values that are not plain files (item 7) ----
mkdir -p "$T/cwd" && cd "$T/cwd" || exit 1
expect_rc 2 --db :memory: ingest usage "$U/claude"
expect_err "':memory:' would keep nothing"
LLMCOST_DB=:memory: expect_rc 2 models
expect_eq "" "$(ls -A)" "files left by --db :memory:"
# a name that starts file: is a file of that name, never an SQLite URI (an
# in-memory one would keep nothing)
expect_rc 0 --db 'file:x.db?mode=memory' ingest usage "$U/claude"
expect_rc 0 --db 'file:x.db?mode=memory' usage --json
expect_out '"records": 5'
[ -s 'file:x.db?mode=memory' ] && ok || bad "--db file:...: no file of that name"
expect_rc 0 --db ./:memory: models
[ -s ':memory:' ] && ok || bad "--db ./:memory: makes no file of that name"
cd "$T" || exit 1
done_testing

# The team store on PostgreSQL (issue 20), against a real server this test
# starts (tests/cli/pg.sh): every report equal byte for byte to the SQLite
# store's, from a second machine's fresh cache too; repeated and
# overlapping ingests from several machines at once count nothing twice;
# kill -9 of a client and a server restart mid-ingest leave nothing
# half-written and a re-run reaches the exact totals; a wrong password is
# exit 5 without the secret; migrate both ways; named schemas; the reader
# and writer roles of the README.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/pg.sh"
export LLMCOST_NOW=2025-07-01T12:00:00Z
start_pg
unset LLMCOST_DB
LITE="$T/lite.db"
TEAM="$PGURL"
FIX_U="$FIX/usage"

# same_out WHAT ARGS...: the command's stdout, stderr and exit code are the
# same on the SQLite store and on the team store
same_out() {
	_what=$1
	shift
	"$LLMCOST" --db "$LITE" "$@" >"$T/a.out" 2>"$T/a.err"
	_ra=$?
	"$LLMCOST" --db "$TEAM" "$@" >"$T/b.out" 2>"$T/b.err"
	_rb=$?
	if [ "$_ra" = "$_rb" ] && cmp -s "$T/a.out" "$T/b.out" && cmp -s "$T/a.err" "$T/b.err"; then
		ok "$_what: same output on both stores"
	else
		bad "$_what: outputs differ (exit $_ra / $_rb)"
		diff "$T/a.out" "$T/b.out" | head -n 10 | sed 's/^/# /'
		diff "$T/a.err" "$T/b.err" | head -n 5 | sed 's/^/# /'
	fi
}

# --- the same commands, the same output ---
for d in claude codex gemini-cli qwen opencode amp csv; do
	[ -e "$FIX_U/$d" ] || continue
	"$LLMCOST" --db "$LITE" ingest usage "$FIX_U/$d" >"$T/a.out" 2>"$T/a.err"
	"$LLMCOST" --db "$TEAM" ingest usage "$FIX_U/$d" >"$T/b.out" 2>"$T/b.err"
	if cmp -s "$T/a.out" "$T/b.out" && cmp -s "$T/a.err" "$T/b.err"; then
		ok "ingest usage $d: same summary on both stores"
	else
		bad "ingest usage $d: summaries differ"
		diff "$T/a.out" "$T/b.out" | head -n 5 | sed 's/^/# /'
		diff "$T/a.err" "$T/b.err" | head -n 5 | sed 's/^/# /'
	fi
done
same_out "re-ingest adds nothing" ingest usage "$FIX_U/claude"
same_out "price sheet" ingest prices "$FIX/prices/litellm.json"
start_httpd "$FIX/prices"
same_out "update from a local server" update --source openrouter --source genai-prices \
	--url "openrouter=$U/openrouter.json" --url "genai-prices=$U/genai.json"
same_out "budget set" budget set --monthly 250
same_out "project budget" budget set --monthly 40 --project webapp
for args in "usage daily" "usage weekly" "usage monthly --json" "usage session" \
	"usage project --csv" "usage blocks" "usage daily --explain" "usage daily --breakdown" \
	"usage monthly --as gpt-4o-mini" "budget status" "budget status --json" \
	"price gpt-4o" "price claude-sonnet-4 --history" "models" "models --unmatched" \
	"estimate --input 10000 --output 2000" "report collapse" "sources --conflicts" "sources" \
	"plans" "usage daily --since 2025-01-01 --until 2025-12-31 --json" "usage user" \
	"usage daily --user $(id -un 2>/dev/null || echo x)@$(hostname)" "usage user --json"; do
	# shellcheck disable=SC2086
	same_out "$args" $args
done

# --- a second machine: a fresh cache, built from the server ---
# a report of totals reads only the rollup of totals (a fifth of the rows
# of a big store); one per project reads the other rollup then
HOME3="$T/home3"
mkdir -p "$HOME3"
read_rollups() { sqlite3 "$HOME3"/.cache/llmcost/pg-*.db "SELECT group_concat(key, ' ') FROM (SELECT key FROM pg_state WHERE key LIKE 'usage%' ORDER BY key)"; }
HOME="$HOME3" "$LLMCOST" --db "$TEAM" usage daily >/dev/null 2>&1
expect_eq "usage_total_sums" "$(read_rollups)" "a fresh cache's daily report reads only the rollup of totals"
HOME="$HOME3" "$LLMCOST" --db "$TEAM" usage project >"$T/b.out" 2>&1
expect_eq "usage_sums usage_total_sums" "$(read_rollups)" "a report per project reads the other rollup"
"$LLMCOST" --db "$LITE" usage project >"$T/a.out" 2>&1
cmp -s "$T/a.out" "$T/b.out" && ok "second machine: usage project after usage daily" ||
	bad "second machine: usage project after usage daily differs"
HOME2="$T/home2"
mkdir -p "$HOME2"
for args in "usage daily --json" "usage session" "budget status" "models"; do
	# shellcheck disable=SC2086
	HOME="$HOME2" "$LLMCOST" --db "$TEAM" $args >"$T/b.out" 2>&1
	# shellcheck disable=SC2086
	"$LLMCOST" --db "$LITE" $args >"$T/a.out" 2>&1
	cmp -s "$T/a.out" "$T/b.out" && ok "second machine: $args" ||
		bad "second machine: $args differs"
done
ls "$HOME2"/.cache/llmcost/pg-*.db >/dev/null 2>&1 && ok "the cache is under ~/.cache/llmcost" ||
	bad "no cache file under $HOME2/.cache/llmcost"

# --- the server holds it: its rollups agree with its records ---
ROLL="SELECT (SELECT sum(records) || ' ' || sum(input) || ' ' || sum(output) FROM usage_sums), (SELECT sum(records) || ' ' || sum(input) || ' ' || sum(output) FROM usage_total_sums), (SELECT count(*) || ' ' || sum(input) || ' ' || sum(output) FROM usage_calls)"
roll_ok() { # SCHEMA: the three sums agree
	_r=$(PGOPTIONS="-c search_path=$1" pg_sql "$ROLL")
	_a=$(echo "$_r" | cut -d'|' -f1) _b=$(echo "$_r" | cut -d'|' -f2) _c=$(echo "$_r" | cut -d'|' -f3)
	[ "$_a" = "$_c" ] && [ "$_b" = "$_c" ]
}
roll_ok llmcost && ok "server rollups agree with its records" || bad "server rollups: $(PGOPTIONS='-c search_path=llmcost' pg_sql "$ROLL")"

# --- many machines at once, overlapping files ---
"$TOOLS/gen_claude_logs" "$T/logs" 3000 7 >/dev/null || bad "generator failed"
LOGS="$T/logs/projects"
mkdir -p "$T/part1" "$T/part2"
i=0
for f in $(find "$LOGS" -name '*.jsonl' | sort); do
	i=$((i + 1))
	rel=${f#"$LOGS"/}
	# part1: two thirds, part2: the last two thirds (the middle third in both)
	if [ $((i % 3)) -ne 2 ]; then mkdir -p -- "$T/part1/$(dirname -- "$rel")" && cp -- "$f" "$T/part1/$rel"; fi
	if [ $((i % 3)) -ne 0 ]; then mkdir -p -- "$T/part2/$(dirname -- "$rel")" && cp -- "$f" "$T/part2/$rel"; fi
done
"$LLMCOST" --db "$T/all.db" ingest usage "$LOGS" >/dev/null 2>&1
"$LLMCOST" --db "$T/all.db" usage daily --json >"$T/want.json"
export LLMCOST_SCHEMA=many
pids=""
for m in 1 2 3 4; do
	src=$LOGS
	[ "$m" = 2 ] && src="$T/part1"
	[ "$m" = 3 ] && src="$T/part2"
	# two of them keep a key filter of the server's records whatever the
	# sizes, one so small it fills up and is rebuilt (db_pg_usage.c)
	kf=
	[ "$m" = 1 ] && kf=1:64
	[ "$m" = 3 ] && kf=1:4096
	HOME="$T/m$m" LLMCOST_MACHINE="dev$m" LLMCOST_USER="dev$m@team" LLMCOST_INGEST_CHUNK=300 \
		LLMCOST_KEYFILTER=$kf "$LLMCOST" --db "$TEAM" ingest usage "$src" >"$T/m$m.out" 2>&1 &
	pids="$pids $!"
done
rcs=""
for p in $pids; do wait "$p"; rcs="$rcs$?"; done
expect_eq 0000 "$rcs" "four machines ingesting overlapping files at once all succeed"
"$LLMCOST" --db "$TEAM" usage daily --json >"$T/got.json"
cmp -s "$T/want.json" "$T/got.json" && ok "four machines at once: totals exact" ||
	bad "four machines at once: $(diff "$T/want.json" "$T/got.json" | head -n 4)"
roll_ok many && ok "after four writers: rollups agree with the records" || bad "after four writers: rollups off"
expect_eq 4 "$(pg_sql "SELECT count(DISTINCT machine) FROM many.usage_files")" "resume points per machine"
# the key of a rollup row, made by the client for the staging rows and by
# the server for the corrections, is the same function of its attributes
DK="sha256(convert_to(concat_ws(chr(31), model_raw, model, host, project, session, service_tier, speed, user_name), 'UTF8'))"
expect_eq "0 0" "$(pg_sql "SELECT (SELECT count(*) FROM many.usage_sums WHERE dkey <> $DK) || ' ' || (SELECT count(*) FROM many.usage_total_sums WHERE dkey <> $DK)")" "rollup keys: the client's equal the server's"
expect_rc 0 --db "$TEAM" usage user --json
expect_eq "True" "$(json_get 'sum(r["records"] for r in j["rows"]) == j["total"]["records"] and len(j["rows"]) >= 1')" "usage user on the team store: per-user rows add up"
HOME="$T/m1" LLMCOST_MACHINE=dev1 "$LLMCOST" --db "$TEAM" ingest usage "$LOGS" >"$T/out" 2>&1
grep -q " 0 accepted" "$T/out" && ok "a machine's re-run reads from its resume points" || bad "re-run: $(tail -n 1 "$T/out")"

# --- kill -9 of a client at random moments ---
export LLMCOST_SCHEMA=killed
runs=0
while [ $runs -lt 6 ]; do
	runs=$((runs + 1))
	HOME="$T/k" LLMCOST_INGEST_CHUNK=200 "$LLMCOST" --db "$TEAM" ingest usage "$LOGS" >/dev/null 2>&1 &
	p=$!
	sleep "0.$((RANDOM % 9 + 1))"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	roll_ok killed || bad "after kill -9 number $runs: rollups disagree with records"
done
ok "six kill -9 at random moments: rollups agree with records every time"
HOME="$T/k" "$LLMCOST" --db "$TEAM" ingest usage "$LOGS" >/dev/null 2>&1
HOME="$T/k" "$LLMCOST" --db "$TEAM" usage daily --json >"$T/got.json"
cmp -s "$T/want.json" "$T/got.json" && ok "after kill -9: a re-run reaches the exact totals" ||
	bad "after kill -9: totals differ"

# --- the server restarts during an ingest ---
export LLMCOST_SCHEMA=restarted
HOME="$T/r" LLMCOST_INGEST_CHUNK=100 "$LLMCOST" --db "$TEAM" ingest usage "$LOGS" >"$T/r.out" 2>"$T/r.err" &
p=$!
sleep 0.4
restart_pg immediate
wait "$p"
rrc=$?
if [ "$rrc" = 0 ]; then
	ok "the ingest finished before the restart (nothing to check)"
else
	expect_eq 5 "$rrc" "a server restart mid-ingest: exit 5"
	grep -q "team store" "$T/r.err" && ok "the error names the team store" || bad "error: $(cat "$T/r.err")"
fi
roll_ok restarted && ok "after the restart: rollups agree with records" || bad "after restart: rollups off"
HOME="$T/r" "$LLMCOST" --db "$TEAM" ingest usage "$LOGS" >/dev/null 2>&1
HOME="$T/r" "$LLMCOST" --db "$TEAM" usage daily --json >"$T/got.json"
cmp -s "$T/want.json" "$T/got.json" && ok "after the restart: a re-run reaches the exact totals" ||
	bad "after restart: totals differ"

# --- credentials ---
unset LLMCOST_SCHEMA
BADURL="postgresql://$PG_PWUSER:wrong-pw-987@/$PGDATABASE?host=$PGHOST&port=$PGPORT"
expect_rc 5 --db "$BADURL" usage daily
expect_err "password authentication failed"
grep -q "wrong-pw-987" "$T/out" "$T/err" && bad "the password was printed" || ok "the wrong password is not printed"
GOODURL="postgresql://$PG_PWUSER:$PG_PWPASS@/$PGDATABASE?host=$PGHOST&port=$PGPORT"
pg_sql "GRANT CREATE ON DATABASE $PGDATABASE TO $PG_PWUSER" >/dev/null
LLMCOST_SCHEMA=pw expect_rc 0 --db "$GOODURL" ingest usage "$FIX_U/codex"
grep -q "$PG_PWPASS" "$T/out" "$T/err" && bad "the password was printed" || ok "the right password is not printed"
printf '%s:%s:%s:%s:%s\n' "$PGHOST" "$PGPORT" "$PGDATABASE" "$PG_PWUSER" "$PG_PWPASS" >"$HOME/.pgpass"
chmod 600 "$HOME/.pgpass"
LLMCOST_SCHEMA=pw expect_rc 0 --db "postgresql://$PG_PWUSER@/$PGDATABASE?host=$PGHOST&port=$PGPORT" usage daily
expect_out "2025-09-10"
# the connection string's options reach libpq, which judges them
LLMCOST_SCHEMA=pw expect_rc 5 --db "postgresql://$PG_PWUSER@/$PGDATABASE?host=$PGHOST&port=$PGPORT&sslmode=sometimes" usage daily
expect_err "sslmode"
rm -f "$HOME/.pgpass"
cat >"$T/pg_service.conf" <<SVC
[team]
host=$PGHOST
port=$PGPORT
dbname=$PGDATABASE
user=$PGUSER
SVC
PGSERVICEFILE="$T/pg_service.conf" expect_rc 0 --db service=team usage daily
expect_out "2025"

# --- migrate both ways ---
expect_rc 0 migrate "$LITE" "postgresql:///$PGDATABASE?host=$PGHOST&port=$PGPORT&user=$PGUSER"
LLMCOST_SCHEMA=moved expect_rc 0 migrate "$LITE" "$TEAM"
expect_out "checked:"
LLMCOST_SCHEMA=moved expect_rc 0 migrate "$TEAM" "$T/back.db" --json
expect_eq True "$(json_get 'j["checked"] and j["records_added"] == j["records_read"]')" "migrate back: every record, checked"
for args in "usage daily --json" "usage session" "budget status" "models"; do
	# shellcheck disable=SC2086
	"$LLMCOST" --db "$T/back.db" $args >"$T/b.out" 2>&1
	# shellcheck disable=SC2086
	"$LLMCOST" --db "$LITE" $args >"$T/a.out" 2>&1
	cmp -s "$T/a.out" "$T/b.out" && ok "SQLite -> team store -> SQLite: $args" ||
		bad "round trip: $args differs"
done
LLMCOST_SCHEMA=moved expect_rc 0 migrate "$LITE" "$TEAM" --json
expect_eq "0 True" "$(json_get 'str(j["records_added"]) + " " + str(j["records_read"] == j["duplicates"])')" "migrating again adds nothing"

# --- prices changed by another machine while a command ran ---
# (the other machine is played by psql: it holds the catalogue lock, then
# adds a snapshot, while this command waits to send its own)
( PGOPTIONS="-c search_path=llmcost" pg_sql "BEGIN; SELECT pg_advisory_xact_lock(hashtext('llmcost/catalogue')); SELECT pg_sleep(2); INSERT INTO catalogue(created_by, schema_version, body) SELECT 'other', schema_version, body FROM catalogue ORDER BY version DESC LIMIT 1; COMMIT" >/dev/null 2>&1 ) &
other=$!
sleep 0.7
expect_rc 5 --db "$TEAM" budget set --monthly 999
expect_err "another machine changed the prices or budgets"
wait "$other"
expect_rc 0 --db "$TEAM" budget status --json
expect_no_out "999"
expect_rc 0 --db "$TEAM" budget set --monthly 999
expect_rc 0 --db "$TEAM" budget status --json
expect_out "999"

# --- a store another llmcost laid out ---
LLMCOST_SCHEMA=future expect_rc 0 --db "$TEAM" models
pg_sql "UPDATE future.meta SET value = '99' WHERE key = 'schema_version'" >/dev/null
LLMCOST_SCHEMA=future expect_rc 5 --db "$TEAM" models
expect_err "upgrade llmcost"

# --- schemas and roles ---
expect_eq "many" "$(pg_sql "SELECT nspname FROM pg_namespace WHERE nspname = 'many'")" "LLMCOST_SCHEMA names the schema"
pg_sql "CREATE ROLE reader LOGIN; GRANT USAGE ON SCHEMA llmcost TO reader; GRANT SELECT ON ALL TABLES IN SCHEMA llmcost TO reader" >/dev/null
READER="postgresql:///$PGDATABASE?host=$PGHOST&port=$PGPORT&user=reader"
HOME="$T/rd" expect_rc 0 --db "$READER" usage daily --json
cmp -s "$T/out" <("$LLMCOST" --db "$LITE" usage daily --json 2>/dev/null) && ok "the read-only role reads the same report" || bad "reader's report differs"
HOME="$T/rd" expect_rc 5 --db "$READER" ingest usage "$T/part1"
expect_err "permission denied"
pg_sql "CREATE ROLE writer LOGIN; GRANT USAGE ON SCHEMA llmcost TO writer; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA llmcost TO writer; GRANT USAGE ON ALL SEQUENCES IN SCHEMA llmcost TO writer; GRANT TEMPORARY ON DATABASE $PGDATABASE TO writer" >/dev/null
WRITER="postgresql:///$PGDATABASE?host=$PGHOST&port=$PGPORT&user=writer"
HOME="$T/wr" LLMCOST_MACHINE=w expect_rc 0 --db "$WRITER" ingest usage "$T/part1"
HOME="$T/wr" expect_rc 0 --db "$WRITER" budget set --monthly 300
expect_eq "f" "$(pg_sql "SELECT has_table_privilege('writer', 'llmcost.usage_calls', 'DELETE')")" "the writer cannot delete usage"

done_testing

# kill -9 at random moments during an ingest, then re-run: the totals equal a
# clean ingest's and the database passes PRAGMA integrity_check (D3).  On
# the team store the clean ingest is a SQLite file's (the same totals) and
# the server's records and rollups must agree.
. "$TOP/tests/cli/lib.sh"
"$TOOLS/gen_claude_logs" "$T/logs" 10000 7 || bad "generator failed"
export LLMCOST_INGEST_CHUNK=300 # many small transactions: more moments to die in

crash_db=$LLMCOST_DB
export LLMCOST_DB="$T/clean.db"
expect_rc 0 ingest usage "$T/logs/projects"
expect_rc 0 usage --json
clean=$(json_get '(j["total"]["records"], str(j["total"]["cost"]), j["total"]["input_tokens"])')
export LLMCOST_DB="$crash_db"

for delay in 0.05 0.2 0.4 0.15; do
	"$LLMCOST" ingest usage "$T/logs/projects" >/dev/null 2>&1 &
	pid=$!
	sleep "$(python3 -c "import random; print(random.Random($RANDOM).uniform(0.02, $delay))")" # seeded: lib.sh SEED
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
expect_rc 0 ingest usage "$T/logs/projects"
expect_rc 0 usage --json
expect_eq "$clean" "$(json_get '(j["total"]["records"], str(j["total"]["cost"]), j["total"]["input_tokens"])')"
expect_rc 0 usage --json --from-records
expect_eq "$clean" "$(json_get '(j["total"]["records"], str(j["total"]["cost"]), j["total"]["input_tokens"])')"
if store_is_sqlite; then
	expect_eq "ok" "$(sqlite3 "$LLMCOST_DB" 'PRAGMA integrity_check')"
else
	expect_eq ok "$(store_rollup_check)" "the server's rollups in step after the kills"
fi
# a last run changes nothing
expect_rc 0 ingest usage "$T/logs/projects"
expect_out "0 accepted, 0 duplicates, 0 rejected"
done_testing

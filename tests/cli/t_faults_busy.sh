# A database locked by another process past the busy timeout: a writer
# waits LLMCOST_BUSY_TIMEOUT_MS, then fails with exit 5 "busy" and writes
# nothing; readers still read (WAL); once the lock is gone the write works.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

DB="$T/busy.db"
expect_rc 0 --db "$DB" models
stale_builtin "$DB"
before=$(store_digest "$DB")

# another process takes the write lock and holds it until $T/release exists
hold_write_lock "$DB"
[ -e "$T/locked" ] && ok || bad "the lock holder did not start"

# a writer gives up after the busy timeout
t0=$(date +%s%N)
LLMCOST_BUSY_TIMEOUT_MS=400 run --db "$DB" models
t1=$(date +%s%N)
expect_eq 5 "$rc" "writer against a held lock: exit code"
expect_err "database '$DB' is busy (locked by another process); retry later"
ms=$(((t1 - t0) / 1000000))
[ "$ms" -ge 380 ] && ok || bad "gave up after $ms ms, before the 400 ms busy timeout"
[ "$ms" -lt 4500 ] && ok || bad "waited $ms ms with a 400 ms busy timeout"

# a reader is not blocked by the writer's lock (WAL): the stored data still answers
python3 - "$DB" <<'PY' >/dev/null
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
assert c.execute("SELECT count(*) FROM models").fetchone()[0] > 0
PY
expect_eq 0 $? "a reader during the lock"

# the busy timeout is honoured in the other direction too: a writer waits for
# a lock released within the timeout, and succeeds
( sleep 0.5; touch "$T/release" ) &
LLMCOST_BUSY_TIMEOUT_MS=8000 run --db "$DB" models
expect_eq 0 "$rc" "writer waiting for a lock released within the timeout"
wait $holder
expect_eq ok "$(integrity "$DB")" "integrity after the lock"
[ "$before" != "$(store_digest "$DB")" ] && ok || bad "the waiting writer wrote nothing"
expect_eq "$(sql "$DB" "SELECT data_version FROM sources WHERE name='builtin'")" \
	"$("$LLMCOST" --version | sed 's/.*built-in data \(.*\))/\1/')" "built-in data refreshed after the lock"

# a malformed LLMCOST_BUSY_TIMEOUT_MS falls back to the default (30 s), no crash
LLMCOST_BUSY_TIMEOUT_MS=abc run --db "$DB" models
expect_eq 0 "$rc" "malformed LLMCOST_BUSY_TIMEOUT_MS"
done_testing

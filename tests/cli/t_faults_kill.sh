# kill -9 at random moments while llmcost writes: after each kill the
# database passes PRAGMA integrity_check, and a re-run reaches exactly the
# state of an uninterrupted run.  What writes today: creating the store
# (schema + built-in data) and refreshing stale built-in data.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

export LLMCOST_NOW=2025-01-01T00:00:00Z
runs=${KILL_RUNS:-25}

# creating a new store
python3 "$TOP/tests/cli/killrun.py" --db "$T/new.db" --runs "$runs" -- \
	"$LLMCOST" --db "$T/new.db" models >"$T/out" 2>&1
expect_eq 0 $? "kill -9 while creating the store: $(tail -n 3 "$T/out")"

# refreshing stale built-in data (the whole built-in set is replaced in one
# transaction; a user's own rows stay)
expect_rc 0 --db "$T/base.db" models
stale_builtin "$T/base.db"
python3 "$TOP/tests/cli/killrun.py" --db "$T/stale.db" --runs "$runs" \
	--setup "cp '$T/base.db' \"\$DB\"" -- \
	"$LLMCOST" --db "$T/stale.db" models >"$T/out" 2>&1
expect_eq 0 $? "kill -9 while refreshing built-in data: $(tail -n 3 "$T/out")"
done_testing

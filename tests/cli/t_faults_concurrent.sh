# Several llmcost processes writing the same store at once: each waits its
# turn (BEGIN IMMEDIATE + busy timeout), none fails, nothing is written twice,
# and the result equals one uninterrupted run.  Today's writers: creating a
# new store (schema + built-in data) and refreshing stale built-in data.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

export LLMCOST_NOW=2025-01-01T00:00:00Z
n=6
expect_rc 0 --db "$T/ref.db" models
want=$(store_digest "$T/ref.db")

round() { # round DB: n processes at once; prints the failures
	i=0
	pids=""
	while [ $i -lt $n ]; do
		"$LLMCOST" --db "$1" models >/dev/null 2>"$T/err.$i" &
		pids="$pids $!"
		i=$((i + 1))
	done
	# explicit pids: `jobs -p` is empty in the $(...) subshell this runs in
	fails=0
	for p in $pids; do
		wait "$p" || fails=$((fails + 1))
	done
	echo "$fails"
}

for r in 1 2 3; do
	rm -f "$T/new.db"*
	expect_eq 0 "$(round "$T/new.db")" "round $r: $n processes creating one store at once: failures"
	expect_eq ok "$(integrity "$T/new.db")" "round $r: integrity"
	expect_eq "$want" "$(store_digest "$T/new.db")" "round $r: store equals one uninterrupted run"
done

cp "$T/ref.db" "$T/stale.db"
stale_builtin "$T/stale.db"
expect_eq 0 "$(round "$T/stale.db")" "$n processes refreshing stale built-in data at once: failures"
expect_eq ok "$(integrity "$T/stale.db")" "integrity after concurrent refreshes"
expect_eq "$want" "$(store_digest "$T/stale.db")" "refreshed store equals one uninterrupted run"
done_testing

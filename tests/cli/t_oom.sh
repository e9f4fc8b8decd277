# Out of memory (lib/xalloc.h): an allocation that fails ends llmcost with
# "llmcost: error: out of memory" and exit 1, whatever it was doing, and
# nothing stored is lost: the store passes integrity_check, and a re-run
# reaches the totals of a clean ingest.  LLMCOST_XALLOC_FAIL=N fails the
# Nth allocation.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

if [ -n "${LLMCOST_VALGRIND:-}" ]; then
	# valgrind counts what a process ending in mid-work still holds as leaked
	skip "out of memory" "under valgrind an out-of-memory exit reports its live memory as leaks"
	done_testing
fi

TOTALS="SELECT count(*) || ' ' || total(input) || ' ' || total(output) || ' ' || total(cache_read) FROM usage_records"
"$TOOLS/gen_claude_logs" "$T/logs" 400 5 >/dev/null || bad "generator failed"

# a reading command on an existing store
expect_rc 0 models
before=$(store_digest "$LLMCOST_DB")
LLMCOST_XALLOC_FAIL=1 expect_rc 1 models
expect_eq "llmcost: error: out of memory" "$(cat "$T/err")" "the only message"
expect_eq "$before" "$(store_digest "$LLMCOST_DB")" "store unchanged"

# a clean ingest, for the totals
expect_rc 0 --db "$T/clean.db" ingest usage "$T/logs"
clean=$(sql "$T/clean.db" "$TOTALS")

# ingests that run out of memory at several points, then one that completes
hit=0
for n in 2 8 25 50 100000; do
	LLMCOST_XALLOC_FAIL=$n run --db "$T/oom.db" ingest usage "$T/logs"
	case $rc in
	1)
		hit=$((hit + 1))
		expect_err "llmcost: error: out of memory"
		[ -e "$T/oom.db" ] && expect_eq ok "$(integrity "$T/oom.db")" "integrity after running out of memory at allocation $n"
		;;
	0) ok "allocation $n: the ingest needed fewer" ;;
	*) bad "allocation $n: exit $rc, want 1 (or 0 if it needed fewer)" ;;
	esac
done
[ "$hit" -ge 3 ] && ok "$hit ingests ran out of memory" || bad "only $hit of 5 ingests ran out of memory"
expect_rc 0 --db "$T/oom.db" ingest usage "$T/logs"
expect_eq "$clean" "$(sql "$T/oom.db" "$TOTALS")" "totals after the re-run equal a clean ingest"
expect_eq ok "$(rollup_check "$T/oom.db")" "rollups in step after the re-run"
done_testing

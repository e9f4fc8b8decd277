# The backend-neutral CLI tests against PostgreSQL: each file of the list
# below runs again as a subprocess with LLMCOST_TEST_STORE=pg (lib.sh starts
# a server for it, tests/cli/pg.sh, and points LLMCOST_DB at it, in schema
# t_x for t_x.sh, and checks at the end that the schema has tables); one
# check per file, which passes when the sub-run ends with 0 failed checks.  A failing file's `not ok` lines and diagnostics are printed
# as diagnostics here; its whole output is in the diagnostics too when it did
# not finish.  Overrides (t_pg_server uses them to check this runner):
#   LLMCOST_NEUTRAL_TESTS="t_a t_b"   the files (a name, or a path with a /)
#   LLMCOST_NEUTRAL_STORE=sqlite      the store of the sub-runs (default pg)
#   LLMCOST_NEUTRAL_JOBS=N            sub-runs at once (default 4: on 2 cores,
#                                     idle, the 33 files took 109 s at 4 and
#                                     129 s at 3; under load 146 s at 3, 203 s
#                                     at 2: much of a sub-run is waiting)
neutral_store=${LLMCOST_NEUTRAL_STORE:-pg}
# this file itself needs no server
unset LLMCOST_TEST_STORE
. "$TOP/tests/cli/lib.sh"

# the CLI tests that use the store through llmcost, store_sql and
# store_reset (lib.sh), with their SQLite-only checks (SQLite's own tables
# and views, the file, migrations of old SQLite files) behind
# store_is_sqlite; the others open the SQLite file themselves (sqlite3,
# rm -f "$LLMCOST_DB", rollup_check)
NEUTRAL_TESTS="t_usage t_prices t_estimate t_report t_usage_session t_usage_blocks
	t_statusline t_usage_tz t_plot t_report_html
	t_usage_totals t_usage_cost t_usage_user t_usage_agents t_usage_agents2
	t_usage_mistakes t_ingest_prices t_update t_plot_spend t_lifecycle
	t_usage_audio t_usage_local t_usage_names t_sheet_vendors
	t_sheet_memory t_sheet_settle t_sheet_dates t_usage_files
	t_estimate_mixed t_fetch t_names t_usage_crash t_usage_threads"
list=${LLMCOST_NEUTRAL_TESTS:-$NEUTRAL_TESTS}
jobs=${LLMCOST_NEUTRAL_JOBS:-4}

mkdir -p "$T/runs" "$T/cwd"
# the sub-runs: at most $jobs at once, from a scratch folder (a store that
# is not understood must not leave files in the checkout)
running=0
for t in $list; do
	case $t in */*) f=$t ;; *) f="$TOP/tests/cli/$t.sh" ;; esac
	n=$(basename "$t" .sh)
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	(
		cd "$T/cwd" && LLMCOST_TEST_STORE=$neutral_store sh "$f" >"$T/runs/$n.out" 2>&1
		echo $? >"$T/runs/$n.rc"
	) &
	running=$((running + 1))
done
wait

for t in $list; do
	n=$(basename "$t" .sh)
	out="$T/runs/$n.out"
	subrc=$(cat "$T/runs/$n.rc" 2>/dev/null)
	# the sub-run's last line: "# N passed, N failed" (or "# N passed (N skipped), N failed")
	last=$(tail -n 1 "$out" | sed 's/^# //')
	nfail=$(printf '%s\n' "$last" | sed -n 's/^[0-9][0-9]* passed.*, \([0-9][0-9]*\) failed$/\1/p')
	notok=$(grep -c '^not ok ' "$out")
	if [ "$nfail" = 0 ] && [ "$notok" -eq 0 ] && [ "$subrc" = 0 ]; then
		ok "$n on $neutral_store: $last"
	else
		bad "$n on $neutral_store: exit ${subrc:-?}, ${last:-no result line}"
		if [ -n "$nfail" ]; then
			# the failing checks and their diagnostics, not the passing ones
			diag "$(grep -v '^ok ' "$out" | head -n 80)"
		else
			diag "$(tail -n 40 "$out")"
		fi
	fi
done
done_testing

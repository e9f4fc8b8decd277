# tests/cli/lib.sh - sourced by every CLI test (tests/cli/t_*.sh).
#
# Each test file runs in a fresh temporary $HOME and database and prints TAP
# (the Test Anything Protocol): one `ok N - what` or `not ok N - what #
# t_x.sh:LINE` line per check, `#` lines for diagnostics, and the plan
# `1..N` with a `# N passed, N failed` line at the end.  The LINE is the
# line of the test script that made the failing check (with the lines that
# called it, when a helper function of the test made it).  The checks need
# bash (for BASH_LINENO): under another shell this file re-runs the test
# with bash.  Helpers:
#   run ARGS...              run llmcost; sets $rc, output in $T/out and $T/err
#   expect_rc N ARGS...      run and check the exit code
#   expect_out TEXT          stdout contains TEXT (fixed string)
#   expect_err TEXT          stderr contains TEXT
#   expect_no_out TEXT       stdout does not contain TEXT
#   expect_eq WANT GOT [MSG] two strings are equal
#   ok [WHAT] / bad WHAT     a check of the test's own passed / failed
#   skip WHAT REASON         WHAT cannot be checked here (a tool or root is
#                            missing): `ok N # SKIP`, but a failure when
#                            CI=true (.ci/run), where everything must run
#   diag TEXT                diagnostic lines (printed as TAP comments)
#   store_sql SQL            SQL on the test's store (SQLite or PostgreSQL): `a|b` rows
#   store_reset              the test's store empty again (SQLite or PostgreSQL)
#   store_is_sqlite          true when the test's store is the SQLite file (guards
#                            the checks that read SQLite-only tables or the file)
#   catalogue_sql SQL        SQL on the store's catalogue (price_periods, models,
#                            sources, budgets ...): the SQLite file, or with pg a
#                            cache of the team store made afresh, so it shows what
#                            the server holds; `a|b` rows
#   STORE_RECORDS            the store's records with their attributes spelled out
#                            (format, natural_key, ts_ms, model_raw, project, session,
#                            user_name, input ... reported_cost): SQLite's view
#                            usage_records, PostgreSQL's table usage_calls
#   store_rollup_check       "ok" when the store's records and rollups agree:
#                            rollup_check on SQLite, tests/cli/pg_rollup_check.sql
#                            on the team store's server tables
#   with_store NAME CMD...   CMD (expect_rc, run, store_sql ...) on another store of
#                            the test's kind: the SQLite file $T/NAME.db, or the
#                            schema ${LLMCOST_SCHEMA}_NAME on the same server; NAME
#                            empty: the test's store
#   json_get EXPR            evaluate a python3 expression on stdout parsed as JSON (j)
#   start_httpd DIR          serve DIR on 127.0.0.1 (tests/tools/httpd.py) until the
#                            test ends; sets SRV (its pid), PORT and U (its URL)
#   hold_write_lock DB       another process takes DB's write lock and holds it
#                            until $T/release exists (up to 30 s); sets holder
#                            (its pid) and returns once $T/locked shows it holds it
#   at_exit CMD              run CMD when the test exits, before $T is removed
#   start_pg, stop_pg, ...   a throwaway PostgreSQL server: tests/cli/pg.sh
#                            (source it after this file)
#   done_testing             print the plan and "N passed, N failed" (with "(N
#                            skipped)" when some were) and exit
# SEED is the seed of the test's random choices: $LLMCOST_TEST_SEED when
# set, else a fresh one; it is printed first (`# seed N`), and
# `LLMCOST_TEST_SEED=N make test TESTS=t_x` replays a failed run's choices.
# Tests end with `done_testing`.
# The store: LLMCOST_TEST_STORE unset or `sqlite`, a SQLite file $T/llmcost.db;
# `pg`, a PostgreSQL server started for this test file (tests/cli/pg.sh),
# LLMCOST_DB=$PGURL and LLMCOST_SCHEMA=t_x (for t_x.sh), and done_testing
# checks that the store really was in PostgreSQL (pg_store_check).
# tests/cli/t_pg_neutral.sh runs the backend-neutral test files so.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-test.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
# at_exit CMD: run CMD when the test exits (the newest first), then remove $T
_at_exit=""
at_exit() {
	_at_exit="$1; $_at_exit"
	trap "$_at_exit"' rm -rf "$T"' EXIT INT TERM
}
export HOME="$T/home"
mkdir -p "$HOME"
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME CLAUDE_CONFIG_DIR CODEX_HOME LLM_USER_PATH \
	GEMINI_DATA_DIR QWEN_DATA_DIR OPENCODE_DATA_DIR AMP_DATA_DIR
export LLMCOST_DB="$T/llmcost.db"
export LC_ALL=C
# reports use local time ($TZ, else the system zone): the tests mean UTC
# unless they set TZ themselves
export TZ=UTC
unset LLMCOST_ETC
export NO_COLOR=1
FIX="$TOP/tests/fixtures"
pass=0
fail=0
skipped=0
rc=0
ctx=""

SEED=${LLMCOST_TEST_SEED:-$(( ($(date +%s) * 1000 + $$) % 1000000 ))}
export LLMCOST_TEST_SEED=$SEED
printf '# seed %s (replay: LLMCOST_TEST_SEED=%s make test TESTS=%s)\n' \
	"$SEED" "$SEED" "$(basename "$0" .sh)"
RANDOM=$SEED

# the lines of the test script on the call stack, innermost first:
# "t_x.sh:12" or "t_x.sh:40 (called from line 77)"
_where() {
	_w=""
	_n=${#BASH_LINENO[@]}
	_k=0
	while [ "$_k" -lt "$((_n - 1))" ]; do
		if [ "${BASH_SOURCE[$((_k + 1))]}" = "$0" ]; then
			if [ -z "$_w" ]; then
				_w="$(basename "$0"):${BASH_LINENO[$_k]}"
			else
				_w="$_w (called from line ${BASH_LINENO[$_k]})"
			fi
		fi
		_k=$((_k + 1))
	done
	printf '%s' "${_w:-$(basename "$0")}"
}

diag() {
	printf '%s\n' "$*" | sed 's/^/#   /'
}

# a description on one line, at most 200 characters
_desc() {
	_d=${*//$'\n'/ }
	printf '%s' "${_d:0:200}"
}

ok() {
	pass=$((pass + 1))
	printf 'ok %d - %s\n' "$((pass + fail))" "$(_desc "${*:-check at $(_where)}")"
}
bad() {
	fail=$((fail + 1))
	printf 'not ok %d - %s # %s\n' "$((pass + fail))" "$(_desc "$*")" "$(_where)"
	if [ -s "$T/err" ]; then diag "stderr: $(head -c 600 "$T/err")"; fi
}

skip() { # WHAT REASON
	if [ "${CI:-}" = true ]; then
		bad "$1: $2 (CI=true: every test must run)"
	else
		pass=$((pass + 1))
		skipped=$((skipped + 1))
		printf 'ok %d - %s # SKIP %s\n' "$((pass + fail))" "$1" "$2"
	fi
}

run() {
	ctx="llmcost $*"
	"$LLMCOST" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

expect_rc() {
	want=$1
	shift
	run "$@"
	if [ "$rc" -eq "$want" ]; then ok "$ctx: exit $want"; else bad "$ctx: exit $rc, want $want"; fi
}

expect_out() {
	if grep -qF -- "$1" "$T/out"; then ok "$ctx: stdout has '$1'"; else
		bad "$ctx: stdout lacks '$1'"
		diag "stdout: $(head -c 800 "$T/out")"
	fi
}

expect_no_out() {
	if grep -qF -- "$1" "$T/out"; then bad "$ctx: stdout has '$1'"; else ok "$ctx: stdout lacks '$1'"; fi
}

expect_err() {
	if grep -qF -- "$1" "$T/err"; then ok "$ctx: stderr has '$1'"; else bad "$ctx: stderr lacks '$1'"; fi
}

expect_eq() {
	if [ "$1" = "$2" ]; then ok "${3:-$ctx}: '${1:0:60}'"; else bad "${3:-$ctx}: got '$2', want '$1'"; fi
}

json_get() {
	python3 -c 'import json,sys
from decimal import Decimal
j = json.load(open(sys.argv[1]), parse_float=Decimal)
v = eval(sys.argv[2])
print(v)' "$T/out" "$1"
}

# store_sql SQL: run SQL on the test's store, the SQLite file $LLMCOST_DB or,
# with LLMCOST_TEST_STORE=pg, the schema $LLMCOST_SCHEMA on $LLMCOST_DB;
# rows as `a|b` lines either way (NULL as nothing)
store_sql() {
	if [ "${LLMCOST_TEST_STORE:-sqlite}" = pg ]; then
		PGOPTIONS="-c search_path=$LLMCOST_SCHEMA" "$PSQL" -X -q -At -v ON_ERROR_STOP=1 \
			-d "$LLMCOST_DB" -c "$1"
	else
		sqlite3 "$LLMCOST_DB" "$1"
	fi
}

# store_reset: an empty store again: the SQLite file goes or, with
# LLMCOST_TEST_STORE=pg, the schema $LLMCOST_SCHEMA and this machine's cache
# of the store ($HOME/.cache/llmcost)
store_reset() {
	if [ "${LLMCOST_TEST_STORE:-sqlite}" = pg ]; then
		pg_sql "SET client_min_messages = warning" \
			"DROP SCHEMA IF EXISTS \"$LLMCOST_SCHEMA\" CASCADE" >/dev/null
		rm -rf "$HOME/.cache/llmcost"
	else
		rm -f "$LLMCOST_DB"*
	fi
}

# store_is_sqlite: the test's store is the SQLite file $LLMCOST_DB (not
# LLMCOST_TEST_STORE=pg): guards the checks that only SQLite can make
store_is_sqlite() {
	[ "${LLMCOST_TEST_STORE:-sqlite}" = sqlite ]
}

# catalogue_sql SQL: SQL on the catalogue tables of the test's store.  The
# team store keeps its catalogue as snapshots in the server and every
# machine a copy in its cache: a cache made afresh in a home of its own
# (the cheapest command that opens the store: `sources`) reads the server's
catalogue_sql() {
	if store_is_sqlite; then
		sqlite3 "$LLMCOST_DB" "$1"
		return
	fi
	rm -rf "$T/catalogue-home"
	mkdir -p "$T/catalogue-home"
	HOME="$T/catalogue-home" "$LLMCOST" sources >/dev/null 2>"$T/catalogue-err" || {
		echo "catalogue_sql: llmcost sources failed: $(cat "$T/catalogue-err")" >&2
		return 1
	}
	sqlite3 "$T"/catalogue-home/.cache/llmcost/pg-*.db "$1"
}

# with_store NAME CMD ARGS...: CMD with a second store of the same kind as
# the test's, NAME (a SQLite file in $T, or a schema on the same server);
# an empty NAME is the test's store itself
with_store() {
	_ws=$1
	shift
	if [ -z "$_ws" ]; then
		"$@"
	elif store_is_sqlite; then
		LLMCOST_DB="$T/$_ws.db" "$@"
	else
		LLMCOST_SCHEMA="${LLMCOST_SCHEMA}_$_ws" "$@"
	fi
}

# rollup_check DB: "ok" when usage_records, usage_rollup and usage_totals
# agree (tests/cli/rollup_check.sql), else the disagreements
rollup_check() {
	python3 - "$1" "$TOP/tests/cli/rollup_check.sql" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
bad = c.execute(open(sys.argv[2]).read()).fetchall()
print("\n".join(repr(r) for r in bad[:10]) if bad else "ok")
PY
}

# store_rollup_check: "ok" when the test's store's records and rollups
# agree, else the disagreements: rollup_check on the SQLite file, the
# same rules over the server's tables (tests/cli/pg_rollup_check.sql) on
# the team store
store_rollup_check() {
	if store_is_sqlite; then
		rollup_check "$LLMCOST_DB"
		return
	fi
	_bad=$(store_sql "$(cat "$TOP/tests/cli/pg_rollup_check.sql")") || return
	echo "${_bad:-ok}"
}

start_httpd() {
	python3 "$TOP/tests/tools/httpd.py" "$1" "$T/port" &
	SRV=$!
	at_exit 'kill $SRV 2>/dev/null'
	_i=0
	while [ ! -s "$T/port" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	PORT=$(cat "$T/port")
	U="http://127.0.0.1:$PORT"
}

hold_write_lock() {
	python3 - "$1" "$T/locked" "$T/release" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
c.execute("UPDATE sources SET priority = priority WHERE name = 'builtin'")
open(sys.argv[2], "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.05)
c.execute("ROLLBACK")
PY
	holder=$!
	_i=0
	while [ ! -e "$T/locked" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
}

done_testing() {
	if [ "${LLMCOST_TEST_STORE:-sqlite}" = pg ] && [ -n "${PG_PID:-}" ]; then pg_store_check; fi
	echo "1..$((pass + fail))"
	if [ "$skipped" -gt 0 ]; then
		echo "# $pass passed ($skipped skipped), $fail failed"
	else
		echo "# $pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
	exit $?
}

# the store the test runs against (see the top of this file)
case ${LLMCOST_TEST_STORE:-sqlite} in
sqlite)
	STORE_RECORDS=usage_records
	;;
pg)
	STORE_RECORDS=usage_calls
	. "$TOP/tests/cli/pg.sh"
	start_pg
	export LLMCOST_DB="$PGURL" LLMCOST_SCHEMA="$(basename "$0" .sh)"
	# from a scratch folder: a build that takes the URL for a file name
	# must not leave it in the checkout
	cd "$T" || exit 1
	echo "# store: PostgreSQL ($PG_DIR, schema $LLMCOST_SCHEMA)"
	;;
*)
	echo "LLMCOST_TEST_STORE=$LLMCOST_TEST_STORE: want sqlite or pg" >&2
	exit 2
	;;
esac

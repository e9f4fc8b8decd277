#!/bin/bash
# b_team.sh - the team store (PostgreSQL) against the SQLite store, on a
# throwaway server this script starts (tests/cli/pg.sh: a Unix socket in a
# temporary folder, as `nobody` when run as root; unlike the tests' servers
# with fsync and full page writes on, 256 MB of shared buffers and 16 MB WAL
# segments).
#
#   RECORDS=1000000 (default)  Claude Code records for the ingest comparison
#   CLIENTS=200 PER_CLIENT=5000 PARALLEL=16   the team simulation
#   WARM=0                     no warm-up ingest before the measured ones
#   BENCH_DIR=/tmp
#
# Measures (wall time, from /usr/bin/time):
#   1. the first ingest of RECORDS records into SQLite and into the team
#      store (target: the team store within 3x of SQLite);
#   2. `usage daily` on each store: on the machine that ingested, and on a
#      fresh machine (an empty cache) for the team store (target: under 1 s
#      on the machine that ingested);
#   3. the simulation: CLIENTS developers, each a client process with its own
#      home, machine name and user, ingesting PER_CLIENT records of its own
#      logs, PARALLEL at a time (bounded in count and in time), while a
#      report runs every second; prints the throughput (records per second
#      over the whole run) and the 50th and 95th percentile of the
#      clients' ingest times, and checks that the store holds every record.
# Exits 1 when a target is missed or the totals are wrong.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi # run.sh runs sh
set -u
: "${LLMCOST:?}" "${TOOLS:?}" "${TOP:?}"
RECORDS=${RECORDS:-1000000}
CLIENTS=${CLIENTS:-200}
PER_CLIENT=${PER_CLIENT:-5000}
PARALLEL=${PARALLEL:-16}
BASE=${BENCH_DIR:-${TMPDIR:-/tmp}}
T=$(mktemp -d "$BASE/llmcost-team.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT INT TERM
# what tests/cli/pg.sh needs of tests/cli/lib.sh
skip() { echo "b_team: $1: $2"; exit 1; }
at_exit() { trap "$1; rm -rf \"\$T\"" EXIT INT TERM; }
bad() { echo "b_team: $*"; failed=1; }
failed=0
. "$TOP/tests/cli/pg.sh"
# a server as one would run it (pg.sh's test servers save memory and disk
# and skip fsync): a cluster of its own with PostgreSQL's 16 MB WAL segments
# (the tests' 1 MB ones made it create and fsync a file every megabyte)
export LLMCOST_TEST_PG_CACHE=0 PG_WALSEG=16
PG_CONF="fsync = on
full_page_writes = on
shared_buffers = 256MB
max_wal_size = 4GB
max_connections = 300"
start_pg
export HOME="$T/home" TZ=UTC
mkdir -p "$HOME"
unset LLMCOST_DB LLMCOST_SCHEMA
export LLMCOST_USER=bench@host

measure() { # NAME CMD...: prints the time, sets $secs
	_n=$1
	shift
	# what the last step wrote reaches the disk first: the gigabytes of
	# logs just generated, flushed in the background, stalled the fsyncs
	# of whichever store came next
	sync
	/usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$T/$_n.out" 2>"$T/$_n.err"
	_st=$?
	secs=$(awk '{print $1}' "$T/time" | tail -n 1)
	_mb=$(awk '{printf "%.1f", $2 / 1024}' "$T/time" | tail -n 1)
	echo "$_n: $secs s, peak RSS $_mb MB (exit $_st)"
	[ "$_st" = 0 ] || { bad "$_n failed: $(tail -n 2 "$T/$_n.err")"; }
}

echo "generating $RECORDS records of Claude Code logs ..."
"$TOOLS/gen_claude_logs" "$T/logs" "$RECORDS" 1 >/dev/null || exit 1
# a server in service: a first ingest into a brand-new cluster also creates
# and zero-fills its WAL files (~3 s of a million records' ingest here);
# one into a scratch schema, dropped and checkpointed, leaves them to be
# reused, as a server that has been running has them (WARM=0: no warm-up)
if [ "${WARM:-1}" != 0 ]; then
	HOME="$T/warm" LLMCOST_SCHEMA=warmup "$LLMCOST" --db "$PGURL" ingest usage "$T/logs" \
		>/dev/null 2>&1 || bad "the warm-up ingest failed"
	pg_sql "SET client_min_messages = warning" "DROP SCHEMA warmup CASCADE" "CHECKPOINT" >/dev/null
	rm -rf "$T/warm"
fi
measure sqlite_ingest "$LLMCOST" --db "$T/lite.db" ingest usage "$T/logs"
lite=$secs
measure team_ingest "$LLMCOST" --db "$PGURL" ingest usage "$T/logs"
team=$secs
ratio=$(awk -v a="$team" -v b="$lite" 'BEGIN {printf "%.2f", a / b}')
echo "team store / SQLite ingest: ${ratio}x (target: within 3x)"
awk -v r="$ratio" 'BEGIN {exit !(r <= 3)}' || bad "MISSED: the team store's ingest is ${ratio}x SQLite's"
measure sqlite_report "$LLMCOST" --db "$T/lite.db" usage daily --json
measure team_report "$LLMCOST" --db "$PGURL" usage daily --json
awk -v s="$secs" 'BEGIN {exit !(s < 1)}' || bad "MISSED: team store report took $secs s"
cmp -s "$T/sqlite_report.out" "$T/team_report.out" || bad "the reports differ"
measure team_report_again "$LLMCOST" --db "$PGURL" usage daily --json
HOME="$T/fresh" measure team_report_fresh_cache "$LLMCOST" --db "$PGURL" usage daily --json
rm -rf "$T/logs"

echo "simulating $CLIENTS developers x $PER_CLIENT records, $PARALLEL at a time ..."
export LLMCOST_SCHEMA=sim
sim_client() { # N: generate its logs, then time its ingest (ms) into $T/sim/N.ms
	_d="$T/sim/c$1"
	mkdir -p "$_d/home"
	"$TOOLS/gen_claude_logs" "$_d/logs" "$PER_CLIENT" "$((1000 + $1))" >/dev/null || return 1
	_t0=$(date +%s%N)
	HOME="$_d/home" LLMCOST_MACHINE="dev$1" LLMCOST_USER="dev$1@team" \
		"$LLMCOST" --db "$PGURL" ingest usage "$_d/logs" >"$_d/out" 2>&1
	_rc=$?
	_t1=$(date +%s%N)
	echo "$(((_t1 - _t0) / 1000000)) $_rc" >"$T/sim/$1.ms"
	rm -rf "$_d/logs"
}
mkdir -p "$T/sim"
"$LLMCOST" --db "$PGURL" usage daily >/dev/null 2>&1 # the schema exists before the clients
( while [ ! -e "$T/sim/done" ]; do
	HOME="$T/reporter" "$LLMCOST" --db "$PGURL" usage daily >/dev/null 2>&1
	sleep 1
done ) &
reporter=$!
start=$(date +%s%N)
deadline=$(( $(date +%s) + ${SIM_LIMIT:-1800} ))
i=0
while [ $i -lt "$CLIENTS" ] && [ "$(date +%s)" -lt "$deadline" ]; do
	while [ "$(jobs -rp | wc -l)" -gt "$PARALLEL" ]; do sleep 0.05; done
	i=$((i + 1))
	sim_client "$i" &
done
wait $(jobs -rp | grep -v "^$reporter\$") 2>/dev/null
touch "$T/sim/done"
wait "$reporter" 2>/dev/null
end=$(date +%s%N)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
ran=$(ls "$T/sim"/*.ms 2>/dev/null | wc -l)
fails=$(cat "$T/sim"/*.ms | awk '$2 != 0' | wc -l)
p50=$(cat "$T/sim"/*.ms | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.50+0.5)]}')
p95=$(cat "$T/sim"/*.ms | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95+0.5); if (i<1) i=1; print a[i]}')
stored=$(pg_sql "SELECT count(*) FROM sim.usage_calls")
want=$("$LLMCOST" --db "$PGURL" usage monthly --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["records"])')
echo "simulation: $ran clients in $wall s, $fails failed; $stored records stored"
echo "throughput: $(awk -v n="$stored" -v w="$wall" 'BEGIN {printf "%.0f", n / w}') records/s; client ingest p50 ${p50} ms, p95 ${p95} ms"
[ "$fails" = 0 ] || bad "$fails clients failed"
[ "$stored" = "$want" ] || bad "the report counts $want records, the server holds $stored"
[ "$stored" = "$((ran * PER_CLIENT))" ] || bad "$ran clients of $PER_CLIENT records stored $stored"
[ "$failed" = 0 ]

# The PostgreSQL test harness itself (tests/cli/pg.sh, lib.sh's
# LLMCOST_TEST_STORE=pg and the runner t_pg_neutral.sh): the server starts,
# answers on $PGURL, runs as a user other than root, listens on no TCP
# port, makes the password role give its password, keeps its data over
# restart_pg, and leaves no process behind; libpq builds and links with the
# Makefile's flags.
# this file starts its own server
unset LLMCOST_TEST_STORE
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/pg.sh"

t0=$(date +%s%N)
PG_CONF="work_mem = 7MB
max_connections = 123"
start_pg
diag "start_pg: $((($(date +%s%N) - t0) / 1000000)) ms (a copy of the template cluster, or initdb first)"

# ---- it answers on $PGURL, as the test superuser, without a password ----
got=$("$PSQL" -X -At -d "$PGURL" -c 'select 1' 2>&1)
expect_eq 1 "$got" "psql \$PGURL -c 'select 1'"
expect_eq "llmcost|llmcost|t" "$(pg_sql 'select current_user, current_database(),
	(select rolsuper from pg_roles where rolname = current_user)' 2>&1)" \
	"PGURL: superuser llmcost on database llmcost"
case $PGURL in "postgresql:///llmcost?host=$PG_DIR&port=$PGPORT&user=llmcost") ok "PGURL names the socket folder" ;;
*) bad "PGURL is '$PGURL'" ;; esac
expect_eq "$PG_DIR" "$PGHOST" "PGHOST is the socket folder"
expect_eq "7MB|123" "$(pg_sql "select current_setting('work_mem') || '|' || current_setting('max_connections')" 2>&1)" \
	"the lines of PG_CONF are in the server's settings"
expect_eq "off|16MB" "$(pg_sql "select current_setting('fsync') || '|' || current_setting('shared_buffers')" 2>&1)" \
	"fsync off, shared_buffers 16MB"
expect_eq "1" "$(env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$PSQL" -X -At -d "$PGURL" -c 'select 1' 2>&1)" \
	"PGURL alone reaches the server"

# ---- the server runs as an unprivileged user ----
uid=$(ps -o uid= -p "$PG_PID" | tr -d ' ')
kids=$(ps -o uid= --ppid "$PG_PID" | sort -u | tr -d ' ' | tr '\n' ' ')
if [ -n "$uid" ] && [ "$uid" -ne 0 ]; then ok "the postmaster runs as uid $uid"; else bad "the postmaster runs as uid '${uid}'"; fi
case " $kids" in *" 0 "*) bad "a server process runs as root ($kids)" ;;
"  "|" ") bad "the postmaster has no children" ;; *) ok "its processes run as uid $kids" ;; esac
if [ "$(id -u)" -eq 0 ]; then
	expect_eq "$(id -u nobody)" "$uid" "as root, the server runs as nobody"
else
	expect_eq "$(id -u)" "$uid" "not root: the server runs as the current user"
fi

# ---- it listens on no TCP port: the setting, and the postmaster's sockets ----
expect_eq "" "$(pg_sql 'show listen_addresses' 2>&1)" "listen_addresses is empty"
inodes=$(ls -l "/proc/$PG_PID/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p' | sort -u)
tcp=""
unix=""
for i in $inodes; do
	awk -v i="$i" '$4 == "0A" && $10 == i' /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q . && tcp="$tcp $i"
	awk -v i="$i" '$7 == i' /proc/net/unix | grep -qF "$PG_DIR/.s.PGSQL.$PGPORT" && unix="$unix $i"
done
expect_eq "" "$tcp" "listening TCP sockets of the postmaster (/proc/net/tcp*)"
[ -n "$unix" ] && ok "the postmaster listens on $PG_DIR/.s.PGSQL.$PGPORT" ||
	bad "no Unix socket of the postmaster found (inodes: $inodes)"
if command -v ss >/dev/null 2>&1; then
	expect_eq "" "$(ss -ltnpH 2>/dev/null | grep "pid=$PG_PID,")" "ss -ltnp: TCP sockets of the postmaster"
fi

# ---- the password role: wrong, missing and right password ----
pw() { # PASSWORD (empty: none) -> $pwout, $pwrc
	pwout=$(env ${1:+PGPASSWORD="$1"} "$PSQL" -X -w -At -d "$PGURL_PW" -c 'select current_user' 2>&1)
	pwrc=$?
}
pw wrong-pw-456
[ "$pwrc" -ne 0 ] && ok "$PG_PWUSER, wrong password: refused (psql exit $pwrc)" ||
	bad "$PG_PWUSER, wrong password: accepted ($pwout)"
case $pwout in *"password authentication failed for user \"$PG_PWUSER\""*) ok "wrong password: the server says why" ;;
*) bad "wrong password: '$pwout'" ;; esac
pw ""
[ "$pwrc" -ne 0 ] && ok "$PG_PWUSER, no password: refused" || bad "$PG_PWUSER, no password: accepted ($pwout)"
pw "$PG_PWPASS"
expect_eq "$PG_PWUSER" "$pwout" "$PG_PWUSER with its password"
pwout=$("$PSQL" -X -q -w -At -d "$PGURL_PW&password=$PG_PWPASS" -c 'create schema pwtest' -c 'select 1' 2>&1)
expect_eq "1" "$pwout" "$PG_PWUSER, password in the URL, may create a schema in the database"
expect_eq "SCRAM-SHA-256" \
	"$(pg_sql "select substr(rolpassword, 1, 13) from pg_authid where rolname = '$PG_PWUSER'" 2>&1)" \
	"the password is stored as SCRAM"

# ---- restart_pg keeps the data ----
pg_sql "create table kept (n int)" "insert into kept values (42)" >/dev/null 2>&1
old=$PG_PID
t0=$(date +%s%N)
restart_pg
diag "restart_pg (immediate stop, start): $((($(date +%s%N) - t0) / 1000000)) ms"
[ -n "$PG_PID" ] && [ "$PG_PID" != "$old" ] && pg_gone "$old" &&
	ok "restart_pg: a new postmaster ($old -> $PG_PID)" || bad "restart_pg: postmaster $old -> '$PG_PID'"
expect_eq 42 "$(pg_sql 'select n from kept' 2>&1)" "restart_pg (immediate) keeps a committed row"
restart_pg fast
expect_eq 42 "$(pg_sql 'select n from kept' 2>&1)" "restart_pg fast keeps it too"

# ---- libpq: the Makefile's flags build and link a client that connects ----
if command -v pkg-config >/dev/null && pkg-config --exists libpq; then
	cat >"$T/pq.c" <<'EOF'
#include <stdio.h>
#include <libpq-fe.h>
int main(int argc, char **argv)
{
	PGconn *c = PQconnectdb(argv[1]);
	int ok = PQstatus(c) == CONNECTION_OK;
	printf("%d %s\n", PQlibVersion() >= 100000, ok ? PQparameterStatus(c, "server_encoding") : PQerrorMessage(c));
	PQfinish(c);
	return ok ? 0 : 1;
}
EOF
	if ${CC:-cc} $(pkg-config --cflags libpq) -o "$T/pq" "$T/pq.c" $(pkg-config --libs libpq) 2>"$T/err"; then
		expect_eq "1 UTF8" "$("$T/pq" "$PGURL" 2>&1)" "a libpq client (pkg-config libpq) connects to \$PGURL"
	else
		bad "a libpq client does not build with pkg-config libpq"
	fi
	grep -q '^PKGS = .*libpq' "$TOP/Makefile" && ok "the Makefile links libpq" || bad "the Makefile's PKGS lack libpq"
else
	skip "building a libpq client" "libpq-dev is not installed (it is in .ci/packages-run)"
fi

# ---- stop_pg leaves no process and no socket ----
procs="$PG_PID $(ps -o pid= --ppid "$PG_PID" | tr '\n' ' ')"
t0=$(date +%s%N)
stop_pg
diag "stop_pg (immediate): $((($(date +%s%N) - t0) / 1000000)) ms"
left=""
for p in $procs; do pg_gone "$p" || left="$left $p"; done
expect_eq "" "$left" "after stop_pg, server processes left (of $procs)"
[ ! -e "$PG_DIR/data/postmaster.pid" ] && [ ! -e "$PG_DIR/.s.PGSQL.$PGPORT" ] &&
	ok "after stop_pg: no postmaster.pid, no socket" || bad "after stop_pg: postmaster.pid or the socket is left"
"$PSQL" -X -w -At -d "$PGURL" -c 'select 1' >"$T/out" 2>&1 && bad "psql still connects after stop_pg" ||
	ok "psql cannot connect after stop_pg"

# ---- lib.sh with LLMCOST_TEST_STORE=pg, and the runner t_pg_neutral.sh ----
# test files of our own: one that stores into the schema it is given, one
# that fails a check, one that dies before its plan
mkdir -p "$T/fake"
cat >"$T/fake/t_fake_ok.sh" <<'EOF'
. "$TOP/tests/cli/lib.sh"
echo "# env: $LLMCOST_DB|${LLMCOST_SCHEMA:-}|$T|${PG_PID:-}"
[ -n "${PG_DIR:-}" ] && { [ -e "$PG_DIR/initdb.log" ] && echo "# initdb: here" || echo "# initdb: copied"; }
if [ "${LLMCOST_TEST_STORE:-sqlite}" = pg ] && [ "${FAKE_STORE:-1}" = 1 ]; then
	pg_sql "create schema $LLMCOST_SCHEMA" "create table $LLMCOST_SCHEMA.x (n int)"
	start_httpd "$T"
	echo "# httpd: $SRV"
fi
ok "a check of the fake test"
store_sql "create table t (a int, b text)" && store_sql "insert into t values (1, 'x'), (2, null)" &&
	echo "# store_sql: $(store_sql 'select a, b from t order by a' | tr '\n' ' ')"
if [ "${FAKE_RESET:-0}" = 1 ]; then
	mkdir -p "$HOME/.cache/llmcost" && touch "$HOME/.cache/llmcost/pg-x.db"
	store_reset
	echo "# after store_reset: $(store_sql 'select count(*) from t' 2>&1 | tr '\n' ' ')"
	[ "${LLMCOST_TEST_STORE:-sqlite}" = pg ] && [ ! -e "$HOME/.cache/llmcost/pg-x.db" ] && echo "# cache gone"
fi
done_testing
EOF
printf '. "$TOP/tests/cli/lib.sh"\nok "a passing one"\nbad "deliberate failure"\ndiag "why: deliberate"\ndone_testing\n' \
	>"$T/fake/t_fake_bad.sh"
printf '. "$TOP/tests/cli/lib.sh"\nok one\nexit 3\n' >"$T/fake/t_fake_die.sh"
fake() { # FILE, with the environment given before it -> $T/fake.out, $frc
	(cd "$T" && sh "$T/fake/$1.sh") >"$T/fake.out" 2>&1
	frc=$?
}
has() { grep -qF -- "$1" "$T/fake.out" && ok "$2" || { bad "$2: lacks '$1'"; diag "$(head -c 1500 "$T/fake.out")"; }; }
hasnt() { grep -qF -- "$1" "$T/fake.out" && bad "$2: has '$1'" || ok "$2"; }

LLMCOST_TEST_STORE=pg fake t_fake_ok
expect_eq 0 "$frc" "a test file with LLMCOST_TEST_STORE=pg: exit status"
IFS='|' read -r fdb fschema ft fpid <<<"$(sed -n 's/^# env: //p' "$T/fake.out")"
case $fdb in "postgresql:///llmcost?host=$ft/pg&port="*"&user=llmcost") ok "LLMCOST_DB is the server's PGURL" ;;
*) bad "LLMCOST_DB is '$fdb'" ;; esac
expect_eq t_fake_ok "$fschema" "LLMCOST_SCHEMA is the test file's name"
has "the store is in PostgreSQL: schema t_fake_ok has 2 tables" "done_testing checks the store was in PostgreSQL"
has "# store_sql: 1|x 2| " "store_sql on PostgreSQL, in the test's schema"
fsrv=$(sed -n 's/^# httpd: //p' "$T/fake.out")
[ -n "$fpid" ] && pg_gone "$fpid" && ok "its server has stopped when it exits" || bad "its server ($fpid) runs on"
[ -n "$fsrv" ] && pg_gone "$fsrv" && ok "start_httpd after start_pg: both stop" || bad "its HTTP server ($fsrv) runs on"
[ -n "$ft" ] && [ ! -e "$ft" ] && ok "its folder is removed" || bad "its folder $ft is left"

has "# initdb: copied" "a second server is a copy of the template cluster"
tpls=$(ls -d "${TMPDIR:-/tmp}"/llmcost-pg-template.*/ready 2>/dev/null | wc -l)
[ "$tpls" -ge 1 ] && ok "the template cluster is kept in \$TMPDIR" || bad "no template cluster in ${TMPDIR:-/tmp}"
LLMCOST_TEST_PG_CACHE=0 LLMCOST_TEST_STORE=pg fake t_fake_ok
expect_eq 0 "$frc" "LLMCOST_TEST_PG_CACHE=0: a server of its own initdb: exit status"
has "# initdb: here" "LLMCOST_TEST_PG_CACHE=0: initdb ran"
has "the store is in PostgreSQL: schema t_fake_ok has 2 tables" "LLMCOST_TEST_PG_CACHE=0: the server works"

LLMCOST_TEST_STORE=pg FAKE_RESET=1 fake t_fake_ok
has 'relation "t" does not exist' "store_reset on PostgreSQL: the schema's tables are gone"
has "# cache gone" "store_reset on PostgreSQL: the machine's cache is gone"
has "the store is not in PostgreSQL: schema t_fake_ok has no tables" "store_reset on PostgreSQL: the schema is gone"
FAKE_RESET=1 fake t_fake_ok
has "no such table: t" "store_reset on SQLite: the store is empty"
expect_eq 0 "$frc" "store_reset on SQLite: exit status"

LLMCOST_TEST_STORE=pg FAKE_STORE=0 fake t_fake_ok
expect_eq 1 "$frc" "with LLMCOST_TEST_STORE=pg, a test whose store is not in PostgreSQL fails"
has "not ok 2 - the store is not in PostgreSQL: schema t_fake_ok has no tables" "... and says so"

fake t_fake_ok
IFS='|' read -r fdb fschema ft fpid <<<"$(sed -n 's/^# env: //p' "$T/fake.out")"
expect_eq "$ft/llmcost.db|" "$fdb|$fschema" "without LLMCOST_TEST_STORE: a SQLite file, no schema"
has "# store_sql: 1|x 2| " "store_sql on SQLite"
LLMCOST_TEST_STORE=oracle fake t_fake_ok
expect_eq 2 "$frc" "LLMCOST_TEST_STORE=oracle: exit status"
has "want sqlite or pg" "LLMCOST_TEST_STORE=oracle: the error"

# no server programs: skip, but fail under CI=true
nopath=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do [ -x "$d/initdb" ] || nopath="$nopath${nopath:+:}$d"; done
PATH=$nopath LLMCOST_TEST_PG_ROOT="$T/none" LLMCOST_TEST_STORE=pg CI="" fake t_fake_ok
expect_eq 0 "$frc" "no PostgreSQL programs: exit status"
has "ok 1 - a PostgreSQL server for this test # SKIP" "no PostgreSQL programs: the test skips"
PATH=$nopath LLMCOST_TEST_PG_ROOT="$T/none" LLMCOST_TEST_STORE=pg CI=true fake t_fake_ok
expect_eq 1 "$frc" "no PostgreSQL programs, CI=true: exit status"
has "not ok 1 - a PostgreSQL server for this test: " "no PostgreSQL programs, CI=true: a failure"

# the programs off $PATH: the newest /usr/lib/postgresql/*/bin (version order)
for v in 9.6 10 15 16-broken; do
	mkdir -p "$T/pgroot/$v/bin"
	for p in initdb pg_ctl postgres; do [ "$v" = 16-broken ] && [ $p = postgres ] ||
		printf '#!/bin/sh\n' >"$T/pgroot/$v/bin/$p"; done
	chmod +x "$T/pgroot/$v/bin/"*
done
expect_eq "$T/pgroot/15/bin" "$(PATH=$nopath LLMCOST_TEST_PG_ROOT="$T/pgroot" _pg_find_bin)" \
	"off PATH: the newest complete version folder"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	PATH=$nopath LLMCOST_TEST_STORE=pg FAKE_STORE=1 fake t_fake_ok
	expect_eq 0 "$frc" "initdb not on PATH: the server from /usr/lib/postgresql (as on Debian)"
fi

# the runner: one check per file, the failing lines as diagnostics
(cd "$T" && LLMCOST_NEUTRAL_TESTS="$T/fake/t_fake_ok.sh" sh "$TOP/tests/cli/t_pg_neutral.sh") >"$T/fake.out" 2>&1
frc=$?
expect_eq 0 "$frc" "t_pg_neutral on a passing file: exit status"
has "ok 1 - t_fake_ok on pg: 2 passed, 0 failed" "t_pg_neutral runs it against PostgreSQL"
(cd "$T" && LLMCOST_NEUTRAL_STORE=sqlite LLMCOST_NEUTRAL_JOBS=3 \
	LLMCOST_NEUTRAL_TESTS="t_usage_session $T/fake/t_fake_bad.sh $T/fake/t_fake_die.sh" \
	sh "$TOP/tests/cli/t_pg_neutral.sh") >"$T/fake.out" 2>&1
frc=$?
expect_eq 1 "$frc" "t_pg_neutral with failing files: exit status"
has "ok 1 - t_usage_session on sqlite: " "t_pg_neutral runs a real test file"
has "not ok 2 - t_fake_bad on sqlite: exit 1, 1 passed, 1 failed" "t_pg_neutral: a file with a failure fails"
has "#   not ok 2 - deliberate failure" "... its failing check is shown"
has "#   #   why: deliberate" "... with its diagnostics"
hasnt "#   ok 1 - a passing one" "... not its passing checks"
has "not ok 3 - t_fake_die on sqlite: exit 3, ok 1 - one" "t_pg_neutral: a file that dies fails"
has "# 1 passed, 2 failed" "t_pg_neutral: the total"

done_testing

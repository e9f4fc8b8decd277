# tests/cli/pg.sh - a throwaway PostgreSQL server for a CLI test.  Sourced
# after lib.sh (lib.sh sources it itself when LLMCOST_TEST_STORE=pg).
#
#   start_pg            initdb (or a copy of a cluster made once, see
#                       _pg_template) + pg_ctl start in $T/pg, as an unprivileged
#                       user (`nobody` when the test runs as root, as CI
#                       does; else the current user), listening only on a
#                       Unix socket in $T/pg (listen_addresses = ''), fsync
#                       off, small shared_buffers.  Creates the superuser
#                       role $PGUSER (trust) and the database $PGDATABASE,
#                       and the role $PG_PWUSER, which must give its password
#                       $PG_PWPASS (scram-sha-256).  Sets and exports PGHOST
#                       (the socket folder), PGPORT, PGUSER, PGDATABASE,
#                       PGURL (postgresql:///DB?host=...&port=...&user=...)
#                       and PGURL_PW (the same for $PG_PWUSER, no password).
#                       Lines of $PG_CONF, when set, are added to its
#                       postgresql.conf (max_connections = 300, ...).
#                       WAL segments are 1 MB (a small cluster), or
#                       $PG_WALSEG MB (with LLMCOST_TEST_PG_CACHE=0: the
#                       cached cluster has 1 MB ones).
#                       The server is stopped when the test exits.  Without
#                       PostgreSQL's server programs it calls `skip` (a
#                       failure under CI=true) and ends the test.
#   stop_pg [MODE]      pg_ctl stop -m MODE (immediate, the default, or
#                       fast, smart); waits until the server is gone
#   pg_gone PID         the process has ended (not there, or a zombie)
#   restart_pg [MODE]   stop_pg MODE, then start the same data folder on the
#                       same socket and port (the data is kept)
#   pg_sql SQL...       run SQL through psql as $PGUSER on $PGURL: rows as
#                       `a|b` lines, stops on the first error (psql's status)
#   PG_BIN              the folder of initdb, pg_ctl, postgres (and psql)
#   PG_DIR              the server's folder ($T/pg): socket, data/, log
#   PG_PID              the postmaster's pid while it runs
#
#   pg_store_check      a check: the test's llmcost store really is in this
#                       server (schema $LLMCOST_SCHEMA has tables); lib.sh's
#                       done_testing makes it when LLMCOST_TEST_STORE=pg
#
# The server programs are found on $PATH, else in the newest
# /usr/lib/postgresql/*/bin (Debian installs them there, not on $PATH;
# LLMCOST_TEST_PG_ROOT replaces /usr/lib/postgresql, for t_pg_server).

PG_PWUSER=pwuser
PG_PWPASS=secret-pw-123

# the folder of initdb and pg_ctl, or nothing
_pg_find_bin() {
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(readlink -f "$(command -v pg_ctl)")"
		return
	fi
	printf '%s\n' "${LLMCOST_TEST_PG_ROOT:-/usr/lib/postgresql}"/*/bin | sort -V | while read -r _d; do
		[ -x "$_d/initdb" ] && [ -x "$_d/pg_ctl" ] && [ -x "$_d/postgres" ] && echo "$_d"
	done | tail -n 1
}

# _pg_as CMD ARGS...: run as the server's user (nobody when we are root)
_pg_as() {
	if [ -z "$_pg_user" ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$_pg_user" -- "$@"
	else
		setpriv --reuid="$_pg_user" --regid="$(id -g "$_pg_user")" --clear-groups -- "$@"
	fi
}

# a value for a postgresql:// URL: everything but [A-Za-z0-9/._~-] escaped
_pg_urlenc() {
	_s=$1
	_o=""
	while [ -n "$_s" ]; do
		_c=${_s:0:1}
		_s=${_s:1}
		case $_c in
		[A-Za-z0-9/._~-]) _o="$_o$_c" ;;
		*) _o="$_o$(printf '%%%02X' "'$_c")" ;;
		esac
	done
	printf '%s' "$_o"
}

# _pg_start DIR: start the server of DIR/data (socket and log in DIR)
_pg_start() {
	(cd "$1" && _pg_as "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/log" -w -t 60 -s start) \
		>>"$1/ctl.log" 2>&1 || {
		diag "pg_ctl start failed: $(tail -n 20 "$1/ctl.log" "$1/log" 2>/dev/null)"
		return 1
	}
}

# _pg_stop DIR MODE: stop it and wait until the postmaster is gone (pg_ctl
# returns when postmaster.pid is gone, a moment before the process)
_pg_stop() {
	[ -f "$1/data/postmaster.pid" ] || return 0
	_pm=$(head -n 1 "$1/data/postmaster.pid")
	(cd "$1" && _pg_as "$PG_BIN/pg_ctl" -D "$1/data" -m "$2" -w -t 60 -s stop) >>"$1/ctl.log" 2>&1
	_rc=$?
	_i=0
	while ! pg_gone "$_pm" && [ $_i -lt 200 ]; do sleep 0.02; _i=$((_i + 1)); done
	return $_rc
}

# _pg_mkdir DIR: a folder the server's user owns
_pg_mkdir() {
	mkdir -p "$1" && { [ -z "$_pg_user" ] || chown "$_pg_user:$(id -g "$_pg_user")" "$1"; }
}

# _pg_initdb DIR: a new cluster in DIR/data with this file's settings and
# pg_hba, not started, listening nowhere yet
_pg_initdb() {
	(cd "$1" && _pg_as "$PG_BIN/initdb" -D "$1/data" -U "$PGUSER" -A trust -E UTF8 --locale=C \
		--no-sync --wal-segsize="${PG_WALSEG:-1}") >"$1/initdb.log" 2>&1 || {
		diag "initdb failed: $(tail -n 20 "$1/initdb.log")"
		return 1
	}
	cat >>"$1/data/postgresql.conf" <<EOF
# tests/cli/pg.sh: a throwaway server on a Unix socket only
listen_addresses = ''
fsync = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 100
password_encryption = scram-sha-256
EOF
	# pg_hba: the first matching line wins; $PG_PWUSER must give its password
	printf 'local all %s scram-sha-256\nlocal all all trust\n' "$PG_PWUSER" >"$1/data/pg_hba.conf"
}

# _pg_listen DIR PORT [LINES]: the server of DIR/data listens on
# DIR/.s.PGSQL.PORT (the last setting in postgresql.conf wins), with LINES
_pg_listen() {
	printf "unix_socket_directories = '%s'\nport = %s\n%s\n" "$1" "$2" "${3:-}" \
		>>"$1/data/postgresql.conf"
}

# _pg_setup DIR PORT: the test database and the password role, on the
# running server of DIR
_pg_setup() {
	"$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$1" -p "$2" -U "$PGUSER" -d postgres \
		-c "CREATE DATABASE $PGDATABASE" \
		-c "CREATE ROLE $PG_PWUSER LOGIN PASSWORD '$PG_PWPASS'" \
		-c "GRANT ALL ON DATABASE $PGDATABASE TO $PG_PWUSER" >"$1/setup.log" 2>&1 || {
		diag "creating the test database and roles failed: $(cat "$1/setup.log")"
		return 1
	}
}

# _pg_template: a cluster made once (initdb, database, roles; stopped
# cleanly) that start_pg copies, since initdb is most of a start's time.  In
# ${TMPDIR:-/tmp}/llmcost-pg-template.KEY, KEY a hash of the server
# programs, their user and this file; made in a folder of its own and
# renamed into place, so tests starting at once never see half of one;
# removed when unused for a day.  LLMCOST_TEST_PG_CACHE=0: no template,
# initdb every time.
# Sets _tpl to its folder, or to nothing when it cannot be made.  (Not in
# a subshell: at_exit must reach the test's own trap.)
_pg_template() {
	_tpl=""
	_key=$({
		echo "$PG_BIN ${_pg_user:-$(id -u)}"
		"$PG_BIN/postgres" --version
		cat "$TOP/tests/cli/pg.sh"
	} | md5sum | cut -c 1-16)
	_t="${TMPDIR:-/tmp}/llmcost-pg-template.$_key"
	if [ ! -f "$_t/ready" ]; then
		# the templates of other versions of this file, unused for a day
		find "${TMPDIR:-/tmp}" -maxdepth 2 -path '*/llmcost-pg-template.*/ready' -mmin +1440 \
			-exec sh -c 'rm -rf "${1%/ready}"' sh {} \; 2>/dev/null
		_pg_new=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-pg-new.XXXXXX") || return 1
		at_exit "_pg_stop '$_pg_new' immediate >/dev/null 2>&1; rm -rf '$_pg_new'"
		_pg_mkdir "$_pg_new" && _pg_initdb "$_pg_new" && _pg_listen "$_pg_new" "$PGPORT" &&
			_pg_start "$_pg_new" && _pg_setup "$_pg_new" "$PGPORT" && _pg_stop "$_pg_new" fast ||
			return 1
		touch "$_pg_new/ready"
		# another test may have put its own there first: keep that one
		mv -T "$_pg_new" "$_t" 2>/dev/null || rm -rf "$_pg_new"
	fi
	# only a real folder of the server's user (not one planted by another)
	[ ! -L "$_t" ] && [ "$(stat -c %U "$_t" 2>/dev/null)" = "${_pg_user:-$(id -un)}" ] &&
		[ -f "$_t/ready" ] && touch "$_t/ready" && _tpl=$_t
}

start_pg() {
	# already running (lib.sh started it for LLMCOST_TEST_STORE=pg)
	[ -n "${PG_PID:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] && return 0
	PG_BIN=$(_pg_find_bin)
	if [ -z "$PG_BIN" ]; then
		skip "a PostgreSQL server for this test" \
			"initdb/pg_ctl are neither on PATH nor in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)"
		done_testing
	fi
	_pg_user=""
	if [ "$(id -u)" -eq 0 ]; then
		_pg_user=nobody
		if ! command -v runuser >/dev/null 2>&1 && ! command -v setpriv >/dev/null 2>&1; then
			skip "a PostgreSQL server for this test" "running as root without runuser or setpriv (util-linux)"
			done_testing
		fi
		# the server's user must reach its folder inside $T
		chmod 711 "$T"
	fi
	PSQL="$PG_BIN/psql"
	[ -x "$PSQL" ] || PSQL=psql
	unset PGHOSTADDR PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE \
		PGREQUIRESSL PGSYSCONFDIR PGCLIENTENCODING PGTARGETSESSIONATTRS PGCONNECT_TIMEOUT
	PG_DIR="$T/pg"
	export PGHOST="$PG_DIR" PGPORT=$((20000 + $$ % 40000)) PGUSER=llmcost PGDATABASE=llmcost
	at_exit 'stop_pg >/dev/null 2>&1'
	_pg_mkdir "$PG_DIR" || { bad "cannot make $PG_DIR"; done_testing; }
	_tpl=""
	[ "${LLMCOST_TEST_PG_CACHE:-1}" = 0 ] || _pg_template
	if [ -n "$_tpl" ] && cp -a "$_tpl/data" "$PG_DIR/data"; then
		_pg_listen "$PG_DIR" "$PGPORT" "${PG_CONF:-}" && _pg_start "$PG_DIR" ||
			{ bad "the PostgreSQL server did not start"; done_testing; }
	else
		rm -rf "$PG_DIR/data"
		_pg_initdb "$PG_DIR" && _pg_listen "$PG_DIR" "$PGPORT" "${PG_CONF:-}" &&
			_pg_start "$PG_DIR" && _pg_setup "$PG_DIR" "$PGPORT" ||
			{ bad "the PostgreSQL server did not start"; done_testing; }
	fi
	PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
	_h=$(_pg_urlenc "$PG_DIR")
	export PGURL="postgresql:///$PGDATABASE?host=$_h&port=$PGPORT&user=$PGUSER"
	export PGURL_PW="postgresql:///$PGDATABASE?host=$_h&port=$PGPORT&user=$PG_PWUSER"
}

# pg_gone PID: the process has ended (it is not there, or a zombie)
pg_gone() {
	case $(cut -d ' ' -f 3 "/proc/$1/stat" 2>/dev/null) in "" | Z | X) return 0 ;; esac
	return 1
}

stop_pg() {
	[ -n "${PG_DIR:-}" ] || return 0
	_pg_stop "$PG_DIR" "${1:-immediate}"
	_rc=$?
	PG_PID=""
	return $_rc
}

restart_pg() {
	stop_pg "${1:-immediate}" && _pg_start "$PG_DIR" && PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
}

pg_sql() {
	_pg_a=()
	for _q in "$@"; do _pg_a+=(-c "$_q"); done
	"$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$PGURL" "${_pg_a[@]}"
}

pg_store_check() {
	[ -f "${PG_DIR:-/nonexistent}/data/postmaster.pid" ] || {
		bad "the store is in PostgreSQL: the server is not running"
		return
	}
	_n=$(pg_sql "SELECT count(*) FROM information_schema.tables
		WHERE table_schema = '$LLMCOST_SCHEMA'" 2>&1)
	if [ "${_n:-0}" -gt 0 ] 2>/dev/null; then
		ok "the store is in PostgreSQL: schema $LLMCOST_SCHEMA has $_n tables"
	else
		bad "the store is not in PostgreSQL: schema $LLMCOST_SCHEMA has no tables (${_n:0:200})"
	fi
}

# tests/cli/faults.sh - sourced by the fault tests (t_faults_*.sh) after lib.sh.
#
#   sql DB QUERY             print the first column of each row (python3 sqlite3)
#   integrity DB             prints "ok" when PRAGMA integrity_check passes
#   store_digest DB          a hash of every row of every table (committed data only)
#   stale_builtin DB         mark the built-in data old, so the next run must write
#   as_user ARGS...          run llmcost as an unprivileged user (nobody when the
#                            tests run as root; the current user otherwise); sets
#                            $rc, $T/out, $T/err like run
#   user_dir PATH            create a folder the unprivileged user owns
# Root reads and writes anything whatever the mode bits say, so permission
# tests must drop privileges: setpriv (util-linux) to nobody:nogroup.

sql() {
	python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=10)
for r in c.execute(sys.argv[2]):
    print(r[0])
c.commit()
PY
}

integrity() {
	python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print("\n".join(r[0] for r in c.execute("PRAGMA integrity_check")))
PY
}

store_digest() {
	python3 - "$1" <<'PY'
import hashlib, sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
h = hashlib.sha256()
for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
    for row in c.execute('SELECT * FROM "%s" ORDER BY 1, 2' % name.replace('"', '""')):
        h.update(repr(row).encode())
print(h.hexdigest())
PY
}

stale_builtin() {
	sql "$1" "UPDATE sources SET data_version = 'stale' WHERE name = 'builtin'" >/dev/null
}

if [ "$(id -u)" -eq 0 ]; then
	if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
		ASUSER="setpriv --reuid=nobody --regid=nogroup --clear-groups"
		UNPRIV=nobody
	else
		ASUSER=""
		UNPRIV=""
	fi
	# the unprivileged user must reach the test folder
	chmod 755 "$T"
else
	ASUSER=" "
	UNPRIV=$(id -un)
fi

as_user() {
	ctx="(as ${UNPRIV:-?}) llmcost $*"
	# shellcheck disable=SC2086
	$ASUSER "$LLMCOST" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

user_dir() {
	mkdir -p "$1"
	[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$1"
	chmod 755 "$1"
}

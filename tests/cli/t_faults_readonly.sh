# Read-only database file and read-only folder, run as an unprivileged user
# (root ignores mode bits): reads still work, a needed write fails with a
# clear message and exit 5, and the database is left unchanged.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

if [ -z "$UNPRIV" ]; then
	skip "read-only database and folder" "cannot run as an unprivileged user (as root, setpriv to nobody failed)"
	done_testing
fi

# a current database in a folder of the unprivileged user
D="$T/ro"
user_dir "$D"
as_user --db "$D/a.db" models
expect_eq 0 "$rc" "creating the database as $UNPRIV"

# read-only file: reading works
chmod 444 "$D/a.db"
as_user --db "$D/a.db" price gpt-4o --at 2024-12-31
expect_eq 0 "$rc" "price on a read-only database file"
expect_out "2.50"

# read-only file: a write (the built-in data must be refreshed) fails cleanly
chmod 644 "$D"/a.db*
stale_builtin "$D/a.db"
chmod 444 "$D/a.db"
before=$(store_digest "$D/a.db")
as_user --db "$D/a.db" models
expect_eq 5 "$rc" "write to a read-only database file: exit code"
expect_err "llmcost: error:"
expect_err "database '$D/a.db' is read-only"
expect_eq "$before" "$(store_digest "$D/a.db")" "read-only file unchanged"
expect_eq ok "$(integrity "$D/a.db")" "read-only file integrity"
# no stack of messages, one line
expect_eq 1 "$(wc -l <"$T/err")" "one error line"

# read-only folder: a new database cannot be created there
F="$T/rofolder"
user_dir "$F"
chmod 555 "$F"
as_user --db "$F/new.db" models
expect_eq 5 "$rc" "new database in a read-only folder: exit code"
expect_err "cannot open database '$F/new.db'"
[ -e "$F/new.db" ] && bad "a database appeared in a read-only folder" || ok

# read-only folder above: the folders to create cannot be made
as_user --db "$F/sub/deeper/new.db" models
expect_eq 5 "$rc" "database under a read-only folder: exit code"
expect_err "cannot create folder '$F/sub'"
expect_err "Permission denied"

# read-only folder holding an existing, writable database with no -wal/-shm:
# WAL needs to create them next to it
G="$T/rofolder2"
user_dir "$G"
as_user --db "$G/a.db" models
expect_eq 0 "$rc" "creating the second database"
stale_builtin "$G/a.db"
before=$(store_digest "$G/a.db")
# every connection is closed and checkpointed: the -wal/-shm files are empty
rm -f "$G/a.db-wal" "$G/a.db-shm"
chmod 555 "$G"
as_user --db "$G/a.db" models
expect_eq 5 "$rc" "database in a read-only folder: exit code"
expect_err "llmcost: error:"
expect_err "'$G/a.db'"
chmod 755 "$G"
expect_eq "$before" "$(store_digest "$G/a.db")" "database in a read-only folder unchanged"

# the same folder made writable again: the write goes through
as_user --db "$G/a.db" models
expect_eq 0 "$rc" "after the folder is writable again"
expect_eq "$(sql "$G/a.db" "SELECT data_version FROM sources WHERE name='builtin'")" \
	"$("$LLMCOST" --version | sed 's/.*built-in data \(.*\))/\1/')" "built-in data refreshed"

done_testing

# The command frame: help, version, options, exit codes, stdout errors, the
# database path and the refusal of foreign, corrupt and newer databases.
. "$TOP/tests/cli/lib.sh"

expect_rc 0 --version
expect_out "llmcost "
expect_rc 0 help
expect_out "commands:"
expect_out "models"
expect_rc 0 --help
expect_out "usage: llmcost"
expect_rc 2
expect_rc 2 nosuchcommand
expect_err "unknown command 'nosuchcommand'"
expect_rc 2 --bogus models
expect_rc 0 help models
expect_out "usage: llmcost models"
expect_rc 2 help nosuchcommand

# every command answers -h and --help with its own help text, exit 0
for c in $("$LLMCOST" help | sed -n '/^commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	expect_rc 0 "$c" --help
	expect_out "usage: llmcost $c"
	expect_rc 0 "$c" -h
	expect_out "usage: llmcost $c"
done

# usage errors: exit 2 with a message
expect_rc 2 models --bogus
expect_err "unknown option '--bogus'"
expect_rc 2 models --at
expect_err "needs a value"
expect_rc 2 models --at 2024-02-30
expect_err "malformed date '2024-02-30'"
expect_rc 2 price gpt-4o --at yesterday
expect_rc 2 price
expect_rc 2 price a b

# unknown model: exit 3 with suggestions
expect_rc 3 price gpt-4oo
expect_err "unknown model 'gpt-4oo'"
expect_err "did you mean"

# a write error on stdout is a failure, not a silent success
"$LLMCOST" models >/dev/full 2>"$T/err"
expect_eq 1 $? "models >/dev/full exit code"
expect_err "cannot write to standard output"
"$LLMCOST" help >/dev/full 2>/dev/null
expect_eq 1 $? "help >/dev/full exit code"

# the default database path: XDG_DATA_HOME, else ~/.local/share; folders created
unset LLMCOST_DB
run models
expect_eq 0 "$rc" "models with the default path"
[ -f "$HOME/.local/share/llmcost/llmcost.db" ] && ok || bad "no database at ~/.local/share/llmcost/llmcost.db"
XDG_DATA_HOME="$T/xdg" "$LLMCOST" models >/dev/null 2>&1
[ -f "$T/xdg/llmcost/llmcost.db" ] && ok || bad "no database under XDG_DATA_HOME"
LLMCOST_DB="$T/env/deep/x.db" "$LLMCOST" models >/dev/null 2>&1
[ -f "$T/env/deep/x.db" ] && ok || bad "LLMCOST_DB not honoured"
"$LLMCOST" --db "$T/flag.db" models >/dev/null 2>&1
[ -f "$T/flag.db" ] && ok || bad "--db before the command not honoured"
"$LLMCOST" models --db "$T/flag2.db" >/dev/null 2>&1
[ -f "$T/flag2.db" ] && ok || bad "--db after the command not honoured"
export LLMCOST_DB="$T/llmcost.db"

# a new store has 16 KiB pages; a store made with 4 KiB pages keeps them
expect_eq 16384 "$(sqlite3 "$T/flag.db" 'PRAGMA page_size')" "page size of a new store"
python3 - "$T/p4k.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA page_size = 4096")
c.execute("PRAGMA journal_mode = WAL")
c.commit()
PY
expect_rc 0 --db "$T/p4k.db" models
expect_eq 4096 "$(sqlite3 "$T/p4k.db" 'PRAGMA page_size')" "an existing store keeps its page size"
expect_eq ok "$(sqlite3 "$T/p4k.db" 'PRAGMA integrity_check')" "integrity of the 4 KiB store"

# a file that is not a database: exit 5, file untouched
printf 'this is not a database, just text\n%.0s' $(seq 1 200) >"$T/notdb"
cp "$T/notdb" "$T/notdb.orig"
expect_rc 5 --db "$T/notdb" models
expect_err "not a database"
cmp -s "$T/notdb" "$T/notdb.orig" && ok || bad "not-a-database file was modified"

# a database of another program: exit 5, and the file is left as it was
# (not even switched to WAL)
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table t(x)"); c.commit()' "$T/other.db"
cp "$T/other.db" "$T/other.orig"
expect_rc 5 --db "$T/other.db" models
expect_err "not llmcost's"
cmp -s "$T/other.db" "$T/other.orig" && ok || bad "another program's database was modified"
[ ! -e "$T/other.db-wal" ] && ok || bad "another program's database got a -wal file"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("pragma application_id=12345"); c.commit()' "$T/other2.db"
cp "$T/other2.db" "$T/other2.orig"
expect_rc 5 --db "$T/other2.db" models
expect_err "database of another program"
cmp -s "$T/other2.db" "$T/other2.orig" && ok || bad "a database with another application_id was modified"

# a database written by a newer llmcost: exit 5, clear message
expect_rc 0 --db "$T/newer.db" models
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("pragma user_version=99"); c.commit()' "$T/newer.db"
expect_rc 5 --db "$T/newer.db" models
expect_err "newer llmcost"
# ... also when it is in rollback-journal mode: left exactly as it was
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("pragma journal_mode=delete"); c.commit()' "$T/newer.db"
cp "$T/newer.db" "$T/newer.orig"
expect_rc 5 --db "$T/newer.db" models
cmp -s "$T/newer.db" "$T/newer.orig" && ok || bad "a newer llmcost's store was modified"

# a corrupt database: exit 5
expect_rc 0 --db "$T/corrupt.db" models
python3 - "$T/corrupt.db" <<'PY'
import sys
p = sys.argv[1]
import os
size = os.path.getsize(p)
with open(p, "r+b") as f:
    # scribble over the b-tree page header of every page after the first
    for off in range(4096, size, 4096):
        f.seek(off)
        f.write(b"\xde\xad\xbe\xef" * 4)
PY
run --db "$T/corrupt.db" price gpt-4o
case $rc in 0) bad "corrupt database accepted";; 5) ok;; *) bad "corrupt database: exit $rc, want 5";; esac

# a directory given as the database
mkdir -p "$T/dir.db"
expect_rc 5 --db "$T/dir.db" models
expect_err "not a regular file"

done_testing

# Disk full during a write: a clear message, exit 5, the store unchanged and
# consistent (PRAGMA integrity_check ok), and the write succeeds once there
# is room again.  As root the test mounts a small tmpfs; otherwise it falls
# back to a file size limit (ulimit -f), which SQLite also reports as a
# full disk or a write error.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

M="$T/full"
mkdir -p "$M"
mounted=0
cleanup() {
	[ "$mounted" -eq 1 ] && umount "$M" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=4m,mode=0755 llmcost-test "$M" 2>/dev/null; then
	mounted=1
fi

# a current database, then marked stale so the next run rewrites the
# built-in data (a write of several hundred KiB to the WAL)
expect_rc 0 --db "$T/src.db" models
stale_builtin "$T/src.db"
before=$(store_digest "$T/src.db")

if [ "$mounted" -eq 1 ]; then
	DB="$M/a.db"
	cp "$T/src.db" "$DB"
	# fill the rest of the filesystem, leaving a few KiB
	dd if=/dev/zero of="$M/filler" bs=4k 2>/dev/null
	rm -f "$M/filler"
	avail=$(df -k --output=avail "$M" | tail -n 1 | tr -d ' ')
	# so full that not even the -shm file fits: opening fails, clearly
	dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - 8)) 2>/dev/null
	expect_rc 5 --db "$DB" models
	expect_err "disk full writing '$DB'"
	rm -f "$M/filler"
	expect_eq ok "$(integrity "$DB")" "integrity after disk full at open"
	expect_eq "$before" "$(store_digest "$DB")" "store unchanged after disk full at open"
	# room to open and start the write, not to finish it
	avail=$(df -k --output=avail "$M" | tail -n 1 | tr -d ' ')
	dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - 96)) 2>/dev/null
	run --db "$DB" models
else
	echo "note: not root or no tmpfs; using a file size limit instead of a full disk"
	DB="$T/a.db"
	cp "$T/src.db" "$DB"
	size=$(($(wc -c <"$DB") / 1024 + 4))
	ctx="llmcost --db $DB models (ulimit -f $size)"
	(trap '' XFSZ; ulimit -f "$size"; exec "$LLMCOST" --db "$DB" models) >"$T/out" 2>"$T/err"
	rc=$?
fi
expect_eq 5 "$rc" "write on a full disk: exit code"
if grep -q "disk full writing '$DB'" "$T/err"; then ok
elif [ "$mounted" -eq 0 ] && grep -q "I/O error" "$T/err"; then ok
else bad "no 'disk full' message: $(cat "$T/err")"; fi
expect_eq 1 "$(grep -c 'llmcost: error:' "$T/err")" "one error line"
expect_eq ok "$(integrity "$DB")" "integrity after disk full"
expect_eq "$before" "$(store_digest "$DB")" "store unchanged after disk full"
# reading still works on the full disk
run --db "$DB" price gpt-4o --at 2024-12-31 2>/dev/null
[ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] && ok || bad "read on a full disk: exit $rc"

# room again: the same command completes the write
rm -f "$M/filler"
expect_rc 0 --db "$DB" models
expect_eq ok "$(integrity "$DB")" "integrity after the retry"
expect_eq "$(sql "$DB" "SELECT data_version FROM sources WHERE name='builtin'")" \
	"$("$LLMCOST" --version | sed 's/.*built-in data \(.*\))/\1/')" "built-in data refreshed after the retry"

# a new database on a full disk: exit 5, and whatever is left is consistent
if [ "$mounted" -eq 1 ]; then
	avail=$(df -k --output=avail "$M" | tail -n 1 | tr -d ' ')
	dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - 40)) 2>/dev/null
	expect_rc 5 --db "$M/new.db" models
	expect_err "disk full"
	if [ -s "$M/new.db" ]; then
		# checked on a copy: SQLite cannot even open its -shm on the full disk
		mkdir -p "$T/half"
		cp "$M/new.db" "$T/half/new.db"
		[ -e "$M/new.db-wal" ] && cp "$M/new.db-wal" "$T/half/new.db-wal"
		expect_eq ok "$(integrity "$T/half/new.db")" "integrity of a half-created database"
	fi
	rm -f "$M/filler"
	expect_rc 0 --db "$M/new.db" models
	expect_out "gpt-4o"
fi
# disk full during a usage ingest (many small transactions): exit 5 with a
# clear message, the store consistent with whole chunks only, and a re-run
# with room reaches exactly the totals of a clean ingest
if [ "$mounted" -eq 1 ]; then
	TOTALS="SELECT count(*) || ' ' || total(input) || ' ' || total(output) || ' ' || total(cache_read) FROM usage_records"
	"$TOOLS/gen_claude_logs" "$T/logs" 3000 5 >/dev/null || bad "generator failed"
	expect_rc 0 --db "$T/clean.db" ingest usage "$T/logs/projects"
	clean=$(sql "$T/clean.db" "$TOTALS")
	rm -f "$M"/*.db*
	cp "$T/src.db" "$M/u.db"
	expect_rc 0 --db "$M/u.db" models # refresh the built-in data first
	avail=$(df -k --output=avail "$M" | tail -n 1 | tr -d ' ')
	dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - 400)) 2>/dev/null
	LLMCOST_INGEST_CHUNK=250 run --db "$M/u.db" ingest usage "$T/logs/projects"
	expect_eq 5 "$rc" "usage ingest on a full disk: exit code"
	expect_err "disk full writing '$M/u.db'"
	expect_eq ok "$(integrity "$M/u.db")" "integrity after disk full during ingest"
	partial=$(sql "$M/u.db" "SELECT count(*) FROM usage_records")
	[ "$partial" -lt "$(echo "$clean" | cut -d' ' -f1)" ] && ok || bad "the disk never filled ($partial records)"
	rm -f "$M/filler"
	expect_rc 0 --db "$M/u.db" ingest usage "$T/logs/projects"
	expect_eq "$clean" "$(sql "$M/u.db" "$TOTALS")" "totals after the re-run with room"
fi
done_testing

# Usage ingest under faults: kill -9 at many random moments, two ingests of
# overlapping files at once, permission denied (as an unprivileged user), and
# files that grow during an ingest, shrink between runs or are replaced under
# the same name.  The rule each time: integrity_check ok, nothing lost,
# nothing counted twice (totals equal those of one clean ingest).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/faults.sh"

TOTALS="SELECT count(*) || ' ' || total(input) || ' ' || total(output) || ' ' || total(cache_read) || ' ' || total(cache_write_5m + cache_write_1h) || ' ' || total(reasoning) FROM usage_records"
totals() { sql "$1" "$TOTALS"; }

"$TOOLS/gen_claude_logs" "$T/logs" 5000 11 >/dev/null || bad "generator failed"
LOGS="$T/logs/projects"
expect_rc 0 --db "$T/clean.db" ingest usage "$LOGS"
clean=$(totals "$T/clean.db")
[ "$(echo "$clean" | cut -d' ' -f1)" -ge 5000 ] && ok || bad "clean ingest stored $clean"
expect_eq ok "$(rollup_check "$T/clean.db")" "clean ingest: rollups in step with the records"

# --- kill -9 at random moments, many small transactions (D3) ---
python3 "$TOP/tests/cli/killrun.py" --db "$T/kill.db" --runs "${KILL_RUNS:-30}" --check "$TOTALS" \
	--invariant "$TOP/tests/cli/rollup_check.sql" -- \
	env LLMCOST_INGEST_CHUNK=250 "$LLMCOST" --db "$T/kill.db" ingest usage "$LOGS" >"$T/out" 2>&1
expect_eq 0 $? "kill -9 during usage ingest: $(tail -n 3 "$T/out")"

# --- two ingests of overlapping files at once (I17) ---
# set A: every file; set B: copies of half of them under other names plus
# the rest; both run at the same time, three rounds, each on a fresh store
mkdir -p "$T/setB"
i=0
for f in $(find "$LOGS" -name '*.jsonl' | sort); do
	i=$((i + 1))
	if [ $((i % 2)) -eq 0 ]; then cp "$f" "$T/setB/copy-$i.jsonl"; else ln -s "$f" "$T/setB/link-$i.jsonl"; fi
done
# rounds 4-5: small transactions that interleave, with the key filter
# (lib/db_usage_rec.c) built at the first lookup and rebuilt as it fills: a
# filter built before the other process committed must not be trusted
for r in 1 2 3 4 5; do
	rm -f "$T/both.db"*
	kf=""
	[ $r -ge 4 ] && kf="LLMCOST_KEYFILTER=1:64 LLMCOST_INGEST_CHUNK=200"
	env $kf "$LLMCOST" --db "$T/both.db" ingest usage "$LOGS" >/dev/null 2>"$T/errA" &
	a=$!
	env $kf "$LLMCOST" --db "$T/both.db" ingest usage "$T/setB" >/dev/null 2>"$T/errB" &
	b=$!
	wait $a
	ra=$?
	wait $b
	rb=$?
	expect_eq "0 0" "$ra $rb" "round $r: two overlapping ingests at once: exit codes ($(head -c 200 "$T/errA" "$T/errB"))"
	expect_eq "$clean" "$(totals "$T/both.db")" "round $r: totals after two overlapping ingests at once"
	expect_eq ok "$(rollup_check "$T/both.db")" "round $r: rollups in step with the records"
	expect_eq ok "$(integrity "$T/both.db")" "round $r: integrity"
done

# --- the key filter: built after the first lookup, rebuilt as it fills ---
# a false "not stored" would store a sub-agent replay or a copy twice
rm -f "$T/kf.db"*
export LLMCOST_KEYFILTER=1:64
expect_rc 0 --db "$T/kf.db" ingest usage "$LOGS"
expect_eq "$clean" "$(totals "$T/kf.db")" "key filter: totals equal a clean ingest"
expect_rc 0 --db "$T/kf.db" ingest usage "$T/setB"
expect_out " 0 accepted,"
expect_eq "$clean" "$(totals "$T/kf.db")" "key filter: totals unchanged by the copies"
unset LLMCOST_KEYFILTER

# --- permission denied, run as an unprivileged user (I26) ---
if [ -n "$UNPRIV" ]; then
	P="$T/perm"
	user_dir "$P"
	user_dir "$P/locked"
	n=0
	for f in $(find "$LOGS" -name '*.jsonl' | sort); do
		n=$((n + 1))
		case $n in
		1) cp "$f" "$P/unreadable.jsonl" ;;
		2) cp "$f" "$P/locked/inside.jsonl" ;;
		*) cp "$f" "$P/ok-$n.jsonl" ;;
		esac
	done
	[ "$(id -u)" -eq 0 ] && chown -R nobody:nogroup "$P"
	chmod 000 "$P/unreadable.jsonl"
	chmod 000 "$P/locked"
	user_dir "$T/permdb"
	as_user --db "$T/permdb/p.db" ingest usage "$P"
	expect_eq 3 "$rc" "ingest with an unreadable file and folder: exit code"
	expect_err "$P/unreadable.jsonl"
	expect_err "Permission denied"
	expect_err "$P/locked"
	chmod 755 "$P/locked"
	chmod 644 "$P/unreadable.jsonl"
	# the readable files went in: equal to a clean ingest of just them
	mkdir -p "$T/readable"
	cp "$P"/ok-*.jsonl "$T/readable/"
	expect_rc 0 --db "$T/readable.db" ingest usage "$T/readable"
	expect_eq "$(totals "$T/readable.db")" "$(totals "$T/permdb/p.db")" "the readable files were ingested"
	# once readable, a re-run adds exactly the rest
	as_user --db "$T/permdb/p.db" ingest usage "$P"
	expect_eq 0 "$rc" "re-run once readable"
	expect_eq "$clean" "$(totals "$T/permdb/p.db")" "totals once every file is readable"
	expect_eq ok "$(rollup_check "$T/permdb/p.db")" "unreadable files: rollups in step"
else
	skip "permission denied during a usage ingest" "cannot run as an unprivileged user (as root, setpriv to nobody failed)"
fi

# --- a file that grows while it is being ingested (I27) ---
big=$(find "$LOGS" -name '*.jsonl' | sort | head -n 1)
G="$T/grow"
mkdir -p "$G"
head -c $(($(wc -c <"$big") / 3)) "$big" >"$G/live.jsonl" # may end mid-line
python3 - "$big" "$G/live.jsonl" <<'PY' &
import sys, time
src = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "r+b") as f:
    f.seek(0, 2)
    pos = f.tell()
    while pos < len(src):
        n = min(len(src) - pos, 7919)
        f.write(src[pos:pos + n]); f.flush()
        pos += n
        time.sleep(0.002)
PY
writer=$!
i=0
while kill -0 $writer 2>/dev/null && [ $i -lt 50 ]; do
	"$LLMCOST" --db "$T/grow.db" ingest usage "$G" >/dev/null 2>&1 || bad "ingest of a growing file failed"
	i=$((i + 1))
done
wait $writer
expect_rc 0 --db "$T/grow.db" ingest usage "$G"
expect_rc 0 --db "$T/growref.db" ingest usage "$big"
expect_eq "$(totals "$T/growref.db")" "$(totals "$T/grow.db")" "a file read while it grew ($i runs during the writes) ends with exact totals"
# a last line without a newline is deferred, then read once complete
printf '%s' "$(tail -n 1 "$big")" >"$G/partial.jsonl"
expect_rc 0 --db "$T/grow.db" ingest usage "$G/partial.jsonl"
expect_out "1 deferred"
printf '\n' >>"$G/partial.jsonl"
expect_rc 0 --db "$T/grow.db" ingest usage "$G/partial.jsonl"
expect_out "0 deferred"
expect_eq "$(totals "$T/growref.db")" "$(totals "$T/grow.db")" "the completed last line was already counted (a duplicate)"
expect_eq ok "$(rollup_check "$T/grow.db")" "growing file: rollups in step"

# --- a file truncated between runs, then written again (I27) ---
R="$T/trunc"
mkdir -p "$R"
two=$(find "$LOGS" -name '*.jsonl' | sort | sed -n 2p)
cp "$big" "$R/log.jsonl"
expect_rc 0 --db "$T/trunc.db" ingest usage "$R"
: >"$R/log.jsonl"
expect_rc 0 --db "$T/trunc.db" ingest usage "$R"
cat "$two" >"$R/log.jsonl" # new content, shorter or longer, same name
expect_rc 0 --db "$T/trunc.db" ingest usage "$R"
expect_rc 0 --db "$T/truncref.db" ingest usage "$big" "$two"
expect_eq "$(totals "$T/truncref.db")" "$(totals "$T/trunc.db")" "truncated and rewritten: old records kept, new ones added once"

# --- a file replaced under the same name (rotation: mv over it) (I27) ---
M="$T/repl"
mkdir -p "$M"
cp "$two" "$M/log.jsonl"
expect_rc 0 --db "$T/repl.db" ingest usage "$M"
cp "$big" "$M/new.tmp"
mv "$M/new.tmp" "$M/log.jsonl"
expect_rc 0 --db "$T/repl.db" ingest usage "$M"
expect_eq "$(totals "$T/truncref.db")" "$(totals "$T/repl.db")" "replaced under the same name: both contents counted once"
# and the same bytes again under the same name: nothing new
cp "$M/log.jsonl" "$M/new.tmp"
mv "$M/new.tmp" "$M/log.jsonl"
expect_rc 0 --db "$T/repl.db" ingest usage "$M"
expect_out "0 accepted"
expect_eq "$(totals "$T/truncref.db")" "$(totals "$T/repl.db")" "the same bytes replaced again: totals unchanged"
expect_eq ok "$(rollup_check "$T/trunc.db")" "truncated file: rollups in step"
expect_eq ok "$(rollup_check "$T/repl.db")" "replaced file: rollups in step"
done_testing

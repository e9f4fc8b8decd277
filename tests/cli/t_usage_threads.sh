# The parse thread (ingest/usage_thread.c) changes nothing but
# speed: with it and without it (LLMCOST_INGEST_THREADS=0) an ingest stores
# the same records, rollup and resume points, prints the same messages in
# the same order, commits at the same lines and stops the same way on
# --strict.
. "$TOP/tests/cli/lib.sh"

"$TOOLS/gen_claude_logs" "$T/logs" 4000 3 >/dev/null || bad "generator failed"
D="$T/logs/projects"
mkdir -p "$D/-extra"
# warnings and rejected lines of several kinds between good ones, and a last
# line still being written
python3 - "$D/-extra/w.jsonl" <<'PY'
import json, sys
def line(i, mid, req, sidechain=False, usage=None, model="claude-sonnet-4-20250514"):
    m = {"id": mid, "usage": usage or {"input_tokens": 10 + i, "output_tokens": 20}}
    if model:
        m["model"] = model
    return json.dumps({"type": "assistant", "timestamp": "2025-09-05T10:%02d:00Z" % i,
                       "sessionId": "s1", "cwd": "/p", "requestId": req, "uuid": "u%d" % i,
                       "isSidechain": sidechain, "message": m})
out = [line(1, "msg_a", "req_a"), line(1, "msg_a", "req_a"),
       '{"type":"assistant","message":{"usage": broken',
       line(2, "msg_b", "req_b", usage={"input_tokens": 1, "output_tokens": 2,
            "cache_creation_input_tokens": 100,
            "cache_creation": {"ephemeral_5m_input_tokens": 10, "ephemeral_1h_input_tokens": 20}}),
       line(3, "msg_c", "req_c", model=None),
       line(4, "msg_d", "req_d").replace('"s1"', '"s\\u0000"'),
       line(5, "msg_a", "req_a2", sidechain=True),
       line(6, "msg_e", "req_e")]
for i in range(7, 400):
    out.append(line(i % 60, "msg_f%d" % i, "req_f%d" % i))
open(sys.argv[1], "w").write("\n".join(out) + "\n" + line(9, "msg_g", "req_g"))
PY

# the stores (sname TAG TH): with_store's TAG_0 and TAG_1 (SQLite files or
# schemas), all_0 the test's own; grow goes on in the stores of all on the
# team store (copies of them on SQLite: a schema is not copied so simply)
sname() {
	_t=$1
	if [ "$_t" = grow ] && ! store_is_sqlite; then _t=all; fi
	if [ "$_t" = all ] && [ "$2" = 0 ]; then echo ""; else echo "${_t}_$2"; fi
}
# the SQLite file of store NAME
sfile() { if [ -n "$1" ]; then echo "$T/$1.db"; else echo "$LLMCOST_DB"; fi; }
snap() { # NAME: its records, resume points and rollup
	if store_is_sqlite; then
		sqlite3 "$(sfile "$1")" "SELECT natural_key, ts_ms, file_id, line, model_raw, model, project, session,
		input, cache_read, cache_write_5m, cache_write_1h, output, sidechain FROM usage_records
		ORDER BY id; SELECT path, offset, line, size, state FROM usage_files ORDER BY id;
		SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
		return
	fi
	# the team store's server tables (its rollup rows summed by key)
	with_store "$1" store_sql "SELECT natural_key, ts_ms, line, model_raw, model, project, session,
		input, cache_read, cache_write_5m, cache_write_1h, output, sidechain FROM usage_calls
		ORDER BY id"
	with_store "$1" store_sql "SELECT path, \"offset\", line, size, state FROM usage_files
		ORDER BY path COLLATE \"C\""
	with_store "$1" store_sql "SELECT bucket, model_raw, model, host, project, session, user_name,
		sidechain, pclass, sum(records), sum(input), sum(cache_read), sum(output)
		FROM usage_sums GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
}
# stored records of a store
nrec() { with_store "$1" store_sql "SELECT count(*) FROM $STORE_RECORDS"; }

# ingest TAG ARGS...: one run with the parse thread (TAG.1) and one without (TAG.0)
both() {
	tag=$1
	shift
	for th in 0 1; do
		LLMCOST_INGEST_THREADS=$th with_store "$(sname "$tag" $th)" "$LLMCOST" ingest usage "$@" \
			>"$T/$tag.$th.out" 2>"$T/$tag.$th.err"
		echo $? >"$T/$tag.$th.rc"
	done
	expect_eq "$(cat "$T/$tag.0.rc")" "$(cat "$T/$tag.1.rc")" "$tag: exit codes"
	expect_eq "$(cat "$T/$tag.0.out")" "$(cat "$T/$tag.1.out")" "$tag: summaries"
	expect_eq "$(cat "$T/$tag.0.err")" "$(cat "$T/$tag.1.err")" "$tag: messages"
	expect_eq "$(snap "$(sname "$tag" 0)")" "$(snap "$(sname "$tag" 1)")" "$tag: stored records, resume points and rollup"
}

both all --verbose "$D"
expect_eq 0 "$(cat "$T/all.1.rc")" "all: exit code"
grep -q "1 deferred" "$T/all.1.out" && ok || bad "all: the last line is deferred: $(cat "$T/all.1.out")"
grep -q "w.jsonl' line 3: malformed JSON" "$T/all.1.err" && ok || bad "all: the malformed line is named: $(head -c 300 "$T/all.1.err")"
grep -q "cache_creation split" "$T/all.1.err" && ok || bad "all: the warning is told"
[ "$(nrec all_1)" -gt 4000 ] && ok || bad "all: records stored"

# small transactions (a commit every 37 records) give the same result
export LLMCOST_INGEST_CHUNK=37
both chunk "$D"
unset LLMCOST_INGEST_CHUNK

# --strict stops at the first bad line, having kept the same work
both strict --strict "$D/-extra"
expect_eq 3 "$(cat "$T/strict.1.rc")" "strict: exit code"
grep -q "line 3" "$T/strict.1.err" && ok || bad "strict: names line 3: $(cat "$T/strict.1.err")"

# reading the folder's next file ahead, then not using it: a file that
# fails before it is read (UTF-16) in the middle and at the end of a folder,
# links, an empty file, and a --strict stop while the next file is read ahead
M="$T/mixed"
mkdir -p "$M"
src=$(find "$D" -name '*.jsonl' | sort | head -n 3)
set -- $src
cp "$1" "$M/a.jsonl"
printf '\377\376{\000}\000\n\000' >"$M/b.jsonl"
cp "$2" "$M/c.jsonl"
ln -s "$M/a.jsonl" "$M/d.jsonl"
: >"$M/e.jsonl"
cp "$3" "$M/f.jsonl"
cp "$M/b.jsonl" "$M/z.jsonl"
both mixed --format claude-code "$M"
expect_eq 3 "$(cat "$T/mixed.1.rc")" "mixed: exit code (files that cannot be read)"
grep -q "b.jsonl.*UTF-16" "$T/mixed.1.err" && ok || bad "mixed: the UTF-16 file is reported: $(cat "$T/mixed.1.err")"
# (the file of a record: SQLite's usage_records only)
if store_is_sqlite; then
	[ "$(sqlite3 "$T/mixed_1.db" 'SELECT count(DISTINCT file_id) FROM usage_records')" = 3 ] && ok ||
		bad "mixed: records from a, c and f"
fi
# several files read ahead, then all dropped: a folder between them is
# walked first (its file is not the one read ahead), and files after it
A="$T/ahead"
mkdir -p "$A/a4"
i=0
for f in $(find "$D" -name '*.jsonl' | sort | head -n 7); do
	i=$((i + 1))
	case $i in
	4) cp "$f" "$A/a4/y.jsonl" ;;
	*) cp "$f" "$A/a$i.jsonl" ;;
	esac
done
both ahead --format claude-code "$A"
expect_eq 0 "$(cat "$T/ahead.1.rc")" "ahead: exit code"
if store_is_sqlite; then
	[ "$(sqlite3 "$T/ahead_1.db" 'SELECT count(DISTINCT file_id) FROM usage_records')" = 7 ] && ok ||
		bad "ahead: records from all 7 files"
fi
S="$T/strict2"
mkdir -p "$S"
cp "$D/-extra/w.jsonl" "$S/a.jsonl"
cp "$1" "$S/b.jsonl"
both strict2 --strict "$S"
expect_eq 3 "$(cat "$T/strict2.1.rc")" "strict2: exit code"

# appended lines: only they are read, by both
if store_is_sqlite; then for th in 0 1; do cp "$(sfile "$(sname all $th)")" "$T/grow_$th.db"; done; fi
printf '\n' >>"$D/-extra/w.jsonl" # completes the deferred line
python3 -c 'import json; print(json.dumps({"type": "assistant", "timestamp": "2025-09-06T00:00:00Z", "sessionId": "s1", "requestId": "req_h", "message": {"id": "msg_h", "model": "claude-sonnet-4-20250514", "usage": {"input_tokens": 5, "output_tokens": 6}}}))' >>"$D/-extra/w.jsonl"
both grow "$D"
grep -q " 2 accepted" "$T/grow.1.out" && ok || bad "grow: only the 2 new lines: $(cat "$T/grow.1.out")"
done_testing

# llmcost ingest usage: what a file is and when it is read.  Whole JSON
# documents with blanks after them, a document rewritten in place, the last
# line of a file without its newline, links, special files and deep folders
# in a scanned folder, and the store itself inside one.  Every expected total
# is the one the same records give as plain JSON Lines (a reference store).
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
W="$T/w"
mkdir -p "$W"
cost() { json_get 'j["total"]["cost"]'; }
# The stores under test are the test's own ("": doc) and others of its kind
# (with_store NAME: a SQLite file or a schema on the same server); the
# reference stores are SQLite files ($T/ref.db, $T/csvref.db) on either run,
# and the store inside a scanned folder is one on purpose.
# totals STORE: records, tokens and cost of a store (a name, or a file)
totals() {
	case $1 in
	*/*) "$LLMCOST" --db "$1" usage --json ;;
	*) with_store "$1" "$LLMCOST" usage --json ;;
	esac >"$T/tot.json" 2>/dev/null || { echo "usage failed"; return; }
	python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print(t["records"], t["input_tokens"], t["output_tokens"], t["cache_read_tokens"], t["cost"])' "$T/tot.json"
}
# fresh STORE: an empty store (a name, or a file)
fresh() {
	case $1 in
	*/*) rm -f "$1" "$1-wal" "$1-shm" ;;
	*) with_store "$1" store_reset ;;
	esac
}

# ---- whole documents: every format read whole, with blanks after it ----
# The documents (an OpenAI Usage API page, an Anthropic usage report page,
# an array of OpenAI responses, an array of Gemini responses) and, as the
# reference, the same values one per line.
python3 - "$U" "$W" <<'PY'
import json, sys
u, w = sys.argv[1], sys.argv[2]
oa = [json.loads(l) for l in open(u + "/openai/responses.jsonl")]
an = [json.loads(l) for l in open(u + "/anthropic/messages.jsonl")]
ge = [json.loads(l) for l in open(u + "/gemini/responses.jsonl")]
page = [v for v in oa if v.get("object") == "page"][0]
chats = [v for v in oa if v.get("object") != "page" and v.get("id") != "chatcmpl-bad"]
report = [v for v in an if "data" in v][0]
docs = {"openai-page": ("openai", page), "anthropic-page": ("anthropic", report),
        "openai-array": ("openai", chats), "gemini-array": ("gemini", ge)}
ends = {"lf": "\n", "crlf": "\r\n", "blanks": " \t\r\n\n  \n", "none": ""}
for name, (fmt, v) in docs.items():
    vals = v if isinstance(v, list) else [v]
    open("%s/%s.ref.jsonl" % (w, name), "w").write("".join(json.dumps(x) + "\n" for x in vals))
    open("%s/%s.fmt" % (w, name), "w").write(fmt)
    for e, tail in ends.items():
        text = json.dumps(v, indent=2).replace("\n", "\r\n" if e == "crlf" else "\n")
        open("%s/%s.%s.json" % (w, name, e), "w", newline="").write(text + tail)
PY
for d in openai-page anthropic-page openai-array gemini-array; do
	fmt=$(cat "$W/$d.fmt")
	fresh "$T/ref.db"
	"$LLMCOST" --db "$T/ref.db" ingest usage --format "$fmt" "$W/$d.ref.jsonl" >/dev/null 2>&1
	reft=$(totals "$T/ref.db")
	case $reft in "0 "* | usage*) bad "$d: the reference store is empty: $reft" ;; esac
	for e in lf crlf blanks none; do
		for how in auto "$fmt"; do
			fresh ""
			with_store "" expect_rc 0 ingest usage --format "$how" "$W/$d.$e.json"
			expect_out "0 rejected"
			expect_eq "$reft" "$(totals "")" "$d ending '$e' (--format $how): read whole"
			# read once: the next run finds it unchanged
			with_store "" expect_rc 0 ingest usage --format "$how" "$W/$d.$e.json"
			expect_out "0 accepted, 0 duplicates, 0 rejected"
		done
	done
done

# a document whose first line is not a whole value, though "{" is not alone
# on it, is one too; JSON Lines with a broken first line stay JSON Lines
fresh ""
python3 -c 'import json,sys; v=json.loads(open(sys.argv[1]).read()); t=json.dumps(v, indent=1); print("{" + t[1:].lstrip().replace("\n", "", 1))' "$W/openai-page.lf.json" >"$W/first-line.json"
fresh "$T/ref.db"
"$LLMCOST" --db "$T/ref.db" ingest usage --format openai "$W/openai-page.ref.jsonl" >/dev/null 2>&1
with_store "" expect_rc 0 ingest usage "$W/first-line.json"
expect_out "1 accepted, 0 duplicates, 0 rejected"
expect_eq "$(totals "$T/ref.db")" "$(totals "")" "a document starting '{\"object\": ...' read whole"
{ printf '{"id": \n'; head -n 1 "$U/openai/responses.jsonl"; } >"$W/broken-first.jsonl"
with_store "" expect_rc 0 ingest usage --format openai "$W/broken-first.jsonl"
expect_out "1 accepted, 0 duplicates, 1 rejected"

# a document with text after it, or not JSON at all, is an error naming the
# file and line (exit 3); nothing of it is kept and it is read again once
# corrected (it was rejected whole and never read again, with exit 0)
fresh ""
cp "$W/openai-page.lf.json" "$W/bad.json"
printf 'garbage\n' >>"$W/bad.json"
with_store "" expect_rc 3 ingest usage "$W/bad.json"
expect_err "error: cannot parse '$W/bad.json' line "  # the file named once
expect_err ": text after the JSON document"
with_store "" expect_rc 3 ingest usage "$W/bad.json"
expect_err "text after the JSON document"
cp "$W/openai-page.lf.json" "$W/bad.json"
with_store "" expect_rc 0 ingest usage "$W/bad.json"
expect_out "1 accepted"
head -c 200 "$W/openai-page.lf.json" >"$W/cut.json"
with_store "" expect_rc 3 ingest usage --format openai "$W/cut.json"
expect_err "cannot parse '$W/cut.json' line "
expect_err "malformed JSON at byte"

# ---- a document rewritten in place: same inode, larger, same first 4 KiB ----
python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
def bucket(day):
    return {"object": "bucket", "start_time": 1730073600 + day * 86400, "end_time": 1730160000 + day * 86400,
            "results": [{"object": "organization.usage.completions.result", "input_tokens": 1000 + day,
                         "input_cached_tokens": 0, "output_tokens": 10 * day, "num_model_requests": 1,
                         "project_id": "proj_abc", "user_id": None, "api_key_id": None,
                         "model": "gpt-4o-mini-2024-07-18", "batch": None, "service_tier": None}]}
def page(n):
    return json.dumps({"object": "page", "data": [bucket(d) for d in range(n)], "has_more": False,
                       "next_page": None}, indent=2) + "\n"
open(w + "/grow.json", "w").write(page(40))
open(w + "/grow.new", "w").write(page(60))
open(w + "/grow.ref.jsonl", "w").write(json.dumps(json.loads(page(60))) + "\n")
PY
head -c 4096 "$W/grow.json" >"$T/h1"
head -c 4096 "$W/grow.new" >"$T/h2"
cmp -s "$T/h1" "$T/h2" && ok || bad "the grown page has the same first 4 KiB"
fresh grow
with_store grow expect_rc 0 ingest usage "$W/grow.json"
expect_out "40 accepted"
ino=$(stat -c %i "$W/grow.json")
python3 -c 'import sys; f=open(sys.argv[1], "r+b"); f.write(open(sys.argv[2], "rb").read()); f.close()' "$W/grow.json" "$W/grow.new"
expect_eq "$ino" "$(stat -c %i "$W/grow.json")" "rewritten in place"
with_store grow expect_rc 0 ingest usage "$W/grow.json"
expect_out "20 accepted, 40 duplicates, 0 rejected"
expect_err "JSON document changed; reading it again whole"
fresh "$T/ref.db"
"$LLMCOST" --db "$T/ref.db" ingest usage --format openai "$W/grow.ref.jsonl" >/dev/null 2>&1
expect_eq "$(totals "$T/ref.db")" "$(totals grow)" "the grown page: all 60 buckets, none twice"
with_store grow expect_rc 0 ingest usage "$W/grow.json"
expect_out "0 accepted, 0 duplicates"

# ---- the last line without a newline ----
# An API response log: a single saved response is complete at once.
fresh tail
head -n 1 "$U/openai/responses.jsonl" | tr -d '\n' >"$W/resp.json"
with_store tail expect_rc 0 ingest usage "$W/resp.json"
expect_out "1 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
# its newline then ends that line (no new line, nothing twice); a bad line
# after it is named by its real number
printf '\n{"id":"chatcmpl-x","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini","usage":{"prompt_tokens":-1,"completion_tokens":1}}\n' >>"$W/resp.json"
with_store tail expect_rc 0 ingest usage --format openai "$W/resp.json"
expect_out "0 accepted, 0 duplicates, 1 rejected"
expect_err "'$W/resp.json' line 2:"
# a response still being written (not one whole value) waits
fresh tail
head -n 1 "$U/openai/responses.jsonl" | head -c 150 >"$W/part.jsonl"
with_store tail expect_rc 0 ingest usage --format openai "$W/part.jsonl"
expect_out "0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 1 deferred"
head -n 1 "$U/openai/responses.jsonl" | tail -c +151 >>"$W/part.jsonl"
with_store tail expect_rc 0 ingest usage --format openai "$W/part.jsonl"
expect_out "1 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"

# A CSV export: its last row is read once the file is quiet (unchanged since
# the run that deferred it, or not modified for a minute).
fresh csv
fresh "$T/csvref.db"
sed -n '1,3p' "$U/csv/usage.csv" >"$W/ref.csv"
"$LLMCOST" --db "$T/csvref.db" ingest usage "$W/ref.csv" >/dev/null 2>&1
head -c -1 "$W/ref.csv" >"$W/exp.csv"
with_store csv expect_rc 0 ingest usage "$W/exp.csv"
expect_out "1 accepted, 0 duplicates, 0 rejected, 0 unpriced, 1 deferred"
with_store csv expect_rc 0 ingest usage "$W/exp.csv"
expect_out "1 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
expect_eq "$(totals "$T/csvref.db")" "$(totals csv)" "the export's last row is counted"
with_store csv expect_rc 0 ingest usage "$W/exp.csv"
expect_out "0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
# its newline comes later, then a row: only that row is new; a bad one is
# named by its real line
printf '\n2024-11-21T10:00:00Z,claude-3-5-haiku-20241022,-1,0,,,,,,,proj-a,s9,,,\n' >>"$W/exp.csv"
with_store csv expect_rc 0 ingest usage "$W/exp.csv"
expect_out "0 accepted, 0 duplicates, 1 rejected, 0 unpriced, 0 deferred"
expect_err "'$W/exp.csv' line 4:"
expect_eq "$(totals "$T/csvref.db")" "$(totals csv)" "nothing counted twice"
# an export saved a while ago is complete on the first run
fresh csv
head -c -1 "$W/ref.csv" >"$W/old.csv"
touch -d '-2 minutes' "$W/old.csv"
with_store csv expect_rc 0 ingest usage "$W/old.csv"
expect_out "2 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
expect_eq "$(totals "$T/csvref.db")" "$(totals csv)" "an old export is counted whole"

# Agent logs (Claude Code): a line still being written waits whatever the
# file's age; a whole last line is read once the file is quiet.
mkdir -p "$W/cc/projects/-p"
C="$W/cc/projects/-p/s.jsonl"
L='{"type":"assistant","cwd":"/x","sessionId":"s","timestamp":"2025-06-04T10:00:00Z","requestId":"req_L","message":{"id":"msg_L","model":"claude-sonnet-4-20250514","usage":{"input_tokens":1000,"output_tokens":0}}}'
L2='{"type":"assistant","cwd":"/x","sessionId":"s","timestamp":"2025-06-04T10:01:00Z","requestId":"req_M","message":{"id":"msg_M","model":"claude-sonnet-4-20250514","usage":{"input_tokens":1000,"output_tokens":0}}}'
fresh cc
printf '%s' "$L" | head -c 100 >"$C"
touch -d '-2 minutes' "$C"
for i in 1 2; do
	with_store cc expect_rc 0 ingest usage "$W/cc"
	expect_out "0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 1 deferred"
done
printf '%s' "$L" | tail -c +101 >>"$C"
with_store cc expect_rc 0 ingest usage "$W/cc"
expect_out "0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 1 deferred"
with_store cc expect_rc 0 ingest usage "$W/cc"
expect_out "1 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
printf '\n%s\n' "$L2" >>"$C"
with_store cc expect_rc 0 ingest usage "$W/cc"
expect_out "1 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
with_store cc expect_rc 0 usage --json
expect_eq 2 "$(json_get 'j["total"]["records"]')" "each line once"
for th in 0 1; do
	fresh cc$th
	printf '%s\n%s' "$L2" "$L" >"$C"
	touch -d '-2 minutes' "$C"
	LLMCOST_INGEST_THREADS=$th with_store cc$th expect_rc 0 ingest usage "$W/cc"
	expect_out "2 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
	printf '\n' >>"$C"
	LLMCOST_INGEST_THREADS=$th with_store cc$th expect_rc 0 ingest usage "$W/cc"
	expect_out "0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
done
expect_eq ok "$(with_store cc1 store_rollup_check)" "rollups in step"

# ---- what a scanned folder holds: links, special files, depth ----
# real logs live outside; the scanned folder reaches them through links
S="$W/scan"
R="$W/real"
mkdir -p "$S/projects/-own" "$R/-linked-proj" "$R/files"
cp "$U/claude/projects/-home-dev-src-webapp/sess-1.jsonl" "$R/-linked-proj/a.jsonl"
cp "$U/claude/projects/-home-dev-src-webapp/sess-2/main.jsonl" "$R/files/b.jsonl"
cp "$U/claude/projects/-home-dev-src-webapp/sess-2/subagents/agent-1.jsonl" "$S/projects/-own/c.jsonl"
ln -s "$R/-linked-proj" "$S/projects/-linked-proj"         # a link to a project folder
ln -s "$R/files/b.jsonl" "$S/projects/-own/b.jsonl"        # a link to a log file
ln -s "$R/files/b.jsonl" "$S/projects/-own/b-again.jsonl"  # the same file twice
ln "$S/projects/-own/c.jsonl" "$S/projects/-own/c-hard.jsonl" # a hard link: the same file
ln -s ../.. "$S/projects/-own/up"                          # a link back up: a loop
fresh "$T/ref.db"
"$LLMCOST" --db "$T/ref.db" ingest usage "$R/-linked-proj/a.jsonl" "$R/files/b.jsonl" "$S/projects/-own/c.jsonl" >/dev/null 2>&1
fresh scan
with_store scan expect_rc 0 ingest usage "$S"
expect_out "3 files:"
expect_err "'$S/projects/-own/b.jsonl': skipped: the same file as one already read through another path"
expect_err "'$S/projects/-own/c.jsonl': skipped: the same file as one already read through another path"
expect_err "'$S/projects/-own/up': skipped: a link back to a folder it is inside (a loop)"
expect_eq "$(totals "$T/ref.db")" "$(totals scan)" "linked folder and file read, each real file once"
with_store scan expect_rc 0 ingest usage "$S"
expect_out "3 files: 0 accepted, 0 duplicates"
# a link given as PATH is followed too
fresh scan
ln -s "$S" "$W/scan-link"
with_store scan expect_rc 0 ingest usage "$W/scan-link"
expect_eq "$(totals "$T/ref.db")" "$(totals scan)" "PATH itself a link"

# what cannot be read is named, with its reason; the rest goes in
B="$W/bad"
mkdir -p "$B"
cp "$R/files/b.jsonl" "$B/good.jsonl"
mkfifo "$B/fifo.jsonl" "$B/fifo"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$B/sock.jsonl"
ln -s loop-b "$B/loop-a"
ln -s loop-a "$B/loop-b"
ln -s "$W/nowhere" "$B/dangling.jsonl"
fresh bad
with_store bad timeout 60 "$LLMCOST" ingest usage "$B" >"$T/out" 2>"$T/err" </dev/null
rc=$?
expect_eq 3 "$rc" "a folder with unreadable entries: exit 3 (never blocks on a FIFO)"
expect_out "1 files: "
expect_err "'$B/fifo.jsonl': skipped: not a regular file (a FIFO)"
expect_err "'$B/fifo': skipped: not a regular file (a FIFO)"
expect_err "'$B/sock.jsonl': skipped: not a regular file (a socket)"
expect_err "'$B/loop-a': cannot follow symbolic link: Too many levels of symbolic links"
expect_err "'$B/loop-b': cannot follow symbolic link"
expect_err "'$B/dangling.jsonl': cannot follow symbolic link: No such file or directory"
expect_err "error: '$B/fifo.jsonl'"
expect_err "note: '$B/fifo'"
if [ "$(id -u)" != 0 ]; then
	cp "$R/files/b.jsonl" "$B/locked.jsonl"
	mkdir -p "$B/locked-dir"
	chmod 000 "$B/locked.jsonl" "$B/locked-dir"
	with_store bad expect_rc 3 ingest usage "$B"
	expect_err "'$B/locked.jsonl': cannot open: Permission denied"
	expect_err "'$B/locked-dir': cannot list: Permission denied"
	chmod 700 "$B/locked.jsonl" "$B/locked-dir"
fi
# more than five bad lines do not hide a file-level error
python3 -c 'import sys; sys.stdout.write("{bad\n" * 8)' >"$B/a-bad.jsonl"
with_store bad expect_rc 3 ingest usage --format openai "$B"
expect_err "'$B/fifo.jsonl': skipped"
expect_err "more bad lines not shown"

# deep folders: 40 levels are read (24 was the limit); past 128 the folder
# is named and the run says so (exit 3)
fresh deep
d="$W/deep"
for i in $(seq 1 40); do d="$d/d"; done
mkdir -p "$d"
cp "$R/files/b.jsonl" "$d/b.jsonl"
with_store deep expect_rc 0 ingest usage "$W/deep"
expect_out "1 files:"
d2="$W/deeper"
for i in $(seq 1 130); do d2="$d2/d"; done
mkdir -p "$d2"
cp "$R/files/b.jsonl" "$d2/b.jsonl"
with_store deep expect_rc 3 ingest usage "$W/deeper"
expect_err "skipped: folder nested more than 128 levels deep"
expect_out "0 files:"

# a path longer than the 4,095 bytes llmcost handles is named, not cut
python3 - "$W/long" "$R/files/b.jsonl" <<'PY'
import os, shutil, sys
os.makedirs(sys.argv[1])
os.chdir(sys.argv[1])
for i in range(20):
    os.mkdir("x" * 250)
    os.chdir("x" * 250)
shutil.copy(sys.argv[2], "b.jsonl")
PY
fresh deep
with_store deep expect_rc 3 ingest usage "$W/long"
expect_err "path longer than 4095 bytes"
expect_out "0 files:"
rm -rf "$W/long"

# ---- the store inside a scanned folder is never read ----
# (it was read as an llm logs.db: exit 3 on every run); a logs.db beside it is
H="$W/here"
mkdir -p "$H"
cp "$R/files/b.jsonl" "$H/b.jsonl"
python3 - "$H/logs.db" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.executescript("""
CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, resolved_model TEXT, prompt TEXT,
  response TEXT, conversation_id TEXT, duration_ms INTEGER, datetime_utc TEXT,
  input_tokens INTEGER, output_tokens INTEGER, token_details TEXT);
INSERT INTO responses VALUES ('r1','gpt-4o-mini',NULL,'p','r','c1',5,
  '2025-02-16T22:34:30+00:00',2000,1000,NULL);
""")
d.commit()
PY
for i in 1 2; do
	(cd "$H" && "$LLMCOST" --db llmcost.db ingest usage . >"$T/out" 2>"$T/err")
	expect_eq 0 "$?" "ingest usage . with the store in . (run $i)"
	expect_err "'./llmcost.db': skipped: this is llmcost's own store (--db)"
	if grep -q "llmcost.db-" "$T/err"; then bad "the store's side files are named: $(cat "$T/err")"; else ok; fi
done
expect_out "2 files: 0 accepted"
fresh "$T/ref.db"
"$LLMCOST" --db "$T/ref.db" ingest usage "$H/b.jsonl" "$H/logs.db" >/dev/null 2>&1
expect_eq "$(totals "$T/ref.db")" "$(totals "$H/llmcost.db")" "the logs.db row and b.jsonl's records, once"
# under another name: a link, a hard link, the -wal given by name, LLMCOST_DB
ln -s llmcost.db "$H/alias.db"
ln "$H/llmcost.db" "$H/hard.sqlite"
expect_rc 0 --db "$H/llmcost.db" ingest usage "$H"
expect_err "'$H/alias.db': skipped: this is llmcost's own store"
expect_err "'$H/hard.sqlite': skipped: this is llmcost's own store"
expect_err "'$H/llmcost.db': skipped: this is llmcost's own store"
expect_rc 0 --db "$H/llmcost.db" ingest usage --format llm "$H/llmcost.db-wal"
expect_err "skipped: this is llmcost's own store"
LLMCOST_DB="$H/alias.db" expect_rc 0 ingest usage "$H"
expect_out "2 files: 0 accepted"

done_testing

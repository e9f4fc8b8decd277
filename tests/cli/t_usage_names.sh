# Long names and ids in usage logs (#13 item 6): a project or session name
# (a Claude Code cwd is a whole path) is kept whole up to 4095 bytes, never
# cut (a cut could split a UTF-8 character and makes `usage --project NAME`
# find nothing) and refused beyond, naming the file, line and field; a
# `--project NAME` is checked before anything is read; ids longer than a
# natural key are keyed by their SHA-256, so distinct long ids never merge.
. "$TOP/tests/cli/lib.sh"
# name N PREFIX: PREFIX padded with 'd' to byte 254, a 3-byte U+20AC that
# straddles byte 255, then 'x' up to N bytes
name() { python3 -c 'import sys
n, p = int(sys.argv[1]), sys.argv[2]
s = p + "d" * (254 - len(p)) + "\u20ac"
s = s.encode()
s += b"x" * (n - len(s))
sys.stdout.write(s.decode())' "$@"; }
records() { json_get 'j["total"]["records"]'; }
# names compared by their SHA-256 and length (a failure message stays short)
fp() { python3 -c 'import hashlib, sys
print(" ".join("%d:%s" % (len(a.encode()), hashlib.sha256(a.encode()).hexdigest()[:12]) for a in sys.argv[1:]))' "$@"; }
keys() { json_get '" ".join("%d:%s" % (len(r["key"].encode()), __import__("hashlib").sha256(r["key"].encode()).hexdigest()[:12]) for r in j["rows"])'; }
CWD="$(name 300 /home/dev/)/webapp-long"
SESS="$(name 290 s)"
ID1="msg_$(python3 -c 'print("a" * 600)')1"
ID2="msg_$(python3 -c 'print("a" * 600)')2"
line() { # line CWD SESSION ID TIMESTAMP
	printf '{"cwd":"%s","sessionId":"%s","type":"assistant","timestamp":"%s","requestId":"req_1","message":{"id":"%s","model":"claude-sonnet-4-20250514","usage":{"input_tokens":1000000,"output_tokens":0}}}\n' "$1" "$2" "$4" "$3"
}
mkdir -p "$T/cc"
{
	line "$CWD" "$SESS" "$ID1" 2025-06-02T10:00:00Z
	line "$CWD" "$SESS" "$ID2" 2025-06-02T10:01:00Z
	line "$(name 4096 /home/dev/)" "$SESS" msg_3 2025-06-02T10:02:00Z
	line "$(name 4095 /home/dev/)" "$(name 4095 s)" msg_4 2025-06-02T10:03:00Z
} >"$T/cc/s.jsonl"
for threads in 0 1; do
	store_reset
	LLMCOST_INGEST_THREADS=$threads expect_rc 0 ingest usage --format claude "$T/cc/s.jsonl"
	expect_out "3 accepted, 0 duplicates, 1 rejected"
	expect_err "'$T/cc/s.jsonl' line 3: \"cwd\" is too long (4096 bytes; at most 4095 are kept)"
	# ids that differ after byte 600 are two records; the names are whole
	expect_rc 0 usage project --json
	expect_eq "$(fp "$CWD" "$(name 4095 /home/dev/)")" "$(keys)" "projects kept whole (threads $threads)"
	expect_rc 0 usage session --json
	expect_eq "$(fp "$SESS" "$(name 4095 s)")" "$(keys)" "sessions kept whole (threads $threads)"
	expect_rc 0 usage --json --project "$CWD"
	expect_eq 2 "$(records)" "usage --project with the whole cwd"
	expect_rc 0 usage --json --project webapp-long
	expect_eq 2 "$(records)" "usage --project with the cwd's last component"
	expect_eq ok "$(store_rollup_check)"
done
# the same lines again, from another file: long ids give the same keys
cp "$T/cc/s.jsonl" "$T/cc/copy.jsonl"
expect_rc 0 ingest usage --format claude "$T/cc/copy.jsonl"
expect_out "0 accepted, 3 duplicates, 1 rejected"

# ingest usage --project NAME keeps NAME whole, and usage --project finds it
P="$(name 307 team-)"
cat >"$T/u.csv" <<CSV
timestamp,model,input_tokens,output_tokens,session
2025-06-02T10:00:00Z,gpt-4o,1000000,0,$(name 3000 s)1
2025-06-02T10:00:00Z,gpt-4o,1000000,0,$(name 3000 s)2
CSV
store_reset
expect_rc 0 ingest usage --project "$P" "$T/u.csv"
expect_out "2 accepted" # rows that differ only after byte 3000 of a name
expect_rc 0 usage --json --project "$P"
expect_eq 2 "$(records)" "usage --project with a 307-byte name"
expect_rc 0 usage project --json
expect_eq "$(fp "$P")" "$(keys)"
# budgets on a long project name see its spend (gpt-4o: $2.50 per M input)
expect_rc 0 budget set --project "$P" --monthly 100
LLMCOST_NOW=2025-06-20 expect_rc 0 budget status --json
expect_eq "$(fp "$P") 5" "$(json_get '" ".join("%d:%s %s" % (len(r["scope"].encode()), __import__("hashlib").sha256(r["scope"].encode()).hexdigest()[:12], r["month_to_date"]) for r in j)')"
# a scope stored longer than today's limit (an older llmcost took any) is
# still shown whole (a row written into SQLite's table by hand)
if store_is_sqlite; then
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO budgets(scope, monthly, updated_at) VALUES (?, 1000000000, ?)", ("q" * 5000, "2025-06-01T00:00:00.000Z"))
c.commit()' "$LLMCOST_DB"
LLMCOST_NOW=2025-06-20 expect_rc 0 budget status --json
expect_eq "307 5000" "$(json_get '" ".join(sorted(str(len(r["scope"].encode())) for r in j))')"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DELETE FROM budgets WHERE length(scope) = 5000")
c.commit()' "$LLMCOST_DB"
fi
# too long or not UTF-8: refused before anything is read or written
expect_rc 2 ingest usage --project "$(name 4096 team-)" "$T/u.csv"
expect_err "\"--project\" is too long (4096 bytes; at most 4095 are kept)"
expect_rc 2 ingest usage --project "$(printf 'team-\377')" "$T/u.csv"
expect_err "\"--project\" has invalid UTF-8"
expect_rc 2 budget set --project "$(name 4096 team-)" --monthly 1
expect_rc 0 usage --json
expect_eq 2 "$(records)" "nothing written by the refused runs"

# a long request_id is a key, not a rejection
LONGREQ="req_$(python3 -c 'print("r" * 700)')"
printf 'timestamp,model,input_tokens,output_tokens,request_id\n2025-06-03T10:00:00Z,gpt-4o,10,0,%sA\n2025-06-03T10:00:00Z,gpt-4o,10,0,%sB\n2025-06-03T10:00:00Z,gpt-4o,10,0,%sA\n' \
	"$LONGREQ" "$LONGREQ" "$LONGREQ" >"$T/r.csv"
expect_rc 0 ingest usage "$T/r.csv"
expect_out "2 accepted, 1 duplicates, 0 rejected"

# Codex: a long cwd and session id survive the resume state between runs
CXD="$HOME/.codex/sessions/2025/09/10"
mkdir -p "$CXD"
CXCWD="$(name 3000 /home/dev/)/api"
CXS="$(name 1000 cx-)"
cat >"$CXD/rollout-long.jsonl" <<JL
{"timestamp":"2025-09-10T09:00:00.000Z","type":"session_meta","payload":{"id":"$CXS","cwd":"$CXCWD"}}
{"timestamp":"2025-09-10T09:00:01.000Z","type":"turn_context","payload":{"cwd":"$CXCWD","model":"gpt-5"}}
{"timestamp":"2025-09-10T09:01:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1000,"cached_input_tokens":0,"output_tokens":500,"reasoning_output_tokens":0,"total_tokens":1500}}}}
JL
store_reset
expect_rc 0 ingest usage "$CXD/rollout-long.jsonl"
expect_out "1 accepted"
echo '{"timestamp":"2025-09-10T09:02:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":3000,"cached_input_tokens":0,"output_tokens":700,"reasoning_output_tokens":0,"total_tokens":3700}}}}' >>"$CXD/rollout-long.jsonl"
expect_rc 0 ingest usage "$CXD/rollout-long.jsonl"
expect_out "1 accepted"
expect_rc 0 usage project --json
expect_eq "$(fp "$CXCWD") 2 3000" "$(keys) $(json_get '"|".join("%s %s" % (r["records"], r["input_tokens"]) for r in j["rows"])')"
expect_rc 0 usage session --json
expect_eq "$(fp "$CXS")" "$(keys)"

# OpenAI usage buckets whose group keys differ only after byte 512 are two
# buckets; the same page again replaces nothing and adds nothing
K="key_$(python3 -c 'print("k" * 600)')"
R='{"object":"organization.usage.completions.result","model":"gpt-4o-2024-08-06","input_tokens":1000000,"output_tokens":0,"num_model_requests":1,"api_key_id":'
printf '{"object":"page","data":[{"object":"bucket","start_time":1748822400,"end_time":1748908800,"results":[%s"%s1"},%s"%s2"}]}]}\n' \
	"$R" "$K" "$R" "$K" >"$T/page.jsonl"
store_reset
expect_rc 0 ingest usage --format openai "$T/page.jsonl"
expect_out "2 accepted"
cp "$T/page.jsonl" "$T/page2.jsonl"
expect_rc 0 ingest usage --format openai "$T/page2.jsonl"
expect_out "0 accepted, 2 duplicates"
expect_rc 0 usage --json
expect_eq "2 5" "$(json_get '"%s %s" % (j["total"]["records"], j["total"]["cost"])')"

# ---- a Claude message.id with a multi-byte character (found by fuzz_usage_claude) ----
# the group is stored as its length in bytes; the duplicate lookup once
# compared it with substr() in characters, so the same response read from
# two paths was counted twice
store_reset
mkdir -p "$T/u8"
printf '%s\n' '{"type":"assistant","timestamp":"2025-09-01T10:00:00Z","requestId":"req_1","sessionId":"s","cwd":"/x","message":{"id":"msg_€1","model":"claude-sonnet-4-20250514","usage":{"input_tokens":10,"output_tokens":5}}}' >"$T/u8/a.jsonl"
cp "$T/u8/a.jsonl" "$T/u8/b.jsonl"
expect_rc 0 ingest usage "$T/u8/a.jsonl"
expect_out "1 accepted, 0 duplicates"
expect_rc 0 ingest usage "$T/u8/b.jsonl"
expect_out "0 accepted, 1 duplicates"
expect_rc 0 usage --json
expect_eq 1 "$(json_get 'j["total"]["records"]')" "one record for one response"
done_testing

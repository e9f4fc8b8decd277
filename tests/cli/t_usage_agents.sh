# llmcost ingest usage for the coding agents: Gemini CLI, Qwen Code,
# OpenCode and Amp, from hand-written fixtures (tests/fixtures/usage/<agent>).
# Exact tokens and costs per agent (worked out below from data/prices.csv),
# bad records named by file, line and field, idempotent re-reads, natural
# keys that ignore file names, auto-detection, and the default folders
# (the env var per agent, else the place under $HOME).
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
cost() { json_get 'j["total"]["cost"]'; }
toks() { json_get '" ".join(str(j["total"][k]) for k in ("input_tokens","output_tokens","cache_read_tokens","cache_write_tokens","reasoning_tokens","records"))'; }
keys() { json_get '"|".join("%s %s" % (r["key"], r["cost"]) for r in j["rows"])'; }
fresh() { store_reset; }

# ---- Gemini CLI ----
# 2025-09-15; flash $0.30 in, $2.50 out, $0.075 cached; pro $1.25 / $10
# m-gem-1 flash: input 12000 of which 8000 cached, output 800 + thoughts 400:
#   4000x0.30 + 8000x0.075 + 1200x2.50 = 1200 + 600 + 3000  -> $0.0048
# m-gem-2 pro: 20000 + tool 100 in, 1000 + 500 thoughts out:
#   20100x1.25 + 1500x10 = 25125 + 15000                    -> $0.040125
# m-gem-3 flash, total 1300 = input + output: thoughts inside the output:
#   1000x0.30 + 300x2.50 = 300 + 750                         -> $0.00105
# j-1 flash (JSON Lines, the second copy replaces the first): 500x0.30 + 200x2.50
#                                                            -> $0.00065
# m-gem-4 all zero: nothing; m-gem-5 bad; m-gem-6 unknown model (unpriced)
expect_rc 0 ingest usage "$U/gemini-cli"
expect_out "2 files: 5 accepted, 1 duplicates, 1 rejected, 1 unpriced, 0 deferred"
expect_out "unpriced: gemini-9-ultra (1 records, unknown model)"
expect_err "session-2025-09-15T10-00-3f0c.json' line 1: messages[5]: \"tokens.output\" is negative or not finite"
expect_rc 0 usage model --json
expect_eq "0.046625" "$(cost)"
expect_eq "25700 3210 8000 0 1000 5" "$(toks)"
expect_eq "gemini-2.5-pro 0.040125|gemini-2.5-flash 0.0065|gemini-9-ultra None" "$(keys)"
# the project is the folder above chats/, the session the recording's id
# (JSON Lines without a sessionId: the file's name)
expect_rc 0 usage project --json
expect_eq "webapp 0.045975|scratch 0.00065" "$(keys)"
expect_rc 0 usage session --json
expect_eq "3f0c6a2e-gem-1 0.045975|session-b 0.00065" "$(keys)"
# re-ingest reads nothing new; a copy under another name adds nothing
expect_rc 0 ingest usage "$U/gemini-cli"
expect_out "2 files: 0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
mkdir -p "$T/copy/elsewhere/chats"
cp "$U/gemini-cli/tmp/webapp/chats/session-2025-09-15T10-00-3f0c.json" "$T/copy/elsewhere/chats/renamed.json"
expect_rc 0 ingest usage "$T/copy"
# (on the team store the server finds the copies: the summary takes back
# the unpriced record the staging area had counted)
expect_out "1 files: 0 accepted, 4 duplicates, 1 rejected, 0 unpriced, 0 deferred"
expect_rc 0 usage --json
expect_eq "0.046625" "$(cost)"
# a recording that grows (rewritten whole): the new message is read, the old kept once
python3 - "$T/copy/elsewhere/chats/renamed.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["messages"].append({"id": "m-gem-7", "timestamp": "2025-09-15T10:10:00.000Z", "type": "gemini",
                      "tokens": {"input": 2000, "output": 100, "cached": 0, "thoughts": 0, "tool": 0,
                                 "total": 2100}, "model": "gemini-2.5-flash"})
json.dump(d, open(p, "w"), indent=2)
PY
expect_rc 0 ingest usage "$T/copy"
expect_out "1 accepted"
# + 2000x0.30 + 100x2.50 = 600 + 250 -> $0.00085
expect_rc 0 usage --json
expect_eq "0.047475" "$(cost)"

# ---- Qwen Code ----
# 2025-09-16; qwen-max $1.60 / $6.40: qu-2 5000x1.60 + 600x6.40 -> $0.01184
# qu-6 flash, total 2500 = prompt + candidates: thoughts inside the output:
#   2000x0.30 + 500x2.50                                        -> $0.00185
# qu-3 unpriced; qu-2 again a duplicate; qu-4 and qu-5 bad; user/tool lines skipped
fresh
expect_rc 0 ingest usage "$U/qwen"
expect_out "1 files: 3 accepted, 1 duplicates, 2 rejected, 1 unpriced, 0 deferred"
expect_err "q1-sess.jsonl' line 5: \"usageMetadata.promptTokenCount\" is not a number"
expect_err "q1-sess.jsonl' line 6: \"usageMetadata.cachedContentTokenCount\" (20) exceeds \"usageMetadata.promptTokenCount\" (10)"
expect_rc 0 usage model --json
expect_eq "0.01369" "$(cost)"
expect_eq "7100 1110 0 0 200 3" "$(toks)"
expect_eq "qwen-max-2025-01-25 0.01184|gemini-2.5-flash 0.00185|qwen3-coder-plus None" "$(keys)"
expect_rc 0 usage project --json
expect_eq "/home/dev/api 0.01369" "$(keys)"
expect_rc 0 ingest usage "$U/qwen"
expect_out "1 files: 0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
# --strict stops at the first bad line (exit 3), naming it
fresh
expect_rc 3 ingest usage --strict "$U/qwen"
expect_err "q1-sess.jsonl' line 5: \"usageMetadata.promptTokenCount\" is not a number"

# ---- OpenCode ----
# 2025-09-15; sonnet-4 $3 / $15, $0.30 cache read, $3.75 cache write:
#   msg_02: 1200x3 + 300x15 + 20000x0.30 + 3000x3.75 = 3600+4500+6000+11250 -> $0.02535
# gpt-5 $1.25 / $10, $0.125 cached:
#   msg_03: total 6500 = 4000+900+1000+600: reasoning outside the output:
#           4000x1.25 + 1500x10 + 1000x0.125 = 5000+15000+125     -> $0.020125
#   msg_04: total 1500 = 1000+500: reasoning inside: 1000x1.25 + 500x10 -> $0.00625
# msg_05 all zero (still being written): nothing; msg_06 bad; msg_07 unpriced
fresh
expect_rc 0 ingest usage "$U/opencode"
expect_out "7 files: 4 accepted, 0 duplicates, 1 rejected, 1 unpriced, 0 deferred"
expect_err "msg_06.json' line 1: \"time.created\" is not a unix time in milliseconds"
expect_rc 0 usage model --json
expect_eq "0.051725" "$(cost)"
expect_eq "6500 2340 21000 3000 800 4" "$(toks)"
expect_eq "gpt-5 0.026375|claude-sonnet-4-20250514 0.02535|big-pickle None" "$(keys)"
expect_rc 0 usage project --json
expect_eq "/home/dev/webapp 0.051725|/home/dev/notes None" "$(keys)"
expect_rc 0 ingest usage "$U/opencode"
expect_out "7 files: 0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"

# ---- Amp ----
# 2025-09-17; sonnet-4: message 1: 10x3 + 178x15 + 986x3.75 + 11372x0.30
#   = 30 + 2670 + 3697.5 + 3411.6                                  -> $0.0098091
# message 3: totalInputTokens = inputTokens: the input held both cache buckets:
#   5x3 + 42x15 + 400x3.75 + 12000x0.30 = 15 + 630 + 1500 + 3600   -> $0.005745
# message 4: bad
fresh
expect_rc 0 ingest usage "$U/amp"
expect_out "1 files: 2 accepted, 0 duplicates, 1 rejected, 0 unpriced, 0 deferred"
expect_err "T-5b1e0c7a-amp1.json' line 1: messages[4]: \"usage.outputTokens\" is not a whole number"
expect_rc 0 usage --json
expect_eq "0.0155541" "$(cost)"
expect_eq "15 220 23372 1386 0 2" "$(toks)"
expect_rc 0 usage session --json
expect_eq "T-5b1e0c7a-amp1 0.0155541" "$(keys)"
expect_rc 0 ingest usage "$U/amp"
expect_out "1 files: 0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"

# ---- what is stored: format, natural key, time, logged cost ----
recs() {
	if ! store_is_sqlite; then
		# the same columns from the team store's records (ts from ts_ms)
		store_sql "SELECT format, natural_key, to_char(to_timestamp(ts_ms / 1000) AT TIME ZONE 'UTC',
			'YYYY-MM-DD\"T\"HH24:MI:SS.') || lpad((ts_ms % 1000)::text, 3, '0') || 'Z',
			model_raw, session, coalesce(reported_cost::text, 'None'), input, cache_read, output,
			reasoning FROM usage_calls WHERE format = '$1' ORDER BY natural_key COLLATE \"C\"" |
			tr '|' ' '
		return
	fi
	python3 - "$LLMCOST_DB" "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for r in c.execute("SELECT format, natural_key, ts, model_raw, session, reported_cost, input, "
                   "cache_read, output, reasoning FROM usage_records WHERE format = ? "
                   "ORDER BY natural_key", (sys.argv[2],)):
    print(" ".join(str(x) for x in r))
PY
}
fresh
expect_rc 0 ingest usage "$U/opencode" "$U/gemini-cli/tmp/webapp"
expect_eq "opencode opencode:msg_02 2025-09-15T10:00:00.000Z claude-sonnet-4-20250514 ses_a1 25350000 1200 20000 300 0
opencode opencode:msg_03 2025-09-15T10:01:40.000Z gpt-5 ses_a1 None 4000 1000 1500 600
opencode opencode:msg_04 2025-09-15T10:03:20.000Z gpt-5 ses_a1 None 1000 0 500 200
opencode opencode:msg_07 2025-09-15T11:00:00.000Z big-pickle ses_b2 None 300 0 40 0" "$(recs opencode)"
expect_eq "gemini-cli gcli:3f0c6a2e-gem-1:m-gem-1 2025-09-15T10:00:09.000Z gemini-2.5-flash 3f0c6a2e-gem-1 None 4000 8000 1200 400
gemini-cli gcli:3f0c6a2e-gem-1:m-gem-2 2025-09-15T10:03:00.000Z gemini-2.5-pro 3f0c6a2e-gem-1 None 20100 0 1500 500
gemini-cli gcli:3f0c6a2e-gem-1:m-gem-3 2025-09-15T10:05:00.000Z gemini-2.5-flash 3f0c6a2e-gem-1 None 1000 0 300 100
gemini-cli gcli:3f0c6a2e-gem-1:m-gem-6 2025-09-15T10:08:00.000Z gemini-9-ultra 3f0c6a2e-gem-1 None 100 0 10 0" "$(recs gemini-cli)"

# ---- edge rules: a Gemini CLI message without a time takes the recording's
# start, one without a model is unpriced, a total that fits no rule is a
# warning; OpenCode without a total: reasoning larger than the output is
# outside it ----
fresh
mkdir -p "$T/edge/p/chats"
cat >"$T/edge/p/chats/s.json" <<'J'
{"sessionId": "edge", "startTime": "2025-09-20T07:00:00.000Z", "messages": [
 {"id": "a", "type": "gemini", "model": "gemini-2.5-flash", "tokens": {"input": 1000, "output": 100}},
 {"id": "b", "type": "gemini", "timestamp": "2025-09-20T08:00:00Z", "tokens": {"input": 10, "output": 1}},
 {"id": "c", "type": "gemini", "timestamp": "2025-09-20T09:00:00Z", "model": "gemini-2.5-flash",
  "tokens": {"input": 10, "output": 1, "thoughts": 1, "total": 99}}]}
J
expect_rc 0 ingest usage --verbose --format gemini-cli "$T/edge"
expect_out "1 files: 3 accepted, 0 duplicates, 0 rejected, 1 unpriced, 0 deferred"
expect_out "unpriced: (none) (1 records, no model in the log)"
expect_err "line 1: \"tokens.total\" (99) is not the sum of the other counts (12)"
expect_eq "gemini-cli gcli:edge:a 2025-09-20T07:00:00.000Z gemini-2.5-flash edge None 1000 0 100 0
gemini-cli gcli:edge:b 2025-09-20T08:00:00.000Z  edge None 10 0 1 0
gemini-cli gcli:edge:c 2025-09-20T09:00:00.000Z gemini-2.5-flash edge None 10 0 2 1" "$(recs gemini-cli)"
printf '%s\n' '{"id":"o1","role":"assistant","time":{"created":1757930400000},"modelID":"gpt-5","tokens":{"input":10,"output":5,"reasoning":8}}' \
	'{"id":"o2","role":"assistant","time":{"created":1757930400000},"modelID":"gpt-5","tokens":{"input":10,"output":9,"reasoning":8}}' >"$T/edge/oc.jsonl"
expect_rc 0 ingest usage --format opencode "$T/edge/oc.jsonl"
expect_eq "opencode opencode:o1 2025-09-15T10:00:00.000Z gpt-5 oc None 10 0 13 8
opencode opencode:o2 2025-09-15T10:00:00.000Z gpt-5 oc None 10 0 9 8" "$(recs opencode)"

# ---- --format names each agent; a forced format reads the file whatever its content ----
fresh
expect_rc 0 ingest usage --format opencode "$U/opencode/storage/message/ses_a1/msg_02.json"
expect_out "1 files: 1 accepted"
expect_rc 0 ingest usage --format qwen-code "$U/opencode/storage/message/ses_a1/msg_03.json"
expect_out "1 files: 0 accepted"
expect_rc 0 ingest usage --format gemini-cli "$U/gemini-cli/tmp/scratch/chats/session-b.jsonl"
expect_out "1 files: 1 accepted"
expect_rc 0 ingest usage --format amp "$U/amp/threads/T-5b1e0c7a-amp1.json"
expect_out "1 files: 2 accepted"

# ---- detection: a Claude Code log that mentions usageMetadata stays Claude Code's ----
fresh
printf '%s\n' '{"type":"user","parentUuid":null,"isSidechain":false,"sessionId":"c1","timestamp":"2025-09-15T10:00:00.000Z","cwd":"/x","message":{"role":"user","content":"x"},"toolUseResult":{"usageMetadata":{"promptTokenCount":1}}}' \
	'{"type":"assistant","parentUuid":"u1","isSidechain":false,"sessionId":"c1","timestamp":"2025-09-15T10:00:01.000Z","cwd":"/x","message":{"id":"msg_1","model":"claude-sonnet-4-20250514","usage":{"input_tokens":10,"output_tokens":5}}}' >"$T/claude.jsonl"
expect_rc 0 ingest usage "$T/claude.jsonl"
expect_out "1 files: 1 accepted"
expect_eq "claude-code" "$(store_sql "SELECT format FROM $STORE_RECORDS")"

# ---- the default folders ----
# all four agents: 0.046625 + 0.01369 + 0.051725 + 0.0155541 = 0.1275941
all=0.1275941
# 1. an env var per agent (a comma list; missing entries are skipped)
fresh
GEMINI_DATA_DIR="$T/none, $U/gemini-cli/tmp" QWEN_DATA_DIR="$U/qwen" OPENCODE_DATA_DIR="$U/opencode" \
	AMP_DATA_DIR="$U/amp" expect_rc 0 ingest usage
expect_out "11 files: 14 accepted"
expect_rc 0 usage --json
expect_eq "$all" "$(cost)"
# 2. under $HOME: ~/.gemini/tmp, ~/.qwen, ~/.local/share/{opencode,amp}; only the
#    folders that hold usage are read (a checkpoint next to chats/ is not)
fresh
mkdir -p "$HOME/.gemini" "$HOME/.qwen" "$HOME/.local/share/opencode/storage" "$HOME/.local/share/amp"
cp -r "$U/gemini-cli/tmp" "$HOME/.gemini/"
printf '{"not": "a recording"' >"$HOME/.gemini/tmp/webapp/checkpoint-x.json"
cp -r "$U/qwen/projects" "$HOME/.qwen/"
cp -r "$U/opencode/storage/message" "$HOME/.local/share/opencode/storage/"
cp -r "$U/amp/threads" "$HOME/.local/share/amp/"
expect_rc 0 ingest usage
expect_out "11 files: 14 accepted"
expect_rc 0 usage --json
expect_eq "$all" "$(cost)"
expect_rc 0 ingest usage
expect_out "11 files: 0 accepted"
# 3. XDG_DATA_HOME moves OpenCode's and Amp's folders; an env var overrides $HOME
fresh
mkdir -p "$T/xdg"
mv "$HOME/.local/share/opencode" "$HOME/.local/share/amp" "$T/xdg/"
XDG_DATA_HOME="$T/xdg" GEMINI_DATA_DIR="$T/none" expect_rc 0 ingest usage
expect_out "9 files: 9 accepted"
expect_rc 0 usage --json
# all but Gemini CLI: 0.01369 + 0.051725 + 0.0155541
expect_eq "0.0809691" "$(cost)"
# a forced --format reads only its own agent's default folders
fresh
XDG_DATA_HOME="$T/xdg" expect_rc 0 ingest usage --format amp
expect_out "1 files: 2 accepted"

done_testing

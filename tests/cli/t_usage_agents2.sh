# llmcost ingest usage for more coding agents (#17): GitHub Copilot CLI's
# OpenTelemetry export, the usageLedger of older Amp threads, from
# hand-written fixtures (tests/fixtures/usage/{copilot,amp-ledger}), and
# OpenCode's SQLite store, made here from SQL.  Exact tokens and costs (worked out below
# from data/prices.csv), each model call counted once however many records
# repeat it, bad records named by file, line and field, idempotent
# re-reads, auto-detection and the default places.
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
cost() { json_get 'j["total"]["cost"]'; }
toks() { json_get '" ".join(str(j["total"][k]) for k in ("input_tokens","output_tokens","cache_read_tokens","cache_write_tokens","reasoning_tokens","records"))'; }
keys() { json_get '"|".join("%s %s" % (r["key"], r["cost"]) for r in j["rows"])'; }
fresh() { store_reset; }
CP="$U/copilot/otel/copilot-otel-20260411-190000.jsonl"

# ---- GitHub Copilot CLI (OpenTelemetry JSON Lines) ----
# 2026-04-11.  claude-sonnet-4 $3 in, $15 out, $0.30 cache read, $3.75 write;
# gpt-5-mini $0.25 / $2 / $0.025; gpt-4.1 $2 / $8.  Input counts both caches.
# resp-A (an inference event, then its chat span: one call), claude-sonnet-4:
#   20000 in = 3000 + 15000 read + 2000 written, 300 out:
#   3000x3 + 15000x0.30 + 2000x3.75 + 300x15 = 9000+4500+7500+4500 -> $0.0255
# span-B gpt-5-mini (no response id): 10000 in = 6000 + 4000 read; 2000 out
#   holding 1500 reasoning: 6000x0.25 + 4000x0.025 + 2000x2 = 1500+100+4000
#                                                             -> $0.0056
# the invoke_agent span and the agent.turn event repeat these: not read
# resp-C gpt-4.1 (2026-04-12, session.id conv-2): 1000x2 + 100x8 -> $0.0028
# line 8 a negative count, line 9 only a total, line 11 no model: rejected;
# line 10 all zero: nothing
expect_rc 0 ingest usage "$U/copilot"
expect_out "1 files: 3 accepted, 1 duplicates, 3 rejected, 0 unpriced, 0 deferred"
expect_err "copilot-otel-20260411-190000.jsonl' line 8: \"gen_ai.usage.output_tokens\" is negative or not finite"
expect_err "line 9: only \"gen_ai.usage.total_tokens\" (567): no input and output counts"
expect_err "line 11: missing \"gen_ai.response.model\""
expect_rc 0 usage --json
expect_eq "0.0339" "$(cost)"
expect_eq "10000 2400 19000 2000 1500 3" "$(toks)"
expect_eq "2026-04-11 0.0311|2026-04-12 0.0028" "$(keys)"
expect_rc 0 usage session --json
expect_eq "conv-1 0.0311|conv-2 0.0028" "$(keys)"
expect_rc 0 usage model --json
expect_eq "claude-sonnet-4-20250514 0.0255|gpt-5-mini 0.0056|gpt-4.1 0.0028" "$(keys)"
# the times are the spans' ends (19:04:24Z, 13:20:00Z the next day): at +14:00
# both move a day on
expect_rc 0 usage --json --tz Pacific/Kiritimati
expect_eq "2026-04-12 0.0311|2026-04-13 0.0028" "$(keys)"
# re-ingest reads nothing; a copy under another name adds nothing (keys are
# the response id, else the trace and span, never the file)
expect_rc 0 ingest usage "$U/copilot"
expect_out "1 files: 0 accepted, 0 duplicates, 0 rejected"
mkdir -p "$T/copy"
cp "$CP" "$T/copy/renamed.jsonl"
expect_rc 0 ingest usage "$T/copy/renamed.jsonl"
expect_out "1 files: 0 accepted, 4 duplicates, 3 rejected"
# a file with only the inference events still counts each call once, and a
# chat span read later adds nothing
fresh
grep '"event.name":"gen_ai.client.inference' "$CP" >"$T/events.jsonl"
expect_rc 0 ingest usage --format copilot "$T/events.jsonl"
expect_out "1 accepted"
expect_rc 0 ingest usage "$CP"
expect_out "2 accepted, 2 duplicates"
expect_rc 0 usage --json
expect_eq "0.0339" "$(cost)"
# --format copilot is accepted, and the detection needs no path
fresh
expect_rc 0 ingest usage --format copilot "$T/copy/renamed.jsonl"
expect_out "3 accepted"

# ---- Copilot's default places ----
# ~/.copilot/otel; COPILOT_HOME (a comma list) instead; the file
# COPILOT_OTEL_FILE_EXPORTER_PATH names, wherever it is
fresh
mkdir -p "$HOME/.copilot/otel" "$HOME/.copilot/session-state"
cp "$CP" "$HOME/.copilot/otel/"
printf '{"not": "usage"}\n' >"$HOME/.copilot/session-state/x.jsonl"
expect_rc 0 ingest usage
expect_out "1 files: 3 accepted"
expect_rc 0 usage --json
expect_eq "0.0339" "$(cost)"
fresh
mkdir -p "$T/ch/otel"
cp "$CP" "$T/ch/otel/a.jsonl"
COPILOT_HOME="$T/none, $T/ch" expect_rc 0 ingest usage
expect_out "1 files: 3 accepted"
fresh
sed -n 7p "$CP" >"$T/export.jsonl"
COPILOT_HOME="$T/none" COPILOT_OTEL_FILE_EXPORTER_PATH="$T/export.jsonl" expect_rc 0 ingest usage
expect_out "1 files: 1 accepted"
expect_rc 0 usage --json
expect_eq "0.0028" "$(cost)"
# a forced --format of another agent does not read Copilot's
fresh
COPILOT_OTEL_FILE_EXPORTER_PATH="$T/export.jsonl" expect_rc 0 ingest usage --format amp
expect_no_out "1 accepted"

# ---- Amp: older threads with only a usageLedger ----
# claude-sonnet-4 on 2025-06-10: $3 in, $15 out, $0.30 read, $3.75 write;
# claude-3-5-haiku $0.80 / $4.  Input is uncached, as in the messages' usage.
# ev-1: 1000x3 + 500x15 + 20000x0.30 + 2000x3.75 = 3000+7500+6000+7500 -> $0.024
# ev-2 haiku: 200x0.80 + 100x4 = 160 + 400                          -> $0.00056
# ev-3 only a total, events[3] a negative count: rejected alone
# the event to message 9 (no id, 2025-06-11): 100x3 + 10x15          -> $0.00045
L="$U/amp-ledger/threads/T-0a9d4e21-ledger.json"
fresh
expect_rc 0 ingest usage "$U/amp-ledger"
expect_out "1 files: 3 accepted, 0 duplicates, 2 rejected, 0 unpriced"
expect_err "T-0a9d4e21-ledger.json' line 1: usageLedger.events[2]: only \"tokens.total\" (345): no input and output counts"
expect_err "line 1: usageLedger.events[3]: \"tokens.input\" is negative or not finite"
expect_rc 0 usage --json
expect_eq "0.02501" "$(cost)"
expect_eq "1300 610 20000 2000 0 3" "$(toks)"
expect_eq "2025-06-10 0.02456|2025-06-11 0.00045" "$(keys)"
expect_rc 0 usage session --json
expect_eq "T-0a9d4e21-ledger 0.02501" "$(keys)"
expect_rc 0 usage model --json
expect_eq "claude-sonnet-4-20250514 0.02445|claude-3-5-haiku-20241022 0.00056" "$(keys)"
# read again: nothing new; a copy elsewhere is the same thread (keys: thread
# id + event id, never the file name)
expect_rc 0 ingest usage "$U/amp-ledger"
expect_out "0 accepted"
mkdir -p "$T/amp2"
cp "$L" "$T/amp2/other-name.json"
expect_rc 0 ingest usage --format amp "$T/amp2"
expect_out "1 files: 0 accepted, 3 duplicates, 2 rejected"
expect_rc 0 usage --json
expect_eq "0.02501" "$(cost)"
# a thread whose messages carry usage is read from them: a ledger beside
# them repeats the same calls and is not read
fresh
rm -f "$T/amp2/other-name.json"
cp "$FIX/usage/amp/threads/T-5b1e0c7a-amp1.json" "$T/amp2/msgs.json"
expect_rc 0 ingest usage --format amp "$T/amp2/msgs.json"
nmsg=$(sed -n 's/^1 files: \([0-9]*\) accepted.*/\1/p' "$T/out")
expect_rc 0 usage --json
msgs_cost=$(cost)
fresh
python3 - "$T/amp2/msgs.json" "$L" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["usageLedger"] = json.load(open(sys.argv[2]))["usageLedger"]
json.dump(d, open(sys.argv[1], "w"), indent=1)
PY
expect_rc 0 ingest usage --format amp "$T/amp2/msgs.json"
expect_out "1 files: $nmsg accepted"
if grep -q usageLedger "$T/err"; then bad "the ledger was read: $(cat "$T/err")"; else ok; fi
expect_rc 0 usage --json
expect_eq "$msgs_cost" "$(cost)" "the messages' usage only"
# "usageLedger.events" that is not a list: the thread is rejected, named
printf '{"id": "T-x", "usageLedger": {"events": {"a": 1}}}\n' >"$T/amp2/bad.json"
fresh
expect_rc 0 ingest usage --format amp "$T/amp2/bad.json"
expect_err "\"usageLedger.events\" is not an array"

# ---- OpenCode's SQLite store (opencode.db), read-only, beside the JSON files ----
# The fixture is made here from SQL.  Rows: msg_02 (the same message as
# storage/message/ses_a1/msg_02.json: $0.02535), msg_db1 claude-sonnet-4 on
# 2025-09-15: 1000x3 + 100x15 = 3000 + 1500 -> $0.0045; a user message
# (nothing), data that is not JSON and a string count (rejected alone).
mkdir -p "$T/oc"
python3 - "$T/oc/opencode.db" "$U/opencode/storage/message/ses_a1/msg_02.json" <<'PY'
import json, sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.execute("PRAGMA journal_mode = WAL")  # as OpenCode leaves it
d.executescript("""
CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL,
  time_created INTEGER, time_updated INTEGER, data TEXT NOT NULL);
""")
m2 = json.load(open(sys.argv[2]))
del m2["id"], m2["sessionID"]
db1 = {"role": "assistant", "time": {"created": 1757934000000}, "modelID": "claude-sonnet-4-20250514",
       "providerID": "anthropic", "path": {"cwd": "/home/dev/api", "root": "/home/dev/api"}, "cost": 0,
       "tokens": {"input": 1000, "output": 100, "reasoning": 0, "cache": {"read": 0, "write": 0}}}
rows = [("msg_02", "ses_a1", json.dumps(m2)), ("msg_db1", "ses_c3", json.dumps(db1)),
        ("msg_db2", "ses_c3", json.dumps({"role": "user", "time": {"created": 1757933990000}})),
        ("msg_db3", "ses_c3", "{x"),
        ("msg_db4", "ses_c3", json.dumps(dict(db1, tokens={"input": "12", "output": 1})))]
d.executemany("INSERT INTO message VALUES (?, ?, 0, 0, ?)", rows)
d.commit()
d.close()
PY
sum0=$(sha256sum "$T/oc/opencode.db" | cut -d' ' -f1)
fresh
expect_rc 0 ingest usage "$T/oc/opencode.db"
expect_out "1 files: 2 accepted, 0 duplicates, 2 rejected, 0 unpriced"
expect_err "opencode.db' line 4: message row 'msg_db3': data is not a JSON object"
expect_err "opencode.db' line 5: message row 'msg_db4': \"tokens.input\" is not a number"
expect_eq "$sum0" "$(sha256sum "$T/oc/opencode.db" | cut -d' ' -f1)" "opencode.db left as it was"
expect_rc 0 usage session --json
expect_eq "ses_a1 0.02535|ses_c3 0.0045" "$(keys)"
expect_rc 0 usage project --json
expect_eq "/home/dev/webapp 0.02535|/home/dev/api 0.0045" "$(keys)"
# read whole again each run (rows may sit in its -wal), nothing new
expect_rc 0 ingest usage "$T/oc/opencode.db"
expect_out "0 accepted, 2 duplicates"
# the JSON files of the same messages: msg_02 once
expect_rc 0 ingest usage "$U/opencode"
expect_out "7 files: 3 accepted, 1 duplicates, 1 rejected, 1 unpriced"
expect_rc 0 usage --json
expect_eq "0.056225" "$(cost)" "0.051725 (the JSON files) + 0.0045 (msg_db1)"
# the default place: ${OPENCODE_DATA_DIR:-~/.local/share/opencode}/opencode*.db,
# read before storage/message
fresh
mkdir -p "$T/oc/storage"
cp -r "$U/opencode/storage/message" "$T/oc/storage/"
cp "$T/oc/opencode.db" "$T/oc/opencode-beta.db"
printf 'not a store\n' >"$T/oc/opencode.db.bak"
OPENCODE_DATA_DIR="$T/oc" COPILOT_HOME="$T/none" expect_rc 0 ingest usage
expect_out "9 files: 5 accepted, 3 duplicates, 5 rejected, 1 unpriced"
if grep -q "opencode.db.bak" "$T/err"; then bad "a file not named opencode*.db was read"; else ok; fi
expect_rc 0 usage --json
expect_eq "0.056225" "$(cost)"
# --format opencode reads a folder's stores too
fresh
expect_rc 0 ingest usage --format opencode "$T/oc"
expect_out "5 accepted"
# a database without the message table: the file is named once, exit 3
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table t(x)"); c.commit()' "$T/opencode-empty.db"
expect_rc 3 ingest usage "$T/opencode-empty.db"
expect_err "llmcost: error: '$T/opencode-empty.db' has no message table with id and data"
expect_rc 3 ingest usage --strict "$T/opencode-empty.db"
expect_err "llmcost: error: '$T/opencode-empty.db' has no message table"

done_testing

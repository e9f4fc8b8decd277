# llmcost ingest usage + llmcost usage: every format from fixtures, duplicate
# rules, incremental re-reads, bad lines, unknown models, time zones,
# repricing (--as, --at) and budgets.  Expected costs are computed by hand in
# the comments from data/prices.csv.
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
cost() { json_get 'j["total"]["cost"]'; }
# the rollups agree with the records (checked before each fresh store)
# (the team store: its server tables, once the schema is there)
in_step() {
	if store_is_sqlite; then
		[ -f "$LLMCOST_DB" ] && expect_eq ok "$(rollup_check "$LLMCOST_DB")" "rollups in step (check $1)"
	elif [ "$(store_sql "SELECT to_regclass('usage_calls') IS NOT NULL" 2>/dev/null)" = t ]; then
		expect_eq ok "$(store_rollup_check)" "rollups in step (check $1)"
	fi
}

# ---- Claude Code ----
# sonnet-4 on 2025-06-02: $3 in, $15 out, $0.30 cache read, $3.75 5m write, $6 1h write
# A (3 lines, one response): 100x3 + 1000x15 + 10000x0.30 + 2000x3.75 = 25800 -> $0.0258
# B (2 lines, no requestId): 10x3 + 100x15 + 1000x6 (1h)            =  7530 -> $0.00753
# J ("usage": { spaced, null fields): 1000x3                        =  3000 -> $0.003
# D (sidechain only, 2025-06-03T00:30Z): 50x3 + 500x15              =  7650 -> $0.00765
# E: gpt-9, unpriced.  C: sidechain replay of A with a new requestId: a duplicate.
expect_rc 0 ingest usage "$U/claude"
expect_out "3 files: 5 accepted, 4 duplicates, 2 rejected, 1 unpriced, 0 deferred"
expect_out "unpriced: gpt-9 (1 records, unknown model)"
expect_out "hint: 'llmcost update' fetches the current price sheets, which may price these"
expect_err "sess-1.jsonl' line 11: malformed JSON"
expect_err "line 12: \"usage.output_tokens\" is not a number"
expect_rc 0 usage --json
expect_eq "0.04398" "$(cost)"
expect_eq "2025-06-02 0.03633 3|2025-06-03 0.00765 2" \
	"$(json_get '"|".join("%s %s %s" % (r["key"], r["cost"], r["records"]) for r in j["rows"])')"
expect_eq "[{'model': 'gpt-9', 'reason': 'unknown model', 'records': 1}]" "$(json_get 'j["unpriced"]')"
expect_eq "1161 1601 10000 3000" \
	"$(json_get '" ".join(str(j["total"][k]) for k in ("input_tokens","output_tokens","cache_read_tokens","cache_write_tokens"))')"
# the rollup and a record-by-record reading agree
expect_rc 0 usage --json --from-records
expect_eq "0.04398" "$(cost)"
# text: unpriced rows are marked
expect_rc 0 usage
expect_out "* unpriced: gpt-9 (1 records, unknown model)"
expect_eq "hint: 'llmcost update' fetches the current price sheets, which may price these" "$(grep -A1 '^unpriced\|^\* unpriced' "$T/out" | tail -1)" "the hint follows the unpriced list"
# --source prices from one source; an unknown source is exit 3
expect_rc 0 usage --json --source builtin
expect_eq "0.04398" "$(cost)"
expect_rc 3 usage --source nosuch
expect_err "unknown price source 'nosuch'"
# a row with no priced record shows no cost at all, never a silent $0
expect_rc 0 usage model
expect_eq "unpriced" "$(awk '$1 == "gpt-9" {print $NF}' "$T/out")" "text cost of an all-unpriced row"
expect_rc 0 usage model --json
expect_eq "None 1" "$(json_get '" ".join(str(r[k]) for r in j["rows"] if r["key"] == "gpt-9" for k in ("cost", "unpriced_records"))')" "JSON cost of an all-unpriced row"
# re-ingest is a no-op
expect_rc 0 ingest usage "$U/claude"
expect_out "3 files: 0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 0 deferred"
expect_no_out "hint: 'llmcost update'"
expect_rc 0 usage --json
expect_eq "0.04398" "$(cost)"
# sidechain copy first, then the parent: the parent replaces it, counted once
in_step 1
store_reset
expect_rc 0 ingest usage "$U/claude/projects/-home-dev-src-webapp/sess-2/subagents/agent-1.jsonl"
expect_rc 0 usage --json
expect_eq "0.03345" "$(cost)" "sidechain copies alone: A 0.0258 + D 0.00765"
expect_rc 0 ingest usage "$U/claude"
expect_out "3 accepted, 4 duplicates" # A replaced its sidechain copy
expect_rc 0 usage session --json
expect_eq "0.04398" "$(cost)"
# A is now filed under the parent's session
expect_eq "sess-1 0.03633|sess-2 0.00765" \
	"$(json_get '"|".join("%s %s" % (r["key"], r["cost"]) for r in j["rows"])')"
# --tz: Tokyo (+9) moves B (23:30Z) to 06-03; New York (-4) moves D, E to 06-02
expect_rc 0 usage --json --tz Asia/Tokyo
expect_eq "2025-06-02 0.0288|2025-06-03 0.01518" \
	"$(json_get '"|".join("%s %s" % (r["key"], r["cost"]) for r in j["rows"])')"
expect_rc 0 usage --json --tz America/New_York
expect_eq "2025-06-02 0.04398" "$(json_get '"|".join("%s %s" % (r["key"], r["cost"]) for r in j["rows"])')"
expect_rc 2 usage --tz Mars/Olympus
expect_rc 0 usage --json --since 2025-06-03 --until 2025-06-03
expect_eq "0.00765" "$(cost)"
expect_rc 0 usage --json --project webapp --model claude-sonnet-4
expect_eq "0.04398" "$(cost)"
expect_rc 3 usage --json --project elsewhere
expect_err "no usage of project 'elsewhere'; known projects: 'webapp'"
# --as: claude-3-5-haiku on 2025-06-02: $0.80/$4, read $0.08, 5m $1, 1h $1.60
# A 80+4000+800+2000=6880, B 8+400+1600=2008, J 800, D 40+2000=2040, and gpt-9's
# 1 in + 1 out now priced too: 0.8+4 -> 11732.8 -> $0.0117328
expect_rc 0 usage --json --as claude-3-5-haiku-20241022
expect_eq "0.0117328" "$(json_get 'j["total"]["as"]["claude-3-5-haiku-20241022"]')"
expect_rc 0 usage model --json --breakdown
expect_eq "claude-sonnet-4-20250514" "$(json_get 'j["rows"][0]["models"][0]["model"]')"
expect_rc 2 usage --as no-such-model
expect_rc 2 usage hourly

# ---- appended, partial and replaced files ----
in_step 2
store_reset
mkdir -p "$T/cc/projects/-x"
cp "$U/claude/projects/-home-dev-src-webapp/sess-1.jsonl" "$T/cc/projects/-x/s.jsonl"
expect_rc 0 ingest usage "$T/cc"
expect_out "3 accepted"
L='{"type":"assistant","cwd":"/x","sessionId":"s","timestamp":"2025-06-04T10:00:00Z","requestId":"req_L","message":{"id":"msg_L","model":"claude-sonnet-4-20250514","usage":{"input_tokens":1000,"output_tokens":0}}}'
printf '%s' "$L" >>"$T/cc/projects/-x/s.jsonl" # no newline yet: still being written
expect_rc 0 ingest usage "$T/cc"
expect_out "0 accepted, 0 duplicates, 0 rejected, 0 unpriced, 1 deferred"
printf '\n' >>"$T/cc/projects/-x/s.jsonl"
expect_rc 0 ingest usage "$T/cc"
expect_out "1 accepted, 0 duplicates, 0 rejected" # only the new line was read
expect_rc 0 usage --json
expect_eq "0.03933" "$(cost)" "0.03633 + L 1000x3"
# replaced by a shorter file: read again from the start; nothing is lost or doubled
head -n 3 "$U/claude/projects/-home-dev-src-webapp/sess-1.jsonl" >"$T/cc/projects/-x/s.jsonl"
expect_rc 0 ingest usage "$T/cc"
expect_err "truncated or replaced"
expect_out "0 accepted, 1 duplicates"
expect_rc 0 usage --json
expect_eq "0.03933" "$(cost)"

# ---- --strict, file errors ----
expect_rc 3 ingest usage --strict "$U/claude"
expect_rc 3 ingest usage "$T/nonexistent"
printf '\377\376{\0}\0' >"$T/u16.jsonl"
expect_rc 3 ingest usage --format claude-code "$T/u16.jsonl"
expect_err "UTF-16"
: >"$T/empty.jsonl"
expect_rc 0 ingest usage --format claude-code "$T/empty.jsonl"

# ---- Codex: cumulative totals to per-turn amounts; a fork replay counts once ----
# gpt-5 on 2025-09-10: $1.25 in, $10 out, $0.125 cached
# turn 1 (total 1000/200 cached/500): 800x1.25 + 200x0.125 + 500x10 = 6025
# turn 2 (total 3000/1200/700, delta 2000/1000/200): 1250 + 125 + 2000 = 3375
# turn 3 (last_token_usage 500/0/100): 625 + 1000 = 1625 -> $0.011025
in_step 3
store_reset
expect_rc 0 ingest usage "$U/codex"
expect_out "2 files: 3 accepted, 1 duplicates, 0 rejected"
expect_rc 0 usage --json
expect_eq "0.011025" "$(cost)"
expect_eq "150" "$(json_get 'j["total"]["reasoning_tokens"]')"
# the default location: CODEX_HOME
in_step 4
store_reset
CODEX_HOME="$U/codex" expect_rc 0 ingest usage
expect_out "3 accepted"

# ---- OpenAI: chat, responses, a stream chunk without usage, a Usage API page ----
# gpt-4o-mini: $0.15 in, $0.60 out, $0.075 cached
# chat 1000 + 1000 cached + 1000 out: 150 + 75 + 600 = 825; responses 1000/2000: 150 + 1200 = 1350
# bucket 500k uncached + 500k cached + 100k out: 0.075 + 0.0375 + 0.06 = $0.1725
in_step 5
store_reset
expect_rc 0 ingest usage "$U/openai"
expect_out "3 accepted, 1 duplicates, 1 rejected"
expect_rc 0 usage --json
expect_eq "0.174675" "$(cost)"

# ---- Anthropic: a Messages response and an Admin report bucket ----
# claude-3-5-haiku 2025-01: $0.80/$4, read $0.08, write $1
# message: 1000x0.8 + 500x4 + 2000x1 + 10000x0.08 = 5600; bucket 100k x0.8 + 10k x4 = $0.12
in_step 6
store_reset
expect_rc 0 ingest usage --format anthropic "$U/anthropic/messages.jsonl"
expect_out "2 accepted, 0 duplicates, 1 rejected"
expect_err "\"usage.input_tokens\" is negative"
expect_rc 0 usage --json
expect_eq "0.1256" "$(cost)"
expect_rc 0 usage project --json
expect_eq "support-bot" "$(json_get 'j["rows"][1]["key"]')"

# ---- Gemini: prompt includes cached; thoughts are output; tool-use prompt is input ----
# gemini-2.0-flash: $0.10 in, $0.40 out, $0.025 cached
# g1: 6000x0.1 + 4000x0.025 + 1500x0.4 = 1300; g2: 1050x0.1 + 100x0.4 = 145 -> $0.001445
in_step 7
store_reset
expect_rc 0 ingest usage "$U/gemini"
expect_out "2 accepted"
expect_rc 0 usage --json
expect_eq "0.001445" "$(cost)"

# ---- CSV, --at and budgets ----
# claude-3-5-haiku on 2024-11-20: $1/$5 -> 1M in + 1M out = $6
# 2024-11-05 batch row: 1000 x $1 x 50% = $0.0005
in_step 8
store_reset
expect_rc 0 ingest usage "$U/csv/usage.csv"
expect_out "2 accepted, 0 duplicates, 2 rejected"
expect_err "line 5: timestamp: timestamp '2024-11-07T10:00:00' has no time zone"
expect_rc 0 usage --json
expect_eq "6.0005" "$(cost)"
# at 2025-01-01 prices ($0.80/$4): 4.8 + 0.0004
expect_rc 0 usage --json --at 2025-01-01
expect_eq "4.8004" "$(cost)"
expect_rc 0 usage project --csv
expect_out '"proj-b, quoted"'
# budget: on 2024-11-20 (day 20 of 30) month to date $6.0005, forecast 6.0005 x 30 / 20 = 9.00075
export LLMCOST_NOW=2024-11-20T12:00:00Z
expect_rc 0 budget set --monthly 10
expect_rc 0 budget status --json
expect_eq "6.0005 0.300025 9.00075 60.0 ok" \
	"$(json_get '" ".join(str(j[0][k]) for k in ("month_to_date","daily_rate","forecast","percent_spent","status"))')"
expect_rc 0 budget set --monthly 9
expect_rc 6 budget status
expect_out "over"
expect_rc 0 budget set --monthly 9 --project proj-a
expect_rc 6 budget status --json
expect_eq "proj-a 6" "$(json_get '" ".join(str(j[1][k]) for k in ("scope","month_to_date"))')"
expect_rc 2 budget set --monthly -5
unset LLMCOST_NOW

# ---- llm logs.db: responses and turns, opened read-only ----
# gpt-4o-mini 2025-02-16: 2000 in (1000 cached) + 1000 out = 150 + 75 + 600 = 825
# claude-3-haiku: 8 x $0.25 + 12 x $1.25 = 17 -> $0.000842; a NULL-count row is not counted
python3 - "$T/logs.db" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.executescript("""
CREATE TABLE conversations (id TEXT PRIMARY KEY, name TEXT, model TEXT);
CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, resolved_model TEXT, prompt TEXT,
  response TEXT, conversation_id TEXT, duration_ms INTEGER, datetime_utc TEXT,
  input_tokens INTEGER, output_tokens INTEGER, token_details TEXT);
CREATE TABLE threads (id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE turns (id TEXT PRIMARY KEY, thread_id TEXT, model TEXT, resolved_model TEXT,
  datetime_utc TEXT, input_tokens INTEGER, output_tokens INTEGER, token_details TEXT);
INSERT INTO responses VALUES ('01jm8ec74wxsdatyn5pq1fp0s5','gpt-4o-mini',NULL,'p','r','c1',560,
  '2025-02-16T22:34:30.374882+00:00',2000,1000,'{"prompt_tokens_details":{"cached_tokens":1000}}');
INSERT INTO responses VALUES ('01jm8ec74wxsdatyn5pq1fp0s6','gpt-4o-mini',NULL,'p','r','c1',560,
  '2025-02-16T22:35:30.374882+00:00',NULL,NULL,NULL);
INSERT INTO turns VALUES ('01jm8ec74wxsdatyn5pq1fp0s5','c1','gpt-4o-mini',NULL,
  '2025-02-16T22:34:30.374882+00:00',2000,1000,NULL);
INSERT INTO turns VALUES ('01jm9zz','t1','anthropic/claude-3-haiku-20240307',NULL,
  '2025-02-17T08:00:00.000001+00:00',8,12,NULL);
""")
d.commit()
PY
in_step 9
store_reset
chmod 444 "$T/logs.db"
expect_rc 0 ingest usage --format llm "$T/logs.db"
expect_out "2 accepted"
expect_rc 0 usage --json
expect_eq "0.000842" "$(cost)"
expect_rc 0 ingest usage "$T/logs.db"
expect_out "0 accepted, 2 duplicates"
# bad rows are rejected with the table and row id named once (the reader,
# not the message's text, knows which errors carry the row already)
python3 - "$T/bad-logs.db" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.executescript("""
CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, conversation_id TEXT,
  datetime_utc TEXT, input_tokens INTEGER, output_tokens INTEGER, token_details TEXT);
INSERT INTO responses VALUES ('r1','gpt-4o-mini','c1','2025-02-16T22:34:30+00:00',5,5,'{x');
INSERT INTO responses VALUES ('r2','gpt-4o-mini','c1','2025-02-16T22:34:30+00:00','5x',5,NULL);
INSERT INTO responses VALUES ('r3','gpt-4o-mini','c1','someday',5,5,NULL);
""")
d.commit()
PY
expect_rc 0 ingest usage --format llm "$T/bad-logs.db"
expect_out "0 accepted"
expect_err "line 1: responses row 'r1': token_details is not JSON"
expect_err "line 2: responses row 'r2': a token count is not an integer"
expect_err "line 3: responses row 'r3': datetime_utc: malformed timestamp 'someday'"
if grep -q "responses row.*responses row" "$T/err"; then bad "a row named twice"; else ok; fi

# ---- the README documents these commands verbatim ----
expect_rc 0 ingest usage --help
expect_out "usage: llmcost ingest usage"

# ---- Bedrock regional ids ----
# a regional (us., eu. ...) Bedrock id prices at bedrock-regional when that
# host prices the model on the day (Claude Sonnet 4.5: $3.30 against the
# global $3), else at bedrock (Claude 3.5 Haiku has one Bedrock price, $0.80)
in_step 9
store_reset
{
	echo 'timestamp,model,input_tokens,output_tokens'
	echo '2026-03-02T10:00:00Z,us.anthropic.claude-sonnet-4-5-20250929-v1:0,1000000,0'
	echo '2026-03-03T10:00:00Z,global.anthropic.claude-sonnet-4-5-20250929-v1:0,1000000,0'
	echo '2026-03-04T10:00:00Z,anthropic.claude-sonnet-4-5-20250929-v1:0,1000000,0'
	echo '2026-03-05T10:00:00Z,eu.anthropic.claude-3-5-haiku-20241022-v1:0,1000000,0'
	echo '2026-03-06T10:00:00Z,bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0,1000000,0'
} >"$T/bedrock.csv"
expect_rc 0 ingest usage "$T/bedrock.csv"
expect_out "5 accepted"
expect_rc 0 usage --json
expect_eq "2026-03-02 3.3|2026-03-03 3|2026-03-04 3|2026-03-05 0.8|2026-03-06 3.3" \
	"$(json_get '"|".join("%s %s" % (r["key"], r["cost"]) for r in j["rows"])')" "regional and global Bedrock ids"
expect_rc 0 price us.anthropic.claude-sonnet-4-5-20250929-v1:0 --at 2026-03-02
expect_out "bedrock-regional"
expect_out "3.30"

in_step end
done_testing

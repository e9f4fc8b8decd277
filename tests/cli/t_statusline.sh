# llmcost statusline: the hook's JSON on standard input, one line out;
# the transcript's appended lines are stored first (and nothing else is
# read); session, today's and the active block's costs equal the reports'.
. "$TOP/tests/cli/lib.sh"
python3 "$FIX/usage/blocks/gen_blocks.py" "$T/logs" || bad "gen_blocks.py"
expect_rc 0 ingest usage "$T/logs"
sid=05e55102-0000-4000-8000-000000000002
tr="$T/logs/projects/-home-dev-src-webapp/$sid.jsonl"
hook() {
	printf '{"session_id":"%s","transcript_path":"%s","cwd":"/home/dev/src/webapp",' "$sid" "$1"
	printf '"model":{"id":"claude-sonnet-4-5-20250929","display_name":"Sonnet 4.5"},'
	printf '"workspace":{"current_dir":"/home/dev/src/webapp"},"version":"2.0.30",'
	printf '"cost":{"total_cost_usd":0.5}}\n'
}
hook "$tr" >"$T/hook.json"
line() { "$LLMCOST" statusline "$@" <"$T/hook.json" >"$T/out" 2>"$T/err"; rc=$?; }
usd() { python3 -c 'import sys
from decimal import Decimal, ROUND_HALF_EVEN
print("$" + str(Decimal(sys.argv[1]).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)))' "$1"; }
# the reports' answers: the session's cost, the day's, the active block's
want_line() {
	"$LLMCOST" usage session --json >"$T/r.json"
	s=$(python3 -c 'import json,sys; print([r["cost"] for r in json.load(open(sys.argv[1]))["rows"] if r["key"] == sys.argv[2]][0])' "$T/r.json" "$sid")
	"$LLMCOST" usage daily --json --since "$1" --until "$1" >"$T/r.json"
	d=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["cost"])' "$T/r.json")
	"$LLMCOST" usage blocks --active --json >"$T/r.json"
	b=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["blocks"][0]; print(b["cost"], b["minutes_left"], b["burn_rate"]["cost_per_hour"])' "$T/r.json")
	set -- $b
	printf 'Sonnet 4.5 | session %s | today %s | block %s (%dh %02dm left) | %s/h\n' \
		"$(usd "$s")" "$(usd "$d")" "$(usd "$1")" $(($2 / 60)) $(($2 % 60)) "$(usd "$3")"
}

# inside the last block (08:00-13:00): its messages 08:10 to 08:40
export LLMCOST_NOW=2025-11-04T10:10:00Z
line
expect_eq 0 "$rc" "exit 0"
want=$(want_line 2025-11-04)
expect_eq "$want" "$(cat "$T/out")" "the line"
expect_eq "Sonnet 4.5 | session \$3.35 | today \$1.58 | block \$1.58 (2h 50m left) | \$3.17/h" \
	"$(cat "$T/out")" "the line, worked out"

# one line appended to the transcript (1M haiku input tokens: $1.00) and a
# new transcript elsewhere: the next call stores the one line, not the file
printf '%s\n' '{"type":"assistant","sessionId":"'$sid'","cwd":"/home/dev/src/webapp","timestamp":"2025-11-04T10:00:00.000Z","requestId":"req_new","message":{"id":"msg_new","model":"claude-haiku-4-5-20251001","usage":{"input_tokens":1000000,"output_tokens":0}}}' >>"$tr"
mkdir -p "$T/logs/projects/-other"
printf '%s\n' '{"type":"assistant","sessionId":"other","cwd":"/other","timestamp":"2025-11-04T09:00:00.000Z","requestId":"req_o","message":{"id":"msg_o","model":"claude-haiku-4-5-20251001","usage":{"input_tokens":5000000,"output_tokens":0}}}' >"$T/logs/projects/-other/other.jsonl"
line
expect_eq 0 "$rc"
expect_eq "$(want_line 2025-11-04)" "$(cat "$T/out")" "after an appended line"
expect_out "session \$4.35 | today \$2.58 | block \$2.58"
expect_rc 0 usage --json
expect_eq 92 "$(json_get 'j["total"]["records"]')" "only the transcript's new line was stored"
# a second call adds nothing
line
expect_out "session \$4.35 | today \$2.58 | block \$2.58"

# the fast active block equals the whole report's: 12:50 on Nov 3, in the
# block 12:00-17:00 whose start is the end of the 07:00 block, which holds
# the message at exactly 12:00 (not counted here)
export LLMCOST_NOW=2025-11-03T12:50:00Z
line
"$LLMCOST" usage blocks --active --json >"$T/r.json"
expect_eq "2025-11-03T12:00:00.000Z 3" \
	"$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["blocks"][0]; print(b["start"], b["records"])' "$T/r.json")"
expect_eq "$(want_line 2025-11-03)" "$(cat "$T/out")" "the block after one ending at its start"
# no active block: more than 5 hours after the last message
export LLMCOST_NOW=2025-11-10T00:00:00Z
line
expect_eq 0 "$rc"
expect_out "| today \$0.00 | no active block"
# --tz picks today's zone: 2025-11-04T01:00Z is still Nov 3 in New York
LLMCOST_NOW=2025-11-04T01:00:00Z line --tz America/New_York
"$LLMCOST" usage daily --json --since 2025-11-03 --until 2025-11-03 --tz America/New_York >"$T/r.json"
expect_out "today $(usd "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["cost"])' "$T/r.json")")"
# without --tz, today is in $TZ (the local zone), as in every report
ny=$(cat "$T/out")
TZ=America/New_York LLMCOST_NOW=2025-11-04T01:00:00Z line
expect_eq "$ny" "$(cat "$T/out")" "TZ sets today's zone"
LLMCOST_NOW=2025-11-04T01:00:00Z line
[ "$(cat "$T/out")" != "$ny" ] && ok || bad "Nov 4 in UTC and Nov 3 in New York cost the same: the TZ check proves nothing"

# a transcript that does not exist, or no transcript: answers from the store
hook "$T/nosuch.jsonl" >"$T/hook.json"
LLMCOST_NOW=2025-11-04T10:10:00Z line
expect_eq 0 "$rc" "missing transcript"
expect_out "block \$2.58"
printf '{"model":{"id":"claude-haiku-4-5"}}' >"$T/hook.json"
LLMCOST_NOW=2025-11-04T10:10:00Z line
expect_out "claude-haiku-4-5 | session \$0.00 | today \$2.58"

# bad input: a clear error and exit 3, nothing stored lost
bad_hook() {
	printf '%s' "$1" >"$T/hook.json"
	line
	expect_eq 3 "$rc" "exit 3: $1"
	grep -qF -- "$2" "$T/err" && ok "message: $2" || bad "message: $2 (got: $(cat "$T/err"))"
}
bad_hook "" "no hook JSON on standard input"
bad_hook "   " "no hook JSON on standard input"
bad_hook "not json" "cannot parse the hook JSON on standard input: not JSON"
bad_hook "[1,2]" "not an object"
bad_hook '{"session_id":"a"} x' "text after it"
bad_hook '{"session_id":5}' '"session_id" is not a string'
bad_hook '{"model":"opus"}' '"model" is not an object'
bad_hook '{"model":{"display_name":[]}}' '"model.display_name" is not a string'
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/hook.json"
line
expect_eq 3 "$rc" "over 1 MiB"
expect_rc 0 usage --json
expect_eq 92 "$(json_get 'j["total"]["records"]')" "nothing lost"
# an argument is a usage error
printf '{}' >"$T/hook.json"
line extra
expect_eq 2 "$rc" "an argument: exit 2"
done_testing

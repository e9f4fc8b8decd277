# llmcost usage session: each session's project, first and last activity
# and models besides its tokens and cost (issue 17); text abbreviates the id
# and the project, JSON, CSV and Markdown keep them whole.  The expected
# values are read from the logs themselves (tests/fixtures/usage/blocks).
. "$TOP/tests/cli/lib.sh"
python3 "$FIX/usage/blocks/gen_blocks.py" "$T/logs" || bad "gen_blocks.py"
expect_rc 0 ingest usage "$T/logs"
# per session, from the logs: project, first and last message (exact, and
# floored to the quarter hour as the rollup keeps them), models, records
python3 - "$T/logs" >"$T/want" <<'PY'
import glob, json, sys
from datetime import datetime, timezone
s = {}
for f in sorted(glob.glob(sys.argv[1] + "/projects/*/*.jsonl")):
    for line in open(f):
        r = json.loads(line)
        if r.get("type") != "assistant":
            continue
        e = s.setdefault(r["sessionId"], {"cwd": r["cwd"], "ts": [], "models": set(), "ids": set()})
        e["ts"].append(r["timestamp"])
        e["models"].add(r["message"]["model"])
        e["ids"].add(r["message"]["id"])
def quarter(t):
    d = datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")
    return d.replace(minute=d.minute - d.minute % 15, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%S.000Z")
for k in sorted(s):
    e = s[k]
    print(k, e["cwd"], min(e["ts"]), max(e["ts"]), quarter(min(e["ts"])), quarter(max(e["ts"])),
          ",".join(sorted(e["models"])), len(e["ids"]))
PY
got() {
	json_get '"\n".join(" ".join([r["key"], r["project"], r["first_activity"], r["last_activity"], ",".join(sorted(r["models"])), str(r["records"])]) for r in sorted(j["rows"], key=lambda r: r["key"]))'
}
# the rollup keeps quarter hours; the records the exact times
expect_rc 0 usage session --json
expect_eq "$(awk '{print $1, $2, $5, $6, $7, $8}' "$T/want")" "$(got)" "sessions from the rollup"
expect_rc 0 usage session --json --from-records
expect_eq "$(awk '{print $1, $2, $3, $4, $7, $8}' "$T/want")" "$(got)" "sessions from the records"
# the sessions' costs add up to the total
expect_eq "True" "$(json_get 'sum(r["cost"] for r in j["rows"]) == j["total"]["cost"]')"
# text: the id's first 8 characters, the project's last folder, times to the minute
expect_rc 0 usage session
expect_out "05e55102..  webapp   2025-11-02 04:45  2025-11-04 08:30"
expect_out "claude-haiku-4-5-20251001, claude-opus-4-1-20250805, claude-sonnet-4-5-20250929"
expect_no_out "05e55102-0000"
# CSV and Markdown: whole
expect_rc 0 usage session --csv
expect_out "key,project,first_activity,last_activity,models,input_tokens"
expect_out "05e55102-0000-4000-8000-000000000002,/home/dev/src/webapp,2025-11-02T04:45:00.000Z,2025-11-04T08:30:00.000Z,"
expect_rc 0 usage session --md --project tool
expect_out "| 05e55101-0000-4000-8000-000000000001 | /home/dev/src/tool |"
expect_no_out "webapp"
# with --breakdown the model sub-rows leave the session columns empty
expect_rc 0 usage session --json --breakdown
expect_eq "4 3" "$(json_get 'len(j["rows"]), len(j["rows"][0]["models"])' | tr -d '(),')"
# other groupings are unchanged: no session columns
expect_rc 0 usage daily --json
expect_eq "False" "$(json_get '"project" in j["rows"][0]')"
done_testing

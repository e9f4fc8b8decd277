# llmcost usage blocks: 5-hour billing blocks against ccusage 20.0.24's
# `blocks --json` on the same logs (tests/fixtures/usage/blocks: the logs'
# generator, ccusage's answer and the script that made it), the active block
# at a fixed now (LLMCOST_NOW), its burn rate and projection, --token-limit.
. "$TOP/tests/cli/lib.sh"
B="$FIX/usage/blocks"
python3 "$B/gen_blocks.py" "$T/logs" || bad "gen_blocks.py"
expect_rc 0 ingest usage "$T/logs"
expect_out "91 accepted"

# every block of ccusage's (gaps aside) with the same start, end, last
# message, records, tokens and models, and its cost to the nano-dollar
# (ccusage sums binary floats: equal once rounded to 9 places)
compare() {
	python3 - "$B/ccusage_blocks.json" "$T/out" <<'PY'
import json, sys
from decimal import Decimal
cc = [b for b in json.load(open(sys.argv[1]))["blocks"] if not b["isGap"]]
lc = json.load(open(sys.argv[2]), parse_float=Decimal)["blocks"]
bad = []
if len(cc) != len(lc):
    bad.append("blocks: ccusage %d, llmcost %d" % (len(cc), len(lc)))
for c, l in zip(cc, lc):
    t = c["tokenCounts"]
    want = (c["startTime"], c["endTime"], c["actualEndTime"], c["entries"],
            t["inputTokens"], t["outputTokens"], t["cacheCreationInputTokens"],
            t["cacheReadInputTokens"], c["totalTokens"], sorted(c["models"]),
            Decimal(repr(c["costUSD"])).quantize(Decimal("1e-9")))
    got = (l["start"], l["end"], l["last_activity"], l["records"], l["input_tokens"],
           l["output_tokens"], l["cache_write_tokens"], l["cache_read_tokens"],
           l["total_tokens"], sorted(l["models"]), l["cost"].quantize(Decimal("1e-9")))
    if want != got:
        bad.append("ccusage %s\nllmcost %s" % (want, got))
print("\n".join(bad) if bad else "same")
PY
}
export LLMCOST_NOW=2026-01-01T00:00:00Z
expect_rc 0 usage blocks --json
expect_eq same "$(compare)" "blocks equal ccusage's"
expect_eq "9 0" "$(json_get 'len(j["blocks"]), sum(b["active"] for b in j["blocks"])' | tr -d '(),')"
# a message at exactly a block's end stays in it; a millisecond later opens the next
expect_eq "2025-11-01T14:00:00.000Z 2025-11-01T14:00:00.001Z" \
	"$(json_get 'j["blocks"][0]["last_activity"] + " " + j["blocks"][1]["first_activity"]')"
# a re-ingest adds nothing
expect_rc 0 ingest usage "$T/logs"
expect_rc 0 usage blocks --json
expect_eq same "$(compare)" "blocks after a re-ingest"

# text, CSV and Markdown
expect_rc 0 usage blocks
expect_out "2025-11-01 09:00  2025-11-01 14:00  2025-11-01 14:00"
expect_out '$5.54'
expect_no_out "ACTIVE"
expect_rc 0 usage blocks --csv
expect_out "2025-11-01T09:00:00.000Z,2025-11-01T14:00:00.000Z,2025-11-01T14:00:00.000Z,,"
expect_out ",5.5398372"
expect_rc 0 usage blocks --md
expect_out "| 2025-11-03T07:00:00.000Z |"

# now inside the last block (08:00-13:00, messages 08:10 to 08:40): active,
# 170 minutes left; the pace is its tokens and cost over its 30 minutes of
# activity, carried on for those 170 minutes (worked out here from
# ccusage's totals of the block)
export LLMCOST_NOW=2025-11-04T10:10:00Z
expect_rc 0 usage blocks --json
expect_eq same "$(compare)" "blocks with one active"
pace() {
	python3 - "$B/ccusage_blocks.json" "$T/out" <<'PY'
import json, sys
from decimal import Decimal, ROUND_HALF_UP
c = [b for b in json.load(open(sys.argv[1]))["blocks"] if not b["isGap"]][-1]
l = json.load(open(sys.argv[2]), parse_float=Decimal)["blocks"][-1]
tok = c["totalTokens"]
cost = Decimal(repr(c["costUSD"])).quantize(Decimal("1e-9"))
dur, left = 30, 170
r = lambda x, q: x.quantize(Decimal(q), rounding=ROUND_HALF_UP)
want = (True, 170, r(Decimal(tok) / dur, "0.01"), r(cost * 60 / dur, "1e-9"),
        tok + int(r(Decimal(tok) * left / dur, "1")), cost + r(cost * left / dur, "1e-9"))
got = (l["active"], l["minutes_left"], l["burn_rate"]["tokens_per_minute"],
       l["burn_rate"]["cost_per_hour"], l["projection"]["total_tokens"], l["projection"]["cost"])
print("same" if want == got else "want %s\ngot  %s" % (want, got))
PY
}
expect_eq same "$(pace)" "active block pace"
expect_eq "1" "$(json_get 'sum(b["active"] for b in j["blocks"])')"
expect_rc 0 usage blocks
expect_out "ACTIVE"
expect_out "active block: 2h 50m left; burn rate 20155 tokens/min, \$3.17/hour"
expect_out "projected at its end: 4031080 tokens, \$10.55"
expect_rc 0 usage blocks --active --json
expect_eq "2025-11-04T08:00:00.000Z" "$(json_get '" ".join(b["start"] for b in j["blocks"])')"
# active means: now before the end, and within 5 hours of the last message
LLMCOST_NOW=2025-11-04T12:59:59.999Z expect_rc 0 usage blocks --active --json
expect_eq 1 "$(json_get 'len(j["blocks"])')" "active until the end"
LLMCOST_NOW=2025-11-04T13:00:00Z expect_rc 0 usage blocks --active --json
expect_eq 0 "$(json_get 'len(j["blocks"])')" "not active at the end"
LLMCOST_NOW=2025-11-04T13:00:00Z expect_rc 0 usage blocks --active
expect_err "no active block"

# --token-limit N flags blocks and the projection over N; max is the most
# tokens of a block that is not active (ccusage's)
expect_rc 0 usage blocks --json --token-limit 500000
want=$(python3 -c 'import json,sys
b=[b for b in json.load(open(sys.argv[1]))["blocks"] if not b["isGap"]]
print(" ".join(str(x["totalTokens"] > 500000).lower() for x in b))' "$B/ccusage_blocks.json")
expect_eq "$want" "$(json_get '" ".join(str(b["over_limit"]).lower() for b in j["blocks"])')"
expect_eq "500000 True" "$(json_get 'j["token_limit"], j["blocks"][-1]["projection"]["over_limit"]' | tr -d '(),')"
expect_rc 0 usage blocks --json --token-limit max
want=$(python3 -c 'import json,sys
b=[b for b in json.load(open(sys.argv[1]))["blocks"] if not b["isGap"]]
print(max(x["totalTokens"] for x in b[:-1]))' "$B/ccusage_blocks.json")
expect_eq "$want" "$(json_get 'j["token_limit"]')" "max: the biggest finished block"
expect_eq "False" "$(json_get 'j["blocks"][0]["over_limit"]')" "the biggest is not over itself"
expect_rc 0 usage blocks --token-limit 5000000
expect_out "(within the 5000000-token limit)"
expect_rc 2 usage blocks --token-limit lots
expect_err "--token-limit"
expect_rc 2 usage blocks extra
# --since/--until pick blocks by their start's UTC date
expect_rc 0 usage blocks --json --since 2025-11-02 --until 2025-11-02
expect_eq "2025-11-02T04:00:00.000Z 2025-11-02T14:00:00.000Z" \
	"$(json_get '" ".join(b["start"] for b in j["blocks"])')"

# an empty store: no blocks, a note; JSON is an empty list
export LLMCOST_DB="$T/empty.db"
expect_rc 0 usage blocks --json
expect_eq 0 "$(json_get 'len(j["blocks"])')"
expect_rc 0 usage blocks
expect_err "no usage in the store"
done_testing

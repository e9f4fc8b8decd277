# Explaining the money (issue 17): --cost-mode calculated|logged|auto, the
# logged cost kept in the rollups (schema version 9, with the upgrade from
# version 8), --explain, --as's context-window flags, --plan and `plans`.
#
# tests/fixtures/usage/cost: one Claude Code session, four records, worked
# out by hand from data/prices.csv (Claude Sonnet 4 from 2025-08-12: $3 in,
# $15 out, $0.30 cache read, $3.75 / $6 cache writes 5m / 1h; over 200k
# prompt tokens $6, $22.50, $0.60, $7.50, $12; Claude 3.5 Haiku $0.80, $4):
#   R1 2025-09-01 10:00 sonnet-4  1,000 in, 1,000 out         costUSD 0.5
#      calculated 0.003 + 0.015 = 0.018
#   R2 2025-09-01 10:05 sonnet-4  2,000 in (same 15-minute bucket as R1)
#      calculated 0.006, no costUSD
#   R3 2025-09-02 sonnet-4  150,000 in + 60,000 cache read + 10,000 5m and
#      5,000 1h writes = 225,000 prompt tokens, over 200k: the long tier on
#      everything; 2,000 out                               costUSD 1.234567891
#      calculated 0.9 + 0.036 + 0.075 + 0.06 + 0.045 = 1.116
#   R4 2025-09-03 haiku  10,000 in, 1,000 out: 0.008 + 0.004 = 0.012, no costUSD
. "$TOP/tests/cli/lib.sh"
C="$FIX/usage/cost"
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")
days() { json_get '" ".join("%s=%s" % (r["key"], r["cost"]) for r in j["rows"]) + " total=%s unpriced=%s" % (j["total"]["cost"], j["total"]["unpriced_records"])'; }

expect_rc 0 ingest usage "$C"

# ---- --cost-mode ----
expect_rc 0 usage --json
expect_eq calculated "$(json_get 'j["cost_mode"]')" "the default cost mode"
expect_eq "2025-09-01=0.024 2025-09-02=1.116 2025-09-03=0.012 total=1.152 unpriced=0" "$(days)" "calculated (default)"
expect_eq "2 1.734567891" "$(json_get '"%s %s" % (j["total"]["logged_records"], j["total"]["logged_cost"])')" "the logged cost is reported whatever the mode"
expect_rc 0 usage --cost-mode calculated --json
expect_eq "2025-09-01=0.024 2025-09-02=1.116 2025-09-03=0.012 total=1.152 unpriced=0" "$(days)" "--cost-mode calculated"
expect_rc 0 usage --cost-mode logged --json
expect_eq logged "$(json_get 'j["cost_mode"]')"
expect_eq "2025-09-01=0.5 2025-09-02=1.234567891 2025-09-03=None total=1.734567891 unpriced=2" "$(days)" "--cost-mode logged: records without costUSD unpriced"
expect_eq "claude-sonnet-4-20250514:no logged cost:1 claude-3-5-haiku-20241022:no logged cost:1" \
	"$(json_get '" ".join("%s:%s:%s" % (u["model"], u["reason"], u["records"]) for u in j["unpriced"])')" "logged: what has no logged cost"
# auto: R1 and R3 as logged, R2 and R4 calculated; R1 and R2 share a rollup
# row, so that row is priced from its records
expect_rc 0 usage --cost-mode auto --json
expect_eq auto "$(json_get 'j["cost_mode"]')"
expect_eq "2025-09-01=0.506 2025-09-02=1.234567891 2025-09-03=0.012 total=1.752567891 unpriced=0" "$(days)" "--cost-mode auto"
for g in weekly monthly session project model; do
	expect_rc 0 usage $g --cost-mode auto --json
	expect_eq "1.752567891 0" "$(json_get '"%s %s" % (j["total"]["cost"], j["total"]["unpriced_records"])')" "usage $g --cost-mode auto: the same total"
done
expect_rc 0 usage --cost-mode auto --from-records --json
expect_eq "1.752567891" "$(json_get 'j["total"]["cost"]')" "auto from the records"
expect_rc 0 usage --cost-mode logged --from-rollup --json
expect_eq "1.734567891" "$(json_get 'j["total"]["cost"]')" "logged from usage_rollup"
expect_rc 0 usage model --breakdown --cost-mode logged --json
expect_eq "claude-sonnet-4-20250514=1.734567891 claude-3-5-haiku-20241022=None" \
	"$(json_get '" ".join("%s=%s" % (r["key"], r["cost"]) for r in j["rows"])')" "logged per model"
expect_rc 0 usage --cost-mode logged
expect_out "cost mode logged"
expect_out "unpriced: claude-3-5-haiku-20241022 (1 records, no logged cost)"
expect_no_out "llmcost update"
expect_rc 0 usage --cost-mode auto --csv
expect_out "2025-09-01,3000,1000,0,0,0,2,0.506"
expect_rc 2 usage --cost-mode estimated
expect_err "--cost-mode"

# ---- --explain: how each row was priced ----
expect_rc 0 usage --explain --json
expect_eq "3" "$(json_get 'len(j["explain"])')" "--explain: one line per day, model, period and tier"
expect_eq "2025-09-02 claude-sonnet-4-20250514 anthropic 2025-08-12 None 200000 False 1" \
	"$(json_get '" ".join(str(x) for x in (lambda e: (e["key"], e["model"], e["host"], e["price_from"], e["price_to"], e["tier_min_input_tokens"], e["batch"], e["records"]))(j["explain"][1]))')" \
	"--explain: R3 priced at the period of its date, on the tier over 200k"
expect_eq "input:150000:6:0.9 cache read:60000:0.6:0.036 cache write 5m:10000:7.5:0.075 cache write 1h:5000:12:0.06 output:2000:22.5:0.045" \
	"$(json_get '" ".join("%s:%s:%s:%s" % (p["part"], p["tokens"], p["usd_per_mtok"], p["cost"]) for p in j["explain"][1]["parts"])')" \
	"--explain: R3 part by part at the long-context rates, cache writes at their 5m and 1h rates"
expect_eq "1.116 1 1.234567891" "$(json_get '"%s %s %s" % (j["explain"][1]["cost"], j["explain"][1]["logged_records"], j["explain"][1]["logged_cost"])')" "--explain: calculated and logged"
expect_eq "0.024 1 0.5 base" "$(json_get '"%s %s %s %s" % (j["explain"][0]["cost"], j["explain"][0]["logged_records"], j["explain"][0]["logged_cost"], j["explain"][0]["tier"])')" "--explain: R1 and R2 together"
expect_eq "True" "$(json_get 'sum(e["cost"] for e in j["explain"]) == j["total"]["cost"]')" "--explain: the lines sum to the total"
expect_rc 0 usage --explain --cost-mode logged --json
expect_eq "1.116 1.734567891" "$(json_get '"%s %s" % (j["explain"][1]["cost"], j["total"]["cost"])')" "--explain under logged: still llmcost's prices, beside the logged total"
expect_rc 0 usage --explain
expect_out "How each row was priced"
expect_out "over 200000"
expect_out "logged (1 of 1 records) differs"
expect_out '$1.234567891'
expect_out '$0.075'
line=$(grep "cache write 1h" "$T/out")
case "$line" in *5,000*'$12'*'$0.06'*) ok ;; *) bad "--explain text: the 1h write line: $line" ;; esac
# at 80 columns the explanation keeps each part and its cost, and fits
COLUMNS=80 "$LLMCOST" usage --explain >"$T/out" 2>/dev/null
expect_eq "" "$(awk 'length($0) > 80' "$T/out")" "--explain at 80 columns: no line wider"
if grep -Eq '^ +cache write 1h +\$0\.06$' "$T/out"; then ok; else bad "--explain at 80 columns: the part and its cost"; fi
expect_out "hidden: host, prices of"
expect_rc 0 usage --explain --json --from-records
expect_eq "1.116" "$(json_get 'j["explain"][1]["cost"]')" "--explain from the records"
# batch: half price on everything at Claude Sonnet 4 (50% off), marked
cat >"$T/batch.csv" <<'EOF'
timestamp,model,input_tokens,output_tokens,service_tier,project,session,request_id
2025-09-04T10:00:00Z,claude-sonnet-4-20250514,100000,10000,batch,p,s,b1
EOF
with_store batch expect_rc 0 ingest usage "$T/batch.csv"
with_store batch expect_rc 0 usage --explain --json
expect_eq "True base, batch input:1.5:0.15 output:7.5:0.075 0.225" \
	"$(json_get '" ".join([str(j["explain"][0]["batch"]), j["explain"][0]["tier"]] + ["%s:%s:%s" % (p["part"], p["usd_per_mtok"], p["cost"]) for p in j["explain"][0]["parts"]] + [str(j["explain"][0]["cost"])])')" \
	"--explain: batch rates"

# ---- --as: requests that would not fit the what-if model's context window ----
# R3's whole prompt is 225,000 tokens: over gpt-4o's 128,000 and Claude 3.5
# Haiku's 200,000, within GPT-4.1's 1,047,576.  glm-5.1-fast's 202,800 lies
# inside R3's context class (200k, 256k], so the rollup cannot tell: that
# report is made from the records and still says 1.
expect_rc 0 usage --as gpt-4o,claude-3-5-haiku,gpt-4.1,glm-5.1-fast --json
expect_eq "gpt-4o-2024-08-06:128000:1 claude-3-5-haiku-20241022:200000:1 gpt-4.1:1047576:0 glm-5.1-fast:202800:1" \
	"$(json_get '" ".join("%s:%s:%s" % (a["model"], a["context_window"], a["over_context"]) for a in j["as_context"])')" "--as: requests over each context window"
expect_eq "0 1 0" "$(json_get '" ".join(str(r["as_over_context"]["gpt-4o-2024-08-06"]) for r in j["rows"])')" "--as: per row"
for opt in --from-records --from-rollup; do
	expect_rc 0 usage --as gpt-4o,claude-3-5-haiku,gpt-4.1,glm-5.1-fast --json $opt
	expect_eq "1 1 0 1" "$(json_get '" ".join(str(a["over_context"]) for a in j["as_context"])')" "--as $opt: the same counts"
done
expect_rc 0 usage --as gpt-4o,gpt-4.1
expect_out "! 1 of 4 requests exceed gpt-4o-2024-08-06's 128k context window (a whole prompt over 128,000 tokens)"
expect_no_out "exceed gpt-4.1"
expect_out '$0.51!'
# a prompt of exactly the window fits; one token more does not (single records)
cat >"$T/edge.csv" <<'EOF'
timestamp,model,input_tokens,output_tokens,cache_read_tokens,project,session,request_id
2025-09-05T10:00:00Z,claude-sonnet-4-20250514,100000,10,28000,p,s,e1
2025-09-05T10:01:00Z,claude-sonnet-4-20250514,100000,10,28001,p,s,e2
2025-09-05T10:02:00Z,claude-sonnet-4-20250514,131072,10,0,p,s,e3
2025-09-05T10:03:00Z,claude-sonnet-4-20250514,131073,10,0,p,s,e4
EOF
with_store edge expect_rc 0 ingest usage "$T/edge.csv"
with_store edge expect_rc 0 usage --as gpt-4o,grok-3 --json
expect_eq "3 1" "$(json_get '" ".join(str(a["over_context"]) for a in j["as_context"])')" "--as: the window itself fits, one token more does not"

# ---- subscription plans: data/plans.csv, `llmcost plans`, usage monthly --plan ----
python3 - "$TOP/data/plans.csv" <<'PY' && ok || bad "data/plans.csv: a row without a source, or a malformed price or date"
import csv, datetime, decimal, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) >= 10
for r in rows:
    assert r["source_url"].startswith("https://"), r
    assert decimal.Decimal(r["monthly_usd"]) > 0, r
    datetime.date.fromisoformat(r["valid_from"])
    assert not r["valid_to"] or r["valid_to"] > r["valid_from"], r
ids = {r["id"] for r in rows}
for want in ("claude-pro", "claude-max-5x", "claude-max-20x", "chatgpt-plus", "chatgpt-pro"):
    assert want in ids, want
PY
expect_rc 0 plans --history --json
expect_eq "$(($(wc -l <"$TOP/data/plans.csv") - 1))" "$(json_get 'len(j)')" "plans --history: every row of data/plans.csv"
expect_eq "100 2025-04-09 https://www.anthropic.com/news/max-plan" \
	"$(json_get '" ".join(str(p[k]) for p in j if p["plan"] == "claude-max-5x" for k in ("monthly_usd", "valid_from", "source_url"))')" "plans: Claude Max 5x"
expect_rc 0 plans --at 2025-06-01 --json
expect_eq "249.99" "$(json_get '[str(p["monthly_usd"]) for p in j if p["plan"] == "google-ai-ultra"][0]')" "plans --at: Google AI Ultra in 2025"
expect_rc 0 plans --at 2025-01-01 --json
expect_eq "False" "$(json_get 'any(p["plan"] == "claude-max-5x" for p in j)')" "plans --at: no Max plan before 2025-04-09"
expect_rc 0 plans
expect_out 'Claude Max 20x'
expect_out '$200.00'
expect_rc 2 plans --at 2025-01-01 --history
# the fixture's month: API-equivalent $1.152 (calculated), $1.734567891 (logged)
expect_rc 0 usage monthly --plan claude-max-5x,claude-pro --json
expect_eq "2025-09:claude-max-5x:100:1.152:-98.848 2025-09:claude-pro:20:1.152:-18.848" \
	"$(json_get '" ".join("%s:%s:%s:%s:%s" % (p["month"], p["plan"], p["plan_usd"], p["api_equivalent"], p["saved"]) for p in j["plans"])')" "--plan: each month against each plan"
expect_rc 0 usage monthly --plan claude-pro --cost-mode logged --json
expect_eq "1.734567891 -18.265432109 2" "$(json_get '"%s %s %s" % (j["plans"][0]["api_equivalent"], j["plans"][0]["saved"], j["plans"][0]["unpriced_records"])')" "--plan: the API-equivalent in the report's cost mode"
expect_rc 0 usage monthly --plan claude-max-5x
expect_out "2025-09: API-equivalent \$1.15; Claude Max 5x \$100.00; you over-paid \$98.85"
# months before a plan, the month it starts in, after it ended; and saving:
# Claude 3.7 Sonnet at $3 / $15: 2025-03 $3 + $15 = $18, 2025-04 $15 + $165
# = $180; 2026-06 Claude Sonnet 4, 100,000 input tokens: $0.30
cat >"$T/months.csv" <<'EOF'
timestamp,model,input_tokens,output_tokens,project,session,request_id
2025-03-10T10:00:00Z,claude-3-7-sonnet-20250219,1000000,1000000,p,s,m1
2025-04-20T10:00:00Z,claude-3-7-sonnet-20250219,5000000,11000000,p,s,m2
2026-06-02T10:00:00Z,claude-sonnet-4-20250514,100000,0,p,s,m3
EOF
with_store months expect_rc 0 ingest usage "$T/months.csv"
with_store months expect_rc 0 usage monthly --plan claude-max-5x,google-ai-ultra --json
expect_eq "2025-03:claude-max-5x:None:18:None 2025-03:google-ai-ultra:None:18:None 2025-04:claude-max-5x:100:180:80 2025-04:google-ai-ultra:None:180:None 2026-06:claude-max-5x:100:0.3:-99.7 2026-06:google-ai-ultra:None:0.3:None" \
	"$(json_get '" ".join("%s:%s:%s:%s:%s" % (p["month"], p["plan"], p["plan_usd"], p["api_equivalent"], p["saved"]) for p in j["plans"])')" \
	"--plan: no price before a plan or after its last period; the price of a plan that starts within the month"
with_store months expect_rc 0 usage monthly --plan claude-max-5x,google-ai-ultra
expect_out "2025-04: API-equivalent \$180.00; Claude Max 5x \$100.00; you saved \$80.00"
expect_out "2025-03: API-equivalent \$18.00; Claude Max 5x: no price that month"
with_store months expect_rc 0 usage monthly --plan claude-max-5x --csv
expect_out "2025-04,claude-max-5x,100,180,80"
# mistakes
expect_rc 2 usage monthly --plan claude-max
expect_err "unknown plan 'claude-max' (known: chatgpt-plus, chatgpt-pro, claude-max-20x, claude-max-5x, claude-pro,"
expect_rc 2 usage daily --plan claude-pro
expect_err "--plan: only with \`usage monthly\`"

# ---- budget status --cost-mode: the month to date as usage counts it ----
# 2025-09-03 (day 3 of 30): calculated $1.152, logged $1.734567891, auto $1.752567891
export LLMCOST_NOW=2025-09-03T12:00:00Z
expect_rc 0 budget set --monthly 100
for m in "calculated 1.152" "logged 1.734567891" "auto 1.752567891"; do
	set -- $m
	expect_rc 0 budget status --cost-mode $1 --json
	expect_eq "$2" "$(json_get 'j[0]["month_to_date"]')" "budget status --cost-mode $1"
done
expect_rc 0 budget status --json
expect_eq "1.152" "$(json_get 'j[0]["month_to_date"]')" "budget status: calculated by default"
unset LLMCOST_NOW

# ---- the rollups keep the logged cost in step (replacements included) ----
# (usage_sums and usage_total_sums: tables of that name on either store)
expect_eq ok "$(store_rollup_check)"
expect_eq "2|1734567891" "$(store_sql "SELECT sum(logged_records), sum(logged_cost) FROM usage_sums")" "usage_sums: logged sums"
expect_eq "2|1734567891" "$(store_sql "SELECT sum(logged_records), sum(logged_cost) FROM usage_total_sums")" "usage_total_sums: logged sums"

# ---- a version 8 store upgrades to 9: the logged cost filled from the records ----
# (SQLite files only)
if store_is_sqlite; then
# generated logs, a random ~half of the records given a costUSD (so rollup
# rows mix records with and without one), with the fixtures
"$TOOLS/gen_claude_logs" "$T/gen" 400 3 >/dev/null || bad "generator failed"
python3 - "$T/gen" "$SEED" <<'PY' || bad "adding costUSD failed"
import glob, json, random, sys
rnd = random.Random(int(sys.argv[2]))
for p in glob.glob(sys.argv[1] + "/projects/*/*.jsonl"):
    out = []
    for line in open(p):
        if '"requestId"' in line and rnd.random() < 0.5:
            r = json.loads(line)
            r["costUSD"] = rnd.randrange(1, 10**7) / 10**9 * 1000
            line = json.dumps(r) + "\n"
        out.append(line)
    open(p, "w").write("".join(out))
PY
NEW="$T/new.db"
expect_rc 0 --db "$NEW" ingest usage "$C" "$T/gen/projects" "$FIX/usage/csv/usage.csv"
expect_eq ok "$(rollup_check "$NEW")"
V8="$T/v8.db"
python3 - "$FIX/schema_v8.sql" "$NEW" "$V8" <<'PY' || bad "building the version 8 store failed"
import sqlite3, sys
c = sqlite3.connect(sys.argv[3])
c.execute("PRAGMA journal_mode = WAL")
c.executescript(open(sys.argv[1]).read())
c.execute("ATTACH ? AS n", (sys.argv[2],))
for (t,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
    cols = ", ".join('"%s"' % r[1] for r in c.execute('PRAGMA main.table_info("%s")' % t))
    c.execute('INSERT INTO main."%s"(%s) SELECT %s FROM n."%s"' % (t, cols, cols, t))
c.commit()
c.execute("DETACH n")
c.execute("PRAGMA user_version = 8")
c.execute("PRAGMA application_id = %d" % 0x4c4c4d43)
c.commit()
PY
expect_eq 0 "$(sqlite3 "$V8" "SELECT count(*) FROM pragma_table_info('usage_sums') WHERE name = 'logged_cost'")" "the version 8 store has no logged columns"
mixed=$(sqlite3 "$NEW" "SELECT count(*) FROM usage_sums WHERE logged_records > 0 AND logged_records < records")
[ "$mixed" -gt 0 ] && ok || bad "no rollup row mixes logged and unlogged records (the test needs some)"
for m in calculated logged auto; do
	expect_rc 0 --db "$NEW" usage daily --breakdown --cost-mode $m --json
	cp "$T/out" "$T/new-$m.json"
	expect_rc 0 --db "$V8" usage daily --breakdown --cost-mode $m --json
	cmp -s "$T/new-$m.json" "$T/out" && ok || bad "--cost-mode $m: the upgraded store reports other figures than a new one"
	expect_rc 0 --db "$V8" usage --cost-mode $m --json --from-records
	expect_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$T/new-$m.json")" \
		"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$T/out")" \
		"--cost-mode $m: the upgraded store's records give the same total"
done
expect_eq "$SV" "$(sqlite3 "$V8" "PRAGMA user_version")" "the version 8 store's schema version after the upgrade"
expect_eq "$(sqlite3 "$NEW" "SELECT type, name, sql FROM sqlite_master ORDER BY name")" \
	"$(sqlite3 "$V8" "SELECT type, name, sql FROM sqlite_master ORDER BY name")" "an upgraded store and a new one have the same schema"
# (without user_name, the last column: '' on the upgraded store's records)
expect_eq "$(sqlite3 "$NEW" "SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" | sed 's/|[^|]*$//')" \
	"$(sqlite3 "$V8" "SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" | sed 's/|[^|]*$//')" "usage_rollup after the upgrade"
expect_eq "$(sqlite3 "$NEW" "SELECT * FROM usage_totals ORDER BY 1, 2, 3, 4, 5, 6, 7, 8")" \
	"$(sqlite3 "$V8" "SELECT * FROM usage_totals ORDER BY 1, 2, 3, 4, 5, 6, 7, 8")" "usage_totals after the upgrade"
expect_eq ok "$(rollup_check "$V8")"
expect_eq 0 "$(sqlite3 "$V8" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v8' OR name LIKE 'm9_%'")" "no table of the migration left"
expect_eq "$(($(wc -l <"$TOP/data/plans.csv") - 1))" "$(sqlite3 "$V8" "SELECT count(*) FROM plans")" "the upgraded store has the built-in plans"
# and kept in step afterwards
expect_rc 0 --db "$V8" ingest usage "$FIX/usage/claude"
expect_eq ok "$(rollup_check "$V8")"
# a version 9 store marked 8 by hand keeps its rollups and plans as they are
cp "$NEW" "$T/back.db"
sqlite3 "$T/back.db" "PRAGMA user_version = 8"
expect_rc 0 --db "$T/back.db" usage daily --breakdown --cost-mode logged --json
cmp -s "$T/new-logged.json" "$T/out" && ok || bad "a store marked 8 by hand reports other figures"
expect_eq "$SV" "$(sqlite3 "$T/back.db" "PRAGMA user_version")" "a store marked 8 by hand is version 9 again"
fi

done_testing

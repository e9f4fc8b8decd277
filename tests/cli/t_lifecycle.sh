# Model lifecycle: data/lifecycle.csv's retirements hide retired models from
# what can be bought on a date (models, estimate, report collapse, plot),
# --include-retired shows them marked, `price` still answers with the
# retirement, usage is priced at its own date; the data's own date in
# --version and sources; the note when unknown models meet old data.
. "$TOP/tests/cli/lib.sh"

# sql: SQL on the SQLite file (its changes by hand); catalogue_sql reads the
# catalogue of either store
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join(str(x) for x in row) for row in r))' "$LLMCOST_DB" "$1"; }

# ---- the data: every row loaded, sourced, and about a known model ----
expect_rc 0 models
# the retirements, `model|date` lines
catalogue_sql "select model_id, retired from model_lifecycle where retired is not null" >"$T/retired"
rows=$(($(wc -l <"$TOP/data/lifecycle.csv") - 1))
expect_eq "$rows" "$(catalogue_sql "select count(*) from model_lifecycle")" "every lifecycle row loaded"
expect_eq 0 "$(catalogue_sql "select count(*) from model_lifecycle where source_url is null or source_url not like 'https://%'")" "lifecycle rows without a source"
expect_eq 0 "$(catalogue_sql "select count(*) from model_lifecycle l where not exists (select 1 from models m where m.id = l.model_id)")" "lifecycle rows of unknown models"
# issue 14: at least 54 models shut down by their vendors by 2026-12-06 (50
# rows before the issue-14 lifecycle pass, 67 after it)
expect_eq 1 "$(catalogue_sql "select count(*) >= 67 from model_lifecycle where retired <= '2026-12-06'")" "at least 67 models retired by 2026-12-06"
for m in gpt-4.5-preview o1-preview claude-2.0 claude-2.1 claude-3-opus-20240229 claude-3-sonnet-20240229 \
	gemini-1.5-pro gemini-1.5-flash gemini-1.5-flash-8b claude-instant-1.2 gpt-4-32k; do
	expect_eq 1 "$(catalogue_sql "select count(*) from model_lifecycle where model_id = '$m' and retired <= '2026-01-05'")" "$m retired"
done

# the retirements of the issue-14 lifecycle pass, each with its shutdown day
# (data/lifecycle.csv cites the vendor page, or marks the fallback)
for mr in text-davinci-003:2024-01-04 text-davinci-002:2024-01-04 davinci:2024-01-04 \
	claude-1:2024-11-06 claude-instant-1.1:2024-11-06 gemini-2.0-flash-lite:2026-06-01 \
	grok-4-1-fast-reasoning:2026-05-15 grok-3-mini:2026-02-28 grok-2-vision-1212:2026-02-28 \
	gpt-3.5-turbo-1106:2026-09-28 mistral-large-2402:2025-06-16 deepseek-v2:2024-09-05 \
	deepseek-v2.5:2024-12-26 deepseek-v3:2025-08-21 deepseek-r1:2025-08-21 \
	deepseek-v3.1:2025-09-29 deepseek-v3.2-exp:2025-12-01; do
	expect_eq "${mr#*:}" "$(catalogue_sql "select retired from model_lifecycle where model_id = '${mr%%:*}'")" "${mr%%:*} retirement"
done
# the LiteLLM fallback is marked as such
expect_eq 3 "$(catalogue_sql "select count(*) from model_lifecycle where note like '%LiteLLM''s deprecation_date%' and source_url like 'https://github.com/RoCry/llm-api-price/%'")" "LiteLLM fallback rows marked"
# GPT-3 leaves the list on the day of its shutdown
expect_rc 0 models --at 2024-01-03 --provider openai
expect_out "text-davinci-003"
expect_rc 0 models --at 2024-01-04 --provider openai
expect_no_out "text-davinci-003"

# ---- models: before and after a retirement (gpt-4.5-preview, 2025-07-14) ----
expect_rc 0 models --at 2025-07-13 --provider openai
expect_out "gpt-4.5-preview"
expect_rc 0 models --at 2025-07-14 --provider openai
expect_no_out "gpt-4.5-preview"
expect_rc 0 models --at 2025-07-14 --provider openai --include-retired
expect_out "gpt-4.5-preview"
expect_out "retired"
expect_rc 0 models --at 2025-07-14 --include-retired --json
expect_eq "2025-07-14" "$(json_get '[r["retired"] for r in j if r["model"] == "gpt-4.5-preview"][0]')" "models --json: retired date"
expect_eq "None" "$(json_get '[r["retired"] for r in j if r["model"] == "gpt-4o-2024-08-06"][0]')" "models --json: a model not retired by then"
# the default list never holds a model retired on the date asked (any date)
for d in 2024-11-06 2025-07-21 2025-10-22 2026-02-19 2026-12-06; do
	run models --at "$d" --all-hosts --csv
	expect_eq "" "$(python3 - "$T/out" "$T/retired" "$d" <<'PY'
import csv, sys
ret = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2]))
print(" ".join(r["model"] for r in csv.DictReader(open(sys.argv[1])) if r["model"] in ret and ret[r["model"]] <= sys.argv[3]))
PY
)" "models --at $d lists no retired model"
done

# ---- estimate ----
expect_rc 0 estimate --input 1000 --output 100 --provider openai --at 2025-07-13
expect_out "gpt-4.5-preview"
expect_rc 0 estimate --input 1000 --output 100 --provider openai --at 2025-07-14
expect_no_out "gpt-4.5-preview"
expect_rc 0 estimate --input 1000 --output 100 --provider openai --at 2025-08-01 --include-retired
expect_out "gpt-4.5-preview"
expect_out "retired on 2025-07-14"
expect_rc 0 estimate --input 1000 --output 100 --at 2025-08-01 --include-retired --json
expect_eq "2025-07-14" "$(json_get '[r["retired"] for r in j["results"] if r["model"] == "gpt-4.5-preview"][0]')" "estimate --json: retired"
# the cheapest models of today are all available today
expect_rc 0 estimate --input 1000 --output 100 --at 2026-12-06 --all-hosts --json
expect_eq "[]" "$(json_get '[r["model"] for r in j["results"] if r["retired"] is not None]')" "estimate ranks no retired model"
# a series: a retired model leaves the ranking at its retirement
expect_rc 0 estimate --input 1000 --output 100 --provider openai --from 2025-06-01 --to 2025-09-01 --json
expect_eq "False" "$(python3 -c 'import sys; print("gpt-4.5-preview" in open(sys.argv[1]).read().split("2025-08-01")[-1])' "$T/out")" "series: gone after 2025-07-14"
# naming a retired model still prices it (the user asked for it)
expect_rc 0 estimate gpt-4.5-preview --input 1000 --output 100 --at 2026-12-06

# ---- report collapse: no frontier point names a model retired by then ----
frontier_retired() {
	python3 - "$T/out" "$T/retired" <<'PY'
import json, sys
ret = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2]))
j = json.load(open(sys.argv[1]))
bad = [p["model"] + "@" + p["date"] for p in j["frontier"]
       if p["model"] in ret and (ret[p["model"]] <= p["date"] or (p["until"] or "9999") > ret[p["model"]])]
bad += [f["latest_model"] for f in j["families"] if f["latest_model"] in ret and ret[f["latest_model"]] <= f["latest_date"]]
print(" ".join(bad))
PY
}
expect_rc 0 report collapse --json --to 2026-12-06 --min-quality 1100
expect_eq "" "$(frontier_retired)" "collapse: no retired model on a date after its retirement"
cp "$T/out" "$T/collapse_default.json"
# gpt-3.5-turbo-0125 retired on 2026-10-23 (and -1106 on 2026-09-28): its
# family is priced by what is left
expect_eq "gpt-3.5-turbo-instruct" "$(json_get '[f["latest_model"] for f in j["families"] if f["family"] == "gpt-3.5-turbo"][0]')" "family after a retirement"
expect_rc 0 report collapse --json --to 2026-12-06 --min-quality 1100 --include-retired
expect_eq "gpt-3.5-turbo-0125" "$(json_get '[f["latest_model"] for f in j["families"] if f["family"] == "gpt-3.5-turbo"][0]')" "--include-retired keeps retired models"
expect_rc 0 report collapse --to 2026-12-06 --include-retired

# report html: its price table of --to holds only the models available then
expect_rc 0 report html -o "$T/r.html" --to 2025-08-01
python3 -c 'import sys; sys.exit(0 if "<td>gpt-4.5-preview</td><td>openai</td><td>openai</td>" not in open(sys.argv[1]).read() else 1)' "$T/r.html" && ok || bad "report html lists gpt-4.5-preview after its retirement"
expect_rc 0 report html -o "$T/r2.html" --to 2025-08-01 --include-retired
python3 -c 'import sys; sys.exit(0 if "<td>gpt-4.5-preview</td><td>openai</td><td>openai</td>" in open(sys.argv[1]).read() else 1)' "$T/r2.html" && ok || bad "report html --include-retired lacks gpt-4.5-preview"

# ---- plot: the same snapshots (the data files gnuplot draws) ----
run plot collapse --terminal --script "$T/plot" --to 2026-12-06
expect_eq 0 "$rc" "plot collapse"
run plot collapse --terminal --script "$T/plot2" --to 2026-12-06 --include-retired
expect_eq 0 "$rc" "plot collapse --include-retired"
# gpt-3.5-turbo's line: 0125's price drawn to --to only with the retired models
cat "$T"/plot/collapse-*.tsv >"$T/plot.all"
cat "$T"/plot2/collapse-*.tsv >"$T/plot2.all"
expect_eq 1 "$([ -s "$T/plot.all" ] && echo 1 || echo 0)" "plot data written"
expect_eq 1 "$(cmp -s "$T/plot.all" "$T/plot2.all" && echo 0 || echo 1)" "plot: --include-retired draws other data"
run plot frontier --terminal --script "$T/plot3" --to 2026-12-06 --min-quality 1100 --include-retired
expect_eq 0 "$rc" "plot frontier --include-retired"

# ---- price: a retired model still answers ----
expect_rc 0 price gpt-4.5-preview
expect_out "retired on 2025-07-14"
expect_out "75.00"
expect_rc 0 price gpt-4.5-preview --at 2025-05-01
expect_out "deprecated 2025-04-14, retires on 2025-07-14"
expect_rc 0 price gpt-4.5-preview --json
expect_eq "2025-07-14" "$(json_get 'j["retired"]')" "price --json retired"
expect_eq "2025-04-14" "$(json_get 'j["deprecation_announced"]')" "price --json deprecation"
expect_rc 0 price claude-3-opus-20240229 --at 2024-06-01
expect_no_out "retire"

# ---- usage is priced at its own date, retired or not ----
cat >"$T/u.csv" <<'CSV'
timestamp,model,input_tokens,output_tokens,cache_read_tokens,cache_write_5m_tokens,cache_write_1h_tokens,reasoning_tokens,requests,provider,project,session,request_id,service_tier,cost_usd
2025-03-01T10:00:00Z,gpt-4.5-preview,1000000,0,,,,,1,,p,s1,r1,,
2026-12-01T10:00:00Z,gpt-4.5-preview,1000000,0,,,,,1,,p,s1,r2,,
CSV
expect_rc 0 ingest usage "$T/u.csv"
expect_out "0 unpriced"
expect_rc 0 usage daily --json
expect_eq "150" "$(json_get 'j["total"]["cost"]')" "usage of a retired model priced (2 x \$75)"

# ---- the data's own date ----
ddate=$(python3 -c 'import csv,sys; print([r["value"] for r in csv.DictReader(open(sys.argv[1])) if r["key"] == "current_to"][0])' "$TOP/data/meta.csv")
expect_rc 0 --version
expect_out "built-in prices current to $ddate"
expect_rc 0 sources --json
expect_eq "$ddate" "$(json_get '[s["current_to"] for s in j if s["name"] == "builtin"][0]')" "sources: builtin current_to"
expect_eq "None" "$(json_get '[s["last_fetch"] for s in j if s["name"] == "builtin"][0]')" "sources: builtin is never fetched"
expect_rc 0 sources
expect_out "$ddate"

# ---- unknown models and old data: one note naming `llmcost update` ----
cat >"$T/unk.csv" <<'CSV'
timestamp,model,input_tokens,output_tokens,cache_read_tokens,cache_write_5m_tokens,cache_write_1h_tokens,reasoning_tokens,requests,provider,project,session,request_id,service_tier,cost_usd
2026-11-01T10:00:00Z,acme-frontier-9,1000,10,,,,,1,,p,s1,u1,,
2026-11-01T11:00:00Z,acme-mini-2,1000,10,,,,,1,,p,s1,u2,,
CSV
fresh=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=60))' "$ddate")
old=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=61))' "$ddate")
LLMCOST_NOW=$fresh expect_rc 0 ingest usage "$T/unk.csv"
expect_eq 0 "$(grep -c 'note:' "$T/err")" "no note while the data is 60 days old"
LLMCOST_NOW=$old expect_rc 0 usage daily
expect_eq 1 "$(grep -c "note: 2 models are unknown to the price data, which is current to $ddate (61 days ago); 'llmcost update'" "$T/err")" "one note once the data is older"
LLMCOST_NOW=$old expect_rc 0 usage daily --json
expect_eq 1 "$(grep -c "llmcost update" "$T/err")" "the note on stderr with --json too"
json_get 'j["total"]' >/dev/null && ok || bad "usage --json stays JSON"
# `price` and `estimate` of a name the data does not know: the error, then the note
LLMCOST_NOW=$old expect_rc 3 price gpt-99-test
expect_err "unknown model 'gpt-99-test'"
expect_err "note: 1 model is unknown to the price data, which is current to $ddate (61 days ago); 'llmcost update'"
LLMCOST_NOW=$fresh expect_rc 3 price gpt-99-test
expect_eq 0 "$(grep -c 'note:' "$T/err")" "price: no note while the data is fresh"
LLMCOST_NOW=$old expect_rc 3 estimate nosuch-model-k9 --input 100 --output 10
expect_eq 1 "$(grep -c "note: 1 model is unknown.*'llmcost update'" "$T/err")" "estimate: one note"
# known models only: no note however old the data
store_reset
LLMCOST_NOW=2030-01-01 expect_rc 0 ingest usage "$T/u.csv"
expect_eq 0 "$(grep -c 'note:' "$T/err")" "no note without unknown models"
# a later good fetch makes the store's prices current (no note)
# (on SQLite a fetch written by hand, on the team store a sheet ingested)
if store_is_sqlite; then
	sql "insert into sources(name, format, priority) values ('mine', 'csv', 10)" >/dev/null
	sql "insert into fetches(source_id, fetched_at, result) values ((select id from sources where name = 'mine'), '$old""T00:00:00.000Z', 'ok')" >/dev/null
else
	printf 'provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok\nacme,m1,2025-01-01,,1,2\n' >"$T/mine.csv"
	LLMCOST_NOW=$old expect_rc 0 ingest prices "$T/mine.csv" --name mine
fi
LLMCOST_NOW=$old expect_rc 0 ingest usage "$T/unk.csv"
expect_eq 0 "$(grep -c 'note:' "$T/err")" "no note after a recent fetch"

# ---- a store of schema 5 gains the lifecycle (migration 7) ----
# (SQLite files only)
if store_is_sqlite; then
rm -f "$LLMCOST_DB"*
expect_rc 0 models
sql "drop table model_lifecycle" >/dev/null
sql "pragma user_version = 5" >/dev/null
expect_rc 0 models --at 2025-07-14 --provider openai
expect_no_out "gpt-4.5-preview"
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")
expect_eq "$SV" "$(sql "pragma user_version")" "migrated to the latest schema"
expect_eq "$rows" "$(sql "select count(*) from model_lifecycle")" "lifecycle loaded after the migration"
fi

done_testing

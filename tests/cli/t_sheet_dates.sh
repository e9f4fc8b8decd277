# Sheet prices' dates, and which price wins when sources disagree:
#   - an undated price starts at the sheet's snapshot date (the date the
#     sheet carries, else the ingest day); a source's first price of a model
#     whose release the catalogue knows starts at the release; nothing starts
#     at 0000-01-01 (older stores holding such rows are repaired at open);
#   - dated history (llm-prices from/to) keeps its dates;
#   - the built-in data wins over a sheet, on every date, unless the sheet's
#     period starts after the date the built-in data is current to (a change
#     published later); `sources --conflicts` lists both values and the
#     winner, and `price`, `estimate` and usage reports read the winner.
# The sheets are small local files written here; the dates are far after
# the built-in data's (2031) so the test holds when the data grows.
. "$TOP/tests/cli/lib.sh"

# sql: SQL on the catalogue of either store (lib.sh); the SQLite file
# itself where a row of an older llmcost is written by hand
sql() { catalogue_sql "$1"; }
hist() { # MODEL SOURCE: "from to input observed | ..."
	run price "$1" --source "$2" --history --json
	json_get '" | ".join("%s %s %s %s" % (p["effective_from"], p["effective_to"], p["input_per_mtok"], p["observed"]) for p in j)'
}

cat >"$T/ll1.json" <<'EOF'
{
 "gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat",
  "input_cost_per_token": 2e-07, "output_cost_per_token": 8e-07},
 "zz-dates-new": {"litellm_provider": "openai", "mode": "chat",
  "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}
}
EOF
cat >"$T/ll2.json" <<'EOF'
{
 "gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat",
  "input_cost_per_token": 3e-07, "output_cost_per_token": 1.2e-06},
 "zz-dates-new": {"litellm_provider": "openai", "mode": "chat",
  "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}
}
EOF
cat >"$T/llm-prices-openai.json" <<'EOF'
{"vendor": "openai", "updated_at": "2031-01-20T08:00:00Z", "models": [
 {"id": "gpt-4o-mini", "name": "GPT-4o mini", "price_history": [
   {"input": 0.25, "output": 1, "input_cached": null, "from_date": "2031-03-01", "to_date": null},
   {"input": 0.18, "output": 0.7, "input_cached": null, "from_date": null, "to_date": "2031-03-01"}]},
 {"id": "zz-dated-unknown", "name": "ZZ Dated", "price_history": [
   {"input": 5, "output": 6, "input_cached": null, "from_date": "2030-09-01", "to_date": null},
   {"input": 3, "output": 4, "input_cached": null, "from_date": "2030-06-01", "to_date": "2030-09-01"},
   {"input": 1, "output": 2, "input_cached": null, "from_date": null, "to_date": "2030-06-01"}]},
 {"id": "zz-llmp-undated", "name": "ZZ Undated", "price_history": [
   {"input": 7, "output": 8, "input_cached": null, "from_date": null, "to_date": null}]}
]}
EOF

expect_rc 0 sources # creates the store
REL=$(sql "SELECT release_date FROM models WHERE id = 'gpt-4o-mini'")
case "$REL" in
[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ok ;;
*) bad "gpt-4o-mini has no release date in the built-in data: '$REL'" ;;
esac
# the date the built-in data is current to, and the day after it
CUR=$(sql "SELECT coalesce(b.last_modified, (SELECT max(effective_from) FROM price_periods WHERE source_id = b.id)) FROM sources b WHERE b.name = 'builtin'")
NEXT=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=1))' "$CUR")
expect_rc 0 sources --conflicts
expect_out "no two sources disagree on a price"
expect_out "built-in data current to $CUR"
# a date the built-in data covers, after the model's release
BEFORE=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=60))' "$REL")
expect_eq "1" "$( [ "$BEFORE" \< "$CUR" ] && echo 1)" "a covered date ($BEFORE < $CUR)"
expect_rc 0 price gpt-4o-mini --source builtin --at "$BEFORE" --json
B_IN=$(json_get 'j["input_per_mtok"]')
B_OUT=$(json_get 'j["output_per_mtok"]')

# ---- undated prices: the first one at the release, new models at the snapshot ----
export LLMCOST_NOW=2031-01-10
expect_rc 0 ingest prices "$T/ll1.json" --name litellm
expect_out "snapshot 2031-01-10"
expect_out "1 offerings priced differently from the built-in data"
expect_eq "$REL None 0.2 False" "$(hist gpt-4o-mini litellm)" "first price of a released model: from its release"
expect_eq "2031-01-10 None 1 True" "$(hist zz-dates-new litellm)" "unknown model: from the snapshot date"
expect_eq "0" "$(sql "SELECT count(*) FROM price_periods WHERE effective_from = '0000-01-01'")" "nothing since 0000-01-01"
expect_rc 3 price zz-dates-new --at 2031-01-09
expect_rc 0 ingest prices "$T/ll1.json" --name litellm --json
expect_eq "1 2" "$(json_get '"%d %d" % (j["builtin_conflicts"], j["unchanged"])')" "re-ingest: unchanged, still counted"

# ---- a later change: at the snapshot date ----
export LLMCOST_NOW=2031-02-01
expect_rc 0 ingest prices "$T/ll2.json" --name litellm
expect_eq "$REL 2031-02-01 0.2 False | 2031-02-01 None 0.3 True" "$(hist gpt-4o-mini litellm)" "a change closes and opens at the snapshot"
expect_eq "2031-01-10 None 1 True" "$(hist zz-dates-new litellm)" "unchanged price keeps its start"

# ---- which price wins: builtin, unless the sheet's period starts after its date ----
expect_rc 0 price gpt-4o-mini --at "$BEFORE" --json
expect_eq "builtin $B_IN $B_OUT" "$(json_get '"%s %s %s" % (j["source"], j["input_per_mtok"], j["output_per_mtok"])')" "price: builtin wins on a covered date"
expect_rc 0 price gpt-4o-mini --at "$CUR" --json
expect_eq "builtin" "$(json_get 'j["source"]')" "price: builtin wins on its own date"
expect_rc 0 price gpt-4o-mini --at "$NEXT" --json
expect_eq "builtin $B_IN" "$(json_get '"%s %s" % (j["source"], j["input_per_mtok"])')" "price: a sheet's first price (from the release) never beats builtin"
expect_rc 0 price gpt-4o-mini --at 2031-01-15 --json
expect_eq "builtin $B_IN" "$(json_get '"%s %s" % (j["source"], j["input_per_mtok"])')" "price: ... also long after the built-in date"
expect_rc 0 price gpt-4o-mini --at 2031-02-15 --json
expect_eq "litellm 0.3" "$(json_get '"%s %s" % (j["source"], j["input_per_mtok"])')" "price: the sheet's change is picked up"
# a sheet that never priced the offering leaves the built-in price standing
expect_rc 0 price gpt-4o --at 2031-02-15 --json
expect_eq "builtin" "$(json_get 'j["source"]')" "builtin still answers where no sheet prices"
# estimate reads the same winner (1M input + 1M output)
expect_rc 0 estimate gpt-4o-mini --input 10000 --output 10000 --count 100 --at "$BEFORE" --json
expect_eq "$(python3 -c "print($B_IN + $B_OUT)")" "$(json_get 'j["results"][0]["total"]')" "estimate: builtin on a covered date"
expect_rc 0 estimate gpt-4o-mini --input 10000 --output 10000 --count 100 --at 2031-01-15 --json
expect_eq "$(python3 -c "print(float($B_IN + $B_OUT))")" "$(json_get 'float(j["results"][0]["total"])')" "estimate: builtin over a stale sheet price"
expect_rc 0 estimate gpt-4o-mini --input 10000 --output 10000 --count 100 --at 2031-02-15 --json
expect_eq "1.5" "$(json_get 'float(j["results"][0]["total"])')" "estimate: the sheet's later change"
# (gpt-4o-mini is retired on 2027-01-14: data/lifecycle.csv)
expect_rc 0 estimate --input 10000 --output 10000 --count 100 --provider openai --at 2031-02-15 --include-retired --json
expect_eq "1.5" "$(json_get 'float([r for r in j["results"] if r["model"] == "gpt-4o-mini" and r["provider"] == "openai"][0]["total"])')" "estimate over all models: same"
# usage is priced at each record's date by the same rule
printf 'timestamp,model,input_tokens,output_tokens\n%sT10:00:00Z,gpt-4o-mini,1000000,1000000\n2031-01-15T10:00:00Z,gpt-4o-mini,1000000,1000000\n2031-02-15T10:00:00Z,gpt-4o-mini,1000000,1000000\n' "$BEFORE" >"$T/usage.csv"
expect_rc 0 ingest usage "$T/usage.csv"
expect_rc 0 usage daily --json
B_TOT=$(python3 -c "print(float($B_IN + $B_OUT))")
expect_eq "$B_TOT $B_TOT 1.5" "$(json_get '" ".join(str(float(r["cost"])) for r in j["rows"])')" "usage: each day's winner"

# ---- sources --conflicts: both values, both sources, the winner per range ----
expect_rc 0 sources --conflicts --json
expect_eq "builtin litellm $B_IN 0.2 input,output" "$(json_get '" ".join(str(x) for r in j if r["model"] == "gpt-4o-mini" and r["from"] <= "'"$BEFORE"'" < (r["to"] or "9999") for x in (r["winner"], r["other"], r["winner_input_per_mtok"], r["other_input_per_mtok"], r["differ"]))')" "conflict on a covered date: builtin wins"
expect_eq "builtin litellm $B_IN 0.2 2031-02-01" "$(json_get '" ".join(str(x) for r in j if r["model"] == "gpt-4o-mini" and r["from"] <= "2031-01-15" < (r["to"] or "9999") for x in (r["winner"], r["other"], r["winner_input_per_mtok"], r["other_input_per_mtok"], r["to"]))')" "conflict with a stale sheet price after the built-in date: builtin wins"
expect_eq "litellm builtin 0.3 $B_IN None" "$(json_get '" ".join(str(x) for r in j if r["model"] == "gpt-4o-mini" and r["from"] == "2031-02-01" for x in (r["winner"], r["other"], r["winner_input_per_mtok"], r["other_input_per_mtok"], r["to"]))')" "the changed price's conflict"
expect_eq "True" "$(json_get 'all(r["winner_url"] and r["other_url"] for r in j)')" "both URLs given"
expect_eq "$T/ll2.json" "$(json_get '[r for r in j if r["from"] == "2031-02-01"][0]["winner_url"]')" "the sheet's URL"
expect_rc 0 sources --conflicts --csv
expect_out "model,host,from,to,winner,winner_input_per_mtok,winner_output_per_mtok,other,"
expect_rc 0 sources --conflicts --md
expect_out "| gpt-4o-mini | openai |"
expect_rc 0 sources --conflicts
expect_out "built-in data current to $CUR"
expect_rc 2 sources --conflicts extra
expect_rc 0 help sources
expect_out "--conflicts"

# ---- dated history keeps its dates; a sheet's own date is its snapshot ----
export LLMCOST_NOW=2031-02-10
expect_rc 0 ingest prices "$T/llm-prices-openai.json"
expect_out "snapshot 2031-01-20"
expect_out "1 offerings priced differently from the built-in data"
# another vendor file of the source: counted at its own hosts only
cat >"$T/llm-prices-acme.json" <<'EOF2'
{"vendor": "acme", "models": [
 {"id": "zz-acme-1", "name": "ZZ Acme", "price_history": [
   {"input": 1, "output": 1, "input_cached": null, "from_date": null, "to_date": null}]}]}
EOF2
expect_rc 0 ingest prices "$T/llm-prices-acme.json" --json
expect_eq "0" "$(json_get 'j["builtin_conflicts"]')" "a vendor file counts its own hosts' disagreements"
expect_eq "$REL 2031-03-01 0.18 False | 2031-03-01 None 0.25 False" "$(hist gpt-4o-mini llm-prices)" "dated list: earliest undated from the release, dated row kept"
expect_eq "2030-06-01 2030-09-01 3 False | 2030-09-01 None 5 False" "$(hist zz-dated-unknown llm-prices)" "dated rows kept; unknown start of an unknown model not stored"
expect_eq "2031-01-20 None 7 False" "$(hist zz-llmp-undated llm-prices)" "undated price: the date the sheet carries"
expect_eq "0" "$(sql "SELECT count(*) FROM price_periods WHERE effective_from = '0000-01-01' OR effective_from < '2024-01-01' AND source_id <> 1")" "nothing since 0000-01-01"
# llm-prices (priority 30) comes before litellm (40) after the built-in date
expect_rc 0 price gpt-4o-mini --at 2031-03-05 --json
expect_eq "llm-prices 0.25" "$(json_get '"%s %s" % (j["source"], j["input_per_mtok"])')" "two later changes: the lower priority wins"
expect_rc 0 price gpt-4o-mini --at 2031-02-15 --json
expect_eq "litellm 0.3" "$(json_get '"%s %s" % (j["source"], j["input_per_mtok"])')" "a later change beats a lower-priority stale price"
expect_rc 0 price gpt-4o-mini --at "$BEFORE" --json
expect_eq "builtin" "$(json_get 'j["source"]')" "builtin still wins on covered dates"
expect_rc 0 sources --conflicts --json
expect_eq "llm-prices litellm 0.25 0.3" "$(json_get '" ".join(str(x) for r in j if r["model"] == "gpt-4o-mini" and r["from"] == "2031-03-01" and "builtin" not in (r["winner"], r["other"]) for x in (r["winner"], r["other"], r["winner_input_per_mtok"], r["other_input_per_mtok"]))')" "two sheets disagreeing: the lower priority wins"

# ---- a store from an older llmcost: sheet prices since 0000-01-01 ----
# (rows written into SQLite's tables by hand: SQLite only)
if store_is_sqlite; then
sql() { sqlite3 "$LLMCOST_DB" "$1"; }
LID=$(sql "SELECT id FROM sources WHERE name = 'litellm'")
sql "UPDATE price_periods SET effective_from = '0000-01-01' WHERE source_id = $LID AND model_id IN ('gpt-4o-mini', 'zz-dates-new') AND effective_from < '2031-02-01'"
sql "INSERT INTO price_periods(model_id, host, source_id, effective_from, effective_to, input, output, fetched_at) VALUES ('zz-llmp-undated', 'openai', $LID, '0000-01-01', '2030-01-01', 9, 9, '2031-01-10T00:00:00.000Z')"
sql "INSERT INTO price_periods(model_id, host, source_id, effective_from, effective_to, input, output, fetched_at) VALUES ('zz-dated-unknown', 'openai', $LID, '0000-01-01', NULL, 9, 9, '2031-01-10T09:30:00.000Z')"
expect_eq "4" "$(sql "SELECT count(*) FROM price_periods WHERE effective_from = '0000-01-01'")" "old rows planted"
expect_rc 0 sources
expect_eq "0" "$(sql "SELECT count(*) FROM price_periods WHERE effective_from = '0000-01-01'")" "repaired at open"
expect_eq "$REL 2031-02-01 0.2 False | 2031-02-01 None 0.3 True" "$(hist gpt-4o-mini litellm)" "repaired: from the release"
expect_eq "2031-01-10 None 1 True" "$(hist zz-dates-new litellm)" "repaired: from the day fetched"
expect_eq "0" "$(sql "SELECT count(*) FROM price_periods WHERE source_id = $LID AND model_id = 'zz-llmp-undated'")" "repaired: a period ended before it was fetched removed"
expect_eq "2031-01-10 None 9" "$(sql "SELECT effective_from || ' ' || coalesce(effective_to, 'None') || ' ' || input FROM price_periods WHERE source_id = $LID AND model_id = 'zz-dated-unknown'")" "repaired: unknown release, open"
# a first price seen at a snapshot, of a model whose release is known:
# at the release, on the next ingest of any sheet ...
plant_first_seen() {
	sql "UPDATE price_periods SET effective_from = '2031-01-10', observed = 1 WHERE source_id = $LID AND model_id = 'gpt-4o-mini' AND effective_from < '2031-02-01'"
}
plant_first_seen
expect_rc 0 sources
expect_eq "2031-01-10 2031-02-01 0.2 True | 2031-02-01 None 0.3 True" "$(hist gpt-4o-mini litellm)" "planted (opening a store alone does not look for these)"
expect_rc 0 ingest prices "$T/llm-prices-acme.json"
expect_eq "$REL 2031-02-01 0.2 False | 2031-02-01 None 0.3 True" "$(hist gpt-4o-mini litellm)" "repaired by an ingest: a first price seen at a snapshot starts at the release"
# ... and when the built-in data (where releases come from) is loaded anew
plant_first_seen
sql "UPDATE sources SET data_version = 'older' WHERE name = 'builtin'"
expect_rc 0 sources
expect_eq "$REL 2031-02-01 0.2 False | 2031-02-01 None 0.3 True" "$(hist gpt-4o-mini litellm)" "repaired when the built-in data is reloaded"
sql 'SELECT * FROM price_periods ORDER BY id' >"$T/before"
expect_rc 0 sources
sql 'SELECT * FROM price_periods ORDER BY id' >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok; else bad "repair is not idempotent"; fi
fi
done_testing

# One history per key in every price-sheet format (issue 13, items 9 and
# 11; sheet_settle in lib/sheet.c): an entry given twice with the same
# prices is kept once; given twice with other prices it is unusable and
# named; rows without an end date are a price change (the later row closes
# the earlier one), and price, models, estimate and usage agree on every
# date; a closed period that overlaps the next is unusable, named with its
# line; a store that already holds overlapping periods is read the same way.
. "$TOP/tests/cli/lib.sh"
export LLMCOST_NOW=2026-03-01
S="$T/sheets"
mkdir -p "$S"
# the catalogue of either store (lib.sh)
sql() { catalogue_sql "$1"; }
# rows and base input prices a source stored: "N min-max"
stored() { sql "SELECT count(*) || ' ' || coalesce(min(p.input), '') || '-' || coalesce(max(p.input), '') FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = '$1'"; }

# ---- item 11: a duplicated entry, each format ----
# $1 format, $2 first copy's input price per token, $3 second copy's
sheet() {
	a=$2 b=$3
	case $1 in
	litellm) printf '{"dupco-model-1": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": %s, "output_cost_per_token": 2e-06},\n "dupco-model-1": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": %s, "output_cost_per_token": 2e-06},\n "dupco-model-2": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 3e-06, "output_cost_per_token": 4e-06}}\n' "$a" "$b" ;;
	openrouter) printf '{"data": [{"id": "dupco/model-1", "pricing": {"prompt": "%s", "completion": "0.000002"}},\n {"id": "dupco/model-1", "pricing": {"prompt": "%s", "completion": "0.000002"}},\n {"id": "dupco/model-2", "pricing": {"prompt": "0.000003", "completion": "0.000004"}}]}\n' "$a" "$b" ;;
	genai-prices) printf '[{"id": "dupco", "name": "DupCo", "models": [\n {"id": "dupco-model-1", "prices": {"input_mtok": %s, "output_mtok": 2}},\n {"id": "dupco-model-1", "prices": {"input_mtok": %s, "output_mtok": 2}},\n {"id": "dupco-model-2", "prices": {"input_mtok": 3, "output_mtok": 4}}]}]\n' "$(mtok "$a")" "$(mtok "$b")" ;;
	llm-prices) printf '{"vendor": "dupco", "models": [\n {"id": "dupco-model-1", "price_history": [{"input": %s, "output": 2, "input_cached": null, "from_date": "2025-01-01", "to_date": null}]},\n {"id": "dupco-model-1", "price_history": [{"input": %s, "output": 2, "input_cached": null, "from_date": "2025-01-01", "to_date": null}]},\n {"id": "dupco-model-2", "price_history": [{"input": 3, "output": 4, "input_cached": null, "from_date": "2025-01-01", "to_date": null}]}]}\n' "$(mtok "$a")" "$(mtok "$b")" ;;
	csv) printf 'provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok\ndupco,dupco-model-1,2025-01-01,,%s,2\ndupco,dupco-model-1,2025-01-01,,%s,2\ndupco,dupco-model-2,2025-01-01,,3,4\n' "$(mtok "$a")" "$(mtok "$b")" ;;
	esac
}
mtok() { python3 -c 'import sys; from decimal import Decimal; print(Decimal(sys.argv[1]) * 1000000)' "$1"; }
for f in litellm openrouter genai-prices llm-prices csv; do
	ext=json
	[ $f = csv ] && ext=csv
	sheet $f 1e-06 1e-06 >"$S/same-$f.$ext"
	sheet $f 1e-06 1.5e-06 >"$S/other-$f.$ext"
	# identical copies: kept once, nothing skipped
	expect_rc 0 ingest prices "$S/same-$f.$ext" --format $f --name "same-$f"
	expect_eq "" "$(grep -F unusable "$T/err")" "$f: an identical duplicate is not unusable"
	expect_eq "2 1000000000-3000000000" "$(stored "same-$f")" "$f: an identical duplicate stored once"
	# other prices: the key is unusable and named; the sheet (1 of 3 good) is rejected
	expect_rc 3 ingest prices "$S/other-$f.$ext" --format $f --name "other-$f"
	expect_err "given twice with other prices"
	expect_eq "0" "$(sql "SELECT count(*) FROM sources WHERE name = 'other-$f'")" "$f: a rejected sheet stores nothing"
	expect_rc 0 ingest prices "$S/other-$f.$ext" --format $f --name "other-$f" --force
	expect_err "skipped 2 unusable entries"
	expect_err "model-1 ("
	expect_eq "1 3000000000-3000000000" "$(stored "other-$f")" "$f: only the good key stored"
done
expect_err "dupco-model-1 (line 3: given twice with other prices)" # CSV names the line

# ---- item 9: a price change written as two open rows ----
cat >"$S/change.csv" <<'CSV'
provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok
openai,gpt-4o,2025-01-01,,2.25,9
openai,gpt-4o,2025-07-01,,2.00,8
CSV
expect_rc 0 ingest prices "$S/change.csv" --name contract
expect_rc 0 price gpt-4o --source contract --history --json
expect_eq "2025-01-01 2025-07-01 2.25 0 | 2025-07-01 None 2 0" "$(json_get '" | ".join("%s %s %s %d" % (p["effective_from"], p["effective_to"], p["input_per_mtok"], len(p["tiers"])) for p in j)')" "the later row closes the earlier one, no tier"
printf 'timestamp,model,input_tokens,output_tokens,provider\n' >"$S/usage.csv"
for d in 2024-12-31 2025-03-01 2025-06-30 2025-07-01 2025-09-01; do
	printf '%sT12:00:00Z,gpt-4o,100000,10000,openai\n' $d >>"$S/usage.csv"
done
expect_rc 0 ingest usage "$S/usage.csv"
expect_rc 0 usage --source contract --json
cp "$T/out" "$T/usage.json"
for d in 2024-12-31:none 2025-03-01:2.25:0.315 2025-06-30:2.25:0.315 2025-07-01:2:0.28 2025-09-01:2:0.28; do
	day=${d%%:*} rest=${d#*:}
	want_in=${rest%%:*} want_cost=${rest#*:}
	if [ "$want_in" = none ]; then
		expect_rc 3 price gpt-4o --source contract --at $day
		continue
	fi
	expect_rc 0 price gpt-4o --source contract --at $day --json
	expect_eq "$want_in 0" "$(json_get '"%s %d" % (j["input_per_mtok"], len(j["tiers"]))')" "price on $day"
	expect_rc 0 models --source contract --at $day --json
	expect_eq "$want_in" "$(json_get '[r["input_per_mtok"] for r in j if r["provider"] == "openai"][0]')" "models on $day"
	expect_rc 0 estimate gpt-4o --input 100000 --output 10000 --source contract --at $day --json
	expect_eq "$want_cost" "$(json_get 'j["results"][0]["total"]')" "estimate on $day"
	expect_eq "$want_cost" "$(python3 -c 'import json,sys
from decimal import Decimal
j = json.load(open(sys.argv[1]), parse_float=Decimal)
print([r["cost"] for r in j["rows"] if r["key"] == sys.argv[2]][0])' "$T/usage.json" $day)" "usage on $day"
done

# ---- conflicts in a dated sheet are unusable, named with the line ----
cat >"$S/conflict.csv" <<'CSV'
provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok
acme,acme-a,2025-01-01,2025-09-01,1,2
acme,acme-a,2025-07-01,,3,4
acme,acme-b,2025-01-01,,1,2
acme,acme-b,2025-01-01,2025-05-01,1,2
acme,acme-c,2025-01-01,,5,6
acme,acme-c,2025-01-01,,5,6
acme,acme-d,2025-01-01,,1,2
acme,acme-d,2025-01-01,,1,2,
CSV
expect_rc 0 ingest prices "$S/conflict.csv" --name conflicts --force
expect_err "acme-a (line 3: its period overlaps the next one)"
expect_err "acme-b (line 5: given twice with other prices)"
expect_eq "acme-c 5000000000 acme-d 1000000000" "$(sql "SELECT p.model_id, p.input FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = 'conflicts' AND p.model_id IN ('acme-c', 'acme-d') ORDER BY 1" | tr '|\n' '  ' | sed 's/ $//')" "a duplicated row kept once (also with a trailing empty field)"
expect_eq "0" "$(sql "SELECT count(*) FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = 'conflicts' AND p.model_id IN ('acme-a', 'acme-b')")" "conflicting keys not stored"

# ---- a store written before: two open periods of one source ----
# (what the old ingest stored for change.csv): the later period wins,
# never read as a tier, in price, models and estimate alike (written into
# SQLite's table by hand: SQLite only)
if store_is_sqlite; then
sqlite3 "$LLMCOST_DB" "UPDATE price_periods SET effective_to = NULL WHERE source_id = (SELECT id FROM sources WHERE name = 'contract')"
expect_eq "2" "$(sql "SELECT count(*) FROM price_periods WHERE source_id = (SELECT id FROM sources WHERE name = 'contract') AND effective_to IS NULL")" "two open periods"
expect_rc 0 price gpt-4o --source contract --at 2025-09-01 --json
expect_eq "2 0" "$(json_get '"%s %d" % (j["input_per_mtok"], len(j["tiers"]))')" "old store: price takes the later period"
expect_rc 0 estimate gpt-4o --input 100000 --output 10000 --source contract --at 2025-09-01 --json
expect_eq "0.28" "$(json_get 'j["results"][0]["total"]')" "old store: estimate agrees"
expect_rc 0 models --source contract --at 2025-09-01 --json
expect_eq "2" "$(json_get '[r["input_per_mtok"] for r in j if r["provider"] == "openai"][0]')" "old store: models agrees"
expect_rc 0 price gpt-4o --source contract --at 2025-03-01 --json
expect_eq "2.25 0" "$(json_get '"%s %d" % (j["input_per_mtok"], len(j["tiers"]))')" "old store: before the change"
fi

done_testing

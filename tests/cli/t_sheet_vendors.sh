# Several files of one source: the llm-prices per-vendor files, ingested
# one after another under the source's name (issue #15).  Each file is a
# snapshot of its own vendor: a second, smaller vendor file is not "under
# half of the last sheet", and the first file's models are not "missing"
# from it.  The size check still holds per file: a file that shrank by half
# from its own URL, or a new file pricing half of what the source last
# listed at the vendors it names, is rejected and changes nothing.
. "$TOP/tests/cli/lib.sh"

P="$FIX/prices"
A="$T/acmeai.json"
Z="$T/zetalabs.json"
cp "$P/llm-prices-acmeai.json" "$A"
cp "$P/llm-prices-zetalabs.json" "$Z"
export LLMCOST_NOW=2026-03-01
dump() { catalogue_sql 'SELECT * FROM price_periods ORDER BY id' >"$1"; }
price_of() { # MODEL: "input output source"
	run price "$1" --source llm-prices --json
	json_get '" ".join(str(x) for x in (j["input_per_mtok"], j["output_per_mtok"], j["source"]))'
}

# ---- two vendor files, one source ----
expect_rc 0 ingest prices "$A" --name llm-prices
expect_out "source 'llm-prices' (llm-prices): 4 models priced"
export LLMCOST_NOW=2026-03-02
expect_rc 0 ingest prices "$Z" --name llm-prices
expect_out "source 'llm-prices' (llm-prices): 1 models priced"
expect_no_out "not in this sheet"  # the other vendor's file is not missing from this one
expect_eq "1 2 llm-prices" "$(price_of acmeai/acme-vendor-1)" "the first vendor kept"
expect_eq "0.25 1.25 llm-prices" "$(price_of zetalabs/zeta-vendor-1)" "the second vendor priced"
# the default name of an llm-prices file is the source's name too
expect_rc 0 ingest prices "$A"
expect_out "0 new, 0 changed, 4 unchanged"
expect_rc 0 ingest prices "$Z"
expect_out "0 new, 0 changed, 1 unchanged"
expect_eq "0.25 1.25 llm-prices" "$(price_of zetalabs/zeta-vendor-1)" "still priced"
expect_eq "3 6 llm-prices" "$(price_of acmeai/acme-vendor-3)" "dated history of the first file"
expect_rc 0 sources --json
expect_eq "1" "$(json_get '[s["models"] for s in j if s["name"] == "llm-prices"][0]')" "sources: keys of the last sheet"

# ---- a vendor file that shrank by half, from its own path: rejected ----
dump "$T/before"
python3 - "$P/llm-prices-acmeai.json" "$A" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["models"] = d["models"][:1]
json.dump(d, open(sys.argv[2], "w"))
PY
expect_rc 3 ingest prices "$A"
expect_err "under half of the 4 in the last good sheet from this URL of source 'llm-prices'"
# the same shrunken file under a new path: measured against the vendor
cp "$A" "$T/acmeai-mirror.json"
expect_rc 3 ingest prices "$T/acmeai-mirror.json"
expect_err "under half of the 4 it last listed at the hosts this sheet names"
# the vendor file's URL with another vendor's content (a whole file that lost
# its vendors): measured against that URL's last sheet
cp "$Z" "$A"
expect_rc 3 ingest prices "$A"
expect_err "under half of the 4"
dump "$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "a rejected vendor file changed prices"
# --force accepts it (a later day); the dropped models keep their prices
export LLMCOST_NOW=2026-03-05
cp "$P/llm-prices-acmeai.json" "$A"
python3 - "$A" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["models"] = d["models"][:1]
json.dump(d, open(sys.argv[1], "w"))
PY
expect_rc 0 ingest prices "$A" --force
expect_out "3 offerings of this source are not in this sheet (kept)"
expect_eq "0.5 1 llm-prices" "$(price_of acmeai/acme-vendor-4)" "dropped model kept"
# ... and is the file's new measure: the same file again passes
expect_rc 0 ingest prices "$A"
# a new vendor is measured against nothing: accepted
printf '{"vendor": "newco", "models": [{"id": "newco-1", "price_history": [{"input": 1, "output": 1, "input_cached": null, "from_date": "2025-01-01", "to_date": null}]}]}\n' >"$T/newco.json"
expect_rc 0 ingest prices "$T/newco.json"
expect_out "1 models priced"

done_testing

# llmcost ingest prices / sources: fetch over a real HTTP server on
# 127.0.0.1, parse each format, diff snapshots into price history, and leave
# the price tables untouched on every failure.
. "$TOP/tests/cli/lib.sh"

P="$FIX/prices"
W="$T/www"
mkdir -p "$W"
cp "$P"/* "$W"/
start_httpd "$W"
export LLMCOST_RETRY_BASE_MS=20 LLMCOST_FETCH_TIMEOUT=2

dump() { catalogue_sql 'SELECT * FROM price_periods ORDER BY id' >"$1"; }
same_dump() { # LABEL: price_periods equal to $T/before
	dump "$T/after"
	if cmp -s "$T/before" "$T/after"; then ok; else bad "$1: price_periods changed"; fi
}
count() { curl -s "$U/_count$1" 2>/dev/null || python3 -c "import urllib.request,sys;print(urllib.request.urlopen(sys.argv[1]).read().decode())" "$U/_count$1"; }
rows() { catalogue_sql 'SELECT count(*) FROM price_periods'; }

# ---- first ingest (OpenRouter) ----
export LLMCOST_NOW=2026-01-10
expect_rc 0 ingest prices openrouter --url "$U/n/openrouter.json"
expect_out "source 'openrouter' (openrouter)"
expect_err "openrouter/auto"                      # "-1" router: no price, named
expect_rc 0 price openrouter/openai/gpt-4o --source openrouter --json
expect_eq "2.5 10 1.25 0.01 openrouter" "$(json_get 'j["input_per_mtok"], j["output_per_mtok"], j["cached_input_per_mtok"], j["web_search_fee"], j["provider"]' | tr -d '(),'"'"'' | sed 's/Decimal//g')" "gpt-4o via openrouter"
expect_rc 0 price openrouter/anthropic/claude-sonnet-4 --source openrouter --json
expect_eq "3 15 0.3 3.75 6 1.5 7.5" "$(json_get '" ".join(str(j[k]) for k in ["input_per_mtok","output_per_mtok","cached_input_per_mtok","cache_write_5m_per_mtok","cache_write_1h_per_mtok","batch_input_per_mtok","batch_output_per_mtok"])')" "claude via openrouter, :batch folded"
expect_eq "200000 6 22.5" "$(json_get '" ".join(str(x) for x in (j["tiers"][0]["min_input_tokens"], j["tiers"][0]["input_per_mtok"], j["tiers"][0]["output_per_mtok"]))')" "overrides -> tier"
expect_eq "1" "$(json_get 'len(j["tiers"])')" "time-window override not a tier"
# :free is a real zero under the host openrouter-free
expect_rc 0 price meta-llama/llama-3.3-70b-instruct:free --source openrouter --json
expect_eq "0 0 openrouter-free" "$(json_get '" ".join(str(x) for x in (j["input_per_mtok"], j["output_per_mtok"], j["provider"]))')" ":free"
# 22 fractional digits: rounded half-even to the unit
expect_rc 0 price openrouter/acme/widget-1 --source openrouter --json
expect_eq "0.020833333" "$(json_get 'j["input_per_mtok"]')" "rounded price"
# Gemini's image == prompt is not a per-image fee
expect_rc 0 price openrouter/google/gemini-2.0-flash-001 --source openrouter --json
expect_eq "None" "$(json_get 'j["image_fee"]')" "image == prompt dropped"
# the router has no price at all
expect_rc 3 price openrouter/auto --source openrouter

# ---- identical re-ingest: no new rows ----
dump "$T/before"
expect_rc 0 ingest prices openrouter --url "$U/n/openrouter.json"
expect_out "0 new, 0 changed, 6 unchanged"
same_dump "identical re-ingest"

# ---- a changed price and a dropped model ----
export LLMCOST_NOW=2026-02-01
cp "$P/openrouter-v2.json" "$W/openrouter.json"
n0=$(rows)
expect_rc 0 ingest prices openrouter --url "$U/n/openrouter.json"
expect_out "0 new, 1 changed, 4 unchanged"
expect_out "1 offerings of this source are not in this sheet"
expect_eq "$((n0 + 1))" "$(rows)" "one row added"
expect_rc 0 price openrouter/openai/gpt-4o --source openrouter --history --json
# the source's first price of a model whose release the catalogue knows
# (gpt-4o-2024-08-06) starts at the release; a change at the snapshot date
expect_eq "2024-08-06 2026-02-01 2.5 | 2026-02-01 None 2" "$(json_get '" | ".join("%s %s %s" % (p["effective_from"], p["effective_to"], p["input_per_mtok"]) for p in j)')" "period closed and opened"
expect_eq "[False, True]" "$(json_get '[p["observed"] for p in j]')" "snapshot dates are observed, release dates not"
expect_rc 0 price openrouter/acme/widget-1 --source openrouter --at 2026-03-01 --json
expect_eq "None" "$(json_get 'j["effective_to"]')" "dropped model keeps its open period"
expect_eq "2026-01-10" "$(catalogue_sql "SELECT last_seen FROM price_periods WHERE model_id = 'acme/widget-1'")" "last_seen of dropped model"

# ---- 304 Not Modified (conditional GET with the stored ETag) ----
export LLMCOST_NOW=2026-02-02
expect_rc 0 ingest prices openrouter --url "$U/f/openrouter.json"
dump "$T/before"
expect_rc 0 ingest prices openrouter --url "$U/f/openrouter.json"
expect_out "not modified"
same_dump "304"
expect_rc 0 sources --json
expect_eq "304" "$(json_get '[s["http_status"] for s in j if s["name"] == "openrouter"][0]')" "sources records 304"
expect_eq "True" "$(json_get '[s["etag"] for s in j if s["name"] == "openrouter"][0].startswith(chr(34))')" "sources records the ETag"

# ---- failures: exit code, message, price tables unchanged ----
dump "$T/before"
expect_rc 4 ingest prices openrouter --url "$U/status/404"
expect_err "HTTP 404"
expect_eq "1" "$(count /status/404)" "404 is not retried"
expect_rc 4 ingest prices openrouter --url "$U/status/500"
expect_err "after 4 tries"
expect_eq "4" "$(count /status/500)" "500 retried 4 times"
t0=$(date +%s)
expect_rc 0 ingest prices openrouter --url "$U/retry429/openrouter.json"
t1=$(date +%s)
expect_err "HTTP 429"
expect_eq "2" "$(count /retry429/openrouter.json)" "429 then success"
[ $((t1 - t0)) -ge 1 ] && ok || bad "Retry-After: 1 not honoured ($((t1 - t0)) s)"
same_dump "429 then the same sheet"
LLMCOST_FETCH_TIMEOUT=1 expect_rc 4 ingest prices openrouter --url "$U/stall"
expect_err "tim"
expect_rc 4 ingest prices openrouter --url "$U/truncated/openrouter.json"
expect_err "truncated"
LLMCOST_FETCH_MAX_BYTES=100000 expect_rc 4 ingest prices openrouter --url "$U/endless"
expect_err "cap"
LLMCOST_FETCH_MAX_BYTES=100000 expect_rc 4 ingest prices openrouter --url "$U/gzipbomb"
expect_err "cap"
expect_rc 3 ingest prices openrouter --url "$U/n/garbage.txt"
expect_err "not valid JSON"
expect_rc 4 ingest prices openrouter --url "$U/redirect-file"
expect_err "refused"
expect_rc 4 ingest prices openrouter --url "$U/redirect-http"
expect_err "refused"
expect_rc 4 ingest prices openrouter --url "$U/loop"
expect_err "redirects"
expect_rc 3 ingest prices openrouter --url "$U/n/openrouter-half.json"
expect_err "under half"
expect_rc 3 ingest prices openrouter --url "$U/n/openrouter-unusable.json"
expect_err "unusable"
: >"$W/empty.json"
expect_rc 3 ingest prices openrouter --url "$U/n/empty.json"
expect_err "empty"
same_dump "every failure"
expect_rc 0 ingest prices openrouter --url "$U/redirect/openrouter.json"
expect_out "unchanged"
expect_rc 2 ingest prices openrouter --format nonsense
expect_rc 2 ingest prices
expect_rc 0 ingest prices --help
expect_out "usage: llmcost ingest prices"

# --force accepts the shrunken sheet; the dropped models keep their prices
expect_rc 0 ingest prices openrouter --url "$U/n/openrouter-half.json" --force
expect_rc 0 price openrouter/anthropic/claude-sonnet-4 --source openrouter
expect_rc 0 sources
expect_out "openrouter"

# ---- LiteLLM ----
export LLMCOST_NOW=2026-02-10
expect_rc 0 ingest prices "$U/n/litellm.json"
expect_out "source 'litellm' (litellm)"
expect_err "wandb/broken (over \$1,000 per 1M tokens for a chat model)"
expect_rc 0 price claude-sonnet-4-20250514 --source litellm --json
expect_eq "anthropic 3 15 0.3 3.75 6 1.5 7.5 0.01" "$(json_get '" ".join(str(j[k]) for k in ["provider","input_per_mtok","output_per_mtok","cached_input_per_mtok","cache_write_5m_per_mtok","cache_write_1h_per_mtok","batch_input_per_mtok","batch_output_per_mtok","web_search_fee"])')" "bare name = Anthropic's own price"
expect_eq "200000 6 22.5 12" "$(json_get '" ".join(str(x) for x in (j["tiers"][0]["min_input_tokens"], j["tiers"][0]["input_per_mtok"], j["tiers"][0]["output_per_mtok"], j["tiers"][0]["cache_write_1h_per_mtok"]))')" "_above_200k and _above_1hr_above_200k"
expect_rc 0 price anthropic.claude-sonnet-4-20250514-v1:0 --source litellm --json
expect_eq "bedrock 3.3" "$(json_get '" ".join(str(x) for x in (j["provider"], j["input_per_mtok"]))')" "Bedrock id = Bedrock's price (plain id beats the regional key)"
expect_rc 0 price databricks/databricks-claude-3-7-sonnet --source litellm --json
expect_eq "2.99999 15.00002" "$(json_get '" ".join(str(x) for x in (j["input_per_mtok"], j["output_per_mtok"]))')" "float artefacts rounded"
expect_rc 0 price novita/deepseek/deepseek-v3.2 --source litellm --json
expect_eq "novita 0.269" "$(json_get '" ".join(str(x) for x in (j["provider"], j["input_per_mtok"]))')" "unknown host prefix"
expect_eq "embedding" "$(catalogue_sql "SELECT mode FROM models WHERE id = 'text-embedding-3-small'")" "embedding kept with its mode"
expect_rc 0 models --source litellm --json
expect_eq "embedding" "$(json_get '" ".join(r["mode"] for r in j if r["model"] == "text-embedding-3-small")')" "embedding listed with its mode, not as chat"
expect_eq "0" "$(catalogue_sql "SELECT count(*) FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = 'litellm' AND p.model_id = 'gemini-2.0-flash'")" "embedding entry under a chat model's key not stored"
# precedence: builtin first by default on the dates it covers; a source's
# priority can be changed
expect_rc 0 price claude-sonnet-4-20250514 --at 2025-06-01 --json
expect_eq "builtin" "$(json_get 'j["source"]')" "builtin wins by default"
expect_rc 0 sources priority litellm -5
expect_rc 0 price claude-sonnet-4-20250514 --at 2025-06-01 --json
expect_eq "litellm" "$(json_get 'j["source"]')" "priority -5 wins over builtin"
expect_rc 3 sources priority nosuchsource 1
n0=$(rows)
expect_rc 0 ingest prices "$U/n/litellm.json"
expect_eq "$n0" "$(rows)" "LiteLLM re-ingest adds no rows"

# ---- genai-prices: dated periods and cliffs ----
expect_rc 0 ingest prices "$U/n/genai.json"
expect_rc 0 price o3 --source genai-prices --history --json
expect_eq "2025-04-16 2025-06-10 10 | 2025-06-10 None 2" "$(json_get '" | ".join("%s %s %s" % (p["effective_from"], p["effective_to"], p["input_per_mtok"]) for p in j)')" "genai start_date -> periods (undated from release date)"
expect_eq "False" "$(json_get 'any(p["observed"] for p in j)')" "dated periods are not observed"
expect_rc 0 price gpt-4o-mini --source genai-prices --json
expect_eq "0.025" "$(json_get 'j["web_search_fee"]')" "web_searches_kcount per search"
expect_rc 0 price google/gemini-2.5-pro-test --source genai-prices --json
expect_eq "200000 2.5 15" "$(json_get '" ".join(str(x) for x in (j["tiers"][0]["min_input_tokens"], j["tiers"][0]["input_per_mtok"], j["tiers"][0]["output_per_mtok"]))')" "genai tiers"
expect_rc 0 price deepseek/deepseek-reasoner-test --source genai-prices --json
expect_eq "0.135" "$(json_get 'j["input_per_mtok"]')" "time-of-day price not modelled; base kept"
n0=$(rows)
expect_rc 0 ingest prices "$U/n/genai.json"
expect_eq "$n0" "$(rows)" "genai re-ingest adds no rows"

# ---- llm-prices: unsorted history, duplicates, -128k tiers ----
expect_rc 0 ingest prices "$U/n/llm-prices-xai.json" --force
expect_err "grok-dup-test (given twice with other prices)"
# the earlier row has no start and the model no known release: its dates
# are unknown, so it is not stored (never "since 0000-01-01")
expect_rc 3 price xai/grok-test --source llm-prices --at 2025-08-01 --json
expect_eq "0" "$(catalogue_sql "SELECT count(*) FROM price_periods WHERE effective_from = '0000-01-01'")" "nothing priced since 0000-01-01"
expect_rc 0 price xai/grok-test --source llm-prices --at 2025-09-01 --history --json
expect_eq "2025-09-01 None" "$(json_get '" | ".join("%s %s" % (p["effective_from"], p["effective_to"]) for p in j)')" "the dated row kept, to exclusive"
expect_rc 0 price xai/grok-test --source llm-prices --at 2025-09-01 --json
expect_eq "2 10 128000 4" "$(json_get '" ".join(str(x) for x in (j["input_per_mtok"], j["output_per_mtok"], j["tiers"][0]["min_input_tokens"], j["tiers"][0]["input_per_mtok"]))')" "from inclusive; -128k id folded as a tier"
expect_rc 0 price xai/grok-fast-test --source llm-prices --json
expect_eq "0.2" "$(json_get 'j["input_per_mtok"]')" "identical duplicate merged"

# ---- the user's CSV ----
expect_rc 3 ingest prices "$P/user.csv" --name mycontract
expect_err "broken-row (line 7)"
expect_rc 0 ingest prices "$P/user.csv" --name mycontract --force
expect_rc 0 price gpt-4o --source mycontract --at 2025-03-01 --json
expect_eq "2.25 9 1.125 50 https://example.com/contract-2025" "$(json_get '" ".join(str(x) for x in (j["input_per_mtok"], j["output_per_mtok"], j["cached_input_per_mtok"], j["batch_discount_pct"], j["source_url"]))')" "CSV period 1"
expect_rc 0 price acme-private-1 --source mycontract --json
expect_eq "0.5 100000 1" "$(json_get '" ".join(str(x) for x in (j["input_per_mtok"], j["tiers"][0]["min_input_tokens"], j["tiers"][0]["input_per_mtok"]))')" "CSV tier row"
# a model OpenRouter created (default host openrouter) now priced at its
# maker's own API: a bare name means that API
expect_rc 0 price acme/widget-1 --json
expect_eq "acme 0.7 mycontract" "$(json_get '" ".join(str(x) for x in (j["provider"], j["input_per_mtok"], j["source"]))')" "default host moves to the maker"
expect_rc 0 sources --csv
expect_out "mycontract,csv,10,"

kill $SRV 2>/dev/null
done_testing

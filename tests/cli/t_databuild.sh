# tools/databuild.py, the maintainer's data build: rebuilds data/prices.csv
# from the curated rows plus prices mined from the git histories of
# llm-prices, genai-prices and LiteLLM.  Here on tiny git repositories made by
# the test: deterministic output, provenance, the revert rule (R3), curated
# wins (R1), precedence and hand settlement (R4), exact decimals.
. "$TOP/tests/cli/lib.sh"

B="python3 $TOP/tools/databuild.py"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid

# commit DIR DATE: commit everything in DIR as of DATE (UTC noon)
commit() {
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -C "$1" add -A >/dev/null &&
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -C "$1" commit -q -m "sync $2" >/dev/null
}
newrepo() { mkdir -p "$1" && git -C "$1" init -q >/dev/null; }

# --- LiteLLM: gpt-x with a 1000x sheet error that reverts in two days, then
# a real cut; gpt-z; old-model (curated, and LiteLLM disagrees)
L="$T/litellm"
newrepo "$L"
ll() { printf '{"gpt-x": {"input_cost_per_token": %s, "output_cost_per_token": 4e-06, "mode": "chat"},
 "gpt-z": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.1e-05},
 "together_ai/gpt-v": {"input_cost_per_token": 2e-06, "output_cost_per_token": 6e-06},
 "gpt-w": {"input_cost_per_token": %s, "output_cost_per_token": 1e-06},
 "together_ai/gpt-y": {"input_cost_per_token": 1e-06, "output_cost_per_token": 3e-06, "cache_read_input_token_cost": 1e-07},
 "old-model": {"input_cost_per_token": 1e-05, "output_cost_per_token": 3.1e-05}}\n' "$1" "$2" \
	>"$L/model_prices_and_context_window.json"; commit "$L" "$3"; }
# gpt-x's input, gpt-w's input (listed at 9 by mistake, corrected in 3 days), date
ll 1.1e-06 9e-06 2025-03-01
ll 1.1e-06 1e-06 2025-03-04
ll 1.1e-03 1e-06 2025-03-10
ll 1.1e-06 1e-06 2025-03-12
ll 5e-07 1e-06 2025-04-01
cut=$(git -C "$L" rev-parse HEAD)

# --- genai-prices: gpt-y at Together, a dated cut with a >200K tier
G="$T/genai"
newrepo "$G"
mkdir -p "$G/prices/providers" "$G/prices/new_data/v2"
printf 'id: together\nmodels:\n  - id: gpt-y\n  - id: gpt-v\n' >"$G/prices/providers/together.yml"
echo '[]' >"$G/prices/new_data/v2/data.json"
commit "$G" 2025-02-25
cat >"$G/prices/new_data/v2/data.json" <<'J'
[{"id": "together", "models": [{"id": "gpt-y", "prices": [
  {"prices": {"input_mtok": 2, "output_mtok": 6}},
  {"constraint": {"start_date": "2025-06-01"},
   "prices": {"input_mtok": {"base": 1, "tiers": [{"start": 200000, "price": 2}]}, "output_mtok": 3}}]},
 {"id": "gpt-v", "prices": [
  {"prices": {"input_mtok": 2, "output_mtok": 6}},
  {"constraint": {"start_date": "2025-06-01"}, "prices": {"input_mtok": 1, "output_mtok": 3}},
  {"constraint": {"start_date": "2025-07-01"}, "prices": {"input_mtok": 1, "output_mtok": 3}}]}]}]
J
commit "$G" 2025-06-02
ghead=$(git -C "$G" rev-parse HEAD)

# --- llm-prices: gpt-z (disagrees with LiteLLM on output)
P="$T/llmprices"
newrepo "$P"
mkdir -p "$P/data"
echo '{"vendor": "openai", "models": []}' >"$P/data/openai.json"
commit "$P" 2025-01-05
cat >"$P/data/openai.json" <<'J'
{"vendor": "openai", "models": [{"id": "gpt-z", "price_history": [
  {"input": 3, "output": 15, "from_date": null, "to_date": "2025-05-01", "input_cached": null},
  {"input": 3, "output": 12, "from_date": "2025-05-01", "to_date": null, "input_cached": 0.3}]},
 {"id": "gpt-z-200k", "price_history": [{"input": 6, "output": 24, "from_date": null, "to_date": null}]}]}
J
commit "$P" 2025-02-10
phead=$(git -C "$P" rev-parse HEAD)

mkdir -p "$T/d"
cat >"$T/d/models.csv" <<'E'
id,maker,family,name,release_date,context_window,max_output,modalities,open_weights,default_host,image_tokens
gpt-x,openai,gpt-x,GPT-X,2025-02-20,,,text,0,openai,
gpt-y,meta,gpt-y,GPT-Y,2025-01-01,,,text,1,together,
gpt-z,openai,gpt-z,GPT-Z,,,,text,0,openai,
gpt-v,meta,gpt-v,GPT-V,2025-01-01,,,text,1,together,
gpt-w,openai,gpt-w,GPT-W,,,,text,0,openai,
old-model,openai,old,Old,2023-01-01,,,text,0,openai,
E
head -n 1 "$TOP/data/prices.csv" >"$T/d/prices.csv"
echo 'old-model,openai,2023-01-01,,10,30,,,,,0,,,,,https://example.com/old,' >>"$T/d/prices.csv"
cat >"$T/d/map.csv" <<'E'
source,key,model,host,min_input_tokens
litellm,gpt-x,gpt-x,openai
litellm,gpt-w,gpt-w,openai
litellm,gpt-z,gpt-z,openai
litellm,old-model,old-model,openai
litellm,no-such-key,gpt-x,openai
genai-prices,together/gpt-y,gpt-y,together
litellm,together_ai/gpt-y,gpt-y,together
genai-prices,together/gpt-v,gpt-v,together
litellm,together_ai/gpt-v,gpt-v,together
llm-prices,openai/gpt-z,gpt-z,openai
llm-prices,openai/gpt-q,not-a-model,openai
llm-prices,openai/gpt-z-200k,gpt-z,openai,200000
E
echo 'model,host,source,evidence_url,reason' >"$T/d/settled.csv"

build() {
	$B --prices "$T/d/prices.csv" --models "$T/d/models.csv" --map "$T/d/map.csv" \
		--settled "$T/d/settled.csv" --litellm "$L" --genai-prices "$G" \
		--llm-prices "$P" "$@"
}
if build --out "$T/out1.csv" --review "$T/rev1" 2>"$T/err"; then ok; else bad "databuild failed"; fi
build --out "$T/out2.csv" --review "$T/rev2"
if cmp -s "$T/out1.csv" "$T/out2.csv" && cmp -s "$T/rev1" "$T/rev2"; then ok; else bad "two runs differ"; fi
# a rerun on its own output drops and rebuilds the mined rows: a fixed point
cp "$T/out1.csv" "$T/d/prices.csv"
build --out "$T/out3.csv" --review "$T/rev3"
if cmp -s "$T/out1.csv" "$T/out3.csv"; then ok; else bad "rerun on own output differs"; fi
cp "$T/out1.csv" "$T/out"
cp "$T/rev1" "$T/err"

# R3 + R5: gpt-x from its release date at the maker, 1.1 exactly (no binary
# float), the 1100 sheet error gone, the real cut dated by its first snapshot
expect_out "gpt-x,openai,2025-02-20,2025-04-01,1.1,4,,,,,0,,,,,https://github.com/RoCry/llm-api-price/blob/"
expect_out "gpt-x,openai,2025-04-01,,0.5,4,,,,,0,,,,,https://github.com/RoCry/llm-api-price/blob/$cut/model_prices_and_context_window.json,mined: litellm"
expect_no_out "1100"
expect_eq 2 "$(grep -c '^gpt-x,' "$T/out")" "gpt-x periods"
expect_err "settled by R3 (revert within 2 days): litellm gpt-x 2025-03-10..2025-03-12"
# a first listing corrected within the window is a correction too
expect_out "gpt-w,openai,2025-03-01,,1,1,,,,,0,"
expect_eq 1 "$(grep -c '^gpt-w,' "$T/out")" "gpt-w periods"
expect_err "settled by R3 (first listing corrected within 3 days): litellm gpt-w 2025-03-01 9/1/-/-/- ignored"
# genai-prices: first period from the first commit naming the id, start_date cut, tier row
expect_out "gpt-y,together,2025-02-25,2025-06-01,2,6,,,,,0,,,,,https://github.com/pydantic/genai-prices/blob/$ghead/prices/new_data/v2/data.json,mined: genai-prices; from = first seen"
# R6: the cache read genai-prices lacks comes from LiteLLM, which agrees on input/output
expect_out "gpt-y,together,2025-06-01,,1,3,0.1,,,,0,"
expect_out "mined: genai-prices; from = start_date; cached_input from litellm "
expect_out "gpt-y,together,2025-06-01,,2,3,,,,,200000,"
# a LiteLLM series that ends before genai-prices' dated cut does not
# contradict it; the repeated 1/3 item is merged into one period
if grep -q "conflict gpt-v" "$T/err"; then bad "gpt-v: a series ending before the cut listed as a conflict"; else ok; fi
expect_eq 2 "$(grep -c '^gpt-v,' "$T/out")" "gpt-v periods (equal neighbours merged)"
expect_out "gpt-v,together,2025-06-01,,1,3,,,,,0,"
# R4: llm-prices beats LiteLLM, and the disagreement is listed for review
expect_out "gpt-z,openai,2025-05-01,,3,12,0.3,,,,0,,,,,https://github.com/simonw/llm-prices/blob/$phead/data/openai.json,mined: llm-prices; from = from_date"
expect_out "gpt-z,openai,2025-02-10,2025-05-01,3,15,"
# a key holding one context tier (map.csv's min_input_tokens)
# (split where the base rows change: tier rows repeat the base periods)
expect_out "gpt-z,openai,2025-02-10,2025-05-01,6,24,,,,,200000,,,,,https://github.com/simonw/llm-prices/blob/$phead/data/openai.json"
expect_out "gpt-z,openai,2025-05-01,,6,24,,,,,200000,"
# (compared on the day LiteLLM's latest period began: 2025-03-01)
expect_err "conflict gpt-z openai: llm-prices 3/15/-/-/-, litellm 3/11/-/-/- [output]; took llm-prices by R4"
# LiteLLM has 1/3 from March, genai-prices dates that price from June: listed
expect_err "conflict gpt-y together: genai-prices 2/6/-/-/-, litellm 1/3/0.1/-/- [input,output]"
# R1: the curated row stays alone; the disagreement is listed
expect_eq 1 "$(grep -c '^old-model,' "$T/out")" "old-model rows"
expect_out "old-model,openai,2023-01-01,,10,30,,,,,0,,,,,https://example.com/old,"
expect_err "conflict old-model openai: curated 10/30/-/-/-, litellm 10/31/-/-/-"
expect_err "litellm: mapped key 'no-such-key' not found"
expect_err "names model 'not-a-model' that is not in models.csv"
# every mined row names repository, commit and path
expect_eq 0 "$(grep 'mined:' "$T/out" | grep -cv 'https://github.com/[^/]*/[^/]*/blob/[0-9a-f]\{40\}/')" "mined rows without provenance"

# settled.csv: a hand choice takes LiteLLM for gpt-z and silences the conflict
echo 'gpt-z,openai,litellm,https://example.com/evidence,checked' >>"$T/d/settled.csv"
build --out "$T/out" --review "$T/err"
expect_out "gpt-z,openai,2025-03-01,,3,11,,,,,0,,,,,https://github.com/RoCry/llm-api-price/blob/"
expect_no_out "mined: llm-prices"
if grep -q "conflict gpt-z" "$T/err"; then bad "settled conflict still listed"; else ok; fi

# the input is never touched when a repository is missing
cp "$T/d/prices.csv" "$T/before"
if build --out "$T/d/prices.csv" --genai-prices "$T/nowhere" 2>"$T/err"; then bad "missing repo accepted"; else ok; fi
if cmp -s "$T/before" "$T/d/prices.csv"; then ok; else bad "prices.csv changed on failure"; fi

# --- the mapping rules (--aliases) and generated catalogue rows (--generated):
# a LiteLLM history with host keys, Bedrock global and regional ids, a new
# model only a host lists (with a sheet error that reverts), a variant the
# rules leave for review, a moving alias, a data-zone key, an embedding.
R="$T/rules"
newrepo "$R"
rl() { printf '{"together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo": {"input_cost_per_token": 8.8e-07, "output_cost_per_token": 8.8e-07, "litellm_provider": "together_ai", "mode": "chat"},
 "groq/llama-3.3-70b-versatile": {"input_cost_per_token": 5.9e-07, "output_cost_per_token": 7.9e-07, "litellm_provider": "groq", "mode": "chat"},
 "global.anthropic.claude-sonnet-9-v1:0": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "litellm_provider": "bedrock_converse", "mode": "chat"},
 "us.anthropic.claude-sonnet-9-v1:0": {"input_cost_per_token": 3.3e-06, "output_cost_per_token": 1.65e-05, "litellm_provider": "bedrock_converse", "mode": "chat"},
 "us.anthropic.claude-old-v1:0": {"input_cost_per_token": 9e-06, "output_cost_per_token": 9e-06, "litellm_provider": "bedrock", "mode": "chat"},
 "anthropic.claude-old-v1:0": {"input_cost_per_token": 8e-06, "output_cost_per_token": 2.4e-05, "litellm_provider": "bedrock", "mode": "chat"},
 "fireworks_ai/accounts/fireworks/models/qwen9-32b-instruct": {"input_cost_per_token": %s, "output_cost_per_token": 9e-07, "max_input_tokens": 32768, "max_output_tokens": 8192, "litellm_provider": "fireworks_ai", "mode": "chat"},
 "openrouter/z-ai/glm-9:exacto": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openrouter", "mode": "chat"},
 "gpt-9": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai", "mode": "chat"},
 "azure/eu/gpt-9-a": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "azure", "mode": "chat"},
 "text-embedding-9": {"input_cost_per_token": 1e-08, "output_cost_per_token": 0, "litellm_provider": "openai", "mode": "embedding"}}\n' "$1" \
	>"$R/model_prices_and_context_window.json"; commit "$R" "$2"; }
rl 9e-07 2025-03-01
rl 9e-04 2025-03-05
rl 9e-07 2025-03-07
rl 6e-07 2025-05-01
rcut=$(git -C "$R" rev-parse HEAD)

mkdir -p "$T/r"
cat >"$T/r/models.csv" <<'E'
id,maker,family,name,release_date,context_window,max_output,modalities,open_weights,default_host,image_tokens
llama-3.3-70b-instruct,meta,llama-3.3-70b,Llama 3.3 70B Instruct,2024-12-06,,,text,1,together,
claude-sonnet-9,anthropic,claude-sonnet-9,Claude Sonnet 9,2025-10-01,,,text,0,anthropic,
claude-old,anthropic,claude-old,Claude Old,2024-01-01,,,text,0,anthropic,
gpt-9-a,openai,gpt-9,GPT-9 A,2025-01-01,,,text,0,openai,
gpt-9-b,openai,gpt-9,GPT-9 B,2025-04-01,,,text,0,openai,
E
cat >"$T/r/aliases.csv" <<'E'
alias,model,host,valid_from,valid_to
gpt-9,gpt-9-a,,2025-01-01,2025-04-01
gpt-9,gpt-9-b,,2025-04-01,
E
head -n 1 "$TOP/data/prices.csv" >"$T/r/prices.csv"
echo 'source,key,model,host,min_input_tokens' >"$T/r/map.csv"
printf 'key,value,note\ncurrent_to,2000-01-01,by hand\nother,kept,x\n' >"$T/r/meta.csv"
rbuild() {
	$B --prices "$T/r/prices.csv" --models "$T/r/models.csv" --map "$T/r/map.csv" \
		--aliases "$T/r/aliases.csv" --generated "$T/r/generated.csv" --meta "$T/r/meta.csv" \
		--litellm "$R" --out "$T/r/prices.csv" --review "$T/r/review"
}
if rbuild 2>"$T/err"; then ok; else bad "databuild with rules failed: $(cat "$T/err")"; fi
cp "$T/r/prices.csv" "$T/out"
cp "$T/r/review" "$T/err"
# host keys map to the catalogue's model by rule (Together's Turbo, Groq's -versatile)
expect_out "llama-3.3-70b-instruct,together,2025-03-01,,0.88,0.88,"
expect_out "llama-3.3-70b-instruct,groq,2025-03-01,,0.59,0.79,"
# Bedrock: the global id is bedrock, a US regional id of the Claude 4.5
# generation on is bedrock-regional (10% more); an older model's regional id
# is not mapped
expect_out "claude-sonnet-9,bedrock,2025-03-01,,3,15,"
expect_out "claude-sonnet-9,bedrock-regional,2025-03-01,,3.3,16.5,"
expect_out "claude-old,bedrock,2025-03-01,,8,24,"
expect_no_out "claude-old,bedrock-regional"
# a new model only a host lists: a generated catalogue row (release = first
# snapshot, limits from LiteLLM, family without -instruct, open weights by
# maker) and its price history with the sheet error reverted (R3)
cp "$T/r/models.csv" "$T/out"
expect_out "qwen9-32b,alibaba,qwen9-32b,qwen9-32b,2025-03-01,32768,8192,text,1,fireworks,"
cp "$T/r/prices.csv" "$T/out"
expect_out "qwen9-32b,fireworks,2025-03-01,2025-05-01,0.9,0.9,"
expect_out "qwen9-32b,fireworks,2025-05-01,,0.6,0.9,,,,,0,,,,,https://github.com/RoCry/llm-api-price/blob/$rcut/model_prices_and_context_window.json,mined: litellm"
expect_no_out "900"
expect_err "settled by R3 (revert within 2 days): litellm fireworks_ai/accounts/fireworks/models/qwen9-32b-instruct"
expect_eq "qwen9-32b,litellm,fireworks_ai/accounts/fireworks/models/qwen9-32b-instruct" \
	"$(sed -n 2p "$T/r/generated.csv")" "generated.csv row"
# the host's own spelling becomes an alias of the model (listed in
# generated_aliases.csv); a name that only differs in punctuation does not
expect_eq "qwen9-32b-instruct,qwen9-32b,,," "$(grep '^qwen9-32b-instruct,' "$T/r/aliases.csv")" "generated alias"
expect_eq "llama-3.3-70b-instruct-turbo,llama-3.3-70b-instruct,,," \
	"$(grep '^llama-3.3-70b-instruct-turbo,' "$T/r/aliases.csv")" "host spelling alias"
expect_eq "alias,model,host" "$(head -n 1 "$T/r/generated_aliases.csv")" "generated_aliases header"
expect_eq 1 "$(grep -c '^qwen9-32b-instruct,qwen9-32b,$' "$T/r/generated_aliases.csv")" "generated_aliases lists it"
if grep -q '^gpt-9,gpt-9-b,,2025-04-01,$' "$T/r/aliases.csv"; then ok; else bad "curated alias lost"; fi
# the review lists a 13-maker key no rule maps; a moving alias, a data zone
# and an embedding are left out silently
expect_err "litellm openrouter/z-ai/glm-9:exacto: not mapped (variant)"
if grep -q "gpt-9\|text-embedding" "$T/r/review"; then bad "moving alias or embedding in review"; else ok; fi
expect_no_out "gpt-9"
# current_to is written from the evidence's latest snapshot; other rows kept
expect_eq "current_to,2025-05-01" "$(sed -n 2p "$T/r/meta.csv" | cut -d, -f1,2)" "meta current_to"
expect_eq "other,kept,x" "$(sed -n 3p "$T/r/meta.csv")" "meta other rows"
# a rerun on its own output (generated rows included) is byte-identical
mkdir -p "$T/r1"
cp "$T/r/prices.csv" "$T/r/models.csv" "$T/r/generated.csv" "$T/r/meta.csv" "$T/r/review" \
	"$T/r/aliases.csv" "$T/r/generated_aliases.csv" "$T/r1/"
rbuild 2>>"$T/err2"
for f in prices.csv models.csv generated.csv meta.csv review aliases.csv generated_aliases.csv; do
	if cmp -s "$T/r/$f" "$T/r1/$f"; then ok; else bad "rerun changed $f"; fi
done
# explicit beats rule: map.csv drops the Groq key ("-") and a curated
# models.csv row replaces the generated one (listed no more)
echo 'litellm,groq/llama-3.3-70b-versatile,-,-,' >>"$T/r/map.csv"
grep -v '^qwen9-32b,' "$T/r/models.csv" >"$T/m" && mv "$T/m" "$T/r/models.csv"
echo 'qwen9-32b,alibaba,qwen9,Qwen9 32B (curated),2025-02-01,,,text,1,fireworks,' >>"$T/r/models.csv"
echo 'id,source,key' >"$T/r/generated.csv"
rbuild
cp "$T/r/prices.csv" "$T/out"
expect_no_out "llama-3.3-70b-instruct,groq"
cp "$T/r/models.csv" "$T/out"
expect_out "qwen9-32b,alibaba,qwen9,Qwen9 32B (curated),2025-02-01"
expect_eq 1 "$(grep -c '^qwen9-32b,' "$T/r/models.csv")" "qwen9-32b catalogue rows"
expect_eq 1 "$(grep -c . "$T/r/generated.csv")" "generated.csv rows once curated"

# the committed data: every mined row carries its provenance
expect_eq 0 "$(grep ',mined:' "$TOP/data/prices.csv" | grep -cv ',https://github.com/[^/]*/[^/]*/blob/[0-9a-f]\{40\}/')" "committed mined rows without provenance"

done_testing

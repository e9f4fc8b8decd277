# Commands over every model never fail on one entry: a store holding
# embeddings, image, video, rerank, audio-only, per-request-only and
# input-only entries next to chat models (one small sheet of each format,
# tests/fixtures/prices/mixed/) ranks the chat models and counts the rest;
# only naming one of them is an error (exit 3).
. "$TOP/tests/cli/lib.sh"

M="$FIX/prices/mixed"
export LLMCOST_NOW=2026-01-10
AT=2026-01-10
for f in litellm.json genai.json openrouter.json llm-prices.json user.csv; do
	expect_rc 0 ingest prices "$M/$f"
done

# the chat models of the five sheets, ranked: csv-chat-e $0.01 < gen-chat-b
# $0.02 < mix-chat-a $0.03 < or-chat-c $0.07 < lp-chat-d $0.12 < csv-pricey
# $19.98 for 10,000 input + 10,000 output tokens
ours() { # the fixtures' chat models in the ranking on stdout, "model=total ..."
	json_get '" ".join("%s=%s" % (r["model"], r["total"]) for r in j["results"] if r["provider"] in ("openai", "mixgen", "openrouter", "mixvendor", "csvco") and (r["model"].startswith(("mix", "gen-", "lp-", "csv-"))))'
}
WANT_RANK="csv-chat-e=0.01 gen-chat-b=0.02 mix-chat-a=0.03 mixco/or-chat-c=0.07 lp-chat-d=0.12 csv-pricey=19.98"
WANT_SKIP="{'total': 11, 'embedding': 2, 'image': 3, 'video': 1, 'rerank': 1, 'audio': 2, 'per_request': 1, 'partial': 1}"
NOTE="11 offerings skipped: no token prices (embeddings 2, image 3, video 1, rerank 1, audio-only 2, per-request only 1, input or output price missing 1)"

expect_rc 0 estimate --input 10000 --output 10000 --all-hosts --at $AT --json
expect_eq "$WANT_RANK" "$(ours)" "chat models ranked, every other entry left out"
expect_eq "$WANT_SKIP" "$(json_get 'j["skipped"]')" "skipped, by kind"
expect_err "$NOTE"
expect_eq "0" "$(json_get 'sum(1 for r in j["results"] + j["not_applicable"] if r["model"] in ("mix-embed-1", "mixco/or-embed-1", "mixco/or-video-1", "mixco/or-image-1", "gen-embed-1", "gen-audio-1", "mix-tts-1"))')" "no skipped entry is ranked or listed"

# default hosts, every format, a provider, a range: exit 0 and the count
expect_rc 0 estimate --input 10000 --output 10000 --at $AT
expect_out "csv-chat-e"
expect_err "offerings skipped: no token prices"
for fmt in --csv --md; do
	expect_rc 0 estimate --input 10000 --output 10000 --at $AT $fmt
	expect_err "offerings skipped"
done
expect_rc 0 estimate --input 2000 --output 500 --provider openai --at $AT
expect_out "mix-chat-a"
expect_err "embeddings 1"
expect_rc 0 estimate --input 2000 --output 500 --provider mixgen --at $AT --json
expect_eq "gen-chat-b" "$(json_get '" ".join(r["model"] for r in j["results"])')" "--provider: the one chat model"
expect_eq "{'total': 4, 'image': 1, 'audio': 1, 'per_request': 1, 'partial': 1}" "$(json_get 'j["skipped"]')" "--provider: its skipped entries"
expect_rc 0 estimate --input 10000 --output 10000 --all-hosts --from 2026-01-03 --to $AT --step week --json
expect_eq "0.01 0.03" "$(json_get '" ".join(str(l["totals"][-1]) for l in j["series"] if l["model"] in ("csv-chat-e", "mix-chat-a"))')" "series: chat models priced on the last date"
expect_eq "11" "$(json_get 'j["skipped"]["total"]')" "series: the last date's skipped count"
expect_eq "0" "$(json_get 'sum(1 for l in j["series"] if l["model"] in ("gen-embed-1", "mixco/or-embed-1", "mix-tts-1"))')" "series: no line for a skipped entry"
expect_rc 0 estimate --task chat-turn --all-hosts --at $AT
expect_rc 0 estimate --input 100 --image 1024x768 --all-hosts --at $AT
expect_rc 0 estimate --input 100 --audio-in-seconds 10 --all-hosts --at $AT

# one offering out of range is not applicable; every one out of range fails
expect_rc 0 estimate --input 100000 --output 100000 --count 100000000 --all-hosts --at $AT --json
expect_eq "cost out of range" "$(json_get '" ".join(r["reason"] for r in j["not_applicable"] if r["model"] == "csv-pricey")')" "\$999/M x 10^13 tokens: not applicable"
expect_eq "0.1" "$(json_get '" ".join(str(r["per_task"]) for r in j["results"] if r["model"] == "csv-chat-e")')" "the others still priced"
expect_rc 3 estimate --input 100000 --output 100000 --count 1000000000000 --at $AT
expect_err "out of range"

# plots and reports over every model
if command -v gnuplot >/dev/null 2>&1; then
	# --top 200: the built-in data holds more than 25 models cheaper than csv-chat-e
	expect_rc 0 plot estimate --input 10000 --output 10000 --all-hosts --top 200 --at $AT -o "$T/e.svg"
	expect_err "$NOTE"
	grep -qF "csv-chat-e" "$T/e.svg" && ok || bad "plot estimate: csv-chat-e drawn"
	grep -qF "mix-embed-1" "$T/e.svg" && bad "plot estimate: an embedding drawn" || ok
	expect_rc 0 plot collapse -o "$T/c.svg"
	expect_rc 0 plot frontier -o "$T/f.svg"
fi
expect_rc 0 report collapse
expect_rc 0 report html --to $AT -o "$T/r.html"

# models lists every entry with its mode; no price sorts last
expect_rc 0 models --all-hosts --at $AT --json
expect_eq "embedding embedding video_generation image_generation audio_speech rerank" \
	"$(json_get '" ".join(next(r["mode"] for r in j if r["model"] == m) for m in ("mix-embed-1", "mixco/or-embed-1", "mixco/or-video-1", "mixco/or-image-1", "mix-tts-1", "mix-rerank-1"))')" "models: modes"
expect_eq "None" "$(json_get 'next((r["model"] for r in j[j.index(next(r for r in j if r["input_per_mtok"] is None)):] if r["input_per_mtok"] is not None), None)')" "models: entries without an input price last"
expect_rc 0 models --at $AT
expect_out "mix-embed-1"

# naming one entry that cannot price tokens is an error, as before
expect_rc 3 estimate mix-embed-1 --input 10 --at $AT
expect_err "'mix-embed-1' at openai has no input/output price (embeddings, mode embedding)"
expect_rc 3 estimate csv-chat-e gen-embed-1 --input 10 --output 5 --at $AT
expect_err "'gen-embed-1' at mixgen has no input/output price (input or output price missing"
expect_rc 3 plot estimate mixco/or-video-1 --input 10 --at $AT -o "$T/v.svg"
expect_err "(video, mode video_generation)"
expect_rc 0 estimate csv-chat-e gen-chat-b --input 10000 --output 10000 --at $AT --json
expect_eq "csv-chat-e gen-chat-b" "$(json_get '" ".join(r["model"] for r in j["results"])')" "named chat models"
expect_eq "{'total': 0}" "$(json_get 'j["skipped"]')" "named: nothing skipped"
# a provider with nothing but skipped entries: nothing to rank
expect_rc 3 estimate --input 10 --provider cohere --source litellm --at $AT
expect_err "no model with token prices is priced on $AT for provider cohere: 1 offering skipped: no token prices (rerank 1)"

done_testing

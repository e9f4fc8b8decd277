# Audio, image and other-modality tokens (issue #13 item 8) and prices that
# agree whatever the layout (item 10).  Audio tokens are stored apart from
# the text buckets (schema version 5) and priced at the offering's audio
# prices, never as text: an offering without an audio price leaves them
# unpriced; tokens of a modality without a price column (video, image
# output, an unknown one, with a warning) make the record unpriced.  Every
# figure is read three ways: usage_totals, usage_rollup, the records.
. "$TOP/tests/cli/lib.sh"
# D: the store of the section, a name for with_store (the first is the
# test's store)
D=""
# its SQLite file (for the checks of SQLite's own views)
dbfile() { if [ -n "$D" ]; then echo "$T/$D.db"; else echo "$LLMCOST_DB"; fi; }

# C: the total cost (JSON) of `usage ARGS`, the same from the three layouts
cost3() {
	with_store "$D" expect_rc 0 usage --since 2024-01-01 --json "$@"
	c1=$(json_get 'j["total"]["cost"]')
	with_store "$D" expect_rc 0 usage --since 2024-01-01 --json --from-rollup "$@"
	c2=$(json_get 'j["total"]["cost"]')
	with_store "$D" expect_rc 0 usage --since 2024-01-01 --json --from-records "$@"
	c3=$(json_get 'j["total"]["cost"]')
	[ "$c1" = "$c2" ] && [ "$c1" = "$c3" ] && ok || bad "usage $*: layouts differ: $c1 / $c2 / $c3"
	C=$c1
}
unpriced() { json_get '";".join("%s:%s:%s" % (u["model"], u["records"], u["reason"]) for u in j["unpriced"])'; }

# ---- OpenAI Chat Completions: 1M audio in + 1M audio out ----
# gpt-4o-audio-preview on 2024-11-01: audio $100/M in, $200/M out = $300
# (as text it was 2 x $2.50 + ... = $12.50)
cat >"$T/chat.jsonl" <<'L'
{"timestamp":"2024-11-01T10:00:00Z","response":{"id":"chatcmpl-a1","model":"gpt-4o-audio-preview-2024-10-01","usage":{"prompt_tokens":1000000,"completion_tokens":1000000,"total_tokens":2000000,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":1000000},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":1000000}}}}
L
with_store "$D" expect_rc 0 ingest usage --format openai "$T/chat.jsonl"
cost3; expect_eq 300 "$C" "1M audio in + 1M audio out on gpt-4o-audio-preview"
expect_eq "1000000|1000000|0|0|0|0" "$(with_store "$D" store_sql "SELECT audio_input, audio_output, image_input, other_tokens, input, output FROM $STORE_RECORDS")" "audio stored apart from text"
expect_eq ok "$(with_store "$D" store_rollup_check)"
with_store "$D" expect_rc 0 usage --since 2024-01-01 --json
expect_eq "1000000 1000000 0 0 0 0" "$(json_get '" ".join(str(j["total"][k]) for k in ("audio_input_tokens", "audio_output_tokens", "image_input_tokens", "other_tokens", "input_tokens", "output_tokens"))')" "JSON counts audio apart"

# text and audio together, with cached text: text at text prices
cat >"$T/chat2.jsonl" <<'L'
{"timestamp":"2024-11-02T10:00:00Z","response":{"id":"chatcmpl-a2","model":"gpt-4o-audio-preview","usage":{"prompt_tokens":3000000,"completion_tokens":2000000,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":1000000},"completion_tokens_details":{"audio_tokens":1000000}}}}
L
with_store "$D" expect_rc 0 ingest usage --format openai "$T/chat2.jsonl"
# day 2: 2M text in $5 + 1M audio in $100 + 1M text out $10 + 1M audio out $200
cost3; expect_eq 615 "$C" "text and audio on two days"
# audio tokens beyond the prompt reject the line
printf '%s\n' '{"timestamp":"2024-11-03T10:00:00Z","response":{"id":"x3","model":"gpt-4o-audio-preview","usage":{"prompt_tokens":10,"completion_tokens":10,"prompt_tokens_details":{"audio_tokens":11}}}}' >"$T/bad.jsonl"
with_store "$D" expect_rc 0 ingest usage --format openai "$T/bad.jsonl"
expect_err "line 1: cached_tokens + cache_write_tokens + audio_tokens + image_tokens (11) exceed prompt_tokens (10)"

# ---- an offering without an audio price: unpriced, never as text ----
D=b
printf '%s\n' '{"timestamp":"2025-03-01T10:00:00Z","response":{"id":"b1","model":"gpt-4o","usage":{"prompt_tokens":1000,"completion_tokens":10,"prompt_tokens_details":{"audio_tokens":500}}}}' >"$T/b.jsonl"
with_store "$D" expect_rc 0 ingest usage --format openai "$T/b.jsonl"
for l in "" --from-rollup --from-records; do
	# shellcheck disable=SC2086
	with_store "$D" expect_rc 0 usage --since 2024-01-01 --json $l
	expect_eq "None gpt-4o:1:no audio input price" "$(json_get 'j["total"]["cost"]') $(unpriced)" "audio without an audio price $l"
done

# ---- OpenAI organization Usage API bucket ----
D=c
cat >"$T/page.json" <<'L'
{"object":"page","has_more":false,"data":[{"object":"bucket","start_time":1730419200,"end_time":1730505600,"results":[{"object":"organization.usage.completions.result","input_tokens":2000000,"input_cached_tokens":0,"input_audio_tokens":1000000,"output_tokens":1000000,"output_audio_tokens":1000000,"num_model_requests":2,"model":"gpt-4o-audio-preview-2024-10-01"}]}]}
L
with_store "$D" expect_rc 0 ingest usage --format openai "$T/page.json"
# 1M text in $2.50 + 1M audio in $100 + 1M audio out $200
cost3; expect_eq 302.5 "$C" "a Usage API bucket with audio"

# ---- the Realtime API's shape (input_token_details, cached audio) ----
D=rt
cat >"$T/rt.jsonl" <<'L'
{"timestamp":"2024-11-01T10:00:00Z","response":{"id":"resp_rt1","model":"gpt-4o-audio-preview","usage":{"total_tokens":3000000,"input_tokens":2000000,"output_tokens":1000000,"input_token_details":{"text_tokens":1000000,"audio_tokens":1000000,"cached_tokens":0},"output_token_details":{"text_tokens":0,"audio_tokens":1000000}}}}
{"timestamp":"2024-11-02T10:00:00Z","response":{"id":"resp_rt2","model":"gpt-4o-audio-preview","usage":{"total_tokens":30,"input_tokens":20,"output_tokens":10,"input_token_details":{"text_tokens":5,"audio_tokens":15,"cached_tokens":8,"cached_tokens_details":{"text_tokens":2,"audio_tokens":6}},"output_token_details":{"text_tokens":10,"audio_tokens":0}}}}
L
with_store "$D" expect_rc 0 ingest usage --format openai "$T/rt.jsonl"
expect_eq "1000000|1000000|0|0|1000000|0|0" "$(with_store "$D" store_sql "SELECT audio_input, audio_output, image_input, other_tokens, input, cache_read, output FROM $STORE_RECORDS WHERE natural_key = 'openai:resp_rt1'")" "Realtime: audio apart"
# cached audio (6 of the 8 cached, 6 of the 15 audio) has no price column: other
expect_eq "9|0|0|6|3|2|10" "$(with_store "$D" store_sql "SELECT audio_input, audio_output, image_input, other_tokens, input, cache_read, output FROM $STORE_RECORDS WHERE natural_key = 'openai:resp_rt2'")" "Realtime: cached audio is other"
cost3; expect_eq 302.5 "$C" "Realtime: 1M text + 1M audio in, 1M audio out"
expect_eq "gpt-4o-audio-preview:1:tokens of a modality without a price" "$(unpriced)" "Realtime: cached audio unpriced"

# ---- Gemini modalities ----
# gemini-2.0-flash on 2025-03-01: text/image/video $0.10/M in, audio $0.70/M, $0.40/M out
D=g
cat >"$T/g.jsonl" <<'L'
{"timestamp":"2025-03-01T10:00:00Z","response":{"responseId":"g1","modelVersion":"gemini-2.0-flash","usageMetadata":{"promptTokenCount":3000000,"candidatesTokenCount":1000000,"totalTokenCount":4000000,"promptTokensDetails":[{"modality":"TEXT","tokenCount":1000000},{"modality":"AUDIO","tokenCount":1000000},{"modality":"IMAGE","tokenCount":1000000}],"candidatesTokensDetails":[{"modality":"TEXT","tokenCount":1000000}]}}}
L
with_store "$D" expect_rc 0 ingest usage --format gemini "$T/g.jsonl"
# $0.10 text + $0.70 audio + $0.10 image (as input) + $0.40 out
cost3; expect_eq 1.3 "$C" "Gemini text, audio and image input"
expect_eq "1000000|0|1000000|0|1000000|1000000" "$(with_store "$D" store_sql "SELECT audio_input, audio_output, image_input, other_tokens, input, output FROM $STORE_RECORDS")" "Gemini modalities stored apart"
# video and an unknown modality: stored, unpriced; the unknown one named
cat >"$T/g2.jsonl" <<'L'
{"timestamp":"2025-03-02T10:00:00Z","response":{"responseId":"g2","modelVersion":"gemini-2.0-flash","usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":10,"promptTokensDetails":[{"modality":"TEXT","tokenCount":10},{"modality":"VIDEO","tokenCount":20}]}}}
{"timestamp":"2025-03-03T10:00:00Z","response":{"responseId":"g3","modelVersion":"gemini-2.0-flash","usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":10,"promptTokensDetails":[{"modality":"TEXT","tokenCount":10},{"modality":"SMELL","tokenCount":20}]}}}
L
with_store "$D" expect_rc 0 ingest usage --verbose --format gemini "$T/g2.jsonl"
expect_err "line 2: usageMetadata.promptTokensDetails[1].modality: unknown modality \"SMELL\""
expect_out "2 accepted"
cost3; expect_eq 1.3 "$C" "video and unknown modalities are not priced as text"
expect_eq "gemini-2.0-flash:2:tokens of a modality without a price" "$(unpriced)" "named unpriced"
# cached audio has no price of its own: unpriced too
cat >"$T/g3.jsonl" <<'L'
{"timestamp":"2025-03-04T10:00:00Z","response":{"responseId":"g4","modelVersion":"gemini-2.0-flash","usageMetadata":{"promptTokenCount":30,"cachedContentTokenCount":20,"candidatesTokenCount":10,"promptTokensDetails":[{"modality":"AUDIO","tokenCount":30}],"cacheTokensDetails":[{"modality":"AUDIO","tokenCount":20}]}}}
L
with_store "$D" expect_rc 0 ingest usage --format gemini "$T/g3.jsonl"
expect_eq "10|0|0|20|0|0|10" "$(with_store "$D" store_sql "SELECT audio_input, audio_output, image_input, other_tokens, input, cache_read, output FROM $STORE_RECORDS WHERE natural_key = 'gemini:g4'")" "cached audio is other"

# ---- the usage CSV's audio and image columns ----
D=u
cat >"$T/u.csv" <<'L'
timestamp,model,input_tokens,output_tokens,audio_input_tokens,audio_output_tokens,image_input_tokens
2024-11-01T10:00:00Z,gpt-4o-audio-preview,0,0,1000000,1000000,
2024-11-01T11:00:00Z,gpt-4o,1000000,0,,,1000000
L
with_store "$D" expect_rc 0 ingest usage "$T/u.csv"
cp "$T/u.csv" "$T/u2.csv"
with_store "$D" expect_rc 0 ingest usage "$T/u2.csv"
expect_out "0 accepted, 2 duplicates"
# $300 + gpt-4o 1M text + 1M image tokens at $2.50/M
cost3; expect_eq 305 "$C" "CSV audio and image columns"

# ---- item 10: a usage CSV with provider=acme and the README's acme sheet ----
D=acme
cat >"$T/p.csv" <<'L'
provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok,cached_input_per_mtok,min_input_tokens,batch_discount_pct,source
acme,acme-private-1,2025-03-01,,0.5,1.5,,,,
acme,acme-private-1,2025-03-01,,1,3,,100000,,
L
cat >"$T/acme.csv" <<'L'
timestamp,model,input_tokens,output_tokens,provider
2025-04-01T00:00:00Z,acme-private-1,1000,1000000,acme
2025-04-01T00:00:00Z,acme-private-1,1000000,1000000,ACME
L
with_store "$D" expect_rc 0 ingest prices "$T/p.csv" --name contract
with_store "$D" expect_rc 0 ingest usage "$T/acme.csv"
expect_out "0 unpriced"
# 1000 x $0.5/M + $1.5 (base tier); 1M x $1 + 1M x $3 (above 100k)
cost3; expect_eq 5.5005 "$C" "provider=acme priced at acme"
# the sheet loaded after the usage: priced too
D=acme2
with_store "$D" expect_rc 0 ingest usage "$T/acme.csv"
with_store "$D" expect_rc 0 ingest prices "$T/p.csv" --name contract
cost3; expect_eq 5.5005 "$C" "provider=acme priced when the sheet comes later"

# ---- item 10: huge counts cost the same in every layout ----
# 1000 records of 10^12 output tokens on gpt-4o ($10/M): $10,000,000 each,
# $10,000,000,000 in all, over int64 nano-USD; once all in one 15-minute
# bucket (one rollup row), once spread over many
python3 - "$T" <<'PY'
import sys
for name, spread in (("one", False), ("many", True)):
    with open("%s/%s.csv" % (sys.argv[1], name), "w") as f:
        f.write("timestamp,model,input_tokens,output_tokens,request_id\n")
        for i in range(1000):
            t = "2025-04-01T%02d:%02d:00Z" % (i // 60 % 24, i % 60) if spread else "2025-04-01T00:00:%02dZ" % (i % 60)
            f.write("%s,gpt-4o,0,1000000000000,r%d\n" % (t, i))
PY
for n in one many; do
	D=$n
	with_store "$D" expect_rc 0 ingest usage "$T/$n.csv"
	cost3; expect_eq 10000000000 "$C" "huge counts ($n bucket(s))"
	cost3 session; expect_eq 10000000000 "$C" "huge counts by session ($n bucket(s))"
	with_store "$D" expect_rc 0 usage --since 2024-01-01
	expect_out '$10,000,000,000.00'
done
done_testing

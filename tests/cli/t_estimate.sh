# llmcost estimate: the cost calculator on the built-in price history.
# Expected figures are hand-computed from the published prices (comments).
. "$TOP/tests/cli/lib.sh"

total() { # MODEL ARGS... -> the first result's total from --json
	run estimate "$@" --json
	if [ "$rc" -ne 0 ]; then bad "$ctx: exit $rc"; echo "?"; return; fi
	json_get 'j["results"][0]["total"]'
}

# The 2024 example: 68,000 photos x (260 in, 100 out) on Gemini 1.5 Flash-8B
# ($0.0375/$0.15): 17.68M x 0.0375 = $0.663, 6.8M x 0.15 = $1.02, $1.683.
run estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --at 2024-12-31 --json
expect_eq 0 "$rc" "the photo example runs"
expect_eq "1.683" "$(json_get 'j["results"][0]["total"]')" "68,000 photos total"
expect_eq "0.663 1.02" "$(json_get 'str(j["results"][0]["components"]["input"]) + " " + str(j["results"][0]["components"]["output"])')" "components"
expect_eq "0.00002475" "$(json_get 'j["results"][0]["per_task"]')" "per photo"
expect_eq "2024-12-31 68000 260" "$(json_get 'j["at"] + " " + str(j["profile"]["count"]) + " " + str(j["profile"]["input"])')" "at and profile"
expect_out '"total": 1.683,'
run estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --at 2024-12-31
expect_eq 0 "$rc"
# text: money to the cent (the exact figures are in --json above)
expect_out '$1.68 '
expect_out '$0.66 '
expect_out 'x 68,000 tasks.'

# price cuts: --at before and after.  1,000 x (1,000 in + 1,000 out):
# gpt-4o 2024-05-20 ($5/$15) = $20; 2024-12-31 ($2.50/$10) = $12.50
expect_eq "20" "$(total gpt-4o --input 1000 --output 1000 --count 1000 --at 2024-05-20)" "gpt-4o May 2024"
expect_eq "12.5" "$(total gpt-4o --input 1000 --output 1000 --count 1000 --at 2024-12-31)" "gpt-4o Dec 2024"
# claude-3-5-haiku 2024-11-10 ($1/$5) = $6; 2025-01-15 ($0.80/$4) = $4.80
expect_eq "6" "$(total claude-3-5-haiku --input 1000 --output 1000 --count 1000 --at 2024-11-10)" "haiku Nov 2024"
expect_eq "4.8" "$(total claude-3-5-haiku --input 1000 --output 1000 --count 1000 --at 2025-01-15)" "haiku Jan 2025"

# context tier: Gemini 1.5 Pro on 2024-12-31, 200k prompt > 128k: whole request at
# $2.50/$10: 200,000 x 2.5 + 1,000 x 10 = $0.51; at 100k: 100,000 x 1.25 + 1,000 x 5 = $0.13
expect_eq "0.51" "$(total gemini-1.5-pro --input 200000 --output 1000 --at 2024-12-31)" "1.5 Pro long tier"
expect_out '"tier": 1'
expect_eq "0.13" "$(total gemini-1.5-pro --input 100000 --output 1000 --at 2024-12-31)" "1.5 Pro base tier"
# ... and a workload of many short requests stays at the base tier:
# 1,000 x (100k in x 1.25 + 1k out x 5) = $130
expect_eq "130" "$(total gemini-1.5-pro --input 100000 --output 1000 --count 1000 --at 2024-12-31)" "tier per request, not per workload"

# cache: claude-3-5-haiku on 2024-12-31 ($0.80 in, $0.08 read, $1 5m write, $4 out):
# 500 x 0.8 + 8,000 x 0.08 + 1,500 x 1 + 200 x 4 = 0.0004 + 0.00064 + 0.0015 + 0.0008 = $0.00334
run estimate claude-3-5-haiku --input 10000 --cached-input 8000 --cache-write 1500 --output 200 --at 2024-12-31 --json
expect_eq "0.00334" "$(json_get 'j["results"][0]["total"]')" "cache read and write"
expect_eq "0.00064 0.0015" "$(json_get 'str(j["results"][0]["components"]["cache_read"]) + " " + str(j["results"][0]["components"]["cache_write"])')" "cache components"
# 1-hour writes on claude-sonnet-4 (2025-06-01: $3 in, $0.30 read, $6 1h write, $15 out):
# 500 x 3 + 8,000 x 0.3 + 1,500 x 6 + 200 x 15 = 0.0015 + 0.0024 + 0.009 + 0.003 = $0.0159
expect_eq "0.0159" "$(total claude-sonnet-4 --input 10000 --cached-input 8000 --cache-write 1500 --cache-ttl 1h --output 200 --at 2025-06-01)" "1h cache writes"

# batch: gpt-4o on 2024-12-31, 50% off: (1M x 2.5 + 100k x 10) / 2 = $1.75
expect_eq "1.75" "$(total gpt-4o --input 1000 --output 100 --count 1000 --batch --at 2024-12-31)" "batch"
expect_out '"batch": true'
# no batch offer (gpt-4o on azure): the normal price, flagged
run estimate azure/gpt-4o-2024-08-06 --input 1000 --output 100 --count 1000 --batch --at 2024-12-31 --json
expect_eq "3.5 False no batch offer" "$(json_get 'str(j["results"][0]["total"]) + " " + str(j["results"][0]["batch"]) + " " + j["results"][0]["note"]')" "batch not offered"

# reasoning: o1 ($15/$60) on 2024-12-31: 1,000 x 15 + (500 + 2,000) x 60 = $0.165
expect_eq "0.165" "$(total o1 --input 1000 --output 500 --reasoning 2000 --at 2024-12-31)" "reasoning as output"
# priced apart: gemini-2.5-flash-preview-04-17 ($0.15 in, $0.60 out, $3.50 thinking):
# 1,000 x 0.15 + 500 x 0.6 + 2,000 x 3.5 = 0.00015 + 0.0003 + 0.007 = $0.00745
expect_eq "0.00745" "$(total gemini-2.5-flash-preview-04-17 --input 1000 --output 500 --reasoning 2000 --at 2025-05-01)" "reasoning priced apart"

# images: gpt-4o 1024x1024 high = 765 tokens: (50 + 765) x 2.5 + 100 x 10 = $0.0030375
expect_eq "0.0030375" "$(total gpt-4o --input 50 --output 100 --image 1024x1024 --at 2024-12-31)" "gpt-4o image high"
expect_eq "765" "$(json_get 'j["results"][0]["image_tokens"]')" "765 image tokens"
# low detail: 85 tokens: (50 + 85) x 2.5 + 100 x 10 = $0.0013375
expect_eq "0.0013375" "$(total gpt-4o --input 50 --output 100 --image 1024x1024 --detail low --at 2024-12-31)" "gpt-4o image low"
# Claude 3.5 Sonnet ($3/$15): 1000x1000 = 1,334 tokens: (50 + 1334) x 3 + 100 x 15 = $0.005652
expect_eq "0.005652" "$(total claude-3-5-sonnet-20241022 --input 50 --output 100 --image 1000x1000 --at 2024-12-31)" "claude image"
# Gemini 1.5 Flash-8B: 258 per image: (2 + 258) x 0.0375 + 100 x 0.15 = $0.00002475
expect_eq "0.00002475" "$(total gemini-1.5-flash-8b --input 2 --output 100 --image 3000x2000 --at 2024-12-31)" "gemini image"
# two images add up: 2 x 765 on gpt-4o: (50 + 1530) x 2.5 + 100 x 10 = $0.00495
expect_eq "0.00495" "$(total gpt-4o --input 50 --output 100 --image 1024x1024 --image 768x768 --at 2024-12-31)" "two images"
# a text-only model is listed as not applicable, not priced
run estimate gpt-4o gpt-3.5-turbo-0125 --input 50 --output 100 --image 1024x1024 --at 2024-12-31 --json
expect_eq "1 no image input" "$(json_get 'str(len(j["results"])) + " " + j["not_applicable"][0]["reason"]')" "text-only model with an image"
run estimate gpt-4o gpt-3.5-turbo-0125 --input 50 --output 100 --image 1024x1024 --at 2024-12-31
expect_out "not applicable:"
expect_out "gpt-3.5-turbo-0125 (openai): no image input"
# context window exceeded
run estimate gpt-4-0613 --input 9000 --output 10 --at 2024-12-31 --json
expect_eq "context window exceeded" "$(json_get 'j["not_applicable"][0]["reason"][:23]')" "context window"
# audio: a model that takes audio but whose audio price is not recorded (Gemini 2.5 Flash-Lite): not applicable, with the reason
run estimate gemini-2.5-flash-lite --audio-in-seconds 60 --at 2025-08-01 --json
expect_eq 0 "$rc" "audio"
expect_eq "no audio input price recorded" "$(json_get 'j["not_applicable"][0]["reason"]')" "audio without a price"

# every model by default, ranked cheapest first, times the cheapest
run estimate --input 1000 --output 500 --at 2024-12-31 --json
expect_eq 0 "$rc"
expect_eq "True" "$(json_get 'len(j["results"]) >= 40')" "every model priced on the date"
expect_eq "True" "$(json_get '[r["total"] for r in j["results"]] == sorted(r["total"] for r in j["results"])')" "ranked by total"
expect_eq "1.00" "$(json_get 'j["results"][0]["times_cheapest"]')" "cheapest is 1.00x"
expect_eq "True" "$(json_get 'all(set(r) >= {"model","provider","per_task","total","components","quality"} for r in j["results"])')" "result keys"
run estimate --input 1000 --output 500 --at 2024-12-31
expect_out "x cheapest"
expect_out "gemini-1.5-flash-8b"
run estimate --input 1000 --output 500 --at 2024-12-31 --csv
expect_out "model,provider,input,output,other,per_task,total,times_cheapest,quality,note"
run estimate --input 1000 --output 500 --at 2024-12-31 --md
expect_out "| model | provider |"
# filters: --provider, --min-quality (arena_elo), --max-cost
run estimate --provider anthropic --input 1000 --output 500 --at 2024-12-31 --json
expect_eq "True" "$(json_get 'len(j["results"]) > 0 and all(r["model"].startswith("claude") for r in j["results"])')" "--provider"
run estimate --min-quality 1300 --input 1000 --output 500 --at 2024-12-31 --json
expect_eq "True" "$(json_get 'len(j["results"]) > 0 and all(r["quality"] is not None and r["quality"] >= 1300 for r in j["results"])')" "--min-quality"
run estimate --max-cost 0.001 --input 1000 --output 500 --at 2024-12-31 --json
expect_eq "True" "$(json_get 'len(j["results"]) > 0 and all(r["total"] <= Decimal("0.001") for r in j["results"])')" "--max-cost"
run estimate --source nosuch --input 1000 --output 500 --at 2024-12-31
expect_eq 3 "$rc" "--source without prices"

# --per: a day's workload adds a 30-day month, exactly
run estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --per day --at 2024-12-31 --json
expect_eq "50.49" "$(json_get 'j["results"][0]["per_month"]')" "per day -> month (30 x 1.683)"
run estimate gemini-1.5-flash-8b --input 260 --output 100 --count 68000 --per month --at 2024-12-31 --json
expect_eq "0.0561" "$(json_get 'j["results"][0]["per_day"]')" "per month -> day (1.683 / 30)"

# cost over time: claude-3-5-haiku monthly, 1,000 x (1,000 in + 1,000 out): not yet sold on
# 2024-11-01 (API from 2024-11-04), $6 on 2024-12-01, $4.80 after the 2024-12-03 cut
run estimate claude-3-5-haiku --input 1000 --output 1000 --count 1000 --from 2024-11-01 --to 2025-02-01 --step month --json
expect_eq 0 "$rc" "series"
expect_eq "['2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01']" "$(json_get 'j["dates"]')" "monthly dates"
expect_eq "None 6 4.8 4.8" "$(json_get '" ".join(str(x) for x in j["series"][0]["totals"])')" "haiku monthly totals"
expect_eq "claude-3-5-haiku 4.8" "$(json_get 'j["cheapest"][2]["model"] + " " + str(j["cheapest"][2]["total"])')" "cheapest on a date"
# every model, cheapest meeting --min-quality on each date
run estimate --input 1000 --output 1000 --count 1000 --from 2024-01-01 --to 2024-12-01 --min-quality 1250 --json
expect_eq 0 "$rc" "series over every model"
expect_eq 12 "$(json_get 'len(j["cheapest"])')" "12 months"
expect_eq "True" "$(json_get 'all(c["quality"] is None or c["quality"] >= 1250 for c in j["cheapest"])')" "cheapest meets the floor"
expect_eq "True" "$(json_get 'j["cheapest"][11]["total"] < j["cheapest"][0]["total"]')" "the price collapse"
run estimate --input 1000 --output 1000 --count 1000 --from 2024-01-01 --to 2024-03-01 --csv
expect_out "date,model,provider,total,cheapest"
run estimate gpt-4o --input 1000 --output 1000 --count 1000 --from 2024-05-01 --to 2024-12-01
expect_out "Cheapest on each date:"

# presets: each one runs and documents its assumptions
run estimate --list-tasks
for t in photo-caption chat-turn rag-query summarize-100-pages coding-agent-session; do
	expect_out "$t"
done
expect_out "assumptions:"
for t in photo-caption chat-turn rag-query summarize-100-pages coding-agent-session; do
	run estimate --task "$t" --at 2024-12-31 --json
	expect_eq 0 "$rc" "--task $t"
	expect_eq "$t True" "$(json_get 'j["profile"]["task"] + " " + str(len(j["results"]) > 0)')" "--task $t prices"
done
# photo-caption: 20 in + one 1024x768 image + 100 out; on Gemini 1.5 Flash-8B
# (20 + 258) x 0.0375 + 100 x 0.15 = 0.000010425 + 0.000015; x 68,000 = $1.7289
expect_eq "1.7289" "$(total gemini-1.5-flash-8b --task photo-caption --count 68000 --at 2024-12-31)" "photo-caption preset"
# options override the preset
expect_eq "1.683" "$(total gemini-1.5-flash-8b --task chat-turn --input 260 --output 100 --count 68000 --at 2024-12-31)" "options override a preset"
# summarize-100-pages does not fit an 8k model
run estimate gpt-4-0613 --task summarize-100-pages --at 2024-12-31 --json
expect_eq "0" "$(json_get 'len(j["results"])')" "100 pages in an 8k model"
# coding-agent-session: 40 requests of ~30k: claude-3-5-sonnet ($3, read $0.30, write $3.75, out $15):
# 30,000 x 3 + 1,050,000 x 0.3 + 120,000 x 3.75 + 32,000 x 15 = 0.09 + 0.315 + 0.45 + 0.48 = $1.335
expect_eq "1.335" "$(total claude-3-5-sonnet-20241022 --task coding-agent-session --at 2024-12-31)" "coding-agent-session"

# --profile: a JSON file with the options' keys
cat >"$T/p.json" <<'J'
{"description": "captions", "input": 260, "output": 100, "count": 68000}
J
expect_eq "1.683" "$(total gemini-1.5-flash-8b --profile "$T/p.json" --at 2024-12-31)" "--profile"
expect_eq "3.366" "$(total gemini-1.5-flash-8b --profile "$T/p.json" --count 136000 --at 2024-12-31)" "options override a profile"

# --prompt-file: counted by the model's tokenizer; Gemini's is not public, so
# o200k_base's count (1001 x "a": 125 x 8 + 1 = 126 tokens, not bytes / 4 = 251),
# labelled approximate (t_estimate_tokens has the exact ones)
head -c 1001 /dev/zero | tr '\0' 'a' >"$T/prompt.txt"
run estimate gemini-1.5-flash-8b --prompt-file "$T/prompt.txt" --output 0 --at 2024-12-31 --json
expect_eq "126 True" "$(json_get 'str(j["profile"]["input"]) + " " + str(j["profile"]["input_approximate"])')" "--prompt-file"
expect_eq "126 o200k_base True" "$(json_get '"%d %s %s" % (j["results"][0]["input_tokens"], j["results"][0]["tokenizer"], j["results"][0]["input_approximate"])')"
run estimate gemini-1.5-flash-8b --prompt-file "$T/prompt.txt" --output 10 --at 2024-12-31
expect_out "~126 input"
expect_out "approximate"

# bad options: exit 2
for args in "--input -5" "--input abc" "--input 1.5" "--output 10x" "--count -1" \
	"--input 10 --image 10x" "--input 10 --image 0x10" "--input 10 --image abc" \
	"--input 10 --detail medium" "--input 10 --at 2024-13-01" "--input 10 --at yesterday" \
	"--input 100 --cached-input 90 --cache-write 20" "--input 10 --cache-ttl 2h" \
	"--input 10 --per week" "--input 10 --audio-in-seconds x" "--input 10 --max-cost abc" \
	"--input 10 --min-quality high" "--input 10 --from 2024-01-01" \
	"--input 10 --from 2024-01-01 --to 2024-02-01 --step year" \
	"--input 10 --from 2024-03-01 --to 2024-02-01" "--output 0" \
	"--input 10 --prompt-file $T/prompt.txt" "--input 10 --bogus"; do
	# shellcheck disable=SC2086
	expect_rc 2 estimate $args
	expect_err "error:"
done
run estimate --input 100 --cached-input 90 --cache-write 20
expect_err "exceed the whole prompt"
run estimate --input 10 --image 10x
expect_err "'10x'"

# bad data: exit 3
expect_rc 3 estimate --input 100000 --output 100000 --count 1000000000000 --at 2024-12-31
expect_err "out of range"
expect_rc 3 estimate --task nosuch
expect_err "unknown task preset 'nosuch'"
printf '{"input": 10, "outptu": 5}' >"$T/bad.json"
expect_rc 3 estimate --profile "$T/bad.json"
expect_err '"outptu"'
printf '{"input": -10}' >"$T/bad.json"
expect_rc 3 estimate --profile "$T/bad.json"
expect_err '"input"'
printf '{"input": ' >"$T/bad.json"
expect_rc 3 estimate --profile "$T/bad.json"
expect_err "malformed JSON"
expect_rc 3 estimate --profile "$T/missing.json"
expect_rc 3 estimate gemini-1.5-flash-8b --input 10 --at 2023-01-01
expect_err "no price"
expect_rc 3 estimate --input 10 --at 2020-01-01
expect_err "no model is priced"
expect_rc 3 estimate no-such-model-xyz --input 10
expect_err "no-such-model-xyz"

# audio priced apart (built-in audio rates): Gemini 2.0 Flash counts 32 tokens
# per second of audio at $0.70/M (60 s = 1,920 tokens = $0.001344); OpenAI's
# gpt-4o-audio-preview 10 tokens per second at $100/M before the 2024-12-17
# cut (600 tokens = $0.06) and $40/M after it ($0.024)
expect_rc 0 estimate gemini-2.0-flash --audio-in-seconds 60 --output 100 --at 2025-03-01 --json
expect_eq "0.001344 0.001384" "$(json_get 'str(j["results"][0]["components"]["audio"]) + " " + str(j["results"][0]["total"])')" "gemini-2.0-flash audio"
expect_rc 0 estimate gpt-4o-audio-preview --audio-in-seconds 60 --at 2024-11-01 --json
expect_eq "0.06" "$(json_get 'str(j["results"][0]["components"]["audio"])')" "gpt-4o-audio-preview audio before the cut"
expect_rc 0 estimate gpt-4o-audio-preview --audio-in-seconds 60 --at 2025-01-15 --json
expect_eq "0.024" "$(json_get 'str(j["results"][0]["components"]["audio"])')" "gpt-4o-audio-preview audio after the cut"
# a text-only model cannot take audio: listed as not applicable, not priced
expect_rc 0 estimate gpt-4o-mini gemini-2.0-flash --audio-in-seconds 10 --at 2025-03-01 --json
expect_eq "gpt-4o-mini" "$(json_get 'j["not_applicable"][0]["model"]')" "text-only model not applicable to audio"

done_testing

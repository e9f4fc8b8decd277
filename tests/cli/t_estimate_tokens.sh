# estimate --prompt-file (issue 19): each model's input is its own tokenizer's
# count of the file, so the ranking compares like with like; the JSON says
# which tokenizer counted and whether the count is exact.  The counts are
# the references' (tests/fixtures/tokens/expected.tsv, as in t_tokens).
. "$TOP/tests/cli/lib.sh"

F="$FIX/tokens/chinese.txt" # 606 bytes: bytes / 4 would say 152 for every model
AT="--at 2025-06-01"

expect_rc 0 estimate --prompt-file "$F" --output 100 $AT --json \
	gpt-4o gpt-4-0613 claude-3-5-haiku llama-3.1-8b-instruct deepseek-v3 qwen2.5-72b-instruct
expect_eq "llama-3.1-8b-instruct llama3 173 False
deepseek-v3 deepseek_v3 130 False
qwen2.5-72b-instruct qwen3 143 False
claude-3-5-haiku-20241022 cl100k_base 243 True
gpt-4o-2024-08-06 o200k_base 174 False
gpt-4-0613 cl100k_base 243 False" \
	"$(json_get '"\n".join("%s %s %d %s" % (r["model"], r["tokenizer"], r["input_tokens"], r["input_approximate"]) for r in j["results"])')" \
	"each model's own count, cheapest first"
# the input cost is the model's own count at its price: gpt-4o $2.50/M x 174, gpt-4 $30/M x 243
expect_eq "0.000435 0.00729" \
	"$(json_get '" ".join(str(r["components"]["input"]) for r in j["results"] if r["model"] in ("gpt-4o-2024-08-06", "gpt-4-0613"))')"
expect_eq "174 True" "$(json_get '"%d %s" % (j["profile"]["input"], j["profile"]["input_approximate"])')" \
	"the profile's input is the o200k_base count, marked as not every model's"

# text: the count column, ~ on the approximate one
expect_rc 0 estimate --prompt-file "$F" --output 100 $AT gpt-4o claude-3-5-haiku
expect_out "(606 bytes), counted by each model's own tokenizer"
if grep -Eq "claude-3-5-haiku-20241022 +anthropic +~243 " "$T/out"; then ok; else bad "no ~243 for Claude"; fi
if grep -Eq "gpt-4o-2024-08-06 +openai +174 " "$T/out"; then ok; else bad "no 174 for GPT-4o"; fi

# CSV: the count a plain number, whether it is approximate in its own column
expect_rc 0 estimate --prompt-file "$F" --output 100 $AT --csv gpt-4o claude-3-5-haiku
expect_eq "claude-3-5-haiku-20241022 243 true
gpt-4o-2024-08-06 174 false" \
	"$(python3 -c 'import csv,sys; print("\n".join("%s %s %s" % (r["model"], r["input_tokens"], r["input_approximate"]) for r in sorted(csv.DictReader(open(sys.argv[1])), key=lambda r: r["model"])))' "$T/out")" \
	"CSV counts exact, the approximate flag apart"

# cached input is part of each model's own count: more than a model counts is not applicable there
expect_rc 0 estimate --prompt-file "$F" --cached-input 150 $AT --json deepseek-v3 gpt-4o
expect_eq "gpt-4o-2024-08-06" "$(json_get '" ".join(r["model"] for r in j["results"])')"
expect_eq "prompt is 130 tokens here, fewer than cached input and cache writes (150)" \
	"$(json_get 'j["not_applicable"][0]["reason"]')"

# without --prompt-file nothing changes: no per-model keys
expect_rc 0 estimate --input 1000 --output 100 $AT --json gpt-4o
expect_eq "False" "$(json_get '"tokenizer" in j["results"][0]')"

done_testing

# llmcost tokens (issue 19): counts equal the reference implementations'
# (tiktoken for cl100k_base and o200k_base, Hugging Face tokenizers for
# llama3, qwen3, deepseek_v3 and gemma3; tiktoken on Mistral's ranks for
# tekken) on the fixture corpus; the expected counts
# were made once by tools/tokens_expected.js and committed.  Then the
# model -> tokenizer choice (exact or approximate), standard input, and the
# errors.
. "$TOP/tests/cli/lib.sh"

D="$FIX/tokens"

# ---- exactness: every fixture under every tokenizer (one run: one unpacking) ----
files=$(ls "$D" | grep -v '^expected.tsv$')
expect_eq 11 "$(echo "$files" | wc -l | tr -d ' ')" "the corpus"
expect_rc 0 tokens --json $(for f in $files; do printf '%s ' "$D/$f"; done)
got=$(json_get '"\n".join("%s\t%s\t%d" % (r["file"].rsplit("/", 1)[1], r["tokenizer"], r["tokens"]) for r in j if r["exact"])')
expect_eq "$(grep -v '^#' "$D/expected.tsv")" "$got" "every count equals the references'"
for f in $files; do
	want=$(awk -F'\t' -v f="$f" '$1 == f { printf "%s ", $3 }' "$D/expected.tsv")
	have=$(printf '%s\n' "$got" | awk -F'\t' -v f="$f" '$1 == f { printf "%s ", $3 }')
	expect_eq "$want" "$have" "$f"
done

# ---- standard input, "-" and several files ----
run tokens --tokenizer o200k_base --json < "$D/chinese.txt"
expect_eq 174 "$(json_get 'j[0]["tokens"]')" "standard input when no FILE"
expect_eq "-" "$(json_get 'j[0]["file"]')"
run tokens --tokenizer cl100k_base --json "$D/korean.txt" - < "$D/chinese.txt"
expect_eq "150 243" "$(json_get '" ".join(str(r["tokens"]) for r in j)')" "a file and -"

# ---- bytes / 4 against the real count (the README's example) ----
expect_rc 0 tokens "$D/chinese.txt"
for w in "cl100k_base +243 +606 +152" "o200k_base +174 +606 +152"; do
	if grep -Eq "$w" "$T/out"; then ok "text: $w"; else bad "text lacks $w"; fi
done

# text for people: counts grouped, the count kept when the terminal is narrow
for i in 1 2 3 4 5 6; do cat "$D/code.py"; done >"$T/big.py"
run tokens --tokenizer o200k_base --json "$T/big.py"
n=$(json_get 'j[0]["tokens"]')
grouped=$(python3 -c 'import sys; print(format(int(sys.argv[1]), ","))' "$n")
COLUMNS=200 run tokens "$T/big.py"
if grep -Eq "o200k_base +$grouped +7,680 +1,920$" "$T/out"; then ok; else bad "grouped counts: want $grouped"; fi
COLUMNS=200 run tokens --model claude-sonnet-4 "$T/big.py"
if grep -Eq "cl100k_base +~[0-9],[0-9]{3} +7,680" "$T/out"; then ok; else bad "an approximate count grouped after its ~"; fi
COLUMNS=34 run tokens --tokenizer o200k_base "$T/big.py"
if grep -Eq " $grouped\$" "$T/out"; then ok; else bad "at 34 columns the count is kept"; fi
expect_out "hidden: "
expect_eq "" "$(awk 'length($0) > 34' "$T/out")" "no line over 34 columns"

# ---- a model's own tokenizer, or the closest public one (approximate) ----
expect_rc 0 tokens --json --model gpt-4o --model gpt-4 --model claude-sonnet-4 \
	--model llama-3.1-8b-instruct --model qwen3-32b --model deepseek-r1 --model gemini-2.5-flash \
	"$D/japanese.txt"
expect_eq "gpt-4o-2024-08-06 o200k_base 156 True
gpt-4-0613 cl100k_base 199 True
claude-sonnet-4-20250514 cl100k_base 199 False
llama-3.1-8b-instruct llama3 144 True
qwen3-32b qwen3 130 True
deepseek-r1 deepseek_v3 140 True
gemini-2.5-flash o200k_base 156 False" \
	"$(json_get '"\n".join("%s %s %d %s" % (r["model"], r["tokenizer"], r["tokens"], r["exact"]) for r in j)')"
expect_eq "Claude's tokenizer (not public)" "$(json_get 'j[2]["approximates"]')"
expect_eq "None" "$(json_get 'j[0]["approximates"]')"
expect_rc 0 tokens --model claude-sonnet-4 --model gpt-4o "$D/japanese.txt"
expect_out "~199"
expect_out "~ claude-sonnet-4-20250514: approximate, counted with cl100k_base in place of Claude's tokenizer (not public)"
expect_no_out "~156"

# Gemma 3's own tokenizer; Gemma 2 approximated by it
expect_rc 0 tokens --json --model gemma-3-27b-it --model gemma-2-27b "$D/japanese.txt"
expect_eq "gemma-3-27b gemma3 118 True
gemma-2-27b gemma3 118 False" \
	"$(json_get '"\n".join("%s %s %d %s" % (r["model"], r["tokenizer"], r["tokens"], r["exact"]) for r in j)')"
expect_eq "Gemma 1's, 2's, 3n's and 4's own tokenizers (not shipped)" "$(json_get 'j[1]["approximates"]')"

# Mistral NeMo's own Tekken; other Mistral models approximated by it
expect_rc 0 tokens --json --model mistral-nemo --model mistral-large-2411 "$D/japanese.txt"
expect_eq "open-mistral-nemo tekken 153 True
mistral-large-2411 tekken 153 False" \
	"$(json_get '"\n".join("%s %s %d %s" % (r["model"], r["tokenizer"], r["tokens"], r["exact"]) for r in j)')"

# ---- errors ----
expect_rc 2 tokens --tokenizer nosuch "$D/empty.txt"
expect_err "unknown tokenizer 'nosuch' (known: cl100k_base, o200k_base, llama3, qwen3, deepseek_v3, gemma3, tekken)"
expect_rc 2 tokens --tokenizer qwen3 --model gpt-4o "$D/empty.txt"
expect_err "--model and --tokenizer both choose the tokenizer"
expect_rc 2 tokens --csv "$D/empty.txt"
expect_rc 3 tokens --model gpt-4o --model no-such-model-x "$D/empty.txt"
expect_err "no-such-model-x"
expect_rc 3 tokens "$T/missing.txt"
expect_err "cannot read '$T/missing.txt': No such file or directory"
expect_rc 3 tokens "$D"
expect_err "is a directory"

done_testing

# The built-in price history answers the acceptance questions exactly, and
# model names resolve from every common spelling.
. "$TOP/tests/cli/lib.sh"

price() { # MODEL DATE -> "input output" from --json
	run price "$1" --at "$2" --json
	if [ "$rc" -ne 0 ]; then bad "$ctx: exit $rc"; echo "? ?"; return; fi
	json_get 'str(j["input_per_mtok"]) + " " + str(j["output_per_mtok"])'
}

expect_eq "30 60" "$(price gpt-4 2023-06-01)" "gpt-4 on 2023-06-01"
expect_eq "5 15" "$(price gpt-4o 2024-05-20)" "gpt-4o on 2024-05-20"
expect_eq "2.5 10" "$(price gpt-4o 2024-12-31)" "gpt-4o on 2024-12-31"
expect_eq "0.075 0.3" "$(price gemini-1.5-flash 2024-12-31)" "gemini-1.5-flash on 2024-12-31"
expect_eq "0.0375 0.15" "$(price gemini-1.5-flash-8b 2024-12-31)" "gemini-1.5-flash-8b on 2024-12-31"
expect_eq "1 5" "$(price claude-3-5-haiku 2024-11-10)" "claude-3-5-haiku on 2024-11-10"
expect_eq "0.8 4" "$(price claude-3-5-haiku 2025-01-15)" "claude-3-5-haiku on 2025-01-15"
expect_eq "0.15 0.6" "$(price gpt-4o-mini 2024-12-31)" "gpt-4o-mini on 2024-12-31"

# the JSON object carries the documented keys; exact decimals, null when none
run price gemini-1.5-flash-8b --at 2024-12-31 --json
expect_out '"input_per_mtok": 0.0375'
expect_no_out '0.037500000000000006'
for k in model provider effective_from effective_to input_per_mtok output_per_mtok cached_input_per_mtok source; do
	expect_out "\"$k\": "
done
run price gpt-4 --at 2023-06-01 --json
expect_out '"cached_input_per_mtok": null'
expect_out '"effective_to": null'

# names people write resolve to the right model
resolve() { run price "$1" --at "$2" --json && json_get 'j["model"] + "@" + j["provider"]'; }
for n in gpt-4o gpt-4o-2024-08-06 openai/gpt-4o GPT-4o; do
	got=$(resolve "$n" 2024-12-31)
	case "$got" in gpt-4o-2024-*@openai) ok ;; *) bad "'$n' resolved to '$got'" ;; esac
done
for n in claude-3-5-sonnet-20241022 anthropic/claude-3.5-sonnet claude-3-5-sonnet-latest; do
	got=$(resolve "$n" 2024-12-31)
	case "$got" in *claude-3-5-sonnet*@anthropic) ok ;; *) bad "'$n' resolved to '$got'" ;; esac
done
for n in models/gemini-1.5-flash-8b gemini-1.5-flash-8b-001; do
	got=$(resolve "$n" 2024-12-31)
	case "$got" in gemini-1.5-flash-8b*@google) ok ;; *) bad "'$n' resolved to '$got'" ;; esac
done
got=$(resolve gemini-1.5-flash-002 2024-12-31)
case "$got" in gemini-1.5-flash*@google) ok ;; *) bad "'gemini-1.5-flash-002' resolved to '$got'" ;; esac
for n in anthropic.claude-3-5-sonnet-20240620-v1:0 us.anthropic.claude-3-5-sonnet-20241022-v2:0 bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0; do
	got=$(resolve "$n" 2024-12-31)
	case "$got" in *claude-3-5-sonnet*@bedrock) ok ;; *) bad "'$n' resolved to '$got'" ;; esac
done

# the undated alias follows the snapshot current on the date asked
a=$(resolve gpt-4o 2024-05-20)
b=$(resolve gpt-4o 2024-12-31)
[ "$a" != "$b" ] && ok || bad "gpt-4o resolves to the same snapshot in May and December 2024 ($a)"

# history lists every period, oldest first
run price claude-3-5-haiku --history --json
expect_eq 0 "$rc" "price --history"
expect_eq "True" "$(json_get 'len(j) >= 2 and [p["effective_from"] for p in j] == sorted(p["effective_from"] for p in j)')" "history is sorted"

# a date before any price is a data error, not $0
expect_rc 3 price gpt-4o --at 2023-01-01
expect_err "no price"

# models --at lists prices of that date; --provider filters; --csv and --json parse
expect_rc 0 models --at 2024-12-31 --json
expect_eq "True" "$(json_get 'len(j) >= 40')" "at least 40 models priced on 2024-12-31"
expect_eq "True" "$(json_get 'len({r["maker"] for r in j}) >= 8')" "at least 8 makers on 2024-12-31"
expect_rc 0 models --provider google --at 2024-12-31 --json
expect_eq "True" "$(json_get 'all(r["maker"] == "google" or r["provider"] == "google" for r in j) and len(j) > 0')" "--provider google"
expect_rc 0 models --at 2024-12-31 --csv
expect_out "model,provider,maker,input_per_mtok"
expect_rc 0 models --at 2024-12-31 --md
expect_out "| model | provider |"
COLUMNS=60 "$LLMCOST" models --at 2024-12-31 >"$T/out" 2>/dev/null
expect_eq 0 "$(awk 'length > 60' "$T/out" | wc -l | tr -d ' ')" "text table fits 60 columns"

# --source names a known source; an unknown one is a data error, not an empty answer
expect_rc 0 models --source builtin --at 2024-12-31
expect_out "gpt-4o-mini"
expect_rc 3 models --source nosuch
expect_err "unknown price source 'nosuch'"
expect_rc 3 price gpt-4o --source nosuch
expect_err "unknown price source 'nosuch'"
# every command that prices checks the name the same way
expect_rc 3 estimate --input 10 --output 10 --source nosuch
expect_rc 3 report collapse --source nosuch
expect_rc 3 plot collapse --terminal --source nosuch
expect_rc 0 estimate gpt-4o --input 10 --output 10 --source builtin --at 2024-12-31

done_testing

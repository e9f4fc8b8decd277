# The built-in data is current through 2026 and carries the corrections of
# the issue-14 audit: each line asks the built-in history one fact, with the
# source it was checked against in data/prices.csv and data/SOURCES.md.
. "$TOP/tests/cli/lib.sh"

# FIELD MODEL DATE -> the value of FIELD in `price MODEL --at DATE --json`
get() {
	run price "$2" --at "$3" --json
	if [ "$rc" -ne 0 ]; then printf 'exit %s' "$rc"; return; fi
	json_get "str(j['$1'])"
}
io() { printf '%s %s' "$(get input_per_mtok "$1" "$2")" "$(get output_per_mtok "$1" "$2")"; }

# Claude 3 Haiku: the one Claude model not at 0.1x / 1.25x of input
expect_eq "0.03" "$(get cached_input_per_mtok claude-3-haiku 2025-01-01)" "Claude 3 Haiku cache read"
expect_eq "0.3" "$(get cache_write_5m_per_mtok claude-3-haiku 2025-01-01)" "Claude 3 Haiku 5-minute write"
# Gemini 2.5 cache reads after Google's cut; the launch prices before it
expect_eq "0.125" "$(get cached_input_per_mtok gemini-2.5-pro 2025-12-01)" "Gemini 2.5 Pro cache read after the cut"
expect_eq "0.31" "$(get cached_input_per_mtok gemini-2.5-pro 2025-08-01)" "Gemini 2.5 Pro cache read before the cut"
expect_eq "0.03" "$(get cached_input_per_mtok gemini-2.5-flash 2025-12-01)" "Gemini 2.5 Flash cache read"
expect_eq "0.01" "$(get cached_input_per_mtok gemini-2.5-flash-lite 2025-12-01)" "Gemini 2.5 Flash-Lite cache read"
# Grok 3 and Grok 3 mini cached input
expect_eq "0.75" "$(get cached_input_per_mtok grok-3 2025-06-01)" "Grok 3 cached input"
expect_eq "0.075" "$(get cached_input_per_mtok grok-3-mini 2025-06-01)" "Grok 3 mini cached input"
# Together's Llama 3.1 405B Turbo at $3.50
expect_eq "3.5 3.5" "$(io together/llama-3.1-405b-instruct 2025-06-01)" "Together Llama 3.1 405B"
expect_eq "5 5" "$(io together/llama-3.1-405b-instruct 2024-08-01)" "Together Llama 3.1 405B at launch"
# mistral-large-latest is Mistral Large 3 (2512) at $0.5/$1.5 from 2025-12-02
expect_eq "mistral-large-2512" "$(get model mistral-large-latest 2026-01-01)" "mistral-large-latest now"
expect_eq "0.5 1.5" "$(io mistral-large-latest 2026-01-01)" "Mistral Large 3 price"
expect_eq "mistral-large-2411" "$(get model mistral-large-latest 2025-06-01)" "mistral-large-latest before Large 3"
# Gemini 1.5 paid billing began 2024-05-30 (free before)
expect_rc 3 price gemini-1.5-pro --at 2024-05-20
expect_eq "3.5 10.5" "$(io gemini-1.5-pro 2024-05-30)" "Gemini 1.5 Pro on the first paid day"
expect_eq "0.35 1.05" "$(io gemini-1.5-flash 2024-06-01)" "Gemini 1.5 Flash in June 2024"
# DeepSeek's API names follow V3.2 from 2025-12-01, at the V3.2-Exp price
expect_eq "deepseek-v3.2" "$(get model deepseek-chat 2026-01-01)" "deepseek-chat is V3.2"
expect_eq "0.28 0.42" "$(io deepseek-chat 2026-01-01)" "DeepSeek-V3.2 price"

# mistral-small-2402 was $1/$3 before the 2024-09-17 cut (a 5x cut to Small 2409)
expect_eq "1 3" "$(io mistral-small-2402 2024-09-01)" "Mistral Small 2402 before the September 2024 cut"
expect_eq "2 6" "$(io mistral-small-2402 2024-03-01)" "Mistral Small 2402 at launch"
# Mistral Large 2402 was halved with it, to $4/$12 (LiteLLM's first mirrored snapshot)
expect_eq "4 12" "$(io mistral-large-2402 2025-02-06)" "Mistral Large 2402 after its halving"
expect_eq "8 24" "$(io mistral-large-2402 2024-03-01)" "Mistral Large 2402 at launch"
# every Mistral -latest alias follows its current model, with dated periods
expect_eq "mistral-small-2503" "$(get model mistral-small-latest 2025-04-01)" "mistral-small-latest is Small 3.1"
expect_eq "mistral-small-2506" "$(get model mistral-small-latest 2025-08-01)" "mistral-small-latest is Small 3.2"
expect_eq "0.1 0.3" "$(io mistral-small-latest 2025-08-01)" "Mistral Small 3.2 price"
expect_eq "codestral-2508" "$(get model codestral-latest 2025-12-15)" "codestral-latest after Codestral 2501's retirement"
expect_eq "codestral-2501" "$(get model codestral-latest 2025-03-01)" "codestral-latest in early 2025"
expect_eq "mistral-medium-2508" "$(get model mistral-medium-latest 2025-09-01)" "mistral-medium-latest is Medium 3.1"
expect_eq "mistral-medium-2312" "$(get model mistral-medium-latest 2024-06-01)" "mistral-medium-latest in 2024"
# gemini-pro-latest: Gemini 1.0 Pro in 2024, then the newest Pro (Google's
# changelog of 2026-01-21; the 2026-03-06 switch to 3.1 Pro)
expect_eq "gemini-1.0-pro" "$(get model gemini-pro-latest 2024-06-01)" "gemini-pro-latest in 2024"
expect_eq "gemini-3-pro-preview" "$(get model gemini-pro-latest 2026-02-01)" "gemini-pro-latest from 2026-01-21"
expect_eq "gemini-3.1-pro-preview" "$(get model gemini-pro-latest 2026-08-01)" "gemini-pro-latest from 2026-03-06"
# Gemini 1.0 Pro's paid billing also began 2024-05-30
expect_rc 3 price gemini-1.0-pro --at 2024-05-20
expect_eq "0.5 1.5" "$(io gemini-1.0-pro 2024-05-30)" "Gemini 1.0 Pro on the first paid day"

# the 2023 start: GPT-3 and Claude 1 / Instant 1.x at their 2023 prices
expect_eq "20 20" "$(io text-davinci-003 2023-03-01)" "text-davinci-003"
expect_eq "20 20" "$(io text-davinci-002 2023-03-01)" "text-davinci-002"
expect_eq "20 20" "$(io davinci 2023-03-01)" "davinci"
expect_eq "11.02 32.68" "$(io claude-1 2023-04-01)" "Claude 1 in 2023"
expect_eq "8 24" "$(io claude-v1.3 2024-01-01)" "Claude 1.3 after the 2023-11-21 cut"
expect_eq "claude-instant-1.1 1.63 5.51" "$(get model claude-instant-1 2023-05-01) $(io claude-instant-1 2023-05-01)" "claude-instant-1 before Instant 1.2"
expect_eq "claude-instant-1.2" "$(get model claude-instant-1 2023-09-01)" "claude-instant-1 after Instant 1.2"
expect_eq "claude-1" "$(get model claude-1.2 2023-06-01)" "Claude 1.x snapshot ids"
# the collapse is measured from there: both families start in 2023
expect_rc 0 report collapse --to 2024-12-31 --json
expect_eq "20 11.02" "$(json_get '" ".join(str([f for f in j["families"] if f["family"] == fam][0]["first_input_per_mtok"]) for fam in ("gpt-3", "claude-1"))')" "collapse: GPT-3 and Claude 1 families"

# 2025-2026 models of every maker the issue names, at the maker's own API
expect_eq "5 30" "$(io gpt-5.5 2026-08-01)" "gpt-5.5"
expect_eq "5 25" "$(io claude-opus-4-6 2026-08-01)" "claude-opus-4-6"
expect_eq "5 25" "$(io claude-opus-4-7 2026-08-01)" "claude-opus-4-7"
expect_eq "2 10" "$(io claude-sonnet-5 2026-08-01)" "claude-sonnet-5 introductory price"
expect_eq "3 15" "$(io claude-sonnet-5 2026-09-02)" "claude-sonnet-5 after the introductory period"
expect_eq "2 12" "$(io gemini-3.1-pro-preview 2026-08-01)" "gemini-3.1-pro-preview"
expect_eq "0.6 2.5" "$(io kimi-k2-thinking 2026-08-01)" "kimi-k2-thinking"
expect_eq "0.6 2.2" "$(io glm-4.6 2026-08-01)" "glm-4.6"
expect_eq "0.3 1.2" "$(io minimax-m2 2026-08-01)" "minimax-m2"
expect_eq "0.5 3" "$(io qwen3.6-plus 2026-08-01)" "qwen3.6-plus"
expect_eq "1.25 2.5" "$(io grok-4.3 2026-08-01)" "grok-4.3"
expect_eq "0.5 1.5" "$(io mistral-large-2512 2026-08-01)" "mistral-large-2512"
# conflicts between the sheets settled by hand (data/build/settled.csv, with
# the vendor evidence in data/SOURCES.md)
expect_eq "0.0028" "$(get cached_input_per_mtok deepseek-v4-flash 2026-06-01)" "DeepSeek V4 Flash cache hit (vendor page)"
expect_eq "0.435 0.87" "$(io deepseek-v4-pro 2026-06-01)" "DeepSeek V4 Pro (vendor page)"
expect_eq "0.75 3.75" "$(io gemini-3.6-flash 2026-08-01)" "Gemini 3.6 Flash introductory price"
expect_eq "1.5 7.5" "$(io gemini-3.6-flash 2027-01-02)" "Gemini 3.6 Flash from 2027-01-01"
expect_eq "1.25 2.5" "$(io grok-4.20 2026-08-01)" "Grok 4.20"
expect_eq "0.5" "$(get cached_input_per_mtok grok-4.5 2026-08-01)" "Grok 4.5 cached input"
# the 2026 Claude models at Bedrock (global ids) and Vertex
expect_eq "5 25" "$(io bedrock/claude-opus-4-6 2026-08-01)" "claude-opus-4-6 at bedrock"
expect_eq "claude-opus-4-6 bedrock" "$(get model global.anthropic.claude-opus-4-6-v1 2026-08-01) $(get provider global.anthropic.claude-opus-4-6-v1 2026-08-01)" "Bedrock global id"
expect_eq "5 25" "$(io vertex/claude-opus-4-7 2026-08-01)" "claude-opus-4-7 at vertex"
expect_eq "gpt-5.5" "$(get model gpt-5.5-2026-04-23 2026-08-01)" "dated gpt-5.5 id"
# not before its release
expect_rc 3 price gpt-5.5 --at 2026-01-01
# every mined row cites repository, commit and file
run sources
expect_rc 0 models
expect_out "kimi-k2-thinking"
expect_out "glm-4.6"

done_testing

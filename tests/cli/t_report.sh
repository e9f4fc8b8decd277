# `llmcost report collapse`: the family and frontier tables come from the
# price history, and the 2024 headline facts come out of the data.
. "$TOP/tests/cli/lib.sh"

run report collapse --to 2024-12-31 --json
expect_eq 0 "$rc" "report collapse --json"
fam() { # FAMILY KEY
	json_get "[f['$2'] for f in j['families'] if f['family'] == '$1'][0]"
}
expect_eq 2.5 "$(fam gpt-4o latest_input_per_mtok)" "GPT-4o latest input"
expect_eq 5 "$(fam gpt-4o first_input_per_mtok)" "GPT-4o first input"
expect_eq 0.15 "$(fam gpt-4o-mini latest_input_per_mtok)" "GPT-4o mini input"
expect_eq 200.0000 "$(fam gpt-4o-mini below_reference_input_factor)" "GPT-4o mini vs GPT-4"
expect_eq 0.075 "$(fam gemini-1.5-flash latest_input_per_mtok)" "Gemini 1.5 Flash input"
expect_eq 0.0375 "$(fam gemini-1.5-flash-8b latest_input_per_mtok)" "Gemini 1.5 Flash 8B input"
expect_eq 800.0000 "$(fam gemini-1.5-flash-8b below_reference_input_factor)" "Flash 8B vs GPT-4"
expect_eq "30 60" "$(json_get 'str(j["reference"]["input_per_mtok"]) + " " + str(j["reference"]["output_per_mtok"])')" "reference is GPT-4's \$30/\$60"
expect_eq "gpt-4-0314 1186" "$(json_get 'j["quality_bar"]["model"] + " " + str(j["quality_bar"]["score"])')" "default quality bar"
# the blended price is exact: (3 x 0.35 + 1.05) / 4 = 0.525, (3 x 0.075 + 0.3) / 4 = 0.13125
expect_eq 0.13125 "$(fam gemini-1.5-flash latest_blended_per_mtok)" "blended 3:1"
expect_eq 4.0000 "$(fam gemini-1.5-flash drop_factor)" "drop factor 0.525 / 0.13125"
expect_no_out '0.13125000'

# the frontier: the cheapest model at or above GPT-4 (0314) on each date
fr() { json_get "' '.join(str(p['$1']) for p in j['frontier'])"; }
# (scores of the 2024-12-31 leaderboard snapshot: DeepSeek-V2 at 1220 is the
# cheapest GPT-4-level model from its launch until Gemini 1.5 Flash's cut)
expect_eq "2023-03-14 2023-11-06 2024-03-04 2024-04-18 2024-05-06 2024-08-12 2024-10-03 2024-12-03" "$(fr date)" "frontier dates"
expect_eq "deepseek-v2 1220 gemini-1.5-flash 1227" "$(json_get '" ".join(str(p[k]) for p in j["frontier"] if p["date"] in ("2024-05-06", "2024-08-12") for k in ("model", "score"))')" "DeepSeek-V2 (1220) in mid-2024, then Gemini 1.5 Flash-001 (1227)"
expect_eq "2024-12-31" "$(json_get 'j["quality_bar"]["snapshot"]')" "one leaderboard snapshot: --to's"
expect_eq "gpt-4-0314" "$(json_get 'j["frontier"][0]["model"]')" "frontier starts at GPT-4"
expect_eq "gemini-1.5-flash-8b 0.0375 800.0000" "$(json_get '" ".join(str(p[k]) for p in j["frontier"] if p["date"] == "2024-10-03" for k in ("model", "input_per_mtok", "below_reference_input_factor"))')" "Flash 8B sets the frontier in October 2024"
# every frontier model really is at or above the bar, and the price never rises
expect_eq True "$(json_get 'all(p["score"] >= 1186 for p in j["frontier"]) and all(a["blended_per_mtok"] >= b["blended_per_mtok"] for a, b in zip(j["frontier"], j["frontier"][1:]))')" "frontier monotone"

# --blend changes the blend: 1:1 -> (0.075 + 0.3) / 2 = 0.1875
run report collapse --to 2024-12-31 --blend 1:1 --json
expect_eq 0.1875 "$(fam gemini-1.5-flash latest_blended_per_mtok)" "blended 1:1"
# input only (1:0): the frontier is then by input price
run report collapse --to 2024-12-31 --blend 1:0 --json
expect_eq 0.0375 "$(fam gemini-1.5-flash-8b latest_blended_per_mtok)" "blended 1:0 = input"

# --min-quality raises the bar: a score, or a model's score
run report collapse --to 2024-12-31 --min-quality 1300 --json
expect_eq True "$(json_get 'len(j["frontier"]) > 0 and all(p["score"] >= 1300 for p in j["frontier"])')" "bar 1300"
expect_eq null "$(json_get 'j["quality_bar"]["model"] or "null"')" "numeric bar names no model"
run report collapse --to 2024-12-31 --min-quality gpt-4o-2024-05-13 --json
expect_eq "1285" "$(json_get 'str(j["quality_bar"]["score"])')" "bar from a model"
run report collapse --to 2024-12-31 --benchmark mmlu --json
expect_eq "86.4" "$(json_get 'str(j["quality_bar"]["score"])')" "mmlu bar"

# --from/--to cut the period; a period with no price says so
run report collapse --from 2024-06-01 --to 2024-12-31 --json
expect_eq True "$(json_get 'all("2024-06-01" <= f["first_date"] <= "2024-12-31" for f in j["families"])')" "--from/--to"
expect_rc 0 report collapse --from 2020-01-01 --to 2020-12-31
expect_err "no data"

# text, Markdown and CSV renderings
expect_rc 0 report collapse --to 2024-12-31
expect_out "gemini-1.5-flash-8b"
expect_out "800.0x"
expect_out "5.00 -> 2.50"
expect_rc 0 report collapse --to 2024-12-31 --md
expect_out "| gpt-4o-mini |"
# Markdown is for people: the JSON/CSV-only columns (no header) are left out
expect_no_out "|  |"
expect_out "| provider | family | first | latest model |"
expect_rc 0 report collapse --to 2024-12-31 --csv
expect_out "provider,family,first_date"

# usage errors
expect_rc 2 report collapse --blend 3
expect_err "--blend"
expect_rc 2 report collapse --blend 0:0
expect_rc 2 report collapse --from 2024-12-31 --to 2024-01-01
expect_rc 2 report collapse --to 2024-13-01
expect_rc 2 report nosuch
expect_rc 3 report collapse --min-quality no-such-model
# a write error on stdout is exit 1, not a silent success
"$LLMCOST" report collapse >/dev/full 2>/dev/null
expect_eq 1 "$?" "report collapse >/dev/full"

done_testing

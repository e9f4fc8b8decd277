# Quality scores by leaderboard snapshot: the "about 70 models from 18
# organisations above the original GPT-4 by the end of 2024" claim from the
# built-in data (`report quality`), one snapshot per comparison (report
# collapse, --snapshot, estimate --min-quality), the undated MMLU set, a
# version 7 store upgraded, and tools/qualitybuild.py on small git
# repositories made here (deterministic, mapping, organisations, rounding,
# review list, errors).
. "$TOP/tests/cli/lib.sh"

# ---- the claim: models above GPT-4-0314 in the 2024-12-31 snapshot ----
expect_rc 0 report quality --above gpt-4-0314 --at 2024-12-31 --json
expect_eq "2024-12-31 GPT-4-0314 gpt-4-0314 1186" \
	"$(json_get '" ".join(str(x) for x in (j["snapshot"], j["above"]["name"], j["above"]["model"], j["above"]["score"]))')" \
	"the bar is GPT-4-0314 in the 2024-12-31 snapshot"
n=$(json_get 'j["count"]')
orgs=$(json_get 'j["organizations"]')
[ "$n" -ge 70 ] && [ "$n" -le 80 ] && ok || bad "about 70 models above GPT-4-0314 at the end of 2024: got $n"
expect_eq 18 "$orgs" "organisations above GPT-4-0314 at the end of 2024"
expect_eq True "$(json_get 'j["count"] == len(j["models"]) and j["organizations"] == len({m["organization"] for m in j["models"] if m["organization"]})')" "count and organisations are the listed models'"
expect_eq True "$(json_get 'all(m["score"] > 1186 for m in j["models"])')" "strictly above the bar"
# models without an API price count too (no llmcost model id)
expect_eq True "$(json_get 'any(m["model"] is None for m in j["models"]) and any(m["model"] == "o1" for m in j["models"])')" "priced and unpriced models listed"
expect_eq "DeepSeek" "$(json_get '",".join(sorted({m["organization"] for m in j["models"] if "eepseek" in m["name"]}))')" "one spelling per organisation"
expect_rc 0 report quality --above gpt-4-0314 --at 2024-12-31
expect_out "$n models from 18 organisations scored above GPT-4-0314 (1186) on arena_elo, snapshot of 2024-12-31."
expect_rc 0 report quality --above GPT-4-0314 --at 2024-12-31 --csv
expect_out "rank,name,organization,score,model"
expect_eq "$((n + 1))" "$(wc -l <"$T/out" | tr -d ' ')" "CSV: a header and one line per model"
# a score as the bar; --at picks the snapshot (latest on or before)
expect_rc 0 report quality --above 1300 --at 2025-01-15 --json
expect_eq "2024-12-31 1300" "$(json_get 'j["snapshot"] + " " + str(j["above"]["score"])')" "--above SCORE, snapshot on or before --at"
expect_rc 0 report quality --at 2025-12-31 --json
expect_eq "2025-12-11" "$(json_get 'j["snapshot"]')" "the latest snapshot"
expect_eq True "$(json_get 'j["count"] > 200 and j["above"] is None')" "every model of the snapshot without --above"
expect_rc 0 report quality --at 2023-06-01 --json
expect_eq "2024-07-07" "$(json_get 'j["snapshot"]')" "before the first snapshot: the first"
# errors: exit 3 with the snapshot named
expect_rc 3 report quality --above no-such-model-x --at 2024-12-31
expect_err "no 'arena_elo' score for 'no-such-model-x' in the 2024-12-31 snapshot"
expect_rc 3 report quality --benchmark no-such-bench
expect_err "no 'no-such-bench' scores"
expect_rc 2 report quality --at 2024-13-45

# ---- one snapshot per comparison ----
# scores: model -> score of `report quality --at DATE`
scores_at() { "$LLMCOST" report quality --at "$1" --json >"$T/snap.json" || bad "report quality --at $1"; }
same_snapshot() { # what: every frontier score is the score in $T/snap.json
	python3 - "$T/out" "$T/snap.json" <<'PY' && ok || bad "$1: a score from another snapshot"
import json, sys
from decimal import Decimal
r = json.load(open(sys.argv[1]), parse_float=Decimal)
s = {m["model"]: m["score"] for m in json.load(open(sys.argv[2]), parse_float=Decimal)["models"] if m["model"]}
sys.exit(0 if r["frontier"] and all(s[p["model"]] == p["score"] for p in r["frontier"]) else 1)
PY
}
expect_rc 0 report collapse --to 2025-12-31 --json
expect_eq "2025-12-11 1206" "$(json_get 'j["quality_bar"]["snapshot"] + " " + str(j["quality_bar"]["score"])')" "bar from --to's snapshot"
scores_at 2025-12-31
same_snapshot "report collapse --to 2025-12-31"
expect_rc 0 report collapse --to 2024-12-31 --snapshot 2025-08-04 --json
expect_eq "2025-08-04 1210" "$(json_get 'j["quality_bar"]["snapshot"] + " " + str(j["quality_bar"]["score"])')" "--snapshot DATE"
scores_at 2025-08-04
same_snapshot "report collapse --snapshot 2025-08-04"
expect_rc 0 report collapse --from 2023-01-01 --to 2023-12-31 --json
expect_eq "2024-07-07" "$(json_get 'j["quality_bar"]["snapshot"]')" "a 2023 report uses the first snapshot"
expect_rc 0 report collapse --to 2024-12-31
expect_out "(leaderboard snapshot of 2024-12-31)"
expect_rc 2 report collapse --snapshot yesterday-ish
# a bar model the snapshot does not rank
expect_rc 3 report collapse --to 2024-12-31 --min-quality gpt-5
expect_err "no 'arena_elo' score for 'gpt-5' in the 2024-12-31 snapshot"
# estimate --min-quality: the snapshot of --at
expect_rc 0 estimate --input 1000 --output 500 --at 2025-12-31 --min-quality 1400 --json
python3 - "$T/out" <<'PY' && ok || bad "estimate --min-quality at 2025-12-31: scores of the 2025-12-11 snapshot"
import json, sys, subprocess, os
r = json.load(open(sys.argv[1]))
s = json.loads(subprocess.run([os.environ["LLMCOST"], "report", "quality", "--at", "2025-12-31", "--json"],
                              capture_output=True, text=True).stdout)
s = {m["model"]: m["score"] for m in s["models"] if m["model"]}
res = r["results"]
sys.exit(0 if res and all(x["quality"] == s[x["model"]] and x["quality"] >= 1400 for x in res) else 1)
PY

# ---- vendor MMLU: one undated set ----
expect_rc 0 report collapse --to 2024-12-31 --benchmark mmlu --json
expect_eq "86.4 None" "$(json_get 'str(j["quality_bar"]["score"]) + " " + str(j["quality_bar"]["snapshot"])')" "mmlu: undated"
expect_rc 0 report quality --benchmark mmlu --above 88 --json
expect_eq True "$(json_get 'j["snapshot"] is None and j["count"] >= 4 and all(m["score"] > 88 for m in j["models"])')" "report quality --benchmark mmlu"

# ---- a version 7 store upgrades: its own scores kept, the built-in ones replaced ----
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")
V7="$T/v7.db"
python3 - "$FIX/schema_v7.sql" "$V7" <<'PY' || bad "building the version 7 store failed"
import sqlite3, sys
c = sqlite3.connect(sys.argv[2])
c.executescript(open(sys.argv[1]).read())
c.executescript("""
INSERT INTO providers(id, name, kind) VALUES ('acme', 'Acme', 'maker');
INSERT INTO models(id, maker, origin) VALUES ('widget-1', 'acme', 'user'), ('gpt-4-0314', 'acme', 'builtin');
INSERT INTO quality_scores(model_id, benchmark, score, as_of, origin)
  VALUES ('widget-1', 'arena_elo', 1333, '2030-01-01', 'user'),
         ('widget-1', 'mmlu', 91.5, '2029-05-05', 'user'),
         ('gpt-4-0314', 'arena_elo', 1999, '2024-12-30', 'builtin');
""")
c.execute("PRAGMA user_version = 7")
c.execute("PRAGMA application_id = %d" % 0x4c4c4d43)
c.commit()
PY
expect_rc 0 --db "$V7" report quality --at 2030-06-01 --json
expect_eq "2030-01-01 widget-1 widget-1 1333" \
	"$(json_get '" ".join(str(x) for x in (j["snapshot"], j["models"][0]["name"], j["models"][0]["model"], j["models"][0]["score"]))')" \
	"a store's own score kept, as the snapshot of its date"
expect_eq "$SV" "$(sqlite3 "$V7" "PRAGMA user_version")" "the version 7 store's schema version after the upgrade"
expect_eq "widget-1|arena_elo|2030-01-01|1333.0|user
widget-1|mmlu|2029-05-05|91.5|user" \
	"$(sqlite3 "$V7" "SELECT name, benchmark, snapshot, score, origin FROM quality_scores WHERE origin <> 'builtin' ORDER BY 2")" \
	"every non-built-in score kept"
expect_eq "$(($(wc -l <"$TOP/data/quality.csv") - 1))" "$(sqlite3 "$V7" "SELECT count(*) FROM quality_scores WHERE origin = 'builtin'")" \
	"the built-in scores are the new data's"
expect_eq 0 "$(sqlite3 "$V7" "SELECT count(*) FROM quality_scores WHERE origin = 'builtin' AND score = 1999")" "the old built-in row is gone"
expect_eq "$(sqlite3 "$LLMCOST_DB" "SELECT sql FROM sqlite_master WHERE tbl_name = 'quality_scores' ORDER BY name")" \
	"$(sqlite3 "$V7" "SELECT sql FROM sqlite_master WHERE tbl_name = 'quality_scores' ORDER BY name")" \
	"quality_scores of the upgraded store is a new store's"
expect_eq 0 "$(sqlite3 "$V7" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v7'")" "no table of the migration left"

# ---- tools/qualitybuild.py on small git repositories ----
B="python3 $TOP/tools/qualitybuild.py"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
commit() { # DIR DATE MESSAGE
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" git -C "$1" add -A >/dev/null &&
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" git -C "$1" commit -q -m "$3" >/dev/null
}
L="$T/lbcsv"
mkdir -p "$L/csv" && git -C "$L" init -q
printf 'rank,model,arena_score,95_pct_ci,votes,organization,license\n1,Big-Model-1,1300,+1/-1,9,Acme AI,x\n2,GPT-Old,1186,+1/-1,9,OpenAI,x\n3,Side-Model,1150,+1/-1,9,,x\n' >"$L/csv/lmsys.csv"
commit "$L" 2024-07-09 "auto: update csv outputs to version 2024.07.07"
printf 'rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license\n1,1,Big-Model-2,1350,+1/-1,9,Acme,x\n2,2,Big-Model-1,1290,+1/-1,9,Acme AI,x\n3,3,GPT-Old,1190,+1/-1,9,OpenAI,x\n' >"$L/csv/lmsys.csv"
commit "$L" 2024-12-31 "auto: update csv outputs to version 2024.12.31"
git -C "$L" rm -q csv/lmsys.csv && mkdir -p "$L/csv"
printf 'rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license\n1,1,Big-Model-2,1360,+1/-1,9,Acme,x\n2,1,Big-Model-2,1359,+1/-1,9,Acme,x\n' >"$L/csv/lmarena_text.csv"
commit "$L" 2025-08-06 "auto: update csv outputs to version 2025.08.04"
C="$T/catalog"
mkdir -p "$C/data" && git -C "$C" init -q
printf '{"full": {"big-model-2": {"rating": 1400.5}, "gpt-old": {"rating": 1201.5}, "zeta-9": {"rating": 1250.49}, "mystery": {"rating": 1100}}, "coding": {}}\n' >"$C/data/leaderboard-text.json"
printf '[{"model_api_name": "zeta-9", "organization": "Zeta Labs"}]\n' >"$C/data/scatterplot-data.json"
commit "$C" 2025-12-11 "update"
echo '{"full": {}}' >"$C/data/leaderboard-text.json"
commit "$C" 2026-01-05 "later"
IN="$T/in"
mkdir -p "$IN"
printf 'source,date\nllm-leaderboard-csv,2024-07-07\nllm-leaderboard-csv,2024-12-31\nllm-leaderboard-csv,2025-08-04\narena-catalog,2025-12-31\n' >"$IN/snaps.csv"
printf 'name,model\nGPT-Old,gpt-old\nbig-model-2,big-2\nZeta-9,zeta-x\n' >"$IN/map.csv"
printf 'kind,pattern,organization\nalias,Acme AI,Acme\nprefix,side-,Side Org\n' >"$IN/orgs.csv"
printf 'name,organization,model,score,source_url\ngpt-old,OpenAI,gpt-old,86.4,https://example.invalid/gpt-old\n' >"$IN/mmlu.csv"
printf 'id,maker\ngpt-old,openai\nbig-2,acme\n' >"$IN/models.csv"
qb() { # OUT [extra args]: run the build on the fixtures
	o=$1
	shift
	$B --csv-repo "$L" --catalog-repo "$C" --snapshots "$IN/snaps.csv" --map "$IN/map.csv" \
		--orgs "$IN/orgs.csv" --mmlu "$IN/mmlu.csv" --models "$IN/models.csv" --out "$o" "$@" 2>"$T/err"
}
qb "$T/q1.csv" --review "$T/review.txt" && ok || bad "qualitybuild failed: $(cat "$T/err")"
qb "$T/q2.csv" && cmp -s "$T/q1.csv" "$T/q2.csv" && ok || bad "qualitybuild: a rerun is not byte-identical"
l1=$(git -C "$L" rev-parse HEAD~2)
c1=$(git -C "$C" rev-parse HEAD~1)
cat >"$T/want.csv" <<EOF
benchmark,snapshot,name,organization,model,score,source_url
arena_elo,2024-07-07,Big-Model-1,Acme,,1300,https://github.com/fboulnois/llm-leaderboard-csv/blob/$l1/csv/lmsys.csv
arena_elo,2024-07-07,GPT-Old,OpenAI,gpt-old,1186,https://github.com/fboulnois/llm-leaderboard-csv/blob/$l1/csv/lmsys.csv
arena_elo,2024-07-07,Side-Model,Side Org,,1150,https://github.com/fboulnois/llm-leaderboard-csv/blob/$l1/csv/lmsys.csv
EOF
expect_eq "$(cat "$T/want.csv")" "$(head -4 "$T/q1.csv")" "the 2024-07-07 snapshot: organisation alias and prefix, mapping, provenance"
row() { grep "^arena_elo,$1,$2," "$T/q1.csv" | cut -d, -f1-6; }
expect_eq "arena_elo,2024-12-31,Big-Model-2,Acme,big-2,1350" "$(row 2024-12-31 Big-Model-2)" "a name mapped case-insensitively"
expect_eq "arena_elo,2025-08-04,Big-Model-2,Acme,big-2,1360" "$(row 2025-08-04 Big-Model-2)" "csv/lmarena_text.csv versions; a name listed twice: the first"
expect_eq 1 "$(grep -c '^arena_elo,2025-08-04,' "$T/q1.csv")" "one row per name in a snapshot"
# arena-catalog: the last commit on or before the date, dated by it; half-even rounding
expect_eq "arena_elo,2025-12-11,big-model-2,Acme,big-2,1400" "$(row 2025-12-11 big-model-2)" "1400.5 -> 1400 (half-even); organisation from another snapshot"
expect_eq "arena_elo,2025-12-11,gpt-old,OpenAI,gpt-old,1202" "$(row 2025-12-11 gpt-old)" "1201.5 -> 1202"
expect_eq "arena_elo,2025-12-11,zeta-9,Zeta Labs,,1250" "$(row 2025-12-11 zeta-9)" "organisation from scatterplot-data.json; an id not in models.csv left out"
expect_eq "arena_elo,2025-12-11,mystery,,,1100" "$(row 2025-12-11 mystery)" "no organisation: empty, for review"
expect_eq "mmlu,,gpt-old,OpenAI,gpt-old,86.4" "$(grep '^mmlu,' "$T/q1.csv" | cut -d, -f1-6)" "the MMLU set copied through, undated"
grep -qF "arena-catalog/blob/$c1/data/leaderboard-text.json" "$T/q1.csv" && ok || bad "arena-catalog rows cite the commit"
grep -qF "2025-08-04: 'Big-Model-2' listed twice; the first kept" "$T/review.txt" && ok || bad "review: a name listed twice"
grep -qF "2025-12-11: 'zeta-9' maps to 'zeta-x', not a model of" "$T/review.txt" && ok || bad "review: a mapped id missing from models.csv"
grep -qF "2025-12-11: no organisation for 'mystery'" "$T/review.txt" && ok || bad "review: no organisation"
# the built data loads: every built-in row has the columns the store wants
expect_eq "$(head -1 "$TOP/data/quality.csv")" "$(head -1 "$T/q1.csv")" "the fixture output's header is data/quality.csv's"
# errors name the file and line; nothing is written
printf 'name,model\nGPT-Old,gpt-old\nbig-model-1,gpt-old\n' >"$IN/map2.csv"
qb "$T/q3.csv" --map "$IN/map2.csv"
expect_eq 1 "$?" "two names of one snapshot mapped to one model: exit 1"
grep -qF "2024-07-07: 'Big-Model-1' and 'GPT-Old' both map to 'gpt-old' in one snapshot" "$T/err" && ok || bad "two names -> one model: $(cat "$T/err")"
[ ! -e "$T/q3.csv" ] && ok || bad "nothing written after an error"
printf 'source,date\nllm-leaderboard-csv,2024-08-01\n' >"$IN/snaps2.csv"
qb "$T/q4.csv" --snapshots "$IN/snaps2.csv"
expect_eq 1 "$?" "an unknown version: exit 1"
grep -qF "llm-leaderboard-csv has no version 2024-08-01" "$T/err" && ok || bad "unknown version: $(cat "$T/err")"
printf 'source,date\narena-catalog,2025-12-xx\n' >"$IN/snaps3.csv"
qb "$T/q5.csv" --snapshots "$IN/snaps3.csv"
grep -qF "snaps3.csv' line 2: date '2025-12-xx' is not YYYY-MM-DD" "$T/err" && ok || bad "bad date: $(cat "$T/err")"
printf 'name,model\nGPT-Old,gpt-old\ngpt-old,big-2\n' >"$IN/map3.csv"
qb "$T/q6.csv" --map "$IN/map3.csv"
grep -qF "map3.csv' line 3: 'gpt-old' is mapped twice" "$T/err" && ok || bad "a name mapped twice: $(cat "$T/err")"

done_testing

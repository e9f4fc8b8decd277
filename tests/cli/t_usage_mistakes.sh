# The mistakes a user makes (#17): a --project no usage has (usage exits 3
# with the near names; budget set warns), budget rm, budget status --json
# with no budget; an llm logs.db written before llm 0.20 (datetime_utc
# without a zone) read as UTC; a file-level error names its file once.
. "$TOP/tests/cli/lib.sh"
cost() { json_get 'j["total"]["cost"]'; }

# ---- usage --project: a project no usage has ----
# an empty store: exit 3, not an empty report
expect_rc 3 usage --project webshop
expect_err "no usage of project 'webshop'; the store holds no usage with a project yet"
cat >"$T/u.csv" <<'CSV'
timestamp,model,input_tokens,output_tokens,project
2025-03-01T10:00:00Z,gpt-4o,1000,0,/home/u/work/webshop
2025-03-01T11:00:00Z,gpt-4o,2000,0,/home/u/work/llmcost
2025-03-01T12:00:00Z,gpt-4o,4000,0,-home-u-src-api
2025-03-01T13:00:00Z,gpt-4o,8000,0,/home/u/work/webshop-admin
CSV
expect_rc 0 ingest usage "$T/u.csv"
expect_out "4 accepted"
# known: the whole path, its last folder or last folders
for p in /home/u/work/webshop webshop work/webshop -home-u-src-api; do
	expect_rc 0 usage --json --project "$p"
done
expect_rc 0 usage --json --project webshop
expect_eq 0.0025 "$(cost)" "webshop alone (gpt-4o \$2.50/M: 1000 in)"
# a typo: the closest names (edit distance), in that order
expect_rc 3 usage --project webshp
expect_err "llmcost: error: no usage of project 'webshp'; did you mean 'webshop' or 'webshop-admin'?"
expect_rc 3 usage --project llmcst --json
expect_err "no usage of project 'llmcst'; did you mean 'llmcost'?"
expect_no_out '"rows"'
expect_rc 3 usage --project -home-u-src-apj
expect_err "did you mean '-home-u-src-api'?"
# a prefix of known names counts as near, the closest first
expect_rc 3 usage --project webs
expect_err "did you mean 'webshop' or 'webshop-admin'?"
# nothing near: the known names are listed
expect_rc 3 usage project --project nosuch
expect_err "no usage of project 'nosuch'; known projects: '-home-u-src-api', 'llmcost', 'webshop', 'webshop-admin'"
# a known project with no usage in the range is an empty report, not an error
expect_rc 0 usage --project webshop --since 2025-04-01
expect_err "no usage in the store matches"

# ---- usage --model: a model no usage has ----
# the store holds gpt-4o (logged as "gpt-4o", the catalogue's gpt-4o-2024-08-06)
expect_rc 0 usage --json --model gpt-4o
expect_eq 0.0375 "$(cost)" "15000 input tokens at \$2.50/M"
expect_rc 0 usage --json --model gpt-4o-2024-08-06
expect_eq 0.0375 "$(cost)" "the catalogue's id"
expect_rc 0 usage --json --model gpt4o
expect_eq 0.0375 "$(cost)" "a spelling the catalogue knows"
expect_rc 3 usage --model gpt-4
expect_err "llmcost: error: no usage of model 'gpt-4'; did you mean 'gpt-4o' or 'gpt-4o-2024-08-06'?"
expect_rc 3 usage model --model claude-sonnet-4 --json
expect_err "no usage of model 'claude-sonnet-4'; models with usage: 'gpt-4o', 'gpt-4o-2024-08-06'"
expect_no_out '"rows"'

# ---- budget set --project: warned, still set ----
expect_rc 0 budget set --monthly 5 --project webshp
expect_out "monthly budget for webshp: \$5.00"
expect_err "llmcost: warning: no usage has project 'webshp' yet; did you mean 'webshop' or 'webshop-admin'?"
expect_rc 0 budget set --monthly 6 --project webshop
if grep -q warning "$T/err"; then bad "a known project warned: $(cat "$T/err")"; else ok; fi
expect_rc 0 budget status --json
expect_eq "webshop 6|webshp 5" "$(json_get '"|".join("%s %s" % (r["scope"], r["monthly"]) for r in j)')"

# ---- budget rm ----
expect_rc 3 budget rm
expect_err "llmcost: error: no budget for all usage"
expect_rc 3 budget rm --project nosuch
expect_err "no budget for project 'nosuch'"
expect_rc 0 budget rm --project webshp
expect_out "removed the monthly budget for webshp"
expect_rc 3 budget rm --project webshp
expect_rc 0 budget set --monthly 9
expect_rc 0 budget rm
expect_out "removed the monthly budget for all usage"
expect_rc 0 budget status --json
expect_eq "webshop 6" "$(json_get '"|".join("%s %s" % (r["scope"], r["monthly"]) for r in j)')"
expect_rc 2 budget rm extra
expect_rc 0 budget rm --project webshop

# ---- budget status with no budget ----
expect_rc 0 budget status --json
expect_eq "[]" "$(cat "$T/out")" "no budget: an empty JSON list"
expect_rc 0 budget status
expect_err "no budget set"

# ---- llm logs.db before 0.20: datetime_utc without a zone is UTC ----
# gpt-4o-mini on 2025-02-16: $0.15/M in, $0.60/M out.  r1 1000 in + 1000
# out = 0.00075; r2 1000 in = 0.00015; r3 (zoned) 2000 in = 0.0003.  r2 at
# 23:59:59 without a zone is Feb 16 in UTC (Feb 17 in Tokyo); r4 is bad
# with or without a zone and stays rejected with its own text.
python3 - "$T/old-logs.db" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.executescript("""
CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, conversation_id TEXT,
  datetime_utc TEXT, input_tokens INTEGER, output_tokens INTEGER, token_details TEXT);
INSERT INTO responses VALUES ('r1','gpt-4o-mini','c1','2025-02-16T10:00:00.123456',1000,1000,NULL);
INSERT INTO responses VALUES ('r2','gpt-4o-mini','c1','2025-02-16 23:59:59.999999',1000,0,NULL);
INSERT INTO responses VALUES ('r3','gpt-4o-mini','c1','2025-02-17T01:00:00+00:00',2000,0,NULL);
INSERT INTO responses VALUES ('r4','gpt-4o-mini','c1','2025-02-16T25:00:00',5,5,NULL);
""")
d.commit()
PY
store_reset
expect_rc 0 ingest usage --format llm "$T/old-logs.db"
expect_out "3 accepted"
expect_err "responses row 'r4': datetime_utc: malformed timestamp '2025-02-16T25:00:00'"
if grep -q "has no time zone" "$T/err"; then bad "a zone-less time rejected: $(cat "$T/err")"; else ok; fi
expect_rc 0 usage --json --tz UTC
expect_eq "2025-02-16 2 0.0009|2025-02-17 1 0.0003" \
	"$(json_get '"|".join("%s %s %s" % (r["key"], r["records"], r["cost"]) for r in j["rows"])')"
expect_rc 0 usage --json --tz Asia/Tokyo
expect_eq "2025-02-16 1 0.00075|2025-02-17 2 0.00045" \
	"$(json_get '"|".join("%s %s %s" % (r["key"], r["records"], r["cost"]) for r in j["rows"])')"
expect_rc 0 ingest usage "$T/old-logs.db"
expect_out "0 accepted, 3 duplicates"

# ---- a file-level error names its file once ----
# (the reader's message names it for --strict; the engine must not add it again)
printf 'not a database at all, just text long enough to look like a header......\n' >"$T/x.db"
expect_rc 3 ingest usage --format llm "$T/x.db"
expect_err "llmcost: error: '$T/x.db' is not an llm logs database"
if grep -qF "'$T/x.db': '$T/x.db'" "$T/err"; then bad "named twice: $(cat "$T/err")"; else ok; fi
expect_rc 3 ingest usage --strict --format llm "$T/x.db"
expect_err "llmcost: error: '$T/x.db' is not an llm logs database"
printf 'a,b\n1,2\n' >"$T/h.csv"
expect_rc 3 ingest usage "$T/h.csv"
expect_err "llmcost: error: '$T/h.csv' line 1: missing column 'timestamp'"
if grep -qF "'$T/h.csv': '$T/h.csv'" "$T/err"; then bad "named twice: $(cat "$T/err")"; else ok; fi
done_testing

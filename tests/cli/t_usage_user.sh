# Who produced each usage record (schema version 10, issue 20): a user
# identity stored per record, USER@HOST by default, else $LLMCOST_USER, else
# `--user NAME` (option beats variable beats default); `usage user` groups by
# it and `--user NAME` filters every usage report; budgets per user; a
# version 9 store migrates with its old records' user '' ("(unknown)").
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")
unset LLMCOST_USER
# the test's store (the team store below) or, through with_store, another
# one of its kind: NAME is a SQLite file $T/NAME.db, or a schema beside it
A="$T/alice.db" # alice's store as a SQLite file (the version 9 migration)
users() { # [NAME]: the users of the records of the store
	if store_is_sqlite; then
		set -- "${1:-}" "SELECT DISTINCT user_name FROM usage_records ORDER BY 1"
	else
		set -- "${1:-}" "SELECT DISTINCT user_name FROM usage_calls ORDER BY 1"
	fi
	if [ -n "$1" ]; then with_store "$1" store_sql "$2"; else store_sql "$2"; fi
}
# the budgets of the test's store: `scope|whole USD` lines (SQLite's table,
# or what `budget status` says of the team store's)
budgets() {
	if store_is_sqlite; then
		sqlite3 "$LLMCOST_DB" "SELECT scope, monthly / 1000000000 FROM budgets ORDER BY scope"
	else
		"$LLMCOST" budget status --json | python3 -c 'import json, sys
for s, m in sorted(("" if b["scope"] == "all usage" else b["scope"], int(b["monthly"])) for b in json.load(sys.stdin)):
    print("%s|%d" % (s, m))'
	fi
}

# ---- the identity: default USER@HOST, $LLMCOST_USER, --user ----
host=$(hostname)
with_store def expect_rc 0 ingest usage "$U/claude"
expect_eq "${USER:-$(id -un)}@$host" "$(users def)" "default identity: \$USER@host"
# without $USER: the password entry's name
with_store def2 env -u USER "$LLMCOST" ingest usage "$U/claude" >/dev/null 2>&1
expect_eq "$(id -un)@$host" "$(users def2)" "default identity without \$USER: the user id's name"
USER=somebody with_store def3 "$LLMCOST" ingest usage "$U/claude" >/dev/null 2>&1
expect_eq "somebody@$host" "$(users def3)" "default identity: \$USER@host"
LLMCOST_USER=from-env with_store env "$LLMCOST" ingest usage "$U/claude" >/dev/null 2>&1
expect_eq "from-env" "$(users env)" "\$LLMCOST_USER beats the default"
LLMCOST_USER=from-env with_store opt "$LLMCOST" ingest usage "$U/claude" --user "from option" \
	>/dev/null 2>&1
expect_eq "from option" "$(users opt)" "--user beats \$LLMCOST_USER"
# the rollups keep the user (usage_sums), the totals do not (usage_total_sums)
if store_is_sqlite; then
	expect_eq "from option" "$(sqlite3 "$T/opt.db" "SELECT DISTINCT user_name FROM usage_rollup")" "usage_rollup rows carry the user"
	expect_eq "" "$(sqlite3 "$T/opt.db" "SELECT DISTINCT d.user_name FROM usage_total_sums s JOIN usage_dims d ON d.id = s.dim")" "usage_total_sums rows have user ''"
	expect_eq ok "$(rollup_check "$T/opt.db")"
else
	expect_eq "from option" "$(with_store opt store_sql "SELECT DISTINCT user_name FROM usage_sums")" "usage_sums rows carry the user"
	expect_eq "" "$(with_store opt store_sql "SELECT DISTINCT user_name FROM usage_total_sums")" "usage_total_sums rows have user ''"
	expect_eq ok "$(with_store opt store_rollup_check)"
fi

# the status line stores its transcript's new lines under the same identity
tr="$U/claude/projects/-home-dev-src-webapp/sess-1.jsonl"
printf '{"session_id":"sess-1","transcript_path":"%s","model":{"display_name":"S"}}\n' "$tr" >"$T/hook.json"
LLMCOST_USER=env-user with_store sl "$LLMCOST" statusline --user hook-user <"$T/hook.json" >"$T/out" 2>"$T/err"
expect_eq 0 "$?" "statusline --user: exit 0"
expect_eq "hook-user" "$(users sl)" "statusline --user files the transcript's records under it"
LLMCOST_USER=env-user with_store sl2 "$LLMCOST" statusline <"$T/hook.json" >"$T/out" 2>"$T/err"
expect_eq "env-user" "$(users sl2)" "statusline: \$LLMCOST_USER"

# ---- bad names: exit 2 naming the option or variable, nothing stored ----
long=$(printf 'u%.0s' $(seq 256))
with_store bad expect_rc 2 ingest usage "$U/claude" --user ""
expect_err "--user: a user name must not be empty"
with_store bad expect_rc 2 ingest usage "$U/claude" --user "$long"
expect_err "--user: a user name of 256 bytes is over the 255-byte limit"
with_store bad expect_rc 2 ingest usage "$U/claude" --user "$(printf 'a\tb')"
expect_err "--user: a user name must be printable UTF-8 (byte 2 is not)"
with_store bad expect_rc 2 ingest usage "$U/claude" --user "$(printf 'a\xffb')"
expect_err "printable UTF-8 (byte 2 is not)"
LLMCOST_USER="" with_store bad "$LLMCOST" ingest usage "$U/claude" >"$T/out" 2>"$T/err"
expect_eq 2 "$?" "LLMCOST_USER='': exit 2"
expect_err "LLMCOST_USER: a user name must not be empty"
LLMCOST_USER="$(printf 'x\033[31m')" with_store bad "$LLMCOST" ingest usage "$U/claude" >"$T/out" 2>"$T/err"
expect_eq 2 "$?" "LLMCOST_USER with an escape: exit 2"
expect_err "LLMCOST_USER: a user name must be printable UTF-8"
expect_eq 0 "$(with_store bad store_sql "SELECT count(*) FROM usage_calls" 2>/dev/null || echo 0)" "a bad user name stores nothing"
# the longest name is kept whole
with_store long expect_rc 0 ingest usage "$U/claude" --user "${long:1}"
expect_eq "${long:1}" "$(users long)" "a 255-byte user name is kept whole"
with_store long expect_rc 2 usage daily --user ""
with_store long expect_rc 2 usage blocks --user "$long"
with_store bad expect_rc 2 statusline --user "" </dev/null

# ---- two users in one store: `usage user` sums as separate stores do ----
"$TOOLS/gen_claude_logs" "$T/gen" 300 3 >/dev/null || bad "generator failed"
# the team store is the test's store; alice's and bob's are with_store's
expect_rc 0 ingest usage --user alice "$U/claude" "$T/gen/projects"
LLMCOST_USER=bob "$LLMCOST" ingest usage "$U/codex" "$U/csv/usage.csv" >/dev/null 2>&1
with_store alice expect_rc 0 ingest usage --user alice "$U/claude" "$T/gen/projects"
with_store bob expect_rc 0 ingest usage --user bob "$U/codex" "$U/csv/usage.csv"
expect_eq ok "$(store_rollup_check)"
# the same records again under another user are duplicates: counted once
expect_rc 0 ingest usage --user carol "$U/claude"
expect_out " 0 accepted"
expect_eq "alice
bob" "$(users)" "a record already stored keeps its user"
total() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$1"; }
row() { # FILE KEY: the row of KEY without its key
	python3 -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1]))["rows"] if x["key"] == sys.argv[2]]
print(dict((k, v) for k, v in r[0].items() if k != "key") if len(r) == 1 else r)' "$1" "$2"
}
for m in logged calculated; do
	expect_rc 0 usage user --json --cost-mode $m
	cp "$T/out" "$T/team.json" # the last, calculated, is read below
	expect_eq 2 "$(json_get 'len(j["rows"])')" "usage user --cost-mode $m: one row per user"
	with_store alice expect_rc 0 usage --json --cost-mode $m
	expect_eq "$(total "$T/out")" "$(row "$T/team.json" alice)" "usage user --cost-mode $m: alice's row is her own store's total"
	with_store bob expect_rc 0 usage --json --cost-mode $m
	expect_eq "$(total "$T/out")" "$(row "$T/team.json" bob)" "usage user --cost-mode $m: bob's row is his own store's total"
done
# the rows sum to the total, which is the store's
expect_rc 0 usage --json
expect_eq "$(total "$T/out")" "$(total "$T/team.json")" "usage user: the total is the whole store's"
expect_rc 0 usage user
expect_out "alice"
expect_out "bob"
expect_rc 0 usage user --csv
expect_out "key,input_tokens"
expect_out "bob,1003300,1000800,"
expect_rc 0 usage user --from-records --json
cmp -s "$T/team.json" "$T/out" && ok || bad "usage user from the records differs from the rollup's"

# ---- --user filters every report: as the user's own store reports ----
same() { # REPORT ARGS...: --user alice on the team store = alice's store
	with_store alice expect_rc 0 usage "$@" --json
	cp "$T/out" "$T/own.json"
	expect_rc 0 usage "$@" --user alice --json
	cmp -s "$T/own.json" "$T/out" && ok || bad "usage $* --user alice differs from alice's own store"
}
same daily
same daily --breakdown
same weekly
same monthly
same project
same session
same model
same daily --from-records
same daily --project webapp
export LLMCOST_NOW=2025-06-02T13:00:00Z
same blocks
unset LLMCOST_NOW
expect_rc 0 usage --user bob --json
expect_eq "$(row "$T/team.json" bob)" "$(total "$T/out")" "usage --user bob: bob's row"
# a user no usage has: exit 3 with the near names
expect_rc 3 usage daily --user alcie
expect_err "no usage of user 'alcie'; did you mean 'alice'?"
expect_rc 3 usage blocks --user nobody-at-all
expect_err "no usage of user 'nobody-at-all'; users with usage: 'alice', 'bob'"
with_store empty expect_rc 3 usage --user alice
expect_err "the store holds no usage with a user yet"

# ---- a version 9 store migrates: old records have user '' ("(unknown)") ----
# (SQLite files only)
if store_is_sqlite; then
V9="$T/v9.db"
python3 - "$FIX/schema_v9.sql" "$A" "$V9" <<'PY' || bad "building the version 9 store failed"
import sqlite3, sys
c = sqlite3.connect(sys.argv[3])
c.execute("PRAGMA journal_mode = WAL")
c.executescript(open(sys.argv[1]).read())
c.execute("ATTACH ? AS n", (sys.argv[2],))
for (t,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
    cols = ", ".join('"%s"' % r[1] for r in c.execute('PRAGMA main.table_info("%s")' % t))
    c.execute('INSERT INTO main."%s"(%s) SELECT %s FROM n."%s"' % (t, cols, cols, t))
c.commit()
c.execute("DETACH n")
c.execute("PRAGMA user_version = 9")
c.execute("PRAGMA application_id = %d" % 0x4c4c4d43)
c.commit()
PY
cp "$V9" "$T/v9-broken.db"
cp "$V9" "$T/v9-file.db"
expect_eq 0 "$(sqlite3 "$V9" "SELECT count(*) FROM pragma_table_info('usage_dims') WHERE name = 'user_name'")" "the version 9 store has no user_name"
for r in daily session project "daily --from-records"; do
	expect_rc 0 --db "$A" usage $r --json
	cp "$T/out" "$T/own.json"
	expect_rc 0 --db "$V9" usage $r --json
	cmp -s "$T/own.json" "$T/out" && ok || bad "usage $r: the migrated store reports other figures"
done
expect_eq "$SV" "$(sqlite3 "$V9" "PRAGMA user_version")" "the migrated store's schema version"
expect_eq "$(sqlite3 "$A" "SELECT type, name, sql FROM sqlite_master ORDER BY name")" \
	"$(sqlite3 "$V9" "SELECT type, name, sql FROM sqlite_master ORDER BY name")" "a migrated store and a new one have the same schema"
expect_eq 0 "$(sqlite3 "$V9" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v9'")" "no table of the migration left"
expect_eq 0 "$(sqlite3 "$V9" "SELECT count(*) FROM pragma_foreign_key_check")" "no reference dangles"
expect_eq "" "$(users "$V9")" "old records have user ''"
expect_eq ok "$(rollup_check "$V9")"
expect_rc 0 --db "$V9" usage user --json
expect_eq "['(unknown)']" "$(json_get '[r["key"] for r in j["rows"]]')" "usage user: old records are (unknown)"
expect_rc 0 --db "$A" usage --json
expect_eq "$(total "$T/out")" "$(row "$T/team.json" alice)" "the (unknown) row holds every old record"
expect_rc 0 --db "$V9" usage user
expect_out "(unknown)"
# new records get their user beside the old ones
expect_rc 0 --db "$V9" ingest usage --user dave "$U/codex"
expect_rc 0 --db "$V9" usage user --json
expect_eq "['(unknown)', 'dave']" "$(json_get 'sorted(r["key"] for r in j["rows"])')" "usage user after an ingest into the migrated store"
expect_eq ok "$(rollup_check "$V9")"
# a store marked 9 by hand keeps its users
cp "$LLMCOST_DB" "$T/back.db"
sqlite3 "$T/back.db" "PRAGMA user_version = 9"
expect_rc 0 --db "$T/back.db" usage user --json
expect_eq "['alice', 'bob']" "$(json_get 'sorted(r["key"] for r in j["rows"])')" "a store marked 9 by hand keeps its users"
expect_eq "$SV" "$(sqlite3 "$T/back.db" "PRAGMA user_version")" "a store marked 9 by hand is version $SV again"
# a copy that is not whole (a record whose attributes are gone) stops the
# migration: exit 5, the store left at version 9 as it was
sqlite3 "$T/v9-broken.db" "INSERT INTO usage_calls(natural_key, key_hash, ts_ms, dim) VALUES ('x', 1, 0, 999999)"
sum_before=$(sqlite3 "$T/v9-broken.db" "SELECT count(*), sum(input) FROM usage_calls")
expect_rc 5 --db "$T/v9-broken.db" usage
expect_err "did not convert to schema $SV"
expect_eq 9 "$(sqlite3 "$T/v9-broken.db" "PRAGMA user_version")" "a failed migration leaves version 9"
expect_eq 0 "$(sqlite3 "$T/v9-broken.db" "SELECT count(*) FROM pragma_table_info('usage_dims') WHERE name = 'user_name'")" "a failed migration leaves usage_dims as it was"
expect_eq "$sum_before" "$(sqlite3 "$T/v9-broken.db" "SELECT count(*), sum(input) FROM usage_calls")" "a failed migration loses no record"

# a reference that does not concern usage_dims may dangle (ingest does not
# enforce foreign keys): the store still migrates
sqlite3 "$T/v9-file.db" "UPDATE usage_calls SET file_id = 999999 WHERE id = 1"
expect_rc 0 --db "$T/v9-file.db" usage
expect_eq "$SV" "$(sqlite3 "$T/v9-file.db" "PRAGMA user_version")" "a dangling file reference does not stop the migration"

fi

# ---- budgets per user: stored as scope 'user:U', checked on U's usage ----
# bob's usage in November 2024: $6.0005 (the csv fixture), alice has none then
export LLMCOST_NOW=2024-11-20T12:00:00Z
expect_rc 0 budget set --monthly 10 --user bob
expect_out "monthly budget for user 'bob': \$10.00"
expect_rc 0 budget set --monthly 5 --user alice
expect_rc 0 budget set --monthly 100
expect_rc 0 budget set --monthly 1 --user dave
expect_err "warning: no usage has user 'dave' yet; users with usage: 'alice', 'bob'"
expect_eq "|100
user:alice|5
user:bob|10
user:dave|1" "$(budgets)" "user budgets' scopes"
expect_rc 0 budget status --json
expect_eq "6.0005" "$(json_get '[b["month_to_date"] for b in j if b["scope"] == "user:bob"][0]')" "budget status: bob's month to date is his usage alone"
expect_eq "0" "$(json_get '[b["month_to_date"] for b in j if b["scope"] == "user:alice"][0]')" "budget status: alice's month to date"
expect_eq "6.0005" "$(json_get '[b["month_to_date"] for b in j if b["scope"] == "all usage"][0]')" "budget status: all usage"
expect_eq "ok" "$(json_get '[b["status"] for b in j if b["scope"] == "user:bob"][0]')" "bob: 6.0005 by day 20 of 30 forecasts 9.00075, within 10"
expect_rc 0 budget set --monthly 8.5 --user bob
expect_rc 6 budget status
expect_out "user:bob"
expect_out "over"
# a project budget is still a project's; a project may not read as a user's
expect_rc 0 budget set --monthly 3 --project webapp
expect_rc 2 budget set --monthly 3 --project user:bob
expect_err "--project: 'user:bob' would read as a user's budget"
expect_rc 2 budget set --monthly 3 --project webapp --user bob
expect_err "a budget is for --project P or --user U, not both"
expect_rc 2 budget set --monthly 3 --user ""
expect_err "--user: a user name must not be empty"
expect_rc 2 budget rm --user "$(printf 'a\nb')"
expect_rc 0 budget rm --user dave
expect_out "removed the monthly budget for user 'dave'"
expect_rc 3 budget rm --user dave
expect_err "no budget for user 'dave'"
expect_rc 0 budget rm --project webapp
expect_out "removed the monthly budget for webapp"
expect_eq "|100
user:alice|5
user:bob|8" "$(budgets)" "budgets after rm"
# plot spend --user: the user's usage and budget (a day's share: 8.5 / 30)
if command -v gnuplot >/dev/null; then
	expect_rc 0 plot spend --user bob --since 2024-11-01 --until 2024-11-30 -o "$T/u.svg" --script "$T/ud"
	grep -qF 'budget $8.50 a month' "$T/ud/spend.gp" && ok || bad "plot spend --user: the user's budget"
	grep -qF 'user bob' "$T/ud/spend.gp" && ok || bad "plot spend --user: the title names the user"
	expect_rc 3 plot spend --user alice --since 2024-11-01 --until 2024-11-30 --terminal
	expect_err "no usage for user alice in the period"
	expect_rc 2 plot spend --user bob --project webapp --terminal
else
	skip "plot spend --user" "gnuplot is not installed"
fi
unset LLMCOST_NOW

done_testing

# usage_totals (schema version 2): usage_rollup without project and session,
# read by the reports that need neither; since schema version 3 usage_records,
# usage_rollup and usage_totals are views over usage_calls, usage_sums and
# usage_total_sums, whose text attributes are stored once in usage_dims.  A
# new store and a migrated version 1 store (tests/fixtures/schema_v1.sql,
# the schema as shipped; migrated through version 2) end identical;
# the table stays the sum of usage_rollup; every report reads the same
# figures from it as from usage_rollup (--from-rollup), to the nano-USD,
# also where a price is a fraction of a nano-USD per token.  The reports run
# on either store (the test's store, LLMCOST_TEST_STORE); the checks of the
# SQLite tables, views and migrations only on SQLite.
. "$TOP/tests/cli/lib.sh"
U="$FIX/usage"
# the schema version this llmcost writes (lib/db.h)
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")

q() {
	python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]):
    print("|".join(str(v) for v in r))
PY
}
# every table, index and view as SQLite stores it, by name
schema() { q "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"; }
digest() { q "$1" "SELECT * FROM usage_totals ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"; }

"$TOOLS/gen_claude_logs" "$T/logs" 1500 5 >/dev/null || bad "generator failed"
LOGS="$T/logs/projects"

# ---- a new store: version 5, usage_totals kept in step ----
NEW=$LLMCOST_DB
expect_rc 0 --db "$NEW" ingest usage "$U/claude" "$LOGS"
if store_is_sqlite; then
expect_eq "$SV" "$(q "$NEW" "PRAGMA user_version")" "a new store's schema version"
# the usage_records view spells out what usage_calls keeps in short: ts is
# ts_ms in ISO 8601 UTC with milliseconds, group_key Claude's message.id
python3 - "$NEW" <<'PY' && ok || bad "usage_records: ts or group_key not as stored"
import datetime, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = grouped = 0
for ts, ms, key, group in c.execute("SELECT ts, ts_ms, natural_key, group_key FROM usage_records"):
    want = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)
    assert ts == want.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000), (ts, ms)
    if key.startswith("cc:"):
        assert key.startswith("cc:" + group + ":"), (key, group)
        grouped += 1
    else:
        assert group is None, (key, group)
    n += 1
assert n > 1000 and grouped > 1000, (n, grouped)
PY
# without their last column, user_name (schema version 10): a migrated
# store's old records have user '', a new store's the ingest's user
# (t_usage_user.sh tests it)
records() { q "$1" "SELECT * FROM usage_records ORDER BY id" | sed 's/|[^|]*$//'; }
rollup() {
	q "$1" "SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" | sed 's/|[^|]*$//'
}
expect_eq ok "$(rollup_check "$NEW")"
n_roll=$(q "$NEW" "SELECT count(*) FROM usage_rollup")
n_tot=$(q "$NEW" "SELECT count(*) FROM usage_totals")
[ "$n_tot" -gt 0 ] && [ "$n_tot" -le "$n_roll" ] && ok ||
	bad "usage_totals should have at most as many rows as usage_rollup: $n_tot vs $n_roll"
else
	expect_eq ok "$(store_rollup_check)" "the server's rollups in step"
fi

# ---- a version 1 store with usage in it migrates (SQLite only) ----
if store_is_sqlite; then
# built from the shipped version 1 schema and filled with the new store's
# rows, table by table (every version 1 table has the same columns in both)
V1="$T/v1.db"
python3 - "$FIX/schema_v1.sql" "$NEW" "$V1" <<'PY' || bad "building the version 1 store failed"
import sqlite3, sys
c = sqlite3.connect(sys.argv[3])
c.execute("PRAGMA journal_mode = WAL")  # as llmcost leaves its stores
c.executescript(open(sys.argv[1]).read())
c.execute("ATTACH ? AS n", (sys.argv[2],))
for (t,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
    if t == "quality_scores":
        continue  # its columns changed in version 8; the built-in data refills it
    cols = ", ".join('"%s"' % r[1] for r in c.execute('PRAGMA main.table_info("%s")' % t))
    c.execute('INSERT INTO main."%s"(%s) SELECT %s FROM n."%s"' % (t, cols, cols, t))
c.commit()
c.execute("DETACH n")
c.execute("PRAGMA user_version = 1")
c.execute("PRAGMA application_id = %d" % 0x4c4c4d43)
c.commit()
PY
expect_eq 0 "$(q "$V1" "SELECT count(*) FROM sqlite_master WHERE name = 'usage_totals'")" "the version 1 store has no usage_totals"
expect_eq "$n_roll" "$(q "$V1" "SELECT count(*) FROM usage_rollup")" "the version 1 store holds the usage"
# a newer store than this llmcost knows is refused and left alone
cp "$V1" "$T/newer.db"
q "$T/newer.db" "PRAGMA user_version = $((SV + 1))"
before=$(cksum <"$T/newer.db")
expect_rc 5 --db "$T/newer.db" usage
expect_err "written by a newer llmcost (schema $((SV + 1)), this llmcost knows $SV)"
expect_eq "$before" "$(cksum <"$T/newer.db")" "a newer store is not modified"
# the first open migrates: same report, same schema, same totals as a new store
expect_rc 0 --db "$NEW" usage --json
cp "$T/out" "$T/new.json"
expect_rc 0 --db "$V1" usage --json
cmp -s "$T/new.json" "$T/out" && ok || bad "the migrated store's daily report differs from the new store's"
expect_eq "$SV" "$(q "$V1" "PRAGMA user_version")" "the migrated store's schema version"
expect_eq "$(schema "$NEW")" "$(schema "$V1")" "a migrated store and a new one have the same schema"
expect_eq "$(digest "$NEW")" "$(digest "$V1")" "usage_totals filled from usage_rollup by the migration"
expect_eq "$(records "$NEW")" "$(records "$V1")" "usage_records: the same records, columns and ids after the migration"
expect_eq "$(rollup "$NEW")" "$(rollup "$V1")" "usage_rollup: the same rows after the migration"
expect_eq ok "$(rollup_check "$V1")"
fi
# and is kept in step afterwards: the same ingest on both stores
expect_rc 0 --db "$NEW" ingest usage "$U/csv/usage.csv" "$U/codex"
if store_is_sqlite; then
expect_rc 0 --db "$V1" ingest usage "$U/csv/usage.csv" "$U/codex"
expect_eq "$(digest "$NEW")" "$(digest "$V1")" "usage_totals after an ingest into the migrated store"
expect_eq ok "$(rollup_check "$V1")"
fi

# ---- a version 3 store migrates to version 5 (audio, image, other tokens) ----
# (SQLite only)
if store_is_sqlite; then
# built from the shipped version 3 schema (tests/fixtures/schema_v3.sql) and
# filled with the new store's rows, the version 3 columns of each table
V3="$T/v3.db"
python3 - "$FIX/schema_v3.sql" "$NEW" "$V3" <<'PY' || bad "building the version 3 store failed"
import sqlite3, sys
c = sqlite3.connect(sys.argv[3])
c.execute("PRAGMA journal_mode = WAL")
c.executescript(open(sys.argv[1]).read())
c.execute("ATTACH ? AS n", (sys.argv[2],))
for (t,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
    if t == "quality_scores":
        continue  # its columns changed in version 8; the built-in data refills it
    cols = ", ".join('"%s"' % r[1] for r in c.execute('PRAGMA main.table_info("%s")' % t))
    c.execute('INSERT INTO main."%s"(%s) SELECT %s FROM n."%s"' % (t, cols, cols, t))
c.commit()
c.execute("DETACH n")
c.execute("PRAGMA user_version = 3")
c.execute("PRAGMA application_id = %d" % 0x4c4c4d43)
c.commit()
PY
expect_eq 0 "$(q "$V3" "SELECT count(*) FROM pragma_table_info('usage_calls') WHERE name = 'audio_input'")" "the version 3 store has no audio columns"
expect_rc 0 --db "$NEW" usage --json
cp "$T/out" "$T/new3.json"
expect_rc 0 --db "$V3" usage --json
cmp -s "$T/new3.json" "$T/out" && ok || bad "the store migrated from version 3 reports other totals than a new store"
expect_rc 0 --db "$V3" usage --json --from-records
cmp -s "$T/new3.json" "$T/out" && ok || bad "the store migrated from version 3: its records give other totals"
expect_eq "$SV" "$(q "$V3" "PRAGMA user_version")" "the version 3 store's schema version after the migration"
expect_eq "$(schema "$NEW")" "$(schema "$V3")" "a store migrated from version 3 and a new one have the same schema"
expect_eq "$(records "$NEW")" "$(records "$V3")" "usage_records after the migration from version 3"
expect_eq "$(rollup "$NEW")" "$(rollup "$V3")" "usage_rollup after the migration from version 3"
expect_eq "$(digest "$NEW")" "$(digest "$V3")" "usage_totals after the migration from version 3"
expect_eq 0 "$(q "$V3" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v4'")" "no table of the migration left"
expect_eq ok "$(rollup_check "$V3")"
fi

# ---- every report reads the same from usage_totals as from usage_rollup ----
same() {
	expect_rc 0 --db "$NEW" usage "$@" --json
	cp "$T/out" "$T/a.json"
	expect_rc 0 --db "$NEW" usage "$@" --json --from-rollup
	cmp -s "$T/a.json" "$T/out" && ok || bad "usage $*: usage_totals and usage_rollup differ: $(diff "$T/a.json" "$T/out" | head -c 300)"
}
same
same daily --breakdown
same weekly --tz America/New_York
same monthly --tz Asia/Kathmandu
same model --breakdown
same --as claude-3-5-haiku-20241022,gpt-4o
same --at 2025-06-01
same --since 2025-06-03 --until 2025-06-20 --tz Asia/Tokyo
same --model claude-sonnet-4-20250514
# grouped or filtered by project or session: the sums match the daily total
expect_rc 0 --db "$NEW" usage --json
total=$(json_get 'j["total"]["cost"], j["total"]["records"], j["total"]["input_tokens"]')
for g in session project; do
	expect_rc 0 --db "$NEW" usage $g --json
	expect_eq "$total" "$(json_get 'j["total"]["cost"], j["total"]["records"], j["total"]["input_tokens"]')" "usage $g: the same totals"
done
expect_rc 0 --db "$NEW" usage --json --project webapp
webapp=$(json_get 'j["total"]["cost"]')
expect_rc 0 --db "$NEW" usage project --json
expect_eq "$webapp" "$(json_get '[r["cost"] for r in j["rows"] if r["key"].endswith("/webapp")][0]')" "--project reads the project's rows"

# ---- prices of a fraction of a nano-USD per token ----
# $0.0375/M is 37.5 nano-USD a token: two sessions of 1 input token in one
# 15-minute bucket cost 38 + 38 priced per usage_rollup row (as before
# usage_totals), 75 if their sum were priced.  The report prices such a
# usage_totals row from its usage_rollup rows: 76 nano-USD, whichever table.
cat >"$T/frac.csv" <<'EOF'
provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok,cached_input_per_mtok,min_input_tokens,batch_discount_pct,source
anthropic,claude-sonnet-4-20250514,2025-01-01,,0.0375,0.15,0.0375,,,
EOF
cat >"$T/frac-usage.csv" <<'EOF'
timestamp,model,input_tokens,output_tokens,project,session,request_id
2025-06-02T10:01:00Z,claude-sonnet-4-20250514,1,0,pa,s1,f1
2025-06-02T10:02:00Z,claude-sonnet-4-20250514,1,0,pb,s2,f2
2025-06-02T10:20:00Z,claude-sonnet-4-20250514,3,0,pa,s1,f3
EOF
# (each of these stores is the test's store, emptied first)
store_reset
F=$LLMCOST_DB
expect_rc 0 --db "$F" ingest prices "$T/frac.csv" --name frac
expect_rc 0 --db "$F" ingest usage "$T/frac-usage.csv"
if store_is_sqlite; then
	expect_eq "3|2" "$(q "$F" "SELECT (SELECT count(*) FROM usage_rollup), (SELECT count(*) FROM usage_totals)")" "two sessions share one usage_totals row"
	expect_eq ok "$(rollup_check "$F")"
else
	expect_eq ok "$(store_rollup_check)"
fi
# 38 + 38 + round(112.5) = 38 + 38 + 112 (half-even) = 188 nano-USD
for args in "" "--from-rollup" "model --breakdown" "session" "--as claude-sonnet-4-20250514"; do
	# shellcheck disable=SC2086
	expect_rc 0 --db "$F" usage $args --json --source frac
	expect_eq "0.000000188" "$(json_get 'format(j["total"]["cost"], "f")')" "usage $args: priced per usage_rollup row"
done
expect_rc 0 --db "$F" usage --json --source frac --as claude-sonnet-4-20250514
expect_eq "0.000000188" "$(json_get 'format(j["total"]["as"]["claude-sonnet-4-20250514"], "f")')" "--as priced per usage_rollup row too"
# whole nano-USD per token (the built-in $3/M): the usage_totals row is priced as one
expect_rc 0 --db "$F" usage --json --source builtin
expect_eq "0.000015" "$(json_get 'format(j["total"]["cost"], "f")')" "(1 + 1 + 3) x \$3/M"
# ---- a context threshold off the rollup's ladder ----
# a tier at 150k (the ladder: 32k 128k 200k 256k 272k 1M) cannot be priced
# from the rollup: prompts of 140k and 160k in one bucket share a class.
# The report then reads the records, exactly; a tier off the ladder of a
# model no usage is priced at does not (unless --as asks for that model).
cat >"$T/tier.csv" <<'EOF'
provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok,cached_input_per_mtok,min_input_tokens,batch_discount_pct,source
anthropic,claude-sonnet-4-20250514,2025-01-01,,3,15,,,,
anthropic,claude-sonnet-4-20250514,2025-01-01,,6,22.5,,150000,,
acme,acme-odd-1,2025-01-01,,1,2,,,,
acme,acme-odd-1,2025-01-01,,2,4,,512000,,
EOF
cat >"$T/tier-usage.csv" <<'EOF'
timestamp,model,input_tokens,output_tokens,project,session,request_id
2025-06-02T10:01:00Z,claude-sonnet-4-20250514,140000,0,pa,s1,t1
2025-06-02T10:02:00Z,claude-sonnet-4-20250514,160000,0,pa,s1,t2
EOF
store_reset
TD=$LLMCOST_DB
expect_rc 0 --db "$TD" ingest prices "$T/tier.csv" --name tier
expect_rc 0 --db "$TD" ingest usage "$T/tier-usage.csv"
# 140000 x $3/M + 160000 x $6/M = 0.42 + 0.96
for args in "" "--from-records" "model" "--as claude-sonnet-4-20250514"; do
	# shellcheck disable=SC2086
	expect_rc 0 --db "$TD" usage $args --json --source tier
	expect_eq "1.38" "$(json_get 'format(j["total"]["cost"], "f")')" "usage $args: a 150k tier priced per record"
done
# only another model's tier is off the ladder (150k): the rollup answers
sed -e 's/,150000,/,200000,/' -e 's/,512000,/,150000,/' "$T/tier.csv" >"$T/tier2.csv"
store_reset
TD2=$LLMCOST_DB
expect_rc 0 --db "$TD2" ingest prices "$T/tier2.csv" --name tier
expect_rc 0 --db "$TD2" ingest usage "$T/tier-usage.csv"
for args in "" "--from-records"; do
	# shellcheck disable=SC2086
	expect_rc 0 --db "$TD2" usage $args --json --source tier
	expect_eq "0.9" "$(json_get 'format(j["total"]["cost"], "f")')" "usage $args: 300000 x \$3/M"
done
# ...and what the usage would cost on that model is read from the records:
# 140000 x $1/M + 160000 x $2/M
expect_rc 0 --db "$TD2" usage --json --source tier --as acme/acme-odd-1
expect_eq "0.46" "$(json_get 'format(j["total"]["as"]["acme-odd-1"], "f")')" "--as a model with a 150k tier: priced per record"
done_testing

# The built-in data: loaded on first use, every row sourced, refreshed when
# the binary's data changes without touching what the user added.
. "$TOP/tests/cli/lib.sh"

sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join(str(x) for x in row) for row in r))' "$LLMCOST_DB" "$1"; }

expect_rc 0 models
expect_eq 0 "$(sql "select count(*) from price_periods where source_url is null or source_url not like 'http%'")" "built-in prices without a source URL"
expect_eq 1 "$(sql "select count(*) >= 100 from models where origin = 'builtin'")" "at least 100 built-in models"
expect_eq 1 "$(sql "select count(distinct maker) >= 8 from models")" "at least 8 makers"
expect_eq 1 "$(sql "select count(*) >= 50 from models m where exists (select 1 from quality_scores q where q.model_id = m.id)")" "quality scores for at least 50 models"
# no two periods of one offering overlap
expect_eq 0 "$(sql "select count(*) from price_periods a join price_periods b on a.model_id = b.model_id and a.host = b.host and a.source_id = b.source_id and a.min_input_tokens = b.min_input_tokens and a.id < b.id and a.effective_from < coalesce(b.effective_to, '9999') and b.effective_from < coalesce(a.effective_to, '9999')")" "overlapping built-in periods"
# the schema is what the README promises
for t in providers models model_aliases price_periods sources quality_scores current_prices; do
	expect_eq 1 "$(sql "select count(*) from sqlite_master where name = '$t'")" "table or view $t"
done
expect_eq 1 "$(sql "select count(*) > 10 from current_prices")" "current_prices view has rows"
expect_eq "wal" "$(sql "pragma journal_mode")" "journal mode"
expect_eq 0 "$(sql "select count(*) from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like '%STRICT%'")" "non-STRICT tables"

# the user's own rows survive a refresh of the built-in data
sql "insert into sources(name, format, priority) values ('mine', 'csv', 50)" >/dev/null
sql "insert into models(id, maker, origin) values ('my-private-model', 'openai', 'mine')" >/dev/null
sql "insert into price_periods(model_id, host, source_id, effective_from, input, output, source_url) values ('my-private-model', 'openai', (select id from sources where name = 'mine'), '2024-01-01', 1000000000, 2000000000, 'file:my.csv')" >/dev/null
n_builtin=$(sql "select count(*) from price_periods where source_id = (select id from sources where name = 'builtin')")
# pretend an older llmcost wrote the built-in data, and damage one built-in price
sql "update sources set data_version = 'older' where name = 'builtin'" >/dev/null
sql "update price_periods set input = 1 where source_id = (select id from sources where name = 'builtin')" >/dev/null
expect_rc 0 price my-private-model --at 2024-06-01 --json
expect_out '"input_per_mtok": 1,'
expect_eq "$n_builtin" "$(sql "select count(*) from price_periods where source_id = (select id from sources where name = 'builtin')")" "built-in rows after refresh"
expect_eq 0 "$(sql "select count(*) from price_periods where input = 1")" "damaged built-in price replaced"
expect_eq "$("$LLMCOST" --version | sed 's/.*built-in data \([0-9a-f]*\).*/\1/')" "$(sql "select data_version from sources where name = 'builtin'")" "data version recorded"
expect_rc 0 price gpt-4 --at 2023-06-01 --json
expect_out '"input_per_mtok": 30,'

done_testing

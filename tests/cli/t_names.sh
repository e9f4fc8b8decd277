# One identity per model across hosts (issue #15): every sheet key that is
# another spelling of a model the catalogue knows is priced as that model's
# offering at the host the key names, in each sheet format; aliases are
# keyed by host (OpenRouter's deepseek/deepseek-chat is DeepSeek V3, not
# DeepSeek's moving deepseek-chat); what stays unmatched is listed by
# reason; and similar names of different models never merge.
. "$TOP/tests/cli/lib.sh"

N="$FIX/names"
export LLMCOST_NOW=2026-03-01
for f in litellm openrouter genai; do
	cp "$N/$f.json" "$T/$f.json"
done
cp "$N/llm-prices-amazon.json" "$T/llm-prices-amazon.json"

expect_rc 0 ingest prices "$T/litellm.json" --format litellm
expect_out "new models: 3 (acme-widget-1, zetaco/zeta-model-7b, acme-embed-1)"
expect_rc 0 ingest prices "$T/openrouter.json" --format openrouter
expect_out "new models: 1 (acme/widget-2)"
expect_rc 0 ingest prices "$T/genai.json" --format genai-prices
expect_no_out "new models"
expect_rc 0 ingest prices "$T/llm-prices-amazon.json" --format llm-prices
expect_no_out "new models"

# NAME SOURCE -> "model provider input output"
offer() {
	run price "$1" --source "$2" --json
	json_get '" ".join(str(x) for x in (j["model"], j["provider"], j["input_per_mtok"], j["output_per_mtok"]))'
}
check() { # NAME SOURCE WANT
	expect_eq "$3" "$(offer "$1" "$2")" "$1 from $2"
}

# ---- each name form, as the sheet wrote it and as a user writes it ----
# dates: @20241022 (Vertex), -v1:0 and a region prefix (Bedrock)
check vertex_ai/claude-3-5-haiku@20241022 litellm "claude-3-5-haiku-20241022 vertex 1.01 5.01"
check vertex/claude-3-5-haiku-2024-10-22 litellm "claude-3-5-haiku-20241022 vertex 1.01 5.01"
check bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0 litellm "claude-3-5-haiku-20241022 bedrock 0.805 4.005"
# Azure's gpt-35-turbo, Azure data-zone paths
check azure/gpt-35-turbo litellm "gpt-3.5-turbo-0125 azure 0.502 1.502"
check azure/gpt-3.5-turbo litellm "gpt-3.5-turbo-0125 azure 0.502 1.502"
check azure/eu/gpt-4o-mini-2024-07-18 litellm "gpt-4o-mini azure 0.165 0.66"
# Bedrock ids whose vN names the model, and a cloud-region path
check anthropic.claude-v2:1 litellm "claude-2.1 bedrock 8.03 24.03"
check bedrock/anthropic.claude-instant-v1 litellm "claude-instant-1.2 bedrock 0.804 2.404"
# -00N, models/, -latest, Fireworks' 3p1, word prefixes, -maas
check vertex/gemini-1.5-flash-002 litellm "gemini-1.5-flash vertex 0.076 0.306"
check gemini-1.5-pro litellm "gemini-1.5-pro google 1.27 5.07"
check fireworks/deepseek-v3.1 litellm "deepseek-v3.1 fireworks 0.56 1.68"
check databricks/claude-opus-4-1 litellm "claude-opus-4-1-20250805 databricks 15 75"
check vertex/llama-3.1-405b-instruct litellm "llama-3.1-405b-instruct vertex 5 16"
# OpenRouter: reversed word order, :beta/:thinking variants, dots
check openrouter/google/gemini-flash-1.5 openrouter "gemini-1.5-flash openrouter 0.075 0.3"
check openrouter/gemini-1.5-flash openrouter "gemini-1.5-flash openrouter 0.075 0.3"
check openrouter/google/gemini-pro-1.5 openrouter "gemini-1.5-pro openrouter 1.25 5"
check openrouter/anthropic/claude-3.5-sonnet openrouter "claude-3-5-sonnet-20241022 openrouter 3 15"
check openrouter/claude-3-7-sonnet openrouter "claude-3-7-sonnet-20250219 openrouter 3 15"
# genai-prices: regional. Bedrock ids, deepseek.r1, -001
check bedrock/claude-3-7-sonnet-20250219 genai-prices "claude-3-7-sonnet-20250219 bedrock 3.3 16.5"
check bedrock/deepseek.r1-v1:0 genai-prices "deepseek-r1 bedrock 1.35 5.4"
check gemini-1.5-flash-8b genai-prices "gemini-1.5-flash-8b google 0.0375 0.15"
# across sheets: a model one sheet created under its owner's name
# (zetaco/zeta-model-7b) is the one another sheet names without it
check groq/zeta-model-7b genai-prices "zetaco/zeta-model-7b groq 0.2 0.4"
# llm-prices: amazon-nova-micro is Nova Micro at Amazon's own API
expect_eq "nova-micro|amazon" "$(catalogue_sql "SELECT model_id, host FROM price_periods WHERE source_id = (SELECT id FROM sources WHERE name = 'llm-prices')")" \
	"llm-prices amazon-nova-micro"

# ---- aliases keyed by host ----
# OpenRouter's deepseek/deepseek-chat is DeepSeek V3 at OpenRouter's price...
check openrouter/deepseek/deepseek-chat openrouter "deepseek-v3 openrouter 0.2574 1.0287"
check openrouter/deepseek/deepseek-chat litellm "deepseek-v3 openrouter 0.26 1.03"
# ...while DeepSeek's own deepseek-chat is the moving alias (V3.2 today: data/aliases.csv)
check deepseek-chat litellm "deepseek-v3.2 deepseek 0.28 0.42"
check deepseek-chat litellm "deepseek-v3.2 deepseek 0.28 0.42"
# with no host named, the OpenRouter id means OpenRouter's offering
check deepseek/deepseek-chat litellm "deepseek-v3 openrouter 0.26 1.03"
expect_rc 0 price deepseek-chat --at 2025-01-15 --json
expect_eq "deepseek-v3" "$(json_get 'j["model"]')" "deepseek-chat in January 2025"
expect_eq "0" "$(catalogue_sql "SELECT count(*) FROM price_periods WHERE model_id = 'deepseek-v3.2' AND host = 'openrouter' AND source_id != (SELECT id FROM sources WHERE name = 'builtin')")" \
	"no OpenRouter price for V3.2-exp from the deepseek/deepseek-chat keys (the built-in data has its own, from OpenRouter's deepseek-v3.2 key)"
expect_eq "deepseek|litellm|0.28" "$(catalogue_sql "SELECT host, s.name, input / 1e9 FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE model_id = 'deepseek-v3.2' AND host <> 'builtin' AND s.name <> 'builtin'")" \
	"DeepSeek's own deepseek-chat priced as V3.2-exp"
# the same alias at two hosts: both rows kept (schema 6 keys aliases by host)
# (rows written into SQLite's tables by hand, here and below: SQLite only)
if store_is_sqlite; then
sqlite3 "$LLMCOST_DB" "INSERT INTO providers(id, name, kind) VALUES ('h1', 'h1', 'host'), ('h2', 'h2', 'host');
	INSERT INTO model_aliases(alias, model_id, host) VALUES ('twin', 'o1', 'h1'), ('twin', 'o3', 'h2')"
expect_eq "2" "$(sqlite3 "$LLMCOST_DB" "SELECT count(*) FROM model_aliases WHERE alias = 'twin'")" "one alias, two hosts"
expect_rc 3 price h1/twin
expect_err "no price for 'o1' at h1"
expect_rc 3 price h2/twin
expect_err "no price for 'o3' at h2"
fi

# ---- similar names of different models stay apart ----
check openrouter/openai/gpt-4o openrouter "gpt-4o-2024-08-06 openrouter 2.5 10"
check openrouter/openai/gpt-4o-mini openrouter "gpt-4o-mini openrouter 0.15 0.6"
check openrouter/openai/o1-mini openrouter "o1-mini openrouter 1.1 4.4"
expect_rc 3 price openrouter/o1 --source openrouter
expect_err "no price for 'o1' at openrouter"

# a spelling two models share is refused, never priced as either
if store_is_sqlite; then
sqlite3 "$LLMCOST_DB" "INSERT INTO models(id, maker) VALUES ('zz-1.5', 'openai'), ('zz-15', 'openai')"
expect_rc 3 price zz_15
expect_err "ambiguous model 'zz_15': it could be zz-1.5, zz-15"
expect_rc 3 price zz-15
expect_err "no price for 'zz-15'"
sqlite3 "$LLMCOST_DB" "DELETE FROM models WHERE id IN ('zz-1.5', 'zz-15')"
fi

# ---- what stays unmatched, by reason ----
expect_rc 0 models --unmatched --csv
expect_eq "model,reason,detail,source,mode,hosts
acme-widget-1,new,no built-in model by this name,litellm,chat,acme
acme/widget-2,new,no built-in model by this name,openrouter,chat,openrouter
zetaco/zeta-model-7b,new,no built-in model by this name,litellm,chat,acme groq
acme-embed-1,not-chat,its mode is embedding,litellm,embedding,acme" "$(cat "$T/out")" "models --unmatched"
expect_rc 0 models --unmatched
expect_err "4 models outside the built-in catalogue: 3 new, 1 not-chat, 0 fine-tuned, 0 ambiguous, 0 spelling"
expect_rc 0 models --unmatched --source openrouter --json
expect_eq "acme/widget-2" "$(json_get '",".join(r["model"] for r in j)')" "--unmatched --source"
# a model an older llmcost created under another spelling is flagged
if store_is_sqlite; then
sqlite3 "$LLMCOST_DB" "INSERT INTO models(id, maker, origin) VALUES ('gpt-4-1-nano', 'openai', 'litellm')"
expect_rc 0 models --unmatched --csv
expect_out "gpt-4-1-nano,spelling,another spelling of gpt-4.1-nano,litellm,chat,"
fi

# ---- a version 5 store migrates to version 6: every alias kept ----
# built from the shipped version 5 schema (tests/fixtures/schema_v5.sql),
# with aliases of its own (one at a host, one dated) and the old key
if store_is_sqlite; then
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")
V5="$T/v5.db"
python3 - "$FIX/schema_v5.sql" "$V5" <<'PY' || bad "building the version 5 store failed"
import sqlite3, sys
c = sqlite3.connect(sys.argv[2])
c.executescript(open(sys.argv[1]).read())
c.executescript("""
INSERT INTO providers(id, name, kind) VALUES ('openai', 'OpenAI', 'maker'), ('acme', 'Acme', 'host');
INSERT INTO models(id, maker, origin) VALUES ('widget-1', 'openai', 'acme'), ('widget-2', 'openai', 'acme');
INSERT INTO model_aliases(alias, model_id, host, origin) VALUES ('wid', 'widget-1', 'acme', 'acme');
INSERT INTO model_aliases(alias, model_id, valid_from, valid_to, origin)
  VALUES ('widget', 'widget-1', '2025-01-01', '2025-06-01', 'acme'),
         ('widget', 'widget-2', '2025-06-01', NULL, 'acme');
""")
c.execute("PRAGMA user_version = 5")
c.execute("PRAGMA application_id = %d" % 0x4c4c4d43)
c.commit()
PY
aliases() { sqlite3 "$1" "SELECT alias, model_id, coalesce(host, '-'), valid_from, coalesce(valid_to, '-'), origin FROM model_aliases WHERE origin <> 'builtin' ORDER BY 1, 4"; }
before=$(aliases "$V5")
# the first open migrates; the dated alias still resolves by date
expect_rc 3 --db "$V5" price widget --at 2025-07-01
expect_err "no price for 'widget-2' at openai on 2025-07-01"
expect_rc 3 --db "$V5" price widget --at 2025-02-01
expect_err "no price for 'widget-1'"
expect_eq "$SV" "$(sqlite3 "$V5" "PRAGMA user_version")" "the version 5 store's schema version after the migration"
expect_eq "$before" "$(aliases "$V5")" "every alias of the version 5 store kept"
expect_eq "$(sqlite3 "$LLMCOST_DB" "SELECT sql FROM sqlite_master WHERE tbl_name = 'model_aliases' ORDER BY name")" \
	"$(sqlite3 "$V5" "SELECT sql FROM sqlite_master WHERE tbl_name = 'model_aliases' ORDER BY name")" \
	"model_aliases of the migrated store is a new store's"
expect_eq 0 "$(sqlite3 "$V5" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v5'")" "no table of the migration left"
sqlite3 "$V5" "INSERT INTO providers(id, name, kind) VALUES ('zeta', 'Zeta', 'host');
	INSERT INTO model_aliases(alias, model_id, host, origin) VALUES ('wid', 'widget-2', 'zeta', 'zeta')" &&
	ok || bad "the migrated store takes one alias at a second host"
fi

done_testing

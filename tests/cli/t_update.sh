# llmcost update: every source refreshed through the ingest-prices pipeline
# against a real HTTP server on 127.0.0.1; one failing source (404, a
# rejected sheet) changes nothing of its own and does not stop the others;
# a second run is conditional (the server's validators) and "not modified".
# Every named source is pointed at the loopback server (--url NAME=URL) or
# left out (--source): this test never leaves 127.0.0.1.
. "$TOP/tests/cli/lib.sh"

P="$FIX/prices"
W="$T/www"
mkdir -p "$W"
cp "$P"/* "$W"/
start_httpd "$W"
export LLMCOST_RETRY_BASE_MS=20 LLMCOST_FETCH_TIMEOUT=2
export LLMCOST_NOW=2026-01-10

get() { python3 -c "import urllib.request,sys;print(urllib.request.urlopen(sys.argv[1]).read().decode())" "$U$1"; }
sent() { get "/_headers$1" | python3 -c 'import json,sys;h=json.load(sys.stdin);print(h.get("If-None-Match") is not None)'; }
count() { get "/_count$1"; }
sql() { catalogue_sql "$1"; }
rows_of() { sql "SELECT p.model_id, p.host, p.effective_from, coalesce(p.effective_to, ''), p.input, p.output, p.last_seen FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = '$1' ORDER BY p.id"; }
line() { grep "^$1: " "$T/out"; }
ALL="--url openrouter=$U/f/openrouter.json --url litellm=$U/f/litellm.json --url genai-prices=$U/f/genai.json"

# ---- usage errors, before anything is fetched ----
expect_rc 2 update --url openrouter
expect_err "--url: want NAME=URL"
expect_rc 2 update --url =http://x
expect_rc 2 update extra
expect_rc 2 update --csv
expect_rc 3 update --source nosuch
expect_err "unknown price source 'nosuch'"
expect_err "openrouter, litellm, genai-prices, llm-prices"
expect_rc 3 update --source builtin
expect_err "'builtin' is the data shipped with llmcost; nothing to fetch"
expect_rc 3 update --url nosuch=$U/f/openrouter.json --source nosuch
expect_err "--url: unknown price source 'nosuch'"
expect_rc 0 update --help
expect_out "usage: llmcost update"

# ---- first run: three sources updated, llm-prices fails with a 404 ----
expect_rc 4 update $ALL --url llm-prices=$U/status/404
expect_out "openrouter: updated, 6 new, 0 changed, 0 unchanged"
expect_eq "1" "$(grep -c '^litellm: updated, ' "$T/out")" "litellm updated"
expect_eq "1" "$(grep -c '^genai-prices: updated, ' "$T/out")" "genai-prices updated"
expect_out "llm-prices: failed (exit 4): "
expect_out "HTTP 404"
expect_err "llmcost: error: source 'llm-prices': "
expect_eq "4" "$(wc -l <"$T/out" | tr -d ' ')" "one line per source"
expect_eq "openrouter litellm genai-prices llm-prices" "$(cut -d: -f1 "$T/out" | tr '\n' ' ' | sed 's/ $//')" "named sources in their order"
expect_eq "0" "$(sql "SELECT count(*) FROM sources WHERE name = 'llm-prices'")" "the failed source stored nothing"
expect_eq "None" "$(get /_headers/f/openrouter.json | python3 -c 'import json,sys;print(json.load(sys.stdin).get("If-None-Match"))')" "first fetch unconditional"
expect_rc 0 price openrouter/openai/gpt-4o --source openrouter
n_or=$(sql "SELECT count(*) FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = 'openrouter'")
[ "$n_or" -gt 0 ] && ok || bad "openrouter prices stored"

# ---- second run: conditional, not modified; the 404 still fails ----
rows_of genai-prices >"$T/genai.before"
expect_rc 4 update $ALL --url llm-prices=$U/status/404
expect_out "openrouter: not modified (HTTP 304)"
expect_out "litellm: not modified (HTTP 304)"
expect_out "genai-prices: not modified (HTTP 304)"
expect_out "llm-prices: failed (exit 4)"
expect_eq "True" "$(sent /f/openrouter.json)" "second fetch sends the ETag"
expect_eq "True" "$(sent /f/genai.json)" "second fetch sends the ETag (genai)"
expect_eq "2" "$(count /f/litellm.json)" "each source fetched once per run"

# ---- a changed sheet, and a failing source that had prices: its rows stay ----
export LLMCOST_NOW=2026-02-01
cp "$P/openrouter-v2.json" "$W/openrouter.json"
rows_of openrouter >"$T/or.before"
expect_rc 3 update $ALL --url genai-prices=$U/n/garbage.txt --url llm-prices=$U/f/llm-prices-xai.json
expect_out "openrouter: updated, 0 new, 1 changed, 4 unchanged"
expect_out "litellm: not modified (HTTP 304)"
expect_out "genai-prices: failed (exit 3): "
expect_out "not valid JSON"
expect_out "llm-prices: failed (exit 3): "
expect_out "unusable"
rows_of genai-prices >"$T/genai.after"
cmp -s "$T/genai.before" "$T/genai.after" && ok || bad "a rejected sheet changed its source's prices"
rows_of openrouter >"$T/or.after"
cmp -s "$T/or.before" "$T/or.after" && bad "openrouter not updated beside the failures" || ok
expect_eq "0" "$(sql "SELECT count(*) FROM price_periods p JOIN sources s ON s.id = p.source_id WHERE s.name = 'llm-prices'")" "the rejected llm-prices sheet wrote nothing"
expect_eq "rejected" "$(sql "SELECT substr(f.result, 1, 8) FROM fetches f JOIN sources s ON s.id = f.source_id WHERE s.name = 'genai-prices' ORDER BY f.id DESC LIMIT 1")" "the rejection is logged"

# ---- several failures: the highest code wins (4 over 3) ----
expect_rc 4 update $ALL --url genai-prices=$U/n/garbage.txt --url llm-prices=$U/status/500
expect_out "genai-prices: failed (exit 3)"
expect_out "llm-prices: failed (exit 4)"

# ---- --source limits; all well is exit 0 ----
expect_rc 0 update --source openrouter --url openrouter=$U/f/openrouter.json
expect_eq "openrouter: not modified (HTTP 304)" "$(cat "$T/out")" "only the source named"
expect_rc 0 update --source openrouter --source litellm $ALL
expect_eq "2" "$(wc -l <"$T/out" | tr -d ' ')" "two sources named, two lines"
expect_rc 2 update --source openrouter --url openrouter=$U/f/openrouter.json --url litellm
expect_err "want NAME=URL"

# ---- sources the store holds: from their URL; a file's source is left alone ----
expect_rc 0 ingest prices "$U/f/openrouter.json" --name myrouter
expect_rc 0 ingest prices "$P/openrouter.json" --name filerouter
expect_rc 0 update --source myrouter
expect_eq "myrouter: not modified (HTTP 304)" "$(cat "$T/out")" "a stored source refreshed from its URL"
expect_rc 3 update --source filerouter
expect_err "ingested from a file"
expect_rc 0 update $ALL --url llm-prices=$U/f/llm-prices-xai.json --source openrouter --source litellm --source genai-prices --source myrouter
expect_eq "openrouter litellm genai-prices myrouter" "$(cut -d: -f1 "$T/out" | tr '\n' ' ' | sed 's/ $//')" "stored sources after the named ones"
expect_rc 3 update $ALL --url llm-prices=$U/f/llm-prices-xai.json
expect_no_out "filerouter"
expect_out "myrouter: not modified"
# --url gives it one (kept, as `ingest prices` keeps the URL of its last sheet)
expect_rc 0 update --source filerouter --url filerouter=$U/f/openrouter.json
expect_out "filerouter: updated"
expect_eq "$U/f/openrouter.json" "$(sql "SELECT url FROM sources WHERE name = 'filerouter'")" "the URL of its last sheet"

# ---- --json: one object per source ----
expect_rc 4 update --json --source openrouter --source llm-prices --url openrouter=$U/f/openrouter.json --url llm-prices=$U/status/404
expect_eq "openrouter:not-modified:0 llm-prices:failed:4" "$(json_get '" ".join("%s:%s:%s" % (o["source"], o["result"], o["exit"]) for o in j)')" "JSON results"
expect_eq "True" "$(json_get '"HTTP 404" in j[1]["error"]')" "JSON error text"

# ---- hostile text never reaches the terminal raw, on stdout either ----
ctl() { LC_ALL=C grep -c "$(printf '[\001-\010\013-\037\177]')" "$T/out"; }
expect_rc 4 update --source openrouter --url "openrouter=$U/status/404$(printf '\033')[2J"
expect_out 'openrouter: failed (exit 4): '
expect_eq "0" "$(ctl)" "update: a URL with an escape is escaped on stdout"
f="$T/$(printf 'x\033[2Jy').csv"
printf 'provider,model,effective_from,effective_to,input_per_mtok,output_per_mtok\nacme,m1,2025-01-01,,1,2\n' >"$f"
expect_rc 0 ingest prices "$f" --name "$(printf 'n\033[1m')"
expect_out "source 'n\x1b[1m' (csv)"
expect_eq "0" "$(ctl)" "ingest prices: a hostile file and source name escaped on stdout"
cp "$f" "$W/plain.csv"
expect_rc 0 update --source "$(printf 'n\033[1m')" --url "$(printf 'n\033[1m')=$U/f/plain.csv" --json
expect_eq "True updated" "$(json_get 'j[0]["source"] == "n\x1b[1m", j[0]["result"]' | tr -d "(),'")" "JSON keeps the name (escaped as JSON)"

# ---- a database failure stops the run: the sources not yet tried are skipped ----
# (SQLite's write lock held by another process)
if store_is_sqlite; then
hold_write_lock "$LLMCOST_DB"
LLMCOST_BUSY_TIMEOUT_MS=300 expect_rc 5 update --source openrouter --source litellm --url "openrouter=$P/openrouter-v2.json" --url "litellm=$P/litellm.json"
expect_out "openrouter: failed (exit 5): "
expect_out "litellm: skipped (database failure above)"
expect_err "busy"
touch "$T/release"
wait $holder
fi

kill $SRV 2>/dev/null
done_testing

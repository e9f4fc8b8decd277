# Conditional GET and URLs (issue 13, items 12-14), over a real HTTP server
# on 127.0.0.1: a 304 is "not modified" only for a URL whose sheet the
# source holds, with the validators the server gave for that very URL
# (kept per URL in fetch_validators, schema 4), never our clock; a 304 with
# nothing stored is asked again once, then exit 4; a failed or 304 fetch
# changes nothing but the fetch log; no URL, redirect or ETag is cut.
. "$TOP/tests/cli/lib.sh"

P="$FIX/prices"
W="$T/www"
mkdir -p "$W"
cp "$P"/litellm.json "$P"/openrouter.json "$W"/
# a second LiteLLM sheet: gpt-4o at 2.00 instead of 2.50
sed 's/"input_cost_per_token": 2.5e-06/"input_cost_per_token": 2e-06/' "$P/litellm.json" >"$W/litellm-b.json"
cmp -s "$P/litellm.json" "$W/litellm-b.json" && bad "litellm-b.json is not different"
start_httpd "$W"
export LLMCOST_RETRY_BASE_MS=20 LLMCOST_FETCH_TIMEOUT=5

get() { python3 -c "import urllib.request,sys;print(urllib.request.urlopen(sys.argv[1]).read().decode())" "$U$1"; }
count() { get "/_count$1"; }
# the validators the last request of PATH sent: "INM|IMS" (None when absent)
sent() { get "/_headers$1" | python3 -c 'import json,sys;h=json.load(sys.stdin);print("%s|%s" % (h.get("If-None-Match"), h.get("If-Modified-Since")))'; }
# the catalogue of either store (lib.sh)
sql() { catalogue_sql "$1"; }
state() { # everything but the fetch log (fetches, sources.last_fetch and http_status)
	catalogue_sql "SELECT * FROM price_periods ORDER BY 1; SELECT * FROM fetch_validators ORDER BY 1;
		SELECT * FROM models ORDER BY 1; SELECT * FROM providers ORDER BY 1;
		SELECT * FROM model_aliases ORDER BY 1;
		SELECT name, format, url, priority, dated, etag, last_modified, sha256, models FROM sources ORDER BY 1"
}
export LLMCOST_NOW=2026-03-01

# ---- item 12: 304 on a first fetch ----
expect_rc 0 models # the store exists
state >"$T/s0"
expect_rc 4 ingest prices "$U/always304/openrouter.json"
expect_err "HTTP 304 (not modified) twice"
expect_eq "2" "$(count /always304/openrouter.json)" "an unconditional 304 is asked again once"
expect_eq "None|None" "$(sent /always304/openrouter.json)" "the first fetch of a URL is unconditional"
expect_rc 4 ingest prices "$U/always304/openrouter.json" --name mine --format openrouter
expect_err "HTTP 304"
expect_rc 4 ingest prices litellm --url "$U/always304/litellm.json"
expect_err "HTTP 304"
state >"$T/s1"
cmp -s "$T/s0" "$T/s1" && ok || bad "a 304 without a stored sheet changed the store"
expect_eq "0" "$(sql "SELECT count(*) FROM sources WHERE name IN ('openrouter', 'mine', 'litellm')")" "no source recorded for a sheet never read"
expect_eq "0" "$(sql "SELECT count(*) FROM fetch_validators")" "no validators for a sheet never read"

# ---- item 13: validators per URL, the server's own ----
expect_rc 0 ingest prices litellm --url "$U/v/litellm.json"
expect_eq "None|None" "$(sent /v/litellm.json)" "first fetch of A unconditional"
etag_a=$(sql "SELECT etag FROM fetch_validators WHERE url = '$U/v/litellm.json'")
expect_eq "Wed, 07 Jan 2026 10:00:00 GMT" "$(sql "SELECT last_modified FROM fetch_validators WHERE url = '$U/v/litellm.json'")" "the server's Last-Modified kept for A"
case "$etag_a" in '"'*'"') ok ;; *) bad "ETag of A not kept: '$etag_a'" ;; esac
# another URL for the same source: nothing stored for B, so no validator
expect_rc 0 ingest prices litellm --url "$U/v/litellm-b.json"
expect_eq "None|None" "$(sent /v/litellm-b.json)" "B is fetched without A's validators"
expect_out "1 changed"
expect_rc 0 price gpt-4o --source litellm --json
expect_eq "2" "$(json_get 'j["input_per_mtok"]')" "B's price stored"
expect_eq "$U/v/litellm-b.json" "$(sql "SELECT url FROM sources WHERE name = 'litellm'")" "the source's url is B"
# back to A: A's validators are kept but the source holds B's sheet now
expect_rc 0 ingest prices litellm --url "$U/v/litellm.json"
expect_eq "None|None" "$(sent /v/litellm.json)" "A again, unconditional: the source holds B's sheet"
expect_rc 0 price gpt-4o --source litellm --json
expect_eq "2.5" "$(json_get 'j["input_per_mtok"]')" "A's price back"
# A once more: conditional, with exactly what the server said
state >"$T/s0"
expect_rc 0 ingest prices litellm --url "$U/v/litellm.json"
expect_out "not modified"
expect_eq "$etag_a|Wed, 07 Jan 2026 10:00:00 GMT" "$(sent /v/litellm.json)" "the server's ETag and Last-Modified sent back verbatim"
state >"$T/s1"
cmp -s "$T/s0" "$T/s1" && ok || bad "a 304 changed more than the fetch log"
expect_eq "not-modified" "$(sql "SELECT result FROM fetches ORDER BY id DESC LIMIT 1")" "the 304 is in the fetch log"
# failures and 304s for other URLs leave the source as it was
expect_rc 4 ingest prices litellm --url "$U/status/404"
expect_rc 4 ingest prices litellm --url "$U/always304/litellm.json"
expect_eq "None|None" "$(sent /always304/litellm.json)" "no validators for a URL with no sheet"
expect_rc 3 ingest prices litellm --url "$U/n/openrouter.json"
state >"$T/s2"
cmp -s "$T/s0" "$T/s2" && ok || bad "a failed or rejected fetch changed more than the fetch log"
expect_eq "$U/v/litellm.json" "$(sql "SELECT url FROM sources WHERE name = 'litellm'")" "the source's url is still A"
expect_eq "4" "$(sql "SELECT count(*) FROM fetches f JOIN sources s ON s.id = f.source_id WHERE s.name = 'litellm' AND f.result <> 'ok'")" "every failure logged"
# --force is unconditional
expect_rc 0 ingest prices litellm --url "$U/v/litellm.json" --force
expect_eq "None|None" "$(sent /v/litellm.json)" "--force sends no validator"

# ---- item 14: an ETag, a typed URL and a redirect target are never cut ----
expect_rc 0 ingest prices openrouter --url "$U/bigetag/openrouter.json"
expect_eq "718" "$(sql "SELECT length(etag) FROM fetch_validators WHERE url = '$U/bigetag/openrouter.json'")" "a 700-byte ETag kept whole"
expect_rc 0 ingest prices openrouter --url "$U/bigetag/openrouter.json"
expect_out "not modified"
pad=$(printf '%02000d' 0 | tr 0 a)
long="$U/n/openrouter.json?pad=$pad&end=1"
expect_rc 0 ingest prices openrouter --url "$long" --force
expect_eq "1" "$(count "/n/openrouter.json?pad=$pad&end=1")" "a 2,000-byte typed URL fetched whole"
expect_eq "$long" "$(sql "SELECT url FROM sources WHERE name = 'openrouter'")" "and stored whole"
expect_rc 0 sources --json
expect_eq "$long" "$(json_get '[s["url"] for s in j if s["name"] == "openrouter"][0]')" "sources shows the long URL whole"
expect_rc 0 ingest prices "$long" --name longurl
expect_rc 0 ingest prices openrouter --url "$U/longredirect/openrouter.json" --force
expect_eq "3" "$(count "/n/openrouter.json?pad=$pad&end=1")" "a 2,000-byte redirect target followed whole"
# over 8000 bytes: refused with a message, never cut
huge="$U/n/openrouter.json?pad=$(printf '%09000d' 0 | tr 0 a)&end=1"
state >"$T/s0"
expect_rc 2 ingest prices openrouter --url "$huge"
expect_err "--url: a URL of ${#huge} bytes is over the 8000-byte limit"
expect_rc 2 ingest prices "$huge"
expect_err "SOURCE: a URL of ${#huge} bytes is over the 8000-byte limit"
expect_rc 4 ingest prices openrouter --url "$U/hugeredirect/openrouter.json" --force
expect_err "refused: ${#huge} bytes, over the 8000-byte limit"
expect_eq "0" "$(count "/n/openrouter.json?pad=$(printf '%09000d' 0 | tr 0 a)&end=1")" "an over-long URL is never fetched"
state >"$T/s1"
cmp -s "$T/s0" "$T/s1" && ok || bad "a refused URL changed the store"

# ---- migration 4: a version 3 store keeps its conditional fetch ----
# (SQLite files only)
if store_is_sqlite; then
V3="$T/v3.db"
LLMCOST_DB="$V3" expect_rc 0 ingest prices openrouter --url "$U/f/openrouter.json"
# schema 3 as far as fetches go: no fetch_validators (migration 5 then
# rebuilds the usage tables, empty here, as they are)
sqlite3 "$V3" "DROP TABLE fetch_validators; PRAGMA user_version = 3"
LLMCOST_DB="$V3" expect_rc 0 ingest prices openrouter --url "$U/f/openrouter.json"
expect_out "not modified"
SV=$(sed -n 's/^#define LC_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/lib/db.h")
expect_eq "$SV" "$(sqlite3 "$V3" "PRAGMA user_version")" "migrated to the latest schema"
schema() { sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"; }
expect_eq "$(schema "$LLMCOST_DB")" "$(schema "$V3")" "a migrated store and a new one have the same schema"
fi

kill $SRV 2>/dev/null
done_testing

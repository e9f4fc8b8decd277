-- llmcost store, schema version 10 (a new store is created at the latest
-- version; lib/db.c migrate() brings older stores to it).
--
-- Money columns are INTEGER nano-USD: prices per 1M tokens (input, output,
-- cache_*, reasoning, audio_*, image_input) are nano-USD per 1,000,000 tokens
-- ($2.50/M = 2500000000); fees (request_fee, web_search_fee, image_per_item)
-- are nano-USD per item; costs are nano-USD.  Dates are 'YYYY-MM-DD' text,
-- instants 'YYYY-MM-DDTHH:MM:SS.mmmZ' (UTC).  NULL price = not offered.

CREATE TABLE providers (
	id     TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	kind   TEXT NOT NULL CHECK (kind IN ('maker', 'host')),
	url    TEXT,
	origin TEXT NOT NULL DEFAULT 'builtin'
) STRICT;

CREATE TABLE models (
	id             TEXT PRIMARY KEY,
	maker          TEXT NOT NULL REFERENCES providers(id),
	family         TEXT,
	name           TEXT,
	release_date   TEXT,
	context_window INTEGER CHECK (context_window IS NULL OR context_window > 0),
	max_output     INTEGER CHECK (max_output IS NULL OR max_output > 0),
	modalities     TEXT NOT NULL DEFAULT 'text',
	open_weights   INTEGER NOT NULL DEFAULT 0 CHECK (open_weights IN (0, 1)),
	default_host   TEXT REFERENCES providers(id),
	image_tokens   TEXT,
	mode           TEXT NOT NULL DEFAULT 'chat',
	origin         TEXT NOT NULL DEFAULT 'builtin'
) STRICT;
CREATE INDEX models_family ON models(family);

-- An alias names a model at one host (host set: only a name qualified by
-- that host, or a sheet key of that host, means model_id) or anywhere
-- (host NULL).  Since schema version 6 the key includes the host, so one
-- name can mean different models at different hosts: OpenRouter's
-- deepseek/deepseek-chat is DeepSeek V3, DeepSeek's own deepseek-chat a
-- moving alias.
CREATE TABLE model_aliases (
	alias      TEXT NOT NULL,
	model_id   TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
	host       TEXT REFERENCES providers(id),
	valid_from TEXT NOT NULL DEFAULT '0000-01-01',
	valid_to   TEXT,
	origin     TEXT NOT NULL DEFAULT 'builtin'
) STRICT;
CREATE UNIQUE INDEX model_aliases_key ON model_aliases(alias, coalesce(host, ''), valid_from);

CREATE TABLE sources (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	format        TEXT NOT NULL,
	url           TEXT,
	priority      INTEGER NOT NULL DEFAULT 100,
	dated         INTEGER NOT NULL DEFAULT 0 CHECK (dated IN (0, 1)),
	last_fetch    TEXT,
	http_status   INTEGER,
	etag          TEXT,
	last_modified TEXT,
	sha256        TEXT,
	models        INTEGER,
	data_version  TEXT
) STRICT;

CREATE TABLE fetches (
	id          INTEGER PRIMARY KEY,
	source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	fetched_at  TEXT NOT NULL,
	url         TEXT,
	http_status INTEGER,
	etag        TEXT,
	bytes       INTEGER,
	sha256      TEXT,
	models      INTEGER,
	added       INTEGER,
	changed     INTEGER,
	skipped     INTEGER,
	result      TEXT NOT NULL
) STRICT;

-- Conditional GET (schema version 4): the validators a server gave for one
-- URL with the sheet it sent, sent back verbatim (If-None-Match,
-- If-Modified-Since) the next time that URL is fetched, and only while a
-- source still holds that sheet (sources.sha256 = sha256); never our clock.
CREATE TABLE fetch_validators (
	url           TEXT PRIMARY KEY,
	etag          TEXT,
	last_modified TEXT,
	sha256        TEXT NOT NULL,
	fetched_at    TEXT NOT NULL
) STRICT;

CREATE TABLE price_periods (
	id                INTEGER PRIMARY KEY,
	model_id          TEXT NOT NULL REFERENCES models(id),
	host              TEXT NOT NULL REFERENCES providers(id),
	source_id         INTEGER NOT NULL REFERENCES sources(id),
	min_input_tokens  INTEGER NOT NULL DEFAULT 0 CHECK (min_input_tokens >= 0),
	effective_from    TEXT NOT NULL,
	effective_to      TEXT CHECK (effective_to IS NULL OR effective_to > effective_from),
	input             INTEGER CHECK (input >= 0),
	output            INTEGER CHECK (output >= 0),
	cache_read        INTEGER CHECK (cache_read >= 0),
	cache_write_5m    INTEGER CHECK (cache_write_5m >= 0),
	cache_write_1h    INTEGER CHECK (cache_write_1h >= 0),
	reasoning         INTEGER CHECK (reasoning >= 0),
	audio_input       INTEGER CHECK (audio_input >= 0),
	audio_output      INTEGER CHECK (audio_output >= 0),
	image_input       INTEGER CHECK (image_input >= 0),
	image_per_item    INTEGER CHECK (image_per_item >= 0),
	request_fee       INTEGER CHECK (request_fee >= 0),
	web_search_fee    INTEGER CHECK (web_search_fee >= 0),
	batch_discount_bp INTEGER CHECK (batch_discount_bp BETWEEN 0 AND 10000),
	batch_input       INTEGER CHECK (batch_input >= 0),
	batch_output      INTEGER CHECK (batch_output >= 0),
	source_url        TEXT,
	note              TEXT,
	observed          INTEGER NOT NULL DEFAULT 0 CHECK (observed IN (0, 1)),
	rounded           INTEGER NOT NULL DEFAULT 0 CHECK (rounded IN (0, 1)),
	fetched_at        TEXT,
	last_seen         TEXT
) STRICT;
CREATE UNIQUE INDEX price_periods_key
	ON price_periods(model_id, host, source_id, min_input_tokens, effective_from);
CREATE INDEX price_periods_source ON price_periods(source_id);

-- Model lifecycle (schema version 7): when a model was released, when its
-- maker announced its deprecation and when it was (or will be) retired, i.e.
-- shut down, with the evidence.  One row per model id, of any origin's
-- models (no foreign key: a row may describe a model a price sheet brings).
-- The commands that list what can be bought (models, estimate, report
-- collapse, plot) leave out models retired on the date asked; usage is
-- always priced, retired or not.
CREATE TABLE model_lifecycle (
	model_id              TEXT PRIMARY KEY,
	released              TEXT,
	deprecation_announced TEXT,
	retired               TEXT,
	source_url            TEXT,
	note                  TEXT,
	origin                TEXT NOT NULL DEFAULT 'builtin'
) STRICT;

-- Quality scores, each as published in one snapshot (version) of a
-- leaderboard: benchmark 'arena_elo' is the Chatbot Arena (LMArena) text
-- leaderboard, style control off, snapshot the version's date; 'mmlu' is
-- the makers' own MMLU figures, one undated set (snapshot '').  A row keeps
-- the leaderboard's name for the model and its organisation; model_id is
-- the catalogue's model when the leaderboard's model is one (NULL for a
-- model without an API price, which still counts on the leaderboard).
-- Scores of two snapshots are never compared: Elo scales drift.
CREATE TABLE quality_scores (
	benchmark    TEXT NOT NULL,
	snapshot     TEXT NOT NULL,
	name         TEXT NOT NULL,
	organization TEXT,
	model_id     TEXT REFERENCES models(id) ON DELETE SET NULL,
	score        REAL NOT NULL,
	source_url   TEXT,
	origin       TEXT NOT NULL DEFAULT 'builtin',
	PRIMARY KEY (benchmark, snapshot, name)
) STRICT, WITHOUT ROWID;

-- The price each (model, host) offering has today under the highest-priority
-- source, base context tier only.  For the sqlite3 shell and Datasette.
CREATE VIEW current_prices AS
SELECT p.model_id AS model, p.host, m.maker, m.family, s.name AS source,
       p.effective_from,
       p.input / 1e9 AS input_usd_per_mtok,
       p.output / 1e9 AS output_usd_per_mtok,
       p.cache_read / 1e9 AS cached_input_usd_per_mtok,
       p.source_url
  FROM price_periods p
  JOIN sources s ON s.id = p.source_id
  JOIN models m ON m.id = p.model_id
 WHERE p.min_input_tokens = 0
   AND p.effective_from <= date('now')
   AND (p.effective_to IS NULL OR p.effective_to > date('now'))
   AND s.priority = (SELECT min(s2.priority) FROM price_periods p2 JOIN sources s2 ON s2.id = p2.source_id
                      WHERE p2.model_id = p.model_id AND p2.host = p.host AND p2.min_input_tokens = 0
                        AND p2.effective_from <= date('now')
                        AND (p2.effective_to IS NULL OR p2.effective_to > date('now')));

-- Usage logs (issue 5).  One row per log file read, with what is needed to
-- resume it: its identity when last read (dev, inode, size, mtime, a hash of
-- its first bytes), the byte offset and line number after the last complete
-- line ingested, and format state (Codex keeps cumulative totals).  The
-- resume point is written in the same transaction as the records it covers.
CREATE TABLE usage_files (
	id         INTEGER PRIMARY KEY,
	path       TEXT NOT NULL UNIQUE,
	format     TEXT NOT NULL,
	dev        INTEGER NOT NULL DEFAULT 0,
	inode      INTEGER NOT NULL DEFAULT 0,
	size       INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0),
	mtime_ns   INTEGER NOT NULL DEFAULT 0,
	head_len   INTEGER NOT NULL DEFAULT 0 CHECK (head_len BETWEEN 0 AND 4096),
	head_hash  TEXT NOT NULL DEFAULT '',
	offset     INTEGER NOT NULL DEFAULT 0 CHECK (offset >= 0),
	line       INTEGER NOT NULL DEFAULT 0 CHECK (line >= 0),
	state      TEXT NOT NULL DEFAULT '',
	ingested_at TEXT
) STRICT;

-- The text attributes of usage, each distinct combination stored once
-- (schema version 3): a record points at its own combination; the rollups
-- at the one with format '' (usage_sums) and with format, project,
-- session and user_name '' (usage_total_sums), exactly the attributes they
-- group by.  model and host are the catalogue's resolution of model_raw on
-- the record's date, '' when unknown.  user_name (schema version 10) is
-- who produced the record (`ingest usage --user`, $LLMCOST_USER, else
-- USER@HOST); '' on records stored before version 10.  Rows are never
-- deleted or changed.
CREATE TABLE usage_dims (
	id             INTEGER PRIMARY KEY,
	format         TEXT NOT NULL,
	model_raw      TEXT NOT NULL,
	model          TEXT NOT NULL DEFAULT '',
	host           TEXT NOT NULL DEFAULT '',
	project        TEXT NOT NULL DEFAULT '',
	session        TEXT NOT NULL DEFAULT '',
	service_tier   TEXT NOT NULL DEFAULT '',
	speed          TEXT NOT NULL DEFAULT '',
	user_name      TEXT NOT NULL DEFAULT '',
	UNIQUE (model_raw, model, host, project, session, service_tier, speed, format, user_name)
) STRICT;

-- One billed API call (or one provider bucket), normalised into disjoint
-- token buckets: input is uncached input only; output includes reasoning.
-- Read it through the usage_records view.  natural_key deduplicates (never
-- a line number; unique, kept so by llmcost's lookups).  A grouped record
-- (Claude Code's message.id, used by the sidechain rule) has the key
-- 'cc:' || group || ':' || requestId and group_len the group's length.
-- key_hash indexes both: 47 bits, for a grouped record a hash of the group
-- (top 32 bits) and of natural_key (low 15), else a hash of natural_key;
-- it is not unique, lookups compare the strings.  tier_prompt, on
-- aggregates (provider buckets, CSV rows of many requests), is the
-- per-request prompt size that picks a long-context tier (NULL: the
-- record's own prompt).  Since schema version 5 audio and image tokens are
-- buckets of their own, never part of input or output: audio_input and
-- audio_output are billed at the offering's audio prices (none: the record
-- cannot be priced), image_input at its image price (else as input);
-- other_tokens are tokens of a modality llmcost has no price for (video,
-- image output, a modality it does not know): any makes the record unpriced.
CREATE TABLE usage_calls (
	id             INTEGER PRIMARY KEY,
	natural_key    TEXT NOT NULL,
	key_hash       INTEGER NOT NULL,
	group_len      INTEGER CHECK (group_len IS NULL OR group_len > 0),
	ts_ms          INTEGER NOT NULL,
	dim            INTEGER NOT NULL REFERENCES usage_dims(id),
	file_id        INTEGER REFERENCES usage_files(id),
	line           INTEGER,
	input          INTEGER NOT NULL DEFAULT 0 CHECK (input >= 0),
	cache_read     INTEGER NOT NULL DEFAULT 0 CHECK (cache_read >= 0),
	cache_write_5m INTEGER NOT NULL DEFAULT 0 CHECK (cache_write_5m >= 0),
	cache_write_1h INTEGER NOT NULL DEFAULT 0 CHECK (cache_write_1h >= 0),
	output         INTEGER NOT NULL DEFAULT 0 CHECK (output >= 0),
	reasoning      INTEGER NOT NULL DEFAULT 0 CHECK (reasoning >= 0),
	requests       INTEGER NOT NULL DEFAULT 1 CHECK (requests >= 0),
	web_searches   INTEGER NOT NULL DEFAULT 0 CHECK (web_searches >= 0),
	sidechain      INTEGER NOT NULL DEFAULT 0 CHECK (sidechain IN (0, 1)),
	reported_cost  INTEGER,
	tier_prompt    INTEGER CHECK (tier_prompt IS NULL OR tier_prompt > 0),
	audio_input    INTEGER NOT NULL DEFAULT 0 CHECK (audio_input >= 0),
	audio_output   INTEGER NOT NULL DEFAULT 0 CHECK (audio_output >= 0),
	image_input    INTEGER NOT NULL DEFAULT 0 CHECK (image_input >= 0),
	other_tokens   INTEGER NOT NULL DEFAULT 0 CHECK (other_tokens >= 0)
) STRICT;
-- The only index: 6-byte keys, so it stays in the page cache while an
-- ingest inserts in random order (an index on natural_key, ~60 random
-- bytes a row, did not).  Each index is a B-tree write per record; reports
-- read the rollups, and the record-level fallback scans the table.
CREATE INDEX usage_calls_key ON usage_calls(key_hash);

-- Every record with its attributes spelled out (the columns of schema
-- versions 1 and 2): ts is ts_ms as ISO 8601 UTC with milliseconds; model
-- and host are NULL when unknown.
CREATE VIEW usage_records AS
SELECT c.id, c.natural_key, c.key_hash, substr(c.natural_key, 4, c.group_len) AS group_key,
       strftime('%Y-%m-%dT%H:%M:%S', c.ts_ms / 1000 - (c.ts_ms % 1000 < 0), 'unixepoch') ||
       printf('.%03dZ', (c.ts_ms % 1000 + 1000) % 1000) AS ts,
       c.ts_ms, d.format, c.file_id, c.line, d.model_raw, nullif(d.model, '') AS model,
       CASE WHEN d.model = '' THEN NULL ELSE d.host END AS host, d.project, d.session,
       c.input, c.cache_read, c.cache_write_5m, c.cache_write_1h, c.output, c.reasoning,
       c.requests, c.web_searches, d.service_tier, d.speed, c.sidechain, c.reported_cost,
       c.tier_prompt, c.audio_input, c.audio_output, c.image_input, c.other_tokens,
       d.user_name
  FROM usage_calls c
  JOIN usage_dims d ON d.id = c.dim;

-- The same usage summed per 15-minute UTC bucket (every zone offset in use
-- is a multiple of 15 minutes, so any --tz day is a union of buckets) and
-- per everything a report groups or prices by: dim is the usage_dims row
-- with format ''.  pclass is the number of context thresholds of a fixed
-- ladder (32k, 128k, 200k, 256k, 272k, 1M) the request's whole prompt
-- exceeded, so long-context tiers are priced per request.  logged_cost
-- (schema version 9) is the sum of reported_cost (the cost the log itself
-- carries, nano-USD) of the logged_records records that carry one, for
-- `usage --cost-mode logged|auto`.  Maintained in the same transaction as
-- usage_calls.
CREATE TABLE usage_sums (
	bucket         INTEGER NOT NULL,
	dim            INTEGER NOT NULL REFERENCES usage_dims(id),
	sidechain      INTEGER NOT NULL DEFAULT 0,
	pclass         INTEGER NOT NULL DEFAULT 0,
	records        INTEGER NOT NULL CHECK (records >= 0),
	input          INTEGER NOT NULL CHECK (input >= 0),
	cache_read     INTEGER NOT NULL CHECK (cache_read >= 0),
	cache_write_5m INTEGER NOT NULL CHECK (cache_write_5m >= 0),
	cache_write_1h INTEGER NOT NULL CHECK (cache_write_1h >= 0),
	output         INTEGER NOT NULL CHECK (output >= 0),
	reasoning      INTEGER NOT NULL CHECK (reasoning >= 0),
	requests       INTEGER NOT NULL CHECK (requests >= 0),
	web_searches   INTEGER NOT NULL CHECK (web_searches >= 0),
	audio_input    INTEGER NOT NULL DEFAULT 0 CHECK (audio_input >= 0),
	audio_output   INTEGER NOT NULL DEFAULT 0 CHECK (audio_output >= 0),
	image_input    INTEGER NOT NULL DEFAULT 0 CHECK (image_input >= 0),
	other_tokens   INTEGER NOT NULL DEFAULT 0 CHECK (other_tokens >= 0),
	logged_cost    INTEGER NOT NULL DEFAULT 0,
	logged_records INTEGER NOT NULL DEFAULT 0 CHECK (logged_records >= 0),
	PRIMARY KEY (bucket, dim, sidechain, pclass)
) STRICT, WITHOUT ROWID;

-- usage_sums without project, session and user, for reports that neither
-- group nor filter by them: dim is the usage_dims row with format, project,
-- session and user_name ''.  Always equal to usage_sums summed over project,
-- session and user (both are maintained by the same statements, in the
-- same transaction).
CREATE TABLE usage_total_sums (
	bucket         INTEGER NOT NULL,
	dim            INTEGER NOT NULL REFERENCES usage_dims(id),
	sidechain      INTEGER NOT NULL DEFAULT 0,
	pclass         INTEGER NOT NULL DEFAULT 0,
	records        INTEGER NOT NULL CHECK (records >= 0),
	input          INTEGER NOT NULL CHECK (input >= 0),
	cache_read     INTEGER NOT NULL CHECK (cache_read >= 0),
	cache_write_5m INTEGER NOT NULL CHECK (cache_write_5m >= 0),
	cache_write_1h INTEGER NOT NULL CHECK (cache_write_1h >= 0),
	output         INTEGER NOT NULL CHECK (output >= 0),
	reasoning      INTEGER NOT NULL CHECK (reasoning >= 0),
	requests       INTEGER NOT NULL CHECK (requests >= 0),
	web_searches   INTEGER NOT NULL CHECK (web_searches >= 0),
	audio_input    INTEGER NOT NULL DEFAULT 0 CHECK (audio_input >= 0),
	audio_output   INTEGER NOT NULL DEFAULT 0 CHECK (audio_output >= 0),
	image_input    INTEGER NOT NULL DEFAULT 0 CHECK (image_input >= 0),
	other_tokens   INTEGER NOT NULL DEFAULT 0 CHECK (other_tokens >= 0),
	logged_cost    INTEGER NOT NULL DEFAULT 0,
	logged_records INTEGER NOT NULL DEFAULT 0 CHECK (logged_records >= 0),
	PRIMARY KEY (bucket, dim, sidechain, pclass)
) STRICT, WITHOUT ROWID;

-- The two rollups with their attributes spelled out (the tables of schema
-- version 2, same columns).
CREATE VIEW usage_rollup AS
SELECT s.bucket, d.model_raw, d.model, d.host, d.project, d.session, d.service_tier,
       d.speed, s.sidechain, s.pclass, s.records, s.input, s.cache_read, s.cache_write_5m,
       s.cache_write_1h, s.output, s.reasoning, s.requests, s.web_searches, s.audio_input,
       s.audio_output, s.image_input, s.other_tokens, s.logged_cost, s.logged_records,
       d.user_name
  FROM usage_sums s
  JOIN usage_dims d ON d.id = s.dim;
CREATE VIEW usage_totals AS
SELECT s.bucket, d.model_raw, d.model, d.host, d.service_tier, d.speed, s.sidechain,
       s.pclass, s.records, s.input, s.cache_read, s.cache_write_5m, s.cache_write_1h,
       s.output, s.reasoning, s.requests, s.web_searches, s.audio_input, s.audio_output,
       s.image_input, s.other_tokens, s.logged_cost, s.logged_records
  FROM usage_total_sums s
  JOIN usage_dims d ON d.id = s.dim;

-- Monthly budgets: scope '' is all usage, 'user:NAME' the usage of user
-- NAME (schema version 10), else one project.
CREATE TABLE budgets (
	scope      TEXT PRIMARY KEY,
	monthly    INTEGER NOT NULL CHECK (monthly > 0),
	updated_at TEXT NOT NULL
) STRICT;

-- Subscription plans (schema version 9): a vendor's flat monthly price for
-- a plan over [valid_from, valid_to), for `usage monthly --plan` and
-- `llmcost plans`.  monthly is nano-USD.  Built-in rows come from
-- data/plans.csv, each citing its source.
CREATE TABLE plans (
	id         TEXT NOT NULL,
	vendor     TEXT NOT NULL,
	name       TEXT NOT NULL,
	monthly    INTEGER NOT NULL CHECK (monthly >= 0),
	valid_from TEXT NOT NULL,
	valid_to   TEXT CHECK (valid_to IS NULL OR valid_to > valid_from),
	source_url TEXT,
	note       TEXT,
	origin     TEXT NOT NULL DEFAULT 'builtin',
	PRIMARY KEY (id, valid_from)
) STRICT;

-- One row per disagreement between usage_records, usage_rollup and
-- usage_totals; none when they agree.  usage_rollup must equal usage_records
-- grouped by the rollup key (rows emptied by replacements aside), and
-- usage_totals must equal usage_rollup grouped without project, session and
-- user (schema version 10: the last column of usage_records and usage_rollup);
-- and no foreign key dangles.  Since schema version 9 the rollups also sum
-- the logged cost (reported_cost) and count the records carrying one.
WITH rec AS (
	SELECT (ts_ms - ((ts_ms % 900000) + 900000) % 900000) / 900000 AS bucket, model_raw,
	       coalesce(model, '') AS model, coalesce(host, '') AS host, project, session,
	       service_tier, speed, sidechain,
	       (p > 32000) + (p > 128000) + (p > 200000) + (p > 256000) + (p > 272000) +
	       (p > 1000000) AS pclass,
	       input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
	       web_searches, audio_input, audio_output, image_input, other_tokens,
	       coalesce(reported_cost, 0) AS logged, reported_cost IS NOT NULL AS logged_n,
	       user_name
	  FROM (SELECT *, coalesce(tier_prompt, input + cache_read + cache_write_5m +
				   cache_write_1h + audio_input + image_input) AS p
		  FROM usage_records)),
recg AS (
	SELECT bucket, model_raw, model, host, project, session, service_tier, speed, sidechain,
	       pclass, count(*), sum(input), sum(cache_read), sum(cache_write_5m),
	       sum(cache_write_1h), sum(output), sum(reasoning), sum(requests), sum(web_searches),
	       sum(audio_input), sum(audio_output), sum(image_input), sum(other_tokens),
	       sum(logged), sum(logged_n), user_name
	  FROM rec GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, user_name),
roll AS (
	SELECT * FROM usage_rollup
	 WHERE records <> 0 OR input <> 0 OR cache_read <> 0 OR cache_write_5m <> 0 OR
	       cache_write_1h <> 0 OR output <> 0 OR reasoning <> 0 OR requests <> 0 OR
	       web_searches <> 0 OR audio_input <> 0 OR audio_output <> 0 OR image_input <> 0 OR
	       other_tokens <> 0 OR logged_cost <> 0 OR logged_records <> 0),
tot AS (
	SELECT bucket, model_raw, model, host, service_tier, speed, sidechain, pclass,
	       sum(records), sum(input), sum(cache_read), sum(cache_write_5m),
	       sum(cache_write_1h), sum(output), sum(reasoning), sum(requests), sum(web_searches),
	       sum(audio_input), sum(audio_output), sum(image_input), sum(other_tokens),
	       sum(logged_cost), sum(logged_records)
	  FROM usage_rollup GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
SELECT 'usage_rollup row not in usage_records', bucket, model_raw, project, session
  FROM (SELECT * FROM roll EXCEPT SELECT * FROM recg)
UNION ALL
SELECT 'usage_records not in usage_rollup', bucket, model_raw, project, session
  FROM (SELECT * FROM recg EXCEPT SELECT * FROM roll)
UNION ALL
SELECT 'usage_totals row not the sum of usage_rollup', bucket, model_raw, '', ''
  FROM (SELECT * FROM usage_totals EXCEPT SELECT * FROM tot)
UNION ALL
SELECT 'usage_rollup not summed in usage_totals', bucket, model_raw, '', ''
  FROM (SELECT * FROM tot EXCEPT SELECT * FROM usage_totals)
UNION ALL
-- ingest stores without enforcing foreign keys (lib/db_usage.c): none dangles
SELECT 'foreign key broken in ' || "table", rowid, parent, '', ''
  FROM pragma_foreign_key_check

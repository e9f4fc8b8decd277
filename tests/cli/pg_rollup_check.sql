-- The team store's rollup_check.sql: one row per disagreement between the
-- server's records (usage_calls) and its rollups (usage_sums,
-- usage_total_sums); none when they agree.  The rollups keep their rows
-- as they went up (several rows of one key, rows emptied by replacements),
-- so both sides are summed by key first and empty keys left out:
-- usage_sums must equal usage_calls summed by the rollup key, and
-- usage_total_sums must equal usage_sums without project, session and user.
WITH rec AS (
	SELECT bucket, model_raw, model, host, project, session, service_tier, speed, user_name,
	       sidechain, pclass, count(*) AS records, sum(input) AS input,
	       sum(cache_read) AS cache_read, sum(cache_write_5m) AS cache_write_5m,
	       sum(cache_write_1h) AS cache_write_1h, sum(output) AS output,
	       sum(reasoning) AS reasoning, sum(requests) AS requests,
	       sum(web_searches) AS web_searches, sum(audio_input) AS audio_input,
	       sum(audio_output) AS audio_output, sum(image_input) AS image_input,
	       sum(other_tokens) AS other_tokens, sum(coalesce(reported_cost, 0)) AS logged_cost,
	       count(reported_cost) AS logged_records
	  FROM usage_calls GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
roll AS (
	SELECT bucket, model_raw, model, host, project, session, service_tier, speed, user_name,
	       sidechain, pclass, sum(records) AS records, sum(input) AS input,
	       sum(cache_read) AS cache_read, sum(cache_write_5m) AS cache_write_5m,
	       sum(cache_write_1h) AS cache_write_1h, sum(output) AS output,
	       sum(reasoning) AS reasoning, sum(requests) AS requests,
	       sum(web_searches) AS web_searches, sum(audio_input) AS audio_input,
	       sum(audio_output) AS audio_output, sum(image_input) AS image_input,
	       sum(other_tokens) AS other_tokens, sum(logged_cost) AS logged_cost,
	       sum(logged_records) AS logged_records
	  FROM usage_sums GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
roll_kept AS (
	SELECT * FROM roll
	 WHERE records <> 0 OR input <> 0 OR cache_read <> 0 OR cache_write_5m <> 0 OR
	       cache_write_1h <> 0 OR output <> 0 OR reasoning <> 0 OR requests <> 0 OR
	       web_searches <> 0 OR audio_input <> 0 OR audio_output <> 0 OR image_input <> 0 OR
	       other_tokens <> 0 OR logged_cost <> 0 OR logged_records <> 0),
want_tot AS (
	SELECT bucket, model_raw, model, host, service_tier, speed, sidechain, pclass,
	       sum(records), sum(input), sum(cache_read), sum(cache_write_5m), sum(cache_write_1h),
	       sum(output), sum(reasoning), sum(requests), sum(web_searches), sum(audio_input),
	       sum(audio_output), sum(image_input), sum(other_tokens), sum(logged_cost),
	       sum(logged_records)
	  FROM roll_kept GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
tot AS (
	SELECT bucket, model_raw, model, host, service_tier, speed, sidechain, pclass,
	       sum(records) AS records, sum(input) AS input, sum(cache_read) AS cache_read,
	       sum(cache_write_5m) AS cache_write_5m, sum(cache_write_1h) AS cache_write_1h,
	       sum(output) AS output, sum(reasoning) AS reasoning, sum(requests) AS requests,
	       sum(web_searches) AS web_searches, sum(audio_input) AS audio_input,
	       sum(audio_output) AS audio_output, sum(image_input) AS image_input,
	       sum(other_tokens) AS other_tokens, sum(logged_cost) AS logged_cost,
	       sum(logged_records) AS logged_records
	  FROM usage_total_sums GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
tot_kept AS (
	SELECT * FROM tot
	 WHERE records <> 0 OR input <> 0 OR cache_read <> 0 OR cache_write_5m <> 0 OR
	       cache_write_1h <> 0 OR output <> 0 OR reasoning <> 0 OR requests <> 0 OR
	       web_searches <> 0 OR audio_input <> 0 OR audio_output <> 0 OR image_input <> 0 OR
	       other_tokens <> 0 OR logged_cost <> 0 OR logged_records <> 0)
SELECT 'usage_sums row not in usage_calls', bucket, model_raw, project, session
  FROM (SELECT * FROM roll_kept EXCEPT SELECT * FROM rec) x
UNION ALL
SELECT 'usage_calls not in usage_sums', bucket, model_raw, project, session
  FROM (SELECT * FROM rec EXCEPT SELECT * FROM roll_kept) x
UNION ALL
SELECT 'usage_total_sums row not the sum of usage_sums', bucket, model_raw, '', ''
  FROM (SELECT * FROM tot_kept EXCEPT SELECT * FROM want_tot) x
UNION ALL
SELECT 'usage_sums not summed in usage_total_sums', bucket, model_raw, '', ''
  FROM (SELECT * FROM want_tot EXCEPT SELECT * FROM tot_kept) x
LIMIT 10

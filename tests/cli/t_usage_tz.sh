# llmcost usage --tz in zones whose offset is not a whole number of quarter
# hours (#13 item 20): the rollup's 15-minute UTC buckets then hold a local
# midnight, so the report must put each record on its own local day, exactly
# as a record-by-record reading does.  Africa/Monrovia was -0:44:30 until
# 1972-01-07T00:44:30Z (local midnight 00:44:30Z); Pacific/Kiritimati was
# -10:40 until 1979 (local midnight 10:40Z).  Every record is priced at one
# date (--at): gpt-4o on 2025-01-01 costs $2.50 per million input tokens.
. "$TOP/tests/cli/lib.sh"
days() { json_get '"|".join("%s %s %s %s" % (r["key"], r["records"], r["input_tokens"], r["cost"]) for r in j["rows"])'; }
cat >"$T/u.csv" <<'CSV'
timestamp,model,input_tokens,output_tokens,request_id
1971-06-01T00:30:00Z,gpt-4o,1000000,0,m1
1971-06-01T00:44:00Z,gpt-4o,2000000,0,m2
1971-06-01T00:44:40Z,gpt-4o,4000000,0,m3
1971-06-01T00:46:00Z,gpt-4o,8000000,0,m4
1972-01-06T00:44:29Z,gpt-4o,1000000,0,t1
1972-01-06T00:44:31Z,gpt-4o,2000000,0,t2
1972-01-07T00:44:29Z,gpt-4o,4000000,0,t3
1972-01-07T00:44:31Z,gpt-4o,8000000,0,t4
1975-03-01T10:39:00Z,gpt-4o,1000000,0,k1
1975-03-01T10:41:00Z,gpt-4o,2000000,0,k2
CSV
expect_rc 0 ingest usage "$T/u.csv"
expect_out "10 accepted"

# Monrovia, 1971: 00:30Z and 00:44:00Z are May 31 (23:45:30, 23:59:30 local),
# 00:44:40Z and 00:46Z are June 1; the four share two UTC buckets
exp="1971-05-31 2 3000000 7.5|1971-06-01 2 12000000 30"
for src in "" --from-records; do
	expect_rc 0 usage --json --tz Africa/Monrovia --at 2025-01-01 --since 1971-05-01 --until 1971-06-30 $src
	expect_eq "$exp" "$(days)" "Monrovia 1971 days $src"
done
# the local dates bound the report too
expect_rc 0 usage --json --tz Africa/Monrovia --at 2025-01-01 --since 1971-06-01 --until 1971-06-01
expect_eq "1971-06-01 2 12000000 30" "$(days)"
expect_rc 0 usage monthly --json --tz Africa/Monrovia --at 2025-01-01 --until 1971-12-31
expect_eq "1971-05 2 3000000 7.5|1971-06 2 12000000 30" "$(days)"
# the change to GMT inside the 00:30Z bucket of 1972-01-07: t3 is the last
# second of Jan 6 at -0:44:30, t4 is 00:44:31 GMT on Jan 7
exp="1972-01-05 1 1000000 2.5|1972-01-06 2 6000000 15|1972-01-07 1 8000000 20"
for src in "" --from-records; do
	expect_rc 0 usage --json --tz Africa/Monrovia --at 2025-01-01 --since 1972-01-01 --until 1972-01-31 $src
	expect_eq "$exp" "$(days)" "Monrovia 1972 days $src"
done
# grouped by session (usage_rollup rather than usage_totals), one local day
expect_rc 0 usage session --json --tz Africa/Monrovia --at 2025-01-01 --since 1971-06-01 --until 1971-06-01
expect_eq "2 12000000 30" \
	"$(json_get '"|".join("%s %s %s" % (r["records"], r["input_tokens"], r["cost"]) for r in j["rows"])')"
expect_rc 0 usage --json --tz Pacific/Kiritimati --at 2025-01-01 --since 1975-01-01 --until 1975-12-31 --breakdown
expect_eq "1975-02-28 1 1000000 2.5|1975-03-01 1 2000000 5" \
	"$(json_get '"|".join("%s %s %s %s" % (r["key"], r["records"], r["input_tokens"], r["cost"]) for r in j["rows"] if not r.get("model"))')"
# Kiritimati: 10:39Z is 23:59 on Feb 28 at -10:40, 10:41Z is 00:01 on Mar 1
for src in "" --from-records; do
	expect_rc 0 usage --json --tz Pacific/Kiritimati --at 2025-01-01 --since 1975-01-01 --until 1975-12-31 $src
	expect_eq "1975-02-28 1 1000000 2.5|1975-03-01 1 2000000 5" "$(days)" "Kiritimati days $src"
done
# the whole store: every day's total is exact and they add up
expect_rc 0 usage --json --tz Africa/Monrovia --at 2025-01-01
expect_eq "33000000 82.5" "$(json_get '"%s %s" % (j["total"]["input_tokens"], j["total"]["cost"])')"
# a zone whose offsets are whole quarter hours still reads the rollup and agrees
expect_rc 0 usage --json --tz Asia/Kathmandu --at 2025-01-01 --since 1971-05-01 --until 1971-06-30
expect_eq "1971-06-01 4 15000000 37.5" "$(days)"
# a leap second (#13 item 19) is the last millisecond of its UTC day, in
# every zone's report of that day
cat >"$T/leap.csv" <<'CSV'
timestamp,model,input_tokens,output_tokens,request_id
2016-12-31T23:59:60Z,gpt-4o,1000000,0,l1
2017-01-01T00:59:60.5+01:00,gpt-4o,2000000,0,l2
2016-12-31T23:59:61Z,gpt-4o,4000000,0,l3
CSV
expect_rc 0 ingest usage "$T/leap.csv"
expect_out "2 accepted, 0 duplicates, 1 rejected"
expect_err "line 4: timestamp: malformed timestamp '2016-12-31T23:59:61Z'"
expect_rc 0 usage --json --at 2025-01-01 --since 2016-12-01 --until 2017-01-31
expect_eq "2016-12-31 2 3000000 7.5" "$(days)"
expect_rc 0 usage --json --at 2025-01-01 --since 2016-12-01 --until 2017-01-31 --tz Asia/Tokyo
expect_eq "2017-01-01 2 3000000 7.5" "$(days)"
# right/ zones count leap seconds, which log timestamps never do
expect_rc 2 usage --tz right/UTC
expect_err "unknown time zone 'right/UTC'"
done_testing

# Local time in usage reports (#17, "Time"): days, weeks and months in $TZ,
# else the system zone, else --tz; --week-start; --since/--until as
# YYYYMMDD, today, yesterday, Nd, Nw, Nm against a fixed today
# (LLMCOST_NOW); --last and --order; the zone named in the output.
#
# The fixture is records a second either side of local midnights and of DST
# changes in several zones (Python's zoneinfo finds the instants), and every
# expected grouping is computed here by Python's zoneinfo from the same
# records, never written out by hand.  Every record is gpt-4o priced at one
# date (--at 2025-01-01: $2.50 per million input tokens), so a day's cost is
# its input tokens x 2.5 / 10^6.
. "$TOP/tests/cli/lib.sh"

ZONES="Europe/Berlin America/New_York Australia/Sydney Asia/Kolkata Asia/Kathmandu
Pacific/Chatham America/St_Johns Pacific/Apia America/Sao_Paulo"
NOW=2026-03-15T10:00:00Z

# the records: around local midnight on the day before, of and after each
# offset change of 2025-2026 in each zone, and around each change itself
python3 - $ZONES >"$T/u.csv" <<'PY'
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
utc = timezone.utc
instants = set()
for name in sys.argv[1:]:
    z = ZoneInfo(name)
    t = datetime(2025, 1, 1, tzinfo=utc)
    prev = t.astimezone(z).utcoffset()
    while t < datetime(2026, 12, 31, tzinfo=utc):
        t2 = t + timedelta(hours=1)
        off = t2.astimezone(z).utcoffset()
        if off != prev:
            # the change lies in (t, t2]: find its second
            lo, hi = t, t2
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(z).utcoffset() == prev:
                    lo = mid
                else:
                    hi = mid
            for s in (-1, 0, 1):
                instants.add(hi + timedelta(seconds=s))
            local = hi.astimezone(z)
            for d in (-1, 0, 1, 2):
                day = (local + timedelta(days=d)).date()
                midnight = datetime(day.year, day.month, day.day, tzinfo=z).astimezone(utc)
                for s in (-1, 0, 1):
                    instants.add(midnight + timedelta(seconds=s))
            prev = off
        t = t2
# and the days around the fixed today, for the relative dates
for d in range(-100, 2):
    for h in (0, 11, 23):
        instants.add(datetime(2026, 3, 15, 10, tzinfo=utc) + timedelta(days=d, hours=h - 10, seconds=7))
print("timestamp,model,input_tokens,output_tokens,session,request_id")
for i, t in enumerate(sorted(instants)):
    if t > datetime(2026, 3, 15, 10, tzinfo=utc):
        continue
    print("%s,gpt-4o,%d,0,s%d,r%d" % (t.strftime("%Y-%m-%dT%H:%M:%SZ"), 1000 + i, i % 7, i))
PY
n=$(($(wc -l <"$T/u.csv") - 1))
expect_rc 0 ingest usage "$T/u.csv"
expect_out "$n accepted"

# The rows each report must have, "key records input cost|...", computed
# from the CSV by zoneinfo for every query line "ZONE GROUP SINCE UNTIL
# WEEKSTART LAST ORDER" ("-": not given) of $T/queries, at once (one Python
# start, not one per check): $T/expected holds "QUERY<tab>ROWS" lines.
cat >"$T/expect.py" <<'PY'
import calendar, csv, sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo
now, recs = sys.argv[1], list(csv.DictReader(open(sys.argv[2])))
def months_back(d, n):
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
def rows_of(zone, group, since, until, ws, last, order):
    z = ZoneInfo(zone)
    today = datetime.fromisoformat(now.replace("Z", "+00:00")).astimezone(z).date()
    def bound(s):
        if s == "-":
            return None
        if s == "today":
            return today
        if s == "yesterday":
            return today - timedelta(days=1)
        if s[-1] in "dwm" and s[:-1].isdigit():
            n = int(s[:-1])
            if s[-1] == "m":
                return months_back(today, n) + timedelta(days=1)
            return today - timedelta(days=n * (7 if s[-1] == "w" else 1) - 1)
        return date.fromisoformat(s) if "-" in s else datetime.strptime(s, "%Y%m%d").date()
    lo, hi = bound(since), bound(until)
    wsn = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].index(ws)
    rows = {}
    for r in recs:
        t = datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
        d = t.astimezone(z).date()
        if (lo and d < lo) or (hi and d > hi):
            continue
        if group == "daily":
            k = d.isoformat()
        elif group == "weekly":
            k = (d - timedelta(days=(d.weekday() - wsn) % 7)).isoformat()
        else:
            k = d.isoformat()[:7]
        a = rows.setdefault(k, [0, 0])
        a[0] += 1
        a[1] += int(r["input_tokens"])
    keys = sorted(rows)
    if last != "-":
        keys = keys[-int(last):]
    if order == "desc":
        keys.reverse()
    return "|".join("%s %d %d %s" % (k, rows[k][0], rows[k][1],
                    format((Decimal(rows[k][1]) * Decimal("2.5") / 1000000).normalize(), "f"))
                    for k in keys)
for q in open(sys.argv[3]).read().splitlines():
    print("%s\t%s" % (q, rows_of(*q.split())))

PY
query() { # ZONE GROUP [SINCE UNTIL WEEKSTART LAST ORDER]
	echo "$1 $2 ${3:--} ${4:--} ${5:-monday} ${6:--} ${7:-asc}"
}
RANGES="today:- yesterday:yesterday 7d:- 1w:- 2w:- 3m:- 1m:7d 20260301:20260307
2026-02-01:2026-02-28 20250101:today"
REL_ZONES="UTC Pacific/Chatham America/St_Johns"
{
	for z in UTC $ZONES; do
		for g in daily weekly monthly; do query "$z" $g; done
	done
	for z in $REL_ZONES; do
		for r in $RANGES; do query "$z" daily "${r%%:*}" "${r#*:}"; done
		query "$z" weekly 3m - sunday
		query "$z" weekly 2w - wednesday
	done
	query UTC daily - - monday 3
	query UTC daily - - monday - desc
	query Pacific/Apia monthly - - monday 2 desc
	query UTC daily 20260101 - monday 5
} >"$T/queries"
python3 "$T/expect.py" "$NOW" "$T/u.csv" "$T/queries" >"$T/expected" || bad "expect.py failed"
expect() { # the rows of a query (query's arguments)
	local q
	q=$(query "$@")
	awk -F'\t' -v q="$q" '$1 == q { print $2; found = 1 } END { exit !found }' "$T/expected" ||
		bad "no expected rows for '$q'"
}
# the rows of the report in $T/out, a --csv one: key,input,...,records,cost
got() {
	awk -F, 'NR > 1 && $1 != "total" { printf "%s%s %s %s %s", sep, $1, $7, $2, $8; sep = "|" }
		END { print "" }' "$T/out"
}
zone_of() { json_get 'j["zone"]'; }

# each zone: the day of every record by --tz, by TZ (no --tz), and from the
# records (bypassing the rollup); the week and the month too
for z in $ZONES; do
	days=$(expect "$z" daily)
	expect_rc 0 usage daily --csv --at 2025-01-01 --tz "$z"
	expect_eq "$days" "$(got)" "daily --tz $z"
	TZ=$z expect_rc 0 usage daily --csv --at 2025-01-01
	expect_eq "$days" "$(got)" "daily TZ=$z"
	TZ=$z expect_rc 0 usage daily --json --at 2025-01-01
	expect_eq "$z" "$(zone_of)" "zone of TZ=$z"
	expect_rc 0 usage daily --csv --at 2025-01-01 --tz "$z" --from-records
	expect_eq "$days" "$(got)" "daily --tz $z from the records"
	TZ=$z expect_rc 0 usage weekly --csv --at 2025-01-01
	expect_eq "$(expect "$z" weekly)" "$(got)" "weekly TZ=$z"
	TZ=$z expect_rc 0 usage monthly --csv --at 2025-01-01
	expect_eq "$(expect "$z" monthly)" "$(got)" "monthly TZ=$z"
done
# --tz wins over TZ; TZ as ":NAME" and as a POSIX rule string
TZ=Asia/Tokyo expect_rc 0 usage --json --at 2025-01-01 --tz Europe/Berlin
expect_eq "Europe/Berlin" "$(zone_of)" "--tz over TZ"
TZ=Asia/Tokyo expect_rc 0 usage --csv --at 2025-01-01 --tz Europe/Berlin
expect_eq "$(expect Europe/Berlin daily)" "$(got)" "--tz over TZ"
TZ=:Europe/Berlin expect_rc 0 usage --csv --at 2025-01-01
expect_eq "$(expect Europe/Berlin daily)" "$(got)" "TZ=:Europe/Berlin"
TZ=CET-1CEST,M3.5.0,M10.5.0/3 expect_rc 0 usage --csv --at 2025-01-01
expect_eq "$(expect Europe/Berlin daily)" "$(got)" "TZ as a POSIX rule (Berlin's)"
TZ=CET-1CEST,M3.5.0,M10.5.0/3 expect_rc 0 usage --json --at 2025-01-01
expect_eq "CET-1CEST,M3.5.0,M10.5.0/3" "$(zone_of)"
# the text output names the zone; CSV stays a table
TZ=America/New_York expect_rc 0 usage weekly --at 2025-01-01 --week-start sunday
expect_out "dates in America/New_York; weeks start on Sunday"
TZ=America/New_York expect_rc 0 usage --csv --at 2025-01-01
expect_no_out "dates in"

# the system zone when TZ is unset: /etc/localtime's link (LLMCOST_ETC
# stands for /etc), /etc/timezone for a copy, else UTC with a note
mkdir -p "$T/etc"
ln -s /usr/share/zoneinfo/Australia/Sydney "$T/etc/localtime"
(unset TZ; LLMCOST_ETC=$T/etc "$LLMCOST" usage --json --at 2025-01-01 >"$T/out" 2>"$T/err")
expect_eq "Australia/Sydney" "$(zone_of)" "system zone from /etc/localtime"
(unset TZ; LLMCOST_ETC=$T/etc "$LLMCOST" usage --csv --at 2025-01-01 >"$T/out" 2>"$T/err")
expect_eq "$(expect Australia/Sydney daily)" "$(got)" "days in the system zone"
rm "$T/etc/localtime"
cp /usr/share/zoneinfo/Asia/Kolkata "$T/etc/localtime"
(unset TZ; LLMCOST_ETC=$T/etc "$LLMCOST" usage --json --at 2025-01-01 >"$T/out" 2>"$T/err")
expect_eq "UTC" "$(zone_of)" "an unnamed system zone is UTC"
expect_err "note: cannot name the system time zone"
(unset TZ; LLMCOST_ETC=$T/etc "$LLMCOST" usage --csv --at 2025-01-01 >"$T/out" 2>"$T/err")
expect_eq "$(expect UTC daily)" "$(got)"
echo Asia/Kolkata >"$T/etc/timezone"
(unset TZ; LLMCOST_ETC=$T/etc "$LLMCOST" usage --json --at 2025-01-01 >"$T/out" 2>"$T/err")
expect_eq "Asia/Kolkata" "$(zone_of)" "system zone from /etc/timezone"
TZ=Nowhere/Land expect_rc 0 usage --json --at 2025-01-01
expect_eq "UTC" "$(zone_of)"
expect_err "note: TZ names no time zone llmcost knows; dates are in UTC"

# relative dates against a fixed today, in the report's zone: at
# 2026-03-15T10:00Z it is already the 16th in Chatham (+13:45)
export LLMCOST_NOW=$NOW
for z in $REL_ZONES; do
	for r in $RANGES; do
		since=${r%%:*} until=${r#*:}
		if [ "$until" = - ]; then set --; else set -- --until "$until"; fi
		TZ=$z expect_rc 0 usage --csv --at 2025-01-01 --since "$since" "$@"
		expect_eq "$(expect "$z" daily "$since" "$until")" "$(got)" "TZ=$z --since $since --until $until"
	done
	# a week's rows with another first day, and a relative range
	TZ=$z expect_rc 0 usage weekly --csv --at 2025-01-01 --week-start sunday --since 3m
	expect_eq "$(expect "$z" weekly 3m - sunday)" "$(got)" "TZ=$z weekly sunday"
	TZ=$z expect_rc 0 usage weekly --csv --at 2025-01-01 --week-start wednesday --since 2w
	expect_eq "$(expect "$z" weekly 2w - wednesday)" "$(got)" "TZ=$z weekly wednesday"
done
# --until today: the whole store (nothing after today)
expect_rc 0 usage --csv --at 2025-01-01 --until today
expect_eq "$(expect UTC daily)" "$(got)"
# --since after --until, in either form
expect_rc 2 usage --since today --until 7d
expect_err "--until is before --since"

# --last N: the N latest rows; --order desc: newest first; the total is
# theirs alone
expect_rc 0 usage --csv --at 2025-01-01 --last 3
expect_eq "$(expect UTC daily - - monday 3)" "$(got)" "--last 3"
expect_rc 0 usage --json --at 2025-01-01 --last 3
expect_eq "$(expect UTC daily - - monday 3 | python3 -c '
import sys
print(sum(int(r.split()[2]) for r in sys.stdin.read().strip().split("|")))')" \
	"$(json_get 'j["total"]["input_tokens"]')" "--last 3: the total of the 3 rows"
expect_rc 0 usage --csv --at 2025-01-01 --order desc
expect_eq "$(expect UTC daily - - monday - desc)" "$(got)" "--order desc"
expect_rc 0 usage monthly --csv --at 2025-01-01 --last 2 --order desc --tz Pacific/Apia
expect_eq "$(expect Pacific/Apia monthly - - monday 2 desc)" "$(got)" "monthly --last 2 --order desc"
expect_rc 0 usage --json --at 2025-01-01 --last 5 --order asc --since 20260101 --breakdown
expect_eq "$(expect UTC daily 20260101 - monday 5)" \
	"$(json_get '"|".join("%s %s %s %s" % (r["key"], r["records"], r["input_tokens"], r["cost"]) for r in j["rows"])')" \
	"--last with --breakdown"
expect_eq "5" "$(json_get 'len(j["rows"])')"
# sessions: by cost by default; --order desc by latest activity, --last N
# the sessions used last
python3 - "$T/u.csv" >"$T/sess" <<'PY'
import csv, sys
last = {}
for r in csv.DictReader(open(sys.argv[1])):
    last[r["session"]] = max(last.get(r["session"], ""), r["timestamp"])
print(" ".join(sorted(last, key=lambda s: last[s], reverse=True)))
PY
expect_rc 0 usage session --json --at 2025-01-01 --order desc
expect_eq "$(cat "$T/sess")" "$(json_get '" ".join(r["key"] for r in j["rows"])')" "sessions newest first"
expect_rc 0 usage session --json --at 2025-01-01 --order asc --last 2
expect_eq "$(cut -d' ' -f1-2 "$T/sess" | awk '{print $2, $1}')" \
	"$(json_get '" ".join(r["key"] for r in j["rows"])')" "the 2 sessions used last, oldest first"

# bad values: exit 2 naming the option and the accepted forms
for v in 2w0 0d 7y 20260230 2026-3-1 tomorrow ""; do
	expect_rc 2 usage --since "$v"
	expect_err "--since: malformed date '$v' (want YYYY-MM-DD, YYYYMMDD, today, yesterday, Nd, Nw or Nm)"
done
expect_rc 2 usage --until 1x
expect_err "--until: malformed date '1x'"
expect_rc 2 usage weekly --week-start funday
expect_err "--week-start: want monday, tuesday, wednesday, thursday, friday, saturday or sunday, not 'funday'"
expect_rc 2 usage --order up
expect_err "--order: want asc or desc, not 'up'"
expect_rc 2 usage --last 0
expect_err "--last: want a whole number from 1, not '0'"

# budget status: the month in TZ, the zone in the header and in JSON
expect_rc 0 budget set --monthly 1000
LLMCOST_NOW=2026-02-28T23:30:00Z TZ=Asia/Tokyo expect_rc 0 budget status
expect_out "2026-03, day 1 of 31 (Asia/Tokyo)"
LLMCOST_NOW=2026-02-28T23:30:00Z TZ=Asia/Tokyo expect_rc 0 budget status --json
expect_eq "Asia/Tokyo 2026-03" "$(json_get '"%s %s" % (j[0]["zone"], j[0]["month"])')"
LLMCOST_NOW=2026-02-28T23:30:00Z TZ=Asia/Tokyo expect_rc 0 budget status --json --tz UTC
expect_eq "UTC 2026-02" "$(json_get '"%s %s" % (j[0]["zone"], j[0]["month"])')"
done_testing

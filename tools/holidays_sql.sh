#!/bin/sh
# holidays_sql.sh — the seed rows of src/db/migrations/014_calendar.sql (to stdout) from
# data/holidays/holidays.csv: one calendar_year row per year (its notice) and one calendar_day
# row per date, for district $2 (default 330304, the district this instance serves). Stops when
# a row is malformed or a year names two notices.
#   sh tools/holidays_sql.sh [data/holidays/holidays.csv [DISTRICT]]
set -eu
csv=${1:-data/holidays/holidays.csv}
district=${2:-330304}
awk -F, -v d="$district" '
  NR == 1 { if ($0 != "date,kind,name,notice") { print "holidays_sql: bad header" > "/dev/stderr"; exit 1 } next }
  {
    if (NF != 4 || $1 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ || ($2 != "off" && $2 != "work") || $3 == "" || $4 == "" || $0 ~ /\047/) {
      print "holidays_sql: line " NR ": malformed" > "/dev/stderr"; exit 1 }
    y = substr($1, 1, 4)
    if (y in notice && notice[y] != $4) { print "holidays_sql: " y " names two notices" > "/dev/stderr"; exit 1 }
    if (!(y in notice)) { notice[y] = $4; years[++n] = y }
    rows[++m] = "INSERT INTO calendar_day (district_code, day, year, kind, name) VALUES (\047" d "\047, \047" $1 "\047, " y ", \047" $2 "\047, \047" $3 "\047);"
  }
  END {
    for (i = 1; i <= n; i++)
      print "INSERT INTO calendar_year (district_code, year, basis, updated_at) VALUES (\047" d "\047, " years[i] ", \047" notice[years[i]] "\047, {{NOW}});"
    for (i = 1; i <= m; i++) print rows[i]
  }' "$csv"

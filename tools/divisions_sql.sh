#!/bin/sh
# divisions_sql.sh — the seed rows of src/db/migrations/067_jurisdiction.sql (to stdout) from
# data/divisions/zhejiang.csv: one jurisdiction row per division (parents first, as the file
# lists them) and the ancestor pairs of each (itself at distance 0, its city at 1, its province at
# 2). Stops when a row is malformed or names a parent not listed before it.
#   sh tools/divisions_sql.sh [data/divisions/zhejiang.csv]
set -eu
csv=${1:-data/divisions/zhejiang.csv}
awk -F, '
  NR == 1 { if ($0 != "code,level,parent,name") { print "divisions_sql: bad header" > "/dev/stderr"; exit 1 } next }
  {
    if (NF != 4 || $1 !~ /^[1-9][0-9][0-9][0-9][0-9][0-9]$/ || ($2 != "province" && $2 != "city" && $2 != "district") ||
        ($2 == "province") != ($3 == "") || ($3 != "" && !($3 in level)) || $4 == "" || $0 ~ /\047/ || ($1 in level)) {
      print "divisions_sql: line " NR ": malformed" > "/dev/stderr"; exit 1 }
    level[$1] = $2; parent[$1] = $3
    print "INSERT INTO jurisdiction (code, level, parent_code, name) VALUES (\047" $1 "\047, \047" $2 "\047, " ($3 == "" ? "NULL" : "\047" $3 "\047") ", \047" $4 "\047);"
    rows[++n] = $1
  }
  END {
    for (i = 1; i <= n; i++)
      for (c = rows[i]; c != ""; c = parent[c])
        print "INSERT INTO jurisdiction_ancestor (code, ancestor, distance) VALUES (\047" rows[i] "\047, \047" c "\047, " (d[rows[i]]++) ");"
  }' "$csv"

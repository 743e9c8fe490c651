#!/bin/sh
# read_cost.sh — what GET requests cost the database: each path read N times over loopback by one
# user (a session from LOGIN/PASSWORD, or a machine client's bearer TOKEN), its wall time (median,
# min, max) and statements a read (tuoyu_db_calls_total from /metrics before and after). For reads
# whose cost should not grow with the district (the exchange feed, the compiled progress report).
#   BIN=build/tuoyu PG=CONNINFO KEY=KEYFILE LOGIN=district-admin N=15 \
#     sh bench/read_cost.sh /api/v1/progress-reports/compiled '/api/v1/progress-reports/compiled?format=xlsx'
#   BIN=… PG=… KEY=… TOKEN=… sh bench/read_cost.sh '/api/v1/exchange/institutions?limit=1'
# DBFILE=x.db instead of PG for SQLite. TOKEN from `tuoyu exchange-client add LOGIN --name NAME
# --pg CONNINFO --key KEYFILE`. The province database: bench/province.mjs. Loopback only.
set -eu
BIN=${BIN:-build/tuoyu}
N=${N:-15}
PORT=${PORT:-18931}
PASSWORD=${PASSWORD:-Test-demo-pass-2023}
base=http://127.0.0.1:$PORT
if curl -sf -o /dev/null "$base/healthz"; then echo "port $PORT is taken" >&2; exit 1; fi
"$BIN" serve ${PG:+--pg "$PG"} ${DBFILE:+--db "$DBFILE"} ${KEY:+--key "$KEY"} --listen 127.0.0.1:$PORT --threads 4 \
  --region-refresh-seconds 0 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "$base/healthz" && break; sleep 0.2; done
jar=$(mktemp)
if [ -n "${LOGIN:-}" ]; then
  curl -sf -o /dev/null -c "$jar" -H 'content-type: application/json' \
    -d "{\"login\":\"$LOGIN\",\"password\":\"$PASSWORD\"}" "$base/api/v1/session"
fi
get() { curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -b "$jar" ${TOKEN:+-H "Authorization: Bearer $TOKEN"} "$base$1"; }
calls() { curl -sf "$base/metrics" | sed -n 's/^tuoyu_db_calls_total //p'; }
for path in "$@"; do
  status=$(get "$path" | cut -d' ' -f1)
  case $status in 2*) ;; *) echo "$path: HTTP $status, skipped"; continue ;; esac
  before=$(calls)
  times=$(for _ in $(seq "$N"); do get "$path" | cut -d' ' -f2; done | sort -n |
    awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f ms, max %.1f ms", a[int((NR+1)/2)]*1000, a[1]*1000, a[NR]*1000}')
  after=$(calls)
  echo "$path: $times; $(( (after - before) / N )) statements a read"
done
kill "$pid"
wait "$pid" 2>/dev/null || true
rm -f "$jar"

#!/bin/sh
# booking_pgbench.sh — the SQL of a booking write on PostgreSQL, without HTTP or the load
# generator: pgbench runs each variant of the transaction on a database left by
# bench/booking_load.mjs (50 programs, 1,600 children) and reports transactions per second and
# PostgreSQL backend CPU per transaction. With many clients the audit chain's head row, locked
# until commit, makes the transactions queue; what runs inside that lock decides the rate.
#
#   sh bench/booking_pgbench.sh                  CLIENTS=8 DURATION=5 RUNS=2 (BUILD=build, as booking.sh)
#
# Variants (each inserts a cancelled booking, so the programs' free places do not change, and
# appends an audit row; the fields and hashes are fixed text):
#   old      BEGIN, child FOR UPDATE, class rows FOR UPDATE, re-read, INSERT, audit in three
#            statements (UPDATE head RETURNING, INSERT, UPDATE head), COMMIT: 10 round trips
#   one      the same with the audit append in one statement (server-side sha256), COMMIT apart
#   new      BEGIN + class rows FOR UPDATE in one round trip (no child lock: a unique index),
#            re-read, INSERT, the one-statement append + COMMIT in one round trip: 4 round trips
#   read     the refusal read alone (the statement most requests run)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CLIENTS=${CLIENTS:-8} DURATION=${DURATION:-5} RUNS=${RUNS:-2}
command -v pgbench >/dev/null || { echo "booking_pgbench.sh: pgbench not found (postgresql-client)" >&2; exit 2; }
echo "booking_pgbench.sh $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# a database with the booking bench's data (2 s of load fills the programs)
out=$(KEEP_DB=1 WARMUP=1 DURATION=1 TUOYU_DB_KIND=pg TUOYU_BIN=$PWD/$BUILD/tuoyu node bench/booking_load.mjs)
conninfo=$(echo "$out" | sed -n 's/^KEEP_DB: the database stays: //p')
db=$(echo "$conninfo" | sed 's/.*dbname=\([^ ]*\).*/\1/')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; sh tools/pg-test.sh --drop "$db"' EXIT
q() { psql -X -A -t -c "$1" "$conninfo"; }
inst=$(q "SELECT MIN(id) || ' ' || MAX(id) FROM institution WHERE name LIKE '抢约基准托育园%'")
child=$(q "SELECT MIN(c.id) || ' ' || MAX(c.id) FROM child c JOIN app_user u ON u.id = c.family_user_id WHERE u.login LIKE 'bench-family-%'")
user=$(q "SELECT MIN(id) FROM app_user WHERE login LIKE 'bench-family-%'")
set -- $inst $child

vars="\\set inst random($1, $2)
\\set child random($3, $4)"
read_sql="SELECT ch.family_user_id, ch.birth_date, (SELECT value FROM param WHERE district_code = '330304' AND key = 'class.toddler_old.min_months' AND valid_from <= '2026-07-01' AND (valid_to IS NULL OR valid_to >= '2026-07-01') ORDER BY valid_from DESC LIMIT 1), (SELECT value FROM param WHERE district_code = '330304' AND key = 'class.toddler_old.max_months' AND valid_from <= '2026-07-01' AND (valid_to IS NULL OR valid_to >= '2026-07-01') ORDER BY valid_from DESC LIMIT 1), (SELECT COUNT(*) FROM booking WHERE child_id = ch.id AND status = 'booked'), p.capacity, p.enrolled, p.classes, p.status, h.held FROM child ch, (SELECT COALESCE(SUM(c.capacity), 0) AS capacity, COALESCE(SUM(c.enrolled), 0) AS enrolled, COUNT(c.id) AS classes, MAX(i.status) AS status FROM institution i LEFT JOIN institution_class c ON c.institution_id = i.id AND c.class_type = 'toddler_old' WHERE i.id = :inst AND i.district_code = '330304') p, (SELECT COUNT(*) AS held FROM held_place WHERE institution_id = :inst AND class_type = 'toddler_old') h WHERE ch.id = :child AND ch.district_code = '330304';"
lock_child="SELECT id FROM child WHERE id = :child FOR UPDATE;"
lock_class="SELECT id FROM institution_class WHERE institution_id = :inst AND class_type = 'toddler_old' FOR UPDATE;"
insert="INSERT INTO booking (district_code, child_id, institution_id, class_type, start_month, status, family_user_id, created_at) VALUES ('330304', :child, :inst, 'toddler_old', '2026-07', 'cancelled', $user, '2026-06-01T02:00:00Z') RETURNING id;"
audit3="UPDATE audit_head SET seq = seq + 1 WHERE district_code = '330304' RETURNING seq, last_hash \\gset
INSERT INTO audit_log (id, district_code, at, user_id, login, action, target_type, target_id, fields, request_id, prev_hash, hash) VALUES (:seq, '330304', '2026-06-01T02:00:00Z', $user, 'bench-family-0', 'booking.create', 'booking', '1', '{\"child_id\":1}', 'req-1', :last_hash, md5(:last_hash) || md5(:last_hash));
UPDATE audit_head SET last_hash = md5(:last_hash) || md5(:last_hash) WHERE district_code = '330304';"
audit1="WITH head AS (SELECT seq + 1 AS id, last_hash AS prev FROM audit_head WHERE district_code = '330304' FOR UPDATE), link AS (SELECT id, prev, encode(sha256(convert_to(prev || E'\\n' || CAST(id AS TEXT) || E'\\n', 'UTF8') || convert_to(E'2026-06-01T02:00:00Z\\n$user\\nbench-family-0\\nbooking.create\\nbooking\\n1\\n{\"child_id\":1}\\nreq-1\\n', 'UTF8')), 'hex') AS hash FROM head), ins AS (INSERT INTO audit_log (id, district_code, at, user_id, login, action, target_type, target_id, fields, request_id, prev_hash, hash) SELECT link.id, '330304', '2026-06-01T02:00:00Z', $user, 'bench-family-0', 'booking.create', 'booking', '1', '{\"child_id\":1}', 'req-1', link.prev, link.hash FROM (SELECT 1) one LEFT JOIN link ON true) UPDATE audit_head SET seq = link.id, last_hash = link.hash FROM link WHERE audit_head.district_code = '330304';"

printf '%s\nBEGIN;\n%s\n%s\n%s\n%s\n%s\nCOMMIT;\n' "$vars" "$lock_child" "$lock_class" "$read_sql" "$insert" "$audit3" > "$tmp/old.sql"
printf '%s\nBEGIN;\n%s\n%s\n%s\n%s\n%s\nCOMMIT;\n' "$vars" "$lock_child" "$lock_class" "$read_sql" "$insert" "$audit1" > "$tmp/one.sql"
printf '%s\n\\startpipeline\nBEGIN;\n%s\n\\endpipeline\n%s\n%s\n\\startpipeline\n%s\nCOMMIT;\n\\endpipeline\n' \
  "$vars" "$lock_class" "$read_sql" "$insert" "$audit1" > "$tmp/new.sql"
printf '%s\n%s\n' "$vars" "$read_sql" > "$tmp/read.sql"

tick=$(getconf CLK_TCK)
backend_cpu() { # clock ticks of the backends serving $db
  s=0
  for p in $(pgrep -f "postgres: .* tuoyu $db " || true); do
    t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
    s=$((s + t))
  done
  echo $s
}
run() { # variant clients
  PGPASSWORD=tuoyu pgbench -n -h 127.0.0.1 -U tuoyu -M prepared -c "$2" -j 1 -T "$DURATION" -f "$tmp/$1.sql" "$db" > "$tmp/out" 2>&1 &
  pid=$!
  sleep 1 # the backends exist; measure the middle of the run
  a=$(backend_cpu); t0=$(date +%s.%N)
  sleep $((DURATION - 2))
  b=$(backend_cpu); t1=$(date +%s.%N)
  wait $pid || { cat "$tmp/out" >&2; exit 1; }
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$tmp/out" | head -1)
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$tmp/out")
  awk -v v="$1" -v c="$2" -v tps="$tps" -v lat="$lat" -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" -v tick="$tick" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      printf "  %-5s %2d clients  %7.0f transactions/s  latency %6.2f ms  backend CPU %.3f ms per transaction  (load %s)\n",
        v, c, tps, lat, (b - a) / tick * 1000 / (tps * (t1 - t0)), load }'
}
i=1
while [ "$i" -le "$RUNS" ]; do
  echo "== run $i"
  for v in old one new; do run $v "$CLIENTS"; done
  for v in old one new read; do run $v 1; done
  i=$((i + 1))
done

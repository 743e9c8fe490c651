#!/bin/sh
# booking.sh — the booking load benchmark of issue 5 ("Speed": 200 concurrent clients over
# loopback, ≥ 1,000 booking requests per second answered, p99 < 50 ms, zero overbooking) on
# SQLite and on PostgreSQL, RUNS times each (the box is shared: repeat), and optionally the
# instructions per request under valgrind callgrind (noise-free).
#
#   BUILD=build sh bench/booking.sh                 3 paced runs per database (1,200 requests/s offered)
#   RUNS=1 KINDS=sqlite sh bench/booking.sh
#   RATE=0 sh bench/booking.sh                      closed loop instead: the most the box answers
#   CALLGRIND=1 sh bench/booking.sh                 also: instructions per create_booking / cancel_booking
#
# Other variables go through to bench/booking_load.mjs (DURATION WARMUP CLIENTS PROGRAMS CAPACITY
# KIDS CHURN THREADS). PostgreSQL comes from tools/pg-test.sh, as in the API tests.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=${TUOYU_BIN:-$PWD/$BUILD/tuoyu}
RUNS=${RUNS:-3}
KINDS=${KINDS:-"sqlite pg"}
export RATE=${RATE:-1200} THREADS=${THREADS:-8}
[ -x "$BIN" ] || { echo "booking.sh: no $BIN (make BUILD=$BUILD bin)" >&2; exit 2; }
echo "booking.sh $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for kind in $KINDS; do
  [ "$kind" = pg ] && sh tools/pg-test.sh >/dev/null
  i=1
  while [ "$i" -le "$RUNS" ]; do
    echo "== $kind run $i"
    TUOYU_DB_KIND=$kind TUOYU_BIN=$BIN node bench/booking_load.mjs || status=1
    i=$((i + 1))
  done
done
if [ "${CALLGRIND:-0}" = 1 ]; then
  out=$(mktemp -d)
  cat > "$out/vg.sh" <<EOF
#!/bin/sh
if [ "\$1" = serve ]; then exec valgrind --tool=callgrind --callgrind-out-file=$out/callgrind.out "$BIN" "\$@"; fi
exec "$BIN" "\$@"
EOF
  chmod +x "$out/vg.sh"
  echo "== callgrind: sequential requests (bench/booking_cost.mjs), SQLite, server --threads 1"
  TUOYU_DB_KIND=sqlite TUOYU_BIN="$out/vg.sh" node bench/booking_cost.mjs
  # inclusive instructions and calls of each handler, as called from the request callback
  callgrind_annotate --threshold=100 --inclusive=yes --tree=caller "$out/callgrind.out" 2>/dev/null |
    awk '/< .*on_request \(/ { line = $0; next }
         line != "" && /\* .*:(create_booking|cancel_booking|auth_before)( |$)/ {
           split(line, a, " "); n = a[1]; gsub(",", "", n); c = line; sub(/.*\(/, "", c); sub(/x\).*/, "", c); gsub(",", "", c)
           f = $0; sub(/.*:/, "", f); sub(/ .*/, "", f)
           printf "  %-16s %8d calls %10.0f instructions per call\n", f, c, n / c }
         { line = "" }'
  [ -n "${KEEP:-}" ] || rm -rf "$out"
fi
exit $status

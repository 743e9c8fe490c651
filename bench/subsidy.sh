#!/bin/sh
# subsidy.sh — benchmark of `tuoyu subsidy childcare` (issue 18): N generated children (default
# 1,000,000; birth dates spread over 2021–2026) through the CSV batch on one core, three runs,
# rows per second of CPU time (user + system) and of wall time. Target: ≥ 2 million rows/s.
#   sh bench/subsidy.sh [N]    (needs build/tuoyu: make bin; and /usr/bin/time)
set -eu
cd "$(dirname "$0")/.."
bin=${TUOYU_BIN:-build/tuoyu}
n=${1:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" migrate --db "$dir/rules.db" >/dev/null
awk -v n="$n" 'BEGIN { print "id,birth_date"; s = 12345;
  for (i = 0; i < n; i++) { s = (s * 1103515245 + 12345) % 2147483648;
    printf "%d,%04d-%02d-%02d\n", i, 2021 + s % 6, 1 + int(s / 7) % 12, 1 + int(s / 97) % 28 } }' > "$dir/in.csv"
for i in 1 2 3; do
  /usr/bin/time -f "%U %S %e" -o "$dir/time" "$bin" subsidy childcare --year 2026 --date 2026-12-04 \
    --db "$dir/rules.db" < "$dir/in.csv" > "$dir/out.csv"
  read -r user sys wall < "$dir/time"
  awk -v n="$n" -v u="$user" -v s="$sys" -v w="$wall" -v sum="$(cksum < "$dir/out.csv" | cut -d' ' -f1)" \
    'BEGIN { printf "%d rows: %.2f M rows/s of CPU (%.2f s), %.2f M rows/s wall (%.2f s); output cksum %s\n",
             n, n / (u + s) / 1e6, u + s, n / w / 1e6, w, sum }'
done

#!/bin/sh
# workdays.sh — benchmark of the working-day calendar (issue 13): date_add_working_days and
# date_is_working_day on the shipped calendar, N calls (default 20,000,000) on one core.
# Target: >= 10 million date_add_working_days calls per second.
#   sh bench/workdays.sh [N]            build with the project's flags (-O2) and run three times
#   CALLGRIND=1 sh bench/workdays.sh N  also count instructions with valgrind --tool=callgrind
set -eu
cd "$(dirname "$0")/.."
out=${BUILD:-build}/bench
mkdir -p "$out"
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -o "$out/workdays_bench" \
   bench/workdays_bench.c src/base/workdays.c src/base/date.c src/base/csv.c src/base/err.c
n=${1:-20000000}
for i in 1 2 3; do "$out/workdays_bench" "$n"; done
if [ "${CALLGRIND:-0}" = 1 ]; then
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.workdays" "$out/workdays_bench" "$n" 2>&1 | grep -E "Collected|refs"
fi

#!/bin/sh
# growth.sh — benchmark of the growth engine (issue 3): all indicators for N generated
# measurements (default 1,000,000) through growth_zscores() and growth_zscores_2007() on one
# core. Target: >= 2 million indicator values per second.
#   sh bench/growth.sh [N]            build with the project's flags (-O2) and run
#   CALLGRIND=1 sh bench/growth.sh N  also count instructions with valgrind --tool=callgrind
set -eu
cd "$(dirname "$0")/.."
out=${BUILD:-build}/bench
mkdir -p "$out"
sh tools/gen_who_tables.sh > "$out/who_tables.c"
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -o "$out/growth_bench" \
   bench/growth_bench.c src/growth/growth.c "$out/who_tables.c" src/base/err.c -lm
n=${1:-1000000}
for i in 1 2 3; do "$out/growth_bench" "$n"; done
if [ "${CALLGRIND:-0}" = 1 ]; then
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.growth" "$out/growth_bench" "$n" 2>&1 | grep -E "Collected|refs"
fi

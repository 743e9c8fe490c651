#!/bin/sh
# outbreak.sh — benchmark of the outbreak early warning engine (issue 15 item 6): a year of a
# district's check rows scanned institution by institution (bench/outbreak_bench.c).
# Target: >= 10 million check rows scanned per second on one core.
#   sh bench/outbreak.sh [ROUNDS]   build with the project's flags (-O2) and run ROUNDS times (3)
set -eu
cd "$(dirname "$0")/.."
out=${BUILD:-build}/bench
mkdir -p "$out"
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -o "$out/outbreak_bench" bench/outbreak_bench.c src/care/outbreak.c
"$out/outbreak_bench" "${1:-3}"

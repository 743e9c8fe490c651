#!/bin/sh
# db.sh — cost of a point read through src/db/ on SQLite and PostgreSQL, against the raw client
# libraries (statement cache and PostgreSQL execution path decided from this), and SQLite commits
# per second with synchronous=FULL.
#   sh bench/db.sh [N]               SQLite (default N = 200000; PostgreSQL N/10 when TUOYU_TEST_PG is set)
#   CALLGRIND=1 sh bench/db.sh [N]   also count instructions per SQLite point read with callgrind
set -eu
cd "$(dirname "$0")/.."
out=${BUILD:-build}/bench
mkdir -p "$out"
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc $(pkg-config --cflags sqlite3 libpq) -o "$out/db_bench" \
   bench/db_bench.c src/db/db.c src/db/sqlite.c src/db/pg.c src/db/migrate.c src/base/err.c \
   -x c - $(pkg-config --libs sqlite3 libpq) -lpthread <<'C'
#include "base/embed.h"
const struct embedded_file db_migrations[] = {{0, 0}};
C
n=${1:-200000}
for i in 1 2 3; do "$out/db_bench" sqlite "$n"; done
"$out/db_bench" commit 2000 -
if [ -n "${TUOYU_TEST_PG:-}" ]; then
  for i in 1 2 3; do "$out/db_bench" pg $((n / 10)) "$TUOYU_TEST_PG"; done
fi
if [ "${CALLGRIND:-0}" = 1 ]; then
  # instructions per SQLite point read (20000 reads; the API figure includes 1000 warm-up reads)
  for f in bench_api bench_sqlite_prepare_each bench_sqlite_kept; do
    printf '%s: ' "$f"
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.db.$f" --toggle-collect="$f" \
      "$out/db_bench" sqlite 20000 2>&1 | awk '/refs/ { gsub(",", "", $4); print $4 " instructions" }'
  done
fi

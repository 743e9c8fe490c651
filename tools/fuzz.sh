#!/bin/sh
# fuzz.sh — build every tests/fuzz/fuzz_*.c as a libFuzzer binary (clang, AddressSanitizer and
# UBSan) and run each one for a bounded time; exits non-zero when any target crashes, leaks,
# trips a sanitizer or an invariant (abort), or when something does not build. Used by `make fuzz`.
#
#   FUZZ_SECONDS=30   seconds per target (libFuzzer -max_total_time)
#   FUZZ_RUNS=N       instead: run each target for N executions (-runs; the recorded long run uses
#                     10000000), however long that takes
#   FUZZ_SEED=N       libFuzzer -seed (default 0: random); CI fixes it so a run is repeatable
#   FUZZ_BUILD=build-fuzz   where objects, binaries, corpora and crash inputs go
#   FUZZ_TARGETS="csv uscc"  only these targets (default: all)
#   FUZZ_JOBS=2       parallel compiles
#
# The library (every src/**/*.c but src/main.c, plus the generated migrations, tables and schemas) is
# compiled with coverage instrumentation into an archive, so each target links only the objects
# it needs.
# Seeds come from tests/fuzz/corpus/<name>/ when present; findings are written to the build dir
# as crash-<name>-… and the command to reproduce is printed.
set -eu
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
OUT=${FUZZ_BUILD:-build-fuzz}
JOBS=${FUZZ_JOBS:-2}

if ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y --no-install-recommends clang libclang-rt-14-dev >&2
  else
    echo "fuzz.sh: clang is missing (apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
  fi
fi
CC=${FUZZ_CC:-clang}

PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wno-unused-parameter -Isrc -I$OUT/gen $(pkg-config --cflags $PKGS) $SAN"
LDLIBS="$(pkg-config --libs $PKGS) -lglpk -lm -lpthread"

mkdir -p "$OUT/obj" "$OUT/gen"
sh tools/embed.sh db_migrations $(ls src/db/migrations/*.sql | sort) > "$OUT/gen/migrations.c"
sh tools/gen_who_tables.sh > "$OUT/gen/who_tables.c"
sh tools/gen_common_passwords.sh > "$OUT/gen/common_passwords.c"
cc -O1 -o "$OUT/gen_schemas" tools/gen_schemas.c $(pkg-config --cflags --libs jansson)
for json in $(find src -name '*.schemas.json' | sort); do
  inc="$OUT/gen/${json#src/}"
  mkdir -p "$(dirname "$inc")"
  "$OUT/gen_schemas" "$json" > "${inc%.json}.inc"
done

# compile the library with coverage instrumentation (no libFuzzer main)
find src -name '*.c' ! -path src/main.c | sort > "$OUT/sources"
printf '%s\n' "$OUT/gen/migrations.c" "$OUT/gen/who_tables.c" "$OUT/gen/common_passwords.c" >> "$OUT/sources"
export CC CFLAGS OUT
rm -f "$OUT/failed"
xargs -P "$JOBS" -I{} sh -c '
  src="$1"; obj="$OUT/obj/$(echo "$src" | tr / _).o"
  $CC $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2>"$obj.log" || { cat "$obj.log" >&2; echo "$src" >> "$OUT/failed"; }
' _ {} < "$OUT/sources"
status=0
if [ -s "$OUT/failed" ]; then
  # still fuzz what links (the archive supplies only what a target needs), but fail at the end
  echo "fuzz.sh: these sources do not compile (the run will fail):" >&2
  cat "$OUT/failed" >&2
  status=1
  while read -r src; do rm -f "$OUT/obj/$(echo "$src" | tr / _).o"; done < "$OUT/failed"
fi
rm -f "$OUT/libtuoyu-fuzz.a"
ar rcs "$OUT/libtuoyu-fuzz.a" "$OUT"/obj/*.o
for f in tests/fuzz/fuzz_*.c; do
  name=$(basename "$f" .c)
  name=${name#fuzz_}
  if [ -n "${FUZZ_TARGETS:-}" ]; then
    case " $FUZZ_TARGETS " in *" $name "*) ;; *) continue ;; esac
  fi
  bin="$OUT/fuzz_$name"
  echo "== fuzz_$name: build" >&2
  # shellcheck disable=SC2086
  if ! $CC $CFLAGS -fsanitize=fuzzer -o "$bin" "$f" "$OUT/libtuoyu-fuzz.a" $LDLIBS; then
    echo "fuzz.sh: fuzz_$name does not build" >&2
    status=1
    continue
  fi
  corpus="$OUT/corpus/$name"
  mkdir -p "$corpus"
  seeds=""
  [ -d "tests/fuzz/corpus/$name" ] && seeds="tests/fuzz/corpus/$name"
  if [ -n "${FUZZ_RUNS:-}" ]; then
    limit="-runs=$FUZZ_RUNS"
    echo "== fuzz_$name: $FUZZ_RUNS executions" >&2
  else
    limit="-max_total_time=$FUZZ_SECONDS"
    echo "== fuzz_$name: ${FUZZ_SECONDS}s" >&2
  fi
  # shellcheck disable=SC2086
  if ! "$bin" -seed="${FUZZ_SEED:-0}" "$limit" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$OUT/crash-$name-" "$corpus" $seeds > "$OUT/fuzz_$name.log" 2>&1; then
    tail -n 60 "$OUT/fuzz_$name.log" >&2
    echo "fuzz.sh: fuzz_$name FAILED; reproduce with: $bin $OUT/crash-$name-*" >&2
    status=1
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|cov:' "$OUT/fuzz_$name.log" | tail -n 3 >&2 || true
  fi
done
exit $status

#!/bin/sh
# alloc.sh — benchmark of the allocation engine and `tuoyu allocate` (issue 5):
#   1. alloc_run() on 100,000 children x 5 choices over 1,500 programs (target < 100 ms): wall and
#      CPU time over REPEAT runs, three times; with CALLGRIND=1 also the instruction count of
#      alloc_run (valgrind --tool=callgrind, stable on a busy machine);
#   2. `tuoyu allocate` on the same instance written as CSV (about 11 MB; target < 1 s including
#      parsing), with hyperfine when installed, else /usr/bin/time;
#   3. the CLI's output compared with bench/alloc/reference.py, an independent Python
#      implementation (round-by-round Gale–Shapley; the lottery from Python's ChaCha20), on the
#      full instance (with its lottery numbers, and with numbers drawn from a seed) and on
#      DIFF random small instances (default 200).
# Usage: sh bench/alloc.sh [OUTDIR]   (BUILD=build dir holding tuoyu, default build; REPEAT=21;
#        DIFF=200; CALLGRIND=1). Generated files go to OUTDIR (default /tmp/tuoyu-alloc-bench).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${1:-/tmp/tuoyu-alloc-bench}
REPEAT=${REPEAT:-21}
DIFF=${DIFF:-200}
TUOYU=$BUILD/tuoyu
mkdir -p "$OUT" "$BUILD/bench"
[ -x "$TUOYU" ] || make BUILD="$BUILD" bin >/dev/null
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -o "$BUILD/bench/alloc_bench" \
   bench/alloc/alloc_bench.c src/alloc/alloc.c src/alloc/lottery.c src/base/err.c -lsodium -lm
B=$BUILD/bench/alloc_bench

echo "== 1. engine: alloc_run, 100,000 children x 5 choices, 1,500 programs"
for i in 1 2 3; do "$B" run 100000 1500 "$REPEAT"; done
if [ "${CALLGRIND:-0}" = 1 ]; then
  valgrind --tool=callgrind --toggle-collect=alloc_run --callgrind-out-file="$OUT/callgrind.alloc_run" \
    "$B" run 100000 1500 1 2>&1 | grep -E "refs" | sed "s/^==[0-9]*== */alloc_run instructions (1 run): /"
  valgrind --tool=callgrind --toggle-collect=alloc_lottery --callgrind-out-file="$OUT/callgrind.alloc_lottery" \
    "$B" run 100000 1500 1 2>&1 | grep -E "refs" | sed "s/^==[0-9]*== */alloc_lottery incl. libsodium, 2 draws of 100,000 numbers: /"
fi

echo "== 2. CLI: tuoyu allocate on CSV files"
"$B" csv "$OUT" 100000 1500
ls -l "$OUT"/programs.csv "$OUT"/children.csv "$OUT"/applications.csv
CMD="$TUOYU allocate --programs $OUT/programs.csv --children $OUT/children.csv --applications $OUT/applications.csv"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 1 --runs "${RUNS:-10}" --output=null "$CMD"
else
  for i in 1 2 3 4 5; do /usr/bin/time -f "%e s wall, %U s user, %M KB" $CMD >/dev/null; done
fi
/usr/bin/time -f "peak memory: %M KB" $CMD >/dev/null
if [ "${CALLGRIND:-0}" = 1 ]; then
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.cli" $CMD 2>&1 >/dev/null | grep -E "refs" |
    sed "s/^==[0-9]*== */tuoyu allocate instructions: /"
fi

echo "== 3. agreement with the independent reference (bench/alloc/reference.py)"
$CMD > "$OUT/out.csv"
python3 bench/alloc/reference.py "$OUT/programs.csv" "$OUT/children.csv" "$OUT/applications.csv" > "$OUT/ref.csv"
cmp "$OUT/out.csv" "$OUT/ref.csv" && echo "full instance: all $(($(wc -l < "$OUT/out.csv") - 1)) assignments agree"
SEED=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
$CMD --seed $SEED > "$OUT/out-seed.csv"
python3 bench/alloc/reference.py "$OUT/programs.csv" "$OUT/children.csv" "$OUT/applications.csv" --seed $SEED > "$OUT/ref-seed.csv"
cmp "$OUT/out-seed.csv" "$OUT/ref-seed.csv" && echo "full instance, lottery drawn from seed $SEED: all assignments and lottery numbers agree"
mkdir -p "$OUT/small"
i=1
while [ "$i" -le "$DIFF" ]; do
  n=$((2 + i % 37)); p=$((1 + i % 7))
  "$B" csv "$OUT/small" "$n" "$p" "$i"
  S="$OUT/small"
  $TUOYU allocate --programs "$S/programs.csv" --children "$S/children.csv" --applications "$S/applications.csv" > "$S/out.csv"
  python3 bench/alloc/reference.py "$S/programs.csv" "$S/children.csv" "$S/applications.csv" > "$S/ref.csv"
  cmp -s "$S/out.csv" "$S/ref.csv" || { echo "small instance $i ($n children, $p programs) differs: see $S"; exit 1; }
  i=$((i + 1))
done
echo "$DIFF small instances (2-38 children, 1-7 programs): all agree"

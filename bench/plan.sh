#!/bin/sh
# bench/plan.sh — planning engine benchmarks (issue 4):
#   1. central Chengdu (data/osm/chengdu-central.osm): load + coverage, 10,000 demand points and
#      300 sites (target < 0.5 s), wall time over repeated runs and instruction count (callgrind);
#   2. a generated 1,000,000-node network: the same (target < 3 s, < 1 GiB), /usr/bin/time -v,
#      PBF and XML;
#   3. pgRouting pgr_drivingDistance from every site with the same limit on the same graph
#      (exported with `tuoyu plan export`), wall time ratio.
# Usage: sh bench/plan.sh [OUTDIR]   (TUOYU=path/to/tuoyu, default build/tuoyu; REPEAT=5;
#        SKIP_PG=1 to skip pgRouting; PGDB=tuoyu_plan_bench; PSQL="psql" how to reach PostgreSQL)
# Generated files go to OUTDIR (default /tmp/tuoyu-plan-bench), never into the repository.
set -eu
cd "$(dirname "$0")/.."
TUOYU=${TUOYU:-build/tuoyu}
OUT=${1:-/tmp/tuoyu-plan-bench}
REPEAT=${REPEAT:-5}
PGDB=${PGDB:-tuoyu_plan_bench}
PSQL=${PSQL:-psql}
mkdir -p "$OUT"
NET=data/osm/chengdu-central.osm

# random points in a box, deterministic (awk srand seed)
points() { # n seed lon0 lon1 lat0 lat1 kind(demand|sites)
    awk -v n="$1" -v seed="$2" -v lo0="$3" -v lo1="$4" -v la0="$5" -v la1="$6" -v kind="$7" 'BEGIN {
        srand(seed);
        if (kind == "demand") print "id,lon,lat,population,children_0_3"; else print "id,lon,lat,places";
        for (i = 0; i < n; i++) {
            lon = lo0 + rand() * (lo1 - lo0); lat = la0 + rand() * (la1 - la0);
            if (kind == "demand") printf "d%d,%.7f,%.7f,%d,%d\n", i, lon, lat, 50 + int(rand() * 3000), int(rand() * 90);
            else printf "s%d,%.7f,%.7f,%d\n", i, lon, lat, 10 + int(rand() * 140);
        }
    }'
}

echo "== machine: $(nproc) cores, $(uname -srm), $(date -u +%FT%TZ)"
echo "== binary: $TUOYU"

# ---- 1. Chengdu ---------------------------------------------------------------------------
# the <bounds> box of the extract: lon 104.0421..104.1296, lat 30.6528..30.7279
points 10000 1 104.0421 104.1296 30.6528 30.7279 demand > "$OUT/cd-demand.csv"
points 300 2 104.0421 104.1296 30.6528 30.7279 sites > "$OUT/cd-sites.csv"
CMD="$TUOYU plan coverage --network $NET --demand $OUT/cd-demand.csv --sites $OUT/cd-sites.csv --out $OUT/cd-cov.csv"
echo "== 1. Chengdu load + coverage, 10,000 demand x 300 sites"
echo "\$ $CMD"
i=0
while [ $i -lt "$REPEAT" ]; do
    /usr/bin/time -f "run $i: %e s wall, %U s user, %M KiB max RSS" $CMD
    i=$((i + 1))
done
if command -v valgrind >/dev/null 2>&1; then
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cd.callgrind" $CMD 2>&1 | grep -E "Collected" || true
fi
awk -F, 'NR > 1 { n++; c += $4; if ($2 != "") r++ } END { printf "rows %d, covered %d, with a site within max-minutes %d\n", n, c, r }' "$OUT/cd-cov.csv"

# ---- 2. one million nodes -----------------------------------------------------------------
echo "== 2. generated 1,000,000-node network"
for fmt in osm.pbf osm; do
    $TUOYU plan gen-network --nodes 1000000 --seed 1 --out "$OUT/gen1m.$fmt"
    ls -l "$OUT/gen1m.$fmt" | awk '{ print "file", $NF, $5, "bytes" }'
done
# the generator's box: origin 27.95 N 120.55 E, 1000 x 90 m each way
points 10000 3 120.55 121.45 27.95 28.75 demand > "$OUT/g-demand.csv"
points 300 4 120.55 121.45 27.95 28.75 sites > "$OUT/g-sites.csv"
for fmt in osm.pbf osm; do
    CMD="$TUOYU plan coverage --network $OUT/gen1m.$fmt --demand $OUT/g-demand.csv --sites $OUT/g-sites.csv --out $OUT/g-cov-$fmt.csv"
    echo "\$ /usr/bin/time -v $CMD"
    i=0
    while [ $i -lt 3 ]; do
        /usr/bin/time -v $CMD 2>&1 | awk -v i=$i '/Elapsed/ { w = $NF } /User time/ { u = $NF } /Maximum resident/ { m = $NF }
            END { printf "run %d: %s wall, %s s user, %.0f MiB max RSS\n", i, w, u, m / 1024 }'
        i=$((i + 1))
    done
done
cmp "$OUT/g-cov-osm.pbf.csv" "$OUT/g-cov-osm.csv" && echo "PBF and XML give identical output"

# ---- 3. pgRouting ---------------------------------------------------------------------------
[ "${SKIP_PG:-0}" = 1 ] && exit 0
echo "== 3. pgr_drivingDistance from every site, same graph, same limit"
bench_pg() { # name network sites
    name=$1
    $TUOYU plan export --network "$2" --edges "$OUT/$name-edges.csv" --sites "$3" --snapped "$OUT/$name-snapped.csv"
    # the limit: max(--minutes 15, --max-minutes 60) at 4 km/h = 4000 m
    $PSQL -q -d "$PGDB" -v ON_ERROR_STOP=1 <<EOF
DROP TABLE IF EXISTS ${name}_edges, ${name}_sites;
CREATE TABLE ${name}_edges (id bigint, source bigint, target bigint, cost double precision);
CREATE TABLE ${name}_sites (id text, node bigint, snap_m double precision);
\copy ${name}_edges FROM '$OUT/$name-edges.csv' CSV HEADER
\copy ${name}_sites FROM '$OUT/$name-snapped.csv' CSV HEADER
ANALYZE ${name}_edges;
EOF
    sites=$(wc -l < "$3")
    sites=$((sites - 1))
    echo "$name: $(($(wc -l < "$OUT/$name-edges.csv") - 1)) edges, $sites sites"
    # one query from all sites (equicost false = a separate search per site), timed by psql
    $PSQL -d "$PGDB" -v ON_ERROR_STOP=1 <<EOF | grep -E "Time|^ *[0-9]+$"
\timing on
SELECT count(*) FROM pgr_drivingDistance(
  'SELECT id, source, target, cost, cost AS reverse_cost FROM ${name}_edges',
  (SELECT array_agg(DISTINCT node) FROM ${name}_sites), 4000, directed => false);
SELECT count(*) FROM pgr_drivingDistance(
  'SELECT id, source, target, cost, cost AS reverse_cost FROM ${name}_edges',
  (SELECT array_agg(DISTINCT node) FROM ${name}_sites), 4000, directed => false);
EOF
}
# tuoyu's own time for the same searches (bench/plan_bench.c: load, snap, then the 300 bounded
# Dijkstra searches alone, repeated)
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -o "$OUT/plan_bench" bench/plan_bench.c src/plan/graph.c \
   src/plan/osm.c src/plan/coverage.c src/base/err.c $(pkg-config --libs readosm) -lz -lm
echo "\$ plan_bench $NET (Chengdu)"
"$OUT/plan_bench" "$NET" "$OUT/cd-demand.csv" "$OUT/cd-sites.csv" 5
echo "\$ plan_bench gen1m.osm.pbf"
"$OUT/plan_bench" "$OUT/gen1m.osm.pbf" "$OUT/g-demand.csv" "$OUT/g-sites.csv" 3
bench_pg cd "$NET" "$OUT/cd-sites.csv"
bench_pg g1m "$OUT/gen1m.osm.pbf" "$OUT/g-sites.csv"

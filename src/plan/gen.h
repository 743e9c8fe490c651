/* gen.h — synthetic city-like OpenStreetMap networks for scale tests (`tuoyu plan gen-network`):
 * a perturbed street grid of any size with arterials, dead ends, a meandering river crossed by
 * few bridges, a motorway and private ways (both excluded from the walking graph) and a few
 * detached islands. Writes OSM XML 0.6 or OSM PBF to a stream (with osm.c, the engine's file
 * formats; the rest of src/plan/ is pure). Deterministic for a given seed. */
#ifndef TUOYU_PLAN_GEN_H
#define TUOYU_PLAN_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct plan_gen_params {
    size_t nodes;          /* grid nodes (>= 4); a few extra nodes are added for islands */
    uint64_t seed;
    double origin_lat;     /* south-west corner */
    double origin_lon;
    double spacing_m;      /* mean distance between intersections */
    int arterial_every;    /* every n-th row and column is an arterial (primary/secondary) */
    double dead_end_share; /* share of local street segments removed (creates dead ends) */
    int bridge_every;      /* one bridge every n columns across the river */
};

/* Defaults: 10,000 nodes, seed 1, origin 27.95 N 120.55 E (Ouhai), 90 m, arterials every
 * 8th line, 8 % dead-end cuts, a bridge every 12 columns. */
void plan_gen_default(struct plan_gen_params *p);

/* Write the network to out as OSM XML (pbf = 0) or as OSM PBF with uncompressed blobs and dense
 * nodes (pbf = 1); coordinates are rounded to 1e-7 degree in both. Returns 0, or -1 on a write
 * or allocation failure. */
int plan_gen_write(const struct plan_gen_params *p, int pbf, FILE *out);

#endif

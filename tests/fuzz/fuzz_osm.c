/* fuzz_osm.c — fuzz target for the OSM loader (readosm + graph building + snapping + a bounded
 * search). readosm only reads named files, so each input is written to a per-process temporary
 * file: as .osm XML, or as .osm.pbf when the first byte is odd (the byte is dropped).
 * Build: clang -g -O1 -fsanitize=fuzzer,address -Isrc tests/fuzz/fuzz_osm.c <library objects>
 *        $(pkg-config --libs readosm jansson) -lglpk -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "plan/graph.h"
#include "plan/osm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int pbf = data[0] & 1;
    char path[64];
    snprintf(path, sizeof path, "/tmp/tuoyu-fuzz-osm-%d.%s", (int)getpid(), pbf ? "osm.pbf" : "osm");
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    struct plan_graph *g = NULL;
    struct err e = {0};
    if (plan_osm_load(path, &g, &e) == 0) {
        double d;
        uint32_t v = plan_graph_snap(g, (g->min_lat + g->max_lat) / 2, (g->min_lon + g->max_lon) / 2, &d);
        struct plan_search s;
        if (v < g->n && plan_search_init(&s, g) == 0) {
            plan_search_run(&s, g, v, 1000);
            plan_search_free(&s);
        }
        plan_graph_free(g);
    }
    unlink(path);
    return 0;
}

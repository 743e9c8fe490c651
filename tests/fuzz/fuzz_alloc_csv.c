/* fuzz_alloc_csv.c — fuzz target for `tuoyu allocate`: arbitrary bytes split at NUL bytes into
 * programs.csv, children.csv and applications.csv (the first byte's low bit asks for lottery
 * numbers drawn from a fixed seed), through the CSV reader, the checks, the engine and the
 * writers. Must never crash, leak or trip the sanitizers; a refused input must say where; an
 * accepted one must give one output row per child and respect every capacity. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int seeded = data[0] & 1;
    const uint8_t *p = data + 1, *end = data + size;
    const uint8_t *part[3];
    size_t len[3];
    for (int k = 0; k < 3; k++) {
        const uint8_t *nul = k < 2 ? memchr(p, 0, (size_t)(end - p)) : NULL;
        const uint8_t *stop = nul ? nul : end;
        part[k] = p;
        len[k] = (size_t)(stop - p);
        p = nul ? nul + 1 : end;
    }
    FILE *f[3];
    for (int k = 0; k < 3; k++) /* fmemopen of 0 bytes fails on some libcs: give it one byte */
        f[k] = len[k] ? fmemopen((void *)part[k], len[k], "r") : fmemopen((void *)"\n", 1, "r");
    if (!f[0] || !f[1] || !f[2]) {
        for (int k = 0; k < 3; k++)
            if (f[k])
                fclose(f[k]);
        return 0;
    }
    static const unsigned char seed[ALLOC_SEED_BYTES] = {7};
    struct alloc_csv_files in = {f[0], f[1], f[2], "programs.csv", "children.csv", "apps.csv", seeded ? seed : NULL};
    struct alloc_csv *a = NULL;
    struct err e = {0};
    if (alloc_csv_read(&in, &a, &e) < 0) {
        if (e.status == 400 && !strstr(e.message, ".csv"))
            abort(); /* a refusal names the file */
    } else if (alloc_csv_solve(a, &e) == 0) {
        const struct alloc_input *ai = alloc_csv_input(a);
        const struct alloc_result *r = alloc_csv_result(a);
        int32_t *count = calloc((size_t)ai->n_programs + 1, sizeof *count);
        if (!count)
            abort();
        for (int32_t c = 0; c < ai->n_children; c++)
            if (r->program[c] != ALLOC_NONE && ++count[r->program[c]] > ai->capacity[r->program[c]])
                abort();
        free(count);
        char *buf = NULL;
        size_t blen = 0;
        FILE *out = open_memstream(&buf, &blen);
        if (out) {
            alloc_csv_write(a, out);
            alloc_csv_write_cutoffs(a, out);
            fclose(out);
            size_t lines = 0;
            for (size_t i = 0; i < blen; i++)
                lines += buf[i] == '\n';
            if (lines < (size_t)ai->n_children + 1 + (size_t)ai->n_programs + 1)
                abort();
            free(buf);
        }
    } else if (e.status != 500) {
        abort(); /* whatever was read and checked, the engine accepts */
    }
    alloc_csv_free(a);
    for (int k = 0; k < 3; k++)
        fclose(f[k]);
    return 0;
}

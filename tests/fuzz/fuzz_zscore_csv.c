/* fuzz_zscore_csv.c — fuzz target for `tuoyu zscore`: arbitrary bytes as the input CSV (the
 * first byte picks --who2007 / --classes), through the CSV reader, the cell parsers and the
 * growth engine. Must never crash, leak or trip the sanitizers; every data row read must give
 * exactly one output row. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "growth/zscore_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int flags = data[0] & (GROWTH_CSV_2007 | GROWTH_CSV_CLASSES);
    FILE *in = fmemopen((void *)(data + 1), size - 1, "r");
    if (size == 1 || !in) {
        if (in)
            fclose(in);
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        fclose(in);
        return 0;
    }
    struct err e;
    long rows = growth_csv_run(in, "fuzz", out, flags, &e);
    fclose(out);
    fclose(in);
    if (rows >= 0) {
        /* header + one line per row (ids may hold quoted newlines, so count at least) */
        size_t lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += buf[i] == '\n';
        if (lines < (size_t)rows + 1)
            abort();
    }
    free(buf);
    return 0;
}

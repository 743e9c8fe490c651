/* fuzz_csv.c — libFuzzer target for the CSV reader (src/base/csv.c): any bytes must give rows
 * or a clean error, never a crash, and every row read must survive a write/read round trip
 * through csv_write_row unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

static int is_blank_row(struct csv_reader *r)
{
    if (csv_count(r) != 1)
        return 0;
    for (const char *p = csv_field(r, 0); *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\v' && *p != '\f')
            return 0;
    return 1;
}

/* write the current row, read it back, compare */
static void round_trip(struct csv_reader *r)
{
    size_t n = csv_count(r);
    const char **fields = malloc(n * sizeof *fields);
    if (!fields)
        return;
    for (size_t i = 0; i < n; i++)
        fields[i] = csv_field(r, i);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        free(fields);
        return;
    }
    csv_write_row(out, fields, n);
    fclose(out);
    FILE *in = fmemopen(buf, len, "r");
    struct csv_reader *back = in ? csv_open(in, "round-trip") : NULL;
    if (back) {
        /* a field starting with EF BB BF at the very start would be taken as a BOM */
        int bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
        int rc = csv_next(back);
        if (!bom && !is_blank_row(r)) {
            if (rc != 1 || csv_count(back) != n)
                abort();
            for (size_t i = 0; i < n; i++)
                if (strcmp(csv_field(back, i), fields[i]) != 0)
                    abort();
            if (csv_next(back) != 0)
                abort();
        }
        csv_close(back);
    }
    if (in)
        fclose(in);
    free(buf);
    free(fields);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return 0;
    struct csv_reader *r = csv_open(f, "fuzz.csv");
    if (!r) {
        fclose(f);
        return 0;
    }
    if (csv_read_header(r) == 0) {
        int col = csv_column(r, "name");
        size_t hn = csv_header_count(r);
        for (size_t i = 0; i < hn; i++)
            (void)strlen(csv_header_name(r, i));
        int rc;
        long last_line = 0;
        while ((rc = csv_next(r)) > 0) {
            if (csv_line(r) <= last_line)
                abort(); /* rows begin on increasing lines */
            last_line = csv_line(r);
            const char *v = csv_get(r, col);
            if (col >= 0 && !v)
                abort();
            round_trip(r);
        }
        if (rc < 0 && !csv_error(r)[0])
            abort(); /* an error always says why */
    }
    csv_close(r);
    fclose(f);
    return 0;
}

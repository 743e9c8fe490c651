/* fuzz_subsidy_csv.c — fuzz target for `tuoyu subsidy`: arbitrary bytes as the input CSV (the
 * first byte picks childcare or construction, and childcare's --year), through the CSV reader,
 * the date and yuan parsers and the subsidy engine. Must never crash, leak or trip the
 * sanitizers; every data row read must give exactly one output row. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funds/subsidy_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    FILE *in = fmemopen((void *)(data + 1), size - 1, "r");
    if (!in)
        return 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        fclose(in);
        return 0;
    }
    struct funds_childcare_rules cr = {.nrates = 2, .max_age_months = 36};
    cr.rates[0] = (struct funds_rate){funds_month_of(2025, 1), funds_month_of(2026, 12), 30000};
    cr.rates[1] = (struct funds_rate){funds_month_of(2027, 1), funds_month_of(9999, 12), 40000};
    struct funds_construction_rules kr = {2, 30000000, 15000000, 4900};
    struct err e;
    long rows = data[0] & 1 ? funds_construction_csv(in, "fuzz", out, &kr, &e)
                            : funds_childcare_csv(in, "fuzz", out, &cr, "2026-12-04", data[0] & 2 ? 2026 : 0, &e);
    fclose(out);
    fclose(in);
    if (rows >= 0) {
        size_t lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += buf[i] == '\n';
        if (lines < (size_t)rows + 1) /* ids may hold quoted newlines: at least one line a row */
            abort();
    }
    free(buf);
    return 0;
}

/* fuzz_sheet.c — libFuzzer target for an uploaded table (base/sheet.c: .xlsx or CSV in any
 * encoding, heading found, columns mapped): never a crash or a leak; a table read has its rows'
 * cells by the columns asked for and their line numbers; a refusal names the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/sheet.h"

static const struct sheet_column COLS[] = {{"机构名称", "name", 1}, {"托位数", "capacity", 0}, {"备注", NULL, 0}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sheet_table t;
    struct err e = {0};
    if (sheet_read((const char *)data, size, COLS, 3, 50, &t, &e) < 0) {
        if (!e.code[0] || (e.status != 500 && strcmp(e.field, "file") != 0))
            abort();
    } else {
        if (t.ncols != 3 || t.nrows > 50)
            abort();
        for (int r = 0; r < t.nrows; r++)
            if (t.line[r] < 1 || !t.cells[r])
                abort();
    }
    sheet_table_free(&t);
    return 0;
}

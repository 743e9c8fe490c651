/* fuzz_xlsx.c — libFuzzer target for the .xlsx reader (src/base/xlsx.c) and the staff import
 * on top of it (base/sheet.h's reader by the staff template's columns): any bytes must give a grid
 * or a clean error, never a crash or a leak. */
#include <stddef.h>
#include <stdint.h>

#include "base/sheet.h"
#include "base/xlsx.h"
#include "staff/staff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e;
    struct xlsx_grid g;
    xlsx_read(data, size, 200, 40, &g, &e);
    xlsx_grid_free(&g);
    struct sheet_table t;
    staff_import_file((const char *)data, size, &t, &e);
    sheet_table_free(&t);
    return 0;
}

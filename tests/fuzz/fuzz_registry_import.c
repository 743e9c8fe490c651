/* fuzz_registry_import.c — libFuzzer target for the institution import (registry/import.c): a
 * table in the template's columns, its values as people write them (money in yuan, 是/否, a town by
 * name, a ratio as 0.2, 20% or 1:5, dates as Excel writes them) turned into request bodies and
 * checked as the API checks them — a preview (dry run), so no database: never a crash or a leak;
 * every error names a row of the file, a column and a code; every institution it would create has
 * a name and a town of the district. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/sheet.h"
#include "registry/import.h"
#include "../unit/registry_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sheet_table t;
    struct err e = {0};
    if (sheet_read((const char *)data, size, registry_import_columns, REGISTRY_IMPORT_COLS, 200, &t, &e) < 0) {
        sheet_table_free(&t); /* the file's own refusal: fuzz_sheet checks those */
        return 0;
    }
    json_t *towns = json_pack("[{s:s, s:s}, {s:s, s:s}]", "code", "330304001", "name", "景山街道", "code", "330304005",
                              "name", "娄桥街道");
    json_t *errors = json_array(), *created = json_array();
    if (registry_import(NULL, "330304", &RULES, towns, &t, "2026-12-04", "2026-12-04T10:00:00+08:00", 1, errors,
                        created, &e) < 0)
        abort(); /* a preview touches no database: nothing but the file can fail */
    size_t i;
    json_t *x;
    json_array_foreach(errors, i, x)
    {
        if (json_integer_value(json_object_get(x, "row")) < 1 || !json_string_value(json_object_get(x, "field")) ||
            !json_string_value(json_object_get(x, "code")) || !json_string_value(json_object_get(x, "reason")))
            abort();
    }
    json_array_foreach(created, i, x)
    {
        const char *town = json_string_value(json_object_get(x, "town_code"));
        if (!json_is_null(json_object_get(x, "id")) || !json_string_value(json_object_get(x, "name")) || !town ||
            (strcmp(town, "330304001") && strcmp(town, "330304005")))
            abort();
    }
    if (json_array_size(created) > (size_t)t.nrows)
        abort();
    json_decref(errors);
    json_decref(created);
    json_decref(towns);
    sheet_table_free(&t);
    return 0;
}

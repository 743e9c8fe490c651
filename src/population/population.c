/* population.c — the rules of a year's population figures (population.h). */
#include "population/population.h"

#include <stdio.h>
#include <string.h>

#include "population/population.schemas.inc"

int population_year_check(int64_t year, int this_year, struct err *e)
{
    if (year < 2000 || year > this_year + 1)
        return err_set(e, 422, "bad_year", "year", "年份应在 2000–%d 之间，收到 %lld", this_year + 1, (long long)year);
    return 0;
}

int population_rows_from_json(const json_t *body, const char *const *known, int nknown, struct population_row *rows,
                              int *n, struct err *e)
{
    *n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(body, "rows"), i, r)
    {
        char field[48];
        struct population_row *row = &rows[*n];
        const char *code = json_string_value(json_object_get(r, "town_code"));
        int k = 0;
        while (k < nknown && strcmp(known[k], code))
            k++;
        snprintf(field, sizeof field, "rows[%zu].town_code", i);
        if (k == nknown)
            return err_set(e, 422, "unknown_town", field, "镇街代码“%s”不属于本区", code);
        for (int j = 0; j < *n; j++)
            if (strcmp(rows[j].town_code, code) == 0)
                return err_set(e, 422, "duplicate_town", field, "镇街 %s 出现了两次", code);
        snprintf(row->town_code, sizeof row->town_code, "%s", code);
        row->residents = json_integer_value(json_object_get(r, "residents"));
        const json_t *u3 = json_object_get(r, "under3"), *b = json_object_get(r, "births");
        row->under3 = json_is_integer(u3) ? json_integer_value(u3) : -1;
        row->births = json_is_integer(b) ? json_integer_value(b) : -1;
        const char *over = row->under3 > row->residents ? "under3" : row->births > row->residents ? "births" : NULL;
        if (over) {
            snprintf(field, sizeof field, "rows[%zu].%s", i, over);
            return err_set(e, 422, "more_than_residents", field, "镇街 %s 的%s多于常住人口", code,
                           strcmp(over, "under3") == 0 ? "3岁以下婴幼儿数" : "出生人口");
        }
        (*n)++;
    }
    return 0;
}

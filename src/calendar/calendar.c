/* calendar.c — a year of the working-day calendar: the body that replaces it (schema, then what
 * it means), its replies, and the audit diff between two versions. */
#include "calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

#include "calendar/calendar.schemas.inc"

int calendar_parse_year(const char *text, int *year, struct err *e)
{
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (!text || text[i] < '0' || text[i] > '9')
            goto bad;
        y = y * 10 + (text[i] - '0');
    }
    if (text[4] || y < CALENDAR_FIRST_YEAR || y > CALENDAR_LAST_YEAR)
        goto bad;
    *year = y;
    return 0;
bad:
    return err_set(e, 400, "bad_year", "year", "年份无效（应为 %d–%d 之间的四位数字）", CALENDAR_FIRST_YEAR,
                   CALENDAR_LAST_YEAR);
}

static int by_date(const void *a, const void *b)
{
    return strcmp(((const struct calendar_day *)a)->date, ((const struct calendar_day *)b)->date);
}

int calendar_year_from_json(const json_t *body, int year, struct calendar_year *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    jfield_copy(body, "basis", out->basis, sizeof out->basis);
    const json_t *days = json_object_get(body, "days");
    if (json_array_size(days) == 0)
        return err_set(e, 422, "required", "days", "请列出 %d 年的放假日和调休上班日", year);
    size_t i;
    const json_t *d;
    json_array_foreach(days, i, d)
    {
        char field[48];
        const char *date = jfield_text(d, "date"), *kind = jfield_text(d, "kind");
        snprintf(field, sizeof field, "days[%zu].date", i);
        if (atoi(date) != year)
            return err_set(e, 422, "wrong_year", field, "日期 %s 不在 %d 年", date, year);
        for (int k = 0; k < out->ndays; k++)
            if (strcmp(out->days[k].date, date) == 0)
                return err_set(e, 422, "duplicate_date", field, "日期 %s 列出了两次", date);
        snprintf(field, sizeof field, "days[%zu].kind", i);
        int work = strcmp(kind, "work") == 0;
        if (!work && strcmp(kind, "off") != 0)
            return err_set(e, 422, "bad_kind", field, "类型应为 off（放假）或 work（调休上班）：%s", kind);
        if (work && date_day_of_week(date) < 6)
            return err_set(e, 422, "not_weekend", field, "调休上班日应为周六或周日：%s 是工作日", date);
        struct calendar_day *c = &out->days[out->ndays++];
        snprintf(c->date, sizeof c->date, "%s", date);
        c->work = work;
        jfield_copy(d, "name", c->name, sizeof c->name);
    }
    qsort(out->days, (size_t)out->ndays, sizeof *out->days, by_date);
    return 0;
}

static json_t *summary(int year, const char *basis, const char *updated_at, int off_days, int work_days)
{
    return json_pack("{s:i, s:s, s:s, s:i, s:i}", "year", year, "basis", basis, "updated_at", updated_at, "off_days",
                     off_days, "work_days", work_days);
}

json_t *calendar_year_to_json(const struct calendar_year *y)
{
    json_t *days = json_array();
    int work = 0;
    for (int i = 0; i < y->ndays; i++) {
        const struct calendar_day *d = &y->days[i];
        work += d->work;
        json_array_append_new(days, json_pack("{s:s, s:s, s:s}", "date", d->date, "kind", d->work ? "work" : "off",
                                              "name", d->name));
    }
    json_t *o = summary(y->year, y->basis, y->updated_at, y->ndays - work, work);
    json_object_set_new(o, "days", days);
    return o;
}

json_t *calendar_year_info_to_json(const struct calendar_year_info *y)
{
    return summary(y->year, y->basis, y->updated_at, y->off_days, y->work_days);
}

/* "2027-01-01 off 元旦" for each day of a not in b (both sorted by date) */
static json_t *missing_from(const struct calendar_year *a, const struct calendar_year *b)
{
    json_t *out = json_array();
    for (int i = 0, j = 0; a && i < a->ndays; i++) {
        const struct calendar_day *x = &a->days[i];
        while (b && j < b->ndays && strcmp(b->days[j].date, x->date) < 0)
            j++;
        const struct calendar_day *y = b && j < b->ndays ? &b->days[j] : NULL;
        if (!y || strcmp(y->date, x->date) || y->work != x->work || strcmp(y->name, x->name))
            json_array_append_new(out, json_sprintf("%s %s %s", x->date, x->work ? "work" : "off", x->name));
    }
    return out;
}

json_t *calendar_changes(const struct calendar_year *before, const struct calendar_year *after)
{
    json_t *o = json_pack("{s:s, s:o, s:o}", "basis", after->basis, "added", missing_from(after, before), "removed",
                          missing_from(before, after));
    if (before && strcmp(before->basis, after->basis))
        json_object_set_new(o, "previous_basis", json_string(before->basis));
    return o;
}

/* store.c — the subsidy rules' parameters from the database (store.h). */
#include "funds/store.h"

#include <math.h>
#include <stdlib.h>

#include "base/date.h"
#include "params/params.h"

/* the month a version starting on from is first in force on the first day of */
static funds_month first_month(const struct date_ymd *from)
{
    return funds_month_of(from->year, from->month) + (from->day > 1);
}

int funds_store_childcare_rules(struct db *db, const char *district, const char *day,
                                struct funds_childcare_rules *out, struct err *e)
{
    *out = (struct funds_childcare_rules){0};
    double age;
    if (params_get(db, district, "subsidy.childcare.max_age_months", day, &age, e) < 0)
        return -1;
    out->max_age_months = (int)age;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT value, valid_from, valid_to FROM param WHERE district_code = ? AND key = ? "
                                  "ORDER BY valid_from",
                                  "tt", district, "subsidy.childcare.per_month_fen");
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct date_ymd from, to;
        struct err ignored = {0};
        const char *until = db_col_text(st, 2);
        if (out->nrates == FUNDS_MAX_RATES || date_parse(db_col_text(st, 1), &from, &ignored) < 0 ||
            (until && date_parse(until, &to, &ignored) < 0)) {
            db_finalize(st);
            return err_set(e, 500, "param_invalid", "subsidy.childcare.per_month_fen", "育儿补贴月标准的版本无效或过多");
        }
        struct funds_rate *r = &out->rates[out->nrates];
        r->from = first_month(&from);
        r->to = until ? funds_month_of(to.year, to.month) : funds_month_of(9999, 12);
        r->per_month_fen = (int64_t)llround(strtod(db_col_text(st, 0), NULL));
        if (r->from <= r->to)
            out->nrates++;
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    if (out->nrates == 0)
        return err_set(e, 500, "param_missing", "subsidy.childcare.per_month_fen", "缺少育儿补贴月标准参数");
    return 0;
}

int funds_store_construction_rules(struct db *db, const char *district, const char *day,
                                   struct funds_construction_rules *out, struct err *e)
{
    double classes, public_max, private_max, share;
    if (params_get(db, district, "subsidy.construction.classes_counted", day, &classes, e) < 0 ||
        params_get(db, district, "subsidy.construction.public_per_class_max_fen", day, &public_max, e) < 0 ||
        params_get(db, district, "subsidy.construction.private_per_class_max_fen", day, &private_max, e) < 0 ||
        params_get(db, district, "subsidy.construction.private_share", day, &share, e) < 0)
        return -1;
    *out = (struct funds_construction_rules){(int)classes, llround(public_max), llround(private_max),
                                             (int)lround(share * 10000.0)};
    return 0;
}

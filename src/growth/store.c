/* store.c — SQL of the growth domain: the children in care with their latest measurement, for the growth flags
 * (flags.h). */
#include <math.h>
#include <stdio.h>

#include "growth/flags.h"

static double col_or_nan(struct db_stmt *st, int i) { return db_col_is_null(st, i) ? NAN : db_col_double(st, i); }

int growth_flags_scan(struct db *db, const char *district, const struct authz_scope *scope, int64_t institution_id,
                      int64_t after_id, int (*each)(const struct growth_flags_row *row, void *ctx), void *ctx,
                      struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT c.id, c.family_user_id, p.institution_id, p.class_id, m.id, c.name_masked, c.name_sealed, "
        "i.name, k.name, c.birth_date, m.measured_on, c.sex, m.weight_kg, m.lenhei_cm, m.measure, m.headc_cm, "
        "m.oedema FROM care_placement p JOIN child c ON c.id = p.child_id AND c.district_code = p.district_code "
        "JOIN institution i ON i.id = p.institution_id AND i.district_code = p.district_code JOIN institution_class k "
        "ON k.id = p.class_id AND k.district_code = p.district_code JOIN measurement m ON m.id = (SELECT "
        "l.id FROM measurement l WHERE l.child_id = c.id ORDER BY l.measured_on DESC, l.id DESC LIMIT 1) "
        "WHERE p.district_code = ? AND p.end_date IS NULL AND (? = 0 OR p.institution_id = ?) AND c.id > ? "
        "AND %s ORDER BY c.id",
        scope->sql, &scope->params, -1, "tiii", district, institution_id, institution_id, after_id);
    if (!st)
        return -1;
    int rc = 0, stop = 0;
    while (!stop && (rc = db_step(st, e)) == DB_ROW) {
        const char *measure = db_col_text(st, 14);
        struct growth_flags_row r = {
            .child_id = db_col_int64(st, 0),
            .family_user_id = db_col_is_null(st, 1) ? 0 : db_col_int64(st, 1),
            .institution_id = db_col_int64(st, 2),
            .class_id = db_col_int64(st, 3),
            .measurement_id = db_col_int64(st, 4),
            .name_masked = db_col_text(st, 5),
            .name_sealed = db_col_text(st, 6),
            .institution_name = db_col_text(st, 7),
            .class_name = db_col_text(st, 8),
            .birth_date = db_col_text(st, 9),
            .measured_on = db_col_text(st, 10),
            .m = {.sex = (int)db_col_int64(st, 11), .age = NAN, .weight_kg = col_or_nan(st, 12),
                  .lenhei_cm = col_or_nan(st, 13), .measure = measure ? measure[0] : 0,
                  .headc_cm = col_or_nan(st, 15), .armc_cm = NAN, .triskin_mm = NAN, .subskin_mm = NAN,
                  .oedema = (int)db_col_int64(st, 16)}};
        stop = each(&r, ctx);
    }
    db_finalize(st);
    return !stop && rc < 0 ? -1 : 0;
}

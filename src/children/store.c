/* store.c — reading and writing children's records and measurements (store.h). */
#include "children/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHILD_COLUMNS                                                                                             \
    "c.id, c.institution_id, c.family_user_id, c.name_sealed, c.name_masked, c.sex, c.birth_date, c.id_kind, "     \
    "c.id_masked, c.hukou_town, i.town_code"
#define CHILD_FROM "FROM child c LEFT JOIN institution i ON i.id = c.institution_id "

static void read_child(const struct crypt_key *key, struct db_stmt *st, struct child *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int64(st, 0);
    c->institution_id = db_col_is_null(st, 1) ? 0 : db_col_int64(st, 1);
    c->family_user_id = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2);
    struct err e;
    if (crypt_open(key, db_col_text(st, 3), c->name, sizeof c->name, &e) < 0)
        c->name[0] = 0;
    db_scan_from(st, 4, DB_TEXT(c->name_masked), DB_INT(&c->sex), DB_TEXT(c->birth_date), DB_TEXT(c->id_kind),
                 DB_TEXT(c->id_masked), DB_TEXT(c->hukou_town), DB_TEXT(c->town_code));
}

int children_load(struct db *db, const struct crypt_key *key, const char *district, int64_t id, struct child *out,
                  struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT " CHILD_COLUMNS " " CHILD_FROM "WHERE c.id = ? AND c.district_code = ?", "it", id,
                 district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该婴幼儿");
    read_child(key, st, out);
    db_finalize(st);
    return 0;
}

int children_page(struct db *db, const struct crypt_key *key, const char *district, const struct authz_scope *scope,
                  int64_t after_id, int max, struct child *out, int *n, struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query_scoped(db, e,
                                         "SELECT " CHILD_COLUMNS " " CHILD_FROM
                                         "WHERE c.district_code = ? AND c.id > ? AND %s ORDER BY c.id LIMIT ?",
                                         scope->sql, &scope->params, max, "ti", district, after_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        read_child(key, st, &out[(*n)++]);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int children_insert(struct db *db, const struct crypt_key *key, const char *district, struct child *c,
                    const char *now_ts, struct err *e)
{
    char name_sealed[256], id_sealed[128], lookup[CRYPT_LOOKUP_HEX_LEN], material[48];
    snprintf(material, sizeof material, "%s:%s", c->id_kind, c->id_number);
    int rc = crypt_seal(key, c->name, name_sealed, sizeof name_sealed, e) < 0 ||
                     crypt_seal(key, c->id_number, id_sealed, sizeof id_sealed, e) < 0 ||
                     crypt_lookup_hash(key, material, lookup) < 0
                 ? -1
                 : 0;
    memset(c->id_number, 0, sizeof c->id_number);
    memset(material, 0, sizeof material);
    if (rc < 0)
        return -1;
    c->id = db_query_int(db, e, NULL,
                         "INSERT INTO child (district_code, institution_id, family_user_id, name_sealed, name_masked, "
                         "sex, birth_date, id_kind, id_sealed, id_lookup, id_masked, hukou_town, created_at, "
                         "updated_at) "
                         "VALUES (?,NULLIF(?, 0),NULLIF(?, 0),?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                         "tiittitttttttt", district, c->institution_id, c->family_user_id, name_sealed,
                         c->name_masked, (int64_t)c->sex, c->birth_date, c->id_kind, id_sealed, lookup, c->id_masked,
                         c->hukou_town[0] ? c->hukou_town : NULL, now_ts, now_ts);
    return c->id < 0 ? db_conflict_as(e, "child_exists", "id_number", "该证件号的婴幼儿已登记") : 0;
}

int children_insert_measurement(struct db *db, const char *district, int64_t child_id, struct measurement *m,
                                int64_t measured_by, const char *now_ts, struct err *e)
{
    char measure[2] = {m->measure, 0};
    m->id = db_query_int(db, e, NULL,
                         "INSERT INTO measurement (district_code, child_id, measured_on, weight_kg, lenhei_cm, "
                         "measure, headc_cm, armc_cm, triskin_mm, subskin_mm, oedema, measured_by, created_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                         "titddtddddiit", district, child_id, m->measured_on, m->weight_kg, m->lenhei_cm,
                         m->measure ? measure : NULL, m->headc_cm, m->armc_cm, m->triskin_mm, m->subskin_mm,
                         (int64_t)m->oedema, measured_by, now_ts);
    return m->id < 0 ? -1 : 0;
}

static double col_or_nan(struct db_stmt *st, int i) { return db_col_is_null(st, i) ? NAN : db_col_double(st, i); }

static void read_measurement(struct db_stmt *st, void *item)
{
    struct measurement *m = item;
    memset(m, 0, sizeof *m);
    db_scan(st, DB_I64(&m->id), DB_TEXT(m->measured_on));
    m->weight_kg = col_or_nan(st, 2);
    m->lenhei_cm = col_or_nan(st, 3);
    m->measure = db_col_text(st, 4) ? db_col_text(st, 4)[0] : 0;
    m->headc_cm = col_or_nan(st, 5);
    m->armc_cm = col_or_nan(st, 6);
    m->triskin_mm = col_or_nan(st, 7);
    m->subskin_mm = col_or_nan(st, 8);
    m->oedema = (int)db_col_int64(st, 9);
}

int children_measurements(struct db *db, int64_t child_id, struct measurement **out, int *n, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, measured_on, weight_kg, lenhei_cm, measure, headc_cm, armc_cm, "
                                  "triskin_mm, subskin_mm, oedema FROM measurement WHERE child_id = ? "
                                  "ORDER BY measured_on, id",
                                  "i", child_id);
    void *rows;
    size_t count;
    int rc = db_rows(st, e, sizeof **out, read_measurement, &rows, &count);
    *out = rows;
    *n = (int)count;
    return rc;
}

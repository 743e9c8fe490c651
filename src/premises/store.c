/* store.c — every SQL text of the idle state premises register (store.h). */
#include "premises/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/parse.h"

/* Applications of the entry (alias p) waiting for the decision (the "premises" process's state
 * submitted; not a draft, nor one returned for correction): what "applied" shows. */
#define OPEN_APPLICATIONS                                                                                   \
    "(SELECT COUNT(*) FROM premises_application a JOIN case_file c ON c.id = a.case_id WHERE a.premises_id " \
    "= p.id AND c.state = 'submitted')"
#define COLUMNS                                                                                             \
    "p.id, p.town_code, p.address, p.lon, p.lat, p.area_m2, p.floor, p.owner_unit, p.relief_terms, "          \
    "p.rent_free_months, p.status, p.institution_id, p.case_id, p.allocated_on, p.withdrawn_reason, p.version, " \
    "p.created_at, p.updated_at, " OPEN_APPLICATIONS ", t.name, i.name"
#define FROM " FROM premises p LEFT JOIN town t ON t.code = p.town_code LEFT JOIN institution i ON i.id = p.institution_id"

static void read_row(struct db_stmt *st, struct premises *p)
{
    memset(p, 0, sizeof *p);
    db_scan(st, DB_I64(&p->id), DB_TEXT(p->town_code), DB_TEXT(p->address), DB_F64(&p->lon), DB_F64(&p->lat),
            DB_F64(&p->area_m2), DB_INT(&p->floor), DB_TEXT(p->owner_unit), DB_TEXT(p->relief_terms),
            DB_INT(&p->rent_free_months), DB_TEXT(p->status), DB_I64(&p->institution_id), DB_I64(&p->case_id),
            DB_TEXT(p->allocated_on), DB_TEXT(p->withdrawn_reason), DB_I64(&p->version), DB_TEXT(p->created_at),
            DB_TEXT(p->updated_at), DB_INT(&p->open_applications));
}

/* The row of entry id, stepped onto (read it, then db_finalize), or NULL with e (404 not_found
 * when there is none). */
static struct db_stmt *select_one(struct db *db, const char *district, int64_t id, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT " COLUMNS FROM " WHERE p.district_code = ? AND p.id = ?", "ti",
                                  district, id);
    int rc = db_first_row(st, e);
    if (rc == 0)
        err_set(e, 404, "not_found", "id", "未找到房源 %" PRId64, id);
    return rc == 1 ? st : NULL;
}

int premises_store_load(struct db *db, const char *district, int64_t id, struct premises *out, struct err *e)
{
    struct db_stmt *st = select_one(db, district, id, e);
    if (!st)
        return -1;
    read_row(st, out);
    db_finalize(st);
    return 0;
}

int premises_store_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e)
{
    struct db_stmt *st = select_one(db, district, id, e);
    if (!st)
        return -1;
    struct premises p;
    read_row(st, &p);
    *out = premises_to_json(&p, db_col_text(st, 19), db_col_text(st, 20));
    db_finalize(st);
    return 0;
}

int premises_store_insert(struct db *db, const char *district, struct premises *p, const char *now_ts, struct err *e)
{
    p->id = db_query_int(db, e, NULL,
                         "INSERT INTO premises (district_code, town_code, address, lon, lat, area_m2, floor, owner_unit, "
                         "relief_terms, rent_free_months, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                         "RETURNING id",
                         "tttdddittitt", district, p->town_code, p->address, p->lon, p->lat, p->area_m2,
                         (int64_t)p->floor, p->owner_unit, p->relief_terms, (int64_t)p->rent_free_months, now_ts,
                         now_ts);
    if (p->id < 0)
        return -1;
    parse_copy_text(p->status, sizeof p->status, "available");
    p->version = 1;
    parse_copy_text(p->created_at, sizeof p->created_at, now_ts);
    parse_copy_text(p->updated_at, sizeof p->updated_at, now_ts);
    return 0;
}

int premises_store_update(struct db *db, const char *district, struct premises *p, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE premises SET town_code = ?, address = ?, lon = ?, lat = ?, area_m2 = ?, floor = ?, "
                       "owner_unit = ?, relief_terms = ?, rent_free_months = ?, version = version + 1, updated_at = ? "
                       "WHERE district_code = ? AND id = ? AND version = ? AND status = 'available'",
                       "ttdddittittii", p->town_code, p->address, p->lon, p->lat, p->area_m2, (int64_t)p->floor,
                       p->owner_unit, p->relief_terms, (int64_t)p->rent_free_months, now_ts, district, p->id,
                       p->version);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "premises_changed", "id", "房源已被他人修改或已分配，请刷新后重试");
    p->version++;
    parse_copy_text(p->updated_at, sizeof p->updated_at, now_ts);
    return 0;
}

int premises_store_withdraw(struct db *db, const char *district, int64_t id, int64_t version, const char *reason,
                            const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE premises SET status = 'withdrawn', withdrawn_reason = ?, version = version + 1, "
                       "updated_at = ? WHERE district_code = ? AND id = ? AND version = ? AND status = 'available'",
                       "tttii", reason, now_ts, district, id, version);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "premises_changed", "id", "房源已被他人修改或已分配，请刷新后重试");
    return 0;
}

int premises_store_allocate(struct db *db, const char *district, int64_t id, int64_t institution_id, int64_t case_id,
                            const char *today, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE premises SET status = 'allocated', institution_id = ?, case_id = ?, allocated_on = ?, "
                       "version = version + 1, updated_at = ? WHERE district_code = ? AND id = ? AND status = 'available'",
                       "iittti", institution_id, case_id, today, now_ts, district, id);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "premises_allocated", "id", "该房源已分配给其他机构或已撤回，不能分配");
    return 0;
}

static json_t *premises_row(struct db_stmt *st, void *ctx)
{
    struct premises p;
    read_row(st, &p);
    return premises_to_json(&p, db_col_text(st, 19), db_col_text(st, 20));
}

int premises_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        const struct premises_filter *f, json_t **rows, struct err *e)
{
    /* the shown status: "applied" is an available entry with open applications */
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT " COLUMNS FROM " WHERE p.district_code = ? AND (CAST(? AS TEXT) IS NULL OR p.town_code = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR (CASE WHEN p.status = 'available' AND " OPEN_APPLICATIONS
        " > 0 THEN 'applied' ELSE p.status END) = ?) AND p.id > ? AND %s ORDER BY p.id LIMIT ?",
        scope_sql, scope_params, f->limit, "ttttti", district, f->town, f->town, f->status, f->status, f->after_id);
    return db_rows_json(st, e, premises_row, NULL, rows);
}

int premises_store_link(struct db *db, const char *district, int64_t case_id, int64_t premises_id,
                        int64_t institution_id, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO premises_application (case_id, district_code, premises_id, institution_id) VALUES (?,?,?,?)",
                    "itii", case_id, district, premises_id, institution_id);
}

int premises_store_of_case(struct db *db, const char *district, int64_t case_id, int64_t *premises_id, struct err *e)
{
    int found;
    int64_t id = db_query_int(db, e, &found,
                              "SELECT premises_id FROM premises_application WHERE district_code = ? AND case_id = ?", "ti",
                              district, case_id);
    if (id < 0)
        return -1;
    *premises_id = id;
    return found;
}

int premises_store_open_applications(struct db *db, const char *district, int64_t premises_id, int64_t institution_id,
                                     int *n, struct err *e)
{
    int64_t c = db_query_int(db, e, NULL,
                             "SELECT COUNT(*) FROM premises_application a JOIN case_file c ON c.id = a.case_id "
                             "WHERE a.district_code = ? AND a.premises_id = ? AND a.institution_id = ? "
                             "AND c.closed_at IS NULL",
                             "tii", district, premises_id, institution_id);
    *n = (int)c;
    return c < 0 ? -1 : 0;
}

int premises_store_institution(struct db *db, const char *district, int64_t institution_id, const char *today,
                               struct premises_applicant *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT CASE WHEN inclusive = 1 AND (inclusive_since IS NULL OR inclusive_since <= ?) "
                                  "THEN 1 ELSE 0 END, name, status, town_code FROM institution WHERE district_code = ? "
                                  "AND id = ?",
                                  "tti", today, district, institution_id);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 404, "not_found", "institution_id", "未找到机构 %" PRId64, institution_id);
    db_scan(st, DB_INT(&out->inclusive), DB_TEXT(out->name), DB_TEXT(out->status), DB_TEXT(out->town_code));
    db_finalize(st);
    return 0;
}

int premises_store_sync_candidate(struct db *db, const char *district, int64_t id, const char *now_ts, struct err *e)
{
    if (db_run(db, e, "DELETE FROM candidate_site WHERE district_code = ? AND premises_id = ?", "ti", district, id) < 0)
        return -1;
    return db_write(db, e,
                    "INSERT INTO candidate_site (district_code, name, lon, lat, kind, note, created_at, premises_id) "
                    "SELECT district_code, '国有闲置房源：' || address, lon, lat, 'idle_premises', "
                    "'约 ' || CAST(CAST(ROUND(area_m2) AS INTEGER) AS TEXT) || ' 平方米，产权单位：' || owner_unit, CAST(? AS TEXT), id FROM premises "
                    "WHERE district_code = ? AND id = ? AND status = 'available'",
                    "tti", now_ts, district, id);
}

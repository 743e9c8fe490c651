/* store.c — SQL of the growth stations (store.h). */
#include "stations/store.h"

#include <stdio.h>
#include <string.h>

#include "base/parse.h"

#define COLUMNS                                                                                                  \
    "i.id, i.name, i.town_code, t.name, i.address, i.lon, i.lat, i.opening_hours, i.phone, i.status, s.area_m2, " \
    "s.surroundings, s.weekly_visits, s.services, s.investment_fen, s.accepted_on, "                            \
    "(SELECT MAX(c.id) FROM case_file c WHERE c.institution_id = i.id AND c.process = 'station_accept' "     \
    "AND c.closed_at IS NULL)"

static json_t *station_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    json_t *site = json_null();
    if (!db_col_is_null(st, 10)) {
        json_t *services = json_array();
        char list[160];
        db_col_copy(st, 13, list, sizeof list);
        char *save = NULL;
        for (char *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save))
            json_array_append_new(services, json_string(p));
        site = json_pack("{s:f, s:o, s:i, s:o, s:I}", "area_m2", db_col_double(st, 10), "surroundings",
                         db_col_json_text(st, 11), "weekly_visits", (int)db_col_int64(st, 12), "services", services,
                         "investment_fen", (json_int_t)db_col_int64(st, 14));
    }
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:f, s:f, s:o, s:o, s:s, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "town_code", db_col_text(st, 2),
                     "town_name", db_col_json_text(st, 3), "address", db_col_text(st, 4), "lon", db_col_double(st, 5),
                     "lat", db_col_double(st, 6), "opening_hours", db_col_json_text(st, 7), "phone",
                     db_col_json_text(st, 8), "status", db_col_text(st, 9), "site", site, "accepted_on",
                     db_col_json_text(st, 15), "open_case_id", db_col_json_id(st, 16));
}

int stations_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        int64_t one_id, int64_t after_id, int limit, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT " COLUMNS " FROM institution i LEFT JOIN town t ON t.code = i.town_code "
        "LEFT JOIN station_site s ON s.institution_id = i.id WHERE i.district_code = ? AND "
        "i.operating_model = 'station' AND (? = 0 OR i.id = ?) AND i.id > ? AND %s ORDER BY i.id LIMIT ?",
        scope_sql, scope_params, limit, "tiii", district, one_id, one_id, after_id);
    return db_rows_json(st, e, station_row, NULL, rows);
}

int stations_store_save(struct db *db, const char *district, int64_t id, const struct station_site *s,
                        const char *now_ts, struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found,
                     "SELECT 1 FROM institution WHERE id = ? AND district_code = ? AND operating_model = 'station'",
                     "it", id, district) < 0)
        return -1;
    if (!found)
        return err_set(e, 404, "not_found", "id", "未找到该成长驿站");
    int64_t n = db_run(db, e,
                       "UPDATE station_site SET area_m2 = ?, surroundings = ?, weekly_visits = ?, services = ?, "
                       "investment_fen = ?, updated_at = ? WHERE institution_id = ?",
                       "dtititi", s->area_m2, s->surroundings, (int64_t)s->weekly_visits, s->services,
                       s->investment_fen, now_ts, id);
    if (n != 0)
        return n < 0 ? -1 : 0;
    return db_write(db, e,
                    "INSERT INTO station_site (institution_id, district_code, area_m2, surroundings, weekly_visits, "
                    "services, investment_fen, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                    "itdtitit", id, district, s->area_m2, s->surroundings, (int64_t)s->weekly_visits, s->services,
                    s->investment_fen, now_ts);
}

int stations_store_site(struct db *db, const char *district, int64_t id, struct station_site *s, int *accepted,
                        struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT area_m2, surroundings, weekly_visits, services, investment_fen, accepted_on "
                                  "FROM station_site WHERE institution_id = ? AND district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc;
    memset(s, 0, sizeof *s);
    db_scan(st, DB_F64(&s->area_m2), DB_TEXT(s->surroundings), DB_INT(&s->weekly_visits), DB_TEXT(s->services),
            DB_I64(&s->investment_fen));
    *accepted = !db_col_is_null(st, 5);
    db_finalize(st);
    return 1;
}

int stations_store_accept(struct db *db, const char *district, int64_t id, int64_t case_id, const char *day,
                          const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "UPDATE station_site SET accepted_on = ?, case_id = NULLIF(?, 0), updated_at = ? WHERE institution_id = ? "
                    "AND district_code = ?",
                    "titit", day, case_id, now_ts, id, district);
}

int stations_store_counts(struct db *db, const char *district, const char *scope_sql,
                          const struct db_params *scope_params, const char *day, int *stations, int *accepted,
                          int *towns_covered, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT COUNT(*), COUNT(s.accepted_on), COUNT(DISTINCT CASE WHEN s.accepted_on IS NOT NULL THEN i.town_code END) "
        "FROM institution i LEFT JOIN station_site s ON s.institution_id = i.id AND s.accepted_on <= ? "
        "WHERE i.district_code = ? AND i.operating_model = 'station' AND i.status = 'filed' AND %s",
        scope_sql, scope_params, -1, "tt", day, district);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc < 0 ? -1 : err_set(e, 500, "db_error", "", "统计成长驿站失败");
    db_scan(st, DB_INT(stations), DB_INT(accepted), DB_INT(towns_covered));
    db_finalize(st);
    return 0;
}

int stations_store_towns(struct db *db, const char *district, struct stations_town *out, int max, int *n, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT t.code, t.name, AVG(i.lon), AVG(i.lat) FROM town t JOIN institution i ON "
                                  "i.town_code = t.code WHERE t.district_code = ? GROUP BY t.code, t.name ORDER BY t.code",
                                  "t", district);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct stations_town *t = &out[(*n)++];
        db_scan(st, DB_TEXT(t->code), DB_TEXT(t->name), DB_F64(&t->lon), DB_F64(&t->lat));
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* store.c — SQL of places: institutions and children as enrolment reads them, programs and their
 * held places (view held_place: active bookings and open offers), first-come bookings and visit
 * appointments; and the row helpers the store files share (the rounds' SQL: store_rounds.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "enrol/store.h"
#include "fees/store.h"
#include "params/params.h"

/* ---- institutions, children, programs ---- */

int enrol_store_institution(struct db *db, const char *district, int64_t id, char town[16], int *filed, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT town_code, status FROM institution WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_col_copy(st, 0, town, 16);
        if (filed)
            *filed = strcmp(db_col_text(st, 1), "filed") == 0;
        db_finalize(st);
    }
    return found;
}

int enrol_store_institution_names(struct db *db, const char *district, json_t **names, struct err *e)
{
    *names = NULL;
    struct db_stmt *st = db_query(db, e, "SELECT id, name FROM institution WHERE district_code = ?", "t", district);
    if (!st)
        return -1;
    json_t *o = json_object();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_col_int64(st, 0));
        json_object_set_new(o, key, json_string(db_col_text(st, 1)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(o);
        return -1;
    }
    *names = o;
    return 0;
}

/* A band parameter's value as read by PARAMS_VALUE_SQL: whole months, -1 when NULL or not a number. */
static int band_value(struct db_stmt *st, int col)
{
    double v;
    return db_col_is_null(st, col) || parse_double(db_col_text(st, col), &v) < 0 ? -1 : (int)v;
}

int enrol_store_child(struct db *db, const char *district, int64_t id, const char *band_date, struct enrol_child *c,
                      struct err *e)
{
    /* every class type's two bands, in enum class_type order (min, max) */
#define BAND PARAMS_VALUE_SQL ", " PARAMS_VALUE_SQL
    static const char *const with_bands = "SELECT family_user_id, birth_date, COALESCE(hukou_town, ''), " BAND ", " BAND
                                          ", " BAND ", " BAND " FROM child WHERE id = ? AND district_code = ?";
#undef BAND
    _Static_assert(CLASS_TYPE_COUNT == 4, "one pair of band columns per class type");
    memset(c, 0, sizeof *c);
    struct db_stmt *st;
    if (db_prepare(db, band_date ? with_bands
                                 : "SELECT family_user_id, birth_date, COALESCE(hukou_town, '') FROM child "
                                   "WHERE id = ? AND district_code = ?",
                   &st, e) < 0)
        return -1;
    int n = 1;
    for (int t = 0; band_date && t < CLASS_TYPE_COUNT; t++)
        for (int bound = 0; bound < 2; bound++) {
            char key[64];
            snprintf(key, sizeof key, "class.%s.%s", class_type_code((enum class_type)t),
                     bound ? "max_months" : "min_months");
            db_bind_text(st, n++, district);
            db_bind_text(st, n++, district);
            db_bind_text(st, n++, key);
            db_bind_text(st, n++, band_date);
            db_bind_text(st, n++, band_date);
        }
    db_bind_int64(st, n++, id);
    db_bind_text(st, n, district);
    int found = db_first_row(st, e);
    if (found == 1) {
        c->found = 1;
        db_scan(st, DB_I64(&c->owner), DB_TEXT(c->birth), DB_TEXT(c->town));
        for (int t = 0; band_date && t < CLASS_TYPE_COUNT; t++) {
            c->bands.min_months[t] = band_value(st, 3 + 2 * t);
            c->bands.max_months[t] = band_value(st, 4 + 2 * t);
        }
        db_finalize(st);
    }
    return found < 0 ? -1 : 0;
}

int enrol_store_bands(struct db *db, const char *district, const char *date, struct enrol_bands *b, struct err *e)
{
    for (int t = 0; t < CLASS_TYPE_COUNT; t++) {
        char key[64];
        double min, max;
        snprintf(key, sizeof key, "class.%s.min_months", class_type_code((enum class_type)t));
        if (params_get(db, district, key, date, &min, e) < 0)
            return -1;
        snprintf(key, sizeof key, "class.%s.max_months", class_type_code((enum class_type)t));
        if (params_get(db, district, key, date, &max, e) < 0)
            return -1;
        b->min_months[t] = (int)min;
        b->max_months[t] = (int)max;
    }
    return 0;
}

int enrol_store_lock_child(struct db *db, int64_t child_id, struct err *e)
{
    if (db_kind_of(db) != DB_PG)
        return 0;
    return db_write(db, e, "SELECT id FROM child WHERE id = ? FOR UPDATE", "i", child_id);
}

static json_t *program_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "class_type", db_col_text(st, 0), "classes",
                     (int)db_col_int64(st, 1), "capacity", (int)db_col_int64(st, 2), "enrolled",
                     (int)db_col_int64(st, 3), "booked", (int)db_col_int64(st, 4), "offered", (int)db_col_int64(st, 5));
}

int enrol_store_programs(struct db *db, int64_t inst, json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                        "SELECT c.class_type, COUNT(*), SUM(c.capacity), SUM(c.enrolled), "
                        "(SELECT COUNT(*) FROM booking b WHERE b.institution_id = c.institution_id "
                        "AND b.class_type = c.class_type AND b.status = 'booked'), "
                        "(SELECT COUNT(*) FROM offer o WHERE o.institution_id = c.institution_id "
                        "AND o.class_type = c.class_type AND o.status = 'offered') "
                        "FROM institution_class c WHERE c.institution_id = ? GROUP BY c.institution_id, c.class_type",
                        "i", inst), e,
               program_row, NULL, rows);
}

int enrol_store_lock_program(struct db *db, int64_t inst, const char *class_type, struct err *e)
{
    if (db_kind_of(db) != DB_PG)
        return 0;
    return db_write(db, e,
                    "SELECT id FROM institution_class WHERE institution_id = ? AND class_type = ? FOR UPDATE", "it",
                    inst, class_type);
}

int enrol_store_program_places(struct db *db, int64_t inst, const char *class_type, int *capacity, int *enrolled,
                               int *held, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT COALESCE(SUM(capacity), 0), COALESCE(SUM(enrolled), 0), "
                                  "(SELECT COUNT(*) FROM booking b WHERE b.institution_id = ? AND b.class_type = ? "
                                  "AND b.status = 'booked'), "
                                  "(SELECT COUNT(*) FROM offer o WHERE o.institution_id = ? AND o.class_type = ? "
                                  "AND o.status = 'offered') "
                                  "FROM institution_class WHERE institution_id = ? AND class_type = ?",
                                  "ititit", inst, class_type, inst, class_type, inst, class_type);
    if (db_first_row(st, e) != 1) /* an aggregate: always one row */
        return -1;
    db_scan(st, DB_INT(capacity), DB_INT(enrolled));
    *held = (int)(db_col_int64(st, 2) + db_col_int64(st, 3));
    db_finalize(st);
    return 0;
}

int enrol_store_enrol_child(struct db *db, int64_t inst, const char *class_type, int64_t child_id, const char *now_ts,
                            int64_t *class_id, struct err *e)
{
    int found;
    *class_id = db_query_int(db, e, &found,
                             "UPDATE institution_class SET enrolled = enrolled + 1 WHERE id = (SELECT id FROM "
                             "institution_class WHERE institution_id = ? AND class_type = ? AND enrolled < capacity "
                             "ORDER BY id LIMIT 1) RETURNING id",
                             "it", inst, class_type);
    if (*class_id < 0)
        return -1;
    if (!found)
        return 0;
    return db_write(db, e, "UPDATE child SET institution_id = ?, updated_at = ? WHERE id = ?", "iti", inst, now_ts,
                    child_id);
}

static json_t *vacancy_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:f, s:f, s:o}", "institution_id",
                     (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "town_code", db_col_text(st, 2),
                     "town_name", db_col_text(st, 3), "class_type", db_col_text(st, 4), "capacity",
                     (int)db_col_int64(st, 5), "enrolled", (int)db_col_int64(st, 6), "held", (int)db_col_int64(st, 10),
                     "inclusive", (int)db_col_int64(st, 7), "lon", db_col_double(st, 8), "lat", db_col_double(st, 9),
                     "monthly_fee_fen", db_col_is_null(st, 11) ? json_null() : json_integer(db_col_int64(st, 11)));
}

int enrol_store_vacancies(struct db *db, const char *district, const char *day, const char *town,
                          const char *class_type, int64_t after_id, const char *after_key, json_t **rows, struct err *e)
{
    return db_rows_json(
        db_query(db, e,
                 "SELECT i.id, i.name, i.town_code, t.name, c.class_type, SUM(c.capacity), SUM(c.enrolled), "
                 "i.inclusive, i.lon, i.lat, "
                 "(SELECT COUNT(*) FROM held_place h WHERE h.institution_id = i.id AND h.class_type = c.class_type), "
                 "(SELECT MIN(f.amount_fen) FROM fee_item f WHERE f.change_id = " FEES_IN_FORCE_SQL("i.id") " "
                 "AND f.category = ? AND f.service_type = 'full_day' AND f.unit = ?) "
                 "FROM institution i JOIN institution_class c ON c.institution_id = i.id "
                 "JOIN town t ON t.code = i.town_code "
                 "WHERE i.district_code = ? AND i.status = 'filed' AND (CAST(? AS TEXT) IS NULL OR i.town_code = ?) "
                 "AND (CAST(? AS TEXT) IS NULL OR c.class_type = ?) "
                 "AND (? = 0 OR i.id > ? OR (i.id = ? AND c.class_type > ?)) "
                 "GROUP BY i.id, i.name, i.town_code, t.name, c.class_type, i.inclusive, i.lon, i.lat "
                 "ORDER BY i.id, c.class_type",
                 "ttttttttiiit", day, FEE_BASIC, FEE_PER_MONTH, district, town, town, class_type, class_type, after_id,
                 after_id, after_id, after_key), e,
        vacancy_row, NULL, rows);
}

/* ---- first-come bookings ---- */

/* The child's offers waiting for an answer and accepted, as a FROM item "o" (open, accepted) of
 * the child bound as its one parameter (index offer_child, migration 017). */
#define CHILD_OFFERS_SQL                                                                                              \
    "(SELECT COALESCE(SUM(CASE WHEN status = 'offered' THEN 1 ELSE 0 END), 0) AS n_open, "                          \
    "COALESCE(SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END), 0) AS n_accepted FROM offer WHERE child_id = ?) o"

int enrol_store_child_places(struct db *db, int64_t child_id, struct enrol_child_places *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT ch.name_masked, b.id, b.institution_id, i.name, b.class_type, b.start_month, "
                                  "o.n_open, o.n_accepted FROM child ch LEFT JOIN booking b ON b.child_id = ch.id "
                                  "AND b.status = 'booked' LEFT JOIN institution i ON i.id = b.institution_id, "
                                  CHILD_OFFERS_SQL " WHERE ch.id = ?",
                                  "ii", child_id, child_id);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_scan(st, DB_TEXT(p->child_name), DB_I64(&p->holding.booking_id), DB_I64(&p->booking_institution),
                DB_TEXT(p->booking_institution_name), DB_TEXT(p->booking_class_type), DB_TEXT(p->booking_start_month),
                DB_I64(&p->holding.offers_open), DB_I64(&p->holding.offers_accepted));
        db_finalize(st);
    }
    return found < 0 ? -1 : 0;
}

int enrol_store_institution_users(struct db *db, int64_t inst, int64_t *ids, int max, int *n, struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id FROM app_user WHERE institution_id = ? AND role = 'institution_operator' "
                                  "AND disabled = 0 ORDER BY id",
                                  "i", inst);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        if (*n < max)
            ids[(*n)++] = db_col_int64(st, 0);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int enrol_store_booking_state(struct db *db, const char *district, int64_t child_id, int64_t inst,
                              const char *class_type, const char *first_day, struct enrol_booking_state *bs,
                              struct err *e)
{
    static const char *const sql =
        "SELECT ch.family_user_id, ch.birth_date, " PARAMS_VALUE_SQL ", " PARAMS_VALUE_SQL ", "
        "(SELECT COALESCE(MAX(id), 0) FROM booking WHERE child_id = ch.id AND status = 'booked'), "
        "p.capacity, p.enrolled, p.classes, p.status, h.held, o.n_open, o.n_accepted "
        "FROM child ch, (SELECT COALESCE(SUM(c.capacity), 0) AS capacity, COALESCE(SUM(c.enrolled), 0) AS enrolled, "
        "COUNT(c.id) AS classes, MAX(i.status) AS status FROM institution i LEFT JOIN institution_class c "
        "ON c.institution_id = i.id AND c.class_type = ? WHERE i.id = ? AND i.district_code = ?) p, "
        /* in FROM, not a scalar subquery: SQLite then builds no automatic index on the view */
        "(SELECT COUNT(*) AS held FROM held_place WHERE institution_id = ? AND class_type = ?) h, " CHILD_OFFERS_SQL " "
        "WHERE ch.id = ? AND ch.district_code = ?";
    char kmin[64], kmax[64];
    snprintf(kmin, sizeof kmin, "class.%s.min_months", class_type);
    snprintf(kmax, sizeof kmax, "class.%s.max_months", class_type);
    struct db_stmt *st; /* bound one by one: the hot path of the booking rush */
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    int n = 1;
    const char *keys[2] = {kmin, kmax};
    for (int k = 0; k < 2; k++) {
        db_bind_text(st, n++, district);
        db_bind_text(st, n++, district);
        db_bind_text(st, n++, keys[k]);
        db_bind_text(st, n++, first_day);
        db_bind_text(st, n++, first_day);
    }
    db_bind_text(st, n++, class_type);
    db_bind_int64(st, n++, inst);
    db_bind_text(st, n++, district);
    db_bind_int64(st, n++, inst);
    db_bind_text(st, n++, class_type);
    db_bind_int64(st, n++, child_id);
    db_bind_int64(st, n++, child_id);
    db_bind_text(st, n, district);
    memset(bs, 0, sizeof *bs);
    int found = db_first_row(st, e);
    if (found == 1) {
        int t = class_type_from_code(class_type);
        bs->found = 1;
        bs->owner = db_col_is_null(st, 0) ? 0 : db_col_int64(st, 0);
        db_col_copy(st, 1, bs->birth, sizeof bs->birth);
        if (t >= 0) {
            bs->bands.min_months[t] = band_value(st, 2);
            bs->bands.max_months[t] = band_value(st, 3);
        }
        db_scan_from(st, 4, DB_I64(&bs->holding.booking_id), DB_INT(&bs->capacity), DB_INT(&bs->enrolled),
                     DB_INT(&bs->classes));
        bs->filed = db_col_text(st, 8) && strcmp(db_col_text(st, 8), "filed") == 0;
        db_scan_from(st, 9, DB_I64(&bs->held), DB_I64(&bs->holding.offers_open), DB_I64(&bs->holding.offers_accepted));
        db_finalize(st);
    }
    return found < 0 ? -1 : 0;
}

int enrol_store_booking_insert(struct db *db, const char *district, int64_t child_id, int64_t inst,
                               const char *class_type, const char *start_month, int64_t family, const char *now_ts,
                               int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO booking (district_code, child_id, institution_id, class_type, start_month, status, "
                       "family_user_id, created_at) VALUES (?,?,?,?,?,'booked',?,?) RETURNING id",
                       "tiittit", district, child_id, inst, class_type, start_month, family, now_ts);
    if (*id < 0 && strcmp(e->code, "db_conflict") == 0 && strcmp(e->field, "child_id") == 0) /* a racing booking won */
        return err_set(e, 409, "already_booked", "child_id", "该孩子已有有效的入托预约，请先取消后再预约");
    return *id < 0 ? -1 : 0;
}

int enrol_store_booking_owner(struct db *db, int64_t id, int64_t *owner, struct err *e)
{
    int found;
    *owner = db_query_int(db, e, &found, "SELECT family_user_id FROM booking WHERE id = ? AND status = 'booked'", "i",
                          id);
    return *owner < 0 ? -1 : found;
}

int enrol_store_booking_cancel(struct db *db, int64_t id, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e, "UPDATE booking SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'",
                       "ti", now_ts, id);
    return n < 0 ? -1 : n > 0;
}

static json_t *booking_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                     "child_id", (json_int_t)db_col_int64(st, 1), "institution_id", (json_int_t)db_col_int64(st, 2),
                     "institution_name", db_col_text(st, 3), "class_type", db_col_text(st, 4), "start_month",
                     db_col_text(st, 5), "status", db_col_text(st, 6), "created_at", db_col_text(st, 7), "child_name",
                     db_col_text(st, 8), "family_user_id", (json_int_t)db_col_int64(st, 9), "child_name_sealed",
                     db_col_text(st, 10));
}

/* Prepare sql (a format with one %s for the scope fragment) and bind district, then the scope's
 * values: the next free index in *next. */
static struct db_stmt *scoped(struct db *db, const char *fmt, const char *scope_sql, const char *district,
                              const struct db_params *scope, int *next, struct err *e)
{
    char sql[2048];
    snprintf(sql, sizeof sql, fmt, scope_sql);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return NULL;
    db_bind_text(st, 1, district);
    *next = db_params_bind(scope, st, 2);
    return st;
}

int enrol_store_bookings(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                         int64_t before_id, int limit, json_t **rows, struct err *e)
{
    int n;
    struct db_stmt *st = scoped(db,
                                "SELECT b.id, b.child_id, b.institution_id, i.name, b.class_type, b.start_month, b.status, "
                                "b.created_at, ch.name_masked, b.family_user_id, ch.name_sealed FROM booking b "
                                "JOIN institution i ON i.id = b.institution_id "
                                "JOIN child ch ON ch.id = b.child_id WHERE b.district_code = ? AND %s "
                                "AND (? = 0 OR b.id < ?) ORDER BY b.id DESC LIMIT ?",
                                scope_sql, district, scope, &n, e);
    if (st) {
        db_bind_int64(st, n++, before_id);
        db_bind_int64(st, n++, before_id);
        db_bind_int64(st, n, limit);
    }
    return db_rows_json(st, e, booking_row, NULL, rows);
}

/* ---- visit appointments ---- */

#define SLOT_COLUMNS "s.id, s.institution_id, i.name, s.starts_at, s.ends_at, s.capacity, s.booked, s.note, s.status"

/* A slot row selected with SLOT_COLUMNS. */
static json_t *slot_row(struct db_stmt *st, void *ctx)
{
    int capacity = (int)db_col_int64(st, 5), booked = (int)db_col_int64(st, 6);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                     "institution_id", (json_int_t)db_col_int64(st, 1), "institution_name", db_col_text(st, 2),
                     "starts_at", db_col_text(st, 3), "ends_at", db_col_text(st, 4), "capacity", capacity, "booked",
                     booked, "remaining", capacity - booked, "note", db_col_text(st, 7), "status", db_col_text(st, 8));
}

int enrol_store_slot(struct db *db, int64_t id, json_t **slot, struct err *e)
{
    json_t *rows;
    if (db_rows_json(db_query(db, e, "SELECT " SLOT_COLUMNS " FROM visit_slot s JOIN institution i ON i.id = s.institution_id "
                            "WHERE s.id = ?",
                     "i", id), e,
            slot_row, NULL, &rows) < 0)
        return -1;
    *slot = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return *slot != NULL;
}

int enrol_store_slots(struct db *db, const char *district, int64_t inst, const char *from_ts, int open_only,
                      int64_t after_id, const char *after_key, int limit, json_t **rows, struct err *e)
{
#define SLOTS_SQL(extra)                                                                                              \
    "SELECT " SLOT_COLUMNS " FROM visit_slot s JOIN institution i ON i.id = s.institution_id "                      \
    "WHERE s.institution_id = ? AND s.district_code = ? AND s.starts_at >= ? " extra                                \
    "AND (? = 0 OR s.starts_at > ? OR (s.starts_at = ? AND s.id > ?)) ORDER BY s.starts_at, s.id LIMIT ?"
    return db_rows_json(db_query(db, e, open_only ? SLOTS_SQL("AND s.status = 'open' AND i.status = 'filed' ") : SLOTS_SQL(""),
                        "itti" "ttii", inst, district, from_ts, after_id, after_key, after_key, after_id,
                        (int64_t)limit), e,
               slot_row, NULL, rows);
#undef SLOTS_SQL
}

static json_t *slot_booking_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:I, s:i, s:s, s:s}", "slot_id", (json_int_t)db_col_int64(st, 0), "id",
                     (json_int_t)db_col_int64(st, 1), "family_user_id", (json_int_t)db_col_int64(st, 2), "visitors",
                     (int)db_col_int64(st, 3), "status", db_col_text(st, 4), "created_at", db_col_text(st, 5));
}

int enrol_store_slot_bookings(struct db *db, int64_t inst, const char *from_ts, const char *first_key,
                              int64_t first_id, const char *last_key, int64_t last_id, json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                        "SELECT b.slot_id, b.id, b.family_user_id, b.visitors, b.status, b.created_at FROM visit_booking b "
                        "JOIN visit_slot s ON s.id = b.slot_id "
                        "WHERE s.institution_id = ? AND s.starts_at >= ? AND (s.starts_at > ? OR (s.starts_at = ? AND "
                        "s.id >= ?)) AND (s.starts_at < ? OR (s.starts_at = ? AND s.id <= ?)) ORDER BY b.id",
                        "itttitti", inst, from_ts, first_key, first_key, first_id, last_key, last_key, last_id), e,
               slot_booking_row, NULL, rows);
}

int enrol_store_slot_insert(struct db *db, const char *district, int64_t inst, const char *starts_ts,
                            const char *ends_ts, int64_t capacity, const char *note, int64_t user, const char *now_ts,
                            int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO visit_slot (district_code, institution_id, starts_at, ends_at, capacity, booked, note, "
                       "status, created_by, created_at, updated_at) VALUES (?,?,?,?,?,0,?,'open',?,?,?) RETURNING id",
                       "tittititt", district, inst, starts_ts, ends_ts, capacity, note, user, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

int enrol_store_institution_contact(struct db *db, int64_t inst, struct enrol_contact *c, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT name, phone, address FROM institution WHERE id = ?", "i", inst);
    memset(c, 0, sizeof *c);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_scan(st, DB_TEXT(c->name), DB_TEXT(c->phone), DB_TEXT(c->address));
        db_finalize(st);
    }
    return found;
}

int enrol_store_slot_overlap(struct db *db, int64_t inst, const char *starts_ts, const char *ends_ts,
                             char starts_at[DATE_TIMESTAMP_LEN], struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT starts_at FROM visit_slot WHERE institution_id = ? AND status = 'open' "
                                  "AND starts_at < ? AND ends_at > ? ORDER BY starts_at LIMIT 1",
                                  "itt", inst, ends_ts, starts_ts);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_col_copy(st, 0, starts_at, DATE_TIMESTAMP_LEN);
        db_finalize(st);
    }
    return found;
}

int enrol_store_slot_read(struct db *db, const char *district, int64_t id, struct enrol_slot *s, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT s.institution_id, i.town_code, i.name, i.status, s.status, s.starts_at, s.ends_at "
                                  "FROM visit_slot s JOIN institution i ON i.id = s.institution_id "
                                  "WHERE s.id = ? AND s.district_code = ?",
                                  "it", id, district);
    memset(s, 0, sizeof *s);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_scan(st, DB_I64(&s->institution_id), DB_TEXT(s->town), DB_TEXT(s->institution_name));
        s->institution_filed = strcmp(db_col_text(st, 3), "filed") == 0;
        db_scan_from(st, 4, DB_TEXT(s->status), DB_TEXT(s->starts_at), DB_TEXT(s->ends_at));
        db_finalize(st);
    }
    return found;
}

int enrol_store_slot_cancel(struct db *db, int64_t id, const char *now_ts, int64_t *ids, int64_t *users, int max,
                            int *n, struct err *e)
{
    *n = 0;
    int64_t changed = db_run(db, e,
                             "UPDATE visit_slot SET status = 'cancelled', booked = 0, updated_at = ? "
                             "WHERE id = ? AND status = 'open'",
                             "ti", now_ts, id);
    if (changed <= 0)
        return (int)changed;
    struct db_stmt *st = db_query(db, e,
                                  "UPDATE visit_booking SET status = 'slot_cancelled', cancelled_at = ? "
                                  "WHERE slot_id = ? AND status = 'booked' RETURNING id, family_user_id",
                                  "ti", now_ts, id);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        ids[*n] = db_col_int64(st, 0);
        users[(*n)++] = db_col_int64(st, 1);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 1;
}

int enrol_store_slot_take(struct db *db, const char *district, int64_t id, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE visit_slot SET booked = booked + 1, updated_at = ? WHERE id = ? AND district_code = ? "
                       "AND status = 'open' AND starts_at > ? AND booked < capacity",
                       "titt", now_ts, id, district, now_ts);
    return n < 0 ? -1 : n > 0;
}

int enrol_store_visit_count(struct db *db, int64_t slot, int64_t family, int64_t *n, struct err *e)
{
    *n = db_query_int(db, e, NULL,
                      "SELECT COUNT(*) FROM visit_booking WHERE slot_id = ? AND family_user_id = ? AND status = 'booked'",
                      "ii", slot, family);
    return *n < 0 ? -1 : 0;
}

int enrol_store_visit_insert(struct db *db, const char *district, int64_t slot, int64_t inst, int64_t family,
                             int64_t child_id, int64_t visitors, const char *now_ts, int64_t *id, struct err *e)
{
    int found;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO visit_booking (district_code, slot_id, institution_id, family_user_id, "
                       "child_id, visitors, status, created_at) VALUES (?,?,?,?,?,?,'booked',?) RETURNING id",
                       "tiiiIit", district, slot, inst, family, child_id, visitors, now_ts);
    if (*id < 0) /* a conflict: the same family raced itself */
        return db_conflict_as(e, "already_booked", "slot_id", "您已预约该时段，无需重复预约");
    return found ? 0 : err_set(e, 500, "db_error", "", "数据库没有返回新记录的编号");
}

int enrol_store_visit_owner(struct db *db, const char *district, int64_t id, int64_t *owner, struct err *e)
{
    int found;
    *owner = db_query_int(db, e, &found, "SELECT family_user_id FROM visit_booking WHERE id = ? AND district_code = ?",
                          "it", id, district);
    return *owner < 0 ? -1 : found;
}

int enrol_store_visit_cancel(struct db *db, int64_t id, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE visit_booking SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'",
                       "ti", now_ts, id);
    if (n <= 0)
        return (int)n;
    return db_run(db, e,
                  "UPDATE visit_slot SET booked = booked - 1, updated_at = ? WHERE id = (SELECT slot_id FROM visit_booking "
                  "WHERE id = ?) AND status = 'open'",
                  "ti", now_ts, id) < 0
               ? -1
               : 1;
}

static json_t *visit_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:I}", "id", (json_int_t)db_col_int64(st, 0),
                     "slot_id", (json_int_t)db_col_int64(st, 1), "institution_id", (json_int_t)db_col_int64(st, 2),
                     "institution_name", db_col_text(st, 3), "starts_at", db_col_text(st, 4), "ends_at",
                     db_col_text(st, 5), "visitors", (int)db_col_int64(st, 6), "status", db_col_text(st, 7),
                     "created_at", db_col_text(st, 8), "family_user_id", (json_int_t)db_col_int64(st, 9));
}

int enrol_store_visits(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                       int64_t before_id, const char *before_key, int limit, json_t **rows, struct err *e)
{
    int n;
    struct db_stmt *st = scoped(db,
                                "SELECT b.id, b.slot_id, b.institution_id, i.name, s.starts_at, s.ends_at, b.visitors, "
                                "b.status, b.created_at, b.family_user_id FROM visit_booking b JOIN visit_slot s ON s.id = b.slot_id "
                                "JOIN institution i ON i.id = b.institution_id "
                                "WHERE b.district_code = ? AND %s AND (? = 0 OR s.starts_at < ? OR (s.starts_at = ? "
                                "AND b.id < ?)) ORDER BY s.starts_at DESC, b.id DESC LIMIT ?",
                                scope_sql, district, scope, &n, e);
    if (st) {
        db_bind_int64(st, n++, before_id);
        db_bind_text(st, n++, before_key);
        db_bind_text(st, n++, before_key);
        db_bind_int64(st, n++, before_id);
        db_bind_int64(st, n, limit);
    }
    return db_rows_json(st, e, visit_row, NULL, rows);
}

/* store.c — reading and writing daily care (store.h). */
#include "care/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"

int care_class_load(struct db *db, const char *district, int64_t class_id, int64_t *institution_id, char *name,
                    size_t name_cap, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT institution_id, name FROM institution_class WHERE id = ? AND district_code = ?",
                                  "it", class_id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "class_id", "未找到该班级");
    *institution_id = db_col_int64(st, 0);
    db_col_copy(st, 1, name, name_cap);
    db_finalize(st);
    return 0;
}

static void care_open_placement_row(struct db_stmt *st, void *item)
{
    struct care_placement *out = item;
    db_scan(st, DB_I64(&out->id), DB_I64(&out->institution_id), DB_I64(&out->class_id), DB_TEXT(out->class_name),
            DB_TEXT(out->start_date));
}

int care_open_placement(struct db *db, int64_t child_id, struct care_placement *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT p.id, p.institution_id, p.class_id, k.name, p.start_date FROM care_placement p "
                                  "JOIN institution_class k ON k.id = p.class_id WHERE p.child_id = ? AND p.end_date IS NULL",
                                  "i", child_id);
    return db_one(st, e, sizeof *out, care_open_placement_row, out);
}

int care_place(struct db *db, const char *district, int64_t child_id, int64_t institution_id, int64_t class_id,
               const char *start_date, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO care_placement (district_code, child_id, institution_id, class_id, start_date, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "tiiittt", district, child_id, institution_id, class_id, start_date, now_ts, now_ts);
    return *id < 0 ? db_conflict_as(e, "already_placed", "class_id", "该婴幼儿已编入班级，请先办理离园或转班") : 0;
}

int care_end_placement(struct db *db, int64_t id, const char *end_date, const char *reason, const char *now_ts,
                       struct err *e)
{
    return db_write(db, e,
                    "UPDATE care_placement SET end_date = ?, leave_reason = ?, updated_at = ? WHERE id = ?", "ttti",
                    end_date, reason, now_ts, id);
}

int care_insert_entry_check(struct db *db, const char *district, int64_t child_id, const char *kind,
                            const char *checked_on, const char *result, const char *note, int64_t material_id,
                            int64_t recorded_by, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO care_entry_check (district_code, child_id, kind, checked_on, result, note, "
                       "material_id, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "titttTIit", district, child_id, kind, checked_on, result, note, material_id, recorded_by,
                       now_ts);
    return *id < 0 ? -1 : 0;
}

static json_t *entry_check_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "kind",
                     db_col_text(st, 1), "kind_name", care_name(db_col_text(st, 1)), "checked_on", db_col_text(st, 2),
                     "result", db_col_text(st, 3), "note", db_col_json_text(st, 4), "material_id",
                     db_col_json_id(st, 5));
}

int care_entry_checks_json(struct db *db, int64_t child_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, kind, checked_on, result, note, material_id FROM care_entry_check "
                                  "WHERE child_id = ? ORDER BY checked_on DESC, id DESC",
                                  "i", child_id);
    return db_rows_json(st, e, entry_check_row, NULL, out);
}

int care_material_exists(struct db *db, const char *district, int64_t id, struct err *e)
{
    int found;
    int64_t v = db_query_int(db, e, &found, "SELECT 1 FROM material WHERE id = ? AND district_code = ?", "it", id, district);
    return v < 0 ? -1 : found;
}

int care_insert_pickup(struct db *db, const struct crypt_key *key, const char *district, int64_t child_id,
                       const char *name, const char *relation, const char *now_ts, int64_t *id, struct err *e)
{
    char sealed[256], masked[96];
    if (crypt_seal(key, name, sealed, sizeof sealed, e) < 0)
        return -1;
    mask_name(name, masked, sizeof masked);
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO care_pickup (district_code, child_id, name_sealed, name_masked, relation, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                       "titttt", district, child_id, sealed, masked, relation, now_ts);
    return *id < 0 ? -1 : 0;
}

/* A pickup row, its name opened with the key ctx (the masked name without one). */
static json_t *pickup_row(struct db_stmt *st, void *ctx)
{
    char name[96];
    struct err oe;
    if (!ctx || crypt_open(ctx, db_col_text(st, 1), name, sizeof name, &oe) < 0)
        db_col_copy(st, 2, name, sizeof name);
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0), "name", name, "relation",
                     db_col_text(st, 3));
}

int care_pickups_json(struct db *db, const struct crypt_key *key, int64_t child_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, name_sealed, name_masked, relation FROM care_pickup WHERE child_id = ? ORDER BY id",
                                  "i", child_id);
    return db_rows_json(st, e, pickup_row, (void *)key, out);
}

int64_t care_pickup_child(struct db *db, int64_t pickup_id, struct err *e)
{
    int found;
    int64_t v = db_query_int(db, e, &found, "SELECT child_id FROM care_pickup WHERE id = ?", "i", pickup_id);
    return v < 0 ? -1 : found ? v : 0;
}

int care_gate_state_load(struct db *db, int64_t child_id, int64_t class_id, const char *day,
                         struct care_gate_state *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    int found;
    if (db_query_int(db, e, &found,
                     "SELECT 1 FROM care_placement WHERE child_id = ? AND class_id = ? AND start_date <= ? "
                     "AND (end_date IS NULL OR end_date > ?)",
                     "iitt", child_id, class_id, day, day) < 0)
        return -1;
    out->in_class = found;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT (SELECT MAX(checked_on) FROM care_entry_check WHERE child_id = ? AND kind = "
                                  "'health_check' AND result = 'pass' AND checked_on <= ?), (SELECT MAX(checked_on) FROM "
                                  "care_entry_check WHERE child_id = ? AND kind = 'vaccination' AND result = 'pass' AND "
                                  "checked_on <= ?), (SELECT MAX(day) FROM care_attendance WHERE child_id = ? AND "
                                  "status = 'present' AND day < ?)",
                                  "ititit", child_id, day, child_id, day, child_id, day);
    if (db_first_row(st, e) < 0)
        return -1;
    db_scan(st, DB_TEXT(out->health_pass), DB_TEXT(out->vaccination_pass), DB_TEXT(out->last_present));
    db_finalize(st);
    return 0;
}

int care_insert_attendance(struct db *db, const char *district, int64_t institution_id, int64_t class_id,
                           const char *day, const struct care_entry *x, int64_t recorded_by, const char *now_ts,
                           struct err *e)
{
    if (db_run(db, e,
               "INSERT INTO care_attendance (district_code, child_id, institution_id, class_id, day, status, "
               "check_in, brought_by, absence_cause, symptom, note, recorded_by, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               "tiiittTITTTitt", district, x->child_id, institution_id, class_id, day,
               x->present ? "present" : "absent", x->check_in, x->brought_by, x->absence_cause, x->symptom, x->note,
               recorded_by, now_ts, now_ts) < 0)
        return db_conflict_as(e, "already_recorded", "child_id", "该婴幼儿当天的考勤已登记");
    return 0;
}

int64_t care_check_out(struct db *db, int64_t child_id, const char *day, const char *time, int64_t collected_by,
                       const char *now_ts, struct err *e)
{
    return db_run(db, e,
                  "UPDATE care_attendance SET check_out = ?, collected_by = ?, updated_at = ? WHERE child_id = ? AND day = ? "
                  "AND status = 'present' AND check_out IS NULL AND check_in <= ?",
                  "tititt", time, collected_by, now_ts, child_id, day, time);
}

/* A class sheet row; ctx is the institution id. */
static json_t *sheet_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:b, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "child_id", (json_int_t)db_col_int64(st, 0), "child_name", db_col_text(st, 1),
                     "child_name_sealed", db_col_text(st, 11), "institution_id",
                     (json_int_t)*(const int64_t *)ctx, "family_user_id",
                     (json_int_t)db_col_int64(st, 12), "health_consent",
                     db_col_int64(st, 13) > 0, "class_id", (json_int_t)db_col_int64(st, 9), "class_name",
                     db_col_text(st, 10), "status", db_col_json_text(st, 2), "check_in",
                     db_col_json_text(st, 3), "brought_by", db_col_json_id(st, 4), "check_out",
                     db_col_json_text(st, 5), "collected_by", db_col_json_id(st, 6), "absence_cause",
                     db_col_json_text(st, 7), "note", db_col_json_text(st, 8));
}

int care_sheet_json(struct db *db, int64_t institution_id, int64_t class_id, const char *day, json_t **out,
                    struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT c.id, c.name_masked, a.status, a.check_in, a.brought_by, a.check_out, "
                                  "a.collected_by, a.absence_cause, a.note, p.class_id, k.name, c.name_sealed, "
                                  "c.family_user_id, (SELECT COUNT(*) FROM child_consent x WHERE x.child_id = c.id "
                                  "AND x.withdrawn_at IS NULL) FROM care_placement p "
                                  "JOIN child c ON c.id = p.child_id JOIN institution_class k ON k.id = p.class_id "
                                  "LEFT JOIN care_attendance a ON a.child_id = p.child_id AND a.day = ? "
                                  "WHERE p.institution_id = ? AND (? = 0 OR p.class_id = ?) AND p.start_date <= ? "
                                  "AND (p.end_date IS NULL OR p.end_date > ?) ORDER BY p.class_id, c.id",
                                  "tiiitt", day, institution_id, class_id, class_id, day, day);
    return db_rows_json(st, e, sheet_row, &institution_id, out);
}

/* What an attendance row holds beyond its first seven columns (day, status, check_in, check_out,
 * absence_cause, brought_by, collected_by): ATTENDANCE_CHILD adds child id, masked name and class
 * from column 7, ATTENDANCE_SYMPTOM an illness absence's symptom from column 7. That symptom is
 * health data: without ATTENDANCE_SYMPTOM it stays out, for the district and the town also read
 * these replies. */
enum { ATTENDANCE_CHILD = 1, ATTENDANCE_SYMPTOM = 2 };

static json_t *attendance_row(struct db_stmt *st, void *ctx)
{
    int what = *(const int *)ctx;
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "date", db_col_text(st, 0), "status",
                          db_col_text(st, 1), "check_in", db_col_json_text(st, 2), "check_out",
                          db_col_json_text(st, 3), "absence_cause", db_col_json_text(st, 4), "brought_by",
                          db_col_json_id(st, 5), "collected_by", db_col_json_id(st, 6));
    if (what & ATTENDANCE_CHILD) {
        json_object_set_new(o, "child_id", json_integer(db_col_int64(st, 7)));
        json_object_set_new(o, "child_name", json_string(db_col_text(st, 8)));
        json_object_set_new(o, "class_name", json_string(db_col_text(st, 9)));
    }
    if (what & ATTENDANCE_SYMPTOM)
        json_object_set_new(o, "symptom", db_col_json_text(st, 7));
    return o;
}

int care_child_attendance_json(struct db *db, int64_t child_id, int limit, int with_symptom, json_t **out,
                               struct err *e)
{
    return db_rows_json(db_query(db, e,
                                    "SELECT day, status, check_in, check_out, absence_cause, brought_by, collected_by, "
                                    "symptom FROM care_attendance WHERE child_id = ? ORDER BY day DESC LIMIT ?",
                                    "ii", child_id, (int64_t)limit),
                        e, attendance_row, &(int){with_symptom ? ATTENDANCE_SYMPTOM : 0}, out);
}

int care_unexplained_json(struct db *db, int64_t institution_id, const char *from, const char *to, json_t **out,
                          struct err *e)
{
    return db_rows_json(db_query(db, e,
                                    "SELECT a.day, a.status, a.check_in, a.check_out, a.absence_cause, a.brought_by, "
                                    "a.collected_by, c.id, "
                                    "c.name_masked, k.name FROM care_attendance a JOIN child c ON c.id = a.child_id "
                                    "JOIN institution_class k ON k.id = a.class_id WHERE a.institution_id = ? AND "
                                    "a.status = 'absent' AND a.absence_cause IS NULL AND a.day >= ? AND a.day <= ? "
                                    "ORDER BY a.day DESC, c.id",
                                    "itt", institution_id, from, to),
                        e, attendance_row, &(int){ATTENDANCE_CHILD}, out);
}

int care_class_on(struct db *db, int64_t child_id, const char *day, int64_t *institution_id, int64_t *class_id,
                  struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT institution_id, class_id FROM care_placement WHERE child_id = ? AND start_date <= ? "
                                  "AND (end_date IS NULL OR end_date > ?)",
                                  "itt", child_id, day, day);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    db_scan(st, DB_I64(institution_id), DB_I64(class_id));
    db_finalize(st);
    return 1;
}

int care_insert_health_check(struct db *db, const char *district, int64_t child_id, int64_t institution_id,
                             int64_t class_id, const struct care_check *c, int guardian_told, int64_t recorded_by,
                             const char *now_ts, int64_t *id, struct err *e)
{
    char symptoms[CARE_MAX_SYMPTOMS * 20];
    care_symptoms_join(c, symptoms, sizeof symptoms);
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO care_health_check (district_code, child_id, institution_id, class_id, day, slot, "
                       "temperature_c, symptoms, action, note, guardian_told, recorded_by, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "tiiittdttTiit", district, child_id, institution_id, class_id, c->day, c->slot,
                       c->temperature_c /* NaN binds NULL */, symptoms, c->action, c->note, (int64_t)guardian_told,
                       recorded_by, now_ts);
    return *id < 0 ? -1 : 0;
}

static json_t *health_check_row(struct db_stmt *st, void *ctx)
{
    json_t *symptoms = json_array();
    char list[CARE_MAX_SYMPTOMS * 20];
    db_col_copy(st, 4, list, sizeof list);
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(symptoms, json_string(t));
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:b}", "id", (json_int_t)db_col_int64(st, 0), "date",
                     db_col_text(st, 1), "slot", db_col_text(st, 2), "temperature_c",
                     db_col_is_null(st, 3) ? json_null() : json_real(db_col_double(st, 3)), "symptoms", symptoms,
                     "action", db_col_text(st, 5), "note", db_col_json_text(st, 6), "guardian_told",
                     (int)db_col_int64(st, 7));
}

int care_health_checks_json(struct db *db, int64_t child_id, int limit, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, day, slot, temperature_c, symptoms, action, note, guardian_told FROM "
                                  "care_health_check WHERE child_id = ? ORDER BY day DESC, id DESC LIMIT ?",
                                  "ii", child_id, (int64_t)limit);
    return db_rows_json(st, e, health_check_row, NULL, out);
}

/* Append a case to a growing array. */
static int push_case(struct outbreak_case **a, size_t *n, size_t *cap, const struct outbreak_case *c)
{
    if (*n == *cap) {
        size_t more = *cap ? *cap * 2 : 64;
        struct outbreak_case *grown = realloc(*a, more * sizeof **a);
        if (!grown)
            return -1;
        *a = grown;
        *cap = more;
    }
    (*a)[(*n)++] = *c;
    return 0;
}

int care_outbreak_cases(struct db *db, int64_t institution_id, const char *from, const char *to,
                        struct outbreak_case **out, size_t *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT child_id, class_id, day, symptoms FROM care_health_check WHERE institution_id = ? "
                                  "AND day >= ? AND day <= ? AND symptoms <> '' UNION ALL SELECT child_id, class_id, day, "
                                  "'' FROM care_attendance WHERE institution_id = ? AND day >= ? AND day <= ? AND status = "
                                  "'absent' AND absence_cause = 'illness'",
                                  "ittitt", institution_id, from, to, institution_id, from, to);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct date_ymd d;
        struct err de;
        if (date_parse(db_col_text(st, 2), &d, &de) < 0)
            continue;
        struct outbreak_case c = {db_col_int64(st, 0), db_col_int64(st, 1), (int32_t)date_to_days(&d), 0};
        char list[CARE_MAX_SYMPTOMS * 20];
        db_col_copy(st, 3, list, sizeof list);
        if (!list[0])
            c.groups = 1u << OUTBREAK_ILLNESS_ABSENCE;
        for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            const struct care_symptom *sym = care_symptom_find(t);
            int g = sym ? outbreak_group_of(sym->group) : -1;
            if (g >= 0)
                c.groups |= 1u << g;
        }
        if (c.groups && push_case(out, n, &cap, &c) < 0) {
            rc = err_set(e, 500, "out_of_memory", "", "内存不足");
            break;
        }
    }
    db_finalize(st);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* [{child_id, name, class_name}] of the alert's children, masked. */
static int alert_children(struct db *db, const struct care_alert_row *a, char **text, struct err *e)
{
    json_t *list = json_array();
    for (int i = 0; i < a->nchildren; i++) {
        struct db_stmt *st = db_query(db, e,
                                      "SELECT c.name_masked, k.name FROM child c LEFT JOIN care_placement p ON "
                                      "p.child_id = c.id AND p.end_date IS NULL LEFT JOIN institution_class k ON "
                                      "k.id = p.class_id WHERE c.id = ?",
                                      "i", a->children[i]);
        int rc = db_first_row(st, e);
        if (rc < 0) {
            json_decref(list);
            return -1;
        }
        json_array_append_new(list, json_pack("{s:I, s:s, s:s?}", "child_id", (json_int_t)a->children[i], "name",
                                              rc ? db_col_text(st, 0) : "", "class_name", rc ? db_col_text(st, 1) : NULL));
        if (rc)
            db_finalize(st);
    }
    *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    return *text ? 0 : err_set(e, 500, "out_of_memory", "", "内存不足");
}

int care_alert_raise(struct db *db, const char *district, const struct care_alert_row *a, const char *now_ts,
                     int64_t *id, struct err *e)
{
    char *children;
    if (alert_children(db, a, &children, e) < 0)
        return -1;
    int found;
    int64_t live = db_query_int(db, e, &found,
                                "SELECT id FROM care_alert WHERE institution_id = ? AND COALESCE(class_id, 0) = ? AND grp = ? "
                                "AND status <> 'closed'",
                                "iit", a->institution_id, a->class_id, a->group);
    int rc;
    if (live < 0) {
        rc = -1;
    } else if (found) {
        *id = live;
        rc = db_run(db, e,
                    "UPDATE care_alert SET first_day = CASE WHEN first_day < ? THEN first_day ELSE ? END, last_day = "
                    "CASE WHEN last_day > ? THEN last_day ELSE ? END, cases = CASE WHEN cases > ? THEN cases ELSE ? END, "
                    "children = CASE WHEN cases > ? THEN children ELSE ? END, updated_at = ? WHERE id = ?",
                    "ttttiiitti", a->first_day, a->first_day, a->last_day, a->last_day, (int64_t)a->cases,
                    (int64_t)a->cases, (int64_t)a->cases, children, now_ts, live) < 0
                 ? -1
                 : 0;
    } else {
        *id = db_query_int(db, e, NULL,
                           "INSERT INTO care_alert (district_code, institution_id, class_id, grp, first_day, last_day, "
                           "cases, children, rule, basis, status, raised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, 'open', ?, ?) RETURNING id",
                           "tiItttittttt", district, a->institution_id, a->class_id, a->group, a->first_day,
                           a->last_day, (int64_t)a->cases, children, a->rule, a->basis, now_ts, now_ts);
        rc = *id < 0 ? -1 : 1;
    }
    free(children);
    return rc;
}

int care_alert_recipients(struct db *db, const char *district, int64_t institution_id, int64_t **ids, size_t *n,
                          struct err *e)
{
    *ids = NULL;
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT u.id FROM app_user u WHERE u.district_code = ? AND u.disabled = 0 AND ("
                                  "(u.role = ? AND u.institution_id = ?) OR (u.role = ? AND u.town_code = (SELECT town_code "
                                  "FROM institution WHERE id = ?)) OR u.id IN (SELECT user_id FROM instructor_assignment "
                                  "WHERE institution_id = ?)) ORDER BY u.id",
                                  "ttitii", district, role_code(ROLE_INSTITUTION_OPERATOR), institution_id,
                                  role_code(ROLE_TOWN_OFFICER), institution_id, institution_id);
    void *rows;
    int rc = db_rows(st, e, sizeof(int64_t), db_row_int64, &rows, n);
    *ids = rows;
    return rc;
}

int care_alert_load(struct db *db, const char *district, int64_t id, int64_t *institution_id, char *town_code,
                    size_t town_cap, char *status, size_t status_cap, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT a.institution_id, i.town_code, a.status FROM care_alert a JOIN institution i ON "
                                  "i.id = a.institution_id WHERE a.id = ? AND a.district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该预警");
    *institution_id = db_col_int64(st, 0);
    db_col_copy(st, 1, town_code, town_cap);
    db_col_copy(st, 2, status, status_cap);
    db_finalize(st);
    return 0;
}

int64_t care_alert_move(struct db *db, int64_t id, const char *from, const char *to, int64_t user_id,
                        const char *action, const char *now_ts, struct err *e)
{
    if (strcmp(to, "acknowledged") == 0)
        return db_run(db, e,
                      "UPDATE care_alert SET status = ?, acknowledged_by = ?, acknowledged_at = ?, updated_at = ? "
                      "WHERE id = ? AND status = ?",
                      "tittit", to, user_id, now_ts, now_ts, id, from);
    return db_run(db, e,
                  "UPDATE care_alert SET status = ?, closed_by = ?, closed_at = ?, close_action = ?, updated_at = ? "
                  "WHERE id = ? AND status = ?",
                  "titttit", to, user_id, now_ts, action, now_ts, id, from);
}

static json_t *alert_row(struct db_stmt *st, void *ctx)
{
    json_t *children = json_loads(db_col_text(st, 9), 0, NULL);
    int g = outbreak_group_of(db_col_text(st, 5));
    return json_pack("{s:I, s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o}",
                     "id", (json_int_t)db_col_int64(st, 0), "institution_id", (json_int_t)db_col_int64(st, 1),
                     "institution_name", db_col_text(st, 2), "class_id", db_col_json_id(st, 3), "class_name",
                     db_col_json_text(st, 4), "group", db_col_text(st, 5), "group_name", outbreak_group_name(g),
                     "first_day", db_col_text(st, 6), "last_day", db_col_text(st, 7), "cases",
                     (int)db_col_int64(st, 8), "children", children ? children : json_array(), "rule",
                     db_col_text(st, 10), "basis", db_col_text(st, 11), "status", db_col_text(st, 12), "raised_at",
                     db_col_text(st, 13), "acknowledged_at", db_col_json_text(st, 14), "closed_at",
                     db_col_json_text(st, 15), "close_action", db_col_json_text(st, 16));
}

int care_alerts_json(struct db *db, const char *district, const struct authz_scope *scope, const char *status,
                     int limit, json_t **out, struct err *e)
{
    *out = NULL;
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT a.id, a.institution_id, i.name, a.class_id, k.name, a.grp, a.first_day, a.last_day, a.cases, "
        "a.children, a.rule, a.basis, a.status, a.raised_at, a.acknowledged_at, a.closed_at, a.close_action "
        "FROM care_alert a JOIN institution i ON i.id = a.institution_id LEFT JOIN institution_class k ON "
        "k.id = a.class_id WHERE a.district_code = ? AND (CAST(? AS TEXT) IS NULL AND a.status <> 'closed' "
        "OR a.status = ?) AND %s ORDER BY a.id DESC LIMIT ?",
        scope->sql, &scope->params, limit, "ttt", district, status, status);
    return db_rows_json(st, e, alert_row, NULL, out);
}

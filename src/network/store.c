/* store.c — reading and writing instructors' assignments and duties (store.h). */
#include "network/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypt.h"
#include "base/json.h"

int network_is_instructor(struct db *db, const char *district, int64_t user_id, struct err *e)
{
    int found;
    int64_t rc = db_query_int(db, e, &found,
                              "SELECT 1 FROM app_user WHERE id = ? AND district_code = ? AND role = 'health_instructor' "
                              "AND disabled = 0",
                              "it", user_id, district);
    return rc < 0 ? -1 : found;
}

int network_assign(struct db *db, const char *district, int64_t user_id, int64_t institution_id, const char *from,
                   int64_t by, const char *now_ts, int64_t *period_id, struct err *e)
{
    int found;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT MAX(assigned_to) FROM instructor_assignment_period WHERE user_id = ? AND "
                                  "institution_id = ? AND assigned_to IS NOT NULL",
                                  "ii", user_id, institution_id);
    found = db_first_row(st, e);
    if (found < 0)
        return -1;
    if (found) {
        const char *last = db_col_text(st, 0);
        int overlaps = last && strcmp(from, last) <= 0;
        char last_day[DATE_DAY_LEN];
        snprintf(last_day, sizeof last_day, "%s", last ? last : "");
        db_finalize(st);
        if (overlaps)
            return err_set(e, 422, "overlaps_history", "from", "起始日期须晚于该指导员上一次指导该机构的最后一天（%s）",
                           last_day);
    }
    int64_t n = db_run(db, e,
                       "INSERT INTO instructor_assignment (district_code, user_id, institution_id) VALUES (?, ?, ?) "
                       "ON CONFLICT DO NOTHING",
                       "tii", district, user_id, institution_id);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "already_assigned", "user_id", "该健康指导员已分配指导该机构");
    *period_id = db_query_int(db, e, NULL,
                              "INSERT INTO instructor_assignment_period (district_code, user_id, institution_id, "
                              "assigned_from, assigned_by, created_at, updated_at) VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                              "tiititt", district, user_id, institution_id, from, by, now_ts, now_ts);
    return *period_id < 0 ? -1 : 0;
}

int network_assigned_from(struct db *db, int64_t user_id, int64_t institution_id, char from[DATE_DAY_LEN],
                          struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT p.assigned_from FROM instructor_assignment a JOIN instructor_assignment_period p "
                                  "ON p.user_id = a.user_id AND p.institution_id = a.institution_id AND p.assigned_to IS NULL "
                                  "WHERE a.user_id = ? AND a.institution_id = ?",
                                  "ii", user_id, institution_id);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    db_col_copy(st, 0, from, DATE_DAY_LEN);
    db_finalize(st);
    return 1;
}

int network_unassign(struct db *db, int64_t user_id, int64_t institution_id, const char *to, int64_t by,
                     const char *now_ts, int64_t *period_id, struct err *e)
{
    int found;
    int64_t n = db_run(db, e, "DELETE FROM instructor_assignment WHERE user_id = ? AND institution_id = ?", "ii", user_id,
                       institution_id);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "not_assigned", "user_id", "该健康指导员当前未分配指导该机构");
    *period_id = db_query_int(db, e, &found,
                              "UPDATE instructor_assignment_period SET assigned_to = ?, ended_by = ?, updated_at = ? "
                              "WHERE user_id = ? AND institution_id = ? AND assigned_to IS NULL RETURNING id",
                              "titii", to, by, now_ts, user_id, institution_id);
    if (*period_id < 0)
        return -1;
    return found ? 0 : err_set(e, 500, "assignment_history", "", "分配记录缺少起始日期");
}

static json_t *assignment_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)db_col_int64(st, 0), "user_id",
                     (json_int_t)db_col_int64(st, 1), "user_name", db_col_text(st, 2), "institution_id",
                     (json_int_t)db_col_int64(st, 3), "institution_name", db_col_text(st, 4), "town_code",
                     db_col_text(st, 5), "town_name", db_col_text(st, 6), "from", db_col_text(st, 7), "to",
                     db_col_json_text(st, 8));
}

int network_assignments_json(struct db *db, const char *district, const struct authz_scope *scope,
                             int64_t institution_id, int64_t user_id, int history, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT p.id, p.user_id, u.name, p.institution_id, i.name, i.town_code, t.name, p.assigned_from, p.assigned_to "
        "FROM instructor_assignment_period p JOIN app_user u ON u.id = p.user_id JOIN institution i ON i.id = "
        "p.institution_id JOIN town t ON t.code = i.town_code WHERE p.district_code = ? AND (? = 0 OR p.institution_id = ?) "
        "AND (? = 0 OR p.user_id = ?) AND (? = 1 OR p.assigned_to IS NULL) AND %s ORDER BY i.town_code, i.id, "
        "p.assigned_from, p.id",
        scope->sql, &scope->params, -1, "tiiiii", district, institution_id, institution_id, user_id, user_id,
        (int64_t)history);
    return db_rows_json(st, e, assignment_row, NULL, out);
}

static json_t *instructor_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "login",
                     db_col_text(st, 1), "name", db_col_text(st, 2), "institutions", (json_int_t)db_col_int64(st, 3),
                     "org_id", db_col_json_id(st, 4), "org_name", db_col_json_text(st, 5));
}

int network_instructors_json(struct db *db, const char *district, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT u.id, u.login, u.name, (SELECT COUNT(*) FROM instructor_assignment a WHERE "
                                  "a.user_id = u.id), o.id, o.name FROM app_user u LEFT JOIN health_org_member m ON "
                                  "m.district_code = u.district_code AND m.user_id = u.id LEFT JOIN health_org o ON "
                                  "o.id = m.org_id WHERE u.district_code = ? AND u.role = 'health_instructor' AND "
                                  "u.disabled = 0 ORDER BY u.name, u.id",
                                  "t", district);
    return db_rows_json(st, e, instructor_row, NULL, out);
}

/* ---- the network's organisations ---- */

static json_t *org_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0),
                     "kind", db_col_json_text(st, 1), "name", db_col_json_text(st, 2), "child_health_centre",
                     (int)db_col_int64(st, 3), "town_code", db_col_json_text(st, 4), "town_name",
                     db_col_json_text(st, 5), "parent_id", db_col_json_id(st, 6), "address", db_col_json_text(st, 7),
                     "lon", db_col_is_null(st, 8) ? json_null() : json_real(db_col_double(st, 8)), "lat",
                     db_col_is_null(st, 9) ? json_null() : json_real(db_col_double(st, 9)), "instructors", json_array());
}

static json_t *member_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:o, s:o, s:I}", "org_id", (json_int_t)db_col_int64(st, 0), "user_id",
                     (json_int_t)db_col_int64(st, 1), "name", db_col_json_text(st, 2), "since", db_col_json_text(st, 3),
                     "institutions", (json_int_t)db_col_int64(st, 4));
}

int network_orgs_json(struct db *db, const char *district, const char *today, json_t **out, struct err *e)
{
    json_t *orgs, *members;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT o.id, o.kind, o.name, o.child_health_centre, o.town_code, t.name, o.parent_id, "
                                  "o.address, o.lon, o.lat FROM health_org o LEFT JOIN town t ON t.district_code = "
                                  "o.district_code AND t.code = o.town_code WHERE o.district_code = ? ORDER BY "
                                  "o.parent_id IS NOT NULL, o.town_code, o.id",
                                  "t", district);
    if (db_rows_json(st, e, org_row, NULL, &orgs) < 0)
        return -1;
    /* each instructor with the institutions assigned to them today */
    st = db_query(db, e,
                  "SELECT m.org_id, u.id, u.name, m.since, (SELECT COUNT(*) FROM instructor_assignment_period p WHERE "
                  "p.user_id = u.id AND p.assigned_from <= ? AND (p.assigned_to IS NULL OR p.assigned_to >= ?)) FROM "
                  "health_org_member m JOIN app_user u ON u.id = m.user_id WHERE m.district_code = ? AND u.disabled = 0 "
                  "ORDER BY m.org_id, u.name",
                  "ttt", today, today, district);
    if (db_rows_json(st, e, member_row, NULL, &members) < 0) {
        json_decref(orgs);
        return -1;
    }
    jarray_attach(orgs, "id", "instructors", members, "org_id");
    json_decref(members);
    *out = orgs;
    return 0;
}

int network_org_exists(struct db *db, const char *district, int64_t org_id, struct err *e)
{
    int found;
    if (db_query_int(db, e, &found, "SELECT 1 FROM health_org WHERE district_code = ? AND id = ?", "ti", district,
                     org_id) < 0)
        return -1;
    return found;
}

int network_org_join(struct db *db, const char *district, int64_t user_id, int64_t org_id, const char *today,
                     struct err *e)
{
    if (db_run(db, e, "DELETE FROM health_org_member WHERE district_code = ? AND user_id = ?", "ti", district, user_id) < 0)
        return -1;
    return db_write(db, e, "INSERT INTO health_org_member (district_code, user_id, org_id, since) VALUES (?, ?, ?, ?)",
                    "tiit", district, user_id, org_id, today);
}

int network_duty_insert(struct db *db, const char *district, int64_t institution_id, int64_t user_id,
                        const struct network_duty *d, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO instructor_duty (district_code, institution_id, user_id, kind, done_on, content, "
                       "findings, advice, follow_up, follow_up_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?) RETURNING id",
                       "tiittttttttt", district, institution_id, user_id, network_kind_code(d->kind), d->done_on,
                       d->content, d->findings, d->advice, d->follow_up, d->follow_up_by, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

static json_t *duty_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    int kind = network_kind_from_code(db_col_text(st, 1));
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                     "kind", db_col_text(st, 1), "kind_name", network_kind_name(kind < 0 ? NETWORK_KINDS : kind), "date",
                     db_col_text(st, 2), "content", db_col_text(st, 3), "findings", db_col_text(st, 4), "advice",
                     db_col_text(st, 5), "follow_up", db_col_text(st, 6), "follow_up_by", db_col_json_text(st, 7),
                     "user_id", (json_int_t)db_col_int64(st, 8), "user_name", db_col_text(st, 9));
}

int network_duties_json(struct db *db, int64_t institution_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT d.id, d.kind, d.done_on, d.content, d.findings, d.advice, d.follow_up, "
                                  "d.follow_up_by, d.user_id, u.name FROM instructor_duty d JOIN app_user u ON u.id = "
                                  "d.user_id WHERE d.institution_id = ? ORDER BY d.done_on DESC, d.id DESC LIMIT 500",
                                  "i", institution_id);
    return db_rows_json(st, e, duty_row, NULL, out);
}

static void inst_row(struct db_stmt *st, void *item)
{
    struct network_inst_row *r = item;
    db_scan(st, DB_I64(&r->id), DB_TEXT(r->name), DB_TEXT(r->town_code), DB_TEXT(r->town_name), DB_TEXT(r->since));
}

static void assign_row(struct db_stmt *st, void *item)
{
    struct network_assign_row *r = item;
    db_scan(st, DB_I64(&r->institution_id), DB_I64(&r->a.user_id), DB_TEXT(r->a.from), DB_TEXT(r->a.to),
            DB_TEXT(r->user_name));
}

static void done_row(struct db_stmt *st, void *item)
{
    struct network_done_row *r = item;
    r->institution_id = db_col_int64(st, 0);
    int kind = network_kind_from_code(db_col_text(st, 1));
    r->d.kind = kind < 0 ? NETWORK_KINDS : (enum network_kind)kind;
    db_col_copy(st, 2, r->d.on, sizeof r->d.on);
}

/* The condition of the filed institutions (joined as i) inside scope: district, the one id or 0
 * twice, then the scope's values. */
#define FILED_IN_SCOPE "i.district_code = ? AND i.status = 'filed' AND (? = 0 OR i.id = ?) AND %s"

int network_compliance_load(struct db *db, const char *district, const struct authz_scope *scope,
                            int64_t institution_id, const char *since_day, struct network_compliance_rows *out,
                            struct err *e)
{
    memset(out, 0, sizeof *out);
    void *rows;
    struct db_stmt *st =
        db_query_scoped(db, e,
                        "SELECT i.id, i.name, i.town_code, t.name, COALESCE(f.filed_on, "
                        "SUBSTR(i.created_at, 1, 10)) FROM institution i JOIN town t ON t.code = i.town_code "
                        "LEFT JOIN institution_filing f ON f.institution_id = i.id AND f.cancelled_on IS NULL "
                        "WHERE " FILED_IN_SCOPE " ORDER BY i.id",
                        scope->sql, &scope->params, -1, "tii", district, institution_id, institution_id);
    if (db_rows(st, e, sizeof *out->insts, inst_row, &rows, &out->ninsts) < 0)
        return -1;
    out->insts = rows;
    st = db_query_scoped(
        db, e,
        "SELECT p.institution_id, p.user_id, p.assigned_from, p.assigned_to, u.name FROM "
        "instructor_assignment_period p JOIN institution i ON i.id = p.institution_id JOIN app_user u ON "
        "u.id = p.user_id WHERE " FILED_IN_SCOPE " ORDER BY p.institution_id, p.assigned_from",
        scope->sql, &scope->params, -1, "tii", district, institution_id, institution_id);
    if (db_rows(st, e, sizeof *out->assigns, assign_row, &rows, &out->nassigns) < 0)
        goto fail;
    out->assigns = rows;
    st = db_query_scoped(
        db, e,
        "SELECT d.institution_id, d.kind, d.done_on FROM instructor_duty d JOIN institution i ON i.id = "
        "d.institution_id WHERE d.done_on >= ? AND " FILED_IN_SCOPE " ORDER BY d.institution_id, d.done_on",
        scope->sql, &scope->params, -1, "ttii", since_day, district, institution_id, institution_id);
    if (db_rows(st, e, sizeof *out->done, done_row, &rows, &out->ndone) < 0)
        goto fail;
    out->done = rows;
    return 0;
fail:
    network_compliance_free(out);
    return -1;
}

void network_compliance_free(struct network_compliance_rows *rows)
{
    free(rows->insts);
    free(rows->assigns);
    free(rows->done);
    memset(rows, 0, sizeof *rows);
}

/* ---- care-group activities ---- */

int network_activity_insert(struct db *db, const char *district, const char *town_code, int64_t institution_id,
                            const struct network_activity *x, int64_t by, const char *now_ts, int64_t *id,
                            struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO care_group_activity (district_code, town_code, institution_id, host, topic, age_band, "
                       "place, starts_at, capacity, created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "ttitttttiitt", district, town_code, institution_id, x->host, x->topic, x->age_band, x->place,
                       x->starts_at, x->capacity, by, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

/* An activity with its town and, when a station or institution holds it, that one's position
 * (the activity's, for "near me"); the families that came once attendance is taken. */
#define ACTIVITY_COLUMNS                                                                                             \
    "a.id, a.town_code, t.name, a.institution_id, a.host, a.topic, a.age_band, a.place, a.starts_at, a.capacity, "   \
    "a.registered, i.lon, i.lat, a.attendance_taken_at, (SELECT COUNT(*) FROM care_group_registration x WHERE "      \
    "x.activity_id = a.id AND x.attended = 1)"
#define ACTIVITY_FROM                                                                                                \
    "care_group_activity a JOIN town t ON t.code = a.town_code LEFT JOIN institution i ON i.id = a.institution_id "

static json_t *activity_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *band = db_col_text(st, 6), *band_name = network_age_band_name(band);
    int64_t capacity = db_col_int64(st, 9), registered = db_col_int64(st, 10);
    int located = !db_col_is_null(st, 11) && !db_col_is_null(st, 12);
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:I}", "id",
                     (json_int_t)db_col_int64(st, 0), "town_code", db_col_text(st, 1), "town_name", db_col_text(st, 2),
                     "institution_id", db_col_json_id(st, 3), "host", db_col_text(st, 4), "topic", db_col_text(st, 5),
                     "age_band", band, "age_band_name", band_name ? band_name : band, "place", db_col_text(st, 7),
                     "starts_at", db_col_text(st, 8), "capacity", (json_int_t)capacity, "registered",
                     (json_int_t)registered, "free", (json_int_t)(capacity - registered), "lon",
                     located ? json_real(db_col_double(st, 11)) : json_null(), "lat",
                     located ? json_real(db_col_double(st, 12)) : json_null(), "attendance_taken_at",
                     db_col_json_text(st, 13), "attended", (json_int_t)db_col_int64(st, 14));
}

int network_activities_json(struct db *db, const char *district, const struct authz_scope *scope, const char *from,
                            const char *to, json_t **out, struct err *e)
{
    struct db_stmt *st =
        db_query_scoped(db, e,
                        "SELECT " ACTIVITY_COLUMNS " FROM " ACTIVITY_FROM "WHERE a.district_code = ? AND "
                        "a.starts_at >= ? AND a.starts_at < ? AND %s ORDER BY a.starts_at, a.id LIMIT 2000",
                        scope->sql, &scope->params, -1, "ttt", district, from, to);
    return db_rows_json(st, e, activity_row, NULL, out);
}

static json_t *town_count_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:s, s:s, s:I, s:I, s:I}", "town_code", db_col_text(st, 0), "town_name", db_col_text(st, 1),
                     "activities", (json_int_t)db_col_int64(st, 2), "registered", (json_int_t)db_col_int64(st, 3),
                     "attended", (json_int_t)db_col_int64(st, 4));
}

int network_activities_by_town_json(struct db *db, const char *district, const struct authz_scope *scope,
                                    const char *from, const char *to, json_t **out, struct err *e)
{
    struct db_stmt *st =
        db_query_scoped(db, e,
                        "SELECT t.code, t.name, COUNT(a.id), COALESCE(SUM(a.registered), 0), "
                        "COALESCE(SUM(x.came), 0) FROM (SELECT code, name FROM town WHERE district_code = ?) t "
                        "LEFT JOIN care_group_activity a ON a.town_code = t.code AND a.district_code = ? AND "
                        "a.starts_at >= ? AND a.starts_at < ? AND %s "
                        "LEFT JOIN (SELECT activity_id, COUNT(*) AS came FROM care_group_registration WHERE "
                        "attended = 1 GROUP BY activity_id) x ON x.activity_id = a.id "
                        "GROUP BY t.code, t.name ORDER BY t.code",
                        scope->sql, &scope->params, -1, "tttt", district, district, from, to);
    return db_rows_json(st, e, town_count_row, NULL, out);
}

int network_registration_insert(struct db *db, const char *district, int64_t activity_id, int64_t family_user_id,
                                const char *now_ts, int64_t *id, struct err *e)
{
    int found;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO care_group_registration (district_code, activity_id, family_user_id, created_at) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (activity_id, family_user_id, district_code) DO NOTHING RETURNING id",
                       "tiit", district, activity_id, family_user_id, now_ts);
    if (*id < 0)
        return -1;
    return found ? 0 : err_set(e, 409, "already_registered", "activity_id", "您已报名该活动，无需重复报名");
}

int network_activity_take(struct db *db, const char *district, int64_t activity_id, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE care_group_activity SET registered = registered + 1, updated_at = ? WHERE id = ? AND "
                       "district_code = ? AND starts_at > ? AND registered < capacity",
                       "titt", now_ts, activity_id, district, now_ts);
    return n < 0 ? -1 : n > 0;
}

int network_activity_started(struct db *db, const char *district, int64_t activity_id, const char *now_ts,
                             struct err *e)
{
    int found;
    int64_t started = db_query_int(db, e, &found,
                                   "SELECT CASE WHEN starts_at <= ? THEN 1 ELSE 0 END FROM care_group_activity WHERE id = ? "
                                   "AND district_code = ?",
                                   "tit", now_ts, activity_id, district);
    if (started < 0)
        return -1;
    return found ? (int)started : err_set(e, 404, "not_found", "activity_id", "未找到该活动");
}

/* A family's registration: the activity's row with the registration's id and attendance. */
static json_t *registration_row(struct db_stmt *st, void *ctx)
{
    json_t *row = activity_row(st, ctx);
    json_object_set_new(row, "registration_id", json_integer(db_col_int64(st, 15)));
    json_object_set_new(row, "came", db_col_is_null(st, 16) ? json_null() : json_boolean(db_col_int64(st, 16)));
    return row;
}

int network_registrations_json(struct db *db, int64_t family_user_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " ACTIVITY_COLUMNS ", r.id, r.attended FROM " ACTIVITY_FROM
                                  "JOIN care_group_registration r ON r.activity_id = a.id WHERE r.family_user_id = ? "
                                  "ORDER BY a.starts_at DESC, a.id DESC LIMIT 500",
                                  "i", family_user_id);
    return db_rows_json(st, e, registration_row, NULL, out);
}

int network_activity_head(struct db *db, const char *district, int64_t id, struct network_activity_head *out,
                          struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, town_code, COALESCE(institution_id, 0), topic, starts_at, capacity, registered "
                                  "FROM care_group_activity WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该活动");
    db_scan(st, DB_I64(&out->id), DB_TEXT(out->town_code), DB_I64(&out->institution_id), DB_TEXT(out->topic),
            DB_TEXT(out->starts_at), DB_I64(&out->capacity), DB_I64(&out->registered));
    db_finalize(st);
    return 0;
}

static json_t *attendee_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    char name[64];
    if (mask_name(db_col_text(st, 1), name, sizeof name) < 0)
        snprintf(name, sizeof name, "*");
    return json_pack("{s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)db_col_int64(st, 0), "family_name", name, "mobile",
                     db_col_json_text(st, 2), "registered_at", db_col_text(st, 3), "came",
                     db_col_is_null(st, 4) ? json_null() : json_boolean(db_col_int64(st, 4)));
}

int network_attendees_json(struct db *db, int64_t activity_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT r.id, u.name, u.mobile_masked, r.created_at, r.attended FROM "
                                  "care_group_registration r JOIN app_user u ON u.id = r.family_user_id "
                                  "WHERE r.activity_id = ? ORDER BY r.id",
                                  "i", activity_id);
    return db_rows_json(st, e, attendee_row, NULL, out);
}

int network_attendance_mark(struct db *db, int64_t activity_id, const int64_t *came, int n, const char *now_ts,
                            struct err *e)
{
    for (int k = 0; k < n; k++) {
        int found;
        if (db_query_int(db, e, &found, "SELECT id FROM care_group_registration WHERE id = ? AND activity_id = ?", "ii",
                         came[k], activity_id) < 0)
            return -1;
        if (!found)
            return err_set(e, 422, "not_registered", "came", "第 %d 项不是本活动的报名：%lld", k + 1, (long long)came[k]);
    }
    if (db_run(db, e, "UPDATE care_group_registration SET attended = 0, marked_at = ? WHERE activity_id = ?", "ti", now_ts,
               activity_id) < 0)
        return -1;
    for (int k = 0; k < n; k++)
        if (db_run(db, e, "UPDATE care_group_registration SET attended = 1 WHERE id = ?", "i", came[k]) < 0)
            return -1;
    return db_write(db, e, "UPDATE care_group_activity SET attendance_taken_at = ?, updated_at = ? WHERE id = ?", "tti",
                    now_ts, now_ts, activity_id);
}

int network_registration_of(struct db *db, int64_t id, int64_t family_user_id, int64_t *activity_id, struct err *e)
{
    int found;
    *activity_id = db_query_int(db, e, &found,
                                "SELECT activity_id FROM care_group_registration WHERE id = ? AND family_user_id = ?", "ii",
                                id, family_user_id);
    if (*activity_id < 0)
        return -1;
    return found ? 0 : err_set(e, 404, "not_found", "id", "未找到您的这项报名");
}

int network_registration_delete(struct db *db, int64_t id, int64_t activity_id, const char *now_ts, struct err *e)
{
    return db_run(db, e, "DELETE FROM care_group_registration WHERE id = ?", "i", id) < 0 ||
                   db_run(db, e,
                          "UPDATE care_group_activity SET registered = registered - 1, updated_at = ? WHERE id = ? AND "
                          "registered > 0",
                          "ti", now_ts, activity_id) < 0
               ? -1
               : 0;
}

int network_org_of_town(struct db *db, const char *district, const char *town, int64_t *id, struct err *e)
{
    int found;
    *id = db_query_int(db, e, &found, "SELECT id FROM health_org WHERE district_code = ? AND town_code = ? ORDER BY id",
                       "tt", district, town);
    if (*id < 0)
        return -1;
    return found ? 0 : err_set(e, 404, "not_found", "town_code", "该镇街没有卫生服务中心：%s", town);
}

int network_store_hosts(struct db *db, const char *district, struct network_host *out, int max, int *n, struct err *e)
{
    /* the accepted stations, then each town's health centre */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT i.id, i.town_code, i.name FROM institution i JOIN station_site s ON "
                                  "s.institution_id = i.id WHERE i.district_code = ? AND s.accepted_on IS NOT NULL "
                                  "ORDER BY i.id",
                                  "t", district);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct network_host *h = &out[(*n)++];
        db_scan(st, DB_I64(&h->institution_id), DB_TEXT(h->town_code), DB_TEXT(h->name));
        snprintf(h->place, sizeof h->place, "%s活动室", h->name);
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    st = db_query(db, e, "SELECT town_code, name FROM health_org WHERE district_code = ? AND town_code IS NOT NULL "
                         "ORDER BY town_code", "t", district);
    if (!st)
        return -1;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct network_host *h = &out[(*n)++];
        h->institution_id = 0;
        db_scan(st, DB_TEXT(h->town_code), DB_TEXT(h->name));
        snprintf(h->place, sizeof h->place, "%s健康教育室", h->name);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

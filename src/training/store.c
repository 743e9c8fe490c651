/* store.c — SQL for training (store.h). */
#include "training/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "params/params.h"
#include "staff/staff.h"

static const char *or_null(const char *s) { return s[0] ? s : NULL; }

int training_rules_from_params(struct db *db, const char *district, const char *date, struct training_rules *r,
                               struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    memset(r, 0, sizeof *r);
    double v = 0;
    int rc = params_load(db, district, date, p, e);
    if (rc == 0 && (rc = params_num(p, "training.annual_hours_min", &v, e)) == 0) {
        r->annual_hours_min = (int)v;
        parse_copy_text(r->basis_hours, sizeof r->basis_hours, params_basis(p, "training.annual_hours_min"));
    }
    free(p);
    return rc;
}

int training_course_insert(struct db *db, const char *district, struct training_course *c, int64_t user_id,
                           const char *now_ts, struct err *e)
{
    c->id = db_query_int(db, e, NULL,
                         "INSERT INTO training_course (district_code, town_code, kind, title, provider, description, "
                         "created_by, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                         "ttttttit", district, or_null(c->town_code), c->kind, c->title, c->provider, c->description,
                         user_id, now_ts);
    return c->id < 0 ? -1 : 0;
}

#define COURSE_COLUMNS "c.id, c.town_code, c.kind, c.title, c.provider, c.description"

static void read_course(struct db_stmt *st, int at, struct training_course *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int64(st, at);
    db_col_copy(st, at + 1, c->town_code, sizeof c->town_code);
    db_col_copy(st, at + 2, c->kind, sizeof c->kind);
    db_col_copy(st, at + 3, c->title, sizeof c->title);
    db_col_copy(st, at + 4, c->provider, sizeof c->provider);
    db_col_copy(st, at + 5, c->description, sizeof c->description);
}

int training_course_load(struct db *db, const char *district, int64_t id, struct training_course *c, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT " COURSE_COLUMNS " FROM training_course c "
                                         "WHERE c.id = ? AND c.district_code = ?", "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "", "未找到该培训课程");
    read_course(st, 0, c);
    db_finalize(st);
    return 0;
}

#define SESSION_COLUMNS "s.id, s.course_id, s.day, s.start_time, s.end_time, s.place, s.places, s.taken, s.hours"

static void read_session(struct db_stmt *st, int at, struct training_session *s)
{
    memset(s, 0, sizeof *s);
    s->id = db_col_int64(st, at);
    s->course_id = db_col_int64(st, at + 1);
    db_col_copy(st, at + 2, s->day, sizeof s->day);
    db_col_copy(st, at + 3, s->start_time, sizeof s->start_time);
    db_col_copy(st, at + 4, s->end_time, sizeof s->end_time);
    db_col_copy(st, at + 5, s->place, sizeof s->place);
    s->places = (int)db_col_int64(st, at + 6);
    s->taken = (int)db_col_int64(st, at + 7);
    s->hours = (int)db_col_int64(st, at + 8);
}

int training_courses(struct db *db, const char *district, const char *town, json_t **rows, struct err *e)
{
    *rows = NULL;
    /* one row per course and session (a course without sessions once, with a NULL session) */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " COURSE_COLUMNS ", " SESSION_COLUMNS " FROM training_course c "
                                  "LEFT JOIN training_session s ON s.course_id = c.id "
                                  "WHERE c.district_code = ? AND (CAST(? AS TEXT) IS NULL OR c.town_code IS NULL OR c.town_code = ?) "
                                  "ORDER BY c.id DESC, s.day, s.start_time, s.id",
                                  "ttt", district, town, town);
    if (!st)
        return -1;
    json_t *out = json_array(), *course = NULL;
    int64_t last = 0;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct training_course c;
        read_course(st, 0, &c);
        if (!course || c.id != last) {
            last = c.id;
            course = training_course_json(&c);
            json_object_set_new(course, "sessions", json_array());
            json_array_append_new(out, course);
        }
        if (!db_col_is_null(st, 6)) {
            struct training_session s;
            read_session(st, 6, &s);
            json_array_append_new(json_object_get(course, "sessions"), training_session_json(&s));
        }
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(out);
        return -1;
    }
    *rows = out;
    return 0;
}

int training_session_insert(struct db *db, const char *district, struct training_session *s, const char *now_ts,
                            struct err *e)
{
    s->id = db_query_int(db, e, NULL,
                         "INSERT INTO training_session (district_code, course_id, day, start_time, end_time, place, "
                         "places, taken, hours, created_at) VALUES (?,?,?,?,?,?,?,0,?,?) RETURNING id",
                         "tittttiit", district, s->course_id, s->day, s->start_time, s->end_time, s->place,
                         (int64_t)s->places, (int64_t)s->hours, now_ts);
    return s->id < 0 ? -1 : 0;
}

int training_demo_attendance(struct db *db, const char *district, int64_t session_id, const char *day,
                             const char *now_ts, struct err *e)
{
    if (db_run(db, e,
               "INSERT INTO training_enrolment (district_code, session_id, staff_id, institution_id, status, created_at, "
               "marked_at) SELECT ?, ?, id, institution_id, 'attended', ?, ? FROM staff_member "
               "WHERE district_code = ? AND start_date <= ? AND id % 9 <> 0",
               "titttt", district, session_id, now_ts, now_ts, district, day) < 0)
        return -1;
    return db_write(db, e,
                    "UPDATE training_session SET places = (SELECT COUNT(*) FROM training_enrolment WHERE session_id = ?), "
                    "taken = (SELECT COUNT(*) FROM training_enrolment WHERE session_id = ?) WHERE id = ?",
                    "iii", session_id, session_id, session_id);
}

int training_session_load(struct db *db, const char *district, int64_t id, struct training_session *s,
                          struct training_course *c, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " COURSE_COLUMNS ", " SESSION_COLUMNS " FROM training_session s "
                                  "JOIN training_course c ON c.id = s.course_id WHERE s.id = ? AND s.district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "", "未找到该培训场次");
    read_course(st, 0, c);
    read_session(st, 6, s);
    db_finalize(st);
    return 0;
}

int training_enrol(struct db *db, const char *district, int64_t session_id, int64_t staff_id, int64_t institution_id,
                   const char *now_ts, int64_t *id, struct err *e)
{
    int found;
    int64_t dup = db_query_int(db, e, &found, "SELECT id FROM training_enrolment WHERE session_id = ? AND staff_id = ?",
                               "ii", session_id, staff_id);
    if (dup < 0)
        return -1;
    if (found)
        return err_set(e, 409, "already_enrolled", "staff_id", "此人已报名该场次");
    /* the place first: one conditional UPDATE, which the database serialises on the row */
    int64_t n = db_run(db, e, "UPDATE training_session SET taken = taken + 1 WHERE id = ? AND taken < places", "i",
                       session_id);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "session_full", "session_id", "该场次名额已满");
    *id = db_query_int(db, e, &found,
                       "INSERT INTO training_enrolment (district_code, session_id, staff_id, institution_id, status, "
                       "created_at) VALUES (?,?,?,?,'enrolled',?) RETURNING id",
                       "tiiit", district, session_id, staff_id, institution_id, now_ts);
    return *id < 0 ? db_conflict_as(e, "already_enrolled", "staff_id", "此人已报名该场次") : 0;
}

static void training_enrolment_load_row(struct db_stmt *st, void *item)
{
    struct training_enrolment *out = item;
    db_scan(st, DB_I64(&out->id), DB_I64(&out->session_id), DB_I64(&out->staff_id), DB_I64(&out->institution_id),
            DB_TEXT(out->status), DB_TEXT(out->course_town), DB_TEXT(out->day), DB_INT(&out->hours),
            DB_TEXT(out->title), DB_TEXT(out->kind), DB_TEXT(out->provider));
}

int training_enrolment_load(struct db *db, const char *district, int64_t id, struct training_enrolment *out,
                            struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT en.id, en.session_id, en.staff_id, en.institution_id, en.status, c.town_code, "
                                  "s.day, s.hours, c.title, c.kind, c.provider FROM training_enrolment en "
                                  "JOIN training_session s ON s.id = en.session_id "
                                  "JOIN training_course c ON c.id = s.course_id WHERE en.id = ? AND en.district_code = ?",
                                  "it", id, district);
    return db_one_or_404(st, e, sizeof *out, training_enrolment_load_row, out, "", "未找到该报名记录");
}

int training_mark(struct db *db, int64_t id, const char *status, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "UPDATE training_enrolment SET status = ?, marked_at = ? WHERE id = ?", "tti", status, now_ts,
                    id);
}

static json_t *roster_row(struct db_stmt *st, void *ctx)
{
    int role = staff_role_from_code(db_col_text(st, 3));
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
                     (json_int_t)db_col_int64(st, 0), "staff_id", (json_int_t)db_col_int64(st, 1),
                     "name", db_col_text(st, 2), "role", db_col_text(st, 3), "role_name",
                     staff_role_name(role < 0 ? STAFF_OTHER : (enum staff_role)role),
                     "institution_id", (json_int_t)db_col_int64(st, 4), "institution_name",
                     db_col_text(st, 5), "status", db_col_text(st, 6));
}

int training_session_roster(struct db *db, const char *district, int64_t session_id, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT en.id, en.staff_id, m.name_masked, m.role, en.institution_id, i.name, en.status "
                                  "FROM training_enrolment en JOIN staff_member m ON m.id = en.staff_id "
                                  "JOIN institution i ON i.id = en.institution_id "
                                  "WHERE en.session_id = ? AND en.district_code = ? ORDER BY i.name, en.id",
                                  "it", session_id, district);
    return db_rows_json(st, e, roster_row, NULL, rows);
}

static void read_record(struct db_stmt *st, void *item)
{
    struct training_record *r = item;
    db_scan(st, DB_I64(&r->staff_id), DB_INT(&r->hours));
}

/* The first and last day of year (YYYY…): from = YYYY-01-01, to = YYYY-12-31. */
static void year_days(const char *year, char from[11], char to[11])
{
    snprintf(from, 11, "%.4s-01-01", year);
    snprintf(to, 11, "%.4s-12-31", year);
}

int training_records(struct db *db, const char *district, const char *year, int64_t institution_id, const char *town,
                     struct training_record **out, int *n, struct err *e)
{
    char from[11], to[11];
    year_days(year, from, to);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT en.staff_id, s.hours FROM training_enrolment en "
                                  "JOIN training_session s ON s.id = en.session_id "
                                  "JOIN institution i ON i.id = en.institution_id "
                                  "WHERE en.district_code = ? AND en.status = 'attended' AND s.day BETWEEN ? AND ? "
                                  "AND (? = 0 OR en.institution_id = ?) AND (CAST(? AS TEXT) IS NULL OR i.town_code = ?)",
                                  "tttiitt", district, from, to, institution_id, institution_id, town, town);
    size_t count = 0;
    int rc = db_rows(st, e, sizeof **out, read_record, (void **)out, &count);
    *n = (int)count;
    return rc;
}

static json_t *enrolment_row(struct db_stmt *st, void *ctx)
{
    const char *kind = db_col_text(st, 5);
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:s}", "id",
                     (json_int_t)db_col_int64(st, 0), "staff_id", (json_int_t)db_col_int64(st, 1),
                     "session_id", (json_int_t)db_col_int64(st, 2), "course_id",
                     (json_int_t)db_col_int64(st, 3), "title", db_col_text(st, 4), "kind", kind,
                     "kind_name", training_kind_name(kind), "day", db_col_text(st, 6), "hours",
                     (int)db_col_int64(st, 7), "status", db_col_text(st, 8));
}

int training_institution_enrolments(struct db *db, const char *district, int64_t institution_id, const char *year,
                                    json_t **rows, struct err *e)
{
    char from[11], to[11];
    year_days(year, from, to);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT en.id, en.staff_id, s.id, c.id, c.title, c.kind, s.day, s.hours, en.status "
                                  "FROM training_enrolment en JOIN training_session s ON s.id = en.session_id "
                                  "JOIN training_course c ON c.id = s.course_id WHERE en.district_code = ? "
                                  "AND en.institution_id = ? AND s.day BETWEEN ? AND ? ORDER BY s.day, en.id",
                                  "titt", district, institution_id, from, to);
    return db_rows_json(st, e, enrolment_row, NULL, rows);
}

/* api.c — routes of training (一网办): the course catalogue, publishing courses and sessions
 * (the district, or a town for its own institutions: training.publish), operators enrolling their
 * own staff (training.enrol), attendance recorded by the course's publisher, each person's hours
 * in a year against the minimum, completion by institution and town, and the certificate of
 * completion as a printable page. Every write is audited in its transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "registry/api.h"
#include "registry/store.h"
#include "staff/store.h"
#include "training/api.h"
#include "training/store.h"

static const char *now_ts(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* ?year=YYYY (this year by default), or NULL when malformed. */
static const char *year_of(struct http_req *req)
{
    const char *q = http_query(req, "year");
    if (!q)
        return http_printf(req, "%.4s", req->today);
    if (strlen(q) != 4 || strspn(q, "0123456789") != 4 || strcmp(q, "2000") < 0)
        return NULL;
    return q;
}

static int list_courses(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    /* a town's officer and institutions see the district's courses and their town's */
    const char *town = authz_town_of(req->user);
    char inst_town[16] = "";
    int64_t version;
    if (role_scope(req->user->role) == ROLE_SCOPE_INSTITUTION) {
        if (registry_version(req->db, req->district, req->user->institution_id, inst_town, &version, &e) < 0)
            return http_reply_err(rep, &e);
        town = inst_town;
    }
    json_t *rows;
    if (training_courses(req->db, req->district, town, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:s, s:o}", "as_of", req->today, "items", rows));
}

static int create_course(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct training_course c;
    if (training_course_from_json(http_body(req), &c, &e) < 0)
        return http_reply_err(rep, &e);
    /* a town officer publishes for their town; the district for the district or any town */
    const char *own = authz_town_of(req->user);
    if (!c.town_code[0] && own)
        snprintf(c.town_code, sizeof c.town_code, "%s", own);
    struct authz_target t = {.town_code = c.town_code[0] ? c.town_code : NULL};
    if (authz_require(req, "training.publish", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int found = c.town_code[0] ? registry_town_name(req->db, req->district, c.town_code, NULL, 0, &e) : 1;
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 422, "bad_town", "town_code", "镇街代码无效：%s", c.town_code);
    if (db_begin(req->db, &e) < 0 ||
        training_course_insert(req->db, req->district, &c, req->user->id, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "training.course_create", "training_course", c.id,
                json_pack("{s:s, s:s, s:o}", "kind", c.kind, "title", c.title, "town_code",
                          c.town_code[0] ? json_string(c.town_code) : json_null()),
                &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *o = training_course_json(&c);
    json_object_set_new(o, "sessions", json_array());
    return http_reply_json(rep, 201, o);
}

/* The publisher of a course acts on it: the district on any, a town officer on their town's
 * (a district course has no town, so no town officer reaches it). */
static int require_publisher(struct http_req *req, const char *course_town, struct err *e)
{
    struct authz_target t = {.town_code = course_town[0] ? course_town : NULL};
    return authz_require(req, "training.publish", &t, e);
}

static int create_session(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct training_course c;
    struct training_session s = {.course_id = http_param_id(req, "id")};
    if (training_course_load(req->db, req->district, s.course_id, &c, &e) < 0 ||
        require_publisher(req, c.town_code, &e) < 0 || training_session_from_json(http_body(req), req->today, &s, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0 || training_session_insert(req->db, req->district, &s, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "training.session_create", "training_session", s.id,
                json_pack("{s:I, s:s, s:i, s:i}", "course_id", (json_int_t)c.id, "day", s.day, "places", s.places,
                          "hours", s.hours),
                &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return http_reply_json(rep, 201, training_session_json(&s));
}

static int session_roster(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct training_course c;
    struct training_session s;
    json_t *rows;
    if (training_session_load(req->db, req->district, http_param_id(req, "id"), &s, &c, &e) < 0 ||
        require_publisher(req, c.town_code, &e) < 0 ||
        training_session_roster(req->db, req->district, s.id, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = training_session_json(&s);
    json_object_set_new(o, "course", training_course_json(&c));
    json_object_set_new(o, "items", rows);
    return http_reply_json(rep, 200, o);
}

static int enrol(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct training_course c;
    struct training_session s;
    struct staff *p = http_alloc(req, sizeof *p);
    int64_t staff_id = json_integer_value(json_object_get(http_body(req), "staff_id"));
    if (training_session_load(req->db, req->district, http_param_id(req, "id"), &s, &c, &e) < 0)
        return http_reply_err(rep, &e);
    if (staff_load(req->db, NULL, req->district, staff_id, p, &e) < 0) {
        if (e.status == 404)
            err_set(&e, 422, "bad_staff", "staff_id", "未找到该工作人员");
        return http_reply_err(rep, &e);
    }
    struct authz_target t = {.town_code = p->town_code, .institution_id = p->institution_id};
    if (authz_require(req, "training.enrol", &t, &e) < 0) {
        /* another institution's person is not the operator's to name */
        if (e.status == 404)
            err_set(&e, 422, "bad_staff", "staff_id", "未找到该工作人员");
        return http_reply_err(rep, &e);
    }
    if (c.town_code[0] && strcmp(c.town_code, p->town_code) != 0)
        return http_reply_error(rep, 404, "not_found", "", "未找到该培训场次");
    if (strcmp(s.day, req->today) < 0)
        return http_reply_error(rep, 409, "session_over", "", "该场次已结束，不能报名");
    if (!staff_on_duty(p, req->today))
        return http_reply_error(rep, 422, "staff_not_on_duty", "staff_id", "该工作人员不在岗");
    int64_t id = 0;
    if (db_begin(req->db, &e) < 0 ||
        training_enrol(req->db, req->district, s.id, p->id, p->institution_id, now_ts(req), &id, &e) < 0 ||
        audit_write_commit(req, "training.enrol", "training_enrolment", id,
                json_pack("{s:I, s:I, s:s}", "session_id", (json_int_t)s.id, "staff_id", (json_int_t)p->id, "name",
                          p->name_masked),
                &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "session_id",
                                               (json_int_t)s.id, "staff_id", (json_int_t)p->id, "name", p->name_masked,
                                               "status", "enrolled"));
}

static int attendance(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct training_enrolment en;
    if (training_enrolment_load(req->db, req->district, http_param_id(req, "id"), &en, &e) < 0 ||
        require_publisher(req, en.course_town, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(en.day, req->today) > 0)
        return http_reply_error(rep, 409, "session_not_held", "", "该场次尚未举行，不能记录考勤");
    const char *status = json_is_true(json_object_get(http_body(req), "attended")) ? "attended" : "absent";
    if (db_begin(req->db, &e) < 0 || training_mark(req->db, en.id, status, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "training.attendance", "training_enrolment", en.id,
                json_pack("{s:I, s:s, s:s}", "staff_id", (json_int_t)en.staff_id, "from", en.status, "status", status),
                &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:s, s:i}", "id", (json_int_t)en.id, "staff_id",
                                               (json_int_t)en.staff_id, "status", status, "hours",
                                               strcmp(status, "attended") == 0 ? en.hours : 0));
}

/* GET /api/v1/institutions/{id}/training?year=: each person's hours in the year against the
 * minimum, the pre-job training, and their enrolments (names masked). */
static int institution_training(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "training.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    const char *year = year_of(req);
    if (!year)
        return http_reply_error(rep, 400, "bad_year", "year", "year 应为四位年份");
    struct training_rules rules;
    struct staff_filter f = {.institution_id = in->id};
    struct staff *list = NULL;
    struct training_record *recs = NULL;
    int n = 0, nrecs = 0;
    json_t *enrolments = NULL;
    if (training_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0 ||
        staff_roster(req->db, NULL, req->district, &f, &list, &n, &e) < 0 ||
        training_records(req->db, req->district, year, in->id, NULL, &recs, &nrecs, &e) < 0 ||
        training_institution_enrolments(req->db, req->district, in->id, year, &enrolments, &e) < 0) {
        free(list);
        free(recs);
        return http_reply_err(rep, &e);
    }
    json_t *people = json_array();
    for (int i = 0; i < n; i++) {
        if (!staff_on_duty(&list[i], req->today))
            continue;
        int h = training_hours_of(recs, nrecs, list[i].id);
        json_array_append_new(people, json_pack("{s:I, s:s, s:s, s:s, s:i, s:b, s:o}", "staff_id", (json_int_t)list[i].id,
                                                "name", list[i].name_masked, "role", staff_role_code(list[i].role),
                                                "role_name", staff_role_name(list[i].role), "hours", h, "hours_met",
                                                h >= rules.annual_hours_min, "prejob_date",
                                                list[i].prejob_date[0] ? json_string(list[i].prejob_date) : json_null()));
    }
    free(list);
    free(recs);
    return http_reply_json(rep, 200, json_pack("{s:s, s:s, s:i, s:s, s:o, s:o}", "as_of", req->today, "year", year,
                                               "hours_min", rules.annual_hours_min, "hours_min_basis",
                                               rules.basis_hours, "people", people, "enrolments", enrolments));
}

/* GET /api/v1/training/completion?year=: completion by institution in the caller's jurisdiction. */
static int completion(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *town = authz_town_of(req->user);
    struct authz_target t = {.town_code = town};
    if (authz_require(req, "training.completion", &t, &e) < 0)
        return http_reply_err(rep, &e);
    const char *year = year_of(req);
    if (!year)
        return http_reply_error(rep, 400, "bad_year", "year", "year 应为四位年份");
    struct training_rules rules;
    struct staff_filter f = {.town = town};
    struct staff *list = NULL;
    struct training_record *recs = NULL;
    int n = 0, nrecs = 0;
    if (training_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0 ||
        staff_roster(req->db, NULL, req->district, &f, &list, &n, &e) < 0 ||
        training_records(req->db, req->district, year, 0, town, &recs, &nrecs, &e) < 0) {
        free(list);
        free(recs);
        return http_reply_err(rep, &e);
    }
    json_t *items = training_completion_json(list, n, recs, nrecs, &rules, req->today);
    free(list);
    free(recs);
    return http_reply_json(rep, 200, json_pack("{s:s, s:s, s:i, s:s, s:o}", "as_of", req->today, "year", year,
                                               "hours_min", rules.annual_hours_min, "hours_min_basis",
                                               rules.basis_hours, "items", items));
}

/* GET /api/v1/training/enrolments/{id}/certificate: the printable certificate of an attended
 * session, naming the person in full (a read of personal data, audited). */
static int certificate(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct training_enrolment en;
    struct staff *p = http_alloc(req, sizeof *p);
    if (training_enrolment_load(req->db, req->district, http_param_id(req, "id"), &en, &e) < 0 ||
        staff_load(req->db, &req->app->key, req->district, en.staff_id, p, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = p->town_code, .institution_id = p->institution_id};
    if (authz_require(req, "training.certificate", &t, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(en.status, "attended") != 0)
        return http_reply_error(rep, 409, "not_attended", "", "未记录出勤，不能出具培训合格证明");
    struct training_certificate c = {.enrolment_id = en.id, .hours = en.hours};
    snprintf(c.name, sizeof c.name, "%s", p->name);
    snprintf(c.institution_name, sizeof c.institution_name, "%s", p->institution_name);
    snprintf(c.title, sizeof c.title, "%s", en.title);
    snprintf(c.kind, sizeof c.kind, "%s", en.kind);
    snprintf(c.provider, sizeof c.provider, "%s", en.provider);
    snprintf(c.day, sizeof c.day, "%s", en.day);
    if (!en.course_town[0])
        snprintf(c.publisher, sizeof c.publisher, "瓯海区卫生健康局");
    else if (registry_town_name(req->db, req->district, en.course_town, c.publisher, sizeof c.publisher,
                                &e) < 0)
        return http_reply_err(rep, &e);
    json_t *f = json_pack("{s:b, s:I}", "full_name", 1, "staff_id", (json_int_t)p->id);
    int rc = audit_staff_read(req, "training.certificate", "training_enrolment", http_printf(req, "%" PRId64, en.id), f,
                              &e);
    json_decref(f);
    if (rc < 0)
        return http_reply_err(rep, &e);
    char *html = training_certificate_html(&c);
    int fd = html ? http_temp_file(req) : -1;
    size_t len = html ? strlen(html) : 0;
    int ok = fd >= 0 && write(fd, html, len) == (ssize_t)len;
    free(html);
    if (!ok) {
        if (fd >= 0)
            close(fd);
        return http_reply_error(rep, 500, "certificate_failed", "", "无法生成培训合格证明");
    }
    http_reply_header(rep, "Content-Disposition",
                      http_printf(req, "attachment; filename=\"training-certificate-%" PRId64 ".html\"", en.id));
    return http_reply_file(rep, 200, fd, (uint64_t)len, "text/html; charset=utf-8");
}

#include "training/api.schemas.inc"

const struct route training_routes[] = {
    {"GET", "/api/v1/training/courses", "training.read", list_courses, NULL, &COURSES},
    {"POST", "/api/v1/training/courses", "training.publish", create_course, &training_course_schema, &COURSE, 201},
    {"POST", "/api/v1/training/courses/{id}/sessions", "training.publish", create_session, &training_session_schema,
     &SESSION, 201},
    {"GET", "/api/v1/training/sessions/{id}/enrolments", "training.publish", session_roster, NULL, &ROSTER},
    {"POST", "/api/v1/training/sessions/{id}/enrolments", "training.enrol", enrol, &ENROL, &ENROLLED, 201},
    {"PUT", "/api/v1/training/enrolments/{id}/attendance", "training.publish", attendance, &ATTEND, &MARKED},
    {"GET", "/api/v1/training/enrolments/{id}/certificate", "training.certificate", certificate, NULL, &CERTIFICATE},
    {"GET", "/api/v1/training/completion", "training.completion", completion, NULL, &COMPLETION},
    {"GET", "/api/v1/institutions/{id}/training", "training.read", institution_training, NULL, &HOURS},
    {NULL, NULL, NULL, NULL},
};

/* api.c — routes of the health-check schedule (issue 15 item 8): a child's schedule with its
 * checks and screenings, recording a periodic health check (its measurements go to the growth
 * store, table measurement, and the check points at them) and a development or autism-sign
 * screening result, and the due list of the children in care within the caller's reach (an
 * institution's, a health instructor's assigned institutions', a family's own). Health data:
 * written by the child's institution and its health instructor with the guardian's consent, read
 * by them and the family; every staff read audited. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "checkups/api.h"
#include "checkups/checkups.h"
#include "checkups/store.h"
#include "children/children.h"
#include "children/store.h"
#include "growth/api.h"
#include "params/api.h"
#include "params/params.h"
#include "privacy/privacy.h"
#include "privacy/store.h"

static const char *now_timestamp(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* A text member, "" when absent or null. */
static const char *text_of(const json_t *body, const char *key)
{
    const char *v = jfield_text(body, key);
    return v ? v : "";
}

static int rules_today(struct http_req *req, struct checkups_rules *r, struct err *e)
{
    const struct params *p = params_of_request(req, e);
    return p ? checkups_rules_from_params(p, r, e) : -1;
}

static json_t *item_json(const struct checkups_item *it)
{
    char name[64];
    return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "code", it->code, "name",
                     checkups_code_name(it->code, name, sizeof name), "age_months", it->age_months, "target",
                     it->target, "opens", it->opens, "closes", it->closes, "status", checkups_status_code(it->status),
                     "status_name", checkups_status_name(it->status), "done_on",
                     it->status == CHECKUPS_DONE ? json_string(it->done_on) : json_null(), "timing",
                     it->status == CHECKUPS_DONE ? json_string(checkups_timing_code(it->timing)) : json_null(),
                     "in_care", it->in_care);
}

/* The schedule of a child born on birth, in care from care_from ("" not), on today: *n items
 * into out (CHECKUPS_MAX). */
static int schedule_of(struct http_req *req, int64_t child_id, const char *birth, const char *care_from,
                       const struct checkups_rules *r, struct checkups_item *out, int *n, struct err *e)
{
    struct checkups_done *done;
    int ndone;
    if (checkups_done_load(req->db, child_id, &done, &ndone, e) < 0)
        return -1;
    struct checkups_child c = {birth, care_from, done, ndone};
    *n = checkups_schedule(&c, r, req->today, out, CHECKUPS_MAX, e);
    free(done);
    return *n < 0 ? -1 : 0;
}

/* GET /api/v1/children/{id}/checkups: the schedule, the checks recorded and the screenings. */
static int get_checkups(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "checkup.read", &e);
    struct checkups_rules r;
    char care_from[DATE_DAY_LEN];
    struct checkups_item *items = http_alloc(req, CHECKUPS_MAX * sizeof *items);
    int n;
    if (!c || rules_today(req, &r, &e) < 0 || checkups_care_from(req->db, c->id, care_from, &e) < 0 ||
        schedule_of(req, c->id, c->birth_date, care_from, &r, items, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *records = NULL, *screenings = NULL;
    if (checkups_records_json(req->db, c->id, &records, &e) < 0 ||
        checkups_screenings_json(req->db, c->id, &screenings, &e) < 0 ||
        audit_staff_read(req, "checkup.read", "child", http_printf(req, "%" PRId64, c->id), NULL, &e) < 0) {
        json_decref(records);
        json_decref(screenings);
        return http_reply_err(rep, &e);
    }
    json_t *schedule = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(schedule, item_json(&items[i]));
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "child_id", (json_int_t)c->id,
                                               "birth_date", c->birth_date, "care_from",
                                               care_from[0] ? json_string(care_from) : json_null(), "schedule",
                                               schedule, "records", records, "screenings", screenings));
}

/* POST /api/v1/children/{id}/checkups: a periodic health check; measurements, when sent, are
 * stored as a growth measurement of the check's day. */
static int add_checkup(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "checkup.write", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    struct checkups_record rec = {
        .check_code = jfield_text(body, "check_code"), .checked_on = jfield_text(body, "checked_on"),
        .place = jfield_text(body, "place"), .examiner = jfield_text(body, "examiner"),
        .result = jfield_text(body, "result"), .note = text_of(body, "note"), .institution_id = c->institution_id};
    struct checkups_rules r;
    if (rules_today(req, &r, &e) < 0)
        return http_reply_err(rep, &e);
    if (!checkups_code_valid(&r, rec.check_code) || strcmp(rec.check_code, "entry") == 0)
        return http_reply_error(rep, 422, "bad_check_code", "check_code",
                                "检查项目应为时间表中的月龄检查（如 m6）、在园定期检查（care）或其他（other）");
    if (strcmp(rec.result, "normal") && strcmp(rec.result, "abnormal"))
        return http_reply_error(rep, 422, "bad_result", "result", "结果只能是未见异常（normal）或异常（abnormal）");
    if (strcmp(rec.checked_on, req->today) > 0)
        return http_reply_error(rep, 422, "future_date", "checked_on", "检查日期不能晚于今天");
    if (strcmp(rec.checked_on, c->birth_date) < 0)
        return http_reply_error(rep, 422, "bad_date", "checked_on", "检查日期不能早于出生日期");
    json_t *mj = json_object_get(body, "measurement");
    struct measurement m;
    int measured = json_is_object(mj);
    if (measured) {
        json_t *mb = json_deep_copy(mj);
        json_object_set_new(mb, "measured_on", json_string(rec.checked_on));
        int rc = measurement_from_json(mb, c->birth_date, req->today, &m, &e);
        json_decref(mb);
        if (rc < 0) {
            char field[sizeof e.field];
            snprintf(field, sizeof field, "%s", e.field);
            snprintf(e.field, sizeof e.field, "measurement.%.40s", field);
            return http_reply_err(rep, &e);
        }
    }
    int64_t id;
    const char *now_ts = now_timestamp(req);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (privacy_consent_require(req->db, c->id, PRIVACY_CARE_HEALTH, &e) < 0 ||
        (measured && (privacy_consent_require(req->db, c->id, PRIVACY_GROWTH, &e) < 0 ||
                      children_insert_measurement(req->db, req->district, c->id, &m, req->user->id, now_ts,
                                                  &e) < 0)))
        return http_reply_rollback(req, rep, &e);
    rec.measurement_id = measured ? m.id : 0;
    if (checkups_insert_record(req->db, req->district, c->id, &rec, req->user->id, now_ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:o}", "child_id", (json_int_t)c->id, "check_code", rec.check_code,
                          "checked_on", rec.checked_on, "result", rec.result, "measurement_id",
                          measured ? json_integer(m.id) : json_null());
    if (audit_write_commit(req, "checkup.write", "checkup_record", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    char name[64];
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)id,
                                               "child_id", (json_int_t)c->id, "check_code", rec.check_code,
                                               "check_name", checkups_code_name(rec.check_code, name, sizeof name),
                                               "checked_on", rec.checked_on, "place", rec.place, "examiner",
                                               rec.examiner, "result", rec.result, "measurement",
                                               measured ? measurement_to_json(&m) : json_null()));
}

static const char *const TOOLS[] = {"asq3", "asq_se2", "mchat_rf", "warning_signs", "other", NULL};

/* POST /api/v1/children/{id}/screenings: a development or autism-sign screening result. */
static int add_screening(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "checkup.write", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    struct checkups_screening s = {
        .tool = jfield_text(body, "tool"), .screened_on = jfield_text(body, "screened_on"),
        .result = jfield_text(body, "result"), .referral_to = text_of(body, "referral_to"),
        .follow_up = text_of(body, "follow_up"), .note = text_of(body, "note"),
        .institution_id = c->institution_id};
    int known = 0;
    for (int i = 0; TOOLS[i]; i++)
        known |= strcmp(TOOLS[i], s.tool) == 0;
    if (!known)
        return http_reply_error(rep, 422, "bad_tool", "tool",
                                "筛查工具只能是 asq3、asq_se2、mchat_rf、warning_signs（儿童心理行为发育预警征象）或 other");
    if (strcmp(s.result, "normal") && strcmp(s.result, "abnormal") && strcmp(s.result, "refer"))
        return http_reply_error(rep, 422, "bad_result", "result", "结果只能是正常（normal）、异常（abnormal）或需转诊（refer）");
    if (strcmp(s.result, "refer") == 0 && !s.referral_to[0])
        return http_reply_error(rep, 422, "required", "referral_to", "需转诊时须写明转诊机构");
    if (strcmp(s.screened_on, req->today) > 0)
        return http_reply_error(rep, 422, "future_date", "screened_on", "筛查日期不能晚于今天");
    if (strcmp(s.screened_on, c->birth_date) < 0)
        return http_reply_error(rep, 422, "bad_date", "screened_on", "筛查日期不能早于出生日期");
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (privacy_consent_require(req->db, c->id, PRIVACY_CARE_HEALTH, &e) < 0 ||
        checkups_insert_screening(req->db, req->district, c->id, &s, req->user->id, now_timestamp(req), &id,
                                  &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:s, s:s, s:s}", "child_id", (json_int_t)c->id, "tool", s.tool, "screened_on",
                          s.screened_on, "result", s.result);
    if (audit_write_commit(req, "checkup.screening", "checkup_screening", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)id, "child_id",
                                               (json_int_t)c->id, "tool", s.tool, "screened_on", s.screened_on,
                                               "result", s.result, "referral_to",
                                               s.referral_to[0] ? s.referral_to : NULL, "follow_up",
                                               s.follow_up[0] ? s.follow_up : NULL));
}

/* GET /api/v1/checkups/due?institution_id=: the children in care within the caller's reach with
 * a check due or overdue that is their institution's to see to (its window closed after they
 * entered care), with those checks; full names for the child's own institution and family
 * (children_reveal_names), masked for the others. */
static int due_list(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t inst;
    struct authz_scope scope;
    struct checkups_rules r;
    struct checkups_in_care *kids;
    int nkids;
    if (http_query_id(req, "institution_id", "机构编号", &inst, &e) < 0 ||
        authz_scope(req, "checkup.due", "i.town_code", "p.institution_id", "c.family_user_id", &scope, &e) < 0 ||
        rules_today(req, &r, &e) < 0 ||
        checkups_children_in_care(req->db, req->district, &scope, inst, &kids, &nkids, &e) < 0)
        return http_reply_err(rep, &e);
    struct checkups_item *items = http_alloc(req, CHECKUPS_MAX * sizeof *items);
    json_t *rows = json_array();
    int rc = 0;
    for (int k = 0; k < nkids && rc == 0; k++) {
        int n;
        if ((rc = schedule_of(req, kids[k].child_id, kids[k].birth_date, kids[k].care_from, &r, items, &n, &e)) < 0)
            break;
        json_t *due = json_array();
        for (int i = 0; i < n; i++)
            if (items[i].in_care && (items[i].status == CHECKUPS_DUE || items[i].status == CHECKUPS_OVERDUE))
                json_array_append_new(due, item_json(&items[i]));
        if (!json_array_size(due)) {
            json_decref(due);
            continue;
        }
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:o}", "child_id",
                                              (json_int_t)kids[k].child_id, "child_name", kids[k].name_masked,
                                              "child_name_sealed", kids[k].name_sealed, "institution_id",
                                              (json_int_t)kids[k].institution_id, "family_user_id",
                                              (json_int_t)kids[k].family_user_id, "institution_name",
                                              kids[k].institution_name, "birth_date", kids[k].birth_date, "care_from",
                                              kids[k].care_from, "checks", due));
    }
    free(kids);
    if (rc < 0 || children_reveal_names(req, rows, &e) < 0 ||
        audit_staff_list(req, "checkup.due", "institution", "children", json_array_size(rows), &e) < 0) {
        json_decref(rows);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:s, s:o}", "date", req->today, "items", rows));
}

#include "checkups/api.schemas.inc"

const struct route checkups_routes[] = {
    {"GET", "/api/v1/children/{id}/checkups", "checkup.read", get_checkups, NULL, &SCHEDULE},
    {"POST", "/api/v1/children/{id}/checkups", "checkup.write", add_checkup, &CHECKUP, &OBJECT, 201},
    {"POST", "/api/v1/children/{id}/screenings", "checkup.write", add_screening, &SCREENING, &OBJECT, 201},
    {"GET", "/api/v1/checkups/due", "checkup.due", due_list, NULL, &DUE, 0, HTTP_SUBACTIONS("child.read.full_name")},
    {NULL, NULL, NULL, NULL},
};

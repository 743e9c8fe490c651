/* api.c — routes of caregivers on duty and of the day pages (issue 15 items 5 and 10): the
 * institution's operator checks a caregiver in on duty for a class and out again; the institution's
 * 今日 page (attendance by class, morning checks, the live ratio per class, the day's duties and
 * open alerts) and the district's day page (the same figures per institution, in the regulator's
 * jurisdiction) are each one request. Every write has its audit row in its transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "care/store.h"
#include "duty/api.h"
#include "duty/duty.h"
#include "duty/findings.h"
#include "duty/store.h"
#include "params/api.h"
#include "params/params.h"
#include "registry/api.h"
#include "registry/store.h"
#include "staff/staff.h"
#include "staff/store.h"

static const char *now_timestamp(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* The class id of institution in, or NULL. */
static const struct inst_class *class_of(const struct institution *in, int64_t id)
{
    for (int i = 0; i < in->nclasses; i++)
        if (in->classes[i].id == id)
            return &in->classes[i];
    return NULL;
}

/* The staff member a duty body names, as duty_check_person sees it for class_id on day (an unknown
 * id is another institution's: 422 unknown_staff), with the masked name into name. */
static int person_load(struct http_req *req, int64_t staff_id, int64_t class_id, const char *day,
                       struct duty_person *p, char *name, size_t cap, struct err *e)
{
    struct staff *s = http_alloc(req, sizeof *s);
    memset(p, 0, sizeof *p);
    if (staff_load(req->db, NULL, req->district, staff_id, s, e) < 0) {
        if (e->status != 404)
            return -1;
        *e = (struct err){0};
        p->institution_id = -1;
        return 0;
    }
    p->institution_id = s->institution_id;
    p->caregiver = s->role == STAFF_CAREGIVER;
    p->employed = staff_on_duty(s, day);
    for (int i = 0; i < s->nclasses; i++)
        p->assigned |= s->class_ids[i] == class_id;
    snprintf(name, cap, "%s", s->name_masked);
    return 0;
}

/* After a duty write of today at institution_id, inside its transaction: record and tell the ratio
 * findings the day now holds (findings.c), each new one and each told to the town with its audit
 * row. */
static int scan_findings(struct http_req *req, int64_t institution_id, const char *now_ts, struct err *e)
{
    struct authz_scope one; /* duty/store.h's fragments are over "i.id" */
    authz_scope_id(&one, "i.id", institution_id);
    struct duty_raised *raised = http_alloc(req, DUTY_MAX_RAISED * sizeof *raised);
    int town;
    int n = duty_findings_scan(req->db, req->district, &one, req->today, date_minute_of_day(req->now), now_ts,
                               raised, DUTY_MAX_RAISED, &town, e);
    for (int i = 0; i < n && i < DUTY_MAX_RAISED; i++) {
        json_t *f = json_pack("{s:I, s:I, s:i}", "institution_id", (json_int_t)raised[i].institution_id, "class_id",
                              (json_int_t)raised[i].class_id, "minutes", raised[i].minutes);
        int rc = audit_request(req, raised[i].town ? "duty.finding.town" : "duty.finding", "duty_finding",
                               http_printf(req, "%" PRId64, raised[i].id), f, e);
        json_decref(f);
        if (rc < 0)
            return -1;
    }
    return n < 0 ? -1 : 0;
}

static json_t *shift_json(int64_t id, int64_t staff_id, const char *name, int64_t class_id, const char *class_name,
                          const char *day, const char *check_in, const char *check_out, int covering)
{
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s?, s:b}", "id", (json_int_t)id, "staff_id",
                     (json_int_t)staff_id, "staff_name", name, "class_id", (json_int_t)class_id, "class_name",
                     class_name, "date", day, "check_in", check_in, "check_out", check_out, "covering", covering);
}

/* POST /api/v1/institutions/{id}/duty: a caregiver checks in on duty for a class. */
static int check_in(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "duty.write", &e);
    if (!in)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    int64_t staff_id = (int64_t)jfield_number(body, "staff_id"), class_id = (int64_t)jfield_number(body, "class_id");
    int covering = json_is_true(json_object_get(body, "covering"));
    struct duty_when w;
    struct duty_person p;
    char name[96] = "", at[6];
    if (duty_when_from_json(body, req->today, date_minute_of_day(req->now), &w, &e) < 0)
        return http_reply_err(rep, &e);
    const struct inst_class *k = class_of(in, class_id);
    if (!k)
        return http_reply_error(rep, 422, "unknown_class", "class_id", "本机构没有这个班级");
    if (person_load(req, staff_id, class_id, w.day, &p, name, sizeof name, &e) < 0 ||
        duty_check_person(&p, in->id, covering, &e) < 0)
        return http_reply_err(rep, &e);
    duty_hhmm(w.minute, at);
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int overlaps = duty_overlaps(req->db, staff_id, w.day, at, &e);
    if (overlaps < 0)
        goto fail;
    if (overlaps) {
        err_set(&e, 409, "overlapping_duty", "time", "该保育人员当天已有未结束或结束晚于 %s 的在岗记录", at);
        goto fail;
    }
    covering = !p.assigned;
    const char *now_ts = now_timestamp(req);
    if (duty_insert(req->db, req->district, staff_id, in->id, class_id, w.day, at, covering, req->user->id,
                    now_ts, &id, &e) < 0 ||
        (strcmp(w.day, req->today) == 0 && scan_findings(req, in->id, now_ts, &e) < 0))
        goto fail;
    json_t *f = json_pack("{s:I, s:I, s:s, s:s, s:b}", "staff_id", (json_int_t)staff_id, "class_id",
                          (json_int_t)class_id, "date", w.day, "check_in", at, "covering", covering);
    if (audit_write_commit(req, "duty.check_in", "duty_shift", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, shift_json(id, staff_id, name, class_id, k->name, w.day, at, NULL, covering));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* POST /api/v1/institutions/{id}/duty/check-out: the caregiver goes off duty. */
static int check_out(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "duty.write", &e);
    if (!in)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    int64_t staff_id = (int64_t)jfield_number(body, "staff_id");
    struct duty_when w;
    struct duty_person p;
    char name[96] = "", at[6], since[6];
    if (duty_when_from_json(body, req->today, date_minute_of_day(req->now), &w, &e) < 0 ||
        person_load(req, staff_id, 0, w.day, &p, name, sizeof name, &e) < 0)
        return http_reply_err(rep, &e);
    if (p.institution_id != in->id)
        return http_reply_error(rep, 422, "unknown_staff", "staff_id", "本机构没有这名工作人员");
    duty_hhmm(w.minute, at);
    int64_t id, class_id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int open = duty_open_load(req->db, staff_id, w.day, &id, &class_id, since, &e);
    if (open < 0)
        goto fail;
    if (!open) {
        err_set(&e, 409, "not_on_duty", "staff_id", "该保育人员当天没有未结束的在岗记录");
        goto fail;
    }
    if (strcmp(at, since) < 0) {
        err_set(&e, 422, "bad_time", "time", "离岗时间不能早于上岗时间（%s）", since);
        goto fail;
    }
    const char *now_ts = now_timestamp(req);
    int64_t n = duty_close(req->db, id, at, now_ts, &e);
    if (n < 0 || (n == 0 && err_set(&e, 409, "not_on_duty", "staff_id", "该保育人员已经离岗") < 0) ||
        (strcmp(w.day, req->today) == 0 && scan_findings(req, in->id, now_ts, &e) < 0))
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:s}", "staff_id", (json_int_t)staff_id, "date", w.day, "check_out", at);
    if (audit_write_commit(req, "duty.check_out", "duty_shift", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    const struct inst_class *k = class_of(in, class_id);
    return http_reply_json(rep, 200, shift_json(id, staff_id, name, class_id, k ? k->name : "", w.day, since, at, 0));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* What both day pages start from: the rules and the limit in force today, the rows of the classes
 * in scope and the day of each at the minute now. */
struct day_page {
    struct registry_rules rules;
    char basis[RULE_COUNT][160];
    int limit_minutes, now_minute;
    struct duty_board board;
    struct duty_class_day *days;
};

static int day_page_load(struct http_req *req, const struct authz_scope *scope, struct day_page *d, struct err *e)
{
    double limit;
    const struct params *p = NULL;
    d->now_minute = date_minute_of_day(req->now);
    if (registry_rules_from_params(req->db, req->district, req->today, &d->rules, d->basis, e) < 0 ||
        !(p = params_of_request(req, e)) ||
        params_num(p, "duty.ratio_broken_minutes", &limit, e) < 0 ||
        duty_board_load(req->db, req->district, scope, req->today, &d->board, e) < 0)
        return -1;
    d->limit_minutes = (int)limit;
    d->days = http_alloc(req, (d->board.nclasses ? d->board.nclasses : 1) * sizeof *d->days);
    if (duty_board_days(&d->board, &d->rules, d->now_minute, d->limit_minutes, d->days) < 0) {
        duty_board_free(&d->board);
        return err_set(e, 500, "duty_board", "", "今日概况计算失败");
    }
    return 0;
}

/* The rule the ratios are held to, in words, with its basis. */
static json_t *rule_json(const struct day_page *d)
{
    return json_pack("{s:i, s:s, s:s}", "broken_minutes_limit", d->limit_minutes, "rule",
                     "在园婴幼儿人数不超过在岗保育人员人数 × 该班型每名保育人员照护人数（参数 ratio.<班型>.children_per_caregiver）；"
                     "低于标准持续超过 duty.ratio_broken_minutes 分钟即形成发现",
                     "basis", d->basis[RULE_CAREGIVER_RATIO]);
}

/* Sums of class days into an object's members. */
struct day_sums {
    int classes, placed, present, absent, unmarked, present_now, checks_done, checks_missing, checks_abnormal;
    int classes_broken, findings;
};

static void add_day(struct day_sums *s, const struct duty_class_row *c, const struct duty_class_day *d)
{
    s->classes++;
    s->placed += c->placed;
    s->present += d->present;
    s->absent += d->absent;
    s->unmarked += d->unmarked;
    s->present_now += d->present_now;
    s->checks_done += d->checks_done;
    s->checks_missing += d->checks_missing;
    s->checks_abnormal += d->checks_abnormal;
    s->classes_broken += d->ratio.now.state == DUTY_RATIO_BROKEN;
    s->findings += d->finding;
}

static json_t *sums_json(const struct day_sums *s)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}, s:i, s:i}", "classes", s->classes, "placed",
                     s->placed, "present", s->present, "absent", s->absent, "unmarked", s->unmarked, "present_now",
                     s->present_now, "morning_checks", "done", s->checks_done, "missing", s->checks_missing,
                     "abnormal", s->checks_abnormal, "classes_broken", s->classes_broken, "findings", s->findings);
}

/* GET /api/v1/institutions/{id}/today: the institution's day in one request. */
static int institution_today(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "today.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct authz_scope one, alerts_of;
    authz_scope_id(&one, "i.id", in->id);
    authz_scope_id(&alerts_of, "a.institution_id", in->id);
    struct day_page *d = http_alloc(req, sizeof *d);
    json_t *duties = NULL, *alerts = NULL, *findings = NULL;
    if (day_page_load(req, &one, d, &e) < 0)
        return http_reply_err(rep, &e);
    struct day_sums sums = {0};
    json_t *classes = json_array();
    for (size_t i = 0; i < d->board.nclasses; i++) {
        add_day(&sums, &d->board.classes[i], &d->days[i]);
        json_array_append_new(classes, duty_class_day_json(&d->board.classes[i], &d->days[i], d->now_minute));
    }
    duty_board_free(&d->board);
    if (duty_shifts_json(req->db, in->id, req->today, &duties, &e) < 0 ||
        duty_findings_json(req->db, in->id, req->today, &findings, &e) < 0 ||
        care_alerts_json(req->db, req->district, &alerts_of, NULL, HTTP_PAGE_MAX, &alerts, &e) < 0 ||
        audit_staff_list(req, "today.read", "institution", "alerts", json_array_size(alerts), &e) < 0) {
        json_decref(classes);
        json_decref(duties);
        json_decref(findings);
        json_decref(alerts);
        return http_reply_err(rep, &e);
    }
    char now[6];
    duty_hhmm(d->now_minute, now);
    return http_reply_json(rep, 200,
                           json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "institution_id",
                                     (json_int_t)in->id, "institution_name", in->name, "date", req->today, "time", now,
                                     "ratio_rule", rule_json(d), "totals", sums_json(&sums), "classes", classes,
                                     "duties", duties, "findings", findings, "alerts", alerts));
}

/* GET /api/v1/care/today: the district's day, per institution in the caller's jurisdiction. */
static int district_today(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct duty_institution_row *insts = NULL;
    size_t ninsts = 0;
    struct day_page *d = http_alloc(req, sizeof *d);
    if (authz_scope(req, "care.today", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        duty_institutions_load(req->db, req->district, &scope, &insts, &ninsts, &e) < 0)
        return http_reply_err(rep, &e);
    if (day_page_load(req, &scope, d, &e) < 0) {
        free(insts);
        return http_reply_err(rep, &e);
    }
    /* classes come ordered by institution id; institutions by town: find each one's classes */
    struct day_sums all = {0};
    int open_alerts = 0;
    json_t *items = json_array();
    for (size_t i = 0; i < ninsts; i++) {
        struct day_sums s = {0};
        size_t lo = 0, hi = d->board.nclasses;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (d->board.classes[mid].institution_id < insts[i].id)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t c = lo; c < d->board.nclasses && d->board.classes[c].institution_id == insts[i].id; c++) {
            add_day(&s, &d->board.classes[c], &d->days[c]);
            add_day(&all, &d->board.classes[c], &d->days[c]);
        }
        open_alerts += insts[i].open_alerts;
        json_t *o = sums_json(&s);
        json_object_set_new(o, "institution_id", json_integer(insts[i].id));
        json_object_set_new(o, "institution_name", json_string(insts[i].name));
        json_object_set_new(o, "town_code", json_string(insts[i].town_code));
        json_object_set_new(o, "town_name", json_string(insts[i].town_name));
        json_object_set_new(o, "open_alerts", json_integer(insts[i].open_alerts));
        json_array_append_new(items, o);
    }
    free(insts);
    duty_board_free(&d->board);
    json_t *totals = sums_json(&all);
    json_object_set_new(totals, "institutions", json_integer((json_int_t)ninsts));
    json_object_set_new(totals, "open_alerts", json_integer(open_alerts));
    char now[6];
    duty_hhmm(d->now_minute, now);
    return http_reply_json(rep, 200, json_pack("{s:s, s:s, s:o, s:o, s:o}", "date", req->today, "time", now,
                                               "ratio_rule", rule_json(d), "totals", totals, "items", items));
}

#include "duty/api.schemas.inc"

const struct route duty_routes[] = {
    {"POST", "/api/v1/institutions/{id}/duty", "duty.write", check_in, &duty_check_in_schema, &SHIFT, 201},
    {"POST", "/api/v1/institutions/{id}/duty/check-out", "duty.write", check_out, &duty_check_out_schema, &SHIFT},
    {"GET", "/api/v1/institutions/{id}/today", "today.read", institution_today, NULL, &TODAY},
    {"GET", "/api/v1/care/today", "care.today", district_today, NULL, &DISTRICT_TODAY},
    {NULL, NULL, NULL, NULL},
};

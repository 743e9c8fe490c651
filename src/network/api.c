/* api.c — routes of the health guidance network (issue 16 items 1, 2; C5.1, C5.2): the district
 * assigns health instructors to institutions and ends assignments (audited, with their history);
 * an instructor records duties (on-site visits with findings, advice and follow-up, health
 * lectures, the yearly review) at the institutions assigned to them; the compliance of each filed
 * institution against health.visits_per_quarter, health.lectures_per_half_year,
 * health.reviews_per_year and health.duty_grace_days (duties.c) for the instructor's, the
 * institution's, the town's and the district's lists; the network's targets for the dashboard
 * (stations accepted, the year's care-group activities — activities.c — and the quarter's visits). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "network/api.h"
#include "network/duties.h"
#include "network/network.h"
#include "network/store.h"
#include "params/api.h"
#include "params/params.h"
#include "registry/api.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "stations/store.h"

/* What both assignment writes read: the institution in the path (instructor_assignment.manage), the
 * body's user_id and its day (day_field, today when absent). The institution, or NULL with e. */
static struct institution *assignment_request(struct http_req *req, const char *day_field, int64_t *user_id,
                                              char day[DATE_DAY_LEN], struct err *e)
{
    struct institution *in = registry_load_for(req, "instructor_assignment.manage", e);
    if (!in)
        return NULL;
    const json_t *body = http_body(req);
    *user_id = (int64_t)jfield_number(body, "user_id");
    return network_day_from_json(body, day_field, req->today, day, e) < 0 ? NULL : in;
}

/* POST /api/v1/institutions/{id}/instructors: the district assigns a health instructor. */
static int assign(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t user_id, period;
    char from[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    struct institution *in = assignment_request(req, "from", &user_id, from, &e);
    if (!in)
        return http_reply_err(rep, &e);
    int instructor = network_is_instructor(req->db, req->district, user_id, &e);
    if (instructor < 0)
        return http_reply_err(rep, &e);
    if (!instructor)
        return http_reply_error(rep, 422, "not_instructor", "user_id", "该账号不是在用的健康指导员账号");
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (network_assign(req->db, req->district, user_id, in->id, from, req->user->id, now_ts, &period, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)user_id, "institution_id", (json_int_t)in->id,
                          "from", from);
    if (audit_write_commit(req, "instructor.assign", "instructor_assignment", period, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:I, s:s, s:n}", "id", (json_int_t)period, "user_id",
                                               (json_int_t)user_id, "institution_id", (json_int_t)in->id, "from",
                                               from, "to"));
}

/* POST /api/v1/institutions/{id}/instructors/end: the district ends an assignment. */
static int unassign(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t user_id, period;
    char to[DATE_DAY_LEN], from[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    struct institution *in = assignment_request(req, "to", &user_id, to, &e);
    if (!in)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int assigned = network_assigned_from(req->db, user_id, in->id, from, &e);
    if (assigned < 0)
        goto fail;
    if (!assigned) {
        err_set(&e, 409, "not_assigned", "user_id", "该健康指导员当前未分配指导该机构");
        goto fail;
    }
    if (strcmp(to, from) < 0) {
        err_set(&e, 422, "before_from", "to", "最后一天不能早于起始日期（%s）", from);
        goto fail;
    }
    if (network_unassign(req->db, user_id, in->id, to, req->user->id, now_ts, &period, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)user_id, "institution_id", (json_int_t)in->id, "to",
                          to);
    if (audit_write_commit(req, "instructor.unassign", "instructor_assignment", period, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:I, s:s, s:s}", "id", (json_int_t)period, "user_id",
                                               (json_int_t)user_id, "institution_id", (json_int_t)in->id, "from",
                                               from, "to", to));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* GET /api/v1/instructor-assignments: current assignments (history=1: all periods) in scope. */
static int list_assignments(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    int64_t inst, user;
    const char *history = http_query(req, "history");
    if (http_query_id(req, "institution_id", "机构编号", &inst, &e) < 0 ||
        http_query_id(req, "user_id", "账号编号", &user, &e) < 0)
        return http_reply_err(rep, &e);
    if (history && strcmp(history, "0") && strcmp(history, "1"))
        return http_reply_error(rep, 400, "bad_query", "history", "history 应为 0 或 1");
    json_t *items;
    if (authz_scope(req, "instructor_assignment.read", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        network_assignments_json(req->db, req->district, &scope, inst, user, history && *history == '1',
                                 &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "assignments", items));
}

/* GET /api/v1/instructors: the district's health instructors, for the assignment screen. */
static int list_instructors(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    json_t *items;
    if (authz_require(req, "instructor_assignment.manage", &t, &e) < 0 ||
        network_instructors_json(req->db, req->district, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "instructors", items));
}

/* POST /api/v1/institutions/{id}/instructor-duties: an instructor records a duty at an institution
 * assigned to them (another institution: 403 not_assigned). */
static int record_duty(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, &e) < 0)
        return http_reply_err(rep, &e);
    /* the institution exists (the public registry says so): outside the caller's reach is 403 */
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    if (authz_require(req, "instructor_duty.write", &t, &e) < 0)
        return e.status == 404 ? http_reply_error(rep, 403, "not_assigned", "", "该机构未分配给您指导，不能登记履职")
                               : http_reply_err(rep, &e);
    char from[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    struct network_duty d;
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int assigned = network_assigned_from(req->db, req->user->id, in->id, from, &e);
    if (assigned <= 0) {
        if (assigned == 0)
            err_set(&e, 403, "not_assigned", "", "该机构未分配给您指导，不能登记履职");
        goto fail;
    }
    if (network_duty_from_json(http_body(req), req->today, from, &d, &e) < 0)
        goto fail;
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (network_duty_insert(req->db, req->district, in->id, req->user->id, &d, now_ts, &id, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:s}", "institution_id", (json_int_t)in->id, "kind", network_kind_code(d.kind),
                          "date", d.done_on);
    if (audit_write_commit(req, "instructor.duty", "instructor_duty", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(
        rep, 201,
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:s}", "id", (json_int_t)id,
                  "institution_id", (json_int_t)in->id, "kind", network_kind_code(d.kind), "kind_name",
                  network_kind_name(d.kind), "date", d.done_on, "content", d.content, "findings", d.findings, "advice",
                  d.advice, "follow_up", d.follow_up, "follow_up_by", d.follow_up_by, "user_id",
                  (json_int_t)req->user->id, "user_name", req->user->name));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* The rule in force today from the parameters. */
static int rule_load(struct http_req *req, struct network_rule *r, struct err *e)
{
    static const char *const KEYS[NETWORK_KINDS] = {
        [NETWORK_VISIT] = "health.visits_per_quarter",
        [NETWORK_LECTURE] = "health.lectures_per_half_year",
        [NETWORK_REVIEW] = "health.reviews_per_year",
    };
    const struct params *p = params_of_request(req, e);
    double v;
    if (!p)
        return -1;
    for (int k = 0; k < NETWORK_KINDS; k++) {
        if (params_num(p, KEYS[k], &v, e) < 0)
            return -1;
        r->required[k] = (int)v;
    }
    if (params_num(p, "health.duty_grace_days", &v, e) < 0)
        return -1;
    r->grace_days = (int)v;
    return 0;
}

static json_t *rule_json(const struct network_rule *r)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:s}", "visits_per_quarter", r->required[NETWORK_VISIT],
                     "lectures_per_half_year", r->required[NETWORK_LECTURE], "reviews_per_year",
                     r->required[NETWORK_REVIEW], "grace_days", r->grace_days, "basis",
                     "瓯海区普惠托育基本公共服务试点工作方案 四(二)4：每季度至少到辖区托育机构实地指导1次；每半年组织一次健康知识讲座；每年梳理一次托育机构卫生保健工作");
}

/* The name of user_id among an institution's assignments ("" when none). */
static const char *assignee_name(const struct network_assign_row *a, size_t n, int64_t user_id)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].a.user_id == user_id)
            return a[i].user_name;
    return "";
}

/* Counts of the periods in a list. */
struct compliance_totals {
    int institutions, due, overdue, done;
    int quarter_owed, quarter_done; /* visits of the running quarter */
};

/* The periods of every institution of rows as JSON into items (those of state when not NULL). */
static int compliance_json(struct http_req *req, const struct network_rule *r, const struct network_compliance_rows *rows,
                           const char *state, json_t *items, struct compliance_totals *t)
{
    const struct network_assign_row *a = rows->assigns;
    const struct network_done_row *d = rows->done;
    const struct network_assign_row *aend = rows->assigns + rows->nassigns;
    const struct network_done_row *dend = rows->done + rows->ndone;
    struct network_assignment *as = http_alloc(req, (rows->nassigns + 1) * sizeof *as);
    struct network_done *ds = http_alloc(req, (rows->ndone + 1) * sizeof *ds);
    struct network_period p[NETWORK_MAX_PERIODS];
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < rows->ninsts; i++) {
        const struct network_inst_row *in = &rows->insts[i];
        while (a < aend && a->institution_id < in->id)
            a++;
        while (d < dend && d->institution_id < in->id)
            d++;
        const struct network_assign_row *a0 = a;
        size_t na = 0, nd = 0;
        for (; a < aend && a->institution_id == in->id; a++)
            as[na++] = a->a;
        for (; d < dend && d->institution_id == in->id; d++)
            ds[nd++] = d->d;
        struct network_institution x = {req->today, in->since, as, na, ds, nd};
        int n = network_duty_periods(r, &x, p, NETWORK_MAX_PERIODS);
        if (n < 0)
            return -1;
        t->institutions++;
        for (int k = 0; k < n; k++) {
            t->done += p[k].state == NETWORK_DONE;
            t->due += p[k].state == NETWORK_DUE;
            t->overdue += p[k].state == NETWORK_OVERDUE;
            if (p[k].kind == NETWORK_VISIT && p[k].state != NETWORK_NOT_OWED && strcmp(p[k].start, req->today) <= 0 &&
                strcmp(req->today, p[k].end) <= 0) {
                t->quarter_owed++;
                t->quarter_done += p[k].state == NETWORK_DONE;
            }
            if (state && strcmp(state, network_state_code(p[k].state)))
                continue;
            json_array_append_new(
                items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:o, s:s}",
                                 "institution_id", (json_int_t)in->id, "institution_name", in->name, "town_code",
                                 in->town_code, "town_name", in->town_name, "kind", network_kind_code(p[k].kind),
                                 "kind_name", network_kind_name(p[k].kind), "start", p[k].start, "end", p[k].end, "due",
                                 p[k].due, "required", p[k].required, "done", p[k].done, "state",
                                 network_state_code(p[k].state), "responsible_id",
                                 p[k].responsible ? json_integer(p[k].responsible) : json_null(), "responsible_name",
                                 assignee_name(a0, na, p[k].responsible)));
        }
    }
    return 0;
}

static json_t *totals_json(const struct compliance_totals *t)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:{s:i, s:i}}", "institutions", t->institutions, "done", t->done, "due", t->due,
                     "overdue", t->overdue, "quarter_visits", "owed", t->quarter_owed, "done", t->quarter_done);
}

/* The periods of the filed institutions inside scope (one when institution_id is not 0). */
static int compliance_load(struct http_req *req, const struct authz_scope *scope, int64_t institution_id,
                           const char *state, struct network_rule *r, json_t **items, struct compliance_totals *t,
                           struct err *e)
{
    char since[DATE_DAY_LEN];
    struct network_compliance_rows rows;
    date_add_days(req->today, -800, since); /* before the start of the earliest period still listed */
    if (rule_load(req, r, e) < 0 ||
        network_compliance_load(req->db, req->district, scope, institution_id, since, &rows, e) < 0)
        return -1;
    *items = json_array();
    int rc = compliance_json(req, r, &rows, state, *items, t);
    network_compliance_free(&rows);
    if (rc < 0) {
        json_decref(*items);
        return err_set(e, 500, "duty_rule", "", "履职情况计算失败");
    }
    return 0;
}

/* GET /api/v1/institutions/{id}/instructor-duties: an institution's duties and their compliance. */
static int institution_duties(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "instructor_duty.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct authz_scope one;
    authz_scope_all(&one); /* compliance_load and the assignments narrow to in->id */
    struct network_rule r;
    struct compliance_totals t;
    json_t *periods, *records = NULL, *assignments = NULL;
    if (compliance_load(req, &one, in->id, NULL, &r, &periods, &t, &e) < 0)
        return http_reply_err(rep, &e);
    if (network_duties_json(req->db, in->id, &records, &e) < 0 ||
        network_assignments_json(req->db, req->district, &one, in->id, 0, 1, &assignments, &e) < 0) {
        json_decref(periods);
        json_decref(records);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "institution_id", (json_int_t)in->id,
                                     "institution_name", in->name, "date", req->today, "rule", rule_json(&r), "periods",
                                     periods, "records", records, "assignments", assignments));
}

/* GET /api/v1/instructor-duties: the compliance of the filed institutions inside the caller's
 * jurisdiction (state=due|overdue|done filters the periods; town= one town). */
static int compliance(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    const char *state = http_query(req, "state"), *town = http_query(req, "town");
    if (state && strcmp(state, "due") && strcmp(state, "overdue") && strcmp(state, "done"))
        return http_reply_error(rep, 400, "bad_query", "state", "state 应为 due、overdue 或 done");
    if (town && (strlen(town) != 9 || strspn(town, "0123456789") != 9))
        return http_reply_error(rep, 400, "bad_query", "town", "town 应为 9 位镇街代码");
    if (authz_scope(req, "instructor_duty.read", "i.town_code", "i.id", NULL, &scope, &e) < 0)
        return http_reply_err(rep, &e);
    if (town)
        authz_scope_and_text(&scope, "i.town_code", town);
    struct network_rule r;
    struct compliance_totals t;
    json_t *items;
    if (compliance_load(req, &scope, 0, state, &r, &items, &t, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:s, s:o, s:o, s:o}", "date", req->today, "rule", rule_json(&r),
                                               "totals", totals_json(&t), "periods", items));
}

/* GET /api/v1/network/targets: the pilot's network targets (issue 16 item 5; seed 四(二)4–5)
 * counted from the records within the caller's reach — growth stations accepted against
 * stations.target_count (the district's latest target and its day; null where none is set) and the
 * towns they cover; this year's care-group activities against activities.care_groups_per_year (null
 * where none is set), by town; the running quarter's instructor visits done against those owed
 * (network_duty_periods) and the duties overdue. */
static int network_targets(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope inst, acts;
    struct network_rule r;
    struct compliance_totals t;
    json_t *items = NULL, *towns = NULL, *all_towns = NULL;
    char this_year[5], from[DATE_TIMESTAMP_LEN], to[DATE_TIMESTAMP_LEN];
    snprintf(this_year, sizeof this_year, "%.4s", req->today);
    network_year_bounds(this_year, from, to);
    const struct params *p = NULL;
    struct param_target station_target;
    int stations = 0, accepted = 0, covered = 0, has_station_target = 0;
    if (authz_scope(req, "dashboard.read", "i.town_code", "i.id", NULL, &inst, &e) < 0 ||
        authz_scope(req, "dashboard.read", "a.town_code", "a.institution_id", NULL, &acts, &e) < 0 ||
        !(p = params_of_request(req, &e)) ||
        (has_station_target = params_target(req->db, req->district, "stations.target_count", &station_target, &e)) <
            0 ||
        stations_store_counts(req->db, req->district, inst.sql, &inst.params, req->today, &stations, &accepted,
                              &covered, &e) < 0 ||
        registry_towns(req->db, req->district, &all_towns, &e) < 0 ||
        network_activities_by_town_json(req->db, req->district, &acts, from, to, &towns, &e) < 0 ||
        compliance_load(req, &inst, 0, NULL, &r, &items, &t, &e) < 0) {
        json_decref(items);
        json_decref(towns);
        json_decref(all_towns);
        return http_reply_err(rep, &e);
    }
    json_decref(items);
    int activities = 0;
    size_t i;
    json_t *x;
    json_array_foreach(towns, i, x)
    {
        activities += (int)json_integer_value(json_object_get(x, "activities"));
    }
    const char *own_town = authz_town_of(req->user);
    int ntowns = own_town ? 1 : (int)json_array_size(all_towns);
    json_decref(all_towns);
    /* a target where the district (or a level above it) sets one: its figure, day and basis */
    double activity_target = params_num_or(p, "activities.care_groups_per_year", NAN);
    const char *activity_basis = params_basis(p, "activities.care_groups_per_year");
    json_t *station_basis =
        has_station_target ? json_sprintf("%s：%s", station_target.basis, station_target.description) : json_null();
    return http_reply_json(
        rep, 200,
        json_pack("{s:s, s:{s:i, s:i, s:o, s:i, s:i, s:o, s:o}, s:{s:s, s:i, s:o, s:o, s:o}, s:{s:i, s:i, s:i, s:i}}",
                  "as_of", req->today, "stations", "accepted", accepted, "stations", stations, "target",
                  has_station_target ? json_integer((json_int_t)station_target.value) : json_null(), "towns_covered",
                  covered, "towns", ntowns, "target_by",
                  has_station_target && station_target.by[0] ? json_string(station_target.by) : json_null(), "basis",
                  station_basis, "activities", "year", this_year, "count", activities, "target",
                  isnan(activity_target) ? json_null() : json_integer((json_int_t)activity_target), "basis",
                  activity_basis[0] ? json_string(activity_basis) : json_null(), "by_town", towns, "instructor_visits",
                  "quarter_done", t.quarter_done, "quarter_owed", t.quarter_owed, "overdue", t.overdue, "institutions",
                  t.institutions));
}

#include "network/api.schemas.inc"

const struct route network_routes[] = {
    {"GET", "/api/v1/instructors", "instructor_assignment.manage", list_instructors, NULL, &INSTRUCTORS},
    {"GET", "/api/v1/instructor-assignments", "instructor_assignment.read", list_assignments, NULL, &ASSIGNMENTS},
    {"POST", "/api/v1/institutions/{id}/instructors", "instructor_assignment.manage", assign, &network_assign_schema,
     &ASSIGNMENT, 201},
    {"POST", "/api/v1/institutions/{id}/instructors/end", "instructor_assignment.manage", unassign,
     &network_unassign_schema, &ASSIGNMENT},
    {"POST", "/api/v1/institutions/{id}/instructor-duties", "instructor_duty.write", record_duty, &network_duty_schema,
     &DUTY, 201},
    {"GET", "/api/v1/institutions/{id}/instructor-duties", "instructor_duty.read", institution_duties, NULL,
     &INSTITUTION_DUTIES},
    {"GET", "/api/v1/instructor-duties", "instructor_duty.read", compliance, NULL, &COMPLIANCE},
    {"GET", "/api/v1/network/targets", "dashboard.read", network_targets, NULL, &TARGETS},
    {NULL, NULL, NULL, NULL},
};

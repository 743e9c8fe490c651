/* api.c — routes of daily care: placing an admitted child in a class and its leaving, the entry
 * checks of the admission gate, the people authorised to bring and collect the child, a child's
 * care page (the family sees its placement there), the class sheet of a day's attendance saved in
 * one transaction, check-out, and the unexplained absences to follow up. Entry checks are health
 * data: only the child's institution, its health instructor and its family read them. Every staff
 * read is audited; every write has its audit row in its transaction. */
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
#include "care/alerts.h"
#include "care/api.h"
#include "care/notice.h"
#include "care/outbreak.h"
#include "care/outdoor.h"
#include "care/store.h"
#include "care/store_outdoor.h"
#include "children/children.h"
#include "children/store.h"
#include "params/params.h"
#include "privacy/store.h"
#include "registry/api.h"
#include "registry/store.h"

#define CHILD_ATTENDANCE_DAYS 31 /* days of attendance a child's care page shows */
#define FOLLOW_UP_DAYS 14        /* default window of the unexplained-absence list */
#define OUTDOOR_WEEK_DAYS 7      /* default window of the outdoor-time list: this week */
#define OUTDOOR_MAX_DAYS 62      /* the longest window one read of it covers */

/* Class class_id must be one of institution_id's: 0, or -1 with 422 unknown_class. */
static int own_class(struct http_req *req, int64_t class_id, int64_t institution_id, char *name, size_t cap,
                     struct err *e)
{
    int64_t owner = 0;
    if (care_class_load(req->db, req->district, class_id, &owner, name, cap, e) < 0 && e->status != 404)
        return -1;
    if (owner != institution_id)
        return err_set(e, 422, "unknown_class", "class_id", "本机构没有这个班级");
    return 0;
}

static const char *now_timestamp(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

static json_t *placement_json(const struct care_placement *p)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s}", "id", (json_int_t)p->id, "institution_id",
                     (json_int_t)p->institution_id, "class_id", (json_int_t)p->class_id, "class_name", p->class_name,
                     "start_date", p->start_date);
}

/* PUT /api/v1/children/{id}/placement: place an admitted child in a class of its institution, or
 * move it to another class (the old placement ends that day). */
static int place_child(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.manage", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    int64_t class_id = (int64_t)jfield_number(body, "class_id");
    const char *start = jfield_text(body, "start_date");
    struct care_placement p = {.class_id = class_id, .institution_id = c->institution_id};
    snprintf(p.start_date, sizeof p.start_date, "%s", start);
    if (own_class(req, class_id, c->institution_id, p.class_name, sizeof p.class_name, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    struct care_placement old;
    int had = care_open_placement(req->db, c->id, &old, &e);
    if (had < 0)
        goto fail;
    if (had && old.class_id == class_id) {
        err_set(&e, 409, "already_placed", "class_id", "该婴幼儿已在这个班级");
        goto fail;
    }
    if (had && strcmp(start, old.start_date) <= 0) {
        err_set(&e, 422, "bad_date", "start_date", "转班日期须晚于原班级的入班日期（%s）", old.start_date);
        goto fail;
    }
    if ((had && care_end_placement(req->db, old.id, start, "class_change", now_timestamp(req), &e) < 0) ||
        care_place(req->db, req->district, c->id, c->institution_id, class_id, start, now_timestamp(req),
                   &p.id, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:I, s:s, s:o}", "child_id", (json_int_t)c->id, "class_id", (json_int_t)class_id,
                          "start_date", start, "moved_from", had ? json_integer(old.class_id) : json_null());
    if (audit_write_commit(req, "care.place", "care_placement", p.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, had ? 200 : 201, placement_json(&p));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* POST /api/v1/children/{id}/leave: the child leaves its class (date, reason). */
static int leave(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.manage", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const char *day = jfield_text(http_body(req), "date"), *reason = jfield_text(http_body(req), "reason");
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    struct care_placement p;
    int had = care_open_placement(req->db, c->id, &p, &e);
    if (had < 0)
        goto fail;
    if (!had) {
        err_set(&e, 409, "not_placed", "", "该婴幼儿未编入班级");
        goto fail;
    }
    if (strcmp(day, p.start_date) < 0) {
        err_set(&e, 422, "bad_date", "date", "离园日期不能早于入班日期（%s）", p.start_date);
        goto fail;
    }
    if (care_end_placement(req->db, p.id, day, reason, now_timestamp(req), &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:s}", "child_id", (json_int_t)c->id, "date", day, "reason", reason);
    if (audit_write_commit(req, "care.leave", "care_placement", p.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p.id, "end_date", day,
                                               "leave_reason", reason));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* POST /api/v1/children/{id}/entry-checks: a health check or vaccination-certificate check. */
static int add_entry_check(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.health.write", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    const char *kind = jfield_text(body, "kind"), *on = jfield_text(body, "checked_on"),
               *result = jfield_text(body, "result"), *note = jfield_text(body, "note");
    double m = jfield_number(body, "material_id");
    int64_t material = isnan(m) ? 0 : (int64_t)m;
    if (!care_entry_kind_valid(kind))
        return http_reply_error(rep, 422, "bad_kind", "kind", "查验项目只能是入托体检（health_check）或预防接种证（vaccination）");
    if (!care_result_valid(result))
        return http_reply_error(rep, 422, "bad_result", "result", "结果只能是合格（pass）或不合格（fail）");
    if (strcmp(on, req->today) > 0)
        return http_reply_error(rep, 422, "future_date", "checked_on", "体检或查验日期不能晚于今天");
    if (strcmp(on, c->birth_date) < 0)
        return http_reply_error(rep, 422, "bad_date", "checked_on", "体检或查验日期不能早于出生日期");
    int found = material ? care_material_exists(req->db, req->district, material, &e) : 1;
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 422, "unknown_material", "material_id", "未找到该附件材料");
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (privacy_consent_require(req->db, c->id, PRIVACY_CARE_HEALTH, &e) < 0 ||
        care_insert_entry_check(req->db, req->district, c->id, kind, on, result, note, material,
                                req->user->id, now_timestamp(req), &id, &e) < 0) {
        return http_reply_rollback(req, rep, &e);
    }
    json_t *f = json_pack("{s:I, s:s, s:s, s:s}", "child_id", (json_int_t)c->id, "kind", kind, "checked_on", on,
                          "result", result);
    if (audit_write_commit(req, "care.entry_check", "care_entry_check", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:o}", "id", (json_int_t)id, "kind", kind,
                                               "kind_name", care_name(kind), "checked_on", on, "result", result, "note",
                                               note, "material_id", material ? json_integer(material) : json_null()));
}

/* GET /api/v1/children/{id}/entry-checks: health data — the child's institution, its health
 * instructor and its family. */
static int list_entry_checks(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.health.read", &e);
    json_t *items;
    if (!c || care_entry_checks_json(req->db, c->id, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_read(req, "care.health.read", "child", http_printf(req, "%" PRId64, c->id), NULL, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:o}", "child_id", (json_int_t)c->id, "items", items));
}

/* POST /api/v1/children/{id}/pickups: a person authorised to bring and collect the child. */
static int add_pickup(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.manage", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const char *name = jfield_text(http_body(req), "name"), *relation = jfield_text(http_body(req), "relation");
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (care_insert_pickup(req->db, &req->app->key, req->district, c->id, name, relation, now_timestamp(req),
                           &id, &e) < 0) {
        return http_reply_rollback(req, rep, &e);
    }
    char masked[96];
    mask_name(name, masked, sizeof masked);
    json_t *f = json_pack("{s:I, s:s, s:s}", "child_id", (json_int_t)c->id, "name", masked, "relation", relation);
    if (audit_write_commit(req, "care.pickup", "care_pickup", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", masked, "relation", relation));
}

/* GET /api/v1/children/{id}/care: the child's placement, pick-up persons (full names for those who
 * see the child's: its institution, which hands the child over, and its family; masked for the
 * others) and recent attendance; an illness absence's symptom only for those who read the child's
 * health data. */
static int get_care(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.read", &e);
    if (!c)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = c->town_code, .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    int health = authz_allows(req, "care.health.read", &t);
    const struct crypt_key *names = authz_allows(req, "child.read.full_name", &t) ? &req->app->key : NULL;
    struct care_placement p;
    json_t *pickups = NULL, *days = NULL;
    int placed = care_open_placement(req->db, c->id, &p, &e);
    if (placed < 0 || care_pickups_json(req->db, names, c->id, &pickups, &e) < 0 ||
        care_child_attendance_json(req->db, c->id, CHILD_ATTENDANCE_DAYS, health, &days, &e) < 0 ||
        audit_staff_read(req, health ? "care.health.read" : "care.read", "child", http_printf(req, "%" PRId64, c->id),
                         NULL, &e) < 0) {
        json_decref(pickups);
        json_decref(days);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:o, s:o, s:o}", "child_id", (json_int_t)c->id, "placement",
                                               placed ? placement_json(&p) : json_null(), "pickups", pickups,
                                               "attendance", days));
}

/* A date query member, or fallback when absent; NULL with 422 bad_date when not a date. */
static const char *query_day(struct http_req *req, const char *name, const char *fallback, struct err *e)
{
    const char *q = http_query(req, name);
    if (!q)
        return fallback;
    if (!date_is_valid(q)) {
        err_set(e, 422, "bad_date", name, "日期格式应为 YYYY-MM-DD");
        return NULL;
    }
    return q;
}

/* GET /api/v1/institutions/{id}/attendance?class_id=&date=: the sheet of a day, of one class or
 * of every class (the day page). */
static int get_sheet(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "attendance.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    int64_t class_id;
    const char *day = query_day(req, "date", req->today, &e);
    char name[64] = "";
    json_t *items;
    if (!day || http_query_id(req, "class_id", "班级编号", &class_id, &e) < 0 ||
        (class_id && own_class(req, class_id, in->id, name, sizeof name, &e) < 0) ||
        care_sheet_json(req->db, in->id, class_id, day, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (children_reveal_names(req, items, &e) < 0 ||
        audit_staff_list(req, "attendance.read", "institution", "children", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o, s:o, s:s, s:o}", "class_id",
                                               class_id ? json_integer(class_id) : json_null(), "class_name",
                                               class_id ? json_string(name) : json_null(), "date", day, "items", items));
}

/* Run the outbreak early warning for institution_id on day (care_outbreak_raise, inside the
 * caller's transaction after its write), with the audit row of each alert raised anew. p: the
 * parameters in force on day. */
static int raise_alerts(struct http_req *req, int64_t institution_id, const char *day, const struct params *p,
                        const char *now_ts, struct err *e)
{
    struct care_raised *raised = http_alloc(req, CARE_MAX_RAISED * sizeof *raised);
    int n = care_outbreak_raise(req->db, req->district, institution_id, day, p, now_ts, raised,
                                CARE_MAX_RAISED, e);
    for (int i = 0; i < n; i++) {
        json_t *f = json_pack("{s:I, s:s, s:i, s:s}", "institution_id", (json_int_t)institution_id, "group",
                              raised[i].group, "cases", raised[i].cases, "rule", raised[i].rule);
        int rc = audit_request(req, "care.alert.raise", "care_alert", http_printf(req, "%" PRId64, raised[i].id), f, e);
        json_decref(f);
        if (rc < 0)
            return -1;
    }
    return n < 0 ? -1 : 0;
}

/* POST /api/v1/institutions/{id}/attendance: a class sheet, all or nothing. */
static int save_sheet(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "attendance.write", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct care_sheet *s = http_alloc(req, sizeof *s);
    char name[64];
    double months;
    struct params *p = http_alloc(req, sizeof *p);
    if (care_sheet_from_json(http_body(req), req->today, s, &e) < 0 ||
        own_class(req, s->class_id, in->id, name, sizeof name, &e) < 0 ||
        params_load(req->db, req->district, s->day, p, &e) < 0 ||
        params_num(p, "child.recheck_absence_months", &months, &e) < 0)
        return http_reply_err(rep, &e);
    const char *now_ts = now_timestamp(req);
    int present = 0, illness = 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    for (int i = 0; i < s->n; i++) {
        const struct care_entry *x = &s->entries[i];
        char field[48];
        snprintf(field, sizeof field, "entries[%d].child_id", i);
        struct care_gate_state g;
        if (care_gate_state_load(req->db, x->child_id, s->class_id, s->day, &g, &e) < 0 ||
            care_gate(&g, s->day, x->present, (int)months, field, &e) < 0)
            goto fail;
        if (x->brought_by) {
            int64_t of = care_pickup_child(req->db, x->brought_by, &e);
            if (of < 0)
                goto fail;
            if (of != x->child_id) {
                snprintf(field, sizeof field, "entries[%d].brought_by", i);
                err_set(&e, 422, "unknown_pickup", field, "送园人不是该婴幼儿的授权接送人");
                goto fail;
            }
        }
        /* an illness's symptom is health data: only with the guardian's consent */
        if (x->symptom[0] && privacy_consent_require(req->db, x->child_id, PRIVACY_CARE_HEALTH, &e) < 0) {
            snprintf(e.field, sizeof e.field, "entries[%d].symptom", i);
            goto fail;
        }
        present += x->present;
        illness |= strcmp(x->absence_cause, "illness") == 0;
    }
    /* the rows written in child order: two sheets racing over the same children then wait on the
     * same first row (one gets the unique conflict, 409) rather than each holding a row the other
     * needs (a deadlock, 503) */
    int *order = http_alloc(req, (size_t)(s->n ? s->n : 1) * sizeof *order);
    for (int i = 0; i < s->n; i++) {
        int j = i;
        for (; j > 0 && s->entries[order[j - 1]].child_id > s->entries[i].child_id; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    for (int k = 0; k < s->n; k++) {
        if (care_insert_attendance(req->db, req->district, in->id, s->class_id, s->day, &s->entries[order[k]],
                                   req->user->id, now_ts, &e) < 0) {
            snprintf(e.field, sizeof e.field, "entries[%d].child_id", order[k]);
            goto fail;
        }
    }
    if (illness && raise_alerts(req, in->id, s->day, p, now_ts, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:i, s:i}", "date", s->day, "present", present, "absent", s->n - present);
    if (audit_write_commit(req, "attendance.write", "class", s->class_id, f, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items;
    if (care_sheet_json(req->db, in->id, s->class_id, s->day, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (children_reveal_names(req, items, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:o}", "class_id", (json_int_t)s->class_id,
                                               "class_name", name, "date", s->day, "items", items));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* The outdoor days of institution in from..to (of class_id, when not 0), each marked short by the
 * rules when the institution offers full-day care, as the OUTDOOR reply. */
static int outdoor_reply(struct http_req *req, struct http_reply *rep, const struct institution *in, int64_t class_id,
                         const char *from, const char *to, int status)
{
    struct err e = {0};
    struct care_outdoor_rules r;
    json_t *items;
    if (care_outdoor_rules_load(req->db, req->district, req->today, &r, &e) < 0 ||
        care_outdoor_days_json(req->db, req->district, in->id, class_id, from, to, &items, &e) < 0)
        return http_reply_err(rep, &e);
    int applies = (in->service_types & (1u << SERVICE_FULL_DAY)) != 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const json_t *minutes = json_object_get(it, "minutes");
        struct care_outdoor_day d = {.minutes = json_is_integer(minutes) ? (int)json_integer_value(minutes) : -1};
        jfield_copy(it, "weather", d.weather, sizeof d.weather);
        json_object_set_new(it, "short", json_boolean(applies && care_outdoor_short(&d, &r)));
    }
    return http_reply_json(rep, status,
                           json_pack("{s:s, s:s, s:i, s:s, s:b, s:o}", "from", from, "to", to, "min_minutes",
                                     (int)(r.min_hours * 60 + 0.5), "basis", r.basis, "rule_applies", applies, "items",
                                     items));
}

/* GET /api/v1/institutions/{id}/outdoor?from=&to=&class_id=: each class's days with children
 * present or a record (to: today unless said; from: the week to it unless said; at most
 * OUTDOOR_MAX_DAYS). */
static int get_outdoor(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "attendance.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    char week_before[DATE_DAY_LEN], longest[DATE_DAY_LEN];
    const char *to = query_day(req, "to", req->today, &e);
    if (to)
        date_add_days(to, 1 - OUTDOOR_WEEK_DAYS, week_before);
    const char *from = to ? query_day(req, "from", week_before, &e) : NULL;
    int64_t class_id;
    char name[64];
    if (!from || http_query_id(req, "class_id", "班级编号", &class_id, &e) < 0 ||
        (class_id && own_class(req, class_id, in->id, name, sizeof name, &e) < 0))
        return http_reply_err(rep, &e);
    date_add_days(from, OUTDOOR_MAX_DAYS - 1, longest);
    if (strcmp(from, to) > 0 || strcmp(to, longest) > 0)
        return http_reply_error(rep, 422, "bad_range", "from", "起止日期应在 %d 天以内，且起始不晚于截止", OUTDOOR_MAX_DAYS);
    return outdoor_reply(req, rep, in, class_id, from, to, 200);
}

/* PUT /api/v1/institutions/{id}/outdoor: a class's outdoor time on a day, or its correction. */
static int save_outdoor(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "attendance.write", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct care_outdoor o;
    char name[64];
    if (care_outdoor_from_json(http_body(req), req->today, &o, &e) < 0 ||
        own_class(req, o.class_id, in->id, name, sizeof name, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (care_outdoor_save(req->db, req->district, in->id, &o, req->user->id, now_timestamp(req), &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:s, s:i, s:s?}", "date", o.day, "minutes", o.minutes, "weather",
                          o.weather[0] ? o.weather : NULL);
    if (audit_write_commit(req, "care.outdoor.write", "class", o.class_id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return outdoor_reply(req, rep, in, o.class_id, o.day, o.day, 200);
}

/* POST /api/v1/children/{id}/check-out: who collected the child, and when. */
static int check_out(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "attendance.write", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    const char *day = jfield_text(body, "date"), *time = jfield_text(body, "time");
    int64_t by = (int64_t)jfield_number(body, "collected_by");
    if (strcmp(day, req->today) > 0)
        return http_reply_error(rep, 422, "future_date", "date", "不能登记今天以后的离园");
    if (!care_time_valid(time))
        return http_reply_error(rep, 422, "bad_time", "time", "离园时间格式应为 时:分（如 17:05）");
    int64_t of = care_pickup_child(req->db, by, &e);
    if (of < 0)
        return http_reply_err(rep, &e);
    if (of != c->id)
        return http_reply_error(rep, 422, "unknown_pickup", "collected_by", "接园人不是该婴幼儿的授权接送人");
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t n = care_check_out(req->db, c->id, day, time, by, now_timestamp(req), &e);
    if (n < 0 || (n == 0 && err_set(&e, 409, "not_checked_in", "date",
                                    "该婴幼儿当天没有入园记录、已经离园，或离园时间早于入园时间") < 0)) {
        return http_reply_rollback(req, rep, &e);
    }
    json_t *f = json_pack("{s:s, s:s, s:I}", "date", day, "time", time, "collected_by", (json_int_t)by);
    if (audit_write_commit(req, "attendance.check_out", "child", c->id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:s, s:I}", "child_id", (json_int_t)c->id, "date", day,
                                               "check_out", time, "collected_by", (json_int_t)by));
}

/* GET /api/v1/institutions/{id}/absences?from=&to=: absences nobody explained, to follow up. */
static int unexplained(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "attendance.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    char from_default[DATE_DAY_LEN];
    date_add_days(req->today, -FOLLOW_UP_DAYS, from_default);
    const char *from = query_day(req, "from", from_default, &e), *to = from ? query_day(req, "to", req->today, &e) : NULL;
    json_t *items;
    if (!to || care_unexplained_json(req->db, in->id, from, to, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_list(req, "attendance.read", "institution", "absences", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items", items));
}

/* POST /api/v1/children/{id}/health-checks: a 晨午检 or all-day observation; the guardian is told
 * through the inbox (and so the SMS outbox) when the action says so. */
static int add_check(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.health.write", &e);
    if (!c)
        return http_reply_err(rep, &e);
    struct care_check k;
    struct params *p = http_alloc(req, sizeof *p);
    double fever;
    const char *day = jfield_text(http_body(req), "date");
    if (params_load(req->db, req->district, day, p, &e) < 0 ||
        params_num(p, "care.fever_threshold_c", &fever, &e) < 0 ||
        care_check_from_json(http_body(req), req->today, fever, &k, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t inst, class_id, id;
    int placed = care_class_on(req->db, c->id, k.day, &inst, &class_id, &e);
    if (placed < 0)
        return http_reply_err(rep, &e);
    if (!placed)
        return http_reply_error(rep, 422, "not_in_class", "date", "该婴幼儿当天不在园内任何班级");
    int tell = care_check_tells_guardian(&k) && c->family_user_id;
    const char *now_ts = now_timestamp(req);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (privacy_consent_require(req->db, c->id, PRIVACY_CARE_HEALTH, &e) < 0 ||
        care_insert_health_check(req->db, req->district, c->id, inst, class_id, &k, tell, req->user->id,
                                 now_ts, &id, &e) < 0)
        goto fail;
    if (tell && care_check_notify(req->db, req->district, c, &k, id, now_ts, &e) < 0)
        goto fail;
    if (k.nsymptoms && raise_alerts(req, inst, k.day, p, now_ts, &e) < 0)
        goto fail;
    char symptoms[CARE_MAX_SYMPTOMS * 20];
    care_symptoms_join(&k, symptoms, sizeof symptoms);
    json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "child_id", (json_int_t)c->id, "date", k.day, "slot", k.slot,
                          "symptoms", symptoms, "action", k.action, "guardian_told", tell);
    if (audit_write_commit(req, "care.health_check", "care_health_check", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *list = json_array();
    for (int i = 0; i < k.nsymptoms; i++)
        json_array_append_new(list, json_string(k.symptoms[i]));
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:s, s:b}", "id", (json_int_t)id,
                                               "child_id", (json_int_t)c->id, "date", k.day, "slot", k.slot,
                                               "temperature_c", isnan(k.temperature_c) ? json_null() : json_real(k.temperature_c),
                                               "symptoms", list, "action", k.action, "guardian_told", tell));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* GET /api/v1/children/{id}/health-checks: health data, as the entry checks. */
static int list_checks(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "care.health.read", &e);
    json_t *items;
    if (!c || care_health_checks_json(req->db, c->id, CHILD_ATTENDANCE_DAYS * 3, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_read(req, "care.health.read", "child", http_printf(req, "%" PRId64, c->id), NULL, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:o}", "child_id", (json_int_t)c->id, "items", items));
}

/* GET /api/v1/care-alerts?status=: the alerts within the caller's reach, live ones unless a
 * status (open, acknowledged, closed) is asked for. */
static int list_alerts(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    const char *status = http_query(req, "status");
    if (status && strcmp(status, "open") && strcmp(status, "acknowledged") && strcmp(status, "closed"))
        return http_reply_error(rep, 422, "bad_status", "status", "状态只能是 open、acknowledged 或 closed");
    json_t *items;
    if (authz_scope(req, "alert.read", "i.town_code", "a.institution_id", NULL, &scope, &e) < 0 ||
        care_alerts_json(req->db, req->district, &scope, status, HTTP_PAGE_MAX, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_list(req, "alert.read", "care_alert", "alerts", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

/* Move the alert of the path from one status to the next (acknowledge; close with an action). */
static int move_alert(struct http_req *req, struct http_reply *rep, const char *from, const char *to,
                      const char *action)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id"), inst;
    char town[16], status[16];
    if (care_alert_load(req->db, req->district, id, &inst, town, sizeof town, status, sizeof status, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = town, .institution_id = inst};
    if (authz_require(req, "alert.handle", &t, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t n = care_alert_move(req->db, id, from, to, req->user->id, action, now_timestamp(req), &e);
    if (n <= 0) {
        db_rollback(req->db);
        if (n == 0)
            return http_reply_error(rep, 409, "alert_state", "",
                                    strcmp(to, "closed") ? "该预警已确认或已关闭" : "该预警须先确认，且未关闭");
        return http_reply_err(rep, &e);
    }
    json_t *f = action ? json_pack("{s:s, s:s}", "status", to, "action", action) : json_pack("{s:s}", "status", to);
    if (audit_write_commit(req, strcmp(to, "closed") ? "care.alert.acknowledge" : "care.alert.close", "care_alert", id, f,
                     &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", to));
}

static int acknowledge_alert(struct http_req *req, struct http_reply *rep)
{
    return move_alert(req, rep, "open", "acknowledged", NULL);
}

static int close_alert(struct http_req *req, struct http_reply *rep)
{
    return move_alert(req, rep, "acknowledged", "closed", jfield_text(http_body(req), "action"));
}

#include "care/api.schemas.inc"

const struct route care_routes[] = {
    {"PUT", "/api/v1/children/{id}/placement", "care.manage", place_child, &care_placement_schema, &OBJECT, 201},
    {"POST", "/api/v1/children/{id}/leave", "care.manage", leave, &care_leave_schema, &OBJECT},
    {"POST", "/api/v1/children/{id}/pickups", "care.manage", add_pickup, &care_pickup_schema, &OBJECT, 201},
    {"POST", "/api/v1/children/{id}/entry-checks", "care.health.write", add_entry_check, &care_entry_check_schema,
     &OBJECT, 201},
    {"GET", "/api/v1/children/{id}/entry-checks", "care.health.read", list_entry_checks, NULL, &CHECKS},
    {"POST", "/api/v1/children/{id}/health-checks", "care.health.write", add_check, &care_check_schema, &OBJECT, 201},
    {"GET", "/api/v1/children/{id}/health-checks", "care.health.read", list_checks, NULL, &CHECKS},
    {"GET", "/api/v1/children/{id}/care", "care.read", get_care, NULL, &CARE, 0,
     .subactions = HTTP_SUBACTIONS("care.health.read", "child.read.full_name")},
    {"POST", "/api/v1/children/{id}/check-out", "attendance.write", check_out, &care_checkout_schema, &OBJECT},
    {"GET", "/api/v1/institutions/{id}/attendance", "attendance.read", get_sheet, NULL, &SHEET, 0,
     .subactions = HTTP_SUBACTIONS("child.read.full_name")},
    {"POST", "/api/v1/institutions/{id}/attendance", "attendance.write", save_sheet, &care_sheet_schema, &SHEET, 201,
     .subactions = HTTP_SUBACTIONS("child.read.full_name")},
    {"GET", "/api/v1/institutions/{id}/absences", "attendance.read", unexplained, NULL, &ABSENCES},
    {"GET", "/api/v1/institutions/{id}/outdoor", "attendance.read", get_outdoor, NULL, &OUTDOOR},
    {"PUT", "/api/v1/institutions/{id}/outdoor", "attendance.write", save_outdoor, &care_outdoor_schema, &OUTDOOR},
    {"GET", "/api/v1/care-alerts", "alert.read", list_alerts, NULL, &ALERTS},
    {"POST", "/api/v1/care-alerts/{id}/acknowledge", "alert.handle", acknowledge_alert, &NO_MEMBERS, &OBJECT},
    {"POST", "/api/v1/care-alerts/{id}/close", "alert.handle", close_alert, &CLOSE, &OBJECT},
    {NULL, NULL, NULL, NULL},
};

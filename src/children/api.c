/* api.c — routes for children's records and growth: registering a child (an institution or a
 * family), the scoped roster, a child's record, measurements, and the growth evaluation with WHO
 * z-scores, percentiles, classes, WS/T 423 grades and reference curves for charts. Every staff
 * read of a child is written to the audit log; the full name is shown only to whom the policy
 * lets see it (child.read.full_name), the ID number never. */
#include <inttypes.h>
#include <stdlib.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "checkups/store.h"
#include "children/children.h"
#include "children/fhir.h"
#include "children/store.h"
#include "growth/cutoffs.h"
#include "params/api.h"
#include "params/params.h"
#include "privacy/store.h"

/* May the user see this child's full name? */
static int full_name(struct http_req *req, const struct child *c)
{
    struct authz_target t = {.town_code = c->town_code, .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    return authz_allows(req, "child.read.full_name", &t);
}

/* Load the child of the path and check action on it; staff reads are audited by the caller. */
struct child *children_load_for(struct http_req *req, const char *action, struct err *e)
{
    struct child *c = http_alloc(req, sizeof *c);
    if (children_load(req->db, &req->app->key, req->district, http_param_id(req, "id"), c, e) < 0)
        return NULL;
    struct authz_target t = {.town_code = c->town_code, .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    return authz_require(req, action, &t, e) < 0 ? NULL : c;
}

/* Audit a staff member's read of a child's personal data (audit_staff_read). */
static int audit_read(struct http_req *req, const char *action, int64_t child_id, struct err *e)
{
    return audit_staff_read(req, action, "child", http_printf(req, "%" PRId64, child_id), NULL, e);
}

static int create_child(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct user *u = req->user;
    struct authz_target t = {.institution_id = u->institution_id, .owner_user_id = u->id};
    if (authz_require(req, "child.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct child c;
    if (child_from_json(http_body(req), req->today, &c, &e) < 0)
        return http_reply_err(rep, &e);
    /* the child belongs to whoever registers it: the institution the account is bound to, or
     * else the family itself */
    if (u->institution_id)
        c.institution_id = u->institution_id;
    else
        c.family_user_id = u->id;
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (children_insert(req->db, &req->app->key, req->district, &c, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:s, s:s, s:s, s:i}", "name", c.name_masked, "id_number", c.id_masked, "birth_date",
                          c.birth_date, "sex", c.sex);
    if (audit_write_commit(req, "child.create", "child", c.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, child_to_json(&c, full_name(req, &c)));
}

static int list_children(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    if (authz_scope(req, "child.list", "i.town_code", "c.institution_id", "c.family_user_id", &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct child *rows = http_alloc(req, (size_t)(page.limit + 1) * sizeof *rows);
    int n;
    if (children_page(req->db, &req->app->key, req->district, &scope, page.after_id, page.limit + 1, rows,
                      &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (int i = 0; i < n && http_page_take(req, &page, rows[i].id, NULL); i++)
        json_array_append_new(items, child_to_json(&rows[i], full_name(req, &rows[i])));
    if (audit_staff_list(req, "child.list", "child", "children", (size_t)page.count, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int get_child(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "child.read", &e);
    if (!c || audit_read(req, "child.read", c->id, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, child_to_json(c, full_name(req, c)));
}

static int add_measurement(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "measurement.create", &e);
    if (!c)
        return http_reply_err(rep, &e);
    struct measurement m;
    if (measurement_from_json(http_body(req), c->birth_date, req->today, &m, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (privacy_consent_require(req->db, c->id, PRIVACY_GROWTH, &e) < 0 ||
        children_insert_measurement(req->db, req->district, c->id, &m, req->user->id, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = measurement_to_json(&m);
    json_object_set_new(f, "child_id", json_integer(c->id));
    if (audit_write_commit(req, "measurement.create", "measurement", m.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, measurement_to_json(&m));
}

static int get_growth(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "growth.read", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const struct params *p = NULL;
    struct growth_cutoffs cut;
    if (!(p = params_of_request(req, &e)) ||
        growth_cutoffs_from_params(p, &cut, &e) < 0)
        return http_reply_err(rep, &e);
    struct measurement *m;
    int n;
    if (children_measurements(req->db, c->id, &m, &n, &e) < 0 || audit_read(req, "growth.read", c->id, &e) < 0) {
        free(m);
        return http_reply_err(rep, &e);
    }
    json_t *reply = child_growth_json(c, full_name(req, c), m, n, &cut, req->today);
    free(m);
    return http_reply_json(rep, 200, reply);
}

/* GET /api/v1/children/{id}/fhir: the child's measurements — and, for those who may read them,
 * health checks and screenings — as a FHIR R4 Bundle (children/fhir.h) for a resident health
 * record: pseudonymous, the export audited. */
static int get_fhir(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "growth.read", &e);
    if (!c)
        return http_reply_err(rep, &e);
    struct measurement *m;
    int n;
    struct authz_target t = {.town_code = c->town_code, .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    json_t *checks = NULL, *screenings = NULL;
    int with_checks = authz_allows(req, "checkup.read", &t);
    if (children_measurements(req->db, c->id, &m, &n, &e) < 0 ||
        (with_checks && (checkups_records_json(req->db, c->id, &checks, &e) < 0 ||
                         checkups_screenings_json(req->db, c->id, &screenings, &e) < 0)) ||
        audit_read(req, "growth.export_fhir", c->id, &e) < 0) {
        free(m);
        json_decref(checks);
        json_decref(screenings);
        return http_reply_err(rep, &e);
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    json_t *bundle = child_fhir_bundle(c, req->district, m, n, checks, screenings, now_ts);
    free(m);
    json_decref(checks);
    json_decref(screenings);
    rep->content_type = "application/fhir+json; charset=utf-8";
    return http_reply_json(rep, 200, bundle);
}

#include "children/api.schemas.inc"

/* every reply that shows a child shows its name in full or masked: child.read.full_name */
#define FULL_NAME HTTP_SUBACTIONS("child.read.full_name")

const struct route children_routes[] = {
    {"POST", "/api/v1/children", "child.create", create_child, &child_schema, &CHILD, 201, FULL_NAME},
    {"GET", "/api/v1/children", "child.list", list_children, NULL, &CHILD_PAGE, 0, FULL_NAME},
    {"GET", "/api/v1/children/{id}", "child.read", get_child, NULL, &CHILD, 0, FULL_NAME},
    {"POST", "/api/v1/children/{id}/measurements", "measurement.create", add_measurement, &measurement_schema, &MEASUREMENT, 201},
    {"GET", "/api/v1/children/{id}/growth", "growth.read", get_growth, NULL, &GROWTH, 0, FULL_NAME},
    {"GET", "/api/v1/children/{id}/fhir", "growth.read", get_fhir, NULL, &FHIR_BUNDLE, 0, HTTP_SUBACTIONS("checkup.read")},
    {NULL, NULL, NULL, NULL},
};

/* flags_api.c — GET /api/v1/growth-flags (flags.h): a page of the children in care within the
 * caller's reach whose latest measurement grades 下 or 上 (WS/T 423) on some indicator, each
 * with its institution, class, age and those indicators; names masked except for the child's own
 * institution (children_reveal_names, audited); every staff read of the list audited. */
#include <inttypes.h>
#include <math.h>

#include "app.h"
#include "audit/audit.h"
#include "base/date.h"
#include "children/children.h"
#include "growth/api.h"
#include "growth/cutoffs.h"
#include "growth/flags.h"
#include "params/api.h"
#include "params/params.h"

struct walk {
    struct http_req *req;
    struct http_page *page;
    const struct growth_cutoffs *cut;
    json_t *items;
};

/* One child of the scan: on the page when some indicator is flagged; 1 once the page is full. */
static int take(const struct growth_flags_row *row, void *ctx)
{
    struct walk *w = ctx;
    struct err e = {0};
    int64_t age_days;
    if (date_days_between(row->birth_date, row->measured_on, &age_days, &e) < 0)
        return 0;
    struct growth_input m = row->m;
    m.age = (double)age_days;
    struct growth_flag flags[GROWTH_FLAGS_MAX];
    int n = growth_flags_of(&m, w->cut, flags, &e);
    if (n <= 0)
        return 0;
    if (!http_page_take(w->req, w->page, row->child_id, NULL))
        return 1;
    json_t *fj = json_array();
    for (int i = 0; i < n; i++) {
        json_t *z = growth_z_json(&flags[i].z,
                                  growth_class_code(flags[i].ind, growth_classify(flags[i].ind, flags[i].z.z, w->cut)),
                                  w->cut);
        json_object_set_new(z, "indicator", json_string(growth_indicator_key(flags[i].ind)));
        if (!*json_string_value(json_object_get(z, "class")))
            json_object_set_new(z, "class", json_null()); /* head circumference: WHO gives no class */
        json_array_append_new(fj, z);
    }
    json_array_append_new(
        w->items,
        json_pack("{s:I, s:s, s:s, s:o, s:o, s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:s, s:o}", "child_id",
                  (json_int_t)row->child_id, "child_name", row->name_masked, "child_name_sealed", row->name_sealed,
                  "family_user_id", row->family_user_id ? json_integer(row->family_user_id) : json_null(), "sex", json_integer(row->m.sex),
                  "institution_id", (json_int_t)row->institution_id, "institution_name", row->institution_name,
                  "class_id", (json_int_t)row->class_id, "class_name", row->class_name, "birth_date",
                  row->birth_date, "measurement_id", (json_int_t)row->measurement_id, "age_days",
                  (json_int_t)age_days, "age_months", (json_int_t)floor((double)age_days / GROWTH_DAYS_PER_MONTH),
                  "measured_on", row->measured_on, "flags", fj));
    return 0;
}

/* GET /api/v1/growth-flags?institution_id=&limit=&cursor= */
static int list_flags(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t inst;
    struct authz_scope scope;
    const struct params *p = NULL;
    struct growth_cutoffs cut;
    struct http_page page;
    if (http_query_id(req, "institution_id", "机构编号", &inst, &e) < 0 ||
        authz_scope(req, "growth.flags", "i.town_code", "p.institution_id", NULL, &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0 || !(p = params_of_request(req, &e)) ||
        growth_cutoffs_from_params(p, &cut, &e) < 0)
        return http_reply_err(rep, &e);
    struct walk w = {req, &page, &cut, json_array()};
    if (growth_flags_scan(req->db, req->district, &scope, inst, page.after_id, take, &w, &e) < 0 ||
        children_reveal_names(req, w.items, &e) < 0 ||
        audit_staff_list(req, "growth.flags", "institution", "children", json_array_size(w.items), &e) < 0) {
        json_decref(w.items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, w.items));
}

#include "growth/flags_api.schemas.inc"

const struct route growth_flags_routes[] = {
    {"GET", "/api/v1/growth-flags", "growth.flags", list_flags, NULL, &FLAGGED_PAGE, 0,
     HTTP_SUBACTIONS("child.read.full_name")},
    {NULL, NULL, NULL, NULL},
};

/* labels.c — GET /api/v1/public/labels: the names of codes the web app shows, read from their one
 * home on the server so the app copies no list: the roles (auth/policy.c) and the class types
 * with the age bands in force today (the parameters class.<type>.min_months / max_months, as
 * enrolment checks them), the audit log's actions, target types and fields (audit/names.c) and the
 * rule codes of compliance findings (registry/registry.c, staff/staff.c, care/outdoor.c, video/video.c), the weather
 * that shortens outdoor time (care/outdoor.c), the areas a camera covers (video/video.c). */
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "care/care.h"
#include "care/outdoor.h"
#include "incidents/incidents.h"
#include "enrol/store.h"
#include "registry/registry.h"
#include "staff/staff.h"
#include "training/training.h"
#include "video/video.h"
#include "routes.h"

static int get_labels(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct enrol_bands bands;
    if (enrol_store_bands(req->db, req->district, req->today, &bands, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *roles = json_array(), *classes = json_array();
    for (int r = ROLE_NONE + 1; r < ROLE_COUNT; r++)
        json_array_append_new(roles, json_pack("{s:s, s:s, s:s, s:b}", "code", role_code((enum role)r), "name",
                                               role_name((enum role)r), "home", role_home((enum role)r), "person",
                                               authz_role_may((enum role)r, "session")));
    for (int t = 0; t < CLASS_TYPE_COUNT; t++)
        json_array_append_new(classes, json_pack("{s:s, s:s, s:i, s:i}", "code", class_type_code((enum class_type)t),
                                                 "name", class_type_name((enum class_type)t), "min_months",
                                                 bands.min_months[t], "max_months", bands.max_months[t]));
    json_t *audit = audit_names_json();
    json_t *out = json_pack("{s:s, s:o, s:o, s:O, s:O, s:O, s:o}", "as_of", req->today, "roles", roles,
                                     "class_types", classes, "audit_actions", json_object_get(audit, "actions"),
                                     "audit_targets", json_object_get(audit, "targets"), "fields",
                                     json_object_get(audit, "fields"), "rules", registry_rule_names_json());
    json_object_update_new(json_object_get(out, "rules"), staff_rule_names_json());
    json_object_update_new(json_object_get(out, "rules"), care_outdoor_rule_names_json());
    json_object_update_new(json_object_get(out, "rules"), video_rule_names_json());
    json_object_set_new(out, "staff", staff_labels_json());
    json_t *care = care_labels_json();
    json_object_set_new(care, "weather", care_weather_json());
    json_object_set_new(out, "care", care);
    json_object_set_new(out, "training_kinds", training_kinds_json());
    json_object_set_new(out, "incidents", incident_labels_json());
    json_object_set_new(out, "video_areas", video_areas_json());
    json_decref(audit);
    return http_reply_json(rep, 200, out);
}

#include "labels.schemas.inc"

const struct route labels_routes[] = {
    {"GET", "/api/v1/public/labels", "public", get_labels, NULL, &LABELS},
    {NULL, NULL, NULL, NULL},
};

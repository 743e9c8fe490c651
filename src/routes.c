/* routes.c — the list of route tables the server runs (routes.h). */
#include "routes.h"

#include "audit/api.h"
#include "auth/auth.h"
#include "auth/sso.h"
#include "auth/users.h"
#include "calendar/api.h"
#include "care/api.h"
#include "checkups/api.h"
#include "cases/api.h"
#include "children/children.h"
#include "children/roster.h"
#include "duty/api.h"
#include "enrol/api.h"
#include "exchange/api.h"
#include "growth/api.h"
#include "growth/flags.h"
#include "inbox/inbox.h"
#include "jurisdiction/api.h"
#include "incidents/api.h"
#include "materials/api.h"
#include "network/api.h"
#include "keytasks/api.h"
#include "oversight/api.h"
#include "surveys/api.h"
#include "progress/api.h"
#include "params/api.h"
#include "population/api.h"
#include "planning/api.h"
#include "premises/api.h"
#include "fees/api.h"
#include "funds/api.h"
#include "funds/childsub_api.h"
#include "privacy/api.h"
#include "rating/api.h"
#include "rating/workflow.h"
#include "registry/api.h"
#include "staff/api.h"
#include "stations/api.h"
#include "supervision/api.h"
#include "training/api.h"
#include "video/api.h"

const struct route *const app_route_tables[] = {
    auth_routes,  registry_routes, supervision_routes, params_routes, audit_routes,
    users_routes, children_routes, growth_routes, bookings_routes, planning_routes, applications_routes, rounds_routes,
    visits_routes, inbox_routes, programs_routes, labels_routes, calendar_routes, http_openapi_routes,
    materials_routes, cases_routes, signup_routes, sso_routes, staff_routes, premises_routes, care_routes,
    training_routes,
    privacy_routes,
    incidents_routes,
    checkups_routes,
    duty_routes,
    rating_routes,
    funds_routes,
    childsub_routes,
    funds_operating_routes,
    vouchers_routes,
    growth_flags_routes,
    rating_workflow_routes,
    network_routes,
    network_org_routes,
    activity_routes,
    exchange_routes,
    registry_import_routes,
    stations_routes,
    fees_routes,
    video_routes,
    population_routes,
    findings_routes,
    jurisdiction_routes,
    population_import_routes,
    oversight_routes,
    inspection_routes,
    progress_routes,
    keytasks_routes,
    surveys_routes,
    roster_routes,
    NULL,
};

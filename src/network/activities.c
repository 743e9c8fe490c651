/* activities.c — 养育照护小组活动 (care-group activities; issue 16 item 4, C6.3; seed 四(二)5): a
 * growth station, an institution or a town (its community health centre) schedules an activity;
 * the year's activities in reach, counted by town against activities.care_groups_per_year; the
 * activities still to come for everyone, nearest first from a point; a family registers (never
 * beyond capacity), is reminded before it begins, may cancel before it begins; once it has begun
 * its host takes attendance. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/geo.h"
#include "base/json.h"
#include "inbox/inbox.h"
#include "network/api.h"
#include "network/network.h"
#include "network/store.h"
#include "params/api.h"
#include "params/params.h"
#include "registry/registry.h"
#include "registry/store.h"

/* POST /api/v1/care-group-activities: a station or institution schedules an activity of its own, a
 * town one of its community health centre, the district one in a town it names. */
static int schedule_activity(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct user *u = req->user;
    struct network_activity x;
    struct institution *in = NULL;
    char town[16], town_name[64], now_ts[DATE_TIMESTAMP_LEN];
    if (network_activity_from_json(http_body(req), req->now, &x, &e) < 0)
        return http_reply_err(rep, &e);
    /* where: the account's institution, else its town, else the town the body names */
    if (u->institution_id) {
        in = http_alloc(req, sizeof *in);
        if (registry_load(req->db, req->district, u->institution_id, req->today, in, &e) < 0)
            return http_reply_err(rep, &e);
        snprintf(town, sizeof town, "%s", in->town_code);
    } else if (authz_town_of(u)) {
        snprintf(town, sizeof town, "%s", authz_town_of(u));
    } else if (x.town_code) {
        snprintf(town, sizeof town, "%s", x.town_code);
    } else {
        return http_reply_error(rep, 422, "required", "town_code", "请选择活动所在镇街");
    }
    if (x.town_code && strcmp(x.town_code, town))
        return http_reply_error(rep, 422, "other_town", "town_code", "只能安排本镇街的活动");
    struct authz_target t = {.town_code = town, .institution_id = in ? in->id : 0};
    if (authz_require(req, "activity.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int known = registry_town_name(req->db, req->district, town, town_name, sizeof town_name, &e);
    if (known < 0)
        return http_reply_err(rep, &e);
    if (!known)
        return http_reply_error(rep, 422, "unknown_town", "town_code", "没有这个镇街");
    int64_t id;
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (network_activity_insert(req->db, req->district, town, in ? in->id : 0, &x, u->id, now_ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:s, s:I, s:s, s:s, s:I}", "town_code", town, "institution_id", (json_int_t)(in ? in->id : 0),
                          "topic", x.topic, "starts_at", x.starts_at, "capacity", (json_int_t)x.capacity);
    if (audit_write_commit(req, "activity.create", "care_group_activity", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(
        rep, 201,
        json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:I}", "id", (json_int_t)id, "town_code",
                  town, "town_name", town_name, "institution_id", in ? json_integer(in->id) : json_null(), "host", x.host,
                  "topic", x.topic, "age_band", x.age_band, "age_band_name", network_age_band_name(x.age_band), "place",
                  x.place, "starts_at", x.starts_at, "capacity", (json_int_t)x.capacity, "registered", 0, "free",
                  (json_int_t)x.capacity));
}

/* GET /api/v1/care-group-activities?year=: the activities of a year in reach, the count by town
 * and against activities.care_groups_per_year. */
static int list_activities(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    const char *year = http_query(req, "year");
    char this_year[5], from[DATE_TIMESTAMP_LEN], to[DATE_TIMESTAMP_LEN];
    snprintf(this_year, sizeof this_year, "%.4s", req->today);
    if (network_year_bounds(year ? year : this_year, from, to) < 0)
        return http_reply_error(rep, 400, "bad_query", "year", "year 应为四位年份");
    const struct params *p = NULL;
    double target;
    json_t *items = NULL, *towns = NULL;
    if (authz_scope(req, "activity.read", "a.town_code", "a.institution_id", NULL, &scope, &e) < 0 ||
        !(p = params_of_request(req, &e)) ||
        params_num(p, "activities.care_groups_per_year", &target, &e) < 0 ||
        network_activities_json(req->db, req->district, &scope, from, to, &items, &e) < 0 ||
        network_activities_by_town_json(req->db, req->district, &scope, from, to, &towns, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:i, s:s, s:I, s:o, s:o}", "year", year ? year : this_year, "target",
                                     (int)target, "target_basis", "瓯海区普惠托育基本公共服务试点工作方案 四(二)5：全年全区开展不少于200场养育照护小组活动",
                                     "total", (json_int_t)json_array_size(items), "by_town", towns, "activities", items));
}

/* An activity's start in Beijing words: "2026年12月5日 09:30". */
static const char *start_words(struct http_req *req, const char *starts_at)
{
    int64_t t = 0;
    char words[DATE_WORDS_LEN];
    date_parse_timestamp(starts_at, &t);
    return http_strdup(req, date_words_minute(t, words, sizeof words));
}

/* Order of the public list from a point: located activities by distance, then the rest by start. */
static int by_distance(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const json_t *dx = json_object_get(x, "distance_km"), *dy = json_object_get(y, "distance_km");
    if (json_is_number(dx) != json_is_number(dy))
        return json_is_number(dx) ? -1 : 1;
    if (json_is_number(dx) && json_number_value(dx) != json_number_value(dy))
        return json_number_value(dx) < json_number_value(dy) ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "starts_at")), json_string_value(json_object_get(y, "starts_at")));
}

/* GET /api/v1/public/care-group-activities[?near=lon,lat][&town=]: the activities still to come,
 * with free places; from a point, each held at a station or institution with its distance, nearest
 * first (the town's own, whose place has no position, after them); a town's only. */
static int public_activities(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope all;
    const char *town = http_query(req, "town");
    int near = 0;
    double lon = 0, lat = 0, radius = 0;
    if (geo_parse_near(http_query(req, "near"), NULL, &near, &lon, &lat, &radius, &e) < 0)
        return http_reply_err(rep, &e);
    authz_scope_all(&all); /* a public read */
    if (town && town[0]) {
        if (strlen(town) >= 16 || strspn(town, "0123456789") != strlen(town))
            return http_reply_error(rep, 400, "bad_query", "town", "镇街代码应为数字：%.40s", town);
        authz_scope_and_text(&all, "a.town_code", town);
    }
    char from[DATE_TIMESTAMP_LEN], to[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, from, sizeof from);
    date_format_timestamp(req->now + 366 * 86400LL, to, sizeof to);
    json_t *items;
    if (network_activities_json(req->db, req->district, &all, from, to, &items, &e) < 0)
        return http_reply_err(rep, &e);
    size_t n = json_array_size(items);
    if (near && n > 1) {
        json_t **rows = http_alloc(req, n * sizeof *rows);
        for (size_t k = 0; k < n; k++) {
            rows[k] = json_array_get(items, k);
            const json_t *x = json_object_get(rows[k], "lon"), *y = json_object_get(rows[k], "lat");
            json_object_set_new(rows[k], "distance_km",
                                json_is_number(x) && json_is_number(y)
                                    ? json_real(round(geo_haversine_m(lat, lon, json_number_value(y), json_number_value(x)) / 10.0) / 100.0)
                                    : json_null());
        }
        qsort(rows, n, sizeof *rows, by_distance);
        json_t *sorted = json_array();
        for (size_t k = 0; k < n; k++)
            json_array_append(sorted, rows[k]);
        json_decref(items);
        items = sorted;
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "activities", items));
}

/* The family's confirmation of registration reg for activity, and its reminder before the start. */
static int post_registration_messages(struct http_req *req, int64_t activity, int64_t reg, const char *now_ts,
                                      struct err *e)
{
    struct network_activity_head a;
    double hours;
    if (network_activity_head(req->db, req->district, activity, &a, e) < 0 ||
        params_get(req->db, req->district, "activities.reminder_hours_before", req->today, &hours, e) < 0)
        return -1;
    const char *when = start_words(req, a.starts_at);
    struct inbox_message m = {.user_id = req->user->id, .kind = "activity.registered", .subject = "活动报名成功",
                              .body = http_printf(req, "您已报名养育照护小组活动“%s”（%s）。如不能参加，请在活动开始前取消，把名额留给其他家庭。",
                                                  a.topic, when),
                              .ref_type = "care_group_registration", .ref_id = reg, .due_at = now_ts};
    if (inbox_post(req->db, req->district, &m, now_ts, e) < 0)
        return -1;
    int64_t starts = 0;
    date_parse_timestamp(a.starts_at, &starts);
    int64_t remind = starts - (int64_t)(hours * 3600);
    if (remind <= req->now)
        return 0; /* it begins sooner than a reminder would come */
    char remind_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(remind, remind_ts, sizeof remind_ts);
    m.kind = "activity.reminder";
    m.subject = "活动提醒";
    m.body = http_printf(req, "提醒：您报名的养育照护小组活动“%s”将于 %s 开始，请按时参加。", a.topic, when);
    m.due_at = remind_ts;
    return inbox_post(req->db, req->district, &m, now_ts, e);
}

/* POST /api/v1/care-group-registrations: a family registers for an activity; never beyond its
 * capacity, however many register at once; a confirmation now and a reminder before it begins
 * (activities.reminder_hours_before) in the family's inbox. */
static int register_activity(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.owner_user_id = req->user ? req->user->id : 0};
    if (authz_require(req, "activity.register", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t activity = (int64_t)jfield_number(http_body(req), "activity_id"), id;
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int started = network_activity_started(req->db, req->district, activity, now_ts, &e);
    if (started < 0)
        goto fail;
    if (started) {
        err_set(&e, 422, "activity_started", "activity_id", "该活动已开始，不能报名");
        goto fail;
    }
    if (network_registration_insert(req->db, req->district, activity, req->user->id, now_ts, &id, &e) < 0)
        goto fail;
    /* the place: one conditional update */
    int taken = network_activity_take(req->db, req->district, activity, now_ts, &e);
    if (taken < 0)
        goto fail;
    if (!taken) {
        err_set(&e, 409, "activity_full", "activity_id", "很抱歉，该活动已报满");
        goto fail;
    }
    if (post_registration_messages(req, activity, id, now_ts, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I}", "activity_id", (json_int_t)activity);
    if (audit_write_commit(req, "activity.register", "care_group_registration", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I}", "id", (json_int_t)id, "activity_id", (json_int_t)activity));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* POST /api/v1/care-group-registrations/{id}/cancel: a family cancels its registration before the
 * activity begins; the place goes back and the reminder is withdrawn. */
static int cancel_registration(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id"), activity;
    struct authz_target t = {.owner_user_id = req->user ? req->user->id : 0};
    if (authz_require(req, "activity.register", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (network_registration_of(req->db, id, req->user->id, &activity, &e) < 0)
        goto fail;
    int started = network_activity_started(req->db, req->district, activity, now_ts, &e);
    if (started < 0)
        goto fail;
    if (started) {
        err_set(&e, 409, "activity_started", "id", "活动已开始，不能取消报名");
        goto fail;
    }
    if (network_registration_delete(req->db, id, activity, now_ts, &e) < 0 ||
        inbox_withdraw(req->db, "care_group_registration", id, NULL, now_ts, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I}", "activity_id", (json_int_t)activity);
    if (audit_write_commit(req, "activity.cancel", "care_group_registration", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:b}", "id", (json_int_t)id, "activity_id",
                                               (json_int_t)activity, "cancelled", 1));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* GET /api/v1/care-group-registrations: the family's registrations. */
static int my_registrations(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.owner_user_id = req->user ? req->user->id : 0};
    json_t *items;
    if (authz_require(req, "activity.register", &t, &e) < 0 ||
        network_registrations_json(req->db, req->user->id, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "registrations", items));
}

/* The activity of the path, managed by the caller (its station or institution, its town, the
 * district): 0, or -1 with e (404 unknown, 403 outside the caller's reach). */
static int managed_activity(struct http_req *req, struct network_activity_head *a, struct err *e)
{
    if (network_activity_head(req->db, req->district, http_param_id(req, "id"), a, e) < 0)
        return -1;
    struct authz_target t = {.town_code = a->town_code, .institution_id = a->institution_id};
    return authz_require(req, "activity.manage", &t, e);
}

/* GET /api/v1/care-group-activities/{id}/registrations: the families registered (masked), and
 * whether each came once attendance is taken. Read by staff: audited. */
static int activity_registrations(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct network_activity_head a;
    json_t *items;
    if (managed_activity(req, &a, &e) < 0 || network_attendees_json(req->db, a.id, &items, &e) < 0)
        return http_reply_err(rep, &e);
    char target[24];
    snprintf(target, sizeof target, "%lld", (long long)a.id);
    if (audit_staff_read(req, "activity.registrations.read", "care_group_activity", target, NULL, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:I, s:s, s:s, s:I, s:I, s:o}", "activity_id", (json_int_t)a.id, "topic", a.topic,
                                     "starts_at", a.starts_at, "capacity", (json_int_t)a.capacity, "registered",
                                     (json_int_t)a.registered, "registrations", items));
}

/* POST /api/v1/care-group-activities/{id}/attendance: once the activity has begun, its host marks
 * the registrations that came (the rest did not); taken again, it replaces the last. */
static int take_attendance(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct network_activity_head a;
    int64_t *came = http_alloc(req, NETWORK_MAX_ATTENDEES * sizeof *came);
    int n = 0;
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (managed_activity(req, &a, &e) < 0 || network_attendance_from_json(http_body(req), came, &n, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(a.starts_at, now_ts) > 0)
        return http_reply_error(rep, 409, "not_started", "id", "活动尚未开始（%s），开始后才能签到", start_words(req, a.starts_at));
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (network_attendance_mark(req->db, a.id, came, n, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:i, s:I}", "came", n, "registered", (json_int_t)a.registered);
    if (audit_write_commit(req, "activity.attendance", "care_group_activity", a.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:i, s:I}", "activity_id", (json_int_t)a.id, "came", n,
                                               "registered", (json_int_t)a.registered));
}

/* ---- schemas and routes ---- */

#include "network/activities.schemas.inc"

const struct route activity_routes[] = {
    {"POST", "/api/v1/care-group-activities", "activity.manage", schedule_activity, &network_activity_schema, &ACTIVITY,
     201},
    {"GET", "/api/v1/care-group-activities", "activity.read", list_activities, NULL, &ACTIVITIES},
    {"GET", "/api/v1/care-group-activities/{id}/registrations", "activity.manage", activity_registrations, NULL,
     &ATTENDEES},
    {"POST", "/api/v1/care-group-activities/{id}/attendance", "activity.manage", take_attendance,
     &network_attendance_schema, &ATTENDANCE},
    {"GET", "/api/v1/public/care-group-activities", "public", public_activities, NULL, &PUBLIC_ACTIVITIES},
    {"POST", "/api/v1/care-group-registrations", "activity.register", register_activity, &network_registration_schema,
     &REGISTRATION, 201},
    {"GET", "/api/v1/care-group-registrations", "activity.register", my_registrations, NULL, &REGISTRATIONS},
    {"POST", "/api/v1/care-group-registrations/{id}/cancel", "activity.register", cancel_registration,
     &http_no_body_schema, &CANCELLED},
    {NULL, NULL, NULL, NULL},
};

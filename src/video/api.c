/* api.c — 可视托 video supervision (issue 19 item 7): an institution's cameras by room
 * (POST /api/v1/institutions/{id}/cameras, PUT /api/v1/cameras/{id}; stream credentials sealed,
 * never returned), their liveness (GET /api/v1/cameras, the prober in probe.c, "probe now"
 * POST /api/v1/cameras/{id}/probe, GET /api/v1/camera-outages), an institution's coverage and
 * retention findings (GET /api/v1/institutions/{id}/video), viewing a stream (POST
 * /api/v1/cameras/{id}/views, ended by POST /api/v1/cameras/{id}/views/end; every viewing logged
 * and audited, read by the auditor at GET /api/v1/camera-views) and the district's grant of
 * parents' viewing to an institution (POST /api/v1/institutions/{id}/video-parent-access). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypt.h"
#include "base/date.h"
#include "params/params.h"
#include "registry/api.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "video/api.h"
#include "video/record.h"
#include "video/store.h"
#include "video/video.h"

/* The first day of the uptime window: the last seven days including today. */
static const char *uptime_since(struct http_req *req)
{
    char *day = http_alloc(req, DATE_DAY_LEN);
    if (date_add_days(req->today, -6, day) < 0)
        snprintf(day, DATE_DAY_LEN, "%s", req->today);
    return day;
}

/* The camera of the path (or one_id) within the caller's reach for action, as its JSON row; NULL
 * with e (404 outside the reach). */
static json_t *camera_for(struct http_req *req, const char *action, int64_t one_id, struct err *e)
{
    struct authz_scope scope;
    json_t *rows;
    struct video_camera_filter f = {.one_id = one_id, .since_day = uptime_since(req), .limit = 1};
    if (authz_scope(req, action, "i.town_code", "i.id", NULL, &scope, e) < 0 ||
        video_store_cameras(req->db, req->district, scope.sql, &scope.params, &f, &rows, e) < 0)
        return NULL;
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!row)
        err_set(e, 404, "not_found", "id", "未找到该摄像头");
    return row;
}

static int list_cameras(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    int64_t institution;
    const char *state = http_query(req, "state");
    if (http_query_id(req, "institution_id", "机构编号", &institution, &e) < 0)
        return http_reply_err(rep, &e);
    if (state && strcmp(state, "up") && strcmp(state, "down") && strcmp(state, "unknown"))
        return http_reply_error(rep, 422, "bad_query", "state", "状态应为 up、down 或 unknown");
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "video.read", "i.town_code", "i.id", NULL, &scope, &e) < 0)
        return http_reply_err(rep, &e);
    struct video_camera_filter f = {.institution_id = institution, .state = state, .since_day = uptime_since(req),
                                    .after_id = page.after_id, .limit = page.limit + 1};
    if (video_store_cameras(req->db, req->district, scope.sql, &scope.params, &f, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static int get_camera(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *row = camera_for(req, "video.read", http_param_id(req, "id"), &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

/* A POST/PUT body into c: the address parsed (loopback only when the server says so), the area
 * known, the class the institution's own, the credentials (from the body, else the address's
 * userinfo) sealed. *has_credentials: the body or address named any. 0, or -1 with e. */
static int camera_from_body(struct http_req *req, int64_t institution_id, struct video_camera_record *c,
                            int *has_credentials, struct err *e)
{
    const json_t *b = http_body(req);
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", json_string_value(json_object_get(b, "name")));
    snprintf(c->area, sizeof c->area, "%s", json_string_value(json_object_get(b, "area")));
    c->class_id = json_integer_value(json_object_get(b, "class_id"));
    c->retention_days = (int)json_integer_value(json_object_get(b, "retention_days"));
    c->active = !json_is_false(json_object_get(b, "active"));
    if (!video_area_known(c->area))
        return err_set(e, 422, "unknown_area", "area", "未知的区域“%s”（见 GET /api/v1/institutions/{id}/video 的 areas）",
                       c->area);
    if (video_url_parse(json_string_value(json_object_get(b, "url")), &c->url, e) < 0)
        return -1;
    if (req->app->video_loopback_only && !video_host_is_loopback(c->url.host))
        return err_set(e, 422, "camera_not_loopback", "url", "本服务器只接受本机回环地址的摄像头（--video-loopback-only）：%s",
                       c->url.host);
    if (c->class_id) {
        int rc = video_store_class_of(req->db, institution_id, c->class_id, e);
        if (rc <= 0)
            return rc < 0 ? -1 : err_set(e, 422, "unknown_class", "class_id", "班级 %" PRId64 " 不属于该机构", c->class_id);
        if (strcmp(c->area, "class"))
            return err_set(e, 422, "class_needs_area", "area", "指定了班级的摄像头，区域应为 class（班级活动室）");
    }
    const char *user = json_string_value(json_object_get(b, "username"));
    const char *password = json_string_value(json_object_get(b, "password"));
    if (!user && c->url.user[0]) {
        user = c->url.user;
        password = c->url.password;
    }
    *has_credentials = user && *user;
    if (*has_credentials) {
        char plain[200];
        snprintf(plain, sizeof plain, "%s:%s", user, password ? password : "");
        int rc = crypt_seal(&req->app->key, plain, c->credentials_sealed, sizeof c->credentials_sealed, e);
        sodium_memzero(plain, sizeof plain);
        if (rc < 0)
            return -1;
        snprintf(c->username_masked, sizeof c->username_masked, "%.1s***", user);
    }
    c->url.user[0] = c->url.password[0] = '\0';
    return 0;
}

static json_t *camera_fields(const struct video_camera_record *c)
{
    return json_pack("{s:s, s:s, s:I, s:s, s:s, s:i, s:s, s:i, s:b}", "name", c->name, "area", c->area,
                     "class_id", (json_int_t)c->class_id, "scheme", video_scheme_code(c->url.scheme), "host", c->url.host, "port",
                     c->url.port, "path", c->url.path, "retention_days", c->retention_days, "active", c->active);
}

static int post_camera(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct video_camera_record c;
    int creds;
    struct institution *in = registry_load_for(req, "video.manage", &e);
    if (!in || camera_from_body(req, in->id, &c, &creds, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t id;
    if (db_begin(req->db, &e) < 0 || video_store_insert(req->db, req->district, in->id, &c, now_ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "video.camera.create", "camera", id, camera_fields(&c), &e) < 0)
        return http_reply_err(rep, &e);
    json_t *row = camera_for(req, "video.read", id, &e);
    return row ? http_reply_json(rep, 201, row) : http_reply_err(rep, &e);
}

static int put_camera(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct video_camera_record c;
    int creds;
    json_t *row = camera_for(req, "video.manage", http_param_id(req, "id"), &e);
    if (!row)
        return http_reply_err(rep, &e);
    int64_t id = json_integer_value(json_object_get(row, "id"));
    int64_t institution = json_integer_value(json_object_get(row, "institution_id"));
    json_decref(row);
    if (camera_from_body(req, institution, &c, &creds, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0 || video_store_update(req->db, req->district, id, &c, !creds, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "video.camera.update", "camera", id, camera_fields(&c), &e) < 0)
        return http_reply_err(rep, &e);
    row = camera_for(req, "video.read", id, &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

/* POST /api/v1/cameras/{id}/probe: probed now and recorded as the prober would, then its row. */
static int probe_camera(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *row = camera_for(req, "video.probe", http_param_id(req, "id"), &e);
    if (!row)
        return http_reply_err(rep, &e);
    int64_t id = json_integer_value(json_object_get(row, "id"));
    json_decref(row);
    int interval;
    if (video_probe_cycle(req->db, req->app, id, &interval, &e) < 0 || db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_write_commit(req, "video.probe", "camera", id, NULL, &e) < 0)
        return http_reply_err(rep, &e);
    row = camera_for(req, "video.read", id, &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

int video_findings_in(struct db *db, const char *district, const char *town, int64_t institution_id, const char *today,
                      json_t **by_institution, struct err *e)
{
    struct param_version retention;
    int rc = params_version_on(db, district, "video.retention_min_days", today, &retention, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 500, "param_missing", "video.retention_min_days", "缺少参数 video.retention_min_days");
    struct video_facts facts;
    if (video_store_facts(db, district, town, institution_id, &facts, e) < 0)
        return -1;
    char basis[600];
    snprintf(basis, sizeof basis, "%s（参数 video.retention_min_days = %s 天，自 %s 起）", VIDEO_RETENTION_BASIS,
             retention.value, retention.valid_from);
    *by_institution = video_findings_each(facts.classes, facts.nclasses, facts.cameras, facts.ncameras,
                                          atoi(retention.value), basis);
    video_facts_free(&facts);
    return 0;
}

/* GET /api/v1/institutions/{id}/video: the cameras, the findings, the parents' viewing grant. */
static int institution_video(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "video.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    json_t *cameras, *grant = NULL, *by_institution;
    double retention;
    struct authz_scope scope;
    struct video_camera_filter f = {.institution_id = in->id, .since_day = uptime_since(req), .limit = 1000};
    if (authz_scope(req, "video.read", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        video_store_cameras(req->db, req->district, scope.sql, &scope.params, &f, &cameras, &e) < 0)
        return http_reply_err(rep, &e);
    if (params_get(req->db, req->district, "video.retention_min_days", req->today, &retention, &e) < 0 ||
        video_findings_in(req->db, req->district, NULL, in->id, req->today, &by_institution, &e) < 0 ||
        video_store_parent_grant(req->db, req->district, in->id, req->today, &grant, &e) < 0) {
        json_decref(cameras);
        return http_reply_err(rep, &e);
    }
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)in->id);
    json_t *findings = json_incref(json_object_get(by_institution, key));
    json_decref(by_institution);
    if (!findings)
        findings = json_array();
    /* the institution's uptime: its cameras' successful probes over all their probes, 7 days */
    double ok = 0, probes = 0;
    size_t i;
    json_t *c;
    json_array_foreach(cameras, i, c)
    {
        double n = (double)json_integer_value(json_object_get(c, "probes"));
        probes += n;
        ok += n * json_number_value(json_object_get(c, "uptime_percent")) / 100.0;
    }
    json_t *uptime = probes > 0 ? json_real(round(ok * 10000.0 / probes) / 100.0) : json_null();
    return http_reply_json(rep, 200,
                           json_pack("{s:I, s:s, s:o, s:o, s:i, s:o, s:o, s:o}", "institution_id", (json_int_t)in->id,
                                     "institution_name", in->name, "cameras", cameras, "findings", findings,
                                     "retention_min_days", (int)retention, "parent_access",
                                     grant ? grant : json_null(), "areas", video_areas_json(), "uptime_percent",
                                     uptime));
}

static int list_outages(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    const char *open = http_query(req, "open");
    if (open && strcmp(open, "1") && strcmp(open, "0"))
        return http_reply_error(rep, 422, "bad_query", "open", "open 应为 1 或 0");
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "video.read", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        video_store_outages(req->db, req->district, scope.sql, &scope.params, open && *open == '1',
                            page.after_id, page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

/* POST /api/v1/cameras/{id}/views: the stream's address with its credentials, for the viewer's
 * player, and the viewing logged. Staff of the institution, the district and the centre at any
 * hour; a parent only of their child's room, with the district's grant in force and within its
 * hours (403 parent_viewing_off / outside_hours). */
/* The camera id's institution with video.view checked on it: staff by their jurisdiction, a family
 * only when its child is placed today in the class whose room the camera covers (404 otherwise);
 * and the camera's stream address with its sealed credentials. */
static int view_target(struct http_req *req, int64_t id, struct institution **in, struct video_url *stream,
                       char *sealed, size_t cap, struct err *e)
{
    int64_t institution_id = 0;
    int rc = video_store_stream(req->db, req->district, id, stream, sealed, cap, &institution_id, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该摄像头");
    *in = http_alloc(req, sizeof **in);
    if (registry_load(req->db, req->district, institution_id, req->today, *in, e) < 0)
        return -1;
    int own_room = video_store_family_child_in_room(req->db, req->user->id, id, req->today, e);
    if (own_room < 0)
        return -1;
    struct authz_target t = {.town_code = (*in)->town_code, .institution_id = (*in)->id,
                             .owner_user_id = own_room ? req->user->id : 0};
    return authz_require(req, "video.view", &t, e);
}

static int start_view(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct institution *in = NULL;
    char sealed[400];
    struct video_url stream;
    if (view_target(req, id, &in, &stream, sealed, sizeof sealed, &e) < 0) {
        sodium_memzero(sealed, sizeof sealed);
        return http_reply_err(rep, &e);
    }
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id, .owner_user_id = req->user->id};
    if (!authz_allows(req, "video.view.any_hour", &t)) {
        json_t *grant;
        if (video_store_parent_grant(req->db, req->district, in->id, req->today, &grant, &e) < 0)
            return http_reply_err(rep, &e);
        if (!grant)
            return http_reply_error(rep, 403, "parent_viewing_off", "id", "该机构未开通家长观看监控视频");
        char hhmm[6];
        char local[DATE_TIMESTAMP_LEN];
        date_format_timestamp(req->now + DATE_LOCAL_OFFSET_SECONDS, local, sizeof local);
        snprintf(hhmm, sizeof hhmm, "%.5s", local + 11);
        const char *from = json_string_value(json_object_get(grant, "hours_from"));
        const char *to = json_string_value(json_object_get(grant, "hours_to"));
        int within = video_within_hours(hhmm, from, to);
        char *hours = http_printf(req, "%s–%s", from, to);
        json_decref(grant);
        if (!within)
            return http_reply_error(rep, 403, "outside_hours", "id", "家长观看开放时段为每日 %s", hours);
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    /* the address with its credentials: for the viewer's player only, never stored in a log */
    char plain[200] = "", url[1400];
    if (sealed[0] && crypt_open(&req->app->key, sealed, plain, sizeof plain, &e) < 0)
        return http_reply_err(rep, &e);
    video_url_format(&stream, plain, url, sizeof url);
    sodium_memzero(plain, sizeof plain);
    sodium_memzero(sealed, sizeof sealed);
    int64_t view_id;
    if (db_begin(req->db, &e) < 0 ||
        video_store_view_start(req->db, req->district, id, in->id, req->user->id, role_code(req->user->role),
                               now_ts, &view_id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:I}", "camera_id", (json_int_t)id, "institution_id", (json_int_t)in->id);
    if (audit_write_commit(req, "video.view", "camera_view", view_id, f, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *reply = json_pack("{s:I, s:I, s:s, s:s}", "view_id", (json_int_t)view_id, "camera_id", (json_int_t)id,
                              "stream_url", url, "started_at", now_ts);
    sodium_memzero(url, sizeof url);
    return http_reply_json(rep, 201, reply);
}

/* POST /api/v1/cameras/{id}/views/end: the caller's open viewings of the camera ended (a player
 * stopped; several tabs end together), each with its length; none open is no error. */
static int end_views(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct institution *in = NULL;
    char sealed[400];
    struct video_url stream;
    int rc = view_target(req, id, &in, &stream, sealed, sizeof sealed, &e);
    sodium_memzero(sealed, sizeof sealed);
    if (rc < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t ended = 0, seconds = 0;
    if (db_begin(req->db, &e) < 0 ||
        video_store_views_end(req->db, req->district, id, req->user->id, now_ts, req->now, &ended, &seconds,
                              &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "video.view.end", "camera", id,
                           json_pack("{s:I, s:I}", "ended", (json_int_t)ended, "seconds", (json_int_t)seconds), &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:s}", "ended", (json_int_t)ended, "seconds",
                                               (json_int_t)seconds, "ended_at", now_ts));
}

static int list_views(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct http_page page;
    json_t *rows;
    struct authz_target t = {0};
    if (authz_require(req, "video.views.read", &t, &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        video_store_views(req->db, req->district, page.after_id, page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static int grant_parent_access(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "video.parent_access", &e);
    if (!in)
        return http_reply_err(rep, &e);
    const json_t *b = http_body(req);
    const char *from = json_string_value(json_object_get(b, "valid_from"));
    const char *to = json_string_value(json_object_get(b, "valid_to"));
    const char *h0 = json_string_value(json_object_get(b, "hours_from"));
    const char *h1 = json_string_value(json_object_get(b, "hours_to"));
    const char *basis = json_string_value(json_object_get(b, "basis"));
    if (to && strcmp(to, from) < 0)
        return http_reply_error(rep, 422, "bad_period", "valid_to", "截止日期 %s 早于开始日期 %s", to, from);
    if (!video_hhmm_valid(h0))
        return http_reply_error(rep, 422, "bad_time", "hours_from", "开放时段应为 HH:MM（如 08:30），收到“%s”", h0);
    if (!(video_hhmm_valid(h1) || strcmp(h1, "24:00") == 0) || strcmp(h1, h0) <= 0)
        return http_reply_error(rep, 422, "bad_time", "hours_to", "结束时间应为 HH:MM 且晚于开始时间，收到“%s”", h1);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t id;
    if (db_begin(req->db, &e) < 0 ||
        video_store_parent_grant_add(req->db, req->district, in->id, from, to, h0, h1, basis, req->user->id,
                                     now_ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s}", "institution_id", (json_int_t)in->id, "valid_from", from,
                          "valid_to", to ? json_string(to) : json_null(), "hours_from", h0, "hours_to", h1, "basis", basis);
    json_t *reply = json_deep_copy(f);
    json_object_set_new(reply, "id", json_integer(id));
    if (audit_write_commit(req, "video.parent_access", "camera_parent_access", id, f, &e) < 0) {
        json_decref(reply);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 201, reply);
}

/* ---- schemas and routes ---- */

#include "video/api.schemas.inc"

const struct route video_routes[] = {
    {"GET", "/api/v1/cameras", "video.read", list_cameras, NULL, &CAMERA_PAGE},
    {"GET", "/api/v1/cameras/{id}", "video.read", get_camera, NULL, &CAMERA},
    {"POST", "/api/v1/institutions/{id}/cameras", "video.manage", post_camera, &CAMERA_BODY, &CAMERA, 201},
    {"PUT", "/api/v1/cameras/{id}", "video.manage", put_camera, &CAMERA_BODY, &CAMERA},
    {"POST", "/api/v1/cameras/{id}/probe", "video.probe", probe_camera, &http_no_body_schema, &CAMERA},
    {"GET", "/api/v1/institutions/{id}/video", "video.read", institution_video, NULL, &INSTITUTION_VIDEO},
    {"GET", "/api/v1/camera-outages", "video.read", list_outages, NULL, &OUTAGE_PAGE},
    {"POST", "/api/v1/cameras/{id}/views", "video.view", start_view, &http_no_body_schema, &VIEW_STARTED, 201,
     .subactions = HTTP_SUBACTIONS("video.view.any_hour")},
    {"POST", "/api/v1/cameras/{id}/views/end", "video.view", end_views, &http_no_body_schema, &VIEW_ENDED},
    {"GET", "/api/v1/camera-views", "video.views.read", list_views, NULL, &VIEW_PAGE},
    {"POST", "/api/v1/institutions/{id}/video-parent-access", "video.parent_access", grant_parent_access, &GRANT, &GRANT,
     201},
    {NULL, NULL, NULL, NULL},
};

/* labels.c — GET /api/v1/public/labels: the names of codes the web app shows, read from their one
 * home on the server so the app copies no list: the roles (auth/policy.c) and the class types
 * with the age bands in force today (the parameters class.<type>.min_months / max_months, as
 * enrolment checks them), the audit log's actions, target types and fields (audit/names.c) and the
 * rule codes of compliance findings (registry/registry.c), the areas a camera covers (video/video.c). */
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "care/care.h"
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
    json_object_set_new(out, "staff", staff_labels_json());
    json_object_set_new(out, "care", care_labels_json());
    json_object_set_new(out, "training_kinds", training_kinds_json());
    json_object_set_new(out, "incidents", incident_labels_json());
    json_object_set_new(out, "video_areas", video_areas_json());
    json_decref(audit);
    return http_reply_json(rep, 200, out);
}

static const struct http_schema VIDEO_AREA = {
    NULL, HTTP_OBJECT, 0, "监控区域",
    .members = (const struct http_schema[]){{"code", HTTP_STRING, HTTP_REQUIRED, "区域代码"},
                                            {"name", HTTP_STRING, HTTP_REQUIRED, "区域名称"},
                                            {"children", HTTP_BOOLEAN, HTTP_REQUIRED, "婴幼儿活动区域（须有监控覆盖）"},
                                            {NULL}}};
static const struct http_schema ROLE = {
    NULL, HTTP_OBJECT, 0, "角色",
    .members = (const struct http_schema[]){
        {"code", HTTP_STRING, HTTP_REQUIRED, "角色代码"},
        {"name", HTTP_STRING, HTTP_REQUIRED, "角色名称"},
        {"home", HTTP_STRING, HTTP_REQUIRED, "登录后进入的页面（workbench 机构工作台、dashboard、audit、users、health 医育结合（健康指导员）、welcome 功能介绍、portal 家长端）"},
        {"person", HTTP_BOOLEAN, HTTP_REQUIRED, "人员账号的角色（false：数据交换机器账号，只由服务器命令创建，不能在用户管理中授予）"},
        {NULL}}};
static const struct http_schema CLASS_TYPE = {
    NULL, HTTP_OBJECT, 0, "班型及其收托月龄段 [min_months, max_months)",
    .members = (const struct http_schema[]){
        {"code", HTTP_STRING, HTTP_REQUIRED, "班型代码"},
        {"name", HTTP_STRING, HTTP_REQUIRED, "班型名称"},
        {"min_months", HTTP_INTEGER, HTTP_REQUIRED, "起始月龄（含）"},
        {"max_months", HTTP_INTEGER, HTTP_REQUIRED, "截止月龄（不含）"},
        {NULL}}};
static const struct http_schema LABELS = {
    NULL, HTTP_OBJECT, 0, "界面显示的代码名称（角色、班型及当日有效的月龄段、审计动作、字段、合规规则）",
    .members = (const struct http_schema[]){
        {"as_of", HTTP_DATE, HTTP_REQUIRED, "月龄段的有效日期"},
        {"roles", HTTP_ARRAY, HTTP_REQUIRED, "角色", .items = &ROLE},
        {"class_types", HTTP_ARRAY, HTTP_REQUIRED, "班型", .items = &CLASS_TYPE},
        {"audit_actions", HTTP_OBJECT, HTTP_REQUIRED, "审计日志的动作名称（代码 → 名称）"},
        {"audit_targets", HTTP_OBJECT, HTTP_REQUIRED, "审计日志的对象类型名称（代码 → 名称）"},
        {"fields", HTTP_OBJECT, HTTP_REQUIRED, "字段名称（代码 → 名称）"},
        {"rules", HTTP_OBJECT, HTTP_REQUIRED, "合规检查规则名称（代码 → 名称）"},
        {"care", HTTP_OBJECT, HTTP_REQUIRED, "在园照护：晨午检症状（symptoms：code、name、所属症状组 group、group_name）、其他代码的名称（names）"},
        {"staff", HTTP_OBJECT, HTTP_REQUIRED, "工作人员：岗位（roles：代码 → 名称）、证书类型（cert_kinds：code、name、适用岗位 roles、有无技能等级 graded）"},
        {"training_kinds", HTTP_OBJECT, HTTP_REQUIRED, "培训类别（代码 → 名称）"},
        {"video_areas", HTTP_ARRAY, HTTP_REQUIRED, "监控摄像头覆盖的区域", .items = &VIDEO_AREA},
        {"incidents", HTTP_OBJECT, HTTP_REQUIRED, "意外伤害事件：类型（kinds：code、name、是否强制报告 mandatory、是否告知家长 family_visible、依据 basis）、受伤部位（body_parts）、伤害程度（severities）、其他代码的名称（names）"},
        {NULL}}};

const struct route labels_routes[] = {
    {"GET", "/api/v1/public/labels", "public", get_labels, NULL, &LABELS},
    {NULL, NULL, NULL, NULL},
};

/* orgs.c — the network's organisations (issue 16 item 1; the pilot plan 四(二)4, 6): GET
 * /api/v1/health-orgs — the district's 妇幼保健中心 (the hub), each town's 卫生院 or 社区卫生服务中心
 * (the child health centres among them), each with its health instructors and how many
 * institutions each is assigned; POST /api/v1/health-orgs/{id}/members — the district places an
 * instructor in an organisation (one at a time; audited). */
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "network/api.h"
#include "network/store.h"

static int list_orgs(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *items;
    /* the organisations are the district's structure, the same for every reader the policy names
     * (no record of a town or an institution in it): the role decides, not a jurisdiction */
    if (!authz_role_may(req->user->role, "health_org.read"))
        return http_reply_error(rep, 403, "forbidden", "", "当前角色无权执行此操作");
    if (network_orgs_json(req->db, req->district, req->today, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

static int add_member(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t org = http_param_id(req, "id");
    int64_t user_id = json_integer_value(json_object_get(http_body(req), "user_id"));
    if (authz_require(req, "instructor_assignment.manage", &(struct authz_target){0}, &e) < 0)
        return http_reply_err(rep, &e);
    int found = network_org_exists(req->db, req->district, org, &e);
    int instructor = found > 0 ? network_is_instructor(req->db, req->district, user_id, &e) : 0;
    if (found < 0 || instructor < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该机构");
    if (!instructor)
        return http_reply_error(rep, 422, "not_instructor", "user_id", "该账号不是在用的健康指导员账号");
    if (db_begin(req->db, &e) < 0 || network_org_join(req->db, req->district, user_id, org, req->today, &e) < 0 ||
        audit_write_commit(req, "health_org.member", "health_org", org, json_pack("{s:I}", "user_id", (json_int_t)user_id),
                           &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return list_orgs(req, rep);
}

#include "network/orgs.schemas.inc"

const struct route network_org_routes[] = {
    {"GET", "/api/v1/health-orgs", "health_org.read", list_orgs, NULL, &ORGS},
    {"POST", "/api/v1/health-orgs/{id}/members", "instructor_assignment.manage", add_member, &MEMBER_BODY, &ORGS},
    {NULL, NULL, NULL, NULL},
};

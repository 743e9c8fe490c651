/* names.c — the Chinese names of what the audit log records: actions, target types and the
 * members of a row's fields. One table each, read by the audit log's export and by the web app
 * (GET /api/v1/public/labels), so that the auditor reads 修改用户账号, not user.update. A code
 * missing here is shown as it is; tests/api/audit.test.mjs checks that every action the demo and
 * the API tests write has a name. */
#include <string.h>

#include "audit/audit.h"

struct name {
    const char *code, *name;
};

static const struct name ACTIONS[] = {
    {"demo.generate", "生成演示数据"},
    {"institution.import", "批量导入托育机构"},
    {"institution.create", "新增托育机构"},
    {"institution.update", "修改托育机构信息"},
    {"params.update", "修改政策参数"},
    {"calendar.manage", "维护工作日历"},
    {"session.login", "登录"},
    {"session.login_failed", "登录失败"},
    {"session.logout", "退出登录"},
    {"account.totp_start", "开始绑定动态口令"},
    {"account.totp_enrol", "绑定动态口令"},
    {"user.create", "新增用户账号"},
    {"user.update", "修改用户账号"},
    {"user.passwd", "重置密码（命令行）"},
    {"user.totp", "绑定动态口令（命令行）"},
    {"user.disable", "停用账号（命令行）"},
    {"account_request.create", "提出特权账号变更申请"},
    {"account_request.approve", "批准特权账号变更"},
    {"account_request.reject", "驳回特权账号变更"},
    {"account_request.expire", "特权账号变更申请过期"},
    {"child.create", "登记婴幼儿"},
    {"child.list", "查看婴幼儿名单"},
    {"child.read", "查看婴幼儿档案"},
    {"growth.read", "查看生长发育评价"},
    {"measurement.create", "录入生长发育测量"},
    {"visit_slot.create", "发布参观时段"},
    {"visit_slot.cancel", "取消参观时段"},
    {"visit.book", "预约参观"},
    {"visit.cancel", "取消参观预约"},
    {"visit.list", "查看参观预约"},
    {"booking.create", "预约空余托位"},
    {"booking.cancel", "取消入托预约"},
    {"booking.list", "查看入托预约"},
    {"application.create", "填报入托申请"},
    {"application.update", "修改入托申请"},
    {"application.submit", "提交入托申请"},
    {"application.withdraw", "撤回入托申请"},
    {"application.list", "查看入托申请名单"},
    {"application.read", "查看入托申请"},
    {"round.run", "组织入托分配"},
    {"round.rerun", "候补重新分配"},
    {"round.read", "查看分配结果"},
    {"offer.accept", "接受录取"},
    {"offer.decline", "放弃录取"},
    {"inbox.read", "查看短信发送记录"},
    {"material.upload", "上传附件材料"},
    {"material.download", "下载附件材料"},
    {"material.delete", "删除附件材料"},
    {"planning.network.create", "导入规划路网"},
    {"planning.community.create", "新增规划社区"},
    {"planning.candidate.create", "新增候选点位"},
    {"premises.create", "登记国有闲置房源"},
    {"premises.update", "修改国有闲置房源"},
    {"premises.withdraw", "撤回国有闲置房源"},
    {"premises.allocate", "分配国有闲置房源"},
    {"audit.export", "导出审计日志"},
    {NULL, NULL},
};

static const struct name TARGETS[] = {
    {"district", "辖区"},
    {"institution", "托育机构"},
    {"param", "政策参数"},
    {"calendar_year", "工作日历年度"},
    {"user", "用户账号"},
    {"account_request", "特权账号变更申请"},
    {"child", "婴幼儿"},
    {"measurement", "生长发育测量"},
    {"visit_slot", "参观时段"},
    {"visit_booking", "参观预约"},
    {"booking", "入托预约"},
    {"application", "入托申请"},
    {"alloc_round", "分配轮次"},
    {"offer", "录取通知"},
    {"outbox", "待发短信"},
    {"material", "附件材料"},
    {"road_network", "规划路网"},
    {"community", "规划社区"},
    {"candidate_site", "候选点位"},
    {"premises", "国有闲置房源"},
    {"audit_log", "审计日志"},
    {NULL, NULL},
};

/* Members of a row's fields (the changed values, the counts of a list read, the filters of an
 * export). Institution members are named as on the institution form. */
static const struct name FIELDS[] = {
    {"name", "名称"},
    {"login", "账号"},
    {"role", "角色"},
    {"town_code", "所属镇街"},
    {"institution_id", "所属机构"},
    {"disabled", "停用"},
    {"password", "密码（已修改）"},
    {"value", "新值"},
    {"previous", "原值"},
    {"valid_from", "生效日期"},
    {"basis", "依据文件"},
    {"count", "条数"},
    {"children", "婴幼儿人数"},
    {"rows", "行数"},
    {"institutions", "机构数"},
    {"towns", "镇街数"},
    {"seed", "随机种子"},
    {"status", "状态"},
    {"address", "地址"},
    {"director", "负责人"},
    {"phone", "联系电话"},
    {"uscc", "统一社会信用代码"},
    {"operating_model", "办托模式"},
    {"ownership", "性质"},
    {"inclusive", "普惠"},
    {"star_level", "星级"},
    {"demonstration", "示范"},
    {"approved_places", "核定托位"},
    {"lat", "纬度"},
    {"lon", "经度"},
    {"classes", "班级"},
    {"fees", "收费"},
    {"premises", "场地"},
    {"staff", "人员"},
    {"sha256", "文件摘要"},
    {"year", "年度"},
    {"intake", "入托月份"},
    {"starts_at", "开始时间"},
    {"capacity", "可约人数"},
    {"visitors", "参观人数"},
    {"class_type", "班型"},
    {"child_id", "婴幼儿"},
    {"reason", "原因"},
    {"action", "动作"},
    {"target_type", "对象类型"},
    {"target_id", "对象编号"},
    {"enrolment_only", "仅可绑定动态口令"},
    {"remote_addr", "来源地址"},
    {"method", "方式"},
    {"application_id", "入托申请"},
    {"applications", "申请数"},
    {"bookings_cancelled", "取消的入托预约"},
    {"accepted_other_offer", "已接受其他录取"},
    {"child", "婴幼儿"},
    {"choices", "志愿"},
    {"date", "日期"},
    {"ids", "编号"},
    {"kind", "类别"},
    {"lapsed", "逾期数"},
    {"note", "备注"},
    {"offer_id", "录取通知"},
    {"offered", "录取数"},
    {"offers", "录取数"},
    {"owner_id", "所属记录编号"},
    {"owner_type", "所属记录类型"},
    {"places", "托位数"},
    {"rank", "志愿顺序"},
    {"rejected", "未录取数"},
    {"round_id", "分配轮次"},
    {"slot_id", "参观时段"},
    {"state", "状态"},
    {"added", "新增"},
    {"marked", "标记"},
    {"holidays", "节假日"},
    {"workdays", "调休上班日"},
    {"waitlisted", "候补数"},
    {"lottery", "抽签"},
    {"file", "文件"},
    {"format", "格式"},
    {"size", "大小（字节）"},
    {"type", "类型"},
    {"nodes", "节点数"},
    {"edges", "路段数"},
    {"population", "人口"},
    {"user", "用户"},
    {"requested_by", "申请人"},
    {"decided_by", "审批人"},
    {"change", "变更内容"},
    {"changes", "变更内容"},
    {"expires_at", "失效时间"},
    {"ends_at", "结束时间"},
    {"decision", "审批意见"},
    {"from", "起始日期"},
    {"to", "截止日期"},
    {NULL, NULL},
};

static const char *find(const struct name *t, const char *code)
{
    for (; code && t->code; t++)
        if (strcmp(t->code, code) == 0)
            return t->name;
    return NULL;
}

const char *audit_action_name(const char *action) { return find(ACTIONS, action); }
const char *audit_target_name(const char *target_type) { return find(TARGETS, target_type); }
const char *audit_field_name(const char *field) { return find(FIELDS, field); }

static json_t *table_json(const struct name *t)
{
    json_t *o = json_object();
    for (; t->code; t++)
        json_object_set_new(o, t->code, json_string(t->name));
    return o;
}

json_t *audit_names_json(void)
{
    return json_pack("{s:o, s:o, s:o}", "actions", table_json(ACTIONS), "targets", table_json(TARGETS), "fields",
                     table_json(FIELDS));
}

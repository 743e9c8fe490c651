/* policy.c — the authorization policy: which roles may perform each action, and the
 * jurisdiction rules that turn a role into a scope (one record, or a WHERE clause for lists). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "db/db.h"
#include "http/http.h"

/* Each role's code, name, and the console page it lands on after login ("workbench": the
 * institution's 工作台; "tasks": a department reviewer's 我的待办; "health": the health instructor's 医育结合; "reviews": an evaluator's
 * 我的评审 (star rating); "welcome": what the role will do here, for roles whose work has not yet
 * come to the platform; "portal": the family portal, not the console). */
static const struct {
    const char *code;
    const char *name;
    const char *home;
} ROLES[ROLE_COUNT] = {
    [ROLE_NONE] = {"none", "未登录", "login"},
    [ROLE_DISTRICT_ADMIN] = {"district_admin", "区卫健局管理员", "dashboard"},
    [ROLE_DEPT_REVIEWER] = {"dept_reviewer", "部门审核员", "tasks"},
    [ROLE_TOWN_OFFICER] = {"town_officer", "镇街专员", "dashboard"},
    [ROLE_INSTITUTION_OPERATOR] = {"institution_operator", "托育机构", "workbench"},
    [ROLE_HEALTH_INSTRUCTOR] = {"health_instructor", "健康指导员", "health"},
    [ROLE_STATION_OPERATOR] = {"station_operator", "成长驿站", "welcome"},
    [ROLE_FAMILY] = {"family", "家长", "portal"},
    [ROLE_EVALUATOR] = {"evaluator", "第三方测评", "reviews"},
    [ROLE_AUDITOR] = {"auditor", "审计员", "audit"},
    [ROLE_SECURITY_ADMIN] = {"security_admin", "安全管理员", "users"},
    [ROLE_SUPERVISION_CENTRE] = {"supervision_centre", "监管中心值班", "video"},
    [ROLE_PROVINCE_ADMIN] = {"province_admin", "省卫健委管理员", "region"},
    [ROLE_CITY_ADMIN] = {"city_admin", "市卫健委管理员", "region"},
    [ROLE_EXCHANGE_CLIENT] = {"exchange_client", "数据交换机器账号", "welcome"},
};

const char *role_code(enum role r) { return r > ROLE_NONE && r < ROLE_COUNT ? ROLES[r].code : "none"; }
const char *role_name(enum role r) { return r > ROLE_NONE && r < ROLE_COUNT ? ROLES[r].name : "未登录"; }
const char *role_home(enum role r) { return r > ROLE_NONE && r < ROLE_COUNT ? ROLES[r].home : "login"; }

enum role role_from_code(const char *code)
{
    for (int r = ROLE_NONE + 1; code && r < ROLE_COUNT; r++)
        if (strcmp(ROLES[r].code, code) == 0)
            return (enum role)r;
    return ROLE_NONE;
}

int role_is_staff(enum role r) { return r != ROLE_NONE && r != ROLE_FAMILY; }

/* Privileged accounts: the three administrators of 三员分立 (GB/T 22239—2019 level 3) — the
 * district administrator (system administrator: the platform's data and parameters), the
 * security administrator (accounts) and the auditor (the audit log). Creating one, changing its
 * role or scope, resetting its password or disabling it takes a second person's approval. */
int role_is_privileged(enum role r)
{
    return r == ROLE_DISTRICT_ADMIN || r == ROLE_SECURITY_ADMIN || r == ROLE_AUDITOR;
}

/* The order of roles by what an account of the role can reach, used for "nobody gives an account
 * more than they hold": a user may create, re-role or approve an account only of a role ranked no
 * higher than their own.
 *   5 district_admin        every record of the district, children's files, parameters, rounds
 *   4 security_admin,       district-wide power over the platform itself (accounts; the audit
 *     auditor               log) but no business records; peers, neither above the other
 *   3 dept_reviewer,        read the whole district's registry (the supervision centre: its
 *     evaluator,            cameras, their liveness and streams)
 *     supervision_centre
 *   2 town_officer          one town
 *   1 institution_operator, one institution, or the institutions assigned (health instructor);
 *     station_operator,     the instructor and operator also see those children's records
 *     health_instructor
 *   0 family                its own records
 * So the security administrator manages every account up to the auditors and security
 * administrators (with approval) but can never make a district administrator; those are made
 * with `tuoyu user add` by whoever runs the server. The province's and cities' administrators
 * (6) read many districts: nobody in a district grants them; `tuoyu user add --jurisdiction`. */
int role_rank(enum role r)
{
    switch (r) {
    case ROLE_PROVINCE_ADMIN:
    case ROLE_CITY_ADMIN:
        return 6;
    case ROLE_DISTRICT_ADMIN:
        return 5;
    case ROLE_SECURITY_ADMIN:
    case ROLE_AUDITOR:
        return 4;
    case ROLE_DEPT_REVIEWER:
    case ROLE_EVALUATOR:
    case ROLE_SUPERVISION_CENTRE:
        return 3;
    case ROLE_TOWN_OFFICER:
        return 2;
    case ROLE_INSTITUTION_OPERATOR:
    case ROLE_STATION_OPERATOR:
    case ROLE_HEALTH_INSTRUCTOR:
        return 1;
    default:
        return 0;
    }
}

/* A machine client's account is made only with `tuoyu exchange-client add`, never granted. */
int authz_may_grant_role(enum role actor, enum role granted)
{
    return actor != ROLE_NONE && granted != ROLE_NONE && granted != ROLE_EXCHANGE_CLIENT &&
           role_rank(granted) <= role_rank(actor);
}

/* The jurisdiction an account of each role is bound to, and so the scope fields its account
 * record must carry: a town officer its town, an institution or station operator its
 * institution; every other role neither (a health instructor's institutions are assignments). */
enum role_scope role_scope(enum role r)
{
    switch (r) {
    case ROLE_TOWN_OFFICER:
        return ROLE_SCOPE_TOWN;
    case ROLE_INSTITUTION_OPERATOR:
    case ROLE_STATION_OPERATOR:
        return ROLE_SCOPE_INSTITUTION;
    default:
        return ROLE_SCOPE_NONE;
    }
}

const char *role_level(enum role r)
{
    return r == ROLE_PROVINCE_ADMIN ? "province" : r == ROLE_CITY_ADMIN ? "city" : "district";
}

int role_above_district(enum role r) { return r == ROLE_PROVINCE_ADMIN || r == ROLE_CITY_ADMIN; }

#define R(x) (1u << (x))
#define REGULATORS (R(ROLE_DISTRICT_ADMIN) | R(ROLE_DEPT_REVIEWER) | R(ROLE_TOWN_OFFICER))
/* the province's and the cities' health commissions: they read the figures and registers of each
 * district below them (one at a time, the district they name) and compare the districts; they
 * write nothing in a district (their parameters are the province's or the city's own) and read no
 * child's or staff member's record */
#define REGIONAL (R(ROLE_PROVINCE_ADMIN) | R(ROLE_CITY_ADMIN))
#define REGISTRY_READERS                                                                                          \
    (REGULATORS | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_EVALUATOR))
/* children's records: the district health bureau, the child's institution, its health
 * instructor and the child's own family — nobody else */
#define CHILD_READERS                                                                                             \
    (R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_FAMILY))
/* staff records: the district health bureau, the town, the person's own institution (full names
 * when asked for: staff.read.personal); the health instructor of the institution, masked */
#define STAFF_PERSONAL (R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR))
#define STAFF_READERS (STAFF_PERSONAL | R(ROLE_HEALTH_INSTRUCTOR))
/* everyone who logs in: a machine client (exchange_client) is not a person and may only what its
 * own rows below name */
#define EVERYONE (((1u << ROLE_COUNT) - 1) & ~R(ROLE_NONE) & ~R(ROLE_EXCHANGE_CLIENT))
#define STAFF (EVERYONE & ~R(ROLE_FAMILY))
/* the three administrators of 三员分立 (role_is_privileged) */
#define PRIVILEGED (R(ROLE_DISTRICT_ADMIN) | R(ROLE_SECURITY_ADMIN) | R(ROLE_AUDITOR))

/* How a town, institution or instructor reaches a record of the action: by the record's own
 * town and institution (the default), or — applications — through the institutions its choices
 * name ("applications naming my institution"). */
enum reach { REACH_RECORD = 0, REACH_APPLICATION_CHOICES };

/* One row per action. "public" and "session" are handled by the before-hook: "public" needs no
 * login, "session" any login. A sub-action (institution.update.regulated, institution.transfer,
 * child.read.full_name) is a finer rule a route's handler consults with authz_allows, listed in
 * the route's subactions. */
static const struct {
    const char *action;
    unsigned roles;
    const char *what; /* Chinese description, shown in the policy listing */
    enum reach reach;
} POLICY[] = {
    {"public", 0, "公开"},
    {"session", EVERYONE, "已登录即可"},
    {"institution.list", REGISTRY_READERS | REGIONAL, "查看托育机构名录"},
    {"institution.read", REGISTRY_READERS | REGIONAL, "查看托育机构详情"},
    {"institution.findings", REGISTRY_READERS | REGIONAL, "查看合规检查结果"},
    {"institution.create", R(ROLE_DISTRICT_ADMIN), "新增托育机构"},
    {"institution.update", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "修改托育机构信息"},
    {"institution.update.regulated", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER),
     "修改由主管部门认定的字段（备案状态、普惠、示范、统一社会信用代码；星级由评定结果得出）"},
    {"institution.transfer", R(ROLE_DISTRICT_ADMIN), "将托育机构划转到其他镇街"},
    {"institution.export", R(ROLE_DISTRICT_ADMIN), "导出全区托育机构名录 .xlsx（导入模板的格式；导出记入审计日志）"},
    {"region.read", REGIONAL, "比较下辖各区（县、市）的托育服务指标，查看其中一个区的数据（只读）"},
    {"dashboard.read", REGULATORS | REGIONAL, "查看一屏掌控驾驶舱"},
    {"params.read", EVERYONE, "查看政策参数"},
    {"params.update", R(ROLE_DISTRICT_ADMIN) | REGIONAL, "修改政策参数（区县的；省、市管理员：本省、本市的，适用于未自行设定的区县）"},
    {"audit.read", R(ROLE_AUDITOR), "查看和校验审计日志"},
    {"audit.export", R(ROLE_AUDITOR), "导出审计日志（导出本身记入审计日志）"},
    {"user.manage", R(ROLE_SECURITY_ADMIN), "管理用户账号（特权账号的变更须另一名管理员批准）"},
    {"account_request.list", PRIVILEGED, "查看特权账号变更申请"},
    {"account_request.decide", PRIVILEGED, "批准或驳回他人提出的特权账号变更申请"},
    {"account.totp", STAFF, "绑定本人的动态口令（TOTP）"},
    {"account.identity", R(ROLE_FAMILY), "查看本人的实名信息；关联浙里办账号以实名核验"},
    {"child.create", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY), "登记婴幼儿"},
    {"child.list", CHILD_READERS, "查看婴幼儿名单"},
    {"child.read", CHILD_READERS, "查看婴幼儿档案"},
    {"child.read.full_name", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY), "查看婴幼儿全名（本机构、本家庭的婴幼儿）"},
    {"measurement.create", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_FAMILY),
     "录入生长发育测量"},
    {"growth.read", CHILD_READERS, "查看生长发育评价"},
    {"inbox.read", EVERYONE, "查看站内消息"},
    {"visit_slot.manage", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR), "发布和管理参观时段"},
    {"program.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR), "查看机构托位与占用"},
    /* how an institution reaches the families who book with it (issue 12 item 2): their names and
     * verified mobile numbers in its own lists, each read audited; masked for everyone else */
    {"family.contact", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "查看家长姓名和手机号（机构：在本机构预约参观、预约托位的家庭，记入审计日志；家长：本人）"},
    {"application.read.contact", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "查看入托申请的家长姓名和手机号（机构：志愿中有本机构的申请，记入审计日志；家长：本人）", REACH_APPLICATION_CHOICES},
    {"visit.book", R(ROLE_FAMILY), "预约参观托育机构"},
    {"visit.list", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY), "查看参观预约"},
    {"visit.cancel", R(ROLE_FAMILY), "取消参观预约"},
    {"booking.create", R(ROLE_FAMILY), "预约空余托位（入托网上约）"},
    {"booking.list", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY), "查看入托预约"},
    {"booking.cancel", R(ROLE_FAMILY), "取消入托预约"},
    {"application.create", R(ROLE_FAMILY), "填报入托申请（入托一件事）"},
    {"application.update", R(ROLE_FAMILY), "修改入托申请草稿", REACH_APPLICATION_CHOICES},
    {"application.submit", R(ROLE_FAMILY), "提交入托申请", REACH_APPLICATION_CHOICES},
    {"application.withdraw", R(ROLE_FAMILY), "撤回入托申请", REACH_APPLICATION_CHOICES},
    {"application.list", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "查看入托申请（机构：志愿中有本机构的申请）", REACH_APPLICATION_CHOICES},
    {"application.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "查看入托申请及录取说明（机构：志愿中有本机构的申请）", REACH_APPLICATION_CHOICES},
    /* the declared criteria (disability, hardship…): an institution sees the resulting points */
    {"application.read.criteria", R(ROLE_DISTRICT_ADMIN) | R(ROLE_FAMILY), "查看入托申请的申报条件（残疾、困难家庭等）"},
    {"round.run", R(ROLE_DISTRICT_ADMIN), "组织入托分配轮次"},
    {"round.read", R(ROLE_DISTRICT_ADMIN), "查看入托分配轮次结果"},
    {"round.rerun", R(ROLE_DISTRICT_ADMIN), "候补重新分配"},
    {"offer.accept", R(ROLE_FAMILY), "接受入托录取"},
    {"offer.decline", R(ROLE_FAMILY), "放弃入托录取"},
    {"growth.batch", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "批量计算生长发育Z评分"},
    {"planning.read", REGULATORS | REGIONAL, "查看托育服务圈规划分析"},
    {"planning.manage", R(ROLE_DISTRICT_ADMIN), "管理规划路网、社区和候选点位"},
    {"calendar.manage", R(ROLE_DISTRICT_ADMIN), "维护工作日历（法定节假日与调休上班日）"},
    /* materials: on the record they are attached to (src/materials/api.h) */
    {"material.upload", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "上传附件材料（到管辖范围内的记录）"},
    {"material.read", REGISTRY_READERS, "查看和下载附件材料（能查看所属记录者；职员每次下载都记入审计日志）"},
    {"material.delete", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "删除附件材料（所属记录已提交锁定时不能删除）"},
    /* cases (src/cases/): a process's events are sub-actions of case.event, each asked of the policy */
    {"case.create", R(ROLE_INSTITUTION_OPERATOR), "发起办件（办托一件事备案、变更备案、注销）"},
    {"case.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_DEPT_REVIEWER) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看办件及办理进度"},
    {"case.update", R(ROLE_INSTITUTION_OPERATOR), "填报办件（填报中或待补正时）"},
    {"case.event", R(ROLE_DISTRICT_ADMIN) | R(ROLE_DEPT_REVIEWER) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "办理办件（具体操作见子权限）"},
    {"case.submit", R(ROLE_INSTITUTION_OPERATOR), "提交、补正后重新提交、撤回办件"},
    {"case.receive", R(ROLE_DISTRICT_ADMIN), "受理办件并出具回执，或告知补正"},
    {"case.review", R(ROLE_DEPT_REVIEWER), "部门并联审核：通过或退回补正（仅本部门环节）"},
    {"case.decide", R(ROLE_DISTRICT_ADMIN),
     "作出备案（变更、注销）决定，或告知补正；星级评定结论、公示确认；成长驿站联合验收的区卫健局签署"},
    {"case.town_check", R(ROLE_TOWN_OFFICER),
     "镇街（街道）的办件环节：星级评定初审，成长驿站提请联合验收与镇街签署；通过或退回整改"},
    /* staff (src/staff/): an institution manages its own people; the town, the district and the
     * institution's health instructor read, names masked unless asked for and allowed
     * (staff.read.personal), every read audited */
    {"staff.list", STAFF_READERS, "查看托育机构工作人员名单（记入审计日志）"},
    {"staff.read", STAFF_READERS, "查看工作人员档案（记入审计日志）"},
    {"staff.read.personal", STAFF_PERSONAL, "查看工作人员全名（管辖范围内，按需显示，记入审计日志）"},
    {"staff.manage", R(ROLE_INSTITUTION_OPERATOR), "登记和修改本机构工作人员及其证书"},
    {"staff.export", STAFF_READERS, "导出工作人员名单 .xlsx（姓名打码，除非有权查看并要求全名；导出记入审计日志）"},
    {"staff.expiring", STAFF_READERS, "查看即将到期和已过期的工作人员证书"},
    {"findings.list", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | REGIONAL,
     "查看管辖范围内各机构的合规问题（机构登记、人员），及其整改事项"},
    /* daily care (src/care/): the child's institution runs it; entry checks are health data, read
     * only by the institution, its health instructor and the family; every staff read audited */
    {"care.manage", R(ROLE_INSTITUTION_OPERATOR), "婴幼儿编班、离园，登记授权接送人"},
    {"care.read", CHILD_READERS, "查看婴幼儿在园情况（班级、接送人、出勤）"},
    {"care.health.read", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_FAMILY),
     "查看入托体检与预防接种证查验（本机构、健康指导员、本家庭）"},
    {"care.health.write", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR), "登记入托体检与预防接种证查验"},
    {"attendance.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "查看班级考勤和待跟进的缺勤（姓名打码，记入审计日志）"},
    {"attendance.write", R(ROLE_INSTITUTION_OPERATOR), "登记考勤（入园、离园、缺勤）"},
    {"alert.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "查看传染病预警（病例姓名打码）"},
    {"alert.handle", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR), "确认和关闭传染病预警（写明采取的措施）"},
    /* a guardian's consent to the processing of a child's health data (src/privacy/): the family
     * in the portal, or the institution recording a signed paper form; no health data is written
     * without it */
    {"consent.read", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_FAMILY),
     "查看监护人对处理婴幼儿健康信息的同意（本机构、健康指导员、本家庭）"},
    {"consent.give", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "同意处理婴幼儿健康信息（家长本人；机构凭监护人签字的同意书登记）"},
    {"consent.withdraw", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "撤回同意（删除已记录的健康信息；机构凭监护人签字的撤回书登记）"},
    /* incidents and mandatory reports (src/incidents/): the institution records; its town, the
     * district and the child's family read (a kind withheld from the family — suspected domestic
     * violence — only the institution and the regulators); mandatory reports reach the town and
     * the district, which acknowledge and handle them; never another institution */
    {"incident.write", R(ROLE_INSTITUTION_OPERATOR), "登记意外伤害事件、跟进、告知家长、结案"},
    {"incident.list", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看机构的意外伤害事件（姓名打码，记入审计日志）"},
    {"incident.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "查看意外伤害事件（机构、镇街、区；家长：本人孩子的；职员查看记入审计日志）"},
    {"incident.read.withheld", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看不告知家长的事件（疑似家庭暴力）"},
    {"report.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看强制报告及其处理（镇街：本镇街；机构：本机构的）"},
    {"report.acknowledge", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "签收强制报告"},
    {"report.handle", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "记录强制报告的核查处理结果"},
    /* rectification items (src/oversight/): the district or the town raises one against an
     * institution and closes it after review; the institution answers with evidence; never another
     * town's or institution's */
    {"rectify.raise", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "下达整改事项（督查或监管发现的问题）"},
    {"rectify.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看机构的整改清单（镇街：本镇街；机构：本机构的）"},
    {"rectify.respond", R(ROLE_INSTITUTION_OPERATOR), "报送整改情况及佐证材料"},
    {"rectify.close", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "复核整改情况并销号"},
    /* quarterly progress reports (src/progress/, pilot plan 五(五)): a town writes and submits its
     * own; the district reviews every town's, reopens an approved one for correction and sends
     * the compiled report on */
    {"progress.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "查看季度进度报告（镇街：本镇街的）"},
    {"progress.write", R(ROLE_TOWN_OFFICER), "填写本镇街的季度进度报告"},
    {"progress.event", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "报送、审核、退回或重新打开季度进度报告"},
    {"progress.review", R(ROLE_DISTRICT_ADMIN), "审核季度进度报告，导出全区汇总报告"},
    /* the key-task plan (src/keytasks/): the district writes it; a town reports on its own tasks,
     * the district on any (departments report to it) */
    {"plan.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_DEPT_REVIEWER), "查看试点重点工作计划"},
    {"plan.manage", R(ROLE_DISTRICT_ADMIN), "制定和调整重点工作任务"},
    {"plan.report", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "报送重点工作任务进展及佐证（镇街：本镇街的任务）"},
    /* surveys (src/surveys/, C11.4): the third-party evaluator runs them; the district reads every
     * result, a town its own, an institution its closed satisfaction results; families answer */
    {"survey.manage", R(ROLE_EVALUATOR), "编制、发布和结束调查问卷（第三方测评）"},
    {"survey.read", R(ROLE_EVALUATOR) | R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看问卷及结果（镇街：本镇街的；机构：本机构已结束的满意度测评）"},
    {"survey.read.all", R(ROLE_EVALUATOR) | R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER),
     "查看问卷的全部状态和答卷（其余读者只看本机构已结束的满意度测评）"},
    {"survey.link", R(ROLE_EVALUATOR) | R(ROLE_DISTRICT_ADMIN), "查看问卷的填写链接（用于分发给家长）"},
    {"survey.answer", R(ROLE_FAMILY), "填写面向本户孩子所在机构或镇街的问卷（匿名，每户一份）"},
    /* training (src/training/): the district or a town publishes courses and records attendance;
     * operators enrol their own staff */
    {"training.read", STAFF_READERS, "查看培训课程目录和机构人员培训学时"},
    {"training.publish", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "发布培训课程和场次，记录考勤"},
    {"training.enrol", R(ROLE_INSTITUTION_OPERATOR), "为本机构工作人员报名培训"},
    {"training.certificate", STAFF_PERSONAL, "打印培训合格证明（含全名，记入审计日志）"},
    {"training.completion", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | REGIONAL, "查看管辖范围内各机构培训完成情况"},
    {"task.list", R(ROLE_DISTRICT_ADMIN) | R(ROLE_DEPT_REVIEWER) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看我的待办"},
    /* idle state premises (src/premises/): a town's officer for the town's entries */
    {"premises.read", REGULATORS | REGIONAL, "查看国有闲置房源登记（镇街：本镇街）"},
    {"premises.manage", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "登记、修改、撤回国有闲置房源（镇街：本镇街）"},
    {"premises.apply", R(ROLE_INSTITUTION_OPERATOR), "查看可申请的国有闲置房源并为本机构申请（仅普惠性托育机构）"},
    /* the health-check schedule and screenings (src/checkups/): health data, written by the child's
     * institution and its health instructor, read by them and the family; due lists in reach */
    {"checkup.read", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_FAMILY),
     "查看婴幼儿健康检查时间表、检查记录和筛查结果（本机构、健康指导员、本家庭）"},
    {"checkup.write", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR), "登记健康检查结果和发育、孤独症筛查结果"},
    {"checkup.due", R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_FAMILY),
     "查看待检查和逾期的健康检查（机构：本机构；健康指导员：所指导机构；家长：本人孩子）"},
    /* caregivers on duty and the day pages (src/duty/): the operator records who is on duty; the
     * institution's 今日 page for those who read its attendance; the district's day page (figures
     * per institution, no personal data) for the regulators in their jurisdiction */
    {"duty.write", R(ROLE_INSTITUTION_OPERATOR), "登记保育人员上岗、离岗（计入实时师幼比）"},
    {"today.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "查看机构今日概况（各班出勤、晨检、实时师幼比、在岗保育人员、预警）"},
    {"care.today", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | REGIONAL, "查看辖区各托育机构今日概况（出勤、晨检、师幼比不足、预警）"},
    /* the subsidy ledger (src/funds/): the district computes and approves, the town reviews its own
     * institutions' entitlements, an institution applies for and reads its own; the district
     * approves only what it neither applied for nor reviewed (funds_move) and makes the batches */
    {"funds.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "查看资金台账（镇街：本镇街；机构：本机构）"},
    {"funds.compute", R(ROLE_DISTRICT_ADMIN), "测算补助资金（附测算说明），冲销已拨付的资金"},
    {"funds.event", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR),
     "办理资金记录（申请、初审、审批、驳回，各按其权限）"},
    {"funds.apply", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR), "申请补助资金（机构：本机构）"},
    {"funds.review", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER), "初审补助资金（镇街：本镇街）"},
    {"funds.approve", R(ROLE_DISTRICT_ADMIN), "审批补助资金（申请人、初审人不能审批）"},
    {"funds.pay", R(ROLE_DISTRICT_ADMIN), "建立支付批次并确认拨付"},
    /* 育儿补贴 (src/funds/childsub*.c): a family applies for its own child; the child's town reviews
     * and decides (the district too), never its own application; all three read the child's
     * subsidy month by month, the town and the district their queue */
    {"childsub.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_FAMILY),
     "查看婴幼儿育儿补贴：逐月测算、申请与资金状态（家庭：本家庭；镇街：本镇街；记入审计日志）"},
    {"childsub.apply", R(ROLE_FAMILY), "为本家庭的婴幼儿申领育儿补贴"},
    {"childsub.decide", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER),
     "审核育儿补贴申请：核准（记入资金台账）或驳回（本人申请的不能审核）"},
    /* growth flags (src/growth/flags*.c): children in care whose latest measurement grades 下 or 上
     * (WS/T 423); the health instructor for the assigned institutions, the institution for its
     * own, the town and the district in their jurisdiction; names masked but the institution's own */
    {"growth.flags", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "查看生长发育偏离（在园婴幼儿最近一次测量评价为“下”或“上”；姓名打码，本机构显示全名，记入审计日志）"},
    /* star rating (src/rating/workflow.c): an assessment is a case of process "rating" — the
     * institution scores itself, its town checks, the experts the district assigns score alone
     * (never an institution they are linked to), the district concludes and publishes; anyone
     * logged in may object during publicity */
    {"rating.read", REGISTRY_READERS | REGIONAL, "查看星级评定及其历史（专家评分在评审结论作出后可见）"},
    {"rating.apply", R(ROLE_INSTITUTION_OPERATOR), "为本机构发起星级评定，填写自评并附佐证材料"},
    {"rating.assign", R(ROLE_DISTRICT_ADMIN), "为星级评定指派评审专家（与机构有关联的专家不能指派）"},
    {"rating.score", R(ROLE_EVALUATOR), "评审专家：查看指派给本人的评定，独立评分，申报关联机构"},
    {"rating.object", EVERYONE & ~REGIONAL, "对公示中的星级评定结果提出异议"},
    {"rating.answer", R(ROLE_DISTRICT_ADMIN), "答复星级评定异议（成立的，退回专家重新评审）"},
    {"rating.export", R(ROLE_DISTRICT_ADMIN), "导出全区星级评定结果 .xlsx（导出记入审计日志）"},
    /* the health guidance network (src/network/): the district assigns health instructors to
     * institutions; an instructor records duties at the institutions assigned to them; the
     * compliance is read by the instructor, the institution, its town and the district */
    {"instructor_assignment.manage", R(ROLE_DISTRICT_ADMIN), "分配健康指导员到托育机构、结束分配（记入审计日志）"},
    {"instructor_assignment.read",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "查看健康指导员的分配及历史（镇街：本镇街；机构：本机构；指导员：所指导机构）"},
    {"health_org.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_HEALTH_INSTRUCTOR) | R(ROLE_DEPT_REVIEWER),
     "查看医育结合三级指导网络（区妇幼保健中心、镇街卫生服务中心及其健康指导员）"},
    {"instructor_duty.write", R(ROLE_HEALTH_INSTRUCTOR), "登记实地指导、健康知识讲座、卫生保健工作梳理（仅分配给本人的机构）"},
    {"instructor_duty.read",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_HEALTH_INSTRUCTOR),
     "查看健康指导员履职记录和逾期情况（管辖范围内）"},
    /* care-group activities (养育照护小组活动): a station or institution schedules its own, a town
     * its community health centre's, the district any; families register */
    {"activity.manage",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_STATION_OPERATOR),
     "安排养育照护小组活动（驿站、机构：本单位；镇街：本镇街）"},
    {"activity.read",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_STATION_OPERATOR),
     "查看养育照护小组活动、报名人数和各镇街全年场次"},
    {"activity.register", R(ROLE_FAMILY), "报名养育照护小组活动，查看本人的报名"},
    /* growth stations (src/stations/): the station, its town and the district keep its site record;
     * the joint acceptance (a case) is submitted and signed by the town (case.town_check) and signed
     * by the health bureau (case.decide) */
    {"station.read",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_DEPT_REVIEWER) | R(ROLE_TOWN_OFFICER) | R(ROLE_STATION_OPERATOR) | REGIONAL,
     "查看成长驿站及其场地信息、联合验收状态"},
    {"station.manage", R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_STATION_OPERATOR),
     "登记成长驿站场地信息，申请联合验收（镇街提请，区卫健局与镇街分别签署：见 case.decide、case.town_check）"},
    /* the data exchange (src/exchange/): the provincial platforms' machine clients read the feed
     * of institutions, places and vacancies with a bearer token; the district may read it too */
    {"exchange.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_EXCHANGE_CLIENT),
     "读取数据交换增量数据（机构、托位、空余托位；供省市平台的机器账号使用）"},
    /* towns' population by year (src/population/): the denominator of the dashboard's places per
     * 1,000 residents; entered by the district, read by the regulators (a town officer its town) */
    {"population.read", REGULATORS | REGIONAL, "查看各镇街的常住人口、3岁以下婴幼儿数和出生人口（按年度）"},
    {"population.manage", R(ROLE_DISTRICT_ADMIN), "录入或更正某年度各镇街的人口数据（注明来源）"},
    /* 可视托 (src/video/): an institution registers its cameras; the district, the town and the
     * 24-hour supervision centre see their liveness; streams are viewed by the district, the centre
     * and the institution at any hour, by a parent only of the child's own room, when the district
     * has granted the institution parents' viewing and within its hours (video.view without
     * video.view.any_hour); every viewing is logged and read by the auditor */
    {"video.read",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_TOWN_OFFICER) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_SUPERVISION_CENTRE),
     "查看监控摄像头、在线状态、在线率、离线记录和覆盖情况"},
    {"video.manage", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR), "登记和修改本机构的监控摄像头"},
    {"video.probe", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_SUPERVISION_CENTRE),
     "立即检测摄像头是否在线"},
    {"video.view",
     R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_SUPERVISION_CENTRE) | R(ROLE_FAMILY),
     "观看监控视频（每次观看记入观看日志；家长仅限本人孩子所在班级、经区卫健局开通且在开放时段内）"},
    {"video.view.any_hour", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_SUPERVISION_CENTRE),
     "不受家长观看开放时段限制地观看监控视频"},
    {"video.views.read", R(ROLE_AUDITOR) | R(ROLE_DISTRICT_ADMIN), "查阅监控视频观看日志"},
    {"video.parent_access", R(ROLE_DISTRICT_ADMIN), "为机构开通家长观看（起止日期、每日时段、依据）"},
    /* 托育券 (src/funds/vouchers*.c): the district sets up an issue and issues it to eligible children;
     * the family redeems a voucher where its child is in care; that institution claims it into the
     * ledger */
    {"vouchers.manage", R(ROLE_DISTRICT_ADMIN), "设立托育券发放批次，向符合条件的婴幼儿发放"},
    {"vouchers.read", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR) | R(ROLE_FAMILY),
     "查看托育券（家长：本人的；机构：在本机构使用的）"},
    {"vouchers.redeem", R(ROLE_FAMILY), "在孩子入托的普惠托育机构使用托育券"},
    {"vouchers.claim", R(ROLE_INSTITUTION_OPERATOR), "申领在本机构使用的托育券（计入资金台账）"},
    /* fee catalogues and price guidance (src/fees/, 发改价格〔2024〕1477号): the institution publishes
     * its catalogue, dated, never retroactively; the regulators read every catalogue with the band
     * check; the institution keeps its cost worksheet, read by the district for the price department */
    {"fees.read", REGISTRY_READERS | REGIONAL, "查看机构收费目录（现行、已公告、历次调整）及适用的价格政策"},
    {"fees.edit", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR),
     "调整机构收费目录（自某日起执行，不得追溯；每次调整留存并公示）"},
    {"fees.list", REGULATORS | REGIONAL, "查看各机构现行收费目录及价格政策比对结果（可导出 .xlsx）"},
    {"fees.worksheet", R(ROLE_DISTRICT_ADMIN) | R(ROLE_INSTITUTION_OPERATOR), "查看机构的成本核算表（价格形成测算）"},
    {"fees.worksheet.edit", R(ROLE_INSTITUTION_OPERATOR), "填报本机构的年度成本核算表"},
    {"exchange.write", R(ROLE_DISTRICT_ADMIN) | R(ROLE_EXCHANGE_CLIENT),
     "接收对方平台发来的机构记录（按对方编号或统一社会信用代码更新，否则新增；逐条记入审计日志）"},
};

static int policy_index(const char *action)
{
    for (size_t i = 0; action && i < sizeof POLICY / sizeof *POLICY; i++)
        if (strcmp(POLICY[i].action, action) == 0)
            return (int)i;
    return -1;
}

int authz_action_known(const char *action) { return policy_index(action) >= 0; }

int authz_enrolment_allows(const char *action)
{
    return strcmp(action, "session") == 0 || strcmp(action, "account.totp") == 0;
}

/* May role r perform the action of policy row i (-1: no rule, nobody)? */
static int role_may_at(int i, enum role r)
{
    if (i < 0)
        return 0; /* no rule: nobody */
    if (r > ROLE_NONE && r < ROLE_COUNT && (POLICY[i].roles & R(r)))
        return 1;
    return strcmp(POLICY[i].action, "public") == 0;
}

int authz_role_may(enum role r, const char *action) { return role_may_at(policy_index(action), r); }

json_t *authz_policy_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof POLICY / sizeof *POLICY; i++) {
        json_t *roles = json_array();
        for (int r = ROLE_NONE + 1; r < ROLE_COUNT; r++)
            if (POLICY[i].roles & R(r))
                json_array_append_new(roles, json_string(ROLES[r].code));
        json_object_set_new(o, POLICY[i].action, roles);
    }
    return o;
}

json_t *authz_actions_json(const struct user *u)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof POLICY / sizeof *POLICY; i++)
        if (strcmp(POLICY[i].action, "public") && strcmp(POLICY[i].action, "session") &&
            (POLICY[i].roles & R(u->role)) && (!u->enrolment_only || authz_enrolment_allows(POLICY[i].action)))
            json_array_append_new(a, json_string(POLICY[i].action));
    return a;
}

/* Is the institution assigned to this health instructor? */
static int instructor_assigned(struct http_req *req, int64_t institution_id)
{
    struct db_stmt *st;
    struct err e;
    if (db_prepare(req->db, "SELECT 1 FROM instructor_assignment WHERE user_id = ? AND institution_id = ?", &st,
                   &e) < 0)
        return 0;
    db_bind_int64(st, 1, req->user->id);
    db_bind_int64(st, 2, institution_id);
    int found = db_step(st, &e) == DB_ROW;
    db_finalize(st);
    return found;
}

/* What a role's jurisdiction is: the one rule that both the check of one record (within) and the
 * WHERE fragment of a list (scope_rule) apply. */
enum jurisdiction {
    JURIS_NOTHING,
    JURIS_DISTRICT,    /* the whole district of the request (req->district) */
    JURIS_TOWN,        /* the account's town */
    JURIS_INSTITUTION, /* the account's institution */
    JURIS_ASSIGNED,    /* the institutions the health instructor is assigned to */
    JURIS_OWN,         /* the family's own records */
};

static enum jurisdiction jurisdiction(enum role r)
{
    switch (r) {
    case ROLE_DISTRICT_ADMIN:
    case ROLE_DEPT_REVIEWER:
    case ROLE_EVALUATOR:
    case ROLE_AUDITOR:
    case ROLE_SECURITY_ADMIN:
    case ROLE_SUPERVISION_CENTRE:
    case ROLE_EXCHANGE_CLIENT:
    case ROLE_PROVINCE_ADMIN: /* the district they chose below them (auth_district) */
    case ROLE_CITY_ADMIN:
        return JURIS_DISTRICT;
    case ROLE_TOWN_OFFICER:
        return JURIS_TOWN;
    case ROLE_INSTITUTION_OPERATOR:
    case ROLE_STATION_OPERATOR:
        return JURIS_INSTITUTION;
    case ROLE_HEALTH_INSTRUCTOR:
        return JURIS_ASSIGNED;
    case ROLE_FAMILY:
        return JURIS_OWN;
    default:
        return JURIS_NOTHING;
    }
}

/* Is the record t within the user's jurisdiction (by its own town, institution and owner)? */
static int within(struct http_req *req, const struct authz_target *t)
{
    const struct user *u = req->user;
    switch (jurisdiction(u->role)) {
    case JURIS_DISTRICT:
        return 1;
    case JURIS_TOWN:
        return t->town_code && u->town_code[0] && strcmp(t->town_code, u->town_code) == 0;
    case JURIS_INSTITUTION:
        return t->institution_id && t->institution_id == u->institution_id;
    case JURIS_ASSIGNED:
        return t->institution_id && instructor_assigned(req, t->institution_id);
    case JURIS_OWN:
        return t->owner_user_id && t->owner_user_id == u->id;
    default:
        return 0;
    }
}

/* Roles whose jurisdiction is a town or some institutions: what they reach of an application is
 * decided by the institutions its choices name. */
static int reaches_by_institution(enum role r)
{
    enum jurisdiction j = jurisdiction(r);
    return j == JURIS_TOWN || j == JURIS_INSTITUTION || j == JURIS_ASSIGNED;
}

/* Does one of application app_id's choices name an institution within the user's jurisdiction? */
static int application_within(struct http_req *req, int64_t app_id)
{
    struct err e;
    struct db_stmt *st = db_query(req->db, &e,
                                  "SELECT x.institution_id, i.town_code FROM application_choice x "
                                  "JOIN institution i ON i.id = x.institution_id WHERE x.application_id = ?",
                                  "i", app_id);
    int found = 0;
    while (st && !found && db_step(st, &e) == DB_ROW) {
        struct authz_target choice = {.town_code = db_col_text(st, 1), .institution_id = db_col_int64(st, 0)};
        found = within(req, &choice);
    }
    db_finalize(st);
    return found;
}

int authz_require(struct http_req *req, const char *action, const struct authz_target *t, struct err *e)
{
    const struct user *u = req->user;
    if (!u)
        return err_set(e, 401, "unauthenticated", "", "请先登录");
    int i = policy_index(action);
    if (!role_may_at(i, u->role))
        return err_set(e, 403, "forbidden", "", "当前角色无权执行此操作");
    int inside = POLICY[i].reach == REACH_APPLICATION_CHOICES && reaches_by_institution(u->role)
                     ? t->application_id && application_within(req, t->application_id)
                     : within(req, t);
    if (!inside)
        return err_set(e, 404, "not_found", "", "未找到该记录，或不在您的管辖范围内");
    return 0;
}

int authz_allows(struct http_req *req, const char *subaction, const struct authz_target *t)
{
    const char *const *s = req->route ? req->route->subactions : NULL;
    while (s && *s && strcmp(*s, subaction))
        s++;
    if (!s || !*s) {
        /* refused, so that the route table's list stays the whole truth: a handler cannot consult
         * a rule that `tuoyu routes` and the authorization matrix do not know of */
        fprintf(stderr, "tuoyu: route %s %s consults sub-action '%s' that its table does not list\n",
                req->route ? req->route->method : "", req->route ? req->route->pattern : "", subaction);
        return 0;
    }
    struct err e;
    return authz_require(req, subaction, t, &e) == 0;
}

const char *authz_town_of(const struct user *u)
{
    return u && role_scope(u->role) == ROLE_SCOPE_TOWN ? u->town_code : NULL;
}

/* The user's jurisdiction as a WHERE fragment over the given columns, its values added to p. */
static void scope_rule(const struct user *u, const char *town_col, const char *inst_col, const char *owner_col,
                       char *sql, size_t cap, struct db_params *p)
{
    switch (jurisdiction(u->role)) {
    case JURIS_DISTRICT:
        snprintf(sql, cap, "1 = 1");
        break;
    case JURIS_TOWN:
        snprintf(sql, cap, "%s = ?", town_col);
        db_params_text(p, u->town_code);
        break;
    case JURIS_INSTITUTION:
        snprintf(sql, cap, "%s = ?", inst_col);
        db_params_int64(p, u->institution_id);
        break;
    case JURIS_ASSIGNED:
        snprintf(sql, cap, "%s IN (SELECT institution_id FROM instructor_assignment WHERE user_id = ?)", inst_col);
        db_params_int64(p, u->id);
        break;
    case JURIS_OWN:
        if (!owner_col) {
            snprintf(sql, cap, "1 = 0");
            break;
        }
        snprintf(sql, cap, "%s = ?", owner_col);
        db_params_int64(p, u->id);
        break;
    default:
        snprintf(sql, cap, "1 = 0");
    }
}

void authz_scope_all(struct authz_scope *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->sql, sizeof out->sql, "1 = 1");
}

void authz_scope_id(struct authz_scope *out, const char *col, int64_t id)
{
    memset(out, 0, sizeof *out);
    snprintf(out->sql, sizeof out->sql, "%s = ?", col);
    db_params_int64(&out->params, id);
}

void authz_scope_and_text(struct authz_scope *s, const char *col, const char *text)
{
    size_t len = strlen(s->sql);
    snprintf(s->sql + len, sizeof s->sql - len, " AND %s = ?", col);
    db_params_text(&s->params, text);
}

int authz_scope(struct http_req *req, const char *action, const char *town_col, const char *inst_col,
                const char *owner_col, struct authz_scope *out, struct err *e)
{
    const struct user *u = req->user;
    memset(out, 0, sizeof *out);
    if (!u)
        return err_set(e, 401, "unauthenticated", "", "请先登录");
    int i = policy_index(action);
    if (!role_may_at(i, u->role))
        return err_set(e, 403, "forbidden", "", "当前角色无权执行此操作");
    if (POLICY[i].reach == REACH_APPLICATION_CHOICES && reaches_by_institution(u->role)) {
        /* applications naming an institution within reach; inst_col holds the application id */
        char inner[192];
        scope_rule(u, "xi.town_code", "x.institution_id", NULL, inner, sizeof inner, &out->params);
        snprintf(out->sql, sizeof out->sql,
                 "EXISTS (SELECT 1 FROM application_choice x JOIN institution xi ON xi.id = x.institution_id "
                 "WHERE x.application_id = %s AND %s)",
                 inst_col, inner);
    } else {
        scope_rule(u, town_col, inst_col, owner_col, out->sql, sizeof out->sql, &out->params);
    }
    return 0;
}

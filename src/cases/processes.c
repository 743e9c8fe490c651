/* processes.c — the processes the cases engine runs, as data (docs/decisions.md "Cases engine"):
 * 办托一件事 filing (托育机构登记和备案办法（试行） Art. 8–9: materials, a receipt within 5 working
 * days, the departments' review in parallel, a decision or a deficiency notice within 15 working
 * days), change filing (变更备案) and cancellation (注销) (Art. 10, 管理规范 Art. 6–7), the
 * application for idle state premises, the star rating (星级评定), a growth station's joint acceptance —
 * with the materials each step examines (so the checklist
 * by institution type is data), and their hooks. Pure. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "rating/workflow.h"
#include "registry/registry.h"

/* ---- steps, and the materials each examines ---- */

#define RECEIPT "filing.receipt_working_days"
#define NOTICE "filing.notice_working_days"
#define CORRECTION "filing.correction_days"
#define NEEDS(...) ((const struct cases_need[]){__VA_ARGS__, {NULL}})
/* A department's review of a filing or a change: decided within the notice period. */
#define REVIEW(code, name, dept, kinds, except, needs)                                                 \
    {code, name, "case.review", dept, NOTICE, 1, CASES_FROM_SUBMITTED, kinds, except, 0, needs}

/* 备案办法 Art. 8, 管理规范 Art. 4; 家庭托育点管理办法: the district receives the 备案书 and 承诺书 with
 * the premises proof; each department examines what it is competent for — a family point files
 * its business licence only when for profit, and no fire, health or staff certificates */
static const struct cases_step RECEIVE = {"receipt", "受理并出具回执", "case.receive", NULL, RECEIPT, 1, CASES_FROM_SUBMITTED,
                                          .needs = NEEDS({"filing_form"}, {"undertaking"}, {"premises"})};
static const struct cases_step REVIEW_FIRE = REVIEW("review_fire", "消防救援审核", "fire", "family_point", 1,
                                                    NEEDS({"fire_safety"}));
static const struct cases_step REVIEW_MARKET =
    REVIEW("review_market", "市场监管审核", "market", NULL, 0,
           NEEDS({"business_licence", "family_point", 1}, {"business_licence", "family_point", 0, CASES_IF_PROFIT},
                 {"food_licence", NULL, 0, CASES_IF_MEALS}));
static const struct cases_step REVIEW_HEALTH = REVIEW("review_health", "卫生评价审核（妇幼保健）", "health", "family_point", 1,
                                                      NEEDS({"hygiene_report"}, {"staff_certificates"}));
static const struct cases_step REVIEW_EDUCATION = REVIEW("review_education", "教育部门审核（幼儿园托班）", "education",
                                                         "kindergarten", 0, NEEDS({"staff_certificates"}));
static const struct cases_step REVIEW_HOUSING = REVIEW("review_housing", "住建部门审核（家庭托育点）", "housing", "family_point", 0,
                                                       NEEDS({"premises"}));
static const struct cases_step REVIEW_EMERGENCY = REVIEW("review_emergency", "应急管理审核（家庭托育点）", "emergency",
                                                         "family_point", 0, NULL);
static const struct cases_step DECIDE = {"decision", "备案决定", "case.decide", NULL, NOTICE, 1, CASES_FROM_SUBMITTED};
static const struct cases_step CORRECT = {"correct", "补正材料并重新提交", "case.submit", NULL, CORRECTION, 0, CASES_FROM_ENTERED,
                                          NULL, 0, 1};

/* ---- 办托一件事: filing ---- */

static const struct cases_state FILING_STATES[] = {
    {"draft", "填报中", 0, {NULL}},
    {"submitted", "待受理", 0, {&RECEIVE, NULL}},
    {"review", "部门并联审核", 0,
     {&REVIEW_FIRE, &REVIEW_MARKET, &REVIEW_HEALTH, &REVIEW_EDUCATION, &REVIEW_HOUSING, &REVIEW_EMERGENCY, NULL}},
    {"deciding", "待备案决定", 0, {&DECIDE, NULL}},
    {"deficient", "待补正", 0, {&CORRECT, NULL}},
    {"filed", "已备案", 1, {NULL}},
    {"withdrawn", "已撤回", 1, {NULL}},
    {NULL},
};

/* The moves of a filing and of a change alike: received, reviewed by the departments in parallel,
 * decided; the decision `file` ends in done (named done_name).
 *  from         event         to          name            action         task wait comment submits lock applies */
#define REVIEWED_TRANSITIONS(done, done_name)                                                            \
    {                                                                                                    \
        {"draft", "submit", "submitted", "提交", "case.submit", 0, 0, 0, 1, 1, 0},                       \
        {"draft", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},                     \
        {"submitted", "receive", "review", "受理", "case.receive", 1, 0, 0, 0, 0, 0},                    \
        {"submitted", "deficiency", "deficient", "告知补正", "case.receive", 1, 0, 1, 0, -1, 0},         \
        {"review", "approve", "deciding", "审核通过", "case.review", 1, 1, 0, 0, 0, 0},                  \
        {"review", "return", "deficient", "退回补正", "case.review", 1, 0, 1, 0, -1, 0},                 \
        {"deciding", "file", done, done_name, "case.decide", 1, 0, 0, 0, 0, 1},                          \
        {"deciding", "deficiency", "deficient", "告知补正", "case.decide", 1, 0, 1, 0, -1, 0},           \
        {"deficient", "submit", "submitted", "补正后重新提交", "case.submit", 1, 0, 0, 1, 1, 0},         \
        {"deficient", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},                 \
        {NULL},                                                                                          \
    }

static const struct cases_transition FILING_TRANSITIONS[] = REVIEWED_TRANSITIONS("filed", "予以备案");

/* ---- the catalogue of materials the steps name ---- */

static const struct cases_checklist_item ITEMS[] = {
    {"business_licence", "营业执照或其他法人登记证书"},
    {"premises", "场地证明（产权证明或租赁合同）"},
    {"staff_certificates", "工作人员资格证书和健康合格证明"},
    {"hygiene_report", "托幼机构卫生评价报告（合格）"},
    {"fire_safety", "消防安全检查合格证明"},
    {"food_licence", "食品经营许可证（提供膳食的）"},
    {"filing_form", "备案书"},
    {"undertaking", "承诺书"},
    {"change_evidence", "变更事项的证明材料"},
    {"cancel_statement", "注销申请及在托婴幼儿安置情况说明"},
    {NULL},
};

const struct cases_checklist_item *cases_checklist_item(const char *code)
{
    for (const struct cases_checklist_item *i = ITEMS; code && i->code; i++)
        if (strcmp(i->code, code) == 0)
            return i;
    return NULL;
}

static const struct cases_process FILING = {
    "filing", "办托一件事（托育机构备案）", "draft", FILING_STATES, FILING_TRANSITIONS, CASES_OUTCOME_FILE, "pending",
    1, 1,
};

/* ---- 变更备案: a change of a filed institution (Art. 10): the departments review the changed
 * record again (new premises, classes, meals); the district receives the 备案书 and the evidence
 * of the change, the market regulator a food licence when meals are served ---- */

static const struct cases_step CHANGE_RECEIVE = {"receipt", "受理并出具回执", "case.receive", NULL, RECEIPT, 1,
                                                 CASES_FROM_SUBMITTED,
                                                 .needs = NEEDS({"filing_form"}, {"change_evidence"})};
static const struct cases_step CHANGE_FIRE = REVIEW("review_fire", "消防救援审核", "fire", "family_point", 1, NULL);
static const struct cases_step CHANGE_MARKET = REVIEW("review_market", "市场监管审核", "market", NULL, 0,
                                                      NEEDS({"food_licence", NULL, 0, CASES_IF_MEALS}));
static const struct cases_step CHANGE_HEALTH = REVIEW("review_health", "卫生评价审核（妇幼保健）", "health", "family_point", 1,
                                                      NULL);
static const struct cases_step CHANGE_EDUCATION = REVIEW("review_education", "教育部门审核（幼儿园托班）", "education",
                                                         "kindergarten", 0, NULL);
static const struct cases_step CHANGE_HOUSING = REVIEW("review_housing", "住建部门审核（家庭托育点）", "housing", "family_point",
                                                       0, NULL);

static const struct cases_state CHANGE_STATES[] = {
    {"draft", "填报中", 0, {NULL}},
    {"submitted", "待受理", 0, {&CHANGE_RECEIVE, NULL}},
    {"review", "部门并联审核", 0,
     {&CHANGE_FIRE, &CHANGE_MARKET, &CHANGE_HEALTH, &CHANGE_EDUCATION, &CHANGE_HOUSING, &REVIEW_EMERGENCY, NULL}},
    {"deciding", "待变更决定", 0, {&DECIDE, NULL}},
    {"deficient", "待补正", 0, {&CORRECT, NULL}},
    {"changed", "已变更备案", 1, {NULL}},
    {"withdrawn", "已撤回", 1, {NULL}},
    {NULL},
};

static const struct cases_transition CHANGE_TRANSITIONS[] = REVIEWED_TRANSITIONS("changed", "予以变更备案");

static const struct cases_process CHANGE = {
    "change", "变更备案", "draft", CHANGE_STATES, CHANGE_TRANSITIONS, CASES_OUTCOME_CHANGE, "filed", 0, 1,
};

/* ---- 注销: cancelling a filing ---- */

/* the decision examines the application and how the children in care are placed */
static const struct cases_step CANCEL_DECIDE = {"decision", "备案决定", "case.decide", NULL, NOTICE, 1, CASES_FROM_SUBMITTED,
                                                .needs = NEEDS({"cancel_statement"})};

static const struct cases_state CANCEL_STATES[] = {
    {"draft", "填报中", 0, {NULL}},
    {"submitted", "待注销决定", 0, {&CANCEL_DECIDE, NULL}},
    {"deficient", "待补正", 0, {&CORRECT, NULL}},
    {"cancelled", "已注销", 1, {NULL}},
    {"withdrawn", "已撤回", 1, {NULL}},
    {NULL},
};

static const struct cases_transition CANCEL_TRANSITIONS[] = {
    {"draft", "submit", "submitted", "提交", "case.submit", 0, 0, 0, 1, 1, 0},
    {"draft", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},
    {"submitted", "file", "cancelled", "予以注销", "case.decide", 1, 0, 0, 0, 0, 1},
    {"submitted", "deficiency", "deficient", "告知补正", "case.decide", 1, 0, 1, 0, -1, 0},
    {"deficient", "submit", "submitted", "补正后重新提交", "case.submit", 1, 0, 0, 1, 1, 0},
    {"deficient", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},
    {NULL},
};

static const struct cases_process CANCEL = {
    "cancel", "注销备案", "draft", CANCEL_STATES, CANCEL_TRANSITIONS, CASES_OUTCOME_CANCEL, "filed", 1, 0,
};

/* ---- 国有闲置房源申请: a 普惠 institution applies for an entry of the idle state premises
 * register (src/premises/; 瓯海区实施方案 四(一)2); the district health bureau allocates it, returns
 * the application for correction, or refuses it. The case is opened from the entry (its route
 * links the two and checks the applicant is 普惠); allocating applies the outcome: the entry goes
 * to the institution, once (premises_case_outcome). ---- */

/* the application itself is the use plan in the case's data: the review needs no material */
static const struct cases_step PREMISES_REVIEW = {"premises_review", "区卫健局审核分配", "case.decide", NULL,
                                                  "premises.review_working_days", 1, CASES_FROM_SUBMITTED};

static const struct cases_state PREMISES_STATES[] = {
    {"draft", "填写申请", 0, {NULL}},
    {"submitted", "待审核分配", 0, {&PREMISES_REVIEW, NULL}},
    {"deficient", "待补正", 0, {&CORRECT, NULL}},
    {"allocated", "已分配", 1, {NULL}},
    {"refused", "不予分配", 1, {NULL}},
    {"withdrawn", "已撤回", 1, {NULL}},
    {NULL},
};

static const struct cases_transition PREMISES_TRANSITIONS[] = {
    {"draft", "submit", "submitted", "提交申请", "case.submit", 0, 0, 0, 1, 1, 0},
    {"draft", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},
    {"submitted", "allocate", "allocated", "予以分配", "case.decide", 1, 0, 0, 0, 0, 1},
    {"submitted", "return", "deficient", "退回补正", "case.decide", 1, 0, 1, 0, -1, 0},
    {"submitted", "refuse", "refused", "不予分配", "case.decide", 1, 0, 1, 0, 0, 0},
    {"deficient", "submit", "submitted", "补正后重新提交", "case.submit", 1, 0, 0, 1, 1, 0},
    {"deficient", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},
    {NULL},
};

static const struct cases_process PREMISES = {
    "premises", "国有闲置房源申请", "draft", PREMISES_STATES, PREMISES_TRANSITIONS, CASES_OUTCOME_PREMISES, "filed",
    0, 0, "POST /api/v1/premises/{id}/applications",
};

/* ---- 星级评定: the quality assessment and star rating of a filed institution (issue 17 item 2;
 * seed 四(二)7): the institution scores itself on the scheme chosen and attaches the evidence
 * each item asks for; the town (街道) checks it; experts the district assigns (第三方测评) score
 * alone; the district concludes — the sheets combined and judged by src/rating/rating.c — and
 * publishes the result for the publicity period, during which anyone logged in may object; an
 * objection upheld sends it back to the experts; once the period has run with none open, the
 * level takes force (rating_case_outcome). The domain's checks of each move are
 * rating_case_guard; the sheets, experts and objections live in src/rating/. ---- */

static const struct cases_step RATING_TOWN = {"town_check", "乡镇（街道）初审", "case.town_check"};
static const struct cases_step RATING_EXPERTS = {"expert_review", "专家评审", "case.decide"};
static const struct cases_step RATING_PUBLICITY = {"publicity", "评定结果公示", "case.decide", NULL,
                                                   "rating.publicity_days", 0, CASES_FROM_ENTERED};

static const struct cases_state RATING_STATES[] = {
    {"draft", "自评", 0, {NULL}},
    {"submitted", "乡镇初审", 0, {&RATING_TOWN, NULL}},
    {"expert_review", "专家评审", 0, {&RATING_EXPERTS, NULL}},
    {"publicity", "公示", 0, {&RATING_PUBLICITY, NULL}},
    {"deficient", "退回整改", 0, {&CORRECT, NULL}},
    {"rated", "已评定", 1, {NULL}},
    {"withdrawn", "已撤回", 1, {NULL}},
    {NULL},
};

static const struct cases_transition RATING_TRANSITIONS[] = {
    /* from            event           to               name              action          task wait comment submits lock applies */
    {"draft", "submit", "submitted", "提交自评", "case.submit", 0, 0, 0, 1, 1, 0},
    {"draft", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},
    {"submitted", "pass", "expert_review", "初审通过", "case.town_check", 1, 0, 0, 0, 0, 0},
    {"submitted", "return", "deficient", "退回整改", "case.town_check", 1, 0, 1, 0, -1, 0},
    {"expert_review", "conclude", "publicity", "评审结论并公示", "case.decide", 1, 0, 0, 0, 0, 0},
    {"expert_review", "return", "deficient", "退回整改", "case.decide", 1, 0, 1, 0, -1, 0},
    {"publicity", "confirm", "rated", "公示期满，确认等级", "case.decide", 1, 0, 0, 0, 0, 1},
    {"publicity", "review_again", "expert_review", "异议成立，重新评审", "case.decide", 1, 0, 1, 0, 0, 0},
    {"deficient", "submit", "submitted", "整改后重新提交", "case.submit", 1, 0, 0, 1, 1, 0},
    {"deficient", "withdraw", "withdrawn", "撤回", "case.submit", 0, 0, 0, 0, 0, 0},
    {NULL},
};

static const struct cases_process RATING = {
    "rating", "星级评定", "draft", RATING_STATES, RATING_TRANSITIONS, CASES_OUTCOME_RATING, "filed",
    1, 0, "POST /api/v1/institutions/{id}/assessments", rating_case_guard,
};

/* ---- 成长驿站联合验收: the joint acceptance of a growth station (issue 16 item 3; seed 四(二)5:
 * 经卫健、镇街联合验收合格后给予补助): opened once the site is recorded (src/stations/), the
 * station's town submits it; the health bureau (case.decide) and the town (case.town_check)
 * each sign, in parallel — or return it naming what is wrong; when both have signed the station
 * is accepted and its subsidy enters the ledger (stations_case_outcome). A party that has signed
 * has no task left: signing again is refused. ---- */

static const struct cases_step STATION_HEALTH = {"sign_health", "区卫健局验收签署", "case.decide"};
static const struct cases_step STATION_TOWN = {"sign_town", "镇街验收签署", "case.town_check"};

static const struct cases_state STATION_STATES[] = {
    {"draft", "准备验收", 0, {NULL}},
    {"joint", "联合验收", 0, {&STATION_HEALTH, &STATION_TOWN, NULL}},
    {"deficient", "退回整改", 0, {NULL}},
    {"accepted", "验收合格", 1, {NULL}},
    {"withdrawn", "已撤回", 1, {NULL}},
    {NULL},
};

static const struct cases_transition STATION_TRANSITIONS[] = {
    /* from       event           to           name              action                 task wait comment submits lock applies */
    {"draft", "submit", "joint", "提请联合验收", "case.town_check", 0, 0, 0, 1, 1, 0},
    {"draft", "withdraw", "withdrawn", "撤回", "case.town_check", 0, 0, 0, 0, 0, 0},
    {"joint", "sign_health", "accepted", "卫健验收合格签署", "case.decide", 1, 1, 0, 0, 0, 1},
    {"joint", "sign_town", "accepted", "镇街验收合格签署", "case.town_check", 1, 1, 0, 0, 0, 1},
    {"joint", "return_health", "deficient", "卫健退回整改", "case.decide", 1, 0, 1, 0, -1, 0},
    {"joint", "return_town", "deficient", "镇街退回整改", "case.town_check", 1, 0, 1, 0, -1, 0},
    {"deficient", "submit", "joint", "整改后重新提请", "case.town_check", 0, 0, 0, 1, 1, 0},
    {"deficient", "withdraw", "withdrawn", "撤回", "case.town_check", 0, 0, 0, 0, 0, 0},
    {NULL},
};

static const struct cases_process STATION = {
    "station_accept", "成长驿站联合验收", "draft", STATION_STATES, STATION_TRANSITIONS, CASES_OUTCOME_STATION,
    "filed", 1, 0, "POST /api/v1/stations/{id}/acceptance",
};

const struct cases_process *const cases_processes[] = {&FILING, &CHANGE, &CANCEL, &PREMISES, &RATING, &STATION, NULL};

/* ---- the checklist body and its check ---- */

#include "cases/processes.schemas.inc"

int cases_checklist_check(const json_t *body, struct err *e)
{
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(body, "materials"), i, m)
    {
        const char *item = json_string_value(json_object_get(m, "item"));
        if (!cases_checklist_item(item)) {
            char field[48];
            snprintf(field, sizeof field, "materials[%zu].item", i);
            return err_set(e, 422, "unknown_item", field, "未知的材料清单事项：%s", item);
        }
    }
    return 0;
}

/* ledger.c — the subsidy ledger's rules (ledger.h). */
#include "funds/ledger.h"

#include <string.h>

/* the moves an official makes on one entitlement */
static const struct {
    const char *from, *event, *to, *action;
} MOVES[] = {
    {"computed", "apply", "applied", "funds.apply"},   {"applied", "review", "reviewed", "funds.review"},
    {"reviewed", "approve", "approved", "funds.approve"}, {"computed", "reject", "rejected", "funds.compute"},
    {"applied", "reject", "rejected", "funds.review"}, {"reviewed", "reject", "rejected", "funds.approve"},
    {"approved", "reject", "rejected", "funds.approve"},
};

static const struct {
    const char *code, *name;
} STATES[] = {
    {"computed", "已测算"}, {"applied", "已申请"}, {"reviewed", "已初审"}, {"approved", "已审批"},
    {"batched", "已列入支付批次"}, {"paid", "已拨付"}, {"rejected", "已驳回"},
};

static const struct {
    const char *code, *name, *basis;
} KINDS[] = {
    {"construction", "托育机构建设补助", "瓯海区普惠托育基本公共服务试点工作方案 四(五)14"},
    {"station", "成长驿站建设补助", "瓯海区普惠托育基本公共服务试点工作方案 四(二)5"},
    {"childcare", "育儿补贴", "《育儿补贴制度实施方案》（中办 国办 2025-07）"},
    {"operating", "生均保育经费补助", "瓯海区普惠托育基本公共服务试点工作方案 四(五)15"},
    {"star_award", "星级运营奖补", "瓯海区普惠托育基本公共服务试点工作方案 四(二)7"},
    {"voucher", "托育券结算", "瓯海区普惠托育基本公共服务试点工作方案 四(五)15"},
    {"post", "保育人员岗位补贴", "瓯海区普惠托育基本公共服务试点工作方案 四(五)16"},
};

const char *funds_kind_name(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(KINDS[i].code, kind) == 0)
            return KINDS[i].name;
    return NULL;
}

const char *funds_kind_basis(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(KINDS[i].code, kind) == 0)
            return KINDS[i].basis;
    return NULL;
}

const char *funds_state_name(const char *state)
{
    for (size_t i = 0; i < sizeof STATES / sizeof STATES[0]; i++)
        if (strcmp(STATES[i].code, state) == 0)
            return STATES[i].name;
    return NULL;
}

int funds_move(const struct funds_row *row, const char *event, int64_t by, const char *reason, const char **to,
               const char **action, struct err *e)
{
    for (size_t i = 0; i < sizeof MOVES / sizeof MOVES[0]; i++) {
        if (strcmp(MOVES[i].from, row->state) || strcmp(MOVES[i].event, event))
            continue;
        if (strcmp(event, "reject") == 0 && (!reason || !*reason))
            return err_set(e, 422, "reason_required", "reason", "驳回须写明理由");
        if (strcmp(event, "approve") == 0 && (by == row->applied_by || by == row->reviewed_by))
            return err_set(e, 409, "self_approval", "event", "申请或初审本笔资金的人不能审批它（双人复核）");
        *to = MOVES[i].to;
        *action = MOVES[i].action;
        return 0;
    }
    const char *name = funds_state_name(row->state);
    return err_set(e, 409, "event_not_allowed", "event", "“%s”状态的资金不能%s", name ? name : row->state, event);
}

int funds_batchable(const char *state, struct err *e)
{
    if (strcmp(state, "approved") == 0)
        return 0;
    const char *name = funds_state_name(state);
    return err_set(e, 409, "not_approved", "entitlement_ids", "只有已审批的资金才能列入支付批次（此笔为“%s”）",
                   name ? name : state);
}

json_t *funds_construction_explain(enum funds_ownership own, int64_t investment_fen,
                                   const struct funds_construction_rules *r, const struct funds_construction *c,
                                   const struct funds_param_used *params, int nparams)
{
    json_t *steps = json_array(), *caps = json_array(), *used = json_array();
    if (own == FUNDS_PUBLIC)
        json_array_append_new(steps, json_pack("{s:s, s:I}", "text", "公办机构全额保障：补助基数 = 核定投资额",
                                               "amount_fen", (json_int_t)c->base_fen));
    else
        json_array_append_new(steps, json_pack("{s:s, s:i, s:I}", "text",
                                               "社会力量举办：补助基数 = 核定投资额 × 补助比例（四舍五入到分）",
                                               "share_basis_points", r->private_share_bp, "amount_fen",
                                               (json_int_t)c->base_fen));
    json_array_append_new(caps, json_pack("{s:s, s:i, s:I, s:I, s:b}", "text", "上限 = 测算班数 × 每班补助上限",
                                          "classes_counted", r->classes_counted, "per_class_max_fen",
                                          (json_int_t)(own == FUNDS_PUBLIC ? r->public_per_class_max_fen
                                                                           : r->private_per_class_max_fen),
                                          "cap_fen", (json_int_t)c->cap_fen, "applied", c->capped));
    for (int i = 0; i < nparams; i++)
        json_array_append_new(used, json_pack("{s:s, s:f, s:s, s:s}", "key", params[i].key, "value", params[i].value,
                                              "valid_from", params[i].valid_from, "basis", params[i].basis));
    return json_pack("{s:s, s:{s:s, s:I}, s:o, s:o, s:I, s:o}", "rule",
                     "托育机构建设补助（瓯海区普惠托育基本公共服务试点工作方案 四(五)14）", "inputs", "ownership",
                     own == FUNDS_PUBLIC ? "public" : "private", "investment_fen", (json_int_t)investment_fen,
                     "steps", steps, "caps", caps, "amount_fen", (json_int_t)c->subsidy_fen, "params", used);
}

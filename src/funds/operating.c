/* operating.c — the quarterly operating subsidies: the quarter, the amounts and their explanations
 * (operating.h). */
#include "funds/operating.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

static json_t *params_json(const struct funds_param_used *params, int from, int n);

int funds_quarter_parse(const char *s, int count_day, struct funds_quarter *out, struct err *e)
{
    int year = 0, q = 0;
    char tail = 0;
    memset(out, 0, sizeof *out);
    if (!s || sscanf(s, "%4d-Q%1d%c", &year, &q, &tail) != 2 || strlen(s) != 7 || year < 2000 || year > 2100 || q < 1 ||
        q > 4)
        return err_set(e, 422, "bad_quarter", "quarter", "季度应写作 YYYY-Qn（如 2026-Q1）：%s", s ? s : "");
    if (count_day < 1 || count_day > 28)
        return err_set(e, 500, "bad_param", "subsidy.operating.count_day", "计数日应在 1–28 之间：%d", count_day);
    int m0 = (q - 1) * 3 + 1;
    snprintf(out->label, sizeof out->label, "%04d-Q%d", year, q);
    snprintf(out->first, sizeof out->first, "%04d-%02d-01", year, m0);
    snprintf(out->last, sizeof out->last, "%04d-%02d-%02d", year, m0 + 2, date_days_in_month(year, m0 + 2));
    for (int i = 0; i < 3; i++)
        snprintf(out->count_days[i], sizeof out->count_days[i], "%04d-%02d-%02d", year, m0 + i, count_day);
    return 0;
}

void funds_operating_compute(const struct funds_operating_rules *r, const struct funds_operating_input *in,
                             struct funds_operating *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 3; i++)
        out->child_months += in->children[i] > 0 ? in->children[i] : 0;
    out->per_child_fen = (int64_t)out->child_months * r->per_child_month_fen;
    int stars = in->stars >= 1 && in->stars <= 5 ? in->stars : 0;
    if (!stars)
        out->award_state = FUNDS_AWARD_NO_LEVEL;
    else if (r->star_award_year_fen[stars] <= 0)
        out->award_state = FUNDS_AWARD_NO_AMOUNT;
    else if (r->award_requires_prices_within && in->prices_outside > 0)
        out->award_state = FUNDS_AWARD_PRICES;
    else
        out->award_fen = r->star_award_year_fen[stars] / 4; /* a quarter; fen rounded down */
}

int64_t funds_post_compute(const struct funds_operating_rules *r, const struct funds_post_month *m, int n)
{
    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        if (m[i].grade >= 1 && m[i].grade <= 5)
            sum += r->post_grade_month_fen[m[i].grade];
    return sum;
}

json_t *funds_post_explain(const struct funds_quarter *q, const struct funds_operating_rules *r,
                           const struct funds_post_month *m, int n, int64_t amount, const struct funds_param_used *params)
{
    json_t *months = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(months, json_pack("{s:I, s:s, s:s, s:i, s:I}", "staff_id", (json_int_t)m[i].staff_id,
                                                "name", m[i].name_masked, "day", q->count_days[m[i].month], "grade",
                                                m[i].grade, "amount_fen",
                                                (json_int_t)(m[i].grade >= 1 && m[i].grade <= 5
                                                                 ? r->post_grade_month_fen[m[i].grade]
                                                                 : 0)));
    return json_pack("{s:s, s:{s:s, s:o}, s:[{s:s}], s:I, s:o}", "rule",
                     "保育人员岗位补贴（瓯海区普惠托育基本公共服务试点工作方案 四(五)16）：各月计数日在岗、持有效保育师或育婴员证书的保育人员，按所持最高等级的月标准",
                     "inputs", "quarter", q->label, "caregiver_months", months, "steps", "text",
                     "补贴 = Σ 每名保育人员每月所持最高等级的月标准", "amount_fen", (json_int_t)amount, "params",
                     params_json(params, FUNDS_OPERATING_PARAMS - 5, 5));
}

const char *funds_award_withheld_text(enum funds_award_withheld w)
{
    switch (w) {
    case FUNDS_AWARD_NO_LEVEL:
        return "季末无生效的星级";
    case FUNDS_AWARD_NO_AMOUNT:
        return "该星级无运营奖补";
    case FUNDS_AWARD_PRICES:
        return "季末有保育费超出价格政策范围，当季不发运营奖补";
    default:
        return "";
    }
}

static json_t *params_json(const struct funds_param_used *params, int from, int n)
{
    json_t *used = json_array();
    for (int i = from; i < from + n; i++)
        json_array_append_new(used, json_pack("{s:s, s:f, s:s, s:s}", "key", params[i].key, "value", params[i].value,
                                              "valid_from", params[i].valid_from, "basis", params[i].basis));
    return used;
}

json_t *funds_operating_explain(const struct funds_quarter *q, const struct funds_operating_rules *r,
                                const struct funds_operating_input *in, const struct funds_operating *o,
                                const struct funds_param_used *params)
{
    json_t *days = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(days, json_pack("{s:s, s:i}", "day", q->count_days[i], "children", in->children[i]));
    json_t *steps = json_array();
    json_array_append_new(steps, json_pack("{s:s, s:i}", "text", "服务人月数 = 各月计数日在托婴幼儿数之和",
                                           "child_months", o->child_months));
    json_array_append_new(steps, json_pack("{s:s, s:I, s:I}", "text", "补助 = 服务人月数 × 每人每月标准",
                                           "per_child_month_fen", (json_int_t)r->per_child_month_fen, "amount_fen",
                                           (json_int_t)o->per_child_fen));
    return json_pack("{s:s, s:{s:s, s:o}, s:o, s:I, s:o}", "rule",
                     "普惠托育机构生均保育经费补助（瓯海区普惠托育基本公共服务试点工作方案 四(五)15）", "inputs",
                     "quarter", q->label, "count_days", days, "steps", steps, "amount_fen",
                     (json_int_t)o->per_child_fen, "params", params_json(params, 0, 2));
}

json_t *funds_award_explain(const struct funds_quarter *q, const struct funds_operating_rules *r,
                            const struct funds_operating_input *in, const struct funds_operating *o,
                            const struct funds_param_used *params)
{
    int stars = in->stars >= 1 && in->stars <= 5 ? in->stars : 0;
    json_t *steps = json_array();
    json_array_append_new(steps, json_pack("{s:s, s:s, s:i}", "text", "季末生效的星级", "on", q->last, "stars", stars));
    json_array_append_new(steps, json_pack("{s:s, s:i, s:b}", "text", "季末超出价格政策的保育费项目数（须为 0）",
                                           "prices_outside", in->prices_outside, "required",
                                           r->award_requires_prices_within));
    json_array_append_new(steps, json_pack("{s:s, s:I, s:I}", "text", "奖补 = 该星级年度奖补 ÷ 4（按季度发放）",
                                           "year_fen", (json_int_t)(stars ? r->star_award_year_fen[stars] : 0),
                                           "amount_fen", (json_int_t)o->award_fen));
    /* the level's own amount and the price condition: params[2 + stars − 1] and the last */
    json_t *used = stars ? params_json(params, 1 + stars, 1) : json_array();
    json_t *condition = params_json(params, 7, 1);
    json_array_extend(used, condition);
    json_decref(condition);
    return json_pack("{s:s, s:{s:s, s:i, s:i}, s:o, s:I, s:s, s:o}", "rule",
                     "托育机构星级运营奖补（瓯海区普惠托育基本公共服务试点工作方案 四(二)7：按等级评定结果奖补，与普惠性收费挂钩）",
                     "inputs", "quarter", q->label, "stars", stars, "prices_outside", in->prices_outside, "steps", steps,
                     "amount_fen", (json_int_t)o->award_fen, "withheld", funds_award_withheld_text(o->award_state),
                     "params", used);
}

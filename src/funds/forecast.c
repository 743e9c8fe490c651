/* forecast.c — next year's subsidy budget, reckoned line by line (forecast.h). */
#include "funds/forecast.h"

#include <stdio.h>

#include "funds/ledger.h"

static void line(json_t *lines, int64_t *total, const char *kind, int64_t amount, const char *how, json_t *inputs)
{
    *total += amount;
    json_array_append_new(lines, json_pack("{s:s, s:s, s:I, s:s, s:o}", "kind", kind, "name", funds_kind_name(kind),
                                           "amount_fen", (json_int_t)amount, "how", how, "inputs", inputs));
}

json_t *funds_forecast(const struct funds_forecast_inputs *in)
{
    json_t *lines = json_array();
    int64_t total = 0;
    /* 育儿补贴: in a steady year every child under 3 is paid all twelve months */
    if (in->population_year && in->under3 >= 0)
        line(lines, &total, "childcare", in->under3 * 12 * in->childcare_per_month_fen,
             "3岁以下婴幼儿数 × 12 个月 × 每月标准（出生人数大致稳定时，每名 3 岁以下婴幼儿全年 12 个月均在补贴期内）",
             json_pack("{s:i, s:I, s:I, s:I}", "population_year", in->population_year, "under3", (json_int_t)in->under3,
                       "births", (json_int_t)in->births, "per_month_fen", (json_int_t)in->childcare_per_month_fen));
    line(lines, &total, "operating", (int64_t)in->in_care * 12 * in->operating_per_child_month_fen,
         "今日在托婴幼儿数 × 12 个月 × 生均保育经费每人每月标准",
         json_pack("{s:i, s:I}", "in_care", in->in_care, "per_child_month_fen", (json_int_t)in->operating_per_child_month_fen));
    int64_t award = 0;
    json_t *levels = json_array();
    for (int s = 1; s <= 5; s++) {
        award += in->stars[s] * in->star_award_year_fen[s];
        json_array_append_new(levels, json_pack("{s:i, s:i, s:I}", "stars", s, "institutions", in->stars[s], "year_fen",
                                                (json_int_t)in->star_award_year_fen[s]));
    }
    line(lines, &total, "star_award", award, "现行各星级机构数 × 该星级年度奖补（假定全年保持等级、收费在价格政策内）",
         json_pack("{s:o}", "levels", levels));
    line(lines, &total, "post", in->post_month_fen * 12, "今日在岗、持有效等级证书的保育人员 × 各自等级月标准 × 12 个月",
         json_pack("{s:i}", "caregivers", in->caregivers_graded));
    line(lines, &total, "station", in->stations_pending_fen,
         "已登记场地、尚未联合验收的成长驿站：核定投入，每站以驿站补助上限为限",
         json_pack("{s:i}", "stations", in->stations_pending));
    line(lines, &total, "voucher", in->vouchers_open_fen, "已发放、未使用且有效期延续到该年度的托育券面值（假定全部使用）",
         json_pack("{s:i}", "vouchers", in->vouchers_open));
    return json_pack("{s:i, s:o, s:I, s:[s]}", "year", in->year, "lines", lines, "total_fen", (json_int_t)total,
                     "not_included", "托育机构建设补助（按项目申报逐项测算，不作预测）");
}

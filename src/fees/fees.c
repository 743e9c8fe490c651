/* fees.c — the fee catalogue's rules, the price guidance and the cost worksheet (fees.h). */
#include "fees/fees.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"

static const struct {
    const char *code, *name;
    const char *units[3]; /* the units it is billed by; the first is the one its guidance is stated in */
} SERVICES[FEE_SVC_COUNT] = {
    [FEE_SVC_FULL_DAY] = {"full_day", "全日托", {"月"}},
    [FEE_SVC_HALF_DAY] = {"half_day", "半日托", {"月"}},
    [FEE_SVC_HOURLY] = {"hourly", "计时托", {"小时"}},
    [FEE_SVC_TEMPORARY] = {"temporary", "临时托", {"日", "次"}},
    [FEE_SVC_BOARDING] = {"boarding", "住宿费", {"月", "日", "学期"}},
};

static const char *const UNITS[] = {"月", "日", "小时", "次", "学期", "年"};

#include "fees/fees.schemas.inc"

const char *fee_service_code(enum fee_service s) { return SERVICES[s].code; }
const char *fee_service_name(enum fee_service s) { return SERVICES[s].name; }

int fee_service_from_code(const char *code)
{
    for (int s = 0; s < FEE_SVC_COUNT; s++)
        if (code && strcmp(code, SERVICES[s].code) == 0)
            return s;
    return -1;
}

int fees_unit_known(const char *unit)
{
    for (size_t i = 0; i < sizeof UNITS / sizeof *UNITS; i++)
        if (strcmp(unit, UNITS[i]) == 0)
            return 1;
    return 0;
}

static int billed_by(enum fee_service s, const char *unit)
{
    for (int i = 0; i < 3 && SERVICES[s].units[i]; i++)
        if (strcmp(unit, SERVICES[s].units[i]) == 0)
            return 1;
    return 0;
}

static void units_of(enum fee_service s, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < 3 && SERVICES[s].units[i] && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "、" : "", SERVICES[s].units[i]);
}

int fees_item_check(struct fee_item *x, const char *field, struct err *e)
{
    char f[80];
    int basic = strcmp(x->category, FEE_BASIC) == 0;
    snprintf(f, sizeof f, "%s.category", field);
    if (!basic && strcmp(x->category, FEE_OTHER))
        return err_set(e, 422, "bad_fee_category", f, "收费类别应为 basic（基本服务费）或 other（其他服务费），不能是 %s",
                       x->category);
    snprintf(f, sizeof f, "%s.unit", field);
    if (!fees_unit_known(x->unit))
        return err_set(e, 422, "bad_fee_unit", f, "计费单位「%s」无效（可选：月、日、小时、次、学期、年）", x->unit);
    snprintf(f, sizeof f, "%s.amount_fen", field);
    if (x->amount_fen < 0)
        return err_set(e, 422, "negative_fee", f, "收费金额不能为负数（%" PRId64 " 分）", x->amount_fen);
    snprintf(f, sizeof f, "%s.service_type", field);
    if (!basic) {
        if (x->service_type[0])
            return err_set(e, 422, "service_type_on_other", f, "其他服务费（%s）不分托育类型，请去掉 service_type",
                           x->item);
        return 0;
    }
    if (!x->service_type[0]) {
        /* a basic item sent without its type: the type its unit can only mean */
        const char *by_unit = strcmp(x->unit, "月") == 0                                ? "full_day"
                              : strcmp(x->unit, "小时") == 0                            ? "hourly"
                              : strcmp(x->unit, "日") == 0 || strcmp(x->unit, "次") == 0 ? "temporary"
                                                                                        : NULL;
        if (!by_unit)
            return err_set(e, 422, "service_type_required", f, "基本服务费「%s」按%s计费，请注明托育类型", x->item,
                           x->unit);
        snprintf(x->service_type, sizeof x->service_type, "%s", by_unit);
    }
    int s = fee_service_from_code(x->service_type);
    if (s < 0)
        return err_set(e, 422, "bad_service_type", f,
                       "托育类型「%s」无效（可选：full_day 全日托、half_day 半日托、hourly 计时托、temporary 临时托、"
                       "boarding 住宿费）",
                       x->service_type);
    if (!billed_by((enum fee_service)s, x->unit)) {
        char units[48];
        units_of((enum fee_service)s, units, sizeof units);
        snprintf(f, sizeof f, "%s.unit", field);
        return err_set(e, 422, "unit_mismatch", f, "%s按%s计费，不能按%s", SERVICES[s].name, units, x->unit);
    }
    return 0;
}

int fees_items_from_json(const json_t *arr, const char *field, struct fee_item *out, int max, struct err *e)
{
    size_t i;
    const json_t *o;
    int n = 0;
    json_array_foreach(arr, i, o)
    {
        char f[64];
        snprintf(f, sizeof f, "%s[%zu]", field, i);
        if (n >= max)
            return err_set(e, 422, "too_many", field, "收费项目最多 %d 项", max);
        struct fee_item *x = &out[n];
        memset(x, 0, sizeof *x);
        jfield_copy(o, "item", x->item, sizeof x->item);
        jfield_copy(o, "category", x->category, sizeof x->category);
        jfield_copy(o, "service_type", x->service_type, sizeof x->service_type);
        jfield_copy(o, "unit", x->unit, sizeof x->unit);
        x->amount_fen = json_integer_value(json_object_get(o, "amount_fen"));
        if (fees_item_check(x, f, e) < 0)
            return -1;
        for (int k = 0; k < n; k++)
            if (strcmp(out[k].item, x->item) == 0 && strcmp(out[k].unit, x->unit) == 0) {
                snprintf(f, sizeof f, "%s[%zu].item", field, i);
                return err_set(e, 422, "duplicate_fee", f, "收费项目「%s」（按%s）重复", x->item, x->unit);
            }
        n++;
    }
    return n;
}

json_t *fees_item_json(const struct fee_item *f)
{
    int s = fee_service_from_code(f->service_type);
    return json_pack("{s:s, s:s, s:o, s:o, s:I, s:s}", "item", f->item, "category", f->category, "service_type",
                     s < 0 ? json_null() : json_string(f->service_type), "service_name",
                     s < 0 ? json_null() : json_string(SERVICES[s].name), "amount_fen", (json_int_t)f->amount_fen,
                     "unit", f->unit);
}

int64_t fees_monthly_full_day(const struct fee_item *items, int n)
{
    int64_t best = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(items[i].category, FEE_BASIC) == 0 && strcmp(items[i].service_type, "full_day") == 0 &&
            strcmp(items[i].unit, FEE_PER_MONTH) == 0 && (best < 0 || items[i].amount_fen < best))
            best = items[i].amount_fen;
    return best;
}

/* ---- price guidance ---- */

const char *fees_guidance_name(enum fee_guidance_kind k)
{
    return k == FEE_GUIDE_GUIDED ? "政府指导价" : k == FEE_GUIDE_REFERENCE ? "参考区间" : k == FEE_GUIDE_NONE ? "暂无价格指导" : "市场调节价";
}

const char *fees_guidance_unit(enum fee_service s) { return s == FEE_SVC_BOARDING ? NULL : SERVICES[s].units[0]; }

int fees_guidance(const struct params *p, const char *ownership, int inclusive, struct fee_guidance *g, struct err *e)
{
    memset(g, 0, sizeof *g);
    g->kind = strcmp(ownership, "public") == 0 ? FEE_GUIDE_GUIDED : inclusive ? FEE_GUIDE_REFERENCE : FEE_GUIDE_MARKET;
    /* before the guidance's parameters are in force (1477号 dates from October 2024) there is none */
    const char *first = g->kind == FEE_GUIDE_GUIDED ? "fees.guided.float_pct" : "fees.reference.full_day_min_fen";
    if (g->kind != FEE_GUIDE_MARKET && isnan(params_num_or(p, first, NAN))) {
        g->kind = FEE_GUIDE_NONE;
        snprintf(g->basis, sizeof g->basis, "%s 当日无价格指导参数", p->date);
    }
    if (g->kind == FEE_GUIDE_MARKET || g->kind == FEE_GUIDE_NONE)
        return 0;
    char key[64];
    double v;
    if (g->kind == FEE_GUIDE_GUIDED && params_num(p, "fees.guided.float_pct", &g->float_pct, e) < 0)
        return -1;
    for (int s = 0; s < FEE_SVC_COUNT; s++) {
        if (!fees_guidance_unit((enum fee_service)s))
            continue;
        if (g->kind == FEE_GUIDE_GUIDED) {
            snprintf(key, sizeof key, "fees.guided.%s_fen", SERVICES[s].code);
            if (params_num(p, key, &v, e) < 0)
                return -1;
            g->benchmark_fen[s] = llround(v);
            g->min_fen[s] = llround(v * (100.0 - g->float_pct) / 100.0);
            g->max_fen[s] = llround(v * (100.0 + g->float_pct) / 100.0);
            if (s == FEE_SVC_FULL_DAY)
                snprintf(g->basis, sizeof g->basis, "%s", params_basis(p, key));
        } else {
            snprintf(key, sizeof key, "fees.reference.%s_min_fen", SERVICES[s].code);
            if (params_num(p, key, &v, e) < 0)
                return -1;
            g->min_fen[s] = llround(v);
            snprintf(key, sizeof key, "fees.reference.%s_max_fen", SERVICES[s].code);
            if (params_num(p, key, &v, e) < 0)
                return -1;
            g->max_fen[s] = llround(v);
            if (s == FEE_SVC_FULL_DAY)
                snprintf(g->basis, sizeof g->basis, "%s", params_basis(p, key));
        }
    }
    return 0;
}

int fees_outside_band(const struct fee_item *f, const struct fee_guidance *g, char *msg, size_t cap)
{
    int s = fee_service_from_code(f->service_type);
    if (g->kind == FEE_GUIDE_MARKET || g->kind == FEE_GUIDE_NONE || s < 0 || strcmp(f->category, FEE_BASIC) || !fees_guidance_unit((enum fee_service)s) ||
        strcmp(f->unit, fees_guidance_unit((enum fee_service)s)))
        return 0;
    int64_t lo = g->min_fen[s], hi = g->max_fen[s];
    if (f->amount_fen >= lo && f->amount_fen <= hi)
        return 0;
    const char *side = f->amount_fen > hi ? "高于" : "低于";
    if (g->kind == FEE_GUIDE_GUIDED)
        snprintf(msg, cap, "%s「%s」%.2f 元/%s%s政府指导价允许范围 %.2f–%.2f 元（基准价 %.2f 元，上下浮动 %g%%）",
                 SERVICES[s].name, f->item, f->amount_fen / 100.0, f->unit, side, lo / 100.0, hi / 100.0,
                 g->benchmark_fen[s] / 100.0, g->float_pct);
    else
        snprintf(msg, cap, "%s「%s」%.2f 元/%s%s社会办普惠参考区间 %.2f–%.2f 元", SERVICES[s].name, f->item,
                 f->amount_fen / 100.0, f->unit, side, lo / 100.0, hi / 100.0);
    return 1;
}

json_t *fees_guidance_json(const struct fee_guidance *g)
{
    static const char *const KINDS[] = {"market", "guided", "reference", "none"};
    json_t *bands = json_array();
    for (int s = 0; (g->kind == FEE_GUIDE_GUIDED || g->kind == FEE_GUIDE_REFERENCE) && s < FEE_SVC_COUNT; s++)
        if (fees_guidance_unit((enum fee_service)s))
            json_array_append_new(bands, json_pack("{s:s, s:s, s:s, s:o, s:I, s:I}", "service_type", SERVICES[s].code,
                                                   "service_name", SERVICES[s].name, "unit",
                                                   fees_guidance_unit((enum fee_service)s), "benchmark_fen",
                                                   g->kind == FEE_GUIDE_GUIDED ? json_integer(g->benchmark_fen[s])
                                                                               : json_null(),
                                                   "min_fen", (json_int_t)g->min_fen[s], "max_fen",
                                                   (json_int_t)g->max_fen[s]));
    return json_pack("{s:s, s:s, s:o, s:o, s:s}", "kind", KINDS[g->kind], "name", fees_guidance_name(g->kind),
                     "float_pct", g->kind == FEE_GUIDE_GUIDED ? json_real(g->float_pct) : json_null(), "bands", bands,
                     "basis", g->kind == FEE_GUIDE_MARKET ? "发改价格〔2024〕1477号：非普惠托育机构收费实行市场调节价" : g->basis);
}

/* ---- the price-formation worksheet ---- */

int fees_worksheet_from_json(const json_t *body, int year, struct fee_worksheet *w, struct err *e)
{
    memset(w, 0, sizeof *w);
    w->year = year;
    struct {
        const char *key;
        int64_t *dst;
    } money[] = {{"staff_fen", &w->staff_fen},         {"rent_fen", &w->rent_fen},
                 {"utilities_fen", &w->utilities_fen}, {"materials_fen", &w->materials_fen},
                 {"depreciation_fen", &w->depreciation_fen}, {"other_fen", &w->other_fen},
                 {"food_fen", &w->food_fen},           {"subsidy_fen", &w->subsidy_fen}};
    for (size_t i = 0; i < sizeof money / sizeof *money; i++) {
        *money[i].dst = json_integer_value(json_object_get(body, money[i].key));
        if (*money[i].dst < 0)
            return err_set(e, 422, "negative_amount", money[i].key, "金额不能为负数（%" PRId64 " 分）", *money[i].dst);
    }
    w->places = (int)json_integer_value(json_object_get(body, "places"));
    w->avg_enrolled = (int)json_integer_value(json_object_get(body, "avg_enrolled"));
    w->months = (int)json_integer_value(json_object_get(body, "months"));
    jfield_copy(body, "note", w->note, sizeof w->note);
    if (w->places < 1)
        return err_set(e, 422, "bad_places", "places", "托位数应为正整数（%d）", w->places);
    if (w->avg_enrolled < 1 || w->avg_enrolled > w->places)
        return err_set(e, 422, "bad_avg_enrolled", "avg_enrolled", "年平均在托人数应在 1 至托位数 %d 之间（%d）", w->places,
                       w->avg_enrolled);
    if (w->months < 1 || w->months > 12)
        return err_set(e, 422, "bad_months", "months", "全年服务月数应在 1 至 12 之间（%d）", w->months);
    return 0;
}

void fees_worksheet_compute(const struct fee_worksheet *w, double margin_pct, int64_t local_income_fen,
                            struct fee_worksheet_result *r)
{
    memset(r, 0, sizeof *r);
    int64_t costs = w->staff_fen + w->rent_fen + w->utilities_fen + w->materials_fen + w->depreciation_fen + w->other_fen;
    r->care_cost_fen = costs > w->subsidy_fen ? costs - w->subsidy_fen : 0;
    r->child_months = (int64_t)w->avg_enrolled * w->months;
    r->occupancy_pct = w->places > 0 ? 100.0 * w->avg_enrolled / w->places : 0;
    r->margin_pct = margin_pct;
    if (r->child_months > 0) {
        r->cost_per_child_month_fen = llround((double)r->care_cost_fen / (double)r->child_months);
        /* rounded to the yuan: a price is announced in whole yuan */
        r->suggested_fee_fen = llround(r->cost_per_child_month_fen * (100.0 + margin_pct) / 100.0 / 100.0) * 100;
        r->food_per_child_month_fen = llround((double)w->food_fen / (double)r->child_months);
    }
    if (local_income_fen > 0)
        r->income_share_pct = 100.0 * (double)r->suggested_fee_fen / ((double)local_income_fen / 12.0);
}

json_t *fees_worksheet_json(const struct fee_worksheet *w, const struct fee_worksheet_result *r)
{
    json_t *o = json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:s}", "year", w->year,
                          "staff_fen", (json_int_t)w->staff_fen, "rent_fen", (json_int_t)w->rent_fen, "utilities_fen",
                          (json_int_t)w->utilities_fen, "materials_fen", (json_int_t)w->materials_fen,
                          "depreciation_fen", (json_int_t)w->depreciation_fen, "other_fen", (json_int_t)w->other_fen,
                          "food_fen", (json_int_t)w->food_fen, "subsidy_fen", (json_int_t)w->subsidy_fen, "places",
                          w->places, "avg_enrolled", w->avg_enrolled, "months", w->months, "note", w->note);
    json_object_set_new(o, "result",
                        json_pack("{s:I, s:I, s:f, s:I, s:f, s:I, s:I, s:f}", "care_cost_fen",
                                  (json_int_t)r->care_cost_fen, "child_months", (json_int_t)r->child_months,
                                  "occupancy_pct", r->occupancy_pct, "cost_per_child_month_fen",
                                  (json_int_t)r->cost_per_child_month_fen, "margin_pct", r->margin_pct,
                                  "suggested_fee_fen", (json_int_t)r->suggested_fee_fen, "food_per_child_month_fen",
                                  (json_int_t)r->food_per_child_month_fen, "income_share_pct", r->income_share_pct));
    return o;
}

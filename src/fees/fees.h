/* fees.h — the fee catalogue's rules (issue 17 items 4–6; 发改价格〔2024〕1477号): what an item is
 * (category, service type, billing unit) and when it is well formed, the price guidance that
 * applies to an institution (公办: a government-guided benchmark and floating band; 社会办普惠: the
 * city's reference range; others: market price) and whether an item lies within it, and the
 * price-formation worksheet (成本核算). Pure: no I/O; the figures come from the parameter table
 * through struct params. Storage is store.c, routes api.c. */
#ifndef TUOYU_FEES_H
#define TUOYU_FEES_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"
#include "params/params.h"

/* One item of a catalogue. category: basic (基本服务费: 保育费 by service type, 住宿费) | other
 * (其他服务费: 伙食费, 材料费 …); service_type: a code of enum fee_service for basic items, "" for
 * other fees; unit: one of the billing units (fees_unit_known). */
struct fee_item {
    char item[64];
    char category[8];
    char service_type[12];
    int64_t amount_fen;
    char unit[16];
};

#define FEE_BASIC "basic"     /* category of 基本服务费 */
#define FEE_OTHER "other"     /* category of 其他服务费 */
#define FEE_PER_MONTH "月"    /* the unit of a monthly fee */

enum fee_service {
    FEE_SVC_FULL_DAY,  /* 全日托, monthly */
    FEE_SVC_HALF_DAY,  /* 半日托, monthly */
    FEE_SVC_HOURLY,    /* 计时托, hourly */
    FEE_SVC_TEMPORARY, /* 临时托, daily (or per visit) */
    FEE_SVC_BOARDING,  /* 住宿费 */
    FEE_SVC_COUNT
};
const char *fee_service_code(enum fee_service s); /* "full_day" */
const char *fee_service_name(enum fee_service s); /* "全日托" */
int fee_service_from_code(const char *code);      /* -1 when unknown */

/* 1 when unit is a billing unit (月 日 小时 次 学期 年). */
int fees_unit_known(const char *unit);

/* An item as requests carry it: item, category, service_type (optional for a basic item whose unit
 * says it), amount_fen, unit; service_name is read-only. */
extern const struct http_schema fees_item_schema;

/* Check one item (its service type filled in when a basic item came without one, from its unit:
 * 月 → full_day, 小时 → hourly, 日 or 次 → temporary); field is the item's path ("items[2]") for
 * the error. Refuses an unknown category, unit or service type, a negative amount, a service type on
 * an other fee, and a unit its service type is not billed by (full_day by the month, hourly by the
 * hour …). 0, or -1 with e (422). */
int fees_item_check(struct fee_item *x, const char *field, struct err *e);
/* Parse and check items (an array the route's schema admitted, members item, category,
 * service_type, amount_fen, unit) into out[max]: their count, or -1 with e. field names the array
 * in errors ("items" → "items[1].unit"). */
int fees_items_from_json(const json_t *arr, const char *field, struct fee_item *out, int max, struct err *e);
json_t *fees_item_json(const struct fee_item *f);

/* The monthly full-day 保育费 families compare: the lowest full_day item billed by the month, or -1. */
int64_t fees_monthly_full_day(const struct fee_item *items, int n);

/* The price guidance that applies to an institution, from the parameters in force. */
enum fee_guidance_kind {
    FEE_GUIDE_MARKET,    /* 市场调节价: neither 公办 nor 普惠 */
    FEE_GUIDE_GUIDED,    /* 政府指导价: 公办 */
    FEE_GUIDE_REFERENCE, /* 参考区间: 社会办普惠 */
    FEE_GUIDE_NONE,      /* 公办 or 普惠 on a day before the guidance's parameters are in force */
};
struct fee_guidance {
    enum fee_guidance_kind kind;
    /* per service type, in its unit (full_day and half_day per month, hourly per hour, temporary
     * per day); 0 when no figure applies (boarding) */
    int64_t benchmark_fen[FEE_SVC_COUNT]; /* guided only */
    int64_t min_fen[FEE_SVC_COUNT], max_fen[FEE_SVC_COUNT];
    double float_pct;                      /* guided only */
    char basis[192];
};
/* ownership "public" → guided price (公办); private and inclusive → reference range (社会办普惠);
 * otherwise market price; FEE_GUIDE_NONE when p (loaded for a day) holds none of the guidance's
 * parameters. 0, or -1 with e (some of them missing). */
int fees_guidance(const struct params *p, const char *ownership, int inclusive, struct fee_guidance *g,
                  struct err *e);
const char *fees_guidance_name(enum fee_guidance_kind k); /* "政府指导价" */
/* The unit a service type's guidance is stated in ("月"), or NULL when it has none. */
const char *fees_guidance_unit(enum fee_service s);
/* Whether item f lies outside guidance g: 1 with a Chinese message in msg, 0 when within or when no
 * figure applies to it (other fees, boarding, a unit the guidance is not stated in, market price). */
int fees_outside_band(const struct fee_item *f, const struct fee_guidance *g, char *msg, size_t cap);
json_t *fees_guidance_json(const struct fee_guidance *g);

/* The price-formation worksheet of one institution and year. */
struct fee_worksheet {
    int year;
    int64_t staff_fen, rent_fen, utilities_fen, materials_fen, depreciation_fen, other_fen, food_fen, subsidy_fen;
    int places, avg_enrolled, months;
    char note[256];
};
struct fee_worksheet_result {
    int64_t care_cost_fen;          /* the costs 保育费 covers, less government support (≥ 0) */
    int64_t child_months;           /* average children in care × months of service */
    double occupancy_pct;           /* average children in care / places */
    int64_t cost_per_child_month_fen;
    double margin_pct;
    int64_t suggested_fee_fen;      /* cost per child-month plus the margin, rounded to the yuan */
    int64_t food_per_child_month_fen; /* 伙食费 at cost, no margin */
    double income_share_pct;        /* the suggested fee over a month of local per-capita income */
};
/* Parse and check a worksheet body (amounts ≥ 0, 1 ≤ avg_enrolled ≤ places, 1 ≤ months ≤ 12). */
int fees_worksheet_from_json(const json_t *body, int year, struct fee_worksheet *w, struct err *e);
/* The worksheet worked out with margin_pct and the local per-capita disposable income (fen a year). */
void fees_worksheet_compute(const struct fee_worksheet *w, double margin_pct, int64_t local_income_fen,
                            struct fee_worksheet_result *r);
json_t *fees_worksheet_json(const struct fee_worksheet *w, const struct fee_worksheet_result *r);

#endif

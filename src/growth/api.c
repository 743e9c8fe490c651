/* api.c — POST /api/v1/growth/zscores: WHO z-scores, flags, percentiles and classes for a batch
 * of anonymous measurements (no names, no ids stored), as the zscore CLI computes them. */
#include <math.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/json.h"
#include "growth/api.h"
#include "growth/cutoffs.h"
#include "growth/growth.h"
#include "http/http.h"
#include "params/params.h"

#define BATCH_MAX 10000

static int batch_zscores(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    /* anonymous rows: no record, so no jurisdiction — the role is the whole check */
    if (!authz_role_may(req->user->role, "growth.batch"))
        return http_reply_error(rep, 403, "forbidden", "", "当前角色无权执行此操作");
    json_t *rows = json_object_get(http_body(req), "rows");
    struct params *p = http_alloc(req, sizeof *p);
    struct growth_cutoffs cut;
    if (params_load(req->db, req->app->district_code, req->today, p, &e) < 0 || growth_cutoffs_from_params(p, &cut, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        struct growth_input in = {.sex = (int)json_integer_value(json_object_get(row, "sex"))};
        double days = jfield_number(row, "age_days"), months = jfield_number(row, "age_months");
        in.age = isnan(days) ? months : days;
        in.age_in_months = isnan(days) && !isnan(months);
        in.weight_kg = jfield_number(row, "weight_kg");
        in.lenhei_cm = jfield_number(row, "lenhei_cm");
        in.headc_cm = jfield_number(row, "headc_cm");
        in.armc_cm = jfield_number(row, "armc_cm");
        in.triskin_mm = jfield_number(row, "triskin_mm");
        in.subskin_mm = jfield_number(row, "subskin_mm");
        const char *measure = json_string_value(json_object_get(row, "measure"));
        in.measure = measure && measure[0] ? measure[0] : 0;
        in.oedema = json_is_true(json_object_get(row, "oedema"));
        struct growth_result r;
        struct err re = {0};
        if (growth_zscores(&in, &r, &re) < 0) {
            json_array_append_new(out, json_pack("{s:s}", "error", re.code));
            continue;
        }
        json_t *o = json_object();
        for (int k = 0; k < GROWTH_N2006; k++) {
            if (isnan(r.ind[k].z)) {
                json_object_set_new(o, growth_indicator_key((enum growth_indicator)k), json_null());
                continue;
            }
            enum growth_class cls = growth_classify((enum growth_indicator)k, r.ind[k].z, &cut);
            json_object_set_new(o, growth_indicator_key((enum growth_indicator)k),
                                json_pack("{s:f, s:f, s:b, s:s}", "z", r.ind[k].z, "percentile",
                                          round(r.ind[k].pct * 100) / 100, "flag", r.ind[k].flag == 1, "class",
                                          growth_class_code((enum growth_indicator)k, cls)));
        }
        json_array_append_new(out, o);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "results", out));
}

/* One anonymous measurement: what the zscore CLI reads from a CSV row. */
static const struct http_schema ROW = {
    NULL, HTTP_OBJECT, 0, "一条测量（匿名）",
    .members = (const struct http_schema[]){
        {"sex", HTTP_INTEGER, HTTP_NULLABLE, "性别（1 男，2 女）"},
        {"age_days", HTTP_NUMBER, HTTP_NULLABLE, "月龄（天）"},
        {"age_months", HTTP_NUMBER, HTTP_NULLABLE, "月龄（月，不给天数时）"},
        GROWTH_MEASUREMENT_MEMBERS,
        {NULL}}};
static const struct http_schema BATCH = {
    NULL, HTTP_OBJECT, 0, "一批测量",
    .members = (const struct http_schema[]){
        {"rows", HTTP_ARRAY, HTTP_REQUIRED, "测量", BATCH_MAX, .items = &ROW},
        {NULL}}};
static const struct http_schema RESULTS = {
    NULL, HTTP_OBJECT, 0, "每条测量的 z 评分、百分位、分类（或 error 代码），与 rows 一一对应",
    .members = (const struct http_schema[]){
        {"results", HTTP_ARRAY, HTTP_REQUIRED, "结果", .items = &(const struct http_schema){NULL, HTTP_OBJECT, 0, "一条结果"}},
        {NULL}}};

const struct route growth_routes[] = {
    {"POST", "/api/v1/growth/zscores", "growth.batch", batch_zscores, &BATCH, &RESULTS},
    {NULL, NULL, NULL, NULL},
};

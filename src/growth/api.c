/* api.c — POST /api/v1/growth/zscores: WHO z-scores, flags, percentiles and classes for a batch
 * of anonymous measurements (no names, no ids stored), as the zscore CLI computes them. */
#include <math.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/date.h"
#include "growth/api.h"
#include "growth/cutoffs.h"
#include "growth/growth.h"
#include "http/http.h"
#include "params/params.h"

#define BATCH_MAX 10000

static double num_field(const json_t *row, const char *key, int *bad)
{
    const json_t *v = json_object_get(row, key);
    if (!v || json_is_null(v))
        return NAN;
    if (!json_is_number(v)) {
        *bad = 1;
        return NAN;
    }
    return json_number_value(v);
}

static int batch_zscores(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    /* anonymous rows: no record, so no jurisdiction — the role is the whole check */
    if (!authz_role_may(req->user->role, "growth.batch"))
        return http_reply_error(rep, 403, "forbidden", "", "当前角色无权执行此操作");
    json_t *body = http_json_body(req, &e);
    if (!body)
        return http_reply_err(rep, &e);
    json_t *rows = json_object_get(body, "rows");
    if (!json_is_array(rows) || json_object_size(body) != 1) {
        json_decref(body);
        return http_reply_error(rep, 400, "bad_batch", "rows", "请求体应为 {\"rows\": [...]}");
    }
    if (json_array_size(rows) > BATCH_MAX) {
        json_decref(body);
        return http_reply_error(rep, 413, "batch_too_large", "rows", "每批最多 %d 条", BATCH_MAX);
    }
    char today[11];
    date_format_day(req->now, today, sizeof today);
    struct params *p = http_alloc(req, sizeof *p);
    struct growth_cutoffs cut;
    if (params_load(req->db, req->app->district_code, today, p, &e) < 0 || growth_cutoffs_from_params(p, &cut, &e) < 0) {
        json_decref(body);
        return http_reply_err(rep, &e);
    }
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int bad = !json_is_object(row);
        struct growth_input in = {.sex = 0};
        const json_t *sex = json_object_get(row, "sex");
        if (json_is_integer(sex))
            in.sex = (int)json_integer_value(sex);
        double days = num_field(row, "age_days", &bad), months = num_field(row, "age_months", &bad);
        in.age = isnan(days) ? months : days;
        in.age_in_months = isnan(days) && !isnan(months);
        in.weight_kg = num_field(row, "weight_kg", &bad);
        in.lenhei_cm = num_field(row, "lenhei_cm", &bad);
        in.headc_cm = num_field(row, "headc_cm", &bad);
        in.armc_cm = num_field(row, "armc_cm", &bad);
        in.triskin_mm = num_field(row, "triskin_mm", &bad);
        in.subskin_mm = num_field(row, "subskin_mm", &bad);
        const char *measure = json_string_value(json_object_get(row, "measure"));
        in.measure = measure && measure[0] ? measure[0] : 0;
        in.oedema = json_is_true(json_object_get(row, "oedema"));
        struct growth_result r;
        struct err re = {0};
        if (bad || growth_zscores(&in, &r, &re) < 0) {
            json_array_append_new(out, json_pack("{s:s}", "error", bad ? "wrong_type" : re.code));
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
    json_decref(body);
    return http_reply_json(rep, 200, json_pack("{s:o}", "results", out));
}

const struct route growth_routes[] = {
    {"POST", "/api/v1/growth/zscores", "growth.batch", batch_zscores},
    {NULL, NULL, NULL, NULL},
};

/* api.c — the growth engine over HTTP: batch z-scores for anonymous measurements (no names, no
 * ids stored) against the WHO 2006 standards (POST /api/v1/growth/zscores, as `tuoyu zscore`) and
 * the WHO 2007 reference (POST /api/v1/growth/zscores-2007, as `tuoyu zscore --who2007`), and the
 * WHO reference curves for charts (GET /api/v1/public/growth/curves/{indicator}/{sex}: published
 * WHO data, computed
 * from the tables compiled into the program, so no client carries a copy of them). */
#include <math.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/json.h"
#include "base/parse.h"
#include "growth/api.h"
#include "growth/cutoffs.h"
#include "http/http.h"
#include "params/api.h"
#include "params/params.h"

#define BATCH_MAX 10000
/* a curve reply without a step: about this many points over the range asked for */
#define CURVE_DEFAULT_POINTS 300

json_t *growth_z_json(const struct growth_z *z, const char *class_code, const struct growth_cutoffs *cut)
{
    if (isnan(z->z))
        return json_null();
    int grade = growth_grade(z->z, cut);
    return json_pack("{s:f, s:f, s:b, s:s, s:i, s:s}", "z", z->z, "percentile", round(z->pct * 100) / 100, "flag",
                     z->flag == 1, "class", class_code, "grade", grade, "grade_name", growth_grade_name(grade));
}

json_t *growth_curve_json(enum growth_table_id t, int sex, double from, double to, double step, struct err *e)
{
    struct growth_curve_point pts[GROWTH_CURVE_MAX_POINTS];
    size_t n = 0;
    if (growth_curve(t, sex, from, to, step, pts, GROWTH_CURVE_MAX_POINTS, &n, e) < 0)
        return NULL;
    /* 4 decimals: the tables' own precision (M has at most 4), far finer than a chart needs */
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array();
        json_array_append_new(p, json_real(round(pts[i].x * 1e4) / 1e4));
        for (int k = 0; k < 7; k++)
            json_array_append_new(p, json_real(round(pts[i].sd[k] * 1e4) / 1e4));
        json_array_append_new(arr, p);
    }
    return arr;
}

/* The classification cut-offs in force today (growth.* parameters). */
static int cutoffs_today(struct http_req *req, struct growth_cutoffs *cut, struct err *e)
{
    const struct params *p = params_of_request(req, e);
    return p ? growth_cutoffs_from_params(p, cut, e) : -1;
}

/* One row of a batch: its z-scores by indicator, or {"error": code} when the row cannot be
 * scored. */
typedef json_t *(*batch_row_fn)(json_t *row, const struct growth_cutoffs *cut);

static json_t *row_2006(json_t *row, const struct growth_cutoffs *cut)
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
    if (growth_zscores(&in, &r, &re) < 0)
        return json_pack("{s:s}", "error", re.code);
    json_t *o = json_object();
    for (int k = 0; k < GROWTH_N2006; k++) {
        enum growth_indicator ind = (enum growth_indicator)k;
        enum growth_class cls = growth_classify(ind, r.ind[k].z, cut);
        json_object_set_new(o, growth_indicator_key(ind), growth_z_json(&r.ind[k], growth_class_code(ind, cls), cut));
    }
    return o;
}

static json_t *row_2007(json_t *row, const struct growth_cutoffs *cut)
{
    struct growth07_input in = {.sex = (int)json_integer_value(json_object_get(row, "sex")),
                                .age_months = jfield_number(row, "age_months"),
                                .height_cm = jfield_number(row, "height_cm"),
                                .weight_kg = jfield_number(row, "weight_kg"),
                                .oedema = json_is_true(json_object_get(row, "oedema"))};
    struct growth07_result r;
    struct err re = {0};
    if (growth_zscores_2007(&in, &r, &re) < 0)
        return json_pack("{s:s}", "error", re.code);
    json_t *o = json_object();
    for (int k = 0; k < GROWTH_N2007; k++) {
        enum growth_indicator_2007 ind = (enum growth_indicator_2007)k;
        enum growth_class cls = growth_classify_2007(ind, r.ind[k].z, cut);
        json_object_set_new(o, growth_indicator07_key(ind),
                            growth_z_json(&r.ind[k], growth_class_code_2007(ind, cls), cut));
    }
    return o;
}

/* {"results": [one per row of the body]} against the cut-offs in force today. Anonymous rows: no
 * record, so no jurisdiction — the role is the whole check. */
static int batch(struct http_req *req, struct http_reply *rep, batch_row_fn one)
{
    struct err e = {0};
    if (!authz_role_may(req->user->role, "growth.batch"))
        return http_reply_error(rep, 403, "forbidden", "", "当前角色无权执行此操作");
    struct growth_cutoffs cut;
    if (cutoffs_today(req, &cut, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(http_body(req), "rows"), i, row)
        json_array_append_new(out, one(row, &cut));
    return http_reply_json(rep, 200, json_pack("{s:o}", "results", out));
}

static int batch_zscores(struct http_req *req, struct http_reply *rep)
{
    return batch(req, rep, row_2006);
}

static int batch_zscores_2007(struct http_req *req, struct http_reply *rep)
{
    return batch(req, rep, row_2007);
}

/* A number from the query: def when absent, -1 when present and not a finite number. */
static int query_number(struct http_req *req, const char *name, double def, double *out, struct err *e)
{
    const char *s = http_query(req, name);
    *out = def;
    if (!s || !s[0])
        return 0;
    if (parse_double(s, out) < 0)
        return err_set(e, 400, "bad_number", name, "%s 应为数字", name);
    return 0;
}

static int public_curves(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *name = http_param(req, "indicator"), *sex_q = http_param(req, "sex");
    int t = growth_table_by_name(name);
    if (t < 0)
        return http_reply_error(rep, 400, "bad_indicator", "indicator",
                                "生长指标应为 wfa、lhfa、wfl、wfh、bmifa、hcfa、acfa、tsfa、ssfa、wfa2007、hfa2007 或 bfa2007");
    int sex = sex_q && strcmp(sex_q, "1") == 0 ? 1 : sex_q && strcmp(sex_q, "2") == 0 ? 2 : 0;
    if (!sex)
        return http_reply_error(rep, 400, "bad_sex", "sex", "性别应为 1（男）或 2（女）");
    double first, last, from, to, step;
    growth_table_range((enum growth_table_id)t, &first, &last);
    if (query_number(req, "from", first, &from, &e) < 0 || query_number(req, "to", last, &to, &e) < 0)
        return http_reply_err(rep, &e);
    /* the default step: the table's own grid, widened to about CURVE_DEFAULT_POINTS points */
    double grid = strcmp(growth_table_unit((enum growth_table_id)t), "cm") == 0 ? 0.1 : 1.0;
    double span = fmin(to, last) - fmax(from, first);
    double def_step = span > 0 ? fmax(1.0, ceil(span / CURVE_DEFAULT_POINTS / grid)) * grid : grid;
    if (query_number(req, "step", def_step, &step, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *points = growth_curve_json((enum growth_table_id)t, sex, from, to, step, &e);
    if (!points)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:i, s:s, s:o, s:[s,s,s,s,s,s,s,s]}", "indicator", name, "sex", sex,
                                     "x_unit", growth_table_unit((enum growth_table_id)t), "points", points, "columns",
                                     "x", "-3SD", "-2SD", "-1SD", "median", "+1SD", "+2SD", "+3SD"));
}

/* One anonymous measurement: what the zscore CLI reads from a CSV row. */
#include "growth/api.schemas.inc"

const struct route growth_routes[] = {
    {"POST", "/api/v1/growth/zscores", "growth.batch", batch_zscores, &BATCH, &RESULTS},
    {"POST", "/api/v1/growth/zscores-2007", "growth.batch", batch_zscores_2007, &BATCH07, &RESULTS},
    {"GET", "/api/v1/public/growth/curves/{indicator}/{sex}", "public", public_curves, NULL, &CURVES},
    {NULL, NULL, NULL, NULL},
};

/* children.c — validating a child's record and a growth measurement, and the growth evaluation
 * of a child's measurements (WHO z-scores, classes, reference curves). Pure: no I/O, no clock. */
#include "children/children.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/crypt.h"
#include "base/date.h"
#include "base/idcard.h"
#include "base/json.h"
#include "growth/api.h"

int child_from_json(const json_t *body, const char *today, struct child *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *name = jfield_text(body, "name");
    if (strlen(name) < 2)
        return err_set(e, 422, "bad_name", "name", "姓名长度不合适");
    snprintf(out->name, sizeof out->name, "%s", name);
    const char *birth = jfield_text(body, "birth_date");
    if (strcmp(birth, today) > 0)
        return err_set(e, 422, "future_date", "birth_date", "出生日期不能晚于今天");
    snprintf(out->birth_date, sizeof out->birth_date, "%s", birth);
    out->sex = (int)json_integer_value(json_object_get(body, "sex"));

    const char *id = jfield_text(body, "id_number"), *cert = jfield_text(body, "birth_cert");
    if (id && cert)
        return err_set(e, 422, "one_id_only", "id_number", "身份证号与出生医学证明编号只填一项");
    if (id) {
        struct idcard_info info;
        if (idcard_validate(id, today, &info, e) < 0) {
            snprintf(e->field, sizeof e->field, "id_number");
            return -1;
        }
        if (strcmp(info.birth_date, out->birth_date))
            return err_set(e, 422, "id_birth_mismatch", "id_number", "身份证号中的出生日期（%s）与填写的出生日期不一致",
                           info.birth_date);
        if ((info.sex == IDCARD_MALE ? 1 : 2) != out->sex)
            return err_set(e, 422, "id_sex_mismatch", "id_number", "身份证号中的性别与填写的性别不一致");
        snprintf(out->id_kind, sizeof out->id_kind, "resident_id");
        snprintf(out->id_number, sizeof out->id_number, "%s", info.number);
    } else if (cert) {
        char normalized[11];
        if (idcard_birth_cert_validate(cert, normalized, e) < 0) {
            snprintf(e->field, sizeof e->field, "birth_cert");
            return -1;
        }
        snprintf(out->id_kind, sizeof out->id_kind, "birth_cert");
        snprintf(out->id_number, sizeof out->id_number, "%s", normalized);
    } else {
        return err_set(e, 422, "required", "id_number", "须填写身份证号或出生医学证明编号");
    }
    const char *town = jfield_text(body, "hukou_town");
    if (town && (strlen(town) != 9 || strspn(town, "0123456789") != 9))
        return err_set(e, 422, "bad_town", "hukou_town", "户籍镇街代码应为 9 位数字");
    snprintf(out->hukou_town, sizeof out->hukou_town, "%s", town ? town : "");
    mask_name(out->name, out->name_masked, sizeof out->name_masked);
    mask_id_number(out->id_number, out->id_masked, sizeof out->id_masked);
    return 0;
}

json_t *child_to_json(const struct child *c, int full_name)
{
    return json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:s?}", "id", (json_int_t)c->id, "name",
                     full_name ? c->name : c->name_masked, "sex", c->sex, "birth_date", c->birth_date, "id_kind",
                     c->id_kind, "id_masked", c->id_masked, "institution_id",
                     c->institution_id ? json_integer(c->institution_id) : json_null(), "family_user_id",
                     c->family_user_id ? json_integer(c->family_user_id) : json_null(), "hukou_town",
                     c->hukou_town[0] ? c->hukou_town : NULL);
}

/* Plausible ranges for a child under 7 (reject typos such as grams for kilograms). */
static const struct {
    const char *field;
    double lo, hi;
    const char *name;
} RANGES[] = {
    {"weight_kg", 0.5, 60, "体重（千克）"},      {"lenhei_cm", 35, 150, "身长/身高（厘米）"},
    {"headc_cm", 25, 60, "头围（厘米）"},        {"armc_cm", 5, 35, "上臂围（厘米）"},
    {"triskin_mm", 1, 40, "肱三头肌皮褶（毫米）"}, {"subskin_mm", 1, 40, "肩胛下皮褶（毫米）"},
};

int measurement_from_json(const json_t *body, const char *birth_date, const char *today, struct measurement *out,
                          struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *on = jfield_text(body, "measured_on");
    if (strcmp(on, birth_date) < 0 || strcmp(on, today) > 0)
        return err_set(e, 422, "date_out_of_range", "measured_on", "测量日期应在出生日期（%s）与今天（%s）之间",
                       birth_date, today);
    snprintf(out->measured_on, sizeof out->measured_on, "%s", on);
    double *dst[] = {&out->weight_kg, &out->lenhei_cm, &out->headc_cm, &out->armc_cm, &out->triskin_mm,
                     &out->subskin_mm};
    int any = 0;
    for (size_t i = 0; i < sizeof RANGES / sizeof *RANGES; i++) {
        const json_t *v = json_object_get(body, RANGES[i].field);
        *dst[i] = NAN;
        if (!json_is_number(v))
            continue; /* absent or null */
        double x = json_number_value(v);
        if (x < RANGES[i].lo || x > RANGES[i].hi)
            return err_set(e, 422, "out_of_range", RANGES[i].field, "%s %.2f 超出合理范围（%g–%g）", RANGES[i].name, x,
                           RANGES[i].lo, RANGES[i].hi);
        *dst[i] = x;
        any = 1;
    }
    if (!any)
        return err_set(e, 422, "required", "weight_kg", "至少填写一项测量值");
    const char *m = jfield_text(body, "measure");
    if (m && strcmp(m, "l") && strcmp(m, "h"))
        return err_set(e, 422, "bad_measure", "measure", "测量方式应为 l（卧位身长）或 h（立位身高）");
    if (m && isnan(out->lenhei_cm))
        return err_set(e, 422, "measure_without_length", "measure", "填写了测量方式但没有身长/身高");
    out->measure = m ? m[0] : 0;
    out->oedema = json_is_true(json_object_get(body, "oedema"));
    return 0;
}

#include "children/children.schemas.inc"

static json_t *num_or_null(double x) { return isnan(x) ? json_null() : json_real(x); }

json_t *measurement_to_json(const struct measurement *m)
{
    char measure[2] = {m->measure, 0};
    return json_pack("{s:I, s:s, s:o, s:o, s:s?, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)m->id, "measured_on",
                     m->measured_on, "weight_kg", num_or_null(m->weight_kg), "lenhei_cm", num_or_null(m->lenhei_cm),
                     "measure", m->measure ? measure : NULL, "headc_cm", num_or_null(m->headc_cm), "armc_cm",
                     num_or_null(m->armc_cm), "triskin_mm", num_or_null(m->triskin_mm), "subskin_mm",
                     num_or_null(m->subskin_mm), "oedema", m->oedema);
}

/* ---- growth evaluation ---- */

/* One measurement with its age and its evaluation; *clenhei the length/height the engine used
 * (NAN when none). */
static json_t *evaluated(const struct child *c, const struct measurement *m, const struct growth_cutoffs *cut,
                         int64_t *age_days, double *clenhei)
{
    struct err e = {0};
    *age_days = 0;
    *clenhei = NAN;
    date_days_between(c->birth_date, m->measured_on, age_days, &e);
    struct growth_input in = {.sex = c->sex, .age = (double)*age_days, .weight_kg = m->weight_kg,
                              .lenhei_cm = m->lenhei_cm, .measure = m->measure, .headc_cm = m->headc_cm,
                              .armc_cm = m->armc_cm, .triskin_mm = m->triskin_mm, .subskin_mm = m->subskin_mm,
                              .oedema = m->oedema};
    struct growth_result r;
    json_t *o = measurement_to_json(m);
    json_object_set_new(o, "age_days", json_integer(*age_days));
    if (growth_zscores(&in, &r, &e) < 0) {
        json_object_set_new(o, "error", json_string(e.code));
        return o;
    }
    json_t *z = json_object();
    for (int k = 0; k < GROWTH_N2006; k++) {
        enum growth_indicator ind = (enum growth_indicator)k;
        json_object_set_new(z, growth_indicator_key(ind),
                            growth_z_json(&r.ind[k], growth_class_code(ind, growth_classify(ind, r.ind[k].z, cut)), cut));
    }
    json_object_set_new(o, "zscores", z);
    /* from 60 months the WHO 2007 reference (the 2006 standards end below 60 months) */
    double age_months = (double)*age_days / GROWTH_DAYS_PER_MONTH;
    struct growth07_input in07 = {.sex = c->sex, .age_months = age_months, .height_cm = m->lenhei_cm,
                                  .weight_kg = m->weight_kg, .oedema = m->oedema};
    struct growth07_result r07;
    if (age_months >= GROWTH07_FROM_MONTHS && growth_zscores_2007(&in07, &r07, &e) == 0) {
        json_t *z07 = json_object();
        for (int k = 0; k < GROWTH_N2007; k++) {
            enum growth_indicator_2007 ind = (enum growth_indicator_2007)k;
            enum growth_class cls = growth_classify_2007(ind, r07.ind[k].z, cut);
            json_object_set_new(z07, growth_indicator07_key(ind),
                                growth_z_json(&r07.ind[k], growth_class_code_2007(ind, cls), cut));
        }
        json_object_set_new(o, "zscores_2007", z07);
    }
    json_object_set_new(o, "clenhei_cm", isnan(r.clenhei) ? json_null() : json_real(r.clenhei));
    json_object_set_new(o, "bmi", isnan(r.cbmi) ? json_null() : json_real(round(r.cbmi * 100) / 100));
    *clenhei = r.clenhei;
    return o;
}

/* The table's curve from `from` to `to` (kept inside the table) every `step`; [] when the range
 * misses the table. */
static json_t *curve_json(enum growth_table_id t, int sex, double from, double to, double step)
{
    struct err e = {0};
    json_t *arr = growth_curve_json(t, sex, from, to, step, &e);
    return arr ? arr : json_array();
}

json_t *child_growth_json(const struct child *c, int full_name, const struct measurement *m, int n,
                          const struct growth_cutoffs *cut, const char *today)
{
    json_t *items = json_array();
    int64_t min_age = -1, max_age = 0;
    double min_len = 1e9, max_len = 0;
    for (int i = 0; i < n; i++) {
        int64_t age_days;
        double clenhei;
        json_array_append_new(items, evaluated(c, &m[i], cut, &age_days, &clenhei));
        if (!isnan(clenhei)) {
            min_len = fmin(min_len, clenhei);
            max_len = fmax(max_len, clenhei);
        }
        if (min_age < 0 || age_days < min_age)
            min_age = age_days;
        if (age_days > max_age)
            max_age = age_days;
    }
    /* reference curves over the child's age range (at least the first year), a point a week, or
     * about 150 points over a longer range (a chart a phone wide needs no more) */
    int64_t age_now = 0;
    struct err e = {0};
    date_days_between(c->birth_date, today, &age_now, &e);
    double from = min_age < 0 ? 0 : fmax(0, (double)min_age - 60);
    double to = fmax(fmax((double)max_age + 60, (double)age_now), 365);
    double step = fmax(7, ceil((to - from) / 150));
    json_t *curves = json_object();
    json_object_set_new(curves, "wfa", curve_json(GROWTH_T_WFA, c->sex, from, to, step));
    json_object_set_new(curves, "lhfa", curve_json(GROWTH_T_LHFA, c->sex, from, to, step));
    json_object_set_new(curves, "bmifa", curve_json(GROWTH_T_BMIFA, c->sex, from, to, step));
    json_object_set_new(curves, "hcfa", curve_json(GROWTH_T_HCFA, c->sex, from, to, step));
    /* from 60 months the 2007 reference, by month */
    double from07 = fmax(GROWTH07_FROM_MONTHS, floor(from / GROWTH_DAYS_PER_MONTH)), to07 = ceil(to / GROWTH_DAYS_PER_MONTH);
    if (to07 > GROWTH07_FROM_MONTHS) {
        json_object_set_new(curves, "wfa2007", curve_json(GROWTH_T_WFA07, c->sex, from07, to07, 1));
        json_object_set_new(curves, "hfa2007", curve_json(GROWTH_T_HFA07, c->sex, from07, to07, 1));
        json_object_set_new(curves, "bfa2007", curve_json(GROWTH_T_BFA07, c->sex, from07, to07, 1));
    }
    if (max_len > 0) {
        json_object_set_new(curves, "wfl", curve_json(GROWTH_T_WFL, c->sex, min_len - 5, max_len + 5, 0.5));
        json_object_set_new(curves, "wfh", curve_json(GROWTH_T_WFH, c->sex, min_len - 5, max_len + 5, 0.5));
    }
    return json_pack("{s:o, s:o, s:o, s:s}", "child", child_to_json(c, full_name), "measurements", items, "curves",
                     curves, "curve_columns",
                     "x (age in days; length in cm for wfl/wfh; age in months for the 2007 curves), -3SD, -2SD, -1SD, median, +1SD, +2SD, +3SD");
}

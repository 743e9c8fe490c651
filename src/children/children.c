/* children.c — validating a child's record and a growth measurement. Pure: no I/O, no clock. */
#include "children/children.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"
#include "base/json_fields.h"

static const char *string_of(const json_t *body, const char *key, struct err *e, int required)
{
    const json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v)) {
        if (required)
            err_set(e, 422, "required", key, "%s 为必填项", key);
        return NULL;
    }
    if (!json_is_string(v)) {
        err_set(e, 400, "wrong_type", key, "%s 应为字符串", key);
        return NULL;
    }
    return json_string_value(v);
}

int child_from_json(const json_t *body, const char *today, struct child *out, struct err *e)
{
    static const char *const allowed[] = {"name", "birth_date", "sex", "id_number", "birth_cert", "hukou_town", NULL};
    memset(out, 0, sizeof *out);
    if (json_fields_only(body, allowed, e) < 0)
        return -1;
    const char *name = string_of(body, "name", e, 1);
    if (!name)
        return -1;
    size_t len = strlen(name);
    if (len < 2 || len >= sizeof out->name)
        return err_set(e, 422, "bad_name", "name", "姓名长度不合适");
    snprintf(out->name, sizeof out->name, "%s", name);
    const char *birth = string_of(body, "birth_date", e, 1);
    if (!birth)
        return -1;
    if (!date_is_valid(birth))
        return err_set(e, 422, "bad_date", "birth_date", "日期无效：%s", birth);
    if (strcmp(birth, today) > 0)
        return err_set(e, 422, "future_date", "birth_date", "出生日期不能晚于今天");
    snprintf(out->birth_date, sizeof out->birth_date, "%s", birth);
    const json_t *sex = json_object_get(body, "sex");
    if (!sex)
        return err_set(e, 422, "required", "sex", "性别为必填项");
    if (!json_is_integer(sex) || (json_integer_value(sex) != 1 && json_integer_value(sex) != 2))
        return err_set(e, 422, "bad_sex", "sex", "性别应为 1（男）或 2（女）");
    out->sex = (int)json_integer_value(sex);

    const char *id = string_of(body, "id_number", e, 0), *cert = string_of(body, "birth_cert", e, 0);
    if (e->code[0])
        return -1;
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
    const char *town = string_of(body, "hukou_town", e, 0);
    if (e->code[0])
        return -1;
    if (town && (strlen(town) != 9 || strspn(town, "0123456789") != 9))
        return err_set(e, 422, "bad_town", "hukou_town", "户籍镇街代码应为 9 位数字");
    snprintf(out->hukou_town, sizeof out->hukou_town, "%s", town ? town : "");
    return 0;
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
    static const char *const allowed[] = {"measured_on", "weight_kg", "lenhei_cm", "measure", "headc_cm",
                                          "armc_cm", "triskin_mm", "subskin_mm", "oedema", NULL};
    memset(out, 0, sizeof *out);
    if (json_fields_only(body, allowed, e) < 0)
        return -1;
    const char *on = string_of(body, "measured_on", e, 1);
    if (!on)
        return -1;
    if (!date_is_valid(on))
        return err_set(e, 422, "bad_date", "measured_on", "日期无效：%s", on);
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
        if (!v || json_is_null(v))
            continue;
        if (!json_is_number(v))
            return err_set(e, 400, "wrong_type", RANGES[i].field, "%s 应为数字", RANGES[i].name);
        double x = json_number_value(v);
        if (x < RANGES[i].lo || x > RANGES[i].hi)
            return err_set(e, 422, "out_of_range", RANGES[i].field, "%s %.2f 超出合理范围（%g–%g）", RANGES[i].name, x,
                           RANGES[i].lo, RANGES[i].hi);
        *dst[i] = x;
        any = 1;
    }
    if (!any)
        return err_set(e, 422, "required", "weight_kg", "至少填写一项测量值");
    const char *m = string_of(body, "measure", e, 0);
    if (e->code[0])
        return -1;
    if (m && strcmp(m, "l") && strcmp(m, "h"))
        return err_set(e, 422, "bad_measure", "measure", "测量方式应为 l（卧位身长）或 h（立位身高）");
    if (m && isnan(out->lenhei_cm))
        return err_set(e, 422, "measure_without_length", "measure", "填写了测量方式但没有身长/身高");
    out->measure = m ? m[0] : 0;
    const json_t *oed = json_object_get(body, "oedema");
    if (oed && !json_is_boolean(oed))
        return err_set(e, 400, "wrong_type", "oedema", "oedema 应为 true 或 false");
    out->oedema = oed && json_is_true(oed);
    return 0;
}

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

/* children.c — validating a child's record and a growth measurement. Pure: no I/O, no clock. */
#include "children/children.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"

/* A string member the schema admitted; NULL when absent or null. */
static const char *string_of(const json_t *body, const char *key) { return json_string_value(json_object_get(body, key)); }

int child_from_json(const json_t *body, const char *today, struct child *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *name = string_of(body, "name");
    if (strlen(name) < 2)
        return err_set(e, 422, "bad_name", "name", "姓名长度不合适");
    snprintf(out->name, sizeof out->name, "%s", name);
    const char *birth = string_of(body, "birth_date");
    if (strcmp(birth, today) > 0)
        return err_set(e, 422, "future_date", "birth_date", "出生日期不能晚于今天");
    snprintf(out->birth_date, sizeof out->birth_date, "%s", birth);
    out->sex = (int)json_integer_value(json_object_get(body, "sex"));

    const char *id = string_of(body, "id_number"), *cert = string_of(body, "birth_cert");
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
    const char *town = string_of(body, "hukou_town");
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
    memset(out, 0, sizeof *out);
    const char *on = string_of(body, "measured_on");
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
    const char *m = string_of(body, "measure");
    if (m && strcmp(m, "l") && strcmp(m, "h"))
        return err_set(e, 422, "bad_measure", "measure", "测量方式应为 l（卧位身长）或 h（立位身高）");
    if (m && isnan(out->lenhei_cm))
        return err_set(e, 422, "measure_without_length", "measure", "填写了测量方式但没有身长/身高");
    out->measure = m ? m[0] : 0;
    out->oedema = json_is_true(json_object_get(body, "oedema"));
    return 0;
}

const struct http_schema child_schema = {
    NULL, HTTP_OBJECT, 0, "婴幼儿",
    .members = (const struct http_schema[]){
        {"name", HTTP_STRING, HTTP_REQUIRED | HTTP_TRIM, "姓名", HTTP_MAX_OF(struct child, name)},
        {"birth_date", HTTP_DATE, HTTP_REQUIRED, "出生日期"},
        {"sex", HTTP_INTEGER, HTTP_REQUIRED, "性别（1 男，2 女）", 0, 1, 2},
        {"id_number", HTTP_STRING, HTTP_NULLABLE, "身份证号（与出生医学证明编号只填一项）", HTTP_MAX_OF(struct child, id_number)},
        {"birth_cert", HTTP_STRING, HTTP_NULLABLE, "出生医学证明编号", HTTP_MAX_OF(struct child, id_number)},
        {"hukou_town", HTTP_STRING, HTTP_NULLABLE, "户籍镇街代码（9 位数字）", 9},
        {NULL}}};

const struct http_schema measurement_schema = {
    NULL, HTTP_OBJECT, 0, "生长测量",
    .members = (const struct http_schema[]){
        {"measured_on", HTTP_DATE, HTTP_REQUIRED, "测量日期"},
        {"weight_kg", HTTP_NUMBER, HTTP_NULLABLE, "体重（千克）"},
        {"lenhei_cm", HTTP_NUMBER, HTTP_NULLABLE, "身长/身高（厘米）"},
        {"measure", HTTP_STRING, HTTP_NULLABLE, "测量方式（l 卧位身长 / h 立位身高）", 1},
        {"headc_cm", HTTP_NUMBER, HTTP_NULLABLE, "头围（厘米）"},
        {"armc_cm", HTTP_NUMBER, HTTP_NULLABLE, "上臂围（厘米）"},
        {"triskin_mm", HTTP_NUMBER, HTTP_NULLABLE, "肱三头肌皮褶（毫米）"},
        {"subskin_mm", HTTP_NUMBER, HTTP_NULLABLE, "肩胛下皮褶（毫米）"},
        {"oedema", HTTP_BOOLEAN, HTTP_NULLABLE, "水肿"},
        {NULL}}};

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

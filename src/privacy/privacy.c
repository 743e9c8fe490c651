/* privacy.c — the purposes of a guardian's consent, the consent request bodies, and the kinds of
 * record with a retention period (privacy.h). Pure: no database, no clock. */
#include "privacy/privacy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"

const struct privacy_purpose privacy_purposes[] = {
    {PRIVACY_CARE_HEALTH, "入托体检与预防接种证查验、晨午检与全日健康观察、因病缺勤的症状"},
    {PRIVACY_GROWTH, "生长发育测量与评价（身长/身高、体重、头围）"},
    {NULL, NULL},
};

#include "privacy/privacy.schemas.inc"

int privacy_consent_from_json(const json_t *body, int paper, struct privacy_consent_req *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const json_t *list = json_object_get(body, "purposes");
    int chosen[8] = {0};
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *code = json_string_value(v);
        int k = 0;
        while (privacy_purposes[k].code && strcmp(privacy_purposes[k].code, code))
            k++;
        if (!privacy_purposes[k].code)
            return err_set(e, 422, "bad_purpose", "purposes", "未知的处理目的：%s（可选 care_health、growth）", code);
        if (chosen[k])
            return err_set(e, 422, "duplicate_purpose", "purposes", "处理目的重复：%s", code);
        chosen[k] = 1;
    }
    if (json_array_size(list) == 0)
        return err_set(e, 422, "no_purpose", "purposes", "请至少选择一项同意的处理目的");
    size_t len = 0;
    for (int k = 0; privacy_purposes[k].code; k++)
        if (chosen[k])
            len += (size_t)snprintf(out->purposes + len, sizeof out->purposes - len, "%s%s", len ? "," : "",
                                    privacy_purposes[k].code);
    out->guardian_name = jfield_text(body, "guardian_name");
    out->relation = jfield_text(body, "relation");
    double m = jfield_number(body, "material_id");
    out->material_id = isnan(m) ? 0 : (int64_t)m;
    if (!paper) {
        if (out->guardian_name || out->relation || out->material_id)
            return err_set(e, 422, "not_paper", out->material_id ? "material_id" : "guardian_name",
                           "家长本人在线同意，无需填写签字人和同意书扫描件");
        return 0;
    }
    if (!out->guardian_name)
        return err_set(e, 422, "required", "guardian_name", "请填写签署同意书的监护人姓名");
    if (!out->relation)
        return err_set(e, 422, "required", "relation", "请填写监护人与婴幼儿的关系");
    if (!out->material_id)
        return err_set(e, 422, "required", "material_id", "请上传监护人签字的同意书扫描件");
    return 0;
}

int privacy_purposes_cover(const char *purposes, const char *purpose)
{
    size_t n = strlen(purpose);
    for (const char *p = purposes; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, purpose, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

json_t *privacy_purposes_json(const char *purposes)
{
    json_t *a = json_array();
    for (int k = 0; privacy_purposes[k].code; k++)
        if (privacy_purposes_cover(purposes, privacy_purposes[k].code))
            json_array_append_new(a, json_pack("{s:s, s:s}", "code", privacy_purposes[k].code, "name",
                                               privacy_purposes[k].name));
    return a;
}

const struct privacy_retention privacy_retention_kinds[] = {
    {"attendance", "retention.attendance_months", 1, "考勤记录"},
    {"health_check", "retention.health_check_months", 1, "晨午检与全日健康观察"},
    {"entry_check", "retention.entry_check_months", 1, "入托体检与预防接种证查验"},
    {"growth", "retention.growth_months", 1, "生长发育测量"},
    {"checkup", "retention.checkup_months", 1, "儿童健康检查"},
    {"screening", "retention.checkup_months", 1, "发育与孤独症筛查"},
    {"sms_code", "retention.sms_code_days", 0, "短信验证码记录"},
    {"sms_sent", "retention.sms_sent_days", 0, "已发送的验证码短信"},
    {NULL, NULL, 0, NULL},
};

int privacy_cutoff(const char *today, const struct privacy_retention *k, int n, char out[11])
{
    return k->months ? date_add_months(today, -n, out) : date_add_days(today, -(int64_t)n, out);
}

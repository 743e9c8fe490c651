/* registry.c — the institution record: parsing and validating it from JSON, writing it as JSON,
 * and computing its compliance findings. Pure: no database, no clock (today is passed in). */
#include "registry/registry.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/uscc.h"

static const struct {
    const char *code, *name;
} CLASS_TYPES[CLASS_TYPE_COUNT] = {
    [CLASS_INFANT] = {"infant", "乳儿班"},
    [CLASS_TODDLER_YOUNG] = {"toddler_young", "托小班"},
    [CLASS_TODDLER_OLD] = {"toddler_old", "托大班"},
    [CLASS_MIXED] = {"mixed", "混合班"},
};

static const struct {
    const char *code, *name;
} MODELS[] = {
    {"health_center", "卫生中心专业办"}, {"community", "社区小区配套办"}, {"kindergarten", "幼儿园托幼一体办"},
    {"agency", "机关事业带头办"},        {"employer", "企业单位鼓励办"},  {"market", "社会机构市场办"},
    {"family_point", "家庭托育点"},      {"station", "社区驿站"},
};

static const char *const SERVICE_TYPES[] = {"full_day", "half_day", "hourly", "occasional"};
#define NSERVICE (sizeof SERVICE_TYPES / sizeof *SERVICE_TYPES)

const char *class_type_code(enum class_type t) { return t < CLASS_TYPE_COUNT ? CLASS_TYPES[t].code : ""; }
const char *class_type_name(enum class_type t) { return t < CLASS_TYPE_COUNT ? CLASS_TYPES[t].name : ""; }

int class_type_from_code(const char *code)
{
    for (int i = 0; code && i < CLASS_TYPE_COUNT; i++)
        if (strcmp(code, CLASS_TYPES[i].code) == 0)
            return i;
    return -1;
}

const char *operating_model_name(const char *code)
{
    for (size_t i = 0; code && i < sizeof MODELS / sizeof *MODELS; i++)
        if (strcmp(code, MODELS[i].code) == 0)
            return MODELS[i].name;
    return NULL;
}

int institution_places(const struct institution *in)
{
    int n = 0;
    for (int i = 0; i < in->nclasses; i++)
        n += in->classes[i].capacity;
    return n;
}

int institution_enrolled(const struct institution *in)
{
    int n = 0;
    for (int i = 0; i < in->nclasses; i++)
        n += in->classes[i].enrolled;
    return n;
}

/* ---- parsing ---- */

static int get_string(const json_t *v, const char *field, char *out, size_t cap, int required, struct err *e)
{
    if (!v || json_is_null(v)) {
        if (required)
            return err_set(e, 422, "required", field, "%s 为必填项", field);
        out[0] = 0;
        return 0;
    }
    if (!json_is_string(v))
        return err_set(e, 400, "wrong_type", field, "%s 应为字符串", field);
    const char *s = json_string_value(v);
    if (strlen(s) >= cap)
        return err_set(e, 422, "too_long", field, "%s 过长（最多 %zu 字节）", field, cap - 1);
    if (required && !s[0])
        return err_set(e, 422, "required", field, "%s 为必填项", field);
    snprintf(out, cap, "%s", s);
    return 0;
}

static int get_int(const json_t *v, const char *field, int lo, int hi, int *out, struct err *e)
{
    if (!json_is_integer(v))
        return err_set(e, 400, "wrong_type", field, "%s 应为整数", field);
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi)
        return err_set(e, 422, "out_of_range", field, "%s 应在 %d 到 %d 之间（收到 %lld）", field, lo, hi, (long long)n);
    *out = (int)n;
    return 0;
}

static int get_bool(const json_t *v, const char *field, int *out, struct err *e)
{
    if (!json_is_boolean(v))
        return err_set(e, 400, "wrong_type", field, "%s 应为 true 或 false", field);
    *out = json_is_true(v);
    return 0;
}

static int get_date(const json_t *v, const char *field, char out[12], struct err *e)
{
    if (!v || json_is_null(v)) {
        out[0] = 0;
        return 0;
    }
    if (!json_is_string(v))
        return err_set(e, 400, "wrong_type", field, "%s 应为日期字符串 YYYY-MM-DD", field);
    const char *s = json_string_value(v);
    if (!date_is_valid(s))
        return err_set(e, 422, "bad_date", field, "日期无效：%s（应为存在的日期 YYYY-MM-DD）", s);
    snprintf(out, 12, "%s", s);
    return 0;
}

static int parse_classes(const json_t *arr, struct institution *out, struct err *e)
{
    if (!json_is_array(arr))
        return err_set(e, 400, "wrong_type", "classes", "classes 应为数组");
    if (json_array_size(arr) > REG_MAX_CLASSES)
        return err_set(e, 422, "too_many", "classes", "班级数不能超过 %d 个", REG_MAX_CLASSES);
    out->nclasses = 0;
    size_t i;
    const json_t *c;
    json_array_foreach(arr, i, c)
    {
        char field[64];
        struct inst_class *k = &out->classes[out->nclasses];
        memset(k, 0, sizeof *k);
        if (!json_is_object(c))
            return err_set(e, 400, "wrong_type", "classes", "classes[%zu] 应为对象", i);
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)c, key, v)
        {
            snprintf(field, sizeof field, "classes[%zu].%s", i, key);
            if (strcmp(key, "id") == 0) {
                if (!json_is_null(v) && !json_is_integer(v))
                    return err_set(e, 400, "wrong_type", field, "%s 应为整数", field);
                k->id = json_is_integer(v) ? json_integer_value(v) : 0;
            } else if (strcmp(key, "class_type") == 0) {
                int t = json_is_string(v) ? class_type_from_code(json_string_value(v)) : -1;
                if (t < 0)
                    return err_set(e, 422, "bad_class_type", field, "班型无效（应为 infant/toddler_young/toddler_old/mixed）");
                k->type = (enum class_type)t;
            } else if (strcmp(key, "name") == 0) {
                if (get_string(v, field, k->name, sizeof k->name, 0, e))
                    return -1;
            } else if (strcmp(key, "capacity") == 0) {
                if (get_int(v, field, 0, 200, &k->capacity, e))
                    return -1;
            } else if (strcmp(key, "enrolled") == 0) {
                if (get_int(v, field, 0, 200, &k->enrolled, e))
                    return -1;
            } else if (strcmp(key, "caregivers") == 0) {
                if (get_int(v, field, 0, 100, &k->caregivers, e))
                    return -1;
            } else if (strcmp(key, "vacancies") != 0) {
                return err_set(e, 400, "unknown_field", field, "不支持的字段：%s", field);
            }
        }
        snprintf(field, sizeof field, "classes[%zu].class_type", i);
        if (!json_object_get(c, "class_type"))
            return err_set(e, 422, "required", field, "%s 为必填项", field);
        snprintf(field, sizeof field, "classes[%zu].capacity", i);
        if (!json_object_get(c, "capacity"))
            return err_set(e, 422, "required", field, "%s 为必填项", field);
        snprintf(field, sizeof field, "classes[%zu].enrolled", i);
        if (k->enrolled > k->capacity)
            return err_set(e, 422, "enrolled_over_capacity", field, "在托人数（%d）不能超过托位数（%d）", k->enrolled,
                           k->capacity);
        if (!k->name[0])
            snprintf(k->name, sizeof k->name, "%s%d", class_type_name(k->type), out->nclasses + 1);
        out->nclasses++;
    }
    return 0;
}

static int parse_fees(const json_t *arr, struct institution *out, struct err *e)
{
    if (!json_is_array(arr))
        return err_set(e, 400, "wrong_type", "fees", "fees 应为数组");
    if (json_array_size(arr) > REG_MAX_FEES)
        return err_set(e, 422, "too_many", "fees", "收费项目不能超过 %d 项", REG_MAX_FEES);
    out->nfees = 0;
    size_t i;
    const json_t *f;
    json_array_foreach(arr, i, f)
    {
        char field[64];
        struct fee_item *x = &out->fees[out->nfees];
        memset(x, 0, sizeof *x);
        if (!json_is_object(f))
            return err_set(e, 400, "wrong_type", "fees", "fees[%zu] 应为对象", i);
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)f, key, v)
        {
            snprintf(field, sizeof field, "fees[%zu].%s", i, key);
            if (strcmp(key, "item") == 0) {
                if (get_string(v, field, x->item, sizeof x->item, 1, e))
                    return -1;
            } else if (strcmp(key, "category") == 0) {
                if (get_string(v, field, x->category, sizeof x->category, 1, e))
                    return -1;
                if (strcmp(x->category, "basic") && strcmp(x->category, "other"))
                    return err_set(e, 422, "bad_fee_category", field, "收费类别应为 basic（基本服务费）或 other（其他服务费）");
            } else if (strcmp(key, "amount_fen") == 0) {
                if (!json_is_integer(v))
                    return err_set(e, 400, "wrong_type", field, "%s 应为整数（分）", field);
                x->amount_fen = json_integer_value(v);
                if (x->amount_fen < 0 || x->amount_fen > 100000000)
                    return err_set(e, 422, "out_of_range", field, "收费金额超出范围");
            } else if (strcmp(key, "unit") == 0) {
                if (get_string(v, field, x->unit, sizeof x->unit, 1, e))
                    return -1;
            } else {
                return err_set(e, 400, "unknown_field", field, "不支持的字段：%s", field);
            }
        }
        snprintf(field, sizeof field, "fees[%zu].item", i);
        if (!x->item[0] || !x->category[0] || !x->unit[0] || !json_object_get(f, "amount_fen"))
            return err_set(e, 422, "required", field, "收费项目须包含 item、category、amount_fen、unit");
        out->nfees++;
    }
    return 0;
}

static int parse_service_types(const json_t *arr, unsigned *mask, struct err *e)
{
    if (!json_is_array(arr))
        return err_set(e, 400, "wrong_type", "service_types", "service_types 应为数组");
    *mask = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        size_t k = 0;
        while (k < NSERVICE && !(json_is_string(v) && strcmp(json_string_value(v), SERVICE_TYPES[k]) == 0))
            k++;
        if (k == NSERVICE)
            return err_set(e, 422, "bad_service_type", "service_types",
                           "服务类型无效（应为 full_day/half_day/hourly/occasional）");
        *mask |= 1u << k;
    }
    return 0;
}

static int parse_premises(const json_t *o, struct institution *out, struct err *e)
{
    if (!json_is_object(o))
        return err_set(e, 400, "wrong_type", "premises", "premises 应为对象");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        char field[48];
        snprintf(field, sizeof field, "premises.%s", key);
        if (strcmp(key, "tenure") == 0) {
            if (get_string(v, field, out->premises_tenure, sizeof out->premises_tenure, 1, e))
                return -1;
            if (strcmp(out->premises_tenure, "owned") && strcmp(out->premises_tenure, "leased"))
                return err_set(e, 422, "bad_tenure", field, "场地性质应为 owned（自有）或 leased（租赁）");
        } else if (strcmp(key, "lease_start") == 0) {
            if (get_date(v, field, out->lease_start, e))
                return -1;
        } else if (strcmp(key, "lease_end") == 0) {
            if (get_date(v, field, out->lease_end, e))
                return -1;
        } else if (strcmp(key, "floor") == 0) {
            if (get_int(v, field, -3, 100, &out->floor, e))
                return -1;
        } else {
            return err_set(e, 400, "unknown_field", field, "不支持的字段：%s", field);
        }
    }
    return 0;
}

int registry_from_json(const json_t *body, const struct registry_rules *rules, const char *today,
                       struct institution *out, struct err *e)
{
    if (!json_is_object(body))
        return err_set(e, 400, "bad_json", "", "请求体应为 JSON 对象");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        int rc = 0;
        if (strcmp(key, "name") == 0)
            rc = get_string(v, key, out->name, sizeof out->name, 1, e);
        else if (strcmp(key, "uscc") == 0)
            rc = get_string(v, key, out->uscc, sizeof out->uscc, 1, e);
        else if (strcmp(key, "town_code") == 0)
            rc = get_string(v, key, out->town_code, sizeof out->town_code, 1, e);
        else if (strcmp(key, "address") == 0)
            rc = get_string(v, key, out->address, sizeof out->address, 1, e);
        else if (strcmp(key, "operating_model") == 0)
            rc = get_string(v, key, out->operating_model, sizeof out->operating_model, 1, e);
        else if (strcmp(key, "ownership") == 0)
            rc = get_string(v, key, out->ownership, sizeof out->ownership, 1, e);
        else if (strcmp(key, "status") == 0)
            rc = get_string(v, key, out->status, sizeof out->status, 1, e);
        else if (strcmp(key, "inclusive_since") == 0)
            rc = get_date(v, key, out->inclusive_since, e);
        else if (strcmp(key, "inclusive_basis") == 0)
            rc = get_string(v, key, out->inclusive_basis, sizeof out->inclusive_basis, 0, e);
        else if (strcmp(key, "opening_hours") == 0)
            rc = get_string(v, key, out->opening_hours, sizeof out->opening_hours, 0, e);
        else if (strcmp(key, "phone") == 0)
            rc = get_string(v, key, out->phone, sizeof out->phone, 0, e);
        else if (strcmp(key, "director") == 0)
            rc = get_string(v, key, out->director, sizeof out->director, 0, e);
        else if (strcmp(key, "profit") == 0)
            rc = get_bool(v, key, &out->profit, e);
        else if (strcmp(key, "inclusive") == 0)
            rc = get_bool(v, key, &out->inclusive, e);
        else if (strcmp(key, "demonstration") == 0)
            rc = get_bool(v, key, &out->demonstration, e);
        else if (strcmp(key, "star_level") == 0)
            rc = get_int(v, key, 0, 5, &out->star_level, e);
        else if (strcmp(key, "health_workers") == 0)
            rc = get_int(v, key, 0, 100, &out->health_workers, e);
        else if (strcmp(key, "lon") == 0 || strcmp(key, "lat") == 0) {
            if (!json_is_number(v))
                return err_set(e, 400, "wrong_type", key, "%s 应为数字", key);
            *(key[1] == 'o' ? &out->lon : &out->lat) = json_number_value(v);
        } else if (strcmp(key, "classes") == 0)
            rc = parse_classes(v, out, e);
        else if (strcmp(key, "fees") == 0)
            rc = parse_fees(v, out, e);
        else if (strcmp(key, "service_types") == 0)
            rc = parse_service_types(v, &out->service_types, e);
        else if (strcmp(key, "premises") == 0)
            rc = parse_premises(v, out, e);
        else if (strcmp(key, "id") && strcmp(key, "town_name") && strcmp(key, "places") && strcmp(key, "enrolled") &&
                 strcmp(key, "updated_at"))
            return err_set(e, 400, "unknown_field", key, "不支持的字段：%s", key);
        if (rc)
            return -1;
    }
    /* whole-record checks: required fields and rules */
    if (!out->name[0])
        return err_set(e, 422, "required", "name", "机构名称为必填项");
    char normalized[USCC_LEN + 1];
    if (uscc_normalize(out->uscc, normalized) == 0)
        snprintf(out->uscc, sizeof out->uscc, "%s", normalized);
    if (uscc_validate(out->uscc, e) < 0) {
        snprintf(e->field, sizeof e->field, "uscc");
        return -1;
    }
    if (!out->town_code[0])
        return err_set(e, 422, "required", "town_code", "所属镇街为必填项");
    if (!out->address[0])
        return err_set(e, 422, "required", "address", "地址为必填项");
    if (!operating_model_name(out->operating_model))
        return err_set(e, 422, "bad_operating_model", "operating_model", "办托模式无效：%s", out->operating_model);
    if (strcmp(out->ownership, "public") && strcmp(out->ownership, "private"))
        return err_set(e, 422, "bad_ownership", "ownership", "举办性质应为 public（公办）或 private（民办）");
    if (strcmp(out->status, "filed") && strcmp(out->status, "pending") && strcmp(out->status, "closed"))
        return err_set(e, 422, "bad_status", "status", "状态应为 filed/pending/closed");
    if (!isfinite(out->lon) || out->lon < rules->min_lon || out->lon > rules->max_lon)
        return err_set(e, 422, "outside_district", "lon", "经度 %.6f 不在瓯海区范围内（%.2f–%.2f）", out->lon,
                       rules->min_lon, rules->max_lon);
    if (!isfinite(out->lat) || out->lat < rules->min_lat || out->lat > rules->max_lat)
        return err_set(e, 422, "outside_district", "lat", "纬度 %.6f 不在瓯海区范围内（%.2f–%.2f）", out->lat,
                       rules->min_lat, rules->max_lat);
    if (!out->premises_tenure[0])
        return err_set(e, 422, "required", "premises.tenure", "场地性质为必填项");
    if (strcmp(out->premises_tenure, "leased") == 0) {
        if (!out->lease_start[0] || !out->lease_end[0])
            return err_set(e, 422, "required", out->lease_start[0] ? "premises.lease_end" : "premises.lease_start",
                           "租赁场地须填写租期起止日期");
        if (strcmp(out->lease_end, out->lease_start) <= 0)
            return err_set(e, 422, "bad_lease", "premises.lease_end", "租期结束日期应晚于开始日期");
    } else {
        out->lease_start[0] = out->lease_end[0] = 0;
    }
    if (out->inclusive_since[0] && strcmp(out->inclusive_since, today) > 0)
        return err_set(e, 422, "future_date", "inclusive_since", "普惠认定日期不能晚于今天（%s）", today);
    return 0;
}

json_t *registry_to_json(const struct institution *in, const char *town_name)
{
    json_t *classes = json_array(), *fees = json_array(), *services = json_array();
    for (int i = 0; i < in->nclasses; i++) {
        const struct inst_class *c = &in->classes[i];
        json_array_append_new(classes, json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "id", (json_int_t)c->id,
                                                 "class_type", class_type_code(c->type), "class_type_name",
                                                 class_type_name(c->type), "name", c->name, "capacity", c->capacity,
                                                 "enrolled", c->enrolled, "caregivers", c->caregivers, "vacancies",
                                                 c->capacity - c->enrolled));
    }
    for (int i = 0; i < in->nfees; i++) {
        const struct fee_item *f = &in->fees[i];
        json_array_append_new(fees, json_pack("{s:s, s:s, s:I, s:s}", "item", f->item, "category", f->category,
                                              "amount_fen", (json_int_t)f->amount_fen, "unit", f->unit));
    }
    for (size_t k = 0; k < NSERVICE; k++)
        if (in->service_types & (1u << k))
            json_array_append_new(services, json_string(SERVICE_TYPES[k]));
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:f, s:f, s:s, s:s?, s:s, s:b, s:b, s:s?, s:s?, s:s, s:i, s:b, "
                          "s:s, s:s, s:s, s:o, s:i, s:i, s:i}",
                          "id", (json_int_t)in->id, "name", in->name, "uscc", in->uscc, "town_code", in->town_code,
                          "town_name", town_name, "address", in->address, "lon", in->lon, "lat", in->lat,
                          "operating_model", in->operating_model, "operating_model_name",
                          operating_model_name(in->operating_model), "ownership", in->ownership, "profit",
                          in->profit, "inclusive", in->inclusive, "inclusive_since",
                          in->inclusive_since[0] ? in->inclusive_since : NULL, "inclusive_basis",
                          in->inclusive_basis[0] ? in->inclusive_basis : NULL, "status", in->status, "star_level",
                          in->star_level, "demonstration", in->demonstration, "opening_hours", in->opening_hours,
                          "phone", in->phone, "director", in->director, "service_types", services, "health_workers",
                          in->health_workers, "places", institution_places(in), "enrolled",
                          institution_enrolled(in));
    json_object_set_new(o, "premises",
                        json_pack("{s:s, s:s?, s:s?, s:i}", "tenure", in->premises_tenure, "lease_start",
                                  in->lease_start[0] ? in->lease_start : NULL, "lease_end",
                                  in->lease_end[0] ? in->lease_end : NULL, "floor", in->floor));
    json_object_set_new(o, "classes", classes);
    json_object_set_new(o, "fees", fees);
    if (in->updated_at[0])
        json_object_set_new(o, "updated_at", json_string(in->updated_at));
    return o;
}

/* ---- compliance ---- */

static int add(struct finding *out, int max, int n, const char *rule, const char *severity, const char *basis,
               int64_t class_id, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static int add(struct finding *out, int max, int n, const char *rule, const char *severity, const char *basis,
               int64_t class_id, const char *fmt, ...)
{
    if (n >= max)
        return n;
    struct finding *f = &out[n];
    snprintf(f->rule, sizeof f->rule, "%s", rule);
    snprintf(f->severity, sizeof f->severity, "%s", severity);
    snprintf(f->basis, sizeof f->basis, "%s", basis ? basis : "");
    f->class_id = class_id;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return n + 1;
}

int registry_findings(const struct institution *in, const struct registry_rules *r,
                      const char *const basis[RULE_COUNT], const char *today, struct finding *out, int max)
{
    int n = 0;
    for (int i = 0; i < in->nclasses; i++) {
        const struct inst_class *c = &in->classes[i];
        int cap = r->max_class_size[c->type];
        if (c->enrolled > cap || c->capacity > cap)
            n = add(out, max, n, "class_size", c->enrolled > cap ? "high" : "medium", basis[RULE_CLASS_SIZE], c->id,
                    "%s「%s」%s %d 人，超过每班最多 %d 人", class_type_name(c->type), c->name,
                    c->enrolled > cap ? "在托" : "核定托位", c->enrolled > cap ? c->enrolled : c->capacity, cap);
        double per = r->children_per_caregiver[c->type];
        if (c->enrolled > 0 && (double)c->caregivers * per < (double)c->enrolled)
            n = add(out, max, n, "caregiver_ratio", "high", basis[RULE_CAREGIVER_RATIO], c->id,
                    "%s「%s」保育人员 %d 名、在托 %d 人，低于 1:%g 的配比（至少需 %d 名）", class_type_name(c->type),
                    c->name, c->caregivers, c->enrolled, per, (int)ceil((double)c->enrolled / per));
    }
    int enrolled = institution_enrolled(in);
    if (enrolled >= r->health_worker_min_children && in->health_workers < 1)
        n = add(out, max, n, "health_worker", "high", basis[RULE_HEALTH_WORKER], 0,
                "在托 %d 人（不少于 %d 人），未配备专职卫生保健人员", enrolled, r->health_worker_min_children);
    if (strcmp(in->premises_tenure, "leased") == 0) {
        /* a term of N years from the start date ends on the day before its Nth anniversary */
        char anniversary[12], min_end[12];
        date_add_months(in->lease_start, (int)lround(r->lease_min_years * 12), anniversary);
        date_add_days(anniversary, -1, min_end);
        char warn[12];
        date_add_days(today, r->lease_warning_days, warn);
        if (strcmp(in->lease_end, today) < 0)
            n = add(out, max, n, "lease_expired", "high", basis[RULE_LEASE], 0, "场地租期已于 %s 届满", in->lease_end);
        else if (strcmp(in->lease_end, min_end) < 0)
            n = add(out, max, n, "lease_term", "high", basis[RULE_LEASE], 0,
                    "租赁期限 %s 至 %s 不足 %g 年", in->lease_start, in->lease_end, r->lease_min_years);
        else if (strcmp(in->lease_end, warn) <= 0)
            n = add(out, max, n, "lease_expiring", "low", basis[RULE_LEASE], 0, "场地租期将于 %s 届满，请及时续租",
                    in->lease_end);
    }
    if (in->floor > r->max_floor)
        n = add(out, max, n, "floor", "high", basis[RULE_FLOOR], 0, "婴幼儿生活用房位于 %d 层，高于 %d 层", in->floor,
                r->max_floor);
    if (in->floor < 1)
        n = add(out, max, n, "floor", "high", basis[RULE_FLOOR], 0, "婴幼儿生活用房位于地下室或半地下室");
    if (in->nfees == 0)
        n = add(out, max, n, "fee_catalogue", "medium", basis[RULE_FEES], 0, "未公示收费目录清单");
    if (strcmp(in->operating_model, "family_point") == 0 && enrolled > r->family_point_max_children)
        n = add(out, max, n, "family_point_size", "high", basis[RULE_FAMILY_POINT], 0,
                "家庭托育点收托 %d 人，超过 %d 人，应登记为托育机构", enrolled, r->family_point_max_children);
    return n;
}

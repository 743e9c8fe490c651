/* registry.c — the institution record: parsing and validating it from JSON, writing it as JSON,
 * and computing its compliance findings. Pure: no database, no clock (today is passed in). */
#include "registry/registry.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/parse.h"
#include "base/uscc.h"
#include "duty/ratio.h"

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

int operating_model_names(const char *out[], int max)
{
    int n = 0;
    for (size_t i = 0; i < sizeof MODELS / sizeof *MODELS && n < max; i++)
        out[n++] = MODELS[i].name;
    return n;
}

const char *operating_model_code(const char *text)
{
    for (size_t i = 0; text && i < sizeof MODELS / sizeof *MODELS; i++)
        if (strcmp(text, MODELS[i].code) == 0 || strcmp(text, MODELS[i].name) == 0)
            return MODELS[i].code;
    return text;
}

const char *class_type_code_of(const char *text)
{
    for (int i = 0; text && i < CLASS_TYPE_COUNT; i++)
        if (strcmp(text, CLASS_TYPES[i].code) == 0 || strcmp(text, CLASS_TYPES[i].name) == 0)
            return CLASS_TYPES[i].code;
    return text;
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

/* ---- the request body: its schema, then parsing what the schema let through ---- */

#include "registry/registry.schemas.inc"

static int parse_classes(const json_t *arr, struct institution *out, struct err *e)
{
    out->nclasses = 0;
    size_t i;
    const json_t *c;
    json_array_foreach(arr, i, c)
    {
        char field[64];
        struct inst_class *k = &out->classes[out->nclasses];
        memset(k, 0, sizeof *k);
        k->id = json_is_integer(json_object_get(c, "id")) ? json_integer_value(json_object_get(c, "id")) : 0;
        int t = class_type_from_code(json_string_value(json_object_get(c, "class_type")));
        snprintf(field, sizeof field, "classes[%zu].class_type", i);
        if (t < 0)
            return err_set(e, 422, "bad_class_type", field, "班型无效（应为 infant/toddler_young/toddler_old/mixed）");
        k->type = (enum class_type)t;
        jfield_copy(c, "name", k->name, sizeof k->name);
        k->capacity = (int)json_integer_value(json_object_get(c, "capacity"));
        k->enrolled = (int)json_integer_value(json_object_get(c, "enrolled"));
        k->caregivers = (int)json_integer_value(json_object_get(c, "caregivers"));
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

static int parse_service_types(const json_t *arr, unsigned *mask, struct err *e)
{
    *mask = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        size_t k = 0;
        while (k < NSERVICE && strcmp(json_string_value(v), SERVICE_TYPES[k]))
            k++;
        if (k == NSERVICE)
            return err_set(e, 422, "bad_service_type", "service_types",
                           "服务类型无效（应为 full_day/half_day/hourly/occasional）");
        *mask |= 1u << k;
    }
    return 0;
}

void institution_init(struct institution *in, const char *status)
{
    memset(in, 0, sizeof *in);
    snprintf(in->status, sizeof in->status, "%s", status);
    in->floor = 1;
    in->health_room_m2 = in->window_floor_ratio = REG_UNRECORDED;
}

/* A nullable premises figure of o at key into *dst when the body gives it (null: unrecorded). */
static void premises_figure(const json_t *o, const char *key, double *dst)
{
    const json_t *v = json_object_get(o, key);
    if (v)
        *dst = json_is_number(v) ? json_number_value(v) : REG_UNRECORDED;
}

static int parse_premises(const json_t *o, struct institution *out, struct err *e)
{
    const json_t *floor = json_object_get(o, "floor");
    if (json_object_get(o, "tenure")) {
        jfield_copy(o, "tenure", out->premises_tenure, sizeof out->premises_tenure);
        if (strcmp(out->premises_tenure, "owned") && strcmp(out->premises_tenure, "leased"))
            return err_set(e, 422, "bad_tenure", "premises.tenure", "场地性质应为 owned（自有）或 leased（租赁）");
    }
    if (json_object_get(o, "lease_start"))
        jfield_copy(o, "lease_start", out->lease_start, sizeof out->lease_start);
    if (json_object_get(o, "lease_end"))
        jfield_copy(o, "lease_end", out->lease_end, sizeof out->lease_end);
    if (floor)
        out->floor = (int)json_integer_value(floor);
    premises_figure(o, "health_room_m2", &out->health_room_m2);
    premises_figure(o, "window_floor_ratio", &out->window_floor_ratio);
    return 0;
}

int registry_from_json(const json_t *body, const struct registry_rules *rules, const char *today,
                       struct institution *out, struct err *e)
{
    static const struct {
        const char *key;
        size_t offset, cap;
    } TEXT[] = {
#define TEXT_MEMBER(m) {#m, offsetof(struct institution, m), sizeof(((struct institution *)0)->m)}
        TEXT_MEMBER(name),          TEXT_MEMBER(uscc),   TEXT_MEMBER(town_code), TEXT_MEMBER(address),
        TEXT_MEMBER(operating_model), TEXT_MEMBER(ownership), TEXT_MEMBER(status), TEXT_MEMBER(inclusive_since),
        TEXT_MEMBER(inclusive_basis), TEXT_MEMBER(opening_hours), TEXT_MEMBER(phone), TEXT_MEMBER(director),
#undef TEXT_MEMBER
    };
    static const struct {
        const char *key;
        size_t offset;
    } INT[] = {
        {"profit", offsetof(struct institution, profit)},
        {"inclusive", offsetof(struct institution, inclusive)},
        {"demonstration", offsetof(struct institution, demonstration)},
        {"health_workers", offsetof(struct institution, health_workers)},
    };
    for (size_t i = 0; i < sizeof TEXT / sizeof *TEXT; i++)
        if (json_object_get(body, TEXT[i].key))
            jfield_copy(body, TEXT[i].key, (char *)out + TEXT[i].offset, TEXT[i].cap);
    for (size_t i = 0; i < sizeof INT / sizeof *INT; i++) {
        const json_t *v = json_object_get(body, INT[i].key);
        if (v)
            *(int *)(void *)((char *)out + INT[i].offset) = json_is_boolean(v) ? json_is_true(v) : (int)json_integer_value(v);
    }
    const json_t *v;
    if ((v = json_object_get(body, "lon")))
        out->lon = json_number_value(v);
    if ((v = json_object_get(body, "lat")))
        out->lat = json_number_value(v);
    if ((v = json_object_get(body, "classes")) && parse_classes(v, out, e) < 0)
        return -1;
    if ((v = json_object_get(body, "fees")) && (out->nfees = fees_items_from_json(v, "fees", out->fees, REG_MAX_FEES, e)) < 0)
        return -1;
    if ((v = json_object_get(body, "service_types")) && parse_service_types(v, &out->service_types, e) < 0)
        return -1;
    if ((v = json_object_get(body, "premises")) && parse_premises(v, out, e) < 0)
        return -1;
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
        json_array_append_new(classes, json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i}", "id", (json_int_t)c->id,
                                                 "class_type", class_type_code(c->type), "class_type_name",
                                                 class_type_name(c->type), "name", c->name, "capacity", c->capacity,
                                                 "enrolled", c->enrolled, "caregivers", c->caregivers));
    }
    for (int i = 0; i < in->nfees; i++)
        json_array_append_new(fees, fees_item_json(&in->fees[i]));
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
    json_object_set_new(
        o, "premises",
        json_pack("{s:s, s:s?, s:s?, s:i, s:o, s:o}", "tenure", in->premises_tenure, "lease_start",
                  in->lease_start[0] ? in->lease_start : NULL, "lease_end", in->lease_end[0] ? in->lease_end : NULL,
                  "floor", in->floor, "health_room_m2",
                  in->health_room_m2 < 0 ? json_null() : json_real(in->health_room_m2), "window_floor_ratio",
                  in->window_floor_ratio < 0 ? json_null() : json_real(in->window_floor_ratio)));
    json_object_set_new(o, "classes", classes);
    json_object_set_new(o, "fees", fees);
    if (in->updated_at[0])
        json_object_set_new(o, "updated_at", json_string(in->updated_at));
    return o;
}

/* ---- compliance ---- */

/* The rule codes of findings and their Chinese names (GET /api/v1/public/labels). */
static const struct {
    const char *code, *name;
} RULE_NAMES[] = {
    {"class_size", "班级人数"},         {"caregiver_ratio", "师幼比"},     {"health_worker", "卫生保健人员"},
    {"lease_expired", "租约到期"},      {"lease_term", "租赁期限"},        {"lease_expiring", "租约即将到期"},
    {"floor", "生活用房楼层"},          {"fee_catalogue", "收费目录公示"}, {"fee_band", "收费超出价格政策"}, {"family_point_size", "家庭托育点规模"},
    {"family_point_carer", "家庭托育点照护人员"}, {"health_room", "保健观察室"}, {"window_area", "窗地面积比"},
};

json_t *registry_rule_names_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof RULE_NAMES / sizeof *RULE_NAMES; i++)
        json_object_set_new(o, RULE_NAMES[i].code, json_string(RULE_NAMES[i].name));
    return o;
}

json_t *registry_findings_json(const struct finding *f, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "rule", f[i].rule, "severity",
                                               f[i].severity, "message", f[i].message, "basis", f[i].basis,
                                               "class_id", f[i].class_id ? json_integer(f[i].class_id) : json_null(),
                                               "staff_id", f[i].staff_id ? json_integer(f[i].staff_id) : json_null()));
    return items;
}

int finding_add(struct finding *out, int max, int n, const char *rule, const char *severity, const char *basis,
                int64_t class_id, int64_t staff_id, const char *fmt, ...)
{
    if (n >= max)
        return n;
    struct finding *f = &out[n];
    memset(f, 0, sizeof *f);
    snprintf(f->rule, sizeof f->rule, "%s", rule);
    snprintf(f->severity, sizeof f->severity, "%s", severity);
    parse_copy_text(f->basis, sizeof f->basis, basis ? basis : ""); /* a long basis cut at whole characters */
    f->class_id = class_id;
    f->staff_id = staff_id;
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
            n = finding_add(out, max, n, "class_size", c->enrolled > cap ? "high" : "medium", basis[RULE_CLASS_SIZE], c->id, 0,
                    "%s「%s」%s %d 人，超过每班最多 %d 人", class_type_name(c->type), c->name,
                    c->enrolled > cap ? "在托" : "核定托位", c->enrolled > cap ? c->enrolled : c->capacity, cap);
        /* the same rule the live ratio of the children present applies (duty/ratio.c) */
        struct duty_ratio d;
        if (duty_ratio_compute(r, c->type, c->enrolled, c->caregivers, &d) == 0 && d.state == DUTY_RATIO_BROKEN)
            n = finding_add(out, max, n, "caregiver_ratio", "high", basis[RULE_CAREGIVER_RATIO], c->id, 0,
                    "%s「%s」保育人员 %d 名、在托 %d 人，低于 1:%g 的配比（至少需 %d 名）", class_type_name(c->type),
                    c->name, c->caregivers, c->enrolled, d.per, d.needed);
    }
    int enrolled = institution_enrolled(in);
    if (enrolled >= r->health_worker_min_children && in->health_workers < 1)
        n = finding_add(out, max, n, "health_worker", "high", basis[RULE_HEALTH_WORKER], 0, 0,
                "在托 %d 人（不少于 %d 人），未配备专职卫生保健人员", enrolled, r->health_worker_min_children);
    if (strcmp(in->premises_tenure, "leased") == 0) {
        /* a term of N years from the start date ends on the day before its Nth anniversary */
        char anniversary[12], min_end[12];
        date_add_months(in->lease_start, (int)lround(r->lease_min_years * 12), anniversary);
        date_add_days(anniversary, -1, min_end);
        char warn[12];
        date_add_days(today, r->lease_warning_days, warn);
        char start_words[DATE_WORDS_LEN], end_words[DATE_WORDS_LEN];
        date_words(in->lease_start, start_words, sizeof start_words);
        date_words(in->lease_end, end_words, sizeof end_words);
        if (strcmp(in->lease_end, today) < 0)
            n = finding_add(out, max, n, "lease_expired", "high", basis[RULE_LEASE], 0, 0, "场地租期已于 %s 届满", end_words);
        else if (strcmp(in->lease_end, min_end) < 0)
            n = finding_add(out, max, n, "lease_term", "high", basis[RULE_LEASE], 0, 0,
                    "租赁期限 %s 至 %s 不足 %g 年", start_words, end_words, r->lease_min_years);
        else if (strcmp(in->lease_end, warn) <= 0)
            n = finding_add(out, max, n, "lease_expiring", "low", basis[RULE_LEASE], 0, 0, "场地租期将于 %s 届满，请及时续租",
                    end_words);
    }
    if (in->floor > r->max_floor)
        n = finding_add(out, max, n, "floor", "high", basis[RULE_FLOOR], 0, 0, "婴幼儿生活用房位于 %d 层，高于 %d 层", in->floor,
                r->max_floor);
    if (in->floor < 1)
        n = finding_add(out, max, n, "floor", "high", basis[RULE_FLOOR], 0, 0, "婴幼儿生活用房位于地下室或半地下室");
    /* 托育机构卫生评价 (国卫办妇幼函〔2022〕): a health room of so many m² and daylight in the children's
     * rooms; a 家庭托育点 is not assessed on them. A record that does not give a figure is told so. */
    if (strcmp(in->operating_model, "family_point")) {
        if (in->health_room_m2 < 0)
            n = finding_add(out, max, n, "health_room", "low", basis[RULE_HEALTH_ROOM], 0, 0,
                    "未登记保健观察室面积（应不小于 %g 平方米）", r->health_room_min_m2);
        else if (in->health_room_m2 == 0)
            n = finding_add(out, max, n, "health_room", "high", basis[RULE_HEALTH_ROOM], 0, 0, "未设保健观察室");
        else if (in->health_room_m2 < r->health_room_min_m2)
            n = finding_add(out, max, n, "health_room", "high", basis[RULE_HEALTH_ROOM], 0, 0,
                    "保健观察室面积 %g 平方米，小于 %g 平方米", in->health_room_m2, r->health_room_min_m2);
        if (in->window_floor_ratio < 0)
            n = finding_add(out, max, n, "window_area", "low", basis[RULE_WINDOW_AREA], 0, 0,
                    "未登记婴幼儿生活用房窗地面积比（应不低于 %g%%）", r->window_area_min_share * 100);
        else if (in->window_floor_ratio < r->window_area_min_share)
            n = finding_add(out, max, n, "window_area", "high", basis[RULE_WINDOW_AREA], 0, 0,
                    "婴幼儿生活用房窗地面积比 %g%%，低于 %g%%", in->window_floor_ratio * 100,
                    r->window_area_min_share * 100);
    }
    if (in->nfees == 0)
        n = finding_add(out, max, n, "fee_catalogue", "medium", basis[RULE_FEES], 0, 0, "未公示收费目录清单");
    /* 发改价格〔2024〕1477号: 公办 within the guided band, 社会办普惠 within the reference range */
    const struct fee_guidance *guide = strcmp(in->ownership, "public") == 0 ? &r->fee_guided
                                       : in->inclusive                      ? &r->fee_reference
                                                                            : NULL;
    for (int i = 0; guide && i < in->nfees; i++) {
        char message[256];
        if (fees_outside_band(&in->fees[i], guide, message, sizeof message))
            n = finding_add(out, max, n, "fee_band", "medium", guide->basis, 0, 0, "%s", message);
    }
    if (strcmp(in->operating_model, "family_point") == 0 && enrolled > r->family_point_max_children)
        n = finding_add(out, max, n, "family_point_size", "high", basis[RULE_FAMILY_POINT], 0, 0,
                "家庭托育点收托 %d 人，超过 %d 人，应登记为托育机构", enrolled, r->family_point_max_children);
    if (strcmp(in->operating_model, "family_point") == 0) {
        /* 家庭托育点管理办法: each carer looks after at most so many children */
        int carers = 0;
        for (int i = 0; i < in->nclasses; i++)
            carers += in->classes[i].caregivers;
        if (enrolled > r->family_point_children_per_carer * carers)
            n = finding_add(out, max, n, "family_point_carer", "high", basis[RULE_FAMILY_CARER], 0, 0,
                    "家庭托育点收托 %d 人、照护人员 %d 名，每名照护人员最多照护 %g 名婴幼儿", enrolled, carers,
                    r->family_point_children_per_carer);
    }
    return n;
}

/* care.c — the pure part of daily care (care.h): request bodies, the class sheet and the
 * admission gate. No database, no clock: "today" comes in as an argument. */
#include "care/care.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"

#include "care/care.schemas.inc"

static const struct {
    const char *code, *name;
} NAMES[] = {
    {"health_check", "入托体检"}, {"vaccination", "预防接种证查验"}, {"pass", "合格"},  {"fail", "不合格"},
    {"present", "到园"},          {"absent", "缺勤"},                 {"illness", "病假"}, {"family", "事假"},
    {"other", "其他"},
    {"morning", "晨检"},          {"noon", "午检"},                   {"day", "全日观察"},
    {"none", "无需处理"},         {"observe", "留园观察"},            {"send_home", "通知家长接回"},
    {"notify_guardian", "告知家长"},
};

/* The coded list of a check's symptoms (管理规范 Art. 24; the groups are what an outbreak of one
 * communicable disease shows: 手足口病, 流感样病例, 感染性腹泻, 急性出血性结膜炎, 水痘, 流行性腮腺炎). */
static const struct care_symptom SYMPTOMS[] = {
    {"fever", "发热", "fever", "发热"},
    {"cough", "咳嗽", "respiratory", "呼吸道症状"},
    {"runny_nose", "流涕", "respiratory", "呼吸道症状"},
    {"sore_throat", "咽痛、咽部充血", "respiratory", "呼吸道症状"},
    {"rash", "皮疹", "rash", "皮疹"},
    {"hfmd_signs", "手足口病体征（手、足、臀部皮疹或口腔疱疹）", "hfmd", "手足口病样症状"},
    {"blisters", "疱疹（水痘样）", "varicella", "水痘样疱疹"},
    {"diarrhoea", "腹泻", "gastro", "消化道症状"},
    {"vomiting", "呕吐", "gastro", "消化道症状"},
    {"conjunctivitis", "结膜充血、眼分泌物增多", "eye", "红眼病样症状"},
    {"parotid_swelling", "腮腺肿大", "mumps", "腮腺炎样症状"},
    {"jaundice", "皮肤、巩膜黄染", "jaundice", "黄疸"},
    {"injury", "外伤", "injury", "外伤"},
    {"other", "其他异常", "other", "其他"},
};
#define NSYMPTOMS (sizeof SYMPTOMS / sizeof *SYMPTOMS)

const struct care_symptom *care_symptom_find(const char *code)
{
    for (size_t i = 0; code && i < NSYMPTOMS; i++)
        if (strcmp(SYMPTOMS[i].code, code) == 0)
            return &SYMPTOMS[i];
    return NULL;
}

static int one_of(const char *v, const char *const *set)
{
    for (; v && *set; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

int care_check_from_json(const json_t *body, const char *today, double fever_c, struct care_check *out, struct err *e)
{
    static const char *const SLOTS[] = {"morning", "noon", "day", NULL};
    static const char *const ACTIONS[] = {"none", "observe", "send_home", "notify_guardian", NULL};
    memset(out, 0, sizeof *out);
    jfield_copy(body, "date", out->day, sizeof out->day);
    if (strcmp(out->day, today) > 0)
        return err_set(e, 422, "future_date", "date", "不能登记今天以后的检查");
    jfield_copy(body, "slot", out->slot, sizeof out->slot);
    if (!one_of(out->slot, SLOTS))
        return err_set(e, 422, "bad_slot", "slot", "检查只能是晨检（morning）、午检（noon）或全日观察（day）");
    jfield_copy(body, "action", out->action, sizeof out->action);
    if (!one_of(out->action, ACTIONS))
        return err_set(e, 422, "bad_action", "action", "处理只能是无需处理、留园观察、通知家长接回或告知家长");
    jfield_copy(body, "note", out->note, sizeof out->note);
    out->temperature_c = jfield_number(body, "temperature_c");
    if (!isnan(out->temperature_c) && (out->temperature_c < CARE_TEMP_MIN || out->temperature_c > CARE_TEMP_MAX))
        return err_set(e, 422, "bad_temperature", "temperature_c", "体温应在 %.1f～%.1f ℃ 之间，请核对", CARE_TEMP_MIN,
                       CARE_TEMP_MAX);
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(body, "symptoms"), i, it)
    {
        char field[32];
        snprintf(field, sizeof field, "symptoms[%zu]", i);
        const char *code = json_string_value(it);
        if (!care_symptom_find(code))
            return err_set(e, 422, "unknown_symptom", field, "未知的症状代码");
        for (int k = 0; k < out->nsymptoms; k++)
            if (strcmp(out->symptoms[k], code) == 0)
                return err_set(e, 422, "duplicate_symptom", field, "同一症状填写了两次");
        snprintf(out->symptoms[out->nsymptoms++], sizeof out->symptoms[0], "%s", code);
    }
    int has_fever = 0;
    for (int k = 0; k < out->nsymptoms; k++)
        has_fever |= strcmp(out->symptoms[k], "fever") == 0;
    if (!isnan(out->temperature_c) && out->temperature_c >= fever_c && !has_fever) {
        if (out->nsymptoms == CARE_MAX_SYMPTOMS)
            return err_set(e, 422, "too_many_symptoms", "symptoms", "症状最多 %d 项", CARE_MAX_SYMPTOMS);
        snprintf(out->symptoms[out->nsymptoms++], sizeof out->symptoms[0], "fever");
    }
    return 0;
}

int care_check_tells_guardian(const struct care_check *c)
{
    return strcmp(c->action, "send_home") == 0 || strcmp(c->action, "notify_guardian") == 0;
}

void care_symptoms_join(const struct care_check *c, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int k = 0; k < c->nsymptoms && len < cap; k++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? "," : "", c->symptoms[k]);
}

json_t *care_labels_json(void)
{
    json_t *symptoms = json_array(), *names = json_object();
    for (size_t i = 0; i < NSYMPTOMS; i++)
        json_array_append_new(symptoms, json_pack("{s:s, s:s, s:s, s:s}", "code", SYMPTOMS[i].code, "name",
                                                  SYMPTOMS[i].name, "group", SYMPTOMS[i].group, "group_name",
                                                  SYMPTOMS[i].group_name));
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
        json_object_set_new(names, NAMES[i].code, json_string(NAMES[i].name));
    return json_pack("{s:o, s:o}", "symptoms", symptoms, "names", names);
}

const char *care_name(const char *code)
{
    for (size_t i = 0; code && i < sizeof NAMES / sizeof *NAMES; i++)
        if (strcmp(NAMES[i].code, code) == 0)
            return NAMES[i].name;
    return "";
}

int care_time_valid(const char *t) { return date_hhmm_minutes(t) >= 0; }

int care_entry_kind_valid(const char *kind)
{
    return kind && (strcmp(kind, "health_check") == 0 || strcmp(kind, "vaccination") == 0);
}

int care_result_valid(const char *result) { return result && (strcmp(result, "pass") == 0 || strcmp(result, "fail") == 0); }

static int cause_valid(const char *c)
{
    return strcmp(c, "illness") == 0 || strcmp(c, "family") == 0 || strcmp(c, "other") == 0;
}

int care_sheet_from_json(const json_t *body, const char *today, struct care_sheet *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->class_id = (int64_t)jfield_number(body, "class_id");
    jfield_copy(body, "date", out->day, sizeof out->day);
    if (strcmp(out->day, today) > 0)
        return err_set(e, 422, "future_date", "date", "不能登记今天以后的考勤");
    const json_t *items = json_object_get(body, "entries");
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        char field[48];
        struct care_entry *x = &out->entries[out->n];
        x->child_id = (int64_t)jfield_number(it, "child_id");
        for (int k = 0; k < out->n; k++)
            if (out->entries[k].child_id == x->child_id) {
                snprintf(field, sizeof field, "entries[%zu].child_id", i);
                return err_set(e, 422, "duplicate_child", field, "同一名婴幼儿在考勤表中出现了两次");
            }
        const char *status = jfield_text(it, "status");
        if (strcmp(status, "present") && strcmp(status, "absent")) {
            snprintf(field, sizeof field, "entries[%zu].status", i);
            return err_set(e, 422, "bad_status", field, "出勤只能是到园（present）或缺勤（absent）");
        }
        x->present = strcmp(status, "present") == 0;
        jfield_copy(it, "check_in", x->check_in, sizeof x->check_in);
        jfield_copy(it, "absence_cause", x->absence_cause, sizeof x->absence_cause);
        jfield_copy(it, "symptom", x->symptom, sizeof x->symptom);
        jfield_copy(it, "note", x->note, sizeof x->note);
        double by = jfield_number(it, "brought_by");
        x->brought_by = isnan(by) ? 0 : (int64_t)by;
        if (x->present) {
            if (!care_time_valid(x->check_in)) {
                snprintf(field, sizeof field, "entries[%zu].check_in", i);
                return err_set(e, 422, "bad_time", field, "到园须填写入园时间（时:分，如 08:05）");
            }
            if (x->absence_cause[0] || x->symptom[0]) {
                snprintf(field, sizeof field, "entries[%zu].absence_cause", i);
                return err_set(e, 422, "cause_when_present", field, "到园的婴幼儿不填缺勤原因");
            }
        } else {
            if (x->check_in[0] || x->brought_by) {
                snprintf(field, sizeof field, "entries[%zu].check_in", i);
                return err_set(e, 422, "check_in_when_absent", field, "缺勤的婴幼儿不填入园时间和送园人");
            }
            if (x->absence_cause[0] && !cause_valid(x->absence_cause)) {
                snprintf(field, sizeof field, "entries[%zu].absence_cause", i);
                return err_set(e, 422, "bad_cause", field, "缺勤原因只能是病假（illness）、事假（family）或其他（other）");
            }
            if (x->symptom[0] && strcmp(x->absence_cause, "illness")) {
                snprintf(field, sizeof field, "entries[%zu].symptom", i);
                return err_set(e, 422, "symptom_without_illness", field, "只有病假才填写症状");
            }
        }
        out->n++;
    }
    return 0;
}

int care_gate(const struct care_gate_state *s, const char *day, int present, int recheck_months, const char *field,
              struct err *e)
{
    if (!s->in_class)
        return err_set(e, 422, "not_in_class", field, "该婴幼儿当天不在这个班级");
    if (!present)
        return 0;
    if (!s->health_pass[0] || !s->vaccination_pass[0])
        return err_set(e, 422, "entry_checks_missing", field,
                       "入托前须登记合格的入托体检和预防接种证查验（《托育机构管理规范（试行）》第十一条）");
    if (s->last_present[0]) {
        char back[DATE_DAY_LEN];
        /* away recheck_months or more: a health check after the last day present */
        if (date_add_months(s->last_present, recheck_months, back) == 0 && strcmp(day, back) >= 0 &&
            strcmp(s->health_pass, s->last_present) <= 0)
            return err_set(e, 422, "recheck_required", field,
                           "离园%d个月以上返回，须重新体检合格后才能入园（《托育机构管理规范（试行）》第十一条）",
                           recheck_months);
    }
    return 0;
}

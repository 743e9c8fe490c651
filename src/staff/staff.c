/* staff.c — the staff record: parsing and validating it from JSON, writing it as JSON, the
 * staffing counts of an institution from its roster, and the findings about its people. Pure:
 * no database, no clock (today is passed in). */
#include "staff/staff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/date.h"
#include "base/idcard.h"
#include "base/json.h"
#include "base/parse.h"
#include "base/sheet.h"
#include "base/xlsx.h"

static const struct {
    const char *code, *name;
} ROLES[STAFF_ROLE_COUNT] = {
    [STAFF_DIRECTOR] = {"director", "负责人"}, [STAFF_CAREGIVER] = {"caregiver", "保育人员"},
    [STAFF_HEALTH] = {"health", "保健人员"},   [STAFF_SECURITY] = {"security", "保安人员"},
    [STAFF_COOK] = {"cook", "炊事人员"},       [STAFF_OTHER] = {"other", "其他"},
};

#define ROLE(r) (1u << (r))
/* Certificate kinds and the roles a certificate of the kind is for (设置标准 Art. 18: the
 * director's job training, the 保健人员's 妇幼保健 training, the 保安员证; 保育师 and 育婴员 are
 * the national occupational standards of domain-rules §6.2). A 负责人 may hold a carer's or a
 * health qualification too. */
static const struct {
    const char *kind, *name;
    unsigned roles;
    int graded; /* 国家职业技能等级 1–5 */
} KINDS[] = {
    {"childcare_worker", "保育师", ROLE(STAFF_CAREGIVER) | ROLE(STAFF_DIRECTOR), 1},
    {"infant_carer", "育婴员", ROLE(STAFF_CAREGIVER) | ROLE(STAFF_DIRECTOR), 1},
    {"teacher", "教师资格证", ROLE(STAFF_CAREGIVER) | ROLE(STAFF_DIRECTOR), 0},
    {"nurse", "护士执业证书", ROLE(STAFF_HEALTH) | ROLE(STAFF_DIRECTOR), 0},
    {"doctor", "医师执业证书", ROLE(STAFF_HEALTH) | ROLE(STAFF_DIRECTOR), 0},
    {"health_training", "卫生保健培训合格证明", ROLE(STAFF_HEALTH) | ROLE(STAFF_DIRECTOR), 0},
    {"director_training", "负责人岗位培训合格证明", ROLE(STAFF_DIRECTOR), 0},
    {"security_guard", "保安员证", ROLE(STAFF_SECURITY), 0},
    {"cook", "厨师（中式烹调师）证书", ROLE(STAFF_COOK), 0},
};
#define NKINDS (sizeof KINDS / sizeof *KINDS)

const char *staff_role_code(enum staff_role r) { return r < STAFF_ROLE_COUNT ? ROLES[r].code : ""; }
const char *staff_role_name(enum staff_role r) { return r < STAFF_ROLE_COUNT ? ROLES[r].name : ""; }

int staff_role_from_code(const char *code)
{
    for (int i = 0; code && i < STAFF_ROLE_COUNT; i++)
        if (strcmp(code, ROLES[i].code) == 0)
            return i;
    return -1;
}

static int kind_index(const char *kind)
{
    for (size_t i = 0; kind && i < NKINDS; i++)
        if (strcmp(kind, KINDS[i].kind) == 0)
            return (int)i;
    return -1;
}

const char *staff_cert_kind_name(const char *kind)
{
    int k = kind_index(kind);
    return k < 0 ? NULL : KINDS[k].name;
}

int staff_cert_fits_role(const char *kind, enum staff_role role)
{
    int k = kind_index(kind);
    return k >= 0 && role < STAFF_ROLE_COUNT && (KINDS[k].roles & ROLE(role));
}

int staff_on_duty(const struct staff *s, const char *day)
{
    return strcmp(s->start_date, day) <= 0 && (!s->end_date[0] || strcmp(s->end_date, day) >= 0);
}

/* ---- the request body ---- */

#include "staff/staff.schemas.inc"

static void copy_date(const json_t *o, const char *key, char out[11])
{
    const json_t *v = json_object_get(o, key);
    snprintf(out, 11, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static int parse_cert(const json_t *c, size_t i, enum staff_role role, const char *today, struct staff_cert *k,
                      struct err *e)
{
    char field[48];
    memset(k, 0, sizeof *k);
    jfield_copy(c, "kind", k->kind, sizeof k->kind);
    jfield_copy(c, "number", k->number, sizeof k->number);
    jfield_copy(c, "issuer", k->issuer, sizeof k->issuer);
    copy_date(c, "issue_date", k->issue_date);
    copy_date(c, "expiry_date", k->expiry_date);
    const json_t *grade = json_object_get(c, "grade");
    k->grade = json_is_integer(grade) ? (int)json_integer_value(grade) : 0;
    int kind = kind_index(k->kind);
    snprintf(field, sizeof field, "certificates[%zu].kind", i);
    if (kind < 0)
        return err_set(e, 422, "bad_cert_kind", field, "证书类型无效：%s", k->kind);
    if (!staff_cert_fits_role(k->kind, role))
        return err_set(e, 422, "cert_role_mismatch", field, "%s与岗位「%s」不符", KINDS[kind].name, staff_role_name(role));
    snprintf(field, sizeof field, "certificates[%zu].grade", i);
    if (KINDS[kind].graded && !k->grade)
        return err_set(e, 422, "required", field, "%s须填写职业技能等级（1 一级 … 5 五级）", KINDS[kind].name);
    if (!KINDS[kind].graded && k->grade)
        return err_set(e, 422, "grade_not_applicable", field, "%s没有职业技能等级", KINDS[kind].name);
    snprintf(field, sizeof field, "certificates[%zu].issue_date", i);
    if (strcmp(k->issue_date, today) > 0)
        return err_set(e, 422, "future_date", field, "发证日期不能晚于今天（%s）", today);
    snprintf(field, sizeof field, "certificates[%zu].expiry_date", i);
    if (k->expiry_date[0] && strcmp(k->expiry_date, k->issue_date) <= 0)
        return err_set(e, 422, "expiry_before_issue", field, "有效期至（%s）应晚于发证日期（%s）", k->expiry_date,
                       k->issue_date);
    return 0;
}

int staff_from_json(const json_t *body, const struct staff_rules *rules, const char *today, int creating,
                    struct staff *out, struct err *e)
{
    jfield_copy(body, "name", out->name, sizeof out->name);
    const json_t *idn = json_object_get(body, "id_number");
    if (creating && !json_is_string(idn))
        return err_set(e, 422, "required", "id_number", "请填写身份证号码");
    if (json_is_string(idn)) {
        struct idcard_info info;
        if (idcard_validate(json_string_value(idn), today, &info, e) < 0)
            return -1;
        snprintf(out->id_number, sizeof out->id_number, "%s", info.number);
    }
    int role = staff_role_from_code(jfield_text(body, "role"));
    if (role < 0)
        return err_set(e, 422, "bad_role", "role", "岗位无效（应为 director/caregiver/health/security/cook/other）");
    out->role = (enum staff_role)role;
    jfield_copy(body, "employment", out->employment, sizeof out->employment);
    if (strcmp(out->employment, "full_time") && strcmp(out->employment, "part_time"))
        return err_set(e, 422, "bad_employment", "employment", "用工形式应为 full_time（全职）或 part_time（兼职）");
    copy_date(body, "start_date", out->start_date);
    copy_date(body, "end_date", out->end_date);
    if (out->end_date[0] && strcmp(out->end_date, out->start_date) < 0)
        return err_set(e, 422, "end_before_start", "end_date", "离职日期不能早于入职日期（%s）", out->start_date);
    copy_date(body, "health_cert_date", out->health_cert_date);
    copy_date(body, "no_crime_cert_date", out->no_crime_cert_date);
    if (strcmp(out->health_cert_date, today) > 0)
        return err_set(e, 422, "future_date", "health_cert_date", "健康证明日期不能晚于今天（%s）", today);
    if (strcmp(out->no_crime_cert_date, today) > 0)
        return err_set(e, 422, "future_date", "no_crime_cert_date", "无犯罪记录证明日期不能晚于今天（%s）", today);
    out->health_cert_expiry[0] = 0;
    if (out->health_cert_date[0]) {
        /* valid for N months: through the day before the date's Nth month anniversary */
        char anniversary[DATE_DAY_LEN];
        date_add_months(out->health_cert_date, rules->health_check_months, anniversary);
        date_add_days(anniversary, -1, out->health_cert_expiry);
    }
    out->nclasses = 0;
    const json_t *classes = json_object_get(body, "class_ids"), *v;
    size_t i;
    json_array_foreach(classes, i, v)
    {
        if (out->role != STAFF_CAREGIVER)
            return err_set(e, 422, "class_for_caregiver", "class_ids", "只有保育人员可以分配到班级");
        for (int k = 0; k < out->nclasses; k++)
            if (out->class_ids[k] == json_integer_value(v))
                return err_set(e, 422, "duplicate_class", "class_ids", "同一班级重复分配");
        out->class_ids[out->nclasses++] = json_integer_value(v);
    }
    out->ncerts = 0;
    json_array_foreach(json_object_get(body, "certificates"), i, v)
    {
        if (parse_cert(v, i, out->role, today, &out->certs[out->ncerts], e) < 0)
            return -1;
        out->ncerts++;
    }
    return 0;
}

json_t *staff_to_json(const struct staff *s, int full_name)
{
    json_t *classes = json_array(), *certs = json_array();
    for (int i = 0; i < s->nclasses; i++)
        json_array_append_new(classes, json_integer(s->class_ids[i]));
    for (int i = 0; i < s->ncerts; i++) {
        const struct staff_cert *c = &s->certs[i];
        json_t *o = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s?}", "kind", c->kind, "kind_name",
                              staff_cert_kind_name(c->kind), "number", c->number, "issuer", c->issuer, "issue_date",
                              c->issue_date, "expiry_date", c->expiry_date[0] ? c->expiry_date : NULL);
        if (c->id)
            json_object_set_new(o, "id", json_integer(c->id));
        json_object_set_new(o, "grade", c->grade ? json_integer(c->grade) : json_null());
        json_array_append_new(certs, o);
    }
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o}", "id",
                          (json_int_t)s->id, "institution_id", (json_int_t)s->institution_id, "name",
                          full_name && s->name[0] ? s->name : s->name_masked, "id_masked", s->id_masked, "role",
                          staff_role_code(s->role), "role_name", staff_role_name(s->role), "employment",
                          s->employment, "start_date", s->start_date, "end_date",
                          s->end_date[0] ? s->end_date : NULL, "health_cert_date",
                          s->health_cert_date[0] ? s->health_cert_date : NULL, "health_cert_expiry",
                          s->health_cert_expiry[0] ? s->health_cert_expiry : NULL, "no_crime_cert_date",
                          s->no_crime_cert_date[0] ? s->no_crime_cert_date : NULL, "class_ids", classes,
                          "certificates", certs);
    if (s->institution_name[0])
        json_object_set_new(o, "institution_name", json_string(s->institution_name));
    if (s->updated_at[0])
        json_object_set_new(o, "updated_at", json_string(s->updated_at));
    return o;
}

/* ---- staffing and findings ---- */

void staff_apply_staffing(struct institution *in, const struct staff *list, int n, const char *today)
{
    in->health_workers = 0;
    for (int c = 0; c < in->nclasses; c++)
        in->classes[c].caregivers = 0;
    for (int i = 0; i < n; i++) {
        const struct staff *s = &list[i];
        if (s->institution_id != in->id || !staff_on_duty(s, today))
            continue;
        if (s->role == STAFF_HEALTH && strcmp(s->employment, "full_time") == 0)
            in->health_workers++;
        if (s->role != STAFF_CAREGIVER)
            continue;
        for (int k = 0; k < s->nclasses; k++)
            for (int c = 0; c < in->nclasses; c++)
                if (in->classes[c].id == s->class_ids[k])
                    in->classes[c].caregivers++;
    }
}

static const struct {
    const char *code, *name;
} RULE_NAMES[] = {
    {"director_missing", "负责人"},           {"health_cert_missing", "健康证明缺失"},
    {"health_cert_lapsed", "健康证明过期"},   {"health_cert_expiring", "健康证明即将到期"},
    {"no_crime_record_missing", "无犯罪记录证明"}, {"certificate_lapsed", "资格证书过期"},
    {"certificate_expiring", "资格证书即将到期"}, {"prejob_training_missing", "岗前培训"},
};

json_t *staff_summary_json(struct institution *in, const struct staff *list, int n, const struct staff_rules *rules,
                           const char *today)
{
    int by_role[STAFF_ROLE_COUNT] = {0}, on_duty = 0, lapsed = 0, expiring = 0;
    char warn[DATE_DAY_LEN];
    date_add_days(today, rules->warning_days, warn);
    for (int i = 0; i < n; i++) {
        const struct staff *s = &list[i];
        if (s->institution_id != in->id || !staff_on_duty(s, today))
            continue;
        on_duty++;
        by_role[s->role]++;
        const char *dates[STAFF_MAX_CERTS + 1];
        int nd = 0;
        if (s->health_cert_expiry[0])
            dates[nd++] = s->health_cert_expiry;
        for (int k = 0; k < s->ncerts; k++)
            if (s->certs[k].expiry_date[0])
                dates[nd++] = s->certs[k].expiry_date;
        for (int k = 0; k < nd; k++) {
            lapsed += strcmp(dates[k], today) < 0;
            expiring += strcmp(dates[k], today) >= 0 && strcmp(dates[k], warn) <= 0;
        }
    }
    staff_apply_staffing(in, list, n, today);
    json_t *roles = json_object(), *classes = json_array();
    for (int r = 0; r < STAFF_ROLE_COUNT; r++)
        json_object_set_new(roles, ROLES[r].code, json_integer(by_role[r]));
    for (int c = 0; c < in->nclasses; c++)
        json_array_append_new(classes, json_pack("{s:I, s:i}", "id", (json_int_t)in->classes[c].id, "caregivers",
                                                 in->classes[c].caregivers));
    return json_pack("{s:s, s:i, s:o, s:i, s:o, s:i, s:i}", "as_of", today, "on_duty", on_duty, "by_role", roles,
                     "health_workers", in->health_workers, "classes", classes, "lapsed", lapsed, "expiring", expiring);
}

int staff_post_month(const struct staff *s, const char *month, struct staff_post_month *out)
{
    memset(out, 0, sizeof *out);
    int y, m;
    char first[DATE_DAY_LEN], last[DATE_DAY_LEN];
    if (s->role != STAFF_CAREGIVER || sscanf(month, "%4d-%2d", &y, &m) != 2 || !date_days_in_month(y, m))
        return 0;
    snprintf(first, sizeof first, "%04d-%02d-01", y, m);
    snprintf(last, sizeof last, "%04d-%02d-%02d", y, m, date_days_in_month(y, m));
    if (strcmp(s->start_date, last) > 0 || (s->end_date[0] && strcmp(s->end_date, first) < 0))
        return 0;
    const char *from = strcmp(s->start_date, first) > 0 ? s->start_date : first;
    const char *to = s->end_date[0] && strcmp(s->end_date, last) < 0 ? s->end_date : last;
    int64_t span = 0;
    date_days_between(from, to, &span, &(struct err){0});
    out->days = (int)span + 1;
    char day_after[DATE_DAY_LEN];
    date_add_days(to, 1, day_after);
    out->months = date_months_between(s->start_date, day_after);
    if (out->months < 0)
        out->months = 0;
    for (int k = 0; k < s->ncerts; k++) {
        const struct staff_cert *c = &s->certs[k];
        int qualifies = (strcmp(c->kind, "childcare_worker") == 0 || strcmp(c->kind, "infant_carer") == 0) && c->grade &&
                        strcmp(c->issue_date, last) <= 0 && (!c->expiry_date[0] || strcmp(c->expiry_date, last) >= 0);
        if (qualifies && (!out->grade || c->grade < out->grade)) {
            out->grade = c->grade;
            out->kind = c->kind;
        }
    }
    return 1;
}

json_t *staff_labels_json(void)
{
    json_t *roles = json_object(), *kinds = json_array();
    for (int r = 0; r < STAFF_ROLE_COUNT; r++)
        json_object_set_new(roles, ROLES[r].code, json_string(ROLES[r].name));
    for (size_t k = 0; k < NKINDS; k++) {
        json_t *fits = json_array();
        for (int r = 0; r < STAFF_ROLE_COUNT; r++)
            if (KINDS[k].roles & ROLE(r))
                json_array_append_new(fits, json_string(ROLES[r].code));
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:o, s:b}", "code", KINDS[k].kind, "name", KINDS[k].name,
                                               "roles", fits, "graded", KINDS[k].graded));
    }
    return json_pack("{s:o, s:o}", "roles", roles, "cert_kinds", kinds);
}

json_t *staff_rule_names_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof RULE_NAMES / sizeof *RULE_NAMES; i++)
        json_object_set_new(o, RULE_NAMES[i].code, json_string(RULE_NAMES[i].name));
    return o;
}


int staff_findings(const struct staff *list, int n, const struct staff_rules *r, const char *today,
                   struct finding *out, int max)
{
    int nf = 0, directors = 0;
    char warn[DATE_DAY_LEN], words[DATE_WORDS_LEN];
    date_add_days(today, r->warning_days, warn);
    for (int i = 0; i < n; i++) {
        const struct staff *s = &list[i];
        if (!staff_on_duty(s, today))
            continue;
        directors += s->role == STAFF_DIRECTOR;
        const char *who = s->name_masked, *role = staff_role_name(s->role);
        if (!s->health_cert_expiry[0])
            nf = finding_add(out, max, nf, "health_cert_missing", "high", r->basis_health, 0, s->id, "%s %s 未登记健康证明（上岗前须体检合格）",
                     role, who);
        else if (strcmp(s->health_cert_expiry, today) < 0)
            nf = finding_add(out, max, nf, "health_cert_lapsed", "high", r->basis_health, 0, s->id, "%s %s 的健康证明已于 %s 过期", role,
                     who, date_words(s->health_cert_expiry, words, sizeof words));
        else if (strcmp(s->health_cert_expiry, warn) <= 0)
            nf = finding_add(out, max, nf, "health_cert_expiring", "low", r->basis_health, 0, s->id, "%s %s 的健康证明将于 %s 到期",
                     role, who, date_words(s->health_cert_expiry, words, sizeof words));
        if (r->no_crime_required && !s->no_crime_cert_date[0])
            nf = finding_add(out, max, nf, "no_crime_record_missing", "high", r->basis_no_crime, 0, s->id, "%s %s 未登记无犯罪记录证明",
                     role, who);
        if (r->prejob_required && !s->prejob_date[0])
            nf = finding_add(out, max, nf, "prejob_training_missing", "medium", r->basis_prejob, 0, s->id, "%s %s 未完成岗前培训",
                     role, who);
        for (int k = 0; r->certified_posts && k < s->ncerts; k++) {
            const struct staff_cert *c = &s->certs[k];
            if (!c->expiry_date[0] || strcmp(c->expiry_date, warn) > 0)
                continue;
            int lapsed = strcmp(c->expiry_date, today) < 0;
            nf = finding_add(out, max, nf, lapsed ? "certificate_lapsed" : "certificate_expiring", lapsed ? "medium" : "low",
                     r->basis_certified, 0, s->id, "%s %s 的%s（%s）%s %s%s", role, who, staff_cert_kind_name(c->kind),
                     c->number, lapsed ? "已于" : "将于", date_words(c->expiry_date, words, sizeof words),
                     lapsed ? "过期" : "到期");
        }
    }
    if (r->director_required && !directors)
        nf = finding_add(out, max, nf, "director_missing", "high", r->basis_director, 0, 0, "未登记在岗的负责人");
    return nf;
}

/* Did before hold a certificate of kind and number expiring on expiry? */
static int held(const struct staff *before, const char *kind, const char *number, const char *expiry)
{
    if (!before)
        return 0;
    if (strcmp(kind, "health") == 0)
        return strcmp(before->health_cert_expiry, expiry) == 0;
    for (int i = 0; i < before->ncerts; i++)
        if (strcmp(before->certs[i].kind, kind) == 0 && strcmp(before->certs[i].number, number) == 0 &&
            strcmp(before->certs[i].expiry_date, expiry) == 0)
            return 1;
    return 0;
}

static int remind(const struct staff *before, const struct staff *s, const struct staff_rules *r, const char *today,
                  const char *kind, const char *number, const char *what, const char *expiry,
                  struct staff_reminder *out, int n, int max)
{
    char warn[DATE_DAY_LEN], lapse[DATE_DAY_LEN], words[DATE_WORDS_LEN];
    date_add_days(expiry, -r->warning_days, warn);
    date_add_days(expiry, 1, lapse);
    /* nobody to remind about a person gone by then */
    if (s->end_date[0] && strcmp(s->end_date, expiry) < 0)
        return n;
    int sent = held(before, kind, number, expiry);
    date_words(expiry, words, sizeof words);
    const char *role = staff_role_name(s->role), *who = s->name_masked;
    if (n < max && strcmp(lapse, today) > 0 && (strcmp(warn, today) > 0 || !sent)) {
        struct staff_reminder *m = &out[n++];
        snprintf(m->kind, sizeof m->kind, "staff.cert_expiring");
        snprintf(m->day, sizeof m->day, "%s", strcmp(warn, today) > 0 ? warn : today);
        snprintf(m->subject, sizeof m->subject, "证书即将到期：%s %s的%s", role, who, what);
        snprintf(m->body, sizeof m->body, "%s %s 的%s%s%s%s 将于 %s 到期，请及时%s并更新人员记录。", role, who, what,
                 number[0] ? "（" : "", number, number[0] ? "）" : "", words,
                 strcmp(kind, "health") == 0 ? "安排体检" : "办理续期");
    }
    if (n < max && (strcmp(lapse, today) > 0 || !sent)) {
        struct staff_reminder *m = &out[n++];
        snprintf(m->kind, sizeof m->kind, "staff.cert_lapsed");
        snprintf(m->day, sizeof m->day, "%s", lapse);
        snprintf(m->subject, sizeof m->subject, "证书已过期：%s %s的%s", role, who, what);
        snprintf(m->body, sizeof m->body, "%s %s 的%s%s%s%s 已于 %s 到期。证书过期期间不符合持证上岗要求，请尽快更新。", role,
                 who, what, number[0] ? "（" : "", number, number[0] ? "）" : "", words);
    }
    return n;
}

int staff_reminders(const struct staff *before, const struct staff *s, const struct staff_rules *rules,
                    const char *today, struct staff_reminder *out, int max)
{
    int n = 0;
    if (s->health_cert_expiry[0])
        n = remind(before, s, rules, today, "health", "", "健康证明", s->health_cert_expiry, out, n, max);
    for (int i = 0; i < s->ncerts; i++)
        if (s->certs[i].expiry_date[0])
            n = remind(before, s, rules, today, s->certs[i].kind, s->certs[i].number,
                       staff_cert_kind_name(s->certs[i].kind), s->certs[i].expiry_date, out, n, max);
    return n;
}

/* The members of institution id in roster (in institution order): [*first, *last). */
static void range(const struct staff *roster, int n, int64_t id, int *first, int *last)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (roster[mid].institution_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = *last = lo;
    while (*last < n && roster[*last].institution_id == id)
        (*last)++;
}

void staff_apply_roster(struct institution *list, int n, const struct staff *roster, int nroster, const char *today)
{
    for (int i = 0; i < n; i++) {
        int first, last;
        range(roster, nroster, list[i].id, &first, &last);
        staff_apply_staffing(&list[i], roster + first, last - first, today);
    }
}

int staff_institution_findings(struct institution *in, const struct staff *roster, int nroster,
                               const struct registry_rules *rules, const char *const basis[RULE_COUNT],
                               const struct staff_rules *srules, const char *today, struct finding *out, int max)
{
    int first, last;
    range(roster, nroster, in->id, &first, &last);
    staff_apply_staffing(in, roster + first, last - first, today);
    int nf = registry_findings(in, rules, basis, today, out, max);
    return nf + staff_findings(roster + first, last - first, srules, today, out + nf, max - nf);
}

/* ---- import ---- */

/* The member of the request body each template column fills (in the template's order). */
static const char *const IMPORT_MEMBER[STAFF_IMPORT_COLS] = {
    "name", "id_number", "role", "employment", "start_date", "end_date", "class_ids", "health_cert_date",
    "no_crime_cert_date", "certificates[0].kind", "certificates[0].grade", "certificates[0].number",
    "certificates[0].issuer", "certificates[0].issue_date", "certificates[0].expiry_date",
};

/* The template's columns for the table reader: headings only (no English keys: the staff
 * template is the one format). */
static const struct sheet_column IMPORT_COLUMNS[STAFF_IMPORT_COLS] = {
    {"姓名", NULL, 1},     {"身份证号", NULL, 1}, {"岗位", NULL, 0},       {"用工形式", NULL, 0},
    {"入职日期", NULL, 0}, {"离职日期", NULL, 0}, {"所带班级", NULL, 0},   {"健康证明日期", NULL, 0},
    {"无犯罪记录证明日期", NULL, 0}, {"证书类型", NULL, 0}, {"技能等级", NULL, 0}, {"证书编号", NULL, 0},
    {"发证机关", NULL, 0}, {"发证日期", NULL, 0}, {"有效期至", NULL, 0},
};

const char *staff_import_heading(enum staff_import_col c) { return IMPORT_COLUMNS[c].heading; }

int staff_import_template(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    (void)ctx;
    static const char *const EXAMPLE[STAFF_IMPORT_COLS] = {
        "林晓燕", "11010519491231002X", "保育人员", "全职", "2024-09-01", "", "托大一班", "2026-03-01", "2024-08-20",
        "保育师", "四级", "BYS-2024-0001", "温州市人力资源和社会保障局", "2024-06-30", "2029-06-29"};
    static const char *const NOTES[] = {
        "工作人员导入模板 填写说明",
        "",
        "1. 每人一行；同一人有多张证书时，每张证书占一行，身份证号相同，姓名等其他信息不必重填。",
        "2. 必填：姓名、身份证号；岗位、用工形式、证书类型、技能等级可从下拉列表选择。",
        "3. 所带班级填本机构的班级名称，多个班级用顿号（、）分隔。",
        "4. 日期写作 2024-09-01、2024/9/1 或 Excel 日期；长期有效的证书不填有效期至。",
        "5. 文件可保存为 .xlsx，或 CSV（UTF-8 或 GBK 编码均可）。全部行正确才会导入；有错误时逐行列出，不导入任何人员。",
    };
    xlsx_next_row(x);
    for (int c = 0; c < STAFF_IMPORT_COLS; c++)
        if (xlsx_text(x, c, EXAMPLE[c], e) < 0)
            return -1;
    const char *roles[STAFF_ROLE_COUNT], *kinds[NKINDS];
    for (int r = 0; r < STAFF_ROLE_COUNT; r++)
        roles[r] = ROLES[r].name;
    for (size_t k = 0; k < NKINDS; k++)
        kinds[k] = KINDS[k].name;
    static const char *const EMPLOYMENT[] = {"全职", "兼职"}, *const GRADES[] = {"一级", "二级", "三级", "四级", "五级"};
    if (xlsx_choices(x, STAFF_COL_ROLE, roles, STAFF_ROLE_COUNT, e) < 0 ||
        xlsx_choices(x, STAFF_COL_EMPLOYMENT, EMPLOYMENT, 2, e) < 0 ||
        xlsx_choices(x, STAFF_COL_KIND, kinds, (int)NKINDS, e) < 0 || xlsx_choices(x, STAFF_COL_GRADE, GRADES, 5, e) < 0)
        return -1;
    return xlsx_notes(x, "填写说明", NOTES, (int)(sizeof NOTES / sizeof *NOTES), e);
}

int staff_import_file(const char *buf, size_t len, struct sheet_table *t, struct err *e)
{
    return sheet_read(buf, len, IMPORT_COLUMNS, STAFF_IMPORT_COLS, STAFF_IMPORT_MAX_ROWS, t, e);
}

/* The ID number of a row as compared: trimmed, x upper-cased. */
static void id_key(const char *cell, char out[32])
{
    sheet_trim(cell ? cell : "", out, 32);
    for (char *p = out; *p; p++)
        if (*p == 'x')
            *p = 'X';
}

int staff_import_merge(struct staff *into, const struct staff *row, struct err *e)
{
    for (int c = 0; c < row->ncerts; c++) {
        if (into->ncerts == STAFF_MAX_CERTS)
            return err_set(e, 422, "too_many", IMPORT_MEMBER[STAFF_COL_KIND], "一人最多 %d 张证书", STAFF_MAX_CERTS);
        if (!staff_cert_fits_role(row->certs[c].kind, into->role))
            return err_set(e, 422, "cert_role_mismatch", IMPORT_MEMBER[STAFF_COL_KIND], "%s与岗位「%s」不符",
                           staff_cert_kind_name(row->certs[c].kind), staff_role_name(into->role));
        into->certs[into->ncerts++] = row->certs[c];
    }
    return 0;
}

int staff_import_same_person(const char *const first[STAFF_IMPORT_COLS], const char *const row[STAFF_IMPORT_COLS])
{
    char a[32], b[32];
    id_key(first[STAFF_COL_ID], a);
    id_key(row[STAFF_COL_ID], b);
    return a[0] && strcmp(a, b) == 0;
}

void staff_import_fill(char *const first[STAFF_IMPORT_COLS], char *row[STAFF_IMPORT_COLS])
{
    for (int c = STAFF_COL_NAME; c <= STAFF_COL_NO_CRIME; c++) {
        char v[8];
        sheet_trim(row[c] ? row[c] : "", v, sizeof v);
        if (!v[0] && first[c]) {
            char *copy = strdup(first[c]);
            if (copy) {
                free(row[c]);
                row[c] = copy;
            }
        }
    }
}

static int column_of(const char *field)
{
    for (int c = 0; c < STAFF_IMPORT_COLS; c++) {
        size_t len = strlen(IMPORT_MEMBER[c]);
        if (strncmp(field, IMPORT_MEMBER[c], len) == 0 && (field[len] == 0 || field[len] == '['))
            return c;
    }
    return STAFF_COL_NAME;
}

int staff_import_row(const char *const cells[STAFF_IMPORT_COLS], const struct institution *in,
                     const struct staff_rules *rules, const char *today, struct staff *out, int *bad_col,
                     struct err *e)
{
    char v[STAFF_IMPORT_COLS][256];
    for (int c = 0; c < STAFF_IMPORT_COLS; c++) {
        const char *cell = cells[c] ? cells[c] : "";
        json_t *text = json_string(cell); /* NULL when not UTF-8 */
        json_decref(text);
        *bad_col = c;
        if (!text)
            return err_set(e, 422, "bad_utf8", IMPORT_MEMBER[c], "不是有效的 UTF-8 文字（CSV 请以 UTF-8 编码保存）");
        if (strlen(cell) >= sizeof v[c])
            return err_set(e, 422, "too_long", IMPORT_MEMBER[c], "内容过长");
        sheet_trim(cell, v[c], sizeof v[c]);
    }
    for (int c = STAFF_COL_START; c <= STAFF_COL_EXPIRY; c++)
        if (c == STAFF_COL_START || c == STAFF_COL_END || c == STAFF_COL_HEALTH || c == STAFF_COL_NO_CRIME || c == STAFF_COL_ISSUE || c == STAFF_COL_EXPIRY) {
            char d[256];
            sheet_date(v[c], d, sizeof d);
            snprintf(v[c], sizeof v[c], "%s", d);
        }
    json_t *body = json_object();
    json_object_set_new(body, "name", json_string(v[STAFF_COL_NAME]));
    json_object_set_new(body, "id_number", json_string(v[STAFF_COL_ID]));
    /* words as typed: the Chinese name or the code */
    const char *role = v[STAFF_COL_ROLE];
    for (int r = 0; r < STAFF_ROLE_COUNT; r++)
        if (strcmp(role, ROLES[r].name) == 0)
            role = ROLES[r].code;
    json_object_set_new(body, "role", json_string(role));
    const char *employment = strcmp(v[STAFF_COL_EMPLOYMENT], "全职") == 0   ? "full_time"
                             : strcmp(v[STAFF_COL_EMPLOYMENT], "兼职") == 0 ? "part_time"
                                                                      : v[STAFF_COL_EMPLOYMENT];
    json_object_set_new(body, "employment", json_string(employment));
    static const struct {
        int col;
        const char *member;
    } DATES[] = {{STAFF_COL_START, "start_date"}, {STAFF_COL_END, "end_date"}, {STAFF_COL_HEALTH, "health_cert_date"},
                 {STAFF_COL_NO_CRIME, "no_crime_cert_date"}};
    for (size_t i = 0; i < sizeof DATES / sizeof *DATES; i++)
        json_object_set_new(body, DATES[i].member, v[DATES[i].col][0] ? json_string(v[DATES[i].col]) : json_null());
    /* classes by name, separated by 、 , ; or ；*/
    json_t *classes = json_array();
    char names[256];
    snprintf(names, sizeof names, "%s", v[STAFF_COL_CLASSES]);
    for (char *p = names; *p;) {
        char *end = p;
        size_t skip = 0;
        while (*end && !(skip = strncmp(end, "、", 3) == 0 || strncmp(end, "；", 3) == 0 ? 3 : *end == ',' || *end == ';' ? 1 : 0))
            end++;
        char one[128], name[128];
        snprintf(one, sizeof one, "%.*s", (int)(end - p), p);
        sheet_trim(one, name, sizeof name);
        if (name[0]) {
            int found = -1;
            for (int k = 0; k < in->nclasses && found < 0; k++)
                if (strcmp(in->classes[k].name, name) == 0)
                    found = k;
            if (found < 0) {
                json_decref(classes);
                json_decref(body);
                *bad_col = STAFF_COL_CLASSES;
                return err_set(e, 422, "unknown_class", "class_ids", "本机构没有名为「%s」的班级", name);
            }
            json_array_append_new(classes, json_integer(in->classes[found].id));
        }
        p = *end ? end + skip : end;
    }
    json_object_set_new(body, "class_ids", classes);
    json_t *certs = json_array();
    if (v[STAFF_COL_KIND][0]) {
        const char *kind = v[STAFF_COL_KIND];
        for (size_t k = 0; k < NKINDS; k++)
            if (strcmp(kind, KINDS[k].name) == 0)
                kind = KINDS[k].kind;
        static const char *const GRADES[] = {"一级", "二级", "三级", "四级", "五级"};
        json_t *grade = json_null();
        for (int g = 0; g < 5; g++)
            if (strcmp(v[STAFF_COL_GRADE], GRADES[g]) == 0 || (v[STAFF_COL_GRADE][0] == '1' + g && !v[STAFF_COL_GRADE][1]))
                grade = json_integer(g + 1);
        if (v[STAFF_COL_GRADE][0] && json_is_null(grade)) {
            json_decref(certs);
            json_decref(body);
            *bad_col = STAFF_COL_GRADE;
            return err_set(e, 422, "bad_grade", "certificates[0].grade", "技能等级应为一级至五级（或 1–5）");
        }
        json_array_append_new(certs, json_pack("{s:s, s:o, s:s, s:s, s:s, s:o}", "kind", kind, "grade", grade,
                                               "number", v[STAFF_COL_NUMBER], "issuer", v[STAFF_COL_ISSUER], "issue_date",
                                               v[STAFF_COL_ISSUE], "expiry_date",
                                               v[STAFF_COL_EXPIRY][0] ? json_string(v[STAFF_COL_EXPIRY]) : json_null()));
    }
    json_object_set_new(body, "certificates", certs);
    /* the same checks as a request body: the schema, then the record */
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    json_t *checked = text ? http_json_check(&staff_schema, text, strlen(text), e) : NULL;
    free(text);
    int rc = checked ? staff_from_json(checked, rules, today, 1, out, e) : -1;
    json_decref(checked);
    if (rc < 0)
        *bad_col = column_of(e->field);
    return rc;
}

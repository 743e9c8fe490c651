/* incidents.c — the pure part of incidents and mandatory reports (incidents.h): coded lists,
 * request bodies, validation, the routing rule and the report's process table. No database, no
 * clock: the time comes in as an argument. */
#include "incidents/incidents.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"

/* The kinds (requirements C3.2). Two must be reported (托育机构管理规范（试行）, domain-rules §1.4):
 * Art. 25 — an institution that finds a child has suffered or is suspected of suffering domestic
 * violence reports it to the police (mandatory reporting); Art. 35 — zero tolerance of child
 * abuse. Both also go at once to the institution's town and the district health bureau, the
 * regulators of the institution. Suspected domestic violence is withheld from the family: the
 * person suspected may be the guardian the platform would tell, and telling them endangers the
 * child; the regulators and the police decide who is told. Suspected abuse in care is shown to
 * the family (it must be told what happened to its child), but never the report's handling. */
static const struct incident_kind KINDS[] = {
    {"fall", "跌倒、坠落", 0, 1, ""},
    {"collision", "碰撞、挤压", 0, 1, ""},
    {"bite", "咬伤、抓伤（含同伴之间）", 0, 1, ""},
    {"cut", "割伤、刺伤", 0, 1, ""},
    {"burn", "烧烫伤", 0, 1, ""},
    {"choking", "异物卡喉、气管异物", 0, 1, ""},
    {"foreign_body", "异物进入耳鼻眼", 0, 1, ""},
    {"allergy", "过敏反应", 0, 1, ""},
    {"poisoning", "误食、误服、中毒", 0, 1, ""},
    {"lost_child", "走失", 0, 1, ""},
    {"sudden_illness", "突发疾病", 0, 1, ""},
    {"other", "其他意外", 0, 1, ""},
    {"suspected_domestic_violence", "疑似遭受家庭暴力", 1, 0,
     "《托育机构管理规范（试行）》第二十五条（婴幼儿疑似遭受家庭暴力，向公安机关报案：强制报告）"},
    {"suspected_abuse", "疑似被虐待、伤害（在园）", 1, 1, "《托育机构管理规范（试行）》第三十五条（虐童零容忍）"},
};
#define NKINDS (sizeof KINDS / sizeof *KINDS)

static const struct {
    const char *code, *name;
} NAMES[] = {
    {"head", "头部"},        {"face", "面部"},          {"eye", "眼部"},           {"mouth", "口腔、牙齿"},
    {"neck", "颈部"},        {"chest", "胸部"},         {"back", "背部"},          {"abdomen", "腹部"},
    {"arm", "上肢"},         {"hand", "手部"},          {"leg", "下肢"},           {"foot", "足部"},
    {"genital", "会阴部"},   {"multiple", "多处"},      {"whole_body", "全身"},
    {"none", "无明显伤害"},  {"minor", "轻微（局部处理即可）"}, {"moderate", "中度（需就医处理）"},
    {"severe", "严重（需住院或危及生命）"},
    {"inbox", "平台消息（短信）"}, {"phone", "电话"},   {"in_person", "当面告知"},
    {"open", "处理中"},      {"closed", "已结案"},
    {"reported", "待签收"},  {"acknowledged", "已签收，处理中"}, {"handled", "已处理"},
};
#define NNAMES (sizeof NAMES / sizeof *NAMES)
static const char *const BODY_PARTS[] = {"head", "face", "eye", "mouth", "neck", "chest", "back", "abdomen", "arm",
                                         "hand", "leg", "foot", "genital", "multiple", "whole_body", NULL};
static const char *const SEVERITIES[] = {"none", "minor", "moderate", "severe", NULL};
static const char *const CHANNELS[] = {"phone", "in_person", NULL};

static int one_of(const char *v, const char *const *set)
{
    for (; v && *set; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

const struct incident_kind *incident_kind_find(const char *code)
{
    for (size_t i = 0; code && i < NKINDS; i++)
        if (strcmp(KINDS[i].code, code) == 0)
            return &KINDS[i];
    return NULL;
}

const char *incident_name(const char *code)
{
    for (size_t i = 0; code && i < NNAMES; i++)
        if (strcmp(NAMES[i].code, code) == 0)
            return NAMES[i].name;
    const struct incident_kind *k = incident_kind_find(code);
    return k ? k->name : "";
}

#include "incidents/incidents.schemas.inc"

/* A timestamp member: 0 when absent, else unix seconds; -1 with 422 bad_time when it does not parse. */
static int time_member(const json_t *body, const char *key, int64_t *out, struct err *e)
{
    const char *s = jfield_text(body, key);
    *out = 0;
    if (!s || !s[0])
        return 0;
    if (date_parse_timestamp(s, out) < 0)
        return err_set(e, 422, "bad_time", key, "时间格式应为带时区的 ISO 8601（如 2026-12-04T10:15:00+08:00）");
    return 0;
}

int incident_from_json(const json_t *body, int64_t now, struct incident_input *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->child_id = (int64_t)jfield_number(body, "child_id");
    jfield_copy(body, "kind", out->kind, sizeof out->kind);
    const struct incident_kind *k = incident_kind_find(out->kind);
    if (!k)
        return err_set(e, 422, "bad_kind", "kind", "未知的事件类型");
    if (time_member(body, "occurred_at", &out->occurred_at, e) < 0)
        return -1;
    if (out->occurred_at > now)
        return err_set(e, 422, "future_time", "occurred_at", "发生时间不能晚于现在");
    jfield_copy(body, "place", out->place, sizeof out->place);
    jfield_copy(body, "description", out->description, sizeof out->description);
    jfield_copy(body, "body_part", out->body_part, sizeof out->body_part);
    if (out->body_part[0] && !one_of(out->body_part, BODY_PARTS))
        return err_set(e, 422, "bad_body_part", "body_part", "未知的受伤部位");
    jfield_copy(body, "severity", out->severity, sizeof out->severity);
    if (!one_of(out->severity, SEVERITIES))
        return err_set(e, 422, "bad_severity", "severity", "伤害程度只能是无、轻微、中度或严重");
    if (out->body_part[0] && strcmp(out->severity, "none") == 0)
        return err_set(e, 422, "injury_without_severity", "severity", "填写了受伤部位，请选择伤害程度");
    if (!out->body_part[0] && strcmp(out->severity, "none"))
        return err_set(e, 422, "severity_without_injury", "body_part", "有伤害时请填写受伤部位");
    jfield_copy(body, "first_aid", out->first_aid, sizeof out->first_aid);
    out->hospital = json_is_true(json_object_get(body, "hospital"));
    jfield_copy(body, "hospital_note", out->hospital_note, sizeof out->hospital_note);
    if (out->hospital_note[0] && !out->hospital)
        return err_set(e, 422, "hospital_note_without_visit", "hospital_note", "未送医时不填就医情况");
    out->notify_guardian = json_is_true(json_object_get(body, "notify_guardian"));
    if (time_member(body, "guardian_notified_at", &out->guardian_notified_at, e) < 0)
        return -1;
    jfield_copy(body, "guardian_channel", out->guardian_channel, sizeof out->guardian_channel);
    if (!k->family_visible && (out->notify_guardian || out->guardian_notified_at))
        return err_set(e, 422, "guardian_notice_withheld", out->notify_guardian ? "notify_guardian" : "guardian_notified_at",
                       "疑似家庭暴力不经平台告知家长：是否及何时告知由镇街、区卫健局和公安机关决定");
    if (out->notify_guardian && out->guardian_notified_at)
        return err_set(e, 422, "guardian_twice", "guardian_notified_at", "已告知家长的时间与现在告知只能填一项");
    if (out->guardian_notified_at) {
        if (out->guardian_notified_at < out->occurred_at || out->guardian_notified_at > now)
            return err_set(e, 422, "bad_notice_time", "guardian_notified_at", "告知家长的时间应在发生时间之后、现在之前");
        if (!one_of(out->guardian_channel, CHANNELS))
            return err_set(e, 422, "bad_channel", "guardian_channel", "告知方式只能是电话（phone）或当面（in_person）");
    } else if (out->guardian_channel[0]) {
        return err_set(e, 422, "channel_without_time", "guardian_channel", "填写告知方式时须填写告知时间");
    }
    if (time_member(body, "police_reported_at", &out->police_reported_at, e) < 0)
        return -1;
    jfield_copy(body, "police_note", out->police_note, sizeof out->police_note);
    if ((out->police_reported_at || out->police_note[0]) && !k->mandatory)
        return err_set(e, 422, "police_not_applicable", "police_reported_at", "只有强制报告类事件登记报案情况");
    if (out->police_reported_at && (out->police_reported_at < out->occurred_at || out->police_reported_at > now))
        return err_set(e, 422, "bad_police_time", "police_reported_at", "报案时间应在发生时间之后、现在之前");
    return 0;
}

int incident_may_close(const char *status, int family_visible, int guardian_notified, struct err *e)
{
    if (strcmp(status, "open"))
        return err_set(e, 409, "incident_closed", "", "该事件已结案");
    if (family_visible && !guardian_notified)
        return err_set(e, 422, "guardian_not_notified", "", "结案前须告知家长（《托育机构管理规范（试行）》第二十四条：异常情况及时告知监护人）");
    return 0;
}

json_t *incident_labels_json(void)
{
    json_t *kinds = json_array(), *names = json_object(), *parts = json_array(), *sev = json_array();
    for (size_t i = 0; i < NKINDS; i++)
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:b, s:b, s:s}", "code", KINDS[i].code, "name",
                                               KINDS[i].name, "mandatory", KINDS[i].mandatory, "family_visible",
                                               KINDS[i].family_visible, "basis", KINDS[i].basis));
    for (size_t i = 0; BODY_PARTS[i]; i++)
        json_array_append_new(parts, json_pack("{s:s, s:s}", "code", BODY_PARTS[i], "name", incident_name(BODY_PARTS[i])));
    for (size_t i = 0; SEVERITIES[i]; i++)
        json_array_append_new(sev, json_pack("{s:s, s:s}", "code", SEVERITIES[i], "name", incident_name(SEVERITIES[i])));
    for (size_t i = 0; i < NNAMES; i++)
        json_object_set_new(names, NAMES[i].code, json_string(NAMES[i].name));
    return json_pack("{s:o, s:o, s:o, s:o}", "kinds", kinds, "body_parts", parts, "severities", sev, "names", names);
}

/* ---- the report's process ---- */

static const struct cases_step ACKNOWLEDGE = {"acknowledge", "签收强制报告", "report.acknowledge", NULL,
                                              "incident.report.ack_days", 0, CASES_FROM_ENTERED};
static const struct cases_step HANDLE = {"handle", "核查处理", "report.handle", NULL, NULL, 0, CASES_FROM_ENTERED};

static const struct cases_state REPORT_STATES[] = {
    {"reported", "待签收", 0, {&ACKNOWLEDGE, NULL}},
    {"acknowledged", "已签收，处理中", 0, {&HANDLE, NULL}},
    {"handled", "已处理", 1, {NULL}},
    {NULL},
};

static const struct cases_transition REPORT_TRANSITIONS[] = {
    {"reported", "acknowledge", "acknowledged", "签收", "report.acknowledge", 1, 0, 0, 0, 0, 0},
    {"acknowledged", "handle", "handled", "记录处理结果", "report.handle", 1, 0, 1, 0, 0, 0},
    {NULL},
};

const struct cases_process incident_report_process = {
    "incident_report", "强制报告（疑似家庭暴力、虐待）", "reported", REPORT_STATES, REPORT_TRANSITIONS,
    CASES_OUTCOME_NONE, NULL, 0, 0, "POST /api/v1/institutions/{id}/incidents",
};

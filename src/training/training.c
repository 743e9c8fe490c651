/* training.c — training of staff, pure (training.h): kinds, validation of what publishers send,
 * hours and completion, the certificate page. */
#include "training/training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/json.h"

static const struct {
    const char *code, *name;
} KINDS[] = {
    {"prejob", "岗前培训"},     {"periodic", "定期培训"},           {"first_aid", "急救培训"},
    {"infectious", "传染病防控培训"}, {"health_lecture", "医育结合讲座"},
};
#define NKINDS (sizeof KINDS / sizeof *KINDS)

const char *training_kind_name(const char *kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(KINDS[i].code, kind) == 0)
            return KINDS[i].name;
    return NULL;
}

json_t *training_kinds_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < NKINDS; i++)
        json_object_set_new(o, KINDS[i].code, json_string(KINDS[i].name));
    return o;
}

#include "training/training.schemas.inc"

int training_course_from_json(const json_t *body, struct training_course *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    jfield_copy(body, "kind", out->kind, sizeof out->kind);
    jfield_copy(body, "title", out->title, sizeof out->title);
    jfield_copy(body, "provider", out->provider, sizeof out->provider);
    jfield_copy(body, "description", out->description, sizeof out->description);
    jfield_copy(body, "town_code", out->town_code, sizeof out->town_code);
    if (!training_kind_name(out->kind))
        return err_set(e, 422, "bad_kind", "kind", "培训类别无效：%s", out->kind);
    return 0;
}

int training_session_from_json(const json_t *body, const char *today, struct training_session *out, struct err *e)
{
    int64_t course = out->course_id;
    memset(out, 0, sizeof *out);
    out->course_id = course;
    jfield_copy(body, "day", out->day, sizeof out->day);
    jfield_copy(body, "start_time", out->start_time, sizeof out->start_time);
    jfield_copy(body, "end_time", out->end_time, sizeof out->end_time);
    jfield_copy(body, "place", out->place, sizeof out->place);
    out->places = (int)json_integer_value(json_object_get(body, "places"));
    out->hours = (int)json_integer_value(json_object_get(body, "hours"));
    if (strcmp(out->day, today) < 0)
        return err_set(e, 422, "session_in_past", "day", "培训日期不能早于今天");
    int from = date_hhmm_minutes(out->start_time), to = date_hhmm_minutes(out->end_time);
    if (from < 0)
        return err_set(e, 422, "bad_time", "start_time", "开始时间应为 HH:MM");
    if (to < 0)
        return err_set(e, 422, "bad_time", "end_time", "结束时间应为 HH:MM");
    if (to <= from)
        return err_set(e, 422, "end_before_start", "end_time", "结束时间应晚于开始时间");
    return 0;
}

json_t *training_course_json(const struct training_course *c)
{
    return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)c->id, "town_code",
                     c->town_code[0] ? json_string(c->town_code) : json_null(), "kind", c->kind, "kind_name",
                     training_kind_name(c->kind), "title", c->title, "provider", c->provider, "description",
                     c->description[0] ? json_string(c->description) : json_null());
}

json_t *training_session_json(const struct training_session *s)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "id", (json_int_t)s->id, "course_id",
                     (json_int_t)s->course_id, "day", s->day, "start_time", s->start_time, "end_time", s->end_time,
                     "place", s->place, "places", s->places, "taken", s->taken, "free", s->places - s->taken, "hours",
                     s->hours);
}

int training_hours_of(const struct training_record *recs, int n, int64_t staff_id)
{
    int h = 0;
    for (int i = 0; i < n; i++)
        if (recs[i].staff_id == staff_id)
            h += recs[i].hours;
    return h;
}

json_t *training_completion_json(const struct staff *roster, int n, const struct training_record *recs, int nrecs,
                                 const struct training_rules *rules, const char *today)
{
    json_t *items = json_array(), *row = NULL;
    int64_t inst = 0;
    for (int i = 0; i < n; i++) {
        const struct staff *s = &roster[i];
        if (!staff_on_duty(s, today))
            continue;
        if (!row || s->institution_id != inst) {
            inst = s->institution_id;
            row = json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:i}", "institution_id", (json_int_t)inst,
                            "institution_name", s->institution_name, "town_code", s->town_code, "on_duty", 0,
                            "hours_met", 0, "prejob_missing", 0, "hours", 0);
            json_array_append_new(items, row);
        }
        int h = training_hours_of(recs, nrecs, s->id);
        const char *keys[] = {"on_duty", "hours_met", "prejob_missing", "hours"};
        int add[] = {1, h >= rules->annual_hours_min, !s->prejob_date[0], h};
        for (int k = 0; k < 4; k++)
            json_object_set_new(row, keys[k], json_integer(json_integer_value(json_object_get(row, keys[k])) + add[k]));
    }
    return items;
}

/* Append text to the buffer, HTML-escaped when esc. */
static void put(struct buf *b, const char *s, int esc)
{
    for (; *s; s++) {
        const char *r = NULL;
        if (esc)
            r = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;" : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
        buf_add(b, r ? r : s, r ? strlen(r) : 1);
    }
}

char *training_certificate_html(const struct training_certificate *c)
{
    struct buf b = {0};
    char num[32], hours[16];
    snprintf(num, sizeof num, "PX-%s-%06lld", c->day, (long long)c->enrolment_id);
    snprintf(hours, sizeof hours, "%d", c->hours);
    const char *kind = training_kind_name(c->kind);
    /* literal markup, then escaped values, in order */
    const char *parts[][2] = {
        {"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>培训合格证明</title><style>"
         "body{font-family:sans-serif;margin:3em}.cert{border:6px double #8a5a2b;padding:3em;max-width:40em;margin:auto;"
         "text-align:center}h1{letter-spacing:.5em}p{font-size:1.2em;line-height:2}.no{color:#666;font-size:.9em}"
         "</style></head><body><div class=\"cert\"><h1>培训合格证明</h1><p><b>", NULL},
        {NULL, c->name},
        {"</b>（", NULL}, {NULL, c->institution_name},
        {"）<br>于 ", NULL}, {NULL, c->day},
        {" 参加", NULL}, {NULL, kind ? kind : c->kind},
        {"「", NULL}, {NULL, c->title},
        {"」（授课：", NULL}, {NULL, c->provider},
        {"），考勤合格，计 ", NULL}, {NULL, hours},
        {" 学时。</p><p>", NULL}, {NULL, c->publisher},
        {"</p><p class=\"no\">证明编号 ", NULL}, {NULL, num},
        {"</p></div></body></html>", NULL},
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        put(&b, parts[i][0] ? parts[i][0] : parts[i][1], !parts[i][0]);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

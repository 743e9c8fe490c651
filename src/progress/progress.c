/* progress.c — quarters and the moves of a quarterly progress report (progress.h). Pure. */
#include "progress/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2023 /* the pilot plan's year: no report of an earlier quarter */

int progress_period_parse(const char *s, const char *field, struct progress_period *out, struct err *e)
{
    if (!s || strlen(s) != 7 || strspn(s, "0123456789") != 4 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' ||
        s[6] > '4' || atoi(s) < FIRST_YEAR || atoi(s) > 9999)
        return err_set(e, 422, "bad_period", field, "报告期应为“年份-Q季度”，如 2026-Q3（%d 年起）：%s", FIRST_YEAR,
                       s ? s : "");
    out->year = atoi(s);
    out->quarter = s[6] - '0';
    memcpy(out->code, s, 7);
    out->code[7] = 0;
    struct date_ymd first = {out->year, 3 * out->quarter - 2, 1};
    struct date_ymd last = {out->year, 3 * out->quarter, date_days_in_month(out->year, 3 * out->quarter)};
    date_format(&first, out->first);
    date_format(&last, out->last);
    return 0;
}

void progress_period_of(const char *day, struct progress_period *out)
{
    char code[32];
    int month = atoi(day + 5);
    snprintf(code, sizeof code, "%.4s-Q%d", day, (month + 2) / 3);
    struct err ignored = {0};
    progress_period_parse(code, "period", out, &ignored);
}

int progress_period_started(const struct progress_period *p, const char *today, struct err *e)
{
    if (strcmp(p->first, today) > 0)
        return err_set(e, 422, "period_not_started", "period", "报告期 %s 尚未开始（%s 起），不能报送", p->code, p->first);
    return 0;
}

void progress_period_due(const struct progress_period *p, int due_days, char out[DATE_DAY_LEN])
{
    date_add_days(p->last, due_days, out);
}

const char *progress_period_as_of(const struct progress_period *p, const char *today)
{
    return strcmp(p->last, today) < 0 ? p->last : today;
}

/* from          event       to           action            name        comment */
static const struct progress_move MOVES[] = {
    {"draft", "submit", "submitted", "progress.write", "报送", 0},
    {"returned", "submit", "submitted", "progress.write", "修改后重新报送", 0},
    {"submitted", "approve", "approved", "progress.review", "审核通过", 0},
    {"submitted", "return", "returned", "progress.review", "退回修改", 1},
    {"approved", "reopen", "", "progress.review", "重新打开更正", 1},
    {NULL},
};

static const char *const STATES[][2] = {
    {"draft", "填报中"}, {"submitted", "已报送待审核"}, {"returned", "已退回修改"},
    {"approved", "已审核（已锁定）"}, {"superseded", "已被更正版本取代"},
};

const char *progress_state_name(const char *state)
{
    for (size_t i = 0; i < sizeof STATES / sizeof *STATES; i++)
        if (strcmp(STATES[i][0], state) == 0)
            return STATES[i][1];
    return "";
}

static int locked(const char *state) { return strcmp(state, "approved") == 0 || strcmp(state, "superseded") == 0; }

int progress_move(const char *state, const char *event, const char *comment, const struct progress_move **out,
                struct err *e)
{
    for (const struct progress_move *m = MOVES; m->from; m++) {
        if (strcmp(m->from, state) != 0 || strcmp(m->event, event) != 0)
            continue;
        if (m->needs_comment && (!comment || !comment[strspn(comment, " \t\r\n")]))
            return err_set(e, 422, "comment_required", "comment", "%s须说明理由", m->name);
        *out = m;
        return 0;
    }
    if (locked(state) && strcmp(event, "reopen") != 0)
        return err_set(e, 409, "period_locked", "event", "本季度报告已审核通过，报告期已锁定；如需更正，请区卫健局重新打开");
    return err_set(e, 409, "event_not_allowed", "event", "报告当前状态为“%s”，不能执行 %s", progress_state_name(state), event);
}

int progress_editable(const char *state, struct err *e)
{
    if (locked(state))
        return err_set(e, 409, "period_locked", "", "本季度报告已审核通过，报告期已锁定；如需更正，请区卫健局重新打开");
    if (strcmp(state, "submitted") == 0)
        return err_set(e, 409, "report_submitted", "", "报告已报送，待区卫健局审核，暂不能修改");
    return 0;
}

int progress_submission_check(const char *progress, struct err *e)
{
    if (!progress || !progress[strspn(progress, " \t\r\n")])
        return err_set(e, 422, "required", "progress", "报送前请填写本季度工作进展");
    return 0;
}

#define TEXT_MAX 12000 /* bytes: about 4,000 Chinese characters */
#include "progress/progress.schemas.inc"

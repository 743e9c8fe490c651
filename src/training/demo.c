/* demo.c — demonstration training (demo.h): a held 岗前培训 most of the demo's people attended,
 * written through the store (the past session is history no publisher could enter through the
 * API), and two coming sessions. */
#include "training/demo.h"

#include <stdio.h>

#include "base/date.h"
#include "training/store.h"

/* A course of the district (town NULL) or of a town with one session on day, 09:00–12:00. */
static int course(struct db *db, const char *district, const char *town, const char *kind, const char *title,
                  const char *provider, const char *description, const char *day, int places, int hours,
                  const char *now_ts, int64_t *session, struct err *e)
{
    struct training_course c = {0};
    snprintf(c.town_code, sizeof c.town_code, "%s", town ? town : "");
    snprintf(c.kind, sizeof c.kind, "%s", kind);
    snprintf(c.title, sizeof c.title, "%s", title);
    snprintf(c.provider, sizeof c.provider, "%s", provider);
    snprintf(c.description, sizeof c.description, "%s", description);
    if (training_course_insert(db, district, &c, 0, now_ts, e) < 0)
        return -1;
    struct training_session s = {.course_id = c.id, .places = places, .hours = hours};
    snprintf(s.day, sizeof s.day, "%s", day);
    snprintf(s.start_time, sizeof s.start_time, "09:00");
    snprintf(s.end_time, sizeof s.end_time, "12:00");
    snprintf(s.place, sizeof s.place, "瓯海区妇幼保健中心培训教室");
    if (training_session_insert(db, district, &s, now_ts, e) < 0)
        return -1;
    *session = s.id;
    return 0;
}

int training_demo(struct db *db, const char *district, const char *today, const char *now_ts, struct err *e)
{
    char past[DATE_DAY_LEN], week[DATE_DAY_LEN], fortnight[DATE_DAY_LEN];
    date_add_days(today, -120, past);
    date_add_days(today, 7, week);
    date_add_days(today, 14, fortnight);
    int64_t held, s;
    if (course(db, district, NULL, "prejob", "托育从业人员岗前培训", "瓯海区婴幼儿照护服务指导中心",
               "婴幼儿照护、安全防护、卫生保健、急救与消防基础", past, 0, 8, now_ts, &held, e) < 0 ||
        training_demo_attendance(db, district, held, past, now_ts, e) < 0 ||
        course(db, district, NULL, "first_aid", "婴幼儿急救技能培训", "温州市急救中心", "气道异物梗阻、心肺复苏与意外伤害处置",
               fortnight, 40, 4, now_ts, &s, e) < 0 ||
        course(db, district, "330304001", "health_lecture", "婴幼儿营养与喂养（医育结合讲座）", "景山街道社区卫生服务中心健康指导员",
               "", week, 30, 2, now_ts, &s, e) < 0)
        return -1;
    return 0;
}

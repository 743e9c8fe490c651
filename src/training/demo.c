/* demo.c — demonstration training (demo.h): written straight to the tables, since the past
 * session is history no publisher could enter through the API. */
#include "training/demo.h"

#include "base/date.h"

/* Insert a course and one session of it on day; *session set. */
static int course(struct db *db, const char *district, const char *town, const char *kind, const char *title,
                  const char *provider, const char *description, const char *day, int places, int hours,
                  const char *now_ts, int64_t *session, struct err *e)
{
    int found;
    int64_t id = db_query_int(db, e, &found,
                              "INSERT INTO training_course (district_code, town_code, kind, title, provider, description, "
                              "created_by, created_at) VALUES (?,?,?,?,?,?,0,?) RETURNING id",
                              "ttttttt", district, town, kind, title, provider, description, now_ts);
    if (id < 0)
        return -1;
    *session = db_query_int(db, e, &found,
                            "INSERT INTO training_session (district_code, course_id, day, start_time, end_time, place, "
                            "places, taken, hours, created_at) VALUES (?,?,?,'09:00','12:00',?,?,0,?,?) RETURNING id",
                            "titiiit", district, id, day, "瓯海区妇幼保健中心培训教室", (int64_t)places, (int64_t)hours,
                            now_ts);
    return *session < 0 ? -1 : 0;
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
        db_run(db, e,
               "INSERT INTO training_enrolment (district_code, session_id, staff_id, institution_id, status, created_at, "
               "marked_at) SELECT ?, ?, id, institution_id, 'attended', ?, ? FROM staff_member "
               "WHERE district_code = ? AND start_date <= ? AND id % 9 <> 0",
               "titttt", district, held, now_ts, now_ts, district, past) < 0 ||
        db_run(db, e,
               "UPDATE training_session SET places = (SELECT COUNT(*) FROM training_enrolment WHERE session_id = ?), "
               "taken = (SELECT COUNT(*) FROM training_enrolment WHERE session_id = ?) WHERE id = ?",
               "iii", held, held, held) < 0 ||
        course(db, district, NULL, "first_aid", "婴幼儿急救技能培训", "温州市急救中心", "气道异物梗阻、心肺复苏与意外伤害处置",
               fortnight, 40, 4, now_ts, &s, e) < 0 ||
        course(db, district, "330304001", "health_lecture", "婴幼儿营养与喂养（医育结合讲座）", "景山街道社区卫生服务中心健康指导员",
               "", week, 30, 2, now_ts, &s, e) < 0)
        return -1;
    return 0;
}

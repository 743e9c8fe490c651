/* store.h — SQL for training (training.h). All functions run on the caller's connection;
 * writers expect the caller to hold a transaction (and to write the audit row in it). */
#ifndef TUOYU_TRAINING_STORE_H
#define TUOYU_TRAINING_STORE_H

#include <jansson.h>

#include "db/db.h"
#include "training/training.h"

/* An enrolment with what checks and the certificate need of its session and course. */
struct training_enrolment {
    int64_t id, session_id, staff_id, institution_id;
    char status[12];            /* enrolled | attended | absent */
    char course_town[16];       /* "" for a district course */
    char day[11];
    int hours;
    char title[128], kind[16], provider[128];
};

/* The figures in force on date. */
int training_rules_from_params(struct db *db, const char *district, const char *date, struct training_rules *r,
                               struct err *e);
/* Insert c (town_code "" for the district's) published by user_id; sets c->id. */
int training_course_insert(struct db *db, const char *district, struct training_course *c, int64_t user_id,
                           const char *now_ts, struct err *e);
/* Course id of the district: 0, or -1 with e (404 not_found). */
int training_course_load(struct db *db, const char *district, int64_t id, struct training_course *c, struct err *e);
/* The courses open to institutions of town (the district's and that town's; NULL: every course),
 * newest first, each with its sessions ("sessions": by day). */
int training_courses(struct db *db, const char *district, const char *town, json_t **rows, struct err *e);
/* Insert s (course_id set); sets s->id. */
int training_session_insert(struct db *db, const char *district, struct training_session *s, const char *now_ts,
                            struct err *e);
/* The demo's held session: every person of the district hired by day attended it, but one in nine
 * (so the missing 岗前培训 shows); the session's places and taken set to the attendance. */
int training_demo_attendance(struct db *db, const char *district, int64_t session_id, const char *day,
                             const char *now_ts, struct err *e);
/* Session id with its course: 0, or -1 with e (404 not_found). */
int training_session_load(struct db *db, const char *district, int64_t id, struct training_session *s,
                          struct training_course *c, struct err *e);
/* Enrol staff_id of institution_id in session_id, taking one of its places: 409 session_full
 * when none is left (the place is taken by one conditional UPDATE, so two operators racing for
 * the last place get one 201 and one 409), 409 already_enrolled. Sets *id. */
int training_enrol(struct db *db, const char *district, int64_t session_id, int64_t staff_id, int64_t institution_id,
                   const char *now_ts, int64_t *id, struct err *e);
/* Enrolment id: 0, or -1 with e (404 not_found). */
int training_enrolment_load(struct db *db, const char *district, int64_t id, struct training_enrolment *out,
                            struct err *e);
/* Record attendance: status attended or absent. */
int training_mark(struct db *db, int64_t id, const char *status, const char *now_ts, struct err *e);
/* The enrolments of a session: [{id, staff_id, name (masked), role, institution_id,
 * institution_name, status}]. */
int training_session_roster(struct db *db, const char *district, int64_t session_id, json_t **rows, struct err *e);
/* The sessions attended in year (YYYY) by staff of institution_id (0: every institution of
 * town, or of the district when town is NULL). *out malloc'd (free it). */
int training_records(struct db *db, const char *district, const char *year, int64_t institution_id, const char *town,
                     struct training_record **out, int *n, struct err *e);
/* The enrolments of institution_id's staff in sessions of year, by day: [{id, staff_id,
 * session_id, course_id, title, kind, kind_name, day, hours, status}]. */
int training_institution_enrolments(struct db *db, const char *district, int64_t institution_id, const char *year,
                                    json_t **rows, struct err *e);

#endif

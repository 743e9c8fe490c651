/* training.h — training of staff (一网办; issue 14 item 3, requirements C2.2; 试点方案 四(五)16:
 * 岗前培训和定期培训制度): courses the district or a town publishes (岗前培训, 定期培训, 急救,
 * 传染病防控, 医育结合 lectures by health instructors), their sessions with places and class
 * hours (学时), operators' enrolments of their own staff, attendance recorded by the publisher.
 * This file is pure: the kinds, what publishers send, each person's hours in a year against the
 * minimum, completion by institution, the certificate of completion (training.c); SQL in
 * store.c, routes in api.c. Whether a person has had their pre-job training is a staff finding
 * (staff_findings, src/staff/), read from the same enrolments. */
#ifndef TUOYU_TRAINING_H
#define TUOYU_TRAINING_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"
#include "staff/staff.h"

struct training_course {
    int64_t id;
    char town_code[16];         /* "" for the district's course, open to every institution */
    char kind[16];              /* prejob | periodic | first_aid | infectious | health_lecture */
    char title[128];
    char provider[128];
    char description[512];
};

struct training_session {
    int64_t id, course_id;
    char day[11];
    char start_time[6], end_time[6]; /* HH:MM */
    char place[128];
    int places, taken, hours;
};

/* The figures of the training rules on a day, with their basis. */
struct training_rules {
    int annual_hours_min;       /* training.annual_hours_min (UNCERTAIN) */
    char basis_hours[160];
};

/* One attended session of one person (what hours are counted from). */
struct training_record {
    int64_t staff_id;
    int hours;
};

const char *training_kind_name(const char *kind); /* "岗前培训"; NULL when unknown */
/* {code: name} of the kinds, for the labels. */
json_t *training_kinds_json(void);

/* Request bodies of POST /api/v1/training/courses and POST /api/v1/training/courses/{id}/sessions. */
extern const struct http_schema training_course_schema;
extern const struct http_schema training_session_schema;
/* A body the schema admitted into *out: 422 bad_kind on kind. 0 or -1 with e. */
int training_course_from_json(const json_t *body, struct training_course *out, struct err *e);
/* A body the schema admitted into *out (course_id set by the caller): a day not before today
 * (422 session_in_past), times HH:MM (422 bad_time) with the end after the start (422
 * end_before_start on end_time). 0 or -1 with e. */
int training_session_from_json(const json_t *body, const char *today, struct training_session *out, struct err *e);
json_t *training_course_json(const struct training_course *c);
json_t *training_session_json(const struct training_session *s);

/* The class hours of person staff_id among the n records (any order). */
int training_hours_of(const struct training_record *recs, int n, int64_t staff_id);

/* Completion by institution on today for year: the n staff of roster (staff_roster: institution
 * order, names masked) who were on duty on today, with their hours from the records, against
 * rules: [{institution_id, institution_name, town_code, on_duty, hours_met, prejob_missing,
 * hours}]. */
json_t *training_completion_json(const struct staff *roster, int n, const struct training_record *recs, int nrecs,
                                 const struct training_rules *rules, const char *today);

/* The certificate of completion as a printable HTML page (UTF-8, every text escaped): name the
 * person in full, their institution, the course, its kind, the day, the hours, the publisher's
 * name and the certificate's number. malloc'd; NULL when out of memory. */
struct training_certificate {
    int64_t enrolment_id;
    char name[96];
    char institution_name[128];
    char title[128];
    char kind[16];
    char provider[128];
    char day[11];
    int hours;
    char publisher[64];         /* 瓯海区卫生健康局, or the town's name */
};
char *training_certificate_html(const struct training_certificate *c);

#endif

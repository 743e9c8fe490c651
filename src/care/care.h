/* care.h — daily care of the children in an institution (issue 15, requirements C3.1–C3.2): a
 * child's place in a class, the admission gate (管理规范 Art. 11: a passed health check and the
 * vaccination certificate before the first attendance, a re-check after an absence of
 * child.recheck_absence_months), the people authorised to bring and collect a child, and the
 * class sheet of a day's attendance. This file is the pure part (request bodies, the gate);
 * store.c holds the SQL and api.c the routes. */
#ifndef TUOYU_CARE_H
#define TUOYU_CARE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

#define CARE_SHEET_MAX 60 /* children on one class sheet; a class holds at most 20 (设置标准 Art. 19) */

/* The request bodies (api.c's routes). */
extern const struct http_schema care_placement_schema, care_leave_schema, care_entry_check_schema,
    care_pickup_schema, care_sheet_schema, care_checkout_schema;

/* One child's line of a class sheet. */
struct care_entry {
    int64_t child_id;
    int present;           /* 1 present, 0 absent */
    char check_in[6];      /* HH:MM, "" when absent */
    int64_t brought_by;    /* a care_pickup id of the child, 0 when not said */
    char absence_cause[8]; /* illness | family | other, "" unexplained */
    char symptom[64];      /* illness: what the family reported */
    char note[128];
};

/* A class sheet: the day's attendance of one class, saved all or nothing. */
struct care_sheet {
    int64_t class_id;
    char day[11];
    int n;
    struct care_entry entries[CARE_SHEET_MAX];
};

/* Parse a sheet care_sheet_schema admitted: the day no later than today (422 future_date), each
 * child once (422 duplicate_child), a check-in time HH:MM for the present (422 bad_time), an
 * absence cause of illness, family or other (422 bad_cause; none: unexplained). */
int care_sheet_from_json(const json_t *body, const char *today, struct care_sheet *out, struct err *e);

/* What the gate needs to know of a child on a day. */
struct care_gate_state {
    int in_class;               /* the child's open placement is in the sheet's class, started by the day */
    char health_pass[11];       /* the latest passed health check on or before the day, "" none */
    char vaccination_pass[11];  /* the latest passed vaccination-certificate check, "" none */
    char last_present[11];      /* the last day before this one the child was present, "" never */
};

/* May the child be marked present on day? 0, or -1 with e naming field: 422 not_in_class,
 * 422 entry_checks_missing (no passed health check or vaccination certificate), 422
 * recheck_required (back after recheck_months or more away without a health check since).
 * An absence is recorded only for a child in the class (not_in_class). */
int care_gate(const struct care_gate_state *s, const char *day, int present, int recheck_months, const char *field,
              struct err *e);

/* A time "HH:MM" (00:00–23:59)? */
int care_time_valid(const char *t);
/* kind of an entry check: health_check | vaccination; result: pass | fail. */
int care_entry_kind_valid(const char *kind);
int care_result_valid(const char *result);
/* ---- 晨午检 and all-day observation (管理规范 Art. 24) ---- */

#define CARE_MAX_SYMPTOMS 8

/* The coded symptoms a check records, each in a symptom group the outbreak warning counts by. */
struct care_symptom {
    const char *code, *name, *group, *group_name;
};
/* The symptom of code, or NULL. */
const struct care_symptom *care_symptom_find(const char *code);

/* One check of a child. */
struct care_check {
    char day[11];
    char slot[8];                            /* morning | noon | day (全日观察) */
    double temperature_c;                    /* NAN when not taken */
    int nsymptoms;
    char symptoms[CARE_MAX_SYMPTOMS][20];    /* codes of care_symptom_find */
    char action[16];                         /* none | observe | send_home | notify_guardian */
    char note[200];
};

extern const struct http_schema care_check_schema;
/* Parse a check care_check_schema admitted: the day no later than today (422 future_date), a
 * slot, a temperature within [CARE_TEMP_MIN, CARE_TEMP_MAX] °C (422 bad_temperature: 50 °C is a
 * typing error, not a fever), known symptoms each once (422 unknown_symptom), an action. A
 * temperature at or above fever_c adds the symptom fever when it is not there. */
#define CARE_TEMP_MIN 34.0
#define CARE_TEMP_MAX 42.5
int care_check_from_json(const json_t *body, const char *today, double fever_c, struct care_check *out, struct err *e);
/* Does the check ask to tell the guardian (notify_guardian, send_home)? */
int care_check_tells_guardian(const struct care_check *c);
/* The symptoms as "fever,cough" (the stored form) into out. */
void care_symptoms_join(const struct care_check *c, char *out, size_t cap);

/* The labels the web app shows (GET /api/v1/public/labels "care"): symptoms with their groups,
 * check slots, actions, absence causes, entry-check kinds. */
json_t *care_labels_json(void);

/* The Chinese name of an entry-check kind, absence cause or status ("" when unknown). */
const char *care_name(const char *code);

#endif

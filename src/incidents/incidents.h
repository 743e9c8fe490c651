/* incidents.h — incidents and injuries of the children in care, and mandatory reports (issue 15
 * item 4, requirements C3.2). This file is the pure part: the coded lists (kinds, body parts,
 * severity, how the guardian was told) with their Chinese labels, the request bodies and their
 * validation, the routing rule (which kinds go to the town and the district, and which are
 * withheld from the family) and the process a mandatory report moves through, a table of the
 * cases engine (cases.h) driven by its transition function. No database, no clock: "now" comes
 * in as an argument. store.c holds the SQL, api.c the routes. */
#ifndef TUOYU_INCIDENTS_H
#define TUOYU_INCIDENTS_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "cases/cases.h"
#include "http/http.h"

/* One kind of incident. */
struct incident_kind {
    const char *code, *name;
    int mandatory;       /* reported at once to the town and the district */
    int family_visible;  /* 0: the family does not see it (the danger may come from home) */
    const char *basis;   /* why it is reported ("" for ordinary kinds) */
};
/* The kind of code, or NULL. */
const struct incident_kind *incident_kind_find(const char *code);

/* A recorded incident as the request gives it. */
struct incident_input {
    int64_t child_id;
    char kind[32];
    int64_t occurred_at;           /* unix seconds */
    char place[101];
    char description[1001];
    char body_part[16];            /* "" no injury */
    char severity[12];             /* none | minor | moderate | severe */
    char first_aid[501];
    int hospital;
    char hospital_note[201];
    int notify_guardian;           /* tell the guardian now through the inbox */
    int64_t guardian_notified_at;  /* told otherwise (phone, in person) at; 0 not */
    char guardian_channel[12];     /* phone | in_person when guardian_notified_at is given */
    int64_t police_reported_at;    /* Art. 25: reported to the police at; 0 not yet */
    char police_note[201];
};

extern const struct http_schema incident_schema, incident_follow_up_schema, incident_close_schema,
    incident_report_handle_schema;

/* Parse a body incident_schema admitted, at time now: a known kind (422 bad_kind), occurred_at a
 * timestamp with a zone (422 bad_time) not after now (422 future_time), a known body part (422
 * bad_body_part) and severity (422 bad_severity; an injury needs a severity other than none, 422
 * severity_without_injury / injury_without_severity), a hospital note only with a hospital visit
 * (422 hospital_note_without_visit), the guardian told at most one way (422 guardian_twice), a
 * notice time not before the incident nor after now (422 bad_notice_time) with its channel (422
 * bad_channel); a kind withheld from the family is never notified through the platform (422
 * guardian_notice_withheld); a police report time only for a mandatory kind, not after now. */
int incident_from_json(const json_t *body, int64_t now, struct incident_input *out, struct err *e);

/* May the incident be closed? An ordinary incident not yet told to its guardian may not (422
 * guardian_not_notified); an incident already closed may not (409 incident_closed). */
int incident_may_close(const char *status, int family_visible, int guardian_notified, struct err *e);

/* The Chinese label of a body part, severity or channel code ("" when unknown). */
const char *incident_name(const char *code);

/* The labels the web app shows (GET /api/v1/public/labels "incidents"): kinds (with mandatory,
 * family_visible, basis), body parts, severities, channels, report states. */
json_t *incident_labels_json(void);

/* ---- the mandatory report's process (the cases engine's table) ---- */

/* reported → acknowledge (report.acknowledge, due incident.report.ack_days calendar days) →
 * acknowledged → handle (report.handle, with the outcome) → handled. */
extern const struct cases_process incident_report_process;

#endif

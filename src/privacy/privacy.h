/* privacy.h — children's health data under 《个人信息保护法》 (issue 15 item 9, C14): the purposes
 * a guardian consents to, what each covers, the request bodies of giving and withdrawing consent,
 * and the kinds of record `tuoyu purge` deletes after their retention period (privacy.c, pure);
 * storage (store.c), routes (api.c) and the command (cli.c).
 *
 * Health data — sensitive personal information of a child under 14 (Art. 28, 31) — is stored
 * only while a guardian's consent to its purpose is live (privacy_consent_require, called by every
 * route that writes it):
 *   care_health  入托体检与预防接种证查验 (care_entry_check), 晨午检与全日观察 (care_health_check),
 *                the symptom of an illness absence (care_attendance.symptom)
 *   growth       生长发育测量 (measurement)
 * A withdrawal stops new writes and deletes what the withdrawn purposes covered in the same
 * transaction (Art. 47(1)(3)); the consent row itself stays as the record of what was agreed. */
#ifndef TUOYU_PRIVACY_H
#define TUOYU_PRIVACY_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

#define PRIVACY_CARE_HEALTH "care_health"
#define PRIVACY_GROWTH "growth"
#define PRIVACY_PURPOSES_LEN 64 /* the comma-separated codes of every purpose, with room */

struct privacy_purpose {
    const char *code;
    const char *name;  /* what the guardian reads, Chinese */
};
/* The purposes, ended by {NULL}. */
extern const struct privacy_purpose privacy_purposes[];

/* What a consent request holds once parsed. */
struct privacy_consent_req {
    char purposes[PRIVACY_PURPOSES_LEN]; /* comma-separated codes, in the table's order */
    const char *guardian_name, *relation; /* paper only; NULL when absent */
    int64_t material_id;                  /* paper only; 0 none */
};

/* The request bodies of POST …/consent and POST …/consent/withdraw. */
extern const struct http_schema privacy_consent_schema, privacy_withdraw_schema;

/* Parse a consent body: purposes (known codes, no repeats, at least one). paper: a staff member
 * records a signed form — guardian_name, relation and material_id required; otherwise (the
 * family's own account) they must be absent. */
int privacy_consent_from_json(const json_t *body, int paper, struct privacy_consent_req *out, struct err *e);
/* Does the comma-separated list purposes hold purpose? */
int privacy_purposes_cover(const char *purposes, const char *purpose);
/* The purposes of a comma-separated list as [{code, name}]. */
json_t *privacy_purposes_json(const char *purposes);

/* A kind of record purge deletes: its code, the parameter holding its period, whether the period
 * counts months (else days), and its Chinese name. */
struct privacy_retention {
    const char *kind;
    const char *param;
    int months;
    const char *name;
};
/* The kinds, in the order purge runs them, ended by {NULL}. The audit log is not one of them. */
extern const struct privacy_retention privacy_retention_kinds[];
/* The cut-off day of a period of n months (or days) before today: records dated before it expire. */
int privacy_cutoff(const char *today, const struct privacy_retention *k, int n, char out[11]);

#endif

/* staff.h — the staff registry (issue 14, requirements C2.1, C1.3): the people who work in an
 * institution, their class assignments and certificates; parsing and validating what operators
 * send, the reply, the staffing counts the registry's ratio rules read, and the findings about
 * people (staff.c, pure); storage with sealed personal fields (store.c) and routes (api.c).
 * Every rule figure comes in through struct staff_rules, filled from the parameter table. */
#ifndef TUOYU_STAFF_H
#define TUOYU_STAFF_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sheet.h"
#include "http/http.h"
#include "registry/registry.h"

#define STAFF_MAX_CLASSES 8
#define STAFF_MAX_CERTS 12

enum staff_role { STAFF_DIRECTOR, STAFF_CAREGIVER, STAFF_HEALTH, STAFF_SECURITY, STAFF_COOK, STAFF_OTHER, STAFF_ROLE_COUNT };

struct staff_cert {
    int64_t id;
    char kind[24];              /* staff_cert_kind_name() knows it */
    int grade;                  /* 保育师/育婴员: 1 (一级) … 5 (五级); 0 for other kinds */
    char number[48];
    char issuer[96];
    char issue_date[11];
    char expiry_date[11];       /* "" when it does not expire */
};

struct staff {
    int64_t id;
    int64_t institution_id;
    char town_code[16];         /* the institution's town, for jurisdiction checks */
    char institution_name[128];
    char name[96];              /* plain, only in memory ("" when not opened) */
    char name_masked[96];
    char id_number[24];         /* plain, only in memory while writing */
    char id_masked[24];
    enum staff_role role;
    char employment[12];        /* full_time | part_time */
    char start_date[11], end_date[11];          /* end "" while employed */
    char health_cert_date[11], health_cert_expiry[11], no_crime_cert_date[11]; /* "" when none */
    int nclasses;
    int64_t class_ids[STAFF_MAX_CLASSES];
    int ncerts;
    struct staff_cert certs[STAFF_MAX_CERTS];
    char prejob_date[11];       /* day of the first 岗前培训 session attended (src/training/); "" when none */
    char updated_at[32];
};

/* The rule figures in force on the day in question, and the basis document of each. */
struct staff_rules {
    int health_check_months;    /* staff.health_check_interval_months */
    int warning_days;           /* staff.cert_expiry_warning_days */
    int no_crime_required;      /* staff.no_criminal_record_required */
    int director_required;      /* staff.director_required */
    int certified_posts;        /* staff.certified_posts_required */
    int prejob_required;        /* training.prejob_required */
    char basis_health[160], basis_no_crime[160], basis_director[160], basis_certified[160], basis_prejob[160];
};

const char *staff_role_code(enum staff_role r);   /* "caregiver" */
const char *staff_role_name(enum staff_role r);   /* "保育人员" */
int staff_role_from_code(const char *code);       /* -1 when unknown */
const char *staff_cert_kind_name(const char *kind); /* "保育师"; NULL when unknown */
/* Does a certificate of this kind fit a person of this role (a nurse's licence for a 保健人员,
 * not for a 保安)? */
int staff_cert_fits_role(const char *kind, enum staff_role role);
/* Is s employed on day (started, not yet left)? */
int staff_on_duty(const struct staff *s, const char *day);

/* The request body of POST /api/v1/institutions/{id}/staff and PUT /api/v1/staff/{id}. */
extern const struct http_schema staff_schema;
/* Parse a body staff_schema admitted into *out (pre-filled with the stored record for a PUT: an
 * absent id_number keeps the stored one). The ID number is checked with idcard_validate
 * (GB 11643) and normalised; dates in order (an expiry after its issue, an end after the start,
 * no certificate issued after today); a certificate must fit the role; only a caregiver has
 * classes. The health certificate's expiry is its date plus rules->health_check_months.
 * Errors fill e with the field ("certificates[1].expiry_date"), a stable code and a Chinese
 * message. */
int staff_from_json(const json_t *body, const struct staff_rules *rules, const char *today, int creating,
                    struct staff *out, struct err *e);
/* The record as replies show it: the name in full when full_name, masked otherwise; the ID
 * number always masked. */
json_t *staff_to_json(const struct staff *s, int full_name);

/* Staffing of institution in from its roster on today (list: the institution's staff): each
 * class's caregivers are the caregivers on duty assigned to it, health_workers the full-time
 * 保健人员 on duty. So the registry's one ratio and health-worker rule (registry_findings) reads
 * people, not typed counts. */
void staff_apply_staffing(struct institution *in, const struct staff *list, int n, const char *today);

/* The findings about the people of one institution on today (list: its staff, with their
 * certificates): no 负责人 on duty; each person on duty without a valid health certificate or a
 * no-criminal-record certificate; without a 岗前培训 attended (prejob_date, when
 * rules->prejob_required); certificates lapsed or expiring within rules->warning_days.
 * Each names the person (masked) and the certificate; staff_id set. Returns the count. */
int staff_findings(const struct staff *list, int n, const struct staff_rules *rules, const char *today,
                   struct finding *out, int max);
/* staff_apply_staffing for each of the n institutions of list from roster (staff_roster: in
 * institution order, members of other institutions passed over). */
void staff_apply_roster(struct institution *list, int n, const struct staff *roster, int nroster, const char *today);
/* Every finding of institution in on today: its staffing from roster (in institution order,
 * members of other institutions passed over; staff_apply_staffing), then the registry's rules
 * (registry_findings) and the findings about its people (staff_findings). The one place an
 * existing institution's findings are made. */
#define STAFF_MAX_FINDINGS 256
int staff_institution_findings(struct institution *in, const struct staff *roster, int nroster,
                               const struct registry_rules *rules, const char *const basis[RULE_COUNT],
                               const struct staff_rules *srules, const char *today, struct finding *out, int max);
/* ---- import: a table of people, one row each (a row repeating an ID number adds its
 * certificate to that person) ---- */
/* The template's columns, in order (staff_import_heading names them). */
enum staff_import_col {
    STAFF_COL_NAME, STAFF_COL_ID, STAFF_COL_ROLE, STAFF_COL_EMPLOYMENT, STAFF_COL_START, STAFF_COL_END,
    STAFF_COL_CLASSES, STAFF_COL_HEALTH, STAFF_COL_NO_CRIME, STAFF_COL_KIND, STAFF_COL_GRADE, STAFF_COL_NUMBER,
    STAFF_COL_ISSUER, STAFF_COL_ISSUE, STAFF_COL_EXPIRY
};
#define STAFF_IMPORT_COLS 15
#define STAFF_IMPORT_MAX_ROWS 2000
/* The heading of a column of the import template: 姓名, 身份证号, 岗位, … */
const char *staff_import_heading(enum staff_import_col c);
/* The template's content, a fill (audit/export.h): an example row, drop-downs of roles,
 * employment, certificate kinds and grades, and a sheet of notes. */
struct xlsx_sheet;
int staff_import_template(struct xlsx_sheet *x, void *ctx, struct err *e);
/* Read an import file of len bytes into t by the template's columns (base/sheet.h: a .xlsx or a
 * CSV in UTF-8 or GBK; the first row holding a 姓名 cell, within the first five, names the
 * columns; 身份证号 must be among them; blank rows passed over). 0, or -1 with e (422, field
 * "file"). Free t with sheet_table_free (also after an error). */
int staff_import_file(const char *buf, size_t len, struct sheet_table *t, struct err *e);
/* Add the certificates of row (a later row repeating into's ID number) to into: 422
 * cert_role_mismatch or too_many on the 证书类型 column. 0 or -1 with e. */
int staff_import_merge(struct staff *into, const struct staff *row, struct err *e);
/* Do two rows name the same ID number (as typed: spaces and the case of an x aside)? */
int staff_import_same_person(const char *const first[STAFF_IMPORT_COLS], const char *const row[STAFF_IMPORT_COLS]);
/* Fill the person columns (姓名 … 无犯罪记录证明日期) row leaves blank from first (strdup'd). */
void staff_import_fill(char *const first[STAFF_IMPORT_COLS], char *row[STAFF_IMPORT_COLS]);
/* The person of one row (cells by column, NULL for an absent one) of institution in: the cells
 * in words an operator types (岗位 保育人员 or caregiver, 用工形式 全职/兼职, 技能等级 四级 or 4,
 * dates 2024-09-01 or 2024/9/1, 所带班级 by class names separated by 、), checked as a request
 * body is (staff_schema, staff_from_json). An error fills e and *bad_col, the column at fault. */
int staff_import_row(const char *const cells[STAFF_IMPORT_COLS], const struct institution *in,
                     const struct staff_rules *rules, const char *today, struct staff *out, int *bad_col,
                     struct err *e);

/* The messages an institution's operators get about s's dated certificates (the health
 * certificate, qualifications that expire): "staff.cert_expiring" on the day rules->warning_days
 * before the expiry, "staff.cert_lapsed" on the day after it — each for its day, to appear in the
 * inbox from then on. A message whose day has come (day <= today) is left out when before (the
 * stored record an update replaces; NULL for a new one) held the same certificate with the same
 * expiry: it was sent already. Names masked. Returns the count (at most max). */
struct staff_reminder {
    char kind[24];
    char day[11];
    char subject[160];
    char body[384];
};
int staff_reminders(const struct staff *before, const struct staff *s, const struct staff_rules *rules,
                    const char *today, struct staff_reminder *out, int max);
/* The staffing of institution in on today from its roster, without anyone's personal data:
 * {"on_duty", "by_role": {role: n}, "health_workers" (full-time 保健人员), "classes": [{id,
 * caregivers}], "lapsed", "expiring" (certificates of people on duty, health certificates
 * included, lapsed or within rules->warning_days)}. Applies the staffing to in. */
json_t *staff_summary_json(struct institution *in, const struct staff *list, int n, const struct staff_rules *rules,
                           const char *today);
/* The post-subsidy inputs of one caregiver for one month (requirements C2.3; 试点方案 四(五)16:
 * 保育人员岗位补贴 by qualification grade, monthly): the best grade (1 一级 … 5 五级; 0 none) of a
 * 保育师 or 育婴员 certificate valid on the month's last day, and its kind; the days of the month
 * s was employed; the whole months employed from the start to the month's last day. The funds
 * issue computes the amounts from these rows. */
struct staff_post_month {
    int grade;
    const char *kind; /* "childcare_worker" | "infant_carer" | NULL */
    int days;
    int months;
};
/* 1 with out filled when s is a caregiver employed in month (YYYY-MM), 0 when not (no row). */
int staff_post_month(const struct staff *s, const char *month, struct staff_post_month *out);
/* The roles and certificate kinds for the labels: {"roles": {code: name}, "cert_kinds":
 * [{code, name, roles: [role codes], graded}]}. */
json_t *staff_labels_json(void);
/* The rule codes of staff_findings with their Chinese names (merged into the labels). */
json_t *staff_rule_names_json(void);

#endif

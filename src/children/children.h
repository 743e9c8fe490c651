/* children.h — children's records and growth measurements (C3.1, C5.3): the record (personal
 * fields sealed with the app key when stored, masked copies for display), parsing and validating
 * what staff and families send and the growth evaluation of a child's measurements (children.c,
 * pure), storage (store.c) and routes (api.c). */
#ifndef TUOYU_CHILDREN_H
#define TUOYU_CHILDREN_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "growth/growth.h"
#include "http/http.h"

struct child {
    int64_t id;
    int64_t institution_id;      /* 0 when none */
    int64_t family_user_id;      /* 0 when none */
    char name[96];               /* plain, only in memory */
    char name_masked[96];
    int sex;                     /* 1 male, 2 female */
    char birth_date[11];
    char id_kind[16];            /* resident_id | birth_cert */
    char id_number[24];          /* plain, only in memory while creating */
    char id_masked[24];
    char hukou_town[16];
    char town_code[16];          /* the institution's town, for jurisdiction checks */
};

struct measurement {
    int64_t id;
    char measured_on[11];
    double weight_kg, lenhei_cm, headc_cm, armc_cm, triskin_mm, subskin_mm; /* NAN when absent */
    char measure;                /* 'l', 'h' or 0 */
    int oedema;
};

/* The request bodies of POST /api/v1/children and POST /api/v1/children/{id}/measurements. */
extern const struct http_schema child_schema, measurement_schema;
/* Parse a new child from a body child_schema admitted: name, birth_date, sex, and id_number
 * (GB 11643, which must agree with birth date and sex) or birth_cert, optional hukou_town; the
 * masked copies of name and number filled. today bounds dates. */
int child_from_json(const json_t *body, const char *today, struct child *out, struct err *e);
/* The record as replies show it: the name in full when full_name (policy action
 * child.read.full_name), masked otherwise; the ID number always masked. */
json_t *child_to_json(const struct child *c, int full_name);
/* Parse a measurement measurement_schema admitted; the date must fall between birth and today;
 * values in plausible ranges. */
int measurement_from_json(const json_t *body, const char *birth_date, const char *today, struct measurement *out,
                          struct err *e);
json_t *measurement_to_json(const struct measurement *m);

/* The growth evaluation of child c from its n measurements (in date order) on today, with the
 * classification cut-offs in force: {"child", "measurements": each with its age in days, WHO
 * z-scores, percentiles, classes and WS/T 423 grades (or an error code), "curves": the WHO
 * reference curves (−3 SD … +3 SD) over the child's age range, at least the first year, and
 * over its lengths, "curve_columns"}. The child as child_to_json(c, full_name) shows it. */
json_t *child_growth_json(const struct child *c, int full_name, const struct measurement *m, int n,
                          const struct growth_cutoffs *cut, const char *today);

/* The one reveal of children's full names in a list (reveal.c): each row of rows (an array of
 * objects with "child_id", "child_name" masked, "child_name_sealed", and the child's
 * "institution_id" and "family_user_id" where known) gets its full name in "child_name" where the
 * policy allows child.read.full_name on that child (its institution, its family); the sealed name
 * is removed from every row; a staff member's reveals are audited (child.read, one row naming the
 * children). 0, or -1 with e. */
int children_reveal_names(struct http_req *req, json_t *rows, struct err *e);

extern const struct route children_routes[];

/* The child named by the path's {id} (api.c), loaded with its sealed fields opened (404 when none)
 * and with action checked on it (authz_require: its town, institution and family); allocated for
 * the request. NULL with e. For the handlers of every domain that hangs off a child. */
struct child *children_load_for(struct http_req *req, const char *action, struct err *e);

#endif

/* registry.h — the institution registry (requirements C1.1, C1.3): the record, its validation
 * and its compliance findings (pure engine, registry.c), storage (store.c) and routes (api.c).
 * Every rule figure comes in through struct registry_rules, filled from the parameter table. */
#ifndef TUOYU_REGISTRY_H
#define TUOYU_REGISTRY_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "fees/fees.h"
#include "http/http.h"

#define REG_MAX_CLASSES 40
#define REG_MAX_FEES 40

enum class_type { CLASS_INFANT, CLASS_TODDLER_YOUNG, CLASS_TODDLER_OLD, CLASS_MIXED, CLASS_TYPE_COUNT };

struct inst_class {
    int64_t id;                 /* 0 for a new class */
    enum class_type type;
    char name[64];
    int capacity, enrolled, caregivers;
};

struct institution {
    int64_t id;
    char town_code[16];
    char name[128];
    char uscc[24];
    char address[256];
    double lon, lat;
    char operating_model[24];
    char ownership[12];
    int profit, inclusive, demonstration, star_level;
    char inclusive_since[12];
    char inclusive_basis[160];
    char status[12];
    char opening_hours[64];
    char phone[32];
    char director[64];
    unsigned service_types;     /* bit per enum service_type */
    char premises_tenure[8];    /* owned | leased */
    char lease_start[12], lease_end[12];  /* "" when not leased */
    int floor;
    double health_room_m2;      /* 保健观察室面积 (m²); REG_UNRECORDED when the record does not say */
    double window_floor_ratio;  /* 婴幼儿生活用房窗地面积比, the smallest room's (0.2 = 1:5); REG_UNRECORDED */
    int health_workers;
    int nclasses;
    struct inst_class classes[REG_MAX_CLASSES];
    int nfees;
    struct fee_item fees[REG_MAX_FEES];  /* the catalogue in force on the day it was loaded for */
    char updated_at[32];
};

/* The rule figures, from the parameter table on the date in question. */
struct registry_rules {
    int max_class_size[CLASS_TYPE_COUNT];
    double children_per_caregiver[CLASS_TYPE_COUNT];
    int health_worker_min_children;
    double lease_min_years;
    int lease_warning_days;
    int max_floor;
    double health_room_min_m2;
    double window_area_min_share;
    int family_point_max_children;
    double family_point_children_per_carer;
    double min_lon, max_lon, min_lat, max_lat;
    struct fee_guidance fee_guided;     /* 公办 (fees.h) */
    struct fee_guidance fee_reference;  /* 社会办普惠 */
};

struct finding {
    char rule[40];              /* stable code: class_size, caregiver_ratio, … */
    char severity[8];           /* high | medium | low */
    char message[256];          /* Chinese */
    char basis[160];            /* basis document (the parameter's) */
    int64_t class_id;           /* 0 when not about one class */
    int64_t staff_id;           /* 0 when not about one person (src/staff/) */
};

/* The services an institution offers, bit k of its service_types (full_day … as the API writes them). */
enum service_type { SERVICE_FULL_DAY, SERVICE_HALF_DAY, SERVICE_HOURLY, SERVICE_OCCASIONAL };

/* A premises figure the record does not give (null in JSON, NULL in the database). */
#define REG_UNRECORDED (-1.0)
/* A new record: all zero but the status, the ground floor and the premises figures unrecorded. */
void institution_init(struct institution *in, const char *status);

const char *class_type_code(enum class_type t);   /* "infant" */
const char *class_type_name(enum class_type t);   /* "乳儿班" */
int class_type_from_code(const char *code);       /* -1 when unknown */
/* The code of a class type or operating model written as its code or its Chinese name (托大班,
 * 社会机构市场办), or text itself when it is neither (the record's check then names it). */
const char *class_type_code_of(const char *text);
const char *operating_model_code(const char *text);
/* The operating models' Chinese names in order, at most max of them into out: their count. */
int operating_model_names(const char *out[], int max);
const char *operating_model_name(const char *code); /* NULL when unknown */
int institution_places(const struct institution *in);
int institution_enrolled(const struct institution *in);

/* The request body of POST and PUT /api/v1/institutions: what members, of what type and size. */
extern const struct http_schema registry_schema;
/* Its members, for a schema that holds an institution (the exchange's records). */
extern const struct http_schema registry_members[];
/* Parse a body that registry_schema admitted into *out (which the caller may pre-fill with the
 * stored record for a PUT). Invalid values and records fill e with the field path (e.g.
 * "classes[1].enrolled"), a stable code and a Chinese message. `today` is YYYY-MM-DD. */
int registry_from_json(const json_t *body, const struct registry_rules *rules, const char *today,
                       struct institution *out, struct err *e);
json_t *registry_to_json(const struct institution *in, const char *town_name);

/* Compliance findings of one institution on `today`. basis[] holds the basis document of each
 * rule (indexed like enum registry_rule), so findings cite their source. Returns the count. */
enum registry_rule {
    RULE_CLASS_SIZE, RULE_CAREGIVER_RATIO, RULE_HEALTH_WORKER, RULE_LEASE, RULE_FLOOR, RULE_FEES,
    RULE_FAMILY_POINT, RULE_FAMILY_CARER, RULE_HEALTH_ROOM, RULE_WINDOW_AREA, RULE_COUNT
};
/* Append a finding to out[n] when n < max: about one class (class_id), one person (staff_id) or the
 * institution (both 0), its message from fmt, its basis cut at whole characters. The new count. */
int finding_add(struct finding *out, int max, int n, const char *rule, const char *severity, const char *basis,
                int64_t class_id, int64_t staff_id, const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* The rule codes of findings with their Chinese names: {"class_size":"班级人数", …}. */
json_t *registry_rule_names_json(void);
/* Findings as replies show them: [{rule, severity, message, basis, class_id, staff_id}]. */
json_t *registry_findings_json(const struct finding *f, int n);
int registry_findings(const struct institution *in, const struct registry_rules *rules,
                      const char *const basis[RULE_COUNT], const char *today, struct finding *out, int max);

#endif

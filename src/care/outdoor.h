/* outdoor.h — a class's outdoor time on a day of care (托育机构管理规范（试行）第十八条: at least
 * care.outdoor_min_hours_full_day hours a day outdoors in full-day care, "寒冷、炎热季节或特殊天气
 * 情况下可酌情调整"). The pure part: the record's body, whether a day fell short, and the findings over
 * the days an institution had children in care (care.outdoor_review_days before today). No database
 * (store.c), no HTTP (api.c), no clock. */
#ifndef TUOYU_CARE_OUTDOOR_H
#define TUOYU_CARE_OUTDOOR_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"
#include "registry/registry.h"

#define CARE_OUTDOOR_MAX_MINUTES 720 /* twelve hours: more is a typing error */

/* One record: a class's outdoor minutes on a day, and the weather that shortened them. */
struct care_outdoor {
    int64_t class_id;
    char day[11];
    int minutes;
    char weather[8]; /* cold | heat | rain | air (重污染天气) | "" none said */
    char note[200];
};

/* The body of PUT /api/v1/institutions/{id}/outdoor. */
extern const struct http_schema care_outdoor_schema;
/* Parse a body care_outdoor_schema admitted: the day no later than today (422 future_date), the
 * weather one of the codes (422 bad_weather). */
int care_outdoor_from_json(const json_t *body, const char *today, struct care_outdoor *out, struct err *e);
/* The Chinese name of a weather code (寒冷 …); NULL when unknown. */
const char *care_weather_name(const char *code);
/* {"cold":"寒冷", …} for the labels. */
json_t *care_weather_json(void);
/* The rule codes of care_outdoor_findings with their Chinese names (merged into the labels). */
json_t *care_outdoor_rule_names_json(void);

/* The rule figures (the parameters in force on the day). */
struct care_outdoor_rules {
    double min_hours;  /* care.outdoor_min_hours_full_day */
    int review_days;   /* care.outdoor_review_days */
    char basis[160];   /* the basis document of min_hours */
};

/* A day of a class with children present, and what was recorded for it. */
struct care_outdoor_day {
    int64_t institution_id, class_id;
    char class_name[64];
    char day[11];
    int minutes;      /* -1: no record */
    char weather[8];
};

/* Did the day fall short: recorded, under min_hours, and no weather said? */
int care_outdoor_short(const struct care_outdoor_day *d, const struct care_outdoor_rules *r);

/* The findings over days (ordered by class, then day) of one institution: per class, one
 * "outdoor_short" (medium) naming the days short of the minimum with no weather said, and one
 * "outdoor_unrecorded" (low) counting the days with children present and no record. Into out (at
 * most max); their number. */
int care_outdoor_findings(const struct care_outdoor_day *days, int n, const struct care_outdoor_rules *r,
                          struct finding *out, int max);

#endif

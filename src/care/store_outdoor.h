/* store_outdoor.h — the SQL of a class's outdoor time (care/outdoor.h): the records, a week of
 * them beside the days children were present, and the days the findings look at. Writers expect the
 * caller's transaction (with its audit row). */
#ifndef TUOYU_CARE_STORE_OUTDOOR_H
#define TUOYU_CARE_STORE_OUTDOOR_H

#include <jansson.h>
#include <stdint.h>

#include "care/outdoor.h"
#include "db/db.h"

/* The rule figures in force on day (care.outdoor_min_hours_full_day with its basis,
 * care.outdoor_review_days). 0, or -1 with e. */
int care_outdoor_rules_load(struct db *db, const char *district, const char *day, struct care_outdoor_rules *r,
                            struct err *e);

/* Record o for institution_id (a class of it), or correct the class's record of that day. */
int care_outdoor_save(struct db *db, const char *district, int64_t institution_id, const struct care_outdoor *o,
                      int64_t recorded_by, const char *now_ts, struct err *e);

/* The days from..to of institution_id's classes (class_id only, when not 0) with children present
 * or a record, by class then day: {class_id, class_name, date, present (children), minutes,
 * weather, note, updated_at} (minutes, weather, note, updated_at null when not recorded). */
int care_outdoor_days_json(struct db *db, const char *district, int64_t institution_id, int64_t class_id,
                           const char *from, const char *to, json_t **out, struct err *e);

/* The days from..to with children present in a class, of the district's institutions (only town's
 * when not NULL; only institution_id when > 0), by institution, class and day, with what was
 * recorded (care_outdoor_day; minutes -1 when nothing). *out malloc'd (free it; NULL when none). */
int care_outdoor_care_days(struct db *db, const char *district, const char *town, int64_t institution_id,
                           const char *from, const char *to, struct care_outdoor_day **out, int *n, struct err *e);

#endif

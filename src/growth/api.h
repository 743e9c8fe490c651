/* api.h — the growth engine's route table (see api.c). */
#ifndef TUOYU_GROWTH_API_H
#define TUOYU_GROWTH_API_H

#include "growth/growth.h"
#include "http/http.h"

extern const struct route growth_routes[];

/* Most points one reference curve reply holds. */
#define GROWTH_CURVE_MAX_POINTS 600

/* One indicator's evaluation as the API shows it: {"z","percentile","flag","class","grade",
 * "grade_name"}, or JSON null when there is no z-score. class_code from growth_class_code*(). */
json_t *growth_z_json(const struct growth_z *z, const char *class_code, const struct growth_cutoffs *cut);

/* Reference curve of table t for sex from `from` to `to` (clipped to the table) every `step`, as
 * [[x, -3SD, -2SD, -1SD, median, +1SD, +2SD, +3SD], ...] to 4 decimals; x in the table's key unit
 * (growth_table_unit). NULL with e filled when the range is empty or needs more than
 * GROWTH_CURVE_MAX_POINTS points (growth_curve's codes). */
json_t *growth_curve_json(enum growth_table_id t, int sex, double from, double to, double step, struct err *e);

/* The request-schema members of one measurement's values, as the engine reads them (struct
 * growth_input): in the batch z-score rows here and in a child's measurement (children.c). */
#define GROWTH_MEASUREMENT_MEMBERS                                                                                \
    {"weight_kg", HTTP_NUMBER, HTTP_NULLABLE, "体重（千克）"},                                                    \
    {"lenhei_cm", HTTP_NUMBER, HTTP_NULLABLE, "身长/身高（厘米）"},                                               \
    {"measure", HTTP_STRING, HTTP_NULLABLE, "测量方式（l 卧位身长 / h 立位身高）", 1},                            \
    {"headc_cm", HTTP_NUMBER, HTTP_NULLABLE, "头围（厘米）"},                                                     \
    {"armc_cm", HTTP_NUMBER, HTTP_NULLABLE, "上臂围（厘米）"},                                                    \
    {"triskin_mm", HTTP_NUMBER, HTTP_NULLABLE, "肱三头肌皮褶（毫米）"},                                           \
    {"subskin_mm", HTTP_NUMBER, HTTP_NULLABLE, "肩胛下皮褶（毫米）"},                                             \
    {"oedema", HTTP_BOOLEAN, HTTP_NULLABLE, "水肿"}

#endif

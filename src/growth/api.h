/* api.h — the growth engine's route table (see api.c). */
#ifndef TUOYU_GROWTH_API_H
#define TUOYU_GROWTH_API_H

#include "http/http.h"

extern const struct route growth_routes[];

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

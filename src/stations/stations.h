/* stations.h — 婴幼儿成长驿站 (growth stations, issue 16 item 3; requirements C6.1; seed 四(二)5):
 * the rules of a station's site record and of its subsidy after the joint acceptance — the
 * subsidy is the assessed investment, at most subsidy.station_max_fen (100,000 yuan a station,
 * seed 四(二)5), explained for the finance bureau like every ledger row. Pure. */
#ifndef TUOYU_STATIONS_H
#define TUOYU_STATIONS_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

/* A station's site record. */
struct station_site {
    double area_m2;
    char surroundings[256];
    int weekly_visits;
    char services[160];   /* codes separated by commas */
    int64_t investment_fen;
};

/* The body of PUT /api/v1/stations/{id}. */
extern const struct http_schema station_site_schema;
/* Parse a body station_site_schema admitted into out: the services known codes (422
 * unknown_service naming the index), the area positive. 0, or -1 with e. */
int station_site_from_json(const json_t *body, struct station_site *out, struct err *e);
/* The services' codes and Chinese names as {code: name}. */
json_t *station_services_json(void);

/* The subsidy after acceptance: investment capped at cap_fen, into *amount_fen, with its
 * explanation (the rule, the inputs, the cap and whether it applied, the parameter's version and
 * basis). */
json_t *station_subsidy_explain(int64_t investment_fen, int64_t cap_fen, const char *cap_valid_from,
                                const char *cap_basis, int64_t *amount_fen);

#endif

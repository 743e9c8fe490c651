/* forecast.h — next year's subsidy budget (issue 18 item 6): each kind's expected amount from what
 * is known today and the parameters in force on the year's first day, with how it was reckoned, so
 * the finance bureau can follow every figure. Pure: the inputs are gathered by store.c
 * (funds_store_forecast_inputs). */
#ifndef TUOYU_FUNDS_FORECAST_H
#define TUOYU_FUNDS_FORECAST_H

#include <jansson.h>
#include <stdint.h>

struct funds_forecast_inputs {
    int year;                         /* the year forecast */
    int population_year;              /* the latest year before it with under-3s known; 0 none */
    int64_t under3, births;           /* that year's, summed over the towns (-1 unknown) */
    int64_t childcare_per_month_fen;  /* 育儿补贴 a month, in force on the year's first day */
    int in_care;                      /* children in care today */
    int64_t operating_per_child_month_fen;
    int stars[6];                     /* institutions by the star level in force today ([0] unused) */
    int64_t star_award_year_fen[6];
    int stations_pending;             /* stations with a site recorded, not yet accepted */
    int64_t stations_pending_fen;     /* their investments, each capped at the station subsidy */
    int vouchers_open;                /* issued, unused, valid into the year */
    int64_t vouchers_open_fen;
    int caregivers_graded;            /* caregivers of 普惠 institutions with a graded certificate today */
    int64_t post_month_fen;           /* their month of 岗位补贴 at the year's grade amounts */
};

/* {"year", "lines":[{"kind", "name", "amount_fen", "how", "inputs"}], "total_fen", "not_included"}. */
json_t *funds_forecast(const struct funds_forecast_inputs *in);

#endif

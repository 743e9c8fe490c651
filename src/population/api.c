/* api.c — towns' population by year (issue 19 item 2): GET /api/v1/population[?year=] — the years
 * with figures and each town's residents, under-3s and births of one year (the latest by default),
 * a town officer's own town only; PUT /api/v1/population/{year} — the district enters or corrects
 * a year's figures with their source, all rows or none, audited. The dashboard divides places by
 * the latest year's residents (src/supervision/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "population/api.h"
#include "population/population.h"
#include "population/store.h"

static int get_population(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    json_t *years, *rows;
    if (authz_scope(req, "population.read", "t.code", NULL, NULL, &scope, &e) < 0 ||
        population_store_years(req->db, req->district, &years, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t year = json_array_size(years) ? json_integer_value(json_array_get(years, 0)) : atoi(req->today);
    const char *asked = http_query(req, "year");
    if (asked && (parse_int64(asked, &year) < 0 || population_year_check(year, atoi(req->today), &e) < 0)) {
        json_decref(years);
        return e.status ? http_reply_err(rep, &e) : http_reply_error(rep, 422, "bad_year", "year", "年份应为四位数字");
    }
    if (population_store_year(req->db, req->district, scope.sql, &scope.params, (int)year, &rows, &e) < 0) {
        json_decref(years);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:o, s:o}", "year", (json_int_t)year, "years", years, "towns", rows));
}

int population_write_begin(struct http_req *req, struct population_towns *towns, struct err *e)
{
    struct authz_target t = {0};
    if (authz_require(req, "population.manage", &t, e) < 0)
        return -1;
    if (parse_int64(http_param(req, "year"), &towns->year) < 0)
        return err_set(e, 422, "bad_year", "year", "年份应为四位数字");
    if (population_year_check(towns->year, atoi(req->today), e) < 0 ||
        population_store_towns(req->db, req->district, towns->codes, POPULATION_MAX_ROWS, &towns->n, e) < 0)
        return -1;
    for (int i = 0; i < towns->n; i++)
        towns->known[i] = towns->codes[i];
    return 0;
}

static int put_population(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct population_towns *towns = http_alloc(req, sizeof *towns);
    struct population_row *rows = http_alloc(req, POPULATION_MAX_ROWS * sizeof *rows);
    int n;
    if (population_write_begin(req, towns, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t year = towns->year;
    const json_t *body = http_body(req);
    if (population_rows_from_json(body, towns->known, towns->n, rows, &n, &e) < 0)
        return http_reply_err(rep, &e);
    const char *source = json_string_value(json_object_get(body, "source"));
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0 ||
        population_store_put(req->db, req->district, (int)year, rows, n, source, req->user->id, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:s, s:O}", "year", (json_int_t)year, "source", source, "rows", json_object_get(body, "rows"));
    if (audit_request_commit(req, "population.update", "population", http_printf(req, "%lld", (long long)year), f, &e) < 0) {
        json_decref(f);
        return http_reply_err(rep, &e);
    }
    json_decref(f);
    struct authz_scope scope;
    json_t *years, *out;
    if (authz_scope(req, "population.read", "t.code", NULL, NULL, &scope, &e) < 0 ||
        population_store_years(req->db, req->district, &years, &e) < 0)
        return http_reply_err(rep, &e);
    if (population_store_year(req->db, req->district, scope.sql, &scope.params, (int)year, &out, &e) < 0) {
        json_decref(years);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:o, s:o}", "year", (json_int_t)year, "years", years, "towns", out));
}

#include "population/api.schemas.inc"

const struct route population_routes[] = {
    {"GET", "/api/v1/population", "population.read", get_population, NULL, &YEAR},
    {"PUT", "/api/v1/population/{year}", "population.manage", put_population, &population_body_schema, &YEAR},
    {NULL, NULL, NULL, NULL},
};

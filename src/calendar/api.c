/* api.c — HTTP routes of the working-day calendar: the years held and a year's holidays and
 * adjusted working days (public: families plan around them too), replacing a year (the district
 * administrator, from the State Council's notice; audited), and the working-day calculator
 * (is a day a working day, the day N working days after it). Also the per-thread copy of the
 * calendar every deadline of a request counts on (calendar_for_request). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "calendar/api.h"
#include "calendar/calendar.h"
#include "calendar/store.h"

/* ---- the calendar a request counts on ---- */

struct calendar_cache {
    struct date_calendar cal;
    long generation;
    int64_t loaded_at;
    int loaded;
};
static _Thread_local struct calendar_cache cache;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *c) { date_calendar_free(&((struct calendar_cache *)c)->cal); }
static void cache_key_create(void) { pthread_key_create(&cache_key, cache_free); }

int calendar_for_request(struct http_req *req, const struct date_calendar **out, struct err *e)
{
    long generation = atomic_load(&req->app->calendar_generation);
    if (!cache.loaded || cache.generation != generation || req->now - cache.loaded_at >= 60 ||
        req->now < cache.loaded_at) {
        struct date_calendar fresh;
        if (calendar_load(req->db, req->district, &fresh, e) < 0)
            return -1;
        pthread_once(&cache_once, cache_key_create);
        pthread_setspecific(cache_key, &cache); /* frees the copy at thread exit */
        date_calendar_free(&cache.cal);
        cache = (struct calendar_cache){.cal = fresh, .generation = generation, .loaded_at = req->now, .loaded = 1};
    }
    *out = &cache.cal;
    return 0;
}

/* ---- routes ---- */

static int list_years(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct calendar_year_info *years = http_alloc(req, DATE_CALENDAR_MAX_YEARS * sizeof *years);
    int n;
    if (calendar_list_years(req->db, req->district, years, DATE_CALENDAR_MAX_YEARS, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, calendar_year_info_to_json(&years[i]));
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

static int year_missing(struct http_reply *rep, int status, int year)
{
    return http_reply_error(rep, status, "calendar_year_missing", "year",
                            "工作日历中没有 %d 年：请先添加 %d 年的法定节假日和调休上班日", year, year);
}

static int get_year(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int year;
    if (calendar_parse_year(http_param(req, "year"), &year, &e) < 0)
        return http_reply_err(rep, &e);
    struct calendar_year *y = http_alloc(req, sizeof *y);
    int rc = calendar_load_year(req->db, req->district, year, y, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return year_missing(rep, 404, year);
    return http_reply_json(rep, 200, calendar_year_to_json(y));
}

/* The years held, with `year` added, still span at most DATE_CALENDAR_MAX_YEARS. */
static int span_allows(struct http_req *req, int year, struct err *e)
{
    struct calendar_year_info *years = http_alloc(req, DATE_CALENDAR_MAX_YEARS * sizeof *years);
    int n;
    if (calendar_list_years(req->db, req->district, years, DATE_CALENDAR_MAX_YEARS, &n, e) < 0)
        return -1;
    int first = n && years[0].year < year ? years[0].year : year;
    int last = n && years[n - 1].year > year ? years[n - 1].year : year;
    if (last - first >= DATE_CALENDAR_MAX_YEARS)
        return err_set(e, 422, "calendar_span", "year", "工作日历最多跨 %d 年（现有 %d–%d 年）", DATE_CALENDAR_MAX_YEARS,
                       years[0].year, years[n - 1].year);
    return 0;
}

static int put_year(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user->town_code};
    if (authz_require(req, "calendar.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int year;
    struct calendar_year *after = http_alloc(req, sizeof *after), *before = http_alloc(req, sizeof *before);
    if (calendar_parse_year(http_param(req, "year"), &year, &e) < 0 ||
        calendar_year_from_json(http_body(req), year, after, &e) < 0 || span_allows(req, year, &e) < 0)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, after->updated_at, sizeof after->updated_at);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int held = calendar_load_year(req->db, req->district, year, before, &e);
    if (held < 0 || calendar_replace_year(req->db, req->district, after, after->updated_at, &e) < 0)
        goto fail;
    json_t *changes = calendar_changes(held ? before : NULL, after);
    /* the audit row last, with the commit: the chain's head is locked only for that round trip */
    int rc = audit_request_commit(req, "calendar.manage", "calendar_year", http_printf(req, "%d", year), changes, &e);
    json_decref(changes);
    if (rc < 0)
        goto fail;
    atomic_fetch_add(&req->app->calendar_generation, 1);
    return http_reply_json(rep, 200, calendar_year_to_json(after));
fail:
    return http_reply_rollback(req, rep, &e);
}

static int workday(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *date = http_param(req, "date"), *add_q = http_query(req, "add");
    if (date_parse(date, NULL, &e) < 0) {
        e.status = 400;
        snprintf(e.field, sizeof e.field, "date");
        return http_reply_err(rep, &e);
    }
    int64_t add = 0;
    if (add_q && (parse_int64(add_q, &add) < 0 || add < -DATE_MAX_WORKING_DAYS || add > DATE_MAX_WORKING_DAYS))
        return http_reply_error(rep, 400, "bad_add", "add", "add 应为 %d 到 %d 之间的整数（工作日数）", -DATE_MAX_WORKING_DAYS,
                                DATE_MAX_WORKING_DAYS);
    const struct date_calendar *cal;
    int working;
    char result[DATE_DAY_LEN], name[64] = "";
    if (calendar_for_request(req, &cal, &e) < 0)
        return http_reply_err(rep, &e);
    if (date_is_working_day(cal, date, &working, &e) < 0) {
        snprintf(e.field, sizeof e.field, "date");
        return http_reply_err(rep, &e);
    }
    if (date_add_working_days(cal, date, (int)add, result, &e) < 0) {
        snprintf(e.field, sizeof e.field, "add");
        return http_reply_err(rep, &e);
    }
    int listed = calendar_day_name(req->db, req->district, date, name, sizeof name, &e);
    if (listed < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:s, s:b, s:s?, s:I, s:s}", "date", date, "working", working, "name",
                                               listed ? name : NULL, "add", (json_int_t)add, "result", result));
}

#include "calendar/api.schemas.inc"

const struct route calendar_routes[] = {
    {"GET", "/api/v1/public/calendar", "public", list_years, NULL, &YEARS},
    {"GET", "/api/v1/public/calendar/{year}", "public", get_year, NULL, &YEAR},
    {"PUT", "/api/v1/calendar/{year}", "calendar.manage", put_year, &calendar_year_schema, &YEAR},
    {"GET", "/api/v1/public/workdays/{date}", "public", workday, NULL, &WORKDAY},
    {NULL, NULL, NULL, NULL},
};

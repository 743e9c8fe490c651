/* api.c — HTTP routes of quality assessment and star rating (issue 17): the district's
 * assessment schemes, public — families read what a level means, institutions what they are
 * assessed on — each with its dimensions, items, levels and every figure's basis and certainty. */
#include "app.h"
#include "base/date.h"
#include "rating/api.h"
#include "rating/store.h"

/* GET /api/v1/public/rating-schemes: every scheme version with its levels, the ones in force
 * today marked current. */
static int list_schemes(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    char today[DATE_DAY_LEN];
    date_format_day(req->now, today, sizeof today);
    json_t *items;
    if (rating_store_list(req->db, req->district, today, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/public/rating-schemes/{id}: one scheme in full. */
static int get_scheme(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    json_t *doc;
    if (rating_store_load(req->db, req->district, http_param_id(req, "id"), s, &doc, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, doc);
}

#include "rating/api.schemas.inc"

const struct route rating_routes[] = {
    {"GET", "/api/v1/public/rating-schemes", "public", list_schemes, NULL, &SCHEMES},
    {"GET", "/api/v1/public/rating-schemes/{id}", "public", get_scheme, NULL, &SCHEME},
    {NULL, NULL, NULL, NULL},
};

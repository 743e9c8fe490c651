/* api.c — HTTP routes of the institution registry: the staff list and record (scoped by
 * jurisdiction), create and update (validated, transactional, audited), compliance findings,
 * and the public search of filed institutions for families. */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypt.h"
#include "base/date.h"
#include "base/geo.h"
#include "base/parse.h"
#include "enrol/enrol.h"
#include "http/http.h"
#include "registry/api.h"
#include "registry/store.h"

/* Escape % _ and \ for LIKE … ESCAPE '\'. */
static char *like_pattern(struct http_req *req, const char *q)
{
    size_t n = strlen(q);
    char *out = http_alloc(req, 2 * n + 3), *p = out;
    *p++ = '%';
    for (; *q; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            *p++ = '\\';
        *p++ = *q;
    }
    *p++ = '%';
    *p = 0;
    return out;
}

/* Collects WHERE fragments and their parameters for the list queries. */
struct where {
    char sql[1024];
    size_t len;
    struct db_params params;
};

static void where_add(struct where *w, const char *frag)
{
    w->len += (size_t)snprintf(w->sql + w->len, sizeof w->sql - w->len, " AND %s", frag);
}
static void where_text(struct where *w, const char *frag, const char *v)
{
    where_add(w, frag);
    db_params_text(&w->params, v);
}
static void where_num(struct where *w, const char *frag, int64_t v)
{
    where_add(w, frag);
    db_params_int64(&w->params, v);
}
static int where_bind(struct db_stmt *st, int first, const void *arg)
{
    return db_params_bind(&((const struct where *)arg)->params, st, first);
}

/* Shared filters of the staff and public lists. */
static int common_filters(struct http_req *req, struct where *w, struct err *e)
{
    const char *town = http_query(req, "town"), *inclusive = http_query(req, "inclusive"), *q = http_query(req, "q");
    const char *model = http_query(req, "operating_model");
    if (town && town[0])
        where_text(w, "i.town_code = ?", town);
    if (model && model[0]) {
        if (!operating_model_name(model))
            return err_set(e, 400, "bad_operating_model", "operating_model", "办托模式无效：%s", model);
        where_text(w, "i.operating_model = ?", model);
    }
    if (inclusive && inclusive[0]) {
        if (strcmp(inclusive, "0") && strcmp(inclusive, "1") && strcmp(inclusive, "true") && strcmp(inclusive, "false"))
            return err_set(e, 400, "bad_inclusive", "inclusive", "inclusive 应为 0 或 1");
        where_num(w, "i.inclusive = ?", inclusive[0] == '1' || inclusive[0] == 't');
    }
    if (q && q[0]) {
        if (strlen(q) > 100)
            return err_set(e, 400, "too_long", "q", "搜索词过长");
        const char *pat = like_pattern(req, q);
        where_text(w, "(i.name LIKE ? ESCAPE '\\' OR i.address LIKE ? ESCAPE '\\')", pat);
        db_params_text(&w->params, pat); /* the same pattern for the second placeholder */
    }
    return 0;
}

static int list_institutions(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct where w = {.sql = "", .len = 0};
    struct http_page page;
    if (authz_scope(req, "institution.list", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0 || common_filters(req, &w, &e) < 0)
        return http_reply_err(rep, &e);
    const char *status = http_query(req, "status");
    if (status && status[0])
        where_text(&w, "i.status = ?", status);
    char *sql = http_printf(
        req,
        "SELECT i.id, i.name, i.uscc, i.town_code, t.name, i.address, i.operating_model, i.ownership, i.inclusive, "
        "i.status, i.star_level, i.lon, i.lat, COALESCE(c.places, 0), COALESCE(c.enrolled, 0) "
        "FROM institution i JOIN town t ON t.code = i.town_code "
        "LEFT JOIN (SELECT institution_id, SUM(capacity) AS places, SUM(enrolled) AS enrolled FROM institution_class "
        "GROUP BY institution_id) c ON c.institution_id = i.id "
        "WHERE i.district_code = ? AND %s%s AND i.id > ? ORDER BY i.id LIMIT ?",
        scope.sql, w.sql);
    struct db_stmt *st;
    if (db_prepare(req->db, sql, &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    int next = authz_scope_bind(&scope, st, 2);
    next = where_bind(st, next, &w);
    db_bind_int64(st, next++, page.after_id);
    db_bind_int64(st, next, page.limit + 1);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), NULL))
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:b, s:s, s:i, s:f, s:f, s:i, s:i}", "id",
                             (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "uscc", db_col_text(st, 2), "town_code",
                             db_col_text(st, 3), "town_name", db_col_text(st, 4), "address", db_col_text(st, 5),
                             "operating_model", db_col_text(st, 6), "operating_model_name",
                             operating_model_name(db_col_text(st, 6)), "ownership", db_col_text(st, 7), "inclusive",
                             (int)db_col_int64(st, 8), "status", db_col_text(st, 9), "star_level",
                             (int)db_col_int64(st, 10), "lon", db_col_double(st, 11), "lat", db_col_double(st, 12),
                             "places", (int)db_col_int64(st, 13), "enrolled", (int)db_col_int64(st, 14)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* Load the institution named in the path and check the action on it. */
static struct institution *load_for(struct http_req *req, const char *action, char *town_name, struct err *e)
{
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->app->district_code, http_param_id(req, "id"), in, e) < 0)
        return NULL;
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    if (authz_require(req, action, &t, e) < 0)
        return NULL;
    if (town_name && registry_town_name(req->db, req->app->district_code, in->town_code, town_name, 64, e) < 0)
        return NULL;
    return in;
}

/* Each worker thread keeps the serialised JSON of the institutions it served, keyed by id and
 * the row's version (bumped by every update), so a repeated read costs one indexed point query
 * plus the authorization check instead of three queries and a JSON build. */
#define RECORD_CACHE_SLOTS 1024
struct record_cache_slot {
    int64_t id, version;
    char *json;
    size_t len;
};
static _Thread_local struct record_cache_slot record_cache[RECORD_CACHE_SLOTS];
static pthread_key_t record_cache_key;
static pthread_once_t record_cache_once = PTHREAD_ONCE_INIT;

static void record_cache_free(void *cache)
{
    struct record_cache_slot *slots = cache;
    for (int i = 0; i < RECORD_CACHE_SLOTS; i++)
        free(slots[i].json);
}
static void record_cache_key_create(void) { pthread_key_create(&record_cache_key, record_cache_free); }

static int get_institution(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct db_stmt *st;
    if (db_prepare(req->db, "SELECT town_code, version FROM institution WHERE id = ? AND district_code = ?", &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, req->app->district_code);
    int rc = db_step(st, &e);
    char town[16] = "";
    int64_t version = 0;
    if (rc == DB_ROW) {
        snprintf(town, sizeof town, "%s", db_col_text(st, 0));
        version = db_col_int64(st, 1);
    }
    db_finalize(st);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc != DB_ROW)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该托育机构");
    struct authz_target t = {.town_code = town, .institution_id = id};
    if (authz_require(req, "institution.read", &t, &e) < 0)
        return http_reply_err(rep, &e);

    struct record_cache_slot *slot = &record_cache[(uint64_t)id % RECORD_CACHE_SLOTS];
    if (!(slot->json && slot->id == id && slot->version == version)) {
        char town_name[64] = "";
        struct institution *in = http_alloc(req, sizeof *in);
        if (registry_load(req->db, req->app->district_code, id, in, &e) < 0 ||
            registry_town_name(req->db, req->app->district_code, in->town_code, town_name, sizeof town_name, &e) < 0)
            return http_reply_err(rep, &e);
        json_t *j = registry_to_json(in, town_name);
        char *text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
        json_decref(j);
        if (!text)
            return http_reply_error(rep, 500, "oom", "", "内存不足");
        pthread_once(&record_cache_once, record_cache_key_create);
        pthread_setspecific(record_cache_key, record_cache); /* frees the entries at thread exit */
        free(slot->json);
        *slot = (struct record_cache_slot){.id = id, .version = version, .json = text, .len = strlen(text)};
    }
    char *body = http_alloc(req, slot->len);
    memcpy(body, slot->json, slot->len);
    rep->status = 200;
    rep->raw = body;
    rep->raw_len = slot->len;
    return 0;
}

/* Top-level fields whose values differ between two JSON records, personal data masked. */
static json_t *changed_fields(const json_t *before, const json_t *after)
{
    json_t *diff = json_object();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)after, key, v)
    {
        json_t *old = before ? json_object_get(before, key) : NULL;
        if (old && json_equal(old, v))
            continue;
        if (strcmp(key, "director") == 0 || strcmp(key, "phone") == 0) {
            char masked[128];
            const char *s = json_string_value(v);
            if (key[0] == 'd')
                mask_name(s ? s : "", masked, sizeof masked);
            else
                mask_phone(s ? s : "", masked, sizeof masked);
            json_object_set_new(diff, key, json_string(masked));
        } else {
            json_object_set(diff, key, v);
        }
    }
    return diff;
}

/* Fields only regulators decide (sub-action institution.update.regulated). The town is not one
 * of them: moving an institution to another town is institution.transfer. */
static const char *regulator_field_changed(const struct institution *a, const struct institution *b)
{
    if (strcmp(a->status, b->status))
        return "status";
    if (a->inclusive != b->inclusive || strcmp(a->inclusive_since, b->inclusive_since))
        return "inclusive";
    if (a->star_level != b->star_level)
        return "star_level";
    if (a->demonstration != b->demonstration)
        return "demonstration";
    if (strcmp(a->uscc, b->uscc))
        return "uscc";
    return NULL;
}

static int save(struct http_req *req, struct http_reply *rep, struct institution *before)
{
    struct err e = {0};
    const char *today = req->today;
    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct registry_rules rules;
    if (registry_rules_from_params(req->db, req->app->district_code, today, &rules, NULL, &e) < 0)
        return http_reply_err(rep, &e);
    struct institution *in = http_alloc(req, sizeof *in);
    if (before)
        *in = *before;
    else
        memset(in, 0, sizeof *in), snprintf(in->status, sizeof in->status, "pending"), in->floor = 1;
    int rc = registry_from_json(http_body(req), &rules, today, in, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    char town_name[64] = "";
    rc = registry_town_name(req->db, req->app->district_code, in->town_code, town_name, sizeof town_name, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return http_reply_error(rep, 422, "unknown_town", "town_code", "镇街代码不存在：%s", in->town_code);
    if (before) {
        /* the institution where it is, and where the record would move it */
        struct authz_target here = {.town_code = before->town_code, .institution_id = before->id};
        struct authz_target there = {.town_code = in->town_code, .institution_id = before->id};
        const char *f = regulator_field_changed(before, in);
        if (f && !authz_allows(req, "institution.update.regulated", &here))
            return http_reply_error(rep, 403, "regulator_field", f, "该字段由主管部门认定，机构不能修改");
        if (strcmp(in->town_code, before->town_code) && !authz_allows(req, "institution.transfer", &there))
            return http_reply_error(rep, 403, "outside_jurisdiction", "town_code", "不能将机构划转到其他镇街");
    }

    json_t *old_json = before ? registry_to_json(before, NULL) : NULL;
    if (db_begin(req->db, &e) < 0)
        goto fail_nojson;
    rc = before ? registry_update(req->db, req->app->district_code, in, now_ts, &e)
                : registry_insert(req->db, req->app->district_code, in, now_ts, 0, &e);
    if (rc < 0)
        goto fail;
    json_t *new_json = registry_to_json(in, town_name);
    json_t *diff = changed_fields(old_json, new_json);
    json_object_del(diff, "updated_at");
    rc = audit_request(req, before ? "institution.update" : "institution.create", "institution",
                       http_printf(req, "%" PRId64, in->id), diff, &e);
    json_decref(diff);
    if (rc < 0 || db_commit(req->db, &e) < 0) {
        json_decref(new_json);
        goto fail;
    }
    json_decref(old_json);
    return http_reply_json(rep, before ? 200 : 201, new_json);
fail:
    db_rollback(req->db);
fail_nojson:
    json_decref(old_json);
    return http_reply_err(rep, &e);
}

static int create_institution(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user->town_code};
    if (authz_require(req, "institution.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    return save(req, rep, NULL);
}

static int update_institution(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = load_for(req, "institution.update", NULL, &e);
    if (!in)
        return http_reply_err(rep, &e);
    return save(req, rep, in);
}

static json_t *findings_json(const struct finding *f, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:o}", "rule", f[i].rule, "severity", f[i].severity,
                                               "message", f[i].message, "basis", f[i].basis, "class_id",
                                               f[i].class_id ? json_integer(f[i].class_id) : json_null()));
    return items;
}

static int get_findings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = load_for(req, "institution.findings", NULL, &e);
    if (!in)
        return http_reply_err(rep, &e);
    const char *today = req->today;
    struct registry_rules rules;
    char(*basis)[160] = http_alloc(req, RULE_COUNT * 160);
    if (registry_rules_from_params(req->db, req->app->district_code, today, &rules, basis, &e) < 0)
        return http_reply_err(rep, &e);
    const char *basis_ptr[RULE_COUNT];
    for (int i = 0; i < RULE_COUNT; i++)
        basis_ptr[i] = basis[i];
    struct finding f[64];
    int n = registry_findings(in, &rules, basis_ptr, today, f, 64);
    return http_reply_json(rep, 200, json_pack("{s:s, s:o}", "as_of", today, "items", findings_json(f, n)));
}

/* ---- public search (no login): filed institutions only ---- */

static double haversine_km(double lon1, double lat1, double lon2, double lat2)
{
    return geo_haversine_m(lat1, lon1, lat2, lon2) / 1000.0;
}

static int64_t min_basic_fee(const struct institution *in)
{
    int64_t best = -1;
    for (int i = 0; i < in->nfees; i++)
        if (strcmp(in->fees[i].category, "basic") == 0 && (best < 0 || in->fees[i].amount_fen < best))
            best = in->fees[i].amount_fen;
    return best;
}

/* Places held (active bookings, open offers: view held_place) per institution and class type. */
struct held_places {
    int n;
    int64_t *inst;
    int *type, *count;
};

static int held_load(struct http_req *req, int64_t only_inst, struct held_places *h, struct err *e)
{
    memset(h, 0, sizeof *h);
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT h.institution_id, h.class_type, COUNT(*) FROM held_place h JOIN institution i ON "
                   "i.id = h.institution_id WHERE i.district_code = ? AND (? = 0 OR h.institution_id = ?) "
                   "GROUP BY h.institution_id, h.class_type",
                   &st, e) < 0)
        return -1;
    db_bind_text(st, 1, req->app->district_code);
    db_bind_int64(st, 2, only_inst);
    db_bind_int64(st, 3, only_inst);
    int rc, cap = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (h->n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *ni = http_alloc(req, (size_t)cap * sizeof *ni);
            int *nt = http_alloc(req, (size_t)cap * sizeof *nt), *nc = http_alloc(req, (size_t)cap * sizeof *nc);
            if (h->n) {
                memcpy(ni, h->inst, (size_t)h->n * sizeof *ni);
                memcpy(nt, h->type, (size_t)h->n * sizeof *nt);
                memcpy(nc, h->count, (size_t)h->n * sizeof *nc);
            }
            h->inst = ni;
            h->type = nt;
            h->count = nc;
        }
        h->inst[h->n] = db_col_int64(st, 0);
        h->type[h->n] = class_type_from_code(db_col_text(st, 1));
        h->count[h->n++] = (int)db_col_int64(st, 2);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* Free places of institution in by class type (enrol_free_places). */
static void free_by_type(const struct institution *in, const struct held_places *h, int free_places[CLASS_TYPE_COUNT])
{
    int capacity[CLASS_TYPE_COUNT] = {0}, enrolled[CLASS_TYPE_COUNT] = {0}, held[CLASS_TYPE_COUNT] = {0};
    for (int i = 0; i < in->nclasses; i++) {
        capacity[in->classes[i].type] += in->classes[i].capacity;
        enrolled[in->classes[i].type] += in->classes[i].enrolled;
    }
    for (int k = 0; k < h->n; k++)
        if (h->inst[k] == in->id && h->type[k] >= 0)
            held[h->type[k]] += h->count[k];
    for (int t = 0; t < CLASS_TYPE_COUNT; t++)
        free_places[t] = enrol_free_places(capacity[t], enrolled[t], held[t]);
}

static json_t *public_summary(const struct institution *in, const char *town_name, const struct held_places *h)
{
    json_t *types = json_array(), *vac = json_object();
    int seen[CLASS_TYPE_COUNT] = {0}, free_places[CLASS_TYPE_COUNT];
    free_by_type(in, h, free_places);
    for (int i = 0; i < in->nclasses; i++)
        seen[in->classes[i].type] = 1;
    for (int t = 0; t < CLASS_TYPE_COUNT; t++)
        if (seen[t]) {
            json_array_append_new(types, json_string(class_type_code((enum class_type)t)));
            json_object_set_new(vac, class_type_code((enum class_type)t), json_integer(free_places[t]));
        }
    int64_t fee = min_basic_fee(in);
    return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:f, s:f, s:s, s:s?, s:s, s:b, s:i, s:b, s:o, s:o, s:o, s:i, s:s}", "id",
                     (json_int_t)in->id, "name", in->name, "town_code", in->town_code, "town_name", town_name,
                     "address", in->address, "lon", in->lon, "lat", in->lat, "operating_model", in->operating_model,
                     "operating_model_name", operating_model_name(in->operating_model), "ownership", in->ownership,
                     "inclusive", in->inclusive, "star_level", in->star_level, "demonstration", in->demonstration,
                     "class_types", types, "vacancies", vac, "min_basic_fee_fen",
                     fee >= 0 ? json_integer(fee) : json_null(), "places", institution_places(in), "opening_hours",
                     in->opening_hours);
}

struct town_names {
    char code[16][16];
    char name[16][64];
    int n;
};

static int load_town_names(struct http_req *req, struct town_names *t, struct err *e)
{
    struct db_stmt *st;
    t->n = 0;
    if (db_prepare(req->db, "SELECT code, name FROM town WHERE district_code = ? ORDER BY code", &st, e) < 0)
        return -1;
    db_bind_text(st, 1, req->app->district_code);
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && t->n < 16) {
        snprintf(t->code[t->n], 16, "%s", db_col_text(st, 0));
        snprintf(t->name[t->n], 64, "%s", db_col_text(st, 1));
        t->n++;
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static const char *town_lookup(const struct town_names *t, const char *code)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->code[i], code) == 0)
            return t->name[i];
    return NULL;
}

static int public_list(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct where w = {.sql = "", .len = 0};
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0 || common_filters(req, &w, &e) < 0)
        return http_reply_err(rep, &e);
    where_add(&w, "i.status = 'filed'");
    const char *class_q = http_query(req, "class_type"), *fee_q = http_query(req, "max_fee_fen");
    int class_type = -1;
    int64_t max_fee = -1;
    double near_lon = 0, near_lat = 0, radius = 0;
    int near = 0;
    if (class_q && class_q[0] && (class_type = class_type_from_code(class_q)) < 0)
        return http_reply_error(rep, 400, "bad_class_type", "class_type", "班型无效：%s", class_q);
    if (fee_q && fee_q[0] && (parse_int64(fee_q, &max_fee) < 0 || max_fee < 0))
        return http_reply_error(rep, 400, "bad_fee", "max_fee_fen", "价格上限应为非负整数（分）");
    if (geo_parse_near(http_query(req, "near"), http_query(req, "radius_km"), &near, &near_lon, &near_lat, &radius,
                       &e) < 0)
        return http_reply_err(rep, &e);
    where_num(&w, "i.id > ?", page.after_id);
    struct institution *list;
    int n;
    if (registry_load_where(req->db, req->app->district_code, w.sql + 5 /* skip leading " AND " */, where_bind, &w,
                            &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    struct town_names towns;
    if (load_town_names(req, &towns, &e) < 0) {
        free(list);
        return http_reply_err(rep, &e);
    }
    struct held_places held;
    if (held_load(req, 0, &held, &e) < 0) {
        free(list);
        return http_reply_err(rep, &e);
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const struct institution *in = &list[i];
        if (class_type >= 0) {
            int free_places[CLASS_TYPE_COUNT];
            free_by_type(in, &held, free_places);
            if (free_places[class_type] <= 0)
                continue;
        }
        if (max_fee >= 0) {
            int64_t fee = min_basic_fee(in);
            if (fee < 0 || fee > max_fee)
                continue;
        }
        double dist = near ? haversine_km(near_lon, near_lat, in->lon, in->lat) : 0;
        if (near && dist > radius)
            continue;
        if (!http_page_take(req, &page, in->id, NULL))
            break;
        json_t *o = public_summary(in, town_lookup(&towns, in->town_code), &held);
        if (near)
            json_object_set_new(o, "distance_km", json_real(round(dist * 100) / 100));
        json_array_append_new(items, o);
    }
    free(list);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int public_get(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->app->district_code, id, in, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(in->status, "filed"))
        return http_reply_error(rep, 404, "not_found", "id", "未找到该托育机构");
    char town_name[64] = "";
    if (registry_town_name(req->db, req->app->district_code, in->town_code, town_name, sizeof town_name, &e) < 0)
        return http_reply_err(rep, &e);
    struct held_places held;
    if (held_load(req, id, &held, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = public_summary(in, town_name, &held);
    json_t *full = registry_to_json(in, town_name);
    const char *keep[] = {"classes", "fees", "service_types", "phone", "inclusive_since", "uscc", "ownership"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        json_object_set(o, keep[i], json_object_get(full, keep[i]));
    json_decref(full);
    return http_reply_json(rep, 200, o);
}

static int public_towns(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct db_stmt *st;
    if (db_prepare(req->db, "SELECT code, name, kind, population FROM town WHERE district_code = ? ORDER BY code", &st,
                   &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I}", "code", db_col_text(st, 0), "name",
                                               db_col_text(st, 1), "kind", db_col_text(st, 2), "population",
                                               (json_int_t)db_col_int64(st, 3)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

static const struct http_schema SUMMARY_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "机构编号"},
    {"name", HTTP_STRING, HTTP_REQUIRED, "机构名称"},
    {"uscc", HTTP_STRING, 0, "统一社会信用代码"},
    {"town_code", HTTP_STRING, HTTP_REQUIRED, "镇街代码"},
    {"town_name", HTTP_STRING, 0, "镇街名称"},
    {"address", HTTP_STRING, 0, "地址"},
    {"operating_model", HTTP_STRING, 0, "办托模式"},
    {"operating_model_name", HTTP_STRING, HTTP_NULLABLE, "办托模式名称"},
    {"ownership", HTTP_STRING, 0, "举办性质"},
    {"inclusive", HTTP_BOOLEAN, 0, "普惠"},
    {"status", HTTP_STRING, 0, "备案状态（公开列表只含 filed）"},
    {"star_level", HTTP_INTEGER, 0, "星级"},
    {"lon", HTTP_NUMBER, 0, "经度"},
    {"lat", HTTP_NUMBER, 0, "纬度"},
    {"places", HTTP_INTEGER, 0, "托位总数"},
    {"enrolled", HTTP_INTEGER, 0, "在托总数（员工列表）"},
    {"vacancies", HTTP_OBJECT, 0, "各班型空余托位（公开列表）"},
    {"min_basic_fee_fen", HTTP_INTEGER, HTTP_NULLABLE, "最低基本保育费（分，公开列表）"},
    {"distance_km", HTTP_NUMBER, 0, "与 near 的距离（公里，给出 near 时）"},
    {NULL},
};
static const struct http_schema SUMMARY = {NULL, HTTP_OBJECT, 0, "机构概要", .members = SUMMARY_MEMBERS};
static const struct http_schema SUMMARY_PAGE = HTTP_PAGE_OF(SUMMARY);

static const struct http_schema FINDING_MEMBERS[] = {
    {"rule", HTTP_STRING, HTTP_REQUIRED, "规则代码"},
    {"severity", HTTP_STRING, HTTP_REQUIRED, "严重程度（high/medium/low）"},
    {"message", HTTP_STRING, HTTP_REQUIRED, "说明"},
    {"basis", HTTP_STRING, HTTP_REQUIRED, "依据文件"},
    {"class_id", HTTP_ID, HTTP_NULLABLE, "涉及的班级"},
    {NULL},
};
static const struct http_schema FINDING = {NULL, HTTP_OBJECT, 0, "合规提示", .members = FINDING_MEMBERS};
static const struct http_schema FINDINGS = {NULL, HTTP_OBJECT, 0, "合规提示",
                                            .members = (const struct http_schema[]){
                                                {"as_of", HTTP_DATE, HTTP_REQUIRED, "评估日期"},
                                                {"items", HTTP_ARRAY, HTTP_REQUIRED, "提示", .items = &FINDING},
                                                {NULL}}};

static const struct http_schema TOWN_MEMBERS[] = {
    {"code", HTTP_STRING, HTTP_REQUIRED, "镇街代码"},
    {"name", HTTP_STRING, HTTP_REQUIRED, "名称"},
    {"kind", HTTP_STRING, 0, "街道或镇"},
    {"population", HTTP_INTEGER, 0, "常住人口"},
    {NULL},
};
static const struct http_schema TOWN = {NULL, HTTP_OBJECT, 0, "镇街", .members = TOWN_MEMBERS};
static const struct http_schema TOWNS = {NULL, HTTP_OBJECT, 0, "本区全部镇街（不分页）",
                                         .members = (const struct http_schema[]){
                                             {"items", HTTP_ARRAY, HTTP_REQUIRED, "镇街", .items = &TOWN}, {NULL}}};

const struct route registry_routes[] = {
    {"GET", "/api/v1/institutions", "institution.list", list_institutions, NULL, &SUMMARY_PAGE},
    {"POST", "/api/v1/institutions", "institution.create", create_institution, &registry_schema, &registry_schema, 201},
    {"GET", "/api/v1/institutions/{id}", "institution.read", get_institution, NULL, &registry_schema},
    {"PUT", "/api/v1/institutions/{id}", "institution.update", update_institution, &registry_schema, &registry_schema, 0,
     HTTP_SUBACTIONS("institution.update.regulated", "institution.transfer")},
    {"GET", "/api/v1/institutions/{id}/findings", "institution.findings", get_findings, NULL, &FINDINGS},
    {"GET", "/api/v1/public/institutions", "public", public_list, NULL, &SUMMARY_PAGE},
    {"GET", "/api/v1/public/institutions/{id}", "public", public_get, NULL, &SUMMARY},
    {"GET", "/api/v1/public/towns", "public", public_towns, NULL, &TOWNS},
    {NULL, NULL, NULL, NULL},
};

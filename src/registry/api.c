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
#include "base/json.h"
#include "base/parse.h"
#include "enrol/enrol.h"
#include "fees/public.h"
#include "http/http.h"
#include "rating/workflow.h"
#include "registry/api.h"
#include "registry/store.h"

/* The filters of the staff and public lists from the query, validated. */
static int list_filter(struct http_req *req, struct registry_filter *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    f->inclusive = -1;
    f->day = req->today;
    f->town = http_query(req, "town");
    f->operating_model = http_query(req, "operating_model");
    f->q = http_query(req, "q");
    const char *inclusive = http_query(req, "inclusive");
    if (f->operating_model && f->operating_model[0] && !operating_model_name(f->operating_model))
        return err_set(e, 400, "bad_operating_model", "operating_model", "办托模式无效：%s", f->operating_model);
    if (inclusive && inclusive[0]) {
        if (strcmp(inclusive, "0") && strcmp(inclusive, "1") && strcmp(inclusive, "true") && strcmp(inclusive, "false"))
            return err_set(e, 400, "bad_inclusive", "inclusive", "inclusive 应为 0 或 1");
        f->inclusive = inclusive[0] == '1' || inclusive[0] == 't';
    }
    if (f->q && strlen(f->q) > 100)
        return err_set(e, 400, "too_long", "q", "搜索词过长");
    return 0;
}

static int list_institutions(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct registry_filter f;
    struct http_page page;
    if (authz_scope(req, "institution.list", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0 || list_filter(req, &f, &e) < 0)
        return http_reply_err(rep, &e);
    f.status = http_query(req, "status");
    f.after_id = page.after_id;
    json_t *rows;
    if (registry_list_rows(req->db, req->district, scope.sql, &scope.params, &f, page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", NULL), *r;
    size_t i;
    json_array_foreach(items, i, r)
    {
        const char *model_name = operating_model_name(json_string_value(json_object_get(r, "operating_model")));
        if (model_name)
            json_object_set_new(r, "operating_model_name", json_string(model_name));
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

struct institution *registry_load_for(struct http_req *req, const char *action, struct err *e)
{
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, e) < 0)
        return NULL;
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    return authz_require(req, action, &t, e) < 0 ? NULL : in;
}

/* registry_load_for, and the name of the institution's town into town_name (64 bytes) unless NULL. */
static struct institution *load_for(struct http_req *req, const char *action, char *town_name, struct err *e)
{
    struct institution *in = registry_load_for(req, action, e);
    if (in && town_name && registry_town_name(req->db, req->district, in->town_code, town_name, 64, e) < 0)
        return NULL;
    return in;
}

/* Each worker thread keeps the serialised JSON of the institutions it served, keyed by id, the
 * row's version (bumped by every update, a fee catalogue's included) and the day (an announced fee
 * change takes over on its day), so a repeated read costs one indexed point query
 * plus the authorization check instead of three queries and a JSON build. */
#define RECORD_CACHE_SLOTS 1024
struct record_cache_slot {
    int64_t id, version;
    char day[DATE_DAY_LEN];
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
    char town[16] = "";
    int64_t version = 0;
    int rc = registry_version(req->db, req->district, id, town, &version, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该托育机构");
    struct authz_target t = {.town_code = town, .institution_id = id};
    if (authz_require(req, "institution.read", &t, &e) < 0)
        return http_reply_err(rep, &e);

    struct record_cache_slot *slot = &record_cache[(uint64_t)id % RECORD_CACHE_SLOTS];
    if (!(slot->json && slot->id == id && slot->version == version && strcmp(slot->day, req->today) == 0)) {
        char town_name[64] = "";
        struct institution *in = http_alloc(req, sizeof *in);
        if (registry_load(req->db, req->district, id, req->today, in, &e) < 0 ||
            registry_town_name(req->db, req->district, in->town_code, town_name, sizeof town_name, &e) < 0)
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
        snprintf(slot->day, sizeof slot->day, "%s", req->today);
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
    if (registry_rules_from_params(req->db, req->district, today, &rules, NULL, &e) < 0)
        return http_reply_err(rep, &e);
    struct institution *in = http_alloc(req, sizeof *in);
    if (before)
        *in = *before;
    else
        institution_init(in, "pending");
    int rc = registry_from_json(http_body(req), &rules, today, in, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    char town_name[64] = "";
    rc = registry_town_name(req->db, req->district, in->town_code, town_name, sizeof town_name, &e);
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
    rc = before ? registry_update(req->db, req->district, in, now_ts, &e)
                : registry_insert(req->db, req->district, in, now_ts, 0, &e);
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

/* ---- public search (no login): filed institutions only ---- */

static double haversine_km(double lon1, double lat1, double lon2, double lat2)
{
    return geo_haversine_m(lat1, lon1, lat2, lon2) / 1000.0;
}

/* Places held per institution and class type (registry_held_places). */
struct held_places {
    int n;
    struct registry_held *rows;
};

/* Free places of institution in by class type (enrol_free_places). */
static void free_by_type(const struct institution *in, const struct held_places *h, int free_places[CLASS_TYPE_COUNT])
{
    int capacity[CLASS_TYPE_COUNT] = {0}, enrolled[CLASS_TYPE_COUNT] = {0}, held[CLASS_TYPE_COUNT] = {0};
    for (int i = 0; i < in->nclasses; i++) {
        capacity[in->classes[i].type] += in->classes[i].capacity;
        enrolled[in->classes[i].type] += in->classes[i].enrolled;
    }
    for (int k = 0; k < h->n; k++)
        if (h->rows[k].institution_id == in->id && h->rows[k].class_type >= 0)
            held[h->rows[k].class_type] += h->rows[k].count;
    for (int t = 0; t < CLASS_TYPE_COUNT; t++)
        free_places[t] = enrol_free_places(capacity[t], enrolled[t], held[t]);
}

/* Set each class's own free places (enrol_class_free_places over the classes of its type, in id
 * order) as "free_places" of classes, the reply's classes in the order of in->classes. */
static void class_free_places(const struct institution *in, const struct held_places *h, json_t *classes)
{
    int held[CLASS_TYPE_COUNT] = {0};
    for (int k = 0; k < h->n; k++)
        if (h->rows[k].institution_id == in->id && h->rows[k].class_type >= 0)
            held[h->rows[k].class_type] += h->rows[k].count;
    for (int t = 0; t < CLASS_TYPE_COUNT; t++) {
        int capacity[REG_MAX_CLASSES], enrolled[REG_MAX_CLASSES], free_places[REG_MAX_CLASSES], at[REG_MAX_CLASSES], n = 0;
        for (int i = 0; i < in->nclasses; i++)
            if (in->classes[i].type == (enum class_type)t) {
                capacity[n] = in->classes[i].capacity;
                enrolled[n] = in->classes[i].enrolled;
                at[n++] = i;
            }
        enrol_class_free_places(n, capacity, enrolled, held[t], free_places);
        for (int k = 0; k < n; k++)
            json_object_set_new(json_array_get(classes, (size_t)at[k]), "free_places", json_integer(free_places[k]));
    }
}

/* The basic fee items (保育费) as families compare them, each with its service type and unit, so a
 * half-day, hourly or daily price is never read as the full-day monthly one. */
static json_t *basic_fees(const struct institution *in)
{
    json_t *a = json_array();
    for (int i = 0; i < in->nfees; i++)
        if (strcmp(in->fees[i].category, FEE_BASIC) == 0) {
            json_t *f = fees_item_json(&in->fees[i]);
            json_object_del(f, "category");
            json_array_append_new(a, f);
        }
    return a;
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
    int64_t fee = fees_monthly_full_day(in->fees, in->nfees);
    return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:f, s:f, s:s, s:s?, s:s, s:b, s:i, s:b, s:o, s:o, s:o, s:o, s:i, s:s}",
                     "id",
                     (json_int_t)in->id, "name", in->name, "town_code", in->town_code, "town_name", town_name,
                     "address", in->address, "lon", in->lon, "lat", in->lat, "operating_model", in->operating_model,
                     "operating_model_name", operating_model_name(in->operating_model), "ownership", in->ownership,
                     "inclusive", in->inclusive, "star_level", in->star_level, "demonstration", in->demonstration,
                     "class_types", types, "vacancies", vac, "monthly_fee_fen",
                     fee >= 0 ? json_integer(fee) : json_null(), "basic_fees", basic_fees(in), "places", institution_places(in), "opening_hours",
                     in->opening_hours);
}

/* The name of town code among rows of registry_towns, or NULL. */
static const char *town_lookup(json_t *towns, const char *code)
{
    json_t *t;
    size_t i;
    json_array_foreach(towns, i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "code")), code) == 0)
            return json_string_value(json_object_get(t, "name"));
    }
    return NULL;
}

/* The public list's orders (?sort=): by id (none), distance from near, monthly fee (lowest first,
 * none last), free places (most first: of class_type when given, else of all types). */
enum public_sort { SORT_ID, SORT_DISTANCE, SORT_FEE, SORT_FREE };

/* One institution that passed the filters, with its sort key (fixed width, so keys compare as
 * strings, as the page cursor carries them). */
struct public_hit {
    const struct institution *in;
    double dist;
    char key[24];
};

static int hit_cmp(const void *a, const void *b)
{
    const struct public_hit *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->in->id > y->in->id) - (x->in->id < y->in->id);
}

/* The district's catalogue the parents' searches filter: its filed institutions in id order with
 * the fee catalogues in force today, the places families hold and its towns. Kept as one part of
 * the answers (http_kept_part_*) while the district's public stamps are unchanged (the version
 * registry_public_version names), so a search with a new point or filter loads nothing from the
 * database beyond that version. One block: this header, then n institutions, nheld held places and
 * the towns' JSON text. */
struct catalogue {
    int n, nheld;
    size_t towns_len;
};

struct catalogue_view {
    struct catalogue *block; /* free it */
    const struct institution *list;
    struct held_places held;
    json_t *towns;
};

/* The catalogue's parts pointed at in c->block. */
static int catalogue_open(struct catalogue_view *v, struct err *e)
{
    struct catalogue *c = v->block;
    v->list = (const struct institution *)(c + 1);
    v->held.rows = (struct registry_held *)(v->list + c->n);
    v->held.n = c->nheld;
    v->towns = json_loadb((const char *)(v->held.rows + c->nheld), c->towns_len, 0, NULL);
    return v->towns ? 0 : err_set(e, 500, "oom", "", "内存不足");
}

/* The district's catalogue from the database, packed into one block. */
static struct catalogue *catalogue_load(struct http_req *req, size_t *size, struct err *e)
{
    struct registry_filter f = {.status = "filed", .inclusive = -1, .day = req->today};
    struct institution *list = NULL;
    struct registry_held *held = NULL;
    json_t *towns = NULL;
    char *towns_text = NULL;
    int n = 0, nheld = 0;
    struct catalogue *c = NULL;
    if (registry_load_filtered(req->db, req->district, &f, &list, &n, e) == 0 &&
        registry_held_places(req->db, req->district, 0, &held, &nheld, e) == 0 &&
        registry_towns(req->db, req->district, &towns, e) == 0 &&
        (towns_text = json_dumps(towns, JSON_COMPACT))) {
        size_t towns_len = strlen(towns_text);
        *size = sizeof *c + (size_t)n * sizeof *list + (size_t)nheld * sizeof *held + towns_len;
        if ((c = malloc(*size))) {
            *c = (struct catalogue){.n = n, .nheld = nheld, .towns_len = towns_len};
            char *p = (char *)(c + 1);
            if (n) /* an empty list may be NULL, which memcpy may not be given */
                memcpy(p, list, (size_t)n * sizeof *list);
            p += (size_t)n * sizeof *list;
            if (nheld)
                memcpy(p, held, (size_t)nheld * sizeof *held);
            memcpy(p + (size_t)nheld * sizeof *held, towns_text, towns_len);
        }
    }
    if (!c && !e->code[0])
        err_set(e, 500, "oom", "", "内存不足");
    free(towns_text);
    json_decref(towns);
    free(held);
    free(list);
    return c;
}

/* The catalogue of the request's district: kept, or loaded and kept, under the version the kept
 * answer read for this request (read here when the list was not asked through it: an export).
 * 0 with v (catalogue_close it), or -1 with e. */
static int catalogue_get(struct http_req *req, struct catalogue_view *v, struct err *e)
{
    char read[160];
    const char *version = req->kept_version;
    size_t size;
    memset(v, 0, sizeof *v);
    if (!version) {
        if (registry_public_version(req, read, sizeof read, e) < 0)
            return -1;
        version = read;
    }
    v->block = http_kept_part_get("public.catalogue", req->district, version, &size);
    if (!v->block) {
        if (!(v->block = catalogue_load(req, &size, e)))
            return -1;
        http_kept_part_put("public.catalogue", req->district, version, v->block, size);
    }
    return catalogue_open(v, e);
}

static void catalogue_close(struct catalogue_view *v)
{
    json_decref(v->towns);
    free(v->block);
}

/* Does institution in pass the list filters f (as registry_load_filtered would take it: town,
 * operating model, 普惠, name or address containing q — Latin letters in any case — and ids after
 * after_id)? */
static int filter_takes(const struct registry_filter *f, const struct institution *in)
{
    return (!f->town || !f->town[0] || strcmp(in->town_code, f->town) == 0) &&
           (!f->operating_model || !f->operating_model[0] || strcmp(in->operating_model, f->operating_model) == 0) &&
           (f->inclusive < 0 || in->inclusive == f->inclusive) &&
           (!f->q || !f->q[0] || strcasestr(in->name, f->q) || strcasestr(in->address, f->q)) && in->id > f->after_id;
}

static int public_list(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct registry_filter f;
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0 || list_filter(req, &f, &e) < 0)
        return http_reply_err(rep, &e);
    const char *class_q = http_query(req, "class_type"), *fee_q = http_query(req, "max_fee_fen");
    const char *sort_q = http_query(req, "sort");
    enum public_sort sort = SORT_ID;
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
    if (sort_q && sort_q[0]) {
        static const char *const SORTS[] = {"id", "distance", "fee", "free_places"};
        for (sort = SORT_ID; sort <= SORT_FREE && strcmp(SORTS[sort], sort_q); sort++)
            ;
        if (sort > SORT_FREE)
            return http_reply_error(rep, 400, "bad_sort", "sort", "排序方式无效：%s（可选 distance、fee、free_places）",
                                    sort_q);
        if (sort == SORT_DISTANCE && !near)
            return http_reply_error(rep, 400, "near_required", "sort", "按距离排序须先选择位置（near）");
    }
    f.after_id = sort == SORT_ID ? page.after_id : 0; /* another order: every row, sorted here */
    struct catalogue_view cat;
    if (catalogue_get(req, &cat, &e) < 0)
        return http_reply_err(rep, &e);
    const struct held_places held = cat.held;
    int n = cat.block->n;
    struct public_hit *hits = n ? http_alloc(req, (size_t)n * sizeof *hits) : NULL;
    int nhits = 0;
    for (int i = 0; i < n; i++) {
        const struct institution *in = &cat.list[i];
        if (!filter_takes(&f, in))
            continue;
        int free_places[CLASS_TYPE_COUNT], free_total = 0;
        free_by_type(in, &held, free_places);
        for (int t = 0; t < CLASS_TYPE_COUNT; t++)
            free_total += free_places[t];
        if (class_type >= 0 && free_places[class_type] <= 0)
            continue;
        int64_t fee = fees_monthly_full_day(in->fees, in->nfees);
        if (max_fee >= 0 && (fee < 0 || fee > max_fee))
            continue;
        double dist = near ? haversine_km(near_lon, near_lat, in->lon, in->lat) : 0;
        if (near && dist > radius)
            continue;
        struct public_hit *h = &hits[nhits++];
        h->in = in;
        h->dist = dist;
        h->key[0] = '\0';
        if (sort == SORT_DISTANCE)
            snprintf(h->key, sizeof h->key, "%012lld", (long long)llround(dist * 1000));
        else if (sort == SORT_FEE)
            snprintf(h->key, sizeof h->key, fee < 0 ? "~" : "%015lld", (long long)fee);
        else if (sort == SORT_FREE)
            snprintf(h->key, sizeof h->key, "%09d", 999999999 - (class_type >= 0 ? free_places[class_type] : free_total));
    }
    if (sort != SORT_ID && nhits > 1)
        qsort(hits, (size_t)nhits, sizeof *hits, hit_cmp);
    json_t *items = json_array();
    for (int i = 0; i < nhits; i++) {
        const struct public_hit *h = &hits[i];
        int c = sort == SORT_ID ? 0 : strcmp(h->key, page.after_key);
        if (sort != SORT_ID && page.after_id && (c < 0 || (c == 0 && h->in->id <= page.after_id)))
            continue; /* on an earlier page */
        if (!http_page_take(req, &page, h->in->id, sort == SORT_ID ? NULL : h->key))
            break;
        json_t *o = public_summary(h->in, town_lookup(cat.towns, h->in->town_code), &held);
        if (near)
            json_object_set_new(o, "distance_km", json_real(round(h->dist * 100) / 100));
        json_array_append_new(items, o);
    }
    catalogue_close(&cat);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

int registry_public_version(struct http_req *req, char *version, size_t cap, struct err *e)
{
    int64_t stamps[3];
    if (registry_store_public_stamps(req->db, req->district, stamps, e) < 0)
        return -1;
    snprintf(version, cap, "%s %s %" PRId64 " %" PRId64 " %" PRId64, req->district, req->today, stamps[0],
             stamps[1], stamps[2]);
    return 0;
}

/* What the public details of many institutions read once for all of them (registry_exchange_records):
 * the levels in force and the fee histories, keyed by institution id (rating_public_levels,
 * fees_public_histories). */
struct public_district {
    json_t *ratings, *fees;
};

/* The public detail of filed institution in (GET /api/v1/public/institutions/{id}): the summary,
 * its classes with their free places, fees, contact, and the star level in force with what it
 * means (src/rating), from district's reads, or read for in alone when district is NULL. 0 with
 * *out, or -1 with e. */
static int public_detail(struct http_req *req, const struct institution *in, const char *town_name,
                         const struct held_places *held, const struct public_district *district, json_t **out,
                         struct err *e)
{
    json_t *o = public_summary(in, town_name, held);
    json_t *full = registry_to_json(in, town_name);
    class_free_places(in, held, json_object_get(full, "classes"));
    const char *keep[] = {"classes", "fees", "service_types", "phone", "inclusive_since", "uscc", "ownership"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        json_object_set(o, keep[i], json_object_get(full, keep[i]));
    json_decref(full);
    json_t *rating = district ? jobject_by_id(district->ratings, in->id) : NULL;
    int rc = 0;
    if (district)
        rating = rating ? json_incref(rating) : json_null();
    else
        rc = rating_public_level(req, in->id, &rating, e);
    if (rc == 0) {
        json_object_set_new(o, "rating", rating);
        rc = district ? fees_public_from(req, in, jobject_by_id(district->fees, in->id), o, e)
                      : fees_public(req, in, o, e);
    }
    if (rc < 0) {
        json_decref(o);
        return -1;
    }
    *out = o;
    return 0;
}

static int public_get(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, id, req->today, in, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(in->status, "filed"))
        return http_reply_error(rep, 404, "not_found", "id", "未找到该托育机构");
    char town_name[64] = "";
    if (registry_town_name(req->db, req->district, in->town_code, town_name, sizeof town_name, &e) < 0)
        return http_reply_err(rep, &e);
    struct held_places held;
    if (registry_held_places(req->db, req->district, id, &held.rows, &held.n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o;
    int rc = public_detail(req, in, town_name, &held, NULL, &o, &e);
    free(held.rows);
    return rc < 0 ? http_reply_err(rep, &e) : http_reply_json(rep, 200, o);
}

int registry_exchange_records(struct http_req *req, json_t **out, struct err *e)
{
    const struct registry_filter all = {.inclusive = -1, .day = req->today};
    struct institution *list = NULL;
    int n = 0;
    json_t *towns = NULL;
    struct held_places held = {0};
    struct public_district district = {0};
    *out = NULL;
    int rc = registry_load_filtered(req->db, req->district, &all, &list, &n, e) < 0 ||
                     registry_towns(req->db, req->district, &towns, e) < 0 ||
                     registry_held_places(req->db, req->district, 0, &held.rows, &held.n, e) < 0 ||
                     rating_public_levels(req, &district.ratings, e) < 0 ||
                     fees_public_histories(req, &district.fees, e) < 0
                 ? -1
                 : 0;
    json_t *records = json_array();
    for (int i = 0; rc == 0 && i < n; i++) {
        const struct institution *in = &list[i];
        json_t *o;
        if (strcmp(in->status, "filed") == 0)
            rc = public_detail(req, in, town_lookup(towns, in->town_code), &held, &district, &o, e);
        else
            o = json_pack("{s:I, s:s}", "id", (json_int_t)in->id, "status", in->status);
        if (rc == 0) {
            json_object_set_new(o, "status", json_string(in->status));
            json_array_append_new(records, o);
        }
    }
    json_decref(towns);
    json_decref(district.ratings);
    json_decref(district.fees);
    free(held.rows);
    free(list);
    if (rc < 0)
        json_decref(records);
    else
        *out = records;
    return rc;
}

static int public_towns(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *items;
    if (registry_towns(req->db, req->district, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

#include "registry/api.schemas.inc"

const struct route registry_routes[] = {
    {"GET", "/api/v1/institutions", "institution.list", list_institutions, NULL, &SUMMARY_PAGE},
    {"POST", "/api/v1/institutions", "institution.create", create_institution, &registry_schema, &registry_schema, 201},
    {"GET", "/api/v1/institutions/{id}", "institution.read", get_institution, NULL, &registry_schema},
    {"PUT", "/api/v1/institutions/{id}", "institution.update", update_institution, &registry_schema, &registry_schema, 0,
     HTTP_SUBACTIONS("institution.update.regulated", "institution.transfer")},
    {"GET", "/api/v1/public/institutions", "public", public_list, NULL, &SUMMARY_PAGE, .kept = registry_public_version},
    {"GET", "/api/v1/public/institutions/{id}", "public", public_get, NULL, &SUMMARY},
    {"GET", "/api/v1/public/towns", "public", public_towns, NULL, &TOWNS},
    {NULL, NULL, NULL, NULL},
};

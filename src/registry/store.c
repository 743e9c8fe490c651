/* store.c — reading and writing institutions, their classes and fee catalogues. */
#include "registry/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fees/store.h"

#define INST_COLUMNS                                                                                              \
    "i.id, i.town_code, i.name, i.uscc, i.address, i.lon, i.lat, i.operating_model, i.ownership, i.profit, "     \
    "i.inclusive, i.inclusive_since, i.inclusive_basis, i.status, i.star_level, i.demonstration, "               \
    "i.opening_hours, i.phone, i.director, i.service_types, i.premises_tenure, i.lease_start, i.lease_end, "     \
    "i.floor, i.health_workers, i.updated_at, i.health_room_m2, i.window_floor_ratio"

static const char *const SERVICE_CODES[] = {"full_day", "half_day", "hourly", "occasional"};

static unsigned services_from_text(const char *json_text)
{
    unsigned mask = 0;
    for (size_t k = 0; k < sizeof SERVICE_CODES / sizeof *SERVICE_CODES; k++)
        if (json_text && strstr(json_text, SERVICE_CODES[k]))
            mask |= 1u << k;
    return mask;
}

static char *services_to_text(unsigned mask, char *buf, size_t cap)
{
    size_t len = (size_t)snprintf(buf, cap, "[");
    for (size_t k = 0; k < sizeof SERVICE_CODES / sizeof *SERVICE_CODES; k++)
        if (mask & (1u << k))
            len += (size_t)snprintf(buf + len, cap - len, "%s\"%s\"", len > 1 ? "," : "", SERVICE_CODES[k]);
    snprintf(buf + len, cap - len, "]");
    return buf;
}

static void read_header(struct db_stmt *st, void *item)
{
    struct institution *in = item;
    memset(in, 0, sizeof *in);
    db_scan(st, DB_I64(&in->id), DB_TEXT(in->town_code), DB_TEXT(in->name), DB_TEXT(in->uscc), DB_TEXT(in->address),
            DB_F64(&in->lon), DB_F64(&in->lat), DB_TEXT(in->operating_model), DB_TEXT(in->ownership),
            DB_INT(&in->profit), DB_INT(&in->inclusive), DB_TEXT(in->inclusive_since), DB_TEXT(in->inclusive_basis),
            DB_TEXT(in->status), DB_INT(&in->star_level), DB_INT(&in->demonstration), DB_TEXT(in->opening_hours),
            DB_TEXT(in->phone), DB_TEXT(in->director));
    in->service_types = services_from_text(db_col_text(st, 19));
    db_scan_from(st, 20, DB_TEXT(in->premises_tenure), DB_TEXT(in->lease_start), DB_TEXT(in->lease_end),
                 DB_INT(&in->floor), DB_INT(&in->health_workers), DB_TEXT(in->updated_at));
    in->health_room_m2 = db_col_is_null(st, 26) ? REG_UNRECORDED : db_col_double(st, 26);
    in->window_floor_ratio = db_col_is_null(st, 27) ? REG_UNRECORDED : db_col_double(st, 27);
}

/* A class at columns col… (id, class_type, name, capacity, enrolled, caregivers) into c. */
#define CLASS_COLUMNS "k.id, k.class_type, k.name, k.capacity, k.enrolled, k.caregivers"
static void read_class(struct db_stmt *st, int col, struct inst_class *c)
{
    c->id = db_col_int64(st, col);
    int t = class_type_from_code(db_col_text(st, col + 1));
    c->type = t < 0 ? CLASS_MIXED : (enum class_type)t;
    db_col_copy(st, col + 2, c->name, sizeof c->name);
    c->capacity = (int)db_col_int64(st, col + 3);
    c->enrolled = (int)db_col_int64(st, col + 4);
    c->caregivers = (int)db_col_int64(st, col + 5);
}

/* The classes of in and its fee catalogue in force on day. */
static int load_classes(struct db *db, struct institution *in, const char *day, struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT " CLASS_COLUMNS " FROM institution_class k WHERE k.institution_id = ? ORDER BY k.id",
                 "i", in->id);
    if (!st)
        return -1;
    int rc;
    in->nclasses = 0;
    while ((rc = db_step(st, e)) == DB_ROW && in->nclasses < REG_MAX_CLASSES)
        read_class(st, 0, &in->classes[in->nclasses++]);
    db_finalize(st);
    if (rc < 0)
        return -1;
    return fees_store_in_force(db, in->id, day, in->fees, REG_MAX_FEES, &in->nfees, e);
}

int registry_load(struct db *db, const char *district, int64_t id, const char *day, struct institution *out,
                  struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT " INST_COLUMNS " FROM institution i WHERE i.id = ? AND i.district_code = ?", "it", id,
                 district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该托育机构");
    read_header(st, out);
    db_finalize(st);
    return load_classes(db, out, day, e);
}

/* Collects f's WHERE fragments (each " AND …" over alias i) and their values. */
struct where {
    char sql[768];
    size_t len;
    struct db_params params;
    char like[DB_LIKE_SIZE(100)]; /* q as a LIKE pattern */
};

static void where_add(struct where *w, const char *frag)
{
    w->len += (size_t)snprintf(w->sql + w->len, sizeof w->sql - w->len, " AND %s", frag);
}

static void where_from_filter(struct where *w, const struct registry_filter *f)
{
    memset(w, 0, sizeof *w);
    if (f->town && f->town[0]) {
        where_add(w, "i.town_code = ?");
        db_params_text(&w->params, f->town);
    }
    if (f->operating_model && f->operating_model[0]) {
        where_add(w, "i.operating_model = ?");
        db_params_text(&w->params, f->operating_model);
    }
    if (f->status && f->status[0]) {
        where_add(w, "i.status = ?");
        db_params_text(&w->params, f->status);
    }
    if (f->open_only)
        where_add(w, "i.status <> 'closed'");
    if (f->inclusive >= 0) {
        where_add(w, "i.inclusive = ?");
        db_params_int64(&w->params, f->inclusive);
    }
    if (f->q && f->q[0]) {
        /* q is at most 100 bytes: checked at the edge */
        if (db_like_contains(f->q, w->like, sizeof w->like) < 0)
            snprintf(w->like, sizeof w->like, "%%");
        where_add(w, "(i.name LIKE ? ESCAPE '\\' OR i.address LIKE ? ESCAPE '\\')");
        db_params_text(&w->params, w->like);
        db_params_text(&w->params, w->like);
    }
    if (f->after_id > 0) {
        where_add(w, "i.id > ?");
        db_params_int64(&w->params, f->after_id);
    }
}

/* Rows of the statement sql (its first column an institution's id, in id order; placeholders: the
 * district, w's values, the last id of list, after `first` of its own) matched to list (n, in id
 * order) by a forward walk: each row of an institution of list handed to take at column 1. */
static int walk_rows(struct db *db, const char *sql, const char *first, const char *district, const struct where *w,
                     struct institution *list, int n, void (*take)(struct db_stmt *st, struct institution *in),
                     struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    int at = 1;
    if (first)
        db_bind_text(st, at++, first);
    db_bind_text(st, at++, district);
    at = db_params_bind(&w->params, st, at);
    db_bind_int64(st, at, list[n - 1].id);
    int rc, k = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t id = db_col_int64(st, 0);
        while (k < n && list[k].id < id)
            k++;
        if (k < n && list[k].id == id)
            take(st, &list[k]);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static void take_class(struct db_stmt *st, struct institution *in)
{
    if (in->nclasses < REG_MAX_CLASSES)
        read_class(st, 1, &in->classes[in->nclasses++]);
}

static void take_fee(struct db_stmt *st, struct institution *in)
{
    if (in->nfees < REG_MAX_FEES)
        fees_store_read_item(st, 1, &in->fees[in->nfees++]);
}

/* The classes and the fee catalogues in force on day of list (n, in id order: the institutions w
 * selects, up to the last one's id), two statements for all of them. */
static int load_details(struct db *db, const char *district, const struct where *w, struct institution *list, int n,
                        const char *day, struct err *e)
{
    if (n == 0)
        return 0;
    for (int i = 0; i < n; i++)
        list[i].nclasses = list[i].nfees = 0;
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT k.institution_id, " CLASS_COLUMNS " FROM institution_class k JOIN institution i ON i.id = "
             "k.institution_id WHERE i.district_code = ?%s AND i.id <= ? ORDER BY k.institution_id, k.id",
             w->sql);
    if (walk_rows(db, sql, NULL, district, w, list, n, take_class, e) < 0)
        return -1;
    snprintf(sql, sizeof sql,
             "SELECT f.institution_id, " FEES_ITEM_COLUMNS " FROM institution i JOIN fee_item f ON f.change_id = "
             FEES_IN_FORCE_SQL("i.id") " WHERE i.district_code = ?%s AND i.id <= ? ORDER BY f.institution_id, f.id",
             w->sql);
    return walk_rows(db, sql, day, district, w, list, n, take_fee, e);
}

int registry_load_filtered(struct db *db, const char *district, const struct registry_filter *f,
                           struct institution **out, int *n, struct err *e)
{
    struct where w;
    where_from_filter(&w, f);
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT " INST_COLUMNS " FROM institution i WHERE i.district_code = ?%s ORDER BY i.id%s",
             w.sql, f->limit > 0 ? " LIMIT ?" : "");
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    db_bind_text(st, 1, district);
    db_params_bind(&w.params, st, 2);
    if (f->limit > 0)
        db_bind_int64(st, 2 + w.params.n, f->limit);
    void *list;
    size_t count;
    if (db_rows(st, e, sizeof **out, read_header, &list, &count) < 0)
        return -1;
    if (load_details(db, district, &w, list, (int)count, f->day, e) < 0) {
        free(list);
        return -1;
    }
    *out = list;
    *n = (int)count;
    return 0;
}

static json_t *institution_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:i, s:f, s:f, s:i, s:i}", "id",
                     (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "uscc", db_col_text(st, 2),
                     "town_code", db_col_text(st, 3), "town_name", db_col_text(st, 4), "address",
                     db_col_text(st, 5), "operating_model", db_col_text(st, 6), "ownership",
                     db_col_text(st, 7), "inclusive", (int)db_col_int64(st, 8), "status", db_col_text(st, 9),
                     "star_level", (int)db_col_int64(st, 10), "lon", db_col_double(st, 11), "lat",
                     db_col_double(st, 12), "places", (int)db_col_int64(st, 13), "enrolled",
                     (int)db_col_int64(st, 14));
}

int registry_list_rows(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                       const struct registry_filter *f, int limit, json_t **rows, struct err *e)
{
    *rows = NULL;
    struct where w;
    where_from_filter(&w, f);
    char sql[3072];
    snprintf(sql, sizeof sql,
             "SELECT i.id, i.name, i.uscc, i.town_code, t.name, i.address, i.operating_model, i.ownership, i.inclusive, "
             "i.status, i.star_level, i.lon, i.lat, COALESCE(c.places, 0), COALESCE(c.enrolled, 0) "
             "FROM institution i JOIN town t ON t.code = i.town_code "
             "LEFT JOIN (SELECT institution_id, SUM(capacity) AS places, SUM(enrolled) AS enrolled FROM institution_class "
             "GROUP BY institution_id) c ON c.institution_id = i.id "
             "WHERE i.district_code = ? AND %s%s ORDER BY i.id LIMIT ?",
             scope_sql, w.sql);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    db_bind_text(st, 1, district);
    int next = db_params_bind(scope_params, st, 2);
    next = db_params_bind(&w.params, st, next);
    db_bind_int64(st, next, limit);
    return db_rows_json(st, e, institution_row, NULL, rows);
}

int registry_version(struct db *db, const char *district, int64_t id, char town[16], int64_t *version, struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT town_code, version FROM institution WHERE id = ? AND district_code = ?", "it", id,
                 district);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_col_copy(st, 0, town, 16);
        *version = db_col_int64(st, 1);
        db_finalize(st);
    }
    return found;
}

static void read_held(struct db_stmt *st, void *item)
{
    struct registry_held *h = item;
    h->institution_id = db_col_int64(st, 0);
    h->class_type = class_type_from_code(db_col_text(st, 1));
    h->count = (int)db_col_int64(st, 2);
}

int registry_store_public_stamps(struct db *db, const char *district, int64_t out[3], struct err *e)
{
    return db_query_counts(db, e, out, 3,
                           "SELECT COUNT(*), SUM(public_stamp), SUM(id) FROM institution WHERE district_code = ?", "t",
                           district);
}

int registry_held_places(struct db *db, const char *district, int64_t only_inst, struct registry_held **out, int *n,
                         struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT h.institution_id, h.class_type, COUNT(*) FROM held_place h JOIN institution i ON "
                                  "i.id = h.institution_id WHERE i.district_code = ? AND (? = 0 OR h.institution_id = ?) "
                                  "GROUP BY h.institution_id, h.class_type",
                                  "tii", district, only_inst, only_inst);
    void *rows;
    size_t count;
    int rc = db_rows(st, e, sizeof **out, read_held, &rows, &count);
    *out = rows;
    *n = (int)count;
    return rc;
}

static json_t *town_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:s, s:s, s:s, s:I}", "code", db_col_text(st, 0), "name",
                     db_col_text(st, 1), "kind", db_col_text(st, 2), "population",
                     (json_int_t)db_col_int64(st, 3));
}

int registry_towns(struct db *db, const char *district, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT code, name, kind, population FROM town WHERE district_code = ? ORDER BY code",
                                  "t", district);
    return db_rows_json(st, e, town_row, NULL, rows);
}

/* The classes and the fee catalogue of in; the catalogue from fees_since (NULL: today) when it
 * differs from the one in force. */
static int write_children(struct db *db, const char *district, struct institution *in, const char *now_ts,
                          const char *fees_since, struct err *e)
{
    /* classes: keep ids of classes that stay, delete the rest, insert new ones */
    char keep[REG_MAX_CLASSES * 24 + 16] = "";
    size_t len = 0;
    for (int i = 0; i < in->nclasses; i++)
        if (in->classes[i].id)
            len += (size_t)snprintf(keep + len, sizeof keep - len, "%s%lld", len ? "," : "",
                                    (long long)in->classes[i].id);
    char sql[sizeof keep + 128];
    snprintf(sql, sizeof sql, "DELETE FROM institution_class WHERE institution_id = ?%s%s%s", len ? " AND id NOT IN (" : "",
             keep, len ? ")" : "");
    if (db_run(db, e, sql, "i", in->id) < 0)
        return -1;
    for (int i = 0; i < in->nclasses; i++) {
        struct inst_class *c = &in->classes[i];
        int64_t capacity = c->capacity, enrolled = c->enrolled, caregivers = c->caregivers;
        if (c->id) {
            int64_t n = db_run(db, e,
                               "UPDATE institution_class SET class_type = ?, name = ?, capacity = ?, enrolled = ?, "
                               "caregivers = ? WHERE id = ? AND institution_id = ?",
                               "ttiiiii", class_type_code(c->type), c->name, capacity, enrolled, caregivers, c->id,
                               in->id);
            if (n == 0)
                return err_set(e, 422, "unknown_class", "classes", "班级 %lld 不属于该机构", (long long)c->id);
            if (n < 0)
                return -1;
        } else {
            c->id = db_query_int(db, e, NULL,
                                 "INSERT INTO institution_class (class_type, name, capacity, enrolled, caregivers, "
                                 "institution_id, district_code) VALUES (?,?,?,?,?,?,?) RETURNING id",
                                 "ttiiiit", class_type_code(c->type), c->name, capacity, enrolled, caregivers, in->id,
                                 district);
            if (c->id < 0)
                return -1;
        }
    }
    /* the catalogue as the record carries it, in force from today when it differs from today's */
    char day[DATE_DAY_LEN];
    int64_t t = 0;
    date_parse_timestamp(now_ts, &t);
    date_format_day(t, day, sizeof day);
    return fees_store_sync(db, district, in->id, fees_since ? fees_since : day, in->fees, in->nfees, now_ts, e);
}

/* Bind the 26 header columns in the order of the INSERT/UPDATE statements below. */
static void bind_header(struct db_stmt *st, const struct institution *in, const char *now_ts)
{
    char services[96];
    int i = 1;
    db_bind_text(st, i++, in->town_code);
    db_bind_text(st, i++, in->name);
    db_bind_text(st, i++, in->uscc);
    db_bind_text(st, i++, in->address);
    db_bind_double(st, i++, in->lon);
    db_bind_double(st, i++, in->lat);
    db_bind_text(st, i++, in->operating_model);
    db_bind_text(st, i++, in->ownership);
    db_bind_int64(st, i++, in->profit);
    db_bind_int64(st, i++, in->inclusive);
    db_bind_text(st, i++, in->inclusive_since[0] ? in->inclusive_since : NULL);
    db_bind_text(st, i++, in->inclusive_basis[0] ? in->inclusive_basis : NULL);
    db_bind_text(st, i++, in->status);
    db_bind_int64(st, i++, in->star_level);
    db_bind_int64(st, i++, in->demonstration);
    db_bind_text(st, i++, in->opening_hours);
    db_bind_text(st, i++, in->phone);
    db_bind_text(st, i++, in->director);
    db_bind_text(st, i++, services_to_text(in->service_types, services, sizeof services));
    db_bind_text(st, i++, in->premises_tenure);
    db_bind_text(st, i++, in->lease_start[0] ? in->lease_start : NULL);
    db_bind_text(st, i++, in->lease_end[0] ? in->lease_end : NULL);
    db_bind_int64(st, i++, in->floor);
    db_bind_int64(st, i++, in->health_workers);
    db_bind_text(st, i++, now_ts);
    if (in->health_room_m2 < 0)
        db_bind_null(st, i++);
    else
        db_bind_double(st, i++, in->health_room_m2);
    if (in->window_floor_ratio < 0)
        db_bind_null(st, i++);
    else
        db_bind_double(st, i++, in->window_floor_ratio);
}

static int uscc_conflict(struct err *e)
{
    return db_conflict_as(e, "uscc_taken", "uscc", "该统一社会信用代码已登记");
}

int registry_insert(struct db *db, const char *district, struct institution *in, const char *now_ts, int demo,
                    struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db,
                   "INSERT INTO institution (town_code, name, uscc, address, lon, lat, operating_model, ownership, "
                   "profit, inclusive, inclusive_since, inclusive_basis, status, star_level, demonstration, "
                   "opening_hours, phone, director, service_types, premises_tenure, lease_start, lease_end, floor, "
                   "health_workers, updated_at, health_room_m2, window_floor_ratio, created_at, district_code, demo) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   &st, e) < 0)
        return -1;
    bind_header(st, in, now_ts);
    db_bind_text(st, 28, now_ts);
    db_bind_text(st, 29, district);
    db_bind_int64(st, 30, demo);
    int rc = db_step(st, e);
    if (rc == DB_ROW)
        in->id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0)
        return uscc_conflict(e);
    snprintf(in->updated_at, sizeof in->updated_at, "%s", now_ts);
    for (int i = 0; i < in->nclasses; i++)
        in->classes[i].id = 0;
    /* demo records' catalogues are in force since the pilot began, so a clock set back (tests,
     * walkthroughs of past dates) still finds them */
    return write_children(db, district, in, now_ts, demo ? "2023-01-01" : NULL, e);
}

int registry_update(struct db *db, const char *district, struct institution *in, const char *now_ts,
                    struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db,
                   "UPDATE institution SET town_code = ?, name = ?, uscc = ?, address = ?, lon = ?, lat = ?, "
                   "operating_model = ?, ownership = ?, profit = ?, inclusive = ?, inclusive_since = ?, "
                   "inclusive_basis = ?, status = ?, star_level = ?, demonstration = ?, opening_hours = ?, phone = ?, "
                   "director = ?, service_types = ?, premises_tenure = ?, lease_start = ?, lease_end = ?, floor = ?, "
                   "health_workers = ?, updated_at = ?, health_room_m2 = ?, window_floor_ratio = ?, "
                   "version = version + 1 WHERE id = ? AND district_code = ?",
                   &st, e) < 0)
        return -1;
    bind_header(st, in, now_ts);
    db_bind_int64(st, 28, in->id);
    db_bind_text(st, 29, district);
    int rc = db_step(st, e);
    db_finalize(st);
    if (rc < 0)
        return uscc_conflict(e);
    snprintf(in->updated_at, sizeof in->updated_at, "%s", now_ts);
    return write_children(db, district, in, now_ts, NULL, e);
}

int registry_town_name(struct db *db, const char *district, const char *code, char *name, size_t cap,
                       struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT name FROM town WHERE code = ? AND district_code = ?", "tt", code, district);
    int rc = db_first_row(st, e);
    if (rc > 0) {
        if (name)
            db_col_copy(st, 0, name, cap);
        db_finalize(st);
    }
    return rc;
}

int registry_rules_from_params(struct db *db, const char *district, const char *date,
                               struct registry_rules *r, char basis[RULE_COUNT][160], struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = params_load(db, district, date, p, e);
    double v;
    for (int t = 0; rc == 0 && t < CLASS_TYPE_COUNT; t++) {
        char key[64];
        snprintf(key, sizeof key, "class.%s.max_size", class_type_code((enum class_type)t));
        rc = params_num(p, key, &v, e);
        r->max_class_size[t] = (int)v;
        snprintf(key, sizeof key, "ratio.%s.children_per_caregiver", class_type_code((enum class_type)t));
        if (rc == 0)
            rc = params_num(p, key, &r->children_per_caregiver[t], e);
    }
    struct {
        const char *key;
        double *dst;
    } nums[] = {{"premises.lease_min_years", &r->lease_min_years}, {"geo.bbox.min_lon", &r->min_lon},
                {"geo.bbox.max_lon", &r->max_lon},                 {"geo.bbox.min_lat", &r->min_lat},
                {"geo.bbox.max_lat", &r->max_lat},
                {"family_point.children_per_carer", &r->family_point_children_per_carer},
                {"premises.health_room_min_m2", &r->health_room_min_m2},
                {"premises.window_area_min_share", &r->window_area_min_share}};
    for (size_t i = 0; rc == 0 && i < sizeof nums / sizeof *nums; i++)
        rc = params_num(p, nums[i].key, nums[i].dst, e);
    struct {
        const char *key;
        int *dst;
    } ints[] = {{"health_worker.full_time_min_children", &r->health_worker_min_children},
                {"premises.lease_expiry_warning_days", &r->lease_warning_days},
                {"premises.max_floor", &r->max_floor},
                {"family_point.max_children", &r->family_point_max_children}};
    for (size_t i = 0; rc == 0 && i < sizeof ints / sizeof *ints; i++) {
        rc = params_num(p, ints[i].key, &v, e);
        *ints[i].dst = (int)v;
    }
    if (rc == 0)
        rc = fees_guidance(p, "public", 1, &r->fee_guided, e) < 0 || fees_guidance(p, "private", 1, &r->fee_reference, e) < 0
                 ? -1
                 : 0;
    if (rc == 0 && basis) {
        /* each finding cites the basis document of the parameter its rule reads */
        static const char *const rule_key[RULE_COUNT] = {
            [RULE_CLASS_SIZE] = "class.infant.max_size",
            [RULE_CAREGIVER_RATIO] = "ratio.infant.children_per_caregiver",
            [RULE_HEALTH_WORKER] = "health_worker.full_time_min_children",
            [RULE_LEASE] = "premises.lease_min_years",
            [RULE_FLOOR] = "premises.max_floor",
            [RULE_FEES] = "fees.catalogue_required",
            [RULE_FAMILY_POINT] = "family_point.max_children",
            [RULE_FAMILY_CARER] = "family_point.children_per_carer",
            [RULE_HEALTH_ROOM] = "premises.health_room_min_m2",
            [RULE_WINDOW_AREA] = "premises.window_area_min_share",
        };
        for (int i = 0; i < RULE_COUNT; i++)
            snprintf(basis[i], 160, "%s", params_basis(p, rule_key[i]));
    }
    free(p);
    return rc;
}

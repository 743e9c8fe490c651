/* api.c — HTTP routes of planning (C10): the district's road network (an uploaded OSM file,
 * validated by the engine and stored), communities and candidate sites (validated, audited),
 * the 15-minute coverage analysis of the registry's institutions against the communities, and
 * site recommendations (maximal covering). Results are cached in planning_result under a hash
 * of every input, so a repeated request is answered from the table until something changes. */
#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/geo.h"
#include "params/params.h"
#include "plan/api.h"
#include "plan/coverage.h"
#include "plan/graph.h"
#include "plan/mclp.h"
#include "plan/osm.h"
#include "plan/rules.h"
#include "registry/registry.h"
#include "registry/store.h"

#define MAX_K 100
#define MAX_ROWS 20000

/* ---- inputs ---------------------------------------------------------------------------- */

struct settings {
    struct plan_params pp;
    struct plan_rule_params rp;
    double margin_m;
    double min_lon, max_lon, min_lat, max_lat;
};

struct comm {
    int64_t id;
    char town[16];
    char name[128];
    double lon, lat;
    int64_t population, children;
    int is_new;
};

struct cand {
    int64_t id;
    char name[128];
    double lon, lat;
    char kind[16];
    char note[256];
};

struct town_row {
    char code[16];
    char name[64];
};

struct inputs {
    struct settings s;
    int64_t network_id;
    char network_name[128];
    struct comm *comms;
    size_t ncomm;
    struct institution *insts; /* malloc'd by registry_load_where */
    int ninst;
    struct cand *cands;
    size_t ncand;
    struct town_row towns[32];
    size_t ntowns;
};

static void inputs_free(struct inputs *in)
{
    free(in->comms);
    free(in->insts);
    free(in->cands);
    memset(in, 0, sizeof *in);
}

static int oom(struct err *e) { return err_set(e, 500, "oom", "", "内存不足"); }

static int load_settings(struct http_req *req, struct settings *s, struct err *e)
{
    char today[11];
    date_format_day(req->now, today, sizeof today);
    struct params *p = http_alloc(req, sizeof *p);
    if (params_load(req->db, req->app->district_code, today, p, e) < 0)
        return -1;
    double ktc;
    plan_params_default(&s->pp);
    if (params_num(p, "planning.walk_minutes", &s->pp.minutes, e) < 0 ||
        params_num(p, "planning.walk_speed_kmh", &s->pp.speed_kmh, e) < 0 ||
        params_num(p, "planning.detour_factor", &s->pp.detour_factor, e) < 0 ||
        params_num(p, "planning.max_minutes", &s->pp.max_minutes, e) < 0 ||
        params_num(p, "planning.e2sfca_weight_zone1", &s->pp.zone_weight[0], e) < 0 ||
        params_num(p, "planning.e2sfca_weight_zone2", &s->pp.zone_weight[1], e) < 0 ||
        params_num(p, "planning.e2sfca_weight_zone3", &s->pp.zone_weight[2], e) < 0 ||
        params_num(p, "planning.area_margin_m", &s->margin_m, e) < 0 ||
        params_num(p, "planning.places_per_1000_target", &s->rp.district_places_per_1000, e) < 0 ||
        params_num(p, "planning.new_community_places_per_1000", &s->rp.new_community_places_per_1000, e) < 0 ||
        params_num(p, "planning.inclusive_share_target", &s->rp.inclusive_share_min, e) < 0 ||
        params_num(p, "planning.kindergarten_min_toddler_classes", &ktc, e) < 0 ||
        params_num(p, "geo.bbox.min_lon", &s->min_lon, e) < 0 || params_num(p, "geo.bbox.max_lon", &s->max_lon, e) < 0 ||
        params_num(p, "geo.bbox.min_lat", &s->min_lat, e) < 0 || params_num(p, "geo.bbox.max_lat", &s->max_lat, e) < 0)
        return -1;
    /* a town target of its own when seeded, else the district's */
    s->rp.town_places_per_1000 = params_num_or(p, "planning.town_places_per_1000_target", s->rp.district_places_per_1000);
    s->rp.kindergarten_min_toddler_classes = (int)ktc;
    return 0;
}

static int load_towns(struct http_req *req, struct inputs *in, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(req->db, "SELECT code, name FROM town WHERE district_code = ? ORDER BY code", &st, e) < 0)
        return -1;
    db_bind_text(st, 1, req->app->district_code);
    int rc;
    in->ntowns = 0;
    while ((rc = db_step(st, e)) == DB_ROW && in->ntowns < sizeof in->towns / sizeof *in->towns) {
        snprintf(in->towns[in->ntowns].code, 16, "%s", db_col_text(st, 0));
        snprintf(in->towns[in->ntowns].name, 64, "%s", db_col_text(st, 1));
        in->ntowns++;
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static const char *town_name_of(const struct inputs *in, const char *code)
{
    for (size_t i = 0; i < in->ntowns; i++)
        if (strcmp(in->towns[i].code, code) == 0)
            return in->towns[i].name;
    return "";
}

static int load_network_ref(struct http_req *req, struct inputs *in, struct err *e)
{
    struct db_stmt *st;
    in->network_id = 0;
    in->network_name[0] = 0;
    if (db_prepare(req->db, "SELECT id, name FROM road_network WHERE district_code = ? ORDER BY id DESC LIMIT 1", &st,
                   e) < 0)
        return -1;
    db_bind_text(st, 1, req->app->district_code);
    int rc = db_step(st, e);
    if (rc == DB_ROW) {
        in->network_id = db_col_int64(st, 0);
        snprintf(in->network_name, sizeof in->network_name, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* town: NULL for every community of the district */
static int load_communities(struct http_req *req, const char *town, struct comm **out, size_t *n, struct err *e)
{
    struct db_stmt *st;
    *out = NULL;
    *n = 0;
    const char *sql = town ? "SELECT id, town_code, name, lon, lat, population, children_0_3, is_new FROM community "
                             "WHERE district_code = ? AND town_code = ? ORDER BY id"
                           : "SELECT id, town_code, name, lon, lat, population, children_0_3, is_new FROM community "
                             "WHERE district_code = ? ORDER BY id";
    if (db_prepare(req->db, sql, &st, e) < 0)
        return -1;
    db_bind_text(st, 1, req->app->district_code);
    if (town)
        db_bind_text(st, 2, town);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            struct comm *q = realloc(*out, nc * sizeof *q);
            if (!q) {
                rc = oom(e);
                break;
            }
            *out = q;
            cap = nc;
        }
        struct comm *c = &(*out)[(*n)++];
        c->id = db_col_int64(st, 0);
        snprintf(c->town, sizeof c->town, "%s", db_col_text(st, 1));
        snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 2));
        c->lon = db_col_double(st, 3);
        c->lat = db_col_double(st, 4);
        c->population = db_col_int64(st, 5);
        c->children = db_col_int64(st, 6);
        c->is_new = (int)db_col_int64(st, 7);
    }
    db_finalize(st);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

static int load_candidates(struct http_req *req, struct cand **out, size_t *n, struct err *e)
{
    struct db_stmt *st;
    *out = NULL;
    *n = 0;
    if (db_prepare(req->db,
                   "SELECT id, name, lon, lat, kind, note FROM candidate_site WHERE district_code = ? ORDER BY id",
                   &st, e) < 0)
        return -1;
    db_bind_text(st, 1, req->app->district_code);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            struct cand *q = realloc(*out, nc * sizeof *q);
            if (!q) {
                rc = oom(e);
                break;
            }
            *out = q;
            cap = nc;
        }
        struct cand *c = &(*out)[(*n)++];
        c->id = db_col_int64(st, 0);
        snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 1));
        c->lon = db_col_double(st, 2);
        c->lat = db_col_double(st, 3);
        snprintf(c->kind, sizeof c->kind, "%s", db_col_text(st, 4));
        snprintf(c->note, sizeof c->note, "%s", db_col_text(st, 5) ? db_col_text(st, 5) : "");
    }
    db_finalize(st);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

static int load_inputs(struct http_req *req, int with_candidates, struct inputs *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    if (load_settings(req, &in->s, e) < 0 || load_towns(req, in, e) < 0 || load_network_ref(req, in, e) < 0 ||
        load_communities(req, NULL, &in->comms, &in->ncomm, e) < 0)
        goto fail;
    if (registry_load_where(req->db, req->app->district_code, "i.status <> 'closed'", NULL, NULL, &in->insts,
                            &in->ninst, e) < 0) {
        in->insts = NULL;
        goto fail;
    }
    if (with_candidates && load_candidates(req, &in->cands, &in->ncand, e) < 0)
        goto fail;
    return 0;
fail:
    inputs_free(in);
    return -1;
}

/* ---- input hash ------------------------------------------------------------------------ */

static void hash_line(crypto_generichash_state *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hash_line(crypto_generichash_state *h, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    crypto_generichash_update(h, (const unsigned char *)buf, (size_t)n);
    crypto_generichash_update(h, (const unsigned char *)"\n", 1);
}

static int toddler_classes(const struct institution *in)
{
    int n = 0;
    for (int k = 0; k < in->nclasses; k++)
        if (in->classes[k].type != CLASS_INFANT)
            n++;
    return n;
}

static void input_hash(const struct inputs *in, const char *kind, long k, char out[65])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    const struct settings *s = &in->s;
    hash_line(&h, "v1 %s k=%ld net=%" PRId64, kind, k, in->network_id);
    hash_line(&h, "p %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g", s->pp.minutes, s->pp.speed_kmh,
              s->pp.detour_factor, s->pp.max_minutes, s->pp.zone_weight[0], s->pp.zone_weight[1],
              s->pp.zone_weight[2], s->margin_m);
    hash_line(&h, "r %.17g %.17g %.17g %.17g %d", s->rp.district_places_per_1000, s->rp.town_places_per_1000,
              s->rp.new_community_places_per_1000, s->rp.inclusive_share_min, s->rp.kindergarten_min_toddler_classes);
    for (size_t i = 0; i < in->ntowns; i++)
        hash_line(&h, "t %s %s", in->towns[i].code, in->towns[i].name);
    for (size_t i = 0; i < in->ncomm; i++) {
        const struct comm *c = &in->comms[i];
        hash_line(&h, "c %" PRId64 " %s %s %.17g %.17g %" PRId64 " %" PRId64 " %d", c->id, c->town, c->name, c->lon,
                  c->lat, c->population, c->children, c->is_new);
    }
    for (int i = 0; i < in->ninst; i++) {
        const struct institution *x = &in->insts[i];
        hash_line(&h, "i %" PRId64 " %s %s %.17g %.17g %d %d %s %s %d", x->id, x->town_code, x->name, x->lon, x->lat,
                  institution_places(x), x->inclusive, x->status, x->operating_model, toddler_classes(x));
    }
    for (size_t i = 0; i < in->ncand; i++) {
        const struct cand *c = &in->cands[i];
        hash_line(&h, "s %" PRId64 " %s %.17g %.17g %s", c->id, c->name, c->lon, c->lat, c->kind);
    }
    unsigned char d[32];
    crypto_generichash_final(&h, d, sizeof d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static json_t *cache_get(struct http_req *req, const char *kind, const char *hash, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT result, computed_at FROM planning_result WHERE district_code = ? AND kind = ? AND "
                   "input_hash = ?",
                   &st, e) < 0)
        return NULL;
    db_bind_text(st, 1, req->app->district_code);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, hash);
    json_t *j = NULL;
    if (db_step(st, e) == DB_ROW)
        j = json_loads(db_col_text(st, 0), 0, NULL);
    db_finalize(st);
    return j;
}

/* Best effort: a failure to cache does not fail the request. */
static void cache_put(struct http_req *req, const char *kind, const char *hash, const json_t *result)
{
    struct err e = {0};
    char *text = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(12));
    if (!text)
        return;
    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct db_stmt *st;
    if (db_begin(req->db, &e) < 0) {
        free(text);
        return;
    }
    int ok = db_prepare(req->db, "DELETE FROM planning_result WHERE district_code = ? AND kind = ?", &st, &e) == 0;
    if (ok) {
        /* keep one result per kind: older inputs are stale once anything changed */
        db_bind_text(st, 1, req->app->district_code);
        db_bind_text(st, 2, kind);
        ok = db_step(st, &e) >= 0;
        db_finalize(st);
    }
    if (ok && db_prepare(req->db,
                         "INSERT INTO planning_result (district_code, kind, input_hash, result, computed_at) "
                         "VALUES (?,?,?,?,?)",
                         &st, &e) == 0) {
        db_bind_text(st, 1, req->app->district_code);
        db_bind_text(st, 2, kind);
        db_bind_text(st, 3, hash);
        db_bind_text(st, 4, text);
        db_bind_text(st, 5, now_ts);
        ok = db_step(st, &e) >= 0;
        db_finalize(st);
    } else {
        ok = 0;
    }
    free(text);
    if (!ok || db_commit(req->db, &e) < 0)
        db_rollback(req->db);
}

/* ---- the network ----------------------------------------------------------------------- */

static int write_temp(const void *bytes, size_t len, const char *suffix, char path[64], struct err *e)
{
    snprintf(path, 64, "/tmp/tuoyu-net-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return err_set(e, 500, "tmp_failed", "", "无法创建临时文件");
    const char *p = bytes;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return err_set(e, 500, "tmp_failed", "", "无法写入临时文件");
        }
        p += w;
        left -= (size_t)w;
    }
    close(fd);
    return 0;
}

/* Load the stored network id into a graph (NULL graph when id is 0). */
static int load_graph(struct http_req *req, int64_t id, struct plan_graph **g, struct err *e)
{
    *g = NULL;
    if (!id)
        return 0;
    struct db_stmt *st;
    if (db_prepare(req->db, "SELECT format, data FROM road_network WHERE id = ?", &st, e) < 0)
        return -1;
    db_bind_int64(st, 1, id);
    int rc = db_step(st, e);
    if (rc != DB_ROW) {
        db_finalize(st);
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "network", "未找到路网");
    }
    size_t n = 0;
    const void *data = db_col_blob(st, 1, &n);
    char path[64];
    rc = write_temp(data, n, strcmp(db_col_text(st, 0), "pbf") == 0 ? ".osm.pbf" : ".osm", path, e);
    db_finalize(st);
    if (rc < 0)
        return -1;
    rc = plan_osm_load_as(path, "（已存储的路网）", g, e);
    unlink(path);
    return rc;
}

int plan_network_store(struct db *db, struct http_req *req, const char *district, int64_t now, const char *name,
                       const char *path, const void *bytes, size_t len, int64_t *id, size_t *nodes, size_t *edges,
                       struct err *e)
{
    size_t pl = strlen(path);
    const char *format = pl > 4 && strcmp(path + pl - 4, ".pbf") == 0 ? "pbf" : "osm";
    struct plan_graph *g = NULL;
    if (plan_osm_load_as(path, req ? "（上传的文件）" : path, &g, e) < 0) { /* never the server's temp path */
        if (!e->status || e->status == 500)
            e->status = 422;
        return -1;
    }
    *nodes = g->n;
    *edges = g->edges;
    char now_ts[32];
    date_format_timestamp(now, now_ts, sizeof now_ts);
    struct db_stmt *st;
    if (db_begin(db, e) < 0)
        goto fail_nogtx;
    if (db_prepare(db,
                   "INSERT INTO road_network (district_code, name, format, data, size_bytes, nodes, edges, min_lon, "
                   "max_lon, min_lat, max_lat, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   &st, e) < 0)
        goto fail;
    db_bind_text(st, 1, district);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, format);
    db_bind_blob(st, 4, bytes, len);
    db_bind_int64(st, 5, (int64_t)len);
    db_bind_int64(st, 6, (int64_t)g->n);
    db_bind_int64(st, 7, (int64_t)g->edges);
    db_bind_double(st, 8, g->min_lon);
    db_bind_double(st, 9, g->max_lon);
    db_bind_double(st, 10, g->min_lat);
    db_bind_double(st, 11, g->max_lat);
    db_bind_text(st, 12, now_ts);
    int rc = db_step(st, e);
    if (rc == DB_ROW)
        *id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:I, s:I, s:I}", "name", name, "format", format, "size_bytes", (json_int_t)len,
                          "nodes", (json_int_t)g->n, "edges", (json_int_t)g->edges);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%" PRId64, *id);
    if (req) {
        rc = audit_request(req, "planning.network.create", "road_network", idtext, f, e);
    } else {
        struct audit_entry a = {.district_code = district, .at = now, .login = "cli",
                                .action = "planning.network.create", .target_type = "road_network",
                                .target_id = idtext, .fields = f};
        rc = audit_append(db, &a, e);
    }
    json_decref(f);
    if (rc < 0 || db_commit(db, e) < 0)
        goto fail;
    plan_graph_free(g);
    return 0;
fail:
    db_rollback(db);
fail_nogtx:
    plan_graph_free(g);
    return -1;
}

static int post_network(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user ? req->user->town_code : NULL};
    if (authz_require(req, "planning.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    const char *name = http_query(req, "name");
    if (!name || !name[0])
        name = "路网";
    if (strlen(name) > 100)
        return http_reply_error(rep, 400, "too_long", "name", "路网名称过长");
    const char *b = req->body;
    size_t n = req->body_len;
    size_t skip = 0;
    while (skip < n && (b[skip] == ' ' || b[skip] == '\n' || b[skip] == '\r' || b[skip] == '\t'))
        skip++;
    const char *suffix, *format;
    if (n - skip >= 1 && b[skip] == '<')
        suffix = ".osm", format = "osm";
    else if (n >= 13 && memmem(b, n < 64 ? n : 64, "OSMHeader", 9))
        suffix = ".osm.pbf", format = "pbf";
    else
        return http_reply_error(rep, 422, "network_unreadable", "network",
                                "请求体应为 OpenStreetMap 文件（.osm 或 .osm.pbf 原始字节）");
    char path[64];
    if (write_temp(b, n, suffix, path, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id = 0;
    size_t nodes = 0, edges = 0;
    int rc = plan_network_store(req->db, req, req->app->district_code, req->now, name, path, b, n, &id, &nodes,
                                &edges, &e);
    unlink(path);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)id, "name", name,
                                               "format", format, "size_bytes", (json_int_t)n,
                                               "nodes", (json_int_t)nodes, "edges", (json_int_t)edges));
}

static int get_network(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user ? req->user->town_code : NULL};
    if (authz_require(req, "planning.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT id, name, format, size_bytes, nodes, edges, min_lon, max_lon, min_lat, max_lat, created_at "
                   "FROM road_network WHERE district_code = ? ORDER BY id DESC LIMIT 1",
                   &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    int rc = db_step(st, &e);
    json_t *net = json_null();
    if (rc == DB_ROW)
        net = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:[f,f,f,f], s:s}", "id", (json_int_t)db_col_int64(st, 0),
                        "name", db_col_text(st, 1), "format", db_col_text(st, 2), "size_bytes",
                        (json_int_t)db_col_int64(st, 3), "nodes", (json_int_t)db_col_int64(st, 4), "edges",
                        (json_int_t)db_col_int64(st, 5), "bbox", db_col_double(st, 6), db_col_double(st, 8),
                        db_col_double(st, 7), db_col_double(st, 9), "created_at", db_col_text(st, 10));
    db_finalize(st);
    if (rc < 0) {
        json_decref(net);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "network", net));
}

/* ---- communities and candidates -------------------------------------------------------- */

static int read_planning(struct http_req *req, struct err *e)
{
    struct authz_target t = {.town_code = req->user ? req->user->town_code : NULL};
    return authz_require(req, "planning.read", &t, e);
}

/* The town officer's town, or NULL for district-wide readers. */
static const char *scope_town(struct http_req *req)
{
    return req->user->role == ROLE_TOWN_OFFICER ? req->user->town_code : NULL;
}

static json_t *comm_json(const struct comm *c, const char *town_name)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:b}", "id", (json_int_t)c->id, "name", c->name,
                     "town_code", c->town, "town_name", town_name, "lon", c->lon, "lat", c->lat, "population",
                     (json_int_t)c->population, "children_0_3", (json_int_t)c->children, "is_new", c->is_new);
}

static int list_communities(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    if (read_planning(req, &e) < 0)
        return http_reply_err(rep, &e);
    struct inputs in = {0};
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0 || load_towns(req, &in, &e) < 0 ||
        load_communities(req, scope_town(req), &in.comms, &in.ncomm, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (size_t i = 0; i < in.ncomm; i++)
        if (in.comms[i].id > page.after_id && http_page_take(req, &page, in.comms[i].id, NULL))
            json_array_append_new(items, comm_json(&in.comms[i], town_name_of(&in, in.comms[i].town)));
        else if (page.more)
            break;
    free(in.comms);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* A text member the schema admitted (it fits out); "" when absent or null. */
static void get_text(const json_t *body, const char *key, char *out, size_t cap)
{
    const char *s = json_string_value(json_object_get(body, key));
    snprintf(out, cap, "%s", s ? s : "");
}

/* lon, lat (numbers, by the schema) inside the district's area. */
static int get_coord(const json_t *body, const struct settings *s, double *lon, double *lat, struct err *e)
{
    *lon = json_number_value(json_object_get(body, "lon"));
    *lat = json_number_value(json_object_get(body, "lat"));
    if (!(*lon >= s->min_lon && *lon <= s->max_lon))
        return err_set(e, 422, "outside_district", "lon", "经度 %.6f 不在本区范围内（%.2f–%.2f）", *lon, s->min_lon,
                       s->max_lon);
    if (!(*lat >= s->min_lat && *lat <= s->max_lat))
        return err_set(e, 422, "outside_district", "lat", "纬度 %.6f 不在本区范围内（%.2f–%.2f）", *lat, s->min_lat,
                       s->max_lat);
    return 0;
}

static int create_community(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user ? req->user->town_code : NULL};
    if (authz_require(req, "planning.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct settings s;
    if (load_settings(req, &s, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    struct comm c = {0};
    get_text(body, "name", c.name, sizeof c.name);
    get_text(body, "town_code", c.town, sizeof c.town);
    c.population = json_integer_value(json_object_get(body, "population"));
    c.children = json_integer_value(json_object_get(body, "children_0_3"));
    c.is_new = json_is_true(json_object_get(body, "is_new"));
    if (get_coord(body, &s, &c.lon, &c.lat, &e) < 0)
        return http_reply_err(rep, &e);
    if (c.children > c.population)
        return http_reply_error(rep, 422, "out_of_range", "children_0_3", "0–3岁婴幼儿数不能超过常住人口");
    char town_name[64] = "";
    int rc = registry_town_name(req->db, req->app->district_code, c.town, town_name, sizeof town_name, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return http_reply_error(rep, 422, "unknown_town", "town_code", "镇街代码不存在：%s", c.town);
    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct db_stmt *st;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_prepare(req->db,
                   "INSERT INTO community (district_code, town_code, name, lon, lat, population, children_0_3, is_new, "
                   "created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                   &st, &e) < 0)
        goto fail;
    db_bind_text(st, 1, req->app->district_code);
    db_bind_text(st, 2, c.town);
    db_bind_text(st, 3, c.name);
    db_bind_double(st, 4, c.lon);
    db_bind_double(st, 5, c.lat);
    db_bind_int64(st, 6, c.population);
    db_bind_int64(st, 7, c.children);
    db_bind_int64(st, 8, c.is_new);
    db_bind_text(st, 9, now_ts);
    rc = db_step(st, &e);
    if (rc == DB_ROW)
        c.id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    json_t *out = comm_json(&c, town_name);
    rc = audit_request(req, "planning.community.create", "community", http_printf(req, "%" PRId64, c.id), out, &e);
    if (rc < 0 || db_commit(req->db, &e) < 0) {
        json_decref(out);
        goto fail;
    }
    return http_reply_json(rep, 201, out);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static json_t *cand_json(const struct cand *c)
{
    return json_pack("{s:I, s:s, s:f, s:f, s:s, s:s}", "id", (json_int_t)c->id, "name", c->name, "lon", c->lon, "lat",
                     c->lat, "kind", c->kind, "note", c->note);
}

static int list_candidates(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    if (read_planning(req, &e) < 0)
        return http_reply_err(rep, &e);
    struct cand *list;
    size_t n;
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0 || load_candidates(req, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        if (list[i].id > page.after_id && http_page_take(req, &page, list[i].id, NULL))
            json_array_append_new(items, cand_json(&list[i]));
        else if (page.more)
            break;
    free(list);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int create_candidate(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user ? req->user->town_code : NULL};
    if (authz_require(req, "planning.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct settings s;
    if (load_settings(req, &s, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    struct cand c = {0};
    get_text(body, "name", c.name, sizeof c.name);
    get_text(body, "kind", c.kind, sizeof c.kind);
    get_text(body, "note", c.note, sizeof c.note);
    if (get_coord(body, &s, &c.lon, &c.lat, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(c.kind, "idle_premises") && strcmp(c.kind, "new_community"))
        return http_reply_error(rep, 422, "bad_kind", "kind", "候选点类型应为 idle_premises（闲置国有房产）或 new_community（新建社区）");
    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct db_stmt *st;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_prepare(req->db,
                   "INSERT INTO candidate_site (district_code, name, lon, lat, kind, note, created_at) "
                   "VALUES (?,?,?,?,?,?,?) RETURNING id",
                   &st, &e) < 0)
        goto fail;
    db_bind_text(st, 1, req->app->district_code);
    db_bind_text(st, 2, c.name);
    db_bind_double(st, 3, c.lon);
    db_bind_double(st, 4, c.lat);
    db_bind_text(st, 5, c.kind);
    db_bind_text(st, 6, c.note);
    db_bind_text(st, 7, now_ts);
    int rc = db_step(st, &e);
    if (rc == DB_ROW)
        c.id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    json_t *out = cand_json(&c);
    rc = audit_request(req, "planning.candidate.create", "candidate_site", http_printf(req, "%" PRId64, c.id), out,
                       &e);
    if (rc < 0 || db_commit(req->db, &e) < 0) {
        json_decref(out);
        goto fail;
    }
    return http_reply_json(rep, 201, out);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

/* ---- coverage -------------------------------------------------------------------------- */

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }
static json_t *share(double part, double whole) { return whole > 0 ? json_real(part / whole) : json_null(); }
static double round_to(double v, double scale) { return round(v * scale) / scale; }

static json_t *method_json(const struct inputs *in)
{
    json_t *o = json_pack("{s:s, s:f, s:f, s:f, s:f}", "method", in->network_id ? "network" : "straight_line",
                          "minutes", in->s.pp.minutes, "speed_kmh", in->s.pp.speed_kmh, "max_minutes",
                          in->s.pp.max_minutes, "detour_factor", in->s.pp.detour_factor);
    json_object_set_new(o, "network", in->network_id ? json_pack("{s:I, s:s}", "id", (json_int_t)in->network_id,
                                                                 "name", in->network_name)
                                                     : json_null());
    return o;
}

static json_t *area_json(const struct plan_area *a, const struct plan_area_result *r)
{
    return json_pack("{s:f, s:f, s:o, s:o, s:o, s:f, s:o, s:o}", "population", a->population, "places", a->places,
                     "places_per_1000", num_or_null(r->places_per_1000), "target", num_or_null(r->target),
                     "meets_target", r->meets_places < 0 ? json_null() : json_boolean(r->meets_places), "places_short",
                     ceil(r->places_short), "inclusive_share", num_or_null(r->inclusive_share), "meets_inclusive",
                     r->meets_inclusive < 0 ? json_null() : json_boolean(r->meets_inclusive));
}

/* Index of the community an institution's places count towards: the nearest one (straight line)
 * in its own town, else the nearest overall; -1 without communities. */
static long home_community(const struct inputs *in, const struct institution *x)
{
    long best = -1, best_any = -1;
    double bd = INFINITY, bd_any = INFINITY;
    for (size_t i = 0; i < in->ncomm; i++) {
        double d = geo_haversine_m(x->lat, x->lon, in->comms[i].lat, in->comms[i].lon);
        if (d < bd_any)
            bd_any = d, best_any = (long)i;
        if (strcmp(in->comms[i].town, x->town_code) == 0 && d < bd)
            bd = d, best = (long)i;
    }
    return best >= 0 ? best : best_any;
}

static int compute_coverage(struct http_req *req, const struct inputs *in, json_t **out, struct err *e)
{
    const struct plan_params *pp = &in->s.pp;
    size_t nd = in->ncomm, ns = (size_t)in->ninst;
    struct plan_graph *g = NULL;
    if (load_graph(req, in->network_id, &g, e) < 0)
        return -1;
    int rc = -1;
    struct plan_demand *d = calloc(nd ? nd : 1, sizeof *d);
    struct plan_point *s = calloc(ns ? ns : 1, sizeof *s);
    double *places = calloc(ns ? ns : 1, sizeof *places);
    struct plan_coverage_row *rows = calloc(nd ? nd : 1, sizeof *rows);
    long *home = calloc(ns ? ns : 1, sizeof *home);
    struct plan_area *areas = calloc(1 + in->ntowns + nd, sizeof *areas);
    struct plan_area_result *res = calloc(1 + in->ntowns + nd, sizeof *res);
    struct plan_institution *pi = calloc(ns ? ns : 1, sizeof *pi);
    const char **codes = calloc(in->ntowns ? in->ntowns : 1, sizeof *codes);
    size_t *idx = calloc((in->ntowns > ns ? in->ntowns : ns) + 1, sizeof *idx);
    struct plan_kindergarten *kg = calloc(ns ? ns : 1, sizeof *kg);
    size_t *kg_inst = calloc(ns ? ns : 1, sizeof *kg_inst);
    struct plan_pairs pairs = {0};
    if (!d || !s || !places || !rows || !home || !areas || !res || !pi || !codes || !idx || !kg || !kg_inst) {
        oom(e);
        goto done;
    }
    for (size_t i = 0; i < nd; i++)
        d[i] = (struct plan_demand){.lat = in->comms[i].lat, .lon = in->comms[i].lon,
                                    .population = (double)in->comms[i].population,
                                    .children = (double)in->comms[i].children};
    double total_places = 0, inclusive_places = 0;
    for (size_t j = 0; j < ns; j++) {
        s[j] = (struct plan_point){.lat = in->insts[j].lat, .lon = in->insts[j].lon};
        places[j] = institution_places(&in->insts[j]);
        total_places += places[j];
        if (in->insts[j].inclusive)
            inclusive_places += places[j];
        home[j] = home_community(in, &in->insts[j]);
    }
    struct plan_coverage_totals tot;
    if (plan_coverage_run(g, pp, d, nd, s, places, ns, rows, &tot, e) < 0 ||
        plan_pairs_within(g, pp, d, nd, s, ns, pp->minutes, pp->minutes, &pairs, NULL, NULL, e) < 0)
        goto done;

    /* areas: [0] district, [1..ntowns] towns, then communities */
    areas[0] = (struct plan_area){.code = req->app->district_code, .level = PLAN_AREA_DISTRICT,
                                  .population = tot.population, .places = total_places,
                                  .inclusive_places = inclusive_places};
    for (size_t t = 0; t < in->ntowns; t++) {
        areas[1 + t] = (struct plan_area){.code = in->towns[t].code, .level = PLAN_AREA_TOWN};
        codes[t] = in->towns[t].code;
    }
    struct town_cov {
        double children, pop_cov, child_cov;
        int communities;
    } *tc = calloc(in->ntowns ? in->ntowns : 1, sizeof *tc);
    if (!tc) {
        oom(e);
        goto done;
    }
    for (size_t i = 0; i < nd; i++) {
        areas[1 + in->ntowns + i] = (struct plan_area){.code = in->comms[i].name, .level = PLAN_AREA_COMMUNITY,
                                                        .new_community = in->comms[i].is_new,
                                                        .population = d[i].population};
        for (size_t t = 0; t < in->ntowns; t++)
            if (strcmp(in->towns[t].code, in->comms[i].town) == 0) {
                areas[1 + t].population += d[i].population;
                tc[t].children += d[i].children;
                tc[t].communities++;
                if (rows[i].covered)
                    tc[t].pop_cov += d[i].population, tc[t].child_cov += d[i].children;
            }
    }
    for (size_t j = 0; j < ns; j++) {
        for (size_t t = 0; t < in->ntowns; t++)
            if (strcmp(in->towns[t].code, in->insts[j].town_code) == 0) {
                areas[1 + t].places += places[j];
                if (in->insts[j].inclusive)
                    areas[1 + t].inclusive_places += places[j];
            }
        if (home[j] >= 0) {
            struct plan_area *a = &areas[1 + in->ntowns + (size_t)home[j]];
            a->places += places[j];
            if (in->insts[j].inclusive)
                a->inclusive_places += places[j];
        }
        pi[j] = (struct plan_institution){.town_code = in->insts[j].town_code, .inclusive = in->insts[j].inclusive,
                                          .active = 1};
    }
    if (plan_rules_areas(&in->s.rp, areas, 1 + in->ntowns + nd, res, e) < 0) {
        free(tc);
        goto done;
    }

    /* per-community rows */
    json_t *crow = json_array();
    for (size_t i = 0; i < nd; i++) {
        const struct comm *c = &in->comms[i];
        const struct plan_coverage_row *r = &rows[i];
        json_t *o = comm_json(c, town_name_of(in, c->town));
        json_object_set_new(o, "nearest_institution",
                            r->nearest_site >= 0
                                ? json_pack("{s:I, s:s}", "id", (json_int_t)in->insts[r->nearest_site].id, "name",
                                            in->insts[r->nearest_site].name)
                                : json_null());
        json_object_set_new(o, "minutes", isfinite(r->minutes) ? json_real(round_to(r->minutes, 1000)) : json_null());
        json_object_set_new(o, "covered", json_boolean(r->covered));
        json_object_set_new(o, "access_per_1000", json_real(round_to(r->access_per_1000, 1e6)));
        const struct plan_area_result *ar = &res[1 + in->ntowns + i];
        json_object_set_new(o, "places", json_real(areas[1 + in->ntowns + i].places));
        json_object_set_new(o, "places_per_1000", num_or_null(ar->places_per_1000));
        json_object_set_new(o, "target", num_or_null(ar->target));
        json_object_set_new(o, "meets_target", ar->meets_places < 0 ? json_null() : json_boolean(ar->meets_places));
        if (g)
            json_object_set_new(o, "outside_network",
                                json_boolean(!plan_graph_contains(g, c->lat, c->lon, in->s.margin_m)));
        json_array_append_new(crow, o);
    }
    /* totals by town */
    json_t *towns = json_array();
    for (size_t t = 0; t < in->ntowns; t++) {
        json_t *o = area_json(&areas[1 + t], &res[1 + t]);
        json_object_set_new(o, "town_code", json_string(in->towns[t].code));
        json_object_set_new(o, "town_name", json_string(in->towns[t].name));
        json_object_set_new(o, "communities", json_integer(tc[t].communities));
        json_object_set_new(o, "children_0_3", json_real(tc[t].children));
        json_object_set_new(o, "population_covered", json_real(tc[t].pop_cov));
        json_object_set_new(o, "children_covered", json_real(tc[t].child_cov));
        json_object_set_new(o, "population_covered_share", share(tc[t].pop_cov, areas[1 + t].population));
        json_object_set_new(o, "children_covered_share", share(tc[t].child_cov, tc[t].children));
        json_object_set_new(o, "inclusive_places", json_real(areas[1 + t].inclusive_places));
        json_array_append_new(towns, o);
    }
    free(tc);
    json_t *district = area_json(&areas[0], &res[0]);
    json_object_set_new(district, "children_0_3", json_real(tot.children));
    json_object_set_new(district, "population_covered", json_real(tot.population_covered));
    json_object_set_new(district, "children_covered", json_real(tot.children_covered));
    json_object_set_new(district, "population_covered_share", share(tot.population_covered, tot.population));
    json_object_set_new(district, "children_covered_share", share(tot.children_covered, tot.children));
    json_object_set_new(district, "inclusive_places", json_real(inclusive_places));
    json_object_set_new(district, "institutions", json_integer((json_int_t)ns));

    /* rules */
    size_t nwo = plan_rules_towns_without_inclusive(codes, in->ntowns, pi, ns, idx);
    json_t *without = json_array();
    for (size_t q = 0; q < nwo; q++)
        json_array_append_new(without, json_pack("{s:s, s:s}", "town_code", in->towns[idx[q]].code, "town_name",
                                                 in->towns[idx[q]].name));
    size_t nkg = 0;
    for (size_t j = 0; j < ns; j++)
        if (strcmp(in->insts[j].operating_model, "kindergarten") == 0) {
            kg[nkg] = (struct plan_kindergarten){.id = in->insts[j].name,
                                                 .new_community = home[j] >= 0 && in->comms[home[j]].is_new,
                                                 .toddler_classes = toddler_classes(&in->insts[j])};
            kg_inst[nkg++] = j;
        }
    size_t nshort = plan_rules_short_kindergartens(&in->s.rp, kg, nkg, idx);
    json_t *shortk = json_array();
    for (size_t q = 0; q < nshort; q++) {
        const struct institution *x = &in->insts[kg_inst[idx[q]]];
        json_array_append_new(shortk, json_pack("{s:I, s:s, s:s, s:i, s:i}", "id", (json_int_t)x->id, "name", x->name,
                                                "town_code", x->town_code, "toddler_classes", kg[idx[q]].toddler_classes,
                                                "required", in->s.rp.kindergarten_min_toddler_classes));
    }
    json_t *rules = json_pack("{s:f, s:f, s:f, s:o, s:o, s:o, s:o}", "places_per_1000_target",
                              in->s.rp.district_places_per_1000, "new_community_places_per_1000_target",
                              in->s.rp.new_community_places_per_1000, "inclusive_share_target",
                              in->s.rp.inclusive_share_min, "inclusive_share", num_or_null(res[0].inclusive_share),
                              "meets_inclusive",
                              res[0].meets_inclusive < 0 ? json_null() : json_boolean(res[0].meets_inclusive),
                              "towns_without_inclusive", without, "kindergartens_short_of_toddler_classes", shortk);

    /* each institution's walking reach */
    json_t *sites = json_array();
    size_t q = 0;
    for (size_t j = 0; j < ns; j++) {
        json_t *covers = json_array();
        for (; q < pairs.n && pairs.items[q].site == j; q++)
            json_array_append_new(covers, json_integer((json_int_t)in->comms[pairs.items[q].demand].id));
        const struct institution *x = &in->insts[j];
        json_array_append_new(sites, json_pack("{s:I, s:s, s:s, s:f, s:f, s:f, s:b, s:o}", "id", (json_int_t)x->id,
                                               "name", x->name, "town_code", x->town_code, "lon", x->lon, "lat",
                                               x->lat, "places", places[j], "inclusive", x->inclusive,
                                               "covers", covers));
    }
    json_t *o = method_json(in);
    json_object_set_new(o, "communities", crow);
    json_object_set_new(o, "district", district);
    json_object_set_new(o, "towns", towns);
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "institutions", sites);
    *out = o;
    rc = 0;
done:
    plan_pairs_free(&pairs);
    plan_graph_free(g);
    free(d), free(s), free(places), free(rows), free(home), free(areas), free(res), free(pi), free(codes);
    free(idx), free(kg), free(kg_inst);
    return rc;
}

/* Keep only the town officer's town in a coverage reply. */
static void scope_coverage(json_t *o, const char *town)
{
    const char *arrays[] = {"communities", "towns", "institutions"};
    for (size_t a = 0; a < 3; a++) {
        json_t *arr = json_object_get(o, arrays[a]), *kept = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
        {
            const char *tc = json_string_value(json_object_get(v, "town_code"));
            if (tc && strcmp(tc, town) == 0)
                json_array_append(kept, v);
        }
        json_object_set_new(o, arrays[a], kept);
    }
    json_t *rules = json_object_get(o, "rules");
    const char *lists[] = {"towns_without_inclusive", "kindergartens_short_of_toddler_classes"};
    for (size_t a = 0; rules && a < 2; a++) {
        json_t *arr = json_object_get(rules, lists[a]), *kept = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
        {
            const char *tc = json_string_value(json_object_get(v, "town_code"));
            if (tc && strcmp(tc, town) == 0)
                json_array_append(kept, v);
        }
        json_object_set_new(rules, lists[a], kept);
    }
    json_object_set_new(o, "scope_town", json_string(town));
}

static int post_coverage(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    if (read_planning(req, &e) < 0)
        return http_reply_err(rep, &e);
    struct inputs in;
    if (load_inputs(req, 0, &in, &e) < 0)
        return http_reply_err(rep, &e);
    if (in.ncomm > MAX_ROWS) {
        inputs_free(&in);
        return http_reply_error(rep, 422, "too_many", "communities", "社区数量过多（上限 %d）", MAX_ROWS);
    }
    char hash[65];
    input_hash(&in, "coverage", 0, hash);
    json_t *o = cache_get(req, "coverage", hash, &e);
    int cached = o != NULL;
    if (!o) {
        if (compute_coverage(req, &in, &o, &e) < 0) {
            inputs_free(&in);
            return http_reply_err(rep, &e);
        }
        char now_ts[32];
        date_format_timestamp(req->now, now_ts, sizeof now_ts);
        json_object_set_new(o, "input_hash", json_string(hash));
        json_object_set_new(o, "computed_at", json_string(now_ts));
        cache_put(req, "coverage", hash, o);
    }
    inputs_free(&in);
    json_object_set_new(o, "cached", json_boolean(cached));
    const char *town = scope_town(req);
    if (town)
        scope_coverage(o, town);
    return http_reply_json(rep, 200, o);
}

/* ---- site recommendations -------------------------------------------------------------- */

static int compute_sites(struct http_req *req, const struct inputs *in, size_t k, json_t **out, struct err *e)
{
    const struct plan_params *pp = &in->s.pp;
    size_t nd = in->ncomm, ns = (size_t)in->ninst, nc = in->ncand;
    size_t nk = k < nc ? k : nc;
    struct plan_graph *g = NULL;
    if (load_graph(req, in->network_id, &g, e) < 0)
        return -1;
    int rc = -1;
    struct plan_demand *d = calloc(nd ? nd : 1, sizeof *d);
    struct plan_point *s = calloc(ns ? ns : 1, sizeof *s), *c = calloc(nc ? nc : 1, sizeof *c);
    long *nearest = calloc(nd ? nd : 1, sizeof *nearest);
    double *nearest_min = calloc(nd ? nd : 1, sizeof *nearest_min), *weight = calloc(nd ? nd : 1, sizeof *weight);
    double *added = calloc(nk ? nk : 1, sizeof *added);
    size_t *off = calloc(nc + 1, sizeof *off);
    uint32_t *chosen = calloc(nk ? nk : 1, sizeof *chosen), *cover = NULL;
    struct plan_pairs ex = {0}, cp = {0};
    if (!d || !s || !c || !nearest || !nearest_min || !weight || !added || !off || !chosen) {
        oom(e);
        goto done;
    }
    for (size_t i = 0; i < nd; i++)
        d[i] = (struct plan_demand){.lat = in->comms[i].lat, .lon = in->comms[i].lon,
                                    .population = (double)in->comms[i].population,
                                    .children = (double)in->comms[i].children};
    for (size_t j = 0; j < ns; j++)
        s[j] = (struct plan_point){.lat = in->insts[j].lat, .lon = in->insts[j].lon};
    for (size_t j = 0; j < nc; j++)
        c[j] = (struct plan_point){.lat = in->cands[j].lat, .lon = in->cands[j].lon};
    double m = pp->minutes;
    if (plan_pairs_within(g, pp, d, nd, s, ns, m, m, &ex, nearest, nearest_min, e) < 0 ||
        plan_pairs_within(g, pp, d, nd, c, nc, m, m, &cp, NULL, NULL, e) < 0)
        goto done;
    double total = 0, before = 0;
    for (size_t i = 0; i < nd; i++) {
        int covered = nearest[i] >= 0 && nearest_min[i] <= m;
        weight[i] = covered ? 0 : d[i].children;
        total += d[i].children;
        if (covered)
            before += d[i].children;
    }
    for (size_t q = 0; q < cp.n; q++)
        if (weight[cp.items[q].demand] > 0)
            off[cp.items[q].site + 1]++;
    for (size_t j = 0; j < nc; j++)
        off[j + 1] += off[j];
    cover = malloc((off[nc] ? off[nc] : 1) * sizeof *cover);
    if (!cover) {
        oom(e);
        goto done;
    }
    for (size_t q = 0, t = 0; q < cp.n; q++)
        if (weight[cp.items[q].demand] > 0)
            cover[t++] = cp.items[q].demand;
    struct plan_mclp prob = {.n_demand = nd, .weight = weight, .n_cand = nc, .cover_off = off, .cover = cover, .k = k};
    struct plan_mclp_result res = {.chosen = chosen, .added = added};
    if (nc > 0 && nk > 0 && plan_mclp_solve(&prob, &res, e) < 0)
        goto done;
    json_t *items = json_array();
    for (size_t r = 0; r < res.n_chosen; r++) {
        const struct cand *x = &in->cands[chosen[r]];
        json_t *covers = json_array();
        for (size_t q = off[chosen[r]]; q < off[chosen[r] + 1]; q++)
            json_array_append_new(covers, json_integer((json_int_t)in->comms[cover[q]].id));
        json_array_append_new(items, json_pack("{s:i, s:I, s:s, s:f, s:f, s:s, s:f, s:o}", "rank", (int)r + 1, "id",
                                               (json_int_t)x->id, "name", x->name, "lon", x->lon, "lat", x->lat,
                                               "kind", x->kind, "added_children_covered", added[r], "covers",
                                               covers));
    }
    json_t *o = method_json(in);
    json_object_set_new(o, "k", json_integer((json_int_t)k));
    json_object_set_new(o, "candidates", json_integer((json_int_t)nc));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "children_0_3", json_real(total));
    json_object_set_new(o, "children_covered_before", json_real(before));
    json_object_set_new(o, "children_covered_after", json_real(before + res.total));
    json_object_set_new(o, "children_covered_share_before", share(before, total));
    json_object_set_new(o, "children_covered_share_after", share(before + res.total, total));
    *out = o;
    rc = 0;
done:
    plan_pairs_free(&ex);
    plan_pairs_free(&cp);
    plan_graph_free(g);
    free(d), free(s), free(c), free(nearest), free(nearest_min), free(weight), free(added), free(off), free(chosen);
    free(cover);
    return rc;
}

static int post_sites(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    if (read_planning(req, &e) < 0)
        return http_reply_err(rep, &e);
    size_t k = (size_t)json_integer_value(json_object_get(http_body(req), "k"));
    struct inputs in;
    if (load_inputs(req, 1, &in, &e) < 0)
        return http_reply_err(rep, &e);
    char hash[65];
    input_hash(&in, "sites", (long)k, hash);
    json_t *o = cache_get(req, "sites", hash, &e);
    int cached = o != NULL;
    if (!o) {
        if (compute_sites(req, &in, k, &o, &e) < 0) {
            inputs_free(&in);
            return http_reply_err(rep, &e);
        }
        char now_ts[32];
        date_format_timestamp(req->now, now_ts, sizeof now_ts);
        json_object_set_new(o, "input_hash", json_string(hash));
        json_object_set_new(o, "computed_at", json_string(now_ts));
        cache_put(req, "sites", hash, o);
    }
    inputs_free(&in);
    json_object_set_new(o, "cached", json_boolean(cached));
    return http_reply_json(rep, 200, o);
}

static const struct http_schema NETWORK_BODY = {NULL, HTTP_BINARY, 0,
                                                "OpenStreetMap 路网文件的原始字节（.osm XML 或 .osm.pbf），名称在查询参数 name"};
static const struct http_schema COMMUNITY_BODY = {
    NULL, HTTP_OBJECT, 0, "社区",
    .members = (const struct http_schema[]){
        {"name", HTTP_STRING, HTTP_REQUIRED | HTTP_TRIM, "社区名称", HTTP_MAX_OF(struct comm, name)},
        {"town_code", HTTP_STRING, HTTP_REQUIRED, "镇街代码", HTTP_MAX_OF(struct comm, town)},
        {"lon", HTTP_NUMBER, HTTP_REQUIRED, "经度（WGS-84）"},
        {"lat", HTTP_NUMBER, HTTP_REQUIRED, "纬度（WGS-84）"},
        {"population", HTTP_INTEGER, HTTP_REQUIRED, "常住人口", 0, 0, 100000000},
        {"children_0_3", HTTP_INTEGER, HTTP_REQUIRED, "0–3岁婴幼儿数", 0, 0, 100000000},
        {"is_new", HTTP_BOOLEAN, 0, "新建社区"},
        {NULL}}};
static const struct http_schema CANDIDATE_BODY = {
    NULL, HTTP_OBJECT, 0, "候选点位",
    .members = (const struct http_schema[]){
        {"name", HTTP_STRING, HTTP_REQUIRED | HTTP_TRIM, "名称", HTTP_MAX_OF(struct cand, name)},
        {"lon", HTTP_NUMBER, HTTP_REQUIRED, "经度（WGS-84）"},
        {"lat", HTTP_NUMBER, HTTP_REQUIRED, "纬度（WGS-84）"},
        {"kind", HTTP_STRING, HTTP_REQUIRED, "类型（idle_premises/new_community）", HTTP_MAX_OF(struct cand, kind)},
        {"note", HTTP_STRING, HTTP_NULLABLE, "备注", HTTP_MAX_OF(struct cand, note)},
        {NULL}}};
static const struct http_schema COVERAGE_BODY = {NULL, HTTP_OBJECT, 0, "无字段（可不带请求体）"};
static const struct http_schema SITES_BODY = {
    NULL, HTTP_OBJECT, 0, "新增点位推荐",
    .members = (const struct http_schema[]){{"k", HTTP_INTEGER, HTTP_REQUIRED, "推荐新增点位数", 0, 1, MAX_K}, {NULL}}};

static const struct http_schema NETWORK_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "路网编号"},
    {"name", HTTP_STRING, HTTP_REQUIRED, "名称"},
    {"format", HTTP_STRING, HTTP_REQUIRED, "格式（osm/pbf）"},
    {"size_bytes", HTTP_INTEGER, HTTP_REQUIRED, "字节数"},
    {"nodes", HTTP_INTEGER, HTTP_REQUIRED, "节点数"},
    {"edges", HTTP_INTEGER, HTTP_REQUIRED, "边数"},
    {"bbox", HTTP_ARRAY, 0, "范围 [西, 南, 东, 北]", .items = &(const struct http_schema){NULL, HTTP_NUMBER}},
    {"created_at", HTTP_DATETIME, 0, "上传时间"},
    {NULL},
};
static const struct http_schema NETWORK = {NULL, HTTP_OBJECT, 0, "路网", .members = NETWORK_MEMBERS};
static const struct http_schema NETWORK_REPLY = {
    NULL, HTTP_OBJECT, 0, "使用中的路网",
    .members = (const struct http_schema[]){
        {"network", HTTP_OBJECT, HTTP_REQUIRED | HTTP_NULLABLE, "路网（未上传时为 null）", .members = NETWORK_MEMBERS},
        {NULL}}};
static const struct http_schema COMMUNITY_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "社区编号"},
    {"name", HTTP_STRING, HTTP_REQUIRED, "名称"},
    {"town_code", HTTP_STRING, HTTP_REQUIRED, "镇街代码"},
    {"town_name", HTTP_STRING, 0, "镇街名称"},
    {"lon", HTTP_NUMBER, HTTP_REQUIRED, "经度"},
    {"lat", HTTP_NUMBER, HTTP_REQUIRED, "纬度"},
    {"population", HTTP_INTEGER, HTTP_REQUIRED, "常住人口"},
    {"children_0_3", HTTP_INTEGER, HTTP_REQUIRED, "0–3岁婴幼儿数"},
    {"is_new", HTTP_BOOLEAN, HTTP_REQUIRED, "新建社区"},
    {NULL},
};
static const struct http_schema COMMUNITY = {NULL, HTTP_OBJECT, 0, "社区", .members = COMMUNITY_MEMBERS};
static const struct http_schema COMMUNITY_PAGE = HTTP_PAGE_OF(COMMUNITY);
static const struct http_schema CANDIDATE_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "候选点位编号"},
    {"name", HTTP_STRING, HTTP_REQUIRED, "名称"},
    {"lon", HTTP_NUMBER, HTTP_REQUIRED, "经度"},
    {"lat", HTTP_NUMBER, HTTP_REQUIRED, "纬度"},
    {"kind", HTTP_STRING, HTTP_REQUIRED, "类型"},
    {"note", HTTP_STRING, 0, "备注"},
    {NULL},
};
static const struct http_schema CANDIDATE = {NULL, HTTP_OBJECT, 0, "候选点位", .members = CANDIDATE_MEMBERS};
static const struct http_schema CANDIDATE_PAGE = HTTP_PAGE_OF(CANDIDATE);
static const struct http_schema COVERAGE = {NULL, HTTP_OBJECT, 0, "15 分钟服务圈覆盖分析（docs/planning.md）"};
static const struct http_schema SITES = {NULL, HTTP_OBJECT, 0, "新增点位推荐（最大覆盖）"};

const struct route planning_routes[] = {
    {"GET", "/api/v1/planning/network", "planning.read", get_network, NULL, &NETWORK_REPLY},
    {"POST", "/api/v1/planning/network", "planning.manage", post_network, &NETWORK_BODY, &NETWORK, 201},
    {"GET", "/api/v1/planning/communities", "planning.read", list_communities, NULL, &COMMUNITY_PAGE},
    {"POST", "/api/v1/planning/communities", "planning.manage", create_community, &COMMUNITY_BODY, &COMMUNITY, 201},
    {"GET", "/api/v1/planning/candidates", "planning.read", list_candidates, NULL, &CANDIDATE_PAGE},
    {"POST", "/api/v1/planning/candidates", "planning.manage", create_candidate, &CANDIDATE_BODY, &CANDIDATE, 201},
    {"POST", "/api/v1/planning/coverage", "planning.read", post_coverage, &COVERAGE_BODY, &COVERAGE},
    {"POST", "/api/v1/planning/sites", "planning.read", post_sites, &SITES_BODY, &SITES},
    {NULL, NULL, NULL, NULL},
};

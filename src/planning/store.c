/* store.c — reading and writing road networks, communities, candidate sites and cached results;
 * the registry's institutions and the parameters as planning reads them. */
#include "planning/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "params/params.h"
#include "registry/store.h"

static int oom(struct err *e) { return err_set(e, 500, "oom", "", "内存不足"); }

int planning_store_settings(struct db *db, const char *district, const char *today, struct planning_settings *s,
                            struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return oom(e);
    double ktc;
    plan_params_default(&s->pp);
    int rc = -1;
    if (params_load(db, district, today, p, e) < 0 ||
        params_num(p, "planning.walk_minutes", &s->pp.minutes, e) < 0 ||
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
        params_num(p, "geo.bbox.min_lon", &s->min_lon, e) < 0 ||
        params_num(p, "geo.bbox.max_lon", &s->max_lon, e) < 0 ||
        params_num(p, "geo.bbox.min_lat", &s->min_lat, e) < 0 ||
        params_num(p, "geo.bbox.max_lat", &s->max_lat, e) < 0)
        goto done;
    /* a town target of its own when seeded, else the district's */
    s->rp.town_places_per_1000 =
        params_num_or(p, "planning.town_places_per_1000_target", s->rp.district_places_per_1000);
    s->rp.kindergarten_min_toddler_classes = (int)ktc;
    rc = 0;
done:
    free(p);
    return rc;
}

int planning_store_towns(struct db *db, const char *district, struct planning_inputs *in, struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT code, name FROM town WHERE district_code = ? ORDER BY code", "t", district);
    if (!st)
        return -1;
    int rc;
    in->ntowns = 0;
    while ((rc = db_step(st, e)) == DB_ROW && in->ntowns < PLANNING_MAX_TOWNS) {
        db_col_copy(st, 0, in->towns[in->ntowns].code, sizeof in->towns[0].code);
        db_col_copy(st, 1, in->towns[in->ntowns].name, sizeof in->towns[0].name);
        in->ntowns++;
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* ---- road networks ---------------------------------------------------------------------- */

int planning_store_network(struct db *db, const char *district, struct planning_network *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, name, format, size_bytes, nodes, edges, min_lon, max_lon, min_lat, "
                                  "max_lat, created_at FROM road_network WHERE district_code = ? ORDER BY id DESC "
                                  "LIMIT 1",
                                  "t", district);
    int rc = db_first_row(st, e);
    if (rc > 0) {
        db_scan(st, DB_I64(&out->id), DB_TEXT(out->name), DB_TEXT(out->format), DB_I64(&out->size_bytes),
                DB_I64(&out->nodes), DB_I64(&out->edges), DB_F64(&out->min_lon), DB_F64(&out->max_lon),
                DB_F64(&out->min_lat), DB_F64(&out->max_lat), DB_TEXT(out->created_at));
        db_finalize(st);
    }
    return rc < 0 ? -1 : 0;
}

int planning_store_network_file(struct db *db, const char *district, int64_t id, char format[8], void **data,
                                size_t *len, struct err *e)
{
    *data = NULL;
    *len = 0;
    struct db_stmt *st = db_query(db, e, "SELECT format, data FROM road_network WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "network", "未找到路网");
    size_t n = 0;
    const void *bytes = db_col_blob(st, 1, &n);
    db_col_copy(st, 0, format, 8);
    *data = malloc(n ? n : 1);
    if (*data) {
        if (n)
            memcpy(*data, bytes, n);
        *len = n;
    }
    db_finalize(st);
    return *data ? 0 : oom(e);
}

int planning_store_add_network(struct db *db, const char *district, struct planning_network *n, const void *bytes,
                               size_t len, struct err *e)
{
    n->id = db_query_int(db, e, NULL,
                         "INSERT INTO road_network (district_code, name, format, data, size_bytes, nodes, edges, "
                         "min_lon, max_lon, min_lat, max_lat, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                         "RETURNING id",
                         "tttbiiiddddt", district, n->name, n->format, bytes, len, n->size_bytes, n->nodes, n->edges,
                         n->min_lon, n->max_lon, n->min_lat, n->max_lat, n->created_at);
    return n->id < 0 ? -1 : 0;
}

/* ---- communities and candidate sites ---------------------------------------------------- */

static void read_community(struct db_stmt *st, void *item)
{
    struct planning_community *c = item;
    db_scan(st, DB_I64(&c->id), DB_TEXT(c->town), DB_TEXT(c->name), DB_F64(&c->lon), DB_F64(&c->lat),
            DB_I64(&c->population), DB_I64(&c->children), DB_INT(&c->is_new));
}

int planning_store_communities(struct db *db, const char *district, const char *town,
                               struct planning_community **out, size_t *n, struct err *e)
{
    const char *sql = town ? "SELECT id, town_code, name, lon, lat, population, children_0_3, is_new FROM community "
                             "WHERE district_code = ? AND town_code = ? ORDER BY id"
                           : "SELECT id, town_code, name, lon, lat, population, children_0_3, is_new FROM community "
                             "WHERE district_code = ? ORDER BY id";
    struct db_stmt *st = db_query(db, e, sql, town ? "tt" : "t", district, town);
    void *rows;
    int rc = db_rows(st, e, sizeof **out, read_community, &rows, n);
    *out = rows;
    return rc;
}

int planning_store_add_community(struct db *db, const char *district, struct planning_community *c,
                                 const char *now_ts, struct err *e)
{
    c->id = db_query_int(db, e, NULL,
                         "INSERT INTO community (district_code, town_code, name, lon, lat, population, children_0_3, "
                         "is_new, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                         "tttddiiit", district, c->town, c->name, c->lon, c->lat, c->population, c->children,
                         (int64_t)c->is_new, now_ts);
    return c->id < 0 ? -1 : 0;
}

static void read_candidate(struct db_stmt *st, void *item)
{
    struct planning_candidate *c = item;
    db_scan(st, DB_I64(&c->id), DB_TEXT(c->name), DB_F64(&c->lon), DB_F64(&c->lat), DB_TEXT(c->kind), DB_TEXT(c->note));
}

int planning_store_candidates(struct db *db, const char *district, struct planning_candidate **out, size_t *n,
                              struct err *e)
{
    struct db_stmt *st = db_query(
        db, e, "SELECT id, name, lon, lat, kind, note FROM candidate_site WHERE district_code = ? ORDER BY id", "t",
        district);
    void *rows;
    int rc = db_rows(st, e, sizeof **out, read_candidate, &rows, n);
    *out = rows;
    return rc;
}

int planning_store_add_candidate(struct db *db, const char *district, struct planning_candidate *c,
                                 const char *now_ts, struct err *e)
{
    c->id = db_query_int(db, e, NULL,
                         "INSERT INTO candidate_site (district_code, name, lon, lat, kind, note, created_at) "
                         "VALUES (?,?,?,?,?,?,?) RETURNING id",
                         "ttddttt", district, c->name, c->lon, c->lat, c->kind, c->note, now_ts);
    return c->id < 0 ? -1 : 0;
}

/* ---- institutions ----------------------------------------------------------------------- */

int planning_store_institutions(struct db *db, const char *district, const char *today,
                                struct planning_institution **out, size_t *n,
                                struct err *e)
{
    *out = NULL;
    *n = 0;
    struct institution *list;
    int count;
    struct registry_filter open = {.open_only = 1, .inclusive = -1, .day = today};
    if (registry_load_filtered(db, district, &open, &list, &count, e) < 0)
        return -1;
    *out = calloc(count ? (size_t)count : 1, sizeof **out);
    if (!*out) {
        free(list);
        return oom(e);
    }
    for (int i = 0; i < count; i++) {
        const struct institution *x = &list[i];
        struct planning_institution *p = &(*out)[i];
        p->id = x->id;
        parse_copy_text(p->town, sizeof p->town, x->town_code);
        parse_copy_text(p->name, sizeof p->name, x->name);
        p->lon = x->lon;
        p->lat = x->lat;
        p->places = institution_places(x);
        p->inclusive = x->inclusive;
        parse_copy_text(p->status, sizeof p->status, x->status);
        parse_copy_text(p->operating_model, sizeof p->operating_model, x->operating_model);
        for (int k = 0; k < x->nclasses; k++)
            if (x->classes[k].type != CLASS_INFANT)
                p->toddler_classes++;
    }
    *n = (size_t)count;
    free(list);
    return 0;
}

int planning_store_inputs(struct db *db, const char *district, const char *today, int with_candidates,
                          struct planning_inputs *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    in->district = district;
    if (planning_store_settings(db, district, today, &in->s, e) < 0 || planning_store_towns(db, district, in, e) < 0 ||
        planning_store_network(db, district, &in->network, e) < 0 ||
        planning_store_communities(db, district, NULL, &in->comms, &in->ncomm, e) < 0 ||
        planning_store_institutions(db, district, today, &in->insts, &in->ninst, e) < 0 ||
        (with_candidates && planning_store_candidates(db, district, &in->cands, &in->ncand, e) < 0)) {
        planning_inputs_free(in);
        return -1;
    }
    return 0;
}

/* ---- cached results --------------------------------------------------------------------- */

int planning_store_result(struct db *db, const char *district, const char *kind, const char *key, json_t **out,
                          struct err *e)
{
    *out = NULL;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT result FROM planning_result WHERE district_code = ? AND kind = ? AND "
                                  "input_hash = ?",
                                  "ttt", district, kind, key);
    int rc = db_first_row(st, e);
    if (rc > 0) {
        *out = json_loads(db_col_text(st, 0), 0, NULL);
        db_finalize(st);
    }
    return rc < 0 ? -1 : 0;
}

int planning_store_result_replace(struct db *db, const char *district, const char *kind, const char *key,
                                  const char *text, const char *computed_at, struct err *e)
{
    if (db_run(db, e, "DELETE FROM planning_result WHERE district_code = ? AND kind = ?", "tt", district, kind) < 0 ||
        db_run(db, e,
               "INSERT INTO planning_result (district_code, kind, input_hash, result, computed_at) VALUES (?,?,?,?,?)",
               "ttttt", district, kind, key, text, computed_at) < 0)
        return -1;
    return 0;
}

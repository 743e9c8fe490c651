/* cli.c — `tuoyu plan …`: coverage (15-minute circle and E2SFCA accessibility), sites (maximal
 * covering site selection), gen-network (synthetic city OSM), export (the walking graph as CSV,
 * for comparison with other routers) and import-network (an OSM file stored as the district's
 * road network, network.c). Reads the files, calls the engines of src/plan/, and writes the
 * output only when everything succeeded (bad input: a message naming file, row and field; exit 2). */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_setup.h"
#include "base/cli.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/parse.h"
#include "commands.h"
#include "plan/coverage.h"
#include "plan/gen.h"
#include "plan/graph.h"
#include "plan/osm.h"
#include "plan/sites.h"
#include "planning/network.h"

#define CMD "plan"

/* ---- input files --------------------------------------------------------------------- */

/* Points read from one CSV file. */
struct points {
    const char *file;
    size_t n, cap;
    char **id;
    double *lat, *lon;
    double *population, *children, *places;   /* NULL when not read */
    char **town;                               /* NULL when the column is absent */
    long *line;                                /* line of each row in the file */
};

static void points_free(struct points *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->id[i]);
        if (p->town)
            free(p->town[i]);
    }
    free(p->id), free(p->lat), free(p->lon), free(p->population), free(p->children);
    free(p->places), free(p->town), free(p->line);
    memset(p, 0, sizeof *p);
}

static int bad_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_input(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tuoyu plan: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    return -1;
}

static int grow_points(struct points *p)
{
    if (p->n < p->cap)
        return 0;
    size_t nc = p->cap ? 2 * p->cap : 256;
#define GROW(f)                                                            \
    do {                                                                   \
        if (p->f) {                                                        \
            void *q = realloc(p->f, nc * sizeof *p->f);                    \
            if (!q)                                                        \
                return -1;                                                 \
            p->f = q;                                                      \
        }                                                                  \
    } while (0)
    GROW(id);
    GROW(lat);
    GROW(lon);
    GROW(population);
    GROW(children);
    GROW(places);
    GROW(town);
    GROW(line);
#undef GROW
    p->cap = nc;
    return 0;
}

enum { NEED_POP = 1, NEED_PLACES = 2, OPT_PLACES = 4 };

static int cmp_idx_by_id(const void *a, const void *b, void *ctx)
{
    char **ids = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(ids[x], ids[y]);
    return c ? c : (x > y) - (x < y);
}

/* Read id, lon, lat (+ population, children_0_3 / places / town_code) from path. */
static int read_points(const char *path, int what, struct points *p)
{
    memset(p, 0, sizeof *p);
    p->file = path;
    FILE *f = fopen(path, "r");
    if (!f)
        return bad_input("%s: 无法打开文件 (cannot open file)", path);
    struct csv_reader *r = csv_open(f, path);
    int rc = -1;
    if (!r) {
        fclose(f);
        return bad_input("%s: out of memory", path);
    }
    if (csv_read_header(r) < 0) {
        bad_input("%s: 文件为空或无法读取 (empty or unreadable file)", path);
        goto done;
    }
    const char *need[] = {"id", "lon", "lat", "population", "children_0_3", "places"};
    int col[6];
    for (int k = 0; k < 6; k++) {
        col[k] = csv_column(r, need[k]);
        int required = k < 3 || (k >= 3 && k <= 4 && (what & NEED_POP)) || (k == 5 && (what & NEED_PLACES));
        if (col[k] < 0 && required) {
            bad_input("%s: line 1 (header), field %s: 缺少列 (column missing)", path, need[k]);
            goto done;
        }
    }
    int col_town = csv_column(r, "town_code");
    p->id = malloc(1), p->lat = malloc(1), p->lon = malloc(1), p->line = malloc(1);
    if (what & NEED_POP)
        p->population = malloc(1), p->children = malloc(1);
    if (col[5] >= 0 && (what & (NEED_PLACES | OPT_PLACES)))
        p->places = malloc(1);
    if (col_town >= 0)
        p->town = malloc(1);
    /* the arrays present say which fields are read; grow_points() reallocates them */
    if (!p->id || !p->lat || !p->lon || !p->line || ((what & NEED_POP) && (!p->population || !p->children)) ||
        (col[5] >= 0 && (what & (NEED_PLACES | OPT_PLACES)) && !p->places) || (col_town >= 0 && !p->town)) {
        bad_input("%s: out of memory", path);
        goto done;
    }
    int st;
    while ((st = csv_next(r)) > 0) {
        long line = csv_line(r);
        size_t row = p->n + 1;
        if (grow_points(p) < 0) {
            bad_input("%s: out of memory", path);
            goto done;
        }
        const char *id = csv_get(r, col[0]);
        if (parse_is_blank(id)) {
            bad_input("%s: line %ld (row %zu), field id: 编号为空 (empty id)", path, line, row);
            goto done;
        }
        double v[6];
        for (int k = 1; k < 6; k++) {
            if (col[k] < 0 || (k >= 3 && k <= 4 && !(what & NEED_POP)) ||
                (k == 5 && !(what & (NEED_PLACES | OPT_PLACES))))
                continue;
            const char *s = csv_get(r, col[k]);
            if (parse_double(s, &v[k]) < 0) {
                bad_input("%s: line %ld (row %zu), field %s: 不是数字 (not a number): '%s'", path, line, row,
                          need[k], s);
                goto done;
            }
            int bad = k == 1 ? !(v[k] >= -180 && v[k] <= 180) : k == 2 ? !(v[k] >= -90 && v[k] <= 90) : v[k] < 0;
            if (bad) {
                bad_input("%s: line %ld (row %zu), field %s: 超出范围 (out of range): '%s'", path, line, row,
                          need[k], s);
                goto done;
            }
        }
        size_t i = p->n;
        p->id[i] = strdup(id);
        if (p->town)
            p->town[i] = strdup(csv_get(r, col_town));
        if (!p->id[i] || (p->town && !p->town[i])) {
            bad_input("%s: out of memory", path);
            free(p->id[i]);
            if (p->town)
                free(p->town[i]);
            goto done;
        }
        p->lon[i] = v[1];
        p->lat[i] = v[2];
        if (p->population) {
            p->population[i] = v[3];
            p->children[i] = v[4];
        }
        if (p->places)
            p->places[i] = v[5];
        p->line[i] = line;
        p->n++;
    }
    if (st < 0) {
        bad_input("%s", csv_error(r));
        goto done;
    }
    /* duplicate ids: report the first row whose id occurred before */
    if (p->n > 1) {
        size_t *idx = malloc(p->n * sizeof *idx);
        if (!idx) {
            bad_input("%s: out of memory", path);
            goto done;
        }
        for (size_t i = 0; i < p->n; i++)
            idx[i] = i;
        qsort_r(idx, p->n, sizeof *idx, cmp_idx_by_id, p->id);
        size_t dup = SIZE_MAX;
        for (size_t i = 1; i < p->n; i++)
            if (strcmp(p->id[idx[i]], p->id[idx[i - 1]]) == 0 && idx[i] < dup)
                dup = idx[i];
        free(idx);
        if (dup != SIZE_MAX) {
            bad_input("%s: line %ld (row %zu), field id: 编号重复 (duplicate id): '%s'", path, p->line[dup],
                      dup + 1, p->id[dup]);
            goto done;
        }
    }
    rc = 0;
done:
    csv_close(r);
    fclose(f);
    if (rc < 0)
        points_free(p);
    return rc;
}

/* every point must lie in the network's area (bounding box of its nodes widened by margin) */
static int check_area(const struct plan_graph *g, const struct points *p, double margin_m)
{
    if (!g)
        return 0;
    for (size_t i = 0; i < p->n; i++)
        if (!plan_graph_contains(g, p->lat[i], p->lon[i], margin_m))
            return bad_input("%s: line %ld (row %zu), field lon/lat: 坐标在路网范围之外 (outside the network's "
                             "area: lon %.6f..%.6f, lat %.6f..%.6f, margin %g m): %.7f, %.7f",
                             p->file, p->line[i], i + 1, g->min_lon, g->max_lon, g->min_lat, g->max_lat,
                             margin_m, p->lon[i], p->lat[i]);
    return 0;
}

static int to_demand(const struct points *p, struct plan_demand **out)
{
    *out = malloc((p->n ? p->n : 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < p->n; i++)
        (*out)[i] = (struct plan_demand){p->lat[i], p->lon[i], p->population[i], p->children[i]};
    return 0;
}

static int to_sites(const struct points *p, struct plan_point **out)
{
    *out = malloc((p->n ? p->n : 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < p->n; i++)
        (*out)[i] = (struct plan_point){p->lat[i], p->lon[i]};
    return 0;
}

/* ---- options ------------------------------------------------------------------------- */

struct opts {
    const char *network, *demand, *sites, *candidates, *summary, *out;
    struct plan_params params;
    double area_margin_m;
    long k;
    int exact;
    int exact_time_limit_s;
};

static int opt_number(const char *sub, const char *flag, const char *val, double *out, double min, int strict_min)
{
    if (parse_double(val, out) < 0 || (strict_min ? !(*out > min) : !(*out >= min)))
        return cli_usage_error(CMD, "%s %s: '%s' must be a number %s %g", sub, flag, val,
                               strict_min ? ">" : ">=", min);
    return 0;
}

/* parse the options shared by coverage and sites; returns 0 or CLI_USAGE */
static int parse_opts(const char *sub, int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    plan_params_default(&o->params);
    o->area_margin_m = 1000;
    o->k = -1;
    o->exact_time_limit_s = 60;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--exact") == 0) {
            o->exact = 1;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error(CMD, "%s: %s needs a value", sub, a);
        const char *v = argv[++i];
        double d;
        if (strcmp(a, "--network") == 0)
            o->network = v;
        else if (strcmp(a, "--demand") == 0)
            o->demand = v;
        else if (strcmp(a, "--sites") == 0)
            o->sites = v;
        else if (strcmp(a, "--candidates") == 0)
            o->candidates = v;
        else if (strcmp(a, "--summary") == 0)
            o->summary = v;
        else if (strcmp(a, "--out") == 0)
            o->out = v;
        else if (strcmp(a, "--minutes") == 0) {
            if (opt_number(sub, a, v, &o->params.minutes, 0, 1))
                return CLI_USAGE;
        } else if (strcmp(a, "--speed-kmh") == 0) {
            if (opt_number(sub, a, v, &o->params.speed_kmh, 0, 1))
                return CLI_USAGE;
        } else if (strcmp(a, "--max-minutes") == 0) {
            if (opt_number(sub, a, v, &o->params.max_minutes, 0, 0))
                return CLI_USAGE;
        } else if (strcmp(a, "--detour") == 0) {
            if (opt_number(sub, a, v, &o->params.detour_factor, 0, 1))
                return CLI_USAGE;
        } else if (strcmp(a, "--area-margin-m") == 0) {
            if (opt_number(sub, a, v, &o->area_margin_m, 0, 0))
                return CLI_USAGE;
        } else if (strcmp(a, "--zone-weights") == 0) {
            double w[3];
            char extra;
            if (sscanf(v, "%lf,%lf,%lf%c", &w[0], &w[1], &w[2], &extra) != 3 || !(w[0] >= 0) || !(w[1] >= 0) ||
                !(w[2] >= 0))
                return cli_usage_error(CMD, "%s --zone-weights: '%s' must be three numbers W1,W2,W3", sub, v);
            memcpy(o->params.zone_weight, w, sizeof w);
        } else if (strcmp(a, "--k") == 0) {
            if (opt_number(sub, a, v, &d, 0, 0) || d != floor(d) || d > 1e6)
                return cli_usage_error(CMD, "%s --k: '%s' must be a whole number >= 0", sub, v);
            o->k = (long)d;
        } else if (strcmp(a, "--exact-time-limit") == 0) {
            if (opt_number(sub, a, v, &d, 0, 1) || d > 86400)
                return cli_usage_error(CMD, "%s %s: '%s' must be seconds > 0", sub, a, v);
            o->exact_time_limit_s = (int)ceil(d);
        } else
            return cli_usage_error(CMD, "%s: unknown option %s", sub, a);
    }
    return 0;
}

static int load_network(const struct opts *o, struct plan_graph **g)
{
    *g = NULL;
    if (!o->network) {
        fprintf(stderr, "tuoyu plan: 未指定路网，按直线距离 × 绕行系数 %g 估算 (no --network: straight-line "
                        "distance × detour factor %g; every output says so)\n",
                o->params.detour_factor, o->params.detour_factor);
        return 0;
    }
    struct err e = {0};
    if (plan_osm_load(o->network, g, &e) < 0)
        return bad_input("%s: field %s: %s (%s)", o->network, e.field[0] ? e.field : "network", e.message, e.code);
    return 0;
}

/* write buffer to path (or stdout when path is NULL) in one go */
static int write_all(const char *path, const char *buf, size_t len)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f) {
        fprintf(stderr, "tuoyu plan: %s: 无法写入 (cannot write)\n", path);
        return -1;
    }
    size_t w = fwrite(buf, 1, len, f);
    int bad = w != len;
    if (path)
        bad |= fclose(f) != 0;
    else
        bad |= fflush(f) != 0;
    if (bad)
        fprintf(stderr, "tuoyu plan: %s: 写入失败 (write failed)\n", path ? path : "stdout");
    return bad ? -1 : 0;
}

static json_t *share(double part, double whole)
{
    return whole > 0 ? json_real(part / whole) : json_null();
}

static void method_json(json_t *o, const struct opts *opt, const struct plan_graph *g)
{
    if (g) {
        json_object_set_new(o, "method", json_string("network"));
        json_object_set_new(o, "network", json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "file", opt->network,
                                                    "nodes", (json_int_t)g->n, "edges", (json_int_t)g->edges,
                                                    "walkable_ways", (json_int_t)g->walk_ways, "walkable_nodes",
                                                    (json_int_t)g->walk_nodes, "components",
                                                    (json_int_t)g->components));
        json_object_set_new(o, "attribution", json_string("Map data © OpenStreetMap contributors, ODbL 1.0"));
    } else {
        json_object_set_new(o, "method", json_string("straight_line"));
        json_object_set_new(o, "detour_factor", json_real(opt->params.detour_factor));
        json_object_set_new(o, "note", json_string("未使用路网：直线距离 × 绕行系数 (no road network: straight-line "
                                                   "distance × detour factor)"));
    }
    const struct plan_params *p = &opt->params;
    json_object_set_new(o, "params", json_pack("{s:f, s:f, s:f, s:[f,f,f]}", "minutes", p->minutes, "speed_kmh",
                                               p->speed_kmh, "max_minutes", p->max_minutes, "zone_weights",
                                               p->zone_weight[0], p->zone_weight[1], p->zone_weight[2]));
}

/* the method column written in every row when no network is used */
static void write_straight_label(FILE *f, const struct opts *o)
{
    fprintf(f, ",straight_line_x%g", o->params.detour_factor);
}

/* What coverage and sites read: the points files, the network (NULL: straight line) and the
 * points as the engines take them. */
struct inputs {
    struct plan_graph *g;
    struct points dem, sit, cand;
    struct plan_demand *d;
    struct plan_point *s, *c;
};

static void inputs_free(struct inputs *in)
{
    free(in->d), free(in->s), free(in->c);
    points_free(&in->dem);
    points_free(&in->sit);
    points_free(&in->cand);
    plan_graph_free(in->g);
}

/* Read --demand, --sites (with site_fields) and, when with_candidates, --candidates; load the
 * network and check every point lies in its area. CLI_OK, CLI_USAGE for bad input (said on
 * stderr), CLI_FAIL when out of memory. */
static int inputs_load(const struct opts *o, int site_fields, int with_candidates, struct inputs *in)
{
    memset(in, 0, sizeof *in);
    if (read_points(o->demand, NEED_POP, &in->dem) < 0 || read_points(o->sites, site_fields, &in->sit) < 0 ||
        (with_candidates && read_points(o->candidates, 0, &in->cand) < 0))
        return CLI_USAGE;
    if (load_network(o, &in->g) < 0 || check_area(in->g, &in->dem, o->area_margin_m) < 0 ||
        check_area(in->g, &in->sit, o->area_margin_m) < 0 || check_area(in->g, &in->cand, o->area_margin_m) < 0)
        return CLI_USAGE;
    if (to_demand(&in->dem, &in->d) < 0 || to_sites(&in->sit, &in->s) < 0 || to_sites(&in->cand, &in->c) < 0) {
        fprintf(stderr, "tuoyu plan: out of memory\n");
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* Write the CSV text to --out (or standard output) and the summary, when there is one, to
 * --summary; summary is taken. CLI_OK or CLI_FAIL. */
static int write_outputs(const struct opts *o, const char *csv, size_t len, json_t *summary)
{
    char *sum = summary ? json_dumps(summary, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
    int ok = !summary || sum;
    json_decref(summary);
    ok = ok && write_all(o->out, csv, len) == 0 && (!sum || write_all(o->summary, sum, strlen(sum)) == 0);
    free(sum);
    return ok ? CLI_OK : CLI_FAIL;
}

/* ---- plan coverage ------------------------------------------------------------------- */

static const char coverage_help[] =
    "usage: tuoyu plan coverage [--network FILE.osm|.pbf] --demand demand.csv --sites sites.csv\n"
    "         [--minutes 15] [--speed-kmh 4] [--max-minutes 60] [--detour 1.3]\n"
    "         [--zone-weights 1,0.68,0.22] [--area-margin-m 1000] [--summary FILE.json] [--out FILE.csv]\n"
    "demand.csv: id, lon, lat, population, children_0_3 [, town_code]; sites.csv: id, lon, lat, places [, town_code]\n"
    "output: id, nearest_site, minutes, covered, access_per_1000 (+ method column without --network)\n";

/* Residents and children by town, in order of first appearance in demand.csv, with the places of
 * the sites in the town when sites.csv has a town_code column. */
static json_t *coverage_towns(const struct inputs *in, const struct plan_coverage_row *rows)
{
    const struct points *dem = &in->dem, *sit = &in->sit;
    json_t *towns = json_array();
    for (size_t i = 0; i < dem->n; i++) {
        int seen = 0;
        for (size_t q = 0; q < i && !seen; q++)
            seen = strcmp(dem->town[q], dem->town[i]) == 0;
        if (seen)
            continue;
        double pop = 0, ch = 0, popc = 0, chc = 0, places = 0;
        for (size_t q = i; q < dem->n; q++)
            if (strcmp(dem->town[q], dem->town[i]) == 0) {
                pop += dem->population[q];
                ch += dem->children[q];
                if (rows[q].covered)
                    popc += dem->population[q], chc += dem->children[q];
            }
        json_t *t = json_object();
        json_object_set_new(t, "town_code", json_string(dem->town[i]));
        json_object_set_new(t, "population", json_real(pop));
        json_object_set_new(t, "children_0_3", json_real(ch));
        json_object_set_new(t, "population_covered_share", share(popc, pop));
        json_object_set_new(t, "children_0_3_covered_share", share(chc, ch));
        if (sit->town) {
            for (size_t q = 0; q < sit->n; q++)
                if (strcmp(sit->town[q], dem->town[i]) == 0)
                    places += sit->places[q];
            json_object_set_new(t, "places", json_real(places));
            json_object_set_new(t, "places_per_1000_residents", share(1000 * places, pop));
        } else {
            json_object_set_new(t, "places", json_null());
            json_object_set_new(t, "places_per_1000_residents", json_null());
        }
        json_array_append_new(towns, t);
    }
    return towns;
}

static json_t *coverage_summary(const struct opts *o, const struct inputs *in, const struct plan_coverage_row *rows,
                                const struct plan_coverage_totals *tot)
{
    json_t *j = json_object();
    method_json(j, o, in->g);
    json_object_set_new(j, "demand_points", json_integer((json_int_t)in->dem.n));
    json_object_set_new(j, "sites", json_integer((json_int_t)in->sit.n));
    json_object_set_new(j, "population", json_real(tot->population));
    json_object_set_new(j, "children_0_3", json_real(tot->children));
    json_object_set_new(j, "places", json_real(tot->places));
    json_object_set_new(j, "population_covered", json_real(tot->population_covered));
    json_object_set_new(j, "children_0_3_covered", json_real(tot->children_covered));
    json_object_set_new(j, "population_covered_share", share(tot->population_covered, tot->population));
    json_object_set_new(j, "children_0_3_covered_share", share(tot->children_covered, tot->children));
    json_object_set_new(j, "places_per_1000_residents", share(1000 * tot->places, tot->population));
    if (in->dem.town)
        json_object_set_new(j, "towns", coverage_towns(in, rows));
    return j;
}

static int cmd_coverage(int argc, char **argv)
{
    struct opts o;
    if (parse_opts("coverage", argc, argv, &o))
        return CLI_USAGE;
    if (!o.demand || !o.sites)
        return cli_usage_error(CMD, "coverage needs --demand and --sites");
    struct inputs in;
    struct plan_coverage_row *rows = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = inputs_load(&o, NEED_PLACES, 0, &in);
    if (rc != CLI_OK)
        goto done;
    rc = CLI_FAIL;
    const struct points *dem = &in.dem, *sit = &in.sit;
    rows = malloc((dem->n ? dem->n : 1) * sizeof *rows);
    if (!rows) {
        fprintf(stderr, "tuoyu plan: out of memory\n");
        goto done;
    }
    struct err e = {0};
    struct plan_coverage_totals tot;
    if (plan_coverage_run(in.g, &o.params, in.d, dem->n, in.s, sit->places, sit->n, rows, &tot, &e) < 0) {
        fprintf(stderr, "tuoyu plan: %s (%s)\n", e.message, e.code);
        goto done;
    }
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        goto done;
    fputs(in.g ? "id,nearest_site,minutes,covered,access_per_1000\n"
               : "id,nearest_site,minutes,covered,access_per_1000,method\n",
          mem);
    for (size_t i = 0; i < dem->n; i++) {
        csv_write_field(mem, dem->id[i]);
        fputc(',', mem);
        if (rows[i].nearest_site >= 0) {
            csv_write_field(mem, sit->id[rows[i].nearest_site]);
            fprintf(mem, ",%.3f", rows[i].minutes);
        } else {
            fputs(",", mem);
        }
        fprintf(mem, ",%d,%.6f", rows[i].covered, rows[i].access_per_1000);
        if (!in.g)
            write_straight_label(mem, &o);
        fputc('\n', mem);
    }
    if (fclose(mem) != 0)
        goto done;
    rc = write_outputs(&o, buf, len, o.summary ? coverage_summary(&o, &in, rows, &tot) : NULL);
done:
    free(buf);
    free(rows);
    inputs_free(&in);
    return rc;
}

/* ---- plan sites ---------------------------------------------------------------------- */

static const char sites_help[] =
    "usage: tuoyu plan sites [--network FILE.osm|.pbf] --demand demand.csv --sites existing.csv\n"
    "         --candidates cand.csv --k K [--minutes 15] [--speed-kmh 4] [--detour 1.3]\n"
    "         [--exact [--exact-time-limit 60]] [--area-margin-m 1000] [--summary FILE.json] [--out FILE.csv]\n"
    "Chooses K candidates (id, lon, lat) adding the most children 0-3 within --minutes of a site,\n"
    "existing sites fixed. Greedy plus swap improvement; --exact solves the integer program (GLPK).\n"
    "output: rank, candidate_id, added_children_covered (+ method column without --network)\n";

static void fmt_count(FILE *f, double v)
{
    if (fabs(v - round(v)) < 1e-6)
        fprintf(f, "%.0f", round(v));
    else
        fprintf(f, "%.6f", v);
}

static json_t *sites_summary(const struct opts *o, const struct inputs *in, const struct plan_sites_result *res)
{
    double before = res->children_covered_before, after = before + res->children_added;
    const char *solver = o->exact ? (res->proven ? "exact" : "exact_time_limit") : "greedy_swap";
    json_t *j = json_object();
    method_json(j, o, in->g);
    json_object_set_new(j, "k", json_integer((json_int_t)o->k));
    json_object_set_new(j, "candidates", json_integer((json_int_t)in->cand.n));
    json_object_set_new(j, "solver", json_string(solver));
    json_object_set_new(j, "children_0_3", json_real(res->children));
    json_object_set_new(j, "children_0_3_covered_before", json_real(before));
    json_object_set_new(j, "children_0_3_added", json_real(res->children_added));
    json_object_set_new(j, "children_0_3_covered_after", json_real(after));
    json_object_set_new(j, "children_0_3_covered_share_before", share(before, res->children));
    json_object_set_new(j, "children_0_3_covered_share_after", share(after, res->children));
    return j;
}

static int cmd_sites(int argc, char **argv)
{
    struct opts o;
    if (parse_opts("sites", argc, argv, &o))
        return CLI_USAGE;
    if (!o.demand || !o.sites || !o.candidates || o.k < 0)
        return cli_usage_error(CMD, "sites needs --demand, --sites, --candidates and --k");
    struct inputs in;
    struct plan_sites_result res = {0};
    char *buf = NULL;
    size_t len = 0;
    int rc = inputs_load(&o, OPT_PLACES, 1, &in);
    if (rc != CLI_OK)
        goto done;
    rc = CLI_FAIL;
    struct err e = {0};
    struct plan_sites_input q = {.graph = in.g, .params = &o.params, .demand = in.d, .n_demand = in.dem.n,
                                 .existing = in.s, .n_existing = in.sit.n, .candidates = in.c,
                                 .n_candidates = in.cand.n, .k = (size_t)o.k, .exact = o.exact,
                                 .exact_time_limit_ms = o.exact_time_limit_s * 1000};
    if (plan_sites(&q, &res, &e) < 0) {
        fprintf(stderr, "tuoyu plan: %s (%s)\n", e.message, e.code);
        goto done;
    }
    if (o.exact && !res.proven)
        fprintf(stderr, "tuoyu plan: GLPK stopped at the time limit; the result may not be optimal\n");
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        goto done;
    fputs(in.g ? "rank,candidate_id,added_children_covered\n" : "rank,candidate_id,added_children_covered,method\n",
          mem);
    for (size_t r = 0; r < res.n_chosen; r++) {
        fprintf(mem, "%zu,", r + 1);
        csv_write_field(mem, in.cand.id[res.chosen[r]]);
        fputc(',', mem);
        fmt_count(mem, res.added[r]);
        if (!in.g)
            write_straight_label(mem, &o);
        fputc('\n', mem);
    }
    if (fclose(mem) != 0)
        goto done;
    rc = write_outputs(&o, buf, len, o.summary ? sites_summary(&o, &in, &res) : NULL);
done:
    free(buf);
    plan_sites_free(&res);
    inputs_free(&in);
    return rc;
}

/* ---- plan gen-network ---------------------------------------------------------------- */

static const char gen_help[] =
    "usage: tuoyu plan gen-network --nodes N [--seed S] [--lat 27.95] [--lon 120.55] [--spacing-m 90]\n"
    "         [--bridge-every 12] [--dead-ends 0.08] --out FILE.osm|FILE.osm.pbf\n"
    "Writes a synthetic city-like OSM network (XML, or PBF when FILE ends in .pbf) (perturbed grid, arterials, dead ends, a river\n"
    "with few bridges, excluded motorway and private ways, small islands).\n";

static int cmd_gen(int argc, char **argv)
{
    struct plan_gen_params p;
    plan_gen_default(&p);
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return cli_usage_error(CMD, "gen-network: %s needs a value", argv[i]);
        const char *a = argv[i], *v = argv[++i];
        double d;
        if (strcmp(a, "--out") == 0) {
            out = v;
            continue;
        }
        if (parse_double(v, &d) < 0)
            return cli_usage_error(CMD, "gen-network %s: '%s' is not a number", a, v);
        if (strcmp(a, "--nodes") == 0 && d >= 4 && d <= 4e9)
            p.nodes = (size_t)d;
        else if (strcmp(a, "--seed") == 0 && d >= 0)
            p.seed = (uint64_t)d;
        else if (strcmp(a, "--lat") == 0 && fabs(d) < 80)
            p.origin_lat = d;
        else if (strcmp(a, "--lon") == 0 && fabs(d) < 180)
            p.origin_lon = d;
        else if (strcmp(a, "--spacing-m") == 0 && d > 0)
            p.spacing_m = d;
        else if (strcmp(a, "--bridge-every") == 0 && d >= 1)
            p.bridge_every = (int)d;
        else if (strcmp(a, "--dead-ends") == 0 && d >= 0 && d < 0.8)
            p.dead_end_share = d;
        else
            return cli_usage_error(CMD, "gen-network: bad option or value %s %s", a, v);
    }
    if (!out)
        return cli_usage_error(CMD, "gen-network needs --out FILE.osm");
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "tuoyu plan: %s: 无法写入 (cannot write)\n", out);
        return CLI_FAIL;
    }
    char *iobuf = malloc(1 << 20);
    if (iobuf)
        setvbuf(f, iobuf, _IOFBF, 1 << 20);
    size_t ol = strlen(out);
    int pbf = ol >= 4 && strcmp(out + ol - 4, ".pbf") == 0;
    int bad = plan_gen_write(&p, pbf, f) < 0;
    bad |= fclose(f) != 0;
    free(iobuf);
    if (bad) {
        fprintf(stderr, "tuoyu plan: %s: 写入失败 (write failed)\n", out);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* ---- plan export --------------------------------------------------------------------- */

static const char export_help[] =
    "usage: tuoyu plan export --network FILE.osm|.pbf [--edges edges.csv] [--sites sites.csv --snapped out.csv]\n"
    "Writes the walking graph (largest component) as CSV: id, source, target, length_m (OSM node ids;\n"
    "each edge once, walkable both ways), and the node each site snaps to: id, node, snap_m.\n";

static int cmd_export(int argc, char **argv)
{
    const char *network = NULL, *edges = NULL, *sites = NULL, *snapped = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return cli_usage_error(CMD, "export: %s needs a value", argv[i]);
        const char *a = argv[i], *v = argv[++i];
        if (strcmp(a, "--network") == 0)
            network = v;
        else if (strcmp(a, "--edges") == 0)
            edges = v;
        else if (strcmp(a, "--sites") == 0)
            sites = v;
        else if (strcmp(a, "--snapped") == 0)
            snapped = v;
        else
            return cli_usage_error(CMD, "export: unknown option %s", a);
    }
    if (!network || (!!sites != !!snapped))
        return cli_usage_error(CMD, "export needs --network (and --sites with --snapped)");
    struct opts o = {.network = network};
    struct plan_graph *g = NULL;
    struct points sit = {0};
    if (load_network(&o, &g) < 0)
        return CLI_USAGE;
    int rc = CLI_USAGE;
    if (sites && read_points(sites, 0, &sit) < 0)
        goto done;
    rc = CLI_FAIL;
    if (edges) {
        FILE *f = fopen(edges, "w");
        if (!f)
            goto done;
        fprintf(f, "id,source,target,length_m\n");
        size_t id = 0;
        for (size_t v = 0; v < g->n; v++)
            for (size_t k = g->off[v]; k < g->off[v + 1]; k++)
                if (g->adj[k] > v)
                    fprintf(f, "%zu,%lld,%lld,%.6f\n", ++id, (long long)g->ids[v], (long long)g->ids[g->adj[k]],
                            g->len[k]);
        if (fclose(f) != 0)
            goto done;
    }
    if (snapped) {
        FILE *f = fopen(snapped, "w");
        if (!f)
            goto done;
        fprintf(f, "id,node,snap_m\n");
        for (size_t i = 0; i < sit.n; i++) {
            double dist;
            uint32_t v = plan_graph_snap(g, sit.lat[i], sit.lon[i], &dist);
            csv_write_field(f, sit.id[i]);
            fprintf(f, ",%lld,%.6f\n", (long long)g->ids[v], dist);
        }
        if (fclose(f) != 0)
            goto done;
    }
    rc = CLI_OK;
done:
    points_free(&sit);
    plan_graph_free(g);
    return rc;
}

/* ---- plan import-network ------------------------------------------------------------ */

static const char import_help[] =
    "usage: tuoyu plan import-network FILE.osm|FILE.osm.pbf [--name NAME] [--db PATH | --pg CONNINFO] [--key FILE]\n"
    "Validates the file with the planning engine and stores it as the district's road network (the newest\n"
    "one is used by POST /api/v1/planning/coverage and /sites), with an audit row. For files larger than\n"
    "the HTTP body limit (1 MiB).\n";

static int cmd_import_network(int argc, char **argv)
{
    struct app_options o;
    app_options_defaults(&o);
    const char *file = NULL, *name = NULL;
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error(CMD, "import-network: %s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--name") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error(CMD, "import-network: --name needs a value");
            name = argv[++i];
        } else if (argv[i][0] == '-' || file) {
            return cli_usage_error(CMD, "import-network: unexpected argument '%s'", argv[i]);
        } else {
            file = argv[i];
        }
    }
    if (!file)
        return cli_usage_error(CMD, "import-network needs FILE");
    size_t fl = strlen(file);
    if (!(fl > 4 && strcmp(file + fl - 4, ".osm") == 0) && !(fl > 4 && strcmp(file + fl - 4, ".pbf") == 0))
        return cli_usage_error(CMD, "import-network: %s: the name must end in .osm or .osm.pbf", file);
    if (!name) {
        const char *slash = strrchr(file, '/');
        name = slash ? slash + 1 : file;
    }
    FILE *f = fopen(file, "rb");
    if (!f) {
        bad_input("%s: cannot open", file);
        return CLI_USAGE;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t nc = cap ? 2 * cap : 1 << 20;
            char *q = realloc(buf, nc);
            if (!q) {
                free(buf);
                fclose(f);
                fprintf(stderr, "tuoyu plan: out of memory\n");
                return CLI_FAIL;
            }
            buf = q;
            cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(buf);
        bad_input("%s: read error", file);
        return CLI_USAGE;
    }
    static struct app app;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0) {
        free(buf);
        return app_open_failed("plan", &e);
    }
    struct planning_network net;
    int rc = planning_network_import(db, NULL, app.district_code, app_now(&app), name, file, buf, len, &net, &e);
    db_close(db);
    free(buf);
    if (rc < 0) {
        bad_input("%s: %s (%s)", file, e.message, e.code);
        return e.status == 422 || e.status == 400 ? CLI_USAGE : CLI_FAIL;
    }
    fprintf(stderr, "tuoyu plan: stored road network %" PRId64 " (%" PRId64 " nodes, %" PRId64
                    " edges in the walking graph)\n",
            net.id, net.nodes, net.edges);
    return CLI_OK;
}

/* ---- dispatch ------------------------------------------------------------------------ */

static const char plan_help[] =
    "usage: tuoyu plan SUBCOMMAND [options]   (tuoyu plan SUBCOMMAND --help)\n"
    "  coverage     15-minute walking coverage and E2SFCA accessibility per demand point\n"
    "  sites        choose K new sites that cover the most uncovered children 0-3\n"
    "  gen-network  write a synthetic city-like OSM network of any size\n"
    "  export       write the walking graph and snapped sites as CSV\n"
    "  import-network  store an OSM file as the district's road network (database)\n"
    "Rules: docs/planning.md. Map data © OpenStreetMap contributors, ODbL 1.0.\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} subcommands[] = {
    {"coverage", cmd_coverage, coverage_help},
    {"sites", cmd_sites, sites_help},
    {"gen-network", cmd_gen, gen_help},
    {"export", cmd_export, export_help},
    {"import-network", cmd_import_network, import_help},
};

int cmd_plan(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(CMD, "missing subcommand");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        fputs(plan_help, stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (strcmp(sub, subcommands[i].name) == 0) {
            if (cli_wants_help(argc - 1, argv + 1)) {
                fputs(subcommands[i].help, stdout);
                return CLI_OK;
            }
            return subcommands[i].run(argc - 1, argv + 1);
        }
    return cli_usage_error(CMD, "unknown subcommand '%s'", sub);
}

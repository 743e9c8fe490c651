/* demo_province.c — `tuoyu demo --scale province`: beside the Ouhai demo, the other districts and
 * counties of Zhejiang (issue 20 item 2, its first part): their towns with their real codes and
 * names (data/divisions/zhejiang-towns.csv, compiled in), residents split from the 2023 city totals,
 * institutions with classes in proportion (a fraction of the province's 10,000), a district
 * administrator each, and the province's parameters — a copy of Ouhai's, so that every district has
 * targets; and each district's children with their records (demo_children.c). All labelled 演示数据
 * and drawn from the seed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/users.h"
#include "base/embed.h"
#include "cli/demo.h"
#include "jurisdiction/store.h"
#include "params/params.h"
#include "population/store.h"
#include "registry/store.h"

/* The province's residents at the end of 2023 and each city's, with an approximate centre for the
 * demo's coordinates (no town outside Ouhai has a point in the tree). Source: 浙江省统计局《2023年
 * 浙江省人口主要数据公报》 (2024-02-26): province 6,627.0万; 杭州 1,252.2, 宁波 969.7, 温州 976.1,
 * 嘉兴 558.4, 湖州 343.9, 绍兴 539.4, 金华 716.3 万. The other four cities' figures were not read
 * from the bulletin: they are the remainder (1,271.0万) split by estimate (the last four rows). */
#define PROVINCE_RESIDENTS 66270000LL
#define RESIDENTS_YEAR 2023
static const struct {
    const char *code;
    double lon, lat;
    int64_t residents;
} CITIES[] = {
    {"330100", 120.16, 30.27, 12522000}, {"330200", 121.55, 29.87, 9697000}, {"330300", 120.70, 28.00, 9761000},
    {"330400", 120.76, 30.75, 5584000},  {"330500", 120.09, 30.89, 3439000}, {"330600", 120.58, 30.00, 5394000},
    {"330700", 119.65, 29.08, 7163000},
    /* estimated: 衢州, 舟山, 台州, 丽水 */
    {"330800", 118.87, 28.94, 2290000},  {"330900", 122.21, 29.99, 1170000}, {"331000", 121.42, 28.66, 6690000},
    {"331100", 119.92, 28.45, 2560000},
};
#define NCITIES (int)(sizeof CITIES / sizeof *CITIES)
/* the province's institutions and registered children at full scale (issue 20 item 2) */
#define PROVINCE_INSTITUTIONS 10000
#define PROVINCE_CHILDREN 2000000

struct town_row {
    char code[16], district[8], name[64];
    int64_t residents;
};

/* The compiled-in town list: rows of "code,district,name" after a header. */
static int load_towns(struct town_row **out, int *n, struct err *e)
{
    const char *text = NULL;
    for (const struct embedded_file *f = demo_divisions; f->name; f++)
        if (strcmp(f->name, "zhejiang-towns.csv") == 0)
            text = f->text;
    if (!text)
        return err_set(e, 500, "no_towns", "", "程序未包含浙江省乡镇（街道）名单");
    int cap = 1600;
    *out = calloc((size_t)cap, sizeof **out);
    *n = 0;
    if (!*out)
        return err_set(e, 500, "oom", "", "内存不足");
    const char *line = strchr(text, '\n'); /* after the header */
    while (line && line[1] && *n < cap) {
        line++;
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[160];
        if (len >= sizeof buf)
            return free(*out), err_set(e, 500, "bad_towns", "", "乡镇（街道）名单有过长的行");
        memcpy(buf, line, len);
        buf[len] = 0;
        char *c1 = strchr(buf, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        if (!c2)
            return free(*out), err_set(e, 500, "bad_towns", "", "乡镇（街道）名单的行不是三列：%s", buf);
        *c1 = *c2 = 0;
        struct town_row *t = &(*out)[(*n)++];
        snprintf(t->code, sizeof t->code, "%.15s", buf);
        snprintf(t->district, sizeof t->district, "%.7s", c1 + 1);
        snprintf(t->name, sizeof t->name, "%.63s", c2 + 1);
        line = end;
    }
    return 0;
}

static int city_of(const char *district)
{
    for (int c = 0; c < NCITIES; c++)
        if (strncmp(CITIES[c].code, district, 4) == 0)
            return c;
    return -1;
}

/* Residents of each town but home's: the city's figure (less home's residents, for home's city)
 * shared by its other towns, each weighted 0.6–1.4 by a draw. 0, or -1 with e. */
static int share_residents(struct rng *r, struct town_row *towns, int n, const char *home, int64_t home_residents,
                           struct err *e)
{
    for (int c = 0; c < NCITIES; c++) {
        double weights = 0;
        double *w = calloc((size_t)n, sizeof *w);
        if (!w)
            return err_set(e, 500, "oom", "", "内存不足");
        for (int i = 0; i < n; i++)
            if (city_of(towns[i].district) == c && strcmp(towns[i].district, home) != 0)
                weights += (w[i] = 0.6 + 0.8 * demo_rng_unit(r));
        int64_t left = CITIES[c].residents - (strncmp(CITIES[c].code, home, 4) == 0 ? home_residents : 0);
        for (int i = 0; i < n && weights > 0; i++)
            if (w[i] > 0)
                towns[i].residents = llround((double)left * w[i] / weights);
        free(w);
    }
    return 0;
}

static const char *const MODELS[] = {"community", "kindergarten", "market", "health_center", "employer",
                                     "family_point"};
static const int MODEL_WEIGHT[] = {20, 25, 38, 5, 7, 5};
static const char *const MODEL_SUFFIX[] = {"社区托育园", "幼儿园托班", "托育中心", "卫生院托育中心",
                                           "企业职工托育园", "家庭托育点"};
static const char *const WORDS[] = {"小橡树", "阳光", "童趣", "贝乐", "星星树", "爱心", "启航", "七彩",
                                    "小天使", "蒲公英", "亲亲", "未来星", "乐成长", "悦宝", "彩虹", "萌芽"};

/* One institution of town t (its district's name dname, city c), the index-th of its district. */
static void build(struct rng *r, const struct town_row *t, const char *dname, int c, int index,
                  struct institution *in)
{
    memset(in, 0, sizeof *in);
    int m = 0;
    for (int x = demo_rng_int(r, 1, 100), acc = 0; m < 5 && x > (acc += MODEL_WEIGHT[m]);)
        m++;
    snprintf(in->operating_model, sizeof in->operating_model, "%s", MODELS[m]);
    int is_public = m == 3 || (m == 1 && demo_chance(r, 70)) || (m == 0 && demo_chance(r, 50));
    snprintf(in->ownership, sizeof in->ownership, "%s", is_public ? "public" : "private");
    in->profit = m == 2;
    in->inclusive = is_public || demo_chance(r, 45);
    if (in->inclusive) {
        snprintf(in->inclusive_since, sizeof in->inclusive_since, "%d-%02d-01", demo_rng_int(r, 2022, 2025),
                 demo_rng_int(r, 1, 12));
        snprintf(in->inclusive_basis, sizeof in->inclusive_basis, "%s普惠托育机构认定（演示数据）", dname);
    }
    snprintf(in->town_code, sizeof in->town_code, "%s", t->code);
    snprintf(in->name, sizeof in->name, "%s%s%s（演示%s-%03d）", t->name, WORDS[demo_rng_int(r, 0, 15)],
             MODEL_SUFFIX[m], t->district, index + 1);
    demo_make_uscc(r, t->district, is_public, in->uscc);
    snprintf(in->address, sizeof in->address, "%s%s%s路%d号", dname, t->name, WORDS[demo_rng_int(r, 0, 15)],
             demo_rng_int(r, 1, 399));
    in->lon = round((CITIES[c].lon + (demo_rng_unit(r) - 0.5) * 0.4) * 1e6) / 1e6;
    in->lat = round((CITIES[c].lat + (demo_rng_unit(r) - 0.5) * 0.3) * 1e6) / 1e6;
    snprintf(in->status, sizeof in->status, "%s", demo_chance(r, 90) ? "filed" : "pending");
    snprintf(in->opening_hours, sizeof in->opening_hours, "07:30-17:30");
    snprintf(in->phone, sizeof in->phone, "0570-8%07d", demo_rng_int(r, 0, 9999999));
    snprintf(in->director, sizeof in->director, "%s老师", WORDS[demo_rng_int(r, 0, 15)]);
    in->service_types = 1u | (demo_chance(r, 40) ? 2u : 0);
    snprintf(in->premises_tenure, sizeof in->premises_tenure, "owned");
    in->floor = demo_rng_int(r, 1, 3);
    demo_premises_figures(in, index);
    if (m == 5) {
        demo_add_class(in, CLASS_MIXED, 5, r, 0);
    } else {
        int classes = demo_rng_int(r, 1, 3);
        for (int k = 0; k < classes; k++) {
            static const int cap[CLASS_TYPE_COUNT] = {10, 15, 20, 18};
            enum class_type type = (enum class_type)demo_rng_int(r, 0, CLASS_TYPE_COUNT - 1);
            demo_add_class(in, type, cap[type], r, 0);
        }
    }
    in->health_workers = demo_chance(r, 40);
    if (!demo_chance(r, 5))
        demo_add_fees(in, is_public, r);
}

/* The division code in the tree, into node; an error when the tree does not hold it. */
static int known(struct db *db, const char *code, struct jurisdiction_node *node, struct err *e)
{
    int rc = jurisdiction_store_get(db, code, node, e);
    return rc == 1 ? 0 : rc < 0 ? -1 : err_set(e, 500, "unknown_district", "", "行政区划树中没有 %s", code);
}

/* Institution in's classes appended to d's (classes has room for REG_MAX_CLASSES more), with
 * town_code the institution's town. */
static void add_classes(struct demo_district *d, struct demo_class *classes, const struct institution *in,
                        const char *town_code)
{
    for (int c = 0; c < in->nclasses; c++)
        classes[d->nclasses++] = (struct demo_class){.institution_id = in->id,
                                                     .class_id = in->classes[c].id,
                                                     .type = in->classes[c].type,
                                                     .capacity = in->classes[c].capacity,
                                                     .enrolled = in->classes[c].enrolled,
                                                     .town_code = town_code};
}

int demo_province(struct db *db, const struct crypt_key *key, struct rng *r, const char *home, double fraction,
                  const char *hash, const char *today, const char *now_ts, struct err *e)
{
    struct town_row *towns = NULL;
    int n = 0;
    if (load_towns(&towns, &n, e) < 0)
        return -1;
    int64_t home_residents;
    struct jurisdiction_node node;
    if (population_store_residents(db, home, RESIDENTS_YEAR, &home_residents, e) < 0 ||
        share_residents(r, towns, n, home, home_residents, e) < 0 || known(db, home, &node, e) < 0)
        return free(towns), -1;
    /* the province's parameters: home's versions in force, so that every district has targets */
    char before[128];
    snprintf(before, sizeof before, "演示数据：沿用%s的参数（", node.name);
    int rc = params_copy_open(db, home, DEMO_PROVINCE_CODE, before, "）", e);
    struct institution *in = malloc(sizeof *in);
    if (!in)
        rc = err_set(e, 500, "oom", "", "内存不足");
    for (int i = 0; rc == 0 && i < n; i++) {
        struct town_row *t = &towns[i];
        if (strcmp(t->district, home) == 0)
            continue;
        size_t len = strlen(t->name);
        int street = len >= 6 && strcmp(t->name + len - 6, "街道") == 0;
        /* the under-3s (2.4 %) and births (5.80 ‰, the province's 2023 rate) of the town */
        struct population_row row = {.residents = t->residents, .under3 = t->residents * 24 / 1000,
                                     .births = t->residents * 58 / 10000};
        snprintf(row.town_code, sizeof row.town_code, "%s", t->code);
        rc = jurisdiction_store_add_town(db, t->code, t->district, t->name, street ? "street" : "town", t->residents,
                                         RESIDENTS_YEAR, e) < 0 ||
                     population_store_put(db, t->district, RESIDENTS_YEAR, &row, 1,
                                          "演示数据（按 2023 年末各设区市常住人口估算分配）", 0, now_ts, e) < 0
                 ? -1
                 : 0;
    }
    /* each district's institutions over its towns (the towns are in code order, a district's
     * together), its children and its administrator */
    const char **town_codes = malloc((size_t)n * sizeof *town_codes);
    struct demo_class *classes = NULL;
    if (!town_codes)
        rc = err_set(e, 500, "oom", "", "内存不足");
    for (int i = 0; i < n && town_codes; i++)
        town_codes[i] = towns[i].code;
    for (int i = 0; rc == 0 && i < n; i++) {
        struct town_row *t = &towns[i];
        if (strcmp(t->district, home) == 0 || (i > 0 && strcmp(towns[i - 1].district, t->district) == 0))
            continue;
        char login[40], name[128];
        int64_t residents = 0;
        int ntowns = 0;
        for (int k = i; k < n && strcmp(towns[k].district, t->district) == 0; k++, ntowns++)
            residents += towns[k].residents;
        double share = fraction * (double)residents / (double)PROVINCE_RESIDENTS;
        int count = (int)llround(PROVINCE_INSTITUTIONS * share);
        if (count < 1)
            count = 1;
        free(classes);
        if (!(classes = malloc((size_t)count * REG_MAX_CLASSES * sizeof *classes))) {
            rc = err_set(e, 500, "oom", "", "内存不足");
            break;
        }
        if (known(db, t->district, &node, e) < 0) {
            rc = -1;
            break;
        }
        const char *dname = node.name;
        struct demo_district d = {.code = t->district, .towns = town_codes + i, .ntowns = ntowns, .classes = classes,
                                  .children = (int)llround(PROVINCE_CHILDREN * share)};
        for (int k = 0; rc == 0 && k < count; k++) {
            build(r, &towns[i + k % ntowns], dname, city_of(t->district), k, in);
            rc = registry_insert(db, t->district, in, now_ts, 1, e) < 0 ? -1 : 0;
            add_classes(&d, classes, in, towns[i + k % ntowns].code);
        }
        if (rc == 0)
            rc = demo_children(db, key, r, &d, hash, today, now_ts, e);
        snprintf(login, sizeof login, "district-admin-%s", t->district);
        snprintf(name, sizeof name, "%s卫健局管理员（演示）", dname);
        struct new_user u = {.login = login, .name = name, .role = ROLE_DISTRICT_ADMIN, .password_hash = hash};
        int64_t id;
        if (rc == 0 && users_create(db, t->district, &u, now_ts, &id, e) < 0)
            rc = -1;
    }
    free(classes);
    free(town_codes);
    free(in);
    free(towns);
    return rc;
}

/* demo.c — `tuoyu demo`: a deterministic Ouhai demonstration data set, labelled 演示数据.
 * The 13 real towns with populations summing to the 2023 resident figure (1,001,600; the split
 * between towns is an estimate), about 120 institutions over every town with plausible
 * coordinates, every operating model, public and private, about 60% inclusive, classes of
 * every type with a few deliberate rule breaches so the compliance checks have something to
 * show, and one account per role. The same --seed always gives the same data. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_setup.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/users.h"
#include "base/cli.h"
#include "base/crypt.h"
#include "base/date.h"
#include "base/idcard.h"
#include "base/parse.h"
#include "cli/demo.h"
#include "cases/store.h"
#include "commands.h"
#include "care/demo.h"
#include "duty/demo.h"
#include "network/demo.h"
#include "stations/demo.h"
#include "growth/growth.h"
#include "network/store.h"
#include "params/params.h"
#include "premises/store.h"
#include "privacy/store.h"
#include "registry/store.h"
#include "staff/demo.h"
#include "jurisdiction/store.h"
#include "keytasks/demo.h"
#include "training/demo.h"

#define DEMO_INSTITUTIONS 120
#define DEMO_CARE_INSTITUTIONS 11
#define DEMO_FAMILY_CARE 2 /* the institution the demo family's second child attends */
#define DEMO_PARENTS 24     /* families of the district registering for care-group activities */

static const struct {
    const char *code, *short_name;
    double lon, lat;     /* WGS-84 point chosen so that every jittered site falls inside the district
                          * outline the map draws (checked against the boundary GeoJSON) */
    int64_t population;  /* estimated split of the 2023 total */
} TOWNS[] = {
    {"330304001", "景山", 120.622, 27.986, 95000},  {"330304002", "梧田", 120.683, 27.962, 130000},
    {"330304003", "南白象", 120.668, 27.938, 85000}, {"330304004", "茶山", 120.706, 27.930, 75000},
    {"330304005", "娄桥", 120.622, 27.951, 110000},  {"330304006", "新桥", 120.610, 27.980, 105000},
    {"330304007", "三垟", 120.698, 27.966, 40000},   {"330304008", "瞿溪", 120.553, 27.968, 70000},
    {"330304009", "郭溪", 120.573, 27.992, 75000},   {"330304010", "潘桥", 120.592, 27.940, 60000},
    {"330304011", "丽岙", 120.588, 27.916, 55000},   {"330304012", "仙岩", 120.634, 27.880, 70000},
    {"330304108", "泽雅", 120.485, 28.018, 31600},
};
#define NTOWNS (int)(sizeof TOWNS / sizeof *TOWNS)

static const char *const MODELS[] = {"health_center", "community", "kindergarten", "agency",
                                     "employer",      "market",    "family_point", "station"};
/* share of each model in percent, same order */
static const int MODEL_WEIGHT[] = {5, 15, 20, 5, 8, 35, 7, 5};

static const char *const NAME_WORDS[] = {"小橡树", "阳光", "童趣", "贝乐", "星星树", "爱心", "启航", "七彩",
                                          "小天使", "蒲公英", "亲亲", "未来星", "乐成长", "悦宝", "彩虹", "萌芽"};
static const char *const GIVEN[] = {"丽华", "晓敏", "海燕", "静", "雅琴", "建国", "秀英", "慧", "婷婷", "亚芬"};

static const char *pick_model(struct rng *r, int index)
{
    if (index < 8)
        return MODELS[index]; /* every model at least once */
    int x = demo_rng_int(r, 1, 100), acc = 0;
    for (int i = 0; i < 8; i++)
        if (x <= (acc += MODEL_WEIGHT[i]))
            return MODELS[i];
    return "market";
}


static void build_institution(struct rng *r, int index, int town, struct institution *in)
{
    memset(in, 0, sizeof *in);
    const char *model = pick_model(r, index);
    snprintf(in->operating_model, sizeof in->operating_model, "%s", model);
    int is_public = strcmp(model, "health_center") == 0 || strcmp(model, "agency") == 0 ||
                    (strcmp(model, "kindergarten") == 0 && demo_chance(r, 70)) ||
                    (strcmp(model, "community") == 0 && demo_chance(r, 50)) || strcmp(model, "station") == 0;
    snprintf(in->ownership, sizeof in->ownership, "%s", is_public ? "public" : "private");
    in->profit = !is_public && strcmp(model, "market") == 0;
    in->inclusive = is_public || demo_chance(r, 42);
    if (in->inclusive) {
        snprintf(in->inclusive_since, sizeof in->inclusive_since, "%d-%02d-01", demo_rng_int(r, 2022, 2025), demo_rng_int(r, 1, 12));
        snprintf(in->inclusive_basis, sizeof in->inclusive_basis, "瓯海区卫生健康局普惠托育机构认定（演示数据）");
    }
    snprintf(in->town_code, sizeof in->town_code, "%s", TOWNS[town].code);
    const char *word = NAME_WORDS[demo_rng_int(r, 0, 15)];
    static const char *const suffix_by_model[] = {"卫生院托育中心", "社区托育园", "幼儿园托班", "机关托育园",
                                                  "企业职工托育园", "托育中心", "家庭托育点", "婴幼儿成长驿站"};
    int m = 0;
    while (strcmp(MODELS[m], model))
        m++;
    snprintf(in->name, sizeof in->name, "%s%s%s（演示%03d）", TOWNS[town].short_name, word, suffix_by_model[m], index + 1);
    demo_make_uscc(r, "330304", is_public, in->uscc);
    snprintf(in->address, sizeof in->address, "温州市瓯海区%s街道%s路%d号", TOWNS[town].short_name,
             NAME_WORDS[demo_rng_int(r, 0, 15)], demo_rng_int(r, 1, 399));
    if (strcmp(TOWNS[town].code, "330304108") == 0)
        snprintf(in->address, sizeof in->address, "温州市瓯海区泽雅镇%s村%d号", NAME_WORDS[demo_rng_int(r, 0, 15)],
                 demo_rng_int(r, 1, 199));
    in->lon = TOWNS[town].lon + (demo_rng_unit(r) - 0.5) * 0.03;
    in->lat = TOWNS[town].lat + (demo_rng_unit(r) - 0.5) * 0.024;
    in->lon = round(in->lon * 1e6) / 1e6;
    in->lat = round(in->lat * 1e6) / 1e6;
    int status_roll = demo_rng_int(r, 1, 100);
    snprintf(in->status, sizeof in->status, "%s", index < 8 || status_roll <= 90 ? "filed" : status_roll <= 98 ? "pending" : "closed");
    /* no star without an assessment (star_level is derived from one, src/rating/workflow.c); the
     * draw a level once took is still made, so that every later draw of the demo stays the same */
    (void)demo_rng_int(r, 0, 5);
    in->star_level = 0;
    in->demonstration = demo_chance(r, 10);
    snprintf(in->opening_hours, sizeof in->opening_hours, "%s", strcmp(model, "station") == 0 ? "08:30-17:00" : "07:30-17:30");
    snprintf(in->phone, sizeof in->phone, "0577-8%07d", demo_rng_int(r, 0, 9999999));
    snprintf(in->director, sizeof in->director, "%s%s", demo_surnames[demo_rng_int(r, 0, DEMO_SURNAMES - 1)], GIVEN[demo_rng_int(r, 0, 9)]);
    in->service_types = strcmp(model, "station") == 0 ? (1u << 2) | (1u << 3) : 1u | (demo_chance(r, 50) ? 2u : 0) | (demo_chance(r, 30) ? 4u : 0);
    int leased = strcmp(model, "health_center") && strcmp(model, "agency") && demo_chance(r, 65);
    snprintf(in->premises_tenure, sizeof in->premises_tenure, "%s", leased ? "leased" : "owned");
    if (leased) {
        int y = demo_rng_int(r, 2019, 2024), years = demo_chance(r, 6) ? 2 : demo_rng_int(r, 3, 10);
        snprintf(in->lease_start, sizeof in->lease_start, "%d-%02d-01", y, demo_rng_int(r, 1, 12));
        snprintf(in->lease_end, sizeof in->lease_end, "%d-%s", y + years, in->lease_start + 5);
        /* lease_end is the day before the anniversary; a first-of-month start keeps the date valid */
        char end[12];
        date_add_days(in->lease_end, -1, end);
        snprintf(in->lease_end, sizeof in->lease_end, "%s", end);
    }
    in->floor = demo_chance(r, 4) ? 4 : demo_rng_int(r, 1, 3);
    demo_premises_figures(in, index);

    int breach = demo_chance(r, 8);
    if (strcmp(model, "family_point") == 0) {
        demo_add_class(in, CLASS_MIXED, 5, r, 0);
    } else if (strcmp(model, "station") == 0) {
        demo_add_class(in, CLASS_MIXED, 12, r, 0);
    } else if (strcmp(model, "kindergarten") == 0) {
        demo_add_class(in, CLASS_TODDLER_OLD, 20, r, breach);
        if (demo_chance(r, 75))
            demo_add_class(in, CLASS_TODDLER_OLD, 20, r, 0);
    } else {
        int n = demo_rng_int(r, 2, 6);
        for (int k = 0; k < n; k++) {
            enum class_type t = k < CLASS_TYPE_COUNT && index % 3 == 0 ? (enum class_type)k : (enum class_type)demo_rng_int(r, 0, 3);
            static const int cap[CLASS_TYPE_COUNT] = {10, 15, 20, 18};
            demo_add_class(in, t, cap[t] + (demo_chance(r, 3) ? 3 : 0), r, breach && k == 0);
        }
    }
    in->health_workers = institution_enrolled(in) >= 150 ? (demo_chance(r, 85) ? 1 : 0) : demo_chance(r, 40);
    if (!demo_chance(r, 5))
        demo_add_fees(in, is_public, r);
}

/* The town's 2023 figures (src/population/): the residents of the estimated split, and invented
 * under-3s (2.4 %) and births (0.75 %) of the same order as the district's. */
static int set_town_population(struct db *db, int t, const char *now_ts, struct err *e)
{
    int64_t residents = TOWNS[t].population;
    return db_write(db, e,
                    "INSERT INTO town_population (district_code, town_code, year, residents, under3, births, source, "
                    "updated_at) VALUES ('330304', ?, 2023, ?, ?, ?, '演示数据（按 2023 年末全区常住人口估算分配）', ?)",
                    "tiiit", TOWNS[t].code, residents, residents * 24 / 1000, residents * 75 / 10000, now_ts);
}

static int add_user(struct db *db, const char *district, const char *login, const char *name, enum role role,
                    const char *town, int64_t inst, const char *hash, const char *now_ts, int64_t *id, struct err *e)
{
    struct new_user u = {.login = login, .name = name, .role = role, .town_code = town, .institution_id = inst,
                         .password_hash = hash};
    int64_t tmp;
    return users_create(db, district, &u, now_ts, id ? id : &tmp, e);
}

/* The administrators of the city and the province above the district (src/jurisdiction/), when the
 * tree holds it: province-admin, city-admin. */
static int add_regional_users(struct db *db, const char *district, const char *hash, const char *now_ts, struct err *e)
{
    struct jurisdiction_node d, city;
    int rc = jurisdiction_store_get(db, district, &d, e);
    if (rc <= 0)
        return rc;
    if ((rc = jurisdiction_store_get(db, d.city_code, &city, e)) <= 0)
        return rc;
    char name[128];
    snprintf(name, sizeof name, "%s卫健委管理员（演示）", city.name);
    if (add_user(db, city.code, "city-admin", name, ROLE_CITY_ADMIN, NULL, 0, hash, now_ts, NULL, e) < 0)
        return -1;
    struct jurisdiction_node province;
    if ((rc = jurisdiction_store_get(db, city.parent_code, &province, e)) <= 0)
        return rc;
    snprintf(name, sizeof name, "%s卫健委管理员（演示）", province.name);
    return add_user(db, province.code, "province-admin", name, ROLE_PROVINCE_ADMIN, NULL, 0, hash, now_ts, NULL, e);
}

/* A demo child at an institution (or of the demo family): valid, invented ID number, sealed
 * name and number, its guardian's consent to health data, and a few measurements near the WHO
 * median for the child's age. */
static int add_child(struct db *db, struct app *app, struct rng *r, int64_t inst, int64_t family, const char *today,
                     const char *now_ts, int64_t *child_id, struct err *e)
{
    int age_days = demo_rng_int(r, 200, 1000), sex = demo_rng_int(r, 1, 2);
    char birth[11];
    date_add_days(today, -age_days, birth);
    int serial = demo_rng_int(r, 0, 99) * 10;
    serial += demo_rng_int(r, 0, 4) * 2 + (sex == 1 ? 1 : 0); /* odd = male */
    char id[19], name[64];
    demo_id_number("330304", birth, serial, id);
    demo_child_name(r, name);
    struct demo_child_identity who;
    if (demo_seal_child(&app->key, name, id, &who, e) < 0)
        return -1;
    int64_t child = db_query_int(
        db, e, NULL,
        "INSERT INTO child (district_code, institution_id, family_user_id, name_sealed, name_masked, sex, "
        "birth_date, id_kind, id_sealed, id_lookup, id_masked, hukou_town, created_at, updated_at) "
        "VALUES (?,NULLIF(?, 0),NULLIF(?, 0),?,?,?,?,'resident_id',?,?,?,?,?,?) RETURNING id",
        "tiittittttttt", app->district_code, inst, family, who.name_sealed, who.name_masked, (int64_t)sex, birth,
        who.id_sealed, who.id_lookup, who.id_masked, TOWNS[demo_rng_int(r, 0, NTOWNS - 1)].code, now_ts, now_ts);
    if (child < 0)
        return -1;
    *child_id = child;
    /* the guardian's consent to health data before any is stored: the demo family's own, the
     * others' as paper forms an institution recorded (the demo has no scans) */
    struct privacy_consent_req consent = {.purposes = PRIVACY_CARE_HEALTH "," PRIVACY_GROWTH};
    double notice;
    int64_t consent_id;
    if (params_get(db, app->district_code, "privacy.notice_version", today, &notice, e) < 0 ||
        privacy_consent_insert(db, &app->key, app->district_code, child, family ? "family" : "paper", &consent,
                               (int64_t)notice, family, now_ts, &consent_id, e) < 0)
        return -1;
    /* a measurement every 90 days or so up to today, around a z-score kept per child */
    double z[3]; /* drawn in this order (an initializer list's order is not defined) */
    z[0] = (demo_rng_unit(r) - 0.5) * 3;
    z[1] = (demo_rng_unit(r) - 0.5) * 3;
    z[2] = (demo_rng_unit(r) - 0.5) * 2;
    for (int day = 30 + demo_rng_int(r, 0, 60); day <= age_days; day += demo_rng_int(r, 80, 120)) {
        struct demo_measurement m;
        demo_measure(r, sex, day, z, &m);
        char on[11];
        date_add_days(birth, day, on);
        if (db_run(db, e,
                   "INSERT INTO measurement (district_code, child_id, measured_on, weight_kg, lenhei_cm, measure, "
                   "headc_cm, created_at) VALUES (?,?,?,?,?,?,?,?)",
                   "titddtdt", app->district_code, child, on, m.weight_kg, m.lenhei_cm, m.measure, m.headc_cm,
                   now_ts) < 0)
            return -1;
    }
    return 0;
}

/* Planning demo: about 60 communities over the 13 towns (populations summing to each town's,
 * children 0–3 about 1.6% of residents, some of them new communities) and 15 candidate sites
 * (idle state premises and new-community plots), so the planning page has something to show. */
#define DEMO_COMMUNITIES 60
#define DEMO_CANDIDATES 15
static const char *const COMMUNITY_WORDS[] = {"东方", "锦园", "新城", "河畔", "南湖", "翠微", "文苑", "和平",
                                              "金桥", "瓯江", "梧桐", "桂花", "荷塘", "望江", "兴业", "丰收"};

static int add_planning(struct db *db, struct rng *r, const char *district, const char *now_ts, struct err *e)
{
    struct db_stmt *st;
    int per_town[NTOWNS], assigned = 0;
    for (int t = 0; t < NTOWNS; t++) {
        per_town[t] = (int)((double)TOWNS[t].population * DEMO_COMMUNITIES / 1001600.0);
        if (per_town[t] < 3)
            per_town[t] = 3;
        assigned += per_town[t];
    }
    for (int t = 0; assigned < DEMO_COMMUNITIES; t = (t + 1) % NTOWNS, assigned++)
        per_town[t]++;
    if (db_prepare(db,
                   "INSERT INTO community (district_code, town_code, name, lon, lat, population, children_0_3, is_new, "
                   "created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                   &st, e) < 0)
        return -1;
    int rc = 0;
    for (int t = 0; !rc && t < NTOWNS; t++) {
        double w[32], sum = 0;
        int n = per_town[t] < 32 ? per_town[t] : 32;
        for (int k = 0; k < n; k++)
            sum += w[k] = 0.5 + demo_rng_unit(r);
        int64_t left = TOWNS[t].population;
        for (int k = 0; !rc && k < n; k++) {
            int64_t pop = k == n - 1 ? left : (int64_t)llround((double)TOWNS[t].population * w[k] / sum);
            left -= pop;
            int64_t kids = llround((double)pop * (0.013 + 0.006 * demo_rng_unit(r)));
            int is_new = demo_chance(r, 18);
            char name[128];
            snprintf(name, sizeof name, "%s%s%s（演示）", TOWNS[t].short_name, COMMUNITY_WORDS[demo_rng_int(r, 0, 15)],
                     is_new ? "新社区" : "社区");
            db_bind_text(st, 1, district);
            db_bind_text(st, 2, TOWNS[t].code);
            db_bind_text(st, 3, name);
            db_bind_double(st, 4, TOWNS[t].lon + (demo_rng_unit(r) - 0.5) * 0.04);
            db_bind_double(st, 5, TOWNS[t].lat + (demo_rng_unit(r) - 0.5) * 0.03);
            db_bind_int64(st, 6, pop);
            db_bind_int64(st, 7, kids);
            db_bind_int64(st, 8, is_new);
            db_bind_text(st, 9, now_ts);
            rc = db_step(st, e) < 0 ? -1 : 0;
        }
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    if (db_prepare(db,
                   "INSERT INTO candidate_site (district_code, name, lon, lat, kind, note, created_at) "
                   "VALUES (?,?,?,?,?,?,?)",
                   &st, e) < 0)
        return -1;
    for (int k = 0; !rc && k < DEMO_CANDIDATES; k++) {
        int t = k % NTOWNS, idle = k % 3 != 2;
        char name[128], note[128];
        snprintf(name, sizeof name, "%s%s（演示候选%02d）", TOWNS[t].short_name,
                 idle ? "闲置国有用房" : "新建社区配套用房", k + 1);
        snprintf(note, sizeof note, "%s约%d平方米", idle ? "可改建面积" : "规划配套面积", demo_rng_int(r, 3, 12) * 50);
        db_bind_text(st, 1, district);
        db_bind_text(st, 2, name);
        db_bind_double(st, 3, TOWNS[t].lon + (demo_rng_unit(r) - 0.5) * 0.04);
        db_bind_double(st, 4, TOWNS[t].lat + (demo_rng_unit(r) - 0.5) * 0.03);
        db_bind_text(st, 5, idle ? "idle_premises" : "new_community");
        db_bind_text(st, 6, note);
        db_bind_text(st, 7, now_ts);
        rc = db_step(st, e) < 0 ? -1 : 0;
    }
    db_finalize(st);
    return rc;
}

/* Idle state premises (国有闲置房源) offered with rent relief, a handful across the towns; each shows
 * among planning's candidate sites while available. */
static int add_premises(struct db *db, const char *district, const char *now_ts, struct err *e)
{
    static const struct {
        int town;
        const char *address, *owner, *terms;
        double dlon, dlat, area;
        int floor, free_months;
    } ROWS[] = {
        {0, "景山街道景山路 18 号原街道办事处附楼一层（演示）", "瓯海区机关事务管理中心", "前三年免收租金，第四年起按评估租金的 50% 收取",
         0.004, -0.003, 420, 1, 36},
        {0, "景山街道护城河东路 6 号原社区卫生服务站（演示）", "景山街道办事处", "免租两年，期满按市场评估价的 70% 续租", -0.006, 0.004, 260, 1, 24},
        {1, "梧田街道南塘路 102 号原老年活动中心二层（演示）", "瓯海区国有资产投资集团有限公司", "租金减半收取，租期五年", 0.005, 0.002, 380, 2, 0},
        {4, "娄桥街道娄桥中路 55 号原村级办公用房（演示）", "娄桥街道经济联合社", "前两年免租，第三年起减免 30%", -0.003, -0.004, 300, 1, 24},
        {7, "瞿溪街道瞿溪路 210 号原供销社门店（演示）", "瓯海区供销合作社联合社", "免租一年，此后按评估租金的 60% 收取", 0.003, 0.003, 520, 1, 12},
        {12, "泽雅镇纸山路 8 号原镇文化站一层（演示）", "泽雅镇人民政府", "办托期间免收租金（须持续提供普惠托位）", 0.002, -0.002, 200, 1, 60},
    };
    for (size_t k = 0; k < sizeof ROWS / sizeof *ROWS; k++) {
        struct premises p = {.lon = TOWNS[ROWS[k].town].lon + ROWS[k].dlon, .lat = TOWNS[ROWS[k].town].lat + ROWS[k].dlat,
                             .area_m2 = ROWS[k].area, .floor = ROWS[k].floor, .rent_free_months = ROWS[k].free_months};
        snprintf(p.town_code, sizeof p.town_code, "%s", TOWNS[ROWS[k].town].code);
        snprintf(p.address, sizeof p.address, "%s", ROWS[k].address);
        snprintf(p.owner_unit, sizeof p.owner_unit, "%s", ROWS[k].owner);
        snprintf(p.relief_terms, sizeof p.relief_terms, "%s", ROWS[k].terms);
        if (premises_store_insert(db, district, &p, now_ts, e) < 0 ||
            premises_store_sync_candidate(db, district, p.id, now_ts, e) < 0)
            return -1;
    }
    return 0;
}

/* Visit slots (预约参观) published by every filed institution's operator: two mornings ahead,
 * 09:30–10:30 Beijing time, five families each, so the portal has something to book. */
static int add_visit_slots(struct db *db, const char *district, const char *today, const char *now_ts, struct err *e)
{
    static const int days_ahead[] = {2, 5};
    for (size_t k = 0; k < sizeof days_ahead / sizeof *days_ahead; k++) {
        char day[DATE_DAY_LEN], starts[DATE_TIMESTAMP_LEN], ends[DATE_TIMESTAMP_LEN];
        int64_t t0;
        if (date_add_days(today, days_ahead[k], day) < 0 || date_day_start(day, &t0) < 0)
            return err_set(e, 500, "bad_date", "", "日期计算失败");
        date_format_timestamp(t0 + 9 * 3600 + 1800, starts, sizeof starts);
        date_format_timestamp(t0 + 10 * 3600 + 1800, ends, sizeof ends);
        if (db_run(db, e,
                   "INSERT INTO visit_slot (district_code, institution_id, starts_at, ends_at, capacity, booked, note, "
                   "status, created_by, created_at, updated_at) SELECT i.district_code, i.id, ?, ?, 5, 0, "
                   "'请提前10分钟到达，家长携带身份证', 'open', u.id, ?, ? FROM institution i JOIN app_user u ON "
                   "u.institution_id = i.id AND u.role = 'institution_operator' WHERE i.district_code = ? "
                   "AND i.status = 'filed'",
                   "ttttt", starts, ends, now_ts, now_ts, district) < 0)
            return -1;
    }
    return 0;
}

static int generate(struct db *db, struct app *app, uint64_t seed, const char *password, struct err *e)
{
    char now_ts[32], today[11];
    int64_t now = app_now(app);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    date_format_day(now, today, sizeof today);
    int64_t existing = db_query_int(db, e, NULL, "SELECT COUNT(*) FROM institution", "");
    if (existing < 0)
        return -1;
    if (existing > 0)
        return err_set(e, 409, "not_empty", "", "database already holds %" PRId64 " institutions; demo needs an empty one",
                       existing);
    double minlen;
    if (params_get(db, app->district_code, "auth.password_min_length", today, &minlen, e) < 0 ||
        password_policy_check(password, NULL, (int)minlen, e) < 0)
        return -1;
    /* one Argon2id hash for every demo account: they share the password by design */
    char hash[256];
    if (password_hash(password, hash, sizeof hash, e) < 0)
        return -1;

    struct rng r = {.s = seed};
    int per_town[NTOWNS], assigned = 0;
    for (int t = 0; t < NTOWNS; t++) {
        per_town[t] = (int)((double)TOWNS[t].population * DEMO_INSTITUTIONS / 1001600.0);
        if (per_town[t] < 3)
            per_town[t] = 3;
        assigned += per_town[t];
    }
    for (int t = 0; assigned < DEMO_INSTITUTIONS; t = (t + 1) % NTOWNS, assigned++)
        per_town[t]++;

    if (db_begin(db, e) < 0)
        return -1;
    for (int t = 0; t < NTOWNS; t++)
        if (set_town_population(db, t, now_ts, e) < 0)
            goto fail;
    struct institution *in = malloc(sizeof *in);
    int64_t *ids = malloc(DEMO_INSTITUTIONS * sizeof *ids);
    char(*inst_town)[16] = malloc(DEMO_INSTITUTIONS * 16);
    char(*inst_model)[24] = malloc(DEMO_INSTITUTIONS * 24);
    if (!in || !ids || !inst_town || !inst_model) {
        free(in), free(ids), free(inst_town), free(inst_model);
        err_set(e, 500, "oom", "", "内存不足");
        goto fail;
    }
    int index = 0, staff_serial = 0;
    for (int t = 0; t < NTOWNS; t++)
        for (int k = 0; k < per_town[t]; k++, index++) {
            build_institution(&r, index, t, in);
            if (registry_insert(db, app->district_code, in, now_ts, 1, e) < 0) {
                free(in), free(ids), free(inst_town), free(inst_model);
                goto fail;
            }
            ids[index] = in->id;
            /* its people (src/staff/demo.c), with a generator of their own so the rest stays as it was */
            if (staff_demo_roster(db, &app->key, app->district_code, in, seed, &staff_serial, today, now_ts, e) < 0) {
                free(in), free(ids), free(inst_town), free(inst_model);
                goto fail;
            }
            /* filed institutions are on the filing register (公示) with a number; those the health
             * instructor covers (below) since the quarter a year ago, so that a year of duties is owed */
            char filing_no[32], filed_on[11];
            snprintf(filed_on, sizeof filed_on, "%s", today);
            if (strcmp(in->town_code, "330304001") == 0 || strcmp(in->town_code, "330304006") == 0)
                network_demo_assigned_from(today, filed_on);
            if (strcmp(in->status, "filed") == 0 &&
                cases_store_register_file(db, app->district_code, in->id, 0, filed_on, filing_no, e) < 0) {
                free(in), free(ids), free(inst_town), free(inst_model);
                goto fail;
            }
            snprintf(inst_town[index], 16, "%s", in->town_code);
            snprintf(inst_model[index], 24, "%s", in->operating_model);
        }
    free(in);

    int64_t instructor = 0, family = 0, admin = 0;
    int rc = add_user(db, app->district_code, "district-admin", "区卫健局管理员（演示）", ROLE_DISTRICT_ADMIN, NULL, 0, hash, now_ts, &admin, e);
    /* one reviewer per department of the filing's parallel review; dept-reviewer is 消防救援's */
    static const struct {
        const char *login, *name, *department;
    } REVIEWERS[] = {
        {"dept-reviewer", "消防部门审核员（演示）", "fire"},         {"dept-market", "市场监管审核员（演示）", "market"},
        {"dept-health", "卫生评价审核员（演示）", "health"},         {"dept-education", "教育部门审核员（演示）", "education"},
        {"dept-civil", "民政部门审核员（演示）", "civil_affairs"},   {"dept-housing", "住建部门审核员（演示）", "housing"},
        {"dept-emergency", "应急管理审核员（演示）", "emergency"},
    };
    for (size_t k = 0; !rc && k < sizeof REVIEWERS / sizeof *REVIEWERS; k++) {
        int64_t reviewer;
        rc = add_user(db, app->district_code, REVIEWERS[k].login, REVIEWERS[k].name, ROLE_DEPT_REVIEWER, NULL, 0, hash,
                      now_ts, &reviewer, e);
        if (!rc)
            rc = cases_store_set_department(db, app->district_code, reviewer, REVIEWERS[k].department, e);
    }
    if (!rc)
        rc = add_user(db, app->district_code, "auditor", "审计员（演示）", ROLE_AUDITOR, NULL, 0, hash, now_ts, NULL, e);
    if (!rc)
        rc = add_user(db, app->district_code, "security-admin", "安全管理员（演示）", ROLE_SECURITY_ADMIN, NULL, 0, hash, now_ts, NULL, e);
    if (!rc)
        rc = add_user(db, app->district_code, "evaluator", "第三方测评员（演示）", ROLE_EVALUATOR, NULL, 0, hash, now_ts, NULL, e);
    if (!rc)
        rc = add_user(db, app->district_code, "supervision-centre", "监管中心值班员（演示）", ROLE_SUPERVISION_CENTRE, NULL, 0,
                      hash, now_ts, NULL, e);
    if (!rc)
        rc = add_user(db, app->district_code, "family", "家长（演示）", ROLE_FAMILY, NULL, 0, hash, now_ts, &family, e);
    if (!rc)
        rc = add_regional_users(db, app->district_code, hash, now_ts, e);
    if (!rc)
        rc = add_user(db, app->district_code, "health-instructor", "健康指导员（演示）", ROLE_HEALTH_INSTRUCTOR, NULL, 0, hash, now_ts,
                      &instructor, e);
    /* a 儿保医生 of 新桥街道社区卫生服务中心, one of the plan's child health centres */
    int64_t centre;
    if (!rc && (rc = network_org_of_town(db, app->district_code, "330304006", &centre, e)) == 0)
        rc = network_org_join(db, app->district_code, instructor, centre, today, e);
    for (int t = 0; !rc && t < NTOWNS; t++) {
        char login[32], name[96];
        snprintf(login, sizeof login, "town-%s", TOWNS[t].code);
        snprintf(name, sizeof name, "%s专员（演示）", TOWNS[t].short_name);
        rc = add_user(db, app->district_code, login, name, ROLE_TOWN_OFFICER, TOWNS[t].code, 0, hash, now_ts, NULL, e);
    }
    int station_done = 0;
    int64_t operators[DEMO_INSTITUTIONS] = {0};
    for (int i = 0; !rc && i < DEMO_INSTITUTIONS; i++) {
        char login[32], name[96];
        snprintf(login, sizeof login, "inst-%" PRId64, ids[i]);
        snprintf(name, sizeof name, "机构管理员 %" PRId64 "（演示）", ids[i]);
        rc = add_user(db, app->district_code, login, name, ROLE_INSTITUTION_OPERATOR, NULL, ids[i], hash, now_ts, &operators[i], e);
        if (!rc && !station_done && strcmp(inst_model[i], "station") == 0) {
            rc = add_user(db, app->district_code, "station-operator", "驿站管理员（演示）", ROLE_STATION_OPERATOR, NULL, ids[i],
                          hash, now_ts, NULL, e);
            station_done = 1;
        }
        /* the health instructor covers the institutions of 景山 and 新桥 (a town health centre's area)
         * since a year ago, with a year of duties (src/network/demo.c), a few visits missed */
        if (!rc && (strcmp(inst_town[i], "330304001") == 0 || strcmp(inst_town[i], "330304006") == 0)) {
            char from[11];
            network_demo_assigned_from(today, from);
            rc = network_assign(db, app->district_code, instructor, ids[i], from, 0, now_ts, &(int64_t){0}, e);
            if (!rc)
                rc = network_demo_duties(db, app->district_code, instructor, ids[i], i, today, now_ts, e);
        }
    }
    /* three children at every institution; the demo family's first child is admitted to the first
     * one, its second attends the third. Daily care (src/care/demo.c) at the next
     * DEMO_CARE_INSTITUTIONS (all in 景山, which the health instructor covers): a month of attendance
     * and 晨检 (the last two placed only, for a sheet still to fill), a fever cluster raising the
     * outbreak alert at the second, and the family's second child sent home with a fever once (its
     * notice in the family's inbox). The family's first child, its institution and the other
     * towns' are left without care records: the tests place and check children there themselves
     * (tests/api/care.test.mjs, tests/lib/routes.mjs). */
    for (int i = 0; !rc && i < DEMO_INSTITUTIONS; i++) {
        int64_t children[3];
        for (int k = 0; !rc && k < 3; k++)
            rc = add_child(db, app, &r, ids[i], (i == 0 || i == DEMO_FAMILY_CARE) && k == 0 ? family : 0, today,
                           now_ts, &children[k], e);
        if (!rc && i > 0 && i <= DEMO_CARE_INSTITUTIONS)
            rc = care_demo_institution(db, &app->key, app->district_code, ids[i], children, 3, operators[i],
                                       i < DEMO_CARE_INSTITUTIONS - 1 ? 30 : 0, i == 1 ? 3 : i == DEMO_FAMILY_CARE,
                                       seed, today, now_ts, e);
        /* their caregivers on duty those days (src/duty/demo.c), so that the 今日 page counts them */
        if (!rc && i > 0 && i <= DEMO_CARE_INSTITUTIONS)
            rc = duty_demo_institution(db, app->district_code, ids[i], operators[i], today, now_ts, e);
    }
    if (!rc)
        rc = staff_demo_reminders(db, app->district_code, today, now_ts, e);
    if (!rc)
        rc = training_demo(db, app->district_code, today, now_ts, e);
    if (!rc)
        rc = keytasks_demo(db, app->district_code, admin, today, now_ts, e);
    if (!rc)
        rc = add_planning(db, &r, app->district_code, now_ts, e);
    if (!rc)
        rc = add_visit_slots(db, app->district_code, today, now_ts, e);
    if (!rc)
        rc = add_premises(db, app->district_code, now_ts, e);
    /* the plan's ≥ 20 growth stations (after the rest: the generated institutions keep their ids),
     * and a year of their care-group activities with the families of the district registered */
    if (!rc)
        rc = stations_demo(db, app->district_code, admin, today, now_ts, e);
    int64_t parents[DEMO_PARENTS];
    for (int k = 0; !rc && k < DEMO_PARENTS; k++) {
        char login[32], name[64];
        snprintf(login, sizeof login, "parent-%02d", k + 1);
        snprintf(name, sizeof name, "%s%s（演示家长）", demo_surnames[k % DEMO_SURNAMES], GIVEN[(k * 7) % 10]);
        rc = add_user(db, app->district_code, login, name, ROLE_FAMILY, NULL, 0, hash, now_ts, &parents[k], e);
    }
    if (!rc)
        rc = network_demo_activities(db, app->district_code, parents, DEMO_PARENTS, admin, today, now_ts, e);
    free(ids), free(inst_town), free(inst_model);
    if (rc < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:i, s:i}", "seed", (json_int_t)seed, "institutions", DEMO_INSTITUTIONS, "towns", NTOWNS);
    struct audit_entry a = {.district_code = app->district_code, .at = now, .login = "cli", .action = "demo.generate",
                            .target_type = "district", .target_id = app->district_code, .fields = f};
    rc = audit_append(db, &a, e);
    json_decref(f);
    /* marked as demonstration data: the server does not require the second factor here */
    if (rc < 0 || auth_mark_demo_data(db, app->district_code, now_ts, e) < 0 || db_commit(db, e) < 0)
        goto fail;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

/* --scale province: the other districts of Zhejiang beside Ouhai (demo_province.c), in one
 * transaction after Ouhai's, audited in the province's chain. */
static int generate_province(struct db *db, struct app *app, uint64_t seed, double fraction, const char *password,
                             struct err *e)
{
    char now_ts[32], hash[256], today[DATE_DAY_LEN];
    int64_t now = app_now(app);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    date_format_day(now, today, sizeof today);
    if (password_hash(password, hash, sizeof hash, e) < 0 || db_begin(db, e) < 0)
        return -1;
    struct rng r = {.s = seed ^ 0x330000u};
    json_t *f = json_pack("{s:I, s:f}", "seed", (json_int_t)seed, "fraction", fraction);
    struct audit_entry a = {.district_code = DEMO_PROVINCE_CODE, .at = now, .login = "cli", .action = "demo.generate",
                            .target_type = "province", .target_id = DEMO_PROVINCE_CODE, .fields = f};
    int rc = demo_province(db, &app->key, &r, app->district_code, fraction, hash, today, now_ts, e) < 0 || audit_append(db, &a, e) < 0 ||
                     db_commit(db, e) < 0
                 ? -1
                 : 0;
    json_decref(f);
    if (rc < 0)
        db_rollback(db);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: tuoyu demo [--db PATH | --pg CONNINFO] [--key FILE] [--password P] [--seed N]\n"
             "                  [--scale district|province [--fraction F]]\n"
             "  Create the Ouhai demonstration data (演示数据) in an empty database: 13 towns, about 120\n"
             "  institutions with three children each (birth dates relative to today, with growth\n"
             "  measurements), 60 communities and 15 candidate sites for planning, and one account per role,\n"
             "  all with password P (default Ouhai-demo-2023).\n"
             "  Accounts: district-admin, dept-reviewer (消防救援; dept-market, dept-health, dept-education,\n"
             "  dept-civil, dept-housing, dept-emergency), town-<town code>, inst-<institution id>,\n"
             "  health-instructor, station-operator, family, evaluator, auditor, security-admin,\n"
             "  supervision-centre.\n"
             "  --scale province: also the other 89 districts and counties of Zhejiang — their 1,374 towns\n"
             "  with real codes and names, residents from the 2023 city totals, F × 10,000 institutions in\n"
             "  proportion (default F = 1), a district-admin-<code> account each, the province's\n"
             "  parameters (a copy of Ouhai's), and F × 2,000,000 children: sealed names and ID numbers,\n"
             "  consents, growth measurements at the health checks, those in care placed in the classes\n"
             "  with a month of attendance, a few families' bookings and applications (bulk loaded).");
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    const char *password = "Ouhai-demo-2023", *scale = "district";
    int64_t seed = 330304;
    double fraction = 1;
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("demo", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (i + 1 >= argc)
            return cli_usage_error("demo", "unknown option or missing value: %s", argv[i]);
        if (strcmp(argv[i], "--password") == 0)
            password = argv[++i];
        else if (strcmp(argv[i], "--scale") == 0) {
            scale = argv[++i];
            if (strcmp(scale, "district") && strcmp(scale, "province"))
                return cli_usage_error("demo", "--scale wants district or province, got '%s'", scale);
        } else if (strcmp(argv[i], "--fraction") == 0) {
            if (parse_double(argv[++i], &fraction) < 0 || !(fraction > 0 && fraction <= 1))
                return cli_usage_error("demo", "--fraction wants a number above 0 and at most 1, got '%s'", argv[i]);
        } else if (strcmp(argv[i], "--seed") == 0) {
            if (parse_int64(argv[++i], &seed) < 0)
                return cli_usage_error("demo", "--seed wants an integer, got '%s'", argv[i]);
        } else
            return cli_usage_error("demo", "unknown option: %s", argv[i]);
    }
    static struct app app;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("demo", &e);
    int province = strcmp(scale, "province") == 0;
    int rc = generate(db, &app, (uint64_t)seed, password, &e);
    if (rc == 0 && province)
        rc = generate_province(db, &app, (uint64_t)seed, fraction, password, &e);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu demo: %s%s%s\n", e.field[0] ? e.field : "", e.field[0] ? ": " : "", e.message);
        return e.status == 422 || e.status == 409 ? CLI_USAGE : CLI_FAIL;
    }
    fprintf(stderr, "tuoyu demo: created the Ouhai demonstration data (演示数据)%s, seed %" PRId64 "\n",
            province ? " and the province's other districts" : "", seed);
    return CLI_OK;
}

/* demo.c — demonstration growth stations (demo.h; issue 16 item 7): the plan's ≥ 20 婴幼儿成长驿站
 * (seed 四(二)5) across every town. The generator's own stations are left as newly registered (no
 * site yet: the town records it, tests/api/stations.test.mjs does); sixteen more are added, one in
 * every town and then a second in the first towns, each with its site — most accepted jointly in the pilot's years
 * (their subsidy in the ledger, as stations_case_outcome writes it), three with the acceptance
 * case opened, the last awaiting its application. Written through the stores. */
#include "stations/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/uscc.h"
#include "cases/cases.h"
#include "cases/store.h"
#include "funds/store.h"
#include "params/params.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "stations/stations.h"
#include "stations/store.h"

#define DEMO_NEW_STATIONS 16
#define DEMO_ACCEPTED 12   /* of the new ones, the first so many accepted */
#define DEMO_CASE_OPEN 3   /* the next so many with the acceptance opened */

/* Where a community's station stands: its name, surroundings and services. */
static const struct {
    const char *community, *surroundings, *services;
} PLACES[] = {
    {"锦园社区", "社区党群服务中心一楼，邻近社区卫生服务站", "parenting_guidance,care_group,play,lending"},
    {"新城社区", "社区公园旁，周边三个住宅小区", "parenting_guidance,care_group,play"},
    {"河滨社区", "文化礼堂二楼（无障碍电梯），邻近幼儿园", "care_group,play,consultation"},
    {"南湖社区", "社区卫生服务中心同楼，儿保门诊隔壁", "parenting_guidance,care_group,consultation"},
    {"瓯江社区", "邻里中心一楼，步行五分钟有公交站", "parenting_guidance,care_group,play,temporary_care"},
    {"梧桐社区", "便民服务中心一楼，门前有儿童游乐场", "care_group,play,lending"},
};
#define NPLACES (int)(sizeof PLACES / sizeof *PLACES)

/* The short name of a town: "景山街道" → "景山". */
static void short_name(const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s", name);
    size_t len = strlen(out);
    for (const char *suffix = "街道"; len > strlen(suffix);) {
        if (strcmp(out + len - strlen(suffix), suffix) == 0)
            out[len - strlen(suffix)] = 0;
        break;
    }
    len = strlen(out);
    if (len > strlen("镇") && strcmp(out + len - strlen("镇"), "镇") == 0)
        out[len - strlen("镇")] = 0;
}

/* Station k of town t: the registry record. */
static void build_station(const struct stations_town *t, int k, int serial, struct institution *in)
{
    memset(in, 0, sizeof *in);
    char town_short[64];
    short_name(t->name, town_short, sizeof town_short);
    const char *community = PLACES[serial % NPLACES].community;
    snprintf(in->name, sizeof in->name, "%s%s婴幼儿成长驿站（演示）", town_short, community);
    snprintf(in->town_code, sizeof in->town_code, "%s", t->code);
    snprintf(in->address, sizeof in->address, "温州市瓯海区%s%s服务中心", t->name, community);
    /* the town's institutions' middle, a few hundred metres off for each */
    in->lon = (double)(long long)((t->lon + 0.004 * ((serial % 5) - 2) + 0.002 * k) * 1e6) / 1e6;
    in->lat = (double)(long long)((t->lat + 0.003 * ((serial % 3) - 1) - 0.002 * k) * 1e6) / 1e6;
    snprintf(in->operating_model, sizeof in->operating_model, "station");
    snprintf(in->ownership, sizeof in->ownership, "public");
    in->inclusive = 1;
    snprintf(in->inclusive_since, sizeof in->inclusive_since, "2023-06-01");
    snprintf(in->inclusive_basis, sizeof in->inclusive_basis, "瓯海区普惠托育基本公共服务试点工作方案 四(二)5（演示数据）");
    snprintf(in->status, sizeof in->status, "filed");
    snprintf(in->opening_hours, sizeof in->opening_hours, "08:30-17:00");
    snprintf(in->phone, sizeof in->phone, "0577-8%07d", 6100000 + serial * 37);
    snprintf(in->director, sizeof in->director, "%s社区工作人员", community);
    in->service_types = (1u << 2) | (1u << 3); /* hourly and occasional care */
    snprintf(in->premises_tenure, sizeof in->premises_tenure, "owned");
    in->floor = 1 + serial % 2;
    in->health_room_m2 = 8; /* demo figures that meet the 卫生评价 minimums */
    in->window_floor_ratio = 0.25;
    /* a uscc of a public institution (事业单位: 12), the check character computed */
    char body[18];
    snprintf(body, sizeof body, "12330304MB%07d", 2000 + serial);
    snprintf(in->uscc, sizeof in->uscc, "%s%c", body, uscc_check_char(body));
}

int stations_demo(struct db *db, const char *district, int64_t admin, const char *today, const char *now_ts,
                  struct err *e)
{
    struct stations_town towns[64];
    int ntowns;
    if (stations_store_towns(db, district, towns, 64, &ntowns, e) < 0)
        return -1;
    if (ntowns == 0)
        return 0;
    struct param_version cap;
    int rc = params_version_on(db, district, "subsidy.station_max_fen", today, &cap, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 500, "param_missing", "subsidy.station_max_fen", "缺少参数 subsidy.station_max_fen");
    int64_t cap_fen = atoll(cap.value);
    struct institution *in = malloc(sizeof *in);
    if (!in)
        return err_set(e, 500, "oom", "", "内存不足");
    rc = 0;
    for (int serial = 0; rc == 0 && serial < DEMO_NEW_STATIONS; serial++) {
        /* one in every town, then a second in the most populous */
        const struct stations_town *t = &towns[serial % ntowns];
        build_station(t, serial / ntowns, serial, in);
        if (registry_insert(db, district, in, now_ts, 1, e) < 0) {
            rc = -1;
            break;
        }
        struct station_site s = {.area_m2 = 80 + 15 * (serial % 6), .weekly_visits = 25 + 7 * (serial % 8),
                                 .investment_fen = (60 + 10 * (serial % 7)) * 100000LL * 2};
        snprintf(s.surroundings, sizeof s.surroundings, "%s", PLACES[serial % NPLACES].surroundings);
        snprintf(s.services, sizeof s.services, "%s", PLACES[serial % NPLACES].services);
        if (stations_store_save(db, district, in->id, &s, now_ts, e) < 0) {
            rc = -1;
            break;
        }
        if (serial < DEMO_ACCEPTED) {
            /* accepted in the pilot's years: 2023 onwards, a month apart */
            char day[DATE_DAY_LEN];
            date_add_months("2023-06-15", serial * 2, day);
            if (strcmp(day, today) > 0)
                snprintf(day, sizeof day, "%s", today);
            int64_t amount = 0, entitlement;
            json_t *why = station_subsidy_explain(s.investment_fen, cap_fen, cap.valid_from,
                                                  "瓯海区普惠托育基本公共服务试点工作方案 四(二)5", &amount);
            struct funds_new n = {"station", in->id, in->town_code, in->name, day, amount, why, 0};
            /* accepted before the platform: no case of it here (case 0) */
            rc = stations_store_accept(db, district, in->id, 0, day, now_ts, e) < 0 ||
                         funds_store_insert(db, district, &n, admin, now_ts, &entitlement, e) < 0
                     ? -1
                     : 0;
            json_decref(why);
        } else if (serial < DEMO_ACCEPTED + DEMO_CASE_OPEN) {
            /* the town has opened the joint acceptance: a case still to be submitted and signed */
            const struct cases_process *proc = cases_process("station_accept");
            struct cases_case c = {.institution_id = in->id, .created_by = admin};
            snprintf(c.process, sizeof c.process, "%s", proc->code);
            snprintf(c.town_code, sizeof c.town_code, "%s", in->town_code);
            snprintf(c.state, sizeof c.state, "%s", proc->initial);
            json_t *services = json_array();
            char list[sizeof s.services], *save = NULL;
            snprintf(list, sizeof list, "%s", s.services);
            for (char *code = strtok_r(list, ",", &save); code; code = strtok_r(NULL, ",", &save))
                json_array_append_new(services, json_string(code));
            c.data = json_pack("{s:{s:f, s:s, s:i, s:o, s:I}, s:[]}", "site", "area_m2", s.area_m2, "surroundings",
                               s.surroundings, "weekly_visits", s.weekly_visits, "services", services, "investment_fen",
                               (json_int_t)s.investment_fen, "materials");
            rc = cases_store_insert(db, district, &c, now_ts, e);
            json_decref(c.data);
        }
    }
    free(in);
    return rc;
}

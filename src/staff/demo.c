/* demo.c — the staff of a demonstration institution (`tuoyu demo`, src/cli/demo.c): a plausible
 * roster of about 6–25 people — a director, the caregivers each class's demo staffing names
 * (assigned to it), a 保健人员, cooks and a guard — with qualification certificates, health
 * certificates of which some expire within the warning period and a few have lapsed, and a
 * missing no-criminal-record certificate here and there, so the findings and alerts have
 * something to show. Written through staff_insert, like any other record. Deterministic for a
 * seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"
#include "staff/demo.h"
#include "staff/store.h"

/* splitmix64, as the rest of the demo */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int between(uint64_t *s, int lo, int hi) { return lo + (int)(next(s) % (uint64_t)(hi - lo + 1)); }

static const char *const SURNAMES[] = {"王", "陈", "林", "黄", "张", "李", "周", "吴", "郑", "潘", "叶", "徐", "金", "胡", "朱", "蔡"};
static const char *const GIVEN[] = {"丽华", "晓敏", "海燕", "静怡", "雅琴", "秀英", "慧敏", "婷婷", "亚芬", "佳佳",
                                    "素芬", "建华", "志强", "美玲", "春燕", "晓丽", "红霞", "雪梅", "思思", "一帆"};

/* A valid, unique resident ID number for the n-th demo person: born 1972–1996, sequence from n. */
static void id_number(int n, char out[IDCARD_LEN + 1])
{
    char birth[DATE_DAY_LEN], body[24];
    date_add_days("1972-01-01", (int64_t)((n * 37) % 9000), birth);
    snprintf(body, sizeof body, "330304%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, 100 + n % 900);
    snprintf(out, IDCARD_LEN + 1, "%.17s%c", body, idcard_check_char(body));
}

/* The health check date: most within the year, some expiring within the warning days, a few lapsed. */
static void health_date(uint64_t *s, const char *today, const struct staff_rules *rules, struct staff *p)
{
    int roll = between(s, 1, 100);
    char year_ago[DATE_DAY_LEN];
    date_add_months(today, -rules->health_check_months, year_ago);
    if (roll <= 6) /* expires within the warning period */
        date_add_days(year_ago, between(s, 1, rules->warning_days), p->health_cert_date);
    else if (roll <= 10) /* lapsed */
        date_add_days(year_ago, -between(s, 1, 60), p->health_cert_date);
    else
        date_add_days(today, -between(s, 1, 300), p->health_cert_date);
    char anniversary[DATE_DAY_LEN];
    date_add_months(p->health_cert_date, rules->health_check_months, anniversary);
    date_add_days(anniversary, -1, p->health_cert_expiry);
}

static void certificate(uint64_t *s, const char *today, const char *kind, int grade, const char *issuer, int years,
                        struct staff *p)
{
    struct staff_cert *c = &p->certs[p->ncerts++];
    memset(c, 0, sizeof *c);
    snprintf(c->kind, sizeof c->kind, "%s", kind);
    c->grade = grade;
    snprintf(c->number, sizeof c->number, "%.2s%d%06d", kind, 2015 + between(s, 0, 9), between(s, 0, 999999));
    snprintf(c->issuer, sizeof c->issuer, "%s", issuer);
    if (years) {
        /* most valid for years to come; a few expire within the month, fewer have lapsed */
        int roll = between(s, 1, 100);
        char expiry[DATE_DAY_LEN];
        date_add_days(today, roll <= 5 ? between(s, 1, 30) : roll <= 8 ? -between(s, 1, 90) : between(s, 60, 1500),
                      expiry);
        snprintf(c->expiry_date, sizeof c->expiry_date, "%s", expiry);
        date_add_years(expiry, -years, c->issue_date);
        if (strcmp(c->issue_date, today) > 0)
            snprintf(c->issue_date, sizeof c->issue_date, "%s", today);
    } else {
        date_add_days(today, -between(s, 200, 3000), c->issue_date);
    }
}

static int add_person(struct db *db, const struct crypt_key *key, const char *district, const struct institution *in,
                      uint64_t *s, int *serial, enum staff_role role, int full_time, int64_t class_id,
                      const struct staff_rules *rules, const char *today, const char *now_ts, struct err *e)
{
    struct staff p;
    memset(&p, 0, sizeof p);
    p.institution_id = in->id;
    p.role = role;
    snprintf(p.name, sizeof p.name, "%s%s", SURNAMES[between(s, 0, 15)], GIVEN[between(s, 0, 19)]);
    id_number((*serial)++, p.id_number);
    snprintf(p.employment, sizeof p.employment, "%s", full_time ? "full_time" : "part_time");
    date_add_days(today, -between(s, 60, 2500), p.start_date);
    health_date(s, today, rules, &p);
    if (between(s, 1, 100) > 3)
        date_add_days(p.start_date, -between(s, 5, 40), p.no_crime_cert_date);
    if (class_id)
        p.class_ids[p.nclasses++] = class_id;
    switch (role) {
    case STAFF_DIRECTOR:
        certificate(s, today, "director_training", 0, "温州市卫生健康委员会", 0, &p);
        break;
    case STAFF_CAREGIVER:
        certificate(s, today, between(s, 0, 1) ? "childcare_worker" : "infant_carer", between(s, 3, 5),
                    "温州市人力资源和社会保障局", 5, &p);
        break;
    case STAFF_HEALTH:
        certificate(s, today, "health_training", 0, "瓯海区妇幼保健院", 0, &p);
        if (between(s, 1, 100) <= 50)
            certificate(s, today, "nurse", 0, "浙江省卫生健康委员会", 5, &p);
        break;
    case STAFF_SECURITY:
        certificate(s, today, "security_guard", 0, "温州市公安局", 0, &p);
        break;
    default:
        break;
    }
    return staff_insert(db, key, district, &p, now_ts, e);
}

int staff_demo_roster(struct db *db, const struct crypt_key *key, const char *district, const struct institution *in,
                      uint64_t seed, int *serial, const char *today, const char *now_ts, struct err *e)
{
    struct staff_rules rules;
    if (staff_rules_from_params(db, district, today, &rules, e) < 0)
        return -1;
    uint64_t s = seed ^ ((uint64_t)in->id * 0x2545F4914F6CDD1Dull);
    int small = strcmp(in->operating_model, "family_point") == 0 || strcmp(in->operating_model, "station") == 0;
    int rc = add_person(db, key, district, in, &s, serial, STAFF_DIRECTOR, 1, 0, &rules, today, now_ts, e);
    for (int k = 0; !rc && k < in->nclasses; k++)
        for (int j = 0; !rc && j < in->classes[k].caregivers; j++)
            rc = add_person(db, key, district, in, &s, serial, STAFF_CAREGIVER, 1, in->classes[k].id, &rules, today,
                            now_ts, e);
    if (!rc && (in->health_workers || !small))
        rc = add_person(db, key, district, in, &s, serial, STAFF_HEALTH, in->health_workers > 0, 0, &rules, today,
                        now_ts, e);
    for (int j = small ? 1 : 0; !rc && j < (institution_enrolled(in) > 60 ? 2 : 1); j++)
        rc = add_person(db, key, district, in, &s, serial, STAFF_COOK, 1, 0, &rules, today, now_ts, e);
    if (!rc && !small)
        rc = add_person(db, key, district, in, &s, serial, STAFF_SECURITY, between(&s, 0, 1), 0, &rules, today,
                        now_ts, e);
    return rc;
}

int staff_demo_reminders(struct db *db, const char *district, const char *today, const char *now_ts, struct err *e)
{
    struct staff_rules rules;
    struct staff_filter f = {0};
    struct staff *roster;
    int n;
    if (staff_rules_from_params(db, district, today, &rules, e) < 0 ||
        staff_roster(db, NULL, district, &f, &roster, &n, e) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; !rc && i < n; i++)
        rc = staff_post_reminders(db, district, NULL, &roster[i], &rules, today, now_ts, e);
    free(roster);
    return rc;
}

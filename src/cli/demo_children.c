/* demo_children.c — the province demo's children (issue 20 item 2): a district's registered children
 * (names and ID numbers sealed, the numbers' lookup hashes), their guardians' consents, growth
 * measurements at the checks of the national schedule, the children in care placed in the classes
 * the institutions report (class.enrolled) with a month of attendance, and a few families with
 * an account who booked a free place or applied for the next month's intake. Written in bulk
 * (db_copy: COPY on PostgreSQL), so two million children load in minutes; the rules it follows —
 * the classes' age bands, the consent notice's version, the points of a choice — are read from the
 * parameters like the services read them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "cli/demo.h"
#include "enrol/enrol.h"
#include "params/params.h"
#include "privacy/privacy.h"

#define OLDEST_DAYS 1380   /* registered children stay on the register after 3 until purged */
#define ATTENDANCE_DAYS 30 /* a month of attendance, today included */
#define DAYS_PER_MONTH 30.44
#define BOOKING_PERCENT 1     /* of children not in care aged 5–33 months */
#define APPLICATION_PERCENT 2 /* the same */
/* the checks of 0–6岁儿童健康管理服务规范 (国家基本公共卫生服务规范 第三版, 2017) under 4 years:
 * 满月, 3, 6, 8, 12, 18, 24, 30, 36 months, each attended by 85 % of children */
static const int CHECK_DAYS[] = {30, 91, 183, 243, 365, 548, 730, 913, 1095};
#define CHECK_ATTENDED_PERCENT 85

enum plan { PLAN_NONE, PLAN_BOOKING, PLAN_APPLICATION };

struct kid {
    int age;        /* days old today */
    int sex;        /* 1 boy, 2 girl */
    int cls;        /* index of its class in the district's, -1 when not in care */
    int start_back; /* placed this many days before today */
    int town;       /* hukou town: index in the district's towns */
    enum plan plan;
    int64_t family; /* the family's account, 0 when none */
};

/* The district's age bands of the classes (class.<type>.min_months / max_months). */
static int load_bands(const struct params *p, struct enrol_bands *b, struct err *e)
{
    for (int t = 0; t < CLASS_TYPE_COUNT; t++) {
        char key[64];
        double v;
        snprintf(key, sizeof key, "class.%s.min_months", class_type_code((enum class_type)t));
        if (params_num(p, key, &v, e) < 0)
            return -1;
        b->min_months[t] = (int)v;
        snprintf(key, sizeof key, "class.%s.max_months", class_type_code((enum class_type)t));
        if (params_num(p, key, &v, e) < 0)
            return -1;
        b->max_months[t] = (int)v;
    }
    return 0;
}

/* Who the district's children are: first the children in care, enrolled[c] of each class c at an age
 * inside its band with a month in it at least, then the rest of n at any age up to OLDEST_DAYS. */
static void draw_kids(struct rng *r, const struct demo_district *d, const struct enrol_bands *b, struct kid *kids,
                      int n)
{
    int k = 0;
    for (int c = 0; c < d->nclasses; c++) {
        const struct demo_class *cl = &d->classes[c];
        int min = (int)ceil(b->min_months[cl->type] * DAYS_PER_MONTH),
            max = (int)(b->max_months[cl->type] * DAYS_PER_MONTH) - 1;
        for (int j = 0; j < cl->enrolled && k < n && min + ATTENDANCE_DAYS <= max; j++, k++) {
            struct kid *x = &kids[k];
            memset(x, 0, sizeof *x);
            x->age = demo_rng_int(r, min + ATTENDANCE_DAYS, max);
            x->start_back = demo_rng_int(r, ATTENDANCE_DAYS, x->age - min < 365 ? x->age - min : 365);
            x->cls = c;
        }
    }
    for (; k < n; k++) {
        struct kid *x = &kids[k];
        memset(x, 0, sizeof *x);
        x->age = demo_rng_int(r, 1, OLDEST_DAYS);
        x->cls = -1;
        if (x->age >= 150 && x->age <= 1000) {
            int p = demo_rng_int(r, 1, 100);
            x->plan = p <= BOOKING_PERCENT ? PLAN_BOOKING : p <= BOOKING_PERCENT + APPLICATION_PERCENT ? PLAN_APPLICATION
                                                                                                        : PLAN_NONE;
        }
    }
    for (k = 0; k < n; k++) {
        kids[k].sex = demo_rng_int(r, 1, 2);
        kids[k].town = demo_rng_int(r, 0, d->ntowns - 1);
    }
}

/* The family accounts of the children who booked or applied, ids from first on. */
static int copy_families(struct db *db, struct rng *r, const struct demo_district *d, struct kid *kids, int n,
                         int64_t first, const char *hash, const char *now_ts, struct err *e)
{
    struct db_copy *c;
    if (db_copy_begin(db, "app_user", "id, district_code, login, name, role, password_hash, created_at, updated_at", &c,
                      e) < 0)
        return -1;
    int rc = 0;
    for (int k = 0, f = 0; rc == 0 && k < n; k++) {
        if (kids[k].plan == PLAN_NONE)
            continue;
        char login[48], name[64];
        kids[k].family = first + f++;
        snprintf(login, sizeof login, "demo-family-%s-%d", d->code, f);
        snprintf(name, sizeof name, "%s家长（演示）", demo_surnames[demo_rng_int(r, 0, DEMO_SURNAMES - 1)]);
        rc = db_copy_row(c, e, "ittttttt", kids[k].family, d->code, login, name, "family", hash, now_ts, now_ts);
    }
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* The children, ids from first on: names and ID numbers invented, sealed and masked; the numbers
 * (region = the district, sequence counted per birth day and sex) unique in the province. */
static int copy_children(struct db *db, const struct crypt_key *key, struct rng *r, const struct demo_district *d,
                         const struct kid *kids, int n, int64_t first, const char *today, const char *now_ts,
                         struct err *e)
{
    int *serials = calloc((size_t)(OLDEST_DAYS + 1) * 2, sizeof *serials);
    struct db_copy *c;
    if (!serials)
        return err_set(e, 500, "oom", "", "内存不足");
    if (db_copy_begin(db, "child",
                      "id, district_code, institution_id, family_user_id, name_sealed, name_masked, sex, birth_date, "
                      "id_kind, id_sealed, id_lookup, id_masked, hukou_town, created_at, updated_at",
                      &c, e) < 0)
        return free(serials), -1;
    int rc = 0;
    for (int k = 0; rc == 0 && k < n; k++) {
        const struct kid *x = &kids[k];
        char birth[DATE_DAY_LEN], id[19], name[64];
        date_add_days(today, -x->age, birth);
        int *serial = &serials[x->age * 2 + x->sex - 1];
        if (*serial >= 500) {
            rc = err_set(e, 500, "demo_too_many", "", "演示数据：%s 同一天出生的同性别儿童超过 500 名", d->code);
            break;
        }
        demo_id_number(d->code, birth, (*serial)++ * 2 + (x->sex == 1), id);
        demo_child_name(r, name);
        struct demo_child_identity who;
        rc = demo_seal_child(key, name, id, &who, e) < 0
                 ? -1
                 : db_copy_row(c, e, "itIIttitttttttt", first + k, d->code,
                               x->cls >= 0 ? d->classes[x->cls].institution_id : 0, x->family, who.name_sealed,
                               who.name_masked, (int64_t)x->sex, birth, "resident_id", who.id_sealed, who.id_lookup,
                               who.id_masked, d->towns[x->town], now_ts, now_ts);
    }
    free(serials);
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* Every child's guardian consented to its care and growth data: the family through its account, the
 * others on a paper form the institution or the child health clinic recorded. */
static int copy_consents(struct db *db, const struct demo_district *d, const struct kid *kids, int n, int64_t first,
                         int64_t notice_version, const char *now_ts, struct err *e)
{
    struct db_copy *c;
    if (db_copy_begin(db, "child_consent", "district_code, child_id, purposes, notice_version, source, given_by, given_at",
                      &c, e) < 0)
        return -1;
    int rc = 0;
    for (int k = 0; rc == 0 && k < n; k++)
        rc = db_copy_row(c, e, "tititIt", d->code, first + k, PRIVACY_CARE_HEALTH "," PRIVACY_GROWTH, notice_version,
                         kids[k].family ? "family" : "paper", kids[k].family, now_ts);
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* The measurements of the health checks each child has had (CHECK_DAYS), near z-scores it keeps. */
static int copy_measurements(struct db *db, struct rng *r, const struct demo_district *d, const struct kid *kids,
                             int n, int64_t first, const char *today, const char *now_ts, struct err *e)
{
    struct db_copy *c;
    if (db_copy_begin(db, "measurement",
                      "district_code, child_id, measured_on, weight_kg, lenhei_cm, measure, headc_cm, created_at", &c,
                      e) < 0)
        return -1;
    int rc = 0;
    for (int k = 0; rc == 0 && k < n; k++) {
        const struct kid *x = &kids[k];
        double z[3];
        z[0] = (demo_rng_unit(r) - 0.5) * 3;
        z[1] = (demo_rng_unit(r) - 0.5) * 3;
        z[2] = (demo_rng_unit(r) - 0.5) * 2;
        for (size_t i = 0; rc == 0 && i < sizeof CHECK_DAYS / sizeof *CHECK_DAYS; i++) {
            int day = CHECK_DAYS[i] + demo_rng_int(r, -5, 14);
            if (day > x->age || !demo_chance(r, CHECK_ATTENDED_PERCENT))
                continue;
            struct demo_measurement m;
            char on[DATE_DAY_LEN];
            demo_measure(r, x->sex, day, z, &m);
            date_add_days(today, day - x->age, on);
            rc = db_copy_row(c, e, "titddtdt", d->code, first + k, on, m.weight_kg, m.lenhei_cm, m.measure, m.headc_cm,
                             now_ts);
        }
    }
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* The children in care: their placements, then a month of attendance on weekdays (about one day in
 * twelve absent; today's children not gone home yet). */
static int copy_care(struct db *db, struct rng *r, const struct demo_district *d, const struct kid *kids, int n,
                     int64_t first, const char *today, const char *now_ts, struct err *e)
{
    struct db_copy *c;
    if (db_copy_begin(db, "care_placement",
                      "district_code, child_id, institution_id, class_id, start_date, created_at, updated_at", &c,
                      e) < 0)
        return -1;
    int rc = 0;
    for (int k = 0; rc == 0 && k < n && kids[k].cls >= 0; k++) {
        const struct demo_class *cl = &d->classes[kids[k].cls];
        char start[DATE_DAY_LEN];
        date_add_days(today, -kids[k].start_back, start);
        rc = db_copy_row(c, e, "tiiittt", d->code, first + k, cl->institution_id, cl->class_id, start, now_ts, now_ts);
    }
    if (db_copy_end(c, e) < 0 || rc < 0)
        return -1;
    char days[ATTENDANCE_DAYS][DATE_DAY_LEN];
    for (int back = 0; back < ATTENDANCE_DAYS; back++)
        date_add_days(today, -back, days[back]);
    if (db_copy_begin(db, "care_attendance",
                      "district_code, child_id, institution_id, class_id, day, status, check_in, check_out, "
                      "absence_cause, created_at, updated_at",
                      &c, e) < 0)
        return -1;
    for (int k = 0; rc == 0 && k < n && kids[k].cls >= 0; k++) {
        const struct demo_class *cl = &d->classes[kids[k].cls];
        for (int back = ATTENDANCE_DAYS - 1; rc == 0 && back >= 0; back--) {
            if (date_day_of_week(days[back]) >= 6)
                continue;
            int present = demo_rng_int(r, 0, 11) != 0;
            char in[6] = "";
            if (present)
                snprintf(in, sizeof in, "08:%02d", demo_rng_int(r, 0, 39));
            rc = db_copy_row(c, e, "tiiittTTTtt", d->code, first + k, cl->institution_id, cl->class_id, days[back],
                             present ? "present" : "absent", in, present && back > 0 ? "17:00" : "",
                             present ? "" : demo_chance(r, 50) ? "family" : "other", now_ts, now_ts);
        }
    }
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* A class of the district of type t with a place left after enrolled and booked[] (tries a few at
 * random): its index, or -1. */
static int class_with_room(struct rng *r, const struct demo_district *d, int t, const int *booked)
{
    for (int tries = 0; d->nclasses > 0 && tries < 12; tries++) {
        int c = demo_rng_int(r, 0, d->nclasses - 1);
        const struct demo_class *cl = &d->classes[c];
        if ((int)cl->type == t && cl->capacity - cl->enrolled - booked[c] > 0)
            return c;
    }
    return -1;
}

/* A class type whose band holds a child born on birth when it starts in month (YYYY-MM), the
 * youngest first; -1 when none does. */
static int fitting_type(const struct enrol_bands *b, const char *birth, const char *month)
{
    int age = enrol_age_months(birth, month);
    for (int t = 0; t < CLASS_TYPE_COUNT; t++)
        if (enrol_band_fits(b, (enum class_type)t, age))
            return t;
    return -1;
}

/* The families' bookings of a free place from month (YYYY-MM), never more than a class has left. */
static int copy_bookings(struct db *db, struct rng *r, const struct demo_district *d, const struct kid *kids, int n,
                         int64_t first, const struct enrol_bands *b, const char *today, const char *month,
                         const char *now_ts, struct err *e)
{
    int *booked = calloc((size_t)d->nclasses + 1, sizeof *booked);
    struct db_copy *c;
    if (!booked)
        return err_set(e, 500, "oom", "", "内存不足");
    if (db_copy_begin(db, "booking",
                      "district_code, child_id, institution_id, class_type, start_month, status, family_user_id, "
                      "created_at",
                      &c, e) < 0)
        return free(booked), -1;
    int rc = 0;
    for (int k = 0; rc == 0 && k < n; k++) {
        if (kids[k].plan != PLAN_BOOKING)
            continue;
        char birth[DATE_DAY_LEN];
        date_add_days(today, -kids[k].age, birth);
        int t = fitting_type(b, birth, month);
        int cls = t >= 0 ? class_with_room(r, d, t, booked) : -1;
        if (cls < 0)
            continue;
        booked[cls]++;
        rc = db_copy_row(c, e, "tiitttit", d->code, first + k, d->classes[cls].institution_id,
                         class_type_code((enum class_type)t), month, "booked", kids[k].family, now_ts);
    }
    free(booked);
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* An application's choices: up to three institutions of the district with a class of the type. */
struct choices {
    int kid, type, n, cls[3];
};

/* The choices of the children who apply (napplications of them, into apps): the class type of their
 * age at the intake month, institutions drawn among those with such a class; none when nothing fits. */
static void choose(struct rng *r, const struct demo_district *d, const struct kid *kids, int n,
                   const struct enrol_bands *b, const char *today, const char *month, struct choices *apps)
{
    for (int k = 0, a = 0; k < n; k++) {
        if (kids[k].plan != PLAN_APPLICATION)
            continue;
        char birth[DATE_DAY_LEN];
        date_add_days(today, -kids[k].age, birth);
        struct choices *ch = &apps[a++];
        ch->kid = k;
        ch->type = fitting_type(b, birth, month);
        int want = demo_rng_int(r, 1, 3);
        for (int tries = 0; ch->type >= 0 && d->nclasses > 0 && ch->n < want && tries < 30; tries++) {
            int cls = demo_rng_int(r, 0, d->nclasses - 1), seen = 0;
            for (int j = 0; j < ch->n; j++)
                seen |= d->classes[ch->cls[j]].institution_id == d->classes[cls].institution_id;
            if ((int)d->classes[cls].type == ch->type && !seen)
                ch->cls[ch->n++] = cls;
        }
    }
}

/* The submitted applications for the intake month with their choices (ids from app_first on), points
 * as the district's table p gives them with nothing declared. */
static int copy_applications(struct db *db, const struct demo_district *d, const struct kid *kids, int64_t first,
                             const struct choices *apps, int napplications, int64_t app_first, const struct params *p,
                             const char *month, const char *now_ts, struct err *e)
{
    struct enrol_points_table table;
    struct enrol_criteria none = {0};
    struct db_copy *c;
    if (enrol_points_from_params(p, &table, e) < 0 ||
        db_copy_begin(db, "application",
                      "id, district_code, child_id, family_user_id, intake, status, criteria, created_at, updated_at",
                      &c, e) < 0)
        return -1;
    int rc = 0;
    for (int a = 0; rc == 0 && a < napplications; a++)
        if (apps[a].n > 0)
            rc = db_copy_row(c, e, "itiittttt", app_first + a, d->code, first + apps[a].kid, kids[apps[a].kid].family,
                             month, "submitted", "{}", now_ts, now_ts);
    if (db_copy_end(c, e) < 0 || rc < 0 ||
        db_copy_begin(db, "application_choice",
                      "district_code, application_id, choice_rank, institution_id, class_type, points", &c, e) < 0)
        return -1;
    for (int a = 0; rc == 0 && a < napplications; a++)
        for (int j = 0; rc == 0 && j < apps[a].n; j++) {
            const struct demo_class *cl = &d->classes[apps[a].cls[j]];
            double points = enrol_choice_points(&table, &none, 0, d->towns[kids[apps[a].kid].town], cl->town_code);
            rc = db_copy_row(c, e, "tiiitd", d->code, app_first + a, (int64_t)j + 1, cl->institution_id,
                             class_type_code((enum class_type)apps[a].type), points);
        }
    return db_copy_end(c, e) < 0 || rc < 0 ? -1 : 0;
}

/* Bookings from next month and applications for next month's intake. */
static int copy_enrolment(struct db *db, struct rng *r, const struct demo_district *d, const struct kid *kids, int n,
                          int64_t first, const struct params *p, const struct enrol_bands *b, const char *today,
                          const char *now_ts, struct err *e)
{
    char next[DATE_DAY_LEN], month[8];
    date_add_months(today, 1, next);
    snprintf(month, sizeof month, "%.7s", next);
    int napplications = 0;
    for (int k = 0; k < n; k++)
        napplications += kids[k].plan == PLAN_APPLICATION;
    struct choices *apps = calloc((size_t)napplications + 1, sizeof *apps);
    int64_t app_first = 0;
    if (!apps)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = copy_bookings(db, r, d, kids, n, first, b, today, month, now_ts, e);
    if (rc == 0) {
        choose(r, d, kids, n, b, today, month, apps);
        rc = db_reserve_ids(db, "application", napplications > 0 ? napplications : 1, &app_first, e) < 0 ||
                     copy_applications(db, d, kids, first, apps, napplications, app_first, p, month, now_ts, e) < 0
                 ? -1
                 : 0;
    }
    free(apps);
    return rc;
}

int demo_children(struct db *db, const struct crypt_key *key, struct rng *r, const struct demo_district *d,
                  const char *hash, const char *today, const char *now_ts, struct err *e)
{
    int n = d->children, enrolled = 0; /* at least those the classes report enrolled (a small fraction) */
    for (int c = 0; c < d->nclasses; c++)
        enrolled += d->classes[c].enrolled;
    if (n < enrolled)
        n = enrolled;
    struct kid *kids = calloc((size_t)n + 1, sizeof *kids);
    struct params *p = malloc(sizeof *p);
    struct enrol_bands bands;
    double notice;
    int rc = kids && p ? 0 : err_set(e, 500, "oom", "", "内存不足");
    if (rc == 0 && (params_load(db, d->code, today, p, e) < 0 || load_bands(p, &bands, e) < 0 ||
                    params_num(p, "privacy.notice_version", &notice, e) < 0))
        rc = -1;
    int families = 0;
    int64_t first_child = 0, first_family = 0;
    if (rc == 0) {
        draw_kids(r, d, &bands, kids, n);
        for (int k = 0; k < n; k++)
            families += kids[k].plan != PLAN_NONE;
        rc = db_reserve_ids(db, "app_user", families > 0 ? families : 1, &first_family, e) < 0 ||
                     db_reserve_ids(db, "child", n > 0 ? n : 1, &first_child, e) < 0 ||
                     copy_families(db, r, d, kids, n, first_family, hash, now_ts, e) < 0 ||
                     copy_children(db, key, r, d, kids, n, first_child, today, now_ts, e) < 0 ||
                     copy_consents(db, d, kids, n, first_child, (int64_t)notice, now_ts, e) < 0 ||
                     copy_measurements(db, r, d, kids, n, first_child, today, now_ts, e) < 0 ||
                     copy_care(db, r, d, kids, n, first_child, today, now_ts, e) < 0 ||
                     copy_enrolment(db, r, d, kids, n, first_child, p, &bands, today, now_ts, e) < 0
                 ? -1
                 : 0;
    }
    free(p);
    free(kids);
    return rc;
}

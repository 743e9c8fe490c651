/* demo_draw.c — the draws both demonstration generators make (demo.h): the seeded random numbers,
 * a credit code, a class, a fee catalogue, a child's identity (sealed) and growth measurements. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/idcard.h"
#include "base/uscc.h"
#include "cli/demo.h"
#include "growth/growth.h"

/* splitmix64: small, fast, and the same on every machine */
static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
int demo_rng_int(struct rng *r, int lo, int hi) { return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1)); }
double demo_rng_unit(struct rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }
int demo_chance(struct rng *r, int percent) { return demo_rng_int(r, 1, 100) <= percent; }

void demo_make_uscc(struct rng *r, const char *region, int public_body, char out[19])
{
    static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char body[18];
    body[0] = public_body ? '1' : '9';
    body[1] = public_body ? '2' : '1';
    memcpy(body + 2, region, 6);
    for (int i = 8; i < 17; i++)
        body[i] = charset[demo_rng_int(r, 0, 30)];
    body[17] = 0;
    snprintf(out, 19, "%s%c", body, uscc_check_char(body));
}

void demo_add_class(struct institution *in, enum class_type t, int capacity, struct rng *r, int breach_ratio)
{
    static const double per_caregiver[CLASS_TYPE_COUNT] = {3, 5, 7, 5}; /* demo staffing only */
    struct inst_class *c = &in->classes[in->nclasses++];
    memset(c, 0, sizeof *c);
    c->type = t;
    snprintf(c->name, sizeof c->name, "%s%d", class_type_name(t), in->nclasses);
    c->capacity = capacity;
    c->enrolled = (int)lround(capacity * (0.55 + 0.45 * demo_rng_unit(r)));
    c->caregivers = (int)ceil(c->enrolled / per_caregiver[t]);
    if (breach_ratio && c->caregivers > 1)
        c->caregivers--;
}

void demo_premises_figures(struct institution *in, int index)
{
    unsigned h = (unsigned)index * 2654435761u; /* a spread of the index, not a draw of the demo's rng */
    in->health_room_m2 = 6 + (h >> 8) % 9;             /* 6–14 m² */
    in->window_floor_ratio = 0.20 + 0.01 * ((h >> 16) % 11); /* 20–30 % */
    if (index % 23 == 5)
        in->health_room_m2 = 4.5;
    if (index % 29 == 11)
        in->window_floor_ratio = 0.16;
    if (index % 31 == 17)
        in->health_room_m2 = in->window_floor_ratio = REG_UNRECORDED;
}

void demo_add_fees(struct institution *in, int public_body, struct rng *r)
{
    int64_t base = in->inclusive ? (public_body ? demo_rng_int(r, 15, 25) : demo_rng_int(r, 25, 38)) * 10000
                                 : demo_rng_int(r, 40, 65) * 10000;
    struct fee_item *f = &in->fees[in->nfees++];
    snprintf(f->item, sizeof f->item, "保育费（全日托）");
    snprintf(f->category, sizeof f->category, "basic");
    snprintf(f->service_type, sizeof f->service_type, "full_day");
    f->amount_fen = base;
    snprintf(f->unit, sizeof f->unit, "月");
    f = &in->fees[in->nfees++];
    snprintf(f->item, sizeof f->item, "伙食费");
    snprintf(f->category, sizeof f->category, "other");
    f->amount_fen = demo_rng_int(r, 15, 25) * 100;
    snprintf(f->unit, sizeof f->unit, "日");
    if (in->service_types & 4u) {
        f = &in->fees[in->nfees++];
        snprintf(f->item, sizeof f->item, "计时托");
        snprintf(f->category, sizeof f->category, "basic");
        snprintf(f->service_type, sizeof f->service_type, "hourly");
        f->amount_fen = demo_rng_int(r, 30, 60) * 100;
        snprintf(f->unit, sizeof f->unit, "小时");
    }
}

void demo_id_number(const char *region, const char *birth, int sequence, char out[19])
{
    char body[32];
    snprintf(body, sizeof body, "%.6s%.4s%.2s%.2s%03d", region, birth, birth + 5, birth + 8, sequence % 1000);
    body[17] = 0;
    memcpy(out, body, 17);
    out[17] = idcard_check_char(body);
    out[18] = 0;
}

int demo_seal_child(const struct crypt_key *key, const char *name, const char *id_number, struct demo_child_identity *out,
                    struct err *e)
{
    char material[48];
    snprintf(material, sizeof material, "resident_id:%s", id_number);
    if (crypt_seal(key, name, out->name_sealed, sizeof out->name_sealed, e) < 0 ||
        crypt_seal(key, id_number, out->id_sealed, sizeof out->id_sealed, e) < 0 ||
        crypt_lookup_hash(key, material, out->id_lookup) < 0)
        return -1;
    mask_name(name, out->name_masked, sizeof out->name_masked);
    mask_id_number(id_number, out->id_masked, sizeof out->id_masked);
    return 0;
}

void demo_measure(struct rng *r, int sex, int day, const double z[3], struct demo_measurement *out)
{
    double l, m, s;
    growth_lms_at(GROWTH_T_WFA, sex, day, &l, &m, &s);
    out->weight_kg = round(growth_value_at_z(l, m, s, z[0] + (demo_rng_unit(r) - 0.5) * 0.4) * 10) / 10;
    growth_lms_at(GROWTH_T_LHFA, sex, day, &l, &m, &s);
    out->lenhei_cm = round(growth_value_at_z(l, m, s, z[1] + (demo_rng_unit(r) - 0.5) * 0.4) * 10) / 10;
    growth_lms_at(GROWTH_T_HCFA, sex, day, &l, &m, &s);
    out->headc_cm = round(growth_value_at_z(l, m, s, z[2]) * 10) / 10;
    out->measure = day < 731 ? "l" : "h";
}

const char *const demo_surnames[DEMO_SURNAMES] = {"王", "陈", "林", "黄", "张", "李", "周", "吴", "郑", "潘", "叶", "徐"};

void demo_child_name(struct rng *r, char out[64])
{
    static const char *const given[] = {"子涵", "梓萱", "一诺", "浩宇", "欣怡", "宇轩", "若汐", "俊熙",
                                        "沐阳", "语桐", "思远", "可馨"};
    const char *first = given[demo_rng_int(r, 0, 11)]; /* drawn before the surname */
    snprintf(out, 64, "%s%s", demo_surnames[demo_rng_int(r, 0, DEMO_SURNAMES - 1)], first);
}

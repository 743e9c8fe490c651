/* demo_draw.c — the draws both demonstration generators make (demo.h): the seeded random numbers,
 * a credit code, a class. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/uscc.h"
#include "cli/demo.h"

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

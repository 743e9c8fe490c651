/* demo.h — what the demonstration generators share: `tuoyu demo` makes Ouhai (demo.c), and with
 * --scale province the other districts of Zhejiang too (demo_province.c); both draw with
 * demo_draw.c. Deterministic: the same seed draws the same data on every machine. */
#ifndef TUOYU_CLI_DEMO_H
#define TUOYU_CLI_DEMO_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "registry/registry.h"

/* splitmix64 */
struct rng {
    uint64_t s;
};
int demo_rng_int(struct rng *r, int lo, int hi); /* lo..hi, both included */
double demo_rng_unit(struct rng *r);             /* [0, 1) */
int demo_chance(struct rng *r, int percent);     /* 1 with the given probability in percent */

/* A valid unified social credit code of the region (six-digit division code): a public body's
 * (12…) or a company's (91…). */
void demo_make_uscc(struct rng *r, const char *region, int public_body, char out[19]);
/* Add a class of type t and capacity to in, enrolled 55–100 %, staffed at the demo's ratio (one
 * caregiver short when breach_ratio). */
void demo_add_class(struct institution *in, enum class_type t, int capacity, struct rng *r, int breach_ratio);

/* The province the province-size demonstration data fills (GB/T 2260): Zhejiang. */
#define DEMO_PROVINCE_CODE "330000"

/* The other districts of the province beside home (Ouhai, made by demo.c): their towns, residents,
 * institutions (fraction of the province's 10,000), a district administrator each (password hash
 * hash), and the province's parameters; in the caller's transaction. 0 or -1 with e. */
int demo_province(struct db *db, struct rng *r, const char *home, double fraction, const char *hash,
                  const char *now_ts, struct err *e);

#endif

/* demo.h — what the demonstration generators share: `tuoyu demo` makes Ouhai (demo.c), and with
 * --scale province the other districts of Zhejiang too (demo_province.c); both draw with
 * demo_draw.c. Deterministic: the same seed draws the same data on every machine. */
#ifndef TUOYU_CLI_DEMO_H
#define TUOYU_CLI_DEMO_H

#include <stdint.h>

#include "base/crypt.h"
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

/* The premises figures of the index-th demo institution of its district (保健观察室 and 窗地面积比),
 * drawn from the index alone so the random draws of the rest of the demo stay as they were: most
 * meet premises.health_room_min_m2 and premises.window_area_min_share, about one in twenty misses
 * one, and one in thirty leaves them unrecorded. */
void demo_premises_figures(struct institution *in, int index);

/* The fee catalogue of in (a public body's or not): 保育费 by month at the demo's levels for an
 * inclusive or market institution, 伙食费 by day, 计时托 by hour when it offers it. */
void demo_add_fees(struct institution *in, int public_body, struct rng *r);
/* Common surnames, and a child's name drawn from them. */
#define DEMO_SURNAMES 12
extern const char *const demo_surnames[DEMO_SURNAMES];
void demo_child_name(struct rng *r, char out[64]);
/* A resident ID number (GB 11643) of the region (six digits) for birth (YYYY-MM-DD) with the
 * three-digit sequence (odd for a boy) and its check character. */
void demo_id_number(const char *region, const char *birth, int sequence, char out[19]);
/* A child's name and ID number as the child table keeps them: sealed, masked, and the number's
 * lookup hash. 0, or -1 with e. */
struct demo_child_identity {
    char name_sealed[256], name_masked[64], id_sealed[128], id_lookup[CRYPT_LOOKUP_HEX_LEN], id_masked[24];
};
int demo_seal_child(const struct crypt_key *key, const char *name, const char *id_number, struct demo_child_identity *out,
                    struct err *e);
/* A measurement of a child of sex on its day-th day of life near the z-scores z (weight, length or
 * height, head) it keeps, rounded as a scale reads. */
struct demo_measurement {
    double weight_kg, lenhei_cm, headc_cm;
    const char *measure; /* l lying (under 731 days), h standing */
};
void demo_measure(struct rng *r, int sex, int day, const double z[3], struct demo_measurement *out);

/* The province the province-size demonstration data fills (GB/T 2260): Zhejiang. */
#define DEMO_PROVINCE_CODE "330000"

/* A district of the province demo as its children are drawn (demo_children.c): its towns, its
 * institutions' classes and how many children its register holds. */
struct demo_class {
    int64_t institution_id, class_id;
    enum class_type type;
    int capacity, enrolled;
    const char *town_code;
};
struct demo_district {
    const char *code;
    const char **towns; /* town codes */
    int ntowns;
    const struct demo_class *classes;
    int nclasses;
    int children;
};
/* The district's children (sealed identities, consents, growth measurements), those in care in the
 * classes (as many as each class reports enrolled) with a month of attendance, and a few families
 * (password hash hash) with a booking or an application; in bulk, in the caller's transaction.
 * 0, or -1 with e. */
int demo_children(struct db *db, const struct crypt_key *key, struct rng *r, const struct demo_district *d,
                  const char *hash, const char *today, const char *now_ts, struct err *e);

/* The other districts of the province beside home (Ouhai, made by demo.c): their towns, residents,
 * institutions (fraction of the province's 10,000) and children (the same fraction of its 2
 * million, demo_children), a district administrator each (password hash hash), and the province's
 * parameters; in the caller's transaction. 0 or -1 with e. */
int demo_province(struct db *db, const struct crypt_key *key, struct rng *r, const char *home, double fraction,
                  const char *hash, const char *today, const char *now_ts, struct err *e);

#endif

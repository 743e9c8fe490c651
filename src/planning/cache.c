/* cache.c — the key of a planning result (one text line per input, hashed) and its storage. */
#include "planning/cache.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "planning/store.h"

static void hash_line(crypto_generichash_state *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hash_line(crypto_generichash_state *h, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    crypto_generichash_update(h, (const unsigned char *)buf, (size_t)n);
    crypto_generichash_update(h, (const unsigned char *)"\n", 1);
}

void planning_cache_key(const struct planning_inputs *in, const char *kind, long k, char out[65])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    const struct planning_settings *s = &in->s;
    hash_line(&h, "v1 %s k=%ld net=%" PRId64, kind, k, in->network.id);
    hash_line(&h, "p %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g", s->pp.minutes, s->pp.speed_kmh,
              s->pp.detour_factor, s->pp.max_minutes, s->pp.zone_weight[0], s->pp.zone_weight[1],
              s->pp.zone_weight[2], s->margin_m);
    hash_line(&h, "r %.17g %.17g %.17g %.17g %d", s->rp.district_places_per_1000, s->rp.town_places_per_1000,
              s->rp.new_community_places_per_1000, s->rp.inclusive_share_min, s->rp.kindergarten_min_toddler_classes);
    for (size_t i = 0; i < in->ntowns; i++)
        hash_line(&h, "t %s %s", in->towns[i].code, in->towns[i].name);
    for (size_t i = 0; i < in->ncomm; i++) {
        const struct planning_community *c = &in->comms[i];
        hash_line(&h, "c %" PRId64 " %s %s %.17g %.17g %" PRId64 " %" PRId64 " %d", c->id, c->town, c->name, c->lon,
                  c->lat, c->population, c->children, c->is_new);
    }
    for (size_t i = 0; i < in->ninst; i++) {
        const struct planning_institution *x = &in->insts[i];
        hash_line(&h, "i %" PRId64 " %s %s %.17g %.17g %d %d %s %s %d", x->id, x->town, x->name, x->lon, x->lat,
                  x->places, x->inclusive, x->status, x->operating_model, x->toddler_classes);
    }
    for (size_t i = 0; i < in->ncand; i++) {
        const struct planning_candidate *c = &in->cands[i];
        hash_line(&h, "s %" PRId64 " %s %.17g %.17g %s", c->id, c->name, c->lon, c->lat, c->kind);
    }
    unsigned char d[32];
    crypto_generichash_final(&h, d, sizeof d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

json_t *planning_cache_get(struct db *db, const char *district, const char *kind, const char *key)
{
    struct err e = {0};
    json_t *result = NULL;
    planning_store_result(db, district, kind, key, &result, &e);
    return result;
}

void planning_cache_put(struct db *db, const char *district, const char *kind, const char *key,
                        const char *computed_at, const json_t *result)
{
    struct err e = {0};
    char *text = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(12));
    if (!text)
        return;
    if (db_begin(db, &e) == 0) {
        if (planning_store_result_replace(db, district, kind, key, text, computed_at, &e) < 0 ||
            db_commit(db, &e) < 0)
            db_rollback(db);
    }
    free(text);
}

/* flags.h — growth flags (issue 15 item 10): the children in care whose latest measurement lies
 * beyond the WS/T 423 "下" or "上" cut-off (−2 SD / +2 SD, parameters growth.grade_low_z and
 * growth.grade_high_z) on one of the indicators the engine grades — the health instructor's list
 * of children to look at. The rule (flags.c, pure), the SQL (store.c) and the route
 * (flags_api.c: GET /api/v1/growth-flags). */
#ifndef TUOYU_GROWTH_FLAGS_H
#define TUOYU_GROWTH_FLAGS_H

#include <stdint.h>

#include "auth/auth.h"
#include "base/err.h"
#include "db/db.h"
#include "growth/growth.h"
#include "http/http.h"

/* The indicators a flag can name: length/height-, weight-, BMI- and head circumference-for-age
 * and weight-for-length/height — those WS/T 423 grades. */
#define GROWTH_FLAGS_MAX 5

struct growth_flag {
    enum growth_indicator ind;
    struct growth_z z;
    int grade; /* growth_grade: 1 下 or 5 上 */
};

/* The flags of one measurement m (age in days, as growth_zscores takes it) under the cut-offs
 * cut: each graded indicator whose z-score grades 下 (z < grade_cuts[0]) or 上 (z ≥
 * grade_cuts[3]), in the order wfa, lhfa, wflh, bmifa, hcfa, into out (GROWTH_FLAGS_MAX). The number
 * (0 when none), or -1 with e when the engine rejects the input. */
int growth_flags_of(const struct growth_input *m, const struct growth_cutoffs *cut, struct growth_flag *out,
                    struct err *e);

/* A child in care with its latest measurement, as the store reads it. */
struct growth_flags_row {
    int64_t child_id, family_user_id, institution_id, class_id, measurement_id;
    const char *name_masked, *name_sealed, *institution_name, *class_name, *birth_date, *measured_on;
    struct growth_input m; /* age unset: the caller counts it from birth_date to measured_on */
};

/* Walk the children in care (open placement) within scope (columns i.town_code,
 * p.institution_id), of institution institution_id (0: all), with a child id above after_id, in
 * child id order, each with its latest measurement (by date, then id; children never measured
 * are skipped), calling each(row, ctx) until it answers non-zero. The row's strings live until
 * the next call. 0, or -1 with e. */
int growth_flags_scan(struct db *db, const char *district, const struct authz_scope *scope, int64_t institution_id,
                      int64_t after_id, int (*each)(const struct growth_flags_row *row, void *ctx), void *ctx,
                      struct err *e);

extern const struct route growth_flags_routes[];

#endif

/* rating.h — the quality assessment and star-rating engine (issue 17 item 2, requirements C7,
 * seed 四(二)7): a scheme held as data (dimensions, items with their points or a veto, levels with
 * their thresholds, how experts' scores combine), the experts' sheets combined into one, and the
 * level derived from the scores and vetoes — never typed. Pure: no database, no clock. Points are
 * held in tenths (一分 = 10) so that half points and means are exact integers. */
#ifndef TUOYU_RATING_RATING_H
#define TUOYU_RATING_RATING_H

#include <stdint.h>

#include "base/err.h"

#define RATING_MAX_DIMENSIONS 16
#define RATING_MAX_ITEMS 200
#define RATING_MAX_LEVELS 8
#define RATING_MAX_EXPERTS 15

/* What an item asks: points from 0 to its maximum, or a baseline requirement met or not
 * (一票否决: not met caps the level, whatever the points). */
enum rating_item_kind { RATING_POINTS, RATING_VETO };

/* How the experts' points for one item become the institution's: their mean, or their mean
 * without the highest and the lowest once enough experts scored (trim_from). */
enum rating_combine { RATING_MEAN, RATING_TRIMMED_MEAN };

struct rating_item {
    int dimension;              /* index into the scheme's dimensions */
    enum rating_item_kind kind;
    int max_tenths;             /* RATING_POINTS: the item's full points; RATING_VETO: 0 */
};

struct rating_level {
    int min_tenths; /* the total at or above which the level is reached (a tie reaches it) */
};

struct rating_scheme {
    int ndimensions;
    int nitems;
    struct rating_item items[RATING_MAX_ITEMS];
    int nlevels;                                  /* best level first, thresholds descending */
    struct rating_level levels[RATING_MAX_LEVELS];
    int veto_cap;                                 /* a failed veto caps the result at this level
                                                   * index; nlevels: no level at all */
    enum rating_combine combine;
    int trim_from;                                /* RATING_TRIMMED_MEAN: experts needed to trim */
};

/* One sheet: an expert's, the institution's self-assessment, or the combined result. */
#define RATING_UNSCORED (-1)
#define RATING_MET 1
#define RATING_NOT_MET 0
struct rating_sheet {
    int score[RATING_MAX_ITEMS]; /* RATING_POINTS: tenths 0…max; RATING_VETO: RATING_MET or
                                  * RATING_NOT_MET; RATING_UNSCORED when not given */
};

/* The assessment's result. */
#define RATING_NO_LEVEL (-1)
struct rating_result {
    int total_tenths;
    int dimension_tenths[RATING_MAX_DIMENSIONS];
    int max_tenths;                               /* the scheme's full points */
    int points_level;                             /* the level the points alone reach, or
                                                   * RATING_NO_LEVEL below the lowest threshold */
    int level;                                    /* after the vetoes; RATING_NO_LEVEL when none */
    int nvetoes_failed;
    int vetoes_failed[RATING_MAX_ITEMS];          /* item indices, in scheme order */
};

/* 0 when the scheme is coherent: items in known dimensions with positive points (vetoes none),
 * at least one level, thresholds strictly descending and within the full points, veto_cap
 * within 0…nlevels, trim_from ≥ 3 for a trimmed mean. -1 with e (422 bad_scheme, the field)
 * otherwise — a scheme editor's error. */
int rating_scheme_check(const struct rating_scheme *s, struct err *e);

/* 0 when every item of the sheet is scored within its range; -1 with e otherwise: 422
 * item_unscored / score_above_max / score_negative / bad_veto, field "items[i]". When partial is
 * set an unscored item is allowed (a draft being filled in). */
int rating_sheet_check(const struct rating_scheme *s, const struct rating_sheet *sheet, int partial, struct err *e);

/* Combine n (1…RATING_MAX_EXPERTS) complete experts' sheets into out: points by the scheme's
 * combine rule, rounded half up to a tenth; a veto is not met when any expert found it not met (a
 * baseline requirement one expert saw unmet is not met). -1 with e on a bad count or sheet. */
int rating_combine_sheets(const struct rating_scheme *s, const struct rating_sheet *sheets, int n,
                          struct rating_sheet *out, struct err *e);

/* Judge a complete sheet: totals per dimension and overall, the level the points reach and the
 * level after the vetoes. -1 with e when the sheet is incomplete or out of range. */
int rating_judge(const struct rating_scheme *s, const struct rating_sheet *sheet, struct rating_result *out,
                 struct err *e);

#endif

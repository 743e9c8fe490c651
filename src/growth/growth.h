/* growth.h — the child growth engine: WHO z-scores, percentiles, flags and classes.
 *
 * Pure C over the WHO LMS tables compiled into the program (who_tables.c, generated from
 * data/who-growth/ by tools/gen_who_tables.sh). No I/O, no globals except those const tables,
 * thread-safe. The rules reproduce WHO's own R packages exactly:
 *   - growth_zscores():      anthro::anthro_zscores (anthro 1.1), WHO Child Growth Standards
 *                            2006, 0-5 years, eight indicators;
 *   - growth_zscores_2007(): anthroplus::anthroplus_zscores, WHO Growth Reference 2007,
 *                            60-228 months (weight-for-age to 120 months), as anthroplus
 *                            >= 1.0.0 (0.9.0 started at 61 months).
 * The rules, point by point, are written in data/who-growth/README.md ("How tuoyu applies
 * these tables"). Classification cut-offs are policy parameters the caller passes in.
 */
#ifndef TUOYU_GROWTH_H
#define TUOYU_GROWTH_H

#include <stddef.h>

#include "base/err.h"

/* Days per month used by WHO to convert an age in months to days. */
#define GROWTH_DAYS_PER_MONTH 30.4375
/* The WHO 2007 reference applies from this age in months (anthroplus >= 1.0.0; 0.9.0 started at
 * 61); the 2006 standards end below it. */
#define GROWTH07_FROM_MONTHS 60.0

enum { GROWTH_SEX_MISSING = 0, GROWTH_SEX_MALE = 1, GROWTH_SEX_FEMALE = 2 };

/* The WHO LMS tables, one per indicator and reference. Keys: age in days (2006 age-based),
 * length/height in cm on a 0.1 cm grid (WFL 45-110, WFH 65-120), age in months (2007). */
enum growth_table_id {
    GROWTH_T_WFA,   /* weight-for-age, days 0-1826 */
    GROWTH_T_LHFA,  /* length/height-for-age, days 0-1826 */
    GROWTH_T_WFL,   /* weight-for-length, 45.0-110.0 cm */
    GROWTH_T_WFH,   /* weight-for-height, 65.0-120.0 cm */
    GROWTH_T_BMIFA, /* BMI-for-age, days 0-1826 */
    GROWTH_T_HCFA,  /* head circumference-for-age, days 0-1826 */
    GROWTH_T_ACFA,  /* arm circumference-for-age, days 91-1826 */
    GROWTH_T_TSFA,  /* triceps skinfold-for-age, days 91-1826 */
    GROWTH_T_SSFA,  /* subscapular skinfold-for-age, days 91-1826 */
    GROWTH_T_WFA07, /* 2007 weight-for-age, months 60-121 */
    GROWTH_T_HFA07, /* 2007 height-for-age, months 60-229 */
    GROWTH_T_BFA07, /* 2007 BMI-for-age, months 60-229 */
    GROWTH_TABLE_COUNT
};

/* The z-scores of growth_zscores(), in the order of anthro's output columns. */
enum growth_indicator {
    GROWTH_LEN, /* zlen: length/height-for-age */
    GROWTH_WEI, /* zwei: weight-for-age */
    GROWTH_WFL, /* zwfl: weight-for-length or weight-for-height */
    GROWTH_BMI, /* zbmi: BMI-for-age */
    GROWTH_HC,  /* zhc: head circumference-for-age */
    GROWTH_AC,  /* zac: arm circumference-for-age */
    GROWTH_TS,  /* zts: triceps skinfold-for-age */
    GROWTH_SS,  /* zss: subscapular skinfold-for-age */
    GROWTH_N2006
};

/* The z-scores of growth_zscores_2007(), in the order of the CLI's output columns. */
enum growth_indicator_2007 {
    GROWTH07_HFA, /* zhfa: height-for-age */
    GROWTH07_WFA, /* zwfa: weight-for-age */
    GROWTH07_BFA, /* zbfa: BMI-for-age */
    GROWTH_N2007
};

/* One measurement, WHO 2006 standards (the arguments of anthro_zscores). A missing number
 * is NAN. */
struct growth_input {
    int sex;            /* GROWTH_SEX_MALE, GROWTH_SEX_FEMALE or GROWTH_SEX_MISSING */
    double age;         /* in days, or in months when age_in_months; NAN when unknown */
    int age_in_months;  /* 1: age is in months (converted with 30.4375 days per month) */
    double weight_kg;
    double lenhei_cm;   /* recumbent length or standing height as measured */
    char measure;       /* 'l' recumbent length, 'h' standing height (either case), 0 unknown */
    double headc_cm;
    double armc_cm;
    double triskin_mm;
    double subskin_mm;
    int oedema;         /* 1 bilateral pitting oedema, 0 none or unknown */
};

/* One indicator's result. */
struct growth_z {
    double z;     /* z-score rounded to 2 decimals exactly as WHO's R packages round it;
                     NAN when not computed (may be +-INFINITY where anthro gives Inf) */
    double z_raw; /* the same z before rounding (restricted beyond +-3 SD where WHO restricts);
                     NAN when not computed */
    int flag;     /* 1 implausible (WHO flag on the rounded z), 0 plausible, -1 when z is NAN */
    double pct;   /* percentile 100*Phi(z_raw); NAN when not computed */
};

struct growth_result {
    int age_days;       /* age in days rounded half up; -1 when unknown */
    double age_months;  /* unrounded age in months; NAN when unknown */
    double clenhei;     /* length/height after the 0.7 cm correction; NAN when none */
    char cmeasure;      /* 'l', 'h' or 0 (unknown, or standing height below 9 months) */
    int c9mo_flag;      /* 1 when standing height was measured below 9 months */
    double cbmi;        /* weight / (clenhei in m)^2; NAN when either is missing */
    struct growth_z ind[GROWTH_N2006];
};

/* One measurement, WHO 2007 reference (the arguments of anthroplus_zscores). */
struct growth07_input {
    int sex;            /* GROWTH_SEX_* */
    double age_months;  /* fractional months allowed; NAN when unknown */
    double height_cm;
    double weight_kg;
    int oedema;
};

struct growth07_result {
    double cbmi;
    struct growth_z ind[GROWTH_N2007];
};

/* Compute every WHO 2006 indicator for one measurement, as anthro_zscores does.
 * Returns 0, or -1 and fills e for input anthro rejects outright: sex not 0/1/2 ("bad_sex"),
 * negative or infinite age ("bad_age"), measure not l/h/0 ("bad_measure"). Everything anthro
 * accepts gives 0, with NAN z-scores where anthro gives NA. */
int growth_zscores(const struct growth_input *in, struct growth_result *out, struct err *e);

/* Compute the WHO 2007 indicators for one measurement, as anthroplus_zscores does.
 * Returns -1 ("bad_sex", "bad_age", "bad_height", "bad_weight") for values anthroplus
 * rejects: sex not 0/1/2, negative age, height or weight. */
int growth_zscores_2007(const struct growth07_input *in, struct growth07_result *out, struct err *e);

/* Round to 2 decimals exactly as R (>= 4.0) round(x, 2) does: the nearer of the two
 * 2-decimal neighbours computed in double precision, ties to even. -0 becomes 0. */
double growth_round2(double x);

/* 100 * Phi(z), the standard normal distribution function in percent. NAN stays NAN. */
double growth_percentile(double z);

/* ---- reference curves (charts) ---- */

/* L, M and S of table t for sex at key x (day, cm or month as the table is keyed), linearly
 * interpolated between neighbouring rows when x is not on a row. Returns 0, or -1 when x is
 * outside the table or sex is not 1/2. */
int growth_lms_at(enum growth_table_id t, int sex, double x, double *l, double *m, double *s);

/* The measurement at z-score z for given L, M, S: M * (1 + L*S*z)^(1/L). */
double growth_value_at_z(double l, double m, double s, double z);

/* First and last key of table t (days, cm or months). */
void growth_table_range(enum growth_table_id t, double *first, double *last);

/* Name of table t as in data/who-growth ("wfa", "lhfa", ..., "bfa2007"). */
const char *growth_table_name(enum growth_table_id t);
/* Unit of table t's key: "day", "cm" or "month"; "" when t is out of range. */
const char *growth_table_unit(enum growth_table_id t);
/* The API's key of a 2006 indicator: "lhfa", "wfa", "wflh", "bmifa", "hcfa", "acfa", "tsfa",
 * "ssfa"; "" when out of range. */
const char *growth_indicator_key(enum growth_indicator ind);
/* The API's key of a 2007 indicator: "hfa", "wfa", "bfa"; "" when out of range. */
const char *growth_indicator07_key(enum growth_indicator_2007 ind);
/* The table named name (growth_table_name), or -1 when there is none. */
int growth_table_by_name(const char *name);

struct growth_curve_point {
    double x;      /* key: age in days, length/height in cm, or age in months */
    double sd[7];  /* measurement at -3, -2, -1, 0, +1, +2, +3 SD (sd[3] is the median) */
};

/* Reference curves of table t for sex from x_from to x_to (inclusive, clipped to the table)
 * every x_step. Writes at most cap points to out and their number to *n.
 * Returns 0, or -1 with e filled ("bad_sex", "bad_range" when the range is empty, the step
 * is not positive, or more than cap points would be needed). */
int growth_curve(enum growth_table_id t, int sex, double x_from, double x_to, double x_step,
                 struct growth_curve_point *out, size_t cap, size_t *n, struct err *e);

/* ---- classification (cut-offs are policy parameters; see growth_cutoffs_default) ---- */

struct growth_cutoffs {
    double low_below;          /* underweight / stunting / wasting / thinness: z < this (-2) */
    double severe_below;       /* severe form: z < this (-3) */
    double overweight_above;   /* 0-5 years, WFL/WFH and BMI: overweight when z > this (+2) */
    double obese_above;        /* 0-5 years: obesity when z > this (+3) */
    double overweight07_above; /* 5-19 years (2007 BMI-for-age): overweight when z > this (+1) */
    double obese07_above;      /* 5-19 years: obesity when z > this (+2) */
    double grade_cuts[4];      /* WS/T 423-2022 five grades by SD: -2, -1, +1, +2 */
};

/* The defaults: WHO classification and WS/T 423-2022 grading (the parameter seeds). */
void growth_cutoffs_default(struct growth_cutoffs *c);

enum growth_class {
    GROWTH_CLASS_NONE = 0,    /* no z-score, or an indicator WHO does not classify */
    GROWTH_CLASS_NORMAL,
    GROWTH_CLASS_LOW,         /* underweight / stunting / wasting / thinness */
    GROWTH_CLASS_SEVERE_LOW,  /* severe ... */
    GROWTH_CLASS_OVERWEIGHT,
    GROWTH_CLASS_OBESE
};

/* WHO class of a (rounded) z-score of a 2006 indicator: weight-for-age (underweight),
 * length/height (stunting), WFL/WFH (wasting, overweight, obesity), BMI (thinness,
 * overweight, obesity). Head, arm and skinfolds give GROWTH_CLASS_NONE. Boundaries: LOW when
 * z < low_below, SEVERE_LOW when z < severe_below, OVERWEIGHT when z > overweight_above,
 * OBESE when z > obese_above. */
enum growth_class growth_classify(enum growth_indicator ind, double z, const struct growth_cutoffs *c);
/* Same for the 2007 indicators (BMI: thinness, overweight, obesity with the 5-19 cut-offs). */
enum growth_class growth_classify_2007(enum growth_indicator_2007 ind, double z,
                                       const struct growth_cutoffs *c);
/* Stable ASCII code of a class for ind: "underweight", "severe_underweight", "stunting",
 * "severe_stunting", "wasting", "severe_wasting", "thinness", "severe_thinness",
 * "overweight", "obesity", "normal"; "" for GROWTH_CLASS_NONE. */
const char *growth_class_code(enum growth_indicator ind, enum growth_class cls);
const char *growth_class_code_2007(enum growth_indicator_2007 ind, enum growth_class cls);

/* WS/T 423-2022 five grades by SD: 1 下 (z < cut0), 2 中下 (cut0 <= z < cut1), 3 中
 * (cut1 <= z < cut2), 4 中上 (cut2 <= z < cut3), 5 上 (z >= cut3); 0 when z is NAN. */
int growth_grade(double z, const struct growth_cutoffs *c);
/* "下", "中下", "中", "中上", "上" for grades 1-5; "" otherwise. */
const char *growth_grade_name(int grade);

#endif

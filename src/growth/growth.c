/* growth.c — WHO z-scores exactly as WHO's R packages compute them (anthro 1.1 for the 2006
 * standards, anthroplus for the 2007 reference): age rounding, the 0.7 cm length/height
 * correction, the standing-below-9-months rule, the weight-for-length/height choice, LMS
 * interpolation, the restricted z-score beyond +-3 SD, oedema, validity ranges, rounding and
 * flags. Every double operation follows the order of the R code so results agree to the bit
 * wherever the C library agrees with R's. Pure computation, no I/O, no mutable globals. */
#include "growth/growth.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "growth/tables.h"

/* Validity limits of WHO's software (these define agreement with anthro / anthroplus; they
 * are method constants, not policy). */
#define AGE_MAX_DAYS 1856          /* allowed_age_range upper bound in anthro */
#define AGE_MIN_DAYS_SKIN 91       /* arm circumference and skinfolds start at 3 months */
#define AGE_LIMIT_MONTHS 60.0      /* z-scores only when unrounded age in months < 60 */
#define HEIGHT_FROM_DAYS 731       /* below: length-based; from: height-based */
#define LENHEI_CORRECTION 0.7      /* cm between recumbent length and standing height */
#define STANDING_MIN_MONTHS 9.0    /* standing height below this age is implausible */
#define WFL_MIN 45.0
#define WFL_MAX 110.0
#define WFH_MIN 65.0
#define WFH_MAX 120.0
#define WFL_BY_LENGTH_BELOW 87.0   /* no age, no position: length table below 87 cm */
#define REF07_MAX_MONTHS 228.0
#define REF07_WFA_MAX_MONTHS 120.0

/* ---------------------------------------------------------------- numeric helpers */

double growth_round2(double x)
{
    /* R's fround() for digits = 2 (R >= 4.0.0): candidates xd = floor(100x)/100 and
     * xu = ceil(100x)/100, the nearer one wins (compared in double), a tie goes to the even
     * last digit. */
    if (isnan(x) || isinf(x) || x == 0.0)
        return x == 0.0 ? 0.0 : x;
    double sgn = 1.0;
    if (x < 0.0) {
        sgn = -1.0;
        x = -x;
    }
    if (x >= 1e13) /* R: log10(x) + digits > DBL_DIG, no rounding needed */
        return sgn * x;
    double x10 = 100.0 * x, i10 = floor(x10);
    double xd = i10 / 100.0, xu = ceil(x10) / 100.0;
    double du = xu - x, dd = x - xd;
    double r = (du < dd || (du == dd && fmod(i10, 2.0) == 1.0)) ? xu : xd;
    r *= sgn;
    return r == 0.0 ? 0.0 : r;
}

double growth_percentile(double z)
{
    if (isnan(z))
        return NAN;
    return 100.0 * 0.5 * erfc(-z / M_SQRT2);
}

/* R's round_up(): < .5 down, >= .5 up, for x >= 0. */
static double round_up(double x)
{
    double f = floor(x);
    return (x - f >= 0.5) ? f + 1.0 : f;
}

/* anthro compute_zscore(): ((y / m)^l - 1) / (s * l) */
static double zscore_plain(double y, double m, double l, double s)
{
    return (pow(y / m, l) - 1.0) / (s * l);
}

static double sd_value(double m, double l, double s, double sd)
{
    return m * pow(1.0 + l * s * sd, 1.0 / l);
}

/* anthro compute_zscore_adjusted(): beyond +-3 SD the z-score is extrapolated linearly with
 * the distance between the 2 and 3 SD curves on that side. */
static double zscore_restricted(double y, double m, double l, double s)
{
    double z = zscore_plain(y, m, l, s);
    if (isnan(z))
        return z;
    if (z > 3.0) {
        double sd3pos = sd_value(m, l, s, 3.0);
        double sd23pos = sd3pos - sd_value(m, l, s, 2.0);
        z = 3.0 + ((y - sd3pos) / sd23pos);
    } else if (z < -3.0) {
        double sd3neg = sd_value(m, l, s, -3.0);
        double sd23neg = sd_value(m, l, s, -2.0) - sd3neg;
        z = -3.0 + ((y - sd3neg) / sd23neg);
    }
    return z;
}

static const struct growth_lms *table_row(enum growth_table_id t, int sex, long key)
{
    const struct growth_table *tab = &growth_tables[t];
    if (sex != 1 && sex != 2)
        return NULL;
    long i = key - tab->first_key;
    if (i < 0 || i >= tab->count)
        return NULL;
    return &tab->rows[sex - 1][i];
}

/* The LMS values the fraction frac of the way from row lo to the next row up (lo's own when frac
 * is 0): 0, or -1 when lo, or up with frac > 0, is missing. */
static int lms_between(const struct growth_lms *lo, const struct growth_lms *up, double frac, struct growth_lms *out)
{
    if (!lo || (frac > 0.0 && !up))
        return -1;
    if (frac > 0.0)
        *out = (struct growth_lms){lo->l + frac * (up->l - lo->l), lo->m + frac * (up->m - lo->m),
                                   lo->s + frac * (up->s - lo->s)};
    else
        *out = *lo;
    return 0;
}

static void z_set(struct growth_z *g, double z_raw, int valid, double flag_low, double flag_high)
{
    /* anthro: z is rounded, then set to NA where not valid; the flag is computed on the
     * rounded z (NA when z is NA). NaN counts as NA. */
    if (!valid || isnan(z_raw)) {
        g->z = g->z_raw = g->pct = NAN;
        g->flag = -1;
        return;
    }
    g->z_raw = z_raw;
    g->z = growth_round2(z_raw);
    g->flag = (g->z < flag_low || g->z > flag_high) ? 1 : 0;
    g->pct = growth_percentile(z_raw);
}

static void z_none(struct growth_z *g)
{
    z_set(g, NAN, 0, 0, 0);
}

/* anthro_zscore_adjusted() for the age-based indicators. */
static void age_indicator(struct growth_z *g, enum growth_table_id t, int restricted,
                          double y, const struct growth_result *r, int sex, int min_day,
                          int zscore_is_valid, double flag_low, double flag_high)
{
    int valid = r->age_days >= 0 && r->age_days >= min_day && r->age_days <= AGE_MAX_DAYS &&
                zscore_is_valid && r->age_months < AGE_LIMIT_MONTHS;
    const struct growth_lms *row = valid ? table_row(t, sex, r->age_days) : NULL;
    if (!row || !(y > 0.0)) { /* measure <= 0 is NA in anthro */
        z_none(g);
        return;
    }
    double z = restricted ? zscore_restricted(y, row->m, row->l, row->s)
                          : zscore_plain(y, row->m, row->l, row->s);
    z_set(g, z, 1, flag_low, flag_high);
}

/* anthro_zscore_weight_for_lenhei(). */
static void wfl_indicator(struct growth_z *g, const struct growth_input *in,
                          const struct growth_result *r, int sex)
{
    double lenhei = r->clenhei;
    int join = 0; /* 'l', 'h' or 0 */
    if (r->age_days >= 0)
        join = r->age_days < HEIGHT_FROM_DAYS ? 'l' : 'h';
    else if (r->cmeasure)
        join = r->cmeasure;
    else if (!isnan(lenhei))
        join = lenhei < WFL_BY_LENGTH_BELOW ? 'l' : 'h';

    int valid = !isnan(lenhei) &&
                ((join == 'l' && lenhei >= WFL_MIN && lenhei <= WFL_MAX) ||
                 (join == 'h' && lenhei >= WFH_MIN && lenhei <= WFH_MAX));
    valid = valid && !in->oedema && (r->age_days < 0 || r->age_days <= AGE_MAX_DAYS);
    /* age_in_months < 60: NA (no age) keeps the z-score in R */
    valid = valid && !(!isnan(r->age_months) && !(r->age_months < AGE_LIMIT_MONTHS));
    if (!valid || (sex != 1 && sex != 2)) {
        z_none(g);
        return;
    }
    enum growth_table_id t = join == 'l' ? GROWTH_T_WFL : GROWTH_T_WFH;
    /* interpolation on the 0.1 cm grid, as anthro computes it */
    double low_k = trunc(lenhei * 10.0), upp_k = trunc(lenhei * 10.0 + 1.0);
    double low = low_k / 10.0;
    double diff = (lenhei - low) / 0.1;
    struct growth_lms v;
    if (lms_between(table_row(t, sex, (long)low_k), table_row(t, sex, (long)upp_k), diff, &v) < 0) {
        z_none(g);
        return;
    }
    z_set(g, zscore_restricted(in->weight_kg, v.m, v.l, v.s), 1, -5.0, 5.0);
}

int growth_zscores(const struct growth_input *in, struct growth_result *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < GROWTH_N2006; i++)
        z_none(&out->ind[i]);
    out->age_days = -1;
    out->age_months = out->clenhei = out->cbmi = NAN;

    int sex = in->sex;
    if (sex != GROWTH_SEX_MISSING && sex != GROWTH_SEX_MALE && sex != GROWTH_SEX_FEMALE)
        return err_set(e, 422, "bad_sex", "sex", "性别应为 1/m（男）或 2/f（女）");
    if (!isnan(in->age) && (in->age < 0 || isinf(in->age)))
        return err_set(e, 422, "bad_age", "age", "年龄不能为负数");
    char measure = in->measure;
    if (measure == 'L')
        measure = 'l';
    else if (measure == 'H')
        measure = 'h';
    if (measure != 0 && measure != 'l' && measure != 'h')
        return err_set(e, 422, "bad_measure", "measure", "测量方式应为 l（卧位身长）或 h（立位身高）");

    /* age: days rounded half up (months x 30.4375 first); months unrounded */
    if (!isnan(in->age)) {
        double days = round_up(in->age_in_months ? in->age * GROWTH_DAYS_PER_MONTH : in->age);
        out->age_days = days > INT_MAX ? -1 : (int)days; /* as.integer() overflow gives NA */
        out->age_months = in->age_in_months ? in->age : in->age / GROWTH_DAYS_PER_MONTH;
    }

    /* standing height below 9 months: position set to unknown, c9mo_flag raised */
    if (measure == 'h' && !isnan(out->age_months) && out->age_months < STANDING_MIN_MONTHS) {
        measure = 0;
        out->c9mo_flag = 1;
    }
    out->cmeasure = measure;

    /* 0.7 cm correction: standing below 731 days +0.7, lying from 731 days -0.7 */
    double lenhei = in->lenhei_cm;
    if (out->age_days >= 0 && out->age_days < HEIGHT_FROM_DAYS && measure == 'h')
        lenhei = lenhei + LENHEI_CORRECTION;
    else if (out->age_days >= HEIGHT_FROM_DAYS && measure == 'l')
        lenhei = lenhei - LENHEI_CORRECTION;
    out->clenhei = lenhei;
    double c = lenhei / 100.0;
    out->cbmi = in->weight_kg / (c * c);

    if (sex == GROWTH_SEX_MISSING)
        return 0; /* anthro computes no z-score without sex */

    int oedema = in->oedema != 0;
    age_indicator(&out->ind[GROWTH_LEN], GROWTH_T_LHFA, 0, lenhei, out, sex, 0, 1, -6.0, 6.0);
    age_indicator(&out->ind[GROWTH_WEI], GROWTH_T_WFA, 1, in->weight_kg, out, sex, 0, !oedema, -6.0, 5.0);
    wfl_indicator(&out->ind[GROWTH_WFL], in, out, sex);
    age_indicator(&out->ind[GROWTH_BMI], GROWTH_T_BMIFA, 1, out->cbmi, out, sex, 0, !oedema, -5.0, 5.0);
    age_indicator(&out->ind[GROWTH_HC], GROWTH_T_HCFA, 0, in->headc_cm, out, sex, 0, 1, -5.0, 5.0);
    age_indicator(&out->ind[GROWTH_AC], GROWTH_T_ACFA, 1, in->armc_cm, out, sex, AGE_MIN_DAYS_SKIN, 1, -5.0, 5.0);
    age_indicator(&out->ind[GROWTH_TS], GROWTH_T_TSFA, 1, in->triskin_mm, out, sex, AGE_MIN_DAYS_SKIN, 1, -5.0, 5.0);
    age_indicator(&out->ind[GROWTH_SS], GROWTH_T_SSFA, 1, in->subskin_mm, out, sex, AGE_MIN_DAYS_SKIN, 1, -5.0, 5.0);
    return 0;
}

/* anthroplus zscore_indicator(): L, M, S interpolated between whole months. */
static void ref07_indicator(struct growth_z *g, enum growth_table_id t, int restricted, double y,
                            int sex, double age, double age_max, double flag_low, double flag_high)
{
    if (isnan(age) || !(age >= GROWTH07_FROM_MONTHS && age <= age_max) || (sex != 1 && sex != 2)) {
        z_none(g);
        return;
    }
    double low_age = trunc(age), upp_age = trunc(age + 1.0);
    double diff = age - low_age;
    struct growth_lms v;
    if (lms_between(table_row(t, sex, (long)low_age), table_row(t, sex, (long)upp_age), diff, &v) < 0) {
        z_none(g);
        return;
    }
    double z = restricted ? zscore_restricted(y, v.m, v.l, v.s) : zscore_plain(y, v.m, v.l, v.s);
    z_set(g, z, 1, flag_low, flag_high);
}

int growth_zscores_2007(const struct growth07_input *in, struct growth07_result *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < GROWTH_N2007; i++)
        z_none(&out->ind[i]);
    out->cbmi = NAN;
    if (in->sex != GROWTH_SEX_MISSING && in->sex != GROWTH_SEX_MALE && in->sex != GROWTH_SEX_FEMALE)
        return err_set(e, 422, "bad_sex", "sex", "性别应为 1/m（男）或 2/f（女）");
    if (in->age_months < 0 || isinf(in->age_months))
        return err_set(e, 422, "bad_age", "age_months", "年龄不能为负数");
    if (in->height_cm < 0 || isinf(in->height_cm))
        return err_set(e, 422, "bad_height", "height_cm", "身高不能为负数");
    if (in->weight_kg < 0 || isinf(in->weight_kg))
        return err_set(e, 422, "bad_weight", "weight_kg", "体重不能为负数");

    double c = in->height_cm / 100.0;
    out->cbmi = in->weight_kg / (c * c);
    if (in->sex == GROWTH_SEX_MISSING)
        return 0;
    double weight = in->oedema ? NAN : in->weight_kg;
    double bmi = in->oedema ? NAN : out->cbmi;
    ref07_indicator(&out->ind[GROWTH07_HFA], GROWTH_T_HFA07, 0, in->height_cm, in->sex,
                    in->age_months, REF07_MAX_MONTHS, -6.0, 6.0);
    ref07_indicator(&out->ind[GROWTH07_WFA], GROWTH_T_WFA07, 1, weight, in->sex, in->age_months,
                    REF07_WFA_MAX_MONTHS, -6.0, 5.0);
    ref07_indicator(&out->ind[GROWTH07_BFA], GROWTH_T_BFA07, 1, bmi, in->sex, in->age_months,
                    REF07_MAX_MONTHS, -5.0, 5.0);
    return 0;
}

/* ---------------------------------------------------------------- reference curves */

static double key_scale(enum growth_table_id t)
{
    return growth_tables[t].unit == GROWTH_KEY_TENTH_CM ? 10.0 : 1.0;
}

void growth_table_range(enum growth_table_id t, double *first, double *last)
{
    const struct growth_table *tab = &growth_tables[t];
    *first = tab->first_key / key_scale(t);
    *last = (tab->first_key + tab->count - 1) / key_scale(t);
}

const char *growth_table_name(enum growth_table_id t)
{
    return (unsigned)t < GROWTH_TABLE_COUNT ? growth_tables[t].name : "";
}

const char *growth_table_unit(enum growth_table_id t)
{
    static const char *const units[] = {[GROWTH_KEY_DAY] = "day", [GROWTH_KEY_TENTH_CM] = "cm",
                                        [GROWTH_KEY_MONTH] = "month"};
    return (unsigned)t < GROWTH_TABLE_COUNT ? units[growth_tables[t].unit] : "";
}

const char *growth_indicator_key(enum growth_indicator ind)
{
    static const char *const keys[GROWTH_N2006] = {"lhfa", "wfa", "wflh", "bmifa", "hcfa", "acfa", "tsfa", "ssfa"};
    return (unsigned)ind < GROWTH_N2006 ? keys[ind] : "";
}

const char *growth_indicator07_key(enum growth_indicator_2007 ind)
{
    static const char *const keys[GROWTH_N2007] = {"hfa", "wfa", "bfa"};
    return (unsigned)ind < GROWTH_N2007 ? keys[ind] : "";
}

int growth_table_by_name(const char *name)
{
    for (int t = 0; name && t < GROWTH_TABLE_COUNT; t++)
        if (strcmp(growth_tables[t].name, name) == 0)
            return t;
    return -1;
}

int growth_lms_at(enum growth_table_id t, int sex, double x, double *l, double *m, double *s)
{
    if ((unsigned)t >= GROWTH_TABLE_COUNT || (sex != 1 && sex != 2) || isnan(x))
        return -1;
    double first, last;
    growth_table_range(t, &first, &last);
    if (x < first || x > last)
        return -1;
    double k = x * key_scale(t);
    double lo_k = floor(k + 1e-9);   /* tolerate 65.3*10 = 652.9999... */
    double frac = k - lo_k;
    if (frac < 1e-9)
        frac = 0.0;
    const struct growth_lms *up = table_row(t, sex, (long)lo_k + 1); /* past the last row: the last row's */
    struct growth_lms v;
    if (lms_between(table_row(t, sex, (long)lo_k), up, up ? frac : 0.0, &v) < 0)
        return -1;
    *l = v.l;
    *m = v.m;
    *s = v.s;
    return 0;
}

double growth_value_at_z(double l, double m, double s, double z)
{
    return sd_value(m, l, s, z);
}

int growth_curve(enum growth_table_id t, int sex, double x_from, double x_to, double x_step,
                 struct growth_curve_point *out, size_t cap, size_t *n, struct err *e)
{
    *n = 0;
    if ((unsigned)t >= GROWTH_TABLE_COUNT)
        return err_set(e, 400, "bad_table", "indicator", "未知的生长指标");
    if (sex != 1 && sex != 2)
        return err_set(e, 400, "bad_sex", "sex", "性别应为 1（男）或 2（女）");
    double first, last;
    growth_table_range(t, &first, &last);
    if (isnan(x_from) || isnan(x_to) || !(x_step > 0))
        return err_set(e, 400, "bad_range", "x", "曲线范围无效");
    if (x_from < first)
        x_from = first;
    if (x_to > last)
        x_to = last;
    if (x_from > x_to)
        return err_set(e, 400, "bad_range", "x", "曲线范围超出标准表");
    double count = floor((x_to - x_from) / x_step + 1e-9) + 1;
    if (count > (double)cap)
        return err_set(e, 400, "bad_range", "x", "曲线点数过多（最多 %zu 个）", cap);
    for (size_t i = 0; i < (size_t)count; i++) {
        double x = x_from + (double)i * x_step, l, m, s;
        if (x > x_to)
            x = x_to;
        if (growth_lms_at(t, sex, x, &l, &m, &s) < 0)
            continue;
        struct growth_curve_point *p = &out[(*n)++];
        p->x = x;
        for (int k = 0; k < 7; k++)
            p->sd[k] = sd_value(m, l, s, (double)(k - 3));
    }
    return 0;
}

/* ---------------------------------------------------------------- classification */

void growth_cutoffs_default(struct growth_cutoffs *c)
{
    c->low_below = -2.0;
    c->severe_below = -3.0;
    c->overweight_above = 2.0;
    c->obese_above = 3.0;
    c->overweight07_above = 1.0;
    c->obese07_above = 2.0;
    c->grade_cuts[0] = -2.0;
    c->grade_cuts[1] = -1.0;
    c->grade_cuts[2] = 1.0;
    c->grade_cuts[3] = 2.0;
}

static enum growth_class classify(double z, int low, int high, double over, double obese,
                                  const struct growth_cutoffs *c)
{
    if (isnan(z))
        return GROWTH_CLASS_NONE;
    if (low && z < c->severe_below)
        return GROWTH_CLASS_SEVERE_LOW;
    if (low && z < c->low_below)
        return GROWTH_CLASS_LOW;
    if (high && z > obese)
        return GROWTH_CLASS_OBESE;
    if (high && z > over)
        return GROWTH_CLASS_OVERWEIGHT;
    return GROWTH_CLASS_NORMAL;
}

enum growth_class growth_classify(enum growth_indicator ind, double z, const struct growth_cutoffs *c)
{
    switch (ind) {
    case GROWTH_WEI:
    case GROWTH_LEN:
        return classify(z, 1, 0, 0, 0, c);
    case GROWTH_WFL:
    case GROWTH_BMI:
        return classify(z, 1, 1, c->overweight_above, c->obese_above, c);
    default:
        return GROWTH_CLASS_NONE;
    }
}

enum growth_class growth_classify_2007(enum growth_indicator_2007 ind, double z,
                                       const struct growth_cutoffs *c)
{
    switch (ind) {
    case GROWTH07_WFA:
    case GROWTH07_HFA:
        return classify(z, 1, 0, 0, 0, c);
    case GROWTH07_BFA:
        return classify(z, 1, 1, c->overweight07_above, c->obese07_above, c);
    default:
        return GROWTH_CLASS_NONE;
    }
}

static const char *class_code(const char *low, const char *severe, enum growth_class cls)
{
    switch (cls) {
    case GROWTH_CLASS_NORMAL: return "normal";
    case GROWTH_CLASS_LOW: return low;
    case GROWTH_CLASS_SEVERE_LOW: return severe;
    case GROWTH_CLASS_OVERWEIGHT: return "overweight";
    case GROWTH_CLASS_OBESE: return "obesity";
    default: return "";
    }
}

const char *growth_class_code(enum growth_indicator ind, enum growth_class cls)
{
    switch (ind) {
    case GROWTH_WEI: return class_code("underweight", "severe_underweight", cls);
    case GROWTH_LEN: return class_code("stunting", "severe_stunting", cls);
    case GROWTH_WFL: return class_code("wasting", "severe_wasting", cls);
    case GROWTH_BMI: return class_code("thinness", "severe_thinness", cls);
    default: return "";
    }
}

const char *growth_class_code_2007(enum growth_indicator_2007 ind, enum growth_class cls)
{
    switch (ind) {
    case GROWTH07_WFA: return class_code("underweight", "severe_underweight", cls);
    case GROWTH07_HFA: return class_code("stunting", "severe_stunting", cls);
    case GROWTH07_BFA: return class_code("thinness", "severe_thinness", cls);
    default: return "";
    }
}

int growth_grade(double z, const struct growth_cutoffs *c)
{
    if (isnan(z))
        return 0;
    int g = 1;
    for (int i = 0; i < 4; i++)
        if (z >= c->grade_cuts[i])
            g = i + 2;
    return g;
}

const char *growth_grade_name(int grade)
{
    static const char *const names[] = {"", "下", "中下", "中", "中上", "上"};
    return grade >= 1 && grade <= 5 ? names[grade] : "";
}

/* zscore_csv.c — CSV in, z-scores out: parses each row strictly, maps cell values the way
 * WHO's anthro / anthroplus accept them (sex 1/2/m/f/M/F, measure l/h/L/H, oedema y/n/1/2),
 * calls the growth engine and writes one output row per input row. */
#include "growth/zscore_csv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"
#include "base/parse.h"
#include "growth/growth.h"

const char GROWTH_CSV_HELP[] =
    "  Input columns (header names, any order, other columns ignored; an empty cell or NA is\n"
    "  a missing value):\n"
    "    default    id, sex (1/2/m/f/M/F), age, age_unit (days|months, default days),\n"
    "               weight_kg, lenhei_cm, measure (l/h/L/H or empty), headc_cm, armc_cm,\n"
    "               triskin_mm, subskin_mm, oedema (y/n/Y/N/1/2 or empty = n)\n"
    "    --who2007  id, sex, age_months, height_cm, weight_kg, oedema\n"
    "  Output columns:\n"
    "    default    id, error, clenhei, cmeasure, c9mo_flag, cbmi, zlen, flen, zwei, fwei,\n"
    "               zwfl, fwfl, zbmi, fbmi, zhc, fhc, zac, fac, zts, fts, zss, fss,\n"
    "               pct_len, pct_wei, pct_wfl, pct_bmi, pct_hc, pct_ac, pct_ts, pct_ss\n"
    "    --who2007  id, error, cbmi, zhfa, fhfa, zwfa, fwfa, zbfa, fbfa, pct_hfa, pct_wfa, pct_bfa\n"
    "    --classes  appends cls_<indicator> (WHO class) and grade_<indicator> (WS/T 423-2022)\n"
    "  z-scores have 2 decimals (rounded as WHO's R packages round), flags are 0/1, pct_ is\n"
    "  100*Phi(z) from the unrounded z with 2 decimals; an empty cell means not computed.\n"
    "  Semantics are those of WHO anthro 1.1 (anthro_zscores) and anthroplus\n"
    "  (anthroplus_zscores); see data/who-growth/README.md.\n"
    "  Error codes (column error; the row gets no z-scores, later rows are still processed):\n"
    "    missing_sex    sex is empty (clenhei, cmeasure, c9mo_flag, cbmi are still given)\n"
    "    bad_sex        sex is not 1, 2, m, f, M or F\n"
    "    bad_age        age is not a number or is negative (--who2007: age_months)\n"
    "    bad_age_unit   age_unit is not days or months\n"
    "    bad_weight     weight_kg is not a number (--who2007: or negative)\n"
    "    bad_lenhei     lenhei_cm is not a number\n"
    "    bad_height     height_cm is not a number or is negative (--who2007)\n"
    "    bad_measure    measure is not l, h, L, H or empty\n"
    "    bad_headc, bad_armc, bad_triskin, bad_subskin   not a number\n"
    "    bad_oedema     oedema is not y, n, Y, N, 1, 2 or empty\n";

/* ---------------------------------------------------------------- cell parsing */

/* Copy s without surrounding blanks into buf (truncated to n-1 bytes). */
static const char *trim(const char *s, char *buf, size_t n)
{
    if (!s)
        s = "";
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(buf, s, len);
    buf[len] = 0;
    return buf;
}

static int is_missing(const char *t)
{
    return t[0] == 0 || strcmp(t, "NA") == 0;
}

/* 0 ok (NAN when missing), -1 not a number */
static int cell_number(const char *cell, double *out)
{
    char t[64];
    trim(cell, t, sizeof t);
    if (is_missing(t)) {
        *out = NAN;
        return 0;
    }
    if (cell && strlen(cell) >= sizeof t)
        return -1;
    return parse_double(t, out);
}

static int cell_sex(const char *cell, int *sex)
{
    char t[16];
    trim(cell, t, sizeof t);
    double v;
    if (is_missing(t))
        *sex = GROWTH_SEX_MISSING;
    else if (strcmp(t, "m") == 0 || strcmp(t, "M") == 0)
        *sex = GROWTH_SEX_MALE;
    else if (strcmp(t, "f") == 0 || strcmp(t, "F") == 0)
        *sex = GROWTH_SEX_FEMALE;
    else if (parse_double(t, &v) == 0 && (v == 1.0 || v == 2.0))
        *sex = (int)v;
    else
        return -1;
    return 0;
}

static int cell_oedema(const char *cell, int *oedema)
{
    char t[16];
    trim(cell, t, sizeof t);
    double v;
    if (is_missing(t) || strcmp(t, "n") == 0 || strcmp(t, "N") == 0)
        *oedema = 0;
    else if (strcmp(t, "y") == 0 || strcmp(t, "Y") == 0)
        *oedema = 1;
    else if (parse_double(t, &v) == 0 && (v == 1.0 || v == 2.0))
        *oedema = v == 1.0;
    else
        return -1;
    return 0;
}

static int cell_measure(const char *cell, char *measure)
{
    char t[16];
    trim(cell, t, sizeof t);
    if (is_missing(t))
        *measure = 0;
    else if (strlen(t) == 1 && strchr("lLhH", t[0]))
        *measure = (char)tolower((unsigned char)t[0]);
    else
        return -1;
    return 0;
}

/* 0 days, 1 months, -1 unknown */
static int cell_age_unit(const char *cell)
{
    char t[16];
    trim(cell, t, sizeof t);
    if (is_missing(t) || !strcasecmp(t, "days") || !strcasecmp(t, "day") || !strcasecmp(t, "d"))
        return 0;
    if (!strcasecmp(t, "months") || !strcasecmp(t, "month") || !strcasecmp(t, "mo"))
        return 1;
    return -1;
}

/* ---------------------------------------------------------------- formatting */

#define CELL 64

static void fmt_z(char *buf, double z)
{
    if (isnan(z))
        buf[0] = 0;
    else if (isinf(z))
        snprintf(buf, CELL, "%s", z > 0 ? "Inf" : "-Inf");
    else
        snprintf(buf, CELL, "%.2f", z);
}

static void fmt_num(char *buf, double v)
{
    if (isnan(v))
        buf[0] = 0;
    else if (isinf(v))
        snprintf(buf, CELL, "%s", v > 0 ? "Inf" : "-Inf");
    else
        snprintf(buf, CELL, "%.15g", v); /* R prints 15 significant digits */
}

static void fmt_flag(char *buf, int flag)
{
    if (flag < 0)
        buf[0] = 0;
    else
        snprintf(buf, CELL, "%d", flag);
}

/* ---------------------------------------------------------------- columns */

static const char *const OUT_2006[] = {
    "id", "error", "clenhei", "cmeasure", "c9mo_flag", "cbmi", "zlen", "flen", "zwei", "fwei", "zwfl", "fwfl",
    "zbmi", "fbmi", "zhc", "fhc", "zac", "fac", "zts", "fts", "zss", "fss",
    "pct_len", "pct_wei", "pct_wfl", "pct_bmi", "pct_hc", "pct_ac", "pct_ts", "pct_ss"};
static const char *const CLS_2006[] = {"cls_len", "cls_wei", "cls_wfl", "cls_bmi",
                                       "grade_len", "grade_wei", "grade_wfl", "grade_bmi", "grade_hc"};
static const char *const OUT_2007[] = {"id", "error", "cbmi", "zhfa", "fhfa", "zwfa", "fwfa", "zbfa", "fbfa",
                                       "pct_hfa", "pct_wfa", "pct_bfa"};
static const char *const CLS_2007[] = {"cls_hfa", "cls_wfa", "cls_bfa", "grade_hfa", "grade_wfa", "grade_bfa"};

#define N_OUT_2006 (sizeof OUT_2006 / sizeof *OUT_2006)
#define N_CLS_2006 (sizeof CLS_2006 / sizeof *CLS_2006)
#define N_OUT_2007 (sizeof OUT_2007 / sizeof *OUT_2007)
#define N_CLS_2007 (sizeof CLS_2007 / sizeof *CLS_2007)
#define MAX_COLS 48

enum { IN_ID, IN_SEX, IN_AGE, IN_AGE_UNIT, IN_WEIGHT, IN_LENHEI, IN_MEASURE, IN_HEADC, IN_ARMC, IN_TRISKIN,
       IN_SUBSKIN, IN_OEDEMA, IN_COUNT };

/* column names per input field: preferred name, then anthro's argument name */
static const char *const IN_NAMES_2006[IN_COUNT][2] = {
    {"id", NULL},          {"sex", NULL},         {"age", NULL},         {"age_unit", NULL},
    {"weight_kg", "weight"}, {"lenhei_cm", "lenhei"}, {"measure", NULL},   {"headc_cm", "headc"},
    {"armc_cm", "armc"},   {"triskin_mm", "triskin"}, {"subskin_mm", "subskin"}, {"oedema", NULL}};
static const char *const IN_NAMES_2007[IN_COUNT][2] = {
    {"id", NULL},   {"sex", NULL},  {"age_months", "age_in_months"}, {NULL, NULL},
    {"weight_kg", "weight_in_kg"}, {"height_cm", "height_in_cm"}, {NULL, NULL}, {NULL, NULL},
    {NULL, NULL},   {NULL, NULL},   {NULL, NULL},  {"oedema", NULL}};

static int find_column(struct csv_reader *r, const char *const names[2])
{
    for (int i = 0; i < 2; i++)
        if (names[i]) {
            int c = csv_column(r, names[i]);
            if (c >= 0)
                return c;
        }
    return -1;
}

struct row_out {
    char cells[MAX_COLS][CELL];
    const char *ptr[MAX_COLS];
    size_t n;
};

static void row_reset(struct row_out *o, size_t n, const char *id)
{
    o->n = n;
    for (size_t i = 0; i < n; i++) {
        o->cells[i][0] = 0;
        o->ptr[i] = o->cells[i];
    }
    o->ptr[0] = id ? id : "";
}

static void row_error(struct row_out *o, const char *code)
{
    snprintf(o->cells[1], CELL, "%s", code);
}

/* set the row's error code and stop processing it */
#define FAIL(code)               \
    do {                         \
        row_error(o, (code));    \
        return;                  \
    } while (0)

/* ---------------------------------------------------------------- one row */

static void do_row_2006(struct csv_reader *r, const int *col, struct row_out *o, int classes,
                        const struct growth_cutoffs *cut)
{
    row_reset(o, N_OUT_2006 + (classes ? N_CLS_2006 : 0), csv_get(r, col[IN_ID]));
    struct growth_input in = {0};
    static const int fields[] = {IN_WEIGHT, IN_LENHEI, IN_HEADC, IN_ARMC, IN_TRISKIN, IN_SUBSKIN};
    static const char *const codes[] = {"bad_weight", "bad_lenhei", "bad_headc", "bad_armc", "bad_triskin",
                                        "bad_subskin"};
    double *targets[] = {&in.weight_kg, &in.lenhei_cm, &in.headc_cm, &in.armc_cm, &in.triskin_mm, &in.subskin_mm};

    if (cell_sex(csv_get(r, col[IN_SEX]), &in.sex) < 0)
        FAIL("bad_sex");
    if (cell_number(csv_get(r, col[IN_AGE]), &in.age) < 0 || in.age < 0)
        FAIL("bad_age");
    if ((in.age_in_months = cell_age_unit(csv_get(r, col[IN_AGE_UNIT]))) < 0)
        FAIL("bad_age_unit");
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (cell_number(csv_get(r, col[fields[i]]), targets[i]) < 0)
            FAIL(codes[i]);
    if (cell_measure(csv_get(r, col[IN_MEASURE]), &in.measure) < 0)
        FAIL("bad_measure");
    if (cell_oedema(csv_get(r, col[IN_OEDEMA]), &in.oedema) < 0)
        FAIL("bad_oedema");

    struct growth_result res;
    struct err e;
    if (growth_zscores(&in, &res, &e) < 0)
        FAIL(e.code);
    if (in.sex == GROWTH_SEX_MISSING)
        row_error(o, "missing_sex");
    fmt_num(o->cells[2], res.clenhei);
    snprintf(o->cells[3], CELL, "%s", res.cmeasure ? (res.cmeasure == 'l' ? "l" : "h") : "");
    fmt_flag(o->cells[4], res.c9mo_flag);
    fmt_num(o->cells[5], res.cbmi);
    for (int i = 0; i < GROWTH_N2006; i++) {
        fmt_z(o->cells[6 + 2 * i], res.ind[i].z);
        fmt_flag(o->cells[7 + 2 * i], res.ind[i].flag);
        if (!isnan(res.ind[i].pct))
            snprintf(o->cells[6 + 2 * GROWTH_N2006 + i], CELL, "%.2f", res.ind[i].pct);
    }
    if (classes) {
        size_t c0 = N_OUT_2006;
        static const enum growth_indicator cls[] = {GROWTH_LEN, GROWTH_WEI, GROWTH_WFL, GROWTH_BMI};
        static const enum growth_indicator grade[] = {GROWTH_LEN, GROWTH_WEI, GROWTH_WFL, GROWTH_BMI, GROWTH_HC};
        for (int i = 0; i < 4; i++)
            o->ptr[c0 + i] = growth_class_code(cls[i], growth_classify(cls[i], res.ind[cls[i]].z, cut));
        for (int i = 0; i < 5; i++)
            o->ptr[c0 + 4 + i] = growth_grade_name(growth_grade(res.ind[grade[i]].z, cut));
    }
}

static void do_row_2007(struct csv_reader *r, const int *col, struct row_out *o, int classes,
                        const struct growth_cutoffs *cut)
{
    row_reset(o, N_OUT_2007 + (classes ? N_CLS_2007 : 0), csv_get(r, col[IN_ID]));
    struct growth07_input in = {0};
    if (cell_sex(csv_get(r, col[IN_SEX]), &in.sex) < 0)
        FAIL("bad_sex");
    if (cell_number(csv_get(r, col[IN_AGE]), &in.age_months) < 0)
        FAIL("bad_age");
    if (cell_number(csv_get(r, col[IN_LENHEI]), &in.height_cm) < 0)
        FAIL("bad_height");
    if (cell_number(csv_get(r, col[IN_WEIGHT]), &in.weight_kg) < 0)
        FAIL("bad_weight");
    if (cell_oedema(csv_get(r, col[IN_OEDEMA]), &in.oedema) < 0)
        FAIL("bad_oedema");
    struct growth07_result res;
    struct err e;
    if (growth_zscores_2007(&in, &res, &e) < 0)
        FAIL(e.code);
    if (in.sex == GROWTH_SEX_MISSING)
        row_error(o, "missing_sex");
    fmt_num(o->cells[2], res.cbmi);
    for (int i = 0; i < GROWTH_N2007; i++) {
        fmt_z(o->cells[3 + 2 * i], res.ind[i].z);
        fmt_flag(o->cells[4 + 2 * i], res.ind[i].flag);
        if (!isnan(res.ind[i].pct))
            snprintf(o->cells[3 + 2 * GROWTH_N2007 + i], CELL, "%.2f", res.ind[i].pct);
    }
    if (classes) {
        size_t c0 = N_OUT_2007;
        for (int i = 0; i < GROWTH_N2007; i++) {
            enum growth_indicator_2007 ind = (enum growth_indicator_2007)i;
            o->ptr[c0 + i] = growth_class_code_2007(ind, growth_classify_2007(ind, res.ind[i].z, cut));
            o->ptr[c0 + GROWTH_N2007 + i] = growth_grade_name(growth_grade(res.ind[i].z, cut));
        }
    }
}

/* ---------------------------------------------------------------- the batch */

long growth_csv_run(FILE *in, const char *name, FILE *out, int flags, struct err *e)
{
    int who2007 = (flags & GROWTH_CSV_2007) != 0, classes = (flags & GROWTH_CSV_CLASSES) != 0;
    struct csv_reader *r = csv_open_with_header(in, name, e);
    if (!r)
        return -1;
    const char *const(*names)[2] = who2007 ? IN_NAMES_2007 : IN_NAMES_2006;
    int col[IN_COUNT];
    for (int i = 0; i < IN_COUNT; i++)
        col[i] = find_column(r, names[i]);

    /* header */
    const char *hdr[MAX_COLS];
    size_t nh = 0;
    const char *const *base = who2007 ? OUT_2007 : OUT_2006;
    size_t nbase = who2007 ? N_OUT_2007 : N_OUT_2006;
    for (size_t i = 0; i < nbase; i++)
        hdr[nh++] = base[i];
    if (classes) {
        const char *const *extra = who2007 ? CLS_2007 : CLS_2006;
        size_t nextra = who2007 ? N_CLS_2007 : N_CLS_2006;
        for (size_t i = 0; i < nextra; i++)
            hdr[nh++] = extra[i];
    }
    csv_write_row(out, hdr, nh);

    struct growth_cutoffs cut;
    growth_cutoffs_default(&cut);
    struct row_out *o = malloc(sizeof *o);
    if (!o) {
        csv_close(r);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    long rows = 0;
    int rc;
    while ((rc = csv_next(r)) > 0) {
        if (who2007)
            do_row_2007(r, col, o, classes, &cut);
        else
            do_row_2006(r, col, o, classes, &cut);
        csv_write_row(out, o->ptr, o->n);
        rows++;
    }
    free(o);
    if (rc < 0) {
        err_set(e, 400, "bad_csv", "", "%s", csv_error(r));
        csv_close(r);
        return -1;
    }
    csv_close(r);
    return rows;
}

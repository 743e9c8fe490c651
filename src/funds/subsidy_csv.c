/* subsidy_csv.c — subsidies over CSV (subsidy_csv.h): each row parsed strictly, computed by the
 * engine (funds.c) and written as one output row; a million rows a second and more, so a row is
 * formatted into one buffer and written once. */
#include "funds/subsidy_csv.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

const char FUNDS_CSV_HELP[] =
    "  childcare (育儿补贴, 《育儿补贴制度实施方案》 中办 国办 2025-07):\n"
    "    input   id, birth_date (YYYY-MM-DD), end_date (optional: eligibility ends with the month\n"
    "            it falls in, e.g. the household moved out)\n"
    "    output  id, error, first_month, last_month, months_total, amount_total_yuan,\n"
    "            months_in_year, amount_in_year_yuan (the last two empty without --year)\n"
    "    rule    each eligible month is paid at subsidy.childcare.per_month_fen in force in that\n"
    "            month (300 yuan from 2025-01); eligible from the later of the birth month and the\n"
    "            first month an amount is in force, through the month before the month of the\n"
    "            birthday at subsidy.childcare.max_age_months (36), or through the end_date's month\n"
    "            when earlier. Born 2025-06-15: 2025-06…2028-05, 36 months, 10800.00; born\n"
    "            2022-10-08: 2025-01…2025-09, 9 months, 2700.00. A child already 3 before the start\n"
    "            has 0 months (first_month and last_month empty, amounts 0.00).\n"
    "    errors  missing_id, bad_birth_date, birth_before_1900, future_birth_date, bad_end_date,\n"
    "            end_before_birth\n"
    "  construction (建设补助, 瓯海区试点方案 四(五)14):\n"
    "    input   id, ownership (public|private), investment_yuan (assessed eligible investment,\n"
    "            at most two decimals)\n"
    "    output  id, error, subsidy_yuan, cap_yuan, capped (0/1)\n"
    "    rule    counted as subsidy.construction.classes_counted classes (2); public: the whole\n"
    "            investment, at most public_per_class_max_fen per class (300,000 yuan); private:\n"
    "            private_share (49%) of it rounded half up to a fen, at most private_per_class_max_fen\n"
    "            per class (150,000 yuan)\n"
    "    errors  missing_id, unknown_ownership, bad_investment, negative_investment\n"
    "  Amounts are yuan with two decimals, computed exactly in fen.\n";

/* the rows being written: fields appended with their separators into one buffer, written out
 * when full (a long field goes straight through) and at the end */
struct row {
    FILE *out;
    size_t len;
    char buf[16384];
};

static void flush(struct row *w)
{
    fwrite(w->buf, 1, w->len, w->out);
    w->len = 0;
}

static void put_raw(struct row *w, const char *s, size_t n)
{
    if (w->len + n > sizeof w->buf)
        flush(w);
    if (n > sizeof w->buf) {
        fwrite(s, 1, n, w->out);
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* the row's first field, the id (quoted as csv_write_field would when it needs it) */
static void put_id(struct row *w, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        put_raw(w, s, strlen(s));
        return;
    }
    put_raw(w, "\"", 1);
    for (const char *p = s; *p; p++) {
        put_raw(w, p, 1);
        if (*p == '"')
            put_raw(w, p, 1);
    }
    put_raw(w, "\"", 1);
}

/* a field after the first that needs no quoting (a number, a month, an error code) */
static void put_plain(struct row *w, const char *s, size_t n)
{
    put_raw(w, ",", 1);
    put_raw(w, s, n);
}

static void put_count(struct row *w, int v)
{
    char n[12];
    int len = 0, k = 0;
    char rev[12];
    do {
        rev[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        n[len++] = rev[--k];
    put_plain(w, n, (size_t)len);
}

static void put_yuan(struct row *w, int64_t fen)
{
    char y[24];
    put_plain(w, y, (size_t)funds_format_yuan(fen, y));
}

static void end_row(struct row *w)
{
    put_raw(w, "\n", 1);
}

/* A kind of batch: its input columns (the first is the id), which are required, its output
 * header, how many result fields follow the error, and what makes them from a row's cells: 0 with
 * the empty error field and the results put, or -1 with e having put nothing (the error code is
 * written and the results left empty). */
#define BATCH_MAX_COLS 3
struct batch {
    const char *cols[BATCH_MAX_COLS];
    int required[BATCH_MAX_COLS];
    const char *header;
    int nresults;
    int (*row)(struct row *w, const char *const *cells, const void *ctx, struct err *e);
};

/* One pass over in: each row's id, then its error or its results. The rows written, or -1 with e
 * when the input cannot be read or lacks a required column. */
static long run_batch(const struct batch *b, const void *ctx, FILE *in, const char *name, FILE *out, struct err *e)
{
    struct csv_reader *r = csv_open_with_header(in, name, e);
    if (!r)
        return -1;
    int col[BATCH_MAX_COLS];
    for (int i = 0; i < BATCH_MAX_COLS; i++) {
        col[i] = csv_column(r, b->cols[i]);
        if (col[i] < 0 && b->required[i]) {
            err_set(e, 400, "missing_column", b->cols[i], "%s: 缺少列 %s", name, b->cols[i]);
            csv_close(r);
            return -1;
        }
    }
    struct row *w = malloc(sizeof *w);
    if (!w) {
        csv_close(r);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    w->out = out;
    w->len = 0;
    put_raw(w, b->header, strlen(b->header));
    long rows = 0;
    int rc;
    while ((rc = csv_next(r)) > 0) {
        const char *cells[BATCH_MAX_COLS];
        for (int i = 0; i < BATCH_MAX_COLS; i++)
            cells[i] = col[i] >= 0 ? csv_get(r, col[i]) : "";
        struct err re = {0};
        put_id(w, cells[0]);
        if (!*cells[0])
            err_set(&re, 422, "missing_id", "id", "缺少编号");
        if (re.code[0] || b->row(w, cells, ctx, &re) < 0) {
            put_plain(w, re.code, strlen(re.code));
            for (int k = 0; k < b->nresults; k++)
                put_raw(w, ",", 1);
        }
        end_row(w);
        rows++;
    }
    flush(w);
    free(w);
    if (rc < 0) {
        err_set(e, 400, "bad_csv", "", "%s", csv_error(r));
        rows = -1;
    }
    csv_close(r);
    return rows;
}

struct childcare_ctx {
    const struct funds_childcare_rules *rules;
    const char *today;
    int year;
};

static int childcare_row(struct row *w, const char *const *cells, const void *ctx, struct err *e)
{
    const struct childcare_ctx *x = ctx;
    struct funds_childcare c;
    if (funds_childcare_compute(x->rules, cells[1], cells[2], x->today, x->year, &c, e) < 0)
        return -1;
    char first[8] = "", last[8] = "";
    put_plain(w, "", 0); /* no error */
    if (c.months_total) {
        funds_month_format(c.first, first);
        funds_month_format(c.last, last);
    }
    put_plain(w, first, strlen(first));
    put_plain(w, last, strlen(last));
    put_count(w, c.months_total);
    put_yuan(w, c.amount_total_fen);
    if (x->year) {
        put_count(w, c.months_in_year);
        put_yuan(w, c.amount_in_year_fen);
    } else {
        put_raw(w, ",,", 2);
    }
    return 0;
}

long funds_childcare_csv(FILE *in, const char *name, FILE *out, const struct funds_childcare_rules *rules,
                         const char *today, int year, struct err *e)
{
    static const struct batch CHILDCARE = {
        {"id", "birth_date", "end_date"}, {1, 1, 0},
        "id,error,first_month,last_month,months_total,amount_total_yuan,months_in_year,amount_in_year_yuan\n", 6,
        childcare_row};
    struct childcare_ctx ctx = {rules, today, year};
    return run_batch(&CHILDCARE, &ctx, in, name, out, e);
}

static int construction_row(struct row *w, const char *const *cells, const void *ctx, struct err *e)
{
    int own = funds_ownership_of(cells[1]);
    int64_t investment;
    struct funds_construction c;
    if (own < 0)
        return err_set(e, 422, "unknown_ownership", "ownership", "举办性质应为 public 或 private");
    if (funds_parse_yuan(cells[2], &investment) < 0)
        return err_set(e, 422, "bad_investment", "investment_yuan", "投资额应为最多两位小数的金额（元）");
    if (funds_construction_compute(ctx, (enum funds_ownership)own, investment, &c, e) < 0)
        return -1;
    put_plain(w, "", 0); /* no error */
    put_yuan(w, c.subsidy_fen);
    put_yuan(w, c.cap_fen);
    put_plain(w, c.capped ? "1" : "0", 1);
    return 0;
}

long funds_construction_csv(FILE *in, const char *name, FILE *out, const struct funds_construction_rules *rules,
                            struct err *e)
{
    static const struct batch CONSTRUCTION = {
        {"id", "ownership", "investment_yuan"}, {1, 1, 1}, "id,error,subsidy_yuan,cap_yuan,capped\n", 3,
        construction_row};
    return run_batch(&CONSTRUCTION, rules, in, name, out, e);
}

/* funds.c — the subsidy rules engine (funds.h): 育儿补贴 by eligible month, the construction
 * subsidy with its per-class cap, and exact yuan ↔ fen conversion. */
#include "funds/funds.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

funds_month funds_month_of(int year, int month)
{
    return (funds_month)(year * 12 + (month - 1));
}

void funds_month_format(funds_month m, char out[8])
{
    int y = m / 12, mo = m % 12 + 1;
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + mo / 10);
    out[6] = (char)('0' + mo % 10);
    out[7] = 0;
}

static funds_month max_month(funds_month a, funds_month b) { return a > b ? a : b; }
static funds_month min_month(funds_month a, funds_month b) { return a < b ? a : b; }

int funds_childcare_compute(const struct funds_childcare_rules *r, const char *birth, const char *end,
                            const char *today, int year, struct funds_childcare *out, struct err *e)
{
    struct date_ymd b, x;
    struct err ignored = {0};
    if (date_parse(birth, &b, &ignored) < 0)
        return err_set(e, 422, "bad_birth_date", "birth_date", "出生日期格式应为 YYYY-MM-DD 的有效日期");
    if (b.year < 1900)
        return err_set(e, 422, "birth_before_1900", "birth_date", "出生日期早于 1900 年");
    if (strcmp(birth, today) > 0)
        return err_set(e, 422, "future_birth_date", "birth_date", "出生日期晚于今天（%s）", today);
    if (year && (year < 1900 || year > 9999))
        return err_set(e, 422, "bad_year", "year", "年份应为四位数");
    funds_month first = funds_month_of(b.year, b.month), last = first + r->max_age_months - 1;
    if (end && *end) {
        if (date_parse(end, &x, &ignored) < 0)
            return err_set(e, 422, "bad_end_date", "end_date", "终止日期格式应为 YYYY-MM-DD 的有效日期");
        if (strcmp(end, birth) < 0)
            return err_set(e, 422, "end_before_birth", "end_date", "终止日期早于出生日期");
        last = min_month(last, funds_month_of(x.year, x.month));
    }
    *out = (struct funds_childcare){0};
    funds_month year_first = year ? funds_month_of(year, 1) : 0, year_last = year ? funds_month_of(year, 12) : -1;
    for (int i = 0; i < r->nrates; i++) {
        const struct funds_rate *rt = &r->rates[i];
        funds_month from = max_month(first, rt->from), to = min_month(last, rt->to);
        if (from > to)
            continue;
        if (out->months_total == 0)
            out->first = from;
        out->last = to;
        out->months_total += to - from + 1;
        out->amount_total_fen += (int64_t)(to - from + 1) * rt->per_month_fen;
        funds_month yf = max_month(from, year_first), yt = min_month(to, year_last);
        if (yf <= yt) {
            out->months_in_year += yt - yf + 1;
            out->amount_in_year_fen += (int64_t)(yt - yf + 1) * rt->per_month_fen;
        }
    }
    return 0;
}

int funds_ownership_of(const char *s)
{
    if (strcmp(s, "public") == 0)
        return FUNDS_PUBLIC;
    if (strcmp(s, "private") == 0)
        return FUNDS_PRIVATE;
    return -1;
}

int funds_construction_compute(const struct funds_construction_rules *r, enum funds_ownership own,
                               int64_t investment_fen, struct funds_construction *out, struct err *e)
{
    if (investment_fen < 0)
        return err_set(e, 422, "negative_investment", "investment_yuan", "投资额不能为负");
    *out = (struct funds_construction){0};
    if (own == FUNDS_PUBLIC) {
        out->base_fen = investment_fen;
        out->cap_fen = (int64_t)r->classes_counted * r->public_per_class_max_fen;
    } else {
        /* investment ≤ 10^15 fen (funds_parse_yuan) and the share ≤ 10,000 bp: no overflow */
        out->base_fen = (investment_fen * r->private_share_bp + 5000) / 10000;
        out->cap_fen = (int64_t)r->classes_counted * r->private_per_class_max_fen;
    }
    out->capped = out->base_fen > out->cap_fen;
    out->subsidy_fen = out->capped ? out->cap_fen : out->base_fen;
    return 0;
}

#define FUNDS_MAX_YUAN_DIGITS 13 /* up to 9,999,999,999,999 yuan: fen fit with room to multiply */

int funds_parse_yuan(const char *s, int64_t *fen)
{
    int neg = 0, digits = 0, decimals = -1;
    int64_t v = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s; s++) {
        if (*s == '.' && decimals < 0 && digits > 0) {
            decimals = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || (decimals < 0 && ++digits > FUNDS_MAX_YUAN_DIGITS) || decimals == 2)
            return -1;
        v = v * 10 + (*s - '0');
        if (decimals >= 0)
            decimals++;
    }
    if (digits == 0 || decimals == 0)
        return -1;
    for (int k = decimals < 0 ? 0 : decimals; k < 2; k++)
        v *= 10;
    *fen = neg ? -v : v;
    return 0;
}

int funds_format_yuan(int64_t fen, char out[24])
{
    /* by hand: a batch formats millions of amounts, and printf was most of its time */
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a || n < 3); /* at least "0.0x" */
    int len = 0;
    if (fen < 0)
        out[len++] = '-';
    while (n > 2)
        out[len++] = digits[--n];
    out[len++] = '.';
    out[len++] = digits[1];
    out[len++] = digits[0];
    out[len] = 0;
    return len;
}

/* childsub.c — 育儿补贴 applications, the pure part (childsub.h). */
#include "funds/childsub.h"

#include <stdio.h>
#include <string.h>

#include "base/idcard.h"
#include "base/json.h"

#include "funds/childsub.schemas.inc"

static const struct {
    const char *code, *name;
} RELATIONS[] = {{"father", "父亲"}, {"mother", "母亲"}, {"guardian", "其他监护人"}};

const char *childsub_relation_name(const char *code)
{
    for (size_t i = 0; code && i < sizeof RELATIONS / sizeof *RELATIONS; i++)
        if (strcmp(RELATIONS[i].code, code) == 0)
            return RELATIONS[i].name;
    return NULL;
}

const char *childsub_state_name(const char *state)
{
    return strcmp(state, "submitted") == 0  ? "待镇街审核"
           : strcmp(state, "approved") == 0 ? "已核准"
           : strcmp(state, "rejected") == 0 ? "已驳回"
                                            : state;
}

int childsub_luhn(const char *digits)
{
    size_t n = strlen(digits);
    int sum = 0;
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int d = digits[n - 1 - i] - '0';
        if (d < 0 || d > 9)
            return 0;
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

int childsub_is_card(const char *digits)
{
    size_t n = strlen(digits);
    return n >= 16 && n <= 19 && digits[0] == '6' && digits[1] == '2';
}

void childsub_mask_account(const char *digits, char out[40])
{
    size_t n = strlen(digits);
    if (n < 8) {
        snprintf(out, 40, "****");
        return;
    }
    snprintf(out, 40, "%.4s **** **** %s", digits, digits + n - 4);
}

void childsub_mask_cert(const char *cert, char out[16])
{
    size_t n = strlen(cert);
    if (n < 4) {
        snprintf(out, 16, "****");
        return;
    }
    snprintf(out, 16, "%c*******%s", cert[0], cert + n - 2);
}

int childsub_from_json(const json_t *body, struct childsub_in *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    /* 出生医学证明编号: one capital letter and nine digits. The letter (the printing year) leads
     * the number since the second edition; the sixth edition prints "1位字母+9位数字", and the
     * seventh (国家卫生健康委公告, in use from 2023-04-01) keeps that number and adds its barcode
     * (e.g. X320101001). idcard_birth_cert_validate is the check children's records use. */
    if (idcard_birth_cert_validate(jfield_text(body, "birth_cert_no"), out->cert, e) < 0)
        return -1;
    childsub_mask_cert(out->cert, out->cert_masked);
    const char *rel = jfield_text(body, "relation");
    if (!childsub_relation_name(rel))
        return err_set(e, 422, "bad_relation", "relation", "申领人关系应为 father（父亲）、mother（母亲）或 guardian（其他监护人）");
    snprintf(out->relation, sizeof out->relation, "%s", rel);
    const char *bank = jfield_text(body, "bank_name");
    if (!bank || !*bank)
        return err_set(e, 422, "bank_name_required", "bank_name", "请填写开户银行");
    snprintf(out->bank_name, sizeof out->bank_name, "%s", bank);
    const char *acc = jfield_text(body, "bank_account");
    size_t n = 0;
    for (const char *p = acc ? acc : ""; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9')
            return err_set(e, 422, "account_digits", "bank_account", "银行账号只能由数字组成");
        if (n == CHILDSUB_ACCOUNT_MAX)
            return err_set(e, 422, "account_length", "bank_account", "银行账号应为 %d–%d 位数字", CHILDSUB_ACCOUNT_MIN,
                           CHILDSUB_ACCOUNT_MAX);
        out->account[n++] = *p;
    }
    out->account[n] = 0;
    if (n < CHILDSUB_ACCOUNT_MIN)
        return err_set(e, 422, "account_length", "bank_account", "银行账号应为 %d–%d 位数字", CHILDSUB_ACCOUNT_MIN,
                       CHILDSUB_ACCOUNT_MAX);
    if (childsub_is_card(out->account) && !childsub_luhn(out->account))
        return err_set(e, 422, "account_luhn", "bank_account", "银行卡号校验位不符，请核对卡号");
    childsub_mask_account(out->account, out->account_masked);
    return 0;
}

int childsub_decide(const char *state, int64_t applicant, int64_t by, const char *decision, const char *reason,
                    const char **to, struct err *e)
{
    if (strcmp(state, "submitted"))
        return err_set(e, 409, "not_submitted", "decision", "该申请已%s，不能再审核", childsub_state_name(state));
    if (applicant == by)
        return err_set(e, 403, "own_application", "decision", "不能审核本人提交的申请（双人复核）");
    if (strcmp(decision, "approve") == 0) {
        *to = "approved";
        return 0;
    }
    if (strcmp(decision, "reject"))
        return err_set(e, 422, "bad_decision", "decision", "审核结论应为 approve（核准）或 reject（驳回）");
    if (!reason || !*reason)
        return err_set(e, 422, "reason_required", "reason", "驳回须写明理由");
    *to = "rejected";
    return 0;
}

static const struct funds_rate *rate_of(const struct funds_childcare_rules *r, funds_month m)
{
    for (int i = 0; i < r->nrates; i++)
        if (r->rates[i].from <= m && m <= r->rates[i].to)
            return &r->rates[i];
    return NULL;
}

json_t *childsub_months(const struct funds_childcare_rules *r, const struct funds_childcare *c, int year)
{
    json_t *months = json_array();
    for (funds_month m = c->first; c->months_total > 0 && m <= c->last; m++) {
        const struct funds_rate *rt = rate_of(r, m);
        if (!rt || (year && m / 12 != year))
            continue;
        char ym[8];
        funds_month_format(m, ym);
        json_array_append_new(months, json_pack("{s:s, s:I, s:s, s:s, s:s}", "month", ym, "amount_fen",
                                                (json_int_t)rt->per_month_fen, "param", "subsidy.childcare.per_month_fen",
                                                "valid_from", rt->valid_from, "basis", rt->basis));
    }
    return months;
}

json_t *childsub_explain_year(const struct funds_childcare_rules *r, const struct funds_childcare *c,
                              funds_month birth_month, int year)
{
    char b[8], f[8], l[8];
    funds_month_format(birth_month, b);
    funds_month_format(c->first, f);
    funds_month_format(c->last, l);
    return json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:i, s:i}, s:o, s:i, s:I}", "rule",
                     "育儿补贴：自出生当月（或月标准开始施行之月）起至年满3周岁前一月，按各月施行的月标准逐月计发",
                     "basis", "《育儿补贴制度实施方案》（中办 国办 2025-07）", "inputs", "birth_month", b, "first_month", f,
                     "last_month", l, "max_age_months", r->max_age_months, "year", year, "months",
                     childsub_months(r, c, year), "months_in_year", c->months_in_year, "amount_fen",
                     (json_int_t)c->amount_in_year_fen);
}

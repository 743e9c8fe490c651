/* vouchers.c — 托育券 terms, eligibility and states (vouchers.h). */
#include "funds/vouchers.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"

#include "funds/vouchers.schemas.inc"

int voucher_terms_from_json(const json_t *body, const char *today, struct voucher_terms *t, struct err *e)
{
    memset(t, 0, sizeof *t);
    jfield_copy(body, "name", t->name, sizeof t->name);
    jfield_copy(body, "valid_from", t->valid_from, sizeof t->valid_from);
    jfield_copy(body, "valid_to", t->valid_to, sizeof t->valid_to);
    jfield_copy(body, "basis", t->basis, sizeof t->basis);
    t->face_fen = json_integer_value(json_object_get(body, "face_fen"));
    t->min_age_months = (int)json_integer_value(json_object_get(body, "min_age_months"));
    t->max_age_months = (int)json_integer_value(json_object_get(body, "max_age_months"));
    if (strcmp(t->valid_to, t->valid_from) < 0)
        return err_set(e, 422, "bad_validity", "valid_to", "有效期止（%s）不能早于有效期起（%s）", t->valid_to, t->valid_from);
    if (strcmp(t->valid_to, today) < 0)
        return err_set(e, 422, "bad_validity", "valid_to", "有效期止（%s）已过（今天 %s）", t->valid_to, today);
    if (t->min_age_months >= t->max_age_months)
        return err_set(e, 422, "bad_ages", "max_age_months", "月龄上限（%d）应大于下限（%d）", t->max_age_months,
                       t->min_age_months);
    return 0;
}

int voucher_eligible(const struct voucher_terms *t, const char *birth, const char *day)
{
    int months = date_months_between(birth, day);
    return months >= t->min_age_months && months < t->max_age_months;
}

const char *voucher_state_on(const char *state, const char *valid_to, const char *today)
{
    return strcmp(state, "issued") == 0 && strcmp(today, valid_to) > 0 ? "expired" : state;
}

const char *voucher_state_name(const char *state)
{
    return strcmp(state, "issued") == 0     ? "待使用"
           : strcmp(state, "redeemed") == 0 ? "已使用，待机构申领"
           : strcmp(state, "claimed") == 0  ? "机构已申领"
           : strcmp(state, "expired") == 0  ? "已过期"
                                            : state;
}

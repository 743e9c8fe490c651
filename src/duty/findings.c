/* findings.c — the broken-ratio finding raised (findings.h): the rows of the day (store.c), each
 * class replayed by the pure engine (duty.c, ratio.c), each break over the limit recorded and told. */
#include "duty/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty/duty.h"
#include "duty/store.h"
#include "inbox/inbox.h"
#include "params/params.h"
#include "registry/store.h"

/* Post a message about finding id of class c to the institution's operators (town 0) or its town's
 * officers (town 1). */
static int tell(struct db *db, const char *district, const struct duty_class_row *c, int64_t id, int town,
                const char *rule, const char *basis, const char *now_ts, struct err *e)
{
    int64_t *to;
    size_t n;
    if (duty_recipients(db, district, c->institution_id, town, &to, &n, e) < 0)
        return -1;
    char subject[256], body[1024];
    snprintf(subject, sizeof subject, "%s：%s %s", town ? "师幼比不足持续（请督促整改）" : "师幼比不足", c->institution_name,
             c->name);
    snprintf(body, sizeof body, "%s %s。请立即安排保育人员到岗。依据：%s", c->institution_name, rule, basis);
    struct inbox_message m = {.kind = "duty.ratio", .subject = subject, .body = body, .ref_type = "duty_finding",
                              .ref_id = id, .due_at = now_ts};
    int rc = inbox_post_each(db, district, &m, to, n, now_ts, e);
    free(to);
    return rc;
}

/* Does today's replay still show recorded finding r (a break of its class from the same minute
 * over the limit)? */
static int confirmed(const struct duty_board *b, const struct duty_class_day *days, const struct duty_recorded *r)
{
    for (size_t i = 0; i < b->nclasses; i++) {
        if (b->classes[i].id != r->class_id)
            continue;
        for (int k = 0; k < days[i].ratio.nover; k++) {
            char from[6];
            duty_hhmm(days[i].ratio.over[k].from, from);
            if (strcmp(from, r->from) == 0)
                return 1;
        }
    }
    return 0;
}

int duty_findings_scan(struct db *db, const char *district, const struct authz_scope *scope, const char *day,
                       int now_minute, const char *now_ts, struct duty_raised *raised, int cap, int *ntown,
                       struct err *e)
{
    *ntown = 0;
    struct registry_rules rules;
    char basis[RULE_COUNT][160];
    struct params *p = malloc(sizeof *p);
    double limit, town_limit;
    struct duty_board b = {0};
    struct duty_class_day *days = NULL;
    int rc = p ? 0 : err_set(e, 500, "oom", "", "内存不足");
    if (rc == 0 && (registry_rules_from_params(db, district, day, &rules, basis, e) < 0 ||
                    params_load(db, district, day, p, e) < 0 || params_num(p, "duty.ratio_broken_minutes", &limit, e) < 0 ||
                    params_num(p, "duty.ratio_town_minutes", &town_limit, e) < 0 ||
                    duty_board_load(db, district, scope, day, &b, e) < 0))
        rc = -1;
    free(p);
    if (rc == 0 && b.nclasses &&
        (!(days = malloc(b.nclasses * sizeof *days)) || duty_board_days(&b, &rules, now_minute, (int)limit, days) < 0))
        rc = err_set(e, 500, "duty_board", "", "师幼比计算失败");
    int nraised = 0;
    for (size_t i = 0; rc == 0 && i < b.nclasses; i++) {
        const struct duty_class_row *c = &b.classes[i];
        const struct duty_day *d = &days[i].ratio;
        for (int k = 0; rc == 0 && k < d->nover; k++) {
            struct duty_finding_row f = {c->institution_id, c->id, day, "", "", 0, NULL, basis[RULE_CAREGIVER_RATIO]};
            duty_hhmm(d->over[k].from, f.from);
            if (d->over[k].to >= 0)
                duty_hhmm(d->over[k].to, f.to);
            f.minutes = (d->over[k].to >= 0 ? d->over[k].to : now_minute) - d->over[k].from;
            char rule[512];
            snprintf(rule, sizeof rule,
                     "%s（%s，每名保育人员照护不超过 %g 名）师幼比不足：%s 起%s%d 分钟，超过 %d 分钟（参数 "
                     "ratio.%s.children_per_caregiver、duty.ratio_broken_minutes）",
                     c->name, class_type_name((enum class_type)c->type), d->now.per, f.from,
                     f.to[0] ? "持续 " : "已持续 ", f.minutes, (int)limit, class_type_code((enum class_type)c->type));
            f.rule = rule;
            int64_t id;
            int town_told;
            int fresh = duty_finding_record(db, district, &f, now_ts, &id, &town_told, e);
            if (fresh < 0 || (fresh && tell(db, district, c, id, 0, rule, f.basis, now_ts, e) < 0)) {
                rc = -1;
                break;
            }
            if (fresh && nraised++ < cap)
                raised[nraised - 1] = (struct duty_raised){id, c->institution_id, c->id, 0, f.minutes};
            if (!town_told && f.minutes > (int)town_limit) {
                if (tell(db, district, c, id, 1, rule, f.basis, now_ts, e) < 0 ||
                    duty_finding_town_told(db, id, now_ts, e) < 0) {
                    rc = -1;
                    break;
                }
                (*ntown)++;
                if (nraised++ < cap)
                    raised[nraised - 1] = (struct duty_raised){id, c->institution_id, c->id, 1, f.minutes};
            }
        }
    }
    /* a finding recorded earlier that today's records, corrected since (a duty entered late), no
     * longer show is withdrawn */
    struct duty_recorded *old = NULL;
    size_t nold = 0;
    if (rc == 0 && duty_findings_recorded(db, district, scope, day, &old, &nold, e) < 0)
        rc = -1;
    for (size_t k = 0; rc == 0 && k < nold; k++)
        if (!confirmed(&b, days, &old[k]) && duty_finding_withdraw(db, old[k].id, now_ts, e) < 0)
            rc = -1;
    free(old);
    free(days);
    duty_board_free(&b);
    return rc < 0 ? -1 : nraised;
}

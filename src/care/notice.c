/* notice.c — the guardian's notice of a check (notice.h): what was seen, the temperature and the
 * symptoms in Chinese, and what the institution did. */
#include "care/notice.h"

#include <math.h>
#include <stdio.h>

#include "inbox/inbox.h"

int care_check_notify(struct db *db, const char *district, const struct child *ch, const struct care_check *c,
                      int64_t check_id, const char *now_ts, struct err *e)
{
    char symptoms[512] = "", temp[32] = "", subject[256], body[1024];
    size_t len = 0;
    for (int k = 0; k < c->nsymptoms && len < sizeof symptoms; k++)
        len += (size_t)snprintf(symptoms + len, sizeof symptoms - len, "%s%s", k ? "、" : "",
                                care_symptom_find(c->symptoms[k])->name);
    if (!isnan(c->temperature_c))
        snprintf(temp, sizeof temp, "体温 %.1f ℃；", c->temperature_c);
    snprintf(subject, sizeof subject, "%s：%s有异常", care_name(c->slot), ch->name);
    snprintf(body, sizeof body, "%s %s%s：%s%s%s。处理：%s。%s", c->day, ch->name, care_name(c->slot), temp,
             len ? "症状：" : "", len ? symptoms : "未见其他症状", care_name(c->action), c->note);
    struct inbox_message m = {
        .user_id = ch->family_user_id,
        .kind = "care.health_check",
        .subject = subject,
        .body = body,
        .ref_type = "care_health_check",
        .ref_id = check_id,
        .due_at = now_ts,
    };
    return inbox_post(db, district, &m, now_ts, e);
}

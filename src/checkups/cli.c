/* cli.c — `tuoyu checkup-reminders`: tell families of the health checks of their children in
 * care whose window is open or opens within checkup.remind_before_days, through the inbox (and
 * so the SMS outbox), once per check window: each reminder is claimed in checkup_reminder, so a
 * second run the same day or later sends nothing new. Run daily from cron, as `tuoyu purge`; one
 * transaction with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cli.h"
#include "base/date.h"
#include "checkups/checkups.h"
#include "checkups/store.h"
#include "cli/job.h"
#include "commands.h"
#include "inbox/inbox.h"
#include "params/params.h"

static const char USAGE[] =
    "usage: tuoyu checkup-reminders [--now YYYY-MM-DDTHH:MM:SSZ] [--db PATH | --pg CONNINFO] [--key FILE]\n"
    "  Remind families, through the inbox and the SMS outbox, of the health checks of their children in\n"
    "  care that are due or fall due within checkup.remind_before_days days; once per check window (a\n"
    "  second run sends nothing new). Prints the number sent. Run daily. --now sets the clock (tests).\n";

/* Send the reminders of one child; *sent counts them. */
static int remind_child(struct db *db, const char *district, const struct checkups_in_care *k,
                        const struct checkups_rules *r, int lead_days, const char *today, const char *now_ts,
                        struct checkups_item *items, int *sent, struct err *e)
{
    struct checkups_done *done;
    int ndone;
    if (checkups_done_load(db, k->child_id, &done, &ndone, e) < 0)
        return -1;
    struct checkups_child c = {k->birth_date, k->care_from, done, ndone};
    int n = checkups_schedule(&c, r, today, items, CHECKUPS_MAX, e);
    free(done);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        const struct checkups_item *it = &items[i];
        char from[DATE_DAY_LEN];
        if (!it->in_care || it->status == CHECKUPS_DONE || it->status == CHECKUPS_OVERDUE ||
            date_add_days(it->opens, -lead_days, from) < 0 || strcmp(today, from) < 0)
            continue;
        int64_t id;
        int fresh = checkups_claim_reminder(db, district, k->child_id, it->code, it->opens, now_ts, &id, e);
        if (fresh < 0)
            return -1;
        if (!fresh)
            continue;
        char name[64], subject[256], body[1024];
        checkups_code_name(it->code, name, sizeof name);
        snprintf(subject, sizeof subject, "体检提醒：%s %s", k->name_masked, name);
        snprintf(body, sizeof body, "%s的%s请在 %s 至 %s 之间完成（可到社区卫生服务中心或%s安排）。检查结果请交%s登记。",
                 k->name_masked, name, it->opens, it->closes, k->institution_name, k->institution_name);
        struct inbox_message m = {.user_id = k->family_user_id, .kind = "checkup.reminder", .subject = subject,
                                  .body = body, .ref_type = "checkup_reminder", .ref_id = id, .due_at = now_ts};
        if (inbox_post(db, district, &m, now_ts, e) < 0)
            return -1;
        (*sent)++;
    }
    return 0;
}

int cmd_checkup_reminders(int argc, char **argv)
{
    static struct cli_job j;
    static struct params p;
    static struct checkups_item items[CHECKUPS_MAX];
    int code;
    if (!cli_job_open(&j, "checkup-reminders", USAGE, argc, argv, &code))
        return code;
    struct err e = {0};
    struct checkups_rules rules;
    double lead;
    struct checkups_in_care *kids = NULL;
    int nkids = 0, sent = 0;
    int rc = params_load(j.db, j.app.district_code, j.today, &p, &e);
    if (rc == 0)
        rc = checkups_rules_from_params(&p, &rules, &e);
    if (rc == 0)
        rc = params_num(&p, "checkup.remind_before_days", &lead, &e);
    if (rc == 0)
        rc = db_begin(j.db, &e);
    if (rc == 0)
        rc = checkups_children_in_care(j.db, j.app.district_code, NULL, 0, &kids, &nkids, &e);
    for (int k = 0; rc == 0 && k < nkids; k++)
        if (kids[k].family_user_id)
            rc = remind_child(j.db, j.app.district_code, &kids[k], &rules, (int)lead, j.today, j.now_ts, items,
                              &sent, &e);
    free(kids);
    json_t *fields = json_pack("{s:s, s:i}", "date", j.today, "sent", sent);
    code = cli_job_close(&j, rc, "checkup.remind", "checkup_reminder", fields, &e);
    json_decref(fields);
    if (code == CLI_OK)
        printf("%d\n", sent);
    return code;
}

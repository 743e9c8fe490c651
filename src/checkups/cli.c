/* cli.c — `tuoyu checkup-reminders`: tell families of the health checks of their children in
 * care whose window is open or opens within checkup.remind_before_days, through the inbox (and
 * so the SMS outbox), once per check window: each reminder is claimed in checkup_reminder, so a
 * second run the same day or later sends nothing new. Run daily from cron, as `tuoyu purge`; one
 * transaction with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_setup.h"
#include "audit/audit.h"
#include "base/cli.h"
#include "base/date.h"
#include "checkups/checkups.h"
#include "checkups/store.h"
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
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    int64_t now = (int64_t)time(NULL);
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("checkup-reminders", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (i + 1 < argc && strcmp(argv[i], "--now") == 0) {
            if (date_parse_timestamp(argv[++i], &now) < 0)
                return cli_usage_error("checkup-reminders", "--now: not an ISO timestamp: %s", argv[i]);
        } else
            return cli_usage_error("checkup-reminders", "unknown option or missing value: %s", argv[i]);
    }
    static struct app app;
    static struct params p;
    static struct checkups_item items[CHECKUPS_MAX];
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("checkup-reminders", &e);
    char today[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    date_format_day(now, today, sizeof today);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    struct checkups_rules rules;
    double lead;
    struct checkups_in_care *kids = NULL;
    int nkids = 0, sent = 0;
    int rc = params_load(db, app.district_code, today, &p, &e);
    if (rc == 0)
        rc = checkups_rules_from_params(&p, &rules, &e);
    if (rc == 0)
        rc = params_num(&p, "checkup.remind_before_days", &lead, &e);
    if (rc == 0)
        rc = db_begin(db, &e);
    if (rc == 0)
        rc = checkups_children_in_care(db, app.district_code, NULL, 0, &kids, &nkids, &e);
    for (int k = 0; rc == 0 && k < nkids; k++)
        if (kids[k].family_user_id)
            rc = remind_child(db, app.district_code, &kids[k], &rules, (int)lead, today, now_ts, items, &sent, &e);
    free(kids);
    if (rc == 0) {
        json_t *fields = json_pack("{s:s, s:i}", "date", today, "sent", sent);
        struct audit_entry a = {.district_code = app.district_code, .at = now, .action = "checkup.remind",
                                .target_type = "checkup_reminder", .fields = fields};
        rc = audit_append_commit(db, &a, &e);
        json_decref(fields);
    }
    if (rc < 0)
        db_rollback(db);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu checkup-reminders: %s\n", e.message);
        return CLI_FAIL;
    }
    printf("%d\n", sent);
    return CLI_OK;
}

/* rounds.c — allocation rounds of 入托一件事 (issue 5 part 5): the district administrator runs a
 * round for an intake month with a published seed; the submitted applications are frozen, given
 * lottery numbers (alloc_lottery over the applications in ascending id order), the engine runs
 * with each program's free places (capacity − enrolled − active bookings − open offers) as
 * capacity, and offers go out with a deadline (enrol.offer_deadline_days). Inputs, seed, outputs
 * and cut-offs are stored with the round and audited. Families accept (the child is enrolled and
 * its other applications withdrawn) or decline; a re-run lapses offers past their deadline and
 * runs the waitlist again with the same capacities and lottery, accepted places fixed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc.h"
#include "alloc/lottery.h"
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "enrol/enrol.h"
#include "enrol/rounds.h"
#include "inbox/inbox.h"
#include "params/params.h"

static const char *OPEN_STATES = ",in_round,offered,waitlisted,";

static int state_in(const char *set, const char *s)
{
    char buf[32];
    snprintf(buf, sizeof buf, ",%s,", s);
    return strstr(set, buf) != NULL;
}

/* Index of program (inst, type) in the inputs' programs, or ALLOC_NONE. */
static int32_t program_index(json_t *programs, int64_t inst, const char *type)
{
    size_t i;
    json_t *p;
    json_array_foreach(programs, i, p) if (json_integer_value(json_object_get(p, "institution_id")) == inst &&
                                           type && strcmp(json_string_value(json_object_get(p, "class_type")), type) == 0)
        return (int32_t)i;
    return ALLOC_NONE;
}

/* The district's institution names, {"<id>": name}, or NULL with e. */
static json_t *institution_names(struct http_req *req, struct err *e)
{
    struct db_stmt *st =
        enrol_stmt(req->db, e, "SELECT id, name FROM institution WHERE district_code = ?", "t", req->app->district_code);
    if (!st)
        return NULL;
    json_t *names = json_object();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        json_object_set_new(names, http_printf(req, "%" PRId64, db_col_int64(st, 0)), json_string(db_col_text(st, 1)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(names);
        return NULL;
    }
    return names;
}

/* Who is told of a round's result: the round's applications, {"<application id>": [family user id,
 * intake, child name masked]}, read once per run; or NULL with e. */
static json_t *round_families(struct http_req *req, int64_t round_id, struct err *e)
{
    struct db_stmt *st = enrol_stmt(req->db, e,
                                    "SELECT a.id, a.family_user_id, a.intake, ch.name_masked FROM application a "
                                    "JOIN child ch ON ch.id = a.child_id WHERE a.round_id = ?",
                                    "i", round_id);
    if (!st)
        return NULL;
    json_t *who = json_object();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        json_object_set_new(who, http_printf(req, "%" PRId64, db_col_int64(st, 0)),
                            json_pack("[I, s, s]", (json_int_t)db_col_int64(st, 1), db_col_text(st, 2), db_col_text(st, 3)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(who);
        return NULL;
    }
    return who;
}

/* Tell the family of application app_id (its entry of round_families) the round's result in its
 * inbox: an offer at inst_name of class type with its deadline and a reminder reminder_days before
 * it, or (reminder_days NULL) the waitlist. Messages refer to the application, so a decided offer's
 * reminder can be withdrawn. */
static int tell_family(struct http_req *req, int64_t app_id, const json_t *who, const double *reminder_days,
                       const char *inst_name, const char *type, const char *deadline, const char *now_ts, struct err *e)
{
    if (!who)
        return err_set(e, 500, "not_found", "", "申请不存在");
    int64_t family = json_integer_value(json_array_get(who, 0));
    const char *intake = json_string_value(json_array_get(who, 1)), *child = json_string_value(json_array_get(who, 2));
    if (!inst_name)
        inst_name = "";
    struct inbox_message m = {.user_id = family, .ref_type = "application", .ref_id = app_id, .due_at = now_ts};
    if (!reminder_days) {
        m.kind = "round.waitlisted";
        m.subject = "入托分配结果：已进入候补";
        m.body = http_printf(req,
                             "%s（%s 入托）本轮暂未获得录取，已进入候补名单。有名额空出时将按同样的积分和抽签顺序重新分配，"
                             "并通知您。各志愿的录取线可在申请详情中查看。",
                             child, intake);
        return inbox_post(req->db, req->app->district_code, &m, now_ts, e);
    }
    int t = class_type_from_code(type);
    const char *type_name = t >= 0 ? class_type_name((enum class_type)t) : type;
    m.kind = "offer.made";
    m.subject = "入托录取通知";
    m.body = http_printf(req, "%s已获%s%s录取（%s 入托）。请在 %s 前登录确认接受或放弃，逾期视为放弃。", child, inst_name,
                         type_name, intake, deadline);
    if (inbox_post(req->db, req->app->district_code, &m, now_ts, e) < 0)
        return -1;
    char day[DATE_DAY_LEN], due_ts[DATE_TIMESTAMP_LEN];
    int64_t due;
    if (date_add_days(deadline, -(int64_t)*reminder_days, day) < 0 || date_day_start(day, &due) < 0 || due <= req->now)
        return 0; /* the deadline is too close for a reminder */
    date_format_timestamp(due, due_ts, sizeof due_ts);
    m.kind = "offer.reminder";
    m.subject = "入托录取确认提醒";
    m.body = http_printf(req, "提醒：%s在%s%s的录取将于 %s 截止确认，请及时登录接受或放弃。", child, inst_name, type_name,
                         deadline);
    m.due_at = due_ts;
    return inbox_post(req->db, req->app->district_code, &m, now_ts, e);
}

/* Run the engine on the round's stored inputs with the applications' current states (accepted →
 * fixed; open → proposing; others left out), issue or supersede offers, move states, and store
 * outputs and cut-offs. Inside the caller's transaction. *issued = new offers. */
static int execute(struct http_req *req, int64_t round_id, json_t *inputs, const char *now_ts, const char *deadline,
                   int *issued, struct err *e)
{
    json_t *programs = json_object_get(inputs, "programs"), *apps = json_object_get(inputs, "applications");
    int32_t np = (int32_t)json_array_size(programs), na = (int32_t)json_array_size(apps);
    size_t nch = 0, i;
    json_t *a, *p;
    json_array_foreach(apps, i, a) nch += json_array_size(json_object_get(a, "choices"));
    int32_t *cap = calloc((size_t)np + 1, sizeof *cap), *start = calloc((size_t)na + 1, sizeof *start);
    int32_t *fixed = calloc((size_t)na + 1, sizeof *fixed);
    int64_t *lot = calloc((size_t)na + 1, sizeof *lot), *offer_id = calloc((size_t)na + 1, sizeof *offer_id);
    int32_t *offer_prog = calloc((size_t)na + 1, sizeof *offer_prog);
    char(*status)[24] = calloc((size_t)na + 1, sizeof *status);
    struct alloc_choice *ch = calloc(nch + 1, sizeof *ch);
    struct alloc_result res = {0};
    json_t *outputs = json_array(), *cutoffs = json_array(), *families = NULL, *names = NULL;
    int rc = -1;
    *issued = 0;
    if (!cap || !start || !fixed || !lot || !offer_id || !offer_prog || !status || !ch) {
        err_set(e, 500, "nomem", "", "内存不足");
        goto done;
    }
    char today[DATE_DAY_LEN];
    double reminder_days;
    date_format_day(req->now, today, sizeof today);
    if (params_get(req->db, req->app->district_code, "enrol.offer_reminder_days_before", today, &reminder_days, e) < 0 ||
        !(families = round_families(req, round_id, e)) || !(names = institution_names(req, e)))
        goto done;
    json_array_foreach(programs, i, p) cap[i] = (int32_t)json_integer_value(json_object_get(p, "capacity"));
    int32_t k = 0;
    json_array_foreach(apps, i, a)
    {
        int64_t app_id = json_integer_value(json_object_get(a, "application_id"));
        lot[i] = json_integer_value(json_object_get(a, "lottery"));
        fixed[i] = ALLOC_NONE;
        offer_prog[i] = ALLOC_NONE;
        start[i] = k;
        struct db_stmt *st = enrol_stmt(req->db, e, "SELECT status FROM application WHERE id = ?", "i", app_id);
        if (!st || db_step(st, e) != DB_ROW) {
            if (st)
                db_finalize(st);
            goto done;
        }
        snprintf(status[i], sizeof status[i], "%s", db_col_text(st, 0));
        db_finalize(st);
        /* its latest open or accepted offer of this round */
        st = enrol_stmt(req->db, e,
                        "SELECT id, institution_id, class_type, status FROM offer WHERE application_id = ? AND round_id = ? "
                        "AND status IN ('offered', 'accepted') ORDER BY id DESC",
                        "ii", app_id, round_id);
        if (!st)
            goto done;
        int src = db_step(st, e);
        if (src == DB_ROW) {
            offer_id[i] = db_col_int64(st, 0);
            offer_prog[i] = program_index(programs, db_col_int64(st, 1), db_col_text(st, 2));
            if (strcmp(db_col_text(st, 3), "accepted") == 0)
                fixed[i] = offer_prog[i];
        }
        db_finalize(st);
        if (src < 0)
            goto done;
        if (!state_in(OPEN_STATES, status[i]))
            continue; /* accepted (fixed), or withdrawn / declined / lapsed: no proposals */
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(a, "choices"), j, c)
        {
            int32_t pi = program_index(programs, json_integer_value(json_object_get(c, "institution_id")),
                                       json_string_value(json_object_get(c, "class_type")));
            if (pi == ALLOC_NONE)
                continue;
            ch[k].program = pi;
            ch[k].points = json_number_value(json_object_get(c, "points"));
            k++;
        }
    }
    start[na] = k;
    struct alloc_input in = {.n_programs = np, .capacity = cap, .n_children = na, .lottery = lot,
                             .choice_start = start, .choices = ch, .fixed = fixed};
    if (alloc_run(&in, &res, e) < 0)
        goto done;
    json_array_foreach(apps, i, a)
    {
        int64_t app_id = json_integer_value(json_object_get(a, "application_id"));
        int32_t got = res.program[i];
        json_t *gp = got == ALLOC_NONE ? NULL : json_array_get(programs, (size_t)got);
        json_array_append_new(outputs, json_pack("{s:I, s:O, s:O, s:b}", "application_id", (json_int_t)app_id,
                                                 "institution_id", gp ? json_object_get(gp, "institution_id") : json_null(),
                                                 "class_type", gp ? json_object_get(gp, "class_type") : json_null(),
                                                 "fixed", fixed[i] != ALLOC_NONE));
        if (!state_in(OPEN_STATES, status[i]) || fixed[i] != ALLOC_NONE)
            continue;
        if (got != ALLOC_NONE && got == offer_prog[i] && offer_id[i])
            continue; /* its offer stands */
        if (offer_id[i] && enrol_exec(req->db, e, "UPDATE offer SET status = 'superseded', decided_at = ? WHERE id = ? AND status = 'offered'",
                                      "ti", now_ts, offer_id[i]) < 0)
            goto done;
        if (got == ALLOC_NONE) {
            if (strcmp(status[i], "waitlisted") != 0 &&
                (enrol_app_transition(req, app_id, status[i], "waitlisted", now_ts,
                                      json_pack("{s:I}", "round_id", (json_int_t)round_id), e) < 0 ||
                 tell_family(req, app_id, json_object_get(families, http_printf(req, "%" PRId64, app_id)), NULL, NULL, NULL,
                             NULL, now_ts, e) < 0))
                goto done;
            continue;
        }
        const char *type = json_string_value(json_object_get(gp, "class_type"));
        int64_t inst = json_integer_value(json_object_get(gp, "institution_id"));
        struct db_stmt *st = enrol_stmt(
            req->db, e,
            "INSERT INTO offer (district_code, round_id, application_id, child_id, family_user_id, institution_id, "
            "class_type, status, deadline, created_at) SELECT district_code, ?, id, child_id, family_user_id, ?, ?, "
            "'offered', ?, ? FROM application WHERE id = ? RETURNING id",
            "iittti", round_id, inst, type, deadline, now_ts, app_id);
        if (!st)
            goto done;
        int src = db_step(st, e);
        int64_t oid = src == DB_ROW ? db_col_int64(st, 0) : 0;
        db_finalize(st);
        if (src != DB_ROW)
            goto done;
        json_t *f = json_pack("{s:I, s:I, s:I, s:s, s:s, s:i}", "round_id", (json_int_t)round_id, "offer_id",
                              (json_int_t)oid, "institution_id", (json_int_t)inst, "class_type", type, "deadline",
                              deadline, "choice", res.choice[i] + 1);
        if (enrol_app_transition(req, app_id, status[i], "offered", now_ts, f, e) < 0 ||
            tell_family(req, app_id, json_object_get(families, http_printf(req, "%" PRId64, app_id)), &reminder_days,
                        json_string_value(json_object_get(names, http_printf(req, "%" PRId64, inst))), type, deadline,
                        now_ts, e) < 0)
            goto done;
        (*issued)++;
    }
    json_array_foreach(programs, i, p)
    {
        const struct alloc_cutoff *c = &res.cutoff[i];
        json_t *last = c->last_child == ALLOC_NONE
                           ? json_null()
                           : json_deep_copy(json_object_get(json_array_get(apps, (size_t)c->last_child), "application_id"));
        json_array_append_new(cutoffs,
                              json_pack("{s:O, s:O, s:i, s:i, s:i, s:b, s:o, s:f, s:I}", "institution_id",
                                        json_object_get(p, "institution_id"), "class_type", json_object_get(p, "class_type"),
                                        "capacity", c->capacity, "fixed", c->fixed, "admitted", c->admitted, "full",
                                        c->full, "last_application_id", last, "last_points", c->last_points,
                                        "last_lottery", (json_int_t)c->last_lottery));
    }
    char *out_s = json_dumps(outputs, JSON_COMPACT), *cut_s = json_dumps(cutoffs, JSON_COMPACT);
    int64_t n = out_s && cut_s ? enrol_exec(req->db, e, "UPDATE alloc_round SET outputs = ?, cutoffs = ?, updated_at = ? WHERE id = ?",
                                            "ttti", out_s, cut_s, now_ts, round_id)
                               : err_set(e, 500, "nomem", "", "内存不足");
    free(out_s);
    free(cut_s);
    rc = n < 0 ? -1 : 0;
done:
    alloc_result_free(&res);
    json_decref(outputs);
    json_decref(cutoffs);
    json_decref(families);
    json_decref(names);
    free(cap);
    free(start);
    free(fixed);
    free(lot);
    free(offer_id);
    free(offer_prog);
    free(status);
    free(ch);
    return rc;
}

static int offer_deadline(struct http_req *req, const char *today, char deadline[16], struct err *e)
{
    double days;
    if (params_get(req->db, req->app->district_code, "enrol.offer_deadline_days", today, &days, e) < 0)
        return -1;
    char d[DATE_DAY_LEN];
    if (date_add_days(today, (int64_t)days, d) < 0)
        return err_set(e, 500, "bad_date", "", "日期计算失败");
    snprintf(deadline, 16, "%s", d);
    return 0;
}

static json_t *round_json(struct http_req *req, int64_t id, struct err *e)
{
    struct db_stmt *st = enrol_stmt(req->db, e,
                                    "SELECT id, intake, seed, runs, inputs, outputs, cutoffs, created_at, updated_at "
                                    "FROM alloc_round WHERE id = ? AND district_code = ?",
                                    "it", id, req->app->district_code);
    if (!st)
        return NULL;
    int rc = db_step(st, e);
    if (rc != DB_ROW) {
        db_finalize(st);
        if (rc >= 0)
            err_set(e, 404, "not_found", "id", "未找到该轮次");
        return NULL;
    }
    json_t *in = json_loads(db_col_text(st, 4), 0, NULL), *out = json_loads(db_col_text(st, 5), 0, NULL),
           *cut = json_loads(db_col_text(st, 6), 0, NULL);
    json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:o, s:o, s:o, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                          "intake", db_col_text(st, 1), "seed", db_col_text(st, 2), "runs", (int)db_col_int64(st, 3),
                          "inputs", in ? in : json_object(), "outputs", out ? out : json_array(), "cutoffs",
                          cut ? cut : json_array(), "created_at", db_col_text(st, 7), "updated_at", db_col_text(st, 8),
                          "lottery_order", "ascending application id");
    db_finalize(st);
    /* institution names for the cut-offs and the programs of the inputs */
    json_t *names = institution_names(req, e);
    if (!names) {
        json_decref(o);
        return NULL;
    }
    json_t *lists[] = {json_object_get(o, "cutoffs"), json_object_get(json_object_get(o, "inputs"), "programs")};
    for (size_t l = 0; rc >= 0 && l < sizeof lists / sizeof *lists; l++) {
        size_t i;
        json_t *p;
        json_array_foreach(lists[l], i, p)
        {
            json_t *n = json_object_get(
                names, http_printf(req, "%" PRId64, (int64_t)json_integer_value(json_object_get(p, "institution_id"))));
            json_object_set(p, "institution_name", n ? n : json_null());
        }
    }
    json_decref(names);
    st = rc < 0 ? NULL
                : enrol_stmt(req->db, e,
                             "SELECT o.id, o.application_id, o.child_id, o.institution_id, o.class_type, o.status, o.deadline, "
                             "ch.name_masked, i.name FROM offer o JOIN child ch ON ch.id = o.child_id "
                             "JOIN institution i ON i.id = o.institution_id WHERE o.round_id = ? ORDER BY o.id",
                             "i", id);
    if (!st) {
        json_decref(o);
        return NULL;
    }
    json_t *offers = json_array();
    while ((rc = db_step(st, e)) == DB_ROW)
        json_array_append_new(offers, json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                                                (json_int_t)db_col_int64(st, 0), "application_id",
                                                (json_int_t)db_col_int64(st, 1), "child_id", (json_int_t)db_col_int64(st, 2),
                                                "institution_id", (json_int_t)db_col_int64(st, 3), "class_type",
                                                db_col_text(st, 4), "status", db_col_text(st, 5), "deadline",
                                                db_col_text(st, 6), "child_name", db_col_text(st, 7), "institution_name",
                                                db_col_text(st, 8)));
    db_finalize(st);
    json_object_set_new(o, "offers", offers);
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The free places of a program for a new round: capacity − enrolled − active bookings − open
 * offers, after taking the program's row locks. */
static int64_t program_free(struct http_req *req, int64_t inst, const char *type, struct err *e)
{
    if (enrol_exec(req->db, e, "UPDATE institution_class SET enrolled = enrolled WHERE institution_id = ? AND class_type = ?",
                   "it", inst, type) < 0)
        return -1;
    struct db_stmt *st = enrol_stmt(
        req->db, e,
        "SELECT COALESCE(SUM(capacity), 0), COALESCE(SUM(enrolled), 0), "
        "(SELECT COUNT(*) FROM booking b WHERE b.institution_id = ? AND b.class_type = ? AND b.status = 'booked'), "
        "(SELECT COUNT(*) FROM offer o WHERE o.institution_id = ? AND o.class_type = ? AND o.status = 'offered') "
        "FROM institution_class WHERE institution_id = ? AND class_type = ?",
        "ititit", inst, type, inst, type, inst, type);
    if (!st)
        return -1;
    int rc = db_step(st, e);
    int64_t n = rc == DB_ROW ? enrol_free_places((int)db_col_int64(st, 0), (int)db_col_int64(st, 1),
                                                 (int)(db_col_int64(st, 2) + db_col_int64(st, 3)))
                             : -1;
    db_finalize(st);
    return n;
}

static int run_round(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *intake = json_string_value(json_object_get(body, "intake"));
    char seed_hex[2 * ALLOC_SEED_BYTES + 1];
    unsigned char seed[ALLOC_SEED_BYTES];
    if (alloc_seed_parse(json_string_value(json_object_get(body, "seed")), seed, &e) < 0)
        return http_reply_error(rep, 422, "bad_seed", "seed", "随机种子应为 64 位十六进制数字（32 字节）");
    alloc_seed_format(seed, seed_hex);
    struct authz_target t = {0};
    if (authz_require(req, "round.run", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[32], today[11], deadline[16];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_day(req->now, today, sizeof today);
    if (offer_deadline(req, today, deadline, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *programs = json_array(), *apps = json_array();
    int64_t *lot = NULL, round_id = 0;
    int issued = 0;
    if (db_begin(req->db, &e) < 0)
        goto out;
    /* take the row locks of the applications to freeze: a concurrent round for the same intake
     * waits, then finds them no longer submitted (PostgreSQL re-checks the WHERE after the wait) */
    if (enrol_exec(req->db, &e, "UPDATE application SET status = status WHERE district_code = ? AND intake = ? AND status = 'submitted'",
                   "tt", req->app->district_code, intake) < 0)
        goto fail;
    struct db_stmt *st = enrol_stmt(req->db, &e,
                                    "SELECT id, child_id, family_user_id FROM application WHERE district_code = ? AND intake = ? "
                                    "AND status = 'submitted' ORDER BY id",
                                    "tt", req->app->district_code, intake);
    if (!st)
        goto fail;
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW)
        json_array_append_new(apps, json_pack("{s:I, s:I, s:I}", "application_id", (json_int_t)db_col_int64(st, 0), "child_id",
                                              (json_int_t)db_col_int64(st, 1), "family_user_id",
                                              (json_int_t)db_col_int64(st, 2)));
    db_finalize(st);
    if (rc < 0)
        goto fail;
    size_t n = json_array_size(apps), i;
    struct enrol_points_table table;
    if (enrol_points_load(req->db, req->app->district_code, today, &table, &e) < 0)
        goto fail;
    lot = calloc(n + 1, sizeof *lot);
    if (!lot) {
        err_set(&e, 500, "nomem", "", "内存不足");
        goto fail;
    }
    if (alloc_lottery(seed, (int32_t)n, lot, &e) < 0)
        goto fail;
    json_t *a;
    json_array_foreach(apps, i, a)
    {
        int64_t app_id = json_integer_value(json_object_get(a, "application_id"));
        json_object_set_new(a, "lottery", json_integer(lot[i]));
        if (enrol_application_points(req->db, &table, app_id, &e) < 0)
            goto fail;
        st = enrol_stmt(req->db, &e,
                        "SELECT institution_id, class_type, points FROM application_choice WHERE application_id = ? "
                        "ORDER BY choice_rank",
                        "i", app_id);
        if (!st)
            goto fail;
        json_t *chs = json_array();
        json_object_set_new(a, "choices", chs);
        while ((rc = db_step(st, &e)) == DB_ROW) {
            int64_t inst = db_col_int64(st, 0);
            const char *type = db_col_text(st, 1);
            json_array_append_new(chs, json_pack("{s:I, s:s, s:f}", "institution_id", (json_int_t)inst, "class_type", type,
                                                 "points", db_col_double(st, 2)));
            if (program_index(programs, inst, type) == ALLOC_NONE)
                json_array_append_new(programs, json_pack("{s:I, s:s}", "institution_id", (json_int_t)inst, "class_type", type));
        }
        db_finalize(st);
        if (rc < 0)
            goto fail;
    }
    json_t *p;
    json_array_foreach(programs, i, p)
    {
        int64_t free_places = program_free(req, json_integer_value(json_object_get(p, "institution_id")),
                                           json_string_value(json_object_get(p, "class_type")), &e);
        if (free_places < 0)
            goto fail;
        json_object_set_new(p, "capacity", json_integer(free_places));
    }
    json_t *inputs = json_pack("{s:O, s:O}", "programs", programs, "applications", apps);
    char *in_s = json_dumps(inputs, JSON_COMPACT);
    st = in_s ? enrol_stmt(req->db, &e,
                           "INSERT INTO alloc_round (district_code, intake, seed, runs, inputs, outputs, cutoffs, created_by, "
                           "created_at, updated_at) VALUES (?,?,?,1,?,'[]','[]',?,?,?) RETURNING id",
                           "ttttitt", req->app->district_code, intake, seed_hex, in_s, req->user->id, now_ts, now_ts)
              : NULL;
    free(in_s);
    if (!st) {
        json_decref(inputs);
        goto fail;
    }
    rc = db_step(st, &e);
    round_id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) {
        json_decref(inputs);
        goto fail;
    }
    json_array_foreach(apps, i, a)
    {
        int64_t app_id = json_integer_value(json_object_get(a, "application_id"));
        if (enrol_exec(req->db, &e, "UPDATE application SET round_id = ?, lottery = ? WHERE id = ?", "iii", round_id, lot[i],
                       app_id) < 0 ||
            enrol_app_transition(req, app_id, "submitted", "in_round", now_ts,
                                 json_pack("{s:I, s:I}", "round_id", (json_int_t)round_id, "lottery", (json_int_t)lot[i]),
                                 &e) < 0) {
            json_decref(inputs);
            goto fail;
        }
    }
    rc = execute(req, round_id, inputs, now_ts, deadline, &issued, &e);
    json_decref(inputs);
    if (rc < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:i, s:i, s:i}", "intake", intake, "seed", seed_hex, "applications", (int)n,
                          "programs", (int)json_array_size(programs), "offers", issued);
    rc = audit_request(req, "round.run", "alloc_round", http_printf(req, "%" PRId64, round_id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    free(lot);
    json_decref(programs);
    json_decref(apps);
    json_t *o = round_json(req, round_id, &e);
    return o ? http_reply_json(rep, 201, o) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
out:
    free(lot);
    json_decref(programs);
    json_decref(apps);
    return http_reply_err(rep, &e);
}

static int round_id_param(struct http_req *req, const char *action, int64_t *id, struct err *e)
{
    *id = http_param_id(req, "id");
    struct authz_target t = {0};
    return authz_require(req, action, &t, e);
}

static int get_round(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id;
    if (round_id_param(req, "round.read", &id, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = round_json(req, id, &e); /* names the offered children (masked): a staff read */
    if (o && audit_staff_read(req, "round.read", "alloc_round", http_printf(req, "%" PRId64, id), NULL, &e) < 0) {
        json_decref(o);
        o = NULL;
    }
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
}

static int list_rounds(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "round.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    const char *intake = http_query(req, "intake");
    intake = intake && intake[0] ? intake : NULL;
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st = enrol_stmt(
        req->db, &e,
        "SELECT r.id, r.intake, r.seed, r.runs, r.created_at, r.updated_at, "
        "(SELECT COUNT(*) FROM application a WHERE a.round_id = r.id), "
        "(SELECT COUNT(*) FROM offer o WHERE o.round_id = r.id AND o.status = 'offered'), "
        "(SELECT COUNT(*) FROM offer o WHERE o.round_id = r.id AND o.status = 'accepted') "
        "FROM alloc_round r WHERE r.district_code = ? AND (CAST(? AS TEXT) IS NULL OR r.intake = ?) "
        "AND (? = 0 OR r.id < ?) ORDER BY r.id DESC LIMIT ?",
        "tttiii", req->app->district_code, intake, intake, page.after_id, page.after_id, (int64_t)page.limit + 1);
    if (!st)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), NULL))
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:I, s:I, s:I}", "id",
                                               (json_int_t)db_col_int64(st, 0), "intake", db_col_text(st, 1), "seed",
                                               db_col_text(st, 2), "runs", (int)db_col_int64(st, 3), "created_at",
                                               db_col_text(st, 4), "updated_at", db_col_text(st, 5), "applications",
                                               (json_int_t)db_col_int64(st, 6), "open_offers",
                                               (json_int_t)db_col_int64(st, 7), "accepted", (json_int_t)db_col_int64(st, 8)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int rerun_round(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id;
    if (round_id_param(req, "round.rerun", &id, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[32], today[11], deadline[16];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_day(req->now, today, sizeof today);
    if (offer_deadline(req, today, deadline, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *inputs = NULL;
    int lapsed = 0, issued = 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* the round row lock serialises re-runs of one round */
    int64_t n = enrol_exec(req->db, &e, "UPDATE alloc_round SET runs = runs + 1 WHERE id = ? AND district_code = ?", "it", id,
                           req->app->district_code);
    if (n < 0)
        goto fail;
    if (n == 0) {
        err_set(&e, 404, "not_found", "id", "未找到该轮次");
        goto fail;
    }
    /* and the locks of its offers, so an accept or decline in flight finishes first */
    if (enrol_exec(req->db, &e, "UPDATE offer SET status = status WHERE round_id = ?", "i", id) < 0)
        goto fail;
    struct db_stmt *st = enrol_stmt(req->db, &e, "SELECT inputs FROM alloc_round WHERE id = ?", "i", id);
    if (!st)
        goto fail;
    int rc = db_step(st, &e);
    if (rc == DB_ROW)
        inputs = json_loads(db_col_text(st, 0), 0, NULL);
    db_finalize(st);
    if (rc != DB_ROW || !inputs) {
        if (rc >= 0)
            err_set(&e, 500, "bad_round", "id", "轮次数据损坏");
        goto fail;
    }
    /* lapse offers past their deadline */
    st = enrol_stmt(req->db, &e, "SELECT id, application_id FROM offer WHERE round_id = ? AND status = 'offered' AND deadline < ?",
                    "it", id, today);
    if (!st)
        goto fail;
    json_t *lo = json_array(); /* [[offer id, application id]] */
    while ((rc = db_step(st, &e)) == DB_ROW)
        json_array_append_new(lo, json_pack("[I, I]", (json_int_t)db_col_int64(st, 0), (json_int_t)db_col_int64(st, 1)));
    db_finalize(st);
    lapsed = (int)json_array_size(lo);
    for (int k = 0; rc >= 0 && k < lapsed; k++) {
        int64_t oid = json_integer_value(json_array_get(json_array_get(lo, (size_t)k), 0));
        int64_t aid = json_integer_value(json_array_get(json_array_get(lo, (size_t)k), 1));
        if (enrol_exec(req->db, &e, "UPDATE offer SET status = 'lapsed', decided_at = ? WHERE id = ?", "ti", now_ts, oid) < 0 ||
            enrol_app_transition(req, aid, "offered", "lapsed", now_ts,
                                 json_pack("{s:I, s:I}", "round_id", (json_int_t)id, "offer_id", (json_int_t)oid), &e) < 0)
            rc = -1;
    }
    json_decref(lo);
    if (rc < 0)
        goto fail;
    if (execute(req, id, inputs, now_ts, deadline, &issued, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:i, s:i}", "lapsed", lapsed, "offers", issued);
    rc = audit_request(req, "round.rerun", "alloc_round", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    json_decref(inputs);
    json_t *o = round_json(req, id, &e);
    if (o) {
        json_object_set_new(o, "lapsed", json_integer(lapsed));
        json_object_set_new(o, "new_offers", json_integer(issued));
    }
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
    json_decref(inputs);
    return http_reply_err(rep, &e);
}

/* Accept or decline an open offer of the family's. */
static int decide_offer(struct http_req *req, struct http_reply *rep, int accept)
{
    struct err e = {0};
    const char *action = accept ? "offer.accept" : "offer.decline";
    int64_t id = http_param_id(req, "id");
    struct db_stmt *st = enrol_stmt(req->db, &e,
                                    "SELECT family_user_id, application_id, child_id, institution_id, class_type, status, deadline "
                                    "FROM offer WHERE id = ? AND district_code = ?",
                                    "it", id, req->app->district_code);
    if (!st)
        return http_reply_err(rep, &e);
    int rc = db_step(st, &e);
    int64_t owner = 0, app_id = 0, child = 0, inst = 0;
    char type[24] = "", status[24] = "", deadline[16] = "";
    if (rc == DB_ROW) {
        owner = db_col_int64(st, 0);
        app_id = db_col_int64(st, 1);
        child = db_col_int64(st, 2);
        inst = db_col_int64(st, 3);
        snprintf(type, sizeof type, "%s", db_col_text(st, 4));
        snprintf(status, sizeof status, "%s", db_col_text(st, 5));
        snprintf(deadline, sizeof deadline, "%s", db_col_text(st, 6));
    }
    db_finalize(st);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc != DB_ROW)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该录取通知");
    struct authz_target t = {.owner_user_id = owner};
    if (authz_require(req, action, &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[32], today[11];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_day(req->now, today, sizeof today);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* lock the offer, then re-read its status */
    if (enrol_exec(req->db, &e, "UPDATE offer SET status = status WHERE id = ?", "i", id) < 0)
        goto fail;
    st = enrol_stmt(req->db, &e, "SELECT status FROM offer WHERE id = ?", "i", id);
    if (!st)
        goto fail;
    rc = db_step(st, &e);
    if (rc == DB_ROW)
        snprintf(status, sizeof status, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    if (strcmp(status, "offered") != 0) {
        err_set(&e, 409, "offer_closed", "id", "该录取通知已处理（%s），不能再%s", status, accept ? "接受" : "放弃");
        goto fail;
    }
    if (accept && strcmp(deadline, today) < 0) {
        err_set(&e, 409, "offer_expired", "id", "该录取通知已于 %s 过期", deadline);
        goto fail;
    }
    int64_t class_id = 0;
    if (accept) {
        if (enrol_exec(req->db, &e, "UPDATE institution_class SET enrolled = enrolled WHERE institution_id = ? AND class_type = ?",
                       "it", inst, type) < 0)
            goto fail;
        int found;
        class_id = enrol_int(req->db, &e, &found,
                             "SELECT id FROM institution_class WHERE institution_id = ? AND class_type = ? AND enrolled < capacity "
                             "ORDER BY id LIMIT 1",
                             "it", inst, type);
        if (class_id < 0)
            goto fail;
        if (!found) {
            err_set(&e, 409, "program_full", "id", "该班型已无空位，请联系托育机构");
            goto fail;
        }
        if (enrol_exec(req->db, &e, "UPDATE institution_class SET enrolled = enrolled + 1 WHERE id = ?", "i", class_id) < 0 ||
            enrol_exec(req->db, &e, "UPDATE child SET institution_id = ?, updated_at = ? WHERE id = ?", "iti", inst, now_ts,
                       child) < 0)
            goto fail;
    }
    const char *to = accept ? "accepted" : "declined";
    if (enrol_exec(req->db, &e, "UPDATE offer SET status = ?, decided_at = ? WHERE id = ?", "tti", to, now_ts, id) < 0 ||
        enrol_app_transition(req, app_id, "offered", to, now_ts, json_pack("{s:I}", "offer_id", (json_int_t)id), &e) < 0)
        goto fail;
    int withdrawn = 0;
    if (accept) { /* the child's other open applications are withdrawn */
        st = enrol_stmt(req->db, &e,
                        "SELECT id, status FROM application WHERE child_id = ? AND id <> ? AND status IN "
                        "('draft', 'submitted', 'in_round', 'offered', 'waitlisted') ORDER BY id",
                        "ii", child, app_id);
        if (!st)
            goto fail;
        int64_t others[64];
        char ost[64][24];
        while ((rc = db_step(st, &e)) == DB_ROW && withdrawn < 64) {
            others[withdrawn] = db_col_int64(st, 0);
            snprintf(ost[withdrawn], sizeof ost[withdrawn], "%s", db_col_text(st, 1));
            withdrawn++;
        }
        db_finalize(st);
        if (rc < 0)
            goto fail;
        for (int k = 0; k < withdrawn; k++)
            if (enrol_exec(req->db, &e,
                           "UPDATE offer SET status = 'withdrawn', decided_at = ? WHERE application_id = ? AND status = 'offered'",
                           "ti", now_ts, others[k]) < 0 ||
                enrol_app_transition(req, others[k], ost[k], "withdrawn", now_ts,
                                     json_pack("{s:s, s:I}", "reason", "accepted_other_offer", "offer_id", (json_int_t)id),
                                     &e) < 0)
                goto fail;
    }
    json_t *f = json_pack("{s:I, s:I, s:s, s:i}", "application_id", (json_int_t)app_id, "institution_id", (json_int_t)inst,
                          "class_type", type, "withdrawn_applications", withdrawn);
    rc = audit_request(req, action, "offer", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:i}", "id", (json_int_t)id,
                                               "application_id", (json_int_t)app_id, "child_id", (json_int_t)child,
                                               "institution_id", (json_int_t)inst, "class_type", type, "status", to,
                                               "class_id", class_id ? json_integer(class_id) : json_null(),
                                               "withdrawn_applications", withdrawn));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int accept_offer(struct http_req *req, struct http_reply *rep) { return decide_offer(req, rep, 1); }
static int decline_offer(struct http_req *req, struct http_reply *rep) { return decide_offer(req, rep, 0); }

static const struct http_schema RUN_BODY = {
    NULL, HTTP_OBJECT, 0, "分配轮次",
    .members = (const struct http_schema[]){
        {"intake", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {"seed", HTTP_STRING, HTTP_REQUIRED, "公开的随机种子（64 位十六进制）", 2 * ALLOC_SEED_BYTES},
        {NULL}}};
/* re-run, accept, decline: no members, an empty body or {} */
static const struct http_schema NO_MEMBERS = {NULL, HTTP_OBJECT, 0, "无字段（可不带请求体）"};

static const struct http_schema ROUND = {
    NULL, HTTP_OBJECT, 0, "分配轮次（含输入、结果、分数线）",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "轮次编号"},
        {"intake", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {"seed", HTTP_STRING, HTTP_REQUIRED, "随机种子"},
        {"runs", HTTP_INTEGER, HTTP_REQUIRED, "运行次数"},
        {"inputs", HTTP_OBJECT, 0, "冻结的输入（容量、积分、摇号）"},
        {"outputs", HTTP_ARRAY, 0, "结果", .items = &(const struct http_schema){NULL, HTTP_OBJECT, 0, "录取结果"}},
        {"cutoffs", HTTP_ARRAY, 0, "各班型分数线", .items = &(const struct http_schema){NULL, HTTP_OBJECT, 0, "分数线"}},
        {"created_at", HTTP_DATETIME, 0, "创建时间"},
        {"updated_at", HTTP_DATETIME, 0, "更新时间"},
        {"lottery_order", HTTP_STRING, 0, "摇号顺序"},
        {"lapsed", HTTP_INTEGER, 0, "本次过期的录取（重跑）"},
        {"new_offers", HTTP_INTEGER, 0, "本次新发的录取（重跑）"},
        {NULL}}};
static const struct http_schema ROUND_ITEM = {
    NULL, HTTP_OBJECT, 0, "分配轮次（列表）",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "轮次编号"},
        {"intake", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {"seed", HTTP_STRING, 0, "随机种子"},
        {"runs", HTTP_INTEGER, 0, "运行次数"},
        {"created_at", HTTP_DATETIME, 0, "创建时间"},
        {"updated_at", HTTP_DATETIME, 0, "更新时间"},
        {"applications", HTTP_INTEGER, 0, "参与的申请"},
        {"open_offers", HTTP_INTEGER, 0, "待确认的录取"},
        {"accepted", HTTP_INTEGER, 0, "已接受的录取"},
        {NULL}}};
static const struct http_schema ROUND_PAGE = HTTP_PAGE_OF(ROUND_ITEM);
static const struct http_schema DECISION = {
    NULL, HTTP_OBJECT, 0, "录取通知的确认结果",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "录取通知编号"},
        {"application_id", HTTP_ID, HTTP_REQUIRED, "申请"},
        {"child_id", HTTP_ID, HTTP_REQUIRED, "孩子"},
        {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
        {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型"},
        {"status", HTTP_STRING, HTTP_REQUIRED, "accepted 或 declined"},
        {"class_id", HTTP_ID, HTTP_NULLABLE, "编入的班级（接受时）"},
        {"withdrawn_applications", HTTP_INTEGER, HTTP_REQUIRED, "随之撤回的其他申请数"},
        {NULL}}};

const struct route rounds_routes[] = {
    {"POST", "/api/v1/rounds", "round.run", run_round, &RUN_BODY, &ROUND, 201},
    {"GET", "/api/v1/rounds", "round.read", list_rounds, NULL, &ROUND_PAGE},
    {"GET", "/api/v1/rounds/{id}", "round.read", get_round, NULL, &ROUND},
    {"POST", "/api/v1/rounds/{id}/rerun", "round.rerun", rerun_round, &NO_MEMBERS, &ROUND},
    {"POST", "/api/v1/offers/{id}/accept", "offer.accept", accept_offer, &NO_MEMBERS, &DECISION},
    {"POST", "/api/v1/offers/{id}/decline", "offer.decline", decline_offer, &NO_MEMBERS, &DECISION},
    {NULL, NULL, NULL, NULL},
};

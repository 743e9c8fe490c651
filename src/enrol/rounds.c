/* rounds.c — allocation rounds of 入托一件事 (issue 5 part 5): the district administrator runs a
 * round for an intake month with a published seed; the submitted applications are frozen, given
 * lottery numbers (alloc_lottery over the applications in ascending id order), the engine runs
 * with each program's free places (capacity − enrolled − active bookings − open offers) as
 * capacity, and offers go out with a deadline (enrol.offer_deadline_days). Inputs, seed, outputs
 * and cut-offs are stored with the round and audited. Families accept (the child is enrolled, its
 * other applications withdrawn and its booking released: one place per child) or decline; a re-run lapses offers past their deadline and
 * runs the waitlist again with the same capacities and lottery, accepted places fixed. Every
 * state change follows the transition tables of enrol.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc.h"
#include "alloc/lottery.h"
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "enrol/api.h"
#include "enrol/enrol.h"
#include "enrol/internal.h"
#include "enrol/store.h"
#include "inbox/inbox.h"
#include "params/params.h"

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

/* The figures a run reads, from the parameters in force today (loaded once per request). */
struct run_rules {
    char deadline[DATE_DAY_LEN]; /* of the offers made today */
    double reminder_days;        /* enrol.offer_reminder_days_before */
    struct enrol_points_table points;
};

static int run_rules_load(struct http_req *req, const struct enrol_clock *clk, int with_points, struct run_rules *r,
                          struct err *e)
{
    struct params *p = http_alloc(req, sizeof *p);
    if (params_load(req->db, req->district, clk->today, p, e) < 0 ||
        enrol_offer_deadline(p, clk->today, r->deadline, e) < 0 ||
        params_num(p, "enrol.offer_reminder_days_before", &r->reminder_days, e) < 0)
        return -1;
    return with_points ? enrol_points_from_params(p, &r->points, e) : 0;
}

/* Tell the family of application a the round's result in its inbox: an offer at inst_name of class
 * type with its deadline, what to do next (enrol_next_steps) and a reminder reminder_days before
 * it, or (reminder_days NULL) the waitlist. Messages refer to the application, so a decided offer's reminder can be withdrawn. */
static int tell_family(struct http_req *req, const struct enrol_round_app *a, const double *reminder_days, int64_t inst,
                       const char *inst_name, const char *type, const char *deadline, const char *now_ts, struct err *e)
{
    if (!inst_name)
        inst_name = "";
    struct inbox_message m = {.user_id = a->family_user_id, .ref_type = "application", .ref_id = a->id, .due_at = now_ts};
    char intake[DATE_WORDS_LEN], until[DATE_WORDS_LEN];
    date_words(a->intake, intake, sizeof intake);
    date_words(deadline, until, sizeof until);
    if (!reminder_days) {
        m.kind = "round.waitlisted";
        m.subject = "入托分配结果：已进入候补";
        m.body = http_printf(req,
                             "%s（%s入托）本轮暂未获得录取，已进入候补名单。有名额空出时将按同样的积分和抽签顺序重新分配，"
                             "并通知您。各志愿的录取线可在申请详情中查看。",
                             a->child_name, intake);
        return inbox_post(req->db, req->district, &m, now_ts, e);
    }
    int t = class_type_from_code(type);
    const char *type_name = t >= 0 ? class_type_name((enum class_type)t) : type;
    const char *words;
    if (enrol_next_steps(req, inst, 1, a->intake, &words, NULL, e) < 0)
        return -1;
    m.kind = "offer.made";
    m.subject = "入托录取通知";
    m.body = http_printf(req, "%s已获%s%s录取（%s入托）。请在 %s 前登录确认接受或放弃，逾期视为放弃。%s", a->child_name,
                         inst_name, type_name, intake, until, words);
    if (inbox_post(req->db, req->district, &m, now_ts, e) < 0)
        return -1;
    char day[DATE_DAY_LEN], due_ts[DATE_TIMESTAMP_LEN];
    int64_t due;
    if (date_add_days(deadline, -(int64_t)*reminder_days, day) < 0 || date_day_start(day, &due) < 0 || due <= req->now)
        return 0; /* the deadline is too close for a reminder */
    date_format_timestamp(due, due_ts, sizeof due_ts);
    m.kind = "offer.reminder";
    m.subject = "入托录取确认提醒";
    m.body = http_printf(req, "提醒：%s在%s%s的录取将于 %s 截止确认，请及时登录接受或放弃。", a->child_name, inst_name,
                         type_name, until);
    m.due_at = due_ts;
    return inbox_post(req->db, req->district, &m, now_ts, e);
}

/* The round's application app_id in state (sorted by id), or NULL. */
static const struct enrol_round_app *round_app(const struct enrol_round_app *state, int n, int64_t app_id)
{
    for (int lo = 0, hi = n - 1; lo <= hi;) {
        int mid = (lo + hi) / 2;
        if (state[mid].id == app_id)
            return &state[mid];
        if (state[mid].id < app_id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* The engine's run over a round's stored inputs with its applications' current states. */
struct engine_run {
    const struct enrol_round_app **app; /* each input application's state */
    int32_t *offer_program;             /* the program of its latest open or accepted offer, or ALLOC_NONE */
    int32_t *fixed;                     /* the program of its accepted offer, or ALLOC_NONE */
    struct alloc_result res;
};

static void engine_run_free(struct engine_run *r)
{
    alloc_result_free(&r->res);
    free(r->app);
    free(r->offer_program);
    free(r->fixed);
}

/* Run the engine on inputs (programs with capacities, applications with lottery numbers and
 * choices) given each application's state (sorted by id): accepted → fixed at its program; those
 * the table still lets take an offer → proposing; the others left out. No I/O. */
static int engine_run(json_t *inputs, const struct enrol_round_app *state, int nstate, struct engine_run *r,
                      struct err *e)
{
    json_t *programs = json_object_get(inputs, "programs"), *apps = json_object_get(inputs, "applications");
    int32_t np = (int32_t)json_array_size(programs), na = (int32_t)json_array_size(apps);
    size_t nch = 0, i;
    json_t *a, *p;
    json_array_foreach(apps, i, a) nch += json_array_size(json_object_get(a, "choices"));
    memset(r, 0, sizeof *r);
    r->app = calloc((size_t)na + 1, sizeof *r->app);
    r->offer_program = calloc((size_t)na + 1, sizeof *r->offer_program);
    r->fixed = calloc((size_t)na + 1, sizeof *r->fixed);
    int32_t *cap = calloc((size_t)np + 1, sizeof *cap), *start = calloc((size_t)na + 1, sizeof *start);
    int64_t *lot = calloc((size_t)na + 1, sizeof *lot);
    struct alloc_choice *ch = calloc(nch + 1, sizeof *ch);
    int rc = -1;
    if (!r->app || !r->offer_program || !r->fixed || !cap || !start || !lot || !ch) {
        err_set(e, 500, "nomem", "", "内存不足");
        goto done;
    }
    json_array_foreach(programs, i, p) cap[i] = (int32_t)json_integer_value(json_object_get(p, "capacity"));
    int32_t k = 0;
    json_array_foreach(apps, i, a)
    {
        int64_t app_id = json_integer_value(json_object_get(a, "application_id"));
        const struct enrol_round_app *s = r->app[i] = round_app(state, nstate, app_id);
        if (!s) {
            err_set(e, 500, "bad_round", "id", "轮次数据损坏：申请 %" PRId64 " 不在本轮", app_id);
            goto done;
        }
        lot[i] = json_integer_value(json_object_get(a, "lottery"));
        r->fixed[i] = r->offer_program[i] = ALLOC_NONE;
        start[i] = k;
        if (s->offer_id) {
            r->offer_program[i] = program_index(programs, s->offer_institution_id, s->offer_class_type);
            if (strcmp(s->offer_status, "accepted") == 0)
                r->fixed[i] = r->offer_program[i];
        }
        if (!enrol_app_may(s->status, "offer"))
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
                             .choice_start = start, .choices = ch, .fixed = r->fixed};
    rc = alloc_run(&in, &r->res, e);
done:
    free(cap);
    free(start);
    free(lot);
    free(ch);
    return rc;
}

/* Each program's cut-off of a run, as stored with the round. */
static json_t *cutoffs_json(json_t *inputs, const struct alloc_result *res)
{
    json_t *programs = json_object_get(inputs, "programs"), *apps = json_object_get(inputs, "applications");
    json_t *cutoffs = json_array(), *p;
    size_t i;
    json_array_foreach(programs, i, p)
    {
        const struct alloc_cutoff *c = &res->cutoff[i];
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
    return cutoffs;
}

/* Run round round_id on its stored inputs with its applications' current states (read in one
 * store call), then issue or supersede offers, move states, tell families, and store outputs and
 * cut-offs. Inside the caller's transaction. *issued = new offers. */
static int execute(struct http_req *req, const struct enrol_clock *clk, int64_t round_id, json_t *inputs,
                   const struct run_rules *rules, int *issued, struct err *e)
{
    json_t *programs = json_object_get(inputs, "programs"), *apps = json_object_get(inputs, "applications");
    struct enrol_round_app *state = NULL;
    struct engine_run run = {0};
    json_t *outputs = json_array(), *cutoffs = NULL, *names = NULL, *a;
    const char *now_ts = clk->now_ts;
    int nstate = 0, rc = -1;
    size_t i;
    *issued = 0;
    if (enrol_store_round_apps(req->db, round_id, &state, &nstate, e) < 0 ||
        enrol_store_institution_names(req->db, req->district, &names, e) < 0 ||
        engine_run(inputs, state, nstate, &run, e) < 0)
        goto done;
    json_array_foreach(apps, i, a)
    {
        const struct enrol_round_app *s = run.app[i];
        int32_t got = run.res.program[i];
        json_t *gp = got == ALLOC_NONE ? NULL : json_array_get(programs, (size_t)got);
        json_array_append_new(outputs, json_pack("{s:I, s:O, s:O, s:b}", "application_id", (json_int_t)s->id,
                                                 "institution_id", gp ? json_object_get(gp, "institution_id") : json_null(),
                                                 "class_type", gp ? json_object_get(gp, "class_type") : json_null(),
                                                 "fixed", run.fixed[i] != ALLOC_NONE));
        if (!enrol_app_may(s->status, "offer") || run.fixed[i] != ALLOC_NONE)
            continue;
        if (got != ALLOC_NONE && got == run.offer_program[i] && s->offer_id)
            continue; /* its offer stands */
        if (s->offer_id &&
            enrol_store_offer_move(req->db, s->offer_id, "offered", enrol_offer_next("offered", "supersede"), now_ts, e) < 0)
            goto done;
        if (got == ALLOC_NONE) {
            if (enrol_app_may(s->status, "waitlist") &&
                (enrol_app_move(req, s->id, s->status, "waitlist", now_ts,
                                json_pack("{s:I}", "round_id", (json_int_t)round_id), 0, e) < 0 ||
                 tell_family(req, s, NULL, 0, NULL, NULL, NULL, now_ts, e) < 0))
                goto done;
            continue;
        }
        const char *type = json_string_value(json_object_get(gp, "class_type"));
        int64_t inst = json_integer_value(json_object_get(gp, "institution_id")), oid;
        if (enrol_store_offer_insert(req->db, round_id, s->id, inst, type, enrol_offer_next("", "offer"),
                                     rules->deadline, now_ts, &oid, e) < 0)
            goto done;
        json_t *f = json_pack("{s:I, s:I, s:I, s:s, s:s, s:i}", "round_id", (json_int_t)round_id, "offer_id",
                              (json_int_t)oid, "institution_id", (json_int_t)inst, "class_type", type, "deadline",
                              rules->deadline, "choice", run.res.choice[i] + 1);
        if (enrol_app_move(req, s->id, s->status, "offer", now_ts, f, 0, e) < 0 ||
            tell_family(req, s, &rules->reminder_days, inst,
                        json_string_value(json_object_get(names, http_printf(req, "%" PRId64, inst))), type,
                        rules->deadline, now_ts, e) < 0)
            goto done;
        (*issued)++;
    }
    cutoffs = cutoffs_json(inputs, &run.res);
    char *out_s = json_dumps(outputs, JSON_COMPACT), *cut_s = json_dumps(cutoffs, JSON_COMPACT);
    rc = out_s && cut_s ? enrol_store_round_results(req->db, round_id, out_s, cut_s, now_ts, e)
                        : err_set(e, 500, "nomem", "", "内存不足");
    free(out_s);
    free(cut_s);
done:
    engine_run_free(&run);
    json_decref(outputs);
    json_decref(cutoffs);
    json_decref(names);
    free(state);
    return rc;
}

/* Reply with round id as the API shows it (names the offered children, masked). */
static json_t *round_load(struct http_req *req, int64_t id, struct err *e)
{
    json_t *o;
    int found = enrol_store_round_json(req->db, req->district, id, &o, e);
    if (found == 0)
        err_set(e, 404, "not_found", "id", "未找到该轮次");
    return found > 0 ? o : NULL;
}

/* Freeze the submitted applications of body's intake into a new round: points with today's table,
 * lottery numbers from the seed, each program's free places as its capacity; then run it. */
static int run_round(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *intake = json_string_value(json_object_get(body, "intake"));
    const char *district = req->district;
    char seed_hex[2 * ALLOC_SEED_BYTES + 1];
    unsigned char seed[ALLOC_SEED_BYTES];
    if (alloc_seed_parse(json_string_value(json_object_get(body, "seed")), seed, &e) < 0)
        return http_reply_error(rep, 422, "bad_seed", "seed", "随机种子应为 64 位十六进制数字（32 字节）");
    alloc_seed_format(seed, seed_hex);
    struct authz_target t = {0};
    struct enrol_clock clk;
    struct run_rules rules;
    enrol_clock_of(req, &clk);
    if (authz_require(req, "round.run", &t, &e) < 0 || run_rules_load(req, &clk, 1, &rules, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *programs = json_array(), *apps = json_array();
    struct enrol_app_points *frozen = NULL;
    int64_t *lot = NULL, round_id = 0;
    int n = 0, issued = 0;
    if (db_begin(req->db, &e) < 0)
        goto out;
    /* take the row locks of the applications to freeze: a concurrent round for the same intake
     * waits, then finds them no longer submitted (PostgreSQL re-checks the WHERE after the wait);
     * then read them, their choices and what their points depend on, in one statement */
    if (enrol_store_lock_apps(req->db, district, intake, "submitted", &e) < 0 ||
        enrol_store_apps_points(req->db, district, 0, intake, "submitted", &frozen, &n, &e) < 0)
        goto fail;
    lot = calloc((size_t)n + 1, sizeof *lot);
    if (!lot) {
        err_set(&e, 500, "nomem", "", "内存不足");
        goto fail;
    }
    if (alloc_lottery(seed, (int32_t)n, lot, &e) < 0)
        goto fail;
    for (int i = 0; i < n; i++) {
        const struct enrol_app_points *a = &frozen[i];
        json_t *chs = json_array();
        json_array_append_new(apps, json_pack("{s:I, s:I, s:I, s:I, s:o}", "application_id", (json_int_t)a->id, "child_id",
                                              (json_int_t)a->child_id, "family_user_id", (json_int_t)a->family_user_id,
                                              "lottery", (json_int_t)lot[i], "choices", chs));
        for (int k = 0; k < a->n; k++) {
            const struct enrol_choice *c = &a->choices[k];
            double points = enrol_choice_points(&rules.points, &a->criteria, c->siblings, a->child_town, c->town);
            if (points != c->points && enrol_store_choice_points(req->db, c->id, points, &e) < 0)
                goto fail;
            json_array_append_new(chs, json_pack("{s:I, s:s, s:f}", "institution_id", (json_int_t)c->institution_id,
                                                 "class_type", c->class_type, "points", points));
            if (program_index(programs, c->institution_id, c->class_type) == ALLOC_NONE)
                json_array_append_new(programs, json_pack("{s:I, s:s}", "institution_id", (json_int_t)c->institution_id,
                                                          "class_type", c->class_type));
        }
    }
    /* each program's free places, after taking its row locks */
    size_t i;
    json_t *p;
    json_array_foreach(programs, i, p)
    {
        int64_t inst = json_integer_value(json_object_get(p, "institution_id"));
        const char *type = json_string_value(json_object_get(p, "class_type"));
        int capacity, enrolled, held;
        if (enrol_store_lock_program(req->db, inst, type, &e) < 0 ||
            enrol_store_program_places(req->db, inst, type, &capacity, &enrolled, &held, &e) < 0)
            goto fail;
        json_object_set_new(p, "capacity", json_integer(enrol_free_places(capacity, enrolled, held)));
    }
    json_t *inputs = json_pack("{s:O, s:O}", "programs", programs, "applications", apps);
    char *in_s = json_dumps(inputs, JSON_COMPACT);
    int rc = in_s ? enrol_store_round_insert(req->db, district, intake, seed_hex, in_s, req->user->id, clk.now_ts,
                                             &round_id, &e)
                  : err_set(&e, 500, "nomem", "", "内存不足");
    free(in_s);
    const char *in_round = enrol_app_next("submitted", "freeze");
    for (int k = 0; rc == 0 && k < n; k++)
        if (enrol_store_app_freeze(req->db, frozen[k].id, round_id, lot[k], in_round, clk.now_ts, &e) < 0 ||
            enrol_app_moved(req, frozen[k].id, "submitted", in_round, clk.now_ts,
                            json_pack("{s:I, s:I}", "round_id", (json_int_t)round_id, "lottery", (json_int_t)lot[k]), 0,
                            &e) < 0)
            rc = -1;
    if (rc == 0)
        rc = execute(req, &clk, round_id, inputs, &rules, &issued, &e);
    json_decref(inputs);
    if (rc < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:i, s:i, s:i}", "intake", intake, "seed", seed_hex, "applications", n, "programs",
                          (int)json_array_size(programs), "offers", issued);
    rc = audit_request_commit(req, "round.run", "alloc_round", http_printf(req, "%" PRId64, round_id), f, &e);
    json_decref(f);
    if (rc < 0)
        goto fail;
    free(lot);
    free(frozen);
    json_decref(programs);
    json_decref(apps);
    json_t *o = round_load(req, round_id, &e);
    return o ? http_reply_json(rep, 201, o) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
out:
    free(lot);
    free(frozen);
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
    json_t *o = round_load(req, id, &e); /* names the offered children (masked): a staff read */
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
    struct http_page page;
    json_t *rows;
    if (http_page_begin(req, &page, &e) < 0 ||
        enrol_store_rounds(req->db, req->district, intake && intake[0] ? intake : NULL, page.after_id,
                           page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static int rerun_round(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id;
    struct enrol_clock clk;
    struct run_rules rules;
    enrol_clock_of(req, &clk);
    if (round_id_param(req, "round.rerun", &id, &e) < 0 || run_rules_load(req, &clk, 0, &rules, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *inputs = NULL, *lo = NULL;
    int lapsed = 0, issued = 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int found = enrol_store_round_rerun(req->db, req->district, id, &inputs, &e);
    if (found == 0)
        err_set(&e, 404, "not_found", "id", "未找到该轮次");
    if (found <= 0)
        goto fail;
    /* lapse offers past their deadline */
    if (enrol_store_offers_lapse(req->db, id, clk.today, "offered", enrol_offer_next("offered", "lapse"), clk.now_ts, &lo,
                                 &e) < 0)
        goto fail;
    lapsed = (int)json_array_size(lo);
    for (int k = 0; k < lapsed; k++) {
        int64_t oid = json_integer_value(json_array_get(json_array_get(lo, (size_t)k), 0));
        int64_t aid = json_integer_value(json_array_get(json_array_get(lo, (size_t)k), 1));
        if (enrol_app_move(req, aid, "offered", "lapse", clk.now_ts,
                           json_pack("{s:I, s:I}", "round_id", (json_int_t)id, "offer_id", (json_int_t)oid), 0, &e) < 0)
            goto fail;
    }
    if (execute(req, &clk, id, inputs, &rules, &issued, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:i, s:i}", "lapsed", lapsed, "offers", issued);
    if (audit_write_commit(req, "round.rerun", "alloc_round", id, f, &e) < 0)
        goto fail;
    json_decref(inputs);
    json_decref(lo);
    json_t *o = round_load(req, id, &e);
    if (o) {
        json_object_set_new(o, "lapsed", json_integer(lapsed));
        json_object_set_new(o, "new_offers", json_integer(issued));
    }
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
    json_decref(inputs);
    json_decref(lo);
    return http_reply_err(rep, &e);
}

/* Accepting offer o releases the child's active booking (one place per child, enrol.c): the
 * booking cancelled, the family and the booked institution's operators told. *released: the
 * booking's id, 0 when there was none. */
static int release_booking(struct http_req *req, const struct enrol_offer *o, const struct enrol_clock *clk,
                           int64_t *released, struct err *e)
{
    struct enrol_child_places cp;
    if (enrol_store_child_places(req->db, o->child_id, &cp, e) < 0)
        return -1;
    *released = enrol_accept_releases(&cp.holding);
    if (!*released)
        return 0;
    int changed = enrol_store_booking_cancel(req->db, *released, clk->now_ts, e);
    if (changed <= 0) {
        *released = 0;
        return changed;
    }
    int t = class_type_from_code(cp.booking_class_type);
    const char *type_name = t >= 0 ? class_type_name((enum class_type)t) : cp.booking_class_type;
    struct inbox_message m = {.user_id = o->family_user_id, .kind = "booking.released", .subject = "入托预约已自动取消",
                              .body = http_printf(req,
                                                  "您已为%s接受入托录取，一个孩子只保留一个托位，原在%s%s（%s 入托）"
                                                  "的入托预约已自动取消，名额已释放给其他家庭。",
                                                  cp.child_name, cp.booking_institution_name, type_name,
                                                  cp.booking_start_month),
                              .ref_type = "booking", .ref_id = *released, .due_at = clk->now_ts};
    if (inbox_post(req->db, req->district, &m, clk->now_ts, e) < 0)
        return -1;
    int64_t users[32];
    int n;
    if (enrol_store_institution_users(req->db, cp.booking_institution, users, 32, &n, e) < 0)
        return -1;
    m.subject = "入托预约已释放";
    m.body = http_printf(req,
                         "%s（%s，%s 入托）的入托预约已取消：家长已接受其他托育机构的入托录取。"
                         "该托位已重新开放预约。",
                         cp.child_name, type_name, cp.booking_start_month);
    return inbox_post_each(req->db, req->district, &m, users, (size_t)n, clk->now_ts, e);
}

/* Accept or decline (event) an open offer of the family's. */
static int decide_offer(struct http_req *req, struct http_reply *rep, const char *event)
{
    struct err e = {0};
    int accept = strcmp(event, "accept") == 0;
    const char *action = accept ? "offer.accept" : "offer.decline";
    int64_t id = http_param_id(req, "id");
    struct enrol_offer o;
    int found = enrol_store_offer(req->db, req->district, id, &o, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该录取通知");
    struct authz_target t = {.owner_user_id = o.family_user_id};
    if (authz_require(req, action, &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* lock the offer, then re-read its status */
    char status[16];
    const char *to;
    if ((found = enrol_store_offer_lock(req->db, id, status, &e)) == 0)
        err_set(&e, 404, "not_found", "id", "未找到该录取通知");
    if (found <= 0)
        goto fail;
    if (!(to = enrol_offer_next(status, event))) {
        err_set(&e, 409, "offer_closed", "id", "该录取通知已处理（%s），不能再%s", status, accept ? "接受" : "放弃");
        goto fail;
    }
    if (accept && strcmp(o.deadline, clk.today) < 0) {
        err_set(&e, 409, "offer_expired", "id", "该录取通知已于 %s 过期", o.deadline);
        goto fail;
    }
    int64_t class_id = 0;
    if (accept) {
        if (enrol_store_lock_program(req->db, o.institution_id, o.class_type, &e) < 0 ||
            enrol_store_enrol_child(req->db, o.institution_id, o.class_type, o.child_id, clk.now_ts, &class_id, &e) < 0)
            goto fail;
        if (!class_id) {
            err_set(&e, 409, "program_full", "id", "该班型已无空位，请联系托育机构");
            goto fail;
        }
    }
    if (enrol_store_offer_move(req->db, id, status, to, clk.now_ts, &e) < 0 ||
        enrol_app_move(req, o.application_id, "offered", event, clk.now_ts, json_pack("{s:I}", "offer_id", (json_int_t)id),
                       0, &e) < 0)
        goto fail;
    int withdrawn = 0;
    if (accept) { /* the child's other applications that can still be withdrawn are */
        int64_t others[64];
        char states[64][16];
        int n;
        if (enrol_store_child_apps(req->db, o.child_id, o.application_id, others, states, 64, &n, &e) < 0)
            goto fail;
        for (int k = 0; k < n; k++) {
            if (!enrol_app_may(states[k], "withdraw"))
                continue;
            if (enrol_store_app_offers_move(req->db, others[k], "offered", enrol_offer_next("offered", "withdraw"),
                                            clk.now_ts, &e) < 0 ||
                enrol_app_move(req, others[k], states[k], "withdraw", clk.now_ts,
                               json_pack("{s:s, s:I}", "reason", "accepted_other_offer", "offer_id", (json_int_t)id), 0,
                               &e) < 0)
                goto fail;
            withdrawn++;
        }
    }
    int64_t released = 0;
    if (accept && release_booking(req, &o, &clk, &released, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:I, s:s, s:i, s:o}", "application_id", (json_int_t)o.application_id, "institution_id",
                          (json_int_t)o.institution_id, "class_type", o.class_type, "withdrawn_applications", withdrawn,
                          "released_booking_id", released ? json_integer(released) : json_null());
    if (audit_write_commit(req, action, "offer", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:i, s:o}", "id", (json_int_t)id,
                                               "application_id", (json_int_t)o.application_id, "child_id",
                                               (json_int_t)o.child_id, "institution_id", (json_int_t)o.institution_id,
                                               "class_type", o.class_type, "status", to, "class_id",
                                               class_id ? json_integer(class_id) : json_null(), "withdrawn_applications",
                                               withdrawn, "released_booking_id",
                                               released ? json_integer(released) : json_null()));
fail:
    return http_reply_rollback(req, rep, &e);
}

static int accept_offer(struct http_req *req, struct http_reply *rep) { return decide_offer(req, rep, "accept"); }
static int decline_offer(struct http_req *req, struct http_reply *rep) { return decide_offer(req, rep, "decline"); }

#include "enrol/rounds.schemas.inc"

const struct route rounds_routes[] = {
    {"POST", "/api/v1/rounds", "round.run", run_round, &RUN_BODY, &ROUND, 201},
    {"GET", "/api/v1/rounds", "round.read", list_rounds, NULL, &ROUND_PAGE},
    {"GET", "/api/v1/rounds/{id}", "round.read", get_round, NULL, &ROUND},
    {"POST", "/api/v1/rounds/{id}/rerun", "round.rerun", rerun_round, &NO_MEMBERS, &ROUND},
    {"POST", "/api/v1/offers/{id}/accept", "offer.accept", accept_offer, &NO_MEMBERS, &DECISION},
    {"POST", "/api/v1/offers/{id}/decline", "offer.decline", decline_offer, &NO_MEMBERS, &DECISION},
    {NULL, NULL, NULL, NULL},
};

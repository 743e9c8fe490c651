/* api.c — quarterly progress reports (每季进度报送, issue 19 item 4; pilot plan 五(五)):
 *   GET  /api/v1/progress-reports?period=     every town in reach with its report of the quarter,
 *                                             the due day and the completeness (a town officer:
 *                                             their own town)
 *   POST /api/v1/progress-reports             a town starts its report of a quarter (a draft)
 *   GET  /api/v1/progress-reports/{id}        one report: the narrative, the indicators (live
 *                                             while drafted, frozen once submitted), its versions
 *                                             and the events the caller may fire
 *   PUT  /api/v1/progress-reports/{id}        the town writes the narrative (draft or returned)
 *   POST /api/v1/progress-reports/{id}/events submit (town), approve, return, reopen (district)
 *   POST|GET /api/v1/progress-reports/{id}/materials  its attachments (locked once submitted)
 *   GET  /api/v1/progress-reports/compiled?period=&format=docx|xlsx  the district's report of
 *                                             the quarter compiled from the towns', to send on
 * The moves and the period lock are progress.c's; every write has its audit row in its
 * transaction. A report is scoped by its town (authz_require on the town). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/docx.h"
#include "materials/store.h"
#include "params/params.h"
#include "progress/api.h"
#include "progress/store.h"
#include "registry/store.h"
#include "supervision/dashboard.h"
#include "supervision/snapshot.h"

static const char *now_ts(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* The indicators of towns[0..n) taken together (one town's row, or every town's for the district) read
 * on as_of, with what supervision did in the quarter (q). */
static json_t *indicators_of(const char *as_of, const struct town_totals *towns, int n,
                             const struct progress_quarter_counts *q)
{
    struct kpi k;
    dashboard_kpi(towns, n, &k);
    int year = 0;
    for (int i = 0; i < n; i++)
        if (towns[i].population_year > year)
            year = towns[i].population_year;
    return json_pack("{s:s, s:i, s:I, s:I, s:I, s:f, s:f, s:i, s:o, s:I, s:I, s:I}", "as_of", as_of, "institutions",
                     k.institutions, "places", (json_int_t)k.places, "inclusive_places", (json_int_t)k.inclusive_places,
                     "residents", (json_int_t)k.residents, "places_per_1000", k.places_per_1000, "inclusive_share",
                     k.inclusive_share, "open_findings", k.open_findings, "population_year",
                     year ? json_integer(year) : json_null(), "inspections", (json_int_t)q->inspections,
                     "rectifications_raised", (json_int_t)q->rectifications_raised, "rectifications_closed",
                     (json_int_t)q->rectifications_closed);
}

/* The indicators of town (NULL: the district) for quarter p, read on its last day (today while it
 * runs): the dashboard's figures and what supervision did in the quarter. */
static json_t *indicators(struct http_req *req, const char *town, const struct progress_period *p, struct err *e)
{
    const char *as_of = progress_period_as_of(p, req->today);
    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    int n;
    struct progress_quarter_counts q;
    if (supervision_totals(req->db, req->district, town, as_of, towns, DASH_MAX_TOWNS, &n, e) < 0 ||
        progress_store_quarter_counts(req->db, req->district, town, p->first, as_of, &q, e) < 0)
        return NULL;
    return indicators_of(as_of, towns, n, &q);
}

static int due_days(struct http_req *req, int *out, struct err *e)
{
    double d;
    if (params_get(req->db, req->district, "report.quarterly_due_days", req->today, &d, e) < 0)
        return -1;
    *out = (int)d;
    return 0;
}

/* The quarter of ?period= (today's by default). */
static int period_asked(struct http_req *req, struct progress_period *p, struct err *e)
{
    const char *q = http_query(req, "period");
    if (!q) {
        progress_period_of(req->today, p);
        return 0;
    }
    return progress_period_parse(q, "period", p, e);
}

/* The report of the path with action checked on its town. */
static int load_for(struct http_req *req, const char *action, struct progress_head *h, json_t **row, struct err *e)
{
    if (progress_store_load(req->db, req->district, http_param_id(req, "id"), h, row, e) < 0)
        return -1;
    struct authz_target t = {.town_code = h->town_code};
    if (authz_require(req, action, &t, e) < 0) {
        if (row)
            json_decref(*row);
        return -1;
    }
    return 0;
}

/* ---- the quarter ---- */

static int list_period(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct progress_period p;
    struct authz_scope scope;
    int days;
    json_t *towns;
    if (period_asked(req, &p, &e) < 0 || due_days(req, &days, &e) < 0 ||
        authz_scope(req, "progress.read", "t.code", NULL, NULL, &scope, &e) < 0 ||
        progress_store_period(req->db, req->district, scope.sql, &scope.params, p.code, &towns, &e) < 0)
        return http_reply_err(rep, &e);
    char due[DATE_DAY_LEN];
    progress_period_due(&p, days, due);
    struct progress_tally done;
    if (progress_store_tally(req->db, req->district, authz_town_of(req->user), p.code, &done, &e) < 0) {
        json_decref(towns);
        return http_reply_err(rep, &e);
    }
    size_t i;
    json_t *t;
    json_array_foreach(towns, i, t) {
        const char *state = json_string_value(json_object_get(json_object_get(t, "report"), "state"));
        int in = state && (strcmp(state, "submitted") == 0 || strcmp(state, "approved") == 0);
        json_object_set_new(t, "overdue", json_boolean(strcmp(req->today, due) > 0 && !in));
    }
    /* the quarters a report may be of: the current one and the seven before it */
    json_t *periods = json_array();
    struct progress_period q;
    progress_period_of(req->today, &q);
    for (int k = 0; k < 8 && q.year >= 2023; k++) {
        json_array_append_new(periods, json_string(q.code));
        char prev[DATE_DAY_LEN];
        date_add_days(q.first, -1, prev);
        progress_period_of(prev, &q);
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:{s:i, s:i, s:i}}", "period", p.code, "first",
                                     p.first, "last", p.last, "due_on", due, "started", strcmp(p.first, req->today) <= 0,
                                     "periods", periods, "towns", towns, "completeness", "towns", (int)done.towns,
                                     "submitted", (int)done.submitted, "approved", (int)done.approved));
}

/* ---- one report ---- */

static const char *const EVENTS[] = {"submit", "approve", "return", "reopen"};

/* The report id as its page shows it: the stored row, the indicators (live while drafted), the
 * due day, its versions and the events the caller may fire now. */
static int reply_report(struct http_req *req, struct http_reply *rep, int64_t id, int status)
{
    struct err e = {0};
    struct progress_head h;
    json_t *row, *versions;
    struct progress_period p;
    int days;
    if (progress_store_load(req->db, req->district, id, &h, &row, &e) < 0)
        return http_reply_err(rep, &e);
    if (progress_period_parse(h.period, "period", &p, &e) < 0 || due_days(req, &days, &e) < 0 ||
        progress_store_versions(req->db, req->district, h.town_code, h.period, &versions, &e) < 0) {
        json_decref(row);
        return http_reply_err(rep, &e);
    }
    if (json_is_null(json_object_get(row, "indicators"))) {
        json_t *live = indicators(req, h.town_code, &p, &e);
        if (!live) {
            json_decref(row);
            json_decref(versions);
            return http_reply_err(rep, &e);
        }
        json_object_set_new(row, "indicators", live);
        json_object_set_new(row, "indicators_live", json_true());
    } else {
        json_object_set_new(row, "indicators_live", json_false());
    }
    char due[DATE_DAY_LEN];
    progress_period_due(&p, days, due);
    /* the caller reached the report: what their role may do with it is what they may do here */
    json_t *allowed = json_array();
    for (size_t i = 0; i < sizeof EVENTS / sizeof *EVENTS; i++) {
        const struct progress_move *m;
        struct err ignored = {0};
        if (progress_move(h.state, EVENTS[i], "-", &m, &ignored) == 0 && authz_role_may(req->user->role, m->action))
            json_array_append_new(allowed, json_pack("{s:s, s:s, s:b}", "event", m->event, "name", m->name,
                                                     "needs_comment", m->needs_comment));
    }
    struct err ignored = {0};
    int editable = progress_editable(h.state, &ignored) == 0 && authz_role_may(req->user->role, "progress.write");
    json_object_set_new(row, "due_on", json_string(due));
    json_object_set_new(row, "first", json_string(p.first));
    json_object_set_new(row, "last", json_string(p.last));
    json_object_set_new(row, "versions", versions);
    json_object_set_new(row, "events", allowed);
    json_object_set_new(row, "editable", json_boolean(editable));
    return http_reply_json(rep, status, row);
}

static int get_report(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct progress_head h;
    if (load_for(req, "progress.read", &h, NULL, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_report(req, rep, h.id, 200);
}

static int create_report(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *town = json_string_value(json_object_get(body, "town_code"));
    struct progress_period p;
    struct authz_target t = {.town_code = town};
    if (authz_require(req, "progress.write", &t, &e) < 0 ||
        progress_period_parse(json_string_value(json_object_get(body, "period")), "period", &p, &e) < 0 ||
        progress_period_started(&p, req->today, &e) < 0)
        return http_reply_err(rep, &e);
    int found = registry_town_name(req->db, req->district, town, NULL, 0, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 422, "bad_town", "town_code", "镇街代码无效：%s", town);
    int64_t id;
    if (db_begin(req->db, &e) < 0 ||
        progress_store_create(req->db, req->district, town, p.code, 1, NULL, req->user->id, now_ts(req), &id,
                              &e) < 0 ||
        audit_write_commit(req, "progress.create", "progress_report", id,
                           json_pack("{s:s, s:s, s:i}", "town_code", town, "period", p.code, "version", 1), &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_report(req, rep, id, 201);
}

static const char *text_of(const json_t *body, const char *name)
{
    const char *s = json_string_value(json_object_get(body, name));
    return s ? s : "";
}

static int put_report(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct progress_head h;
    if (load_for(req, "progress.write", &h, NULL, &e) < 0 || progress_editable(h.state, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    const char *progress = text_of(body, "progress"), *problems = text_of(body, "problems"),
               *next_steps = text_of(body, "next_steps");
    if (db_begin(req->db, &e) < 0 ||
        progress_store_write_text(req->db, h.id, progress, problems, next_steps, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "progress.write", "progress_report", h.id,
                           json_pack("{s:s, s:s, s:i, s:i, s:i}", "town_code", h.town_code, "period", h.period,
                                     "progress_bytes", (int)strlen(progress), "problems_bytes", (int)strlen(problems),
                                     "next_steps_bytes", (int)strlen(next_steps)),
                           &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_report(req, rep, h.id, 200);
}

static int post_event(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct progress_head h;
    json_t *row;
    if (load_for(req, "progress.event", &h, &row, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    const char *event = json_string_value(json_object_get(body, "event"));
    const char *comment = json_string_value(json_object_get(body, "comment"));
    const struct progress_move *m;
    struct authz_target t = {.town_code = h.town_code};
    struct progress_period p;
    if (progress_move(h.state, event, comment, &m, &e) < 0 || authz_require(req, m->action, &t, &e) < 0 ||
        progress_period_parse(h.period, "period", &p, &e) < 0 ||
        (strcmp(m->event, "submit") == 0 &&
         progress_submission_check(json_string_value(json_object_get(row, "progress")), &e) < 0)) {
        json_decref(row);
        return http_reply_err(rep, &e);
    }
    json_decref(row);
    const char *ts = now_ts(req);
    int64_t result_id = h.id;
    char *frozen = NULL;
    if (strcmp(m->event, "submit") == 0) {
        json_t *ind = indicators(req, h.town_code, &p, &e);
        if (!ind)
            return http_reply_err(rep, &e);
        frozen = json_dumps(ind, JSON_COMPACT);
        json_decref(ind);
    }
    if (db_begin(req->db, &e) < 0) {
        free(frozen);
        return http_reply_err(rep, &e);
    }
    int rc;
    if (strcmp(m->event, "reopen") == 0) {
        /* the approved version is kept as it was; the correction starts from its text */
        rc = progress_store_move(req->db, h.id, h.state, "superseded", NULL, NULL, req->user->id, ts, &e) < 0 ||
                     progress_store_create(req->db, req->district, h.town_code, h.period, h.version + 1,
                                           comment, req->user->id, ts, &result_id, &e) < 0 ||
                     progress_store_copy_text(req->db, h.id, result_id, &e) < 0
                 ? -1
                 : 0;
    } else {
        rc = progress_store_move(req->db, h.id, h.state, m->to, frozen, comment, req->user->id, ts, &e);
    }
    /* the attachments are locked while the district has the report, unlocked when it is returned */
    int lock = strcmp(m->event, "submit") == 0 ? 1 : strcmp(m->event, "return") == 0 ? 0 : -1;
    if (rc == 0 && lock >= 0)
        rc = materials_set_locked(req->db, req->district, progress_materials_owner.type, h.id, lock, ts, &e);
    free(frozen);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, http_printf(req, "progress.%s", m->event), "progress_report", h.id,
                           json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I}", "town_code", h.town_code, "period", h.period,
                                     "from", h.state, "to", strcmp(m->event, "reopen") ? m->to : "superseded",
                                     "comment", comment, "result_id", (json_int_t)result_id),
                           &e) < 0)
        return http_reply_err(rep, &e);
    return reply_report(req, rep, result_id, 200);
}

/* ---- the district's compiled report ---- */

/* The figures of an indicators object as the compiled report prints them, in order. */
static const char *const FIGURES[][2] = {
    {"institutions", "托育机构（家）"},   {"places", "托位数（个）"},       {"inclusive_places", "普惠托位（个）"},
    {"residents", "常住人口（人）"},      {"places_per_1000", "千人托位数"},  {"inclusive_share", "普惠托位占比"},
    {"open_findings", "待整改合规问题"},  {"inspections", "本季督查（次）"}, {"rectifications_raised", "本季下达整改"},
    {"rectifications_closed", "本季整改销号"},
};
#define NFIGURES ((int)(sizeof FIGURES / sizeof *FIGURES))

static const char *figure(struct http_req *req, const json_t *ind, const char *key)
{
    const json_t *v = json_object_get(ind, key);
    if (json_is_integer(v))
        return http_printf(req, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    if (json_is_real(v))
        return strcmp(key, "inclusive_share") == 0 ? http_printf(req, "%.1f%%", json_real_value(v) * 100)
                                                   : http_printf(req, "%.2f", json_real_value(v));
    return "—";
}

struct compiled {
    struct http_req *req;
    json_t *rows; /* progress_store_compiled's, each with the indicators filled */
};

static int compiled_fill(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    struct compiled *c = ctx;
    size_t i;
    json_t *r;
    json_array_foreach(c->rows, i, r) {
        xlsx_next_row(x);
        const json_t *ind = json_object_get(r, "indicators");
        if (xlsx_text(x, 0, json_string_value(json_object_get(r, "town_name")), e) < 0 ||
            xlsx_text(x, 1, json_string_value(json_object_get(r, "state_name")), e) < 0)
            return -1;
        for (int f = 0; f < NFIGURES; f++) {
            const json_t *v = json_object_get(ind, FIGURES[f][0]);
            if ((json_is_number(v) ? xlsx_number(x, 2 + f, json_number_value(v), e) : xlsx_text(x, 2 + f, "", e)) < 0)
                return -1;
        }
        static const char *const TEXTS[] = {"progress", "problems", "next_steps"};
        for (int k = 0; k < 3; k++)
            if (xlsx_text(x, 2 + NFIGURES + k, json_string_value(json_object_get(r, TEXTS[k])), e) < 0)
                return -1;
    }
    return 0;
}

static void compiled_docx(struct http_req *req, struct docx *d, const struct progress_period *p, const json_t *district,
                          const json_t *rows)
{
    docx_heading(d, 1, http_printf(req, "普惠托育服务试点工作季度进度报告（%d年第%d季度）", p->year, p->quarter));
    docx_paragraph(d, http_printf(req, "报告期：%s 至 %s。数据截至 %s，由托育服务综合管理平台自动汇总。", p->first, p->last,
                                  json_string_value(json_object_get(district, "as_of"))));
    docx_heading(d, 2, "一、全区主要指标");
    const char **cells = http_alloc(req, 2 * (NFIGURES + 1) * sizeof *cells);
    cells[0] = "指标";
    cells[1] = "全区";
    for (int f = 0; f < NFIGURES; f++) {
        cells[2 * (f + 1)] = FIGURES[f][1];
        cells[2 * (f + 1) + 1] = figure(req, district, FIGURES[f][0]);
    }
    docx_table(d, cells, NFIGURES + 1, 2);
    docx_heading(d, 2, "二、各镇街报送情况");
    size_t nrows = json_array_size(rows);
    const char **status = http_alloc(req, 2 * (nrows + 1) * sizeof *status);
    status[0] = "镇街";
    status[1] = "报告状态";
    for (size_t i = 0; i < nrows; i++) {
        status[2 * (i + 1)] = json_string_value(json_object_get(json_array_get(rows, i), "town_name"));
        status[2 * (i + 1) + 1] = json_string_value(json_object_get(json_array_get(rows, i), "state_name"));
    }
    docx_table(d, status, (int)nrows + 1, 2);
    docx_heading(d, 2, "三、各镇街工作进展");
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        docx_heading(d, 3, json_string_value(json_object_get(r, "town_name")));
        if (json_is_null(json_object_get(r, "state"))) {
            docx_paragraph(d, "本季度未报送。");
            continue;
        }
        const json_t *ind = json_object_get(r, "indicators");
        docx_paragraph(d, http_printf(req, "托育机构 %s 家，托位 %s 个（普惠 %s 个），千人托位数 %s；本季督查 %s 次，下达整改 %s 项、销号 %s 项。",
                                      figure(req, ind, "institutions"), figure(req, ind, "places"),
                                      figure(req, ind, "inclusive_places"), figure(req, ind, "places_per_1000"),
                                      figure(req, ind, "inspections"), figure(req, ind, "rectifications_raised"),
                                      figure(req, ind, "rectifications_closed")));
        static const char *const TEXTS[][2] = {{"progress", "工作进展"}, {"problems", "存在问题"}, {"next_steps", "下步计划"}};
        for (int k = 0; k < 3; k++) {
            const char *text = json_string_value(json_object_get(r, TEXTS[k][0]));
            docx_paragraph(d, http_printf(req, "%s：%s", TEXTS[k][1], text && *text ? text : "无"));
        }
    }
}

static int compiled(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct progress_period p;
    struct authz_target t = {0};
    const char *format = http_query(req, "format");
    if (!format)
        format = "docx";
    if (strcmp(format, "docx") && strcmp(format, "xlsx"))
        return http_reply_error(rep, 422, "bad_format", "format", "导出格式应为 docx 或 xlsx：%s", format);
    json_t *rows, *district;
    if (authz_require(req, "progress.review", &t, &e) < 0 || period_asked(req, &p, &e) < 0 ||
        progress_store_compiled(req->db, req->district, p.code, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    /* a report not yet submitted shows the figures of today, as its page does: every town's read at once */
    const char *as_of = progress_period_as_of(&p, req->today);
    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    int ntowns;
    struct progress_quarter_counts all;
    struct progress_town_counts *counts = NULL;
    size_t ncounts = 0;
    if (supervision_totals(req->db, req->district, NULL, as_of, towns, DASH_MAX_TOWNS, &ntowns, &e) < 0 ||
        progress_store_quarter_counts(req->db, req->district, NULL, p.first, as_of, &all, &e) < 0 ||
        progress_store_quarter_counts_by_town(req->db, req->district, p.first, as_of, &counts, &ncounts, &e) < 0) {
        json_decref(rows);
        return http_reply_err(rep, &e);
    }
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (!json_is_null(json_object_get(r, "indicators")))
            continue;
        const char *code = json_string_value(json_object_get(r, "town_code"));
        const struct town_totals *town = NULL;
        struct progress_quarter_counts q = {0};
        for (int k = 0; k < ntowns && !town; k++)
            if (strcmp(towns[k].code, code) == 0)
                town = &towns[k];
        for (size_t k = 0; k < ncounts; k++)
            if (strcmp(counts[k].town_code, code) == 0)
                q = counts[k].counts;
        json_object_set_new(r, "indicators", indicators_of(as_of, town, town ? 1 : 0, &q));
    }
    free(counts);
    district = indicators_of(as_of, towns, ntowns, &all);
    const char *name = http_printf(req, "progress-report-%s", p.code);
    const char *name_zh = http_printf(req, "季度进度报告-%s", p.code);
    json_t *fields = json_pack("{s:s, s:s}", "period", p.code, "format", format);
    int rc;
    if (strcmp(format, "xlsx") == 0) {
        static const char *HEAD[2 + NFIGURES + 3];
        static const double WIDTH[2 + NFIGURES + 3] = {14, 16, 10, 10, 10, 12, 10, 10, 10, 10, 10, 10, 60, 40, 40};
        HEAD[0] = "镇街";
        HEAD[1] = "报告状态";
        for (int f = 0; f < NFIGURES; f++)
            HEAD[2 + f] = FIGURES[f][1];
        HEAD[2 + NFIGURES] = "工作进展";
        HEAD[3 + NFIGURES] = "存在问题";
        HEAD[4 + NFIGURES] = "下步计划";
        struct compiled c = {req, rows};
        const struct audit_xlsx x = {"季度进度", HEAD, WIDTH, 2 + NFIGURES + 3, compiled_fill, &c, "progress.export",
                                     "progress_report", fields, name, name_zh};
        rc = audit_reply_xlsx(req, rep, &x);
    } else {
        struct docx d = {0};
        compiled_docx(req, &d, &p, district, rows);
        rc = audit_reply_docx(req, rep, &d, "progress.export", "progress_report", fields, name, name_zh);
        docx_free(&d);
    }
    json_decref(fields);
    json_decref(rows);
    json_decref(district);
    return rc;
}

/* ---- attachments ---- */

static int report_target(struct http_req *req, int64_t id, struct authz_target *t, struct err *e)
{
    struct progress_head h;
    if (progress_store_load(req->db, req->district, id, &h, NULL, e) < 0)
        return -1;
    t->town_code = http_printf(req, "%s", h.town_code);
    return 0;
}

const struct materials_owner progress_materials_owner = {"progress_report", report_target};

static int begin_upload(struct http_req *req, struct http_reply *rep)
{
    return materials_upload_begin(req, rep, &progress_materials_owner, http_param_id(req, "id"));
}
static int upload(struct http_req *req, struct http_reply *rep)
{
    return materials_upload(req, rep, &progress_materials_owner, http_param_id(req, "id"));
}
static int list_materials(struct http_req *req, struct http_reply *rep)
{
    return materials_list(req, rep, &progress_materials_owner, http_param_id(req, "id"));
}

/* ---- schemas ---- */

#include "progress/api.schemas.inc"

const struct route progress_routes[] = {
    {"GET", "/api/v1/progress-reports", "progress.read", list_period, NULL, &PERIOD},
    {"POST", "/api/v1/progress-reports", "progress.write", create_report, &progress_create_schema, &REPORT, 201},
    {"GET", "/api/v1/progress-reports/compiled", "progress.review", compiled, NULL, &FILE_REPLY},
    {"GET", "/api/v1/progress-reports/{id}", "progress.read", get_report, NULL, &REPORT},
    {"PUT", "/api/v1/progress-reports/{id}", "progress.write", put_report, &progress_text_schema, &REPORT},
    {"POST", "/api/v1/progress-reports/{id}/events", "progress.event", post_event, &progress_event_schema, &REPORT},
    /* the report's own actions gate its attachments (material.* is then asked of its town) */
    {"POST", "/api/v1/progress-reports/{id}/materials", "progress.write", upload, &materials_upload_schema,
     &materials_schema, 201, .begin = begin_upload},
    {"GET", "/api/v1/progress-reports/{id}/materials", "progress.read", list_materials, NULL, &materials_page_schema},
    {NULL, NULL, NULL, NULL},
};

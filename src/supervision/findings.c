/* findings.c — GET /api/v1/findings: the compliance findings of every open institution in the
 * caller's jurisdiction (the district, or a town officer's town) — the registry's rules and the
 * staff records' (staff_institution_findings, as each institution's own findings page computes
 * them) and 可视托's (video_findings_in, as its video page does) — one row per finding with its institution, town and the rectification item raised for it
 * (matched by the item's stable key: institution, source, rule, subject), filtered by town,
 * institution, rule and severity; a paged list, so ?export=xlsx gives it as a workbook. The
 * dashboard's 待整改合规问题 leads here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/parse.h"
#include "oversight/store.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "staff/staff.h"
#include "staff/store.h"
#include "supervision/api.h"
#include "video/api.h"

/* One finding as the list shows it, from whichever rules found it. */
struct row {
    const char *source, *rule, *severity, *message, *basis, *subject;
    int64_t class_id, staff_id, camera_id;
};

/* The list being made: its rows, the row count so far, the open rectification items by finding
 * key, and the filters. */
struct rows {
    json_t *items;
    int64_t seq;
    const json_t *raised;
    const char *rule, *severity;
};

static json_t *id_or_null(int64_t id) { return id ? json_integer(id) : json_null(); }

/* Add r of institution in unless the filters leave it out, with the rectification item raised for
 * it (matched by its stable key: institution, source, rule, subject). */
static void add_row(struct rows *out, const struct institution *in, const struct row *r)
{
    if ((out->rule && strcmp(out->rule, r->rule)) || (out->severity && strcmp(out->severity, r->severity)))
        return;
    out->seq++; /* the row's number in the list: the same data and filters give the same numbers */
    char key[200];
    snprintf(key, sizeof key, "%lld/%s/%s/%s", (long long)in->id, r->source, r->rule, r->subject);
    json_t *item = json_object_get(out->raised, key);
    json_array_append_new(
        out->items,
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                  (json_int_t)out->seq, "institution_id", (json_int_t)in->id, "institution_name", in->name, "town_code",
                  in->town_code, "rule", r->rule, "severity", r->severity, "message", r->message, "basis", r->basis,
                  "source", r->source, "subject", r->subject, "class_id", id_or_null(r->class_id), "staff_id",
                  id_or_null(r->staff_id), "camera_id", id_or_null(r->camera_id), "rectification_id",
                  item ? json_incref(json_object_get(item, "id")) : json_null(), "rectification_status",
                  item ? json_incref(json_object_get(item, "status")) : json_null(), "rectification_due_on",
                  item ? json_incref(json_object_get(item, "due_on")) : json_null()));
}

static int list_findings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *own = authz_town_of(req->user);
    const char *town = own ? own : http_query(req, "town");
    const char *rule = http_query(req, "rule"), *severity = http_query(req, "severity");
    const char *inst = http_query(req, "institution_id");
    int64_t institution = 0;
    struct authz_target t = {.town_code = town};
    struct http_page page;
    if (authz_require(req, "findings.list", &t, &e) < 0 || http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    if (inst && (parse_int64(inst, &institution) < 0 || institution < 1))
        return http_reply_error(rep, 422, "bad_query", "institution_id", "机构编号应为正整数");
    if (severity && strcmp(severity, "high") && strcmp(severity, "medium") && strcmp(severity, "low"))
        return http_reply_error(rep, 422, "bad_query", "severity", "严重程度应为 high、medium 或 low");
    struct registry_rules rules;
    struct staff_rules srules;
    char(*basis)[160] = http_alloc(req, RULE_COUNT * 160);
    struct registry_filter rf = {.town = town, .open_only = 1, .inclusive = -1, .day = req->today};
    struct staff_filter sf = {.town = town, .institution_id = institution};
    struct institution *list = NULL;
    struct staff *roster = NULL;
    json_t *raised = NULL, *video = NULL;
    int n = 0, nstaff = 0;
    if (registry_rules_from_params(req->db, req->app->district_code, req->today, &rules, basis, &e) < 0 ||
        staff_rules_from_params(req->db, req->app->district_code, req->today, &srules, &e) < 0 ||
        registry_load_filtered(req->db, req->app->district_code, &rf, &list, &n, &e) < 0 ||
        staff_roster(req->db, NULL, req->app->district_code, &sf, &roster, &nstaff, &e) < 0 ||
        rectify_store_open_by_key(req->db, req->app->district_code, town, &raised, &e) < 0 ||
        video_findings_in(req->db, req->app->district_code, town, institution, req->today, &video, &e) < 0) {
        free(list);
        free(roster);
        json_decref(raised);
        return http_reply_err(rep, &e);
    }
    const char *basis_ptr[RULE_COUNT];
    for (int i = 0; i < RULE_COUNT; i++)
        basis_ptr[i] = basis[i];
    struct finding *f = http_alloc(req, STAFF_MAX_FINDINGS * sizeof *f);
    struct rows out = {json_array(), 0, raised, rule, severity};
    for (int i = 0; i < n; i++) {
        if (institution && list[i].id != institution)
            continue;
        int nf = staff_institution_findings(&list[i], roster, nstaff, &rules, basis_ptr, &srules, req->today, f,
                                            STAFF_MAX_FINDINGS);
        for (int k = 0; k < nf; k++) {
            char subject[40] = "";
            if (f[k].staff_id)
                snprintf(subject, sizeof subject, "staff:%lld", (long long)f[k].staff_id);
            else if (f[k].class_id)
                snprintf(subject, sizeof subject, "class:%lld", (long long)f[k].class_id);
            struct row r = {f[k].staff_id ? "staff" : "registry", f[k].rule, f[k].severity, f[k].message, f[k].basis,
                            subject, f[k].class_id, f[k].staff_id, 0};
            add_row(&out, &list[i], &r);
        }
        /* 可视托: a children's room without a camera, recordings kept too briefly */
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)list[i].id);
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(video, id), k, v) {
            int64_t class_id = json_integer_value(json_object_get(v, "class_id")),
                    camera_id = json_integer_value(json_object_get(v, "camera_id"));
            char subject[40] = "";
            if (class_id)
                snprintf(subject, sizeof subject, "class:%lld", (long long)class_id);
            else if (camera_id)
                snprintf(subject, sizeof subject, "camera:%lld", (long long)camera_id);
            struct row r = {"video", json_string_value(json_object_get(v, "rule")),
                            json_string_value(json_object_get(v, "severity")),
                            json_string_value(json_object_get(v, "message")), json_string_value(json_object_get(v, "basis")),
                            subject, class_id, 0, camera_id};
            add_row(&out, &list[i], &r);
        }
    }
    json_t *items = out.items;
    json_decref(video);
    free(list);
    free(roster);
    json_decref(raised);
    /* rows after the cursor, as a store would give them */
    json_t *rows = json_array();
    size_t k;
    json_t *row;
    json_array_foreach(items, k, row)
    {
        if (json_integer_value(json_object_get(row, "id")) > page.after_id &&
            json_array_size(rows) < (size_t)page.limit + 1)
            json_array_append(rows, row);
    }
    json_decref(items);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static const struct http_schema FINDING = {
    NULL, HTTP_OBJECT, 0, "合规问题",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "序号（在同样筛选条件的列表中的序号，用作分页游标）"},
        {"institution_id", HTTP_ID, HTTP_REQUIRED, "机构编号"},
        {"institution_name", HTTP_STRING, HTTP_REQUIRED, "机构名称"},
        {"town_code", HTTP_STRING, HTTP_REQUIRED, "镇街代码"},
        {"rule", HTTP_STRING, HTTP_REQUIRED, "规则代码"},
        {"severity", HTTP_STRING, HTTP_REQUIRED, "严重程度：high、medium、low"},
        {"message", HTTP_STRING, HTTP_REQUIRED, "问题"},
        {"basis", HTTP_STRING, HTTP_REQUIRED, "依据"},
        {"source", HTTP_STRING, HTTP_REQUIRED, "来源：registry 机构登记、staff 人员、video 可视托"},
        {"subject", HTTP_STRING, 0, "问题对象（class:班级、staff:人员、camera:摄像头编号；机构本身为空）"},
        {"class_id", HTTP_ID, HTTP_NULLABLE, "所涉班级"},
        {"staff_id", HTTP_ID, HTTP_NULLABLE, "所涉人员"},
        {"camera_id", HTTP_ID, HTTP_NULLABLE, "所涉摄像头（可视托）"},
        {"rectification_id", HTTP_ID, HTTP_NULLABLE, "已下达的整改事项（未下达为 null）"},
        {"rectification_status", HTTP_STRING, HTTP_NULLABLE, "整改状态：open 待整改、responded 已报告"},
        {"rectification_due_on", HTTP_DATE, HTTP_NULLABLE, "整改期限"},
        {NULL}}};
static const struct http_schema FINDING_PAGE = HTTP_PAGE_OF(FINDING);

const struct route findings_routes[] = {
    {"GET", "/api/v1/findings", "findings.list", list_findings, NULL, &FINDING_PAGE},
    {NULL, NULL, NULL, NULL},
};

/* roster.c — an institution's children roster from a file (roster.h): the rows read by the one
 * table reader, each turned into the body POST /api/v1/children takes and checked as it is, the
 * class found by its name, then every child registered and placed in one transaction — or none. */
#include "children/roster.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/date.h"
#include "care/store.h"
#include "children/children.h"
#include "children/store.h"
#include "materials/table.h"
#include "registry/api.h"
#include "registry/registry.h"
#include "registry/store.h"

const struct sheet_column roster_columns[ROSTER_COLS] = {
    [ROSTER_NAME] = {"姓名", "name", 1},
    [ROSTER_SEX] = {"性别", "sex", 1},
    [ROSTER_BIRTH] = {"出生日期", "birth_date", 1},
    [ROSTER_ID] = {"身份证号", "id_number", 0},
    [ROSTER_CERT] = {"出生医学证明编号", "birth_cert", 0},
    [ROSTER_HUKOU] = {"户籍镇街", "hukou_town", 0},
    [ROSTER_CLASS] = {"班级", "class", 0},
    [ROSTER_START] = {"入班日期", "start_date", 0},
};

int roster_template(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    (void)ctx;
    static const char *const EXAMPLE[ROSTER_COLS] = {"王小雨", "女", "2024-05-18", "", "Q330123456", "娄桥街道", "托小一班",
                                                      "2026-03-01"};
    static const char *const NOTES[] = {
        "婴幼儿名单导入模板 填写说明", "",
        "1. 每名婴幼儿一行。必填：姓名、性别（男/女）、出生日期；身份证号与出生医学证明编号填一项。",
        "2. 户籍镇街填名称或区划代码，可不填。班级填本机构的班级名称，填了即编入该班，入班日期不填为导入当天。",
        "3. 日期写作 2024-05-18、2024/5/18 或 Excel 日期。文件可保存为 .xlsx，或 CSV（UTF-8 或 GBK）。",
        "4. 全部行正确才会导入；有错误时逐行列出（行号、列名、内容、原因），不导入任何婴幼儿。",
    };
    static const char *const SEX[] = {"男", "女"};
    xlsx_next_row(x);
    for (int c = 0; c < ROSTER_COLS; c++)
        if (xlsx_text(x, c, EXAMPLE[c], e) < 0)
            return -1;
    if (xlsx_choices(x, ROSTER_SEX, SEX, 2, e) < 0)
        return -1;
    return xlsx_notes(x, "填写说明", NOTES, (int)(sizeof NOTES / sizeof *NOTES), e);
}

/* ---- a row into a child ---- */

/* Append the error at row r, column c of t. */
static void report(json_t *errors, const struct sheet_table *t, int r, int c, const char *code, const char *reason)
{
    json_t *value = json_string(t->cells[r][c] ? t->cells[r][c] : "");
    json_array_append_new(errors, json_pack("{s:i, s:s, s:o, s:s, s:s}", "row", t->line[r], "field",
                                            t->written[c] ? t->written[c] : roster_columns[c].heading, "value",
                                            value ? value : json_string(""), "code", code, "reason", reason));
}

static int column_of(const char *member)
{
    static const char *const MEMBERS[ROSTER_COLS] = {"name", "sex", "birth_date", "id_number", "birth_cert", "hukou_town"};
    for (int c = 0; c < ROSTER_HUKOU + 1; c++)
        if (strcmp(member, MEMBERS[c]) == 0)
            return c;
    return ROSTER_NAME;
}

/* Row r of t as a child of institution in (towns: rows {code, name}): 0 with *c, *class_id (0
 * none) and start; -1 reported. */
static int child_of(const struct sheet_table *t, int r, const struct institution *in, const json_t *towns,
                    const char *today, struct child *c, int64_t *class_id, char start[DATE_DAY_LEN], json_t *errors)
{
    char v[ROSTER_COLS][160];
    for (int k = 0; k < ROSTER_COLS; k++)
        sheet_trim(t->cells[r][k] ? t->cells[r][k] : "", v[k], sizeof v[k]);
    json_t *body = json_pack("{s:s}", "name", v[ROSTER_NAME]);
    int sex = strcmp(v[ROSTER_SEX], "男") == 0 || strcmp(v[ROSTER_SEX], "1") == 0   ? 1
              : strcmp(v[ROSTER_SEX], "女") == 0 || strcmp(v[ROSTER_SEX], "2") == 0 ? 2
                                                                                    : 0;
    if (!sex) {
        json_decref(body);
        report(errors, t, r, ROSTER_SEX, "bad_sex", "性别应填“男”或“女”");
        return -1;
    }
    json_object_set_new(body, "sex", json_integer(sex));
    char day[64];
    sheet_date(v[ROSTER_BIRTH], day, sizeof day);
    json_object_set_new(body, "birth_date", json_string(day));
    if (v[ROSTER_ID][0])
        json_object_set_new(body, "id_number", json_string(v[ROSTER_ID]));
    if (v[ROSTER_CERT][0])
        json_object_set_new(body, "birth_cert", json_string(v[ROSTER_CERT]));
    if (v[ROSTER_HUKOU][0]) {
        const char *code = NULL;
        size_t i;
        json_t *town;
        json_array_foreach(towns, i, town)
        {
            const char *tc = json_string_value(json_object_get(town, "code"));
            if (strcmp(v[ROSTER_HUKOU], tc) == 0 || strcmp(v[ROSTER_HUKOU], json_string_value(json_object_get(town, "name"))) == 0)
                code = tc;
        }
        json_object_set_new(body, "hukou_town", json_string(code ? code : v[ROSTER_HUKOU]));
    }
    struct err e = {0};
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    json_t *checked = text ? http_json_check(&child_schema, text, strlen(text), &e) : NULL;
    free(text);
    int ok = checked && child_from_json(checked, today, c, &e) == 0;
    json_decref(checked);
    if (!ok) {
        report(errors, t, r, column_of(e.field), e.code, e.message);
        return -1;
    }
    c->institution_id = in->id;
    *class_id = 0;
    snprintf(start, DATE_DAY_LEN, "%s", today);
    if (v[ROSTER_CLASS][0]) {
        for (int k = 0; k < in->nclasses && !*class_id; k++)
            if (strcmp(in->classes[k].name, v[ROSTER_CLASS]) == 0)
                *class_id = in->classes[k].id;
        if (!*class_id) {
            report(errors, t, r, ROSTER_CLASS, "unknown_class", "本机构没有这个班级");
            return -1;
        }
        if (v[ROSTER_START][0]) {
            sheet_date(v[ROSTER_START], day, sizeof day);
            int64_t n;
            if (date_days_between(day, today, &n, &e) < 0 || strlen(day) != 10) {
                report(errors, t, r, ROSTER_START, "bad_date", "入班日期应为 2026-03-01 这样的日期");
                return -1;
            }
            snprintf(start, DATE_DAY_LEN, "%s", day);
        }
    }
    return 0;
}

/* ---- routes ---- */

static int roster_begin(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    if (!registry_load_for(req, "care.manage", &e))
        return http_reply_err(rep, &e);
    http_upload_limit(req, 8u << 20);
    return 0;
}

static int import_roster(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "care.manage", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct sheet_table t;
    int rc = materials_upload_table(req, roster_columns, ROSTER_COLS, ROSTER_MAX_ROWS, &t, &e);
    if (rc < 0) {
        sheet_table_free(&t);
        return http_reply_err(rep, &e);
    }
    json_t *towns = NULL, *errors = json_array(), *items = json_array();
    struct child *kids = calloc((size_t)t.nrows + 1, sizeof *kids);
    int64_t *classes = calloc((size_t)t.nrows + 1, sizeof *classes);
    char (*starts)[DATE_DAY_LEN] = calloc((size_t)t.nrows + 1, sizeof *starts);
    if (!kids || !classes || !starts || registry_towns(req->db, req->district, &towns, &e) < 0) {
        rc = -1;
        goto out;
    }
    for (int r = 0; r < t.nrows; r++)
        child_of(&t, r, in, towns, req->today, &kids[r], &classes[r], starts[r], errors);
    if (t.nrows == 0)
        json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", 1, "field", "姓名", "value", "",
                                                "code", "empty", "reason", "文件中没有婴幼儿"));
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (json_array_size(errors) == 0 && db_begin(req->db, &e) < 0)
        rc = -1;
    for (int r = 0; rc == 0 && json_array_size(errors) == 0 && r < t.nrows; r++) {
        struct child *c = &kids[r];
        struct err ce = {0};
        int64_t placement = 0;
        if (children_insert(req->db, &req->app->key, req->district, c, now_ts, &ce) < 0 ||
            (classes[r] && care_place(req->db, req->district, c->id, in->id, classes[r], starts[r], now_ts,
                                      &placement, &ce) < 0)) {
            if (ce.status >= 500) {
                e = ce;
                rc = -1;
            } else {
                report(errors, &t, r, strcmp(ce.field, "id_number") == 0 ? (c->id_kind[0] == 'b' ? ROSTER_CERT : ROSTER_ID) : ROSTER_CLASS,
                       ce.code, ce.message);
            }
            break;
        }
        json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:o}", "name", c->name_masked, "id_number", c->id_masked,
                              "birth_date", c->birth_date, "sex", c->sex, "class_id",
                              classes[r] ? json_integer(classes[r]) : json_null());
        rc = audit_request(req, "child.create", "child", http_printf(req, "%" PRId64, c->id), f, &e);
        json_decref(f);
        json_array_append_new(items, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)c->id, "name", c->name_masked,
                                               "class_id", classes[r] ? json_integer(classes[r]) : json_null()));
    }
    if (rc == 0 && json_array_size(errors) == 0) {
        json_t *f = json_pack("{s:I, s:i}", "institution_id", (json_int_t)in->id, "rows", (int)json_array_size(items));
        rc = audit_request_commit(req, "child.import", "institution", http_printf(req, "%" PRId64, in->id), f, &e);
        json_decref(f);
    } else {
        db_rollback(req->db);
    }
out:
    free(kids);
    free(classes);
    free(starts);
    json_decref(towns);
    sheet_table_free(&t);
    if (rc < 0) {
        json_decref(errors);
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    if (json_array_size(errors)) {
        json_decref(items);
        return http_reply_import_rows(rep, errors, "婴幼儿");
    }
    json_decref(errors);
    return http_reply_json(rep, 201, json_pack("{s:i, s:o}", "imported", (int)json_array_size(items), "items", items));
}

static int roster_template_route(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.institution_id = req->user->institution_id, .town_code = req->user->town_code};
    if (authz_require(req, "care.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    const char *heads[ROSTER_COLS];
    double widths[ROSTER_COLS];
    for (int c = 0; c < ROSTER_COLS; c++) {
        heads[c] = roster_columns[c].heading;
        widths[c] = c == ROSTER_ID || c == ROSTER_CERT ? 22 : 14;
    }
    const struct audit_xlsx x = {"婴幼儿名单导入模板", heads, widths, ROSTER_COLS, roster_template, NULL, NULL, NULL, NULL,
                                 "children-template", "婴幼儿名单导入模板"};
    return audit_reply_xlsx(req, rep, &x);
}

#include "children/roster.schemas.inc"

const struct route roster_routes[] = {
    {"POST", "/api/v1/institutions/{id}/children/import", "care.manage", import_roster, &ROSTER_FILE, &IMPORTED, 201,
     .begin = roster_begin},
    {"GET", "/api/v1/children/import-template", "care.manage", roster_template_route, NULL, &TEMPLATE},
    {NULL, NULL, NULL, NULL},
};

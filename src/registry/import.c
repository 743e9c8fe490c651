/* import.c — institutions from a table (import.h): the rows turned into request bodies (values
 * as people write them mapped to codes, classes and fees gathered under their institution), each
 * body checked as the API checks one, an error of a body traced back to the row and column it
 * came from, then every institution written through the store — or none. */
#include "registry/import.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "registry/store.h"

const struct sheet_column registry_import_columns[REGISTRY_IMPORT_COLS] = {
    [IMP_NAME] = {"机构名称", "name", 1},
    [IMP_USCC] = {"统一社会信用代码", "uscc", 1},
    [IMP_TOWN] = {"所属镇街", "town_code", 1},
    [IMP_ADDRESS] = {"地址", "address", 1},
    [IMP_LON] = {"经度", "lon", 1},
    [IMP_LAT] = {"纬度", "lat", 1},
    [IMP_MODEL] = {"办托模式", "operating_model", 1},
    [IMP_OWNERSHIP] = {"举办性质", "ownership", 1},
    [IMP_INCLUSIVE] = {"普惠", "inclusive", 0},
    [IMP_STATUS] = {"备案状态", "status", 0},
    [IMP_TENURE] = {"场地权属", "premises_tenure", 1},
    [IMP_LEASE_START] = {"租赁起始日期", "lease_start", 0},
    [IMP_LEASE_END] = {"租赁截止日期", "lease_end", 0},
    [IMP_FLOOR] = {"所在楼层", "floor", 0},
    [IMP_HEALTH_ROOM] = {"保健观察室面积（平方米）", "health_room_m2", 0},
    [IMP_WINDOW_RATIO] = {"窗地面积比", "window_floor_ratio", 0},
    [IMP_HEALTH_WORKERS] = {"卫生保健人员数", "health_workers", 0},
    [IMP_HOURS] = {"服务时间", "opening_hours", 0},
    [IMP_PHONE] = {"联系电话", "phone", 0},
    [IMP_DIRECTOR] = {"负责人", "director", 0},
    [IMP_CLASS_TYPE] = {"班型", "class_type", 0},
    [IMP_CLASS_NAME] = {"班级名称", "class_name", 0},
    [IMP_CAPACITY] = {"托位数", "capacity", 0},
    [IMP_ENROLLED] = {"在托人数", "enrolled", 0},
    [IMP_CAREGIVERS] = {"保育人员数", "caregivers", 0},
    [IMP_FEE_ITEM] = {"收费项目", "fee_item", 0},
    [IMP_FEE_CATEGORY] = {"收费类别", "fee_category", 0},
    [IMP_FEE_YUAN] = {"收费标准（元）", "fee_yuan", 0},
    [IMP_FEE_UNIT] = {"计费单位", "fee_unit", 0},
};

static const char *const EXAMPLE[2][REGISTRY_IMPORT_COLS] = {
    {"瓯海区示例托育园", "91330304MA20000010", "娄桥街道", "温州市瓯海区娄桥街道示例路1号", "120.6219", "27.9651",
     "社会机构市场办", "民办", "是", "已备案", "租赁", "2024-01-01", "2033-12-31", "1", "8", "1:5", "1", "07:30-17:30",
     "0577-88000000", "张园长", "托大班", "托大一班", "20", "15", "3", "保育费（全日托）", "基本服务费", "2500.00", "月"},
    {"瓯海区示例托育园", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "托小班", "托小一班", "15",
     "10", "3", "伙食费", "其他服务费", "20", "日"},
};

void registry_import_heads(const char *heads[REGISTRY_IMPORT_COLS], double widths[REGISTRY_IMPORT_COLS])
{
    for (int c = 0; c < REGISTRY_IMPORT_COLS; c++) {
        heads[c] = registry_import_columns[c].heading;
        widths[c] = c == IMP_NAME || c == IMP_ADDRESS ? 30 : c == IMP_USCC ? 22 : 14;
    }
}

static const char *const NOTES[] = {
    "托育机构导入模板 填写说明",
    "",
    "1. 每家机构填一行：机构信息、第一个班级、第一项收费。同一机构的其他班级、其他收费项目各占一行，机构名称与上一行相同或留空，其余机构信息不必重填。",
    "2. 必填：机构名称、统一社会信用代码、所属镇街、地址、经度、纬度、办托模式、举办性质、场地权属；租赁场地须填租赁起止日期。",
    "3. 所属镇街填名称（如 娄桥街道）或区划代码；办托模式、举办性质、普惠、备案状态、场地权属、班型、收费类别可从下拉列表选择，也可填代码。",
    "4. 经度、纬度为 WGS-84 度数（如 120.6219、27.9651）；日期写作 2024-09-01、2024/9/1 或 Excel 日期。",
    "5. 收费标准以元为单位，最多两位小数（如 2500.00）；计费单位：月、日、小时、次、学期。保育费（全日托）按月收费的一项即家长看到的“每月保育费”。",
    "6. 备案状态不填视为已备案；普惠不填视为否。",
    "7. 保健观察室面积以平方米计（未设填 0）；窗地面积比取采光最差的一间婴幼儿生活用房，可写 0.2、20% 或 1:5。两项不填视为未登记，核查时会提示补登。",
    "8. 文件可保存为 .xlsx，或 CSV（UTF-8 或 Excel 在中文 Windows 上默认的 GBK 编码均可）。",
    "9. 全部行正确才会导入；有错误时逐行列出（行号、列名、内容、原因），不导入任何机构。改正后重新导入即可。",
};

int registry_import_example(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    const json_t *towns = ctx;
    for (int r = 0; r < 2; r++) {
        xlsx_next_row(x);
        for (int c = 0; c < REGISTRY_IMPORT_COLS; c++)
            if (xlsx_text(x, c, EXAMPLE[r][c], e) < 0)
                return -1;
    }
    /* drop-downs of the words the import understands */
    const char *names[32];
    int n = 0;
    size_t i;
    json_t *t;
    json_array_foreach(towns, i, t)
    {
        if (n < 32)
            names[n++] = json_string_value(json_object_get(t, "name"));
    }
    const char *types[CLASS_TYPE_COUNT], *models[16];
    for (int k = 0; k < CLASS_TYPE_COUNT; k++)
        types[k] = class_type_name((enum class_type)k);
    int nmodels = operating_model_names(models, 16);
    static const char *const OWN[] = {"公办", "民办"}, *const YN[] = {"是", "否"},
                             *const ST[] = {"已备案", "待备案", "已关闭"}, *const TEN[] = {"自有", "租赁"},
                             *const CAT[] = {"基本服务费", "其他服务费"};
    if ((n && xlsx_choices(x, IMP_TOWN, names, n, e) < 0) || xlsx_choices(x, IMP_MODEL, models, nmodels, e) < 0 ||
        xlsx_choices(x, IMP_OWNERSHIP, OWN, 2, e) < 0 || xlsx_choices(x, IMP_INCLUSIVE, YN, 2, e) < 0 ||
        xlsx_choices(x, IMP_STATUS, ST, 3, e) < 0 || xlsx_choices(x, IMP_TENURE, TEN, 2, e) < 0 ||
        xlsx_choices(x, IMP_CLASS_TYPE, types, CLASS_TYPE_COUNT, e) < 0 ||
        xlsx_choices(x, IMP_FEE_CATEGORY, CAT, 2, e) < 0)
        return -1;
    return xlsx_notes(x, "填写说明", NOTES, (int)(sizeof NOTES / sizeof *NOTES), e);
}

/* ---- values as people write them ---- */

/* The code of text among pairs {code, name, other names…} (NULL-terminated rows), or text itself
 * when it is none of them (the record's own check then names it). */
static const char *mapped(const char *text, const char *const (*pairs)[4], size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4 && pairs[i][k]; k++)
            if (strcmp(text, pairs[i][k]) == 0)
                return pairs[i][0];
    return text;
}
#define MAPPED(text, table) mapped(text, table, sizeof table / sizeof *table)

static const char *const OWNERSHIP[][4] = {{"public", "公办", "公立"}, {"private", "民办", "社会办", "私立"}};
static const char *const STATUS[][4] = {{"filed", "已备案", "在册"}, {"pending", "待备案", "备案中"}, {"closed", "已关闭", "已注销", "停办"}};
static const char *const TENURE[][4] = {{"owned", "自有", "产权"}, {"leased", "租赁", "租用"}};
static const char *const FEE_CATEGORY[][4] = {{"basic", "基本服务费", "基本", "保育费"}, {"other", "其他服务费", "其他"}};

/* 是/否, 1/0, true/false, 普惠/非普惠 → 1/0; -1 for anything else. */
static int yes_no(const char *v)
{
    static const char *const YES[] = {"是", "1", "true", "普惠", "Y", "y"}, *const NO[] = {"否", "0", "false", "非普惠", "N", "n"};
    for (size_t i = 0; i < sizeof YES / sizeof *YES; i++) {
        if (strcmp(v, YES[i]) == 0)
            return 1;
        if (strcmp(v, NO[i]) == 0)
            return 0;
    }
    return -1;
}

/* Yuan with at most two decimals ("2500", "2500.5", "2,500.00") → fen; -1 when it is not that. */
static int64_t yuan_to_fen(const char *v)
{
    int64_t fen = 0;
    int decimals = -1, digits = 0;
    for (const char *p = v; *p; p++) {
        if (*p == ',' && decimals < 0)
            continue;
        if (*p == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || decimals == 2 || ++digits > 12)
            return -1;
        fen = fen * 10 + (*p - '0');
        if (decimals >= 0)
            decimals++;
    }
    if (!digits)
        return -1;
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
        fen *= 10;
    return fen;
}

/* The first Chinese word of code in a table of MAPPED's shape, or code itself. */
static const char *label_of(const char *code, const char *const (*pairs)[4], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(code, pairs[i][0]) == 0)
            return pairs[i][1];
    return code;
}
#define LABEL_OF(code, table) label_of(code, table, sizeof table / sizeof *table)

/* ---- institutions out, in the template's form ---- */

/* Row k of institution in: the institution's columns on its first row (its name alone on the
 * others, which continue it), its class k and fee k; numbers as numbers, money in yuan. */
static int export_row(struct xlsx_sheet *x, const struct institution *in, const char *town, int k, struct err *e)
{
    struct cell_text {
        int col;
        const char *text;
    } texts[20];  /* 1 + 13 institution + 2 class + 3 fee columns */
    struct cell_number {
        int col;
        double value;
    } numbers[10]; /* 6 institution + 3 class + 1 fee columns */
    int nt = 0, nn = 0;
    texts[nt++] = (struct cell_text){IMP_NAME, in->name};
    if (k == 0) {
        texts[nt++] = (struct cell_text){IMP_USCC, in->uscc};
        texts[nt++] = (struct cell_text){IMP_TOWN, town};
        texts[nt++] = (struct cell_text){IMP_ADDRESS, in->address};
        texts[nt++] = (struct cell_text){IMP_MODEL, operating_model_name(in->operating_model)};
        texts[nt++] = (struct cell_text){IMP_OWNERSHIP, LABEL_OF(in->ownership, OWNERSHIP)};
        texts[nt++] = (struct cell_text){IMP_INCLUSIVE, in->inclusive ? "是" : "否"};
        texts[nt++] = (struct cell_text){IMP_STATUS, LABEL_OF(in->status, STATUS)};
        texts[nt++] = (struct cell_text){IMP_TENURE, LABEL_OF(in->premises_tenure, TENURE)};
        texts[nt++] = (struct cell_text){IMP_LEASE_START, in->lease_start};
        texts[nt++] = (struct cell_text){IMP_LEASE_END, in->lease_end};
        texts[nt++] = (struct cell_text){IMP_HOURS, in->opening_hours};
        texts[nt++] = (struct cell_text){IMP_PHONE, in->phone};
        texts[nt++] = (struct cell_text){IMP_DIRECTOR, in->director};
        numbers[nn++] = (struct cell_number){IMP_LON, in->lon};
        numbers[nn++] = (struct cell_number){IMP_LAT, in->lat};
        numbers[nn++] = (struct cell_number){IMP_FLOOR, in->floor};
        numbers[nn++] = (struct cell_number){IMP_HEALTH_WORKERS, in->health_workers};
        if (in->health_room_m2 >= 0) /* unrecorded: an empty cell */
            numbers[nn++] = (struct cell_number){IMP_HEALTH_ROOM, in->health_room_m2};
        if (in->window_floor_ratio >= 0)
            numbers[nn++] = (struct cell_number){IMP_WINDOW_RATIO, in->window_floor_ratio};
    }
    if (k < in->nclasses) {
        const struct inst_class *c = &in->classes[k];
        texts[nt++] = (struct cell_text){IMP_CLASS_TYPE, class_type_name(c->type)};
        texts[nt++] = (struct cell_text){IMP_CLASS_NAME, c->name};
        numbers[nn++] = (struct cell_number){IMP_CAPACITY, c->capacity};
        numbers[nn++] = (struct cell_number){IMP_ENROLLED, c->enrolled};
        numbers[nn++] = (struct cell_number){IMP_CAREGIVERS, c->caregivers};
    }
    if (k < in->nfees) {
        const struct fee_item *f = &in->fees[k];
        texts[nt++] = (struct cell_text){IMP_FEE_ITEM, f->item};
        texts[nt++] = (struct cell_text){IMP_FEE_CATEGORY, LABEL_OF(f->category, FEE_CATEGORY)};
        texts[nt++] = (struct cell_text){IMP_FEE_UNIT, f->unit};
        numbers[nn++] = (struct cell_number){IMP_FEE_YUAN, (double)f->amount_fen / 100};
    }
    xlsx_next_row(x);
    for (int i = 0; i < nt; i++)
        if (xlsx_text(x, texts[i].col, texts[i].text, e) < 0)
            return -1;
    for (int i = 0; i < nn; i++)
        if (xlsx_number(x, numbers[i].col, numbers[i].value, e) < 0)
            return -1;
    return 0;
}

int registry_export_rows(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    const struct registry_export *ex = ctx;
    /* a page of institutions at a time: the workbook streams to its file, memory stays flat */
    struct registry_filter page = {.inclusive = -1, .limit = 200, .day = ex->today};
    for (;;) {
        struct institution *list;
        int n;
        if (registry_load_filtered(ex->db, ex->district, &page, &list, &n, e) < 0)
            return -1;
        for (int i = 0; i < n; i++) {
            const struct institution *in = &list[i];
            const char *town = in->town_code;
            size_t j;
            json_t *t;
            json_array_foreach(ex->towns, j, t)
            {
                if (strcmp(json_string_value(json_object_get(t, "code")), in->town_code) == 0)
                    town = json_string_value(json_object_get(t, "name"));
            }
            int rows = in->nclasses > in->nfees ? in->nclasses : in->nfees;
            for (int k = 0; k < (rows ? rows : 1); k++)
                if (export_row(x, in, town, k, e) < 0) {
                    free(list);
                    return -1;
                }
        }
        page.after_id = n ? list[n - 1].id : 0;
        free(list);
        if (n < page.limit)
            return 0;
    }
}

/* ---- rows into institutions ---- */

/* One institution of the table: its body and the rows each part came from. */
struct item {
    json_t *body;
    int row;                        /* its first row (index in the table) */
    int class_row[REG_MAX_CLASSES + 1], fee_row[REG_MAX_FEES + 1];
    int nclasses, nfees;
    int bad;                        /* a row of it could not be read: not checked further */
};

/* Cell (r, c) of t trimmed into out. */
static const char *cell(const struct sheet_table *t, int r, int c, char *out, size_t n)
{
    sheet_trim(t->cells[r][c] ? t->cells[r][c] : "", out, n);
    return out;
}

/* Append the error e at row r, column c of t to errors. */
static void report(json_t *errors, const struct sheet_table *t, int r, int c, const char *code, const char *reason)
{
    const char *raw = t->cells[r][c] ? t->cells[r][c] : "";
    json_t *value = json_string(raw); /* NULL when not UTF-8 (an .xlsx is; a CSV was converted) */
    json_array_append_new(errors, json_pack("{s:i, s:s, s:o, s:s, s:s}", "row", t->line[r], "field",
                                            t->written[c] ? t->written[c] : registry_import_columns[c].heading, "value",
                                            value ? value : json_string(""), "code", code, "reason", reason));
}

/* Put cell c of row r as a string member (if not blank). */
static void put_text(json_t *o, const char *key, const char *v)
{
    if (v[0])
        json_object_set_new(o, key, json_string(v));
}

/* Put cell c of row r as an integer member (if not blank): 0, or -1 reported. */
static int put_int(json_t *o, const char *key, const struct sheet_table *t, int r, int c, json_t *errors)
{
    char v[64];
    int64_t n;
    if (!cell(t, r, c, v, sizeof v)[0])
        return 0;
    if (parse_int64(v, &n) < 0) {
        report(errors, t, r, c, "not_a_number", "应为整数");
        return -1;
    }
    json_object_set_new(o, key, json_integer(n));
    return 0;
}

/* A ratio as people write it: 0.2, 20%, 1:5 (or 1：5, 1/5) → 0.2; -1 when it is not one. */
static double ratio_of(const char *v)
{
    double a, b;
    char rest[8];
    size_t n = strlen(v);
    if (n > 1 && v[n - 1] == '%') {
        char num[64];
        snprintf(num, sizeof num, "%.*s", (int)(n - 1), v);
        return parse_double(num, &a) == 0 && a >= 0 ? a / 100 : -1;
    }
    if (sscanf(v, "%lf:%lf%7s", &a, &b, rest) == 2 || sscanf(v, "%lf/%lf%7s", &a, &b, rest) == 2 ||
        sscanf(v, "%lf：%lf%7s", &a, &b, rest) == 2)
        return a >= 0 && b > 0 ? a / b : -1;
    return parse_double(v, &a) == 0 && a >= 0 ? a : -1;
}

/* The premises figures of row r into premises (an empty cell: not given): 0, or -1 reported. */
static int premises_figures_of(const struct sheet_table *t, int r, json_t *premises, json_t *errors)
{
    char v[64];
    int bad = 0;
    double d;
    if (cell(t, r, IMP_HEALTH_ROOM, v, sizeof v)[0]) {
        if (parse_double(v, &d) < 0)
            report(errors, t, r, IMP_HEALTH_ROOM, "not_a_number", "应为数字（平方米，未设填 0）"), bad = 1;
        else
            json_object_set_new(premises, "health_room_m2", json_real(d));
    }
    if (cell(t, r, IMP_WINDOW_RATIO, v, sizeof v)[0]) {
        if ((d = ratio_of(v)) < 0)
            report(errors, t, r, IMP_WINDOW_RATIO, "not_a_ratio", "应为比例（如 0.2、20% 或 1:5）"), bad = 1;
        else
            json_object_set_new(premises, "window_floor_ratio", json_real(d));
    }
    return bad ? -1 : 0;
}

/* The institution columns of row r into body: 0, or -1 when a value could not be read (reported). */
static int institution_of(const struct sheet_table *t, int r, const json_t *towns, json_t *body, json_t *errors)
{
    char v[512];
    int bad = 0;
    put_text(body, "name", cell(t, r, IMP_NAME, v, sizeof v));
    put_text(body, "uscc", cell(t, r, IMP_USCC, v, sizeof v));
    put_text(body, "address", cell(t, r, IMP_ADDRESS, v, sizeof v));
    put_text(body, "opening_hours", cell(t, r, IMP_HOURS, v, sizeof v));
    put_text(body, "phone", cell(t, r, IMP_PHONE, v, sizeof v));
    put_text(body, "director", cell(t, r, IMP_DIRECTOR, v, sizeof v));
    put_text(body, "operating_model", operating_model_code(cell(t, r, IMP_MODEL, v, sizeof v)));
    put_text(body, "ownership", MAPPED(cell(t, r, IMP_OWNERSHIP, v, sizeof v), OWNERSHIP));
    put_text(body, "status", MAPPED(cell(t, r, IMP_STATUS, v, sizeof v), STATUS));
    if (cell(t, r, IMP_TOWN, v, sizeof v)[0]) {
        const char *code = NULL;
        size_t i;
        json_t *town;
        json_array_foreach(towns, i, town)
        {
            const char *c = json_string_value(json_object_get(town, "code")), *n = json_string_value(json_object_get(town, "name"));
            if (strcmp(v, c) == 0 || strcmp(v, n) == 0)
                code = c;
        }
        if (code)
            json_object_set_new(body, "town_code", json_string(code));
        else
            report(errors, t, r, IMP_TOWN, "unknown_town", "本区没有这个镇街（填镇街名称或代码）"), bad = 1;
    }
    static const int COORD[] = {IMP_LON, IMP_LAT};
    for (int k = 0; k < 2; k++) {
        double d;
        if (!cell(t, r, COORD[k], v, sizeof v)[0])
            continue;
        if (parse_double(v, &d) < 0)
            report(errors, t, r, COORD[k], "not_a_number", "应为数字（度，如 120.6219）"), bad = 1;
        else
            json_object_set_new(body, k ? "lat" : "lon", json_real(d));
    }
    if (cell(t, r, IMP_INCLUSIVE, v, sizeof v)[0]) {
        int yes = yes_no(v);
        if (yes < 0)
            report(errors, t, r, IMP_INCLUSIVE, "bad_boolean", "应填“是”或“否”"), bad = 1;
        else
            json_object_set_new(body, "inclusive", json_boolean(yes));
    }
    bad |= put_int(body, "health_workers", t, r, IMP_HEALTH_WORKERS, errors) < 0;
    json_t *premises = json_object();
    put_text(premises, "tenure", MAPPED(cell(t, r, IMP_TENURE, v, sizeof v), TENURE));
    static const int LEASE[] = {IMP_LEASE_START, IMP_LEASE_END};
    for (int k = 0; k < 2; k++) {
        char day[64];
        if (cell(t, r, LEASE[k], v, sizeof v)[0]) {
            sheet_date(v, day, sizeof day);
            json_object_set_new(premises, k ? "lease_end" : "lease_start", json_string(day));
        }
    }
    bad |= put_int(premises, "floor", t, r, IMP_FLOOR, errors) < 0;
    bad |= premises_figures_of(t, r, premises, errors) < 0;
    json_object_set_new(body, "premises", premises);
    json_object_set_new(body, "classes", json_array());
    json_object_set_new(body, "fees", json_array());
    return bad ? -1 : 0;
}

/* Is any of columns [from, to] of row r filled? */
static int any_filled(const struct sheet_table *t, int r, int from, int to)
{
    char v[8];
    for (int c = from; c <= to; c++)
        if (cell(t, r, c, v, sizeof v)[0])
            return 1;
    return 0;
}

/* The class and fee of row r, when filled, added to it: 0, or -1 reported. */
static int parts_of(const struct sheet_table *t, int r, struct item *it, json_t *errors)
{
    char v[256];
    int bad = 0;
    if (any_filled(t, r, IMP_CLASS_TYPE, IMP_CAREGIVERS)) {
        json_t *c = json_object();
        put_text(c, "class_type", class_type_code_of(cell(t, r, IMP_CLASS_TYPE, v, sizeof v)));
        put_text(c, "name", cell(t, r, IMP_CLASS_NAME, v, sizeof v));
        bad |= put_int(c, "capacity", t, r, IMP_CAPACITY, errors) < 0;
        bad |= put_int(c, "enrolled", t, r, IMP_ENROLLED, errors) < 0;
        bad |= put_int(c, "caregivers", t, r, IMP_CAREGIVERS, errors) < 0;
        json_array_append_new(json_object_get(it->body, "classes"), c);
        if (it->nclasses <= REG_MAX_CLASSES)
            it->class_row[it->nclasses++] = r;
    }
    if (any_filled(t, r, IMP_FEE_ITEM, IMP_FEE_UNIT)) {
        json_t *f = json_object();
        put_text(f, "item", cell(t, r, IMP_FEE_ITEM, v, sizeof v));
        put_text(f, "category", MAPPED(cell(t, r, IMP_FEE_CATEGORY, v, sizeof v), FEE_CATEGORY));
        put_text(f, "unit", cell(t, r, IMP_FEE_UNIT, v, sizeof v));
        if (cell(t, r, IMP_FEE_YUAN, v, sizeof v)[0]) {
            int64_t fen = yuan_to_fen(v);
            if (fen < 0)
                report(errors, t, r, IMP_FEE_YUAN, "bad_amount", "应为金额（元，最多两位小数，如 2500.00）"), bad = 1;
            else
                json_object_set_new(f, "amount_fen", json_integer(fen));
        }
        json_array_append_new(json_object_get(it->body, "fees"), f);
        if (it->nfees <= REG_MAX_FEES)
            it->fee_row[it->nfees++] = r;
    }
    return bad ? -1 : 0;
}

/* ---- a body's error traced back to its row and column ---- */

static const struct {
    const char *member;
    int col;
} MEMBER_COLUMN[] = {
    {"name", IMP_NAME},           {"uscc", IMP_USCC},           {"town_code", IMP_TOWN},
    {"address", IMP_ADDRESS},     {"lon", IMP_LON},             {"lat", IMP_LAT},
    {"operating_model", IMP_MODEL}, {"ownership", IMP_OWNERSHIP}, {"inclusive", IMP_INCLUSIVE},
    {"status", IMP_STATUS},       {"opening_hours", IMP_HOURS}, {"phone", IMP_PHONE},
    {"director", IMP_DIRECTOR},   {"health_workers", IMP_HEALTH_WORKERS},
    {"premises.tenure", IMP_TENURE}, {"premises.lease_start", IMP_LEASE_START},
    {"premises.lease_end", IMP_LEASE_END}, {"premises.floor", IMP_FLOOR},
    {"premises.health_room_m2", IMP_HEALTH_ROOM}, {"premises.window_floor_ratio", IMP_WINDOW_RATIO}, {"premises", IMP_TENURE},
    {"class_type", IMP_CLASS_TYPE}, {"capacity", IMP_CAPACITY},   {"enrolled", IMP_ENROLLED},
    {"caregivers", IMP_CAREGIVERS}, {"item", IMP_FEE_ITEM},        {"category", IMP_FEE_CATEGORY},
    {"amount_fen", IMP_FEE_YUAN}, {"unit", IMP_FEE_UNIT},
};

static int column_of(const char *member, int fallback)
{
    for (size_t i = 0; i < sizeof MEMBER_COLUMN / sizeof *MEMBER_COLUMN; i++)
        if (strcmp(member, MEMBER_COLUMN[i].member) == 0)
            return MEMBER_COLUMN[i].col;
    return fallback;
}

/* Report e (field a member path: "uscc", "premises.floor", "classes[1].capacity", "fees[0].unit")
 * on the row and column of item it the member came from. */
static void report_member(json_t *errors, const struct sheet_table *t, const struct item *it, const struct err *e)
{
    int r = it->row, c, k;
    char member[64] = "";
    if (sscanf(e->field, "classes[%d].%63s", &k, member) == 2 && k >= 0 && k < it->nclasses) {
        r = it->class_row[k];
        c = strcmp(member, "name") == 0 ? IMP_CLASS_NAME : column_of(member, IMP_CLASS_TYPE);
    } else if (sscanf(e->field, "fees[%d].%63s", &k, member) == 2 && k >= 0 && k < it->nfees) {
        r = it->fee_row[k];
        c = column_of(member, IMP_FEE_ITEM);
    } else if (strncmp(e->field, "classes", 7) == 0) {
        c = IMP_CLASS_TYPE;
    } else if (strncmp(e->field, "fees", 4) == 0) {
        c = IMP_FEE_ITEM;
    } else {
        c = column_of(e->field, IMP_NAME);
    }
    report(errors, t, r, c, e->code, e->message);
}

/* ---- the report of a checked file ---- */

int registry_import_report(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    const struct registry_report *rp = ctx;
    const struct sheet_table *t = rp->t;
    for (int r = 0; r < t->nrows; r++) {
        char reasons[2048] = "";
        size_t used = 0;
        unsigned char bad[REGISTRY_IMPORT_COLS] = {0};
        size_t i;
        json_t *err;
        json_array_foreach(rp->errors, i, err)
        {
            if (json_integer_value(json_object_get(err, "row")) != t->line[r])
                continue;
            const char *field = json_string_value(json_object_get(err, "field"));
            for (int c = 0; c < REGISTRY_IMPORT_COLS; c++)
                if (strcmp(field, t->written[c] ? t->written[c] : registry_import_columns[c].heading) == 0)
                    bad[c] = 1;
            int w = snprintf(reasons + used, sizeof reasons - used, "%s%s：%s", used ? "；" : "", field,
                             json_string_value(json_object_get(err, "reason")));
            if (w > 0 && (size_t)w < sizeof reasons - used)
                used += (size_t)w;
        }
        xlsx_next_row(x);
        for (int c = 0; c < REGISTRY_IMPORT_COLS; c++)
            if ((bad[c] ? xlsx_text_marked : xlsx_text)(x, c, t->cells[r][c], e) < 0)
                return -1;
        if (xlsx_text(x, REGISTRY_IMPORT_COLS, used ? reasons : "", e) < 0)
            return -1;
    }
    return 0;
}

/* ---- the import ---- */

/* errors in the order of the file's rows (a row's own errors in the order found) */
struct numbered {
    json_t *error;
    int row, seq;
};

static int by_row(const void *a, const void *b)
{
    const struct numbered *x = a, *y = b;
    return x->row != y->row ? (x->row > y->row) - (x->row < y->row) : (x->seq > y->seq) - (x->seq < y->seq);
}

static void sort_by_row(json_t *errors)
{
    size_t n = json_array_size(errors);
    struct numbered *v = n > 1 ? malloc(n * sizeof *v) : NULL;
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        v[i].error = json_incref(json_array_get(errors, i));
        v[i].row = (int)json_integer_value(json_object_get(v[i].error, "row"));
        v[i].seq = (int)i;
    }
    qsort(v, n, sizeof *v, by_row);
    json_array_clear(errors);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(errors, v[i].error);
    free(v);
}

int registry_import(struct db *db, const char *district, const struct registry_rules *rules, const json_t *towns,
                    const struct sheet_table *t, const char *today, const char *now_ts, int dry_run, json_t *errors,
                    json_t *created, struct err *e)
{
    struct item *items = calloc((size_t)t->nrows + 1, sizeof *items);
    struct institution *in = malloc(sizeof *in);
    int n = 0, rc = 0;
    if (!items || !in) {
        free(items), free(in);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    char name[512], current[512] = "";
    for (int r = 0; r < t->nrows; r++) {
        cell(t, r, IMP_NAME, name, sizeof name);
        struct item *it = n ? &items[n - 1] : NULL;
        if (name[0] && strcmp(name, current) != 0) {
            it = &items[n++];
            it->row = r;
            it->body = json_object();
            snprintf(current, sizeof current, "%s", name);
            it->bad |= institution_of(t, r, towns, it->body, errors) < 0;
        } else if (!it) {
            report(errors, t, r, IMP_NAME, "required", "第一行须填写机构名称（下面的行不填名称，表示同一机构的其他班级或收费项目）");
            continue;
        }
        it->bad |= parts_of(t, r, it, errors) < 0;
    }
    if (t->nrows == 0)
        json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", 1, "field", "机构名称", "value", "",
                                                "code", "empty", "reason", "文件中没有机构"));
    for (int i = 0; i < n; i++) {
        struct item *it = &items[i];
        if (it->bad)
            continue;
        struct err be = {0};
        char *text = json_dumps(it->body, JSON_COMPACT);
        json_t *checked = text ? http_json_check(&registry_schema, text, strlen(text), &be) : NULL;
        free(text);
        institution_init(in, "filed");
        int ok = checked && registry_from_json(checked, rules, today, in, &be) == 0;
        json_decref(checked);
        for (int k = 0; ok && k < i; k++) { /* the same code twice in the file */
            const char *earlier = json_string_value(json_object_get(items[k].body, "uscc"));
            if (earlier && strcmp(earlier, in->uscc) == 0)
                ok = err_set(&be, 409, "duplicate_uscc", "uscc", "统一社会信用代码与第 %d 行的机构重复",
                             t->line[items[k].row]) == 0;
        }
        if (!ok) {
            report_member(errors, t, it, &be);
            it->bad = 1;
            continue;
        }
        if (json_array_size(errors) == 0 && !dry_run) {
            if (registry_insert(db, district, in, now_ts, 0, &be) < 0) {
                if (be.status >= 500) {
                    *e = be;
                    rc = -1;
                    break;
                }
                report_member(errors, t, it, &be);
                break; /* the transaction may be aborted: the caller rolls back */
            }
        }
        json_array_append_new(created, json_pack("{s:o, s:s, s:s, s:i, s:i}", "id",
                                                 dry_run || json_array_size(errors) ? json_null() : json_integer(in->id),
                                                 "name", in->name, "town_code", in->town_code, "classes", in->nclasses,
                                                 "places", institution_places(in)));
    }
    for (int i = 0; i < n; i++)
        json_decref(items[i].body);
    free(items);
    free(in);
    sort_by_row(errors);
    return rc;
}

/* list_export.c — every paged list a user can see, as a real .xlsx (issue 21 item 4): a GET of a
 * list route (its reply HTTP_PAGE_OF an item) with ?export=xlsx runs the route's own handler page
 * after page — the caller's filters, jurisdiction and masking exactly as on screen — and writes
 * the items into one workbook as they come: a column for each scalar member of the item, headed
 * by the member's Chinese description, numbers as numbers, dates as dates, money (a member named
 * …_fen) in yuan with two decimals, 是/否 for booleans; the heading row frozen.
 * The server's on_export hook audits it (who, which list, the filters, how many rows) before the
 * file goes out. At most HTTP_EXPORT_MAX_ROWS rows: more is refused, asking for a narrower filter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xlsx.h"
#include "http/internal.h"

#define HTTP_EXPORT_MAX_ROWS 100000

/* Is this member an amount of money in fen (its name ends in _fen)? */
static int is_money(const struct http_schema *m)
{
    size_t n = strlen(m->name);
    return n > 4 && strcmp(m->name + n - 4, "_fen") == 0 && (m->type == HTTP_INTEGER || m->type == HTTP_NUMBER);
}

/* Is this member written as a column? (nested objects and arrays are not) */
static int is_column(const struct http_schema *m)
{
    return m->type != HTTP_ARRAY && m->type != HTTP_OBJECT && m->type != HTTP_BINARY && m->type != HTTP_FILE;
}

static const struct http_schema *page_item(const struct route *r)
{
    const struct http_schema *s = r->reply;
    if (!s || s->type != HTTP_OBJECT || !s->members || !s->members[0].name || strcmp(s->members[0].name, "items") ||
        !s->members[1].name || strcmp(s->members[1].name, "next"))
        return NULL;
    const struct http_schema *item = s->members[0].items;
    return item && item->type == HTTP_OBJECT && item->members ? item : NULL;
}

int http_list_export_wanted(struct http_req_state *st)
{
    const char *want = http_query(&st->req, "export");
    return want && strcmp(st->req.method, "GET") == 0 && page_item(st->req.route) != NULL;
}

/* One item as a row of the columns of item. */
static int write_item(struct xlsx_sheet *x, const struct http_schema *item, json_t *o, struct err *e)
{
    xlsx_next_row(x);
    int col = 0;
    for (const struct http_schema *m = item->members; m->name; m++) {
        if (!is_column(m))
            continue;
        json_t *v = json_object_get(o, m->name);
        int rc = 0;
        if (json_is_string(v))
            rc = m->type == HTTP_DATE ? xlsx_date(x, col, json_string_value(v), e) : xlsx_text(x, col, json_string_value(v), e);
        else if (json_is_number(v))
            rc = is_money(m) ? xlsx_yuan(x, col, (int64_t)json_number_value(v), e) : xlsx_number(x, col, json_number_value(v), e);
        else if (json_is_boolean(v))
            rc = xlsx_text(x, col, json_is_true(v) ? "是" : "否", e);
        if (rc < 0)
            return -1;
        col++;
    }
    return 0;
}

void http_list_export(struct http_req_state *st)
{
    struct http_req *req = &st->req;
    struct http_reply *rep = &st->rep;
    struct err e = {0};
    const char *want = http_query(req, "export");
    if (strcmp(want, "xlsx") != 0) {
        http_reply_error(rep, 400, "bad_export", "export", "export 只能是 xlsx：%s", want);
        return;
    }
    const struct http_schema *item = page_item(req->route);
    int ncols = 0;
    for (const struct http_schema *m = item->members; m->name; m++)
        ncols += is_column(m);
    const char **head = http_alloc(req, sizeof *head * (size_t)(ncols + 1));
    double *widths = http_alloc(req, sizeof *widths * (size_t)(ncols + 1));
    int c = 0;
    for (const struct http_schema *m = item->members; m->name; m++)
        if (is_column(m)) {
            const char *label = m->label && m->label[0] ? m->label : m->name;
            /* money is written in yuan: say so in the heading, instead of the description's 分 */
            const char *fen = strstr(label, "（分）");
            head[c] = !is_money(m) ? label
                      : fen       ? http_printf(req, "%.*s（元）%s", (int)(fen - label), label, fen + strlen("（分）"))
                                  : http_printf(req, "%s（元）", label);
            widths[c++] = m->type == HTTP_STRING ? 24 : 14;
        }
    int fd = http_temp_file(req);
    if (fd < 0) {
        http_reply_error(rep, 500, "xlsx_failed", "", "无法创建临时文件");
        return;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct xlsx_sheet x;
    int rc = xlsx_begin(&x, path, "列表", head, widths, ncols, &e);
    /* the handler, page after page, as on screen but 500 rows a page */
    http_query_set(req, "limit", "500");
    const char *cursor = "";
    while (rc == 0) {
        http_query_set(req, "cursor", cursor);
        memset(rep, 0, sizeof *rep);
        req->route->handler(req, rep);
        if (rep->status != 200 || !rep->json)
            break; /* the handler's own answer (an error) goes out as it is */
        json_t *items = json_object_get(rep->json, "items"), *o;
        size_t i;
        json_array_foreach(items, i, o)
        {
            if (rc == 0)
                rc = write_item(&x, item, o, &e);
        }
        if (rc == 0 && x.rows > HTTP_EXPORT_MAX_ROWS)
            rc = err_set(&e, 422, "too_many_rows", "export", "导出最多 %d 行，请缩小筛选范围", HTTP_EXPORT_MAX_ROWS);
        const char *next = json_string_value(json_object_get(rep->json, "next"));
        if (!next)
            break;
        cursor = http_strdup(req, next);
        json_decref(rep->json);
        rep->json = NULL;
    }
    if (rep->status != 200 && rc == 0) {
        xlsx_end(&x, -1, &e);
        close(fd);
        return;
    }
    json_decref(rep->json);
    memset(rep, 0, sizeof *rep);
    rc = xlsx_end(&x, rc, &e);
    struct stat sb;
    if (rc == 0 && fstat(fd, &sb) < 0)
        rc = err_set(&e, 500, "xlsx_failed", "", "无法读取导出文件");
    if (rc == 0 && st->srv->cfg.on_export)
        rc = st->srv->cfg.on_export(req, x.rows, &e);
    if (rc < 0) {
        close(fd);
        http_reply_err(rep, &e);
        return;
    }
    http_reply_header(rep, "Content-Disposition", "attachment; filename=\"list.xlsx\"; filename*=UTF-8''%E5%88%97%E8%A1%A8.xlsx");
    http_reply_file(rep, 200, fd, (uint64_t)sb.st_size, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

/* export.c — the one way a .xlsx is written, audited and sent (export.h). */
#include "audit/export.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/parse.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#define DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* The Content-Disposition of a download named name (ASCII) and name_zh (UTF-8, may be NULL) with
 * extension ext ("xlsx"). */
static const char *disposition(struct http_req *req, const char *name, const char *name_zh, const char *ext)
{
    char zh[512];
    size_t o = 0;
    if (!name_zh || parse_percent_encode(name_zh, zh, sizeof zh, &o) < 0)
        return http_printf(req, "attachment; filename=\"%s.%s\"", name, ext);
    zh[o] = 0;
    return http_printf(req, "attachment; filename=\"%s.%s\"; filename*=UTF-8''%s.%s", name, ext, zh, ext);
}

int audit_reply_xlsx(struct http_req *req, struct http_reply *rep, const struct audit_xlsx *x)
{
    struct err e = {0};
    int fd = http_temp_file(req);
    if (fd < 0)
        return http_reply_error(rep, 500, "xlsx_failed", "", "无法创建临时文件");
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct xlsx_sheet s;
    int rc = xlsx_begin(&s, path, x->sheet, x->head, x->widths, x->ncols, &e);
    if (rc == 0)
        rc = x->fill(&s, x->ctx, &e);
    rc = xlsx_end(&s, rc, &e);
    struct stat sb;
    if (rc == 0 && fstat(fd, &sb) < 0)
        rc = err_set(&e, 500, "xlsx_failed", "", "无法读取导出文件");
    if (rc == 0 && x->action) {
        json_object_set_new(x->fields, "rows", json_integer((json_int_t)s.rows));
        rc = audit_staff_read(req, x->action, x->target_type, NULL, x->fields, &e);
    }
    if (rc < 0) {
        close(fd);
        return http_reply_err(rep, &e);
    }
    http_reply_header(rep, "Content-Disposition", disposition(req, x->name, x->name_zh, "xlsx"));
    return http_reply_file(rep, 200, fd, (uint64_t)sb.st_size, XLSX_TYPE);
}

int audit_reply_docx(struct http_req *req, struct http_reply *rep, struct docx *d, const char *action,
                     const char *target_type, json_t *fields, const char *name, const char *name_zh)
{
    struct err e = {0};
    int fd = http_temp_file(req);
    if (fd < 0)
        return http_reply_error(rep, 500, "docx_failed", "", "无法创建临时文件");
    struct stat sb;
    int rc = docx_write(d, fd, &e);
    if (rc == 0 && (fstat(fd, &sb) < 0 || lseek(fd, 0, SEEK_SET) < 0))
        rc = err_set(&e, 500, "docx_failed", "", "无法读取导出文件");
    if (rc == 0)
        rc = audit_staff_read(req, action, target_type, NULL, fields, &e);
    if (rc < 0) {
        close(fd);
        return http_reply_err(rep, &e);
    }
    http_reply_header(rep, "Content-Disposition", disposition(req, name, name_zh, "docx"));
    return http_reply_file(rep, 200, fd, (uint64_t)sb.st_size, DOCX_TYPE);
}

int audit_list_export(struct http_req *req, size_t rows, struct err *e)
{
    json_t *fields = json_pack("{s:s, s:s, s:I}", "list", req->route->pattern, "query", http_query_raw(req), "rows",
                               (json_int_t)rows);
    int rc = audit_staff_read(req, "list.export", "list", NULL, fields, e);
    json_decref(fields);
    return rc;
}

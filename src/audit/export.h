/* export.h — every .xlsx a user downloads goes out one way: the workbook is written into the
 * request's unnamed temporary file (libxlsxwriter writes to a path, so it is given the file's
 * /proc/self/fd name), the export is audited with the number of rows it holds (who, what, which
 * filters, how many; a blank template holds no one's data and is not), and the file is sent as an
 * attachment named in ASCII and, for browsers, in Chinese. Any paged list is exported by the HTTP
 * layer itself (?export=xlsx, http/list_export.c), audited through audit_list_export. */
#ifndef TUOYU_AUDIT_EXPORT_H
#define TUOYU_AUDIT_EXPORT_H

#include <jansson.h>

#include "base/docx.h"
#include "base/err.h"
#include "base/xlsx.h"
#include "http/http.h"

/* Writes the rows below the heading (xlsx_next_row, xlsx_text, xlsx_number): 0, or -1 with e. */
typedef int (*audit_xlsx_fill)(struct xlsx_sheet *x, void *ctx, struct err *e);

struct audit_xlsx {
    const char *sheet;                /* the worksheet's name */
    const char *const *head;          /* the column titles */
    const double *widths;             /* their widths, in characters */
    int ncols;
    audit_xlsx_fill fill;
    void *ctx;
    const char *action;               /* the audit row's action (audit_staff_read); NULL: not audited */
    const char *target_type;
    json_t *fields;                   /* the audit row's fields (the filters); borrowed, "rows" is set in it */
    const char *name;                 /* the file name without ".xlsx", ASCII: "audit-2026-12-05" */
    const char *name_zh;              /* the same in Chinese for filename*=: "审计日志-2026-12-05"; NULL: none */
};

/* Write, audit and send the workbook x describes. On any failure nothing is sent but the error
 * (500 xlsx_failed, or the audit's) and the temporary file is closed. */
int audit_reply_xlsx(struct http_req *req, struct http_reply *rep, const struct audit_xlsx *x);

/* The same for a .docx report: d written into the request's temporary file, the export audited
 * (action on target_type with fields, borrowed), sent as name.docx (name_zh for browsers). */
int audit_reply_docx(struct http_req *req, struct http_reply *rep, struct docx *d, const char *action,
                     const char *target_type, json_t *fields, const char *name, const char *name_zh);

/* The audit of a list exported as .xlsx (http_server_config.on_export, http/list_export.c):
 * who, which list (its route), the query as sent (its filters) and how many rows. */
int audit_list_export(struct http_req *req, size_t rows, struct err *e);

#endif

/* xlsx.h — one worksheet of a real .xlsx workbook written with libxlsxwriter, row by row in
 * constant memory: a bold heading row with column widths, then cells of text or numbers. What
 * every export of the platform writes with (the audit log, staff lists). libxlsxwriter writes to
 * a path; a server handler gives it its unnamed temporary file by /proc/self/fd/N
 * (http_temp_file). */
#ifndef TUOYU_XLSX_H
#define TUOYU_XLSX_H

#include <stddef.h>

#include "base/err.h"

struct xlsx_sheet {
    void *workbook, *worksheet;
    unsigned row;   /* the row being written; 0 is the heading */
    size_t rows;    /* rows written below the heading */
};

/* Create the workbook at path with one worksheet `name` and its heading: ncols column titles
 * (bold) and widths (in characters). 0, or -1 with e (500 xlsx_failed). */
int xlsx_begin(struct xlsx_sheet *x, const char *path, const char *name, const char *const head[],
               const double widths[], int ncols, struct err *e);
/* Start the next row. */
void xlsx_next_row(struct xlsx_sheet *x);
/* A cell of the current row: text (NULL or "" leaves it empty), or a number. 0 or -1 with e. */
int xlsx_text(struct xlsx_sheet *x, int col, const char *text, struct err *e);
int xlsx_number(struct xlsx_sheet *x, int col, double value, struct err *e);
/* Finish and close the file (also after an error: rc is what the caller had; the close's own
 * failure is reported when rc was 0). Returns 0 or -1 with e. */
int xlsx_end(struct xlsx_sheet *x, int rc, struct err *e);

#endif

/* xlsx.h — .xlsx workbooks. Writing: one worksheet of a real workbook with libxlsxwriter, row
 * by row in constant memory: a bold heading row with column widths, then cells of text or
 * numbers — what every export of the platform writes with (the audit log, staff lists).
 * libxlsxwriter writes to a path; a server handler gives it its unnamed temporary file by
 * /proc/self/fd/N (http_temp_file). Reading: the cell texts of the first worksheet of an
 * uploaded workbook (imports), from the zip with zlib and the XML with expat, every length and
 * offset of the untrusted file checked. */
#ifndef TUOYU_XLSX_H
#define TUOYU_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct xlsx_sheet {
    void *workbook, *worksheet;
    void *marked;   /* the format of a marked cell (xlsx_text_marked), made when first used */
    void *date;     /* the format of a date cell (xlsx_date), likewise */
    void *money;    /* the format of an amount in yuan (xlsx_yuan), likewise */
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
/* An amount of money given in fen, written in yuan as a number shown with two decimals. */
int xlsx_yuan(struct xlsx_sheet *x, int col, int64_t fen, struct err *e);
/* A date cell ("YYYY-MM-DD" written as a date, shown as such; other text as text). */
int xlsx_date(struct xlsx_sheet *x, int col, const char *day, struct err *e);
/* A cell of text marked as wrong (red on a light red fill), even when empty: an import's report. */
int xlsx_text_marked(struct xlsx_sheet *x, int col, const char *text, struct err *e);
/* A template's aids: a drop-down of the n values on every row of column col (a warning, not a
 * refusal, for anything else typed; a list longer than 255 bytes, commas included, is left out), and
 * a second worksheet `name` of notes, one line a row. 0, or -1 with e. */
int xlsx_choices(struct xlsx_sheet *x, int col, const char *const *values, int n, struct err *e);
int xlsx_notes(struct xlsx_sheet *x, const char *name, const char *const *lines, int n, struct err *e);
/* Finish and close the file (also after an error: rc is what the caller had; the close's own
 * failure is reported when rc was 0). Returns 0 or -1 with e. */
int xlsx_end(struct xlsx_sheet *x, int rc, struct err *e);

/* The cells of a worksheet as text: cells[r][c] ("" when empty; c from column A = 0) for
 * ncols[r] columns, row_number[r] the sheet's own row number (1-based). */
struct xlsx_grid {
    int nrows;
    int *row_number;
    int *ncols;
    char ***cells;
};
/* Read the first worksheet (xl/worksheets/sheet1.xml, shared strings resolved; numbers and dates
 * as the file stores them, so a date cell reads as its serial number) of the .xlsx of len bytes
 * into out: at most max_rows rows of at most max_cols columns, each zip member at most
 * XLSX_MAX_MEMBER bytes inflated. 0, or -1 with e (422 bad_xlsx, too_many_rows; 500 oom).
 * Free out with xlsx_grid_free (also after an error). */
#define XLSX_MAX_MEMBER (64u << 20)
int xlsx_read(const void *buf, size_t len, int max_rows, int max_cols, struct xlsx_grid *out, struct err *e);
void xlsx_grid_free(struct xlsx_grid *g);

#endif

/* sheet.h — the table of an uploaded file, as every import reads it: a .xlsx (its first worksheet)
 * or a CSV in whatever encoding a spreadsheet saved it (textenc.h), a heading row naming the
 * columns in Chinese as the templates write them (or by their English keys), any column order,
 * blank rows passed over, each row kept with its line in the file for the error report. The
 * domains turn the cells into records (staff/staff.c, registry/import.c). */
#ifndef TUOYU_SHEET_H
#define TUOYU_SHEET_H

#include <stddef.h>

#include "base/err.h"

/* A column of an import: its heading (Chinese, as the template writes it) and the key it may be
 * written as instead (NULL: none); a required one must be in the file. */
struct sheet_column {
    const char *heading;
    const char *key;
    int required;
};

/* The rows below the heading: cells[row][col] by the columns given (NULL where the file lacks the
 * column; the text as written, not trimmed), line[row] the row's number in the file, and
 * written[col] the column's heading as the file writes it (NULL when absent), for the report. */
struct sheet_table {
    int ncols, nrows;
    char ***cells;
    int *line;
    char **written;
};

/* Read the len bytes of an uploaded file (.xlsx by its zip signature, else CSV) into t against
 * the ncols columns: the heading row is the first of the first five rows naming column 0; a
 * column written twice, a required one missing, more than max_rows rows → 422 (duplicate_column,
 * missing_column, too_many_rows, naming the column as the template writes it), as are an empty
 * file (bad_file), an unreadable workbook (bad_xlsx) and an undecidable encoding (textenc.h),
 * all with field "file". 0, or -1 with e. Free t with sheet_table_free (also after an error). */
int sheet_read(const char *bytes, size_t len, const struct sheet_column *cols, int ncols, int max_rows,
               struct sheet_table *t, struct err *e);
void sheet_table_free(struct sheet_table *t);

/* s with surrounding white space (also the ideographic space U+3000) cut, into out. */
void sheet_trim(const char *s, char *out, size_t n);
/* A date as typed: 2024-09-01, 2024/9/1 or 2024.9.1, or a spreadsheet's date serial (days since
 * 1899-12-30: what a date cell of an .xlsx holds) → "2024-09-01"; anything else as it is (the
 * record's own check then names it). */
void sheet_date(const char *s, char *out, size_t n);

#endif

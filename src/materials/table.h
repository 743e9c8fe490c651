/* table.h — an uploaded file read as a table (every import: institutions, children rosters): the
 * checks every upload gets — its name (materials_name_clean), not empty, a workbook (a zip) or
 * text (no NUL byte, unless it starts with a UTF-16 mark: base/textenc then says what to save it
 * as) — then base/sheet.h's reader over the file mapped into memory. */
#ifndef TUOYU_MATERIALS_TABLE_H
#define TUOYU_MATERIALS_TABLE_H

#include "base/sheet.h"
#include "http/http.h"

/* The upload of the request (an HTTP_FILE route) as a table of the ncols columns cols, at most
 * max_rows rows. 0 with *t, or -1 with e (422 naming the file: bad_file_name, empty_file,
 * unsupported_type, and sheet_read's). Free t with sheet_table_free either way. */
int materials_upload_table(struct http_req *req, const struct sheet_column *cols, int ncols, int max_rows,
                           struct sheet_table *t, struct err *e);

#endif

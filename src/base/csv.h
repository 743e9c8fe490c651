/* csv.h — RFC 4180 CSV reading and writing, shared by every CLI and import.
 *
 * Reader: quoted fields (with "" escapes and embedded newlines), CRLF or LF, a UTF-8 BOM
 * at the start is skipped. Rows are read one at a time; fields stay valid until the next
 * csv_next(). The first row can be taken as a header and columns looked up by name
 * (case-insensitive, surrounding spaces ignored), so callers accept any column order.
 *
 *   struct csv_reader *r = csv_open(stdin, "in.csv");
 *   if (csv_read_header(r) < 0) ...
 *   int col_id = csv_column(r, "id");
 *   while ((rc = csv_next(r)) > 0) { const char *id = csv_get(r, col_id); ... }
 *   if (rc < 0) ... csv_error(r) ...
 *   csv_close(r);
 */
#ifndef TUOYU_CSV_H
#define TUOYU_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_reader;

/* name is used in messages (a file name, or "stdin"). Does not take ownership of f. */
struct csv_reader *csv_open(FILE *f, const char *name);
void csv_close(struct csv_reader *r);

/* Read the next row. Returns 1 when a row was read, 0 at end of input, -1 on a malformed
 * file (unterminated quote, read error); csv_error() then says why. Blank lines are skipped. */
int csv_next(struct csv_reader *r);
/* Read the first row as the header. Returns 0, or -1 if the input is empty or unreadable. */
int csv_read_header(struct csv_reader *r);

size_t csv_count(const struct csv_reader *r);          /* fields in the current row */
const char *csv_field(const struct csv_reader *r, size_t i); /* "" when i is past the end */
/* Field by header column index; NULL when col < 0 (column absent) — "" when the row is short. */
const char *csv_get(const struct csv_reader *r, int col);
/* Header column index by name, or -1 when absent. */
int csv_column(const struct csv_reader *r, const char *name);
size_t csv_header_count(const struct csv_reader *r);
const char *csv_header_name(const struct csv_reader *r, size_t i);
long csv_line(const struct csv_reader *r);   /* 1-based line number where the current row began */
const char *csv_name(const struct csv_reader *r);
const char *csv_error(const struct csv_reader *r);

/* csv_open and csv_read_header for a batch that answers with struct err: the reader, or NULL with e
 * (500 oom; 400 bad_csv with csv_error's reason when the input is empty or unreadable). */
struct err;
struct csv_reader *csv_open_with_header(FILE *f, const char *name, struct err *e);

/* Writing: one field, quoted when it holds a comma, quote, CR or LF. */
void csv_write_field(FILE *out, const char *s);
/* A whole row of n fields followed by "\n". NULL fields are written empty. */
void csv_write_row(FILE *out, const char *const *fields, size_t n);

#endif

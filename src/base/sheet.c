/* sheet.c — an uploaded file's table (sheet.h). */
#include "base/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/date.h"
#include "base/textenc.h"
#include "base/xlsx.h"

/* A row may hold a few more cells than the columns asked for (notes beside the table). */
#define EXTRA_COLS 4

void sheet_trim(const char *s, char *out, size_t n)
{
    while (*s == ' ' || *s == '\t' || strncmp(s, "\u3000", 3) == 0)
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    snprintf(out, n, "%s", s);
    size_t len = strlen(out);
    for (;;) {
        if (len && (out[len - 1] == ' ' || out[len - 1] == '\t' || out[len - 1] == '\r'))
            out[--len] = 0;
        else if (len >= 3 && strcmp(out + len - 3, "\u3000") == 0)
            out[len -= 3] = 0;
        else
            break;
    }
}

void sheet_date(const char *s, char *out, size_t n)
{
    int y, m, d;
    char sep1, sep2, tail;
    char *end;
    double serial = strtod(s, &end);
    if (end != s && !*end && serial >= 1 && serial < 2958466) {
        char day[DATE_DAY_LEN];
        date_add_days("1899-12-30", (int64_t)serial, day);
        snprintf(out, n, "%s", day);
    } else if (sscanf(s, "%4d%c%2d%c%2d%c", &y, &sep1, &m, &sep2, &d, &tail) == 5 && sep1 == sep2 &&
               (sep1 == '-' || sep1 == '/' || sep1 == '.'))
        snprintf(out, n, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, n, "%s", s);
}

/* Append the current CSV row to g (as a grid of the same shape xlsx_read gives). */
static int grid_add_csv_row(struct xlsx_grid *g, int *cap, int max_cols, struct csv_reader *r, struct err *e)
{
    if (g->nrows == *cap) {
        int grown_cap = *cap ? *cap * 2 : 32;
        int *rn = realloc(g->row_number, (size_t)grown_cap * sizeof *rn);
        if (rn)
            g->row_number = rn;
        int *nc = realloc(g->ncols, (size_t)grown_cap * sizeof *nc);
        if (nc)
            g->ncols = nc;
        char ***cells = realloc(g->cells, (size_t)grown_cap * sizeof *cells);
        if (cells)
            g->cells = cells;
        if (!rn || !nc || !cells)
            return err_set(e, 500, "oom", "", "内存不足");
        *cap = grown_cap;
    }
    int n = (int)csv_count(r) < max_cols ? (int)csv_count(r) : max_cols;
    char **row = calloc((size_t)n + 1, sizeof *row);
    if (!row)
        return err_set(e, 500, "oom", "", "内存不足");
    g->row_number[g->nrows] = (int)csv_line(r);
    g->ncols[g->nrows] = n;
    g->cells[g->nrows++] = row;
    for (int c = 0; c < n; c++)
        if (!(row[c] = strdup(csv_field(r, (size_t)c))))
            return err_set(e, 500, "oom", "", "内存不足");
    return 0;
}

/* The rows of a CSV file (UTF-8 with or without its mark, or GBK/GB18030) as a grid: at most
 * max_rows + 5 (the rows, the heading and what a template writes above it). */
static int read_csv(const char *bytes, size_t n, int max_rows, int max_cols, struct xlsx_grid *g, struct err *e)
{
    memset(g, 0, sizeof *g);
    char *buf;
    size_t len;
    enum textenc enc;
    if (textenc_to_utf8(bytes, n, &buf, &len, &enc, e) < 0)
        return -1;
    FILE *f = fmemopen(buf, len, "r");
    if (!f) {
        free(buf);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    struct csv_reader *r = csv_open(f, "import");
    int rc = r ? 0 : err_set(e, 500, "oom", "", "内存不足"), cap = 0, next;
    while (rc == 0 && (next = csv_next(r)) != 0) {
        if (next < 0)
            rc = err_set(e, 422, "bad_file", "file", "CSV 格式错误：%s", csv_error(r));
        else if (g->nrows >= max_rows + 5)
            rc = err_set(e, 422, "too_many_rows", "file", "一次最多导入 %d 行", max_rows);
        else
            rc = grid_add_csv_row(g, &cap, max_cols, r, e);
    }
    if (r)
        csv_close(r);
    fclose(f);
    free(buf);
    return rc;
}

/* The cell (row, col) of g, or NULL. */
static const char *grid_cell(const struct xlsx_grid *g, int row, int col)
{
    return col >= 0 && col < g->ncols[row] ? g->cells[row][col] : NULL;
}

/* Does heading cell (a BOM and surrounding spaces aside) name column c? */
static int heading_is(const char *cell, const struct sheet_column *c)
{
    char v[128];
    if (!cell)
        return 0;
    if (strncmp(cell, "\xEF\xBB\xBF", 3) == 0)
        cell += 3;
    sheet_trim(cell, v, sizeof v);
    return strcmp(v, c->heading) == 0 || (c->key && strcmp(v, c->key) == 0);
}

void sheet_table_free(struct sheet_table *t)
{
    for (int r = 0; t->cells && r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++)
            free(t->cells[r][c]);
        free(t->cells[r]);
    }
    for (int c = 0; t->written && c < t->ncols; c++)
        free(t->written[c]);
    free(t->written);
    free(t->cells);
    free(t->line);
    memset(t, 0, sizeof *t);
}

int sheet_read(const char *bytes, size_t len, const struct sheet_column *cols, int ncols, int max_rows,
               struct sheet_table *t, struct err *e)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    struct xlsx_grid g = {0};
    int rc, max_cols = ncols + EXTRA_COLS;
    if (len == 0)
        return err_set(e, 422, "bad_file", "file", "文件为空");
    /* the heading and up to four rows above it (a template's title) besides the rows */
    if (len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0)
        rc = xlsx_read(bytes, len, max_rows + 5, max_cols, &g, e);
    else
        rc = read_csv(bytes, len, max_rows, max_cols, &g, e);
    int head = -1, *col = calloc((size_t)ncols, sizeof *col);
    t->written = calloc((size_t)ncols, sizeof *t->written);
    if (rc == 0 && (!col || !t->written))
        rc = err_set(e, 500, "oom", "", "内存不足");
    for (int r = 0; rc == 0 && head < 0 && r < g.nrows && r < 5; r++)
        for (int c = 0; c < g.ncols[r]; c++)
            if (heading_is(g.cells[r][c], &cols[0]))
                head = r;
    if (rc == 0 && head < 0)
        rc = err_set(e, 422, "missing_column", "file", "缺少必需的列「%s」（请使用导入模板，第一行为列名）",
                     cols[0].heading);
    for (int k = 0; rc == 0 && k < ncols; k++) {
        col[k] = -1;
        for (int c = 0; rc == 0 && c < g.ncols[head]; c++)
            if (heading_is(g.cells[head][c], &cols[k])) {
                if (col[k] >= 0)
                    rc = err_set(e, 422, "duplicate_column", "file", "列「%s」出现了两次（第 %d、%d 列）",
                                 cols[k].heading, col[k] + 1, c + 1);
                col[k] = c;
            }
        if (rc == 0 && col[k] < 0 && cols[k].required)
            rc = err_set(e, 422, "missing_column", "file", "缺少必需的列「%s」（请使用导入模板，第一行为列名）",
                         cols[k].heading);
        if (rc == 0 && col[k] >= 0) {
            char v[128];
            const char *h = g.cells[head][col[k]];
            sheet_trim(strncmp(h, "\xEF\xBB\xBF", 3) == 0 ? h + 3 : h, v, sizeof v);
            if (!(t->written[k] = strdup(v)))
                rc = err_set(e, 500, "oom", "", "内存不足");
        }
    }
    if (rc == 0 && g.nrows - head - 1 > max_rows)
        rc = err_set(e, 422, "too_many_rows", "file", "一次最多导入 %d 行", max_rows);
    if (rc == 0 && g.nrows > head + 1) {
        t->cells = calloc((size_t)(g.nrows - head - 1), sizeof *t->cells);
        t->line = calloc((size_t)(g.nrows - head - 1), sizeof *t->line);
        if (!t->cells || !t->line)
            rc = err_set(e, 500, "oom", "", "内存不足");
    }
    for (int r = head + 1; rc == 0 && r < g.nrows; r++) {
        int blank = 1;
        for (int k = 0; k < ncols; k++) {
            const char *v = grid_cell(&g, r, col[k]);
            blank &= !v || !v[0];
        }
        if (blank)
            continue; /* an empty line of the template */
        char **row = calloc((size_t)ncols, sizeof *row);
        if (!row) {
            rc = err_set(e, 500, "oom", "", "内存不足");
            break;
        }
        t->cells[t->nrows] = row;
        t->line[t->nrows++] = g.row_number[r];
        for (int k = 0; k < ncols && rc == 0; k++) {
            const char *v = grid_cell(&g, r, col[k]);
            if (v && !(row[k] = strdup(v)))
                rc = err_set(e, 500, "oom", "", "内存不足");
        }
    }
    free(col);
    xlsx_grid_free(&g);
    return rc;
}

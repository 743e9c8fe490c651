/* xlsx.c — the one .xlsx writer (over libxlsxwriter) and reader (zlib, expat) (xlsx.h). */
#include "base/xlsx.h"

#include <expat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include "base/buf.h"

int xlsx_begin(struct xlsx_sheet *x, const char *path, const char *name, const char *const head[],
               const double widths[], int ncols, struct err *e)
{
    x->row = 0;
    x->rows = 0;
    x->marked = x->date = x->money = NULL;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    x->workbook = wb;
    if (!wb)
        return err_set(e, 500, "xlsx_failed", "", "无法创建导出文件");
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    x->worksheet = ws;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    /* every column formatted as text (@): what a person types into a sheet — an 18-digit ID number,
     * a date — stays as typed instead of becoming 1.10105E+17 (cells written as numbers stay numbers) */
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], text);
        if (worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold))
            return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    }
    worksheet_freeze_panes(ws, 1, 0); /* the heading stays in view as the rows scroll */
    return 0;
}

void xlsx_next_row(struct xlsx_sheet *x)
{
    x->row++;
    x->rows++;
}

int xlsx_text(struct xlsx_sheet *x, int col, const char *text, struct err *e)
{
    if (text && text[0] && worksheet_write_string(x->worksheet, x->row, (lxw_col_t)col, text, NULL))
        return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    return 0;
}

int xlsx_number(struct xlsx_sheet *x, int col, double value, struct err *e)
{
    if (worksheet_write_number(x->worksheet, x->row, (lxw_col_t)col, value, NULL))
        return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    return 0;
}

int xlsx_yuan(struct xlsx_sheet *x, int col, int64_t fen, struct err *e)
{
    if (!x->money) {
        lxw_format *f = workbook_add_format(x->workbook);
        format_set_num_format(f, "#,##0.00");
        x->money = f;
    }
    if (worksheet_write_number(x->worksheet, x->row, (lxw_col_t)col, (double)fen / 100, x->money))
        return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    return 0;
}

int xlsx_date(struct xlsx_sheet *x, int col, const char *day, struct err *e)
{
    int y, m, d;
    char tail;
    if (!day || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return xlsx_text(x, col, day, e);
    if (!x->date) {
        lxw_format *f = workbook_add_format(x->workbook);
        format_set_num_format(f, "yyyy-mm-dd");
        x->date = f;
    }
    lxw_datetime dt = {.year = y, .month = m, .day = d};
    if (worksheet_write_datetime(x->worksheet, x->row, (lxw_col_t)col, &dt, x->date))
        return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    return 0;
}

int xlsx_text_marked(struct xlsx_sheet *x, int col, const char *text, struct err *e)
{
    if (!x->marked) {
        lxw_format *f = workbook_add_format(x->workbook);
        format_set_font_color(f, 0x9C0006);
        format_set_bg_color(f, 0xFFC7CE);
        format_set_num_format(f, "@");
        x->marked = f;
    }
    if (worksheet_write_string(x->worksheet, x->row, (lxw_col_t)col, text ? text : "", x->marked))
        return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    return 0;
}

int xlsx_choices(struct xlsx_sheet *x, int col, const char *const *values, int n, struct err *e)
{
    /* Excel keeps a list of choices as one formula text of at most 255 characters, and
     * libxlsxwriter (1.1.4) checks that count in characters but copies the list into a buffer of
     * 255 + 2 bytes: a list of Chinese names (three bytes a character) under 255 characters
     * overran it (a district of 27 towns). So the list is held to 255 bytes, commas included. */
    size_t bytes = 0;
    for (int i = 0; i < n; i++)
        bytes += strlen(values[i]) + (i > 0);
    if (n < 1 || bytes > 255)
        return 0; /* too long for a drop-down: the column stays free text */
    char **list = calloc((size_t)n + 1, sizeof *list);
    if (!list)
        return err_set(e, 500, "oom", "", "内存不足");
    for (int i = 0; i < n; i++)
        list[i] = (char *)values[i];
    lxw_data_validation v = {.validate = LXW_VALIDATION_TYPE_LIST, .value_list = list,
                             .error_type = LXW_VALIDATION_ERROR_TYPE_WARNING};
    lxw_error rc = worksheet_data_validation_range(x->worksheet, 1, (lxw_col_t)col, LXW_ROW_MAX - 1, (lxw_col_t)col, &v);
    free(list);
    return rc ? err_set(e, 500, "xlsx_failed", "", "无法写入导出文件") : 0;
}

int xlsx_notes(struct xlsx_sheet *x, const char *name, const char *const *lines, int n, struct err *e)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->workbook, name);
    if (!ws)
        return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    worksheet_set_column(ws, 0, 0, 110, NULL);
    for (int i = 0; i < n; i++)
        if (lines[i][0] && worksheet_write_string(ws, (lxw_row_t)i, 0, lines[i], NULL))
            return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    return 0;
}

int xlsx_end(struct xlsx_sheet *x, int rc, struct err *e)
{
    if (x->workbook && workbook_close(x->workbook) != LXW_NO_ERROR && rc == 0)
        rc = err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    x->workbook = x->worksheet = NULL;
    return rc;
}

/* ---- reading ---- */

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The member `name` of the zip in buf, inflated into a malloc'd NUL-terminated *out of *n bytes.
 * 1 found, 0 absent, -1 with e. */
static int zip_member(const unsigned char *buf, size_t len, const char *name, char **out, size_t *n, struct err *e)
{
    *out = NULL;
    size_t eocd = 0;
    int found = 0;
    for (size_t i = len >= 22 ? len - 22 : 0; len >= 22 && i + 65557 >= len; i--) {
        if (u32(buf + i) == 0x06054b50) {
            eocd = i, found = 1;
            break;
        }
        if (i == 0)
            break;
    }
    if (!found)
        return err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（找不到 zip 目录）");
    unsigned entries = u16(buf + eocd + 10);
    size_t p = u32(buf + eocd + 16), name_len = strlen(name);
    for (unsigned k = 0; k < entries; k++) {
        if (p > len || len - p < 46 || u32(buf + p) != 0x02014b50)
            return err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（zip 目录损坏）");
        unsigned method = u16(buf + p + 10), nlen = u16(buf + p + 28), xlen = u16(buf + p + 30), clen = u16(buf + p + 32);
        uint32_t csize = u32(buf + p + 20), usize = u32(buf + p + 24), local = u32(buf + p + 42);
        if (len - p - 46 < nlen)
            return err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（zip 目录损坏）");
        int match = nlen == name_len && memcmp(buf + p + 46, name, name_len) == 0;
        p += 46 + (size_t)nlen + xlen + clen;
        if (!match)
            continue;
        if (local > len || len - local < 30 || u32(buf + local) != 0x04034b50)
            return err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（zip 条目损坏）");
        size_t data = (size_t)local + 30 + u16(buf + local + 26) + u16(buf + local + 28);
        if (data > len || len - data < csize || usize > XLSX_MAX_MEMBER || (method != 0 && method != 8) ||
            (method == 0 && csize != usize))
            return err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（zip 条目损坏或过大）");
        char *o = malloc((size_t)usize + 1);
        if (!o)
            return err_set(e, 500, "oom", "", "内存不足");
        if (method == 0) {
            memcpy(o, buf + data, usize);
        } else {
            z_stream z = {0};
            if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
                free(o);
                return err_set(e, 500, "oom", "", "内存不足");
            }
            z.next_in = (unsigned char *)(buf + data);
            z.avail_in = csize;
            z.next_out = (unsigned char *)o;
            z.avail_out = usize;
            int zr = inflate(&z, Z_FINISH);
            size_t got = z.total_out;
            inflateEnd(&z);
            if (zr != Z_STREAM_END || got != usize) {
                free(o);
                return err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（无法解压）");
            }
        }
        o[usize] = 0;
        *out = o;
        *n = usize;
        return 1;
    }
    return 0;
}

/* An element's name without its namespace prefix ("x:row" → "row"). */
static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

struct reader {
    /* shared strings */
    char **sst;
    size_t nsst, capsst;
    int in_si, in_rph, collect;
    struct buf cur; /* XML character data */
    /* the sheet */
    struct xlsx_grid *g;
    int max_rows, max_cols, capr, row_no, col, cell_shared, in_cell;
    int failed; /* 1 bad file, 2 too many rows, 3 oom */
};

static void sst_start(void *ud, const char *el, const char **atts)
{
    struct reader *r = ud;
    const char *n = local_name(el);
    (void)atts;
    if (strcmp(n, "si") == 0) {
        r->in_si = 1;
        r->cur.len = 0;
        buf_add(&r->cur, "", 0);
    } else if (strcmp(n, "rPh") == 0) {
        r->in_rph = 1;
    } else if (strcmp(n, "t") == 0 && r->in_si && !r->in_rph) {
        r->collect = 1;
    }
}

static void sst_end(void *ud, const char *el)
{
    struct reader *r = ud;
    const char *n = local_name(el);
    if (strcmp(n, "t") == 0) {
        r->collect = 0;
    } else if (strcmp(n, "rPh") == 0) {
        r->in_rph = 0;
    } else if (strcmp(n, "si") == 0 && !r->failed) {
        r->in_si = 0;
        if (r->nsst == r->capsst) {
            size_t cap = r->capsst ? r->capsst * 2 : 64;
            char **g = realloc(r->sst, cap * sizeof *g);
            if (!g) {
                r->failed = 3;
                return;
            }
            r->sst = g, r->capsst = cap;
        }
        r->sst[r->nsst] = strdup(r->cur.p ? r->cur.p : "");
        if (!r->sst[r->nsst++])
            r->failed = 3;
    }
}

static void chars(void *ud, const char *s, int len)
{
    struct reader *r = ud;
    if (r->collect && len > 0)
        buf_add(&r->cur, s, (size_t)len);
}

/* Put the finished cell's text at (last row, r->col). */
static void put_cell(struct reader *r, const char *value)
{
    struct xlsx_grid *g = r->g;
    int row = g->nrows - 1;
    if (row < 0 || r->col < 0 || r->col >= r->max_cols || !value[0])
        return;
    if (r->col >= g->ncols[row]) {
        char **grown = realloc(g->cells[row], (size_t)(r->col + 1) * sizeof *grown);
        if (!grown) {
            r->failed = 3;
            return;
        }
        for (int c = g->ncols[row]; c <= r->col; c++)
            grown[c] = NULL;
        g->cells[row] = grown;
        g->ncols[row] = r->col + 1;
    }
    free(g->cells[row][r->col]);
    g->cells[row][r->col] = strdup(value);
    if (!g->cells[row][r->col])
        r->failed = 3;
}

static void sheet_start(void *ud, const char *el, const char **atts)
{
    struct reader *r = ud;
    const char *n = local_name(el);
    if (r->failed)
        return;
    if (strcmp(n, "row") == 0) {
        struct xlsx_grid *g = r->g;
        if (g->nrows == r->max_rows) {
            r->failed = 2;
            return;
        }
        if (g->nrows == r->capr) {
            int cap = r->capr ? r->capr * 2 : 64;
            int *rn = realloc(g->row_number, (size_t)cap * sizeof *rn);
            if (rn)
                g->row_number = rn;
            int *nc = realloc(g->ncols, (size_t)cap * sizeof *nc);
            if (nc)
                g->ncols = nc;
            char ***cells = realloc(g->cells, (size_t)cap * sizeof *cells);
            if (cells)
                g->cells = cells;
            if (!rn || !nc || !cells) {
                r->failed = 3;
                return;
            }
            r->capr = cap;
        }
        const char *at = attr(atts, "r");
        r->row_no = at ? atoi(at) : r->row_no + 1;
        g->row_number[g->nrows] = r->row_no;
        g->ncols[g->nrows] = 0;
        g->cells[g->nrows++] = NULL;
        r->col = -1;
    } else if (strcmp(n, "c") == 0) {
        const char *ref = attr(atts, "r"), *t = attr(atts, "t");
        int col = 0;
        if (ref) {
            for (; *ref >= 'A' && *ref <= 'Z' && col <= r->max_cols; ref++)
                col = col * 26 + (*ref - 'A' + 1);
            col--;
        } else {
            col = r->col + 1;
        }
        r->col = col;
        r->cell_shared = t && strcmp(t, "s") == 0;
        r->in_cell = 1;
        r->cur.len = 0;
        buf_add(&r->cur, "", 0);
    } else if (r->in_cell && (strcmp(n, "v") == 0 || strcmp(n, "t") == 0)) {
        r->collect = 1;
    }
}

static void sheet_end(void *ud, const char *el)
{
    struct reader *r = ud;
    const char *n = local_name(el);
    if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
        r->collect = 0;
    } else if (strcmp(n, "c") == 0 && r->in_cell && !r->failed) {
        r->in_cell = 0;
        const char *value = r->cur.p ? r->cur.p : "";
        if (r->cell_shared) {
            char *end;
            long k = strtol(value, &end, 10);
            if (end == value || *end || k < 0 || (size_t)k >= r->nsst) {
                r->failed = 1;
                return;
            }
            value = r->sst[k];
        }
        put_cell(r, value);
    }
}

static int parse_xml(const char *xml, size_t n, struct reader *r, XML_StartElementHandler start,
                     XML_EndElementHandler end)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return -1;
    XML_SetUserData(p, r);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    int ok = XML_Parse(p, xml, (int)n, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok ? 0 : -1;
}

void xlsx_grid_free(struct xlsx_grid *g)
{
    for (int r = 0; g->cells && r < g->nrows; r++) {
        for (int c = 0; g->cells[r] && c < g->ncols[r]; c++)
            free(g->cells[r][c]);
        free(g->cells[r]);
    }
    free(g->cells);
    free(g->ncols);
    free(g->row_number);
    memset(g, 0, sizeof *g);
}

int xlsx_read(const void *buf, size_t len, int max_rows, int max_cols, struct xlsx_grid *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct reader r = {.g = out, .max_rows = max_rows, .max_cols = max_cols};
    char *sst = NULL, *sheet = NULL;
    size_t nsst = 0, nsheet = 0;
    int rc = zip_member(buf, len, "xl/sharedStrings.xml", &sst, &nsst, e);
    if (rc >= 0)
        rc = zip_member(buf, len, "xl/worksheets/sheet1.xml", &sheet, &nsheet, e);
    if (rc == 0)
        rc = err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（没有工作表）");
    if (rc > 0 && sst && (nsst > INT32_MAX || parse_xml(sst, nsst, &r, sst_start, sst_end) < 0))
        r.failed = r.failed ? r.failed : 1;
    if (rc > 0 && !r.failed && (nsheet > INT32_MAX || parse_xml(sheet, nsheet, &r, sheet_start, sheet_end) < 0))
        r.failed = r.failed ? r.failed : 1;
    if (rc > 0 && !r.failed && r.cur.failed)
        r.failed = 3;
    if (rc > 0 && r.failed)
        rc = r.failed == 2   ? err_set(e, 422, "too_many_rows", "file", "工作表超过 %d 行", max_rows)
             : r.failed == 3 ? err_set(e, 500, "oom", "", "内存不足")
                             : err_set(e, 422, "bad_xlsx", "file", "不是有效的 .xlsx 文件（工作表无法读取）");
    for (size_t i = 0; i < r.nsst; i++)
        free(r.sst[i]);
    free(r.sst);
    free(r.cur.p);
    free(sst);
    free(sheet);
    return rc > 0 ? 0 : -1;
}

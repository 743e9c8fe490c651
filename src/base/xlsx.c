/* xlsx.c — the one .xlsx writer (xlsx.h), over libxlsxwriter. */
#include "base/xlsx.h"

#include <xlsxwriter.h>

int xlsx_begin(struct xlsx_sheet *x, const char *path, const char *name, const char *const head[],
               const double widths[], int ncols, struct err *e)
{
    x->row = 0;
    x->rows = 0;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    x->workbook = wb;
    if (!wb)
        return err_set(e, 500, "xlsx_failed", "", "无法创建导出文件");
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    x->worksheet = ws;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
        if (worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold))
            return err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    }
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

int xlsx_end(struct xlsx_sheet *x, int rc, struct err *e)
{
    if (x->workbook && workbook_close(x->workbook) != LXW_NO_ERROR && rc == 0)
        rc = err_set(e, 500, "xlsx_failed", "", "无法写入导出文件");
    x->workbook = x->worksheet = NULL;
    return rc;
}

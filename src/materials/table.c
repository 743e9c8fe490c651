/* table.c — an uploaded file read as a table (table.h). */
#include "materials/table.h"

#include <string.h>
#include <sys/mman.h>

#include "materials/materials.h"

int materials_upload_table(struct http_req *req, const struct sheet_column *cols, int ncols, int max_rows,
                           struct sheet_table *t, struct err *e)
{
    memset(t, 0, sizeof *t);
    const struct http_upload *up = http_upload(req);
    char name[MATERIALS_NAME_MAX + 1];
    if (!up)
        return err_set(e, 500, "internal", "", "服务器内部错误：没有上传的文件");
    if (materials_name_clean(up->filename, name, e) < 0)
        return -1;
    if (up->size == 0)
        return err_set(e, 422, "empty_file", "file", "文件“%s”是空的（0 字节）", name);
    void *bytes = mmap(NULL, (size_t)up->size, PROT_READ, MAP_PRIVATE, up->fd, 0);
    if (bytes == MAP_FAILED)
        return err_set(e, 500, "read_failed", "file", "无法读取上传的文件");
    int zip = up->size >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0;
    int utf16 = up->size >= 2 && (memcmp(bytes, "\xFF\xFE", 2) == 0 || memcmp(bytes, "\xFE\xFF", 2) == 0);
    int rc = !zip && !utf16 && memchr(bytes, 0, (size_t)up->size)
                 ? err_set(e, 422, "unsupported_type", "file", "文件“%s”不是 Excel 工作簿（.xlsx）或 CSV 文本（按文件内容识别）", name)
                 : sheet_read(bytes, (size_t)up->size, cols, ncols, max_rows, t, e);
    munmap(bytes, (size_t)up->size);
    return rc;
}

/* test_sheet.c — the table of an uploaded file: the heading row found below a title, columns in
 * any order by heading or English key, cells by the columns asked for with their line numbers,
 * blank rows passed over; a column written twice, a required column missing, too many rows and an
 * empty file refused naming what is wrong; a GBK CSV read as its text; dates as typed or as
 * spreadsheet serials. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/sheet.h"

static const struct sheet_column COLS[] = {
    {"机构名称", "name", 1},
    {"托位数", "capacity", 1},
    {"备注", NULL, 0},
};

static void reads_by_heading_or_key(void **state)
{
    (void)state;
    const char csv[] = "瓯海区托育机构导入表,,\n"
                       "capacity,机构名称,其他\n"
                       "30,甲托育园,x\n"
                       ",,\n"
                       "20,乙托育园,y\n";
    struct sheet_table t;
    struct err e = {0};
    assert_int_equal(sheet_read(csv, sizeof csv - 1, COLS, 3, 100, &t, &e), 0);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(t.cells[0][0], "甲托育园");
    assert_string_equal(t.cells[0][1], "30");
    assert_null(t.cells[0][2]); /* the file has no 备注 */
    assert_string_equal(t.cells[1][0], "乙托育园");
    assert_string_equal(t.written[0], "机构名称");
    assert_string_equal(t.written[1], "capacity");
    assert_null(t.written[2]);
    assert_int_equal(t.line[0], 3);
    assert_int_equal(t.line[1], 5);
    sheet_table_free(&t);
}

static void refuses(const char *csv, int max_rows, const char *code, const char *in_message)
{
    struct sheet_table t;
    struct err e = {0};
    assert_int_equal(sheet_read(csv, strlen(csv), COLS, 3, max_rows, &t, &e), -1);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, "file");
    assert_int_equal(e.status, 422);
    if (!strstr(e.message, in_message))
        fail_msg("message \"%s\" lacks \"%s\"", e.message, in_message);
    sheet_table_free(&t);
}

static void bad_tables_refused(void **state)
{
    (void)state;
    refuses("机构名称,托位数,name\n甲,1,乙\n", 100, "duplicate_column", "列「机构名称」出现了两次（第 1、3 列）");
    refuses("机构名称,备注\n甲,x\n", 100, "missing_column", "缺少必需的列「托位数」");
    refuses("名称,托位数\n甲,1\n", 100, "missing_column", "缺少必需的列「机构名称」");
    refuses("机构名称,托位数\n甲,1\n乙,2\n丙,3\n", 2, "too_many_rows", "一次最多导入 2 行");
    refuses("", 100, "bad_file", "文件为空");
}

static void gbk_csv_read(void **state)
{
    (void)state;
    /* "机构名称,托位数\n甲,9\n" in GBK */
    const char gbk[] = "\xbb\xfa\xb9\xb9\xc3\xfb\xb3\xc6,\xcd\xd0\xce\xbb\xca\xfd\n\xbc\xd7,9\n";
    struct sheet_table t;
    struct err e = {0};
    assert_int_equal(sheet_read(gbk, sizeof gbk - 1, COLS, 3, 100, &t, &e), 0);
    assert_int_equal(t.nrows, 1);
    assert_string_equal(t.cells[0][0], "甲");
    assert_string_equal(t.cells[0][1], "9");
    sheet_table_free(&t);
}

static void dates_and_trim(void **state)
{
    (void)state;
    char out[32];
    sheet_date("2024/9/1", out, sizeof out);
    assert_string_equal(out, "2024-09-01");
    sheet_date("2024.09.01", out, sizeof out);
    assert_string_equal(out, "2024-09-01");
    sheet_date("45536", out, sizeof out); /* the serial of 2024-09-01 */
    assert_string_equal(out, "2024-09-01");
    sheet_date("九月一日", out, sizeof out);
    assert_string_equal(out, "九月一日");
    sheet_trim("\u3000 甲托育园 \t", out, sizeof out);
    assert_string_equal(out, "甲托育园");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_by_heading_or_key),
        cmocka_unit_test(bad_tables_refused),
        cmocka_unit_test(gbk_csv_read),
        cmocka_unit_test(dates_and_trim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

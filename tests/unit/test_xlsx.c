/* test_xlsx.c — the .xlsx writer and reader (src/base/xlsx.c): a workbook written with the
 * writer reads back cell by cell (deflated members, shared strings, numbers); damaged files —
 * cut short, offsets past the end, a shared-string index out of range, not a zip — are refused
 * with bad_xlsx, never read out of bounds (the API tests run this under ASan too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/xlsx.h"

/* The bytes of a workbook written by the writer: heading 甲 乙, then ("一", 2) and ("", 3.5). */
static unsigned char *written(size_t *n)
{
    char path[] = "/tmp/test_xlsx_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char *const head[] = {"甲", "乙"};
    static const double widths[] = {10, 10};
    struct xlsx_sheet x;
    struct err e = {0};
    assert_int_equal(xlsx_begin(&x, path, "表", head, widths, 2, &e), 0);
    xlsx_next_row(&x);
    assert_int_equal(xlsx_text(&x, 0, "一", &e), 0);
    assert_int_equal(xlsx_number(&x, 1, 2, &e), 0);
    xlsx_next_row(&x);
    assert_int_equal(xlsx_number(&x, 1, 3.5, &e), 0);
    assert_int_equal(xlsx_end(&x, 0, &e), 0);
    assert_int_equal((int)x.rows, 2);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *buf = malloc(*n);
    assert_int_equal(fread(buf, 1, *n, f), *n);
    fclose(f);
    unlink(path);
    return buf;
}

static void test_round_trip(void **state)
{
    (void)state;
    size_t n;
    unsigned char *buf = written(&n);
    struct xlsx_grid g;
    struct err e = {0};
    assert_int_equal(xlsx_read(buf, n, 100, 10, &g, &e), 0);
    assert_int_equal(g.nrows, 3);
    assert_string_equal(g.cells[0][0], "甲");
    assert_string_equal(g.cells[0][1], "乙");
    assert_string_equal(g.cells[1][0], "一");
    assert_string_equal(g.cells[1][1], "2");
    assert_null(g.cells[2][0]);
    assert_string_equal(g.cells[2][1], "3.5");
    assert_int_equal(g.row_number[2], 3);
    xlsx_grid_free(&g);
    /* a row limit */
    assert_int_equal(xlsx_read(buf, n, 2, 10, &g, &e), -1);
    assert_string_equal(e.code, "too_many_rows");
    xlsx_grid_free(&g);
    free(buf);
}

static void test_damaged_files_are_refused(void **state)
{
    (void)state;
    size_t n;
    unsigned char *buf = written(&n);
    struct xlsx_grid g;
    struct err e = {0};
    /* cut short anywhere: a clean error (or, cut inside a member nobody reads, still a grid) */
    for (size_t cut = 0; cut < n; cut += 97) {
        int rc = xlsx_read(buf, cut, 100, 10, &g, &e);
        if (rc < 0)
            assert_string_equal(e.code, "bad_xlsx");
        xlsx_grid_free(&g);
    }
    /* every byte of the central directory and end record flipped in turn */
    for (size_t i = n > 600 ? n - 600 : 0; i < n; i++) {
        unsigned char saved = buf[i];
        buf[i] ^= 0xFF;
        xlsx_read(buf, n, 100, 10, &g, &e);
        xlsx_grid_free(&g);
        buf[i] = saved;
    }
    assert_int_equal(xlsx_read("not a zip at all", 16, 100, 10, &g, &e), -1);
    assert_string_equal(e.code, "bad_xlsx");
    xlsx_grid_free(&g);
    free(buf);
}

/* A drop-down of choices: kept within what Excel and libxlsxwriter hold. 萧山区's 27 towns are
 * fewer than 255 characters but more than 255 bytes: the library copied them into a 257-byte
 * buffer (the server aborted on its import template); the list is left out instead. */
static void test_choices_fit(void **state)
{
    (void)state;
    char path[] = "/tmp/test_xlsx_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char *const head[] = {"镇街"};
    static const double widths[] = {10};
    static const char *const towns[] = {
        "城厢街道", "北干街道", "蜀山街道", "新塘街道", "靖江街道", "南阳街道", "义蓬街道", "新街街道", "衙前镇",
        "瓜沥镇", "党湾镇", "益农镇", "所前镇", "义桥镇", "浦阳镇", "进化镇", "戴村镇", "河上镇", "楼塔镇",
        "临浦镇", "闻堰街道", "宁围街道", "盈丰街道", "萧山经济技术开发区", "萧山农业开发区", "钱江农场", "红垦农场"};
    int n = (int)(sizeof towns / sizeof *towns);
    size_t chars = 0, bytes = 0;
    for (int i = 0; i < n; i++) {
        bytes += strlen(towns[i]) + 1;
        for (const unsigned char *p = (const unsigned char *)towns[i]; *p; p++)
            chars += (*p & 0xC0) != 0x80;
    }
    assert_true(chars < 255 && bytes > 255);
    struct xlsx_sheet x;
    struct err e = {0};
    assert_int_equal(xlsx_begin(&x, path, "表", head, widths, 1, &e), 0);
    assert_int_equal(xlsx_choices(&x, 0, towns, n, &e), 0);  /* left out, not overrun */
    assert_int_equal(xlsx_choices(&x, 0, towns, 13, &e), 0); /* 13 of them fit */
    assert_int_equal(xlsx_end(&x, 0, &e), 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged_files_are_refused),
        cmocka_unit_test(test_choices_fit),
    };
    return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}

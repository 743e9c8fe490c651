/* test_csv.c — the RFC 4180 reader and writer: quoted fields with "" escapes and embedded
 * newlines (and the line numbers rows began on), CRLF, a UTF-8 BOM, blank lines skipped,
 * case-insensitive header lookup, short rows, the unterminated-quote error, and the writer's
 * quoting read back by the reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"
#include "base/err.h"

struct src {
    FILE *f;
    struct csv_reader *r;
};

static struct src open_text(const char *text, size_t len)
{
    struct src s;
    s.f = fmemopen((void *)text, len, "r");
    assert_non_null(s.f);
    s.r = csv_open(s.f, "t.csv");
    assert_non_null(s.r);
    return s;
}

static void close_src(struct src *s)
{
    csv_close(s->r);
    fclose(s->f);
}

#define OPEN(text) open_text(text, sizeof(text) - 1)

static void simple_rows_and_header(void **state)
{
    (void)state;
    struct src s = OPEN("Name, Town_Code ,uscc\n甲托育,330304001,91350100M000100Y43\n乙,330304002\n");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_int_equal(csv_header_count(s.r), 3);
    assert_string_equal(csv_header_name(s.r, 1), "Town_Code"); /* trimmed */
    assert_int_equal(csv_column(s.r, "name"), 0);
    assert_int_equal(csv_column(s.r, "TOWN_CODE"), 1);
    assert_int_equal(csv_column(s.r, "USCC"), 2);
    assert_int_equal(csv_column(s.r, "missing"), -1);
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 2);
    assert_int_equal(csv_count(s.r), 3);
    assert_string_equal(csv_get(s.r, 0), "甲托育");
    assert_string_equal(csv_get(s.r, 2), "91350100M000100Y43");
    assert_null(csv_get(s.r, -1));
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 3);
    assert_int_equal(csv_count(s.r), 2);      /* short row */
    assert_string_equal(csv_get(s.r, 2), ""); /* "" past the end */
    assert_string_equal(csv_field(s.r, 99), "");
    assert_int_equal(csv_next(s.r), 0);
    assert_int_equal(csv_next(s.r), 0);
    close_src(&s);
}

static void quotes_escapes_and_embedded_newlines(void **state)
{
    (void)state;
    struct src s = OPEN("a,b,c\n"
                        "\"x, y\",\"he said \"\"hi\"\"\",\"line1\nline2\nline3\"\n"
                        "\"\",plain,\"\"\"\"\n"
                        "after,\"\",end\n");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 2);
    assert_string_equal(csv_field(s.r, 0), "x, y");
    assert_string_equal(csv_field(s.r, 1), "he said \"hi\"");
    assert_string_equal(csv_field(s.r, 2), "line1\nline2\nline3");
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 5); /* the quoted newlines counted */
    assert_int_equal(csv_count(s.r), 3);
    assert_string_equal(csv_field(s.r, 0), "");
    assert_string_equal(csv_field(s.r, 2), "\"");
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 6);
    assert_string_equal(csv_field(s.r, 0), "after");
    assert_string_equal(csv_field(s.r, 1), "");
    assert_string_equal(csv_field(s.r, 2), "end");
    assert_int_equal(csv_next(s.r), 0);
    close_src(&s);
}

static void crlf_bom_and_blank_lines(void **state)
{
    (void)state;
    struct src s = OPEN("\xEF\xBB\xBFid,name\r\n\r\n1,\"a\r\nb\"\r\n   \r\n\n2,c\r\n\r\n");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_string_equal(csv_header_name(s.r, 0), "id"); /* BOM gone */
    assert_int_equal(csv_column(s.r, "id"), 0);
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 3);
    assert_string_equal(csv_field(s.r, 0), "1");
    assert_string_equal(csv_field(s.r, 1), "a\r\nb");
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_line(s.r), 7);
    assert_string_equal(csv_field(s.r, 0), "2");
    assert_string_equal(csv_field(s.r, 1), "c"); /* no stray CR */
    assert_int_equal(csv_next(s.r), 0);
    close_src(&s);
}

static void last_row_without_newline(void **state)
{
    (void)state;
    struct src s = OPEN("a,b\n1,2");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_field(s.r, 1), "2");
    assert_int_equal(csv_next(s.r), 0);
    close_src(&s);
    s = OPEN("a,b\n1,\"2\"");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_field(s.r, 1), "2");
    close_src(&s);
    s = OPEN("a,b\n1,");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_count(s.r), 2);
    assert_string_equal(csv_field(s.r, 1), "");
    close_src(&s);
}

static void first_field_may_start_with_an_ef_byte(void **state)
{
    (void)state;
    /* "（名称）" begins with EF BC 88 — a UTF-8 character, not a broken BOM */
    struct src s = OPEN("\xEF\xBC\x88名称\xEF\xBC\x89,代码\n甲,1\n");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_string_equal(csv_header_name(s.r, 0), "（名称）");
    assert_int_equal(csv_column(s.r, "代码"), 1);
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_get(s.r, 1), "1");
    close_src(&s);
    /* a lone EF byte and short files */
    s = OPEN("\xEF");
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_field(s.r, 0), "\xEF");
    close_src(&s);
    s = OPEN("\xEF\xBB");
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_field(s.r, 0), "\xEF\xBB");
    close_src(&s);
    s = OPEN("\xEF,x\n");
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_count(s.r), 2);
    assert_string_equal(csv_field(s.r, 0), "\xEF");
    close_src(&s);
    s = OPEN("\xEF\xBB\xBF");
    assert_int_equal(csv_next(s.r), 0);
    close_src(&s);
}

static void errors(void **state)
{
    (void)state;
    struct src s = OPEN("a,b\n1,\"open\nstill open\n");
    assert_int_equal(csv_read_header(s.r), 0);
    assert_int_equal(csv_next(s.r), -1);
    assert_non_null(strstr(csv_error(s.r), "t.csv"));
    assert_non_null(strstr(csv_error(s.r), "第 2 行")); /* the line the row began on */
    assert_non_null(strstr(csv_error(s.r), "引号"));
    close_src(&s);
    s = OPEN("");
    assert_int_equal(csv_read_header(s.r), -1);
    assert_non_null(strstr(csv_error(s.r), "表头"));
    close_src(&s);
    s = OPEN("\n\n  \n");
    assert_int_equal(csv_read_header(s.r), -1);
    close_src(&s);
    assert_string_equal(csv_name(s.r = csv_open(stdin, NULL)), "input");
    csv_close(s.r);
    csv_close(NULL);

    /* csv_open_with_header: the header read, or 400 bad_csv with the reason and no reader */
    struct err e = {0};
    FILE *f = fmemopen((void *)"", 0, "r");
    assert_null(csv_open_with_header(f, "t.csv", &e));
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "bad_csv");
    assert_non_null(strstr(e.message, "表头"));
    fclose(f);
    f = fmemopen((void *)"a,b\n1,2\n", 8, "r");
    struct csv_reader *r = csv_open_with_header(f, "t.csv", &e);
    assert_non_null(r);
    assert_int_equal(csv_column(r, "b"), 1);
    assert_int_equal(csv_next(r), 1);
    assert_string_equal(csv_get(r, 1), "2");
    csv_close(r);
    fclose(f);
}

static void lenient_quotes(void **state)
{
    (void)state;
    /* a quote inside an unquoted field is kept; text after a closing quote is appended */
    struct src s = OPEN("a\"b,\"c\"d,e\n");
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_field(s.r, 0), "a\"b");
    assert_string_equal(csv_field(s.r, 1), "cd");
    assert_string_equal(csv_field(s.r, 2), "e");
    close_src(&s);
}

static void many_fields_and_long_fields(void **state)
{
    (void)state;
    size_t n = 5000;
    char *text = malloc(n * 2 + 100000 + 8);
    assert_non_null(text);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        text[o++] = 'x';
        text[o++] = ',';
    }
    memset(text + o, 'y', 100000);
    o += 100000;
    text[o++] = '\n';
    struct src s = open_text(text, o);
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_count(s.r), n + 1);
    assert_int_equal(strlen(csv_field(s.r, n)), 100000);
    close_src(&s);
    free(text);
}

static void writer_quotes_and_round_trips(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    const char *row1[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "", NULL, "中文"};
    csv_write_row(out, row1, 8);
    const char *row2[] = {"  spaced  "};
    csv_write_row(out, row2, 1);
    fclose(out);
    assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,,中文\n  spaced  \n");
    struct src s = open_text(buf, len);
    assert_int_equal(csv_next(s.r), 1);
    assert_int_equal(csv_count(s.r), 8);
    for (int i = 0; i < 8; i++)
        assert_string_equal(csv_field(s.r, (size_t)i), row1[i] ? row1[i] : "");
    assert_int_equal(csv_next(s.r), 1);
    assert_string_equal(csv_field(s.r, 0), "  spaced  ");
    close_src(&s);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_rows_and_header),
        cmocka_unit_test(quotes_escapes_and_embedded_newlines),
        cmocka_unit_test(crlf_bom_and_blank_lines),
        cmocka_unit_test(last_row_without_newline),
        cmocka_unit_test(first_field_may_start_with_an_ef_byte),
        cmocka_unit_test(errors),
        cmocka_unit_test(lenient_quotes),
        cmocka_unit_test(many_fields_and_long_fields),
        cmocka_unit_test(writer_quotes_and_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

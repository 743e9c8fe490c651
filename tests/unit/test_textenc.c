/* test_textenc.c — a file's text as UTF-8: UTF-8 with and without its byte-order mark passes as
 * it is (the mark dropped), GBK as Excel writes it on Chinese Windows converts to the same text,
 * a four-byte GB18030 character converts, a GBK character that happens to be valid two-byte
 * UTF-8 does not make a GBK file "mixed", UTF-8 Chinese lines next to GBK lines are refused as
 * mixed naming both lines, UTF-16 is refused with what to do, bytes that are neither encoding are
 * refused naming where, and the UTF-8 checker refuses overlongs, surrogates and cut sequences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/textenc.h"

#define TEXT_ZH "机构名称,所属镇街\n瓯海区托育中心,娄桥街道\n"
#define TEXT_GBK                                                                                                     \
    "\xbb\xfa\xb9\xb9\xc3\xfb\xb3\xc6\x2c\xcb\xf9\xca\xf4\xd5\xf2\xbd\xd6\x0a\xea\xb1\xba\xa3\xc7\xf8\xcd\xd0\xd3\xfd" \
    "\xd6\xd0\xd0\xc4\x2c\xc2\xa6\xc7\xc5\xbd\xd6\xb5\xc0\x0a"

static void convert(const char *bytes, size_t n, const char *want, enum textenc want_enc)
{
    char *out = NULL;
    size_t outn = 0;
    enum textenc enc;
    struct err e = {0};
    assert_int_equal(textenc_to_utf8(bytes, n, &out, &outn, &enc, &e), 0);
    assert_int_equal(enc, want_enc);
    assert_string_equal(out, want);
    assert_int_equal(outn, strlen(want));
    free(out);
}

static void refused(const char *bytes, size_t n, const char *code, const char *in_message)
{
    char *out = (char *)1;
    size_t outn = 1;
    enum textenc enc;
    struct err e = {0};
    assert_int_equal(textenc_to_utf8(bytes, n, &out, &outn, &enc, &e), -1);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, "file");
    assert_int_equal(e.status, 422);
    assert_null(out);
    if (!strstr(e.message, in_message))
        fail_msg("message \"%s\" lacks \"%s\"", e.message, in_message);
}

static void utf8_as_it_is(void **state)
{
    (void)state;
    convert(TEXT_ZH, strlen(TEXT_ZH), TEXT_ZH, TEXTENC_UTF8);
    convert("name,uscc\n", 10, "name,uscc\n", TEXTENC_UTF8);
    convert("", 0, "", TEXTENC_UTF8);
}

static void utf8_bom_dropped(void **state)
{
    (void)state;
    const char with_bom[] = "\xEF\xBB\xBF" TEXT_ZH;
    convert(with_bom, sizeof with_bom - 1, TEXT_ZH, TEXTENC_UTF8_BOM);
}

static void gbk_converted(void **state)
{
    (void)state;
    convert(TEXT_GBK, sizeof TEXT_GBK - 1, TEXT_ZH, TEXTENC_GB18030);
    /* 女 in GBK is C5 AE, valid two-byte UTF-8 (U+016E) on its own line: still one GBK file */
    const char narrow[] = "\xc5\xae\n" TEXT_GBK;
    convert(narrow, sizeof narrow - 1, "女\n" TEXT_ZH, TEXTENC_GB18030);
    /* a character only GB18030's four-byte form holds */
    convert("\x95\x32\x82\x36", 4, "\xF0\xA0\x80\x80", TEXTENC_GB18030);
}

static void mixed_refused(void **state)
{
    (void)state;
    const char mixed[] = "name\n" TEXT_ZH TEXT_GBK;
    refused(mixed, sizeof mixed - 1, "mixed_encoding", "第 2 行是 UTF-8 中文，第 4 行不是");
    const char bom_then_gbk[] = "\xEF\xBB\xBF" TEXT_GBK;
    refused(bom_then_gbk, sizeof bom_then_gbk - 1, "mixed_encoding", "第 1 行不是 UTF-8");
}

static void utf16_refused(void **state)
{
    (void)state;
    refused("\xFF\xFEn\0a\0", 6, "utf16_file", "UTF-16");
    refused("\xFE\xFF\0n\0a", 6, "utf16_file", "UTF-16");
}

static void neither_refused(void **state)
{
    (void)state;
    /* 0x80 is no GB18030 lead byte and no UTF-8 lead byte; 0xFF never occurs in either */
    refused("ab\x80\xFF", 4, "bad_encoding", "第 3 字节起无效");
}

static void utf8_checker(void **state)
{
    (void)state;
    const unsigned char *u = (const unsigned char *)"\xE4\xB8\xAD";
    assert_int_equal(textenc_utf8_len(u, 3), 3);
    assert_int_equal(textenc_utf8_len(u, 2), 0);                                          /* cut short */
    assert_int_equal(textenc_utf8_len((const unsigned char *)"\xC0\xAF", 2), 0);          /* overlong / */
    assert_int_equal(textenc_utf8_len((const unsigned char *)"\xE0\x80\xAF", 3), 0);      /* overlong */
    assert_int_equal(textenc_utf8_len((const unsigned char *)"\xED\xA0\x80", 3), 0);      /* surrogate */
    assert_int_equal(textenc_utf8_len((const unsigned char *)"\xF4\x90\x80\x80", 4), 0);  /* > U+10FFFF */
    assert_int_equal(textenc_utf8_len((const unsigned char *)"\xF0\xA0\x80\x80", 4), 4);
    assert_int_equal(textenc_utf8_len((const unsigned char *)"\xBF", 1), 0);              /* stray */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_as_it_is),  cmocka_unit_test(utf8_bom_dropped), cmocka_unit_test(gbk_converted),
        cmocka_unit_test(mixed_refused),  cmocka_unit_test(utf16_refused),    cmocka_unit_test(neither_refused),
        cmocka_unit_test(utf8_checker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_materials.c — the pure part of materials (src/materials/materials.c): the type of a file by
 * its bytes (PDF, JPEG, PNG; OFD by a walk of the ZIP central directory confirmed by the local
 * file header, and every way a ZIP can fail to be one), a read error, the file name kept (trimmed,
 * Windows characters replaced) or refused (paths, control and direction characters, bad UTF-8,
 * empty, too long), the checks of an upload, a download's name and Content-Disposition, the JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "materials/materials.h"

struct buf {
    unsigned char *p;
    size_t n;
    int fail;
};

static long read_buf(void *ctx, uint64_t off, void *out, size_t n)
{
    const struct buf *b = ctx;
    if (b->fail)
        return -1;
    if (off >= b->n)
        return 0;
    size_t k = b->n - off < n ? b->n - (size_t)off : n;
    memcpy(out, b->p + off, k);
    return (long)k;
}

static enum materials_type detect(const void *p, size_t n)
{
    struct buf b = {(unsigned char *)p, n, 0};
    enum materials_type t;
    assert_int_equal(materials_detect(read_buf, &b, n, &t), 0);
    return t;
}
#define DETECT(lit) detect(lit, sizeof(lit) - 1)

static void images_and_pdf_by_their_first_bytes(void **state)
{
    (void)state;
    assert_int_equal(DETECT("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), MATERIALS_PDF);
    assert_int_equal(DETECT("%PDF-2.0\n"), MATERIALS_PDF);
    assert_int_equal(DETECT("%PDF-x.y\n"), MATERIALS_NONE);
    assert_int_equal(DETECT("%PDF-1"), MATERIALS_NONE);          /* too short for a version */
    assert_int_equal(DETECT(" %PDF-1.7\n"), MATERIALS_NONE);     /* not at the start */
    assert_int_equal(DETECT("\xff\xd8\xff\xe0\0\x10JFIF"), MATERIALS_JPEG);
    assert_int_equal(DETECT("\xff\xd8\xfe\xe0"), MATERIALS_NONE);
    assert_int_equal(DETECT("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\1"), MATERIALS_PNG);
    assert_int_equal(DETECT("\x89PNG\r\n\x1a\n\0\0\0\x0dIDAT\0\0\0\1"), MATERIALS_NONE); /* no IHDR first */
    assert_int_equal(DETECT("MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0"), MATERIALS_NONE);       /* a Windows program */
    assert_int_equal(DETECT("\x7f" "ELF\2\1\1"), MATERIALS_NONE);
    assert_int_equal(DETECT("<html><script>alert(1)</script>"), MATERIALS_NONE);
    assert_int_equal(detect("", 0), MATERIALS_NONE);
    /* a read error is an error, not "unknown" */
    struct buf b = {(unsigned char *)"%PDF-1.7", 8, 1};
    enum materials_type t;
    assert_int_equal(materials_detect(read_buf, &b, 8, &t), -1);
    assert_string_equal(materials_media_type(MATERIALS_OFD), "application/ofd");
    assert_int_equal(materials_type_of_media("image/png"), MATERIALS_PNG);
    assert_int_equal(materials_type_of_media("text/html"), MATERIALS_NONE);
}

/* ---- a small ZIP writer (stored entries) ---- */

struct zip {
    unsigned char p[8192];
    size_t n;
    unsigned char cd[4096];
    size_t cd_n;
    int entries;
};

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v) { put16(p, v & 0xffff), put16(p + 2, v >> 16); }

/* An entry: local header naming local_name, central header naming central_name. */
static void zip_entry(struct zip *z, const char *central_name, const char *local_name, const char *data)
{
    size_t ln = strlen(local_name), cn = strlen(central_name), dn = strlen(data);
    unsigned char *h = z->p + z->n;
    memset(h, 0, 30);
    put32(h, 0x04034b50);
    put16(h + 4, 20);
    put32(h + 18, (uint32_t)dn);
    put32(h + 22, (uint32_t)dn);
    put16(h + 26, (unsigned)ln);
    memcpy(h + 30, local_name, ln);
    memcpy(h + 30 + ln, data, dn);
    unsigned char *c = z->cd + z->cd_n;
    memset(c, 0, 46);
    put32(c, 0x02014b50);
    put16(c + 4, 20);
    put16(c + 6, 20);
    put32(c + 20, (uint32_t)dn);
    put32(c + 24, (uint32_t)dn);
    put16(c + 28, (unsigned)cn);
    put32(c + 42, (uint32_t)z->n);
    memcpy(c + 46, central_name, cn);
    z->cd_n += 46 + cn;
    z->n += 30 + ln + dn;
    z->entries++;
}

/* Central directory and end record (with a comment). */
static void zip_end(struct zip *z, const char *comment)
{
    size_t off = z->n, k = strlen(comment);
    memcpy(z->p + z->n, z->cd, z->cd_n);
    z->n += z->cd_n;
    unsigned char *e = z->p + z->n;
    memset(e, 0, 22);
    put32(e, 0x06054b50);
    put16(e + 8, (unsigned)z->entries);
    put16(e + 10, (unsigned)z->entries);
    put32(e + 12, (uint32_t)z->cd_n);
    put32(e + 16, (uint32_t)off);
    put16(e + 20, (unsigned)k);
    memcpy(e + 22, comment, k);
    z->n += 22 + k;
}

static const char OFD_XML[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>";

static void ofd_by_its_central_directory_and_local_header(void **state)
{
    (void)state;
    struct zip *z = calloc(1, sizeof *z);
    zip_entry(z, "Doc_0/Document.xml", "Doc_0/Document.xml", "<ofd:Document/>");
    zip_entry(z, "OFD.xml", "OFD.xml", OFD_XML);
    zip_end(z, "");
    assert_int_equal(detect(z->p, z->n), MATERIALS_OFD);

    /* an end record with a comment, and a comment that holds a fake end signature */
    memset(z, 0, sizeof *z);
    zip_entry(z, "OFD.xml", "OFD.xml", OFD_XML);
    zip_end(z, "comment PK\x05\x06 inside");
    assert_int_equal(detect(z->p, z->n), MATERIALS_OFD);

    /* a ZIP without OFD.xml, or with it below the root, or named otherwise */
    memset(z, 0, sizeof *z);
    zip_entry(z, "word/document.xml", "word/document.xml", "<w:document/>");
    zip_end(z, "");
    assert_int_equal(detect(z->p, z->n), MATERIALS_NONE);
    memset(z, 0, sizeof *z);
    zip_entry(z, "Doc_0/OFD.xml", "Doc_0/OFD.xml", OFD_XML);
    zip_end(z, "");
    assert_int_equal(detect(z->p, z->n), MATERIALS_NONE);
    memset(z, 0, sizeof *z);
    zip_entry(z, "ofd.xml", "ofd.xml", OFD_XML);
    zip_end(z, "");
    assert_int_equal(detect(z->p, z->n), MATERIALS_NONE);

    /* the central directory names OFD.xml but the local header it points at does not */
    memset(z, 0, sizeof *z);
    zip_entry(z, "OFD.xml", "evil.exe", "MZ\x90");
    zip_end(z, "");
    assert_int_equal(detect(z->p, z->n), MATERIALS_NONE);

    /* broken ones: cut short, the end record damaged, offsets outside the file, ZIP64 markers */
    memset(z, 0, sizeof *z);
    zip_entry(z, "OFD.xml", "OFD.xml", OFD_XML);
    zip_end(z, "");
    size_t full = z->n;
    assert_int_equal(detect(z->p, full - 1), MATERIALS_NONE);
    assert_int_equal(detect(z->p, 40), MATERIALS_NONE);
    unsigned char *eocd = z->p + full - 22;
    unsigned char saved[22];
    memcpy(saved, eocd, 22);
    put32(eocd + 16, 0xFFFFFFFFu); /* ZIP64 */
    assert_int_equal(detect(z->p, full), MATERIALS_NONE);
    memcpy(eocd, saved, 22);
    put32(eocd + 16, (uint32_t)full); /* the directory after the end record */
    assert_int_equal(detect(z->p, full), MATERIALS_NONE);
    memcpy(eocd, saved, 22);
    put16(eocd + 10, 60000); /* more entries than the directory holds */
    put16(eocd + 8, 60000);
    assert_int_equal(detect(z->p, full), MATERIALS_OFD); /* found before the directory runs out */
    memcpy(eocd, saved, 22);
    put16(eocd + 4, 1); /* a multi-disk archive */
    assert_int_equal(detect(z->p, full), MATERIALS_NONE);
    memcpy(eocd, saved, 22);
    unsigned char *cd = z->p + (full - 22 - z->cd_n);
    put16(cd + 28, 60000); /* a name running past the directory */
    assert_int_equal(detect(z->p, full), MATERIALS_NONE);
    put16(cd + 28, 7);
    put32(cd + 42, (uint32_t)full - 10); /* a local header past the end */
    assert_int_equal(detect(z->p, full), MATERIALS_NONE);
    free(z);
}

/* ---- names ---- */

static void expect_name(const char *raw, const char *kept)
{
    char out[MATERIALS_NAME_MAX + 1];
    struct err e = {0};
    if (materials_name_clean(raw, out, &e) < 0)
        fail_msg("refused \"%s\": %s", raw, e.message);
    assert_string_equal(out, kept);
}

static void expect_bad_name(const char *raw)
{
    char out[MATERIALS_NAME_MAX + 1];
    struct err e = {0};
    if (materials_name_clean(raw, out, &e) == 0)
        fail_msg("kept \"%s\" as \"%s\"", raw, out);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "bad_file_name");
    assert_string_equal(e.field, "file");
    assert_non_null(strstr(e.message, "文件名"));
}

static void names_are_kept_trimmed_or_refused(void **state)
{
    (void)state;
    expect_name("营业执照.pdf", "营业执照.pdf");
    expect_name("  \xe3\x80\x80消防合格证明 (2024).jpg\xc2\xa0 ", "消防合格证明 (2024).jpg");
    expect_name("承诺书.pdf...", "承诺书.pdf");
    expect_name("a. . .", "a");
    expect_name("说明<1>:\"x\"|?*.png", "说明_1___x____.png");
    expect_name("..pdf", "..pdf"); /* dots inside a name are no path */
    expect_name("O'Brien & Co.ofd", "O'Brien & Co.ofd");

    expect_bad_name("../etc/passwd");
    expect_bad_name("..\\..\\boot.ini");
    expect_bad_name("a/b.pdf");
    expect_bad_name("/abs.pdf");
    expect_bad_name("C:\\Users\\x\\a.pdf");
    expect_bad_name("a\x01.pdf");
    expect_bad_name("a\t.pdf");
    expect_bad_name("a\x7f.pdf");
    expect_bad_name("a\xc2\x85.pdf");          /* U+0085, a C1 control */
    expect_bad_name("invoice\xe2\x80\xae" "fdp.exe"); /* U+202E: shows as "invoiceexe.pdf" */
    expect_bad_name("a\xe2\x81\xa6.pdf");     /* U+2066 */
    expect_bad_name("a\xff.pdf");
    expect_bad_name("a\xc0\xaf.pdf");         /* overlong "/" */
    expect_bad_name("a\xed\xa0\x80.pdf");     /* a surrogate */
    expect_bad_name("a\xe8\x90.pdf");         /* cut short */
    expect_bad_name("a\xf4\x90\x80\x80.pdf"); /* above U+10FFFF */
    expect_bad_name("");
    expect_bad_name("   ");
    expect_bad_name("\xe3\x80\x80");
    expect_bad_name(".");
    expect_bad_name("..");
    expect_bad_name(NULL);

    char name[MATERIALS_NAME_MAX + 2];
    memset(name, 'a', MATERIALS_NAME_MAX);
    name[MATERIALS_NAME_MAX] = '\0';
    expect_name(name, name);
    name[MATERIALS_NAME_MAX] = 'a';
    name[MATERIALS_NAME_MAX + 1] = '\0';
    expect_bad_name(name);
    /* 85 CJK characters are 255 bytes; 86 are too many */
    char cjk[400] = "";
    for (int i = 0; i < 85; i++)
        strcat(cjk, "材");
    expect_name(cjk, cjk);
    strcat(cjk, "料");
    expect_bad_name(cjk);
}

static void uploads_are_checked_in_order(void **state)
{
    (void)state;
    struct buf pdf = {(unsigned char *)"%PDF-1.7\n", 9, 0}, exe = {(unsigned char *)"MZ\x90\0\3\0\0\0", 8, 0};
    struct materials_upload u;
    struct err e = {0};
    assert_int_equal(materials_check(" 章程.pdf ", 9, read_buf, &pdf, &u, &e), 0);
    assert_string_equal(u.name, "章程.pdf");
    assert_int_equal(u.type, MATERIALS_PDF);
    assert_int_equal(u.size, 9);

    assert_int_equal(materials_check("setup.pdf", 8, read_buf, &exe, &u, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "unsupported_type");
    assert_string_equal(e.field, "file");
    assert_non_null(strstr(e.message, "setup.pdf"));

    assert_int_equal(materials_check("空.pdf", 0, read_buf, &pdf, &u, &e), -1);
    assert_string_equal(e.code, "empty_file");
    assert_non_null(strstr(e.message, "空.pdf"));

    assert_int_equal(materials_check("../x.pdf", 9, read_buf, &pdf, &u, &e), -1); /* the name first */
    assert_string_equal(e.code, "bad_file_name");
}

static void downloads_name_the_type_and_are_attachments(void **state)
{
    (void)state;
    char out[MATERIALS_NAME_MAX + 8];
    materials_download_name("合同.doc", MATERIALS_PDF, out, sizeof out);
    assert_string_equal(out, "合同.doc.pdf");
    materials_download_name("Scan.PDF", MATERIALS_PDF, out, sizeof out);
    assert_string_equal(out, "Scan.PDF");
    materials_download_name("photo.jpeg", MATERIALS_JPEG, out, sizeof out);
    assert_string_equal(out, "photo.jpeg");
    materials_download_name("photo.png", MATERIALS_JPEG, out, sizeof out);
    assert_string_equal(out, "photo.png.jpg");
    materials_download_name("备案书", MATERIALS_OFD, out, sizeof out);
    assert_string_equal(out, "备案书.ofd");
    materials_download_name(".pdf", MATERIALS_PDF, out, sizeof out);
    assert_string_equal(out, ".pdf.pdf");

    char cd[MATERIALS_DISPOSITION_MAX];
    materials_disposition("Licence (2024).pdf", "material-7.pdf", cd, sizeof cd);
    assert_string_equal(cd, "attachment; filename=\"Licence (2024).pdf\"; filename*=UTF-8''Licence%20%282024%29.pdf");
    materials_disposition("营业执照.pdf", "material-7.pdf", cd, sizeof cd);
    assert_string_equal(cd, "attachment; filename=\"material-7.pdf\"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf");
    materials_disposition("a'b;c%d.pdf", "material-8.pdf", cd, sizeof cd);
    assert_string_equal(cd, "attachment; filename=\"material-8.pdf\"; filename*=UTF-8''a%27b%3Bc%25d.pdf");
    /* the longest name fits */
    char name[MATERIALS_NAME_MAX + 8];
    memset(name, 0, sizeof name);
    for (int i = 0; i < 85; i++)
        strcat(name, "材");
    strcat(name, ".pdf");
    materials_disposition(name, "material-9.pdf", cd, sizeof cd);
    assert_non_null(strstr(cd, "%9D%90.pdf"));
    assert_memory_equal(cd + strlen(cd) - 4, ".pdf", 4);
}

static void as_json(void **state)
{
    (void)state;
    struct material m = {.id = 3, .owner_id = 12, .size = 1024, .type = MATERIALS_PNG, .uploaded_by = 5, .locked = 1};
    strcpy(m.owner_type, "institution");
    strcpy(m.sha256, "ab");
    strcpy(m.name, "平面图.png");
    strcpy(m.uploaded_by_name, "运营者");
    strcpy(m.uploaded_at, "2024-09-30T02:00:00Z");
    json_t *j = materials_to_json(&m);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "png");
    assert_string_equal(json_string_value(json_object_get(j, "content_type")), "image/png");
    assert_string_equal(json_string_value(json_object_get(j, "state")), "active");
    assert_true(json_is_null(json_object_get(j, "deleted_at")));
    assert_true(json_is_true(json_object_get(j, "locked")));
    json_decref(j);
    m.deleted = 1;
    strcpy(m.deleted_at, "2024-10-01T00:00:00Z");
    j = materials_to_json(&m);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "deleted");
    assert_string_equal(json_string_value(json_object_get(j, "deleted_at")), "2024-10-01T00:00:00Z");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(images_and_pdf_by_their_first_bytes),
        cmocka_unit_test(ofd_by_its_central_directory_and_local_header),
        cmocka_unit_test(names_are_kept_trimmed_or_refused),
        cmocka_unit_test(uploads_are_checked_in_order),
        cmocka_unit_test(downloads_name_the_type_and_are_attachments),
        cmocka_unit_test(as_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

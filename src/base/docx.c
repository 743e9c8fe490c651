/* docx.c — .docx documents written as a ZIP of stored entries (docx.h). */
#include "base/docx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void add_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* text escaped for XML element content; a line break closes the run's text and breaks the line */
static void add_text(struct buf *b, const char *text)
{
    add_str(b, "<w:t xml:space=\"preserve\">");
    for (const char *s = text ? text : ""; *s; s++) {
        switch (*s) {
        case '&': add_str(b, "&amp;"); break;
        case '<': add_str(b, "&lt;"); break;
        case '>': add_str(b, "&gt;"); break;
        case '\n': add_str(b, "</w:t><w:br/><w:t xml:space=\"preserve\">"); break;
        case '\r': break;
        default:
            /* control characters are not allowed in XML 1.0 */
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                buf_add(b, s, 1);
        }
    }
    add_str(b, "</w:t>");
}

static void run(struct buf *b, const char *text, int bold)
{
    add_str(b, bold ? "<w:r><w:rPr><w:b/></w:rPr>" : "<w:r>");
    add_text(b, text);
    add_str(b, "</w:r>");
}

void docx_heading(struct docx *d, int level, const char *text)
{
    char style[96];
    snprintf(style, sizeof style, "<w:p><w:pPr><w:pStyle w:val=\"Heading%d\"/></w:pPr>", level < 1 ? 1 : level > 3 ? 3 : level);
    add_str(&d->body, style);
    run(&d->body, text, 0);
    add_str(&d->body, "</w:p>");
}

void docx_paragraph(struct docx *d, const char *text)
{
    add_str(&d->body, "<w:p>");
    run(&d->body, text, 0);
    add_str(&d->body, "</w:p>");
}

void docx_table(struct docx *d, const char *const *cells, int nrows, int ncols)
{
    struct buf *b = &d->body;
    add_str(b, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>");
    static const char *const SIDES[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t i = 0; i < sizeof SIDES / sizeof *SIDES; i++) {
        char side[96];
        snprintf(side, sizeof side, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", SIDES[i]);
        add_str(b, side);
    }
    add_str(b, "</w:tblBorders></w:tblPr><w:tblGrid>");
    for (int c = 0; c < ncols; c++)
        add_str(b, "<w:gridCol/>");
    add_str(b, "</w:tblGrid>");
    for (int r = 0; r < nrows; r++) {
        add_str(b, "<w:tr>");
        for (int c = 0; c < ncols; c++) {
            add_str(b, "<w:tc><w:p>");
            run(b, cells[r * ncols + c], r == 0);
            add_str(b, "</w:p></w:tc>");
        }
        add_str(b, "</w:tr>");
    }
    /* a table must be followed by a paragraph before the section ends */
    add_str(b, "</w:tbl><w:p/>");
}

/* ---- the package ---- */

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "</Types>";
static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/></Relationships>";
static const char DOC_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/></Relationships>";
#define HEADING_STYLE(n, lvl, size)                                                                                   \
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading" #n "\"><w:name w:val=\"heading " #n "\"/>"             \
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/>"         \
    "<w:outlineLvl w:val=\"" #lvl "\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"" #size "\"/></w:rPr></w:style>"
static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"SimSun\" w:hAnsi=\"SimSun\" w:eastAsia=\"SimSun\"/>"
    "<w:sz w:val=\"24\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:pPr><w:spacing w:after=\"80\"/></w:pPr></w:style>" HEADING_STYLE(1, 0, 36) HEADING_STYLE(2, 1, 30)
        HEADING_STYLE(3, 2, 26) "</w:styles>";

struct zip_entry {
    const char *name;
    uint32_t crc, size, offset;
};

static void le16(struct buf *b, uint32_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    buf_add(b, x, 2);
}
static void le32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    buf_add(b, x, 4);
}

/* A header's fixed fields shared by the local and central headers: version, flags (bit 11: the
 * name is UTF-8), method 0 (stored), a fixed time (1 Jan 2024 00:00), crc, sizes, name length. */
static void zip_common(struct buf *b, const struct zip_entry *z)
{
    le16(b, 20);
    le16(b, 0x0800);
    le16(b, 0);
    le16(b, 0);
    le16(b, (2024 - 1980) << 9 | 1 << 5 | 1);
    le32(b, z->crc);
    le32(b, z->size);
    le32(b, z->size);
    le16(b, (uint32_t)strlen(z->name));
}

static void zip_add(struct buf *out, struct zip_entry *z, const char *data, size_t n)
{
    z->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data, (uInt)n);
    z->size = (uint32_t)n;
    z->offset = (uint32_t)out->len;
    le32(out, 0x04034b50);
    zip_common(out, z);
    le16(out, 0);
    add_str(out, z->name);
    buf_add(out, data, n);
}

int docx_write(struct docx *d, int fd, struct err *e)
{
    struct buf doc = {0}, zip = {0};
    add_str(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
    buf_add(&doc, d->body.p ? d->body.p : "", d->body.len);
    add_str(&doc, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" "
                  "w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/></w:sectPr>"
                  "</w:body></w:document>");
    struct zip_entry z[] = {{"[Content_Types].xml"}, {"_rels/.rels"}, {"word/_rels/document.xml.rels"},
                            {"word/document.xml"}, {"word/styles.xml"}};
    const char *data[] = {CONTENT_TYPES, RELS, DOC_RELS, doc.p, STYLES};
    size_t len[] = {sizeof CONTENT_TYPES - 1, sizeof RELS - 1, sizeof DOC_RELS - 1, doc.len, sizeof STYLES - 1};
    int n = (int)(sizeof z / sizeof *z);
    for (int i = 0; i < n && !doc.failed; i++)
        zip_add(&zip, &z[i], data[i], len[i]);
    uint32_t central = (uint32_t)zip.len;
    for (int i = 0; i < n; i++) {
        le32(&zip, 0x02014b50);
        le16(&zip, 20); /* made by */
        zip_common(&zip, &z[i]);
        le16(&zip, 0); /* extra */
        le16(&zip, 0); /* comment */
        le16(&zip, 0); /* disk */
        le16(&zip, 0); /* internal attributes */
        le32(&zip, 0); /* external attributes */
        le32(&zip, z[i].offset);
        add_str(&zip, z[i].name);
    }
    uint32_t central_len = (uint32_t)zip.len - central;
    le32(&zip, 0x06054b50);
    le16(&zip, 0);
    le16(&zip, 0);
    le16(&zip, (uint32_t)n);
    le16(&zip, (uint32_t)n);
    le32(&zip, central_len);
    le32(&zip, central);
    le16(&zip, 0);
    int rc = 0;
    if (d->body.failed || doc.failed || zip.failed || zip.len > UINT32_MAX)
        rc = err_set(e, 500, "docx_failed", "", "报告文件生成失败（内存不足）");
    for (size_t off = 0; rc == 0 && off < zip.len;) {
        ssize_t w = write(fd, zip.p + off, zip.len - off);
        if (w <= 0)
            rc = err_set(e, 500, "docx_failed", "", "报告文件写入失败");
        else
            off += (size_t)w;
    }
    free(doc.p);
    free(zip.p);
    return rc;
}

void docx_free(struct docx *d)
{
    free(d->body.p);
    d->body = (struct buf){0};
}

/* docx.h — .docx documents (Office Open XML WordprocessingML) for reports a user sends on: a
 * title, headings, paragraphs and tables of text, written as the smallest package Word, WPS and
 * LibreOffice open ([Content_Types].xml, _rels/.rels, word/document.xml, word/styles.xml) in a
 * ZIP of stored entries (CRC-32 from zlib). Text is escaped for XML; a NUL-free UTF-8 string is
 * assumed. An append that cannot allocate marks the document failed (docx_write then fails). */
#ifndef TUOYU_DOCX_H
#define TUOYU_DOCX_H

#include "base/buf.h"
#include "base/err.h"

struct docx {
    struct buf body; /* the <w:body> content so far */
};

/* A heading of level 1–3 (Heading1…Heading3 styles: bold, larger). */
void docx_heading(struct docx *d, int level, const char *text);
/* A paragraph; line breaks in text become <w:br/>. */
void docx_paragraph(struct docx *d, const char *text);
/* A table of nrows × ncols cells given row by row (cells[r * ncols + c], NULL empty), the first
 * row bold as its heading, with single borders. */
void docx_table(struct docx *d, const char *const *cells, int nrows, int ncols);
/* Write the package to fd (from its current offset): 0, or -1 with e (500 docx_failed). */
int docx_write(struct docx *d, int fd, struct err *e);
void docx_free(struct docx *d);

#endif

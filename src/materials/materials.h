/* materials.h — materials (附件材料): files attached to a record — an institution now, a case of
 * the cases engine next. This is the pure part: the type of a file by its content (magic bytes,
 * and for OFD a walk of the ZIP central directory), the file name kept from what the client sent,
 * the name and Content-Disposition of a download, and the record's JSON. No database, no clock,
 * no I/O but through the reader the caller passes. Storage is store.c, routes api.c. */
#ifndef TUOYU_MATERIALS_H
#define TUOYU_MATERIALS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

enum materials_type {
    MATERIALS_NONE = 0, /* none of the accepted types */
    MATERIALS_PDF,      /* "%PDF-" + version */
    MATERIALS_JPEG,     /* FF D8 FF */
    MATERIALS_PNG,      /* the PNG signature and an IHDR chunk */
    MATERIALS_OFD,      /* a ZIP whose root holds OFD.xml (GB/T 33190-2016 版式文档) */
};

/* Read up to n bytes at offset off of the content into buf: the count read (fewer only at the
 * end), or -1 on an error. */
typedef long (*materials_read_fn)(void *ctx, uint64_t off, void *buf, size_t n);

/* The type of content of size bytes, by its bytes alone: 0 with *out (MATERIALS_NONE when it is
 * none of the four), or -1 when reading failed. An OFD is a ZIP (local file header at the start,
 * end-of-central-directory record found from the end, no ZIP64) whose central directory names an
 * entry OFD.xml at the root, and the local file header that entry points at names it too. */
int materials_detect(materials_read_fn rd, void *ctx, uint64_t size, enum materials_type *out);

const char *materials_type_code(enum materials_type t);   /* "pdf", "jpeg", "png", "ofd"; "" for NONE */
const char *materials_media_type(enum materials_type t);  /* "application/pdf", …, "application/ofd" */
const char *materials_extension(enum materials_type t);   /* ".pdf", ".jpg", ".png", ".ofd" */
/* The type of a media type as materials_media_type writes it; MATERIALS_NONE when unknown. */
enum materials_type materials_type_of_media(const char *media_type);

#define MATERIALS_NAME_MAX 255 /* bytes of UTF-8 */

/* The name to keep from the file name the client sent: trimmed of white space (also U+3000 and
 * U+00A0) and of trailing dots, the characters Windows cannot hold in a name (< > : " | ? *)
 * replaced by "_". Refused (422 bad_file_name on "file") when it is not UTF-8, holds a control
 * character (C0, DEL, C1), a character that reverses the text's direction (which can show
 * "exe.pdf" for "fdp.exe"), a path separator (/ or \, hence any ../), is empty, or is longer than
 * MATERIALS_NAME_MAX bytes. out holds MATERIALS_NAME_MAX + 1 bytes. 0 or -1. */
int materials_name_clean(const char *raw, char *out, struct err *e);

/* Everything checked of an upload before anything is stored: the name (materials_name_clean),
 * not empty (422 empty_file), a type by content (422 unsupported_type naming the file). */
struct materials_upload {
    char name[MATERIALS_NAME_MAX + 1];
    enum materials_type type;
    uint64_t size;
};
int materials_check(const char *raw_name, uint64_t size, materials_read_fn rd, void *ctx, struct materials_upload *out,
                    struct err *e);

/* The name a download offers: name, with the type's extension added when the name does not end
 * in one of the type's extensions (a PDF kept as "合同.doc" downloads as "合同.doc.pdf"), so a
 * file is never offered under a type it does not have. cap ≥ MATERIALS_NAME_MAX + 6. */
void materials_download_name(const char *name, enum materials_type t, char *out, size_t cap);

/* The Content-Disposition of a download: attachment (never inline), the name as RFC 6266
 * filename* (RFC 8187 / 5987: UTF-8, percent-encoded) and, for older clients, a plain ASCII
 * filename: the name itself when it is plain ASCII, else fallback. cap ≥ MATERIALS_DISPOSITION_MAX. */
#define MATERIALS_DISPOSITION_MAX (64 + 3 * (MATERIALS_NAME_MAX + 6) + MATERIALS_NAME_MAX + 6)
void materials_disposition(const char *name, const char *fallback, char *out, size_t cap);

/* A material as stored (store.c) and answered. */
struct material {
    int64_t id;
    char owner_type[24];
    int64_t owner_id;
    char sha256[65];
    int64_t size;
    enum materials_type type;
    char name[MATERIALS_NAME_MAX + 1];
    int deleted;                        /* state 'deleted': the record stays, the content may not */
    int64_t uploaded_by;
    char uploaded_by_name[96];
    char uploaded_at[DATE_TIMESTAMP_LEN];
    char deleted_at[DATE_TIMESTAMP_LEN]; /* "" unless deleted */
    int locked;                         /* its owner is locked (a submitted case): no deleting */
};

json_t *materials_to_json(const struct material *m);

#endif

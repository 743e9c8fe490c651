/* materials.c — the pure part of materials (materials.h): types by content, names, downloads. */
#include "materials/materials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- types by content ---- */

static const struct {
    const char *code, *media, *ext, *ext2;
} TYPES[] = {
    [MATERIALS_NONE] = {"", "application/octet-stream", "", NULL},
    [MATERIALS_PDF] = {"pdf", "application/pdf", ".pdf", NULL},
    [MATERIALS_JPEG] = {"jpeg", "image/jpeg", ".jpg", ".jpeg"},
    [MATERIALS_PNG] = {"png", "image/png", ".png", NULL},
    [MATERIALS_OFD] = {"ofd", "application/ofd", ".ofd", NULL},
};
#define NTYPES (sizeof TYPES / sizeof TYPES[0])

const char *materials_type_code(enum materials_type t) { return (size_t)t < NTYPES ? TYPES[t].code : ""; }
const char *materials_media_type(enum materials_type t) { return TYPES[(size_t)t < NTYPES ? t : 0].media; }
const char *materials_extension(enum materials_type t) { return (size_t)t < NTYPES ? TYPES[t].ext : ""; }

enum materials_type materials_type_of_media(const char *media_type)
{
    for (size_t t = 1; media_type && t < NTYPES; t++)
        if (strcmp(TYPES[t].media, media_type) == 0)
            return (enum materials_type)t;
    return MATERIALS_NONE;
}

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

/* Exactly n bytes at off: 1, 0 when the content is shorter, -1 on a read error. */
static int read_exact(materials_read_fn rd, void *ctx, uint64_t off, void *buf, size_t n)
{
    long got = rd(ctx, off, buf, n);
    if (got < 0)
        return -1;
    return (size_t)got == n;
}

#define ZIP_LOCAL 0x04034b50u
#define ZIP_CENTRAL 0x02014b50u
#define ZIP_END 0x06054b50u
#define ZIP_END_LEN 22
#define ZIP_COMMENT_MAX 65535
static const char OFD_ENTRY[] = "OFD.xml";

/* Does the local file header at off name OFD.xml? 1, 0, -1 on a read error. */
static int local_names_ofd(materials_read_fn rd, void *ctx, uint64_t size, uint64_t off)
{
    unsigned char h[30 + sizeof OFD_ENTRY - 1];
    if (off > size || size - off < sizeof h)
        return 0;
    int r = read_exact(rd, ctx, off, h, sizeof h);
    if (r <= 0)
        return r;
    return le32(h) == ZIP_LOCAL && le16(h + 26) == sizeof OFD_ENTRY - 1 &&
           memcmp(h + 30, OFD_ENTRY, sizeof OFD_ENTRY - 1) == 0;
}

/* A ZIP (it starts with a local file header) whose central directory names OFD.xml at the root,
 * confirmed by the entry's own local file header. 1, 0, -1 on a read error. */
static int is_ofd(materials_read_fn rd, void *ctx, uint64_t size)
{
    if (size < 30 + ZIP_END_LEN)
        return 0;
    /* the end-of-central-directory record: the last signature whose comment reaches the end */
    size_t tail = size < ZIP_END_LEN + ZIP_COMMENT_MAX ? (size_t)size : ZIP_END_LEN + ZIP_COMMENT_MAX;
    unsigned char *t = malloc(tail);
    if (!t)
        return -1;
    int rc = read_exact(rd, ctx, size - tail, t, tail);
    if (rc <= 0) {
        free(t);
        return rc;
    }
    long end = -1;
    for (size_t i = tail - ZIP_END_LEN + 1; i-- > 0;)
        if (le32(t + i) == ZIP_END && i + ZIP_END_LEN + le16(t + i + 20) == tail) {
            end = (long)i;
            break;
        }
    if (end < 0) {
        free(t);
        return 0;
    }
    const unsigned char *eocd = t + end;
    uint32_t disk = le16(eocd + 4), cd_disk = le16(eocd + 6), here = le16(eocd + 8), entries = le16(eocd + 10);
    uint32_t cd_size = le32(eocd + 12), cd_off = le32(eocd + 16);
    uint64_t eocd_at = size - tail + (uint64_t)end;
    free(t);
    /* one disk, no ZIP64 (its markers are all-ones), the directory before the end record */
    if (disk || cd_disk || here != entries || entries == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu ||
        (uint64_t)cd_off + cd_size > eocd_at)
        return 0;
    uint64_t at = cd_off, stop = (uint64_t)cd_off + cd_size;
    for (uint32_t k = 0; k < entries; k++) {
        unsigned char h[46];
        if (stop - at < sizeof h)
            return 0;
        if ((rc = read_exact(rd, ctx, at, h, sizeof h)) <= 0)
            return rc;
        if (le32(h) != ZIP_CENTRAL)
            return 0;
        uint32_t name_len = le16(h + 28), extra_len = le16(h + 30), comment_len = le16(h + 32), local = le32(h + 42);
        uint64_t next = at + sizeof h + name_len + extra_len + comment_len;
        if (next > stop)
            return 0;
        if (name_len == sizeof OFD_ENTRY - 1) {
            char name[sizeof OFD_ENTRY];
            if ((rc = read_exact(rd, ctx, at + sizeof h, name, name_len)) <= 0)
                return rc;
            if (memcmp(name, OFD_ENTRY, name_len) == 0)
                return local_names_ofd(rd, ctx, size, local);
        }
        at = next;
    }
    return 0;
}

int materials_detect(materials_read_fn rd, void *ctx, uint64_t size, enum materials_type *out)
{
    *out = MATERIALS_NONE;
    unsigned char h[16] = {0};
    size_t n = size < sizeof h ? (size_t)size : sizeof h;
    if (n && read_exact(rd, ctx, 0, h, n) < 1)
        return -1;
    if (n >= 8 && memcmp(h, "%PDF-", 5) == 0 && h[5] >= '1' && h[5] <= '9' && h[6] == '.' && h[7] >= '0' && h[7] <= '9')
        *out = MATERIALS_PDF;
    else if (n >= 4 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        *out = MATERIALS_JPEG;
    else if (n >= 16 && memcmp(h, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) == 0)
        *out = MATERIALS_PNG;
    else if (n >= 4 && le32(h) == ZIP_LOCAL) {
        int r = is_ofd(rd, ctx, size);
        if (r < 0)
            return -1;
        if (r)
            *out = MATERIALS_OFD;
    }
    return 0;
}

/* ---- names ---- */

/* The code point of the UTF-8 sequence at s (no more than n bytes), its length in *len; -1 when
 * the sequence is invalid (truncated, overlong, a surrogate, above U+10FFFF). */
static long utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (!k || c > 0xF4 || k > n)
        return -1;
    long cp = c & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const long MIN[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < MIN[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = k;
    return cp;
}

static int is_blank(long cp) { return cp == ' ' || cp == 0xA0 || cp == 0x3000; }

/* Characters that change the direction text is shown in: marks, embeddings, overrides, isolates. */
static int is_bidi_control(long cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static int bad_name(struct err *e, const char *why) { return err_set(e, 422, "bad_file_name", "file", "文件名%s，文件未保存", why); }

int materials_name_clean(const char *raw, char *out, struct err *e)
{
    const unsigned char *s = (const unsigned char *)(raw ? raw : "");
    size_t n = strlen((const char *)s);
    /* check every character, and find the first and the last that is not blank */
    size_t first = n, last = 0;
    for (size_t i = 0; i < n;) {
        size_t len;
        long cp = utf8_next(s + i, n - i, &len);
        if (cp < 0)
            return bad_name(e, "不是有效的 UTF-8 文本");
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
            return bad_name(e, "含有控制字符");
        if (is_bidi_control(cp))
            return bad_name(e, "含有改变文字方向的控制字符");
        if (cp == '/' || cp == '\\')
            return bad_name(e, "不能含有路径（/ 或 \\）");
        if (!is_blank(cp)) {
            if (first == n)
                first = i;
            last = i + len;
        }
        i += len;
    }
    /* trailing dots (and blanks between them) go too: Windows drops them */
    while (last > first) {
        if (s[last - 1] == '.' || s[last - 1] == ' ')
            last--;
        else if (last - first >= 2 && s[last - 2] == 0xC2 && s[last - 1] == 0xA0)
            last -= 2;
        else if (last - first >= 3 && s[last - 3] == 0xE3 && s[last - 2] == 0x80 && s[last - 1] == 0x80)
            last -= 3;
        else
            break;
    }
    if (first >= last)
        return bad_name(e, "为空");
    if (last - first > MATERIALS_NAME_MAX)
        return bad_name(e, "过长（最多 255 字节）");
    for (size_t i = first; i < last; i++)
        out[i - first] = strchr("<>:\"|?*", s[i]) ? '_' : (char)s[i];
    out[last - first] = '\0';
    return 0;
}

int materials_check(const char *raw_name, uint64_t size, materials_read_fn rd, void *ctx, struct materials_upload *out,
                    struct err *e)
{
    memset(out, 0, sizeof *out);
    if (materials_name_clean(raw_name, out->name, e) < 0)
        return -1;
    if (size == 0)
        return err_set(e, 422, "empty_file", "file", "文件“%s”是空的（0 字节），未保存", out->name);
    if (materials_detect(rd, ctx, size, &out->type) < 0)
        return err_set(e, 500, "upload_failed", "file", "读取上传的文件失败");
    if (out->type == MATERIALS_NONE)
        return err_set(e, 422, "unsupported_type", "file",
                       "文件“%s”不是 PDF、JPEG、PNG 或 OFD 文件（按文件内容识别，与扩展名无关），未保存", out->name);
    out->size = size;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return k && n > k && strcasecmp(s + n - k, suffix) == 0;
}

void materials_download_name(const char *name, enum materials_type t, char *out, size_t cap)
{
    size_t i = (size_t)t < NTYPES ? (size_t)t : 0;
    int has = ends_with(name, TYPES[i].ext) || (TYPES[i].ext2 && ends_with(name, TYPES[i].ext2));
    snprintf(out, cap, "%s%s", name, has ? "" : TYPES[i].ext);
}

/* RFC 8187 attr-char */
static int is_attr_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c && strchr("!#$&+-.^_`|~", c));
}

/* Plain ASCII that needs no quoting care in a quoted-string: letters, digits and a few marks. */
static int plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || strchr(" ._-()+,", *p)))
            return 0;
    return *s != '\0';
}

void materials_disposition(const char *name, const char *fallback, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    char pct[3 * (MATERIALS_NAME_MAX + 6) + 1];
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 <= sizeof pct; p++) {
        if (is_attr_char(*p)) {
            pct[k++] = (char)*p;
        } else {
            pct[k++] = '%';
            pct[k++] = hex[*p >> 4];
            pct[k++] = hex[*p & 15];
        }
    }
    pct[k] = '\0';
    snprintf(out, cap, "attachment; filename=\"%s\"; filename*=UTF-8''%s", plain_ascii(name) ? name : fallback, pct);
}

json_t *materials_to_json(const struct material *m)
{
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "id", (json_int_t)m->id,
                          "owner_type", m->owner_type, "owner_id", (json_int_t)m->owner_id, "name", m->name, "size",
                          (json_int_t)m->size, "type", materials_type_code(m->type), "content_type",
                          materials_media_type(m->type), "sha256", m->sha256, "state", m->deleted ? "deleted" : "active",
                          "uploaded_by", (json_int_t)m->uploaded_by, "uploaded_by_name", m->uploaded_by_name,
                          "uploaded_at", m->uploaded_at, "locked", m->locked);
    json_object_set_new(o, "deleted_at", m->deleted_at[0] ? json_string(m->deleted_at) : json_null());
    return o;
}

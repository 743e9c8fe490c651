/* textenc.c — decide a file's encoding and give its text as UTF-8 (textenc.h). UTF-8 is checked
 * here byte by byte; GB18030 is converted with iconv, strictly (no character is ever dropped or
 * replaced: an invalid sequence fails the conversion). */
#include "base/textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

const char *textenc_name(enum textenc enc)
{
    switch (enc) {
    case TEXTENC_UTF8:
        return "UTF-8";
    case TEXTENC_UTF8_BOM:
        return "UTF-8（带 BOM）";
    case TEXTENC_GB18030:
        return "GBK/GB18030";
    }
    return "?";
}

size_t textenc_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below */
        if (c == 0xED)
            hi = 0x9F; /* surrogates above */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* beyond U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* How a line reads as UTF-8. */
enum line_kind { LINE_ASCII, LINE_UTF8_WIDE, LINE_UTF8_NARROW, LINE_NOT_UTF8 };

/* The line at s (up to its newline or end) and, in *bad, the offset of its first byte that is
 * not UTF-8. A line counts as UTF-8 evidence (WIDE) only with a three- or four-byte sequence —
 * Chinese in UTF-8 —, since a GBK character can happen to be a valid two-byte UTF-8 sequence. */
static enum line_kind line_kind(const unsigned char *s, size_t n, size_t *line_len, size_t *bad)
{
    const unsigned char *nl = memchr(s, '\n', n);
    size_t len = nl ? (size_t)(nl - s) + 1 : n;
    enum line_kind kind = LINE_ASCII;
    *line_len = len;
    for (size_t i = 0; i < len;) {
        size_t k = textenc_utf8_len(s + i, len - i);
        if (k == 0) {
            *bad = i;
            return LINE_NOT_UTF8;
        }
        if (k >= 3)
            kind = LINE_UTF8_WIDE;
        else if (k == 2 && kind == LINE_ASCII)
            kind = LINE_UTF8_NARROW;
        i += k;
    }
    return kind;
}

/* Copy n bytes into a new NUL-terminated string. */
static int copy_out(const char *s, size_t n, char **out, size_t *outn, struct err *e)
{
    char *p = malloc(n + 1);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    memcpy(p, s, n);
    p[n] = 0;
    *out = p;
    *outn = n;
    return 0;
}

/* GB18030 → UTF-8, strictly: 0; 1 with *bad the offset where the text stops being GB18030; or -1
 * with e when the conversion cannot run. */
static int from_gb18030(const char *s, size_t n, char **out, size_t *outn, size_t *bad, struct err *e)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return err_set(e, 500, "iconv_failed", "", "系统缺少 GB18030 编码转换");
    size_t cap = n / 2 * 3 + 8; /* two bytes become at most three; one and four stay as many */
    char *p = malloc(cap);
    if (!p) {
        iconv_close(cd);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    char *in = (char *)s, *o = p;
    size_t in_left = n, out_left = cap - 1;
    size_t r = iconv(cd, &in, &in_left, &o, &out_left);
    int failed = r == (size_t)-1 || in_left > 0 || iconv(cd, NULL, NULL, &o, &out_left) == (size_t)-1;
    iconv_close(cd);
    if (failed) {
        *bad = n - in_left;
        free(p);
        return 1;
    }
    *o = 0;
    *out = p;
    *outn = (size_t)(o - p);
    return 0;
}

int textenc_to_utf8(const char *bytes, size_t n, char **out, size_t *outn, enum textenc *enc, struct err *e)
{
    const unsigned char *s = (const unsigned char *)bytes;
    *out = NULL;
    *outn = 0;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return err_set(e, 422, "utf16_file", "file",
                       "文件是 UTF-16（Unicode 文本）编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入");
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *enc = TEXTENC_UTF8_BOM;
        s += 3, n -= 3;
    } else {
        *enc = TEXTENC_UTF8;
    }
    /* line by line: all UTF-8 → UTF-8; UTF-8 Chinese on one line and not UTF-8 on another → mixed */
    long line = 1, first_wide = 0, first_not = 0;
    size_t first_bad = 0;
    for (size_t i = 0; i < n; line++) {
        size_t len, bad = 0;
        enum line_kind k = line_kind(s + i, n - i, &len, &bad);
        if (k == LINE_UTF8_WIDE && !first_wide)
            first_wide = line;
        if (k == LINE_NOT_UTF8 && !first_not) {
            first_not = line;
            first_bad = i + bad;
        }
        i += len;
    }
    if (!first_not)
        return copy_out((const char *)s, n, out, outn, e);
    if (*enc == TEXTENC_UTF8_BOM)
        return err_set(e, 422, "mixed_encoding", "file",
                       "文件以 UTF-8 标记开头，但第 %ld 行不是 UTF-8 文字：文件混合了多种编码，请统一另存为 UTF-8 后再导入",
                       first_not);
    if (first_wide)
        return err_set(e, 422, "mixed_encoding", "file",
                       "文件混合了多种编码：第 %ld 行是 UTF-8 中文，第 %ld 行不是：请统一另存为一种编码后再导入",
                       first_wide, first_not);
    size_t bad = 0;
    int rc = from_gb18030((const char *)s, n, out, outn, &bad, e);
    if (rc <= 0) {
        *enc = TEXTENC_GB18030;
        return rc;
    }
    return err_set(e, 422, "bad_encoding", "file",
                   "无法识别文件编码：已尝试 UTF-8（第 %zu 字节起无效）和 GBK/GB18030（第 %zu 字节起无效）；请另存为 UTF-8 或 .xlsx",
                   first_bad + 1, bad + 1);
}

/* uscc.c — GB 32100-2015 unified social credit code: check character and validation. */
#include "base/uscc.h"

#include <string.h>

static const char CHARSET[] = USCC_CHARSET;
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* value of c in the charset, -1 when absent */
static int value_of(char c)
{
    if (c == 0)
        return -1;
    const char *p = strchr(CHARSET, c);
    return p ? (int)(p - CHARSET) : -1;
}

char uscc_check_char(const char *body)
{
    if (!body)
        return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(body[i]); /* stops at the NUL: value_of(0) is -1 */
        if (v < 0)
            return 0;
        sum += v * WEIGHTS[i];
    }
    return CHARSET[(31 - sum % 31) % 31];
}

/* number of UTF-8 code points, for the length message */
static size_t chars_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int uscc_validate(const char *s, struct err *e)
{
    if (!s || !s[0])
        return err_set(e, 422, "uscc_required", "uscc", "请填写统一社会信用代码");
    size_t len = strlen(s);
    if (len != USCC_LEN)
        return err_set(e, 422, "uscc_length", "uscc", "统一社会信用代码应为18位，实为%zu位", chars_of(s));
    for (int i = 0; i < USCC_LEN; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            return err_set(e, 422, "uscc_chars", "uscc", "统一社会信用代码第%d位“%c”应为大写字母", i + 1, c);
        if (value_of(c) < 0) {
            if ((unsigned char)c >= 0x21 && (unsigned char)c < 0x7f)
                return err_set(e, 422, "uscc_chars", "uscc",
                               "统一社会信用代码第%d位字符“%c”无效（只能是数字和除 I、O、S、V、Z 外的大写字母）",
                               i + 1, c);
            return err_set(e, 422, "uscc_chars", "uscc",
                           "统一社会信用代码第%d位字符无效（只能是数字和除 I、O、S、V、Z 外的大写字母）", i + 1);
        }
        if (i >= 2 && i <= 7 && (c < '0' || c > '9'))
            return err_set(e, 422, "uscc_chars", "uscc", "统一社会信用代码第3至8位应为行政区划数字代码，第%d位为“%c”",
                           i + 1, c);
    }
    char want = uscc_check_char(s);
    if (want != s[17])
        return err_set(e, 422, "uscc_checksum", "uscc", "统一社会信用代码校验位错误（第18位应为“%c”，实为“%c”）", want,
                       s[17]);
    return 0;
}

int uscc_normalize(const char *s, char out[USCC_LEN + 1])
{
    out[0] = 0;
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    if (n > USCC_LEN)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
    out[n] = 0;
    return 0;
}

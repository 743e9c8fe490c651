/* parse.c — strict number parsing (the whole string must be consumed), hex digits, percent-encoding. */
#include "base/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int parse_is_blank(const char *s)
{
    if (!s)
        return 1;
    while (*s && isspace((unsigned char)*s))
        s++;
    return *s == 0;
}

int parse_copy_text(char *out, size_t cap, const char *s)
{
    if (cap == 0)
        return 1;
    size_t n = s ? strlen(s) : 0;
    int cut = n >= cap;
    if (cut) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* s[n] continues a character: drop it whole */
            n--;
    }
    if (n)
        memcpy(out, s, n);
    out[n] = 0;
    return cut;
}

static int only_space(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return *p == 0;
}

int parse_double(const char *s, double *out)
{
    if (parse_is_blank(s))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno == ERANGE || end == s || !only_space(end) || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int parse_int64(const char *s, int64_t *out)
{
    if (parse_is_blank(s))
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE || end == s || !only_space(end))
        return -1;
    *out = (int64_t)v;
    return 0;
}

int parse_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int parse_percent_encode(const char *s, char *out, size_t outsz, size_t *o)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                    *p == '.' || *p == '_' || *p == '~';
        size_t need = plain ? 1 : 3;
        if (*o + need >= outsz)
            return -1;
        if (plain) {
            out[(*o)++] = (char)*p;
        } else {
            out[(*o)++] = '%';
            out[(*o)++] = hex[*p >> 4];
            out[(*o)++] = hex[*p & 15];
        }
    }
    return 0;
}

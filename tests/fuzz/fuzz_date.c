/* fuzz_date.c — libFuzzer target for dates, timestamps and base32 secrets (text that reaches
 * the server from query strings, JSON and the database): never a crash; whatever parses
 * formats back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/totp.h"
#include "base/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    struct date_ymd d;
    struct err e;
    if (date_parse(s, &d, &e) == 0) {
        char back[DATE_DAY_LEN];
        if (date_format(&d, back) != 0 || strcmp(back, s) != 0)
            abort();
        char later[DATE_DAY_LEN], again[DATE_DAY_LEN];
        if (date_add_days(s, 400, later) == 0) {
            int64_t n;
            if (date_days_between(s, later, &n, NULL) != 0 || n != 400)
                abort();
            if (date_add_days(later, -400, again) != 0 || strcmp(again, s) != 0)
                abort();
        }
        date_add_months(s, 13, later);
        int w = date_day_of_week(s);
        if (w < 1 || w > 7)
            abort();
    } else if (strcmp(e.code, "bad_date") != 0) {
        abort();
    }
    int64_t t;
    if (date_parse_timestamp(s, &t) == 0) {
        char ts[DATE_TIMESTAMP_LEN];
        int64_t t2;
        date_format_timestamp(t, ts, sizeof ts);
        if (ts[0] && (date_parse_timestamp(ts, &t2) != 0 || t2 != t))
            abort();
        char day[DATE_DAY_LEN];
        date_format_day(t, day, sizeof day);
    }
    uint8_t bin[256];
    size_t n;
    if (totp_base32_decode(s, bin, sizeof bin, &n) == 0) {
        char enc[512];
        if (totp_base32_encode(bin, n, 0, enc, sizeof enc) != 0)
            abort();
        uint8_t bin2[256];
        size_t n2;
        if (totp_base32_decode(enc, bin2, sizeof bin2, &n2) != 0 || n2 != n || memcmp(bin, bin2, n) != 0)
            abort();
    }
    int64_t step;
    totp_verify_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", s, 1111111109, &step);
    free(s);
    return 0;
}

/* mobile.c — mobile numbers: normalise, seal, lookup hash, mask (mobile.h). */
#include "base/mobile.h"

#include <stdio.h>
#include <string.h>

int mobile_normalise(const char *input, char out[MOBILE_LEN + 1], struct err *e)
{
    char digits[32];
    size_t n = 0;
    for (const char *p = input ? input : ""; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (*p == '+' && p == input && n == 0)
            continue;
        if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
            return err_set(e, 422, "mobile_invalid", "mobile", "请输入正确的11位手机号码");
        digits[n++] = *p;
    }
    digits[n] = '\0';
    const char *d = digits;
    if (n == MOBILE_LEN + 2 && d[0] == '8' && d[1] == '6')
        d += 2, n -= 2;
    if (n != MOBILE_LEN || d[0] != '1' || d[1] < '3')
        return err_set(e, 422, "mobile_invalid", "mobile", "请输入正确的11位手机号码");
    memcpy(out, d, MOBILE_LEN + 1);
    return 0;
}

int mobile_lookup(const struct crypt_key *k, const char *number, char out[CRYPT_LOOKUP_HEX_LEN], struct err *e)
{
    char material[32];
    snprintf(material, sizeof material, "mobile:%s", number);
    if (crypt_lookup_hash(k, material, out) < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    return 0;
}

int mobile_protect(const struct crypt_key *k, const char *input, struct mobile_protected *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (mobile_normalise(input, out->number, e) < 0 || mobile_lookup(k, out->number, out->lookup, e) < 0 ||
        crypt_seal(k, out->number, out->sealed, sizeof out->sealed, e) < 0)
        return -1;
    mask_phone(out->number, out->masked, sizeof out->masked);
    return 0;
}

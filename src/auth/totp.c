/* totp.c — RFC 6238 TOTP over HMAC-SHA-1, base32 and otpauth URIs. */
#include "auth/totp.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/sha1.h"
#include "base/crypt.h"
#include "base/parse.h"

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static uint32_t hotp_value(const uint8_t *key, size_t keylen, uint64_t counter)
{
    uint8_t msg[8], mac[SHA1_DIGEST_LEN];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)counter;
        counter >>= 8;
    }
    sha1_hmac(key, keylen, msg, sizeof msg, mac);
    int off = mac[19] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    sodium_memzero(mac, sizeof mac);
    return bin;
}

static uint32_t pow10u(int d)
{
    uint32_t p = 1;
    while (d-- > 0)
        p *= 10;
    return p;
}

int totp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits, char *out, size_t outsz)
{
    if (digits < 6 || digits > 9 || outsz <= (size_t)digits)
        return -1;
    uint32_t v = hotp_value(key, keylen, counter) % pow10u(digits);
    snprintf(out, outsz, "%0*u", digits, (unsigned)v);
    return 0;
}

int64_t totp_step(int64_t t, int period)
{
    if (t < 0 || period < 1)
        return -1;
    return t / period;
}

int totp_verify_params(const uint8_t *key, size_t keylen, const char *code, int64_t now, int period, int digits,
                       int window, int64_t *matched_step)
{
    if (!code || digits < 6 || digits > 9 || window < 0 || window > 10)
        return -1;
    char given[16];
    int n = 0;
    for (const char *p = code; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9' || n >= digits)
            return -1;
        given[n++] = *p;
    }
    if (n != digits)
        return -1;
    given[n] = 0;
    int64_t step = totp_step(now, period);
    if (step < 0)
        return -1;
    int64_t found = -1;
    for (int64_t s = step - window; s <= step + window; s++) {
        if (s < 0)
            continue;
        char want[16];
        totp_hotp(key, keylen, (uint64_t)s, digits, want, sizeof want);
        /* no early exit: every step in the window is computed and compared */
        int eq = sodium_memcmp(want, given, (size_t)digits) == 0;
        found = eq ? s : found;
    }
    sodium_memzero(given, sizeof given);
    if (found < 0)
        return -1;
    if (matched_step)
        *matched_step = found;
    return 0;
}

int totp_verify(const uint8_t *key, size_t keylen, const char *code, int64_t now, int64_t *matched_step)
{
    return totp_verify_params(key, keylen, code, now, TOTP_PERIOD, TOTP_DIGITS, TOTP_WINDOW, matched_step);
}

int totp_verify_base32(const char *secret_b32, const char *code, int64_t now, int64_t *matched_step)
{
    uint8_t key[128];
    size_t keylen = 0;
    if (!secret_b32 || totp_base32_decode(secret_b32, key, sizeof key, &keylen) < 0 || keylen == 0)
        return -1;
    int rc = totp_verify(key, keylen, code, now, matched_step);
    sodium_memzero(key, sizeof key);
    return rc;
}

size_t totp_base32_len(size_t n, int pad)
{
    size_t chars = pad ? (n + 4) / 5 * 8 : (n * 8 + 4) / 5;
    return chars + 1;
}

int totp_base32_encode(const uint8_t *in, size_t n, int pad, char *out, size_t outsz)
{
    if (n > (SIZE_MAX - 16) / 8 || outsz < totp_base32_len(n, pad)) {
        if (outsz)
            out[0] = 0;
        return -1;
    }
    size_t o = 0;
    uint32_t buf = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        buf = (buf << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = B32[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = B32[(buf << (5 - bits)) & 31];
    if (pad)
        while (o % 8)
            out[o++] = '=';
    out[o] = 0;
    return 0;
}

int totp_base32_decode(const char *in, uint8_t *out, size_t outsz, size_t *outlen)
{
    uint32_t buf = 0;
    int bits = 0;
    size_t o = 0, chars = 0, pads = 0;
    *outlen = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        int v;
        if (c == ' ' || c == '-')
            continue;
        if (c == '=') {
            pads++;
            continue;
        }
        if (pads)
            return -1; /* data after padding */
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else
            return -1;
        chars++;
        buf = (buf << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            if (o >= outsz)
                return -1;
            out[o++] = (uint8_t)(buf >> (bits - 8));
            bits -= 8;
        }
        buf &= (1u << bits) - 1; /* keep only the unread bits */
    }
    /* valid lengths leave 0, 2, 4, 1 or 3 spare bits (chars mod 8 of 0, 2, 4, 5, 7) */
    size_t r = chars % 8;
    if (r == 1 || r == 3 || r == 6)
        return -1;
    if (bits && buf != 0)
        return -1; /* non-canonical: the spare bits must be zero */
    if (pads && (chars + pads) % 8)
        return -1;
    *outlen = o;
    return 0;
}

int totp_new_secret(char out[TOTP_SECRET_TEXT_LEN])
{
    out[0] = 0;
    if (crypt_init() < 0)
        return -1;
    uint8_t raw[TOTP_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    int rc = totp_base32_encode(raw, sizeof raw, 0, out, TOTP_SECRET_TEXT_LEN);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

static int lit(const char *s, char *out, size_t outsz, size_t *o)
{
    size_t n = strlen(s);
    if (*o + n >= outsz)
        return -1;
    memcpy(out + *o, s, n);
    *o += n;
    return 0;
}

int totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out, size_t outsz,
             struct err *e)
{
    if (outsz)
        out[0] = 0;
    if (!issuer || !issuer[0] || !account || !account[0] || !secret_b32 || !secret_b32[0])
        return err_set(e, 500, "totp_uri", "", "生成动态口令绑定链接失败：参数缺失");
    if (strchr(issuer, ':') || strchr(account, ':'))
        return err_set(e, 500, "totp_uri", "", "生成动态口令绑定链接失败：名称不能包含冒号");
    uint8_t probe[128];
    size_t plen;
    if (totp_base32_decode(secret_b32, probe, sizeof probe, &plen) < 0 || plen == 0)
        return err_set(e, 500, "totp_uri", "", "生成动态口令绑定链接失败：密钥无效");
    sodium_memzero(probe, sizeof probe);
    size_t o = 0;
    char tail[64];
    snprintf(tail, sizeof tail, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_PERIOD);
    if (lit("otpauth://totp/", out, outsz, &o) || parse_percent_encode(issuer, out, outsz, &o) || lit(":", out, outsz, &o) ||
        parse_percent_encode(account, out, outsz, &o) || lit("?secret=", out, outsz, &o) || parse_percent_encode(secret_b32, out, outsz, &o) ||
        lit("&issuer=", out, outsz, &o) || parse_percent_encode(issuer, out, outsz, &o) || lit(tail, out, outsz, &o)) {
        if (outsz)
            out[0] = 0;
        return err_set(e, 500, "totp_uri", "", "生成动态口令绑定链接失败：缓冲区不足");
    }
    out[o] = 0;
    return 0;
}

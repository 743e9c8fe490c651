/* sha1.c — SHA-1 (RFC 3174) and HMAC-SHA-1 (RFC 2104) for TOTP. */
#include "auth/sha1.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void compress(uint32_t h[5], const uint8_t b[SHA1_BLOCK_LEN])
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)b[4 * t] << 24 | (uint32_t)b[4 * t + 1] << 16 | (uint32_t)b[4 * t + 2] << 8 |
               (uint32_t)b[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (bb & c) | (~bb & d);
            k = 0x5A827999;
        } else if (t < 40) {
            f = bb ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (t < 60) {
            f = (bb & c) | (bb & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = bb ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t tmp = rol(a, 5) + f + e + w[t] + k;
        e = d;
        d = c;
        c = rol(bb, 30);
        bb = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
    static const uint32_t init[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    memcpy(c->h, init, sizeof init);
    c->length = 0;
    c->used = 0;
}

void sha1_update(struct sha1_ctx *c, const void *data, size_t n)
{
    const uint8_t *p = data;
    c->length += n;
    while (n) {
        size_t take = SHA1_BLOCK_LEN - c->used;
        if (take > n)
            take = n;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used == SHA1_BLOCK_LEN) {
            compress(c->h, c->block);
            c->used = 0;
        }
    }
}

void sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_DIGEST_LEN])
{
    uint64_t bits = c->length * 8;
    c->block[c->used++] = 0x80;
    if (c->used > SHA1_BLOCK_LEN - 8) {
        memset(c->block + c->used, 0, SHA1_BLOCK_LEN - c->used);
        compress(c->h, c->block);
        c->used = 0;
    }
    memset(c->block + c->used, 0, SHA1_BLOCK_LEN - 8 - c->used);
    for (int i = 0; i < 8; i++)
        c->block[SHA1_BLOCK_LEN - 1 - i] = (uint8_t)(bits >> (8 * i));
    compress(c->h, c->block);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
    memset(c, 0, sizeof *c);
}

void sha1_digest(const void *data, size_t n, uint8_t out[SHA1_DIGEST_LEN])
{
    struct sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, data, n);
    sha1_final(&c, out);
}

void sha1_hmac(const void *key, size_t keylen, const void *msg, size_t n, uint8_t out[SHA1_DIGEST_LEN])
{
    uint8_t k[SHA1_BLOCK_LEN] = {0}, pad[SHA1_BLOCK_LEN], inner[SHA1_DIGEST_LEN];
    if (keylen > SHA1_BLOCK_LEN)
        sha1_digest(key, keylen, k);
    else if (keylen)
        memcpy(k, key, keylen);
    struct sha1_ctx c;
    for (int i = 0; i < SHA1_BLOCK_LEN; i++)
        pad[i] = k[i] ^ 0x36;
    sha1_init(&c);
    sha1_update(&c, pad, sizeof pad);
    sha1_update(&c, msg, n);
    sha1_final(&c, inner);
    for (int i = 0; i < SHA1_BLOCK_LEN; i++)
        pad[i] = k[i] ^ 0x5c;
    sha1_init(&c);
    sha1_update(&c, pad, sizeof pad);
    sha1_update(&c, inner, sizeof inner);
    sha1_final(&c, out);
    memset(k, 0, sizeof k);
    memset(pad, 0, sizeof pad);
}

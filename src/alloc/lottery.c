/* lottery.c — lottery numbers from a published seed: Fisher–Yates over the ChaCha20 keystream of
 * randombytes_buf_deterministic, with unbiased bounded draws (rejection). See lottery.h. */
#include "alloc/lottery.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/parse.h"

/* The keystream read 8 bytes at a time. randombytes_buf_deterministic(L, seed) is the first L
 * bytes of one fixed keystream, so when the buffer runs out (only after many rejected draws) it is
 * regenerated twice as long and reading continues at the same position. */
struct stream {
    const unsigned char *seed;
    unsigned char *buf;
    size_t len, pos;
};

static int stream_fill(struct stream *s, size_t len)
{
    unsigned char *nb = realloc(s->buf, len);
    if (!nb)
        return -1;
    s->buf = nb;
    s->len = len;
    randombytes_buf_deterministic(s->buf, len, s->seed);
    return 0;
}

static int stream_word(struct stream *s, uint64_t *w)
{
    if (s->pos + 8 > s->len && stream_fill(s, s->len * 2) < 0)
        return -1;
    const unsigned char *b = s->buf + s->pos;
    *w = (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
         (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
    s->pos += 8;
    return 0;
}

int alloc_lottery(const unsigned char seed[ALLOC_SEED_BYTES], int32_t n, int64_t *lottery, struct err *e)
{
    if (n < 0)
        return err_set(e, 400, "alloc_input", "", "儿童数为负数：%d", (int)n);
    if (n == 0)
        return 0;
    if (sodium_init() < 0)
        return err_set(e, 500, "alloc_sodium", "", "libsodium 初始化失败");
    int32_t *order = malloc((size_t)n * sizeof *order);
    struct stream s = {seed, NULL, 0, 0};
    /* N-1 draws, one word each unless rejected (probability < 2^-32 per draw) */
    if (!order || stream_fill(&s, 8 * ((size_t)n + 64)) < 0) {
        free(order);
        free(s.buf);
        return err_set(e, 500, "alloc_nomem", "", "内存不足");
    }
    for (int32_t i = 0; i < n; i++)
        order[i] = i;
    for (int32_t i = n - 1; i >= 1; i--) {
        uint64_t m = (uint64_t)i + 1;
        uint64_t limit = UINT64_MAX - (UINT64_MAX % m + 1) % m; /* 2^64 - (2^64 mod m) - 1 */
        uint64_t x;
        do {
            if (stream_word(&s, &x) < 0) {
                free(order);
                free(s.buf);
                return err_set(e, 500, "alloc_nomem", "", "内存不足");
            }
        } while (x > limit);
        uint32_t j = (uint32_t)(x % m);
        int32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int32_t k = 0; k < n; k++)
        lottery[order[k]] = (int64_t)k + 1;
    free(order);
    free(s.buf);
    return 0;
}

int alloc_seed_parse(const char *hex, unsigned char seed[ALLOC_SEED_BYTES], struct err *e)
{
    if (!hex)
        return err_set(e, 400, "alloc_seed", "seed", "缺少随机种子");
    while (isspace((unsigned char)*hex))
        hex++;
    size_t n = strlen(hex);
    while (n && isspace((unsigned char)hex[n - 1]))
        n--;
    if (n != 2 * ALLOC_SEED_BYTES)
        return err_set(e, 400, "alloc_seed", "seed", "随机种子须为 64 位十六进制数字（32 字节），实际 %zu 位", n);
    for (size_t i = 0; i < ALLOC_SEED_BYTES; i++) {
        int hi = parse_hex_digit((unsigned char)hex[2 * i]), lo = parse_hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return err_set(e, 400, "alloc_seed", "seed", "随机种子含非十六进制字符（第 %zu 位）",
                           hi < 0 ? 2 * i + 1 : 2 * i + 2);
        seed[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

void alloc_seed_format(const unsigned char seed[ALLOC_SEED_BYTES], char out[2 * ALLOC_SEED_BYTES + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < ALLOC_SEED_BYTES; i++) {
        out[2 * i] = digits[seed[i] >> 4];
        out[2 * i + 1] = digits[seed[i] & 15];
    }
    out[2 * ALLOC_SEED_BYTES] = 0;
}

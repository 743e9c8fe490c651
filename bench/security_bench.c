/* security_bench.c — cost of the security building blocks (issue 2 parts 5 and 9): one
 * Argon2id hash and verify at the default cost (what each login costs), session tokens,
 * sealing and opening a personal field, lookup hashes, TOTP verification, and the ID-number
 * and USCC validators. Prints one line per operation: operations, seconds, per-op time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/token.h"
#include "auth/totp.h"
#include "base/crypt.h"
#include "base/idcard.h"
#include "base/uscc.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *what, long n, double secs)
{
    double per = secs / (double)n;
    if (per >= 1e-3)
        printf("%-34s %8ld ops %8.3f s %10.2f ms/op\n", what, n, secs, per * 1e3);
    else
        printf("%-34s %8ld ops %8.3f s %10.3f us/op\n", what, n, secs, per * 1e6);
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? atol(argv[1]) : 1;
    if (scale < 1)
        scale = 1;
    struct err e = {0};
    volatile int sink = 0;
    char hash[PASSWORD_HASH_LEN];

    long n = 10 * scale;
    double t = now_s();
    for (long i = 0; i < n; i++)
        sink += password_hash("Ouhai-demo-2023", hash, sizeof hash, &e);
    report("password_hash (argon2id t=2 19MiB)", n, now_s() - t);
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += password_verify(hash, "Ouhai-demo-2023");
    report("password_verify", n, now_s() - t);

    n = 100000 * scale;
    char tok[TOKEN_TEXT_LEN], th[TOKEN_HASH_LEN];
    t = now_s();
    for (long i = 0; i < n; i++) {
        token_new(tok);
        token_hash(tok, th);
    }
    report("token_new + token_hash", n, now_s() - t);

    struct crypt_key k;
    for (int i = 0; i < CRYPT_KEY_BYTES; i++)
        k.enc[i] = k.lookup[i] = (unsigned char)i;
    char sealed[256], plain[64], lh[CRYPT_LOOKUP_HEX_LEN];
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += crypt_seal(&k, "11010519491231002X", sealed, sizeof sealed, &e);
    report("crypt_seal (18-byte field)", n, now_s() - t);
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += crypt_open(&k, sealed, plain, sizeof plain, &e);
    report("crypt_open", n, now_s() - t);
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += crypt_lookup_hash(&k, "11010519491231002X", lh);
    report("crypt_lookup_hash", n, now_s() - t);

    int64_t step;
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += totp_verify_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "000000", 1111111109, &step);
    report("totp_verify_base32 (3 steps, miss)", n, now_s() - t);

    n = 1000000 * scale;
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += idcard_validate("11010519491231002X", "2026-03-01", NULL, &e);
    report("idcard_validate", n, now_s() - t);
    t = now_s();
    for (long i = 0; i < n; i++)
        sink += uscc_validate("91350100M000100Y43", &e);
    report("uscc_validate", n, now_s() - t);
    printf("checksum %d\n", sink);
    return 0;
}

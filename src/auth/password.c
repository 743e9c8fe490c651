/* password.c — Argon2id password hashes through libsodium, and the password policy. */
#include "auth/password.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/crypt.h"

/* made once with crypto_pwhash_str_alg(t=2, m=19 MiB) from 24 random bytes that were thrown away */
static const char DUMMY_HASH[] =
    "$argon2id$v=19$m=19456,t=2,p=1$NnqqvAF+HoSX/83uGrNKfw$lJ9vDk2+x690rC810ZP5I2bE0Q9KCYQ4VZuFnatwwEw";

const char *password_dummy_hash(void) { return DUMMY_HASH; }

static struct password_cost effective(const struct password_cost *c)
{
    struct password_cost r = {PASSWORD_DEFAULT_OPSLIMIT, PASSWORD_DEFAULT_MEMLIMIT};
    if (c) {
        if (c->opslimit > r.opslimit)
            r.opslimit = c->opslimit;
        if (c->memlimit > r.memlimit)
            r.memlimit = c->memlimit;
    }
    return r;
}

int password_hash_cost(const char *password, const struct password_cost *cost, char *out, size_t outsz,
                       struct err *e)
{
    if (outsz)
        out[0] = 0;
    if (crypt_init() < 0)
        return err_set(e, 500, "password_hash", "", "加密库初始化失败");
    if (!password)
        return err_set(e, 422, "password_required", "password", "请输入密码");
    size_t n = strlen(password);
    if (n > PASSWORD_MAX_BYTES)
        return err_set(e, 422, "password_too_long", "password", "密码过长");
    if (outsz < crypto_pwhash_STRBYTES)
        return err_set(e, 500, "password_hash", "", "口令散列缓冲区不足");
    struct password_cost c = effective(cost);
    if (crypto_pwhash_str_alg(out, password, n, c.opslimit, c.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = 0;
        return err_set(e, 500, "password_hash", "", "口令散列失败（内存不足）");
    }
    return 0;
}

int password_hash(const char *password, char *out, size_t outsz, struct err *e)
{
    return password_hash_cost(password, NULL, out, outsz, e);
}

int password_verify(const char *hash, const char *password)
{
    if (!hash || !password || crypt_init() < 0)
        return -1;
    size_t n = strlen(password);
    if (n > PASSWORD_MAX_BYTES || strncmp(hash, "$argon2id$", 10) != 0 || strlen(hash) >= crypto_pwhash_STRBYTES)
        return -1;
    return crypto_pwhash_str_verify(hash, password, n) == 0 ? 0 : -1;
}

int password_needs_rehash(const char *hash, const struct password_cost *cost)
{
    if (!hash || strncmp(hash, "$argon2id$", 10) != 0 || strlen(hash) >= crypto_pwhash_STRBYTES)
        return 1;
    struct password_cost c = effective(cost);
    return crypto_pwhash_str_needs_rehash(hash, c.opslimit, c.memlimit) != 0;
}

/* the most common passwords that would pass the class rule (compared ignoring case) */
static const char *const COMMON[] = {
    "password123", "password1234", "password12", "passw0rd123", "p@ssw0rd123", "p@ssword123", "a123456789",
    "a1234567890", "aa123456789", "abc1234567", "abc12345678", "abc123456789", "abcd123456", "abcd1234567",
    "qwerty12345", "qwerty123456", "qwer123456", "qwe1234567", "1qaz2wsx3edc", "1q2w3e4r5t", "1q2w3e4r5t6y",
    "woaini1314", "woaini520", "admin12345", "admin123456", "administrator1", "zxcvbnm123", "iloveyou123",
    "123456789a", "1234567890a", "12345678ab", "123456abc", "123qwe123qwe", "abc123abc123",
};

int password_policy_check(const char *password, int min_length, struct err *e)
{
    const char *F = "password";
    if (!password || !password[0])
        return err_set(e, 422, "password_required", F, "请输入密码");
    if (min_length < 1)
        min_length = 1;
    size_t bytes = strlen(password);
    int chars = 0, upper = 0, lower = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            chars++;
        if (*p < 0x20 || *p == 0x7f)
            return err_set(e, 422, "password_chars", F, "密码不能包含控制字符");
        if (*p >= 'A' && *p <= 'Z')
            upper = 1;
        else if (*p >= 'a' && *p <= 'z')
            lower = 1;
        else if (*p >= '0' && *p <= '9')
            digit = 1;
        else
            other = 1;
    }
    if (bytes > PASSWORD_MAX_BYTES || chars > 128)
        return err_set(e, 422, "password_too_long", F, "密码不能超过128个字符");
    if (chars < min_length)
        return err_set(e, 422, "password_too_short", F, "密码至少需要%d个字符", min_length);
    if (upper + lower + digit + other < 2)
        return err_set(e, 422, "password_too_simple", F, "密码须包含大写字母、小写字母、数字、符号中的至少两类");
    for (size_t i = 0; i < sizeof COMMON / sizeof COMMON[0]; i++)
        if (strcasecmp(password, COMMON[i]) == 0)
            return err_set(e, 422, "password_common", F, "该密码过于常见，容易被猜中，请换一个");
    return 0;
}

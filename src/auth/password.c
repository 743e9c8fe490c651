/* password.c — Argon2id password hashes through libsodium, and the password policy. */
#include "auth/password.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

/* ASCII lower case of s into out (outsz > strlen(s)); other bytes unchanged */
static void lower_ascii(const char *s, char *out, size_t outsz)
{
    size_t i = 0;
    for (; s[i] && i + 1 < outsz; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    out[i] = 0;
}

int password_is_common(const char *password)
{
    char low[PASSWORD_MAX_BYTES + 1];
    if (!password || strlen(password) > PASSWORD_MAX_BYTES)
        return 0;
    lower_ascii(password, low, sizeof low);
    size_t lo = 0, hi = password_common_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(password_common_list[mid], low);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* 1 when password contains login, ignoring ASCII case */
static int contains_login(const char *password, const char *login)
{
    char pw[PASSWORD_MAX_BYTES + 1], lg[128];
    if (!login || !login[0] || strlen(login) >= sizeof lg)
        return 0;
    lower_ascii(password, pw, sizeof pw);
    lower_ascii(login, lg, sizeof lg);
    return strstr(pw, lg) != NULL;
}

int password_policy_check(const char *password, const char *login, int min_length, struct err *e)
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
    if (contains_login(password, login))
        return err_set(e, 422, "password_contains_login", F, "密码不能包含账号名");
    if (password_is_common(password))
        return err_set(e, 422, "password_common", F, "该密码属于常见密码，容易被猜中，请换一个");
    return 0;
}

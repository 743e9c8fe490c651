/* crypt.c — key file, sealed fields, lookup hashes and masking (see crypt.h). */
#include "base/crypt.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"

#define KEY_MAGIC "tuoyu-key v1\n"
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64 sodium_base64_VARIANT_ORIGINAL
static const unsigned char AD[] = "v1";
#define AD_LEN 2

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = -1; /* written once under init_once, read-only afterwards */

static void do_init(void) { init_rc = sodium_init() < 0 ? -1 : 0; }

int crypt_init(void)
{
    pthread_once(&init_once, do_init);
    return init_rc;
}

void crypt_key_wipe(struct crypt_key *k)
{
    if (k)
        sodium_memzero(k, sizeof *k);
}

/* ---- key file ---- */

static int key_err(struct err *e, const char *fmt, const char *path, const char *detail)
{
    return err_set(e, 500, "key_file", "", fmt, path, detail);
}

static int parse_key(const char *text, size_t len, struct crypt_key *out)
{
    size_t m = strlen(KEY_MAGIC);
    if (len < m + 128 || memcmp(text, KEY_MAGIC, m) != 0)
        return -1;
    const char *hex = text + m;
    size_t rest = len - m;
    if (!(rest == 128 || (rest == 129 && hex[128] == '\n')))
        return -1;
    unsigned char bin[2 * CRYPT_KEY_BYTES];
    size_t got = 0;
    const char *end = NULL;
    if (sodium_hex2bin(bin, sizeof bin, hex, 128, NULL, &got, &end) != 0 || got != sizeof bin || end != hex + 128) {
        sodium_memzero(bin, sizeof bin);
        return -1;
    }
    memcpy(out->enc, bin, CRYPT_KEY_BYTES);
    memcpy(out->lookup, bin + CRYPT_KEY_BYTES, CRYPT_KEY_BYTES);
    sodium_memzero(bin, sizeof bin);
    return 0;
}

static int load_key(int fd, const char *path, struct crypt_key *out, struct err *e)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return key_err(e, "无法读取密钥文件 %s：%s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return key_err(e, "密钥文件 %s 不是普通文件%s", path, "");
    if (st.st_mode & 077) {
        char mode[16];
        snprintf(mode, sizeof mode, "%03o", (unsigned)(st.st_mode & 0777));
        return err_set(e, 500, "key_file", "", "密钥文件 %s 的权限为 %s，组或其他用户可以访问，拒绝使用；请执行 chmod 600 %s",
                       path, mode, path);
    }
    char buf[256];
    ssize_t len = fileio_pread_full(fd, buf, sizeof buf, 0);
    if (len < 0) {
        sodium_memzero(buf, sizeof buf);
        return key_err(e, "无法读取密钥文件 %s：%s", path, strerror(errno));
    }
    int rc = parse_key(buf, (size_t)len, out);
    sodium_memzero(buf, sizeof buf);
    if (rc < 0)
        return key_err(e, "密钥文件 %s 格式无效%s（应为 tuoyu-key v1 与128位十六进制数字）", path, "");
    return 0;
}

/* fsync the folder holding path, so the new name survives a crash */
static void sync_dir(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    fileio_sync_dir(dir);
}

/* Write the two keys in bin as a new key file at path. 0 written, 1 a file exists there already
 * (nothing written), -1 error. */
static int write_key_file(const char *path, const unsigned char bin[2 * CRYPT_KEY_BYTES], struct err *e)
{
    char text[sizeof KEY_MAGIC + 4 * CRYPT_KEY_BYTES + 2];
    size_t m = strlen(KEY_MAGIC);
    memcpy(text, KEY_MAGIC, m);
    sodium_bin2hex(text + m, sizeof text - m, bin, 2 * CRYPT_KEY_BYTES);
    size_t len = m + 4 * CRYPT_KEY_BYTES;
    text[len++] = '\n';

    char tmp[4200];
    unsigned char rnd[8];
    char rnd_hex[17];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(rnd_hex, sizeof rnd_hex, rnd, sizeof rnd);
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, rnd_hex) >= sizeof tmp) {
        sodium_memzero(text, sizeof text);
        return key_err(e, "密钥文件路径过长：%s%s", path, "");
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        sodium_memzero(text, sizeof text);
        return key_err(e, "无法创建密钥文件 %s：%s", path, strerror(errno));
    }
    int ok = fchmod(fd, 0600) == 0 && fileio_write_all(fd, text, len) == 0 && fsync(fd) == 0;
    int saved = errno;
    sodium_memzero(text, sizeof text);
    if (close(fd) < 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        return key_err(e, "无法写入密钥文件 %s：%s", path, strerror(saved));
    }
    /* link() never replaces an existing file: whoever links first wins */
    int rc = link(tmp, path);
    saved = errno;
    if (rc < 0 && (saved == EPERM || saved == EOPNOTSUPP || saved == ENOSYS)) {
        /* no hard links here (some network or FUSE file systems): rename, which is atomic but
         * may replace; the O_EXCL probe below narrows the window to a simultaneous start */
        int probe = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (probe < 0) {
            saved = errno;
            rc = -1;
        } else {
            close(probe);
            rc = rename(tmp, path);
            saved = errno;
        }
    }
    unlink(tmp);
    if (rc < 0) {
        if (saved == EEXIST)
            return 1;
        return key_err(e, "无法创建密钥文件 %s：%s", path, strerror(saved));
    }
    sync_dir(path);
    return 0;
}

/* Create path with fresh keys. 0 created, 1 someone else created it first, -1 error. */
static int create_key(const char *path, struct crypt_key *out, struct err *e)
{
    unsigned char bin[2 * CRYPT_KEY_BYTES];
    randombytes_buf(bin, sizeof bin);
    memcpy(out->enc, bin, CRYPT_KEY_BYTES);
    memcpy(out->lookup, bin + CRYPT_KEY_BYTES, CRYPT_KEY_BYTES);
    int rc = write_key_file(path, bin, e);
    sodium_memzero(bin, sizeof bin);
    if (rc != 0)
        crypt_key_wipe(out);
    return rc;
}

int crypt_load_key(const char *path, struct crypt_key *out, struct err *e)
{
    if (crypt_init() < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    if (!path || !path[0])
        return key_err(e, "未指定密钥文件路径%s%s", "", "");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 1 : key_err(e, "无法打开密钥文件 %s：%s", path, strerror(errno));
    int rc = load_key(fd, path, out, e);
    close(fd);
    return rc;
}

int crypt_load_or_create_key(const char *path, struct crypt_key *out, struct err *e)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        int rc = crypt_load_key(path, out, e);
        if (rc <= 0)
            return rc;
        rc = create_key(path, out, e);
        if (rc <= 0)
            return rc;
        /* another process created it meanwhile: load theirs */
    }
    return key_err(e, "无法打开密钥文件 %s%s", path, "");
}

int crypt_save_key(const char *path, const struct crypt_key *k, struct err *e)
{
    if (crypt_init() < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    unsigned char bin[2 * CRYPT_KEY_BYTES];
    memcpy(bin, k->enc, CRYPT_KEY_BYTES);
    memcpy(bin + CRYPT_KEY_BYTES, k->lookup, CRYPT_KEY_BYTES);
    int rc = write_key_file(path, bin, e);
    sodium_memzero(bin, sizeof bin);
    if (rc == 1)
        return err_set(e, 409, "key_exists", "key", "密钥文件已存在，不会覆盖：%s", path);
    return rc;
}

int crypt_key_check(const struct crypt_key *k, struct crypt_key_check *out)
{
    static const char label[] = "key_check:v1"; /* a use prefix, like "csrf:" and "resident_id:" */
    out->enc[0] = out->lookup[0] = 0;
    if (crypt_init() < 0)
        return -1;
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)label, sizeof label - 1, k->enc, sizeof k->enc);
    sodium_bin2hex(out->enc, sizeof out->enc, h, sizeof h);
    crypto_generichash(h, sizeof h, (const unsigned char *)label, sizeof label - 1, k->lookup, sizeof k->lookup);
    sodium_bin2hex(out->lookup, sizeof out->lookup, h, sizeof h);
    return 0;
}

/* ---- sealing ---- */

size_t crypt_sealed_size(size_t plain_len)
{
    if (plain_len > (SIZE_MAX / 4) * 3 - 64)
        return SIZE_MAX;
    return strlen(CRYPT_PREFIX) + sodium_base64_ENCODED_LEN(NONCE_BYTES + plain_len + TAG_BYTES, B64);
}

int crypt_seal(const struct crypt_key *k, const char *plain, char *out, size_t outsz, struct err *e)
{
    if (outsz)
        out[0] = 0;
    if (crypt_init() < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    size_t n = strlen(plain);
    size_t need = crypt_sealed_size(n);
    if (need == SIZE_MAX || outsz < need)
        return err_set(e, 500, "crypt", "", "加密输出缓冲区不足");
    size_t blen = NONCE_BYTES + n + TAG_BYTES;
    /* nonce and ciphertext are not secret: plain memory (sodium_malloc costs an mmap per call) */
    unsigned char small[512];
    unsigned char *bin = blen <= sizeof small ? small : malloc(blen);
    if (!bin)
        return err_set(e, 500, "oom", "", "内存不足");
    randombytes_buf(bin, NONCE_BYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(bin + NONCE_BYTES, &clen, (const unsigned char *)plain, n, AD, AD_LEN,
                                               NULL, bin, k->enc);
    size_t p = strlen(CRYPT_PREFIX);
    memcpy(out, CRYPT_PREFIX, p);
    sodium_bin2base64(out + p, outsz - p, bin, blen, B64);
    if (bin != small)
        free(bin);
    return 0;
}

int crypt_open(const struct crypt_key *k, const char *sealed, char *out, size_t outsz, struct err *e)
{
    if (outsz)
        out[0] = 0;
    if (crypt_init() < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    const char *msg = "加密数据无法解密（已损坏、被篡改或密钥不符）";
    size_t p = strlen(CRYPT_PREFIX);
    if (!sealed || strncmp(sealed, CRYPT_PREFIX, p) != 0)
        return err_set(e, 500, "crypt_open", "", "%s", msg);
    const char *b64 = sealed + p;
    size_t b64len = strlen(b64);
    size_t maxbin = b64len / 4 * 3 + 3;
    if (maxbin < NONCE_BYTES + TAG_BYTES)
        return err_set(e, 500, "crypt_open", "", "%s", msg);
    unsigned char small[512];
    unsigned char *bin = maxbin <= sizeof small ? small : malloc(maxbin);
    if (!bin)
        return err_set(e, 500, "oom", "", "内存不足");
    size_t blen = 0;
    const char *end = NULL;
    if (sodium_base642bin(bin, maxbin, b64, b64len, NULL, &blen, &end, B64) != 0 || end != b64 + b64len ||
        blen < NONCE_BYTES + TAG_BYTES) {
        if (bin != small)
            free(bin);
        return err_set(e, 500, "crypt_open", "", "%s", msg);
    }
    size_t plen = blen - NONCE_BYTES - TAG_BYTES;
    if (plen + 1 > outsz) {
        if (bin != small)
            free(bin);
        return err_set(e, 500, "crypt_open", "", "解密输出缓冲区不足");
    }
    unsigned long long mlen = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, &mlen, NULL, bin + NONCE_BYTES,
                                                        blen - NONCE_BYTES, AD, AD_LEN, bin, k->enc);
    if (bin != small)
        free(bin);
    if (rc != 0 || memchr(out, 0, (size_t)mlen)) {
        sodium_memzero(out, outsz);
        return err_set(e, 500, "crypt_open", "", "%s", msg);
    }
    out[mlen] = 0;
    return 0;
}

int crypt_lookup_hash(const struct crypt_key *k, const char *value, char out[CRYPT_LOOKUP_HEX_LEN])
{
    out[0] = 0;
    if (crypt_init() < 0)
        return -1;
    unsigned char h[32];
    const char *v = value ? value : "";
    crypto_generichash(h, sizeof h, (const unsigned char *)v, strlen(v), k->lookup, sizeof k->lookup);
    sodium_bin2hex(out, CRYPT_LOOKUP_HEX_LEN, h, sizeof h);
    return 0;
}

/* ---- resident ID numbers ---- */

static int id_lookup(const struct crypt_key *k, const char *number, char out[CRYPT_LOOKUP_HEX_LEN])
{
    char material[32];
    snprintf(material, sizeof material, "id_number:%s", number);
    int rc = crypt_lookup_hash(k, material, out);
    sodium_memzero(material, sizeof material);
    return rc;
}

int crypt_protect_id_number(const struct crypt_key *k, const char *input, const char *today,
                            struct crypt_protected_id *out, struct err *e)
{
    struct idcard_info info;
    memset(out, 0, sizeof *out);
    if (idcard_validate(input, today, &info, e) < 0)
        return -1;
    int rc = crypt_seal(k, info.number, out->sealed, sizeof out->sealed, e);
    if (rc == 0 && id_lookup(k, info.number, out->lookup) < 0)
        rc = err_set(e, 500, "crypt", "", "加密库初始化失败");
    if (rc == 0) {
        mask_id_number(info.number, out->masked, sizeof out->masked);
        memcpy(out->birth_date, info.birth_date, sizeof out->birth_date);
        out->sex = info.sex;
    } else {
        memset(out, 0, sizeof *out);
    }
    sodium_memzero(&info, sizeof info);
    return rc;
}

int crypt_id_number_lookup(const struct crypt_key *k, const char *input, char out[CRYPT_LOOKUP_HEX_LEN],
                           struct err *e)
{
    struct idcard_info info;
    out[0] = 0;
    if (idcard_validate(input, NULL, &info, e) < 0)
        return -1;
    int rc = id_lookup(k, info.number, out);
    sodium_memzero(&info, sizeof info);
    return rc < 0 ? err_set(e, 500, "crypt", "", "加密库初始化失败") : 0;
}

/* ---- masking ---- */

/* byte length of the UTF-8 character starting at s (1 for a stray or truncated byte) */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s += char_len(s))
        n++;
    return n;
}

/* keep the first `front` and last `back` characters of s, one '*' for each other */
static int mask_keep(const char *s, size_t front, size_t back, char *out, size_t n)
{
    if (!out || n == 0)
        return -1;
    out[0] = 0;
    if (!s)
        return 0;
    size_t total = count_chars(s), used = 0, i = 0;
    for (const char *p = s; *p; i++) {
        size_t cl = char_len(p);
        int keep = i < front || i + back >= total;
        size_t w = keep ? cl : 1;
        if (used + w + 1 > n) {
            out[used] = 0;
            return -1;
        }
        if (keep)
            memcpy(out + used, p, cl);
        else
            out[used] = '*';
        used += w;
        p += cl;
    }
    out[used] = 0;
    return 0;
}

int mask_id_number(const char *s, char *out, size_t n)
{
    size_t k = s ? count_chars(s) : 0;
    if (k >= 11)
        return mask_keep(s, 6, 4, out, n);
    if (k >= 3)
        return mask_keep(s, 1, 2, out, n);
    return mask_keep(s, 0, 0, out, n);
}

int mask_phone(const char *s, char *out, size_t n)
{
    size_t k = s ? count_chars(s) : 0;
    return k >= 7 ? mask_keep(s, 3, 4, out, n) : mask_keep(s, 0, 0, out, n);
}

/* Where a closing bracketed note of name s starts ("（…）" or "(…)" at the end, after a name), or
 * NULL. */
static const char *name_note(const char *s)
{
    size_t len = strlen(s);
    const char *open = NULL;
    if (len >= 3 && strcmp(s + len - 3, "\xef\xbc\x89") == 0) /* "）" */
        for (const char *p = strstr(s, "\xef\xbc\x88"); p; p = strstr(p + 3, "\xef\xbc\x88"))
            open = p;
    else if (len >= 1 && s[len - 1] == ')')
        open = strrchr(s, '(');
    return open && open > s ? open : NULL;
}

int mask_name(const char *s, char *out, size_t n)
{
    const char *note = s ? name_note(s) : NULL;
    if (note) {
        size_t name_len = (size_t)(note - s);
        char *name = malloc(name_len + 1);
        if (!name)
            return n ? (out[0] = 0, -1) : -1;
        memcpy(name, s, name_len);
        name[name_len] = 0;
        while (name_len && name[name_len - 1] == ' ')
            name[--name_len] = 0; /* "Li (demo)": the space belongs to the note */
        int rc = name_len ? mask_name(name, out, n) : -1;
        free(name);
        if (rc == 0 && strlen(out) + strlen(s + name_len) + 1 <= n) {
            strcat(out, s + name_len);
            return 0;
        }
        if (name_len)
            return -1;
    }
    size_t k = s ? count_chars(s) : 0;
    if (k >= 3)
        return mask_keep(s, 1, 1, out, n);
    if (k == 2)
        return mask_keep(s, 1, 0, out, n);
    return mask_keep(s, 0, 0, out, n);
}

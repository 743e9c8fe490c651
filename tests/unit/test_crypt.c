/* test_crypt.c — personal-data protection: the key file (created 0600 with two distinct keys,
 * reloaded identically, refused when group/others may read it or when malformed, saved for a
 * backup without replacing a file), the key check value, sealing round trips with fresh
 * nonces, tampering and wrong keys refused, lookup hashes keyed and deterministic, and the
 * UTF-8-aware masks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/crypt.h"
#include "base/mobile.h"

struct dir {
    char path[256];
    char key[300];
};

static int setup(void **state)
{
    struct dir *d = calloc(1, sizeof *d);
    snprintf(d->path, sizeof d->path, "/tmp/tuoyu-test-crypt-XXXXXX");
    if (!mkdtemp(d->path))
        return -1;
    snprintf(d->key, sizeof d->key, "%s/tuoyu.key", d->path);
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct dir *d = *state;
    unlink(d->key);
    rmdir(d->path);
    free(d);
    return 0;
}

static void key_file_created_0600_and_reloaded(void **state)
{
    struct dir *d = *state;
    struct crypt_key k1, k2;
    struct err e = {0};
    assert_int_equal(crypt_load_or_create_key(d->key, &k1, &e), 0);
    struct stat st;
    assert_int_equal(stat(d->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_size, 13 + 128 + 1);
    assert_memory_not_equal(k1.enc, k1.lookup, CRYPT_KEY_BYTES);
    static const unsigned char zero[CRYPT_KEY_BYTES];
    assert_memory_not_equal(k1.enc, zero, CRYPT_KEY_BYTES);
    assert_int_equal(crypt_load_or_create_key(d->key, &k2, &e), 0);
    assert_memory_equal(&k1, &k2, sizeof k1);
    /* no temporary file is left beside it */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", d->path);
    assert_int_equal(system(cmd), 0);
    crypt_key_wipe(&k2);
    assert_memory_equal(k2.enc, zero, CRYPT_KEY_BYTES);
}

static void key_file_refused_when_others_may_read(void **state)
{
    struct dir *d = *state;
    struct crypt_key k;
    struct err e = {0};
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), 0);
    assert_int_equal(chmod(d->key, 0640), 0);
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), -1);
    assert_string_equal(e.code, "key_file");
    assert_non_null(strstr(e.message, "chmod 600"));
    assert_int_equal(chmod(d->key, 0604), 0);
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), -1);
    assert_int_equal(chmod(d->key, 0400), 0);
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), 0);
}

static void key_file_malformed_or_missing_folder(void **state)
{
    struct dir *d = *state;
    struct crypt_key k;
    struct err e = {0};
    FILE *f = fopen(d->key, "w");
    assert_non_null(f);
    fputs("tuoyu-key v1\n0123\n", f);
    fclose(f);
    assert_int_equal(chmod(d->key, 0600), 0);
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), -1);
    assert_string_equal(e.code, "key_file");
    assert_non_null(strstr(e.message, "格式无效"));
    /* 128 characters that are not all hex */
    f = fopen(d->key, "w");
    fputs("tuoyu-key v1\n", f);
    for (int i = 0; i < 127; i++)
        fputc('a', f);
    fputs("g\n", f);
    fclose(f);
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), -1);
    unlink(d->key);
    /* a folder as key file */
    assert_int_equal(mkdir(d->key, 0700), 0);
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), -1);
    assert_string_equal(e.code, "key_file");
    rmdir(d->key);
    char missing[400];
    snprintf(missing, sizeof missing, "%s/no/such/dir/key", d->path);
    assert_int_equal(crypt_load_or_create_key(missing, &k, &e), -1);
    assert_string_equal(e.code, "key_file");
    assert_int_equal(crypt_load_or_create_key("", &k, &e), -1);
}

static void fixed_key(struct crypt_key *k, unsigned char seed)
{
    for (int i = 0; i < CRYPT_KEY_BYTES; i++) {
        k->enc[i] = (unsigned char)(seed + i);
        k->lookup[i] = (unsigned char)(seed * 7 + i);
    }
}

/* loading tells a missing file apart; a saved key reloads equal and never replaces a file */
static void key_file_load_and_save(void **state)
{
    struct dir *d = *state;
    struct crypt_key k, back;
    struct err e = {0};
    assert_int_equal(crypt_load_key(d->key, &k, &e), 1);
    assert_int_equal(access(d->key, F_OK), -1); /* loading never creates */
    fixed_key(&k, 3);
    mode_t old = umask(022);
    assert_int_equal(crypt_save_key(d->key, &k, &e), 0);
    umask(old);
    struct stat st;
    assert_int_equal(stat(d->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(crypt_load_key(d->key, &back, &e), 0);
    assert_memory_equal(&k, &back, sizeof k);
    fixed_key(&back, 4);
    assert_int_equal(crypt_save_key(d->key, &back, &e), -1);
    assert_string_equal(e.code, "key_exists");
    assert_int_equal(crypt_load_key(d->key, &back, &e), 0);
    assert_memory_equal(&k, &back, sizeof k); /* the first key is still there */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", d->path); /* no temporary left */
    assert_int_equal(system(cmd), 0);
}

/* the check value: 64 hex digits per key, fixed for a key, changed by either key, not the key */
static void key_check_value(void **state)
{
    (void)state;
    struct crypt_key a, b;
    struct crypt_key_check ca, ca2, cb;
    fixed_key(&a, 1);
    assert_int_equal(crypt_key_check(&a, &ca), 0);
    assert_int_equal(strlen(ca.enc), 64);
    assert_int_equal(strlen(ca.lookup), 64);
    assert_int_equal(crypt_key_check(&a, &ca2), 0);
    assert_string_equal(ca.enc, ca2.enc);
    assert_string_equal(ca.lookup, ca2.lookup);
    assert_string_not_equal(ca.enc, ca.lookup);
    b = a;
    b.lookup[0] ^= 1;
    assert_int_equal(crypt_key_check(&b, &cb), 0);
    assert_string_equal(ca.enc, cb.enc);
    assert_string_not_equal(ca.lookup, cb.lookup);
    b = a;
    b.enc[31] ^= 0x80;
    assert_int_equal(crypt_key_check(&b, &cb), 0);
    assert_string_not_equal(ca.enc, cb.enc);
    assert_string_equal(ca.lookup, cb.lookup);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", a.enc[i]);
    assert_string_not_equal(ca.enc, hex);
    /* the lookup half is the lookup hash of "key_check:v1", so no other lookup use can produce it */
    char lookup[CRYPT_LOOKUP_HEX_LEN];
    assert_int_equal(crypt_lookup_hash(&a, "key_check:v1", lookup), 0);
    assert_string_equal(ca.lookup, lookup);
}

static void seal_and_open(void **state)
{
    (void)state;
    struct crypt_key k;
    fixed_key(&k, 1);
    const char *plain = "11010519491231002X 张三 中文";
    char s1[256], s2[256], out[256];
    struct err e = {0};
    assert_true(crypt_sealed_size(strlen(plain)) <= sizeof s1);
    assert_int_equal(crypt_seal(&k, plain, s1, sizeof s1, &e), 0);
    assert_int_equal(crypt_seal(&k, plain, s2, sizeof s2, &e), 0);
    assert_memory_equal(s1, "v1:", 3);
    assert_string_not_equal(s1, s2); /* fresh nonce each time */
    assert_null(strstr(s1, "1101"));
    assert_int_equal(strlen(s1) + 1, crypt_sealed_size(strlen(plain)));
    assert_int_equal(crypt_open(&k, s1, out, sizeof out, &e), 0);
    assert_string_equal(out, plain);
    assert_int_equal(crypt_open(&k, s2, out, sizeof out, &e), 0);
    assert_string_equal(out, plain);
    /* the empty string */
    assert_int_equal(crypt_seal(&k, "", s1, sizeof s1, &e), 0);
    assert_int_equal(crypt_open(&k, s1, out, sizeof out, &e), 0);
    assert_string_equal(out, "");
    /* buffers too small */
    assert_int_equal(crypt_seal(&k, plain, s1, 20, &e), -1);
    assert_int_equal(crypt_seal(&k, plain, s1, sizeof s1, &e), 0);
    assert_int_equal(crypt_open(&k, s1, out, strlen(plain), &e), -1);
    assert_string_equal(out, "");
    assert_int_equal(crypt_open(&k, s1, out, strlen(plain) + 1, &e), 0);
}

static void tamper_and_wrong_key_refused(void **state)
{
    (void)state;
    struct crypt_key k, other;
    fixed_key(&k, 1);
    fixed_key(&other, 2);
    char s[256], t[300], out[256];
    struct err e = {0};
    assert_int_equal(crypt_seal(&k, "13812341234", s, sizeof s, &e), 0);
    assert_int_equal(crypt_open(&other, s, out, sizeof out, &e), -1);
    assert_string_equal(e.code, "crypt_open");
    assert_string_equal(out, "");
    /* flip each base64 character in turn */
    size_t n = strlen(s);
    for (size_t i = 3; i < n; i++) {
        if (s[i] == '=')
            continue;
        memcpy(t, s, n + 1);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_int_equal(crypt_open(&k, t, out, sizeof out, &e), -1);
    }
    memcpy(t, s, n + 1);
    t[1] = '2'; /* version */
    assert_int_equal(crypt_open(&k, t, out, sizeof out, &e), -1);
    memcpy(t, s, n + 1);
    t[n - 6] = 0; /* truncated */
    assert_int_equal(crypt_open(&k, t, out, sizeof out, &e), -1);
    assert_int_equal(crypt_open(&k, "v1:", out, sizeof out, &e), -1);
    assert_int_equal(crypt_open(&k, "v1:!!!!", out, sizeof out, &e), -1);
    assert_int_equal(crypt_open(&k, "13812341234", out, sizeof out, &e), -1);
    assert_int_equal(crypt_open(&k, NULL, out, sizeof out, &e), -1);
    snprintf(t, sizeof t, "%s ", s); /* trailing garbage */
    assert_int_equal(crypt_open(&k, t, out, sizeof out, &e), -1);
    assert_non_null(strstr(e.message, "无法解密"));
}

static void lookup_hash(void **state)
{
    (void)state;
    struct crypt_key k, other;
    fixed_key(&k, 1);
    fixed_key(&other, 2);
    char a[CRYPT_LOOKUP_HEX_LEN], b[CRYPT_LOOKUP_HEX_LEN], c[CRYPT_LOOKUP_HEX_LEN];
    assert_int_equal(crypt_lookup_hash(&k, "11010519491231002X", a), 0);
    assert_int_equal(crypt_lookup_hash(&k, "11010519491231002X", b), 0);
    assert_int_equal(strlen(a), 64);
    assert_string_equal(a, b);
    assert_int_equal(crypt_lookup_hash(&other, "11010519491231002X", c), 0);
    assert_string_not_equal(a, c);
    assert_int_equal(crypt_lookup_hash(&k, "11010519491231002x", c), 0);
    assert_string_not_equal(a, c);
    for (int i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", a[i]));
}

static void protect_id_number(void **state)
{
    (void)state;
    struct crypt_key k;
    fixed_key(&k, 1);
    struct crypt_protected_id p;
    struct err e = {0};
    assert_int_equal(crypt_sealed_size(18), CRYPT_SEALED_ID_LEN);
    assert_int_equal(crypt_protect_id_number(&k, " 11010519491231002x", "2026-03-01", &p, &e), 0);
    assert_string_equal(p.masked, "110105********002X");
    assert_string_equal(p.birth_date, "1949-12-31");
    assert_int_equal(p.sex, IDCARD_FEMALE);
    char out[64];
    assert_int_equal(crypt_open(&k, p.sealed, out, sizeof out, &e), 0);
    assert_string_equal(out, "11010519491231002X"); /* normalised before sealing */
    /* searching with the number as typed finds the stored hash; it is not the bare value's hash */
    char look[CRYPT_LOOKUP_HEX_LEN], bare[CRYPT_LOOKUP_HEX_LEN];
    assert_int_equal(crypt_id_number_lookup(&k, "11010519491231002x", look, &e), 0);
    assert_string_equal(look, p.lookup);
    crypt_lookup_hash(&k, "11010519491231002X", bare);
    assert_string_not_equal(look, bare);
    /* invalid numbers give the validator's error and nothing else */
    assert_int_equal(crypt_protect_id_number(&k, "110105194912310021", "2026-03-01", &p, &e), -1);
    assert_string_equal(e.code, "id_checksum");
    assert_string_equal(e.field, "id_number");
    assert_string_equal(p.sealed, "");
    assert_string_equal(p.lookup, "");
    assert_int_equal(crypt_id_number_lookup(&k, "1101", look, &e), -1);
    assert_string_equal(e.code, "id_length");
    assert_string_equal(look, "");
}

/* A family's mobile number (issue 12): normalised, sealed, a lookup hash of its own use, masked. */
static void protect_mobile(void **state)
{
    (void)state;
    struct crypt_key k;
    fixed_key(&k, 2);
    struct mobile_protected m;
    struct err e = {0};
    assert_int_equal(mobile_protect(&k, "+86 139-1234-5678", &m, &e), 0);
    assert_string_equal(m.number, "13912345678");
    assert_string_equal(m.masked, "139****5678");
    char out[32], lookup[CRYPT_LOOKUP_HEX_LEN], bare[CRYPT_LOOKUP_HEX_LEN];
    assert_int_equal(crypt_open(&k, m.sealed, out, sizeof out, &e), 0);
    assert_string_equal(out, "13912345678");
    assert_int_equal(mobile_lookup(&k, "13912345678", lookup, &e), 0);
    assert_string_equal(lookup, m.lookup);
    crypt_lookup_hash(&k, "13912345678", bare);
    assert_string_not_equal(lookup, bare); /* prefixed with its use */
    assert_int_equal(mobile_normalise("8613912345678", out, &e), 0);
    assert_string_equal(out, "13912345678");
    const char *bad[] = {"", "1391234567", "139123456789", "12912345678", "23912345678", "1391234567a", "+8713912345678", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(mobile_normalise(bad[i], out, &e), -1);
        assert_string_equal(e.code, "mobile_invalid");
        assert_string_equal(e.field, "mobile");
    }
    assert_int_equal(mobile_normalise(NULL, out, &e), -1);
}

static void masks(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(mask_id_number("33030420200115001X", out, sizeof out), 0);
    assert_string_equal(out, "330304********001X");
    assert_int_equal(mask_id_number("O440012345", out, sizeof out), 0);
    assert_string_equal(out, "O*******45");
    mask_id_number("12", out, sizeof out);
    assert_string_equal(out, "**");
    assert_int_equal(mask_phone("13812341234", out, sizeof out), 0);
    assert_string_equal(out, "138****1234");
    mask_phone("0577-88123456", out, sizeof out);
    assert_string_equal(out, "057******3456");
    mask_phone("123456", out, sizeof out);
    assert_string_equal(out, "******");
    assert_int_equal(mask_name("张三明", out, sizeof out), 0);
    assert_string_equal(out, "张*明");
    mask_name("张三", out, sizeof out);
    assert_string_equal(out, "张*");
    mask_name("张", out, sizeof out);
    assert_string_equal(out, "*");
    mask_name("欧阳娜娜", out, sizeof out);
    assert_string_equal(out, "欧**娜");
    mask_name("阿依古丽·买买提", out, sizeof out);
    assert_string_equal(out, "阿******提");
    mask_name("Li Lei", out, sizeof out);
    assert_string_equal(out, "L****i");
    /* a closing note in brackets is kept, the name before it masked (issue 12: "家****）") */
    assert_int_equal(mask_name("家长（演示）", out, sizeof out), 0);
    assert_string_equal(out, "家*（演示）");
    mask_name("林一诺（妈妈）", out, sizeof out);
    assert_string_equal(out, "林*诺（妈妈）");
    mask_name("Li (demo)", out, sizeof out);
    assert_string_equal(out, "L* (demo)");
    mask_name("（演示）", out, sizeof out);
    assert_string_equal(out, "（**）");
    mask_name("", out, sizeof out);
    assert_string_equal(out, "");
    mask_name(NULL, out, sizeof out);
    assert_string_equal(out, "");
    /* a stray byte counts as one character and the result stays NUL-terminated */
    mask_name("\xe5\xbc", out, sizeof out);
    assert_string_equal(out, "\xe5*");
    /* too small: cut at a character boundary, -1 */
    char small[5];
    assert_int_equal(mask_name("张三明", small, sizeof small), -1);
    assert_string_equal(small, "张*");
    assert_int_equal(mask_name("张三明", small, 1), -1);
    assert_string_equal(small, "");
}

/* processes starting together all end up with the one key that reached the disk */
static void key_file_creation_race(void **state)
{
    struct dir *d = *state;
    enum { N = 6 };
    int fds[N][2];
    pid_t pids[N];
    for (int i = 0; i < N; i++) {
        assert_int_equal(pipe(fds[i]), 0);
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            struct crypt_key k;
            struct err e = {0};
            int rc = crypt_load_or_create_key(d->key, &k, &e);
            if (rc == 0 && write(fds[i][1], &k, sizeof k) != (ssize_t)sizeof k)
                rc = -1;
            _exit(rc == 0 ? 0 : 1);
        }
        close(fds[i][1]);
    }
    struct crypt_key first, k;
    for (int i = 0; i < N; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        assert_int_equal(read(fds[i][0], &k, sizeof k), (ssize_t)sizeof k);
        close(fds[i][0]);
        if (i == 0)
            first = k;
        else
            assert_memory_equal(&first, &k, sizeof k);
    }
    struct err e = {0};
    assert_int_equal(crypt_load_or_create_key(d->key, &k, &e), 0);
    assert_memory_equal(&first, &k, sizeof k);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", d->path); /* no temporary left */
    assert_int_equal(system(cmd), 0);
}

struct worker {
    const struct crypt_key *key;
    int failures;
};

static void *seal_many(void *arg)
{
    struct worker *w = arg;
    char plain[64], sealed[256], out[64];
    for (int i = 0; i < 2000; i++) {
        snprintf(plain, sizeof plain, "330304%012d", i);
        if (crypt_seal(w->key, plain, sealed, sizeof sealed, NULL) != 0 ||
            crypt_open(w->key, sealed, out, sizeof out, NULL) != 0 || strcmp(out, plain) != 0)
            w->failures++;
    }
    return NULL;
}

static void threads_share_a_key(void **state)
{
    (void)state;
    struct crypt_key k;
    for (int i = 0; i < CRYPT_KEY_BYTES; i++)
        k.enc[i] = k.lookup[i] = (unsigned char)(i * 3);
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){&k, 0};
        assert_int_equal(pthread_create(&t[i], NULL, seal_many, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(key_file_created_0600_and_reloaded, setup, teardown),
        cmocka_unit_test_setup_teardown(key_file_refused_when_others_may_read, setup, teardown),
        cmocka_unit_test_setup_teardown(key_file_malformed_or_missing_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(key_file_creation_race, setup, teardown),
        cmocka_unit_test_setup_teardown(key_file_load_and_save, setup, teardown),
        cmocka_unit_test(key_check_value),
        cmocka_unit_test(threads_share_a_key),
        cmocka_unit_test(seal_and_open),
        cmocka_unit_test(tamper_and_wrong_key_refused),
        cmocka_unit_test(lookup_hash),
        cmocka_unit_test(protect_id_number),
        cmocka_unit_test(protect_mobile),
        cmocka_unit_test(masks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

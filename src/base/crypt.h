/* crypt.h — protection of personal data with libsodium: the server's key file, authenticated
 * encryption of fields at rest, keyed lookup hashes, and masking for display and audit.
 *
 * Key file: text "tuoyu-key v1\n" followed by 128 hex digits and "\n": 32 random bytes of
 * encryption key, then 32 random bytes of lookup-hash key (two independent keys, so a leaked
 * lookup key does not expose sealed values). Created on first start with mode 0600; an
 * existing file that group or others may access is refused. Losing the file makes every
 * sealed value unreadable: `tuoyu backup` writes it beside the copy. Which key a database
 * belongs to is recorded there as a key check value (crypt_key_check, src/app_key.c).
 *
 * Sealed text: "v1:" + base64 (RFC 4648 with padding) of nonce(24) ‖ ciphertext ‖ tag(16),
 * XChaCha20-Poly1305-IETF with a random nonce and the prefix "v1" as associated data, so a
 * changed version, nonce, ciphertext or tag is detected and refused.
 *
 * Storing a resident ID number (issue 2 part 9), for example:
 *   idcard_validate(input, today, &info, e)                 → info.number, normalised
 *   crypt_seal(key, info.number, sealed, …)                  → column id_number_sealed
 *   crypt_lookup_hash(key, "id_number:" + info.number, hex) → column id_number_hash (indexed)
 *   mask_id_number(info.number, …)                          → what replies and audit rows show
 * crypt_protect_id_number() does all four; crypt_id_number_lookup() hashes a search input.
 * Prefix lookup material with its use ("id_number:", "csrf:") so hashes never collide across uses.
 *
 * Thread-safe: the key is read-only after loading; every function may be called from any
 * thread (crypt_init() runs sodium_init() once). */
#ifndef TUOYU_CRYPT_H
#define TUOYU_CRYPT_H

#include <stddef.h>

#include "base/err.h"
#include "base/idcard.h"

#define CRYPT_KEY_BYTES 32
/* bytes of a lookup hash in hex, plus NUL */
#define CRYPT_LOOKUP_HEX_LEN 65
#define CRYPT_PREFIX "v1:"

struct crypt_key {
    unsigned char enc[CRYPT_KEY_BYTES];    /* XChaCha20-Poly1305 key */
    unsigned char lookup[CRYPT_KEY_BYTES]; /* BLAKE2b key for lookup hashes and CSRF tokens */
};

/* Initialise libsodium once per process (thread-safe, idempotent). 0, or -1 when the library
 * cannot initialise (no usable random source). The other functions call it themselves. */
int crypt_init(void);

/* Load the key file at path. 0 when loaded, 1 when no file exists there (out and e untouched),
 * -1 on an error (status 500, code "key_file"): unreadable, wrong format, a mode that lets
 * group or others in, not a regular file. */
int crypt_load_key(const char *path, struct crypt_key *out, struct err *e);

/* Load the key file at path, or create it when it does not exist (see above). Creation writes a
 * temporary file (O_CREAT|O_EXCL, 0600) in the same folder, fsyncs it and links it into place,
 * so a crash never leaves a half-written key and two processes starting together end up with
 * the same key. Errors as crypt_load_key, and the folder missing. 0 or -1.
 * Only for a database that holds nothing sealed yet: a fresh key cannot open older data. */
int crypt_load_or_create_key(const char *path, struct crypt_key *out, struct err *e);

/* Write k as a new key file at path (backup and restore), the same way as a created one
 * (temporary file 0600, fsync, link): never half-written and never replacing a file. 0, or -1
 * with code "key_exists" (409) when path exists, "key_file" (500) on another error. */
int crypt_save_key(const char *path, const struct crypt_key *k, struct err *e);

/* The key check value: keyed BLAKE2b-256 of the fixed label "key_check:v1" under each of the
 * two keys, in hex. Stored beside sealed data (table key_check), it tells whether a key is
 * the one the data was sealed under without storing or revealing the key. */
struct crypt_key_check {
    char enc[CRYPT_LOOKUP_HEX_LEN];
    char lookup[CRYPT_LOOKUP_HEX_LEN];
};
/* 0, or -1 when libsodium is unusable (out then empty). */
int crypt_key_check(const struct crypt_key *k, struct crypt_key_check *out);

/* Wipe a key from memory. */
void crypt_key_wipe(struct crypt_key *k);

/* Bytes needed (with the NUL) for the sealed text of a plaintext of plain_len bytes. */
size_t crypt_sealed_size(size_t plain_len);

/* Encrypt the NUL-terminated plaintext into out (outsz ≥ crypt_sealed_size(strlen(plain))).
 * 0, or -1 and e (500 "crypt") when out is too small or the library fails. */
int crypt_seal(const struct crypt_key *k, const char *plain, char *out, size_t outsz, struct err *e);

/* Decrypt sealed text made by crypt_seal into out as a NUL-terminated string. 0, or -1 and e
 * (500 "crypt_open": "加密数据无法解密（已损坏、被篡改或密钥不符）") when the text is not
 * sealed text, was altered, was sealed under another key, holds a NUL byte, or does not fit
 * in outsz (out is then ""). */
int crypt_open(const struct crypt_key *k, const char *sealed, char *out, size_t outsz, struct err *e);

/* Keyed BLAKE2b-256 (crypto_generichash with the lookup key) of value, as 64 lowercase hex
 * digits into out. Deterministic for a key, so a column of these finds a record by an exact
 * (already normalised) value without storing the value. 0 (or -1 if libsodium is unusable,
 * out then ""). */
int crypt_lookup_hash(const struct crypt_key *k, const char *value, char out[CRYPT_LOOKUP_HEX_LEN]);

/* A resident ID number ready to store (issue 2 part 9): validated and normalised, sealed,
 * lookup-hashed under "id_number:", masked, with the birth date and sex it encodes. */
#define CRYPT_SEALED_ID_LEN 84 /* crypt_sealed_size(18) */
struct crypt_protected_id {
    char sealed[CRYPT_SEALED_ID_LEN];   /* column id_number_sealed */
    char lookup[CRYPT_LOOKUP_HEX_LEN];  /* column id_number_hash (indexed, for finding a person) */
    char masked[IDCARD_LEN + 1];        /* "330304********123X": replies and audit rows */
    char birth_date[11];
    enum idcard_sex sex;
};
/* Validate input with idcard_validate(input, today) (its errors, field "id_number") and fill
 * out. 0 or -1. */
int crypt_protect_id_number(const struct crypt_key *k, const char *input, const char *today,
                            struct crypt_protected_id *out, struct err *e);
/* The lookup hash to search by an ID number as typed (normalised the same way, so "…002x"
 * finds "…002X"). 0, or -1 with idcard_validate's error (no date check). */
int crypt_id_number_lookup(const struct crypt_key *k, const char *input, char out[CRYPT_LOOKUP_HEX_LEN],
                           struct err *e);

/* Masking for display and audit rows. Each counts UTF-8 characters (a stray byte counts as
 * one), writes a NUL-terminated result into out (n bytes; a result that does not fit is cut
 * at a character boundary and -1 is returned; otherwise 0), replaces each hidden character
 * with one '*', and never reveals more than it keeps:
 *   mask_id_number  18+ characters: first 6 and last 4 kept — "330304********123X";
 *                   11–17: first 6 and last 4 kept (1+ stars); 3–10: first 1 and last 2 kept;
 *                   fewer than 3: all stars.
 *   mask_phone      7+ characters: first 3 and last 4 kept — "138****1234";
 *                   fewer: all stars.
 *   mask_name       3+ characters: first and last kept, stars between — "张*明", "欧**娜";
 *                   2: "张*"; 1: "*". A closing note in brackets ("家长（演示）", "Li (demo)")
 *                   is not part of the name: the name before it is masked and the note kept
 *                   ("家*（演示）"), so it no longer reads as a broken "家****）".
 * NULL or "" gives "". */
int mask_id_number(const char *s, char *out, size_t n);
int mask_phone(const char *s, char *out, size_t n);
int mask_name(const char *s, char *out, size_t n);

#endif

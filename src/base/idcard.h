/* idcard.h — 公民身份号码 (resident identity number, GB 11643-1999) and 出生医学证明编号
 * (birth medical certificate number) validation.
 *
 * Identity number: 18 characters —
 *   1–6   address code (GB/T 2260); the first two digits must be a province-level code
 *         (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82, and 83 used by
 *         Taiwan residents' residence permits); the rest is not checked against a list;
 *   7–14  birth date YYYYMMDD: a real date, not before 1900-01-01, not after `today`;
 *   15–17 sequence code, odd for men and even for women;
 *   18    check character, ISO 7064 MOD 11-2: Σ(ai × Wi) mod 11 over the first 17 digits
 *         with W = 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2, mapped 0–10 → "10X98765432".
 * A lowercase x is accepted and normalised to X; surrounding white space is ignored.
 * 15-digit first-generation numbers are rejected (they hold no check character).
 *
 * Pure functions: no clock (the caller passes today), no I/O, thread-safe. */
#ifndef TUOYU_IDCARD_H
#define TUOYU_IDCARD_H

#include "base/err.h"

#define IDCARD_LEN 18

enum idcard_sex {
    IDCARD_MALE = 1,   /* GB/T 2261.1 code 1 */
    IDCARD_FEMALE = 2, /* GB/T 2261.1 code 2 */
};

struct idcard_info {
    char number[IDCARD_LEN + 1]; /* normalised: trimmed, X upper-case */
    char region[7];              /* address code, e.g. "330304" */
    char birth_date[11];         /* "YYYY-MM-DD" */
    enum idcard_sex sex;
};

/* The check character ('0'–'9' or 'X') for the first 17 characters of body, or 0 when one of
 * them is not a digit (or body is shorter). */
char idcard_check_char(const char *body);

/* Validate s. today ("YYYY-MM-DD") bounds the birth date; NULL skips that check. On success
 * returns 0 and fills out (may be NULL). Otherwise -1 and e (status 422, field "id_number"):
 *   id_required    请填写身份证号码
 *   id_length      身份证号码应为18位…
 *   id_chars       身份证号码前17位应为数字，第18位为数字或X
 *   id_region      身份证号码地址码无效（前两位不是省级行政区划代码）
 *   id_birth_date  身份证号码中的出生日期无效 / 晚于今天 / 早于1900年
 *   id_checksum    身份证号码校验位错误
 *   bad_today      (500) today is not a valid date — a programming error. */
int idcard_validate(const char *s, const char *today, struct idcard_info *out, struct err *e);

/* 出生医学证明编号. Assumed format (the national 出生医学证明 issued since 2014 prints
 * numbers like "O440012345"): one Latin letter (the print batch; lower case accepted and
 * upper-cased) followed by 9 digits. The digits begin with the issuing province's code in
 * recent batches, but that is not enforced, since older batches differ. Surrounding white
 * space is ignored. 0 and out (11 bytes, may be NULL) normalised; or -1 and e (422, field
 * "birth_cert_no"): birth_cert_required, birth_cert_format. */
int idcard_birth_cert_validate(const char *s, char out[11], struct err *e);

#endif

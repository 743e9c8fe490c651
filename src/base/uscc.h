/* uscc.h — 统一社会信用代码 (unified social credit code, GB 32100-2015) validation.
 *
 * 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z):
 *   1 登记管理部门代码, 2 机构类别代码, 3–8 登记管理机关行政区划码 (digits),
 *   9–17 主体标识码 (组织机构代码), 18 校验码.
 * Check character: C18 = charset[(31 − Σ(value(Ci) × Wi) mod 31) mod 31] with
 * W = 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 (Wi = 3^(i−1) mod 31).
 * The embedded organisation code's own check (GB 11714) is not enforced: codes of some
 * subject types carry a 主体标识码 that is not a GB 11714 code. Pure and thread-safe. */
#ifndef TUOYU_USCC_H
#define TUOYU_USCC_H

#include "base/err.h"

#define USCC_LEN 18
#define USCC_CHARSET "0123456789ABCDEFGHJKLMNPQRTUWXY"

/* The check character for the first 17 characters of body (longer input is ignored),
 * or 0 when body is shorter or holds a character outside the charset. */
char uscc_check_char(const char *body);

/* 0 when s is a valid code. Otherwise -1 and e (status 422, field "uscc"):
 *   uscc_required  "请填写统一社会信用代码"          (NULL or empty)
 *   uscc_length    "统一社会信用代码应为18位，实为N位"
 *   uscc_chars     "统一社会信用代码第N位字符无效…" (outside the charset, lowercase, or a
 *                  non-digit in the region code, positions 3–8)
 *   uscc_checksum  "统一社会信用代码校验位错误"      (with the expected character)
 * Lowercase letters are rejected; use uscc_normalize() first to accept them. */
int uscc_validate(const char *s, struct err *e);

/* Copy s into out with surrounding white space removed and letters upper-cased, so that what
 * people type ("91350100m000100y43 ") can be validated and stored in canonical form. out needs
 * USCC_LEN + 1 bytes. 0, or -1 (out "") when the trimmed text is longer than 18 bytes. */
int uscc_normalize(const char *s, char out[USCC_LEN + 1]);

#endif

/* idcard.c — GB 11643-1999 identity numbers and birth certificate numbers. */
#include "base/idcard.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

static const int WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char CHECK[] = "10X98765432";

char idcard_check_char(const char *body)
{
    if (!body)
        return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (body[i] < '0' || body[i] > '9') /* also stops at the NUL */
            return 0;
        sum += (body[i] - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
}

static int province_ok(int p)
{
    static const int codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
                                44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i] == p)
            return 1;
    return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* the trimmed span of s */
static void trim(const char *s, const char **start, size_t *len)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    *start = s;
    *len = n;
}

static size_t chars_of(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

int idcard_validate(const char *s, const char *today, struct idcard_info *out, struct err *e)
{
    const char *F = "id_number";
    if (today && !date_is_valid(today))
        return err_set(e, 500, "bad_today", "", "内部错误：当前日期无效");
    const char *p;
    size_t n;
    trim(s ? s : "", &p, &n);
    if (n == 0)
        return err_set(e, 422, "id_required", F, "请填写身份证号码");
    if (n == 15 && strspn(p, "0123456789") >= 15)
        return err_set(e, 422, "id_length", F, "身份证号码应为18位，15位的一代身份证号码请换用18位号码");
    if (n != IDCARD_LEN)
        return err_set(e, 422, "id_length", F, "身份证号码应为18位，实为%zu位", chars_of(p, n));
    char num[IDCARD_LEN + 1];
    memcpy(num, p, IDCARD_LEN);
    num[IDCARD_LEN] = 0;
    if (num[17] == 'x')
        num[17] = 'X';
    for (int i = 0; i < 17; i++)
        if (num[i] < '0' || num[i] > '9')
            return err_set(e, 422, "id_chars", F, "身份证号码前17位应为数字，第%d位不是数字", i + 1);
    if (!((num[17] >= '0' && num[17] <= '9') || num[17] == 'X'))
        return err_set(e, 422, "id_chars", F, "身份证号码第18位应为数字或X");
    if (!province_ok((num[0] - '0') * 10 + (num[1] - '0')))
        return err_set(e, 422, "id_region", F, "身份证号码地址码无效（前两位%.2s不是省级行政区划代码）", num);

    char birth[11];
    snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", num + 6, num + 10, num + 12);
    if (!date_is_valid(birth))
        return err_set(e, 422, "id_birth_date", F, "身份证号码中的出生日期%.8s不存在", num + 6);
    if (strcmp(birth, "1900-01-01") < 0)
        return err_set(e, 422, "id_birth_date", F, "身份证号码中的出生日期%s早于1900年", birth);
    if (today && strcmp(birth, today) > 0)
        return err_set(e, 422, "id_birth_date", F, "身份证号码中的出生日期%s晚于今天", birth);

    char want = idcard_check_char(num);
    if (want != num[17])
        return err_set(e, 422, "id_checksum", F, "身份证号码校验位错误，请核对号码");
    if (out) {
        memcpy(out->number, num, sizeof out->number);
        memcpy(out->region, num, 6);
        out->region[6] = 0;
        memcpy(out->birth_date, birth, sizeof out->birth_date);
        out->sex = ((num[16] - '0') % 2) ? IDCARD_MALE : IDCARD_FEMALE;
    }
    return 0;
}

int idcard_birth_cert_validate(const char *s, char out[11], struct err *e)
{
    const char *F = "birth_cert_no";
    if (out)
        out[0] = 0;
    const char *p;
    size_t n;
    trim(s ? s : "", &p, &n);
    if (n == 0)
        return err_set(e, 422, "birth_cert_required", F, "请填写出生医学证明编号");
    char c = p[0];
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    int ok = n == 10 && c >= 'A' && c <= 'Z';
    for (size_t i = 1; ok && i < 10; i++)
        ok = p[i] >= '0' && p[i] <= '9';
    if (!ok)
        return err_set(e, 422, "birth_cert_format", F, "出生医学证明编号应为1位字母加9位数字（如 O440012345）");
    if (out) {
        out[0] = c;
        memcpy(out + 1, p + 1, 9);
        out[10] = 0;
    }
    return 0;
}

/* fuzz_idcard.c — libFuzzer target for identity and birth-certificate numbers and the masks
 * applied to them: never a crash, and whatever validates is self-consistent (check character,
 * an existing birth date not after today, the sex from the sequence code). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypt.h"
#include "base/date.h"
#include "base/idcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    struct idcard_info info;
    struct err e;
    if (idcard_validate(s, "2026-03-01", &info, &e) == 0) {
        if (strlen(info.number) != 18 || idcard_check_char(info.number) != info.number[17])
            abort();
        if (!date_is_valid(info.birth_date) || strcmp(info.birth_date, "2026-03-01") > 0)
            abort();
        if (info.sex != ((info.number[16] - '0') % 2 ? IDCARD_MALE : IDCARD_FEMALE))
            abort();
        if (idcard_validate(info.number, "2026-03-01", NULL, NULL) != 0)
            abort(); /* the normalised form validates too */
    } else if (!e.code[0] || !e.message[0]) {
        abort();
    }
    char cert[11];
    if (idcard_birth_cert_validate(s, cert, &e) == 0 && strlen(cert) != 10)
        abort();
    char out[64];
    mask_id_number(s, out, sizeof out);
    if (strlen(out) >= sizeof out)
        abort();
    mask_name(s, out, sizeof out);
    mask_phone(s, out, 7);
    if (strlen(out) >= 7)
        abort();
    free(s);
    return 0;
}

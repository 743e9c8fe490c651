/* fuzz_uscc.c — libFuzzer target for unified social credit codes: never a crash; a code that
 * validates has the computed check character, and normalising never breaks a valid code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    struct err e;
    if (uscc_validate(s, &e) == 0) {
        if (strlen(s) != 18 || uscc_check_char(s) != s[17])
            abort();
    } else if (!e.code[0] || strcmp(e.field, "uscc") != 0) {
        abort();
    }
    char norm[USCC_LEN + 1];
    if (uscc_normalize(s, norm) == 0) {
        if (strlen(norm) > USCC_LEN)
            abort();
        char c = uscc_check_char(norm);
        if (strlen(norm) == 18 && c && c == norm[17] && uscc_validate(norm, NULL) != 0) {
            /* only the region-code digit rule may still refuse a code with a right check char */
            for (int i = 2; i < 8; i++)
                if (norm[i] < '0' || norm[i] > '9')
                    goto ok;
            abort();
        }
    }
ok:
    free(s);
    return 0;
}

/* fuzz_textenc.c — libFuzzer target for deciding an uploaded file's encoding: never a crash;
 * what comes out is always valid UTF-8 of the length said, ASCII input passes unchanged, and a
 * refusal leaves nothing allocated and says why with a code on the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/textenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t outn = 0;
    enum textenc enc;
    struct err e = {0};
    int ascii = 1;
    for (size_t i = 0; i < size; i++)
        ascii &= data[i] < 0x80;
    if (textenc_to_utf8((const char *)data, size, &out, &outn, &enc, &e) < 0) {
        if (out || !e.code[0] || ascii)
            abort();
        return 0;
    }
    if (!out || out[outn] != 0)
        abort();
    for (size_t i = 0; i < outn;) {
        size_t k = textenc_utf8_len((const unsigned char *)out + i, outn - i);
        if (k == 0)
            abort();
        i += k;
    }
    if (ascii && (enc != TEXTENC_UTF8 || outn != size || memcmp(out, data, size) != 0))
        abort();
    free(out);
    return 0;
}

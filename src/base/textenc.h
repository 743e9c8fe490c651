/* textenc.h — the text of an uploaded file as UTF-8, whatever a spreadsheet saved it as. A CSV
 * saved by Excel on a Chinese Windows machine is GBK (a subset of GB18030); one saved as
 * "CSV UTF-8" starts with a byte-order mark; "Unicode text" is UTF-16. The file is taken as UTF-8
 * when every byte of it is valid UTF-8, else as GB18030 when it converts cleanly — unless some
 * lines read as UTF-8 Chinese and others do not (a file pasted together from two encodings),
 * which is refused rather than guessed. Pure: no files, no database. */
#ifndef TUOYU_TEXTENC_H
#define TUOYU_TEXTENC_H

#include <stddef.h>

#include "base/err.h"

enum textenc {
    TEXTENC_UTF8,      /* UTF-8 without a byte-order mark (plain ASCII included) */
    TEXTENC_UTF8_BOM,  /* UTF-8 with its byte-order mark, which is dropped */
    TEXTENC_GB18030,   /* GBK or GB18030, converted */
};

/* The encoding's name as a user knows it ("UTF-8", "UTF-8（带 BOM）", "GBK/GB18030"). */
const char *textenc_name(enum textenc enc);

/* The n bytes of a file as UTF-8 text: *out (malloc'd, NUL-terminated, *outn bytes without the
 * NUL; free it) and the encoding found in *enc. -1 with e (field "file") when the text cannot be
 * decided: 422 utf16_file (a UTF-16 byte-order mark: save as CSV instead), 422 mixed_encoding
 * (naming the first line that is not in the encoding of the lines before), 422 bad_encoding
 * (neither UTF-8 nor GBK/GB18030, naming the byte where both fail), 500 oom. Nothing is output
 * on failure. */
int textenc_to_utf8(const char *bytes, size_t n, char **out, size_t *outn, enum textenc *enc, struct err *e);

/* The length of the valid UTF-8 sequence at s (at most n bytes): 1–4, or 0 when the bytes there
 * are not one (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, or cut
 * short by n). */
size_t textenc_utf8_len(const unsigned char *s, size_t n);

#endif

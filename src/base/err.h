/* err.h — the one error type every module fills: a stable ASCII code for programs,
 * the offending field, and a message in Chinese for people. Functions return 0 on
 * success or a negative value and fill a struct err. */
#ifndef TUOYU_ERR_H
#define TUOYU_ERR_H

#include <stdarg.h>

struct err {
    char code[48];     /* stable machine code, e.g. "uscc_checksum" */
    char field[64];    /* offending field or column, "" when none */
    char message[512]; /* human message, Simplified Chinese where a person reads it */
    int status;        /* suggested HTTP status (400, 401, 403, 404, 409, 422, 500); 0 = unset */
};

/* Fill e (if not NULL) and return -1. The message is a printf format. */
int err_set(struct err *e, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void err_clear(struct err *e);

#endif

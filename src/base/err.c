/* err.c — filling struct err. */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int status, const char *code, const char *field, const char *fmt, ...)
{
    if (!e)
        return -1;
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "error");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

void err_clear(struct err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

/* buf.c — a growable run of bytes (buf.h). */
#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int buf_reserve(struct buf *b, size_t n)
{
    if (b->failed)
        return -1;
    if (n < b->cap - b->len) /* room for n bytes and the NUL (len < cap once allocated) */
        return 0;
    if (n >= SIZE_MAX / 4 || b->len >= SIZE_MAX / 4 - n) { /* neither the sum nor the doubling may wrap */
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 2048;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
}

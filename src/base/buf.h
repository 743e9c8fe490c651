/* buf.h — a growable run of bytes, for output built piece by piece (XML text read from a
 * workbook, a generated map file, a printable page). An append that cannot allocate marks the
 * buffer failed and every later one is ignored, so the builder checks once at the end. */
#ifndef TUOYU_BUF_H
#define TUOYU_BUF_H

#include <stddef.h>

struct buf {
    char *p;         /* the bytes, with a NUL after them; NULL before the first append (free it) */
    size_t len, cap;
    int failed;      /* an allocation failed: the contents are incomplete */
};

/* Room for n more bytes and the NUL after them, for a writer that puts its bytes at p + len
 * itself and then adds them to len: 0, or -1 when the buffer has failed (now or before). */
int buf_reserve(struct buf *b, size_t n);
/* Append n bytes of data (n = 0 still makes p a string). */
void buf_add(struct buf *b, const void *data, size_t n);

#endif

/* fileio.h — whole reads and writes on file descriptors, retried when a signal interrupts them,
 * and making a new name in a folder durable. Shared by the key file (crypt.c) and the materials'
 * content files. */
#ifndef TUOYU_FILEIO_H
#define TUOYU_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Write all n bytes of p at fd's position. 0, or -1 with errno. */
int fileio_write_all(int fd, const void *p, size_t n);
/* Read n bytes at offset off of fd into buf: the number read, fewer than n only at the end of the
 * file, or -1 with errno. */
ssize_t fileio_pread_full(int fd, void *buf, size_t n, uint64_t off);
/* fsync the folder dir, so names made or removed in it survive a crash. 0, or -1 with errno. */
int fileio_sync_dir(const char *dir);

#endif

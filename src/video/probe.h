/* probe.h — the liveness prober of 可视托 (issue 19 item 7): many cameras probed at once from one
 * thread (non-blocking sockets and poll), each a TCP connection plus an RTSP OPTIONS or HTTP HEAD
 * whose status line decides (video.h video_probe_verdict; https: the connection alone), with a
 * timeout and a bound on the connections open at once. The server's thread that runs them each
 * period and records the results is record.h's. */
#ifndef TUOYU_VIDEO_PROBE_H
#define TUOYU_VIDEO_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "video/video.h"

struct video_result {
    int ok;
    char reason[32]; /* on failure: refused, timeout, unreachable, resolve, bad_reply, status_NNN */
    int millis;      /* how long the probe took */
};

/* Probe each of the n addresses, at most concurrency at a time, each given timeout_ms; results[i]
 * for urls[i]. Names are resolved first (numeric addresses need no lookup). Blocks until all are
 * done; allocates O(concurrency). 0, or -1 when memory ran out. */
int video_probe_all(const struct video_url *urls, size_t n, int concurrency, int timeout_ms,
                    struct video_result *results);

/* Monotonic milliseconds: the probes' timeouts and the prober's schedule (record.c). */
int64_t video_clock_ms(void);

#endif

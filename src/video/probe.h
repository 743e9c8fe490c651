/* probe.h — the liveness prober of 可视托 (issue 19 item 7): many cameras probed at once from one
 * thread (non-blocking sockets and poll), each a TCP connection plus an RTSP OPTIONS or HTTP HEAD
 * whose status line decides (video.h video_probe_verdict; https: the connection alone), with a
 * timeout and a bound on the connections open at once; and the server's thread that probes every
 * active camera each video.probe_interval_s and records the results (record.h). */
#ifndef TUOYU_VIDEO_PROBE_H
#define TUOYU_VIDEO_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "video/video.h"

struct app;

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

/* The server's prober thread: every interval (the parameter, or interval_override seconds when
 * > 0), every active camera of the district probed and recorded. NULL with e when the thread
 * cannot start. */
struct video_prober;
struct err;
struct video_prober *video_prober_start(struct app *app, int interval_override, struct err *e);
void video_prober_stop(struct video_prober *p);

#endif

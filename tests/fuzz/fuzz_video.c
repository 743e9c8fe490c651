/* fuzz_video.c — libFuzzer target for what 可视托 reads from outside (src/video/video.c): a stream
 * address typed by an institution (video_url_parse) and a camera's reply to a probe
 * (video_probe_verdict, RTSP and HTTP): never a crash; a parsed address has a host, a port in
 * range and a path starting with "/"; a verdict is -1, 0 or 1, and a failure names its reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "video/video.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct video_url u;
    struct err e = {0};
    if (video_url_parse(text, &u, &e) == 0) {
        if (!u.host[0] || u.port < 1 || u.port > 65535 || u.path[0] != '/')
            abort();
        char out[1400], req[640];
        video_url_format(&u, "", out, sizeof out);
        video_probe_request(&u, req, sizeof req);
    } else if (strcmp(e.field, "url") != 0) {
        abort();
    }
    for (int s = VIDEO_RTSP; s <= VIDEO_HTTP; s++) {
        char why[32] = "";
        int v = video_probe_verdict((enum video_scheme)s, (const char *)data, size, why, sizeof why);
        if (v < -1 || v > 1 || (v == 0 && !why[0]))
            abort();
    }
    video_within_hours(text, "08:00", "24:00");
    free(text);
    return 0;
}

/* record.h — a round of probes recorded (src/video/): the active cameras (or one) probed
 * (probe.h), each result applied to the camera's liveness (video.h video_after_probe) and stored
 * (store.h) in one transaction, an outage that opens or closes told to the institution's operators
 * and the supervision centre. Used by the server's prober thread and by "probe now". */
#ifndef TUOYU_VIDEO_RECORD_H
#define TUOYU_VIDEO_RECORD_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

struct app;

/* Probe and record every active camera of app's district (camera_id > 0: only that camera) with
 * the parameters in force today; *interval_s gets video.probe_interval_s. The number probed, or -1
 * with e. */
int video_probe_cycle(struct db *db, struct app *app, int64_t camera_id, int *interval_s, struct err *e);

/* The server's prober thread: every interval (the parameter, or interval_override seconds when
 * > 0), video_probe_cycle over every active camera of the district. NULL with e when the thread
 * cannot start. */
struct video_prober;
struct video_prober *video_prober_start(struct app *app, int interval_override, struct err *e);
void video_prober_stop(struct video_prober *p);

#endif

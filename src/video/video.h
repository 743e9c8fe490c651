/* video.h — 可视托 video supervision (issue 19 item 7; requirements C12; seed 四(四)13): the rules of
 * a camera's record (its stream address, the area it covers), of a probe's reply, of a camera's
 * state after each probe (consecutive failures open an outage, a success closes it), of the
 * findings on an institution's cameras (a children's room without a camera, recordings kept
 * fewer days than video.retention_min_days: 《托育机构管理规范（试行）》第三十二条, WS/T 821-2023)
 * and of the hours a parent may view. Pure: no database, no sockets (probe.c does the network). */
#ifndef TUOYU_VIDEO_H
#define TUOYU_VIDEO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

enum video_scheme { VIDEO_RTSP = 1, VIDEO_HTTP, VIDEO_HTTPS };

/* A stream address, parsed: rtsp://[user[:password]@]host[:port][/path]. */
struct video_url {
    enum video_scheme scheme;
    char host[256]; /* a name, a dotted IPv4 address or an IPv6 address without brackets */
    int port;       /* the scheme's default (554, 80, 443) when the address names none */
    char path[512]; /* "/" when none */
    char user[64], password[128]; /* from the address's userinfo, "" when none */
};

/* Parse url into out. 422 "bad_url" (field "url") naming what is wrong: a scheme other than rtsp,
 * http or https ("unsupported_scheme"), no host, a port outside 1..65535, a space or control
 * character. 0, or -1 with e. */
int video_url_parse(const char *url, struct video_url *out, struct err *e);
const char *video_scheme_code(enum video_scheme s); /* "rtsp" */
enum video_scheme video_scheme_of(const char *code); /* VIDEO_HTTP when unknown */
/* u as an address, with userinfo ("user:password", or "" for none) before the host. */
void video_url_format(const struct video_url *u, const char *userinfo, char *out, size_t cap);
/* Is host a loopback address (127.0.0.0/8, ::1, localhost)? */
int video_host_is_loopback(const char *host);

/* The request a probe sends: RTSP OPTIONS or HTTP HEAD of the path (nothing for https: the prober
 * checks that the port accepts a connection and speaks no TLS). Its length, 0 when none. */
size_t video_probe_request(const struct video_url *u, char *out, size_t cap);
/* A probe's reply so far (n bytes): 1 when it is a success (an RTSP/1.0 or HTTP/1.x status line
 * with 2xx, 3xx or 401 — the device answers and asks for a login), 0 when it is a failure (reason: "status_NNN" or "bad_reply"), -1 when the
 * status line is not complete yet. */
int video_probe_verdict(enum video_scheme s, const char *reply, size_t n, char *reason, size_t reason_cap);

/* A camera's liveness and what one more probe does to it. */
struct video_liveness {
    int failures; /* consecutive failed probes */
    int down;     /* an outage is open */
};
enum video_event { VIDEO_EV_NONE = 0, VIDEO_EV_DOWN, VIDEO_EV_UP };
/* Apply one probe (ok or not) to l: VIDEO_EV_DOWN when this failure is the outage_failures-th in a
 * row (the outage opens and is told), VIDEO_EV_UP when a success ends an open outage. */
enum video_event video_after_probe(struct video_liveness *l, int ok, int outage_failures);

/* The documents behind the retention rule (the days are the parameter video.retention_min_days). */
#define VIDEO_RETENTION_BASIS "国卫人口发〔2019〕58号《托育机构管理规范（试行）》第三十二条；WS/T 821-2023"

/* The areas a camera may cover; children's areas are those children spend the day in. */
int video_area_known(const char *code);
const char *video_area_name(const char *code); /* "班级活动室" */
json_t *video_areas_json(void);                /* [{code, name, children}] */
json_t *video_rule_names_json(void);           /* the rule codes of video_findings: {"video.none": "未安装监控", …} */

/* An institution's cameras and classes, for its findings. */
struct video_camera_fact {
    int64_t id;
    const char *name, *area;
    int64_t class_id; /* 0 when none */
    int retention_days, active;
    int64_t institution_id;
};
struct video_class_fact {
    int64_t id;
    const char *name;
    int64_t institution_id;
};
/* The findings as a JSON array of {rule, severity, camera_id|class_id, message, basis}: each class
 * whose room no active camera covers (rule video.class_uncovered); an institution with classes
 * and no active camera at all (video.none); each active camera keeping recordings fewer than
 * retention_min days (video.retention). */
json_t *video_findings(const struct video_class_fact *classes, size_t nclasses, const struct video_camera_fact *cams,
                       size_t ncams, int retention_min, const char *retention_basis);

/* The findings of several institutions at once: classes and cams hold the facts of many, each
 * array in institution order; a JSON object {"<institution id>": [findings as video_findings
 * gives them]} holding the institutions that have any. */
json_t *video_findings_each(const struct video_class_fact *classes, size_t nclasses, const struct video_camera_fact *cams,
                            size_t ncams, int retention_min, const char *retention_basis);

/* Is the local time hhmm ("HH:MM") within [from, to) (both "HH:MM", to after from; to may be
 * "24:00", the day's end)? */
int video_within_hours(const char *hhmm, const char *from, const char *to);
/* Is text a time of day "HH:MM"? */
int video_hhmm_valid(const char *text);

#endif

/* video.c — the rules of 可视托 (video.h). */
#include "video/video.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *code;
    enum video_scheme scheme;
    int port;
} SCHEMES[] = {{"rtsp", VIDEO_RTSP, 554}, {"http", VIDEO_HTTP, 80}, {"https", VIDEO_HTTPS, 443}};
#define NSCHEMES (sizeof SCHEMES / sizeof *SCHEMES)

const char *video_scheme_code(enum video_scheme s)
{
    for (size_t i = 0; i < NSCHEMES; i++)
        if (SCHEMES[i].scheme == s)
            return SCHEMES[i].code;
    return "";
}

enum video_scheme video_scheme_of(const char *code)
{
    for (size_t i = 0; code && i < NSCHEMES; i++)
        if (strcmp(SCHEMES[i].code, code) == 0)
            return SCHEMES[i].scheme;
    return VIDEO_HTTP;
}

void video_url_format(const struct video_url *u, const char *userinfo, char *out, size_t cap)
{
    int v6 = strchr(u->host, ':') != NULL;
    snprintf(out, cap, "%s://%s%s%s%s%s:%d%s", video_scheme_code(u->scheme), userinfo, *userinfo ? "@" : "",
             v6 ? "[" : "", u->host, v6 ? "]" : "", u->port, u->path);
}

static int bad_url(struct err *e, const char *code, const char *what)
{
    return err_set(e, 422, code, "url", "视频流地址%s", what);
}

int video_url_parse(const char *url, struct video_url *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (!url || !*url)
        return bad_url(e, "bad_url", "不能为空");
    if (strlen(url) > 1000)
        return bad_url(e, "bad_url", "过长（最多 1000 个字符）");
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return bad_url(e, "bad_url", "含有空格或控制字符");
    const char *sep = strstr(url, "://");
    if (!sep)
        return bad_url(e, "bad_url", "应以 rtsp://、http:// 或 https:// 开头");
    size_t k = 0;
    while (k < NSCHEMES && !((size_t)(sep - url) == strlen(SCHEMES[k].code) &&
                             strncasecmp(url, SCHEMES[k].code, strlen(SCHEMES[k].code)) == 0))
        k++;
    if (k == NSCHEMES)
        return err_set(e, 422, "unsupported_scheme", "url", "不支持的视频流协议“%.*s”（支持 rtsp、http、https）",
                       (int)(sep - url) > 16 ? 16 : (int)(sep - url), url);
    out->scheme = SCHEMES[k].scheme;
    out->port = SCHEMES[k].port;
    const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#");
    /* userinfo: the last '@' before the path */
    const char *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    const char *host = auth;
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        size_t ulen = (size_t)((colon ? colon : at) - auth);
        size_t plen = colon ? (size_t)(at - colon - 1) : 0;
        if (ulen == 0 || ulen >= sizeof out->user || plen >= sizeof out->password)
            return bad_url(e, "bad_url", "中的用户名或密码不合规");
        memcpy(out->user, auth, ulen);
        if (colon)
            memcpy(out->password, colon + 1, plen);
        host = at + 1;
    }
    const char *host_end, *port_at = NULL;
    if (*host == '[') {
        const char *close = memchr(host, ']', (size_t)(end - host));
        if (!close)
            return bad_url(e, "bad_url", "中的 IPv6 地址缺少“]”");
        host_end = close;
        host++;
        if (close + 1 < end) {
            if (close[1] != ':')
                return bad_url(e, "bad_url", "的主机部分不合规");
            port_at = close + 2;
        }
    } else {
        host_end = memchr(host, ':', (size_t)(end - host));
        if (host_end)
            port_at = host_end + 1;
        else
            host_end = end;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0)
        return bad_url(e, "bad_url", "缺少主机（IP 地址或域名）");
    if (hlen >= sizeof out->host)
        return bad_url(e, "bad_url", "的主机名过长");
    for (const char *p = host; p < host_end; p++)
        if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == ':' || *p == '_'))
            return bad_url(e, "bad_url", "的主机名含有不允许的字符");
    memcpy(out->host, host, hlen);
    if (port_at) {
        char *stop;
        long port = strtol(port_at, &stop, 10);
        if (port_at == end || stop != end || port < 1 || port > 65535)
            return err_set(e, 422, "bad_url", "url", "视频流地址的端口应为 1–65535 的整数");
        out->port = (int)port;
    }
    size_t path_len = strlen(end);
    if (path_len >= sizeof out->path)
        return bad_url(e, "bad_url", "的路径过长");
    snprintf(out->path, sizeof out->path, "%s", path_len ? end : "/");
    if (out->path[0] != '/') /* "?x" or "#x" with no path */
        snprintf(out->path, sizeof out->path, "/%s", end);
    return 0;
}

int video_host_is_loopback(const char *host)
{
    if (strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0)
        return 1;
    int a, b, c, d;
    char extra;
    return sscanf(host, "%d.%d.%d.%d%c", &a, &b, &c, &d, &extra) == 4 && a == 127 && b >= 0 && b < 256 && c >= 0 &&
           c < 256 && d >= 0 && d < 256;
}

size_t video_probe_request(const struct video_url *u, char *out, size_t cap)
{
    int n = 0;
    if (u->scheme == VIDEO_RTSP)
        n = snprintf(out, cap, "OPTIONS rtsp://%s%s%s:%d%s RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: tuoyu-probe\r\n\r\n",
                     strchr(u->host, ':') ? "[" : "", u->host, strchr(u->host, ':') ? "]" : "", u->port, u->path);
    else if (u->scheme == VIDEO_HTTP)
        n = snprintf(out, cap, "HEAD %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: tuoyu-probe\r\nConnection: close\r\n\r\n",
                     u->path, u->host);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int video_probe_verdict(enum video_scheme s, const char *reply, size_t n, char *reason, size_t reason_cap)
{
    const char *eol = memchr(reply, '\n', n);
    if (!eol)
        return n >= 256 ? (snprintf(reason, reason_cap, "bad_reply"), 0) : -1;
    const char *want = s == VIDEO_RTSP ? "RTSP/1.0 " : "HTTP/1.";
    size_t wl = strlen(want);
    if ((size_t)(eol - reply) < wl + 3 || memcmp(reply, want, wl) != 0) {
        snprintf(reason, reason_cap, "bad_reply");
        return 0;
    }
    const char *code = reply + wl;
    if (s != VIDEO_RTSP) { /* "HTTP/1.1 200": skip the minor version and the space */
        if (eol - code < 5 || !isdigit((unsigned char)code[0]) || code[1] != ' ') {
            snprintf(reason, reason_cap, "bad_reply");
            return 0;
        }
        code += 2;
    }
    if (!isdigit((unsigned char)code[0]) || !isdigit((unsigned char)code[1]) || !isdigit((unsigned char)code[2])) {
        snprintf(reason, reason_cap, "bad_reply");
        return 0;
    }
    int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    /* a device that answers is alive: 2xx and 3xx, and 401 (it asks the viewer to log in) */
    if ((status >= 200 && status < 400) || status == 401)
        return 1;
    snprintf(reason, reason_cap, "status_%d", status);
    return 0;
}

enum video_event video_after_probe(struct video_liveness *l, int ok, int outage_failures)
{
    if (ok) {
        int was_down = l->down;
        l->failures = 0;
        l->down = 0;
        return was_down ? VIDEO_EV_UP : VIDEO_EV_NONE;
    }
    l->failures++;
    if (!l->down && l->failures >= (outage_failures < 1 ? 1 : outage_failures)) {
        l->down = 1;
        return VIDEO_EV_DOWN;
    }
    return VIDEO_EV_NONE;
}

/* 《托育机构管理规范（试行）》第三十二条: cameras cover every children's area (幼儿活动区域). */
static const struct {
    const char *code, *name;
    int children;
} AREAS[] = {
    {"class", "班级活动室", 1}, {"sleep", "睡眠室", 1},    {"activity", "公共活动区", 1}, {"dining", "就餐区", 1},
    {"outdoor", "户外场地", 1}, {"entrance", "出入口", 0}, {"other", "其他区域", 0},
};
#define NAREAS (sizeof AREAS / sizeof *AREAS)

int video_area_known(const char *code)
{
    for (size_t i = 0; code && i < NAREAS; i++)
        if (strcmp(AREAS[i].code, code) == 0)
            return 1;
    return 0;
}

const char *video_area_name(const char *code)
{
    for (size_t i = 0; code && i < NAREAS; i++)
        if (strcmp(AREAS[i].code, code) == 0)
            return AREAS[i].name;
    return "";
}

json_t *video_areas_json(void)
{
    json_t *a = json_array();
    for (size_t i = 0; i < NAREAS; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", AREAS[i].code, "name", AREAS[i].name, "children",
                                           AREAS[i].children));
    return a;
}

static const char *const COVERAGE_BASIS = "国卫人口发〔2019〕58号《托育机构管理规范（试行）》第三十二条";

json_t *video_findings(const struct video_class_fact *classes, size_t nclasses, const struct video_camera_fact *cams,
                       size_t ncams, int retention_min, const char *retention_basis)
{
    json_t *out = json_array();
    size_t active = 0;
    for (size_t k = 0; k < ncams; k++)
        active += cams[k].active != 0;
    if (nclasses > 0 && active == 0)
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "rule", "video.none", "severity", "high", "message",
                                             "机构未登记任何在用的监控摄像头", "basis", COVERAGE_BASIS));
    for (size_t c = 0; active > 0 && c < nclasses; c++) {
        int covered = 0;
        for (size_t k = 0; k < ncams && !covered; k++)
            covered = cams[k].active && cams[k].class_id == classes[c].id;
        if (!covered) {
            char msg[256];
            snprintf(msg, sizeof msg, "班级“%s”的活动室没有在用的监控摄像头", classes[c].name);
            json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:s, s:s}", "rule", "video.class_uncovered", "severity",
                                                 "high", "class_id", (json_int_t)classes[c].id, "message", msg, "basis",
                                                 COVERAGE_BASIS));
        }
    }
    for (size_t k = 0; k < ncams; k++) {
        if (!cams[k].active || cams[k].retention_days >= retention_min)
            continue;
        char msg[256];
        snprintf(msg, sizeof msg, "摄像头“%s”录像保存 %d 天，少于 %d 天", cams[k].name, cams[k].retention_days,
                 retention_min);
        json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:s, s:s}", "rule", "video.retention", "severity",
                                             "medium", "camera_id", (json_int_t)cams[k].id, "message", msg, "basis",
                                             retention_basis));
    }
    return out;
}

json_t *video_rule_names_json(void)
{
    return json_pack("{s:s, s:s, s:s}", "video.none", "未安装监控", "video.class_uncovered", "班级活动室未覆盖监控",
                     "video.retention", "录像保存期不足");
}

json_t *video_findings_each(const struct video_class_fact *classes, size_t nclasses, const struct video_camera_fact *cams,
                            size_t ncams, int retention_min, const char *retention_basis)
{
    json_t *out = json_object();
    size_t c = 0, k = 0;
    while (c < nclasses || k < ncams) {
        /* the next institution of either array, and its slices of both */
        int64_t inst = c < nclasses && (k >= ncams || classes[c].institution_id <= cams[k].institution_id)
                           ? classes[c].institution_id
                           : cams[k].institution_id;
        size_t c0 = c, k0 = k;
        while (c < nclasses && classes[c].institution_id == inst)
            c++;
        while (k < ncams && cams[k].institution_id == inst)
            k++;
        json_t *f = video_findings(classes + c0, c - c0, cams + k0, k - k0, retention_min, retention_basis);
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)inst);
        if (json_array_size(f))
            json_object_set_new(out, key, f);
        else
            json_decref(f);
    }
    return out;
}

int video_hhmm_valid(const char *t)
{
    return t && strlen(t) == 5 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) && t[2] == ':' &&
           isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) && (t[0] - '0') * 10 + (t[1] - '0') < 24 &&
           t[3] - '0' < 6;
}

int video_within_hours(const char *hhmm, const char *from, const char *to)
{
    /* "HH:MM" texts order as the times they name */
    return video_hhmm_valid(hhmm) && video_hhmm_valid(from) && (video_hhmm_valid(to) || strcmp(to, "24:00") == 0) &&
           strcmp(hhmm, from) >= 0 && strcmp(hhmm, to) < 0;
}

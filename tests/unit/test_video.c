/* test_video.c — the pure rules of 可视托 (video.c): stream addresses (schemes, default ports,
 * userinfo, IPv6, bad ports and characters), loopback, the probe request and the verdict on a
 * reply (RTSP and HTTP status lines, 401 alive, partial lines), the liveness state machine
 * (consecutive failures open one outage, a success closes it), the coverage and retention
 * findings, and the parents' hours; plus the prober itself against sockets of this process. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "video/probe.h"
#include "video/video.h"

static void test_url(void **state)
{
    (void)state;
    struct video_url u;
    struct err e = {0};
    assert_int_equal(video_url_parse("rtsp://admin:pa:ss@192.168.1.20/Streaming/Channels/101", &u, &e), 0);
    assert_int_equal(u.scheme, VIDEO_RTSP);
    assert_string_equal(u.host, "192.168.1.20");
    assert_int_equal(u.port, 554);
    assert_string_equal(u.path, "/Streaming/Channels/101");
    assert_string_equal(u.user, "admin");
    assert_string_equal(u.password, "pa:ss");
    assert_int_equal(video_url_parse("HTTP://cam.example.org:8080", &u, &e), 0);
    assert_int_equal(u.scheme, VIDEO_HTTP);
    assert_int_equal(u.port, 8080);
    assert_string_equal(u.path, "/");
    assert_int_equal(video_url_parse("https://[::1]:8443/live?x=1", &u, &e), 0);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.path, "/live?x=1");
    char out[256];
    video_url_format(&u, "", out, sizeof out);
    assert_string_equal(out, "https://[::1]:8443/live?x=1");
    video_url_format(&u, "a:b", out, sizeof out);
    assert_string_equal(out, "https://a:b@[::1]:8443/live?x=1");

    const char *bad[][2] = {
        {"ftp://127.0.0.1/x", "unsupported_scheme"}, {"127.0.0.1:554", "bad_url"},  {"rtsp://:554/x", "bad_url"},
        {"rtsp://127.0.0.1:0/x", "bad_url"},         {"rtsp://127.0.0.1:65536", "bad_url"},
        {"rtsp://127.0.0.1:5a4", "bad_url"},         {"rtsp://cam era/x", "bad_url"}, {"rtsp://[::1/x", "bad_url"},
        {"rtsp://@127.0.0.1/x", "bad_url"},          {"", "bad_url"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err_clear(&e);
        assert_int_equal(video_url_parse(bad[i][0], &u, &e), -1);
        assert_string_equal(e.code, bad[i][1]);
        assert_string_equal(e.field, "url");
    }
    assert_true(video_host_is_loopback("127.0.0.1"));
    assert_true(video_host_is_loopback("127.8.9.10"));
    assert_true(video_host_is_loopback("::1"));
    assert_true(video_host_is_loopback("localhost"));
    assert_false(video_host_is_loopback("128.0.0.1"));
    assert_false(video_host_is_loopback("127.0.0.1.example.org"));
    assert_false(video_host_is_loopback("10.0.0.1"));
}

static void test_request_and_verdict(void **state)
{
    (void)state;
    struct video_url u;
    struct err e = {0};
    char req[640], why[32];
    assert_int_equal(video_url_parse("rtsp://10.0.0.5:8554/ch1", &u, &e), 0);
    assert_true(video_probe_request(&u, req, sizeof req) > 0);
    assert_non_null(strstr(req, "OPTIONS rtsp://10.0.0.5:8554/ch1 RTSP/1.0\r\nCSeq: 1\r\n"));
    assert_int_equal(video_url_parse("http://10.0.0.5/snap.jpg", &u, &e), 0);
    assert_true(video_probe_request(&u, req, sizeof req) > 0);
    assert_memory_equal(req, "HEAD /snap.jpg HTTP/1.1\r\nHost: 10.0.0.5\r\n", 40);
    assert_int_equal(video_url_parse("https://10.0.0.5/", &u, &e), 0);
    assert_int_equal(video_probe_request(&u, req, sizeof req), 0);

    struct {
        enum video_scheme s;
        const char *reply;
        int verdict;
        const char *why;
    } cases[] = {
        {VIDEO_RTSP, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n", 1, ""},
        {VIDEO_RTSP, "RTSP/1.0 401 Unauthorized\r\n", 1, ""},
        {VIDEO_RTSP, "RTSP/1.0 503 Service Unavailable\r\n", 0, "status_503"},
        {VIDEO_RTSP, "HTTP/1.1 200 OK\r\n", 0, "bad_reply"},
        {VIDEO_RTSP, "RTSP/1.0 20", -1, ""},
        {VIDEO_HTTP, "HTTP/1.1 302 Found\r\n", 1, ""},
        {VIDEO_HTTP, "HTTP/1.0 404 Not Found\r\n", 0, "status_404"},
        {VIDEO_HTTP, "HTTP/1.1 2x0 OK\r\n", 0, "bad_reply"},
        {VIDEO_HTTP, "SSH-2.0-OpenSSH_9.2\r\n", 0, "bad_reply"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        why[0] = '\0';
        int v = video_probe_verdict(cases[i].s, cases[i].reply, strlen(cases[i].reply), why, sizeof why);
        assert_int_equal(v, cases[i].verdict);
        if (v == 0)
            assert_string_equal(why, cases[i].why);
    }
}

static void test_liveness(void **state)
{
    (void)state;
    struct video_liveness l = {0};
    assert_int_equal(video_after_probe(&l, 0, 3), VIDEO_EV_NONE);
    assert_int_equal(video_after_probe(&l, 0, 3), VIDEO_EV_NONE);
    assert_int_equal(video_after_probe(&l, 0, 3), VIDEO_EV_DOWN); /* the third in a row */
    assert_true(l.down);
    assert_int_equal(video_after_probe(&l, 0, 3), VIDEO_EV_NONE); /* told once */
    assert_int_equal(l.failures, 4);
    assert_int_equal(video_after_probe(&l, 1, 3), VIDEO_EV_UP);
    assert_int_equal(l.failures, 0);
    assert_false(l.down);
    /* a failure between successes never opens one */
    assert_int_equal(video_after_probe(&l, 0, 3), VIDEO_EV_NONE);
    assert_int_equal(video_after_probe(&l, 1, 3), VIDEO_EV_NONE);
    assert_int_equal(video_after_probe(&l, 0, 1), VIDEO_EV_DOWN);
}

static void test_findings(void **state)
{
    (void)state;
    struct video_class_fact classes[] = {{11, "乳儿班"}, {12, "托小班"}};
    struct video_camera_fact none[] = {{1, "旧摄像头", "class", 11, 120, 0}};
    json_t *f = video_findings(classes, 2, none, 1, 90, "basis");
    assert_int_equal(json_array_size(f), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(f, 0), "rule")), "video.none");
    json_decref(f);
    struct video_camera_fact cams[] = {{1, "乳儿班", "class", 11, 89, 1}, {2, "门口", "entrance", 0, 30, 0}};
    f = video_findings(classes, 2, cams, 2, 90, "basis");
    assert_int_equal(json_array_size(f), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(f, 0), "rule")), "video.class_uncovered");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(f, 0), "class_id")), 12);
    assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "rule")), "video.retention");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(f, 1), "camera_id")), 1);
    json_decref(f);
    cams[0].retention_days = 90; /* at the threshold: kept long enough */
    cams[1].class_id = 0;
    struct video_camera_fact all[] = {cams[0], {3, "托小班", "class", 12, 180, 1}};
    f = video_findings(classes, 2, all, 2, 90, "basis");
    assert_int_equal(json_array_size(f), 0);
    json_decref(f);
    f = video_findings(NULL, 0, NULL, 0, 90, "basis"); /* no classes: nothing to cover */
    assert_int_equal(json_array_size(f), 0);
    json_decref(f);
    assert_true(video_area_known("sleep"));
    assert_false(video_area_known("kitchen"));
}

static void test_hours(void **state)
{
    (void)state;
    assert_true(video_within_hours("08:00", "08:00", "17:30"));
    assert_true(video_within_hours("17:29", "08:00", "17:30"));
    assert_false(video_within_hours("17:30", "08:00", "17:30"));
    assert_false(video_within_hours("07:59", "08:00", "17:30"));
    assert_true(video_within_hours("23:59", "00:00", "24:00"));
    assert_false(video_within_hours("24:00", "00:00", "24:00"));
    assert_false(video_hhmm_valid("8:00"));
    assert_false(video_hhmm_valid("24:00"));
    assert_false(video_hhmm_valid("12:60"));
    assert_true(video_hhmm_valid("00:00"));
}

/* ---- the prober on sockets of this process: one answers, one hangs, one port refuses ---- */

static int listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 64), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

static void *answer_all(void *arg)
{
    int fd = *(int *)arg;
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char buf[512];
        if (read(c, buf, sizeof buf) > 0) {
            const char *reply = "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n";
            if (write(c, reply, strlen(reply)) < 0)
                perror("write");
        }
        close(c);
    }
}

static void test_prober(void **state)
{
    (void)state;
    int ok_port, hang_port, gone_port;
    int ok_fd = listener(&ok_port), hang_fd = listener(&hang_port), gone_fd = listener(&gone_port);
    close(gone_fd); /* nothing listens there now */
    pthread_t t;
    pthread_create(&t, NULL, answer_all, &ok_fd);
    enum { N = 40 };
    struct video_url urls[N];
    struct video_result res[N];
    struct err e = {0};
    for (int i = 0; i < N; i++) {
        char u[96];
        int port = i % 4 == 1 ? hang_port : i % 4 == 2 ? gone_port : ok_port;
        snprintf(u, sizeof u, "%s://127.0.0.1:%d/ch%d", i % 4 == 3 ? "https" : "rtsp", port, i);
        assert_int_equal(video_url_parse(u, &urls[i], &e), 0);
    }
    /* fewer slots than cameras: each slot is reused */
    assert_int_equal(video_probe_all(urls, N, 8, 300, res), 0);
    for (int i = 0; i < N; i++) {
        if (i % 4 == 1) {
            assert_false(res[i].ok);
            assert_string_equal(res[i].reason, "timeout");
            assert_true(res[i].millis >= 290);
        } else if (i % 4 == 2) {
            assert_false(res[i].ok);
            assert_string_equal(res[i].reason, "refused");
        } else {
            assert_true(res[i].ok); /* RTSP answered; https: the port accepts */
        }
    }
    shutdown(ok_fd, SHUT_RDWR);
    close(ok_fd);
    pthread_join(t, NULL);
    close(hang_fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url),      cmocka_unit_test(test_request_and_verdict), cmocka_unit_test(test_liveness),
        cmocka_unit_test(test_findings), cmocka_unit_test(test_hours),               cmocka_unit_test(test_prober),
    };
    return cmocka_run_group_tests_name("video", tests, NULL, NULL);
}

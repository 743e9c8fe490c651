/* probe.c — the liveness probes (probe.h): non-blocking sockets and poll, from one thread. */
#include "video/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


int64_t video_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The address of u, numeric or looked up: 0, or -1 (no such name). */
static int resolve(const struct video_url *u, struct sockaddr_storage *sa, socklen_t *len)
{
    memset(sa, 0, sizeof *sa);
    struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    if (inet_pton(AF_INET, u->host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)u->port);
        *len = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, u->host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)u->port);
        *len = sizeof *v6;
        return 0;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(u->host, NULL, &hints, &res) != 0 || !res)
        return -1;
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    if (sa->ss_family == AF_INET)
        v4->sin_port = htons((uint16_t)u->port);
    else
        v6->sin6_port = htons((uint16_t)u->port);
    freeaddrinfo(res);
    return 0;
}

enum phase { IDLE = 0, CONNECTING, SENDING, READING };

struct slot {
    enum phase phase;
    size_t target;
    int fd;
    int64_t started, deadline;
    char request[640];
    size_t request_len, sent;
    char reply[512];
    size_t got;
};

static void finish(struct slot *s, struct video_result *results, int ok, const char *reason)
{
    struct video_result *r = &results[s->target];
    r->ok = ok;
    snprintf(r->reason, sizeof r->reason, "%s", ok ? "" : reason);
    r->millis = (int)(video_clock_ms() - s->started);
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    s->phase = IDLE;
}

static const char *connect_error(int err)
{
    return err == ECONNREFUSED ? "refused" : err == ETIMEDOUT ? "timeout" : "unreachable";
}

/* Open the connection of target t in slot s; a failure known at once finishes it. */
static void start(struct slot *s, size_t t, const struct video_url *urls, struct video_result *results, int timeout_ms)
{
    memset(s, 0, sizeof *s);
    s->target = t;
    s->fd = -1;
    s->started = video_clock_ms();
    s->deadline = s->started + timeout_ms;
    s->phase = CONNECTING;
    struct sockaddr_storage sa;
    socklen_t len;
    if (resolve(&urls[t], &sa, &len) < 0)
        return finish(s, results, 0, "resolve");
    s->request_len = video_probe_request(&urls[t], s->request, sizeof s->request);
    s->fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        return finish(s, results, 0, "unreachable");
    if (connect(s->fd, (struct sockaddr *)&sa, len) < 0 && errno != EINPROGRESS)
        return finish(s, results, 0, connect_error(errno));
}

/* Move slot s on after poll reported revents. */
static void advance(struct slot *s, short revents, const struct video_url *urls, struct video_result *results)
{
    const struct video_url *u = &urls[s->target];
    if (s->phase == CONNECTING) {
        int err = 0;
        socklen_t elen = sizeof err;
        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
            err = errno;
        if (err)
            return finish(s, results, 0, connect_error(err));
        if (!(revents & POLLOUT))
            return;
        if (s->request_len == 0) /* https: the port accepts a connection */
            return finish(s, results, 1, "");
        s->phase = SENDING;
    }
    if (s->phase == SENDING) {
        ssize_t n = send(s->fd, s->request + s->sent, s->request_len - s->sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return finish(s, results, 0, "unreachable");
        if (n > 0)
            s->sent += (size_t)n;
        if (s->sent == s->request_len)
            s->phase = READING;
        return;
    }
    if (s->phase == READING && (revents & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t n = recv(s->fd, s->reply + s->got, sizeof s->reply - s->got, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n > 0)
            s->got += (size_t)n;
        char reason[32] = "bad_reply";
        int v = video_probe_verdict(u->scheme, s->reply, s->got, reason, sizeof reason);
        if (v < 0 && n <= 0) /* closed before a whole status line */
            v = 0;
        if (v >= 0)
            finish(s, results, v, reason);
    }
}

int video_probe_all(const struct video_url *urls, size_t n, int concurrency, int timeout_ms,
                    struct video_result *results)
{
    if (concurrency < 1)
        concurrency = 1;
    if ((size_t)concurrency > n)
        concurrency = n ? (int)n : 1;
    struct slot *slots = calloc((size_t)concurrency, sizeof *slots);
    struct pollfd *fds = calloc((size_t)concurrency, sizeof *fds);
    int *of = calloc((size_t)concurrency, sizeof *of);
    if (!slots || !fds || !of) {
        free(slots);
        free(fds);
        free(of);
        return -1;
    }
    size_t next = 0, done = 0;
    while (done < n) {
        for (int k = 0; k < concurrency && next < n; k++)
            if (slots[k].phase == IDLE) {
                start(&slots[k], next++, urls, results, timeout_ms);
                if (slots[k].phase == IDLE)
                    done++;
            }
        int nfds = 0;
        int64_t now = video_clock_ms(), wait = timeout_ms;
        for (int k = 0; k < concurrency; k++) {
            struct slot *s = &slots[k];
            if (s->phase == IDLE)
                continue;
            if (now >= s->deadline) {
                finish(s, results, 0, "timeout");
                done++;
                continue;
            }
            if (s->deadline - now < wait)
                wait = s->deadline - now;
            fds[nfds] = (struct pollfd){.fd = s->fd, .events = s->phase == READING ? POLLIN : POLLOUT};
            of[nfds++] = k;
        }
        if (nfds == 0)
            continue;
        int ready = poll(fds, (nfds_t)nfds, (int)(wait < 1 ? 1 : wait));
        if (ready < 0 && errno != EINTR)
            break;
        for (int j = 0; ready > 0 && j < nfds; j++) {
            if (!fds[j].revents)
                continue;
            struct slot *s = &slots[of[j]];
            advance(s, fds[j].revents, urls, results);
            if (s->phase == IDLE)
                done++;
        }
    }
    for (int k = 0; k < concurrency; k++)
        if (slots[k].phase != IDLE)
            finish(&slots[k], results, 0, "timeout");
    free(slots);
    free(fds);
    free(of);
    return 0;
}

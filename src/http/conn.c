/* conn.c — what the server keeps per TCP connection (libmicrohttpd's socket context): the peer
 * address and whether it is a trusted proxy, the limit of connections per address, the header and
 * body deadlines, and a request's client address (from X-Forwarded-For when a trusted proxy sent
 * it).
 *
 * libmicrohttpd's own timeout restarts with every byte, so a client sending its headers one byte a
 * second would keep its connection for ever. Each connection therefore records what it is doing
 * and since when (struct http_conn.state, written by its worker thread), and a sweeper thread
 * looks at every connection a few times a second and shuts down (shutdown(2): libmicrohttpd sees
 * the client close) those past their deadline. The sweeper holds the shard lock while it does so,
 * and a connection leaves its shard (NOTIFY_CLOSED) before libmicrohttpd closes its descriptor, so
 * the descriptor shut down is never another connection's. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <sodium.h>

#include "base/crypt.h"
#include "http/internal.h"

/* Bytes seen on an idle connection count as the start of its next request only when they arrived
 * this long after the previous reply was done (the kernel's receive time is in jiffies). */
#define DATA_SLACK_MS 20

/* ---- addresses ---- */

static const unsigned char V4_MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int addr_is_v4(const unsigned char a[16]) { return memcmp(a, V4_MAPPED, sizeof V4_MAPPED) == 0; }

/* "1.2.3.4" or an IPv6 address (n bytes, not NUL-terminated) into 16 bytes, IPv4 as ::ffff:a.b.c.d. */
static int addr_parse(const char *s, size_t n, unsigned char out[16])
{
    char buf[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET, buf, out + 12) == 1) {
        memcpy(out, V4_MAPPED, sizeof V4_MAPPED);
        return 0;
    }
    return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

static void addr_format(const unsigned char a[16], char *out, size_t n)
{
    if (!inet_ntop(addr_is_v4(a) ? AF_INET : AF_INET6, addr_is_v4(a) ? a + 12 : a, out, (socklen_t)n))
        out[0] = '\0';
}

static int addr_in_net(const unsigned char a[16], const struct http_net *net)
{
    int full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(a, net->addr, (size_t)full) != 0)
        return 0;
    if (!rest)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a[full] & mask) == (net->addr[full] & mask);
}

static int addr_trusted(const struct http_conns *cs, const unsigned char a[16])
{
    for (int i = 0; i < cs->ntrusted; i++)
        if (addr_in_net(a, &cs->trusted[i]))
            return 1;
    return 0;
}

static int addr_is_loopback(const unsigned char a[16])
{
    static const unsigned char V6_LOOPBACK[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return (addr_is_v4(a) && a[12] == 127) || memcmp(a, V6_LOOPBACK, 16) == 0;
}

int http_trusted_parse(const char *list, struct http_net **out, int *count, struct err *e)
{
    *out = NULL;
    *count = 0;
    if (!list || !*list)
        return 0;
    int cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    struct http_net *nets = calloc((size_t)cap, sizeof *nets);
    if (!nets)
        return err_set(e, 500, "oom", "", "内存不足");
    int n = 0;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        const char *slash = memchr(a, '/', (size_t)(b - a));
        struct http_net *net = &nets[n];
        int bits = -1;
        if (addr_parse(a, (size_t)((slash ? slash : b) - a), net->addr) == 0) {
            int max = addr_is_v4(net->addr) ? 32 : 128;
            bits = max;
            if (slash) {
                char *stop = NULL;
                long v = slash + 1 < b && slash[1] >= '0' && slash[1] <= '9' ? strtol(slash + 1, &stop, 10) : -1;
                bits = v >= 0 && v <= max && stop == b ? (int)v : -1;
            }
            if (bits >= 0)
                bits += 128 - max;
        }
        if (bits < 0) {
            free(nets);
            return err_set(e, 400, "bad_trusted_proxy", "trusted_proxy", "受信任代理地址无效：%.*s", (int)(b - a), a);
        }
        net->bits = bits;
        n++;
        p = *end ? end + 1 : end;
    }
    *out = nets;
    *count = n;
    return 0;
}

/* ---- connections per address ----
 * An open-addressing table (linear probing, backward-shift deletion) of at least twice as many
 * slots as connections can be open, so it never fills. Keys are IPv4 addresses and IPv6 /64
 * prefixes (what one client usually holds), hashed with SipHash under a random key so that
 * nobody can choose addresses that collide. */

static size_t addr_home(const struct http_conns *cs, const unsigned char key[16])
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, key, 16, cs->hash_key);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    return (size_t)v & cs->addr_mask;
}

/* Count one more connection of key: the count now, or 0 when the table is full. */
static uint32_t addr_add(struct http_conns *cs, const unsigned char key[16])
{
    size_t home = addr_home(cs, key);
    uint32_t n = 0;
    pthread_mutex_lock(&cs->addr_lock);
    for (size_t i = home, probes = 0; probes <= cs->addr_mask; i = (i + 1) & cs->addr_mask, probes++) {
        struct http_addr_slot *s = &cs->addrs[i];
        if (!s->count) {
            memcpy(s->key, key, 16);
            s->home = home;
            n = s->count = 1;
            break;
        }
        if (memcmp(s->key, key, 16) == 0) {
            n = ++s->count;
            break;
        }
    }
    pthread_mutex_unlock(&cs->addr_lock);
    return n;
}

static void addr_remove(struct http_conns *cs, const unsigned char key[16])
{
    size_t mask = cs->addr_mask, i = addr_home(cs, key);
    struct http_addr_slot *t = cs->addrs;
    pthread_mutex_lock(&cs->addr_lock);
    while (t[i].count && memcmp(t[i].key, key, 16) != 0)
        i = (i + 1) & mask;
    if (t[i].count && --t[i].count == 0) {
        /* move each later entry of the run into the hole, unless its home slot lies (cyclically)
         * after the hole: then it is still reachable from its home */
        for (size_t j = (i + 1) & mask; t[j].count; j = (j + 1) & mask)
            if (((j - t[j].home) & mask) >= ((j - i) & mask)) {
                t[i] = t[j];
                t[j].count = 0;
                i = j;
            }
    }
    pthread_mutex_unlock(&cs->addr_lock);
}

/* ---- the connection's life ---- */

static uint64_t now_ms(void) { return http_now_ns() / 1000000; }

void http_conn_set_phase(struct http_conn *hc, enum http_conn_phase phase)
{
    atomic_store_explicit(&hc->state, now_ms() << 2 | (uint64_t)phase, memory_order_relaxed);
}

static void shard_insert(struct http_conns *cs, struct http_conn *hc)
{
    struct http_conn_shard *sh = &cs->shards[(unsigned)hc->fd % HTTP_CONN_SHARDS];
    pthread_mutex_lock(&sh->lock);
    hc->next = sh->head;
    if (sh->head)
        sh->head->prev = hc;
    sh->head = hc;
    pthread_mutex_unlock(&sh->lock);
}

static void shard_remove(struct http_conns *cs, struct http_conn *hc)
{
    struct http_conn_shard *sh = &cs->shards[(unsigned)hc->fd % HTTP_CONN_SHARDS];
    pthread_mutex_lock(&sh->lock);
    if (hc->prev)
        hc->prev->next = hc->next;
    else
        sh->head = hc->next;
    if (hc->next)
        hc->next->prev = hc->prev;
    pthread_mutex_unlock(&sh->lock);
}

void http_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode code)
{
    struct http_server *srv = cls;
    struct http_conns *cs = &srv->conns;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct http_conn *hc = *socket_context;
        if (!hc)
            return;
        *socket_context = NULL;
        shard_remove(cs, hc);
        if (hc->counted)
            addr_remove(cs, hc->key);
        atomic_fetch_sub_explicit(&srv->metrics.conns_open, 1, memory_order_relaxed);
        free(hc);
        return;
    }
    const union MHD_ConnectionInfo *fdi = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!fdi)
        return;
    struct http_conn *hc = calloc(1, sizeof *hc);
    if (!hc) { /* untracked, it would escape the deadlines: close it */
        shutdown(fdi->connect_fd, SHUT_RDWR);
        return;
    }
    hc->fd = fdi->connect_fd;
    const union MHD_ConnectionInfo *ai = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ai ? ai->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET) {
        memcpy(hc->addr, V4_MAPPED, sizeof V4_MAPPED);
        memcpy(hc->addr + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        memcpy(hc->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    }
    addr_format(hc->addr, hc->addr_text, sizeof hc->addr_text);
    hc->trusted = addr_trusted(cs, hc->addr);
    atomic_store_explicit(&hc->state, now_ms() << 2 | HTTP_CONN_FRESH, memory_order_relaxed);
    atomic_fetch_add_explicit(&srv->metrics.conns_open, 1, memory_order_relaxed);
    if (cs->per_addr && !hc->trusted) {
        memcpy(hc->key, hc->addr, addr_is_v4(hc->addr) ? 16 : 8); /* IPv6: the /64 */
        uint32_t n = addr_add(cs, hc->key);
        hc->counted = n > 0;
        if (n == 0 || n > (uint32_t)cs->per_addr) {
            atomic_store_explicit(&hc->closing, 1, memory_order_relaxed);
            shutdown(hc->fd, SHUT_RDWR); /* libmicrohttpd reads end-of-file and closes it */
            atomic_fetch_add_explicit(&srv->metrics.closed_per_addr, 1, memory_order_relaxed);
        }
    }
    shard_insert(cs, hc);
    *socket_context = hc;
}

/* ---- the sweeper ---- */

/* When bytes last arrived on fd, if that was after `since` (ms, monotonic); else 0. */
static uint64_t data_after(int fd, uint64_t since, uint64_t now)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
        len < offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof ti.tcpi_last_data_recv ||
        ti.tcpi_last_data_recv > now)
        return 0;
    uint64_t at = now - ti.tcpi_last_data_recv;
    return at > since + DATA_SLACK_MS ? at : 0;
}

static void expire(struct http_conn *hc, _Atomic uint64_t *counter)
{
    atomic_store_explicit(&hc->closing, 1, memory_order_relaxed);
    shutdown(hc->fd, SHUT_RDWR);
    atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

static void sweep(struct http_server *srv)
{
    struct http_conns *cs = &srv->conns;
    for (int k = 0; k < HTTP_CONN_SHARDS; k++) {
        struct http_conn_shard *sh = &cs->shards[k];
        pthread_mutex_lock(&sh->lock);
        uint64_t now = now_ms();
        for (struct http_conn *hc = sh->head; hc; hc = hc->next) {
            if (atomic_load_explicit(&hc->closing, memory_order_relaxed))
                continue;
            uint64_t state = atomic_load_explicit(&hc->state, memory_order_relaxed);
            uint64_t since = state >> 2, age = now > since ? now - since : 0;
            int changed = state != hc->seen_state;
            if (changed) {
                hc->seen_state = state;
                hc->data_ms = 0;
            }
            switch ((enum http_conn_phase)(state & 3)) {
            case HTTP_CONN_FRESH:
                if (age >= cs->header_ms)
                    expire(hc, &srv->metrics.closed_header);
                break;
            case HTTP_CONN_IDLE:
                /* idle, libmicrohttpd's timeout applies; once the next request begins, ours. A
                 * connection seen idle for the first time is only noted: most begin their next
                 * request at once, and this spares them the system call. */
                if (!changed && !hc->data_ms)
                    hc->data_ms = data_after(hc->fd, since, now);
                if (hc->data_ms && now >= hc->data_ms + cs->header_ms)
                    expire(hc, &srv->metrics.closed_header);
                break;
            case HTTP_CONN_BODY:
                if (age >= cs->body_ms)
                    expire(hc, &srv->metrics.closed_body);
                break;
            case HTTP_CONN_BUSY:
                break;
            }
        }
        pthread_mutex_unlock(&sh->lock);
    }
}

static void *sweeper_main(void *arg)
{
    struct http_server *srv = arg;
    struct http_conns *cs = &srv->conns;
    /* a quarter of the shorter deadline, so a connection is closed at most 25 % late */
    uint64_t interval = (cs->header_ms < cs->body_ms ? cs->header_ms : cs->body_ms) / 4;
    if (interval > 1000)
        interval = 1000;
    if (interval < 50)
        interval = 50;
    pthread_mutex_lock(&cs->stop_lock);
    while (!cs->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t ns = (uint64_t)ts.tv_nsec + interval * 1000000;
        ts.tv_sec += (time_t)(ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        while (!cs->stop && pthread_cond_timedwait(&cs->stop_cond, &cs->stop_lock, &ts) == 0) {
        }
        if (cs->stop)
            break;
        pthread_mutex_unlock(&cs->stop_lock);
        sweep(srv);
        pthread_mutex_lock(&cs->stop_lock);
    }
    pthread_mutex_unlock(&cs->stop_lock);
    return NULL;
}

int http_conns_init(struct http_conns *cs, const struct http_server_config *cfg, int max_connections, struct err *e)
{
    memset(cs, 0, sizeof *cs);
    for (int k = 0; k < HTTP_CONN_SHARDS; k++)
        pthread_mutex_init(&cs->shards[k].lock, NULL);
    pthread_mutex_init(&cs->addr_lock, NULL);
    pthread_mutex_init(&cs->stop_lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&cs->stop_cond, &ca);
    pthread_condattr_destroy(&ca);
    cs->initialised = 1;
    cs->per_addr = cfg->max_per_addr < 0 ? 0 : cfg->max_per_addr ? cfg->max_per_addr : HTTP_DEFAULT_MAX_PER_ADDR;
    cs->header_ms = 1000 * (uint64_t)(cfg->header_timeout > 0 ? cfg->header_timeout : HTTP_DEFAULT_HEADER_TIMEOUT);
    cs->body_ms = 1000 * (uint64_t)(cfg->body_timeout > 0 ? cfg->body_timeout : HTTP_DEFAULT_BODY_TIMEOUT);
    if (http_trusted_parse(cfg->trusted_proxies, &cs->trusted, &cs->ntrusted, e) < 0)
        return -1;
    if (cs->per_addr) {
        size_t slots = 16;
        while (slots < 2 * (size_t)max_connections)
            slots *= 2;
        if (crypt_init() < 0 || !(cs->addrs = calloc(slots, sizeof *cs->addrs)))
            return err_set(e, 500, "oom", "", "内存不足");
        cs->addr_mask = slots - 1;
        randombytes_buf(cs->hash_key, sizeof cs->hash_key);
    }
    return 0;
}

int http_conns_start(struct http_server *srv, struct err *e)
{
    if (pthread_create(&srv->conns.sweeper, NULL, sweeper_main, srv) != 0)
        return err_set(e, 500, "thread", "", "无法启动连接清理线程");
    srv->conns.sweeping = 1;
    return 0;
}

void http_conns_free(struct http_conns *cs)
{
    if (!cs->initialised)
        return;
    if (cs->sweeping) {
        pthread_mutex_lock(&cs->stop_lock);
        cs->stop = 1;
        pthread_cond_signal(&cs->stop_cond);
        pthread_mutex_unlock(&cs->stop_lock);
        pthread_join(cs->sweeper, NULL);
    }
    for (int k = 0; k < HTTP_CONN_SHARDS; k++)
        pthread_mutex_destroy(&cs->shards[k].lock);
    pthread_mutex_destroy(&cs->addr_lock);
    pthread_mutex_destroy(&cs->stop_lock);
    pthread_cond_destroy(&cs->stop_cond);
    free(cs->addrs);
    free(cs->trusted);
    memset(cs, 0, sizeof *cs);
}

/* ---- a request's client ---- */

/* The last comma-separated element of s[0..n), without surrounding blanks. */
static void last_element(const char *s, size_t n, const char **out, size_t *out_n)
{
    const char *b = s + n, *a = b;
    while (a > s && a[-1] != ',')
        a--;
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
        b--;
    *out = a;
    *out_n = (size_t)(b - a);
}

void http_conn_client(struct http_req_state *st, const char *fwd_for, size_t fwd_for_len, const char *fwd_proto,
                      size_t fwd_proto_len)
{
    struct http_conn *hc = st->hc;
    struct http_conns *cs = &st->srv->conns;
    st->req.tls = st->srv->tls;
    memcpy(st->req.remote_addr, hc->addr_text, sizeof hc->addr_text);
    const unsigned char *client = hc->addr;
    unsigned char forwarded[16];
    if (hc->trusted) {
        const char *v;
        size_t n;
        if (fwd_proto) {
            last_element(fwd_proto, fwd_proto_len, &v, &n);
            if (n == 5 && strncasecmp(v, "https", 5) == 0)
                st->req.tls = 1;
        }
        /* from the right: each proxy appends the address it received the request from; the
         * first address that is not a trusted proxy is the client */
        while (fwd_for && fwd_for_len) {
            last_element(fwd_for, fwd_for_len, &v, &n);
            if (addr_parse(v, n, forwarded) < 0)
                break;
            client = forwarded;
            if (!addr_trusted(cs, forwarded))
                break;
            fwd_for_len = v > fwd_for ? (size_t)(v - fwd_for) : 0;
            while (fwd_for_len && fwd_for[fwd_for_len - 1] != ',')
                fwd_for_len--;
            if (fwd_for_len)
                fwd_for_len--; /* the comma */
        }
        if (client != hc->addr)
            addr_format(client, st->req.remote_addr, sizeof st->req.remote_addr);
    }
    st->client_loopback = addr_is_loopback(client);
}

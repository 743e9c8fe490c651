/* sms.c — the SMS channel of the outbox: queue, drain, the sink and HTTP adapters, the sender
 * thread (sms.h). */
#include "inbox/sms.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "app.h"
#include "base/date.h"
#include "base/http_client.h"
#include "base/mobile.h"
#include "inbox/store.h"

/* messages sent per round at most, so a backlog does not hold one transaction long */
#define SMS_ROUND_MAX 50

int sms_gateway_load(struct db *db, const struct crypt_key *k, const char *district, struct sms_gateway *g,
                     struct err *e)
{
    char url[512], sealed[1024];
    int rc = sms_store_gateway(db, district, url, sizeof url, sealed, sizeof sealed, e);
    if (rc <= 0)
        return rc;
    struct sms_gateway h = {.adapter = SMS_HTTP};
    snprintf(h.url, sizeof h.url, "%s", url);
    rc = http_client_check_url(url, "url", e) < 0 || crypt_open(k, sealed, h.credentials, sizeof h.credentials, e) < 0 ? -1 : 1;
    if (rc == 1)
        *g = h;
    sodium_memzero(&h, sizeof h);
    return rc;
}

int sms_gateway_store(struct db *db, const struct crypt_key *k, const char *district, const char *url,
                      const char *credentials, const char *now_ts, struct err *e)
{
    struct sms_gateway g = {0};
    char sealed[1024];
    if (strlen(url) >= sizeof g.url)
        return err_set(e, 422, "url_invalid", "url", "短信网关地址过长");
    if (http_client_check_url(url, "url", e) < 0)
        return -1;
    if (strlen(credentials) >= sizeof g.credentials || strpbrk(credentials, "\r\n"))
        return err_set(e, 422, "credentials_invalid", "credentials", "短信网关凭据须为一行，且不超过 511 字节");
    if (crypt_seal(k, credentials, sealed, sizeof sealed, e) < 0)
        return -1;
    return sms_store_gateway_write(db, district, url, sealed, now_ts, e);
}

int sms_enqueue(struct db *db, const struct crypt_key *k, const char *district, const char *number, const char *text,
                const char *now_ts, struct err *e)
{
    size_t need = crypt_sealed_size(strlen(text));
    char mobile[MOBILE_SEALED_LEN], *body = malloc(need);
    if (!body)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = crypt_seal(k, number, mobile, sizeof mobile, e) < 0 || crypt_seal(k, text, body, need, e) < 0
                 ? -1
                 : sms_store_enqueue(db, district, mobile, body, now_ts, e);
    free(body);
    return rc;
}

/* ---- adapters ---- */

static int send_sink(const struct sms_gateway *g, const char *number, const char *text, const char *now_ts,
                     struct err *e)
{
    int fd = open(g->sink_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, 503, "sms_sink", "", "短信测试接收文件无法写入：%s", strerror(errno));
    size_t n = strlen(text);
    char *line = malloc(n + 64);
    if (!line) {
        close(fd);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    int len = snprintf(line, n + 64, "%s\t%s\t%s\n", now_ts, number, text);
    for (char *c = line + len - n - 1; c < line + len - 1; c++)
        if (*c == '\n' || *c == '\t')
            *c = ' ';
    int ok = write(fd, line, (size_t)len) == len; /* one write with O_APPEND: lines never interleave */
    free(line);
    close(fd);
    return ok ? 0 : err_set(e, 503, "sms_sink", "", "短信测试接收文件写入失败");
}

static int send_http(const struct sms_gateway *g, const char *number, const char *text, struct err *e)
{
    json_t *o = json_pack("{s:s, s:s}", "mobile", number, "text", text);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL, *auth = NULL;
    json_decref(o);
    int len = body ? asprintf(&auth, "Authorization: %s", g->credentials) : -1;
    if (len < 0) {
        free(body);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    const char *headers[] = {"Content-Type: application/json; charset=utf-8", auth, NULL};
    struct http_client_request r = {.method = "POST", .url = g->url, .headers = headers, .body = body,
                                    .body_len = strlen(body)};
    struct http_client_response res;
    int rc = http_client_send(&r, &res, e);
    sodium_memzero(auth, (size_t)len);
    sodium_memzero(body, strlen(body));
    free(auth);
    free(body);
    if (rc < 0) {
        char why[sizeof e->message];
        snprintf(why, sizeof why, "%s", e->message);
        return err_set(e, 503, "sms_gateway", "", "短信网关：%s", why);
    }
    long status = res.status;
    http_client_response_free(&res);
    if (status < 200 || status > 299)
        return err_set(e, 503, "sms_gateway", "", "短信网关未接受短信（状态 %ld）", status);
    return 0;
}

static int send_one(const struct sms_gateway *g, const char *number, const char *text, const char *now_ts,
                    struct err *e)
{
    switch (g->adapter) {
    case SMS_SINK:
        return send_sink(g, number, text, now_ts, e);
    case SMS_HTTP:
        return send_http(g, number, text, e);
    default:
        return err_set(e, 503, "sms_unavailable", "", "未配置短信网关");
    }
}

/* ---- draining ---- */

/* Claim text id of src, send it, then mark it sent or, on failure, release it for the next round.
 * 1 sent, 0 someone else claimed it, -1 failed (e). */
static int deliver(struct db *db, const struct sms_gateway *g, enum sms_source src, int64_t id, const char *number,
                   const char *text, const char *now_ts, struct err *e)
{
    if (db_begin(db, e) < 0)
        return -1;
    int64_t claimed = sms_store_claim(db, src, id, now_ts, e);
    if (claimed < 0 || db_commit(db, e) < 0) {
        db_rollback(db);
        return -1;
    }
    if (!claimed)
        return 0;
    if (send_one(g, number, text, now_ts, e) < 0) {
        struct err ignored;
        if (db_begin(db, &ignored) == 0 && (sms_store_release(db, src, id, &ignored) < 0 || db_commit(db, &ignored) < 0))
            db_rollback(db);
        return -1;
    }
    if (db_begin(db, e) < 0 || sms_store_sent(db, src, id, e) < 0 || db_commit(db, e) < 0) {
        db_rollback(db);
        return -1;
    }
    return 1;
}

/* Send the due texts of src; the count sent, or -1 (e). */
static int drain_source(struct db *db, const struct crypt_key *k, const char *district, const struct sms_gateway *g,
                        enum sms_source src, const char *now_ts, struct err *e)
{
    int64_t ids[SMS_ROUND_MAX];
    int n, sent = 0;
    if (sms_store_due(db, src, district, now_ts, ids, SMS_ROUND_MAX, &n, e) < 0)
        return -1;
    char number[64], text[2048];
    for (int i = 0; i < n; i++) {
        struct sms_text t;
        int rc = sms_store_text(db, src, ids[i], &t, e);
        if (rc <= 0) {
            if (rc < 0)
                return -1;
            continue; /* sent or gone meanwhile */
        }
        int opened = crypt_open(k, t.mobile_sealed, number, sizeof number, e) == 0;
        if (opened && src == SMS_FROM_QUEUE)
            opened = crypt_open(k, t.body_sealed, text, sizeof text, e) == 0;
        else if (opened)
            snprintf(text, sizeof text, "【托育服务】%s：%s", t.subject, t.body);
        sms_text_free(&t);
        rc = opened ? deliver(db, g, src, ids[i], number, text, now_ts, e) : -1;
        sodium_memzero(text, sizeof text);
        if (rc < 0)
            return -1; /* a queued text stays sealed for the next round */
        sent += rc;
    }
    return sent;
}

int sms_drain(struct db *db, const struct crypt_key *k, const char *district, const struct sms_gateway *g,
              const char *now_ts, struct err *e)
{
    /* codes and other texts to a number first, then the outbox's due messages to families */
    int queued = drain_source(db, k, district, g, SMS_FROM_QUEUE, now_ts, e);
    if (queued < 0)
        return -1;
    int messages = drain_source(db, k, district, g, SMS_FROM_OUTBOX, now_ts, e);
    return messages < 0 ? -1 : queued + messages;
}

/* ---- the sender thread ---- */

struct sms_sender {
    pthread_t thread;
    atomic_int stop;
    struct app *app;
    struct sms_gateway gateway;
};

static void *sender_main(void *arg)
{
    struct sms_sender *s = arg;
    while (!atomic_load(&s->stop)) {
        struct err e = {0};
        struct db *db = db_thread_conn(&s->app->db, &e);
        char now_ts[DATE_TIMESTAMP_LEN];
        date_format_timestamp(app_now(s->app), now_ts, sizeof now_ts);
        if (!db || sms_drain(db, &s->app->key, s->app->district_code, &s->gateway, now_ts, &e) < 0)
            fprintf(stderr, "tuoyu: SMS: %s (%s); retrying\n", e.message, e.code);
        for (int i = 0; i < 10 && !atomic_load(&s->stop); i++)
            nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
    }
    db_thread_release();
    return NULL;
}

struct sms_sender *sms_sender_start(struct app *app, const struct sms_gateway *g, struct err *e)
{
    struct sms_sender *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    s->app = app;
    s->gateway = *g;
    if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
        free(s);
        err_set(e, 500, "thread", "", "无法启动短信发送线程");
        return NULL;
    }
    return s;
}

void sms_sender_stop(struct sms_sender *s)
{
    if (!s)
        return;
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    sodium_memzero(&s->gateway, sizeof s->gateway);
    free(s);
}

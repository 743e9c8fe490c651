/* http_client.c — outbound HTTP(S) on libcurl (http_client.h): URL rules, TLS always verified,
 * no redirects, a deadline and a reply cap. */
#include "base/http_client.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

static char ca_path[1024];  /* "" = the system's store alone */
static long timeout_s = HTTP_CLIENT_DEFAULT_TIMEOUT;

int http_client_setup(const char *ca_file, int timeout, struct err *e)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return err_set(e, 500, "http_client", "", "无法初始化对外 HTTP 客户端");
    if (ca_file) {
        FILE *f = strlen(ca_file) < sizeof ca_path ? fopen(ca_file, "r") : NULL;
        if (!f)
            return err_set(e, 400, "ca_file", "ca_file", "无法读取证书颁发机构文件 %s", ca_file);
        fclose(f);
        snprintf(ca_path, sizeof ca_path, "%s", ca_file);
    }
    timeout_s = timeout > 0 ? timeout : HTTP_CLIENT_DEFAULT_TIMEOUT;
    return 0;
}

static int loopback_host(const char *host)
{
    unsigned char a[16];
    if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
        return 1;
    return inet_pton(AF_INET, host, a) == 1 && a[0] == 127;
}

int http_client_check_url(const char *url, const char *field, struct err *e)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int ok = u && url && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0];
    int allowed = ok && (strcmp(scheme, "https") == 0 || (strcmp(scheme, "http") == 0 && loopback_host(host)));
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    if (!ok || strpbrk(url, " \r\n"))
        return err_set(e, 422, "url_invalid", field, "地址无效，须为 https://主机[:端口]/路径");
    if (!allowed)
        return err_set(e, 422, "url_invalid", field, "地址须为 https://（http:// 只用于本机测试）");
    return 0;
}

struct sink {
    char *buf;
    size_t len, cap;
    int over;
};

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t add = size * n;
    if (s->len + add > HTTP_CLIENT_MAX_RESPONSE) {
        s->over = 1;
        return 0; /* aborts the transfer */
    }
    if (s->len + add + 1 > s->cap) {
        size_t cap = (s->len + add + 1) * 2;
        char *b = realloc(s->buf, cap);
        if (!b)
            return 0;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, add);
    s->len += add;
    s->buf[s->len] = '\0';
    return add;
}

int http_client_send(const struct http_client_request *r, struct http_client_response *out, struct err *e)
{
    *out = (struct http_client_response){0};
    if (http_client_check_url(r->url, "url", e) < 0)
        return -1;
    struct curl_slist *hs = NULL;
    int oom = 0;
    for (const char *const *h = r->headers; h && *h && !oom; h++) {
        struct curl_slist *n = curl_slist_append(hs, *h);
        oom = !n;
        hs = n ? n : hs;
    }
    CURL *c = oom ? NULL : curl_easy_init();
    if (!c) {
        curl_slist_free_all(hs);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    struct sink s = {0};
    char why[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_path[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, ca_path);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
    if (strcmp(r->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body ? r->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(r->body ? r->body_len : 0));
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_cleanup(c);
    curl_slist_free_all(hs);
    if (rc != CURLE_OK) {
        free(s.buf);
        if (s.over)
            return err_set(e, 503, "outbound_failed", "", "对方的回复超过 %d 字节", HTTP_CLIENT_MAX_RESPONSE);
        if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CONNECT_ERROR)
            return err_set(e, 503, "outbound_failed", "", "对方的 TLS 证书未通过校验（%s）", why);
        if (rc == CURLE_OPERATION_TIMEDOUT)
            return err_set(e, 503, "outbound_failed", "", "对方 %ld 秒内未回复", timeout_s);
        return err_set(e, 503, "outbound_failed", "", "无法连接对方（%s）", why[0] ? why : curl_easy_strerror(rc));
    }
    if (!s.buf && !(s.buf = calloc(1, 1)))
        return err_set(e, 500, "oom", "", "内存不足");
    out->body = s.buf;
    out->len = s.len;
    return 0;
}

void http_client_response_free(struct http_client_response *r)
{
    free(r->body);
    *r = (struct http_client_response){0};
}

char *http_client_form(const char *const *pairs)
{
    size_t len = 0;
    char *out = calloc(1, 1);
    for (size_t i = 0; out && pairs[i]; i++) {
        char *enc = curl_easy_escape(NULL, pairs[i], 0);
        size_t n = enc ? strlen(enc) : 0;
        char *grown = enc ? realloc(out, len + n + 2) : NULL;
        if (!grown) {
            free(out);
            curl_free(enc);
            return NULL;
        }
        out = grown;
        if (i)
            out[len++] = i % 2 ? '=' : '&';
        memcpy(out + len, enc, n);
        len += n;
        out[len] = '\0';
        curl_free(enc);
    }
    return out;
}

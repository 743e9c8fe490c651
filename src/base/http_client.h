/* http_client.h — the platform's one outbound HTTP(S) client (libcurl with OpenSSL): the SMS
 * gateway (src/inbox/sms.c) and the 浙里办 single sign-on provider (src/auth/sso.c) are reached
 * through it and nothing else opens outbound connections.
 *
 * Rules it enforces for every call:
 *   - https:// with the peer's certificate and host name always verified (never switched off);
 *     http:// only to a loopback host (127.0.0.0/8, ::1, localhost) — the tests' fake services;
 *   - trusted certificate authorities: the system's store, plus the PEM bundle of
 *     http_client_setup(ca_file) for a private CA (e.g. the government network's);
 *   - redirects are never followed (a 3xx is handed back as it is), so a reply cannot send the
 *     request and its credentials to another host;
 *   - a deadline for the whole exchange and a cap on the reply body (engineering limits:
 *     `tuoyu serve --outbound-timeout`, HTTP_CLIENT_MAX_RESPONSE).
 * Thread-safe after http_client_setup(), which the process calls once before its threads start. */
#ifndef TUOYU_HTTP_CLIENT_H
#define TUOYU_HTTP_CLIENT_H

#include <stddef.h>

#include "base/err.h"

#define HTTP_CLIENT_DEFAULT_TIMEOUT 10      /* seconds for a whole exchange */
#define HTTP_CLIENT_MAX_RESPONSE (1 << 20)  /* bytes of a reply body at most */

/* Initialise libcurl and set the process-wide options: ca_file (PEM, NULL for the system's store
 * alone) and timeout seconds (≤ 0: the default). 0, or -1 with e (500 "http_client"; 400
 * "ca_file" when ca_file cannot be read). */
int http_client_setup(const char *ca_file, int timeout, struct err *e);

/* Whether url may be called: https://host… or http://loopback…; 0, or -1 with e (422
 * "url_invalid", field as given, message naming what). */
int http_client_check_url(const char *url, const char *field, struct err *e);

struct http_client_request {
    const char *method;          /* "GET" or "POST" */
    const char *url;
    const char *const *headers;  /* "Name: value" lines, NULL-terminated; may be NULL */
    const char *body;            /* POST body, or NULL */
    size_t body_len;
};

struct http_client_response {
    long status;  /* the HTTP status */
    char *body;   /* NUL-terminated (malloc'd; http_client_response_free) */
    size_t len;
};

/* Send r and read the whole reply into out (any status). 0, or -1 with e: 422 "url_invalid" for a
 * URL check_url refuses, 503 "outbound_failed" when the host cannot be reached, the TLS check
 * fails, the deadline passes or the reply is over the cap (the message says which). */
int http_client_send(const struct http_client_request *r, struct http_client_response *out, struct err *e);

void http_client_response_free(struct http_client_response *r);

/* "n1=v1&n2=v2…" with names and values percent-encoded (a form body, a query string) from pairs
 * n1, v1, n2, v2, …, NULL; malloc'd, or NULL when memory runs out. */
char *http_client_form(const char *const *pairs);

#endif

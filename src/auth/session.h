/* session.h — opening a session, for the ways of logging in (session.c: password and TOTP;
 * signup.c: a family's mobile number and SMS code). */
#ifndef TUOYU_AUTH_SESSION_H
#define TUOYU_AUTH_SESSION_H

#include <jansson.h>

#include "auth/auth.h"
#include "auth/token.h"

/* A family account's login: this prefix and the first 16 hex digits of its mobile number's lookup
 * hash (signup.c); a number typed as the login of POST /session is turned into it. */
#define SIGNUP_LOGIN_PREFIX "m-"

/* Inside the caller's transaction: a session for u (u->enrolment_only as it is), a successful
 * login attempt under login, and the audit row action with fields (borrowed). Fills token (the
 * cookie's) and csrf. 0 or -1 with e. */
int auth_session_open(struct http_req *req, struct user *u, const char *login, const char *action, json_t *fields,
                      char token[TOKEN_TEXT_LEN], char csrf[65], struct err *e);
/* After the commit: the session cookie and the reply {user, csrf_token, enrolment_required}. */
int auth_session_reply(struct http_req *req, struct http_reply *rep, const struct user *u, const char *token,
                       const char *csrf, int status);

#endif

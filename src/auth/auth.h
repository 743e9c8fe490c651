/* auth.h — who is asking and what they may do.
 *
 * Roles come from requirements.md "Who uses it"; the jurisdiction tree is province → city →
 * district → town → institution (src/jurisdiction/). A request works in one district
 * (req->district): the caller's, or for a province or city administrator the district below them
 * they name (auth_district), so a district role never reaches another district's rows. Every route names one action (struct route.action). The policy table
 * (policy.c) says which roles may perform each action; the role's place in the tree says on
 * what: a district role on the whole district, a town officer on their town, an institution
 * operator on their institution, a health instructor on the institutions assigned to them,
 * a family on their own records.
 *   - the server's before-hook (session.c) authenticates, checks CSRF and the role;
 *   - handlers call authz_require(req, action, &target) before touching a record;
 *   - list handlers add authz_scope(...) to their WHERE clause;
 *   - a finer rule inside a route (who may change a regulated field, who sees a full name) is a
 *     sub-action of the policy, listed in the route's subactions and asked with authz_allows.
 * No module outside src/auth/ compares roles. */
#ifndef TUOYU_AUTH_H
#define TUOYU_AUTH_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "http/http.h"

enum role {
    ROLE_NONE = 0,
    ROLE_DISTRICT_ADMIN,
    ROLE_DEPT_REVIEWER,
    ROLE_TOWN_OFFICER,
    ROLE_INSTITUTION_OPERATOR,
    ROLE_HEALTH_INSTRUCTOR,
    ROLE_STATION_OPERATOR,
    ROLE_FAMILY,
    ROLE_EVALUATOR,
    ROLE_AUDITOR,
    ROLE_SECURITY_ADMIN,
    ROLE_SUPERVISION_CENTRE, /* 监管中心值班: the 24-hour supervision centre (可视托, src/video/) */
    ROLE_PROVINCE_ADMIN,  /* 省卫健委: reads every district of the province, compares them */
    ROLE_CITY_ADMIN,      /* 市卫健委: reads every district of the city, compares them */
    ROLE_EXCHANGE_CLIENT, /* a machine reading the data exchange with a bearer token (auth/clients.c) */
    ROLE_COUNT
};

struct user {
    int64_t id;
    char login[64];
    char name[96];
    enum role role;
    char district_code[16];   /* the account's jurisdiction: its district, or the province's or
                               * city's code for their administrators (role_above_district) */
    char town_code[16];       /* town officers (and optional for others) */
    int64_t institution_id;   /* institution operators */
    int enrolment_only;       /* this session may only enrol a second factor (session.c) */
};

/* How a province or city administrator names the district to work in (session.c): the header, or
 * — what the console sets, so that downloads by plain links carry it too — the cookie. */
#define AUTH_DISTRICT_HEADER "X-Tuoyu-District"
#define AUTH_DISTRICT_COOKIE "tuoyu_district"

/* What an account of a role is bound to (role_scope). */
enum role_scope {
    ROLE_SCOPE_NONE,        /* the district, assignments or own records: no town or institution */
    ROLE_SCOPE_TOWN,        /* town_code required */
    ROLE_SCOPE_INSTITUTION, /* institution_id required */
};

const char *role_code(enum role r);        /* "district_admin" */
const char *role_name(enum role r);        /* "区卫健局管理员" */
const char *role_home(enum role r);        /* the console page it lands on: "dashboard", "workbench", "welcome"… */
enum role role_from_code(const char *code); /* ROLE_NONE when unknown */
int role_is_staff(enum role r);            /* everyone but families */
int role_is_privileged(enum role r);       /* district_admin, security_admin, auditor (三员) */
int role_rank(enum role r);                /* the order of roles by reach (policy.c says why) */
/* The level of the jurisdiction tree an account of the role is bound to: "province", "city", or
 * "district" for every other role (its district_code). */
const char *role_level(enum role r);
int role_above_district(enum role r);      /* province_admin, city_admin */
enum role_scope role_scope(enum role r);   /* the scope field an account of the role carries */

/* Policy. */
int authz_action_known(const char *action);            /* 1 when the policy has a rule */
int authz_role_may(enum role r, const char *action);   /* role-level check */
/* 1 when a session limited to enrolling a second factor may perform action: the session itself
 * (GET /me, logout) and account.totp. */
int authz_enrolment_allows(const char *action);
/* JSON {action: [role codes]} of the whole policy (for `tuoyu routes` and tests). */
json_t *authz_policy_json(void);
/* 1 when a user of role actor may give an account the role granted (create, re-role, approve):
 * never a role ranked above the actor's own. */
int authz_may_grant_role(enum role actor, enum role granted);
/* Actions the user may perform (for GET /api/v1/me). */
json_t *authz_actions_json(const struct user *u);

/* What a single-record action is about. Unset fields are "" / 0. */
struct authz_target {
    const char *town_code;
    int64_t institution_id;
    int64_t owner_user_id;
    int64_t application_id;   /* for actions on applications: a town, institution or instructor
                               * reaches one when one of its choices names an institution they
                               * reach (policy.c, "applications naming my institution") */
};

/* 0 when req->user may perform action on target; otherwise fills e: 401 when anonymous, 403 when
 * the role may not, 404 (code "not_found") when the record is outside the user's jurisdiction,
 * so its existence is not revealed. */
int authz_require(struct http_req *req, const char *action, const struct authz_target *t, struct err *e);

/* 1 when req->user may perform the sub-action on target (the rules of authz_require: the role,
 * then the jurisdiction), 0 when not. A sub-action the route does not list in its subactions is
 * refused (and said on stderr). */
int authz_allows(struct http_req *req, const char *subaction, const struct authz_target *t);

/* The town a user's jurisdiction is (a town officer's), or NULL when it is the whole district or
 * not a town: what district-wide views (dashboard, planning) narrow themselves to. */
const char *authz_town_of(const struct user *u);

/* A WHERE-clause fragment restricting rows to the user's jurisdiction, plus its parameters.
 * town_col / inst_col / owner_col name the columns of the listed table ("i.town_code", "i.id",
 * "c.family_user_id"); owner_col NULL means families see nothing of this table. For actions on
 * applications (reached through the institutions their choices name, see authz_target) inst_col
 * names the application id column instead, and town_col is not used. A list passes both to
 * db_query_scoped(db, e, fmt, scope.sql, &scope.params, limit, types, …). */
struct authz_scope {
    char sql[512];
    struct db_params params;
};
int authz_scope(struct http_req *req, const char *action, const char *town_col, const char *inst_col,
                const char *owner_col, struct authz_scope *out, struct err *e);
/* Scopes for reads authorized otherwise, for store functions that take a scope: every row of the
 * district (authz_scope_all: a public read, or one the store narrows itself after authz_require
 * allowed the record); the rows whose column col holds id (authz_scope_id: the one record
 * authz_require allowed, e.g. col "i.id"); and s narrowed to the rows whose column col holds text
 * (authz_scope_and_text: a filter the user asked for, inside the reach authz_scope gave). */
void authz_scope_all(struct authz_scope *out);
void authz_scope_id(struct authz_scope *out, const char *col, int64_t id);
void authz_scope_and_text(struct authz_scope *s, const char *col, const char *text);

/* The reply of a login (password or SMS code; Set-Cookie carries the token) and a bare {"ok":
 * true}, shared by session.c and signup.c. */
extern const struct http_schema AUTH_SESSION, AUTH_OK;
/* Session routes and the server hooks (session.c). */
extern const struct route auth_routes[];
/* A family's own account by mobile number and SMS code (signup.c). */
extern const struct route signup_routes[];
int auth_before(struct http_req *req, struct http_reply *rep);
/* Call after committing anything that ends sessions or changes an account (logout, password,
 * disable): every worker thread's session cache is dropped. */
struct app;
void auth_sessions_changed(struct app *app);
void auth_after(struct http_req *req);
/* The reply of a write, when reads may go to a replica: the tuoyu_wrote cookie names the
 * primary's position after it, so the caller's next reads wait for the replica to replay it. */
void auth_replying(struct http_req *req, struct http_reply *rep);
/* Is this database the demonstration data (`tuoyu demo` marks it; instance_flag 'demo_data')?
 * 1, 0, or -1 with e. `tuoyu serve` then does not require the privileged roles' second factor
 * unless told to. */
int auth_demo_data(struct db *db, const char *district, struct err *e);
/* Mark the database as demonstration data, inside the caller's transaction. */
int auth_mark_demo_data(struct db *db, const char *district, const char *now_ts, struct err *e);
json_t *auth_user_json(const struct user *u, const char *town_name);

#endif

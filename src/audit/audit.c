/* audit.c — appending to and verifying the hash-chained audit log. */
#include "audit/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/date.h"
#include "http/http.h"

/* The canonical text of a row after its link: each column followed by a newline, NULL as empty.
 * malloc'd (NULL when out of memory). */
static char *row_text(const char *at, int64_t user_id, const char *login, const char *action,
                      const char *target_type, const char *target_id, const char *fields, const char *request_id)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, user_id);
    const char *parts[] = {at, num, login, action, target_type, target_id, fields, request_id};
    size_t n = 1;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        n += (parts[i] ? strlen(parts[i]) : 0) + 1;
    char *text = malloc(n), *w = text;
    if (!text)
        return NULL;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        size_t len = parts[i] ? strlen(parts[i]) : 0;
        memcpy(w, parts[i] ? parts[i] : "", len);
        w += len;
        *w++ = '\n';
    }
    *w = 0;
    return text;
}

/* hash = SHA-256 over the previous hash, the id and the row text, separated by newlines — the
 * bytes pg_append_sql hashes on the server. */
static void row_hash(const char *prev, int64_t id, const char *text, char out[65])
{
    char link[96];
    int n = snprintf(link, sizeof link, "%s\n%" PRId64 "\n", prev, id);
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    crypto_hash_sha256_update(&s, (const unsigned char *)link, (unsigned long long)n);
    crypto_hash_sha256_update(&s, (const unsigned char *)text, strlen(text));
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&s, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* PostgreSQL: the whole append in one statement, the server hashing the head's previous hash and
 * the next id followed by the row text bound in C (sha256(), the bytes of row_hash), so the head
 * row is locked for one round trip, not three. FOR UPDATE under READ COMMITTED waits for an
 * earlier appender to commit and then returns the head it left; the UPDATE below finds that same
 * row. A missing head leaves the id NULL, which audit_log's primary key refuses: no row is written
 * without its link. */
static const char pg_append_sql[] =
    "WITH head AS (SELECT seq + 1 AS id, last_hash AS prev FROM audit_head WHERE district_code = ? FOR UPDATE), "
    "link AS (SELECT id, prev, encode(sha256(convert_to(prev || E'\\n' || CAST(id AS TEXT) || E'\\n', 'UTF8') || ?), "
    "'hex') AS hash FROM head), "
    "ins AS (INSERT INTO audit_log (id, district_code, at, user_id, login, action, target_type, target_id, fields, "
    "request_id, prev_hash, hash) SELECT link.id, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, ?, link.prev, "
    "link.hash FROM (SELECT 1) one LEFT JOIN link ON true) "
    "UPDATE audit_head SET seq = link.id, last_hash = link.hash FROM link WHERE audit_head.district_code = ?";

/* The row's columns as stored: at formatted, fields as canonical JSON ("{}" for none). */
struct audit_row {
    char at[32];
    char *fields;
    char *text; /* row_text */
};

static void row_free(struct audit_row *r)
{
    free(r->fields);
    free(r->text);
}

static int row_make(const struct audit_entry *a, struct audit_row *r, struct err *e)
{
    date_format_timestamp(a->at, r->at, sizeof r->at);
    r->fields = a->fields ? json_dumps(a->fields, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : strdup("{}");
    r->text = r->fields ? row_text(r->at, a->user_id, a->login ? a->login : "", a->action, a->target_type,
                                   a->target_id, r->fields, a->request_id)
                        : NULL;
    if (!r->text) {
        row_free(r);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    return 0;
}

/* SQLite: take the next number (BEGIN IMMEDIATE already serialises writers), hash in C, insert,
 * move the head. */
static int sqlite_append(struct db *db, const struct audit_entry *a, const struct audit_row *r, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "UPDATE audit_head SET seq = seq + 1 WHERE district_code = ? RETURNING seq, last_hash",
                                  "t", a->district_code);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 500, "audit_head_missing", "", "审计链头缺失（区划 %s）", a->district_code);
    int64_t id = db_col_int64(st, 0);
    char prev[65];
    db_col_copy(st, 1, prev, sizeof prev);
    db_finalize(st);
    char hash[65];
    row_hash(prev, id, r->text, hash);

    if (db_run(db, e,
               "INSERT INTO audit_log (id, district_code, at, user_id, login, action, target_type, target_id, "
               "fields, request_id, prev_hash, hash) VALUES (?,?,?,NULLIF(?, 0),?,?,?,?,?,?,?,?)",
               "ittitttttttt", id, a->district_code, r->at, a->user_id, a->login ? a->login : "", a->action,
               a->target_type, a->target_id, r->fields, a->request_id, prev, hash) < 0)
        return -1;
    return db_write(db, e, "UPDATE audit_head SET last_hash = ? WHERE district_code = ?", "tt", hash,
                    a->district_code);
}

/* Append; with commit, also commit the transaction (on PostgreSQL in the same round trip). */
static int append(struct db *db, const struct audit_entry *a, int commit, struct err *e)
{
    struct audit_row r = {0};
    if (row_make(a, &r, e) < 0)
        return -1;
    int rc;
    if (db_kind_of(db) == DB_PG) {
        struct db_stmt *st = db_query(db, e, pg_append_sql, "tbttittttttt", a->district_code, r.text, strlen(r.text),
                                      a->district_code, r.at, a->user_id, a->login ? a->login : "", a->action,
                                      a->target_type, a->target_id, r.fields, a->request_id, a->district_code);
        rc = !st ? -1 : commit ? db_step_commit(st, e) : db_step(st, e);
        db_finalize(st);
    } else {
        rc = sqlite_append(db, a, &r, e);
        if (rc == 0 && commit)
            rc = db_commit(db, e);
    }
    row_free(&r);
    return rc < 0 ? -1 : 0;
}

int audit_append(struct db *db, const struct audit_entry *a, struct err *e) { return append(db, a, 0, e); }

int audit_append_commit(struct db *db, const struct audit_entry *a, struct err *e)
{
    if (append(db, a, 1, e) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

static void request_entry(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                          const json_t *fields, struct audit_entry *a)
{
    *a = (struct audit_entry){
        .district_code = req->district,
        .at = req->now,
        .user_id = req->user ? req->user->id : 0,
        .login = req->user ? req->user->login : "",
        .action = action,
        .target_type = target_type,
        .target_id = target_id,
        .fields = fields,
        .request_id = req->request_id,
    };
}

int audit_request(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                  const json_t *fields, struct err *e)
{
    struct audit_entry a;
    request_entry(req, action, target_type, target_id, fields, &a);
    return audit_append(req->db, &a, e);
}

int audit_request_commit(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                         const json_t *fields, struct err *e)
{
    struct audit_entry a;
    request_entry(req, action, target_type, target_id, fields, &a);
    return audit_append_commit(req->db, &a, e);
}

int audit_write_commit(struct http_req *req, const char *action, const char *target_type, int64_t id, json_t *fields,
                       struct err *e)
{
    char target_id[24];
    snprintf(target_id, sizeof target_id, "%" PRId64, id);
    int rc = audit_request_commit(req, action, target_type, target_id, fields, e);
    json_decref(fields);
    return rc;
}

int audit_staff_read(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                     const json_t *fields, struct err *e)
{
    if (!req->user || !role_is_staff(req->user->role))
        return 0;
    /* a read may be answered from a replica; its audit row is written on the primary */
    struct db *db = req->primary ? req->primary : req->db;
    if (db_begin(db, e) < 0)
        return -1;
    struct audit_entry a;
    request_entry(req, action, target_type, target_id, fields, &a);
    return audit_append_commit(db, &a, e);
}

int audit_staff_list(struct http_req *req, const char *action, const char *target_type, const char *count_key,
                     size_t n, struct err *e)
{
    if (n == 0)
        return 0;
    json_t *f = json_pack("{s:I}", count_key, (json_int_t)n);
    int rc = audit_staff_read(req, action, target_type, NULL, f, e);
    json_decref(f);
    return rc;
}

int audit_verify(struct db *db, const char *district, int64_t *bad_id, int64_t *rows, struct err *e)
{
    *bad_id = 0;
    *rows = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, at, user_id, login, action, target_type, target_id, fields, request_id, "
                                  "prev_hash, hash FROM audit_log WHERE district_code = ? ORDER BY id",
                                  "t", district);
    if (!st)
        return -1;
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect_id = 1;
    int rc, result = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t id = db_col_int64(st, 0);
        char *text = row_text(db_col_text(st, 1), db_col_int64(st, 2), db_col_text(st, 3), db_col_text(st, 4),
                              db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 7), db_col_text(st, 8));
        if (!text) {
            result = err_set(e, 500, "oom", "", "内存不足");
            break;
        }
        char hash[65];
        row_hash(prev, id, text, hash);
        free(text);
        const char *stored_prev = db_col_text(st, 9), *stored = db_col_text(st, 10);
        (*rows)++;
        if (id != expect_id || strcmp(stored_prev ? stored_prev : "", prev) != 0 ||
            strcmp(stored ? stored : "", hash) != 0) {
            *bad_id = id;
            result = 1;
            break;
        }
        snprintf(prev, sizeof prev, "%s", stored);
        expect_id++;
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    if (result == 0) {
        /* the head must point at the last row: a deleted tail is a break too */
        st = db_query(db, e, "SELECT seq, last_hash FROM audit_head WHERE district_code = ?", "t", district);
        int found = db_first_row(st, e);
        if (found < 0)
            return -1;
        if (found) {
            if (db_col_int64(st, 0) != expect_id - 1 || strcmp(db_col_text(st, 1), prev) != 0) {
                *bad_id = expect_id;
                result = 1;
            }
            db_finalize(st);
        }
    }
    return result;
}

/* The bounds of business days [from, to] as UTC timestamps [lo, hi): the day's 00:00 in China
 * Standard Time. "" stays "" (open). */
static void day_bounds(const char *from, const char *to, char lo[DATE_TIMESTAMP_LEN], char hi[DATE_TIMESTAMP_LEN])
{
    struct date_ymd d;
    struct err ignored = {0};
    lo[0] = hi[0] = '\0';
    if (from && from[0] && date_parse(from, &d, &ignored) == 0)
        date_format_timestamp(date_to_days(&d) * 86400 - DATE_LOCAL_OFFSET_SECONDS, lo, DATE_TIMESTAMP_LEN);
    if (to && to[0] && date_parse(to, &d, &ignored) == 0)
        date_format_timestamp((date_to_days(&d) + 1) * 86400 - DATE_LOCAL_OFFSET_SECONDS, hi, DATE_TIMESTAMP_LEN);
}

static const char *or_empty(const char *s) { return s ? s : ""; }

int audit_each(struct db *db, const char *district, const struct audit_filter *f, int64_t before, int64_t limit,
               audit_row_fn fn, void *ctx, struct err *e)
{
    static const struct audit_filter none = {0};
    if (!f)
        f = &none;
    char lo[DATE_TIMESTAMP_LEN], hi[DATE_TIMESTAMP_LEN];
    day_bounds(f->from_day, f->to_day, lo, hi);
    struct db_stmt *st;
    if (db_prepare(db,
                   "SELECT id, at, user_id, login, action, target_type, target_id, fields, request_id, hash "
                   "FROM audit_log WHERE district_code = ? AND id < ? AND (? = '' OR login = ?) "
                   "AND (? = '' OR action = ?) AND (? = '' OR target_type = ?) AND (? = '' OR target_id = ?) "
                   "AND (? = '' OR at >= ?) AND (? = '' OR at < ?) ORDER BY id DESC LIMIT ?",
                   &st, e) < 0)
        return -1;
    const char *pairs[] = {or_empty(f->login), or_empty(f->action), or_empty(f->target_type), or_empty(f->target_id),
                           lo, hi};
    db_bind_text(st, 1, district);
    db_bind_int64(st, 2, before > 0 ? before : INT64_MAX);
    for (int i = 0; i < 6; i++) {
        db_bind_text(st, 3 + 2 * i, pairs[i]);
        db_bind_text(st, 4 + 2 * i, pairs[i]);
    }
    db_bind_int64(st, 15, limit);
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        json_t *fields = json_loads(db_col_text(st, 7), 0, NULL);
        json_t *row = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:s?, s:o, s:s?, s:s}", "id",
                                (json_int_t)db_col_int64(st, 0), "at", db_col_text(st, 1), "user_id",
                                db_col_is_null(st, 2) ? json_null() : json_integer(db_col_int64(st, 2)), "login",
                                or_empty(db_col_text(st, 3)), "action", db_col_text(st, 4), "target_type",
                                db_col_text(st, 5), "target_id", db_col_text(st, 6), "fields",
                                fields ? fields : json_object(), "request_id", db_col_text(st, 8), "hash",
                                db_col_text(st, 9));
        int stop = fn(row, ctx, e);
        json_decref(row);
        if (stop) {
            rc = stop < 0 ? -1 : DB_DONE;
            break;
        }
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static int append_row(json_t *row, void *arr, struct err *e)
{
    json_array_append(arr, row);
    return 0;
}

int audit_list_json(struct db *db, const char *district, const struct audit_filter *f, int64_t before, int limit,
                    json_t **items, struct err *e)
{
    json_t *arr = json_array();
    if (audit_each(db, district, f, before, limit, append_row, arr, e) < 0) {
        json_decref(arr);
        return -1;
    }
    *items = arr;
    return 0;
}

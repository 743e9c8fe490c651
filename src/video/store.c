/* store.c — SQL of 可视托 (store.h). */
#include "video/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/date.h"

static void target_row(struct db_stmt *st, void *item)
{
    struct video_target *t = item;
    memset(t, 0, sizeof *t);
    db_scan(st, DB_I64(&t->id), DB_I64(&t->institution_id), DB_TEXT(t->name), DB_TEXT(t->institution_name));
    t->url.scheme = video_scheme_of(db_col_text(st, 4));
    db_scan_from(st, 5, DB_TEXT(t->url.host), DB_INT(&t->url.port), DB_TEXT(t->url.path), DB_INT(&t->live.failures));
    t->live.down = db_col_text(st, 9) && strcmp(db_col_text(st, 9), "down") == 0;
    db_col_copy(st, 10, t->failing_since, sizeof t->failing_since);
}

int video_store_targets(struct db *db, const char *district, int64_t one_id, struct video_target **out, size_t *n,
                        struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT c.id, c.institution_id, c.name, i.name, c.scheme, c.host, c.port, c.path, "
                                  "c.failures, c.state, c.failing_since FROM camera c JOIN institution i ON i.id = "
                                  "c.institution_id WHERE c.district_code = ? AND ((? = 0 AND c.active = 1) OR c.id = ?) "
                                  "ORDER BY c.id",
                                  "tii", district, one_id, one_id);
    void *rows;
    int rc = db_rows(st, e, sizeof **out, target_row, &rows, n);
    *out = rows;
    return rc;
}

int video_store_probe(struct db *db, const char *district, const struct video_target *t,
                      const struct video_liveness *live, enum video_event ev, int ok, const char *reason,
                      const char *now_ts, int64_t *outage, struct err *e)
{
    *outage = 0;
    char day[11];
    snprintf(day, sizeof day, "%.10s", now_ts);
    const char *since = ok ? NULL : t->live.failures > 0 && t->failing_since[0] ? t->failing_since : now_ts;
    /* a failure short of an outage leaves the state as it was (up, or unknown before any success) */
    const char *state = live->down ? "down" : ok ? "up" : NULL;
    if (db_run(db, e,
               "UPDATE camera SET state = COALESCE(?, state), failures = ?, failing_since = ?, last_probe_at = ?, "
               "last_ok_at = CASE WHEN ? = 1 THEN ? ELSE last_ok_at END, last_error = ? WHERE id = ? AND district_code = ?",
               "tittittit", state, (int64_t)live->failures, since, now_ts, (int64_t)ok, now_ts, ok ? NULL : reason,
               t->id, district) < 0 ||
        db_run(db, e,
               "INSERT INTO camera_probe_day (district_code, camera_id, day, probes, ok) "
               "SELECT district_code, id, ?, 1, ? FROM camera WHERE id = ? ON CONFLICT (district_code, "
               "camera_id, day) DO UPDATE SET probes = camera_probe_day.probes + 1, ok = camera_probe_day.ok + excluded.ok",
               "tii", day, (int64_t)ok, t->id) < 0)
        return -1;
    if (ev == VIDEO_EV_DOWN) {
        int found = 0;
        int64_t id = db_query_int(db, e, &found,
                                  "INSERT INTO camera_outage (district_code, camera_id, institution_id, started_at, "
                                  "failures, reason) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                  "tiitit", district, t->id, t->institution_id, since ? since : now_ts,
                                  (int64_t)live->failures, reason);
        if (id < 0)
            return -1;
        *outage = id;
    } else if (ev == VIDEO_EV_UP) {
        int found = 0;
        int64_t id = db_query_int(db, e, &found,
                                  "SELECT MAX(id) FROM camera_outage WHERE camera_id = ? AND ended_at IS NULL", "i", t->id);
        if (id < 0 || (found && db_run(db, e, "UPDATE camera_outage SET ended_at = ? WHERE id = ?", "ti", now_ts, id) < 0))
            return -1;
        *outage = found ? id : 0;
    } else if (!ok && live->down &&
               db_run(db, e, "UPDATE camera_outage SET failures = ?, reason = ? WHERE camera_id = ? AND ended_at IS NULL",
                      "iti", (int64_t)live->failures, reason, t->id) < 0) {
        return -1;
    }
    return 0;
}

int video_store_recipients(struct db *db, const char *district, int64_t institution_id, int64_t **ids, size_t *n,
                           struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id FROM app_user WHERE district_code = ? AND disabled = 0 AND ((role = ? AND "
                                  "institution_id = ?) OR role = ?) ORDER BY id",
                                  "ttit", district, role_code(ROLE_INSTITUTION_OPERATOR), institution_id,
                                  role_code(ROLE_SUPERVISION_CENTRE));
    void *rows;
    int rc = db_rows(st, e, sizeof(int64_t), db_row_int64, &rows, n);
    *ids = rows;
    return rc;
}

static json_t *camera_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    int64_t probes = db_col_int64(st, 20), ok = db_col_int64(st, 21);
    const char *scheme = db_col_text(st, 9);
    struct video_url u = {.scheme = video_scheme_of(scheme), .port = (int)db_col_int64(st, 11)};
    db_col_copy(st, 10, u.host, sizeof u.host);
    db_col_copy(st, 12, u.path, sizeof u.path);
    char url[1024];
    video_url_format(&u, "", url, sizeof url);
    json_t *uptime = probes > 0 ? json_real((double)(ok * 10000 / probes) / 100.0) : json_null();
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:i, s:b, s:s, s:i, s:o, s:o, s:o, s:o, "
                     "s:o, s:I, s:s}",
                     "id", (json_int_t)db_col_int64(st, 0), "institution_id", (json_int_t)db_col_int64(st, 1),
                     "institution_name", db_col_text(st, 2), "town_code", db_col_text(st, 3), "name", db_col_text(st, 4),
                     "area", db_col_text(st, 5), "class_id", db_col_json_id(st, 6), "class_name", db_col_json_text(st, 7),
                     "scheme", scheme, "username_masked", db_col_json_text(st, 8), "retention_days",
                     (int)db_col_int64(st, 13), "active", (int)db_col_int64(st, 14), "state", db_col_text(st, 15),
                     "failures", (int)db_col_int64(st, 16), "last_probe_at", db_col_json_text(st, 17), "last_ok_at",
                     db_col_json_text(st, 18), "last_error", db_col_json_text(st, 19), "uptime_percent", uptime,
                     "open_outage_id", db_col_json_id(st, 22), "probes", (json_int_t)probes, "url", url);
}

int video_store_cameras(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        const struct video_camera_filter *f, json_t **rows, struct err *e)
{
    const char *state = f->state ? f->state : "";
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT c.id, c.institution_id, i.name, i.town_code, c.name, c.area, c.class_id, k.name, c.username_masked, "
        "c.scheme, c.host, c.port, c.path, c.retention_days, c.active, c.state, c.failures, c.last_probe_at, "
        "c.last_ok_at, c.last_error, COALESCE(d.probes, 0), COALESCE(d.ok, 0), "
        "(SELECT MAX(o.id) FROM camera_outage o WHERE o.camera_id = c.id AND o.ended_at IS NULL) "
        "FROM camera c JOIN institution i ON i.id = c.institution_id LEFT JOIN institution_class k ON k.id = c.class_id "
        "LEFT JOIN (SELECT camera_id, SUM(probes) AS probes, SUM(ok) AS ok FROM camera_probe_day WHERE day >= ? "
        "GROUP BY camera_id) d ON d.camera_id = c.id "
        "WHERE c.district_code = ? AND (? = 0 OR c.institution_id = ?) AND (? = 0 OR c.id = ?) AND (? = '' OR c.state = ?) "
        "AND c.id > ? AND %s ORDER BY c.id LIMIT ?",
        scope_sql, scope_params, f->limit, "ttiiiitti", f->since_day, district, f->institution_id, f->institution_id,
        f->one_id, f->one_id, state, state, f->after_id);
    return db_rows_json(st, e, camera_row, NULL, rows);
}

int video_store_insert(struct db *db, const char *district, int64_t institution_id, const struct video_camera_record *c,
                       const char *now_ts, int64_t *id, struct err *e)
{
    int found = 0;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO camera (district_code, institution_id, name, area, class_id, scheme, host, port, path, "
                       "credentials_sealed, username_masked, retention_days, active, created_at, updated_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                       "tittIttitTTiitt", district, institution_id, c->name, c->area, c->class_id,
                       video_scheme_code(c->url.scheme), c->url.host, (int64_t)c->url.port, c->url.path,
                       c->credentials_sealed, c->username_masked, (int64_t)c->retention_days, (int64_t)c->active, now_ts,
                       now_ts);
    return *id < 0 ? -1 : 0;
}

int video_store_update(struct db *db, const char *district, int64_t id, const struct video_camera_record *c,
                       int keep_credentials, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE camera SET name = ?, area = ?, class_id = ?, scheme = ?, host = ?, port = ?, path = ?, "
                       "credentials_sealed = CASE WHEN ? = 1 THEN credentials_sealed ELSE ? END, "
                       "username_masked = CASE WHEN ? = 1 THEN username_masked ELSE ? END, retention_days = ?, active = ?, "
                       "updated_at = ? WHERE id = ? AND district_code = ?",
                       "ttIttitiTiTiitit", c->name, c->area, c->class_id, video_scheme_code(c->url.scheme), c->url.host,
                       (int64_t)c->url.port, c->url.path, (int64_t)keep_credentials, c->credentials_sealed,
                       (int64_t)keep_credentials, c->username_masked, (int64_t)c->retention_days, (int64_t)c->active,
                       now_ts, id, district);
    return n < 0 ? -1 : 0;
}

int video_store_class_of(struct db *db, int64_t institution_id, int64_t class_id, struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found, "SELECT 1 FROM institution_class WHERE id = ? AND institution_id = ?", "ii",
                     class_id, institution_id) < 0)
        return -1;
    return found;
}

int video_store_stream(struct db *db, const char *district, int64_t id, struct video_url *u, char *sealed, size_t cap,
                       int64_t *institution_id, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT COALESCE(credentials_sealed, ''), institution_id, scheme, host, port, path FROM "
                                  "camera WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc;
    db_col_copy(st, 0, sealed, cap);
    *institution_id = db_col_int64(st, 1);
    memset(u, 0, sizeof *u);
    u->scheme = video_scheme_of(db_col_text(st, 2));
    db_scan_from(st, 3, DB_TEXT(u->host), DB_INT(&u->port), DB_TEXT(u->path));
    db_finalize(st);
    return 1;
}

/* The facts' texts: each name copied into a chunk that never moves (a new chunk when one is full),
 * so the facts may point at them; the chunks are chained through their first bytes. */
#define POOL_CHUNK 65536
static const char *pool_add(struct video_facts *f, size_t *used, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    if (n > POOL_CHUNK - sizeof(char *))
        n = POOL_CHUNK - sizeof(char *);
    if (!f->text || *used + n > POOL_CHUNK) {
        char *chunk = malloc(POOL_CHUNK);
        if (!chunk)
            return NULL;
        memcpy(chunk, &f->text, sizeof(char *));
        f->text = chunk;
        *used = sizeof(char *);
    }
    char *out = f->text + *used;
    memcpy(out, s ? s : "", n - 1);
    out[n - 1] = 0;
    *used += n;
    return out;
}

/* Room for one more fact in *items of *n (capacity *cap), growing by half. */
static void *room(void *items, size_t size, size_t n, size_t *cap)
{
    if (n < *cap)
        return items;
    size_t want = *cap ? *cap + *cap / 2 : 64;
    void *p = realloc(items, want * size);
    if (p)
        *cap = want;
    return p;
}

int video_store_facts(struct db *db, const char *district, const char *town, int64_t institution_id,
                      struct video_facts *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    size_t used = 0, cap_cls = 0, cap_cam = 0;
    /* the open institutions in reach: one (institution_id > 0), a town's, or the district's */
#define IN_REACH                                                                                                   \
    "JOIN institution i ON i.id = x.institution_id WHERE i.district_code = ? AND i.status <> 'closed' AND "      \
    "(? = 0 OR i.id = ?) AND (CAST(? AS TEXT) IS NULL OR i.town_code = ?) ORDER BY x.institution_id, x.id"
    struct db_stmt *st = db_query(db, e, "SELECT x.institution_id, x.id, x.name FROM institution_class x " IN_REACH,
                                  "tiitt", district, institution_id, institution_id, town, town);
    int rc = st ? 0 : -1;
    while (st && (rc = db_step(st, e)) == DB_ROW) {
        struct video_class_fact *c = room(f->classes, sizeof *c, f->nclasses, &cap_cls);
        const char *name = c ? pool_add(f, &used, db_col_text(st, 2)) : NULL;
        if (c)
            f->classes = c;
        if (!c || !name) {
            rc = err_set(e, 500, "oom", "", "内存不足");
            break;
        }
        f->classes[f->nclasses++] = (struct video_class_fact){db_col_int64(st, 1), name, db_col_int64(st, 0)};
    }
    db_finalize(st);
    if (rc >= 0) {
        st = db_query(db, e,
                      "SELECT x.institution_id, x.id, x.name, x.area, COALESCE(x.class_id, 0), x.retention_days, "
                      "x.active FROM camera x " IN_REACH,
                      "tiitt", district, institution_id, institution_id, town, town);
        rc = st ? 0 : -1;
        while (st && (rc = db_step(st, e)) == DB_ROW) {
            struct video_camera_fact *c = room(f->cameras, sizeof *c, f->ncameras, &cap_cam);
            const char *name = c ? pool_add(f, &used, db_col_text(st, 2)) : NULL;
            const char *area = name ? pool_add(f, &used, db_col_text(st, 3)) : NULL;
            if (c)
                f->cameras = c;
            if (!c || !area) {
                rc = err_set(e, 500, "oom", "", "内存不足");
                break;
            }
            f->cameras[f->ncameras++] = (struct video_camera_fact){db_col_int64(st, 1), name, area, db_col_int64(st, 4),
                                                                   (int)db_col_int64(st, 5), (int)db_col_int64(st, 6),
                                                                   db_col_int64(st, 0)};
        }
        db_finalize(st);
    }
#undef IN_REACH
    if (rc < 0) {
        video_facts_free(f);
        return -1;
    }
    return 0;
}

void video_facts_free(struct video_facts *f)
{
    free(f->classes);
    free(f->cameras);
    while (f->text) {
        char *next;
        memcpy(&next, f->text, sizeof next);
        free(f->text);
        f->text = next;
    }
    memset(f, 0, sizeof *f);
}

static json_t *outage_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:i, s:s}", "id", (json_int_t)db_col_int64(st, 0), "camera_id",
                     (json_int_t)db_col_int64(st, 1), "camera_name", db_col_text(st, 2), "institution_id",
                     (json_int_t)db_col_int64(st, 3), "institution_name", db_col_text(st, 4), "started_at",
                     db_col_text(st, 5), "ended_at", db_col_json_text(st, 6), "failures", (int)db_col_int64(st, 7),
                     "reason", db_col_text(st, 8));
}

int video_store_outages(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        int open_only, int64_t after_id, int limit, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT o.id, o.camera_id, c.name, o.institution_id, i.name, o.started_at, o.ended_at, o.failures, o.reason "
        "FROM camera_outage o JOIN camera c ON c.id = o.camera_id JOIN institution i ON i.id = o.institution_id "
        "WHERE o.district_code = ? AND (? = 0 OR o.ended_at IS NULL) AND o.id > ? AND %s ORDER BY o.id LIMIT ?",
        scope_sql, scope_params, limit, "tii", district, (int64_t)open_only, after_id);
    return db_rows_json(st, e, outage_row, NULL, rows);
}

int video_store_view_start(struct db *db, const char *district, int64_t camera_id, int64_t institution_id,
                           int64_t user_id, const char *role, const char *now_ts, int64_t *id, struct err *e)
{
    int found = 0;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO camera_view (district_code, camera_id, institution_id, user_id, role, started_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                       "tiiitt", district, camera_id, institution_id, user_id, role, now_ts);
    return *id < 0 ? -1 : 0;
}

int video_store_views_end(struct db *db, const char *district, int64_t camera_id, int64_t user_id, const char *now_ts,
                          int64_t now, int64_t *ended, int64_t *seconds, struct err *e)
{
    *ended = *seconds = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, started_at FROM camera_view WHERE camera_id = ? AND district_code = ? AND "
                                  "user_id = ? AND ended_at IS NULL ORDER BY id",
                                  "iti", camera_id, district, user_id);
    struct open_view {
        int64_t id, seconds;
    } views[64];
    size_t n = 0;
    int rc = st ? 0 : -1;
    while (st && n < sizeof views / sizeof *views && (rc = db_step(st, e)) == DB_ROW) {
        int64_t t0 = now;
        date_parse_timestamp(db_col_text(st, 1), &t0);
        views[n++] = (struct open_view){db_col_int64(st, 0), now > t0 ? now - t0 : 0};
    }
    db_finalize(st);
    for (size_t k = 0; rc >= 0 && k < n; k++) {
        if (db_run(db, e, "UPDATE camera_view SET ended_at = ?, seconds = ? WHERE id = ?", "tii", now_ts,
                   views[k].seconds, views[k].id) < 0)
            return -1;
        *seconds += views[k].seconds;
    }
    *ended = (int64_t)n;
    return rc < 0 ? -1 : 0;
}

static json_t *view_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0),
                     "camera_id", (json_int_t)db_col_int64(st, 1), "camera_name", db_col_text(st, 2), "institution_id",
                     (json_int_t)db_col_int64(st, 3), "institution_name", db_col_text(st, 4), "user_id",
                     (json_int_t)db_col_int64(st, 5), "user_login", db_col_text(st, 6), "role", db_col_text(st, 7),
                     "started_at", db_col_text(st, 8), "ended_at", db_col_json_text(st, 9), "seconds",
                     db_col_is_null(st, 10) ? json_null() : json_integer(db_col_int64(st, 10)));
}

int video_store_views(struct db *db, const char *district, int64_t after_id, int limit, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT v.id, v.camera_id, c.name, v.institution_id, i.name, v.user_id, u.login, v.role, "
                                  "v.started_at, v.ended_at, v.seconds FROM camera_view v JOIN camera c ON c.id = "
                                  "v.camera_id JOIN institution i ON i.id = v.institution_id JOIN app_user u ON u.id = "
                                  "v.user_id WHERE v.district_code = ? AND v.id > ? ORDER BY v.id LIMIT ?",
                                  "tii", district, after_id, (int64_t)limit);
    return db_rows_json(st, e, view_row, NULL, rows);
}

int video_store_parent_grant(struct db *db, const char *district, int64_t institution_id, const char *day,
                             json_t **grant, struct err *e)
{
    *grant = NULL;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, valid_from, valid_to, hours_from, hours_to, basis FROM camera_parent_access "
                                  "WHERE district_code = ? AND institution_id = ? AND valid_from <= ? AND (valid_to IS "
                                  "NULL OR valid_to >= ?) ORDER BY valid_from DESC, id DESC LIMIT 1",
                                  "titt", district, institution_id, day, day);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc;
    *grant = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0), "valid_from",
                       db_col_text(st, 1), "valid_to", db_col_json_text(st, 2), "hours_from", db_col_text(st, 3),
                       "hours_to", db_col_text(st, 4), "basis", db_col_text(st, 5));
    db_finalize(st);
    return 1;
}

int video_store_parent_grant_add(struct db *db, const char *district, int64_t institution_id, const char *valid_from,
                                 const char *valid_to, const char *hours_from, const char *hours_to, const char *basis,
                                 int64_t user_id, const char *now_ts, int64_t *id, struct err *e)
{
    int found = 0;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO camera_parent_access (district_code, institution_id, valid_from, valid_to, hours_from, "
                       "hours_to, basis, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "titTtttit", district, institution_id, valid_from, valid_to, hours_from, hours_to, basis, user_id,
                       now_ts);
    return *id < 0 ? -1 : 0;
}

int video_store_family_child_in_room(struct db *db, int64_t family_user_id, int64_t camera_id, const char *day,
                                     struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found,
                     "SELECT 1 FROM camera c JOIN care_placement p ON p.class_id = c.class_id JOIN child ch ON ch.id = "
                     "p.child_id WHERE c.id = ? AND ch.family_user_id = ? AND p.start_date <= ? AND (p.end_date IS "
                     "NULL OR p.end_date > ?)",
                     "iitt", camera_id, family_user_id, day, day) < 0)
        return -1;
    return found;
}

/* store_rounds.c — SQL of ranked applications and their choices, allocation rounds and offers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrol/store.h"

/* sql with " FOR UPDATE" on PostgreSQL, where it locks the rows read until commit; SQLite's BEGIN
 * IMMEDIATE already excludes every other writer. */
#define FOR_UPDATE(db, sql) (db_kind_of(db) == DB_PG ? sql " FOR UPDATE" : sql)

static json_t *nullable_int(struct db_stmt *st, int col)
{
    return db_col_is_null(st, col) ? json_null() : json_integer(db_col_int64(st, col));
}

/* ", ?" n − 1 times after "?": the placeholders of an IN list or a VALUES row list. */
static void placeholders(char *out, size_t cap, const char *one, int n)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", one);
}

/* ---- applications ---- */

int enrol_store_choice_programs(struct db *db, const char *district, int64_t family, int64_t child_id,
                                struct enrol_choice *ch, int n, struct err *e)
{
    char in[ENROL_MAX_CHOICES * 3 + 1], sql[1024];
    placeholders(in, sizeof in, "?", n);
    snprintf(sql, sizeof sql,
             "SELECT i.id, i.town_code, i.status, c.class_type, (SELECT COUNT(*) FROM child s WHERE "
             "s.family_user_id = ? AND s.id <> ? AND s.institution_id = i.id) FROM institution i "
             "LEFT JOIN institution_class c ON c.institution_id = i.id WHERE i.district_code = ? AND i.id IN (%s)",
             in);
    struct db_stmt *st = db_query(db, e, sql, "iit", family, child_id, district);
    if (!st)
        return -1;
    for (int k = 0; k < n; k++) {
        db_bind_int64(st, 4 + k, ch[k].institution_id);
        ch[k].program = 0;
        ch[k].town[0] = 0;
        ch[k].siblings = 0;
    }
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        for (int k = 0; k < n; k++) {
            if (ch[k].institution_id != db_col_int64(st, 0))
                continue;
            db_col_copy(st, 1, ch[k].town, sizeof ch[k].town);
            ch[k].siblings = (int)db_col_int64(st, 4);
            if (strcmp(db_col_text(st, 2), "filed") == 0 && db_col_text(st, 3) &&
                strcmp(db_col_text(st, 3), ch[k].class_type) == 0)
                ch[k].program = 1;
        }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int enrol_store_app_head(struct db *db, const char *district, int64_t id, struct enrol_app_head *h, struct err *e)
{
    memset(h, 0, sizeof *h);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT family_user_id, child_id, status, intake, criteria FROM application "
                                  "WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_scan(st, DB_I64(&h->family_user_id), DB_I64(&h->child_id), DB_TEXT(h->status), DB_TEXT(h->intake));
        h->criteria = strdup(db_col_text(st, 4) ? db_col_text(st, 4) : "{}");
        db_finalize(st);
        if (!h->criteria)
            return err_set(e, 500, "nomem", "", "内存不足");
    }
    return found;
}

int enrol_store_app_states(struct db *db, int64_t child_id, const char *intake, char (*states)[16], int max, int *n,
                           struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT DISTINCT status FROM application WHERE child_id = ? AND intake = ?", "it",
                                  child_id, intake);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        db_col_copy(st, 0, states[(*n)++], 16);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int enrol_store_app_insert(struct db *db, const char *district, int64_t child_id, int64_t family, const char *intake,
                           const char *status, const char *criteria, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO application (district_code, child_id, family_user_id, intake, status, criteria, "
                       "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                       "tiitttt" "t", district, child_id, family, intake, status, criteria, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

int enrol_store_app_update(struct db *db, int64_t id, const char *status, const char *intake, const char *criteria,
                           const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE application SET intake = ?, criteria = ?, updated_at = ? WHERE id = ? AND status = ?",
                       "tttit", intake, criteria, now_ts, id, status);
    return n < 0 ? -1 : n > 0;
}

int enrol_store_choices_write(struct db *db, const char *district, int64_t app_id, const struct enrol_choice *ch,
                              int n, int delete_old, struct err *e)
{
    if (delete_old && db_run(db, e, "DELETE FROM application_choice WHERE application_id = ?", "i", app_id) < 0)
        return -1;
    char rows[ENROL_MAX_CHOICES * 18 + 1], sql[1024];
    placeholders(rows, sizeof rows, "(?,?,?,?,?,?)", n);
    snprintf(sql, sizeof sql,
             "INSERT INTO application_choice (district_code, application_id, choice_rank, institution_id, class_type, "
             "points) VALUES %s",
             rows);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    for (int k = 0, i = 1; k < n; k++) {
        db_bind_text(st, i++, district);
        db_bind_int64(st, i++, app_id);
        db_bind_int64(st, i++, k + 1);
        db_bind_int64(st, i++, ch[k].institution_id);
        db_bind_text(st, i++, ch[k].class_type);
        db_bind_double(st, i++, ch[k].points);
    }
    int rc = db_step(st, e);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int enrol_store_choices(struct db *db, int64_t app_id, struct enrol_choice *ch, int max, int *n, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT institution_id, class_type FROM application_choice WHERE application_id = ? "
                                  "ORDER BY choice_rank",
                                  "i", app_id);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        memset(&ch[*n], 0, sizeof ch[*n]);
        db_scan(st, DB_I64(&ch[*n].institution_id), DB_TEXT(ch[*n].class_type));
        (*n)++;
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int enrol_store_choice_points(struct db *db, int64_t choice_id, double points, struct err *e)
{
    return db_write(db, e, "UPDATE application_choice SET points = ? WHERE id = ?", "di", points, choice_id);
}

int enrol_store_app_lock(struct db *db, int64_t id, char status[16], struct err *e)
{
    struct db_stmt *st = db_query(db, e, FOR_UPDATE(db, "SELECT status FROM application WHERE id = ?"), "i", id);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_col_copy(st, 0, status, 16);
        db_finalize(st);
    }
    return found;
}

int enrol_store_app_status(struct db *db, int64_t id, const char *status, const char *now_ts, struct err *e)
{
    return db_write(db, e, "UPDATE application SET status = ?, updated_at = ? WHERE id = ?", "tti", status, now_ts, id);
}

int64_t enrol_store_app_offers_move(struct db *db, int64_t app_id, const char *from, const char *to,
                                    const char *now_ts, struct err *e)
{
    return db_run(db, e, "UPDATE offer SET status = ?, decided_at = ? WHERE application_id = ? AND status = ?", "ttit",
                  to, now_ts, app_id, from);
}

int enrol_store_child_apps(struct db *db, int64_t child_id, int64_t except_id, int64_t *ids, char (*states)[16],
                           int max, int *n, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT id, status FROM application WHERE child_id = ? AND id <> ? ORDER BY id",
                                  "ii", child_id, except_id);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        ids[*n] = db_col_int64(st, 0);
        db_col_copy(st, 1, states[(*n)++], 16);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* A child of an applying family who attends an institution. */
struct attending {
    int64_t family, institution, child;
};

static void read_attending(struct db_stmt *st, void *item)
{
    *(struct attending *)item = (struct attending){db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2)};
}

static int by_family(const void *a, const void *b)
{
    const struct attending *x = a, *y = b;
    return (x->family > y->family) - (x->family < y->family);
}

/* Fill each choice's siblings (the applicant's brothers and sisters attending its institution) of
 * apps[0..n), read as in enrol_store_apps_points: the children of the applying families who attend
 * an institution, in one statement, matched here (per choice, a correlated count scanned all of a
 * family's children). */
static int count_siblings(struct db *db, const char *district, int64_t id, const char *intake, const char *status,
                          struct enrol_app_points *apps, int n, struct err *e)
{
#define ATTENDING_SQL(families)                                                                                      \
    "SELECT family_user_id, institution_id, id FROM child WHERE institution_id IS NOT NULL AND family_user_id IN "    \
    "(SELECT family_user_id FROM application WHERE " families ")"
    struct db_stmt *st = intake ? db_query(db, e, ATTENDING_SQL("district_code = ? AND intake = ? AND status = ?"),
                                           "ttt", district, intake, status)
                                : db_query(db, e, ATTENDING_SQL("id = ?"), "i", id);
#undef ATTENDING_SQL
    void *got;
    size_t count;
    if (db_rows(st, e, sizeof(struct attending), read_attending, &got, &count) < 0)
        return -1;
    struct attending *rows = got;
    if (count) /* rows is NULL when no child attends: qsort's pointer must not be */
        qsort(rows, count, sizeof *rows, by_family);
    for (int i = 0; i < n; i++) {
        size_t lo = 0, hi = count; /* the first row of the applicant's family */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (rows[mid].family < apps[i].family_user_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int k = 0; k < apps[i].n; k++) {
            struct enrol_choice *c = &apps[i].choices[k];
            c->siblings = 0;
            for (size_t r = lo; r < count && rows[r].family == apps[i].family_user_id; r++)
                c->siblings += rows[r].institution == c->institution_id && rows[r].child != apps[i].child_id;
        }
    }
    free(rows);
    return 0;
}

int enrol_store_apps_points(struct db *db, const char *district, int64_t id, const char *intake, const char *status,
                            struct enrol_app_points **apps, int *n, struct err *e)
{
#define APPS_POINTS_SQL(where)                                                                                       \
    "SELECT a.id, a.child_id, a.family_user_id, a.criteria, COALESCE(ch.hukou_town, ''), ac.id, ac.institution_id, " \
    "ac.class_type, ac.points, i.town_code "                                                                        \
    "FROM application a JOIN child ch ON ch.id = a.child_id "                                                        \
    "LEFT JOIN application_choice ac ON ac.application_id = a.id LEFT JOIN institution i ON i.id = ac.institution_id " \
    "WHERE " where " ORDER BY a.id, ac.choice_rank"
    struct db_stmt *st = intake ? db_query(db, e, APPS_POINTS_SQL("a.district_code = ? AND a.intake = ? AND a.status = ?"),
                                           "ttt", district, intake, status)
                                : db_query(db, e, APPS_POINTS_SQL("a.id = ?"), "i", id);
#undef APPS_POINTS_SQL
    *apps = NULL;
    *n = 0;
    if (!st)
        return -1;
    int cap = 0, rc;
    struct enrol_app_points *list = NULL;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t app_id = db_col_int64(st, 0);
        if (*n == 0 || list[*n - 1].id != app_id) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                struct enrol_app_points *bigger = realloc(list, (size_t)cap * sizeof *list);
                if (!bigger) {
                    rc = err_set(e, 500, "nomem", "", "内存不足");
                    break;
                }
                list = bigger;
            }
            struct enrol_app_points *a = &list[(*n)++];
            memset(a, 0, sizeof *a);
            a->id = app_id;
            db_scan_from(st, 1, DB_I64(&a->child_id), DB_I64(&a->family_user_id));
            enrol_criteria_parse(db_col_text(st, 3), &a->criteria);
            db_col_copy(st, 4, a->child_town, sizeof a->child_town);
        }
        struct enrol_app_points *a = &list[*n - 1];
        if (db_col_is_null(st, 5) || a->n == ENROL_MAX_CHOICES)
            continue;
        struct enrol_choice *c = &a->choices[a->n++];
        db_scan_from(st, 5, DB_I64(&c->id), DB_I64(&c->institution_id), DB_TEXT(c->class_type), DB_F64(&c->points));
        c->program = 1;
        db_col_copy(st, 9, c->town, sizeof c->town);
    }
    db_finalize(st);
    if (rc < 0 || count_siblings(db, district, id, intake, status, list, *n, e) < 0) {
        free(list);
        *n = 0;
        return -1;
    }
    *apps = list;
    return 0;
}

static json_t *app_offer_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0), "round_id",
                     (json_int_t)db_col_int64(st, 1), "institution_id", (json_int_t)db_col_int64(st, 2),
                     "institution_name", db_col_text(st, 3), "class_type", db_col_text(st, 4), "status",
                     db_col_text(st, 5), "deadline", db_col_text(st, 6), "created_at", db_col_text(st, 7));
}

int enrol_store_app_json(struct db *db, const char *district, int64_t id, json_t **app, json_t **cutoffs,
                         int64_t *lottery, struct err *e)
{
    *app = *cutoffs = NULL;
    *lottery = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT a.id, a.child_id, ch.name_masked, ch.birth_date, a.family_user_id, a.intake, "
                                  "a.status, a.criteria, a.round_id, a.lottery, a.created_at, a.updated_at, r.cutoffs, "
                                  "ac.choice_rank, ac.institution_id, i.name, ac.class_type, ac.points "
                                  "FROM application a JOIN child ch ON ch.id = a.child_id "
                                  "LEFT JOIN alloc_round r ON r.id = a.round_id "
                                  "LEFT JOIN application_choice ac ON ac.application_id = a.id "
                                  "LEFT JOIN institution i ON i.id = ac.institution_id "
                                  "WHERE a.district_code = ? AND a.id = ? ORDER BY ac.choice_rank",
                                  "ti", district, id);
    if (!st)
        return -1;
    json_t *o = NULL, *choices = json_array();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (!o) {
            json_t *crit = json_loads(db_col_text(st, 7), 0, NULL);
            o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:O}", "id",
                          (json_int_t)db_col_int64(st, 0), "child_id", (json_int_t)db_col_int64(st, 1), "child_name",
                          db_col_text(st, 2), "child_birth_date", db_col_text(st, 3), "family_user_id",
                          (json_int_t)db_col_int64(st, 4), "intake", db_col_text(st, 5), "status", db_col_text(st, 6),
                          "criteria", crit ? crit : json_object(), "round_id", nullable_int(st, 8), "lottery",
                          nullable_int(st, 9), "created_at", db_col_text(st, 10), "updated_at", db_col_text(st, 11),
                          "choices", choices);
            *lottery = db_col_is_null(st, 9) ? 0 : db_col_int64(st, 9);
            *cutoffs = db_col_is_null(st, 12) ? NULL : json_loads(db_col_text(st, 12), 0, NULL);
        }
        if (db_col_is_null(st, 13))
            continue;
        const char *type = db_col_text(st, 16);
        int t = class_type_from_code(type);
        json_array_append_new(choices, json_pack("{s:i, s:I, s:s, s:s, s:s, s:f}", "rank", (int)db_col_int64(st, 13),
                                                 "institution_id", (json_int_t)db_col_int64(st, 14), "institution_name",
                                                 db_col_text(st, 15), "class_type", type, "class_type_name",
                                                 t >= 0 ? class_type_name((enum class_type)t) : "", "points",
                                                 db_col_double(st, 17)));
    }
    db_finalize(st);
    json_decref(choices);
    if (rc < 0 || !o) {
        json_decref(o);
        json_decref(*cutoffs);
        *cutoffs = NULL;
        return rc < 0 ? -1 : 0;
    }
    json_t *offers;
    rc = db_rows_json(db_query(db, e,
                               "SELECT o.id, o.round_id, o.institution_id, i.name, o.class_type, o.status, o.deadline, "
                               "o.created_at FROM offer o JOIN institution i ON i.id = o.institution_id "
                               "WHERE o.application_id = ? ORDER BY o.id",
                               "i", id), e,
                      app_offer_row, NULL, &offers);
    json_object_set_new(o, "offers", offers ? offers : json_array());
    if (rc < 0) {
        json_decref(o);
        json_decref(*cutoffs);
        *cutoffs = NULL;
        return -1;
    }
    *app = o;
    return 1;
}

static json_t *app_row(struct db_stmt *st, void *ctx)
{
    json_t *offer = db_col_is_null(st, 8)
                        ? json_null()
                        : json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 8), "institution_id",
                                    (json_int_t)db_col_int64(st, 9), "class_type", db_col_text(st, 10), "status",
                                    db_col_text(st, 11), "deadline", db_col_text(st, 12));
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:I}", "id", (json_int_t)db_col_int64(st, 0),
                     "child_id", (json_int_t)db_col_int64(st, 1), "child_name", db_col_text(st, 2), "intake",
                     db_col_text(st, 3), "status", db_col_text(st, 4), "round_id", nullable_int(st, 5), "lottery",
                     nullable_int(st, 6), "updated_at", db_col_text(st, 7), "offer", offer, "family_user_id",
                     (json_int_t)db_col_int64(st, 13));
}

int enrol_store_apps(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                     const char *intake, const char *status, int64_t inst, int64_t before_id, int limit, json_t **rows,
                     struct err *e)
{
    /* the latest offer of each application, with the program it is for */
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT a.id, a.child_id, ch.name_masked, a.intake, a.status, a.round_id, a.lottery, a.updated_at, "
             "o.id, o.institution_id, o.class_type, o.status, o.deadline, a.family_user_id "
             "FROM application a JOIN child ch ON ch.id = a.child_id "
             "LEFT JOIN offer o ON o.id = (SELECT MAX(o2.id) FROM offer o2 WHERE o2.application_id = a.id) "
             "WHERE a.district_code = ? "
             "AND (CAST(? AS TEXT) IS NULL OR a.intake = ?) AND (CAST(? AS TEXT) IS NULL OR a.status = ?) "
             "AND (? = 0 OR EXISTS (SELECT 1 FROM application_choice y WHERE y.application_id = a.id "
             "AND y.institution_id = ?)) AND %s AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
             scope_sql);
    struct db_stmt *st = db_query(db, e, sql, "tttttii", district, intake, intake, status, status, inst, inst);
    if (st) {
        int n = db_params_bind(scope, st, 8);
        db_bind_int64(st, n++, before_id);
        db_bind_int64(st, n++, before_id);
        db_bind_int64(st, n, limit);
    }
    return db_rows_json(st, e, app_row, NULL, rows);
}

/* ---- rounds and offers ---- */

int enrol_store_lock_apps(struct db *db, const char *district, const char *intake, const char *status, struct err *e)
{
    return db_write(db, e,
                    "UPDATE application SET status = status WHERE district_code = ? AND intake = ? AND status = ?",
                    "ttt", district, intake, status);
}

int enrol_store_round_insert(struct db *db, const char *district, const char *intake, const char *seed,
                             const char *inputs, int64_t user, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO alloc_round (district_code, intake, seed, runs, inputs, outputs, cutoffs, created_by, "
                       "created_at, updated_at) VALUES (?,?,?,1,?,'[]','[]',?,?,?) RETURNING id",
                       "ttttitt", district, intake, seed, inputs, user, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

int enrol_store_app_freeze(struct db *db, int64_t id, int64_t round_id, int64_t lottery, const char *status,
                           const char *now_ts, struct err *e)
{
    return db_write(db, e, "UPDATE application SET round_id = ?, lottery = ?, status = ?, updated_at = ? WHERE id = ?",
                    "iitti", round_id, lottery, status, now_ts, id);
}

int enrol_store_round_rerun(struct db *db, const char *district, int64_t id, json_t **inputs, struct err *e)
{
    *inputs = NULL;
    /* the round row lock serialises re-runs of one round */
    struct db_stmt *st = db_query(db, e,
                                  "UPDATE alloc_round SET runs = runs + 1 WHERE id = ? AND district_code = ? RETURNING inputs",
                                  "it", id, district);
    int found = db_first_row(st, e);
    if (found != 1)
        return found;
    *inputs = json_loads(db_col_text(st, 0), 0, NULL);
    db_finalize(st);
    if (!*inputs)
        return err_set(e, 500, "bad_round", "id", "轮次数据损坏");
    /* and the locks of its offers, so an accept or decline in flight finishes first */
    if (db_kind_of(db) == DB_PG && db_run(db, e, "SELECT id FROM offer WHERE round_id = ? FOR UPDATE", "i", id) < 0) {
        json_decref(*inputs);
        *inputs = NULL;
        return -1;
    }
    return 1;
}

static json_t *offer_moved_row(struct db_stmt *st, void *ctx)
{
    return json_pack("[I, I]", (json_int_t)db_col_int64(st, 0), (json_int_t)db_col_int64(st, 1));
}

int enrol_store_offers_lapse(struct db *db, int64_t round_id, const char *today, const char *from, const char *to,
                             const char *now_ts, json_t **moved, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "UPDATE offer SET status = ?, decided_at = ? WHERE round_id = ? AND status = ? "
                                  "AND deadline < ? RETURNING id, application_id",
                                  "ttitt", to, now_ts, round_id, from, today);
    return db_rows_json(st, e, offer_moved_row, NULL, moved);
}

static void read_round_app(struct db_stmt *st, void *item)
{
    struct enrol_round_app *a = item;
    memset(a, 0, sizeof *a);
    db_scan(st, DB_I64(&a->id), DB_I64(&a->family_user_id), DB_TEXT(a->status), DB_TEXT(a->intake),
            DB_TEXT(a->child_name));
    if (!db_col_is_null(st, 5)) {
        db_scan_from(st, 5, DB_I64(&a->offer_id), DB_I64(&a->offer_institution_id), DB_TEXT(a->offer_class_type),
                     DB_TEXT(a->offer_status));
    }
}

int enrol_store_round_apps(struct db *db, int64_t round_id, struct enrol_round_app **apps, int *n, struct err *e)
{
    /* with its latest offer of this round that holds or took a place */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT a.id, a.family_user_id, a.status, a.intake, ch.name_masked, o.id, o.institution_id, "
                                  "o.class_type, o.status FROM application a JOIN child ch ON ch.id = a.child_id "
                                  "LEFT JOIN offer o ON o.id = (SELECT MAX(o2.id) FROM offer o2 WHERE o2.application_id = a.id "
                                  "AND o2.round_id = a.round_id AND o2.status IN ('offered', 'accepted')) "
                                  "WHERE a.round_id = ? ORDER BY a.id",
                                  "i", round_id);
    size_t count;
    void *rows;
    int rc = db_rows(st, e, sizeof **apps, read_round_app, &rows, &count);
    *apps = rows;
    *n = (int)count;
    return rc;
}

int enrol_store_offer_insert(struct db *db, int64_t round_id, int64_t app_id, int64_t inst, const char *class_type,
                             const char *status, const char *deadline, const char *now_ts, int64_t *id, struct err *e)
{
    int found;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO offer (district_code, round_id, application_id, child_id, family_user_id, "
                       "institution_id, class_type, status, deadline, created_at) SELECT district_code, ?, id, child_id, "
                       "family_user_id, ?, ?, ?, ?, ? FROM application WHERE id = ? RETURNING id",
                       "iitttti", round_id, inst, class_type, status, deadline, now_ts, app_id);
    if (*id < 0)
        return -1;
    return found ? 0 : err_set(e, 404, "not_found", "application_id", "申请不存在");
}

int enrol_store_offer_move(struct db *db, int64_t id, const char *from, const char *to, const char *now_ts,
                           struct err *e)
{
    int64_t n = db_run(db, e, "UPDATE offer SET status = ?, decided_at = ? WHERE id = ? AND status = ?", "ttit", to,
                       now_ts, id, from);
    return n < 0 ? -1 : n > 0;
}

int enrol_store_round_results(struct db *db, int64_t id, const char *outputs, const char *cutoffs, const char *now_ts,
                              struct err *e)
{
    return db_write(db, e,
                    "UPDATE alloc_round SET outputs = ?, cutoffs = ?, updated_at = ? WHERE id = ?", "ttti", outputs,
                    cutoffs, now_ts, id);
}

static json_t *round_offer_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                     "application_id", (json_int_t)db_col_int64(st, 1), "child_id", (json_int_t)db_col_int64(st, 2),
                     "institution_id", (json_int_t)db_col_int64(st, 3), "class_type", db_col_text(st, 4), "status",
                     db_col_text(st, 5), "deadline", db_col_text(st, 6), "child_name", db_col_text(st, 7),
                     "institution_name", db_col_text(st, 8));
}

int enrol_store_round_json(struct db *db, const char *district, int64_t id, json_t **round, struct err *e)
{
    *round = NULL;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, intake, seed, runs, inputs, outputs, cutoffs, created_at, updated_at "
                                  "FROM alloc_round WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int found = db_first_row(st, e);
    if (found != 1)
        return found;
    json_t *in = json_loads(db_col_text(st, 4), 0, NULL), *out = json_loads(db_col_text(st, 5), 0, NULL),
           *cut = json_loads(db_col_text(st, 6), 0, NULL);
    json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:o, s:o, s:o, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                          "intake", db_col_text(st, 1), "seed", db_col_text(st, 2), "runs", (int)db_col_int64(st, 3),
                          "inputs", in ? in : json_object(), "outputs", out ? out : json_array(), "cutoffs",
                          cut ? cut : json_array(), "created_at", db_col_text(st, 7), "updated_at", db_col_text(st, 8),
                          "lottery_order", "ascending application id");
    db_finalize(st);
    /* institution names for the cut-offs and the programs of the inputs */
    json_t *names;
    if (enrol_store_institution_names(db, district, &names, e) < 0) {
        json_decref(o);
        return -1;
    }
    json_t *lists[] = {json_object_get(o, "cutoffs"), json_object_get(json_object_get(o, "inputs"), "programs")};
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        size_t i;
        json_t *p;
        json_array_foreach(lists[l], i, p)
        {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(p, "institution_id")));
            json_t *n = json_object_get(names, key);
            json_object_set(p, "institution_name", n ? n : json_null());
        }
    }
    json_decref(names);
    json_t *offers;
    int rc = db_rows_json(db_query(db, e,
                                   "SELECT o.id, o.application_id, o.child_id, o.institution_id, o.class_type, o.status, "
                                   "o.deadline, ch.name_masked, i.name FROM offer o JOIN child ch ON ch.id = o.child_id "
                                   "JOIN institution i ON i.id = o.institution_id WHERE o.round_id = ? ORDER BY o.id",
                                   "i", id), e,
                          round_offer_row, NULL, &offers);
    json_object_set_new(o, "offers", offers ? offers : json_array());
    if (rc < 0) {
        json_decref(o);
        return -1;
    }
    *round = o;
    return 1;
}

static json_t *round_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)db_col_int64(st, 0), "intake",
                     db_col_text(st, 1), "seed", db_col_text(st, 2), "runs", (int)db_col_int64(st, 3), "created_at",
                     db_col_text(st, 4), "updated_at", db_col_text(st, 5), "applications",
                     (json_int_t)db_col_int64(st, 6), "open_offers", (json_int_t)db_col_int64(st, 7), "accepted",
                     (json_int_t)db_col_int64(st, 8));
}

int enrol_store_rounds(struct db *db, const char *district, const char *intake, int64_t before_id, int limit,
                       json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT r.id, r.intake, r.seed, r.runs, r.created_at, r.updated_at, "
                                  "(SELECT COUNT(*) FROM application a WHERE a.round_id = r.id), "
                                  "(SELECT COUNT(*) FROM offer o WHERE o.round_id = r.id AND o.status = 'offered'), "
                                  "(SELECT COUNT(*) FROM offer o WHERE o.round_id = r.id AND o.status = 'accepted') "
                                  "FROM alloc_round r WHERE r.district_code = ? AND (CAST(? AS TEXT) IS NULL OR r.intake = ?) "
                                  "AND (? = 0 OR r.id < ?) ORDER BY r.id DESC LIMIT ?",
                                  "tttiii", district, intake, intake, before_id, before_id, (int64_t)limit);
    return db_rows_json(st, e, round_row, NULL, rows);
}

int enrol_store_offer(struct db *db, const char *district, int64_t id, struct enrol_offer *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT family_user_id, application_id, child_id, institution_id, class_type, status, "
                                  "deadline FROM offer WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_scan(st, DB_I64(&o->family_user_id), DB_I64(&o->application_id), DB_I64(&o->child_id),
                DB_I64(&o->institution_id), DB_TEXT(o->class_type), DB_TEXT(o->status), DB_TEXT(o->deadline));
        db_finalize(st);
    }
    return found;
}

int enrol_store_offer_lock(struct db *db, int64_t id, char status[16], struct err *e)
{
    struct db_stmt *st = db_query(db, e, FOR_UPDATE(db, "SELECT status FROM offer WHERE id = ?"), "i", id);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_col_copy(st, 0, status, 16);
        db_finalize(st);
    }
    return found;
}

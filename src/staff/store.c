/* store.c — reading and writing the staff registry (store.h). */
#include "staff/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "inbox/inbox.h"
#include "params/params.h"

static const char *or_null(const char *s) { return s[0] ? s : NULL; }

int staff_rules_from_params(struct db *db, const char *district, const char *date, struct staff_rules *r,
                            struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    memset(r, 0, sizeof *r);
    int rc = params_load(db, district, date, p, e);
    struct {
        const char *key;
        int *dst;
        char *basis;
    } ints[] = {
        {"staff.health_check_interval_months", &r->health_check_months, r->basis_health},
        {"staff.cert_expiry_warning_days", &r->warning_days, NULL},
        {"staff.no_criminal_record_required", &r->no_crime_required, r->basis_no_crime},
        {"staff.director_required", &r->director_required, r->basis_director},
        {"staff.certified_posts_required", &r->certified_posts, r->basis_certified},
        {"training.prejob_required", &r->prejob_required, r->basis_prejob},
    };
    for (size_t i = 0; rc == 0 && i < sizeof ints / sizeof *ints; i++) {
        double v;
        rc = params_num(p, ints[i].key, &v, e);
        *ints[i].dst = (int)v;
        if (ints[i].basis)
            snprintf(ints[i].basis, 160, "%s", params_basis(p, ints[i].key));
    }
    free(p);
    return rc;
}

#define STAFF_COLUMNS                                                                                             \
    "s.id, s.institution_id, i.town_code, i.name, s.name_sealed, s.name_masked, s.id_masked, s.role, "            \
    "s.employment, s.start_date, s.end_date, s.health_cert_date, s.health_cert_expiry, s.no_crime_cert_date, "    \
    "s.updated_at"
#define STAFF_FROM "FROM staff_member s JOIN institution i ON i.id = s.institution_id "

static void read_staff(const struct crypt_key *key, struct db_stmt *st, struct staff *s)
{
    memset(s, 0, sizeof *s);
    db_scan(st, DB_I64(&s->id), DB_I64(&s->institution_id), DB_TEXT(s->town_code), DB_TEXT(s->institution_name));
    struct err e;
    if (key && crypt_open(key, db_col_text(st, 4), s->name, sizeof s->name, &e) < 0)
        s->name[0] = 0;
    db_scan_from(st, 5, DB_TEXT(s->name_masked), DB_TEXT(s->id_masked));
    int role = staff_role_from_code(db_col_text(st, 7));
    s->role = role < 0 ? STAFF_OTHER : (enum staff_role)role;
    db_scan_from(st, 8, DB_TEXT(s->employment), DB_TEXT(s->start_date), DB_TEXT(s->end_date),
                 DB_TEXT(s->health_cert_date), DB_TEXT(s->health_cert_expiry), DB_TEXT(s->no_crime_cert_date),
                 DB_TEXT(s->updated_at));
}

/* Walks the n staff of list (in roster order: institution, then id) along detail rows read in the
 * same order: the member whose id a row names, moving only forward, or NULL once past the end. */
struct walk {
    struct staff *list;
    int n, at;
};

static struct staff *walk_to(struct walk *w, int64_t institution_id, int64_t staff_id)
{
    while (w->at < w->n && (w->list[w->at].institution_id < institution_id ||
                            (w->list[w->at].institution_id == institution_id && w->list[w->at].id < staff_id)))
        w->at++;
    return w->at < w->n && w->list[w->at].id == staff_id ? &w->list[w->at] : NULL;
}

/* One kind of detail row: its query (the filter clause and the order by are added) and where it
 * goes. Every query's first two columns are the staff member's institution and id. */
struct detail {
    const char *select;
    void (*read)(struct db_stmt *st, struct staff *s);
};

static void read_class(struct db_stmt *st, struct staff *s)
{
    if (s->nclasses < STAFF_MAX_CLASSES)
        s->class_ids[s->nclasses++] = db_col_int64(st, 2);
}

static void read_cert(struct db_stmt *st, struct staff *s)
{
    if (s->ncerts >= STAFF_MAX_CERTS)
        return;
    struct staff_cert *c = &s->certs[s->ncerts++];
    db_scan_from(st, 2, DB_I64(&c->id), DB_TEXT(c->kind));
    c->grade = db_col_is_null(st, 4) ? 0 : (int)db_col_int64(st, 4);
    db_scan_from(st, 5, DB_TEXT(c->number), DB_TEXT(c->issuer), DB_TEXT(c->issue_date), DB_TEXT(c->expiry_date));
}

static void read_prejob(struct db_stmt *st, struct staff *s) { db_col_copy(st, 2, s->prejob_date, sizeof s->prejob_date); }

static const struct detail DETAILS[] = {
    {"SELECT s.institution_id, sc.staff_id, sc.class_id FROM staff_class sc JOIN staff_member s ON s.id = sc.staff_id "
     "JOIN institution i ON i.id = s.institution_id WHERE %s ORDER BY s.institution_id, sc.staff_id, sc.class_id",
     read_class},
    {"SELECT s.institution_id, c.staff_id, c.id, c.kind, c.grade, c.number, c.issuer, c.issue_date, c.expiry_date "
     "FROM staff_certificate c JOIN staff_member s ON s.id = c.staff_id "
     "JOIN institution i ON i.id = s.institution_id WHERE %s ORDER BY s.institution_id, c.staff_id, c.id",
     read_cert},
    /* the day pre-job training was first attended (one grouped statement: a subquery per member
     * cost more than the rest of the roster) */
    {"SELECT s.institution_id, te.staff_id, MIN(ts.day) FROM training_enrolment te "
     "JOIN training_session ts ON ts.id = te.session_id JOIN training_course tc ON tc.id = ts.course_id "
     "JOIN staff_member s ON s.id = te.staff_id JOIN institution i ON i.id = s.institution_id "
     "WHERE te.status = 'attended' AND tc.kind = 'prejob' AND %s "
     "GROUP BY s.institution_id, te.staff_id ORDER BY s.institution_id, te.staff_id",
     read_prejob},
};

/* The classes, certificates and pre-job training of the n staff of list (in roster order) that the
 * filter clause `where` (over s and i, with its values bound from 1) takes. */
static int load_details(struct db *db, struct staff *list, int n, const char *where, const struct db_params *params,
                        struct err *e)
{
    for (size_t k = 0; k < sizeof DETAILS / sizeof *DETAILS; k++) {
        char sql[1536];
        snprintf(sql, sizeof sql, DETAILS[k].select, where);
        struct db_stmt *st;
        if (db_prepare(db, sql, &st, e) < 0)
            return -1;
        db_params_bind(params, st, 1);
        struct walk w = {list, n, 0};
        int rc;
        while ((rc = db_step(st, e)) == DB_ROW) {
            struct staff *s = walk_to(&w, db_col_int64(st, 0), db_col_int64(st, 1));
            if (s)
                DETAILS[k].read(st, s);
        }
        db_finalize(st);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The rows of "SELECT STAFF_COLUMNS STAFF_FROM WHERE where" in roster order (institution, then id)
 * with their details. */
static int load_where(struct db *db, const struct crypt_key *key, const char *where, const struct db_params *params,
                      struct staff **out, int *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    char sql[1536];
    snprintf(sql, sizeof sql, "SELECT " STAFF_COLUMNS " " STAFF_FROM "WHERE %s ORDER BY s.institution_id, s.id",
             where);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    db_params_bind(params, st, 1);
    int rc, cap = 0;
    struct staff *list = NULL;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct staff *grown = realloc(list, (size_t)cap * sizeof *list);
            if (!grown) {
                rc = err_set(e, 500, "oom", "", "内存不足");
                break;
            }
            list = grown;
        }
        read_staff(key, st, &list[(*n)++]);
    }
    db_finalize(st);
    if (rc < 0 || load_details(db, list, *n, where, params, e) < 0) {
        free(list);
        *n = 0;
        return -1;
    }
    *out = list;
    return 0;
}

int staff_load(struct db *db, const struct crypt_key *key, const char *district, int64_t id, struct staff *out,
               struct err *e)
{
    struct db_params p = {0};
    db_params_int64(&p, id);
    db_params_text(&p, district);
    struct staff *list;
    int n;
    if (load_where(db, key, "s.id = ? AND s.district_code = ?", &p, &list, &n, e) < 0)
        return -1;
    if (n == 0)
        return err_set(e, 404, "not_found", "id", "未找到该工作人员");
    *out = list[0];
    free(list);
    return 0;
}

int staff_roster(struct db *db, const struct crypt_key *key, const char *district, const struct staff_filter *f,
                 struct staff **out, int *n, struct err *e)
{
    struct db_params p = {0};
    db_params_text(&p, district);
    char where[640] = "s.district_code = ?";
    if (f->institution_id) {
        strcat(where, " AND s.institution_id = ?");
        db_params_int64(&p, f->institution_id);
    } else if (f->town) {
        strcat(where, " AND i.town_code = ?");
        db_params_text(&p, f->town);
    }
    if (f->scope) {
        snprintf(where + strlen(where), sizeof where - strlen(where), " AND %s", f->scope->sql);
        for (int i = 0; i < f->scope->params.n; i++) {
            if (f->scope->params.is_text[i])
                db_params_text(&p, f->scope->params.text[i]);
            else
                db_params_int64(&p, f->scope->params.num[i]);
        }
    }
    return load_where(db, key, where, &p, out, n, e);
}

/* ---- writing ---- */

/* The classes of s must belong to its institution. */
static int check_classes(struct db *db, const struct staff *s, struct err *e)
{
    for (int k = 0; k < s->nclasses; k++) {
        int found;
        int64_t inst = db_query_int(db, e, &found, "SELECT institution_id FROM institution_class WHERE id = ?", "i",
                                    s->class_ids[k]);
        if (inst < 0)
            return -1;
        if (!found || inst != s->institution_id) {
            char field[32];
            snprintf(field, sizeof field, "class_ids[%d]", k);
            return err_set(e, 422, "class_other_institution", field, "班级 %lld 不属于本机构",
                           (long long)s->class_ids[k]);
        }
    }
    return 0;
}

/* The same person (lookup, or the stored one of s->id when lookup is NULL) elsewhere: registered
 * in this institution already, or full time in another over dates that overlap s's while s is
 * full time too. */
static int check_person(struct db *db, const char *district, const struct staff *s, const char *lookup,
                        struct err *e)
{
    int found;
    int64_t dup = db_query_int(db, e, &found,
                               "SELECT id FROM staff_member WHERE institution_id = ? AND id <> ? AND "
                               "id_lookup = COALESCE(?, (SELECT id_lookup FROM staff_member WHERE id = ?))",
                               "iiti", s->institution_id, s->id, lookup, s->id);
    if (dup < 0)
        return -1;
    if (found)
        return err_set(e, 409, "staff_exists", "id_number", "该身份证号的工作人员已在本机构登记");
    if (strcmp(s->employment, "full_time"))
        return 0;
    struct db_stmt *st = db_query(
        db, e,
        "SELECT i.name FROM staff_member o JOIN institution i ON i.id = o.institution_id "
        "WHERE o.district_code = ? AND o.institution_id <> ? AND o.employment = 'full_time' AND "
        "o.id_lookup = COALESCE(?, (SELECT id_lookup FROM staff_member WHERE id = ?)) AND "
        "(o.end_date IS NULL OR o.end_date >= ?) AND o.start_date <= COALESCE(?, '9999-12-31') LIMIT 1",
        "tititt", district, s->institution_id, lookup, s->id, s->start_date, or_null(s->end_date));
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    char masked[192];
    mask_name(db_col_text(st, 0), masked, sizeof masked);
    db_finalize(st);
    return err_set(e, 409, "full_time_elsewhere", "id_number", "此人已是「%s」的全职工作人员，不能同时在两家机构全职",
                   masked);
}

static int write_details(struct db *db, const char *district, const struct staff *s, struct err *e)
{
    if (db_run(db, e, "DELETE FROM staff_class WHERE staff_id = ?", "i", s->id) < 0 ||
        db_run(db, e, "DELETE FROM staff_certificate WHERE staff_id = ?", "i", s->id) < 0)
        return -1;
    for (int k = 0; k < s->nclasses; k++)
        if (db_run(db, e, "INSERT INTO staff_class (district_code, staff_id, class_id) VALUES (?,?,?)", "tii",
                   district, s->id, s->class_ids[k]) < 0)
            return -1;
    for (int k = 0; k < s->ncerts; k++) {
        const struct staff_cert *c = &s->certs[k];
        struct db_stmt *st;
        if (db_prepare(db,
                       "INSERT INTO staff_certificate (district_code, staff_id, kind, grade, number, issuer, "
                       "issue_date, expiry_date) VALUES (?,?,?,?,?,?,?,?)",
                       &st, e) < 0)
            return -1;
        db_bind_text(st, 1, district);
        db_bind_int64(st, 2, s->id);
        db_bind_text(st, 3, c->kind);
        if (c->grade)
            db_bind_int64(st, 4, c->grade);
        else
            db_bind_null(st, 4);
        db_bind_text(st, 5, c->number);
        db_bind_text(st, 6, c->issuer);
        db_bind_text(st, 7, c->issue_date);
        db_bind_text(st, 8, c->expiry_date[0] ? c->expiry_date : NULL);
        int rc = db_step(st, e);
        db_finalize(st);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Seal the name and (when given) the ID number of s; the plain number is wiped. */
struct sealed {
    char name[256];
    struct crypt_protected_id id;
    int has_id;
};

static int seal(const struct crypt_key *key, struct staff *s, struct sealed *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    int rc = crypt_seal(key, s->name, out->name, sizeof out->name, e);
    mask_name(s->name, s->name_masked, sizeof s->name_masked);
    if (rc == 0 && s->id_number[0]) {
        rc = crypt_protect_id_number(key, s->id_number, NULL, &out->id, e);
        out->has_id = rc == 0;
        if (rc == 0)
            parse_copy_text(s->id_masked, sizeof s->id_masked, out->id.masked);
    }
    memset(s->id_number, 0, sizeof s->id_number);
    return rc;
}

/* A unique index refused the row: two requests raced to make one person full time twice. */
static int conflict(struct err *e)
{
    return db_conflict_as(e, "full_time_elsewhere", "id_number", "此人已在其他机构全职登记");
}

int staff_insert(struct db *db, const struct crypt_key *key, const char *district, struct staff *s,
                 const char *now_ts, struct err *e)
{
    struct sealed x;
    if (seal(key, s, &x, e) < 0 || check_classes(db, s, e) < 0 || check_person(db, district, s, x.id.lookup, e) < 0)
        return -1;
    s->id = db_query_int(db, e, NULL,
                         "INSERT INTO staff_member (district_code, institution_id, name_sealed, name_masked, id_sealed, "
                         "id_lookup, id_masked, role, employment, start_date, end_date, health_cert_date, "
                         "health_cert_expiry, no_crime_cert_date, created_at, updated_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                         "titttttttttttttt", district, s->institution_id, x.name, s->name_masked, x.id.sealed,
                         x.id.lookup, s->id_masked, staff_role_code(s->role), s->employment, s->start_date,
                         or_null(s->end_date), or_null(s->health_cert_date), or_null(s->health_cert_expiry),
                         or_null(s->no_crime_cert_date), now_ts, now_ts);
    if (s->id < 0)
        return conflict(e);
    parse_copy_text(s->updated_at, sizeof s->updated_at, now_ts);
    return write_details(db, district, s, e);
}

int staff_update(struct db *db, const struct crypt_key *key, const char *district, struct staff *s,
                 const char *now_ts, struct err *e)
{
    struct sealed x;
    if (seal(key, s, &x, e) < 0 || check_classes(db, s, e) < 0 ||
        check_person(db, district, s, x.has_id ? x.id.lookup : NULL, e) < 0)
        return -1;
    int64_t n = db_run(db, e,
                       "UPDATE staff_member SET name_sealed = ?, name_masked = ?, id_sealed = COALESCE(?, id_sealed), "
                       "id_lookup = COALESCE(?, id_lookup), id_masked = ?, role = ?, employment = ?, start_date = ?, "
                       "end_date = ?, health_cert_date = ?, health_cert_expiry = ?, no_crime_cert_date = ?, "
                       "updated_at = ? WHERE id = ? AND district_code = ?",
                       "tttttttttttttit", x.name, s->name_masked, x.has_id ? x.id.sealed : NULL,
                       x.has_id ? x.id.lookup : NULL, s->id_masked, staff_role_code(s->role), s->employment,
                       s->start_date, or_null(s->end_date), or_null(s->health_cert_date),
                       or_null(s->health_cert_expiry), or_null(s->no_crime_cert_date), now_ts, s->id, district);
    if (n < 0)
        return conflict(e);
    parse_copy_text(s->updated_at, sizeof s->updated_at, now_ts);
    return write_details(db, district, s, e);
}

int staff_post_reminders(struct db *db, const char *district, const struct staff *before, const struct staff *s,
                         const struct staff_rules *rules, const char *today, const char *now_ts, struct err *e)
{
    /* an update replaces what was queued about the person (a new record has nothing queued) */
    if (before && inbox_withdraw(db, "staff", s->id, NULL, now_ts, e) < 0)
        return -1;
    struct staff_reminder m[2 * (STAFF_MAX_CERTS + 1)];
    int n = staff_reminders(before, s, rules, today, m, (int)(sizeof m / sizeof *m));
    if (n == 0)
        return 0;
    /* the institution's accounts whose role manages its staff */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, role FROM app_user WHERE district_code = ? AND institution_id = ? AND "
                                  "disabled = 0 ORDER BY id",
                                  "ti", district, s->institution_id);
    if (!st)
        return -1;
    int64_t users[16];
    int nusers = 0, rc;
    while ((rc = db_step(st, e)) == DB_ROW && nusers < 16)
        if (authz_role_may(role_from_code(db_col_text(st, 1)), "staff.manage"))
            users[nusers++] = db_col_int64(st, 0);
    db_finalize(st);
    for (int i = 0; rc >= 0 && i < n; i++) {
        int64_t t;
        char due[DATE_TIMESTAMP_LEN];
        if (date_day_start(m[i].day, &t) < 0)
            return err_set(e, 500, "bad_date", "", "日期无效：%s", m[i].day);
        date_format_timestamp(t, due, sizeof due);
        if (strcmp(due, now_ts) < 0)
            snprintf(due, sizeof due, "%s", now_ts);
        for (int u = 0; rc >= 0 && u < nusers; u++) {
            struct inbox_message msg = {users[u], m[i].kind, m[i].subject, m[i].body, "staff", s->id, due};
            rc = inbox_post(db, district, &msg, now_ts, e);
        }
    }
    return rc < 0 ? -1 : 0;
}

/* An expiring certificate's row; ctx is today. */
static json_t *expiring_row(struct db_stmt *st, void *ctx)
{
    const char *today = ctx;
    const char *kind = db_col_text(st, 6);
    int role = staff_role_from_code(db_col_text(st, 2));
    int health = strcmp(kind, "health") == 0;
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s?, s:s?, s:s, s:b}", "staff_id",
                     (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "role",
                     db_col_text(st, 2), "role_name", staff_role_name(role < 0 ? STAFF_OTHER : role),
                     "institution_id", (json_int_t)db_col_int64(st, 3), "institution_name",
                     db_col_text(st, 4), "town_code", db_col_text(st, 5), "kind", kind, "kind_name",
                     health ? "健康证明" : staff_cert_kind_name(kind), "number", health ? NULL : db_col_text(st, 7),
                     "expiry_date", db_col_text(st, 8), "lapsed", strcmp(db_col_text(st, 8), today) < 0);
}

int staff_expiring(struct db *db, const char *district, const struct authz_scope *scope, const char *today,
                   const char *until, int limit, json_t **rows, struct err *e)
{
    /* the two kinds of dated certificate in one list: the health certificate on the person's
     * row, qualifications in staff_certificate */
    struct db_stmt *st =
        db_query_scoped(db, e,
                        "SELECT s.id, s.name_masked, s.role, s.institution_id, i.name, i.town_code, x.kind, x.number, "
                        "x.expiry_date FROM ("
                        "SELECT id AS staff_id, 'health' AS kind, NULL AS number, health_cert_expiry AS expiry_date "
                        "FROM staff_member WHERE district_code = ? AND health_cert_expiry <= ? "
                        "UNION ALL SELECT staff_id, kind, number, expiry_date FROM staff_certificate "
                        "WHERE district_code = ? AND expiry_date <= ?"
                        ") x JOIN staff_member s ON s.id = x.staff_id JOIN institution i ON i.id = s.institution_id "
                        "WHERE s.start_date <= ? AND (s.end_date IS NULL OR s.end_date >= ?) AND %s "
                        "ORDER BY x.expiry_date, s.id, x.kind LIMIT ?",
                        scope->sql, &scope->params, limit, "tttttt", district, until, district, until, today, today);
    return db_rows_json(st, e, expiring_row, (void *)today, rows);
}

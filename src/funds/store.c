/* store.c — the subsidy rules' parameters from the database (store.h). */
#include "funds/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "params/params.h"

/* the month a version starting on from is first in force on the first day of */
static funds_month first_month(const struct date_ymd *from)
{
    return funds_month_of(from->year, from->month) + (from->day > 1);
}

int funds_store_childcare_rules(struct db *db, const char *district, const char *day,
                                struct funds_childcare_rules *out, struct err *e)
{
    *out = (struct funds_childcare_rules){0};
    double age;
    if (params_get(db, district, "subsidy.childcare.max_age_months", day, &age, e) < 0)
        return -1;
    out->max_age_months = (int)age;
    /* the versions of the nearest level that sets the rate (the district, its city, its province) */
    static const char *const key = "subsidy.childcare.per_month_fen";
    struct db_stmt *st = db_query(db, e,
                                  "SELECT value, valid_from, valid_to, basis FROM param WHERE key = ? AND district_code = "
                                  "(SELECT l.code FROM " JURISDICTION_LEVELS_SQL " l JOIN param q ON q.district_code = "
                                  "l.code AND q.key = ? ORDER BY l.distance LIMIT 1) ORDER BY valid_from",
                                  "tttt", key, district, district, key);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct date_ymd from, to;
        struct err ignored = {0};
        const char *until = db_col_text(st, 2);
        if (out->nrates == FUNDS_MAX_RATES || date_parse(db_col_text(st, 1), &from, &ignored) < 0 ||
            (until && date_parse(until, &to, &ignored) < 0)) {
            db_finalize(st);
            return err_set(e, 500, "param_invalid", "subsidy.childcare.per_month_fen", "育儿补贴月标准的版本无效或过多");
        }
        struct funds_rate *r = &out->rates[out->nrates];
        r->from = first_month(&from);
        r->to = until ? funds_month_of(to.year, to.month) : funds_month_of(9999, 12);
        r->per_month_fen = (int64_t)llround(strtod(db_col_text(st, 0), NULL));
        db_col_copy(st, 1, r->valid_from, sizeof r->valid_from);
        db_col_copy(st, 3, r->basis, sizeof r->basis);
        if (r->from <= r->to)
            out->nrates++;
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    if (out->nrates == 0)
        return err_set(e, 500, "param_missing", "subsidy.childcare.per_month_fen", "缺少育儿补贴月标准参数");
    return 0;
}

/* the version of key in force on day: its value, valid_from and basis into *u (strings in buf) */
struct param_text {
    char valid_from[DATE_DAY_LEN];
    char basis[256];
};
static int param_in_force(struct db *db, const char *district, const char *key, const char *day,
                          struct funds_param_used *u, struct param_text *buf, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT p.value, p.valid_from, p.basis FROM param p JOIN " JURISDICTION_LEVELS_SQL
                                  " l ON l.code = p.district_code WHERE p.key = ? AND p.valid_from <= ? AND "
                                  "(p.valid_to IS NULL OR p.valid_to >= ?) ORDER BY l.distance, p.valid_from DESC LIMIT 1",
                                  "ttttt", district, district, key, day, day);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 500, "param_missing", key, "缺少参数 %s（%s 生效的版本）", key, day);
    u->key = key;
    u->value = strtod(db_col_text(st, 0), NULL);
    db_scan_from(st, 1, DB_TEXT(buf->valid_from), DB_TEXT(buf->basis));
    u->valid_from = buf->valid_from;
    u->basis = buf->basis;
    db_finalize(st);
    return 0;
}

int funds_store_construction_rules(struct db *db, const char *district, const char *day,
                                   struct funds_construction_rules *out, struct funds_param_used *used,
                                   struct err *e)
{
    static const char *const KEYS[FUNDS_CONSTRUCTION_PARAMS] = {
        "subsidy.construction.classes_counted", "subsidy.construction.public_per_class_max_fen",
        "subsidy.construction.private_per_class_max_fen", "subsidy.construction.private_share"};
    static _Thread_local struct param_text text[FUNDS_CONSTRUCTION_PARAMS];
    struct funds_param_used u[FUNDS_CONSTRUCTION_PARAMS];
    for (int i = 0; i < FUNDS_CONSTRUCTION_PARAMS; i++)
        if (param_in_force(db, district, KEYS[i], day, &u[i], &text[i], e) < 0)
            return -1;
    *out = (struct funds_construction_rules){(int)u[0].value, llround(u[1].value), llround(u[2].value),
                                             (int)lround(u[3].value * 10000.0)};
    if (used)
        memcpy(used, u, sizeof u);
    return 0;
}

int funds_store_operating_rules(struct db *db, const char *district, const char *day,
                                struct funds_operating_rules *out, struct funds_param_used *used, struct err *e)
{
    static const char *const KEYS[FUNDS_OPERATING_PARAMS] = {
        "subsidy.operating.per_child_month_fen", "subsidy.operating.count_day", "subsidy.award.star1_fen",
        "subsidy.award.star2_fen", "subsidy.award.star3_fen", "subsidy.award.star4_fen", "subsidy.award.star5_fen",
        "subsidy.award.requires_prices_within", "subsidy.post.grade1_fen", "subsidy.post.grade2_fen",
        "subsidy.post.grade3_fen", "subsidy.post.grade4_fen", "subsidy.post.grade5_fen"};
    static _Thread_local struct param_text text[FUNDS_OPERATING_PARAMS];
    struct funds_param_used u[FUNDS_OPERATING_PARAMS];
    for (int i = 0; i < FUNDS_OPERATING_PARAMS; i++)
        if (param_in_force(db, district, KEYS[i], day, &u[i], &text[i], e) < 0)
            return -1;
    memset(out, 0, sizeof *out);
    out->per_child_month_fen = llround(u[0].value);
    out->count_day = (int)u[1].value;
    for (int s = 1; s <= 5; s++)
        out->star_award_year_fen[s] = llround(u[1 + s].value);
    out->award_requires_prices_within = u[7].value != 0;
    for (int g = 1; g <= 5; g++)
        out->post_grade_month_fen[g] = llround(u[7 + g].value);
    memcpy(used, u, sizeof u);
    return 0;
}

static void read_in_care(struct db_stmt *st, void *item)
{
    struct funds_in_care *x = item;
    db_scan(st, DB_I64(&x->institution_id), DB_INT(&x->children));
}

int funds_store_in_care(struct db *db, const char *district, const char *day, struct funds_in_care **out, size_t *n,
                        struct err *e)
{
    void *list;
    if (db_rows(db_query(db, e,
                         "SELECT institution_id, COUNT(DISTINCT child_id) FROM care_placement WHERE district_code = ? "
                         "AND start_date <= ? AND (end_date IS NULL OR end_date > ?) GROUP BY institution_id "
                         "ORDER BY institution_id",
                         "ttt", district, day, day),
                e, sizeof **out, read_in_care, &list, n) < 0)
        return -1;
    *out = list;
    return 0;
}

static void read_post_row(struct db_stmt *st, void *item)
{
    struct funds_post_row *x = item;
    memset(x, 0, sizeof *x);
    db_scan(st, DB_I64(&x->institution_id), DB_I64(&x->m.staff_id), DB_TEXT(x->m.name_masked), DB_INT(&x->m.grade));
}

int funds_store_post_months(struct db *db, const char *district, const char *day, struct funds_post_row **out,
                            size_t *n, struct err *e)
{
    void *list;
    if (db_rows(db_query(db, e,
                         "SELECT s.institution_id, s.id, s.name_masked, MIN(c.grade) FROM staff_member s "
                         "JOIN staff_certificate c ON c.staff_id = s.id WHERE s.district_code = ? AND s.role = 'caregiver' "
                         "AND s.start_date <= ? AND (s.end_date IS NULL OR s.end_date > ?) "
                         "AND c.kind IN ('childcare_worker', 'infant_carer') AND c.grade BETWEEN 1 AND 5 "
                         "AND c.issue_date <= ? AND (c.expiry_date IS NULL OR c.expiry_date >= ?) "
                         "GROUP BY s.institution_id, s.id, s.name_masked ORDER BY s.institution_id, s.id",
                         "ttttt", district, day, day, day, day),
                e, sizeof **out, read_post_row, &list, n) < 0)
        return -1;
    *out = list;
    return 0;
}

static void live_row(struct db_stmt *st, void *item)
{
    struct funds_live *l = item;
    db_scan(st, DB_TEXT(l->kind), DB_I64(&l->institution_id));
}

int funds_store_live_of_period(struct db *db, const char *district, const char *period, struct funds_live **out,
                               size_t *n, struct err *e)
{
    void *rows;
    int rc = db_rows(db_query(db, e,
                              "SELECT f.kind, f.institution_id FROM funds_entitlement f WHERE f.district_code = ? AND "
                              "f.period = ? AND f.institution_id IS NOT NULL AND f.state <> 'rejected' AND "
                              "f.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM funds_entitlement r WHERE "
                              "r.reverses_id = f.id)",
                              "tt", district, period),
                     e, sizeof **out, live_row, &rows, n);
    *out = rows;
    return rc;
}

int funds_store_forecast_inputs(struct db *db, const char *district, int year, const char *today,
                                struct funds_forecast_inputs *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    in->year = year;
    char first[DATE_DAY_LEN];
    snprintf(first, sizeof first, "%04d-01-01", year);
    struct param_text text;
    struct funds_param_used u;
    int64_t *dst[] = {&in->childcare_per_month_fen, &in->operating_per_child_month_fen, &in->star_award_year_fen[1],
                      &in->star_award_year_fen[2], &in->star_award_year_fen[3], &in->star_award_year_fen[4],
                      &in->star_award_year_fen[5]};
    static const char *const KEYS[] = {"subsidy.childcare.per_month_fen", "subsidy.operating.per_child_month_fen",
                                       "subsidy.award.star1_fen", "subsidy.award.star2_fen", "subsidy.award.star3_fen",
                                       "subsidy.award.star4_fen", "subsidy.award.star5_fen"};
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++) {
        if (param_in_force(db, district, KEYS[i], first, &u, &text, e) < 0)
            return -1;
        *dst[i] = llround(u.value);
    }
    if (param_in_force(db, district, "subsidy.station_max_fen", first, &u, &text, e) < 0)
        return -1;
    int64_t station_cap = llround(u.value);
    int64_t grade_fen[6] = {0};
    for (int g = 1; g <= 5; g++) {
        char key[32];
        snprintf(key, sizeof key, "subsidy.post.grade%d_fen", g);
        if (param_in_force(db, district, key, first, &u, &text, e) < 0)
            return -1;
        grade_fen[g] = llround(u.value);
    }
    struct funds_post_row *posts;
    size_t nposts;
    if (funds_store_post_months(db, district, today, &posts, &nposts, e) < 0)
        return -1;
    for (size_t i = 0; i < nposts; i++)
        if (posts[i].m.grade >= 1 && posts[i].m.grade <= 5) {
            in->post_month_fen += grade_fen[posts[i].m.grade];
            in->caregivers_graded++;
        }
    free(posts);
    in->under3 = in->births = -1;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT year, CAST(SUM(under3) AS BIGINT), CAST(SUM(births) AS BIGINT) FROM town_population "
                                  "WHERE district_code = ? AND year = (SELECT MAX(year) FROM town_population WHERE "
                                  "district_code = ? AND year < ? AND under3 IS NOT NULL) GROUP BY year",
                                  "tti", district, district, (int64_t)year);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc) {
        db_scan(st, DB_INT(&in->population_year), DB_I64(&in->under3));
        in->births = db_col_is_null(st, 2) ? -1 : db_col_int64(st, 2);
        db_finalize(st);
    }
    int64_t n = db_query_int(db, e, NULL,
                             "SELECT COUNT(DISTINCT child_id) FROM care_placement WHERE district_code = ? AND start_date <= ? "
                             "AND (end_date IS NULL OR end_date > ?)",
                             "ttt", district, today, today);
    if (n < 0)
        return -1;
    in->in_care = (int)n;
    st = db_query(db, e,
                  "SELECT level_code, COUNT(*) FROM rating_assessment WHERE district_code = ? AND in_force_from <= ? "
                  "AND (in_force_to IS NULL OR in_force_to >= ?) AND level_code LIKE 'star%' GROUP BY level_code",
                  "ttt", district, today, today);
    if (!st)
        return -1;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int stars = atoi(db_col_text(st, 0) + 4);
        if (stars >= 1 && stars <= 5)
            in->stars[stars] += (int)db_col_int64(st, 1);
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    st = db_query(db, e,
                  "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN investment_fen > ? THEN ? ELSE investment_fen END), 0) AS BIGINT) "
                  "FROM station_site WHERE district_code = ? AND accepted_on IS NULL",
                  "iit", station_cap, station_cap, district);
    if (db_first_row(st, e) < 0)
        return -1;
    db_scan(st, DB_INT(&in->stations_pending), DB_I64(&in->stations_pending_fen));
    db_finalize(st);
    st = db_query(db, e,
                  "SELECT COUNT(*), CAST(COALESCE(SUM(s.face_fen), 0) AS BIGINT) FROM voucher v JOIN voucher_issue s "
                  "ON s.id = v.issue_id WHERE v.district_code = ? AND v.state = 'issued' AND s.valid_to >= ?",
                  "tt", district, first);
    if (db_first_row(st, e) < 0)
        return -1;
    db_scan(st, DB_INT(&in->vouchers_open), DB_I64(&in->vouchers_open_fen));
    db_finalize(st);
    return 0;
}

struct totals_ctx {
    int64_t seq;
    const char *by;
};

static json_t *totals_row(struct db_stmt *st, void *ctx)
{
    struct totals_ctx *c = ctx;
    const char *key = db_col_text(st, 0) ? db_col_text(st, 0) : "";
    const char *name = strcmp(c->by, "kind") == 0 ? funds_kind_name(key) : db_col_text(st, 1);
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "id", (json_int_t)++c->seq, "key", key, "name",
                     name ? name : key, "count", (json_int_t)db_col_int64(st, 2), "amount_fen",
                     (json_int_t)db_col_int64(st, 3), "approved_fen", (json_int_t)db_col_int64(st, 4), "paid_fen",
                     (json_int_t)db_col_int64(st, 5));
}

int funds_store_totals(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                       const char *by, int year, json_t **rows, struct err *e)
{
    /* the grouping column and its name, from this fixed list only (never from the request's text) */
    const char *key = strcmp(by, "town") == 0 ? "f.town_code" : strcmp(by, "institution") == 0 ? "CAST(f.institution_id AS TEXT)"
                      : strcmp(by, "period") == 0                                           ? "f.period"
                                                                                             : "f.kind";
    const char *name = strcmp(by, "town") == 0 ? "MIN(t.name)" : strcmp(by, "institution") == 0 ? "MIN(f.beneficiary)"
                                                                                              : "MIN(f.period)";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT %s, %s, COUNT(*), CAST(SUM(f.amount_fen) AS BIGINT), "
             "CAST(SUM(CASE WHEN f.state IN ('approved', 'batched') THEN f.amount_fen ELSE 0 END) AS BIGINT), "
             "CAST(SUM(CASE WHEN f.state = 'paid' THEN f.amount_fen ELSE 0 END) AS BIGINT) "
             "FROM funds_entitlement f LEFT JOIN town t ON t.code = f.town_code WHERE f.district_code = ? "
             "AND f.state <> 'rejected' AND (? = 0 OR substr(f.created_at, 1, 4) = ?) AND %%s GROUP BY %s ORDER BY %s",
             key, name, key, key);
    char y[8];
    snprintf(y, sizeof y, "%04d", year);
    struct totals_ctx ctx = {0, by};
    return db_rows_json(db_query_scoped(db, e, sql, scope_sql, scope_params, -1, "tit", district, (int64_t)year, y), e,
                        totals_row, &ctx, rows);
}

/* ---- the ledger ---- */

static int history(struct db *db, int64_t id, const char *from, const char *to, int64_t by, const char *comment,
                   const char *now, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO funds_event (district_code, entitlement_id, from_state, to_state, by_user, at, comment) "
                    "SELECT district_code, id, ?, ?, ?, ?, ? FROM funds_entitlement WHERE id = ?",
                    "TtitTi", from, to, by, now, comment, id);
}

int funds_store_insert(struct db *db, const char *district, const struct funds_new *n, int64_t by, const char *now,
                       int64_t *id, struct err *e)
{
    char *explanation = json_dumps(n->explanation, JSON_COMPACT);
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO funds_entitlement (district_code, kind, institution_id, town_code, beneficiary, "
                       "period, amount_fen, explanation, state, reverses_id, created_by, created_at, updated_at) "
                       "VALUES (?,?,?,?,?,?,?,?,'computed',?,?,?,?) RETURNING id",
                       "ttItttitIitt", district, n->kind, n->institution_id, n->town_code, n->beneficiary, n->period,
                       n->amount_fen, explanation, n->reverses_id, by, now, now);
    free(explanation);
    if (*id < 0)
        return -1;
    return history(db, *id, NULL, "computed", by, NULL, now, e);
}

#define ROW_COLUMNS                                                                                                \
    "f.id, f.kind, f.institution_id, f.town_code, f.beneficiary, f.period, f.amount_fen, f.state, f.reason, "       \
    "f.reverses_id, f.batch_id, f.created_by, f.applied_by, f.reviewed_by, f.approved_by, f.created_at, "          \
    "f.updated_at, (SELECT r.id FROM funds_entitlement r WHERE r.reverses_id = f.id)"

int funds_store_load(struct db *db, const char *district, int64_t id, struct funds_stored *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT f.id, f.institution_id, f.amount_fen, f.reverses_id, f.town_code, f.kind, "
                                  "f.beneficiary, f.period, f.state, f.applied_by, f.reviewed_by "
                                  "FROM funds_entitlement f WHERE f.district_code = ? AND f.id = ?",
                                  "ti", district, id);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 404, "not_found", "id", "资金记录不存在");
    *out = (struct funds_stored){db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3)};
    db_scan_from(st, 4, DB_TEXT(out->town_code), DB_TEXT(out->kind), DB_TEXT(out->beneficiary), DB_TEXT(out->period),
                 DB_TEXT(out->row.state), DB_I64(&out->row.applied_by), DB_I64(&out->row.reviewed_by));
    db_finalize(st);
    return 0;
}

#define MOVE_SQL(by_col)                                                                                           \
    "UPDATE funds_entitlement SET state = ?, updated_at = ?, reason = COALESCE(?, reason)" by_col                    \
    " WHERE district_code = ? AND id = ? AND state = ?"

int funds_store_move(struct db *db, const char *district, int64_t id, const char *from, const char *to, int64_t by,
                     const char *comment, const char *now, struct err *e)
{
    /* who made the move is kept on the row for the four-eyes rule; a rejection keeps its reason */
    const char *reason = strcmp(to, "rejected") == 0 ? comment : NULL;
    int64_t n = strcmp(to, "applied") == 0
                    ? db_run(db, e, MOVE_SQL(", applied_by = ?"), "ttTitit", to, now, reason, by, district, id, from)
                : strcmp(to, "reviewed") == 0
                    ? db_run(db, e, MOVE_SQL(", reviewed_by = ?"), "ttTitit", to, now, reason, by, district, id, from)
                : strcmp(to, "approved") == 0
                    ? db_run(db, e, MOVE_SQL(", approved_by = ?"), "ttTitit", to, now, reason, by, district, id, from)
                    : db_run(db, e, MOVE_SQL(""), "ttTtit", to, now, reason, district, id, from);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "state_changed", "event", "资金记录的状态已被他人改变，请刷新后重试");
    return history(db, id, from, to, by, comment, now, e);
}

int funds_store_reversed(struct db *db, int64_t id, struct err *e)
{
    int found;
    int64_t rc = db_query_int(db, e, &found, "SELECT id FROM funds_entitlement WHERE reverses_id = ?", "i", id);
    return rc < 0 ? -1 : found;
}

/* a ledger row (ROW_COLUMNS); with ctx set, column 18 holds its explanation */
static json_t *row_json(struct db_stmt *st, void *ctx)
{
    const char *state = db_col_text(st, 7);
    const char *name = funds_state_name(state);
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:s, s:s, s:o}",
                     "id", (json_int_t)db_col_int64(st, 0), "kind", db_col_text(st, 1), "institution_id",
                     db_col_json_id(st, 2), "town_code", db_col_text(st, 3), "beneficiary", db_col_text(st, 4), "period",
                     db_col_text(st, 5), "amount_fen", (json_int_t)db_col_int64(st, 6), "state", state, "state_name",
                     name ? name : state, "reason", db_col_json_text(st, 8), "reverses_id", db_col_json_id(st, 9),
                     "batch_id", db_col_json_id(st, 10), "created_by", (json_int_t)db_col_int64(st, 11), "applied_by",
                     db_col_json_id(st, 12), "reviewed_by", db_col_json_id(st, 13), "approved_by",
                     db_col_json_id(st, 14), "created_at", db_col_text(st, 15), "updated_at", db_col_text(st, 16),
                     "reversed_by", db_col_json_id(st, 17));
    if (ctx)
        json_object_set_new(o, "explanation", json_loads(db_col_text(st, 18), 0, NULL));
    return o;
}

static json_t *event_json(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:o, s:s, s:I, s:s, s:o}", "from", db_col_json_text(st, 0), "to", db_col_text(st, 1), "by",
                     (json_int_t)db_col_int64(st, 2), "at", db_col_text(st, 3), "comment", db_col_json_text(st, 4));
}

int funds_store_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e)
{
    json_t *rows, *events;
    *out = NULL;
    if (db_rows_json(db_query(db, e,
                              "SELECT " ROW_COLUMNS ", f.explanation FROM funds_entitlement f "
                              "WHERE f.district_code = ? AND f.id = ?",
                              "ti", district, id),
                     e, row_json, (void *)"explanation", &rows) < 0)
        return -1;
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!row)
        return err_set(e, 404, "not_found", "id", "资金记录不存在");
    if (db_rows_json(db_query(db, e,
                              "SELECT from_state, to_state, by_user, at, comment FROM funds_event "
                              "WHERE entitlement_id = ? ORDER BY id",
                              "i", id),
                     e, event_json, NULL, &events) < 0) {
        json_decref(row);
        return -1;
    }
    json_object_set_new(row, "history", events);
    *out = row;
    return 0;
}

#define LIST_WHERE                                                                                                 \
    " WHERE f.district_code = ? AND (CAST(? AS TEXT) IS NULL OR f.kind = ?) "                                      \
    "AND (CAST(? AS TEXT) IS NULL OR f.state = ?) AND (CAST(? AS TEXT) IS NULL OR f.town_code = ?) "               \
    "AND (? = 0 OR f.institution_id = ?) AND (? = 0 OR f.batch_id = ?) AND %s"

static int bind_filter(struct db_stmt *st, const char *district, const struct funds_filter *f)
{
    int k = 1;
    db_bind_text(st, k++, district);
    const char *texts[] = {f->kind, f->state, f->town};
    for (int i = 0; i < 3; i++) {
        db_bind_text(st, k++, texts[i]);
        db_bind_text(st, k++, texts[i]);
    }
    const int64_t ids[] = {f->institution_id, f->batch_id};
    for (int i = 0; i < 2; i++) {
        db_bind_int64(st, k++, ids[i]);
        db_bind_int64(st, k++, ids[i]);
    }
    return k;
}

int funds_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                     const struct funds_filter *f, json_t **rows, json_t **totals, struct err *e)
{
    char sql[2000];
    struct db_stmt *st;
    *rows = *totals = NULL;
    snprintf(sql, sizeof sql, "SELECT COUNT(*), COALESCE(SUM(f.amount_fen), 0) FROM funds_entitlement f" LIST_WHERE,
             scope_sql);
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    db_params_bind(scope_params, st, bind_filter(st, district, f));
    if (db_first_row(st, e) <= 0)
        return -1;
    *totals = json_pack("{s:I, s:I}", "count", (json_int_t)db_col_int64(st, 0), "amount_fen",
                        (json_int_t)db_col_int64(st, 1));
    db_finalize(st);
    snprintf(sql, sizeof sql, "SELECT " ROW_COLUMNS " FROM funds_entitlement f" LIST_WHERE " AND f.id > ? ORDER BY f.id LIMIT ?",
             scope_sql);
    if (db_prepare(db, sql, &st, e) < 0)
        goto fail;
    int k = db_params_bind(scope_params, st, bind_filter(st, district, f));
    db_bind_int64(st, k++, f->after_id);
    db_bind_int64(st, k, f->limit);
    if (db_rows_json(st, e, row_json, NULL, rows) < 0)
        goto fail;
    return 0;
fail:
    json_decref(*totals);
    *totals = NULL;
    return -1;
}

/* the batch a row is in, 0 none */
static int64_t batch_of(struct db *db, int64_t id)
{
    struct err ignored = {0};
    int found;
    int64_t b = db_query_int(db, &ignored, &found, "SELECT batch_id FROM funds_entitlement WHERE id = ?", "i", id);
    return found && b > 0 ? b : 0;
}

int funds_store_batch_create(struct db *db, const char *district, const char *name, const int64_t *ids, int n,
                             int64_t by, const char *now, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO funds_batch (district_code, name, state, created_by, created_at) "
                       "VALUES (?,?,'open',?,?) RETURNING id",
                       "ttit", district, name, by, now);
    if (*id < 0)
        return -1;
    /* a batch holds up to 100,000 rows: they move BATCH_CHUNK at a time, one statement each (a round
     * trip per row was most of the time on PostgreSQL); a chunk that does not move whole is
     * walked row by row to say which row is not approved, and why */
    enum { BATCH_CHUNK = 500 };
    char sql[160 + BATCH_CHUNK * 2];
    for (int from = 0; from < n; from += BATCH_CHUNK) {
        int k = n - from < BATCH_CHUNK ? n - from : BATCH_CHUNK;
        int len = snprintf(sql, sizeof sql,
                           "UPDATE funds_entitlement SET state = 'batched', batch_id = ?, updated_at = ? "
                           "WHERE district_code = ? AND state = 'approved' AND id IN (?");
        for (int i = 1; i < k; i++)
            sql[len++] = ',', sql[len++] = '?';
        sql[len++] = ')';
        sql[len] = 0;
        struct db_stmt *st;
        if (db_prepare(db, sql, &st, e) < 0)
            return -1;
        db_bind_int64(st, 1, *id);
        db_bind_text(st, 2, now);
        db_bind_text(st, 3, district);
        for (int i = 0; i < k; i++)
            db_bind_int64(st, 4 + i, ids[from + i]);
        int rc = db_step(st, e);
        int64_t changed = db_changes(st);
        db_finalize(st);
        if (rc < 0)
            return -1;
        if (changed == k)
            continue;
        for (int i = from; i < from + k; i++) {
            struct funds_stored row;
            if (funds_store_load(db, district, ids[i], &row, e) == 0) {
                if (strcmp(row.row.state, "batched") == 0 && row.id && batch_of(db, ids[i]) == *id)
                    continue;
                if (funds_batchable(row.row.state, e) == 0)
                    err_set(e, 409, "state_changed", "", "资金记录的状态已被他人改变（例如已列入另一批次）");
            }
            snprintf(e->field, sizeof e->field, "entitlement_ids[%d]", i);
            return -1;
        }
        return err_set(e, 409, "state_changed", "entitlement_ids", "资金记录的状态已被他人改变（例如已列入另一批次）");
    }
    /* each row's history: approved → batched, in one statement */
    return db_write(db, e,
                    "INSERT INTO funds_event (district_code, entitlement_id, from_state, to_state, by_user, at, comment) "
                    "SELECT district_code, id, 'approved', 'batched', ?, ?, ? FROM funds_entitlement WHERE batch_id = ? "
                    "ORDER BY id",
                    "itti", by, now, name, *id);
}

int funds_store_batch_pay(struct db *db, const char *district, int64_t id, int64_t by, const char *now, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE funds_batch SET state = 'paid', paid_by = ?, paid_at = ? "
                       "WHERE district_code = ? AND id = ? AND state = 'open'",
                       "itti", by, now, district, id);
    if (n < 0)
        return -1;
    if (n == 0) {
        int found;
        if (db_query_int(db, e, &found, "SELECT id FROM funds_batch WHERE district_code = ? AND id = ?", "ti", district,
                         id) < 0)
            return -1;
        return found ? err_set(e, 409, "batch_paid", "id", "该批次已拨付") : err_set(e, 404, "not_found", "id", "支付批次不存在");
    }
    if (db_run(db, e,
               "INSERT INTO funds_event (district_code, entitlement_id, from_state, to_state, by_user, at, comment) "
               "SELECT district_code, id, 'batched', 'paid', ?, ?, NULL FROM funds_entitlement WHERE batch_id = ?",
               "iti", by, now, id) < 0)
        return -1;
    return db_write(db, e,
                    "UPDATE funds_entitlement SET state = 'paid', updated_at = ? WHERE batch_id = ? AND state = 'batched'",
                    "ti", now, id);
}

static json_t *batch_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:o, s:I, s:I}", "id", (json_int_t)db_col_int64(st, 0), "name",
                     db_col_text(st, 1), "state", db_col_text(st, 2), "created_by", (json_int_t)db_col_int64(st, 3),
                     "created_at", db_col_text(st, 4), "paid_by", db_col_json_id(st, 5), "paid_at",
                     db_col_json_text(st, 6), "count", (json_int_t)db_col_int64(st, 7), "amount_fen",
                     (json_int_t)db_col_int64(st, 8));
}

int funds_store_batch_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e)
{
    json_t *found, *rows;
    *out = NULL;
    if (db_rows_json(db_query(db, e,
                              "SELECT b.id, b.name, b.state, b.created_by, b.created_at, b.paid_by, b.paid_at, "
                              "(SELECT COUNT(*) FROM funds_entitlement f WHERE f.batch_id = b.id), "
                              "(SELECT COALESCE(SUM(f.amount_fen), 0) FROM funds_entitlement f WHERE f.batch_id = b.id) "
                              "FROM funds_batch b WHERE b.district_code = ? AND b.id = ?",
                              "ti", district, id),
                     e, batch_row, NULL, &found) < 0)
        return -1;
    json_t *batch = json_incref(json_array_get(found, 0));
    json_decref(found);
    if (!batch)
        return err_set(e, 404, "not_found", "id", "支付批次不存在");
    if (db_rows_json(db_query(db, e,
                              "SELECT " ROW_COLUMNS " FROM funds_entitlement f WHERE f.batch_id = ? ORDER BY f.id LIMIT ?",
                              "ii", id, (int64_t)FUNDS_BATCH_ITEMS_SHOWN),
                     e, row_json, NULL, &rows) < 0) {
        json_decref(batch);
        return -1;
    }
    json_object_set_new(batch, "items", rows);
    *out = batch;
    return 0;
}

int funds_store_batch_exists(struct db *db, const char *district, int64_t id, struct err *e)
{
    int found;
    if (db_query_int(db, e, &found, "SELECT id FROM funds_batch WHERE district_code = ? AND id = ?", "ti", district,
                     id) < 0)
        return -1;
    return found ? 0 : err_set(e, 404, "not_found", "id", "支付批次不存在");
}

int funds_store_batch_each(struct db *db, const char *district, int64_t id,
                           int (*row)(void *ctx, const struct funds_export_row *r, struct err *e), void *ctx,
                           struct err *e)
{
    if (funds_store_batch_exists(db, district, id, e) < 0)
        return -1;
    /* a child's row carries its application's bank and masked account (migration 045) */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT f.id, f.kind, f.beneficiary, t.name, a.bank_name, a.account_masked, "
                                  "f.amount_fen, f.period, f.basis FROM funds_entitlement f "
                                  "LEFT JOIN town t ON t.code = f.town_code "
                                  "LEFT JOIN childcare_application a ON a.id = f.childcare_application_id "
                                  "WHERE f.district_code = ? AND f.batch_id = ? ORDER BY f.id",
                                  "ti", district, id);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct funds_export_row r = {db_col_int64(st, 0), db_col_int64(st, 6), db_col_text(st, 1), db_col_text(st, 2),
                                     db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 7),
                                     db_col_text(st, 8)};
        if (row(ctx, &r, e) < 0) {
            rc = -1;
            break;
        }
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

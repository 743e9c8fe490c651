/* store.c — SQL of quarterly progress reports (store.h). */
#include "progress/store.h"

#include <stdio.h>
#include <string.h>

int progress_store_create(struct db *db, const char *district, const char *town, const char *period, int version,
                          const char *reopen_reason, int64_t user_id, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO progress_report (district_code, town_code, period, version, state, reopen_reason, "
                       "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id",
                       "tttititt", district, town, period, (int64_t)version, reopen_reason, user_id, now_ts, now_ts);
    if (*id < 0)
        return db_conflict_as(e, "report_exists", "period", "该镇街本季度已有进度报告，请打开后填写");
    return 0;
}

#define REPORT_COLUMNS                                                                                               \
    "r.id, r.town_code, t.name, r.period, r.version, r.state, r.progress, r.problems, r.next_steps, r.indicators, " \
    "r.review_note, r.reopen_reason, r.created_at, r.submitted_at, r.reviewed_at, r.updated_at, "                  \
    "(SELECT name FROM app_user u WHERE u.id = r.submitted_by), (SELECT name FROM app_user u WHERE u.id = r.reviewed_by)"

static json_t *indicators_of(struct db_stmt *st, int i)
{
    const char *text = db_col_text(st, i);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_null();
}

int progress_store_load(struct db *db, const char *district, int64_t id, struct progress_head *h, json_t **row,
                        struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " REPORT_COLUMNS " FROM progress_report r JOIN town t ON t.code = r.town_code "
                                  "WHERE r.id = ? AND r.district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该进度报告");
    memset(h, 0, sizeof *h);
    db_scan(st, DB_I64(&h->id), DB_TEXT(h->town_code));
    db_scan_from(st, 3, DB_TEXT(h->period), DB_INT(&h->version), DB_TEXT(h->state));
    if (row)
        *row = json_pack("{s:I, s:o, s:o, s:o, s:i, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
                         "s:o}",
                         "id", (json_int_t)h->id, "town_code", db_col_json_text(st, 1), "town_name",
                         db_col_json_text(st, 2), "period", db_col_json_text(st, 3), "version", h->version, "state",
                         db_col_json_text(st, 5), "state_name", progress_state_name(h->state), "progress",
                         db_col_json_text(st, 6), "problems", db_col_json_text(st, 7), "next_steps",
                         db_col_json_text(st, 8), "indicators", indicators_of(st, 9), "review_note",
                         db_col_json_text(st, 10), "reopen_reason", db_col_json_text(st, 11), "created_at",
                         db_col_json_text(st, 12), "submitted_at", db_col_json_text(st, 13), "reviewed_at",
                         db_col_json_text(st, 14), "updated_at", db_col_json_text(st, 15), "submitted_by",
                         db_col_json_text(st, 16), "reviewed_by", db_col_json_text(st, 17));
    db_finalize(st);
    return 0;
}

static int moved(struct err *e)
{
    return err_set(e, 409, "report_moved", "", "报告状态已被他人更改，请刷新后重试");
}

int progress_store_write_text(struct db *db, int64_t id, const char *progress, const char *problems,
                              const char *next_steps, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE progress_report SET progress = ?, problems = ?, next_steps = ?, updated_at = ? "
                       "WHERE id = ? AND state IN ('draft', 'returned')",
                       "tttti", progress, problems, next_steps, now_ts, id);
    return n < 0 ? -1 : n == 0 ? moved(e) : 0;
}

int progress_store_move(struct db *db, int64_t id, const char *from, const char *to, const char *indicators,
                        const char *note, int64_t user_id, const char *now_ts, struct err *e)
{
    int64_t n;
    if (strcmp(to, "submitted") == 0)
        n = db_run(db, e,
                   "UPDATE progress_report SET state = ?, indicators = ?, submitted_by = ?, submitted_at = ?, "
                   "updated_at = ? WHERE id = ? AND state = ?",
                   "ttittit", to, indicators, user_id, now_ts, now_ts, id, from);
    else if (strcmp(to, "superseded") == 0)
        n = db_run(db, e, "UPDATE progress_report SET state = ?, updated_at = ? WHERE id = ? AND state = ?", "ttit", to,
                   now_ts, id, from);
    else
        n = db_run(db, e,
                   "UPDATE progress_report SET state = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?, "
                   "updated_at = ? WHERE id = ? AND state = ?",
                   "ttittit", to, note, user_id, now_ts, now_ts, id, from);
    return n < 0 ? -1 : n == 0 ? moved(e) : 0;
}

static json_t *period_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    json_t *report = json_null();
    if (!db_col_is_null(st, 2)) {
        const char *state = db_col_text(st, 4);
        report = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 2), "version",
                           (json_int_t)db_col_int64(st, 3), "state", state, "state_name", progress_state_name(state),
                           "submitted_at", db_col_json_text(st, 5), "reviewed_at", db_col_json_text(st, 6));
    }
    return json_pack("{s:o, s:o, s:o}", "town_code", db_col_json_text(st, 0), "town_name", db_col_json_text(st, 1),
                     "report", report);
}

int progress_store_period(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                          const char *period, json_t **towns, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT t.code, t.name, r.id, r.version, r.state, r.submitted_at, r.reviewed_at FROM town t "
        "LEFT JOIN progress_report r ON r.district_code = t.district_code AND r.town_code = t.code AND r.period = ? "
        "AND r.state <> 'superseded' WHERE t.district_code = ? AND %s ORDER BY t.code",
        scope_sql, scope, -1, "tt", period, district);
    return db_rows_json(st, e, period_row, NULL, towns);
}

static json_t *version_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *state = db_col_text(st, 2);
    return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "version",
                     (json_int_t)db_col_int64(st, 1), "state", state, "state_name", progress_state_name(state),
                     "reopen_reason", db_col_json_text(st, 3), "review_note", db_col_json_text(st, 4), "submitted_at",
                     db_col_json_text(st, 5), "reviewed_at", db_col_json_text(st, 6));
}

int progress_store_versions(struct db *db, const char *district, const char *town, const char *period, json_t **out,
                            struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, version, state, reopen_reason, review_note, submitted_at, reviewed_at "
                                  "FROM progress_report WHERE district_code = ? AND town_code = ? AND period = ? "
                                  "ORDER BY version DESC",
                                  "ttt", district, town, period);
    return db_rows_json(st, e, version_row, NULL, out);
}

/* Inspections recorded, rectification items raised and closed in [?, ?] (three times: first, last,
 * first, until, first, until), of the institutions of_town selects (x the counted row, i its
 * institution); timestamps are "YYYY-MM-DDT…", their day compared as text (until: last + "~"). */
#define QUARTER_COUNTS_SQL(of_town)                                                                                    \
    "(SELECT COUNT(*) FROM inspection x JOIN institution i ON i.id = x.institution_id WHERE " of_town                  \
    " AND x.inspected_on >= ? AND x.inspected_on <= ?), (SELECT COUNT(*) FROM rectification_item x JOIN "              \
    "institution i ON i.id = x.institution_id WHERE " of_town " AND x.created_at >= ? AND x.created_at < ?), "         \
    "(SELECT COUNT(*) FROM rectification_item x JOIN institution i ON i.id = x.institution_id WHERE " of_town          \
    " AND x.closed_at >= ? AND x.closed_at < ?)"

int progress_store_quarter_counts(struct db *db, const char *district, const char *town, const char *first,
                                  const char *last, struct progress_quarter_counts *out, struct err *e)
{
    char until[DATE_DAY_LEN + 2];
    snprintf(until, sizeof until, "%s~", last);
    int64_t c[3];
    if (db_query_counts(
            db, e, c, 3,
            "SELECT " QUARTER_COUNTS_SQL("x.district_code = ? AND (CAST(? AS TEXT) IS NULL OR i.town_code = ?)"),
            "ttttttttttttttt", district, town, town, first, last, district, town, town, first, until, district, town,
            town, first, until) < 0)
        return -1;
    *out = (struct progress_quarter_counts){c[0], c[1], c[2]};
    return 0;
}

static void town_counts_row(struct db_stmt *st, void *item)
{
    struct progress_town_counts *t = item;
    db_col_copy(st, 0, t->town_code, sizeof t->town_code);
    t->counts = (struct progress_quarter_counts){db_col_int64(st, 1), db_col_int64(st, 2), db_col_int64(st, 3)};
}

int progress_store_quarter_counts_by_town(struct db *db, const char *district, const char *first, const char *last,
                                          struct progress_town_counts **out, size_t *n, struct err *e)
{
    char until[DATE_DAY_LEN + 2];
    snprintf(until, sizeof until, "%s~", last);
    void *rows;
    int rc = db_rows(
        db_query(
            db, e,
            "SELECT t.code, " QUARTER_COUNTS_SQL(
                "x.district_code = t.district_code AND i.town_code = t.code") " FROM town t WHERE t.district_code = ? ORDER BY t.code",
            "ttttttt", first, last, first, until, first, until, district),
        e, sizeof **out, town_counts_row, &rows, n);
    *out = rows;
    return rc;
}

int progress_store_copy_text(struct db *db, int64_t from_id, int64_t to_id, struct err *e)
{
    return db_write(db, e,
                    "UPDATE progress_report SET progress = (SELECT progress FROM progress_report WHERE id = ?), "
                    "problems = (SELECT problems FROM progress_report WHERE id = ?), "
                    "next_steps = (SELECT next_steps FROM progress_report WHERE id = ?) WHERE id = ?",
                    "iiii", from_id, from_id, from_id, to_id);
}

static json_t *compiled_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *state = db_col_text(st, 2);
    return json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "town_code", db_col_json_text(st, 0), "town_name",
                     db_col_json_text(st, 1), "state", db_col_json_text(st, 2), "state_name",
                     state ? progress_state_name(state) : "未报送", "progress", db_col_json_text(st, 3), "problems",
                     db_col_json_text(st, 4), "next_steps", db_col_json_text(st, 5), "indicators",
                     indicators_of(st, 6));
}

int progress_store_compiled(struct db *db, const char *district, const char *period, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(
        db, e,
        "SELECT t.code, t.name, r.state, r.progress, r.problems, r.next_steps, r.indicators FROM town t "
        "LEFT JOIN progress_report r ON r.district_code = t.district_code AND r.town_code = t.code AND r.period = ? "
        "AND r.state <> 'superseded' WHERE t.district_code = ? ORDER BY t.code",
        "tt", period, district);
    return db_rows_json(st, e, compiled_row, NULL, out);
}

int progress_store_tally(struct db *db, const char *district, const char *town, const char *period,
                         struct progress_tally *out, struct err *e)
{
    int64_t c[3];
    if (db_query_counts(db, e, c, 3,
                        "SELECT COUNT(*), SUM(CASE WHEN r.state IN ('submitted', 'approved') THEN 1 ELSE 0 END), "
                        "SUM(CASE WHEN r.state = 'approved' THEN 1 ELSE 0 END) FROM town t LEFT JOIN progress_report r "
                        "ON r.district_code = t.district_code AND r.town_code = t.code AND r.period = ? AND r.state <> "
                        "'superseded' WHERE t.district_code = ? AND (CAST(? AS TEXT) IS NULL OR t.code = ?)",
                        "tttt", period, district, town, town) < 0)
        return -1;
    *out = (struct progress_tally){c[0], c[1], c[2]};
    return 0;
}

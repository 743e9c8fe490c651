/* store.c — every SQL text of the cases engine (store.h): cases, their tasks and history, the
 * inbox, departments and their reviewers, and the filing register the public list reads. */
#include "cases/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"

static json_t *text_or_null(const char *s) { return s && s[0] ? json_string(s) : json_null(); }

/* ---- cases ---- */

int cases_store_insert(struct db *db, const char *district, struct cases_case *c, const char *now_ts, struct err *e)
{
    char *data = json_dumps(c->data, JSON_COMPACT);
    int found;
    c->id = db_query_int(db, e, &found,
                         "INSERT INTO case_file (district_code, process, institution_id, town_code, state, data, "
                         "created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                         "ttitttitt", district, c->process, c->institution_id, c->town_code, c->state, data,
                         c->created_by, now_ts, now_ts);
    free(data);
    if (c->id < 0)
        return -1;
    if (!found)
        return err_set(e, 500, "db_insert", "", "案件未能保存");
    c->version = 1;
    parse_copy_text(c->created_at, sizeof c->created_at, now_ts);
    parse_copy_text(c->updated_at, sizeof c->updated_at, now_ts);
    return 0;
}

#define CASE_COLUMNS                                                                                              \
    "SELECT id, process, institution_id, town_code, state, data, version, submitted_on, created_by, created_at, " \
    "updated_at, closed_at FROM case_file WHERE district_code = ? AND id = ?"

static int read_case(struct db_stmt *st, int64_t id, struct cases_case *out, struct err *e)
{
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 404, "not_found", "id", "未找到案件 %" PRId64, id);
    memset(out, 0, sizeof *out);
    db_scan(st, DB_I64(&out->id), DB_TEXT(out->process), DB_I64(&out->institution_id), DB_TEXT(out->town_code),
            DB_TEXT(out->state));
    out->data = json_loads(db_col_text(st, 5), 0, NULL);
    db_scan_from(st, 6, DB_I64(&out->version), DB_TEXT(out->submitted_on), DB_I64(&out->created_by),
                 DB_TEXT(out->created_at), DB_TEXT(out->updated_at), DB_TEXT(out->closed_at));
    db_finalize(st);
    if (!out->data)
        out->data = json_object();
    return 0;
}

int cases_store_load(struct db *db, const char *district, int64_t id, struct cases_case *out, struct err *e)
{
    return read_case(db_query(db, e, CASE_COLUMNS, "ti", district, id), id, out, e);
}

int cases_store_take(struct db *db, const char *district, int64_t id, struct cases_case *out, struct err *e)
{
    /* an UPDATE that changes nothing takes the row lock on PostgreSQL (SQLite's writer lock is the
     * transaction's already) */
    if (db_run(db, e, "UPDATE case_file SET version = version WHERE district_code = ? AND id = ?", "ti", district, id) < 0)
        return -1;
    return cases_store_load(db, district, id, out, e);
}

int cases_store_save_data(struct db *db, const char *district, int64_t id, const json_t *data, const char *now_ts,
                          struct err *e)
{
    char *text = json_dumps(data, JSON_COMPACT);
    int64_t n = db_run(db, e, "UPDATE case_file SET data = ?, updated_at = ? WHERE district_code = ? AND id = ?", "ttti",
                       text, now_ts, district, id);
    free(text);
    return n < 0 ? -1 : 0;
}

int cases_store_open_count(struct db *db, const char *district, int64_t institution_id, const char *process, int *n,
                           struct err *e)
{
    int64_t c = db_query_int(db, e, NULL,
                             "SELECT COUNT(*) FROM case_file WHERE district_code = ? AND institution_id = ? AND process = ? "
                             "AND closed_at IS NULL",
                             "tit", district, institution_id, process);
    *n = (int)c;
    return c < 0 ? -1 : 0;
}

int cases_store_open_tasks(struct db *db, const char *district, int64_t case_id, struct cases_task *out, int max, int *n,
                           struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, step, action, department, due_on FROM case_task WHERE district_code = ? "
                                  "AND case_id = ? AND state = 'open' ORDER BY id",
                                  "ti", district, case_id);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct cases_task *t = &out[(*n)++];
        memset(t, 0, sizeof *t);
        db_scan(st, DB_I64(&t->id), DB_TEXT(t->step), DB_TEXT(t->action), DB_TEXT(t->department), DB_TEXT(t->due_on));
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int cases_store_apply(struct db *db, const char *district, const struct cases_case *c, const struct cases_result *r,
                      const struct cases_by *by, const char *comment, const json_t *items, const char *today,
                      const char *now_ts, int64_t opened_ids[CASES_MAX_STEPS], struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE case_file SET state = ?, version = version + 1, submitted_on = ?, updated_at = ?, "
                       "closed_at = ? WHERE district_code = ? AND id = ? AND version = ?",
                       "ttttti" "i", r->to, r->submitted_on[0] ? r->submitted_on : NULL, now_ts,
                       r->final ? now_ts : NULL, district, c->id, c->version);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(e, 409, "case_changed", "", "案件已被他人处理，请刷新后重试");
    if (r->done_task) {
        n = db_run(db, e,
                   "UPDATE case_task SET state = 'done', outcome = ?, comment = ?, done_by = ?, done_at = ? "
                   "WHERE district_code = ? AND id = ? AND state = 'open'",
                   "ttitti", r->t->event, comment ? comment : "", by->user_id, now_ts, district, r->done_task);
        if (n < 0)
            return -1;
        if (n == 0)
            return err_set(e, 409, "task_closed", "task_id", "该待办已被他人办理");
    }
    for (int i = 0; i < r->ncancelled; i++)
        if (db_run(db, e,
                   "UPDATE case_task SET state = 'cancelled', outcome = ?, done_at = ? WHERE district_code = ? "
                   "AND id = ? AND state = 'open'",
                   "ttti", r->t->event, now_ts, district, r->cancelled[i]) < 0)
            return -1;
    for (int i = 0; i < r->nopened; i++) {
        const struct cases_step *s = r->opened[i].step;
        int found;
        opened_ids[i] = db_query_int(db, e, &found,
                                     "INSERT INTO case_task (district_code, case_id, institution_id, town_code, step, "
                                     "action, department, opened_on, due_on) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                                     "tiitttt" "tt", district, c->id, c->institution_id, c->town_code, s->code,
                                     s->action, s->department ? s->department : "", today,
                                     r->opened[i].due_on[0] ? r->opened[i].due_on : CASES_NO_DUE);
        if (opened_ids[i] < 0)
            return -1;
        if (!found)
            return err_set(e, 500, "db_insert", "", "待办未能保存");
    }
    char *items_text = items ? json_dumps(items, JSON_COMPACT) : NULL;
    n = db_run(db, e,
               "INSERT INTO case_event (district_code, case_id, at, user_id, user_name, event, from_state, to_state, "
               "task_id, comment, items) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               "tititttt" "itt", district, c->id, now_ts, by->user_id, by->user_name, r->t->event, c->state, r->to,
               r->done_task, comment ? comment : "", items_text);
    free(items_text);
    return n < 0 ? -1 : 0;
}

static json_t *task_row(struct db_stmt *st, void *ctx)
{
    const char *due = db_col_text(st, 6);
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "step", db_col_text(st, 1), "action",
                     db_col_text(st, 2), "department", text_or_null(db_col_text(st, 3)), "state",
                     db_col_text(st, 4), "opened_on", db_col_text(st, 5), "due_on",
                     strcmp(due, CASES_NO_DUE) ? json_string(due) : json_null(), "outcome",
                     text_or_null(db_col_text(st, 7)), "comment", text_or_null(db_col_text(st, 8)),
                     "done_at", text_or_null(db_col_text(st, 9)), "done_by_name",
                     text_or_null(db_col_text(st, 10)));
}

int cases_store_tasks_json(struct db *db, const char *district, int64_t case_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT t.id, t.step, t.action, t.department, t.state, t.opened_on, t.due_on, t.outcome, "
                                  "t.comment, t.done_at, u.name FROM case_task t LEFT JOIN app_user u ON u.id = t.done_by "
                                  "WHERE t.district_code = ? AND t.case_id = ? ORDER BY t.id",
                                  "ti", district, case_id);
    return db_rows_json(st, e, task_row, NULL, out);
}

static json_t *history_row(struct db_stmt *st, void *ctx)
{
    json_t *items = db_col_is_null(st, 8) ? json_null() : json_loads(db_col_text(st, 8), 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "at", db_col_text(st, 1), "by",
                     db_col_text(st, 2), "event", db_col_text(st, 3), "from_state",
                     db_col_text(st, 4), "to_state", db_col_text(st, 5), "task_id",
                     db_col_int64(st, 6) ? json_integer(db_col_int64(st, 6)) : json_null(),
                     "comment", db_col_text(st, 7), "items", items ? items : json_null());
}

int cases_store_history_json(struct db *db, const char *district, int64_t case_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, at, user_name, event, from_state, to_state, task_id, comment, items FROM "
                                  "case_event WHERE district_code = ? AND case_id = ? ORDER BY id",
                                  "ti", district, case_id);
    return db_rows_json(st, e, history_row, NULL, out);
}

static json_t *case_row(struct db_stmt *st, void *ctx)
{
    const char *due = db_col_text(st, 9);
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:o, s:s, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "process", db_col_text(st, 1), "state",
                     db_col_text(st, 2), "institution_id", (json_int_t)db_col_int64(st, 3),
                     "institution_name", db_col_text(st, 4), "town_code", db_col_text(st, 5),
                     "submitted_on", text_or_null(db_col_text(st, 6)), "updated_at",
                     db_col_text(st, 7), "closed_at", text_or_null(db_col_text(st, 8)),
                     "due_on", strcmp(due, CASES_NO_DUE) ? json_string(due) : json_null());
}

int cases_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                     const struct cases_filter *f, json_t **rows, struct err *e)
{
    /* the sort key: the earliest deadline of the case's open tasks (none: CASES_NO_DUE, last), so
     * the overdue come first, then the rest by due date */
    char sql[1800];
    snprintf(sql, sizeof sql,
             "SELECT x.* FROM (SELECT c.id, c.process, c.state, c.institution_id, i.name, c.town_code, "
             "c.submitted_on, c.updated_at, c.closed_at, COALESCE((SELECT MIN(t.due_on) FROM case_task t "
             "WHERE t.case_id = c.id AND t.state = 'open'), '" CASES_NO_DUE "') AS due FROM case_file c "
             "JOIN institution i ON i.id = c.institution_id WHERE c.district_code = ? "
             "AND (CAST(? AS TEXT) IS NULL OR c.state = ?) AND (CAST(? AS TEXT) IS NULL OR c.process = ?) "
             "AND (CAST(? AS TEXT) IS NULL OR c.town_code = ?) AND %s) x "
             "WHERE x.due > ? OR (x.due = ? AND x.id > ?) ORDER BY x.due, x.id LIMIT ?",
             scope_sql);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    int k = 1;
    db_bind_text(st, k++, district);
    db_bind_text(st, k++, f->state);
    db_bind_text(st, k++, f->state);
    db_bind_text(st, k++, f->process);
    db_bind_text(st, k++, f->process);
    db_bind_text(st, k++, f->town);
    db_bind_text(st, k++, f->town);
    k = db_params_bind(scope_params, st, k);
    db_bind_text(st, k++, f->after_due);
    db_bind_text(st, k++, f->after_due);
    db_bind_int64(st, k++, f->after_id);
    db_bind_int64(st, k, f->limit);
    return db_rows_json(st, e, case_row, NULL, rows);
}

/* "t.action IN (?,?,…)" for n actions (n ≥ 1) into buf. */
static void in_list(char *buf, size_t cap, int n)
{
    size_t len = (size_t)snprintf(buf, cap, "t.action IN (");
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s?", i ? "," : "");
    snprintf(buf + len, len < cap ? cap - len : 0, ")");
}

/* A row of the inbox's page (the columns of cases_store_inbox's second query). */
static json_t *inbox_task_row(struct db_stmt *st, void *ctx)
{
    const char *due = db_col_text(st, 6);
    return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:I, s:s, s:s, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "case_id", (json_int_t)db_col_int64(st, 1), "step",
                     db_col_text(st, 2), "action", db_col_text(st, 3), "department", text_or_null(db_col_text(st, 4)),
                     "opened_on", db_col_text(st, 5), "due_on", strcmp(due, CASES_NO_DUE) ? json_string(due) : json_null(),
                     "process", db_col_text(st, 7), "case_state", db_col_text(st, 8), "institution_id",
                     (json_int_t)db_col_int64(st, 9), "institution_name", db_col_text(st, 10), "town_code",
                     db_col_text(st, 11), "submitted_on", text_or_null(db_col_text(st, 12)));
}

int cases_store_inbox(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                      const struct cases_inbox_query *q, json_t **rows, int64_t *total, int64_t *overdue,
                      struct err *e)
{
    *rows = json_array();
    *total = *overdue = 0;
    if (q->nactions == 0)
        return 0;
    char actions[160], where[1200], sql[2000];
    in_list(actions, sizeof actions, q->nactions);
    snprintf(where, sizeof where, "WHERE t.district_code = ? AND t.state = 'open' AND t.department = ? AND %s AND %s",
             actions, scope_sql);
    /* the counts, from the task table (its inbox index) alone */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*), COALESCE(SUM(CASE WHEN t.due_on < ? THEN 1 ELSE 0 END), 0) FROM case_task t %s", where);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    int k = 1;
    db_bind_text(st, k++, q->today);
    db_bind_text(st, k++, district);
    db_bind_text(st, k++, q->department);
    for (int i = 0; i < q->nactions; i++)
        db_bind_text(st, k++, q->actions[i]);
    db_params_bind(scope_params, st, k);
    int rc = db_step(st, e);
    if (rc == DB_ROW) {
        db_scan(st, DB_I64(total), DB_I64(overdue));
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    /* the page, in due order */
    snprintf(sql, sizeof sql,
             "SELECT t.id, t.case_id, t.step, t.action, t.department, t.opened_on, t.due_on, c.process, c.state, "
             "c.institution_id, i.name, c.town_code, c.submitted_on FROM case_task t "
             "JOIN case_file c ON c.id = t.case_id JOIN institution i ON i.id = c.institution_id "
             "%s AND (t.due_on > ? OR (t.due_on = ? AND t.id > ?)) ORDER BY t.due_on, t.id LIMIT ?",
             where);
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    k = 1;
    db_bind_text(st, k++, district);
    db_bind_text(st, k++, q->department);
    for (int i = 0; i < q->nactions; i++)
        db_bind_text(st, k++, q->actions[i]);
    k = db_params_bind(scope_params, st, k);
    db_bind_text(st, k++, q->after_due);
    db_bind_text(st, k++, q->after_due);
    db_bind_int64(st, k++, q->after_id);
    db_bind_int64(st, k, q->limit);
    json_decref(*rows);
    return db_rows_json(st, e, inbox_task_row, NULL, rows);
}

/* ---- departments ---- */

int cases_store_department_of(struct db *db, const char *district, int64_t user_id, char out[24], struct err *e)
{
    out[0] = '\0';
    struct db_stmt *st = db_query(db, e, "SELECT department FROM staff_department WHERE district_code = ? AND user_id = ?",
                                  "ti", district, user_id);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        db_col_copy(st, 0, out, 24);
        db_finalize(st);
    }
    return rc;
}

int cases_store_set_department(struct db *db, const char *district, int64_t user_id, const char *department,
                               struct err *e)
{
    int found;
    if (db_query_int(db, e, &found, "SELECT 1 FROM department WHERE district_code = ? AND code = ?", "tt", district,
                     department) < 0)
        return -1;
    if (!found)
        return err_set(e, 422, "unknown_department", "department", "部门代码不存在：%s", department);
    return db_write(db, e,
                    "INSERT INTO staff_department (district_code, user_id, department) VALUES (?,?,?) "
                    "ON CONFLICT (district_code, user_id) DO UPDATE SET department = excluded.department",
                    "tit", district, user_id, department);
}

static json_t *department_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1));
}

int cases_store_departments(struct db *db, const char *district, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT code, name FROM department WHERE district_code = ? ORDER BY code", "t",
                                  district);
    return db_rows_json(st, e, department_row, NULL, rows);
}

static void read_recipient(struct db_stmt *st, void *item)
{
    struct cases_recipient *r = item;
    db_scan(st, DB_I64(&r->user_id), DB_TEXT(r->role));
}

int cases_store_recipients(struct db *db, const char *district, const char *department, int64_t institution_id,
                           struct cases_recipient **out, int *n, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT u.id, u.role FROM app_user u LEFT JOIN staff_department d ON d.user_id = u.id "
                                  "AND d.district_code = u.district_code WHERE u.district_code = ? AND u.disabled = 0 "
                                  "AND COALESCE(d.department, '') = ? AND (? = 0 OR u.institution_id = ?) ORDER BY u.id",
                                  "ttii", district, department, institution_id, institution_id);
    size_t count;
    void *rows;
    int rc = db_rows(st, e, sizeof **out, read_recipient, &rows, &count);
    *out = rows;
    *n = (int)count;
    return rc;
}

int cases_store_families_of(struct db *db, const char *district, int64_t institution_id, int64_t **out, int *n,
                            struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT family_user_id FROM booking WHERE district_code = ? AND institution_id = ? "
                                  "AND status = 'booked' UNION SELECT a.family_user_id FROM application a "
                                  "JOIN application_choice x ON x.application_id = a.id WHERE a.district_code = ? "
                                  "AND x.institution_id = ? AND a.status IN ('draft', 'submitted', 'in_round', "
                                  "'offered', 'accepted', 'waitlisted') ORDER BY 1",
                                  "titi", district, institution_id, district, institution_id);
    size_t count;
    void *rows;
    int rc = db_rows(st, e, sizeof **out, db_row_int64, &rows, &count);
    *out = rows;
    *n = (int)count;
    return rc;
}

/* ---- the filing register ---- */

int cases_store_register_file(struct db *db, const char *district, int64_t institution_id, int64_t case_id,
                              const char *today, char filing_no[32], struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT filing_no FROM institution_filing WHERE district_code = ? AND institution_id = ?",
                                  "ti", district, institution_id);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        db_col_copy(st, 0, filing_no, 32);
        db_finalize(st);
        return db_write(db, e,
                        "UPDATE institution_filing SET filed_on = ?, changed_on = NULL, cancelled_on = NULL, case_id = NULLIF(?, 0) "
                        "WHERE district_code = ? AND institution_id = ?",
                        "titi", today, case_id, district, institution_id);
    }
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%.6s-%.4s-", district, today);
    int64_t last = db_query_int(db, e, NULL,
                                "SELECT COUNT(*) FROM institution_filing WHERE district_code = ? AND filing_no LIKE ? || '%'",
                                "tt", district, prefix);
    if (last < 0)
        return -1;
    snprintf(filing_no, 32, "%s%04d", prefix, (int)((last + 1) % 100000));
    return db_write(db, e,
                    "INSERT INTO institution_filing (district_code, institution_id, filing_no, filed_on, case_id) "
                    "VALUES (?,?,?,?,NULLIF(?, 0))",
                    "titti", district, institution_id, filing_no, today, case_id);
}

int cases_store_register_mark(struct db *db, const char *district, int64_t institution_id, int64_t case_id,
                              int cancelled, const char *today, struct err *e)
{
    int64_t n = db_run(db, e,
                       cancelled ? "UPDATE institution_filing SET cancelled_on = ?, case_id = ? WHERE district_code = ? "
                                   "AND institution_id = ?"
                                 : "UPDATE institution_filing SET changed_on = ?, case_id = ? WHERE district_code = ? "
                                   "AND institution_id = ?",
                       "titi", today, case_id, district, institution_id);
    return n < 0 ? -1 : 0;
}

static json_t *filing_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o}", "institution_id",
                     (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "town_code",
                     db_col_text(st, 2), "town_name", text_or_null(db_col_text(st, 3)),
                     "address", db_col_text(st, 4), "operating_model", db_col_text(st, 5),
                     "filing_no", db_col_text(st, 6), "filed_on", db_col_text(st, 7),
                     "changed_on", text_or_null(db_col_text(st, 8)));
}

int cases_store_public_filings(struct db *db, const char *district, int64_t after_id, int limit, json_t **rows,
                               struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT f.institution_id, i.name, i.town_code, t.name, i.address, i.operating_model, "
                                  "f.filing_no, f.filed_on, f.changed_on FROM institution_filing f "
                                  "JOIN institution i ON i.id = f.institution_id LEFT JOIN town t ON t.code = i.town_code "
                                  "WHERE f.district_code = ? AND f.cancelled_on IS NULL AND i.status = 'filed' "
                                  "AND f.institution_id > ? ORDER BY f.institution_id LIMIT ?",
                                  "tii", district, after_id, (int64_t)limit);
    return db_rows_json(st, e, filing_row, NULL, rows);
}

/* store.c — SQL of the key-task plan (store.h). */
#include "keytasks/store.h"

#include "base/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int keytasks_store_owner_known(struct db *db, const char *district, const char *kind, const char *code, struct err *e)
{
    if (strcmp(kind, "district") == 0)
        return 1;
    int found;
    const char *sql = strcmp(kind, "town") == 0 ? "SELECT 1 FROM town WHERE district_code = ? AND code = ?"
                                                : "SELECT 1 FROM department WHERE district_code = ? AND code = ?";
    if (db_query_int(db, e, &found, sql, "tt", district, code) < 0)
        return -1;
    return found;
}

/* A milestone of task id, in the task's district: position, title, due day, then the task's id. */
#define MILESTONE_INSERT                                                                                          \
    "INSERT INTO key_task_milestone (district_code, task_id, position, title, due_on) "                             \
    "SELECT district_code, id, ?, ?, ? FROM key_task WHERE id = ?"

static int insert_milestones(struct db *db, int64_t id, const struct keytask *t, struct err *e)
{
    for (int i = 0; i < t->nmilestones; i++)
        if (db_run(db, e, MILESTONE_INSERT, "itti", (int64_t)i, t->milestones[i].title, t->milestones[i].due_on, id) < 0)
            return -1;
    return 0;
}

int keytasks_store_insert(struct db *db, const char *district, const struct keytask *t, int64_t user_id,
                          const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO key_task (district_code, item, title, description, owner_kind, owner_code, due_on, "
                       "state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?) "
                       "RETURNING id",
                       "tttttttitt", district, t->item, t->title, t->description, t->owner_kind, t->owner_code,
                       t->due_on, user_id, now_ts, now_ts);
    return *id < 0 ? -1 : insert_milestones(db, *id, t, e);
}

int keytasks_store_replace(struct db *db, int64_t id, const struct keytask *t, const char *now_ts, struct err *e)
{
    if (db_run(db, e,
               "UPDATE key_task SET item = ?, title = ?, description = ?, owner_kind = ?, owner_code = ?, due_on = ?, "
               "updated_at = ? WHERE id = ?",
               "ttttttti", t->item, t->title, t->description, t->owner_kind, t->owner_code, t->due_on, now_ts, id) < 0)
        return -1;
    /* a milestone that stays at its position with its title keeps its done day */
    for (int i = 0; i < t->nmilestones; i++) {
        int64_t n = db_run(db, e, "UPDATE key_task_milestone SET due_on = ? WHERE task_id = ? AND position = ? AND title = ?",
                           "tiit", t->milestones[i].due_on, id, (int64_t)i, t->milestones[i].title);
        if (n < 0)
            return -1;
        if (n == 0 &&
            (db_run(db, e, "DELETE FROM key_task_milestone WHERE task_id = ? AND position = ?", "ii", id, (int64_t)i) < 0 ||
             db_run(db, e, MILESTONE_INSERT, "itti", (int64_t)i, t->milestones[i].title, t->milestones[i].due_on, id) < 0))
            return -1;
    }
    return db_write(db, e, "DELETE FROM key_task_milestone WHERE task_id = ? AND position >= ?", "ii", id,
                    (int64_t)t->nmilestones);
}

static void keytasks_store_load_row(struct db_stmt *st, void *item)
{
    struct keytask_head *h = item;
    db_scan(st, DB_I64(&h->id), DB_TEXT(h->owner_kind), DB_TEXT(h->owner_code), DB_TEXT(h->state), DB_TEXT(h->due_on),
            DB_INT(&h->nmilestones));
}

int keytasks_store_load(struct db *db, const char *district, int64_t id, struct keytask_head *h, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT k.id, k.owner_kind, k.owner_code, k.state, k.due_on, (SELECT COUNT(*) FROM "
                                  "key_task_milestone m WHERE m.task_id = k.id) FROM key_task k WHERE k.id = ? AND "
                                  "k.district_code = ?",
                                  "it", id, district);
    return db_one_or_404(st, e, sizeof *h, keytasks_store_load_row, h, "id", "未找到该重点工作任务");
}

struct list_ctx {
    const char *today;
};

static json_t *task_row(struct db_stmt *st, void *ctx)
{
    const char *today = ((struct list_ctx *)ctx)->today;
    const char *kind = db_col_text(st, 4), *state = db_col_text(st, 7), *due = db_col_text(st, 6);
    const char *done_on = db_col_text(st, 8);
    return json_pack("{s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:b, s:I, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "item", db_col_json_text(st, 1), "title", db_col_json_text(st, 2),
                     "description", db_col_json_text(st, 3), "owner_kind", kind, "owner_kind_name",
                     keytask_owner_kind_name(kind), "owner_code", db_col_json_text(st, 5), "owner_name",
                     db_col_json_text(st, 9), "state", state, "due_on", db_col_json_text(st, 6), "state_name",
                     keytask_state_name(state), "done_on", db_col_json_text(st, 8), "overdue",
                     keytask_overdue(state, due, done_on, today), "evidence", (json_int_t)db_col_int64(st, 10),
                     "last_note", db_col_json_text(st, 11), "updated_at", db_col_json_text(st, 12), "milestones",
                     json_array());
}

static json_t *milestone_row(struct db_stmt *st, void *ctx)
{
    const char *today = ((struct list_ctx *)ctx)->today;
    const char *done_on = db_col_text(st, 4);
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:b}", "task_id", (json_int_t)db_col_int64(st, 0), "position",
                     (json_int_t)db_col_int64(st, 1), "title", db_col_json_text(st, 2), "due_on", db_col_json_text(st, 3),
                     "done_on", db_col_json_text(st, 4), "overdue",
                     keytask_overdue("in_progress", db_col_text(st, 3), done_on, today));
}

static json_t *update_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *state = db_col_text(st, 1);
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "state", state,
                     "state_name", keytask_state_name(state), "note", db_col_json_text(st, 2), "by",
                     db_col_json_text(st, 3), "at", db_col_json_text(st, 4));
}

int keytasks_store_list(struct db *db, const char *district, int64_t id, const char *today, json_t **out,
                        struct err *e)
{
    struct list_ctx ctx = {today};
    json_t *tasks, *milestones;
    struct db_stmt *st = db_query(
        db, e,
        "SELECT k.id, k.item, k.title, k.description, k.owner_kind, k.owner_code, k.due_on, k.state, "
        "k.done_on, CASE k.owner_kind WHEN 'district' THEN '区卫生健康局' WHEN 'town' THEN t.name ELSE d.name END, "
        "(SELECT COUNT(*) FROM material m WHERE m.district_code = k.district_code AND m.owner_type = 'key_task' AND "
        "m.owner_id = k.id AND m.state = 'active'), "
        "(SELECT u.note FROM key_task_update u WHERE u.task_id = k.id ORDER BY u.id DESC LIMIT 1), k.updated_at "
        "FROM key_task k LEFT JOIN town t ON k.owner_kind = 'town' AND t.district_code = k.district_code AND "
        "t.code = k.owner_code LEFT JOIN department d ON k.owner_kind = 'department' AND d.district_code = "
        "k.district_code AND d.code = k.owner_code WHERE k.district_code = ? AND (? = 0 OR k.id = ?) "
        "ORDER BY k.due_on, k.id",
        "tii", district, id, id);
    if (db_rows_json(st, e, task_row, &ctx, &tasks) < 0)
        return -1;
    st = db_query(db, e,
                  "SELECT m.task_id, m.position, m.title, m.due_on, m.done_on FROM key_task_milestone m JOIN key_task k "
                  "ON k.id = m.task_id WHERE k.district_code = ? AND (? = 0 OR k.id = ?) ORDER BY m.task_id, m.position",
                  "tii", district, id, id);
    if (db_rows_json(st, e, milestone_row, &ctx, &milestones) < 0) {
        json_decref(tasks);
        return -1;
    }
    jarray_attach(tasks, "id", "milestones", milestones, "task_id");
    json_decref(milestones);
    if (id > 0 && json_array_size(tasks) == 1) {
        json_t *updates;
        st = db_query(db, e,
                      "SELECT u.id, u.state, u.note, a.name, u.created_at FROM key_task_update u JOIN app_user a ON "
                      "a.id = u.created_by WHERE u.task_id = ? ORDER BY u.id DESC",
                      "i", id);
        if (db_rows_json(st, e, update_row, NULL, &updates) < 0) {
            json_decref(tasks);
            return -1;
        }
        json_object_set_new(json_array_get(tasks, 0), "updates", updates);
    }
    *out = tasks;
    return 0;
}

int keytasks_store_report(struct db *db, int64_t id, const char *state, const char *note, const int *done, int ndone,
                          const char *today, int64_t user_id, const char *now_ts, struct err *e)
{
    if (db_run(db, e,
               "INSERT INTO key_task_update (district_code, task_id, state, note, created_by, created_at) "
               "SELECT district_code, id, ?, ?, ?, ? FROM key_task WHERE id = ?",
               "ttiti", state, note, user_id, now_ts, id) < 0 ||
        db_run(db, e, "UPDATE key_task SET state = ?, done_on = ?, updated_at = ? WHERE id = ?", "tTti", state,
               strcmp(state, "done") == 0 ? today : "", now_ts, id) < 0)
        return -1;
    for (int i = 0; i < ndone; i++)
        if (db_run(db, e, "UPDATE key_task_milestone SET done_on = ? WHERE task_id = ? AND position = ? AND done_on IS NULL",
                   "tii", today, id, (int64_t)done[i]) < 0)
            return -1;
    return 0;
}

int keytasks_store_cancel(struct db *db, int64_t id, const char *reason, int64_t user_id, const char *now_ts,
                          struct err *e)
{
    return db_run(db, e,
                  "INSERT INTO key_task_update (district_code, task_id, state, note, created_by, created_at) "
                  "SELECT district_code, id, 'cancelled', ?, ?, ? FROM key_task WHERE id = ?",
                  "titi", reason, user_id, now_ts, id) < 0 ||
                   db_run(db, e, "UPDATE key_task SET state = 'cancelled', updated_at = ? WHERE id = ?", "ti", now_ts,
                          id) < 0
               ? -1
               : 0;
}

int keytasks_store_evidence(struct db *db, const char *district, int64_t id, int *n, struct err *e)
{
    int64_t c = db_query_int(db, e, NULL,
                             "SELECT COUNT(*) FROM material WHERE district_code = ? AND owner_type = 'key_task' AND "
                             "owner_id = ? AND state = 'active'",
                             "ti", district, id);
    if (c < 0)
        return -1;
    *n = (int)c;
    return 0;
}

int keytasks_store_tally(struct db *db, const char *district, const char *town, const char *today,
                         struct keytasks_tally *out, struct err *e)
{
    int64_t c[3];
    if (db_query_counts(db, e, c, 3,
                        "SELECT COUNT(*), SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), SUM(CASE WHEN state NOT IN "
                        "('done', 'cancelled') AND due_on < ? THEN 1 ELSE 0 END) FROM key_task WHERE district_code = ? "
                        "AND state <> 'cancelled' AND (CAST(? AS TEXT) IS NULL OR (owner_kind = 'town' AND owner_code = ?))",
                        "tttt", today, district, town, town) < 0)
        return -1;
    *out = (struct keytasks_tally){c[0], c[1], c[2]};
    return 0;
}

/* store.c — SQL of the fee catalogues and cost worksheets (store.h). */
#include "fees/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

void fees_store_read_item(struct db_stmt *st, int col, struct fee_item *f)
{
    memset(f, 0, sizeof *f);
    db_col_copy(st, col, f->item, sizeof f->item);
    db_col_copy(st, col + 1, f->category, sizeof f->category);
    db_col_copy(st, col + 2, f->service_type, sizeof f->service_type); /* NULL reads "" */
    f->amount_fen = db_col_int64(st, col + 3);
    db_col_copy(st, col + 4, f->unit, sizeof f->unit);
}

int fees_store_in_force(struct db *db, int64_t inst, const char *day, struct fee_item *out, int max, int *n,
                        struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " FEES_ITEM_COLUMNS " FROM fee_item f WHERE f.change_id = " FEES_IN_FORCE_SQL(
                                      "?") " ORDER BY f.id",
                                  "it", inst, day);
    if (!st)
        return -1;
    int rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        fees_store_read_item(st, 0, &out[(*n)++]);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int64_t fees_store_publish(struct db *db, const char *district, int64_t inst, const char *from, const char *note,
                           int64_t changed_by, const struct fee_item *items, int n, const char *now_ts, struct err *e)
{
    /* the record's version moves with its catalogue: read caches key on it */
    if (db_run(db, e, "UPDATE institution SET version = version + 1 WHERE id = ?", "i", inst) < 0 ||
        db_run(db, e,
               "UPDATE fee_change SET withdrawn_at = ? WHERE institution_id = ? AND effective_from >= ? "
               "AND withdrawn_at IS NULL",
               "tit", now_ts, inst, from) < 0)
        return -1;
    int64_t change = db_query_int(db, e, NULL,
                                  "INSERT INTO fee_change (district_code, institution_id, effective_from, note, "
                                  "changed_by, changed_at) VALUES (?,?,?,?,?,?) RETURNING id",
                                  "tittIt", district, inst, from, note ? note : "", changed_by, now_ts);
    if (change < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        const struct fee_item *f = &items[i];
        if (db_run(db, e,
                   "INSERT INTO fee_item (district_code, institution_id, change_id, item, category, service_type, "
                   "amount_fen, unit) VALUES (?,?,?,?,?,?,?,?)",
                   "tiittTit", district, inst, change, f->item, f->category, f->service_type, f->amount_fen,
                   f->unit) < 0)
            return -1;
    }
    return change;
}

static int same_items(const struct fee_item *a, int na, const struct fee_item *b, int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++)
        if (strcmp(a[i].item, b[i].item) || strcmp(a[i].category, b[i].category) ||
            strcmp(a[i].service_type, b[i].service_type) || a[i].amount_fen != b[i].amount_fen ||
            strcmp(a[i].unit, b[i].unit))
            return 0;
    return 1;
}

int fees_store_sync(struct db *db, const char *district, int64_t inst, const char *day, const struct fee_item *items,
                    int n, const char *now_ts, struct err *e)
{
    enum { MAX = 64 };
    struct fee_item now[MAX];
    int count = 0;
    if (fees_store_in_force(db, inst, day, now, MAX, &count, e) < 0)
        return -1;
    if (same_items(now, count, items, n))
        return 0;
    return fees_store_publish(db, district, inst, day, "随机构信息一并修改", 0, items, n, now_ts, e) < 0 ? -1 : 0;
}

/* The columns and order of a fee history: per institution, newest day first, each change's items
 * beside it. */
#define HISTORY_SQL(where)                                                                                              \
    "SELECT c.institution_id, c.id, c.effective_from, c.note, u.name, c.changed_at, c.withdrawn_at, " FEES_ITEM_COLUMNS \
    " FROM fee_change c LEFT JOIN app_user u ON u.id = c.changed_by "                                                   \
    "LEFT JOIN fee_item f ON f.change_id = c.id " where " "                                                             \
    "ORDER BY c.institution_id, c.effective_from DESC, c.id DESC, f.id"

/* The rows of st (HISTORY_SQL) into *by_inst, {"<institution id>": [change, …]}. On each
 * institution's list, newest first, the first change not withdrawn that has begun by day is the one
 * in force (FEES_IN_FORCE_SQL's choice); those before it are announced, those after it past. */
static int read_histories(struct db_stmt *st, const char *day, json_t **by_inst, struct err *e)
{
    *by_inst = NULL;
    if (!st)
        return -1;
    json_t *out = json_object(), *list = NULL, *change = NULL;
    int64_t inst = 0, last = 0;
    int in_force_seen = 0, rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (db_col_int64(st, 0) != inst) {
            inst = db_col_int64(st, 0);
            jobject_set_by_id(out, inst, list = json_array());
            in_force_seen = 0;
        }
        int64_t id = db_col_int64(st, 1);
        if (id != last) {
            const char *from = db_col_text(st, 2);
            int withdrawn = !db_col_is_null(st, 6), begun = strcmp(from, day) <= 0;
            const char *state = withdrawn ? "withdrawn" : !begun ? "announced" : in_force_seen ? "past" : "in_force";
            in_force_seen |= !withdrawn && begun;
            change =
                json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:s, s:[]}", "id", (json_int_t)id, "effective_from", from,
                          "note", db_col_text(st, 3), "changed_by_name", db_col_json_text(st, 4), "changed_at",
                          db_col_text(st, 5), "withdrawn_at", db_col_json_text(st, 6), "state", state, "items");
            json_array_append_new(list, change);
            last = id;
        }
        if (!db_col_is_null(st, 7)) {
            struct fee_item f;
            fees_store_read_item(st, 7, &f);
            json_array_append_new(json_object_get(change, "items"), fees_item_json(&f));
        }
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(out);
        return -1;
    }
    *by_inst = out;
    return 0;
}

int fees_store_history(struct db *db, int64_t inst, const char *day, json_t **rows, struct err *e)
{
    json_t *by_inst;
    if (read_histories(db_query(db, e, HISTORY_SQL("WHERE c.institution_id = ?"), "i", inst), day, &by_inst, e) < 0)
        return -1;
    json_t *list = jobject_by_id(by_inst, inst);
    *rows = list ? json_incref(list) : json_array();
    json_decref(by_inst);
    return 0;
}

int fees_store_histories(struct db *db, const char *district, const char *day, json_t **by_inst, struct err *e)
{
    return read_histories(
        db_query(db, e, HISTORY_SQL("JOIN institution i ON i.id = c.institution_id WHERE i.district_code = ?"), "t",
                 district),
        day, by_inst, e);
}

static void read_listed(struct db_stmt *st, void *item)
{
    struct fees_listed *x = item;
    db_scan(st, DB_I64(&x->id), DB_I64(&x->institution_id), DB_TEXT(x->institution_name), DB_TEXT(x->town_code),
            DB_TEXT(x->town_name), DB_TEXT(x->ownership), DB_INT(&x->inclusive), DB_TEXT(x->effective_from));
    fees_store_read_item(st, 8, &x->item);
}

int fees_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                    const char *day, const char *town, const char *service, int64_t after_id, int limit,
                    struct fees_listed **out, int *n, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT f.id, i.id, i.name, i.town_code, t.name, i.ownership, i.inclusive, c.effective_from, " FEES_ITEM_COLUMNS
        " FROM institution i JOIN fee_change c ON c.id = " FEES_IN_FORCE_SQL("i.id") " JOIN fee_item f ON "
        "f.change_id = c.id LEFT JOIN town t ON t.code = i.town_code WHERE i.district_code = ? "
        "AND i.status <> 'closed' AND (? = '' OR i.town_code = ?) AND (? = '' OR f.service_type = ?) AND f.id > ? "
        "AND %s ORDER BY f.id LIMIT ?",
        scope_sql, scope_params, limit, "tttttti", day, district, town, town, service, service, after_id);
    void *list;
    size_t count;
    if (db_rows(st, e, sizeof **out, read_listed, &list, &count) < 0)
        return -1;
    *out = list;
    *n = (int)count;
    return 0;
}

#define WORKSHEET_COLUMNS                                                                                       \
    "year, staff_fen, rent_fen, utilities_fen, materials_fen, depreciation_fen, other_fen, food_fen, subsidy_fen, " \
    "places, avg_enrolled, months, note"

int fees_store_worksheet(struct db *db, int64_t inst, int year, struct fee_worksheet *w, char updated_at[32],
                         struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " WORKSHEET_COLUMNS ", updated_at FROM fee_worksheet WHERE institution_id = ? "
                                  "AND year = ?",
                                  "ii", inst, (int64_t)year);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    memset(w, 0, sizeof *w);
    w->year = (int)db_col_int64(st, 0);
    int64_t *money[] = {&w->staff_fen,        &w->rent_fen,  &w->utilities_fen, &w->materials_fen,
                        &w->depreciation_fen, &w->other_fen, &w->food_fen,      &w->subsidy_fen};
    for (int i = 0; i < 8; i++)
        *money[i] = db_col_int64(st, 1 + i);
    db_scan_from(st, 9, DB_INT(&w->places), DB_INT(&w->avg_enrolled), DB_INT(&w->months), DB_TEXT(w->note));
    db_col_copy(st, 13, updated_at, 32);
    db_finalize(st);
    return 1;
}

int fees_store_worksheet_years(struct db *db, int64_t inst, json_t **years, struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT year FROM fee_worksheet WHERE institution_id = ? ORDER BY year DESC", "i", inst);
    if (!st)
        return -1;
    json_t *out = json_array();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        json_array_append_new(out, json_integer(db_col_int64(st, 0)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(out);
        return -1;
    }
    *years = out;
    return 0;
}

int fees_store_worksheet_save(struct db *db, const char *district, int64_t inst, const struct fee_worksheet *w,
                              int64_t user_id, const char *now_ts, struct err *e)
{
    if (db_run(db, e, "DELETE FROM fee_worksheet WHERE institution_id = ? AND year = ?", "ii", inst,
               (int64_t)w->year) < 0)
        return -1;
    return db_write(db, e,
                    "INSERT INTO fee_worksheet (district_code, institution_id, " WORKSHEET_COLUMNS
                    ", updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    "tiiiiiiiiiiiiitit", district, inst, (int64_t)w->year, w->staff_fen, w->rent_fen, w->utilities_fen,
                    w->materials_fen, w->depreciation_fen, w->other_fen, w->food_fen, w->subsidy_fen,
                    (int64_t)w->places, (int64_t)w->avg_enrolled, (int64_t)w->months, w->note, user_id, now_ts);
}

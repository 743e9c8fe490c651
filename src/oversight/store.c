/* store.c — reading and writing rectification items and their evidence (store.h). */
#include "oversight/store.h"

#include "oversight/inspection.h"

#include <stdio.h>
#include <string.h>

int rectify_store_insert(struct db *db, const char *district, int64_t institution_id, const struct rectify_finding *f,
                         const char *due_on, int64_t user_id, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO rectification_item (district_code, institution_id, source, rule, subject, finding, "
                       "due_on, status, raised_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) "
                       "RETURNING id",
                       "titttttitt", district, institution_id, f->source, f->rule, f->subject, f->finding, due_on,
                       user_id, now_ts, now_ts);
    if (*id < 0)
        return db_conflict_as(e, "already_open", "rule", "该问题已有未销号的整改事项");
    return 0;
}

static void rectify_store_load_row(struct db_stmt *st, void *item)
{
    struct rectify_row *out = item;
    db_scan(st, DB_I64(&out->id), DB_I64(&out->institution_id), DB_TEXT(out->town_code), DB_TEXT(out->status),
            DB_TEXT(out->due_on), DB_I64(&out->evidence));
}

int rectify_store_load(struct db *db, const char *district, int64_t institution_id, int64_t id, struct rectify_row *out,
                       struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT r.id, r.institution_id, i.town_code, r.status, r.due_on, "
                                  "(SELECT COUNT(*) FROM rectification_evidence v WHERE v.item_id = r.id) "
                                  "FROM rectification_item r JOIN institution i ON i.id = r.institution_id "
                                  "WHERE r.id = ? AND r.institution_id = ? AND r.district_code = ?",
                                  "iit", id, institution_id, district);
    return db_one_or_404(st, e, sizeof *out, rectify_store_load_row, out, "item_id", "未找到该整改事项");
}

static json_t *item_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "institution_id", (json_int_t)db_col_int64(st, 1), "source",
                     db_col_json_text(st, 2), "rule", db_col_json_text(st, 3), "subject", db_col_json_text(st, 4),
                     "finding", db_col_json_text(st, 5), "due_on", db_col_json_text(st, 6), "status",
                     db_col_json_text(st, 7), "response", db_col_json_text(st, 8), "responded_at",
                     db_col_json_text(st, 9), "review_note", db_col_json_text(st, 10), "closed_at",
                     db_col_json_text(st, 11), "created_at", db_col_json_text(st, 12));
}

#define ITEM_COLUMNS                                                                                       \
    "id, institution_id, source, rule, subject, finding, due_on, status, response, responded_at, review_note, " \
    "closed_at, created_at"

static json_t *id_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_integer(db_col_int64(st, 0));
}

int rectify_store_json(struct db *db, int64_t id, json_t **out, struct err *e)
{
    json_t *rows, *ev;
    if (db_rows_json(db_query(db, e, "SELECT " ITEM_COLUMNS " FROM rectification_item WHERE id = ?", "i", id), e,
                     item_row, NULL, &rows) < 0)
        return -1;
    if (json_array_size(rows) != 1) {
        json_decref(rows);
        return err_set(e, 404, "not_found", "item_id", "未找到该整改事项");
    }
    if (db_rows_json(db_query(db, e,
                              "SELECT material_id FROM rectification_evidence WHERE item_id = ? ORDER BY material_id",
                              "i", id),
                     e, id_row, NULL, &ev) < 0) {
        json_decref(rows);
        return -1;
    }
    *out = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    json_object_set_new(*out, "evidence_material_ids", ev);
    return 0;
}

int rectify_store_open_by_key(struct db *db, const char *district, const char *town, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT r.institution_id, r.source, r.rule, r.subject, r.id, r.status, r.due_on FROM "
                                  "rectification_item r JOIN institution i ON i.id = r.institution_id WHERE "
                                  "r.district_code = ? AND r.status <> 'closed' AND (CAST(? AS TEXT) IS NULL OR "
                                  "i.town_code = ?)",
                                  "ttt", district, town, town);
    *out = json_object();
    int rc = st ? 0 : -1;
    while (st && (rc = db_step(st, e)) == DB_ROW) {
        char key[200];
        snprintf(key, sizeof key, "%lld/%s/%s/%s", (long long)db_col_int64(st, 0), db_col_text(st, 1),
                 db_col_text(st, 2), db_col_text(st, 3));
        json_object_set_new(*out, key, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 4), "status",
                                                 db_col_text(st, 5), "due_on", db_col_text(st, 6)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int rectify_store_list(struct db *db, const char *district, int64_t institution_id, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT " ITEM_COLUMNS " FROM rectification_item WHERE district_code = ? AND "
                                 "institution_id = ? ORDER BY id DESC",
                                 "ti", district, institution_id),
                        e, item_row, NULL, out);
}

int rectify_store_respond(struct db *db, int64_t id, const char *response, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "UPDATE rectification_item SET response = ?, responded_at = ?, status = 'responded', updated_at = ? "
                    "WHERE id = ?",
                    "ttti", response, now_ts, now_ts, id);
}

int rectify_store_evidence_add(struct db *db, const char *district, int64_t institution_id, int64_t id,
                               int64_t material_id, struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found,
                     "SELECT id FROM material WHERE id = ? AND district_code = ? AND owner_type = 'institution' AND "
                     "owner_id = ? AND state = 'active'",
                     "iti", material_id, district, institution_id) < 0)
        return -1;
    if (!found)
        return err_set(e, 422, "bad_material", "material_ids", "佐证材料须为本机构已上传的材料");
    if (db_run(db, e,
               "INSERT INTO rectification_evidence (district_code, item_id, material_id) "
               "SELECT district_code, id, ? FROM rectification_item WHERE id = ?",
               "ii", material_id, id) < 0)
        return db_conflict_as(e, "duplicate_material", "material_ids", "同一佐证材料只能提交一次");
    return 0;
}

int rectify_store_close(struct db *db, int64_t id, const char *note, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "UPDATE rectification_item SET status = 'closed', review_note = ?, closed_at = ?, updated_at = ? "
                    "WHERE id = ?",
                    "ttti", note, now_ts, now_ts, id);
}

/* ---- inspections ---- */

int inspection_store_insert(struct db *db, const char *district, int64_t institution_id, const struct inspection *in,
                            int64_t by, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO inspection (district_code, institution_id, kind, inspected_on, team, summary, "
                       "created_by, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                       "tittttit", district, institution_id, in->kind, in->inspected_on, in->team, in->summary, by,
                       now_ts);
    return *id < 0 ? -1 : 0;
}

int inspection_store_point(struct db *db, int64_t id, int position, const struct inspection_point *p,
                           int64_t rectification_id, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO inspection_item (district_code, inspection_id, position, code, name, result, note, "
                    "rectification_id) SELECT district_code, id, ?, ?, ?, ?, ?, ? FROM inspection WHERE id = ?",
                    "ittttIi", (int64_t)position, p->code, p->name, p->result, p->note, rectification_id, id);
}

int inspection_store_list(struct db *db, const char *district, int64_t institution_id, int64_t one_id, json_t **out,
                          struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT s.id, s.kind, s.inspected_on, s.team, s.summary, s.created_at, i.code, i.name, "
                                  "i.result, i.note, i.rectification_id FROM inspection s JOIN inspection_item i ON "
                                  "i.inspection_id = s.id WHERE s.district_code = ? AND s.institution_id = ? AND "
                                  "(? = 0 OR s.id = ?) ORDER BY s.inspected_on DESC, s.id DESC, i.position",
                                  "tiii", district, institution_id, one_id, one_id);
    if (!st)
        return -1;
    json_t *list = json_array(), *cur = NULL;
    int64_t last = 0;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t id = db_col_int64(st, 0);
        if (id != last) {
            cur = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:[]}", "id", (json_int_t)id, "kind", db_col_text(st, 1),
                            "inspected_on", db_col_text(st, 2), "team", db_col_text(st, 3), "summary",
                            db_col_text(st, 4), "created_at", db_col_text(st, 5), "items");
            json_array_append_new(list, cur);
            last = id;
        }
        json_array_append_new(json_object_get(cur, "items"),
                              json_pack("{s:s, s:s, s:s, s:s, s:o}", "code", db_col_text(st, 6), "name",
                                        db_col_text(st, 7), "result", db_col_text(st, 8), "note", db_col_text(st, 9),
                                        "rectification_id", db_col_json_id(st, 10)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(list);
        return -1;
    }
    *out = list;
    return 0;
}
